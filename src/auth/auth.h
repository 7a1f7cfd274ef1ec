/* auth.h: sign-in, sessions, activation links and password changes. */
#ifndef XZ_AUTH_H
#define XZ_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "audit/audit.h"
#include "auth/policy.h"
#include "auth/secret.h"
#include "base/arena.h"
#include "db/sqltab.h"

struct db;

/* The signed-in account (id 0 when anonymous).  Strings in an arena. */
struct actor {
	int64_t		 id;
	int64_t		 township_id;
	int64_t		 village_id;	/* the account's village, or 0 */
	int64_t		 person_id;
	unsigned	 roles;
	const char	*login;
	const char	*name;		/* the person's name, else the login */
	const char	*role_names;	/* "leader,staff" for audit */
	bool		 must_change;
	int64_t		 auth_at;	/* ms of the last password entry */
};

enum auth_rc {
	AUTH_OK = 0,
	AUTH_DENIED = -1,	/* wrong login, password, locked, disabled */
	AUTH_THROTTLED = -2,	/* too many attempts from this address */
	AUTH_BUSY = -3,		/* every hashing slot in use */
	AUTH_UNAVAIL = -4,	/* the database failed */
	AUTH_POLICY = -5,	/* the new password breaks the policy */
	AUTH_GONE = -6		/* activation link used or expired */
};

/* Set the number of concurrent Argon2id computations (memory bound). */
void	 auth_init(unsigned hash_slots);

struct auth_signin {
	char	 token[SECRET_TOKEN_LEN + 1];	/* the new session cookie */
	char	 csrf[SECRET_TOKEN_LEN + 1];
	int64_t	 account_id;
	bool	 must_change;
	int	 retry_after;			/* with AUTH_THROTTLED */
};

/*
 * Check a login and password from "addr" and open a session.  Unknown
 * logins, wrong passwords, locked and disabled accounts all return
 * AUTH_DENIED after the same work.  Every attempt is audited.
 */
int	 auth_signin(struct db *, const char *login, const char *password,
	    const struct audit_actor *ctx, int64_t now, struct auth_signin *);

/*
 * Load the session whose token hashes to "hash".  Returns AUTH_OK with
 * "actor" and "csrf" filled (in "a"), AUTH_DENIED if there is none or it
 * timed out (then it is deleted), AUTH_UNAVAIL on a database failure.
 */
int	 auth_session(struct db *, const unsigned char hash[SECRET_HASH_LEN],
	    int64_t now, struct arena *a, struct actor *, const char **csrf);
/* Delete one session (sign-out). */
int	 auth_signout(struct db *, const unsigned char hash[SECRET_HASH_LEN],
	    const struct audit_actor *);
/* Re-enter the password for a sensitive view: refreshes auth_at. */
int	 auth_reauth(struct db *, const unsigned char hash[SECRET_HASH_LEN],
	    const struct actor *, const char *password,
	    const struct audit_actor *, int64_t now);

/*
 * Change the actor's password: checks the old one, the policy, and that no
 * other account's password follows the same pattern; then signs out the
 * actor's other sessions.  AUTH_POLICY sets "msg" (Chinese).
 */
int	 auth_change_password(struct db *, const struct actor *,
	    const unsigned char keep[SECRET_HASH_LEN], const char *old,
	    const char *new, const struct audit_actor *, int64_t now,
	    char *msg, size_t msglen);

/* Make a one-time activation link token for "account_id" (in the caller's tx). */
int	 auth_activation_new(struct db *, int64_t account_id, int64_t by,
	    int64_t now, char token[SECRET_TOKEN_LEN + 1]);
/* Who the token is for (login and name in "a"), or AUTH_GONE. */
int	 auth_activation_peek(struct db *, const char *token, int64_t now,
	    struct arena *a, const char **login, const char **name);
/* Set the first password through an activation token. */
int	 auth_activate(struct db *, const char *token, const char *password,
	    const struct audit_actor *, int64_t now, char *msg, size_t msglen);

/*
 * Set a password without the old one (the command line's "user passwd"
 * and "user add"): still checked against the policy.
 */
int	 auth_set_password(struct db *, int64_t account_id, const char *pw,
	    bool check, const struct audit_actor *, int64_t now, char *msg,
	    size_t msglen);

/* Delete expired sessions, activation links and throttle windows. */
int	 auth_sweep(struct db *, int64_t now);

extern const struct db_sqltab auth_sqltab;

#endif

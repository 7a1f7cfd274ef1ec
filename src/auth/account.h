/* account.h: accounts as the admins see them: create, list, roles, status. */
#ifndef XZ_ACCOUNT_H
#define XZ_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "db/sqltab.h"

struct db;

struct account_in {
	int64_t		 township_id;
	int64_t		 person_id;	/* 0 if none */
	const char	*login;
	int64_t		 village_id;	/* 0 if none */
	unsigned	 roles;		/* granted now (CLI, demo) */
	unsigned	 roles_requested;	/* for the security admin */
};

/* Create a pending account; *id gets its id.  In the caller's tx. */
int	 account_create(struct db *, const struct account_in *, int64_t now,
	    int64_t *id);
/* The id of "login", 0 if none, < 0 on failure. */
int64_t	 account_by_login(struct db *, const char *login);
/* All accounts of a township: [{id, login, name, roles, ...}]. */
json_t	*account_list(struct db *, int64_t township_id, int *rc);
/* One account, or NULL. */
json_t	*account_get(struct db *, int64_t township_id, int64_t id, int *rc);
/* Cadres of the township who have no account yet: [{id, name, village}]. */
json_t	*account_candidates(struct db *, int64_t township_id, int *rc);

/* Status changes; DB_DONE when no such account.  In the caller's tx. */
int	 account_set_status(struct db *, int64_t township_id, int64_t id,
	    const char *status, int64_t now);
/* Disable accounts unused for the policy's inactive_days; count or -1. */
int	 account_sweep_stale(struct db *, int64_t now);
int	 account_unlock(struct db *, int64_t township_id, int64_t id,
	    int64_t now);
/* Forget the password: the account waits for a new activation link. */
int	 account_reset(struct db *, int64_t township_id, int64_t id,
	    int64_t now);
/* Grant roles; *before gets the old set.  In the caller's tx. */
int	 account_set_roles(struct db *, int64_t township_id, int64_t id,
	    unsigned roles, unsigned *before, int64_t now);
/* The account's roles, village and status, for checks. */
int	 account_peek(struct db *, int64_t township_id, int64_t id,
	    unsigned *roles, int64_t *village_id);
/* Accounts of every status, for "user list" (CLI). */
json_t	*account_all(struct db *, int *rc);

extern const struct db_sqltab account_sqltab;

#endif

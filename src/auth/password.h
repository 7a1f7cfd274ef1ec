/* password.h: Argon2id hashing and the password policy. */
#ifndef XZ_PASSWORD_H
#define XZ_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PASSWORD_HASH_MAX	128	/* >= crypto_pwhash_STRBYTES */
#define PASSWORD_NORM_MAX	(128 * 4 + 1)

/*
 * Call once before any other function (sodium_init, libpwquality setup, the
 * dummy hash).  Safe to call again; later calls return the first result.
 * Every function below is safe to call from several threads at once.
 */
int	 password_init(void);

/*
 * Load the block list of common and leaked passwords: "text" (len bytes)
 * holds one lowercase NFKC entry a line; lines starting with "# " are
 * comments.  Replaces any list loaded before (a few core entries are always
 * built in).  Call at start-up with the embedded src/auth/blocklist.txt.
 * Returns 0, or -1 when out of memory (the old list stays).
 */
int	 password_load_blocklist(const char *text, size_t len);

/*
 * Set the Argon2id limits used by password_hash() from now on ("ops"
 * passes, "mem" bytes) and remake the dummy hash.  Values below libsodium's
 * INTERACTIVE limits are accepted for tests but logged as a warning.
 * Returns 0, or -1 when a value is outside libsodium's range.
 */
int	 password_set_limits(unsigned long long ops, size_t mem);

/*
 * NFKC-normalise "pw" into "out" (PASSWORD_NORM_MAX bytes) without the
 * policy checks: the login path hashes and verifies this form, the same
 * one password_check() hands back.  Returns 0, or -1 (and out = "") when
 * "pw" is not valid UTF-8 or its normal form is too long.
 */
int	 password_normalize(const char *pw, char out[PASSWORD_NORM_MAX]);

/*
 * Hash with Argon2id at the configured limits (at least libsodium's
 * INTERACTIVE: t=2, m=64 MiB).  Returns 0 or -1 (out of memory).
 */
int	 password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* 0 when "pw" matches "hash", -1 otherwise (including a malformed hash). */
int	 password_verify(const char *hash, const char *pw);
/*
 * True when "hash" was made with weaker limits than the current ones, or is
 * not a valid Argon2id hash.  A hash stronger than the current limits is
 * never downgraded.
 */
bool	 password_needs_rehash(const char *hash);
/*
 * Verify against a fixed dummy hash and fail, taking the same time as a
 * real verification: used for unknown logins so timing reveals nothing.
 */
void	 password_verify_dummy(const char *pw);

/* The policy knobs a security admin may set. */
struct password_policy {
	int	 min_len;	/* code points, default 12 */
	int	 max_len;	/* default 128 */
	int	 min_classes;	/* of lower, upper, digit, other; default 3 */
};

/* What the check knows about the account (any member may be NULL). */
struct password_subject {
	const char	*login;
	const char	*name;		/* the person's name, e.g. 张三 */
	const char	*old;		/* current password when changing */
};

/*
 * Normalise "pw" to NFKC into "out" (PASSWORD_NORM_MAX bytes) and check it
 * against the policy: length, character classes, libpwquality (dictionary,
 * similarity to the old password and the login), a built-in list of
 * common and leaked passwords, keyboard walks and repeated sequences, and
 * the "stem + digits + symbol" shape of the township's leaked table
 * (zn135246@).  Returns 0, or -1 with "msg" set to a Chinese sentence for
 * the user that never contains the password ("out" is then wiped).  A NULL
 * policy means the defaults; min_len is kept within 8..max_len and max_len
 * within 1..128.  The rules and their order are described in password.c.
 */
int	 password_check(const char *pw, const struct password_policy *,
	    const struct password_subject *, char *out, char *msg,
	    size_t msglen);

/*
 * The pattern family of a normalised password: a 20-bit keyed hash of its
 * digits and symbols, or 0 when it has fewer than 6 of them.  Two accounts
 * whose passwords share a non-zero family follow one pattern, which the
 * account code refuses.  "key" is 32 bytes.  What this stores and leaks
 * is explained above password_family() in password.c.
 */
uint32_t password_family(const char *norm, const unsigned char key[32]);

/*
 * A random password of "len" characters ("out" holds len + 1 bytes) from an
 * alphabet without look-alikes (no 0 O 1 l I), with a lowercase and an
 * uppercase letter, a digit and one of "-_.!@#%".  For len 12 to 128 it
 * also passes password_check() under the default policy.
 */
void	 password_random(char *out, size_t len);

#endif

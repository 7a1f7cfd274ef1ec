/* secret.h: the key file, random tokens, sealed personal data, keyed hashes. */
#ifndef XZ_SECRET_H
#define XZ_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

#define SECRET_TOKEN_LEN	43	/* 32 random bytes, base64url, no padding */
#define SECRET_HASH_LEN		32

/*
 * The key file holds 32 random bytes (64 hex digits).  Every key the
 * application uses is derived from it (libsodium crypto_kdf): one to seal
 * personal data, one for searchable keyed hashes of it, one for the audit
 * chain, one for password pattern families.  Without the file, sealed data
 * cannot be read, so it is backed up separately from the database.
 */
enum secret_key {
	SECRET_PII_SEAL = 1,
	SECRET_PII_MAC,
	SECRET_AUDIT,
	SECRET_PW_FAMILY,
	SECRET__MAX
};

/* Create the key file (mode 0600) if "create" and it is missing; load it. */
int	 secret_load(const char *path, bool create);
/* Use a fixed key (tests that need no file). */
void	 secret_use_key(const unsigned char key[32]);
const unsigned char *secret_key(enum secret_key);

/* A fresh random token (SECRET_TOKEN_LEN chars + NUL). */
void	 secret_token(char out[SECRET_TOKEN_LEN + 1]);
/* SHA-256 of a token, as stored in the database. */
void	 secret_token_hash(const char *token, unsigned char out[SECRET_HASH_LEN]);
/* An unkeyed BLAKE2b-256 digest (cache keys and the like). */
void	 secret_digest(const void *, size_t, unsigned char out[SECRET_HASH_LEN]);
/* Constant-time comparison of two NUL-terminated strings. */
bool	 secret_equal(const char *, const char *);

/*
 * Seal "plain" for storage with XChaCha20-Poly1305; "purpose" (such as
 * "phone") is bound as associated data so a value cannot be moved to
 * another column.  Output is nonce || ciphertext, in the arena.
 */
void	 secret_seal(struct arena *, const char *purpose, const char *plain,
	    unsigned char **out, size_t *outlen);
/* Open what secret_seal made; NULL if it was altered or the key is wrong. */
char	*secret_open(struct arena *, const char *purpose,
	    const unsigned char *in, size_t len);
/* Keyed hash of a normalised value, for search and uniqueness. */
void	 secret_mac(const char *purpose, const char *value,
	    unsigned char out[SECRET_HASH_LEN]);

#endif

/* secret.c: the key file, random tokens, sealed personal data, keyed hashes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "auth/secret.h"
#include "base/log.h"
#include "base/str.h"

static unsigned char	 keys[SECRET__MAX][32];
static bool		 loaded;

static void
derive(const unsigned char master[32])
{
	int	 i;

	for (i = 1; i < SECRET__MAX; i++)
		crypto_kdf_derive_from_key(keys[i], 32, (uint64_t)i,
		    "xiangzhi", master);
	loaded = true;
}

void
secret_use_key(const unsigned char key[32])
{
	derive(key);
}

int
secret_load(const char *path, bool create)
{
	unsigned char	 master[32];
	char		 hex[66];
	ssize_t		 n;
	int		 fd;

	if (sodium_init() < 0)
		return error("cannot initialise libsodium");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		randombytes_buf(master, sizeof(master));
		str_hex(hex, master, sizeof(master));
		hex[64] = '\n';
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return error("cannot create key file '%s': %s", path,
			    strerror(errno));
		if (write(fd, hex, 65) != 65 || fsync(fd) != 0) {
			close(fd);
			return error("cannot write key file '%s'", path);
		}
		close(fd);
		derive(master);
		sodium_memzero(master, sizeof(master));
		sodium_memzero(hex, sizeof(hex));
		log_info("created key file %s; back it up apart from the database",
		    path);
		return 0;
	}
	if (fd < 0)
		return error("cannot open key file '%s': %s", path,
		    strerror(errno));
	n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	if (n < 64)
		return error("key file '%s' is too short", path);
	hex[64] = '\0';
	if (str_unhex(master, sizeof(master), hex) != 0)
		return error("key file '%s' is not 64 hex digits", path);
	derive(master);
	sodium_memzero(master, sizeof(master));
	sodium_memzero(hex, sizeof(hex));
	return 0;
}

const unsigned char *
secret_key(enum secret_key k)
{
	if (!loaded)
		BUG("secret key used before secret_load");
	return keys[k];
}

void
secret_token(char out[SECRET_TOKEN_LEN + 1])
{
	unsigned char	 raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, SECRET_TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void
secret_token_hash(const char *token, unsigned char out[SECRET_HASH_LEN])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

void
secret_digest(const void *p, size_t n, unsigned char out[SECRET_HASH_LEN])
{
	crypto_generichash(out, SECRET_HASH_LEN, p, n, NULL, 0);
}

bool
secret_equal(const char *a, const char *b)
{
	size_t	 n = strlen(a);

	if (n != strlen(b))
		return false;
	return sodium_memcmp(a, b, n) == 0;
}

void
secret_seal(struct arena *a, const char *purpose, const char *plain,
    unsigned char **out, size_t *outlen)
{
	size_t		 plen = strlen(plain);
	size_t		 n = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	unsigned char	*p;
	unsigned long long clen;

	*outlen = n + plen + crypto_aead_xchacha20poly1305_ietf_ABYTES;
	p = arena_alloc(a, *outlen);
	randombytes_buf(p, n);
	crypto_aead_xchacha20poly1305_ietf_encrypt(p + n, &clen,
	    (const unsigned char *)plain, plen,
	    (const unsigned char *)purpose, strlen(purpose), NULL, p,
	    secret_key(SECRET_PII_SEAL));
	*out = p;
}

char *
secret_open(struct arena *a, const char *purpose, const unsigned char *in,
    size_t len)
{
	size_t		 n = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	size_t		 ab = crypto_aead_xchacha20poly1305_ietf_ABYTES;
	unsigned long long plen;
	char		*p;

	if (in == NULL || len < n + ab)
		return NULL;
	p = arena_alloc(a, len - n - ab + 1);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)p,
	    &plen, NULL, in + n, len - n, (const unsigned char *)purpose,
	    strlen(purpose), in, secret_key(SECRET_PII_SEAL)) != 0)
		return NULL;
	p[plen] = '\0';
	return p;
}

void
secret_mac(const char *purpose, const char *value,
    unsigned char out[SECRET_HASH_LEN])
{
	crypto_generichash_state	 st;

	crypto_generichash_init(&st, secret_key(SECRET_PII_MAC), 32,
	    SECRET_HASH_LEN);
	crypto_generichash_update(&st, (const unsigned char *)purpose,
	    strlen(purpose) + 1);
	crypto_generichash_update(&st, (const unsigned char *)value,
	    strlen(value));
	crypto_generichash_final(&st, out, SECRET_HASH_LEN);
}

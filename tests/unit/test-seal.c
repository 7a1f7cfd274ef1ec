/* test-seal.c: the sealed off-site file format: round trips and every kind of tamper. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "cli/seal.h"

#define ABYTES	crypto_secretstream_xchacha20poly1305_ABYTES
#define HEAD	(SEAL_MAGIC_LEN + crypto_secretstream_xchacha20poly1305_HEADERBYTES)
#define MSG	(SEAL_CHUNK + ABYTES)

static unsigned char	 key[SEAL_KEY_BYTES];

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	crypto_secretstream_xchacha20poly1305_keygen(key);
}

TestSuite(seal, .init = setup);

/* Seal "n" bytes of "p"; the sealed bytes (malloc) and their length. */
static unsigned char *
seal(const unsigned char *p, size_t n, size_t step, size_t *outlen)
{
	struct seal_w	*w;
	unsigned char	*out;
	FILE		*f = tmpfile();
	long		 len;
	size_t		 i, k;

	cr_assert_not_null(f);
	cr_assert_not_null(w = seal_w_open(f, key));
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		cr_assert_eq(seal_w_write(w, p + i, k), 0);
	}
	cr_assert_eq(seal_w_close(w), 0);
	len = ftell(f);
	cr_assert(len > 0);
	rewind(f);
	out = malloc((size_t)len + 1);
	cr_assert_eq(fread(out, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*outlen = (size_t)len;
	return out;
}

/*
 * Open "len" sealed bytes and read "want" plaintext bytes then the end:
 * 0 and the plaintext in "got" when everything authenticates, else -1
 * with the reason in "why".
 */
static int
unseal(const unsigned char *s, size_t len, const unsigned char *k,
    unsigned char *got, size_t want, char *why, size_t wn)
{
	struct seal_r	*r;
	FILE		*f = tmpfile();
	int		 rc = -1;

	why[0] = '\0';
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(s, 1, len, f), len);
	rewind(f);
	if ((r = seal_r_open(f, k, why, wn)) != NULL &&
	    seal_r_read(r, got, want, why, wn) == 0 &&
	    seal_r_end(r, why, wn) == 0)
		rc = 0;
	seal_r_free(r);
	fclose(f);
	return rc;
}

static unsigned char *
random_bytes(size_t n)
{
	unsigned char	*p = malloc(n + 1);

	cr_assert_not_null(p);
	randombytes_buf(p, n);
	return p;
}

/* [S57] */
Test(seal, round_trips_every_size_around_the_message_boundary)
{
	static const size_t sizes[] = { 0, 1, SEAL_CHUNK - 1, SEAL_CHUNK,
	    SEAL_CHUNK + 1, 2 * SEAL_CHUNK, 3 * SEAL_CHUNK + 12345 };
	unsigned char	*p, *s, *got;
	char		 why[300];
	size_t		 i, len;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = random_bytes(sizes[i]);
		got = malloc(sizes[i] + 1);
		/* Written in odd pieces: message borders are the writer's. */
		s = seal(p, sizes[i], 7777, &len);
		cr_assert_eq(len, HEAD + (sizes[i] / SEAL_CHUNK + 1) * ABYTES +
		    sizes[i], "size %zu sealed to %zu", sizes[i], len);
		cr_assert_eq(unseal(s, len, key, got, sizes[i], why,
		    sizeof(why)), 0, "size %zu: %s", sizes[i], why);
		cr_assert(sizes[i] == 0 || memcmp(p, got, sizes[i]) == 0);
		free(p);
		free(s);
		free(got);
	}
}

/* [S57] */
Test(seal, every_changed_byte_fails_authentication)
{
	size_t		 n = 3 * SEAL_CHUNK + 999, len, at, i;
	unsigned char	*p = random_bytes(n), *s, *got = malloc(n);
	char		 why[300];
	/* Magic, header, first message, a middle one, the FINAL one's tag. */
	size_t		 where[] = { 0, 5, SEAL_MAGIC_LEN, HEAD - 1, HEAD,
	    HEAD + 100, HEAD + MSG + 17, HEAD + 2 * MSG - 1, 0, 0 };

	s = seal(p, n, n, &len);
	where[8] = len - 1;
	where[9] = len - ABYTES - 1000;
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		at = where[i];
		s[at] ^= 0x01;
		cr_assert_neq(unseal(s, len, key, got, n, why, sizeof(why)), 0,
		    "byte %zu changed, yet it opened", at);
		cr_assert(strlen(why) > 10, "byte %zu: no reason", at);
		if (at < SEAL_MAGIC_LEN)
			cr_assert_not_null(strstr(why, "not a xiangzhi"));
		else if (at >= HEAD)
			cr_assert_not_null(strstr(why, "AUTHENTICATION FAILED"),
			    "byte %zu: %s", at, why);
		s[at] ^= 0x01;
	}
	cr_assert_eq(unseal(s, len, key, got, n, why, sizeof(why)), 0, "%s",
	    why);
	free(p);
	free(s);
	free(got);
}

/* [S57] */
Test(seal, truncation_extension_reordering_and_the_wrong_key_fail)
{
	size_t		 n = 3 * SEAL_CHUNK + 999, len;
	unsigned char	*p = random_bytes(n), *s, *got = malloc(n),
			*t = malloc(5 * MSG + HEAD), other[SEAL_KEY_BYTES];
	char		 why[300];

	s = seal(p, n, n, &len);
	/* Cut at a message border: every message left authenticates. */
	cr_assert_neq(unseal(s, HEAD + 2 * MSG, key, got, n, why,
	    sizeof(why)), 0);
	cr_assert_not_null(strstr(why, "TRUNCATED"), "%s", why);
	/* Cut inside the last message, and right after the header. */
	cr_assert_neq(unseal(s, len - 1, key, got, n, why, sizeof(why)), 0);
	cr_assert_neq(unseal(s, HEAD, key, got, n, why, sizeof(why)), 0);
	cr_assert_neq(unseal(s, HEAD - 3, key, got, n, why, sizeof(why)), 0);
	/* The FINAL message gone, even if the reader wants less. */
	cr_assert_neq(unseal(s, HEAD + 3 * MSG, key, got, 3 * SEAL_CHUNK,
	    why, sizeof(why)), 0);
	/* Bytes added after FINAL, whole messages or one byte. */
	memcpy(t, s, len);
	t[len] = 'x';
	cr_assert_neq(unseal(t, len + 1, key, got, n, why, sizeof(why)), 0);
	cr_assert(strlen(why) > 10);
	memcpy(t + len, s + HEAD, MSG);
	cr_assert_neq(unseal(t, len + MSG, key, got, n, why, sizeof(why)), 0);
	/* Two messages swapped. */
	memcpy(t, s, len);
	memcpy(t + HEAD, s + HEAD + MSG, MSG);
	memcpy(t + HEAD + MSG, s + HEAD, MSG);
	cr_assert_neq(unseal(t, len, key, got, n, why, sizeof(why)), 0);
	/* A message dropped from the middle. */
	memcpy(t, s, HEAD + MSG);
	memcpy(t + HEAD + MSG, s + HEAD + 2 * MSG, len - HEAD - 2 * MSG);
	cr_assert_neq(unseal(t, len - MSG, key, got, n - SEAL_CHUNK, why,
	    sizeof(why)), 0);
	/* Another key. */
	crypto_secretstream_xchacha20poly1305_keygen(other);
	cr_assert_neq(unseal(s, len, other, got, n, why, sizeof(why)), 0);
	cr_assert_not_null(strstr(why, "not its key"), "%s", why);
	free(p);
	free(s);
	free(got);
	free(t);
}

/* [S57] */
Test(seal, key_file_is_private_never_overwritten_and_checked)
{
	char		 dir[PATH_MAX], path[PATH_MAX + 16], why[300];
	unsigned char	 k1[SEAL_KEY_BYTES], k2[SEAL_KEY_BYTES];
	struct stat	 st;
	FILE		*f;

	snprintf(dir, sizeof(dir), "%s/xz-seal-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k", dir);
	cr_assert_eq(seal_keygen(path, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(seal_key_load(path, k1, why, sizeof(why)), 0, "%s", why);
	/* A second keygen must not replace a key copies depend on. */
	cr_assert_neq(seal_keygen(path, why, sizeof(why)), 0);
	cr_assert_eq(seal_key_load(path, k2, why, sizeof(why)), 0);
	cr_assert_eq(memcmp(k1, k2, sizeof(k1)), 0);
	/* Readable by others: refused. */
	cr_assert_eq(chmod(path, 0644), 0);
	cr_assert_neq(seal_key_load(path, k2, why, sizeof(why)), 0);
	cr_assert_not_null(strstr(why, "readable by others"));
	/* Not a key file: refused. */
	unlink(path);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs("xiangzhi-seal-key 00ff\n", f);
	fclose(f);
	chmod(path, 0600);
	cr_assert_neq(seal_key_load(path, k2, why, sizeof(why)), 0);
	cr_assert_not_null(strstr(why, "not a xiangzhi seal key"));
	unlink(path);
	rmdir(dir);
}

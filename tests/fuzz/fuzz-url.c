/* fuzz-url.c: libFuzzer target for the request target: path and query decoding. */
/* [S48] [S44] fuzzed under ASan and UBSan; malformed UTF-8 and NUL refused, never passed on. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/form.h"

#define QUERY_MAX	100

/* A broken promise of the parsers' contract is a finding, like a crash. */
#define CHECK(e)	do { if (!(e)) abort(); } while (0)

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Well-formed UTF-8 without NUL, written from RFC 3629's table so that it
 * shares nothing with base/utf8.c.
 */
static bool
ref_utf8(const unsigned char *s, size_t n)
{
	size_t	 i = 0, k, len;
	unsigned char lo, hi;

	while (i < n) {
		if (s[i] == 0)
			return false;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			len = 2;
		else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			len = 3;
			if (s[i] == 0xe0)
				lo = 0xa0;
			if (s[i] == 0xed)
				hi = 0x9f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			len = 4;
			if (s[i] == 0xf0)
				lo = 0x90;
			if (s[i] == 0xf4)
				hi = 0x8f;
		} else
			return false;
		if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return false;
		i += len;
	}
	return true;
}

/* The reference decoder: a malloc'd result, or NULL where it must fail. */
static unsigned char *
ref_decode(const char *s, size_t n, bool plus, size_t *outlen)
{
	unsigned char	*d;
	size_t		 i, k = 0;
	int		 hi, lo;

	CHECK((d = malloc(n + 1)) != NULL);
	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (n - i < 3) {
				free(d);
				return NULL;
			}
			hi = hex((unsigned char)s[i + 1]);
			lo = hex((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0) {
				free(d);
				return NULL;
			}
			d[k++] = (unsigned char)(hi * 16 + lo);
			i += 2;
		} else if (plus && s[i] == '+')
			d[k++] = ' ';
		else
			d[k++] = (unsigned char)s[i];
	}
	if (!ref_utf8(d, k)) {
		free(d);
		return NULL;
	}
	*outlen = k;
	return d;
}

/* form_urldecode() agrees with the reference, byte for byte. */
static void
check_decode(struct arena *a, const char *s, size_t n, bool plus)
{
	unsigned char	*want;
	char		*out;
	size_t		 len, wlen = 0;
	int		 rc;

	rc = form_urldecode(a, s, n, plus, &out, &len);
	want = ref_decode(s, n, plus, &wlen);
	if (want == NULL) {
		CHECK(rc == FORM_EBADENC && out == NULL && len == 0);
		return;
	}
	CHECK(rc == FORM_OK && out != NULL);
	CHECK(len == wlen && memcmp(out, want, len) == 0 && out[len] == '\0');
	free(want);
}

/*
 * The query as the server parses it: each '&'-separated pair that decodes
 * to a non-empty name is one entry, in order; a bad pair refuses the
 * whole query and leaves the list as it was.
 */
static void
check_query(struct arena *a, const char *q, size_t n)
{
	struct kvlist	 l;
	const char	*p, *end = q + n, *amp, *eq;
	unsigned char	*name, *value;
	size_t		 nlen, vlen, want = 0, i;
	int		 rc, expect = FORM_OK;

	memset(&l, 0, sizeof(l));
	kv_add(a, &l, "x", "y", 1);
	rc = form_parse_urlencoded(a, q, n, QUERY_MAX, &l);
	for (p = q; p < end && expect == FORM_OK; p = amp + 1) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p)
			continue;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if ((name = ref_decode(p, (size_t)(eq - p), true, &nlen)) ==
		    NULL) {
			expect = FORM_EBADENC;
			break;
		}
		if (nlen == 0) {
			free(name);
			continue;
		}
		value = eq == amp ? ref_decode("", 0, true, &vlen) :
		    ref_decode(eq + 1, (size_t)(amp - eq - 1), true, &vlen);
		if (value == NULL)
			expect = FORM_EBADENC;
		else if (want == QUERY_MAX)
			expect = FORM_ETOOMANY;
		else if (++want, rc == FORM_OK) {
			CHECK(want < l.n);
			CHECK(strlen(l.v[want].name) == nlen &&
			    memcmp(l.v[want].name, name, nlen) == 0);
			CHECK(l.v[want].len == vlen &&
			    memcmp(l.v[want].value, value, vlen) == 0);
		}
		free(name);
		free(value);
	}
	CHECK(rc == expect);
	if (rc == FORM_OK)
		CHECK(l.n == want + 1);
	else
		CHECK(l.n == 1);
	CHECK(strcmp(l.v[0].name, "x") == 0 && strcmp(l.v[0].value, "y") == 0);
	for (i = 1; i < l.n; i++)
		CHECK(l.v[i].name[0] != '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	 a;
	const char	*s;
	char		*copy;
	const char	*qm;
	size_t		 plen;

	/* A heap copy without a NUL, so ASan sees any read past the end. */
	CHECK((copy = malloc(size ? size : 1)) != NULL);
	memcpy(copy, data, size);
	s = copy;
	arena_init(&a);
	check_decode(&a, s, size, false);
	check_decode(&a, s, size, true);

	/* Split like the server: the path before '?', the query after. */
	qm = memchr(s, '?', size);
	plen = qm ? (size_t)(qm - s) : size;
	check_decode(&a, s, plen, false);
	if (qm != NULL)
		check_query(&a, qm + 1, size - plen - 1);
	else
		check_query(&a, s, size);
	arena_release(&a);
	free(copy);
	return 0;
}

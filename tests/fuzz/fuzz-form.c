/* fuzz-form.c: libFuzzer target for the form and cookie parsers. */
/* [S48] [S44] fuzzed under ASan and UBSan; malformed UTF-8 and NUL refused, never passed on. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/utf8.h"
#include "http/form.h"

#define FUZZ_MAX	64

/* A broken promise of the parsers' contract is a finding, like a crash. */
#define CHECK(e)	do { if (!(e)) abort(); } while (0)

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_kvlist(const struct kvlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		CHECK(l->v[i].name != NULL && l->v[i].name[0] != '\0');
		CHECK(utf8_valid(l->v[i].name, strlen(l->v[i].name)));
		CHECK(strlen(l->v[i].value) == l->v[i].len);
		CHECK(utf8_valid(l->v[i].value, l->v[i].len));
	}
}

static void
check_partlist(const struct partlist *l, const char *body, size_t n)
{
	const struct part	*p;
	size_t			 i;

	for (i = 0; i < l->n; i++) {
		p = &l->v[i];
		CHECK(p->name != NULL && p->name[0] != '\0');
		CHECK(utf8_valid(p->name, strlen(p->name)));
		CHECK(!utf8_has_control(p->name, false));
		if (p->filename == NULL) {
			CHECK(strlen(p->data) == p->len);
			CHECK(utf8_valid(p->data, p->len));
			continue;
		}
		CHECK(p->filename[0] != '\0');
		CHECK(strpbrk(p->filename, "/\\") == NULL);
		CHECK(strcmp(p->filename, ".") != 0);
		CHECK(strcmp(p->filename, "..") != 0);
		CHECK(utf8_valid(p->filename, strlen(p->filename)));
		CHECK(p->data >= body && p->len <= n &&
		    (size_t)(p->data - body) <= n - p->len);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	 a;
	struct kvlist	 kl;
	struct partlist	 pl;
	const char	*s = (const char *)data, *nl, *body;
	char		*out, *ct;
	size_t		 len, blen;

	arena_init(&a);

	if (form_urldecode(&a, s, size, true, &out, &len) == FORM_OK)
		CHECK(utf8_valid(out, len) && out[len] == '\0');

	memset(&kl, 0, sizeof(kl));
	if (form_parse_urlencoded(&a, s, size, FUZZ_MAX, &kl) == FORM_OK)
		CHECK(kl.n <= FUZZ_MAX);
	check_kvlist(&kl);

	memset(&kl, 0, sizeof(kl));
	form_parse_cookies(&a, arena_memdup(&a, data, size), &kl);
	CHECK(kl.n <= 64);
	check_kvlist(&kl);

	memset(&pl, 0, sizeof(pl));
	form_parse_multipart(&a, "multipart/form-data; boundary=XyZ", s, size,
	    FUZZ_MAX, &pl);
	CHECK(pl.n <= FUZZ_MAX);
	check_partlist(&pl, s, size);

	/* The first line is the Content-Type, the rest is the body. */
	nl = memchr(s, '\n', size);
	if (nl != NULL) {
		len = (size_t)(nl - s);
		if (len > 0 && s[len - 1] == '\r')
			len--;
		ct = arena_strndup(&a, s, len);
		body = nl + 1;
		blen = size - (size_t)(body - s);
		memset(&pl, 0, sizeof(pl));
		form_parse_multipart(&a, ct, body, blen, FUZZ_MAX, &pl);
		CHECK(pl.n <= FUZZ_MAX);
		check_partlist(&pl, body, blen);
	}

	arena_release(&a);
	return 0;
}

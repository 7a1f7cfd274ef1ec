/* fuzz-router.c: libFuzzer target for router_match() and the route table. */
/* [S48] fuzzed under ASan and UBSan by "make fuzz"; replayed by "make test". */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/router.h"
#include "web/routes.h"
#include "web/web.h"

#define FUZZ_MAX	4096

/* A broken promise of the matcher's contract is a finding, like a crash. */
#define CHECK(e)	do { if (!(e)) abort(); } while (0)

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * A match is explained by the pattern: putting each capture back in place
 * of its ":name" (before any ".ext") or "*name" rebuilds the path exactly,
 * and every capture is non-empty, one segment unless it is "*".
 */
static void
check_match(struct arena *a, const char *pat, const char *path)
{
	struct kvlist	 l;
	struct buf	 b;
	const char	*p, *pe, *dot, *name;
	size_t		 k = 1, namelen;
	bool		 ok;

	memset(&l, 0, sizeof(l));
	kv_add(a, &l, "sentinel", "", 0);
	ok = router_match(pat, path, a, &l);
	if (!ok) {
		CHECK(l.n == 1);
		return;
	}
	buf_init(&b, 0);
	for (p = pat; *p != '\0'; p = pe) {
		CHECK(*p == '/');
		buf_add(&b, "/", 1);
		p++;
		if ((pe = strchr(p, '/')) == NULL)
			pe = p + strlen(p);
		if (*p != ':' && *p != '*') {
			buf_add(&b, p, (size_t)(pe - p));
			continue;
		}
		dot = *p == ':' ? memchr(p, '.', (size_t)(pe - p)) : NULL;
		name = p + 1;
		namelen = (size_t)((dot ? dot : pe) - name);
		CHECK(k < l.n);
		CHECK(strlen(l.v[k].name) == namelen &&
		    memcmp(l.v[k].name, name, namelen) == 0);
		CHECK(l.v[k].len > 0 && strlen(l.v[k].value) == l.v[k].len);
		if (*p == ':')
			CHECK(strchr(l.v[k].value, '/') == NULL);
		buf_add(&b, l.v[k].value, l.v[k].len);
		if (dot != NULL)
			buf_add(&b, dot, (size_t)(pe - dot));
		k++;
		if (*p == '*')
			break;
	}
	CHECK(k == l.n);
	CHECK(!buf_err(&b));
	CHECK(b.len == strlen(path) && memcmp(b.data, path, b.len) == 0);
	buf_release(&b);
}

/*
 * Completeness: a path made from a real route pattern by putting values
 * (slices of the input, without '/' or NUL) in its captures matches it
 * and gives those values back.
 */
static void
check_fill(struct arena *a, const char *pat, const char *vals, size_t n)
{
	struct kvlist	 l;
	struct buf	 b;
	const char	*p, *pe, *dot, *v = vals, *ve;
	const char	*want[8];
	size_t		 wlen[8], k = 0, i;

	buf_init(&b, 0);
	for (p = pat; *p != '\0'; p = pe) {
		buf_add(&b, "/", 1);
		p++;
		if ((pe = strchr(p, '/')) == NULL)
			pe = p + strlen(p);
		if (*p != ':' && *p != '*') {
			buf_add(&b, p, (size_t)(pe - p));
			continue;
		}
		/* The next value: up to '/', NUL or the end; never empty. */
		ve = v;
		while (ve < vals + n && *ve != '/' && *ve != '\0')
			ve++;
		if (ve == v || k == 8) {
			buf_release(&b);
			return;
		}
		want[k] = arena_strndup(a, v, (size_t)(ve - v));
		wlen[k++] = (size_t)(ve - v);
		buf_add(&b, v, (size_t)(ve - v));
		v = ve < vals + n ? ve + 1 : ve;
		dot = *p == ':' ? memchr(p, '.', (size_t)(pe - p)) : NULL;
		if (dot != NULL)
			buf_add(&b, dot, (size_t)(pe - dot));
	}
	buf_addc(&b, '\0');
	CHECK(!buf_err(&b));
	memset(&l, 0, sizeof(l));
	CHECK(router_match(pat, b.data, a, &l));
	CHECK(l.n == k);
	for (i = 0; i < k; i++)
		CHECK(l.v[i].len == wlen[i] &&
		    memcmp(l.v[i].value, want[i], wlen[i]) == 0);
	check_match(a, pat, b.data);
	buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	 a;
	const char	*s = (const char *)data, *nl;
	char		*pat, *path;
	size_t		 i;

	if (size > FUZZ_MAX)
		return 0;
	arena_init(&a);
	/* The whole input as a path, against every route of the table. */
	path = arena_strndup(&a, s, size);
	for (i = 0; i < nroutes; i++) {
		if (routes[i].path != NULL) {
			check_match(&a, routes[i].path, path);
			check_fill(&a, routes[i].path, s, size);
		}
		if (routes[i].api != NULL) {
			check_match(&a, routes[i].api, path);
			check_fill(&a, routes[i].api, s, size);
		}
	}
	/* "pattern\npath": both from the input. */
	if ((nl = memchr(s, '\n', size)) != NULL) {
		pat = arena_strndup(&a, s, (size_t)(nl - s));
		path = arena_strndup(&a, nl + 1, size - (size_t)(nl - s) - 1);
		check_match(&a, pat, path);
	}
	arena_release(&a);
	return 0;
}

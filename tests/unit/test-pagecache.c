/* test-pagecache.c: the version-checked page cache. */
#include <string.h>

#include <criterion/criterion.h>

#include "web/pagecache.h"

static void
key_of(unsigned char key[PAGECACHE_KEY], int n)
{
	memset(key, 0, PAGECACHE_KEY);
	memcpy(key, &n, sizeof(n));
	key[PAGECACHE_KEY - 1] = (unsigned char)n;
}

Test(pagecache, off_by_default_and_when_zero)
{
	unsigned char	 k[PAGECACHE_KEY];
	struct buf	 b = BUF_INIT;
	const char	*type;
	bool		 gz;

	pagecache_init(0);
	key_of(k, 1);
	pagecache_put(k, 1, "x", 1, "text/html", false);
	cr_assert(!pagecache_get(k, 1, &b, &type, &gz));
	cr_assert(!pagecache_on());
}

Test(pagecache, same_version_hits_with_the_same_bytes)
{
	unsigned char	 k[PAGECACHE_KEY];
	struct buf	 b = BUF_INIT;
	const char	*type = NULL;
	bool		 gz = false;

	pagecache_init(1 << 20);
	key_of(k, 2);
	pagecache_put(k, 7, "<p>page</p>", 11, "text/html", true);
	cr_assert(pagecache_get(k, 7, &b, &type, &gz));
	cr_assert_str_eq(b.data, "<p>page</p>");
	cr_assert_str_eq(type, "text/html");
	cr_assert(gz);
	buf_release(&b);
}

Test(pagecache, another_version_misses_and_forgets)
{
	unsigned char	 k[PAGECACHE_KEY];
	struct buf	 b = BUF_INIT;
	const char	*type;
	bool		 gz;

	pagecache_init(1 << 20);
	key_of(k, 3);
	pagecache_put(k, 7, "old", 3, "text/html", false);
	cr_assert(!pagecache_get(k, 8, &b, &type, &gz), "data changed");
	cr_assert(!pagecache_get(k, 7, &b, &type, &gz), "dropped, not kept");
	cr_assert_eq(b.len, 0);
}

Test(pagecache, another_key_misses)
{
	unsigned char	 k[PAGECACHE_KEY], other[PAGECACHE_KEY];
	struct buf	 b = BUF_INIT;
	const char	*type;
	bool		 gz;

	pagecache_init(1 << 20);
	key_of(k, 4);
	key_of(other, 4);
	other[5] ^= 1;		/* same slot, different key */
	pagecache_put(k, 1, "mine", 4, "text/html", false);
	cr_assert(!pagecache_get(other, 1, &b, &type, &gz));
}

Test(pagecache, bytes_stay_under_the_cap)
{
	unsigned char	 k[PAGECACHE_KEY];
	char		 page[1000];
	uint64_t	 h, m;
	size_t		 bytes;
	int		 i;

	pagecache_init(10000);
	memset(page, 'x', sizeof(page));
	for (i = 0; i < 100; i++) {
		key_of(k, 100 + i);
		pagecache_put(k, 1, page, sizeof(page), "text/html", false);
		pagecache_stats(&h, &m, &bytes);
		cr_assert_leq(bytes, 10000, "after %d puts: %zu bytes", i, bytes);
	}
}

Test(pagecache, the_least_recently_used_goes_first)
{
	unsigned char	 k[PAGECACHE_KEY];
	struct buf	 b = BUF_INIT;
	const char	*type;
	char		 page[400];
	bool		 gz;
	int		 i;

	pagecache_init(4000);	/* ten 400-byte pages fill it */
	memset(page, 'y', sizeof(page));
	for (i = 0; i < 10; i++) {
		key_of(k, 300 + i);
		pagecache_put(k, 1, page, sizeof(page), "t", false);
	}
	key_of(k, 300);
	cr_assert(pagecache_get(k, 1, &b, &type, &gz));	/* 300 is fresh now */
	buf_reset(&b);
	key_of(k, 310);
	pagecache_put(k, 1, page, sizeof(page), "t", false);	/* evicts one */
	key_of(k, 300);
	cr_assert(pagecache_get(k, 1, &b, &type, &gz), "300 was used last");
	buf_reset(&b);
	key_of(k, 301);
	cr_assert(!pagecache_get(k, 1, &b, &type, &gz), "301 went first");
	buf_release(&b);
}

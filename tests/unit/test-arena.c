/* test-arena.c: request-scoped bump allocation. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "base/arena.h"

static struct arena	 a;

static void
setup(void)
{
	arena_init(&a);
}

static void
teardown(void)
{
	arena_release(&a);
}

TestSuite(arena, .init = setup, .fini = teardown);

static bool
all_zero(const void *p, size_t n)
{
	const unsigned char	*c = p;
	size_t			 i;

	for (i = 0; i < n; i++)
		if (c[i] != 0)
			return false;
	return true;
}

static bool
aligned16(const void *p)
{
	return ((uintptr_t)p & 15) == 0;
}

Test(arena, alloc_returns_zeroed_memory)
{
	static const size_t	 sizes[] = { 1, 7, 16, 100, 2000, 5000, 40000 };
	size_t			 i;
	char			*p;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = arena_alloc(&a, sizes[i]);
		cr_assert_not_null(p);
		cr_assert(all_zero(p, sizes[i]), "size %zu", sizes[i]);
		memset(p, 0xa5, sizes[i]);
	}
}

Test(arena, memory_is_zeroed_again_after_release)
{
	unsigned char	*p;

	p = arena_alloc(&a, 512);
	memset(p, 0xff, 512);
	arena_release(&a);
	p = arena_alloc(&a, 512);
	cr_assert(all_zero(p, 512));
}

Test(arena, alloc_zero_bytes_returns_a_distinct_pointer)
{
	void	*p = arena_alloc(&a, 0), *q = arena_alloc(&a, 0);

	cr_assert_not_null(p);
	cr_assert_not_null(q);
	cr_assert_neq(p, q);
}

Test(arena, allocations_are_aligned_to_16)
{
	static const size_t	 sizes[] = { 1, 3, 15, 17, 33, 100, 1000, 9000,
	    40000, 1, 2 };
	size_t			 i, k;
	void			*p;

	/* Enough rounds to leave the inline block and fill several more. */
	for (k = 0; k < 20; k++)
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			p = arena_alloc(&a, sizes[i]);
			cr_assert(aligned16(p), "round %zu size %zu: %p", k,
			    sizes[i], p);
		}
}

Test(arena, allocations_do_not_overlap)
{
	char	*p[64];
	size_t	 i, j;

	for (i = 0; i < 64; i++) {
		p[i] = arena_alloc(&a, 100 + i * 37);
		memset(p[i], (int)i + 1, 100 + i * 37);
	}
	for (i = 0; i < 64; i++)
		for (j = 0; j < 100 + i * 37; j++)
			cr_assert_eq((unsigned char)p[i][j], i + 1,
			    "block %zu byte %zu", i, j);
}

Test(arena, inline_block_aligned_when_arena_is_embedded)
{
	struct holder {
		int64_t		 tag;
		struct arena	 ar;
	}		*h;
	_Alignas(16) unsigned char raw[sizeof(struct holder) + 16];
	void		*p;

	h = (struct holder *)(void *)raw;
	arena_init(&h->ar);
	p = arena_alloc(&h->ar, 24);
	cr_assert(aligned16(p), "%p", p);
	arena_release(&h->ar);
}

Test(arena, strdup_copies)
{
	char	 src[] = "乡镇 township";
	char	*p = arena_strdup(&a, src);

	cr_assert_str_eq(p, "乡镇 township");
	cr_assert_neq(p, src);
	src[0] = 'x';
	cr_assert_str_eq(p, "乡镇 township");
}

Test(arena, strdup_of_null_is_null)
{
	cr_assert_null(arena_strdup(&a, NULL));
}

Test(arena, strdup_of_empty_is_empty)
{
	char	*p = arena_strdup(&a, "");

	cr_assert_not_null(p);
	cr_assert_str_eq(p, "");
}

Test(arena, strndup_stops_at_n_and_terminates)
{
	cr_assert_str_eq(arena_strndup(&a, "abcdef", 3), "abc");
	cr_assert_str_eq(arena_strndup(&a, "abcdef", 0), "");
	cr_assert_str_eq(arena_strndup(&a, "abcdef", 6), "abcdef");
}

Test(arena, printf_formats_short_output)
{
	cr_assert_str_eq(arena_printf(&a, "%s/%d/%05.1f", "v", 12, 2.5),
	    "v/12/002.5");
}

Test(arena, printf_formats_long_output)
{
	char	 part[401], *p;
	size_t	 i;

	for (i = 0; i < 400; i++)
		part[i] = (char)('a' + i % 26);
	part[400] = '\0';
	p = arena_printf(&a, "[%s|%d]", part, 7);
	cr_assert_eq(strlen(p), 404);
	cr_assert_eq(p[0], '[');
	cr_assert_eq(memcmp(p + 1, part, 400), 0);
	cr_assert_str_eq(p + 401, "|7]");
}

Test(arena, printf_exactly_at_the_stack_buffer_boundary)
{
	static const int	 lens[] = { 254, 255, 256, 257 };
	size_t			 i;
	char			*p;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		p = arena_printf(&a, "%0*d", lens[i], 5);
		cr_assert_eq(strlen(p), (size_t)lens[i], "len %d", lens[i]);
		cr_assert_eq(p[lens[i] - 1], '5');
		cr_assert_eq(p[0], '0');
	}
}

Test(arena, memdup_keeps_embedded_nuls_and_terminates)
{
	static const char	 src[] = { 'a', '\0', 'b', '\0', 'c' };
	char			*p = arena_memdup(&a, src, sizeof(src));

	cr_assert_eq(memcmp(p, src, sizeof(src)), 0);
	cr_assert_eq(p[sizeof(src)], '\0');
}

Test(arena, memdup_of_zero_bytes_is_empty_string)
{
	char	*p = arena_memdup(&a, NULL, 0);

	cr_assert_not_null(p);
	cr_assert_eq(p[0], '\0');
}

Test(arena, very_large_single_allocation)
{
	size_t		 n = 16 * 1024 * 1024;
	unsigned char	*p, *small;

	small = arena_alloc(&a, 10);
	cr_assert_not_null(small);
	p = arena_alloc(&a, n);
	cr_assert_not_null(p);
	cr_assert(aligned16(p));
	cr_assert_eq(p[0], 0);
	cr_assert_eq(p[n - 1], 0);
	cr_assert(all_zero(p, n));
	memset(p, 0x5a, n);
	/* Later small allocations still work and do not overlap it. */
	small = arena_alloc(&a, 10);
	memset(small, 1, 10);
	cr_assert_eq(p[n - 1], 0x5a);
	cr_assert_eq(p[0], 0x5a);
	cr_assert_geq(a.used, n);
}

Test(arena, large_blocks_interleaved_with_small_ones)
{
	char	*big[4], *s[200];
	size_t	 i;

	for (i = 0; i < 200; i++) {
		if (i % 50 == 0)
			big[i / 50] = arena_printf(&a, "%0*d", 100000,
			    (int)(i / 50));
		s[i] = arena_printf(&a, "s%zu", i);
	}
	for (i = 0; i < 200; i++)
		cr_assert_str_eq(s[i], arena_printf(&a, "s%zu", i));
	for (i = 0; i < 4; i++) {
		cr_assert_eq(strlen(big[i]), 100000);
		cr_assert_eq(big[i][99999], '0' + (int)i);
	}
}

Test(arena, thousands_of_small_allocations)
{
	char	**p;
	size_t	 i, n = 20000;

	p = malloc(n * sizeof(*p));
	cr_assert_not_null(p);
	for (i = 0; i < n; i++)
		p[i] = arena_printf(&a, "item-%zu", i);
	for (i = 0; i < n; i++) {
		char	 want[32];

		snprintf(want, sizeof(want), "item-%zu", i);
		cr_assert_str_eq(p[i], want);
	}
	cr_assert_geq(a.used, n * 16);
	free(p);
}

Test(arena, used_counts_handed_out_bytes)
{
	cr_assert_eq(a.used, 0);
	arena_alloc(&a, 10);
	cr_assert_geq(a.used, 10);
	arena_release(&a);
	cr_assert_eq(a.used, 0);
}

Test(arena, release_then_reuse)
{
	char	*p;
	int	 round;

	for (round = 0; round < 5; round++) {
		p = arena_alloc(&a, 100000);
		memset(p, 'x', 100000);
		p = arena_strdup(&a, "again");
		cr_assert_str_eq(p, "again");
		arena_release(&a);
		cr_assert_null(a.head);
		cr_assert_eq(a.first_off, 0);
	}
	p = arena_strdup(&a, "after");
	cr_assert_str_eq(p, "after");
}

Test(arena, release_of_unused_arena_is_safe)
{
	arena_release(&a);
	arena_release(&a);
	cr_assert_null(a.head);
	cr_assert_eq(a.used, 0);
}

Test(arena, impossible_size_dies, .exit_code = 1)
{
	void	*p = arena_alloc(&a, SIZE_MAX);

	cr_assert_fail("arena_alloc(SIZE_MAX) returned %p", p);
}

/* test-buf.c: the growable byte string, its cap and its sticky error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "base/buf.h"

static struct buf	 b;

static void
setup(void)
{
	buf_init(&b, 0);
}

static void
teardown(void)
{
	buf_release(&b);
}

TestSuite(buf, .init = setup, .fini = teardown);

/* The contents are a C string of exactly b.len bytes. */
static void
assert_terminated(const struct buf *p)
{
	cr_assert_not_null(p->data);
	cr_assert_eq(p->data[p->len], '\0');
	cr_assert_eq(strlen(p->data), p->len);
}

/* Initialisation */

Test(buf, init_is_empty_and_terminated)
{
	cr_assert_eq(b.len, 0);
	cr_assert_eq(buf_err(&b), 0);
	cr_assert_str_eq(b.data, "");
	assert_terminated(&b);
}

Test(buf, static_initialiser_is_empty_and_usable)
{
	struct buf	 s = BUF_INIT;

	cr_assert_str_eq(s.data, "");
	buf_lit(&s, "ok");
	cr_assert_str_eq(s.data, "ok");
	cr_assert_eq(s.len, 2);
	buf_release(&s);
}

Test(buf, adding_nothing_keeps_it_empty_and_terminated)
{
	buf_add(&b, "x", 0);
	buf_adds(&b, "");
	cr_assert_eq(b.len, 0);
	cr_assert_eq(buf_err(&b), 0);
	assert_terminated(&b);
}

/* Appending */

Test(buf, add_appends_bytes)
{
	buf_add(&b, "abcdef", 3);
	buf_add(&b, "XYZ", 3);
	cr_assert_str_eq(b.data, "abcXYZ");
	cr_assert_eq(b.len, 6);
	assert_terminated(&b);
}

Test(buf, add_keeps_embedded_nul_bytes)
{
	buf_add(&b, "a\0b", 3);
	cr_assert_eq(b.len, 3);
	cr_assert_eq(memcmp(b.data, "a\0b", 4), 0);
}

Test(buf, adds_and_addc_append)
{
	buf_adds(&b, "镇");
	buf_addc(&b, '-');
	buf_adds(&b, "村");
	cr_assert_str_eq(b.data, "镇-村");
	cr_assert_eq(b.len, strlen("镇-村"));
}

Test(buf, lit_appends_a_literal)
{
	buf_lit(&b, "<p>");
	buf_lit(&b, "");
	buf_lit(&b, "</p>");
	cr_assert_str_eq(b.data, "<p></p>");
	cr_assert_eq(b.len, 7);
}

Test(buf, addf_formats)
{
	buf_addf(&b, "%s=%d;%c", "n", -42, 'z');
	cr_assert_str_eq(b.data, "n=-42;z");
	cr_assert_eq(b.len, 7);
	assert_terminated(&b);
}

Test(buf, addf_appends_after_existing_content)
{
	buf_lit(&b, "id:");
	buf_addf(&b, "%05d", 12);
	cr_assert_str_eq(b.data, "id:00012");
}

Test(buf, addf_long_output_is_complete)
{
	char	 want[1001];

	memset(want, 'q', 1000);
	want[1000] = '\0';
	buf_lit(&b, "<");
	buf_addf(&b, "%s>", want);
	cr_assert_eq(b.len, 1002);
	cr_assert_eq(b.data[0], '<');
	cr_assert_eq(memcmp(b.data + 1, want, 1000), 0);
	cr_assert_eq(b.data[1001], '>');
	assert_terminated(&b);
}

Test(buf, addf_of_empty_format_adds_nothing)
{
	buf_lit(&b, "a");
	buf_addf(&b, "%s", "");
	cr_assert_str_eq(b.data, "a");
	cr_assert_eq(b.len, 1);
}

Test(buf, add_int_writes_decimal)
{
	static const struct {
		int64_t		 v;
		const char	*want;
	} cases[] = {
		{ 0, "0" },
		{ 7, "7" },
		{ -1, "-1" },
		{ 1234567890123LL, "1234567890123" },
		{ INT64_MAX, "9223372036854775807" },
		{ INT64_MIN, "-9223372036854775808" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		buf_add_int(&b, cases[i].v);
		cr_assert_str_eq(b.data, cases[i].want, "case %zu", i);
		cr_assert_eq(b.len, strlen(cases[i].want));
	}
}

/* Growth */

Test(buf, grows_across_many_appends)
{
	size_t	 i;

	for (i = 0; i < 20000; i++)
		buf_add(&b, "abc", 3);
	cr_assert_eq(buf_err(&b), 0);
	cr_assert_eq(b.len, 60000);
	cr_assert_geq(b.cap, b.len + 1);
	for (i = 0; i < 20000; i++)
		cr_assert_eq(memcmp(b.data + 3 * i, "abc", 3), 0, "at %zu", i);
	assert_terminated(&b);
}

Test(buf, grow_reserves_room_without_changing_content)
{
	buf_lit(&b, "xy");
	buf_grow(&b, 5000);
	cr_assert_eq(buf_err(&b), 0);
	cr_assert_geq(b.cap, 5003);
	cr_assert_eq(b.len, 2);
	cr_assert_str_eq(b.data, "xy");
}

/* The cap and the sticky error */

Test(buf, filling_exactly_to_max_is_allowed)
{
	struct buf	 c;

	buf_init(&c, 8);
	buf_add(&c, "12345678", 8);
	cr_assert_eq(buf_err(&c), 0);
	cr_assert_str_eq(c.data, "12345678");
	buf_release(&c);
}

Test(buf, growing_past_max_sets_etoobig)
{
	struct buf	 c;

	buf_init(&c, 8);
	buf_add(&c, "12345", 5);
	buf_add(&c, "6789", 4);
	cr_assert_eq(buf_err(&c), BUF_ETOOBIG);
	cr_assert_eq(c.len, 5);
	cr_assert_str_eq(c.data, "12345");
	assert_terminated(&c);
	buf_release(&c);
}

Test(buf, error_is_sticky_and_later_appends_do_nothing)
{
	struct buf	 c;

	buf_init(&c, 8);
	buf_lit(&c, "abc");
	buf_add(&c, "0123456789", 10);
	cr_assert_eq(buf_err(&c), BUF_ETOOBIG);
	/* Each of these would fit on its own, but the error sticks. */
	buf_lit(&c, "d");
	buf_addc(&c, 'e');
	buf_adds(&c, "f");
	buf_add_int(&c, 1);
	buf_addf(&c, "%d", 2);
	cr_assert_eq(buf_err(&c), BUF_ETOOBIG);
	cr_assert_eq(c.len, 3);
	cr_assert_str_eq(c.data, "abc");
	assert_terminated(&c);
	buf_release(&c);
}

Test(buf, error_on_first_append_leaves_empty_terminated_data)
{
	struct buf	 c;

	buf_init(&c, 4);
	buf_add(&c, "too long", 8);
	cr_assert_eq(buf_err(&c), BUF_ETOOBIG);
	cr_assert_eq(c.len, 0);
	assert_terminated(&c);
	buf_release(&c);
}

Test(buf, addf_past_max_sets_etoobig)
{
	struct buf	 c;

	buf_init(&c, 100);
	buf_addf(&c, "%0200d", 7);
	cr_assert_eq(buf_err(&c), BUF_ETOOBIG);
	cr_assert_eq(c.len, 0);
	assert_terminated(&c);
	buf_release(&c);
}

Test(buf, addf_cannot_exceed_max_within_capacity)
{
	struct buf	 c;

	buf_init(&c, 100);
	buf_addf(&c, "%0120d", 0);
	cr_assert_eq(buf_err(&c), BUF_ETOOBIG);
	cr_assert_leq(c.len, 100);
	assert_terminated(&c);
	buf_release(&c);
}

Test(buf, addf_short_output_fits_under_small_max)
{
	struct buf	 c;

	buf_init(&c, 10);
	buf_addf(&c, "%s", "ab");
	cr_assert_eq(buf_err(&c), 0);
	cr_assert_str_eq(c.data, "ab");
	buf_add(&c, "0123456", 7);
	buf_addf(&c, "%d", 9);
	cr_assert_eq(buf_err(&c), 0);
	cr_assert_str_eq(c.data, "ab01234569");
	buf_release(&c);
}

/* Truncate and reset */

Test(buf, truncate_shortens_and_terminates)
{
	buf_lit(&b, "hello world");
	buf_truncate(&b, 5);
	cr_assert_eq(b.len, 5);
	cr_assert_str_eq(b.data, "hello");
	buf_lit(&b, "!");
	cr_assert_str_eq(b.data, "hello!");
}

Test(buf, truncate_beyond_length_does_nothing)
{
	buf_lit(&b, "abc");
	buf_truncate(&b, 10);
	cr_assert_eq(b.len, 3);
	cr_assert_str_eq(b.data, "abc");
}

Test(buf, truncate_of_fresh_buffer_is_safe)
{
	buf_truncate(&b, 0);
	cr_assert_eq(b.len, 0);
	assert_terminated(&b);
}

Test(buf, reset_empties_and_keeps_capacity)
{
	size_t	 cap;

	buf_lit(&b, "some text");
	cap = b.cap;
	buf_reset(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
	cr_assert_eq(b.cap, cap);
}

Test(buf, reset_clears_the_error)
{
	struct buf	 c;

	buf_init(&c, 4);
	buf_add(&c, "12345", 5);
	cr_assert_eq(buf_err(&c), BUF_ETOOBIG);
	buf_reset(&c);
	cr_assert_eq(buf_err(&c), 0);
	buf_lit(&c, "ok");
	cr_assert_str_eq(c.data, "ok");
	cr_assert_eq(c.max, 4);
	buf_release(&c);
}

/* Detach and release */

Test(buf, detach_gives_ownership_of_the_contents)
{
	char	*p;
	size_t	 n = 0;

	buf_lit(&b, "owned");
	p = buf_detach(&b, &n);
	cr_assert_not_null(p);
	cr_assert_str_eq(p, "owned");
	cr_assert_eq(n, 5);
	free(p);
}

Test(buf, detach_leaves_the_buffer_reusable)
{
	char	*p;

	buf_lit(&b, "first");
	p = buf_detach(&b, NULL);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
	cr_assert_neq(b.data, p);
	buf_lit(&b, "second");
	cr_assert_str_eq(b.data, "second");
	cr_assert_str_eq(p, "first");
	free(p);
}

Test(buf, detach_of_empty_buffer_returns_freeable_empty_string)
{
	char	*p;
	size_t	 n = 99;

	p = buf_detach(&b, &n);
	cr_assert_not_null(p);
	cr_assert_str_eq(p, "");
	cr_assert_eq(n, 0);
	free(p);
}

Test(buf, detach_on_error_returns_null_and_resets)
{
	struct buf	 c;
	size_t		 n = 99;

	buf_init(&c, 4);
	buf_lit(&c, "ab");
	buf_lit(&c, "cdef");
	cr_assert_eq(buf_err(&c), BUF_ETOOBIG);
	cr_assert_null(buf_detach(&c, &n));
	cr_assert_eq(c.len, 0);
	cr_assert_eq(buf_err(&c), 0);
	assert_terminated(&c);
	buf_lit(&c, "ok");
	cr_assert_str_eq(c.data, "ok");
	buf_release(&c);
}

Test(buf, release_empties_and_allows_reuse)
{
	buf_lit(&b, "x");
	buf_release(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(b.cap, 0);
	cr_assert_str_eq(b.data, "");
	buf_lit(&b, "y");
	cr_assert_str_eq(b.data, "y");
}

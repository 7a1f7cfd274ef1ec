/* test-log.c: log_escape keeps every log line one record (SECURITY #33). */
#include <string.h>

#include <criterion/criterion.h>

#include "base/log.h"
#include "base/utf8.h"

static char	 out[256];

/* [S33] */
Test(log, line_breaks_become_visible_escapes)
{
	log_escape(out, sizeof(out), "a\r\n2026-01-01T00:00:00.000Z info forged");
	cr_assert_str_eq(out, "a\\x0d\\x0a2026-01-01T00:00:00.000Z info forged");
}

/* [S33] */
Test(log, terminal_escapes_and_del_are_escaped)
{
	log_escape(out, sizeof(out), "\x1b[2J\x7f\t");
	cr_assert_str_eq(out, "\\x1b[2J\\x7f\\x09");
}

/* [S33] */
Test(log, backslash_is_escaped_so_escapes_cannot_be_forged)
{
	log_escape(out, sizeof(out), "\\x0a");
	cr_assert_str_eq(out, "\\x5cx0a");
}

/* [S33] */
Test(log, chinese_passes_and_broken_utf8_is_escaped)
{
	log_escape(out, sizeof(out), "信访\xe4\xb8 \xff");
	cr_assert_str_eq(out, "信访\\xe4\\xb8 \\xff");
}

/* [S33] */
Test(log, output_is_bounded_terminated_and_valid_utf8)
{
	char	 small[16], in[64];

	memset(in, '\n', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	log_escape(small, sizeof(small), in);
	cr_assert_lt(strlen(small), sizeof(small));
	cr_assert_eq(strlen(small) % 4, 0, "no escape is cut in half");
	log_escape(small, sizeof(small), "一二三四五六七八");
	cr_assert(utf8_valid(small, strlen(small)), "no character is cut in half");
}

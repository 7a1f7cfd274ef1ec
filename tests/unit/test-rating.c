/* test-rating.c: rating periods, codes, purposes and the QR code's SVG. */
#include <string.h>

#include <criterion/criterion.h>

#include "base/buf.h"
#include "base/timeutil.h"
#include "rating/qr.h"
#include "rating/rating.h"

Test(rating, a_month_period_covers_the_whole_month)
{
	char	 p[8];
	int64_t	 from, to;

	cr_assert_eq(rating_period("month", date_from_ymd(2026, 2, 14), p,
	    &from, &to), 0);
	cr_assert_str_eq(p, "2026-02");
	cr_assert_eq(from, date_from_ymd(2026, 2, 1));
	cr_assert_eq(to, date_from_ymd(2026, 2, 28));
	cr_assert_eq(rating_period("month", date_from_ymd(2026, 12, 31), p,
	    &from, &to), 0);
	cr_assert_str_eq(p, "2026-12");
	cr_assert_eq(to, date_from_ymd(2026, 12, 31), "December ends the year");
	rating_period("month", date_from_ymd(2028, 2, 1), p, &from, &to);
	cr_assert_eq(to, date_from_ymd(2028, 2, 29), "a leap February");
}

Test(rating, a_year_period_and_an_unknown_one)
{
	char	 p[8];
	int64_t	 from, to;

	cr_assert_eq(rating_period("year", date_from_ymd(2026, 7, 1), p, &from,
	    &to), 0);
	cr_assert_str_eq(p, "2026");
	cr_assert_eq(from, date_from_ymd(2026, 1, 1));
	cr_assert_eq(to, date_from_ymd(2026, 12, 31));
	cr_assert_eq(rating_period("week", 0, p, &from, &to), -1);
	cr_assert_eq(rating_period(NULL, 0, p, &from, &to), -1);
}

Test(rating, reason_codes_are_short_lowercase_words)
{
	cr_assert(rating_code_ok("slow"));
	cr_assert(rating_code_ok("no_visit"));
	cr_assert_not(rating_code_ok(""));
	cr_assert_not(rating_code_ok(NULL));
	cr_assert_not(rating_code_ok("Slow"));
	cr_assert_not(rating_code_ok("a b"));
	cr_assert_not(rating_code_ok("'; DROP"));
	cr_assert_not(rating_code_ok("abcdefghijklmnopqrstuvwxyzabcdefg"), "33 long");
}

Test(rating, purposes_name_their_aspects)
{
	const struct rating_purpose	*p = rating_purpose("window");

	cr_assert_not_null(p);
	cr_assert_not_null(p->subject, "every purpose names its subject");
	cr_assert_str_eq(rating_aspect_label(p, "service"), "办事服务");
	cr_assert_str_eq(rating_aspect_label(p, "conduct"), "干部作风");
	cr_assert_str_eq(rating_aspect_label(p, "nothing"), "");
	cr_assert_null(rating_purpose("nothing"));
	cr_assert_null(rating_purpose(NULL));
	cr_assert_not_null(rating_purpose("window_rerate"));
}

Test(rating, the_qr_code_is_one_path_with_a_quiet_zone)
{
	struct buf	 b = BUF_INIT;
	const char	*url = "https://xz.example.cn/r/"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

	cr_assert_eq(qr_svg(&b, url), 0);
	buf_addc(&b, '\0');
	cr_assert(strncmp(b.data, "<svg xmlns=\"http://www.w3.org/2000/svg\"",
	    39) == 0);
	/* 67 characters at level M: version 4, 33 modules + 2 * 4 quiet. */
	cr_assert_not_null(strstr(b.data, "viewBox=\"0 0 41 41\""), "%s", b.data);
	cr_assert_not_null(strstr(b.data, "<path fill=\"#000\" d=\"M4 4h1v1h-1z"),
	    "the finder pattern starts inside the quiet zone");
	cr_assert_null(strstr(b.data, "<script"));
	buf_release(&b);
}

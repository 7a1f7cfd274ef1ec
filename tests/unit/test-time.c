/* test-time.c: civil dates, UTC text, Beijing display, and str.h parsing. */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "base/str.h"
#include "base/timeutil.h"

#define DAY_MS	86400000LL

/* Civil dates */

Test(date, epoch_and_known_day_numbers)
{
	cr_assert_eq(date_from_ymd(1970, 1, 1), 0);
	cr_assert_eq(date_from_ymd(1969, 12, 31), -1);
	cr_assert_eq(date_from_ymd(1900, 1, 1), -25567);
	cr_assert_eq(date_from_ymd(2026, 11, 29), 20786);
	cr_assert_eq(date_from_ymd(2200, 12, 31), 84370);
}

Test(date, ymd_round_trip_1900_to_2200)
{
	int64_t	 first = date_from_ymd(1900, 1, 1);
	int64_t	 last = date_from_ymd(2200, 12, 31), z;
	int	 y, m, d, py = 1899, pm = 12, pd = 31;

	for (z = first; z <= last; z++) {
		date_to_ymd(z, &y, &m, &d);
		cr_assert(date_valid(y, m, d), "day %lld gave %d-%d-%d",
		    (long long)z, y, m, d);
		cr_assert_eq(date_from_ymd(y, m, d), z, "%d-%d-%d", y, m, d);
		/* Each day follows the one before. */
		if (d == 1) {
			cr_assert(m == 1 ? (py == y - 1 && pm == 12) :
			    (py == y && pm == m - 1), "%d-%d-%d", y, m, d);
			cr_assert(!date_valid(py, pm, pd + 1) ||
			    py < 1900, "%d-%d-%d skipped", py, pm, pd + 1);
		} else
			cr_assert(py == y && pm == m && pd == d - 1,
			    "%d-%d-%d", y, m, d);
		py = y;
		pm = m;
		pd = d;
	}
	cr_assert_eq(y, 2200);
	cr_assert_eq(m, 12);
	cr_assert_eq(d, 31);
}

Test(date, leap_years)
{
	static const struct {
		int	 y;
		bool	 leap;
	} cases[] = {
		{ 2000, true }, { 1900, false }, { 2100, false },
		{ 2200, false }, { 2024, true }, { 2026, false },
		{ 1904, true }, { 2096, true },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int	 y = cases[i].y;

		cr_assert_eq(date_valid(y, 2, 29), cases[i].leap, "%d", y);
		cr_assert_eq(date_from_ymd(y, 3, 1) - date_from_ymd(y, 2, 28),
		    cases[i].leap ? 2 : 1, "%d", y);
	}
}

Test(date, valid_refuses_out_of_range)
{
	static const int	 bad[][3] = {
		{ 1899, 12, 31 }, { 2201, 1, 1 }, { 2026, 0, 1 },
		{ 2026, 13, 1 }, { 2026, 1, 0 }, { 2026, 1, 32 },
		{ 2026, 4, 31 }, { 2023, 2, 29 }, { 2026, -1, 5 },
	};
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert(!date_valid(bad[i][0], bad[i][1], bad[i][2]),
		    "%d-%d-%d", bad[i][0], bad[i][1], bad[i][2]);
	cr_assert(date_valid(1900, 1, 1));
	cr_assert(date_valid(2200, 12, 31));
}

Test(date, weekday_monday_is_1_sunday_is_7)
{
	static const struct {
		int	 y, m, d, w;
	} cases[] = {
		{ 2026, 11, 29, 7 }, { 2026, 1, 5, 1 }, { 1970, 1, 1, 4 },
		{ 1969, 12, 31, 3 }, { 1900, 1, 1, 1 }, { 2200, 12, 31, 3 },
		{ 2026, 1, 10, 6 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(date_weekday(date_from_ymd(cases[i].y, cases[i].m,
		    cases[i].d)), cases[i].w, "%d-%d-%d", cases[i].y,
		    cases[i].m, cases[i].d);
}

Test(date, parse_accepts_what_users_type)
{
	static const char *const ok[] = {
		"2026-01-05", "2026/1/5", "2026.1.5", "20260105",
		"2026年1月5日", "2026年01月05日", "2026-1-05", "2026/01/05",
		"  2026-01-05", "2026-01-05  ", " 2026年1月5日 ",
		" 20260105 ",
	};
	int64_t			 want = date_from_ymd(2026, 1, 5), got;
	size_t			 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		got = -1;
		cr_assert_eq(date_parse(ok[i], &got), 0, "'%s'", ok[i]);
		cr_assert_eq(got, want, "'%s'", ok[i]);
	}
}

Test(date, parse_refuses_bad_dates_and_junk)
{
	static const char *const bad[] = {
		"2023-02-30", "2026-13-01", "2026-00-10", "2026-01-00",
		"2026-1", "2026", "2026-01-05x", "2026-01-05 x", "x2026-01-05",
		"", "   ", "26-01-05", "2026--01-05", "2026-001-05",
		"2026-01-005", "202601051", "2026010", "20261305",
		"2026-01-05T00:00", "1899-12-31", "2201-01-01", "2026 01 05",
		"２０２６-01-05",
	};
	int64_t			 got = 12345;
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(date_parse(bad[i], &got), -1, "'%s'", bad[i]);
	cr_assert_eq(got, 12345, "a refused date wrote its output");
}

Test(date, iso_format_pads)
{
	char	 out[11];

	date_iso(date_from_ymd(2026, 1, 5), out);
	cr_assert_str_eq(out, "2026-01-05");
	date_iso(date_from_ymd(1900, 12, 31), out);
	cr_assert_str_eq(out, "1900-12-31");
	date_iso(0, out);
	cr_assert_str_eq(out, "1970-01-01");
}

Test(date, cn_format_has_no_leading_zeros)
{
	char	 out[32];

	date_cn(date_from_ymd(2026, 1, 5), out);
	cr_assert_str_eq(out, "2026年1月5日");
	date_cn(date_from_ymd(2026, 11, 29), out);
	cr_assert_str_eq(out, "2026年11月29日");
}

Test(date, iso_output_parses_back)
{
	int64_t	 z, got;
	char	 out[11];

	for (z = date_from_ymd(1900, 1, 1); z <= date_from_ymd(2200, 12, 31);
	    z += 97) {
		date_iso(z, out);
		cr_assert_eq(date_parse(out, &got), 0, "%s", out);
		cr_assert_eq(got, z, "%s", out);
	}
}

/* UTC instants */

Test(time, iso_utc_formats_milliseconds)
{
	static const struct {
		int64_t		 ms;
		const char	*text;
	} cases[] = {
		{ 0, "1970-01-01T00:00:00.000Z" },
		{ 1795969800000LL, "2026-11-29T16:30:00.000Z" },
		{ 951827696789LL, "2000-02-29T12:34:56.789Z" },
		{ -1, "1969-12-31T23:59:59.999Z" },
		{ -2208988800000LL, "1900-01-01T00:00:00.000Z" },
		{ 7289654399999LL, "2200-12-31T23:59:59.999Z" },
	};
	char	 out[TIME_ISO_LEN];
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		time_iso_utc(cases[i].ms, out);
		cr_assert_str_eq(out, cases[i].text);
		cr_assert_eq(strlen(out), 24);
	}
}

Test(time, parse_utc_round_trip)
{
	static const int64_t	 ms[] = {
		0, 1, 999, 1000, -1, -1000, 1795969800000LL, 951827696789LL,
		-2208988800000LL, 7289654399999LL, 1767571200123LL,
	};
	char			 out[TIME_ISO_LEN];
	int64_t			 got;
	size_t			 i;

	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		time_iso_utc(ms[i], out);
		cr_assert_eq(time_parse_utc(out, &got), 0, "%s", out);
		cr_assert_eq(got, ms[i], "%s", out);
	}
}

Test(time, parse_utc_without_milliseconds)
{
	int64_t	 got;

	cr_assert_eq(time_parse_utc("2026-11-29T16:30:00Z", &got), 0);
	cr_assert_eq(got, 1795969800000LL);
}

Test(time, parse_utc_refuses_other_forms)
{
	static const char *const bad[] = {
		"", "2026-11-29", "2026-11-29T16:30:00", "2026-11-29T16:30Z",
		"2026-11-29 16:30:00.000Z", "2026-11-29T16:30:00.000z",
		"2026-11-29T16:30:00.000+08:00", "2026-11-29T16:30:00.000Zx",
		"2026-11-29T16:30:00.00Z", "2026-11-29T16:30:00.0000Z",
		"2026-11-29T24:00:00.000Z", "2026-11-29T23:60:00.000Z",
		"2026-11-29T23:59:60.000Z", "2023-02-29T00:00:00.000Z",
		"2026-13-01T00:00:00.000Z", "1899-12-31T00:00:00.000Z",
		"2026-1-29T16:30:00.000Z ", "2026/11/29T16:30:00.000Z",
		"2026-11-29T16:30:00.+00Z", "+026-11-29T16:30:00.000Z",
		" 2026-11-29T16:30:00.000Z",
	};
	int64_t			 got = 42;
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(time_parse_utc(bad[i], &got), -1, "'%s'", bad[i]);
	cr_assert_eq(got, 42);
}

/* Asia/Shanghai */

Test(time, iso_cn_adds_eight_hours)
{
	char	 out[32];
	int64_t	 ms;

	cr_assert_eq(time_parse_utc("2026-11-29T16:30:00.000Z", &ms), 0);
	time_iso_cn(ms, out);
	cr_assert_str_eq(out, "2026-11-30T00:30:00+08:00");
	time_iso_cn(0, out);
	cr_assert_str_eq(out, "1970-01-01T08:00:00+08:00");
	cr_assert_eq(time_parse_utc("2026-12-31T15:59:59.999Z", &ms), 0);
	time_iso_cn(ms, out);
	cr_assert_str_eq(out, "2026-12-31T23:59:59+08:00");
}

Test(time, show_cn_is_minutes_in_beijing)
{
	char	 out[32];
	int64_t	 ms;

	cr_assert_eq(time_parse_utc("2026-11-29T16:30:45.999Z", &ms), 0);
	time_show_cn(ms, out);
	cr_assert_str_eq(out, "2026-11-30 00:30");
	cr_assert_eq(time_parse_utc("2026-01-04T22:05:00.000Z", &ms), 0);
	time_show_cn(ms, out);
	cr_assert_str_eq(out, "2026-01-05 06:05");
}

/* Now */

/* Beijing's date for "ms", computed independently of date_today_cn. */
static int64_t
cn_day(int64_t ms)
{
	int64_t	 v = ms + 8 * 3600 * 1000LL;

	return v >= 0 ? v / DAY_MS : -((-v + DAY_MS - 1) / DAY_MS);
}

Test(time, today_cn_matches_now)
{
	int64_t	 before, today, after;

	before = cn_day(time_now_ms());
	today = date_today_cn();
	after = cn_day(time_now_ms());
	cr_assert(today == before || today == after);
	cr_assert_gt(today, date_from_ymd(2020, 1, 1));
}

Test(time, now_is_close_to_the_clock)
{
	int64_t	 a = time_now_ms(), b = time_now_ms();

	cr_assert_geq(b, a);
	cr_assert_gt(a, 1577836800000LL);	/* after 2020 */
	cr_assert_lt(b - a, 1000);
}

Test(time, set_offset_shifts_now_and_today)
{
	int64_t	 base, shifted, today, later;

	base = time_now_ms();
	today = date_today_cn();
	time_set_offset_ms(30 * DAY_MS);
	shifted = time_now_ms();
	later = date_today_cn();
	time_set_offset_ms(0);
	cr_assert_geq(shifted - base, 30 * DAY_MS);
	cr_assert_lt(shifted - base, 30 * DAY_MS + 5000);
	cr_assert(later == today + 30 || later == today + 31);
	cr_assert_lt(time_now_ms(), shifted);
}

Test(time, mono_does_not_go_backwards)
{
	int64_t	 a = time_mono_ms(), b = time_mono_ms();

	cr_assert_geq(b, a);
}

/* str.h */

Test(str, to_int64_accepts_whole_numbers_in_range)
{
	static const struct {
		const char	*s;
		int64_t		 min, max, want;
	} cases[] = {
		{ "0", 0, 10, 0 },
		{ "10", 0, 10, 10 },
		{ "-0", 0, 10, 0 },
		{ "-5", -5, 5, -5 },
		{ "007", 0, 10, 7 },
		{ "9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX },
		{ "-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN },
	};
	int64_t		 got;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_eq(str_to_int64(cases[i].s, cases[i].min,
		    cases[i].max, &got), 0, "'%s'", cases[i].s);
		cr_assert_eq(got, cases[i].want, "'%s'", cases[i].s);
	}
}

Test(str, to_int64_refuses_junk_bounds_and_overflow)
{
	static const struct {
		const char	*s;
		int64_t		 min, max;
	} cases[] = {
		{ "", 0, 10 }, { " 5", 0, 10 }, { "5 ", 0, 10 },
		{ "+5", 0, 10 }, { "5x", 0, 10 }, { "x5", 0, 10 },
		{ "0x10", 0, 100 }, { "1e3", 0, 10000 }, { "1.0", 0, 10 },
		{ "-", -10, 10 }, { "--1", -10, 10 }, { "11", 0, 10 },
		{ "-1", 0, 10 }, { "5", 6, 10 },
		{ "9223372036854775808", INT64_MIN, INT64_MAX },
		{ "-9223372036854775809", INT64_MIN, INT64_MAX },
		{ "99999999999999999999999", INT64_MIN, INT64_MAX },
		{ "١٢", 0, 100 },
	};
	int64_t		 got = 77;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(str_to_int64(cases[i].s, cases[i].min,
		    cases[i].max, &got), -1, "'%s'", cases[i].s);
	cr_assert_eq(str_to_int64(NULL, 0, 10, &got), -1);
	cr_assert_eq(got, 77, "a refused number wrote its output");
}

Test(str, to_int64_refuses_any_leading_white_space)
{
	static const char *const bad[] = { "\t5", "\n5", "\r5", "\v5", "\f5" };
	int64_t			 got;
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(str_to_int64(bad[i], 0, 10, &got), -1,
		    "case %zu", i);
}

Test(str, hex_encodes_lower_case)
{
	static const unsigned char	 in[] = { 0x00, 0x01, 0x7f, 0x80, 0xab,
	    0xff };
	char				 out[2 * sizeof(in) + 1];

	str_hex(out, in, sizeof(in));
	cr_assert_str_eq(out, "00017f80abff");
	str_hex(out, in, 0);
	cr_assert_str_eq(out, "");
}

Test(str, unhex_round_trip_and_upper_case)
{
	unsigned char	 in[32], back[32];
	char		 hex[65];
	size_t		 i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 37 + 11);
	str_hex(hex, in, sizeof(in));
	cr_assert_eq(str_unhex(back, sizeof(back), hex), 0);
	cr_assert_eq(memcmp(in, back, sizeof(in)), 0);
	cr_assert_eq(str_unhex(back, 2, "ABcd"), 0);
	cr_assert_eq(back[0], 0xab);
	cr_assert_eq(back[1], 0xcd);
}

Test(str, unhex_refuses_bad_input)
{
	static const char *const bad[] = {
		"abc", "abcdef", "abcg", "ab d", "0x12", "", "ab\n",
	};
	unsigned char		 out[2];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(str_unhex(out, 2, bad[i]), -1, "'%s'", bad[i]);
	cr_assert_eq(str_unhex(out, 0, ""), 0);
}

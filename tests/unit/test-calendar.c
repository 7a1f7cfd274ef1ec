/* test-calendar.c: working days, deadlines and the 2023-2027 holiday table. */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "base/timeutil.h"
#include "matter/calendar.h"

static struct calendar	*cal;

static void
setup(void)
{
	cal = calendar_new(cal_cn_2023_2027, cal_cn_2023_2027_n);
	cr_assert_not_null(cal);
}

static void
teardown(void)
{
	calendar_free(cal);
	cal = NULL;
}

TestSuite(calendar, .init = setup, .fini = teardown);

static int64_t
day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* Deterministic xorshift, so a failure can be replayed. */
static uint64_t	 rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Working days in (from, to], counted one day at a time. */
static int
brute_count(int64_t from, int64_t to)
{
	int64_t	 d;
	int	 k = 0;

	for (d = from + 1; d <= to; d++)
		if (calendar_is_workday(cal, d))
			k++;
	return k;
}

static const char *
iso(int64_t d, char out[11])
{
	date_iso(d, out);
	return out;
}

/* Ordinary weeks */

Test(calendar, ordinary_week)
{
	int64_t	 mon = day(2025, 3, 10), d;

	for (d = mon; d < mon + 7; d++) {
		cr_assert_eq(calendar_is_workday(cal, d), d < mon + 5,
		    "day %d of the week", (int)(d - mon) + 1);
		cr_assert_null(calendar_name(cal, d));
	}
	cr_assert_eq(calendar_add(cal, mon, 5, CAL_WORKDAYS, false), mon + 7);
	cr_assert_eq(calendar_add(cal, mon, 4, CAL_WORKDAYS, false), mon + 4);
	cr_assert_eq(calendar_add(cal, mon, 10, CAL_WORKDAYS, false),
	    mon + 14);
	cr_assert_eq(calendar_count(cal, mon, mon + 7, CAL_WORKDAYS), 5);
	cr_assert_eq(calendar_count(cal, mon, mon + 7, CAL_DAYS), 7);
}

Test(calendar, plain_weekend_rolls_to_monday)
{
	int64_t	 fri = day(2025, 3, 7);

	cr_assert_eq(calendar_add(cal, fri, 1, CAL_DAYS, true), fri + 3);
	cr_assert_eq(calendar_add(cal, fri, 2, CAL_DAYS, true), fri + 3);
	cr_assert_eq(calendar_add(cal, fri, 3, CAL_DAYS, true), fri + 3);
}

/* Working-day deadlines across holidays and 调休 */

Test(calendar, workdays_cross_national_day_2025_and_tiaoxiu_weekends)
{
	/*
	 * 2025: 9月28日 (Sunday) works, 10月1日-8日 rest, 10月11日
	 * (Saturday) works.  From Thursday 25 September the working days
	 * are 26 (1), 28 Sun (2), 29 (3), 30 (4), 10-9 (5), 10-10 (6),
	 * 10-11 Sat (7), 10-13 (8).
	 */
	int64_t	 from = day(2025, 9, 25);

	cr_assert(calendar_is_workday(cal, day(2025, 9, 28)));
	cr_assert(calendar_is_workday(cal, day(2025, 10, 11)));
	cr_assert_eq(calendar_add(cal, from, 1, CAL_WORKDAYS, false),
	    day(2025, 9, 26));
	cr_assert_eq(calendar_add(cal, from, 2, CAL_WORKDAYS, false),
	    day(2025, 9, 28));
	cr_assert_eq(calendar_add(cal, from, 4, CAL_WORKDAYS, false),
	    day(2025, 9, 30));
	cr_assert_eq(calendar_add(cal, from, 5, CAL_WORKDAYS, false),
	    day(2025, 10, 9));
	cr_assert_eq(calendar_add(cal, from, 7, CAL_WORKDAYS, false),
	    day(2025, 10, 11));
	cr_assert_eq(calendar_add(cal, from, 8, CAL_WORKDAYS, false),
	    day(2025, 10, 13));
	cr_assert_eq(calendar_count(cal, from, day(2025, 10, 13),
	    CAL_WORKDAYS), 8);
	cr_assert_eq(calendar_count(cal, day(2025, 9, 30), day(2025, 10, 8),
	    CAL_WORKDAYS), 0);
}

Test(calendar, workdays_cross_spring_festival_2026)
{
	/*
	 * 2026: 2月14日 (Sat) works, 15日-23日 rest, 28日 (Sat) works.
	 * From Friday 13 February: 14 Sat (1), 24 (2), 25, 26, 27 (5),
	 * 28 Sat (6), 3-2 Mon (7).
	 */
	int64_t	 from = day(2026, 2, 13);

	cr_assert_eq(calendar_add(cal, from, 1, CAL_WORKDAYS, false),
	    day(2026, 2, 14));
	cr_assert_eq(calendar_add(cal, from, 2, CAL_WORKDAYS, false),
	    day(2026, 2, 24));
	cr_assert_eq(calendar_add(cal, from, 6, CAL_WORKDAYS, false),
	    day(2026, 2, 28));
	cr_assert_eq(calendar_add(cal, from, 7, CAL_WORKDAYS, false),
	    day(2026, 3, 2));
}

/* Calendar-day deadlines and the roll rule */

Test(calendar, national_day_2026_rolls_to_next_workday)
{
	/* Monday 21 September + 10 days is Thursday 1 October. */
	int64_t	 from = day(2026, 9, 21);

	cr_assert_eq(calendar_add(cal, from, 10, CAL_DAYS, true),
	    day(2026, 10, 8));
	cr_assert_str_eq(calendar_name(cal, day(2026, 10, 1)), "国庆节");
}

Test(calendar, holiday_does_not_roll_without_roll)
{
	int64_t	 from = day(2026, 9, 21);

	cr_assert_eq(calendar_add(cal, from, 10, CAL_DAYS, false),
	    day(2026, 10, 1));
	cr_assert_eq(calendar_add(cal, day(2025, 1, 20), 10, CAL_DAYS, false),
	    day(2025, 1, 30));
	cr_assert_eq(calendar_add(cal, day(2025, 1, 20), 10, CAL_DAYS, true),
	    day(2025, 2, 5));
}

Test(calendar, tiaoxiu_saturday_does_not_roll)
{
	/* 2026-10-10 and 2025-10-11 are Saturdays that work. */
	cr_assert_eq(date_weekday(day(2026, 10, 10)), 6);
	cr_assert_eq(calendar_add(cal, day(2026, 9, 30), 10, CAL_DAYS, true),
	    day(2026, 10, 10));
	cr_assert_eq(date_weekday(day(2025, 10, 11)), 6);
	cr_assert_eq(calendar_add(cal, day(2025, 10, 1), 10, CAL_DAYS, true),
	    day(2025, 10, 11));
	cr_assert_str_eq(calendar_name(cal, day(2026, 10, 10)), "国庆节调休");
}

Test(calendar, zero_returns_from_rolled_only_if_asked)
{
	int64_t	 tue = day(2025, 3, 11), hol = day(2025, 10, 1);

	cr_assert_eq(calendar_add(cal, tue, 0, CAL_DAYS, false), tue);
	cr_assert_eq(calendar_add(cal, tue, 0, CAL_DAYS, true), tue);
	cr_assert_eq(calendar_add(cal, tue, 0, CAL_WORKDAYS, false), tue);
	cr_assert_eq(calendar_add(cal, hol, 0, CAL_DAYS, false), hol);
	cr_assert_eq(calendar_add(cal, hol, 0, CAL_WORKDAYS, false), hol);
	cr_assert_eq(calendar_add(cal, hol, 0, CAL_DAYS, true),
	    day(2025, 10, 9));
	cr_assert_eq(calendar_add(cal, hol, 0, CAL_WORKDAYS, true),
	    day(2025, 10, 9));
}

Test(calendar, one_from_a_friday_in_both_units)
{
	int64_t	 fri = day(2025, 3, 14);

	cr_assert_eq(calendar_add(cal, fri, 1, CAL_DAYS, false), fri + 1);
	cr_assert_eq(calendar_add(cal, fri, 1, CAL_DAYS, true), fri + 3);
	cr_assert_eq(calendar_add(cal, fri, 1, CAL_WORKDAYS, false), fri + 3);
	cr_assert_eq(calendar_add(cal, fri, 1, CAL_WORKDAYS, true), fri + 3);

	/* Friday 24 January 2025: the next working day is Sunday the 26th. */
	fri = day(2025, 1, 24);
	cr_assert_eq(calendar_add(cal, fri, 1, CAL_WORKDAYS, false),
	    day(2025, 1, 26));
	cr_assert_eq(calendar_add(cal, fri, 1, CAL_DAYS, true), fri + 2);
}

Test(calendar, negative_n_counts_as_zero)
{
	int64_t	 fri = day(2025, 3, 14), sat = fri + 1;

	cr_assert_eq(calendar_add(cal, fri, -1, CAL_DAYS, false), fri);
	cr_assert_eq(calendar_add(cal, fri, INT_MIN, CAL_WORKDAYS, false), fri);
	cr_assert_eq(calendar_add(cal, sat, -7, CAL_DAYS, true), fri + 3);
}

Test(calendar, huge_n_is_capped)
{
	int64_t	 from = day(2025, 3, 14), to;

	cr_assert_eq(calendar_add(cal, from, INT_MAX, CAL_DAYS, false),
	    from + CAL_ADD_MAX);
	cr_assert_eq(calendar_add(cal, from, CAL_ADD_MAX + 1, CAL_DAYS, false),
	    from + CAL_ADD_MAX);
	to = calendar_add(cal, from, INT_MAX, CAL_WORKDAYS, false);
	cr_assert_eq(calendar_count(cal, from, to, CAL_WORKDAYS), CAL_ADD_MAX);
	cr_assert(calendar_is_workday(cal, to));
}

Test(calendar, absurd_days_do_not_overflow)
{
	int64_t	 d;

	d = calendar_add(cal, INT64_MAX, CAL_ADD_MAX, CAL_WORKDAYS, true);
	cr_assert_gt(d, 0);
	d = calendar_add(cal, INT64_MIN, 5, CAL_DAYS, true);
	cr_assert_lt(d, 0);
	/* Days are clamped to about 270,000 years either side of 1970. */
	cr_assert_geq(calendar_count(cal, INT64_MIN, INT64_MAX, CAL_DAYS),
	    100000000);
	cr_assert_geq(calendar_count(cal, INT64_MIN, INT64_MAX, CAL_WORKDAYS),
	    50000000);
}

/* calendar_count */

Test(calendar, count_is_zero_unless_to_is_after_from)
{
	int64_t	 d = day(2025, 6, 3);

	cr_assert_eq(calendar_count(cal, d, d, CAL_DAYS), 0);
	cr_assert_eq(calendar_count(cal, d, d, CAL_WORKDAYS), 0);
	cr_assert_eq(calendar_count(cal, d, d - 30, CAL_DAYS), 0);
	cr_assert_eq(calendar_count(cal, d, d - 30, CAL_WORKDAYS), 0);
}

Test(calendar, count_agrees_with_a_day_by_day_walk)
{
	int64_t	 lo = day(2022, 6, 1), from, to;
	int	 i;

	for (i = 0; i < 3000; i++) {
		from = lo + (int64_t)(rng() % 2400);
		to = from + (int64_t)(rng() % 500) - 50;
		cr_assert_eq(calendar_count(cal, from, to, CAL_WORKDAYS),
		    to > from ? brute_count(from, to) : 0,
		    "from %lld to %lld", (long long)from, (long long)to);
	}
}

/*
 * The property tested: for every day "from" (working day or not) and
 * every 0 <= n <= CAL_ADD_MAX, in both units,
 *	calendar_count(from, calendar_add(from, n, unit, false), unit) == n.
 * And its converse for working days: for every working day "to" after
 * "from", calendar_add(from, calendar_count(from, to, CAL_WORKDAYS),
 * CAL_WORKDAYS, false) == to.  (For a rest day "to" the converse gives
 * the last working day before it instead, so it is not claimed.)
 */
Test(calendar, count_inverts_add)
{
	int64_t	 lo = day(2022, 6, 1), from, to;
	int	 i, n, k;
	char	 a[11], b[11];

	for (i = 0; i < 4000; i++) {
		from = lo + (int64_t)(rng() % 2400);
		n = (int)(rng() % 400);
		to = calendar_add(cal, from, n, CAL_WORKDAYS, false);
		cr_assert_eq(calendar_count(cal, from, to, CAL_WORKDAYS), n,
		    "from %s n %d", iso(from, a), n);
		to = calendar_add(cal, from, n, CAL_DAYS, false);
		cr_assert_eq(calendar_count(cal, from, to, CAL_DAYS), n);

		to = from + 1 + (int64_t)(rng() % 400);
		if (!calendar_is_workday(cal, to))
			continue;
		k = calendar_count(cal, from, to, CAL_WORKDAYS);
		cr_assert_eq(calendar_add(cal, from, k, CAL_WORKDAYS, false),
		    to, "from %s to %s", iso(from, a), iso(to, b));
	}
	from = day(2025, 9, 30);
	cr_assert_eq(calendar_count(cal, from,
	    calendar_add(cal, from, CAL_ADD_MAX, CAL_WORKDAYS, false),
	    CAL_WORKDAYS), CAL_ADD_MAX);
}

/* The table */

Test(calendar, table_is_sorted_without_duplicates)
{
	size_t	 i;

	cr_assert_gt(cal_cn_2023_2027_n, 100);
	for (i = 1; i < cal_cn_2023_2027_n; i++)
		cr_assert_lt(cal_cn_2023_2027[i - 1].day,
		    cal_cn_2023_2027[i].day, "row %zu", i);
	cr_assert_eq(cal_cn_2023_2027[0].day, day(2022, 12, 31));
	cr_assert_eq(cal_cn_2023_2027[cal_cn_2023_2027_n - 1].day,
	    day(2027, 10, 9));
}

Test(calendar, every_work_special_is_a_weekend)
{
	size_t	 i;
	char	 a[11];

	for (i = 0; i < cal_cn_2023_2027_n; i++) {
		if (cal_cn_2023_2027[i].kind != CAL_WORK)
			continue;
		cr_assert_geq(date_weekday(cal_cn_2023_2027[i].day), 6,
		    "%s", iso(cal_cn_2023_2027[i].day, a));
		cr_assert_not_null(strstr(cal_cn_2023_2027[i].name, "调休"));
	}
}

Test(calendar, weekday_rest_lies_in_its_holidays_month)
{
	static const struct {
		const char	*name;
		int		 m1, m2;
	} usual[] = {
		{ "元旦", 1, 1 },
		{ "春节", 1, 2 },
		{ "清明节", 4, 4 },
		{ "劳动节", 5, 5 },
		{ "端午节", 5, 6 },
		{ "中秋节", 9, 10 },
		{ "国庆节", 10, 10 },
		{ "中秋节、国庆节", 9, 10 },
	};
	const struct cal_special	*s;
	size_t				 i, k;
	int				 y, m, d;
	char				 a[11];

	for (i = 0; i < cal_cn_2023_2027_n; i++) {
		s = &cal_cn_2023_2027[i];
		cr_assert(s->kind == CAL_REST || s->kind == CAL_WORK);
		if (s->kind != CAL_REST || date_weekday(s->day) > 5)
			continue;
		date_to_ymd(s->day, &y, &m, &d);
		for (k = 0; k < sizeof(usual) / sizeof(usual[0]); k++)
			if (strcmp(usual[k].name, s->name) == 0)
				break;
		cr_assert_lt(k, sizeof(usual) / sizeof(usual[0]),
		    "%s: unknown holiday \"%s\"", iso(s->day, a), s->name);
		cr_assert(m >= usual[k].m1 && m <= usual[k].m2,
		    "%s: %s in month %d", iso(s->day, a), s->name, m);
	}
}

/*
 * A block is a run of consecutive rest rows with one name; it belongs to
 * the year of its last day (2023's 元旦 began on 2022-12-31).
 */
Test(calendar, each_year_has_its_holiday_blocks)
{
	/* 2023 and 2025 merged 中秋节 into 国庆节. */
	static const int	 want[5] = { 6, 7, 6, 7, 7 };
	int			 got[5] = { 0 }, y, m, d;
	size_t			 i;
	const struct cal_special *s, *next;

	for (i = 0; i < cal_cn_2023_2027_n; i++) {
		s = &cal_cn_2023_2027[i];
		if (s->kind != CAL_REST)
			continue;
		next = i + 1 < cal_cn_2023_2027_n ? s + 1 : NULL;
		if (next != NULL && next->kind == CAL_REST &&
		    next->day == s->day + 1 && strcmp(next->name, s->name) == 0)
			continue;
		date_to_ymd(s->day, &y, &m, &d);
		cr_assert(y >= 2023 && y <= 2027, "block ends in %d", y);
		got[y - 2023]++;
	}
	for (y = 0; y < 5; y++)
		cr_assert_eq(got[y], want[y], "%d: %d blocks, want %d",
		    2023 + y, got[y], want[y]);
}

/*
 * Each year the weekday rest days less the 调休 working days are the
 * statutory holidays: 11 days until 2024, 13 from 2025 (春节 and 劳动节
 * one more each).  A typo in a date almost always breaks this.
 */
Test(calendar, each_year_nets_its_statutory_days)
{
	int	 net[5] = { 0 }, y, m, d;
	size_t	 i;

	for (i = 0; i < cal_cn_2023_2027_n; i++) {
		date_to_ymd(cal_cn_2023_2027[i].day, &y, &m, &d);
		if (y < 2023)
			continue;
		if (cal_cn_2023_2027[i].kind == CAL_WORK)
			net[y - 2023]--;
		else if (date_weekday(cal_cn_2023_2027[i].day) <= 5)
			net[y - 2023]++;
	}
	for (y = 2023; y <= 2027; y++)
		cr_assert_eq(net[y - 2023], y < 2025 ? 11 : 13, "%d", y);
}

Test(calendar, notices_spot_checks)
{
	/* 2023: 元旦 Monday 2 January; 春节 work on 28 and 29 January. */
	cr_assert_not(calendar_is_workday(cal, day(2023, 1, 2)));
	cr_assert(calendar_is_workday(cal, day(2023, 1, 28)));
	cr_assert(calendar_is_workday(cal, day(2023, 1, 29)));
	cr_assert(calendar_is_workday(cal, day(2023, 4, 23)));
	cr_assert_not(calendar_is_workday(cal, day(2023, 10, 6)));
	/* 2024: 除夕 9 February was only encouraged, not a holiday. */
	cr_assert(calendar_is_workday(cal, day(2024, 2, 9)));
	cr_assert(calendar_is_workday(cal, day(2024, 2, 4)));
	cr_assert(calendar_is_workday(cal, day(2024, 9, 14)));
	cr_assert_not(calendar_is_workday(cal, day(2024, 6, 10)));
	/* 2025: 除夕 is a holiday from 2025. */
	cr_assert_not(calendar_is_workday(cal, day(2025, 1, 28)));
	cr_assert_str_eq(calendar_name(cal, day(2025, 1, 28)), "春节");
	cr_assert_not(calendar_is_workday(cal, day(2025, 10, 8)));
	cr_assert_str_eq(calendar_name(cal, day(2025, 10, 6)),
	    "中秋节、国庆节");
	/* 2026: 元旦 makes Sunday 4 January work; 春节 is 9 days. */
	cr_assert(calendar_is_workday(cal, day(2026, 1, 4)));
	cr_assert_str_eq(calendar_name(cal, day(2026, 1, 4)), "元旦调休");
	cr_assert_not(calendar_is_workday(cal, day(2026, 2, 23)));
	cr_assert(calendar_is_workday(cal, day(2026, 2, 24)));
	cr_assert(calendar_is_workday(cal, day(2026, 5, 9)));
	cr_assert(calendar_is_workday(cal, day(2026, 9, 20)));
	cr_assert_not(calendar_is_workday(cal, day(2026, 9, 25)));
}

Test(calendar, days_outside_the_table_fall_back_to_weekends)
{
	/* 2022-10-03 and 2028-10-02 are Mondays of 国庆 weeks. */
	cr_assert(calendar_is_workday(cal, day(2022, 10, 3)));
	cr_assert_null(calendar_name(cal, day(2022, 10, 3)));
	cr_assert(calendar_is_workday(cal, day(2028, 10, 2)));
	cr_assert_not(calendar_is_workday(cal, day(2022, 10, 1)));
	cr_assert_not(calendar_is_workday(cal, day(2028, 1, 1)));
	cr_assert_null(calendar_name(cal, day(2028, 1, 1)));
	cr_assert(calendar_is_workday(cal, day(1999, 12, 31)));
	cr_assert_not(calendar_is_workday(cal, day(2100, 1, 2)));
	cr_assert_eq(calendar_add(cal, day(2028, 9, 29), 1, CAL_WORKDAYS,
	    false), day(2028, 10, 2));
}

/* Building a calendar */

Test(calendar, new_sorts_copies_and_keeps_the_last_duplicate)
{
	char			 name[16] = "甲";
	struct cal_special	 rows[] = {
		{ 20003, CAL_REST, "乙" },
		{ 20001, CAL_REST, name },
		{ 20003, CAL_WORK, "丙" },
		{ 20002, CAL_WORK, NULL },
	};
	struct calendar		*c;

	c = calendar_new(rows, 4);
	cr_assert_not_null(c);
	name[0] = 'x';
	rows[0].name = "changed";
	cr_assert_str_eq(calendar_name(c, 20001), "甲");
	cr_assert_str_eq(calendar_name(c, 20002), "");
	cr_assert_str_eq(calendar_name(c, 20003), "丙");
	cr_assert(calendar_is_workday(c, 20003));
	cr_assert_null(calendar_name(c, 20004));
	calendar_free(c);
}

Test(calendar, new_rejects_a_bad_kind)
{
	struct cal_special	 rows[] = {
		{ 20001, (enum cal_kind)7, "x" },
	};

	cr_assert_null(calendar_new(rows, 1));
	cr_assert_null(calendar_new(NULL, 3));
}

Test(calendar, empty_and_null_calendars_rest_on_weekends)
{
	struct calendar	*c = calendar_new(NULL, 0);
	int64_t		 fri = day(2025, 10, 3);

	cr_assert_not_null(c);
	cr_assert(calendar_is_workday(c, fri));
	cr_assert(calendar_is_workday(NULL, fri));
	cr_assert_not(calendar_is_workday(NULL, fri + 1));
	cr_assert_null(calendar_name(NULL, fri));
	cr_assert_eq(calendar_add(c, fri, 1, CAL_WORKDAYS, false), fri + 3);
	cr_assert_eq(calendar_add(NULL, fri, 1, CAL_DAYS, true), fri + 3);
	cr_assert_eq(calendar_count(NULL, fri, fri + 7, CAL_WORKDAYS), 5);
	calendar_free(c);
	calendar_free(NULL);
}

/* test-visit.c: the visit week (Monday to Sunday), the date window, coverage figures. */
#include <stdint.h>

#include <criterion/criterion.h>

#include "base/timeutil.h"
#include "visit/visit.h"

static int64_t
day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

Test(visit, a_week_starts_on_monday)
{
	/* 2026-01-05 is a Monday. */
	cr_assert_eq(date_weekday(day(2026, 1, 5)), 1);
	cr_assert_eq(visit_week_start(day(2026, 1, 5)), day(2026, 1, 5));
	cr_assert_eq(visit_week_start(day(2026, 1, 7)), day(2026, 1, 5));
	cr_assert_eq(visit_week_start(day(2026, 1, 11)), day(2026, 1, 5),
	    "Sunday belongs to the week that began on Monday");
	cr_assert_eq(visit_week_start(day(2026, 1, 12)), day(2026, 1, 12));
}

Test(visit, a_week_ends_on_sunday)
{
	int64_t	 d;

	for (d = day(2026, 1, 5); d < day(2026, 1, 12); d++) {
		cr_assert_eq(visit_week_end(d), day(2026, 1, 11));
		cr_assert_eq(date_weekday(visit_week_end(d)), 7);
	}
}

Test(visit, weeks_cross_months_years_and_leap_days)
{
	/* 2026-01-01 is a Thursday: its week began in 2025. */
	cr_assert_eq(visit_week_start(day(2026, 1, 1)), day(2025, 12, 29));
	cr_assert_eq(visit_week_end(day(2025, 12, 29)), day(2026, 1, 4));
	/* 2024-03-01 is a Friday, after a 29 February. */
	cr_assert_eq(visit_week_start(day(2024, 3, 1)), day(2024, 2, 26));
	cr_assert_eq(visit_week_end(day(2024, 2, 26)), day(2024, 3, 3));
	/* 1970-01-01 (day 0) was a Thursday. */
	cr_assert_eq(visit_week_start(0), -3);
}

Test(visit, a_week_query_names_any_day_of_it)
{
	int64_t	 today = day(2026, 1, 8), m = 0;

	cr_assert_eq(visit_week_parse(NULL, today, &m), 0);
	cr_assert_eq(m, day(2026, 1, 5), "no week: this week");
	m = 0;
	cr_assert_eq(visit_week_parse("", today, &m), 0);
	cr_assert_eq(m, day(2026, 1, 5));
	cr_assert_eq(visit_week_parse("2026/1/11", today, &m), 0);
	cr_assert_eq(m, day(2026, 1, 5));
	cr_assert_eq(visit_week_parse("2025-12-31", today, &m), 0);
	cr_assert_eq(m, day(2025, 12, 29));
	cr_assert_eq(visit_week_parse("2026年1月14日", today, &m), 0);
	cr_assert_eq(m, day(2026, 1, 12));
	m = 42;
	cr_assert_eq(visit_week_parse("next week", today, &m), -1);
	cr_assert_eq(visit_week_parse("2026-02-30", today, &m), -1);
	cr_assert_eq(m, 42, "a refused week leaves the output alone");
}

Test(visit, visits_are_logged_within_the_last_30_days)
{
	int64_t	 today = day(2026, 3, 1);

	cr_assert_eq(visit_day_check(today, today), VISIT_DAY_OK);
	cr_assert_eq(visit_day_check(today + 1, today), VISIT_DAY_FUTURE);
	cr_assert_eq(visit_day_check(today - VISIT_MAX_AGE_DAYS, today),
	    VISIT_DAY_OK, "30 days back is still allowed");
	cr_assert_eq(visit_day_check(today - VISIT_MAX_AGE_DAYS - 1, today),
	    VISIT_DAY_OLD);
	cr_assert_eq(visit_day_check(day(2026, 1, 31), today), VISIT_DAY_OK);
	cr_assert_eq(visit_day_check(day(2026, 1, 29), today), VISIT_DAY_OLD);
}

Test(visit, percent_rounds_down_so_100_means_everyone)
{
	cr_assert_eq(visit_percent(0, 0), 0, "no households: 0, not a division by zero");
	cr_assert_eq(visit_percent(0, 15), 0);
	cr_assert_eq(visit_percent(15, 15), 100);
	cr_assert_eq(visit_percent(14, 15), 93);
	cr_assert_eq(visit_percent(1, 3), 33);
	cr_assert_eq(visit_percent(2, 3), 66);
	cr_assert_eq(visit_percent(299, 300), 99, "one left out is not 100%%");
	cr_assert_eq(visit_percent(7, 3), 100);
	cr_assert_eq(visit_percent(-1, 3), 0);
}

Test(visit, a_cadre_is_below_the_round_under_it_only)
{
	cr_assert(visit_below_round(0, VISIT_ROUND_DEFAULT));
	cr_assert(visit_below_round(9, 10));
	cr_assert_not(visit_below_round(10, 10));
	cr_assert_not(visit_below_round(25, 10));
}

/* test-community.c: months, the nomination deadline, categories (进社区、进农户). */
#include <stdint.h>

#include <criterion/criterion.h>

#include "base/timeutil.h"
#include "community/community.h"

static int64_t
day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

Test(community, a_month_runs_from_its_first_to_its_last_day)
{
	int64_t	 a, b;

	cr_assert_eq(cm_month_parse("2026-11", 0, &a, &b), 0);
	cr_assert_eq(a, day(2026, 11, 1));
	cr_assert_eq(b, day(2026, 11, 30));
	cr_assert_eq(cm_month_parse("2026-12", 0, &a, &b), 0);
	cr_assert_eq(b, day(2026, 12, 31), "December ends the year");
	cr_assert_eq(cm_month_parse("2028-02", 0, &a, &b), 0);
	cr_assert_eq(b, day(2028, 2, 29), "a leap February");
	cr_assert_eq(cm_month_parse("2027-02", 0, &a, &b), 0);
	cr_assert_eq(b, day(2027, 2, 28));
}

Test(community, no_month_means_the_month_of_today)
{
	int64_t	 a, b;

	cr_assert_eq(cm_month_parse(NULL, day(2026, 11, 29), &a, &b), 0);
	cr_assert_eq(a, day(2026, 11, 1));
	cr_assert_eq(cm_month_parse("", day(2027, 1, 1), &a, &b), 0);
	cr_assert_eq(a, day(2027, 1, 1));
	cr_assert_eq(b, day(2027, 1, 31));
}

Test(community, unreadable_months_are_refused)
{
	static const char *const bad[] = { "2026-13", "2026-00", "2026-1",
	    "2026/11", "26-11", "2026-1a", "abcdefg", "1999-01", "2026-11-01",
	    "2026- 1", "2026--1" };
	int64_t	 a, b;
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(cm_month_parse(bad[i], 0, &a, &b), -1, "%s",
		    bad[i]);
}

Test(community, the_month_of_a_day)
{
	char	 m[8];

	cm_month_of(day(2026, 1, 31), m);
	cr_assert_str_eq(m, "2026-01");
	cm_month_of(day(2026, 12, 1), m);
	cr_assert_str_eq(m, "2026-12");
}

Test(community, nominations_close_after_30_november)
{
	cr_assert_eq(mh_deadline(2026), day(2026, 11, 30));
	cr_assert_not(mh_closed(2026, day(2026, 1, 1)));
	cr_assert_not(mh_closed(2026, day(2026, 11, 30)), "open all that day");
	cr_assert(mh_closed(2026, day(2026, 12, 1)));
	cr_assert(mh_closed(2025, day(2026, 6, 1)), "a past year is closed");
	cr_assert_not(mh_closed(2027, day(2026, 12, 31)));
}

Test(community, households_and_persons_are_told_apart)
{
	cr_assert(ca_is_household("unstable"));
	cr_assert(ca_is_household("marginal"));
	cr_assert(ca_is_household("hardship"));
	cr_assert_not(ca_is_household("left_child"));
	cr_assert_not(ca_is_household("disabled"));
	cr_assert_not(ca_is_household(NULL));
	cr_assert_str_eq(cm_label(ca_categories, ca_category_labels,
	    "left_elder"), "留守老人");
	cr_assert_str_eq(cm_label(mh_categories, mh_category_labels, "unity"),
	    "民族团结示范户");
	cr_assert_str_eq(cm_label(ca_ways, ca_way_labels, "nope"), "");
	cr_assert_str_eq(cm_level_labels[2], "不满意");
	cr_assert_str_eq(cm_level_labels[1], "非常不满意");
}

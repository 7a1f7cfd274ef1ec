/* test-roster.c: the duty roster's weeks, principal leaders and flags. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "base/timeutil.h"
#include "petition/roster.h"

static int64_t
day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* A duty row as roster_rows() gives it, reduced to what the rules read. */
static json_t *
row(const char *d, const char *leader, const char *post, bool principal)
{
	return json_pack("{ss ss ss sb}", "day", d, "leader", leader, "post",
	    post, "principal", principal);
}

Test(roster, monday_of_every_day_of_a_week)
{
	int64_t	 mon = day(2026, 11, 30), d;

	for (d = mon; d < mon + 7; d++)
		cr_assert_eq(roster_monday(d), mon, "day %lld", (long long)d);
	cr_assert_eq(roster_monday(mon - 1), mon - 7, "Sunday ends the week");
	cr_assert_eq(roster_monday(mon + 7), mon + 7);
	/* Across a year's end: 2027-01-01 is a Friday. */
	cr_assert_eq(roster_monday(day(2027, 1, 1)), day(2026, 12, 28));
}

Test(roster, weekday_labels)
{
	cr_assert_str_eq(roster_weekday_label(day(2026, 11, 30)), "星期一");
	cr_assert_str_eq(roster_weekday_label(day(2026, 12, 6)), "星期日");
}

Test(roster, week_labels_name_the_year_once_unless_it_changes)
{
	char	 s[64];

	roster_week_label(day(2026, 11, 30), s);
	cr_assert_str_eq(s, "2026年11月30日—12月6日");
	roster_week_label(day(2026, 12, 28), s);
	cr_assert_str_eq(s, "2026年12月28日—2027年1月3日");
}

Test(roster, principal_by_exact_post_title)
{
	cr_assert(roster_principal("党委书记", false));
	cr_assert(roster_principal("乡长", false));
	cr_assert(roster_principal("镇长", false));
	cr_assert(roster_principal("人大主席、党委书记", false), "any post");
	cr_assert_not(roster_principal("党委副书记", false));
	cr_assert_not(roster_principal("副乡长", false));
	cr_assert_not(roster_principal("副乡长、纪委书记", false));
	cr_assert_not(roster_principal("乡长助理", false));
	cr_assert_not(roster_principal("", false));
	cr_assert_not(roster_principal(NULL, false));
}

Test(roster, principal_by_the_leader_role)
{
	cr_assert(roster_principal(NULL, true));
	cr_assert(roster_principal("副乡长", true));
}

Test(roster, form_labels)
{
	cr_assert_str_eq(roster_form_label("visit_duty"), "值班接访");
	cr_assert_str_eq(roster_form_label("classified"), "分类接访");
	cr_assert_str_eq(roster_form_label("appointment"), "重点约访");
	cr_assert_str_eq(roster_form_label("down_visit"), "带案下访");
	cr_assert_str_eq(roster_form_label("visit"), "");
	cr_assert_str_eq(roster_form_label(NULL), "");
}

Test(roster, weeks_group_rows_and_flag_those_without_a_principal)
{
	json_t	*rows = json_array(), *weeks, *w;

	/* Week 1: the secretary on Tuesday.  Week 2: members only. */
	json_array_append_new(rows, row("2026-11-30", "甲", "党委副书记",
	    false));
	json_array_append_new(rows, row("2026-12-01", "乙", "党委书记", true));
	json_array_append_new(rows, row("2026-12-03", "乙", "党委书记", true));
	json_array_append_new(rows, row("2026-12-06", "丙", "乡长", true));
	json_array_append_new(rows, row("2026-12-07", "丁", "副乡长", false));
	json_array_append_new(rows, row("2026-12-11", "甲", "党委副书记",
	    false));
	/* Outside the weeks asked for: left out. */
	json_array_append_new(rows, row("2026-11-29", "丙", "乡长", true));
	json_array_append_new(rows, row("2026-12-21", "乙", "党委书记", true));

	weeks = roster_weeks(rows, day(2026, 12, 2), 3, day(2026, 12, 8));
	cr_assert_not_null(weeks);
	cr_assert_eq(json_array_size(weeks), 3);

	w = json_array_get(weeks, 0);
	cr_assert_str_eq(json_string_value(json_object_get(w, "monday")),
	    "2026-11-30", "a mid-week start begins on its Monday");
	cr_assert_str_eq(json_string_value(json_object_get(w, "sunday")),
	    "2026-12-06");
	cr_assert_eq(json_array_size(json_object_get(w, "items")), 4,
	    "Sunday belongs to the week before Monday");
	cr_assert(json_is_false(json_object_get(w, "flagged")));
	cr_assert(json_is_null(json_object_get(w, "reason")));
	cr_assert_str_eq(json_string_value(json_object_get(w, "principals")),
	    "乙（党委书记）、丙（乡长）", "each leader named once");
	cr_assert(json_is_true(json_object_get(w, "past")));
	cr_assert(json_is_false(json_object_get(w, "current")));

	w = json_array_get(weeks, 1);
	cr_assert_eq(json_array_size(json_object_get(w, "items")), 2);
	cr_assert(json_is_true(json_object_get(w, "flagged")));
	cr_assert_str_eq(json_string_value(json_object_get(w, "reason")),
	    ROSTER_FLAG_REASON);
	cr_assert_str_eq(json_string_value(json_object_get(w, "principals")),
	    "");
	cr_assert(json_is_true(json_object_get(w, "current")));
	cr_assert(json_is_false(json_object_get(w, "past")));

	w = json_array_get(weeks, 2);
	cr_assert_eq(json_array_size(json_object_get(w, "items")), 0);
	cr_assert(json_is_true(json_object_get(w, "flagged")),
	    "an empty week is flagged too");
	cr_assert_str_eq(json_string_value(json_object_get(w, "label")),
	    "2026年12月14日—12月20日");

	json_decref(weeks);
	json_decref(rows);
}

Test(roster, weeks_skip_rows_without_a_valid_day)
{
	json_t	*rows = json_array(), *weeks;

	json_array_append_new(rows, json_pack("{ss sb}", "day", "not a day",
	    "principal", true));
	json_array_append_new(rows, json_pack("{sb}", "principal", true));
	weeks = roster_weeks(rows, day(2026, 11, 30), 1, day(2026, 11, 30));
	cr_assert_not_null(weeks);
	cr_assert_eq(json_array_size(json_object_get(json_array_get(weeks, 0),
	    "items")), 0);
	cr_assert(json_is_true(json_object_get(json_array_get(weeks, 0),
	    "flagged")));
	json_decref(weeks);
	json_decref(rows);
}

Test(roster, no_weeks_asked_gives_an_empty_array)
{
	json_t	*rows = json_array(), *weeks;

	weeks = roster_weeks(rows, day(2026, 11, 30), 0, day(2026, 11, 30));
	cr_assert_not_null(weeks);
	cr_assert_eq(json_array_size(weeks), 0);
	json_decref(weeks);
	json_decref(rows);
}

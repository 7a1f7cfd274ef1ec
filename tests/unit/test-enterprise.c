/* test-enterprise.c: enterprise rules: months, the monthly sample, the list's contact cell, labels. */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "base/str.h"
#include "base/timeutil.h"
#include "enterprise/enterprise.h"

Test(enterprise, a_month_is_its_first_to_last_day)
{
	int64_t	 a, b;
	char	 m[8];

	cr_assert_eq(ent_month_parse("2026-02", &a, &b), 0);
	cr_assert_eq(a, date_from_ymd(2026, 2, 1));
	cr_assert_eq(b, date_from_ymd(2026, 2, 28));
	cr_assert_eq(ent_month_parse("2028-02-17", &a, &b), 0);
	cr_assert_eq(b, date_from_ymd(2028, 2, 29), "a leap February");
	cr_assert_eq(ent_month_parse("2026-12", &a, &b), 0);
	cr_assert_eq(b, date_from_ymd(2026, 12, 31));
	cr_assert_neq(ent_month_parse("2026-13", &a, &b), 0);
	cr_assert_neq(ent_month_parse("", &a, &b), 0);
	cr_assert_neq(ent_month_parse(NULL, &a, &b), 0);
	cr_assert_neq(ent_month_parse("十一月", &a, &b), 0);
	ent_month_of(date_from_ymd(2026, 11, 29), m);
	cr_assert_str_eq(m, "2026-11");
}

Test(enterprise, the_sample_is_deterministic_and_sized)
{
	int64_t	 a[40], b[40], c[40];
	size_t	 i, n, na, nb;

	for (i = 0; i < 40; i++)
		a[i] = b[i] = c[i] = (int64_t)i + 1;
	/* The same month and ids in another order: the same sample. */
	for (i = 0; i < 20; i++) {
		int64_t	 t = b[i];

		b[i] = b[39 - i];
		b[39 - i] = t;
	}
	na = ent_sample("2026-11", a, 40);
	nb = ent_sample("2026-11", b, 40);
	cr_assert_eq(na, 8, "20%% of 40");
	cr_assert_eq(nb, na);
	cr_assert_eq(memcmp(a, b, na * sizeof(a[0])), 0);
	/* Another month draws another order. */
	ent_sample("2026-12", c, 40);
	cr_assert_neq(memcmp(a, c, na * sizeof(a[0])), 0);
	/* At least ENT_SAMPLE_MIN, never more than there are. */
	n = 5;
	cr_assert_eq(ent_sample("2026-11", a, n), 3);
	cr_assert_eq(ent_sample("2026-11", a, 2), 2);
	cr_assert_eq(ent_sample("2026-11", a, 0), 0);
	cr_assert_eq(ent_sample("2026-11", a, 16), 4, "rounded up");
}

Test(enterprise, the_contact_cell_splits_into_name_and_phone)
{
	char		 buf[64];
	const char	*name, *phone;

	ent_contact_split("李四 139 1234 5678", buf, sizeof(buf), &name, &phone);
	cr_assert_str_eq(name, "李四");
	cr_assert_str_eq(phone, "139 1234 5678");
	ent_contact_split("【人员09】13912345678", buf, sizeof(buf), &name,
	    &phone);
	cr_assert_str_eq(name, "【人员09】");
	cr_assert_str_eq(phone, "13912345678");
	ent_contact_split("王五139****5712", buf, sizeof(buf), &name, &phone);
	cr_assert_str_eq(name, "王五");
	cr_assert_str_eq(phone, "139****5712", "a masked number stays whole");
	ent_contact_split("赵六", buf, sizeof(buf), &name, &phone);
	cr_assert_str_eq(name, "赵六");
	cr_assert_str_eq(phone, "");
	ent_contact_split("13900000000", buf, sizeof(buf), &name, &phone);
	cr_assert_str_eq(name, "");
	cr_assert_str_eq(phone, "13900000000");
}

Test(enterprise, kinds_are_guessed_from_the_name)
{
	cr_assert_str_eq(ent_kind_guess("正宁县天兴养殖农民专业合作社"), "coop");
	cr_assert_str_eq(ent_kind_guess("正宁县禄牛养殖家庭农场"), "farm");
	cr_assert_str_eq(ent_kind_guess("子午鑫商贸有限公司南邑分公司"), "company");
	cr_assert_str_eq(ent_kind_guess("悠米蛋糕店"), "shop");
	cr_assert_str_eq(ent_kind_guess("五顷塬回民敬老院"), "other");
}

Test(enterprise, bad_levels_are_fair_or_worse)
{
	cr_assert(ent_level_bad("fair"));
	cr_assert(ent_level_bad("unsatisfied"));
	cr_assert_not(ent_level_bad("basic"));
	cr_assert_not(ent_level_bad("satisfied"));
	cr_assert_not(ent_level_bad(NULL));
	cr_assert_str_eq(ent_label(ent_levels, "fair"), "一般");
	cr_assert_null(ent_label(ent_levels, "good"));
	cr_assert_str_eq(ent_names(ent_visit_kinds)[6], "routine");
	cr_assert_null(ent_names(ent_visit_kinds)[7]);
}

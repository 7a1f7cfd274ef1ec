/* community.c: 进社区、进农户: categories, the rating scale, months, deadlines. */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/timeutil.h"
#include "community/community.h"

const char *const ca_categories[] = { "unstable", "marginal", "hardship",
    "left_child", "left_elder", "disabled", "child_in_need", NULL };
const char *const ca_category_labels[] = { "脱贫不稳定户", "边缘易致贫户",
    "突发严重困难户", "留守儿童", "留守老人", "残疾人", "困境儿童", NULL };
const char *const ca_ways[] = { "visit", "phone", "video", "other", NULL };
const char *const ca_way_labels[] = { "入户走访", "电话联系", "视频联系",
    "其他方式", NULL };
const char *const mh_categories[] = { "courtyard", "family",
    "mother_in_law", "daughter_in_law", "prosperity", "unity", NULL };
const char *const mh_category_labels[] = { "美丽庭院", "文明家庭", "好婆婆",
    "好媳妇", "致富能手", "民族团结示范户", NULL };
const char *const cm_level_labels[6] = { "", "非常不满意", "不满意",
    "基本满意", "满意", "非常满意" };
const char *const cm_levels[] = { "1", "2", "3", "4", "5", NULL };

const char *
cm_label(const char *const *codes, const char *const *labels,
    const char *code)
{
	size_t	 i;

	for (i = 0; codes[i] != NULL; i++)
		if (str_eq(codes[i], code))
			return labels[i];
	return "";
}

bool
ca_is_household(const char *category)
{
	size_t	 i;

	for (i = 0; i < CA_HOUSEHOLD_KINDS; i++)
		if (str_eq(ca_categories[i], category))
			return true;
	return false;
}

int
cm_month_parse(const char *s, int64_t today, int64_t *first, int64_t *last)
{
	int64_t	 y, m;
	int	 yy, mm, dd;
	char	 buf[8];

	if (str_empty(s)) {
		date_to_ymd(today, &yy, &mm, &dd);
		y = yy;
		m = mm;
	} else {
		if (strlen(s) != 7 || s[4] != '-')
			return -1;
		memcpy(buf, s, 4);
		buf[4] = '\0';
		if (str_to_int64(buf, 2000, 2100, &y) != 0)
			return -1;
		if (str_to_int64(s + 5, 1, 12, &m) != 0 || s[5] < '0' ||
		    s[5] > '1')
			return -1;
	}
	*first = date_from_ymd((int)y, (int)m, 1);
	*last = (m == 12 ? date_from_ymd((int)y + 1, 1, 1) :
	    date_from_ymd((int)y, (int)m + 1, 1)) - 1;
	return 0;
}

void
cm_month_of(int64_t day, char out[8])
{
	int	 y, m, d;

	date_to_ymd(day, &y, &m, &d);
	snprintf(out, 8, "%04d-%02d", y, m);
}

int64_t
mh_deadline(int year)
{
	return date_from_ymd(year, MH_DEADLINE_MONTH, MH_DEADLINE_DAY);
}

bool
mh_closed(int year, int64_t today)
{
	return today > mh_deadline(year);
}

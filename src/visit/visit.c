/* visit.c: household visits: the week, the date window, coverage figures. */
#include <stddef.h>

#include "base/timeutil.h"
#include "visit/visit.h"

int64_t
visit_week_start(int64_t day)
{
	return day - (date_weekday(day) - 1);
}

int64_t
visit_week_end(int64_t day)
{
	return visit_week_start(day) + 6;
}

int
visit_week_parse(const char *s, int64_t today, int64_t *monday)
{
	int64_t	 day;

	if (s == NULL || *s == '\0')
		day = today;
	else if (date_parse(s, &day) != 0)
		return -1;
	*monday = visit_week_start(day);
	return 0;
}

enum visit_day
visit_day_check(int64_t day, int64_t today)
{
	if (day > today)
		return VISIT_DAY_FUTURE;
	if (day < today - VISIT_MAX_AGE_DAYS)
		return VISIT_DAY_OLD;
	return VISIT_DAY_OK;
}

int
visit_percent(int64_t part, int64_t total)
{
	if (total <= 0 || part <= 0)
		return 0;
	if (part >= total)
		return 100;
	return (int)(part * 100 / total);
}

bool
visit_below_round(int64_t count, int64_t round)
{
	return count < round;
}

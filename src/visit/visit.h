/* visit.h: household visits: the week, the date window, coverage figures. */
#ifndef XZ_VISIT_H
#define XZ_VISIT_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The plan (领导干部接访下访行动方案, 五): 村组干部对辖区群众每周至少走访1遍.
 * A week runs Monday to Sunday, in Asia/Shanghai days.
 */

/*
 * How far back a visit may be logged.  Visits are written up from notes
 * within days; a month covers a cadre who was away, while an older entry
 * would rewrite coverage figures that were already reported and the
 * Friday ledgers built on them.
 */
#define VISIT_MAX_AGE_DAYS	30
#define VISIT_ROUND_DEFAULT	10	/* households per cadre per week */
#define VISIT_ROUND_MAX		200
#define VISIT_MAX_CADRES	10	/* who went, on one visit */

/* The Monday of the week holding "day" (days since 1970-01-01). */
int64_t	 visit_week_start(int64_t day);
/* The Sunday of that week. */
int64_t	 visit_week_end(int64_t day);

/*
 * The week a query names: NULL or "" is the week of "today", otherwise any
 * day of the week as date_parse() reads it.  0 and *monday, or -1.
 */
int	 visit_week_parse(const char *s, int64_t today, int64_t *monday);

enum visit_day {
	VISIT_DAY_OK,
	VISIT_DAY_FUTURE,	/* after today */
	VISIT_DAY_OLD		/* more than VISIT_MAX_AGE_DAYS ago */
};
/* May a visit on "day" be logged "today"? */
enum visit_day visit_day_check(int64_t day, int64_t today);

/*
 * Whole percent of "part" in "total", rounded down, so 100% means every
 * household and 0 of 0 is 0.
 */
int	 visit_percent(int64_t part, int64_t total);

/* Is a cadre with "count" households this week below the round? */
bool	 visit_below_round(int64_t count, int64_t round);

#endif

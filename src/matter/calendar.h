/* calendar.h: China's working-day calendar and deadline arithmetic. */
#ifndef XZ_CALENDAR_H
#define XZ_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Days are day numbers (days since 1970-01-01, see base/timeutil.h), in
 * Asia/Shanghai.  Saturdays and Sundays rest, Monday to Friday work, except
 * for the special days of the table: public holidays (rest) and the make-up
 * working weekends of 调休 (work).  The table is data (calendar_day rows,
 * amendable by an admin); this module only does arithmetic over it and knows
 * nothing of SQL.
 */
enum cal_kind {
	CAL_REST = 0,	/* a holiday on a weekday, or any day off */
	CAL_WORK = 1	/* a 调休 make-up working day on a weekend */
};

struct cal_special {
	int64_t		 day;
	enum cal_kind	 kind;
	const char	*name;	/* 国庆节, 国庆节调休, ...; borrowed */
};

/*
 * A calendar: the special days, sorted by day.  Built once (from the
 * database) and read by many threads; calendar_new() copies the table,
 * names included, so the caller may free its rows at once.  The copy is
 * never written after calendar_new() returns, so readers need no lock.
 * calendar_new() returns NULL (and logs why) on a "kind" that is neither
 * CAL_REST nor CAL_WORK, or when out of memory; of two rows for the same
 * day the later one wins.  A NULL calendar is read as one with no special
 * days: Saturdays and Sundays rest.
 */
struct calendar;

struct calendar	*calendar_new(const struct cal_special *, size_t n);
void		 calendar_free(struct calendar *);

bool	 calendar_is_workday(const struct calendar *, int64_t day);
/* The special day's name, or NULL for an ordinary day. */
const char *calendar_name(const struct calendar *, int64_t day);

enum cal_unit {
	CAL_DAYS = 0,		/* calendar days */
	CAL_WORKDAYS = 1	/* working days */
};

/*
 * The deadline "n" days after "from", counting from the day after "from"
 * (so n = 1 is the next day).  In CAL_WORKDAYS only working days count,
 * and the result is a working day.  In CAL_DAYS every day counts, and when
 * "roll" is set a deadline that falls on a rest day moves to the next
 * working day (the rule of Chinese procedure law: 期间届满的最后一日是法定
 * 休假日的，以法定休假日后的第一日为期间的最后一日).  n = 0 returns
 * "from" (rolled if asked).
 */
int64_t	 calendar_add(const struct calendar *, int64_t from, int n,
	    enum cal_unit, bool roll);
/*
 * calendar_add() reads n < 0 as 0 and n > CAL_ADD_MAX as CAL_ADD_MAX,
 * so a corrupt duration cannot make a request walk for ever.
 */
#define CAL_ADD_MAX	3650

/*
 * How many counted days lie after "from" up to and including "to" (0 if
 * to <= from): the inverse of calendar_add without roll.  Used to carry the
 * remaining time of a paused deadline over to the day it resumes.
 */
int	 calendar_count(const struct calendar *, int64_t from, int64_t to,
	    enum cal_unit);

/*
 * The official special days for 2023-2027 (国务院办公厅 notices), for the
 * initial migration and for tests: a static table, sorted by day.
 */
extern const struct cal_special	cal_cn_2023_2027[];
extern const size_t		cal_cn_2023_2027_n;

#endif

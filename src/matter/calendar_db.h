/* calendar_db.h: the holiday calendar's rows: special days and each year's status. */
#ifndef XZ_CALENDAR_DB_H
#define XZ_CALENDAR_DB_H

#include <stdint.h>

#include <jansson.h>

#include "db/sqltab.h"

struct db;
struct arena;

/*
 * The rows behind the working-day calendar (calendar.h): calendar_day
 * (a special day: 'rest' or 'work', with a name) and calendar_year
 * (whether a year's rows are the official arrangement or a provisional
 * guess).  The table is the same for every township on the server.
 * Days are 'YYYY-MM-DD'.  Writers run inside the caller's transaction,
 * which also writes the audit record.
 */

/* The special days of "year": [{day, kind, name}], or NULL (*rc < 0). */
json_t	*calendar_db_year(struct db *, int year, int *rc);

/*
 * One special day: DB_OK with *kind and *name (in "a"), DB_DONE when the
 * day is an ordinary one, or < 0.
 */
int	 calendar_db_get(struct db *, const char *day, struct arena *a,
	    const char **kind, const char **name);
/* Add or change one day. */
int	 calendar_db_put(struct db *, const char *day, const char *kind,
	    const char *name);
/* Remove one day: DB_OK, DB_DONE if it was not there, or < 0. */
int	 calendar_db_delete(struct db *, const char *day);

/*
 * Every year that has special days or a status, oldest first:
 * [{year, days, status}] with status "official", "provisional" or ""
 * (none recorded).  NULL on failure (*rc < 0).
 */
json_t	*calendar_db_years(struct db *, int *rc);
/* A year's status and source: DB_OK, DB_DONE when none is recorded. */
int	 calendar_db_year_status(struct db *, int year, struct arena *a,
	    const char **status, const char **source);
/* Record a year's status and its source (the notice's number). */
int	 calendar_db_year_put(struct db *, int year, const char *status,
	    const char *source, int64_t now);

extern const struct db_sqltab calendar_sqltab;

#endif

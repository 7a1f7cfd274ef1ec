/* calendar_db.c: the holiday calendar's rows: special days and each year's status. */
#include <stdio.h>

#include "base/arena.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/dbjson.h"
#include "matter/calendar_db.h"

enum calendar_sql {
	CAL_SQL_YEAR,
	CAL_SQL_GET,
	CAL_SQL_PUT,
	CAL_SQL_DELETE,
	CAL_SQL_YEARS,
	CAL_SQL_YEAR_STATUS,
	CAL_SQL_YEAR_PUT,
	CAL_SQL__MAX
};

static const char *const calendar_sql[CAL_SQL__MAX] = {
	[CAL_SQL_YEAR] =
	    "SELECT day, kind, name FROM calendar_day"
	    " WHERE day BETWEEN ?1 AND ?2 ORDER BY day",
	[CAL_SQL_GET] =
	    "SELECT kind, name FROM calendar_day WHERE day = ?1",
	[CAL_SQL_PUT] =
	    "INSERT INTO calendar_day (day, kind, name) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (day) DO UPDATE SET kind = excluded.kind,"
	    " name = excluded.name",
	[CAL_SQL_DELETE] =
	    "DELETE FROM calendar_day WHERE day = ?1",
	[CAL_SQL_YEARS] =
	    "SELECT y, sum(n), max(status) FROM"
	    " (SELECT CAST(substr(day, 1, 4) AS INTEGER) AS y, 1 AS n,"
	    "  '' AS status FROM calendar_day"
	    "  UNION ALL SELECT year, 0, status FROM calendar_year)"
	    " GROUP BY y ORDER BY y",
	[CAL_SQL_YEAR_STATUS] =
	    "SELECT status, source FROM calendar_year WHERE year = ?1",
	[CAL_SQL_YEAR_PUT] =
	    "INSERT INTO calendar_year (year, status, source, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (year) DO UPDATE SET"
	    " status = excluded.status, source = excluded.source,"
	    " updated_at = excluded.updated_at",
};

const struct db_sqltab calendar_sqltab = { "calendar", calendar_sql,
    CAL_SQL__MAX };

static struct db_stmt *
stmt(struct db *db, enum calendar_sql id)
{
	return db_stmt(db, DBM_CALENDAR, id);
}

json_t *
calendar_db_year(struct db *db, int year, int *rc)
{
	struct db_stmt	*st = stmt(db, CAL_SQL_YEAR);
	json_t		*a = json_array();
	char		 from[16], to[16];
	int		 r;

	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(a, json_pack("{so so so}",
		    "day", db_json_text(st, 0),
		    "kind", db_json_text(st, 1),
		    "name", db_json_text(st, 2)));
	return db_json_finish(st, r, a, rc);
}

int
calendar_db_get(struct db *db, const char *day, struct arena *a,
    const char **kind, const char **name)
{
	struct db_stmt	*st = stmt(db, CAL_SQL_GET);
	int		 rc;

	db_bind_text(st, 1, day);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*kind = arena_strdup(a, db_col_text(st, 0));
		*name = arena_strdup(a, db_col_text(st, 1));
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW ? DB_OK : DB_DONE;
}

int
calendar_db_put(struct db *db, const char *day, const char *kind,
    const char *name)
{
	struct db_stmt	*st = stmt(db, CAL_SQL_PUT);

	db_bind_text(st, 1, day);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, name);
	return db_exec(st);
}

int
calendar_db_delete(struct db *db, const char *day)
{
	struct db_stmt	*st = stmt(db, CAL_SQL_DELETE);
	int		 rc;

	db_bind_text(st, 1, day);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

json_t *
calendar_db_years(struct db *db, int *rc)
{
	struct db_stmt	*st = stmt(db, CAL_SQL_YEARS);
	json_t		*a = json_array();
	int		 r;

	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(a, json_pack("{so so so}",
		    "year", db_json_int(st, 0),
		    "days", db_json_int(st, 1),
		    "status", db_json_text(st, 2)));
	return db_json_finish(st, r, a, rc);
}

int
calendar_db_year_status(struct db *db, int year, struct arena *a,
    const char **status, const char **source)
{
	struct db_stmt	*st = stmt(db, CAL_SQL_YEAR_STATUS);
	int		 rc;

	db_bind_int64(st, 1, year);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*status = arena_strdup(a, db_col_text(st, 0));
		*source = arena_strdup(a, db_col_text(st, 1));
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW ? DB_OK : DB_DONE;
}

int
calendar_db_year_put(struct db *db, int year, const char *status,
    const char *source, int64_t now)
{
	struct db_stmt	*st = stmt(db, CAL_SQL_YEAR_PUT);
	char		 at[TIME_ISO_LEN];

	time_iso_utc(now, at);
	db_bind_int64(st, 1, year);
	db_bind_text(st, 2, status);
	db_bind_text(st, 3, source);
	db_bind_text(st, 4, at);
	return db_exec(st);
}

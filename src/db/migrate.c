/* migrate.c: apply embedded migrations and record them in schema_migrations. */
#include <stdlib.h>
#include <string.h>

#include "base/embedded.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/migrate.h"

#define DIALECT_DIR	"sql/sqlite/"

enum migrate_sql { MIGRATE_SQL_APPLIED, MIGRATE_SQL_RECORD, MIGRATE_SQL__MAX };

static const char *const migrate_sql[MIGRATE_SQL__MAX] = {
	[MIGRATE_SQL_APPLIED] =
	    "SELECT 1 FROM schema_migrations WHERE version = ?1",
	[MIGRATE_SQL_RECORD] =
	    "INSERT INTO schema_migrations (version, name, applied_at)"
	    " VALUES (?1, ?2, ?3)",
};

const struct db_sqltab migrate_sqltab = { "migrate", migrate_sql,
    MIGRATE_SQL__MAX };

static const char *const bootstrap =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL"
    ") STRICT;";

/* Version number from "sql/sqlite/0001-init.sql", or -1. */
static int
file_version(const char *name)
{
	const char	*base;
	int		 v = 0, i;

	if (!str_has_prefix(name, DIALECT_DIR))
		return -1;
	base = name + strlen(DIALECT_DIR);
	for (i = 0; i < 4; i++) {
		if (base[i] < '0' || base[i] > '9')
			return -1;
		v = v * 10 + (base[i] - '0');
	}
	if (base[4] != '-' || strlen(base) < 9 ||
	    strcmp(base + strlen(base) - 4, ".sql") != 0)
		return -1;
	return v;
}

int
migrate_latest(void)
{
	size_t	 i;
	int	 v, max = 0;

	for (i = 0; i < embedded_nfiles; i++) {
		v = file_version(embedded_files[i].name);
		if (v > max)
			max = v;
	}
	return max;
}

int
migrate_count(void)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < embedded_nfiles; i++)
		if (file_version(embedded_files[i].name) > 0)
			n++;
	return n;
}

static int
applied(struct db *db, int version)
{
	struct db_stmt	*st;
	int		 rc;

	st = db_stmt(db, DBM_MIGRATE, MIGRATE_SQL_APPLIED);
	db_bind_int64(st, 1, version);
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return -1;
	return rc == DB_ROW;
}

/*
 * The migration numbered "v", or NULL.  Numbers are handed out to branches
 * before they merge, so one may be missing for a while.
 */
static const struct embedded *
migration(int v)
{
	size_t	 i;

	for (i = 0; i < embedded_nfiles; i++)
		if (file_version(embedded_files[i].name) == v)
			return &embedded_files[i];
	return NULL;
}

int
migrate_version(struct db *db)
{
	int	 v, latest = migrate_latest(), found = 0;

	if (db_exec_script(db, bootstrap) != DB_OK)
		return -1;
	/* Up to the first migration this binary holds that is not applied. */
	for (v = 1; v <= latest; v++) {
		int	 a;

		if (migration(v) == NULL)
			continue;
		if ((a = applied(db, v)) < 0)
			return -1;
		if (!a)
			break;
		found = v;
	}
	return found;
}

int
migrate_up(struct db *db)
{
	const struct embedded	*e;
	struct db_stmt		*st;
	char			 now[TIME_ISO_LEN];
	int			 v, latest, count = 0, a, rc;
	size_t			 i, j;

	/* Two branches may take one number: never pick one of them. */
	for (i = 0; i < embedded_nfiles; i++)
		for (j = i + 1; j < embedded_nfiles; j++)
			if (file_version(embedded_files[i].name) > 0 &&
			    file_version(embedded_files[i].name) ==
			    file_version(embedded_files[j].name))
				return error("two migrations are numbered %04d",
				    file_version(embedded_files[i].name));
	if (db_exec_script(db, bootstrap) != DB_OK)
		return -1;
	latest = migrate_latest();
	for (v = 1; v <= latest; v++) {
		if ((a = applied(db, v)) < 0)
			return -1;
		if (a)
			continue;
		if ((e = migration(v)) == NULL)
			continue;
		if (db_begin(db) != DB_OK)
			return -1;
		rc = db_exec_script(db, (const char *)e->data);
		if (rc == DB_OK) {
			time_iso_utc(time_now_ms(), now);
			st = db_stmt(db, DBM_MIGRATE, MIGRATE_SQL_RECORD);
			db_bind_int64(st, 1, v);
			db_bind_text(st, 2, e->name + strlen(DIALECT_DIR));
			db_bind_text(st, 3, now);
			rc = db_exec(st);
		}
		if (db_end(db, rc) != 0)
			return error("migration '%s' failed", e->name);
		log_info("applied migration %s", e->name);
		count++;
	}
	return count;
}

/* sqltab.h: the registry of every module's fixed SQL statements. */
#ifndef XZ_SQLTAB_H
#define XZ_SQLTAB_H

#include <stddef.h>

/*
 * Each module keeps its statements in one array of string literals indexed
 * by its own enum (sqlbox), and registers the array here.  No SQL text is
 * built at run time.
 */
enum db_module {
	DBM_MIGRATE,
	DBM_AUTH,
	DBM_AUDIT,
	DBM_ORG,
	DBM_SETTING,
	DBM_ACCOUNT,
	DBM_MATTER,
	DBM_ROSTER,
	DBM_CALENDAR,
	DBM_WEEKLY,
	DBM_VISIT,
	DBM_ENTERPRISE,
	DBM_COMMUNITY,
	DBM_RATING,
	DBM_WINDOW,
	DBM__MAX
};

struct db_sqltab {
	const char		*module;
	const char *const	*sql;
	size_t			 n;
};

extern const struct db_sqltab *const db_sqltabs[DBM__MAX];

#endif

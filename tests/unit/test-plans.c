/* test-plans.c: the ledger's statements read through their indexes (query plans). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sqlite3.h>

#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "db/fts_cjk.h"
#include "db/migrate.h"
#include "db/sqltab.h"
#include "matter/matter_db.h"

/*
 * What bench/ledger measured on a county of a million matters holds only
 * while the plans stay as they are: a plan that falls back to reading a
 * whole table is slow there and nowhere else, so these tests read the
 * plans themselves.  The plans are those of an empty database without
 * statistics, as a new server has (ANALYZE is never run).
 */

static char		 dir[64];
static char		 path[PATH_MAX];
static sqlite3		*h;

static void
setup(void)
{
	struct db	*db;

	log_set_quiet(1);
	snprintf(dir, sizeof(dir), "/tmp/xz-plans-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/test.db", dir);
	db = db_open(path, DB_OPEN_CREATE);
	cr_assert_not_null(db);
	cr_assert_eq(migrate_up(db), migrate_count());	/* numbers may have gaps */
	db_close(db);
	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	cr_assert_eq(fts_cjk_register(h), 0);
}

static void
teardown(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char			 f[PATH_MAX + 8];
	size_t			 i;

	sqlite3_close(h);
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(f, sizeof(f), "%s%s", path, suffix[i]);
		unlink(f);
	}
	rmdir(dir);
}

TestSuite(plans, .init = setup, .fini = teardown);

/* The plan of "sql", one step a line ("SEARCH m USING INDEX ..."). */
static void
plan(const char *sql, struct buf *out)
{
	sqlite3_stmt	*st;
	struct buf	 q = BUF_INIT;

	buf_addf(&q, "EXPLAIN QUERY PLAN %s", sql);
	cr_assert_eq(sqlite3_prepare_v2(h, q.data, -1, &st, NULL), SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(h));
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_addf(out, "%s\n", (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	buf_release(&q);
}

/*
 * Check the plan of every ledger statement whose SQL contains "needle" and
 * not "except" (may be NULL); returns how many there were.
 */
static size_t
each_with(const char *needle, const char *except,
    void (*check)(const char *, const char *))
{
	struct buf	 p;
	size_t		 i, n = 0;

	for (i = 0; i < matter_sqltab.n; i++) {
		if (strstr(matter_sqltab.sql[i], needle) == NULL ||
		    (except != NULL && strstr(matter_sqltab.sql[i], except)))
			continue;
		p = (struct buf)BUF_INIT;
		plan(matter_sqltab.sql[i], &p);
		check(matter_sqltab.sql[i], p.data);
		buf_release(&p);
		n++;
	}
	return n;
}

static void
no_matter_scan(const char *sql, const char *p)
{
	cr_expect_null(strstr(p, "SCAN m\n"), "reads every matter:\n%s\n%s",
	    sql, p);
	cr_expect_null(strstr(p, "SCAN m USING"), "reads every matter:\n%s\n%s",
	    sql, p);
	cr_expect_null(strstr(p, "SCAN matter\n"),
	    "reads every matter:\n%s\n%s", sql, p);
	cr_expect_null(strstr(p, "SCAN matter USING"),
	    "reads every matter:\n%s\n%s", sql, p);
}

Test(plans, no_ledger_statement_reads_every_matter)
{
	cr_assert_gt(each_with("matter", NULL, no_matter_scan), 10);
}

static void
open_index(const char *sql, const char *p)
{
	cr_expect_not_null(strstr(p, "INDEX matter_open"),
	    "open matters not read through matter_open:\n%s\n%s", sql, p);
	cr_expect_null(strstr(p, "TEMP B-TREE"), "sorts:\n%s\n%s", sql, p);
}

Test(plans, open_filters_read_only_open_matters)
{
	cr_assert_geq(each_with("m.closed_at IS NULL AND m.id < ?12", NULL,
	    open_index), 1);
}

static void
fts_first(const char *sql, const char *p)
{
	cr_expect(strncmp(p, "SCAN f VIRTUAL TABLE", 20) == 0,
	    "the search index is not read first:\n%s\n%s", sql, p);
	cr_expect_null(strstr(p, "TEMP B-TREE"),
	    "the matches are sorted, not read newest first:\n%s\n%s", sql, p);
	cr_expect_not_null(strstr(p, "SEARCH m USING INTEGER PRIMARY KEY"),
	    "each match is not read by its id:\n%s\n%s", sql, p);
	cr_expect_not_null(strstr(p,
	    "SEARCH t USING COVERING INDEX matter_township (township_id=? AND"
	    " id=?"), "the township is not asked of its index:\n%s\n%s", sql,
	    p);
}

Test(plans, township_search_reads_the_index_newest_first)
{
	cr_assert_geq(each_with("FROM matter_fts f", NULL, fts_first), 1);
}

static void
township_index(const char *sql, const char *p)
{
	cr_expect_not_null(strstr(p, "INDEX matter_township (township_id=?"),
	    "the township's matters not read newest first:\n%s\n%s", sql, p);
	cr_expect_null(strstr(p, "TEMP B-TREE"), "sorts:\n%s\n%s", sql, p);
}

Test(plans, plain_list_reads_the_township_newest_first)
{
	/* The list and the export without an open filter or a search. */
	cr_assert_geq(each_with(" AND m.id < ?12 ORDER BY m.id DESC",
	    "m.closed_at IS NULL AND m.id", township_index), 2);
}

/* test-weekly.c: reporting weeks, the township report, frozen submissions. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>

#include "audit/audit.h"
#include "auth/secret.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/sqltab.h"
#include "petition/weekly_db.h"

static char		 dir[64];
static char		 path[PATH_MAX];
static struct db	*db;
static unsigned char	 key[32];

static const struct audit_actor	 actor = {
	.account_id = 0,
	.township_id = 1,
	.login = "tester",
	.role = "village",
	.addr = "192.0.2.1",
	.request_id = "req-weekly",
};

/* 2026-11-23 is a Monday; its deadline is Friday 2026-11-27 12:00 +08:00. */
#define MONDAY		"2026-11-23"
#define DEADLINE	"2026-11-27T04:00:00.000Z"

static int64_t
ms(const char *utc)
{
	int64_t	 t;

	cr_assert_eq(time_parse_utc(utc, &t), 0, "bad time %s", utc);
	return t;
}

static int64_t
day(const char *iso)
{
	int64_t	 d;

	cr_assert_eq(date_parse(iso, &d), 0);
	return d;
}

/* Run SQL on a second, plain connection. */
static void
raw(const char *sql)
{
	sqlite3	*h;
	char	*err = NULL;

	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	cr_assert_eq(sqlite3_exec(h, sql, NULL, NULL, &err), SQLITE_OK,
	    "%s: %s", sql, err ? err : "?");
	sqlite3_close(h);
}

/* The same, expected to fail (a trigger or constraint refuses it). */
static void
raw_refused(const char *sql)
{
	sqlite3	*h;
	int	 rc;

	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	sqlite3_close(h);
	cr_assert_neq(rc, SQLITE_OK, "should be refused: %s", sql);
}

/*
 * A township with three villages (A, B, C), a station, the centre (which
 * supervises) and a closed unit, and petitions around the week of
 * 2026-11-23, the deadline being 2026-11-27 04:00Z:
 *   1 A + station  opened in the week, open
 *   2 A            opened before, open, due 2026-11-20: overdue
 *   3 B + station  opened before, closed in the week
 *   4 B            closed before the week: not in it
 *   5 (none)       opened in the week, open: township totals only
 *   6 A            opened after the deadline
 *   7 C            closed after the deadline: open at the deadline
 *   8 A            another type
 *   9 other township
 */
static void
fixture(void)
{
	raw("INSERT INTO township (id, name, created_at) VALUES"
	    " (1, '测试乡', '2026-01-01T00:00:00.000Z'),"
	    " (2, '邻乡', '2026-01-01T00:00:00.000Z');"
	    "INSERT INTO village (id, township_id, name, sort) VALUES"
	    " (1, 1, '甲村', 1), (2, 1, '乙村', 2), (3, 1, '丙村', 3),"
	    " (4, 2, '邻村', 1);"
	    "INSERT INTO unit (id, township_id, name, kind, sort, active,"
	    " supervises) VALUES (1, 1, '司法所', 'station', 1, 1, 0),"
	    " (2, 1, '综治中心', 'centre', 2, 1, 1),"
	    " (3, 1, '撤销办', 'office', 3, 0, 0);"
	    "INSERT INTO matter (id, township_id, type, code, title, state,"
	    " village_id, unit_id, opened_at, closed_at, due_on, updated_at)"
	    " VALUES"
	    " (1, 1, 'petition', 'XF-2026-0001', '一', 'registered', 1, 1,"
	    "  '2026-11-24T01:00:00.000Z', NULL, '2026-12-09',"
	    "  '2026-11-24T01:00:00.000Z'),"
	    " (2, 1, 'petition', 'XF-2026-0002', '二', 'accepted', 1, NULL,"
	    "  '2026-11-01T01:00:00.000Z', NULL, '2026-11-20',"
	    "  '2026-11-01T01:00:00.000Z'),"
	    " (3, 1, 'petition', 'XF-2026-0003', '三', 'closed', 2, 1,"
	    "  '2026-11-10T01:00:00.000Z', '2026-11-25T01:00:00.000Z', NULL,"
	    "  '2026-11-25T01:00:00.000Z'),"
	    " (4, 1, 'petition', 'XF-2026-0004', '四', 'closed', 2, NULL,"
	    "  '2026-10-01T01:00:00.000Z', '2026-11-01T01:00:00.000Z', NULL,"
	    "  '2026-11-01T01:00:00.000Z'),"
	    " (5, 1, 'petition', 'XF-2026-0005', '五', 'registered', NULL,"
	    "  NULL, '2026-11-26T01:00:00.000Z', NULL, NULL,"
	    "  '2026-11-26T01:00:00.000Z'),"
	    " (6, 1, 'petition', 'XF-2026-0006', '六', 'registered', 1, NULL,"
	    "  '2026-11-28T01:00:00.000Z', NULL, '2026-12-12',"
	    "  '2026-11-28T01:00:00.000Z'),"
	    " (7, 1, 'petition', 'XF-2026-0007', '七', 'closed', 3, NULL,"
	    "  '2026-11-02T01:00:00.000Z', '2026-11-28T01:00:00.000Z', NULL,"
	    "  '2026-11-28T01:00:00.000Z'),"
	    " (8, 1, 'task', 'RW-2026-0001', '八', 'open', 1, 1,"
	    "  '2026-11-24T01:00:00.000Z', NULL, '2026-11-20',"
	    "  '2026-11-24T01:00:00.000Z'),"
	    " (9, 2, 'petition', 'XF-2026-0001', '九', 'registered', 4, NULL,"
	    "  '2026-11-24T01:00:00.000Z', NULL, '2026-11-20',"
	    "  '2026-11-24T01:00:00.000Z');");
}

static void
setup(void)
{
	log_set_quiet(1);
	cr_assert_geq(sodium_init(), 0);
	memset(key, 0x5a, sizeof(key));
	secret_use_key(key);
	snprintf(dir, sizeof(dir), "/tmp/xz-weekly-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/test.db", dir);
	db = db_open(path, DB_OPEN_CREATE);
	cr_assert_not_null(db);
	cr_assert_eq(migrate_up(db), migrate_count());
	fixture();
}

static void
teardown(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char			 f[PATH_MAX + 16];
	size_t			 i;

	db_close(db);
	db = NULL;
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(f, sizeof(f), "%s%s", path, suffix[i]);
		unlink(f);
	}
	rmdir(dir);
}

TestSuite(weekly, .init = setup, .fini = teardown);

/* Weeks */

Test(weekly, monday_of_any_day_of_the_week)
{
	cr_assert_eq(weekly_monday(day("2026-11-23")), day("2026-11-23"));
	cr_assert_eq(weekly_monday(day("2026-11-27")), day("2026-11-23"));
	cr_assert_eq(weekly_monday(day("2026-11-29")), day("2026-11-23"));
	cr_assert_eq(weekly_monday(day("2026-11-30")), day("2026-11-30"));
	cr_assert_eq(weekly_monday(day("2027-01-01")), day("2026-12-28"));
}

Test(weekly, deadline_is_friday_noon_in_shanghai)
{
	struct weekly_week	 wk;

	weekly_week(day(MONDAY), &wk);
	cr_assert_eq(wk.deadline, ms(DEADLINE));
	cr_assert_eq(wk.from, ms("2026-11-20T04:00:00.000Z"));
}

Test(weekly, the_current_week_turns_at_the_deadline)
{
	int64_t	 d = ms(DEADLINE), mon = day(MONDAY);

	/* Monday 00:00 Shanghai is Sunday 16:00 UTC. */
	cr_assert_eq(weekly_current(ms("2026-11-22T16:00:00.000Z")), mon);
	cr_assert_eq(weekly_current(d - 1), mon);
	cr_assert_eq(weekly_current(d), mon + 7);
	/* Saturday and Sunday already prepare the next week. */
	cr_assert_eq(weekly_current(ms("2026-11-28T10:00:00.000Z")), mon + 7);
	cr_assert_eq(weekly_current(ms("2026-11-29T15:59:59.999Z")), mon + 7);
	/* Friday morning before the deadline: still this week. */
	cr_assert_eq(weekly_current(ms("2026-11-27T00:00:00.000Z")), mon);
}

/* The report */

static json_t *
line(json_t *report, const char *kind, int64_t id)
{
	json_t	*l;
	size_t	 i;

	json_array_foreach(json_object_get(report, "submitters"), i, l)
		if (strcmp(json_string_value(json_object_get(l, "kind")),
		    kind) == 0 && json_integer_value(json_object_get(l,
		    "id")) == id)
			return l;
	return NULL;
}

static void
assert_counts(json_t *c, int n, int closed, int open, int overdue,
    const char *who)
{
	cr_assert_not_null(c, "%s", who);
	cr_assert_eq(json_integer_value(json_object_get(c, "new")), n,
	    "%s new", who);
	cr_assert_eq(json_integer_value(json_object_get(c, "closed")), closed,
	    "%s closed", who);
	cr_assert_eq(json_integer_value(json_object_get(c, "open")), open,
	    "%s open", who);
	cr_assert_eq(json_integer_value(json_object_get(c, "overdue")),
	    overdue, "%s overdue", who);
}

static const char *
status(json_t *report, const char *kind, int64_t id)
{
	json_t	*l = line(report, kind, id);

	cr_assert_not_null(l, "no line for %s %lld", kind, (long long)id);
	return json_string_value(json_object_get(l, "status"));
}

Test(weekly, report_counts_the_week_up_to_the_deadline)
{
	json_t	*r;
	int	 rc;

	r = weekly_report(db, 1, day(MONDAY), ms("2026-11-30T00:00:00.000Z"),
	    &rc);
	cr_assert_not_null(r, "rc %d", rc);
	/* Villages, then the active units that do not supervise. */
	cr_assert_eq(json_array_size(json_object_get(r, "submitters")), 4);
	cr_assert_null(line(r, "unit", 2));
	cr_assert_null(line(r, "unit", 3));
	assert_counts(json_object_get(line(r, "village", 1), "counts"),
	    1, 0, 2, 1, "甲村");
	assert_counts(json_object_get(line(r, "village", 2), "counts"),
	    0, 1, 0, 0, "乙村");
	assert_counts(json_object_get(line(r, "village", 3), "counts"),
	    0, 0, 1, 0, "丙村");
	assert_counts(json_object_get(line(r, "unit", 1), "counts"),
	    1, 1, 1, 0, "司法所");
	assert_counts(json_object_get(r, "totals"), 2, 1, 4, 1, "全乡");
	json_decref(r);
}

Test(weekly, report_before_the_deadline_counts_up_to_now)
{
	json_t	*r;
	int	 rc;

	/*
	 * Wednesday 08:00: petition 5 (Thursday) is ahead and 3 and 7 are
	 * still open.
	 */
	r = weekly_report(db, 1, day(MONDAY), ms("2026-11-25T00:00:00.000Z"),
	    &rc);
	cr_assert_not_null(r);
	assert_counts(json_object_get(r, "totals"), 1, 0, 4, 1, "全乡");
	cr_assert_str_eq(status(r, "village", 1), "pending");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(r,
	    "summary"), "pending")), 4);
	json_decref(r);
}

static int64_t
submit(enum weekly_kind kind, int64_t id, const char *at, int *status_out)
{
	struct weekly_in	 in;
	struct weekly_err	 err;
	int64_t			 sid = 0;

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	in.township_id = 1;
	in.who.kind = kind;
	in.who.id = id;
	in.monday = day(MONDAY);
	in.note = "备注";
	in.name = "测试员";
	if (weekly_submit(db, &in, &actor, ms(at), &sid, &err) != 0) {
		cr_assert_not_null(err.message);
		*status_out = err.status;
		return 0;
	}
	*status_out = 0;
	return sid;
}

Test(weekly, statuses_on_time_late_missing)
{
	json_t	*r;
	int	 st, rc;

	cr_assert_gt(submit(WEEKLY_VILLAGE, 1, "2026-11-26T00:00:00.000Z",
	    &st), 0);
	cr_assert_gt(submit(WEEKLY_VILLAGE, 2, "2026-11-28T00:00:00.000Z",
	    &st), 0);
	r = weekly_report(db, 1, day(MONDAY), ms("2026-11-28T01:00:00.000Z"),
	    &rc);
	cr_assert_not_null(r);
	cr_assert_str_eq(status(r, "village", 1), "on_time");
	cr_assert_str_eq(status(r, "village", 2), "late");
	cr_assert_str_eq(status(r, "village", 3), "missing");
	cr_assert_str_eq(status(r, "unit", 1), "missing");
	cr_assert_str_eq(json_string_value(json_object_get(r, "missing_names")),
	    "丙村、司法所");
	cr_assert_str_eq(json_string_value(json_object_get(r, "late_names")),
	    "乙村");
	json_decref(r);
}

/* Submissions */

Test(weekly, a_submission_freezes_the_ledger_rows)
{
	json_t		*s, *rows;
	struct scope	 sc = { 1, 0 };
	int64_t		 id;
	int		 st, rc;

	id = submit(WEEKLY_VILLAGE, 1, "2026-11-26T00:00:00.000Z", &st);
	cr_assert_gt(id, 0, "status %d", st);
	/* Later changes to the matters do not reach the snapshot. */
	raw("UPDATE matter SET title = '改了', state = 'closed',"
	    " closed_at = '2026-11-26T02:00:00.000Z' WHERE id = 1");
	s = weekly_get(db, &sc, id, &rc);
	cr_assert_not_null(s, "rc %d", rc);
	rows = json_object_get(s, "rows");
	cr_assert_eq(json_array_size(rows), 2);
	cr_assert_eq(json_integer_value(json_object_get(s, "row_count")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rows,
	    0), "title")), "一");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rows,
	    0), "state")), "已登记");
	cr_assert(json_is_true(json_object_get(json_array_get(rows, 0),
	    "new")));
	cr_assert(json_is_true(json_object_get(json_array_get(rows, 1),
	    "overdue")));
	cr_assert(json_is_false(json_object_get(s, "late")));
	json_decref(s);
	/* Nor can anyone change it in the database. */
	raw_refused("UPDATE weekly_row SET title = 'x'");
	raw_refused("DELETE FROM weekly_row");
	raw_refused("UPDATE weekly_submission SET note = 'x'");
	raw_refused("UPDATE weekly_submission SET late = 1");
	raw_refused("DELETE FROM weekly_submission");
}

Test(weekly, the_unit_ledger_holds_its_own_petitions)
{
	json_t	*rows;
	int	 rc;
	struct weekly_submitter	 u = { WEEKLY_UNIT, 1 };

	rows = weekly_preview(db, 1, &u, day(MONDAY),
	    ms("2026-11-26T00:00:00.000Z"), &rc);
	cr_assert_not_null(rows);
	cr_assert_eq(json_array_size(rows), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rows,
	    0), "code")), "XF-2026-0001");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rows,
	    1), "code")), "XF-2026-0003");
	cr_assert(json_is_true(json_object_get(json_array_get(rows, 1),
	    "closed")));
	json_decref(rows);
}

Test(weekly, resubmitting_before_the_deadline_replaces_and_keeps_history)
{
	json_t		*s;
	struct scope	 sc = { 1, 0 };
	int64_t		 a, b;
	int		 st, rc;

	a = submit(WEEKLY_VILLAGE, 1, "2026-11-25T00:00:00.000Z", &st);
	b = submit(WEEKLY_VILLAGE, 1, "2026-11-26T00:00:00.000Z", &st);
	cr_assert_gt(a, 0);
	cr_assert_gt(b, a);
	s = weekly_get(db, &sc, a, &rc);
	cr_assert_not_null(s);
	cr_assert_eq(json_integer_value(json_object_get(s, "replaced_by")), b);
	cr_assert_eq(json_array_size(json_object_get(s, "history")), 2);
	json_decref(s);
	/* A replaced one stays replaced. */
	raw_refused("UPDATE weekly_submission SET replaced_by = NULL"
	    " WHERE replaced_by IS NOT NULL");
	/* After the deadline the week's submission is final. */
	cr_assert_eq(submit(WEEKLY_VILLAGE, 1, "2026-11-27T04:00:00.000Z",
	    &st), 0);
	cr_assert_eq(st, 409);
}

Test(weekly, late_submission_is_allowed_and_flagged)
{
	json_t		*s;
	struct scope	 sc = { 1, 0 };
	int64_t		 id;
	int		 st, rc;

	id = submit(WEEKLY_VILLAGE, 3, "2026-11-27T04:00:00.000Z", &st);
	cr_assert_gt(id, 0);
	s = weekly_get(db, &sc, id, &rc);
	cr_assert(json_is_true(json_object_get(s, "late")));
	json_decref(s);
}

Test(weekly, refusals)
{
	int	 st;

	/* A week not begun yet. */
	cr_assert_eq(submit(WEEKLY_VILLAGE, 1, "2026-11-16T00:00:00.000Z",
	    &st), 0);
	cr_assert_eq(st, 422);
	/* Not a submitter: another township's village, the centre. */
	cr_assert_eq(submit(WEEKLY_VILLAGE, 4, "2026-11-26T00:00:00.000Z",
	    &st), 0);
	cr_assert_eq(st, 404);
	cr_assert_eq(submit(WEEKLY_UNIT, 2, "2026-11-26T00:00:00.000Z",
	    &st), 0);
	cr_assert_eq(st, 404);
	cr_assert_eq(submit(WEEKLY_UNIT, 3, "2026-11-26T00:00:00.000Z",
	    &st), 0);
	cr_assert_eq(st, 404);
}

Test(weekly, a_village_scope_sees_only_its_submissions)
{
	struct scope	 own = { 1, 1 }, other = { 1, 2 }, township2 = { 2, 0 };
	int64_t		 id;
	json_t		*s;
	int		 st, rc;

	id = submit(WEEKLY_VILLAGE, 1, "2026-11-26T00:00:00.000Z", &st);
	s = weekly_get(db, &own, id, &rc);
	cr_assert_not_null(s);
	json_decref(s);
	cr_assert_null(weekly_get(db, &other, id, &rc));
	cr_assert_eq(rc, DB_DONE);
	cr_assert_null(weekly_get(db, &township2, id, &rc));
	cr_assert_eq(rc, DB_DONE);
}

/* Query plans: the report reads an index, never the matter table. */

static const char *
sql_with(const char *needle)
{
	const struct db_sqltab	*t = db_sqltabs[DBM_WEEKLY];
	size_t			 i;

	for (i = 0; i < t->n; i++)
		if (strstr(t->sql[i], needle) != NULL)
			return t->sql[i];
	cr_assert_fail("no weekly statement has '%s'", needle);
	return NULL;
}

/* The plan's detail lines, joined by newlines, into "out". */
static void
plan(const char *sql, char *out, size_t len)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	char		 q[4096];
	size_t		 n = 0;

	snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK,
	    "%s", sqlite3_errmsg(h));
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW)
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s\n",
		    (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(h);
}

static int
count_of(const char *hay, const char *needle)
{
	int	 n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

Test(weekly, report_query_uses_only_the_covering_index)
{
	char	 p[2048];

	plan(sql_with("GROUP BY village_id, unit_id"), p, sizeof(p));
	cr_assert_eq(count_of(p, "USING COVERING INDEX matter_week"), 2,
	    "plan:\n%s", p);
	cr_assert_eq(count_of(p, "SCAN matter"), 0, "plan:\n%s", p);
}

Test(weekly, ledger_rows_use_the_village_and_unit_indexes)
{
	char	 p[2048];

	plan(sql_with("WHERE m.village_id = ?2"), p, sizeof(p));
	cr_assert_eq(count_of(p, "SEARCH m USING INDEX matter_village"), 1,
	    "plan:\n%s", p);
	plan(sql_with("WHERE m.unit_id = ?2"), p, sizeof(p));
	cr_assert_eq(count_of(p, "SEARCH m USING INDEX matter_unit"), 1,
	    "plan:\n%s", p);
}

Test(weekly, the_week_board_uses_the_submission_index)
{
	char	 p[2048];

	plan(sql_with("week = ?2 AND replaced_at IS NULL"), p, sizeof(p));
	cr_assert_eq(count_of(p, "SCAN weekly_submission"), 0, "plan:\n%s",
	    p);
}

/*
 * A county-sized ledger in miniature: 20 townships of 1,000 petitions
 * over five years, one in twenty still open (the benchmark has 100; the
 * report reads only its own township's range of the index, as the plan
 * test above shows).  One township's report must stay far below the
 * benchmark's second.
 */
Test(weekly, report_is_fast_on_a_big_ledger)
{
	json_t	*r;
	int64_t	 t0, t;
	int	 rc;

	raw("PRAGMA foreign_keys = OFF; PRAGMA cache_size = -65536;"
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	    "  WHERE i < 20000)"
	    " INSERT INTO matter (township_id, type, code, title, state,"
	    " village_id, unit_id, opened_at, closed_at, due_on, updated_at)"
	    " SELECT 10 + i % 20, 'petition', 'B-' || i, 'b', 'x',"
	    " NULL, NULL,"
	    " strftime('%Y-%m-%dT%H:%M:%fZ', '2022-01-01', '+' || (i % 1800) ||"
	    "  ' days'),"
	    " CASE WHEN i % 20 = 0 THEN NULL ELSE"
	    "  strftime('%Y-%m-%dT%H:%M:%fZ', '2022-01-01',"
	    "  '+' || (i % 1800 + 30) || ' days') END,"
	    " '2026-12-01', '2026-01-01T00:00:00.000Z' FROM n;"
	    "INSERT INTO township (id, name, created_at) VALUES"
	    " (15, '大乡', '2026-01-01T00:00:00.000Z');");
	t0 = time_mono_ms();
	r = weekly_report(db, 15, day(MONDAY), ms("2026-11-30T00:00:00.000Z"),
	    &rc);
	t = time_mono_ms() - t0;
	cr_assert_not_null(r);
	cr_assert_gt(json_integer_value(json_object_get(json_object_get(r,
	    "totals"), "open")), 0);
	json_decref(r);
	cr_assert_lt(t, 250, "report took %lld ms", (long long)t);
}

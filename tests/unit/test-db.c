/* test-db.c: connections, migrations, the statement registry and the schema. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sqlite3.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/sqltab.h"
#include "matter/calendar.h"

/*
 * The checked-in schema, relative to the top of the tree (where the suites
 * run).  Regenerate it after a migration with
 *	XIANGZHI_WRITE_SCHEMA=1 ./tests/unit/test-db \
 *	    --filter 'db/schema_matches_checked_in_schema_txt'
 */
#define SCHEMA_FILE	"sql/sqlite/schema.txt"

static char		 dir[64];
static char		 path[PATH_MAX];
static struct db	*db;

static void
setup(void)
{
	log_set_quiet(1);
	snprintf(dir, sizeof(dir), "/tmp/xz-db-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/test.db", dir);
	db = db_open(path, DB_OPEN_CREATE);
	cr_assert_not_null(db);
}

static void
rm_db(const char *p)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char			 f[PATH_MAX + 16];
	size_t			 i;

	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(f, sizeof(f), "%s%s", p, suffix[i]);
		unlink(f);
	}
}

static void
teardown(void)
{
	char	 f[PATH_MAX + 16];

	db_close(db);
	db = NULL;
	rm_db(path);
	snprintf(f, sizeof(f), "%s/backup.db", dir);
	rm_db(f);
	rmdir(dir);
}

TestSuite(db, .init = setup, .fini = teardown);

static void
migrate(void)
{
	cr_assert_eq(migrate_up(db), migrate_count());
}

/* One integer from a query on a second connection. */
static int64_t
raw_int(const char *file, const char *sql)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	int64_t		 v;

	cr_assert_eq(sqlite3_open(file, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(h));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* The first registered statement whose text starts with "prefix". */
static struct db_stmt *
find_stmt(const char *prefix)
{
	size_t	 m, i;

	for (m = 0; m < DBM__MAX; m++)
		for (i = 0; i < db_sqltabs[m]->n; i++)
			if (db_sqltabs[m]->sql[i] != NULL &&
			    strncmp(db_sqltabs[m]->sql[i], prefix,
			    strlen(prefix)) == 0)
				return db_stmt(db, (enum db_module)m, (int)i);
	cr_assert_fail("no statement starts with '%s'", prefix);
	return NULL;
}

/*
 * The schema as text: one line per object, "type | name | tbl_name | sql",
 * with every run of white space in the SQL collapsed to one space.
 */
static void
schema_text(const char *file, struct buf *out)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	const char	*s;
	int		 col, space;

	cr_assert_eq(sqlite3_open(file, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT type, name, tbl_name, sql"
	    " FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"
	    " ORDER BY type, name", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (col = 0; col < 4; col++) {
			if (col > 0)
				buf_lit(out, " | ");
			s = (const char *)sqlite3_column_text(st, col);
			space = 0;
			for (; s != NULL && *s != '\0'; s++) {
				if (*s == ' ' || *s == '\t' || *s == '\n' ||
				    *s == '\r') {
					space = 1;
					continue;
				}
				if (space)
					buf_addc(out, ' ');
				space = 0;
				buf_addc(out, *s);
			}
		}
		buf_addc(out, '\n');
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	cr_assert_eq(buf_err(out), 0);
}

static char *
read_file(const char *file, size_t *len)
{
	FILE	*f = fopen(file, "rb");
	char	*p;
	long	 n;

	if (f == NULL)
		return NULL;
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	cr_assert_geq(n, 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	cr_assert_not_null(p);
	cr_assert_eq(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* Migrations */

Test(db, latest_migration_is_known)
{
	cr_assert_geq(migrate_latest(), 1);
}

Test(db, empty_database_has_version_0)
{
	cr_assert_eq(migrate_version(db), 0);
}

Test(db, migrate_applies_every_migration)
{
	cr_assert_eq(migrate_up(db), migrate_count());
	cr_assert_eq(migrate_version(db), migrate_latest());
	cr_assert_eq(raw_int(path, "SELECT count(*) FROM schema_migrations"),
	    migrate_count());
	cr_assert_eq(raw_int(path, "SELECT count(*) FROM schema_migrations"
	    " WHERE version = 1 AND name = '0001-init.sql'"
	    " AND applied_at LIKE '____-__-__T__:__:__.___Z'"), 1);
}

Test(db, second_migrate_applies_nothing)
{
	migrate();
	cr_assert_eq(migrate_up(db), 0);
	cr_assert_eq(migrate_version(db), migrate_latest());
	cr_assert_eq(raw_int(path, "SELECT count(*) FROM schema_migrations"),
	    migrate_count());
}

Test(db, migrate_survives_reopening)
{
	migrate();
	db_close(db);
	db = db_open(path, 0);
	cr_assert_not_null(db);
	cr_assert_eq(migrate_version(db), migrate_latest());
	cr_assert_eq(migrate_up(db), 0);
}

/*
 * A database that missed a migration the binary holds (one merged from a
 * branch after a later number was applied) is behind: serve refuses it
 * until init applies the one missing.
 */
Test(db, version_stops_before_a_migration_not_applied)
{
	sqlite3	*h;

	migrate();
	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, "DELETE FROM schema_migrations"
	    " WHERE version = 2", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	cr_assert_eq(migrate_version(db), 1);
}

/* The statement registry */

Test(db, every_registered_statement_prepares)
{
	size_t	 m;

	migrate();
	for (m = 0; m < DBM__MAX; m++) {
		cr_assert_not_null(db_sqltabs[m], "module %zu", m);
		cr_assert_not_null(db_sqltabs[m]->module);
	}
	cr_assert_eq(db_prepare_all(db), 0);
}

Test(db, prepare_all_fails_without_the_schema)
{
	cr_assert_eq(db_prepare_all(db), -1);
}

Test(db, statements_are_cached)
{
	struct db_stmt	*a, *b;

	migrate();
	a = find_stmt("SELECT 1 FROM schema_migrations");
	b = find_stmt("SELECT 1 FROM schema_migrations");
	cr_assert_eq(a, b);
}

/* The schema */

Test(db, schema_matches_checked_in_schema_txt)
{
	struct buf	 now = BUF_INIT;
	char		*want;
	size_t		 len = 0;
	FILE		*f;

	migrate();
	schema_text(path, &now);
	cr_assert_gt(now.len, 0);
	if (getenv("XIANGZHI_WRITE_SCHEMA") != NULL &&
	    strcmp(getenv("XIANGZHI_WRITE_SCHEMA"), "1") == 0) {
		fputs(now.data, stdout);
		f = fopen(SCHEMA_FILE, "wb");
		cr_assert_not_null(f, "cannot write %s (run from the top of"
		    " the tree)", SCHEMA_FILE);
		cr_assert_eq(fwrite(now.data, 1, now.len, f), now.len);
		cr_assert_eq(fclose(f), 0);
		buf_release(&now);
		return;
	}
	want = read_file(SCHEMA_FILE, &len);
	cr_assert_not_null(want, "cannot read %s (run from the top of the"
	    " tree)", SCHEMA_FILE);
	if (strcmp(now.data, want) != 0) {
		const char	*a = now.data, *b = want, *la = a, *lb = b;
		int		 line = 1;

		/* Name the first line that differs. */
		for (; *a != '\0' && *a == *b; a++, b++)
			if (*a == '\n') {
				line++;
				la = a + 1;
				lb = b + 1;
			}
		cr_assert_fail("the schema differs from %s at line %d:\n"
		    "  now:  %.*s\n  file: %.*s\nif the change is intended,"
		    " rerun with XIANGZHI_WRITE_SCHEMA=1", SCHEMA_FILE, line,
		    (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
	}
	free(want);
	buf_release(&now);
}

Test(db, schema_text_has_one_line_per_object)
{
	struct buf	 now = BUF_INIT;
	const char	*p;
	size_t		 lines = 0;

	migrate();
	schema_text(path, &now);
	for (p = now.data; *p != '\0'; p++) {
		cr_assert_neq(*p, '\t');
		if (*p == '\n')
			lines++;
	}
	cr_assert_eq((int64_t)lines, raw_int(path, "SELECT count(*) FROM"
	    " sqlite_schema WHERE name NOT LIKE 'sqlite_%'"));
	cr_assert_not_null(strstr(now.data, "table | audit | audit | CREATE"
	    " TABLE audit ("));
	cr_assert_not_null(strstr(now.data, "trigger | audit_no_update |"
	    " audit |"));
	buf_release(&now);
}

/* Connection settings */

Test(db, open_sets_wal_mode)
{
	migrate();
	cr_assert_eq(raw_int(path, "SELECT journal_mode = 'wal' FROM"
	    " pragma_journal_mode"), 1);
}

Test(db, open_enforces_foreign_keys)
{
	migrate();
	cr_assert_eq(db_exec_script(db, "INSERT INTO village (township_id,"
	    " name) VALUES (999, '张家湾村')"), DB_CONSTRAINT);
	cr_assert_eq(db_last_rc(db), DB_CONSTRAINT);
	cr_assert_eq(raw_int(path, "SELECT count(*) FROM village"), 0);
}

Test(db, open_without_create_refuses_a_missing_file)
{
	char	 missing[PATH_MAX + 16];

	snprintf(missing, sizeof(missing), "%s/missing.db", dir);
	cr_assert_null(db_open(missing, 0));
	cr_assert_neq(access(missing, F_OK), 0);
}

Test(db, read_only_connection_cannot_write)
{
	struct db	*ro;
	int		 rc;

	migrate();
	ro = db_open(path, DB_OPEN_READONLY);
	cr_assert_not_null(ro);
	rc = db_exec_script(ro, "INSERT INTO township (name, created_at)"
	    " VALUES ('只读镇', '2026-01-05T00:00:00.000Z')");
	cr_assert_eq(rc, DB_UNAVAIL);
	db_close(ro);
	cr_assert_eq(raw_int(path, "SELECT count(*) FROM township"), 0);
}

/* [S53] */
Test(db, read_only_failure_names_the_fault)
{
	struct db	*ro;

	migrate();
	ro = db_open(path, DB_OPEN_READONLY);
	cr_assert_not_null(ro);
	cr_assert_eq(db_last_fault(ro), DB_FAULT_NONE);
	cr_assert_eq(db_exec_script(ro, "INSERT INTO township (name,"
	    " created_at) VALUES ('只读镇', '2026-01-05T00:00:00.000Z')"),
	    DB_UNAVAIL);
	cr_assert_eq(db_last_fault(ro), DB_FAULT_READONLY);
	db_close(ro);
	/* A failure that is not the storage's says so. */
	cr_assert_eq(db_exec_script(db, "SELEC 1"), DB_ERROR);
	cr_assert_eq(db_last_fault(db), DB_FAULT_NONE);
}

/* [S52] */
Test(db, full_database_fails_the_write_rolls_back_then_resumes)
{
	static const char	 ins[] = "WITH RECURSIVE n(i) AS (SELECT 1"
	    " UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
	    " INSERT INTO township (name, created_at)"
	    " SELECT '镇' || i, '2026-01-05T00:00:00.000Z' FROM n";
	char			 cap[64];
	int			 rc;

	migrate();
	/* A page cap stands in for the disk: the same SQLITE_FULL. */
	snprintf(cap, sizeof(cap), "PRAGMA max_page_count = %d",
	    (int)raw_int(path, "PRAGMA page_count") + 2);
	cr_assert_eq(db_exec_script(db, cap), DB_OK);
	cr_assert_eq(db_begin(db), DB_OK);
	rc = db_exec_script(db, ins);
	cr_assert_eq(rc, DB_UNAVAIL);
	cr_assert_eq(db_last_fault(db), DB_FAULT_FULL);
	cr_assert_eq(db_end(db, rc), DB_UNAVAIL);
	cr_assert_not(db_in_tx(db));
	cr_assert_eq(raw_int(path, "SELECT count(*) FROM township"), 0);
	cr_assert_eq(db_integrity_check(db), 0);
	/* Space returns: the next transaction starts clean and commits. */
	cr_assert_eq(db_exec_script(db, "PRAGMA max_page_count = 1073741823"),
	    DB_OK);
	cr_assert_eq(db_begin(db), DB_OK);
	cr_assert_eq(db_last_fault(db), DB_FAULT_NONE);
	cr_assert_eq(db_exec_script(db, ins), DB_OK);
	cr_assert_eq(db_end(db, 0), 0);
	cr_assert_eq(raw_int(path, "SELECT count(*) FROM township"), 20000);
}

Test(db, path_is_kept)
{
	cr_assert_str_eq(db_path(db), path);
}

/* Errors */

Test(db, unique_violation_is_db_constraint)
{
	static const char	 ins[] = "INSERT INTO township (name,"
	    " created_at) VALUES ('青山镇', '2026-01-05T00:00:00.000Z')";

	migrate();
	cr_assert_eq(db_exec_script(db, ins), DB_OK);
	cr_assert_eq(db_exec_script(db, ins), DB_CONSTRAINT);
	cr_assert_eq(db_last_rc(db), DB_CONSTRAINT);
	cr_assert_eq(raw_int(path, "SELECT count(*) FROM township"), 1);
}

Test(db, unique_violation_through_a_statement_is_db_constraint)
{
	struct db_stmt	*st;

	migrate();
	st = find_stmt("INSERT INTO schema_migrations");
	db_bind_int64(st, 1, 1);
	db_bind_text(st, 2, "again.sql");
	db_bind_text(st, 3, "2026-01-05T00:00:00.000Z");
	cr_assert_eq(db_exec(st), DB_CONSTRAINT);
	/* The statement is reset and usable afterwards. */
	db_bind_int64(st, 1, 9999);
	db_bind_text(st, 2, "9999-test.sql");
	db_bind_text(st, 3, "2026-01-05T00:00:00.000Z");
	cr_assert_eq(db_exec(st), DB_OK);
	cr_assert_eq(db_changes(db), 1);
	cr_assert_eq(db_last_id(db), 9999);
}

Test(db, check_violation_is_db_constraint)
{
	migrate();
	cr_assert_eq(db_exec_script(db, "INSERT INTO township (name,"
	    " created_at) VALUES ('', '2026-01-05T00:00:00.000Z')"),
	    DB_CONSTRAINT);
}

Test(db, syntax_error_is_db_error)
{
	cr_assert_eq(db_exec_script(db, "SELEC 1"), DB_ERROR);
	cr_assert_eq(db_last_rc(db), DB_ERROR);
}

Test(db, ping_needs_the_schema)
{
	cr_assert_lt(db_ping(db), 0);
	migrate();
	cr_assert_eq(db_ping(db), 0);
}

/* Transactions */

Test(db, end_with_zero_commits)
{
	migrate();
	cr_assert_eq(db_begin(db), DB_OK);
	cr_assert(db_in_tx(db));
	cr_assert_eq(db_exec_script(db, "INSERT INTO township (name,"
	    " created_at) VALUES ('青山镇', '2026-01-05T00:00:00.000Z')"),
	    DB_OK);
	cr_assert_eq(db_end(db, 0), 0);
	cr_assert_not(db_in_tx(db));
	cr_assert_eq(raw_int(path, "SELECT count(*) FROM township"), 1);
}

Test(db, end_with_error_rolls_back_and_returns_it)
{
	migrate();
	cr_assert_eq(db_begin(db), DB_OK);
	cr_assert_eq(db_exec_script(db, "INSERT INTO township (name,"
	    " created_at) VALUES ('青山镇', '2026-01-05T00:00:00.000Z')"),
	    DB_OK);
	cr_assert_eq(db_end(db, DB_CONSTRAINT), DB_CONSTRAINT);
	cr_assert_not(db_in_tx(db));
	cr_assert_eq(raw_int(path, "SELECT count(*) FROM township"), 0);
}

Test(db, failed_statement_inside_a_transaction_then_rollback)
{
	static const char	 ins[] = "INSERT INTO township (name,"
	    " created_at) VALUES ('青山镇', '2026-01-05T00:00:00.000Z')";
	int			 rc;

	migrate();
	cr_assert_eq(db_begin(db), DB_OK);
	cr_assert_eq(db_exec_script(db, ins), DB_OK);
	rc = db_exec_script(db, ins);
	cr_assert_eq(rc, DB_CONSTRAINT);
	cr_assert_eq(db_end(db, rc), DB_CONSTRAINT);
	cr_assert_eq(raw_int(path, "SELECT count(*) FROM township"), 0);
	/* The connection is usable afterwards. */
	cr_assert_eq(db_begin(db), DB_OK);
	cr_assert_eq(db_exec_script(db, ins), DB_OK);
	cr_assert_eq(db_end(db, 0), 0);
	cr_assert_eq(raw_int(path, "SELECT count(*) FROM township"), 1);
}

/* Backup */

Test(db, backup_passes_integrity_check_and_holds_the_data)
{
	char		 dest[PATH_MAX + 16];
	struct db	*copy;

	migrate();
	cr_assert_eq(db_exec_script(db, "INSERT INTO township (name,"
	    " created_at) VALUES ('青山镇', '2026-01-05T00:00:00.000Z')"),
	    DB_OK);
	snprintf(dest, sizeof(dest), "%s/backup.db", dir);
	cr_assert_eq(db_backup_to(db, dest), DB_OK);
	cr_assert_eq(access(dest, R_OK), 0);
	copy = db_open(dest, 0);
	cr_assert_not_null(copy);
	cr_assert_eq(db_integrity_check(copy), 0);
	cr_assert_eq(migrate_version(copy), migrate_latest());
	db_close(copy);
	cr_assert_eq(raw_int(dest, "SELECT count(*) FROM township"
	    " WHERE name = '青山镇'"), 1);
}

Test(db, backup_refuses_to_overwrite)
{
	char	 dest[PATH_MAX + 16];

	migrate();
	snprintf(dest, sizeof(dest), "%s/backup.db", dir);
	cr_assert_eq(db_backup_to(db, dest), DB_OK);
	cr_assert_lt(db_backup_to(db, dest), 0);
}

/* The snapshot's callback: another connection writes, then we count. */
struct snap_probe {
	const char	*path;
	int64_t		 seen;
};

static int
write_elsewhere_then_count(struct db *h, void *arg)
{
	struct snap_probe	*p = arg;
	struct db		*other = db_open(p->path, 0);

	cr_assert_not_null(other);
	cr_assert_eq(db_exec_script(other, "INSERT INTO township (name,"
	    " created_at) VALUES ('写于快照之后', '2026-01-05T00:00:00.000Z')"),
	    DB_OK);
	db_close(other);
	(void)h;
	p->seen = raw_int(p->path, "SELECT count(*) FROM township");
	return 0;
}

/* [S55] */
Test(db, snapshot_copies_the_moment_its_callback_saw_while_others_write)
{
	char			 dest[PATH_MAX + 16];
	struct snap_probe	 p = { path, 0 };
	struct db		*copy;

	migrate();
	cr_assert_eq(db_exec_script(db, "INSERT INTO township (name,"
	    " created_at) VALUES ('青山镇', '2026-01-05T00:00:00.000Z')"),
	    DB_OK);
	snprintf(dest, sizeof(dest), "%s/backup.db", dir);
	cr_assert_eq(db_snapshot_to(db, dest, write_elsewhere_then_count, &p),
	    DB_OK);
	/* The write committed elsewhere during the snapshot is live... */
	cr_assert_eq(p.seen, 2);
	/* ...but not in the copy, taken from the snapshot fixed before it. */
	cr_assert_eq(raw_int(dest, "SELECT count(*) FROM township"), 1);
	copy = db_open(dest, DB_OPEN_READONLY);
	cr_assert_not_null(copy);
	cr_assert_eq(db_integrity_check(copy), 0);
	db_close(copy);
	/* A new file only. */
	cr_assert_lt(db_snapshot_to(db, dest, NULL, NULL), 0);
}

struct hashes_seen {
	char		 names[64][64];
	unsigned char	 sha[64][32];
	int64_t		 rows[64];
	int		 n;
};

static int
keep_hash(const char *t, int64_t rows, const unsigned char sha[32], void *arg)
{
	struct hashes_seen	*h = arg;

	cr_assert_lt(h->n, 64);
	snprintf(h->names[h->n], sizeof(h->names[0]), "%s", t);
	memcpy(h->sha[h->n], sha, 32);
	h->rows[h->n++] = rows;
	return 0;
}

static int
find_table(const struct hashes_seen *h, const char *t)
{
	int	 i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->names[i], t) == 0)
			return i;
	cr_assert_fail("no table %s", t);
	return -1;
}

/* [S56] */
Test(db, table_hashes_follow_content_not_insertion_order_or_rowids)
{
	static const char script[] =
	    "CREATE TABLE t (a TEXT, b BLOB, c REAL, d INTEGER);"
	    "CREATE TABLE k (x TEXT PRIMARY KEY COLLATE NOCASE, y) WITHOUT ROWID;";
	char		 other[PATH_MAX + 16];
	struct db	*o;
	struct hashes_seen h1, h2;
	int		 i;

	snprintf(other, sizeof(other), "%s/backup.db", dir);
	cr_assert_not_null(o = db_open(other, DB_OPEN_CREATE));
	cr_assert_eq(db_exec_script(db, script), DB_OK);
	cr_assert_eq(db_exec_script(o, script), DB_OK);
	cr_assert_eq(db_exec_script(db,
	    "INSERT INTO t VALUES ('甲', x'00ff', 1.5, 1), ('乙', NULL, -0.0, 2);"
	    "INSERT INTO k VALUES ('a', 1), ('B', 2);"), DB_OK);
	/* The same rows, the other way round, after a deleted one. */
	cr_assert_eq(db_exec_script(o,
	    "INSERT INTO t VALUES ('x', NULL, NULL, NULL);"
	    "INSERT INTO t VALUES ('乙', NULL, -0.0, 2), ('甲', x'00ff', 1.5, 1);"
	    "DELETE FROM t WHERE a = 'x';"
	    "INSERT INTO k VALUES ('B', 2), ('a', 1);"), DB_OK);
	memset(&h1, 0, sizeof(h1));
	memset(&h2, 0, sizeof(h2));
	cr_assert_eq(db_table_hashes(db, keep_hash, &h1), DB_OK);
	cr_assert_eq(db_table_hashes(o, keep_hash, &h2), DB_OK);
	cr_assert_eq(h1.n, h2.n);
	for (i = 0; i < h1.n; i++) {
		cr_assert_str_eq(h1.names[i], h2.names[i]);
		cr_assert_eq(h1.rows[i], h2.rows[i]);
		cr_assert_eq(memcmp(h1.sha[i], h2.sha[i], 32), 0, "table %s",
		    h1.names[i]);
	}
	cr_assert_eq(h1.rows[find_table(&h1, "t")], 2);
	/* One value changed by type only: the integer 1 and the text '1'. */
	cr_assert_eq(db_exec_script(o, "UPDATE t SET b = 1 WHERE a = '乙'"),
	    DB_OK);
	cr_assert_eq(db_exec_script(db, "UPDATE t SET b = '1' WHERE a = '乙'"),
	    DB_OK);
	memset(&h1, 0, sizeof(h1));
	memset(&h2, 0, sizeof(h2));
	cr_assert_eq(db_table_hashes(db, keep_hash, &h1), DB_OK);
	cr_assert_eq(db_table_hashes(o, keep_hash, &h2), DB_OK);
	cr_assert_neq(memcmp(h1.sha[find_table(&h1, "t")],
	    h2.sha[find_table(&h2, "t")], 32), 0);
	/* Made equal again; then one value in the other table. */
	cr_assert_eq(db_exec_script(o, "UPDATE t SET b = '1' WHERE a = '乙';"
	    "UPDATE k SET y = 3 WHERE x = 'a'"), DB_OK);
	memset(&h2, 0, sizeof(h2));
	cr_assert_eq(db_table_hashes(o, keep_hash, &h2), DB_OK);
	cr_assert_eq(memcmp(h1.sha[find_table(&h1, "t")],
	    h2.sha[find_table(&h2, "t")], 32), 0);
	cr_assert_neq(memcmp(h1.sha[find_table(&h1, "k")],
	    h2.sha[find_table(&h2, "k")], 32), 0);
	db_close(o);
}

Test(db, integrity_check_of_live_database)
{
	migrate();
	cr_assert_eq(db_integrity_check(db), 0);
}

/*
 * The calendar rows the migration seeds are the compiled table the
 * calendar tests check (src/matter/calendar_cn.c): one source of truth
 * checked against the other, day by day.
 */
Test(db, calendar_rows_match_the_compiled_table)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	size_t		 i = 0;
	char		 iso[11];

	migrate();
	cr_assert_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT day, kind, name FROM "
	    "calendar_day ORDER BY day", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct cal_special *c = &cal_cn_2023_2027[i];

		cr_assert_lt(i, cal_cn_2023_2027_n, "more rows than the table");
		date_iso(c->day, iso);
		cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), iso);
		cr_assert_str_eq((const char *)sqlite3_column_text(st, 1),
		    c->kind == CAL_WORK ? "work" : "rest", "kind of %s", iso);
		cr_assert_str_eq((const char *)sqlite3_column_text(st, 2),
		    c->name, "name of %s", iso);
		i++;
	}
	cr_assert_eq(i, cal_cn_2023_2027_n, "rows %zu, table %zu", i,
	    cal_cn_2023_2027_n);
	sqlite3_finalize(st);
	sqlite3_close(h);
}

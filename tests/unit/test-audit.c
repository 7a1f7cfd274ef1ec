/* test-audit.c: the hash-chained audit log against a real SQLite file. */
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
#include "db/db.h"
#include "db/migrate.h"

static unsigned char	 key_a[32];	/* fixed keys, set in setup() */
static unsigned char	 key_b[32];

static char		 dir[64];
static char		 path[PATH_MAX];
static struct db	*db;

static const struct audit_actor	 actor = {
	.account_id = 7,
	.township_id = 1,
	.login = "wangwu",
	.role = "leader",
	.addr = "192.0.2.10",
	.request_id = "req-1",
};

static void
setup(void)
{
	log_set_quiet(1);
	cr_assert_geq(sodium_init(), 0);
	memset(key_a, 0xa1, sizeof(key_a));
	memset(key_b, 0xb2, sizeof(key_b));
	secret_use_key(key_a);
	snprintf(dir, sizeof(dir), "/tmp/xz-audit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/test.db", dir);
	db = db_open(path, DB_OPEN_CREATE);
	cr_assert_not_null(db);
	cr_assert_geq(migrate_up(db), 1);
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

TestSuite(audit, .init = setup, .fini = teardown);

/* Run SQL on a second, plain connection (what an intruder would do). */
static int
raw_exec(const char *sql)
{
	sqlite3	*h;
	int	 rc;

	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 2000);
	rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	sqlite3_close(h);
	return rc;
}

/* One integer from a query on a second connection. */
static int64_t
raw_int(const char *sql)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	int64_t		 v;

	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK,
	    "%s", sql);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* Append one record in a transaction of the caller's. */
static void
write_one(const char *action, int64_t object_id)
{
	json_t	*detail = json_pack("{ss si}", "note", action, "n",
	    (int)object_id);

	cr_assert_eq(db_begin(db), DB_OK);
	cr_assert_eq(db_end(db, audit_write(db, &actor, action, "person",
	    object_id, true, detail)), 0);
	json_decref(detail);
}

static void
write_n(int n)
{
	int	 i;

	for (i = 1; i <= n; i++)
		write_one("person.update", i);
}

static int
verify(int64_t *count, int64_t *bad, char *why, size_t whylen)
{
	*count = -1;
	*bad = -1;
	why[0] = '\0';
	return audit_verify(db, count, bad, why, whylen);
}

Test(audit, empty_log_is_intact)
{
	int64_t	 n, bad;
	char	 why[256];

	cr_assert_eq(verify(&n, &bad, why, sizeof(why)), 0);
	cr_assert_eq(n, 0);
}

Test(audit, records_written_in_a_transaction_verify)
{
	int64_t	 n, bad;
	char	 why[256];

	write_n(5);
	cr_assert_eq(raw_int("SELECT count(*) FROM audit"), 5);
	cr_assert_eq(verify(&n, &bad, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(n, 5);
}

Test(audit, several_records_in_one_transaction_chain)
{
	int64_t	 n, bad;
	char	 why[256];
	int	 i;

	cr_assert_eq(db_begin(db), DB_OK);
	for (i = 0; i < 3; i++)
		cr_assert_eq(audit_write(db, &actor, "village.create",
		    "village", i + 1, true, NULL), DB_OK);
	cr_assert_eq(db_end(db, 0), 0);
	cr_assert_eq(verify(&n, &bad, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(n, 3);
}

Test(audit, write_alone_commits_its_own_record)
{
	int64_t	 n, bad;
	char	 why[256];

	cr_assert_eq(audit_write_alone(db, &actor, "auth.login", "account", 7,
	    false, NULL), DB_OK);
	cr_assert_not(db_in_tx(db));
	cr_assert_eq(audit_write_alone(db, &actor, "auth.login", "account", 7,
	    true, NULL), DB_OK);
	cr_assert_eq(raw_int("SELECT count(*) FROM audit"), 2);
	cr_assert_eq(raw_int("SELECT count(*) FROM audit WHERE result ="
	    " 'fail' AND id = 1"), 1);
	cr_assert_eq(verify(&n, &bad, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(n, 2);
}

Test(audit, ids_count_up_and_each_links_to_the_one_before)
{
	write_n(4);
	cr_assert_eq(raw_int("SELECT min(id) FROM audit"), 1);
	cr_assert_eq(raw_int("SELECT max(id) FROM audit"), 4);
	cr_assert_eq(raw_int("SELECT count(*) FROM audit a JOIN audit b"
	    " ON b.id = a.id + 1 WHERE b.prev_hash = a.hash"), 3);
	cr_assert_eq(raw_int("SELECT prev_hash = zeroblob(32) FROM audit"
	    " WHERE id = 1"), 1);
	cr_assert_eq(raw_int("SELECT count(*) FROM audit"
	    " WHERE length(hash) = 32"), 4);
}

Test(audit, record_keeps_actor_and_sorted_compact_detail)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	json_t		*detail = json_pack("{si ss}", "zeta", 1, "alpha", "甲");
	struct audit_actor anon = { 0 };

	cr_assert_eq(db_begin(db), DB_OK);
	cr_assert_eq(audit_write(db, &actor, "person.create", "person", 12,
	    true, detail), DB_OK);
	cr_assert_eq(audit_write(db, &anon, "auth.login", NULL, 0, false,
	    NULL), DB_OK);
	cr_assert_eq(db_end(db, 0), 0);
	json_decref(detail);

	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT township_id, actor_id,"
	    " actor, role, addr, request_id, action, object_type, object_id,"
	    " result, detail, township_id IS NULL, actor_id IS NULL"
	    " FROM audit ORDER BY id", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int64(st, 0), 1);
	cr_assert_eq(sqlite3_column_int64(st, 1), 7);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 2), "wangwu");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 3), "leader");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 4),
	    "192.0.2.10");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 5), "req-1");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 6),
	    "person.create");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 7), "person");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 8), "12");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 9), "ok");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 10),
	    "{\"alpha\":\"甲\",\"zeta\":1}");
	/* The anonymous record: defaults, and NULL for "none". */
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int64(st, 11), 1);
	cr_assert_eq(sqlite3_column_int64(st, 12), 1);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 2), "-");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 4), "-");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 7), "");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 8), "");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 9), "fail");
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 10), "{}");
	sqlite3_finalize(st);
	sqlite3_close(h);
}

Test(audit, stored_hash_is_audit_hash_of_the_row)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	struct audit_row r;
	unsigned char	 out[AUDIT_HASH_LEN];

	write_n(2);
	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT id, at, township_id,"
	    " actor_id, actor, role, addr, request_id, action, object_type,"
	    " object_id, result, detail, prev_hash, hash FROM audit"
	    " WHERE id = 2", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	r.id = sqlite3_column_int64(st, 0);
	r.at = (const char *)sqlite3_column_text(st, 1);
	r.township_id = sqlite3_column_int64(st, 2);
	r.actor_id = sqlite3_column_int64(st, 3);
	r.actor = (const char *)sqlite3_column_text(st, 4);
	r.role = (const char *)sqlite3_column_text(st, 5);
	r.addr = (const char *)sqlite3_column_text(st, 6);
	r.request_id = (const char *)sqlite3_column_text(st, 7);
	r.action = (const char *)sqlite3_column_text(st, 8);
	r.object_type = (const char *)sqlite3_column_text(st, 9);
	r.object_id = (const char *)sqlite3_column_text(st, 10);
	r.result = (const char *)sqlite3_column_text(st, 11);
	r.detail = (const char *)sqlite3_column_text(st, 12);
	cr_assert_eq(sqlite3_column_bytes(st, 13), AUDIT_HASH_LEN);
	audit_hash(sqlite3_column_blob(st, 13), &r, secret_key(SECRET_AUDIT),
	    out);
	cr_assert_eq(sqlite3_column_bytes(st, 14), AUDIT_HASH_LEN);
	cr_assert_eq(memcmp(out, sqlite3_column_blob(st, 14), AUDIT_HASH_LEN),
	    0);
	/* The key matters. */
	audit_hash(sqlite3_column_blob(st, 13), &r, key_b, out);
	cr_assert_neq(memcmp(out, sqlite3_column_blob(st, 14), AUDIT_HASH_LEN),
	    0);
	sqlite3_finalize(st);
	sqlite3_close(h);
}

Test(audit, hash_covers_every_field)
{
	static const unsigned char	 prev[AUDIT_HASH_LEN];
	struct audit_row		 base = {
		1, "2026-11-29T16:30:00.000Z", 1, 7, "wangwu", "leader",
		"192.0.2.10", "req-1", "person.update", "person", "12", "ok",
		"{}"
	}, r;
	unsigned char			 h0[AUDIT_HASH_LEN], h[AUDIT_HASH_LEN];
	int				 f;

	audit_hash(prev, &base, key_a, h0);
	for (f = 0; f < 13; f++) {
		r = base;
		switch (f) {
		case 0: r.id = 2; break;
		case 1: r.at = "2026-11-29T16:30:00.001Z"; break;
		case 2: r.township_id = 2; break;
		case 3: r.actor_id = 8; break;
		case 4: r.actor = "wangwu2"; break;
		case 5: r.role = "member"; break;
		case 6: r.addr = "192.0.2.11"; break;
		case 7: r.request_id = "req-2"; break;
		case 8: r.action = "person.delete"; break;
		case 9: r.object_type = "village"; break;
		case 10: r.object_id = "13"; break;
		case 11: r.result = "fail"; break;
		default: r.detail = "{\"a\":1}"; break;
		}
		audit_hash(prev, &r, key_a, h);
		cr_assert_neq(memcmp(h, h0, sizeof(h)), 0, "field %d", f);
	}
	/* Field boundaries are unambiguous: "ab" + "c" is not "a" + "bc". */
	r = base;
	r.actor = "wangwuleader";
	r.role = "";
	audit_hash(prev, &r, key_a, h);
	cr_assert_neq(memcmp(h, h0, sizeof(h)), 0);
}

Test(audit, update_is_refused_by_trigger)
{
	write_n(2);
	cr_assert_eq(raw_exec("UPDATE audit SET detail = '{}' WHERE id = 1"),
	    SQLITE_CONSTRAINT);
	cr_assert_eq(raw_int("SELECT count(*) FROM audit WHERE detail = '{}'"),
	    0);
}

Test(audit, delete_is_refused_by_trigger)
{
	write_n(3);
	cr_assert_eq(raw_exec("DELETE FROM audit WHERE id = 2"),
	    SQLITE_CONSTRAINT);
	cr_assert_eq(raw_exec("DELETE FROM audit"), SQLITE_CONSTRAINT);
	cr_assert_eq(raw_int("SELECT count(*) FROM audit"), 3);
}

Test(audit, changed_detail_names_that_record)
{
	int64_t	 n, bad;
	char	 why[256];

	write_n(4);
	cr_assert_eq(raw_exec("DROP TRIGGER audit_no_update;"
	    " UPDATE audit SET detail = '{\"note\":\"forged\"}' WHERE id = 2"),
	    SQLITE_OK);
	cr_assert_eq(verify(&n, &bad, why, sizeof(why)), 1);
	cr_assert_eq(bad, 2);
	cr_assert_eq(n, 2);
	cr_assert_not_null(strstr(why, "record 2"), "%s", why);
	cr_assert_not_null(strstr(why, "changed"), "%s", why);
}

Test(audit, changed_field_of_last_record_is_detected)
{
	int64_t	 n, bad;
	char	 why[256];

	write_n(3);
	cr_assert_eq(raw_exec("DROP TRIGGER audit_no_update;"
	    " UPDATE audit SET result = 'fail' WHERE id = 3"), SQLITE_OK);
	cr_assert_eq(verify(&n, &bad, why, sizeof(why)), 1);
	cr_assert_eq(bad, 3);
}

Test(audit, changed_prev_hash_breaks_the_link)
{
	int64_t	 n, bad;
	char	 why[256];

	write_n(3);
	cr_assert_eq(raw_exec("DROP TRIGGER audit_no_update;"
	    " UPDATE audit SET prev_hash = zeroblob(32) WHERE id = 3"),
	    SQLITE_OK);
	cr_assert_eq(verify(&n, &bad, why, sizeof(why)), 1);
	cr_assert_eq(bad, 3);
	cr_assert_not_null(strstr(why, "link"), "%s", why);
}

Test(audit, deleted_middle_record_names_the_next)
{
	int64_t	 n, bad;
	char	 why[256];

	write_n(5);
	cr_assert_eq(raw_exec("DROP TRIGGER audit_no_delete;"
	    " DELETE FROM audit WHERE id = 3"), SQLITE_OK);
	cr_assert_eq(verify(&n, &bad, why, sizeof(why)), 1);
	cr_assert_eq(bad, 4);
	cr_assert_not_null(strstr(why, "missing"), "%s", why);
}

Test(audit, deleted_first_record_is_detected)
{
	int64_t	 n, bad;
	char	 why[256];

	write_n(3);
	cr_assert_eq(raw_exec("DROP TRIGGER audit_no_delete;"
	    " DELETE FROM audit WHERE id = 1"), SQLITE_OK);
	cr_assert_eq(verify(&n, &bad, why, sizeof(why)), 1);
	cr_assert_eq(bad, 2);
}

Test(audit, record_written_with_another_key_fails)
{
	int64_t	 n, bad;
	char	 why[256];

	write_n(2);
	secret_use_key(key_b);
	write_one("person.update", 3);
	secret_use_key(key_a);
	write_one("person.update", 4);
	cr_assert_eq(verify(&n, &bad, why, sizeof(why)), 1);
	cr_assert_eq(bad, 3);
	cr_assert_not_null(strstr(why, "changed"), "%s", why);
}

Test(audit, verify_with_the_wrong_key_fails_at_the_first_record)
{
	int64_t	 n, bad;
	char	 why[256];

	write_n(3);
	secret_use_key(key_b);
	cr_assert_eq(verify(&n, &bad, why, sizeof(why)), 1);
	cr_assert_eq(bad, 1);
}

Test(audit, failing_audit_insert_rolls_back_the_caller)
{
	int64_t	 before;
	int	 rc;

	write_n(2);
	before = raw_int("SELECT count(*) FROM audit");
	cr_assert_eq(raw_exec("CREATE TRIGGER audit_refuse BEFORE INSERT ON"
	    " audit BEGIN SELECT RAISE(ABORT, 'refused by test'); END"),
	    SQLITE_OK);

	cr_assert_eq(db_begin(db), DB_OK);
	cr_assert_eq(db_exec_script(db, "INSERT INTO township (name,"
	    " created_at) VALUES ('测试镇', '2026-11-29T16:30:00.000Z')"),
	    DB_OK);
	rc = audit_write(db, &actor, "township.create", "township", 1, true,
	    NULL);
	cr_assert_lt(rc, 0);
	cr_assert_eq(db_end(db, rc), rc);
	cr_assert_not(db_in_tx(db));

	cr_assert_eq(raw_int("SELECT count(*) FROM township"), 0);
	cr_assert_eq(raw_int("SELECT count(*) FROM audit"), before);
}

Test(audit, failing_write_alone_reports_the_error)
{
	int64_t	 n, bad;
	char	 why[256];

	write_n(1);
	cr_assert_eq(raw_exec("CREATE TRIGGER audit_refuse BEFORE INSERT ON"
	    " audit BEGIN SELECT RAISE(ABORT, 'refused by test'); END"),
	    SQLITE_OK);
	cr_assert_lt(audit_write_alone(db, &actor, "auth.login", "account", 7,
	    true, NULL), 0);
	cr_assert_not(db_in_tx(db));
	cr_assert_eq(raw_int("SELECT count(*) FROM audit"), 1);
	cr_assert_eq(raw_exec("DROP TRIGGER audit_refuse"), SQLITE_OK);
	/* The chain carries on where it was. */
	cr_assert_eq(audit_write_alone(db, &actor, "auth.login", "account", 7,
	    true, NULL), DB_OK);
	cr_assert_eq(verify(&n, &bad, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(n, 2);
}

Test(audit, list_returns_newest_first_with_keyset_paging)
{
	struct audit_filter	 f = { .limit = 2 };
	json_t			*res, *items;
	int			 rc;

	write_n(3);
	res = audit_list(db, 1, &f, &rc);
	cr_assert_eq(rc, DB_OK);
	cr_assert_not_null(res);
	items = json_object_get(res, "items");
	cr_assert_eq(json_array_size(items), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(items,
	    0), "id")), 3);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(items,
	    1), "id")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(res, "next")), "2");
	json_decref(res);

	f.before = 2;
	res = audit_list(db, 1, &f, &rc);
	cr_assert_eq(rc, DB_OK);
	items = json_object_get(res, "items");
	cr_assert_eq(json_array_size(items), 1);
	cr_assert(json_is_null(json_object_get(res, "next")));
	json_decref(res);
}

/* db.c: SQLite connections, cached statements, transactions, backup. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/dbjson.h"
#include "db/fts_cjk.h"

/* A cached statement knows its connection, for error reporting. */
struct db_stmt {
	sqlite3_stmt	*s;
	struct db	*db;
};

/*
 * A connection owns its sqlite3 handle and one lazily prepared statement
 * per registered SQL text.
 */
struct db {
	sqlite3		*h;
	char		*path;
	struct db_stmt	*stmts[DBM__MAX];
	int		 in_tx;
	int		 last_rc;
	struct db	*pool_next;	/* pool list, guarded by pool_lock */
};

static _Atomic uint64_t	 db_errors;

static sqlite3_stmt *
raw(struct db_stmt *st)
{
	return st->s;
}

static int
classify(int code)
{
	switch (code & 0xff) {
	case SQLITE_OK:
		return DB_OK;
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
		return DB_DONE;
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_CANTOPEN:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_NOMEM:
	case SQLITE_PROTOCOL:
		return DB_UNAVAIL;
	default:
		return DB_ERROR;
	}
}

static int
fail(struct db *db, int code, const char *what)
{
	int	 rc = classify(code);

	db->last_rc = rc;
	if (rc != DB_CONSTRAINT) {
		atomic_fetch_add(&db_errors, 1);
		error("database %s failed: %s (%d)", what,
		    sqlite3_errmsg(db->h), code);
	}
	return rc;
}

static const char *const open_pragmas =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = FULL;"	/* an acknowledged write survives */
    "PRAGMA foreign_keys = ON;"
    "PRAGMA secure_delete = ON;"	/* deleted personal data is zeroed */
    "PRAGMA trusted_schema = OFF;"
    "PRAGMA temp_store = MEMORY;";

struct db *
db_open(const char *path, int flags)
{
	struct db	*db;
	int		 oflags, rc;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	if (flags & DB_OPEN_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE;
	if (flags & DB_OPEN_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &db->h, oflags, NULL);
	if (rc != SQLITE_OK) {
		error("cannot open database '%s': %s", path,
		    db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		sqlite3_close(db->h);
		free(db);
		return NULL;
	}
	sqlite3_busy_timeout(db->h, 5000);
	if (fts_cjk_register(db->h) != 0) {
		error("cannot register the search tokenizer on '%s'", path);
		sqlite3_close(db->h);
		free(db);
		return NULL;
	}
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	if (!(flags & DB_OPEN_READONLY) &&
	    sqlite3_exec(db->h, open_pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		error("cannot set up database '%s': %s", path,
		    sqlite3_errmsg(db->h));
		sqlite3_close(db->h);
		free(db);
		return NULL;
	}
	if ((db->path = strdup(path)) == NULL) {
		sqlite3_close(db->h);
		free(db);
		return NULL;
	}
	return db;
}

void
db_close(struct db *db)
{
	size_t	 m, i;

	if (db == NULL)
		return;
	for (m = 0; m < DBM__MAX; m++) {
		if (db->stmts[m] == NULL)
			continue;
		for (i = 0; i < db_sqltabs[m]->n; i++)
			sqlite3_finalize(db->stmts[m][i].s);
		free(db->stmts[m]);
	}
	if (sqlite3_close(db->h) != SQLITE_OK)
		error("closing database: %s", sqlite3_errmsg(db->h));
	free(db->path);
	free(db);
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

static struct db_stmt *
prepare(struct db *db, enum db_module mod, int id)
{
	const struct db_sqltab	*t = db_sqltabs[mod];
	struct db_stmt		*st;

	if (db->stmts[mod] == NULL) {
		db->stmts[mod] = calloc(t->n, sizeof(struct db_stmt));
		if (db->stmts[mod] == NULL)
			return NULL;
	}
	st = &db->stmts[mod][id];
	if (t->sql[id] == NULL) {
		error("statement %s/%d is missing", t->module, id);
		return NULL;
	}
	if (sqlite3_prepare_v3(db->h, t->sql[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &st->s, NULL) != SQLITE_OK) {
		error("cannot prepare %s statement %d: %s", t->module, id,
		    sqlite3_errmsg(db->h));
		return NULL;
	}
	st->db = db;
	return st;
}

struct db_stmt *
db_stmt(struct db *db, enum db_module mod, int id)
{
	struct db_stmt	*st;

	if (mod >= DBM__MAX || id < 0 || (size_t)id >= db_sqltabs[mod]->n)
		BUG("no statement %d in module %d", id, (int)mod);
	if (db->stmts[mod] != NULL && db->stmts[mod][id].s != NULL)
		return &db->stmts[mod][id];
	if ((st = prepare(db, mod, id)) == NULL)
		BUG("statement %s/%d does not prepare",
		    db_sqltabs[mod]->module, id);
	return st;
}

int
db_prepare_all(struct db *db)
{
	size_t	 m, i;

	for (m = 0; m < DBM__MAX; m++)
		for (i = 0; i < db_sqltabs[m]->n; i++)
			if ((db->stmts[m] == NULL || db->stmts[m][i].s == NULL) &&
			    prepare(db, (enum db_module)m, (int)i) == NULL)
				return -1;
	return 0;
}

void
db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(raw(st), i, v);
}

void
db_bind_text(struct db_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(raw(st), i);
	else
		sqlite3_bind_text(raw(st), i, s, -1, SQLITE_TRANSIENT);
}

void
db_bind_textn(struct db_stmt *st, int i, const char *s, size_t n)
{
	sqlite3_bind_text64(raw(st), i, s, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

void
db_bind_blob(struct db_stmt *st, int i, const void *p, size_t n)
{
	if (p == NULL)
		sqlite3_bind_null(raw(st), i);
	else
		sqlite3_bind_blob64(raw(st), i, p, n, SQLITE_TRANSIENT);
}

void
db_bind_null(struct db_stmt *st, int i)
{
	sqlite3_bind_null(raw(st), i);
}

void
db_bind_id(struct db_stmt *st, int i, int64_t id)
{
	if (id == 0)
		sqlite3_bind_null(raw(st), i);
	else
		sqlite3_bind_int64(raw(st), i, id);
}

void
db_bind_day(struct db_stmt *st, int i, int64_t day)
{
	char	 s[11];

	if (day == 0) {
		sqlite3_bind_null(raw(st), i);
		return;
	}
	date_iso(day, s);
	sqlite3_bind_text(raw(st), i, s, -1, SQLITE_TRANSIENT);
}

int
db_step(struct db_stmt *st)
{
	int	 rc = sqlite3_step(st->s);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	rc = fail(st->db, rc, "step");
	sqlite3_reset(st->s);
	return rc;
}

int
db_exec(struct db_stmt *st)
{
	int	 rc = db_step(st);

	db_reset(st);
	if (rc == DB_ROW || rc == DB_DONE)
		return DB_OK;
	return rc;
}

void
db_reset(struct db_stmt *st)
{
	sqlite3_reset(st->s);
	sqlite3_clear_bindings(st->s);
}

int64_t
db_col_int64(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(st->s, i);
}

const char *
db_col_text(struct db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->s, i);
}

const void *
db_col_blob(struct db_stmt *st, int i)
{
	return sqlite3_column_blob(st->s, i);
}

size_t
db_col_bytes(struct db_stmt *st, int i)
{
	return (size_t)sqlite3_column_bytes(st->s, i);
}

bool
db_col_null(struct db_stmt *st, int i)
{
	return sqlite3_column_type(st->s, i) == SQLITE_NULL;
}

static int
exec_simple(struct db *db, const char *sql)
{
	int	 rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);

	/* A whole migration is too long to log: name it by its size. */
	return rc == SQLITE_OK ? DB_OK :
	    fail(db, rc, strlen(sql) > 40 ? "script" : sql);
}

/* The writers of this process, one at a time (see db_begin). */
static pthread_mutex_t	 write_lock = PTHREAD_MUTEX_INITIALIZER;

int
db_begin(struct db *db)
{
	int	 rc;

	if (db->in_tx)
		BUG("nested transaction");
	/*
	 * Writers of this process queue on a mutex rather than in SQLite's
	 * busy handler, which sleeps and polls (1, 2, 5 ... 100 ms): under
	 * concurrent writes the lock then passes at once to the next writer
	 * instead of after a nap (bench/ratings.mjs: p99 fell from seconds).
	 * Other processes still meet the busy timeout.
	 */
	pthread_mutex_lock(&write_lock);
	rc = exec_simple(db, "BEGIN IMMEDIATE");
	if (rc == DB_OK)
		db->in_tx = 1;
	else
		pthread_mutex_unlock(&write_lock);
	return rc;
}

int
db_end(struct db *db, int rc)
{
	int	 crc;

	if (!db->in_tx)
		BUG("db_end outside a transaction");
	db->in_tx = 0;
	if (rc == 0) {
		crc = exec_simple(db, "COMMIT");
		if (crc == DB_OK) {
			pthread_mutex_unlock(&write_lock);
			return 0;
		}
		rc = crc;
	}
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_unlock(&write_lock);
	return rc;
}

bool
db_in_tx(const struct db *db)
{
	return db->in_tx != 0;
}

int64_t
db_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

int
db_changes(struct db *db)
{
	return sqlite3_changes(db->h);
}

int
db_last_rc(const struct db *db)
{
	return db->last_rc;
}

int
db_exec_script(struct db *db, const char *sql)
{
	return exec_simple(db, sql);
}

int
db_backup_to(struct db *db, const char *dest)
{
	sqlite3_stmt	*st;
	int		 rc;

	rc = sqlite3_prepare_v2(db->h, "VACUUM INTO ?1", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(db, rc, "backup");
	sqlite3_bind_text(st, 1, dest, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DB_OK : fail(db, rc, "backup");
}

int
db_ping(struct db *db)
{
	sqlite3_stmt	*st;
	int		 rc;

	rc = sqlite3_prepare_v2(db->h, "SELECT count(*) FROM schema_migrations",
	    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(db, rc, "ping");
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : fail(db, rc, "ping");
}

int
db_integrity_check(struct db *db)
{
	sqlite3_stmt	*st;
	int		 rc, ok = 0;

	rc = sqlite3_prepare_v2(db->h, "PRAGMA integrity_check", -1, &st,
	    NULL);
	if (rc != SQLITE_OK)
		return fail(db, rc, "integrity check");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char	*t = (const char *)sqlite3_column_text(st, 0);

		if (t != NULL && strcmp(t, "ok") == 0)
			ok = 1;
		else
			error("integrity check: %s", t ? t : "?");
	}
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

void
db_checkpoint(struct db *db)
{
	sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    NULL, NULL);
}

uint64_t
db_error_count(void)
{
	return atomic_load(&db_errors);
}

/* Per-thread connections. */
static pthread_mutex_t	 pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db	*pool_head;
static char		*pool_path;
static _Thread_local struct db *pool_mine;

void
db_pool_init(const char *path)
{
	free(pool_path);
	pool_path = strdup(path);
}

struct db *
db_pool_get(void)
{
	struct db	*db;

	if (pool_mine != NULL)
		return pool_mine;
	if (pool_path == NULL || (db = db_open(pool_path, 0)) == NULL)
		return NULL;
	pthread_mutex_lock(&pool_lock);
	db->pool_next = pool_head;
	pool_head = db;
	pthread_mutex_unlock(&pool_lock);
	pool_mine = db;
	return db;
}

void
db_pool_close_all(void)
{
	struct db	*db, *next;

	pthread_mutex_lock(&pool_lock);
	for (db = pool_head; db != NULL; db = next) {
		next = db->pool_next;
		db_checkpoint(db);
		db_close(db);
	}
	pool_head = NULL;
	pthread_mutex_unlock(&pool_lock);
	pool_mine = NULL;
	free(pool_path);
	pool_path = NULL;
}

/* JSON helpers (dbjson.h). */

json_t *
db_json_text(struct db_stmt *st, int i)
{
	const char	*s = db_col_text(st, i);

	/* Stored text was validated as UTF-8 on its way in. */
	return s ? json_stringn_nocheck(s, db_col_bytes(st, i)) : json_null();
}

json_t *
db_json_int(struct db_stmt *st, int i)
{
	return db_col_null(st, i) ? json_null() :
	    json_integer(db_col_int64(st, i));
}

json_t *
db_json_bool(struct db_stmt *st, int i)
{
	return json_boolean(db_col_int64(st, i) != 0);
}

json_t *
db_json_time(struct db_stmt *st, int i)
{
	const char	*s = db_col_text(st, i);
	int64_t		 ms;
	char		 out[32];

	if (s == NULL || time_parse_utc(s, &ms) != 0)
		return json_null();
	time_show_cn(ms, out);
	return json_string(out);
}

json_t *
db_json_iso_cn(struct db_stmt *st, int i)
{
	const char	*s = db_col_text(st, i);
	int64_t		 ms;
	char		 out[40];

	if (s == NULL || time_parse_utc(s, &ms) != 0)
		return json_null();
	time_iso_cn_ms(ms, out);
	return json_string(out);
}

json_t *
db_json_finish(struct db_stmt *st, int r, json_t *a, int *rc)
{
	db_reset(st);
	*rc = r == DB_DONE ? DB_OK : r;
	if (*rc != DB_OK) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *
db_json_rows(struct db_stmt *st, json_t *(*row)(struct db_stmt *), int *rc)
{
	json_t	*a = json_array();
	int	 r;

	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(a, row(st));
	return db_json_finish(st, r, a, rc);
}

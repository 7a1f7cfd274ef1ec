/* db.c: SQLite connections, cached statements, transactions, backup. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "base/buf.h"
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
	int		 last_fault;	/* enum db_fault of the last failure */
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

/* Which storage fault, if any, a result code reports. */
static int
fault_of(int code)
{
	switch (code & 0xff) {
	case SQLITE_FULL:
		return DB_FAULT_FULL;
	case SQLITE_READONLY:
		return DB_FAULT_READONLY;
	case SQLITE_IOERR:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return DB_FAULT_IO;
	default:
		return DB_FAULT_NONE;
	}
}

static const char *const fault_words[] = {
	[DB_FAULT_NONE] = "",
	[DB_FAULT_FULL] = "the disk is full",
	[DB_FAULT_READONLY] = "the storage is read-only",
	[DB_FAULT_IO] = "the storage reports an I/O error",
};

static int
fail(struct db *db, int code, const char *what)
{
	int	 rc = classify(code);

	db->last_rc = rc;
	db->last_fault = fault_of(code);
	if (rc != DB_CONSTRAINT) {
		atomic_fetch_add(&db_errors, 1);
		error("database %s failed: %s (%d)", what,
		    sqlite3_errmsg(db->h), code);
	}
	/*
	 * A storage fault needs a person: say so on a line of its own that
	 * a log watcher can match ("ALERT storage").  Nothing was saved.
	 */
	if (db->last_fault != DB_FAULT_NONE)
		error("ALERT storage: %s (%s, %s): nothing was saved; writes"
		    " fail until it is fixed, reads go on",
		    fault_words[db->last_fault], db->path, what);
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
	db->last_fault = DB_FAULT_NONE;
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
db_last_fault(const struct db *db)
{
	return db->last_fault;
}

void
db_fault_clear(struct db *db)
{
	db->last_fault = DB_FAULT_NONE;
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

int
db_snapshot_to(struct db *db, const char *dest,
    int (*fn)(struct db *, void *), void *arg)
{
	sqlite3_backup	*b;
	sqlite3		*d = NULL;
	int		 rc, fd;
	bool		 made = false;

	if ((rc = sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK)
		return fail(db, rc, "snapshot begin");
	/* The first read fixes the snapshot that both fn and the copy see. */
	if ((rc = db_ping(db)) != 0)
		goto out;
	if (fn != NULL && fn(db, arg) != 0) {
		rc = DB_ERROR;
		goto out;
	}
	/*
	 * SQLite's open would reuse a file that is there: make it here, new
	 * and private (an empty file is an empty database).
	 */
	if ((fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		log_warn("snapshot: cannot create %s: %s", dest,
		    strerror(errno));
		rc = DB_ERROR;
		goto out;
	}
	close(fd);
	made = true;
	rc = sqlite3_open_v2(dest, &d, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		log_warn("snapshot: cannot create %s: %s", dest,
		    d != NULL ? sqlite3_errmsg(d) : "out of memory");
		rc = DB_UNAVAIL;
		goto out;
	}
	/*
	 * One step copies every page under the read transaction already
	 * open on the source, so a write elsewhere cannot restart it.
	 */
	if ((b = sqlite3_backup_init(d, "main", db->h, "main")) == NULL) {
		log_warn("snapshot: %s", sqlite3_errmsg(d));
		rc = DB_ERROR;
		goto out;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		log_warn("snapshot to %s: %s", dest, sqlite3_errstr(rc));
		rc = classify(rc);
		goto out;
	}
	rc = sqlite3_exec(d, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	rc = rc == SQLITE_OK ? DB_OK : fail(db, rc, "snapshot journal mode");
out:
	if (d != NULL && sqlite3_close(d) != SQLITE_OK && rc == DB_OK)
		rc = DB_ERROR;
	sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
	/* Half a copy is never left to be taken for a backup. */
	if (rc != DB_OK && made)
		unlink(dest);
	return rc;
}

/* An identifier, double-quoted, for a name that came from the schema. */
static void
quote_ident(struct buf *b, const char *name)
{
	buf_addc(b, '"');
	for (; *name != '\0'; name++) {
		if (*name == '"')
			buf_addc(b, '"');
		buf_addc(b, *name);
	}
	buf_addc(b, '"');
}

static void
hash_u64(crypto_hash_sha256_state *h, uint64_t v)
{
	unsigned char	 be[8];
	int		 i;

	for (i = 7; i >= 0; i--, v >>= 8)
		be[i] = (unsigned char)(v & 0xff);
	crypto_hash_sha256_update(h, be, sizeof(be));
}

/* One value: a type byte, then its bytes (length-prefixed when variable). */
static void
hash_value(crypto_hash_sha256_state *h, sqlite3_stmt *st, int i)
{
	unsigned char	 t = (unsigned char)sqlite3_column_type(st, i);
	double		 r;
	uint64_t	 u;
	const void	*p;
	size_t		 n;

	crypto_hash_sha256_update(h, &t, 1);
	switch (t) {
	case SQLITE_INTEGER:
		hash_u64(h, (uint64_t)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		r = sqlite3_column_double(st, i);
		memcpy(&u, &r, sizeof(u));
		hash_u64(h, u);
		break;
	case SQLITE_TEXT:
	case SQLITE_BLOB:
		p = t == SQLITE_TEXT ? (const void *)sqlite3_column_text(st, i) :
		    sqlite3_column_blob(st, i);
		n = (size_t)sqlite3_column_bytes(st, i);
		hash_u64(h, n);
		if (n > 0)
			crypto_hash_sha256_update(h, p, n);
		break;
	default:
		break;
	}
}

/*
 * The statement that reads "table" in a canonical order.  This is the one
 * place SQL text is put together at run time: the names come from the
 * database's own schema, never from input, and are quoted.
 */
static int
table_query(struct db *db, const char *table, crypto_hash_sha256_state *h,
    sqlite3_stmt **out)
{
	static const char cols_sql[] = "SELECT name FROM pragma_table_info(?1)"
	    " ORDER BY pk = 0, pk, cid";
	struct buf	 sel = BUF_INIT, ord = BUF_INIT;
	sqlite3_stmt	*c;
	const char	*name;
	int		 rc, n = 0;

	*out = NULL;
	if ((rc = sqlite3_prepare_v2(db->h, cols_sql, -1, &c, NULL)) !=
	    SQLITE_OK)
		return fail(db, rc, "table columns");
	sqlite3_bind_text(c, 1, table, -1, SQLITE_STATIC);
	buf_adds(&sel, "SELECT ");
	while ((rc = sqlite3_step(c)) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(c, 0);
		hash_u64(h, strlen(name));
		crypto_hash_sha256_update(h, (const unsigned char *)name,
		    strlen(name));
		if (n++ > 0) {
			buf_adds(&sel, ", ");
			buf_adds(&ord, ", ");
		}
		quote_ident(&sel, name);
		quote_ident(&ord, name);
		buf_adds(&ord, " COLLATE BINARY");
	}
	sqlite3_finalize(c);
	if (rc != SQLITE_DONE || n == 0) {
		buf_release(&sel);
		buf_release(&ord);
		return rc != SQLITE_DONE ? fail(db, rc, "table columns") :
		    DB_ERROR;
	}
	buf_adds(&sel, " FROM ");
	quote_ident(&sel, table);
	buf_adds(&sel, " ORDER BY ");
	buf_add(&sel, ord.data, ord.len);
	buf_release(&ord);
	if (buf_err(&sel) != 0) {
		buf_release(&sel);
		return DB_ERROR;
	}
	rc = sqlite3_prepare_v2(db->h, sel.data, -1, out, NULL);
	buf_release(&sel);
	return rc == SQLITE_OK ? DB_OK : fail(db, rc, "table read");
}

static int
table_hash(struct db *db, const char *table, int64_t *rows,
    unsigned char sha[32])
{
	crypto_hash_sha256_state h;
	sqlite3_stmt	*st;
	int		 rc, i, n;

	*rows = 0;
	crypto_hash_sha256_init(&h);
	if ((rc = table_query(db, table, &h, &st)) != DB_OK)
		return rc;
	n = sqlite3_column_count(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++)
			hash_value(&h, st, i);
		(*rows)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(db, rc, "table read");
	crypto_hash_sha256_final(&h, sha);
	return DB_OK;
}

int
db_table_hashes(struct db *db, db_table_fn fn, void *arg)
{
	static const char list_sql[] = "SELECT name FROM sqlite_schema"
	    " WHERE type = 'table' AND name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\'"
	    " AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%' ORDER BY name";
	sqlite3_stmt	*st;
	unsigned char	 sha[32];
	int64_t		 rows;
	int		 rc;

	if ((rc = sqlite3_prepare_v2(db->h, list_sql, -1, &st, NULL)) !=
	    SQLITE_OK)
		return fail(db, rc, "table list");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		if (table_hash(db, name, &rows, sha) != DB_OK ||
		    fn(name, rows, sha, arg) != 0) {
			sqlite3_finalize(st);
			return DB_ERROR;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DB_OK : fail(db, rc, "table list");
}

/* audit.c: the hash-chained audit log, written in the caller's transaction. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "auth/secret.h"
#include "base/jsonmem.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/dbjson.h"

enum audit_sql {
	AUDIT_SQL_LAST,
	AUDIT_SQL_INSERT,
	AUDIT_SQL_ALL,
	AUDIT_SQL_LIST,
	AUDIT_SQL__MAX
};

static const char *const audit_sql[AUDIT_SQL__MAX] = {
	[AUDIT_SQL_LAST] =
	    "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
	[AUDIT_SQL_INSERT] =
	    "INSERT INTO audit (id, at, township_id, actor_id, actor, role,"
	    " addr, request_id, action, object_type, object_id, result,"
	    " detail, prev_hash, hash)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15)",
	[AUDIT_SQL_ALL] =
	    "SELECT id, at, township_id, actor_id, actor, role, addr,"
	    " request_id, action, object_type, object_id, result, detail,"
	    " prev_hash, hash FROM audit ORDER BY id",
	[AUDIT_SQL_LIST] =
	    "SELECT id, at, actor, role, addr, action, object_type, object_id,"
	    " result, detail, request_id FROM audit"
	    " WHERE (township_id = ?1 OR township_id IS NULL)"
	    " AND (?2 IS NULL OR actor = ?2)"
	    " AND (?3 IS NULL OR action = ?3 OR action LIKE ?3 || '.%')"
	    " AND (?4 IS NULL OR at >= ?4) AND (?5 IS NULL OR at < ?5)"
	    " AND (?6 IS NULL OR result = ?6)"
	    " AND id < ?7 ORDER BY id DESC LIMIT ?8",
};

const struct db_sqltab audit_sqltab = { "audit", audit_sql, AUDIT_SQL__MAX };

static void
field(crypto_generichash_state *st, const char *s)
{
	unsigned char	 len[4];
	size_t		 n = s ? strlen(s) : 0;

	len[0] = (unsigned char)(n >> 24);
	len[1] = (unsigned char)(n >> 16);
	len[2] = (unsigned char)(n >> 8);
	len[3] = (unsigned char)n;
	crypto_generichash_update(st, len, 4);
	if (n)
		crypto_generichash_update(st, (const unsigned char *)s, n);
}

static void
field_int(crypto_generichash_state *st, int64_t v)
{
	char	 tmp[24];

	snprintf(tmp, sizeof(tmp), "%" PRId64, v);
	field(st, tmp);
}

void
audit_hash(const unsigned char prev[AUDIT_HASH_LEN], const struct audit_row *r,
    const unsigned char key[32], unsigned char out[AUDIT_HASH_LEN])
{
	crypto_generichash_state	 st;

	crypto_generichash_init(&st, key, 32, AUDIT_HASH_LEN);
	crypto_generichash_update(&st, prev, AUDIT_HASH_LEN);
	field_int(&st, r->id);
	field(&st, r->at);
	field_int(&st, r->township_id);
	field_int(&st, r->actor_id);
	field(&st, r->actor);
	field(&st, r->role);
	field(&st, r->addr);
	field(&st, r->request_id);
	field(&st, r->action);
	field(&st, r->object_type);
	field(&st, r->object_id);
	field(&st, r->result);
	field(&st, r->detail);
	crypto_generichash_final(&st, out, AUDIT_HASH_LEN);
}

int
audit_write(struct db *db, const struct audit_actor *who, const char *action,
    const char *object_type, int64_t object_id, bool ok, json_t *detail)
{
	struct db_stmt	*st;
	struct audit_row r;
	unsigned char	 prev[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN];
	char		 at[TIME_ISO_LEN], oid[24];
	char		*dj = NULL;
	int		 rc;

	if (!db_in_tx(db))
		BUG("audit_write outside a transaction");
	memset(prev, 0, sizeof(prev));
	st = db_stmt(db, DBM_AUDIT, AUDIT_SQL_LAST);
	rc = db_step(st);
	if (rc < 0)
		return rc;
	r.id = 1;
	if (rc == DB_ROW) {
		r.id = db_col_int64(st, 0) + 1;
		if (db_col_bytes(st, 1) == AUDIT_HASH_LEN)
			memcpy(prev, db_col_blob(st, 1), AUDIT_HASH_LEN);
	}
	db_reset(st);

	time_iso_utc(time_now_ms(), at);
	oid[0] = '\0';
	if (object_id != 0)
		snprintf(oid, sizeof(oid), "%" PRId64, object_id);
	if (detail != NULL)
		dj = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	r.at = at;
	r.township_id = who->township_id;
	r.actor_id = who->account_id;
	r.actor = who->login ? who->login : "-";
	r.role = who->role ? who->role : "";
	r.addr = who->addr ? who->addr : "-";
	r.request_id = who->request_id ? who->request_id : "";
	r.action = action;
	r.object_type = object_type ? object_type : "";
	r.object_id = oid;
	r.result = ok ? "ok" : "fail";
	r.detail = dj ? dj : "{}";
	audit_hash(prev, &r, secret_key(SECRET_AUDIT), hash);

	st = db_stmt(db, DBM_AUDIT, AUDIT_SQL_INSERT);
	db_bind_int64(st, 1, r.id);
	db_bind_text(st, 2, r.at);
	db_bind_id(st, 3, r.township_id);
	db_bind_id(st, 4, r.actor_id);
	db_bind_text(st, 5, r.actor);
	db_bind_text(st, 6, r.role);
	db_bind_text(st, 7, r.addr);
	db_bind_text(st, 8, r.request_id);
	db_bind_text(st, 9, r.action);
	db_bind_text(st, 10, r.object_type);
	db_bind_text(st, 11, r.object_id);
	db_bind_text(st, 12, r.result);
	db_bind_text(st, 13, r.detail);
	db_bind_blob(st, 14, prev, sizeof(prev));
	db_bind_blob(st, 15, hash, sizeof(hash));
	rc = db_exec(st);
	jsonmem_free(dj);
	if (rc != DB_OK) {
		log_warn("audit write failed for %s; the change is refused",
		    action);
		return DB_UNAVAIL;	/* never "conflict": the log failed */
	}
	return DB_OK;
}

int64_t
audit_version(struct db *db)
{
	struct db_stmt	*st = db_stmt(db, DBM_AUDIT, AUDIT_SQL_LAST);
	int64_t		 v = -1;
	int		 rc;

	rc = db_step(st);
	if (rc == DB_ROW)
		v = db_col_int64(st, 0);
	else if (rc == DB_DONE)
		v = 0;
	db_reset(st);
	return v;
}

int
audit_write_alone(struct db *db, const struct audit_actor *who,
    const char *action, const char *object_type, int64_t object_id, bool ok,
    json_t *detail)
{
	int	 rc;

	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	rc = audit_write(db, who, action, object_type, object_id, ok, detail);
	return db_end(db, rc);
}

static const char *
text(struct db_stmt *st, int i)
{
	const char	*s = db_col_text(st, i);

	return s ? s : "";
}

int
audit_verify(struct db *db, int64_t *count, int64_t *bad_id, char *why,
    size_t whylen)
{
	struct db_stmt	*st;
	struct audit_row r;
	unsigned char	 prev[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN];
	int64_t		 n = 0, last_id = 0;
	int		 rc, broken = 0;

	memset(prev, 0, sizeof(prev));
	st = db_stmt(db, DBM_AUDIT, AUDIT_SQL_ALL);
	while ((rc = db_step(st)) == DB_ROW) {
		r.id = db_col_int64(st, 0);
		r.at = text(st, 1);
		r.township_id = db_col_int64(st, 2);
		r.actor_id = db_col_int64(st, 3);
		r.actor = text(st, 4);
		r.role = text(st, 5);
		r.addr = text(st, 6);
		r.request_id = text(st, 7);
		r.action = text(st, 8);
		r.object_type = text(st, 9);
		r.object_id = text(st, 10);
		r.result = text(st, 11);
		r.detail = text(st, 12);
		n++;
		if (r.id != last_id + 1) {
			snprintf(why, whylen, "record %" PRId64 " follows %"
			    PRId64 ": records are missing", r.id, last_id);
			broken = 1;
		} else if (db_col_bytes(st, 13) != AUDIT_HASH_LEN ||
		    memcmp(db_col_blob(st, 13), prev, AUDIT_HASH_LEN) != 0) {
			snprintf(why, whylen, "record %" PRId64 " does not link"
			    " to the record before it", r.id);
			broken = 1;
		} else {
			audit_hash(prev, &r, secret_key(SECRET_AUDIT), hash);
			if (db_col_bytes(st, 14) != AUDIT_HASH_LEN ||
			    memcmp(db_col_blob(st, 14), hash,
			    AUDIT_HASH_LEN) != 0) {
				snprintf(why, whylen, "record %" PRId64
				    " was changed after it was written", r.id);
				broken = 1;
			}
		}
		if (broken) {
			*bad_id = r.id;
			db_reset(st);
			*count = n;
			return 1;
		}
		memcpy(prev, db_col_blob(st, 14), AUDIT_HASH_LEN);
		last_id = r.id;
	}
	db_reset(st);
	*count = n;
	return rc < 0 ? rc : 0;
}

json_t *
audit_list(struct db *db, int64_t township, const struct audit_filter *f,
    int *rc)
{
	struct db_stmt	*st = db_stmt(db, DBM_AUDIT, AUDIT_SQL_LIST);
	json_t		*items = json_array(), *res, *detail;
	int64_t		 last = 0;
	size_t		 n;
	int		 r;

	db_bind_int64(st, 1, township);
	db_bind_text(st, 2, f->actor);
	db_bind_text(st, 3, f->action);
	db_bind_text(st, 4, f->from);
	db_bind_text(st, 5, f->to);
	db_bind_text(st, 6, f->result);
	db_bind_int64(st, 7, f->before ? f->before : INT64_MAX);
	db_bind_int64(st, 8, f->limit + 1);
	while ((r = db_step(st)) == DB_ROW) {
		detail = json_loads(db_col_text(st, 9), 0, NULL);
		last = db_col_int64(st, 0);
		json_array_append_new(items, json_pack("{so so so so so so so so"
		    " so so so so ss}",
		    "id", db_json_int(st, 0),
		    "at", db_json_iso_cn(st, 1),
		    "at_label", db_json_time(st, 1),
		    "actor", db_json_text(st, 2),
		    "role", db_json_text(st, 3),
		    "addr", db_json_text(st, 4),
		    "action", db_json_text(st, 5),
		    "object_type", db_json_text(st, 6),
		    "object_id", db_json_text(st, 7),
		    "result", db_json_text(st, 8),
		    "detail", detail ? detail : json_object(),
		    "request_id", db_json_text(st, 10),
		    "result_label", strcmp(db_col_text(st, 8), "ok") == 0 ?
		    "成功" : "失败"));
	}
	db_reset(st);
	*rc = r == DB_DONE ? DB_OK : r;
	if (*rc != DB_OK) {
		json_decref(items);
		return NULL;
	}
	n = json_array_size(items);
	res = json_pack("{so sn}", "items", items, "next");
	if (n > (size_t)f->limit) {
		json_array_remove(items, n - 1);
		last = json_integer_value(json_object_get(json_array_get(items,
		    n - 2), "id"));
		json_object_set_new(res, "next", json_sprintf("%lld",
		    (long long)last));
	}
	return res;
}

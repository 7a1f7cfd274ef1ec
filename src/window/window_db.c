/* window_db.c: windows, AB posts, service records, satisfaction figures. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/arena.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "db/db.h"
#include "db/dbjson.h"
#include "rating/rating_db.h"
#include "window/window_db.h"

enum window_sql {
	WS_LIST,
	WS_GET,
	WS_INSERT,
	WS_UPDATE,
	WS_CADRE_OK,
	WS_VILLAGE_OK,
	WS_ABSENT,
	WS_BY_CODE,
	WS_POSTS,
	WS_REC_INSERT,
	WS_REC_GET,
	WS_RECS,
	WS_REC_BY_CODE,
	WS_REC_OF,
	WS_RATED,
	WS_RECT_OF_REC,
	WS_REC_OF_RECT,
	WS_STAT_STAFF,
	WS_STAT_RECT,
	WS_GUESSES,
	WS_GUESS,
	WS__MAX
};

/* The month's service ratings of each window (?3 .. ?4 are days). */
#define WINDOW_COLS \
	"SELECT w.id, w.name, w.village_id, v.name, w.items, w.lead_id," \
	" pl.name, w.a_id, pa.name, w.b_id, pb.name, w.a_absent," \
	" w.absent_note, w.code," \
	" (SELECT count(*) FROM rating r WHERE r.purpose = 'window'" \
	"  AND r.aspect = 'service' AND r.subject_kind = 'window'" \
	"  AND r.subject_id = w.id AND r.day BETWEEN ?3 AND ?4" \
	"  AND r.voided_at IS NULL)," \
	" (SELECT count(*) FROM rating r JOIN rating_level l" \
	"  ON l.scale = r.scale AND l.level = r.level WHERE l.bad = 0" \
	"  AND r.purpose = 'window' AND r.aspect = 'service'" \
	"  AND r.subject_kind = 'window' AND r.subject_id = w.id" \
	"  AND r.day BETWEEN ?3 AND ?4 AND r.voided_at IS NULL)" \
	" FROM service_window w LEFT JOIN village v ON v.id = w.village_id" \
	" LEFT JOIN person pl ON pl.id = w.lead_id" \
	" JOIN person pa ON pa.id = w.a_id JOIN person pb ON pb.id = w.b_id" \
	" WHERE w.township_id = ?1 AND (?2 IS NULL OR w.village_id = ?2)"

#define RECORD_COLS \
	"SELECT s.id, s.window_id, w.name, s.village_id, s.item," \
	" s.citizen_mask, s.handler_id, p.name, s.post, s.eval_code," \
	" s.finished_at" \
	" FROM service_record s JOIN service_window w ON w.id = s.window_id" \
	" JOIN person p ON p.id = s.handler_id" \
	" WHERE s.township_id = ?1 AND (?2 IS NULL OR s.village_id = ?2)"

static const char *const window_sql[WS__MAX] = {
	[WS_LIST] =
	    WINDOW_COLS " ORDER BY w.village_id IS NOT NULL, w.village_id, w.id"
	    " LIMIT 500",
	[WS_GET] =
	    WINDOW_COLS " AND w.id = ?5",
	[WS_INSERT] =
	    "INSERT INTO service_window (township_id, village_id, name, items,"
	    " code, lead_id, a_id, b_id, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
	[WS_UPDATE] =
	    "UPDATE service_window SET village_id = ?3, name = ?4, items = ?5,"
	    " lead_id = ?6, a_id = ?7, b_id = ?8, updated_at = ?9"
	    " WHERE township_id = ?1 AND id = ?2",
	[WS_CADRE_OK] =
	    "SELECT 1 FROM person WHERE township_id = ?1 AND id = ?2"
	    " AND kind = 'cadre'",
	[WS_VILLAGE_OK] =
	    "SELECT 1 FROM village WHERE township_id = ?1 AND id = ?2",
	[WS_ABSENT] =
	    "UPDATE service_window SET a_absent = ?4, absent_note = ?5,"
	    " updated_at = ?6 WHERE township_id = ?1"
	    " AND (?2 IS NULL OR village_id = ?2) AND id = ?3",
	[WS_BY_CODE] =
	    "SELECT w.id, w.township_id, w.name, v.name FROM service_window w"
	    " LEFT JOIN village v ON v.id = w.village_id"
	    " WHERE w.code = ?1 AND w.active = 1",
	[WS_POSTS] =
	    "SELECT a_id, b_id, a_absent, village_id FROM service_window"
	    " WHERE township_id = ?1 AND (?2 IS NULL OR village_id = ?2)"
	    " AND id = ?3",
	[WS_REC_INSERT] =
	    "INSERT INTO service_record (township_id, window_id, village_id,"
	    " item, citizen_mask, handler_id, post, eval_code, finished_at,"
	    " created_by, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9)",
	[WS_REC_GET] =
	    RECORD_COLS " AND s.id = ?3",
	[WS_RECS] =
	    RECORD_COLS " AND s.window_id = ?3 ORDER BY s.id DESC LIMIT 100",
	[WS_REC_BY_CODE] =
	    "SELECT s.id FROM service_record s WHERE s.window_id = ?1"
	    " AND s.eval_code = ?2 AND s.finished_at >= ?3"
	    " AND NOT EXISTS (SELECT 1 FROM rating r WHERE r.purpose = 'window'"
	    " AND r.record_id = s.id) ORDER BY s.id DESC LIMIT 1",
	[WS_REC_OF] =
	    "SELECT s.id, s.window_id, s.village_id, w.lead_id, s.handler_id,"
	    " w.name, p.name, s.item FROM service_record s"
	    " JOIN service_window w ON w.id = s.window_id"
	    " JOIN person p ON p.id = s.handler_id"
	    " WHERE s.township_id = ?1 AND s.id = ?2",
	[WS_RATED] =
	    "SELECT 1 FROM rating WHERE purpose = 'window' AND record_id = ?1",
	[WS_RECT_OF_REC] =
	    "SELECT matter_id FROM rating_firing WHERE township_id = ?1"
	    " AND trigger_key = 'record:window:' || ?2"
	    " AND matter_id IS NOT NULL",
	[WS_REC_OF_RECT] =
	    "SELECT r.record_id FROM rating_firing f JOIN rating r"
	    " ON r.id = f.rating_id WHERE f.township_id = ?1"
	    " AND f.matter_id = ?2",
	[WS_STAT_STAFF] =
	    "SELECT p.id, p.name, count(*), sum(l.bad = 0) FROM rating r"
	    " JOIN person p ON p.id = r.subject_id JOIN rating_level l"
	    " ON l.scale = r.scale AND l.level = r.level"
	    " WHERE r.township_id = ?1 AND (?2 IS NULL OR r.village_id = ?2)"
	    " AND r.purpose = 'window' AND r.aspect = 'conduct'"
	    " AND r.subject_kind = 'person' AND r.day BETWEEN ?3 AND ?4"
	    " AND r.voided_at IS NULL GROUP BY p.id ORDER BY p.id",
	[WS_STAT_RECT] =
	    "SELECT count(*), coalesce(sum(m.state = 'closed'), 0),"
	    " coalesce(sum(EXISTS (SELECT 1 FROM matter_event e"
	    " WHERE e.matter_id = m.id AND e.action = 'callback')), 0)"
	    " FROM matter m WHERE m.township_id = ?1"
	    " AND (?2 IS NULL OR m.village_id = ?2)"
	    " AND m.type = 'rectification' AND m.opened_at >= ?3"
	    " AND m.opened_at < ?4",
	[WS_GUESSES] =
	    "SELECT hits FROM throttle WHERE key = ?1 AND window_start = ?2",
	[WS_GUESS] =
	    "INSERT INTO throttle (key, window_start, hits) VALUES (?1, ?2, 1)"
	    " ON CONFLICT (key) DO UPDATE SET"
	    " hits = CASE WHEN window_start = ?2 THEN hits + 1 ELSE 1 END,"
	    " window_start = ?2",
};

const struct db_sqltab window_sqltab = { "window", window_sql, WS__MAX };

static struct db_stmt *
stmt(struct db *db, enum window_sql id)
{
	return db_stmt(db, DBM_WINDOW, id);
}

/* "93.5" from counts; "—" when nothing was rated. */
static json_t *
rate(int64_t part, int64_t total)
{
	if (total == 0)
		return json_string("—");
	return json_sprintf("%.1f", 100.0 * (double)part / (double)total);
}

static json_t *
window_row(struct db_stmt *st)
{
	int64_t	 total = db_col_int64(st, 14), ok = db_col_int64(st, 15);
	bool	 absent = db_col_int64(st, 11) != 0;
	json_t	*o;

	o = json_pack("{so so so so so so so so so so so sb so so sI sI so}",
	    "id", db_json_int(st, 0), "name", db_json_text(st, 1),
	    "village_id", db_json_int(st, 2), "village", db_json_text(st, 3),
	    "items", db_json_text(st, 4), "lead_id", db_json_int(st, 5),
	    "lead", db_json_text(st, 6), "a_id", db_json_int(st, 7),
	    "a", db_json_text(st, 8), "b_id", db_json_int(st, 9),
	    "b", db_json_text(st, 10), "a_absent", absent,
	    "absent_note", db_json_text(st, 12), "code", db_json_text(st, 13),
	    "total", (json_int_t)total, "satisfied", (json_int_t)ok,
	    "rate", rate(ok, total));
	json_object_set_new(o, "on_duty", db_json_text(st, absent ? 10 : 8));
	if (json_is_null(json_object_get(o, "village")))
		json_object_set_new(o, "village", json_string("乡镇便民服务中心"));
	if (json_is_null(json_object_get(o, "lead")))
		json_object_set_new(o, "lead", json_string(""));
	return o;
}

json_t *
window_list(struct db *db, const struct scope *sc, int64_t from, int64_t to,
    int *rc)
{
	struct db_stmt	*st = stmt(db, WS_LIST);

	scope_bind(st, sc);
	db_bind_day(st, 3, from);
	db_bind_day(st, 4, to);
	return db_json_rows(st, window_row, rc);
}

json_t *
window_get(struct db *db, const struct scope *sc, int64_t id, int *rc)
{
	struct db_stmt	*st = stmt(db, WS_GET);
	int64_t		 today = date_today_cn();
	int		 y, m, d, r;
	json_t		*o = NULL;

	date_to_ymd(today, &y, &m, &d);
	scope_bind(st, sc);
	db_bind_day(st, 3, date_from_ymd(y, m, 1));
	db_bind_day(st, 4, today);
	db_bind_int64(st, 5, id);
	if ((r = db_step(st)) == DB_ROW)
		o = window_row(st);
	db_reset(st);
	*rc = r == DB_ROW ? DB_OK : r;
	return o;
}

static int
exists(struct db *db, enum window_sql id, int64_t township, int64_t key)
{
	struct db_stmt	*st = stmt(db, id);
	int		 rc;

	db_bind_int64(st, 1, township);
	db_bind_int64(st, 2, key);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int
window_cadre_ok(struct db *db, int64_t township_id, int64_t person)
{
	return exists(db, WS_CADRE_OK, township_id, person);
}

int
window_village_ok(struct db *db, int64_t township_id, int64_t village)
{
	return exists(db, WS_VILLAGE_OK, township_id, village);
}

int
window_save(struct db *db, const struct scope *sc, const struct window_in *in,
    const struct audit_actor *who, int64_t now, int64_t *id)
{
	struct db_stmt	*st;
	char		 at[TIME_ISO_LEN], code[SECRET_TOKEN_LEN + 1];
	json_t		*d;
	int		 rc;

	time_iso_utc(now, at);
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	if (*id == 0) {
		secret_token(code);
		code[16] = '\0';	/* 96 bits: a public name, not a secret */
		st = stmt(db, WS_INSERT);
		db_bind_int64(st, 1, sc->township_id);
		db_bind_id(st, 2, in->village_id);
		db_bind_text(st, 3, in->name);
		db_bind_text(st, 4, in->items ? in->items : "");
		db_bind_text(st, 5, code);
		db_bind_id(st, 6, in->lead_id);
		db_bind_int64(st, 7, in->a_id);
		db_bind_int64(st, 8, in->b_id);
		db_bind_text(st, 9, at);
		rc = db_exec(st);
		if (rc == DB_OK)
			*id = db_last_id(db);
	} else {
		st = stmt(db, WS_GET);	/* in scope? */
		scope_bind(st, sc);
		db_bind_day(st, 3, 0);
		db_bind_day(st, 4, 0);
		db_bind_int64(st, 5, *id);
		rc = db_step(st);
		db_reset(st);
		if (rc == DB_ROW) {
			st = stmt(db, WS_UPDATE);
			db_bind_int64(st, 1, sc->township_id);
			db_bind_int64(st, 2, *id);
			db_bind_id(st, 3, in->village_id);
			db_bind_text(st, 4, in->name);
			db_bind_text(st, 5, in->items ? in->items : "");
			db_bind_id(st, 6, in->lead_id);
			db_bind_int64(st, 7, in->a_id);
			db_bind_int64(st, 8, in->b_id);
			db_bind_text(st, 9, at);
			rc = db_exec(st);
		}
	}
	if (rc == DB_OK) {
		d = json_pack("{ss sI sI}", "name", in->name, "a_id",
		    (json_int_t)in->a_id, "b_id", (json_int_t)in->b_id);
		rc = audit_write(db, who, "window.save", "service_window", *id,
		    true, d);
		json_decref(d);
	}
	return db_end(db, rc);
}

int
window_set_absent(struct db *db, const struct scope *sc, int64_t id,
    bool absent, const char *note, const struct audit_actor *who, int64_t now)
{
	struct db_stmt	*st = stmt(db, WS_ABSENT);
	char		 at[TIME_ISO_LEN];
	json_t		*d;
	int		 rc;

	time_iso_utc(now, at);
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	db_bind_int64(st, 4, absent ? 1 : 0);
	db_bind_text(st, 5, note ? note : "");
	db_bind_text(st, 6, at);
	rc = db_exec(st);
	if (rc == DB_OK && db_changes(db) == 0)
		rc = DB_DONE;
	if (rc == DB_OK) {
		d = json_pack("{sb}", "a_absent", absent);
		rc = audit_write(db, who, "window.absent", "service_window", id,
		    true, d);
		json_decref(d);
	}
	if (rc == DB_DONE) {
		db_end(db, rc);
		return DB_DONE;
	}
	return db_end(db, rc);
}

json_t *
window_by_code(struct db *db, const char *code, int *rc)
{
	struct db_stmt	*st = stmt(db, WS_BY_CODE);
	json_t		*o = NULL;
	int		 r;

	db_bind_text(st, 1, code);
	if ((r = db_step(st)) == DB_ROW) {
		o = json_pack("{so so so so}", "id", db_json_int(st, 0),
		    "township_id", db_json_int(st, 1), "name",
		    db_json_text(st, 2), "village", db_json_text(st, 3));
		if (json_is_null(json_object_get(o, "village")))
			json_object_set_new(o, "village",
			    json_string("乡镇便民服务中心"));
	}
	db_reset(st);
	*rc = r == DB_ROW ? DB_OK : r;
	return o;
}

/* "张三" → "张*", "欧阳娜娜" → "欧**": the first character only. */
static void
mask_name(const char *name, char *out, size_t size)
{
	size_t	 n = utf8_seqlen(name, strlen(name)), chars = utf8_len(name);

	if (n == 0 || n + 3 > size) {
		snprintf(out, size, "*");
		return;
	}
	memcpy(out, name, n);
	out[n] = '\0';
	snprintf(out + n, size - n, "%s", chars > 2 ? "**" : "*");
}

int
window_record_create(struct db *db, const struct scope *sc,
    int64_t window_id, const struct record_in *in,
    const struct audit_actor *who, int64_t now, int64_t *id, char code[7])
{
	struct db_stmt	*st;
	char		 at[TIME_ISO_LEN], mask[16];
	const char	*post;
	int64_t		 a_id, b_id, village;
	bool		 absent;
	json_t		*d;
	int		 rc;

	time_iso_utc(now, at);
	mask_name(in->citizen, mask, sizeof(mask));
	snprintf(code, 7, "%06" PRIu32, randombytes_uniform(1000000));
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	st = stmt(db, WS_POSTS);
	scope_bind(st, sc);
	db_bind_int64(st, 3, window_id);
	rc = db_step(st);
	a_id = db_col_int64(st, 0);
	b_id = db_col_int64(st, 1);
	absent = db_col_int64(st, 2) != 0;
	village = db_col_int64(st, 3);
	db_reset(st);
	if (rc != DB_ROW) {
		db_end(db, DB_DONE);
		return rc == DB_DONE ? DB_DONE : rc;
	}
	/* AB岗: while A is away, B takes the work. */
	post = in->post != NULL ? in->post : absent ? "B" : "A";
	st = stmt(db, WS_REC_INSERT);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, window_id);
	db_bind_id(st, 3, village);
	db_bind_text(st, 4, in->item);
	db_bind_text(st, 5, mask);
	db_bind_int64(st, 6, str_eq(post, "B") ? b_id : a_id);
	db_bind_text(st, 7, post);
	db_bind_text(st, 8, code);
	db_bind_text(st, 9, at);
	db_bind_id(st, 10, who->account_id);
	rc = db_exec(st);
	if (rc == DB_OK) {
		*id = db_last_id(db);
		d = json_pack("{sI ss}", "window_id", (json_int_t)window_id,
		    "post", post);
		rc = audit_write(db, who, "window.record", "service_record",
		    *id, true, d);
		json_decref(d);
	}
	return db_end(db, rc);
}

static json_t *
record_row(struct db_stmt *st)
{
	return json_pack("{so so so so so so so so so so so}",
	    "id", db_json_int(st, 0), "window_id", db_json_int(st, 1),
	    "window", db_json_text(st, 2), "village_id", db_json_int(st, 3),
	    "item", db_json_text(st, 4), "citizen", db_json_text(st, 5),
	    "handler_id", db_json_int(st, 6), "handler", db_json_text(st, 7),
	    "post", db_json_text(st, 8), "eval_code", db_json_text(st, 9),
	    "finished_at", db_json_time(st, 10));
}

json_t *
window_record_get(struct db *db, const struct scope *sc, int64_t id, int *rc)
{
	struct db_stmt	*st = stmt(db, WS_REC_GET);
	json_t		*o = NULL;
	int		 r;

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	if ((r = db_step(st)) == DB_ROW)
		o = record_row(st);
	db_reset(st);
	*rc = r == DB_ROW ? DB_OK : r;
	return o;
}

json_t *
window_records(struct db *db, const struct scope *sc, int64_t window_id,
    int *rc)
{
	struct db_stmt	*st = stmt(db, WS_RECS);

	scope_bind(st, sc);
	db_bind_int64(st, 3, window_id);
	return db_json_rows(st, record_row, rc);
}

int64_t
window_record_by_code(struct db *db, int64_t window_id, const char *code,
    int64_t now)
{
	struct db_stmt	*st = stmt(db, WS_REC_BY_CODE);
	char		 since[TIME_ISO_LEN];
	int64_t		 id = 0;
	int		 rc;

	time_iso_utc(now - 3LL * 86400 * 1000, since);
	db_bind_int64(st, 1, window_id);
	db_bind_text(st, 2, code);
	db_bind_text(st, 3, since);
	if ((rc = db_step(st)) == DB_ROW)
		id = db_col_int64(st, 0);
	db_reset(st);
	return rc < 0 ? rc : id;
}

int
window_record_of(struct db *db, int64_t township_id, int64_t id,
    struct arena *a, struct window_rec *r)
{
	struct db_stmt	*st = stmt(db, WS_REC_OF);
	int		 rc;

	db_bind_int64(st, 1, township_id);
	db_bind_int64(st, 2, id);
	if ((rc = db_step(st)) == DB_ROW) {
		r->id = db_col_int64(st, 0);
		r->window_id = db_col_int64(st, 1);
		r->village_id = db_col_int64(st, 2);
		r->lead_id = db_col_int64(st, 3);
		r->handler_id = db_col_int64(st, 4);
		r->window = arena_strdup(a, db_col_text(st, 5));
		r->handler = arena_strdup(a, db_col_text(st, 6));
		r->item = arena_strdup(a, db_col_text(st, 7));
	}
	db_reset(st);
	return rc == DB_ROW ? DB_OK : rc;
}

int
window_link_tx(struct db *db, int64_t township_id, int64_t record_id,
    int64_t issued_by, int64_t now, char token[SECRET_TOKEN_LEN + 1])
{
	struct rating_issue	 in;
	struct window_rec	 r;
	struct arena		 a;
	struct db_stmt		*st;
	char			 pair[SECRET_TOKEN_LEN + 1];
	int64_t			 first;
	int			 rc;

	arena_init(&a);
	memset(&r, 0, sizeof(r));
	rc = window_record_of(db, township_id, record_id, &a, &r);
	if (rc == DB_OK) {
		st = stmt(db, WS_RATED);
		db_bind_int64(st, 1, record_id);
		rc = db_step(st);
		db_reset(st);
		rc = rc == DB_ROW ? DB_DONE : rc == DB_DONE ? DB_OK : rc;
	}
	if (rc == DB_OK)
		rc = rating_revoke_record(db, "window", record_id, now);
	memset(&in, 0, sizeof(in));
	in.township_id = township_id;
	in.scale = "national";
	in.purpose = "window";
	in.village_id = r.village_id;
	in.record_id = record_id;
	in.issued_by = issued_by;
	in.ttl_hours = 24 * 7;
	if (rc == DB_OK) {
		in.aspect = "service";
		in.subject_kind = "window";
		in.subject_id = r.window_id;
		rc = rating_issue(db, &in, now, token, &first);
	}
	if (rc == DB_OK) {
		in.aspect = "conduct";
		in.subject_kind = "person";
		in.subject_id = r.handler_id;
		in.pair_id = first;
		rc = rating_issue(db, &in, now, pair, NULL);
	}
	arena_release(&a);
	return rc;
}

int
window_link(struct db *db, int64_t township_id, int64_t record_id,
    int64_t issued_by, const struct audit_actor *who, int64_t now,
    char token[SECRET_TOKEN_LEN + 1])
{
	int	 rc;

	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	rc = window_link_tx(db, township_id, record_id, issued_by, now, token);
	if (rc == DB_OK)
		rc = audit_write(db, who, "window.link", "service_record",
		    record_id, true, NULL);
	if (rc == DB_DONE) {
		db_end(db, rc);
		return DB_DONE;
	}
	return db_end(db, rc);
}

int
window_rerate_link(struct db *db, int64_t township_id, int64_t matter_id,
    int64_t issued_by, int64_t now, char token[SECRET_TOKEN_LEN + 1])
{
	struct rating_issue	 in;
	struct window_rec	 r;
	struct arena		 a;
	int64_t			 rec;
	int			 rc;

	if ((rec = window_record_of_rect(db, township_id, matter_id)) <= 0)
		return rec < 0 ? (int)rec : DB_DONE;
	arena_init(&a);
	rc = window_record_of(db, township_id, rec, &a, &r);
	arena_release(&a);
	if (rc != DB_OK)
		return rc;
	if ((rc = rating_revoke_record(db, "window_rerate", rec, now)) != DB_OK)
		return rc;
	memset(&in, 0, sizeof(in));
	in.township_id = township_id;
	in.scale = "national";
	in.purpose = "window_rerate";
	in.aspect = "rerate";
	in.subject_kind = "matter";
	in.subject_id = matter_id;
	in.village_id = r.village_id;
	in.record_id = rec;
	in.issued_by = issued_by;
	in.ttl_hours = 24 * 15;
	return rating_issue(db, &in, now, token, NULL);
}

static int64_t
one_id(struct db *db, enum window_sql id, int64_t township, int64_t key)
{
	struct db_stmt	*st = stmt(db, id);
	int64_t		 v = 0;
	int		 rc;

	db_bind_int64(st, 1, township);
	db_bind_int64(st, 2, key);
	if ((rc = db_step(st)) == DB_ROW)
		v = db_col_int64(st, 0);
	db_reset(st);
	return rc < 0 ? rc : v;
}

int64_t
window_rect_of_record(struct db *db, int64_t township_id, int64_t record_id)
{
	return one_id(db, WS_RECT_OF_REC, township_id, record_id);
}

int64_t
window_record_of_rect(struct db *db, int64_t township_id, int64_t matter_id)
{
	return one_id(db, WS_REC_OF_RECT, township_id, matter_id);
}

static json_t *
staff_row(struct db_stmt *st)
{
	int64_t	 total = db_col_int64(st, 2), ok = db_col_int64(st, 3);

	return json_pack("{so so sI sI so}", "id", db_json_int(st, 0),
	    "name", db_json_text(st, 1), "total", (json_int_t)total,
	    "satisfied", (json_int_t)ok, "rate", rate(ok, total));
}

json_t *
window_stats(struct db *db, const struct scope *sc, int64_t from, int64_t to,
    int *rc)
{
	struct db_stmt	*st;
	json_t		*windows, *staff, *o;
	char		 f[TIME_ISO_LEN], t[TIME_ISO_LEN];
	int64_t		 bad = 0, closed = 0, called = 0;
	int		 r;

	if ((windows = window_list(db, sc, from, to, rc)) == NULL)
		return NULL;
	st = stmt(db, WS_STAT_STAFF);
	scope_bind(st, sc);
	db_bind_day(st, 3, from);
	db_bind_day(st, 4, to);
	if ((staff = db_json_rows(st, staff_row, rc)) == NULL) {
		json_decref(windows);
		return NULL;
	}
	/* Matters opened between the first day's and the day after's 00:00
	 * in Asia/Shanghai, as stored UTC text. */
	time_iso_utc(from * 86400000LL - TIME_CN_OFFSET_MS, f);
	time_iso_utc((to + 1) * 86400000LL - TIME_CN_OFFSET_MS, t);
	st = stmt(db, WS_STAT_RECT);
	scope_bind(st, sc);
	db_bind_text(st, 3, f);
	db_bind_text(st, 4, t);
	if ((r = db_step(st)) == DB_ROW) {
		bad = db_col_int64(st, 0);
		closed = db_col_int64(st, 1);
		called = db_col_int64(st, 2);
	}
	db_reset(st);
	if (r < 0) {
		json_decref(windows);
		json_decref(staff);
		*rc = r;
		return NULL;
	}
	o = json_pack("{so so sI sI sI so so}", "windows", windows,
	    "staff", staff, "bad", (json_int_t)bad, "rectified",
	    (json_int_t)closed, "called_back", (json_int_t)called,
	    "rectify_rate", rate(closed, bad), "callback_rate",
	    rate(called, bad));
	*rc = DB_OK;
	return o;
}

/*
 * Wrong evaluation codes from one address in the current minute (the
 * shared throttle table, key "evalcode:<addr>"): how many, and count one.
 */
int
window_guesses(struct db *db, const char *addr, int64_t now)
{
	struct db_stmt	*st = stmt(db, WS_GUESSES);
	char		 key[96];
	int		 rc, n = 0;

	snprintf(key, sizeof(key), "evalcode:%s", addr);
	db_bind_text(st, 1, key);
	db_bind_int64(st, 2, now / 60000);
	if ((rc = db_step(st)) == DB_ROW)
		n = (int)db_col_int64(st, 0);
	db_reset(st);
	return rc < 0 ? rc : n;
}

int
window_guess_wrong(struct db *db, const char *addr, int64_t now)
{
	struct db_stmt	*st = stmt(db, WS_GUESS);
	char		 key[96];
	int		 rc;

	snprintf(key, sizeof(key), "evalcode:%s", addr);
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	db_bind_text(st, 1, key);
	db_bind_int64(st, 2, now / 60000);
	return db_end(db, db_exec(st));
}

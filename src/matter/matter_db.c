/* matter_db.c: matters in the database: create, read, list, act, remind. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/role.h"
#include "base/buf.h"
#include "base/jsonmem.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/dbjson.h"
#include "db/fts_cjk.h"
#include "matter/matter_db.h"

enum matter_sql {
	MATTER_SQL_COUNTER,
	MATTER_SQL_INSERT,
	MATTER_SQL_PERSON_ADD,
	MATTER_SQL_EVENT,
	MATTER_SQL_FTS_ADD,
	MATTER_SQL_LOAD,
	MATTER_SQL_UPDATE,
	MATTER_SQL_GET,
	MATTER_SQL_TIMELINE,
	MATTER_SQL_ATTACHMENTS,
	MATTER_SQL_KINDS,
	MATTER_SQL_ORDERS,
	MATTER_SQL_ORDER_ADD,
	MATTER_SQL_PEOPLE,
	MATTER_SQL_LIST,
	MATTER_SQL_LIST_OPEN,
	MATTER_SQL_LIST_SEARCH,
	MATTER_SQL_LIST_FTS,
	MATTER_SQL_EACH,
	MATTER_SQL_EACH_SEARCH,
	MATTER_SQL_TODOS,
	MATTER_SQL_TODO_ORDERS,
	MATTER_SQL_SWEEP,
	MATTER_SQL_REMIND,
	MATTER_SQL_ATTACH,
	MATTER_SQL_ATTACHMENT,
	MATTER_SQL_CALENDAR,
	MATTER_SQL_KEY,
	MATTER_SQL_TEAM_CLEAR,
	MATTER_SQL_KEY_PEOPLE,
	MATTER_SQL_HASHES,
	MATTER_SQL__MAX
};

/* Columns of a matter row as matter_get() shows it. */
#define MATTER_COLS \
	"m.id, m.type, m.code, m.title, m.body, m.source, m.place," \
	" m.village_id, v.name, m.group_id, g.name, m.unit_id, u.name," \
	" m.lead_id, lp.name, m.resolver_id, rp.name, m.state, m.stage," \
	" m.clock_from, m.due_on, m.paused_on, m.stage_ended_on, m.extensions," \
	" m.key_matter, m.final, m.late, m.closing, m.opened_at, m.closed_at," \
	" m.details, m.raised_by"

#define MATTER_JOINS \
	" FROM matter m LEFT JOIN village v ON v.id = m.village_id" \
	" LEFT JOIN village_group g ON g.id = m.group_id" \
	" LEFT JOIN unit u ON u.id = m.unit_id" \
	" LEFT JOIN person lp ON lp.id = m.lead_id" \
	" LEFT JOIN person rp ON rp.id = m.resolver_id"

/* The list's filters, ?1 .. ?12 (see bind_filter()). */
#define LIST_WHERE \
	" WHERE m.township_id = ?1 AND (?2 IS NULL OR m.village_id = ?2)" \
	" AND (?3 IS NULL OR m.type = ?3) AND (?4 IS NULL OR m.state = ?4)" \
	" AND (?5 IS NULL OR m.village_id = ?5)" \
	" AND (?6 IS NULL OR m.unit_id = ?6)" \
	" AND (?7 IS NULL OR m.lead_id = ?7 OR m.resolver_id = ?7)" \
	" AND (?8 IS NULL OR (m.closed_at IS NULL AND m.paused_on IS NULL" \
	"  AND m.due_on < ?8))" \
	" AND (?9 IS NULL OR (m.closed_at IS NULL AND m.paused_on IS NULL" \
	"  AND m.due_on BETWEEN ?9 AND ?10))" \
	" AND (?11 IS NULL OR m.key_matter = 1)"

#define LIST_SELECT \
	"SELECT m.id, m.type, m.code, m.title, m.state, m.due_on, m.paused_on," \
	" m.opened_at, m.closed_at, m.key_matter, m.late, v.name, u.name," \
	" lp.name, rp.name, pp.name, m.source, m.village_id"

#define LIST_JOINS \
	" LEFT JOIN village v ON v.id = m.village_id" \
	" LEFT JOIN unit u ON u.id = m.unit_id" \
	" LEFT JOIN person lp ON lp.id = m.lead_id" \
	" LEFT JOIN person rp ON rp.id = m.resolver_id" \
	" LEFT JOIN person pp ON pp.id = m.raised_by"

#define LIST_COLS	LIST_SELECT " FROM matter m" LIST_JOINS

#define EACH_COLS \
	"SELECT m.code, m.type, m.title, m.body, m.state, m.source, m.place," \
	" v.name, u.name, lp.name, rp.name, pp.name, pp.phone_mask," \
	" m.opened_at, m.due_on, m.closed_at, m.closing, m.key_matter, m.late" \
	" FROM matter m LEFT JOIN village v ON v.id = m.village_id" \
	" LEFT JOIN unit u ON u.id = m.unit_id" \
	" LEFT JOIN person lp ON lp.id = m.lead_id" \
	" LEFT JOIN person rp ON rp.id = m.resolver_id" \
	" LEFT JOIN person pp ON pp.id = m.raised_by"

#define SEARCH_CLAUSE \
	" AND m.id IN (SELECT rowid FROM matter_fts WHERE matter_fts MATCH ?14)"

static const char *const matter_sql[MATTER_SQL__MAX] = {
	[MATTER_SQL_COUNTER] =
	    "INSERT INTO matter_counter (township_id, prefix, year, last)"
	    " VALUES (?1, ?2, ?3, 1) ON CONFLICT (township_id, prefix, year)"
	    " DO UPDATE SET last = last + 1 RETURNING last",
	[MATTER_SQL_INSERT] =
	    "INSERT INTO matter (township_id, type, code, title, body, source,"
	    " place, village_id, group_id, raised_by, unit_id, lead_id,"
	    " resolver_id, state, stage, clock_from, due_on, key_matter,"
	    " opened_at, updated_at, created_by, details)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15, ?16, ?17, ?18, ?19, ?19, ?20, ?21)",
	[MATTER_SQL_PERSON_ADD] =
	    "INSERT OR IGNORE INTO matter_person (matter_id, person_id, role)"
	    " VALUES (?1, ?2, ?3)",
	[MATTER_SQL_EVENT] =
	    "INSERT INTO matter_event (matter_id, at, actor_id, actor, action,"
	    " from_state, to_state, note, data)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[MATTER_SQL_FTS_ADD] =
	    "INSERT INTO matter_fts (rowid, text) VALUES (?1, ?2)",
	[MATTER_SQL_LOAD] =
	    "SELECT type, state, stage, clock_from, due_on, paused_on,"
	    " stage_ended_on, extensions, final, lead_id, resolver_id, unit_id"
	    " FROM matter WHERE township_id = ?1"
	    " AND (?2 IS NULL OR village_id = ?2) AND id = ?3",
	[MATTER_SQL_UPDATE] =
	    "UPDATE matter SET state = ?2, stage = ?3, clock_from = ?4,"
	    " due_on = ?5, paused_on = ?6, stage_ended_on = ?7,"
	    " extensions = ?8, extended_days = extended_days + ?9, final = ?10,"
	    " late = max(late, ?11), closing = ?12, closed_at = ?13,"
	    " unit_id = ?14, lead_id = ?15, resolver_id = ?16, updated_at = ?17"
	    " WHERE id = ?1",
	[MATTER_SQL_GET] =
	    "SELECT " MATTER_COLS MATTER_JOINS
	    " WHERE m.township_id = ?1 AND (?2 IS NULL OR m.village_id = ?2)"
	    " AND m.id = ?3",
	[MATTER_SQL_TIMELINE] =
	    "SELECT id, at, actor, action, from_state, to_state, note, data"
	    " FROM matter_event WHERE matter_id = ?1 ORDER BY id",
	[MATTER_SQL_ATTACHMENTS] =
	    "SELECT id, kind, name, media_type, size, sha256, uploaded_at"
	    " FROM attachment WHERE matter_id = ?1 ORDER BY id",
	[MATTER_SQL_KINDS] =
	    "SELECT DISTINCT kind FROM attachment WHERE matter_id = ?1",
	[MATTER_SQL_ORDERS] =
	    "SELECT s.id, s.issuer, s.issued_at, s.due_on, s.note, p.name"
	    " FROM supervision s LEFT JOIN person p ON p.id = s.addressed_to"
	    " WHERE s.matter_id = ?1 ORDER BY s.id",
	[MATTER_SQL_ORDER_ADD] =
	    "INSERT INTO supervision (township_id, matter_id, issued_by, issuer,"
	    " issued_at, due_on, note, addressed_to)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[MATTER_SQL_PEOPLE] =
	    "SELECT p.id, p.name, p.sex, p.birth_year, p.phone_mask,"
	    " p.idno_mask, p.address, p.key_person"
	    " FROM matter_person mp JOIN person p ON p.id = mp.person_id"
	    " WHERE mp.matter_id = ?1 AND mp.role = ?2 ORDER BY p.id",
	[MATTER_SQL_LIST] =
	    LIST_COLS LIST_WHERE " AND m.id < ?12 ORDER BY m.id DESC LIMIT ?13",
	/* Filters that only open matters pass: the matter_open index. */
	[MATTER_SQL_LIST_OPEN] =
	    LIST_COLS LIST_WHERE " AND m.closed_at IS NULL"
	    " AND m.id < ?12 ORDER BY m.id DESC LIMIT ?13",
	/* A search within a few rows: every match, then the rows. */
	[MATTER_SQL_LIST_SEARCH] =
	    LIST_COLS LIST_WHERE SEARCH_CLAUSE
	    " AND m.id < ?12 ORDER BY m.id DESC LIMIT ?13",
	/*
	 * A search of the whole township: the matches newest first, until
	 * a page of them is in the township (a common character matches
	 * hundreds of thousands of a county's matters: never all of them).
	 * Whether a match is the township's is asked of the township's
	 * stretch of matter_township, a few pages that stay in the cache,
	 * not of the matter's own row, a page read per match.
	 */
	[MATTER_SQL_LIST_FTS] =
	    LIST_SELECT " FROM matter_fts f CROSS JOIN matter m"
	    " ON m.id = f.rowid" LIST_JOINS LIST_WHERE
	    " AND EXISTS (SELECT 1 FROM matter t INDEXED BY matter_township"
	    "  WHERE t.township_id = ?1 AND t.id = f.rowid)"
	    " AND matter_fts MATCH ?14 AND f.rowid < ?12"
	    " ORDER BY f.rowid DESC LIMIT ?13",
	[MATTER_SQL_EACH] =
	    EACH_COLS LIST_WHERE " AND m.id < ?12 ORDER BY m.id DESC",
	[MATTER_SQL_EACH_SEARCH] =
	    EACH_COLS LIST_WHERE SEARCH_CLAUSE
	    " AND m.id < ?12 ORDER BY m.id DESC",
	[MATTER_SQL_TODOS] =
	    "SELECT m.id, m.type, m.code, m.title, m.state, m.due_on,"
	    " m.paused_on, m.lead_id = ?1, m.resolver_id = ?1"
	    " FROM matter m WHERE m.closed_at IS NULL"
	    " AND (m.lead_id = ?1 OR m.resolver_id = ?1)"
	    " AND m.township_id = ?2 AND (?3 IS NULL OR m.village_id = ?3)"
	    " ORDER BY m.due_on IS NULL, m.due_on, m.id LIMIT 200",
	[MATTER_SQL_TODO_ORDERS] =
	    "SELECT s.id, s.matter_id, m.code, m.title, s.due_on, s.note,"
	    " s.issuer, s.issued_at"
	    " FROM supervision s JOIN matter m ON m.id = s.matter_id"
	    " WHERE s.addressed_to = ?1 AND m.closed_at IS NULL"
	    " AND m.township_id = ?2 ORDER BY s.due_on, s.id LIMIT 100",
	[MATTER_SQL_SWEEP] =
	    /* Only reminders not yet given (matter_reminder()'s rule). */
	    "SELECT m.id, m.due_on, m.state FROM matter m"
	    " WHERE m.closed_at IS NULL AND m.paused_on IS NULL"
	    " AND m.due_on IS NOT NULL AND m.due_on <= ?1"
	    " AND NOT EXISTS (SELECT 1 FROM reminder r WHERE r.matter_id = m.id"
	    "  AND r.due_on = m.due_on AND r.kind = CASE"
	    "  WHEN m.due_on < ?2 THEN 'overdue'"
	    "  WHEN m.due_on = ?2 THEN 'due_today' ELSE 'due_soon' END)",
	[MATTER_SQL_REMIND] =
	    "INSERT OR IGNORE INTO reminder (matter_id, kind, due_on,"
	    " created_at) VALUES (?1, ?2, ?3, ?4)",
	[MATTER_SQL_ATTACH] =
	    "INSERT INTO attachment (township_id, matter_id, kind, name,"
	    " media_type, size, sha256, uploaded_by, uploaded_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[MATTER_SQL_ATTACHMENT] =
	    "SELECT a.sha256, a.name, a.media_type, a.matter_id"
	    " FROM attachment a JOIN matter m ON m.id = a.matter_id"
	    " WHERE a.id = ?3 AND m.township_id = ?1"
	    " AND (?2 IS NULL OR m.village_id = ?2)",
	[MATTER_SQL_CALENDAR] =
	    "SELECT day, kind, name FROM calendar_day ORDER BY day",
	[MATTER_SQL_KEY] =
	    "UPDATE matter SET key_matter = ?2,"
	    " details = json_patch(details, ?3), updated_at = ?4 WHERE id = ?1",
	[MATTER_SQL_TEAM_CLEAR] =
	    "DELETE FROM matter_person WHERE matter_id = ?1 AND role = 'team'",
	[MATTER_SQL_KEY_PEOPLE] =
	    "UPDATE person SET key_person = ?2 WHERE id IN"
	    " (SELECT person_id FROM matter_person WHERE matter_id = ?1"
	    " AND role = 'petitioner')",
	[MATTER_SQL_HASHES] =
	    "SELECT DISTINCT sha256 FROM attachment ORDER BY sha256",
};

const struct db_sqltab matter_sqltab = { "matter", matter_sql,
    MATTER_SQL__MAX };

static struct db_stmt *
stmt(struct db *db, enum matter_sql id)
{
	return db_stmt(db, DBM_MATTER, id);
}

/* A stored 'YYYY-MM-DD', or 0 for NULL or junk. */
static int64_t
col_day(struct db_stmt *st, int i)
{
	const char	*s = db_col_text(st, i);
	int64_t		 d;

	if (s == NULL || date_parse(s, &d) != 0)
		return 0;
	return d;
}

static void
now_text(int64_t now, char out[TIME_ISO_LEN])
{
	time_iso_utc(now, out);
}

static int
event(struct db *db, int64_t id, const struct matter_actor *who,
    const char *action, const char *from, const char *to, const char *note,
    json_t *data, int64_t now)
{
	struct db_stmt	*st = stmt(db, MATTER_SQL_EVENT);
	char		 t[TIME_ISO_LEN], *d;
	int		 rc;

	now_text(now, t);
	d = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, t);
	db_bind_id(st, 3, who ? who->audit.account_id : 0);
	db_bind_text(st, 4, who ? who->name : "系统");
	db_bind_text(st, 5, action);
	db_bind_text(st, 6, from);
	db_bind_text(st, 7, to);
	db_bind_text(st, 8, note ? note : "");
	db_bind_text(st, 9, d ? d : "{}");
	rc = db_exec(st);
	jsonmem_free(d);
	return rc;
}

int
matter_create(struct db *db, const struct scope *sc,
    const struct matter_new *in, const struct calendar *cal,
    const struct matter_actor *who, int64_t now, int64_t *id, char *code)
{
	const struct matter_type	*t = in->type;
	const struct matter_clock	*c = matter_clock(t, t->initial_clock);
	struct db_stmt			*st;
	struct buf			 text = BUF_INIT;
	char				 at[TIME_ISO_LEN], *d = NULL;
	int64_t				 seq = 0, due = 0;
	int				 y, m, dd, rc;
	size_t				 i;
	json_t				*data;

	date_to_ymd(in->clock_day, &y, &m, &dd);
	st = stmt(db, MATTER_SQL_COUNTER);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_text(st, 2, t->prefix);
	db_bind_int64(st, 3, y);
	rc = db_step(st);
	if (rc == DB_ROW)
		seq = db_col_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERROR;
	snprintf(code, 32, "%s-%04d-%04" PRId64, t->prefix, y, seq);
	if (c != NULL)
		due = matter_due(cal, c, in->clock_day, 0);

	now_text(now, at);
	if (in->details != NULL)
		d = json_dumps(in->details, JSON_COMPACT | JSON_SORT_KEYS);
	st = stmt(db, MATTER_SQL_INSERT);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_text(st, 2, t->name);
	db_bind_text(st, 3, code);
	db_bind_text(st, 4, in->title);
	db_bind_text(st, 5, in->body ? in->body : "");
	db_bind_text(st, 6, in->source ? in->source : "");
	db_bind_text(st, 7, in->place ? in->place : "");
	db_bind_id(st, 8, in->village_id);
	db_bind_id(st, 9, in->group_id);
	db_bind_id(st, 10, in->raised_by);
	db_bind_id(st, 11, in->unit_id);
	db_bind_id(st, 12, in->lead_id);
	db_bind_id(st, 13, in->resolver_id);
	db_bind_text(st, 14, t->initial);
	db_bind_text(st, 15, c ? c->stage : "");
	db_bind_day(st, 16, c ? in->clock_day : 0);
	db_bind_day(st, 17, due);
	db_bind_int64(st, 18, in->key ? 1 : 0);
	db_bind_text(st, 19, at);
	db_bind_id(st, 20, who->audit.account_id);
	db_bind_text(st, 21, d ? d : "{}");
	rc = db_exec(st);
	jsonmem_free(d);
	if (rc != DB_OK)
		return rc;
	*id = db_last_id(db);

	for (i = 0; i < in->npeople; i++) {
		st = stmt(db, MATTER_SQL_PERSON_ADD);
		db_bind_int64(st, 1, *id);
		db_bind_int64(st, 2, in->people[i]);
		db_bind_text(st, 3, "petitioner");
		if ((rc = db_exec(st)) != DB_OK)
			return rc;
	}

	buf_addf(&text, "%s %s %s %s %s", code, in->title,
	    in->body ? in->body : "", in->place ? in->place : "",
	    in->search ? in->search : "");
	st = stmt(db, MATTER_SQL_FTS_ADD);
	db_bind_int64(st, 1, *id);
	db_bind_text(st, 2, text.data);
	rc = db_exec(st);
	buf_release(&text);
	if (rc != DB_OK)
		return rc;

	data = json_pack("{ss}", "code", code);
	if (due != 0) {
		char	 ds[11];

		date_iso(due, ds);
		json_object_set_new(data, "due_on", json_string(ds));
	}
	rc = event(db, *id, who, "create", "", t->initial, in->note, data,
	    now);
	json_decref(data);
	if (rc != DB_OK)
		return rc;
	data = json_pack("{ss ss}", "type", t->name, "code", code);
	rc = audit_write(db, &who->audit, "matter.create", "matter", *id, true,
	    data);
	json_decref(data);
	return rc;
}

/* The row matter_apply() works on. */
struct loaded {
	const struct matter_type *type;
	char		 state[32], stage[32];
	int64_t		 clock_from, due, paused, stage_ended;
	int64_t		 extensions;
	bool		 final;
	int64_t		 lead_id, resolver_id, unit_id;
};

static int
load(struct db *db, const struct scope *sc, int64_t id, struct loaded *l)
{
	struct db_stmt	*st = stmt(db, MATTER_SQL_LOAD);
	int		 rc;

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		l->type = matter_type_get(db_col_text(st, 0));
		str_copy(l->state, db_col_text(st, 1), sizeof(l->state));
		str_copy(l->stage, db_col_text(st, 2), sizeof(l->stage));
		l->clock_from = col_day(st, 3);
		l->due = col_day(st, 4);
		l->paused = col_day(st, 5);
		l->stage_ended = col_day(st, 6);
		l->extensions = db_col_int64(st, 7);
		l->final = db_col_int64(st, 8) != 0;
		l->lead_id = db_col_int64(st, 9);
		l->resolver_id = db_col_int64(st, 10);
		l->unit_id = db_col_int64(st, 11);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	if (rc != DB_ROW || l->type == NULL)
		return DB_DONE;
	return DB_OK;
}

/* "当前状态（已答复）下不能「受理」", in a per-thread buffer. */
static const char *
state_message(const struct matter_type *t, const char *state,
    enum matter_action a)
{
	static _Thread_local char	 msg[160];

	snprintf(msg, sizeof(msg), "当前状态（%s）下不能「%s」",
	    matter_state_label(t, state), matter_action_labels[a]);
	return msg;
}

static int
refuse(struct matter_err *e, int status, const char *code, const char *msg,
    const char *field)
{
	e->status = status;
	e->code = code;
	e->message = msg;
	e->field = field;
	return -1;
}

/* The kinds of the documents on file, for the close-out check. */
static int
kinds_on_file(struct db *db, int64_t id, json_t **kinds)
{
	struct db_stmt	*st = stmt(db, MATTER_SQL_KINDS);
	int		 rc;

	*kinds = json_array();
	db_bind_int64(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(*kinds, db_json_text(st, 0));
	db_reset(st);
	return rc == DB_DONE ? DB_OK : rc;
}

/* Check a move against the type's rules beyond the state and role. */
static int
check_rules(struct db *db, int64_t id, const struct loaded *l,
    const struct matter_move *mv, const struct matter_act *a,
    const struct calendar *cal, int64_t today, struct matter_err *err)
{
	const struct matter_type	*t = l->type;
	const struct matter_clock	*w;
	const char			*missing, *kv[32];
	json_t				*kinds;
	size_t				 n, i;
	int				 rc;

	/*
	 * What the move needs is the type's rule, so the engine checks it
	 * too, not only the form: an extension without a reason, or an
	 * assignment naming nobody, is refused whoever calls.
	 */
	if ((mv->needs & NEED_NOTE) && str_empty(a->note))
		return refuse(err, 422, "invalid", a->action == MA_REPLY ?
		    "请填写答复意见" : a->action == MA_CALLBACK ?
		    "请填写回访情况" : "请填写说明或理由", "note");
	if ((mv->needs & NEED_PEOPLE) && a->unit_id == 0 && a->lead_id == 0 &&
	    a->resolver_id == 0)
		return refuse(err, 422, "invalid",
		    "请选择责任部门、包案领导或化解责任人", "lead_id");
	if (mv->after != NULL) {
		if (l->final)
			return refuse(err, 422, "final", "复核后同一事项不再受理",
			    NULL);
		if (strcmp(l->stage, mv->after) != 0 || l->stage_ended == 0)
			return refuse(err, 409, "state", a->action == MA_RE_REVIEW ?
			    "复查意见出具后才能申请复核" :
			    "书面答复后才能申请复查", NULL);
		w = matter_clock(t, mv->window);
		if (w != NULL && today > calendar_add(cal, l->stage_ended,
		    w->days, w->unit, w->roll))
			return refuse(err, 422, "window", a->action == MA_RE_REVIEW ?
			    "已超过申请复核期限（收到复查意见之日起30日）" :
			    "已超过申请复查期限（收到书面答复之日起30日）", NULL);
	}
	switch (a->action) {
	case MA_REOPEN:
		if (l->final)
			return refuse(err, 422, "final",
			    "复核后同一事项不再受理，不能重新办理", NULL);
		break;
	case MA_PAUSE:
		if (l->paused != 0)
			return refuse(err, 409, "state", "已经中止计时", NULL);
		if (l->due == 0)
			return refuse(err, 409, "state", "当前没有在计时的期限",
			    NULL);
		break;
	case MA_RESUME:
		if (l->paused == 0)
			return refuse(err, 409, "state", "没有中止计时", NULL);
		break;
	case MA_EXTEND:
		if (strcmp(l->stage, "handling") != 0 || l->due == 0)
			return refuse(err, 409, "state", "只有办理期限可以延期",
			    NULL);
		if (l->extensions >= t->max_extensions)
			return refuse(err, 422, "limit", t->max_extensions == 1 ?
			    "办理期限只能延长一次" : "延期次数已达上限", "days");
		if (a->days < 1 || a->days > t->max_extension_days)
			return refuse(err, 422, "invalid", "延长天数超出规定",
			    "days");
		break;
	case MA_SUPERVISE:
		if (a->day < today)
			return refuse(err, 422, "invalid",
			    "督办期限不能早于今天", "due_on");
		break;
	case MA_CLOSE:
		if (matter_closing(t, a->closing) == NULL)
			return refuse(err, 422, "invalid", "请选择结案方式",
			    "closing");
		if ((rc = kinds_on_file(db, id, &kinds)) != DB_OK)
			return refuse(err, 503, "unavailable",
			    "数据存储暂时不可用，请稍后重试", NULL);
		n = json_array_size(kinds);
		if (n > 32)
			n = 32;
		for (i = 0; i < n; i++)
			kv[i] = json_string_value(json_array_get(kinds, i));
		rc = matter_close_check(t, a->closing, kv, n, &missing);
		json_decref(kinds);
		if (rc != 0) {
			static _Thread_local char	 msg[160];

			snprintf(msg, sizeof(msg), "销号前须上传：%s",
			    missing ? missing : "规定的材料");
			return refuse(err, 422, "missing_document", msg,
			    "attachments");
		}
		break;
	default:
		break;
	}
	return 0;
}

/* The move's checks and rows, in the caller's tx; 0 or -1 with "err". */
static int
apply_rows(struct db *db, const struct scope *sc, int64_t id,
    const struct matter_act *a, const struct calendar *cal,
    const struct matter_actor *who, int64_t today, int64_t now,
    struct matter_err *err)
{
	const struct matter_move	*mv;
	const struct matter_clock	*c;
	enum matter_refusal		 why;
	struct loaded			 l;
	struct db_stmt			*st;
	char				 at[TIME_ISO_LEN], ds[11];
	const char			*to, *closing = NULL;
	int64_t				 due, paused, ended, clock_from;
	int64_t				 ext, added = 0, remaining;
	int64_t				 unit, lead, resolver;
	bool				 final, late = false, closed;
	json_t				*data, *ad;
	char				 stage[32], audit_action[40];
	int				 rc;

	memset(&l, 0, sizeof(l));
	if ((rc = load(db, sc, id, &l)) != DB_OK) {
		if (rc == DB_DONE)
			return refuse(err, 404, "not_found",
			    "没有找到该事项，或您无权查看", NULL);
		return refuse(err, 503, "unavailable",
		    "数据存储暂时不可用，请稍后重试", NULL);
	}
	mv = matter_move(l.type, l.state, a->action, who->roles, &why);
	if (mv == NULL) {
		if (why == MR_ROLE)
			return refuse(err, 403, "forbidden",
			    "您的角色不能进行此操作", NULL);
		return refuse(err, 409, "state", state_message(l.type,
		    l.state, a->action), NULL);
	}
	if (check_rules(db, id, &l, mv, a, cal, today, err) != 0)
		return -1;

	to = mv->to ? mv->to : l.state;
	due = l.due;
	paused = l.paused;
	ended = l.stage_ended;
	clock_from = l.clock_from;
	ext = l.extensions;
	final = l.final;
	unit = l.unit_id;
	lead = l.lead_id;
	resolver = l.resolver_id;
	data = json_object();
	str_copy(stage, l.stage, sizeof(stage));

	if (mv->clock != NULL && mv->clock[0] == '\0') {
		/* The running stage ends here (reply, close, reject). */
		if (a->action == MA_REPLY) {
			ended = today;
			if (l.type->final_stage != NULL &&
			    strcmp(stage, l.type->final_stage) == 0) {
				final = true;
				json_object_set_new(data, "final", json_true());
			}
		}
		due = paused = 0;
	} else if (mv->clock != NULL &&
	    (c = matter_clock(l.type, mv->clock)) != NULL) {
		if (a->action == MA_ACCEPT && l.due != 0 && today > l.due) {
			late = true;	/* decided after the acceptance deadline */
			json_object_set_new(data, "late", json_true());
		}
		str_copy(stage, c->stage, sizeof(stage));
		clock_from = today;
		due = matter_due(cal, c, today, 0);
		paused = ended = 0;
		ext = 0;
	}
	c = matter_clock(l.type, stage);
	switch (a->action) {
	case MA_EXTEND:
		due = calendar_add(cal, due, (int)a->days,
		    c ? c->unit : CAL_DAYS, c ? c->roll : true);
		ext++;
		added = a->days;
		json_object_set_new(data, "days", json_integer(a->days));
		break;
	case MA_PAUSE:
		paused = today;
		break;
	case MA_RESUME:
		/* The pause does not count: carry the time that was left. */
		remaining = calendar_count(cal, l.paused, l.due,
		    c ? c->unit : CAL_DAYS);
		due = calendar_add(cal, today, (int)remaining,
		    c ? c->unit : CAL_DAYS, c ? c->roll : true);
		if (due < today)
			due = today;
		json_object_set_new(data, "paused_days",
		    json_integer(today - l.paused));
		paused = 0;
		break;
	case MA_SUPERVISE:
		due = a->day;
		break;
	case MA_ASSIGN:
		if (a->unit_id)
			unit = a->unit_id;
		if (a->lead_id)
			lead = a->lead_id;
		if (a->resolver_id)
			resolver = a->resolver_id;
		json_object_set_new(data, "unit_id", json_integer(unit));
		json_object_set_new(data, "lead_id", json_integer(lead));
		json_object_set_new(data, "resolver_id",
		    json_integer(resolver));
		break;
	case MA_CLOSE:
		closing = a->closing;
		json_object_set_new(data, "closing", json_string(closing));
		break;
	case MA_REJECT:
		closing = "not_accepted";
		break;
	default:
		break;
	}
	if (due != 0 && due != l.due) {
		date_iso(due, ds);
		json_object_set_new(data, "due_on", json_string(ds));
	}
	closed = !matter_state_open(l.type, to);
	now_text(now, at);

	st = stmt(db, MATTER_SQL_UPDATE);
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, to);
	db_bind_text(st, 3, stage);
	db_bind_day(st, 4, clock_from);
	db_bind_day(st, 5, closed ? 0 : due);
	db_bind_day(st, 6, closed ? 0 : paused);
	db_bind_day(st, 7, ended);
	db_bind_int64(st, 8, ext);
	db_bind_int64(st, 9, added);
	db_bind_int64(st, 10, final ? 1 : 0);
	db_bind_int64(st, 11, late ? 1 : 0);
	db_bind_text(st, 12, closed ? closing : NULL);
	db_bind_text(st, 13, closed ? at : NULL);
	db_bind_id(st, 14, unit);
	db_bind_id(st, 15, lead);
	db_bind_id(st, 16, resolver);
	db_bind_text(st, 17, at);
	rc = db_exec(st);
	if (rc == DB_OK && a->action == MA_SUPERVISE) {
		st = stmt(db, MATTER_SQL_ORDER_ADD);
		db_bind_int64(st, 1, sc->township_id);
		db_bind_int64(st, 2, id);
		db_bind_id(st, 3, who->audit.account_id);
		db_bind_text(st, 4, who->name);
		db_bind_text(st, 5, at);
		db_bind_day(st, 6, a->day);
		db_bind_text(st, 7, a->note);
		db_bind_id(st, 8, resolver ? resolver : lead);
		rc = db_exec(st);
	}
	if (rc == DB_OK)
		rc = event(db, id, who, matter_action_names[a->action], l.state,
		    to, a->note, data, now);
	if (rc == DB_OK) {
		ad = json_pack("{ss ss ss}", "type", l.type->name, "from",
		    l.state, "to", to);
		snprintf(audit_action, sizeof(audit_action), "matter.%s",
		    matter_action_names[a->action]);
		rc = audit_write(db, &who->audit, audit_action, "matter", id,
		    true, ad);
		json_decref(ad);
	}
	json_decref(data);
	if (rc != DB_OK)
		return refuse(err, 503, "unavailable",
		    "数据存储暂时不可用，请稍后重试；已保存的数据不受影响", NULL);
	return 0;
}

int
matter_apply(struct db *db, const struct scope *sc, int64_t id,
    const struct matter_act *a, const struct calendar *cal,
    const struct matter_actor *who, int64_t today, int64_t now,
    struct matter_err *err)
{
	int	 rc;

	memset(err, 0, sizeof(*err));
	if (db_begin(db) != DB_OK)
		return refuse(err, 503, "unavailable",
		    "数据存储暂时不可用，请稍后重试", NULL);
	rc = apply_rows(db, sc, id, a, cal, who, today, now, err);
	if (db_end(db, rc) != 0 && rc == 0)
		return refuse(err, 503, "unavailable",
		    "数据存储暂时不可用，请稍后重试；已保存的数据不受影响", NULL);
	return rc;
}

int
matter_apply_tx(struct db *db, const struct scope *sc, int64_t id,
    const struct matter_act *a, const struct calendar *cal,
    const struct matter_actor *who, int64_t today, int64_t now,
    struct matter_err *err)
{
	memset(err, 0, sizeof(*err));
	return apply_rows(db, sc, id, a, cal, who, today, now, err);
}

/* Reading. */

static json_t *
day_or_null(struct db_stmt *st, int i)
{
	return db_col_null(st, i) ? json_null() : db_json_text(st, i);
}

static void
set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new_nocheck(o, k, v);
}

/* Urgency and days left of an open matter's deadline. */
static void
urgency(json_t *o, const char *due_s, bool paused, bool closed, int64_t today)
{
	int64_t			 due;
	enum matter_urgency	 u = MU_NONE;

	if (!closed && !paused && due_s != NULL && date_parse(due_s, &due) == 0) {
		u = matter_urgency(due, today);
		set(o, "days_left", json_integer(due - today));
		set(o, "due_hint", due < today ? json_sprintf("超期%lld天",
		    (long long)(today - due)) : due == today ?
		    json_string("今日到期") : json_sprintf("剩%lld天",
		    (long long)(due - today)));
	} else {
		set(o, "days_left", json_null());
		set(o, "due_hint", json_string(paused ? "中止计时" : ""));
	}
	set(o, "urgency", json_string_nocheck(matter_urgency_names[u]));
}

json_t *
matter_get(struct db *db, const struct scope *sc, int64_t id, int64_t today,
    int *rc)
{
	struct db_stmt			*st = stmt(db, MATTER_SQL_GET);
	const struct matter_type	*t;
	const struct matter_clock	*c;
	json_t				*o = NULL, *details;
	const char			*state, *stage;
	int				 r;

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	r = db_step(st);
	if (r == DB_ROW && (t = matter_type_get(db_col_text(st, 1))) != NULL) {
		o = json_object();
		state = db_col_text(st, 17);
		stage = db_col_text(st, 18);
		c = matter_clock(t, stage);
		set(o, "id", db_json_int(st, 0));
		set(o, "type", db_json_text(st, 1));
		set(o, "type_label", json_string(t->label));
		set(o, "code", db_json_text(st, 2));
		set(o, "title", db_json_text(st, 3));
		set(o, "body", db_json_text(st, 4));
		set(o, "source", db_json_text(st, 5));
		set(o, "source_label", json_string(matter_source_label(t,
		    db_col_text(st, 5))));
		set(o, "place", db_json_text(st, 6));
		set(o, "village_id", db_json_int(st, 7));
		set(o, "village", db_json_text(st, 8));
		set(o, "group_id", db_json_int(st, 9));
		set(o, "group", db_json_text(st, 10));
		set(o, "unit_id", db_json_int(st, 11));
		set(o, "unit", db_json_text(st, 12));
		set(o, "lead_id", db_json_int(st, 13));
		set(o, "lead", db_json_text(st, 14));
		set(o, "resolver_id", db_json_int(st, 15));
		set(o, "resolver", db_json_text(st, 16));
		set(o, "state", db_json_text(st, 17));
		set(o, "state_label", json_string(matter_state_label(t,
		    state)));
		set(o, "open", json_boolean(matter_state_open(t, state)));
		set(o, "stage", db_json_text(st, 18));
		set(o, "stage_label", json_string(c ? c->label : ""));
		set(o, "clock_from", day_or_null(st, 19));
		set(o, "due_on", day_or_null(st, 20));
		set(o, "due_at", day_or_null(st, 20));	/* API.md's name */
		set(o, "paused", json_boolean(!db_col_null(st, 21)));
		set(o, "paused_on", day_or_null(st, 21));
		set(o, "stage_ended_on", day_or_null(st, 22));
		set(o, "extensions", db_json_int(st, 23));
		set(o, "key", db_json_bool(st, 24));
		set(o, "final", db_json_bool(st, 25));
		set(o, "late", db_json_bool(st, 26));
		set(o, "closing", db_json_text(st, 27));
		set(o, "closing_label", json_string(matter_closing_label(t,
		    db_col_text(st, 27))));
		set(o, "opened_at", db_json_iso_cn(st, 28));
		set(o, "opened_label", db_json_time(st, 28));
		set(o, "closed_at", db_json_iso_cn(st, 29));
		set(o, "closed_label", db_json_time(st, 29));
		details = json_loads(db_col_text(st, 30), 0, NULL);
		set(o, "details", details ? details : json_object());
		set(o, "raised_by", db_json_int(st, 31));
		urgency(o, db_col_text(st, 20), !db_col_null(st, 21),
		    !matter_state_open(t, state), today);
	}
	db_reset(st);
	*rc = r < 0 ? r : DB_OK;
	return o;
}

json_t *
matter_timeline(struct db *db, int64_t id, int *rc)
{
	struct db_stmt	*st = stmt(db, MATTER_SQL_TIMELINE);
	json_t		*a = json_array(), *e, *data;
	const char	*act;
	enum matter_action ma;
	int		 r;

	db_bind_int64(st, 1, id);
	while ((r = db_step(st)) == DB_ROW) {
		e = json_object();
		act = db_col_text(st, 3);
		ma = matter_action_parse(act);
		set(e, "id", db_json_int(st, 0));
		set(e, "at", db_json_iso_cn(st, 1));
		set(e, "at_label", db_json_time(st, 1));
		set(e, "actor", db_json_text(st, 2));
		set(e, "action", db_json_text(st, 3));
		set(e, "action_label", json_string(ma < MA__MAX ?
		    matter_action_labels[ma] : str_eq(act, "create") ? "登记" :
		    str_eq(act, "remind") ? "系统提醒" : str_eq(act, "attach") ?
		    "上传材料" : act));
		set(e, "from", db_json_text(st, 4));
		set(e, "to", db_json_text(st, 5));
		set(e, "note", db_json_text(st, 6));
		data = json_loads(db_col_text(st, 7), 0, NULL);
		set(e, "data", data ? data : json_object());
		json_array_append_new(a, e);
	}
	return db_json_finish(st, r, a, rc);
}

json_t *
matter_attachments(struct db *db, const struct matter_type *t, int64_t id,
    int *rc)
{
	struct db_stmt	*st = stmt(db, MATTER_SQL_ATTACHMENTS);
	json_t		*a = json_array(), *e;
	const char	*label;
	int		 r;

	db_bind_int64(st, 1, id);
	while ((r = db_step(st)) == DB_ROW) {
		e = json_object();
		label = matter_doc_label(t, db_col_text(st, 1));
		set(e, "id", db_json_int(st, 0));
		set(e, "kind", db_json_text(st, 1));
		set(e, "kind_label", json_string(label ? label : ""));
		set(e, "name", db_json_text(st, 2));
		set(e, "media_type", db_json_text(st, 3));
		set(e, "image", json_boolean(str_has_prefix(db_col_text(st, 3),
		    "image/")));
		set(e, "size", db_json_int(st, 4));
		set(e, "sha256", db_json_text(st, 5));
		set(e, "uploaded_at", db_json_time(st, 6));
		json_array_append_new(a, e);
	}
	return db_json_finish(st, r, a, rc);
}

json_t *
matter_orders(struct db *db, int64_t id, int *rc)
{
	struct db_stmt	*st = stmt(db, MATTER_SQL_ORDERS);
	json_t		*a = json_array();
	int		 r;

	db_bind_int64(st, 1, id);
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(a, json_pack("{so so so so so so}",
		    "id", db_json_int(st, 0),
		    "issuer", db_json_text(st, 1),
		    "issued_at", db_json_time(st, 2),
		    "due_on", db_json_text(st, 3),
		    "note", db_json_text(st, 4),
		    "addressed_to", db_json_text(st, 5)));
	return db_json_finish(st, r, a, rc);
}

json_t *
matter_people(struct db *db, int64_t id, const char *role, int *rc)
{
	struct db_stmt	*st = stmt(db, MATTER_SQL_PEOPLE);
	json_t		*a = json_array();
	const char	*sex;
	int		 r;

	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, role);
	while ((r = db_step(st)) == DB_ROW) {
		sex = db_col_text(st, 2);
		json_array_append_new(a, json_pack("{so so ss so so so so so}",
		    "id", db_json_int(st, 0),
		    "name", db_json_text(st, 1),
		    "sex", str_eq(sex, "M") ? "男" : str_eq(sex, "F") ? "女" :
		    "",
		    "birth_year", db_json_int(st, 3),
		    "phone", db_json_text(st, 4),
		    "idno", db_json_text(st, 5),
		    "address", db_json_text(st, 6),
		    "key_person", db_json_bool(st, 7)));
	}
	return db_json_finish(st, r, a, rc);
}

/* Bind the list's filters ?1 .. ?11 and ?14 (the search expression). */
static int
bind_filter(struct db_stmt *st, const struct scope *sc,
    const struct matter_filter *f, const char *match)
{
	scope_bind(st, sc);
	db_bind_text(st, 3, f->type);
	db_bind_text(st, 4, f->state);
	db_bind_id(st, 5, f->village_id);
	db_bind_id(st, 6, f->unit_id);
	db_bind_id(st, 7, f->owner_id);
	db_bind_day(st, 8, f->overdue ? f->today : 0);
	db_bind_day(st, 9, f->due_soon ? f->today : 0);
	db_bind_day(st, 10, f->due_soon ? f->today + 7 : 0);
	if (f->key)
		db_bind_int64(st, 11, 1);
	else
		db_bind_null(st, 11);
	db_bind_int64(st, 12, f->before > 0 ? f->before : INT64_MAX);
	if (match != NULL)
		db_bind_text(st, 14, match);
	return 0;
}

static json_t *
list_row(struct db_stmt *st, int64_t today)
{
	const struct matter_type	*t = matter_type_get(db_col_text(st, 1));
	json_t				*o = json_object();
	const char			*state = db_col_text(st, 4);
	bool				 open = t ? matter_state_open(t, state) :
	    true;

	set(o, "id", db_json_int(st, 0));
	set(o, "type", db_json_text(st, 1));
	set(o, "type_label", json_string_nocheck(t ? t->label : ""));
	set(o, "code", db_json_text(st, 2));
	set(o, "title", db_json_text(st, 3));
	set(o, "state", db_json_text(st, 4));
	set(o, "state_label", json_string_nocheck(t ?
	    matter_state_label(t, state) : ""));
	set(o, "due_on", day_or_null(st, 5));
	set(o, "due_at", day_or_null(st, 5));
	set(o, "paused", json_boolean(!db_col_null(st, 6)));
	set(o, "opened_at", db_json_iso_cn(st, 7));
	set(o, "opened_label", db_json_time(st, 7));
	set(o, "closed_at", db_json_iso_cn(st, 8));
	set(o, "closed_label", db_json_time(st, 8));
	set(o, "key", db_json_bool(st, 9));
	set(o, "late", db_json_bool(st, 10));
	set(o, "village", db_json_text(st, 11));
	set(o, "unit", db_json_text(st, 12));
	set(o, "lead", db_json_text(st, 13));
	set(o, "resolver", db_json_text(st, 14));
	set(o, "petitioner", db_json_text(st, 15));
	set(o, "source", db_json_text(st, 16));
	set(o, "source_label", json_string_nocheck(t ?
	    matter_source_label(t, db_col_text(st, 16)) : ""));
	set(o, "village_id", db_json_int(st, 17));
	urgency(o, db_col_text(st, 5), !db_col_null(st, 6), !open, today);
	return o;
}

/* The search expression for "q", or NULL for none; -1 if q is unusable. */
static int
match_of(const char *q, char *out, size_t n, const char **match)
{
	*match = NULL;
	if (q == NULL || *q == '\0')
		return 0;
	if (fts_cjk_query(q, out, n) != 0)
		return -1;
	*match = out;
	return 0;
}

/* Is "state" open in every type (or in "type") that has it? */
static bool
state_open(const char *type, const char *state)
{
	const struct matter_type *const	*ts;
	size_t				 n, i;
	bool				 known = false;

	ts = matter_types(&n);
	for (i = 0; i < n; i++) {
		if ((type != NULL && !str_eq(ts[i]->name, type)) ||
		    !matter_state_valid(ts[i], state))
			continue;
		if (!matter_state_open(ts[i], state))
			return false;
		known = true;
	}
	return known;
}

/*
 * Which list statement reads the fewest rows for these filters (see
 * bench/RESULTS.md, the county ledger): only open matters when the
 * filters pass nothing else; a search of the whole township from the
 * search index, a narrower one from the township's rows.
 */
static enum matter_sql
list_stmt(const struct scope *sc, const struct matter_filter *f, bool search)
{
	bool	 open;

	open = f->overdue || f->due_soon || (f->state != NULL &&
	    state_open(f->type, f->state));
	if (!search)
		return open ? MATTER_SQL_LIST_OPEN : MATTER_SQL_LIST;
	if (open || sc->village_id || f->village_id || f->unit_id ||
	    f->owner_id || f->key)
		return MATTER_SQL_LIST_SEARCH;
	return MATTER_SQL_LIST_FTS;
}

json_t *
matter_list(struct db *db, const struct scope *sc,
    const struct matter_filter *f, int *rc)
{
	struct db_stmt	*st;
	json_t		*items = json_array(), *res;
	const char	*match;
	char		 expr[2048];
	size_t		 n;
	int		 r;

	if (match_of(f->q, expr, sizeof(expr), &match) != 0) {
		json_decref(items);
		*rc = DB_CONSTRAINT;	/* the caller answers 422 */
		return NULL;
	}
	st = stmt(db, list_stmt(sc, f, match != NULL));
	bind_filter(st, sc, f, match);
	db_bind_int64(st, 13, f->limit + 1);
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(items, list_row(st, f->today));
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
		json_object_set_new(res, "next", json_sprintf("%lld",
		    (long long)json_integer_value(json_object_get(
		    json_array_get(items, n - 2), "id"))));
	}
	return res;
}

int
matter_each(struct db *db, const struct scope *sc,
    const struct matter_filter *f,
    int (*row)(const struct matter_row *, void *), void *arg)
{
	struct db_stmt			*st;
	struct matter_row		 r;
	const struct matter_type	*t;
	const char			*match;
	char				 expr[2048];
	int				 rc, ret = 0;

	if (match_of(f->q, expr, sizeof(expr), &match) != 0)
		return DB_CONSTRAINT;
	st = stmt(db, match ? MATTER_SQL_EACH_SEARCH : MATTER_SQL_EACH);
	bind_filter(st, sc, f, match);
	while ((rc = db_step(st)) == DB_ROW) {
		t = matter_type_get(db_col_text(st, 1));
		memset(&r, 0, sizeof(r));
		r.code = db_col_text(st, 0);
		r.type = t ? t->label : db_col_text(st, 1);
		r.title = db_col_text(st, 2);
		r.body = db_col_text(st, 3);
		r.state = t ? matter_state_label(t, db_col_text(st, 4)) :
		    db_col_text(st, 4);
		r.source = t ? matter_source_label(t, db_col_text(st, 5)) :
		    db_col_text(st, 5);
		r.place = db_col_text(st, 6);
		r.village = db_col_text(st, 7);
		r.unit = db_col_text(st, 8);
		r.lead = db_col_text(st, 9);
		r.resolver = db_col_text(st, 10);
		r.petitioner = db_col_text(st, 11);
		r.phone_mask = db_col_text(st, 12);
		r.opened_at = db_col_text(st, 13);
		r.due_on = db_col_text(st, 14);
		r.closed_at = db_col_text(st, 15);
		r.closing = t ? matter_closing_label(t, db_col_text(st, 16)) :
		    db_col_text(st, 16);
		r.key = db_col_int64(st, 17) != 0;
		r.late = db_col_int64(st, 18) != 0;
		if ((ret = row(&r, arg)) != 0)
			break;
	}
	db_reset(st);
	if (ret != 0)
		return ret;
	return rc == DB_DONE || rc == DB_ROW ? 0 : rc;
}

json_t *
matter_todos(struct db *db, const struct scope *sc, int64_t person_id,
    int64_t today, int *rc)
{
	struct db_stmt			*st;
	const struct matter_type	*t;
	json_t				*todos = json_array(), *orders;
	json_t				*o;
	int				 r;

	st = stmt(db, MATTER_SQL_TODOS);
	db_bind_int64(st, 1, person_id);
	db_bind_int64(st, 2, sc->township_id);
	db_bind_id(st, 3, sc->village_id);
	while ((r = db_step(st)) == DB_ROW) {
		t = matter_type_get(db_col_text(st, 1));
		o = json_object();
		set(o, "id", db_json_int(st, 0));
		set(o, "type_label", json_string(t ? t->label : ""));
		set(o, "code", db_json_text(st, 2));
		set(o, "title", db_json_text(st, 3));
		set(o, "state_label", json_string(t ?
		    matter_state_label(t, db_col_text(st, 4)) : ""));
		set(o, "due_on", day_or_null(st, 5));
		set(o, "paused", json_boolean(!db_col_null(st, 6)));
		set(o, "role", json_string(db_col_int64(st, 7) ? "包案领导" :
		    "化解责任人"));
		urgency(o, db_col_text(st, 5), !db_col_null(st, 6), false,
		    today);
		json_array_append_new(todos, o);
	}
	db_reset(st);
	if (r != DB_DONE) {
		json_decref(todos);
		*rc = r;
		return NULL;
	}
	orders = json_array();
	st = stmt(db, MATTER_SQL_TODO_ORDERS);
	db_bind_int64(st, 1, person_id);
	db_bind_int64(st, 2, sc->township_id);
	while ((r = db_step(st)) == DB_ROW) {
		o = json_pack("{so so so so so so so so}",
		    "id", db_json_int(st, 0),
		    "matter_id", db_json_int(st, 1),
		    "code", db_json_text(st, 2),
		    "title", db_json_text(st, 3),
		    "due_on", db_json_text(st, 4),
		    "note", db_json_text(st, 5),
		    "issuer", db_json_text(st, 6),
		    "issued_at", db_json_time(st, 7));
		urgency(o, db_col_text(st, 4), false, false, today);
		json_array_append_new(orders, o);
	}
	db_reset(st);
	*rc = r == DB_DONE ? DB_OK : r;
	if (*rc != DB_OK) {
		json_decref(todos);
		json_decref(orders);
		return NULL;
	}
	return json_pack("{so so}", "matters", todos, "orders", orders);
}

int
matter_sweep(struct db *db, int64_t today, int64_t now)
{
	static const char *const labels[] = { "due_soon", "3日内到期",
	    "due_today", "今日到期", "overdue", "已超期", NULL };
	struct db_stmt	*st;
	json_t		*due = json_array(), *e;
	const char	*kind, *label;
	char		 t[TIME_ISO_LEN];
	int64_t		 d;
	size_t		 i, k;
	int		 rc, given = 0;

	/* Read first, then write each reminder in one short transaction. */
	st = stmt(db, MATTER_SQL_SWEEP);
	db_bind_day(st, 1, today + 3);
	db_bind_day(st, 2, today);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(due, json_pack("{sI ss ss}", "id",
		    (json_int_t)db_col_int64(st, 0), "due_on",
		    db_col_text(st, 1), "state", db_col_text(st, 2)));
	db_reset(st);
	if (rc != DB_DONE) {
		json_decref(due);
		return rc;
	}
	now_text(now, t);
	json_array_foreach(due, i, e) {
		const char	*ds = json_string_value(json_object_get(e,
		    "due_on"));
		int64_t		 id = json_integer_value(json_object_get(e,
		    "id"));

		if (date_parse(ds, &d) != 0 ||
		    (kind = matter_reminder(d, today)) == NULL)
			continue;
		for (k = 0, label = kind; labels[k] != NULL; k += 2)
			if (strcmp(labels[k], kind) == 0)
				label = labels[k + 1];
		if ((rc = db_begin(db)) != DB_OK)
			break;
		st = stmt(db, MATTER_SQL_REMIND);
		db_bind_int64(st, 1, id);
		db_bind_text(st, 2, kind);
		db_bind_text(st, 3, ds);
		db_bind_text(st, 4, t);
		rc = db_exec(st);
		/* Another server may have given it already: then nothing. */
		if (rc == DB_OK && db_changes(db) == 1) {
			const char	*state = json_string_value(
			    json_object_get(e, "state"));
			json_t		*data = json_pack("{ss ss}", "kind", kind,
			    "due_on", ds);

			struct audit_actor	 sys;

			memset(&sys, 0, sizeof(sys));
			sys.login = "system";
			sys.role = "sweep";
			sys.addr = "local";
			sys.request_id = "sweep";
			rc = event(db, id, NULL, "remind", state, state, label,
			    data, now);
			/* Like every change, audited: the pages' version. */
			if (rc == DB_OK)
				rc = audit_write(db, &sys, "matter.remind",
				    "matter", id, true, data);
			json_decref(data);
			if (rc == DB_OK)
				given++;
		}
		if ((rc = db_end(db, rc)) != 0)
			break;
	}
	json_decref(due);
	return rc < 0 ? rc : given;
}

/* The attachment row, its timeline entry and audit, in the caller's tx. */
static int
attach_rows(struct db *db, const struct scope *sc, int64_t matter_id,
    const struct matter_file *f, const struct matter_actor *who,
    int64_t now, int64_t *id, struct matter_err *err)
{
	struct loaded	 l;
	struct db_stmt	*st;
	char		 at[TIME_ISO_LEN];
	json_t		*data;
	int		 rc;

	memset(&l, 0, sizeof(l));
	if ((rc = load(db, sc, matter_id, &l)) != DB_OK)
		return rc == DB_DONE ? refuse(err, 404, "not_found",
		    "没有找到该事项，或您无权查看", NULL) : refuse(err, 503,
		    "unavailable", "数据存储暂时不可用，请稍后重试", NULL);
	if (matter_doc_label(l.type, f->kind) == NULL)
		return refuse(err, 422, "invalid", "材料类别无效", "kind");
	now_text(now, at);
	st = stmt(db, MATTER_SQL_ATTACH);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, matter_id);
	db_bind_text(st, 3, f->kind);
	db_bind_text(st, 4, f->name);
	db_bind_text(st, 5, f->media_type);
	db_bind_int64(st, 6, f->size);
	db_bind_text(st, 7, f->sha256);
	db_bind_id(st, 8, who->audit.account_id);
	db_bind_text(st, 9, at);
	rc = db_exec(st);
	if (rc == DB_OK) {
		*id = db_last_id(db);
		data = json_pack("{sI ss ss sI}", "attachment", (json_int_t)*id,
		    "kind", f->kind, "name", f->name, "size",
		    (json_int_t)f->size);
		rc = event(db, matter_id, who, "attach", l.state, l.state,
		    matter_doc_label(l.type, f->kind), data, now);
		json_object_del(data, "name");	/* no file names in the audit */
		if (rc == DB_OK)
			rc = audit_write(db, &who->audit, "matter.attach",
			    "matter", matter_id, true, data);
		json_decref(data);
	}
	if (rc != DB_OK)
		return refuse(err, 503, "unavailable",
		    "数据存储暂时不可用，请稍后重试；已保存的数据不受影响", NULL);
	return 0;
}

int
matter_attach(struct db *db, const struct scope *sc, int64_t matter_id,
    const struct matter_file *f, const struct matter_actor *who, int64_t now,
    int64_t *id, struct matter_err *err)
{
	int	 rc;

	memset(err, 0, sizeof(*err));
	if (db_begin(db) != DB_OK)
		return refuse(err, 503, "unavailable",
		    "数据存储暂时不可用，请稍后重试", NULL);
	rc = attach_rows(db, sc, matter_id, f, who, now, id, err);
	if (db_end(db, rc) != 0 && rc == 0)
		return refuse(err, 503, "unavailable",
		    "数据存储暂时不可用，请稍后重试；已保存的数据不受影响", NULL);
	return rc;
}

int
matter_attach_tx(struct db *db, const struct scope *sc, int64_t matter_id,
    const struct matter_file *f, const struct matter_actor *who, int64_t now,
    int64_t *id, struct matter_err *err)
{
	memset(err, 0, sizeof(*err));
	return attach_rows(db, sc, matter_id, f, who, now, id, err);
}

int
matter_attachment(struct db *db, const struct scope *sc, int64_t id,
    struct arena *a, const char **sha, const char **name, const char **type,
    int64_t *matter_id)
{
	struct db_stmt	*st = stmt(db, MATTER_SQL_ATTACHMENT);
	int		 rc;

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*sha = arena_strdup(a, db_col_text(st, 0));
		*name = arena_strdup(a, db_col_text(st, 1));
		*type = arena_strdup(a, db_col_text(st, 2));
		*matter_id = db_col_int64(st, 3);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW ? DB_OK : DB_DONE;
}

struct calendar *
matter_calendar_load(struct db *db)
{
	struct db_stmt		*st = stmt(db, MATTER_SQL_CALENDAR);
	struct cal_special	*sp = NULL, *grown;
	struct calendar		*cal;
	struct arena		 a;
	size_t			 n = 0, cap = 0;
	int64_t			 d;
	int			 rc;

	arena_init(&a);
	while ((rc = db_step(st)) == DB_ROW) {
		if (date_parse(db_col_text(st, 0), &d) != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(sp, cap * sizeof(*sp));
			if (grown == NULL)
				break;
			sp = grown;
		}
		sp[n].day = d;
		sp[n].kind = str_eq(db_col_text(st, 1), "work") ? CAL_WORK :
		    CAL_REST;
		sp[n].name = arena_strdup(&a, db_col_text(st, 2));
		n++;
	}
	db_reset(st);
	cal = calendar_new(sp, n);	/* copies, names included */
	free(sp);
	arena_release(&a);
	return cal;
}

int
matter_set_key(struct db *db, const struct scope *sc, int64_t id,
    const struct matter_key *k, const struct matter_actor *who, int64_t now,
    struct matter_err *err)
{
	struct loaded	 l;
	struct db_stmt	*st;
	char		 at[TIME_ISO_LEN], *patch;
	json_t		*p, *data;
	size_t		 i;
	int		 rc;

	memset(err, 0, sizeof(*err));
	if ((rc = db_begin(db)) != DB_OK)
		return refuse(err, 503, "unavailable",
		    "数据存储暂时不可用，请稍后重试", NULL);
	memset(&l, 0, sizeof(l));
	if ((rc = load(db, sc, id, &l)) != DB_OK) {
		db_end(db, -1);
		return rc == DB_DONE ? refuse(err, 404, "not_found",
		    "没有找到该事项，或您无权查看", NULL) : refuse(err, 503,
		    "unavailable", "数据存储暂时不可用，请稍后重试", NULL);
	}
	now_text(now, at);
	p = json_pack("{ss? sO?}", "plan", k->plan, "five", k->five);
	patch = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	st = stmt(db, MATTER_SQL_KEY);
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, k->key ? 1 : 0);
	db_bind_text(st, 3, patch ? patch : "{}");
	db_bind_text(st, 4, at);
	rc = db_exec(st);
	jsonmem_free(patch);
	if (rc == DB_OK) {
		st = stmt(db, MATTER_SQL_TEAM_CLEAR);
		db_bind_int64(st, 1, id);
		rc = db_exec(st);
	}
	for (i = 0; rc == DB_OK && i < k->nteam; i++) {
		st = stmt(db, MATTER_SQL_PERSON_ADD);
		db_bind_int64(st, 1, id);
		db_bind_int64(st, 2, k->team[i]);
		db_bind_text(st, 3, "team");
		rc = db_exec(st);
	}
	if (rc == DB_OK && k->key_people) {
		st = stmt(db, MATTER_SQL_KEY_PEOPLE);
		db_bind_int64(st, 1, id);
		db_bind_int64(st, 2, k->key ? 1 : 0);
		rc = db_exec(st);
	}
	data = json_pack("{sb sI}", "key", k->key, "team",
	    (json_int_t)k->nteam);
	if (rc == DB_OK)
		rc = event(db, id, who, "key", l.state, l.state, k->key ?
		    "列为重点事项" : "取消重点事项", data, now);
	if (rc == DB_OK)
		rc = audit_write(db, &who->audit, "matter.key", "matter", id,
		    true, data);
	json_decref(data);
	if (db_end(db, rc) != 0)
		return refuse(err, 503, "unavailable",
		    "数据存储暂时不可用，请稍后重试；已保存的数据不受影响", NULL);
	return 0;
}

/*
 * One statement, so the set is one snapshot of the database; the caller
 * does no database work from "fn" (the statement is still stepping).
 */
int
matter_attachment_hashes(struct db *db, int (*fn)(const char *, void *),
    void *arg)
{
	struct db_stmt	*st = stmt(db, MATTER_SQL_HASHES);
	int		 rc;

	while ((rc = db_step(st)) == DB_ROW)
		if (fn(db_col_text(st, 0), arg) != 0) {
			rc = DB_ERROR;
			break;
		}
	db_reset(st);
	return rc < 0 ? rc : DB_OK;
}

/* weekly_db.c: the weekly petition ledger: weeks, snapshots, the report. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/compat.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/dbjson.h"
#include "matter/matter.h"
#include "petition/weekly_db.h"

#define DAY_MS		(24LL * 3600 * 1000)
/* Friday 12:00 in Asia/Shanghai is Friday 04:00 UTC. */
#define DEADLINE_MS	(4 * DAY_MS + 12LL * 3600 * 1000 - TIME_CN_OFFSET_MS)

enum weekly_sql {
	WEEKLY_SQL_VILLAGES,
	WEEKLY_SQL_UNITS,
	WEEKLY_SQL_CURRENT_ALL,
	WEEKLY_SQL_COUNTS,
	WEEKLY_SQL_ROWS_VILLAGE,
	WEEKLY_SQL_ROWS_UNIT,
	WEEKLY_SQL_VILLAGE_NAME,
	WEEKLY_SQL_UNIT_NAME,
	WEEKLY_SQL_CURRENT,
	WEEKLY_SQL_PERSON_UNITS,
	WEEKLY_SQL_INSERT,
	WEEKLY_SQL_ROW_INSERT,
	WEEKLY_SQL_REPLACED_AT,
	WEEKLY_SQL_REPLACED_BY,
	WEEKLY_SQL_GET,
	WEEKLY_SQL_GET_ROWS,
	WEEKLY_SQL_HISTORY,
	WEEKLY_SQL_DEMO_VILLAGE_CADRE,
	WEEKLY_SQL_DEMO_UNIT_CADRE,
	WEEKLY_SQL__MAX
};

/*
 * A submitter's petitions for the week: ?1 township, ?2 village or unit,
 * ?3 the period's start, ?4 now (UTC text).  The unary "+" keeps the
 * planner on the village's (unit's) own index, a few hundred rows, rather
 * than the township's petitions of every year.
 */
#define ROWS_SELECT \
	"SELECT m.id, m.code, m.source, pp.name, pp.phone_mask, m.opened_at," \
	" m.title, v.name, u.name, lp.name, rp.name, m.state, m.due_on," \
	" m.paused_on, m.closed_at, m.closing, m.key_matter" \
	" FROM matter m LEFT JOIN village v ON v.id = m.village_id" \
	" LEFT JOIN unit u ON u.id = m.unit_id" \
	" LEFT JOIN person lp ON lp.id = m.lead_id" \
	" LEFT JOIN person rp ON rp.id = m.resolver_id" \
	" LEFT JOIN person pp ON pp.id = m.raised_by"
#define ROWS_WHERE \
	" AND +m.township_id = ?1 AND +m.type = 'petition'" \
	" AND m.opened_at < ?4" \
	" AND (m.closed_at IS NULL OR m.closed_at >= ?3" \
	"  OR m.updated_at >= ?3)" \
	" ORDER BY m.id"

/* Who submitted, for the board and the history. */
#define SUB_COLS \
	"id, kind, coalesce(village_id, unit_id), submitted_at," \
	" submitted_name, late, row_count, note, replaced_at"

static const char *const weekly_sql[WEEKLY_SQL__MAX] = {
	[WEEKLY_SQL_VILLAGES] =
	    "SELECT id, name FROM village WHERE township_id = ?1"
	    " ORDER BY sort, id",
	[WEEKLY_SQL_UNITS] =
	    "SELECT id, name FROM unit WHERE township_id = ?1 AND active = 1"
	    " AND supervises = 0 ORDER BY sort, id",
	[WEEKLY_SQL_CURRENT_ALL] =
	    "SELECT " SUB_COLS " FROM weekly_submission"
	    " WHERE township_id = ?1 AND week = ?2 AND replaced_at IS NULL",
	/*
	 * The petitions that matter to a week are those still open and those
	 * closed since it began: two ranges of matter_week, which holds
	 * every column used, so no table row is read.  ?3 the period's
	 * start, ?4 its end (or now), ?5 the day of ?4.
	 */
	[WEEKLY_SQL_COUNTS] =
	    "SELECT village_id, unit_id, sum(opened_at >= ?3),"
	    " sum(closed_at IS NOT NULL AND closed_at < ?4),"
	    " sum(closed_at IS NULL OR closed_at >= ?4),"
	    " sum((closed_at IS NULL OR closed_at >= ?4) AND paused_on IS NULL"
	    "  AND due_on < ?5)"
	    " FROM (SELECT village_id, unit_id, opened_at, NULL AS closed_at,"
	    "  paused_on, due_on FROM matter WHERE township_id = ?1"
	    "  AND type = 'petition' AND closed_at IS NULL AND opened_at < ?4"
	    " UNION ALL SELECT village_id, unit_id, opened_at, closed_at,"
	    "  paused_on, due_on FROM matter WHERE township_id = ?1"
	    "  AND type = 'petition' AND closed_at >= ?3 AND opened_at < ?4)"
	    " GROUP BY village_id, unit_id",
	[WEEKLY_SQL_ROWS_VILLAGE] =
	    ROWS_SELECT " WHERE m.village_id = ?2" ROWS_WHERE,
	[WEEKLY_SQL_ROWS_UNIT] =
	    ROWS_SELECT " WHERE m.unit_id = ?2" ROWS_WHERE,
	[WEEKLY_SQL_VILLAGE_NAME] =
	    "SELECT name FROM village WHERE township_id = ?1 AND id = ?2",
	[WEEKLY_SQL_UNIT_NAME] =
	    "SELECT name FROM unit WHERE township_id = ?1 AND id = ?2"
	    " AND active = 1 AND supervises = 0",
	[WEEKLY_SQL_CURRENT] =
	    "SELECT id, submitted_at FROM weekly_submission"
	    " WHERE township_id = ?1 AND week = ?2 AND kind = ?3"
	    " AND coalesce(village_id, unit_id) = ?4 AND replaced_at IS NULL",
	[WEEKLY_SQL_PERSON_UNITS] =
	    "SELECT u.id, u.name, u.supervises FROM unit u"
	    " WHERE u.township_id = ?1 AND u.active = 1 AND u.id IN"
	    " (SELECT p.unit_id FROM post p WHERE p.person_id = ?2"
	    "  AND p.unit_id IS NOT NULL AND p.ended_on IS NULL)"
	    " ORDER BY u.sort, u.id",
	[WEEKLY_SQL_INSERT] =
	    "INSERT INTO weekly_submission (township_id, week, kind,"
	    " village_id, unit_id, submitter, submitted_by, person_id,"
	    " submitted_name, submitted_at, deadline_at, period_from, late,"
	    " row_count, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12, ?13, ?14, ?15)",
	[WEEKLY_SQL_ROW_INSERT] =
	    "INSERT INTO weekly_row (submission_id, seq, matter_id, code,"
	    " petitioner, phone_mask, opened_at, source, title, village, unit,"
	    " lead, resolver, state, due_on, closed_at, closing, key_matter,"
	    " week_new, week_closed, overdue) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
	    " ?20, ?21)",
	[WEEKLY_SQL_REPLACED_AT] =
	    "UPDATE weekly_submission SET replaced_at = ?2 WHERE id = ?1",
	[WEEKLY_SQL_REPLACED_BY] =
	    "UPDATE weekly_submission SET replaced_by = ?2 WHERE id = ?1",
	[WEEKLY_SQL_GET] =
	    "SELECT id, week, kind, coalesce(village_id, unit_id), submitter,"
	    " submitted_name, submitted_at, deadline_at, period_from, late,"
	    " row_count, note, replaced_at, replaced_by FROM weekly_submission"
	    " WHERE township_id = ?1 AND (?2 IS NULL OR village_id = ?2)"
	    " AND id = ?3",
	[WEEKLY_SQL_GET_ROWS] =
	    "SELECT seq, matter_id, code, petitioner, phone_mask, opened_at,"
	    " source, title, village, unit, lead, resolver, state, due_on,"
	    " closed_at, closing, key_matter, week_new, week_closed, overdue"
	    " FROM weekly_row WHERE submission_id = ?1 ORDER BY seq",
	[WEEKLY_SQL_HISTORY] =
	    "SELECT " SUB_COLS " FROM weekly_submission"
	    " WHERE township_id = ?1 AND week = ?2 AND kind = ?3"
	    " AND coalesce(village_id, unit_id) = ?4 ORDER BY id",
	[WEEKLY_SQL_DEMO_VILLAGE_CADRE] =
	    "SELECT p.id, p.name, (SELECT a.id FROM account a"
	    "  WHERE a.person_id = p.id)"
	    " FROM post po JOIN person p ON p.id = po.person_id"
	    " WHERE po.village_id = ?1 AND po.ended_on IS NULL"
	    " ORDER BY po.id LIMIT 1",
	[WEEKLY_SQL_DEMO_UNIT_CADRE] =
	    "SELECT p.id, p.name, (SELECT a.id FROM account a"
	    "  WHERE a.person_id = p.id)"
	    " FROM post po JOIN person p ON p.id = po.person_id"
	    " WHERE po.unit_id = ?1 AND po.ended_on IS NULL"
	    " ORDER BY po.id LIMIT 1",
};

const struct db_sqltab weekly_sqltab = { "weekly", weekly_sql,
    WEEKLY_SQL__MAX };

const char *const weekly_kind_names[WEEKLY__MAX] = {
	"village",	/* WEEKLY_VILLAGE */
	"unit",		/* WEEKLY_UNIT */
};

const char *const weekly_kind_labels[WEEKLY__MAX] = {
	"村",		/* WEEKLY_VILLAGE */
	"站所",		/* WEEKLY_UNIT */
};

static struct db_stmt *
stmt(struct db *db, enum weekly_sql id)
{
	return db_stmt(db, DBM_WEEKLY, id);
}

static void
set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v);
}

/* Weeks */

int64_t
weekly_monday(int64_t day)
{
	return day - (date_weekday(day) - 1);
}

void
weekly_week(int64_t monday, struct weekly_week *wk)
{
	wk->monday = monday;
	wk->deadline = monday * DAY_MS + DEADLINE_MS;
	wk->from = wk->deadline - 7 * DAY_MS;
}

/* The day (Asia/Shanghai) of an instant. */
static int64_t
day_of(int64_t ms)
{
	int64_t	 t = ms + TIME_CN_OFFSET_MS;

	return t >= 0 ? t / DAY_MS : -((-t + DAY_MS - 1) / DAY_MS);
}

int64_t
weekly_current(int64_t now)
{
	struct weekly_week	 wk;

	weekly_week(weekly_monday(day_of(now)), &wk);
	return now >= wk.deadline ? wk.monday + 7 : wk.monday;
}

static void
bind_time(struct db_stmt *st, int i, int64_t ms)
{
	char	 t[TIME_ISO_LEN];

	time_iso_utc(ms, t);
	db_bind_text(st, i, t);
}

/* Stored UTC text as "2026-11-27 09:30" (Asia/Shanghai), or "". */
static const char *
shown(const char *stored, char out[32])
{
	int64_t	 ms;

	if (stored == NULL || time_parse_utc(stored, &ms) != 0)
		return "";
	time_show_cn(ms, out);
	return out;
}

static json_t *
text_or_empty(const char *s)
{
	return json_string(s ? s : "");
}

/* Submitters */

int
weekly_submitter_name(struct db *db, int64_t township_id,
    const struct weekly_submitter *who, char *out, size_t outlen)
{
	struct db_stmt	*st;
	int		 rc;

	st = stmt(db, who->kind == WEEKLY_VILLAGE ? WEEKLY_SQL_VILLAGE_NAME :
	    WEEKLY_SQL_UNIT_NAME);
	db_bind_int64(st, 1, township_id);
	db_bind_int64(st, 2, who->id);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(out, db_col_text(st, 0), outlen);
	db_reset(st);
	return rc == DB_ROW ? DB_OK : rc;
}

int
weekly_current_submission(struct db *db, int64_t township_id,
    const struct weekly_submitter *who, int64_t monday, int64_t *id,
    int64_t *at)
{
	struct db_stmt	*st = stmt(db, WEEKLY_SQL_CURRENT);
	int		 rc;

	*id = 0;
	*at = 0;
	db_bind_int64(st, 1, township_id);
	db_bind_day(st, 2, monday);
	db_bind_text(st, 3, weekly_kind_names[who->kind]);
	db_bind_int64(st, 4, who->id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int64(st, 0);
		if (time_parse_utc(db_col_text(st, 1), at) != 0)
			*at = 0;
	}
	db_reset(st);
	return rc < 0 ? rc : DB_OK;
}

json_t *
weekly_person_units(struct db *db, int64_t township_id, int64_t person_id,
    int *rc)
{
	struct db_stmt	*st = stmt(db, WEEKLY_SQL_PERSON_UNITS);
	json_t		*a = json_array();
	int		 r;

	db_bind_int64(st, 1, township_id);
	db_bind_int64(st, 2, person_id);
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(a, json_pack("{so so so}",
		    "id", db_json_int(st, 0), "name", db_json_text(st, 1),
		    "supervises", db_json_bool(st, 2)));
	return db_json_finish(st, r, a, rc);
}

/* The report */

/* One submitter's line of the board, as it is filled in. */
struct line {
	enum weekly_kind kind;
	int64_t		 id;
	json_t		*o;
	int64_t		 n[4];		/* new, closed, open, overdue */
};

static const char *const count_names[4] = { "new", "closed", "open",
    "overdue" };

static json_t *
counts(const int64_t n[4])
{
	return json_pack("{sI sI sI sI}", count_names[0], (json_int_t)n[0],
	    count_names[1], (json_int_t)n[1], count_names[2], (json_int_t)n[2],
	    count_names[3], (json_int_t)n[3]);
}

/* Append the submitters of one kind to "lines" (an array of json objects). */
static int
submitters(struct db *db, int64_t township_id, enum weekly_kind kind,
    struct line **lines, size_t *n, size_t *cap)
{
	struct db_stmt	*st;
	struct line	*l;
	int		 rc;

	st = stmt(db, kind == WEEKLY_VILLAGE ? WEEKLY_SQL_VILLAGES :
	    WEEKLY_SQL_UNITS);
	db_bind_int64(st, 1, township_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == *cap) {
			size_t	 c = *cap ? *cap * 2 : 32;
			void	*p = reallocarray(*lines, c, sizeof(**lines));

			if (p == NULL) {
				rc = DB_ERROR;
				break;
			}
			*lines = p;
			*cap = c;
		}
		l = &(*lines)[(*n)++];
		memset(l, 0, sizeof(*l));
		l->kind = kind;
		l->id = db_col_int64(st, 0);
		l->o = json_pack("{ss ss sI so}", "kind",
		    weekly_kind_names[kind], "kind_label",
		    weekly_kind_labels[kind], "id", (json_int_t)l->id,
		    "name", db_json_text(st, 1));
	}
	db_reset(st);
	return rc == DB_DONE ? DB_OK : rc;
}

static struct line *
find_line(struct line *lines, size_t n, enum weekly_kind kind, int64_t id)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (lines[i].kind == kind && lines[i].id == id)
			return &lines[i];
	return NULL;
}

/* The week's current submissions onto their lines. */
static int
attach_submissions(struct db *db, int64_t township_id, int64_t monday,
    struct line *lines, size_t n)
{
	struct db_stmt	*st = stmt(db, WEEKLY_SQL_CURRENT_ALL);
	struct line	*l;
	const char	*kind;
	int		 rc;

	db_bind_int64(st, 1, township_id);
	db_bind_day(st, 2, monday);
	while ((rc = db_step(st)) == DB_ROW) {
		kind = db_col_text(st, 1);
		l = find_line(lines, n, str_eq(kind, "village") ?
		    WEEKLY_VILLAGE : WEEKLY_UNIT, db_col_int64(st, 2));
		if (l == NULL)		/* a unit closed, or supervising now */
			continue;
		set(l->o, "submission", json_pack("{so so so sb so so}",
		    "id", db_json_int(st, 0),
		    "submitted_at", db_json_time(st, 3),
		    "submitted_by", db_json_text(st, 4),
		    "late", db_col_int64(st, 5) != 0,
		    "row_count", db_json_int(st, 6),
		    "note", db_json_text(st, 7)));
	}
	db_reset(st);
	return rc == DB_DONE ? DB_OK : rc;
}

/* The week's figures per village and unit, summed onto the lines. */
static int
add_counts(struct db *db, int64_t township_id, const struct weekly_week *wk,
    int64_t until, struct line *lines, size_t n, int64_t total[4])
{
	struct db_stmt	*st = stmt(db, WEEKLY_SQL_COUNTS);
	struct line	*lv, *lu;
	int64_t		 c;
	int		 rc, k;

	db_bind_int64(st, 1, township_id);
	bind_time(st, 3, wk->from);
	bind_time(st, 4, until);
	db_bind_day(st, 5, day_of(until));
	while ((rc = db_step(st)) == DB_ROW) {
		lv = db_col_null(st, 0) ? NULL : find_line(lines, n,
		    WEEKLY_VILLAGE, db_col_int64(st, 0));
		lu = db_col_null(st, 1) ? NULL : find_line(lines, n,
		    WEEKLY_UNIT, db_col_int64(st, 1));
		for (k = 0; k < 4; k++) {
			c = db_col_int64(st, 2 + k);
			total[k] += c;
			if (lv != NULL)
				lv->n[k] += c;
			if (lu != NULL)
				lu->n[k] += c;
		}
	}
	db_reset(st);
	return rc == DB_DONE ? DB_OK : rc;
}

static const char *
status_of(json_t *sub, bool passed)
{
	if (sub != NULL)
		return json_is_true(json_object_get(sub, "late")) ? "late" :
		    "on_time";
	return passed ? "missing" : "pending";
}

static const char *
status_label(const char *status)
{
	if (str_eq(status, "on_time"))
		return "按时报送";
	if (str_eq(status, "late"))
		return "逾期报送";
	if (str_eq(status, "missing"))
		return "未报送";
	return "待报送";
}

/* "龙咀子村、司法所" from an array of names. */
static json_t *
joined(json_t *names)
{
	struct buf	 b = BUF_INIT;
	json_t		*x, *s;
	size_t		 i;

	json_array_foreach(names, i, x)
		buf_addf(&b, "%s%s", i ? "、" : "", json_string_value(x));
	s = json_string(b.data);
	buf_release(&b);
	return s;
}

json_t *
weekly_report(struct db *db, int64_t township_id, int64_t monday,
    int64_t now, int *rc)
{
	struct weekly_week	 wk;
	struct line		*lines = NULL;
	size_t			 n = 0, cap = 0, i;
	int64_t			 total[4] = { 0, 0, 0, 0 }, until;
	int64_t			 tally[4] = { 0, 0, 0, 0 };
	json_t			*res = NULL, *rows, *late, *missing, *sub;
	const char		*status;
	bool			 passed;
	char			 t[32];

	weekly_week(monday, &wk);
	passed = now >= wk.deadline;
	until = passed ? wk.deadline : now;
	*rc = submitters(db, township_id, WEEKLY_VILLAGE, &lines, &n, &cap);
	if (*rc == DB_OK)
		*rc = submitters(db, township_id, WEEKLY_UNIT, &lines, &n,
		    &cap);
	if (*rc == DB_OK)
		*rc = attach_submissions(db, township_id, monday, lines, n);
	if (*rc == DB_OK)
		*rc = add_counts(db, township_id, &wk, until, lines, n, total);
	if (*rc != DB_OK)
		goto out;

	rows = json_array();
	late = json_array();
	missing = json_array();
	for (i = 0; i < n; i++) {
		sub = json_object_get(lines[i].o, "submission");
		status = status_of(sub, passed);
		if (sub == NULL)
			set(lines[i].o, "submission", json_null());
		set(lines[i].o, "status", json_string(status));
		set(lines[i].o, "status_label", json_string(
		    status_label(status)));
		set(lines[i].o, "counts", counts(lines[i].n));
		if (str_eq(status, "on_time"))
			tally[0]++;
		else if (str_eq(status, "late")) {
			tally[1]++;
			json_array_append(late, json_object_get(lines[i].o,
			    "name"));
		} else if (str_eq(status, "missing")) {
			tally[2]++;
			json_array_append(missing, json_object_get(lines[i].o,
			    "name"));
		} else
			tally[3]++;
		json_array_append_new(rows, lines[i].o);
		lines[i].o = NULL;
	}
	time_show_cn(until, t);
	res = json_pack("{ss so so s{sI sI sI sI sI} so so so so}",
	    "as_of", t,
	    "submitters", rows,
	    "totals", counts(total),
	    "summary", "submitters", (json_int_t)n,
	    "on_time", (json_int_t)tally[0], "late", (json_int_t)tally[1],
	    "missing", (json_int_t)tally[2], "pending", (json_int_t)tally[3],
	    "late", late,
	    "missing", missing,
	    "late_names", joined(late),
	    "missing_names", joined(missing));
out:
	for (i = 0; i < n; i++)
		json_decref(lines[i].o);
	free(lines);
	return res;
}

/* The ledger rows */

json_t *
weekly_preview(struct db *db, int64_t township_id,
    const struct weekly_submitter *who, int64_t monday, int64_t now, int *rc)
{
	const struct matter_type	*t = matter_type_get("petition");
	struct weekly_week		 wk;
	struct db_stmt			*st;
	json_t				*a = json_array(), *o;
	char				 from[TIME_ISO_LEN], end[TIME_ISO_LEN];
	char				 when[32];
	const char			*opened, *closed, *due;
	int64_t				 seq = 0, today = day_of(now), d;
	bool				 open;
	int				 r;

	weekly_week(monday, &wk);
	/* The week's own figures stop at its deadline, even when late. */
	time_iso_utc(wk.from, from);
	time_iso_utc(now < wk.deadline ? now : wk.deadline, end);
	st = stmt(db, who->kind == WEEKLY_VILLAGE ? WEEKLY_SQL_ROWS_VILLAGE :
	    WEEKLY_SQL_ROWS_UNIT);
	db_bind_int64(st, 1, township_id);
	db_bind_int64(st, 2, who->id);
	db_bind_text(st, 3, from);
	bind_time(st, 4, now);
	while ((r = db_step(st)) == DB_ROW) {
		opened = db_col_text(st, 5);
		closed = db_col_text(st, 14);
		due = db_col_text(st, 12);
		open = closed == NULL;
		o = json_object();
		set(o, "seq", json_integer(++seq));
		set(o, "matter_id", db_json_int(st, 0));
		set(o, "code", db_json_text(st, 1));
		set(o, "petitioner", json_string(db_col_null(st, 3) ? "匿名" :
		    db_col_text(st, 3)));
		set(o, "phone_mask", text_or_empty(db_col_text(st, 4)));
		set(o, "opened_at", json_string(shown(opened, when)));
		set(o, "source", json_string(matter_source_label(t,
		    db_col_text(st, 2))));
		set(o, "title", db_json_text(st, 6));
		set(o, "village", text_or_empty(db_col_text(st, 7)));
		set(o, "unit", text_or_empty(db_col_text(st, 8)));
		set(o, "lead", text_or_empty(db_col_text(st, 9)));
		set(o, "resolver", text_or_empty(db_col_text(st, 10)));
		set(o, "state", json_string(matter_state_label(t,
		    db_col_text(st, 11))));
		set(o, "due_on", text_or_empty(due));
		set(o, "closed_at", json_string(shown(closed, when)));
		set(o, "closing", json_string(db_col_null(st, 15) ? "" :
		    matter_closing_label(t, db_col_text(st, 15))));
		set(o, "key", json_boolean(db_col_int64(st, 16) != 0));
		set(o, "new", json_boolean(opened != NULL &&
		    strcmp(opened, from) >= 0 && strcmp(opened, end) < 0));
		set(o, "closed", json_boolean(!open &&
		    strcmp(closed, from) >= 0 && strcmp(closed, end) < 0));
		set(o, "overdue", json_boolean(open && db_col_null(st, 13) &&
		    due != NULL && date_parse(due, &d) == 0 && d < today));
		json_array_append_new(a, o);
	}
	return db_json_finish(st, r, a, rc);
}

/* Submitting */

static const char *
text_of(json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static int
insert_row(struct db *db, int64_t id, json_t *o)
{
	static const char *const texts[] = { "code", "petitioner",
	    "phone_mask", "opened_at", "source", "title", "village", "unit",
	    "lead", "resolver", "state", "due_on", "closed_at", "closing" };
	static const char *const flags[] = { "key", "new", "closed",
	    "overdue" };
	struct db_stmt	*st = stmt(db, WEEKLY_SQL_ROW_INSERT);
	size_t		 i;

	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, json_integer_value(json_object_get(o, "seq")));
	db_bind_int64(st, 3, json_integer_value(json_object_get(o,
	    "matter_id")));
	for (i = 0; i < NELEM(texts); i++)
		db_bind_text(st, 4 + (int)i, text_of(o, texts[i]));
	for (i = 0; i < NELEM(flags); i++)
		db_bind_int64(st, 18 + (int)i, json_is_true(json_object_get(o,
		    flags[i])) ? 1 : 0);
	return db_exec(st);
}

static int
refuse(struct weekly_err *err, int status, const char *code,
    const char *message, const char *field)
{
	err->status = status;
	err->code = code;
	err->message = message;
	err->field = field;
	return -1;
}

/* Insert the submission and its rows; *id gets its id.  In tx. */
static int
insert(struct db *db, const struct weekly_in *in, const char *submitter,
    const struct audit_actor *who, int64_t now, json_t *rows, int64_t *id)
{
	struct weekly_week	 wk;
	struct db_stmt		*st = stmt(db, WEEKLY_SQL_INSERT);
	size_t			 i;
	int			 rc;

	weekly_week(in->monday, &wk);
	db_bind_int64(st, 1, in->township_id);
	db_bind_day(st, 2, in->monday);
	db_bind_text(st, 3, weekly_kind_names[in->who.kind]);
	if (in->who.kind == WEEKLY_VILLAGE) {
		db_bind_int64(st, 4, in->who.id);
		db_bind_null(st, 5);
	} else {
		db_bind_null(st, 4);
		db_bind_int64(st, 5, in->who.id);
	}
	db_bind_text(st, 6, submitter);
	db_bind_id(st, 7, who->account_id);
	db_bind_id(st, 8, in->person_id);
	db_bind_text(st, 9, in->name ? in->name : who->login);
	bind_time(st, 10, now);
	bind_time(st, 11, wk.deadline);
	bind_time(st, 12, wk.from);
	db_bind_int64(st, 13, now >= wk.deadline ? 1 : 0);
	db_bind_int64(st, 14, (int64_t)json_array_size(rows));
	db_bind_text(st, 15, in->note ? in->note : "");
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	*id = db_last_id(db);
	for (i = 0; i < json_array_size(rows); i++)
		if ((rc = insert_row(db, *id, json_array_get(rows, i))) !=
		    DB_OK)
			return rc;
	return DB_OK;
}

static int
mark_replaced(struct db *db, enum weekly_sql which, int64_t id,
    int64_t now, int64_t by)
{
	struct db_stmt	*st = stmt(db, which);

	db_bind_int64(st, 1, id);
	if (which == WEEKLY_SQL_REPLACED_AT)
		bind_time(st, 2, now);
	else
		db_bind_int64(st, 2, by);
	return db_exec(st);
}

int
weekly_submit(struct db *db, const struct weekly_in *in,
    const struct audit_actor *who, int64_t now, int64_t *id,
    struct weekly_err *err)
{
	struct weekly_week	 wk;
	json_t			*rows = NULL, *detail;
	char			 name[128], week[11];
	int64_t			 old = 0, old_at = 0;
	int			 rc;

	weekly_week(in->monday, &wk);
	if (in->monday > weekly_current(now))
		return refuse(err, 422, "invalid", "该周的报送还没有开始",
		    "week");
	if ((rc = db_begin(db)) != DB_OK)
		return refuse(err, 503, "unavailable",
		    "数据库暂时不可用，请稍后再试", NULL);
	rc = weekly_submitter_name(db, in->township_id, &in->who, name,
	    sizeof(name));
	if (rc == DB_DONE) {
		db_end(db, -1);
		return refuse(err, 404, "not_found", "报送单位不存在", NULL);
	}
	if (rc == DB_OK)
		rc = weekly_current_submission(db, in->township_id, &in->who,
		    in->monday, &old, &old_at);
	if (rc == DB_OK && old != 0 && now >= wk.deadline) {
		db_end(db, -1);
		return refuse(err, 409, "conflict",
		    "该周台账已经报送，报送截止时间已过，不能再次报送", NULL);
	}
	if (rc == DB_OK && (rows = weekly_preview(db, in->township_id,
	    &in->who, in->monday, now, &rc)) == NULL && rc == DB_OK)
		rc = DB_ERROR;
	/* The one it replaces first leaves the "current" index. */
	if (rc == DB_OK && old != 0)
		rc = mark_replaced(db, WEEKLY_SQL_REPLACED_AT, old, now, 0);
	if (rc == DB_OK)
		rc = insert(db, in, name, who, now, rows, id);
	if (rc == DB_OK && old != 0)
		rc = mark_replaced(db, WEEKLY_SQL_REPLACED_BY, old, now, *id);
	if (rc == DB_OK) {
		date_iso(in->monday, week);
		detail = json_pack("{ss ss sI ss sI sb}", "week", week,
		    "kind", weekly_kind_names[in->who.kind], "submitter_id",
		    (json_int_t)in->who.id, "submitter", name, "rows",
		    (json_int_t)json_array_size(rows), "late",
		    now >= wk.deadline);
		if (old != 0)
			set(detail, "replaces", json_integer(old));
		rc = audit_write(db, who, "weekly.submit", "weekly_submission",
		    *id, true, detail);
		json_decref(detail);
	}
	json_decref(rows);
	if ((rc = db_end(db, rc)) != DB_OK)
		return refuse(err, rc == DB_UNAVAIL ? 503 : 500, "unavailable",
		    "报送没有保存，请稍后再试", NULL);
	return 0;
}

/* Reading a submission */

static json_t *
sub_row(struct db_stmt *st)
{
	return json_pack("{so so so so sb so so sb}",
	    "id", db_json_int(st, 0),
	    "kind", db_json_text(st, 1),
	    "submitter_id", db_json_int(st, 2),
	    "submitted_at", db_json_time(st, 3),
	    "late", db_col_int64(st, 5) != 0,
	    "submitted_by", db_json_text(st, 4),
	    "row_count", db_json_int(st, 6),
	    "replaced", !db_col_null(st, 8));
}

static json_t *
frozen_rows(struct db *db, int64_t id, int *rc)
{
	static const char *const cols[] = { "seq", "matter_id", "code",
	    "petitioner", "phone_mask", "opened_at", "source", "title",
	    "village", "unit", "lead", "resolver", "state", "due_on",
	    "closed_at", "closing", "key", "new", "closed", "overdue" };
	struct db_stmt	*st = stmt(db, WEEKLY_SQL_GET_ROWS);
	json_t		*a = json_array(), *o;
	size_t		 i;
	int		 r;

	db_bind_int64(st, 1, id);
	while ((r = db_step(st)) == DB_ROW) {
		o = json_object();
		for (i = 0; i < NELEM(cols); i++)
			set(o, cols[i], i < 2 ? db_json_int(st, (int)i) :
			    i >= 16 ? db_json_bool(st, (int)i) :
			    db_json_text(st, (int)i));
		json_array_append_new(a, o);
	}
	return db_json_finish(st, r, a, rc);
}

static json_t *
history(struct db *db, int64_t township_id, const char *week,
    const char *kind, int64_t submitter_id, int *rc)
{
	struct db_stmt	*st = stmt(db, WEEKLY_SQL_HISTORY);

	db_bind_int64(st, 1, township_id);
	db_bind_text(st, 2, week);
	db_bind_text(st, 3, kind);
	db_bind_int64(st, 4, submitter_id);
	return db_json_rows(st, sub_row, rc);
}

json_t *
weekly_get(struct db *db, const struct scope *sc, int64_t id, int *rc)
{
	struct db_stmt	*st = stmt(db, WEEKLY_SQL_GET);
	json_t		*o, *x;
	char		 week[11], kind[16];
	int64_t		 who;
	int		 r;

	db_bind_int64(st, 1, sc->township_id);
	db_bind_id(st, 2, sc->village_id);
	db_bind_int64(st, 3, id);
	if ((r = db_step(st)) != DB_ROW) {
		db_reset(st);
		*rc = r == DB_DONE ? DB_DONE : r;
		return NULL;
	}
	str_copy(week, db_col_text(st, 1), sizeof(week));
	str_copy(kind, db_col_text(st, 2), sizeof(kind));
	who = db_col_int64(st, 3);
	o = json_pack("{so so so ss so so so so so so sb so so so so}",
	    "id", db_json_int(st, 0),
	    "week", db_json_text(st, 1),
	    "kind", db_json_text(st, 2),
	    "kind_label", weekly_kind_labels[str_eq(kind, "village") ?
	    WEEKLY_VILLAGE : WEEKLY_UNIT],
	    "submitter_id", db_json_int(st, 3),
	    "submitter", db_json_text(st, 4),
	    "submitted_by", db_json_text(st, 5),
	    "submitted_at", db_json_time(st, 6),
	    "deadline", db_json_time(st, 7),
	    "period_from", db_json_time(st, 8),
	    "late", db_col_int64(st, 9) != 0,
	    "row_count", db_json_int(st, 10),
	    "note", db_json_text(st, 11),
	    "replaced_at", db_json_time(st, 12),
	    "replaced_by", db_json_int(st, 13));
	/* The submission date, for the export's date line. */
	set(o, "submitted_iso", db_json_iso_cn(st, 6));
	db_reset(st);
	if ((x = frozen_rows(db, id, rc)) == NULL) {
		json_decref(o);
		return NULL;
	}
	set(o, "rows", x);
	if ((x = history(db, sc->township_id, week, kind, who, rc)) == NULL) {
		json_decref(o);
		return NULL;
	}
	set(o, "history", x);
	*rc = DB_OK;
	return o;
}

/* The demo */

/* The first cadre posted to a village or unit: person, name, account. */
static int
demo_cadre(struct db *db, const struct weekly_submitter *s, int64_t *person,
    char *name, size_t namelen, int64_t *account)
{
	struct db_stmt	*st;
	int		 rc;

	st = stmt(db, s->kind == WEEKLY_VILLAGE ?
	    WEEKLY_SQL_DEMO_VILLAGE_CADRE : WEEKLY_SQL_DEMO_UNIT_CADRE);
	db_bind_int64(st, 1, s->id);
	*person = *account = 0;
	str_copy(name, "演示用户", namelen);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*person = db_col_int64(st, 0);
		str_copy(name, db_col_text(st, 1), namelen);
		*account = db_col_int64(st, 2);
	}
	db_reset(st);
	return rc < 0 ? rc : DB_OK;
}

int
weekly_demo(struct db *db, int64_t township_id, const struct audit_actor *cli,
    int64_t now)
{
	struct weekly_week	 wk;
	struct weekly_in	 in;
	struct audit_actor	 who;
	struct line		*lines = NULL;
	size_t			 n = 0, cap = 0, i, nv = 0;
	json_t			*rows, *detail;
	char			 name[64], sub[128], week[11];
	int64_t			 at, id, account;
	int			 rc;

	weekly_week(weekly_current(now) - 7, &wk);
	rc = submitters(db, township_id, WEEKLY_VILLAGE, &lines, &n, &cap);
	nv = n;
	if (rc == DB_OK)
		rc = submitters(db, township_id, WEEKLY_UNIT, &lines, &n, &cap);
	/*
	 * Everyone on time on Thursday afternoon or Friday morning, but the
	 * last village, which sends at 15:30 on Friday, and the last unit,
	 * which sends nothing.
	 */
	for (i = 0; rc == DB_OK && i + 1 < n; i++) {
		memset(&in, 0, sizeof(in));
		in.township_id = township_id;
		in.who.kind = lines[i].kind;
		in.who.id = lines[i].id;
		in.monday = wk.monday;
		if (i + 1 == nv) {
			at = wk.deadline + 210LL * 60 * 1000;
			if (at > now)
				at = now;
			in.note = "（演示）村里开会，迟报了";
		} else {
			/* Thursday from 15:00, or Friday from 08:30. */
			at = wk.deadline - (i % 2 ? 210 : 1260) * 60000LL +
			    (int64_t)i * 10 * 60000;
			in.note = i == 0 ? "（演示）本周无新增信访事项" : "";
		}
		if ((rc = demo_cadre(db, &in.who, &in.person_id, name,
		    sizeof(name), &account)) != DB_OK)
			break;
		in.name = name;
		who = *cli;
		who.account_id = account;
		rc = weekly_submitter_name(db, township_id, &in.who, sub,
		    sizeof(sub));
		rows = rc == DB_OK ? weekly_preview(db, township_id, &in.who,
		    in.monday, at, &rc) : NULL;
		if (rows == NULL)
			break;
		rc = insert(db, &in, sub, &who, at, rows, &id);
		if (rc == DB_OK) {
			date_iso(in.monday, week);
			detail = json_pack("{ss ss sI ss sI ss}", "week", week,
			    "kind", weekly_kind_names[in.who.kind],
			    "submitter_id", (json_int_t)in.who.id,
			    "submitter", sub, "rows",
			    (json_int_t)json_array_size(rows), "source",
			    "demo");
			rc = audit_write(db, cli, "weekly.submit",
			    "weekly_submission", id, true, detail);
			json_decref(detail);
		}
		json_decref(rows);
	}
	for (i = 0; i < n; i++)
		json_decref(lines[i].o);
	free(lines);
	return rc;
}

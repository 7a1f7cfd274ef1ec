/* roster_web.c: the reception duty roster: public page, management, print. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "db/db.h"
#include "petition/roster.h"
#include "petition/roster_db.h"
#include "petition/roster_web.h"
#include "web/input.h"
#include "web/options.h"
#include "web/web.h"

#define PUBLIC_WEEKS	8	/* the public sees this week and 7 ahead */
#define MANAGE_WEEKS	4	/* weeks on one management page */
#define MAX_RANGE_DAYS	371	/* one API call: at most 53 weeks */
#define MAX_AHEAD_DAYS	366	/* how far ahead a duty may be set */
#define BLANK_ROWS	10	/* rows of the blank paper form */
#define MIN_ROWS	7	/* a filled form has room for a week */

#define DEFAULT_TIME	"上午9:00-12:00"
#define DEFAULT_PLACE	"乡综治中心信访接待室"

static const struct field fields[] = {
	{ "day", "接访日期", F_DATE, true, 0, 0, NULL },
	{ "leader_id", "接访领导", F_ID, true, 0, 0, NULL },
	{ "post", "职务", F_TEXT, false, 0, 40, NULL },
	{ "duties", "分管工作", F_TEXT, false, 0, 100, NULL },
	{ "time", "接访时间", F_TEXT, true, 1, 40, NULL },
	{ "place", "接访地点", F_TEXT, true, 1, 60, NULL },
	{ "form", "接访形式", F_ENUM, true, 0, 0, roster_forms },
	{ "note", "备注", F_TEXT, false, 0, 200, NULL },
};
enum { R_DAY, R_LEADER, R_POST, R_DUTIES, R_TIME, R_PLACE, R_FORM, R_NOTE,
    R__MAX };

/* What the plan publishes of a duty (公示内容): no ids, no notes. */
static const char *const public_keys[] = { "day", "day_label", "weekday",
    "leader", "post", "duties", "time", "place", "form", "form_label",
    NULL };

static void
publish_only(json_t *row)
{
	const char	*k;
	json_t		*v;
	void		*tmp;
	size_t		 i;

	json_object_foreach_safe(row, tmp, k, v) {
		for (i = 0; public_keys[i] != NULL; i++)
			if (str_eq(k, public_keys[i]))
				break;
		if (public_keys[i] == NULL)
			json_object_del(row, k);
	}
}

static json_t *
iso(int64_t day)
{
	char	 s[11];

	date_iso(day, s);
	return json_string(s);
}

/* "2026年11月29日 星期日". */
static json_t *
today_label(int64_t today)
{
	char	 s[32];

	date_cn(today, s);
	return json_sprintf("%s %s", s, roster_weekday_label(today));
}

/* A day from the query ("week", "from", ...): 0, 422, or 1 if absent. */
static int
query_day(struct web *w, const char *name, int64_t *day)
{
	const char	*q = req_query(w->req, name);

	if (q == NULL || *q == '\0')
		return 1;
	if (date_parse(q, day) != 0)
		return web_fail(w, 422, "invalid", web_printf(w,
		    "「%s」应为日期，如 2026-11-30", name), name);
	return 0;
}

/*
 * The "nweeks" weeks from "monday" with their duty rows and flags; NULL
 * with the status set.  "public" keeps only what the plan publishes.
 */
static json_t *
weeks_of(struct web *w, int64_t monday, int nweeks, bool public, int *st)
{
	json_t	*rows, *weeks, *wk, *r;
	size_t	 i, k;
	int	 rc;

	rows = roster_rows(w->db, w->scope.township_id, monday,
	    monday + 7 * (int64_t)nweeks - 1, &rc);
	if (rows == NULL) {
		*st = web_db_fail(w, rc);
		return NULL;
	}
	weeks = roster_weeks(rows, monday, nweeks, date_today_cn());
	json_decref(rows);
	if (weeks == NULL) {
		*st = web_fail(w, 500, "internal", "服务器内部错误，请稍后重试",
		    NULL);
		return NULL;
	}
	if (public)
		json_array_foreach(weeks, i, wk)
			json_array_foreach(json_object_get(wk, "items"), k, r)
				publish_only(r);
	return weeks;
}

/* Today's duty (the leader a desk petition defaults to), or null. */
static json_t *
on_duty(struct web *w, int64_t today, bool public, int *st)
{
	json_t	*r;
	int64_t	 duty, leader;
	int	 rc;

	leader = roster_on_duty(w->db, w->scope.township_id, today, &duty);
	if (leader < 0) {
		*st = web_db_fail(w, (int)leader);
		return NULL;
	}
	if (leader == 0)
		return json_null();
	if ((r = roster_get(w->db, w->scope.township_id, duty, &rc)) == NULL) {
		*st = web_db_fail(w, rc < 0 ? rc : DB_UNAVAIL);
		return NULL;
	}
	if (public)
		publish_only(r);
	return r;
}

int
roster_page(struct web *w)
{
	int64_t	 today = date_today_cn(), monday = roster_monday(today);
	int64_t	 from = monday, to, last = monday + 7 * PUBLIC_WEEKS - 1;
	bool	 reader = web_can(w, ROSTER_READ), to_given = false;
	json_t	*weeks, *duty, *shown, *wk;
	size_t	 i;
	int	 st = 0, n;

	if (w->api) {
		if ((st = query_day(w, "from", &from)) > 1)
			return st;
		if ((st = query_day(w, "to", &to)) > 1)
			return st;
		to_given = st == 0;
	}
	if (!to_given)
		to = roster_monday(from) + 7 * PUBLIC_WEEKS - 1;
	if (to < from)
		return web_fail(w, 422, "invalid", "「to」不能早于「from」",
		    "to");
	/* Whole weeks, Monday to Sunday. */
	from = roster_monday(from);
	to = roster_monday(to) + 6;
	/*
	 * The public sees the current and coming weeks only: the plan
	 * publishes the schedule in advance, not a history of who was where.
	 */
	if (!reader) {
		if (from < monday)
			from = monday;
		if (to > last)
			to = last;
	}
	if (to - from + 1 > MAX_RANGE_DAYS)
		return web_fail(w, 422, "invalid", "一次最多查询53周", "to");
	n = to >= from ? (int)((to - from + 1) / 7) : 0;
	if ((weeks = weeks_of(w, from, n, !reader, &st)) == NULL)
		return st;
	if ((duty = on_duty(w, today, !reader, &st)) == NULL) {
		json_decref(weeks);
		return st;
	}
	if (w->api) {
		w->model = json_pack("{so so so so so so sb}", "from", iso(from),
		    "to", iso(n > 0 ? to : from - 1), "today", iso(today),
		    "on_duty", duty, "weeks", weeks, "principal_rule",
		    json_string(ROSTER_PRINCIPAL_RULE),
		    "public", !reader);
		return 200;
	}
	/* The page: this week always, later weeks once something is set. */
	shown = json_array();
	json_array_foreach(weeks, i, wk)
		if (json_is_true(json_object_get(wk, "current")) ||
		    json_array_size(json_object_get(wk, "items")) > 0)
			json_array_append(shown, wk);
	json_decref(weeks);
	w->model = json_pack("{so so so sb}", "weeks", shown, "today_label",
	    today_label(today), "on_duty", duty, "can_manage", reader);
	return 200;
}

/* Mark the rows that may still change (today and later). */
static void
mark_editable(json_t *items, int64_t today)
{
	const char	*s;
	json_t		*r;
	int64_t		 d;
	size_t		 i;

	json_array_foreach(items, i, r) {
		s = json_string_value(json_object_get(r, "day"));
		json_object_set_new(r, "editable", json_boolean(s != NULL &&
		    date_parse(s, &d) == 0 && d >= today));
	}
}

int
roster_manage(struct web *w)
{
	int64_t	 today = date_today_cn(), monday = roster_monday(today), d;
	json_t	*weeks, *duty, *wk;
	char	 a[11], b[11];
	size_t	 i;
	int	 st;

	if ((st = query_day(w, "week", &monday)) > 1)
		return st;
	monday = roster_monday(monday);
	if ((weeks = weeks_of(w, monday, MANAGE_WEEKS, false, &st)) == NULL)
		return st;
	if ((duty = on_duty(w, today, false, &st)) == NULL) {
		json_decref(weeks);
		return st;
	}
	json_array_foreach(weeks, i, wk) {
		d = monday + 7 * (int64_t)i;
		date_iso(d, a);
		date_iso(d > today ? d : today, b);
		json_object_set_new(wk, "print_url", json_sprintf(
		    "/roster/print?week=%s", a));
		json_object_set_new(wk, "add_url", d + 6 < today ? json_null() :
		    json_sprintf("/roster/new?day=%s", b));
		mark_editable(json_object_get(wk, "items"), today);
	}
	date_iso(monday - 7 * MANAGE_WEEKS, a);
	date_iso(monday + 7 * MANAGE_WEEKS, b);
	w->model = json_pack("{so so so sb so so}", "weeks", weeks,
	    "today_label", today_label(today), "on_duty", duty, "can_edit",
	    web_can(w, ROSTER_EDIT), "prev_url", json_sprintf(
	    "/roster/manage?week=%s", a), "next_url", json_sprintf(
	    "/roster/manage?week=%s", b));
	return 200;
}

int
roster_print(struct web *w)
{
	int64_t	 today = date_today_cn(), monday = roster_monday(today);
	const char *blank = req_query(w->req, "blank");
	json_t	*weeks = NULL, *rows, *pad, *wk, *r;
	char	 printed[32], label[64];
	size_t	 i, n;
	int	 st = 0;

	if (blank != NULL && !str_eq(blank, "1") && !str_eq(blank, "0"))
		return web_fail(w, 422, "invalid", "「blank」应为 1 或 0",
		    "blank");
	date_cn(today, printed);
	pad = json_array();
	if (str_eq(blank, "1")) {
		for (i = 1; i <= BLANK_ROWS; i++)
			json_array_append_new(pad, json_pack("{sI}", "n",
			    (json_int_t)i));
		w->model = json_pack("{sb ss s[] so ss sb sn}", "blank", true,
		    "week_label", "", "rows", "pad", pad, "printed_on",
		    printed, "flagged", false, "reason");
		w->print = true;
		return 200;
	}
	if ((st = query_day(w, "week", &monday)) > 1) {
		json_decref(pad);
		return st;
	}
	monday = roster_monday(monday);
	if ((weeks = weeks_of(w, monday, 1, false, &st)) == NULL) {
		json_decref(pad);
		return st;
	}
	wk = json_array_get(weeks, 0);
	rows = json_object_get(wk, "items");
	json_array_foreach(rows, i, r)
		json_object_set_new(r, "n", json_integer((json_int_t)i + 1));
	for (n = json_array_size(rows) + 1; n <= MIN_ROWS; n++)
		json_array_append_new(pad, json_pack("{sI}", "n",
		    (json_int_t)n));
	roster_week_label(monday, label);
	w->model = json_pack("{sb ss sO so ss sO sO}", "blank", false,
	    "week_label", label, "rows", rows, "pad", pad, "printed_on",
	    printed, "flagged", json_object_get(wk, "flagged"), "reason",
	    json_object_get(wk, "reason"));
	json_decref(weeks);
	w->print = true;
	return 200;
}

/* The current cadres as <select> options, "sel" selected. */
static json_t *
leader_options(json_t *leaders, int64_t sel)
{
	json_t	*a = json_array(), *l;
	size_t	 i;

	json_array_foreach(leaders, i, l)
		json_array_append_new(a, json_pack("{sO sO sb}", "value",
		    json_sprintf("%" JSON_INTEGER_FORMAT, json_integer_value(
		    json_object_get(l, "id"))), "label", json_object_get(l,
		    "label"), "selected", json_integer_value(json_object_get(l,
		    "id")) == sel));
	return a;
}

/* Load the row of ":id" for a change; 0, or a status (404, 409). */
static int
changeable(struct web *w, int64_t id, json_t **row)
{
	int64_t	 day;
	int	 rc;

	*row = NULL;
	if (id == 0)
		return web_not_found(w);
	if ((*row = roster_get(w->db, w->scope.township_id, id, &rc)) == NULL)
		return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	if (date_parse(json_string_value(json_object_get(*row, "day")),
	    &day) != 0 || day < date_today_cn()) {
		json_decref(*row);
		*row = NULL;
		return web_fail(w, 409, "past",
		    "已过去的接访安排不能修改或删除：历史记录须保持原样", NULL);
	}
	return 0;
}

static json_t *
str_or_empty(json_t *row, const char *key)
{
	json_t	*v = row ? json_object_get(row, key) : NULL;

	return json_is_string(v) ? json_incref(v) : json_string("");
}

int
roster_form(struct web *w)
{
	int64_t	 today = date_today_cn(), id = web_param_id(w, "id"), day;
	bool	 editing = kv_get(&w->params, "id") != NULL;
	const char *q;
	json_t	*row = NULL, *leaders, *form;
	int	 st, rc;

	if (editing && (st = changeable(w, id, &row)) != 0)
		return st;
	if ((leaders = roster_leaders(w->db, w->scope.township_id, &rc)) ==
	    NULL) {
		json_decref(row);
		return web_db_fail(w, rc);
	}
	/* A new duty: the day the week's link asked for, if still ahead. */
	q = req_query(w->req, "day");
	if (editing || q == NULL || date_parse(q, &day) != 0 || day < today)
		day = today;
	form = json_pack("{so so so so so so}",
	    "day", row ? json_incref(json_object_get(row, "day")) : iso(day),
	    "post", str_or_empty(row, "post"),
	    "duties", str_or_empty(row, "duties"),
	    "time", row ? str_or_empty(row, "time") :
	    json_string(DEFAULT_TIME),
	    "place", row ? str_or_empty(row, "place") :
	    json_string(DEFAULT_PLACE),
	    "note", str_or_empty(row, "note"));
	w->model = json_pack("{so s{so so} sb}", "form", form, "options",
	    "leader_id", leader_options(leaders, row ? json_integer_value(
	    json_object_get(row, "leader_id")) : 0),
	    "form", opt_list(roster_forms, roster_form_labels, row ?
	    json_string_value(json_object_get(row, "form")) : "visit_duty"),
	    "editing", editing);
	if (row != NULL)
		json_object_set_new(w->model, "id", json_incref(
		    json_object_get(row, "id")));
	if (editing)
		w->title = "修改接访安排";
	json_decref(leaders);
	json_decref(row);
	return 200;
}

/* The post as shown: the leader's current titles if none was typed. */
static const char *
post_of(struct web *w, const struct value *v, json_t *leader)
{
	const char	*titles = json_string_value(json_object_get(leader,
	    "titles"));
	const char	*sep;

	if (v->present)
		return v->s;
	if (titles == NULL || *titles == '\0')
		return NULL;
	if (utf8_len(titles) <= 40)
		return arena_strdup(&w->req->arena, titles);
	/* Too many posts for the column: the first (a unit post) will do. */
	sep = strstr(titles, "、");
	return arena_strndup(&w->req->arena, titles, sep ? (size_t)(sep -
	    titles) : strlen(titles));
}

int
roster_submit(struct web *w)
{
	struct value		 v[R__MAX];
	struct roster_in	 in;
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id = web_param_id(w, "id"), today;
	bool			 editing = kv_get(&w->params, "id") != NULL;
	json_t			*cur = NULL, *leader, *detail;
	int			 st, rc;

	if (editing) {
		if ((st = changeable(w, id, &cur)) != 0)
			return st;
		input_patch(w, cur, fields, R__MAX, NULL);
		json_decref(cur);
	}
	if ((st = input_check(w, fields, R__MAX, v)) != 0)
		return st;
	today = date_today_cn();
	if (v[R_DAY].i < today)
		return web_fail(w, 422, "invalid",
		    "「接访日期」不能早于今天：接访安排须提前公示，已过去的日期不能补排",
		    "day");
	if (v[R_DAY].i > today + MAX_AHEAD_DAYS)
		return web_fail(w, 422, "invalid",
		    "「接访日期」最多只能安排到一年以后", "day");
	leader = roster_leader(w->db, w->scope.township_id, v[R_LEADER].i, &rc);
	if (leader == NULL)
		return rc < 0 ? web_db_fail(w, rc) : web_fail(w, 422,
		    "invalid", "「接访领导」须是本乡在职干部", "leader_id");
	memset(&in, 0, sizeof(in));
	in.day = v[R_DAY].s;
	in.leader_id = v[R_LEADER].i;
	in.post = post_of(w, &v[R_POST], leader);
	json_decref(leader);
	if (in.post == NULL)
		return web_fail(w, 422, "invalid", "「职务」不能为空", "post");
	in.duties = v[R_DUTIES].present ? v[R_DUTIES].s : NULL;
	in.time = v[R_TIME].s;
	in.place = v[R_PLACE].s;
	in.form = v[R_FORM].s;
	in.note = v[R_NOTE].present ? v[R_NOTE].s : NULL;

	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = roster_save(w->db, w->scope.township_id, &id, &in, w->actor.id,
	    w->now);
	if (rc == DB_OK) {
		detail = json_pack("{ss sI ss ss}", "day", in.day, "leader_id",
		    (json_int_t)in.leader_id, "form", in.form, "time",
		    in.time);
		rc = audit_write(w->db, &who, editing ? "roster.update" :
		    "roster.create", "roster_duty", id, true, detail);
		json_decref(detail);
	}
	rc = db_end(w->db, rc);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc == DB_CONSTRAINT)
		return web_fail(w, 409, "conflict",
		    "这位领导在这一天的同一时间已有接访安排", "time");
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	if ((w->model = roster_get(w->db, w->scope.township_id, id, &rc)) ==
	    NULL)
		return web_db_fail(w, rc < 0 ? rc : DB_UNAVAIL);
	return web_done(w, editing ? 200 : 201, web_printf(w,
	    "/roster/manage?week=%s", in.day));
}

int
roster_remove(struct web *w)
{
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id = web_param_id(w, "id");
	json_t			*cur, *detail;
	char			 day[11];
	int			 st, rc;

	if ((st = changeable(w, id, &cur)) != 0)
		return st;
	str_copy(day, json_string_value(json_object_get(cur, "day")),
	    sizeof(day));
	detail = json_pack("{sO sO sO sO}", "day", json_object_get(cur, "day"),
	    "leader_id", json_object_get(cur, "leader_id"), "form",
	    json_object_get(cur, "form"), "time", json_object_get(cur, "time"));
	json_decref(cur);
	if ((rc = db_begin(w->db)) != DB_OK) {
		json_decref(detail);
		return web_db_fail(w, rc);
	}
	rc = roster_delete(w->db, w->scope.township_id, id);
	if (rc == DB_OK)
		rc = audit_write(w->db, &who, "roster.delete", "roster_duty", id,
		    true, detail);
	json_decref(detail);
	rc = db_end(w->db, rc);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI sb}", "id", (json_int_t)id, "deleted", true);
	return web_done(w, 200, web_printf(w, "/roster/manage?week=%s", day));
}

int
roster_show(struct web *w)
{
	int64_t	 id = web_param_id(w, "id");
	int	 rc;

	if (id == 0 || (w->model = roster_get(w->db, w->scope.township_id, id,
	    &rc)) == NULL)
		return id && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	return 200;
}

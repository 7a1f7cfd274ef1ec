/* weekly_web.c: the weekly ledger submission pages and API (每周报送). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/role.h"
#include "base/compat.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "html/html.h"
#include "petition/weekly_db.h"
#include "petition/weekly_web.h"
#include "report/xlsx.h"
#include "web/input.h"
#include "web/download.h"
#include "web/web.h"

#define MAX_MINE	8	/* the units one person submits for */

static const char *const kinds[] = { "village", "unit", NULL };

static const struct field fields[] = {
	{ "week", "报送周", F_DATE, false, 0, 0, NULL },
	{ "kind", "报送单位类别", F_ENUM, false, 0, 0, kinds },
	{ "submitter_id", "报送单位", F_ID, false, 0, 0, NULL },
	{ "note", "备注", F_MULTILINE, false, 0, 500, NULL },
};
enum { W_WEEK, W_KIND, W_SUBMITTER, W_NOTE, W__MAX };

/* The units the signed-in person holds a post in, or an empty array. */
static json_t *
my_units(struct web *w, int *rc)
{
	*rc = DB_OK;
	if (!web_can(w, ROLE_STAFF) || w->actor.person_id == 0)
		return json_array();
	return weekly_person_units(w->db, w->scope.township_id,
	    w->actor.person_id, rc);
}

/*
 * The board is for the leaders, the members, the inspectors and the staff
 * of the unit the ledgers are sent to (综治中心: unit.supervises).
 */
static bool
board_reader(struct web *w, json_t *units)
{
	json_t	*u;
	size_t	 i;

	if (web_can(w, ROLE_LEADER | ROLE_MEMBER | ROLE_INSPECTOR))
		return true;
	json_array_foreach(units, i, u)
		if (json_is_true(json_object_get(u, "supervises")))
			return true;
	return false;
}

/* Whose ledgers this person submits: their village, their units. */
static size_t
my_submitters(struct web *w, json_t *units, struct weekly_submitter *out)
{
	json_t	*u;
	size_t	 i, n = 0;

	if (web_can(w, ROLE_VILLAGE) && w->scope.village_id != 0) {
		out[n].kind = WEEKLY_VILLAGE;
		out[n++].id = w->scope.village_id;
	}
	json_array_foreach(units, i, u) {
		if (n == MAX_MINE)
			break;
		if (json_is_true(json_object_get(u, "supervises")))
			continue;
		out[n].kind = WEEKLY_UNIT;
		out[n++].id = json_integer_value(json_object_get(u, "id"));
	}
	return n;
}

/*
 * ?week=: any day of the week (Monday to Sunday); the current by default.
 * A refused submission shows the week it was for again.
 */
static int
query_week(struct web *w, int64_t *monday)
{
	const char	*s = req_query(w->req, "week");
	int64_t		 day;

	if (s == NULL && w->req->method == HTTP_POST && !w->api)
		s = kv_get(&w->form, "week");

	*monday = weekly_current(w->now);
	if (str_empty(s))
		return 0;
	if (date_parse(s, &day) != 0)
		return web_fail(w, 422, "invalid",
		    "「week」应为日期，如 2026-11-30", "week");
	if (weekly_monday(day) > *monday)
		return web_fail(w, 422, "invalid", "该周的报送还没有开始",
		    "week");
	*monday = weekly_monday(day);
	return 0;
}

static char *
week_label(struct web *w, int64_t monday)
{
	char	 a[32], b[32];

	date_cn(monday, a);
	date_cn(monday + 6, b);
	return web_printf(w, "%s至%s", a, b);
}

/* The week's dates and links, shared by the page and its API twin. */
static json_t *
week_model(struct web *w, int64_t monday)
{
	struct weekly_week	 wk;
	char			 iso[11], prev[11], next[11], from[32], dl[32];
	char			 day[32];
	int64_t			 cur = weekly_current(w->now);

	weekly_week(monday, &wk);
	date_iso(monday, iso);
	date_iso(monday - 7, prev);
	date_iso(monday + 7, next);
	time_show_cn(wk.from, from);
	time_show_cn(wk.deadline, dl);
	date_cn(monday + 4, day);
	return json_pack("{ss ss ss ss ss sb sb ss so}",
	    "week", iso,
	    "week_label", week_label(w, monday),
	    "period_from", from,
	    "deadline", dl,
	    "deadline_label", web_printf(w, "%s（星期五）12:00", day),
	    "deadline_passed", w->now >= wk.deadline,
	    "current", monday == cur,
	    "prev_url", web_printf(w, "/weekly?week=%s", prev),
	    "next_url", monday < cur ? json_string(web_printf(w,
	    "/weekly?week=%s", next)) : json_null());
}

/* Row and badge colours of a status. */
static void
status_css(json_t *line)
{
	const char	*s = json_string_value(json_object_get(line, "status"));

	json_object_set_new(line, "css", json_string(str_eq(s, "missing") ?
	    "u-overdue" : str_eq(s, "late") ? "u-soon" : "u-ok"));
	json_object_set_new(line, "badge", json_string(str_eq(s, "missing") ?
	    "red" : str_eq(s, "late") ? "amber" : str_eq(s, "on_time") ?
	    "state" : ""));
}

static json_t *
line_of(json_t *report, const struct weekly_submitter *s)
{
	json_t	*l;
	size_t	 i;

	json_array_foreach(json_object_get(report, "submitters"), i, l)
		if (str_eq(json_string_value(json_object_get(l, "kind")),
		    weekly_kind_names[s->kind]) &&
		    json_integer_value(json_object_get(l, "id")) == s->id)
			return l;
	return NULL;
}

/* One card of "mine": the submitter's status, preview and button. */
static json_t *
mine_card(struct web *w, json_t *report, const struct weekly_submitter *s,
    int64_t monday, int *rc)
{
	struct weekly_week	 wk;
	json_t			*line = line_of(report, s), *o, *rows;
	int64_t			 prev = 0, at;
	bool			 passed, sent;
	char			 iso[11];

	*rc = DB_OK;
	if (line == NULL)
		return NULL;		/* not a submitter (any more) */
	weekly_week(monday, &wk);
	passed = w->now >= wk.deadline;
	sent = !json_is_null(json_object_get(line, "submission"));
	if ((rows = weekly_preview(w->db, w->scope.township_id, s, monday,
	    w->now, rc)) == NULL)
		return NULL;
	o = json_deep_copy(line);
	json_object_set_new(o, "rows", rows);
	json_object_set_new(o, "row_count", json_integer(
	    (json_int_t)json_array_size(rows)));
	json_object_set_new(o, "can_submit", json_boolean(!(sent && passed)));
	json_object_set_new(o, "button", json_string(!passed ? (sent ?
	    "重新报送（替换此前的报送）" : "报送本周台账") :
	    "补报（记为逾期报送）"));
	json_object_set_new(o, "refusal", json_string(sent && passed ?
	    "报送截止时间已过，已报送的台账不能再更换。" : ""));
	/* This week: is last week still missing? */
	if (monday == weekly_current(w->now) && (*rc =
	    weekly_current_submission(w->db, w->scope.township_id, s,
	    monday - 7, &prev, &at)) != DB_OK) {
		json_decref(o);
		return NULL;
	}
	date_iso(monday - 7, iso);
	json_object_set_new(o, "prev_missing", json_boolean(
	    monday == weekly_current(w->now) && prev == 0));
	json_object_set_new(o, "prev_url", json_string(web_printf(w,
	    "/weekly?week=%s", iso)));
	status_css(o);
	return o;
}

int
weekly_page(struct web *w)
{
	struct weekly_submitter	 mine[MAX_MINE];
	json_t			*units, *report, *cards, *card, *l;
	int64_t			 monday;
	size_t			 n, i;
	int			 st, rc;

	if ((st = query_week(w, &monday)) != 0)
		return st;
	if ((units = my_units(w, &rc)) == NULL)
		return web_db_fail(w, rc);
	if ((report = weekly_report(w->db, w->scope.township_id, monday,
	    w->now, &rc)) == NULL) {
		json_decref(units);
		return web_db_fail(w, rc);
	}
	n = my_submitters(w, units, mine);
	cards = json_array();
	for (i = 0; i < n; i++) {
		card = mine_card(w, report, &mine[i], monday, &rc);
		if (card == NULL && rc != DB_OK) {
			json_decref(cards);
			json_decref(report);
			json_decref(units);
			return web_db_fail(w, rc);
		}
		if (card != NULL)
			json_array_append_new(cards, card);
	}
	w->model = week_model(w, monday);
	json_object_set_new(w->model, "mine", cards);
	if (board_reader(w, units)) {
		json_array_foreach(json_object_get(report, "submitters"), i, l)
			status_css(l);
		json_object_set_new(w->model, "board", report);
	} else {
		json_decref(report);
		json_object_set_new(w->model, "board", json_null());
	}
	json_decref(units);
	json_object_set_new(w->model, "form", json_pack("{ss}", "note", ""));
	return 200;
}

/* Is "id" one of the units in "units" (and does that unit supervise)? */
static bool
holds_unit(json_t *units, int64_t id, bool *supervises)
{
	json_t	*u;
	size_t	 i;

	json_array_foreach(units, i, u)
		if (json_integer_value(json_object_get(u, "id")) == id) {
			*supervises = json_is_true(json_object_get(u,
			    "supervises"));
			return true;
		}
	return false;
}

/*
 * Whose ledger the request submits: a village cadre their village (another
 * village is "not found"), staff one of the units they hold a post in.
 */
static int
pick_submitter(struct web *w, const struct value *v,
    struct weekly_submitter *s)
{
	struct weekly_submitter	 mine[MAX_MINE];
	json_t			*units;
	bool			 unit, sup = false;
	size_t			 n, i, k = 0;
	int			 rc, st = 0;

	unit = v[W_KIND].present ? str_eq(v[W_KIND].s, "unit") :
	    w->scope.village_id == 0;
	if (!unit) {
		if (!web_can(w, ROLE_VILLAGE) || w->scope.village_id == 0)
			return web_fail(w, 403, "forbidden",
			    "站所干部只能报送本单位的台账", "kind");
		if (v[W_SUBMITTER].present &&
		    v[W_SUBMITTER].i != w->scope.village_id)
			return web_not_found(w);
		s->kind = WEEKLY_VILLAGE;
		s->id = w->scope.village_id;
		return 0;
	}
	if (!web_can(w, ROLE_STAFF))
		return web_fail(w, 403, "forbidden",
		    "村组干部只能报送本村的台账", "kind");
	if ((units = my_units(w, &rc)) == NULL)
		return web_db_fail(w, rc);
	n = my_submitters(w, units, mine);
	if (v[W_SUBMITTER].present) {
		for (i = 0; i < n; i++)
			if (mine[i].kind == WEEKLY_UNIT &&
			    mine[i].id == v[W_SUBMITTER].i)
				break;
		if (i == n)
			st = holds_unit(units, v[W_SUBMITTER].i, &sup) && sup ?
			    web_fail(w, 403, "forbidden", "综治中心负责汇总"
			    "各村、各站所的台账，本单位不需报送",
			    "submitter_id") :
			    web_fail(w, 403, "forbidden",
			    "只能报送本人任职的站所的台账", "submitter_id");
		else
			*s = mine[i];
	} else {
		for (i = 0; i < n; i++)
			if (mine[i].kind == WEEKLY_UNIT) {
				k++;
				*s = mine[i];
			}
		if (k == 0)
			st = web_fail(w, 403, "forbidden",
			    "您没有在需要报送台账的站所任职", "submitter_id");
		else if (k > 1)
			st = web_fail(w, 422, "invalid", "请选择报送单位",
			    "submitter_id");
	}
	json_decref(units);
	return st;
}

/* The submission model with its links and labels. */
static int
show_model(struct web *w, int64_t id)
{
	json_t		*o, *h;
	const char	*week;
	int64_t		 monday;
	size_t		 i;
	int		 rc;

	if ((o = weekly_get(w->db, &w->scope, id, &rc)) == NULL)
		return rc == DB_DONE ? web_not_found(w) : web_db_fail(w, rc);
	week = json_string_value(json_object_get(o, "week"));
	if (week != NULL && date_parse(week, &monday) == 0) {
		json_object_set_new(o, "week_label", json_string(
		    week_label(w, monday)));
		json_object_set_new(o, "week_url", json_string(web_printf(w,
		    "/weekly?week=%s", week)));
	} else {
		json_object_set_new(o, "week_label", json_string(""));
		json_object_set_new(o, "week_url", json_string("/weekly"));
	}
	json_object_set_new(o, "xlsx_url", json_string(web_printf(w,
	    "/weekly/%" PRId64 ".xlsx", id)));
	json_array_foreach(json_object_get(o, "history"), i, h)
		json_object_set_new(h, "current", json_boolean(
		    json_integer_value(json_object_get(h, "id")) == id));
	w->model = o;
	return 200;
}

int
weekly_post(struct web *w)
{
	struct value		 v[W__MAX];
	struct weekly_submitter	 s;
	struct weekly_in	 in;
	struct weekly_err	 err;
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id = 0, cur = weekly_current(w->now);
	int			 st;

	if ((st = input_check(w, fields, W__MAX, v)) != 0)
		return st;
	if (v[W_WEEK].present && weekly_monday(v[W_WEEK].i) > cur)
		return web_fail(w, 422, "invalid", "该周的报送还没有开始",
		    "week");
	if ((st = pick_submitter(w, v, &s)) != 0)
		return st;
	memset(&in, 0, sizeof(in));
	in.township_id = w->scope.township_id;
	in.who = s;
	in.monday = v[W_WEEK].present ? weekly_monday(v[W_WEEK].i) : cur;
	in.note = v[W_NOTE].present ? v[W_NOTE].s : "";
	in.person_id = w->actor.person_id;
	in.name = w->actor.name;
	if (weekly_submit(w->db, &in, &who, w->now, &id, &err) != 0) {
		if (err.status == 503)
			w->retry_after = 5;
		return web_fail(w, err.status, err.code, err.message,
		    err.field);
	}
	if ((st = show_model(w, id)) != 200)
		return st;
	return web_done(w, 201, web_printf(w, "/weekly/%" PRId64, id));
}

int
weekly_show(struct web *w)
{
	int64_t	 id = web_param_id(w, "id");

	if (id == 0)
		return web_not_found(w);
	return show_model(w, id);
}

/* The week marks of one row: "新增、超期". */
static const char *
marks(struct web *w, json_t *r)
{
	return web_printf(w, "%s%s%s%s%s",
	    json_is_true(json_object_get(r, "new")) ? "新增" : "",
	    json_is_true(json_object_get(r, "new")) &&
	    json_is_true(json_object_get(r, "closed")) ? "、" : "",
	    json_is_true(json_object_get(r, "closed")) ? "办结" : "",
	    (json_is_true(json_object_get(r, "new")) ||
	    json_is_true(json_object_get(r, "closed"))) &&
	    json_is_true(json_object_get(r, "overdue")) ? "、" : "",
	    json_is_true(json_object_get(r, "overdue")) ? "超期" : "");
}

static int
write_rows(struct web *w, struct xlsx_ledger *x, json_t *rows)
{
	static const char *const keys[] = { "code", "petitioner",
	    "phone_mask", "opened_at", "source", "title", "village", "unit",
	    "lead", "resolver", "due_on", "state", "closed_at", "closing" };
	const char	*cells[NELEM(keys) + 1];
	json_t		*r;
	size_t		 i, k;

	json_array_foreach(rows, i, r) {
		for (k = 0; k < NELEM(keys); k++)
			cells[k] = json_string_value(json_object_get(r,
			    keys[k]));
		cells[NELEM(keys)] = marks(w, r);
		if (xlsx_ledger_row(x, cells) != 0)
			return -1;
	}
	return 0;
}

int
weekly_export(struct web *w)
{
	static const struct xlsx_col cols[] = {
		{ "编号", 14, XLSX_TEXT },
		{ "信访人", 9, XLSX_TEXT },
		{ "联系电话", 13, XLSX_TEXT },
		{ "登记时间", 16, XLSX_TEXT },
		{ "来源", 9, XLSX_TEXT },
		{ "事由", 30, XLSX_WRAP },
		{ "村", 9, XLSX_TEXT },
		{ "责任部门", 12, XLSX_TEXT },
		{ "包案领导", 9, XLSX_TEXT },
		{ "化解责任人", 9, XLSX_TEXT },
		{ "办理期限", 11, XLSX_TEXT },
		{ "办理情况", 9, XLSX_TEXT },
		{ "办结时间", 16, XLSX_TEXT },
		{ "结案方式", 12, XLSX_TEXT },
		{ "本周", 12, XLSX_TEXT },
	};
	struct xlsx_ledger	*x;
	struct download		 dl;
	char			 path[DOWNLOAD_PATH_MAX];
	char			 date[32];
	const char		*at, *submitter;
	int64_t			 id = web_param_id(w, "id"), day;
	int			 st, rc;

	if (id == 0)
		return web_not_found(w);
	if ((st = show_model(w, id)) != 200)
		return st;
	/* The date line is the day it was submitted. */
	at = json_string_value(json_object_get(w->model, "submitted_at"));
	date[0] = '\0';
	if (at != NULL && date_parse(web_printf(w, "%.10s", at), &day) == 0)
		date_cn(day, date);
	submitter = json_string_value(json_object_get(w->model, "submitter"));
	if (download_scratch(path) != 0)
		return web_db_fail(w, DB_UNAVAIL);
	x = xlsx_ledger_open(path, "周报台账", "信访事项周报台账",
	    web_printf(w, "填报单位：%s", submitter ? submitter : ""),
	    web_printf(w, "填报时间：%s", date), cols, NELEM(cols));
	if (x == NULL) {
		unlink(path);
		return web_db_fail(w, DB_UNAVAIL);
	}
	rc = write_rows(w, x, json_object_get(w->model, "rows"));
	if (xlsx_ledger_close(x) != 0)
		rc = -1;
	if (rc != 0) {
		unlink(path);
		return web_db_fail(w, DB_UNAVAIL);
	}
	memset(&dl, 0, sizeof(dl));
	dl.path = path;
	dl.content_type = XLSX_MEDIA_TYPE;
	dl.ascii_name = web_printf(w, "weekly-%" PRId64 ".xlsx", id);
	dl.name = web_printf(w, "%s-%s-信访事项周报台账.xlsx",
	    submitter ? submitter : "",
	    json_string_value(json_object_get(w->model, "week")));
	dl.action = "export.weekly";
	dl.object_type = "weekly_submission";
	dl.object_id = id;
	dl.detail = json_pack("{sO}", "rows", json_object_get(w->model,
	    "row_count"));
	st = download_send(w, &dl);
	json_decref(dl.detail);
	return st;
}

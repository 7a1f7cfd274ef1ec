/* visit_web.c: household visit pages and API (村组干部走访登记表). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "base/buf.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "db/db.h"
#include "html/html.h"
#include "org/org.h"
#include "petition/petition_web.h"
#include "visit/visit.h"
#include "visit/visit_db.h"
#include "visit/visit_web.h"
#include "web/input.h"
#include "web/options.h"
#include "web/web.h"

#define SHEET_ROWS	12	/* rows of the blank paper form */
#define SHEET_MIN	8	/* a filled form is padded to this many rows */

static const struct field fields[] = {
	{ "visited_on", "走访日期", F_DATE, true, 0, 0, NULL },
	{ "household_id", "走访农户", F_ID, true, 0, 0, NULL },
	{ "findings", "走访情况", F_MULTILINE, true, 2, 2000, NULL },
	{ "follow_up", "后续处理", F_MULTILINE, false, 0, 1000, NULL },
	{ "open_matter", "登记为信访事项", F_BOOL, false, 0, 0, NULL },
	{ "matter_title", "信访事由", F_TEXT, false, 0, 100, NULL },
	{ "matter_body", "信访内容", F_MULTILINE, false, 0, 4000, NULL },
};
enum { V_DAY, V_HOUSEHOLD, V_FINDINGS, V_FOLLOW, V_OPEN, V_TITLE, V_BODY,
    V__MAX };

/* The week a query names (?week=, any day of it); 0 or a status. */
static int
query_week(struct web *w, int64_t *monday)
{
	if (visit_week_parse(req_query(w->req, "week"), date_today_cn(),
	    monday) != 0)
		return web_fail(w, 422, "invalid",
		    "「周」应为该周中的任一天，如 2026-01-05", "week");
	return 0;
}

/*
 * The village (and group) a query names, checked against the scope: a
 * village cadre naming another village gets 404, as for its records.
 */
static int
query_place(struct web *w, int64_t *village, int64_t *group)
{
	int64_t	 g = group != NULL ? input_query_id(w, "group") : 0;
	int	 rc;

	*village = input_query_id(w, "village");
	if (group != NULL)
		*group = g;
	if (*village < 0)
		return web_fail(w, 422, "invalid", "「村」无效", "village");
	if (g < 0)
		return web_fail(w, 422, "invalid", "「组」无效", "group");
	if (g != 0 && *village == 0)
		*village = w->scope.village_id;
	if (g != 0 && *village == 0)
		return web_fail(w, 422, "invalid", "选择了组，请同时选择村",
		    "village");
	if (*village == 0)
		return 0;
	rc = org_place_ok(w->db, &w->scope, *village, g);
	if (rc < 0)
		return web_db_fail(w, rc);
	return rc == 1 ? 0 : web_not_found(w);
}

/* "2026年1月5日至2026年1月11日". */
static void
week_label(int64_t monday, char out[72])
{
	char	 a[32], b[32];

	date_cn(monday, a);
	date_cn(monday + 6, b);
	snprintf(out, 72, "%s至%s", a, b);
}

/* {start, end, label, prev, next, current} of the week from "monday". */
static json_t *
week_model(int64_t monday)
{
	char	 s[11], e[11], p[11], n[11], label[72];
	int64_t	 today = date_today_cn();

	date_iso(monday, s);
	date_iso(monday + 6, e);
	date_iso(monday - 7, p);
	date_iso(monday + 7, n);
	week_label(monday, label);
	return json_pack("{ss ss ss ss ss sb}", "start", s, "end", e, "label",
	    label, "prev", p, "next", n, "current",
	    monday == visit_week_start(today));
}

/* A village's name in scope, or NULL. */
static const char *
village_name(struct web *w, int64_t id, int *rc)
{
	json_t		*vs, *v;
	const char	*name = NULL;
	size_t		 i;

	if ((vs = org_village_names(w->db, &w->scope, rc)) == NULL)
		return NULL;
	json_array_foreach(vs, i, v)
		if (json_integer_value(json_object_get(v, "id")) == id)
			name = arena_strdup(&w->req->arena, json_string_value(
			    json_object_get(v, "name")));
	json_decref(vs);
	return name;
}

int
visit_list_page(struct web *w)
{
	struct visit_filter	 f;
	struct buf		 b = BUF_INIT;
	json_t			*res, *it, *villages;
	const char		*after = req_query(w->req, "after");
	int64_t			 start = 1, lim;
	size_t			 i;
	int			 st, rc;

	memset(&f, 0, sizeof(f));
	if ((st = query_place(w, &f.village_id, &f.group_id)) != 0)
		return st;
	if (!str_empty(req_query(w->req, "week")) &&
	    (st = query_week(w, &f.monday)) != 0)
		return st;
	f.limit = 50;
	if (req_query(w->req, "limit") != NULL) {
		if (str_to_int64(req_query(w->req, "limit"), 1, 200, &lim) != 0)
			return web_fail(w, 422, "invalid", "每页条数应为1到200",
			    "limit");
		f.limit = (int)lim;
	}
	if (after != NULL && str_to_int64(after, 1, INT64_MAX, &f.before) != 0)
		return web_fail(w, 422, "invalid", "分页参数无效", "after");
	if ((res = visit_list(w->db, &w->scope, &f, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_object_set_new(res, "week", f.monday ? week_model(f.monday) :
	    json_null());
	w->model = res;
	if (w->api)
		return 200;
	if (req_query(w->req, "start") != NULL &&
	    str_to_int64(req_query(w->req, "start"), 1, INT64_MAX, &start) != 0)
		start = 1;
	json_array_foreach(json_object_get(res, "items"), i, it)
		json_object_set_new(it, "seq", json_integer(start + (int64_t)i));
	if ((villages = org_village_options(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_object_set_new(res, "options", json_pack("{so so}", "village",
	    opt_villages(villages, f.village_id), "group", opt_groups(villages,
	    f.group_id)));
	json_decref(villages);
	if (f.village_id)
		buf_addf(&b, "&village=%" PRId64, f.village_id);
	if (f.group_id)
		buf_addf(&b, "&group=%" PRId64, f.group_id);
	if (f.monday) {
		char	 d[11];

		date_iso(f.monday, d);
		buf_addf(&b, "&week=%s", d);
	}
	if (!json_is_null(json_object_get(res, "next")))
		json_object_set_new(res, "next_url", json_sprintf(
		    "/visits?after=%s&start=%" PRId64 "%s",
		    json_string_value(json_object_get(res, "next")),
		    start + f.limit, b.data));
	else
		json_object_set_new(res, "next_url", json_null());
	buf_release(&b);
	{
		char	 wk[11] = "";

		if (f.monday)
			date_iso(f.monday, wk);
		json_object_set_new(res, "filter", json_pack("{ss}", "week",
		    wk));
	}
	json_object_set_new(res, "can_log", json_boolean(web_can(w,
	    ROLE_VILLAGE) && w->scope.village_id != 0));
	return 200;
}

/* Is "id" among the village's cadres?  Their name, or NULL. */
static const char *
cadre_of(json_t *cadres, int64_t id)
{
	json_t	*c;
	size_t	 i;

	json_array_foreach(cadres, i, c)
		if (json_integer_value(json_object_get(c, "id")) == id)
			return json_string_value(json_object_get(c, "name"));
	return NULL;
}

/*
 * The form: households by group (本周已访 marked), the village's cadres
 * with the signed-in one ticked, today's date.  Also the model of a
 * refused POST, which keeps what was ticked.
 */
int
visit_form(struct web *w)
{
	json_t		*picker, *cadres, *opts, *g, *h, *o, *boxes, *c;
	const char	*name;
	int64_t		 village = w->scope.village_id, today = date_today_cn();
	int64_t		 pick = input_query_id(w, "household"), id, ticked;
	int64_t		 total = 0, seen = 0;
	char		 day[11], lo[11];
	size_t		 i, k;
	bool		 posted = w->req->method == HTTP_POST, on;
	int		 rc;

	if (village == 0)
		return web_fail(w, 403, "forbidden",
		    "只有村组干部可以登记本村的走访", NULL);
	if ((name = village_name(w, village, &rc)) == NULL)
		return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	if ((picker = visit_picker(w->db, &w->scope, village,
	    visit_week_start(today), &rc)) == NULL)
		return web_db_fail(w, rc);
	if ((cadres = visit_cadres(w->db, &w->scope, village, &rc)) == NULL) {
		json_decref(picker);
		return web_db_fail(w, rc);
	}
	opts = json_array();
	json_array_foreach(picker, i, g) {
		json_t	*inner = json_array();

		json_array_foreach(json_object_get(g, "households"), k, h) {
			id = json_integer_value(json_object_get(h, "id"));
			on = json_is_true(json_object_get(h, "visited"));
			total++;
			seen += on;
			o = json_pack("{sb}", "selected", id == pick);
			json_object_set_new(o, "value", json_sprintf("%" PRId64,
			    id));
			json_object_set_new(o, "label", json_sprintf("%s%s%s%s",
			    json_string_value(json_object_get(h, "head")),
			    *json_string_value(json_object_get(h, "address")) ?
			    " · " : "", json_string_value(json_object_get(h,
			    "address")), on ? "（本周已访）" : ""));
			json_array_append_new(inner, o);
		}
		json_array_append_new(opts, json_pack("{sO so}", "label",
		    json_object_get(g, "group"), "options", inner));
	}
	boxes = json_array();
	json_array_foreach(cadres, i, c) {
		id = json_integer_value(json_object_get(c, "id"));
		on = false;
		if (!posted)
			on = id == w->actor.person_id;
		else
			for (k = 0; k < w->form.n; k++)
				if (str_eq(w->form.v[k].name, "cadre_ids") &&
				    str_to_int64(w->form.v[k].value, 1,
				    INT64_MAX, &ticked) == 0 && ticked == id)
					on = true;
		json_array_append_new(boxes, json_pack("{sI sO sO sb}", "value",
		    (json_int_t)id, "name", json_object_get(c, "name"), "posts",
		    json_object_get(c, "posts"), "checked", on));
	}
	json_decref(picker);
	json_decref(cadres);
	date_iso(today, day);
	date_iso(today - VISIT_MAX_AGE_DAYS, lo);
	w->model = json_pack("{ss so so s{ss ss} s{sI sI} s{ss ss ss ss ss ss"
	    " ss} s{so}}",
	    "village", name,
	    "cadres", boxes,
	    "week", week_model(visit_week_start(today)),
	    "limits", "min", lo, "max", day,
	    "counts", "households", (json_int_t)total, "visited",
	    (json_int_t)seen,
	    "form", "visited_on", day, "household_id", "", "findings", "",
	    "follow_up", "", "open_matter", "", "matter_title", "",
	    "matter_body", "",
	    "options", "household_id", opts);
	return 200;
}

/*
 * Who went: the API's "cadre_ids" (numbers or numeric strings; absent
 * means the signed-in cadre) or the form's ticked boxes.  Each must be a
 * cadre of the village.  0, or 422 naming "cadre_ids".
 */
static int
who_went(struct web *w, json_t *cadres, int64_t *ids, size_t *n)
{
	json_t		*a = NULL, *x;
	const char	*s;
	int64_t		 id;
	size_t		 i, k, count = 0;

	*n = 0;
	if (w->json != NULL) {
		a = json_object_get(w->json, "cadre_ids");
		if (a == NULL || json_is_null(a)) {
			if (w->actor.person_id == 0 || cadre_of(cadres,
			    w->actor.person_id) == NULL)
				return web_fail(w, 422, "invalid",
				    "请选择走访人", "cadre_ids");
			ids[(*n)++] = w->actor.person_id;
			return 0;
		}
		if (!json_is_array(a))
			return web_fail(w, 422, "invalid", "「走访人」格式不正确",
			    "cadre_ids");
		count = json_array_size(a);
	} else
		for (i = 0; i < w->form.n; i++)
			count += str_eq(w->form.v[i].name, "cadre_ids");
	if (count == 0)
		return web_fail(w, 422, "invalid", "请选择走访人（至少一人）",
		    "cadre_ids");
	if (count > VISIT_MAX_CADRES)
		return web_fail(w, 422, "invalid", "一次走访最多登记10名走访人",
		    "cadre_ids");
	for (i = 0, k = 0; w->json != NULL ? i < count : i < w->form.n; i++) {
		if (w->json != NULL) {
			x = json_array_get(a, i);
			if (json_is_integer(x)) {
				id = json_integer_value(x);
				s = NULL;
			} else if ((s = json_string_value(x)) == NULL)
				id = 0;
			else if (str_to_int64(s, 1, INT64_MAX, &id) != 0)
				id = 0;
		} else {
			if (!str_eq(w->form.v[i].name, "cadre_ids"))
				continue;
			if (str_to_int64(w->form.v[i].value, 1, INT64_MAX,
			    &id) != 0)
				id = 0;
		}
		if (id <= 0 || cadre_of(cadres, id) == NULL)
			return web_fail(w, 422, "invalid",
			    "走访人须是本村在任的村组干部", "cadre_ids");
		for (k = 0; k < *n && ids[k] != id; k++)
			continue;
		if (k == *n)
			ids[(*n)++] = id;
	}
	return 0;
}

/* "李四、王五" for the timeline. */
static const char *
names_of(struct web *w, json_t *cadres, const int64_t *ids, size_t n)
{
	struct buf	 b = BUF_INIT;
	const char	*s;
	size_t		 i;

	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? "、" : "", cadre_of(cadres, ids[i]));
	s = arena_strdup(&w->req->arena, b.data);
	buf_release(&b);
	return s;
}

int
visit_create_post(struct web *w)
{
	struct value		 v[V__MAX];
	struct visit_household	 h;
	struct visit_new	 in;
	struct petition_found	 pf;
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 ids[VISIT_MAX_CADRES], id = 0, mid = 0;
	int64_t			 today = date_today_cn();
	json_t			*cadres;
	const char		*went;
	char			 code[32];
	size_t			 n;
	int			 st, rc;

	if (w->scope.village_id == 0)
		return web_fail(w, 403, "forbidden",
		    "只有村组干部可以登记本村的走访", NULL);
	if ((st = input_check(w, fields, V__MAX, v)) != 0)
		return st;
	switch (visit_day_check(v[V_DAY].i, today)) {
	case VISIT_DAY_FUTURE:
		return web_fail(w, 422, "invalid", "「走访日期」不能晚于今天",
		    "visited_on");
	case VISIT_DAY_OLD:
		return web_fail(w, 422, "invalid", web_printf(w,
		    "「走访日期」只能补登%d天以内的走访", VISIT_MAX_AGE_DAYS),
		    "visited_on");
	case VISIT_DAY_OK:
		break;
	}
	memset(&h, 0, sizeof(h));
	rc = visit_household_get(w->db, &w->scope, v[V_HOUSEHOLD].i,
	    &w->req->arena, &h);
	if (rc == DB_DONE)
		return web_fail(w, 422, "invalid",
		    "「走访农户」不是本村的农户，只能登记本村农户的走访",
		    "household_id");
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	if (v[V_OPEN].i && (!v[V_TITLE].present ||
	    utf8_len(v[V_TITLE].s) < 2))
		return web_fail(w, 422, "invalid",
		    "登记为信访事项时，请填写「信访事由」（至少2个字）",
		    "matter_title");
	if ((cadres = visit_cadres(w->db, &w->scope, h.village_id, &rc)) ==
	    NULL)
		return web_db_fail(w, rc);
	if ((st = who_went(w, cadres, ids, &n)) != 0) {
		json_decref(cadres);
		return st;
	}
	went = names_of(w, cadres, ids, n);
	json_decref(cadres);

	memset(&in, 0, sizeof(in));
	in.day = v[V_DAY].i;
	in.findings = v[V_FINDINGS].s;
	in.follow_up = v[V_FOLLOW].present ? v[V_FOLLOW].s : "";
	in.cadres = ids;
	in.ncadres = n;
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = visit_create(w->db, &w->scope, &h, &in, &who, w->now, &id);
	if (rc == DB_OK && v[V_OPEN].i) {
		memset(&pf, 0, sizeof(pf));
		pf.title = v[V_TITLE].s;
		pf.body = v[V_BODY].present ? v[V_BODY].s : v[V_FINDINGS].s;
		pf.note = web_printf(w, "入户走访中发现（走访记录第%" PRId64
		    "号）：%s 走访%s%s（%s%s），走访人：%s", id, v[V_DAY].s,
		    *h.head ? h.head : "", *h.head ? "户" : "该户", h.village,
		    h.group, went);
		pf.village_id = h.village_id;
		pf.group_id = h.group_id;
		pf.head_id = h.head_id;
		pf.head_name = h.head;
		pf.day = v[V_DAY].i;
		pf.visit_id = id;
		rc = petition_found(w, &pf, &mid, code);
		if (rc == DB_OK)
			rc = visit_link_matter(w->db, id, mid, code, &who);
	}
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	if ((w->model = visit_get(w->db, &w->scope, id, &rc)) == NULL)
		return web_db_fail(w, rc < 0 ? rc : DB_UNAVAIL);
	return web_done(w, 201, web_printf(w, "/visits/%" PRId64, id));
}

int
visit_show(struct web *w)
{
	int64_t	 id = web_param_id(w, "id");
	int	 rc;

	if (id == 0 || (w->model = visit_get(w->db, &w->scope, id, &rc)) ==
	    NULL)
		return id && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	if (w->api)
		return 200;
	json_object_set_new(w->model, "can_log", json_boolean(web_can(w,
	    ROLE_VILLAGE) && w->scope.village_id != 0));
	return 200;
}

int
visit_coverage_page(struct web *w)
{
	json_t	*villages, *v, *vs;
	int64_t	 monday, village, round, households = 0, seen = 0, below = 0;
	size_t	 i;
	int	 st, rc;
	char	 r[24];

	if ((st = query_week(w, &monday)) != 0)
		return st;
	if ((st = query_place(w, &village, NULL)) != 0)
		return st;
	if ((round = visit_round_get(w->db, w->scope.township_id)) < 0)
		return web_db_fail(w, (int)round);
	if ((villages = visit_coverage(w->db, &w->scope, village, monday,
	    round, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_array_foreach(villages, i, v) {
		households += json_integer_value(json_object_get(v,
		    "households"));
		seen += json_integer_value(json_object_get(v, "visited"));
		below += json_integer_value(json_object_get(v, "below"));
	}
	w->model = json_pack("{so sI so s{sI sI sI si sI}}",
	    "week", week_model(monday),
	    "round", (json_int_t)round,
	    "villages", villages,
	    "totals", "households", (json_int_t)households, "visited",
	    (json_int_t)seen, "unvisited", (json_int_t)(households - seen),
	    "percent", visit_percent(seen, households), "below",
	    (json_int_t)below);
	if (w->api)
		return 200;
	if ((vs = org_village_names(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	snprintf(r, sizeof(r), "%" PRId64, round);
	json_object_set_new(w->model, "options", json_pack("{so}", "village",
	    opt_ids(vs, village)));
	json_decref(vs);
	json_object_set_new(w->model, "form", json_pack("{ss}", "round", r));
	json_object_set_new(w->model, "village_id", village ? json_integer(
	    village) : json_null());
	json_object_set_new(w->model, "can_log", json_boolean(web_can(w,
	    ROLE_VILLAGE) && w->scope.village_id != 0));
	json_object_set_new(w->model, "can_round", json_boolean(web_can(w,
	    ROLE_LEADER)));
	return 200;
}

int
visit_round_save(struct web *w)
{
	static const struct field f[] = {
		{ "round", "每周走访户数", F_INT, true, 1, VISIT_ROUND_MAX,
		    NULL },
	};
	struct audit_actor	 who = web_audit_actor(w);
	struct value		 v[1];
	int64_t			 old;
	int			 st, rc;

	if ((st = input_check(w, f, 1, v)) != 0)
		return st;
	if ((old = visit_round_get(w->db, w->scope.township_id)) < 0)
		return web_db_fail(w, (int)old);
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = visit_round_set(w->db, &w->scope, v[0].i, old, &who);
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI}", "round", (json_int_t)v[0].i);
	return web_done(w, 200, "/visits/coverage");
}

/* Blank rows numbered from "from" up to "to". */
static json_t *
blank_rows(int64_t from, int64_t to)
{
	json_t	*a = json_array();
	int64_t	 i;

	for (i = from; i <= to; i++)
		json_array_append_new(a, json_pack("{sI}", "n", (json_int_t)i));
	return a;
}

/*
 * The paper form (村组干部走访登记表) on A4: ?blank=1 for an empty one,
 * otherwise a village's visits of a week (?village=, ?week=) with room to
 * sign.
 */
int
visit_print(struct web *w)
{
	json_t		*items = NULL, *cover = NULL, *g;
	const char	*name = "", *blank = req_query(w->req, "blank");
	int64_t		 monday, village, n, households = 0, seen = 0;
	char		 printed[32], label[72];
	int		 st, rc;

	w->print = true;
	date_cn(date_today_cn(), printed);
	if (str_eq(blank, "1")) {
		w->model = json_pack("{sb ss ss s[] so sn ss}", "blank", true,
		    "village", "", "week_label", "", "items", "rows",
		    blank_rows(1, SHEET_ROWS), "summary", "printed_on",
		    printed);
		return 200;
	}
	if ((st = query_week(w, &monday)) != 0)
		return st;
	if ((st = query_place(w, &village, NULL)) != 0)
		return st;
	if (village == 0 && (village = w->scope.village_id) == 0)
		return web_fail(w, 422, "invalid",
		    "请选择要打印的村（或打印空白表）", "village");
	if ((name = village_name(w, village, &rc)) == NULL)
		return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	if ((items = visit_sheet(w->db, &w->scope, village, monday, &rc)) ==
	    NULL)
		return web_db_fail(w, rc);
	if ((cover = visit_coverage(w->db, &w->scope, village, monday,
	    VISIT_ROUND_DEFAULT, &rc)) == NULL) {
		json_decref(items);
		return web_db_fail(w, rc);
	}
	if ((g = json_array_get(cover, 0)) != NULL) {
		households = json_integer_value(json_object_get(g,
		    "households"));
		seen = json_integer_value(json_object_get(g, "visited"));
	}
	json_decref(cover);
	n = (int64_t)json_array_size(items);
	week_label(monday, label);
	w->model = json_pack("{sb ss ss so so s{sI sI sI} ss}", "blank", false,
	    "village", name, "week_label", label, "items", items,
	    "rows", blank_rows(n + 1, n < SHEET_MIN ? SHEET_MIN : n + 2),
	    "summary", "households", (json_int_t)households, "visited",
	    (json_int_t)seen, "unvisited", (json_int_t)(households - seen),
	    "printed_on", printed);
	return 200;
}

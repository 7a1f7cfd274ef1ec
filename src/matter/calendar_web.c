/* calendar_web.c: the system admin's holiday calendar page and API. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "matter/calendar_db.h"
#include "matter/calendar_web.h"
#include "matter/matter_web.h"
#include "web/input.h"
#include "web/options.h"
#include "web/web.h"

/*
 * The special days (holidays that fall on weekdays, 调休 weekends that
 * are worked) are data the system admin amends each autumn, when the
 * State Council publishes the next year's arrangement.  Every change is
 * audited in its transaction and reloads the cached calendar at once, so
 * deadlines computed afterwards follow it.  Deadlines already on matters
 * are not recomputed: they were right when they were set, and a moved
 * deadline is a decision (督办, 延期) with its own record.
 */

#define YEAR_MIN	2000
#define YEAR_MAX	2100

static const char *const kinds[] = { "rest", "work", NULL };
static const char *const kind_labels[] = { "放假", "调休上班", NULL };
static const char *const statuses[] = { "official", "provisional", NULL };
static const char *const status_labels[] = { "已按国务院通知核对",
    "暂定（待国务院通知发布后核对）", NULL };
static const char *const weekdays[] = { "", "星期一", "星期二", "星期三",
    "星期四", "星期五", "星期六", "星期日" };

static const char *
label_of(const char *const *keys, const char *const *labels, const char *k)
{
	size_t	 i;

	for (i = 0; keys[i] != NULL; i++)
		if (str_eq(keys[i], k))
			return labels[i];
	return "";
}

/* 20261001 for 2026-10-01: the audit record's object id. */
static int64_t
day_number(int64_t d)
{
	int	 y, m, dd;

	date_to_ymd(d, &y, &m, &dd);
	return (int64_t)y * 10000 + m * 100 + dd;
}

static int
year_of(int64_t d)
{
	int	 y, m, dd;

	date_to_ymd(d, &y, &m, &dd);
	return y;
}

/* A day as the admin typed it (2026-10-01, 2026/10/1, 2026年10月1日). */
static int
parse_day(struct web *w, const char *raw, int64_t *d, char iso[11])
{
	int	 y;

	if (str_empty(raw))
		return web_fail(w, 422, "invalid", "「日期」不能为空", "day");
	if (date_parse(raw, d) != 0)
		return web_fail(w, 422, "invalid",
		    "「日期」不是有效的日期（如 2026-10-01）", "day");
	y = year_of(*d);
	if (y < YEAR_MIN || y > YEAR_MAX)
		return web_fail(w, 422, "invalid",
		    "「日期」应在2000年至2100年之间", "day");
	date_iso(*d, iso);
	return 0;
}

static int
parse_year(struct web *w, const char *raw, int *year)
{
	int64_t	 y;

	if (str_to_int64(raw, YEAR_MIN, YEAR_MAX, &y) != 0)
		return web_fail(w, 422, "invalid",
		    "「年份」应为2000到2100之间的整数", "year");
	*year = (int)y;
	return 0;
}

static json_t *
day_json(const char *iso, const char *kind, const char *name)
{
	int64_t	 d = 0;
	int	 wd;

	(void)date_parse(iso, &d);
	wd = date_weekday(d);
	return json_pack("{ss ss ss ss ss sb}", "day", iso, "kind", kind,
	    "kind_label", label_of(kinds, kind_labels, kind), "name", name,
	    "weekday", weekdays[wd >= 1 && wd <= 7 ? wd : 0], "weekend",
	    wd >= 6);
}

static json_t *
old_json(int rc, const char *kind, const char *name)
{
	if (rc != DB_OK)
		return json_null();
	return json_pack("{ss ss}", "kind", kind, "name", name);
}

/* The year to show: ?year=, the form's year after a failed POST, today's. */
static int
shown_year(struct web *w, int *year)
{
	const char	*q = req_query(w->req, "year");

	if (q == NULL && !w->api && w->req->method == HTTP_POST)
		q = kv_get(&w->form, "year");
	if (q == NULL) {
		*year = year_of(date_today_cn());
		return 0;
	}
	return parse_year(w, q, year);
}

/*
 * The add-or-change form: empty, or filled with the row the "修改" link
 * names (?day=), so changing a day is editing what is there.
 */
static json_t *
edit_form(struct web *w, json_t *days)
{
	const char	*want = req_query(w->req, "day");
	json_t		*it;
	size_t		 i;
	int64_t		 d;
	char		 iso[11];

	if (want != NULL && date_parse(want, &d) == 0) {
		date_iso(d, iso);
		json_array_foreach(days, i, it)
			if (str_eq(json_string_value(json_object_get(it, "day")),
			    iso))
				return json_pack("{ss sO sO}", "day", iso,
				    "kind", json_object_get(it, "kind"),
				    "name", json_object_get(it, "name"));
	}
	return json_pack("{ss ss ss}", "day", "", "kind", "rest", "name", "");
}

int
calendar_page(struct web *w)
{
	const char	*status = "", *source = "";
	json_t		*days, *years, *it, *d;
	size_t		 i;
	int		 year = 0, rc, st;
	bool		 provisional;

	if ((st = shown_year(w, &year)) != 0)
		return st;
	if ((days = calendar_db_year(w->db, year, &rc)) == NULL)
		return web_db_fail(w, rc);
	rc = calendar_db_year_status(w->db, year, &w->req->arena, &status,
	    &source);
	if (rc < 0 || (years = calendar_db_years(w->db, &rc)) == NULL) {
		json_decref(days);
		return web_db_fail(w, rc);
	}
	json_array_foreach(days, i, it) {
		d = day_json(json_string_value(json_object_get(it, "day")),
		    json_string_value(json_object_get(it, "kind")),
		    json_string_value(json_object_get(it, "name")));
		json_array_set_new(days, i, d);
	}
	json_array_foreach(years, i, it) {
		const char	*s = json_string_value(json_object_get(it,
		    "status"));

		json_object_set_new(it, "status_label", json_string(*s ?
		    label_of(statuses, status_labels, s) : "未标注"));
		json_object_set_new(it, "provisional", json_boolean(str_eq(s,
		    "provisional")));
		json_object_set_new(it, "current", json_boolean(
		    json_integer_value(json_object_get(it, "year")) == year));
	}
	provisional = str_eq(status, "provisional");
	w->model = json_pack("{si so so ss ss ss sb sb so so}",
	    "year", year,
	    "prev", year > YEAR_MIN ? json_integer(year - 1) : json_null(),
	    "next", year < YEAR_MAX ? json_integer(year + 1) : json_null(),
	    "status", status,
	    "status_label", *status ? label_of(statuses, status_labels,
	    status) : "未标注",
	    "source", source,
	    "provisional", provisional,
	    "no_data", json_array_size(days) == 0,
	    "days", days,
	    "years", years);
	if (w->api)
		return 200;
	json_object_set_new(w->model, "form", edit_form(w, days));
	json_object_set_new(w->model, "year_form", json_pack("{ss}",
	    "source", source));
	json_object_set_new(w->model, "options", json_pack("{so so}", "kind",
	    opt_list(kinds, kind_labels, json_string_value(json_object_get(
	    json_object_get(w->model, "form"), "kind"))), "status",
	    opt_list(statuses, status_labels, *status ? status :
	    "official")));
	return 200;
}

/* Add or change one special day. */
static int
set_day(struct web *w, const char *raw)
{
	static const struct field f[] = {
		{ "kind", "类型", F_ENUM, true, 0, 0, kinds },
		{ "name", "名称", F_TEXT, true, 1, 20, NULL },
	};
	struct audit_actor	 who = web_audit_actor(w);
	struct value		 v[2];
	const char		*okind = NULL, *oname = NULL;
	char			 iso[11], cn[32];
	int64_t			 d;
	json_t			*detail;
	bool			 weekend;
	int			 st, rc, old;

	if ((st = parse_day(w, raw, &d, iso)) != 0)
		return st;
	if ((st = input_check(w, f, 2, v)) != 0)
		return st;
	weekend = date_weekday(d) >= 6;
	date_cn(d, cn);
	if (str_eq(v[0].s, "work") && !weekend)
		return web_fail(w, 422, "invalid", web_printf(w,
		    "%s是%s，本来就要上班：调休上班日只能是星期六或星期日", cn,
		    weekdays[date_weekday(d)]), "kind");
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	old = calendar_db_get(w->db, iso, &w->req->arena, &okind, &oname);
	if (old < 0) {
		db_end(w->db, -1);
		return web_db_fail(w, old);
	}
	/*
	 * A weekend rests anyway.  The shipped data names the weekend days
	 * inside a holiday block (国庆节 on a Saturday), so such a row may be
	 * renamed; a new one would change nothing but the name.
	 */
	if (str_eq(v[0].s, "rest") && weekend && !(old == DB_OK &&
	    str_eq(okind, "rest"))) {
		db_end(w->db, -1);
		return web_fail(w, 422, "invalid", web_printf(w,
		    "%s是%s，本来就休息，不必设为放假日%s", cn,
		    weekdays[date_weekday(d)], old == DB_OK ?
		    "；如要取消这天的调休上班，请删除这一天" : ""), "kind");
	}
	if (old == DB_OK && str_eq(okind, v[0].s) && str_eq(oname, v[1].s)) {
		db_end(w->db, 0);	/* nothing to change, nothing to audit */
	} else {
		rc = calendar_db_put(w->db, iso, v[0].s, v[1].s);
		if (rc == DB_OK) {
			detail = json_pack("{ss so s{ss ss}}", "day", iso,
			    "old", old_json(old, okind, oname), "new", "kind",
			    v[0].s, "name", v[1].s);
			rc = audit_write(w->db, &who, "calendar.set",
			    "calendar_day", day_number(d), true, detail);
			json_decref(detail);
		}
		if ((rc = db_end(w->db, rc)) != 0)
			return web_db_fail(w, rc);
		matter_cal_flush();
	}
	w->model = day_json(iso, v[0].s, v[1].s);
	json_object_set_new(w->model, "old", old_json(old, okind, oname));
	return web_done(w, old == DB_OK ? 200 : 201, web_printf(w,
	    "/calendar?year=%d", year_of(d)));
}

/* Remove one special day: it becomes an ordinary day of its week. */
static int
remove_day(struct web *w, const char *raw)
{
	struct audit_actor	 who = web_audit_actor(w);
	const char		*okind = NULL, *oname = NULL;
	char			 iso[11];
	int64_t			 d;
	json_t			*detail;
	int			 st, rc;

	if ((st = parse_day(w, raw, &d, iso)) != 0)
		return st;
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = calendar_db_get(w->db, iso, &w->req->arena, &okind, &oname);
	if (rc == DB_OK)
		rc = calendar_db_delete(w->db, iso);
	if (rc == DB_DONE) {
		db_end(w->db, -1);
		return web_fail(w, 404, "not_found", "日历中没有这一天", "day");
	}
	if (rc == DB_OK) {
		detail = json_pack("{ss so}", "day", iso, "old",
		    old_json(DB_OK, okind, oname));
		rc = audit_write(w->db, &who, "calendar.delete", "calendar_day",
		    day_number(d), true, detail);
		json_decref(detail);
	}
	if ((rc = db_end(w->db, rc)) != 0)
		return web_db_fail(w, rc);
	matter_cal_flush();
	w->model = json_pack("{ss sb so}", "day", iso, "deleted", true, "old",
	    old_json(DB_OK, okind, oname));
	return web_done(w, 200, web_printf(w, "/calendar?year=%d",
	    year_of(d)));
}

/* Mark a year's data official (checked against the notice) or not. */
static int
set_year(struct web *w, const char *raw)
{
	static const struct field f[] = {
		{ "status", "状态", F_ENUM, true, 0, 0, statuses },
		{ "source", "依据", F_TEXT, false, 0, 60, NULL },
	};
	struct audit_actor	 who = web_audit_actor(w);
	struct value		 v[2];
	const char		*ostatus = NULL, *osource = NULL, *source;
	json_t			*detail, *oldj;
	int			 year = 0, st, rc, old;

	if ((st = parse_year(w, raw, &year)) != 0)
		return st;
	if ((st = input_check(w, f, 2, v)) != 0)
		return st;
	source = v[1].present ? v[1].s : "";
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	old = calendar_db_year_status(w->db, year, &w->req->arena, &ostatus,
	    &osource);
	rc = old < 0 ? old : calendar_db_year_put(w->db, year, v[0].s, source,
	    w->now);
	if (rc == DB_OK) {
		oldj = old == DB_OK ? json_pack("{ss ss}", "status", ostatus,
		    "source", osource) : json_null();
		detail = json_pack("{si so s{ss ss}}", "year", year, "old",
		    oldj, "new", "status", v[0].s, "source", source);
		rc = audit_write(w->db, &who, "calendar.year", "calendar_year",
		    year, true, detail);
		json_decref(detail);
	}
	if ((rc = db_end(w->db, rc)) != 0)
		return web_db_fail(w, rc);
	w->model = json_pack("{si ss ss ss sb}", "year", year, "status",
	    v[0].s, "status_label", label_of(statuses, status_labels, v[0].s),
	    "source", source, "provisional", str_eq(v[0].s, "provisional"));
	return web_done(w, 200, web_printf(w, "/calendar?year=%d", year));
}

int
calendar_post(struct web *w)
{
	const char	*op;

	if (w->api)
		return set_day(w, kv_get(&w->params, "day"));
	op = kv_get(&w->form, "op");
	if (op == NULL || str_eq(op, "set"))
		return set_day(w, kv_get(&w->form, "day"));
	if (str_eq(op, "delete"))
		return remove_day(w, kv_get(&w->form, "day"));
	if (str_eq(op, "year"))
		return set_year(w, kv_get(&w->form, "year"));
	return web_fail(w, 422, "invalid", "没有这种操作", "op");
}

int
calendar_remove(struct web *w)
{
	return remove_day(w, kv_get(&w->params, "day"));
}

int
calendar_year_put(struct web *w)
{
	return set_year(w, kv_get(&w->params, "year"));
}

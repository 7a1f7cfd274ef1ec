/* community_web.c: 进社区、进农户 pages and API. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/role.h"
#include "base/buf.h"
#include "base/compat.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "community/community.h"
#include "community/community_db.h"
#include "community/community_web.h"
#include "db/db.h"
#include "org/org.h"
#include "rating/rating_web.h"
#include "report/xlsx.h"
#include "visit/visit.h"
#include "web/download.h"
#include "web/input.h"
#include "web/options.h"
#include "web/web.h"

static int
this_year(void)
{
	int	 y, m, d;

	date_to_ymd(date_today_cn(), &y, &m, &d);
	return y;
}

/* ?year=, default this year; 0 or a status. */
static int
query_year(struct web *w, int *year)
{
	const char	*s = req_query(w->req, "year");
	int64_t		 y;

	*year = this_year();
	if (str_empty(s))
		return 0;
	if (str_to_int64(s, 2000, 2100, &y) != 0)
		return web_fail(w, 422, "invalid", "「年度」应为四位年份，如 2026",
		    "year");
	*year = (int)y;
	return 0;
}

/* ?village= in scope: 0 or a status (404 for another village). */
static int
query_village(struct web *w, int64_t *village)
{
	int	 rc;

	if ((*village = input_query_id(w, "village")) < 0)
		return web_fail(w, 422, "invalid", "「村」无效", "village");
	if (*village == 0)
		return 0;
	rc = org_place_ok(w->db, &w->scope, *village, 0);
	if (rc < 0)
		return web_db_fail(w, rc);
	return rc == 1 ? 0 : web_not_found(w);
}

/* Add "<key>_label" from codes/labels to every item of "a". */
static void
label_all(json_t *a, const char *key, const char *const *codes,
    const char *const *labels)
{
	json_t	*o;
	size_t	 i;
	char	 k[48];

	snprintf(k, sizeof(k), "%s_label", key);
	json_array_foreach(a, i, o)
		json_object_set_new(o, k, json_string(cm_label(codes, labels,
		    json_string_value(json_object_get(o, key)))));
}

/* Level labels and the 差评 mark (at or below "max") on ratings. */
static void
label_levels(json_t *a, int64_t max)
{
	json_t	*o;
	size_t	 i;
	int64_t	 l;

	json_array_foreach(a, i, o) {
		l = json_integer_value(json_object_get(o, "level"));
		json_object_set_new(o, "level_label", json_string(l >= 1 &&
		    l <= 5 ? cm_level_labels[l] : ""));
		json_object_set_new(o, "bad", json_boolean(l <= max));
	}
}

/* {value, label} options from [{id, name}] rows: "name（extra）". */
static json_t *
opt_people(json_t *rows, const char *extra)
{
	json_t		*a = json_array(), *r;
	const char	*x;
	size_t		 i;
	bool		 e;

	json_array_foreach(rows, i, r) {
		x = extra ? json_string_value(json_object_get(r, extra)) : NULL;
		e = str_empty(x);
		json_array_append_new(a, json_pack("{so so sb}", "value",
		    json_sprintf("%" JSON_INTEGER_FORMAT, json_integer_value(
		    json_object_get(r, "id"))), "label", json_sprintf(
		    "%s%s%s%s", json_string_value(json_object_get(r, "name")),
		    e ? "" : "（", e ? "" : x, e ? "" : "）"), "selected", 0));
	}
	return a;
}

/* ================================================================ 进社区 */

static const struct field reg_fields[] = {
	{ "person_id", "报到干部", F_ID, true, 0, 0, NULL },
	{ "community", "居住社区", F_TEXT, true, 2, 40, NULL },
	{ "registered_on", "报到日期", F_DATE, true, 0, 0, NULL },
	{ "role", "认领岗位", F_TEXT, true, 1, 40, NULL },
};

/* The stored rule: its level and count; 0 or a status. */
static int
rule_of(struct web *w, int64_t *max, json_t **rule)
{
	int	 rc;

	if ((*rule = cm_rule(w->db, &rc)) == NULL)
		return web_db_fail(w, rc);
	*max = json_integer_value(json_object_get(*rule, "max_level"));
	return 0;
}

int
community_page(struct web *w)
{
	json_t	*regs, *cadres, *comms, *rule;
	int64_t	 max;
	int	 year = this_year(), st, rc;
	char	 day[11], month[8];

	if ((st = rule_of(w, &max, &rule)) != 0)
		return st;
	cm_month_of(date_today_cn(), month);
	if ((regs = cm_registrations(w->db, &w->scope, year, (int)max, month,
	    &rc)) == NULL) {
		json_decref(rule);
		return web_db_fail(w, rc);
	}
	w->model = json_pack("{si ss so so}", "year", year, "month", month,
	    "registrations", regs, "rule", rule);
	if (w->api)
		return 200;
	if ((cadres = cm_cadres(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	if ((comms = cm_communities(w->db, &w->scope, &rc)) == NULL) {
		json_decref(cadres);
		return web_db_fail(w, rc);
	}
	date_iso(date_today_cn(), day);
	json_object_set_new(w->model, "options", json_pack("{so}",
	    "person_id", opt_people(cadres, "posts")));
	json_object_set_new(w->model, "communities", comms);
	json_object_set_new(w->model, "form", json_pack("{ss ss ss ss}",
	    "person_id", "", "community", "", "registered_on", day, "role",
	    ""));
	json_object_set_new(w->model, "can_edit", json_boolean(web_can(w,
	    CM_EDIT)));
	json_decref(cadres);
	return 200;
}

int
community_register(struct web *w)
{
	struct audit_actor	 who = web_audit_actor(w);
	struct value		 v[4];
	struct cm_reg		 in;
	json_t			*c;
	int64_t			 id = 0;
	int			 st, rc;

	if ((st = input_check(w, reg_fields, 4, v)) != 0)
		return st;
	if ((c = cm_cadre(w->db, &w->scope, v[0].i, &rc)) == NULL)
		return rc < 0 ? web_db_fail(w, rc) : web_fail(w, 422,
		    "invalid", "「报到干部」须是本乡登记的干部", "person_id");
	json_decref(c);
	if (v[2].i > date_today_cn())
		return web_fail(w, 422, "invalid", "「报到日期」不能晚于今天",
		    "registered_on");
	in.person_id = v[0].i;
	in.community = v[1].s;
	in.day = v[2].s;
	in.role = v[3].s;
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = cm_register(w->db, &w->scope, &in, &who, w->now, &id);
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI sI}", "id", (json_int_t)id, "person_id",
	    (json_int_t)in.person_id);
	return web_done(w, 201, web_printf(w, "/community/cadres/%" PRId64,
	    in.person_id));
}

/*
 * This month's rating links: the registered cadres with their status, and
 * a form that issues a cadre's link for the community to rate from a
 * phone (the rating core's /r/<token> page).
 */
int
community_rate_form(struct web *w)
{
	json_t	*regs, *o, *r, *rule;
	int64_t	 max, l;
	char	 month[8];
	size_t	 i;
	int	 st, rc;

	if ((st = rule_of(w, &max, &rule)) != 0)
		return st;
	cm_month_of(date_today_cn(), month);
	if ((regs = cm_registrations(w->db, &w->scope, this_year(), (int)max,
	    month, &rc)) == NULL) {
		json_decref(rule);
		return web_db_fail(w, rc);
	}
	o = json_array();
	json_array_foreach(regs, i, r) {
		l = json_integer_value(json_object_get(r, "month_level"));
		json_object_set_new(r, "month_label", json_string(l >= 1 &&
		    l <= 5 ? cm_level_labels[l] : ""));
		if (l != 0)
			continue;
		json_array_append_new(o, json_pack("{so so sb}", "value",
		    json_sprintf("%" JSON_INTEGER_FORMAT, json_integer_value(
		    json_object_get(r, "person_id"))), "label", json_sprintf(
		    "%s（%s · %s）", json_string_value(json_object_get(r,
		    "name")), json_string_value(json_object_get(r,
		    "community")), json_string_value(json_object_get(r,
		    "role"))), "selected", 0));
	}
	w->model = json_pack("{ss so so sb s{so} s{ss}}", "month", month,
	    "registrations", regs, "rule", rule,
	    "empty", json_array_size(o) == 0,
	    "options", "person_id", o,
	    "form", "person_id", "");
	return 200;
}

/* Hours from "now" to the end of the Asia/Shanghai day "last". */
static int
hours_until_after(int64_t now, int64_t last)
{
	int64_t	 end = (last + 1) * 86400000LL - 8 * 3600000LL;
	int64_t	 h = (end - now + 3599999) / 3600000;

	return h < 1 ? 1 : h > 24 * 90 ? 24 * 90 : (int)h;
}

int
community_rate(struct web *w)
{
	static const struct field f[] = {
		{ "person_id", "被测评干部", F_ID, true, 0, 0, NULL },
	};
	struct audit_actor	 who = web_audit_actor(w);
	struct value		 v[1];
	json_t			*c;
	const char		*path, *name;
	char			 token[SECRET_TOKEN_LEN + 1], month[8];
	int64_t			 first, last, community, record = 0;
	int			 st, rc;

	if ((st = input_check(w, f, 1, v)) != 0)
		return st;
	if ((c = cm_cadre(w->db, &w->scope, v[0].i, &rc)) == NULL)
		return rc < 0 ? web_db_fail(w, rc) : web_fail(w, 422,
		    "invalid", "「被测评干部」须是本乡登记的干部", "person_id");
	name = web_printf(w, "%s", json_string_value(json_object_get(c,
	    "name")));
	json_decref(c);
	if ((community = cm_open_community(w->db, v[0].i)) < 0)
		return web_db_fail(w, (int)community);
	if (community == 0)
		return web_fail(w, 422, "invalid",
		    "该干部尚未向居住社区报到，不能测评", "person_id");
	cm_month_parse(NULL, date_today_cn(), &first, &last);
	cm_month_of(first, month);
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	/* The link lasts to the month's end: a rating counts in its month. */
	rc = cm_issue(w->db, &w->scope, v[0].i, community, month,
	    hours_until_after(w->now, last), &who, w->now, token, &record);
	if (rc == DB_DONE) {
		db_end(w->db, DB_ERROR);
		return web_fail(w, 422, "rated",
		    "该干部本月的社区满意度测评已经完成", "person_id");
	}
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	path = web_printf(w, "/r/%s", token);
	w->model = json_pack("{ss ss ss ss ss ss sI ss}", "token", token,
	    "url", rating_url(w, path), "qr", web_printf(w, "%s/qr.svg", path),
	    "what", web_printf(w, "社区满意度测评链接：%s（%s）", name, month),
	    "back", "返回测评登记", "back_href", "/community/rate",
	    "record_id", (json_int_t)record, "month", month);
	w->tmpl = "rating_link";
	return w->api ? 201 : 200;
}

int
community_cadre(struct web *w)
{
	int64_t	 id = web_param_id(w, "id"), max;
	json_t	*c, *h, *r, *l, *rule;
	int	 year, st, rc;

	if ((st = query_year(w, &year)) != 0)
		return st;
	if (id == 0 || (c = cm_cadre(w->db, &w->scope, id, &rc)) == NULL)
		return id && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	if ((st = rule_of(w, &max, &rule)) != 0) {
		json_decref(c);
		return st;
	}
	json_decref(rule);
	if ((h = cm_history(w->db, &w->scope, id, &rc)) == NULL) {
		json_decref(c);
		return web_db_fail(w, rc);
	}
	json_object_set_new(c, "registrations", h);
	if ((r = cm_ratings(w->db, &w->scope, id, &rc)) == NULL) {
		json_decref(c);
		return web_db_fail(w, rc);
	}
	label_levels(r, max);
	json_object_set_new(c, "ratings", r);
	l = cm_listing(w->db, &w->scope, id, year, &rc);
	if (l == NULL && rc < 0) {
		json_decref(c);
		return web_db_fail(w, rc);
	}
	json_object_set_new(c, "year", json_integer(year));
	json_object_set_new(c, "listing", l ? l : json_null());
	json_object_set_new(c, "ineligible", json_boolean(l != NULL));
	w->model = c;
	return 200;
}

int
community_negative(struct web *w)
{
	json_t	*a, *e, *rule;
	int64_t	 max;
	size_t	 i;
	int	 year, st, rc;

	if ((st = query_year(w, &year)) != 0)
		return st;
	if ((st = rule_of(w, &max, &rule)) != 0)
		return st;
	if ((a = cm_negative(w->db, &w->scope, year, (int)max, &rc)) == NULL) {
		json_decref(rule);
		return web_db_fail(w, rc);
	}
	json_array_foreach(a, i, e)
		label_levels(json_object_get(e, "ratings"), max);
	w->model = json_pack("{si so si si so}", "year", year, "items", a,
	    "prev", year - 1, "next", year + 1, "rule", rule);
	return 200;
}

/* ================================================================ 进农户 */

static const struct field care_fields[] = {
	{ "category", "类别", F_ENUM, true, 0, 0, ca_categories },
	{ "household_id", "农户", F_ID, false, 0, 0, NULL },
	{ "person_id", "关爱对象", F_ID, false, 0, 0, NULL },
	{ "cadre_id", "结对干部", F_ID, false, 0, 0, NULL },
	{ "since", "纳入日期", F_DATE, true, 0, 0, NULL },
	{ "note", "情况说明", F_MULTILINE, false, 0, 500, NULL },
};
enum { C_CAT, C_HOUSE, C_PERSON, C_CADRE, C_SINCE, C_NOTE, C__MAX };

/* The month the query names (?month=YYYY-MM), as days and text. */
struct month {
	int64_t		 first, last;
	char		 from[11], to[11], name[8];
};

static int
query_month(struct web *w, struct month *m)
{
	int64_t	 today = date_today_cn();

	if (cm_month_parse(req_query(w->req, "month"), today, &m->first,
	    &m->last) != 0)
		return web_fail(w, 422, "invalid",
		    "「月份」应写成 2026-11 这样的年月", "month");
	if (m->first > today)
		return web_fail(w, 422, "invalid", "「月份」不能晚于本月",
		    "month");
	date_iso(m->first, m->from);
	date_iso(m->last, m->to);
	cm_month_of(m->first, m->name);
	return 0;
}

static void
label_subjects(json_t *a)
{
	label_all(a, "category", ca_categories, ca_category_labels);
}

int
care_list_page(struct web *w)
{
	struct month	 m;
	json_t		*a, *vs;
	const char	*cat = req_query(w->req, "category");
	int64_t		 village;
	int		 st, rc;

	if ((st = query_village(w, &village)) != 0)
		return st;
	if (str_empty(cat))
		cat = NULL;
	else if (*cm_label(ca_categories, ca_category_labels, cat) == '\0')
		return web_fail(w, 422, "invalid", "「类别」无效", "category");
	cm_month_parse(NULL, date_today_cn(), &m.first, &m.last);
	date_iso(m.first, m.from);
	date_iso(m.last, m.to);
	if ((a = ca_list(w->db, &w->scope, village, cat, m.from, m.to, false,
	    &rc)) == NULL)
		return web_db_fail(w, rc);
	label_subjects(a);
	w->model = json_pack("{so}", "items", a);
	if (w->api)
		return 200;
	if ((vs = org_village_names(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_object_set_new(w->model, "options", json_pack("{so so}",
	    "village", opt_ids(vs, village), "category",
	    opt_list(ca_categories, ca_category_labels, cat)));
	json_decref(vs);
	json_object_set_new(w->model, "can_edit", json_boolean(web_can(w,
	    CA_EDIT)));
	return 200;
}

/* Households / citizens as <optgroup>s by village. */
static json_t *
opt_by_village(json_t *rows, const char *name, const char *extra)
{
	json_t		*a = json_array(), *g = NULL, *r;
	const char	*last = NULL, *v, *x;
	size_t		 i;

	json_array_foreach(rows, i, r) {
		v = json_string_value(json_object_get(r, "village"));
		if (g == NULL || !str_eq(v, last)) {
			g = json_pack("{ss s[]}", "label", v, "options");
			json_array_append_new(a, g);
			last = v;
		}
		x = extra ? json_string_value(json_object_get(r, extra)) : NULL;
		json_array_append_new(json_object_get(g, "options"), json_pack(
		    "{so so sb}", "value", json_sprintf("%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(r, "id"))), "label",
		    json_sprintf("%s%s%s", json_string_value(json_object_get(r,
		    name)), str_empty(x) ? "" : " · ", str_empty(x) ? "" : x),
		    "selected", 0));
	}
	return a;
}

int
care_form(struct web *w)
{
	json_t	*hs, *ps, *cs;
	char	 day[11];
	int	 rc;

	if ((hs = ca_households(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	if ((ps = ca_people(w->db, &w->scope, &rc)) == NULL) {
		json_decref(hs);
		return web_db_fail(w, rc);
	}
	if ((cs = cm_cadres(w->db, &w->scope, &rc)) == NULL) {
		json_decref(hs);
		json_decref(ps);
		return web_db_fail(w, rc);
	}
	date_iso(date_today_cn(), day);
	w->model = json_pack("{s{so so so so} s{ss ss ss ss ss ss}}",
	    "options", "category", opt_list(ca_categories, ca_category_labels,
	    NULL), "household_id", opt_by_village(hs, "head", "address"),
	    "person_id", opt_by_village(ps, "name", NULL), "cadre_id",
	    opt_people(cs, "posts"),
	    "form", "category", "", "household_id", "", "person_id", "",
	    "cadre_id", "", "since", day, "note", "");
	json_decref(hs);
	json_decref(ps);
	json_decref(cs);
	return 200;
}

/* A cadre of the township: 0 or 422 naming "field". */
static int
check_cadre(struct web *w, int64_t id, const char *field, const char *label)
{
	json_t	*c;
	int	 rc;

	if ((c = cm_cadre(w->db, &w->scope, id, &rc)) != NULL) {
		json_decref(c);
		return 0;
	}
	if (rc < 0)
		return web_db_fail(w, rc);
	return web_fail(w, 422, "invalid", web_printf(w,
	    "「%s」须是本乡登记的干部", label), field);
}

int
care_create(struct web *w)
{
	struct audit_actor	 who = web_audit_actor(w);
	struct value		 v[C__MAX];
	struct ca_new		 in;
	int64_t			 village, id = 0;
	int			 st, rc;

	if ((st = input_check(w, care_fields, C__MAX, v)) != 0)
		return st;
	memset(&in, 0, sizeof(in));
	in.category = v[C_CAT].s;
	if (ca_is_household(in.category)) {
		if (!v[C_HOUSE].present)
			return web_fail(w, 422, "invalid",
			    "三类户请选择「农户」", "household_id");
		if ((village = ca_household_village(w->db, &w->scope,
		    v[C_HOUSE].i)) < 0)
			return web_db_fail(w, (int)village);
		if (village == 0)
			return web_fail(w, 422, "invalid",
			    "「农户」不是本村（本乡）登记的农户", "household_id");
		in.household_id = v[C_HOUSE].i;
	} else {
		if (!v[C_PERSON].present)
			return web_fail(w, 422, "invalid",
			    "请选择「关爱对象」（本村登记的群众）", "person_id");
		if ((village = ca_person_village(w->db, &w->scope,
		    v[C_PERSON].i)) < 0)
			return web_db_fail(w, (int)village);
		if (village == 0)
			return web_fail(w, 422, "invalid",
			    "「关爱对象」不是本村（本乡）登记的群众", "person_id");
		in.person_id = v[C_PERSON].i;
	}
	if (v[C_CADRE].present && (st = check_cadre(w, v[C_CADRE].i,
	    "cadre_id", "结对干部")) != 0)
		return st;
	if (v[C_SINCE].i > date_today_cn())
		return web_fail(w, 422, "invalid", "「纳入日期」不能晚于今天",
		    "since");
	in.village_id = village;
	in.cadre_id = v[C_CADRE].present ? v[C_CADRE].i : 0;
	in.since = v[C_SINCE].s;
	in.note = v[C_NOTE].present ? v[C_NOTE].s : "";
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = ca_create(w->db, &w->scope, &in, &who, w->now, &id);
	if (rc == DB_DONE) {
		db_end(w->db, DB_ERROR);
		return web_fail(w, 422, "duplicate",
		    "该对象已在此类别中登记", "category");
	}
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI}", "id", (json_int_t)id);
	return web_done(w, 201, web_printf(w, "/care/%" PRId64, id));
}

/* The subject of the route in scope, or NULL after a status. */
static json_t *
subject_of(struct web *w, int *status)
{
	struct month	 m;
	int64_t		 id = web_param_id(w, "id");
	json_t		*o;
	int		 rc;

	cm_month_parse(NULL, date_today_cn(), &m.first, &m.last);
	date_iso(m.first, m.from);
	date_iso(m.last, m.to);
	if (id == 0 || (o = ca_get(w->db, &w->scope, id, m.from, m.to,
	    &rc)) == NULL) {
		*status = id && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
		return NULL;
	}
	return o;
}

int
care_show(struct web *w)
{
	json_t	*o, *cs, *one;
	char	 day[11], lo[11];
	int	 st = 0, rc;

	if ((o = subject_of(w, &st)) == NULL)
		return st;
	one = json_pack("[O]", o);
	label_subjects(one);
	json_decref(one);
	label_all(json_object_get(o, "log"), "way", ca_ways,
	    ca_way_labels);
	w->model = o;
	if (w->api)
		return 200;
	if ((cs = cm_cadres(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	date_iso(date_today_cn(), day);
	date_iso(date_today_cn() - VISIT_MAX_AGE_DAYS, lo);
	json_object_set_new(o, "options", json_pack("{so so}", "cadre_id",
	    opt_people(cs, "posts"), "way", opt_list(ca_ways, ca_way_labels,
	    "visit")));
	json_decref(cs);
	json_object_set_new(o, "form", json_pack("{ss ss ss ss ss ss ss}",
	    "cadre_id", "", "started_on", day, "contacted_on", day, "way",
	    "visit", "note", "", "follow_up", "", "ended_on", day));
	json_object_set_new(o, "limits", json_pack("{ss ss}", "min", lo,
	    "max", day));
	json_object_set_new(o, "can_edit", json_boolean(web_can(w, CA_EDIT) &&
	    json_is_null(json_object_get(o, "ended_on"))));
	return 200;
}

/* 0 while a subject is under care; 409 (freeing "o") once ended. */
static int
still_open(struct web *w, json_t *o)
{
	if (json_is_null(json_object_get(o, "ended_on")))
		return 0;
	json_decref(o);
	return web_fail(w, 409, "ended",
	    "该对象已移出监测（关爱），不能再登记联系或结对", NULL);
}

int
care_end_post(struct web *w)
{
	static const struct field f[] = {
		{ "ended_on", "移出日期", F_DATE, true, 0, 0, NULL },
	};
	struct audit_actor	 who = web_audit_actor(w);
	struct value		 v[1];
	json_t			*o;
	int64_t			 id, since;
	int			 st = 0, rc;

	if ((o = subject_of(w, &st)) == NULL)
		return st;
	if ((st = still_open(w, o)) != 0)
		return st;
	id = json_integer_value(json_object_get(o, "id"));
	rc = date_parse(json_string_value(json_object_get(o, "since")),
	    &since);
	json_decref(o);
	if ((st = input_check(w, f, 1, v)) != 0)
		return st;
	if (v[0].i > date_today_cn())
		return web_fail(w, 422, "invalid", "「移出日期」不能晚于今天",
		    "ended_on");
	if (rc == 0 && v[0].i < since)
		return web_fail(w, 422, "invalid", "「移出日期」不能早于纳入日期",
		    "ended_on");
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = ca_end(w->db, id, v[0].s, &who);
	if (rc == DB_DONE) {
		db_end(w->db, DB_ERROR);
		return web_fail(w, 409, "ended", "该对象已经移出", NULL);
	}
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI ss}", "id", (json_int_t)id, "ended_on",
	    v[0].s);
	return web_done(w, 200, web_printf(w, "/care/%" PRId64, id));
}

/* The page form posts every action to /care/:id; "do" says which. */
int
care_post(struct web *w)
{
	if (str_eq(input_raw(w, "do"), "pair"))
		return care_pair_post(w);
	if (str_eq(input_raw(w, "do"), "end"))
		return care_end_post(w);
	return care_contact_post(w);
}

int
care_pair_post(struct web *w)
{
	static const struct field f[] = {
		{ "cadre_id", "结对干部", F_ID, true, 0, 0, NULL },
		{ "started_on", "结对日期", F_DATE, true, 0, 0, NULL },
	};
	struct audit_actor	 who = web_audit_actor(w);
	struct value		 v[2];
	json_t			*o;
	int64_t			 id;
	int			 st = 0, rc;

	if ((o = subject_of(w, &st)) == NULL)
		return st;
	if ((st = still_open(w, o)) != 0)
		return st;
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	if ((st = input_check(w, f, 2, v)) != 0)
		return st;
	if ((st = check_cadre(w, v[0].i, "cadre_id", "结对干部")) != 0)
		return st;
	if (v[1].i > date_today_cn())
		return web_fail(w, 422, "invalid", "「结对日期」不能晚于今天",
		    "started_on");
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = ca_pair(w->db, id, v[0].i, v[1].s, &who, w->now);
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI sI}", "id", (json_int_t)id, "cadre_id",
	    (json_int_t)v[0].i);
	return web_done(w, 200, web_printf(w, "/care/%" PRId64, id));
}

int
care_contact_post(struct web *w)
{
	static const struct field f[] = {
		{ "contacted_on", "联系日期", F_DATE, true, 0, 0, NULL },
		{ "way", "联系方式", F_ENUM, true, 0, 0, ca_ways },
		{ "note", "联系情况", F_MULTILINE, true, 2, 1000, NULL },
		{ "follow_up", "后续跟进", F_MULTILINE, false, 0, 500, NULL },
		{ "cadre_id", "联系干部", F_ID, false, 0, 0, NULL },
	};
	struct audit_actor	 who = web_audit_actor(w);
	struct value		 v[5];
	struct ca_contact	 c;
	json_t			*o;
	int64_t			 id, kid = 0, paired;
	int			 st = 0, rc;

	if ((o = subject_of(w, &st)) == NULL)
		return st;
	if ((st = still_open(w, o)) != 0)
		return st;
	id = json_integer_value(json_object_get(o, "id"));
	paired = json_integer_value(json_object_get(o, "cadre_id"));
	json_decref(o);
	if ((st = input_check(w, f, 5, v)) != 0)
		return st;
	switch (visit_day_check(v[0].i, date_today_cn())) {
	case VISIT_DAY_FUTURE:
		return web_fail(w, 422, "invalid", "「联系日期」不能晚于今天",
		    "contacted_on");
	case VISIT_DAY_OLD:
		return web_fail(w, 422, "invalid", web_printf(w,
		    "「联系日期」只能补登%d天以内的联系", VISIT_MAX_AGE_DAYS),
		    "contacted_on");
	case VISIT_DAY_OK:
		break;
	}
	memset(&c, 0, sizeof(c));
	/* Who: named, else the signed-in cadre, else the paired one. */
	if (v[4].present)
		c.cadre_id = v[4].i;
	else if (w->actor.person_id != 0 && check_cadre(w,
	    w->actor.person_id, "cadre_id", "联系干部") == 0)
		c.cadre_id = w->actor.person_id;
	else
		c.cadre_id = paired;
	w->err.code = w->err.message = w->err.field = NULL;
	if (c.cadre_id == 0)
		return web_fail(w, 422, "invalid", "请选择「联系干部」",
		    "cadre_id");
	if ((st = check_cadre(w, c.cadre_id, "cadre_id", "联系干部")) != 0)
		return st;
	c.day = v[0].s;
	c.way = v[1].s;
	c.note = v[2].s;
	c.follow_up = v[3].present ? v[3].s : "";
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = ca_contact_add(w->db, id, &c, &who, w->now, &kid);
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI sI}", "id", (json_int_t)kid, "subject_id",
	    (json_int_t)id);
	return web_done(w, 201, web_printf(w, "/care/%" PRId64, id));
}

/* Find or add {key: id, ...} in "a". */
static json_t *
bucket(json_t *a, const char *key, json_t *id, json_t *name)
{
	json_t	*o;
	size_t	 i;

	json_array_foreach(a, i, o)
		if (json_equal(json_object_get(o, key), id))
			return o;
	o = json_pack("{sO sO si si s[]}", key, id, "name", name, "total", 0,
	    "uncontacted", 0, "items");
	json_array_append_new(a, o);
	return o;
}

static void
count_in(json_t *b, json_t *s, bool missed)
{
	json_object_set_new(b, "total", json_integer(json_integer_value(
	    json_object_get(b, "total")) + 1));
	if (!missed)
		return;
	json_object_set_new(b, "uncontacted", json_integer(json_integer_value(
	    json_object_get(b, "uncontacted")) + 1));
	json_array_append(json_object_get(b, "items"), s);
}

/*
 * Who has had no contact in a month: the subjects of the month (those
 * under care at any time in it), per village and per paired cadre.
 */
static json_t *
uncontacted_model(struct web *w, int *status)
{
	struct month	 m;
	json_t		*a, *villages, *cadres, *s, *missed, *none;
	int64_t		 village;
	size_t		 i;
	bool		 miss;
	int		 rc;

	if ((*status = query_month(w, &m)) != 0 ||
	    (*status = query_village(w, &village)) != 0)
		return NULL;
	if ((a = ca_list(w->db, &w->scope, village, NULL, m.from, m.to, true,
	    &rc)) == NULL) {
		*status = web_db_fail(w, rc);
		return NULL;
	}
	label_subjects(a);
	villages = json_array();
	cadres = json_array();
	missed = json_array();
	none = json_string("未结对");
	json_array_foreach(a, i, s) {
		miss = json_integer_value(json_object_get(s, "contacts")) == 0;
		count_in(bucket(villages, "village_id", json_object_get(s,
		    "village_id"), json_object_get(s, "village")), s, miss);
		count_in(bucket(cadres, "cadre_id", json_object_get(s,
		    "cadre_id"), json_is_null(json_object_get(s, "cadre")) ?
		    none : json_object_get(s, "cadre")), s, miss);
		if (miss)
			json_array_append(missed, s);
	}
	json_decref(none);
	json_decref(a);
	return json_pack("{ss ss ss so so sI so si so}", "month", m.name,
	    "from", m.from, "to", m.to, "villages", villages, "cadres", cadres,
	    "missed", (json_int_t)json_array_size(missed), "items", missed,
	    "total", 0, "village_id", village ? json_integer(village) :
	    json_null());
}

int
care_uncontacted(struct web *w)
{
	json_t	*o, *vs, *v;
	int64_t	 total = 0, village;
	size_t	 i;
	char	 prev[8];
	int	 st = 0, rc;

	if ((o = uncontacted_model(w, &st)) == NULL)
		return st;
	json_array_foreach(json_object_get(o, "villages"), i, v)
		total += json_integer_value(json_object_get(v, "total"));
	json_object_set_new(o, "total", json_integer(total));
	w->model = o;
	if (w->api)
		return 200;
	village = json_integer_value(json_object_get(o, "village_id"));
	if ((vs = org_village_names(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_object_set_new(o, "options", json_pack("{so}", "village",
	    opt_ids(vs, village)));
	json_decref(vs);
	{
		int64_t	 first, last;

		cm_month_parse(json_string_value(json_object_get(o, "month")),
		    0, &first, &last);
		cm_month_of(first - 1, prev);
		json_object_set_new(o, "prev", json_string(prev));
	}
	json_object_set_new(o, "form", json_pack("{sO}", "month",
	    json_object_get(o, "month")));
	return 200;
}

/* ================================================================ 示范户 */

static const struct field mh_fields[] = {
	{ "household_id", "推荐农户", F_ID, true, 0, 0, NULL },
	{ "category", "评选类别", F_ENUM, true, 0, 0, mh_categories },
	{ "reason", "推荐理由", F_MULTILINE, true, 2, 500, NULL },
};

int
model_page(struct web *w)
{
	json_t	*a, *hs;
	char	 dl[32];
	int	 year, st, rc;
	bool	 closed;

	if ((st = query_year(w, &year)) != 0)
		return st;
	if ((a = mh_list(w->db, &w->scope, year, &rc)) == NULL)
		return web_db_fail(w, rc);
	label_all(a, "category", mh_categories, mh_category_labels);
	closed = mh_closed(year, date_today_cn());
	date_cn(mh_deadline(year), dl);
	w->model = json_pack("{si so ss sb si si}", "year", year, "items", a,
	    "deadline", dl, "closed", closed, "prev", year - 1, "next",
	    year + 1);
	if (w->api)
		return 200;
	if ((hs = ca_households(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_object_set_new(w->model, "options", json_pack("{so so}",
	    "household_id", opt_by_village(hs, "head", "address"), "category",
	    opt_list(mh_categories, mh_category_labels, NULL)));
	json_decref(hs);
	json_object_set_new(w->model, "form", json_pack("{ss ss ss}",
	    "household_id", "", "category", "", "reason", ""));
	json_object_set_new(w->model, "can_nominate", json_boolean(web_can(w,
	    CA_EDIT) && !closed && year == this_year()));
	json_object_set_new(w->model, "can_choose", json_boolean(web_can(w,
	    MH_CHOOSE_ROLES)));
	return 200;
}

int
model_nominate(struct web *w)
{
	struct audit_actor	 who = web_audit_actor(w);
	struct value		 v[3];
	int64_t			 village, id = 0, today = date_today_cn();
	int			 year = this_year(), st, rc;
	char			 dl[32];

	if ((st = input_check(w, mh_fields, 3, v)) != 0)
		return st;
	if (mh_closed(year, today)) {
		date_cn(mh_deadline(year), dl);
		return web_fail(w, 422, "closed", web_printf(w,
		    "%d年度示范户评选已于%s截止，不再接受推荐", year, dl),
		    "household_id");
	}
	if ((village = ca_household_village(w->db, &w->scope, v[0].i)) < 0)
		return web_db_fail(w, (int)village);
	if (village == 0)
		return web_fail(w, 422, "invalid",
		    "「推荐农户」不是本村（本乡）登记的农户", "household_id");
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = mh_nominate(w->db, &w->scope, village, v[0].i, year, v[1].s,
	    v[2].s, &who, w->now, &id);
	if (rc == DB_DONE) {
		db_end(w->db, DB_ERROR);
		return web_fail(w, 422, "duplicate",
		    "该户今年已在此类别中被推荐", "category");
	}
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI si}", "id", (json_int_t)id, "year", year);
	return web_done(w, 201, "/models");
}

int
model_choose(struct web *w)
{
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id = web_param_id(w, "id");
	int			 rc;

	if (id == 0)
		return web_not_found(w);
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = mh_choose(w->db, &w->scope, id, &who, w->now);
	if (rc == DB_DONE || rc == DB_ROW) {
		db_end(w->db, DB_ERROR);
		return rc == DB_DONE ? web_not_found(w) : web_fail(w, 409,
		    "conflict", "该户已经评为示范户", NULL);
	}
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI sb}", "id", (json_int_t)id, "chosen", 1);
	return web_done(w, 200, "/models");
}

/* ================================================================ XLSX */

/* A string member, "" when absent or null. */
static const char *
sget(json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* Write "items" through "row", close, and send; the status. */
static int
send_ledger(struct web *w, const char *path, struct xlsx_ledger *x,
    json_t *items, void (*row)(json_t *, const char **, struct web *),
    struct download *dl)
{
	const char	*cells[8];
	json_t		*it;
	size_t		 i;
	int		 rc = 0, st;

	json_array_foreach(items, i, it) {
		row(it, cells, w);
		if (rc == 0 && xlsx_ledger_row(x, cells) != 0)
			rc = -1;
	}
	if (xlsx_ledger_close(x) != 0)
		rc = -1;
	if (rc != 0) {
		unlink(path);
		return web_db_fail(w, DB_UNAVAIL);
	}
	dl->path = path;
	dl->content_type = XLSX_MEDIA_TYPE;
	st = download_send(w, dl);
	json_decref(dl->detail);
	return st;
}

static void
missed_row(json_t *it, const char **c, struct web *w)
{
	c[0] = sget(it, "village");
	c[1] = sget(it, "category_label");
	c[2] = sget(it, "name");
	c[3] = sget(it, "phone");
	c[4] = json_is_null(json_object_get(it, "cadre")) ? "未结对" :
	    sget(it, "cadre");
	c[5] = json_is_null(json_object_get(it, "last_contact")) ? "从未联系" :
	    sget(it, "last_contact");
	(void)w;
}

/* The month's no-contact list as a ledger (结对帮扶未联系对象清单). */
int
care_uncontacted_xlsx(struct web *w)
{
	static const struct xlsx_col cols[] = {
		{ "村", 10, XLSX_TEXT },
		{ "类别", 14, XLSX_TEXT },
		{ "对象", 10, XLSX_TEXT },
		{ "联系电话", 14, XLSX_TEXT },
		{ "结对干部", 10, XLSX_TEXT },
		{ "最近联系", 12, XLSX_TEXT },
	};
	struct xlsx_ledger	*x;
	struct download		 dl;
	char			 path[DOWNLOAD_PATH_MAX], today[32];
	const char		*month;
	json_t			*o;
	int			 st = 0;

	if ((o = uncontacted_model(w, &st)) == NULL)
		return st;
	w->model = o;
	month = sget(o, "month");
	date_cn(date_today_cn(), today);
	if (download_scratch(path) != 0)
		return web_db_fail(w, DB_UNAVAIL);
	x = xlsx_ledger_open(path, "本月未联系", web_printf(w,
	    "%s 结对帮扶未联系对象清单", month), NULL, web_printf(w,
	    "填报时间：%s", today), cols, NELEM(cols));
	if (x == NULL) {
		unlink(path);
		return web_db_fail(w, DB_UNAVAIL);
	}
	memset(&dl, 0, sizeof(dl));
	dl.ascii_name = web_printf(w, "uncontacted-%s.xlsx", month);
	dl.name = web_printf(w, "%s-结对帮扶未联系对象清单.xlsx", month);
	dl.action = "export.care_uncontacted";
	dl.object_type = "care_subject";
	dl.detail = json_pack("{ss sO}", "month", month, "rows",
	    json_object_get(o, "missed"));
	return send_ledger(w, path, x, json_object_get(o, "items"), missed_row,
	    &dl);
}

static void
negative_row(json_t *it, const char **c, struct web *w)
{
	struct buf	 b = BUF_INIT;
	json_t		*r;
	size_t		 i;

	json_array_foreach(json_object_get(it, "ratings"), i, r)
		buf_addf(&b, "%s%s %s：%s", i ? "\n" : "", sget(r, "month"),
		    sget(r, "community"), sget(r, "level_label"));
	c[0] = sget(it, "name");
	c[1] = sget(it, "posts");
	c[2] = sget(it, "reason");
	c[3] = sget(it, "listed_at");
	c[4] = arena_strdup(&w->req->arena, b.data ? b.data : "");
	c[5] = "取消评先选优资格";
	buf_release(&b);
}

/* The year's negative list as a ledger (干部管理使用负面清单). */
int
community_negative_xlsx(struct web *w)
{
	static const struct xlsx_col cols[] = {
		{ "干部", 10, XLSX_TEXT },
		{ "职务", 20, XLSX_WRAP },
		{ "列入原因", 24, XLSX_WRAP },
		{ "列入时间", 16, XLSX_TEXT },
		{ "导致列入的测评", 30, XLSX_WRAP },
		{ "评先选优", 14, XLSX_TEXT },
	};
	struct xlsx_ledger	*x;
	struct download		 dl;
	char			 path[DOWNLOAD_PATH_MAX], today[32];
	int			 st, year;

	if ((st = community_negative(w)) != 200)
		return st;
	year = (int)json_integer_value(json_object_get(w->model, "year"));
	date_cn(date_today_cn(), today);
	if (download_scratch(path) != 0)
		return web_db_fail(w, DB_UNAVAIL);
	x = xlsx_ledger_open(path, "负面清单", web_printf(w,
	    "%d年干部管理使用负面清单（社区满意度测评）", year),
	    "党政综合办公室", web_printf(w, "填报时间：%s", today), cols,
	    NELEM(cols));
	if (x == NULL) {
		unlink(path);
		return web_db_fail(w, DB_UNAVAIL);
	}
	memset(&dl, 0, sizeof(dl));
	dl.ascii_name = web_printf(w, "negative-list-%d.xlsx", year);
	dl.name = web_printf(w, "%d年干部管理使用负面清单.xlsx", year);
	dl.action = "export.negative_list";
	dl.object_type = "negative_list";
	dl.detail = json_pack("{si sI}", "year", year, "rows",
	    (json_int_t)json_array_size(json_object_get(w->model, "items")));
	return send_ledger(w, path, x, json_object_get(w->model, "items"),
	    negative_row, &dl);
}

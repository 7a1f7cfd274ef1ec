/* enterprise_web.c: enterprise pages and API (干部进企业: 包抓、包保、六必访、企业诉求). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "db/db.h"
#include "enterprise/enterprise.h"
#include "enterprise/enterprise_db.h"
#include "enterprise/enterprise_import.h"
#include "enterprise/enterprise_web.h"
#include "matter/matter_db.h"
#include "matter/matter_web.h"
#include "org/org.h"
#include "rating/rating_db.h"
#include "rating/rating_web.h"
#include "web/input.h"
#include "web/options.h"
#include "web/web.h"

#define VISIT_LATE_DAYS	30	/* a visit may be logged this many days late */

/* Options of a label table: [{value, label, selected}]. */
static json_t *
label_opts(const struct ent_label *t, const char *sel)
{
	json_t	*a = json_array();

	for (; t->name != NULL; t++)
		json_array_append_new(a, json_pack("{ss ss sb}", "value",
		    t->name, "label", t->label, "selected", sel != NULL &&
		    strcmp(sel, t->name) == 0));
	return a;
}

/* The month a query names (?month=, default this month); 0 or 422. */
static int
query_month(struct web *w, int64_t *first, int64_t *last, char month[8])
{
	const char	*s = req_query(w->req, "month");

	if (str_empty(s)) {
		ent_month_of(date_today_cn(), month);
		return ent_month_parse(month, first, last) == 0 ? 0 :
		    web_db_fail(w, DB_ERROR);
	}
	if (ent_month_parse(s, first, last) != 0)
		return web_fail(w, 422, "invalid",
		    "「月份」应为年月，如 2026-11", "month");
	ent_month_of(*first, month);
	return 0;
}

/* A page that lists: the villages to filter by. */
static int
add_village_options(struct web *w, int64_t selected)
{
	json_t	*vs;
	int	 rc;

	if ((vs = org_village_names(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_object_set_new(w->model, "options", json_pack("{so}", "village",
	    opt_ids(vs, selected)));
	json_decref(vs);
	return 0;
}

int
enterprise_list_page(struct web *w)
{
	int64_t	 village = input_query_id(w, "village");
	int	 rc;

	if (village < 0)
		return web_fail(w, 422, "invalid", "「村」无效", "village");
	if (village != 0 && (rc = org_place_ok(w->db, &w->scope, village,
	    0)) != 1)
		return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	if ((w->model = ent_list(w->db, &w->scope, village, &rc)) == NULL)
		return web_db_fail(w, rc);
	if (w->api)
		return 200;
	{
		json_t	*it;
		size_t	 i;

		json_array_foreach(json_object_get(w->model, "items"), i, it)
			json_object_set_new(it, "seq", json_integer((json_int_t)i
			    + 1));
	}
	json_object_set_new(w->model, "can_add", json_boolean(web_can(w,
	    ENT_EDIT)));
	json_object_set_new(w->model, "can_import", json_boolean(web_can(w,
	    ENT_IMPORT) && w->scope.village_id == 0));
	json_object_set_new(w->model, "can_report", json_boolean(web_can(w,
	    ENT_REPORT)));
	rc = add_village_options(w, village);
	return rc != 0 ? rc : 200;
}

static const struct field ent_fields[] = {
	{ "name", "企业名称", F_TEXT, true, 2, 60, NULL },
	{ "kind", "类型", F_ENUM, true, 0, 0, NULL },
	{ "village_id", "所在村", F_ID, false, 0, 0, NULL },
	{ "place", "经营场所", F_TEXT, false, 0, 100, NULL },
	{ "contact", "企业联系人", F_TEXT, false, 0, 32, NULL },
	{ "phone", "联系人电话", F_PHONE, false, 0, 0, NULL },
	{ "tel", "企业电话", F_PHONE, false, 0, 0, NULL },
	{ "note", "备注", F_MULTILINE, false, 0, 500, NULL },
};
enum { E_NAME, E_KIND, E_VILLAGE, E_PLACE, E_CONTACT, E_PHONE, E_TEL, E_NOTE,
    E__MAX };

int
enterprise_form(struct web *w)
{
	json_t	*vs, *cur = NULL;
	int64_t	 id = web_param_id(w, "id"), village = w->scope.village_id;
	bool	 editing = kv_get(&w->params, "id") != NULL;
	char	 vid[24] = "";
	int	 rc;

	if (editing && (id == 0 || (cur = ent_get(w->db, &w->scope, id,
	    &rc)) == NULL))
		return id && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	if (cur != NULL && (village = json_integer_value(json_object_get(cur,
	    "village_id"))) != 0)
		snprintf(vid, sizeof(vid), "%" PRId64, village);
	if ((vs = org_village_options(w->db, &w->scope, &rc)) == NULL) {
		json_decref(cur);
		return web_db_fail(w, rc);
	}
#define CUR(k)	(cur ? json_string_value(json_object_get(cur, k)) : "")
	w->model = json_pack("{sb sI s{ss ss ss ss ss ss ss ss} s{so so}}",
	    "editing", editing, "id", (json_int_t)id,
	    "form", "name", CUR("name"), "kind", CUR("kind"), "village_id", vid,
	    "place", CUR("place"), "contact", CUR("contact"), "phone", "",
	    "tel", "", "note", CUR("note"),
	    "options", "kind", label_opts(ent_kinds, cur ? CUR("kind") : NULL),
	    "village_id", opt_villages(vs, village));
#undef CUR
	json_decref(vs);
	json_decref(cur);
	return 200;
}

int
enterprise_create(struct web *w)
{
	static const char *const sealed[] = { "phone", "tel", NULL };
	struct field		 f[E__MAX];
	struct value		 v[E__MAX];
	struct ent_in		 in;
	struct scope		 town = { w->scope.township_id, 0 };
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id = web_param_id(w, "id"), known;
	bool			 editing = kv_get(&w->params, "id") != NULL;
	json_t			*cur;
	int			 st, rc;

	if (editing && id == 0)
		return web_not_found(w);
	memcpy(f, ent_fields, sizeof(f));
	f[E_KIND].enums = ent_names(ent_kinds);
	if (editing) {
		if ((cur = ent_get(w->db, &w->scope, id, &rc)) == NULL)
			return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
		input_patch(w, cur, f, E__MAX, sealed);
		json_decref(cur);
	}
	if ((st = input_check(w, f, E__MAX, v)) != 0)
		return st;
	memset(&in, 0, sizeof(in));
	in.village_id = v[E_VILLAGE].present ? v[E_VILLAGE].i :
	    w->scope.village_id;
	if (w->scope.village_id != 0 && in.village_id != w->scope.village_id)
		return web_fail(w, 422, "invalid",
		    "村组干部只能登记本村的企业", "village_id");
	if (in.village_id != 0 && (rc = org_place_ok(w->db, &w->scope,
	    in.village_id, 0)) != 1)
		return rc < 0 ? web_db_fail(w, rc) : web_fail(w, 422,
		    "invalid", "「所在村」不存在", "village_id");
	/* Names are unique in the township, whoever can see the other. */
	if ((known = ent_by_name(w->db, &town, v[E_NAME].s)) < 0)
		return web_db_fail(w, (int)known);
	if (known > 0 && known != id)
		return web_fail(w, 422, "duplicate",
		    "「企业名称」已登记，请勿重复登记", "name");
	in.name = v[E_NAME].s;
	in.kind = v[E_KIND].s;
	in.place = v[E_PLACE].present ? v[E_PLACE].s : "";
	in.contact = v[E_CONTACT].present ? v[E_CONTACT].s : "";
	in.phone = v[E_PHONE].present ? v[E_PHONE].s : NULL;
	in.tel = v[E_TEL].present ? v[E_TEL].s : NULL;
	in.note = v[E_NOTE].present ? v[E_NOTE].s : "";
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	if (editing)
		rc = ent_update(w->db, &w->scope, id, &in, &w->req->arena,
		    &who, w->now);
	else
		rc = ent_create(w->db, &w->scope, &in, &w->req->arena, &who,
		    w->now, &id);
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	if ((w->model = ent_get(w->db, &w->scope, id, &rc)) == NULL)
		return web_db_fail(w, rc < 0 ? rc : DB_UNAVAIL);
	return web_done(w, editing ? 200 : 201, web_printf(w,
	    "/enterprises/%" PRId64, id));
}

/* The current patrons as options: [{value, label, selected}]. */
static json_t *
patron_opts(json_t *patrons, int64_t me)
{
	json_t	*a = json_array(), *p, *o;
	size_t	 i;
	int64_t	 id;

	json_array_foreach(patrons, i, p) {
		if (!json_is_true(json_object_get(p, "current")))
			continue;
		id = json_integer_value(json_object_get(p, "person_id"));
		o = json_pack("{sb}", "selected", id == me);
		json_object_set_new(o, "value", json_sprintf("%" PRId64, id));
		json_object_set_new(o, "label", json_sprintf("%s（%s）",
		    json_string_value(json_object_get(p, "name")),
		    json_string_value(json_object_get(p, "role_label"))));
		json_array_append_new(a, o);
	}
	return a;
}

int
enterprise_show(struct web *w)
{
	json_t	*cadres, *states;
	int64_t	 id = web_param_id(w, "id");
	size_t	 i;
	json_t	*m;
	char	 today[11];
	int	 rc;

	if (id == 0 || (w->model = ent_get(w->db, &w->scope, id, &rc)) ==
	    NULL)
		return id && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	json_array_foreach(json_object_get(w->model, "matters"), i, m) {
		const struct matter_type *t = matter_type_get(
		    json_string_value(json_object_get(m, "type")));

		json_object_set_new(m, "type_label", json_string(t ? t->label :
		    ""));
		json_object_set_new(m, "state_label", json_string(t ?
		    matter_state_label(t, json_string_value(json_object_get(m,
		    "state"))) : ""));
	}
	if (w->api)
		return 200;
	if ((cadres = ent_cadres(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	date_iso(date_today_cn(), today);
	states = json_pack("{sb sb sb sb}", "can_assign", web_can(w,
	    ENT_ASSIGN), "can_visit", web_can(w, ENT_EDIT), "can_raise",
	    web_can(w, ENT_EDIT), "can_link", web_can(w, ENT_IMPORT) &&
	    w->scope.village_id == 0);
	json_object_update(w->model, states);
	json_decref(states);
	json_object_set_new(w->model, "form", json_pack("{ss ss ss ss ss ss"
	    " ss ss ss ss}", "role", "lead", "person_id", "", "from_on", today,
	    "patron_id", "", "kind", "", "visited_on", today, "findings", "",
	    "title", "", "body", "", "source", "enterprise"));
	json_object_set_new(w->model, "options", json_pack("{so so so so so}",
	    "role", label_opts(ent_roles, "lead"), "person_id",
	    opt_ids(cadres, 0), "patron_id", patron_opts(json_object_get(
	    w->model, "patrons"), w->actor.person_id), "kind",
	    label_opts(ent_visit_kinds, NULL), "source", json_pack(
	    "[{ss ss sb} {ss ss sb} {ss ss sb}]", "value", "enterprise",
	    "label", "企业反映", "selected", 1, "value", "patron", "label",
	    "包抓干部收集", "selected", 0, "value", "visit", "label",
	    "走访发现", "selected", 0)));
	json_decref(cadres);
	return 200;
}

/* The enterprise of the route in scope; 0 or 404. */
static int
route_enterprise(struct web *w, int64_t *id, int64_t *village)
{
	int	 rc;

	if ((*id = web_param_id(w, "id")) == 0)
		return web_not_found(w);
	rc = ent_village(w->db, &w->scope, *id, village);
	if (rc == DB_DONE)
		return web_not_found(w);
	return rc == DB_OK ? 0 : web_db_fail(w, rc);
}

int
enterprise_patron_post(struct web *w)
{
	static const struct field f[] = {
		{ "role", "职责", F_ENUM, true, 0, 0, NULL },
		{ "person_id", "包抓干部", F_ID, true, 0, 0, NULL },
		{ "from_on", "起始日期", F_DATE, false, 0, 0, NULL },
	};
	struct field		 ff[3];
	struct value		 v[3];
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id, village, cur, cur_from, from;
	int64_t			 today = date_today_cn();
	bool			 changed;
	int			 st, rc;

	if ((st = route_enterprise(w, &id, &village)) != 0)
		return st;
	if (!web_can(w, ENT_ASSIGN))
		return web_fail(w, 403, "forbidden",
		    "只有乡党委、政府领导可以指派包抓干部", NULL);
	memcpy(ff, f, sizeof(ff));
	ff[0].enums = ent_names(ent_roles);
	if ((st = input_check(w, ff, 3, v)) != 0)
		return st;
	if (ent_cadre_name(w->db, &w->scope, v[1].i, &w->req->arena, &rc) ==
	    NULL)
		return rc < 0 ? web_db_fail(w, rc) : web_fail(w, 422,
		    "invalid", "「包抓干部」须是本乡登记的干部", "person_id");
	from = v[2].present ? v[2].i : today;
	if (from > today + 31)
		return web_fail(w, 422, "invalid",
		    "「起始日期」最多可提前一个月指派", "from_on");
	if ((rc = ent_patron_now(w->db, id, v[0].s, &cur, &cur_from)) != DB_OK)
		return web_db_fail(w, rc);
	if (cur == v[1].i)
		return web_fail(w, 422, "invalid", "该干部已是现任的包抓（包保）"
		    "干部，无需重复指派", "person_id");
	if (cur != 0 && from < cur_from)
		return web_fail(w, 422, "invalid",
		    "「起始日期」不能早于现任干部的起始日期", "from_on");
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = ent_patron_assign(w->db, &w->scope, id, v[0].s, v[1].i, from,
	    &who, w->now, &changed);
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	if ((w->model = ent_get(w->db, &w->scope, id, &rc)) == NULL)
		return web_db_fail(w, rc < 0 ? rc : DB_UNAVAIL);
	return web_done(w, 201, web_printf(w, "/enterprises/%" PRId64
	    "#patrons", id));
}

int
enterprise_visit_post(struct web *w)
{
	static const struct field f[] = {
		{ "patron_id", "走访干部", F_ID, true, 0, 0, NULL },
		{ "kind", "走访类别", F_ENUM, true, 0, 0, NULL },
		{ "visited_on", "走访日期", F_DATE, true, 0, 0, NULL },
		{ "findings", "走访情况", F_MULTILINE, true, 2, 2000, NULL },
	};
	struct field		 ff[4];
	struct value		 v[4];
	struct ent_visit_in	 in;
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id, village, vid = 0, today = date_today_cn();
	int			 st, rc;

	if ((st = route_enterprise(w, &id, &village)) != 0)
		return st;
	memcpy(ff, f, sizeof(ff));
	ff[1].enums = ent_names(ent_visit_kinds);
	if ((st = input_check(w, ff, 4, v)) != 0)
		return st;
	if (v[2].i > today)
		return web_fail(w, 422, "invalid", "「走访日期」不能晚于今天",
		    "visited_on");
	if (v[2].i < today - VISIT_LATE_DAYS)
		return web_fail(w, 422, "invalid", web_printf(w,
		    "「走访日期」只能补登%d天以内的走访", VISIT_LATE_DAYS),
		    "visited_on");
	if ((rc = ent_is_patron(w->db, id, v[0].i)) < 0)
		return web_db_fail(w, rc);
	if (rc == 0)
		return web_fail(w, 422, "invalid",
		    "「走访干部」须是该企业现任的包抓或包保干部", "patron_id");
	in.person = v[0].i;
	in.kind = v[1].s;
	in.day = v[2].i;
	in.findings = v[3].s;
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = ent_visit_create(w->db, &w->scope, id, &in, &who, w->now, &vid);
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI sI}", "id", (json_int_t)vid, "enterprise_id",
	    (json_int_t)id);
	return web_done(w, 201, web_printf(w, "/enterprises/%" PRId64
	    "#visits", id));
}

int
enterprise_problem_post(struct web *w)
{
	static const char *const sources[] = { "enterprise", "patron",
	    "visit", NULL };
	static const struct field f[] = {
		{ "title", "诉求事项", F_TEXT, true, 2, 100, NULL },
		{ "body", "具体情况", F_MULTILINE, false, 0, 4000, NULL },
		{ "source", "来源", F_ENUM, false, 0, 0, sources },
	};
	struct value		 v[3];
	struct matter_new	 in;
	struct matter_actor	 who = matter_actor_of(w);
	json_t			*e, *details;
	int64_t			 id, village, patron, from, mid = 0;
	char			 code[32];
	int			 st, rc;

	if ((st = route_enterprise(w, &id, &village)) != 0)
		return st;
	if ((st = input_check(w, f, 3, v)) != 0)
		return st;
	if ((rc = ent_patron_now(w->db, id, "lead", &patron, &from)) != DB_OK)
		return web_db_fail(w, rc);
	if (patron == 0 && (rc = ent_patron_now(w->db, id, "keep", &patron,
	    &from)) != DB_OK)
		return web_db_fail(w, rc);
	if (patron == 0)
		return web_fail(w, 422, "invalid", "该企业还没有包抓（包保）干部，"
		    "请先指派，诉求由其跟踪化解", "title");
	if ((e = ent_get(w->db, &w->scope, id, &rc)) == NULL)
		return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	details = json_pack("{sI sO}", "enterprise_id", (json_int_t)id,
	    "enterprise", json_object_get(e, "name"));
	memset(&in, 0, sizeof(in));
	in.type = matter_type_get("enterprise_problem");
	in.title = v[0].s;
	in.body = v[1].present ? v[1].s : "";
	in.source = v[2].present ? v[2].s : "enterprise";
	in.place = json_string_value(json_object_get(e, "name"));
	in.village_id = village;
	in.lead_id = patron;
	in.resolver_id = patron;
	in.clock_day = date_today_cn();
	in.details = details;
	in.search = in.place;
	in.note = web_printf(w, "企业诉求：%s", in.place);
	if ((rc = db_begin(w->db)) != DB_OK) {
		json_decref(details);
		json_decref(e);
		return web_db_fail(w, rc);
	}
	rc = matter_create(w->db, &w->scope, &in, matter_cal(w->db), &who,
	    w->now, &mid, code);
	if (rc == DB_OK)
		rc = ent_link_matter(w->db, mid, id, patron);
	rc = db_end(w->db, rc);
	json_decref(details);
	json_decref(e);
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI ss sI}", "id", (json_int_t)mid, "code", code,
	    "enterprise_id", (json_int_t)id);
	return web_done(w, 201, web_printf(w, "/matters/%" PRId64, mid));
}

/* The enterprise page's forms all post here; "op" says which. */
int
enterprise_post(struct web *w)
{
	const char	*op = kv_get(&w->form, "op");

	if (w->api || str_eq(op, "patron"))
		return enterprise_patron_post(w);
	if (str_eq(op, "visit"))
		return enterprise_visit_post(w);
	if (str_eq(op, "problem"))
		return enterprise_problem_post(w);
	return web_fail(w, 400, "bad_form", "表单内容不完整，请刷新后重试",
	    NULL);
}

/*
 * The import page.  After a POST (a refused file, a dry run) it shows the
 * report, which the POST left in w->json: the pipeline rebuilds a refused
 * page through this handler and keeps nothing else of the POST's model.
 */
int
enterprise_import_form(struct web *w)
{
	json_t	*report = NULL;

	if (w->req->method == HTTP_POST && w->json != NULL)
		report = json_incref(json_object_get(w->json, "report"));
	w->model = json_pack("{s{ss} so}", "form", "dry_run", "1", "report",
	    report ? report : json_null());
	return 200;
}

int
enterprise_import_post(struct web *w)
{
	const struct part	*file = part_get(&w->parts, "file");
	struct audit_actor	 who = web_audit_actor(w);
	struct ent_import	 r;
	const char		*dry = kv_get(&w->form, "dry_run");
	json_t			*report;
	bool			 dry_run;
	int			 rc, status;

	if (file == NULL || file->filename == NULL)
		return web_fail(w, 422, "invalid", "请选择要导入的文件（CSV）",
		    "file");
	dry_run = str_eq(dry, "1") || str_eq(dry, "true") || str_eq(dry, "on");
	ent_import_init(&r);
	rc = ent_import_run(w->db, &w->scope, file->data, file->len, dry_run,
	    date_today_cn(), &who, w->now, &r);
	if (rc < 0) {
		ent_import_release(&r);
		return web_db_fail(w, rc);
	}
	report = json_pack("{ss? sI sI sI sb sb ss? sI sI sI sO sO}",
	    "list", r.list, "rows", (json_int_t)r.rep.rows, "ok",
	    (json_int_t)r.rep.ok, "nerrors", (json_int_t)r.rep.nerrors,
	    "dry_run", dry_run, "imported", r.rep.imported, "refused",
	    r.rep.refused, "created", (json_int_t)r.created, "updated",
	    (json_int_t)r.updated, "assigned", (json_int_t)r.assigned,
	    "errors", r.rep.errors, "preview", r.preview);
	json_object_set_new(report, "has_errors", json_boolean(
	    json_array_size(r.rep.errors) > 0));
	json_object_set_new(report, "has_preview", json_boolean(
	    json_array_size(r.preview) > 0));
	json_object_set_new(report, "list_label", json_string(r.list == NULL ?
	    "" : str_eq(r.list, "lead") ? "领导包抓企业责任清单" :
	    "干部包保责任清单"));
	ent_import_release(&r);
	status = rc == IMPORT_OK ? 200 : 422;
	if (w->api) {
		if (status == 200) {
			w->model = report;
			return 200;
		}
		/* The report rides along the error (see view_json). */
		w->model = json_pack("{so}", "report", report);
		return web_fail(w, 422, r.rep.refused ? "refused" : "invalid",
		    r.rep.refused ? "文件含有账号或密码列，已拒绝导入" :
		    "文件中有错误，没有导入任何数据", "file");
	}
	w->json = json_pack("{so}", "report", report);
	if (status == 422)
		return web_fail(w, 422, "invalid", r.rep.refused ?
		    "文件含有账号或密码列，已拒绝导入，什么也没有保存" :
		    "文件中有错误，没有导入任何数据。请按下面的提示修改后重新导入",
		    "file");
	w->model = NULL;
	w->tmpl = "enterprise_import";
	(void)enterprise_import_form(w);
	return 200;
}

int
enterprise_report_page(struct web *w)
{
	json_t	*patrons, *p;
	int64_t	 first, last;
	size_t	 i, flagged = 0;
	char	 month[8], label[32];
	int	 y, m, d, st, rc;

	if ((st = query_month(w, &first, &last, month)) != 0)
		return st;
	if ((patrons = ent_report(w->db, &w->scope, first, last, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_array_foreach(patrons, i, p)
		flagged += json_is_true(json_object_get(p, "flagged"));
	date_to_ymd(first, &y, &m, &d);
	snprintf(label, sizeof(label), "%d年%d月", y, m);
	w->model = json_pack("{ss ss so sI s{ss}}", "month", month, "label",
	    label, "patrons", patrons, "flagged", (json_int_t)flagged,
	    "period", "rule", "自当年1月1日（或包抓起始日，取较晚者）至本月末，"
	    "该企业没有一件由本人跟踪并以“问题已解决”销号的企业诉求");
	return 200;
}

/* The month's sample: [{id, name, village, lead, keep, check}]. */
static json_t *
sample_of(struct web *w, int64_t first, int64_t last, const char *month,
    int *rc)
{
	json_t	*pool, *checks, *out, *e;
	int64_t	*ids;
	size_t	 n, take, i;
	char	 key[24];

	if ((pool = ent_sample_pool(w->db, &w->scope, first, last, rc)) ==
	    NULL)
		return NULL;
	n = json_array_size(pool);
	ids = arena_alloc(&w->req->arena, (n + 1) * sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = json_integer_value(json_array_get(pool, i));
	json_decref(pool);
	take = ent_sample(month, ids, n);
	if ((checks = ent_spotchecks(w->db, &w->scope, month, rc)) == NULL)
		return NULL;
	out = json_array();
	for (i = 0; i < take; i++) {
		if ((e = ent_get(w->db, &w->scope, ids[i], rc)) == NULL) {
			if (*rc < 0) {
				json_decref(out);
				json_decref(checks);
				return NULL;
			}
			continue;
		}
		snprintf(key, sizeof(key), "%" PRId64, ids[i]);
		json_array_append_new(out, json_pack("{sI sO sO sO sO sO so}",
		    "id", (json_int_t)ids[i], "name", json_object_get(e,
		    "name"), "village", json_object_get(e, "village"), "lead",
		    json_object_get(e, "lead"), "keep", json_object_get(e,
		    "keep"), "contact", json_object_get(e, "contact"), "check",
		    json_object_get(checks, key) ? json_incref(json_object_get(
		    checks, key)) : json_null()));
		json_decref(e);
	}
	json_decref(checks);
	*rc = DB_OK;
	return out;
}

int
enterprise_spotcheck_page(struct web *w)
{
	json_t	*sample;
	int64_t	 first, last;
	char	 month[8];
	int	 st, rc;

	if ((st = query_month(w, &first, &last, month)) != 0)
		return st;
	if ((sample = sample_of(w, first, last, month, &rc)) == NULL)
		return web_db_fail(w, rc);
	w->model = json_pack("{ss so si si s{ss ss ss ss ss} s{so so}}",
	    "month", month, "sample", sample, "percent", ENT_SAMPLE_PERCENT,
	    "min", ENT_SAMPLE_MIN, "form", "month", month, "enterprise_id", "",
	    "result", "", "level", "", "note", "", "options", "result",
	    label_opts(ent_check_results, NULL), "level",
	    label_opts(ent_levels, NULL));
	return 200;
}

int
enterprise_spotcheck_post(struct web *w)
{
	static const struct field f[] = {
		{ "month", "月份", F_TEXT, true, 6, 10, NULL },
		{ "enterprise_id", "企业", F_ID, true, 0, 0, NULL },
		{ "result", "抽查结果", F_ENUM, true, 0, 0, NULL },
		{ "level", "测评等次", F_ENUM, true, 0, 0, NULL },
		{ "note", "抽查情况", F_MULTILINE, false, 0, 500, NULL },
	};
	struct field		 ff[5];
	struct value		 v[5];
	int64_t			 mid = 0;
	bool			 opened = false;
	struct audit_actor	 who = web_audit_actor(w);
	json_t			*sample, *s;
	int64_t			 first, last;
	char			 month[8];
	size_t			 i;
	bool			 in = false;
	int			 st, rc;

	memcpy(ff, f, sizeof(ff));
	ff[2].enums = ent_names(ent_check_results);
	ff[3].enums = ent_names(ent_levels);
	if ((st = input_check(w, ff, 5, v)) != 0)
		return st;
	if (ent_month_parse(v[0].s, &first, &last) != 0)
		return web_fail(w, 422, "invalid",
		    "「月份」应为年月，如 2026-11", "month");
	ent_month_of(first, month);
	if (first > date_today_cn())
		return web_fail(w, 422, "invalid", "不能抽查以后的月份",
		    "month");
	if ((sample = sample_of(w, first, last, month, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_array_foreach(sample, i, s)
		if (json_integer_value(json_object_get(s, "id")) == v[1].i)
			in = true;
	json_decref(sample);
	if (!in)
		return web_fail(w, 422, "invalid",
		    "该企业不在本月抽查名单中", "enterprise_id");
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = ent_spotcheck_save(w->db, &w->scope, month, v[1].i, v[2].s,
	    v[3].s, v[4].present ? v[4].s : "", &who, w->now);
	/* 一般 or worse, as the enterprise told the leader: the opinion. */
	if (rc == DB_OK && !str_eq(v[2].s, "unreachable") &&
	    ent_level_bad(v[3].s)) {
		rc = enterprise_opinion_open(w, v[1].i, month, v[3].s,
		    "spotcheck", v[4].present ? v[4].s : "", &mid, &opened);
		if (rc == DB_DONE)
			rc = DB_OK;	/* no patron: nobody to supervise */
	}
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{ss sI ss ss sb}", "month", month,
	    "enterprise_id", (json_int_t)v[1].i, "result", v[2].s, "level",
	    v[3].s, "opinion_opened", opened);
	json_object_set_new(w->model, "opinion_id", mid ? json_integer(mid) :
	    json_null());
	return web_done(w, 201, web_printf(w, "/enterprises/spotcheck?month=%s",
	    month));
}

int
enterprise_opinion_open(struct web *w, int64_t ent, const char *month,
    const char *level, const char *source, const char *note, int64_t *mid,
    bool *opened)
{
	struct matter_new	 in;
	struct matter_actor	 who = matter_actor_of(w);
	json_t			*e, *details;
	int64_t			 patron, from, village, lid;
	const char		*name;
	char			 code[32];
	bool			 rated;
	int			 rc;

	*opened = false;
	if ((*mid = ent_opinion_get(w->db, ent, month)) != 0)
		return *mid < 0 ? (int)*mid : DB_OK;
	if ((rc = ent_patron_now(w->db, ent, "lead", &patron, &from)) != DB_OK)
		return rc;
	if (patron == 0 && (rc = ent_patron_now(w->db, ent, "keep", &patron,
	    &from)) != DB_OK)
		return rc;
	if (patron == 0)
		return DB_DONE;
	if ((e = ent_get(w->db, &w->scope, ent, &rc)) == NULL)
		return rc < 0 ? rc : DB_DONE;
	name = web_printf(w, "%s", json_string_value(json_object_get(e,
	    "name")));
	village = json_integer_value(json_object_get(e, "village_id"));
	json_decref(e);
	details = json_pack("{sI ss ss ss ss}", "enterprise_id", (json_int_t)ent,
	    "enterprise", name, "month", month, "level", level, "level_label",
	    ent_label(ent_levels, level) ? ent_label(ent_levels, level) : "");
	memset(&in, 0, sizeof(in));
	in.type = matter_type_get("supervision_opinion");
	in.title = web_printf(w, "%s %s满意度测评为“%s”", name, month,
	    ent_label(ent_levels, level) ? ent_label(ent_levels, level) : "");
	in.body = web_printf(w, "企业对包抓干部的%s满意度测评结果为“%s”。请及时"
	    "了解原因、改进帮扶工作，并在反馈期限内报告整改情况。%s%s", month,
	    ent_label(ent_levels, level) ? ent_label(ent_levels, level) : "",
	    note && *note ? "抽查情况：" : "", note ? note : "");
	in.source = source;
	in.place = name;
	in.village_id = village;
	in.lead_id = patron;
	in.resolver_id = patron;
	in.clock_day = date_today_cn();
	in.details = details;
	in.search = name;
	in.note = "督办意见：企业满意度测评“一般”及以下";
	rc = matter_create(w->db, &w->scope, &in, matter_cal(w->db), &who,
	    w->now, mid, code);
	json_decref(details);
	if (rc == DB_OK)
		rc = ent_link_matter(w->db, *mid, ent, patron);
	if (rc == DB_OK)
		rc = ent_opinion_add(w->db, ent, month, *mid, source);
	/*
	 * The month's unused link goes: a rating through it would open a
	 * second opinion for the same month (the rule fires per link).
	 */
	if (rc == DB_OK && (rc = ent_rating_link_get(w->db,
	    w->scope.township_id, ent, month, &lid, &rated)) == DB_OK &&
	    lid != 0 && !rated)
		rc = rating_revoke_record(w->db, "enterprise", lid, w->now);
	if (rc == DB_OK)
		*opened = true;
	return rc;
}

/* How issuing a month's link went. */
enum { LINK_OK = 0, LINK_NO_PATRON = 1, LINK_RATED = 2 };

/*
 * Issue (or issue anew) the month's rating link of an enterprise for its
 * patron (the 包抓 leader, else the 包保 cadre), in the caller's
 * transaction: earlier unused links of the month are revoked.  LINK_*,
 * or < 0.
 */
static int
issue_link(struct web *w, int64_t ent, int64_t village, const char *month,
    char token[SECRET_TOKEN_LEN + 1], int64_t *patron)
{
	struct audit_actor	 who = web_audit_actor(w);
	struct rating_issue	 in;
	int64_t			 from, lid, tid, op;
	bool			 rated;
	int			 rc;

	if ((rc = ent_patron_now(w->db, ent, "lead", patron, &from)) != DB_OK)
		return rc;
	if (*patron == 0 && (rc = ent_patron_now(w->db, ent, "keep", patron,
	    &from)) != DB_OK)
		return rc;
	if (*patron == 0)
		return LINK_NO_PATRON;
	if ((rc = ent_rating_link_get(w->db, w->scope.township_id, ent, month,
	    &lid, &rated)) != DB_OK)
		return rc;
	if (rated)
		return LINK_RATED;
	/* A spot-check already found the month 一般 or worse: one opinion. */
	if ((op = ent_opinion_get(w->db, ent, month)) != 0)
		return op < 0 ? (int)op : LINK_RATED;
	if ((rc = ent_rating_link_save(w->db, w->scope.township_id, ent, month,
	    *patron, w->actor.person_id, &who, w->now, &lid)) != DB_OK ||
	    (rc = rating_revoke_record(w->db, "enterprise", lid, w->now)) !=
	    DB_OK)
		return rc;
	memset(&in, 0, sizeof(in));
	in.township_id = w->scope.township_id;
	in.scale = "enterprise";
	in.purpose = "enterprise";
	in.aspect = "";
	in.subject_kind = "person";
	in.subject_id = *patron;
	in.village_id = village;
	in.record_id = lid;
	in.issued_by = w->actor.id;
	in.ttl_hours = 24 * 31;		/* a month to answer */
	return rating_issue(w->db, &in, w->now, token, &tid);
}

int
enterprise_link_post(struct web *w)
{
	char		 token[SECRET_TOKEN_LEN + 1], month[8];
	const char	*path;
	int64_t		 id, village, patron = 0;
	int		 st, rc;

	if ((st = route_enterprise(w, &id, &village)) != 0)
		return st;
	ent_month_of(date_today_cn(), month);
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = issue_link(w, id, village, month, token, &patron);
	if (rc == LINK_NO_PATRON || rc == LINK_RATED) {
		(void)db_end(w->db, DB_ERROR);	/* nothing written: undo */
		return rc == LINK_RATED ? web_fail(w, 409, "rated",
		    "该企业本月已经评价过（或已下发督办意见），不能再生成评价链接", NULL) :
		    web_fail(w, 422, "invalid", "该企业还没有包抓（包保）干部，"
		    "请先指派", NULL);
	}
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	path = web_printf(w, "/r/%s", token);
	w->model = json_pack("{ss ss ss ss ss ss sI ss sI}", "token", token,
	    "url", rating_url(w, path), "qr", web_printf(w, "%s/qr.svg", path),
	    "what", web_printf(w, "%s企业满意度测评链接", month), "back", "返回企业", "back_href",
	    web_printf(w, "/enterprises/%" PRId64, id), "enterprise_id",
	    (json_int_t)id, "month", month, "patron_id", (json_int_t)patron);
	w->tmpl = "rating_link";
	return w->api ? 201 : 200;
}

int
enterprise_links_page(struct web *w)
{
	char	 month[8];

	ent_month_of(date_today_cn(), month);
	w->model = json_pack("{ss sb so}", "month", month, "issued", false,
	    "links", json_array());
	json_object_set_new(w->model, "skipped", json_array());
	return 200;
}

/*
 * Every enterprise of the township gets this month's link for its patron
 * (those already rated this month and those without a patron are listed
 * as skipped).  The links are shown once: only their hashes are kept.
 */
int
enterprise_links_post(struct web *w)
{
	json_t		*items, *e, *links, *skipped;
	char		 token[SECRET_TOKEN_LEN + 1], month[8];
	const char	*path, *name;
	int64_t		 id, village, patron;
	size_t		 i;
	int		 rc, r = DB_OK;

	ent_month_of(date_today_cn(), month);
	if ((items = ent_list(w->db, &w->scope, 0, &rc)) == NULL)
		return web_db_fail(w, rc);
	links = json_array();
	skipped = json_array();
	if ((rc = db_begin(w->db)) != DB_OK) {
		json_decref(items);
		return web_db_fail(w, rc);
	}
	json_array_foreach(json_object_get(items, "items"), i, e) {
		id = json_integer_value(json_object_get(e, "id"));
		village = json_integer_value(json_object_get(e, "village_id"));
		name = json_string_value(json_object_get(e, "name"));
		if ((r = issue_link(w, id, village, month, token, &patron)) < 0)
			break;
		if (r != LINK_OK) {
			json_array_append_new(skipped, json_pack("{sI ss ss}",
			    "enterprise_id", (json_int_t)id, "name", name, "why",
			    r == LINK_RATED ? "本月已评价或已督办" : "没有包抓干部"));
			r = DB_OK;
			continue;
		}
		path = web_printf(w, "/r/%s", token);
		json_array_append_new(links, json_pack("{sI ss sO sO ss ss}",
		    "enterprise_id", (json_int_t)id, "name", name, "lead",
		    json_object_get(e, "lead"), "keep", json_object_get(e,
		    "keep"), "url", rating_url(w, path), "qr",
		    web_printf(w, "%s/qr.svg", path)));
	}
	json_decref(items);
	if ((rc = db_end(w->db, r)) != DB_OK) {
		json_decref(links);
		json_decref(skipped);
		return web_db_fail(w, rc);
	}
	w->model = json_pack("{ss sb so so}", "month", month, "issued", true,
	    "links", links, "skipped", skipped);
	w->tmpl = "enterprise_links";
	return w->api ? 201 : 200;
}

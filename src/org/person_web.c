/* person_web.c: the people ledger, masked contacts and the audited full view. */
#include <inttypes.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/role.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "db/db.h"
#include "html/html.h"
#include "org/org.h"
#include "org/org_web.h"
#include "web/input.h"
#include "web/options.h"
#include "web/web.h"

#define PEOPLE_EDIT	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | ROLE_VILLAGE)

static const char *const kinds[] = { "cadre", "citizen", NULL };
static const char *const sexes[] = { "M", "F", NULL };

static const struct field person_fields[] = {
	{ "name", "姓名", F_TEXT, true, 1, 32, NULL },
	{ "kind", "类别", F_ENUM, false, 0, 0, kinds },
	{ "sex", "性别", F_ENUM, false, 0, 0, sexes },
	{ "birth_year", "出生年份", F_INT, false, 1900, 2100, NULL },
	{ "village_id", "所属村", F_ID, false, 0, 0, NULL },
	{ "group_id", "所属组", F_ID, false, 0, 0, NULL },
	{ "address", "住址", F_TEXT, false, 0, 100, NULL },
	{ "phone", "联系电话", F_PHONE, false, 0, 0, NULL },
	{ "id_number", "身份证号", F_IDNO, false, 0, 0, NULL },
	{ "note", "备注", F_MULTILINE, false, 0, 500, NULL },
};
enum { PF_NAME, PF_KIND, PF_SEX, PF_BIRTH, PF_VILLAGE, PF_GROUP, PF_ADDRESS,
    PF_PHONE, PF_IDNO, PF_NOTE, PF__MAX };

static int64_t
query_id(struct web *w, const char *name)
{
	int64_t	 id;

	if (str_to_int64(req_query(w->req, name), 1, INT64_MAX, &id) != 0)
		return 0;
	return id;
}

int
person_list(struct web *w)
{
	struct person_filter	 f;
	json_t			*res, *villages, *units, *it;
	const char		*kind = req_query(w->req, "kind");
	struct buf		 next = BUF_INIT;
	int64_t			 start = 1, lim;
	size_t			 i;
	int			 rc;

	memset(&f, 0, sizeof(f));
	f.village_id = query_id(w, "village");
	f.unit_id = query_id(w, "unit");
	f.q = req_query(w->req, "q");
	if (f.q != NULL && utf8_len(f.q) > 64)
		return web_fail(w, 422, "invalid", "搜索内容过长", "q");
	f.kind = str_eq(kind, "cadre") || str_eq(kind, "citizen") ? kind :
	    NULL;
	f.limit = 50;
	if (req_query(w->req, "limit") != NULL) {
		if (str_to_int64(req_query(w->req, "limit"), 1, 200, &lim) != 0)
			return web_fail(w, 422, "invalid",
			    "每页条数应为1到200", "limit");
		f.limit = (int)lim;
	}
	if (req_query(w->req, "after") != NULL &&
	    str_to_int64(req_query(w->req, "after"), 0, INT64_MAX,
	    &f.after) != 0)
		return web_fail(w, 422, "invalid", "分页参数无效", "after");
	if (req_query(w->req, "start") != NULL &&
	    str_to_int64(req_query(w->req, "start"), 1, INT64_MAX, &start) != 0)
		start = 1;
	if ((res = org_people(w->db, &w->scope, &f, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_array_foreach(json_object_get(res, "items"), i, it)
		json_object_set_new(it, "seq", json_integer(start +
		    (int64_t)i));
	w->model = res;
	if (w->api)
		return 200;
	villages = org_village_names(w->db, &w->scope, &rc);
	units = villages ? org_unit_options(w->db, &w->scope, &rc) : NULL;
	if (units == NULL) {
		json_decref(villages);
		return web_db_fail(w, rc);
	}
	json_object_set_new(res, "options", json_pack("{so so so}",
	    "village", opt_villages(villages, f.village_id),
	    "unit", opt_ids(units, f.unit_id),
	    "kind", opt_list((const char *const[]){ "", "cadre", "citizen",
	    NULL }, (const char *const[]){ "全部", "干部", "群众", NULL },
	    f.kind ? f.kind : "")));
	json_decref(villages);
	json_decref(units);
	if (!json_is_null(json_object_get(res, "next"))) {
		buf_lit(&next, "/people?after=");
		buf_adds(&next, json_string_value(json_object_get(res,
		    "next")));
		buf_addf(&next, "&start=%" PRId64, start + f.limit);
		if (f.village_id)
			buf_addf(&next, "&village=%" PRId64, f.village_id);
		if (f.unit_id)
			buf_addf(&next, "&unit=%" PRId64, f.unit_id);
		if (f.kind)
			buf_addf(&next, "&kind=%s", f.kind);
		if (!str_empty(f.q)) {
			buf_lit(&next, "&q=");
			html_url_arg(&next, f.q);
		}
	}
	json_object_set_new(res, "next_url", next.len ?
	    json_string(next.data) : json_null());
	buf_release(&next);
	json_object_set_new(res, "filter", json_pack("{ss}", "q",
	    f.q ? f.q : ""));
	json_object_set_new(res, "can_edit", json_boolean(web_can(w,
	    PEOPLE_EDIT)));
	json_object_set_new(res, "scoped", json_boolean(w->scope.village_id));
	return 200;
}

int
person_show(struct web *w)
{
	int64_t	 id = web_param_id(w, "id");
	json_t	*p, *units, *villages;
	int	 rc;

	if (id == 0 || (p = org_person(w->db, &w->scope, id, &rc)) == NULL)
		return id && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	w->model = p;
	if (w->api)
		return 200;
	w->title = "人员信息";
	json_object_set_new(p, "can_edit", json_boolean(web_can(w,
	    PEOPLE_EDIT)));
	json_object_set_new(p, "can_contact", json_boolean(web_can(w,
	    PEOPLE_EDIT)));
	json_object_set_new(p, "can_post", json_boolean(web_can(w,
	    ROLE_LEADER | ROLE_MEMBER | ROLE_SYSADMIN)));
	units = org_unit_options(w->db, &w->scope, &rc);
	if (units == NULL)
		return web_db_fail(w, rc);
	villages = org_village_options(w->db, &w->scope, &rc);
	if (villages == NULL) {
		json_decref(units);
		return web_db_fail(w, rc);
	}
	json_object_set_new(p, "options", json_pack("{so so}", "unit_id",
	    opt_ids(units, 0), "village_id", opt_villages(villages, 0)));
	json_decref(units);
	json_decref(villages);
	json_object_set_new(p, "form", json_pack("{ss ss}", "title", "",
	    "started_on", ""));
	return 200;
}

static const char *const kind_labels[] = { "干部", "群众", NULL };
static const char *const sex_values[] = { "", "M", "F", NULL };
static const char *const sex_labels[] = { "未填", "男", "女", NULL };

static const char *
pstr(json_t *p, const char *key, const char *dflt)
{
	const char	*s = p ? json_string_value(json_object_get(p, key)) :
	    NULL;

	return s ? s : dflt;
}

/* The form model: values of an existing person, or blanks. */
int
person_form(struct web *w)
{
	int64_t		 id = web_param_id(w, "id");
	json_t		*p = NULL, *villages, *form, *opts;
	int64_t		 vsel, gsel;
	int		 rc;

	if (kv_get(&w->params, "id") != NULL) {
		if (id == 0 || (p = org_person(w->db, &w->scope, id,
		    &rc)) == NULL)
			return id && rc < 0 ? web_db_fail(w, rc) :
			    web_not_found(w);
	}
	villages = org_village_options(w->db, &w->scope, &rc);
	if (villages == NULL) {
		json_decref(p);
		return web_db_fail(w, rc);
	}
	vsel = p ? json_integer_value(json_object_get(p, "village_id")) :
	    w->scope.village_id;
	gsel = p ? json_integer_value(json_object_get(p, "group_id")) : 0;
	opts = json_pack("{so so so so}",
	    "kind", opt_list(kinds, kind_labels, pstr(p, "kind", "citizen")),
	    "sex", opt_list(sex_values, sex_labels, pstr(p, "sex", "")),
	    "village_id", opt_villages(villages, vsel),
	    "group_id", opt_groups(villages, gsel));
	json_decref(villages);
	form = json_pack("{ss ss ss ss ss ss}",
	    "name", pstr(p, "name", ""),
	    "birth_year", "",
	    "address", pstr(p, "address", ""),
	    "phone", "",
	    "id_number", "",
	    "note", pstr(p, "note", ""));
	if (p != NULL && json_is_integer(json_object_get(p, "birth_year")))
		json_object_set_new(form, "birth_year", json_sprintf("%lld",
		    (long long)json_integer_value(json_object_get(p,
		    "birth_year"))));
	w->model = json_pack("{so so so sb}", "form", form, "options", opts,
	    "person", p ? p : json_null(), "editing", p != NULL);
	return 200;
}

int
person_save(struct web *w)
{
	struct value		 v[PF__MAX];
	struct person_in	 in;
	struct audit_actor	 who = web_audit_actor(w);
	json_t			*detail, *fields;
	int64_t			 id = web_param_id(w, "id");
	bool			 editing = kv_get(&w->params, "id") != NULL;
	size_t			 i;
	int			 st, rc;

	if (editing && id == 0)
		return web_not_found(w);
	if (editing && w->api) {
		static const char *const sealed[] = { "phone", "id_number",
		    NULL };
		json_t	*cur = org_person(w->db, &w->scope, id, &rc);

		if (cur == NULL)
			return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
		input_patch(w, cur, person_fields, PF__MAX, sealed);
	}
	if ((st = input_check(w, person_fields, PF__MAX, v)) != 0)
		return st;
	memset(&in, 0, sizeof(in));
	in.name = v[PF_NAME].s;
	in.kind = v[PF_KIND].present ? v[PF_KIND].s : "citizen";
	in.sex = v[PF_SEX].present ? v[PF_SEX].s : NULL;
	in.birth_year = v[PF_BIRTH].present ? v[PF_BIRTH].i : 0;
	in.village_id = v[PF_VILLAGE].present ? v[PF_VILLAGE].i : 0;
	in.group_id = v[PF_GROUP].present ? v[PF_GROUP].i : 0;
	in.address = v[PF_ADDRESS].s;
	in.phone = v[PF_PHONE].present ? v[PF_PHONE].s : NULL;
	in.idno = v[PF_IDNO].present ? v[PF_IDNO].s : NULL;
	in.note = v[PF_NOTE].s;
	if (w->scope.village_id != 0) {
		if (in.village_id == 0)
			in.village_id = w->scope.village_id;
		else if (in.village_id != w->scope.village_id)
			return web_fail(w, 422, "invalid",
			    "只能登记本村的人员", "village_id");
	}
	if (in.group_id != 0 && in.village_id == 0)
		return web_fail(w, 422, "invalid", "选择了组，请同时选择所属村",
		    "village_id");
	if (in.village_id != 0) {
		rc = org_place_ok(w->db, &w->scope, in.village_id, in.group_id);
		if (rc < 0)
			return web_db_fail(w, rc);
		if (rc == 0)
			return web_fail(w, 422, "invalid",
			    "所属村或组不存在", in.group_id ? "group_id" :
			    "village_id");
	}
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = org_person_save(w->db, &w->scope, &id, &in, &w->req->arena);
	if (rc == DB_OK) {
		/* Which fields were sent, never their values. */
		fields = json_array();
		for (i = 0; i < PF__MAX; i++)
			if (v[i].present)
				json_array_append_new(fields,
				    json_string(person_fields[i].name));
		detail = json_pack("{so}", "fields", fields);
		rc = audit_write(w->db, &who, editing ? "person.update" :
		    "person.create", "person", id, true, detail);
		json_decref(detail);
	}
	rc = db_end(w->db, rc);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc != 0)
		return web_db_fail(w, rc);
	if ((w->model = org_person(w->db, &w->scope, id, &rc)) == NULL)
		return web_db_fail(w, rc < 0 ? rc : DB_UNAVAIL);
	return web_done(w, editing ? 200 : 201, web_printf(w,
	    "/people/%" PRId64, id));
}

int
person_contact_form(struct web *w)
{
	int64_t	 id = web_param_id(w, "id");
	json_t	*p;
	int	 rc;

	if (id == 0 || (p = org_person(w->db, &w->scope, id, &rc)) == NULL)
		return id && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	w->model = json_pack("{so s{ss ss} sn}", "person", p, "form",
	    "reason", "", "password", "", "contact");
	return 200;
}

/*
 * The full phone and ID number.  Needs a reason and a recent password
 * (the API checks the session's last sign-in via ROUTE_REAUTH; the page
 * asks for the password in the same form), and is audited with the
 * reason but never the values.
 */
int
person_contact(struct web *w)
{
	static const struct field f[] = {
		{ "reason", "查看事由", F_TEXT, true, 2, 100, NULL },
		{ "password", "密码", F_SECRET, false, 0, 0, NULL },
	};
	struct value		 v[2];
	struct audit_actor	 who = web_audit_actor(w);
	const char		*name, *phone, *idno, *reason;
	int64_t			 id = web_param_id(w, "id");
	json_t			*detail, *p;
	int			 st, rc;

	if (id == 0)
		return web_not_found(w);
	if (w->api) {
		reason = req_query(w->req, "reason");
		if (reason == NULL || utf8_has_control(reason, false) ||
		    utf8_len(reason) < 2 || utf8_len(reason) > 100)
			return web_fail(w, 422, "invalid",
			    "「查看事由」应为2到100个字", "reason");
	} else {
		if ((st = input_check(w, f, 2, v)) != 0)
			return st;
		reason = v[0].s;
		if (!v[1].present)
			return web_fail(w, 422, "invalid", "请输入您的密码",
			    "password");
		rc = auth_reauth(w->db, w->session_hash, &w->actor, v[1].s,
		    &who, w->now);
		if (rc == AUTH_UNAVAIL)
			return web_db_fail(w, DB_UNAVAIL);
		if (rc != AUTH_OK)
			return web_fail(w, 422, "bad_password", "密码不正确",
			    "password");
	}
	rc = org_person_contact(w->db, &w->scope, id, &w->req->arena, &name,
	    &phone, &idno);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	detail = json_pack("{ss}", "reason", reason);
	rc = audit_write_alone(w->db, &who, "person.contact", "person", id,
	    true, detail);
	json_decref(detail);
	if (rc != DB_OK)
		return web_db_fail(w, rc);	/* no audit, no data */
	w->model = json_pack("{sI ss ss? ss?}", "id", (json_int_t)id, "name",
	    name, "phone", phone, "id_number", idno);
	if (w->api)
		return 200;
	p = org_person(w->db, &w->scope, id, &rc);
	if (p == NULL)
		return web_db_fail(w, rc < 0 ? rc : DB_UNAVAIL);
	w->model = json_pack("{so so s{ss ss}}", "person", p, "contact",
	    w->model, "form", "reason", "", "password", "");
	return 200;
}

int
post_add(struct web *w)
{
	static const struct field f[] = {
		{ "title", "职务", F_TEXT, true, 1, 40, NULL },
		{ "unit_id", "所在站所", F_ID, false, 0, 0, NULL },
		{ "village_id", "所在村", F_ID, false, 0, 0, NULL },
		{ "started_on", "任职日期", F_DATE, true, 0, 0, NULL },
	};
	struct value		 v[4];
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 pid = web_param_id(w, "id"), id = 0;
	json_t			*p, *units, *u;
	size_t			 i;
	bool			 found = false;
	int			 st, rc;

	if (pid == 0 || (p = org_person(w->db, &w->scope, pid, &rc)) == NULL)
		return pid && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	json_decref(p);
	if ((st = input_check(w, f, 4, v)) != 0)
		return st;
	if (v[1].present == v[2].present)
		return web_fail(w, 422, "invalid",
		    "请选择所在站所或所在村（二选一）", "unit_id");
	if (v[1].present) {
		units = org_unit_options(w->db, &w->scope, &rc);
		if (units == NULL)
			return web_db_fail(w, rc);
		json_array_foreach(units, i, u)
			if (json_integer_value(json_object_get(u, "id")) ==
			    v[1].i)
				found = true;
		json_decref(units);
		if (!found)
			return web_fail(w, 422, "invalid", "站所不存在",
			    "unit_id");
	} else {
		rc = org_place_ok(w->db, &w->scope, v[2].i, 0);
		if (rc < 0)
			return web_db_fail(w, rc);
		if (rc == 0)
			return web_fail(w, 422, "invalid", "村不存在",
			    "village_id");
	}
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = org_post_add(w->db, &w->scope, pid, v[1].present ? v[1].i : 0,
	    v[2].present ? v[2].i : 0, v[0].s, v[3].s, &id);
	if (rc == DB_OK)
		rc = audit_write(w->db, &who, "post.create", "post", id, true,
		    NULL);
	if ((rc = db_end(w->db, rc)) != 0)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI}", "id", (json_int_t)id);
	return web_done(w, 201, web_printf(w, "/people/%" PRId64, pid));
}

int
post_end(struct web *w)
{
	static const struct field f[] = {
		{ "ended_on", "离任日期", F_DATE, false, 0, 0, NULL },
	};
	struct value		 v[1];
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id = web_param_id(w, "id"), pid = 0;
	const char		*started, *ended, *on;
	char			 today[11];
	int			 st, rc;

	if (id == 0)
		return web_not_found(w);
	if ((st = input_check(w, f, 1, v)) != 0)
		return st;
	rc = org_post_get(w->db, &w->scope, id, &w->req->arena, &pid, &started,
	    &ended);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	if (ended != NULL)
		return web_fail(w, 409, "state", "该职务已经离任", NULL);
	date_iso(date_today_cn(), today);
	on = v[0].present ? v[0].s : today;
	if (strcmp(on, started) < 0)
		return web_fail(w, 422, "invalid", "离任日期不能早于任职日期",
		    "ended_on");
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = org_post_end(w->db, &w->scope, id, on, &pid);
	if (rc == DB_OK)
		rc = audit_write(w->db, &who, "post.end", "post", id, true,
		    NULL);
	rc = db_end(w->db, rc);
	if (rc == DB_DONE)
		return web_fail(w, 409, "state", "该职务已经离任", NULL);
	if (rc != 0)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI sI ss}", "id", (json_int_t)id, "person_id",
	    (json_int_t)pid, "ended_on", on);
	return web_done(w, 200, web_printf(w, "/people/%" PRId64, pid));
}

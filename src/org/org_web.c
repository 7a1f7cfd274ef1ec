/* org_web.c: routes for the township, its units, villages and groups. */
#include <inttypes.h>
#include <string.h>

#include "auth/role.h"
#include "base/str.h"
#include "db/db.h"
#include "org/org.h"
#include "org/org_web.h"
#include "web/input.h"
#include "web/options.h"
#include "web/web.h"

/* Who may change the organisation tree. */
#define ORG_EDIT	(ROLE_LEADER | ROLE_SYSADMIN)

int
org_townships(struct web *w)
{
	const char	*name = org_township_name(w->db, w->scope.township_id,
	    &w->req->arena);

	w->model = json_pack("{s[{sI ss*}]}", "items", "id",
	    (json_int_t)w->scope.township_id, "name", name);
	return 200;
}

int
unit_list(struct web *w)
{
	json_t	*items;
	int	 rc;

	if ((items = org_units(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	w->model = json_pack("{so sb}", "items", items, "can_edit",
	    web_can(w, ORG_EDIT));
	return 200;
}

int
unit_show(struct web *w)
{
	int64_t	 id = web_param_id(w, "id");
	json_t	*u;
	int	 rc;

	if (id == 0 || (u = org_unit(w->db, &w->scope, id, &rc)) == NULL)
		return id && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	json_object_set_new(u, "can_edit", json_boolean(web_can(w, ORG_EDIT)));
	w->model = u;
	w->title = "站所详情";
	return 200;
}

int
unit_form(struct web *w)
{
	int64_t	 id = web_param_id(w, "id");
	json_t	*u = NULL;
	int	 rc;

	if (kv_get(&w->params, "id") != NULL) {
		if (id == 0 || (u = org_unit(w->db, &w->scope, id, &rc)) ==
		    NULL)
			return id && rc < 0 ? web_db_fail(w, rc) :
			    web_not_found(w);
		w->title = "修改站所";
	}
	w->model = json_pack("{s{so so so so ss ss} so sb}",
	    "form",
	    "name", u ? json_incref(json_object_get(u, "name")) :
	    json_string(""),
	    "phone", u ? json_incref(json_object_get(u, "phone")) :
	    json_string(""),
	    "duties", u ? json_incref(json_object_get(u, "duties")) :
	    json_string(""),
	    "sort", u ? json_sprintf("%lld", (long long)json_integer_value(
	    json_object_get(u, "sort"))) : json_string("0"),
	    "active", u && !json_is_true(json_object_get(u, "active")) ? "" :
	    "on",
	    "supervises", u && json_is_true(json_object_get(u, "supervises")) ?
	    "on" : "",
	    "options", json_pack("{so}", "kind", opt_list(unit_kinds,
	    unit_kind_labels, u ? json_string_value(json_object_get(u,
	    "kind")) : "station")),
	    "editing", u != NULL);
	if (u != NULL)
		json_object_set_new(w->model, "id", json_incref(
		    json_object_get(u, "id")));
	json_decref(u);
	return 200;
}

int
unit_save(struct web *w)
{
	static const struct field f[] = {
		{ "name", "名称", F_TEXT, true, 1, 40, NULL },
		{ "kind", "类型", F_ENUM, true, 0, 0, unit_kinds },
		{ "phone", "办公电话", F_TEXT, false, 0, 20, NULL },
		{ "duties", "职责", F_MULTILINE, false, 0, 500, NULL },
		{ "sort", "排序", F_INT, false, 0, 9999, NULL },
		{ "active", "在用", F_BOOL, false, 0, 0, NULL },
		{ "supervises", "督办单位", F_BOOL, false, 0, 0, NULL },
	};
	struct value		 v[7];
	struct unit_in		 in;
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id = web_param_id(w, "id");
	bool			 editing = kv_get(&w->params, "id") != NULL;
	int			 st, rc;

	if (editing && id == 0)
		return web_not_found(w);
	if (editing && w->api) {
		json_t	*cur = org_unit(w->db, &w->scope, id, &rc);

		if (cur == NULL)
			return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
		input_patch(w, cur, f, 7, NULL);
	}
	if ((st = input_check(w, f, 7, v)) != 0)
		return st;
	in.name = v[0].s;
	in.kind = v[1].s;
	in.phone = v[2].s;
	in.duties = v[3].s;
	in.sort = v[4].present ? v[4].i : 0;
	in.active = v[5].present ? v[5].i != 0 : true;
	in.supervises = v[6].present && v[6].i != 0;
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = org_unit_save(w->db, &w->scope, &id, &in);
	if (rc == DB_OK)
		rc = audit_write(w->db, &who, editing ? "unit.update" :
		    "unit.create", "unit", id, true, NULL);
	rc = db_end(w->db, rc);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc == DB_CONSTRAINT)
		return web_fail(w, 409, "conflict", "已有同名的站所", "name");
	if (rc != 0)
		return web_db_fail(w, rc);
	if ((w->model = org_unit(w->db, &w->scope, id, &rc)) == NULL)
		return web_db_fail(w, rc < 0 ? rc : DB_UNAVAIL);
	return web_done(w, editing ? 200 : 201, web_printf(w,
	    "/units/%" PRId64, id));
}

int
village_list(struct web *w)
{
	json_t	*items;
	int	 rc;

	if ((items = org_villages(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	w->model = json_pack("{so sb}", "items", items, "can_edit",
	    web_can(w, ORG_EDIT));
	return 200;
}

int
village_show(struct web *w)
{
	int64_t	 id = web_param_id(w, "id");
	json_t	*v;
	int	 rc;

	if (id == 0 || (v = org_village(w->db, &w->scope, id, &rc)) == NULL)
		return id && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	json_object_set_new(v, "can_edit", json_boolean(web_can(w, ORG_EDIT)));
	json_object_set_new(v, "form", json_pack("{ss ss}", "name", "",
	    "sort", "0"));
	w->model = v;
	w->title = "村组详情";
	return 200;
}

int
village_form(struct web *w)
{
	int64_t	 id = web_param_id(w, "id");
	json_t	*v = NULL;
	int	 rc;

	if (kv_get(&w->params, "id") != NULL) {
		if (id == 0 || (v = org_village(w->db, &w->scope, id,
		    &rc)) == NULL)
			return id && rc < 0 ? web_db_fail(w, rc) :
			    web_not_found(w);
		w->title = "修改村";
	}
	w->model = json_pack("{s{so so} sb}", "form",
	    "name", v ? json_incref(json_object_get(v, "name")) :
	    json_string(""),
	    "sort", v ? json_sprintf("%lld", (long long)json_integer_value(
	    json_object_get(v, "sort"))) : json_string("0"),
	    "editing", v != NULL);
	json_object_set_new(w->model, "id", v ? json_incref(json_object_get(v,
	    "id")) : json_null());
	json_decref(v);
	return 200;
}

int
village_save(struct web *w)
{
	static const struct field f[] = {
		{ "name", "村名", F_TEXT, true, 1, 40, NULL },
		{ "sort", "排序", F_INT, false, 0, 9999, NULL },
	};
	struct value		 v[2];
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id = web_param_id(w, "id");
	bool			 editing = kv_get(&w->params, "id") != NULL;
	int			 st, rc;

	if (editing && id == 0)
		return web_not_found(w);
	if (editing && w->api) {
		json_t	*cur = org_village(w->db, &w->scope, id, &rc);

		if (cur == NULL)
			return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
		input_patch(w, cur, f, 2, NULL);
	}
	if ((st = input_check(w, f, 2, v)) != 0)
		return st;
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = org_village_save(w->db, &w->scope, &id, v[0].s,
	    v[1].present ? v[1].i : 0);
	if (rc == DB_OK)
		rc = audit_write(w->db, &who, editing ? "village.update" :
		    "village.create", "village", id, true, NULL);
	rc = db_end(w->db, rc);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc == DB_CONSTRAINT)
		return web_fail(w, 409, "conflict", "已有同名的村", "name");
	if (rc != 0)
		return web_db_fail(w, rc);
	if ((w->model = org_village(w->db, &w->scope, id, &rc)) == NULL)
		return web_db_fail(w, rc < 0 ? rc : DB_UNAVAIL);
	return web_done(w, editing ? 200 : 201, web_printf(w,
	    "/villages/%" PRId64, id));
}

/* A group's name and sort order, as the add and rename forms send them. */
static const struct field group_fields[] = {
	{ "name", "组名", F_TEXT, true, 1, 40, NULL },
	{ "sort", "排序", F_INT, false, 0, 9999, NULL },
};

/*
 * Check and write a group of village "vid" (a new one when *gid is 0),
 * with its audit record; answer 201 or 200 back to the village.
 */
static int
group_write(struct web *w, int64_t vid, int64_t *gid)
{
	struct value		 v[2];
	struct audit_actor	 who = web_audit_actor(w);
	bool			 adding = *gid == 0;
	int			 st, rc;

	if ((st = input_check(w, group_fields, 2, v)) != 0)
		return st;
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = org_group_save(w->db, &w->scope, vid, gid, v[0].s,
	    v[1].present ? v[1].i : 0);
	if (rc == DB_OK)
		rc = audit_write(w->db, &who, adding ? "group.create" :
		    "group.update", "village_group", *gid, true, NULL);
	rc = db_end(w->db, rc);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc == DB_CONSTRAINT)
		return web_fail(w, 409, "conflict", "该村已有同名的组", "name");
	if (rc != 0)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI sI ss}", "id", (json_int_t)*gid,
	    "village_id", (json_int_t)vid, "name", v[0].s);
	return web_done(w, adding ? 201 : 200, web_printf(w,
	    "/villages/%" PRId64, vid));
}

int
group_add(struct web *w)
{
	int64_t	 vid = web_param_id(w, "id"), id = 0;

	if (vid == 0)
		return web_not_found(w);
	return group_write(w, vid, &id);
}

/* A group of the village in the route, or NULL (404). */
static json_t *
find_group(struct web *w, int64_t vid, int64_t gid, int *rc)
{
	json_t	*v, *g, *found = NULL;
	size_t	 i;

	if ((v = org_village(w->db, &w->scope, vid, rc)) == NULL)
		return NULL;
	json_array_foreach(json_object_get(v, "groups"), i, g)
		if (json_integer_value(json_object_get(g, "id")) == gid)
			found = json_incref(g);
	if (found != NULL)
		json_object_set(found, "village", json_object_get(v, "name"));
	json_decref(v);
	return found;
}

int
group_form(struct web *w)
{
	int64_t	 vid = web_param_id(w, "id"), gid = web_param_id(w, "gid");
	json_t	*g;
	int	 rc = DB_OK;

	if (vid == 0 || gid == 0 || (g = find_group(w, vid, gid, &rc)) == NULL)
		return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	w->model = json_pack("{sI sI so s{so so}}", "village_id",
	    (json_int_t)vid, "id", (json_int_t)gid, "village",
	    json_incref(json_object_get(g, "village")), "form", "name",
	    json_incref(json_object_get(g, "name")), "sort", json_sprintf(
	    "%lld", (long long)json_integer_value(json_object_get(g,
	    "sort"))));
	json_decref(g);
	return 200;
}

int
group_save(struct web *w)
{
	int64_t	 vid = web_param_id(w, "id"), gid = web_param_id(w, "gid");
	json_t	*g;
	int	 rc = DB_OK;

	if (vid == 0 || gid == 0 || (g = find_group(w, vid, gid, &rc)) == NULL)
		return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	input_patch(w, g, group_fields, 2, NULL);
	json_decref(g);
	return group_write(w, vid, &gid);
}

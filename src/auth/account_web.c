/* account_web.c: account administration, with the admin powers separated. */

/*
 * The system admin creates, disables and resets accounts and asks for
 * roles; only the security admin grants roles; nobody changes their own
 * account here (三权分立).
 */
#include <inttypes.h>
#include <string.h>

#include "auth/account.h"
#include "auth/account_web.h"
#include "auth/auth.h"
#include "auth/policy.h"
#include "auth/role.h"
#include "base/str.h"
#include "db/db.h"
#include "org/org.h"
#include "web/app.h"
#include "web/input.h"
#include "web/options.h"
#include "web/web.h"

static const char *const role_keys[] = { "leader", "member", "staff",
    "village", "cleaner", "inspector", "sysadmin", "secadmin", "auditor",
    NULL };

static json_t *
role_options(unsigned checked)
{
	json_t		*a = json_array();
	unsigned	 bit;

	for (bit = 1; bit < (1u << ROLE_COUNT); bit <<= 1)
		json_array_append_new(a, json_pack("{ss ss sb sb}", "name",
		    role_name(bit), "label", role_label(bit), "checked",
		    (checked & bit) != 0, "admin", (bit & ROLE_ADMINS) != 0));
	return a;
}

static unsigned
roles_of(const struct value *v)
{
	unsigned	 r = 0;
	size_t		 i;

	for (i = 0; i < v->n; i++)
		r |= role_parse(v->list[i]);
	return r;
}

static int
activation_hours(struct web *w)
{
	struct policy	 p;

	policy_get(w->db, &p);
	return p.activation_h;
}

/* The link a new user opens to set a password. */
static const char *
activation_url(struct web *w, const char *token)
{
	const char	*host = req_header(w->req, "host");

	if (app_public_url_set())
		return web_printf(w, "%s/activate/%s", app_public_url(), token);
	if (host != NULL && strchr(host, '/') == NULL &&
	    strchr(host, '"') == NULL && strlen(host) < 256)
		return web_printf(w, "%s://%s/activate/%s",
		    w->req->tls ? "https" : "http", host, token);
	return web_printf(w, "%s/activate/%s", app_public_url(), token);
}

int
account_list_page(struct web *w)
{
	json_t	*items;
	int	 rc;

	items = account_list(w->db, w->scope.township_id, &rc);
	if (items == NULL)
		return web_db_fail(w, rc);
	w->model = json_pack("{so sb sb}", "items", items, "can_create",
	    web_can(w, ROLE_SYSADMIN), "can_grant", web_can(w, ROLE_SECADMIN));
	return 200;
}

static int
load(struct web *w, int64_t *id, json_t **acc)
{
	int	 rc;

	*id = web_param_id(w, "id");
	if (*id == 0 || (*acc = account_get(w->db, w->scope.township_id, *id,
	    &rc)) == NULL)
		return *id && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	return 0;
}

int
account_show(struct web *w)
{
	json_t		*acc, *r, *it;
	int64_t		 id;
	unsigned	 roles = 0;
	size_t		 i;
	int		 st;

	if ((st = load(w, &id, &acc)) != 0)
		return st;
	r = json_object_get(acc, "roles");
	json_array_foreach(r, i, it)
		roles |= role_parse(json_string_value(it));
	if (roles == 0) {
		r = json_object_get(acc, "roles_requested");
		json_array_foreach(r, i, it)
			roles |= role_parse(json_string_value(it));
	}
	json_object_set_new(acc, "self", json_boolean(id == w->actor.id));
	json_object_set_new(acc, "can_manage", json_boolean(web_can(w,
	    ROLE_SYSADMIN) && id != w->actor.id));
	json_object_set_new(acc, "can_grant", json_boolean(web_can(w,
	    ROLE_SECADMIN) && id != w->actor.id));
	json_object_set_new(acc, "role_options", role_options(roles));
	json_object_set_new(acc, "form", json_object());
	w->model = acc;
	w->title = "账号详情";
	return 200;
}

int
account_form(struct web *w)
{
	json_t	*cands, *villages;
	int	 rc;

	if ((cands = account_candidates(w->db, w->scope.township_id,
	    &rc)) == NULL)
		return web_db_fail(w, rc);
	if ((villages = org_village_options(w->db, &w->scope, &rc)) == NULL) {
		json_decref(cands);
		return web_db_fail(w, rc);
	}
	{
		json_t	*c, *people = json_array();
		size_t	 i;

		json_array_foreach(cands, i, c) {
			const char	*vn = json_string_value(
			    json_object_get(c, "village"));

			json_array_append_new(people, json_pack("{sO s+}",
			    "id", json_object_get(c, "id"), "name",
			    json_string_value(json_object_get(c, "name")),
			    vn ? web_printf(w, "（%s）", vn) : ""));
		}
		w->model = json_pack("{s{ss} s{so so} so si}", "form", "login",
		    "", "options", "person_id", opt_ids(people, 0),
		    "village_id", opt_villages(villages, 0), "role_options",
		    role_options(0), "activation_h", activation_hours(w));
		json_decref(people);
	}
	json_decref(cands);
	json_decref(villages);
	return 200;
}

int
account_new(struct web *w)
{
	static const struct field f[] = {
		{ "login", "登录名", F_LOGIN, true, 0, 0, NULL },
		{ "person_id", "对应人员", F_ID, false, 0, 0, NULL },
		{ "village_id", "所属村（村组干部必填）", F_ID, false, 0, 0,
		    NULL },
		{ "roles", "申请角色", F_LIST, true, 0, 0, role_keys },
	};
	struct value		 v[4];
	struct account_in	 in;
	struct audit_actor	 who = web_audit_actor(w);
	char			 token[SECRET_TOKEN_LEN + 1];
	const char		*url;
	json_t			*detail;
	int64_t			 id = 0;
	int			 st, rc;

	if ((st = input_check(w, f, 4, v)) != 0)
		return st;
	memset(&in, 0, sizeof(in));
	in.township_id = w->scope.township_id;
	in.login = v[0].s;
	in.person_id = v[1].present ? v[1].i : 0;
	in.village_id = v[2].present ? v[2].i : 0;
	in.roles_requested = roles_of(&v[3]);
	if (!role_valid_set(in.roles_requested))
		return web_fail(w, 422, "invalid", "管理员角色只能单独授予，"
		    "不能与其他角色同时申请（三权分立）", "roles");
	if ((in.roles_requested & ROLE_VILLAGE) && in.village_id == 0)
		return web_fail(w, 422, "invalid", "村组干部须指定所属村",
		    "village_id");
	if (in.village_id != 0 &&
	    (rc = org_place_ok(w->db, &w->scope, in.village_id, 0)) != 1)
		return rc < 0 ? web_db_fail(w, rc) : web_fail(w, 422,
		    "invalid", "所属村不存在", "village_id");
	if (in.person_id != 0) {
		json_t	*p = org_person(w->db, &w->scope, in.person_id, &rc);

		if (p == NULL)
			return rc < 0 ? web_db_fail(w, rc) : web_fail(w, 422,
			    "invalid", "对应人员不存在", "person_id");
		json_decref(p);
	}
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = account_create(w->db, &in, w->now, &id);
	if (rc == DB_OK)
		rc = auth_activation_new(w->db, id, w->actor.id, w->now, token);
	if (rc == DB_OK) {
		detail = json_pack("{ss so}", "login", in.login,
		    "roles_requested", json_integer(in.roles_requested));
		rc = audit_write(w->db, &who, "account.create", "account", id,
		    true, detail);
		json_decref(detail);
	}
	rc = db_end(w->db, rc);
	if (rc == DB_CONSTRAINT)
		return web_fail(w, 409, "conflict",
		    "该登录名已被使用，或该人员已有账号", "login");
	if (rc != 0)
		return web_db_fail(w, rc);
	url = activation_url(w, token);
	w->model = json_pack("{sI ss ss sb si}", "id", (json_int_t)id, "login",
	    in.login, "activation_url", url, "needs_grant", 1, "activation_h",
	    activation_hours(w));
	w->tmpl = "account_created";
	w->title = "账号已创建";
	return 201;
}

/* The admin may not act on their own account (no self-escalation). */
static int
not_self(struct web *w, int64_t id)
{
	struct audit_actor	 who;
	json_t			*d;

	if (id != w->actor.id)
		return 0;
	who = web_audit_actor(w);
	d = json_pack("{ss ss}", "route", w->api ? w->route->api :
	    w->route->path, "reason", "self");
	audit_write_alone(w->db, &who, "access.denied", "account", id, false,
	    d);
	json_decref(d);
	return web_fail(w, 403, "forbidden", "不能对自己的账号进行管理操作",
	    NULL);
}

enum action { ACT_DISABLE, ACT_ENABLE, ACT_UNLOCK, ACT_RESET };

static int
account_action(struct web *w, enum action act)
{
	static const char *const names[] = { "account.disable",
	    "account.enable", "account.unlock", "account.reset" };
	struct audit_actor	 who = web_audit_actor(w);
	char			 token[SECRET_TOKEN_LEN + 1];
	int64_t			 id = web_param_id(w, "id");
	int			 rc;

	if (id == 0)
		return web_not_found(w);
	if ((rc = not_self(w, id)) != 0)
		return rc;
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	switch (act) {
	case ACT_DISABLE:
		rc = account_set_status(w->db, w->scope.township_id, id,
		    "disabled", w->now);
		break;
	case ACT_ENABLE:
		rc = account_set_status(w->db, w->scope.township_id, id,
		    "active", w->now);
		break;
	case ACT_UNLOCK:
		rc = account_unlock(w->db, w->scope.township_id, id, w->now);
		break;
	case ACT_RESET:
		rc = account_reset(w->db, w->scope.township_id, id, w->now);
		if (rc == DB_OK)
			rc = auth_activation_new(w->db, id, w->actor.id,
			    w->now, token);
		break;
	}
	if (rc == DB_OK)
		rc = audit_write(w->db, &who, names[act], "account", id, true,
		    NULL);
	rc = db_end(w->db, rc);
	if (rc == DB_DONE)
		return act == ACT_ENABLE ? web_fail(w, 409, "state",
		    "该账号尚未激活，不能启用", NULL) : web_not_found(w);
	if (rc != 0)
		return web_db_fail(w, rc);
	if (act == ACT_RESET) {
		w->model = json_pack("{sI ss sb si}", "id", (json_int_t)id,
		    "activation_url", activation_url(w, token), "needs_grant",
		    0, "activation_h", activation_hours(w));
		json_object_set_new(w->model, "login", json_string(""));
		{
			int	 r2;
			json_t	*acc = account_get(w->db, w->scope.township_id,
			    id, &r2);

			if (acc != NULL)
				json_object_set(w->model, "login",
				    json_object_get(acc, "login"));
			json_decref(acc);
		}
		w->tmpl = "account_created";
		w->title = "已生成新的激活链接";
		return 200;
	}
	w->model = account_get(w->db, w->scope.township_id, id, &rc);
	return web_done(w, 200, web_printf(w, "/accounts/%" PRId64, id));
}

int
account_disable(struct web *w)
{
	return account_action(w, ACT_DISABLE);
}

int
account_enable(struct web *w)
{
	return account_action(w, ACT_ENABLE);
}

int
account_unlock_post(struct web *w)
{
	return account_action(w, ACT_UNLOCK);
}

int
account_reset_post(struct web *w)
{
	return account_action(w, ACT_RESET);
}

int
account_roles(struct web *w)
{
	static const struct field f[] = {
		{ "roles", "角色", F_LIST, false, 0, 0, role_keys },
	};
	struct value		 v[1];
	struct audit_actor	 who = web_audit_actor(w);
	unsigned		 roles, before = 0, cur;
	int64_t			 id = web_param_id(w, "id"), village = 0;
	json_t			*detail;
	int			 st, rc;

	if (id == 0)
		return web_not_found(w);
	if ((st = not_self(w, id)) != 0)
		return st;
	if (w->api && json_object_get(w->json, "roles") == NULL)
		return web_fail(w, 422, "invalid",
		    "请给出「角色」列表（空列表表示收回全部角色）", "roles");
	if ((st = input_check(w, f, 1, v)) != 0)
		return st;
	roles = roles_of(&v[0]);
	if (roles != 0 && !role_valid_set(roles))
		return web_fail(w, 422, "invalid", "管理员角色只能单独授予，"
		    "不能与其他角色兼任（三权分立）", "roles");
	rc = account_peek(w->db, w->scope.township_id, id, &cur, &village);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	if ((roles & ROLE_VILLAGE) && village == 0)
		return web_fail(w, 422, "invalid",
		    "该账号未指定所属村，不能授予村组干部角色", "roles");
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = account_set_roles(w->db, w->scope.township_id, id, roles, &before,
	    w->now);
	if (rc == DB_OK) {
		detail = json_pack("{sI sI}", "before", (json_int_t)before,
		    "after", (json_int_t)roles);
		rc = audit_write(w->db, &who, "account.roles", "account", id,
		    true, detail);
		json_decref(detail);
	}
	rc = db_end(w->db, rc);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc != 0)
		return web_db_fail(w, rc);
	w->model = account_get(w->db, w->scope.township_id, id, &rc);
	return web_done(w, 200, web_printf(w, "/accounts/%" PRId64, id));
}

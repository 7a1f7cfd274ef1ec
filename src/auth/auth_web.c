/* auth_web.c: sign-in, sign-out, password change and activation routes. */
#include <string.h>

#include <sodium.h>

#include "auth/auth.h"
#include "auth/auth_web.h"
#include "auth/role.h"
#include "base/log.h"
#include "base/str.h"
#include "base/utf8.h"
#include "db/db.h"
#include "web/input.h"
#include "web/web.h"

json_t *
auth_user_json(const struct actor *a)
{
	json_t		*roles = json_array();
	unsigned	 bit;

	for (bit = 1; bit < (1u << ROLE_COUNT); bit <<= 1)
		if (a->roles & bit)
			json_array_append_new(roles, json_string(role_name(bit)));
	return json_pack("{sI ss ss so so so sb}",
	    "id", (json_int_t)a->id,
	    "login", a->login,
	    "name", a->name,
	    "roles", roles,
	    "village_id", a->village_id ? json_integer(a->village_id) :
	    json_null(),
	    "person_id", a->person_id ? json_integer(a->person_id) :
	    json_null(),
	    "must_change", a->must_change);
}

/* A "next" target is followed only within this site. */
static const char *
safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\' || strchr(next, ':') != NULL ||
	    utf8_has_control(next, false))
		return "/";
	return next;
}

/* The numbers the forms quote, so they never disagree with the policy. */
static json_t *
policy_numbers(struct web *w)
{
	struct policy	 p;

	policy_get(w->db, &p);
	return json_pack("{si si si si si}", "lock_failures", p.lock_failures,
	    "lock_min", p.lock_min, "pw_min_len", p.pw_min_len,
	    "pw_min_classes", p.pw_min_classes, "activation_h",
	    p.activation_h);
}

static void
set_session_cookie(struct web *w, const char *token)
{
	web_set_cookie(w, web_printf(w, "%s=%s; Path=/; HttpOnly;"
	    " SameSite=Lax%s", web_cookie_name(w), token,
	    w->req->tls ? "; Secure" : ""));
}

static void
clear_session_cookie(struct web *w)
{
	web_set_cookie(w, web_printf(w, "%s=; Path=/; Max-Age=0; HttpOnly;"
	    " SameSite=Lax%s", web_cookie_name(w),
	    w->req->tls ? "; Secure" : ""));
}

int
auth_login_form(struct web *w)
{
	const char	*next = req_query(w->req, "next");

	if (w->has_session)
		return web_done(w, 200, "/");
	w->model = json_pack("{s{ss ss} so}", "form", "login", "", "next",
	    safe_next(next), "policy", policy_numbers(w));
	return 200;
}

int
auth_login(struct web *w)
{
	static const struct field f[] = {
		{ "login", "登录名", F_TEXT, true, 0, 64, NULL },
		{ "password", "密码", F_SECRET, true, 0, 0, NULL },
		{ "next", "跳转", F_TEXT, false, 0, 512, NULL },
	};
	struct value		 v[3];
	struct auth_signin	 si;
	struct audit_actor	 ctx = web_audit_actor(w);
	struct arena		*a = &w->req->arena;
	struct actor		 act;
	const char		*csrf;
	unsigned char		 hash[SECRET_HASH_LEN];
	int			 st, rc;

	if ((st = input_check(w, f, 3, v)) != 0)
		return st;
	rc = auth_signin(w->db, v[0].s, v[1].s, &ctx, w->now, &si);
	switch (rc) {
	case AUTH_OK:
		break;
	case AUTH_THROTTLED:
		w->retry_after = si.retry_after;
		return web_fail(w, 429, "throttled",
		    "登录尝试过于频繁，请稍后再试", NULL);
	case AUTH_BUSY:
		w->retry_after = 2;
		return web_fail(w, 429, "busy", "系统繁忙，请稍后再试", NULL);
	case AUTH_UNAVAIL:
		return web_db_fail(w, DB_UNAVAIL);
	default:
		return web_fail(w, 401, "bad_credentials",
		    "登录名或密码错误，或账号暂时不可用", NULL);
	}
	/* Rotate: the session the browser had before is gone. */
	if (w->has_session)
		auth_signout(w->db, w->session_hash, &ctx);
	set_session_cookie(w, si.token);
	secret_token_hash(si.token, hash);
	if (auth_session(w->db, hash, w->now, a, &act, &csrf) != AUTH_OK)
		return web_db_fail(w, DB_UNAVAIL);
	w->model = json_pack("{so ss}", "user", auth_user_json(&act), "csrf",
	    si.csrf);
	sodium_memzero(&si, sizeof(si));
	return web_done(w, 200, act.must_change ? "/password" :
	    safe_next(v[2].s));
}

int
auth_logout(struct web *w)
{
	struct audit_actor	 who = web_audit_actor(w);

	if (w->has_session &&
	    auth_signout(w->db, w->session_hash, &who) != AUTH_OK)
		return web_db_fail(w, DB_UNAVAIL);
	clear_session_cookie(w);
	return web_done(w, 204, "/login");
}

int
auth_me(struct web *w)
{
	w->model = json_pack("{so ss}", "user", auth_user_json(&w->actor),
	    "csrf", w->csrf);
	return 200;
}

int
auth_reauth_post(struct web *w)
{
	static const struct field f[] = {
		{ "password", "密码", F_SECRET, true, 0, 0, NULL },
	};
	struct value		 v[1];
	struct audit_actor	 who = web_audit_actor(w);
	int			 st, rc;

	if ((st = input_check(w, f, 1, v)) != 0)
		return st;
	rc = auth_reauth(w->db, w->session_hash, &w->actor, v[0].s, &who,
	    w->now);
	if (rc == AUTH_UNAVAIL)
		return web_db_fail(w, DB_UNAVAIL);
	if (rc != AUTH_OK)
		return web_fail(w, 422, "bad_password", "密码不正确",
		    "password");
	return web_done(w, 204, "/");
}

int
auth_password_form(struct web *w)
{
	w->model = json_pack("{s{ss ss ss} sb so}", "form", "old", "", "new",
	    "", "new2", "", "forced", w->actor.must_change, "policy",
	    policy_numbers(w));
	return 200;
}

int
auth_password(struct web *w)
{
	static const struct field f[] = {
		{ "old", "原密码", F_SECRET, true, 0, 0, NULL },
		{ "new", "新密码", F_SECRET, true, 0, 0, NULL },
		{ "new2", "确认新密码", F_SECRET, false, 0, 0, NULL },
	};
	struct value		 v[3];
	struct audit_actor	 who = web_audit_actor(w);
	char			 msg[256];
	int			 st, rc;

	if ((st = input_check(w, f, 3, v)) != 0)
		return st;
	if (!w->api && (!v[2].present || strcmp(v[1].s, v[2].s) != 0))
		return web_fail(w, 422, "mismatch", "两次输入的新密码不一致",
		    "new2");
	rc = auth_change_password(w->db, &w->actor, w->session_hash, v[0].s,
	    v[1].s, &who, w->now, msg, sizeof(msg));
	switch (rc) {
	case AUTH_OK:
		return web_done(w, 204, "/");
	case AUTH_DENIED:
		return web_fail(w, 422, "bad_password", "原密码不正确", "old");
	case AUTH_POLICY:
		return web_fail(w, 422, "weak_password",
		    arena_strdup(&w->req->arena, msg), "new");
	case AUTH_BUSY:
		w->retry_after = 2;
		return web_fail(w, 429, "busy", "系统繁忙，请稍后再试", NULL);
	default:
		return web_db_fail(w, DB_UNAVAIL);
	}
}

int
auth_activate_form(struct web *w)
{
	const char	*login, *name;
	int		 rc;

	rc = auth_activation_peek(w->db, kv_get(&w->params, "token"), w->now,
	    &w->req->arena, &login, &name);
	if (rc == AUTH_UNAVAIL)
		return web_db_fail(w, DB_UNAVAIL);
	if (rc != AUTH_OK)
		return web_fail(w, 410, "gone",
		    "激活链接已失效（已使用或已过期），请联系系统管理员重新生成",
		    NULL);
	w->model = json_pack("{ss ss s{ss ss} so}", "login", login, "name",
	    name, "form", "password", "", "password2", "", "policy",
	    policy_numbers(w));
	return 200;
}

int
auth_activate_post(struct web *w)
{
	static const struct field f[] = {
		{ "password", "新密码", F_SECRET, true, 0, 0, NULL },
		{ "password2", "确认新密码", F_SECRET, false, 0, 0, NULL },
	};
	struct value		 v[2];
	struct audit_actor	 ctx = web_audit_actor(w);
	char			 msg[256];
	int			 st, rc;

	if ((st = input_check(w, f, 2, v)) != 0)
		return st;
	if (!w->api && (!v[1].present || strcmp(v[0].s, v[1].s) != 0))
		return web_fail(w, 422, "mismatch", "两次输入的密码不一致",
		    "password2");
	rc = auth_activate(w->db, kv_get(&w->params, "token"), v[0].s, &ctx,
	    w->now, msg, sizeof(msg));
	switch (rc) {
	case AUTH_OK:
		return web_done(w, 204, "/login?activated=1");
	case AUTH_GONE:
		return web_fail(w, 410, "gone",
		    "激活链接已失效（已使用或已过期），请联系系统管理员重新生成",
		    NULL);
	case AUTH_POLICY:
		return web_fail(w, 422, "weak_password",
		    arena_strdup(&w->req->arena, msg), "password");
	case AUTH_BUSY:
		w->retry_after = 2;
		return web_fail(w, 429, "busy", "系统繁忙，请稍后再试", NULL);
	default:
		return web_db_fail(w, DB_UNAVAIL);
	}
}

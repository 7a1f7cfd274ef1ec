/* app.c: the request pipeline: route, session, access, CSRF, input, handler. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/role.h"
#include "base/jsonmem.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "html/html.h"
#include "http/router.h"
#include "web/app.h"
#include "web/metrics.h"
#include "web/options.h"
#include "web/pagecache.h"
#include "web/routes.h"
#include "web/static.h"
#include "web/view.h"
#include "web/web.h"

#define PRE_COOKIE	"xz_pre"

static struct app_config	 cfg;

const char *
app_public_url(void)
{
	return cfg.public_url ? cfg.public_url : "http://127.0.0.1:8080";
}

bool
app_public_url_set(void)
{
	return cfg.public_url != NULL;
}

int
app_init(const struct app_config *c)
{
	size_t	 i;

	cfg = *c;
	jsonmem_init();
	if (view_init(c->strict) != 0)
		return -1;
	for (i = 0; i < nroutes; i++) {
		if (routes[i].path != NULL && routes[i].tmpl != NULL &&
		    view_tmpl(routes[i].tmpl) == NULL)
			return error("route '%s' names template '%s', which"
			    " does not exist", routes[i].path, routes[i].tmpl);
		if (routes[i].path == NULL && routes[i].api == NULL)
			return error("route %zu has no path", i);
	}
	metrics_init(nroutes);
	return 0;
}

void
app_free(void)
{
	view_free();
}

int
app_selftest(void)
{
	struct db	*db = db_pool_get();

	if (db == NULL)
		return -1;
	return db_prepare_all(db);
}

/* Helpers for handlers. */

int
web_fail(struct web *w, int status, const char *code, const char *message,
    const char *field)
{
	w->err.code = code;
	w->err.message = message;
	w->err.field = field;
	return status;
}

int
web_db_fail(struct web *w, int rc)
{
	if (rc == DB_CONSTRAINT)
		return web_fail(w, 409, "conflict",
		    "与已有记录冲突（名称或编号重复，或仍被引用）", NULL);
	w->retry_after = 5;
	switch (w->db != NULL ? db_last_fault(w->db) : DB_FAULT_NONE) {
	case DB_FAULT_FULL:
		w->retry_after = 60;
		return web_fail(w, 503, "disk_full",
		    "磁盘空间不足，暂时无法保存。本次内容未保存，已保存的数据"
		    "不受影响；请联系系统管理员清理磁盘后重试", NULL);
	case DB_FAULT_READONLY:
	case DB_FAULT_IO:
		w->retry_after = 60;
		return web_fail(w, 503, "storage_failed",
		    "存储设备故障或已变为只读，暂时无法保存。本次内容未保存，"
		    "已保存的数据可以继续查看；请联系系统管理员", NULL);
	default:
		return web_fail(w, 503, "unavailable",
		    "数据存储暂时不可用，请稍后重试；已保存的数据不受影响",
		    NULL);
	}
}

int
web_not_found(struct web *w)
{
	return web_fail(w, 404, "not_found", "没有找到该记录，或您无权查看",
	    NULL);
}

int
web_done(struct web *w, int status, const char *location)
{
	w->api_status = status;
	w->location = location;
	return 303;
}

int64_t
web_param_id(struct web *w, const char *name)
{
	int64_t	 id;

	if (str_to_int64(kv_get(&w->params, name), 1, INT64_MAX, &id) != 0)
		return 0;
	return id;
}

struct audit_actor
web_audit_actor(const struct web *w)
{
	struct audit_actor	 a;

	a.account_id = w->actor.id;
	a.township_id = w->actor.township_id;
	a.login = w->actor.id ? w->actor.login : "-";
	a.role = w->actor.id ? w->actor.role_names : "";
	a.addr = w->req->addr;
	a.request_id = w->req->id;
	return a;
}

bool
web_can(const struct web *w, unsigned roles)
{
	return (w->actor.roles & roles) != 0;
}

char *
web_printf(struct web *w, const char *fmt, ...)
{
	va_list	 ap;
	char	 tmp[512];
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(&w->req->arena, "");
	return arena_strndup(&w->req->arena, tmp,
	    (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void
web_set_cookie(struct web *w, const char *cookie)
{
	size_t	 i;

	for (i = 0; i < sizeof(w->set_cookie) / sizeof(w->set_cookie[0]); i++)
		if (w->set_cookie[i] == NULL) {
			w->set_cookie[i] = cookie;
			return;
		}
	BUG("too many cookies");
}

const char *
web_cookie_name(const struct web *w)
{
	return w->req->tls ? "__Host-xz" : "xz";
}

/* Routing. */

static const struct route *
find_route(struct req *r, bool *api, struct kvlist *params, bool *other)
{
	enum http_method m = r->method == HTTP_HEAD ? HTTP_GET : r->method;
	size_t		 i;
	bool		 is_api = str_has_prefix(r->path, "/api/");

	*other = false;
	for (i = 0; i < nroutes; i++) {
		const struct route *rt = &routes[i];
		const char	*pat = is_api ? rt->api : rt->path;
		unsigned	 want = is_api ? rt->api_method : rt->method;
		size_t		 before = params->n;

		if (pat == NULL || !router_match(pat, r->path, &r->arena,
		    params))
			continue;
		if (want != m) {
			params->n = before;
			*other = true;
			continue;
		}
		*api = is_api;
		return rt;
	}
	return NULL;
}

static struct web *
web_of(struct req *r)
{
	struct web	*w = r->app;

	if (w == NULL) {
		w = arena_alloc(&r->arena, sizeof(*w));
		w->req = r;
		w->api = str_has_prefix(r->path, "/api/");
		r->app = w;
	}
	return w;
}

static size_t
body_limit(struct req *r)
{
	struct web	*w = web_of(r);
	bool		 other;

	w->route = find_route(r, &w->api, &w->params, &other);
	if (w->route != NULL && (w->route->flags & ROUTE_UPLOAD))
		return HTTP_MAX_UPLOAD;
	return HTTP_MAX_BODY;
}

/* Is "origin" this server?  Compares with the Host header. */
static bool
same_origin(struct web *w, const char *origin)
{
	const char	*host = req_header(w->req, "host");
	const char	*scheme = w->req->tls ? "https://" : "http://";

	if (host == NULL || !str_has_prefix(origin, scheme))
		return false;
	return strcmp(origin + strlen(scheme), host) == 0;
}

static int
check_csrf(struct web *w)
{
	const char	*origin = req_header(w->req, "origin");
	const char	*tok, *pre;

	if (origin != NULL && strcmp(origin, "null") != 0 &&
	    !same_origin(w, origin))
		return web_fail(w, 403, "csrf", "请求来源不被允许", NULL);
	if (origin != NULL && strcmp(origin, "null") == 0)
		return web_fail(w, 403, "csrf", "请求来源不被允许", NULL);
	if (w->bearer)
		return 0;
	tok = req_header(w->req, "x-csrf-token");
	if (tok == NULL)
		tok = kv_get(&w->form, "csrf");
	if (w->has_session && tok != NULL && secret_equal(tok, w->csrf))
		return 0;
	if (w->has_session && w->route->roles != 0)
		return web_fail(w, 403, "csrf", "页面已过期，请刷新后重试", NULL);
	/*
	 * Public routes (sign-in, activation), with or without a session:
	 * the API insists on a JSON body, which a cross-site form cannot
	 * send; pages compare the form field with the pre-session cookie.
	 */
	if (w->api)
		return 0;
	pre = req_cookie(w->req, PRE_COOKIE);
	if (tok == NULL || pre == NULL || strlen(pre) != SECRET_TOKEN_LEN ||
	    !secret_equal(tok, pre))
		return web_fail(w, 403, "csrf", "页面已过期，请刷新后重试", NULL);
	return 0;
}

static bool
content_type_is(struct web *w, const char *want)
{
	const char	*ct = req_header(w->req, "content-type");
	size_t		 n = strlen(want);

	return ct != NULL && strncasecmp(ct, want, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int
parse_body(struct web *w)
{
	struct req	*r = w->req;
	json_error_t	 jerr;
	int		 rc;

	if (r->body_len == 0 && !content_type_is(w, "multipart/form-data")) {
		if (w->api)
			w->json = json_object();
		return 0;
	}
	if (content_type_is(w, "application/json")) {
		w->json = json_loadb(r->body, r->body_len,
		    JSON_REJECT_DUPLICATES, &jerr);
		if (w->json == NULL || !json_is_object(w->json))
			return web_fail(w, 400, "bad_json",
			    "请求内容不是有效的 JSON 对象", NULL);
		return 0;
	}
	if (w->api && !(w->route->flags & ROUTE_UPLOAD))
		return web_fail(w, 415, "media_type",
		    "请以 application/json 提交", NULL);
	if (content_type_is(w, "application/x-www-form-urlencoded")) {
		rc = form_parse_urlencoded(&r->arena, r->body, r->body_len, 500,
		    &w->form);
		if (rc != 0)
			return web_fail(w, 400, "bad_form",
			    "表单内容含有无效字符", NULL);
		return 0;
	}
	if (content_type_is(w, "multipart/form-data") &&
	    (w->route->flags & ROUTE_UPLOAD)) {
		size_t	 i;

		rc = form_parse_multipart(&r->arena,
		    req_header(r, "content-type"), r->body, r->body_len, 64,
		    &w->parts);
		if (rc != 0)
			return web_fail(w, 400, "bad_form",
			    "上传内容格式不正确", NULL);
		for (i = 0; i < w->parts.n; i++)
			if (w->parts.v[i].filename == NULL)
				kv_add(&r->arena, &w->form, w->parts.v[i].name,
				    w->parts.v[i].data, w->parts.v[i].len);
		return 0;
	}
	return web_fail(w, 415, "media_type", "不支持的提交格式", NULL);
}

static void
load_session(struct web *w)
{
	const char	*tok = req_cookie(w->req, web_cookie_name(w));
	int		 rc;

	if (tok == NULL || strlen(tok) != SECRET_TOKEN_LEN)
		return;
	secret_token_hash(tok, w->session_hash);
	rc = auth_session(w->db, w->session_hash, w->now, &w->req->arena,
	    &w->actor, &w->csrf);
	if (rc == AUTH_OK) {
		w->has_session = true;
		return;
	}
	memset(&w->actor, 0, sizeof(w->actor));
	/* Tell the browser to forget a dead cookie. */
	web_set_cookie(w, web_printf(w, "%s=; Path=/; Max-Age=0; HttpOnly;"
	    " SameSite=Lax%s", web_cookie_name(w),
	    w->req->tls ? "; Secure" : ""));
}

/* Anonymous pages carry a pre-session token for their forms (login CSRF). */
static void
pre_session(struct web *w)
{
	const char	*pre = req_cookie(w->req, PRE_COOKIE);
	char		 tok[SECRET_TOKEN_LEN + 1];

	if (pre != NULL && strlen(pre) == SECRET_TOKEN_LEN) {
		w->csrf = pre;
		return;
	}
	if (w->route->tmpl == NULL)
		return;		/* nothing rendered needs one */
	secret_token(tok);
	w->csrf = arena_strdup(&w->req->arena, tok);
	web_set_cookie(w, web_printf(w, "%s=%s; Path=/; HttpOnly;"
	    " SameSite=Strict%s", PRE_COOKIE, tok,
	    w->req->tls ? "; Secure" : ""));
}

static int
denied(struct web *w)
{
	struct audit_actor	 who = web_audit_actor(w);
	json_t			*d;
	const char		*pat = w->api ? w->route->api : w->route->path;

	d = json_pack("{ss}", "route", pat);
	audit_write_alone(w->db, &who, "access.denied", "route", 0, false, d);
	json_decref(d);
	return web_fail(w, 403, "forbidden", "您的角色无权进行此操作", NULL);
}

/* Decide whether the actor may call the route; 0 or a status. */
static int
check_access(struct web *w)
{
	const struct route	*rt = w->route;
	struct policy		 pol;

	if (rt->roles == 0)
		return 0;
	if (w->actor.id == 0) {
		if (!w->api && w->req->method == HTTP_GET) {
			struct buf	 b = BUF_INIT;

			buf_lit(&b, "/login?next=");
			html_url_arg(&b, w->req->path);
			w->location = arena_strdup(&w->req->arena, b.data);
			buf_release(&b);
			return 303;
		}
		return web_fail(w, 401, "unauthenticated", "请先登录", NULL);
	}
	if (w->actor.must_change && !(rt->flags & ROUTE_ANY_STATE)) {
		if (!w->api && w->req->method == HTTP_GET) {
			w->location = "/password";
			return 303;
		}
		return web_fail(w, 403, "password_change_required",
		    "请先修改密码", NULL);
	}
	if ((rt->roles & ROLE_SIGNED) == 0 && (w->actor.roles & rt->roles) == 0)
		return denied(w);
	if ((rt->flags & ROUTE_REAUTH) && w->api) {
		policy_get(w->db, &pol);
		if (w->now - w->actor.auth_at > (int64_t)pol.reauth_min * 60000)
			return web_fail(w, 403, "reauth",
			    "查看完整信息前请重新输入密码", "password");
	}
	return 0;
}

static void
set_scope(struct web *w)
{
	w->scope.township_id = w->actor.township_id;
	if (w->scope.township_id == 0)
		w->scope.township_id = 1;	/* the public's township */
	w->scope.village_id = w->route->scope == SCOPE_VILLAGE ?
	    w->actor.village_id : 0;
}

/*
 * The page cache key: the session (who, and the CSRF token in the page),
 * API or page, the path and query, gzip or not, and today's date in
 * Asia/Shanghai (so nothing that shows "today" outlives the day).
 */
static void
cache_key(struct web *w, unsigned char key[PAGECACHE_KEY])
{
	struct buf	 b = BUF_INIT;
	const char	*ae = req_header(w->req, "accept-encoding");

	buf_add(&b, w->session_hash, sizeof(w->session_hash));
	buf_addf(&b, "%d|%s?%s|%d|%lld", w->api, w->req->path,
	    w->req->query_string, ae != NULL && strstr(ae, "gzip") != NULL,
	    (long long)date_today_cn());
	secret_digest(b.data, b.len, key);
	buf_release(&b);
}

/* Serve a cached answer if the data has not changed since; true if served. */
static bool
cache_hit(struct web *w)
{
	const char	*type;

	w->cache_version = audit_version(w->db);
	if (w->cache_version < 0)
		return false;
	cache_key(w, w->cache_key);
	if (!pagecache_get(w->cache_key, w->cache_version, &w->resp->body,
	    &type, &w->cache_gz))
		return false;
	w->resp->status = 200;
	w->resp->content_type = type;
	w->cache_served = true;
	return true;
}

/* Run the route: everything between routing and rendering. */
static int
dispatch(struct web *w)
{
	struct req	*r = w->req;
	int		 st;

	if (r->error != 0) {
		switch (r->error) {
		case 413:
			return web_fail(w, 413, "too_large",
			    "提交的内容过大", NULL);
		case 414:
			return web_fail(w, 414, "uri_too_long",
			    "网址过长", NULL);
		case 431:
			return web_fail(w, 431, "headers_too_large",
			    "请求头过大", NULL);
		case 503:
			w->retry_after = 5;
			return web_fail(w, 503, "stopping",
			    "系统正在重新启动，本次请求未处理，请稍后重试", NULL);
		default:
			return web_fail(w, 400, "bad_request",
			    "请求格式不正确", NULL);
		}
	}
	if (w->route == NULL) {
		bool	 other;

		w->route = find_route(r, &w->api, &w->params, &other);
		if (w->route == NULL)
			return other ? web_fail(w, 405, "method",
			    "不支持该请求方法", NULL) : web_not_found(w);
	}
	if ((w->db = db_pool_get()) == NULL)
		return web_db_fail(w, DB_UNAVAIL);
	db_fault_clear(w->db);	/* the last request's fault is not this one's */
	load_session(w);
	if ((st = check_access(w)) != 0)
		return st;
	set_scope(w);
	if (r->method != HTTP_GET && r->method != HTTP_HEAD) {
		if ((st = parse_body(w)) != 0)
			return st;
		if ((st = check_csrf(w)) != 0)
			return st;
	}
	if (!w->has_session && !w->api)
		pre_session(w);
	if (w->has_session && (w->route->flags & ROUTE_CACHE) &&
	    pagecache_on() && r->method == HTTP_GET && cache_hit(w))
		return 200;
	return w->route->handler(w);
}

/*
 * A page form that failed validation is shown again: the GET route at the
 * same path rebuilds its model, the submitted values replace the defaults
 * in model.form, and the layout shows the error next to the field.
 */
static bool
rerender(struct web *w, int status)
{
	const struct route	*rt;
	const char		*v;
	json_t			*form, *val;
	const char		*key;
	struct {
		const char	*code, *message, *field;
	}			 saved;
	size_t			 i;

	if (w->api || w->req->method != HTTP_POST || w->route == NULL ||
	    (status != 401 && status != 409 && status != 422 && status != 429))
		return false;
	for (i = 0, rt = NULL; i < nroutes; i++)
		if (routes[i].path != NULL && routes[i].method == HTTP_GET &&
		    strcmp(routes[i].path, w->route->path) == 0 &&
		    routes[i].tmpl != NULL) {
			rt = &routes[i];
			break;
		}
	if (rt == NULL)
		return false;
	saved.code = w->err.code;
	saved.message = w->err.message;
	saved.field = w->err.field;
	json_decref(w->model);
	w->model = NULL;
	w->tmpl = NULL;
	w->title = NULL;
	w->route = rt;
	if (rt->handler(w) >= 300 || w->model == NULL)
		return false;
	w->err.code = saved.code;
	w->err.message = saved.message;
	w->err.field = saved.field;
	form = json_object_get(w->model, "form");
	json_object_foreach(form, key, val) {
		if (json_is_object(val) || json_is_array(val))
			continue;
		if (strcmp(key, "password") == 0 || strcmp(key, "old") == 0 ||
		    strcmp(key, "new") == 0 || strcmp(key, "new2") == 0)
			continue;	/* never echo secrets */
		/* Browsers send every field but an unchecked box. */
		v = kv_get(&w->form, key);
		json_object_set_new(form, key, json_string(v ? v : ""));
	}
	opt_reselect(json_object_get(w->model, "options"), &w->form);
	view_page(w, w->tmpl ? w->tmpl : rt->tmpl, status);
	return true;
}

/*
 * Behind a reverse proxy every request comes from the proxy's address.
 * Only when it does do we believe the proxy's X-Real-IP (the client, for
 * throttling and the audit log) and X-Forwarded-Proto (for Secure cookies
 * and HSTS); from anywhere else these headers are ignored.
 */
static void
behind_proxy(struct req *r)
{
	const char	*ip, *proto;
	size_t		 i, n;

	if (cfg.trusted_proxy == NULL || strcmp(r->addr, cfg.trusted_proxy) != 0)
		return;
	ip = req_header(r, "x-real-ip");
	if (ip != NULL && (n = strlen(ip)) > 0 && n < sizeof(r->addr)) {
		for (i = 0; i < n; i++)
			if (!((ip[i] >= '0' && ip[i] <= '9') || ip[i] == '.' ||
			    ip[i] == ':' || (ip[i] >= 'a' && ip[i] <= 'f') ||
			    (ip[i] >= 'A' && ip[i] <= 'F')))
				break;
		if (i == n)
			str_copy(r->addr, ip, sizeof(r->addr));
	}
	proto = req_header(r, "x-forwarded-proto");
	if (proto != NULL && strcmp(proto, "https") == 0)
		r->tls = true;
}

static void
handle(struct req *r, struct resp *rs)
{
	struct web	*w = web_of(r);
	int		 status;
	size_t		 i;

	w->resp = rs;
	w->now = time_now_ms();
	behind_proxy(r);
	jsonmem_use(&r->arena);
	if (r->error == 0 && (r->method == HTTP_GET || r->method == HTTP_HEAD) &&
	    static_serve(r, rs))
		return;
	status = dispatch(w);
	rs->log_uid = w->actor.id;
	if (w->route != NULL)
		rs->log_route = w->api ? w->route->api : w->route->path;
	if (w->raw || w->cache_served)
		rs->status = status;
	else if (w->api)
		view_json(w, status);
	else if (status == 303) {
		rs->status = 303;
		resp_header(r, rs, "Location", w->location ? w->location : "/");
		buf_lit(&rs->body, "");
	} else if (status >= 400) {
		if (!rerender(w, status))
			view_error_page(w, status);
	}
	else
		view_page(w, w->tmpl ? w->tmpl : w->route->tmpl, status);
	if (w->retry_after > 0)
		resp_header(r, rs, "Retry-After",
		    web_printf(w, "%d", w->retry_after));
	for (i = 0; i < sizeof(w->set_cookie) / sizeof(w->set_cookie[0]); i++)
		if (w->set_cookie[i] != NULL)
			resp_header(r, rs, "Set-Cookie", w->set_cookie[i]);
	view_security_headers(w, true);
	if (w->cache_served) {
		if (w->cache_gz) {
			resp_header(r, rs, "Content-Encoding", "gzip");
			resp_header(r, rs, "Vary", "Accept-Encoding");
		}
	} else {
		bool	 gz = view_compress(w);

		if (w->cache_version > 0 && rs->status == 200 &&
		    w->set_cookie[0] == NULL)
			pagecache_put(w->cache_key, w->cache_version,
			    rs->body.data, rs->body.len, rs->content_type, gz);
	}
	/* The model lives in the request's arena: dropping it costs nothing. */
	w->model = w->json = NULL;
	jsonmem_use(NULL);
}

static void
done(const struct req *r, const struct resp *rs, int64_t us)
{
	metrics_record(rs->log_route, rs->status, us);
	/* The route pattern, not the path: links may carry tokens. */
	log_info("%s %s %d %.1fms uid=%lld rid=%s", r->method_name ?
	    r->method_name : "-", rs->log_route ? rs->log_route :
	    (r->path ? r->path : "-"), rs->status,
	    (double)us / 1000.0, (long long)rs->log_uid, r->id);
}

const struct http_app app_http = { body_limit, handle, done };

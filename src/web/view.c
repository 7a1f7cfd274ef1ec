/* view.c: the page frame, HTML and JSON rendering, headers, compression. */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "auth/role.h"
#include "base/embedded.h"
#include "base/jsonmem.h"
#include "base/log.h"
#include "base/str.h"
#include "db/db.h"
#include "html/tmpl.h"
#include "org/org.h"
#include "web/view.h"
#include "web/web.h"

static struct tmpl_set		*set;
static const struct tmpl	*layout;
static const struct tmpl	*print_layout;
static bool			 strict;
static char			 css_url[64];
static char			 js_url[64];

int
view_init(bool s)
{
	const struct embedded	*e;
	char			 err[256], name[64];
	const char		*base, *dot;
	size_t			 i;

	strict = s;
	if ((set = tmpl_set_new()) == NULL)
		return -1;
	for (i = 0; i < embedded_nfiles; i++) {
		e = &embedded_files[i];
		dot = strrchr(e->name, '.');
		if (dot == NULL || strcmp(dot, ".tmpl") != 0)
			continue;
		base = strrchr(e->name, '/');
		base = base ? base + 1 : e->name;
		if ((size_t)(dot - base) >= sizeof(name))
			return error("template name too long: %s", e->name);
		memcpy(name, base, (size_t)(dot - base));
		name[dot - base] = '\0';
		if (tmpl_get(set, name) != NULL)
			return error("two templates are called '%s'", name);
		if (tmpl_set_add(set, name, (const char *)e->data, e->len, err,
		    sizeof(err)) != 0)
			return error("template %s", err);
	}
	if (tmpl_set_link(set, err, sizeof(err)) != 0)
		return error("template %s", err);
	if ((layout = tmpl_get(set, "layout")) == NULL ||
	    (print_layout = tmpl_get(set, "print_layout")) == NULL)
		return error("no layout template");
	e = embedded_find("static/app.css");
	snprintf(css_url, sizeof(css_url), "/static/app.css?v=%.8s",
	    e ? e->etag + 1 : "0");
	e = embedded_find("static/app.js");
	snprintf(js_url, sizeof(js_url), "/static/app.js?v=%.8s",
	    e ? e->etag + 1 : "0");
	return 0;
}

void
view_free(void)
{
	tmpl_set_free(set);
	set = NULL;
	layout = NULL;
}

const struct tmpl *
view_tmpl(const char *name)
{
	return set ? tmpl_get(set, name) : NULL;
}

static const struct {
	const char	*href;
	const char	*label;
	unsigned	 roles;
} nav_items[] = {
	{ "/", "首页", ROLE_ANY },
	{ "/matters", "信访", ROLE_CADRES },
	{ "/windows", "窗口评价", ROLE_CADRES },
	{ "/people", "人员", ROLE_CADRES | ROLE_SYSADMIN },
	{ "/villages", "村组", ROLE_CADRES | ROLE_SYSADMIN },
	{ "/units", "站所", ROLE_CADRES | ROLE_SYSADMIN },
	{ "/accounts", "账号", ROLE_SYSADMIN | ROLE_SECADMIN },
	{ "/calendar", "节假日", ROLE_SYSADMIN },
	{ "/settings", "安全策略", ROLE_SECADMIN },
	{ "/audit", "审计日志", ROLE_AUDITOR },
};

static json_t *
nav(struct web *w)
{
	json_t		*a = json_array();
	const char	*path = w->req->path;
	size_t		 i, n;
	bool		 active;

	for (i = 0; i < sizeof(nav_items) / sizeof(nav_items[0]); i++) {
		if (!web_can(w, nav_items[i].roles))
			continue;
		n = strlen(nav_items[i].href);
		active = n == 1 ? strcmp(path, "/") == 0 :
		    strncmp(path, nav_items[i].href, n) == 0 &&
		    (path[n] == '\0' || path[n] == '/');
		json_array_append_new(a, json_pack("{ss ss sb}", "href",
		    nav_items[i].href, "label", nav_items[i].label, "active",
		    active));
	}
	return a;
}

/* The model of the frame around every page (below the page's own). */
static json_t *
frame(struct web *w)
{
	json_t		*m, *user = json_null(), *err = json_null();
	struct buf	 labels = BUF_INIT;
	const char	*township = NULL;

	if (w->actor.id != 0) {
		role_labels(w->actor.roles, &labels);
		user = json_pack("{ss ss ss}", "login", w->actor.login, "name",
		    w->actor.name, "roles", labels.data);
		buf_release(&labels);
	}
	if (w->err.message != NULL)
		err = json_pack("{ss ss?}", "message", w->err.message, "field",
		    w->err.field);
	if (w->db != NULL)
		township = org_township_name(w->db, w->scope.township_id,
		    &w->req->arena);
	m = json_pack("{s{ss ss} ss so ss? so so ss ss ss}",
	    "site", "name", "乡治", "township", township ? township :
	    "乡镇基层治理台账",
	    "title", w->title ? w->title : (w->route && w->route->title ?
	    w->route->title : "乡治"),
	    "user", user,
	    "csrf", w->csrf,
	    "nav", w->actor.id ? nav(w) : json_array(),
	    "error", err,
	    "css", css_url,
	    "js", js_url,
	    "path", w->req->path);
	return m;
}

int
view_page(struct web *w, const char *name, int status)
{
	const struct tmpl	*page = name ? tmpl_get(set, name) : NULL;
	json_t			*stack[2];
	char			 err[256];
	int			 rc;

	if (w->model == NULL) {
		if (strict && status < 400)
			error("%s %s: handler built no model",
			    w->req->method_name, w->req->path);
		w->model = json_object();
	}
	stack[0] = frame(w);
	stack[1] = w->model;
	buf_reset(&w->resp->body);
	rc = page ? tmpl_render(w->print ? print_layout : layout, stack, 2, page,
	    strict, &w->resp->body, err, sizeof(err)) : -1;
	json_decref(stack[0]);
	if (rc != 0) {
		error("rendering '%s': %s", name ? name : "(none)",
		    page ? err : "no such template");
		buf_reset(&w->resp->body);
		buf_lit(&w->resp->body, "<!doctype html><meta charset=utf-8>"
		    "<title>错误</title><p>页面显示出错，请稍后重试。");
		status = 500;
	}
	w->resp->status = status;
	w->resp->content_type = "text/html; charset=utf-8";
	return status;
}

static const char *
default_message(int status)
{
	switch (status) {
	case 400: return "请求格式不正确";
	case 401: return "请先登录";
	case 403: return "您无权进行此操作";
	case 404: return "没有找到该页面或记录";
	case 405: return "不支持该请求方法";
	case 409: return "当前状态下不能进行此操作";
	case 413: return "提交的内容过大";
	case 429: return "操作过于频繁，请稍后再试";
	case 503: return "服务暂时不可用，请稍后重试";
	default: return "服务器内部错误，请稍后重试";
	}
}

void
view_error_page(struct web *w, int status)
{
	json_decref(w->model);
	if (w->err.message == NULL)
		w->err.message = default_message(status);
	w->model = json_pack("{si ss}", "status", status, "message",
	    w->err.message);
	w->title = "出错了";
	/* The message shows in the page body, not again as a form error. */
	{
		const char	*msg = w->err.message;

		w->err.message = NULL;
		view_page(w, "error", status);
		w->err.message = msg;
	}
	if (w->resp->status == 500 && status != 500)
		w->resp->status = status;
}

void
view_json(struct web *w, int status)
{
	struct resp	*rs = w->resp;
	json_t		*body;
	char		*s;

	if (status == 303)
		status = w->api_status ? w->api_status : 200;
	if (status >= 400) {
		if (w->err.message == NULL)
			w->err.message = default_message(status);
		body = json_pack("{s{ss ss ss*}}", "error", "code",
		    w->err.code ? w->err.code : "error", "message",
		    w->err.message, "field", w->err.field);
	} else if (w->model == NULL && status != 204 && strict) {
		/* A handler that built nothing (often a json_pack mistake). */
		error("%s %s: handler built no model", w->req->method_name,
		    w->req->path);
		status = 500;
		body = json_pack("{s{ss ss}}", "error", "code", "internal",
		    "message", default_message(500));
	} else {
		body = w->model ? json_incref(w->model) : json_object();
	}
	rs->status = status;
	rs->content_type = "application/json; charset=utf-8";
	buf_reset(&rs->body);
	if (status != 204) {
		s = json_dumps(body, JSON_COMPACT);
		if (s != NULL) {
			buf_adds(&rs->body, s);
			jsonmem_free(s);
		}
	}
	json_decref(body);
}

void
view_security_headers(struct web *w, bool dynamic)
{
	struct req	*r = w->req;
	struct resp	*rs = w->resp;

	resp_header(r, rs, "Content-Security-Policy",
	    "default-src 'self'; img-src 'self' data:; object-src 'none';"
	    " base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	resp_header(r, rs, "X-Content-Type-Options", "nosniff");
	resp_header(r, rs, "X-Frame-Options", "DENY");
	resp_header(r, rs, "Referrer-Policy", "same-origin");
	resp_header(r, rs, "Cross-Origin-Opener-Policy", "same-origin");
	resp_header(r, rs, "Permissions-Policy",
	    "geolocation=(), microphone=(), camera=(self)");
	if (r->tls)
		resp_header(r, rs, "Strict-Transport-Security",
		    "max-age=31536000");
	if (dynamic)
		resp_header(r, rs, "Cache-Control", "no-store");
}

bool
view_compress(struct web *w)
{
	struct resp	*rs = w->resp;
	const char	*ae = req_header(w->req, "accept-encoding");
	struct buf	 out;
	z_stream	 z;

	if (ae == NULL || strstr(ae, "gzip") == NULL || rs->body.len < 1400 ||
	    rs->static_data != NULL)
		return false;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	buf_init(&out, 0);
	buf_grow(&out, deflateBound(&z, rs->body.len));
	if (buf_err(&out)) {
		deflateEnd(&z);
		return false;
	}
	z.next_in = (unsigned char *)rs->body.data;
	z.avail_in = (unsigned)rs->body.len;
	z.next_out = (unsigned char *)out.data;
	z.avail_out = (unsigned)(out.cap - 1);
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		buf_release(&out);
		return false;
	}
	out.len = z.total_out;
	out.data[out.len] = '\0';
	deflateEnd(&z);
	buf_release(&rs->body);
	rs->body = out;
	resp_header(w->req, rs, "Content-Encoding", "gzip");
	resp_header(w->req, rs, "Vary", "Accept-Encoding");
	return true;
}

/* rating_web.c: the public rating page (/r/<token>), its QR code, thanks. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "http/form.h"
#include "matter/matter_db.h"
#include "matter/matter_web.h"
#include "rating/qr.h"
#include "rating/rating.h"
#include "rating/rating_db.h"
#include "rating/rating_web.h"
#include "web/app.h"
#include "web/web.h"

#define MSG_USED	"该评价链接已经使用过了：每个链接只能评价一次。感谢您的参与！"
#define MSG_EXPIRED	"该评价链接已过期，请向窗口工作人员索取新的评价二维码。"
#define MSG_MISSING	"评价链接无效，请核对二维码或链接是否完整。"

/* Map a rating_rc (or DB failure) to the answer. */
static int
refuse(struct web *w, int rc)
{
	switch (rc) {
	case RATING_NOT_FOUND:
		return web_fail(w, 404, "not_found", MSG_MISSING, NULL);
	case RATING_USED:
		return web_fail(w, 410, "used", MSG_USED, NULL);
	case RATING_EXPIRED:
		return web_fail(w, 410, "expired", MSG_EXPIRED, NULL);
	default:
		return web_db_fail(w, rc);
	}
}

const char *
rating_url(struct web *w, const char *path)
{
	const char	*host = req_header(w->req, "host");

	if (app_public_url_set())
		return web_printf(w, "%s%s", app_public_url(), path);
	if (host != NULL && strchr(host, '/') == NULL &&
	    strchr(host, '"') == NULL && strlen(host) < 256)
		return web_printf(w, "%s://%s%s",
		    w->req->tls ? "https" : "http", host, path);
	return web_printf(w, "%s%s", app_public_url(), path);
}

int64_t
rating_today(const struct web *w)
{
	return (w->now + TIME_CN_OFFSET_MS) / (86400LL * 1000);
}

/* The submitted value of "name<i>" (a re-rendered form), or NULL. */
static const char *
sent(struct web *w, const char *name, size_t i)
{
	return kv_get(&w->form, web_printf(w, "%s%zu", name, i));
}

/*
 * The page's model: each aspect gets its own radio names and ids, the
 * levels and reasons with what was chosen (kept when a 422 re-renders).
 */
static void
page_model(struct web *w, json_t *m)
{
	json_t		*aspects = json_object_get(m, "aspects"), *a, *lv, *l;
	json_t		*levels = json_object_get(m, "levels");
	json_t		*reasons = json_object_get(m, "reasons"), *rs, *r;
	size_t		 i, j;
	const char	*pick, *why, *comment;

	json_array_foreach(aspects, i, a) {
		pick = sent(w, "level", i);
		why = sent(w, "reason", i);
		comment = sent(w, "comment", i);
		lv = json_array();
		json_array_foreach(levels, j, l) {
			json_int_t	 v = json_integer_value(
			    json_object_get(l, "level"));
			char		 val[8];

			snprintf(val, sizeof(val), "%d", (int)v);
			json_array_append_new(lv, json_pack(
			    "{ss ss ss sO sO sb}",
			    "name", web_printf(w, "level%zu", i),
			    "id", web_printf(w, "lv%zu-%d", i, (int)v),
			    "value", val,
			    "label", json_object_get(l, "label"),
			    "bad", json_object_get(l, "bad"),
			    "checked", str_eq(pick, val)));
		}
		rs = json_array();
		json_array_foreach(reasons, j, r)
			json_array_append_new(rs, json_pack("{sO sO sb}",
			    "code", json_object_get(r, "code"),
			    "label", json_object_get(r, "label"),
			    "selected", str_eq(why, json_string_value(
			    json_object_get(r, "code")))));
		json_object_set_new(a, "levels", lv);
		json_object_set_new(a, "reasons", rs);
		json_object_set_new(a, "reason_name",
		    json_string(web_printf(w, "reason%zu", i)));
		json_object_set_new(a, "reason_id",
		    json_string(web_printf(w, "rs%zu", i)));
		json_object_set_new(a, "comment_name",
		    json_string(web_printf(w, "comment%zu", i)));
		json_object_set_new(a, "comment_id",
		    json_string(web_printf(w, "cm%zu", i)));
		json_object_set_new(a, "comment",
		    json_string(comment ? comment : ""));
		json_object_set_new(a, "has_label", json_boolean(
		    *json_string_value(json_object_get(a, "label")) != '\0'));
	}
}

int
rating_page(struct web *w)
{
	const char	*token = kv_get(&w->params, "token");
	json_t		*m;
	int		 rc;

	m = rating_peek(w->db, token, w->now, &w->req->arena, &rc);
	if (m == NULL)
		return refuse(w, rc);
	if (!w->api)
		page_model(w, m);
	json_object_set_new(m, "form", json_object());
	json_object_set_new(m, "token", json_string(token));
	w->model = m;
	w->title = json_string_value(json_object_get(m, "label"));
	return 200;
}

/*
 * A level by API.md's name on the token's scale (the numbers differ: 不满意 is
 * 2 on the national scale and 1 on the enterprise one); 0 if not on it.
 */
static int
level_named(struct web *w, const char *token, const char *name)
{
	static const struct {
		const char	*scale, *name;
		int		 level;
	} names[] = {
		{ "national", "very_satisfied", 5 },
		{ "national", "satisfied", 4 },
		{ "national", "basic", 3 },
		{ "national", "dissatisfied", 2 },
		{ "national", "very_dissatisfied", 1 },
		{ "enterprise", "satisfied", 4 },
		{ "enterprise", "basic", 3 },
		{ "enterprise", "fair", 2 },
		{ "enterprise", "dissatisfied", 1 },
	};
	json_t		*m;
	const char	*scale;
	size_t		 i;
	int		 rc, level = 0;

	/* An unknown, used or expired link: rating_submit() says which. */
	if ((m = rating_peek(w->db, token, w->now, &w->req->arena, &rc)) ==
	    NULL)
		return 1;
	scale = json_string_value(json_object_get(m, "scale"));
	for (i = 0; scale != NULL && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].scale, scale) == 0 &&
		    strcmp(names[i].name, name) == 0)
			level = names[i].level;
	json_decref(m);
	return level;
}

/* The answers of a page form or API body; -1 after a 422. */
static int
answers(struct web *w, struct rating_in *in, size_t max, size_t *n)
{
	json_t		*arr, *o, *v;
	const char	*s;
	int64_t		 lv;
	size_t		 i;

	*n = 0;
	if (w->api && json_object_get(w->json, "answers") == NULL &&
	    (v = json_object_get(w->json, "level")) != NULL) {
		/* API.md's one-answer form: {"level", "reason"?, "comment"?}. */
		in[0].level = json_is_integer(v) ? (int)json_integer_value(v) :
		    json_is_string(v) ? level_named(w, kv_get(&w->params,
		    "token"), json_string_value(v)) : 0;
		if (in[0].level <= 0) {
			web_fail(w, 422, "invalid", "请选择评价等级", "level");
			return -1;
		}
		v = json_object_get(w->json, "reason");
		in[0].reason = json_is_string(v) ? json_string_value(v) : NULL;
		v = json_object_get(w->json, "comment");
		in[0].comment = json_is_string(v) ? json_string_value(v) : NULL;
		*n = 1;
		return 0;
	}
	if (w->api) {
		arr = json_object_get(w->json, "answers");
		if (!json_is_array(arr) || json_array_size(arr) == 0 ||
		    json_array_size(arr) > max)
		{
			web_fail(w, 422, "invalid", "请对每一项都作出评价",
			    "answers");
			return -1;
		}
		json_array_foreach(arr, i, o) {
			v = json_object_get(o, "level");
			if (!json_is_integer(v)) {
				web_fail(w, 422, "invalid", "请选择评价等级",
				    "level");
				return -1;
			}
			in[i].level = (int)json_integer_value(v);
			v = json_object_get(o, "reason");
			in[i].reason = json_is_string(v) ?
			    json_string_value(v) : NULL;
			v = json_object_get(o, "comment");
			in[i].comment = json_is_string(v) ?
			    json_string_value(v) : NULL;
		}
		*n = json_array_size(arr);
		return 0;
	}
	for (i = 0; i < max; i++) {
		s = sent(w, "level", i);
		if (s == NULL && i > 0)
			break;
		if (s == NULL || str_to_int64(s, 1, RATING_LEVEL_MAX, &lv) != 0) {
			web_fail(w, 422, "invalid", "请选择评价等级",
			    web_printf(w, "level%zu", i));
			return -1;
		}
		in[i].level = (int)lv;
		in[i].reason = sent(w, "reason", i);
		in[i].comment = sent(w, "comment", i);
		if (in[i].comment != NULL) {
			/* Trim what a phone keyboard adds. */
			while (*in[i].comment == ' ' || *in[i].comment == '\n')
				in[i].comment++;
		}
	}
	*n = i;
	return 0;
}

int
rating_post(struct web *w)
{
	const char		*token = kv_get(&w->params, "token");
	struct rating_in	 in[4];
	struct rating_bad	 bad;
	struct rating_ctx	 ctx;
	struct matter_actor	 who;
	struct audit_actor	 aa = web_audit_actor(w);
	int64_t			 ids[4];
	size_t			 n, i;
	json_t			*a;
	int			 rc;

	memset(in, 0, sizeof(in));
	if (answers(w, in, 4, &n) != 0)
		return 422;
	who.audit = aa;
	who.name = "群众评价";
	who.person_id = 0;
	who.roles = 0;
	ctx.cal = matter_cal(w->db);
	ctx.actor = &who;
	ctx.arena = &w->req->arena;
	ctx.now = w->now;
	ctx.today = rating_today(w);
	rc = rating_submit(w->db, token, in, n, &ctx, &aa, ids, &bad);
	if (rc == RATING_INVALID)
		return web_fail(w, 422, "invalid", bad.message, w->api ?
		    bad.field : web_printf(w, "%s%zu", bad.field, bad.index));
	if (rc != RATING_OK)
		return refuse(w, rc);
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer(ids[i]));
	w->model = json_pack("{so}", "ids", a);
	return web_done(w, 201, "/r/thanks");
}

int
rating_thanks(struct web *w)
{
	w->model = json_object();
	return 200;
}

int
rating_qr(struct web *w)
{
	const char	*token = kv_get(&w->params, "token");
	json_t		*m;
	int		 rc;

	m = rating_peek(w->db, token, w->now, &w->req->arena, &rc);
	if (m == NULL)
		return refuse(w, rc);
	json_decref(m);
	return rating_svg(w, web_printf(w, "/r/%s", token));
}

int
rating_svg(struct web *w, const char *path)
{
	if (qr_svg(&w->resp->body, rating_url(w, path)) != 0)
		return web_fail(w, 500, "qr", "二维码生成失败", NULL);
	w->raw = true;
	w->resp->content_type = "image/svg+xml";
	resp_header(w->req, w->resp, "Cache-Control", "no-store");
	resp_header(w->req, w->resp, "Content-Security-Policy",
	    "default-src 'none'; style-src 'unsafe-inline'");
	return 200;
}

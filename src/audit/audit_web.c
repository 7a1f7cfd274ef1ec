/* audit_web.c: the audit log for the audit admin, with filters and a check. */
#include <inttypes.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/audit_web.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "html/html.h"
#include "web/web.h"

static const char *const actions[] = { "session", "account", "person",
    "unit", "village", "group", "post", "policy", "access", "backup",
    "audit", "export", "import", NULL };

/* A date typed in Asia/Shanghai as the UTC instant it begins at. */
static const char *
day_start(struct web *w, const char *s, int plus_days, bool *bad)
{
	int64_t	 d;
	char	 t[TIME_ISO_LEN];

	if (str_empty(s))
		return NULL;
	if (date_parse(s, &d) != 0) {
		*bad = true;
		return NULL;
	}
	time_iso_utc((d + plus_days) * 86400000 - TIME_CN_OFFSET_MS, t);
	return arena_strdup(&w->req->arena, t);
}

int
audit_page(struct web *w)
{
	struct audit_filter	 f;
	struct buf		 next = BUF_INIT;
	const char		*q_from, *q_to, *res_q;
	json_t			*res, *opts;
	int64_t			 lim;
	bool			 bad = false;
	size_t			 i;
	int			 rc;

	memset(&f, 0, sizeof(f));
	f.actor = req_query(w->req, "actor");
	if (str_empty(f.actor))
		f.actor = NULL;
	f.action = req_query(w->req, "action");
	if (str_empty(f.action))
		f.action = NULL;
	q_from = req_query(w->req, "from");
	q_to = req_query(w->req, "to");
	f.from = day_start(w, q_from, 0, &bad);
	if (bad)
		return web_fail(w, 422, "invalid",
		    "「从」日期格式不正确（如 2026-01-05）", "from");
	f.to = day_start(w, q_to, 1, &bad);
	if (bad)
		return web_fail(w, 422, "invalid",
		    "「到」日期格式不正确（如 2026-01-31）", "to");
	res_q = req_query(w->req, "result");
	f.result = str_eq(res_q, "ok") || str_eq(res_q, "fail") ? res_q : NULL;
	f.limit = 50;
	if (req_query(w->req, "limit") != NULL) {
		if (str_to_int64(req_query(w->req, "limit"), 1, 200, &lim) != 0)
			return web_fail(w, 422, "invalid",
			    "每页条数应为1到200", "limit");
		f.limit = (int)lim;
	}
	if (req_query(w->req, "after") != NULL &&
	    str_to_int64(req_query(w->req, "after"), 1, INT64_MAX,
	    &f.before) != 0)
		return web_fail(w, 422, "invalid", "分页参数无效", "after");
	if ((res = audit_list(w->db, w->scope.township_id, &f, &rc)) == NULL)
		return web_db_fail(w, rc);
	w->model = res;
	if (w->api)
		return 200;
	opts = json_array();
	for (i = 0; actions[i] != NULL; i++)
		json_array_append_new(opts, json_pack("{ss sb}", "value",
		    actions[i], "selected", str_eq(f.action, actions[i])));
	if (!json_is_null(json_object_get(res, "next"))) {
		buf_lit(&next, "/audit?after=");
		buf_adds(&next, json_string_value(json_object_get(res, "next")));
		if (f.actor) {
			buf_lit(&next, "&actor=");
			html_url_arg(&next, f.actor);
		}
		if (f.action) {
			buf_lit(&next, "&action=");
			html_url_arg(&next, f.action);
		}
		if (!str_empty(q_from)) {
			buf_lit(&next, "&from=");
			html_url_arg(&next, q_from);
		}
		if (!str_empty(q_to)) {
			buf_lit(&next, "&to=");
			html_url_arg(&next, q_to);
		}
		if (f.result)
			buf_addf(&next, "&result=%s", f.result);
	}
	json_object_set_new(res, "next_url", next.len ? json_string(next.data) :
	    json_null());
	buf_release(&next);
	json_object_set_new(res, "filter", json_pack("{ss ss ss sb sb}",
	    "actor", f.actor ? f.actor : "", "from", q_from ? q_from : "",
	    "to", q_to ? q_to : "", "ok", str_eq(f.result, "ok"), "fail",
	    str_eq(f.result, "fail")));
	json_object_set_new(res, "actions", opts);
	json_object_set_new(res, "verify", json_null());
	return 200;
}

int
audit_verify_post(struct web *w)
{
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 count = 0, bad = 0;
	char			 why[160] = "";
	json_t			*detail, *result;
	int			 rc;

	rc = audit_verify(w->db, &count, &bad, why, sizeof(why));
	if (rc < 0)
		return web_db_fail(w, rc);
	detail = json_pack("{sI sb}", "records", (json_int_t)count, "intact",
	    rc == 0);
	if (rc == 1)
		json_object_set_new(detail, "broken_id", json_integer(bad));
	if (audit_write_alone(w->db, &who, "audit.verify", "audit", 0, rc == 0,
	    detail) != DB_OK) {
		json_decref(detail);
		return web_db_fail(w, DB_UNAVAIL);
	}
	json_decref(detail);
	result = json_pack("{sb sI so ss}", "intact", rc == 0, "records",
	    (json_int_t)count, "broken_id", rc == 1 ? json_integer(bad) :
	    json_null(), "why", why);
	if (w->api) {
		w->model = result;
		return 200;
	}
	/* Show the log page with the result on top. */
	rc = audit_page(w);
	if (rc != 200) {
		json_decref(result);
		return rc;
	}
	json_object_set_new(w->model, "verify", result);
	return 200;
}

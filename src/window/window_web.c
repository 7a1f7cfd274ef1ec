/* window_web.c: window service pages: windows, AB posts, records, rectification. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/role.h"
#include "base/arena.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "http/form.h"
#include "matter/matter_db.h"
#include "matter/matter_web.h"
#include "org/org.h"
#include "petition/roster_db.h"
#include "rating/rating_db.h"
#include "rating/rating_web.h"
#include "report/xlsx.h"
#include "web/download.h"
#include "web/input.h"
#include "web/options.h"
#include "web/web.h"
#include "window/window.h"
#include "window/window_db.h"
#include "window/window_web.h"

/* The month of "?month=2026-11", else this month: first and last day. */
static void
month_of(struct web *w, int64_t *from, int64_t *to, char label[8])
{
	const char	*q = kv_get(&w->req->query, "month");
	int64_t		 today = rating_today(w), y, m, d0;
	int		 yy, mm, dd;

	date_to_ymd(today, &yy, &mm, &dd);
	if (q != NULL && strlen(q) == 7 && q[4] == '-' &&
	    str_to_int64(web_printf(w, "%.4s", q), 2000, 2100, &y) == 0 &&
	    str_to_int64(q + 5, 1, 12, &m) == 0) {
		yy = (int)y;
		mm = (int)m;
	}
	d0 = date_from_ymd(yy, mm, 1);
	*from = d0;
	*to = (mm == 12 ? date_from_ymd(yy + 1, 1, 1) :
	    date_from_ymd(yy, mm + 1, 1)) - 1;
	snprintf(label, 8, "%04d-%02d", yy, mm);
}

int
window_list_page(struct web *w)
{
	json_t	*items;
	int64_t	 from, to;
	char	 month[8];
	int	 rc;

	month_of(w, &from, &to, month);
	if ((items = window_list(w->db, &w->scope, from, to, &rc)) == NULL)
		return web_db_fail(w, rc);
	w->model = json_pack("{so ss sb}", "items", items, "month", month,
	    "can_edit", web_can(w, WINDOW_EDIT));
	return 200;
}

enum { WF_NAME, WF_ITEMS, WF_VILLAGE, WF_LEAD, WF_A, WF_B, WF__MAX };

static const struct field window_fields[WF__MAX] = {
	[WF_NAME] = { "name", "窗口名称", F_TEXT, true, 1, 40, NULL },
	[WF_ITEMS] = { "items", "办理事项", F_TEXT, false, 0, 200, NULL },
	[WF_VILLAGE] = { "village_id", "所属村便民服务站", F_ID, false, 0, 0, NULL },
	[WF_LEAD] = { "lead_id", "窗口负责人", F_ID, false, 0, 0, NULL },
	[WF_A] = { "a_id", "A岗（主办）", F_ID, true, 0, 0, NULL },
	[WF_B] = { "b_id", "B岗（协办）", F_ID, true, 0, 0, NULL },
};

int
window_form(struct web *w)
{
	int64_t		 id = web_param_id(w, "id");
	json_t		*cur = NULL, *cadres, *villages, *opts, *form;
	int64_t		 vsel = w->scope.village_id;
	int		 rc;

	if (id != 0) {
		cur = window_get(w->db, &w->scope, id, &rc);
		if (cur == NULL)
			return rc == DB_DONE ? web_not_found(w) :
			    web_db_fail(w, rc);
		vsel = json_integer_value(json_object_get(cur, "village_id"));
	}
	if ((cadres = roster_leaders(w->db, w->scope.township_id, &rc)) ==
	    NULL) {
		json_decref(cur);
		return web_db_fail(w, rc);
	}
	if ((villages = org_village_options(w->db, &w->scope, &rc)) == NULL) {
		json_decref(cur);
		json_decref(cadres);
		return web_db_fail(w, rc);
	}
	opts = json_pack("{so so so so}",
	    "village_id", opt_villages(villages, vsel),
	    "lead_id", opt_ids(cadres, cur ? json_integer_value(
	    json_object_get(cur, "lead_id")) : 0),
	    "a_id", opt_ids(cadres, cur ? json_integer_value(
	    json_object_get(cur, "a_id")) : 0),
	    "b_id", opt_ids(cadres, cur ? json_integer_value(
	    json_object_get(cur, "b_id")) : 0));
	form = json_pack("{ss ss}",
	    "name", cur ? json_string_value(json_object_get(cur, "name")) : "",
	    "items", cur ? json_string_value(json_object_get(cur, "items")) :
	    "");
	w->model = json_pack("{so so sb sI sb}", "form", form, "options", opts,
	    "editing", id != 0, "id", (json_int_t)id,
	    "village_fixed", w->scope.village_id != 0);
	json_decref(villages);
	json_decref(cadres);
	json_decref(cur);
	return 200;
}

int
window_save_post(struct web *w)
{
	struct value		 v[WF__MAX];
	struct window_in	 in;
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id = web_param_id(w, "id");
	int			 st, rc, i;

	if ((st = input_check(w, window_fields, WF__MAX, v)) != 0)
		return st;
	memset(&in, 0, sizeof(in));
	in.name = v[WF_NAME].s;
	in.items = v[WF_ITEMS].present ? v[WF_ITEMS].s : "";
	in.village_id = w->scope.village_id ? w->scope.village_id :
	    v[WF_VILLAGE].present ? v[WF_VILLAGE].i : 0;
	in.lead_id = v[WF_LEAD].present ? v[WF_LEAD].i : 0;
	in.a_id = v[WF_A].i;
	in.b_id = v[WF_B].i;
	if (in.a_id == in.b_id)
		return web_fail(w, 422, "invalid",
		    "A岗和B岗不能是同一人（AB岗互为备岗）", "b_id");
	if (in.village_id != 0 && (rc = window_village_ok(w->db,
	    w->scope.township_id, in.village_id)) != 1)
		return rc < 0 ? web_db_fail(w, rc) : web_fail(w, 422,
		    "invalid", "「所属村便民服务站」不存在", "village_id");
	for (i = WF_LEAD; i <= WF_B; i++) {
		if (!v[i].present)
			continue;
		if ((rc = window_cadre_ok(w->db, w->scope.township_id,
		    v[i].i)) != 1)
			return rc < 0 ? web_db_fail(w, rc) : web_fail(w, 422,
			    "invalid", web_printf(w, "「%s」不是本乡镇的干部",
			    window_fields[i].label), window_fields[i].name);
	}
	rc = window_save(w->db, &w->scope, &in, &who, w->now, &id);
	if (rc == DB_CONSTRAINT)
		return web_fail(w, 409, "duplicate", "已有同名窗口", "name");
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI}", "id", (json_int_t)id);
	return web_done(w, web_param_id(w, "id") ? 200 : 201,
	    web_printf(w, "/windows/%" PRId64, id));
}

/* The window's own people, for the problem ledger's owner. */
static json_t *
staff_options(json_t *win)
{
	static const char *const who[][2] = {
		{ "a_id", "a" }, { "b_id", "b" }, { "lead_id", "lead" },
	};
	json_t	*a = json_array(), *id;
	size_t	 i;

	for (i = 0; i < 3; i++) {
		id = json_object_get(win, who[i][0]);
		if (!json_is_integer(id))
			continue;
		json_array_append_new(a, json_pack("{so sO}", "value",
		    json_sprintf("%" JSON_INTEGER_FORMAT,
		    json_integer_value(id)), "label",
		    json_object_get(win, who[i][1])));
	}
	return a;
}

int
window_show(struct web *w)
{
	int64_t	 id = web_param_id(w, "id");
	json_t	*o, *recs;
	int	 rc;

	if ((o = window_get(w->db, &w->scope, id, &rc)) == NULL)
		return rc == DB_DONE ? web_not_found(w) : web_db_fail(w, rc);
	if ((recs = window_records(w->db, &w->scope, id, &rc)) == NULL) {
		json_decref(o);
		return web_db_fail(w, rc);
	}
	json_object_set_new(o, "records", recs);
	json_object_set_new(o, "can_edit", json_boolean(web_can(w,
	    WINDOW_EDIT)));
	json_object_set_new(o, "staff_options", staff_options(o));
	json_object_set_new(o, "form", json_pack("{ss ss ss}", "item", "",
	    "citizen", "", "note", ""));
	json_object_set_new(o, "public_url", json_string(rating_url(w,
	    web_printf(w, "/w/%s", json_string_value(json_object_get(o,
	    "code"))))));
	w->model = o;
	return 200;
}

int
window_absent_post(struct web *w)
{
	static const struct field f[] = {
		{ "absent", "A岗不在岗", F_BOOL, false, 0, 0, NULL },
		{ "note", "说明", F_TEXT, false, 0, 100, NULL },
	};
	struct value		 v[2];
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id = web_param_id(w, "id");
	int			 st, rc;

	if ((st = input_check(w, f, 2, v)) != 0)
		return st;
	rc = window_set_absent(w->db, &w->scope, id, v[0].present && v[0].i,
	    v[1].present ? v[1].s : "", &who, w->now);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sb}", "a_absent", v[0].present && v[0].i);
	return web_done(w, 200, web_printf(w, "/windows/%" PRId64, id));
}

int
window_record_post(struct web *w)
{
	static const char *const posts[] = { "A", "B", NULL };
	static const struct field f[] = {
		{ "item", "办理事项", F_TEXT, true, 1, 60, NULL },
		{ "citizen", "办事群众姓名", F_TEXT, true, 1, 20, NULL },
		{ "post", "经办岗位", F_ENUM, false, 0, 0, posts },
	};
	struct value		 v[3];
	struct record_in	 in;
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id = web_param_id(w, "id"), rid = 0;
	char			 code[7];
	int			 st, rc;

	if ((st = input_check(w, f, 3, v)) != 0)
		return st;
	in.item = v[0].s;
	in.citizen = v[1].s;
	in.post = v[2].present ? v[2].s : NULL;
	rc = window_record_create(w->db, &w->scope, id, &in, &who, w->now,
	    &rid, code);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI ss}", "id", (json_int_t)rid, "eval_code",
	    code);
	return web_done(w, 201, web_printf(w, "/records/%" PRId64, rid));
}

int
window_record_show(struct web *w)
{
	int64_t	 id = web_param_id(w, "id"), mid;
	json_t	*o, *ratings;
	int	 rc;

	if ((o = window_record_get(w->db, &w->scope, id, &rc)) == NULL)
		return rc == DB_DONE ? web_not_found(w) : web_db_fail(w, rc);
	ratings = rating_of_record(w->db, w->scope.township_id, "window", id,
	    &rc);
	if (ratings == NULL) {
		json_decref(o);
		return web_db_fail(w, rc);
	}
	mid = window_rect_of_record(w->db, w->scope.township_id, id);
	json_object_set_new(o, "ratings", ratings);
	json_object_set_new(o, "rated", json_boolean(json_array_size(ratings)
	    > 0));
	json_object_set_new(o, "rect_id", mid > 0 ? json_integer(mid) :
	    json_null());
	json_object_set_new(o, "can_edit", json_boolean(web_can(w,
	    WINDOW_EDIT)));
	w->model = o;
	return 200;
}

/* The page that shows a fresh link and its QR code once. */
static int
show_link(struct web *w, const char *token, const char *what, int64_t back,
    const char *back_label)
{
	const char	*path = web_printf(w, "/r/%s", token);

	w->model = json_pack("{ss ss ss ss ss ss}", "token", token,
	    "url", rating_url(w, path), "qr", web_printf(w, "%s/qr.svg", path),
	    "what", what, "back", back_label,
	    "back_href", web_printf(w, "/records/%" PRId64, back));
	w->tmpl = "rating_link";
	return w->api ? 201 : 200;
}

int
window_link_post(struct web *w)
{
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 id = web_param_id(w, "id");
	char			 token[SECRET_TOKEN_LEN + 1];
	json_t			*o;
	int			 rc;

	/* In scope?  (window_link works by township only.) */
	if ((o = window_record_get(w->db, &w->scope, id, &rc)) == NULL)
		return rc == DB_DONE ? web_not_found(w) : web_db_fail(w, rc);
	json_decref(o);
	rc = window_link(w->db, w->scope.township_id, id, w->actor.id, &who,
	    w->now, token);
	if (rc == DB_DONE)
		return web_fail(w, 409, "rated",
		    "该办件已经评价过了，不能再生成评价链接", NULL);
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	return show_link(w, token, "一事两评评价链接", id, "返回办件");
}

/* A rectification matter in scope: its record, or a refusal. */
static int
rect_record(struct web *w, int64_t mid, int64_t *rec)
{
	json_t	*m;
	int	 rc;

	m = matter_get(w->db, &w->scope, mid, rating_today(w), &rc);
	if (m == NULL)
		return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	rc = str_eq(json_string_value(json_object_get(m, "type")),
	    "rectification");
	json_decref(m);
	if (!rc)
		return web_not_found(w);
	*rec = window_record_of_rect(w->db, w->scope.township_id, mid);
	if (*rec <= 0)
		return *rec < 0 ? web_db_fail(w, (int)*rec) : web_not_found(w);
	return 0;
}

static int
matter_refused(struct web *w, const struct matter_err *e)
{
	if (e->status == 503)
		return web_db_fail(w, DB_UNAVAIL);
	return web_fail(w, e->status, e->code, e->message, e->field);
}

int
window_callback_post(struct web *w)
{
	static const struct field f[] = {
		{ "note", "回访情况", F_MULTILINE, true, 1, 500, NULL },
	};
	struct value		 v[1];
	struct matter_actor	 who = matter_actor_of(w);
	struct matter_act	 act;
	struct matter_err	 err;
	int64_t			 mid = web_param_id(w, "id"), rec = 0;
	char			 token[SECRET_TOKEN_LEN + 1];
	int			 st, rc;

	if ((st = input_check(w, f, 1, v)) != 0)
		return st;
	if ((st = rect_record(w, mid, &rec)) != 0)
		return st;
	memset(&act, 0, sizeof(act));
	act.action = MA_CALLBACK;
	act.note = v[0].s;
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	if (matter_apply_tx(w->db, &w->scope, mid, &act, matter_cal(w->db),
	    &who, rating_today(w), w->now, &err) != 0) {
		db_end(w->db, -1);
		return matter_refused(w, &err);
	}
	rc = window_rerate_link(w->db, w->scope.township_id, mid, w->actor.id,
	    w->now, token);
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	return show_link(w, token, "整改回访复评链接", rec, "返回办件");
}

int
window_rerate_post(struct web *w)
{
	struct audit_actor	 who = web_audit_actor(w);
	int64_t			 mid = web_param_id(w, "id"), rec = 0;
	char			 token[SECRET_TOKEN_LEN + 1];
	json_t			*m;
	int			 st, rc;

	if ((st = rect_record(w, mid, &rec)) != 0)
		return st;
	m = matter_get(w->db, &w->scope, mid, rating_today(w), &rc);
	if (m == NULL)
		return web_db_fail(w, rc);
	rc = str_eq(json_string_value(json_object_get(m, "state")),
	    "called_back");
	json_decref(m);
	if (!rc)
		return web_fail(w, 409, "state",
		    "回访之后才能生成复评链接", NULL);
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = window_rerate_link(w->db, w->scope.township_id, mid, w->actor.id,
	    w->now, token);
	if (rc == DB_OK)
		rc = audit_write(w->db, &who, "window.rerate_link", "matter",
		    mid, true, NULL);
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	return show_link(w, token, "整改回访复评链接", rec, "返回办件");
}

int
window_decide_post(struct web *w)
{
	static const char *const decisions[] = { "upheld", "rejected", NULL };
	static const struct field f[] = {
		{ "decision", "复核结论", F_ENUM, true, 0, 0, decisions },
		{ "reason", "复核理由", F_MULTILINE, true, 2, 500, NULL },
	};
	struct value		 v[2];
	struct matter_actor	 who = matter_actor_of(w);
	struct matter_act	 act;
	struct matter_err	 err;
	int64_t			 mid = web_param_id(w, "id"), rec = 0;
	json_t			*ratings, *r;
	size_t			 i;
	bool			 upheld;
	int			 st, rc;

	if ((st = input_check(w, f, 2, v)) != 0)
		return st;
	if ((st = rect_record(w, mid, &rec)) != 0)
		return st;
	upheld = str_eq(v[0].s, "upheld");
	memset(&act, 0, sizeof(act));
	act.action = upheld ? MA_CLOSE : MA_REOPEN;
	act.closing = upheld ? "appeal_upheld" : NULL;
	act.note = web_printf(w, "申诉复核：%s。理由：%s",
	    upheld ? "申诉成立，该差评不计入满意度统计" : "申诉不成立，继续整改",
	    v[1].s);
	who.roles = WINDOW_BY_APPEAL;
	if ((ratings = rating_of_record(w->db, w->scope.township_id, "window",
	    rec, &rc)) == NULL)
		return web_db_fail(w, rc);
	if ((rc = db_begin(w->db)) != DB_OK) {
		json_decref(ratings);
		return web_db_fail(w, rc);
	}
	if (matter_apply_tx(w->db, &w->scope, mid, &act, matter_cal(w->db),
	    &who, rating_today(w), w->now, &err) != 0) {
		db_end(w->db, -1);
		json_decref(ratings);
		return matter_refused(w, &err);
	}
	rc = DB_OK;
	json_array_foreach(ratings, i, r) {
		if (!upheld || !json_is_true(json_object_get(r, "bad")))
			continue;
		rc = rating_void(w->db, w->scope.township_id,
		    json_integer_value(json_object_get(r, "id")),
		    web_printf(w, "申诉成立：%s", v[1].s), w->now);
		if (rc != DB_OK)
			break;
	}
	json_decref(ratings);
	if ((rc = db_end(w->db, rc)) != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{ss}", "decision", v[0].s);
	return web_done(w, 200, web_printf(w, "/matters/%" PRId64, mid));
}

int
window_stats_page(struct web *w)
{
	json_t	*o;
	int64_t	 from, to;
	char	 month[8];
	int	 rc;

	month_of(w, &from, &to, month);
	if ((o = window_stats(w->db, &w->scope, from, to, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_object_set_new(o, "month", json_string(month));
	w->model = o;
	return 200;
}

int
window_poster(struct web *w)
{
	int64_t	 id = web_param_id(w, "id");
	json_t	*o;
	int	 rc;

	if ((o = window_get(w->db, &w->scope, id, &rc)) == NULL)
		return rc == DB_DONE ? web_not_found(w) : web_db_fail(w, rc);
	json_object_set_new(o, "public_url", json_string(rating_url(w,
	    web_printf(w, "/w/%s", json_string_value(json_object_get(o,
	    "code"))))));
	w->model = o;
	w->print = true;
	return 200;
}

/* The public side: the window's posted QR code leads here. */
int
window_public(struct web *w)
{
	const char	*code = kv_get(&w->params, "code");
	json_t		*o;
	int		 rc;

	if ((o = window_by_code(w->db, code, &rc)) == NULL)
		return rc == DB_DONE ? web_fail(w, 404, "not_found",
		    "没有找到该窗口，请核对二维码", NULL) : web_db_fail(w, rc);
	json_object_set_new(o, "form", json_pack("{ss}", "eval_code", ""));
	w->model = o;
	return 200;
}

int
window_public_post(struct web *w)
{
	static const struct field f[] = {
		{ "eval_code", "评价码", F_TEXT, true, 6, 6, NULL },
	};
	struct value		 v[1];
	struct audit_actor	 who = web_audit_actor(w);
	const char		*code = kv_get(&w->params, "code");
	char			 token[SECRET_TOKEN_LEN + 1];
	json_t			*o;
	int64_t			 wid, tid, rec;
	int			 st, rc;
	size_t			 i;

	if ((st = input_check(w, f, 1, v)) != 0)
		return st;
	for (i = 0; i < 6; i++)
		if (v[0].s[i] < '0' || v[0].s[i] > '9')
			return web_fail(w, 422, "invalid",
			    "「评价码」是办事凭条上的6位数字", "eval_code");
	if ((rc = window_guesses(w->db, w->req->addr, w->now)) < 0)
		return web_db_fail(w, rc);
	if (rc >= WINDOW_GUESS_MAX) {
		w->retry_after = (int)(60 - (w->now / 1000) % 60);
		return web_fail(w, 429, "busy",
		    "评价码输错次数过多，请一分钟后再试", "eval_code");
	}
	if ((o = window_by_code(w->db, code, &rc)) == NULL)
		return rc == DB_DONE ? web_fail(w, 404, "not_found",
		    "没有找到该窗口，请核对二维码", NULL) : web_db_fail(w, rc);
	wid = json_integer_value(json_object_get(o, "id"));
	tid = json_integer_value(json_object_get(o, "township_id"));
	json_decref(o);
	rec = window_record_by_code(w->db, wid, v[0].s, w->now);
	if (rec < 0)
		return web_db_fail(w, (int)rec);
	if (rec == 0 && (rc = window_guess_wrong(w->db, w->req->addr,
	    w->now)) != DB_OK)
		return web_db_fail(w, rc);
	if (rec == 0)
		return web_fail(w, 422, "invalid",
		    "评价码不正确，或该次办事已经评价过（评价码3天内有效）",
		    "eval_code");
	rc = window_link(w->db, tid, rec, 0, &who, w->now, token);
	if (rc == DB_DONE)
		return web_fail(w, 422, "invalid",
		    "该次办事已经评价过了，感谢您的参与", "eval_code");
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{ss}", "url", web_printf(w, "/r/%s", token));
	return web_done(w, 201, web_printf(w, "/r/%s", token));
}

int
window_public_qr(struct web *w)
{
	const char	*code = kv_get(&w->params, "code");
	json_t		*o;
	int		 rc;

	if ((o = window_by_code(w->db, code, &rc)) == NULL)
		return rc == DB_DONE ? web_not_found(w) : web_db_fail(w, rc);
	json_decref(o);
	return rating_svg(w, web_printf(w, "/w/%s", code));
}

/* 查找整改问题台账: a problem of the window, its owner and deadline. */
int
window_problem_post(struct web *w)
{
	static const struct field f[] = {
		{ "title", "问题", F_TEXT, true, 2, 100, NULL },
		{ "body", "整改措施", F_MULTILINE, false, 0, 500, NULL },
		{ "owner_id", "整改责任人", F_ID, true, 0, 0, NULL },
		{ "deadline", "清零时限", F_DATE, true, 0, 0, NULL },
	};
	struct value		 v[4];
	struct matter_actor	 who = matter_actor_of(w);
	struct matter_new	 in;
	int64_t			 id = web_param_id(w, "id"), mid = 0;
	char			 code[32];
	json_t			*win;
	int			 st, rc;

	if ((st = input_check(w, f, 4, v)) != 0)
		return st;
	if (v[3].i < rating_today(w))
		return web_fail(w, 422, "invalid", "「清零时限」不能早于今天",
		    "deadline");
	if ((win = window_get(w->db, &w->scope, id, &rc)) == NULL)
		return rc == DB_DONE ? web_not_found(w) : web_db_fail(w, rc);
	if ((rc = window_cadre_ok(w->db, w->scope.township_id, v[2].i)) != 1) {
		json_decref(win);
		return rc < 0 ? web_db_fail(w, rc) : web_fail(w, 422, "invalid",
		    "「整改责任人」不是本乡镇的干部", "owner_id");
	}
	memset(&in, 0, sizeof(in));
	in.type = matter_type_get("window_problem");
	in.title = web_printf(w, "%s：%s", json_string_value(json_object_get(win,
	    "name")), v[0].s);
	in.body = v[1].present ? v[1].s : "";
	in.source = "self_check";
	in.village_id = json_integer_value(json_object_get(win, "village_id"));
	in.lead_id = v[2].i;
	in.clock_day = v[3].i;	/* the clock of 0 days: due on the deadline */
	in.details = json_pack("{sI}", "window_id", (json_int_t)id);
	json_decref(win);
	if ((rc = db_begin(w->db)) == DB_OK)
		rc = matter_create(w->db, &w->scope, &in, matter_cal(w->db), &who,
		    w->now, &mid, code);
	rc = db_end(w->db, rc);
	json_decref(in.details);
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	w->model = json_pack("{sI ss}", "id", (json_int_t)mid, "code", code);
	return web_done(w, 201, web_printf(w, "/matters/%" PRId64, mid));
}

/* One sheet row of the monthly figures. */
static int
stats_row(struct xlsx_ledger *x, const char *kind, json_t *o)
{
	const char	*cells[6];
	char		 total[24], ok[24];

	snprintf(total, sizeof(total), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(o, "total")));
	snprintf(ok, sizeof(ok), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(o, "satisfied")));
	cells[0] = kind;
	cells[1] = json_string_value(json_object_get(o, "name"));
	cells[2] = json_string_value(json_object_get(o, "village"));
	cells[3] = total;
	cells[4] = ok;
	cells[5] = json_string_value(json_object_get(o, "rate"));
	return xlsx_ledger_row(x, cells);
}

/* 窗口服务满意度统计表: the month's figures as a ledger sheet. */
int
window_stats_export(struct web *w)
{
	static const struct xlsx_col cols[] = {
		{ "类别", 10, XLSX_TEXT },
		{ "窗口/工作人员", 24, XLSX_TEXT },
		{ "所属", 16, XLSX_TEXT },
		{ "评价数", 9, XLSX_NUMBER },
		{ "满意数", 9, XLSX_NUMBER },
		{ "满意率（%）", 11, XLSX_NUMBER },
	};
	struct xlsx_ledger	*x;
	struct download		 dl;
	char			 path[DOWNLOAD_PATH_MAX], month[8], date[32];
	const char		*township, *foot[6];
	json_t			*o, *r;
	int64_t			 from, to;
	size_t			 i;
	int			 rc = 0, st;

	month_of(w, &from, &to, month);
	if ((o = window_stats(w->db, &w->scope, from, to, &rc)) == NULL)
		return web_db_fail(w, rc);
	if (download_scratch(path) != 0) {
		json_decref(o);
		return web_db_fail(w, DB_UNAVAIL);
	}
	date_cn(rating_today(w), date);
	township = org_township_name(w->db, w->scope.township_id,
	    &w->req->arena);
	x = xlsx_ledger_open(path, "满意度", web_printf(w,
	    "窗口服务满意度统计表（%s）", month), township ? township : "",
	    date, cols, sizeof(cols) / sizeof(cols[0]));
	if (x == NULL) {
		json_decref(o);
		unlink(path);
		return web_db_fail(w, DB_UNAVAIL);
	}
	json_array_foreach(json_object_get(o, "windows"), i, r)
		if (rc == 0)
			rc = stats_row(x, "窗口", r);
	json_array_foreach(json_object_get(o, "staff"), i, r)
		if (rc == 0)
			rc = stats_row(x, "工作人员", r);
	foot[0] = "差评整改";
	foot[1] = web_printf(w, "整改销号率%s%%，回访率%s%%",
	    json_string_value(json_object_get(o, "rectify_rate")),
	    json_string_value(json_object_get(o, "callback_rate")));
	foot[2] = "";
	foot[3] = web_printf(w, "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(o, "bad")));
	foot[4] = web_printf(w, "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(o, "rectified")));
	foot[5] = json_string_value(json_object_get(o, "rectify_rate"));
	if (rc == 0)
		rc = xlsx_ledger_row(x, foot);
	json_decref(o);
	if (xlsx_ledger_close(x) != 0 || rc != 0) {
		unlink(path);
		return web_db_fail(w, DB_UNAVAIL);
	}
	memset(&dl, 0, sizeof(dl));
	dl.path = path;
	dl.content_type = XLSX_MEDIA_TYPE;
	dl.ascii_name = "window-satisfaction.xlsx";
	dl.name = web_printf(w, "窗口服务满意度统计表%s.xlsx", month);
	dl.action = "export.window_stats";
	dl.object_type = "service_window";
	st = download_send(w, &dl);
	return st;
}

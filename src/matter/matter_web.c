/* matter_web.c: the ledger pages and API: list, detail, actions, files, export. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/role.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "db/db.h"
#include "html/html.h"
#include "matter/attach.h"
#include "matter/matter_db.h"
#include "matter/matter_web.h"
#include "org/org.h"
#include "petition/petition_web.h"
#include "report/xlsx.h"
#include "web/input.h"
#include "web/download.h"
#include "web/options.h"
#include "web/web.h"

/* Who may read the ledger, and who may register and act on matters. */
#define LEDGER_READ	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | \
			 ROLE_VILLAGE | ROLE_INSPECTOR)

/*
 * The calendar, loaded from the database and shared by all threads.  It is
 * reloaded a minute after it was loaded (another server's admin may have
 * amended it) or at once after an amendment here.  A replaced calendar may
 * still be in a reader's hands, so it is freed only at a later reload,
 * once it has been out of use for longer than any request may run.
 */
#define CAL_RELOAD_MS	60000
#define CAL_GRACE_MS	600000		/* far beyond the 30 s request timeout */

static pthread_mutex_t	 cal_lock = PTHREAD_MUTEX_INITIALIZER;
static struct calendar	*cal_cur;
static int64_t		 cal_at;
static bool		 cal_stale;	/* amended here: reload at once */
static struct {
	struct calendar	*cal;
	int64_t		 replaced_at;
}			 cal_old[64];
static size_t		 cal_nold;

/* Free the replaced calendars no reader can still hold; keep the rest. */
static void
cal_reap(int64_t now)
{
	size_t	 i, kept = 0;

	for (i = 0; i < cal_nold; i++)
		if (now - cal_old[i].replaced_at > CAL_GRACE_MS)
			calendar_free(cal_old[i].cal);
		else
			cal_old[kept++] = cal_old[i];
	cal_nold = kept;
	/*
	 * 64 amendments within the grace period: forget the oldest rather
	 * than free what a reader may hold (a few KiB, never in practice).
	 */
	if (cal_nold == NELEM(cal_old))
		memmove(cal_old, cal_old + 1, --cal_nold * sizeof(cal_old[0]));
}

const struct calendar *
matter_cal(struct db *db)
{
	struct calendar	*c, *fresh;
	int64_t		 now = time_mono_ms();

	pthread_mutex_lock(&cal_lock);
	if (cal_cur == NULL || cal_stale || now - cal_at > CAL_RELOAD_MS) {
		if ((fresh = matter_calendar_load(db)) != NULL) {
			cal_stale = false;
			cal_reap(now);
			if (cal_cur != NULL) {
				cal_old[cal_nold].cal = cal_cur;
				cal_old[cal_nold++].replaced_at = now;
			}
			cal_cur = fresh;
			cal_at = now;
		}
	}
	c = cal_cur;
	pthread_mutex_unlock(&cal_lock);
	return c;
}

void
matter_cal_flush(void)
{
	pthread_mutex_lock(&cal_lock);
	/*
	 * A flag, not cal_at = 0 alone: the monotonic clock counts from boot,
	 * so in a machine's first minute "now - 0" is not yet past the
	 * minute and the amendment would wait for the timed reload.
	 */
	cal_stale = true;
	pthread_mutex_unlock(&cal_lock);
}

struct matter_actor
matter_actor_of(struct web *w)
{
	struct matter_actor	 a;

	a.audit = web_audit_actor(w);
	a.name = w->actor.name;
	a.person_id = w->actor.person_id;
	a.roles = w->actor.roles;
	return a;
}

static int
answer(struct web *w, const struct matter_err *e)
{
	if (e->status == 503)
		w->retry_after = 5;
	return web_fail(w, e->status, e->code, e->message, e->field);
}

static int64_t
query_id(struct web *w, const char *name)
{
	int64_t	 id;

	if (str_to_int64(req_query(w->req, name), 1, INT64_MAX, &id) != 0)
		return 0;
	return id;
}

static bool
query_flag(struct web *w, const char *name)
{
	const char	*v = req_query(w->req, name);

	return v != NULL && (str_eq(v, "1") || str_eq(v, "on") ||
	    str_eq(v, "true"));
}

/* Read the ledger filters from the query string; 0 or a status. */
static int
filters(struct web *w, struct matter_filter *f)
{
	const char	*type = req_query(w->req, "type");
	const char	*state = req_query(w->req, "state");
	int64_t		 lim;

	memset(f, 0, sizeof(*f));
	f->today = date_today_cn();
	if (!str_empty(type)) {
		if (matter_type_get(type) == NULL)
			return web_fail(w, 422, "invalid", "事项类别无效", "type");
		f->type = type;
	}
	if (!str_empty(state)) {
		const struct matter_type *const *types;
		size_t	 i, n;
		bool	 known = false;

		/* Without a type, a state any type knows. */
		types = matter_types(&n);
		for (i = 0; i < n; i++)
			if ((f->type == NULL || str_eq(types[i]->name,
			    f->type)) && matter_state_valid(types[i], state))
				known = true;
		if (!known)
			return web_fail(w, 422, "invalid", "办理状态无效",
			    "state");
		f->state = state;
	}
	f->village_id = query_id(w, "village");
	f->unit_id = query_id(w, "unit");
	f->owner_id = query_id(w, "owner");
	f->overdue = query_flag(w, "overdue");
	f->due_soon = query_flag(w, "due_soon");
	f->key = query_flag(w, "key");
	f->q = req_query(w->req, "q");
	if (f->q != NULL && utf8_len(f->q) > 64)
		return web_fail(w, 422, "invalid", "搜索内容过长", "q");
	if (str_empty(f->q))
		f->q = NULL;
	f->limit = 50;
	if (req_query(w->req, "limit") != NULL) {
		if (str_to_int64(req_query(w->req, "limit"), 1, 200, &lim) != 0)
			return web_fail(w, 422, "invalid", "每页条数应为1到200",
			    "limit");
		f->limit = (int)lim;
	}
	if (req_query(w->req, "after") != NULL &&
	    str_to_int64(req_query(w->req, "after"), 1, INT64_MAX,
	    &f->before) != 0)
		return web_fail(w, 422, "invalid", "分页参数无效", "after");
	return 0;
}

/* The query string of the current filters, for paging and export links. */
static void
filter_query(struct buf *b, const struct matter_filter *f)
{
	if (f->type) {
		buf_lit(b, "&type=");
		html_url_arg(b, f->type);
	}
	if (f->state) {
		buf_lit(b, "&state=");
		html_url_arg(b, f->state);
	}
	if (f->village_id)
		buf_addf(b, "&village=%" PRId64, f->village_id);
	if (f->unit_id)
		buf_addf(b, "&unit=%" PRId64, f->unit_id);
	if (f->owner_id)
		buf_addf(b, "&owner=%" PRId64, f->owner_id);
	if (f->overdue)
		buf_lit(b, "&overdue=1");
	if (f->due_soon)
		buf_lit(b, "&due_soon=1");
	if (f->key)
		buf_lit(b, "&key=1");
	if (f->q) {
		buf_lit(b, "&q=");
		html_url_arg(b, f->q);
	}
}

static json_t *
type_options(const char *sel)
{
	const struct matter_type *const *ts;
	json_t				*a = json_array();
	size_t				 n, i;

	ts = matter_types(&n);
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{ss ss sb}", "value",
		    ts[i]->name, "label", ts[i]->label, "selected",
		    str_eq(sel, ts[i]->name)));
	return a;
}

static json_t *
state_options(const char *type, const char *sel)
{
	const struct matter_type	*t = matter_type_get(type ? type :
	    "petition");
	json_t				*a = json_array();
	size_t				 i;

	for (i = 0; t != NULL && t->states[i] != NULL; i++)
		json_array_append_new(a, json_pack("{ss ss sb}", "value",
		    t->states[i], "label", t->state_labels[i], "selected",
		    str_eq(sel, t->states[i])));
	return a;
}

int
matter_list_page(struct web *w)
{
	struct matter_filter	 f;
	struct buf		 b = BUF_INIT;
	json_t			*res, *it, *villages, *units;
	int64_t			 start = 1;
	size_t			 i;
	int			 st, rc;

	if ((st = filters(w, &f)) != 0)
		return st;
	if ((res = matter_list(w->db, &w->scope, &f, &rc)) == NULL) {
		if (rc == DB_CONSTRAINT)
			return web_fail(w, 422, "invalid",
			    "搜索内容中没有可查找的文字", "q");
		return web_db_fail(w, rc);
	}
	if (req_query(w->req, "start") != NULL &&
	    str_to_int64(req_query(w->req, "start"), 1, INT64_MAX, &start) != 0)
		start = 1;
	json_array_foreach(json_object_get(res, "items"), i, it)
		json_object_set_new(it, "seq", json_integer(start + (int64_t)i));
	w->model = res;
	if (w->api)
		return 200;
	villages = org_village_names(w->db, &w->scope, &rc);
	units = villages ? org_unit_options(w->db, &w->scope, &rc) : NULL;
	if (units == NULL) {
		json_decref(villages);
		return web_db_fail(w, rc);
	}
	json_object_set_new(res, "options", json_pack("{so so so so}",
	    "type", type_options(f.type), "state", state_options(f.type,
	    f.state), "village", opt_villages(villages, f.village_id),
	    "unit", opt_ids(units, f.unit_id)));
	json_decref(villages);
	json_decref(units);
	filter_query(&b, &f);
	json_object_set_new(res, "export_url", json_sprintf("/matters.xlsx?x=1%s",
	    b.data));
	if (!json_is_null(json_object_get(res, "next")))
		json_object_set_new(res, "next_url", json_sprintf(
		    "/matters?after=%s&start=%" PRId64 "%s",
		    json_string_value(json_object_get(res, "next")),
		    start + f.limit, b.data));
	else
		json_object_set_new(res, "next_url", json_null());
	buf_release(&b);
	json_object_set_new(res, "filter", json_pack("{ss sb sb sb}", "q",
	    f.q ? f.q : "", "overdue", f.overdue, "due_soon", f.due_soon,
	    "key", f.key));
	json_object_set_new(res, "can_register", json_boolean(web_can(w,
	    ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | ROLE_VILLAGE)));
	return 200;
}

/* Which actions this actor may offer on this matter, for the page. */
static json_t *
action_forms(struct web *w, const struct matter_type *t, json_t *m)
{
	const struct matter_move	*mv;
	enum matter_refusal		 why;
	const char			*state = json_string_value(
	    json_object_get(m, "state"));
	bool				 paused = json_is_true(json_object_get(m,
	    "paused"));
	json_t				*a = json_array();
	int				 i;

	for (i = 0; i < MA__MAX; i++) {
		if (i == MA_SUPERVISE && !matter_may_supervise(w))
			continue;
		mv = matter_move(t, state, (enum matter_action)i,
		    w->actor.roles, &why);
		if (mv == NULL)
			continue;
		if ((i == MA_PAUSE && paused) || (i == MA_RESUME && !paused) ||
		    (i == MA_PAUSE && json_is_null(json_object_get(m,
		    "due_on"))))
			continue;
		json_array_append_new(a, json_pack("{ss ss sb sb sb sb sb}",
		    "name", matter_action_names[i], "label",
		    matter_action_labels[i],
		    "note", (mv->needs & NEED_NOTE) != 0,
		    "closing", (mv->needs & NEED_CLOSING) != 0,
		    "date", (mv->needs & NEED_DATE) != 0,
		    "days", (mv->needs & NEED_DAYS) != 0,
		    "people", (mv->needs & NEED_PEOPLE) != 0));
	}
	return a;
}

/*
 * Supervision orders come from inspectors and leaders, and from staff of a
 * unit that supervises (the comprehensive-governance centre).
 */
bool
matter_may_supervise(struct web *w)
{
	if (web_can(w, ROLE_INSPECTOR | ROLE_LEADER))
		return true;
	return web_can(w, ROLE_STAFF) && w->actor.person_id != 0 &&
	    org_person_supervises(w->db, w->actor.person_id) == 1;
}

static json_t *
closing_options(const struct matter_type *t)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < t->nclosings; i++)
		json_array_append_new(a, json_pack("{ss ss sb}", "value",
		    t->closings[i].name, "label", t->closings[i].label,
		    "selected", false));
	return a;
}

static json_t *
doc_options(const struct matter_type *t)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < t->ndocs; i++)
		json_array_append_new(a, json_pack("{ss ss sb}", "value",
		    t->docs[i].kind, "label", t->docs[i].label, "selected",
		    false));
	return a;
}

/*
 * The keys every matter page reads from "details", present even when a
 * matter never had them (templates are strict about names).
 */
static void
details_defaults(json_t *m)
{
	json_t	*d = json_object_get(m, "details");

	if (json_object_get(d, "plan") == NULL)
		json_object_set_new(d, "plan", json_string(""));
	if (json_object_get(d, "five") == NULL)
		json_object_set_new(d, "five", json_array());
	if (json_object_get(d, "received_at") == NULL)
		json_object_set_new(d, "received_at", json_null());
	if (json_object_get(d, "visitors") == NULL)
		json_object_set_new(d, "visitors", json_null());
	if (json_object_get(d, "police_present") == NULL)
		json_object_set_new(d, "police_present", json_false());
	if (json_object_get(d, "receiving_leader") == NULL)
		json_object_set_new(d, "receiving_leader", json_null());
	if (json_object_get(d, "visit_id") == NULL)
		json_object_set_new(d, "visit_id", json_null());
}

/* The key-case form: team picker and one picker per guarantee. */
static void
key_options(json_t *m, json_t *cadres)
{
	static const char *const items[] = { "包掌握情况", "包思想教育",
	    "包解决问题", "包稳控管理", "包息访息诉" };
	json_t	*team, *rows, *five, *f, *opt, *o;
	char	 idtext[24], field[16];
	size_t	 i, k;

	team = opt_ids(cadres, 0);
	json_array_foreach(json_object_get(m, "team"), i, f) {
		snprintf(idtext, sizeof(idtext), "%lld",
		    (long long)json_integer_value(json_object_get(f, "id")));
		json_array_foreach(team, k, o)
			if (str_eq(json_string_value(json_object_get(o,
			    "value")), idtext))
				json_object_set_new(o, "selected", json_true());
	}
	json_object_set_new(json_object_get(m, "options"), "team", team);
	rows = json_array();
	five = json_object_get(json_object_get(m, "details"), "five");
	for (i = 0; i < 5; i++) {
		int64_t	 owner = 0;

		json_array_foreach(five, k, f)
			if (str_eq(json_string_value(json_object_get(f, "item")),
			    items[i]))
				owner = json_integer_value(json_object_get(f,
				    "owner_id"));
		opt = opt_ids(cadres, owner);
		snprintf(field, sizeof(field), "five_%zu", i + 1);
		json_array_append_new(rows, json_pack("{ss ss so}", "item",
		    items[i], "field", field, "options", opt));
	}
	json_object_set_new(m, "five_rows", rows);
}

int
matter_show(struct web *w)
{
	const struct matter_type	*t;
	int64_t				 id = web_param_id(w, "id");
	json_t				*m, *x, *units, *cadres;
	int				 rc;

	if (id == 0 || (m = matter_get(w->db, &w->scope, id, date_today_cn(),
	    &rc)) == NULL)
		return id && rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	t = matter_type_get(json_string_value(json_object_get(m, "type")));
	w->model = m;
	details_defaults(m);
	if ((x = matter_people(w->db, id, "petitioner", &rc)) == NULL)
		return web_db_fail(w, rc);
	json_object_set_new(m, "petitioners", x);
	if ((x = matter_people(w->db, id, "team", &rc)) == NULL)
		return web_db_fail(w, rc);
	json_object_set_new(m, "team", x);
	if ((x = matter_timeline(w->db, id, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_object_set_new(m, "timeline", x);
	if ((x = matter_attachments(w->db, t, id, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_object_set_new(m, "attachments", x);
	if ((x = matter_orders(w->db, id, &rc)) == NULL)
		return web_db_fail(w, rc);
	json_object_set_new(m, "orders", x);
	json_object_set_new(m, "actions", action_forms(w, t, m));
	if (w->api)
		return 200;
	w->title = json_string_value(json_object_get(m, "code"));
	units = org_unit_options(w->db, &w->scope, &rc);
	cadres = units ? org_cadres(w->db, &w->scope, &rc) : NULL;
	if (cadres == NULL) {
		json_decref(units);
		return web_db_fail(w, rc);
	}
	json_object_set_new(m, "options", json_pack("{so so so so so so}",
	    "closing", closing_options(t), "kind", doc_options(t),
	    "unit_id", opt_ids(units, json_integer_value(json_object_get(m,
	    "unit_id"))), "lead_id", opt_ids(cadres, json_integer_value(
	    json_object_get(m, "lead_id"))), "resolver_id", opt_ids(cadres,
	    json_integer_value(json_object_get(m, "resolver_id"))),
	    "action", json_array()));
	json_decref(units);
	json_object_set_new(m, "form", json_pack("{ss ss ss ss ss}", "action",
	    "", "note", "", "closing", "", "due_on", "", "days", ""));
	json_object_set_new(m, "can_upload", json_boolean(web_can(w,
	    LEDGER_READ)));
	json_object_set_new(m, "can_key", json_boolean(web_can(w,
	    ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF)));
	key_options(m, cadres);
	json_decref(cadres);
	return 200;
}

/* An uploaded document: sniffed, stored by hash, recorded. */
static int
upload(struct web *w, int64_t id)
{
	static const struct field f[] = {
		{ "kind", "材料类别", F_TEXT, true, 1, 32, NULL },
	};
	const struct part	*file = part_get(&w->parts, "file");
	struct matter_actor	 who = matter_actor_of(w);
	struct matter_err	 err;
	struct matter_file	 mf;
	struct value		 v[1];
	char			 hex[ATTACH_HASH_HEX], name[256];
	const char		*type;
	bool			 image;
	int64_t			 aid = 0;
	int			 st;

	if ((st = input_check(w, f, 1, v)) != 0)
		return st;
	if (file == NULL || file->filename == NULL || file->len == 0)
		return web_fail(w, 422, "invalid", "请选择要上传的文件", "file");
	type = attach_sniff(file->data, file->len, &image);
	attach_safe_name(file->filename, name, sizeof(name));
	/* Check the kind and the scope before writing anything. */
	{
		json_t	*m = matter_get(w->db, &w->scope, id, date_today_cn(),
		    &st);

		if (m == NULL)
			return st < 0 ? web_db_fail(w, st) : web_not_found(w);
		if (matter_doc_label(matter_type_get(json_string_value(
		    json_object_get(m, "type"))), v[0].s) == NULL) {
			json_decref(m);
			return web_fail(w, 422, "invalid", "材料类别无效",
			    "kind");
		}
		json_decref(m);
	}
	if (attach_store(file->data, file->len, hex) != 0)
		return web_db_fail(w, DB_UNAVAIL);
	mf.kind = v[0].s;
	mf.name = name;
	mf.media_type = type;
	mf.size = (int64_t)file->len;
	mf.sha256 = hex;
	if (matter_attach(w->db, &w->scope, id, &mf, &who, w->now, &aid,
	    &err) != 0)
		return answer(w, &err);
	w->model = json_pack("{sI ss ss ss sI ss}", "id", (json_int_t)aid,
	    "kind", v[0].s, "name", name, "media_type", type, "size",
	    (json_int_t)file->len, "sha256", hex);
	return web_done(w, 201, web_printf(w, "/matters/%" PRId64
	    "#attachments", id));
}

/* One action on a matter: the page's form or the API. */
static int
act(struct web *w, int64_t id, enum matter_action action)
{
	static const struct field f[] = {
		{ "note", "说明", F_MULTILINE, false, 0, 2000, NULL },
		{ "closing", "结案方式", F_TEXT, false, 0, 32, NULL },
		{ "due_on", "督办期限", F_DATE, false, 0, 0, NULL },
		{ "days", "延长天数", F_INT, false, 1, 365, NULL },
		{ "unit_id", "责任部门", F_ID, false, 0, 0, NULL },
		{ "lead_id", "包案领导", F_ID, false, 0, 0, NULL },
		{ "resolver_id", "化解责任人", F_ID, false, 0, 0, NULL },
	};
	const struct matter_type	*t;
	const struct matter_move	*mv;
	enum matter_refusal		 why;
	struct matter_actor		 who = matter_actor_of(w);
	struct matter_act		 a;
	struct matter_err		 err;
	struct value			 v[7];
	json_t				*m;
	int				 st, rc;

	if ((st = input_check(w, f, 7, v)) != 0)
		return st;
	if ((m = matter_get(w->db, &w->scope, id, date_today_cn(), &rc)) ==
	    NULL)
		return rc < 0 ? web_db_fail(w, rc) : web_not_found(w);
	t = matter_type_get(json_string_value(json_object_get(m, "type")));
	mv = matter_move(t, json_string_value(json_object_get(m, "state")),
	    action, w->actor.roles, &why);
	json_decref(m);
	if (mv != NULL) {
		/* Ask for what the move needs, in the users' words. */
		if ((mv->needs & NEED_NOTE) && !v[0].present)
			return web_fail(w, 422, "invalid", action == MA_REPLY ?
			    "请填写答复意见" : action == MA_CALLBACK ?
			    "请填写回访情况" : "请填写说明或理由", "note");
		if ((mv->needs & NEED_CLOSING) && !v[1].present)
			return web_fail(w, 422, "invalid", "请选择结案方式",
			    "closing");
		if ((mv->needs & NEED_DATE) && !v[2].present)
			return web_fail(w, 422, "invalid", "请填写督办期限",
			    "due_on");
		if ((mv->needs & NEED_DAYS) && !v[3].present)
			return web_fail(w, 422, "invalid", "请填写延长天数",
			    "days");
		if ((mv->needs & NEED_PEOPLE) && !v[4].present &&
		    !v[5].present && !v[6].present)
			return web_fail(w, 422, "invalid",
			    "请选择责任部门、包案领导或化解责任人", "lead_id");
		if (action == MA_SUPERVISE && !matter_may_supervise(w))
			return web_fail(w, 403, "forbidden",
			    "只有纪检、主要领导和综治中心可以督办", NULL);
	}
	memset(&a, 0, sizeof(a));
	a.action = action;
	a.note = v[0].s;
	a.closing = v[1].s;
	a.day = v[2].present ? v[2].i : 0;
	a.days = v[3].present ? v[3].i : 0;
	a.unit_id = v[4].present ? v[4].i : 0;
	a.lead_id = v[5].present ? v[5].i : 0;
	a.resolver_id = v[6].present ? v[6].i : 0;
	if (action == MA_ASSIGN && matter_people_ok(w, &a) != 0)
		return 422;
	if (matter_apply(w->db, &w->scope, id, &a, matter_cal(w->db), &who,
	    date_today_cn(), w->now, &err) != 0)
		return answer(w, &err);
	if ((w->model = matter_get(w->db, &w->scope, id, date_today_cn(),
	    &rc)) == NULL)
		return web_db_fail(w, rc < 0 ? rc : DB_UNAVAIL);
	return web_done(w, 200, web_printf(w, "/matters/%" PRId64, id));
}

/* The unit and cadres named in an assignment exist in the township. */
int
matter_people_ok(struct web *w, const struct matter_act *a)
{
	json_t	*units, *cadres, *x;
	size_t	 i;
	bool	 unit = a->unit_id == 0, lead = a->lead_id == 0;
	bool	 resolver = a->resolver_id == 0;
	int	 rc;

	units = org_unit_options(w->db, &w->scope, &rc);
	cadres = units ? org_cadres(w->db, &w->scope, &rc) : NULL;
	if (cadres == NULL) {
		json_decref(units);
		return web_db_fail(w, rc);
	}
	json_array_foreach(units, i, x)
		if (json_integer_value(json_object_get(x, "id")) == a->unit_id)
			unit = true;
	json_array_foreach(cadres, i, x) {
		if (json_integer_value(json_object_get(x, "id")) == a->lead_id)
			lead = true;
		if (json_integer_value(json_object_get(x, "id")) ==
		    a->resolver_id)
			resolver = true;
	}
	json_decref(units);
	json_decref(cadres);
	if (!unit)
		return web_fail(w, 422, "invalid", "责任部门不存在", "unit_id");
	if (!lead)
		return web_fail(w, 422, "invalid", "包案领导须是本乡干部",
		    "lead_id");
	if (!resolver)
		return web_fail(w, 422, "invalid", "化解责任人须是本乡干部",
		    "resolver_id");
	return 0;
}

int
matter_post(struct web *w)
{
	int64_t			 id = web_param_id(w, "id");
	const char		*name;
	enum matter_action	 a;

	if (id == 0)
		return web_not_found(w);
	if (w->api)
		name = kv_get(&w->params, "action");
	else
		name = kv_get(&w->form, "action");
	if (name == NULL || str_eq(name, "attach") || str_eq(name,
	    "attachments"))
		return upload(w, id);
	if (str_eq(name, "key"))
		return matter_key_post(w, id);
	if ((a = matter_action_parse(name)) == MA__MAX)
		return web_fail(w, w->api ? 404 : 422, "invalid",
		    "没有这种操作", "action");
	return act(w, id, a);
}

int
attachment_get(struct web *w)
{
	int64_t		 id = web_param_id(w, "id"), mid;
	const char	*sha, *name, *type;
	struct buf	 cd = BUF_INIT;
	void		*data;
	size_t		 len;
	int		 rc;

	if (id == 0)
		return web_not_found(w);
	rc = matter_attachment(w->db, &w->scope, id, &w->req->arena, &sha,
	    &name, &type, &mid);
	if (rc == DB_DONE)
		return web_not_found(w);
	if (rc != DB_OK)
		return web_db_fail(w, rc);
	if ((data = attach_load(sha, &len)) == NULL)
		return web_fail(w, 404, "not_found", "文件已不在服务器上", NULL);
	w->raw = true;
	buf_add(&w->resp->body, data, len);
	free(data);
	w->resp->content_type = type;
	/* Always a download, never rendered in the site's origin. */
	buf_lit(&cd, "attachment; filename=\"file\"; filename*=UTF-8''");
	html_url_arg(&cd, name);
	resp_header(w->req, w->resp, "Content-Disposition",
	    arena_strdup(&w->req->arena, cd.data));
	buf_release(&cd);
	resp_header(w->req, w->resp, "Content-Security-Policy",
	    "sandbox; default-src 'none'");
	return 200;
}

/* Export rows: one ledger line each. */
struct export {
	struct xlsx_ledger	*x;
	int64_t			 rows;
};

static const char *
day_of(const char *stored, char out[32])
{
	int64_t	 ms;

	if (stored == NULL)
		return NULL;
	if (time_parse_utc(stored, &ms) == 0) {
		time_show_cn(ms, out);
		return out;
	}
	return stored;
}

static int
export_row(const struct matter_row *r, void *arg)
{
	struct export	*e = arg;
	char		 opened[32], closed[32];
	const char	*cells[13];

	cells[0] = r->code;
	cells[1] = r->type;
	cells[2] = r->petitioner ? r->petitioner : "匿名";
	cells[3] = r->phone_mask;
	cells[4] = day_of(r->opened_at, opened);
	cells[5] = r->source;
	cells[6] = r->title;
	cells[7] = r->village;
	cells[8] = r->unit;
	cells[9] = r->lead;
	cells[10] = r->resolver;
	cells[11] = r->due_on;
	cells[12] = r->closed_at ? day_of(r->closed_at, closed) : r->state;
	e->rows++;
	return xlsx_ledger_row(e->x, cells) == 0 ? 0 : -1;
}

int
matter_export(struct web *w)
{
	static const struct xlsx_col cols[] = {
		{ "编号", 14, XLSX_TEXT },
		{ "类别", 9, XLSX_TEXT },
		{ "信访人", 9, XLSX_TEXT },
		{ "联系电话", 13, XLSX_TEXT },
		{ "登记时间", 16, XLSX_TEXT },
		{ "来源", 9, XLSX_TEXT },
		{ "事由", 30, XLSX_WRAP },
		{ "村", 9, XLSX_TEXT },
		{ "责任部门", 12, XLSX_TEXT },
		{ "包案领导", 9, XLSX_TEXT },
		{ "化解责任人", 9, XLSX_TEXT },
		{ "办理期限", 11, XLSX_TEXT },
		{ "办理情况", 12, XLSX_TEXT },
	};
	struct matter_filter	 f;
	struct export		 e;
	struct download		 dl;
	char			 path[DOWNLOAD_PATH_MAX];
	char			 date[32], unit[128];
	const char		*township;
	int			 st, rc;

	if ((st = filters(w, &f)) != 0)
		return st;
	if (download_scratch(path) != 0)
		return web_db_fail(w, DB_UNAVAIL);
	date_cn(date_today_cn(), date);
	township = org_township_name(w->db, w->scope.township_id,
	    &w->req->arena);
	snprintf(unit, sizeof(unit), "填报单位：%s", township ? township : "");
	e.rows = 0;
	e.x = xlsx_ledger_open(path, "台账", f.type && str_eq(f.type,
	    "petition") ? "信访事项台账" : "事项台账", unit,
	    web_printf(w, "填报时间：%s", date), cols,
	    sizeof(cols) / sizeof(cols[0]));
	if (e.x == NULL) {
		unlink(path);
		return web_db_fail(w, DB_UNAVAIL);
	}
	rc = matter_each(w->db, &w->scope, &f, export_row, &e);
	if (xlsx_ledger_close(e.x) != 0 && rc == 0)
		rc = -1;
	if (rc != 0) {
		unlink(path);
		return rc == DB_CONSTRAINT ? web_fail(w, 422, "invalid",
		    "搜索内容中没有可查找的文字", "q") :
		    web_db_fail(w, DB_UNAVAIL);
	}
	memset(&dl, 0, sizeof(dl));
	dl.path = path;
	dl.content_type = XLSX_MEDIA_TYPE;
	dl.ascii_name = "ledger.xlsx";
	dl.name = "事项台账.xlsx";
	dl.action = "export.matters";
	dl.object_type = "matter";
	dl.detail = json_pack("{sI}", "rows", (json_int_t)e.rows);
	st = download_send(w, &dl);
	json_decref(dl.detail);
	return st;
}

int
matter_print(struct web *w)
{
	char	 d[32];
	int	 st = matter_show(w);

	if (st != 200)
		return st;
	w->print = true;
	w->title = "接访下访登记表";
	date_cn(date_today_cn(), d);
	json_object_set_new(w->model, "printed_on", json_string(d));
	return 200;
}

/*
 * The blank 接访下访登记表, to fill in by hand at the desk when the
 * network is down or a petitioner prefers paper: the filled form's
 * template over a model whose every value is empty.
 */
int
matter_print_blank(struct web *w)
{
	w->print = true;
	w->title = "接访下访登记表（空白）";
	w->model = json_pack("{ss ss s[] sn s{ss ss sb ss} ss ss ss ss"
	    " ss ss ss ss sb ss}",
	    "code", "", "opened_label", "", "petitioners", "id",
	    "details", "received_at", "", "visitors", "",
	    "police_present", false, "receiving_leader", "",
	    "source_label", "", "place", "", "title", "", "body", "",
	    "unit", "", "lead", "", "resolver", "", "due_on", "",
	    "key", false, "printed_on", "");
	return 200;
}

int
calendar_due(struct web *w)
{
	const char	*from = req_query(w->req, "from");
	const char	*unit = req_query(w->req, "unit");
	const char	*roll = req_query(w->req, "roll");
	int64_t		 day, n, due;
	enum cal_unit	 u = CAL_DAYS;
	char		 out[11];

	if (from == NULL || date_parse(from, &day) != 0)
		return web_fail(w, 422, "invalid",
		    "「from」应为日期，如 2026-10-01", "from");
	if (str_to_int64(req_query(w->req, "days"), 0, 3650, &n) != 0)
		return web_fail(w, 422, "invalid", "「days」应为0到3650的整数",
		    "days");
	if (unit != NULL && str_eq(unit, "working"))
		u = CAL_WORKDAYS;
	else if (unit != NULL && !str_eq(unit, "calendar"))
		return web_fail(w, 422, "invalid",
		    "「unit」应为 calendar 或 working", "unit");
	due = calendar_add(matter_cal(w->db), day, (int)n, u,
	    roll == NULL || !str_eq(roll, "0"));
	date_iso(due, out);
	w->model = json_pack("{ss ss sI ss sb}", "due", out, "from",
	    arena_strdup(&w->req->arena, from), "days", (json_int_t)n, "unit",
	    u == CAL_WORKDAYS ? "working" : "calendar", "workday",
	    calendar_is_workday(matter_cal(w->db), due));
	return 200;
}

/* petition_web.c: registering petitions (接访下访登记) and key cases. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "auth/role.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "http/form.h"
#include "matter/attach.h"
#include "matter/matter_db.h"
#include "matter/matter_web.h"
#include "org/org.h"
#include "petition/petition_web.h"
#include "petition/roster_db.h"
#include "web/input.h"
#include "web/options.h"
#include "web/web.h"

#define MAX_PETITIONERS	10	/* named on one form; a group names its representatives */
#define FORM_PETITIONERS 3	/* rows on the page form */

static const char *const forms[] = { "visit", "letter", "online", "phone",
    "hotline", "referral", "visit_down", NULL };
static const char *const form_labels[] = { "来访", "来信", "网上信访", "电话",
    "12345热线", "上级转办", "下访发现", NULL };
static const char *const sexes[] = { "M", "F", NULL };

static const struct field fields[] = {
	{ "received_at", "登记日期", F_DATE, true, 0, 0, NULL },
	{ "form", "来访形式", F_ENUM, true, 0, 0, forms },
	{ "title", "事由", F_TEXT, true, 2, 100, NULL },
	{ "body", "信访内容", F_MULTILINE, false, 0, 4000, NULL },
	{ "place", "地点", F_TEXT, false, 0, 100, NULL },
	{ "village_id", "所属村", F_ID, false, 0, 0, NULL },
	{ "group_id", "所属组", F_ID, false, 0, 0, NULL },
	{ "anonymous", "匿名", F_BOOL, false, 0, 0, NULL },
	{ "visitors", "来访人数", F_INT, false, 1, 10000, NULL },
	{ "police_present", "民警到场", F_BOOL, false, 0, 0, NULL },
	{ "receiving_leader_id", "接访领导", F_ID, false, 0, 0, NULL },
	{ "unit_id", "责任部门", F_ID, false, 0, 0, NULL },
	{ "lead_id", "包案领导", F_ID, false, 0, 0, NULL },
	{ "resolver_id", "化解责任人", F_ID, false, 0, 0, NULL },
	{ "key", "重点事项", F_BOOL, false, 0, 0, NULL },
};
enum { P_RECEIVED, P_FORM, P_TITLE, P_BODY, P_PLACE, P_VILLAGE, P_GROUP,
    P_ANON, P_VISITORS, P_POLICE, P_LEADER, P_UNIT, P_LEAD, P_RESOLVER,
    P_KEY, P__MAX };

static const struct field person_fields[] = {
	{ "name", "信访人姓名", F_TEXT, true, 1, 32, NULL },
	{ "sex", "性别", F_ENUM, false, 0, 0, sexes },
	{ "age", "年龄", F_INT, false, 1, 120, NULL },
	{ "phone", "联系电话", F_PHONE, false, 0, 0, NULL },
	{ "address", "住址或单位", F_TEXT, false, 0, 100, NULL },
	{ "id_number", "身份证号", F_IDNO, false, 0, 0, NULL },
};
enum { Q_NAME, Q_SEX, Q_AGE, Q_PHONE, Q_ADDRESS, Q_IDNO, Q__MAX };

/* The petitioners as JSON objects: from the API's array or the form's rows. */
static json_t *
petitioners_in(struct web *w)
{
	json_t		*a, *o;
	const char	*v;
	char		 key[32];
	size_t		 i, k;

	if (w->json != NULL) {
		a = json_object_get(w->json, "petitioners");
		return json_is_array(a) ? json_incref(a) : json_array();
	}
	a = json_array();
	for (i = 1; i <= FORM_PETITIONERS; i++) {
		o = json_object();
		for (k = 0; k < Q__MAX; k++) {
			snprintf(key, sizeof(key), "p%zu_%s", i,
			    person_fields[k].name);
			if ((v = kv_get(&w->form, key)) != NULL && *v != '\0')
				json_object_set_new(o, person_fields[k].name,
				    json_string(v));
		}
		if (json_object_size(o) > 0)
			json_array_append_new(a, o);
		else
			json_decref(o);
	}
	return a;
}

/*
 * Check one petitioner by running the declared fields over it as if it
 * were the body; a failure names the field with its row ("petitioners.1.phone").
 */
static int
check_person(struct web *w, json_t *o, size_t n, struct value *v)
{
	json_t		*saved = w->json;
	struct kvlist	 form = w->form;
	int		 st;

	if (!json_is_object(o))
		return web_fail(w, 422, "invalid", "信访人信息格式不正确",
		    "petitioners");
	w->json = o;
	st = input_check(w, person_fields, Q__MAX, v);
	w->json = saved;
	w->form = form;
	if (st != 0) {
		w->err.field = web_printf(w, w->api ? "petitioners.%zu.%s" :
		    "p%zu_%s", w->api ? n : n + 1, w->err.field);
		w->err.message = web_printf(w, "第%zu位信访人：%s", n + 1,
		    w->err.message);
	}
	return st;
}

static int64_t
person_of(struct web *w, const struct value *v, int64_t village,
    int64_t group, int *rc)
{
	struct person_in	 in;
	int64_t			 id;
	int			 y, m, d;

	*rc = DB_OK;
	id = org_person_find(w->db, &w->scope, v[Q_NAME].s,
	    v[Q_PHONE].present ? v[Q_PHONE].s : NULL,
	    v[Q_IDNO].present ? v[Q_IDNO].s : NULL);
	if (id < 0) {
		*rc = (int)id;
		return 0;
	}
	if (id > 0)
		return id;	/* seen before: the same person */
	memset(&in, 0, sizeof(in));
	in.kind = "citizen";
	in.name = v[Q_NAME].s;
	in.sex = v[Q_SEX].present ? v[Q_SEX].s : NULL;
	if (v[Q_AGE].present) {
		date_to_ymd(date_today_cn(), &y, &m, &d);
		in.birth_year = y - v[Q_AGE].i;
	}
	in.village_id = village;
	in.group_id = group;
	in.address = v[Q_ADDRESS].s;
	in.phone = v[Q_PHONE].present ? v[Q_PHONE].s : NULL;
	in.idno = v[Q_IDNO].present ? v[Q_IDNO].s : NULL;
	in.note = "信访登记时录入";
	if ((*rc = org_person_save(w->db, &w->scope, &id, &in,
	    &w->req->arena)) != DB_OK)
		return 0;
	return id;
}

static const char *
cadre_name(struct web *w, json_t *cadres, int64_t id)
{
	json_t	*c;
	size_t	 i;

	json_array_foreach(cadres, i, c)
		if (json_integer_value(json_object_get(c, "id")) == id)
			return arena_strdup(&w->req->arena, json_string_value(
			    json_object_get(c, "name")));
	return NULL;
}

/*
 * API.md's shape keeps the petition's own fields under "details" and the
 * form of visit in "source"; the checks read one flat object, so lift
 * them up.  A key given at the top wins.
 */
static void
flatten_details(json_t *body)
{
	json_t		*d, *x;
	const char	*k;

	if (!json_is_object(body))
		return;
	d = json_object_get(body, "details");
	if (json_is_object(d))
		json_object_foreach(d, k, x)
			if (json_object_get(body, k) == NULL)
				json_object_set(body, k, x);
	if (json_object_get(body, "form") == NULL &&
	    (x = json_object_get(body, "source")) != NULL)
		json_object_set(body, "form", x);
}

int
petition_create(struct web *w)
{
	struct value		 v[P__MAX], pv[MAX_PETITIONERS][Q__MAX];
	struct matter_new	 in;
	struct matter_actor	 who = matter_actor_of(w);
	struct matter_act	 people;
	int64_t			 ids[MAX_PETITIONERS], id = 0, today, aid;
	const struct part	*photo;
	struct matter_file	 pf;
	struct matter_err	 err;
	char			 hex[ATTACH_HASH_HEX], photo_name[ATTACH_NAME_MAX];
	const char		*type, *leader = NULL;
	struct buf		 names = BUF_INIT;
	json_t			*ps, *details, *cadres;
	char			 code[32];
	size_t			 n, i;
	int			 st, rc;

	if (w->api && (type = input_raw(w, "type")) != NULL &&
	    !str_eq(type, "petition"))
		return web_fail(w, 422, "invalid", "暂不支持该类事项的登记",
		    "type");
	if (w->api)
		flatten_details(w->json);
	if ((st = input_check(w, fields, P__MAX, v)) != 0)
		return st;
	today = date_today_cn();
	if (v[P_RECEIVED].i > today)
		return web_fail(w, 422, "invalid", "登记日期不能晚于今天",
		    "received_at");
	if (w->scope.village_id != 0) {
		if (!v[P_VILLAGE].present) {
			v[P_VILLAGE].present = true;
			v[P_VILLAGE].i = w->scope.village_id;
		} else if (v[P_VILLAGE].i != w->scope.village_id)
			return web_fail(w, 422, "invalid",
			    "只能登记本村的信访事项", "village_id");
	}
	if (v[P_GROUP].present && !v[P_VILLAGE].present)
		return web_fail(w, 422, "invalid", "选择了组，请同时选择所属村",
		    "village_id");
	if (v[P_VILLAGE].present) {
		rc = org_place_ok(w->db, &w->scope, v[P_VILLAGE].i,
		    v[P_GROUP].present ? v[P_GROUP].i : 0);
		if (rc < 0)
			return web_db_fail(w, rc);
		if (rc == 0)
			return web_fail(w, 422, "invalid", "所属村或组不存在",
			    v[P_GROUP].present ? "group_id" : "village_id");
	}
	/* 若上访人数超过10人，安排派出所民警现场维持秩序 (the plan). */
	if (v[P_VISITORS].present && v[P_VISITORS].i > 10 &&
	    !(v[P_POLICE].present && v[P_POLICE].i))
		return web_fail(w, 422, "invalid",
		    "来访人数超过10人，须先记录派出所民警到场维持秩序",
		    "police_present");
	ps = petitioners_in(w);
	n = json_array_size(ps);
	if (v[P_ANON].i)
		n = 0;			/* anonymous: no names kept */
	else if (n == 0) {
		json_decref(ps);
		return web_fail(w, 422, "invalid",
		    "请填写信访人姓名，或勾选“匿名”", w->api ? "petitioners" :
		    "p1_name");
	}
	if (n > MAX_PETITIONERS) {
		json_decref(ps);
		return web_fail(w, 422, "invalid",
		    "一次最多登记10位信访人（集体访登记代表）", "petitioners");
	}
	for (i = 0; i < n; i++)
		if ((st = check_person(w, json_array_get(ps, i), i,
		    pv[i])) != 0) {
			json_decref(ps);
			return st;
		}
	json_decref(ps);

	memset(&people, 0, sizeof(people));
	people.unit_id = v[P_UNIT].present ? v[P_UNIT].i : 0;
	people.lead_id = v[P_LEAD].present ? v[P_LEAD].i : 0;
	people.resolver_id = v[P_RESOLVER].present ? v[P_RESOLVER].i : 0;
	if (matter_people_ok(w, &people) != 0)
		return 422;
	if ((cadres = org_cadres(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	/*
	 * A visitor received at the township's desk (来访) with no receiving
	 * leader named was received by the leader on the duty roster that
	 * day (接访活动安排表).  Letters, calls and referrals are received by
	 * nobody in person, and a village cadre registers at the village,
	 * not the desk: those stay as given.
	 */
	if (!v[P_LEADER].present && str_eq(v[P_FORM].s, "visit") &&
	    w->scope.village_id == 0) {
		int64_t	 duty = roster_on_duty(w->db, w->scope.township_id,
		    v[P_RECEIVED].i, NULL);

		if (duty < 0) {
			json_decref(cadres);
			return web_db_fail(w, (int)duty);
		}
		v[P_LEADER].present = duty > 0 &&
		    cadre_name(w, cadres, duty) != NULL;
		v[P_LEADER].i = duty;
	}
	if (v[P_LEADER].present &&
	    (leader = cadre_name(w, cadres, v[P_LEADER].i)) == NULL) {
		json_decref(cadres);
		return web_fail(w, 422, "invalid", "接访领导须是本乡干部",
		    "receiving_leader_id");
	}
	json_decref(cadres);

	/*
	 * A photo taken at the desk (the page form only): checked and
	 * stored before anything is written, recorded with the matter.
	 */
	photo = part_get(&w->parts, "photo");
	if (photo != NULL && photo->len > 0) {
		bool	 image;

		pf.media_type = attach_sniff(photo->data, photo->len, &image);
		if (!image)
			return web_fail(w, 422, "invalid",
			    "现场照片须是图片（JPG、PNG、HEIC 等）", "photo");
		if (attach_store(photo->data, photo->len, hex) != 0)
			return web_db_fail(w, DB_UNAVAIL);
		attach_safe_name(photo->filename ? photo->filename : "",
		    photo_name, sizeof(photo_name));
		pf.kind = "photo";
		pf.name = photo_name;
		pf.size = (int64_t)photo->len;
		pf.sha256 = hex;
	} else
		photo = NULL;

	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	for (i = 0; i < n; i++) {
		ids[i] = person_of(w, pv[i], v[P_VILLAGE].present ?
		    v[P_VILLAGE].i : 0, v[P_GROUP].present ? v[P_GROUP].i : 0,
		    &rc);
		if (rc != DB_OK)
			break;
		buf_addf(&names, "%s ", pv[i][Q_NAME].s);
	}
	if (rc == DB_OK) {
		if (leader != NULL)
			buf_adds(&names, leader);
		details = json_pack("{ss ss sb sI sb}",
		    "received_at", v[P_RECEIVED].s,
		    "form", v[P_FORM].s,
		    "anonymous", v[P_ANON].i != 0,
		    "visitors", (json_int_t)(v[P_VISITORS].present ?
		    v[P_VISITORS].i : (n ? (int64_t)n : 1)),
		    "police_present", v[P_POLICE].i != 0);
		if (leader != NULL) {
			json_object_set_new(details, "receiving_leader_id",
			    json_integer(v[P_LEADER].i));
			json_object_set_new(details, "receiving_leader",
			    json_string(leader));
		}
		memset(&in, 0, sizeof(in));
		in.type = matter_type_get("petition");
		in.title = v[P_TITLE].s;
		in.body = v[P_BODY].s;
		in.source = v[P_FORM].s;
		in.place = v[P_PLACE].s;
		in.village_id = v[P_VILLAGE].present ? v[P_VILLAGE].i : 0;
		in.group_id = v[P_GROUP].present ? v[P_GROUP].i : 0;
		in.unit_id = people.unit_id;
		in.lead_id = people.lead_id;
		in.resolver_id = people.resolver_id;
		in.raised_by = n > 0 ? ids[0] : 0;
		in.people = ids;
		in.npeople = n;
		in.clock_day = v[P_RECEIVED].i;
		in.key = v[P_KEY].i != 0;
		in.details = details;
		in.search = names.data;
		rc = matter_create(w->db, &w->scope, &in, matter_cal(w->db),
		    &who, w->now, &id, code);
		json_decref(details);
	}
	if (rc == DB_OK && photo != NULL &&
	    matter_attach_tx(w->db, &w->scope, id, &pf, &who, w->now, &aid,
	    &err) != 0)
		rc = DB_UNAVAIL;
	buf_release(&names);
	if ((rc = db_end(w->db, rc)) != 0)
		return web_db_fail(w, rc);
	if ((w->model = matter_get(w->db, &w->scope, id, today, &rc)) == NULL)
		return web_db_fail(w, rc < 0 ? rc : DB_UNAVAIL);
	return web_done(w, 201, web_printf(w, "/matters/%" PRId64, id));
}

int
petition_found(struct web *w, const struct petition_found *f, int64_t *id,
    char *code)
{
	struct matter_new	 in;
	struct matter_actor	 who = matter_actor_of(w);
	json_t			*details;
	char			 day[11];
	int			 rc;

	date_iso(f->day, day);
	details = json_pack("{ss ss sb sI sb sI}", "received_at", day,
	    "form", "visit_down", "anonymous", false, "visitors",
	    (json_int_t)1, "police_present", false, "visit_id",
	    (json_int_t)f->visit_id);
	memset(&in, 0, sizeof(in));
	in.type = matter_type_get("petition");
	in.title = f->title;
	in.body = f->body;
	in.source = "visit_down";
	in.village_id = f->village_id;
	in.group_id = f->group_id;
	in.raised_by = f->head_id;
	in.people = f->head_id ? &f->head_id : NULL;
	in.npeople = f->head_id ? 1 : 0;
	in.clock_day = f->day;
	in.details = details;
	in.search = f->head_name;
	in.note = f->note;
	rc = matter_create(w->db, &w->scope, &in, matter_cal(w->db), &who,
	    w->now, id, code);
	json_decref(details);
	return rc;
}

int
petition_form(struct web *w)
{
	json_t	*villages, *units, *cadres, *rows, *form;
	int64_t	 duty = 0;
	char	 today[11];
	size_t	 i, k;
	int	 rc;

	villages = org_village_options(w->db, &w->scope, &rc);
	units = villages ? org_unit_options(w->db, &w->scope, &rc) : NULL;
	cadres = units ? org_cadres(w->db, &w->scope, &rc) : NULL;
	if (cadres == NULL) {
		json_decref(villages);
		json_decref(units);
		return web_db_fail(w, rc);
	}
	date_iso(date_today_cn(), today);
	/* The desk's default: today's leader on duty (see petition_create). */
	if (w->scope.village_id == 0 && (duty = roster_on_duty(w->db,
	    w->scope.township_id, date_today_cn(), NULL)) < 0) {
		json_decref(villages);
		json_decref(units);
		json_decref(cadres);
		return web_db_fail(w, (int)duty);
	}
	form = json_pack("{ss ss ss ss ss ss ss ss}", "received_at", today,
	    "title", "", "body", "", "place", "", "visitors", "1",
	    "anonymous", "", "police_present", "", "key", "");
	/*
	 * One row per petitioner: each field's name and value (the value
	 * typed before, when a refused form comes back).
	 */
	rows = json_array();
	for (i = 1; i <= FORM_PETITIONERS; i++) {
		json_t		*r = json_pack("{sI}", "n", (json_int_t)i);
		const char	*typed;

		for (k = 0; k < Q__MAX; k++) {
			char	 key[32];

			snprintf(key, sizeof(key), "p%zu_%s", i,
			    person_fields[k].name);
			typed = w->api ? NULL : kv_get(&w->form, key);
			json_object_set_new(r, person_fields[k].name,
			    json_pack("{ss ss}", "field", key, "value",
			    typed ? typed : ""));
			if (k == Q_SEX)
				json_object_set_new(r, "sex_options", opt_list(
				    (const char *const[]){ "", "M", "F", NULL },
				    (const char *const[]){ "未填", "男", "女",
				    NULL }, typed ? typed : ""));
		}
		json_array_append_new(rows, r);
	}
	w->model = json_pack("{so so s{so so so so so so so so}}",
	    "form", form, "rows", rows, "options",
	    "form", opt_list(forms, form_labels, "visit"),
	    "village_id", opt_villages(villages, w->scope.village_id),
	    "group_id", opt_groups(villages, 0),
	    "unit_id", opt_ids(units, 0),
	    "lead_id", opt_ids(cadres, 0),
	    "resolver_id", opt_ids(cadres, 0),
	    "receiving_leader_id", opt_ids(cadres, duty),
	    "sex", opt_list((const char *const[]){ "", "M", "F", NULL },
	    (const char *const[]){ "未填", "男", "女", NULL }, ""));
	json_decref(villages);
	json_decref(units);
	json_decref(cadres);
	return 200;
}

/* 重点事项: plan, team, and the five guarantees with their owners. */
static const char *const five_items[] = { "包掌握情况", "包思想教育",
    "包解决问题", "包稳控管理", "包息访息诉", NULL };

int
matter_key_post(struct web *w, int64_t id)
{
	static const struct field f[] = {
		{ "key", "重点事项", F_BOOL, false, 0, 0, NULL },
		{ "plan", "化解方案", F_MULTILINE, false, 0, 4000, NULL },
		{ "team", "工作专班", F_LIST, false, 0, 0, NULL },
		{ "key_people", "列为重点信访人", F_BOOL, false, 0, 0, NULL },
		{ "five_1", "包掌握情况", F_ID, false, 0, 0, NULL },
		{ "five_2", "包思想教育", F_ID, false, 0, 0, NULL },
		{ "five_3", "包解决问题", F_ID, false, 0, 0, NULL },
		{ "five_4", "包稳控管理", F_ID, false, 0, 0, NULL },
		{ "five_5", "包息访息诉", F_ID, false, 0, 0, NULL },
	};
	struct value		 v[9];
	struct matter_key	 k;
	struct matter_err	 err;
	struct matter_actor	 who = matter_actor_of(w);
	int64_t			 team[32];
	json_t			*cadres, *five;
	const char		*name;
	size_t			 i;
	int			 st, rc;

	if (!web_can(w, ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF))
		return web_fail(w, 403, "forbidden", "您的角色不能设置重点事项",
		    NULL);
	if ((st = input_check(w, f, 9, v)) != 0)
		return st;
	if (v[2].n > 32)
		return web_fail(w, 422, "invalid", "工作专班最多32人", "team");
	if ((cadres = org_cadres(w->db, &w->scope, &rc)) == NULL)
		return web_db_fail(w, rc);
	memset(&k, 0, sizeof(k));
	for (i = 0; i < v[2].n; i++) {
		if (str_to_int64(v[2].list[i], 1, INT64_MAX, &team[i]) != 0 ||
		    cadre_name(w, cadres, team[i]) == NULL) {
			json_decref(cadres);
			return web_fail(w, 422, "invalid",
			    "工作专班成员须是本乡干部", "team");
		}
	}
	five = json_array();
	for (i = 0; i < 5; i++) {
		if (!v[4 + i].present)
			continue;
		if ((name = cadre_name(w, cadres, v[4 + i].i)) == NULL) {
			json_decref(cadres);
			json_decref(five);
			return web_fail(w, 422, "invalid", web_printf(w,
			    "「%s」的责任人须是本乡干部", five_items[i]),
			    f[4 + i].name);
		}
		json_array_append_new(five, json_pack("{ss sI ss}", "item",
		    five_items[i], "owner_id", (json_int_t)v[4 + i].i, "owner",
		    name));
	}
	json_decref(cadres);
	k.key = v[0].i != 0;
	k.plan = v[1].s ? v[1].s : "";
	k.team = team;
	k.nteam = v[2].n;
	k.five = five;
	k.key_people = v[3].i != 0;
	rc = matter_set_key(w->db, &w->scope, id, &k, &who, w->now, &err);
	json_decref(five);
	if (rc != 0)
		return web_fail(w, err.status, err.code, err.message,
		    err.field);
	if ((w->model = matter_get(w->db, &w->scope, id, date_today_cn(),
	    &rc)) == NULL)
		return web_db_fail(w, rc < 0 ? rc : DB_UNAVAIL);
	return web_done(w, 200, web_printf(w, "/matters/%" PRId64, id));
}

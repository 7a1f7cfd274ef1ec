/* demo_ledger.c: the demo township's petitions, written through the engine. */
#include <string.h>

#include <jansson.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "cli/demo_ledger.h"
#include "db/db.h"
#include "matter/attach.h"
#include "matter/calendar.h"
#include "matter/matter_db.h"

/* Who acts in a step. */
enum who { W_LEADER, W_MEMBER, W_STAFF, W_INSPECTOR };

/*
 * One step of a petition's history, "day" days from today: always in the
 * past, so a step with day 0 ends the list.
 */
struct step {
	enum matter_action	 action;
	int			 day;
	enum who		 who;
	const char		*note;
	const char		*closing;
	int			 days;	/* extend; supervise: the new deadline */
};

#define MAX_STEPS	6

struct petition {
	const char	*title;
	const char	*body;
	const char	*form;
	int		 resident;	/* index, or -1: anonymous */
	int		 received;	/* day, from today */
	int		 unit;		/* 0 none, 1 综治中心, 2 司法所, 3 民政办 */
	bool		 lead, resolver;	/* the leader leads, staff resolves */
	bool		 key;
	bool		 agreement;	/* an agreement on file before closing */
	struct step	 steps[MAX_STEPS];
};

/* Synthetic matters of a winter in a Gansu township; no real case. */
static const struct petition petitions[] = {
	{ "三组灌溉渠道渗漏，冬灌用水困难",
	    "村民反映三组灌溉渠道多处渗漏，冬灌轮到本组时水量不足，请求尽快维修。",
	    "visit", 0, -2, 0, false, false, false, false, { { 0 } } },
	{ "宅基地边界纠纷久拖未决",
	    "两户村民因宅基地边界围墙位置发生争执，村委会调解两次未果，来信请求乡上处理。",
	    "letter", 1, -21, 0, false, false, false, false, { { 0 } } },
	{ "对低保评定结果有异议",
	    "信访人认为本户家庭收入核算有误，今年未被评为低保户，请求重新核查。",
	    "hotline", 2, -13, 3, false, false, false, false, { { 0 } } },
	{ "村道冬季结冰路滑，请求铺设防滑砂",
	    "通往小学的村道坡段冬季结冰，学生上下学不安全，请求铺设防滑砂并设置警示牌。",
	    "visit", 3, -12, 1, true, true, false, false, {
		{ MA_ACCEPT, -11, W_LEADER, NULL, NULL, 0 },
		{ MA_NOTE, -6, W_STAFF, "已联系应急办调运防滑砂两车，本周内铺设。",
		    NULL, 0 } } },
	{ "拖欠农民工工资",
	    "信访人等十二人在某建筑工地务工，工程结束后工资未结清，多次讨要无果。",
	    "referral", 4, -30, 2, true, true, true, false, {
		{ MA_ACCEPT, -29, W_LEADER, NULL, NULL, 0 },
		{ MA_NOTE, -20, W_STAFF, "已约谈施工方负责人，承诺分两次结清。",
		    NULL, 0 },
		{ MA_SUPERVISE, -5, W_INSPECTOR,
		    "春节前必须结清，请于五日内报送兑付凭证。", NULL, 5 } } },
	{ "自来水管道冻裂停水",
	    "四组自来水主管道冻裂，全组停水三天，请求抢修。",
	    "phone", 5, -8, 1, false, true, false, false, {
		{ MA_ACCEPT, -8, W_MEMBER, NULL, NULL, 0 },
		{ MA_REPLY, -3, W_STAFF, "水管站已抢修完毕，恢复供水，并对裸露管段加装保温层。",
		    NULL, 0 } } },
	{ "邻里排水纠纷",
	    "相邻两户因院落排水方向发生争执，雨雪天积水流入信访人院内。",
	    "visit", 6, -25, 2, true, true, false, false, {
		{ MA_ACCEPT, -25, W_LEADER, NULL, NULL, 0 },
		{ MA_REPLY, -10, W_STAFF, "司法所组织双方调解，约定共同修建排水沟。",
		    NULL, 0 },
		{ MA_CALLBACK, -7, W_MEMBER, "回访：排水沟已修好，双方无异议，待签订息访息诉协议。",
		    NULL, 0 } } },
	{ "征地补偿款分配不均",
	    "信访人反映组内征地补偿款分配方案未经村民会议讨论，本户分得偏少。",
	    "visit", 7, -50, 2, true, true, false, true, {
		{ MA_ACCEPT, -49, W_LEADER, NULL, NULL, 0 },
		{ MA_REPLY, -20, W_STAFF, "经核查，分配方案已由组民会议重新表决，补足差额。",
		    NULL, 0 },
		{ MA_CALLBACK, -15, W_MEMBER, "回访：信访人表示满意，已签订息访息诉协议。",
		    NULL, 0 },
		{ MA_CLOSE, -14, W_LEADER, "签订息访息诉协议，承诺息访。",
		    "commitment", 0 } } },
	{ "养殖场异味扰民",
	    "村边养殖场夏秋季异味较大，请求督促整改。",
	    "online", 8, -40, 0, false, false, false, false, {
		{ MA_REJECT, -35, W_LEADER,
		    "属县生态环境部门职责，已书面告知信访人向县生态环境局反映。",
		    NULL, 0 } } },
	{ "危房改造补助发放进度",
	    "信访人去年纳入危房改造，房屋已建成，补助尚未到账。",
	    "visit", 9, -20, 3, false, true, false, false, {
		{ MA_ACCEPT, -20, W_MEMBER, NULL, NULL, 0 },
		{ MA_PAUSE, -10, W_STAFF, "等待信访人补充房屋竣工验收材料。",
		    NULL, 0 } } },
	{ "土地承包经营权流转合同纠纷",
	    "信访人流转出的承包地租金两年未付，承租方联系不上。",
	    "visit", 10, -70, 2, true, true, false, false, {
		{ MA_ACCEPT, -68, W_LEADER, NULL, NULL, 0 } } },
	{ "反映村务公开不及时",
	    "匿名来信反映村务公开栏长期未更新，请求督促按季度公开。",
	    "letter", -1, -5, 0, false, false, false, false, {
		{ MA_ACCEPT, -4, W_MEMBER, NULL, NULL, 0 } } },
};

/* A synthetic signed agreement: a few bytes of PDF, clearly marked. */
static const char agreement_pdf[] =
    "%PDF-1.4\n% xiangzhi demo: synthetic agreement, not a real document\n"
    "1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/* 10:00 in Beijing on "day". */
static int64_t
at_ten(int64_t day)
{
	return (day * 86400 + 2 * 3600) * 1000;
}

static struct matter_actor
actor(const struct demo_ledger *l, const struct audit_actor *who,
    enum who w)
{
	struct matter_actor	 a;

	memset(&a, 0, sizeof(a));
	a.audit = *who;
	switch (w) {
	case W_LEADER:
		a.name = l->leader_name, a.person_id = l->leader;
		a.roles = ROLE_LEADER;
		break;
	case W_MEMBER:
		a.name = l->member_name, a.person_id = l->member;
		a.roles = ROLE_MEMBER;
		break;
	case W_STAFF:
		a.name = l->staff_name, a.person_id = l->staff;
		a.roles = ROLE_STAFF;
		break;
	case W_INSPECTOR:
		a.name = l->inspector_name, a.person_id = l->inspector;
		a.roles = ROLE_INSPECTOR;
		break;
	}
	return a;
}

static int
attach_agreement(struct db *db, const struct scope *sc, int64_t id,
    const struct matter_actor *a, int64_t now)
{
	struct matter_file	 f;
	struct matter_err	 err;
	char			 hex[ATTACH_HASH_HEX];
	int64_t			 aid;

	if (attach_store(agreement_pdf, sizeof(agreement_pdf) - 1, hex) != 0)
		return -1;
	f.kind = "agreement";
	f.name = "息访息诉协议（演示）.pdf";
	f.media_type = "application/pdf";
	f.size = (int64_t)(sizeof(agreement_pdf) - 1);
	f.sha256 = hex;
	if (matter_attach(db, sc, id, &f, a, now, &aid, &err) != 0)
		return error("demo: attachment refused: %s", err.message);
	return 0;
}

static int
write_one(struct db *db, const struct demo_ledger *l,
    const struct petition *p, const struct calendar *cal,
    const struct audit_actor *who, int64_t today)
{
	struct scope		 sc = { l->township_id, 0 };
	struct matter_actor	 desk = actor(l, who, W_MEMBER);
	struct matter_new	 in;
	struct matter_act	 act;
	struct matter_err	 err;
	const struct step	*s;
	int64_t			 id, person, day, units[4];
	json_t			*details;
	char			 code[32], received[11];
	size_t			 i;
	int			 rc;

	units[0] = 0;
	units[1] = l->unit_order;
	units[2] = l->unit_justice;
	units[3] = l->unit_civil;
	day = today + p->received;
	date_iso(day, received);
	person = p->resident >= 0 ? l->residents[p->resident] : 0;
	details = json_pack("{ss ss sb sI sb}", "received_at", received,
	    "form", p->form, "anonymous", p->resident < 0,
	    "visitors", (json_int_t)(p->resident == 4 ? 12 : 1),
	    "police_present", p->resident == 4);
	memset(&in, 0, sizeof(in));
	in.type = matter_type_get("petition");
	in.title = p->title;
	in.body = p->body;
	in.source = p->form;
	in.place = "";
	in.village_id = p->resident >= 0 ?
	    l->resident_village[p->resident] : l->villages[1];
	in.unit_id = units[p->unit];
	in.lead_id = p->lead ? l->leader : 0;
	in.resolver_id = p->resolver ? l->staff : 0;
	in.raised_by = person;
	in.people = person ? &person : NULL;
	in.npeople = person ? 1 : 0;
	in.clock_day = day;
	in.key = p->key;
	in.details = details;
	if ((rc = db_begin(db)) == DB_OK)
		rc = matter_create(db, &sc, &in, cal, &desk, at_ten(day), &id,
		    code);
	json_decref(details);
	if (db_end(db, rc) != 0)
		return error("demo: cannot register '%s'", p->title);

	if (p->key) {
		struct matter_key	 k;
		struct matter_actor	 a = actor(l, who, W_LEADER);
		int64_t			 team[2] = { l->leader, l->staff };
		json_t			*five;

		five = json_pack("[{ss sI ss} {ss sI ss} {ss sI ss} {ss sI ss}"
		    " {ss sI ss}]",
		    "item", "包掌握情况", "owner_id", (json_int_t)l->staff,
		    "owner", l->staff_name,
		    "item", "包思想教育", "owner_id", (json_int_t)l->member,
		    "owner", l->member_name,
		    "item", "包解决问题", "owner_id", (json_int_t)l->leader,
		    "owner", l->leader_name,
		    "item", "包稳控管理", "owner_id", (json_int_t)l->staff,
		    "owner", l->staff_name,
		    "item", "包息访息诉", "owner_id", (json_int_t)l->member,
		    "owner", l->member_name);
		memset(&k, 0, sizeof(k));
		k.key = true;
		k.plan = "一、约谈施工方，核实欠薪人数和金额；二、司法所提供法律援助，"
		    "必要时支持起诉；三、春节前全部兑付，兑付凭证存档。";
		k.team = team;
		k.nteam = 2;
		k.five = five;
		rc = matter_set_key(db, &sc, id, &k, &a, at_ten(day + 1), &err);
		json_decref(five);
		if (rc != 0)
			return error("demo: key case refused: %s", err.message);
	}
	for (i = 0; i < MAX_STEPS && p->steps[i].day != 0; i++) {
		struct matter_actor	 a;

		s = &p->steps[i];
		a = actor(l, who, s->who);
		day = today + s->day;
		if (s->action == MA_CLOSE && p->agreement &&
		    attach_agreement(db, &sc, id, &a, at_ten(day)) != 0)
			return -1;
		memset(&act, 0, sizeof(act));
		act.action = s->action;
		act.note = s->note;
		act.closing = s->closing;
		if (s->action == MA_SUPERVISE)
			act.day = today + s->days;
		if (matter_apply(db, &sc, id, &act, cal, &a, day, at_ten(day),
		    &err) != 0)
			return error("demo: %s of '%s' refused: %s",
			    matter_action_names[s->action], p->title,
			    err.message);
	}
	return 0;
}

int
demo_ledger_write(struct db *db, const struct demo_ledger *l,
    const struct audit_actor *who)
{
	struct calendar	*cal;
	int64_t		 today = date_today_cn();
	size_t		 i;
	int		 rc = 0;

	if (attach_init(l->files_dir) != 0)
		return -1;
	if ((cal = matter_calendar_load(db)) == NULL)
		return error("demo: cannot load the calendar");
	for (i = 0; i < sizeof(petitions) / sizeof(petitions[0]) && rc == 0;
	    i++)
		rc = write_one(db, l, &petitions[i], cal, who, today);
	calendar_free(cal);
	return rc;
}

/* demo_enterprise.c: the demo township's enterprises and patrons (synthetic). */
#include <string.h>

#include "auth/role.h"
#include "base/arena.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "cli/demo_enterprise.h"
#include "cli/demo_ledger.h"
#include "db/db.h"
#include "enterprise/enterprise_db.h"
#include "matter/matter_db.h"
#include "matter/calendar.h"

/* Names are made up; phones use the demo's 100… range (no real numbers). */
static const struct {
	const char	*name, *kind, *place, *contact, *phone;
	int		 village;	/* index in l->villages, -1: none */
	int		 lead, keep;	/* 0 none, 1 leader, 2 member, 3 staff */
} ents[] = {
	{ "青禾养殖农民专业合作社", "coop", "一组", "甲一", "10090000001", 0, 1, 3 },
	{ "丰谷家庭农场", "farm", "二组", "乙二", "10090000002", 1, 2, 3 },
	{ "塬上鲜果蔬菜店", "shop", "街道", "丙三", "10090000003", 0, 0, 3 },
	{ "明月餐饮店", "shop", "街道", "丁四", "10090000004", 2, 1, 0 },
	{ "示例食品加工有限公司", "company", "工业点", "戊五", NULL, -1, 2, 3 },
};

static int64_t
who_is(const struct demo_ledger *l, int k)
{
	return k == 1 ? l->leader : k == 2 ? l->member : k == 3 ? l->staff : 0;
}

static int
write_all(struct db *db, const struct demo_ledger *l,
    const struct audit_actor *who, struct arena *a,
    const struct calendar *cal)
{
	struct scope		 sc = { l->township_id, 0 };
	struct ent_in		 in;
	struct ent_visit_in	 v;
	struct matter_new	 mn;
	struct matter_actor	 ma;
	int64_t			 ids[NELEM(ents)], today = date_today_cn();
	int64_t			 now = time_now_ms(), mid, vid;
	json_t			*details;
	char			 code[32];
	size_t			 i;
	bool			 changed;
	int			 rc = DB_OK;

	for (i = 0; i < NELEM(ents) && rc == DB_OK; i++) {
		memset(&in, 0, sizeof(in));
		in.village_id = ents[i].village < 0 ? 0 :
		    l->villages[ents[i].village];
		in.name = ents[i].name;
		in.kind = ents[i].kind;
		in.place = ents[i].place;
		in.contact = ents[i].contact;
		in.phone = ents[i].phone;
		rc = ent_create(db, &sc, &in, a, who, now, &ids[i]);
		if (rc == DB_OK && ents[i].lead)
			rc = ent_patron_assign(db, &sc, ids[i], "lead",
			    who_is(l, ents[i].lead), today - 40, who, now,
			    &changed);
		if (rc == DB_OK && ents[i].keep)
			rc = ent_patron_assign(db, &sc, ids[i], "keep",
			    who_is(l, ents[i].keep), today - 40, who, now,
			    &changed);
	}
	/* This month's visits by the patrons. */
	for (i = 0; i < 3 && rc == DB_OK; i++) {
		v.person = who_is(l, ents[i].lead ? ents[i].lead :
		    ents[i].keep);
		v.kind = i == 0 ? "difficulty" : i == 1 ? "routine" : "demand";
		v.day = today - (int64_t)i;
		v.findings = i == 0 ? "合作社反映冷库用电容量不足，影响冬季储存。" :
		    i == 1 ? "了解冬季生产情况，农场运转正常。" :
		    "门店希望规范街道临时摊点，改善经营环境。";
		rc = ent_visit_create(db, &sc, ids[i], &v, who, now, &vid);
	}
	if (rc != DB_OK)
		return rc;
	/* One problem raised by the first enterprise, with its patron. */
	details = json_pack("{sI ss}", "enterprise_id", (json_int_t)ids[0],
	    "enterprise", ents[0].name);
	memset(&mn, 0, sizeof(mn));
	mn.type = matter_type_get("enterprise_problem");
	mn.title = "冷库用电增容";
	mn.body = "合作社冷库用电容量不足，冬季储存受影响，请协调供电所增容。";
	mn.source = "visit";
	mn.place = ents[0].name;
	mn.village_id = l->villages[0];
	mn.lead_id = mn.resolver_id = l->leader;
	mn.clock_day = today;
	mn.details = details;
	mn.search = ents[0].name;
	mn.note = "企业诉求：青禾养殖农民专业合作社";
	memset(&ma, 0, sizeof(ma));
	ma.audit = *who;
	ma.name = l->leader_name;
	ma.person_id = l->leader;
	ma.roles = ROLE_LEADER;
	rc = matter_create(db, &sc, &mn, cal, &ma, now, &mid, code);
	json_decref(details);
	if (rc == DB_OK)
		rc = ent_link_matter(db, mid, ids[0], l->leader);
	return rc;
}

int
demo_enterprise_write(struct db *db, const struct demo_ledger *l,
    const struct audit_actor *who)
{
	struct calendar	*cal;
	struct arena	 a;
	int		 rc;

	if ((cal = matter_calendar_load(db)) == NULL)
		return error("demo: cannot load the calendar");
	arena_init(&a);
	if ((rc = db_begin(db)) == DB_OK)
		rc = db_end(db, write_all(db, l, who, &a, cal));
	arena_release(&a);
	calendar_free(cal);
	if (rc != DB_OK)
		return error("demo: cannot write the enterprises (rc %d)", rc);
	return 0;
}

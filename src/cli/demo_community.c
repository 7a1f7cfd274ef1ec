/* demo_community.c: the demo township's 进社区、进农户 records. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/timeutil.h"
#include "cli/demo_community.h"
#include "community/community.h"
#include "community/community_db.h"
#include "db/db.h"
#include "visit/visit_db.h"

static const char *const communities[] = { "东苑社区", "南街社区" };
static const char *const posts[] = { "楼栋长", "志愿服务", "政策宣讲",
    "矛盾调解" };

static int64_t
id_of(json_t *a, size_t i)
{
	return json_integer_value(json_object_get(json_array_get(a, i),
	    "id"));
}

/*
 * Four township cadres register.  No rating links: a link's secret is
 * shown once, to whoever issues it, so the demo leaves that to the user.
 */
static int
demo_registrations(struct db *db, const struct scope *sc,
    const struct audit_actor *who, int64_t now)
{
	struct cm_reg	 r;
	json_t		*cs;
	int64_t		 id;
	char		 day[11];
	size_t		 i;
	int		 rc = DB_OK;

	if ((cs = cm_cadres(db, sc, &rc)) == NULL)
		return rc;
	date_iso(date_today_cn() - 40, day);
	for (i = 0; i < 4 && i < json_array_size(cs) && rc == DB_OK; i++) {
		r.person_id = id_of(cs, i);
		r.community = communities[i % 2];
		r.day = day;
		r.role = posts[i];
		if ((rc = cm_register(db, sc, &r, who, now, &id)) != DB_OK)
			break;
	}
	json_decref(cs);
	return rc;
}

/* Per village: 3 households, 2 persons, paired; half contacted today. */
static int
demo_care(struct db *db, const struct scope *sc,
    const struct audit_actor *who, int64_t now)
{
	static const char *const hk[] = { "unstable", "marginal", "hardship" };
	static const char *const pk[] = { "left_elder", "left_child" };
	struct ca_new		 in;
	struct ca_contact	 k;
	struct scope		 vs;
	json_t			*hs, *ps, *cadres;
	int64_t			 v, last_v = -1, id, kid;
	char			 today[11], since[11];
	size_t			 i, nh = 0, np = 0, n = 0;
	int			 rc = DB_OK;

	date_iso(date_today_cn(), today);
	date_iso(date_today_cn() - 60, since);
	if ((hs = ca_households(db, sc, &rc)) == NULL)
		return rc;
	if ((ps = ca_people(db, sc, &rc)) == NULL) {
		json_decref(hs);
		return rc;
	}
	for (i = 0; i < json_array_size(hs) + json_array_size(ps) &&
	    rc == DB_OK; i++) {
		bool	 house = i < json_array_size(hs);
		int64_t	 sid = house ? id_of(hs, i) : id_of(ps, i -
		    json_array_size(hs));

		v = house ? ca_household_village(db, sc, sid) :
		    ca_person_village(db, sc, sid);
		if (v <= 0)
			continue;
		if (v != last_v) {
			nh = np = 0;
			last_v = v;
		}
		if ((house && nh >= 3) || (!house && np >= 2))
			continue;
		memset(&in, 0, sizeof(in));
		in.category = house ? hk[nh++] : pk[np++];
		in.village_id = v;
		in.household_id = house ? sid : 0;
		in.person_id = house ? 0 : sid;
		in.since = since;
		in.note = house ? "家庭收入不稳定，需持续关注" : "子女在外务工";
		vs.township_id = sc->township_id;
		vs.village_id = 0;
		if ((cadres = visit_cadres(db, &vs, v, &rc)) == NULL)
			break;
		in.cadre_id = json_array_size(cadres) ? id_of(cadres,
		    n % json_array_size(cadres)) : 0;
		json_decref(cadres);
		if ((rc = ca_create(db, sc, &in, who, now, &id)) != DB_OK)
			break;
		if (in.cadre_id != 0 && n++ % 2 == 0) {
			k.cadre_id = in.cadre_id;
			k.day = today;
			k.way = n % 4 == 1 ? "visit" : "phone";
			k.note = "身体状况良好，生活无困难，宣传了防范电信诈骗";
			k.follow_up = "";
			rc = ca_contact_add(db, id, &k, who, now, &kid);
		}
	}
	json_decref(hs);
	json_decref(ps);
	return rc;
}

/* Two nominations this year (before the deadline only). */
static int
demo_models(struct db *db, const struct scope *sc,
    const struct audit_actor *who, int64_t now)
{
	json_t	*hs;
	int64_t	 v, id;
	int	 y, m, d, rc = DB_OK;
	size_t	 i;

	date_to_ymd(date_today_cn(), &y, &m, &d);
	if (mh_closed(y, date_today_cn()))
		return DB_OK;
	if ((hs = ca_households(db, sc, &rc)) == NULL)
		return rc;
	for (i = 0; i < 2 && i < json_array_size(hs) && rc == DB_OK; i++) {
		v = ca_household_village(db, sc, id_of(hs, i));
		if (v <= 0)
			continue;
		rc = mh_nominate(db, sc, v, id_of(hs, i), y, mh_categories[i],
		    i ? "家庭和睦，尊老爱幼" : "庭院整洁，房前屋后常打扫", who,
		    now, &id);
	}
	json_decref(hs);
	return rc;
}

int
community_demo(struct db *db, const struct scope *sc,
    const struct audit_actor *who, int64_t now)
{
	int	 rc;

	if ((rc = demo_registrations(db, sc, who, now)) != DB_OK)
		return rc;
	if ((rc = demo_care(db, sc, who, now)) != DB_OK)
		return rc;
	return demo_models(db, sc, who, now);
}

/* community_db.c: 进社区、进农户 in the database. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/timeutil.h"
#include "community/community_db.h"
#include "db/db.h"
#include "db/dbjson.h"
#include "rating/rating_db.h"

enum cm_sql {
	CM_CADRES,
	CM_CADRE,
	CM_COMMUNITIES,
	CM_COMMUNITY_FIND,
	CM_COMMUNITY_ADD,
	CM_REG_OPEN,
	CM_REG_END,
	CM_REG_ADD,
	CM_REGS,
	CM_HISTORY,
	CM_RULE,
	CM_MONTH_ADD,
	CM_MONTH_GET,
	CM_MONTH_RATED,
	CM_RATINGS,
	CM_BAD_RATINGS,
	CM_PERSON_NAME,
	CA_HOUSEHOLDS,
	CA_PEOPLE,
	CA_HOUSEHOLD_VILLAGE,
	CA_PERSON_VILLAGE,
	CA_DUP,
	CA_ADD,
	CA_PAIR_END,
	CA_PAIR_ADD,
	CA_CONTACT_ADD,
	CA_END,
	CA_LIST,
	CA_GET,
	CA_PAIRS,
	CA_CONTACTS,
	MH_DUP,
	MH_ADD,
	MH_LIST,
	MH_CHOOSE,
	MH_EXISTS,
	CM_SQL__MAX
};

/* Cadres of the township (people with posts, not citizens). */
#define CADRES \
	"SELECT p.id, p.name, p.posts_label FROM person p" \
	" WHERE p.township_id = ?1 AND p.kind = 'cadre'"

/*
 * A subject as lists show it: the person's or the household head's name
 * and masked phone, the current cadre, the last contact and the number of
 * contacts between ?3 and ?4.
 */
#define SUBJECT_COLS \
	"SELECT s.id, s.village_id, v.name, s.category, s.household_id," \
	" s.person_id, coalesce(sp.name, hp.name, '（户主未登记）')," \
	" coalesce(sp.phone_mask, hp.phone_mask, ''), coalesce(h.address," \
	" sp.address, ''), s.note, s.since, s.ended_on, cp.person_id," \
	" cpp.name, (SELECT max(k.contacted_on) FROM care_contact k" \
	"  WHERE k.subject_id = s.id)," \
	" (SELECT count(*) FROM care_contact k WHERE k.subject_id = s.id" \
	"  AND k.contacted_on BETWEEN ?3 AND ?4)" \
	" FROM care_subject s JOIN village v ON v.id = s.village_id" \
	" LEFT JOIN person sp ON sp.id = s.person_id" \
	" LEFT JOIN household h ON h.id = s.household_id" \
	" LEFT JOIN person hp ON hp.id = h.head_id" \
	" LEFT JOIN care_pair cp ON cp.subject_id = s.id" \
	"  AND cp.ended_on IS NULL" \
	" LEFT JOIN person cpp ON cpp.id = cp.person_id"

static const char *const cm_sql[CM_SQL__MAX] = {
	[CM_CADRES] = CADRES " ORDER BY p.id",
	[CM_CADRE] = CADRES " AND p.id = ?2",
	[CM_COMMUNITIES] =
	    "SELECT id, name FROM community WHERE township_id = ?1"
	    " ORDER BY id",
	[CM_COMMUNITY_FIND] =
	    "SELECT id FROM community WHERE township_id = ?1 AND name = ?2",
	[CM_COMMUNITY_ADD] =
	    "INSERT INTO community (township_id, name, created_at)"
	    " VALUES (?1, ?2, ?3)",
	[CM_REG_OPEN] =
	    "SELECT id, community_id FROM community_reg WHERE person_id = ?1"
	    " AND ended_on IS NULL",
	[CM_REG_END] =
	    "UPDATE community_reg SET ended_on = ?2 WHERE id = ?1",
	[CM_REG_ADD] =
	    "INSERT INTO community_reg (township_id, person_id, community_id,"
	    " registered_on, role, created_by, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/*
	 * ?2 the year ("2026"), ?3 the rule's level, ?4 the month: this
	 * year's bad ratings, the listing, this month's link and rating.
	 */
	[CM_REGS] =
	    "SELECT r.id, r.person_id, p.name, p.posts_label, r.community_id,"
	    " c.name, r.registered_on, r.role,"
	    " (SELECT count(*) FROM rating x WHERE x.township_id = ?1"
	    "  AND x.purpose = 'community' AND x.subject_kind = 'person'"
	    "  AND x.subject_id = r.person_id AND substr(x.day, 1, 4) = ?2"
	    "  AND x.level <= ?3 AND x.voided_at IS NULL),"
	    " EXISTS (SELECT 1 FROM rating_firing f"
	    "  JOIN rating_rule u ON u.id = f.rule_id"
	    "  WHERE u.name = '" CM_RULE_NAME "' AND f.subject_kind = 'person'"
	    "  AND f.subject_id = r.person_id AND f.period = ?2),"
	    " EXISTS (SELECT 1 FROM community_month m"
	    "  WHERE m.person_id = r.person_id AND m.month = ?4),"
	    " (SELECT x.level FROM community_month m JOIN rating x"
	    "  ON x.purpose = 'community' AND x.record_id = m.id"
	    "  AND x.voided_at IS NULL"
	    "  WHERE m.person_id = r.person_id AND m.month = ?4)"
	    " FROM community_reg r JOIN person p ON p.id = r.person_id"
	    " JOIN community c ON c.id = r.community_id"
	    " WHERE r.township_id = ?1 AND r.ended_on IS NULL"
	    " ORDER BY c.id, r.person_id",
	[CM_HISTORY] =
	    "SELECT r.id, c.name, r.registered_on, r.role, r.ended_on"
	    " FROM community_reg r JOIN community c ON c.id = r.community_id"
	    " WHERE r.township_id = ?1 AND r.person_id = ?2 ORDER BY r.id DESC",
	[CM_RULE] =
	    "SELECT threshold, level_at_or_below, label, list_name, period"
	    " FROM rating_rule WHERE name = '" CM_RULE_NAME "'",
	[CM_MONTH_ADD] =
	    "INSERT INTO community_month (township_id, person_id, community_id,"
	    " month, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (person_id, month) DO NOTHING",
	[CM_MONTH_GET] =
	    "SELECT id FROM community_month WHERE township_id = ?1"
	    " AND person_id = ?2 AND month = ?3",
	[CM_MONTH_RATED] =
	    "SELECT count(*) FROM rating WHERE purpose = 'community'"
	    " AND record_id = ?1",
	[CM_RATINGS] =
	    "SELECT r.id, m.month, r.level, r.comment, c.name, r.created_at,"
	    " coalesce((SELECT label FROM rating_reason x WHERE x.scale = r.scale"
	    "  AND x.code = r.reason), '') FROM community_month m"
	    " JOIN rating r ON r.purpose = 'community' AND r.record_id = m.id"
	    " AND r.voided_at IS NULL"
	    " JOIN community c ON c.id = m.community_id"
	    " WHERE m.township_id = ?1 AND m.person_id = ?2"
	    " ORDER BY m.month DESC",
	[CM_BAD_RATINGS] =
	    "SELECT m.month, r.level, r.comment, c.name, r.day FROM rating r"
	    " JOIN community_month m ON m.id = r.record_id"
	    " JOIN community c ON c.id = m.community_id"
	    " WHERE r.township_id = ?1 AND r.purpose = 'community'"
	    " AND r.subject_kind = 'person' AND r.subject_id = ?2"
	    " AND substr(r.day, 1, 4) = ?3 AND r.level <= ?4"
	    " AND r.voided_at IS NULL ORDER BY r.day, r.id",
	[CM_PERSON_NAME] =
	    "SELECT name FROM person WHERE township_id = ?1 AND id = ?2",
	[CA_HOUSEHOLDS] =
	    "SELECT h.id, v.name, coalesce(p.name, '（户主未登记）'), h.address"
	    " FROM household h JOIN village v ON v.id = h.village_id"
	    " LEFT JOIN person p ON p.id = h.head_id"
	    " WHERE h.township_id = ?1 AND (?2 IS NULL OR h.village_id = ?2)"
	    " ORDER BY v.sort, v.id, h.id",
	[CA_PEOPLE] =
	    "SELECT p.id, v.name, p.name FROM person p"
	    " JOIN village v ON v.id = p.village_id"
	    " WHERE p.township_id = ?1 AND (?2 IS NULL OR p.village_id = ?2)"
	    " AND p.kind = 'citizen' ORDER BY v.sort, v.id, p.id",
	[CA_HOUSEHOLD_VILLAGE] =
	    "SELECT village_id FROM household WHERE township_id = ?1"
	    " AND (?2 IS NULL OR village_id = ?2) AND id = ?3",
	[CA_PERSON_VILLAGE] =
	    "SELECT village_id FROM person WHERE township_id = ?1"
	    " AND (?2 IS NULL OR village_id = ?2) AND kind = 'citizen'"
	    " AND village_id IS NOT NULL AND id = ?3",
	[CA_DUP] =
	    "SELECT id FROM care_subject WHERE ended_on IS NULL"
	    " AND category = ?1 AND (household_id = ?2 OR person_id = ?3)",
	[CA_ADD] =
	    "INSERT INTO care_subject (township_id, village_id, category,"
	    " household_id, person_id, note, since, created_by, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[CA_PAIR_END] =
	    "UPDATE care_pair SET ended_on = ?2 WHERE subject_id = ?1"
	    " AND ended_on IS NULL",
	[CA_PAIR_ADD] =
	    "INSERT INTO care_pair (subject_id, person_id, started_on,"
	    " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[CA_CONTACT_ADD] =
	    "INSERT INTO care_contact (subject_id, person_id, contacted_on,"
	    " way, note, follow_up, created_by, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[CA_END] =
	    "UPDATE care_subject SET ended_on = ?2 WHERE id = ?1"
	    " AND ended_on IS NULL",
	[CA_LIST] =
	    SUBJECT_COLS " WHERE s.township_id = ?1"
	    " AND (?2 IS NULL OR s.village_id = ?2)"
	    " AND (?5 IS NULL OR s.village_id = ?5)"
	    " AND (?6 IS NULL OR s.category = ?6)"
	    " AND (CASE WHEN ?7 THEN s.since <= ?4 AND (s.ended_on IS NULL"
	    "  OR s.ended_on >= ?3) ELSE s.ended_on IS NULL END)"
	    " ORDER BY v.sort, v.id, s.id",
	[CA_GET] =
	    SUBJECT_COLS " WHERE s.township_id = ?1"
	    " AND (?2 IS NULL OR s.village_id = ?2) AND s.id = ?5",
	[CA_PAIRS] =
	    "SELECT cp.id, cp.person_id, p.name, cp.started_on, cp.ended_on"
	    " FROM care_pair cp JOIN person p ON p.id = cp.person_id"
	    " WHERE cp.subject_id = ?1 ORDER BY cp.id DESC",
	[CA_CONTACTS] =
	    "SELECT k.id, k.contacted_on, k.way, k.note, k.follow_up, p.name,"
	    " k.created_at FROM care_contact k JOIN person p ON p.id = k.person_id"
	    " WHERE k.subject_id = ?1 ORDER BY k.contacted_on DESC, k.id DESC",
	[MH_DUP] =
	    "SELECT id FROM model_household WHERE household_id = ?1"
	    " AND year = ?2 AND category = ?3",
	[MH_ADD] =
	    "INSERT INTO model_household (township_id, village_id,"
	    " household_id, year, category, reason, nominated_by, nominated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[MH_LIST] =
	    "SELECT m.id, m.village_id, v.name, m.household_id,"
	    " coalesce(p.name, '（户主未登记）'), h.address, m.category, m.reason,"
	    " m.chosen, m.nominated_at, m.chosen_at FROM model_household m"
	    " JOIN village v ON v.id = m.village_id"
	    " JOIN household h ON h.id = m.household_id"
	    " LEFT JOIN person p ON p.id = h.head_id"
	    " WHERE m.township_id = ?1 AND (?2 IS NULL OR m.village_id = ?2)"
	    " AND m.year = ?3 ORDER BY m.category, v.sort, v.id, m.id",
	[MH_CHOOSE] =
	    "UPDATE model_household SET chosen = 1, chosen_at = ?4"
	    " WHERE township_id = ?1 AND (?2 IS NULL OR village_id = ?2)"
	    " AND id = ?3 AND chosen = 0",
	[MH_EXISTS] =
	    "SELECT count(*) FROM model_household WHERE township_id = ?1"
	    " AND (?2 IS NULL OR village_id = ?2) AND id = ?3",
};

const struct db_sqltab community_sqltab = { "community", cm_sql,
    CM_SQL__MAX };

static struct db_stmt *
stmt(struct db *db, enum cm_sql id)
{
	return db_stmt(db, DBM_COMMUNITY, id);
}

/*
 * Build one object from the current row: "spec" names the columns in
 * order as "name:t" pairs separated by spaces, t one of i (integer or
 * null), t (text or null), s (text, "" for null), b (boolean), w (stored
 * UTC time shown in Asia/Shanghai).
 */
static json_t *
row_obj(struct db_stmt *st, const char *const *names, const char *types)
{
	json_t		*o = json_object();
	const char	*s;
	int		 i;

	for (i = 0; types[i] != '\0'; i++) {
		json_t	*v;

		switch (types[i]) {
		case 'i':
			v = db_json_int(st, i);
			break;
		case 'b':
			v = db_json_bool(st, i);
			break;
		case 'w':
			v = db_json_time(st, i);
			break;
		case 's':
			s = db_col_text(st, i);
			v = json_string(s ? s : "");
			break;
		default:
			v = db_json_text(st, i);
			break;
		}
		json_object_set_new(o, names[i], v);
	}
	return o;
}

/* Every row of a bound statement as objects. */
static json_t *
rows(struct db_stmt *st, const char *const *names, const char *types,
    int *rc)
{
	json_t	*a = json_array();
	int	 r;

	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(a, row_obj(st, names, types));
	return db_json_finish(st, r, a, rc);
}

/* The first row only, or NULL (with *rc DB_OK when there is none). */
static json_t *
one(struct db_stmt *st, const char *const *names, const char *types,
    int *rc)
{
	json_t	*o = NULL;
	int	 r = db_step(st);

	if (r == DB_ROW)
		o = row_obj(st, names, types);
	db_reset(st);
	*rc = r == DB_ROW || r == DB_DONE ? DB_OK : r;
	return o;
}

/* A single integer from the first row: the value, 0 when none, < 0. */
static int64_t
scalar(struct db_stmt *st)
{
	int64_t	 v = 0;
	int	 r = db_step(st);

	if (r == DB_ROW)
		v = db_col_int64(st, 0);
	db_reset(st);
	return r == DB_ROW || r == DB_DONE ? v : r;
}

static void
bind_now(struct db_stmt *st, int i, int64_t now)
{
	char	 at[TIME_ISO_LEN];

	time_iso_utc(now, at);
	db_bind_text(st, i, at);
}

static int
audit(struct db *db, const struct audit_actor *who, const char *action,
    const char *type, int64_t id, json_t *d)
{
	int	 rc = audit_write(db, who, action, type, id, true, d);

	json_decref(d);
	return rc;
}

/* ---------------------------------------------------------------- 进社区 */

static const char *const cadre_cols[] = { "id", "name", "posts" };

json_t *
cm_cadres(struct db *db, const struct scope *sc, int *rc)
{
	struct db_stmt	*st = stmt(db, CM_CADRES);

	db_bind_int64(st, 1, sc->township_id);
	return rows(st, cadre_cols, "iss", rc);
}

json_t *
cm_cadre(struct db *db, const struct scope *sc, int64_t id, int *rc)
{
	struct db_stmt	*st = stmt(db, CM_CADRE);

	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, id);
	return one(st, cadre_cols, "iss", rc);
}

json_t *
cm_communities(struct db *db, const struct scope *sc, int *rc)
{
	static const char *const n[] = { "id", "name" };
	struct db_stmt	*st = stmt(db, CM_COMMUNITIES);

	db_bind_int64(st, 1, sc->township_id);
	return rows(st, n, "is", rc);
}

int
cm_register(struct db *db, const struct scope *sc, const struct cm_reg *in,
    const struct audit_actor *who, int64_t now, int64_t *id)
{
	struct db_stmt	*st = stmt(db, CM_COMMUNITY_FIND);
	int64_t		 cid, open = 0;
	int		 rc, r;

	db_bind_int64(st, 1, sc->township_id);
	db_bind_text(st, 2, in->community);
	if ((cid = scalar(st)) < 0)
		return (int)cid;
	if (cid == 0) {
		st = stmt(db, CM_COMMUNITY_ADD);
		db_bind_int64(st, 1, sc->township_id);
		db_bind_text(st, 2, in->community);
		bind_now(st, 3, now);
		if ((rc = db_exec(st)) != DB_OK)
			return rc;
		cid = db_last_id(db);
		if ((rc = audit(db, who, "community.create", "community", cid,
		    json_pack("{ss}", "name", in->community))) != DB_OK)
			return rc;
	}
	st = stmt(db, CM_REG_OPEN);
	db_bind_int64(st, 1, in->person_id);
	if ((r = db_step(st)) == DB_ROW)
		open = db_col_int64(st, 0);
	db_reset(st);
	if (r < 0)
		return r;
	if (open != 0) {
		st = stmt(db, CM_REG_END);
		db_bind_int64(st, 1, open);
		db_bind_text(st, 2, in->day);
		if ((rc = db_exec(st)) != DB_OK)
			return rc;
	}
	st = stmt(db, CM_REG_ADD);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, in->person_id);
	db_bind_int64(st, 3, cid);
	db_bind_text(st, 4, in->day);
	db_bind_text(st, 5, in->role);
	db_bind_id(st, 6, who->account_id);
	bind_now(st, 7, now);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	*id = db_last_id(db);
	return audit(db, who, "community.register", "community_reg", *id,
	    json_pack("{sI sI ss ss sI}", "person_id", (json_int_t)in->person_id,
	    "community_id", (json_int_t)cid, "registered_on", in->day, "role",
	    in->role, "ended", (json_int_t)open));
}

json_t *
cm_registrations(struct db *db, const struct scope *sc, int year,
    int max_level, const char *month, int *rc)
{
	static const char *const n[] = { "id", "person_id", "name", "posts",
	    "community_id", "community", "registered_on", "role", "bad",
	    "listed", "issued", "month_level" };
	struct db_stmt	*st = stmt(db, CM_REGS);
	char		 y[8];

	snprintf(y, sizeof(y), "%04d", year);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_text(st, 2, y);
	db_bind_int64(st, 3, max_level);
	db_bind_text(st, 4, month);
	return rows(st, n, "iississsibbi", rc);
}

json_t *
cm_history(struct db *db, const struct scope *sc, int64_t person, int *rc)
{
	static const char *const n[] = { "id", "community", "registered_on",
	    "role", "ended_on" };
	struct db_stmt	*st = stmt(db, CM_HISTORY);

	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, person);
	return rows(st, n, "isssT", rc);
}

int64_t
cm_open_community(struct db *db, int64_t person)
{
	struct db_stmt	*st = stmt(db, CM_REG_OPEN);
	int64_t		 c = 0;
	int		 r;

	db_bind_int64(st, 1, person);
	if ((r = db_step(st)) == DB_ROW)
		c = db_col_int64(st, 1);
	db_reset(st);
	return r < 0 ? r : c;
}

json_t *
cm_rule(struct db *db, int *rc)
{
	static const char *const n[] = { "threshold", "max_level", "label",
	    "list", "period" };
	json_t	*o;

	if ((o = one(stmt(db, CM_RULE), n, "iisss", rc)) == NULL && *rc == 0)
		*rc = DB_ERROR;		/* the migration inserts it */
	return o;
}

int
cm_issue(struct db *db, const struct scope *sc, int64_t person,
    int64_t community, const char *month, int ttl_hours,
    const struct audit_actor *who, int64_t now,
    char token[SECRET_TOKEN_LEN + 1], int64_t *record)
{
	struct rating_issue	 in;
	struct db_stmt		*st = stmt(db, CM_MONTH_ADD);
	int64_t			 n;
	int			 rc;

	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, person);
	db_bind_int64(st, 3, community);
	db_bind_text(st, 4, month);
	bind_now(st, 5, now);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	st = stmt(db, CM_MONTH_GET);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, person);
	db_bind_text(st, 3, month);
	if ((*record = scalar(st)) <= 0)
		return *record < 0 ? (int)*record : DB_ERROR;
	st = stmt(db, CM_MONTH_RATED);
	db_bind_int64(st, 1, *record);
	if ((n = scalar(st)) < 0)
		return (int)n;
	if (n > 0)
		return DB_DONE;
	/* A link issued anew replaces the unused one (lost, not sent). */
	if ((rc = rating_revoke_record(db, CM_PURPOSE, *record, now)) != DB_OK)
		return rc;
	memset(&in, 0, sizeof(in));
	in.township_id = sc->township_id;
	in.scale = "national";
	in.purpose = CM_PURPOSE;
	in.aspect = "";
	in.subject_kind = "person";
	in.subject_id = person;
	in.record_id = *record;
	in.issued_by = who->account_id;
	in.ttl_hours = ttl_hours;
	if ((rc = rating_issue(db, &in, now, token, NULL)) != DB_OK)
		return rc;
	return audit(db, who, "community.rating_link", "community_month",
	    *record, json_pack("{sI ss}", "person_id", (json_int_t)person,
	    "month", month));
}

json_t *
cm_ratings(struct db *db, const struct scope *sc, int64_t person, int *rc)
{
	static const char *const n[] = { "id", "month", "level", "comment",
	    "community", "rated_at", "reason" };
	struct db_stmt	*st = stmt(db, CM_RATINGS);

	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, person);
	return rows(st, n, "isissws", rc);
}

/* This year's listing of a cadre from the rating core: {at, label}. */
json_t *
cm_listing(struct db *db, const struct scope *sc, int64_t person, int year,
    int *rc)
{
	json_t	*a, *e, *o = NULL;
	size_t	 i;
	char	 y[8];

	snprintf(y, sizeof(y), "%04d", year);
	if ((a = rating_list_members(db, sc->township_id, CM_LIST, y, rc)) ==
	    NULL)
		return NULL;
	json_array_foreach(a, i, e)
		if (str_eq(json_string_value(json_object_get(e, "rule")),
		    CM_RULE_NAME) && str_eq(json_string_value(json_object_get(e,
		    "subject_kind")), "person") && json_integer_value(
		    json_object_get(e, "subject_id")) == person && o == NULL)
			o = json_pack("{sO sO}", "listed_at", json_object_get(e,
			    "at"), "reason", json_object_get(e, "rule_label"));
	json_decref(a);
	*rc = DB_OK;
	return o;
}

json_t *
cm_negative(struct db *db, const struct scope *sc, int year, int max_level,
    int *rc)
{
	static const char *const rn[] = { "month", "level", "comment",
	    "community", "day" };
	struct db_stmt	*st;
	json_t		*a, *e, *out, *bad, *c;
	int64_t		 id;
	char		 y[8];
	size_t		 i;

	snprintf(y, sizeof(y), "%04d", year);
	if ((a = rating_list_members(db, sc->township_id, CM_LIST, y, rc)) ==
	    NULL)
		return NULL;
	out = json_array();
	json_array_foreach(a, i, e) {
		if (!str_eq(json_string_value(json_object_get(e, "rule")),
		    CM_RULE_NAME))
			continue;
		id = json_integer_value(json_object_get(e, "subject_id"));
		if ((c = cm_cadre(db, sc, id, rc)) == NULL) {
			if (*rc < 0)
				goto fail;
			continue;
		}
		st = stmt(db, CM_BAD_RATINGS);
		db_bind_int64(st, 1, sc->township_id);
		db_bind_int64(st, 2, id);
		db_bind_text(st, 3, y);
		db_bind_int64(st, 4, max_level);
		if ((bad = rows(st, rn, "sisss", rc)) == NULL) {
			json_decref(c);
			goto fail;
		}
		json_array_append_new(out, json_pack("{sI sO sO si sO sO so}",
		    "person_id", (json_int_t)id, "name", json_object_get(c,
		    "name"), "posts", json_object_get(c, "posts"), "year", year,
		    "reason", json_object_get(e, "rule_label"), "listed_at",
		    json_object_get(e, "at"), "ratings", bad));
		json_decref(c);
	}
	json_decref(a);
	*rc = DB_OK;
	return out;
fail:
	json_decref(a);
	json_decref(out);
	return NULL;
}

/* The rating core's hook: the cadre a community link rates. */
static int
community_subject(struct db *db, const struct rating_row *r, struct arena *a,
    struct rating_subject *s)
{
	struct db_stmt	*st = stmt(db, CM_PERSON_NAME);
	int		 rc;

	memset(s, 0, sizeof(*s));
	db_bind_int64(st, 1, r->township_id);
	db_bind_int64(st, 2, r->subject_id);
	rc = db_step(st);
	s->name = arena_strdup(a, rc == DB_ROW && db_col_text(st, 0) ?
	    db_col_text(st, 0) : "");
	db_reset(st);
	s->person_id = r->subject_id;
	return rc < 0 ? rc : DB_OK;
}

const struct rating_purpose community_purpose = {
	.name = CM_PURPOSE,
	.label = "社区满意度测评",
	.question = "请社区对这名报到干部本月参与小区治理、联系服务居民的情况作出评价。",
	.aspects = NULL,
	.subject = community_subject,
	.rated = NULL,
	.fired = NULL,
};

/* ---------------------------------------------------------------- 进农户 */

json_t *
ca_households(struct db *db, const struct scope *sc, int *rc)
{
	static const char *const n[] = { "id", "village", "head", "address" };
	struct db_stmt	*st = stmt(db, CA_HOUSEHOLDS);

	scope_bind(st, sc);
	return rows(st, n, "isss", rc);
}

json_t *
ca_people(struct db *db, const struct scope *sc, int *rc)
{
	static const char *const n[] = { "id", "village", "name" };
	struct db_stmt	*st = stmt(db, CA_PEOPLE);

	scope_bind(st, sc);
	return rows(st, n, "iss", rc);
}

int64_t
ca_household_village(struct db *db, const struct scope *sc, int64_t id)
{
	struct db_stmt	*st = stmt(db, CA_HOUSEHOLD_VILLAGE);

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	return scalar(st);
}

int64_t
ca_person_village(struct db *db, const struct scope *sc, int64_t id)
{
	struct db_stmt	*st = stmt(db, CA_PERSON_VILLAGE);

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	return scalar(st);
}

int
ca_create(struct db *db, const struct scope *sc, const struct ca_new *in,
    const struct audit_actor *who, int64_t now, int64_t *id)
{
	struct db_stmt	*st = stmt(db, CA_DUP);
	int64_t		 n;
	int		 rc;

	db_bind_text(st, 1, in->category);
	db_bind_id(st, 2, in->household_id);
	db_bind_id(st, 3, in->person_id);
	if ((n = scalar(st)) < 0)
		return (int)n;
	if (n > 0)
		return DB_DONE;
	st = stmt(db, CA_ADD);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, in->village_id);
	db_bind_text(st, 3, in->category);
	db_bind_id(st, 4, in->household_id);
	db_bind_id(st, 5, in->person_id);
	db_bind_text(st, 6, in->note ? in->note : "");
	db_bind_text(st, 7, in->since);
	db_bind_id(st, 8, who->account_id);
	bind_now(st, 9, now);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	*id = db_last_id(db);
	/* Ids only: the note may hold personal matters. */
	if ((rc = audit(db, who, "care.create", "care_subject", *id,
	    json_pack("{ss sI sI sI}", "category", in->category, "village_id",
	    (json_int_t)in->village_id, "household_id",
	    (json_int_t)in->household_id, "person_id",
	    (json_int_t)in->person_id))) != DB_OK)
		return rc;
	if (in->cadre_id != 0)
		rc = ca_pair(db, *id, in->cadre_id, in->since, who, now);
	return rc;
}

int
ca_pair(struct db *db, int64_t subject, int64_t cadre, const char *day,
    const struct audit_actor *who, int64_t now)
{
	struct db_stmt	*st = stmt(db, CA_PAIR_END);
	int		 rc;

	db_bind_int64(st, 1, subject);
	db_bind_text(st, 2, day);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	st = stmt(db, CA_PAIR_ADD);
	db_bind_int64(st, 1, subject);
	db_bind_int64(st, 2, cadre);
	db_bind_text(st, 3, day);
	db_bind_id(st, 4, who->account_id);
	bind_now(st, 5, now);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	return audit(db, who, "care.pair", "care_subject", subject,
	    json_pack("{sI ss}", "cadre_id", (json_int_t)cadre, "started_on",
	    day));
}

int
ca_contact_add(struct db *db, int64_t subject, const struct ca_contact *c,
    const struct audit_actor *who, int64_t now, int64_t *id)
{
	struct db_stmt	*st = stmt(db, CA_CONTACT_ADD);
	int		 rc;

	db_bind_int64(st, 1, subject);
	db_bind_int64(st, 2, c->cadre_id);
	db_bind_text(st, 3, c->day);
	db_bind_text(st, 4, c->way);
	db_bind_text(st, 5, c->note);
	db_bind_text(st, 6, c->follow_up ? c->follow_up : "");
	db_bind_id(st, 7, who->account_id);
	bind_now(st, 8, now);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	*id = db_last_id(db);
	return audit(db, who, "care.contact", "care_subject", subject,
	    json_pack("{sI sI ss ss}", "contact_id", (json_int_t)*id,
	    "cadre_id", (json_int_t)c->cadre_id, "contacted_on", c->day, "way",
	    c->way));
}

int
ca_end(struct db *db, int64_t subject, const char *day,
    const struct audit_actor *who)
{
	struct db_stmt	*st = stmt(db, CA_END);
	int		 rc;

	db_bind_int64(st, 1, subject);
	db_bind_text(st, 2, day);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	if (db_changes(db) == 0)
		return DB_DONE;
	st = stmt(db, CA_PAIR_END);
	db_bind_int64(st, 1, subject);
	db_bind_text(st, 2, day);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	return audit(db, who, "care.end", "care_subject", subject,
	    json_pack("{ss}", "ended_on", day));
}

static const char *const subject_cols[] = { "id", "village_id", "village",
    "category", "household_id", "person_id", "name", "phone", "address",
    "note", "since", "ended_on", "cadre_id", "cadre", "last_contact",
    "contacts" };
#define SUBJECT_TYPES "iissiisssssTiTTi"

json_t *
ca_list(struct db *db, const struct scope *sc, int64_t village,
    const char *category, const char *from, const char *to, bool active_in,
    int *rc)
{
	struct db_stmt	*st = stmt(db, CA_LIST);

	scope_bind(st, sc);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, to);
	db_bind_id(st, 5, village);
	db_bind_text(st, 6, category);
	db_bind_int64(st, 7, active_in);
	return rows(st, subject_cols, SUBJECT_TYPES, rc);
}

json_t *
ca_get(struct db *db, const struct scope *sc, int64_t id, const char *from,
    const char *to, int *rc)
{
	static const char *const pn[] = { "id", "cadre_id", "cadre",
	    "started_on", "ended_on" };
	static const char *const kn[] = { "id", "contacted_on", "way", "note",
	    "follow_up", "cadre", "created_at" };
	struct db_stmt	*st = stmt(db, CA_GET);
	json_t		*o, *a;

	scope_bind(st, sc);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, to);
	db_bind_int64(st, 5, id);
	if ((o = one(st, subject_cols, SUBJECT_TYPES, rc)) == NULL)
		return NULL;
	st = stmt(db, CA_PAIRS);
	db_bind_int64(st, 1, id);
	if ((a = rows(st, pn, "iissT", rc)) == NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "pairs", a);
	st = stmt(db, CA_CONTACTS);
	db_bind_int64(st, 1, id);
	if ((a = rows(st, kn, "isssssw", rc)) == NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "log", a);
	return o;
}

/* ---------------------------------------------------------------- 示范户 */

int
mh_nominate(struct db *db, const struct scope *sc, int64_t village,
    int64_t household, int year, const char *category, const char *reason,
    const struct audit_actor *who, int64_t now, int64_t *id)
{
	struct db_stmt	*st = stmt(db, MH_DUP);
	int64_t		 n;
	int		 rc;

	db_bind_int64(st, 1, household);
	db_bind_int64(st, 2, year);
	db_bind_text(st, 3, category);
	if ((n = scalar(st)) < 0)
		return (int)n;
	if (n > 0)
		return DB_DONE;
	st = stmt(db, MH_ADD);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, village);
	db_bind_int64(st, 3, household);
	db_bind_int64(st, 4, year);
	db_bind_text(st, 5, category);
	db_bind_text(st, 6, reason);
	db_bind_id(st, 7, who->account_id);
	bind_now(st, 8, now);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	*id = db_last_id(db);
	return audit(db, who, "model.nominate", "model_household", *id,
	    json_pack("{sI si ss}", "household_id", (json_int_t)household,
	    "year", year, "category", category));
}

json_t *
mh_list(struct db *db, const struct scope *sc, int year, int *rc)
{
	static const char *const n[] = { "id", "village_id", "village",
	    "household_id", "head", "address", "category", "reason", "chosen",
	    "nominated_at", "chosen_at" };
	struct db_stmt	*st = stmt(db, MH_LIST);

	scope_bind(st, sc);
	db_bind_int64(st, 3, year);
	return rows(st, n, "iisissssbww", rc);
}

int
mh_choose(struct db *db, const struct scope *sc, int64_t id,
    const struct audit_actor *who, int64_t now)
{
	struct db_stmt	*st = stmt(db, MH_CHOOSE);
	int		 rc;

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	bind_now(st, 4, now);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	if (db_changes(db) == 0) {
		st = stmt(db, MH_EXISTS);
		scope_bind(st, sc);
		db_bind_int64(st, 3, id);
		rc = (int)scalar(st);
		return rc < 0 ? rc : rc > 0 ? DB_ROW : DB_DONE;
	}
	return audit(db, who, "model.choose", "model_household", id, NULL);
}

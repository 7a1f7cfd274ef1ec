/* org_db.c: queries for the organisation tree, people and posts. */
#include <string.h>

#include "auth/secret.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/dbjson.h"
#include "org/org.h"
#include "org/validate.h"

enum org_sql {
	ORG_SQL_TOWNSHIP_NAME,
	ORG_SQL_DEFAULT_TOWNSHIP,
	ORG_SQL_UNITS,
	ORG_SQL_UNIT,
	ORG_SQL_UNIT_POSTS,
	ORG_SQL_UNIT_INSERT,
	ORG_SQL_UNIT_UPDATE,
	ORG_SQL_VILLAGES,
	ORG_SQL_VILLAGE,
	ORG_SQL_GROUPS,
	ORG_SQL_VILLAGE_POSTS,
	ORG_SQL_VILLAGE_INSERT,
	ORG_SQL_VILLAGE_UPDATE,
	ORG_SQL_GROUP_INSERT,
	ORG_SQL_GROUP_UPDATE,
	ORG_SQL_PLACE_OK,
	ORG_SQL_VILLAGE_OPTIONS,
	ORG_SQL_UNIT_OPTIONS,
	ORG_SQL_VILLAGE_NAMES,
	ORG_SQL_PEOPLE,
	ORG_SQL_POSTS_LABEL,
	ORG_SQL_POSTS_LABEL_UNIT,
	ORG_SQL_POSTS_LABEL_VILLAGE,
	ORG_SQL_PERSON,
	ORG_SQL_PERSON_POSTS,
	ORG_SQL_PERSON_INSERT,
	ORG_SQL_PERSON_UPDATE,
	ORG_SQL_PERSON_PHONE,
	ORG_SQL_PERSON_IDNO,
	ORG_SQL_PERSON_CONTACT,
	ORG_SQL_POST_INSERT,
	ORG_SQL_POST_END,
	ORG_SQL_POST_GET,
	ORG_SQL_COUNT_PEOPLE,
	ORG_SQL_CADRES,
	ORG_SQL_SUPERVISES,
	ORG_SQL_FIND_PERSON,
	ORG_SQL_TOWNSHIP_INSERT,
	ORG_SQL_HOUSEHOLD_INSERT,
	ORG_SQL_HOUSEHOLD_HEAD,
	ORG_SQL_PERSON_HOUSEHOLD,
	ORG_SQL__MAX
};

/* Filters shared by the people list and its count: ?1 .. ?7. */
#define PEOPLE_WHERE \
	" WHERE p.township_id = ?1" \
	" AND (?2 IS NULL OR p.village_id = ?2)" \
	" AND (?3 IS NULL OR p.village_id = ?3)" \
	" AND (?4 IS NULL OR EXISTS (SELECT 1 FROM post po" \
	"  WHERE po.person_id = p.id AND po.unit_id = ?4" \
	"  AND po.ended_on IS NULL))" \
	" AND (?5 IS NULL OR p.name LIKE '%' || replace(replace(replace(?5," \
	"  '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' ESCAPE '\\')" \
	" AND (?6 IS NULL OR p.phone_mac = ?6)" \
	" AND (?7 IS NULL OR p.kind = ?7)"

/* A person's current posts as one label ("司法所所长、龙咀子村村文书"). */
#define POSTS_OF(col) \
	"coalesce((SELECT group_concat(coalesce(u.name, vv.name) || po.title," \
	" '、') FROM post po LEFT JOIN unit u ON u.id = po.unit_id" \
	" LEFT JOIN village vv ON vv.id = po.village_id" \
	" WHERE po.person_id = " col " AND po.ended_on IS NULL), '')"

static const char *const org_sql[ORG_SQL__MAX] = {
	[ORG_SQL_TOWNSHIP_NAME] = "SELECT name FROM township WHERE id = ?1",
	[ORG_SQL_DEFAULT_TOWNSHIP] =
	    "SELECT id FROM township ORDER BY id LIMIT 1",
	[ORG_SQL_UNITS] =
	    "SELECT u.id, u.name, u.kind, u.phone, u.duties, u.sort, u.active,"
	    " (SELECT count(*) FROM post p WHERE p.unit_id = u.id"
	    "  AND p.ended_on IS NULL), u.supervises"
	    " FROM unit u WHERE u.township_id = ?1 ORDER BY u.sort, u.id",
	[ORG_SQL_UNIT] =
	    "SELECT u.id, u.name, u.kind, u.phone, u.duties, u.sort, u.active,"
	    " (SELECT count(*) FROM post p WHERE p.unit_id = u.id"
	    "  AND p.ended_on IS NULL), u.supervises"
	    " FROM unit u WHERE u.township_id = ?1 AND u.id = ?2",
	[ORG_SQL_UNIT_POSTS] =
	    "SELECT po.id, po.title, p.id, p.name, po.started_on"
	    " FROM post po JOIN person p ON p.id = po.person_id"
	    " WHERE po.unit_id = ?1 AND po.ended_on IS NULL ORDER BY po.id",
	[ORG_SQL_UNIT_INSERT] =
	    "INSERT INTO unit (township_id, name, kind, phone, duties, sort,"
	    " active, supervises) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ORG_SQL_UNIT_UPDATE] =
	    "UPDATE unit SET name = ?3, kind = ?4, phone = ?5, duties = ?6,"
	    " sort = ?7, active = ?8, supervises = ?9"
	    " WHERE township_id = ?1 AND id = ?2",
	[ORG_SQL_VILLAGES] =
	    "SELECT v.id, v.name, v.sort,"
	    " (SELECT count(*) FROM village_group g WHERE g.village_id = v.id),"
	    " (SELECT count(*) FROM household h WHERE h.village_id = v.id),"
	    " (SELECT count(*) FROM person p WHERE p.village_id = v.id)"
	    " FROM village v WHERE v.township_id = ?1"
	    " AND (?2 IS NULL OR v.id = ?2) ORDER BY v.sort, v.id",
	[ORG_SQL_VILLAGE] =
	    "SELECT v.id, v.name, v.sort FROM village v"
	    " WHERE v.township_id = ?1 AND (?2 IS NULL OR v.id = ?2)"
	    " AND v.id = ?3",
	[ORG_SQL_GROUPS] =
	    "SELECT g.id, g.name, g.sort,"
	    " (SELECT count(*) FROM household h WHERE h.group_id = g.id),"
	    " g.village_id FROM village_group g WHERE g.village_id = ?1"
	    " ORDER BY g.sort, g.id",
	[ORG_SQL_VILLAGE_POSTS] =
	    "SELECT po.id, po.title, p.id, p.name, po.started_on"
	    " FROM post po JOIN person p ON p.id = po.person_id"
	    " WHERE po.village_id = ?1 AND po.ended_on IS NULL ORDER BY po.id",
	[ORG_SQL_VILLAGE_INSERT] =
	    "INSERT INTO village (township_id, name, sort) VALUES (?1, ?2, ?3)",
	[ORG_SQL_VILLAGE_UPDATE] =
	    "UPDATE village SET name = ?3, sort = ?4"
	    " WHERE township_id = ?1 AND id = ?2",
	[ORG_SQL_GROUP_INSERT] =
	    "INSERT INTO village_group (village_id, name, sort)"
	    " VALUES (?1, ?2, ?3)",
	[ORG_SQL_GROUP_UPDATE] =
	    "UPDATE village_group SET name = ?3, sort = ?4"
	    " WHERE village_id = ?1 AND id = ?2",
	[ORG_SQL_PLACE_OK] =
	    "SELECT 1 FROM village v WHERE v.id = ?3 AND v.township_id = ?1"
	    " AND (?2 IS NULL OR v.id = ?2) AND (?4 IS NULL OR EXISTS"
	    " (SELECT 1 FROM village_group g WHERE g.id = ?4"
	    "  AND g.village_id = v.id))",
	[ORG_SQL_VILLAGE_OPTIONS] =
	    "SELECT v.id, v.name, g.id, g.name FROM village v"
	    " LEFT JOIN village_group g ON g.village_id = v.id"
	    " WHERE v.township_id = ?1 AND (?2 IS NULL OR v.id = ?2)"
	    " ORDER BY v.sort, v.id, g.sort, g.id",
	[ORG_SQL_VILLAGE_NAMES] =
	    "SELECT id, name FROM village WHERE township_id = ?1"
	    " AND (?2 IS NULL OR id = ?2) ORDER BY sort, id",
	[ORG_SQL_UNIT_OPTIONS] =
	    "SELECT id, name FROM unit WHERE township_id = ?1 AND active = 1"
	    " ORDER BY sort, id",
	[ORG_SQL_PEOPLE] =
	    "SELECT p.id, p.name, p.kind, p.sex, p.birth_year, p.village_id,"
	    " v.name, g.name, p.phone_mask, p.posts_label"
	    " FROM person p LEFT JOIN village v ON v.id = p.village_id"
	    " LEFT JOIN village_group g ON g.id = p.group_id"
	    PEOPLE_WHERE " AND p.id > ?8 ORDER BY p.id LIMIT ?9",
	/* Labels are kept when posts change, not computed per list row. */
	[ORG_SQL_POSTS_LABEL] =
	    "UPDATE person SET posts_label = " POSTS_OF("person.id")
	    " WHERE id = ?1",
	[ORG_SQL_POSTS_LABEL_UNIT] =
	    "UPDATE person SET posts_label = " POSTS_OF("person.id")
	    " WHERE id IN (SELECT person_id FROM post WHERE unit_id = ?1)",
	[ORG_SQL_POSTS_LABEL_VILLAGE] =
	    "UPDATE person SET posts_label = " POSTS_OF("person.id")
	    " WHERE id IN (SELECT person_id FROM post WHERE village_id = ?1)",
	[ORG_SQL_PERSON] =
	    "SELECT p.id, p.name, p.kind, p.sex, p.birth_year, p.village_id,"
	    " v.name, p.group_id, g.name, p.address, p.phone_mask, p.idno_mask,"
	    " p.note, p.created_at, p.updated_at"
	    " FROM person p LEFT JOIN village v ON v.id = p.village_id"
	    " LEFT JOIN village_group g ON g.id = p.group_id"
	    " WHERE p.township_id = ?1 AND (?2 IS NULL OR p.village_id = ?2)"
	    " AND p.id = ?3",
	[ORG_SQL_PERSON_POSTS] =
	    "SELECT po.id, po.title, po.unit_id, u.name, po.village_id, v.name,"
	    " po.started_on, po.ended_on FROM post po"
	    " LEFT JOIN unit u ON u.id = po.unit_id"
	    " LEFT JOIN village v ON v.id = po.village_id"
	    " WHERE po.person_id = ?1"
	    " ORDER BY po.ended_on IS NOT NULL, po.id",
	[ORG_SQL_PERSON_INSERT] =
	    "INSERT INTO person (township_id, kind, name, sex, birth_year,"
	    " village_id, group_id, address, phone_mask, phone_enc, phone_mac,"
	    " idno_mask, idno_enc, idno_mac, note, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15, ?16, ?16)",
	[ORG_SQL_PERSON_UPDATE] =
	    "UPDATE person SET kind = ?4, name = ?5, sex = ?6, birth_year = ?7,"
	    " village_id = ?8, group_id = ?9, address = ?10, note = ?11,"
	    " updated_at = ?12"
	    " WHERE township_id = ?1 AND (?2 IS NULL OR village_id = ?2)"
	    " AND id = ?3",
	[ORG_SQL_PERSON_PHONE] =
	    "UPDATE person SET phone_mask = ?2, phone_enc = ?3, phone_mac = ?4"
	    " WHERE id = ?1",
	[ORG_SQL_PERSON_IDNO] =
	    "UPDATE person SET idno_mask = ?2, idno_enc = ?3, idno_mac = ?4"
	    " WHERE id = ?1",
	[ORG_SQL_PERSON_CONTACT] =
	    "SELECT name, phone_enc, idno_enc FROM person"
	    " WHERE township_id = ?1 AND (?2 IS NULL OR village_id = ?2)"
	    " AND id = ?3",
	[ORG_SQL_POST_INSERT] =
	    "INSERT INTO post (township_id, person_id, unit_id, village_id,"
	    " title, started_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ORG_SQL_CADRES] =
	    "SELECT id, name || CASE WHEN posts_label <> '' THEN"
	    " '（' || posts_label || '）' ELSE '' END FROM person"
	    " WHERE township_id = ?1 AND kind = 'cadre' ORDER BY id",
	[ORG_SQL_SUPERVISES] =
	    "SELECT 1 FROM post p JOIN unit u ON u.id = p.unit_id"
	    " WHERE p.person_id = ?1 AND p.ended_on IS NULL"
	    " AND u.supervises = 1 LIMIT 1",
	[ORG_SQL_FIND_PERSON] =
	    "SELECT id FROM person WHERE township_id = ?1"
	    " AND ((?2 IS NOT NULL AND idno_mac = ?2)"
	    " OR (?3 IS NOT NULL AND phone_mac = ?3 AND name = ?4))"
	    " ORDER BY idno_mac IS NULL, id LIMIT 1",
	[ORG_SQL_COUNT_PEOPLE] =
	    "SELECT count(*) FROM person WHERE township_id = ?1"
	    " AND (?2 IS NULL OR village_id = ?2) AND (?3 IS NULL OR kind = ?3)",
	[ORG_SQL_POST_GET] =
	    "SELECT person_id, started_on, ended_on FROM post"
	    " WHERE township_id = ?1 AND id = ?2",
	[ORG_SQL_POST_END] =
	    "UPDATE post SET ended_on = ?3"
	    " WHERE township_id = ?1 AND id = ?2 AND ended_on IS NULL"
	    " RETURNING person_id",
	[ORG_SQL_TOWNSHIP_INSERT] =
	    "INSERT INTO township (name, county, created_at)"
	    " VALUES (?1, ?2, ?3)",
	[ORG_SQL_HOUSEHOLD_INSERT] =
	    "INSERT INTO household (township_id, village_id, group_id,"
	    " address, members, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ORG_SQL_HOUSEHOLD_HEAD] =
	    "UPDATE household SET head_id = ?2 WHERE id = ?1"
	    " AND (?2 IS NULL OR EXISTS (SELECT 1 FROM person p"
	    "  WHERE p.id = ?2 AND p.township_id = household.township_id))",
	[ORG_SQL_PERSON_HOUSEHOLD] =
	    "UPDATE person SET household_id = ?2, updated_at = ?3"
	    " WHERE id = ?1 AND (?2 IS NULL OR township_id ="
	    "  (SELECT h.township_id FROM household h WHERE h.id = ?2))",
};

const struct db_sqltab org_sqltab = { "org", org_sql, ORG_SQL__MAX };

const char *const unit_kinds[] = { "office", "station", "centre", NULL };
const char *const unit_kind_labels[] = { "机关办室", "站所", "中心", NULL };

static int	 posts_label(struct db *, enum org_sql, int64_t);

static struct db_stmt *
stmt(struct db *db, enum org_sql id)
{
	return db_stmt(db, DBM_ORG, id);
}

static const char *
label_of(const char *const *keys, const char *const *labels, const char *k)
{
	size_t	 i;

	for (i = 0; k != NULL && keys[i] != NULL; i++)
		if (strcmp(keys[i], k) == 0)
			return labels[i];
	return "";
}

static const char *
sex_label(const char *s)
{
	if (str_eq(s, "M"))
		return "男";
	if (str_eq(s, "F"))
		return "女";
	return "";
}

const char *
org_township_name(struct db *db, int64_t id, struct arena *a)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_TOWNSHIP_NAME);
	const char	*name = NULL;

	db_bind_int64(st, 1, id);
	if (db_step(st) == DB_ROW)
		name = arena_strdup(a, db_col_text(st, 0));
	db_reset(st);
	return name;
}

int64_t
org_default_township(struct db *db)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_DEFAULT_TOWNSHIP);
	int64_t		 id = 0;

	if (db_step(st) == DB_ROW)
		id = db_col_int64(st, 0);
	db_reset(st);
	return id;
}

static json_t *
unit_row(struct db_stmt *st)
{
	const char	*kind = db_col_text(st, 2);

	return json_pack("{so so ss ss so so so so so so}",
	    "id", db_json_int(st, 0),
	    "name", db_json_text(st, 1),
	    "kind", kind,
	    "kind_label", label_of(unit_kinds, unit_kind_labels, kind),
	    "phone", db_json_text(st, 3),
	    "duties", db_json_text(st, 4),
	    "sort", db_json_int(st, 5),
	    "active", db_json_bool(st, 6),
	    "members", db_json_int(st, 7),
	    "supervises", db_json_bool(st, 8));
}

json_t *
org_units(struct db *db, const struct scope *sc, int *rc)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_UNITS);

	db_bind_int64(st, 1, sc->township_id);
	return db_json_rows(st, unit_row, rc);
}

static json_t *
post_row(struct db_stmt *st)
{
	return json_pack("{so so so so so}",
	    "id", db_json_int(st, 0),
	    "title", db_json_text(st, 1),
	    "person_id", db_json_int(st, 2),
	    "person", db_json_text(st, 3),
	    "started_on", db_json_text(st, 4));
}

json_t *
org_unit(struct db *db, const struct scope *sc, int64_t id, int *rc)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_UNIT);
	json_t		*u = NULL, *posts;
	int		 r;

	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, id);
	r = db_step(st);
	if (r == DB_ROW)
		u = unit_row(st);
	db_reset(st);
	*rc = r < 0 ? r : DB_OK;
	if (u == NULL)
		return NULL;
	st = stmt(db, ORG_SQL_UNIT_POSTS);
	db_bind_int64(st, 1, id);
	if ((posts = db_json_rows(st, post_row, rc)) == NULL) {
		json_decref(u);
		return NULL;
	}
	json_object_set_new(u, "posts", posts);
	return u;
}

int
org_unit_save(struct db *db, const struct scope *sc, int64_t *id,
    const struct unit_in *in)
{
	struct db_stmt	*st;
	int		 rc, k = 0;

	if (*id == 0) {
		st = stmt(db, ORG_SQL_UNIT_INSERT);
		db_bind_int64(st, 1, sc->township_id);
		k = 1;
	} else {
		st = stmt(db, ORG_SQL_UNIT_UPDATE);
		db_bind_int64(st, 1, sc->township_id);
		db_bind_int64(st, 2, *id);
		k = 2;
	}
	db_bind_text(st, k + 1, in->name);
	db_bind_text(st, k + 2, in->kind);
	db_bind_text(st, k + 3, in->phone ? in->phone : "");
	db_bind_text(st, k + 4, in->duties ? in->duties : "");
	db_bind_int64(st, k + 5, in->sort);
	db_bind_int64(st, k + 6, in->active ? 1 : 0);
	db_bind_int64(st, k + 7, in->supervises ? 1 : 0);
	rc = db_exec(st);
	if (rc != DB_OK)
		return rc;
	if (*id == 0)
		*id = db_last_id(db);
	else if (db_changes(db) == 0)
		return DB_DONE;		/* not found */
	return posts_label(db, ORG_SQL_POSTS_LABEL_UNIT, *id);
}

static json_t *
village_row(struct db_stmt *st)
{
	return json_pack("{so so so so so so}",
	    "id", db_json_int(st, 0),
	    "name", db_json_text(st, 1),
	    "sort", db_json_int(st, 2),
	    "groups", db_json_int(st, 3),
	    "households", db_json_int(st, 4),
	    "people", db_json_int(st, 5));
}

json_t *
org_villages(struct db *db, const struct scope *sc, int *rc)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_VILLAGES);

	scope_bind(st, sc);
	return db_json_rows(st, village_row, rc);
}

static json_t *
group_row(struct db_stmt *st)
{
	return json_pack("{so so so so so}",
	    "id", db_json_int(st, 0),
	    "name", db_json_text(st, 1),
	    "sort", db_json_int(st, 2),
	    "households", db_json_int(st, 3),
	    "village_id", db_json_int(st, 4));
}

json_t *
org_village(struct db *db, const struct scope *sc, int64_t id, int *rc)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_VILLAGE);
	json_t		*v = NULL, *groups, *posts;
	int		 r;

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	r = db_step(st);
	if (r == DB_ROW)
		v = json_pack("{so so so}", "id", db_json_int(st, 0), "name",
		    db_json_text(st, 1), "sort", db_json_int(st, 2));
	db_reset(st);
	*rc = r < 0 ? r : DB_OK;
	if (v == NULL)
		return NULL;
	st = stmt(db, ORG_SQL_GROUPS);
	db_bind_int64(st, 1, id);
	groups = db_json_rows(st, group_row, rc);
	st = stmt(db, ORG_SQL_VILLAGE_POSTS);
	db_bind_int64(st, 1, id);
	posts = groups ? db_json_rows(st, post_row, rc) : NULL;
	if (groups == NULL || posts == NULL) {
		json_decref(groups);
		json_decref(v);
		return NULL;
	}
	json_object_set_new(v, "groups", groups);
	json_object_set_new(v, "posts", posts);
	return v;
}

int
org_village_save(struct db *db, const struct scope *sc, int64_t *id,
    const char *name, int64_t sort)
{
	struct db_stmt	*st;
	int		 rc;

	st = stmt(db, *id ? ORG_SQL_VILLAGE_UPDATE : ORG_SQL_VILLAGE_INSERT);
	db_bind_int64(st, 1, sc->township_id);
	if (*id) {
		db_bind_int64(st, 2, *id);
		db_bind_text(st, 3, name);
		db_bind_int64(st, 4, sort);
	} else {
		db_bind_text(st, 2, name);
		db_bind_int64(st, 3, sort);
	}
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	if (*id == 0)
		*id = db_last_id(db);
	else if (db_changes(db) == 0)
		return DB_DONE;
	return posts_label(db, ORG_SQL_POSTS_LABEL_VILLAGE, *id);
}

int
org_group_save(struct db *db, const struct scope *sc, int64_t village_id,
    int64_t *id, const char *name, int64_t sort)
{
	struct db_stmt	*st;
	int		 rc;

	if ((rc = org_place_ok(db, sc, village_id, 0)) != 1)
		return rc < 0 ? rc : DB_DONE;
	st = stmt(db, *id ? ORG_SQL_GROUP_UPDATE : ORG_SQL_GROUP_INSERT);
	db_bind_int64(st, 1, village_id);
	if (*id) {
		db_bind_int64(st, 2, *id);
		db_bind_text(st, 3, name);
		db_bind_int64(st, 4, sort);
	} else {
		db_bind_text(st, 2, name);
		db_bind_int64(st, 3, sort);
	}
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	if (*id == 0)
		*id = db_last_id(db);
	else if (db_changes(db) == 0)
		return DB_DONE;
	return DB_OK;
}

int
org_place_ok(struct db *db, const struct scope *sc, int64_t village_id,
    int64_t group_id)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_PLACE_OK);
	int		 rc;

	scope_bind(st, sc);
	db_bind_int64(st, 3, village_id);
	db_bind_id(st, 4, group_id);
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW;
}

json_t *
org_village_options(struct db *db, const struct scope *sc, int *rc)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_VILLAGE_OPTIONS);
	json_t		*a = json_array(), *v = NULL;
	int64_t		 last = 0, vid;
	int		 r;

	scope_bind(st, sc);
	while ((r = db_step(st)) == DB_ROW) {
		vid = db_col_int64(st, 0);
		if (vid != last) {
			v = json_object();
			json_object_set_new_nocheck(v, "id", json_integer(vid));
			json_object_set_new_nocheck(v, "name",
			    db_json_text(st, 1));
			json_object_set_new_nocheck(v, "groups", json_array());
			json_array_append_new(a, v);
			last = vid;
		}
		if (!db_col_null(st, 2)) {
			json_t	*g = json_object();

			json_object_set_new_nocheck(g, "id",
			    db_json_int(st, 2));
			json_object_set_new_nocheck(g, "name",
			    db_json_text(st, 3));
			json_array_append_new(json_object_get(v, "groups"), g);
		}
	}
	return db_json_finish(st, r, a, rc);
}

static json_t *
option_row(struct db_stmt *st)
{
	json_t	*o = json_object();

	json_object_set_new_nocheck(o, "id", db_json_int(st, 0));
	json_object_set_new_nocheck(o, "name", db_json_text(st, 1));
	return o;
}

json_t *
org_village_names(struct db *db, const struct scope *sc, int *rc)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_VILLAGE_NAMES);

	scope_bind(st, sc);
	return db_json_rows(st, option_row, rc);
}

json_t *
org_unit_options(struct db *db, const struct scope *sc, int *rc)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_UNIT_OPTIONS);

	db_bind_int64(st, 1, sc->township_id);
	return db_json_rows(st, option_row, rc);
}

/* One row of the people ledger: built by hand, it runs 50 times a page. */
static json_t *
person_row(struct db_stmt *st)
{
	json_t		*o = json_object();
	const char	*kind = db_col_text(st, 2);
	const char	*sex = db_col_text(st, 3);

	json_object_set_new_nocheck(o, "id", db_json_int(st, 0));
	json_object_set_new_nocheck(o, "name", db_json_text(st, 1));
	json_object_set_new_nocheck(o, "kind", db_json_text(st, 2));
	json_object_set_new_nocheck(o, "kind_label", json_string_nocheck(
	    str_eq(kind, "cadre") ? "干部" : "群众"));
	json_object_set_new_nocheck(o, "sex", db_json_text(st, 3));
	json_object_set_new_nocheck(o, "sex_label",
	    json_string_nocheck(sex_label(sex)));
	json_object_set_new_nocheck(o, "birth_year", db_json_int(st, 4));
	json_object_set_new_nocheck(o, "village_id", db_json_int(st, 5));
	json_object_set_new_nocheck(o, "village", db_json_text(st, 6));
	json_object_set_new_nocheck(o, "group", db_json_text(st, 7));
	json_object_set_new_nocheck(o, "phone", db_json_text(st, 8));
	json_object_set_new_nocheck(o, "posts", db_json_text(st, 9));
	return o;
}

/* Bind the people filters ?1 .. ?7. */
static void
bind_people(struct db_stmt *st, const struct scope *sc,
    const struct person_filter *f, char digits[12])
{
	unsigned char	 mac[SECRET_HASH_LEN];

	scope_bind(st, sc);
	db_bind_id(st, 3, f->village_id);
	db_bind_id(st, 4, f->unit_id);
	if (!str_empty(f->q) && phone_normalise(f->q, digits) == 0) {
		secret_mac("phone", digits, mac);
		db_bind_null(st, 5);
		db_bind_blob(st, 6, mac, sizeof(mac));
	} else {
		db_bind_text(st, 5, str_empty(f->q) ? NULL : f->q);
		db_bind_null(st, 6);
	}
	db_bind_text(st, 7, f->kind);
}

json_t *
org_people(struct db *db, const struct scope *sc,
    const struct person_filter *f, int *rc)
{
	struct db_stmt	*st;
	json_t		*items, *res;
	char		 digits[12];
	size_t		 n;

	st = stmt(db, ORG_SQL_PEOPLE);
	bind_people(st, sc, f, digits);
	db_bind_int64(st, 8, f->after);
	db_bind_int64(st, 9, f->limit + 1);
	if ((items = db_json_rows(st, person_row, rc)) == NULL)
		return NULL;
	n = json_array_size(items);
	res = json_pack("{so sn}", "items", items, "next");
	if (n > (size_t)f->limit) {
		json_array_remove(items, n - 1);
		json_object_set_new(res, "next", json_sprintf("%lld",
		    (long long)json_integer_value(json_object_get(
		    json_array_get(items, n - 2), "id"))));
	}
	return res;
}

/* Recompute the posts label of one person, or of everyone in a place. */
static int
posts_label(struct db *db, enum org_sql which, int64_t id)
{
	struct db_stmt	*st = stmt(db, which);

	db_bind_int64(st, 1, id);
	return db_exec(st);
}

static json_t *
person_post_row(struct db_stmt *st)
{
	return json_pack("{so so so so so so so so sb}",
	    "id", db_json_int(st, 0),
	    "title", db_json_text(st, 1),
	    "unit_id", db_json_int(st, 2),
	    "unit", db_json_text(st, 3),
	    "village_id", db_json_int(st, 4),
	    "village", db_json_text(st, 5),
	    "started_on", db_json_text(st, 6),
	    "ended_on", db_json_text(st, 7),
	    "current", db_col_null(st, 7));
}

json_t *
org_person(struct db *db, const struct scope *sc, int64_t id, int *rc)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_PERSON);
	json_t		*p = NULL, *posts;
	const char	*sex, *kind;
	int		 r;

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	r = db_step(st);
	if (r == DB_ROW) {
		sex = db_col_text(st, 3);
		kind = db_col_text(st, 2);
		p = json_pack("{so so ss ss so ss so so so so so so so so so"
		    " so so}",
		    "id", db_json_int(st, 0),
		    "name", db_json_text(st, 1),
		    "kind", kind,
		    "kind_label", str_eq(kind, "cadre") ? "干部" : "群众",
		    "sex", sex ? json_string(sex) : json_null(),
		    "sex_label", sex_label(sex),
		    "birth_year", db_json_int(st, 4),
		    "village_id", db_json_int(st, 5),
		    "village", db_json_text(st, 6),
		    "group_id", db_json_int(st, 7),
		    "group", db_json_text(st, 8),
		    "address", db_json_text(st, 9),
		    "phone", db_json_text(st, 10),
		    "idno", db_json_text(st, 11),
		    "note", db_json_text(st, 12),
		    "created_at", db_json_time(st, 13),
		    "updated_at", db_json_time(st, 14));
	}
	db_reset(st);
	*rc = r < 0 ? r : DB_OK;
	if (p == NULL)
		return NULL;
	st = stmt(db, ORG_SQL_PERSON_POSTS);
	db_bind_int64(st, 1, id);
	if ((posts = db_json_rows(st, person_post_row, rc)) == NULL) {
		json_decref(p);
		return NULL;
	}
	json_object_set_new(p, "posts", posts);
	return p;
}

/* Seal a contact value and bind mask, ciphertext and keyed hash. */
static void
bind_sealed(struct db_stmt *st, int first, struct arena *a,
    const char *purpose, const char *value)
{
	unsigned char	*enc, mac[SECRET_HASH_LEN];
	size_t		 len;
	char		 mask[20];

	if (value == NULL) {
		db_bind_null(st, first);
		db_bind_null(st, first + 1);
		db_bind_null(st, first + 2);
		return;
	}
	if (strcmp(purpose, "phone") == 0)
		phone_mask(value, mask);
	else
		idno_mask(value, mask);
	secret_seal(a, purpose, value, &enc, &len);
	secret_mac(purpose, value, mac);
	db_bind_text(st, first, mask);
	db_bind_blob(st, first + 1, enc, len);
	db_bind_blob(st, first + 2, mac, sizeof(mac));
}

int
org_person_save(struct db *db, const struct scope *sc, int64_t *id,
    const struct person_in *in, struct arena *a)
{
	struct db_stmt	*st;
	char		 now[TIME_ISO_LEN];
	int		 rc;

	time_iso_utc(time_now_ms(), now);
	if (*id == 0) {
		st = stmt(db, ORG_SQL_PERSON_INSERT);
		db_bind_int64(st, 1, sc->township_id);
		db_bind_text(st, 2, in->kind);
		db_bind_text(st, 3, in->name);
		db_bind_text(st, 4, in->sex);
		db_bind_id(st, 5, in->birth_year);
		db_bind_id(st, 6, in->village_id);
		db_bind_id(st, 7, in->group_id);
		db_bind_text(st, 8, in->address ? in->address : "");
		bind_sealed(st, 9, a, "phone", in->phone);
		bind_sealed(st, 12, a, "idno", in->idno);
		db_bind_text(st, 15, in->note ? in->note : "");
		db_bind_text(st, 16, now);
		if ((rc = db_exec(st)) != DB_OK)
			return rc;
		*id = db_last_id(db);
		return DB_OK;
	}
	st = stmt(db, ORG_SQL_PERSON_UPDATE);
	scope_bind(st, sc);
	db_bind_int64(st, 3, *id);
	db_bind_text(st, 4, in->kind);
	db_bind_text(st, 5, in->name);
	db_bind_text(st, 6, in->sex);
	db_bind_id(st, 7, in->birth_year);
	db_bind_id(st, 8, in->village_id);
	db_bind_id(st, 9, in->group_id);
	db_bind_text(st, 10, in->address ? in->address : "");
	db_bind_text(st, 11, in->note ? in->note : "");
	db_bind_text(st, 12, now);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	if (db_changes(db) == 0)
		return DB_DONE;
	if (in->phone != NULL) {
		st = stmt(db, ORG_SQL_PERSON_PHONE);
		db_bind_int64(st, 1, *id);
		bind_sealed(st, 2, a, "phone", in->phone);
		if ((rc = db_exec(st)) != DB_OK)
			return rc;
	}
	if (in->idno != NULL) {
		st = stmt(db, ORG_SQL_PERSON_IDNO);
		db_bind_int64(st, 1, *id);
		bind_sealed(st, 2, a, "idno", in->idno);
		if ((rc = db_exec(st)) != DB_OK)
			return rc;
	}
	return DB_OK;
}

int
org_person_contact(struct db *db, const struct scope *sc, int64_t id,
    struct arena *a, const char **name, const char **phone, const char **idno)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_PERSON_CONTACT);
	int		 rc;

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	rc = db_step(st);
	*name = *phone = *idno = NULL;
	if (rc == DB_ROW) {
		*name = arena_strdup(a, db_col_text(st, 0));
		if (!db_col_null(st, 1))
			*phone = secret_open(a, "phone", db_col_blob(st, 1),
			    db_col_bytes(st, 1));
		if (!db_col_null(st, 2))
			*idno = secret_open(a, "idno", db_col_blob(st, 2),
			    db_col_bytes(st, 2));
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW ? DB_OK : DB_DONE;
}

int
org_post_add(struct db *db, const struct scope *sc, int64_t person_id,
    int64_t unit_id, int64_t village_id, const char *title,
    const char *started_on, int64_t *id)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_POST_INSERT);
	int		 rc;

	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, person_id);
	db_bind_id(st, 3, unit_id);
	db_bind_id(st, 4, village_id);
	db_bind_text(st, 5, title);
	db_bind_text(st, 6, started_on);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	*id = db_last_id(db);
	return posts_label(db, ORG_SQL_POSTS_LABEL, person_id);
}

int
org_post_get(struct db *db, const struct scope *sc, int64_t post_id,
    struct arena *a, int64_t *person_id, const char **started_on,
    const char **ended_on)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_POST_GET);
	int		 rc;

	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, post_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*person_id = db_col_int64(st, 0);
		*started_on = arena_strdup(a, db_col_text(st, 1));
		*ended_on = db_col_null(st, 2) ? NULL :
		    arena_strdup(a, db_col_text(st, 2));
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW ? DB_OK : DB_DONE;
}

int
org_post_end(struct db *db, const struct scope *sc, int64_t post_id,
    const char *ended_on, int64_t *person_id)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_POST_END);
	int		 rc;

	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, post_id);
	db_bind_text(st, 3, ended_on);
	rc = db_step(st);
	if (rc == DB_ROW)
		*person_id = db_col_int64(st, 0);
	db_reset(st);
	if (rc < 0)
		return rc;
	if (rc != DB_ROW)
		return DB_DONE;
	return posts_label(db, ORG_SQL_POSTS_LABEL, *person_id);
}

int
org_township_create(struct db *db, const char *name, const char *county,
    int64_t *id)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_TOWNSHIP_INSERT);
	char		 now[TIME_ISO_LEN];
	int		 rc;

	time_iso_utc(time_now_ms(), now);
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, county ? county : "");
	db_bind_text(st, 3, now);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	*id = db_last_id(db);
	return DB_OK;
}

int
org_household_create(struct db *db, const struct scope *sc,
    int64_t village_id, int64_t group_id, const char *address,
    int64_t members, int64_t *id)
{
	struct db_stmt	*st;
	char		 now[TIME_ISO_LEN];
	int		 rc;

	if ((rc = org_place_ok(db, sc, village_id, group_id)) != 1)
		return rc < 0 ? rc : DB_DONE;
	time_iso_utc(time_now_ms(), now);
	st = stmt(db, ORG_SQL_HOUSEHOLD_INSERT);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, village_id);
	db_bind_id(st, 3, group_id);
	db_bind_text(st, 4, address ? address : "");
	db_bind_int64(st, 5, members);
	db_bind_text(st, 6, now);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	*id = db_last_id(db);
	return DB_OK;
}

int
org_household_set_head(struct db *db, int64_t household_id, int64_t person_id)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_HOUSEHOLD_HEAD);
	int		 rc;

	db_bind_int64(st, 1, household_id);
	db_bind_id(st, 2, person_id);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	return db_changes(db) == 0 ? DB_DONE : DB_OK;
}

int
org_person_set_household(struct db *db, int64_t person_id,
    int64_t household_id)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_PERSON_HOUSEHOLD);
	char		 now[TIME_ISO_LEN];
	int		 rc;

	time_iso_utc(time_now_ms(), now);
	db_bind_int64(st, 1, person_id);
	db_bind_id(st, 2, household_id);
	db_bind_text(st, 3, now);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	return db_changes(db) == 0 ? DB_DONE : DB_OK;
}

int64_t
org_count_people(struct db *db, const struct scope *sc, const char *kind)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_COUNT_PEOPLE);
	int64_t		 n = -1;

	scope_bind(st, sc);
	db_bind_text(st, 3, kind);
	if (db_step(st) == DB_ROW)
		n = db_col_int64(st, 0);
	db_reset(st);
	return n;
}

json_t *
org_cadres(struct db *db, const struct scope *sc, int *rc)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_CADRES);

	db_bind_int64(st, 1, sc->township_id);
	return db_json_rows(st, option_row, rc);
}

int
org_person_supervises(struct db *db, int64_t person_id)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_SUPERVISES);
	int		 rc;

	db_bind_int64(st, 1, person_id);
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW;
}

int64_t
org_person_find(struct db *db, const struct scope *sc, const char *name,
    const char *phone, const char *idno)
{
	struct db_stmt	*st = stmt(db, ORG_SQL_FIND_PERSON);
	unsigned char	 pm[SECRET_HASH_LEN], im[SECRET_HASH_LEN];
	int64_t		 id = 0;
	int		 rc;

	if (phone == NULL && idno == NULL)
		return 0;
	db_bind_int64(st, 1, sc->township_id);
	if (idno != NULL) {
		secret_mac("idno", idno, im);
		db_bind_blob(st, 2, im, sizeof(im));
	} else
		db_bind_null(st, 2);
	if (phone != NULL) {
		secret_mac("phone", phone, pm);
		db_bind_blob(st, 3, pm, sizeof(pm));
	} else
		db_bind_null(st, 3);
	db_bind_text(st, 4, name);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int64(st, 0);
	db_reset(st);
	return rc < 0 ? rc : id;
}

/* enterprise_db.c: enterprises, patrons, visits, reports and spot-checks in the database. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "auth/secret.h"
#include "base/compat.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/dbjson.h"
#include "enterprise/enterprise.h"
#include "enterprise/enterprise_db.h"
#include "org/validate.h"

enum ent_sql {
	ENT_SQL_INSERT,
	ENT_SQL_FILL,
	ENT_SQL_UPDATE,
	ENT_SQL_BY_NAME,
	ENT_SQL_LIST,
	ENT_SQL_GET,
	ENT_SQL_VILLAGE,
	ENT_SQL_PATRONS,
	ENT_SQL_VISITS,
	ENT_SQL_MATTERS,
	ENT_SQL_CADRE,
	ENT_SQL_CADRE_NAME,
	ENT_SQL_CADRES,
	ENT_SQL_PATRON_NOW,
	ENT_SQL_PATRON_END,
	ENT_SQL_PATRON_ADD,
	ENT_SQL_IS_PATRON,
	ENT_SQL_VISIT_ADD,
	ENT_SQL_LINK,
	ENT_SQL_REPORT,
	ENT_SQL_POOL,
	ENT_SQL_CHECKS,
	ENT_SQL_CHECK_SAVE,
	ENT_SQL_OPINION_GET,
	ENT_SQL_OPINION_ADD,
	ENT_SQL_LINK_GET,
	ENT_SQL_LINK_SAVE,
	ENT_SQL_LINK_INFO,
	ENT_SQL_RATINGS,
	ENT_SQL__MAX
};

/* The current patron's name of a role, for lists. */
#define PATRON_NAME(role) \
	"(SELECT p.name FROM enterprise_patron ep JOIN person p" \
	" ON p.id = ep.person_id WHERE ep.enterprise_id = e.id" \
	" AND ep.role = '" role "' AND ep.to_on IS NULL)"

#define ENT_COLS \
	"SELECT e.id, e.name, e.kind, e.village_id, v.name, e.place," \
	" e.contact, e.phone_mask, e.tel_mask, e.note, e.created_at," \
	" " PATRON_NAME("lead") ", " PATRON_NAME("keep") "," \
	" (SELECT count(*) FROM enterprise_matter em JOIN matter m" \
	"  ON m.id = em.matter_id WHERE em.enterprise_id = e.id" \
	"  AND m.closed_at IS NULL)" \
	" FROM enterprise e LEFT JOIN village v ON v.id = e.village_id"

/* The scope: ?1 township, ?2 village or NULL (a village cadre). */
#define IN_SCOPE \
	" WHERE e.township_id = ?1 AND (?2 IS NULL OR e.village_id = ?2)"

/* A Shanghai day of a stored UTC time. */
#define CN_DAY(col)	"date(" col ", '+8 hours')"

static const char *const ent_sql[ENT_SQL__MAX] = {
	[ENT_SQL_INSERT] =
	    "INSERT INTO enterprise (township_id, village_id, name, kind,"
	    " place, contact, phone_mask, phone_enc, tel_mask, tel_enc, note,"
	    " created_at, created_by, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?12)",
	[ENT_SQL_FILL] =
	    "UPDATE enterprise SET"
	    " village_id = coalesce(?3, village_id),"
	    " place = CASE WHEN ?4 = '' THEN place ELSE ?4 END,"
	    " contact = CASE WHEN ?5 = '' THEN contact ELSE ?5 END,"
	    " phone_mask = coalesce(?6, phone_mask),"
	    " phone_enc = coalesce(?7, phone_enc),"
	    " tel_mask = coalesce(?8, tel_mask),"
	    " tel_enc = coalesce(?9, tel_enc), updated_at = ?10"
	    " WHERE township_id = ?1 AND id = ?2",
	[ENT_SQL_UPDATE] =
	    "UPDATE enterprise SET village_id = ?3, name = ?4, kind = ?5,"
	    " place = ?6, contact = ?7,"
	    " phone_mask = coalesce(?8, phone_mask),"
	    " phone_enc = coalesce(?9, phone_enc),"
	    " tel_mask = coalesce(?10, tel_mask),"
	    " tel_enc = coalesce(?11, tel_enc), note = ?12, updated_at = ?13"
	    " WHERE township_id = ?1 AND id = ?2"
	    " AND (?14 IS NULL OR village_id = ?14)",
	[ENT_SQL_BY_NAME] =
	    "SELECT e.id FROM enterprise e" IN_SCOPE " AND e.name = ?3",
	[ENT_SQL_LIST] =
	    ENT_COLS IN_SCOPE " AND (?3 IS NULL OR e.village_id = ?3)"
	    " ORDER BY e.village_id IS NULL, v.sort, e.village_id, e.id",
	[ENT_SQL_GET] =
	    ENT_COLS IN_SCOPE " AND e.id = ?3",
	[ENT_SQL_VILLAGE] =
	    "SELECT e.village_id FROM enterprise e" IN_SCOPE " AND e.id = ?3",
	[ENT_SQL_PATRONS] =
	    "SELECT ep.id, ep.role, ep.person_id, p.name, ep.from_on, ep.to_on"
	    " FROM enterprise_patron ep JOIN person p ON p.id = ep.person_id"
	    " WHERE ep.enterprise_id = ?1"
	    " ORDER BY ep.to_on IS NOT NULL, ep.role, ep.from_on DESC, ep.id DESC",
	[ENT_SQL_VISITS] =
	    "SELECT x.id, x.visited_on, x.kind, x.person_id, p.name, x.findings"
	    " FROM enterprise_visit x JOIN person p ON p.id = x.person_id"
	    " WHERE x.enterprise_id = ?1 ORDER BY x.visited_on DESC, x.id DESC"
	    " LIMIT 100",
	[ENT_SQL_MATTERS] =
	    "SELECT m.id, m.code, m.type, m.title, m.state, m.due_on,"
	    " m.closing, p.name FROM enterprise_matter em"
	    " JOIN matter m ON m.id = em.matter_id"
	    " LEFT JOIN person p ON p.id = em.patron_id"
	    " WHERE em.enterprise_id = ?1 ORDER BY m.id DESC LIMIT 100",
	[ENT_SQL_CADRE] =
	    "SELECT name FROM person WHERE township_id = ?1 AND id = ?2"
	    " AND kind = 'cadre'",
	[ENT_SQL_CADRE_NAME] =
	    "SELECT id FROM person WHERE township_id = ?1 AND name = ?2"
	    " AND kind = 'cadre' ORDER BY id",
	[ENT_SQL_CADRES] =
	    "SELECT id, name, posts_label FROM person WHERE township_id = ?1"
	    " AND kind = 'cadre' AND posts_label <> '' ORDER BY id",
	[ENT_SQL_PATRON_NOW] =
	    "SELECT id, person_id, from_on FROM enterprise_patron"
	    " WHERE enterprise_id = ?1 AND role = ?2 AND to_on IS NULL",
	[ENT_SQL_PATRON_END] =
	    "UPDATE enterprise_patron SET to_on = ?2 WHERE id = ?1"
	    " AND to_on IS NULL",
	[ENT_SQL_PATRON_ADD] =
	    "INSERT INTO enterprise_patron (township_id, enterprise_id,"
	    " person_id, role, from_on, created_at, created_by)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ENT_SQL_IS_PATRON] =
	    "SELECT 1 FROM enterprise_patron WHERE enterprise_id = ?1"
	    " AND person_id = ?2 AND to_on IS NULL",
	[ENT_SQL_VISIT_ADD] =
	    "INSERT INTO enterprise_visit (township_id, enterprise_id,"
	    " person_id, kind, visited_on, findings, created_at, created_by)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ENT_SQL_LINK] =
	    "INSERT INTO enterprise_matter (matter_id, enterprise_id,"
	    " patron_id) VALUES (?1, ?2, ?3)",
	/*
	 * ?3 .. ?4 the month; ?5 1 January of its year.  The problems of
	 * a row are the enterprise's 企业诉求 with this patron.
	 */
	[ENT_SQL_REPORT] =
	    "SELECT p.id, p.name, ep.role, e.id, e.name,"
	    " (SELECT count(*) FROM enterprise_visit x"
	    "  WHERE x.enterprise_id = e.id AND x.person_id = p.id"
	    "  AND x.visited_on BETWEEN ?3 AND ?4),"
	    " (SELECT count(*) FROM enterprise_matter em JOIN matter m"
	    "  ON m.id = em.matter_id WHERE em.enterprise_id = e.id"
	    "  AND em.patron_id = p.id AND m.type = 'enterprise_problem'"
	    "  AND " CN_DAY("m.opened_at") " BETWEEN ?3 AND ?4),"
	    " (SELECT count(*) FROM enterprise_matter em JOIN matter m"
	    "  ON m.id = em.matter_id WHERE em.enterprise_id = e.id"
	    "  AND em.patron_id = p.id AND m.type = 'enterprise_problem'"
	    "  AND (m.closed_at IS NULL OR " CN_DAY("m.closed_at") " > ?4)"
	    "  AND " CN_DAY("m.opened_at") " <= ?4),"
	    " (SELECT count(*) FROM enterprise_matter em JOIN matter m"
	    "  ON m.id = em.matter_id WHERE em.enterprise_id = e.id"
	    "  AND em.patron_id = p.id AND m.type = 'enterprise_problem'"
	    "  AND m.closing = 'solved'"
	    "  AND " CN_DAY("m.closed_at") " BETWEEN ?3 AND ?4),"
	    " (SELECT count(*) FROM enterprise_matter em JOIN matter m"
	    "  ON m.id = em.matter_id WHERE em.enterprise_id = e.id"
	    "  AND em.patron_id = p.id AND m.type = 'enterprise_problem'"
	    "  AND m.closing = 'solved'"
	    "  AND " CN_DAY("m.closed_at") " BETWEEN max(?5, ep.from_on) AND ?4),"
	    " ep.from_on, ep.to_on"
	    " FROM enterprise_patron ep JOIN enterprise e"
	    " ON e.id = ep.enterprise_id JOIN person p ON p.id = ep.person_id"
	    IN_SCOPE " AND ep.from_on <= ?4"
	    " AND (ep.to_on IS NULL OR ep.to_on >= ?3)"
	    " ORDER BY ep.role, p.id, e.id",
	[ENT_SQL_POOL] =
	    "SELECT DISTINCT e.id FROM enterprise e JOIN enterprise_patron ep"
	    " ON ep.enterprise_id = e.id" IN_SCOPE " AND ep.from_on <= ?4"
	    " AND (ep.to_on IS NULL OR ep.to_on >= ?3) ORDER BY e.id",
	[ENT_SQL_CHECKS] =
	    "SELECT c.enterprise_id, c.result, c.note, c.checked_at,"
	    " coalesce(ap.name, a.login), c.level FROM enterprise_spotcheck c"
	    " JOIN enterprise e ON e.id = c.enterprise_id"
	    " LEFT JOIN account a ON a.id = c.checked_by"
	    " LEFT JOIN person ap ON ap.id = a.person_id"
	    IN_SCOPE " AND c.month = ?3",
	[ENT_SQL_CHECK_SAVE] =
	    "INSERT INTO enterprise_spotcheck (township_id, month,"
	    " enterprise_id, result, note, checked_by, checked_at, level)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT (township_id, month, enterprise_id) DO UPDATE SET"
	    " result = excluded.result, note = excluded.note,"
	    " level = excluded.level, checked_by = excluded.checked_by,"
	    " checked_at = excluded.checked_at",
	[ENT_SQL_OPINION_GET] =
	    "SELECT matter_id FROM enterprise_opinion WHERE enterprise_id = ?1"
	    " AND month = ?2",
	[ENT_SQL_OPINION_ADD] =
	    "INSERT OR IGNORE INTO enterprise_opinion (enterprise_id, month,"
	    " matter_id, source) VALUES (?1, ?2, ?3, ?4)",
	[ENT_SQL_LINK_GET] =
	    "SELECT l.id, EXISTS (SELECT 1 FROM rating r WHERE"
	    " r.purpose = 'enterprise' AND r.record_id = l.id)"
	    " FROM enterprise_rating_link l WHERE l.township_id = ?1"
	    " AND l.enterprise_id = ?2 AND l.month = ?3",
	[ENT_SQL_LINK_SAVE] =
	    "INSERT INTO enterprise_rating_link (township_id, enterprise_id,"
	    " month, patron_id, supervisor_id, issued_at, issued_by)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT (enterprise_id, month) DO UPDATE SET"
	    " patron_id = excluded.patron_id,"
	    " supervisor_id = excluded.supervisor_id,"
	    " issued_at = excluded.issued_at, issued_by = excluded.issued_by"
	    " RETURNING id",
	[ENT_SQL_LINK_INFO] =
	    "SELECT l.enterprise_id, e.name, e.village_id, l.patron_id, p.name,"
	    " l.supervisor_id, l.month FROM enterprise_rating_link l"
	    " JOIN enterprise e ON e.id = l.enterprise_id"
	    " JOIN person p ON p.id = l.patron_id WHERE l.id = ?1",
	[ENT_SQL_RATINGS] =
	    "SELECT l.month, p.name, r.level, lv.label, lv.bad, r.day,"
	    " r.comment FROM enterprise_rating_link l"
	    " JOIN person p ON p.id = l.patron_id"
	    " LEFT JOIN rating r ON r.purpose = 'enterprise'"
	    " AND r.record_id = l.id AND r.voided_at IS NULL"
	    " LEFT JOIN rating_level lv ON lv.scale = r.scale"
	    " AND lv.level = r.level"
	    " WHERE l.enterprise_id = ?1 ORDER BY l.month DESC LIMIT 24",
};

const struct db_sqltab enterprise_sqltab = { "enterprise", ent_sql,
    ENT_SQL__MAX };

static struct db_stmt *
stmt(struct db *db, enum ent_sql id)
{
	return db_stmt(db, DBM_ENTERPRISE, id);
}

static json_t *
text_or_empty(struct db_stmt *st, int i)
{
	const char	*s = db_col_text(st, i);

	return json_string(s ? s : "");
}

/* A phone sealed: mask and ciphertext at "first" and "first + 1". */
static void
bind_phone(struct db_stmt *st, int first, struct arena *a, const char *value)
{
	unsigned char	*enc;
	size_t		 len;
	char		 mask[12];

	if (value == NULL || *value == '\0') {
		db_bind_null(st, first);
		db_bind_null(st, first + 1);
		return;
	}
	phone_mask(value, mask);
	secret_seal(a, "enterprise_phone", value, &enc, &len);
	db_bind_text(st, first, mask);
	db_bind_blob(st, first + 1, enc, len);
}

int
ent_create(struct db *db, const struct scope *sc, const struct ent_in *in,
    struct arena *a, const struct audit_actor *who, int64_t now, int64_t *id)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_INSERT);
	char		 at[TIME_ISO_LEN];
	json_t		*d;
	int		 rc;

	time_iso_utc(now, at);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_id(st, 2, in->village_id);
	db_bind_text(st, 3, in->name);
	db_bind_text(st, 4, in->kind);
	db_bind_text(st, 5, in->place ? in->place : "");
	db_bind_text(st, 6, in->contact ? in->contact : "");
	bind_phone(st, 7, a, in->phone);
	bind_phone(st, 9, a, in->tel);
	db_bind_text(st, 11, in->note ? in->note : "");
	db_bind_text(st, 12, at);
	db_bind_id(st, 13, who->account_id);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	*id = db_last_id(db);
	/* No contact or phone in the audit: personal data. */
	d = json_pack("{ss ss sI}", "name", in->name, "kind", in->kind,
	    "village_id", (json_int_t)in->village_id);
	rc = audit_write(db, who, "enterprise.create", "enterprise", *id, true,
	    d);
	json_decref(d);
	return rc;
}

int
ent_fill(struct db *db, const struct scope *sc, int64_t id,
    const struct ent_in *in, struct arena *a, const struct audit_actor *who,
    int64_t now)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_FILL);
	char		 at[TIME_ISO_LEN];
	int		 rc;

	time_iso_utc(now, at);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, id);
	db_bind_id(st, 3, in->village_id);
	db_bind_text(st, 4, in->place ? in->place : "");
	db_bind_text(st, 5, in->contact ? in->contact : "");
	bind_phone(st, 6, a, in->phone);
	bind_phone(st, 8, a, in->tel);
	db_bind_text(st, 10, at);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	return audit_write(db, who, "enterprise.fill", "enterprise", id, true,
	    NULL);
}

int
ent_update(struct db *db, const struct scope *sc, int64_t id,
    const struct ent_in *in, struct arena *a, const struct audit_actor *who,
    int64_t now)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_UPDATE);
	char		 at[TIME_ISO_LEN];
	json_t		*d;
	int		 rc;

	time_iso_utc(now, at);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, id);
	db_bind_id(st, 3, in->village_id);
	db_bind_text(st, 4, in->name);
	db_bind_text(st, 5, in->kind);
	db_bind_text(st, 6, in->place ? in->place : "");
	db_bind_text(st, 7, in->contact ? in->contact : "");
	bind_phone(st, 8, a, in->phone);
	bind_phone(st, 10, a, in->tel);
	db_bind_text(st, 12, in->note ? in->note : "");
	db_bind_text(st, 13, at);
	db_bind_id(st, 14, sc->village_id);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	/* What changed is in the record; phones are never audited. */
	d = json_pack("{ss ss sI sb sb}", "name", in->name, "kind", in->kind,
	    "village_id", (json_int_t)in->village_id, "phone", in->phone !=
	    NULL, "tel", in->tel != NULL);
	rc = audit_write(db, who, "enterprise.update", "enterprise", id, true,
	    d);
	json_decref(d);
	return rc;
}

int64_t
ent_by_name(struct db *db, const struct scope *sc, const char *name)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_BY_NAME);
	int64_t		 id = 0;
	int		 rc;

	scope_bind(st, sc);
	db_bind_text(st, 3, name);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int64(st, 0);
	db_reset(st);
	return rc < 0 ? rc : id;
}

static json_t *
ent_row(struct db_stmt *st)
{
	json_t		*o = json_object();
	const char	*kind = db_col_text(st, 2);

	json_object_set_new(o, "id", db_json_int(st, 0));
	json_object_set_new(o, "name", text_or_empty(st, 1));
	json_object_set_new(o, "kind", text_or_empty(st, 2));
	json_object_set_new(o, "kind_label", json_string(ent_label(ent_kinds,
	    kind) ? ent_label(ent_kinds, kind) : ""));
	json_object_set_new(o, "village_id", db_json_int(st, 3));
	json_object_set_new(o, "village", text_or_empty(st, 4));
	json_object_set_new(o, "place", text_or_empty(st, 5));
	json_object_set_new(o, "contact", text_or_empty(st, 6));
	json_object_set_new(o, "phone", text_or_empty(st, 7));
	json_object_set_new(o, "tel", text_or_empty(st, 8));
	json_object_set_new(o, "note", text_or_empty(st, 9));
	json_object_set_new(o, "created_at", db_json_iso_cn(st, 10));
	json_object_set_new(o, "lead", text_or_empty(st, 11));
	json_object_set_new(o, "keep", text_or_empty(st, 12));
	json_object_set_new(o, "open_problems", db_json_int(st, 13));
	return o;
}

json_t *
ent_list(struct db *db, const struct scope *sc, int64_t village_id, int *rc)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_LIST);
	json_t		*items;

	scope_bind(st, sc);
	db_bind_id(st, 3, village_id);
	if ((items = db_json_rows(st, ent_row, rc)) == NULL)
		return NULL;
	return json_pack("{so}", "items", items);
}

static json_t *
patron_row(struct db_stmt *st)
{
	const char	*role = db_col_text(st, 1);

	return json_pack("{so so ss so so so so sb}", "id", db_json_int(st, 0),
	    "role", text_or_empty(st, 1), "role_label", ent_label(ent_roles,
	    role) ? ent_label(ent_roles, role) : "", "person_id",
	    db_json_int(st, 2), "name", text_or_empty(st, 3), "from_on",
	    text_or_empty(st, 4), "to_on", db_json_text(st, 5), "current",
	    db_col_null(st, 5));
}

static json_t *
visit_row(struct db_stmt *st)
{
	const char	*kind = db_col_text(st, 2);

	return json_pack("{so so so ss so so so}", "id", db_json_int(st, 0),
	    "visited_on", text_or_empty(st, 1), "kind", text_or_empty(st, 2),
	    "kind_label", ent_label(ent_visit_kinds, kind) ?
	    ent_label(ent_visit_kinds, kind) : "", "person_id",
	    db_json_int(st, 3), "patron", text_or_empty(st, 4), "findings",
	    text_or_empty(st, 5));
}

static json_t *
matter_row(struct db_stmt *st)
{
	return json_pack("{so so so so so so so so}", "id", db_json_int(st, 0),
	    "code", text_or_empty(st, 1), "type", text_or_empty(st, 2),
	    "title", text_or_empty(st, 3), "state", text_or_empty(st, 4),
	    "due_on", db_json_text(st, 5), "closing", db_json_text(st, 6),
	    "patron", text_or_empty(st, 7));
}

static json_t *
rating_row(struct db_stmt *st)
{
	return json_pack("{so so so so sb so so sb}", "month",
	    text_or_empty(st, 0), "patron", text_or_empty(st, 1), "level",
	    db_json_int(st, 2), "level_label", text_or_empty(st, 3), "bad",
	    !db_col_null(st, 4) && db_col_int64(st, 4) != 0, "day",
	    db_json_text(st, 5), "comment", text_or_empty(st, 6), "rated",
	    !db_col_null(st, 2));
}

/* Rows of statement "id" for the enterprise, into o[key]. */
static int
add_rows(struct db *db, json_t *o, const char *key, enum ent_sql id,
    int64_t ent, json_t *(*row)(struct db_stmt *))
{
	struct db_stmt	*st = stmt(db, id);
	json_t		*a;
	int		 rc;

	db_bind_int64(st, 1, ent);
	if ((a = db_json_rows(st, row, &rc)) == NULL)
		return rc;
	json_object_set_new(o, key, a);
	return DB_OK;
}

json_t *
ent_get(struct db *db, const struct scope *sc, int64_t id, int *rc)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_GET);
	json_t		*o = NULL;
	int		 r;

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	r = db_step(st);
	if (r == DB_ROW)
		o = ent_row(st);
	db_reset(st);
	*rc = r == DB_ROW || r == DB_DONE ? DB_OK : r;
	if (o == NULL)
		return NULL;
	if ((*rc = add_rows(db, o, "patrons", ENT_SQL_PATRONS, id,
	    patron_row)) != DB_OK ||
	    (*rc = add_rows(db, o, "ratings", ENT_SQL_RATINGS, id,
	    rating_row)) != DB_OK ||
	    (*rc = add_rows(db, o, "visits", ENT_SQL_VISITS, id,
	    visit_row)) != DB_OK ||
	    (*rc = add_rows(db, o, "matters", ENT_SQL_MATTERS, id,
	    matter_row)) != DB_OK) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
ent_village(struct db *db, const struct scope *sc, int64_t id,
    int64_t *village)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_VILLAGE);
	int		 rc;

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*village = db_col_null(st, 0) ? 0 : db_col_int64(st, 0);
		rc = DB_OK;
	}
	db_reset(st);
	return rc;
}

const char *
ent_cadre_name(struct db *db, const struct scope *sc, int64_t person,
    struct arena *a, int *rc)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_CADRE);
	const char	*name = NULL;
	int		 r;

	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, person);
	r = db_step(st);
	if (r == DB_ROW)
		name = arena_strdup(a, db_col_text(st, 0));
	db_reset(st);
	*rc = r == DB_ROW || r == DB_DONE ? DB_OK : r;
	return name;
}

int
ent_cadre_by_name(struct db *db, const struct scope *sc, const char *name,
    int64_t *id, int *n)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_CADRE_NAME);
	int		 rc;

	*id = 0;
	*n = 0;
	db_bind_int64(st, 1, sc->township_id);
	db_bind_text(st, 2, name);
	while ((rc = db_step(st)) == DB_ROW)
		if ((*n)++ == 0)
			*id = db_col_int64(st, 0);
	db_reset(st);
	return rc == DB_DONE ? DB_OK : rc;
}

static json_t *
cadre_row(struct db_stmt *st)
{
	return json_pack("{so so so}", "id", db_json_int(st, 0), "name",
	    text_or_empty(st, 1), "posts", text_or_empty(st, 2));
}

json_t *
ent_cadres(struct db *db, const struct scope *sc, int *rc)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_CADRES);

	db_bind_int64(st, 1, sc->township_id);
	return db_json_rows(st, cadre_row, rc);
}

/* The current row of a role: row id, person, start (all 0 if none). */
static int
patron_now(struct db *db, int64_t ent, const char *role, int64_t *row,
    int64_t *person, int64_t *from)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_PATRON_NOW);
	int		 rc;

	*row = *person = *from = 0;
	db_bind_int64(st, 1, ent);
	db_bind_text(st, 2, role);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*row = db_col_int64(st, 0);
		*person = db_col_int64(st, 1);
		if (date_parse(db_col_text(st, 2), from) != 0)
			*from = 0;
		rc = DB_OK;
	}
	db_reset(st);
	return rc == DB_DONE ? DB_OK : rc;
}

int
ent_patron_now(struct db *db, int64_t ent, const char *role, int64_t *person,
    int64_t *from)
{
	int64_t	 row;

	return patron_now(db, ent, role, &row, person, from);
}

int
ent_patron_assign(struct db *db, const struct scope *sc, int64_t ent,
    const char *role, int64_t person, int64_t from,
    const struct audit_actor *who, int64_t now, bool *changed)
{
	struct db_stmt	*st;
	int64_t		 row, old, old_from, pid;
	char		 day[11], at[TIME_ISO_LEN];
	json_t		*d;
	int		 rc;

	*changed = false;
	if ((rc = patron_now(db, ent, role, &row, &old, &old_from)) != DB_OK)
		return rc;
	if (old == person)
		return DB_OK;
	date_iso(from, day);
	if (row != 0) {
		st = stmt(db, ENT_SQL_PATRON_END);
		db_bind_int64(st, 1, row);
		db_bind_text(st, 2, day);
		if ((rc = db_exec(st)) != DB_OK)
			return rc;
	}
	time_iso_utc(now, at);
	st = stmt(db, ENT_SQL_PATRON_ADD);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, ent);
	db_bind_int64(st, 3, person);
	db_bind_text(st, 4, role);
	db_bind_text(st, 5, day);
	db_bind_text(st, 6, at);
	db_bind_id(st, 7, who->account_id);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	pid = db_last_id(db);
	d = json_pack("{sI ss sI sI ss}", "patron_row", (json_int_t)pid,
	    "role", role, "person_id", (json_int_t)person, "previous",
	    (json_int_t)old, "from_on", day);
	rc = audit_write(db, who, "enterprise.patron", "enterprise", ent, true,
	    d);
	json_decref(d);
	*changed = true;
	return rc;
}

int
ent_is_patron(struct db *db, int64_t ent, int64_t person)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_IS_PATRON);
	int		 rc;

	db_bind_int64(st, 1, ent);
	db_bind_int64(st, 2, person);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int
ent_visit_create(struct db *db, const struct scope *sc, int64_t ent,
    const struct ent_visit_in *in, const struct audit_actor *who,
    int64_t now, int64_t *id)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_VISIT_ADD);
	char		 day[11], at[TIME_ISO_LEN];
	json_t		*d;
	int		 rc;

	date_iso(in->day, day);
	time_iso_utc(now, at);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, ent);
	db_bind_int64(st, 3, in->person);
	db_bind_text(st, 4, in->kind);
	db_bind_text(st, 5, day);
	db_bind_text(st, 6, in->findings);
	db_bind_text(st, 7, at);
	db_bind_id(st, 8, who->account_id);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	*id = db_last_id(db);
	d = json_pack("{sI sI ss ss}", "enterprise_id", (json_int_t)ent,
	    "person_id", (json_int_t)in->person, "kind", in->kind,
	    "visited_on", day);
	rc = audit_write(db, who, "enterprise.visit", "enterprise_visit", *id,
	    true, d);
	json_decref(d);
	return rc;
}

int
ent_link_matter(struct db *db, int64_t mid, int64_t ent, int64_t patron)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_LINK);

	db_bind_int64(st, 1, mid);
	db_bind_int64(st, 2, ent);
	db_bind_id(st, 3, patron);
	return db_exec(st);
}

json_t *
ent_report(struct db *db, const struct scope *sc, int64_t first,
    int64_t last, int *rc)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_REPORT);
	json_t		*out = json_array(), *p = NULL, *row;
	int64_t		 pid, lastpid = 0;
	const char	*role, *lastrole = "";
	int		 y, m, d, r;
	bool		 flag;

	date_to_ymd(first, &y, &m, &d);
	scope_bind(st, sc);
	db_bind_day(st, 3, first);
	db_bind_day(st, 4, last);
	db_bind_day(st, 5, date_from_ymd(y, 1, 1));
	while ((r = db_step(st)) == DB_ROW) {
		pid = db_col_int64(st, 0);
		role = db_col_text(st, 2);
		if (p == NULL || pid != lastpid || strcmp(role, lastrole) != 0) {
			p = json_pack("{sI so ss ss sb s[]}", "person_id",
			    (json_int_t)pid, "name", text_or_empty(st, 1),
			    "role", role, "role_label", ent_label(ent_roles,
			    role) ? ent_label(ent_roles, role) : "",
			    "flagged", false, "rows");
			json_array_append_new(out, p);
			lastpid = pid;
			lastrole = json_string_value(json_object_get(p, "role"));
		}
		flag = db_col_int64(st, 9) == 0;
		row = json_pack("{so so sI sI sI sI sI sb so so}",
		    "enterprise_id", db_json_int(st, 3), "enterprise",
		    text_or_empty(st, 4), "visits",
		    (json_int_t)db_col_int64(st, 5), "raised",
		    (json_int_t)db_col_int64(st, 6), "open",
		    (json_int_t)db_col_int64(st, 7), "solved_month",
		    (json_int_t)db_col_int64(st, 8), "solved_period",
		    (json_int_t)db_col_int64(st, 9), "flagged", flag,
		    "from_on", text_or_empty(st, 10), "to_on",
		    db_json_text(st, 11));
		json_array_append_new(json_object_get(p, "rows"), row);
		if (flag)
			json_object_set(p, "flagged", json_true());
	}
	return db_json_finish(st, r, out, rc);
}

static json_t *
id_row(struct db_stmt *st)
{
	return db_json_int(st, 0);
}

json_t *
ent_sample_pool(struct db *db, const struct scope *sc, int64_t first,
    int64_t last, int *rc)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_POOL);

	scope_bind(st, sc);
	db_bind_day(st, 3, first);
	db_bind_day(st, 4, last);
	return db_json_rows(st, id_row, rc);
}

json_t *
ent_spotchecks(struct db *db, const struct scope *sc, const char *month,
    int *rc)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_CHECKS);
	json_t		*o = json_object();
	const char	*res, *lv, *ll;
	char		 key[24];
	int		 r;

	scope_bind(st, sc);
	db_bind_text(st, 3, month);
	while ((r = db_step(st)) == DB_ROW) {
		res = db_col_text(st, 1);
		lv = db_col_text(st, 5);
		ll = ent_label(ent_levels, lv);
		snprintf(key, sizeof(key), "%" PRId64, db_col_int64(st, 0));
		json_object_set_new(o, key, json_pack("{ss ss ss ss so so so}",
		    "result", res, "result_label", ent_label(ent_check_results,
		    res) ? ent_label(ent_check_results, res) : "", "level", lv,
		    "level_label", ll ? ll : "", "note", text_or_empty(st, 2),
		    "checked_at", db_json_time(st, 3), "checker",
		    text_or_empty(st, 4)));
	}
	return db_json_finish(st, r, o, rc);
}

int
ent_spotcheck_save(struct db *db, const struct scope *sc, const char *month,
    int64_t ent, const char *result, const char *level, const char *note,
    const struct audit_actor *who, int64_t now)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_CHECK_SAVE);
	char		 at[TIME_ISO_LEN];
	json_t		*d;
	int		 rc;

	time_iso_utc(now, at);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_text(st, 2, month);
	db_bind_int64(st, 3, ent);
	db_bind_text(st, 4, result);
	db_bind_text(st, 5, note ? note : "");
	db_bind_id(st, 6, who->account_id);
	db_bind_text(st, 7, at);
	db_bind_text(st, 8, level);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	d = json_pack("{ss ss ss}", "month", month, "result", result, "level",
	    level);
	rc = audit_write(db, who, "enterprise.spotcheck", "enterprise", ent,
	    true, d);
	json_decref(d);
	return rc;
}

int64_t
ent_opinion_get(struct db *db, int64_t ent, const char *month)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_OPINION_GET);
	int64_t		 id = 0;
	int		 rc;

	db_bind_int64(st, 1, ent);
	db_bind_text(st, 2, month);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int64(st, 0);
	db_reset(st);
	return rc < 0 ? rc : id;
}

int
ent_opinion_add(struct db *db, int64_t ent, const char *month, int64_t matter,
    const char *source)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_OPINION_ADD);

	db_bind_int64(st, 1, ent);
	db_bind_text(st, 2, month);
	db_bind_int64(st, 3, matter);
	db_bind_text(st, 4, source);
	return db_exec(st);
}

int
ent_rating_link_get(struct db *db, int64_t township, int64_t ent,
    const char *month, int64_t *id, bool *rated)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_LINK_GET);
	int		 rc;

	*id = 0;
	*rated = false;
	db_bind_int64(st, 1, township);
	db_bind_int64(st, 2, ent);
	db_bind_text(st, 3, month);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int64(st, 0);
		*rated = db_col_int64(st, 1) != 0;
	}
	db_reset(st);
	return rc < 0 ? rc : DB_OK;
}

int
ent_rating_link_save(struct db *db, int64_t township, int64_t ent,
    const char *month, int64_t patron, int64_t supervisor,
    const struct audit_actor *who, int64_t now, int64_t *id)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_LINK_SAVE);
	char		 at[TIME_ISO_LEN];
	json_t		*d;
	int		 rc;

	time_iso_utc(now, at);
	db_bind_int64(st, 1, township);
	db_bind_int64(st, 2, ent);
	db_bind_text(st, 3, month);
	db_bind_int64(st, 4, patron);
	db_bind_id(st, 5, supervisor);
	db_bind_text(st, 6, at);
	db_bind_id(st, 7, who->account_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int64(st, 0);
		rc = DB_OK;
	} else if (rc == DB_DONE)
		rc = DB_ERROR;
	db_reset(st);
	if (rc != DB_OK)
		return rc;
	/* The link's secret is never stored nor audited. */
	d = json_pack("{sI ss sI}", "link_id", (json_int_t)*id, "month", month,
	    "patron_id", (json_int_t)patron);
	rc = audit_write(db, who, "enterprise.rating_link", "enterprise", ent,
	    true, d);
	json_decref(d);
	return rc;
}

int
ent_rating_link_info(struct db *db, int64_t link, struct arena *a,
    struct ent_link_info *out)
{
	struct db_stmt	*st = stmt(db, ENT_SQL_LINK_INFO);
	const char	*s;
	int		 rc;

	memset(out, 0, sizeof(*out));
	db_bind_int64(st, 1, link);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->enterprise_id = db_col_int64(st, 0);
		s = db_col_text(st, 1);
		out->name = arena_strdup(a, s ? s : "");
		out->village_id = db_col_null(st, 2) ? 0 : db_col_int64(st, 2);
		out->patron_id = db_col_int64(st, 3);
		s = db_col_text(st, 4);
		out->patron = arena_strdup(a, s ? s : "");
		out->supervisor_id = db_col_null(st, 5) ? 0 :
		    db_col_int64(st, 5);
		s = db_col_text(st, 6);
		out->month = arena_strdup(a, s ? s : "");
		rc = DB_OK;
	}
	db_reset(st);
	return rc;
}

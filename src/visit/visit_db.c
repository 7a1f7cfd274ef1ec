/* visit_db.c: household visits in the database: log, list, weekly coverage. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/compat.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/dbjson.h"
#include "visit/visit.h"
#include "visit/visit_db.h"

enum visit_sql {
	VISIT_SQL_HOUSEHOLD,
	VISIT_SQL_CADRES,
	VISIT_SQL_PICKER,
	VISIT_SQL_INSERT,
	VISIT_SQL_CADRE_ADD,
	VISIT_SQL_LINK,
	VISIT_SQL_GET,
	VISIT_SQL_WENT,
	VISIT_SQL_LIST,
	VISIT_SQL_SHEET,
	VISIT_SQL_COVER_GROUPS,
	VISIT_SQL_COVER_UNVISITED,
	VISIT_SQL_COVER_CADRES,
	VISIT_SQL_ROUND,
	VISIT_SQL_ROUND_SET,
	VISIT_SQL_DEMO_HOUSES,
	VISIT_SQL_DEMO_CADRES,
	VISIT_SQL__MAX
};

/* A visit as lists, pages and the paper form show it. */
#define VISIT_COLS \
	"SELECT x.id, x.visited_on, x.village_id, v.name, x.group_id, g.name," \
	" x.household_id, hp.name, h.address, x.findings, x.follow_up," \
	" x.matter_id, m.code, x.created_at, coalesce(ap.name, a.login)," \
	" (SELECT group_concat(cp.name, '、') FROM visit_cadre vc" \
	"  JOIN person cp ON cp.id = vc.person_id WHERE vc.visit_id = x.id)" \
	" FROM visit x JOIN village v ON v.id = x.village_id" \
	" LEFT JOIN village_group g ON g.id = x.group_id" \
	" JOIN household h ON h.id = x.household_id" \
	" LEFT JOIN person hp ON hp.id = h.head_id" \
	" LEFT JOIN matter m ON m.id = x.matter_id" \
	" LEFT JOIN account a ON a.id = x.created_by" \
	" LEFT JOIN person ap ON ap.id = a.person_id"

/* "Visited in the week ?3 .. ?4" for household h. */
#define VISITED_IN_WEEK \
	"EXISTS (SELECT 1 FROM visit x WHERE x.household_id = h.id" \
	" AND x.visited_on BETWEEN ?3 AND ?4)"

/* Cadres now in post in a village (cleaners are citizens, not cadres). */
#define CADRE_POSTS \
	" FROM post po JOIN person p ON p.id = po.person_id" \
	" WHERE po.township_id = ?1 AND po.village_id IS NOT NULL" \
	" AND po.ended_on IS NULL AND p.kind = 'cadre'"

static const char *const visit_sql[VISIT_SQL__MAX] = {
	[VISIT_SQL_HOUSEHOLD] =
	    "SELECT h.id, h.village_id, h.group_id, h.head_id, p.name,"
	    " h.address, v.name, g.name FROM household h"
	    " JOIN village v ON v.id = h.village_id"
	    " LEFT JOIN village_group g ON g.id = h.group_id"
	    " LEFT JOIN person p ON p.id = h.head_id"
	    " WHERE h.township_id = ?1 AND (?2 IS NULL OR h.village_id = ?2)"
	    " AND h.id = ?3",
	[VISIT_SQL_CADRES] =
	    "SELECT p.id, p.name, group_concat(po.title, '、')" CADRE_POSTS
	    " AND po.village_id = ?2 GROUP BY p.id ORDER BY min(po.id)",
	[VISIT_SQL_PICKER] =
	    "SELECT h.group_id, g.name, h.id, p.name, h.address, "
	    VISITED_IN_WEEK " FROM household h"
	    " LEFT JOIN village_group g ON g.id = h.group_id"
	    " LEFT JOIN person p ON p.id = h.head_id"
	    " WHERE h.township_id = ?1 AND h.village_id = ?2"
	    " ORDER BY g.id IS NULL, g.sort, h.group_id, h.id",
	[VISIT_SQL_INSERT] =
	    "INSERT INTO visit (township_id, village_id, group_id,"
	    " household_id, visited_on, findings, follow_up, created_by,"
	    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[VISIT_SQL_CADRE_ADD] =
	    "INSERT OR IGNORE INTO visit_cadre (visit_id, person_id)"
	    " VALUES (?1, ?2)",
	[VISIT_SQL_LINK] =
	    "UPDATE visit SET matter_id = ?2 WHERE id = ?1",
	[VISIT_SQL_GET] =
	    VISIT_COLS " WHERE x.township_id = ?1"
	    " AND (?2 IS NULL OR x.village_id = ?2) AND x.id = ?3",
	[VISIT_SQL_WENT] =
	    "SELECT p.id, p.name FROM visit_cadre vc"
	    " JOIN person p ON p.id = vc.person_id WHERE vc.visit_id = ?1"
	    " ORDER BY p.id",
	[VISIT_SQL_LIST] =
	    VISIT_COLS " WHERE x.township_id = ?1"
	    " AND (?2 IS NULL OR x.village_id = ?2)"
	    " AND (?3 IS NULL OR x.village_id = ?3)"
	    " AND (?4 IS NULL OR x.group_id = ?4)"
	    " AND (?5 IS NULL OR x.visited_on BETWEEN ?5 AND ?6)"
	    " AND x.id < ?7 ORDER BY x.id DESC LIMIT ?8",
	[VISIT_SQL_SHEET] =
	    VISIT_COLS " WHERE x.township_id = ?1"
	    " AND (?2 IS NULL OR x.village_id = ?2) AND x.village_id = ?3"
	    " AND x.visited_on BETWEEN ?4 AND ?5 ORDER BY x.visited_on, x.id",
	[VISIT_SQL_COVER_GROUPS] =
	    "SELECT v.id, v.name, h.group_id, g.name, count(*), sum("
	    VISITED_IN_WEEK ") FROM village v"
	    " JOIN household h ON h.village_id = v.id"
	    " LEFT JOIN village_group g ON g.id = h.group_id"
	    " WHERE v.township_id = ?1 AND (?2 IS NULL OR v.id = ?2)"
	    " AND (?5 IS NULL OR v.id = ?5)"
	    " GROUP BY v.id, h.group_id"
	    " ORDER BY v.sort, v.id, g.id IS NULL, g.sort, h.group_id",
	[VISIT_SQL_COVER_UNVISITED] =
	    "SELECT h.village_id, h.group_id, h.id, p.name, h.address"
	    " FROM household h LEFT JOIN person p ON p.id = h.head_id"
	    " WHERE h.township_id = ?1 AND (?2 IS NULL OR h.village_id = ?2)"
	    " AND (?5 IS NULL OR h.village_id = ?5) AND NOT " VISITED_IN_WEEK
	    " ORDER BY h.village_id, h.group_id, h.id",
	[VISIT_SQL_COVER_CADRES] =
	    "SELECT po.village_id, p.id, p.name, group_concat(po.title, '、'),"
	    " (SELECT count(DISTINCT x.household_id) FROM visit_cadre vc"
	    "  JOIN visit x ON x.id = vc.visit_id WHERE vc.person_id = p.id"
	    "  AND x.village_id = po.village_id"
	    "  AND x.visited_on BETWEEN ?3 AND ?4)" CADRE_POSTS
	    " AND (?2 IS NULL OR po.village_id = ?2)"
	    " AND (?5 IS NULL OR po.village_id = ?5)"
	    " GROUP BY po.village_id, p.id ORDER BY po.village_id, min(po.id)",
	[VISIT_SQL_ROUND] =
	    "SELECT visit_round FROM township WHERE id = ?1",
	[VISIT_SQL_ROUND_SET] =
	    "UPDATE township SET visit_round = ?2 WHERE id = ?1",
	[VISIT_SQL_DEMO_HOUSES] =
	    "SELECT id, village_id, coalesce(group_id, 0) FROM household"
	    " WHERE township_id = ?1 ORDER BY village_id, group_id, id",
	[VISIT_SQL_DEMO_CADRES] =
	    "SELECT p.id, coalesce(p.group_id, 0),"
	    " max(po.title LIKE '%组长')" CADRE_POSTS
	    " AND po.village_id = ?2 GROUP BY p.id ORDER BY min(po.id)",
};

const struct db_sqltab visit_sqltab = { "visit", visit_sql, VISIT_SQL__MAX };

static struct db_stmt *
stmt(struct db *db, enum visit_sql id)
{
	return db_stmt(db, DBM_VISIT, id);
}

/* The week from "monday" as ?3 .. ?4. */
static void
bind_week(struct db_stmt *st, int64_t monday)
{
	db_bind_day(st, 3, monday);
	db_bind_day(st, 4, monday + 6);
}

/* A text column as a string, "" for NULL. */
static json_t *
text_or_empty(struct db_stmt *st, int i)
{
	const char	*s = db_col_text(st, i);

	return json_string(s ? s : "");
}

static const char *
col_dup(struct db_stmt *st, int i, struct arena *a)
{
	const char	*s = db_col_text(st, i);

	return arena_strdup(a, s ? s : "");
}

int
visit_household_get(struct db *db, const struct scope *sc, int64_t id,
    struct arena *a, struct visit_household *h)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_HOUSEHOLD);
	int		 rc;

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		h->id = db_col_int64(st, 0);
		h->village_id = db_col_int64(st, 1);
		h->group_id = db_col_null(st, 2) ? 0 : db_col_int64(st, 2);
		h->head_id = db_col_null(st, 3) ? 0 : db_col_int64(st, 3);
		h->head = col_dup(st, 4, a);
		h->address = col_dup(st, 5, a);
		h->village = col_dup(st, 6, a);
		h->group = col_dup(st, 7, a);
		rc = DB_OK;
	}
	db_reset(st);
	return rc;
}

json_t *
visit_cadres(struct db *db, const struct scope *sc, int64_t village_id,
    int *rc)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_CADRES);
	json_t		*a = json_array();
	int		 r;

	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, village_id);
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(a, json_pack("{so so so}",
		    "id", db_json_int(st, 0), "name", text_or_empty(st, 1),
		    "posts", text_or_empty(st, 2)));
	return db_json_finish(st, r, a, rc);
}

json_t *
visit_picker(struct db *db, const struct scope *sc, int64_t village_id,
    int64_t monday, int *rc)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_PICKER);
	json_t		*a = json_array(), *g = NULL;
	int64_t		 gid, last = -1;
	int		 r;

	if (sc->village_id != 0 && sc->village_id != village_id) {
		*rc = DB_OK;
		return a;	/* another village: nothing to pick */
	}
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, village_id);
	bind_week(st, monday);
	while ((r = db_step(st)) == DB_ROW) {
		gid = db_col_null(st, 0) ? 0 : db_col_int64(st, 0);
		if (g == NULL || gid != last) {
			g = json_pack("{sI so s[]}", "group_id", (json_int_t)gid,
			    "group", db_col_null(st, 1) ? json_string("未分组") :
			    text_or_empty(st, 1), "households");
			json_array_append_new(a, g);
			last = gid;
		}
		json_array_append_new(json_object_get(g, "households"),
		    json_pack("{so so so sb}", "id", db_json_int(st, 2),
		    "head", text_or_empty(st, 3), "address",
		    text_or_empty(st, 4), "visited", db_col_int64(st, 5) != 0));
	}
	return db_json_finish(st, r, a, rc);
}

int
visit_create(struct db *db, const struct scope *sc,
    const struct visit_household *h, const struct visit_new *in,
    const struct audit_actor *who, int64_t now, int64_t *id)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_INSERT);
	char		 at[TIME_ISO_LEN], day[11];
	json_t		*cadres, *d;
	size_t		 i;
	int		 rc;

	time_iso_utc(now, at);
	date_iso(in->day, day);
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, h->village_id);
	db_bind_id(st, 3, h->group_id);
	db_bind_int64(st, 4, h->id);
	db_bind_text(st, 5, day);
	db_bind_text(st, 6, in->findings);
	db_bind_text(st, 7, in->follow_up ? in->follow_up : "");
	db_bind_id(st, 8, who->account_id);
	db_bind_text(st, 9, at);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	*id = db_last_id(db);
	cadres = json_array();
	for (i = 0; i < in->ncadres; i++) {
		st = stmt(db, VISIT_SQL_CADRE_ADD);
		db_bind_int64(st, 1, *id);
		db_bind_int64(st, 2, in->cadres[i]);
		if ((rc = db_exec(st)) != DB_OK) {
			json_decref(cadres);
			return rc;
		}
		json_array_append_new(cadres, json_integer(in->cadres[i]));
	}
	/* No findings in the audit: they may hold personal matters. */
	d = json_pack("{sI sI ss so}", "household_id", (json_int_t)h->id,
	    "village_id", (json_int_t)h->village_id, "visited_on", day,
	    "cadres", cadres);
	rc = audit_write(db, who, "visit.create", "visit", *id, true, d);
	json_decref(d);
	return rc;
}

int
visit_link_matter(struct db *db, int64_t visit_id, int64_t matter_id,
    const char *code, const struct audit_actor *who)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_LINK);
	json_t		*d;
	int		 rc;

	db_bind_int64(st, 1, visit_id);
	db_bind_int64(st, 2, matter_id);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	d = json_pack("{sI ss}", "matter_id", (json_int_t)matter_id, "code",
	    code);
	rc = audit_write(db, who, "visit.open_matter", "visit", visit_id, true,
	    d);
	json_decref(d);
	return rc;
}

/* One row of VISIT_COLS. */
static json_t *
visit_row(struct db_stmt *st)
{
	json_t	*o = json_object();

	json_object_set_new(o, "id", db_json_int(st, 0));
	json_object_set_new(o, "visited_on", db_json_text(st, 1));
	json_object_set_new(o, "village_id", db_json_int(st, 2));
	json_object_set_new(o, "village", text_or_empty(st, 3));
	json_object_set_new(o, "group_id", db_json_int(st, 4));
	json_object_set_new(o, "group", text_or_empty(st, 5));
	json_object_set_new(o, "household_id", db_json_int(st, 6));
	json_object_set_new(o, "head", text_or_empty(st, 7));
	json_object_set_new(o, "address", text_or_empty(st, 8));
	json_object_set_new(o, "findings", text_or_empty(st, 9));
	json_object_set_new(o, "follow_up", text_or_empty(st, 10));
	json_object_set_new(o, "matter_id", db_json_int(st, 11));
	json_object_set_new(o, "matter_code", db_json_text(st, 12));
	json_object_set_new(o, "created_at", db_json_iso_cn(st, 13));
	json_object_set_new(o, "created_label", db_json_time(st, 13));
	json_object_set_new(o, "recorder", text_or_empty(st, 14));
	json_object_set_new(o, "cadres", text_or_empty(st, 15));
	return o;
}

json_t *
visit_get(struct db *db, const struct scope *sc, int64_t id, int *rc)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_GET);
	json_t		*o = NULL, *went;
	int		 r;

	scope_bind(st, sc);
	db_bind_int64(st, 3, id);
	r = db_step(st);
	if (r == DB_ROW)
		o = visit_row(st);
	db_reset(st);
	*rc = r == DB_ROW || r == DB_DONE ? DB_OK : r;
	if (o == NULL)
		return NULL;
	st = stmt(db, VISIT_SQL_WENT);
	db_bind_int64(st, 1, id);
	went = json_array();
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(went, json_pack("{so so}", "id",
		    db_json_int(st, 0), "name", text_or_empty(st, 1)));
	if ((went = db_json_finish(st, r, went, rc)) == NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "went", went);
	return o;
}

json_t *
visit_list(struct db *db, const struct scope *sc, const struct visit_filter *f,
    int *rc)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_LIST);
	json_t		*items = json_array(), *o;
	int64_t		 last = 0;
	int		 r, n = 0, limit = f->limit > 0 ? f->limit : 50;
	char		 next[24];

	scope_bind(st, sc);
	db_bind_id(st, 3, f->village_id);
	db_bind_id(st, 4, f->group_id);
	if (f->monday != 0) {
		db_bind_day(st, 5, f->monday);
		db_bind_day(st, 6, f->monday + 6);
	} else {
		db_bind_null(st, 5);
		db_bind_null(st, 6);
	}
	db_bind_int64(st, 7, f->before > 0 ? f->before : INT64_MAX);
	db_bind_int64(st, 8, limit + 1);	/* one more: is there a next page? */
	while ((r = db_step(st)) == DB_ROW) {
		if (++n > limit)
			continue;
		last = db_col_int64(st, 0);
		json_array_append_new(items, visit_row(st));
	}
	if ((items = db_json_finish(st, r, items, rc)) == NULL)
		return NULL;
	o = json_pack("{so}", "items", items);
	if (n > limit) {
		snprintf(next, sizeof(next), "%" PRId64, last);
		json_object_set_new(o, "next", json_string(next));
	} else
		json_object_set_new(o, "next", json_null());
	return o;
}

json_t *
visit_sheet(struct db *db, const struct scope *sc, int64_t village_id,
    int64_t monday, int *rc)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_SHEET);
	json_t		*items = json_array();
	int		 r;

	scope_bind(st, sc);
	db_bind_int64(st, 3, village_id);
	db_bind_day(st, 4, monday);
	db_bind_day(st, 5, monday + 6);
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(items, visit_row(st));
	return db_json_finish(st, r, items, rc);
}

/* Coverage: bind scope, week and the village filter (?5). */
static void
bind_cover(struct db_stmt *st, const struct scope *sc, int64_t village_id,
    int64_t monday)
{
	scope_bind(st, sc);
	bind_week(st, monday);
	db_bind_id(st, 5, village_id);
}

static json_t *
find_id(json_t *a, const char *key, int64_t id)
{
	json_t	*x;
	size_t	 i;

	json_array_foreach(a, i, x)
		if (json_integer_value(json_object_get(x, key)) == id)
			return x;
	return NULL;
}

/* Villages and their groups with household counts. */
static int
cover_groups(struct db *db, const struct scope *sc, int64_t village_id,
    int64_t monday, json_t *villages)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_COVER_GROUPS);
	json_t		*v = NULL;
	int64_t		 vid, total, seen;
	int		 r;

	bind_cover(st, sc, village_id, monday);
	while ((r = db_step(st)) == DB_ROW) {
		vid = db_col_int64(st, 0);
		if (v == NULL || json_integer_value(json_object_get(v, "id")) !=
		    vid) {
			v = json_pack("{sI so sI sI s[] s[] sI}", "id",
			    (json_int_t)vid, "name", text_or_empty(st, 1),
			    "households", (json_int_t)0, "visited",
			    (json_int_t)0, "groups", "cadres", "below",
			    (json_int_t)0);
			json_array_append_new(villages, v);
		}
		total = db_col_int64(st, 4);
		seen = db_col_int64(st, 5);
		json_array_append_new(json_object_get(v, "groups"), json_pack(
		    "{sI so sI sI si sb s[]}", "id", (json_int_t)(db_col_null(st,
		    2) ? 0 : db_col_int64(st, 2)), "name", db_col_null(st, 3) ?
		    json_string("未分组") : text_or_empty(st, 3), "households",
		    (json_int_t)total, "visited", (json_int_t)seen, "percent",
		    visit_percent(seen, total), "complete", seen >= total,
		    "unvisited"));
		json_object_set_new(v, "households", json_integer(
		    json_integer_value(json_object_get(v, "households")) +
		    total));
		json_object_set_new(v, "visited", json_integer(
		    json_integer_value(json_object_get(v, "visited")) + seen));
	}
	db_reset(st);
	return r == DB_DONE ? DB_OK : r;
}

static int
cover_unvisited(struct db *db, const struct scope *sc, int64_t village_id,
    int64_t monday, json_t *villages)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_COVER_UNVISITED);
	json_t		*v, *g;
	int		 r;

	bind_cover(st, sc, village_id, monday);
	while ((r = db_step(st)) == DB_ROW) {
		if ((v = find_id(villages, "id", db_col_int64(st, 0))) == NULL ||
		    (g = find_id(json_object_get(v, "groups"), "id",
		    db_col_null(st, 1) ? 0 : db_col_int64(st, 1))) == NULL)
			continue;
		json_array_append_new(json_object_get(g, "unvisited"),
		    json_pack("{so so so}", "id", db_json_int(st, 2), "head",
		    text_or_empty(st, 3), "address", text_or_empty(st, 4)));
	}
	db_reset(st);
	return r == DB_DONE ? DB_OK : r;
}

static int
cover_cadres(struct db *db, const struct scope *sc, int64_t village_id,
    int64_t monday, int64_t round, json_t *villages)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_COVER_CADRES);
	json_t		*v;
	int64_t		 n;
	bool		 below;
	int		 r;

	bind_cover(st, sc, village_id, monday);
	while ((r = db_step(st)) == DB_ROW) {
		if ((v = find_id(villages, "id", db_col_int64(st, 0))) == NULL)
			continue;	/* a village without households */
		n = db_col_int64(st, 4);
		below = visit_below_round(n, round);
		json_array_append_new(json_object_get(v, "cadres"), json_pack(
		    "{so so so sI sb}", "id", db_json_int(st, 1), "name",
		    text_or_empty(st, 2), "posts", text_or_empty(st, 3),
		    "visits", (json_int_t)n, "below", below));
		if (below)
			json_object_set_new(v, "below", json_integer(
			    json_integer_value(json_object_get(v, "below")) + 1));
	}
	db_reset(st);
	return r == DB_DONE ? DB_OK : r;
}

json_t *
visit_coverage(struct db *db, const struct scope *sc, int64_t village_id,
    int64_t monday, int64_t round, int *rc)
{
	json_t	*villages = json_array(), *v;
	size_t	 i;

	*rc = cover_groups(db, sc, village_id, monday, villages);
	if (*rc == DB_OK)
		*rc = cover_unvisited(db, sc, village_id, monday, villages);
	if (*rc == DB_OK)
		*rc = cover_cadres(db, sc, village_id, monday, round, villages);
	if (*rc != DB_OK) {
		json_decref(villages);
		return NULL;
	}
	json_array_foreach(villages, i, v)
		json_object_set_new(v, "percent", json_integer(visit_percent(
		    json_integer_value(json_object_get(v, "visited")),
		    json_integer_value(json_object_get(v, "households")))));
	return villages;
}

int64_t
visit_round_get(struct db *db, int64_t township_id)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_ROUND);
	int64_t		 n;
	int		 rc;

	db_bind_int64(st, 1, township_id);
	rc = db_step(st);
	n = rc == DB_ROW ? db_col_int64(st, 0) : VISIT_ROUND_DEFAULT;
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? n : rc;
}

int
visit_round_set(struct db *db, const struct scope *sc, int64_t round,
    int64_t old, const struct audit_actor *who)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_ROUND_SET);
	json_t		*d;
	int		 rc;

	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, round);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	d = json_pack("{sI sI}", "from", (json_int_t)old, "to",
	    (json_int_t)round);
	rc = audit_write(db, who, "visit.round", "township", sc->township_id,
	    true, d);
	json_decref(d);
	return rc;
}

/* The demo: synthetic findings, no real names or places beyond the demo's. */
static const char *const demo_findings[] = {
	"家中老人身体尚好，冬季取暖煤已备齐",
	"反映村道路灯不亮，夜间出行不便",
	"询问城乡居民医保缴费时间，已当场解释",
	"家庭生产生活正常，无矛盾纠纷",
	"反映与邻居宅基地边界有争议，需村委会调解",
	"独居老人，屋内电线老化，存在安全隐患",
	"宣传森林草原防灭火和反电诈知识，户主已知晓",
	"询问养殖补贴政策，已告知到乡农业站咨询",
};
static const char *const demo_follow[] = {
	"", "已报村委会协调解决", "下周再次回访", "已联系电工检修",
	"已告知办理渠道",
};

#define DEMO_MAX_CADRES	32

struct demo_cadre {
	int64_t		 id, group_id;
	bool		 leads;		/* holds a 组长 post */
};

/* The village's cadres: who leads which group, and the first of them. */
static int
demo_cadres(struct db *db, const struct scope *sc, int64_t village_id,
    struct demo_cadre *c, size_t *n)
{
	struct db_stmt	*st = stmt(db, VISIT_SQL_DEMO_CADRES);
	int		 r;

	*n = 0;
	db_bind_int64(st, 1, sc->township_id);
	db_bind_int64(st, 2, village_id);
	while ((r = db_step(st)) == DB_ROW && *n < DEMO_MAX_CADRES) {
		c[*n].id = db_col_int64(st, 0);
		c[*n].group_id = db_col_int64(st, 1);
		c[*n].leads = db_col_int64(st, 2) != 0;
		(*n)++;
	}
	db_reset(st);
	return r == DB_ROW || r == DB_DONE ? DB_OK : r;
}

struct demo_house {
	int64_t		 id, village_id, group_id;
};

/* Visit one group's households [first, end). */
static int
demo_group(struct db *db, const struct scope *sc, const struct demo_house *hs,
    size_t first, size_t end, const struct demo_cadre *c, size_t nc,
    bool short_round, int64_t round, int gi, const struct audit_actor *who)
{
	struct visit_household	 h;
	struct visit_new	 in;
	int64_t			 went[2], today = date_today_cn(), id;
	int64_t			 monday = visit_week_start(today);
	size_t			 k, i, n = end - first, lead = 0, done = 0;
	int64_t			 skip;
	int			 rc;

	for (i = 0; i < nc; i++)
		if (c[i].leads && c[i].group_id == hs[first].group_id) {
			lead = i;
			break;
		}
	/* A few left out, the leader still above the round. */
	skip = 2 + gi % 2;
	if ((int64_t)n - skip <= round)
		skip = (int64_t)n > round + 1 ? (int64_t)n - round - 1 : 0;
	for (k = 0; k < n; k++) {
		if (short_round ? done >= 4 :
		    (int64_t)((k + (size_t)gi * 3) % n) >= (int64_t)n - skip)
			continue;
		memset(&h, 0, sizeof(h));
		h.id = hs[first + k].id;
		h.village_id = hs[first + k].village_id;
		h.group_id = hs[first + k].group_id;
		memset(&in, 0, sizeof(in));
		in.day = monday + (int64_t)(k % (size_t)(today - monday + 1));
		in.findings = demo_findings[(k + (size_t)gi) %
		    NELEM(demo_findings)];
		in.follow_up = demo_follow[(k * 3 + (size_t)gi) %
		    NELEM(demo_follow)];
		went[0] = c[lead].id;
		in.cadres = went;
		in.ncadres = 1;
		if (k % 3 == 0 && lead != 0)
			went[in.ncadres++] = c[0].id;
		if ((rc = visit_create(db, sc, &h, &in, who, time_now_ms(),
		    &id)) != DB_OK)
			return rc;
		done++;
	}
	return DB_OK;
}

int
visit_demo(struct db *db, const struct scope *sc, const struct audit_actor *who)
{
	struct db_stmt		*st = stmt(db, VISIT_SQL_DEMO_HOUSES);
	struct demo_house	*hs = NULL, *more;
	struct demo_cadre	 c[DEMO_MAX_CADRES];
	size_t			 n = 0, cap = 0, i, g, v, nc;
	int64_t			 round;
	int			 r, rc = DB_OK, gi, vi = 0;

	if ((round = visit_round_get(db, sc->township_id)) < 0)
		return (int)round;
	db_bind_int64(st, 1, sc->township_id);
	while ((r = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((more = realloc(hs, cap * sizeof(*hs))) == NULL) {
				r = DB_ERROR;
				break;
			}
			hs = more;
		}
		hs[n].id = db_col_int64(st, 0);
		hs[n].village_id = db_col_int64(st, 1);
		hs[n].group_id = db_col_int64(st, 2);
		n++;
	}
	db_reset(st);
	if (r != DB_DONE) {
		free(hs);
		return r < 0 ? r : DB_ERROR;
	}
	/* Villages, then groups: runs of equal ids in the ordered rows. */
	for (v = 0; v < n && rc == DB_OK; v = i, vi++) {
		for (i = v; i < n && hs[i].village_id == hs[v].village_id; i++)
			continue;
		if ((rc = demo_cadres(db, sc, hs[v].village_id, c, &nc)) !=
		    DB_OK || nc == 0)
			continue;
		for (g = v, gi = 0; g < i && rc == DB_OK; gi++) {
			size_t	 e;

			for (e = g; e < i && hs[e].group_id == hs[g].group_id;
			    e++)
				continue;
			/* The first village's last group: the short round. */
			rc = demo_group(db, sc, hs, g, e, c, nc, vi == 0 &&
			    e == i, round, gi, who);
			g = e;
		}
	}
	free(hs);
	return rc;
}

/* roster_db.c: the reception duty roster in the database, and its demo rows. */
#include <string.h>

#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/dbjson.h"
#include "petition/roster.h"
#include "petition/roster_db.h"

enum roster_sql {
	ROSTER_SQL_LIST,
	ROSTER_SQL_GET,
	ROSTER_SQL_INSERT,
	ROSTER_SQL_UPDATE,
	ROSTER_SQL_DELETE,
	ROSTER_SQL_LEADERS,
	ROSTER_SQL_LEADER,
	ROSTER_SQL_ON_DUTY,
	ROSTER_SQL_DEMO_POSTS,
	ROSTER_SQL__MAX
};

/* A person's current post titles, units first, joined by "、". */
#define TITLES_OF(col) \
	"(SELECT group_concat(title, '、') FROM (SELECT po.title FROM post po" \
	" WHERE po.person_id = " col " AND po.ended_on IS NULL" \
	" ORDER BY po.unit_id IS NULL, po.id))"

/* Does the person's account (not disabled) hold the leader role (bit 1)? */
#define LEADER_ROLE_OF(col) \
	"EXISTS (SELECT 1 FROM account a WHERE a.person_id = " col \
	" AND a.status <> 'disabled' AND (a.roles & 1) <> 0)"

#define ROW_COLS \
	"SELECT r.id, r.day, r.leader_id, p.name, r.post, r.duties," \
	" r.time_text, r.place, r.form, r.note, " TITLES_OF("r.leader_id") "," \
	" " LEADER_ROLE_OF("r.leader_id") \
	" FROM roster_duty r JOIN person p ON p.id = r.leader_id"

#define LEADER_COLS \
	"SELECT p.id, p.name, " TITLES_OF("p.id") ", " LEADER_ROLE_OF("p.id") \
	" FROM person p WHERE p.township_id = ?1 AND p.kind = 'cadre'" \
	" AND EXISTS (SELECT 1 FROM post po WHERE po.person_id = p.id" \
	" AND po.ended_on IS NULL)"

static const char *const roster_sql[ROSTER_SQL__MAX] = {
	[ROSTER_SQL_LIST] =
	    ROW_COLS " WHERE r.township_id = ?1 AND r.day BETWEEN ?2 AND ?3"
	    " ORDER BY r.day, r.time_text, r.id",
	[ROSTER_SQL_GET] =
	    ROW_COLS " WHERE r.township_id = ?1 AND r.id = ?2",
	[ROSTER_SQL_INSERT] =
	    "INSERT INTO roster_duty (township_id, day, leader_id, post, duties,"
	    " time_text, place, form, note, created_by, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
	[ROSTER_SQL_UPDATE] =
	    "UPDATE roster_duty SET day = ?3, leader_id = ?4, post = ?5,"
	    " duties = ?6, time_text = ?7, place = ?8, form = ?9, note = ?10,"
	    " updated_at = ?11 WHERE township_id = ?1 AND id = ?2",
	[ROSTER_SQL_DELETE] =
	    "DELETE FROM roster_duty WHERE township_id = ?1 AND id = ?2",
	[ROSTER_SQL_LEADERS] =
	    LEADER_COLS " ORDER BY NOT EXISTS (SELECT 1 FROM post po"
	    " WHERE po.person_id = p.id AND po.ended_on IS NULL"
	    " AND po.unit_id IS NOT NULL), p.id",
	[ROSTER_SQL_LEADER] =
	    LEADER_COLS " AND p.id = ?2",
	[ROSTER_SQL_ON_DUTY] =
	    "SELECT r.leader_id, r.id FROM roster_duty r"
	    " JOIN person p ON p.id = r.leader_id"
	    " WHERE r.township_id = ?1 AND r.day = ?2 AND p.kind = 'cadre'"
	    " ORDER BY r.form <> 'visit_duty', r.time_text, r.id LIMIT 1",
	[ROSTER_SQL_DEMO_POSTS] =
	    "SELECT person_id, title FROM post WHERE township_id = ?1"
	    " AND unit_id IS NOT NULL AND ended_on IS NULL ORDER BY id",
};

const struct db_sqltab roster_sqltab = { "roster", roster_sql,
    ROSTER_SQL__MAX };

static struct db_stmt *
stmt(struct db *db, enum roster_sql id)
{
	return db_stmt(db, DBM_ROSTER, id);
}

/* "12月1日": the roster's own date column (the year is the week's). */
static json_t *
day_label(int64_t day)
{
	int	 y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return json_sprintf("%d月%d日", m, d);
}

static json_t *
duty_row(struct db_stmt *st)
{
	json_t		*o = json_object();
	const char	*day = db_col_text(st, 1), *form = db_col_text(st, 8);
	int64_t		 d = 0;

	if (day == NULL || date_parse(day, &d) != 0)
		d = 0;
	json_object_set_new_nocheck(o, "id", db_json_int(st, 0));
	json_object_set_new_nocheck(o, "day", db_json_text(st, 1));
	json_object_set_new_nocheck(o, "weekday", json_string(
	    roster_weekday_label(d)));
	json_object_set_new_nocheck(o, "day_label", day_label(d));
	json_object_set_new_nocheck(o, "leader_id", db_json_int(st, 2));
	json_object_set_new_nocheck(o, "leader", db_json_text(st, 3));
	json_object_set_new_nocheck(o, "post", db_json_text(st, 4));
	json_object_set_new_nocheck(o, "duties", db_json_text(st, 5));
	json_object_set_new_nocheck(o, "time", db_json_text(st, 6));
	json_object_set_new_nocheck(o, "place", db_json_text(st, 7));
	json_object_set_new_nocheck(o, "form", db_json_text(st, 8));
	json_object_set_new_nocheck(o, "form_label", json_string(
	    roster_form_label(form)));
	json_object_set_new_nocheck(o, "note", db_json_text(st, 9));
	json_object_set_new_nocheck(o, "principal", json_boolean(
	    roster_principal(db_col_text(st, 10), db_col_int64(st, 11) != 0)));
	return o;
}

json_t *
roster_rows(struct db *db, int64_t township_id, int64_t from, int64_t to,
    int *rc)
{
	struct db_stmt	*st = stmt(db, ROSTER_SQL_LIST);
	db_bind_int64(st, 1, township_id);
	db_bind_day(st, 2, from);
	db_bind_day(st, 3, to);
	return db_json_rows(st, duty_row, rc);
}

json_t *
roster_get(struct db *db, int64_t township_id, int64_t id, int *rc)
{
	struct db_stmt	*st = stmt(db, ROSTER_SQL_GET);
	json_t		*o = NULL;
	int		 r;

	db_bind_int64(st, 1, township_id);
	db_bind_int64(st, 2, id);
	if ((r = db_step(st)) == DB_ROW)
		o = duty_row(st);
	db_reset(st);
	*rc = r == DB_ROW ? DB_OK : r;
	return o;
}

static json_t *
leader_row(struct db_stmt *st)
{
	const char	*name = db_col_text(st, 1), *titles = db_col_text(st, 2);
	json_t		*o = json_object();

	json_object_set_new_nocheck(o, "id", db_json_int(st, 0));
	json_object_set_new_nocheck(o, "name", db_json_text(st, 1));
	json_object_set_new_nocheck(o, "titles", json_string(titles ? titles :
	    ""));
	json_object_set_new_nocheck(o, "principal", json_boolean(
	    roster_principal(titles, db_col_int64(st, 3) != 0)));
	json_object_set_new_nocheck(o, "label", titles != NULL ?
	    json_sprintf("%s（%s）", name ? name : "", titles) :
	    json_string(name ? name : ""));
	return o;
}

json_t *
roster_leaders(struct db *db, int64_t township_id, int *rc)
{
	struct db_stmt	*st = stmt(db, ROSTER_SQL_LEADERS);
	db_bind_int64(st, 1, township_id);
	return db_json_rows(st, leader_row, rc);
}

json_t *
roster_leader(struct db *db, int64_t township_id, int64_t person_id, int *rc)
{
	struct db_stmt	*st = stmt(db, ROSTER_SQL_LEADER);
	json_t		*o = NULL;
	int		 r;

	db_bind_int64(st, 1, township_id);
	db_bind_int64(st, 2, person_id);
	if ((r = db_step(st)) == DB_ROW)
		o = leader_row(st);
	db_reset(st);
	*rc = r == DB_ROW ? DB_OK : r;
	return o;
}

int64_t
roster_on_duty(struct db *db, int64_t township_id, int64_t day,
    int64_t *duty_id)
{
	struct db_stmt	*st = stmt(db, ROSTER_SQL_ON_DUTY);
	int64_t		 id = 0;
	int		 r;

	if (duty_id != NULL)
		*duty_id = 0;
	db_bind_int64(st, 1, township_id);
	db_bind_day(st, 2, day);
	if ((r = db_step(st)) == DB_ROW) {
		id = db_col_int64(st, 0);
		if (duty_id != NULL)
			*duty_id = db_col_int64(st, 1);
	}
	db_reset(st);
	return r < 0 ? r : id;
}

int
roster_save(struct db *db, int64_t township_id, int64_t *id,
    const struct roster_in *in, int64_t account_id, int64_t now)
{
	struct db_stmt	*st;
	char		 at[TIME_ISO_LEN];
	int		 rc;

	time_iso_utc(now, at);
	if (*id == 0) {
		st = stmt(db, ROSTER_SQL_INSERT);
		db_bind_int64(st, 1, township_id);
		db_bind_text(st, 2, in->day);
		db_bind_int64(st, 3, in->leader_id);
		db_bind_text(st, 4, in->post);
		db_bind_text(st, 5, in->duties ? in->duties : "");
		db_bind_text(st, 6, in->time);
		db_bind_text(st, 7, in->place);
		db_bind_text(st, 8, in->form);
		db_bind_text(st, 9, in->note ? in->note : "");
		db_bind_id(st, 10, account_id);
		db_bind_text(st, 11, at);
		if ((rc = db_exec(st)) == DB_OK)
			*id = db_last_id(db);
		return rc;
	}
	st = stmt(db, ROSTER_SQL_UPDATE);
	db_bind_int64(st, 1, township_id);
	db_bind_int64(st, 2, *id);
	db_bind_text(st, 3, in->day);
	db_bind_int64(st, 4, in->leader_id);
	db_bind_text(st, 5, in->post);
	db_bind_text(st, 6, in->duties ? in->duties : "");
	db_bind_text(st, 7, in->time);
	db_bind_text(st, 8, in->place);
	db_bind_text(st, 9, in->form);
	db_bind_text(st, 10, in->note ? in->note : "");
	db_bind_text(st, 11, at);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

int
roster_delete(struct db *db, int64_t township_id, int64_t id)
{
	struct db_stmt	*st = stmt(db, ROSTER_SQL_DELETE);
	int		 rc;

	db_bind_int64(st, 1, township_id);
	db_bind_int64(st, 2, id);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

/* The demo roster. */

#define DUTY_PLACE	"乡综治中心信访接待室"
#define AM		"上午9:00-12:00"
#define PM		"下午14:30-17:30"

/*
 * One demo duty: week 0 is this week; "nth" picks among holders of the
 * same title (the demo has two 副乡长).  The last week has neither 党委书记
 * nor 乡长, so the management page shows its flag.
 */
static const struct demo_duty {
	int		 week;
	int		 weekday;	/* 1 Monday .. 5 Friday */
	const char	*title;
	int		 nth;
	const char	*duties;
	const char	*time;
	const char	*place;
	const char	*form;
	const char	*note;
} demo_duties[] = {
	{ 0, 1, "党委副书记", 0, "分管党建、信访维稳和综治工作", AM, DUTY_PLACE,
	    "visit_duty", "" },
	{ 0, 2, "党委书记", 0, "主持乡党委全面工作", AM, DUTY_PLACE,
	    "visit_duty", "" },
	{ 0, 3, "副乡长", 0, "分管农业农村、乡村振兴、人居环境", PM,
	    "乡便民服务中心", "classified", "集中受理农业农村和人居环境方面的诉求" },
	{ 0, 4, "乡长", 0, "主持乡政府全面工作", AM, DUTY_PLACE, "visit_duty",
	    "" },
	{ 0, 5, "纪委书记", 0, "主持乡纪委工作，分管党风廉政建设", AM,
	    "乡综治中心调解室", "appointment", "约访重点信访人，提前电话告知" },
	{ 1, 1, "人大主席", 0, "主持乡人大工作，分管民政、社会保障", AM,
	    DUTY_PLACE, "visit_duty", "" },
	{ 1, 2, "乡长", 0, "主持乡政府全面工作", AM, DUTY_PLACE, "visit_duty",
	    "" },
	{ 1, 3, "副乡长", 1, "分管安全生产、应急管理、交通运输", PM,
	    "乡便民服务中心", "classified", "" },
	{ 1, 4, "党委书记", 0, "主持乡党委全面工作", AM, DUTY_PLACE,
	    "visit_duty", "" },
	{ 1, 5, "党委副书记", 0, "分管党建、信访维稳和综治工作", "全天",
	    "西渠村村委会", "down_visit", "带案下访，现场核实宅基地纠纷" },
	{ 2, 1, "武装部长", 0, "分管人民武装、平安建设", AM, DUTY_PLACE,
	    "visit_duty", "" },
	{ 2, 2, "组织委员", 0, "分管组织、人才和基层党建", AM, DUTY_PLACE,
	    "visit_duty", "" },
	{ 2, 3, "副乡长", 0, "分管农业农村、乡村振兴、人居环境", PM,
	    "乡便民服务中心", "classified", "" },
	{ 2, 4, "人大主席", 0, "主持乡人大工作，分管民政、社会保障", AM,
	    DUTY_PLACE, "visit_duty", "" },
	{ 2, 5, "纪委书记", 0, "主持乡纪委工作，分管党风廉政建设", "全天",
	    "龙咀子村村委会", "down_visit", "主要领导本周外出学习，待补充安排" },
};

#define DEMO_POSTS_MAX	64

struct demo_post {
	int64_t		 person_id;
	char		 title[64];
};

/* The nth current unit post titled "title": its person, or 0. */
static int64_t
demo_holder(const struct demo_post *p, size_t n, const char *title, int nth)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (str_eq(p[i].title, title) && nth-- == 0)
			return p[i].person_id;
	return 0;
}

int
roster_demo(struct db *db, int64_t township_id, const struct audit_actor *who)
{
	struct demo_post	 posts[DEMO_POSTS_MAX];
	struct roster_in	 in;
	struct db_stmt		*st = stmt(db, ROSTER_SQL_DEMO_POSTS);
	const struct demo_duty	*d;
	int64_t			 monday = roster_monday(date_today_cn()), id;
	size_t			 n = 0, i;
	char			 day[11];
	json_t			*detail;
	int			 rc;

	db_bind_int64(st, 1, township_id);
	while ((rc = db_step(st)) == DB_ROW && n < DEMO_POSTS_MAX) {
		posts[n].person_id = db_col_int64(st, 0);
		str_copy(posts[n].title, db_col_text(st, 1),
		    sizeof(posts[n].title));
		n++;
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	for (i = 0; i < sizeof(demo_duties) / sizeof(demo_duties[0]); i++) {
		d = &demo_duties[i];
		memset(&in, 0, sizeof(in));
		if ((in.leader_id = demo_holder(posts, n, d->title, d->nth)) ==
		    0)
			continue;	/* not this township's shape */
		date_iso(monday + 7 * d->week + d->weekday - 1, day);
		in.day = day;
		in.post = d->title;
		in.duties = d->duties;
		in.time = d->time;
		in.place = d->place;
		in.form = d->form;
		in.note = d->note;
		id = 0;
		if ((rc = roster_save(db, township_id, &id, &in, 0,
		    time_now_ms())) != DB_OK)
			return rc;
		detail = json_pack("{ss ss sI ss}", "source", "demo", "day",
		    day, "leader_id", (json_int_t)in.leader_id, "form",
		    in.form);
		rc = audit_write(db, who, "roster.create", "roster_duty", id,
		    true, detail);
		json_decref(detail);
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

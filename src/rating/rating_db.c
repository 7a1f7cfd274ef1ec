/* rating_db.c: rating tokens, ratings, rules evaluated as data, firings. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "auth/secret.h"
#include "base/arena.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "db/db.h"
#include "db/dbjson.h"
#include "matter/matter.h"
#include "matter/matter_db.h"
#include "rating/rating.h"
#include "rating/rating_db.h"

enum rating_sql {
	RS_TOKEN_INSERT,
	RS_TOKEN_REVOKE_RECORD,
	RS_TOKEN_BY_HASH,
	RS_TOKEN_PAIRS,
	RS_TOKEN_CLAIM,
	RS_SCALE,
	RS_LEVELS,
	RS_LEVEL,
	RS_REASONS,
	RS_REASON,
	RS_INSERT,
	RS_RULES,
	RS_FIRING_INSERT,
	RS_FIRING_MATTER,
	RS_COUNT_PERIOD,
	RS_OF_RECORD,
	RS_VOID,
	RS_LIST_MEMBERS,
	RS_ON_LIST,
	RS_OF_SUBJECT,
	RS_SCALES,
	RS__MAX
};

#define TOKEN_COLS \
	"SELECT t.id, t.township_id, t.scale, t.purpose, t.aspect," \
	" t.subject_kind, t.subject_id, t.village_id, t.record_id, t.pair_id," \
	" t.expires_at, t.used_at, t.revoked_at FROM rating_token t"

#define RATING_COLS \
	"SELECT r.id, r.aspect, r.level, l.label, l.bad, r.reason," \
	" (SELECT label FROM rating_reason x WHERE x.scale = r.scale" \
	" AND x.code = r.reason), r.comment, r.created_at, r.voided_at IS NOT NULL," \
	" r.void_reason, r.subject_kind, r.subject_id, r.purpose" \
	" FROM rating r JOIN rating_level l ON l.scale = r.scale" \
	" AND l.level = r.level"

static const char *const rating_sql[RS__MAX] = {
	[RS_TOKEN_INSERT] =
	    "INSERT INTO rating_token (township_id, token_hash, scale, purpose,"
	    " aspect, subject_kind, subject_id, village_id, record_id, pair_id,"
	    " issued_by, issued_at, expires_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[RS_TOKEN_REVOKE_RECORD] =
	    "UPDATE rating_token SET revoked_at = ?3 WHERE purpose = ?1"
	    " AND record_id = ?2 AND used_at IS NULL AND revoked_at IS NULL",
	[RS_TOKEN_BY_HASH] =
	    TOKEN_COLS " WHERE t.token_hash = ?1 AND t.pair_id IS NULL",
	[RS_TOKEN_PAIRS] =
	    TOKEN_COLS " WHERE t.pair_id = ?1 ORDER BY t.id LIMIT 3",
	[RS_TOKEN_CLAIM] =
	    "UPDATE rating_token SET used_at = ?2 WHERE id = ?1"
	    " AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?2",
	[RS_SCALE] =
	    "SELECT label FROM rating_scale WHERE name = ?1",
	[RS_LEVELS] =
	    "SELECT level, label, bad FROM rating_level WHERE scale = ?1"
	    " ORDER BY level DESC",
	[RS_LEVEL] =
	    "SELECT label, bad FROM rating_level WHERE scale = ?1 AND level = ?2",
	[RS_REASONS] =
	    "SELECT code, label FROM rating_reason WHERE scale = ?1"
	    " ORDER BY sort, code",
	[RS_REASON] =
	    "SELECT label FROM rating_reason WHERE scale = ?1 AND code = ?2",
	[RS_INSERT] =
	    "INSERT INTO rating (township_id, token_id, scale, level, purpose,"
	    " aspect, subject_kind, subject_id, village_id, record_id, reason,"
	    " comment, created_at, day)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[RS_RULES] =
	    "SELECT id, name, label, action, matter_type, target, threshold,"
	    " period, list_name, level_at_or_below FROM rating_rule"
	    " WHERE active = 1 AND scale = ?1 AND purpose = ?2"
	    " AND level_at_or_below >= ?3 ORDER BY id LIMIT 16",
	[RS_FIRING_INSERT] =
	    "INSERT INTO rating_firing (township_id, rule_id, trigger_key,"
	    " rating_id, subject_kind, subject_id, period, list_name, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	    " ON CONFLICT (rule_id, trigger_key) DO NOTHING",
	[RS_FIRING_MATTER] =
	    "UPDATE rating_firing SET matter_id = ?2 WHERE id = ?1",
	[RS_COUNT_PERIOD] =
	    "SELECT count(*) FROM rating WHERE township_id = ?1"
	    " AND subject_kind = ?2 AND subject_id = ?3 AND scale = ?4"
	    " AND purpose = ?5 AND level <= ?6 AND day BETWEEN ?7 AND ?8"
	    " AND voided_at IS NULL",
	[RS_OF_RECORD] =
	    RATING_COLS " WHERE r.township_id = ?1 AND r.purpose = ?2"
	    " AND r.record_id = ?3 ORDER BY r.id",
	[RS_VOID] =
	    "UPDATE rating SET voided_at = ?4, void_reason = ?3"
	    " WHERE township_id = ?1 AND id = ?2 AND voided_at IS NULL",
	[RS_LIST_MEMBERS] =
	    "SELECT f.subject_kind, f.subject_id, f.period, u.name, u.label,"
	    " f.created_at, f.rating_id FROM rating_firing f"
	    " JOIN rating_rule u ON u.id = f.rule_id"
	    " WHERE f.township_id = ?1 AND u.action = 'list'"
	    " AND f.list_name = ?2 AND (?3 IS NULL OR f.period = ?3)"
	    " ORDER BY f.id LIMIT 1000",
	[RS_ON_LIST] =
	    "SELECT 1 FROM rating_firing WHERE township_id = ?1"
	    " AND list_name = ?2 AND subject_kind = ?3 AND subject_id = ?4"
	    " AND (?5 IS NULL OR period = ?5) LIMIT 1",
	[RS_OF_SUBJECT] =
	    RATING_COLS " WHERE r.township_id = ?1 AND r.subject_kind = ?2"
	    " AND r.subject_id = ?3 ORDER BY r.id DESC LIMIT 200",
	[RS_SCALES] =
	    "SELECT name, label FROM rating_scale ORDER BY name DESC",
};

const struct db_sqltab rating_sqltab = { "rating", rating_sql, RS__MAX };

static struct db_stmt *
stmt(struct db *db, enum rating_sql id)
{
	return db_stmt(db, DBM_RATING, id);
}

int
rating_issue(struct db *db, const struct rating_issue *in, int64_t now,
    char token[SECRET_TOKEN_LEN + 1], int64_t *id)
{
	struct db_stmt	*st = stmt(db, RS_TOKEN_INSERT);
	unsigned char	 hash[SECRET_HASH_LEN];
	char		 at[TIME_ISO_LEN], until[TIME_ISO_LEN];
	int		 ttl = in->ttl_hours, rc;

	if (ttl < 1 || ttl > 24 * 90)
		ttl = 24 * 7;
	secret_token(token);
	secret_token_hash(token, hash);
	time_iso_utc(now, at);
	time_iso_utc(now + (int64_t)ttl * 3600 * 1000, until);
	db_bind_int64(st, 1, in->township_id);
	db_bind_blob(st, 2, hash, sizeof(hash));
	db_bind_text(st, 3, in->scale);
	db_bind_text(st, 4, in->purpose);
	db_bind_text(st, 5, in->aspect ? in->aspect : "");
	db_bind_text(st, 6, in->subject_kind);
	db_bind_int64(st, 7, in->subject_id);
	db_bind_id(st, 8, in->village_id);
	db_bind_id(st, 9, in->record_id);
	db_bind_id(st, 10, in->pair_id);
	db_bind_id(st, 11, in->issued_by);
	db_bind_text(st, 12, at);
	db_bind_text(st, 13, until);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	if (id != NULL)
		*id = db_last_id(db);
	if (in->pair_id != 0)
		memset(token, 0, SECRET_TOKEN_LEN + 1);	/* no link of its own */
	return DB_OK;
}

int
rating_revoke_record(struct db *db, const char *purpose, int64_t record_id,
    int64_t now)
{
	struct db_stmt	*st = stmt(db, RS_TOKEN_REVOKE_RECORD);
	char		 at[TIME_ISO_LEN];

	time_iso_utc(now, at);
	db_bind_text(st, 1, purpose);
	db_bind_int64(st, 2, record_id);
	db_bind_text(st, 3, at);
	return db_exec(st);
}

/* A token as read (strings in the arena). */
struct tok {
	int64_t		 id, township_id, subject_id, village_id, record_id;
	int64_t		 pair_id;
	const char	*scale, *purpose, *aspect, *subject_kind;
	const char	*expires_at, *used_at, *revoked_at;
};

static void
tok_read(struct db_stmt *st, struct arena *a, struct tok *t)
{
	t->id = db_col_int64(st, 0);
	t->township_id = db_col_int64(st, 1);
	t->scale = arena_strdup(a, db_col_text(st, 2));
	t->purpose = arena_strdup(a, db_col_text(st, 3));
	t->aspect = arena_strdup(a, db_col_text(st, 4));
	t->subject_kind = arena_strdup(a, db_col_text(st, 5));
	t->subject_id = db_col_int64(st, 6);
	t->village_id = db_col_int64(st, 7);
	t->record_id = db_col_int64(st, 8);
	t->pair_id = db_col_int64(st, 9);
	t->expires_at = arena_strdup(a, db_col_text(st, 10));
	t->used_at = db_col_null(st, 11) ? NULL :
	    arena_strdup(a, db_col_text(st, 11));
	t->revoked_at = db_col_null(st, 12) ? NULL :
	    arena_strdup(a, db_col_text(st, 12));
}

#define PAGE_MAX	4	/* a token and up to three paired ones */

/*
 * The page's tokens: the one the link names, then its pairs.  Returns the
 * count, 0 when the link names none, < 0 on failure.
 */
static int
page_tokens(struct db *db, const char *token, struct arena *a,
    struct tok t[PAGE_MAX])
{
	struct db_stmt	*st;
	unsigned char	 hash[SECRET_HASH_LEN];
	int		 n = 0, rc;

	if (token == NULL || strlen(token) != SECRET_TOKEN_LEN)
		return 0;
	secret_token_hash(token, hash);
	st = stmt(db, RS_TOKEN_BY_HASH);
	db_bind_blob(st, 1, hash, sizeof(hash));
	rc = db_step(st);
	if (rc == DB_ROW)
		tok_read(st, a, &t[n++]);
	db_reset(st);
	if (rc < 0)
		return rc;
	if (n == 0)
		return 0;
	st = stmt(db, RS_TOKEN_PAIRS);
	db_bind_int64(st, 1, t[0].id);
	while (n < PAGE_MAX && (rc = db_step(st)) == DB_ROW)
		tok_read(st, a, &t[n++]);
	db_reset(st);
	return rc < 0 ? rc : n;
}

/* Still usable?  RATING_OK, RATING_USED or RATING_EXPIRED. */
static int
tok_state(const struct tok *t, int64_t now)
{
	char	 at[TIME_ISO_LEN];

	if (t->used_at != NULL || t->revoked_at != NULL)
		return RATING_USED;
	time_iso_utc(now, at);
	if (t->expires_at == NULL || strcmp(t->expires_at, at) <= 0)
		return RATING_EXPIRED;
	return RATING_OK;
}

static json_t *
level_row(struct db_stmt *st)
{
	return json_pack("{sI so sb}", "level", (json_int_t)db_col_int64(st, 0),
	    "label", db_json_text(st, 1), "bad", db_col_int64(st, 2) != 0);
}

static json_t *
reason_row(struct db_stmt *st)
{
	return json_pack("{so so}", "code", db_json_text(st, 0), "label",
	    db_json_text(st, 1));
}

static json_t *
levels_of(struct db *db, const char *scale, int *rc)
{
	struct db_stmt	*st = stmt(db, RS_LEVELS);

	db_bind_text(st, 1, scale);
	return db_json_rows(st, level_row, rc);
}

static json_t *
reasons_of(struct db *db, const char *scale, int *rc)
{
	struct db_stmt	*st = stmt(db, RS_REASONS);

	db_bind_text(st, 1, scale);
	return db_json_rows(st, reason_row, rc);
}

/* A token as the hooks see it (no rating yet: id 0). */
static void
tok_row(const struct tok *t, struct rating_row *r)
{
	memset(r, 0, sizeof(*r));
	r->township_id = t->township_id;
	r->token_id = t->id;
	r->scale = t->scale;
	r->purpose = t->purpose;
	r->aspect = t->aspect;
	r->subject_kind = t->subject_kind;
	r->subject_id = t->subject_id;
	r->village_id = t->village_id;
	r->record_id = t->record_id;
	r->reason = "";
	r->comment = "";
}

json_t *
rating_peek(struct db *db, const char *token, int64_t now, struct arena *a,
    int *rc)
{
	const struct rating_purpose	*p;
	struct tok			 t[PAGE_MAX];
	struct rating_subject		 subj;
	struct rating_row		 row;
	struct db_stmt			*st;
	json_t				*o, *aspects, *levels, *reasons;
	const char			*scale_label = "";
	char				 shown[32] = "";
	int64_t				 until;
	int				 n, i, r;

	if ((n = page_tokens(db, token, a, t)) <= 0) {
		*rc = n < 0 ? n : RATING_NOT_FOUND;
		return NULL;
	}
	if ((r = tok_state(&t[0], now)) != RATING_OK) {
		*rc = r;
		return NULL;
	}
	p = rating_purpose(t[0].purpose);
	st = stmt(db, RS_SCALE);
	db_bind_text(st, 1, t[0].scale);
	if ((r = db_step(st)) == DB_ROW)
		scale_label = arena_strdup(a, db_col_text(st, 0));
	db_reset(st);
	if (r < 0) {
		*rc = r;
		return NULL;
	}
	aspects = json_array();
	for (i = 0; i < n; i++) {
		memset(&subj, 0, sizeof(subj));
		tok_row(&t[i], &row);
		if (p != NULL && p->subject != NULL &&
		    (r = p->subject(db, &row, a, &subj)) < 0) {
			json_decref(aspects);
			*rc = r;
			return NULL;
		}
		json_array_append_new(aspects, json_pack("{sI ss ss ss}",
		    "index", (json_int_t)i, "aspect", t[i].aspect,
		    "label", rating_aspect_label(p, t[i].aspect),
		    "subject", subj.name ? subj.name : ""));
	}
	if ((levels = levels_of(db, t[0].scale, rc)) == NULL) {
		json_decref(aspects);
		return NULL;
	}
	if ((reasons = reasons_of(db, t[0].scale, rc)) == NULL) {
		json_decref(aspects);
		json_decref(levels);
		return NULL;
	}
	if (time_parse_utc(t[0].expires_at, &until) == 0)
		time_show_cn(until, shown);
	o = json_pack("{ss ss ss ss ss ss ss so so so}",
	    "purpose", t[0].purpose,
	    "label", p ? p->label : "评价",
	    "question", p && p->question ? p->question : "您对本次服务满意吗？",
	    "scale", t[0].scale, "scale_label", scale_label,
	    "expires_at", t[0].expires_at, "expires_label", shown,
	    "levels", levels, "reasons", reasons, "aspects", aspects);
	*rc = RATING_OK;
	return o;
}

/* Check one answer against the scale; RATING_OK or RATING_INVALID. */
static int
check_answer(struct db *db, const struct tok *t, const struct rating_in *in,
    size_t i, struct arena *a, const char **level_label, bool *bad_level,
    const char **reason_label, struct rating_bad *bad)
{
	struct db_stmt	*st = stmt(db, RS_LEVEL);
	int		 rc;

	bad->index = i;
	db_bind_text(st, 1, t->scale);
	db_bind_int64(st, 2, in->level);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*level_label = arena_strdup(a, db_col_text(st, 0));
		*bad_level = db_col_int64(st, 1) != 0;
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	if (rc != DB_ROW) {
		bad->field = "level";
		bad->message = "请选择评价等级";
		return RATING_INVALID;
	}
	*reason_label = "";
	if (!str_empty(in->reason)) {
		if (!*bad_level) {
			bad->field = "reason";
			bad->message = "只有“不满意”的评价需要选择原因";
			return RATING_INVALID;
		}
		st = stmt(db, RS_REASON);
		db_bind_text(st, 1, t->scale);
		db_bind_text(st, 2, in->reason);
		rc = rating_code_ok(in->reason) ? db_step(st) : DB_DONE;
		if (rc == DB_ROW)
			*reason_label = arena_strdup(a, db_col_text(st, 0));
		db_reset(st);
		if (rc < 0)
			return rc;
		if (rc != DB_ROW) {
			bad->field = "reason";
			bad->message = "请从列表中选择不满意的原因";
			return RATING_INVALID;
		}
	}
	if (in->comment != NULL && (!utf8_valid(in->comment,
	    strlen(in->comment)) || utf8_len(in->comment) > 500 ||
	    utf8_has_control(in->comment, true))) {
		bad->field = "comment";
		bad->message = "意见建议不能超过500字";
		return RATING_INVALID;
	}
	return RATING_OK;
}

/* Open the rule's matter for the subject's supervisor. */
static int
open_matter(struct db *db, const struct rating_row *r,
    const struct rating_purpose *p, const char *rule_label,
    const char *matter_type, const char *target, const char *reason_label,
    const struct rating_ctx *ctx, int64_t *matter_id)
{
	const struct matter_type	*mt = matter_type_get(matter_type);
	struct rating_subject		 subj;
	struct matter_new		 in;
	struct scope			 sc;
	char				 code[32];
	const char			*title, *body;
	int				 rc;

	if (mt == NULL)
		return DB_ERROR;	/* a rule naming no type: a bug */
	memset(&subj, 0, sizeof(subj));
	if (p != NULL && p->subject != NULL &&
	    (rc = p->subject(db, r, ctx->arena, &subj)) < 0)
		return rc;
	title = arena_printf(ctx->arena, "%s：%.60s", rule_label,
	    subj.name ? subj.name : "");
	body = arena_printf(ctx->arena, "群众评价“%s”%s%s%s%s。",
	    r->level_label, *reason_label ? "，原因：" : "", reason_label,
	    *r->comment ? "；意见：" : "", r->comment);
	memset(&in, 0, sizeof(in));
	in.type = mt;
	in.title = title;
	in.body = body;
	in.source = "rating";
	in.village_id = subj.village_id;
	in.unit_id = subj.unit_id;
	in.lead_id = str_eq(target, "subject") && subj.person_id != 0 ?
	    subj.person_id : subj.supervisor_id;
	in.resolver_id = subj.person_id;
	in.clock_day = ctx->today;
	in.details = json_pack("{sI sI ss sI}", "rating_id",
	    (json_int_t)r->id, "record_id", (json_int_t)r->record_id,
	    "purpose", r->purpose, "subject_id", (json_int_t)r->subject_id);
	in.note = "群众评价自动生成";
	sc.township_id = r->township_id;
	sc.village_id = 0;
	rc = matter_create(db, &sc, &in, ctx->cal, ctx->actor, ctx->now,
	    matter_id, code);
	json_decref(in.details);
	return rc;
}

/* A rule read from the table (strings in the arena). */
struct rule {
	int64_t		 id, threshold;
	int		 level;
	const char	*name, *label, *action, *matter_type, *target;
	const char	*period, *list_name;
};

static int
rules_for(struct db *db, const struct rating_row *r, struct arena *a,
    struct rule *out, int max)
{
	struct db_stmt	*st = stmt(db, RS_RULES);
	int		 n = 0, rc;

	db_bind_text(st, 1, r->scale);
	db_bind_text(st, 2, r->purpose);
	db_bind_int64(st, 3, r->level);
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		out[n].id = db_col_int64(st, 0);
		out[n].name = arena_strdup(a, db_col_text(st, 1));
		out[n].label = arena_strdup(a, db_col_text(st, 2));
		out[n].action = arena_strdup(a, db_col_text(st, 3));
		out[n].matter_type = db_col_null(st, 4) ? NULL :
		    arena_strdup(a, db_col_text(st, 4));
		out[n].target = db_col_null(st, 5) ? "supervisor" :
		    arena_strdup(a, db_col_text(st, 5));
		out[n].threshold = db_col_int64(st, 6);
		out[n].period = db_col_null(st, 7) ? NULL :
		    arena_strdup(a, db_col_text(st, 7));
		out[n].list_name = db_col_null(st, 8) ? NULL :
		    arena_strdup(a, db_col_text(st, 8));
		out[n].level = (int)db_col_int64(st, 9);
		n++;
	}
	db_reset(st);
	return rc < 0 ? rc : n;
}

/* Record a firing once: 1 if this call recorded it, 0 if it had fired. */
static int
fire_once(struct db *db, const struct rating_row *r, const struct rule *u,
    const char *key, const char *period, const struct rating_ctx *ctx,
    int64_t *firing_id)
{
	struct db_stmt	*st = stmt(db, RS_FIRING_INSERT);
	char		 at[TIME_ISO_LEN];
	int		 rc;

	time_iso_utc(ctx->now, at);
	db_bind_int64(st, 1, r->township_id);
	db_bind_int64(st, 2, u->id);
	db_bind_text(st, 3, key);
	db_bind_int64(st, 4, r->id);
	db_bind_text(st, 5, r->subject_kind);
	db_bind_int64(st, 6, r->subject_id);
	db_bind_text(st, 7, period ? period : "");
	db_bind_text(st, 8, u->list_name);
	db_bind_text(st, 9, at);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	if (db_changes(db) == 0)
		return 0;
	*firing_id = db_last_id(db);
	return 1;
}

/* Evaluate the rules that watch this rating, each firing at most once. */
static int
apply_rules(struct db *db, const struct rating_row *r,
    const struct rating_purpose *p, const char *reason_label,
    const struct rating_ctx *ctx)
{
	struct rule		 u[16];
	struct rating_fire	 f;
	struct db_stmt		*st;
	char			 period[8];
	const char		*key;
	int64_t			 from, to, count, fid = 0, mid = 0;
	int			 n, i, rc;

	if ((n = rules_for(db, r, ctx->arena, u, 16)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		memset(&f, 0, sizeof(f));
		f.rule = u[i].name;
		f.action = u[i].action;
		if (str_eq(u[i].action, "open_matter")) {
			/* One matter per record (both aspects bad: one). */
			key = r->record_id != 0 ?
			    arena_printf(ctx->arena, "record:%s:%" PRId64,
			    r->purpose, r->record_id) :
			    arena_printf(ctx->arena, "rating:%" PRId64, r->id);
			if ((rc = fire_once(db, r, &u[i], key, NULL, ctx,
			    &fid)) <= 0) {
				if (rc < 0)
					return rc;
				continue;
			}
			if ((rc = open_matter(db, r, p, u[i].label,
			    u[i].matter_type, u[i].target, reason_label, ctx,
			    &mid)) != DB_OK)
				return rc;
			st = stmt(db, RS_FIRING_MATTER);
			db_bind_int64(st, 1, fid);
			db_bind_int64(st, 2, mid);
			if ((rc = db_exec(st)) != DB_OK)
				return rc;
			f.matter_type = u[i].matter_type;
			f.matter_id = mid;
		} else {
			if (u[i].period == NULL || rating_period(u[i].period,
			    r->day, period, &from, &to) != 0)
				return DB_ERROR;
			st = stmt(db, RS_COUNT_PERIOD);
			db_bind_int64(st, 1, r->township_id);
			db_bind_text(st, 2, r->subject_kind);
			db_bind_int64(st, 3, r->subject_id);
			db_bind_text(st, 4, r->scale);
			db_bind_text(st, 5, r->purpose);
			db_bind_int64(st, 6, u[i].level);
			db_bind_day(st, 7, from);
			db_bind_day(st, 8, to);
			rc = db_step(st);
			count = rc == DB_ROW ? db_col_int64(st, 0) : 0;
			db_reset(st);
			if (rc < 0)
				return rc;
			if (count < u[i].threshold)
				continue;
			key = arena_printf(ctx->arena, "%s:%" PRId64 ":%s",
			    r->subject_kind, r->subject_id, period);
			if ((rc = fire_once(db, r, &u[i], key, period, ctx,
			    &fid)) <= 0) {
				if (rc < 0)
					return rc;
				continue;
			}
			f.list_name = u[i].list_name;
			f.period = arena_strdup(ctx->arena, period);
		}
		f.firing_id = fid;
		if (p != NULL && p->fired != NULL &&
		    (rc = p->fired(db, r, &f, ctx)) < 0)
			return rc;
	}
	return DB_OK;
}

/* Claim, store and act on the page's ratings, in the open transaction. */
static int
submit_tx(struct db *db, struct tok *t, int n, const struct rating_in *in,
    const struct rating_ctx *ctx, const struct audit_actor *who,
    int64_t *ids, struct rating_bad *bad)
{
	const struct rating_purpose	*p = rating_purpose(t[0].purpose);
	struct rating_row		 row;
	struct db_stmt			*st;
	const char			*level_label[PAGE_MAX];
	const char			*reason_label[PAGE_MAX];
	bool				 bad_level[PAGE_MAX];
	char				 at[TIME_ISO_LEN], day[11];
	json_t				*d;
	int				 i, rc;

	if ((rc = tok_state(&t[0], ctx->now)) != RATING_OK)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = check_answer(db, &t[i], &in[i], (size_t)i,
		    ctx->arena, &level_label[i], &bad_level[i],
		    &reason_label[i], bad)) != RATING_OK)
			return rc;
	time_iso_utc(ctx->now, at);
	date_iso(ctx->today, day);
	for (i = 0; i < n; i++) {
		st = stmt(db, RS_TOKEN_CLAIM);
		db_bind_int64(st, 1, t[i].id);
		db_bind_text(st, 2, at);
		if ((rc = db_exec(st)) != DB_OK)
			return rc;
		if (db_changes(db) != 1)
			return RATING_USED;	/* claimed meanwhile */
		st = stmt(db, RS_INSERT);
		db_bind_int64(st, 1, t[i].township_id);
		db_bind_int64(st, 2, t[i].id);
		db_bind_text(st, 3, t[i].scale);
		db_bind_int64(st, 4, in[i].level);
		db_bind_text(st, 5, t[i].purpose);
		db_bind_text(st, 6, t[i].aspect);
		db_bind_text(st, 7, t[i].subject_kind);
		db_bind_int64(st, 8, t[i].subject_id);
		db_bind_id(st, 9, t[i].village_id);
		db_bind_id(st, 10, t[i].record_id);
		db_bind_text(st, 11, str_empty(in[i].reason) ? "" :
		    in[i].reason);
		db_bind_text(st, 12, in[i].comment ? in[i].comment : "");
		db_bind_text(st, 13, at);
		db_bind_text(st, 14, day);
		if ((rc = db_exec(st)) != DB_OK)
			return rc == DB_CONSTRAINT ? RATING_USED : rc;
		tok_row(&t[i], &row);
		row.id = db_last_id(db);
		row.level = in[i].level;
		row.bad = bad_level[i];
		row.level_label = level_label[i];
		row.reason = str_empty(in[i].reason) ? "" : in[i].reason;
		row.comment = in[i].comment ? in[i].comment : "";
		row.day = ctx->today;
		if (ids != NULL)
			ids[i] = row.id;
		d = json_pack("{sI ss ss sI ss}", "token_id",
		    (json_int_t)t[i].id, "purpose", t[i].purpose,
		    "subject_kind", t[i].subject_kind, "subject_id",
		    (json_int_t)t[i].subject_id, "level", level_label[i]);
		rc = audit_write(db, who, "rating.submit", "rating", row.id,
		    true, d);
		json_decref(d);
		if (rc != DB_OK)
			return rc;
		if (p != NULL && p->rated != NULL &&
		    (rc = p->rated(db, &row, ctx)) < 0)
			return rc;
		if ((rc = apply_rules(db, &row, p, reason_label[i], ctx)) < 0)
			return rc;
	}
	return RATING_OK;
}

int
rating_submit(struct db *db, const char *token, const struct rating_in *in,
    size_t nin, const struct rating_ctx *ctx, const struct audit_actor *who,
    int64_t *ids, struct rating_bad *bad)
{
	struct tok	 t[PAGE_MAX];
	int		 n, rc;

	memset(bad, 0, sizeof(*bad));
	/*
	 * A link that is unknown, used or expired is refused without taking
	 * the write lock (a reused link must not queue behind real ratings);
	 * the claim inside the transaction decides the races.
	 */
	n = page_tokens(db, token, ctx->arena, t);
	if (n <= 0)
		return n < 0 ? n : RATING_NOT_FOUND;
	if ((rc = tok_state(&t[0], ctx->now)) != RATING_OK)
		return rc;
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	n = page_tokens(db, token, ctx->arena, t);
	if (n <= 0)
		rc = n < 0 ? n : RATING_NOT_FOUND;
	else if ((size_t)n != nin) {
		bad->index = nin < (size_t)n ? nin : 0;
		bad->field = "level";
		bad->message = "请对每一项都作出评价";
		rc = RATING_INVALID;
	} else
		rc = submit_tx(db, t, n, in, ctx, who, ids, bad);
	if (rc > 0) {
		db_end(db, rc);		/* roll back: nothing stored */
		return rc;
	}
	return db_end(db, rc);
}

static json_t *
rating_row_json(struct db_stmt *st)
{
	return json_pack("{so so so so so so so so so so so so so so}",
	    "id", db_json_int(st, 0), "aspect", db_json_text(st, 1),
	    "level", db_json_int(st, 2), "label", db_json_text(st, 3),
	    "bad", db_json_bool(st, 4), "reason", db_json_text(st, 5),
	    "reason_label", db_json_text(st, 6), "comment", db_json_text(st, 7),
	    "at", db_json_time(st, 8), "voided", db_json_bool(st, 9),
	    "void_reason", db_json_text(st, 10),
	    "subject_kind", db_json_text(st, 11),
	    "subject_id", db_json_int(st, 12), "purpose", db_json_text(st, 13));
}

json_t *
rating_of_record(struct db *db, int64_t township_id, const char *purpose,
    int64_t record_id, int *rc)
{
	struct db_stmt	*st = stmt(db, RS_OF_RECORD);

	db_bind_int64(st, 1, township_id);
	db_bind_text(st, 2, purpose);
	db_bind_int64(st, 3, record_id);
	return db_json_rows(st, rating_row_json, rc);
}

json_t *
rating_of_subject(struct db *db, int64_t township_id,
    const char *subject_kind, int64_t subject_id, int *rc)
{
	struct db_stmt	*st = stmt(db, RS_OF_SUBJECT);

	db_bind_int64(st, 1, township_id);
	db_bind_text(st, 2, subject_kind);
	db_bind_int64(st, 3, subject_id);
	return db_json_rows(st, rating_row_json, rc);
}

int
rating_void(struct db *db, int64_t township_id, int64_t rating_id,
    const char *reason, int64_t now)
{
	struct db_stmt	*st = stmt(db, RS_VOID);
	char		 at[TIME_ISO_LEN];

	time_iso_utc(now, at);
	db_bind_int64(st, 1, township_id);
	db_bind_int64(st, 2, rating_id);
	db_bind_text(st, 3, reason);
	db_bind_text(st, 4, at);
	return db_exec(st);
}

static json_t *
member_row(struct db_stmt *st)
{
	return json_pack("{so so so so so so so}",
	    "subject_kind", db_json_text(st, 0),
	    "subject_id", db_json_int(st, 1), "period", db_json_text(st, 2),
	    "rule", db_json_text(st, 3), "rule_label", db_json_text(st, 4),
	    "at", db_json_time(st, 5), "rating_id", db_json_int(st, 6));
}

json_t *
rating_list_members(struct db *db, int64_t township_id,
    const char *list_name, const char *period, int *rc)
{
	struct db_stmt	*st = stmt(db, RS_LIST_MEMBERS);

	db_bind_int64(st, 1, township_id);
	db_bind_text(st, 2, list_name);
	db_bind_text(st, 3, period);
	return db_json_rows(st, member_row, rc);
}

int
rating_on_list(struct db *db, int64_t township_id, const char *list_name,
    const char *subject_kind, int64_t subject_id, const char *period)
{
	struct db_stmt	*st = stmt(db, RS_ON_LIST);
	int		 rc;

	db_bind_int64(st, 1, township_id);
	db_bind_text(st, 2, list_name);
	db_bind_text(st, 3, subject_kind);
	db_bind_int64(st, 4, subject_id);
	db_bind_text(st, 5, period);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

json_t *
rating_scales(struct db *db, int *rc)
{
	struct db_stmt	*st = stmt(db, RS_SCALES);
	json_t		*a = json_array(), *o, *levels, *reasons;
	const char	*names[8];
	int		 n = 0, i, r;

	while (n < 8 && (r = db_step(st)) == DB_ROW) {
		o = json_pack("{so so}", "name", db_json_text(st, 0), "label",
		    db_json_text(st, 1));
		json_array_append_new(a, o);
		names[n++] = json_string_value(json_object_get(o, "name"));
	}
	if ((a = db_json_finish(st, r, a, rc)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		o = json_array_get(a, (size_t)i);
		if ((levels = levels_of(db, names[i], rc)) == NULL ||
		    (reasons = reasons_of(db, names[i], rc)) == NULL) {
			json_decref(levels);
			json_decref(a);
			return NULL;
		}
		json_object_set_new(o, "levels", levels);
		json_object_set_new(o, "reasons", reasons);
	}
	return a;
}

/* rating_db.h: rating tokens, ratings and rule firings in the database. */
#ifndef XZ_RATING_DB_H
#define XZ_RATING_DB_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "auth/secret.h"
#include "db/sqltab.h"
#include "rating/rating.h"

struct db;
struct arena;

/* A link to issue: who or what is rated, on which scale, for which hook. */
struct rating_issue {
	int64_t		 township_id;
	const char	*scale;		/* "national", "enterprise" */
	const char	*purpose;	/* a rating_purpose name */
	const char	*aspect;	/* "" or one of the purpose's aspects */
	const char	*subject_kind;	/* "window", "person", "enterprise" */
	int64_t		 subject_id;
	int64_t		 village_id;	/* 0: township level */
	int64_t		 record_id;	/* the module's record, or 0 */
	int64_t		 pair_id;	/* rated on this token's page, or 0 */
	int64_t		 issued_by;	/* account, or 0 */
	int		 ttl_hours;	/* 1 .. 24 * 90 */
};

/*
 * Issue a token in the caller's transaction: "token" gets the link's
 * secret (32 random bytes, base64url), only its SHA-256 is stored.  A
 * paired token (pair_id) has no link: its secret is dropped.  DB_OK or <0.
 */
int	 rating_issue(struct db *, const struct rating_issue *, int64_t now,
	    char token[SECRET_TOKEN_LEN + 1], int64_t *id);
/* Revoke the unused tokens of a module's record (a link issued anew). */
int	 rating_revoke_record(struct db *, const char *purpose,
	    int64_t record_id, int64_t now);

enum rating_rc {
	RATING_OK = 0,
	RATING_NOT_FOUND = 1,	/* no such token: 404 */
	RATING_USED = 2,	/* rated already, or revoked: 410 */
	RATING_EXPIRED = 3,	/* 410 */
	RATING_INVALID = 4	/* bad level or reason: 422 */
};

/*
 * The token page's model, or NULL with *rc a rating_rc or < 0:
 * {purpose, label, question, scale, scale_label, expires_at,
 *  levels: [{level, label, bad}], reasons: [{code, label}],
 *  aspects: [{aspect, label, subject}]} — one aspect per token rated on
 * this page (the token and its pair).
 */
json_t	*rating_peek(struct db *, const char *token, int64_t now,
	    struct arena *, int *rc);

/* One answer per aspect of the page, in rating_peek()'s order. */
struct rating_in {
	int		 level;
	const char	*reason;	/* code or NULL; bad levels only */
	const char	*comment;	/* NULL or up to 500 characters */
};

/* Why an answer was refused (RATING_INVALID): a Chinese message. */
struct rating_bad {
	size_t		 index;		/* the aspect */
	const char	*field;		/* "level", "reason", "comment" */
	const char	*message;
};

/*
 * Store the page's ratings (n answers, one per aspect) in one
 * transaction: the token is claimed (used_at) only if still unused and
 * unexpired, so of two concurrent submissions exactly one succeeds; the
 * rules are evaluated and the hooks called; the audit record written.
 * Returns a rating_rc, or < 0 (DB_*).  "ids" (n of them, may be NULL)
 * get the ratings' ids; "bad" says why an answer was refused.
 */
int	 rating_submit(struct db *, const char *token,
	    const struct rating_in *, size_t n, const struct rating_ctx *,
	    const struct audit_actor *, int64_t *ids, struct rating_bad *bad);

/* Ratings of a module's record: [{id, aspect, level, label, bad, reason,
 * reason_label, comment, at, voided}]. */
json_t	*rating_of_record(struct db *, int64_t township_id,
	    const char *purpose, int64_t record_id, int *rc);
/* Take a rating out of the statistics (an upheld appeal). */
int	 rating_void(struct db *, int64_t township_id, int64_t rating_id,
	    const char *reason, int64_t now);
/*
 * The subjects a "list" rule put on "list_name" in "period" ("2026" or
 * "2026-11"; NULL: all): [{subject_kind, subject_id, period, rule, at,
 * rating_id}].
 */
json_t	*rating_list_members(struct db *, int64_t township_id,
	    const char *list_name, const char *period, int *rc);
/* Is a subject on a list in a period?  1, 0 or < 0. */
int	 rating_on_list(struct db *, int64_t township_id,
	    const char *list_name, const char *subject_kind,
	    int64_t subject_id, const char *period);
/* The ratings of one subject, newest first (at most 200). */
json_t	*rating_of_subject(struct db *, int64_t township_id,
	    const char *subject_kind, int64_t subject_id, int *rc);
/* The scales with their levels and reasons, for pages: [{name, label,
 * levels: [...], reasons: [...]}]. */
json_t	*rating_scales(struct db *, int *rc);

extern const struct db_sqltab rating_sqltab;

#endif

/* rating.h: one rating mechanism: scales, purposes (module hooks), rule periods. */
#ifndef XZ_RATING_H
#define XZ_RATING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct arena;
struct calendar;
struct matter_actor;

/*
 * Ratings come from people without accounts through a single-use,
 * expiring link (/r/<token>).  A rating has a subject (kind + id), a
 * scale and level, an optional reason and comment, and the token it came
 * from.  What a rating does is data: the rules of table rating_rule (open
 * a matter for the subject's supervisor; put the subject on a list after
 * N ratings in a period).  Modules plug in through a purpose (below):
 * they name the subject and its supervisor, and may react to every
 * rating and to every rule that fires, inside the rating's transaction.
 */

/* Levels are numbered from the best down: national 5..1, enterprise 4..1. */
#define RATING_LEVEL_MAX	9

/* One stored rating, as the hooks see it (all strings borrowed). */
struct rating_row {
	int64_t		 id;
	int64_t		 township_id;
	int64_t		 token_id;
	const char	*scale;
	int		 level;
	bool		 bad;
	const char	*level_label;
	const char	*purpose;
	const char	*aspect;
	const char	*subject_kind;
	int64_t		 subject_id;
	int64_t		 village_id;
	int64_t		 record_id;
	const char	*reason;	/* code, "" when none */
	const char	*comment;
	int64_t		 day;		/* Asia/Shanghai */
};

/* Who a subject is, for a matter a rule opens (purpose->subject fills it). */
struct rating_subject {
	const char	*name;		/* "综合受理窗口" (title of the matter) */
	int64_t		 village_id;	/* 0: township level */
	int64_t		 unit_id;
	int64_t		 supervisor_id;	/* person: lead of the matter */
	int64_t		 person_id;	/* person rated, if any (resolver) */
};

/* What a rule did, for purpose->fired. */
struct rating_fire {
	const char	*rule;		/* rating_rule.name */
	const char	*action;	/* "open_matter" or "list" */
	const char	*matter_type;	/* open_matter */
	int64_t		 matter_id;	/* open_matter: the matter opened */
	const char	*list_name;	/* list */
	const char	*period;	/* list: "2026-11" or "2026" */
	int64_t		 firing_id;
};

/* What a hook may use: the clock, the calendar, who acts (the public). */
struct rating_ctx {
	const struct calendar		*cal;
	const struct matter_actor	*actor;
	struct arena			*arena;
	int64_t				 now;
	int64_t				 today;
};

/*
 * A module's hooks, one per token purpose ("window", "enterprise",
 * "community"...).  Every hook runs inside the rating's transaction;
 * returning < 0 (a DB_* code) rolls the rating back.
 *   subject: name the subject (and its supervisor); required.
 *   rated:   called for every rating stored (may be NULL).
 *   fired:   called when one of the rules fires (may be NULL).
 * "aspects" labels the aspects of a token page ("service" → "办事服务");
 * NULL-terminated pairs, or NULL.
 */
struct rating_purpose {
	const char	*name;
	const char	*label;		/* "窗口服务评价" */
	const char	*question;	/* "您对本次办事满意吗？" */
	const char *const *aspects;	/* { "service", "办事服务", ..., NULL } */
	int		(*subject)(struct db *, const struct rating_row *,
			    struct arena *, struct rating_subject *);
	int		(*rated)(struct db *, const struct rating_row *,
			    const struct rating_ctx *);
	int		(*fired)(struct db *, const struct rating_row *,
			    const struct rating_fire *,
			    const struct rating_ctx *);
};

/* The purpose called "name", or NULL (rating.c lists them). */
const struct rating_purpose *rating_purpose(const char *name);
/* The label of an aspect of a purpose ("" when none). */
const char	*rating_aspect_label(const struct rating_purpose *,
		    const char *aspect);

/*
 * The period a rating on "day" falls in for a rule's "period" ("month":
 * "2026-11"; "year": "2026"), and its first and last day.  -1 if the
 * period name is unknown.
 */
int	 rating_period(const char *period, int64_t day, char out[8],
	    int64_t *from, int64_t *to);

/* A reason code or comment is acceptable: printable, short. */
bool	 rating_code_ok(const char *);

#endif

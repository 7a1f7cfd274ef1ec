/* community_db.h: 进社区、进农户 in the database. */
#ifndef XZ_COMMUNITY_DB_H
#define XZ_COMMUNITY_DB_H

#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "auth/secret.h"
#include "db/sqltab.h"
#include "org/scope.h"
#include "rating/rating.h"

struct db;

/*
 * As in org.h: every function sees only the scope's township (and village,
 * when scope->village_id is set); json_t results are new references or
 * NULL, with *rc DB_OK (nothing found) or < 0.  Writes run in the caller's
 * transaction and write their audit record there.
 */

/* ---- 进社区: registration (报到), monthly ratings, the negative list. */

/*
 * The monthly ratings go through the rating core (src/rating): a link per
 * registered cadre per month (purpose "community", subject the cadre,
 * record a community_month row), and the rule "community_negative" of
 * table rating_rule puts a cadre on list "negative" for the year.
 */
#define CM_PURPOSE	"community"
#define CM_RULE_NAME	"community_negative"
#define CM_LIST		"negative"
extern const struct rating_purpose community_purpose;

/* The township's cadres: [{id, name, posts}]. */
json_t	*cm_cadres(struct db *, const struct scope *, int *rc);
/* One cadre's name, or NULL when not a cadre of the township. */
json_t	*cm_cadre(struct db *, const struct scope *, int64_t id, int *rc);
/* The communities: [{id, name}]. */
json_t	*cm_communities(struct db *, const struct scope *, int *rc);

struct cm_reg {
	int64_t		 person_id;
	const char	*community;	/* name; created on first use */
	const char	*day;		/* YYYY-MM-DD */
	const char	*role;
};
/* Register a cadre, ending their open registration elsewhere. */
int	 cm_register(struct db *, const struct scope *, const struct cm_reg *,
	    const struct audit_actor *, int64_t now, int64_t *id);
/*
 * Open registrations with the year's bad ratings (at or below
 * "max_level") and listing, and "month"'s link and level:
 * [{id, person_id, name, posts, community_id, community, registered_on,
 * role, bad, listed, issued, month_level}].
 */
json_t	*cm_registrations(struct db *, const struct scope *, int year,
	    int max_level, const char *month, int *rc);
/* A cadre's registrations, newest first. */
json_t	*cm_history(struct db *, const struct scope *, int64_t person, int *rc);
/* The open registration's community id: 0 when none, < 0 on failure. */
int64_t	 cm_open_community(struct db *, int64_t person);

/* The rule as stored: {threshold, max_level, label, list, period}. */
json_t	*cm_rule(struct db *, int *rc);
/*
 * Issue the month's rating link of a registered cadre (revoking an unused
 * earlier one), audited, in the caller's transaction.  DB_DONE when the
 * month is already rated.  "token" gets the link's secret.
 */
int	 cm_issue(struct db *, const struct scope *, int64_t person,
	    int64_t community, const char *month, int ttl_hours,
	    const struct audit_actor *, int64_t now,
	    char token[SECRET_TOKEN_LEN + 1], int64_t *record);
/* A cadre's ratings, newest month first: [{id, month, level, ...}]. */
json_t	*cm_ratings(struct db *, const struct scope *, int64_t person, int *rc);
/* The cadre's listing in a year: {reason, listed_at}, or NULL (*rc 0). */
json_t	*cm_listing(struct db *, const struct scope *, int64_t person,
	    int year, int *rc);
/* The year's negative list, each with the bad ratings of that year. */
json_t	*cm_negative(struct db *, const struct scope *, int year,
	    int max_level, int *rc);

/* ---- 进农户: monitored households and care recipients. */

/* Households in scope for pickers: [{id, village, head, address}]. */
json_t	*ca_households(struct db *, const struct scope *, int *rc);
/* Citizens in scope for pickers: [{id, village, name}]. */
json_t	*ca_people(struct db *, const struct scope *, int *rc);
/* The village of a household / citizen in scope: > 0, 0 none, < 0. */
int64_t	 ca_household_village(struct db *, const struct scope *, int64_t id);
int64_t	 ca_person_village(struct db *, const struct scope *, int64_t id);

struct ca_new {
	const char	*category;
	int64_t		 village_id, household_id, person_id;	/* 0: none */
	int64_t		 cadre_id;	/* 0: not yet paired */
	const char	*since;
	const char	*note;
};
/* DB_DONE when the subject is already listed under that category. */
int	 ca_create(struct db *, const struct scope *, const struct ca_new *,
	    const struct audit_actor *, int64_t now, int64_t *id);
/* Pair a cadre, ending the current pairing. */
int	 ca_pair(struct db *, int64_t subject, int64_t cadre, const char *day,
	    const struct audit_actor *, int64_t now);

struct ca_contact {
	int64_t		 cadre_id;
	const char	*day, *way, *note, *follow_up;
};
/* End care of a subject (移出) and its pairing: DB_DONE if already ended. */
int	 ca_end(struct db *, int64_t subject, const char *day,
	    const struct audit_actor *);
int	 ca_contact_add(struct db *, int64_t subject, const struct ca_contact *,
	    const struct audit_actor *, int64_t now, int64_t *id);

/*
 * Subjects in scope (village 0: all; category NULL: all) with the month
 * from..to (YYYY-MM-DD) for "contacted": those active in that month when
 * "active_in" is set, else the current ones.
 */
json_t	*ca_list(struct db *, const struct scope *, int64_t village,
	    const char *category, const char *from, const char *to,
	    bool active_in, int *rc);
/* One subject with "pairs" and "log" (its contacts, newest first). */
json_t	*ca_get(struct db *, const struct scope *, int64_t id,
	    const char *from, const char *to, int *rc);

/* ---- Model households. */

/* DB_DONE when that household is already nominated in that category. */
int	 mh_nominate(struct db *, const struct scope *, int64_t village,
	    int64_t household, int year, const char *category,
	    const char *reason, const struct audit_actor *, int64_t now,
	    int64_t *id);
json_t	*mh_list(struct db *, const struct scope *, int year, int *rc);
/* Mark chosen: DB_OK, DB_DONE when not found, DB_ROW when already chosen. */
int	 mh_choose(struct db *, const struct scope *, int64_t id,
	    const struct audit_actor *, int64_t now);

extern const struct db_sqltab community_sqltab;

#endif

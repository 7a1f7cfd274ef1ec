/* visit_db.h: household visits in the database: log, list, weekly coverage. */
#ifndef XZ_VISIT_DB_H
#define XZ_VISIT_DB_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "db/sqltab.h"
#include "org/scope.h"

struct db;

/*
 * As in org.h: every function sees only the scope's township (and village,
 * when scope->village_id is set); json_t results are new references or
 * NULL, with *rc DB_OK (nothing found) or < 0 (failure).  Days are
 * days since 1970-01-01 (Asia/Shanghai), as in base/timeutil.h.
 */

/* A household as a visit records it.  Strings live in the arena. */
struct visit_household {
	int64_t		 id, village_id, group_id, head_id;	/* 0: none */
	const char	*head;		/* the head's name, "" if unknown */
	const char	*address;
	const char	*village;
	const char	*group;		/* "" when the household has none */
};
/* DB_OK, DB_DONE when the household is not in scope, or < 0. */
int	 visit_household_get(struct db *, const struct scope *, int64_t id,
	    struct arena *, struct visit_household *);

/* The village's cadres now in post: [{id, name, posts}]. */
json_t	*visit_cadres(struct db *, const struct scope *, int64_t village_id,
	    int *rc);

/*
 * The village's households for the visit form, by group:
 * [{group_id, group, households: [{id, head, address, visited}]}], where
 * "visited" says whether the week starting "monday" has a visit.
 */
json_t	*visit_picker(struct db *, const struct scope *, int64_t village_id,
	    int64_t monday, int *rc);

struct visit_new {
	int64_t		 day;
	const char	*findings;
	const char	*follow_up;	/* "" when none */
	const int64_t	*cadres;	/* who went: person ids, checked */
	size_t		 ncadres;
};
/* Store a visit of "h" with its cadres and audit record, in the caller's tx. */
int	 visit_create(struct db *, const struct scope *,
	    const struct visit_household *h, const struct visit_new *,
	    const struct audit_actor *, int64_t now, int64_t *id);
/* Link a visit to the petition opened from it, audited; in the caller's tx. */
int	 visit_link_matter(struct db *, int64_t visit_id, int64_t matter_id,
	    const char *code, const struct audit_actor *);

/* One visit, with "went": [{id, name}]. */
json_t	*visit_get(struct db *, const struct scope *, int64_t id, int *rc);

struct visit_filter {
	int64_t		 village_id;	/* 0: any */
	int64_t		 group_id;
	int64_t		 monday;	/* 0: any week */
	int64_t		 before;	/* keyset: ids below this, newest first */
	int		 limit;
};
/* {items: [...], next: "id" | null}. */
json_t	*visit_list(struct db *, const struct scope *,
	    const struct visit_filter *, int *rc);
/* A village's visits of one week, in date order, for the paper form. */
json_t	*visit_sheet(struct db *, const struct scope *, int64_t village_id,
	    int64_t monday, int *rc);

/*
 * The week's coverage, per village (all in scope, or "village_id"):
 * [{id, name, households, visited, percent, groups: [{id, name, households,
 * visited, percent, complete, unvisited: [{id, head, address}]}],
 * cadres: [{id, name, posts, visits, below}], below: N}].  A cadre's
 * "visits" counts the distinct households they went to that week; "below"
 * is true under "round".
 */
json_t	*visit_coverage(struct db *, const struct scope *, int64_t village_id,
	    int64_t monday, int64_t round, int *rc);

/* The township's weekly round (households per cadre), or < 0. */
int64_t	 visit_round_get(struct db *, int64_t township_id);
/* Change it, audited; in the caller's tx. */
int	 visit_round_set(struct db *, const struct scope *, int64_t round,
	    int64_t old, const struct audit_actor *);

/*
 * The demo township's visits of this week (synthetic): each group's
 * leader visits most of the group's households, the village's first
 * cadre goes along to every third, one group is mostly left out and its
 * leader stays below the round.  In the caller's transaction.
 */
int	 visit_demo(struct db *, const struct scope *,
	    const struct audit_actor *);

extern const struct db_sqltab visit_sqltab;

#endif

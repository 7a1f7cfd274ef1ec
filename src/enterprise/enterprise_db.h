/* enterprise_db.h: enterprises, patrons, visits, reports and spot-checks in the database. */
#ifndef XZ_ENTERPRISE_DB_H
#define XZ_ENTERPRISE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "db/sqltab.h"
#include "org/scope.h"

struct db;

/*
 * As in org.h: every function sees only the scope's township (and
 * village, when scope->village_id is set); json_t results are new
 * references or NULL with *rc DB_OK (nothing found) or < 0 (failure).
 * Writes run in the caller's transaction and write their audit record.
 */

struct ent_in {
	int64_t		 village_id;	/* 0: none (a shop of the township) */
	const char	*name;
	const char	*kind;
	const char	*place;
	const char	*contact;
	const char	*phone;		/* 11 digits or NULL */
	const char	*tel;		/* 11 digits or NULL */
	const char	*note;
};

/* Register an enterprise; *id is the new id. */
int	 ent_create(struct db *, const struct scope *, const struct ent_in *,
	    struct arena *, const struct audit_actor *, int64_t now,
	    int64_t *id);
/* An import's row for a known enterprise: fills what the row gives. */
int	 ent_fill(struct db *, const struct scope *, int64_t id,
	    const struct ent_in *, struct arena *, const struct audit_actor *,
	    int64_t now);
/* Change an enterprise in scope; NULL phones keep the stored ones. */
int	 ent_update(struct db *, const struct scope *, int64_t id,
	    const struct ent_in *, struct arena *, const struct audit_actor *,
	    int64_t now);
/* The id of the enterprise called "name" in scope, 0 if none, or < 0. */
int64_t	 ent_by_name(struct db *, const struct scope *, const char *name);

/* {items: [...]}, newest first, village_id 0: all in scope. */
json_t	*ent_list(struct db *, const struct scope *, int64_t village_id,
	    int *rc);
/* One enterprise with patrons (history), visits and matters. */
json_t	*ent_get(struct db *, const struct scope *, int64_t id, int *rc);
/* Its village (0 for none), or DB_DONE when not in scope, or < 0. */
int	 ent_village(struct db *, const struct scope *, int64_t id,
	    int64_t *village);

/* A cadre of the township: their name in the arena, or NULL. */
const char *ent_cadre_name(struct db *, const struct scope *, int64_t person,
	    struct arena *, int *rc);
/* Cadres called "name": *n of them (the first's id in *id). */
int	 ent_cadre_by_name(struct db *, const struct scope *, const char *name,
	    int64_t *id, int *n);
/* The township's cadres for pickers: [{id, name, posts}]. */
json_t	*ent_cadres(struct db *, const struct scope *, int *rc);

/* The current patron of a role: person and start day (0 if none). */
int	 ent_patron_now(struct db *, int64_t ent, const char *role,
	    int64_t *person, int64_t *from);
/*
 * Make "person" the enterprise's patron in "role" from "from": the
 * current row (if another person) ends on that day and a new one starts;
 * the same person again changes nothing (*changed false).
 */
int	 ent_patron_assign(struct db *, const struct scope *, int64_t ent,
	    const char *role, int64_t person, int64_t from,
	    const struct audit_actor *, int64_t now, bool *changed);
/* Is "person" a current patron of the enterprise (either role)? */
int	 ent_is_patron(struct db *, int64_t ent, int64_t person);

struct ent_visit_in {
	int64_t		 person;
	const char	*kind;
	int64_t		 day;
	const char	*findings;
};
int	 ent_visit_create(struct db *, const struct scope *, int64_t ent,
	    const struct ent_visit_in *, const struct audit_actor *,
	    int64_t now, int64_t *id);

/* Record that matter "mid" belongs to the enterprise and its patron. */
int	 ent_link_matter(struct db *, int64_t mid, int64_t ent, int64_t patron);

/*
 * The month's progress report per patron (每月向乡党委、政府报告解决问题
 * 进展情况): [{person_id, name, flagged, rows: [{enterprise_id,
 * enterprise, role, role_label, visits, raised, open, solved_month,
 * solved_period, flagged}]}].  A row is flagged when no problem of that
 * enterprise with that patron was closed as solved between the later of
 * 1 January of the month's year and the assignment's start, and the
 * month's last day.
 */
json_t	*ent_report(struct db *, const struct scope *, int64_t first,
	    int64_t last, int *rc);

/* Enterprises with a patron in the month: ids, for the sample. */
json_t	*ent_sample_pool(struct db *, const struct scope *, int64_t first,
	    int64_t last, int *rc);
/* The month's spot-checks: {enterprise_id: {result, result_label, level,
 * level_label, note, checked_at, checker}}. */
json_t	*ent_spotchecks(struct db *, const struct scope *, const char *month,
	    int *rc);
/* Record (or correct) a spot-check of a sampled enterprise. */
int	 ent_spotcheck_save(struct db *, const struct scope *, const char *month,
	    int64_t ent, const char *result, const char *level,
	    const char *note, const struct audit_actor *, int64_t now);

/* The supervision opinion of an enterprise's month: its matter id, 0 if
 * none, or < 0. */
int64_t	 ent_opinion_get(struct db *, int64_t ent, const char *month);
/* Record it ("source": "spotcheck" or "rating"). */
int	 ent_opinion_add(struct db *, int64_t ent, const char *month,
	    int64_t matter, const char *source);

/*
 * The month's rating link (the rating core's record): its id (0: none)
 * and whether the enterprise has rated through it.
 */
int	 ent_rating_link_get(struct db *, int64_t township, int64_t ent,
	    const char *month, int64_t *id, bool *rated);
/* Create or renew the month's link record, audited; *id its id. */
int	 ent_rating_link_save(struct db *, int64_t township, int64_t ent,
	    const char *month, int64_t patron, int64_t supervisor,
	    const struct audit_actor *, int64_t now, int64_t *id);

/* What the rating hooks need of a link (strings in the arena). */
struct ent_link_info {
	int64_t		 enterprise_id, village_id, patron_id, supervisor_id;
	const char	*name, *patron, *month;
};
/* DB_OK, DB_DONE when there is no such link, or < 0. */
int	 ent_rating_link_info(struct db *, int64_t link, struct arena *,
	    struct ent_link_info *);

extern const struct db_sqltab enterprise_sqltab;

#endif

/* org.h: townships, units, villages, groups, people and posts. */
#ifndef XZ_ORG_H
#define XZ_ORG_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/arena.h"
#include "db/sqltab.h"
#include "org/scope.h"

struct db;

/*
 * Every function takes the request's scope and sees only its township
 * (and, when scope->village_id is set, only that village): a row outside
 * it is "not found".  Functions returning json_t give a new reference (the
 * caller owns it) or NULL when nothing is found; database failures are
 * reported through *rc (DB_OK or < 0).
 */

const char	*org_township_name(struct db *, int64_t id, struct arena *);
int64_t		 org_default_township(struct db *);
/* Create a township row (the demo, an import); *id gets its id.  In tx. */
int		 org_township_create(struct db *, const char *name,
		    const char *county, int64_t *id);

/* Units (站所). */
extern const char *const unit_kinds[];		/* office, station, centre */
extern const char *const unit_kind_labels[];	/* 机关办室, 站所, 中心 */
json_t	*org_units(struct db *, const struct scope *, int *rc);
json_t	*org_unit(struct db *, const struct scope *, int64_t id, int *rc);
struct unit_in {
	const char	*name;
	const char	*kind;
	const char	*phone;
	const char	*duties;
	int64_t		 sort;
	bool		 active;
	bool		 supervises;	/* issues supervision orders (督办) */
};
/* Create (id 0) or update; the new id in *id.  In the caller's tx. */
int	 org_unit_save(struct db *, const struct scope *, int64_t *id,
	    const struct unit_in *);

/* Villages (村) and groups (组). */
json_t	*org_villages(struct db *, const struct scope *, int *rc);
json_t	*org_village(struct db *, const struct scope *, int64_t id, int *rc);
int	 org_village_save(struct db *, const struct scope *, int64_t *id,
	    const char *name, int64_t sort);
int	 org_group_save(struct db *, const struct scope *, int64_t village_id,
	    int64_t *id, const char *name, int64_t sort);
/* Is the village (and group, if non-zero) in scope?  1 yes, 0 no, < 0. */
int	 org_place_ok(struct db *, const struct scope *, int64_t village_id,
	    int64_t group_id);
/* Options for forms: [{id, name, groups: [{id, name}]}]. */
json_t	*org_village_options(struct db *, const struct scope *, int *rc);
json_t	*org_unit_options(struct db *, const struct scope *, int *rc);
/* Cadres for "who answers" pickers: [{id, name: "姓名（职务）"}]. */
json_t	*org_cadres(struct db *, const struct scope *, int *rc);
/* Does the person hold a current post in a unit that supervises? 1/0/<0. */
int	 org_person_supervises(struct db *, int64_t person_id);
/*
 * An existing person with this ID number, or this phone number and name
 * (both normalised; either may be NULL): the id, 0 if none, < 0 on failure.
 */
int64_t	 org_person_find(struct db *, const struct scope *, const char *name,
	    const char *phone, const char *idno);
/* Just the villages: [{id, name}]. */
json_t	*org_village_names(struct db *, const struct scope *, int *rc);

/* Households (户). */
/*
 * Create a household in a village (and group, if non-zero) of the scope,
 * without a head; *id gets its id.  DB_DONE if the place is out of scope.
 * In the caller's tx.
 */
int	 org_household_create(struct db *, const struct scope *,
	    int64_t village_id, int64_t group_id, const char *address,
	    int64_t members, int64_t *id);
/*
 * Make a person of the household's township its head (person_id 0 clears
 * it).  DB_DONE when the household or the person is not found.  In tx.
 */
int	 org_household_set_head(struct db *, int64_t household_id,
	    int64_t person_id);
/*
 * Put a person in a household of the same township (household_id 0 takes
 * them out).  DB_DONE when either is not found.  In the caller's tx.
 */
int	 org_person_set_household(struct db *, int64_t person_id,
	    int64_t household_id);

/* People. */
struct person_filter {
	int64_t		 village_id;
	int64_t		 unit_id;
	const char	*q;		/* name substring, or a phone number */
	const char	*kind;		/* "cadre", "citizen" or NULL */
	int64_t		 after;		/* keyset cursor: last id seen */
	int		 limit;
};
/* {items: [...], next: "id" | null}: one page, in id order. */
json_t	*org_people(struct db *, const struct scope *,
	    const struct person_filter *, int *rc);
/* How many people (of "kind", if not NULL) are in scope; -1 on failure. */
int64_t	 org_count_people(struct db *, const struct scope *, const char *kind);
/* One person, contact data masked, with posts. */
json_t	*org_person(struct db *, const struct scope *, int64_t id, int *rc);

struct person_in {
	const char	*kind;
	const char	*name;
	const char	*sex;		/* "M", "F" or NULL */
	int64_t		 birth_year;	/* 0 if unknown */
	int64_t		 village_id;	/* 0 if none */
	int64_t		 group_id;
	const char	*address;
	const char	*phone;		/* 11 digits or NULL */
	const char	*idno;		/* 18 characters or NULL */
	const char	*note;
};
/*
 * Create (*id == 0) or update a person; contact data is sealed here.  On
 * update a NULL phone or idno keeps the stored value.  In the caller's tx.
 */
int	 org_person_save(struct db *, const struct scope *, int64_t *id,
	    const struct person_in *, struct arena *);
/* The clear phone and ID number (NULL when none), for the audited view. */
int	 org_person_contact(struct db *, const struct scope *, int64_t id,
	    struct arena *, const char **name, const char **phone,
	    const char **idno);

/* Posts (职务). */
int	 org_post_add(struct db *, const struct scope *, int64_t person_id,
	    int64_t unit_id, int64_t village_id, const char *title,
	    const char *started_on, int64_t *id);
int	 org_post_end(struct db *, const struct scope *, int64_t post_id,
	    const char *ended_on, int64_t *person_id);
/* One post's person and dates (ended_on NULL while current); DB_DONE if none. */
int	 org_post_get(struct db *, const struct scope *, int64_t post_id,
	    struct arena *, int64_t *person_id, const char **started_on,
	    const char **ended_on);

extern const struct db_sqltab org_sqltab;

#endif

/* roster_db.h: the reception duty roster in the database. */
#ifndef XZ_ROSTER_DB_H
#define XZ_ROSTER_DB_H

#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "db/sqltab.h"

struct db;

/*
 * Every function takes the township and sees only its rows.  Functions
 * returning json_t give a new reference (the caller owns it), or NULL with
 * *rc DB_DONE (not found) or < 0 (a database failure).
 */

/*
 * The duty rows of days "from" .. "to" (inclusive), in day order: [{id,
 * day, weekday, leader_id, leader, post, duties, time, place, form,
 * form_label, note, principal}].  "principal" follows roster_principal()
 * on the leader's current posts and account.
 */
json_t	*roster_rows(struct db *, int64_t township_id, int64_t from,
	    int64_t to, int *rc);
/* One duty row, as in roster_rows(). */
json_t	*roster_get(struct db *, int64_t township_id, int64_t id, int *rc);

/*
 * The township's current cadres (a cadre with a post not ended), those
 * with posts in units first: [{id, name, titles, principal, label}], with
 * "titles" their current post titles joined by "、" and "label"
 * "姓名（职务）" for pickers.
 */
json_t	*roster_leaders(struct db *, int64_t township_id, int *rc);
/* One of them, or NULL with *rc DB_DONE when the person is not one. */
json_t	*roster_leader(struct db *, int64_t township_id, int64_t person_id,
	    int *rc);

/*
 * The leader on duty on "day": the first 值班接访 row of the day, else the
 * first row (by time, then entry).  Returns the person's id, 0 if nobody
 * is on duty, < 0 on failure; *duty_id (may be NULL) gets the row's id.
 */
int64_t	 roster_on_duty(struct db *, int64_t township_id, int64_t day,
	    int64_t *duty_id);

struct roster_in {
	const char	*day;		/* 'YYYY-MM-DD' */
	int64_t		 leader_id;
	const char	*post;		/* as the roster shows it */
	const char	*duties;	/* may be NULL */
	const char	*time;		/* 上午9:00-12:00 */
	const char	*place;
	const char	*form;		/* one of roster_forms */
	const char	*note;		/* may be NULL */
};

/*
 * Create (*id == 0) or update a duty row; the new id in *id.  DB_OK,
 * DB_DONE when the row to update is not found, DB_CONSTRAINT when the
 * leader already has the same day and time, or < 0.  In the caller's tx.
 */
int	 roster_save(struct db *, int64_t township_id, int64_t *id,
	    const struct roster_in *, int64_t account_id, int64_t now);
/* Delete a duty row: DB_OK, DB_DONE if not found, or < 0.  In tx. */
int	 roster_delete(struct db *, int64_t township_id, int64_t id);

/*
 * The demo township's roster: this week and the next two, one duty a
 * working day, with the principal leaders (党委书记, 乡长) absent from the
 * last week so its flag shows.  Audited as "who".  In the caller's tx.
 */
int	 roster_demo(struct db *, int64_t township_id,
	    const struct audit_actor *who);

extern const struct db_sqltab roster_sqltab;

#endif

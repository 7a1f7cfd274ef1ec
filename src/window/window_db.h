/* window_db.h: windows, AB posts, service records, satisfaction figures. */
#ifndef XZ_WINDOW_DB_H
#define XZ_WINDOW_DB_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "auth/secret.h"
#include "db/sqltab.h"
#include "org/scope.h"

struct db;
struct arena;

/*
 * Every function sees only the scope's rows: a village cadre's scope has
 * its village, and other villages' windows and records are not found
 * (DB_DONE → 404).  json_t results are new references, or NULL with *rc.
 */

struct window_in {
	const char	*name;
	const char	*items;
	int64_t		 village_id;	/* 0: the township service centre */
	int64_t		 lead_id;	/* 0: none */
	int64_t		 a_id, b_id;
};

/* The windows with this month's figures: [{id, name, village, items,
 * lead, a, b, a_absent, absent_note, on_duty, total, satisfied, rate}]. */
json_t	*window_list(struct db *, const struct scope *, int64_t from,
	    int64_t to, int *rc);
json_t	*window_get(struct db *, const struct scope *, int64_t id, int *rc);
/* Create (id 0) or update, with the audit record; DB_OK, DB_DONE, <0. */
int	 window_save(struct db *, const struct scope *, const struct window_in *,
	    const struct audit_actor *, int64_t now, int64_t *id);
/* Is "person" a cadre of the township?  1, 0 or < 0. */
int	 window_cadre_ok(struct db *, int64_t township_id, int64_t person);
/* Is "village" one of the township's?  1, 0 or < 0. */
int	 window_village_ok(struct db *, int64_t township_id, int64_t village);
/* Mark A absent (B takes A's work) or back. */
int	 window_set_absent(struct db *, const struct scope *, int64_t id,
	    bool absent, const char *note, const struct audit_actor *,
	    int64_t now);
/* A window by its public code: {id, township_id, name, village}. */
json_t	*window_by_code(struct db *, const char *code, int *rc);

struct record_in {
	const char	*item;
	const char	*citizen;	/* the name as typed: stored masked */
	const char	*post;		/* "A", "B", or NULL: A unless absent */
};
/*
 * Record a finished request at a window; "code" gets its six-digit
 * evaluation code.  DB_OK, DB_DONE (no such window), < 0.
 */
int	 window_record_create(struct db *, const struct scope *,
	    int64_t window_id, const struct record_in *,
	    const struct audit_actor *, int64_t now, int64_t *id,
	    char code[7]);
json_t	*window_record_get(struct db *, const struct scope *, int64_t id,
	    int *rc);
json_t	*window_records(struct db *, const struct scope *, int64_t window_id,
	    int *rc);
/* The newest unrated record of a window with this code within 3 days. */
int64_t	 window_record_by_code(struct db *, int64_t window_id,
	    const char *code, int64_t now);

/*
 * Wrong evaluation codes typed from "addr" this minute (or < 0), and
 * counting one more: the posted QR page refuses guessing.
 */
#define WINDOW_GUESS_MAX	10
int	 window_guesses(struct db *, const char *addr, int64_t now);
int	 window_guess_wrong(struct db *, const char *addr, int64_t now);

/* A record as the rating hooks need it (strings in the arena). */
struct window_rec {
	int64_t		 id, window_id, village_id, lead_id, handler_id;
	const char	*window, *handler, *item;
};
int	 window_record_of(struct db *, int64_t township_id, int64_t id,
	    struct arena *, struct window_rec *);

/*
 * Issue the record's rating link anew (一事两评: a service token and its
 * paired conduct token), revoking the record's unused ones; "token" gets
 * the link's secret.  DB_OK, DB_DONE (not found / already rated), < 0.
 */
int	 window_link(struct db *, int64_t township_id, int64_t record_id,
	    int64_t issued_by, const struct audit_actor *, int64_t now,
	    char token[SECRET_TOKEN_LEN + 1]);
/* The same in the caller's transaction. */
int	 window_link_tx(struct db *, int64_t township_id, int64_t record_id,
	    int64_t issued_by, int64_t now, char token[SECRET_TOKEN_LEN + 1]);
/* Issue the re-rating link of a rectification (in the caller's tx). */
int	 window_rerate_link(struct db *, int64_t township_id,
	    int64_t matter_id, int64_t issued_by, int64_t now,
	    char token[SECRET_TOKEN_LEN + 1]);

/* The rectification opened for a record (0 if none), and the reverse. */
int64_t	 window_rect_of_record(struct db *, int64_t township_id,
	    int64_t record_id);
int64_t	 window_record_of_rect(struct db *, int64_t township_id,
	    int64_t matter_id);

/*
 * The month's figures: {windows: [{id, name, total, satisfied, rate}],
 * staff: [{id, name, total, satisfied, rate}], bad, rectified, called_back,
 * rectify_rate, callback_rate}.
 */
json_t	*window_stats(struct db *, const struct scope *, int64_t from,
	    int64_t to, int *rc);

extern const struct db_sqltab window_sqltab;

#endif

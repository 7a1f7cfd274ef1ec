/* matter_db.h: matters in the database: create, read, list, act, remind. */
#ifndef XZ_MATTER_DB_H
#define XZ_MATTER_DB_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "db/sqltab.h"
#include "matter/matter.h"
#include "org/scope.h"

struct db;
struct arena;

/* A refusal, for the handler to answer with. */
struct matter_err {
	int		 status;	/* 404, 409, 403, 422 */
	const char	*code;
	const char	*message;	/* Chinese, for the user */
	const char	*field;
};

/* Who acts: the account's audit identity, name and roles. */
struct matter_actor {
	struct audit_actor	 audit;
	const char		*name;		/* shown in the timeline */
	int64_t			 person_id;	/* 0 if the account has none */
	unsigned		 roles;
};

struct matter_new {
	const struct matter_type *type;
	const char	*title;
	const char	*body;
	const char	*source;
	const char	*place;
	int64_t		 village_id, group_id;
	int64_t		 unit_id, lead_id, resolver_id;
	int64_t		 raised_by;		/* first petitioner, or 0 */
	const int64_t	*people;		/* petitioners */
	size_t		 npeople;
	int64_t		 clock_day;		/* the day the first clock starts */
	bool		 key;
	json_t		*details;		/* borrowed; NULL for {} */
	const char	*search;		/* extra searchable text (names) */
	const char	*note;		/* the first timeline entry's, or NULL */
};

/*
 * Create a matter with its code (PREFIX-YEAR-NNNN), first clock, timeline
 * entry and audit record, in the caller's transaction.  "code" gets the
 * code (at least 32 bytes).
 */
int	 matter_create(struct db *, const struct scope *,
	    const struct matter_new *, const struct calendar *,
	    const struct matter_actor *, int64_t now, int64_t *id, char *code);

struct matter_act {
	enum matter_action	 action;
	const char		*note;
	const char		*closing;
	int64_t			 day;		/* supervision: the new deadline */
	int64_t			 days;		/* extension */
	int64_t			 unit_id, lead_id, resolver_id;	/* assign */
};

/*
 * Take an action on a matter: check the move, the type's rules and the
 * documents on file, then update the matter, append to the timeline and
 * audit, all in one transaction.  0, or -1 with "err" set (or a database
 * failure: err->status 503).
 */
int	 matter_apply(struct db *, const struct scope *, int64_t id,
	    const struct matter_act *, const struct calendar *,
	    const struct matter_actor *, int64_t today, int64_t now,
	    struct matter_err *err);
/*
 * The same, in the caller's transaction (a refusal writes nothing; a
 * failure, err->status 503: roll it back).  For writing many matters at
 * once: an import, the bench's county ledger (bench/gen-ledger.c).
 */
int	 matter_apply_tx(struct db *, const struct scope *, int64_t id,
	    const struct matter_act *, const struct calendar *,
	    const struct matter_actor *, int64_t today, int64_t now,
	    struct matter_err *err);

/* One matter with labels and urgency, or NULL (*rc < 0 on failure). */
json_t	*matter_get(struct db *, const struct scope *, int64_t id,
	    int64_t today, int *rc);
json_t	*matter_timeline(struct db *, int64_t id, int *rc);
json_t	*matter_attachments(struct db *, const struct matter_type *,
	    int64_t id, int *rc);
json_t	*matter_orders(struct db *, int64_t id, int *rc);
json_t	*matter_people(struct db *, int64_t id, const char *role, int *rc);

struct matter_filter {
	const char	*type;
	const char	*state;
	int64_t		 village_id;
	int64_t		 unit_id;
	int64_t		 owner_id;	/* lead or resolver */
	bool		 overdue;
	bool		 due_soon;	/* within 7 days */
	bool		 key;
	const char	*q;		/* search text (any length of Chinese) */
	int64_t		 before;	/* keyset: ids below this, newest first */
	int		 limit;
	int64_t		 today;
};

/* {items: [...], next: "id" | null}; err: *rc < 0, or 422 for a bad q. */
json_t	*matter_list(struct db *, const struct scope *,
	    const struct matter_filter *, int *rc);

/*
 * Call "row" for every matter the filter selects (no limit), newest first,
 * with the ledger columns: streamed, so memory stays flat.  Returns 0, or
 * what "row" or the database returned.
 */
struct matter_row {
	const char	*code, *type, *title, *body, *state, *source, *place;
	const char	*village, *unit, *lead, *resolver, *petitioner;
	const char	*phone_mask, *opened_at, *due_on, *closed_at;
	const char	*closing;
	bool		 key, late;
};
int	 matter_each(struct db *, const struct scope *,
	    const struct matter_filter *,
	    int (*row)(const struct matter_row *, void *), void *arg);

/* The signed-in person's to-dos: matters they lead or resolve, orders. */
json_t	*matter_todos(struct db *, const struct scope *, int64_t person_id,
	    int64_t today, int *rc);

/*
 * Give each open matter's due reminders once (due in 3 days, due today,
 * overdue), as timeline entries; safe when several servers run it.
 * Returns how many were given, or < 0.
 */
int	 matter_sweep(struct db *, int64_t today, int64_t now);

/* Attachments: a stored file (attach_store) recorded on a matter. */
struct matter_file {
	const char	*kind;		/* one of the type's documents */
	const char	*name;		/* safe download name */
	const char	*media_type;	/* sniffed */
	int64_t		 size;
	const char	*sha256;
};
/* In a transaction of its own; 0, or -1 with "err" set. */
int	 matter_attach(struct db *, const struct scope *, int64_t matter_id,
	    const struct matter_file *, const struct matter_actor *,
	    int64_t now, int64_t *id, struct matter_err *);
/* The same, in the caller's transaction (a refusal: roll it back). */
int	 matter_attach_tx(struct db *, const struct scope *,
	    int64_t matter_id, const struct matter_file *,
	    const struct matter_actor *, int64_t now, int64_t *id,
	    struct matter_err *);
/*
 * Every file the attachment rows name, once each, for backup and restore:
 * "fn" gets each hex SHA-256 and returns 0 to go on or -1 to stop (then
 * DB_ERROR).  All townships; no scope.  DB_OK or < 0.
 */
int	 matter_attachment_hashes(struct db *,
	    int (*fn)(const char *hex, void *arg), void *arg);

/* The stored file's hash, name and type, if the attachment is in scope. */
int	 matter_attachment(struct db *, const struct scope *, int64_t id,
	    struct arena *, const char **sha256, const char **name,
	    const char **media_type, int64_t *matter_id);

/*
 * Mark a matter key (重点) or not, with its plan (一事一方案), its team
 * (一人一专班: person ids) and the five guarantees (五包: [{item, owner_id}]),
 * and optionally its petitioners as key petitioners; one transaction with
 * its timeline entry and audit record.
 */
struct matter_key {
	bool		 key;
	const char	*plan;
	const int64_t	*team;
	size_t		 nteam;
	json_t		*five;		/* borrowed */
	bool		 key_people;
};
int	 matter_set_key(struct db *, const struct scope *, int64_t id,
	    const struct matter_key *, const struct matter_actor *,
	    int64_t now, struct matter_err *);

/* The calendar's special days as a calendar (rebuilt from the table). */
struct calendar *matter_calendar_load(struct db *);

extern const struct db_sqltab matter_sqltab;

#endif

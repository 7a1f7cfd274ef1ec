/* audit.h: the append-only, hash-chained audit log. */
#ifndef XZ_AUDIT_H
#define XZ_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "db/sqltab.h"

struct db;

/* Who did it, from where.  All members borrowed. */
struct audit_actor {
	int64_t		 account_id;	/* 0 for anonymous or the CLI */
	int64_t		 township_id;	/* 0 when none */
	const char	*login;		/* "-" anonymous, "cli" for commands */
	const char	*role;		/* role names, comma-separated */
	const char	*addr;
	const char	*request_id;
};

#define AUDIT_HASH_LEN	32

/*
 * Append one record.  Must run inside the caller's write transaction, so
 * the record and the change it describes commit or roll back together: if
 * this fails, the caller's transaction must fail too.  "detail" (may be
 * NULL) is a JSON object that never holds passwords or clear personal data.
 * "object_id" 0 means none.  Returns 0 or < 0 (DB_*).
 */
int	 audit_write(struct db *, const struct audit_actor *,
	    const char *action, const char *object_type, int64_t object_id,
	    bool ok, json_t *detail);

/*
 * The id of the newest record: a version of all business data, since
 * every change writes one in its own transaction.  0 for an empty log, -1
 * on failure.
 */
int64_t	 audit_version(struct db *);

/* The same, in a transaction of its own (failures, denials, reads). */
int	 audit_write_alone(struct db *, const struct audit_actor *,
	    const char *action, const char *object_type, int64_t object_id,
	    bool ok, json_t *detail);

/*
 * Walk the chain from the first record.  Returns 0 and *count when every
 * record's hash and link are intact; 1 with *bad_id and "why" naming the
 * first broken record; < 0 on a database error.
 */
int	 audit_verify(struct db *, int64_t *count, int64_t *bad_id, char *why,
	    size_t whylen);

/* The hash of one record's fields (exposed for the unit test). */
struct audit_row {
	int64_t		 id;
	const char	*at;
	int64_t		 township_id;
	int64_t		 actor_id;
	const char	*actor;
	const char	*role;
	const char	*addr;
	const char	*request_id;
	const char	*action;
	const char	*object_type;
	const char	*object_id;
	const char	*result;
	const char	*detail;
};
void	 audit_hash(const unsigned char prev[AUDIT_HASH_LEN],
	    const struct audit_row *, const unsigned char key[32],
	    unsigned char out[AUDIT_HASH_LEN]);

/* Filters of the audit page; NULL or 0 means any. */
struct audit_filter {
	const char	*actor;		/* login */
	const char	*action;	/* "account" matches "account.create" */
	const char	*from;		/* UTC text, inclusive */
	const char	*to;		/* UTC text, exclusive */
	const char	*result;	/* "ok" or "fail" */
	int64_t		 before;	/* keyset: ids below this */
	int		 limit;
};

/* {items: [...], next: "id" | null}, newest first. */
json_t	*audit_list(struct db *, int64_t township_id,
	    const struct audit_filter *, int *rc);

extern const struct db_sqltab audit_sqltab;

#endif

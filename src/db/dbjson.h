/* dbjson.h: building JSON view models from result columns. */
#ifndef XZ_DBJSON_H
#define XZ_DBJSON_H

#include <jansson.h>

struct db_stmt;

/* Column "i" as a JSON string, or null for SQL NULL. */
json_t	*db_json_text(struct db_stmt *, int i);
/* Column "i" as a JSON integer, or null for SQL NULL. */
json_t	*db_json_int(struct db_stmt *, int i);
/* Stored UTC time text as "2026-11-29 14:00" in Asia/Shanghai, or null. */
json_t	*db_json_time(struct db_stmt *, int i);
/* Stored UTC time text as "2026-11-29T14:00:00.123+08:00", or null. */
json_t	*db_json_iso_cn(struct db_stmt *, int i);
/* Column "i" (0/1) as a JSON boolean. */
json_t	*db_json_bool(struct db_stmt *, int i);

/*
 * After the last db_step() (which returned "r"): reset the statement and
 * hand back "a", or free it and return NULL with *rc the failure.
 */
json_t	*db_json_finish(struct db_stmt *, int r, json_t *a, int *rc);

/*
 * Step through every row, appending "row(st)" to a new array, and reset
 * the statement: the array, or NULL with *rc the failure.
 */
json_t	*db_json_rows(struct db_stmt *, json_t *(*row)(struct db_stmt *),
	    int *rc);

#endif

/* migrate.h: apply the embedded sql/<dialect>/NNNN-name.sql files in order. */
#ifndef XZ_MIGRATE_H
#define XZ_MIGRATE_H

#include "db/sqltab.h"

struct db;

/*
 * Apply every migration not yet recorded in schema_migrations, each in its
 * own transaction.  Returns the number applied, or -1 (already logged).
 */
int	 migrate_up(struct db *);
/*
 * The version the database is at: the highest such that every migration
 * up to it is applied; 0 for an empty database, -1 on error.
 */
int	 migrate_version(struct db *);
/* The highest version this binary knows. */
int	 migrate_latest(void);
/* How many migrations this binary holds (numbers may have gaps). */
int	 migrate_count(void);

extern const struct db_sqltab migrate_sqltab;

#endif

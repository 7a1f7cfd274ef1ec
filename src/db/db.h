/* db.h: the only interface to the database; SQL text is fixed at build time. */
#ifndef XZ_DB_H
#define XZ_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/sqltab.h"

/*
 * Return codes.  Functions that run SQL return DB_OK (or DB_ROW / DB_DONE
 * from db_step) or a negative code.  DB_UNAVAIL covers every failure of the
 * storage itself (disk full, I/O error, read-only file, busy past the
 * timeout): callers answer 503.  DB_CONSTRAINT is a UNIQUE, CHECK or
 * FOREIGN KEY refusal: callers usually answer 409 or 422.
 */
enum db_rc {
	DB_OK = 0,
	DB_ROW = 1,
	DB_DONE = 2,
	DB_ERROR = -1,
	DB_CONSTRAINT = -2,
	DB_UNAVAIL = -3
};

struct db;
struct db_stmt;

enum db_open_flags {
	DB_OPEN_CREATE = 1,	/* create the file if missing */
	DB_OPEN_READONLY = 2
};

/* Open a connection; NULL on failure (already logged). */
struct db	*db_open(const char *path, int flags);
void		 db_close(struct db *);
const char	*db_path(const struct db *);

/*
 * The cached prepared statement "id" of module "mod", reset and unbound.
 * Prepared on first use and kept for the life of the connection.  Never
 * NULL: a statement that does not prepare is a bug (the test suite
 * prepares every statement against the migrated schema).
 */
struct db_stmt	*db_stmt(struct db *, enum db_module mod, int id);
/* Prepare every registered statement; -1 naming the first that fails. */
int		 db_prepare_all(struct db *);

void	 db_bind_int64(struct db_stmt *, int, int64_t);
void	 db_bind_text(struct db_stmt *, int, const char *);	/* NULL binds NULL */
void	 db_bind_textn(struct db_stmt *, int, const char *, size_t);
void	 db_bind_blob(struct db_stmt *, int, const void *, size_t);
void	 db_bind_null(struct db_stmt *, int);
/* Bind an id, or NULL when it is 0 ("no filter" in "?1 IS NULL OR"). */
void	 db_bind_id(struct db_stmt *, int, int64_t);
/* A day number as 'YYYY-MM-DD' (base/timeutil.h); day 0 binds NULL. */
void	 db_bind_day(struct db_stmt *, int, int64_t day);

int	 db_step(struct db_stmt *);	/* DB_ROW, DB_DONE or < 0 */
/* Step a statement that returns no rows and reset it: DB_OK or < 0. */
int	 db_exec(struct db_stmt *);
void	 db_reset(struct db_stmt *);

int64_t		 db_col_int64(struct db_stmt *, int);
const char	*db_col_text(struct db_stmt *, int);	/* NULL for NULL */
const void	*db_col_blob(struct db_stmt *, int);
size_t		 db_col_bytes(struct db_stmt *, int);
bool		 db_col_null(struct db_stmt *, int);

/* BEGIN IMMEDIATE: the caller will write.  DB_OK or < 0. */
int	 db_begin(struct db *);
/* Commit when rc == 0, else roll back.  Returns rc, or < 0 if commit failed. */
int	 db_end(struct db *, int rc);
bool	 db_in_tx(const struct db *);

int64_t	 db_last_id(struct db *);
int	 db_changes(struct db *);
/* The code of the last failure on this connection (DB_UNAVAIL, ...). */
int	 db_last_rc(const struct db *);

/*
 * The storage fault behind this connection's last failure (reset by
 * db_begin): the web layer names it in its 503, so a cadre reads "the disk
 * is full" rather than a bare "try again".
 */
enum db_fault {
	DB_FAULT_NONE = 0,
	DB_FAULT_FULL,		/* SQLITE_FULL: no space left */
	DB_FAULT_READONLY,	/* SQLITE_READONLY: the file system went read-only */
	DB_FAULT_IO		/* SQLITE_IOERR and friends: the disk failed */
};
int	 db_last_fault(const struct db *);
void	 db_fault_clear(struct db *);	/* a new request starts clean */

/* Run a whole SQL script (migrations only). */
int	 db_exec_script(struct db *, const char *sql);
/* A consistent copy of the database to "dest" (VACUUM INTO). */
int	 db_backup_to(struct db *, const char *dest);
/*
 * A page-for-page copy of one snapshot to "dest" (a new file): inside one
 * read transaction, "fn" runs first (it sees exactly what is copied; a
 * manifest of the tables) and then the online backup API copies that same
 * snapshot, while other connections go on writing.  The copy is left in
 * rollback-journal mode, one self-contained file.  DB_OK, or < 0 (also
 * when "fn" returns nonzero).
 */
int	 db_snapshot_to(struct db *, const char *dest,
	    int (*fn)(struct db *, void *), void *arg);

/*
 * Every ordinary table (FTS shadow tables included, virtual tables and
 * sqlite_stat* left out), by name: its row count and a SHA-256 over its
 * column names and then its rows, ordered by primary key and then every
 * column (binary collation), so two databases with the same content give
 * the same hashes whatever their page layout or rowids.  "fn" returning
 * nonzero stops.  DB_OK or < 0.
 */
typedef int (*db_table_fn)(const char *table, int64_t rows,
    const unsigned char sha256[32], void *arg);
int	 db_table_hashes(struct db *, db_table_fn, void *arg);

/* A trivial query: 0 when the database answers. */
int	 db_ping(struct db *);
/* PRAGMA integrity_check; 0 when "ok". */
int	 db_integrity_check(struct db *);
/* Write the WAL back into the database file. */
void	 db_checkpoint(struct db *);

/* Failures since start, for /metrics. */
uint64_t db_error_count(void);

/*
 * Per-thread connections for the server: db_pool_init() names the file,
 * db_pool_get() returns this thread's connection (opening it on first use;
 * NULL if it cannot), db_pool_close_all() closes every one at shutdown.
 */
void		 db_pool_init(const char *path);
struct db	*db_pool_get(void);
void		 db_pool_close_all(void);

#endif

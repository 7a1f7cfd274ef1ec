/* import.h: people from a spreadsheet saved as CSV (UTF-8 or GBK). */
#ifndef XZ_IMPORT_H
#define XZ_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/compat.h"
#include "org/org.h"
#include "org/scope.h"

struct audit_actor;
struct db;

/* Caps: a township has a few thousand people; a file of 8 MiB is plenty. */
#define IMPORT_MAX_BYTES	(8u * 1024 * 1024)
#define IMPORT_MAX_ROWS		20000	/* data rows, not counting the header */
#define IMPORT_MAX_COLS		64
#define IMPORT_MAX_CELL		2000	/* bytes in one cell */
#define IMPORT_MAX_ERRORS	500	/* messages kept; all are counted */

/* import_people() and import_parse() return these (or a DB_* code < 0). */
enum import_rc {
	IMPORT_OK = 0,		/* every row valid (and imported unless dry) */
	IMPORT_INVALID = 1	/* errors in the report; nothing imported */
};

/*
 * What an import found.  "errors" (owned) is a JSON array of
 * {line, column, message}: "line" is the row number as Excel or WPS shows
 * it (the file's first line is row 1, a cell with line breaks stays in
 * one row, blank rows count), 0 for a problem with the whole file;
 * "column" is the user's own column name or null; "message" is the
 * complete Chinese text to show, "第N行：「列名」问题说明" (a refusal of
 * the whole file has no prefix).  "nerrors" counts every error, even past
 * the IMPORT_MAX_ERRORS kept.  "rows" counts data rows (blank rows are
 * skipped), "ok" the valid ones.  "refused" is NULL, "password_column" or
 * "account_column" (static text): the file was turned away for a column
 * it must not have.  Messages never quote a password cell, nor the name,
 * phone, ID number, address or note of a person.
 */
struct import_report {
	size_t		 rows;
	size_t		 ok;
	size_t		 nerrors;
	bool		 imported;
	const char	*refused;
	json_t		*errors;
};

void	 import_report_init(struct import_report *);
void	 import_report_release(struct import_report *);
/* Add an error: "第N行：「列」..." (line 0: the whole file). */
void	 import_report_add(struct import_report *, size_t line,
	    const char *column, const char *fmt, ...) PRINTFLIKE(4, 5);

/* One valid row: the person to save and the row it came from. */
struct import_person {
	size_t			 line;
	struct person_in	 in;
};

/*
 * The text of "data" (len bytes) as UTF-8: a UTF-8 byte order mark is
 * dropped; text that is not valid UTF-8 is converted from GB18030 (a
 * superset of GBK, as Excel and WPS save CSV on Chinese Windows).  The
 * result goes in the arena, NUL-terminated; *enc is "UTF-8" or "GBK".
 * Returns 0, or -1 with a Chinese message for the user in "why".
 */
int	 import_decode(struct arena *, const char *data, size_t len,
	    char **out, size_t *outlen, const char **enc, char *why,
	    size_t whylen);

/*
 * Shared with the other imports (enterprise lists): a file that is a
 * workbook rather than CSV gets a Chinese explanation (NULL: it may be
 * CSV); a header as the user wrote it without blanks (for messages and
 * matching: "经营\n场所" is "经营场所"); and a column that must never be
 * imported: "password_column", "account_column", or NULL.
 */
const char	*import_not_csv(const char *data, size_t len);
const char	*import_header(struct arena *, const char *header);
const char	*import_forbidden(struct arena *, const char *header);

/*
 * Parse and check a whole file without a database.  "villages" is the
 * shape org_village_options() returns, [{id, name, groups: [{id, name}]}],
 * and is only read.  On IMPORT_OK, *people (in the arena) holds *n valid
 * rows in file order, ready for org_person_save().  On IMPORT_INVALID the
 * report holds the errors and *n is 0.  Phone and ID numbers repeated
 * inside the file are errors; the database is not consulted.
 */
int	 import_parse(struct arena *, const char *data, size_t len,
	    const json_t *villages, struct import_person **people, size_t *n,
	    struct import_report *);

/*
 * Import people into the scope's township.  Everything is checked first;
 * if any row is bad, nothing is written.  Rows without a village go to
 * scope->village_id when it is set.  Unless "dry_run", all rows are then
 * saved in one transaction with one audit record "import.people" {rows}.
 * A file with a password column is refused and the refusal audited.
 * Returns IMPORT_OK, IMPORT_INVALID (see the report) or a DB_* code < 0.
 */
int	 import_people(struct db *, const struct scope *, const char *data,
	    size_t len, bool dry_run, const struct audit_actor *,
	    struct import_report *);

#endif

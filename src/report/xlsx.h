/* xlsx.h: ledgers as real spreadsheets, in the layout people know. */
#ifndef XZ_XLSX_H
#define XZ_XLSX_H

#define XLSX_MEDIA_TYPE \
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#include <stddef.h>

/*
 * A ledger sheet (台账) as the township keeps them in Excel/WPS:
 *
 *   row 1   the title, merged across all columns, bold, centred, large
 *   row 2   "填报单位：XXX" on the left, "填报时间：2026年1月5日" on the right
 *   row 3   the column heads, starting with 序号; repeated on every
 *           printed page
 *   row 4…  one row per record, 序号 counting 1, 2, 3…, thin borders
 *   last    "填报人：          审核人：          单位负责人（签字）："
 *
 * printed on A4 landscape, fitted to the page width.  Text columns are
 * written as text, so phone and ID numbers stay "10012345678" and never
 * become 1.00123E+10.  Rows are streamed to the file (libxlsxwriter's
 * constant-memory mode): memory stays flat for any number of rows.
 */
enum xlsx_kind {
	XLSX_TEXT,	/* written as a string, always */
	XLSX_NUMBER,	/* written as a number if the cell parses as one */
	XLSX_WRAP	/* long text, wrapped */
};

/*
 * An XLSX_NUMBER cell parses as a number only if it is a plain decimal:
 * "-3.5", "12", "1e3".  Anything else stays text as typed: "12a", " 12",
 * "1,234", "007" (a code), and values of more than the 15 significant
 * digits Excel keeps.  Every cell has control characters other than tab
 * and newline removed, bytes that are not UTF-8 replaced by U+FFFD, and is
 * cut at Excel's 32767 characters.
 */

struct xlsx_col {
	const char	*title;		/* column head */
	double		 width;		/* in characters; <= 0 for a default */
	enum xlsx_kind	 kind;
};

struct xlsx_ledger;

/*
 * Start a workbook at "path" with one sheet.  "cols" excludes 序号, which
 * is always the first column.  NULL on failure (logged).
 *
 * "path" is created at once, so a bad path fails here, not after the last
 * row.  "sheet" must be a valid Excel sheet name (at most 31 characters,
 * none of []:*?/\), or NULL for "Sheet1".  "unit" and "date_line" are the
 * values after 填报单位： and 填报时间： (a value that already starts with
 * its label is kept as it is); NULL leaves a blank to fill in by hand.
 * Widths are Excel's unit, the width of a digit: a Chinese character takes
 * about two.  Nothing is kept from the arguments after the call.
 */
struct xlsx_ledger *xlsx_ledger_open(const char *path, const char *sheet,
		    const char *title, const char *unit, const char *date_line,
		    const struct xlsx_col *cols, size_t ncols);
/*
 * Append one record: "cells" has ncols strings (NULL for empty).  0 or -1.
 * After a failure the ledger is spoilt: later rows fail too, and
 * xlsx_ledger_close() writes nothing, so no sheet is ever left looking
 * complete with a record missing.
 */
int	 xlsx_ledger_row(struct xlsx_ledger *, const char *const *cells);
/*
 * Write the signature footer, close and free.  0 or -1; on -1 the file at
 * "path" has been removed.  Always frees everything, NULL included.
 */
int	 xlsx_ledger_close(struct xlsx_ledger *);

#endif

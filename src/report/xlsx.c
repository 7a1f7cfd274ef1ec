/* xlsx.c: ledgers as real spreadsheets, streamed with libxlsxwriter. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/utf8.h"
#include "report/xlsx.h"

/*
 * The fixed rows, zero-based as libxlsxwriter counts them: row 3 of the
 * sheet (the column heads) is XLSX_ROW_HEAD.
 */
enum {
	XLSX_ROW_TITLE = 0,
	XLSX_ROW_INFO = 1,
	XLSX_ROW_HEAD = 2,
	XLSX_ROW_FIRST = 3
};

#define XLSX_FONT_BODY		"宋体"
#define XLSX_FONT_TITLE		"黑体"
#define XLSX_CHARSET_GB2312	134	/* lets Excel pick the CJK face */
#define XLSX_FAMILY_MODERN	3	/* what Excel writes for 宋体/黑体 */
#define XLSX_SIZE_BODY		11
#define XLSX_SIZE_TITLE		18
#define XLSX_FILL_HEAD		0xDCE6F2	/* light 政务蓝 */
#define XLSX_PAPER_A4		9
#define XLSX_CELL_MAX		32767	/* Excel's limit, in characters */
#define XLSX_SERIAL_WIDTH	6
#define XLSX_WIDTH_MAX		100
#define XLSX_HEIGHT_TITLE	36
#define XLSX_HEIGHT_INFO	22
#define XLSX_HEIGHT_HEAD	28
#define XLSX_HEIGHT_ROW		20	/* least height, room to read */
#define XLSX_HEIGHT_SIGN	40	/* room to sign by hand */
#define XLSX_HEIGHT_LINE	15	/* one line of 11 pt 宋体, in points */
#define XLSX_FOOTER		"&C第 &P 页，共 &N 页"
#define XLSX_SIGN_ALL \
	"填报人：                    审核人：                    " \
	"单位负责人（签字）："

/* The cell styles, one lxw_format each. */
enum xlsx_fmt {
	FMT_TITLE,
	FMT_UNIT,
	FMT_DATE,
	FMT_HEAD,
	FMT_SERIAL,
	FMT_TEXT,
	FMT_NUMBER,
	FMT_WRAP,
	FMT_SIGN,
	FMT__MAX
};

/*
 * An open ledger.  It owns the workbook "wb" (which owns "ws" and the
 * formats), "kinds", "width" and "path".  Once "failed" is set every later
 * call fails and xlsx_ledger_close() discards the workbook, so a ledger with
 * a missing row is never written out looking complete.
 */
struct xlsx_ledger {
	lxw_workbook	*wb;
	lxw_worksheet	*ws;
	lxw_format	*fmt[FMT__MAX];
	enum xlsx_kind	*kinds;		/* ncols + 1, [0] is 序号 */
	double		*width;		/* ncols + 1, Excel units */
	size_t		 ncols;		/* columns including 序号 */
	lxw_row_t	 row;		/* next row to write */
	struct buf	 cell;		/* scratch for cleaned cell text */
	char		*path;
	bool		 failed;
};

/*
 * Whether the well-formed sequence "p" (n bytes) must not go into a cell:
 * C0 controls other than tab and newline, DEL, C1 controls, and U+FFFE and
 * U+FFFF, which XML cannot carry.
 */
static bool
cell_drop(const unsigned char *p, size_t n)
{
	if (n == 1)
		return (p[0] < 0x20 && p[0] != '\t' && p[0] != '\n') ||
		    p[0] == 0x7f;
	if (n == 2)
		return p[0] == 0xc2 && p[1] < 0xa0;
	if (n == 3)
		return p[0] == 0xef && p[1] == 0xbf && p[2] >= 0xbe;
	return false;
}

/*
 * Return "s" made safe for a cell: characters cell_drop() refuses are
 * removed, bytes that are not UTF-8 become U+FFFD (the caller should have
 * validated, but one bad byte must not make the whole workbook unreadable),
 * and text past Excel's 32767 characters is cut.  Returns "s" itself when
 * it needs no change, else the contents of "b", which the next call
 * overwrites.  NULL only when out of memory.
 */
static const char *
cell_clean(struct buf *b, const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, n, len, start, chars;
	bool			 changed;

	len = strlen(s);
	start = chars = 0;
	changed = false;
	buf_reset(b);
	for (i = 0; i < len; i += n) {
		if (chars == XLSX_CELL_MAX) {
			changed = true;
			break;
		}
		n = utf8_seqlen(s + i, len - i);
		if (n != 0 && !cell_drop(u + i, n)) {
			chars++;
			continue;
		}
		buf_add(b, s + start, i - start);
		if (n == 0) {
			buf_lit(b, "\xef\xbf\xbd");
			chars++;
			n = 1;
		}
		start = i + n;
		changed = true;
	}
	if (!changed)
		return s;
	buf_add(b, s + start, i - start);
	return buf_err(b) ? NULL : b->data;
}

/*
 * Parse "s" as a plain decimal number: an optional minus sign, an integer
 * part without leading zeros, an optional fraction and exponent.  Codes
 * such as "007", values with more than the 15 significant digits Excel
 * keeps, hex, "inf", "nan" and surrounding spaces are not numbers here, so
 * they stay text and nothing the user typed is lost.  0 or -1.
 */
static int
cell_number(const char *s, double *out)
{
	const char	*p = s;
	char		*end;
	int		 digits = 0;
	bool		 lead = true;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' &&
	    p[1] <= '9'))
		return -1;
	for (; (*p >= '0' && *p <= '9') || *p == '.'; p++) {
		if (*p == '.') {
			if (p[1] < '0' || p[1] > '9' || strchr(p + 1, '.'))
				return -1;
			continue;
		}
		if (*p != '0')
			lead = false;
		if (!lead)
			digits++;
	}
	if (digits > 15)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != '\0')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(*out))
		return -1;
	return 0;
}

/*
 * Estimate how many lines "s" takes wrapped in a column "width" Excel units
 * wide.  A unit is about 7 pixels (a digit of the default font) and Excel
 * pads the column by 5; a CJK character of 11 pt 宋体 is about 15 pixels,
 * so 2.2 units, and a Latin letter half that.  The estimate leans high: it
 * only sets row heights, and a row a little tall beats a clipped line.
 */
static int
cell_lines(const char *s, double width)
{
	double	 w = 0, cw, room = width > 2.2 ? width : 2.2;
	int	 lines = 1;
	size_t	 i, n, len = strlen(s);

	for (i = 0; i < len; i += n) {
		n = utf8_seqlen(s + i, len - i);
		if (n == 0)
			n = 1;
		if (s[i] == '\n') {
			lines++;
			w = 0;
			continue;
		}
		cw = n >= 3 ? 2.2 : 1.1;
		w += cw;
		if (w > room) {
			lines++;
			w = cw;
		}
	}
	return lines;
}

/* The height in points of a row of "lines" lines, at least "least". */
static double
row_height(int lines, double least)
{
	double	 h = lines * XLSX_HEIGHT_LINE + 5;

	return h < least ? least : h;
}

/* Log a libxlsxwriter error for ledger "x", mark it failed, return -1. */
static int
ledger_fail(struct xlsx_ledger *x, const char *what, lxw_error err)
{
	x->failed = true;
	return error("cannot %s in ledger '%s': %s", what, x->path,
	    lxw_strerror(err));
}

/*
 * Write "text" across columns c0..c1 of "row", merged when that is more
 * than one cell (Excel refuses to merge a single cell).  In constant-memory
 * mode a merge must stay within the row being written, as it does here.
 */
static int
ledger_span(struct xlsx_ledger *x, lxw_row_t row, size_t c0, size_t c1,
    const char *text, lxw_format *fmt)
{
	lxw_error	 err;

	text = cell_clean(&x->cell, text);
	if (text == NULL)
		return ledger_fail(x, "clean text",
		    LXW_ERROR_MEMORY_MALLOC_FAILED);
	if (c1 > c0)
		err = worksheet_merge_range(x->ws, row, (lxw_col_t)c0, row,
		    (lxw_col_t)c1, text, fmt);
	else
		err = worksheet_write_string(x->ws, row, (lxw_col_t)c0, text,
		    fmt);
	if (err != LXW_NO_ERROR)
		return ledger_fail(x, "write a merged cell", err);
	return 0;
}

/* Make a format in the body font with the given alignment. */
static lxw_format *
ledger_format(lxw_workbook *wb, uint8_t align, bool border)
{
	lxw_format	*f;

	f = workbook_add_format(wb);
	if (f == NULL)
		return NULL;
	format_set_font_name(f, XLSX_FONT_BODY);
	format_set_font_size(f, XLSX_SIZE_BODY);
	format_set_font_family(f, XLSX_FAMILY_MODERN);
	format_set_font_charset(f, XLSX_CHARSET_GB2312);
	format_set_align(f, align);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	return f;
}

/* Add every format the ledger uses.  0 or -1. */
static int
ledger_formats(struct xlsx_ledger *x)
{
	lxw_format	**f = x->fmt;
	size_t		  i;

	f[FMT_TITLE] = ledger_format(x->wb, LXW_ALIGN_CENTER, false);
	f[FMT_UNIT] = ledger_format(x->wb, LXW_ALIGN_LEFT, false);
	f[FMT_DATE] = ledger_format(x->wb, LXW_ALIGN_RIGHT, false);
	f[FMT_HEAD] = ledger_format(x->wb, LXW_ALIGN_CENTER, true);
	f[FMT_SERIAL] = ledger_format(x->wb, LXW_ALIGN_CENTER, true);
	f[FMT_TEXT] = ledger_format(x->wb, LXW_ALIGN_CENTER, true);
	f[FMT_NUMBER] = ledger_format(x->wb, LXW_ALIGN_RIGHT, true);
	f[FMT_WRAP] = ledger_format(x->wb, LXW_ALIGN_LEFT, true);
	f[FMT_SIGN] = ledger_format(x->wb, LXW_ALIGN_LEFT, false);
	for (i = 0; i < FMT__MAX; i++)
		if (f[i] == NULL)
			return ledger_fail(x, "add a format",
			    LXW_ERROR_MEMORY_MALLOC_FAILED);

	format_set_font_name(f[FMT_TITLE], XLSX_FONT_TITLE);
	format_set_font_size(f[FMT_TITLE], XLSX_SIZE_TITLE);
	format_set_bold(f[FMT_TITLE]);
	format_set_bold(f[FMT_HEAD]);
	format_set_text_wrap(f[FMT_HEAD]);
	format_set_bg_color(f[FMT_HEAD], XLSX_FILL_HEAD);
	/* "@" keeps a cell text when someone edits it in Excel or WPS. */
	format_set_num_format(f[FMT_TEXT], "@");
	format_set_text_wrap(f[FMT_WRAP]);
	format_set_num_format(f[FMT_WRAP], "@");
	return 0;
}

/* Column widths, page setup and the printed page footer.  0 or -1. */
static int
ledger_page(struct xlsx_ledger *x)
{
	lxw_header_footer_options	 fo = { .margin = 0.3 };
	lxw_error			 err;
	size_t				 i;

	for (i = 0; i < x->ncols; i++) {
		err = worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i,
		    x->width[i], NULL);
		if (err != LXW_NO_ERROR)
			return ledger_fail(x, "set a column width", err);
	}
	worksheet_set_landscape(x->ws);
	worksheet_set_paper(x->ws, XLSX_PAPER_A4);
	worksheet_set_margins(x->ws, 0.5, 0.5, 0.6, 0.7);
	worksheet_center_horizontally(x->ws);
	worksheet_fit_to_pages(x->ws, 1, 0);
	worksheet_freeze_panes(x->ws, XLSX_ROW_FIRST, 0);
	err = worksheet_repeat_rows(x->ws, XLSX_ROW_HEAD, XLSX_ROW_HEAD);
	if (err != LXW_NO_ERROR)
		return ledger_fail(x, "repeat the column heads", err);
	err = worksheet_set_footer_opt(x->ws, XLSX_FOOTER, &fo);
	if (err != LXW_NO_ERROR)
		return ledger_fail(x, "set the page footer", err);
	return 0;
}

/*
 * Write "label" then "value" into "b", unless "value" already starts with
 * the label's words (a caller that passes "填报时间：2026年1月5日" gets it
 * once).  "blank" stands in for a NULL or empty value, a space to fill in
 * by hand.
 */
static void
info_line(struct buf *b, const char *label, const char *value,
    const char *blank)
{
	size_t	 n = strlen(label) - strlen("：");

	buf_reset(b);
	if (value == NULL || *value == '\0')
		value = blank;
	else if (strncmp(value, label, n) == 0) {
		buf_adds(b, value);
		return;
	}
	buf_adds(b, label);
	buf_adds(b, value);
}

/* The title, the 填报单位/填报时间 line and the column heads.  0 or -1. */
static int
ledger_top(struct xlsx_ledger *x, const char *title, const char *unit,
    const char *date_line, const struct xlsx_col *cols)
{
	struct buf	 line;
	lxw_error	 err;
	size_t		 i, half;
	int		 lines, most = 1, rc = -1;
	const char	*t;

	err = worksheet_set_row(x->ws, XLSX_ROW_TITLE, XLSX_HEIGHT_TITLE, NULL);
	if (err != LXW_NO_ERROR)
		return ledger_fail(x, "set the title height", err);
	if (ledger_span(x, XLSX_ROW_TITLE, 0, x->ncols - 1,
	    title != NULL ? title : "", x->fmt[FMT_TITLE]) == -1)
		return -1;

	/* Row 2: the unit on the left half, the date on the right half. */
	err = worksheet_set_row(x->ws, XLSX_ROW_INFO, XLSX_HEIGHT_INFO, NULL);
	if (err != LXW_NO_ERROR)
		return ledger_fail(x, "set the unit line height", err);
	half = x->ncols / 2;
	buf_init(&line, 0);
	info_line(&line, "填报单位：", unit, "");
	if (buf_err(&line))
		goto nomem;
	if (ledger_span(x, XLSX_ROW_INFO, 0, half - 1, line.data,
	    x->fmt[FMT_UNIT]) == -1)
		goto out;
	info_line(&line, "填报时间：", date_line, "      年    月    日");
	if (buf_err(&line))
		goto nomem;
	if (ledger_span(x, XLSX_ROW_INFO, half, x->ncols - 1, line.data,
	    x->fmt[FMT_DATE]) == -1)
		goto out;

	/* Row 3: the heads, as tall as the longest one needs. */
	for (i = 0; i < x->ncols; i++) {
		t = i == 0 ? "序号" : cols[i - 1].title;
		t = cell_clean(&x->cell, t != NULL ? t : "");
		if (t == NULL)
			goto nomem;
		lines = cell_lines(t, x->width[i]);
		if (lines > most)
			most = lines;
		err = worksheet_write_string(x->ws, XLSX_ROW_HEAD,
		    (lxw_col_t)i, t, x->fmt[FMT_HEAD]);
		if (err != LXW_NO_ERROR) {
			ledger_fail(x, "write a column head", err);
			goto out;
		}
	}
	err = worksheet_set_row(x->ws, XLSX_ROW_HEAD,
	    row_height(most, XLSX_HEIGHT_HEAD), NULL);
	if (err != LXW_NO_ERROR) {
		ledger_fail(x, "set the head row height", err);
		goto out;
	}
	x->row = XLSX_ROW_FIRST;
	rc = 0;
	goto out;
nomem:
	ledger_fail(x, "write the top rows", LXW_ERROR_MEMORY_MALLOC_FAILED);
out:
	buf_release(&line);
	return rc;
}

/*
 * Throw the ledger away: free the workbook without writing it, remove the
 * file xlsx_ledger_open() created, free "x".
 */
static void
ledger_discard(struct xlsx_ledger *x)
{
	/*
	 * lxw_workbook_free() is what workbook_close() calls after writing;
	 * called alone it frees everything, temporary files included, and
	 * writes nothing.
	 */
	lxw_workbook_free(x->wb);
	if (x->path != NULL && unlink(x->path) == -1 && errno != ENOENT)
		error("cannot remove '%s': %s", x->path, strerror(errno));
	buf_release(&x->cell);
	free(x->kinds);
	free(x->width);
	free(x->path);
	free(x);
}

struct xlsx_ledger *
xlsx_ledger_open(const char *path, const char *sheet, const char *title,
    const char *unit, const char *date_line, const struct xlsx_col *cols,
    size_t ncols)
{
	static char		 deftmp[] = "/tmp";
	lxw_workbook_options	 opt = { .constant_memory = LXW_TRUE };
	lxw_doc_properties	 props = { 0 };
	struct xlsx_ledger	*x;
	lxw_error		 err;
	FILE			*f;
	double			 w;
	size_t			 i;

	if (path == NULL || cols == NULL) {
		error("cannot open a ledger without a path or columns");
		return NULL;
	}
	if (ncols == 0 || ncols >= LXW_COL_MAX) {
		error("cannot open ledger '%s': need 1 to %d columns", path,
		    LXW_COL_MAX - 1);
		return NULL;
	}

	/*
	 * libxlsxwriter only opens "path" in workbook_close(), after every
	 * row.  Create it now so that a bad path fails before any work.
	 */
	f = fopen(path, "wb");
	if (f == NULL) {
		error("cannot create '%s': %s", path, strerror(errno));
		return NULL;
	}
	fclose(f);

	x = calloc(1, sizeof(*x));
	if (x == NULL) {
		unlink(path);
		error("cannot open ledger '%s': out of memory", path);
		return NULL;
	}
	buf_init(&x->cell, 0);
	x->ncols = ncols + 1;
	x->path = strdup(path);
	x->kinds = calloc(x->ncols, sizeof(*x->kinds));
	x->width = calloc(x->ncols, sizeof(*x->width));
	if (x->path == NULL || x->kinds == NULL || x->width == NULL) {
		free(x->path);
		x->path = NULL;
		unlink(path);
		error("cannot open ledger '%s': out of memory", path);
		goto fail;
	}
	x->kinds[0] = XLSX_NUMBER;
	x->width[0] = XLSX_SERIAL_WIDTH;
	for (i = 0; i < ncols; i++) {
		x->kinds[i + 1] = cols[i].kind;
		w = cols[i].width;
		if (!(w > 0))
			w = cols[i].kind == XLSX_WRAP ? 30 :
			    cols[i].kind == XLSX_NUMBER ? 10 : 12;
		x->width[i + 1] = w > XLSX_WIDTH_MAX ? XLSX_WIDTH_MAX : w;
	}

	/* The library copies tmpdir. */
	opt.tmpdir = getenv("TMPDIR");
	if (opt.tmpdir == NULL || *opt.tmpdir == '\0')
		opt.tmpdir = deftmp;
	x->wb = workbook_new_opt(path, &opt);
	if (x->wb == NULL) {
		error("cannot start workbook '%s'", path);
		goto fail;
	}
	if (sheet != NULL) {
		err = workbook_validate_sheet_name(x->wb, sheet);
		if (err != LXW_NO_ERROR) {
			error("bad sheet name '%s' for '%s': %s", sheet, path,
			    lxw_strerror(err));
			goto fail;
		}
	}
	x->ws = workbook_add_worksheet(x->wb, sheet);
	if (x->ws == NULL) {
		error("cannot add a sheet to '%s' (temporary directory '%s')",
		    path, opt.tmpdir);
		goto fail;
	}
	if (title != NULL) {
		props.title = (char *)cell_clean(&x->cell, title);
		if (props.title != NULL)
			workbook_set_properties(x->wb, &props);
	}
	if (ledger_formats(x) == -1 || ledger_page(x) == -1 ||
	    ledger_top(x, title, unit, date_line, cols) == -1)
		goto fail;
	return x;
fail:
	ledger_discard(x);
	return NULL;
}

int
xlsx_ledger_row(struct xlsx_ledger *x, const char *const *cells)
{
	lxw_error	 err;
	lxw_format	*fmt;
	const char	*s;
	double		 v;
	size_t		 i;
	int		 lines, most = 1;

	if (x == NULL || x->failed)
		return -1;
	if (cells == NULL) {
		x->failed = true;
		return error("cannot add a row to ledger '%s': no cells",
		    x->path);
	}
	/* Keep the last row of the sheet for the signature footer. */
	if (x->row >= LXW_ROW_MAX - 1) {
		x->failed = true;
		return error("ledger '%s' is full: a sheet holds %d records",
		    x->path, LXW_ROW_MAX - XLSX_ROW_FIRST - 1);
	}

	err = worksheet_write_number(x->ws, x->row, 0,
	    (double)(x->row - XLSX_ROW_FIRST + 1), x->fmt[FMT_SERIAL]);
	for (i = 1; i < x->ncols && err == LXW_NO_ERROR; i++) {
		fmt = x->fmt[x->kinds[i] == XLSX_WRAP ? FMT_WRAP :
		    x->kinds[i] == XLSX_NUMBER ? FMT_NUMBER : FMT_TEXT];
		s = cells[i - 1];
		if (s == NULL || *s == '\0') {
			err = worksheet_write_blank(x->ws, x->row,
			    (lxw_col_t)i, fmt);
			continue;
		}
		if (x->kinds[i] == XLSX_NUMBER && cell_number(s, &v) == 0) {
			err = worksheet_write_number(x->ws, x->row,
			    (lxw_col_t)i, v, fmt);
			continue;
		}
		s = cell_clean(&x->cell, s);
		if (s == NULL) {
			err = LXW_ERROR_MEMORY_MALLOC_FAILED;
			break;
		}
		if (x->kinds[i] == XLSX_WRAP) {
			lines = cell_lines(s, x->width[i]);
			if (lines > most)
				most = lines;
		}
		err = worksheet_write_string(x->ws, x->row, (lxw_col_t)i, s,
		    fmt);
	}
	if (err != LXW_NO_ERROR)
		return ledger_fail(x, "write a row", err);

	/*
	 * Set every height: LibreOffice does not fit rows to wrapped text
	 * when it opens a file, so a row left to the reader would print its
	 * second line over the next row.
	 */
	err = worksheet_set_row(x->ws, x->row, row_height(most,
	    XLSX_HEIGHT_ROW), NULL);
	if (err != LXW_NO_ERROR)
		return ledger_fail(x, "set a row height", err);
	x->row++;
	return 0;
}

/*
 * The first column at or after "from" where the widths before it reach
 * "goal", kept within [from, last].
 */
static size_t
split_at(const struct xlsx_ledger *x, size_t from, size_t last, double goal)
{
	double	 acc = 0;
	size_t	 i;

	for (i = 0; i < from; i++)
		acc += x->width[i];
	for (i = from; i < last && acc < goal; i++)
		acc += x->width[i];
	return i;
}

/*
 * The signature line under the last record: 填报人, 审核人 and
 * 单位负责人（签字）, each at the left of about a third of the table's
 * width, the rest of that third left blank to sign in.
 */
static int
ledger_sign(struct xlsx_ledger *x)
{
	lxw_format	*f = x->fmt[FMT_SIGN];
	lxw_error	 err;
	double		 total = 0;
	size_t		 i, b1, b2, n = x->ncols;

	err = worksheet_set_row(x->ws, x->row, XLSX_HEIGHT_SIGN, NULL);
	if (err != LXW_NO_ERROR)
		return ledger_fail(x, "set the footer height", err);
	if (n < 3)
		return ledger_span(x, x->row, 0, n - 1, XLSX_SIGN_ALL, f);
	for (i = 0; i < n; i++)
		total += x->width[i];
	b1 = split_at(x, 1, n - 2, total / 3);
	b2 = split_at(x, b1 + 1, n - 1, total * 2 / 3);
	if (ledger_span(x, x->row, 0, b1 - 1, "填报人：", f) == -1 ||
	    ledger_span(x, x->row, b1, b2 - 1, "审核人：", f) == -1 ||
	    ledger_span(x, x->row, b2, n - 1, "单位负责人（签字）：", f) == -1)
		return -1;
	return 0;
}

int
xlsx_ledger_close(struct xlsx_ledger *x)
{
	lxw_error	 err;

	if (x == NULL)
		return -1;
	if (x->failed || ledger_sign(x) == -1) {
		error("ledger '%s' not written after an error", x->path);
		ledger_discard(x);
		return -1;
	}
	err = workbook_close(x->wb);	/* writes, then frees the workbook */
	x->wb = NULL;
	if (err != LXW_NO_ERROR) {
		error("cannot write ledger '%s': %s", x->path,
		    lxw_strerror(err));
		ledger_discard(x);
		return -1;
	}
	buf_release(&x->cell);
	free(x->kinds);
	free(x->width);
	free(x->path);
	free(x);
	return 0;
}

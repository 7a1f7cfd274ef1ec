/* test-xlsx.c: ledger workbooks, read back from the .xlsx zip with unzip. */
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "base/buf.h"
#include "report/xlsx.h"

#if defined(__SANITIZE_ADDRESS__)
/* From <sanitizer/allocator_interface.h>, which GCC does not install. */
size_t	 __sanitizer_get_current_allocated_bytes(void);
#endif

/* Synthetic numbers: the 100 prefix is not a real mobile range. */
#define PHONE		"10012345678"
#define ID_X		"62102519800101001X"
#define ID_DIGITS	"621025198001010017"

static char	 dir[256];
static char	 path[300];

static const struct xlsx_col cols[] = {
	{ "编号", 12, XLSX_TEXT },
	{ "信访人", 8, XLSX_TEXT },
	{ "联系电话", 13, XLSX_TEXT },
	{ "身份证号", 20, XLSX_TEXT },
	{ "件数", 6, XLSX_NUMBER },
	{ "信访事项", 30, XLSX_WRAP },
};
#define NCOLS	(sizeof(cols) / sizeof(cols[0]))

static void
setup(void)
{
	const char	*t = getenv("TMPDIR");

	if (t == NULL || *t == '\0')
		t = "/tmp";
	snprintf(dir, sizeof(dir), "%s/test-xlsx.XXXXXX", t);
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/ledger.xlsx", dir);
	if (system("command -v unzip >/dev/null 2>&1") != 0)
		cr_skip_test("unzip is not installed: these tests read the "
		    ".xlsx back with unzip (Debian package \"unzip\")");
}

static void
teardown(void)
{
	DIR		*d;
	struct dirent	*e;
	char		 p[600];

	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (unlink(p) == -1)
			rmdir(p);
	}
	closedir(d);
	rmdir(dir);
}

TestSuite(xlsx, .init = setup, .fini = teardown);

/*
 * Run "cmd" and return its whole output (caller frees).  The paths in the
 * commands are made by mkdtemp and hold no quote.
 */
static char *
run(const char *cmd)
{
	struct buf	 b;
	char		 chunk[65536];
	size_t		 n;
	FILE		*p;

	buf_init(&b, 0);
	p = popen(cmd, "r");
	cr_assert_not_null(p, "popen %s", cmd);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&b, chunk, n);
	cr_assert_eq(pclose(p), 0, "command failed: %s", cmd);
	cr_assert_eq(buf_err(&b), 0);
	return buf_detach(&b, NULL);
}

/* One part of the workbook at "path", e.g. "xl/workbook.xml". */
static char *
part(const char *name)
{
	char	 cmd[800];

	snprintf(cmd, sizeof(cmd), "unzip -p '%s' '%s'", path, name);
	return run(cmd);
}

static char *
sheet(void)
{
	return part("xl/worksheets/sheet1.xml");
}

/* The XML of element "<tag attr=...>" up to its end (caller frees). */
static char *
element(const char *xml, const char *open, const char *close)
{
	const char	*s, *e;

	s = strstr(xml, open);
	cr_assert_not_null(s, "no %s in the sheet", open);
	e = strchr(s, '>');
	cr_assert_not_null(e);
	/* An empty cell is written <c r="C5" s="6"/>. */
	if (e[-1] == '/')
		e++;
	else {
		e = strstr(s, close);
		cr_assert_not_null(e);
		e += strlen(close);
	}
	return strndup(s, (size_t)(e - s));
}

static char *
cell(const char *xml, const char *ref)
{
	char	 open[32];

	snprintf(open, sizeof(open), "<c r=\"%s\"", ref);
	return element(xml, open, "</c>");
}

static char *
row(const char *xml, unsigned n)
{
	char	 open[32];

	snprintf(open, sizeof(open), "<row r=\"%u\"", n);
	return element(xml, open, "</row>");
}

/* Assert that cell "ref" holds the string "text", stored as a string. */
static void
assert_string(const char *xml, const char *ref, const char *text)
{
	char	*c = cell(xml, ref);
	char	 want[512], keep[512];

	/* Leading or trailing spaces come with xml:space="preserve". */
	snprintf(want, sizeof(want), "<t>%s</t>", text);
	snprintf(keep, sizeof(keep), "<t xml:space=\"preserve\">%s</t>", text);
	cr_assert(strstr(c, "t=\"inlineStr\"") || strstr(c, "t=\"s\""),
	    "%s is not a string: %s", ref, c);
	cr_assert(strstr(c, want) || strstr(c, keep),
	    "%s does not hold %s: %s", ref, text, c);
	cr_assert_null(strstr(c, "<v>"), "%s has a value: %s", ref, c);
	free(c);
}

/* Assert that cell "ref" holds the number written as "v". */
static void
assert_number(const char *xml, const char *ref, const char *v)
{
	char	*c = cell(xml, ref);
	char	 want[64];

	snprintf(want, sizeof(want), "<v>%s</v>", v);
	cr_assert_null(strstr(c, " t=\""), "%s is not a number: %s", ref, c);
	cr_assert(strstr(c, want), "%s is not %s: %s", ref, v, c);
	free(c);
}

static struct xlsx_ledger *
open_sample(void)
{
	struct xlsx_ledger	*x;

	x = xlsx_ledger_open(path, "信访台账", "青阳镇信访事项台账",
	    "青阳镇人民政府", "2026年1月5日", cols, NCOLS);
	cr_assert_not_null(x);
	return x;
}

/* Write three records and close: the ledger most tests read. */
static void
write_three(void)
{
	static const char *const r[3][NCOLS] = {
		{ "XF-2026-001", "张某某", PHONE, ID_X, "12",
		    "村道损坏，请求修复。" },
		{ "XF-2026-002", "匿名", "", ID_DIGITS, "12a", NULL },
		{ "XF-2026-003", "李某", "0934-1234567", NULL, "007",
		    "第一行\n第二行" },
	};
	struct xlsx_ledger	*x = open_sample();
	size_t			 i;

	for (i = 0; i < 3; i++)
		cr_assert_eq(xlsx_ledger_row(x, r[i]), 0);
	cr_assert_eq(xlsx_ledger_close(x), 0);
}

/* Layout */

Test(xlsx, title_is_merged_across_every_column)
{
	char	*x;

	write_three();
	x = sheet();
	/* 序号 plus six columns: A to G. */
	cr_assert(strstr(x, "<mergeCell ref=\"A1:G1\"/>"), "%s", x);
	assert_string(x, "A1", "青阳镇信访事项台账");
	free(x);
}

Test(xlsx, second_row_has_unit_and_date)
{
	char	*x, *r;

	write_three();
	x = sheet();
	r = row(x, 2);
	cr_assert(strstr(r, "<t>填报单位：青阳镇人民政府</t>"), "%s", r);
	cr_assert(strstr(r, "<t>填报时间：2026年1月5日</t>"), "%s", r);
	/* The unit on the left half, the date on the right half. */
	cr_assert(strstr(x, "<mergeCell ref=\"A2:C2\"/>"));
	cr_assert(strstr(x, "<mergeCell ref=\"D2:G2\"/>"));
	free(r);
	free(x);
}

Test(xlsx, labels_given_by_the_caller_are_not_doubled)
{
	struct xlsx_ledger	*l;
	char			*x, *r;

	l = xlsx_ledger_open(path, NULL, "台账", "填报单位：某村",
	    "填报时间：2026年2月1日", cols, NCOLS);
	cr_assert_not_null(l);
	cr_assert_eq(xlsx_ledger_close(l), 0);
	x = sheet();
	r = row(x, 2);
	cr_assert(strstr(r, "<t>填报单位：某村</t>"), "%s", r);
	cr_assert(strstr(r, "<t>填报时间：2026年2月1日</t>"), "%s", r);
	free(r);
	free(x);
}

Test(xlsx, missing_date_leaves_a_blank_to_fill_in)
{
	struct xlsx_ledger	*l;
	char			*x, *r;

	l = xlsx_ledger_open(path, NULL, "台账", NULL, NULL, cols, NCOLS);
	cr_assert_not_null(l);
	cr_assert_eq(xlsx_ledger_close(l), 0);
	x = sheet();
	r = row(x, 2);
	cr_assert(strstr(r, "<t>填报单位：</t>"), "%s", r);
	cr_assert(strstr(r, "年    月    日</t>"), "%s", r);
	free(r);
	free(x);
}

Test(xlsx, third_row_is_serial_then_every_head)
{
	static const char *const refs[] = { "B3", "C3", "D3", "E3", "F3",
	    "G3" };
	char	*x;
	size_t	 i;

	write_three();
	x = sheet();
	assert_string(x, "A3", "序号");
	for (i = 0; i < NCOLS; i++)
		assert_string(x, refs[i], cols[i].title);
	free(x);
}

Test(xlsx, records_are_numbered_from_one)
{
	char	*x;

	write_three();
	x = sheet();
	assert_number(x, "A4", "1");
	assert_number(x, "A5", "2");
	assert_number(x, "A6", "3");
	assert_string(x, "B6", "XF-2026-003");
	free(x);
}

Test(xlsx, phone_and_id_numbers_stay_text)
{
	char	*x;

	write_three();
	x = sheet();
	assert_string(x, "D4", PHONE);
	assert_string(x, "E4", ID_X);
	assert_string(x, "E5", ID_DIGITS);
	assert_string(x, "D6", "0934-1234567");
	free(x);
}

Test(xlsx, number_columns_hold_numbers_only_when_whole)
{
	char	*x;

	write_three();
	x = sheet();
	assert_number(x, "F4", "12");
	assert_string(x, "F5", "12a");
	/* A leading zero is a code, not a number: "007" stays as typed. */
	assert_string(x, "F6", "007");
	free(x);
}

Test(xlsx, number_parsing_is_strict)
{
	static const char *const cells[][2] = {
		{ "-3.5", "-3.5" }, { "0", "0" }, { "0.25", "0.25" },
		{ "1e3", "1000" }, { "1234567890", "1234567890" },
	};
	static const char *const text[] = {
		" 12", "12 ", "+1", ".5", "5.", "1.2.3", "0x1A", "inf", "nan",
		"1e999", "1,234", "1234567890123456", "-", "１２",
	};
	const char		*r[NCOLS] = { 0 };
	struct xlsx_ledger	*l = open_sample();
	char			*x, ref[16];
	size_t			 i, n = 0;

	for (i = 0; i < NELEM(cells); i++, n++) {
		r[4] = cells[i][0];
		cr_assert_eq(xlsx_ledger_row(l, r), 0);
	}
	for (i = 0; i < NELEM(text); i++) {
		r[4] = text[i];
		cr_assert_eq(xlsx_ledger_row(l, r), 0);
	}
	cr_assert_eq(xlsx_ledger_close(l), 0);
	x = sheet();
	for (i = 0; i < NELEM(cells); i++) {
		snprintf(ref, sizeof(ref), "F%zu", i + 4);
		assert_number(x, ref, cells[i][1]);
	}
	for (i = 0; i < NELEM(text); i++) {
		snprintf(ref, sizeof(ref), "F%zu", n + i + 4);
		assert_string(x, ref, text[i]);
	}
	free(x);
}

Test(xlsx, empty_cells_keep_their_borders)
{
	char	*x, *c;

	write_three();
	x = sheet();
	/* NULL and "" are blank cells with the bordered style. */
	c = cell(x, "G5");
	cr_assert(strstr(c, " s=\""), "%s", c);
	cr_assert_null(strstr(c, "<t>"), "%s", c);
	free(c);
	c = cell(x, "D5");
	cr_assert(strstr(c, " s=\""), "%s", c);
	free(c);
	free(x);
}

Test(xlsx, signature_footer_follows_the_last_record)
{
	char	*x, *r;

	write_three();
	x = sheet();
	r = row(x, 7);
	cr_assert(strstr(r, "<t>填报人：</t>"), "%s", r);
	cr_assert(strstr(r, "<t>审核人：</t>"), "%s", r);
	cr_assert(strstr(r, "<t>单位负责人（签字）：</t>"), "%s", r);
	cr_assert(strstr(r, "填报人") < strstr(r, "审核人"));
	cr_assert(strstr(r, "审核人") < strstr(r, "单位负责人"));
	cr_assert_null(strstr(x, "<row r=\"8\""));
	free(r);
	free(x);
}

Test(xlsx, empty_ledger_still_has_heads_and_footer)
{
	struct xlsx_ledger	*l = open_sample();
	char			*x, *r;

	cr_assert_eq(xlsx_ledger_close(l), 0);
	x = sheet();
	assert_string(x, "A3", "序号");
	r = row(x, 4);
	cr_assert(strstr(r, "填报人："), "%s", r);
	free(r);
	free(x);
}

Test(xlsx, one_column_ledger_still_splits_row_two_and_footer)
{
	static const struct xlsx_col one[] = { { "姓名", 10, XLSX_TEXT } };
	static const char *const r[] = { "王某" };
	struct xlsx_ledger	*l;
	char			*x, *f;

	l = xlsx_ledger_open(path, NULL, "名单", "某村", "2026年1月5日",
	    one, 1);
	cr_assert_not_null(l);
	cr_assert_eq(xlsx_ledger_row(l, r), 0);
	cr_assert_eq(xlsx_ledger_close(l), 0);
	x = sheet();
	cr_assert(strstr(x, "<mergeCell ref=\"A1:B1\"/>"));
	assert_string(x, "A2", "填报单位：某村");
	assert_string(x, "B2", "填报时间：2026年1月5日");
	f = row(x, 5);
	cr_assert(strstr(f, "单位负责人（签字）："), "%s", f);
	free(f);
	free(x);
}

Test(xlsx, rows_get_heights_that_fit)
{
	char	*x, *r;

	write_three();
	x = sheet();
	r = row(x, 3);
	cr_assert(strstr(r, "customHeight=\"1\""), "%s", r);
	free(r);
	/* A one-line record gets room to read... */
	r = row(x, 5);
	cr_assert(strstr(r, "ht=\"20\" customHeight=\"1\""), "%s", r);
	free(r);
	/*
	 * ...and a wrapped one a line height per line, since LibreOffice
	 * does not fit rows to their text when it opens a file.
	 */
	r = row(x, 6);
	cr_assert(strstr(r, "ht=\"35\" customHeight=\"1\""), "%s", r);
	free(r);
	free(x);
}

/* Print setup */

Test(xlsx, prints_a4_landscape_one_page_wide)
{
	char	*x;

	write_three();
	x = sheet();
	cr_assert(strstr(x, "orientation=\"landscape\""), "%s", x);
	cr_assert(strstr(x, "paperSize=\"9\""));
	cr_assert(strstr(x, "<pageSetUpPr fitToPage=\"1\"/>"));
	/* fitToWidth defaults to 1 and is left out; height is unlimited. */
	cr_assert(strstr(x, "fitToHeight=\"0\""));
	cr_assert(strstr(x, "fitToWidth=\"1\"") ||
	    !strstr(x, "fitToWidth="));
	cr_assert(strstr(x, "<pageMargins left=\"0.5\" right=\"0.5\""));
	cr_assert(strstr(x, "<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页"
	    "</oddFooter>"), "%s", x);
	free(x);
}

Test(xlsx, column_heads_repeat_on_every_page)
{
	char	*w;

	write_three();
	w = part("xl/workbook.xml");
	cr_assert(strstr(w, "<definedName name=\"_xlnm.Print_Titles\" "
	    "localSheetId=\"0\">'信访台账'!$3:$3</definedName>"), "%s", w);
	cr_assert(strstr(w, "<sheet name=\"信访台账\""));
	free(w);
}

Test(xlsx, column_widths_follow_the_spec)
{
	char	*x;

	write_three();
	x = sheet();
	/* libxlsxwriter adds Excel's padding of 0.71 to each width. */
	cr_assert(strstr(x, "<col min=\"1\" max=\"1\" width=\"6.7"), "%s", x);
	cr_assert(strstr(x, "<col min=\"4\" max=\"4\" width=\"13.7"));
	cr_assert(strstr(x, "<col min=\"7\" max=\"7\" width=\"30.7"));
	cr_assert(strstr(x, "<pane ySplit=\"3\""), "heads frozen: %s", x);
	free(x);
}

Test(xlsx, styles_use_cjk_fonts_and_a_blue_head)
{
	char	*s;

	write_three();
	s = part("xl/styles.xml");
	cr_assert(strstr(s, "<name val=\"宋体\"/>"), "%s", s);
	cr_assert(strstr(s, "<b/><sz val=\"18\"/><color theme=\"1\"/>"
	    "<name val=\"黑体\"/>"), "%s", s);
	cr_assert(strstr(s, "<fgColor rgb=\"FFDCE6F2\"/>"), "%s", s);
	cr_assert(strstr(s, "<left style=\"thin\">"), "%s", s);
	cr_assert(strstr(s, "wrapText=\"1\""), "%s", s);
	cr_assert(strstr(s, "formatCode=\"@\""), "%s", s);
	free(s);
}

/* Text */

Test(xlsx, chinese_text_round_trips)
{
	static const char	*text = "《关于𠀀村道修复的请示》：“急”，"
	    "含 <b>&amp; 符号";
	const char		*r[NCOLS] = { "XF-1", "欧阳某某" };
	struct xlsx_ledger	*l = open_sample();
	char			*x;

	r[5] = text;
	cr_assert_eq(xlsx_ledger_row(l, r), 0);
	cr_assert_eq(xlsx_ledger_close(l), 0);
	x = sheet();
	assert_string(x, "C4", "欧阳某某");
	assert_string(x, "G4", "《关于𠀀村道修复的请示》：“急”，"
	    "含 &lt;b&gt;&amp;amp; 符号");
	free(x);
}

Test(xlsx, control_characters_are_dropped)
{
	const char		*r[NCOLS] = { "A\x01" "B\x1b" "C\r", "x\x7f"
	    "y", "\xc2\x85z" };
	struct xlsx_ledger	*l = open_sample();
	char			*x;

	r[5] = "一\t二\n三\x0c";
	cr_assert_eq(xlsx_ledger_row(l, r), 0);
	cr_assert_eq(xlsx_ledger_close(l), 0);
	x = sheet();
	assert_string(x, "B4", "ABC");
	assert_string(x, "C4", "xy");
	assert_string(x, "D4", "z");
	assert_string(x, "G4", "一\t二\n三");
	free(x);
}

Test(xlsx, bad_utf8_becomes_replacement_characters)
{
	const char		*r[NCOLS] = { "a\xff" "b", "\xe4\xb8" };
	struct xlsx_ledger	*l = open_sample();
	char			*x;

	cr_assert_eq(xlsx_ledger_row(l, r), 0);
	cr_assert_eq(xlsx_ledger_close(l), 0);
	x = sheet();
	assert_string(x, "B4", "a\xef\xbf\xbd" "b");
	assert_string(x, "C4", "\xef\xbf\xbd\xef\xbf\xbd");
	free(x);
}

Test(xlsx, text_past_excels_limit_is_cut)
{
	const char		*r[NCOLS] = { "XF-1" };
	struct xlsx_ledger	*l = open_sample();
	struct buf		 b;
	char			*x, *c, *p;
	size_t			 i, n = 0;

	buf_init(&b, 0);
	for (i = 0; i < 40000; i++)
		buf_lit(&b, "汉");
	r[5] = b.data;
	cr_assert_eq(xlsx_ledger_row(l, r), 0);
	buf_release(&b);
	cr_assert_eq(xlsx_ledger_close(l), 0);
	x = sheet();
	c = cell(x, "G4");
	for (p = strstr(c, "汉"); p != NULL; p = strstr(p + 3, "汉"))
		n++;
	cr_assert_eq(n, 32767);
	free(c);
	free(x);
}

/* Failures */

/* Open descriptors of this process. */
static int
nfds(void)
{
	DIR	*d = opendir("/proc/self/fd");
	int	 n = 0;

	cr_assert_not_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

Test(xlsx, bad_path_fails_at_open)
{
	char	 p[400];

	snprintf(p, sizeof(p), "%s/no/such/dir/l.xlsx", dir);
	cr_assert_null(xlsx_ledger_open(p, NULL, "t", NULL, NULL, cols,
	    NCOLS));
}

Test(xlsx, bad_arguments_fail_at_open)
{
	cr_assert_null(xlsx_ledger_open(path, NULL, "t", NULL, NULL, cols,
	    0));
	cr_assert_null(xlsx_ledger_open(path, NULL, "t", NULL, NULL, NULL,
	    1));
	cr_assert_neq(access(path, F_OK), 0);
}

Test(xlsx, bad_sheet_name_fails_and_leaves_nothing)
{
	int	 before;

	before = nfds();
	cr_assert_null(xlsx_ledger_open(path, "台账[2026]", "t", NULL, NULL,
	    cols, NCOLS));
	cr_assert_null(xlsx_ledger_open(path,
	    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二",
	    "t", NULL, NULL, cols, NCOLS));
	cr_assert_neq(access(path, F_OK), 0, "a file was left behind");
	cr_assert_eq(nfds(), before, "a descriptor was left open");
}

Test(xlsx, unwritable_file_fails_at_close)
{
	struct xlsx_ledger	*l = open_sample();
	static const char *const r[NCOLS] = { "XF-1" };

	cr_assert_eq(xlsx_ledger_row(l, r), 0);
	/* Someone puts a directory where the file is to go. */
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(mkdir(path, 0700), 0);
	cr_assert_eq(xlsx_ledger_close(l), -1);
}

Test(xlsx, missing_cells_fail_the_whole_ledger)
{
	struct xlsx_ledger	*l = open_sample();
	static const char *const r[NCOLS] = { "XF-1" };
	int			 before;

	before = nfds();
	cr_assert_eq(xlsx_ledger_row(l, r), 0);
	cr_assert_eq(xlsx_ledger_row(l, NULL), -1);
	/* Later rows are refused and nothing is written. */
	cr_assert_eq(xlsx_ledger_row(l, r), -1);
	cr_assert_eq(xlsx_ledger_close(l), -1);
	cr_assert_neq(access(path, F_OK), 0, "a partial ledger was left");
	cr_assert(nfds() <= before, "a descriptor was left open");
	cr_assert_eq(xlsx_ledger_close(NULL), -1);
}

/* Size */

/* Bytes of heap in use. */
static size_t
heap_in_use(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return __sanitizer_get_current_allocated_bytes();
#else
	return mallinfo2().uordblks;
#endif
}

Test(xlsx, hundred_thousand_rows_in_flat_memory, .timeout = 300)
{
	struct xlsx_ledger	*l = open_sample();
	const char		*r[NCOLS];
	char			 no[32], cmd[600], *tail;
	struct timespec		 t0, t1;
	struct rusage		 ru;
	struct stat		 st;
	size_t			 heap1k = 0, heap100k;
	unsigned		 i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r[0] = no;
	r[1] = "张某某";
	r[2] = PHONE;
	r[3] = ID_X;
	r[4] = "3";
	r[5] = "村道损坏，雨天积水，群众出行不便，请求尽快修复。";
	for (i = 1; i <= 100000; i++) {
		snprintf(no, sizeof(no), "XF-2026-%06u", i);
		cr_assert_eq(xlsx_ledger_row(l, r), 0);
		if (i == 1000)
			heap1k = heap_in_use();
	}
	heap100k = heap_in_use();
	cr_assert_eq(xlsx_ledger_close(l), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru);
	cr_assert_eq(stat(path, &st), 0);
	fprintf(stderr, "xlsx: 100000 rows in %.2f s, %lld bytes, heap "
	    "%zu bytes at row 1000 and %zu at row 100000, peak RSS %ld KiB\n",
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, (long long)st.st_size,
	    heap1k, heap100k, ru.ru_maxrss);
	/* Flat: 99,000 more rows may not hold on to even 64 KiB. */
	cr_assert(heap100k < heap1k + 65536, "heap grew from %zu to %zu",
	    heap1k, heap100k);

	snprintf(cmd, sizeof(cmd), "unzip -p '%s' xl/worksheets/sheet1.xml "
	    "| tail -c 3000", path);
	tail = run(cmd);
	cr_assert(strstr(tail, "<c r=\"A100003\" s=\""), "%s", tail);
	cr_assert(strstr(tail, "<v>100000</v>"), "%s", tail);
	cr_assert(strstr(tail, "<t>XF-2026-100000</t>"), "%s", tail);
	cr_assert(strstr(tail, "<row r=\"100004\""), "%s", tail);
	cr_assert(strstr(tail, "单位负责人（签字）："), "%s", tail);
	free(tail);
}

/*
 * A ten-row petition ledger to look at.  Set XZ_XLSX_SAMPLE to a path to
 * keep it, e.g. to print it with LibreOffice.
 */
Test(xlsx, sample_petition_ledger)
{
	static const struct xlsx_col pc[] = {
		{ "编号", 13, XLSX_TEXT },
		{ "信访人", 9, XLSX_TEXT },
		{ "联系电话", 13, XLSX_TEXT },
		{ "来访时间", 17, XLSX_TEXT },
		{ "信访事项", 34, XLSX_WRAP },
		{ "责任部门", 12, XLSX_TEXT },
		{ "包案领导", 9, XLSX_TEXT },
		{ "办理期限", 12, XLSX_TEXT },
		{ "办理情况", 26, XLSX_WRAP },
	};
	static const char *const rows[10][9] = {
		{ "XF-2026-0001", "张某某", "10012345678", "2026-01-05 09时",
		    "反映龙咀子村三组村道路面破损，雨天积水，群众出行不便，"
		    "请求尽快修复。", "乡村振兴办", "王某",
		    "2026-03-06", "已转办，现场查看，列入春季维修计划。" },
		{ "XF-2026-0002", "匿名", "10012345679", "2026-01-06 10时",
		    "反映某养殖场粪污直排，影响周边饮水安全。",
		    "生态环境站", "李某", "2026-03-07",
		    "现场处理，已责令整改。" },
		{ "XF-2026-0003", "李某某", "10012345680", "2026-01-07 15时",
		    "请求解决低保认定问题。", "社会事务办", "赵某",
		    "2026-03-08", "已受理，正在入户核查。" },
		{ "XF-2026-0004", "王某", "10012345681", "2026-01-08 11时",
		    "反映土地承包经营权纠纷，邻户越界耕种。",
		    "农业农村办", "孙某", "2026-03-09",
		    "已组织双方调解，达成一致意见，回访满意。" },
		{ "XF-2026-0005", "赵某某", "10012345682", "2026-01-09 09时",
		    "反映务工工资被拖欠三个月。", "司法所", "周某",
		    "2026-03-10", "转县人社局劳动监察大队。" },
		{ "XF-2026-0006", "某女士", "10012345683", "2026-01-12 14时",
		    "反映村委会公示的惠民资金发放名单有误。", "纪检监察室",
		    "吴某", "2026-03-13", "" },
		{ "XF-2026-0007", "孙某", "10012345684", "2026-01-13 16时",
		    "请求为南邑村安装路灯。", "乡村振兴办", "王某",
		    "2026-03-14", "已纳入年度项目库。" },
		{ "XF-2026-0008", "周某某", "10012345685", "2026-01-14 10时",
		    "反映宅基地审批进度缓慢。", "自然资源所", "郑某",
		    "2026-03-15", "已告知办理流程及所需材料。" },
		{ "XF-2026-0009", "吴某", "10012345686", "2026-01-15 08时",
		    "反映冬季供暖不足，室温低于十六度。", "社会事务办",
		    "赵某", "2026-03-16", "协调供暖单位检修管网，已恢复。" },
		{ "XF-2026-0010", "郑某某", "10012345687", "2026-01-16 11时",
		    "反映校车接送时间不合理。", "教育办", "冯某",
		    "2026-03-17", "正在办理。" },
	};
	const char		*keep = getenv("XZ_XLSX_SAMPLE");
	struct xlsx_ledger	*l;
	char			*x, *r;
	size_t			 i;

	if (keep != NULL && *keep != '\0')
		snprintf(path, sizeof(path), "%s", keep);
	l = xlsx_ledger_open(path, "信访台账", "青阳镇信访事项登记台账",
	    "青阳镇人民政府", "2026年1月16日", pc, NELEM(pc));
	cr_assert_not_null(l);
	for (i = 0; i < NELEM(rows); i++)
		cr_assert_eq(xlsx_ledger_row(l, rows[i]), 0);
	cr_assert_eq(xlsx_ledger_close(l), 0);
	x = sheet();
	cr_assert(strstr(x, "<mergeCell ref=\"A1:J1\"/>"));
	assert_number(x, "A13", "10");
	assert_string(x, "D13", "10012345687");
	r = row(x, 14);
	cr_assert(strstr(r, "单位负责人（签字）："), "%s", r);
	free(r);
	free(x);
}

/* import.c: people from a spreadsheet saved as CSV (UTF-8 or GBK). */
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <csv.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "db/db.h"
#include "org/import.h"
#include "org/validate.h"

/*
 * The columns we know, with the names users give them.  Headers are
 * compared after dropping spaces (ASCII and full-width) anywhere, asterisks
 * ("*姓名" marks a required column in many templates), a trailing colon
 * and a trailing remark in brackets ("性别（男/女）").
 */
enum col {
	COL_SEQ,
	COL_NAME,
	COL_SEX,
	COL_BIRTH,
	COL_KIND,
	COL_VILLAGE,
	COL_GROUP,
	COL_ADDRESS,
	COL_PHONE,
	COL_IDNO,
	COL_NOTE,
	COL__MAX
};

/* Column index markers besides enum col. */
enum { COL_NONE = -1, COL_UNNAMED = -2, COL_UNKNOWN = -3 };

static const struct {
	const char	*name;
	enum col	 col;
} col_names[] = {
	{ "序号", COL_SEQ },
	{ "编号", COL_SEQ },
	{ "姓名", COL_NAME },
	{ "名字", COL_NAME },
	{ "人员姓名", COL_NAME },
	{ "干部姓名", COL_NAME },
	{ "性别", COL_SEX },
	{ "出生年份", COL_BIRTH },
	{ "出生年月", COL_BIRTH },
	{ "出生日期", COL_BIRTH },
	{ "出生年月日", COL_BIRTH },
	{ "出生年", COL_BIRTH },
	{ "类别", COL_KIND },
	{ "人员类别", COL_KIND },
	{ "人员类型", COL_KIND },
	{ "类型", COL_KIND },
	{ "所属村", COL_VILLAGE },
	{ "村", COL_VILLAGE },
	{ "村别", COL_VILLAGE },
	{ "村名", COL_VILLAGE },
	{ "所在村", COL_VILLAGE },
	{ "组", COL_GROUP },
	{ "村民小组", COL_GROUP },
	{ "所属组", COL_GROUP },
	{ "组别", COL_GROUP },
	{ "小组", COL_GROUP },
	{ "所在组", COL_GROUP },
	{ "社", COL_GROUP },
	{ "住址", COL_ADDRESS },
	{ "家庭住址", COL_ADDRESS },
	{ "地址", COL_ADDRESS },
	{ "现住址", COL_ADDRESS },
	{ "家庭地址", COL_ADDRESS },
	{ "居住地址", COL_ADDRESS },
	{ "联系电话", COL_PHONE },
	{ "电话", COL_PHONE },
	{ "手机号", COL_PHONE },
	{ "手机号码", COL_PHONE },
	{ "手机", COL_PHONE },
	{ "电话号码", COL_PHONE },
	{ "联系方式", COL_PHONE },
	{ "身份证号", COL_IDNO },
	{ "身份证号码", COL_IDNO },
	{ "公民身份号码", COL_IDNO },
	{ "身份证", COL_IDNO },
	{ "身份证件号码", COL_IDNO },
	{ "备注", COL_NOTE },
};

#define KNOWN_COLUMNS	"序号、姓名、性别、出生年份、类别、所属村、组、住址、" \
			"联系电话、身份证号、备注"

/* Header words that make the whole file unacceptable. */
static const char *const password_words[] = {
	"密码", "口令", "password", "passwd", "pwd", NULL
};
static const char *const account_words[] = {	/* contained */
	"登录", "用户名", NULL
};
static const char *const account_names[] = {	/* whole header */
	"账号", "帐号", "账户", "帐户", "系统账号", "用户账号", "login",
	"username", "account", "user", "userid", NULL
};

static const char *const cn_digit[10] = {
	"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"
};

#define MAX_PREAMBLE	5	/* title rows allowed above the header */
#define SEEN_SLOTS	(1u << 16)	/* > 2 * IMPORT_MAX_ROWS */

/* A value seen in the file, for duplicates. */
struct seen {
	const char	*key;
	size_t		 line;
};

/* The parser's state while libcsv calls back. */
struct ctx {
	struct arena		*a;
	const json_t		*villages;
	struct import_report	*rep;
	int			 this_year;

	/* The record being read. */
	char			*cells[IMPORT_MAX_COLS];
	bool			 big[IMPORT_MAX_COLS];
	size_t			 ncells;
	size_t			 overflow;	/* filled cells past the cap */
	size_t			 line;		/* its row, as Excel counts */
	bool			 prev_cr;
	bool			 stop;

	/* The header. */
	bool			 have_header;
	int			 preamble;
	size_t			 ncols;
	int			 colmap[IMPORT_MAX_COLS];
	const char		*colname[IMPORT_MAX_COLS];
	int			 where[COL__MAX];

	/* Rows found valid. */
	struct import_person	*people;
	size_t			 n;
	size_t			 cap;
	struct seen		*phones;
	struct seen		*idnos;
};

void
import_report_init(struct import_report *r)
{
	memset(r, 0, sizeof(*r));
	r->errors = json_array();
}

void
import_report_release(struct import_report *r)
{
	json_decref(r->errors);
	r->errors = NULL;
}

/*
 * Add one error.  "line" 0 is the whole file; "column" (may be NULL) is
 * the user's column name.  The message becomes "第N行：「列」text", or
 * just the text when "plain" (a refusal of the whole file).
 */
static void
report_addv(struct import_report *r, size_t line, bool plain,
    const char *column, const char *fmt, va_list ap)
{
	struct buf	 b;

	r->nerrors++;
	if (json_array_size(r->errors) >= IMPORT_MAX_ERRORS)
		return;
	buf_init(&b, 8192);
	if (line > 0 && !plain)
		buf_addf(&b, "第%zu行：", line);
	if (column != NULL && !plain)
		buf_addf(&b, "「%s」", column);
	buf_vaddf(&b, fmt, ap);
	json_array_append_new(r->errors, json_pack("{sI ss? ss}",
	    "line", (json_int_t)line, "column", column, "message", b.data));
	buf_release(&b);
}

static void report_add(struct import_report *, size_t line,
    const char *column, const char *fmt, ...) PRINTFLIKE(4, 5);
static void report_refuse(struct import_report *, size_t line,
    const char *column, const char *fmt, ...) PRINTFLIKE(4, 5);

static void
report_add(struct import_report *r, size_t line, const char *column,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	report_addv(r, line, false, column, fmt, ap);
	va_end(ap);
}

static void
report_refuse(struct import_report *r, size_t line, const char *column,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	report_addv(r, line, true, column, fmt, ap);
	va_end(ap);
}

void
import_report_add(struct import_report *r, size_t line, const char *column,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	report_addv(r, line, false, column, fmt, ap);
	va_end(ap);
}

/*
 * Bytes of blank at "s": ASCII space, tab, CR and LF, and the blanks that
 * come with Chinese text: U+3000 (full-width space), U+00A0, U+200B and a
 * stray U+FEFF.  0 if "s" does not start with one.
 */
static size_t
blank_len(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;

	if (u[0] == ' ' || u[0] == '\t' || u[0] == '\r' || u[0] == '\n')
		return 1;
	if (u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	if (u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0x8b)
		return 3;
	if (u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		return 3;
	return 0;
}

/* Length of the character at "s" (valid UTF-8, NUL-terminated). */
static size_t
char_len(const char *s)
{
	size_t	 n = 0, k;

	while (n < 4 && s[n] != '\0')
		n++;
	k = utf8_seqlen(s, n);
	return k == 0 ? 1 : k;
}

/* "s" without blanks at either end, in the arena. */
static char *
trim(struct arena *a, const char *s)
{
	size_t	 i = 0, start, end, k;

	for (;;) {
		k = blank_len(s + i);
		if (k == 0)
			break;
		i += k;
	}
	start = end = i;
	while (s[i] != '\0') {
		k = blank_len(s + i);
		if (k > 0) {
			i += k;
			continue;
		}
		i += char_len(s + i);
		end = i;
	}
	return arena_strndup(a, s + start, end - start);
}

/*
 * A header as the user wrote it, for messages: no blanks anywhere (two-
 * character headers are often padded, "姓  名"), no asterisks, no
 * trailing colon.
 */
static char *
header_clean(struct arena *a, const char *s)
{
	struct buf	 b;
	char		*out;
	size_t		 i = 0, k;

	buf_init(&b, 0);
	while (s[i] != '\0') {
		k = blank_len(s + i);
		if (k > 0) {
			i += k;
			continue;
		}
		if (s[i] == '*') {
			i++;
			continue;
		}
		if (strncmp(s + i, "＊", 3) == 0) {
			i += 3;
			continue;
		}
		k = char_len(s + i);
		buf_add(&b, s + i, k);
		i += k;
	}
	if (b.len > 0 && b.data[b.len - 1] == ':')
		buf_truncate(&b, b.len - 1);
	else if (b.len >= 3 && strcmp(b.data + b.len - 3, "：") == 0)
		buf_truncate(&b, b.len - 3);
	out = arena_strndup(a, b.data, b.len);
	buf_release(&b);
	return out;
}

/* The cleaned header without a trailing remark in brackets. */
static char *
header_key(struct arena *a, const char *clean)
{
	const char	*p, *q;
	size_t		 cut = strlen(clean);

	p = strchr(clean, '(');
	q = strstr(clean, "（");
	if (p != NULL && (size_t)(p - clean) < cut)
		cut = (size_t)(p - clean);
	if (q != NULL && (size_t)(q - clean) < cut)
		cut = (size_t)(q - clean);
	if (cut == 0)
		cut = strlen(clean);
	return arena_strndup(a, clean, cut);
}

/* ASCII letters of "s" in lower case, in the arena. */
static char *
ascii_lower(struct arena *a, const char *s)
{
	char	*t = arena_strdup(a, s), *p;

	for (p = t; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return t;
}

static bool
contains_any(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strstr(s, *words) != NULL)
			return true;
	return false;
}

static bool
equals_any(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcmp(s, *words) == 0)
			return true;
	return false;
}

static int
col_of(const char *key)
{
	size_t	 i;

	for (i = 0; i < NELEM(col_names); i++)
		if (strcmp(key, col_names[i].name) == 0)
			return (int)col_names[i].col;
	return COL_UNKNOWN;
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Append "s" to the string in "out" (n bytes), truncating. */
static void
append(char *out, size_t n, const char *s)
{
	size_t	 len = strlen(out);

	if (len + 1 < n)
		str_copy(out + len, s, n - len);
}

/*
 * A village name compared without its "村" or "村委会" ending, so that
 * "龙咀子" finds 龙咀子村.
 */
static void
village_key(const char *s, char *out, size_t n)
{
	static const char *const ends[] = { "村民委员会", "村委会", "村" };
	size_t			 i, len;

	str_copy(out, s, n);
	for (i = 0; i < NELEM(ends); i++) {
		len = strlen(out);
		if (has_suffix(out, ends[i]) && len > strlen(ends[i])) {
			out[len - strlen(ends[i])] = '\0';
			break;
		}
	}
}

/*
 * A group name reduced to its number in Chinese: "三组", "第三组", "3组",
 * "三社" (Gansu says 社), "第3村民小组" all become "三".
 */
static void
group_key(const char *s, char *out, size_t n)
{
	static const char *const ends[] = { "村民小组", "小组", "组", "社",
	    "队" };
	char			 t[128];
	size_t			 i, len;
	int64_t			 v;

	if (strncmp(s, "第", 3) == 0 && s[3] != '\0')
		s += 3;
	str_copy(t, s, sizeof(t));
	for (i = 0; i < NELEM(ends); i++) {
		len = strlen(t);
		if (has_suffix(t, ends[i]) && len > strlen(ends[i])) {
			t[len - strlen(ends[i])] = '\0';
			break;
		}
	}
	if (str_to_int64(t, 1, 99, &v) != 0) {
		str_copy(out, t, n);
		return;
	}
	/* 3 → 三, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三. */
	out[0] = '\0';
	if (v >= 20)
		append(out, n, cn_digit[v / 10]);
	if (v >= 10)
		append(out, n, "十");
	if (v % 10 != 0)
		append(out, n, cn_digit[v % 10]);
}

/* Find a village (and its group) by the names in a row. */
static const json_t *
find_village(const json_t *villages, const char *name)
{
	const json_t	*v;
	char		 want[128], have[128];
	size_t		 i;

	village_key(name, want, sizeof(want));
	json_array_foreach(villages, i, v) {
		const char	*vn = json_string_value(json_object_get(v,
		    "name"));

		if (vn == NULL)
			continue;
		if (strcmp(vn, name) == 0)
			return v;
		village_key(vn, have, sizeof(have));
		if (strcmp(have, want) == 0)
			return v;
	}
	return NULL;
}

static const json_t *
find_group(const json_t *village, const char *name)
{
	const json_t	*g;
	char		 want[128], have[128];
	size_t		 i;

	group_key(name, want, sizeof(want));
	json_array_foreach(json_object_get(village, "groups"), i, g) {
		const char	*gn = json_string_value(json_object_get(g,
		    "name"));

		if (gn == NULL)
			continue;
		if (strcmp(gn, name) == 0)
			return g;
		group_key(gn, have, sizeof(have));
		if (strcmp(have, want) == 0)
			return g;
	}
	return NULL;
}

/* Names of a village's groups, "一组、二组", for a message. */
static char *
group_list(struct arena *a, const json_t *village)
{
	const json_t	*g;
	struct buf	 b;
	char		*out;
	size_t		 i;

	buf_init(&b, 1024);
	json_array_foreach(json_object_get(village, "groups"), i, g) {
		if (i > 0)
			buf_adds(&b, "、");
		buf_adds(&b, json_string_value(json_object_get(g, "name")));
	}
	out = arena_strdup(a, b.data);
	buf_release(&b);
	return out;
}

static char *
village_list(struct arena *a, const json_t *villages)
{
	const json_t	*v;
	struct buf	 b;
	char		*out;
	size_t		 i;

	buf_init(&b, 2048);
	json_array_foreach(villages, i, v) {
		if (i > 0)
			buf_adds(&b, "、");
		buf_adds(&b, json_string_value(json_object_get(v, "name")));
	}
	out = arena_strdup(a, b.data);
	buf_release(&b);
	return out;
}

/* Looks like Excel's scientific notation: "1.00123E+10", "6.2E17". */
static bool
looks_scientific(const char *s)
{
	size_t	 i = 0, d = 0;

	while (s[i] >= '0' && s[i] <= '9') {
		i++;
		d++;
	}
	if (s[i] == '.') {
		i++;
		while (s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (d == 0 || (s[i] != 'E' && s[i] != 'e'))
		return false;
	i++;
	if (s[i] == '+' || s[i] == '-')
		i++;
	if (s[i] < '0' || s[i] > '9')
		return false;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	return s[i] == '\0';
}

/* Digits followed by ".0" (or ".00"): a number Excel saved as a float. */
static bool
looks_float(const char *s)
{
	size_t	 i = 0;

	while (s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0 || s[i] != '.' || s[i + 1] != '0')
		return false;
	for (i++; s[i] == '0'; i++)
		;
	return s[i] == '\0';
}

/*
 * A phone or ID number as typed: full-width digits and X become ASCII,
 * blanks inside are dropped, and the ="..." wrapper some systems use to
 * keep Excel from reading it as a number is removed.
 */
static char *
number_text(struct arena *a, const char *s)
{
	struct buf	 b;
	const unsigned char *u;
	char		*out;
	size_t		 i = 0, k, n = strlen(s);

	if (n >= 3 && s[0] == '=' && s[1] == '"' && s[n - 1] == '"') {
		s += 2;
		n -= 3;
	}
	if (n > 0 && s[0] == '\'') {
		s++;
		n--;
	}
	buf_init(&b, 4096);
	while (i < n) {
		u = (const unsigned char *)s + i;
		k = blank_len(s + i);
		if (k > 0) {
			i += k;
			continue;
		}
		if (n - i >= 3 && u[0] == 0xef && u[1] == 0xbc &&
		    u[2] >= 0x90 && u[2] <= 0x99) {
			buf_addc(&b, (char)('0' + (u[2] - 0x90)));
			i += 3;
			continue;
		}
		if (n - i >= 3 && u[0] == 0xef && ((u[1] == 0xbc &&
		    u[2] == 0xb8) || (u[1] == 0xbd && u[2] == 0x98))) {
			buf_addc(&b, 'X');	/* Ｘ or ｘ */
			i += 3;
			continue;
		}
		if (n - i >= 3 && memcmp(s + i, "－", 3) == 0) {
			buf_addc(&b, '-');
			i += 3;
			continue;
		}
		buf_addc(&b, s[i]);
		i++;
	}
	out = arena_strndup(a, b.data, b.len);
	buf_release(&b);
	return out;
}

/* Map "s" through a table of {text, value} pairs; NULL if absent. */
static const char *
lookup(const char *s, const char *const table[][2], size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(s, table[i][0]) == 0)
			return table[i][1];
	return NULL;
}

static const char *const sex_table[][2] = {
	{ "男", "M" }, { "男性", "M" }, { "M", "M" }, { "m", "M" },
	{ "女", "F" }, { "女性", "F" }, { "F", "F" }, { "f", "F" },
};
static const char *const kind_table[][2] = {
	{ "干部", "cadre" }, { "村干部", "cadre" }, { "乡干部", "cadre" },
	{ "镇干部", "cadre" }, { "乡镇干部", "cadre" },
	{ "群众", "citizen" }, { "村民", "citizen" }, { "居民", "citizen" },
	{ "农民", "citizen" },
};

/*
 * The year of a birth date as typed: 1980, 1980.01, 1980年1月, 1980-1-5,
 * 198001, 19800105.  -1 if there is no year in it.
 */
static int
birth_year(const char *s, int64_t *y)
{
	size_t	 d = 0;
	int64_t	 v = 0;
	int	 i;

	while (s[d] >= '0' && s[d] <= '9')
		d++;
	if (d != 4 && d != 6 && d != 8)
		return -1;
	if (d == 4 && s[d] != '\0' && s[d] != '.' && s[d] != '-' &&
	    s[d] != '/' && strncmp(s + d, "年", 3) != 0)
		return -1;
	if (d != 4 && s[d] != '\0')
		return -1;
	for (i = 0; i < 4; i++)
		v = v * 10 + (s[i] - '0');
	*y = v;
	return 0;
}

/* Remember "key" at "line"; the earlier line if it was seen, else 0. */
static size_t
seen_add(struct arena *a, struct seen **tab, const char *key, size_t line)
{
	uint32_t	 h = 2166136261u;
	const char	*p;
	size_t		 i;

	if (*tab == NULL)
		*tab = arena_alloc(a, SEEN_SLOTS * sizeof(**tab));
	for (p = key; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (i = h & (SEEN_SLOTS - 1); (*tab)[i].key != NULL;
	    i = (i + 1) & (SEEN_SLOTS - 1))
		if (strcmp((*tab)[i].key, key) == 0)
			return (*tab)[i].line;
	(*tab)[i].key = key;
	(*tab)[i].line = line;
	return 0;
}

const char *
import_header(struct arena *a, const char *s)
{
	return header_clean(a, s);
}

const char *
import_forbidden(struct arena *a, const char *header)
{
	char	*clean = header_clean(a, header), *lower;

	lower = ascii_lower(a, clean);
	if (contains_any(lower, password_words))
		return "password_column";
	lower = ascii_lower(a, header_key(a, clean));
	if (contains_any(lower, account_words) ||
	    equals_any(lower, account_names))
		return "account_column";
	return NULL;
}

/* The cell of column "c" in the current record, trimmed; "" if none. */
static const char *
cell(struct ctx *c, int col)
{
	int	 i = c->where[col];

	if (i < 0 || (size_t)i >= c->ncells)
		return "";
	return c->cells[i];
}

static const char *
colname(struct ctx *c, int col)
{
	return c->colname[c->where[col]];
}

static void
check_header(struct ctx *c)
{
	char	*key;
	size_t	 i, j;
	int	 col;

	c->ncols = c->ncells;
	for (i = 0; i < COL__MAX; i++)
		c->where[i] = COL_NONE;
	for (i = 0; i < c->ncols; i++)
		c->colname[i] = header_clean(c->a, c->cells[i]);

	/* Password columns first: the file is refused whatever else. */
	for (i = 0; i < c->ncols; i++) {
		if (str_eq(import_forbidden(c->a, c->colname[i]),
		    "password_column")) {
			report_refuse(c->rep, c->line, c->colname[i],
			    "文件含有“密码”列（第%zu列），系统拒绝导入密码。"
			    "请删除该列后重新导入；账号由系统管理员创建，"
			    "本人通过一次性激活链接设置密码。", i + 1);
			c->rep->refused = "password_column";
			c->stop = true;
			return;
		}
	}
	for (i = 0; i < c->ncols; i++) {
		if (import_forbidden(c->a, c->colname[i]) != NULL) {
			report_refuse(c->rep, c->line, c->colname[i],
			    "文件含有“账号”列（第%zu列）：这里只导入人员信息，"
			    "不导入账号。请删除该列后重新导入；账号由系统管理员"
			    "在系统中创建，本人通过一次性激活链接设置密码。",
			    i + 1);
			c->rep->refused = "account_column";
			c->stop = true;
			return;
		}
	}

	for (i = 0; i < c->ncols; i++) {
		if (c->colname[i][0] == '\0') {
			c->colmap[i] = COL_UNNAMED;
			continue;
		}
		key = header_key(c->a, c->colname[i]);
		col = col_of(key);
		c->colmap[i] = col;
		if (col == COL_UNKNOWN) {
			report_add(c->rep, c->line, c->colname[i],
			    "是无法识别的列（第%zu列）。可导入的列：%s。"
			    "请删除该列或改用这些列名后重新导入"
			    "（其他信息可以写在“备注”里）。",
			    i + 1, KNOWN_COLUMNS);
			continue;
		}
		if (c->where[col] != COL_NONE) {
			j = (size_t)c->where[col];
			report_add(c->rep, c->line, c->colname[i],
			    "与第%zu列「%s」是同一项（第%zu列），"
			    "请只保留一列。", j + 1, c->colname[j], i + 1);
			c->colmap[i] = COL_UNKNOWN;
			continue;
		}
		c->where[col] = (int)i;
	}
	if (c->where[COL_NAME] == COL_NONE) {
		report_add(c->rep, c->line, NULL,
		    "缺少“姓名”列。第一行应为列名，例如：序号,姓名,性别,"
		    "出生年份,类别,所属村,组,住址,联系电话,身份证号,备注");
		c->stop = true;
	}
}

/* Is this row a title above the header ("XX村干部花名册")? */
static bool
is_title(struct ctx *c)
{
	size_t	 i, filled = 0;
	char	*lower;

	for (i = 0; i < c->ncells; i++) {
		if (c->cells[i][0] == '\0')
			continue;
		filled++;
		lower = ascii_lower(c->a, header_clean(c->a, c->cells[i]));
		if (col_of(header_key(c->a, lower)) != COL_UNKNOWN ||
		    contains_any(lower, password_words) ||
		    contains_any(lower, account_words) ||
		    equals_any(lower, account_names))
			return false;
	}
	return filled <= 2;
}

static void
row_error(struct ctx *c, bool *bad, int col, const char *msg)
{
	report_add(c->rep, c->line, colname(c, col), "%s", msg);
	*bad = true;
}

static void
check_phone(struct ctx *c, struct person_in *in, bool *bad)
{
	const char	*v = cell(c, COL_PHONE);
	char		*t, digits[12];
	size_t		 prev;

	if (*v == '\0')
		return;
	t = number_text(c->a, v);
	if (looks_scientific(t)) {
		row_error(c, bad, COL_PHONE, "被 Excel 显示成了科学计数法"
		    "（如 1.23E+10），号码的后几位已经丢失。请在 Excel 中把"
		    "该列设置为“文本”格式，重新填写号码后再导出。");
		return;
	}
	if (looks_float(t)) {
		row_error(c, bad, COL_PHONE, "末尾多了“.0”（Excel 把号码当成了"
		    "小数）。请把该列设置为“文本”格式后重新导出。");
		return;
	}
	if (strpbrk(t, "/,;") != NULL || strstr(t, "、") != NULL ||
	    strstr(t, "，") != NULL || strstr(t, "；") != NULL) {
		row_error(c, bad, COL_PHONE, "只能填一个手机号码，"
		    "其他号码请写在“备注”里。");
		return;
	}
	if (phone_normalise(t, digits) != 0) {
		row_error(c, bad, COL_PHONE, "应为 11 位手机号码（以 1 开头）；"
		    "固定电话请写在“备注”里。");
		return;
	}
	in->phone = arena_strdup(c->a, digits);
	prev = seen_add(c->a, &c->phones, in->phone, c->line);
	if (prev != 0) {
		report_add(c->rep, c->line, colname(c, COL_PHONE),
		    "与第%zu行的号码相同，同一号码只能登记一人。", prev);
		*bad = true;
	}
}

static void
check_idno(struct ctx *c, struct person_in *in, bool *bad)
{
	const char	*v = cell(c, COL_IDNO);
	char		*t, id[19];
	size_t		 prev, n;

	if (*v == '\0')
		return;
	t = number_text(c->a, v);
	n = strlen(t);
	if (looks_scientific(t)) {
		row_error(c, bad, COL_IDNO, "被 Excel 显示成了科学计数法"
		    "（如 6.21025E+17），号码的后几位已经丢失。请在 Excel 中"
		    "把该列设置为“文本”格式，重新填写号码后再导出。");
		return;
	}
	if (looks_float(t)) {
		row_error(c, bad, COL_IDNO, "末尾多了“.0”（Excel 把号码当成了"
		    "小数）。请把该列设置为“文本”格式后重新导出。");
		return;
	}
	if (n == 15 && strspn(t, "0123456789") == 15) {
		row_error(c, bad, COL_IDNO, "是旧的 15 位号码，"
		    "请填写 18 位公民身份号码。");
		return;
	}
	if (idno_normalise(t, id) != 0) {
		if (n == 18 && has_suffix(t, "000"))
			row_error(c, bad, COL_IDNO, "不是有效的身份证号：末尾"
			    "可能被 Excel 当成数字改成了 000。请把该列设置为"
			    "“文本”格式，重新填写号码后再导出。");
		else
			row_error(c, bad, COL_IDNO, "不是有效的 18 位身份证号"
			    "（位数、出生日期或最后一位校验码不对）。");
		return;
	}
	in->idno = arena_strdup(c->a, id);
	prev = seen_add(c->a, &c->idnos, in->idno, c->line);
	if (prev != 0) {
		report_add(c->rep, c->line, colname(c, COL_IDNO),
		    "与第%zu行的身份证号相同。", prev);
		*bad = true;
	}
}

/* Check one data row; add it to the people when it is valid. */
static void
check_row(struct ctx *c)
{
	struct person_in	 in;
	const json_t		*v = NULL, *g;
	const char		*s, *m;
	char			 idsex[2] = { 0, 0 };
	int64_t			 y, idyear = 0;
	size_t			 i;
	bool			 bad = false;

	memset(&in, 0, sizeof(in));
	c->rep->rows++;
	if (c->rep->rows > IMPORT_MAX_ROWS) {
		report_add(c->rep, c->line, NULL, "文件超过 %d 行，"
		    "请分成几个文件分别导入。", IMPORT_MAX_ROWS);
		c->stop = true;
		return;
	}

	/* Cells the header does not name, or too big to be right. */
	for (i = 0; i < c->ncells; i++) {
		if (c->big[i] && i < c->ncols &&
		    c->colmap[i] >= 0 && c->colmap[i] != COL_SEQ) {
			report_add(c->rep, c->line, c->colname[i],
			    "内容太长（超过 %d 字节）。", IMPORT_MAX_CELL);
			bad = true;
			c->cells[i] = (char *)"";
		}
		if (c->cells[i][0] == '\0')
			continue;
		if (i >= c->ncols || c->colmap[i] == COL_UNNAMED) {
			report_add(c->rep, c->line, NULL, "第%zu列有内容，"
			    "但这一列没有列名，无法确定是什么信息。", i + 1);
			bad = true;
		}
	}
	if (c->overflow > 0) {
		report_add(c->rep, c->line, NULL, "列数超过 %d 列。",
		    IMPORT_MAX_COLS);
		bad = true;
	}

	s = cell(c, COL_NAME);
	if (*s == '\0')
		row_error(c, &bad, COL_NAME, "不能为空。");
	else if (utf8_len(s) > 32)
		row_error(c, &bad, COL_NAME, "超过 32 个字。");
	else if (utf8_has_control(s, false))
		row_error(c, &bad, COL_NAME, "含有换行或控制字符。");
	else if (strchr(s, ':') != NULL || strstr(s, "：") != NULL)
		row_error(c, &bad, COL_NAME, "不像姓名（含有冒号）。如果这是"
		    "表尾的“填报人：”“审核人：”等，请删除这一行。");
	else
		in.name = s;

	check_idno(c, &in, &bad);
	if (in.idno != NULL) {
		idyear = (in.idno[6] - '0') * 1000 + (in.idno[7] - '0') * 100 +
		    (in.idno[8] - '0') * 10 + (in.idno[9] - '0');
		idsex[0] = (in.idno[16] - '0') % 2 == 1 ? 'M' : 'F';
	}

	s = cell(c, COL_SEX);
	if (*s != '\0') {
		m = lookup(s, sex_table, NELEM(sex_table));
		if (m == NULL) {
			report_add(c->rep, c->line, colname(c, COL_SEX),
			    "应为“男”或“女”，而不是“%s”。", s);
			bad = true;
		} else if (idsex[0] != '\0' && m[0] != idsex[0]) {
			report_add(c->rep, c->line, colname(c, COL_SEX),
			    "与身份证号不符（身份证号表明是%s性）。",
			    idsex[0] == 'M' ? "男" : "女");
			bad = true;
		} else {
			in.sex = m;
		}
	} else if (idsex[0] != '\0') {
		in.sex = idsex[0] == 'M' ? "M" : "F";
	}

	s = cell(c, COL_BIRTH);
	if (*s != '\0') {
		if (birth_year(s, &y) != 0 || y < 1900 || y > c->this_year) {
			report_add(c->rep, c->line, colname(c, COL_BIRTH),
			    "“%s”不是出生年份，请填写如 1980、1980.01 或 "
			    "1980-01-05。", s);
			bad = true;
		} else if (idyear != 0 && y != idyear) {
			report_add(c->rep, c->line, colname(c, COL_BIRTH),
			    "与身份证号中的出生年份（%lld）不符。",
			    (long long)idyear);
			bad = true;
		} else {
			in.birth_year = y;
		}
	} else if (idyear >= 1900 && idyear <= c->this_year) {
		in.birth_year = idyear;
	}

	s = cell(c, COL_KIND);
	if (*s == '\0') {
		in.kind = "citizen";
	} else {
		in.kind = lookup(s, kind_table, NELEM(kind_table));
		if (in.kind == NULL) {
			report_add(c->rep, c->line, colname(c, COL_KIND),
			    "应为“干部”或“群众”，而不是“%s”。", s);
			bad = true;
		}
	}

	s = cell(c, COL_VILLAGE);
	if (*s != '\0') {
		v = find_village(c->villages, s);
		if (v == NULL) {
			report_add(c->rep, c->line, colname(c, COL_VILLAGE),
			    "本乡没有“%s”。现有的村：%s。", s,
			    village_list(c->a, c->villages));
			bad = true;
		} else {
			in.village_id = json_integer_value(json_object_get(v,
			    "id"));
		}
	}
	s = cell(c, COL_GROUP);
	if (*s != '\0') {
		if (*cell(c, COL_VILLAGE) == '\0') {
			row_error(c, &bad, COL_GROUP, "填写了组，但没有填写"
			    "所属村。");
		} else if (v != NULL) {
			g = find_group(v, s);
			if (g == NULL) {
				report_add(c->rep, c->line,
				    colname(c, COL_GROUP), "%s没有“%s”。"
				    "该村的组：%s。",
				    json_string_value(json_object_get(v,
				    "name")), s, group_list(c->a, v));
				bad = true;
			} else {
				in.group_id = json_integer_value(
				    json_object_get(g, "id"));
			}
		}
	}

	s = cell(c, COL_ADDRESS);
	if (utf8_len(s) > 100)
		row_error(c, &bad, COL_ADDRESS, "超过 100 个字。");
	else if (utf8_has_control(s, false))
		row_error(c, &bad, COL_ADDRESS, "含有换行或控制字符。");
	else if (*s != '\0')
		in.address = s;

	check_phone(c, &in, &bad);

	s = cell(c, COL_NOTE);
	if (utf8_len(s) > 500)
		row_error(c, &bad, COL_NOTE, "超过 500 个字。");
	else if (utf8_has_control(s, true))
		row_error(c, &bad, COL_NOTE, "含有控制字符。");
	else if (*s != '\0')
		in.note = s;

	if (bad)
		return;
	c->rep->ok++;
	if (c->n == c->cap) {
		struct import_person	*p;

		c->cap = c->cap ? c->cap * 2 : 64;
		p = arena_alloc(c->a, c->cap * sizeof(*p));
		if (c->n > 0)
			memcpy(p, c->people, c->n * sizeof(*p));
		c->people = p;
	}
	c->people[c->n].line = c->line;
	c->people[c->n].in = in;
	c->n++;
}

/* A whole record has been read: the header, a title, a blank or a row. */
static void
end_record(struct ctx *c)
{
	size_t	 i;
	bool	 empty = true;

	for (i = 0; i < c->ncells; i++) {
		if (c->cells[i][0] == '\0')
			continue;
		if (c->have_header && i < c->ncols &&
		    c->colmap[i] == COL_SEQ)
			continue;	/* templates number empty rows */
		empty = false;
	}
	if (empty && c->overflow == 0)
		return;
	if (!c->have_header) {
		if (c->preamble < MAX_PREAMBLE && is_title(c)) {
			c->preamble++;
			return;
		}
		c->have_header = true;
		check_header(c);
		return;
	}
	check_row(c);
}

static void
on_field(void *data, size_t len, void *arg)
{
	struct ctx	*c = arg;

	if (c->stop)
		return;
	c->prev_cr = false;
	if (c->ncells == IMPORT_MAX_COLS) {
		if (len > 0)
			c->overflow++;
		return;
	}
	/* An oversized cell is kept as a mark, so the row is not blank. */
	c->big[c->ncells] = len > IMPORT_MAX_CELL;
	if (len > IMPORT_MAX_CELL)
		c->cells[c->ncells] = (char *)"…";
	else
		c->cells[c->ncells] = trim(c->a, data ? data : "");
	c->ncells++;
}

static void
on_record(int term, void *arg)
{
	struct ctx	*c = arg;

	if (c->stop)
		return;
	/* The LF of a CRLF ends nothing: CSV_REPALL_NL reports both. */
	if (term == '\n' && c->prev_cr && c->ncells == 0) {
		c->prev_cr = false;
		return;
	}
	end_record(c);
	c->ncells = 0;
	c->overflow = 0;
	c->line++;
	c->prev_cr = term == '\r';
}

/*
 * Text that is UTF-8 with a few damaged bytes, rather than GBK: GBK byte
 * pairs seldom happen to form UTF-8 sequences, so many good multi-byte
 * sequences and few bad bytes mean UTF-8.  Returns the line of the first
 * bad byte, or 0 when the text looks like GBK.
 */
static size_t
broken_utf8(const char *s, size_t n)
{
	size_t	 i = 0, k, good = 0, bad = 0, first = 0, line = 1;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_seqlen(s + i, n - i);
		if (k > 0) {
			good++;
			i += k;
			continue;
		}
		if (bad++ == 0)
			first = i;
		i++;
	}
	if (bad == 0 || good < 4 * bad)
		return 0;
	for (i = 0; i < first; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

int
import_decode(struct arena *a, const char *data, size_t len, char **out,
    size_t *outlen, const char **enc, char *why, size_t whylen)
{
	iconv_t		 cd;
	char		*in, *o, *res;
	size_t		 inleft, oleft, cap, line;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (utf8_valid(data, len)) {
		*out = arena_memdup(a, data, len);
		*outlen = len;
		*enc = "UTF-8";
		return 0;
	}
	if (len >= 2 && ((unsigned char)data[0] == 0xff ||
	    (unsigned char)data[0] == 0xfe) &&
	    ((unsigned char)data[1] == 0xff ||
	    (unsigned char)data[1] == 0xfe)) {
		str_copy(why, "文件是 UTF-16 编码（Excel 的“Unicode 文本”），"
		    "请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”"
		    "或“CSV（逗号分隔）”后重新导入。", whylen);
		return -1;
	}
	if ((line = broken_utf8(data, len)) > 0) {
		snprintf(why, whylen, "文件是 UTF-8 编码，但第%zu行附近有损坏的"
		    "字符。请在 Excel 或 WPS 中检查这一行，另存为“CSV UTF-8"
		    "（逗号分隔）”后重新导入。", line);
		return -1;
	}
	if ((cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
		str_copy(why, "文件不是 UTF-8 编码，而本系统无法转换 GBK 编码。"
		    "请另存为“CSV UTF-8（逗号分隔）”后重新导入。", whylen);
		return -1;
	}
	cap = len * 2 + 4;	/* GB18030 to UTF-8 grows by at most 2x */
	res = arena_alloc(a, cap + 1);
	in = (char *)data;
	inleft = len;
	o = res;
	oleft = cap;
	if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &o, &oleft) == (size_t)-1 ||
	    !utf8_valid(res, cap - oleft)) {
		iconv_close(cd);
		str_copy(why, "无法识别文件的编码：它既不是 UTF-8，也不是 GBK"
		    "（GB18030）。请在 Excel 或 WPS 中另存为“CSV UTF-8"
		    "（逗号分隔）”后重新导入。", whylen);
		return -1;
	}
	iconv_close(cd);
	*o = '\0';
	*out = res;
	*outlen = cap - oleft;
	*enc = "GBK";
	return 0;
}

const char *
import_not_csv(const char *data, size_t len)
{
	if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
		return "这是 Excel 工作簿（.xlsx），不是 CSV 文件。请在 Excel "
		    "或 WPS 中打开，选择“另存为”→“CSV UTF-8（逗号分隔）”"
		    "或“CSV（逗号分隔）”后再导入。";
	if (len >= 4 && memcmp(data, "\xd0\xcf\x11\xe0", 4) == 0)
		return "这是旧版 Excel 工作簿（.xls 或 .et），不是 CSV 文件。"
		    "请在 Excel 或 WPS 中打开，选择“另存为”→“CSV（逗号分隔）”"
		    "后再导入。";
	return NULL;
}

int
import_parse(struct arena *a, const char *data, size_t len,
    const json_t *villages, struct import_person **people, size_t *n,
    struct import_report *rep)
{
	struct csv_parser	 p;
	struct ctx		*c;
	const char		*enc, *bad;
	char			*text, why[512];
	size_t			 tlen, done;
	int			 y, m, d;

	*people = NULL;
	*n = 0;
	if (len > IMPORT_MAX_BYTES) {
		report_add(rep, 0, NULL, "文件太大：一次最多导入 %u MB，"
		    "请分成几个文件分别导入。", IMPORT_MAX_BYTES >> 20);
		return IMPORT_INVALID;
	}
	if (len == 0) {
		report_add(rep, 0, NULL, "文件是空的。");
		return IMPORT_INVALID;
	}
	if ((bad = import_not_csv(data, len)) != NULL) {
		report_add(rep, 0, NULL, "%s", bad);
		return IMPORT_INVALID;
	}
	if (import_decode(a, data, len, &text, &tlen, &enc, why,
	    sizeof(why)) != 0) {
		report_add(rep, 0, NULL, "%s", why);
		return IMPORT_INVALID;
	}

	c = arena_alloc(a, sizeof(*c));
	c->a = a;
	c->villages = villages;
	c->rep = rep;
	c->line = 1;
	date_to_ymd(date_today_cn(), &y, &m, &d);
	c->this_year = y;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
	    CSV_REPALL_NL) != 0)
		return error("import: cannot start the CSV parser");
	done = csv_parse(&p, text, tlen, on_field, on_record, c);
	if (done != tlen) {
		if (!c->stop)
			report_add(rep, c->line, NULL, "CSV 格式错误："
			    "引号不成对（%s）。如果是在记事本中编辑的，"
			    "请检查这一行的英文双引号；也可以用 Excel 或 WPS "
			    "打开后另存为 CSV 再导入。",
			    csv_error(&p) == CSV_EPARSE ? "字段中间或末尾多了"
			    "引号" : "内存不足");
		csv_free(&p);
		return IMPORT_INVALID;
	}
	if (csv_fini(&p, on_field, on_record, c) != 0 && !c->stop)
		report_add(rep, c->line, NULL, "CSV 格式错误：从这一行开始的"
		    "引号没有结束，后面的内容都被当成了一个格子。请检查这一行"
		    "的英文双引号。");
	csv_free(&p);

	if (!c->have_header && rep->nerrors == 0)
		report_add(rep, 0, NULL, "文件中没有数据：第一行应为列名"
		    "（至少有“姓名”列），从第二行起每行一人。");
	else if (c->have_header && rep->rows == 0 && rep->nerrors == 0)
		report_add(rep, 0, NULL, "文件只有列名，没有要导入的人员。");
	if (rep->nerrors > 0) {
		rep->ok = 0;
		return IMPORT_INVALID;
	}
	*people = c->people;
	*n = c->n;
	return IMPORT_OK;
}

int
import_people(struct db *db, const struct scope *sc, const char *data,
    size_t len, bool dry_run, const struct audit_actor *who,
    struct import_report *rep)
{
	struct import_person	*people;
	struct arena		 a;
	json_t			*villages, *d;
	int64_t			 id;
	size_t			 n, i;
	int			 rc;

	arena_init(&a);
	if ((villages = org_village_options(db, sc, &rc)) == NULL)
		goto out;
	rc = import_parse(&a, data, len, villages, &people, &n, rep);
	if (rep->refused != NULL) {
		d = json_pack("{ss}", "refused", rep->refused);
		(void)audit_write_alone(db, who, "import.people", "person", 0,
		    false, d);
		json_decref(d);
	}
	if (rc != IMPORT_OK)
		goto out;

	/* A village cadre's import lands in the village. */
	for (i = 0; i < n; i++)
		if (sc->village_id != 0 && people[i].in.village_id == 0)
			people[i].in.village_id = sc->village_id;

	if (dry_run) {
		rc = IMPORT_OK;
		goto out;
	}

	if ((rc = db_begin(db)) != DB_OK)
		goto out;
	for (i = 0; i < n && rc == DB_OK; i++) {
		id = 0;
		rc = org_person_save(db, sc, &id, &people[i].in, &a);
		if (rc != DB_OK)
			log_warn("import: row %zu not saved (rc %d)",
			    people[i].line, rc);
	}
	if (rc == DB_OK) {
		d = json_pack("{sI}", "rows", (json_int_t)n);
		rc = audit_write(db, who, "import.people", "person", 0, true,
		    d);
		json_decref(d);
	}
	rc = db_end(db, rc);
	if (rc == DB_OK)
		rep->imported = true;
out:
	json_decref(villages);
	arena_release(&a);
	return rc;
}

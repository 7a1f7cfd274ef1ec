/* test-fts.c: the "cjk" FTS5 tokenizer and the query builder, on :memory:. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sqlite3.h>

#include "db/fts_cjk.h"

#define BIT(n)		((uint64_t)1 << (n))
#define QUERY_MAX	4096

static sqlite3	*db;

/*
 * The fixture, by rowid.  Each document is there to tell one kind of
 * query apart from another.
 */
static const char *const docs[] = {
	[1] = "群众来访反映信访事项办理进度",	/* 信访事项 in sequence */
	[2] = "信件已转交，访问记录另存",		/* 信 and 访 apart */
	[3] = "关于信访工作的通知",		/* 信访, no 事项 */
	[4] = "信访材料中的事项清单",		/* 信访 and 事项 apart */
	[5] = "案件编号XF-2026-0012，信访人张三",
	[6] = "Road Repair NOTICE for Village 3",
	[7] = "编号ＡＢＣ１２３的全角记录",
	[8] = "土地纠纷调解 or 协商",		/* the word "or" */
	[9] = "土地承包合同",
	[10] = "来信。访客登记",		/* 信 。 访: apart */
	[11] = "カタカナと한국어",
};
#define NDOCS	(sizeof(docs) / sizeof(docs[0]))

static void
exec(const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		cr_assert_fail("%s: %s", sql, err);
}

static void
insert(int64_t rowid, const char *body, int len)
{
	sqlite3_stmt	*st;

	cr_assert_eq(sqlite3_prepare_v2(db,
	    "INSERT INTO t(rowid, body) VALUES (?, ?)", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_text(st, 2, body, len, SQLITE_TRANSIENT);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE, "insert: %s",
	    sqlite3_errmsg(db));
	sqlite3_finalize(st);
}

static void
setup(void)
{
	size_t	 i;

	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	cr_assert_eq(fts_cjk_register(db), 0);
	exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='cjk')");
	for (i = 1; i < NDOCS; i++)
		insert((int64_t)i, docs[i], -1);
}

static void
teardown(void)
{
	sqlite3_close(db);
	db = NULL;
}

TestSuite(fts, .init = setup, .fini = teardown);

/* The rowids that MATCH expression "expr", as a bit set. */
static uint64_t
match_expr(const char *expr)
{
	sqlite3_stmt	*st;
	uint64_t	 set = 0;
	int64_t		 id;
	int		 rc;

	cr_assert_eq(sqlite3_prepare_v2(db,
	    "SELECT rowid FROM t WHERE t MATCH ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (id >= 0 && id < 64)
			set |= BIT(id);
	}
	cr_assert_eq(rc, SQLITE_DONE, "MATCH '%s': %s", expr,
	    sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return set;
}

/* The rowids found for what a user typed. */
static uint64_t
search(const char *user)
{
	char	 q[QUERY_MAX];

	cr_assert_eq(fts_cjk_query(user, q, sizeof(q)), 0, "query '%s'", user);
	return match_expr(q);
}

/* highlight() of row "rowid" for what a user typed, marked with [ ]. */
static char *
highlight(const char *user, int64_t rowid)
{
	sqlite3_stmt	*st;
	char		 q[QUERY_MAX];
	char		*s;

	cr_assert_eq(fts_cjk_query(user, q, sizeof(q)), 0);
	cr_assert_eq(sqlite3_prepare_v2(db,
	    "SELECT highlight(t, 0, '[', ']') FROM t "
	    "WHERE t MATCH ? AND rowid = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, rowid);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "no row for '%s'", q);
	s = strdup((const char *)sqlite3_column_text(st, 0));
	cr_assert_not_null(s);
	sqlite3_finalize(st);
	return s;
}

/*
 * An expression is well formed when it is one or more quoted strings
 * joined by " AND ", with no other syntax anywhere.
 */
static bool
well_formed(const char *q)
{
	const char	*p = q;

	for (;;) {
		if (*p++ != '"')
			return false;
		for (;;) {
			if (*p == '\0')
				return false;
			if (p[0] == '"' && p[1] == '"') {
				p += 2;
				continue;
			}
			if (*p++ == '"')
				break;
		}
		if (*p == '\0')
			return true;
		if (strncmp(p, " AND ", 5) != 0)
			return false;
		p += 5;
	}
}

/* Tokens as "text@start-end" joined by spaces. */
struct toks {
	char	 s[2048];
	size_t	 len;
	int	 n;
	int	 stop;		/* return SQLITE_ABORT at this token, if > 0 */
};

static int
collect(void *arg, int tflags, const char *tok, int len, int start, int end)
{
	struct toks	*t = arg;
	int		 w;

	cr_assert_eq(tflags, 0);
	t->n++;
	if (t->stop > 0 && t->n >= t->stop)
		return SQLITE_ABORT;
	w = snprintf(t->s + t->len, sizeof(t->s) - t->len, "%s%.*s@%d-%d",
	    t->len ? " " : "", len, tok, start, end);
	cr_assert(w > 0 && (size_t)w < sizeof(t->s) - t->len);
	t->len += (size_t)w;
	return SQLITE_OK;
}

static const char *
tokens(const char *text, int flags)
{
	static struct toks	 t;

	memset(&t, 0, sizeof(t));
	cr_assert_eq(fts_cjk_tokenize(text, (int)strlen(text), flags, &t,
	    collect), SQLITE_OK);
	return t.s;
}

/* Registration */

Test(fts, register_needs_a_connection)
{
	cr_assert_eq(fts_cjk_register(NULL), -1);
	cr_assert_eq(fts_cjk_register(db), 0);	/* again: harmless */
}

Test(fts, tokenizer_takes_no_options)
{
	cr_assert_neq(sqlite3_exec(db, "CREATE VIRTUAL TABLE u USING "
	    "fts5(body, tokenize='cjk porter')", NULL, NULL, NULL), SQLITE_OK);
}

/* Tokens and offsets */

Test(fts, document_gives_unigrams_and_bigrams_in_order)
{
	cr_assert_str_eq(tokens("信访事项", FTS5_TOKENIZE_DOCUMENT),
	    "信@0-3 信访@0-6 访@3-6 访事@3-9 事@6-9 事项@6-12 项@9-12");
	cr_assert_str_eq(tokens("，访。", FTS5_TOKENIZE_DOCUMENT), "访@3-6");
}

Test(fts, query_trims_the_ends_of_a_run)
{
	cr_assert_str_eq(tokens("访", FTS5_TOKENIZE_QUERY), "访@0-3");
	cr_assert_str_eq(tokens("信访", FTS5_TOKENIZE_QUERY), "信访@0-6");
	cr_assert_str_eq(tokens("信访事项", FTS5_TOKENIZE_QUERY),
	    "信访@0-6 访@3-6 访事@3-9 事@6-9 事项@6-12");
	/* Next to another token, the end characters stay. */
	cr_assert_str_eq(tokens("xf信访", FTS5_TOKENIZE_QUERY),
	    "xf@0-2 信@2-5 信访@2-8");
	cr_assert_str_eq(tokens("信访 xf", FTS5_TOKENIZE_QUERY),
	    "信访@0-6 访@3-6 xf@7-9");
	cr_assert_str_eq(tokens("信访 土地", FTS5_TOKENIZE_QUERY),
	    "信访@0-6 访@3-6 土@7-10 土地@7-13");
}

Test(fts, ascii_is_lower_cased_and_split_at_separators)
{
	cr_assert_str_eq(tokens("XF-2026-0012", FTS5_TOKENIZE_DOCUMENT),
	    "xf@0-2 2026@3-7 0012@8-12");
	cr_assert_str_eq(tokens("Road_Repair", FTS5_TOKENIZE_DOCUMENT),
	    "road@0-4 repair@5-11");
}

Test(fts, full_width_folds_to_ascii)
{
	/* Ａ Ｂ Ｃ １ ２ are 3 bytes each; the offsets stay in the text. */
	cr_assert_str_eq(tokens("ＡＢＣ１２", FTS5_TOKENIZE_DOCUMENT),
	    "abc12@0-15");
	cr_assert_str_eq(tokens("ａb１2", FTS5_TOKENIZE_DOCUMENT), "ab12@0-8");
	/* Full-width punctuation separates, like its ASCII form. */
	cr_assert_str_eq(tokens("ａ－ｂ", FTS5_TOKENIZE_DOCUMENT),
	    "a@0-3 b@6-9");
}

Test(fts, long_ascii_runs_split_at_64_bytes)
{
	char		 text[101];
	const char	*s;

	memset(text, 'a', 100);
	text[100] = '\0';
	s = tokens(text, FTS5_TOKENIZE_DOCUMENT);
	cr_assert(strstr(s, "@0-64 ") != NULL, "%s", s);
	cr_assert(strstr(s, "@64-100") != NULL, "%s", s);
}

Test(fts, everything_else_separates)
{
	cr_assert_str_eq(tokens("café Ωμέγα ½ 😀 信", FTS5_TOKENIZE_DOCUMENT),
	    "caf@0-3 信@25-28");
}

Test(fts, callback_error_stops_tokenizing)
{
	struct toks	 t;

	memset(&t, 0, sizeof(t));
	t.stop = 2;
	cr_assert_eq(fts_cjk_tokenize("信访事项", 12, FTS5_TOKENIZE_DOCUMENT,
	    &t, collect), SQLITE_ABORT);
	cr_assert_eq(t.n, 2);
}

/* Query expressions */

Test(fts, query_quotes_every_run)
{
	char	 q[256];

	cr_assert_eq(fts_cjk_query("信访事项", q, sizeof(q)), 0);
	cr_assert_str_eq(q, "\"信访事项\"");
	cr_assert_eq(fts_cjk_query("XF-2026 信访", q, sizeof(q)), 0);
	cr_assert_str_eq(q, "\"xf\" AND \"2026\" AND \"信访\"");
	cr_assert_eq(fts_cjk_query("　张三ＡＢＣ１２\t", q, sizeof(q)), 0);
	cr_assert_str_eq(q, "\"张三\" AND \"abc12\"");
}

Test(fts, empty_query_is_refused)
{
	static const char *const empty[] = {
		"", " ", "\t \t", "　　", "，。！？", "***", "\"", "(", ")",
		"\"\"\"\"", "- + ^ : *", "\xff\xfe",
	};
	char	 q[64];
	size_t	 i;

	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		memset(q, 'x', sizeof(q));
		cr_assert_eq(fts_cjk_query(empty[i], q, sizeof(q)), -1,
		    "'%s'", empty[i]);
		cr_assert_eq(q[0], '\0');
	}
	cr_assert_eq(fts_cjk_query(NULL, q, sizeof(q)), -1);
	cr_assert_eq(fts_cjk_query("信访", NULL, 0), -1);
}

Test(fts, query_that_does_not_fit_is_refused)
{
	char	 q[16];

	/* "信访" with its quotes is 8 bytes, and the NUL makes 9. */
	cr_assert_eq(fts_cjk_query("信访", q, 9), 0);
	cr_assert_str_eq(q, "\"信访\"");
	cr_assert_eq(fts_cjk_query("信访", q, 8), -1);
	cr_assert_eq(q[0], '\0');
	cr_assert_eq(fts_cjk_query("信访 土地", q, sizeof(q)), -1);
}

/* Matching */

Test(fts, one_character_finds_it_anywhere)
{
	cr_assert_eq(search("访"), BIT(1) | BIT(2) | BIT(3) | BIT(4) |
	    BIT(5) | BIT(10));
	cr_assert_eq(search("张"), BIT(5));
}

Test(fts, two_characters_need_the_word)
{
	cr_assert_eq(search("信访"), BIT(1) | BIT(3) | BIT(4) | BIT(5));
	cr_assert_eq(search("张三"), BIT(5));
	cr_assert_eq(search("三张"), 0);
}

Test(fts, longer_terms_need_the_characters_in_sequence)
{
	cr_assert_eq(search("信访事项"), BIT(1));
	cr_assert_eq(search("信访工作的通知"), BIT(3));
	cr_assert_eq(search("来访反"), BIT(1));
	cr_assert_eq(search("事项清"), BIT(4));
	cr_assert_eq(search("信访材事项"), 0);
	cr_assert_eq(search("访事项办"), BIT(1));
}

Test(fts, terms_are_anded)
{
	cr_assert_eq(search("信访 事项"), BIT(1) | BIT(4));
	cr_assert_eq(search("信访 张三"), BIT(5));
	cr_assert_eq(search("信访 土地"), 0);
}

Test(fts, mixed_ascii_and_chinese)
{
	cr_assert_eq(search("XF-2026 信访"), BIT(5));
	cr_assert_eq(search("xf2026"), 0);		/* one token, not two */
	cr_assert_eq(search("XF-2026-0012"), BIT(5));
	cr_assert_eq(search("编号XF"), BIT(5));
	cr_assert_eq(search("XF 土地"), 0);
}

Test(fts, ascii_is_case_insensitive)
{
	cr_assert_eq(search("notice"), BIT(6));
	cr_assert_eq(search("NOTICE"), BIT(6));
	cr_assert_eq(search("NoTiCe village"), BIT(6));
	cr_assert_eq(search("notices"), 0);
}

Test(fts, full_width_matches_ascii)
{
	cr_assert_eq(search("abc123"), BIT(7));
	cr_assert_eq(search("ABC123"), BIT(7));
	cr_assert_eq(search("ＡＢＣ１２３"), BIT(7));
	cr_assert_eq(search("ａｂｃ１２３"), BIT(7));
	cr_assert_eq(search("３"), BIT(6));		/* "Village 3" */
	cr_assert_eq(search("１２３"), 0);		/* inside abc123 */
}

Test(fts, kana_and_hangul_are_characters)
{
	cr_assert_eq(search("タカ"), BIT(11));
	cr_assert_eq(search("국어"), BIT(11));
	cr_assert_eq(search("カナと한"), BIT(11));
}

Test(fts, run_boundaries_are_not_crossed)
{
	/* 来信。访客: the full stop separates 信 from 访. */
	cr_assert_eq(search("信访") & BIT(10), 0);
	cr_assert_eq(search("来信访客"), 0);
	cr_assert_eq(search("访客"), BIT(10));
}

/* User input that looks like FTS5 syntax */

Test(fts, operators_typed_by_users_are_words)
{
	/* Raw, these would be a union, a difference and a column filter. */
	cr_assert_eq(match_expr("信访 OR 土地"), BIT(1) | BIT(3) | BIT(4) |
	    BIT(5) | BIT(8) | BIT(9));
	cr_assert_eq(search("信访 OR 土地"), 0);
	cr_assert_eq(search("土地 OR 协商"), BIT(8));	/* "or" is in 8 */
	cr_assert_eq(match_expr("土地 NOT 纠纷"), BIT(9));
	cr_assert_eq(search("土地 NOT 纠纷"), 0);
	cr_assert_eq(search("NOT 信访"), 0);
	cr_assert_eq(search("body:土地"), 0);
	cr_assert_eq(search("NEAR(信访 土地)"), 0);
	cr_assert_eq(search("NEAR("), 0);
}

Test(fts, syntax_characters_are_separators)
{
	cr_assert_eq(search("信访*"), search("信访"));
	cr_assert_eq(search("^土地"), BIT(8) | BIT(9));
	cr_assert_eq(search("+土地"), BIT(8) | BIT(9));
	cr_assert_eq(search("-土地"), BIT(8) | BIT(9));
	cr_assert_eq(search("(土地"), BIT(8) | BIT(9));
	cr_assert_eq(search("\"土地"), BIT(8) | BIT(9));
	cr_assert_eq(search("\"信访\" \""), search("信访"));
	cr_assert_eq(search("土地\" OR \"1"), 0);
	cr_assert_eq(search("\" OR \""), BIT(8));
}

Test(fts, hostile_input_never_breaks_the_expression)
{
	static const char *const in[] = {
		"\" OR \"", "NOT", "*", "(", "\"", "NEAR(", "a\"b",
		"\"\"信\"\"",
		"{body}: x", "x:y", "a OR b AND c NOT d", "NEAR(a b, 10)",
		"信访 OR", ")(*&^%$#@!", "'; DROP TABLE t; --", "a*b*c",
		"\\\"", "\xe4\xbf", "信\xff访", "\t\n\r\v\f",
	};
	char	 q[QUERY_MAX];
	size_t	 i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		if (fts_cjk_query(in[i], q, sizeof(q)) == -1) {
			cr_assert_eq(q[0], '\0');
			continue;
		}
		cr_assert(well_formed(q), "'%s' -> '%s'", in[i], q);
		(void)match_expr(q);	/* asserts no SQL error */
	}
}

/* Robustness */

Test(fts, long_document_tokenizes)
{
	static const char	 piece[] = "镇政府信访办公室收到XF-2026来信，";
	char			*doc;
	size_t			 len = 0, cap = 100 * 1024, n = strlen(piece);

	doc = malloc(cap + 64);
	cr_assert_not_null(doc);
	while (len + n < cap) {
		memcpy(doc + len, piece, n);
		len += n;
	}
	memcpy(doc + len, "尾部标记", strlen("尾部标记"));
	len += strlen("尾部标记");
	insert(61, doc, (int)len);
	free(doc);
	cr_assert_eq(search("尾部标记"), BIT(61));
	cr_assert_eq(search("XF-2026 信访办公室"), BIT(61));
	cr_assert_eq(search("镇政府") & BIT(61), BIT(61));
}

Test(fts, long_document_is_found_by_its_last_characters)
{
	char	*doc;
	size_t	 i, len = 0;

	doc = malloc(110 * 1024);
	cr_assert_not_null(doc);
	for (i = 0; len < 100 * 1024; i++) {
		memcpy(doc + len, i % 2 ? "甲乙" : "ab ", i % 2 ? 6 : 3);
		len += i % 2 ? 6 : 3;
	}
	memcpy(doc + len, "末尾", 6);
	len += 6;
	insert(63, doc, (int)len);
	free(doc);
	cr_assert_eq(search("末尾"), BIT(63));
	cr_assert_eq(search("乙甲"), 0);	/* separated by "ab " */
	cr_assert_eq(search("甲乙 AB"), BIT(63));
}

Test(fts, long_ascii_run_matches_itself)
{
	char	 doc[200], q[QUERY_MAX];

	memset(doc, 'k', 150);
	doc[150] = '\0';
	insert(62, doc, -1);
	cr_assert_eq(fts_cjk_query(doc, q, sizeof(q)), 0);
	cr_assert_eq(match_expr(q), BIT(62));
	doc[149] = '\0';		/* one short: another token */
	cr_assert_eq(search(doc), 0);
}

Test(fts, invalid_utf8_is_skipped)
{
	static const char	 bad[] =
	    "\xff" "信" "\x80" "访" "\xc0\xaf" "事" "\xed\xa0\x80" "项"
	    "\xf4\x90\x80\x80" "办" "\xe4\xbf";	/* cut off at the end */
	const char		*s;

	insert(60, bad, (int)sizeof(bad) - 1);
	cr_assert_eq(search("信") & BIT(60), BIT(60));
	cr_assert_eq(search("办") & BIT(60), BIT(60));
	cr_assert_eq(search("信访") & BIT(60), 0);	/* a bad byte between */
	s = tokens(bad, FTS5_TOKENIZE_DOCUMENT);
	cr_assert_str_eq(s, "信@1-4 访@5-8 事@10-13 项@16-19 办@23-26");
}

Test(fts, truncated_sequence_at_the_end_is_not_read_past)
{
	struct toks	 t;
	char		*p;

	/* A heap copy without a NUL, so ASan sees any read past the end. */
	p = malloc(5);
	cr_assert_not_null(p);
	memcpy(p, "a\xe4\xbf\xe4\xbf", 5);
	memset(&t, 0, sizeof(t));
	cr_assert_eq(fts_cjk_tokenize(p, 5, FTS5_TOKENIZE_DOCUMENT, &t,
	    collect), SQLITE_OK);
	cr_assert_str_eq(t.s, "a@0-1");
	free(p);
}

/* Highlighting */

Test(fts, highlight_marks_exactly_the_queried_characters)
{
	char	*s;

	s = highlight("信访事项", 1);
	cr_assert_str_eq(s, "群众来访反映[信访事项]办理进度");
	free(s);
	s = highlight("信访", 1);
	cr_assert_str_eq(s, "群众来访反映[信访]事项办理进度");
	free(s);
	s = highlight("访", 1);
	cr_assert_str_eq(s, "群众来[访]反映信[访]事项办理进度");
	free(s);
	s = highlight("xf-2026 张三", 5);
	cr_assert_str_eq(s, "案件编号[XF]-[2026]-0012，信访人[张三]");
	free(s);
	s = highlight("abc123", 7);
	cr_assert_str_eq(s, "编号[ＡＢＣ１２３]的全角记录");
	free(s);
}

/* fts_cjk.h: an FTS5 tokenizer for Chinese: single characters and bigrams. */
#ifndef XZ_FTS_CJK_H
#define XZ_FTS_CJK_H

#include <stddef.h>

struct sqlite3;

/*
 * Register the tokenizer "cjk" with the connection's FTS5.  Call once per
 * connection (db_open does).  Returns 0 or -1.
 *
 * Tokens: every run of CJK ideographs (and kana/hangul) yields each single
 * character and each pair of neighbouring characters ("信访事项" gives 信,
 * 访, 事, 项, 信访, 访事, 事项); every run of ASCII letters and digits
 * yields one lower-cased token (words, codes like XF-2026-0012 split at
 * the hyphens into xf, 2026, 0012); everything else separates tokens.
 * Queries go through fts_cjk_query(), which turns a user's text into an
 * FTS5 expression over the same tokens, so one- and two-character Chinese
 * terms match exactly like longer ones.
 *
 * Positions: no token is colocated.  A run c0 c1 c2 c3 is indexed as
 * c0, c0c1, c1, c1c2, c2, c2c3, c3 at consecutive positions, so each
 * position has exactly one token and one byte range, and highlight() and
 * snippet() mark exactly the characters matched (they ignore the offsets
 * of colocated tokens).  In a query (FTS5_TOKENIZE_QUERY) a run gives the
 * same sequence less its first character when nothing precedes it in the
 * string and less its last when nothing follows: "访" gives 访, "信访"
 * gives 信访, "信访事项" the phrase 信访 访 访事 事 事项, which matches
 * only the four characters in sequence.  Tables must keep the default
 * detail=full, since phrases need positions.
 */
int	 fts_cjk_register(struct sqlite3 *);

/*
 * Turn a user's search text into an FTS5 MATCH expression (written into
 * "out", at most "n" bytes): each whitespace-separated term must match
 * (AND); a Chinese term of one or two characters is one token, a longer one
 * the phrase of its bigrams (written as the quoted run, "信访事项", which
 * the tokenizer turns into the phrase above); ASCII terms are quoted
 * lower-cased tokens; a term mixing scripts ("XF-2026信访") is split into
 * its runs, all ANDed: "xf" AND "2026" AND "信访".  Every run is a quoted
 * string, so FTS5 syntax characters and keywords in the input can never act
 * as operators.  Returns 0, or -1 if nothing searchable is left (or the
 * expression would not fit).
 */
int	 fts_cjk_query(const char *text, char *out, size_t n);

/*
 * The tokenizer itself, for tests and the fuzzer: calls "tok" for each
 * token of text[0..n-1] exactly as FTS5 would ("flags" is FTS5_TOKENIZE_*),
 * and returns SQLITE_OK or the first non-OK value "tok" returned.
 */
int	 fts_cjk_tokenize(const char *text, int n, int flags, void *arg,
	    int (*tok)(void *arg, int tflags, const char *token, int len,
	    int start, int end));

#endif

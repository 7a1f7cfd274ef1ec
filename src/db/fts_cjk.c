/* fts_cjk.c: FTS5 tokenizer "cjk" (characters and bigrams) and its queries. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "db/fts_cjk.h"

/*
 * Why no colocated tokens: FTS5's highlight() and snippet() map each
 * matched position to the byte range of the one non-colocated token there.
 * With a unigram and a bigram sharing a position, either a one-character
 * match would be marked as two characters or a two-character match as one.
 * Giving every token its own position (c0, c0c1, c1, c1c2, c2) keeps both
 * exact; a phrase of bigrams then needs the unigrams between them, which
 * the query mode of the tokenizer supplies (see fts_cjk.h).
 */

#define TOKEN_MAX	64	/* bytes in an ASCII token; longer runs split */

enum cls {
	CLS_SEP,		/* separates tokens; also every invalid byte */
	CLS_WORD,		/* ASCII letter or digit, or full-width form */
	CLS_CJK,		/* Han ideograph, kana or hangul syllable */
	CLS__MAX
};

/*
 * The state of one tokenize call.  "text" is borrowed.  A CJK unigram may
 * be held back ("pend") until the tokenizer knows whether another token
 * follows: in a query the last character of a run of two or more is
 * dropped when nothing follows it.
 */
struct tok {
	const char	*text;
	bool		 query;		/* FTS5_TOKENIZE_QUERY */
	void		*arg;
	int		(*cb)(void *, int, const char *, int, int, int);
	int		 ntok;		/* tokens passed to cb so far */
	int		 run;		/* characters in the current CJK run */
	bool		 lead;		/* a token came before this CJK run */
	bool		 pend;		/* the unigram at ps..pe is held back */
	int		 ps;		/* previous CJK character: start */
	int		 pe;		/* and end offset */
	char		 word[TOKEN_MAX];	/* ASCII run, lower-cased */
	int		 wlen;
	int		 ws;		/* start of the ASCII run */
	int		 we;		/* end of its last character */
};

/*
 * The object FTS5 passes back to xTokenize.  The tokenizer has no options
 * and no state between calls, so one static instance serves every table.
 */
struct Fts5Tokenizer {
	int	 unused;
};

static struct Fts5Tokenizer	 cjk_instance;

/*
 * A bounded writer for fts_cjk_query: "p" (caller's) holds at most n - 1
 * bytes and a NUL.  The first append that does not fit sets "full" and
 * later ones do nothing.
 */
struct out {
	char	*p;
	size_t	 n;
	size_t	 len;
	bool	 full;
};

/*
 * Decode the UTF-8 sequence at the start of s[0..n-1] into *cp.  Returns
 * its length, or 0 if it is invalid (a stray byte, an overlong form, a
 * surrogate, a value past U+10FFFF, or a sequence cut off by the end of
 * the buffer).  Never reads past s[n - 1].
 */
static int
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t	 c, min;
	size_t		 len, i;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return (int)len;
}

/*
 * The class of code point c.  For CLS_WORD, *ascii is set to the
 * lower-case ASCII form (full-width Ａ-Ｚ, ａ-ｚ, ０-９ fold to a-z, 0-9).
 */
static enum cls
classify(uint32_t c, char *ascii)
{
	if (c < 0x80) {
		if (c >= 'A' && c <= 'Z') {
			*ascii = (char)(c - 'A' + 'a');
			return CLS_WORD;
		}
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			*ascii = (char)c;
			return CLS_WORD;
		}
		return CLS_SEP;
	}
	/* Full-width forms are ASCII + 0xFEE0; their punctuation separates. */
	if (c >= 0xff10 && c <= 0xff5a)
		return classify(c - 0xfee0, ascii);
	if (c == 0x3007 ||			/* 〇, as in 二〇二六年 */
	    (c >= 0x3040 && c <= 0x30ff) ||	/* hiragana, katakana */
	    (c >= 0x3400 && c <= 0x4dbf) ||	/* extension A */
	    (c >= 0x4e00 && c <= 0x9fff) ||	/* unified ideographs */
	    (c >= 0xac00 && c <= 0xd7af) ||	/* hangul syllables */
	    (c >= 0xf900 && c <= 0xfaff) ||	/* compatibility */
	    (c >= 0x20000 && c <= 0x2fa1f))	/* extensions B-F, supplement */
		return CLS_CJK;
	return CLS_SEP;
}

/*
 * Read the character at text[off..n-1]: its length in bytes (at least 1,
 * so the caller always advances) and its class.  An invalid byte is a
 * one-byte separator.
 */
static int
next_char(const char *text, size_t off, size_t n, enum cls *cls, char *ascii)
{
	uint32_t	 c;
	int		 len;

	len = utf8_decode((const unsigned char *)text + off, n - off, &c);
	if (len == 0) {
		*cls = CLS_SEP;
		return 1;
	}
	*cls = classify(c, ascii);
	return len;
}

static int
tok_emit(struct tok *t, const char *s, int len, int start, int end)
{
	t->ntok++;
	return t->cb(t->arg, 0, s, len, start, end);
}

/* Emit the held-back unigram, if any: another token is about to follow. */
static int
tok_flush(struct tok *t)
{
	if (!t->pend)
		return SQLITE_OK;
	t->pend = false;
	return tok_emit(t, t->text + t->ps, t->pe - t->ps, t->ps, t->pe);
}

/*
 * Add the CJK character at text[s..e-1] to the current run: emit the
 * previous character's unigram (unless a query drops it as the first of
 * its string), then the bigram of the two, and hold this character back.
 */
static int
cjk_add(struct tok *t, int s, int e)
{
	int	 rc;

	if (t->run == 0) {
		rc = tok_flush(t);
		if (rc != SQLITE_OK)
			return rc;
		t->lead = t->ntok > 0;
	} else {
		if (t->pend) {
			t->pend = false;
			if (!(t->query && t->run == 1 && !t->lead)) {
				rc = tok_emit(t, t->text + t->ps,
				    t->pe - t->ps, t->ps, t->pe);
				if (rc != SQLITE_OK)
					return rc;
			}
		}
		rc = tok_emit(t, t->text + t->ps, e - t->ps, t->ps, e);
		if (rc != SQLITE_OK)
			return rc;
	}
	t->ps = s;
	t->pe = e;
	t->pend = true;
	t->run++;
	return SQLITE_OK;
}

/*
 * End the current CJK run.  A document emits its last unigram now; a query
 * keeps the last unigram of a longer run held back, to be emitted only if
 * another token follows.
 */
static int
cjk_end(struct tok *t)
{
	int	 rc = SQLITE_OK;

	if (t->run == 0)
		return SQLITE_OK;
	if (!t->query || t->run == 1)
		rc = tok_flush(t);
	t->run = 0;
	return rc;
}

static int
word_end(struct tok *t)
{
	int	 len = t->wlen;

	if (len == 0)
		return SQLITE_OK;
	t->wlen = 0;
	return tok_emit(t, t->word, len, t->ws, t->we);
}

/* Add the ASCII character c (from text[s..e-1]) to the current run. */
static int
word_add(struct tok *t, char c, int s, int e)
{
	int	 rc;

	if (t->wlen == TOKEN_MAX) {
		rc = word_end(t);
		if (rc != SQLITE_OK)
			return rc;
	}
	if (t->wlen == 0) {
		rc = tok_flush(t);
		if (rc != SQLITE_OK)
			return rc;
		t->ws = s;
	}
	t->word[t->wlen++] = c;
	t->we = e;
	return SQLITE_OK;
}

int
fts_cjk_tokenize(const char *text, int n, int flags, void *arg,
    int (*cb)(void *, int, const char *, int, int, int))
{
	struct tok	 t;
	enum cls	 cls;
	char		 c = 0;
	int		 off, len, rc = SQLITE_OK;

	if (text == NULL || n <= 0)
		return SQLITE_OK;
	memset(&t, 0, sizeof(t));
	t.text = text;
	t.query = (flags & FTS5_TOKENIZE_QUERY) != 0;
	t.arg = arg;
	t.cb = cb;
	for (off = 0; off < n && rc == SQLITE_OK; off += len) {
		len = next_char(text, (size_t)off, (size_t)n, &cls, &c);
		/* Leaving a run of one kind ends it, whatever comes next. */
		if (cls != CLS_CJK)
			rc = cjk_end(&t);
		if (rc == SQLITE_OK && cls != CLS_WORD)
			rc = word_end(&t);
		if (rc != SQLITE_OK)
			break;
		if (cls == CLS_CJK)
			rc = cjk_add(&t, off, off + len);
		else if (cls == CLS_WORD)
			rc = word_add(&t, c, off, off + len);
	}
	if (rc == SQLITE_OK)
		rc = cjk_end(&t);
	if (rc == SQLITE_OK)
		rc = word_end(&t);
	/* A unigram still held back ends a query's run: it is dropped. */
	return rc;
}

static int
cjk_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **ret)
{
	(void)ctx;
	(void)argv;
	if (argc != 0)
		return SQLITE_ERROR;	/* "cjk" takes no options */
	*ret = &cjk_instance;
	return SQLITE_OK;
}

static void
cjk_delete(Fts5Tokenizer *tk)
{
	(void)tk;
}

static int
cjk_tokenize(Fts5Tokenizer *tk, void *arg, int flags, const char *text,
    int n, int (*cb)(void *, int, const char *, int, int, int))
{
	(void)tk;
	return fts_cjk_tokenize(text, n, flags, arg, cb);
}

/*
 * The connection's fts5_api, or NULL.  FTS5 hands it out through the
 * SQL function fts5() and a pointer binding (see the FTS5 documentation,
 * "Extending FTS5").
 */
static fts5_api *
fts5_api_get(sqlite3 *db)
{
	fts5_api	*api = NULL;
	sqlite3_stmt	*st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	if (sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL) ==
	    SQLITE_OK)
		(void)sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

int
fts_cjk_register(struct sqlite3 *db)
{
	static fts5_tokenizer	 methods = {
		.xCreate = cjk_create,
		.xDelete = cjk_delete,
		.xTokenize = cjk_tokenize,
	};
	fts5_api		*api;

	if (db == NULL)
		return -1;
	api = fts5_api_get(db);
	if (api == NULL || api->iVersion < 2)
		return -1;
	if (api->xCreateTokenizer(api, "cjk", NULL, &methods, NULL) !=
	    SQLITE_OK)
		return -1;
	return 0;
}

static void
out_add(struct out *o, const char *s, size_t len)
{
	if (o->full)
		return;
	if (len >= o->n - o->len) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, s, len);
	o->len += len;
	o->p[o->len] = '\0';
}

/* Append the inside of an FTS5 string: every '"' doubled. */
static void
out_quoted(struct out *o, const char *s, size_t len)
{
	const char	*q;

	while (len > 0) {
		q = memchr(s, '"', len);
		if (q == NULL)
			break;
		out_add(o, s, (size_t)(q - s) + 1);
		out_add(o, "\"", 1);
		len -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	out_add(o, s, len);
}

/*
 * Each run of CJK characters and each run of ASCII letters and digits
 * (from any term: whitespace, punctuation and script changes all end a
 * run) becomes one quoted string, and the strings are ANDed.  A CJK run is
 * copied as typed; the tokenizer's query mode makes it a unigram, a bigram
 * or a phrase.  An ASCII run is written lower-cased in ASCII, so full-width
 * forms need no second look.
 */
int
fts_cjk_query(const char *text, char *out, size_t n)
{
	struct out	 o;
	enum cls	 cls, cur = CLS_SEP;
	size_t		 off, len, tlen;
	int		 nrun = 0;
	char		 c = 0;

	if (out == NULL || n == 0)
		return -1;
	out[0] = '\0';
	if (text == NULL)
		return -1;
	o.p = out;
	o.n = n;
	o.len = 0;
	o.full = false;
	tlen = strlen(text);
	for (off = 0; off < tlen; off += len) {
		len = (size_t)next_char(text, off, tlen, &cls, &c);
		if (cls != cur) {
			if (cur != CLS_SEP)
				out_add(&o, "\"", 1);
			if (cls != CLS_SEP) {
				if (nrun++ > 0)
					out_add(&o, " AND ", 5);
				out_add(&o, "\"", 1);
			}
			cur = cls;
		}
		if (cls == CLS_WORD)
			out_quoted(&o, &c, 1);
		else if (cls == CLS_CJK)
			out_quoted(&o, text + off, len);
	}
	if (cur != CLS_SEP)
		out_add(&o, "\"", 1);
	if (nrun == 0 || o.full) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

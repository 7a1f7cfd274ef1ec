/* fuzz-fts.c: libFuzzer target for the "cjk" tokenizer and fts_cjk_query. */
/* [S48] fuzzed under ASan and UBSan by "make fuzz"; replayed by "make test". */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db/fts_cjk.h"

#define FUZZ_MAX	(64 * 1024)
#define QUERY_MAX	(8 * FUZZ_MAX)

/* A broken promise of the tokenizer's contract is a finding, like a crash. */
#define CHECK(e)	do { if (!(e)) abort(); } while (0)

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static sqlite3		*db;
static sqlite3_stmt	*ins, *del, *sel;

struct span {
	const char	*text;
	int		 n;
	int		 last;		/* start of the previous token */
};

/*
 * Every token lies inside the text, in order, is 1-64 bytes, and is
 * either lower-case ASCII letters and digits or a copy of its bytes.
 */
static int
check_token(void *arg, int tflags, const char *tok, int len, int start,
    int end)
{
	struct span	*s = arg;
	int		 i;

	CHECK(tflags == 0);
	CHECK(start >= 0 && start < end && end <= s->n);
	CHECK(start >= s->last);
	CHECK(len >= 1 && len <= 64);
	s->last = start;
	if (tok >= s->text && tok < s->text + s->n) {
		CHECK(tok == s->text + start && len == end - start);
		return SQLITE_OK;
	}
	for (i = 0; i < len; i++)
		CHECK((tok[i] >= 'a' && tok[i] <= 'z') ||
		    (tok[i] >= '0' && tok[i] <= '9'));
	return SQLITE_OK;
}

static void
tokenize(const char *text, int n, int flags)
{
	struct span	 s = { text, n, 0 };

	CHECK(fts_cjk_tokenize(text, n, flags, &s, check_token) == SQLITE_OK);
}

static void
open_db(void)
{
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	CHECK(fts_cjk_register(db) == 0);
	CHECK(sqlite3_exec(db,
	    "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='cjk')",
	    NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES (1, ?)",
	    -1, &ins, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "DELETE FROM t", -1, &del, NULL) ==
	    SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "SELECT rowid, highlight(t, 0, '[', ']') "
	    "FROM t WHERE t MATCH ?", -1, &sel, NULL) == SQLITE_OK);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 q[QUERY_MAX];
	char		*text;
	size_t		 len;
	int		 rc, found = 0;

	if (size > FUZZ_MAX)
		return 0;
	if (db == NULL)
		open_db();

	/* A heap copy without a NUL, so ASan sees any read past the end. */
	text = malloc(size ? size : 1);
	CHECK(text != NULL);
	memcpy(text, data, size);
	tokenize(text, (int)size, FTS5_TOKENIZE_DOCUMENT);
	tokenize(text, (int)size, FTS5_TOKENIZE_QUERY);
	tokenize(text, (int)size, FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX);
	free(text);

	/* The same bytes as a document, through FTS5. */
	sqlite3_bind_text(ins, 1, (const char *)data, (int)size,
	    SQLITE_TRANSIENT);
	CHECK(sqlite3_step(ins) == SQLITE_DONE);
	sqlite3_reset(ins);

	/* And as a query: it must parse, and find the document itself. */
	len = strnlen((const char *)data, size);
	text = malloc(len + 1);
	CHECK(text != NULL);
	memcpy(text, data, len);
	text[len] = '\0';
	rc = fts_cjk_query(text, q, sizeof(q));
	free(text);
	CHECK(rc == 0 || rc == -1);
	CHECK(strlen(q) < sizeof(q));
	if (rc == 0) {
		CHECK(q[0] == '"' && q[strlen(q) - 1] == '"');
		sqlite3_bind_text(sel, 1, q, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(sel)) == SQLITE_ROW)
			found++;
		CHECK(rc == SQLITE_DONE);
		CHECK(found == 1);
		sqlite3_reset(sel);
	} else
		CHECK(q[0] == '\0');

	CHECK(sqlite3_step(del) == SQLITE_DONE);
	sqlite3_reset(del);
	return 0;
}

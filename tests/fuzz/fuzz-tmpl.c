/* fuzz-tmpl.c: libFuzzer target for the template parser and renderer. */
/* [S48] fuzzed under ASan and UBSan by "make fuzz"; replayed by "make test". */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "html/tmpl.h"

#define FUZZ_MAX	(16 * 1024)
#define MARK		"Zq"

/* A broken promise of the engine's contract is a finding, like a crash. */
#define CHECK(e)	do { if (!(e)) abort(); } while (0)

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Every string in the model is this hostile value: each MARK in the output
 * follows one of its special characters, so a MARK after a raw < > " ' or
 * & (when the template itself has no MARK) is a value left unescaped.
 */
static const char hostile[] = "<" MARK "\"" MARK "'" MARK ">" MARK "&" MARK
    " javascript:" MARK "`" MARK;

static const char *const keys[] = {
	"a", "b", "c", "x", "y", "id", "name", "title", "href", "url", "label",
	"value", "message", "csrf", "css", "js", "roles", "township", "note",
	"status", "q", "page", "count", "date", "phone", NULL
};
static const char *const lists[] = {
	"rows", "items", "nav", "user", "site", "error", "active", "sel",
	"people", "options", NULL
};

static json_t	*model;
static const char partial[] = "<b title=\"{{a}}\">{{b}}</b>";

static json_t *
leaf_object(void)
{
	json_t	*o = json_object();
	size_t	 i;

	for (i = 0; keys[i] != NULL; i++)
		json_object_set_new(o, keys[i], json_string(hostile));
	json_object_set_new(o, "n", json_integer(-7));
	json_object_set_new(o, "r", json_real(0.1));
	json_object_set_new(o, "t", json_true());
	json_object_set_new(o, "f", json_false());
	json_object_set_new(o, "z", json_null());
	return o;
}

static json_t *
make_model(void)
{
	json_t	*m = leaf_object(), *arr;
	size_t	 i;

	for (i = 0; lists[i] != NULL; i++) {
		if (i % 2) {
			json_object_set_new(m, lists[i], leaf_object());
			continue;
		}
		arr = json_array();
		json_array_append_new(arr, leaf_object());
		json_array_append_new(arr, json_string(hostile));
		json_array_append_new(arr, leaf_object());
		json_object_set_new(m, lists[i], arr);
	}
	return m;
}

static void
check_output(const char *tsrc, size_t tlen, const struct buf *out)
{
	const char	*p;

	if (memmem(tsrc, tlen, MARK, strlen(MARK)) != NULL)
		return;
	for (p = out->data; (p = strstr(p, MARK)) != NULL; p++) {
		CHECK(p > out->data);
		CHECK(strchr("<>\"'&", p[-1]) == NULL);
	}
}

static void
render(const struct tmpl *t, const struct tmpl *content, bool strict,
    const char *src, size_t len)
{
	struct buf	 out;
	char		 err[256];
	json_t		*stack[1] = { model };

	buf_init(&out, 4 * 1024 * 1024);
	err[0] = '\0';
	if (tmpl_render(t, stack, 1, content, strict, &out, err,
	    sizeof(err)) == 0) {
		CHECK(!buf_err(&out));
		if (getenv("FUZZ_TMPL_SHOW") != NULL)
			fprintf(stderr, "fuzz-tmpl: %s\n", out.data);
		check_output(src, len, &out);
	} else {
		CHECK(err[0] != '\0');
		if (getenv("FUZZ_TMPL_SHOW") != NULL)
			fprintf(stderr, "fuzz-tmpl: error %s\n", err);
	}
	buf_release(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_set		*set;
	const struct tmpl	*t, *p;
	char			 err[256], *text;
	int			 rc;

	if (size > FUZZ_MAX)
		return 0;
	if (model == NULL)
		model = make_model();
	/* A heap copy without a NUL, so ASan sees any read past the end. */
	CHECK((text = malloc(size ? size : 1)) != NULL);
	memcpy(text, data, size);
	CHECK((set = tmpl_set_new()) != NULL);
	CHECK(tmpl_set_add(set, "p", partial, sizeof(partial) - 1, err,
	    sizeof(err)) == 0);
	err[0] = '\0';
	rc = tmpl_set_add(set, "t", text, size, err, sizeof(err));
	if (rc != 0 && getenv("FUZZ_TMPL_SHOW") != NULL)
		fprintf(stderr, "fuzz-tmpl: parse %s\n", err);
	if (rc != 0) {
		/* "name:LINE: reason" */
		CHECK(strncmp(err, "t:", 2) == 0);
		CHECK(err[2] >= '1' && err[2] <= '9');
		CHECK(strchr(err + 2, ':') != NULL);
		CHECK(tmpl_get(set, "t") == NULL);
	} else if (tmpl_set_link(set, err, sizeof(err)) == 0) {
		CHECK((t = tmpl_get(set, "t")) != NULL);
		CHECK((p = tmpl_get(set, "p")) != NULL);
		render(t, p, false, text, size);
		render(t, p, true, text, size);
	}
	tmpl_set_free(set);
	free(text);
	return 0;
}

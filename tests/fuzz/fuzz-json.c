/* fuzz-json.c: libFuzzer target for request bodies (JSON and form) read into declared fields. */
/* [S48] [S44] fuzzed under ASan and UBSan; malformed UTF-8 and NUL refused, never passed on. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/jsonmem.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "http/form.h"
#include "http/http.h"
#include "web/input.h"
#include "web/web.h"

#define FUZZ_MAX	(64 * 1024)

/* A broken promise of the input contract is a finding, like a crash. */
#define CHECK(e)	do { if (!(e)) abort(); } while (0)

int	 LLVMFuzzerInitialize(int *, char ***);
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const colours[] = { "红", "绿", "blue", NULL };

/* One field of every type; the required ones come last in "fields_req". */
static const struct field fields[] = {
	{ "text", "文本", F_TEXT, false, 0, 20, NULL },
	{ "ml", "多行", F_MULTILINE, false, 2, 200, NULL },
	{ "int", "整数", F_INT, false, -5, 1000, NULL },
	{ "id", "编号", F_ID, false, 0, 0, NULL },
	{ "bool", "是否", F_BOOL, false, 0, 0, NULL },
	{ "date", "日期", F_DATE, false, 0, 0, NULL },
	{ "phone", "手机", F_PHONE, false, 0, 0, NULL },
	{ "idno", "身份证", F_IDNO, false, 0, 0, NULL },
	{ "enum", "颜色", F_ENUM, false, 0, 0, colours },
	{ "login", "登录名", F_LOGIN, false, 0, 0, NULL },
	{ "secret", "密码", F_SECRET, false, 0, 0, NULL },
	{ "list", "多选", F_LIST, false, 0, 0, colours },
	{ "tags", "标签", F_LIST, false, 0, 0, NULL },
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

static const struct field fields_req[] = {
	{ "text", "文本", F_TEXT, true, 0, 20, NULL },
	{ "date", "日期", F_DATE, true, 0, 0, NULL },
	{ "list", "多选", F_LIST, true, 0, 0, colours },
	{ "bool", "是否", F_BOOL, true, 0, 0, NULL },
};
#define NREQ	(sizeof(fields_req) / sizeof(fields_req[0]))

static bool
is_trimmed(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0)
		return true;
	if (strchr(" \t\r\n", s[0]) != NULL || strchr(" \t\r\n", s[n - 1]))
		return false;
	return strncmp(s, "\xe3\x80\x80", 3) != 0 &&
	    (n < 3 || memcmp(s + n - 3, "\xe3\x80\x80", 3) != 0);
}

static bool
all_digits(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits. */
static bool
idno_ok(const char *s)
{
	static const int	 w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9,
	    10, 5, 8, 4, 2 };
	static const char	 chk[] = "10X98765432";
	int			 i, sum = 0;

	if (strlen(s) != 18 || !all_digits(s, 17))
		return false;
	for (i = 0; i < 17; i++)
		sum += (s[i] - '0') * w[i];
	return s[17] == chk[sum % 11];
}

static bool
in_enums(const char *s, const char *const *e)
{
	for (; *e != NULL; e++)
		if (strcmp(s, *e) == 0)
			return true;
	return false;
}

static void
check_value(const struct field *f, const struct value *v)
{
	const unsigned char	*p;
	char			 iso[11];
	size_t			 i;

	if (!v->present) {
		CHECK(!f->required);
		return;
	}
	if (f->type == F_LIST) {
		CHECK(v->n > 0);
		for (i = 0; i < v->n; i++) {
			CHECK(v->list[i] != NULL);
			if (f->enums != NULL)
				CHECK(in_enums(v->list[i], f->enums));
		}
		return;
	}
	CHECK(v->s != NULL);
	CHECK(utf8_valid(v->s, strlen(v->s)));
	if (f->type != F_SECRET)
		CHECK(v->s[0] != '\0' && is_trimmed(v->s));
	switch (f->type) {
	case F_TEXT:
	case F_MULTILINE:
		for (p = (const unsigned char *)v->s; *p != '\0'; p++) {
			CHECK(*p != 0x7f);
			CHECK(*p >= 0x20 || (f->type == F_MULTILINE &&
			    (*p == '\n' || *p == '\r' || *p == '\t')));
			CHECK(!(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f));
		}
		CHECK((int64_t)utf8_len(v->s) <= f->max);
		CHECK((int64_t)utf8_len(v->s) >= f->min);
		break;
	case F_INT:
		CHECK(v->i >= f->min && v->i <= f->max);
		break;
	case F_ID:
		CHECK(v->i >= 1);
		break;
	case F_BOOL:
		CHECK(v->i == 0 || v->i == 1);
		break;
	case F_DATE:
		CHECK(strlen(v->s) == 10 && v->s[4] == '-' && v->s[7] == '-');
		CHECK(all_digits(v->s, 4) && all_digits(v->s + 5, 2) &&
		    all_digits(v->s + 8, 2));
		date_iso(v->i, iso);
		CHECK(strcmp(iso, v->s) == 0);
		break;
	case F_PHONE:
		CHECK(strlen(v->s) == 11 && all_digits(v->s, 11) &&
		    v->s[0] == '1');
		break;
	case F_IDNO:
		CHECK(idno_ok(v->s));
		break;
	case F_ENUM:
		CHECK(v->i >= 0 && strcmp(f->enums[v->i], v->s) == 0);
		break;
	case F_LOGIN:
		CHECK(strlen(v->s) >= 3 && strlen(v->s) <= 32);
		CHECK(strspn(v->s, "abcdefghijklmnopqrstuvwxyz0123456789._-") ==
		    strlen(v->s));
		break;
	case F_SECRET:
		CHECK(strlen(v->s) <= 1024);
		break;
	case F_LIST:
		break;
	}
}

/* 0 and every value keeps its field's promise, or 422 naming a field. */
static void
check_fields(struct web *w, const struct field *f, size_t n)
{
	struct value	 v[NFIELDS];
	size_t		 i;
	int		 rc;

	memset(&w->err, 0, sizeof(w->err));
	rc = input_check(w, f, n, v);
	if (rc == 0) {
		for (i = 0; i < n; i++)
			check_value(&f[i], &v[i]);
		return;
	}
	CHECK(rc == 422);
	CHECK(w->err.field != NULL && w->err.message != NULL);
	for (i = 0; i < n; i++)
		if (strcmp(w->err.field, f[i].name) == 0)
			break;
	CHECK(i < n);
	CHECK(utf8_valid(w->err.message, strlen(w->err.message)));
	CHECK(strncmp(w->err.message, "「", 3) == 0);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	jsonmem_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req	 r;
	struct web	 w;
	char		*body;

	if (size > FUZZ_MAX)
		return 0;
	memset(&r, 0, sizeof(r));
	memset(&w, 0, sizeof(w));
	arena_init(&r.arena);
	jsonmem_use(&r.arena);
	/* A heap copy without a NUL, so ASan sees any read past the end. */
	CHECK((body = malloc(size ? size : 1)) != NULL);
	memcpy(body, data, size);
	w.req = &r;
	r.method = HTTP_POST;

	/* As the pipeline reads an API body (web/app.c parse_body). */
	w.api = true;
	w.json = json_loadb(body, size, JSON_REJECT_DUPLICATES, NULL);
	if (w.json != NULL && json_is_object(w.json)) {
		check_fields(&w, fields, NFIELDS);
		check_fields(&w, fields_req, NREQ);
	}

	/* The same bytes as a page's urlencoded form. */
	w.api = false;
	w.json = NULL;
	if (form_parse_urlencoded(&r.arena, body, size, 500, &w.form) ==
	    FORM_OK) {
		check_fields(&w, fields, NFIELDS);
		check_fields(&w, fields_req, NREQ);
	}
	jsonmem_use(NULL);
	arena_release(&r.arena);
	free(body);
	return 0;
}

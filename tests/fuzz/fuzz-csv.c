/* fuzz-csv.c: libFuzzer target for the CSV import of people (UTF-8 and GBK). */
/* [S48] [S44] fuzzed under ASan and UBSan; malformed UTF-8 and NUL refused, never passed on. */
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/utf8.h"
#include "org/import.h"

#define FUZZ_MAX	(64 * 1024)

/* A broken promise of the importer's contract is a finding, like a crash. */
#define CHECK(e)	do { if (!(e)) abort(); } while (0)

int	 LLVMFuzzerInitialize(int *, char ***);
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static json_t	*villages;

static bool
all_digits(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool
idno_ok(const char *s)
{
	static const int	 w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9,
	    10, 5, 8, 4, 2 };
	int			 i, sum = 0;

	if (strlen(s) != 18 || !all_digits(s, 17))
		return false;
	for (i = 0; i < 17; i++)
		sum += (s[i] - '0') * w[i];
	return s[17] == "10X98765432"[sum % 11];
}

static bool
text_ok(const char *s)
{
	return s == NULL || utf8_valid(s, strlen(s));
}

/* The village and group exist, and the group is the village's. */
static bool
place_ok(int64_t vid, int64_t gid)
{
	json_t	*v, *g;
	size_t	 i, k;

	if (vid == 0)
		return gid == 0;
	json_array_foreach(villages, i, v) {
		if (json_integer_value(json_object_get(v, "id")) != vid)
			continue;
		if (gid == 0)
			return true;
		json_array_foreach(json_object_get(v, "groups"), k, g)
			if (json_integer_value(json_object_get(g, "id")) == gid)
				return true;
		return false;
	}
	return false;
}

static void
check_person(const struct import_person *p)
{
	const struct person_in	*in = &p->in;

	CHECK(in->name != NULL && in->name[0] != '\0' && text_ok(in->name));
	CHECK(in->kind != NULL && (strcmp(in->kind, "citizen") == 0 ||
	    strcmp(in->kind, "cadre") == 0));
	CHECK(in->sex == NULL || strcmp(in->sex, "M") == 0 ||
	    strcmp(in->sex, "F") == 0);
	CHECK(in->phone == NULL || (strlen(in->phone) == 11 &&
	    all_digits(in->phone, 11) && in->phone[0] == '1'));
	CHECK(in->idno == NULL || idno_ok(in->idno));
	CHECK(in->birth_year >= 0 && in->birth_year <= 9999);
	CHECK(place_ok(in->village_id, in->group_id));
	CHECK(text_ok(in->address) && text_ok(in->note));
}

static void
check_report(const struct import_report *rep, int rc, size_t n)
{
	json_t		*e, *line, *col, *msg;
	const char	*m;
	size_t		 i;

	CHECK(rc == IMPORT_OK || rc == IMPORT_INVALID);
	CHECK(!rep->imported);
	CHECK(json_is_array(rep->errors));
	CHECK(json_array_size(rep->errors) == (rep->nerrors < IMPORT_MAX_ERRORS ?
	    rep->nerrors : IMPORT_MAX_ERRORS));
	if (rc == IMPORT_OK) {
		CHECK(rep->nerrors == 0 && rep->refused == NULL);
		CHECK(n > 0 && n == rep->rows && rep->ok == rep->rows);
		CHECK(rep->rows <= IMPORT_MAX_ROWS);
		return;
	}
	CHECK(n == 0 && rep->nerrors > 0 && rep->ok <= rep->rows);
	json_array_foreach(rep->errors, i, e) {
		line = json_object_get(e, "line");
		col = json_object_get(e, "column");
		msg = json_object_get(e, "message");
		CHECK(json_is_integer(line) && json_integer_value(line) >= 0);
		CHECK(json_is_null(col) || json_is_string(col));
		CHECK(json_is_string(msg));
		m = json_string_value(msg);
		CHECK(m[0] != '\0' && utf8_valid(m, strlen(m)));
		/* "第N行：", except in a refusal of the whole file. */
		if (json_integer_value(line) > 0 && rep->refused == NULL)
			CHECK(strncmp(m, "第", 3) == 0);
		if (json_is_string(col))
			CHECK(utf8_valid(json_string_value(col),
			    strlen(json_string_value(col))));
	}
}

static void
check_decode(struct arena *a, const char *data, size_t len)
{
	char		*out, why[512];
	const char	*enc = NULL;
	size_t		 outlen = 0;

	why[0] = '\0';
	if (import_decode(a, data, len, &out, &outlen, &enc, why,
	    sizeof(why)) != 0) {
		CHECK(why[0] != '\0' && utf8_valid(why, strlen(why)));
		return;
	}
	CHECK(utf8_valid(out, outlen) && out[outlen] == '\0');
	CHECK(enc != NULL);
	if (strcmp(enc, "UTF-8") == 0) {
		if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
			data += 3;
			len -= 3;
		}
		CHECK(outlen == len && memcmp(out, data, len) == 0);
	} else
		CHECK(strcmp(enc, "GBK") == 0);
}

static void
check_import(const char *data, size_t len)
{
	struct arena		 a;
	struct import_report	 rep;
	struct import_person	*people;
	size_t			 n, i;
	int			 rc;

	arena_init(&a);
	check_decode(&a, data, len);
	import_report_init(&rep);
	rc = import_parse(&a, data, len, villages, &people, &n, &rep);
	check_report(&rep, rc, n);
	for (i = 0; i < n; i++) {
		check_person(&people[i]);
		CHECK(people[i].line >= 2);
		CHECK(i == 0 || people[i].line > people[i - 1].line);
	}
	import_report_release(&rep);
	arena_release(&a);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	villages = json_pack("[{sI ss s[{sI ss} {sI ss}]} {sI ss s[]}]",
	    "id", (json_int_t)1, "name", "龙咀子村", "groups",
	    "id", (json_int_t)11, "name", "一组",
	    "id", (json_int_t)12, "name", "二组",
	    "id", (json_int_t)2, "name", "西渠村", "groups");
	CHECK(villages != NULL);
	return 0;
}

/* The UTF-8 text in GB18030, as Excel saves CSV on Chinese Windows. */
static void
check_gbk(const char *data, size_t len)
{
	iconv_t	 cd;
	char	*in = (char *)(uintptr_t)data, *buf, *o;
	size_t	 inleft = len, cap = len * 2 + 4, oleft = cap;

	if (!utf8_valid(data, len))
		return;
	CHECK((cd = iconv_open("GB18030", "UTF-8")) != (iconv_t)-1);
	CHECK((buf = malloc(cap)) != NULL);
	o = buf;
	if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
		check_import(buf, cap - oleft);
	iconv_close(cd);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*copy;

	if (size > FUZZ_MAX)
		return 0;
	/* A heap copy without a NUL, so ASan sees any read past the end. */
	CHECK((copy = malloc(size ? size : 1)) != NULL);
	memcpy(copy, data, size);
	check_import(copy, size);
	check_gbk(copy, size);
	free(copy);
	return 0;
}

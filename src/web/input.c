/* input.c: declared, validated input fields from JSON or form bodies. */
#include <inttypes.h>
#include <string.h>

#include "base/str.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "org/validate.h"
#include "web/input.h"
#include "web/web.h"

/* A JSON value as text, or NULL if it is not a scalar. */
static const char *
json_scalar(struct web *w, json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return web_printf(w, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	if (json_is_true(v))
		return "true";
	if (json_is_false(v))
		return "false";
	return NULL;
}

const char *
input_raw(struct web *w, const char *name)
{
	json_t	*v;

	if (w->json != NULL) {
		v = json_object_get(w->json, name);
		if (v == NULL || json_is_null(v))
			return NULL;
		return json_is_string(v) ? json_string_value(v) : NULL;
	}
	return kv_get(&w->form, name);
}

int64_t
input_query_id(struct web *w, const char *name)
{
	const char	*s = req_query(w->req, name);
	int64_t		 id;

	if (str_empty(s))
		return 0;
	if (str_to_int64(s, 1, INT64_MAX, &id) != 0)
		return -1;
	return id;
}

/* U+0080..U+009F: C1 controls, as C2 80..C2 9F in UTF-8. */
static bool
has_c1(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] >= 0x80 &&
		    (unsigned char)s[1] <= 0x9f)
			return true;
	return false;
}

static int
bad(struct web *w, const struct field *f, const char *why)
{
	return web_fail(w, 422, "invalid",
	    web_printf(w, "「%s」%s", f->label, why), f->name);
}

/* Trim ASCII spaces and ideographic spaces at both ends, in the arena. */
static const char *
trim(struct web *w, const char *s)
{
	static const char	 ideo[] = "\xe3\x80\x80";	/* U+3000 */
	size_t			 n;

	for (;;) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		else if (strncmp(s, ideo, 3) == 0)
			s += 3;
		else
			break;
	}
	n = strlen(s);
	for (;;) {
		if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		    s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
		else if (n >= 3 && memcmp(s + n - 3, ideo, 3) == 0)
			n -= 3;
		else
			break;
	}
	return arena_strndup(&w->req->arena, s, n);
}

static int
check_list(struct web *w, const struct field *f, struct value *v)
{
	json_t	*arr, *it;
	size_t	 i, k = 0;

	if (w->json != NULL) {
		arr = json_object_get(w->json, f->name);
		if (arr == NULL || json_is_null(arr))
			return 0;
		if (!json_is_array(arr))
			return bad(w, f, "格式不正确");
		v->list = arena_alloc(&w->req->arena,
		    (json_array_size(arr) + 1) * sizeof(char *));
		json_array_foreach(arr, i, it) {
			if (!json_is_string(it))
				return bad(w, f, "格式不正确");
			v->list[k++] = json_string_value(it);
		}
	} else {
		v->list = arena_alloc(&w->req->arena,
		    (w->form.n + 1) * sizeof(char *));
		for (i = 0; i < w->form.n; i++)
			if (strcmp(w->form.v[i].name, f->name) == 0)
				v->list[k++] = w->form.v[i].value;
	}
	v->n = k;
	v->present = k > 0;
	for (i = 0; i < k && f->enums != NULL; i++) {
		size_t	 e;

		for (e = 0; f->enums[e] != NULL; e++)
			if (strcmp(v->list[i], f->enums[e]) == 0)
				break;
		if (f->enums[e] == NULL)
			return bad(w, f, "包含无效的选项");
	}
	return 0;
}

static int
check_one(struct web *w, const struct field *f, struct value *v)
{
	json_t		*j = NULL;
	const char	*s;
	char		 norm[20];
	size_t		 i;

	memset(v, 0, sizeof(*v));
	if (f->type == F_LIST) {
		if (check_list(w, f, v) != 0)
			return 422;
		if (f->required && !v->present)
			return bad(w, f, "不能为空");
		return 0;
	}
	if (w->json != NULL) {
		j = json_object_get(w->json, f->name);
		if (j != NULL && json_is_null(j))
			j = NULL;
		s = j ? json_scalar(w, j) : NULL;
		if (j != NULL && s == NULL)
			return bad(w, f, "格式不正确");
	} else
		s = kv_get(&w->form, f->name);
	if (s != NULL && f->type != F_SECRET)
		s = trim(w, s);
	if (s == NULL || *s == '\0') {
		if (f->type == F_BOOL && w->json == NULL) {
			/* An unchecked checkbox sends nothing. */
			v->present = true;
			v->i = 0;
			v->s = "false";
			return 0;
		}
		if (f->required)
			return bad(w, f, "不能为空");
		return 0;
	}
	if (!utf8_valid(s, strlen(s)))
		return bad(w, f, "含有无效字符");
	v->present = true;
	v->s = s;
	switch (f->type) {
	case F_TEXT:
	case F_MULTILINE:
		if (utf8_has_control(s, f->type == F_MULTILINE) ||
		    (f->type == F_TEXT && strchr(s, '\t') != NULL) ||
		    has_c1(s))
			return bad(w, f, "含有控制字符");
		if (f->max > 0 && (int64_t)utf8_len(s) > f->max)
			return bad(w, f, web_printf(w, "不能超过%" PRId64 "个字",
			    f->max));
		if (f->min > 0 && (int64_t)utf8_len(s) < f->min)
			return bad(w, f, web_printf(w, "至少需要%" PRId64 "个字",
			    f->min));
		break;
	case F_SECRET:
		if (strlen(s) > 1024)
			return bad(w, f, "过长");
		break;
	case F_INT:
		if (str_to_int64(s, f->min, f->max, &v->i) != 0)
			return bad(w, f, web_printf(w, "应为%" PRId64 "到%"
			    PRId64 "之间的整数", f->min, f->max));
		break;
	case F_ID:
		if (str_to_int64(s, 1, INT64_MAX, &v->i) != 0)
			return bad(w, f, "无效");
		break;
	case F_BOOL:
		if (str_eq(s, "true") || str_eq(s, "1") || str_eq(s, "on"))
			v->i = 1;
		else if (str_eq(s, "false") || str_eq(s, "0") ||
		    str_eq(s, "off"))
			v->i = 0;
		else
			return bad(w, f, "应为是或否");
		break;
	case F_DATE:
		if (date_parse(s, &v->i) != 0)
			return bad(w, f, "不是有效的日期（如 2026-01-05）");
		{
			char	 iso[11];

			date_iso(v->i, iso);
			v->s = arena_strdup(&w->req->arena, iso);
		}
		break;
	case F_PHONE:
		if (phone_normalise(s, norm) != 0)
			return bad(w, f, "应为11位手机号码");
		v->s = arena_strdup(&w->req->arena, norm);
		break;
	case F_IDNO:
		if (idno_normalise(s, norm) != 0)
			return bad(w, f, "不是有效的18位身份证号码");
		v->s = arena_strdup(&w->req->arena, norm);
		break;
	case F_ENUM:
		for (i = 0; f->enums[i] != NULL; i++)
			if (strcmp(s, f->enums[i]) == 0)
				break;
		if (f->enums[i] == NULL)
			return bad(w, f, "不是有效的选项");
		v->i = (int64_t)i;
		break;
	case F_LOGIN:
		if (strlen(s) < 3 || strlen(s) > 32)
			return bad(w, f, "应为3到32个字符");
		for (i = 0; s[i] != '\0'; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
			    s[i] == '_' || s[i] == '-'))
				return bad(w, f, "只能使用小写字母、数字和 . _ -");
		break;
	case F_LIST:
		break;
	}
	return 0;
}

void
input_patch(struct web *w, json_t *current, const struct field *f, size_t n,
    const char *const *skip)
{
	json_t	*v;
	size_t	 i, k;

	if (!w->api || w->req->method != HTTP_PATCH || w->json == NULL ||
	    current == NULL)
		return;
	for (i = 0; i < n; i++) {
		for (k = 0; skip != NULL && skip[k] != NULL; k++)
			if (strcmp(skip[k], f[i].name) == 0)
				break;
		if (skip != NULL && skip[k] != NULL)
			continue;
		if (json_object_get(w->json, f[i].name) != NULL)
			continue;
		v = json_object_get(current, f[i].name);
		if (v != NULL && !json_is_null(v))
			json_object_set(w->json, f[i].name, v);
	}
}

int
input_check(struct web *w, const struct field *f, size_t n, struct value *out)
{
	size_t	 i;
	int	 st;

	for (i = 0; i < n; i++)
		if ((st = check_one(w, &f[i], &out[i])) != 0)
			return st;
	return 0;
}

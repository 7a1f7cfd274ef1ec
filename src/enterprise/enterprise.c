/* enterprise.c: enterprise rules without SQL: kinds, patron roles, visits, samples. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/compat.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "enterprise/enterprise.h"

const struct ent_label ent_kinds[] = {
	{ "coop", "农民专业合作社" },
	{ "farm", "家庭农场" },
	{ "company", "公司" },
	{ "shop", "门店（个体工商户）" },
	{ "other", "其他" },
	{ NULL, NULL }
};

const struct ent_label ent_roles[] = {
	{ "lead", "包抓领导" },
	{ "keep", "包保干部" },
	{ NULL, NULL }
};

/*
 * The plan names the 六必访 system without listing it; these are the six
 * occasions counties commonly publish (a township that reads it otherwise
 * changes this table and nothing else), plus a routine visit.
 */
const struct ent_label ent_visit_kinds[] = {
	{ "opening", "开办投产必访" },
	{ "difficulty", "生产经营困难必访" },
	{ "demand", "有意见诉求必访" },
	{ "project", "扩建转型项目必访" },
	{ "incident", "遭遇灾害变故必访" },
	{ "holiday", "重要节日必访" },
	{ "routine", "日常走访" },
	{ NULL, NULL }
};

const struct ent_label ent_check_results[] = {
	{ "confirmed", "测评属实" },
	{ "differs", "与测评不符" },
	{ "unreachable", "未联系上" },
	{ NULL, NULL }
};

const struct ent_label ent_levels[] = {
	{ "satisfied", "满意" },
	{ "basic", "基本满意" },
	{ "fair", "一般" },
	{ "unsatisfied", "不满意" },
	{ NULL, NULL }
};

bool
ent_level_bad(const char *level)
{
	return level != NULL && (strcmp(level, "fair") == 0 ||
	    strcmp(level, "unsatisfied") == 0);
}

const char *
ent_label(const struct ent_label *t, const char *name)
{
	for (; name != NULL && t->name != NULL; t++)
		if (strcmp(t->name, name) == 0)
			return t->label;
	return NULL;
}

const char *const *
ent_names(const struct ent_label *t)
{
	static const char	*kinds[8], *roles[4], *visits[10], *checks[6];
	static const char	*levels[6];
	const char		**out;
	size_t			 i, cap;

	if (t == ent_kinds)
		out = kinds, cap = NELEM(kinds);
	else if (t == ent_roles)
		out = roles, cap = NELEM(roles);
	else if (t == ent_visit_kinds)
		out = visits, cap = NELEM(visits);
	else if (t == ent_levels)
		out = levels, cap = NELEM(levels);
	else
		out = checks, cap = NELEM(checks);
	/* Idempotent: every caller writes the same pointers. */
	for (i = 0; i + 1 < cap && t[i].name != NULL; i++)
		out[i] = t[i].name;
	out[i] = NULL;
	return out;
}

const char *
ent_kind_guess(const char *name)
{
	if (strstr(name, "合作社") != NULL)
		return "coop";
	if (strstr(name, "家庭农场") != NULL)
		return "farm";
	if (strstr(name, "公司") != NULL)
		return "company";
	if (strstr(name, "店") != NULL || strstr(name, "门市") != NULL ||
	    strstr(name, "餐饮") != NULL || strstr(name, "商行") != NULL)
		return "shop";
	return "other";
}

int
ent_month_parse(const char *s, int64_t *first, int64_t *last)
{
	char	 buf[16];
	int64_t	 d;
	int	 y, m, dd;

	if (s == NULL || strlen(s) < 6 || strlen(s) > 10)
		return -1;
	if (strlen(s) <= 7) {
		snprintf(buf, sizeof(buf), "%s-01", s);
		s = buf;
	}
	if (date_parse(s, &d) != 0)
		return -1;
	date_to_ymd(d, &y, &m, &dd);
	*first = date_from_ymd(y, m, 1);
	*last = (m == 12 ? date_from_ymd(y + 1, 1, 1) :
	    date_from_ymd(y, m + 1, 1)) - 1;
	return 0;
}

void
ent_month_of(int64_t day, char out[8])
{
	char	 buf[32];
	int	 y, m, d;

	date_to_ymd(day, &y, &m, &d);
	snprintf(buf, sizeof(buf), "%04d-%02d", y, m);
	str_copy(out, buf, 8);
}

/* FNV-1a of "month:id": a shuffle nobody can steer by choosing ids. */
static uint64_t
sample_key(const char *month, int64_t id)
{
	char		 s[48];
	uint64_t	 h = 14695981039346656037ull;
	const char	*p;

	snprintf(s, sizeof(s), "%s:%" PRId64, month, id);
	for (p = s; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ull;
	}
	return h;
}

/* An id with its key: sorted by key, so the month's order. */
struct keyed {
	uint64_t	 key;
	int64_t		 id;
};

static int
by_key(const void *a, const void *b)
{
	const struct keyed	*x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

size_t
ent_sample(const char *month, int64_t *ids, size_t n)
{
	struct keyed	*k;
	size_t		 i, take;

	if (n == 0)
		return 0;
	if ((k = calloc(n, sizeof(*k))) == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		k[i].key = sample_key(month, ids[i]);
		k[i].id = ids[i];
	}
	qsort(k, n, sizeof(*k), by_key);
	for (i = 0; i < n; i++)
		ids[i] = k[i].id;
	free(k);
	take = (n * ENT_SAMPLE_PERCENT + 99) / 100;
	if (take < ENT_SAMPLE_MIN)
		take = ENT_SAMPLE_MIN;
	return take < n ? take : n;
}

/* A byte of a phone as typed: digits, separators, the mask's asterisks. */
static bool
phone_byte(char c)
{
	return (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '+' ||
	    c == '*';
}

void
ent_contact_split(const char *cell, char *buf, size_t n, const char **name,
    const char **phone)
{
	size_t	 len, start, end;

	str_copy(buf, cell, n);
	*name = buf;
	*phone = "";
	/* The phone is the run of phone bytes that ends the cell. */
	len = strlen(buf);
	for (start = len; start > 0 && phone_byte(buf[start - 1]); start--)
		continue;
	while (start < len && !(buf[start] >= '0' && buf[start] <= '9') &&
	    buf[start] != '+' && buf[start] != '*')
		start++;
	if (start == len)
		return;		/* no digits at the end: all name */
	/* Cut the name before the phone, dropping the blanks between. */
	if (len + 2 > n)
		return;
	memmove(buf + start + 1, buf + start, len - start + 1);
	*phone = buf + start + 1;
	for (end = start; end > 0 && buf[end - 1] == ' '; end--)
		continue;
	buf[end] = '\0';
}

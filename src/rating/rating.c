/* rating.c: rating purposes (module hooks), periods of rules, input checks. */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "rating/rating.h"

/*
 * The purposes the server knows.  A module that issues rating links
 * declares its purpose and lists it here (one line, like matter types).
 */
extern const struct rating_purpose	window_purpose;
extern const struct rating_purpose	window_rerate_purpose;
extern const struct rating_purpose	enterprise_purpose;
extern const struct rating_purpose	community_purpose;

static const struct rating_purpose *const purposes[] = {
	&window_purpose,
	&window_rerate_purpose,
	&enterprise_purpose,
	&community_purpose,
};

const struct rating_purpose *
rating_purpose(const char *name)
{
	size_t	 i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < sizeof(purposes) / sizeof(purposes[0]); i++)
		if (str_eq(purposes[i]->name, name))
			return purposes[i];
	return NULL;
}

const char *
rating_aspect_label(const struct rating_purpose *p, const char *aspect)
{
	size_t	 i;

	if (p == NULL || p->aspects == NULL || aspect == NULL)
		return "";
	for (i = 0; p->aspects[i] != NULL && p->aspects[i + 1] != NULL; i += 2)
		if (str_eq(p->aspects[i], aspect))
			return p->aspects[i + 1];
	return "";
}

int
rating_period(const char *period, int64_t day, char out[8], int64_t *from,
    int64_t *to)
{
	int	 y, m, d;

	date_to_ymd(day, &y, &m, &d);
	if (str_eq(period, "month")) {
		snprintf(out, 8, "%04d-%02d", y, m);
		*from = date_from_ymd(y, m, 1);
		*to = m == 12 ? date_from_ymd(y + 1, 1, 1) - 1 :
		    date_from_ymd(y, m + 1, 1) - 1;
		return 0;
	}
	if (str_eq(period, "year")) {
		snprintf(out, 8, "%04d", y);
		*from = date_from_ymd(y, 1, 1);
		*to = date_from_ymd(y, 12, 31);
		return 0;
	}
	return -1;
}

bool
rating_code_ok(const char *s)
{
	size_t	 n = 0;

	if (s == NULL)
		return false;
	for (; *s != '\0'; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_') || n >= 32)
			return false;
	return n > 0;
}

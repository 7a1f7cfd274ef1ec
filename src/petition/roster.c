/* roster.c: rules of the reception duty roster: weeks, principal leaders, flags. */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "petition/roster.h"

const char *const roster_forms[] = {
	"visit_duty",		/* 值班接访: fixed place and hours */
	"classified",		/* 分类接访: by the leader's portfolio */
	"appointment",		/* 重点约访: difficult cases, by appointment */
	"down_visit",		/* 带案下访: to where the problem is */
	NULL
};

const char *const roster_form_labels[] = {
	"值班接访",
	"分类接访",
	"重点约访",
	"带案下访",
	NULL
};

/* Post titles that make a principal leader (党委、政府主要领导). */
static const char *const principal_titles[] = { "党委书记", "乡长", "镇长",
    NULL };

const char *
roster_form_label(const char *form)
{
	size_t	 i;

	for (i = 0; roster_forms[i] != NULL; i++)
		if (str_eq(form, roster_forms[i]))
			return roster_form_labels[i];
	return "";
}

int64_t
roster_monday(int64_t day)
{
	return day - (date_weekday(day) - 1);
}

const char *
roster_weekday_label(int64_t day)
{
	static const char *const names[7] = { "星期一", "星期二", "星期三",
	    "星期四", "星期五", "星期六", "星期日" };

	return names[date_weekday(day) - 1];
}

void
roster_week_label(int64_t monday, char out[64])
{
	int	 y1, m1, d1, y2, m2, d2;

	date_to_ymd(monday, &y1, &m1, &d1);
	date_to_ymd(monday + 6, &y2, &m2, &d2);
	if (y1 == y2)
		snprintf(out, 64, "%d年%d月%d日—%d月%d日", y1, m1, d1, m2, d2);
	else
		snprintf(out, 64, "%d年%d月%d日—%d年%d月%d日", y1, m1, d1, y2,
		    m2, d2);
}

bool
roster_principal(const char *titles, bool leader_role)
{
	static const char	 sep[] = "、";
	const char		*s, *e;
	size_t			 i, n;

	if (leader_role)
		return true;
	for (s = titles; s != NULL && *s != '\0'; s = e) {
		e = strstr(s, sep);
		n = e ? (size_t)(e - s) : strlen(s);
		for (i = 0; principal_titles[i] != NULL; i++)
			if (strlen(principal_titles[i]) == n &&
			    memcmp(principal_titles[i], s, n) == 0)
				return true;
		e = e ? e + strlen(sep) : s + n;
	}
	return false;
}

static json_t *
new_week(int64_t monday, int64_t today)
{
	char	 a[11], b[11], label[64];

	date_iso(monday, a);
	date_iso(monday + 6, b);
	roster_week_label(monday, label);
	return json_pack("{ss ss ss sb sb s[]}", "monday", a, "sunday", b,
	    "label", label, "current", today >= monday && today <= monday + 6,
	    "past", today > monday + 6, "items");
}

static bool
named(json_t *seen, const char *one)
{
	json_t	*s;
	size_t	 i;

	json_array_foreach(seen, i, s)
		if (str_eq(json_string_value(s), one))
			return true;
	return false;
}

/* Set "principals", "flagged" and "reason" of a week from its items. */
static int
judge(json_t *week)
{
	json_t		*items = json_object_get(week, "items"), *r, *seen;
	struct buf	 names = BUF_INIT;
	const char	*name, *post;
	char		 one[160];
	size_t		 i;
	int		 rc;

	if ((seen = json_array()) == NULL)
		return -1;
	json_array_foreach(items, i, r) {
		if (!json_is_true(json_object_get(r, "principal")))
			continue;
		name = json_string_value(json_object_get(r, "leader"));
		post = json_string_value(json_object_get(r, "post"));
		snprintf(one, sizeof(one), "%s（%s）", name ? name : "",
		    post ? post : "");
		if (named(seen, one))
			continue;	/* two days of one leader: named once */
		json_array_append_new(seen, json_string(one));
		if (names.len > 0)
			buf_adds(&names, "、");
		buf_adds(&names, one);
	}
	json_decref(seen);
	if (buf_err(&names)) {
		buf_release(&names);
		return -1;
	}
	rc = json_object_set_new(week, "principals", json_string(names.data));
	rc |= json_object_set_new(week, "flagged", json_boolean(names.len ==
	    0));
	rc |= json_object_set_new(week, "reason", names.len == 0 ?
	    json_string(ROSTER_FLAG_REASON) : json_null());
	buf_release(&names);
	return rc == 0 ? 0 : -1;
}

json_t *
roster_weeks(json_t *rows, int64_t monday, int nweeks, int64_t today)
{
	json_t		*weeks, *w, *r;
	const char	*s;
	int64_t		 day, k;
	size_t		 i;

	if ((weeks = json_array()) == NULL)
		return NULL;
	monday = roster_monday(monday);
	for (k = 0; k < nweeks; k++)
		if ((w = new_week(monday + 7 * k, today)) == NULL ||
		    json_array_append_new(weeks, w) != 0)
			goto fail;
	json_array_foreach(rows, i, r) {
		s = json_string_value(json_object_get(r, "day"));
		if (s == NULL || date_parse(s, &day) != 0 || day < monday ||
		    day >= monday + 7 * (int64_t)nweeks)
			continue;
		w = json_array_get(weeks, (size_t)((day - monday) / 7));
		if (json_array_append(json_object_get(w, "items"), r) != 0)
			goto fail;
	}
	json_array_foreach(weeks, i, w)
		if (judge(w) != 0)
			goto fail;
	return weeks;
fail:
	json_decref(weeks);
	return NULL;
}

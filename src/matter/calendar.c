/* calendar.c: working days and deadline arithmetic over the special days. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "matter/calendar.h"

/*
 * Day numbers are clamped into [-CAL_DAY_LIMIT, CAL_DAY_LIMIT] (about
 * 270,000 years either side of 1970) before any arithmetic, so that no sum
 * below can overflow, whatever a caller passes.
 */
#define CAL_DAY_LIMIT	100000000LL

/*
 * The special days, sorted by day with no two alike.  Owns "days" and
 * "names"; every days[i].name points into "names".  Never written after
 * calendar_new() returns.
 */
struct calendar {
	struct cal_special	*days;
	size_t			 n;
	char			*names;
};

/* A row of the caller's table and its place in it, for a stable sort. */
struct cal_order {
	int64_t		 day;
	size_t		 idx;
};

/*
 * A forward walk over the days: "i" is the first special day not before
 * the last day asked about, so each step costs O(1) instead of a search.
 */
struct cal_walk {
	const struct cal_special	*s;
	size_t				 n;
	size_t				 i;
};

static int64_t
clamp_day(int64_t day)
{
	if (day < -CAL_DAY_LIMIT)
		return -CAL_DAY_LIMIT;
	if (day > CAL_DAY_LIMIT)
		return CAL_DAY_LIMIT;
	return day;
}

static bool
is_weekday(int64_t day)
{
	return date_weekday(day) <= 5;
}

static int
order_cmp(const void *a, const void *b)
{
	const struct cal_order	*x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return 0;
}

struct calendar *
calendar_new(const struct cal_special *sp, size_t n)
{
	struct calendar		*c = NULL;
	struct cal_order	*ord = NULL;
	size_t			 i, k, len, pool = 0, used = 0;
	const char		*name;

	if (n > 0 && sp == NULL) {
		error("calendar: %zu special days but no table", n);
		return NULL;
	}
	if (n > SIZE_MAX / sizeof(*c->days) || n > SIZE_MAX / sizeof(*ord)) {
		error("calendar: too many special days (%zu)", n);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (sp[i].kind != CAL_REST && sp[i].kind != CAL_WORK) {
			error("calendar: special day %lld has bad kind %d",
			    (long long)sp[i].day, (int)sp[i].kind);
			return NULL;
		}
		name = sp[i].name != NULL ? sp[i].name : "";
		len = strlen(name) + 1;
		if (pool > SIZE_MAX - len) {
			error("calendar: names too long");
			return NULL;
		}
		pool += len;
	}

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		goto oom;
	c->names = malloc(pool > 0 ? pool : 1);
	if (c->names == NULL)
		goto oom;
	if (n > 0) {
		c->days = calloc(n, sizeof(*c->days));
		ord = calloc(n, sizeof(*ord));
		if (c->days == NULL || ord == NULL)
			goto oom;
	}

	/* Sort by day, then by place in the table, so the later row wins. */
	for (i = 0; i < n; i++) {
		ord[i].day = sp[i].day;
		ord[i].idx = i;
	}
	if (n > 1)
		qsort(ord, n, sizeof(*ord), order_cmp);

	for (i = 0; i < n; i = k) {
		k = i + 1;
		while (k < n && ord[k].day == ord[i].day)
			k++;
		if (k - i > 1)
			log_warn("calendar: day %lld listed %zu times, "
			    "keeping the last", (long long)ord[i].day, k - i);
		name = sp[ord[k - 1].idx].name;
		if (name == NULL)
			name = "";
		len = strlen(name) + 1;
		memcpy(c->names + used, name, len);
		c->days[c->n].day = ord[i].day;
		c->days[c->n].kind = sp[ord[k - 1].idx].kind;
		c->days[c->n].name = c->names + used;
		c->n++;
		used += len;
	}
	free(ord);
	return c;
oom:
	free(ord);
	calendar_free(c);
	error("calendar: out of memory");
	return NULL;
}

void
calendar_free(struct calendar *c)
{
	if (c == NULL)
		return;
	free(c->days);
	free(c->names);
	free(c);
}

/* The index of the first special day not before "day" (n if none). */
static size_t
lower_bound(const struct calendar *c, int64_t day)
{
	size_t	 lo = 0, hi, mid;

	if (c == NULL)
		return 0;
	hi = c->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct cal_special *
lookup(const struct calendar *c, int64_t day)
{
	size_t	 i;

	if (c == NULL)
		return NULL;
	i = lower_bound(c, day);
	if (i < c->n && c->days[i].day == day)
		return &c->days[i];
	return NULL;
}

bool
calendar_is_workday(const struct calendar *c, int64_t day)
{
	const struct cal_special	*s = lookup(c, day);

	if (s != NULL)
		return s->kind == CAL_WORK;
	return is_weekday(day);
}

const char *
calendar_name(const struct calendar *c, int64_t day)
{
	const struct cal_special	*s = lookup(c, day);

	return s != NULL ? s->name : NULL;
}

static void
walk_start(struct cal_walk *w, const struct calendar *c, int64_t day)
{
	w->s = c != NULL ? c->days : NULL;
	w->n = c != NULL ? c->n : 0;
	w->i = lower_bound(c, day);
}

/* Is "day" a working day?  Ask about days in order, never going back. */
static bool
walk_workday(struct cal_walk *w, int64_t day)
{
	while (w->i < w->n && w->s[w->i].day < day)
		w->i++;
	if (w->i < w->n && w->s[w->i].day == day)
		return w->s[w->i].kind == CAL_WORK;
	return is_weekday(day);
}

/*
 * The walks below end: past the last special day every week has working
 * days, so a run of rest days is at most a few days longer than the table.
 */
int64_t
calendar_add(const struct calendar *c, int64_t from, int n,
    enum cal_unit unit, bool roll)
{
	struct cal_walk	 w;
	int64_t		 d;
	int		 left;

	if (n < 0)
		n = 0;
	if (n > CAL_ADD_MAX)
		n = CAL_ADD_MAX;
	from = clamp_day(from);

	if (unit == CAL_WORKDAYS && n > 0) {
		walk_start(&w, c, from + 1);
		d = from;
		for (left = n; left > 0; ) {
			d++;
			if (walk_workday(&w, d))
				left--;
		}
		return d;
	}

	d = from + n;
	if (roll) {
		walk_start(&w, c, d);
		while (!walk_workday(&w, d))
			d++;
	}
	return d;
}

/* The number of Mondays to Fridays before "day" since a Monday long ago. */
static int64_t
weekdays_before(int64_t day)
{
	int64_t	 t, weeks, r;

	/* Day 4, 1970-01-05, was a Monday. */
	t = day - 4;
	weeks = t / 7;
	r = t % 7;
	if (r < 0) {
		r += 7;
		weeks--;
	}
	return weeks * 5 + (r < 5 ? r : 5);
}

/*
 * Working days are counted by arithmetic, not by a walk: the weekdays in
 * (from, to], plus each 调休 weekend and less each weekday holiday in that
 * range.  So a paused deadline of any length costs O(log n + specials).
 */
int
calendar_count(const struct calendar *c, int64_t from, int64_t to,
    enum cal_unit unit)
{
	int64_t		 k;
	size_t		 i;
	bool		 wd;

	from = clamp_day(from);
	to = clamp_day(to);
	if (to <= from)
		return 0;
	if (unit != CAL_WORKDAYS)
		k = to - from;
	else {
		k = weekdays_before(to + 1) - weekdays_before(from + 1);
		i = lower_bound(c, from + 1);
		for (; c != NULL && i < c->n && c->days[i].day <= to; i++) {
			wd = is_weekday(c->days[i].day);
			if (c->days[i].kind == CAL_WORK && !wd)
				k++;
			else if (c->days[i].kind == CAL_REST && wd)
				k--;
		}
	}
	return k > INT_MAX ? INT_MAX : (int)k;
}

/* roster.h: rules of the reception duty roster: weeks, principal leaders, flags. */
#ifndef XZ_ROSTER_H
#define XZ_ROSTER_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

/*
 * The forms of reception the plan names (领导干部接访下访行动方案 三(三)),
 * NULL-terminated, in the order the forms list them; the labels match.
 */
extern const char *const roster_forms[];	/* visit_duty, ... */
extern const char *const roster_form_labels[];	/* 值班接访, ... */
/* The label of a form name, or "" if it is none of them. */
const char	*roster_form_label(const char *form);

/* Weeks run Monday to Sunday (周报 weeks): the Monday of "day"'s week. */
int64_t		 roster_monday(int64_t day);
/* "星期一" ... "星期日". */
const char	*roster_weekday_label(int64_t day);
/* "2026年11月30日—12月6日" for the week of "monday" (the year once if shared). */
void		 roster_week_label(int64_t monday, char out[64]);

/*
 * Is a leader a principal leader (主要领导)?  The rule: their account holds
 * the leader role ("leader_role"), or one of their current posts is titled
 * exactly 党委书记, 乡长 or 镇长.  "titles" are the current post titles
 * joined by "、" (may be NULL or "").  Exact titles, so 党委副书记 and
 * 副乡长 are not principal.
 */
bool		 roster_principal(const char *titles, bool leader_role);

/*
 * Group duty rows into the weeks from "monday" on, "nweeks" of them, and
 * flag each week without a day of a principal leader (乡主要领导每周至少
 * 安排1天时间接访).  "rows" is an array of objects sorted by "day"
 * ('YYYY-MM-DD'), each with "principal" (bool), "leader" and "post"
 * (strings); rows outside the weeks are left out.  "today" marks the
 * current week.  Returns a new array of
 *   {monday, sunday, label, current, past, items: [rows], principals:
 *    "姓名（职务）、…", flagged, reason (string or null)}
 * (the caller owns it; the rows are shared, not copied), or NULL when out
 * of memory.
 */
json_t		*roster_weeks(json_t *rows, int64_t monday, int nweeks,
		    int64_t today);

/* The rule above, in words, for the API. */
#define ROSTER_PRINCIPAL_RULE \
	"主要领导：账号为“主要领导”角色，或现任职务为党委书记、乡长、镇长"

/* The reason text of a flagged week. */
#define ROSTER_FLAG_REASON \
	"本周没有安排主要领导接访：按方案要求，乡主要领导每周至少安排1天时间接访"

#endif

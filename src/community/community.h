/* community.h: 进社区、进农户: categories, the rating scale, months, deadlines. */
#ifndef XZ_COMMUNITY_H
#define XZ_COMMUNITY_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Stored codes and their Chinese labels, NULL-terminated and in step.
 * Care categories: the first three are households (三类户), the rest
 * persons (关爱对象).
 */
extern const char *const ca_categories[];
extern const char *const ca_category_labels[];
#define CA_HOUSEHOLD_KINDS	3
extern const char *const ca_ways[];
extern const char *const ca_way_labels[];
extern const char *const mh_categories[];
extern const char *const mh_category_labels[];
/* The national five levels, index = level (1 非常不满意 .. 5 非常满意). */
extern const char *const cm_level_labels[6];
extern const char *const cm_levels[];		/* "1".."5", for F_ENUM */

/* The label of "code" in "codes"/"labels", or "" when unknown. */
const char *cm_label(const char *const *codes, const char *const *labels,
	    const char *code);
/* Is the care category one of households (三类户)? */
bool	 ca_is_household(const char *category);

/*
 * A month named "YYYY-MM" (or NULL/"" for the month of "today"): its first
 * and last days.  0, or -1 when unreadable.
 */
int	 cm_month_parse(const char *s, int64_t today, int64_t *first,
	    int64_t *last);
/* "2026-11" of a day. */
void	 cm_month_of(int64_t day, char out[8]);

/*
 * The plan (三进 行动方案, 三): 11月底完成 ... 评选工作: a year's model
 * household nominations close at the end of 30 November of that year
 * (Asia/Shanghai).
 */
#define MH_DEADLINE_MONTH	11
#define MH_DEADLINE_DAY		30
/* The last day to nominate for "year". */
int64_t	 mh_deadline(int year);
/* Is "today" after that day? */
bool	 mh_closed(int year, int64_t today);

#endif

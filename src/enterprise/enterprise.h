/* enterprise.h: enterprise rules without SQL: kinds, patron roles, visits, samples. */
#ifndef XZ_ENTERPRISE_H
#define XZ_ENTERPRISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A code and its Chinese label: the tables below are data. */
struct ent_label {
	const char	*name;
	const char	*label;
};

/* 合作社, 家庭农场, 公司, 门店, 其他 (NULL-terminated). */
extern const struct ent_label ent_kinds[];
/* 包抓 (a leader), 包保 (a cadre). */
extern const struct ent_label ent_roles[];
/* The six must-visit occasions (六必访) and routine visits. */
extern const struct ent_label ent_visit_kinds[];
/* Spot-check results (抽查结果). */
extern const struct ent_label ent_check_results[];
/* The enterprise scale: 满意, 基本满意, 一般, 不满意. */
extern const struct ent_label ent_levels[];
/* Is the level 一般 or worse (feedback and a supervision opinion)? */
bool		 ent_level_bad(const char *level);

/* The label of "name" in "t", or NULL. */
const char	*ent_label(const struct ent_label *t, const char *name);
/* NULL-terminated names of "t", for F_ENUM fields. */
const char *const *ent_names(const struct ent_label *t);

/* The kind a name suggests: 合作社 → coop, 家庭农场 → farm, ... */
const char	*ent_kind_guess(const char *name);

/*
 * A month typed as "2026-11" (or any day of it, "2026-11-05"): its first
 * and last day numbers.  0, or -1 when it is not a month.
 */
int	 ent_month_parse(const char *s, int64_t *first, int64_t *last);
/* "2026-11" of a day (8 bytes). */
void	 ent_month_of(int64_t day, char out[8]);

/*
 * The monthly spot-check sample: of n enterprises (ids), the ones a
 * month's keyed shuffle puts first, ENT_SAMPLE_PERCENT of them rounded up
 * and at least ENT_SAMPLE_MIN (all of them when fewer).  Deterministic:
 * the same month and ids always give the same sample, whoever asks.
 * Sorts "ids" in place by that order; returns how many of them are taken.
 */
#define ENT_SAMPLE_PERCENT	20
#define ENT_SAMPLE_MIN		3
size_t	 ent_sample(const char *month, int64_t *ids, size_t n);

/*
 * Split a contact cell of the published list ("李四139 1234 5678",
 * "【人员09】139****5712") into the name and the phone as typed: the phone
 * is the run of digits, blanks, '-', '+' and '*' that ends the cell.
 * "name" and "phone" point into "buf" (a copy, "n" bytes, at least two
 * more than the cell).  A cell that does not end in digits is all name.
 */
void	 ent_contact_split(const char *cell, char *buf, size_t n,
	    const char **name, const char **phone);

#endif

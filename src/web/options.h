/* options.h: <select> options in view models, re-selected on a failed POST. */
#ifndef XZ_OPTIONS_H
#define XZ_OPTIONS_H

#include <stdint.h>

#include <jansson.h>

#include "http/form.h"

/*
 * A form's model keeps its choices under "options", keyed by field name:
 * {"kind": [{"value": "cadre", "label": "干部", "selected": true}, ...],
 *  "group_id": [{"label": "龙咀子村", "options": [...]}]}  (optgroups).
 * Templates loop over them; opt_reselect() marks what a failed POST sent.
 */
json_t	*opt_list(const char *const *values, const char *const *labels,
	    const char *selected);
/* From [{id, name}] rows. */
json_t	*opt_ids(json_t *rows, int64_t selected);
/* From org_village_options(): the villages, and the groups as optgroups. */
json_t	*opt_villages(json_t *villages, int64_t selected);
json_t	*opt_groups(json_t *villages, int64_t selected);
/* Mark the options matching the submitted form values. */
void	 opt_reselect(json_t *options, const struct kvlist *form);

#endif

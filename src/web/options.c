/* options.c: <select> options in view models. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "web/options.h"

json_t *
opt_list(const char *const *values, const char *const *labels,
    const char *sel)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; values[i] != NULL; i++)
		json_array_append_new(a, json_pack("{ss ss sb}", "value",
		    values[i], "label", labels[i], "selected",
		    str_eq(sel, values[i])));
	return a;
}

static json_t *
opt_one(json_int_t id, json_t *label, int64_t sel)
{
	json_t	*o = json_object();
	char	 v[24];

	snprintf(v, sizeof(v), "%" JSON_INTEGER_FORMAT, id);
	json_object_set_new_nocheck(o, "value", json_string_nocheck(v));
	json_object_set_nocheck(o, "label", json_is_string(label) ? label :
	    json_string_nocheck(""));
	json_object_set_new_nocheck(o, "selected", json_boolean(id == sel));
	return o;
}

json_t *
opt_ids(json_t *rows, int64_t sel)
{
	json_t	*a = json_array(), *r;
	size_t	 i;

	json_array_foreach(rows, i, r)
		json_array_append_new(a, opt_one(json_integer_value(
		    json_object_get(r, "id")), json_object_get(r, "name"), sel));
	return a;
}

json_t *
opt_villages(json_t *villages, int64_t sel)
{
	return opt_ids(villages, sel);
}

json_t *
opt_groups(json_t *villages, int64_t sel)
{
	json_t	*a = json_array(), *v;
	size_t	 i;

	json_array_foreach(villages, i, v)
		json_array_append_new(a, json_pack("{so so}", "label",
		    json_incref(json_object_get(v, "name")), "options",
		    opt_ids(json_object_get(v, "groups"), sel)));
	return a;
}

static void
mark(json_t *opts, const char *val)
{
	json_t	*o, *inner;
	size_t	 i;

	json_array_foreach(opts, i, o) {
		inner = json_object_get(o, "options");
		if (json_is_array(inner)) {
			mark(inner, val);
			continue;
		}
		json_object_set_new(o, "selected", json_boolean(str_eq(
		    json_string_value(json_object_get(o, "value")), val)));
	}
}

void
opt_reselect(json_t *options, const struct kvlist *form)
{
	const char	*key;
	json_t		*opts;

	json_object_foreach(options, key, opts) {
		const char	*v = kv_get(form, key);

		mark(opts, v ? v : "");
	}
}

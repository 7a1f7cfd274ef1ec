/* router.h: match request paths against route patterns. */
#ifndef XZ_ROUTER_H
#define XZ_ROUTER_H

#include <stdbool.h>

#include "base/arena.h"
#include "http/form.h"

/*
 * Patterns are literal segments and captures: "/people/:id/edit" matches
 * "/people/12/edit" and captures id=12; ":name" matches one non-empty
 * segment; ":name.ext" matches a segment ending in ".ext" and captures
 * what comes before it ("/weekly/:id.xlsx" captures id=7 from
 * "/weekly/7.xlsx").  A final "*name" captures the rest of the path (possibly with
 * slashes, never empty).  A trailing slash in the path matches only a
 * pattern with one.  On a match the captures are appended to "params"
 * (in "a") and true is returned; on no match "params" is unchanged.
 */
bool	 router_match(const char *pattern, const char *path, struct arena *a,
	    struct kvlist *params);

#endif

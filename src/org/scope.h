/* scope.h: the slice of data one request may see. */
#ifndef XZ_SCOPE_H
#define XZ_SCOPE_H

#include <stdint.h>

/*
 * Every query of township data binds both members.  "village_id" is 0
 * unless the route is village-scoped and the actor is a village cadre;
 * then rows of other villages are invisible (answered 404, never 403, so
 * their existence does not leak).
 */
struct scope {
	int64_t		 township_id;
	int64_t		 village_id;
};

#endif

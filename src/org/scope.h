/* scope.h: the slice of data one request may see. */
#ifndef XZ_SCOPE_H
#define XZ_SCOPE_H

#include <stdint.h>

#include "db/db.h"

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

/* Bind a scope as ?1 (township) and ?2 (the village, or NULL for all). */
static inline void
scope_bind(struct db_stmt *st, const struct scope *sc)
{
	db_bind_int64(st, 1, sc->township_id);
	db_bind_id(st, 2, sc->village_id);
}

#endif

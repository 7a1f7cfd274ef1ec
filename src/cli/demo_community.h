/* demo_community.h: the demo township's 进社区、进农户 records. */
#ifndef XZ_DEMO_COMMUNITY_H
#define XZ_DEMO_COMMUNITY_H

#include <stdint.h>

#include "audit/audit.h"
#include "org/scope.h"

struct db;

/*
 * Synthetic: two communities with four township cadres registered; in
 * every village
 * three monitored households and two care recipients paired with the
 * village's cadres, about half of them contacted today; two model
 * household nominations this year.  In the caller's transaction.
 */
int	 community_demo(struct db *, const struct scope *,
	    const struct audit_actor *, int64_t now);

#endif

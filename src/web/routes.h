/* routes.h: the one route table. */
#ifndef XZ_ROUTES_H
#define XZ_ROUTES_H

#include <stddef.h>

#include "web/web.h"

extern const struct route	routes[];
extern const size_t		nroutes;

#endif

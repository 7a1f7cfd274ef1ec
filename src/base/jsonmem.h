/* jsonmem.h: jansson's allocations come from the current request's arena. */
#ifndef XZ_JSONMEM_H
#define XZ_JSONMEM_H

#include "base/arena.h"

/*
 * After jsonmem_init(), every jansson allocation made by a thread that has
 * called jsonmem_use(a) comes from arena "a" (a bump of a pointer; "freeing"
 * it costs nothing), and every other one from malloc.  A model built while
 * handling a request is therefore released with the request's arena, and
 * must not outlive it: call jsonmem_use(NULL) before the arena goes.
 * Strings from json_dumps() are freed with jsonmem_free(), never free().
 */
void	 jsonmem_init(void);
void	 jsonmem_use(struct arena *);
void	 jsonmem_free(void *);

#endif

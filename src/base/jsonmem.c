/* jsonmem.c: route jansson's allocations to the request arena when there is one. */
#include <stdlib.h>

#include <jansson.h>

#include "base/jsonmem.h"

/*
 * Each block carries a 16-byte header (keeping malloc's alignment) whose
 * first byte says where it came from, so free() knows what to do.
 */
#define HEADER		16
#define FROM_MALLOC	0
#define FROM_ARENA	1

static _Thread_local struct arena *current;

static void *
jm_malloc(size_t n)
{
	unsigned char	*p;

	if (current != NULL) {
		p = arena_alloc_raw(current, n + HEADER);
		p[0] = FROM_ARENA;
		return p + HEADER;
	}
	if ((p = malloc(n + HEADER)) == NULL)
		return NULL;
	p[0] = FROM_MALLOC;
	return p + HEADER;
}

static void
jm_free(void *ptr)
{
	unsigned char	*p;

	if (ptr == NULL)
		return;
	p = (unsigned char *)ptr - HEADER;
	if (p[0] == FROM_MALLOC)
		free(p);
}

void
jsonmem_init(void)
{
	json_set_alloc_funcs(jm_malloc, jm_free);
}

void
jsonmem_use(struct arena *a)
{
	current = a;
}

/* Free with whatever allocator jansson has: ours, or plain malloc. */
void
jsonmem_free(void *p)
{
	json_malloc_t	 m;
	json_free_t	 f;

	json_get_alloc_funcs(&m, &f);
	f(p);
}

/* arena.h: request-scoped memory, freed in one call. */
#ifndef XZ_ARENA_H
#define XZ_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#include "base/compat.h"

/*
 * An arena hands out memory from large blocks and frees it all at once in
 * arena_release().  Allocation never fails quietly: on out-of-memory the
 * arena functions abort the process, because a half-built response is worse
 * than a restart (the server is supervised, and every write is transactional).
 * The arena owns every block; nothing it returns may be passed to free().
 */
struct arena_block;

struct arena {
	struct arena_block	*head;
	size_t			 used;	/* bytes handed out, for metrics */
	_Alignas(16) char	 first[2048];	/* small requests need no malloc */
	size_t			 first_off;
};

void	 arena_init(struct arena *);
void	*arena_alloc(struct arena *, size_t);		/* zeroed */
void	*arena_alloc_raw(struct arena *, size_t);	/* not zeroed */
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_printf(struct arena *, const char *, ...) PRINTFLIKE(2, 3);
void	*arena_memdup(struct arena *, const void *, size_t);
void	 arena_release(struct arena *);

#endif

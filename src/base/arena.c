/* arena.c: bump allocation from a list of blocks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/log.h"

#define ARENA_ALIGN	16
#define ARENA_BLOCK	(32 * 1024)

struct arena_block {
	struct arena_block	*next;
	size_t			 size;
	size_t			 off;
	_Alignas(ARENA_ALIGN) char data[];
};

static size_t
align_up(size_t n)
{
	return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

void
arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->first_off = 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	void	*p = arena_alloc_raw(a, n);

	memset(p, 0, n ? n : 1);
	return p;
}

void *
arena_alloc_raw(struct arena *a, size_t n)
{
	struct arena_block	*b;
	size_t			 sz;
	void			*p;

	if (n > SIZE_MAX / 2)
		die("impossible allocation of %zu bytes", n);
	n = align_up(n ? n : 1);
	a->used += n;
	if (a->first_off + n <= sizeof(a->first)) {
		p = a->first + a->first_off;
		a->first_off += n;
		return p;
	}
	b = a->head;
	if (b == NULL || b->size - b->off < n) {
		sz = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		b = malloc(sizeof(*b) + sz);
		if (b == NULL)
			die("out of memory allocating %zu bytes", sz);
		b->size = sz;
		b->off = 0;
		/* Big one-off blocks go behind the current one. */
		if (sz > ARENA_BLOCK && a->head != NULL) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->off;
	b->off += n;
	return p;
}

void *
arena_memdup(struct arena *a, const void *src, size_t n)
{
	char	*p;

	p = arena_alloc(a, n + 1);
	if (n)
		memcpy(p, src, n);
	p[n] = '\0';
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	return arena_memdup(a, s, n);
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_memdup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	 tmp[256], *p;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	if ((size_t)n < sizeof(tmp))
		return arena_memdup(a, tmp, (size_t)n);
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_release(struct arena *a)
{
	struct arena_block	*b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	arena_init(a);
}

/* buf.h: a growable byte string with a size cap and a sticky error. */
#ifndef XZ_BUF_H
#define XZ_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compat.h"

/*
 * A growable byte string {data, len, cap, max, err}.  "data" is never NULL
 * and always NUL-terminated, even after an error.  The first failure (out of
 * memory, or growing past "max" bytes) is kept in "err"; later appends do
 * nothing.  Check buf_err() once, after a run of appends.  The buffer owns
 * "data" unless it still points at the shared empty string.
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 max;	/* 0 means no limit beyond SIZE_MAX / 2 */
	int	 err;	/* 0, BUF_ENOMEM or BUF_ETOOBIG */
};

enum { BUF_ENOMEM = 1, BUF_ETOOBIG = 2 };

#define BUF_INIT	{ (char *)"", 0, 0, 0, 0 }

void	 buf_init(struct buf *, size_t max);
void	 buf_grow(struct buf *, size_t extra);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_addf(struct buf *, const char *, ...) PRINTFLIKE(2, 3);
void	 buf_vaddf(struct buf *, const char *, va_list) PRINTFLIKE(2, 0);
void	 buf_add_int(struct buf *, int64_t);
void	 buf_truncate(struct buf *, size_t len);
void	 buf_reset(struct buf *);
int	 buf_err(const struct buf *);
char	*buf_detach(struct buf *, size_t *len);	/* caller frees */
void	 buf_release(struct buf *);

/* Append a string literal; rejects variables at compile time. */
#define buf_lit(b, s)	buf_add((b), "" s "", sizeof(s) - 1)

#endif

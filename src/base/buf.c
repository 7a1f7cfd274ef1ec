/* buf.c: growable byte strings with a cap and a sticky error. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

static char	 buf_empty[1];

void
buf_init(struct buf *b, size_t max)
{
	b->data = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = 0;
}

/*
 * Make room for "extra" more bytes plus the NUL.  On failure set the sticky
 * error and leave the contents as they were.
 */
void
buf_grow(struct buf *b, size_t extra)
{
	size_t	 want, ncap, max;
	char	*p;

	if (b->err)
		return;
	max = b->max ? b->max : SIZE_MAX / 2;
	if (extra > max || b->len > max - extra) {
		b->err = BUF_ETOOBIG;
		return;
	}
	want = b->len + extra + 1;
	if (want <= b->cap)
		return;
	ncap = b->cap ? b->cap : 64;
	while (ncap < want)
		ncap = ncap < SIZE_MAX / 4 ? ncap * 2 : want;
	p = b->cap ? realloc(b->data, ncap) : malloc(ncap);
	if (p == NULL) {
		b->err = BUF_ENOMEM;
		return;
	}
	if (b->cap == 0)
		p[0] = '\0';
	b->data = p;
	b->cap = ncap;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	buf_grow(b, n);
	if (b->err)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	char	 tmp[256];
	va_list	 cp;
	int	 n;

	if (b->err)
		return;
	/* Most output is short: format on the stack, append once. */
	va_copy(cp, ap);
	n = vsnprintf(tmp, sizeof(tmp), fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->err = BUF_ENOMEM;
		return;
	}
	if ((size_t)n < sizeof(tmp)) {
		buf_add(b, tmp, (size_t)n);
		return;
	}
	buf_grow(b, (size_t)n);		/* checks the cap */
	if (b->err)
		return;
	va_copy(cp, ap);
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
buf_add_int(struct buf *b, int64_t v)
{
	char	 tmp[24];
	int	 n;

	n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);
	buf_add(b, tmp, (size_t)n);
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

void
buf_reset(struct buf *b)
{
	buf_truncate(b, 0);
	b->err = 0;
}

int
buf_err(const struct buf *b)
{
	return b->err;
}

/*
 * Hand the contents to the caller, who frees them with free().  Returns NULL
 * if the buffer is in error.  The buffer is left empty and reusable.
 */
char *
buf_detach(struct buf *b, size_t *len)
{
	char	*p;

	if (b->err) {
		buf_release(b);
		return NULL;
	}
	p = b->cap ? b->data : strdup("");
	if (len != NULL)
		*len = p ? b->len : 0;
	b->data = buf_empty;
	b->len = b->cap = 0;
	return p;
}

void
buf_release(struct buf *b)
{
	if (b->cap)
		free(b->data);
	b->data = buf_empty;
	b->len = b->cap = 0;
	b->err = 0;
}

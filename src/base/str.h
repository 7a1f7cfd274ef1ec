/* str.h: strict number parsing and small string helpers. */
#ifndef XZ_STR_H
#define XZ_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse a whole decimal integer in [min, max]; trailing junk fails. 0 / -1. */
int	 str_to_int64(const char *, int64_t min, int64_t max, int64_t *out);
bool	 str_eq(const char *, const char *);	/* NULL-safe */
bool	 str_has_prefix(const char *, const char *);
bool	 str_empty(const char *);		/* NULL or "" */
/* Copy at most n-1 bytes and terminate; returns strlen(src) like strlcpy. */
size_t	 str_copy(char *dst, const char *src, size_t n);
/* Hex-encode n bytes into out (2n+1 bytes). */
void	 str_hex(char *out, const unsigned char *in, size_t n);
/* Decode 2n hex digits into n bytes; returns 0 or -1. */
int	 str_unhex(unsigned char *out, size_t n, const char *hex);

#endif

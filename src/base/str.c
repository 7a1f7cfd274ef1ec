/* str.c: strict number parsing and small string helpers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"

int
str_to_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char		*end;
	long long	 v;

	/* strtoll would skip leading white space and take a '+'. */
	if (s == NULL || !((*s >= '0' && *s <= '9') || *s == '-'))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

bool
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_empty(const char *s)
{
	return s == NULL || *s == '\0';
}

size_t
str_copy(char *dst, const char *src, size_t n)
{
	size_t	 len = strlen(src);

	if (n > 0) {
		size_t	 k = len < n - 1 ? len : n - 1;

		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return len;
}

void
str_hex(char *out, const unsigned char *in, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
str_unhex(unsigned char *out, size_t n, const char *hex)
{
	size_t	 i;
	int	 hi, lo;

	if (strlen(hex) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

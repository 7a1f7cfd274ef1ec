/* utf8.c: strict UTF-8 checks (RFC 3629), no locale involved. */
#include "base/utf8.h"

size_t
utf8_seqlen(const char *str, size_t n)
{
	const unsigned char	*s = (const unsigned char *)str;
	unsigned		 c;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	if (c < 0xe0) {
		if (n < 2 || (s[1] & 0xc0) != 0x80)
			return 0;
		return 2;
	}
	if (c < 0xf0) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)	/* overlong */
			return 0;
		if (c == 0xed && s[1] > 0x9f)	/* surrogate */
			return 0;
		return 3;
	}
	if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
	    (s[3] & 0xc0) != 0x80)
		return 0;
	if (c == 0xf0 && s[1] < 0x90)		/* overlong */
		return 0;
	if (c == 0xf4 && s[1] > 0x8f)		/* past U+10FFFF */
		return 0;
	return 4;
}

bool
utf8_valid(const char *s, size_t n)
{
	size_t	 i = 0, k;

	while (i < n) {
		if (s[i] == '\0')
			return false;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_seqlen(s + i, n - i);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

size_t
utf8_len(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

bool
utf8_has_control(const char *s, bool allow_newline)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\t')
			continue;
		if ((*p == '\n' || *p == '\r') && allow_newline)
			continue;
		if (*p < 0x20 || *p == 0x7f)
			return true;
	}
	return false;
}

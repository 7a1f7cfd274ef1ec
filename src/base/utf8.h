/* utf8.h: UTF-8 validation and counting. */
#ifndef XZ_UTF8_H
#define XZ_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Length of the well-formed UTF-8 sequence at "s" (1-4), or 0 if it is not
 * well formed: overlong forms, surrogates, code points past U+10FFFF and
 * truncated sequences are all refused.  "n" is the bytes available.
 */
size_t	 utf8_seqlen(const char *s, size_t n);

/* True if "s" (n bytes) is well-formed UTF-8 with no NUL byte. */
bool	 utf8_valid(const char *s, size_t n);

/* Number of code points in the valid UTF-8 string "s". */
size_t	 utf8_len(const char *s);

/* True if "s" has a C0 control other than tab, LF and CR, or DEL. */
bool	 utf8_has_control(const char *s, bool allow_newline);

#endif

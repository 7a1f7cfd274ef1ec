/* compat.h: compiler attributes and tiny macros used everywhere. */
#ifndef XZ_COMPAT_H
#define XZ_COMPAT_H

#include <stddef.h>

#define PRINTFLIKE(f, a)	__attribute__((format(printf, f, a)))
#define NORETURN		__attribute__((noreturn))
#define UNUSED			__attribute__((unused))
#define NELEM(a)		(sizeof(a) / sizeof((a)[0]))

#endif

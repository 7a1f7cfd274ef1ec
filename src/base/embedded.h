/* embedded.h: files compiled into the binary by tools/embed. */
#ifndef XZ_EMBEDDED_H
#define XZ_EMBEDDED_H

#include <stddef.h>

/*
 * One file from the source tree (migrations, templates, static assets),
 * with a gzip copy when compressing saves space, and a strong ETag.  Names
 * are source paths such as "sql/sqlite/0001-init.sql".  All read-only.
 */
struct embedded {
	const char		*name;
	const unsigned char	*data;	/* NUL-terminated, len excludes it */
	size_t			 len;
	const unsigned char	*gz;	/* NULL if not worth compressing */
	size_t			 gzlen;
	const char		*etag;	/* "\"hex\"" */
};

extern const struct embedded	embedded_files[];
extern const size_t		embedded_nfiles;

/* The file called "name", or NULL. */
const struct embedded	*embedded_find(const char *name);

#endif

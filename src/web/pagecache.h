/* pagecache.h: rendered pages kept while the data they show is unchanged. */
#ifndef XZ_PAGECACHE_H
#define XZ_PAGECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/*
 * A page is a function of the data and of who asks.  Every change to the
 * data writes an audit record in its own transaction, so the newest audit
 * id is a version of all of it (audit_version()).  A rendered page or API
 * answer of a route marked ROUTE_CACHE is kept under a key made of the
 * session (who, and their CSRF token), the request and the Asia/Shanghai
 * date, with the version it was made at; it is served again only while
 * the version is unchanged.  Several servers sharing one database stay
 * correct: each checks the shared version.  Bytes are capped; the oldest
 * entries go first.
 */
#define PAGECACHE_KEY	32

void	 pagecache_init(size_t max_bytes);	/* 0 turns it off */
bool	 pagecache_on(void);
/* Copy a fresh entry into "out" with its content type; false on a miss. */
bool	 pagecache_get(const unsigned char key[PAGECACHE_KEY], int64_t version,
	    struct buf *out, const char **content_type, bool *gzipped);
void	 pagecache_put(const unsigned char key[PAGECACHE_KEY], int64_t version,
	    const char *body, size_t len, const char *content_type,
	    bool gzipped);
/* Counters for /metrics. */
void	 pagecache_stats(uint64_t *hits, uint64_t *misses, size_t *bytes);

#endif

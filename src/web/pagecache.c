/* pagecache.c: a small, version-checked cache of rendered pages. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "web/pagecache.h"

#define SLOTS	1024		/* power of two */

/* One cached page.  The cache owns "body". */
struct entry {
	unsigned char	 key[PAGECACHE_KEY];
	int64_t		 version;
	char		*body;
	size_t		 len;
	const char	*type;		/* a static string */
	bool		 gz;
	uint64_t	 used;		/* tick of the last hit, for eviction */
};

static struct entry	 slots[SLOTS];
static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static size_t		 cap, total;
static uint64_t		 tick;
static _Atomic uint64_t	 hits, misses;

void
pagecache_init(size_t max_bytes)
{
	cap = max_bytes;
}

bool
pagecache_on(void)
{
	return cap > 0;
}

static size_t
slot_of(const unsigned char key[PAGECACHE_KEY])
{
	size_t	 h;

	memcpy(&h, key, sizeof(h));	/* the key is a hash already */
	return h & (SLOTS - 1);
}

static void
drop(struct entry *e)
{
	total -= e->len;
	free(e->body);
	memset(e, 0, sizeof(*e));
}

bool
pagecache_get(const unsigned char key[PAGECACHE_KEY], int64_t version,
    struct buf *out, const char **type, bool *gz)
{
	struct entry	*e;
	bool		 hit = false;

	if (cap == 0)
		return false;
	pthread_mutex_lock(&lock);
	e = &slots[slot_of(key)];
	if (e->body != NULL && memcmp(e->key, key, PAGECACHE_KEY) == 0) {
		if (e->version == version) {
			buf_add(out, e->body, e->len);
			*type = e->type;
			*gz = e->gz;
			e->used = ++tick;
			hit = !buf_err(out);
		} else
			drop(e);	/* the data changed since */
	}
	pthread_mutex_unlock(&lock);
	atomic_fetch_add(hit ? &hits : &misses, 1);
	return hit;
}

/* Free the least recently used entries until "need" more bytes fit. */
static void
make_room(size_t need)
{
	size_t	 i, oldest;

	while (total + need > cap && total > 0) {
		oldest = SLOTS;
		for (i = 0; i < SLOTS; i++)
			if (slots[i].body != NULL && (oldest == SLOTS ||
			    slots[i].used < slots[oldest].used))
				oldest = i;
		if (oldest == SLOTS)
			break;
		drop(&slots[oldest]);
	}
}

void
pagecache_put(const unsigned char key[PAGECACHE_KEY], int64_t version,
    const char *body, size_t len, const char *type, bool gz)
{
	struct entry	*e;
	char		*copy;

	if (cap == 0 || len > cap / 8 || (copy = malloc(len ? len : 1)) == NULL)
		return;
	memcpy(copy, body, len);
	pthread_mutex_lock(&lock);
	e = &slots[slot_of(key)];
	if (e->body != NULL)
		drop(e);
	make_room(len);
	memcpy(e->key, key, PAGECACHE_KEY);
	e->version = version;
	e->body = copy;
	e->len = len;
	e->type = type;
	e->gz = gz;
	e->used = ++tick;
	total += len;
	pthread_mutex_unlock(&lock);
}

void
pagecache_stats(uint64_t *h, uint64_t *m, size_t *bytes)
{
	*h = atomic_load(&hits);
	*m = atomic_load(&misses);
	pthread_mutex_lock(&lock);
	*bytes = total;
	pthread_mutex_unlock(&lock);
}

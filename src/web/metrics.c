/* metrics.c: lock-free counters per route and status class, one histogram. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "db/db.h"
#include "base/timeutil.h"
#include "web/metrics.h"
#include "web/pagecache.h"

#define SLOTS	256		/* distinct route patterns, hashed */
#define CLASSES	5		/* 1xx..5xx */

static const double bucket_ms[] = { 1, 2.5, 5, 10, 25, 50, 100, 250, 500,
    1000, 2500 };
#define NBUCKETS (sizeof(bucket_ms) / sizeof(bucket_ms[0]))

struct slot {
	_Atomic(const char *) route;
	_Atomic uint64_t	 count[CLASSES];
};

static struct slot	 slots[SLOTS];
static _Atomic uint64_t	 hist[NBUCKETS + 1];
static _Atomic uint64_t	 hist_sum_us;
static _Atomic uint64_t	 hist_count;

void
metrics_init(size_t nroutes)
{
	(void)nroutes;
}

static size_t
hash(const char *s)
{
	size_t	 h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* Route patterns are static strings, so pointers identify them. */
static struct slot *
slot_for(const char *route)
{
	size_t		 i, h = hash(route);
	const char	*cur;

	for (i = 0; i < SLOTS; i++) {
		struct slot	*s = &slots[(h + i) % SLOTS];

		cur = atomic_load(&s->route);
		if (cur == route || (cur != NULL && strcmp(cur, route) == 0))
			return s;
		if (cur == NULL) {
			const char	*expect = NULL;

			if (atomic_compare_exchange_strong(&s->route, &expect,
			    route) || strcmp(expect, route) == 0)
				return s;
		}
	}
	return NULL;
}

void
metrics_record(const char *route, int status, int64_t us)
{
	struct slot	*s;
	int		 cls = status / 100 - 1;
	size_t		 b;

	if (cls < 0 || cls >= CLASSES)
		cls = CLASSES - 1;
	s = slot_for(route ? route : "unmatched");
	if (s != NULL)
		atomic_fetch_add(&s->count[cls], 1);
	for (b = 0; b < NBUCKETS && (double)us / 1000.0 > bucket_ms[b]; b++)
		;
	atomic_fetch_add(&hist[b], 1);
	atomic_fetch_add(&hist_sum_us, (uint64_t)us);
	atomic_fetch_add(&hist_count, 1);
}

void
metrics_render(struct buf *b)
{
	size_t		 i, k;
	uint64_t	 cum = 0;
	const char	*route;

	buf_lit(b, "# HELP xiangzhi_requests_total Responses by route and"
	    " status class.\n# TYPE xiangzhi_requests_total counter\n");
	for (i = 0; i < SLOTS; i++) {
		route = atomic_load(&slots[i].route);
		if (route == NULL)
			continue;
		for (k = 0; k < CLASSES; k++) {
			uint64_t n = atomic_load(&slots[i].count[k]);

			if (n == 0)
				continue;
			/* Patterns are ours: no quotes or backslashes. */
			buf_addf(b, "xiangzhi_requests_total{route=\"%s\","
			    "status=\"%zuxx\"} %llu\n", route, k + 1,
			    (unsigned long long)n);
		}
	}
	buf_lit(b, "# HELP xiangzhi_request_duration_seconds Time to build a"
	    " response.\n# TYPE xiangzhi_request_duration_seconds"
	    " histogram\n");
	for (i = 0; i < NBUCKETS; i++) {
		cum += atomic_load(&hist[i]);
		buf_addf(b, "xiangzhi_request_duration_seconds_bucket{le=\""
		    "%g\"} %llu\n", bucket_ms[i] / 1000.0,
		    (unsigned long long)cum);
	}
	cum += atomic_load(&hist[NBUCKETS]);
	buf_addf(b, "xiangzhi_request_duration_seconds_bucket{le=\"+Inf\"}"
	    " %llu\n", (unsigned long long)cum);
	buf_addf(b, "xiangzhi_request_duration_seconds_sum %.6f\n",
	    (double)atomic_load(&hist_sum_us) / 1e6);
	buf_addf(b, "xiangzhi_request_duration_seconds_count %llu\n",
	    (unsigned long long)atomic_load(&hist_count));
	{
		uint64_t	 h, m;
		size_t		 bytes;

		pagecache_stats(&h, &m, &bytes);
		buf_addf(b, "# HELP xiangzhi_page_cache_total Cached pages"
		    " served and missed.\n# TYPE xiangzhi_page_cache_total"
		    " counter\nxiangzhi_page_cache_total{result=\"hit\"} %llu\n"
		    "xiangzhi_page_cache_total{result=\"miss\"} %llu\n"
		    "# HELP xiangzhi_page_cache_bytes Bytes held.\n"
		    "# TYPE xiangzhi_page_cache_bytes gauge\n"
		    "xiangzhi_page_cache_bytes %zu\n", (unsigned long long)h,
		    (unsigned long long)m, bytes);
	}
	buf_addf(b, "# HELP xiangzhi_db_errors_total Database failures.\n"
	    "# TYPE xiangzhi_db_errors_total counter\n"
	    "xiangzhi_db_errors_total %llu\n",
	    (unsigned long long)db_error_count());
	buf_addf(b, "# HELP xiangzhi_clock_synchronised 1 when NTP keeps the"
	    " clock, 0 when not, -1 unknown.\n"
	    "# TYPE xiangzhi_clock_synchronised gauge\n"
	    "xiangzhi_clock_synchronised %d\n", time_synchronised());
}

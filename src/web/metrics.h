/* metrics.h: request counters and a latency histogram, Prometheus text. */
#ifndef XZ_METRICS_H
#define XZ_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

void	 metrics_init(size_t nroutes);
/* Count one response; "route" is the pattern (NULL for unmatched). */
void	 metrics_record(const char *route, int status, int64_t us);
/* Append the exposition text. */
void	 metrics_render(struct buf *);

#endif

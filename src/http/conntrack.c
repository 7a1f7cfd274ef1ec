/* conntrack.c: a deadline per connection for its request headers. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http/conntrack.h"

#define SWEEP_MS	500

struct conntrack_conn {
	struct conntrack_conn	*prev, *next;
	int			 fd;
	int64_t			 since_ms;	/* waiting for headers since */
	bool			 busy;		/* headers in, request running */
	bool			 shut;
};

struct conntrack {
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	pthread_t		 thread;
	struct conntrack_conn	*head;
	unsigned		 count;
	unsigned		 live;		/* count less those shut */
	unsigned		 limit;		/* past which the late go first */
	int64_t			 timeout_ms;
	bool			 stopping;
};

/*
 * shutdown(), never close(): the socket stays libmicrohttpd's, which sees the
 * end of the stream and cleans up.  The lock is held, and conntrack_close()
 * runs before MHD closes the socket, so the descriptor cannot have been
 * reused for another connection.
 */
static unsigned
shut(struct conntrack *t, struct conntrack_conn *c)
{
	c->shut = true;
	t->live--;
	return shutdown(c->fd, SHUT_RDWR) == 0 || errno == ENOTCONN;
}

/* Close the late ones; the deadline shrinks when slots run short. */
static unsigned
sweep(struct conntrack *t, int64_t now)
{
	struct conntrack_conn	*c;
	int64_t			 limit_ms = t->timeout_ms;
	unsigned		 n = 0;

	if (t->live >= t->limit - t->limit / 4 &&
	    limit_ms > CONNTRACK_PRESSURE_MS)
		limit_ms = CONNTRACK_PRESSURE_MS;
	for (c = t->head; c != NULL; c = c->next) {
		if (c->busy || c->shut || now - c->since_ms < limit_ms)
			continue;
		n += shut(t, c);
	}
	return n;
}

/*
 * Past the limit, a new connection closes the one that has waited longest
 * for its headers, rather than be refused: a real client sends its request
 * at once and is no longer waiting by the time the next one comes, so many
 * slow clients cannot keep it out.
 */
static void
evict_oldest(struct conntrack *t, const struct conntrack_conn *self)
{
	struct conntrack_conn	*c, *old = NULL;

	for (c = t->head; c != NULL; c = c->next)
		if (c != self && !c->busy && !c->shut &&
		    (old == NULL || c->since_ms < old->since_ms))
			old = c;
	if (old != NULL)
		shut(t, old);
}

static void *
sweeper(void *arg)
{
	struct conntrack	*t = arg;
	struct timespec		 until;
	unsigned		 n;

	pthread_mutex_lock(&t->lock);
	while (!t->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += SWEEP_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&t->wake, &t->lock, &until);
		if (t->stopping)
			break;
		n = sweep(t, time_mono_ms());
		if (n > 0)
			log_info("http: closed %u connections that sent no "
			    "complete request in time (%u open)", n, t->count);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct conntrack *
conntrack_start(unsigned timeout_s, unsigned limit)
{
	struct conntrack	*t;
	pthread_condattr_t	 ca;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->timeout_ms = (int64_t)timeout_s * 1000 + CONNTRACK_GRACE_MS;
	t->limit = limit > 1 ? limit : 1;
	pthread_mutex_init(&t->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&t->thread, NULL, sweeper, t) != 0) {
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
		free(t);
		return NULL;
	}
	return t;
}

void
conntrack_stop(struct conntrack *t)
{
	struct conntrack_conn	*c, *next;

	if (t == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	t->stopping = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	for (c = t->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

struct conntrack_conn *
conntrack_open(struct conntrack *t, int fd)
{
	struct conntrack_conn	*c;

	if (t == NULL || (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->fd = fd;
	c->since_ms = time_mono_ms();
	pthread_mutex_lock(&t->lock);
	c->next = t->head;
	if (t->head != NULL)
		t->head->prev = c;
	t->head = c;
	t->count++;
	t->live++;
	if (t->live > t->limit)
		evict_oldest(t, c);
	pthread_mutex_unlock(&t->lock);
	return c;
}

void
conntrack_close(struct conntrack *t, struct conntrack_conn *c)
{
	if (t == NULL || c == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		t->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	t->count--;
	if (!c->shut)
		t->live--;
	pthread_mutex_unlock(&t->lock);
	free(c);
}

void
conntrack_busy(struct conntrack *t, struct conntrack_conn *c)
{
	if (t == NULL || c == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	c->busy = true;
	pthread_mutex_unlock(&t->lock);
}

void
conntrack_idle(struct conntrack *t, struct conntrack_conn *c)
{
	int64_t	 now = time_mono_ms();

	if (t == NULL || c == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	c->busy = false;
	c->since_ms = now;
	pthread_mutex_unlock(&t->lock);
}

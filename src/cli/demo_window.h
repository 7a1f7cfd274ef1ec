/* demo_window.h: the demo township's windows, service records and ratings. */
#ifndef XZ_DEMO_WINDOW_H
#define XZ_DEMO_WINDOW_H

#include <stdint.h>

struct db;
struct audit_actor;

/*
 * people: the service centre's head and two clerks, the civil affairs
 * head and clerk, the first village's secretary and director.
 */
#define DEMO_WINDOW_PEOPLE	7

struct demo_windows {
	int64_t		 township_id;
	int64_t		 leader;			/* person id */
	int64_t		 village;			/* the first village */
	int64_t		 people[DEMO_WINDOW_PEOPLE];	/* person ids */
};

/*
 * Three windows (two in the service centre, one village station) with
 * their A and B posts, a fortnight of service records rated through the
 * public mechanism (tokens claimed like a citizen's), three bad reviews
 * whose rectifications (差评整改) are open.
 * 0, or -1 (logged).
 */
int	 demo_windows_write(struct db *, const struct demo_windows *,
	    const struct audit_actor *);

#endif

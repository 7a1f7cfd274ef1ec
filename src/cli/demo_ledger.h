/* demo_ledger.h: the demo township's petitions, written through the engine. */
#ifndef XZ_DEMO_LEDGER_H
#define XZ_DEMO_LEDGER_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct audit_actor;

#define DEMO_LEDGER_RESIDENTS	12

/* Who and what the demo petitions name (ids of rows already written). */
struct demo_ledger {
	int64_t		 township_id;
	int64_t		 leader, member, staff, inspector;	/* person ids */
	const char	*leader_name, *member_name, *staff_name;
	const char	*inspector_name;
	int64_t		 unit_order, unit_justice, unit_civil;	/* unit ids */
	int64_t		 villages[5];
	int64_t		 residents[DEMO_LEDGER_RESIDENTS];	/* heads */
	int64_t		 resident_village[DEMO_LEDGER_RESIDENTS];
	const char	*files_dir;	/* where attachments go */
};

/*
 * Write a dozen synthetic petitions in every state of the loop (new,
 * overdue, due soon, in hand, key case under supervision, replied,
 * called back, closed with its agreement on file, rejected, paused), their
 * histories dated in the past weeks.  0, or -1 (logged).
 */
int	 demo_ledger_write(struct db *, const struct demo_ledger *,
	    const struct audit_actor *);

#endif

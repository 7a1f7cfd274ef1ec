/* demo_enterprise.h: the demo township's enterprises and patrons (synthetic). */
#ifndef XZ_DEMO_ENTERPRISE_H
#define XZ_DEMO_ENTERPRISE_H

struct db;
struct audit_actor;
struct demo_ledger;

/*
 * Five synthetic enterprises spread over the first villages, their
 * patrons (the demo leader and member 包抓, the staff cadre 包保), a few
 * visits of this month and one open problem (企业诉求) in the ledger.
 * In its own transaction.  0, or -1 (logged).
 */
int	 demo_enterprise_write(struct db *, const struct demo_ledger *,
	    const struct audit_actor *);

#endif

/* enterprise_web.h: enterprise pages and API (干部进企业: 包抓、包保、六必访、企业诉求). */
#ifndef XZ_ENTERPRISE_WEB_H
#define XZ_ENTERPRISE_WEB_H

struct web;

/* Who keeps the enterprise ledger, imports the lists, assigns, checks. */
#include "auth/role.h"
#define ENT_READ	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | ROLE_VILLAGE | \
			 ROLE_INSPECTOR)
#define ENT_EDIT	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | ROLE_VILLAGE)
#define ENT_IMPORT	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF)
#define ENT_ASSIGN	(ROLE_LEADER | ROLE_MEMBER)
#define ENT_REPORT	(ROLE_LEADER | ROLE_MEMBER | ROLE_INSPECTOR)

int	 enterprise_list_page(struct web *);
int	 enterprise_form(struct web *);
int	 enterprise_create(struct web *);
int	 enterprise_show(struct web *);
int	 enterprise_post(struct web *);
int	 enterprise_patron_post(struct web *);
int	 enterprise_visit_post(struct web *);
int	 enterprise_problem_post(struct web *);
int	 enterprise_import_form(struct web *);
int	 enterprise_import_post(struct web *);
int	 enterprise_report_page(struct web *);
int	 enterprise_spotcheck_page(struct web *);
int	 enterprise_spotcheck_post(struct web *);
int	 enterprise_link_post(struct web *);
int	 enterprise_links_page(struct web *);
int	 enterprise_links_post(struct web *);

/*
 * An enterprise rated its patron 一般 or worse for "month" ("level" from
 * ent_levels): open the supervision opinion (督办意见) to its patron (the
 * 包抓 leader, else the 包保 cadre), shown in their to-dos.  At most one
 * per enterprise and month, whatever reports it again (*mid is then the
 * existing one and *opened false).  In the caller's transaction.
 * "source" is "spotcheck" or "rating".  DB_OK, DB_DONE when the
 * enterprise has no patron, or < 0.
 */
#include <stdbool.h>
#include <stdint.h>
int	 enterprise_opinion_open(struct web *, int64_t ent, const char *month,
	    const char *level, const char *source, const char *note,
	    int64_t *mid, bool *opened);

#endif

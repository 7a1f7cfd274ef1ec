/* roster_web.h: the reception duty roster's pages and API. */
#ifndef XZ_ROSTER_WEB_H
#define XZ_ROSTER_WEB_H

#include "auth/role.h"

struct web;

/*
 * Who keeps the roster: the leaders themselves (主要领导 and 班子成员), since
 * it is published in their name and binds their own days.  The admins do
 * not: under 三权分立 they never edit business data.  Every cadre may read
 * the management page and print; the public page needs no sign-in.
 */
#define ROSTER_EDIT	(ROLE_LEADER | ROLE_MEMBER)
#define ROSTER_READ	ROLE_CADRES

int	 roster_page(struct web *);	/* GET /roster, /api/v1/roster */
int	 roster_manage(struct web *);	/* GET /roster/manage?week= */
int	 roster_print(struct web *);	/* GET /roster/print?week= | blank=1 */
int	 roster_form(struct web *);	/* GET /roster/new, /roster/:id/edit */
int	 roster_submit(struct web *);	/* create or update a duty day */
int	 roster_remove(struct web *);	/* delete a duty day */
int	 roster_show(struct web *);	/* GET /api/v1/roster/:id */

#endif

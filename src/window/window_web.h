/* window_web.h: routes of the window service (好差评). */
#ifndef XZ_WINDOW_WEB_H
#define XZ_WINDOW_WEB_H

#include "auth/role.h"

struct web;

/* Who reads the windows and who keeps them (village cadres: their own). */
#define WINDOW_READ	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | \
			 ROLE_VILLAGE | ROLE_INSPECTOR)
#define WINDOW_EDIT	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | ROLE_VILLAGE)
/* Who decides an appeal (申诉复核): the leaders. */
#define WINDOW_DECIDE	(ROLE_LEADER)

int	 window_list_page(struct web *);
int	 window_form(struct web *);
int	 window_save_post(struct web *);
int	 window_show(struct web *);
int	 window_absent_post(struct web *);
int	 window_record_post(struct web *);
int	 window_record_show(struct web *);
int	 window_link_post(struct web *);
int	 window_callback_post(struct web *);
int	 window_rerate_post(struct web *);
int	 window_decide_post(struct web *);
int	 window_stats_page(struct web *);
int	 window_poster(struct web *);
int	 window_public(struct web *);
int	 window_public_post(struct web *);
int	 window_public_qr(struct web *);
int	 window_problem_post(struct web *);
int	 window_stats_export(struct web *);

#endif

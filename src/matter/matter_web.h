/* matter_web.h: the ledger pages and API. */
#ifndef XZ_MATTER_WEB_H
#define XZ_MATTER_WEB_H

#include <stdbool.h>

#include "matter/matter_db.h"

struct web;
struct db;

int	 matter_list_page(struct web *);
int	 matter_show(struct web *);
int	 matter_post(struct web *);
int	 matter_export(struct web *);
int	 matter_print(struct web *);
int	 matter_print_blank(struct web *);
int	 attachment_get(struct web *);
int	 calendar_due(struct web *);

/* Shared with the modules' own pages. */
const struct calendar	*matter_cal(struct db *);
void			 matter_cal_flush(void);
struct matter_actor	 matter_actor_of(struct web *);
bool			 matter_may_supervise(struct web *);
int			 matter_people_ok(struct web *, const struct matter_act *);

#endif

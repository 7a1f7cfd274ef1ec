/* calendar_web.h: the system admin's holiday calendar page and API. */
#ifndef XZ_CALENDAR_WEB_H
#define XZ_CALENDAR_WEB_H

struct web;

/* GET /calendar?year=, GET /api/v1/calendar?year=: a year's special days. */
int	 calendar_page(struct web *);
/*
 * POST /calendar (the page's forms: op=set, delete or year) and
 * POST or PUT /api/v1/calendar/{day} (add or change a day).
 */
int	 calendar_post(struct web *);
/* DELETE /api/v1/calendar/{day}. */
int	 calendar_remove(struct web *);
/* PUT /api/v1/calendar/years/{year}: official or provisional. */
int	 calendar_year_put(struct web *);

#endif

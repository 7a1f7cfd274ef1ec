/* weekly_web.h: the weekly ledger submission pages and API (每周报送). */
#ifndef XZ_WEEKLY_WEB_H
#define XZ_WEEKLY_WEB_H

struct web;

/* The week: a submitter's preview and 报送 button, the centre's board. */
int	 weekly_page(struct web *);
/* Submit (freeze) a village's or a unit's ledger for a week. */
int	 weekly_post(struct web *);
/* One frozen submission. */
int	 weekly_show(struct web *);
/* One frozen submission as an XLSX ledger. */
int	 weekly_export(struct web *);

#endif

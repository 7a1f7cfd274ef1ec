/* pages.h: routes of the web module itself: home, health, metrics, settings. */
#ifndef XZ_PAGES_H
#define XZ_PAGES_H

struct web;

int	 home_page(struct web *);
int	 health_check(struct web *);
int	 metrics_page(struct web *);
int	 settings_page(struct web *);
int	 settings_save(struct web *);

#endif

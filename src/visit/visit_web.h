/* visit_web.h: household visit pages and API (村组干部走访登记表). */
#ifndef XZ_VISIT_WEB_H
#define XZ_VISIT_WEB_H

struct web;

int	 visit_list_page(struct web *);
int	 visit_form(struct web *);
int	 visit_create_post(struct web *);
int	 visit_show(struct web *);
int	 visit_coverage_page(struct web *);
int	 visit_round_save(struct web *);
int	 visit_print(struct web *);

#endif

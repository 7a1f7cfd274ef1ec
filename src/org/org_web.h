/* org_web.h: routes for units, villages, groups, people and posts. */
#ifndef XZ_ORG_WEB_H
#define XZ_ORG_WEB_H

struct web;

/* Units (org_web.c). */
int	 unit_list(struct web *);
int	 unit_show(struct web *);
int	 unit_form(struct web *);
int	 unit_save(struct web *);
/* Villages and groups (org_web.c). */
int	 village_list(struct web *);
int	 village_show(struct web *);
int	 village_form(struct web *);
int	 village_save(struct web *);
int	 group_add(struct web *);
int	 group_form(struct web *);
int	 group_save(struct web *);
int	 org_townships(struct web *);
/* People and posts (person_web.c). */
int	 person_list(struct web *);
int	 person_show(struct web *);
int	 person_form(struct web *);
int	 person_save(struct web *);
int	 person_contact_form(struct web *);
int	 person_contact(struct web *);
int	 post_add(struct web *);
int	 post_end(struct web *);

#endif

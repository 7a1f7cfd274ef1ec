/* community_web.h: 进社区、进农户 pages and API. */
#ifndef XZ_COMMUNITY_WEB_H
#define XZ_COMMUNITY_WEB_H

struct web;

/* Who reads and keeps the community ledger (township cadres). */
#define CM_READ		(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | \
			 ROLE_INSPECTOR)
#define CM_EDIT		(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF)
/* Care subjects and model households: villages keep their own. */
#define CA_READ		(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | \
			 ROLE_VILLAGE | ROLE_INSPECTOR)
#define CA_EDIT		(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | \
			 ROLE_VILLAGE)
#define MH_CHOOSE_ROLES	(ROLE_LEADER | ROLE_MEMBER)

int	 community_page(struct web *);
int	 community_register(struct web *);
int	 community_rate_form(struct web *);
int	 community_rate(struct web *);
int	 community_cadre(struct web *);
int	 community_negative(struct web *);
int	 community_negative_xlsx(struct web *);

int	 care_list_page(struct web *);
int	 care_form(struct web *);
int	 care_create(struct web *);
int	 care_show(struct web *);
int	 care_post(struct web *);
int	 care_pair_post(struct web *);
int	 care_contact_post(struct web *);
int	 care_end_post(struct web *);
int	 care_uncontacted(struct web *);
int	 care_uncontacted_xlsx(struct web *);

int	 model_page(struct web *);
int	 model_nominate(struct web *);
int	 model_choose(struct web *);

#endif

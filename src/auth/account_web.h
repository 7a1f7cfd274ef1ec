/* account_web.h: account administration routes (三权分立). */
#ifndef XZ_ACCOUNT_WEB_H
#define XZ_ACCOUNT_WEB_H

struct web;

int	 account_list_page(struct web *);
int	 account_show(struct web *);
int	 account_form(struct web *);
int	 account_new(struct web *);
int	 account_disable(struct web *);
int	 account_enable(struct web *);
int	 account_unlock_post(struct web *);
int	 account_reset_post(struct web *);
int	 account_roles(struct web *);

#endif

/* auth_web.h: sign-in, sign-out, password change and activation routes. */
#ifndef XZ_AUTH_WEB_H
#define XZ_AUTH_WEB_H

#include <jansson.h>

struct actor;
struct web;

int	 auth_login_form(struct web *);
int	 auth_login(struct web *);
int	 auth_logout(struct web *);
int	 auth_me(struct web *);
int	 auth_reauth_post(struct web *);
int	 auth_password_form(struct web *);
int	 auth_password(struct web *);
int	 auth_activate_form(struct web *);
int	 auth_activate_post(struct web *);

/* The user object of API.md: {id, login, name, roles, village_id, ...}. */
json_t	*auth_user_json(const struct actor *);

#endif

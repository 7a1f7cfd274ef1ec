/* petition_web.h: registering petitions and key cases. */
#ifndef XZ_PETITION_WEB_H
#define XZ_PETITION_WEB_H

#include <stdint.h>

struct web;

int	 petition_form(struct web *);
int	 petition_create(struct web *);
/* Mark a matter key, with plan, team and five guarantees (from matter_post). */
int	 matter_key_post(struct web *, int64_t id);

#endif

/* petition_web.h: registering petitions and key cases. */
#ifndef XZ_PETITION_WEB_H
#define XZ_PETITION_WEB_H

#include <stdint.h>

struct web;

int	 petition_form(struct web *);
int	 petition_create(struct web *);
/* Mark a matter key, with plan, team and five guarantees (from matter_post). */
int	 matter_key_post(struct web *, int64_t id);

/*
 * A petition found on a household visit (下访发现), for the visit form:
 * registered through the engine like the desk's form, with form
 * "visit_down", the household's head (when known) as petitioner, the
 * visit's id in details.visit_id and "note" as the first timeline entry.
 * The inputs are already checked.  In the caller's transaction; *id and
 * "code" (32 bytes) get the new matter.
 */
struct petition_found {
	const char	*title;
	const char	*body;
	const char	*note;
	int64_t		 village_id, group_id;
	int64_t		 head_id;	/* 0 when the household has no head */
	const char	*head_name;
	int64_t		 day;		/* the visit's day: the clock starts */
	int64_t		 visit_id;
};
int	 petition_found(struct web *, const struct petition_found *,
	    int64_t *id, char *code);

#endif

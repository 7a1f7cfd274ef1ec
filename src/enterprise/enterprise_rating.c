/* enterprise_rating.c: the enterprise's monthly rating of its patron (rating purpose "enterprise"). */
#include <string.h>

#include "base/arena.h"
#include "db/db.h"
#include "enterprise/enterprise_db.h"
#include "rating/rating.h"

/*
 * A link's record is a row of enterprise_rating_link: the enterprise, the
 * month, the patron rated and who issued it.  The rule (rating_rule row
 * 'enterprise_supervision', migration 0009) opens the 督办意见: its lead
 * is the issuer, its resolver the patron, so it shows in both to-dos.
 */
static int
subject(struct db *db, const struct rating_row *r, struct arena *a,
    struct rating_subject *s)
{
	struct ent_link_info	 li;
	int			 rc;

	if ((rc = ent_rating_link_info(db, r->record_id, a, &li)) != DB_OK)
		return rc == DB_DONE ? DB_ERROR : rc;	/* a token without its link */
	s->name = arena_printf(a, "%s（%s）", li.name, li.patron);
	s->village_id = li.village_id;
	s->unit_id = 0;
	s->person_id = li.patron_id;
	s->supervisor_id = li.supervisor_id ? li.supervisor_id : li.patron_id;
	return DB_OK;
}

/* The opinion belongs on the enterprise's page and to its month. */
static int
fired(struct db *db, const struct rating_row *r, const struct rating_fire *f,
    const struct rating_ctx *ctx)
{
	struct ent_link_info	 li;
	int			 rc;

	if (strcmp(f->action, "open_matter") != 0 || f->matter_id == 0)
		return DB_OK;
	if ((rc = ent_rating_link_info(db, r->record_id, ctx->arena, &li)) !=
	    DB_OK)
		return rc == DB_DONE ? DB_ERROR : rc;
	if ((rc = ent_link_matter(db, f->matter_id, li.enterprise_id,
	    li.patron_id)) != DB_OK)
		return rc;
	return ent_opinion_add(db, li.enterprise_id, li.month, f->matter_id,
	    "rating");
}

const struct rating_purpose enterprise_purpose = {
	.name = "enterprise",
	.label = "企业满意度测评",
	.question = "请对包抓干部本月帮扶企业的工作作出评价。",
	.aspects = NULL,
	.subject = subject,
	.rated = NULL,
	.fired = fired,
};

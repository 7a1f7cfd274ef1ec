/* window.c: window service (好差评): the rectification type and the rating hooks. */
#include <string.h>

#include "auth/role.h"
#include "base/arena.h"
#include "base/str.h"
#include "db/db.h"
#include "matter/matter.h"
#include "matter/matter_db.h"
#include "rating/rating.h"
#include "window/window.h"
#include "window/window_db.h"

#define HANDLERS	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | ROLE_VILLAGE)
#define APPROVERS	(ROLE_LEADER | ROLE_MEMBER)
#define EVERYONE	(HANDLERS | ROLE_INSPECTOR)
#define SUPERVISORS	(ROLE_INSPECTOR | ROLE_LEADER | ROLE_STAFF)

/*
 * 差评整改: a bad review opens it (rule window_bad_review); the window's
 * lead rectifies within 15 working days, reports, calls the citizen back
 * (回访), and the citizen's re-rating closes it: the close move belongs
 * to WINDOW_BY_RERATING, a bit no account holds, so nobody can close it
 * by hand.  A mistaken or malicious review may be appealed (申诉复核);
 * the leader decides, with a reason: upheld closes it and takes the
 * review out of the statistics, rejected sends it back to rectification.
 */
static const char *const rect_states[] = {
	"rectifying", "rectified", "called_back", "appealing", "closed", NULL
};
static const char *const rect_labels[] = {
	"整改中", "已整改待回访", "已回访待复评", "申诉复核中", "已销号", NULL
};
static const char *const rect_finals[] = { "closed", NULL };

static const struct matter_clock rect_clocks[] = {
	{ "rectify", "整改期限", 15, CAL_WORKDAYS, false },
};

static const struct matter_move rect_moves[] = {
	{ MA_REPLY, "rectifying", "rectified", HANDLERS, "", NEED_NOTE, NULL, NULL },
	{ MA_CALLBACK, "rectified", "called_back", HANDLERS, NULL, NEED_NOTE, NULL, NULL },
	{ MA_RE_REVIEW, "rectifying", "appealing", HANDLERS, NULL, NEED_NOTE, NULL, NULL },
	{ MA_CLOSE, "called_back", "closed", WINDOW_BY_RERATING, "", NEED_CLOSING, NULL, NULL },
	{ MA_REOPEN, "called_back", "rectifying", WINDOW_BY_RERATING, "rectify", NEED_NOTE, NULL, NULL },
	{ MA_CLOSE, "appealing", "closed", WINDOW_BY_APPEAL, "", NEED_CLOSING, NULL, NULL },
	{ MA_REOPEN, "appealing", "rectifying", WINDOW_BY_APPEAL, NULL, NEED_NOTE, NULL, NULL },
	{ MA_ASSIGN, "*", NULL, APPROVERS, NULL, NEED_PEOPLE, NULL, NULL },
	{ MA_SUPERVISE, "*", NULL, SUPERVISORS, NULL, NEED_DATE | NEED_NOTE, NULL, NULL },
	{ MA_NOTE, "*", NULL, EVERYONE, NULL, NEED_NOTE, NULL, NULL },
	{ MA_NOTE, "closed", NULL, EVERYONE, NULL, NEED_NOTE, NULL, NULL },
};

static const struct matter_doc rect_docs[] = {
	{ "rectify_report", "整改情况说明" },
	{ "photo", "现场照片" },
	{ "other", "其他材料" },
};

static const struct matter_doc rect_sources[] = {
	{ "rating", "群众评价" },
};

static const struct matter_closing rect_closings[] = {
	{ "rerated", "回访复评销号", NULL, NULL },
	{ "appeal_upheld", "申诉成立", NULL, NULL },
};

const struct matter_type rectification_type = {
	.name = "rectification",
	.label = "差评整改",
	.prefix = "ZG",
	.states = rect_states,
	.state_labels = rect_labels,
	.initial = "rectifying",
	.final_states = rect_finals,
	.initial_clock = "rectify",
	.clocks = rect_clocks,
	.nclocks = sizeof(rect_clocks) / sizeof(rect_clocks[0]),
	.moves = rect_moves,
	.nmoves = sizeof(rect_moves) / sizeof(rect_moves[0]),
	.closings = rect_closings,
	.nclosings = sizeof(rect_closings) / sizeof(rect_closings[0]),
	.docs = rect_docs,
	.ndocs = sizeof(rect_docs) / sizeof(rect_docs[0]),
	.sources = rect_sources,
	.nsources = sizeof(rect_sources) / sizeof(rect_sources[0]),
	.max_extensions = 1,
	.max_extension_days = 15,
	.final_stage = NULL,
};

/*
 * 查找整改问题台账: a problem the window found in itself, with an owner
 * and a deadline set when it is entered (the plan: 问题清零 by a date),
 * cleared by a reply (整改情况) and closed by a leader with evidence.
 * The clock counts no days: it starts on the deadline itself, so the
 * engine's due date is the date entered (moved off a rest day).
 */
static const char *const prob_states[] = {
	"open", "reported", "closed", NULL
};
static const char *const prob_labels[] = {
	"整改中", "已报整改情况", "已清零", NULL
};
static const char *const prob_finals[] = { "closed", NULL };

static const struct matter_clock prob_clocks[] = {
	{ "clear", "清零时限", 0, CAL_DAYS, true },
};

static const struct matter_move prob_moves[] = {
	{ MA_REPLY, "open", "reported", HANDLERS, "", NEED_NOTE, NULL, NULL },
	{ MA_REOPEN, "reported", "open", APPROVERS, NULL, NEED_NOTE, NULL, NULL },
	{ MA_CLOSE, "reported", "closed", APPROVERS, "", NEED_CLOSING, NULL, NULL },
	{ MA_ASSIGN, "*", NULL, APPROVERS, NULL, NEED_PEOPLE, NULL, NULL },
	{ MA_SUPERVISE, "*", NULL, SUPERVISORS, NULL, NEED_DATE | NEED_NOTE, NULL, NULL },
	{ MA_NOTE, "*", NULL, EVERYONE, NULL, NEED_NOTE, NULL, NULL },
};

static const struct matter_doc prob_sources[] = {
	{ "self_check", "自查" },
	{ "review", "差评反映" },
	{ "inspection", "督查发现" },
};

static const char *const prob_evidence[] = { "rectify_report", "photo",
    NULL };

static const struct matter_closing prob_closings[] = {
	{ "cleared", "整改到位", NULL, prob_evidence },
};

const struct matter_type window_problem_type = {
	.name = "window_problem",
	.label = "窗口整改问题",
	.prefix = "WT",
	.states = prob_states,
	.state_labels = prob_labels,
	.initial = "open",
	.final_states = prob_finals,
	.initial_clock = "clear",
	.clocks = prob_clocks,
	.nclocks = sizeof(prob_clocks) / sizeof(prob_clocks[0]),
	.moves = prob_moves,
	.nmoves = sizeof(prob_moves) / sizeof(prob_moves[0]),
	.closings = prob_closings,
	.nclosings = sizeof(prob_closings) / sizeof(prob_closings[0]),
	.docs = rect_docs,
	.ndocs = sizeof(rect_docs) / sizeof(rect_docs[0]),
	.sources = prob_sources,
	.nsources = sizeof(prob_sources) / sizeof(prob_sources[0]),
	.max_extensions = 1,
	.max_extension_days = 30,
	.final_stage = NULL,
};

/* Window ratings: the window (service) and the cadre (conduct). */
static int
window_subject(struct db *db, const struct rating_row *r, struct arena *a,
    struct rating_subject *s)
{
	struct window_rec	 rec;
	int			 rc;

	if ((rc = window_record_of(db, r->township_id, r->record_id, a,
	    &rec)) != DB_OK)
		return rc == DB_DONE ? DB_OK : rc;
	s->village_id = rec.village_id;
	s->supervisor_id = rec.lead_id ? rec.lead_id : rec.handler_id;
	s->person_id = rec.handler_id;
	s->name = str_eq(r->aspect, "conduct") ?
	    arena_printf(a, "%s %s", rec.window, rec.handler) :
	    arena_printf(a, "%s（%s）", rec.window, rec.item);
	return DB_OK;
}

static const char *const window_aspects[] = {
	"service", "办事服务", "conduct", "干部作风", NULL
};

const struct rating_purpose window_purpose = {
	.name = "window",
	.label = "窗口服务评价",
	.question = "请对本次办事的服务和工作人员的作风分别评价（一事两评）。",
	.aspects = window_aspects,
	.subject = window_subject,
	.rated = NULL,
	.fired = NULL,
};

static int
rerate_subject(struct db *db, const struct rating_row *r, struct arena *a,
    struct rating_subject *s)
{
	return window_subject(db, r, a, s);
}

/*
 * The citizen's re-rating after the callback closes the rectification;
 * a bad one sends it back to rectification.  Nobody else can take these
 * moves (WINDOW_BY_RERATING).
 */
static int
rerate_rated(struct db *db, const struct rating_row *r,
    const struct rating_ctx *ctx)
{
	struct matter_actor	 who = *ctx->actor;
	struct matter_act	 act;
	struct matter_err	 err;
	struct scope		 sc = { r->township_id, 0 };
	int			 rc;

	if (!str_eq(r->subject_kind, "matter"))
		return DB_OK;
	memset(&act, 0, sizeof(act));
	who.roles = WINDOW_BY_RERATING;
	if (r->bad) {
		act.action = MA_REOPEN;
		act.note = arena_printf(ctx->arena,
		    "群众复评“%s”，重新整改", r->level_label);
	} else {
		act.action = MA_CLOSE;
		act.closing = "rerated";
		act.note = arena_printf(ctx->arena, "群众复评“%s”",
		    r->level_label);
	}
	rc = matter_apply_tx(db, &sc, r->subject_id, &act, ctx->cal, &who,
	    ctx->today, ctx->now, &err);
	if (rc != 0 && err.status == 503)
		return DB_UNAVAIL;
	return DB_OK;	/* a matter moved on meanwhile keeps its state */
}

static const char *const rerate_aspects[] = {
	"rerate", "整改复评", NULL
};

const struct rating_purpose window_rerate_purpose = {
	.name = "window_rerate",
	.label = "整改回访复评",
	.question = "针对您反映的问题，我们已整改并回访。请再次评价。",
	.aspects = rerate_aspects,
	.subject = rerate_subject,
	.rated = rerate_rated,
	.fired = NULL,
};

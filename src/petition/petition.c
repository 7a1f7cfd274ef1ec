/* petition.c: the petition type (信访事项): its states, moves, clocks, closings. */
#include "auth/role.h"
#include "matter/matter.h"

/* Who handles petitions, who approves extensions and reopening. */
#define HANDLERS	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF)
#define APPROVERS	(ROLE_LEADER | ROLE_MEMBER)
#define EVERYONE	(HANDLERS | ROLE_VILLAGE | ROLE_INSPECTOR)
/* Supervision: inspectors, leaders, and (checked per person) the staff of
 * a unit that supervises, the comprehensive-governance centre. */
#define SUPERVISORS	(ROLE_INSPECTOR | ROLE_LEADER | ROLE_STAFF)

static const char *const states[] = {
	"registered", "accepted", "replied", "called_back", "reviewing",
	"re_reviewing", "closed", "rejected", NULL
};
static const char *const state_labels[] = {
	"已登记", "办理中", "已答复", "已回访", "复查中", "复核中", "已销号",
	"不予受理", NULL
};
static const char *const finals[] = { "closed", "rejected", NULL };

/*
 * The statutory clock of 《信访工作条例》 (中共中央、国务院, 2022年2月).
 * A county that reads it otherwise changes these numbers and nothing else.
 *   acceptance  第二十四条: 自收到信访事项之日起15日内决定是否受理
 *   handling    第三十二条: 自受理之日起60日内办结; 经批准可延长, 不超过30日
 *   review      第三十五条: 信访人自收到书面答复之日起30日内可请求复查;
 *               复查机关自收到复查请求之日起30日内提出复查意见
 *   re_review   第三十六条: 自收到复查意见之日起30日内可请求复核;
 *               复核机关自收到复核请求之日起30日内提出复核意见
 *   final       第三十七条: 复核后以同一事实和理由提出的, 不再受理
 * Calendar days; a deadline on a rest day moves to the next working day
 * (期间届满的最后一日是法定休假日的, 以休假日后的第一日为期间的最后一日).
 */
static const struct matter_clock clocks[] = {
	{ "acceptance", "受理期限", 15, CAL_DAYS, true },
	{ "handling", "办结期限", 60, CAL_DAYS, true },
	{ "review", "复查期限", 30, CAL_DAYS, true },
	{ "re_review", "复核期限", 30, CAL_DAYS, true },
	{ "review_window", "申请复查期限", 30, CAL_DAYS, true },
	{ "re_review_window", "申请复核期限", 30, CAL_DAYS, true },
};

static const struct matter_move moves[] = {
	/* action      from            to              who        clock        needs */
	{ MA_ACCEPT, "registered", "accepted", HANDLERS, "handling", 0, NULL, NULL },
	{ MA_REJECT, "registered", "rejected", HANDLERS, "", NEED_NOTE, NULL, NULL },
	{ MA_ASSIGN, "*", NULL, HANDLERS, NULL, NEED_PEOPLE, NULL, NULL },
	{ MA_EXTEND, "accepted", NULL, APPROVERS, NULL, NEED_NOTE | NEED_DAYS, NULL, NULL },
	{ MA_PAUSE, "accepted", NULL, HANDLERS, NULL, NEED_NOTE, NULL, NULL },
	{ MA_PAUSE, "reviewing", NULL, HANDLERS, NULL, NEED_NOTE, NULL, NULL },
	{ MA_PAUSE, "re_reviewing", NULL, HANDLERS, NULL, NEED_NOTE, NULL, NULL },
	{ MA_RESUME, "accepted", NULL, HANDLERS, NULL, 0, NULL, NULL },
	{ MA_RESUME, "reviewing", NULL, HANDLERS, NULL, 0, NULL, NULL },
	{ MA_RESUME, "re_reviewing", NULL, HANDLERS, NULL, 0, NULL, NULL },
	{ MA_REPLY, "accepted", "replied", HANDLERS, "", NEED_NOTE, NULL, NULL },
	{ MA_REPLY, "reviewing", "replied", HANDLERS, "", NEED_NOTE, NULL, NULL },
	{ MA_REPLY, "re_reviewing", "replied", HANDLERS, "", NEED_NOTE, NULL, NULL },
	{ MA_CALLBACK, "replied", "called_back", HANDLERS | ROLE_VILLAGE, NULL, NEED_NOTE, NULL, NULL },
	{ MA_REVIEW, "replied", "reviewing", HANDLERS, "review", NEED_NOTE, "handling", "review_window" },
	{ MA_REVIEW, "called_back", "reviewing", HANDLERS, "review", NEED_NOTE, "handling", "review_window" },
	{ MA_RE_REVIEW, "replied", "re_reviewing", HANDLERS, "re_review", NEED_NOTE, "review", "re_review_window" },
	{ MA_RE_REVIEW, "called_back", "re_reviewing", HANDLERS, "re_review", NEED_NOTE, "review", "re_review_window" },
	{ MA_CLOSE, "called_back", "closed", HANDLERS, "", NEED_CLOSING, NULL, NULL },
	{ MA_REOPEN, "closed", "accepted", APPROVERS, "handling", NEED_NOTE, NULL, NULL },
	{ MA_SUPERVISE, "*", NULL, SUPERVISORS, NULL, NEED_DATE | NEED_NOTE, NULL, NULL },
	{ MA_NOTE, "*", NULL, EVERYONE, NULL, NEED_NOTE, NULL, NULL },
	{ MA_NOTE, "closed", NULL, EVERYONE, NULL, NEED_NOTE, NULL, NULL },
	{ MA_NOTE, "rejected", NULL, EVERYONE, NULL, NEED_NOTE, NULL, NULL },
};

/* The documents, as the plan names them (挂账销号). */
static const struct matter_doc docs[] = {
	{ "agreement", "息访息诉协议" },
	{ "handling_opinion", "信访事项处理意见书" },
	{ "review_opinion", "复查意见书" },
	{ "re_review_opinion", "复核意见书" },
	{ "judicial_document", "司法文书" },
	{ "arbitration", "仲裁文书" },
	{ "ruling", "裁决文书" },
	{ "not_accepted_notice", "不予受理告知书" },
	{ "registration_form", "接访登记表（签字）" },
	{ "photo", "现场照片" },
	{ "other", "其他材料" },
};

/* 来访形式 */
static const struct matter_doc sources[] = {
	{ "visit", "来访" },
	{ "letter", "来信" },
	{ "online", "网上信访" },
	{ "phone", "电话" },
	{ "hotline", "12345热线" },
	{ "referral", "上级转办" },
	{ "visit_down", "下访发现" },
};

static const char *const commitment_docs[] = { "agreement", NULL };
static const char *const exhausted_docs[] = { "handling_opinion",
    "review_opinion", "re_review_opinion", NULL };
static const char *const legal_docs[] = { "judicial_document", "arbitration",
    "ruling", "not_accepted_notice", NULL };

/* 结案标准: the plan's three ways, each with its documents. */
static const struct matter_closing closings[] = {
	{ "commitment", "承诺息访", commitment_docs, NULL },
	{ "review_exhausted", "复查复核终结", exhausted_docs, NULL },
	{ "legal_channel", "通过法定途径处理", NULL, legal_docs },
};

const struct matter_type petition_type = {
	.name = "petition",
	.label = "信访事项",
	.prefix = "XF",
	.states = states,
	.state_labels = state_labels,
	.initial = "registered",
	.final_states = finals,
	.initial_clock = "acceptance",
	.clocks = clocks,
	.nclocks = sizeof(clocks) / sizeof(clocks[0]),
	.moves = moves,
	.nmoves = sizeof(moves) / sizeof(moves[0]),
	.closings = closings,
	.nclosings = sizeof(closings) / sizeof(closings[0]),
	.docs = docs,
	.ndocs = sizeof(docs) / sizeof(docs[0]),
	.sources = sources,
	.nsources = sizeof(sources) / sizeof(sources[0]),
	.max_extensions = 1,
	.max_extension_days = 30,
	.final_stage = "re_review",
};

/* enterprise_types.c: the matter types 企业诉求 and 督办意见, as data. */
#include "auth/role.h"
#include "matter/matter.h"

#define HANDLERS	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | ROLE_VILLAGE)
#define APPROVERS	(ROLE_LEADER | ROLE_MEMBER)
#define EVERYONE	(HANDLERS | ROLE_INSPECTOR)
#define SUPERVISORS	(ROLE_INSPECTOR | ROLE_LEADER)

/*
 * 企业诉求: a problem an enterprise raised with its patron.  The plan:
 * "认真分析研究，同包联单位商定问题解决方案，多方协调、跟踪化解 ...
 * 一时解决不了的问题，及时提出对策建议，做到件件有反馈、事事有着落".
 * So: registered → accepted (handling) → replied (反馈) → called back
 * (the enterprise asked) → closed as solved (已解决) or advised (已提出
 * 对策建议).  The plan sets no deadline; 3 working days to take it up
 * and 30 days to answer are this system's defaults (a county changes
 * these numbers and nothing else).
 */
static const char *const p_states[] = {
	"registered", "accepted", "replied", "called_back", "closed", NULL
};
static const char *const p_labels[] = {
	"已登记", "办理中", "已反馈", "已回访", "已销号", NULL
};
static const char *const p_finals[] = { "closed", NULL };

static const struct matter_clock p_clocks[] = {
	{ "acceptance", "受理期限", 3, CAL_WORKDAYS, false },
	{ "handling", "办结期限", 30, CAL_DAYS, true },
};

static const struct matter_move p_moves[] = {
	{ MA_ACCEPT, "registered", "accepted", HANDLERS, "handling", 0, NULL, NULL },
	{ MA_ASSIGN, "*", NULL, APPROVERS, NULL, NEED_PEOPLE, NULL, NULL },
	{ MA_EXTEND, "accepted", NULL, APPROVERS, NULL, NEED_NOTE | NEED_DAYS, NULL, NULL },
	{ MA_REPLY, "accepted", "replied", HANDLERS, "", NEED_NOTE, NULL, NULL },
	{ MA_CALLBACK, "replied", "called_back", HANDLERS, NULL, NEED_NOTE, NULL, NULL },
	{ MA_CLOSE, "called_back", "closed", HANDLERS, "", NEED_CLOSING, NULL, NULL },
	{ MA_REOPEN, "closed", "accepted", APPROVERS, "handling", NEED_NOTE, NULL, NULL },
	{ MA_SUPERVISE, "*", NULL, SUPERVISORS, NULL, NEED_DATE | NEED_NOTE, NULL, NULL },
	{ MA_NOTE, "*", NULL, EVERYONE, NULL, NEED_NOTE, NULL, NULL },
	{ MA_NOTE, "closed", NULL, EVERYONE, NULL, NEED_NOTE, NULL, NULL },
};

static const struct matter_doc p_docs[] = {
	{ "confirmation", "企业确认材料" },
	{ "photo", "现场照片" },
	{ "plan", "解决方案或对策建议" },
	{ "other", "其他材料" },
};

static const struct matter_doc p_sources[] = {
	{ "patron", "包抓干部收集" },
	{ "visit", "走访发现" },
	{ "enterprise", "企业反映" },
};

/*
 * "solved" is what counts for the patron's duty to solve one problem: the
 * enterprise's confirmation or a photo of the result on file.  A problem
 * that cannot be solved yet closes with the written proposal.
 */
static const char *const solved_docs[] = { "confirmation", "photo", NULL };
static const char *const advised_docs[] = { "plan", NULL };

static const struct matter_closing p_closings[] = {
	{ "solved", "问题已解决", NULL, solved_docs },
	{ "advised", "暂不能解决，已提出对策建议", advised_docs, NULL },
};

const struct matter_type enterprise_problem_type = {
	.name = "enterprise_problem",
	.label = "企业诉求",
	.prefix = "QY",
	.states = p_states,
	.state_labels = p_labels,
	.initial = "registered",
	.final_states = p_finals,
	.initial_clock = "acceptance",
	.clocks = p_clocks,
	.nclocks = sizeof(p_clocks) / sizeof(p_clocks[0]),
	.moves = p_moves,
	.nmoves = sizeof(p_moves) / sizeof(p_moves[0]),
	.closings = p_closings,
	.nclosings = sizeof(p_closings) / sizeof(p_closings[0]),
	.docs = p_docs,
	.ndocs = sizeof(p_docs) / sizeof(p_docs[0]),
	.sources = p_sources,
	.nsources = sizeof(p_sources) / sizeof(p_sources[0]),
	.max_extensions = 1,
	.max_extension_days = 30,
	.final_stage = NULL,
};

/*
 * 督办意见: "对满意度测评结果为'一般'及以下等次的，及时向包抓干部反馈，
 * 并提出督办意见".  Issued to the patron, who answers with what they did
 * (整改反馈, 10 working days); a leader or the inspector closes it.
 */
static const char *const s_states[] = {
	"issued", "replied", "closed", NULL
};
static const char *const s_labels[] = {
	"已下发", "已反馈", "已销号", NULL
};
static const char *const s_finals[] = { "closed", NULL };

static const struct matter_clock s_clocks[] = {
	{ "handling", "反馈期限", 10, CAL_WORKDAYS, false },
};

static const struct matter_move s_moves[] = {
	{ MA_REPLY, "issued", "replied", HANDLERS, "", NEED_NOTE, NULL, NULL },
	{ MA_CLOSE, "replied", "closed", SUPERVISORS | ROLE_MEMBER, "", NEED_CLOSING, NULL, NULL },
	{ MA_REOPEN, "closed", "issued", SUPERVISORS, "handling", NEED_NOTE, NULL, NULL },
	{ MA_SUPERVISE, "*", NULL, SUPERVISORS, NULL, NEED_DATE | NEED_NOTE, NULL, NULL },
	{ MA_NOTE, "*", NULL, EVERYONE, NULL, NEED_NOTE, NULL, NULL },
	{ MA_NOTE, "closed", NULL, EVERYONE, NULL, NEED_NOTE, NULL, NULL },
};

static const struct matter_doc s_docs[] = {
	{ "rectification", "整改报告" },
	{ "other", "其他材料" },
};

static const struct matter_doc s_sources[] = {
	{ "rating", "企业满意度测评" },
	{ "spotcheck", "领导抽查" },
};

static const char *const rectified_docs[] = { "rectification", NULL };

static const struct matter_closing s_closings[] = {
	{ "rectified", "已整改", rectified_docs, NULL },
};

const struct matter_type supervision_opinion_type = {
	.name = "supervision_opinion",
	.label = "督办意见",
	.prefix = "DB",
	.states = s_states,
	.state_labels = s_labels,
	.initial = "issued",
	.final_states = s_finals,
	.initial_clock = "handling",
	.clocks = s_clocks,
	.nclocks = sizeof(s_clocks) / sizeof(s_clocks[0]),
	.moves = s_moves,
	.nmoves = sizeof(s_moves) / sizeof(s_moves[0]),
	.closings = s_closings,
	.nclosings = sizeof(s_closings) / sizeof(s_closings[0]),
	.docs = s_docs,
	.ndocs = sizeof(s_docs) / sizeof(s_docs[0]),
	.sources = s_sources,
	.nsources = sizeof(s_sources) / sizeof(s_sources[0]),
	.max_extensions = 0,
	.max_extension_days = 0,
	.final_stage = NULL,
};

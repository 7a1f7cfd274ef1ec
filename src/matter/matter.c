/* matter.c: ledger rules: type lookup, moves, deadlines, close-out checks. */
#include <string.h>

#include "base/str.h"
#include "matter/matter.h"

const char *const matter_action_names[MA__MAX] = {
	"accept",	/* MA_ACCEPT */
	"reject",	/* MA_REJECT */
	"assign",	/* MA_ASSIGN */
	"extend",	/* MA_EXTEND */
	"pause",	/* MA_PAUSE */
	"resume",	/* MA_RESUME */
	"reply",	/* MA_REPLY */
	"callback",	/* MA_CALLBACK */
	"close",	/* MA_CLOSE */
	"reopen",	/* MA_REOPEN */
	"supervise",	/* MA_SUPERVISE */
	"note",		/* MA_NOTE */
	"review",	/* MA_REVIEW */
	"re_review",	/* MA_RE_REVIEW */
};

const char *const matter_action_labels[MA__MAX] = {
	"受理",		/* MA_ACCEPT */
	"不予受理",	/* MA_REJECT */
	"交办",		/* MA_ASSIGN */
	"延期",		/* MA_EXTEND */
	"中止计时",	/* MA_PAUSE */
	"恢复计时",	/* MA_RESUME */
	"答复",		/* MA_REPLY */
	"回访",		/* MA_CALLBACK */
	"销号",		/* MA_CLOSE */
	"重新办理",	/* MA_REOPEN */
	"督办",		/* MA_SUPERVISE */
	"备注",		/* MA_NOTE */
	"申请复查",	/* MA_REVIEW */
	"申请复核",	/* MA_RE_REVIEW */
};

/* The types; modules declare theirs and list them here. */
extern const struct matter_type	petition_type;
extern const struct matter_type	rectification_type;
extern const struct matter_type	window_problem_type;

static const struct matter_type *const types[] = {
	&petition_type,
	&rectification_type,
	&window_problem_type,
};

enum matter_action
matter_action_parse(const char *name)
{
	int	 i;

	for (i = 0; i < MA__MAX; i++)
		if (str_eq(name, matter_action_names[i]))
			return (enum matter_action)i;
	return MA__MAX;
}

const struct matter_type *
matter_type_get(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (str_eq(types[i]->name, name))
			return types[i];
	return NULL;
}

const struct matter_type *const *
matter_types(size_t *n)
{
	*n = sizeof(types) / sizeof(types[0]);
	return types;
}

static int
state_index(const struct matter_type *t, const char *s)
{
	int	 i;

	for (i = 0; s != NULL && t->states[i] != NULL; i++)
		if (strcmp(t->states[i], s) == 0)
			return i;
	return -1;
}

const char *
matter_state_label(const struct matter_type *t, const char *s)
{
	int	 i = state_index(t, s);

	return i < 0 ? "" : t->state_labels[i];
}

bool
matter_state_valid(const struct matter_type *t, const char *s)
{
	return state_index(t, s) >= 0;
}

bool
matter_state_open(const struct matter_type *t, const char *s)
{
	size_t	 i;

	for (i = 0; t->final_states[i] != NULL; i++)
		if (str_eq(t->final_states[i], s))
			return false;
	return true;
}

const struct matter_clock *
matter_clock(const struct matter_type *t, const char *stage)
{
	size_t	 i;

	for (i = 0; stage != NULL && i < t->nclocks; i++)
		if (strcmp(t->clocks[i].stage, stage) == 0)
			return &t->clocks[i];
	return NULL;
}

const struct matter_closing *
matter_closing(const struct matter_type *t, const char *name)
{
	size_t	 i;

	for (i = 0; name != NULL && i < t->nclosings; i++)
		if (strcmp(t->closings[i].name, name) == 0)
			return &t->closings[i];
	return NULL;
}

const char *
matter_doc_label(const struct matter_type *t, const char *kind)
{
	size_t	 i;

	for (i = 0; kind != NULL && i < t->ndocs; i++)
		if (strcmp(t->docs[i].kind, kind) == 0)
			return t->docs[i].label;
	return NULL;
}

const char *
matter_source_label(const struct matter_type *t, const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && i < t->nsources; i++)
		if (strcmp(t->sources[i].kind, s) == 0)
			return t->sources[i].label;
	return "";
}

const char *
matter_closing_label(const struct matter_type *t, const char *name)
{
	const struct matter_closing	*c = matter_closing(t, name);

	if (c != NULL)
		return c->label;
	return str_eq(name, "not_accepted") ? "不予受理" : "";
}

const char *const matter_urgency_names[] = {
	"none",		/* MU_NONE */
	"ok",		/* MU_OK */
	"soon",		/* MU_SOON */
	"today",	/* MU_TODAY */
	"overdue",	/* MU_OVERDUE */
};

const struct matter_move *
matter_move(const struct matter_type *t, const char *state,
    enum matter_action a, unsigned roles, enum matter_refusal *why)
{
	const struct matter_move	*m;
	bool				 in_state = false;
	size_t				 i;

	for (i = 0; i < t->nmoves; i++) {
		m = &t->moves[i];
		if (m->action != a)
			continue;
		if (strcmp(m->from, "*") == 0 ? !matter_state_open(t, state) :
		    strcmp(m->from, state) != 0)
			continue;
		in_state = true;
		if ((m->roles & roles) != 0) {
			*why = MR_OK;
			return m;
		}
	}
	*why = in_state ? MR_ROLE : MR_STATE;
	return NULL;
}

int64_t
matter_due(const struct calendar *cal, const struct matter_clock *c,
    int64_t from, int extra)
{
	return calendar_add(cal, from, c->days + extra, c->unit, c->roll);
}

static bool
on_file(const char *kind, const char *const *kinds, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (str_eq(kinds[i], kind))
			return true;
	return false;
}

int
matter_close_check(const struct matter_type *t, const char *closing,
    const char *const *kinds, size_t n, const char **missing)
{
	const struct matter_closing	*c = matter_closing(t, closing);
	size_t				 i;

	*missing = NULL;
	if (c == NULL)
		return -1;
	for (i = 0; c->all != NULL && c->all[i] != NULL; i++)
		if (!on_file(c->all[i], kinds, n)) {
			*missing = matter_doc_label(t, c->all[i]);
			return -1;
		}
	if (c->any == NULL)
		return 0;
	for (i = 0; c->any[i] != NULL; i++)
		if (on_file(c->any[i], kinds, n))
			return 0;
	*missing = matter_doc_label(t, c->any[0]);
	return -1;
}

enum matter_urgency
matter_urgency(int64_t due, int64_t today)
{
	if (due < today)
		return MU_OVERDUE;
	if (due == today)
		return MU_TODAY;
	if (due - today <= 7)
		return MU_SOON;
	return MU_OK;
}

const char *
matter_reminder(int64_t due, int64_t today)
{
	if (due < today)
		return "overdue";
	if (due == today)
		return "due_today";
	if (due - today <= 3)
		return "due_soon";
	return NULL;
}

/* matter.h: the ledger engine's rules: types, states, actions, clocks, close-out. */
#ifndef XZ_MATTER_H
#define XZ_MATTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "matter/calendar.h"

/*
 * A matter is anything with an owner and a deadline: a petition, an
 * enterprise's problem, a bad review's rectification, an environment
 * problem, a plan task.  Each type is a row of data (struct matter_type):
 * its states, which actions move it between them and who may take them,
 * which clock each stage runs, what each closing type must have on file,
 * and its code prefix.  Modules add types; none writes a state machine.
 * Nothing here touches SQL or HTTP.
 */
enum matter_action {
	MA_ACCEPT,		/* 受理 */
	MA_REJECT,		/* 不予受理 */
	MA_ASSIGN,		/* 交办: unit, lead, resolver */
	MA_EXTEND,		/* 延期 (approved, with a reason) */
	MA_PAUSE,		/* 中止计时 (waiting on the petitioner) */
	MA_RESUME,		/* 恢复计时 */
	MA_REPLY,		/* 答复 (written reply or opinion) */
	MA_CALLBACK,		/* 回访 */
	MA_CLOSE,		/* 销号 */
	MA_REOPEN,		/* 重新办理 */
	MA_SUPERVISE,		/* 督办 */
	MA_NOTE,		/* 备注 */
	MA_REVIEW,		/* 申请复查 */
	MA_RE_REVIEW,		/* 申请复核 */
	MA__MAX
};

extern const char *const matter_action_names[MA__MAX];	/* "accept" */
extern const char *const matter_action_labels[MA__MAX];	/* "受理" */
/* The action called "name", or MA__MAX. */
enum matter_action matter_action_parse(const char *name);

/* What an action needs besides the actor (bits). */
enum matter_needs {
	NEED_NOTE = 1,		/* a note (reply text, reason...) */
	NEED_CLOSING = 2,	/* a closing type */
	NEED_DATE = 4,		/* a new deadline date (supervision) */
	NEED_DAYS = 8,		/* a number of days (extension) */
	NEED_PEOPLE = 16	/* unit, lead, resolver (assignment) */
};

/* A deadline rule: "days" counted in "unit" from the clock's start. */
struct matter_clock {
	const char	*stage;		/* "acceptance", "handling", ... */
	const char	*label;		/* "受理期限" */
	int		 days;
	enum cal_unit	 unit;
	bool		 roll;		/* a calendar-day deadline on a rest day moves on */
};

/*
 * One allowed move.  "from" is a state name or "*" (any open state); "to"
 * a state name or NULL (stays).  "clock" names the stage whose clock
 * starts today (NULL: the clock is untouched; "": no clock runs).
 */
struct matter_move {
	enum matter_action	 action;
	const char		*from;
	const char		*to;
	unsigned		 roles;		/* ROLE_* bits (auth/role.h) */
	const char		*clock;
	unsigned		 needs;
	/*
	 * Optional: the move is allowed only when the stage "after" has
	 * ended (a reply closed it), and, with "window" (a clock), only
	 * until that many days after it ended.  Reviews of a petition work
	 * this way: within 30 days of the reply.
	 */
	const char		*after;
	const char		*window;
};

/*
 * A way to close a matter and the documents it must have on file: every
 * kind in "all", and at least one of "any" (when "any" is not NULL).
 * Lists are NULL-terminated attachment kinds.
 */
struct matter_closing {
	const char		*name;
	const char		*label;
	const char *const	*all;
	const char *const	*any;
};

/* An attachment kind: "agreement" → "息访息诉协议". */
struct matter_doc {
	const char	*kind;
	const char	*label;
};

struct matter_type {
	const char			*name;		/* "petition" */
	const char			*label;		/* "信访事项" */
	const char			*prefix;	/* "XF" for XF-2026-0012 */
	const char *const		*states;	/* NULL-terminated */
	const char *const		*state_labels;
	const char			*initial;
	const char *const		*final_states;	/* closed ones */
	const char			*initial_clock;
	const struct matter_clock	*clocks;
	size_t				 nclocks;
	const struct matter_move	*moves;
	size_t				 nmoves;
	const struct matter_closing	*closings;
	size_t				 nclosings;
	const struct matter_doc		*docs;
	size_t				 ndocs;
	const struct matter_doc		*sources;	/* how it came in */
	size_t				 nsources;
	int				 max_extensions;
	int				 max_extension_days;
	/*
	 * A reply that ends this stage makes the matter final: no further
	 * review and no reopening (a petition after 复核).
	 */
	const char			*final_stage;
};

/* Every type the server knows (petition.c and later modules add theirs). */
const struct matter_type *matter_type_get(const char *name);
const struct matter_type *const *matter_types(size_t *n);

const char	*matter_state_label(const struct matter_type *, const char *);
bool		 matter_state_valid(const struct matter_type *, const char *);
bool		 matter_state_open(const struct matter_type *, const char *);
const struct matter_clock *matter_clock(const struct matter_type *,
		    const char *stage);
const struct matter_closing *matter_closing(const struct matter_type *,
		    const char *name);
const char	*matter_doc_label(const struct matter_type *, const char *kind);
const char	*matter_source_label(const struct matter_type *, const char *);
const char	*matter_closing_label(const struct matter_type *, const char *);
/* "overdue", "today", "soon", "ok" or "none", for CSS classes and JSON. */
extern const char *const matter_urgency_names[];

/*
 * Why a move is refused: the state does not allow it (409), the actor's
 * roles do not (403), or it breaks a rule of the type (422).
 */
enum matter_refusal {
	MR_OK = 0,
	MR_STATE,
	MR_ROLE,
	MR_RULE
};

/*
 * The move "action" from "state" by someone holding "roles", or NULL with
 * *why set.  The first matching row of the type's table wins.
 */
const struct matter_move *matter_move(const struct matter_type *,
		    const char *state, enum matter_action, unsigned roles,
		    enum matter_refusal *why);

/*
 * The deadline of "stage" started on "from" (a day number), counting pause
 * days already spent out ("extra" days added after the rule's count).
 */
int64_t	 matter_due(const struct calendar *, const struct matter_clock *,
	    int64_t from, int extra);

/*
 * Check a close-out against the documents on file ("kinds", n of them):
 * 0 when complete; otherwise -1 with "missing" set to the label of the
 * first required document that is absent (for the 422's message).
 */
int	 matter_close_check(const struct matter_type *, const char *closing,
	    const char *const *kinds, size_t n, const char **missing);

/* How a deadline stands today: for list colours and to-dos. */
enum matter_urgency {
	MU_NONE,	/* no deadline, paused, or closed */
	MU_OK,
	MU_SOON,	/* due within 7 days */
	MU_TODAY,
	MU_OVERDUE
};
enum matter_urgency matter_urgency(int64_t due, int64_t today);

/* The reminder due for a deadline today, or NULL: "due_soon" (within 3
 * days), "due_today", "overdue". */
const char *matter_reminder(int64_t due, int64_t today);

#endif

/* weekly_db.h: the weekly petition ledger: weeks, snapshots, the report. */
#ifndef XZ_WEEKLY_DB_H
#define XZ_WEEKLY_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "db/sqltab.h"
#include "org/scope.h"

struct db;

/*
 * The reporting week.  The township's plan (领导干部接访下访行动方案,
 * 挂账销号) says: 各村、各站所于每周星期五12:00点前将接访下访工作台账报乡
 * 综治中心.  A week is named by its Monday, as 周报 are (weeks run Monday
 * to Sunday, Asia/Shanghai); its deadline is that Friday 12:00; and the
 * period it reports on runs from the deadline before to its own,
 * [Friday 12:00 a week earlier, Friday 12:00), so that nothing between two
 * deadlines falls outside every report.  From Friday 12:00 on, the week
 * being prepared is the next one.
 */
struct weekly_week {
	int64_t		 monday;	/* day number (base/timeutil.h) */
	int64_t		 from;		/* ms UTC: the deadline before */
	int64_t		 deadline;	/* ms UTC: Friday 12:00 Asia/Shanghai */
};
void	 weekly_week(int64_t monday, struct weekly_week *);
/* The Monday of the calendar week (Monday to Sunday) holding "day". */
int64_t	 weekly_monday(int64_t day);
/* The Monday of the week whose period holds the instant "now" (ms). */
int64_t	 weekly_current(int64_t now);

/*
 * Who submits: each village (its petitions: matter.village_id) and each
 * active unit (matter.unit_id) except those that supervise (综治中心),
 * which receive the ledgers.
 */
enum weekly_kind {
	WEEKLY_VILLAGE,
	WEEKLY_UNIT,
	WEEKLY__MAX
};
extern const char *const weekly_kind_names[WEEKLY__MAX];	/* "village" */
extern const char *const weekly_kind_labels[WEEKLY__MAX];	/* "村" */

struct weekly_submitter {
	enum weekly_kind kind;
	int64_t		 id;
};

/*
 * The weekly report of one township, as the centre reads it: every
 * submitter (villages, then units) with its status for the week
 * ("on_time", "late", "missing" once the deadline has passed with nothing
 * sent, "pending" before), its current submission, and its petitions'
 * counts over the week's period up to min(now, deadline) — new, closed,
 * open, overdue — with the township's totals and the late and missing
 * lists.  Two index range scans (matter_week) whatever the size of the
 * ledger.  A new reference, or NULL with *rc < 0.
 */
json_t	*weekly_report(struct db *, int64_t township_id, int64_t monday,
	    int64_t now, int *rc);

/*
 * The submitter's petition ledger for the week as it stands at "now":
 * the petitions opened before now that are still open, or were closed or
 * acted on since the period began; [{seq, matter_id, code, petitioner,
 * phone_mask, opened_at, source, title, village, unit, lead, resolver,
 * state, due_on, closed_at, closing, key, new, closed, overdue}], every
 * text a display string ("" when empty).  NULL with *rc < 0.
 */
json_t	*weekly_preview(struct db *, int64_t township_id,
	    const struct weekly_submitter *, int64_t monday, int64_t now,
	    int *rc);

/* The submitter's name (in "out", 128 bytes): DB_OK, DB_DONE if none. */
int	 weekly_submitter_name(struct db *, int64_t township_id,
	    const struct weekly_submitter *, char *out, size_t outlen);

/* The current submission for the week: its id (0 if none) and time. */
int	 weekly_current_submission(struct db *, int64_t township_id,
	    const struct weekly_submitter *, int64_t monday, int64_t *id,
	    int64_t *at);

/* The units the person holds a current post in: [{id, name, supervises}]. */
json_t	*weekly_person_units(struct db *, int64_t township_id,
	    int64_t person_id, int *rc);

struct weekly_err {
	int		 status;	/* 404, 409, 422, 503 */
	const char	*code;
	const char	*message;	/* Chinese, for the user */
	const char	*field;
};

struct weekly_in {
	int64_t			 township_id;
	struct weekly_submitter	 who;
	int64_t			 monday;
	const char		*note;
	int64_t			 person_id;	/* the submitting cadre, or 0 */
	const char		*name;		/* shown as 报送人 */
};

/*
 * Submit: freeze the submitter's ledger as it stands now into a new
 * submission, flagged late from the deadline on.  Before the deadline a
 * new submission replaces the current one (kept, marked replaced); after
 * it, a week already submitted is refused (409).  One transaction with
 * its audit record.  0 with *id, or -1 with "err" set.
 */
int	 weekly_submit(struct db *, const struct weekly_in *,
	    const struct audit_actor *, int64_t now, int64_t *id,
	    struct weekly_err *);

/*
 * One submission in scope (a village cadre sees only the village's), with
 * its frozen rows and the submitter's other submissions of the week
 * ("history").  NULL with *rc = DB_DONE if none, < 0 on failure.
 */
json_t	*weekly_get(struct db *, const struct scope *, int64_t id, int *rc);

/*
 * The demo township's last week: every submitter on time but one late
 * and one missing (synthetic, from the demo's own cadres).  In the
 * caller's transaction.
 */
int	 weekly_demo(struct db *, int64_t township_id,
	    const struct audit_actor *, int64_t now);

extern const struct db_sqltab weekly_sqltab;

#endif

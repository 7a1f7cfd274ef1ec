/* test-matter.c: the ledger engine's rules, on the petition type and a real database. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>

#include "audit/audit.h"
#include "auth/role.h"
#include "auth/secret.h"
#include "base/compat.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/migrate.h"
#include "matter/calendar.h"
#include "matter/matter.h"
#include "matter/matter_db.h"
#include "org/org.h"

/*
 * The petition type's moves, written out again by hand from the plan
 * (领导干部接访下访行动方案) and 《信访工作条例》, so that the type table in
 * src/petition/petition.c is checked against an independent statement of
 * the rules rather than against itself.  A (state, action) pair missing
 * here is refused with 409 for everyone; a listed one is allowed for the
 * roles given and refused with 403 for every other role.
 */
#define H	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF)	/* handlers */
#define A	(ROLE_LEADER | ROLE_MEMBER)			/* approvers */
#define E	(H | ROLE_VILLAGE | ROLE_INSPECTOR)		/* everyone */
/* Supervision: the engine lets staff through; the web layer then lets
 * only staff of a supervising unit (综治中心) issue orders. */
#define S	(ROLE_INSPECTOR | ROLE_LEADER | ROLE_STAFF)

struct expect {
	const char		*state;
	enum matter_action	 action;
	const char		*to;		/* NULL: stays */
	unsigned		 roles;
};

static const struct expect expected[] = {
	{ "registered", MA_ACCEPT, "accepted", H },
	{ "registered", MA_REJECT, "rejected", H },
	{ "registered", MA_ASSIGN, NULL, H },
	{ "registered", MA_SUPERVISE, NULL, S },
	{ "registered", MA_NOTE, NULL, E },

	{ "accepted", MA_ASSIGN, NULL, H },
	{ "accepted", MA_EXTEND, NULL, A },
	{ "accepted", MA_PAUSE, NULL, H },
	{ "accepted", MA_RESUME, NULL, H },
	{ "accepted", MA_REPLY, "replied", H },
	{ "accepted", MA_SUPERVISE, NULL, S },
	{ "accepted", MA_NOTE, NULL, E },

	{ "replied", MA_ASSIGN, NULL, H },
	{ "replied", MA_CALLBACK, "called_back", H | ROLE_VILLAGE },
	{ "replied", MA_REVIEW, "reviewing", H },
	{ "replied", MA_RE_REVIEW, "re_reviewing", H },
	{ "replied", MA_SUPERVISE, NULL, S },
	{ "replied", MA_NOTE, NULL, E },

	{ "called_back", MA_ASSIGN, NULL, H },
	{ "called_back", MA_REVIEW, "reviewing", H },
	{ "called_back", MA_RE_REVIEW, "re_reviewing", H },
	{ "called_back", MA_CLOSE, "closed", H },
	{ "called_back", MA_SUPERVISE, NULL, S },
	{ "called_back", MA_NOTE, NULL, E },

	{ "reviewing", MA_ASSIGN, NULL, H },
	{ "reviewing", MA_PAUSE, NULL, H },
	{ "reviewing", MA_RESUME, NULL, H },
	{ "reviewing", MA_REPLY, "replied", H },
	{ "reviewing", MA_SUPERVISE, NULL, S },
	{ "reviewing", MA_NOTE, NULL, E },

	{ "re_reviewing", MA_ASSIGN, NULL, H },
	{ "re_reviewing", MA_PAUSE, NULL, H },
	{ "re_reviewing", MA_RESUME, NULL, H },
	{ "re_reviewing", MA_REPLY, "replied", H },
	{ "re_reviewing", MA_SUPERVISE, NULL, S },
	{ "re_reviewing", MA_NOTE, NULL, E },

	{ "closed", MA_REOPEN, "accepted", A },
	{ "closed", MA_NOTE, NULL, E },

	{ "rejected", MA_NOTE, NULL, E },
};

static const char *const all_states[] = { "registered", "accepted",
    "replied", "called_back", "reviewing", "re_reviewing", "closed",
    "rejected" };

static const unsigned all_roles[] = { ROLE_LEADER, ROLE_MEMBER, ROLE_STAFF,
    ROLE_VILLAGE, ROLE_CLEANER, ROLE_INSPECTOR, ROLE_SYSADMIN,
    ROLE_SECADMIN, ROLE_AUDITOR };

static const struct expect *
expectation(const char *state, enum matter_action a)
{
	size_t	 i;

	for (i = 0; i < NELEM(expected); i++)
		if (strcmp(expected[i].state, state) == 0 &&
		    expected[i].action == a)
			return &expected[i];
	return NULL;
}

/* The database fixture. */

#define SHA	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"
#define LEAD	1	/* person: 包案领导 */
#define RESOLVER 2	/* person: 化解责任人 */
#define CENTRE_STAFF 3	/* person: staff of the 综治中心 (supervises) */
#define OTHER_STAFF 4	/* person: staff of the 司法所 */
#define PETITIONER 5

static const struct matter_type	*pt;
static char			 dir[64];
static char			 path[PATH_MAX];
static struct db		*db;
static sqlite3			*raw;
static struct calendar		*cal;
static const struct scope	 township = { 1, 0 };
static const struct scope	 village1 = { 1, 1 };
static const struct scope	 village2 = { 1, 2 };

static int64_t
day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* An instant at noon (Beijing) of a day, for timestamps. */
static int64_t
noon(int64_t d)
{
	return d * 86400000LL + 4 * 3600000LL;
}

static void
exec(const char *sql)
{
	char	*msg = NULL;

	cr_assert_eq(sqlite3_exec(raw, sql, NULL, NULL, &msg), SQLITE_OK,
	    "%s: %s", sql, msg ? msg : "");
}

/* One integer from a query with an optional id parameter ?1. */
static int64_t
qint(const char *sql, int64_t id)
{
	sqlite3_stmt	*st;
	int64_t		 v;

	cr_assert_eq(sqlite3_prepare_v2(raw, sql, -1, &st, NULL), SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(raw));
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, id);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* One text value (NULL as ""), copied into "out". */
static const char *
rtext(const char *sql, int64_t id, char *out, size_t n)
{
	sqlite3_stmt	*st;
	const char	*s;

	cr_assert_eq(sqlite3_prepare_v2(raw, sql, -1, &st, NULL), SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(raw));
	sqlite3_bind_int64(st, 1, id);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	s = (const char *)sqlite3_column_text(st, 0);
	str_copy(out, s ? s : "", n);
	sqlite3_finalize(st);
	return out;
}

static void
setup(void)
{
	unsigned char	 key[32];

	log_set_quiet(1);
	cr_assert_geq(sodium_init(), 0);
	memset(key, 0x5a, sizeof(key));
	secret_use_key(key);
	snprintf(dir, sizeof(dir), "/tmp/xz-matter-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/test.db", dir);
	db = db_open(path, DB_OPEN_CREATE);
	cr_assert_not_null(db);
	cr_assert_eq(migrate_up(db), migrate_count());
	/* Speed only: these tests commit thousands of small transactions. */
	cr_assert_eq(db_exec_script(db, "PRAGMA synchronous = OFF"), DB_OK);
	cr_assert_eq(sqlite3_open(path, &raw), SQLITE_OK);
	sqlite3_busy_timeout(raw, 5000);
	exec("INSERT INTO township (id, name, created_at) VALUES"
	    " (1, '测试乡', '2026-01-01T00:00:00Z');"
	    "INSERT INTO village (id, township_id, name) VALUES"
	    " (1, 1, '东村'), (2, 1, '西村');"
	    "INSERT INTO unit (id, township_id, name, kind, supervises) VALUES"
	    " (1, 1, '综治中心', 'centre', 1), (2, 1, '司法所', 'station', 0);"
	    "INSERT INTO person (id, township_id, kind, name, village_id,"
	    " created_at, updated_at) VALUES"
	    " (1, 1, 'cadre', '包案甲', NULL, 'x', 'x'),"
	    " (2, 1, 'cadre', '化解乙', NULL, 'x', 'x'),"
	    " (3, 1, 'cadre', '综治丙', NULL, 'x', 'x'),"
	    " (4, 1, 'cadre', '司法丁', NULL, 'x', 'x'),"
	    " (5, 1, 'citizen', '来访戊', 1, 'x', 'x');"
	    "INSERT INTO post (township_id, person_id, unit_id, title,"
	    " started_on) VALUES (1, 3, 1, '干事', '2026-01-01'),"
	    " (1, 4, 2, '干事', '2026-01-01');");
	cal = matter_calendar_load(db);
	cr_assert_not_null(cal);
	pt = matter_type_get("petition");
	cr_assert_not_null(pt);
}

static void
teardown(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char			 f[PATH_MAX + 16];
	size_t			 i;

	calendar_free(cal);
	cal = NULL;
	sqlite3_close(raw);
	raw = NULL;
	db_close(db);
	db = NULL;
	for (i = 0; i < NELEM(suffix); i++) {
		snprintf(f, sizeof(f), "%s%s", path, suffix[i]);
		unlink(f);
	}
	rmdir(dir);
}

TestSuite(matter, .init = setup, .fini = teardown);
TestSuite(rules);

/* An actor holding exactly "roles"; persons for the ones that have one. */
static struct matter_actor
actor(unsigned roles)
{
	struct matter_actor	 a;

	memset(&a, 0, sizeof(a));
	a.audit.township_id = 1;
	a.audit.login = "tester";
	a.audit.role = "test";
	a.audit.addr = "192.0.2.1";
	a.audit.request_id = "t";
	a.name = "测试人";
	a.person_id = roles == ROLE_STAFF ? CENTRE_STAFF : roles ==
	    ROLE_LEADER ? LEAD : 0;
	a.roles = roles;
	return a;
}

/* A new petition received on "receipt"; its id. */
static int64_t
mk(int64_t receipt)
{
	static const int64_t	 people[] = { PETITIONER };
	struct matter_actor	 who = actor(ROLE_STAFF);
	struct matter_new	 in;
	int64_t			 id = 0;
	char			 code[32];

	memset(&in, 0, sizeof(in));
	in.type = pt;
	in.title = "反映灌溉水渠堵塞";
	in.body = "东村三组水渠堵塞";
	in.source = "visit";
	in.place = "乡信访接待室";
	in.village_id = 1;
	in.unit_id = 2;
	in.lead_id = LEAD;
	in.resolver_id = RESOLVER;
	in.raised_by = PETITIONER;
	in.people = people;
	in.npeople = 1;
	in.clock_day = receipt;
	cr_assert_eq(db_begin(db), DB_OK);
	cr_assert_eq(matter_create(db, &township, &in, cal, &who,
	    noon(receipt), &id, code), DB_OK);
	cr_assert_eq(db_end(db, 0), 0);
	cr_assert_gt(id, 0);
	return id;
}

/* A valid act of each kind, as a form would send it. */
static struct matter_act
act_of(enum matter_action a, int64_t today)
{
	struct matter_act	 x;

	memset(&x, 0, sizeof(x));
	x.action = a;
	x.note = "已核实情况";
	x.closing = "commitment";
	x.day = today + 10;
	x.days = 10;
	x.lead_id = LEAD;
	return x;
}

static int
apply_as(int64_t id, const struct matter_act *a, unsigned roles,
    int64_t today, struct matter_err *err)
{
	struct matter_actor	 who = actor(roles);

	return matter_apply(db, roles == ROLE_VILLAGE ? &village1 : &township,
	    id, a, cal, &who, today, noon(today), err);
}

/* Take "a" as a leader on "today", which must succeed. */
static void
step_on(int64_t id, enum matter_action a, int64_t today)
{
	struct matter_act	 x = act_of(a, today);
	struct matter_err	 err;

	cr_assert_eq(apply_as(id, &x, ROLE_LEADER, today, &err), 0,
	    "%s on matter %lld: %d %s", matter_action_names[a], (long long)id,
	    err.status, err.message ? err.message : "");
}

static void
attach(int64_t id, const char *kind, int64_t today)
{
	struct matter_actor	 who = actor(ROLE_STAFF);
	struct matter_err	 err;
	struct matter_file	 f = { kind, "scan.pdf", "application/pdf", 1234,
	    SHA };
	int64_t			 aid = 0;

	cr_assert_eq(matter_attach(db, &township, id, &f, &who, noon(today),
	    &aid, &err), 0,
	    "attach %s: %d %s", kind, err.status, err.message ?
	    err.message : "");
}

/* The matter's row, every column an action may touch, as one string. */
static const char *
snapshot(int64_t id, char *out, size_t n)
{
	return rtext("SELECT quote(state) || quote(stage) || quote(clock_from)"
	    " || quote(due_on) || quote(paused_on) || quote(stage_ended_on)"
	    " || extensions || '/' || extended_days || '/' || final || late"
	    " || quote(closing) || quote(closed_at) || quote(unit_id)"
	    " || quote(lead_id) || quote(resolver_id) || quote(updated_at)"
	    " || key_matter FROM matter WHERE id = ?1", id, out, n);
}

static const char *
state_of(int64_t id)
{
	static char	 s[32];

	return rtext("SELECT state FROM matter WHERE id = ?1", id, s,
	    sizeof(s));
}

static const char *
due_of(int64_t id)
{
	static char	 s[16];

	return rtext("SELECT ifnull(due_on, '') FROM matter WHERE id = ?1",
	    id, s, sizeof(s));
}

static int64_t
events(int64_t id)
{
	return qint("SELECT count(*) FROM matter_event WHERE matter_id = ?1",
	    id);
}

static int64_t
audits(void)
{
	return qint("SELECT count(*) FROM audit", 0);
}

static int64_t
orders(void)
{
	return qint("SELECT count(*) FROM supervision", 0);
}

/*
 * A matter in "state", ready for "want" to succeed there: paused before
 * a resume, the review stage ended before a 复核, the agreement on file
 * before a close.  Everything happens on "today".
 */
static int64_t
build(const char *state, enum matter_action want, int64_t today)
{
	int64_t	 id = mk(today);

	if (str_eq(state, "registered"))
		return id;
	if (str_eq(state, "rejected")) {
		step_on(id, MA_REJECT, today);
		return id;
	}
	step_on(id, MA_ACCEPT, today);
	if (str_eq(state, "accepted")) {
		if (want == MA_RESUME)
			step_on(id, MA_PAUSE, today);
		return id;
	}
	step_on(id, MA_REPLY, today);
	if (want == MA_RE_REVIEW && (str_eq(state, "replied") ||
	    str_eq(state, "called_back"))) {
		step_on(id, MA_REVIEW, today);
		step_on(id, MA_REPLY, today);
	}
	if (str_eq(state, "replied"))
		return id;
	if (str_eq(state, "called_back") || str_eq(state, "closed")) {
		step_on(id, MA_CALLBACK, today);
		if (want == MA_CLOSE || str_eq(state, "closed"))
			attach(id, "agreement", today);
		if (str_eq(state, "closed"))
			step_on(id, MA_CLOSE, today);
		return id;
	}
	step_on(id, MA_REVIEW, today);
	if (str_eq(state, "reviewing")) {
		if (want == MA_RESUME)
			step_on(id, MA_PAUSE, today);
		return id;
	}
	step_on(id, MA_REPLY, today);
	step_on(id, MA_RE_REVIEW, today);
	cr_assert_str_eq(state, "re_reviewing");
	if (want == MA_RESUME)
		step_on(id, MA_PAUSE, today);
	return id;
}

/* Rules without a database: the type table and the pure functions. */

Test(rules, every_state_action_role_matches_the_written_rules)
{
	const struct matter_type	*t = matter_type_get("petition");
	const struct matter_move	*mv;
	const struct expect		*x;
	enum matter_refusal		 why;
	size_t				 s, r;
	int				 a, allowed = 0, n = 0;

	cr_assert_not_null(t);
	for (s = 0; s < NELEM(all_states); s++)
		for (a = 0; a < MA__MAX; a++)
			for (r = 0; r < NELEM(all_roles); r++) {
				x = expectation(all_states[s],
				    (enum matter_action)a);
				mv = matter_move(t, all_states[s],
				    (enum matter_action)a, all_roles[r], &why);
				n++;
				if (x != NULL && (x->roles & all_roles[r])) {
					allowed++;
					cr_assert_not_null(mv, "%s %s 0x%x",
					    all_states[s],
					    matter_action_names[a],
					    all_roles[r]);
					cr_assert_eq(why, MR_OK);
					cr_assert(str_eq(mv->to, x->to),
					    "%s %s goes to %s, not %s",
					    all_states[s],
					    matter_action_names[a],
					    mv->to ? mv->to : "(stays)",
					    x->to ? x->to : "(stays)");
				} else {
					cr_assert_null(mv, "%s %s 0x%x allowed",
					    all_states[s],
					    matter_action_names[a],
					    all_roles[r]);
					cr_assert_eq(why, x ? MR_ROLE : MR_STATE,
					    "%s %s 0x%x", all_states[s],
					    matter_action_names[a],
					    all_roles[r]);
				}
			}
	cr_assert_eq(n, 8 * MA__MAX * 9);
	cr_assert_eq(allowed, 132);
}

Test(rules, a_role_set_is_allowed_when_any_role_is)
{
	const struct matter_type	*t = matter_type_get("petition");
	enum matter_refusal		 why;

	cr_assert_not_null(matter_move(t, "accepted", MA_EXTEND,
	    ROLE_STAFF | ROLE_MEMBER, &why));
	cr_assert_null(matter_move(t, "accepted", MA_EXTEND,
	    ROLE_STAFF | ROLE_VILLAGE | ROLE_INSPECTOR, &why));
	cr_assert_eq(why, MR_ROLE);
	cr_assert_null(matter_move(t, "accepted", MA_EXTEND, 0, &why));
	cr_assert_eq(why, MR_ROLE);
	cr_assert_null(matter_move(t, "closed", MA_REOPEN, ROLE_STAFF, &why));
	cr_assert_eq(why, MR_ROLE);
	cr_assert_null(matter_move(t, "closed", MA_SUPERVISE, ROLE_LEADER,
	    &why));
	cr_assert_eq(why, MR_STATE, "'*' means any open state");
}

Test(rules, every_type_table_is_consistent)
{
	const struct matter_type *const	*ts;
	const struct matter_type	*t;
	const struct matter_closing	*c;
	size_t				 n, i, k, j;

	ts = matter_types(&n);
	cr_assert_geq(n, 1);
	for (i = 0; i < n; i++) {
		t = ts[i];
		cr_assert_eq(matter_type_get(t->name), t);
		cr_assert(matter_state_valid(t, t->initial), "%s", t->name);
		cr_assert(matter_state_open(t, t->initial));
		cr_assert_not_null(matter_clock(t, t->initial_clock));
		for (k = 0; t->states[k] != NULL; k++) {
			cr_assert_not_null(t->state_labels[k]);
			cr_assert_neq(*t->state_labels[k], '\0');
		}
		cr_assert_null(t->state_labels[k]);
		for (k = 0; t->final_states[k] != NULL; k++) {
			cr_assert(matter_state_valid(t, t->final_states[k]));
			cr_assert_not(matter_state_open(t,
			    t->final_states[k]));
		}
		for (k = 0; k < t->nmoves; k++) {
			const struct matter_move *m = &t->moves[k];

			cr_assert(str_eq(m->from, "*") ||
			    matter_state_valid(t, m->from), "from %s",
			    m->from);
			cr_assert(m->to == NULL || matter_state_valid(t, m->to),
			    "to %s", m->to);
			cr_assert(m->clock == NULL || *m->clock == '\0' ||
			    matter_clock(t, m->clock) != NULL, "clock %s",
			    m->clock);
			cr_assert(m->after == NULL ||
			    matter_clock(t, m->after) != NULL);
			cr_assert(m->window == NULL ||
			    matter_clock(t, m->window) != NULL);
			cr_assert_neq(m->roles, 0);
			cr_assert_eq(m->roles & ROLE_ADMINS, 0,
			    "三权分立: no admin role acts on matters");
		}
		for (k = 0; k < t->nclosings; k++) {
			c = &t->closings[k];
			/*
			 * A closing without documents only where no account
			 * may close (差评整改: the citizen's re-rating or the
			 * leader's appeal decision closes it).
			 */
			for (j = 0; c->all == NULL && c->any == NULL &&
			    j < t->nmoves; j++)
				cr_assert(t->moves[j].action != MA_CLOSE ||
				    (t->moves[j].roles & ROLE_ANY) == 0,
				    "%s: %s", t->name, c->name);
			for (j = 0; c->all && c->all[j]; j++)
				cr_assert_not_null(matter_doc_label(t,
				    c->all[j]), "%s", c->all[j]);
			for (j = 0; c->any && c->any[j]; j++)
				cr_assert_not_null(matter_doc_label(t,
				    c->any[j]), "%s", c->any[j]);
		}
		cr_assert(t->final_stage == NULL ||
		    matter_clock(t, t->final_stage) != NULL);
	}
}

Test(rules, petition_clocks_are_the_regulation)
{
	const struct matter_type	*t = matter_type_get("petition");
	static const struct {
		const char	*stage;
		int		 days;
	} want[] = {
		{ "acceptance", 15 }, { "handling", 60 }, { "review", 30 },
		{ "re_review", 30 }, { "review_window", 30 },
		{ "re_review_window", 30 },
	};
	const struct matter_clock	*c;
	size_t				 i;

	for (i = 0; i < NELEM(want); i++) {
		c = matter_clock(t, want[i].stage);
		cr_assert_not_null(c, "%s", want[i].stage);
		cr_assert_eq(c->days, want[i].days, "%s", want[i].stage);
		cr_assert_eq(c->unit, CAL_DAYS, "%s", want[i].stage);
		cr_assert(c->roll, "%s rolls off rest days", want[i].stage);
	}
	cr_assert_str_eq(t->initial_clock, "acceptance");
	cr_assert_eq(t->max_extensions, 1);
	cr_assert_eq(t->max_extension_days, 30);
	cr_assert_str_eq(t->final_stage, "re_review");
	cr_assert_str_eq(t->prefix, "XF");
	cr_assert_null(matter_clock(t, "nonsense"));
	cr_assert_null(matter_clock(t, NULL));
}

Test(rules, names_labels_and_parsing)
{
	const struct matter_type	*t = matter_type_get("petition");
	int				 i;

	for (i = 0; i < MA__MAX; i++) {
		cr_assert_eq(matter_action_parse(matter_action_names[i]), i);
		cr_assert_neq(*matter_action_labels[i], '\0');
	}
	cr_assert_eq(matter_action_parse("Accept"), MA__MAX);
	cr_assert_eq(matter_action_parse(""), MA__MAX);
	cr_assert_eq(matter_action_parse(NULL), MA__MAX);
	cr_assert_null(matter_type_get("nonsense"));
	cr_assert_null(matter_type_get(NULL));
	cr_assert_str_eq(matter_state_label(t, "closed"), "已销号");
	cr_assert_str_eq(matter_state_label(t, "nonsense"), "");
	cr_assert_not(matter_state_valid(t, "nonsense"));
	cr_assert_not(matter_state_open(t, "rejected"));
	cr_assert(matter_state_open(t, "re_reviewing"));
	cr_assert_str_eq(matter_closing_label(t, "commitment"), "承诺息访");
	cr_assert_str_eq(matter_closing_label(t, "not_accepted"), "不予受理");
	cr_assert_str_eq(matter_closing_label(t, "nonsense"), "");
	cr_assert_str_eq(matter_source_label(t, "hotline"), "12345热线");
	cr_assert_str_eq(matter_source_label(t, "nonsense"), "");
	cr_assert_null(matter_doc_label(t, "nonsense"));
}

Test(rules, urgency_and_reminder_boundaries)
{
	int64_t	 t = day(2026, 7, 6);

	cr_assert_eq(matter_urgency(t - 1, t), MU_OVERDUE);
	cr_assert_eq(matter_urgency(t, t), MU_TODAY);
	cr_assert_eq(matter_urgency(t + 1, t), MU_SOON);
	cr_assert_eq(matter_urgency(t + 7, t), MU_SOON);
	cr_assert_eq(matter_urgency(t + 8, t), MU_OK);
	cr_assert_str_eq(matter_urgency_names[MU_OVERDUE], "overdue");
	cr_assert_str_eq(matter_urgency_names[MU_NONE], "none");

	cr_assert_str_eq(matter_reminder(t - 30, t), "overdue");
	cr_assert_str_eq(matter_reminder(t - 1, t), "overdue");
	cr_assert_str_eq(matter_reminder(t, t), "due_today");
	cr_assert_str_eq(matter_reminder(t + 1, t), "due_soon");
	cr_assert_str_eq(matter_reminder(t + 3, t), "due_soon");
	cr_assert_null(matter_reminder(t + 4, t));
}

Test(rules, close_check_all_of_and_any_of)
{
	const struct matter_type	*t = matter_type_get("petition");
	const char			*missing;
	static const char *const none[] = { "photo" };
	static const char *const agreement[] = { "photo", "agreement" };
	static const char *const two[] = { "handling_opinion",
	    "re_review_opinion" };
	static const char *const three[] = { "re_review_opinion",
	    "review_opinion", "handling_opinion" };
	static const char *const legal[] = { "judicial_document",
	    "arbitration", "ruling", "not_accepted_notice" };
	size_t				 i;

	/* 承诺息访: the agreement. */
	cr_assert_eq(matter_close_check(t, "commitment", none, 0, &missing),
	    -1);
	cr_assert_str_eq(missing, "息访息诉协议");
	cr_assert_eq(matter_close_check(t, "commitment", none, 1, &missing),
	    -1);
	cr_assert_str_eq(missing, "息访息诉协议");
	cr_assert_eq(matter_close_check(t, "commitment", agreement, 2,
	    &missing), 0);
	cr_assert_null(missing);

	/* 复查复核终结: all three opinions; the first missing is named. */
	cr_assert_eq(matter_close_check(t, "review_exhausted", two, 2,
	    &missing), -1);
	cr_assert_str_eq(missing, "复查意见书");
	cr_assert_eq(matter_close_check(t, "review_exhausted", two, 1,
	    &missing), -1);
	cr_assert_str_eq(missing, "复查意见书");
	cr_assert_eq(matter_close_check(t, "review_exhausted", three, 3,
	    &missing), 0);
	cr_assert_eq(matter_close_check(t, "review_exhausted", agreement, 2,
	    &missing), -1);
	cr_assert_str_eq(missing, "信访事项处理意见书");

	/* 法定途径: any one legal document. */
	cr_assert_eq(matter_close_check(t, "legal_channel", agreement, 2,
	    &missing), -1);
	cr_assert_str_eq(missing, "司法文书");
	for (i = 0; i < NELEM(legal); i++) {
		cr_assert_eq(matter_close_check(t, "legal_channel", &legal[i],
		    1, &missing), 0, "%s", legal[i]);
		cr_assert_null(missing);
	}

	/* An unknown closing is refused with nothing named. */
	cr_assert_eq(matter_close_check(t, "nonsense", three, 3, &missing),
	    -1);
	cr_assert_null(missing);
}

Test(rules, due_in_working_days_crosses_a_tiaoxiu_saturday)
{
	static const struct matter_clock work5 = { "w", "五个工作日", 5,
	    CAL_WORKDAYS, false };
	static const struct matter_clock days15 = { "d", "15日", 15,
	    CAL_DAYS, true };
	struct calendar	*c = calendar_new(cal_cn_2023_2027,
	    cal_cn_2023_2027_n);

	cr_assert_not_null(c);
	/* Thu 10-08: Fri 10-09, Sat 10-10 (调休, works), Mon, Tue, Wed. */
	cr_assert_eq(matter_due(c, &work5, day(2026, 10, 8), 0),
	    day(2026, 10, 14));
	/* The same from Wed 9-30 crosses 国庆: 10-08, 10-09, 10-10, 12, 13. */
	cr_assert_eq(matter_due(c, &work5, day(2026, 9, 30), 0),
	    day(2026, 10, 13));
	/* "extra" days count after the rule's own. */
	cr_assert_eq(matter_due(c, &work5, day(2026, 10, 8), 2),
	    day(2026, 10, 16));
	cr_assert_eq(matter_due(c, &days15, day(2026, 9, 16), 0),
	    day(2026, 10, 8));
	cr_assert_eq(matter_due(c, &days15, day(2026, 9, 16), 1),
	    day(2026, 10, 8));
	cr_assert_eq(matter_due(c, &days15, day(2026, 9, 16), 8),
	    day(2026, 10, 9));
	calendar_free(c);
}

/* Every transition per role, through matter_apply() on a database. */

Test(matter, every_state_action_role_through_the_engine, .timeout = 120)
{
	const struct expect	*x;
	struct matter_act	 a;
	struct matter_err	 err;
	char			 before[512], after[512];
	int64_t			 today = day(2026, 6, 1), shared, id;
	int64_t			 ev, au, so;
	size_t			 s, r;
	int			 act, allowed = 0, refused = 0;

	for (s = 0; s < NELEM(all_states); s++) {
		shared = build(all_states[s], MA__MAX, today);
		cr_assert_str_eq(state_of(shared), all_states[s]);
		for (act = 0; act < MA__MAX; act++) {
			x = expectation(all_states[s], (enum matter_action)act);
			for (r = 0; r < NELEM(all_roles); r++) {
				a = act_of((enum matter_action)act, today);
				if (x != NULL && (x->roles & all_roles[r])) {
					/* Allowed: a fresh matter moves. */
					id = build(all_states[s],
					    (enum matter_action)act, today);
					ev = events(id);
					au = audits();
					so = orders();
					cr_assert_eq(apply_as(id, &a,
					    all_roles[r], today, &err), 0,
					    "%s %s 0x%x: %d %s", all_states[s],
					    matter_action_names[act],
					    all_roles[r], err.status,
					    err.message);
					cr_assert_str_eq(state_of(id), x->to ?
					    x->to : all_states[s]);
					cr_assert_eq(events(id), ev + 1);
					cr_assert_eq(audits(), au + 1);
					cr_assert_eq(orders(), so +
					    (act == MA_SUPERVISE));
					allowed++;
					continue;
				}
				/* Refused: nothing changes at all. */
				snapshot(shared, before, sizeof(before));
				ev = events(shared);
				au = audits();
				so = orders();
				cr_assert_eq(apply_as(shared, &a, all_roles[r],
				    today, &err), -1, "%s %s 0x%x allowed",
				    all_states[s], matter_action_names[act],
				    all_roles[r]);
				cr_assert_eq(err.status, x ? 403 : 409,
				    "%s %s 0x%x: %d", all_states[s],
				    matter_action_names[act], all_roles[r],
				    err.status);
				cr_assert_not_null(err.message);
				if (x == NULL)
					cr_assert_not_null(strstr(err.message,
					    matter_state_label(pt,
					    all_states[s])), "%s", err.message);
				cr_assert_str_eq(snapshot(shared, after,
				    sizeof(after)), before);
				cr_assert_eq(events(shared), ev);
				cr_assert_eq(audits(), au);
				cr_assert_eq(orders(), so);
				refused++;
			}
		}
	}
	cr_assert_eq(allowed, 132);
	cr_assert_eq(allowed + refused, 8 * MA__MAX * 9);
}

Test(matter, another_villages_cadre_sees_no_matter)
{
	int64_t			 id = mk(day(2026, 6, 1));
	struct matter_actor	 who = actor(ROLE_VILLAGE);
	struct matter_act	 a = act_of(MA_NOTE, day(2026, 6, 1));
	struct matter_err	 err;
	int64_t			 ev = events(id);

	cr_assert_eq(matter_apply(db, &village2, id, &a, cal, &who,
	    day(2026, 6, 1), noon(day(2026, 6, 1)), &err), -1);
	cr_assert_eq(err.status, 404);
	cr_assert_eq(events(id), ev);
	cr_assert_eq(matter_apply(db, &village1, id, &a, cal, &who,
	    day(2026, 6, 1), noon(day(2026, 6, 1)), &err), 0);
	cr_assert_eq(events(id), ev + 1);
}

/* The statutory clocks. */

Test(matter, acceptance_is_due_15_days_after_receipt)
{
	int64_t	 id;
	char	 code[32];

	/* 9-16 + 15 = 10-01, 国庆: the next working day is Thu 10-08. */
	id = mk(day(2026, 9, 16));
	cr_assert_str_eq(due_of(id), "2026-10-08");
	/* 3-06 + 15 = Sat 3-21: Monday 3-23. */
	id = mk(day(2026, 3, 6));
	cr_assert_str_eq(due_of(id), "2026-03-23");
	/* 9-05 + 15 = Sun 9-20, a 调休 working day: it stays. */
	id = mk(day(2026, 9, 5));
	cr_assert_str_eq(due_of(id), "2026-09-20");
	/* 9-25 + 15 = Sat 10-10, a 调休 working day: it stays. */
	id = mk(day(2026, 9, 25));
	cr_assert_str_eq(due_of(id), "2026-10-10");
	/* 10-05 + 15 = Tue 10-20: crossing 调休 Saturday 10-10 changes
	 * nothing in calendar days. */
	id = mk(day(2026, 10, 5));
	cr_assert_str_eq(due_of(id), "2026-10-20");
	cr_assert_eq(qint("SELECT clock_from = '2026-10-05' AND stage ="
	    " 'acceptance' AND state = 'registered' FROM matter WHERE"
	    " id = ?1", id), 1);
	rtext("SELECT code FROM matter WHERE id = ?1", id, code, sizeof(code));
	cr_assert_str_eq(code, "XF-2026-0005");
}

Test(matter, late_acceptance_is_flagged)
{
	int64_t	 id = mk(day(2026, 6, 1)), ontime = mk(day(2026, 6, 1));

	cr_assert_str_eq(due_of(id), "2026-06-16");
	step_on(ontime, MA_ACCEPT, day(2026, 6, 16));
	cr_assert_eq(qint("SELECT late FROM matter WHERE id = ?1", ontime), 0);
	step_on(id, MA_ACCEPT, day(2026, 6, 17));
	cr_assert_eq(qint("SELECT late FROM matter WHERE id = ?1", id), 1);
	cr_assert_eq(qint("SELECT count(*) FROM matter_event WHERE"
	    " matter_id = ?1 AND action = 'accept' AND data LIKE"
	    " '%\"late\":true%'", id), 1);
	/* The flag stays after later moves. */
	step_on(id, MA_REPLY, day(2026, 6, 18));
	cr_assert_eq(qint("SELECT late FROM matter WHERE id = ?1", id), 1);
}

Test(matter, handling_is_due_60_days_after_acceptance)
{
	int64_t	 id = mk(day(2026, 7, 30));

	/* Mon 8-03 + 60 = 10-02, in 国庆: Thu 10-08. */
	step_on(id, MA_ACCEPT, day(2026, 8, 3));
	cr_assert_str_eq(due_of(id), "2026-10-08");
	cr_assert_eq(qint("SELECT stage = 'handling' AND clock_from ="
	    " '2026-08-03' FROM matter WHERE id = ?1", id), 1);
	id = mk(day(2026, 5, 28));
	step_on(id, MA_ACCEPT, day(2026, 6, 1));
	cr_assert_str_eq(due_of(id), "2026-07-31");
}

Test(matter, one_extension_of_at_most_30_days)
{
	int64_t			 id = mk(day(2026, 5, 28));
	int64_t			 t = day(2026, 6, 10);
	struct matter_act	 a;
	struct matter_err	 err;
	char			 before[512], after[512];
	int64_t			 ev;

	step_on(id, MA_ACCEPT, day(2026, 6, 1));
	cr_assert_str_eq(due_of(id), "2026-07-31");
	snapshot(id, before, sizeof(before));
	ev = events(id);

	/* Staff may not approve an extension. */
	a = act_of(MA_EXTEND, t);
	a.days = 30;
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, t, &err), -1);
	cr_assert_eq(err.status, 403);
	/* More than 30 days, none, or a negative number: refused. */
	a.days = 31;
	cr_assert_eq(apply_as(id, &a, ROLE_LEADER, t, &err), -1);
	cr_assert_eq(err.status, 422);
	cr_assert_str_eq(err.field, "days");
	a.days = 0;
	cr_assert_eq(apply_as(id, &a, ROLE_LEADER, t, &err), -1);
	cr_assert_eq(err.status, 422);
	a.days = -5;
	cr_assert_eq(apply_as(id, &a, ROLE_LEADER, t, &err), -1);
	cr_assert_eq(err.status, 422);
	/* No reason: refused by the engine itself. */
	a.days = 30;
	a.note = NULL;
	cr_assert_eq(apply_as(id, &a, ROLE_LEADER, t, &err), -1);
	cr_assert_eq(err.status, 422);
	cr_assert_str_eq(err.field, "note");
	a.note = "";
	cr_assert_eq(apply_as(id, &a, ROLE_MEMBER, t, &err), -1);
	cr_assert_str_eq(err.field, "note");
	cr_assert_str_eq(snapshot(id, after, sizeof(after)), before);
	cr_assert_eq(events(id), ev);

	/* 30 days by a member (班子成员 approves): 7-31 + 30 = Sun 8-30,
	 * so Mon 8-31. */
	a.note = "需要协调土地确权，经分管领导批准延期";
	cr_assert_eq(apply_as(id, &a, ROLE_MEMBER, t, &err), 0, "%s",
	    err.message);
	cr_assert_str_eq(due_of(id), "2026-08-31");
	cr_assert_eq(qint("SELECT extensions * 100 + extended_days FROM"
	    " matter WHERE id = ?1", id), 130);
	cr_assert_eq(qint("SELECT count(*) FROM matter_event WHERE"
	    " matter_id = ?1 AND action = 'extend' AND data LIKE"
	    " '%\"days\":30%'", id), 1);

	/* A second extension, even of one day, is refused. */
	snapshot(id, before, sizeof(before));
	a.days = 1;
	cr_assert_eq(apply_as(id, &a, ROLE_LEADER, t, &err), -1);
	cr_assert_eq(err.status, 422);
	cr_assert_str_eq(err.field, "days");
	cr_assert_not_null(strstr(err.message, "一次"));
	cr_assert_str_eq(snapshot(id, after, sizeof(after)), before);
}

Test(matter, extension_only_of_the_handling_clock)
{
	int64_t			 id = build("reviewing", MA__MAX,
	    day(2026, 6, 1));
	struct matter_act	 a = act_of(MA_EXTEND, day(2026, 6, 2));
	struct matter_err	 err;

	cr_assert_eq(apply_as(id, &a, ROLE_LEADER, day(2026, 6, 2), &err), -1);
	cr_assert_eq(err.status, 409);
}

Test(matter, a_reopened_matter_may_be_extended_again)
{
	int64_t			 id = build("closed", MA__MAX, day(2026, 6, 1));
	struct matter_act	 a = act_of(MA_EXTEND, day(2026, 6, 3));
	struct matter_err	 err;

	step_on(id, MA_REOPEN, day(2026, 6, 2));
	cr_assert_eq(apply_as(id, &a, ROLE_LEADER, day(2026, 6, 3), &err), 0);
	cr_assert_eq(apply_as(id, &a, ROLE_LEADER, day(2026, 6, 3), &err), -1);
	cr_assert_eq(err.status, 422);
}

Test(matter, a_pause_does_not_count)
{
	int64_t			 id = mk(day(2026, 5, 28));
	struct matter_act	 a;
	struct matter_err	 err;
	json_t			*m;
	int			 rc;

	step_on(id, MA_ACCEPT, day(2026, 6, 1));
	cr_assert_str_eq(due_of(id), "2026-07-31");

	/* A pause needs a reason (waiting on the petitioner). */
	a = act_of(MA_PAUSE, day(2026, 6, 11));
	a.note = NULL;
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 6, 11), &err), -1);
	cr_assert_str_eq(err.field, "note");
	/* Resume before any pause: refused. */
	a = act_of(MA_RESUME, day(2026, 6, 11));
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 6, 11), &err), -1);
	cr_assert_eq(err.status, 409);

	/* Paused on 6-11 with 50 days left. */
	step_on(id, MA_PAUSE, day(2026, 6, 11));
	cr_assert_eq(qint("SELECT paused_on = '2026-06-11' AND due_on ="
	    " '2026-07-31' FROM matter WHERE id = ?1", id), 1);
	a = act_of(MA_PAUSE, day(2026, 6, 12));
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 6, 12), &err), -1);
	cr_assert_eq(err.status, 409, "paused twice");

	/* A paused matter has no urgency and is not overdue, even long
	 * after its old deadline. */
	m = matter_get(db, &township, id, day(2026, 9, 1), &rc);
	cr_assert_not_null(m);
	cr_assert_str_eq(json_string_value(json_object_get(m, "urgency")),
	    "none");
	cr_assert_str_eq(json_string_value(json_object_get(m, "due_hint")),
	    "中止计时");
	json_decref(m);

	/* Resumed on 6-21 (ten days later): 50 days from then, 8-10. */
	step_on(id, MA_RESUME, day(2026, 6, 21));
	cr_assert_str_eq(due_of(id), "2026-08-10");
	cr_assert_eq(qint("SELECT paused_on IS NULL FROM matter WHERE id = ?1",
	    id), 1);
	cr_assert_eq(qint("SELECT count(*) FROM matter_event WHERE"
	    " matter_id = ?1 AND action = 'resume' AND data LIKE"
	    " '%\"paused_days\":10%'", id), 1);

	/* A second pause and resume adds its own days again. */
	step_on(id, MA_PAUSE, day(2026, 7, 1));
	step_on(id, MA_RESUME, day(2026, 7, 4));
	cr_assert_str_eq(due_of(id), "2026-08-13");
}

Test(matter, reviews_within_30_days_of_the_reply)
{
	int64_t			 late = build("replied", MA__MAX,
	    day(2026, 6, 1));
	int64_t			 id = build("replied", MA__MAX,
	    day(2026, 6, 1));
	struct matter_act	 a;
	struct matter_err	 err;
	char			 before[512], after[512];

	/* 复核 before any 复查: refused. */
	a = act_of(MA_RE_REVIEW, day(2026, 6, 2));
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 6, 2), &err), -1);
	cr_assert_eq(err.status, 409);
	cr_assert_not_null(strstr(err.message, "复查意见"));

	/* Replied 6-01: the window ends Wed 7-01; 7-02 is too late. */
	snapshot(late, before, sizeof(before));
	a = act_of(MA_REVIEW, day(2026, 7, 2));
	cr_assert_eq(apply_as(late, &a, ROLE_STAFF, day(2026, 7, 2), &err), -1);
	cr_assert_eq(err.status, 422);
	cr_assert_str_eq(err.code, "window");
	cr_assert_not_null(strstr(err.message, "30日"));
	cr_assert_str_eq(snapshot(late, after, sizeof(after)), before);

	a = act_of(MA_REVIEW, day(2026, 7, 1));
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 7, 1), &err), 0);
	cr_assert_str_eq(state_of(id), "reviewing");
	/* 复查 decided within 30 days: 7-01 + 30 = Fri 7-31. */
	cr_assert_str_eq(due_of(id), "2026-07-31");
	cr_assert_eq(qint("SELECT stage = 'review' FROM matter WHERE id = ?1",
	    id), 1);

	/* The review opinion on 7-20, then 复核 up to 8-19, not 8-20. */
	step_on(id, MA_REPLY, day(2026, 7, 20));
	a = act_of(MA_RE_REVIEW, day(2026, 8, 20));
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 8, 20), &err), -1);
	cr_assert_eq(err.status, 422);
	cr_assert_str_eq(err.code, "window");
	a = act_of(MA_RE_REVIEW, day(2026, 8, 19));
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 8, 19), &err), 0);
	cr_assert_str_eq(state_of(id), "re_reviewing");
	/* 8-19 + 30 = Fri 9-18. */
	cr_assert_str_eq(due_of(id), "2026-09-18");
}

Test(matter, after_re_review_the_matter_is_final)
{
	int64_t			 id = build("re_reviewing", MA__MAX,
	    day(2026, 6, 1));
	struct matter_act	 a;
	struct matter_err	 err;
	char			 before[512], after[512];
	int			 k;

	cr_assert_eq(qint("SELECT final FROM matter WHERE id = ?1", id), 0);
	step_on(id, MA_REPLY, day(2026, 6, 5));
	cr_assert_eq(qint("SELECT final FROM matter WHERE id = ?1", id), 1);
	cr_assert_eq(qint("SELECT count(*) FROM matter_event WHERE"
	    " matter_id = ?1 AND data LIKE '%\"final\":true%'", id), 1);

	/* Neither 复查 nor 复核 again, however soon. */
	snapshot(id, before, sizeof(before));
	for (k = 0; k < 2; k++) {
		a = act_of(k ? MA_RE_REVIEW : MA_REVIEW, day(2026, 6, 6));
		cr_assert_eq(apply_as(id, &a, ROLE_LEADER, day(2026, 6, 6),
		    &err), -1);
		cr_assert_eq(err.status, 422);
		cr_assert_str_eq(err.code, "final");
		cr_assert_not_null(strstr(err.message, "不再受理"));
	}
	cr_assert_str_eq(snapshot(id, after, sizeof(after)), before);

	/* It closes as 复查复核终结 with its three opinions, and is not
	 * reopened. */
	step_on(id, MA_CALLBACK, day(2026, 6, 7));
	attach(id, "handling_opinion", day(2026, 6, 7));
	attach(id, "review_opinion", day(2026, 6, 7));
	attach(id, "re_review_opinion", day(2026, 6, 7));
	a = act_of(MA_CLOSE, day(2026, 6, 8));
	a.closing = "review_exhausted";
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 6, 8), &err), 0,
	    "%s", err.message);
	a = act_of(MA_REOPEN, day(2026, 6, 9));
	cr_assert_eq(apply_as(id, &a, ROLE_LEADER, day(2026, 6, 9), &err), -1);
	cr_assert_eq(err.status, 422);
	cr_assert_str_eq(err.code, "final");
	cr_assert_str_eq(state_of(id), "closed");
}

/* Close-out gated on documents. */

static void
close_refused(int64_t id, const char *closing, const char *missing)
{
	struct matter_act	 a = act_of(MA_CLOSE, day(2026, 6, 2));
	struct matter_err	 err;
	char			 before[512], after[512];
	int64_t			 ev = events(id), au = audits();

	a.closing = closing;
	snapshot(id, before, sizeof(before));
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 6, 2), &err), -1);
	cr_assert_eq(err.status, 422);
	cr_assert_str_eq(err.field, "attachments");
	cr_assert_not_null(strstr(err.message, missing), "'%s' lacks '%s'",
	    err.message, missing);
	cr_assert_not_null(strstr(err.message, "销号前须上传"));
	cr_assert_str_eq(snapshot(id, after, sizeof(after)), before);
	cr_assert_eq(events(id), ev);
	cr_assert_eq(audits(), au);
}

static void
close_allowed(int64_t id, const char *closing)
{
	struct matter_act	 a = act_of(MA_CLOSE, day(2026, 6, 2));
	struct matter_err	 err;

	a.closing = closing;
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 6, 2), &err), 0,
	    "%s: %s", closing, err.message);
	cr_assert_eq(qint("SELECT state = 'closed' AND closed_at IS NOT NULL"
	    " AND due_on IS NULL FROM matter WHERE id = ?1", id), 1);
	cr_assert_eq(qint("SELECT count(*) FROM matter WHERE id = ?1 AND"
	    " closing = (SELECT json_extract(data, '$.closing') FROM"
	    " matter_event WHERE matter_id = ?1 AND action = 'close')", id),
	    1);
}

Test(matter, close_commitment_needs_the_agreement)
{
	int64_t	 id = build("called_back", MA__MAX, day(2026, 6, 1));

	close_refused(id, "commitment", "息访息诉协议");
	attach(id, "photo", day(2026, 6, 1));
	attach(id, "handling_opinion", day(2026, 6, 1));
	close_refused(id, "commitment", "息访息诉协议");
	attach(id, "agreement", day(2026, 6, 1));
	close_allowed(id, "commitment");
}

Test(matter, close_review_exhausted_needs_all_three_opinions)
{
	int64_t	 id = build("called_back", MA__MAX, day(2026, 6, 1));

	close_refused(id, "review_exhausted", "信访事项处理意见书");
	attach(id, "agreement", day(2026, 6, 1));
	close_refused(id, "review_exhausted", "信访事项处理意见书");
	attach(id, "handling_opinion", day(2026, 6, 1));
	close_refused(id, "review_exhausted", "复查意见书");
	attach(id, "re_review_opinion", day(2026, 6, 1));
	close_refused(id, "review_exhausted", "复查意见书");
	attach(id, "review_opinion", day(2026, 6, 1));
	close_allowed(id, "review_exhausted");
}

Test(matter, close_legal_channel_needs_any_one_legal_document)
{
	static const char *const legal[] = { "judicial_document",
	    "arbitration", "ruling", "not_accepted_notice" };
	int64_t		 id;
	size_t		 i;

	for (i = 0; i < NELEM(legal); i++) {
		id = build("called_back", MA__MAX, day(2026, 6, 1));
		close_refused(id, "legal_channel", "司法文书");
		attach(id, "agreement", day(2026, 6, 1));
		close_refused(id, "legal_channel", "司法文书");
		attach(id, legal[i], day(2026, 6, 1));
		close_allowed(id, "legal_channel");
	}
}

Test(matter, close_needs_a_known_closing)
{
	int64_t			 id = build("called_back", MA_CLOSE,
	    day(2026, 6, 1));
	struct matter_act	 a = act_of(MA_CLOSE, day(2026, 6, 2));
	struct matter_err	 err;
	const char		*bad[] = { NULL, "", "not_accepted", "nonsense" };
	size_t			 i;

	for (i = 0; i < NELEM(bad); i++) {
		a.closing = bad[i];
		cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 6, 2),
		    &err), -1);
		cr_assert_eq(err.status, 422);
		cr_assert_str_eq(err.field, "closing");
	}
	cr_assert_str_eq(state_of(id), "called_back");
}

Test(matter, an_unknown_attachment_kind_is_refused)
{
	int64_t			 id = mk(day(2026, 6, 1));
	struct matter_actor	 who = actor(ROLE_STAFF);
	struct matter_err	 err;
	struct matter_file	 bad;
	int64_t			 aid = 0, au = audits();

	bad.kind = "agreement2";
	bad.name = "x.pdf";
	bad.media_type = "application/pdf";
	bad.size = 1;
	bad.sha256 = SHA;
	cr_assert_eq(matter_attach(db, &township, id, &bad, &who,
	    noon(day(2026, 6, 1)), &aid, &err), -1);
	cr_assert_eq(err.status, 422);
	cr_assert_str_eq(err.field, "kind");
	cr_assert_eq(qint("SELECT count(*) FROM attachment", 0), 0);
	cr_assert_eq(audits(), au);
}

/* Reopening and the append-only timeline. */

Test(matter, reopen_keeps_the_whole_history)
{
	int64_t		 id = build("closed", MA__MAX, day(2026, 6, 1));
	char		 before[4096], after[4096];
	int64_t		 n = events(id);

	rtext("SELECT group_concat(id || action || at || note || data, '|')"
	    " FROM (SELECT * FROM matter_event WHERE matter_id = ?1"
	    " ORDER BY id)", id, before, sizeof(before));
	cr_assert_geq(n, 6);
	step_on(id, MA_REOPEN, day(2026, 6, 3));
	cr_assert_eq(events(id), n + 1);
	rtext("SELECT group_concat(id || action || at || note || data, '|')"
	    " FROM (SELECT * FROM matter_event WHERE matter_id = ?1"
	    " AND id <= (SELECT max(id) FROM matter_event WHERE"
	    " matter_id = ?1) - 1 ORDER BY id)", id, after, sizeof(after));
	cr_assert_str_eq(after, before);
	/* Reopened: open again, a fresh 60-day clock, no closing. */
	cr_assert_eq(qint("SELECT state = 'accepted' AND closed_at IS NULL"
	    " AND closing IS NULL AND stage = 'handling' AND clock_from ="
	    " '2026-06-03' FROM matter WHERE id = ?1", id), 1);
	cr_assert_str_eq(due_of(id), "2026-08-03");	/* Sun 8-02 rolls */
	/* The attachments stay, so it can close again at once. */
	step_on(id, MA_REPLY, day(2026, 6, 4));
	step_on(id, MA_CALLBACK, day(2026, 6, 4));
	step_on(id, MA_CLOSE, day(2026, 6, 4));
	cr_assert_eq(events(id), n + 4);
	cr_assert_eq(qint("SELECT count(*) FROM matter_event WHERE"
	    " matter_id = ?1 AND action = 'close'", id), 2);
}

Test(matter, the_timeline_refuses_update_and_delete)
{
	int64_t		 id = build("accepted", MA__MAX, day(2026, 6, 1));
	int64_t		 n = events(id);
	char		*msg = NULL;
	char		 sql[160];

	snprintf(sql, sizeof(sql), "UPDATE matter_event SET note = 'x'"
	    " WHERE matter_id = %lld", (long long)id);
	cr_assert_neq(sqlite3_exec(raw, sql, NULL, NULL, &msg), SQLITE_OK);
	cr_assert_not_null(msg);
	cr_assert_not_null(strstr(msg, "append-only"), "%s", msg);
	sqlite3_free(msg);
	msg = NULL;
	snprintf(sql, sizeof(sql), "DELETE FROM matter_event WHERE"
	    " matter_id = %lld", (long long)id);
	cr_assert_neq(sqlite3_exec(raw, sql, NULL, NULL, &msg), SQLITE_OK);
	cr_assert_not_null(strstr(msg, "append-only"), "%s", msg);
	sqlite3_free(msg);
	cr_assert_neq(sqlite3_exec(raw, "DELETE FROM matter_event", NULL, NULL,
	    NULL), SQLITE_OK);
	cr_assert_eq(events(id), n);
	cr_assert_eq(qint("SELECT count(*) FROM matter_event WHERE"
	    " matter_id = ?1 AND note = 'x'", id), 0);
}

/* Supervision orders. */

Test(matter, supervision_order_sets_a_new_deadline)
{
	int64_t			 id = build("accepted", MA__MAX,
	    day(2026, 6, 1));
	struct matter_act	 a = act_of(MA_SUPERVISE, day(2026, 6, 5));
	struct matter_err	 err;
	json_t			*o, *todo;
	int			 rc;

	/* 班子成员 and village cadres may not issue orders. */
	cr_assert_eq(apply_as(id, &a, ROLE_MEMBER, day(2026, 6, 5), &err), -1);
	cr_assert_eq(err.status, 403);
	cr_assert_eq(apply_as(id, &a, ROLE_VILLAGE, day(2026, 6, 5), &err), -1);
	cr_assert_eq(err.status, 403);
	/* A deadline in the past, or none: refused. */
	a.day = day(2026, 6, 4);
	cr_assert_eq(apply_as(id, &a, ROLE_INSPECTOR, day(2026, 6, 5), &err),
	    -1);
	cr_assert_eq(err.status, 422);
	cr_assert_str_eq(err.field, "due_on");
	a.day = 0;
	cr_assert_eq(apply_as(id, &a, ROLE_INSPECTOR, day(2026, 6, 5), &err),
	    -1);
	cr_assert_str_eq(err.field, "due_on");
	a.day = day(2026, 6, 15);
	a.note = NULL;
	cr_assert_eq(apply_as(id, &a, ROLE_INSPECTOR, day(2026, 6, 5), &err),
	    -1);
	cr_assert_str_eq(err.field, "note");
	cr_assert_eq(orders(), 0);

	/* The inspector (纪检) orders it done by 6-15. */
	a.note = "请于6月15日前办结并报送结果";
	cr_assert_eq(apply_as(id, &a, ROLE_INSPECTOR, day(2026, 6, 5), &err),
	    0, "%s", err.message);
	cr_assert_str_eq(due_of(id), "2026-06-15");
	cr_assert_eq(qint("SELECT count(*) FROM supervision WHERE"
	    " matter_id = ?1 AND due_on = '2026-06-15' AND addressed_to = 2"
	    " AND issuer = '测试人' AND note LIKE '请于6月15日%'", id), 1);
	o = matter_orders(db, id, &rc);
	cr_assert_not_null(o);
	cr_assert_eq(json_array_size(o), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(o,
	    0), "addressed_to")), "化解乙");
	json_decref(o);
	/* It shows in the resolver's to-dos. */
	todo = matter_todos(db, &township, RESOLVER, day(2026, 6, 5), &rc);
	cr_assert_not_null(todo);
	cr_assert_eq(json_array_size(json_object_get(todo, "orders")), 1);
	cr_assert_eq(json_array_size(json_object_get(todo, "matters")), 1);
	json_decref(todo);

	/* The leader may order too, and the staff of the 综治中心. */
	a.day = day(2026, 6, 12);
	cr_assert_eq(apply_as(id, &a, ROLE_LEADER, day(2026, 6, 5), &err), 0);
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 6, 5), &err), 0);
	cr_assert_eq(orders(), 3);
	/* Who counts as the 综治中心: a current post in a supervising unit. */
	cr_assert_eq(org_person_supervises(db, CENTRE_STAFF), 1);
	cr_assert_eq(org_person_supervises(db, OTHER_STAFF), 0);
	cr_assert_eq(org_person_supervises(db, LEAD), 0);
}

Test(matter, no_supervision_of_a_closed_matter)
{
	int64_t			 id = build("closed", MA__MAX, day(2026, 6, 1));
	struct matter_act	 a = act_of(MA_SUPERVISE, day(2026, 6, 5));
	struct matter_err	 err;

	cr_assert_eq(apply_as(id, &a, ROLE_INSPECTOR, day(2026, 6, 5), &err),
	    -1);
	cr_assert_eq(err.status, 409);
	cr_assert_eq(orders(), 0);
}

/* Reminders. */

Test(matter, sweep_reminds_once_and_not_paused_or_closed)
{
	int64_t	 t = day(2026, 7, 6);
	int64_t	 today_id, soon_id, over_id, later_id, paused_id, closed_id;
	int64_t	 au;

	today_id = mk(day(2026, 6, 21));	/* due Mon 7-06 */
	soon_id = mk(day(2026, 6, 24));		/* due Thu 7-09 */
	over_id = mk(day(2026, 6, 18));		/* due Fri 7-03 */
	later_id = mk(day(2026, 7, 1));		/* due Thu 7-16 */
	paused_id = mk(day(2026, 5, 1));
	step_on(paused_id, MA_ACCEPT, day(2026, 5, 8));	/* due Tue 7-07 */
	step_on(paused_id, MA_PAUSE, day(2026, 7, 1));
	closed_id = mk(day(2026, 6, 21));	/* due 7-06, but rejected */
	step_on(closed_id, MA_REJECT, day(2026, 6, 22));
	cr_assert_str_eq(due_of(today_id), "2026-07-06");
	cr_assert_str_eq(due_of(soon_id), "2026-07-09");
	cr_assert_str_eq(due_of(over_id), "2026-07-03");
	cr_assert_str_eq(due_of(later_id), "2026-07-16");
	cr_assert_str_eq(due_of(paused_id), "2026-07-07");

	au = audits();
	cr_assert_eq(matter_sweep(db, t, noon(t)), 3);
	cr_assert_eq(qint("SELECT count(*) FROM reminder", 0), 3);
	cr_assert_eq(audits(), au + 3);
	cr_assert_eq(qint("SELECT count(*) FROM reminder WHERE matter_id = ?1"
	    " AND kind = 'due_today'", today_id), 1);
	cr_assert_eq(qint("SELECT count(*) FROM reminder WHERE matter_id = ?1"
	    " AND kind = 'due_soon'", soon_id), 1);
	cr_assert_eq(qint("SELECT count(*) FROM reminder WHERE matter_id = ?1"
	    " AND kind = 'overdue'", over_id), 1);
	cr_assert_eq(qint("SELECT count(*) FROM matter_event WHERE"
	    " action = 'remind' AND matter_id = ?1 AND note = '已超期'",
	    over_id), 1);

	/* Again the same day: nothing new. */
	cr_assert_eq(matter_sweep(db, t, noon(t) + 60000), 0);
	cr_assert_eq(qint("SELECT count(*) FROM reminder", 0), 3);
	cr_assert_eq(qint("SELECT count(*) FROM matter_event WHERE"
	    " action = 'remind'", 0), 3);
	cr_assert_eq(audits(), au + 3);

	/* Next day: only the one due yesterday becomes overdue. */
	cr_assert_eq(matter_sweep(db, t + 1, noon(t + 1)), 1);
	cr_assert_eq(qint("SELECT count(*) FROM reminder WHERE matter_id = ?1"
	    " AND kind = 'overdue'", today_id), 1);
	cr_assert_eq(qint("SELECT count(*) FROM reminder WHERE matter_id = ?1",
	    paused_id), 0);
	cr_assert_eq(qint("SELECT count(*) FROM reminder WHERE matter_id = ?1",
	    later_id), 0);
	cr_assert_eq(qint("SELECT count(*) FROM reminder WHERE matter_id = ?1",
	    closed_id), 0);

	/* Resumed, the paused one is reminded on its new deadline. */
	step_on(paused_id, MA_RESUME, day(2026, 7, 7));
	cr_assert_str_eq(due_of(paused_id), "2026-07-13");
	cr_assert_eq(matter_sweep(db, day(2026, 7, 10), noon(day(2026, 7,
	    10))), 2);	/* paused one due soon; soon_id now overdue */
	cr_assert_eq(qint("SELECT count(*) FROM reminder WHERE matter_id = ?1"
	    " AND kind = 'due_soon' AND due_on = '2026-07-13'", paused_id), 1);
}

Test(matter, a_new_deadline_is_reminded_afresh)
{
	int64_t			 id = mk(day(2026, 6, 21));	/* due 7-06 */
	struct matter_act	 a = act_of(MA_SUPERVISE, day(2026, 7, 6));

	struct matter_err	 err;

	cr_assert_eq(matter_sweep(db, day(2026, 7, 6), noon(day(2026, 7,
	    6))), 1);
	a.day = day(2026, 7, 8);
	cr_assert_eq(apply_as(id, &a, ROLE_INSPECTOR, day(2026, 7, 6), &err),
	    0);
	cr_assert_eq(matter_sweep(db, day(2026, 7, 6), noon(day(2026, 7,
	    6))), 1);
	cr_assert_eq(qint("SELECT count(*) FROM reminder WHERE matter_id = ?1"
	    " AND kind = 'due_soon' AND due_on = '2026-07-08'", id), 1);
}

/* Audit: one row per change, in its transaction. */

Test(matter, each_change_writes_one_audit_row)
{
	int64_t			 au = audits(), id;
	struct matter_act	 a;
	struct matter_err	 err;
	char			 action[40];

	id = mk(day(2026, 6, 1));
	cr_assert_eq(audits(), au + 1);
	rtext("SELECT action FROM audit ORDER BY id DESC LIMIT 1", 0, action,
	    sizeof(action));
	cr_assert_str_eq(action, "matter.create");
	step_on(id, MA_ACCEPT, day(2026, 6, 2));
	cr_assert_eq(audits(), au + 2);
	rtext("SELECT action || ' ' || object_id || ' ' || detail FROM audit"
	    " ORDER BY id DESC LIMIT 1", 0, action, sizeof(action));
	cr_assert_eq(strncmp(action, "matter.accept ", 14), 0, "%s", action);
	attach(id, "photo", day(2026, 6, 2));
	cr_assert_eq(audits(), au + 3);
	cr_assert_eq(qint("SELECT count(*) FROM audit WHERE action ="
	    " 'matter.attach' AND detail NOT LIKE '%scan.pdf%'", 0), 1,
	    "no file names in the audit");

	/* Refused for every reason: no row. */
	a = act_of(MA_ACCEPT, day(2026, 6, 3));
	cr_assert_eq(apply_as(id, &a, ROLE_LEADER, day(2026, 6, 3), &err), -1);
	a = act_of(MA_EXTEND, day(2026, 6, 3));
	cr_assert_eq(apply_as(id, &a, ROLE_STAFF, day(2026, 6, 3), &err), -1);
	a.days = 99;
	cr_assert_eq(apply_as(id, &a, ROLE_LEADER, day(2026, 6, 3), &err), -1);
	a = act_of(MA_NOTE, day(2026, 6, 3));
	cr_assert_eq(apply_as(id + 1000, &a, ROLE_LEADER, day(2026, 6, 3),
	    &err), -1);
	cr_assert_eq(err.status, 404);
	cr_assert_eq(audits(), au + 3);

	/* The chain still verifies. */
	{
		int64_t	 count = 0, bad = 0;
		char	 why[128];

		cr_assert_eq(audit_verify(db, &count, &bad, why, sizeof(why)),
		    0, "%s", why);
		cr_assert_eq(count, au + 3);
	}
}

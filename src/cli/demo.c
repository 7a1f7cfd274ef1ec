/* demo.c: "xiangzhi demo": fill a new database with the demo township. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/account.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "auth/role.h"
#include "base/arena.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "cli/demo_community.h"
#include "cli/demo_enterprise.h"
#include "cli/demo_ledger.h"
#include "cli/demo_window.h"
#include "cli/demo_names.h"
#include "db/db.h"
#include "org/org.h"
#include "org/validate.h"
#include "petition/roster_db.h"
#include "petition/weekly_db.h"
#include "visit/visit_db.h"

static const char usage_text[] =
    "usage: xiangzhi demo [--db PATH] [--key PATH]\n";

/*
 * The demo is made in memory first, from a fixed seed, and only then
 * written.  A second run makes the same plan again to find the demo
 * accounts by their logins, without writing any of the data.
 */
#define DEMO_SEED	0x5d1a6e9c2b7f4031ULL
#define MAX_PEOPLE	1200
#define MAX_POSTS	128
#define MAX_HOUSES	600
#define PW_LEN		16
#define PW_TRIES	5
#define DEMO_NOTE	"演示数据（虚构）"

struct dperson {
	const char	*kind;		/* "cadre" or "citizen" */
	const char	*sex;		/* "M" or "F" */
	char		 name[32];
	char		 py[48];	/* pinyin of the name, for logins */
	int		 birth_year;
	int		 village;	/* index, or -1 */
	int		 group;		/* index in the village, or -1 */
	char		 address[96];
	char		 phone[12];	/* "" when none */
	char		 idno[19];	/* "" when none */
	bool		 cleaner;
	int64_t		 id;
};

struct dpost {
	int		 person;
	int		 unit;		/* index, or -1 */
	int		 village;	/* index, or -1 */
	char		 title[40];
	char		 started[11];
};

struct dhouse {
	int		 village;
	int		 group;
	int		 members;
	int		 head;
	int		 spouse;	/* -1 when not in the demo */
	char		 address[96];
};

/* The demo accounts, in the order they are printed. */
enum demo_acct {
	A_LEADER,
	A_MEMBER,
	A_STAFF,
	A_VILLAGE,
	A_VILLAGE2,
	A_CLEANER,
	A_INSPECTOR,
	A_SYSADMIN,
	A_SECADMIN,
	A_AUDITOR,
	A__MAX
};

struct dacct {
	unsigned	 role;
	int		 person;
	int		 village;	/* index, or -1 */
	char		 login[33];
	int64_t		 id;		/* 0 when missing */
	char		 pw[PW_LEN + 1];
};

struct demo {
	uint64_t	 rng;
	struct dperson	 people[MAX_PEOPLE];
	size_t		 npeople;
	size_t		 ncadres;
	struct dpost	 posts[MAX_POSTS];
	size_t		 nposts;
	struct dhouse	 houses[MAX_HOUSES];
	size_t		 nhouses;
	size_t		 village_first[DEMO_VILLAGES];	/* first house */
	size_t		 village_end[DEMO_VILLAGES];
	struct dacct	 accts[A__MAX];
	int64_t		 unit_ids[DEMO_U__MAX];
	int64_t		 village_ids[DEMO_VILLAGES];
	int64_t		 group_ids[DEMO_VILLAGES][DEMO_GROUPS_MAX];
	int		 win[DEMO_WINDOW_PEOPLE];	/* window staff */
};

/* xorshift64*: small, fast and the same everywhere. */
static uint64_t
rng_next(struct demo *d)
{
	uint64_t	 x = d->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	d->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* A number in [0, n). */
static int
rng_below(struct demo *d, int n)
{
	return (int)((rng_next(d) >> 33) % (uint64_t)n);
}

/* A number in [lo, hi]. */
static int
rng_range(struct demo *d, int lo, int hi)
{
	return lo + rng_below(d, hi - lo + 1);
}

static const struct demo_char *
pick(struct demo *d, const struct demo_char *t, size_t n)
{
	unsigned	 total = 0, r;
	size_t		 i;

	for (i = 0; i < n; i++)
		total += t[i].weight;
	r = (unsigned)rng_below(d, (int)total);
	for (i = 0; i + 1 < n && r >= t[i].weight; i++)
		r -= t[i].weight;
	return &t[i];
}

/* Write "v" as exactly "width" decimal digits, without a terminator. */
static void
put_digits(char *out, uint64_t v, int width)
{
	int	 i;

	for (i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

static bool
name_taken(const struct demo *d, const char *name)
{
	size_t	 i;

	for (i = 0; i < d->npeople; i++)
		if (strcmp(d->people[i].name, name) == 0)
			return true;
	return false;
}

static bool
phone_taken(const struct demo *d, const char *phone)
{
	size_t	 i;

	for (i = 0; i < d->npeople; i++)
		if (strcmp(d->people[i].phone, phone) == 0)
			return true;
	return false;
}

/*
 * An invented mobile number: "100" and eight digits.  No operator uses
 * the 100 prefix, so a demo number never reaches a real phone.
 */
static void
make_phone(struct demo *d, char out[12])
{
	do {
		memcpy(out, "100", 3);
		put_digits(out + 3, rng_next(d) % 100000000, 8);
		out[11] = '\0';
	} while (phone_taken(d, out));
}

/*
 * A well-formed, invented resident ID number (GB 11643-1999): the region
 * code of 正宁县, the birth date, a sequence whose last digit is odd for
 * men and even for women, and the ISO 7064 MOD 11-2 check character.
 */
static void
make_idno(struct demo *d, struct dperson *p)
{
	static const int	 w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9,
	    10, 5, 8, 4, 2 };
	static const char	 check[] = "10X98765432";
	int			 i, sum = 0, seq;

	seq = rng_below(d, 100) * 10 + rng_below(d, 5) * 2 +
	    (strcmp(p->sex, "M") == 0);
	memcpy(p->idno, "621025", 6);
	put_digits(p->idno + 6, (uint64_t)p->birth_year, 4);
	put_digits(p->idno + 10, (uint64_t)rng_range(d, 1, 12), 2);
	put_digits(p->idno + 12, (uint64_t)rng_range(d, 1, 28), 2);
	put_digits(p->idno + 14, (uint64_t)seq, 3);
	for (i = 0; i < 17; i++)
		sum += (p->idno[i] - '0') * w[i];
	p->idno[17] = check[sum % 11];
	p->idno[18] = '\0';
}

/*
 * Add an invented person: "male" is the chance in percent of a man,
 * "phone" the chance of a mobile number.  Returns the person's index.
 */
static int
new_person(struct demo *d, const char *kind, int male, int ymin, int ymax,
    int phone, int village, int group)
{
	const struct demo_char	*sur, *g1, *g2, *given;
	struct dperson		*p;
	size_t			 ngiven;

	if (d->npeople == MAX_PEOPLE)
		BUG("demo: too many people");
	p = &d->people[d->npeople];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->sex = rng_below(d, 100) < male ? "M" : "F";
	given = p->sex[0] == 'M' ? demo_male : demo_female;
	ngiven = p->sex[0] == 'M' ? sizeof(demo_male) / sizeof(demo_male[0]) :
	    sizeof(demo_female) / sizeof(demo_female[0]);
	do {
		sur = pick(d, demo_surnames, sizeof(demo_surnames) /
		    sizeof(demo_surnames[0]));
		g1 = pick(d, given, ngiven);
		g2 = NULL;
		if (rng_below(d, 100) < 75)
			do {
				g2 = pick(d, given, ngiven);
			} while (g2 == g1);
		snprintf(p->name, sizeof(p->name), "%s%s%s", sur->han, g1->han,
		    g2 ? g2->han : "");
	} while (name_taken(d, p->name));
	snprintf(p->py, sizeof(p->py), "%s%s%s", sur->py, g1->py,
	    g2 ? g2->py : "");
	if (ymin < 1945)
		ymin = 1945;
	if (ymax > 2000)
		ymax = 2000;
	p->birth_year = rng_range(d, ymin, ymax);
	p->village = village;
	p->group = group;
	if (village >= 0)
		snprintf(p->address, sizeof(p->address), "%s%s",
		    demo_villages[village].name,
		    demo_group_names[group >= 0 ? group : 0]);
	if (rng_below(d, 100) < phone)
		make_phone(d, p->phone);
	if (strcmp(kind, "cadre") == 0)
		d->ncadres++;
	return (int)d->npeople++;
}

static void
add_post(struct demo *d, int person, int unit, int village,
    const char *title, const char *suffix)
{
	struct dpost	*po;

	if (d->nposts == MAX_POSTS)
		BUG("demo: too many posts");
	po = &d->posts[d->nposts++];
	po->person = person;
	po->unit = unit;
	po->village = village;
	snprintf(po->title, sizeof(po->title), "%s%s", title,
	    suffix ? suffix : "");
	put_digits(po->started, (uint64_t)rng_range(d, 2015, 2023), 4);
	po->started[4] = '-';
	put_digits(po->started + 5, (uint64_t)rng_range(d, 1, 12), 2);
	po->started[7] = '-';
	put_digits(po->started + 8, (uint64_t)rng_range(d, 1, 28), 2);
	po->started[10] = '\0';
}

/* A household of "number" in a group: a head, and a spouse for some. */
static void
add_house(struct demo *d, int v, int g, int number)
{
	static const int	 sizes[] = { 1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 4,
	    5, 5, 5, 5, 6, 6 };
	struct dhouse		*h;
	struct dperson		*head;
	int			 by;

	if (d->nhouses == MAX_HOUSES)
		BUG("demo: too many households");
	h = &d->houses[d->nhouses++];
	h->village = v;
	h->group = g;
	h->members = sizes[rng_below(d, (int)(sizeof(sizes) /
	    sizeof(sizes[0])))];
	snprintf(h->address, sizeof(h->address), "%s%s%d号",
	    demo_villages[v].name, demo_group_names[g], number);
	h->head = new_person(d, "citizen", 85, 1945, 1990, 95, v, g);
	head = &d->people[h->head];
	str_copy(head->address, h->address, sizeof(head->address));
	if (rng_below(d, 100) < 50)
		make_idno(d, head);
	h->spouse = -1;
	if (h->members >= 2 && rng_below(d, 100) < 60) {
		by = head->birth_year;
		h->spouse = head->sex[0] == 'M' ?
		    new_person(d, "citizen", 0, by - 2, by + 6, 70, v, g) :
		    new_person(d, "citizen", 100, by - 6, by + 2, 70, v, g);
		str_copy(d->people[h->spouse].address, h->address,
		    sizeof(d->people[h->spouse].address));
		if (rng_below(d, 100) < 30)
			make_idno(d, &d->people[h->spouse]);
	}
}

/* Two cleaners (保洁员) per village, from heads of households. */
static int
add_cleaners(struct demo *d, int v)
{
	struct dperson	*p;
	size_t		 n;
	int		 k, first = -1, h;

	n = d->village_end[v] - d->village_first[v];
	for (k = 0; k < 2; k++) {
		do {
			h = (int)d->village_first[v] + rng_below(d, (int)n);
			p = &d->people[d->houses[h].head];
		} while (p->cleaner || p->birth_year < 1962);
		p->cleaner = true;
		add_post(d, d->houses[h].head, -1, v, "保洁员", NULL);
		if (first < 0)
			first = d->houses[h].head;
	}
	return first;
}

static void
set_acct(struct demo *d, enum demo_acct k, unsigned role, int person,
    int village)
{
	struct dacct	*a = &d->accts[k];
	size_t		 i, len;
	bool		 taken;
	int		 n = 1;

	a->role = role;
	a->person = person;
	a->village = village;
	str_copy(a->login, d->people[person].py, sizeof(a->login));
	do {
		taken = false;
		for (i = 0; i < (size_t)k; i++)
			if (strcmp(d->accts[i].login, a->login) == 0)
				taken = true;
		if (taken) {
			/* At most ten accounts: one digit tells them apart. */
			len = str_copy(a->login, d->people[person].py,
			    sizeof(a->login) - 1);
			if (len > sizeof(a->login) - 2)
				len = sizeof(a->login) - 2;
			a->login[len] = (char)('0' + ++n % 10);
			a->login[len + 1] = '\0';
		}
	} while (taken);
}

/* Make the whole demo in memory; the same every time. */
static void
plan(struct demo *d)
{
	int	 leaders[DEMO_L__MAX], heads[DEMO_U__MAX], office[3];
	int	 sec0 = -1, dir1 = -1, cleaner0 = -1, sec, dir, clerk;
	int	 i, u, k, v, g, p, n;

	memset(d, 0, sizeof(*d));
	d->rng = DEMO_SEED;
	for (i = 0; i < DEMO_L__MAX; i++) {
		leaders[i] = new_person(d, "cadre", i < 2 ? 90 : 75, 1966,
		    1988, 100, -1, -1);
		add_post(d, leaders[i], demo_leaders[i].unit, -1,
		    demo_leaders[i].title, NULL);
	}
	for (u = 0; u < DEMO_U__MAX; u++) {
		heads[u] = new_person(d, "cadre", 70, 1970, 1992, 100, -1, -1);
		add_post(d, heads[u], u, -1, demo_units[u].head, NULL);
		if (u == DEMO_U_SERVICE)
			d->win[0] = heads[u];
		if (u == DEMO_U_CIVIL)
			d->win[3] = heads[u];
		for (k = 0; k < demo_units[u].staff; k++) {
			p = new_person(d, "cadre", 55, 1982, 2000, 100, -1, -1);
			add_post(d, p, u, -1, "干事", NULL);
			if (u == DEMO_U_OFFICE && k < 3)
				office[k] = p;
			/* The service centre's two clerks and the civil
			 * affairs clerk staff the demo windows. */
			if (u == DEMO_U_SERVICE && k < 2)
				d->win[1 + k] = p;
			if (u == DEMO_U_CIVIL && k == 0)
				d->win[4] = p;
		}
	}
	for (v = 0; v < DEMO_VILLAGES; v++) {
		n = demo_villages[v].groups;
		sec = new_person(d, "cadre", 90, 1962, 1988, 100, v,
		    rng_below(d, n));
		dir = new_person(d, "cadre", 85, 1965, 1990, 100, v, 1);
		clerk = new_person(d, "cadre", 60, 1975, 1998, 100, v, 0);
		add_post(d, sec, -1, v, "村党支部书记", NULL);
		add_post(d, dir, -1, v, "村委会主任", NULL);
		add_post(d, clerk, -1, v, "村文书", NULL);
		for (g = 0; g < n; g++) {
			/* The clerk and the director also lead a group. */
			if (g == 0)
				p = clerk;
			else if (g == 1)
				p = dir;
			else
				p = new_person(d, "cadre", 85, 1958, 1990, 100,
				    v, g);
			add_post(d, p, -1, v, demo_group_names[g], "组长");
		}
		if (v == 0) {
			sec0 = sec;
			d->win[5] = sec;
			d->win[6] = dir;
		}
		if (v == 1)
			dir1 = dir;
	}
	for (v = 0; v < DEMO_VILLAGES; v++) {
		d->village_first[v] = d->nhouses;
		for (g = 0; g < demo_villages[v].groups; g++) {
			n = rng_range(d, 13, 18);
			for (k = 1; k <= n; k++)
				add_house(d, v, g, k);
		}
		d->village_end[v] = d->nhouses;
	}
	for (v = 0; v < DEMO_VILLAGES; v++) {
		p = add_cleaners(d, v);
		if (v == 0)
			cleaner0 = p;
	}
	set_acct(d, A_LEADER, ROLE_LEADER, leaders[DEMO_L_SECRETARY], -1);
	set_acct(d, A_MEMBER, ROLE_MEMBER, leaders[DEMO_L_VICE_MAYOR], -1);
	set_acct(d, A_STAFF, ROLE_STAFF, heads[DEMO_U_JUSTICE], -1);
	set_acct(d, A_VILLAGE, ROLE_VILLAGE, sec0, 0);
	set_acct(d, A_VILLAGE2, ROLE_VILLAGE, dir1, 1);
	set_acct(d, A_CLEANER, ROLE_CLEANER, cleaner0, 0);
	set_acct(d, A_INSPECTOR, ROLE_INSPECTOR, leaders[DEMO_L_DISCIPLINE],
	    -1);
	set_acct(d, A_SYSADMIN, ROLE_SYSADMIN, office[0], -1);
	set_acct(d, A_SECADMIN, ROLE_SECADMIN, office[1], -1);
	set_acct(d, A_AUDITOR, ROLE_AUDITOR, office[2], -1);
}

/* Audit one created record; "detail" (may be NULL) is consumed. */
static int
audit_new(struct db *db, const struct audit_actor *who, const char *action,
    const char *type, int64_t id, json_t *detail)
{
	int	 rc;

	if (detail == NULL)
		detail = json_pack("{ss}", "source", "demo");
	else
		json_object_set_new(detail, "source", json_string("demo"));
	rc = audit_write(db, who, action, type, id, true, detail);
	json_decref(detail);
	return rc;
}

static int
write_person(struct db *db, const struct scope *sc, struct demo *d,
    struct dperson *p, const struct audit_actor *who, struct arena *a)
{
	struct person_in	 in;
	int			 rc;

	memset(&in, 0, sizeof(in));
	in.kind = p->kind;
	in.name = p->name;
	in.sex = p->sex;
	in.birth_year = p->birth_year;
	in.village_id = p->village >= 0 ? d->village_ids[p->village] : 0;
	in.group_id = p->village >= 0 && p->group >= 0 ?
	    d->group_ids[p->village][p->group] : 0;
	in.address = p->address;
	in.phone = p->phone[0] != '\0' ? p->phone : NULL;
	in.idno = p->idno[0] != '\0' ? p->idno : NULL;
	in.note = DEMO_NOTE;
	p->id = 0;
	if ((rc = org_person_save(db, sc, &p->id, &in, a)) != DB_OK)
		return rc;
	return audit_new(db, who, "person.create", "person", p->id, NULL);
}

static int
write_houses(struct db *db, const struct scope *sc, struct demo *d,
    const struct audit_actor *who)
{
	struct dhouse	*h;
	json_t		*people;
	int64_t		 id;
	size_t		 i;
	int		 rc;

	for (i = 0; i < d->nhouses; i++) {
		h = &d->houses[i];
		rc = org_household_create(db, sc, d->village_ids[h->village],
		    d->group_ids[h->village][h->group], h->address, h->members,
		    &id);
		if (rc == DB_OK)
			rc = org_household_set_head(db, id,
			    d->people[h->head].id);
		if (rc == DB_OK)
			rc = org_person_set_household(db,
			    d->people[h->head].id, id);
		if (rc == DB_OK && h->spouse >= 0)
			rc = org_person_set_household(db,
			    d->people[h->spouse].id, id);
		if (rc != DB_OK)
			return rc;
		people = json_array();
		json_array_append_new(people,
		    json_integer(d->people[h->head].id));
		if (h->spouse >= 0)
			json_array_append_new(people,
			    json_integer(d->people[h->spouse].id));
		rc = audit_new(db, who, "household.create", "household", id,
		    json_pack("{sI sI so}", "head_id",
		    (json_int_t)d->people[h->head].id, "members",
		    (json_int_t)h->members, "people", people));
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

static int
write_accounts(struct db *db, struct demo *d, int64_t township,
    const struct audit_actor *who)
{
	struct account_in	 in;
	struct dacct		*a;
	size_t			 i;
	int			 rc;

	for (i = 0; i < A__MAX; i++) {
		a = &d->accts[i];
		memset(&in, 0, sizeof(in));
		in.township_id = township;
		in.person_id = d->people[a->person].id;
		in.login = a->login;
		in.village_id = a->village >= 0 ? d->village_ids[a->village] :
		    0;
		in.roles = a->role;
		rc = account_create(db, &in, time_now_ms(), &a->id);
		if (rc == DB_OK)
			rc = audit_new(db, who, "account.create", "account",
			    a->id, json_pack("{ss sI}", "login", a->login,
			    "roles", (json_int_t)a->role));
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

/*
 * Write the planned township in one transaction, so a database holds
 * either the whole demo or none of it.
 */
static int
write_plan(struct db *db, struct demo *d, struct audit_actor *who)
{
	struct scope		 sc = { 0, 0 };
	struct unit_in		 ui;
	struct dpost		*po;
	struct arena		 a;
	char			 phone[16];
	int64_t			 tid = 0, id;
	size_t			 i;
	int			 rc, v, g;

	arena_init(&a);
	if ((rc = db_begin(db)) != DB_OK) {
		arena_release(&a);
		return rc;
	}
	rc = org_township_create(db, DEMO_TOWNSHIP, DEMO_COUNTY, &tid);
	if (rc != DB_OK)
		goto out;
	sc.township_id = tid;
	who->township_id = tid;
	if ((rc = audit_new(db, who, "township.create", "township", tid,
	    json_pack("{ss ss}", "name", DEMO_TOWNSHIP, "county",
	    DEMO_COUNTY))) != DB_OK)
		goto out;
	for (i = 0; i < DEMO_U__MAX; i++) {
		memset(&ui, 0, sizeof(ui));
		ui.name = demo_units[i].name;
		ui.kind = demo_units[i].kind;
		memcpy(phone, "0934-10001", 10);
		put_digits(phone + 10, (uint64_t)(i + 1) * 3, 2);
		phone[12] = '\0';
		ui.phone = phone;
		ui.duties = demo_units[i].duties;
		ui.sort = (int64_t)(i + 1) * 10;
		ui.active = true;
		ui.supervises = i == DEMO_U_ORDER;
		d->unit_ids[i] = 0;
		if ((rc = org_unit_save(db, &sc, &d->unit_ids[i], &ui)) !=
		    DB_OK)
			goto out;
		if ((rc = audit_new(db, who, "unit.create", "unit",
		    d->unit_ids[i], NULL)) != DB_OK)
			goto out;
	}
	for (v = 0; v < DEMO_VILLAGES; v++) {
		d->village_ids[v] = 0;
		if ((rc = org_village_save(db, &sc, &d->village_ids[v],
		    demo_villages[v].name, (v + 1) * 10)) != DB_OK)
			goto out;
		if ((rc = audit_new(db, who, "village.create", "village",
		    d->village_ids[v], NULL)) != DB_OK)
			goto out;
		for (g = 0; g < demo_villages[v].groups; g++) {
			d->group_ids[v][g] = 0;
			if ((rc = org_group_save(db, &sc, d->village_ids[v],
			    &d->group_ids[v][g], demo_group_names[g],
			    g + 1)) != DB_OK)
				goto out;
			if ((rc = audit_new(db, who, "group.create",
			    "village_group", d->group_ids[v][g], NULL)) !=
			    DB_OK)
				goto out;
		}
	}
	for (i = 0; i < d->npeople; i++)
		if ((rc = write_person(db, &sc, d, &d->people[i], who, &a)) !=
		    DB_OK)
			goto out;
	for (i = 0; i < d->nposts; i++) {
		po = &d->posts[i];
		if ((rc = org_post_add(db, &sc, d->people[po->person].id,
		    po->unit >= 0 ? d->unit_ids[po->unit] : 0,
		    po->village >= 0 ? d->village_ids[po->village] : 0,
		    po->title, po->started, &id)) != DB_OK)
			goto out;
		if ((rc = audit_new(db, who, "post.create", "post", id,
		    NULL)) != DB_OK)
			goto out;
	}
	if ((rc = write_houses(db, &sc, d, who)) != DB_OK)
		goto out;
	rc = write_accounts(db, d, tid, who);
	if (rc == DB_OK)
		rc = roster_demo(db, tid, who);	/* 接访活动安排表 */
	if (rc == DB_OK)
		rc = visit_demo(db, &sc, who);	/* this week's visits */
	if (rc == DB_OK)
		rc = community_demo(db, &sc, who, time_now_ms());	/* 三进 */
out:
	rc = db_end(db, rc);
	arena_release(&a);
	return rc;
}

/* The petitions: residents spread over the villages, the demo cadres. */
static int
write_ledger(struct db *db, struct demo *d, int64_t tid, const char *files,
    const struct audit_actor *who)
{
	struct demo_ledger	 l;
	const struct dperson	*p;
	const struct dhouse	*h;
	size_t			 i, v, first, n;

	memset(&l, 0, sizeof(l));
	l.township_id = tid;
	p = &d->people[d->accts[A_LEADER].person];
	l.leader = p->id, l.leader_name = p->name;
	p = &d->people[d->accts[A_MEMBER].person];
	l.member = p->id, l.member_name = p->name;
	p = &d->people[d->accts[A_STAFF].person];
	l.staff = p->id, l.staff_name = p->name;
	p = &d->people[d->accts[A_INSPECTOR].person];
	l.inspector = p->id, l.inspector_name = p->name;
	l.unit_order = d->unit_ids[DEMO_U_ORDER];
	l.unit_justice = d->unit_ids[DEMO_U_JUSTICE];
	l.unit_civil = d->unit_ids[DEMO_U_CIVIL];
	for (v = 0; v < DEMO_VILLAGES && v < 5; v++)
		l.villages[v] = d->village_ids[v];
	for (i = 0; i < DEMO_LEDGER_RESIDENTS; i++) {
		v = i % DEMO_VILLAGES;
		first = d->village_first[v];
		n = d->village_end[v] - first;
		h = &d->houses[first + (i / DEMO_VILLAGES * 7 + 3) % n];
		l.residents[i] = d->people[h->head].id;
		l.resident_village[i] = d->village_ids[h->village];
	}
	l.files_dir = files;
	if (demo_ledger_write(db, &l, who) != 0)
		return -1;
	return demo_enterprise_write(db, &l, who);
}

/* The windows of the service centre and of the first village's station. */
static int
write_windows(struct db *db, struct demo *d, int64_t tid,
    const struct audit_actor *who)
{
	struct demo_windows	 w;
	size_t			 i;

	memset(&w, 0, sizeof(w));
	w.township_id = tid;
	w.leader = d->people[d->accts[A_LEADER].person].id;
	w.village = d->village_ids[0];
	for (i = 0; i < DEMO_WINDOW_PEOPLE; i++)
		w.people[i] = d->people[d->win[i]].id;
	return demo_windows_write(db, &w, who);
}

/* Find the demo accounts of an earlier run by their logins. */
static int
find_accounts(struct db *db, struct demo *d)
{
	struct dacct	*a;
	size_t		 i;
	int		 found = 0;

	for (i = 0; i < A__MAX; i++) {
		a = &d->accts[i];
		a->id = account_by_login(db, a->login);
		if (a->id < 0)
			return -1;
		if (a->id == 0)
			fprintf(stderr, "xiangzhi: the demo account '%s' (%s)"
			    " is missing\n", a->login, role_name(a->role));
		else
			found++;
	}
	return found;
}

/* Give every demo account that exists a new random password. */
static int
set_passwords(struct db *db, struct demo *d, const struct audit_actor *who)
{
	struct dacct	*a;
	char		 msg[256];
	size_t		 i;
	int		 rc, tries;

	for (i = 0; i < A__MAX; i++) {
		a = &d->accts[i];
		if (a->id <= 0)
			continue;
		rc = AUTH_POLICY;
		/* A rare clash of pattern family: draw again. */
		for (tries = 0; tries < PW_TRIES && rc == AUTH_POLICY;
		    tries++) {
			password_random(a->pw, PW_LEN);
			rc = auth_set_password(db, a->id, a->pw, true, who,
			    time_now_ms(), msg, sizeof(msg));
		}
		if (rc != AUTH_OK) {
			fprintf(stderr, "xiangzhi: cannot set the password of"
			    " '%s'\n", a->login);
			return -1;
		}
	}
	return 0;
}

/* What the database holds now, for the first line. */
static int
counts(struct db *db, int64_t tid, size_t *villages, int64_t *houses,
    int64_t *cadres)
{
	struct scope		 sc = { tid, 0 };
	json_t			*vs, *v;
	size_t			 i;
	int			 rc;

	*houses = 0;
	if ((vs = org_villages(db, &sc, &rc)) == NULL)
		return -1;
	*villages = json_array_size(vs);
	json_array_foreach(vs, i, v)
		*houses += json_integer_value(json_object_get(v, "households"));
	json_decref(vs);
	if ((*cadres = org_count_people(db, &sc, "cadre")) < 0)
		return -1;
	return 0;
}

static int
print_logins(struct db *db, struct demo *d, int64_t tid)
{
	struct arena		 a;
	const struct dacct	*ac;
	const char		*name;
	size_t			 i, w = 0, nv = 0;
	int64_t			 houses = 0, cadres = 0;

	if (counts(db, tid, &nv, &houses, &cadres) != 0) {
		fprintf(stderr, "xiangzhi: cannot read the township\n");
		return -1;
	}
	arena_init(&a);
	name = org_township_name(db, tid, &a);
	if (name == NULL)
		name = "?";
	printf("演示乡镇：%s%s  %zu个村  %" PRId64 "户  %" PRId64 "名干部\n",
	    name, str_eq(name, DEMO_TOWNSHIP) ? "（" DEMO_COUNTY "）" : "", nv,
	    houses, cadres);
	arena_release(&a);
	printf("演示账号（每次运行都会生成新密码）：\n");
	for (i = 0; i < A__MAX; i++)
		if (strlen(d->accts[i].login) > w)
			w = strlen(d->accts[i].login);
	for (i = 0; i < A__MAX; i++) {
		ac = &d->accts[i];
		if (ac->id <= 0)
			continue;
		printf("  %-9s  %-*s  %s  %s  %s%s%s\n", role_name(ac->role),
		    (int)w, ac->login, ac->pw, role_label(ac->role),
		    d->people[ac->person].name,
		    ac->role == ROLE_VILLAGE ? " · " : "",
		    ac->role == ROLE_VILLAGE ?
		    demo_villages[ac->village].name : "");
	}
	printf("打开 http://127.0.0.1:8080 登录。\n");
	return fflush(stdout) == 0 ? 0 : -1;
}

int
cmd_demo(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char		*db_flag = NULL, *key_flag = NULL, *path;
	struct audit_actor	 who = cli_actor();
	struct demo		*d;
	struct db		*db;
	int64_t			 tid;
	const char		*files;
	int			 c, n, ret = EXIT_USER;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_flag = optarg;
			break;
		case 'k':
			key_flag = optarg;
			break;
		case 'h':
			printf("%s", usage_text);
			return EXIT_OK;
		default:
			fprintf(stderr, "%s", usage_text);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s", usage_text);
		return EXIT_USAGE;
	}
	path = cli_option(db_flag, "XIANGZHI_DB", "xiangzhi.db");
	if ((db = cli_open(path, cli_key_path(path, key_flag), false)) == NULL)
		return EXIT_USER;
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		fprintf(stderr, "xiangzhi: out of memory\n");
		db_close(db);
		return EXIT_USER;
	}
	plan(d);
	tid = org_default_township(db);
	if (tid == 0) {
		if (write_plan(db, d, &who) != DB_OK) {
			fprintf(stderr, "xiangzhi: cannot write the demo"
			    " township to '%s'\n", path);
			goto out;
		}
		tid = org_default_township(db);
		if ((files = cli_files_path(path, NULL)) == NULL ||
		    write_ledger(db, d, tid, files, &who) != 0) {
			fprintf(stderr, "xiangzhi: cannot write the demo"
			    " petitions to '%s'\n", path);
			goto out;
		}
		if (write_windows(db, d, tid, &who) != 0) {
			fprintf(stderr, "xiangzhi: cannot write the demo"
			    " windows to '%s'\n", path);
			goto out;
		}
		/* Last week's submissions, over the petitions just written. */
		if (db_begin(db) != DB_OK || db_end(db, weekly_demo(db, tid,
		    &who, time_now_ms())) != DB_OK) {
			fprintf(stderr, "xiangzhi: cannot write the demo"
			    " weekly submissions to '%s'\n", path);
			goto out;
		}
	} else {
		who.township_id = tid;
		n = find_accounts(db, d);
		if (n < 0) {
			fprintf(stderr, "xiangzhi: cannot read the accounts"
			    " of '%s'\n", path);
			goto out;
		}
		if (n == 0) {
			fprintf(stderr, "xiangzhi: '%s' already holds a"
			    " township without the demo accounts\n", path);
			goto out;
		}
	}
	if (set_passwords(db, d, &who) != 0)
		goto out;
	if (print_logins(db, d, tid) != 0)
		goto out;
	ret = EXIT_OK;
out:
	sodium_memzero(d->accts, sizeof(d->accts));
	free(d);
	db_close(db);
	return ret;
}

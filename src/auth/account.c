/* account.c: account rows for the admins: create, list, roles, status. */
#include <string.h>

#include "auth/account.h"
#include "audit/audit.h"
#include "auth/policy.h"
#include "auth/role.h"
#include "base/buf.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/dbjson.h"

enum account_sql {
	ACCOUNT_SQL_INSERT,
	ACCOUNT_SQL_BY_LOGIN,
	ACCOUNT_SQL_LIST,
	ACCOUNT_SQL_GET,
	ACCOUNT_SQL_CANDIDATES,
	ACCOUNT_SQL_STATUS,
	ACCOUNT_SQL_UNLOCK,
	ACCOUNT_SQL_RESET,
	ACCOUNT_SQL_ROLES,
	ACCOUNT_SQL_PEEK,
	ACCOUNT_SQL_ALL,
	ACCOUNT_SQL_KILL_SESSIONS,
	ACCOUNT_SQL_STALE,
	ACCOUNT_SQL__MAX
};

#define ACCOUNT_COLS \
	"SELECT a.id, a.login, p.name, a.person_id, a.roles," \
	" a.roles_requested, a.village_id, v.name, a.status," \
	" a.locked_until > ?9, a.last_login_at, a.created_at, a.must_change" \
	" FROM account a LEFT JOIN person p ON p.id = a.person_id" \
	" LEFT JOIN village v ON v.id = a.village_id"

static const char *const account_sql[ACCOUNT_SQL__MAX] = {
	[ACCOUNT_SQL_INSERT] =
	    "INSERT INTO account (township_id, person_id, login, roles,"
	    " roles_requested, village_id, status, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7)",
	[ACCOUNT_SQL_BY_LOGIN] = "SELECT id FROM account WHERE login = ?1",
	[ACCOUNT_SQL_LIST] =
	    ACCOUNT_COLS " WHERE a.township_id = ?1 ORDER BY a.id",
	[ACCOUNT_SQL_GET] =
	    ACCOUNT_COLS " WHERE a.township_id = ?1 AND a.id = ?2",
	[ACCOUNT_SQL_CANDIDATES] =
	    "SELECT p.id, p.name, v.name FROM person p"
	    " LEFT JOIN village v ON v.id = p.village_id"
	    " WHERE p.township_id = ?1 AND p.kind = 'cadre' AND NOT EXISTS"
	    " (SELECT 1 FROM account a WHERE a.person_id = p.id)"
	    " ORDER BY p.village_id IS NOT NULL, p.village_id, p.id",
	[ACCOUNT_SQL_STATUS] =
	    "UPDATE account SET status = ?3, updated_at = ?4"
	    " WHERE township_id = ?1 AND id = ?2"
	    " AND (?3 <> 'active' OR pw_hash IS NOT NULL)",
	[ACCOUNT_SQL_UNLOCK] =
	    "UPDATE account SET locked_until = NULL, failed_count = 0,"
	    " updated_at = ?3 WHERE township_id = ?1 AND id = ?2",
	[ACCOUNT_SQL_RESET] =
	    "UPDATE account SET pw_hash = NULL, pw_family = NULL,"
	    " status = 'pending', updated_at = ?3"
	    " WHERE township_id = ?1 AND id = ?2",
	[ACCOUNT_SQL_ROLES] =
	    "UPDATE account SET roles = ?3, roles_requested = 0,"
	    " updated_at = ?4 WHERE township_id = ?1 AND id = ?2",
	[ACCOUNT_SQL_PEEK] =
	    "SELECT roles, village_id FROM account"
	    " WHERE township_id = ?1 AND id = ?2",
	[ACCOUNT_SQL_ALL] =
	    ACCOUNT_COLS " WHERE ?1 IS NULL OR a.township_id = ?1"
	    " ORDER BY a.id",
	[ACCOUNT_SQL_KILL_SESSIONS] =
	    "DELETE FROM session WHERE account_id = ?1",
	/*
	 * Active accounts neither signed in to nor changed by an admin since
	 * ?1 (so an account just enabled again is not disabled at the next
	 * sweep), except where disabling would leave an admin role (64, 128,
	 * 256: held alone) without an active holder who is not stale himself.
	 */
	[ACCOUNT_SQL_STALE] =
	    "SELECT a.id, a.township_id FROM account a WHERE a.status = 'active'"
	    " AND max(coalesce(a.last_login_at, ''), a.updated_at) < ?1"
	    " AND (a.roles NOT IN (64, 128, 256) OR EXISTS (SELECT 1"
	    "  FROM account b WHERE b.status = 'active' AND b.roles = a.roles"
	    "  AND b.id <> a.id AND"
	    "  max(coalesce(b.last_login_at, ''), b.updated_at) >= ?1))"
	    " ORDER BY a.id LIMIT 64",
};

const struct db_sqltab account_sqltab = { "account", account_sql,
    ACCOUNT_SQL__MAX };

static const char *
status_label(const char *s)
{
	if (str_eq(s, "active"))
		return "正常";
	if (str_eq(s, "pending"))
		return "待激活";
	return "已停用";
}

static json_t *
role_array(unsigned roles)
{
	json_t		*a = json_array();
	unsigned	 bit;

	for (bit = 1; bit < (1u << ROLE_COUNT); bit <<= 1)
		if (roles & bit)
			json_array_append_new(a, json_string(role_name(bit)));
	return a;
}

static json_t *
account_row(struct db_stmt *st)
{
	struct buf	 r = BUF_INIT, q = BUF_INIT;
	unsigned	 roles = (unsigned)db_col_int64(st, 4);
	unsigned	 req = (unsigned)db_col_int64(st, 5);
	const char	*status = db_col_text(st, 8);
	json_t		*o;

	role_labels(roles, &r);
	role_labels(req, &q);
	o = json_pack("{so so so so so so ss ss so so ss ss sb so so so}",
	    "id", db_json_int(st, 0),
	    "login", db_json_text(st, 1),
	    "name", db_json_text(st, 2),
	    "person_id", db_json_int(st, 3),
	    "roles", role_array(roles),
	    "roles_requested", role_array(req),
	    "roles_label", r.data,
	    "roles_requested_label", q.data,
	    "village_id", db_json_int(st, 6),
	    "village", db_json_text(st, 7),
	    "status", status,
	    "status_label", status_label(status),
	    "locked", db_col_int64(st, 9) != 0,
	    "last_login_at", db_json_time(st, 10),
	    "created_at", db_json_time(st, 11),
	    "must_change", db_json_bool(st, 12));
	buf_release(&r);
	buf_release(&q);
	return o;
}

static void
now_text(int64_t now, char out[TIME_ISO_LEN])
{
	time_iso_utc(now, out);
}

int
account_create(struct db *db, const struct account_in *in, int64_t now,
    int64_t *id)
{
	struct db_stmt	*st = db_stmt(db, DBM_ACCOUNT, ACCOUNT_SQL_INSERT);
	char		 t[TIME_ISO_LEN];
	int		 rc;

	now_text(now, t);
	db_bind_int64(st, 1, in->township_id);
	db_bind_id(st, 2, in->person_id);
	db_bind_text(st, 3, in->login);
	db_bind_int64(st, 4, in->roles);
	db_bind_int64(st, 5, in->roles_requested);
	db_bind_id(st, 6, in->village_id);
	db_bind_text(st, 7, t);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	*id = db_last_id(db);
	return DB_OK;
}

int64_t
account_by_login(struct db *db, const char *login)
{
	struct db_stmt	*st = db_stmt(db, DBM_ACCOUNT, ACCOUNT_SQL_BY_LOGIN);
	int64_t		 id = 0;
	int		 rc;

	db_bind_text(st, 1, login);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int64(st, 0);
	db_reset(st);
	return rc < 0 ? rc : id;
}

static json_t *
list(struct db_stmt *st, int *rc)
{
	return db_json_rows(st, account_row, rc);
}

static void
bind_now(struct db_stmt *st)
{
	char	 t[TIME_ISO_LEN];

	now_text(time_now_ms(), t);
	db_bind_text(st, 9, t);
}

json_t *
account_list(struct db *db, int64_t township, int *rc)
{
	struct db_stmt	*st = db_stmt(db, DBM_ACCOUNT, ACCOUNT_SQL_LIST);

	db_bind_int64(st, 1, township);
	bind_now(st);
	return list(st, rc);
}

json_t *
account_all(struct db *db, int *rc)
{
	struct db_stmt	*st = db_stmt(db, DBM_ACCOUNT, ACCOUNT_SQL_ALL);

	db_bind_null(st, 1);
	bind_now(st);
	return list(st, rc);
}

json_t *
account_get(struct db *db, int64_t township, int64_t id, int *rc)
{
	struct db_stmt	*st = db_stmt(db, DBM_ACCOUNT, ACCOUNT_SQL_GET);
	json_t		*o = NULL;
	int		 r;

	db_bind_int64(st, 1, township);
	db_bind_int64(st, 2, id);
	bind_now(st);
	r = db_step(st);
	if (r == DB_ROW)
		o = account_row(st);
	db_reset(st);
	*rc = r < 0 ? r : DB_OK;
	return o;
}

json_t *
account_candidates(struct db *db, int64_t township, int *rc)
{
	struct db_stmt	*st = db_stmt(db, DBM_ACCOUNT,
	    ACCOUNT_SQL_CANDIDATES);
	json_t		*a = json_array();
	int		 r;

	db_bind_int64(st, 1, township);
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(a, json_pack("{so so so}", "id",
		    db_json_int(st, 0), "name", db_json_text(st, 1), "village",
		    db_json_text(st, 2)));
	return db_json_finish(st, r, a, rc);
}

/* Run an update of one account; DB_DONE when it matched nothing. */
static int
update(struct db *db, struct db_stmt *st)
{
	int	 rc = db_exec(st);

	if (rc != DB_OK)
		return rc;
	return db_changes(db) ? DB_OK : DB_DONE;
}

static int
kill_sessions(struct db *db, int64_t id)
{
	struct db_stmt	*st = db_stmt(db, DBM_ACCOUNT,
	    ACCOUNT_SQL_KILL_SESSIONS);

	db_bind_int64(st, 1, id);
	return db_exec(st);
}

int
account_set_status(struct db *db, int64_t township, int64_t id,
    const char *status, int64_t now)
{
	struct db_stmt	*st = db_stmt(db, DBM_ACCOUNT, ACCOUNT_SQL_STATUS);
	char		 t[TIME_ISO_LEN];
	int		 rc;

	now_text(now, t);
	db_bind_int64(st, 1, township);
	db_bind_int64(st, 2, id);
	db_bind_text(st, 3, status);
	db_bind_text(st, 4, t);
	if ((rc = update(db, st)) != DB_OK)
		return rc;
	return strcmp(status, "disabled") == 0 ? kill_sessions(db, id) : DB_OK;
}

int
account_unlock(struct db *db, int64_t township, int64_t id, int64_t now)
{
	struct db_stmt	*st = db_stmt(db, DBM_ACCOUNT, ACCOUNT_SQL_UNLOCK);
	char		 t[TIME_ISO_LEN];

	now_text(now, t);
	db_bind_int64(st, 1, township);
	db_bind_int64(st, 2, id);
	db_bind_text(st, 3, t);
	return update(db, st);
}

int
account_reset(struct db *db, int64_t township, int64_t id, int64_t now)
{
	struct db_stmt	*st = db_stmt(db, DBM_ACCOUNT, ACCOUNT_SQL_RESET);
	char		 t[TIME_ISO_LEN];
	int		 rc;

	now_text(now, t);
	db_bind_int64(st, 1, township);
	db_bind_int64(st, 2, id);
	db_bind_text(st, 3, t);
	if ((rc = update(db, st)) != DB_OK)
		return rc;
	return kill_sessions(db, id);
}

int
account_peek(struct db *db, int64_t township, int64_t id, unsigned *roles,
    int64_t *village_id)
{
	struct db_stmt	*st = db_stmt(db, DBM_ACCOUNT, ACCOUNT_SQL_PEEK);
	int		 rc;

	db_bind_int64(st, 1, township);
	db_bind_int64(st, 2, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*roles = (unsigned)db_col_int64(st, 0);
		*village_id = db_col_int64(st, 1);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW ? DB_OK : DB_DONE;
}

int
account_set_roles(struct db *db, int64_t township, int64_t id,
    unsigned roles, unsigned *before, int64_t now)
{
	struct db_stmt	*st;
	char		 t[TIME_ISO_LEN];
	int64_t		 village;
	int		 rc;

	if ((rc = account_peek(db, township, id, before, &village)) != DB_OK)
		return rc;
	now_text(now, t);
	st = db_stmt(db, DBM_ACCOUNT, ACCOUNT_SQL_ROLES);
	db_bind_int64(st, 1, township);
	db_bind_int64(st, 2, id);
	db_bind_int64(st, 3, roles);
	db_bind_text(st, 4, t);
	if ((rc = update(db, st)) != DB_OK)
		return rc;
	/* New powers take effect at the next sign-in. */
	return roles == *before ? DB_OK : kill_sessions(db, id);
}

/*
 * Disable the accounts nobody has used for the policy's inactive_days
 * (等保 8.1.4.2c: 及时停用过期的账户), each in its own transaction with its
 * audit record; their sessions end with them.  An admin role is never left
 * without an active holder, so the system stays manageable; a system admin
 * enables a cadre back.  Returns how many were disabled, or -1.
 */
int
account_sweep_stale(struct db *db, int64_t now)
{
	struct policy		 pol;
	struct audit_actor	 sys = { .login = "system", .role = "sweep",
				    .addr = "local", .request_id = "sweep" };
	struct db_stmt		*st;
	int64_t			 id[64], township[64];
	char			 before[TIME_ISO_LEN];
	json_t			*why;
	int			 n = 0, i, rc = DB_DONE;

	policy_get(db, &pol);
	if (pol.inactive_days == 0)
		return 0;
	now_text(now - (int64_t)pol.inactive_days * 86400000, before);
	st = db_stmt(db, DBM_ACCOUNT, ACCOUNT_SQL_STALE);
	db_bind_text(st, 1, before);
	while (n < 64 && (rc = db_step(st)) == DB_ROW) {
		id[n] = db_col_int64(st, 0);
		township[n++] = db_col_int64(st, 1);
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return -1;
	why = json_pack("{ss si}", "reason", "inactive", "days",
	    pol.inactive_days);
	for (i = 0; i < n; i++) {
		if ((rc = db_begin(db)) == DB_OK)
			rc = account_set_status(db, township[i], id[i],
			    "disabled", now);
		if (rc == DB_OK)
			rc = audit_write(db, &sys, "account.disable", "account",
			    id[i], true, why);
		if (db_end(db, rc) != DB_OK)
			break;
	}
	json_decref(why);
	return i == n ? n : -1;
}

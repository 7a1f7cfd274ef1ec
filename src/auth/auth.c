/* auth.c: sign-in with lockout and throttling, sessions, activation, passwords. */
#include <semaphore.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "auth/account.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "auth/role.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"

enum auth_sql {
	AUTH_SQL_BY_LOGIN,
	AUTH_SQL_BY_ID,
	AUTH_SQL_FAIL,
	AUTH_SQL_SUCCESS,
	AUTH_SQL_REHASH,
	AUTH_SQL_SESSION_NEW,
	AUTH_SQL_SESSION_GET,
	AUTH_SQL_SESSION_TOUCH,
	AUTH_SQL_SESSION_AUTH,
	AUTH_SQL_SESSION_DEL,
	AUTH_SQL_SESSION_DEL_OTHERS,
	AUTH_SQL_THROTTLE,
	AUTH_SQL_FAMILY_TAKEN,
	AUTH_SQL_SET_PW,
	AUTH_SQL_ACT_NEW,
	AUTH_SQL_ACT_RETIRE,
	AUTH_SQL_ACT_GET,
	AUTH_SQL_ACT_USE,
	AUTH_SQL_SWEEP_SESSIONS,
	AUTH_SQL_SWEEP_THROTTLE,
	AUTH_SQL_SWEEP_ACT,
	AUTH_SQL__MAX
};

static const char *const auth_sql[AUTH_SQL__MAX] = {
	[AUTH_SQL_BY_LOGIN] =
	    "SELECT a.id, a.township_id, a.pw_hash, a.status, a.locked_until,"
	    " a.pw_changed_at, a.roles FROM account a WHERE a.login = ?1",
	[AUTH_SQL_BY_ID] =
	    "SELECT a.login, a.pw_hash, p.name, a.status, a.township_id,"
	    " a.roles, a.locked_until FROM account a"
	    " LEFT JOIN person p ON p.id = a.person_id WHERE a.id = ?1",
	[AUTH_SQL_FAIL] =
	    "UPDATE account SET"
	    " failed_count = CASE WHEN failed_count + 1 >= ?2 THEN 0"
	    "  ELSE failed_count + 1 END,"
	    " locked_until = CASE WHEN failed_count + 1 >= ?2 THEN ?3"
	    "  ELSE locked_until END"
	    " WHERE id = ?1 RETURNING locked_until = ?3",
	[AUTH_SQL_SUCCESS] =
	    "UPDATE account SET failed_count = 0, locked_until = NULL,"
	    " last_login_at = ?2, must_change = max(must_change, ?3)"
	    " WHERE id = ?1 AND status = 'active' RETURNING must_change",
	[AUTH_SQL_REHASH] =
	    "UPDATE account SET pw_hash = ?2 WHERE id = ?1",
	[AUTH_SQL_SESSION_NEW] =
	    "INSERT INTO session (token_hash, account_id, csrf, created_at,"
	    " seen_at, auth_at, addr) VALUES (?1, ?2, ?3, ?4, ?4, ?4, ?5)",
	[AUTH_SQL_SESSION_GET] =
	    "SELECT s.account_id, s.csrf, s.created_at, s.seen_at, s.auth_at,"
	    " a.township_id, a.village_id, a.person_id, a.roles, a.login,"
	    " a.status, a.must_change, p.name"
	    " FROM session s JOIN account a ON a.id = s.account_id"
	    " LEFT JOIN person p ON p.id = a.person_id"
	    " WHERE s.token_hash = ?1",
	[AUTH_SQL_SESSION_TOUCH] =
	    "UPDATE session SET seen_at = ?2 WHERE token_hash = ?1",
	[AUTH_SQL_SESSION_AUTH] =
	    "UPDATE session SET auth_at = ?2, seen_at = ?2"
	    " WHERE token_hash = ?1",
	[AUTH_SQL_SESSION_DEL] =
	    "DELETE FROM session WHERE token_hash = ?1",
	[AUTH_SQL_SESSION_DEL_OTHERS] =
	    "DELETE FROM session WHERE account_id = ?1"
	    " AND token_hash IS NOT ?2",
	[AUTH_SQL_THROTTLE] =
	    "INSERT INTO throttle (key, window_start, hits) VALUES (?1, ?2, 1)"
	    " ON CONFLICT (key) DO UPDATE SET"
	    " hits = CASE WHEN window_start = ?2 THEN hits + 1 ELSE 1 END,"
	    " window_start = ?2 RETURNING hits",
	[AUTH_SQL_FAMILY_TAKEN] =
	    "SELECT 1 FROM account WHERE pw_family = ?1 AND id <> ?2"
	    " AND status <> 'disabled' LIMIT 1",
	[AUTH_SQL_SET_PW] =
	    "UPDATE account SET pw_hash = ?2, pw_family = ?3,"
	    " pw_changed_at = ?4, must_change = ?5, failed_count = 0,"
	    " locked_until = NULL, updated_at = ?4,"
	    " status = CASE WHEN status = 'pending' THEN 'active'"
	    "  ELSE status END"
	    " WHERE id = ?1",
	[AUTH_SQL_ACT_NEW] =
	    "INSERT INTO activation (token_hash, account_id, created_by,"
	    " created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[AUTH_SQL_ACT_RETIRE] =
	    "UPDATE activation SET used_at = ?2"
	    " WHERE account_id = ?1 AND used_at IS NULL",
	[AUTH_SQL_ACT_GET] =
	    "SELECT v.account_id, v.expires_at, v.used_at, a.login, p.name,"
	    " a.status, a.township_id"
	    " FROM activation v JOIN account a ON a.id = v.account_id"
	    " LEFT JOIN person p ON p.id = a.person_id"
	    " WHERE v.token_hash = ?1",
	[AUTH_SQL_ACT_USE] =
	    "UPDATE activation SET used_at = ?2"
	    " WHERE token_hash = ?1 AND used_at IS NULL",
	[AUTH_SQL_SWEEP_SESSIONS] =
	    "DELETE FROM session WHERE seen_at < ?1 OR created_at < ?2",
	[AUTH_SQL_SWEEP_THROTTLE] =
	    "DELETE FROM throttle WHERE window_start < ?1",
	[AUTH_SQL_SWEEP_ACT] =
	    "DELETE FROM activation WHERE expires_at < ?1",
};

const struct db_sqltab auth_sqltab = { "auth", auth_sql, AUTH_SQL__MAX };

static sem_t	 hash_slots;
static bool	 slots_ready;

void
auth_init(unsigned n)
{
	if (slots_ready)
		sem_destroy(&hash_slots);
	sem_init(&hash_slots, 0, n ? n : 1);
	slots_ready = true;
}

/*
 * Wait up to half a second for a hashing slot; false if the server is
 * saturated.  Polls rather than sem_timedwait(), whose absolute deadline
 * would follow a wall clock that may jump.
 */
static bool
slot_take(void)
{
	struct timespec	 pause = { 0, 10 * 1000000L };
	int		 i;

	if (!slots_ready)
		auth_init(2);
	for (i = 0; i < 50; i++) {
		if (sem_trywait(&hash_slots) == 0)
			return true;
		nanosleep(&pause, NULL);
	}
	return false;
}

static void
slot_give(void)
{
	sem_post(&hash_slots);
}

static void
iso(int64_t ms, char out[TIME_ISO_LEN])
{
	time_iso_utc(ms, out);
}

static int64_t
parse_or(const char *s, int64_t dflt)
{
	int64_t	 ms;

	if (s == NULL || time_parse_utc(s, &ms) != 0)
		return dflt;
	return ms;
}

static int
unavail(int rc)
{
	return rc == DB_CONSTRAINT ? AUTH_DENIED : AUTH_UNAVAIL;
}

/* Count one attempt from "key" in the current minute; false if over "limit". */
static int
throttle_hit(struct db *db, const char *key, int limit, int64_t now,
    int *retry)
{
	struct db_stmt	*st;
	int64_t		 window = now / 60000, hits = 0;
	int		 rc;

	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	st = db_stmt(db, DBM_AUTH, AUTH_SQL_THROTTLE);
	db_bind_text(st, 1, key);
	db_bind_int64(st, 2, window);
	rc = db_step(st);
	if (rc == DB_ROW)
		hits = db_col_int64(st, 0);
	db_reset(st);
	rc = db_end(db, rc == DB_ROW ? 0 : rc);
	if (rc != 0)
		return rc;
	*retry = (int)(60 - (now / 1000) % 60);
	return hits > limit ? 1 : 0;
}

static struct audit_actor
as_account(const struct audit_actor *ctx, int64_t id, int64_t township,
    const char *login, unsigned roles, struct buf *names)
{
	struct audit_actor	 a = *ctx;

	role_names(roles, names);
	a.account_id = id;
	a.township_id = township;
	a.login = login;
	a.role = names->data;
	return a;
}

/*
 * Count a wrong password against the account, in the caller's transaction,
 * locking it at the policy's limit; audited either way.
 */
static int
count_failure(struct db *db, int64_t id, const struct audit_actor *who,
    const char *action, int64_t now)
{
	struct policy	 pol;
	struct db_stmt	*st;
	char		 t_lock[TIME_ISO_LEN];
	json_t		*detail;
	bool		 locked_now = false;
	int		 rc;

	policy_get(db, &pol);
	iso(now + (int64_t)pol.lock_min * 60000, t_lock);
	st = db_stmt(db, DBM_AUTH, AUTH_SQL_FAIL);
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, pol.lock_failures);
	db_bind_text(st, 3, t_lock);
	rc = db_step(st);
	if (rc == DB_ROW)
		locked_now = db_col_int64(st, 0) == 1;
	db_reset(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERROR;
	detail = json_pack("{ss}", "reason", "password");
	rc = audit_write(db, who, action, "account", id, false, detail);
	json_decref(detail);
	if (rc == 0 && locked_now) {
		detail = json_pack("{si}", "minutes", pol.lock_min);
		rc = audit_write(db, who, "account.lock", "account", id, true,
		    detail);
		json_decref(detail);
	}
	return rc;
}

int
auth_signin(struct db *db, const char *login, const char *password,
    const struct audit_actor *ctx, int64_t now, struct auth_signin *out)
{
	struct policy		 pol;
	struct db_stmt		*st;
	struct audit_actor	 who;
	struct buf		 names = BUF_INIT, key = BUF_INIT;
	unsigned char		 hash[SECRET_HASH_LEN];
	char			 pwh[PASSWORD_HASH_MAX] = "", newh[PASSWORD_HASH_MAX];
	char			 norm[PASSWORD_NORM_MAX];
	char			 status[16] = "", t_now[TIME_ISO_LEN];
	int64_t			 id = 0, township = 0, locked_until = 0;
	int64_t			 changed = 0;
	unsigned		 roles = 0;
	const char		*reason = NULL;
	json_t			*detail;
	bool			 ok = false, expired, raced = false;
	int			 rc;

	memset(out, 0, sizeof(*out));
	policy_get(db, &pol);
	buf_addf(&key, "login:%s", ctx->addr);
	rc = throttle_hit(db, key.data, pol.login_rate, now, &out->retry_after);
	buf_release(&key);
	if (rc < 0)
		return AUTH_UNAVAIL;
	if (rc == 1)
		return AUTH_THROTTLED;

	st = db_stmt(db, DBM_AUTH, AUTH_SQL_BY_LOGIN);
	db_bind_text(st, 1, login);
	rc = db_step(st);
	if (rc == DB_ROW) {
		id = db_col_int64(st, 0);
		township = db_col_int64(st, 1);
		if (!db_col_null(st, 2))
			str_copy(pwh, db_col_text(st, 2), sizeof(pwh));
		str_copy(status, db_col_text(st, 3), sizeof(status));
		locked_until = parse_or(db_col_text(st, 4), 0);
		changed = parse_or(db_col_text(st, 5), now);
		roles = (unsigned)db_col_int64(st, 6);
	}
	db_reset(st);
	if (rc < 0)
		return AUTH_UNAVAIL;

	/*
	 * One Argon2id verification whatever the account's state, of the
	 * NFKC form that was hashed.
	 */
	if (password_normalize(password, norm) != 0)
		norm[0] = '\0';
	if (!slot_take()) {
		sodium_memzero(norm, sizeof(norm));
		return AUTH_BUSY;
	}
	if (id != 0 && pwh[0] != '\0' && norm[0] != '\0')
		ok = password_verify(pwh, norm) == 0;
	else
		password_verify_dummy(norm);
	slot_give();

	if (id == 0)
		reason = "unknown";
	else if (strcmp(status, "active") != 0)
		reason = strcmp(status, "pending") == 0 ? "not_activated" :
		    "disabled";
	else if (locked_until > now)
		reason = "locked";
	else if (!ok)
		reason = "password";

	if (reason != NULL)
		sodium_memzero(norm, sizeof(norm));
	who = as_account(ctx, id, township, id ? login : "-", roles, &names);
	iso(now, t_now);
	if ((rc = db_begin(db)) != DB_OK) {
		buf_release(&names);
		return AUTH_UNAVAIL;
	}
	if (reason != NULL) {
		if (strcmp(reason, "password") == 0)
			rc = count_failure(db, id, &who, "session.create", now);
		else {
			detail = json_pack("{ss}", "reason", reason);
			rc = audit_write(db, &who, "session.create", "account",
			    id, false, detail);
			json_decref(detail);
		}
		rc = db_end(db, rc);
		buf_release(&names);
		return rc == 0 ? AUTH_DENIED : AUTH_UNAVAIL;
	}

	/* Success: rehash if the limits rose, and open a session. */
	if (password_needs_rehash(pwh)) {
		if (password_hash(norm, newh) == 0) {
			st = db_stmt(db, DBM_AUTH, AUTH_SQL_REHASH);
			db_bind_int64(st, 1, id);
			db_bind_text(st, 2, newh);
			rc = db_exec(st);
		}
	}
	expired = pol.pw_max_age_days > 0 &&
	    now - changed > (int64_t)pol.pw_max_age_days * 86400000;
	st = db_stmt(db, DBM_AUTH, AUTH_SQL_SUCCESS);
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, t_now);
	db_bind_int64(st, 3, expired ? 1 : 0);
	if (rc == 0 && (rc = db_step(st)) == DB_ROW) {
		out->must_change = db_col_int64(st, 0) != 0;
		rc = 0;
	} else if (rc == DB_DONE)
		raced = true;	/* disabled while its password was checked */
	db_reset(st);
	if (rc == 0) {
		secret_token(out->token);
		secret_token(out->csrf);
		secret_token_hash(out->token, hash);
		st = db_stmt(db, DBM_AUTH, AUTH_SQL_SESSION_NEW);
		db_bind_blob(st, 1, hash, sizeof(hash));
		db_bind_int64(st, 2, id);
		db_bind_text(st, 3, out->csrf);
		db_bind_text(st, 4, t_now);
		db_bind_text(st, 5, ctx->addr);
		rc = db_exec(st);
	}
	if (rc == 0)
		rc = audit_write(db, &who, "session.create", "account", id,
		    true, NULL);
	rc = db_end(db, rc);
	sodium_memzero(pwh, sizeof(pwh));
	sodium_memzero(norm, sizeof(norm));
	if (rc != 0 && raced) {
		detail = json_pack("{ss}", "reason", "disabled");
		audit_write_alone(db, &who, "session.create", "account", id,
		    false, detail);
		json_decref(detail);
	}
	buf_release(&names);	/* "who" points into it */
	if (rc != 0) {
		memset(out, 0, sizeof(*out));
		return raced ? AUTH_DENIED : unavail(rc);
	}
	out->account_id = id;
	return AUTH_OK;
}

int
auth_session(struct db *db, const unsigned char hash[SECRET_HASH_LEN],
    int64_t now, struct arena *a, struct actor *act, const char **csrf)
{
	struct policy	 pol;
	struct db_stmt	*st;
	struct buf	 names = BUF_INIT;
	int64_t		 created, seen;
	char		 t_now[TIME_ISO_LEN];
	bool		 alive;
	int		 rc;

	policy_get(db, &pol);
	st = db_stmt(db, DBM_AUTH, AUTH_SQL_SESSION_GET);
	db_bind_blob(st, 1, hash, SECRET_HASH_LEN);
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc == DB_DONE ? AUTH_DENIED : AUTH_UNAVAIL;
	}
	memset(act, 0, sizeof(*act));
	act->id = db_col_int64(st, 0);
	*csrf = arena_strdup(a, db_col_text(st, 1));
	created = parse_or(db_col_text(st, 2), 0);
	seen = parse_or(db_col_text(st, 3), 0);
	act->auth_at = parse_or(db_col_text(st, 4), 0);
	act->township_id = db_col_int64(st, 5);
	act->village_id = db_col_int64(st, 6);
	act->person_id = db_col_int64(st, 7);
	act->roles = (unsigned)db_col_int64(st, 8);
	act->login = arena_strdup(a, db_col_text(st, 9));
	alive = strcmp(db_col_text(st, 10), "active") == 0;
	act->must_change = db_col_int64(st, 11) != 0;
	act->name = db_col_null(st, 12) ? act->login :
	    arena_strdup(a, db_col_text(st, 12));
	db_reset(st);

	/*
	 * Idle and absolute limits.  A clock that went backwards more than
	 * a few minutes ends the session rather than extending it.
	 */
	if (!alive || now - seen > (int64_t)pol.idle_min * 60000 ||
	    now - created > (int64_t)pol.absolute_h * 3600000 ||
	    seen - now > 5 * 60000) {
		st = db_stmt(db, DBM_AUTH, AUTH_SQL_SESSION_DEL);
		db_bind_blob(st, 1, hash, SECRET_HASH_LEN);
		rc = db_exec(st);
		memset(act, 0, sizeof(*act));
		return rc == DB_OK ? AUTH_DENIED : AUTH_UNAVAIL;
	}
	if (now - seen > 30000) {
		/* Touch at most every 30 s: idle precision is minutes. */
		iso(now, t_now);
		st = db_stmt(db, DBM_AUTH, AUTH_SQL_SESSION_TOUCH);
		db_bind_blob(st, 1, hash, SECRET_HASH_LEN);
		db_bind_text(st, 2, t_now);
		if (db_exec(st) != DB_OK)
			log_warn("cannot record session activity");
	}
	role_names(act->roles, &names);
	act->role_names = arena_strdup(a, names.data);
	buf_release(&names);
	return AUTH_OK;
}

int
auth_signout(struct db *db, const unsigned char hash[SECRET_HASH_LEN],
    const struct audit_actor *who)
{
	struct db_stmt	*st;
	int		 rc;

	if ((rc = db_begin(db)) != DB_OK)
		return AUTH_UNAVAIL;
	st = db_stmt(db, DBM_AUTH, AUTH_SQL_SESSION_DEL);
	db_bind_blob(st, 1, hash, SECRET_HASH_LEN);
	rc = db_exec(st);
	if (rc == 0)
		rc = audit_write(db, who, "session.delete", "account",
		    who->account_id, true, NULL);
	return db_end(db, rc) == 0 ? AUTH_OK : AUTH_UNAVAIL;
}

/* The account's login, hash and name, in "a"; AUTH_DENIED if none. */
static int
load_account(struct db *db, int64_t id, struct arena *a, const char **login,
    const char **pwh, const char **name)
{
	struct db_stmt	*st;
	int		 rc;

	st = db_stmt(db, DBM_AUTH, AUTH_SQL_BY_ID);
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*login = arena_strdup(a, db_col_text(st, 0));
		*pwh = db_col_null(st, 1) ? NULL :
		    arena_strdup(a, db_col_text(st, 1));
		*name = db_col_null(st, 2) ? NULL :
		    arena_strdup(a, db_col_text(st, 2));
	}
	db_reset(st);
	if (rc < 0)
		return AUTH_UNAVAIL;
	return rc == DB_ROW ? AUTH_OK : AUTH_DENIED;
}

static bool
verify_slot(const char *pwh, const char *pw)
{
	char	 norm[PASSWORD_NORM_MAX];
	bool	 ok;

	if (password_normalize(pw, norm) != 0)
		norm[0] = '\0';
	if (!slot_take()) {
		sodium_memzero(norm, sizeof(norm));
		return false;
	}
	if (pwh != NULL && norm[0] != '\0')
		ok = password_verify(pwh, norm) == 0;
	else {
		password_verify_dummy(norm);
		ok = false;
	}
	slot_give();
	sodium_memzero(norm, sizeof(norm));
	return ok;
}

int
auth_reauth(struct db *db, const unsigned char hash[SECRET_HASH_LEN],
    const struct actor *act, const char *password,
    const struct audit_actor *who, int64_t now)
{
	struct arena	 a;
	struct db_stmt	*st;
	const char	*login, *pwh = NULL, *name;
	char		 t_now[TIME_ISO_LEN];
	int64_t		 locked_until = 0;
	bool		 ok;
	int		 rc;

	arena_init(&a);
	rc = load_account(db, act->id, &a, &login, &pwh, &name);
	if (rc == AUTH_UNAVAIL) {
		arena_release(&a);
		return rc;
	}
	st = db_stmt(db, DBM_AUTH, AUTH_SQL_BY_ID);
	db_bind_int64(st, 1, act->id);
	if (db_step(st) == DB_ROW)
		locked_until = parse_or(db_col_text(st, 6), 0);
	db_reset(st);
	/* Like sign-in: the same work, and a locked account is refused. */
	ok = verify_slot(pwh, password) && locked_until <= now;
	arena_release(&a);
	if ((rc = db_begin(db)) != DB_OK)
		return AUTH_UNAVAIL;
	if (ok) {
		iso(now, t_now);
		st = db_stmt(db, DBM_AUTH, AUTH_SQL_SESSION_AUTH);
		db_bind_blob(st, 1, hash, SECRET_HASH_LEN);
		db_bind_text(st, 2, t_now);
		rc = db_exec(st);
		if (rc == 0)
			rc = audit_write(db, who, "session.reauth", "account",
			    act->id, true, NULL);
	} else
		rc = count_failure(db, act->id, who, "session.reauth", now);
	rc = db_end(db, rc);
	if (rc != 0)
		return AUTH_UNAVAIL;
	return ok ? AUTH_OK : AUTH_DENIED;
}

/* A new password, checked and hashed, ready to store. */
struct newpw {
	char		 hash[PASSWORD_HASH_MAX];
	uint32_t	 family;
};

/*
 * Check "pw" against the policy and the other accounts' patterns and hash
 * it.  Runs outside any transaction: the write lock is never held while
 * Argon2id works.  AUTH_POLICY sets "msg".
 */
static int
prepare_password(struct db *db, int64_t id, const char *login,
    const char *name, const char *old, const char *pw, bool check,
    struct newpw *np, char *msg, size_t msglen)
{
	struct policy		 pol;
	struct password_policy	 pp;
	struct password_subject	 subj = { login, name, old };
	struct db_stmt		*st;
	char			 norm[PASSWORD_NORM_MAX];
	int			 rc;

	policy_get(db, &pol);
	pp.min_len = pol.pw_min_len;
	pp.max_len = 128;
	pp.min_classes = pol.pw_min_classes;
	if (password_check(pw, &pp, &subj, norm, msg, msglen) != 0) {
		if (check)
			return AUTH_POLICY;
		str_copy(norm, pw, sizeof(norm));
	}
	np->family = password_family(norm, secret_key(SECRET_PW_FAMILY));
	if (np->family != 0 && check) {
		st = db_stmt(db, DBM_AUTH, AUTH_SQL_FAMILY_TAKEN);
		db_bind_int64(st, 1, np->family);
		db_bind_int64(st, 2, id);
		rc = db_step(st);
		db_reset(st);
		if (rc < 0 || rc == DB_ROW) {
			sodium_memzero(norm, sizeof(norm));
			if (rc < 0)
				return AUTH_UNAVAIL;
			str_copy(msg, "该密码与其他账号的密码属于同一模式，"
			    "请另设一个与众不同的密码", msglen);
			return AUTH_POLICY;
		}
	}
	if (!slot_take()) {
		sodium_memzero(norm, sizeof(norm));
		return AUTH_BUSY;
	}
	rc = password_hash(norm, np->hash);
	slot_give();
	sodium_memzero(norm, sizeof(norm));
	return rc == 0 ? AUTH_OK : AUTH_BUSY;
}

/* Store a prepared password; in the caller's transaction. */
static int
write_password(struct db *db, int64_t id, const struct newpw *np,
    int64_t now)
{
	struct db_stmt	*st;
	char		 t_now[TIME_ISO_LEN];
	int		 rc;

	iso(now, t_now);
	st = db_stmt(db, DBM_AUTH, AUTH_SQL_SET_PW);
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, np->hash);
	if (np->family != 0)
		db_bind_int64(st, 3, np->family);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, t_now);
	db_bind_int64(st, 5, 0);
	rc = db_exec(st);
	return rc == DB_OK ? AUTH_OK : unavail(rc);
}

static int
drop_other_sessions(struct db *db, int64_t id, const unsigned char *keep)
{
	struct db_stmt	*st;

	st = db_stmt(db, DBM_AUTH, AUTH_SQL_SESSION_DEL_OTHERS);
	db_bind_int64(st, 1, id);
	db_bind_blob(st, 2, keep, keep ? SECRET_HASH_LEN : 0);
	return db_exec(st);
}

int
auth_change_password(struct db *db, const struct actor *act,
    const unsigned char keep[SECRET_HASH_LEN], const char *old,
    const char *new, const struct audit_actor *who, int64_t now, char *msg,
    size_t msglen)
{
	struct arena	 a;
	struct newpw	 np;
	const char	*login, *pwh = NULL, *name;
	json_t		*detail;
	int		 rc;

	arena_init(&a);
	if ((rc = load_account(db, act->id, &a, &login, &pwh, &name)) != 0)
		goto out;
	if (!verify_slot(pwh, old)) {
		/* A wrong old password counts like one at sign-in. */
		str_copy(msg, "原密码不正确", msglen);
		if (db_begin(db) == DB_OK)
			db_end(db, count_failure(db, act->id, who,
			    "account.password", now));
		rc = AUTH_DENIED;
		goto out;
	}
	rc = prepare_password(db, act->id, login, name, old, new, true, &np,
	    msg, msglen);
	if (rc == AUTH_OK && db_begin(db) != DB_OK)
		rc = AUTH_UNAVAIL;
	if (rc != AUTH_OK)
		goto refused;
	rc = write_password(db, act->id, &np, now);
	if (rc == 0)
		rc = drop_other_sessions(db, act->id, keep) == DB_OK ? 0 :
		    AUTH_UNAVAIL;
	if (rc == 0)
		rc = audit_write(db, who, "account.password", "account",
		    act->id, true, NULL) == DB_OK ? 0 : AUTH_UNAVAIL;
	if (db_end(db, rc) != 0 && rc == 0)
		rc = AUTH_UNAVAIL;
refused:
	if (rc == AUTH_POLICY) {
		detail = json_pack("{ss}", "reason", "policy");
		audit_write_alone(db, who, "account.password", "account",
		    act->id, false, detail);
		json_decref(detail);
	}
out:
	arena_release(&a);
	return rc;
}

int
auth_activation_new(struct db *db, int64_t account_id, int64_t by,
    int64_t now, char token[SECRET_TOKEN_LEN + 1])
{
	struct policy	 pol;
	struct db_stmt	*st;
	unsigned char	 hash[SECRET_HASH_LEN];
	char		 t_now[TIME_ISO_LEN], t_exp[TIME_ISO_LEN];
	int		 rc;

	policy_get(db, &pol);
	iso(now, t_now);
	iso(now + (int64_t)pol.activation_h * 3600000, t_exp);
	st = db_stmt(db, DBM_AUTH, AUTH_SQL_ACT_RETIRE);
	db_bind_int64(st, 1, account_id);
	db_bind_text(st, 2, t_now);
	if ((rc = db_exec(st)) != DB_OK)
		return rc;
	secret_token(token);
	secret_token_hash(token, hash);
	st = db_stmt(db, DBM_AUTH, AUTH_SQL_ACT_NEW);
	db_bind_blob(st, 1, hash, sizeof(hash));
	db_bind_int64(st, 2, account_id);
	db_bind_id(st, 3, by);
	db_bind_text(st, 4, t_now);
	db_bind_text(st, 5, t_exp);
	return db_exec(st);
}

struct activation {
	int64_t		 account_id;
	int64_t		 township_id;
	const char	*login;
	const char	*name;
};

static int
activation_get(struct db *db, const char *token, int64_t now, struct arena *a,
    struct activation *out)
{
	struct db_stmt	*st;
	unsigned char	 hash[SECRET_HASH_LEN];
	bool		 usable = false;
	int		 rc;

	if (token == NULL || strlen(token) != SECRET_TOKEN_LEN)
		return AUTH_GONE;
	secret_token_hash(token, hash);
	st = db_stmt(db, DBM_AUTH, AUTH_SQL_ACT_GET);
	db_bind_blob(st, 1, hash, sizeof(hash));
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->account_id = db_col_int64(st, 0);
		usable = db_col_null(st, 2) &&
		    parse_or(db_col_text(st, 1), 0) > now &&
		    strcmp(db_col_text(st, 5), "disabled") != 0;
		out->login = arena_strdup(a, db_col_text(st, 3));
		out->name = db_col_null(st, 4) ? out->login :
		    arena_strdup(a, db_col_text(st, 4));
		out->township_id = db_col_int64(st, 6);
	}
	db_reset(st);
	if (rc < 0)
		return AUTH_UNAVAIL;
	return usable ? AUTH_OK : AUTH_GONE;
}

int
auth_activation_peek(struct db *db, const char *token, int64_t now,
    struct arena *a, const char **login, const char **name)
{
	struct activation	 v;
	int			 rc;

	rc = activation_get(db, token, now, a, &v);
	if (rc == AUTH_OK) {
		*login = v.login;
		*name = v.name;
	}
	return rc;
}

int
auth_activate(struct db *db, const char *token, const char *password,
    const struct audit_actor *ctx, int64_t now, char *msg, size_t msglen)
{
	struct arena		 a;
	struct activation	 v;
	struct newpw		 np;
	struct audit_actor	 who;
	struct db_stmt		*st;
	unsigned char		 hash[SECRET_HASH_LEN];
	char			 t_now[TIME_ISO_LEN];
	int			 rc;

	arena_init(&a);
	if ((rc = activation_get(db, token, now, &a, &v)) != AUTH_OK)
		goto out;
	who = *ctx;
	who.account_id = v.account_id;
	who.township_id = v.township_id;
	who.login = v.login;
	rc = prepare_password(db, v.account_id, v.login, v.name, NULL,
	    password, true, &np, msg, msglen);
	if (rc != AUTH_OK)
		goto out;
	if ((rc = db_begin(db)) != DB_OK) {
		rc = AUTH_UNAVAIL;
		goto out;
	}
	rc = write_password(db, v.account_id, &np, now);
	if (rc == 0) {
		iso(now, t_now);
		secret_token_hash(token, hash);
		st = db_stmt(db, DBM_AUTH, AUTH_SQL_ACT_USE);
		db_bind_blob(st, 1, hash, sizeof(hash));
		db_bind_text(st, 2, t_now);
		rc = db_exec(st);
		if (rc == 0 && db_changes(db) != 1)
			rc = AUTH_GONE;	/* used by a racing request */
	}
	if (rc == 0)
		rc = drop_other_sessions(db, v.account_id, NULL);
	if (rc == 0)
		rc = audit_write(db, &who, "account.activate", "account",
		    v.account_id, true, NULL);
	if (db_end(db, rc) != 0 && rc == 0)
		rc = AUTH_UNAVAIL;
	if (rc < 0 && rc != AUTH_POLICY && rc != AUTH_GONE && rc != AUTH_BUSY)
		rc = AUTH_UNAVAIL;
out:
	arena_release(&a);
	return rc;
}

int
auth_set_password(struct db *db, int64_t id, const char *pw, bool check,
    const struct audit_actor *who, int64_t now, char *msg, size_t msglen)
{
	struct arena	 a;
	struct newpw	 np;
	const char	*login, *pwh, *name;
	int		 rc;

	arena_init(&a);
	if ((rc = load_account(db, id, &a, &login, &pwh, &name)) != 0)
		goto out;
	rc = prepare_password(db, id, login, name, NULL, pw, check, &np, msg,
	    msglen);
	if (rc != AUTH_OK)
		goto out;
	if ((rc = db_begin(db)) != DB_OK) {
		rc = AUTH_UNAVAIL;
		goto out;
	}
	rc = write_password(db, id, &np, now);
	if (rc == 0)
		rc = drop_other_sessions(db, id, NULL);
	if (rc == 0)
		rc = audit_write(db, who, "account.password", "account", id,
		    true, NULL);
	if (db_end(db, rc) != 0 && rc == 0)
		rc = AUTH_UNAVAIL;
out:
	arena_release(&a);
	return rc;
}

int
auth_sweep(struct db *db, int64_t now)
{
	struct policy	 pol;
	struct db_stmt	*st;
	char		 idle[TIME_ISO_LEN], abs[TIME_ISO_LEN], old[TIME_ISO_LEN];
	int		 rc;

	policy_get(db, &pol);
	iso(now - (int64_t)pol.idle_min * 60000, idle);
	iso(now - (int64_t)pol.absolute_h * 3600000, abs);
	iso(now - 30LL * 86400000, old);
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	st = db_stmt(db, DBM_AUTH, AUTH_SQL_SWEEP_SESSIONS);
	db_bind_text(st, 1, idle);
	db_bind_text(st, 2, abs);
	rc = db_exec(st);
	if (rc == 0) {
		st = db_stmt(db, DBM_AUTH, AUTH_SQL_SWEEP_THROTTLE);
		db_bind_int64(st, 1, now / 60000 - 1);
		rc = db_exec(st);
	}
	if (rc == 0) {
		st = db_stmt(db, DBM_AUTH, AUTH_SQL_SWEEP_ACT);
		db_bind_text(st, 1, old);
		rc = db_exec(st);
	}
	if ((rc = db_end(db, rc)) != DB_OK)
		return rc;
	return account_sweep_stale(db, now) < 0 ? DB_ERROR : DB_OK;
}

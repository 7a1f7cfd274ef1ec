/* policy.c: security settings stored in the setting table. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "auth/policy.h"
#include "base/jsonmem.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"

enum setting_sql { SETTING_SQL_GET, SETTING_SQL_PUT, SETTING_SQL__MAX };

static const char *const setting_sql[SETTING_SQL__MAX] = {
	[SETTING_SQL_GET] = "SELECT value FROM setting WHERE key = ?1",
	[SETTING_SQL_PUT] =
	    "INSERT INTO setting (key, value, updated_at) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
	    " updated_at = excluded.updated_at",
};

const struct db_sqltab setting_sqltab = { "setting", setting_sql,
    SETTING_SQL__MAX };

/* Name, offset, bounds: one table drives JSON, checks and defaults. */
static const struct {
	const char	*key;
	size_t		 off;
	int		 def, min, max;
} knobs[] = {
	{ "idle_min", offsetof(struct policy, idle_min), 30, 1, 240 },
	{ "absolute_h", offsetof(struct policy, absolute_h), 12, 1, 72 },
	{ "lock_failures", offsetof(struct policy, lock_failures), 5, 3, 20 },
	{ "lock_min", offsetof(struct policy, lock_min), 30, 1, 1440 },
	{ "login_rate", offsetof(struct policy, login_rate), 30, 1, 100000 },
	{ "activation_h", offsetof(struct policy, activation_h), 24, 1, 168 },
	{ "pw_min_len", offsetof(struct policy, pw_min_len), 12, 8, 64 },
	{ "pw_min_classes", offsetof(struct policy, pw_min_classes), 3, 1, 4 },
	{ "pw_max_age_days", offsetof(struct policy, pw_max_age_days), 90, 0,
	    365 },
	{ "reauth_min", offsetof(struct policy, reauth_min), 5, 1, 60 },
	{ "inactive_days", offsetof(struct policy, inactive_days), 90, 0, 730 },
};

#define KNOB(p, i)	(*(int *)(void *)((char *)(p) + knobs[i].off))
#define CACHE_MS	5000

static pthread_mutex_t	 cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct policy	 cache;
static int64_t		 cache_at;
static int		 cache_valid;

void
policy_defaults(struct policy *p)
{
	size_t	 i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		KNOB(p, i) = knobs[i].def;
}

void
policy_env_overrides(struct policy *p)
{
	const char	*v;
	int64_t		 n;

	/* Test servers sign in many times from one address. */
	v = getenv("XIANGZHI_LOGIN_RATE");
	if (v != NULL && str_to_int64(v, 1, 100000, &n) == 0)
		p->login_rate = (int)n;
	v = getenv("XIANGZHI_IDLE_MIN");
	if (v != NULL && str_to_int64(v, 1, 240, &n) == 0)
		p->idle_min = (int)n;
	/* Test servers jump their clocks by months. */
	v = getenv("XIANGZHI_INACTIVE_DAYS");
	if (v != NULL && str_to_int64(v, 0, 730, &n) == 0)
		p->inactive_days = (int)n;
}

json_t *
policy_to_json(const struct policy *p)
{
	json_t	*o = json_object();
	size_t	 i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		json_object_set_new(o, knobs[i].key,
		    json_integer(KNOB(p, i)));
	return o;
}

int
policy_from_json(json_t *o, struct policy *p, const char **badkey)
{
	json_t	*v;
	size_t	 i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		v = json_object_get(o, knobs[i].key);
		if (v == NULL)
			continue;
		if (!json_is_integer(v) ||
		    json_integer_value(v) < knobs[i].min ||
		    json_integer_value(v) > knobs[i].max) {
			*badkey = knobs[i].key;
			return -1;
		}
		KNOB(p, i) = (int)json_integer_value(v);
	}
	return 0;
}

static void
load(struct db *db, struct policy *p)
{
	struct db_stmt	*st;
	json_t		*o;
	const char	*bad;

	policy_defaults(p);
	st = db_stmt(db, DBM_SETTING, SETTING_SQL_GET);
	db_bind_text(st, 1, "policy");
	if (db_step(st) == DB_ROW) {
		o = json_loads(db_col_text(st, 0), 0, NULL);
		if (o == NULL || policy_from_json(o, p, &bad) != 0)
			log_warn("stored policy is invalid; using defaults");
		json_decref(o);
	}
	db_reset(st);
}

void
policy_get(struct db *db, struct policy *p)
{
	int64_t	 now = time_mono_ms();

	pthread_mutex_lock(&cache_lock);
	if (!cache_valid || now - cache_at > CACHE_MS) {
		load(db, &cache);
		policy_env_overrides(&cache);
		cache_at = now;
		cache_valid = 1;
	}
	*p = cache;
	pthread_mutex_unlock(&cache_lock);
}

void
policy_flush(void)
{
	pthread_mutex_lock(&cache_lock);
	cache_valid = 0;
	pthread_mutex_unlock(&cache_lock);
}

int
policy_store(struct db *db, const struct policy *p)
{
	struct db_stmt	*st;
	json_t		*o = policy_to_json(p);
	char		*s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	char		 now[TIME_ISO_LEN];
	int		 rc;

	time_iso_utc(time_now_ms(), now);
	st = db_stmt(db, DBM_SETTING, SETTING_SQL_PUT);
	db_bind_text(st, 1, "policy");
	db_bind_text(st, 2, s);
	db_bind_text(st, 3, now);
	rc = db_exec(st);
	jsonmem_free(s);
	json_decref(o);
	policy_flush();
	return rc;
}

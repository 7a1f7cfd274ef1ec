/* policy.h: the security policy a security admin sets, cached briefly. */
#ifndef XZ_POLICY_H
#define XZ_POLICY_H

#include <jansson.h>

#include "db/sqltab.h"

struct db;
struct audit_actor;

/*
 * Defaults follow 等保 2.0 where it and OWASP ASVS disagree: 3 character
 * classes and a 90-day password lifetime (ASVS would have neither);
 * docs/operations.md explains how to choose.
 */
struct policy {
	int	 idle_min;		/* session idle timeout, 30 */
	int	 absolute_h;		/* absolute session lifetime, 12 */
	int	 lock_failures;		/* failures before lockout, 5 */
	int	 lock_min;		/* lockout length, 30 */
	int	 login_rate;		/* sign-ins per address per minute, 30 */
	int	 activation_h;		/* activation link lifetime, 24 */
	int	 pw_min_len;		/* 12 */
	int	 pw_min_classes;	/* 3 */
	int	 pw_max_age_days;	/* 90; 0 = never forced */
	int	 reauth_min;		/* recent sign-in for sensitive views, 5 */
	int	 inactive_days;		/* disable accounts unused this long, 90; 0 = never */
};

/* Compile-time defaults. */
void	 policy_defaults(struct policy *);
/* The current policy (cached for a few seconds; defaults if unset). */
void	 policy_get(struct db *, struct policy *);
/* Forget the cache (after a change, and in tests). */
void	 policy_flush(void);
/* As a JSON object, and back (with range checks); -1 names the bad key. */
json_t	*policy_to_json(const struct policy *);
int	 policy_from_json(json_t *, struct policy *, const char **badkey);
/* Store the policy in the caller's transaction. */
int	 policy_store(struct db *, const struct policy *);

/* Environment overrides for tests: XIANGZHI_LOGIN_RATE etc. */
void	 policy_env_overrides(struct policy *);

extern const struct db_sqltab setting_sqltab;

#endif

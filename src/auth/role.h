/* role.h: roles as bits, their names and Chinese labels. */
#ifndef XZ_ROLE_H
#define XZ_ROLE_H

#include <stdbool.h>

#include "base/buf.h"

/* The bit values are stored in account.roles; never renumber them. */
enum role {
	ROLE_LEADER = 1 << 0,		/* 主要领导 */
	ROLE_MEMBER = 1 << 1,		/* 班子成员 */
	ROLE_STAFF = 1 << 2,		/* 站所干部 */
	ROLE_VILLAGE = 1 << 3,		/* 村组干部, scoped to one village */
	ROLE_CLEANER = 1 << 4,		/* 保洁员 */
	ROLE_INSPECTOR = 1 << 5,	/* 纪检 */
	ROLE_SYSADMIN = 1 << 6,		/* 系统管理员 */
	ROLE_SECADMIN = 1 << 7,		/* 安全管理员 */
	ROLE_AUDITOR = 1 << 8		/* 审计管理员 */
};

#define ROLE_COUNT	9
#define ROLE_ADMINS	(ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR)
#define ROLE_BUSINESS	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | \
			 ROLE_VILLAGE | ROLE_CLEANER | ROLE_INSPECTOR)
/* Cadres who read and keep the township's ledgers. */
#define ROLE_CADRES	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | \
			 ROLE_VILLAGE | ROLE_INSPECTOR)
#define ROLE_ANY	(ROLE_BUSINESS | ROLE_ADMINS)
/*
 * Routes any signed-in account may use, even one whose roles the security
 * admin has not granted yet: home, sign-out, own password.  Never stored.
 */
#define ROLE_SIGNED	(1u << 31)

const char	*role_name(unsigned bit);	/* "leader" */
const char	*role_label(unsigned bit);	/* "主要领导" */
/* Parse one role name; 0 if unknown. */
unsigned	 role_parse(const char *);
/* "leader,staff" into b. */
void		 role_names(unsigned roles, struct buf *b);
/* "主要领导、站所干部" into b. */
void		 role_labels(unsigned roles, struct buf *b);
/*
 * True if "roles" is a set an account may hold: at least one role, and an
 * admin role only alone (三权分立).
 */
bool		 role_valid_set(unsigned roles);

#endif

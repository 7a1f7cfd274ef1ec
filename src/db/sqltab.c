/* sqltab.c: every module's statement table, indexed by enum db_module. */
#include "audit/audit.h"
#include "auth/account.h"
#include "auth/auth.h"
#include "auth/policy.h"
#include "community/community_db.h"
#include "db/migrate.h"
#include "db/sqltab.h"
#include "enterprise/enterprise_db.h"
#include "matter/calendar_db.h"
#include "matter/matter_db.h"
#include "org/org.h"
#include "petition/roster_db.h"
#include "petition/weekly_db.h"
#include "rating/rating_db.h"
#include "visit/visit_db.h"
#include "window/window_db.h"

const struct db_sqltab *const db_sqltabs[DBM__MAX] = {
	[DBM_MIGRATE] = &migrate_sqltab,
	[DBM_AUTH] = &auth_sqltab,
	[DBM_AUDIT] = &audit_sqltab,
	[DBM_ORG] = &org_sqltab,
	[DBM_SETTING] = &setting_sqltab,
	[DBM_ACCOUNT] = &account_sqltab,
	[DBM_MATTER] = &matter_sqltab,
	[DBM_ROSTER] = &roster_sqltab,
	[DBM_CALENDAR] = &calendar_sqltab,
	[DBM_WEEKLY] = &weekly_sqltab,
	[DBM_VISIT] = &visit_sqltab,
	[DBM_ENTERPRISE] = &enterprise_sqltab,
	[DBM_COMMUNITY] = &community_sqltab,
	[DBM_RATING] = &rating_sqltab,
	[DBM_WINDOW] = &window_sqltab,
};

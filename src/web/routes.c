/* routes.c: every route, in one table (cgit cmds[], kcgi pages[]). */

/*
 * Each row serves a page and its JSON twin; "roles" says who may call it
 * (0: the public) and "scope" what data it sees.  The first matching row
 * wins.
 */
#include "audit/audit_web.h"
#include "auth/account_web.h"
#include "auth/auth_web.h"
#include "auth/role.h"
#include "enterprise/enterprise_web.h"
#include "community/community_web.h"
#include "matter/calendar_web.h"
#include "matter/matter_web.h"
#include "org/org_web.h"
#include "petition/petition_web.h"
#include "petition/roster_web.h"
#include "petition/weekly_web.h"
#include "rating/rating_web.h"
#include "visit/visit_web.h"
#include "window/window_web.h"
#include "web/pages.h"
#include "web/routes.h"

#define GET	HTTP_GET
#define POST	HTTP_POST
#define PATCH	HTTP_PATCH
#define DELETE	HTTP_DELETE
#define PUT	HTTP_PUT

/* Who may read the people and organisation ledgers. */
#define R_READ	(ROLE_CADRES | ROLE_SYSADMIN)
#define R_EDIT	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | ROLE_VILLAGE)
#define R_ORG	(ROLE_LEADER | ROLE_SYSADMIN)
#define R_POST	(ROLE_LEADER | ROLE_MEMBER | ROLE_SYSADMIN)
#define R_ADMIN	(ROLE_SYSADMIN | ROLE_SECADMIN)
/* Who keeps and reads the ledgers, and who registers petitions. */
#define R_LEDGER	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | ROLE_VILLAGE | \
			 ROLE_INSPECTOR)
#define R_REGISTER	(ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | ROLE_VILLAGE)
/* Who submits the weekly ledger: villages and stations. */
#define R_SUBMIT	(ROLE_STAFF | ROLE_VILLAGE)

const struct route routes[] = {
/* method page path             method API path                         handler              template          title          roles       scope           flags */
{ GET,  "/healthz",             GET,  NULL,                             health_check,        NULL,             NULL,          0,          SCOPE_PUBLIC,   0 },
{ GET,  "/metrics",             GET,  NULL,                             metrics_page,        NULL,             NULL,          0,          SCOPE_PUBLIC,   0 },

/* Sign-in, sessions, passwords, activation. */
{ GET,  "/login",               GET,  NULL,                             auth_login_form,     "login",          "登录",        0,          SCOPE_PUBLIC,   0 },
{ POST, "/login",               POST, "/api/v1/session",                auth_login,          NULL,             "登录",        0,          SCOPE_PUBLIC,   0 },
{ POST, "/logout",              DELETE, "/api/v1/session",              auth_logout,         NULL,             NULL,          ROLE_SIGNED, SCOPE_OWN,      ROUTE_ANY_STATE },
{ 0,    NULL,                   POST, "/api/v1/session/reauth",         auth_reauth_post,    NULL,             NULL,          ROLE_SIGNED, SCOPE_OWN,      0 },
{ 0,    NULL,                   GET,  "/api/v1/me",                     auth_me,             NULL,             NULL,          ROLE_SIGNED, SCOPE_OWN,      ROUTE_ANY_STATE },
{ GET,  "/password",            GET,  NULL,                             auth_password_form,  "password",       "修改密码",    ROLE_SIGNED, SCOPE_OWN,      ROUTE_ANY_STATE },
{ POST, "/password",            POST, "/api/v1/me/password",            auth_password,       NULL,             "修改密码",    ROLE_SIGNED, SCOPE_OWN,      ROUTE_ANY_STATE },
{ GET,  "/activate/:token",     GET,  NULL,                             auth_activate_form,  "activate",       "激活账号",    0,          SCOPE_PUBLIC,   0 },
{ POST, "/activate/:token",     POST, "/api/v1/activate/:token",        auth_activate_post,  NULL,             "激活账号",    0,          SCOPE_PUBLIC,   0 },

/* Home. */
{ GET,  "/",                    GET,  "/api/v1/home",                   home_page,           "home",           "首页",        ROLE_SIGNED, SCOPE_OWN,      0 },

/* Organisation. */
{ 0,    NULL,                   GET,  "/api/v1/townships",              org_townships,       NULL,             NULL,          R_READ,     SCOPE_TOWNSHIP, 0 },
{ GET,  "/units",               GET,  "/api/v1/units",                  unit_list,           "units",          "站所",        R_READ,     SCOPE_TOWNSHIP, ROUTE_CACHE },
{ GET,  "/units/new",           GET,  NULL,                             unit_form,           "unit_form",      "新增站所",    R_ORG,      SCOPE_TOWNSHIP, 0 },
{ POST, "/units/new",           POST, "/api/v1/units",                  unit_save,           NULL,             "新增站所",    R_ORG,      SCOPE_TOWNSHIP, 0 },
{ GET,  "/units/:id",           GET,  "/api/v1/units/:id",              unit_show,           "unit",           "站所详情",    R_READ,     SCOPE_TOWNSHIP, ROUTE_CACHE },
{ GET,  "/units/:id/edit",      GET,  NULL,                             unit_form,           "unit_form",      "修改站所",    R_ORG,      SCOPE_TOWNSHIP, 0 },
{ POST, "/units/:id/edit",      PATCH, "/api/v1/units/:id",             unit_save,           NULL,             "修改站所",    R_ORG,      SCOPE_TOWNSHIP, 0 },
{ GET,  "/villages",            GET,  "/api/v1/villages",               village_list,        "villages",       "村组",        R_READ,     SCOPE_VILLAGE,  ROUTE_CACHE },
{ GET,  "/villages/new",        GET,  NULL,                             village_form,        "village_form",   "新增村",      R_ORG,      SCOPE_TOWNSHIP, 0 },
{ POST, "/villages/new",        POST, "/api/v1/villages",               village_save,        NULL,             "新增村",      R_ORG,      SCOPE_TOWNSHIP, 0 },
{ GET,  "/villages/:id",        GET,  "/api/v1/villages/:id",           village_show,        "village",        "村组详情",    R_READ,     SCOPE_VILLAGE,  ROUTE_CACHE },
{ POST, "/villages/:id",        POST, "/api/v1/villages/:id/groups",    group_add,           NULL,             "村组详情",    R_ORG,      SCOPE_TOWNSHIP, 0 },
{ GET,  "/villages/:id/groups/:gid/edit", GET, NULL,                      group_form,          "group_form",     "修改村民小组", R_ORG,     SCOPE_TOWNSHIP, 0 },
{ POST, "/villages/:id/groups/:gid/edit", PATCH, "/api/v1/villages/:id/groups/:gid", group_save, NULL,         "修改村民小组", R_ORG,     SCOPE_TOWNSHIP, 0 },
{ GET,  "/villages/:id/edit",   GET,  NULL,                             village_form,        "village_form",   "修改村",      R_ORG,      SCOPE_TOWNSHIP, 0 },
{ POST, "/villages/:id/edit",   PATCH, "/api/v1/villages/:id",          village_save,        NULL,             "修改村",      R_ORG,      SCOPE_TOWNSHIP, 0 },

/* People and posts. */
{ GET,  "/people",              GET,  "/api/v1/people",                 person_list,         "people",         "人员",        R_READ,     SCOPE_VILLAGE,  ROUTE_CACHE },
{ GET,  "/people/new",          GET,  NULL,                             person_form,         "person_form",    "登记人员",    R_EDIT,     SCOPE_VILLAGE,  0 },
{ POST, "/people/new",          POST, "/api/v1/people",                 person_save,         NULL,             "登记人员",    R_EDIT,     SCOPE_VILLAGE,  0 },
{ GET,  "/people/:id",          GET,  "/api/v1/people/:id",             person_show,         "person",         "人员信息",    R_READ,     SCOPE_VILLAGE,  ROUTE_CACHE },
{ POST, "/people/:id",          POST, "/api/v1/people/:id/posts",       post_add,            NULL,             "人员信息",    R_POST,     SCOPE_TOWNSHIP, 0 },
{ GET,  "/people/:id/edit",     GET,  NULL,                             person_form,         "person_form",    "修改人员信息", R_EDIT,    SCOPE_VILLAGE,  0 },
{ POST, "/people/:id/edit",     PATCH, "/api/v1/people/:id",            person_save,         NULL,             "修改人员信息", R_EDIT,    SCOPE_VILLAGE,  0 },
{ GET,  "/people/:id/contact",  GET,  NULL,                             person_contact_form, "person_contact", "查看完整信息", R_EDIT,    SCOPE_VILLAGE,  0 },
{ POST, "/people/:id/contact",  GET,  "/api/v1/people/:id/contact",     person_contact,      "person_contact", "查看完整信息", R_EDIT,    SCOPE_VILLAGE,  ROUTE_REAUTH },
{ POST, "/posts/:id/end",       POST, "/api/v1/posts/:id/end",          post_end,            NULL,             NULL,          R_POST,     SCOPE_TOWNSHIP, 0 },

/* The ledger engine and petitions. */
{ GET,  "/matters",             GET,  "/api/v1/matters",                matter_list_page,    "matters",        "台账",        R_LEDGER,   SCOPE_VILLAGE,  ROUTE_CACHE },
{ GET,  "/matters.xlsx",        GET,  NULL,                             matter_export,       NULL,             NULL,          R_LEDGER,   SCOPE_VILLAGE,  0 },
{ GET,  "/petitions/new",       GET,  NULL,                             petition_form,       "petition_form",  "信访登记",    R_REGISTER, SCOPE_VILLAGE,  0 },
{ POST, "/petitions/new",       POST, "/api/v1/matters",                petition_create,     NULL,             "信访登记",    R_REGISTER, SCOPE_VILLAGE,  ROUTE_UPLOAD },
{ GET,  "/matters/:id",         GET,  "/api/v1/matters/:id",            matter_show,         "matter",         "事项详情",    R_LEDGER,   SCOPE_VILLAGE,  ROUTE_CACHE },
{ POST, "/matters/:id",         POST, "/api/v1/matters/:id/attachments", matter_post,        NULL,             "事项详情",    R_LEDGER,   SCOPE_VILLAGE,  ROUTE_UPLOAD },
{ 0,    NULL,                   POST, "/api/v1/matters/:id/:action",    matter_post,         NULL,             NULL,          R_LEDGER,   SCOPE_VILLAGE,  0 },
{ GET,  "/petitions/print",     GET,  NULL,                             matter_print_blank,  "matter_print",   "接访下访登记表", R_LEDGER, SCOPE_TOWNSHIP, 0 },
{ GET,  "/matters/:id/print",   GET,  NULL,                             matter_print,        "matter_print",   "接访下访登记表", R_LEDGER, SCOPE_VILLAGE,  0 },
{ GET,  "/attachments/:id",     GET,  "/api/v1/attachments/:id",        attachment_get,      NULL,             NULL,          R_LEDGER,   SCOPE_VILLAGE,  0 },

/* The weekly ledger: villages and stations submit by Friday 12:00. */
{ GET,  "/weekly",              GET,  "/api/v1/weekly",                 weekly_page,         "weekly",         "每周报送",    R_LEDGER,   SCOPE_VILLAGE,  0 },
{ POST, "/weekly",              POST, "/api/v1/weekly",                 weekly_post,         NULL,             "每周报送",    R_SUBMIT,   SCOPE_VILLAGE,  0 },
{ GET,  "/weekly/:id.xlsx",     GET,  NULL,                             weekly_export,       NULL,             NULL,          R_LEDGER,   SCOPE_VILLAGE,  0 },
{ GET,  "/weekly/:id",          GET,  "/api/v1/weekly/:id",             weekly_show,         "weekly_snapshot", "周报台账",    R_LEDGER,   SCOPE_VILLAGE,  0 },
{ 0,    NULL,                   GET,  "/api/v1/calendar/due",           calendar_due,        NULL,             NULL,          ROLE_ANY,   SCOPE_TOWNSHIP, 0 },

/* The reception duty roster (接访活动安排表): public, kept by the leaders. */
{ GET,  "/roster",              GET,  "/api/v1/roster",                 roster_page,         "roster_public",  "领导接访安排", 0,          SCOPE_PUBLIC,   0 },
{ GET,  "/roster/manage",       GET,  NULL,                             roster_manage,       "roster",         "接访活动安排表", ROSTER_READ, SCOPE_TOWNSHIP, 0 },
{ GET,  "/roster/print",        GET,  NULL,                             roster_print,        "roster_print",   "领导干部接访下访活动安排表", ROSTER_READ, SCOPE_TOWNSHIP, 0 },
{ GET,  "/roster/new",          GET,  NULL,                             roster_form,         "roster_form",    "新增接访安排", ROSTER_EDIT, SCOPE_TOWNSHIP, 0 },
{ POST, "/roster/new",          POST, "/api/v1/roster",                 roster_submit,       NULL,             "新增接访安排", ROSTER_EDIT, SCOPE_TOWNSHIP, 0 },
{ 0,    NULL,                   GET,  "/api/v1/roster/:id",             roster_show,         NULL,             NULL,          ROSTER_READ, SCOPE_TOWNSHIP, 0 },
{ GET,  "/roster/:id/edit",     GET,  NULL,                             roster_form,         "roster_form",    "修改接访安排", ROSTER_EDIT, SCOPE_TOWNSHIP, 0 },
{ POST, "/roster/:id/edit",     PATCH, "/api/v1/roster/:id",            roster_submit,       NULL,             "修改接访安排", ROSTER_EDIT, SCOPE_TOWNSHIP, 0 },
{ POST, "/roster/:id/delete",   DELETE, "/api/v1/roster/:id",           roster_remove,       NULL,             NULL,          ROSTER_EDIT, SCOPE_TOWNSHIP, 0 },

/* The holiday calendar (system admin): special days and each year's status. */
{ GET,  "/calendar",            GET,  "/api/v1/calendar",               calendar_page,       "calendar",       "节假日日历",  ROLE_SYSADMIN, SCOPE_TOWNSHIP, 0 },
{ POST, "/calendar",            POST, "/api/v1/calendar/:day",          calendar_post,       NULL,             "节假日日历",  ROLE_SYSADMIN, SCOPE_TOWNSHIP, 0 },
{ 0,    NULL,                   PUT,  "/api/v1/calendar/:day",          calendar_post,       NULL,             NULL,          ROLE_SYSADMIN, SCOPE_TOWNSHIP, 0 },
{ 0,    NULL,                   DELETE, "/api/v1/calendar/:day",        calendar_remove,     NULL,             NULL,          ROLE_SYSADMIN, SCOPE_TOWNSHIP, 0 },
{ 0,    NULL,                   PUT,  "/api/v1/calendar/years/:year",   calendar_year_put,   NULL,             NULL,          ROLE_SYSADMIN, SCOPE_TOWNSHIP, 0 },

/* Household visits (村组干部走访登记表): village cadres log their own village's. */
{ GET,  "/visits",              GET,  "/api/v1/visits",                 visit_list_page,     "visits",         "入户走访",    R_LEDGER,   SCOPE_VILLAGE,  ROUTE_CACHE },
{ GET,  "/visits/new",          GET,  NULL,                             visit_form,          "visit_form",     "走访登记",    ROLE_VILLAGE, SCOPE_VILLAGE, 0 },
{ POST, "/visits/new",          POST, "/api/v1/visits",                 visit_create_post,   NULL,             "走访登记",    ROLE_VILLAGE, SCOPE_VILLAGE, 0 },
{ GET,  "/visits/coverage",     GET,  "/api/v1/visits/coverage",        visit_coverage_page, "coverage",       "走访覆盖",    R_LEDGER,   SCOPE_VILLAGE,  ROUTE_CACHE },
{ POST, "/visits/coverage",     PATCH, "/api/v1/visits/round",          visit_round_save,    NULL,             "走访覆盖",    ROLE_LEADER, SCOPE_TOWNSHIP, 0 },
{ GET,  "/visits/print",        GET,  NULL,                             visit_print,         "visit_print",    "村组干部走访登记表", R_LEDGER, SCOPE_VILLAGE, 0 },
{ GET,  "/visits/:id",          GET,  "/api/v1/visits/:id",             visit_show,          "visit",          "走访记录",    R_LEDGER,   SCOPE_VILLAGE,  ROUTE_CACHE },

/* Enterprises and their patrons (干部进企业): village cadres see their village's. */
{ GET,  "/enterprises",         GET,  "/api/v1/enterprises",            enterprise_list_page, "enterprises",   "企业包抓",    ENT_READ,   SCOPE_VILLAGE,  ROUTE_CACHE },
{ GET,  "/enterprises/new",     GET,  NULL,                             enterprise_form,     "enterprise_form", "登记企业",   ENT_EDIT,   SCOPE_VILLAGE,  0 },
{ POST, "/enterprises/new",     POST, "/api/v1/enterprises",            enterprise_create,   NULL,             "登记企业",    ENT_EDIT,   SCOPE_VILLAGE,  0 },
{ GET,  "/enterprises/import",  GET,  NULL,                             enterprise_import_form, "enterprise_import", "导入责任清单", ENT_IMPORT, SCOPE_TOWNSHIP, 0 },
{ POST, "/enterprises/import",  POST, "/api/v1/enterprises/import",     enterprise_import_post, NULL,          "导入责任清单", ENT_IMPORT, SCOPE_TOWNSHIP, ROUTE_UPLOAD },
{ GET,  "/enterprises/report",  GET,  "/api/v1/enterprises/report",     enterprise_report_page, "enterprise_report", "包抓干部月报", ENT_REPORT, SCOPE_TOWNSHIP, 0 },
{ GET,  "/enterprises/spotcheck", GET, "/api/v1/enterprises/spotcheck", enterprise_spotcheck_page, "enterprise_spotcheck", "满意度抽查", ENT_REPORT, SCOPE_TOWNSHIP, 0 },
{ POST, "/enterprises/spotcheck", POST, "/api/v1/enterprises/spotcheck", enterprise_spotcheck_post, NULL,      "满意度抽查",  ENT_REPORT, SCOPE_TOWNSHIP, 0 },
{ GET,  "/enterprises/links",   GET,  NULL,                             enterprise_links_page, "enterprise_links", "每月满意度测评", ENT_IMPORT, SCOPE_TOWNSHIP, 0 },
{ POST, "/enterprises/links",   POST, "/api/v1/enterprises/links",      enterprise_links_post, NULL,           "每月满意度测评", ENT_IMPORT, SCOPE_TOWNSHIP, 0 },
{ POST, "/enterprises/:id/link", POST, "/api/v1/enterprises/:id/link",  enterprise_link_post, "rating_link",   "评价链接",    ENT_IMPORT, SCOPE_TOWNSHIP, 0 },
{ GET,  "/enterprises/:id/edit", GET, NULL,                             enterprise_form,     "enterprise_form", "修改企业",   ENT_EDIT,   SCOPE_VILLAGE,  0 },
{ POST, "/enterprises/:id/edit", PATCH, "/api/v1/enterprises/:id",      enterprise_create,   NULL,             "修改企业",    ENT_EDIT,   SCOPE_VILLAGE,  0 },
{ GET,  "/enterprises/:id",     GET,  "/api/v1/enterprises/:id",        enterprise_show,     "enterprise",     "企业详情",    ENT_READ,   SCOPE_VILLAGE,  ROUTE_CACHE },
{ POST, "/enterprises/:id",     POST, "/api/v1/enterprises/:id/patrons", enterprise_post,    NULL,             "企业详情",    ENT_EDIT,   SCOPE_VILLAGE,  0 },
{ 0,    NULL,                   POST, "/api/v1/enterprises/:id/visits", enterprise_visit_post, NULL,           NULL,          ENT_EDIT,   SCOPE_VILLAGE,  0 },
{ 0,    NULL,                   POST, "/api/v1/enterprises/:id/problems", enterprise_problem_post, NULL,       NULL,          ENT_EDIT,   SCOPE_VILLAGE,  0 },
/* 进社区: cadres' registration (报到), monthly rating links (the rating core), the negative list. */
{ GET,  "/community",           GET,  "/api/v1/community",              community_page,      "community",      "进社区 · 干部报到", CM_READ, SCOPE_TOWNSHIP, 0 },
{ POST, "/community",           POST, "/api/v1/community/registrations", community_register, NULL,             "进社区 · 干部报到", CM_EDIT, SCOPE_TOWNSHIP, 0 },
{ GET,  "/community/rate",      GET,  NULL,                             community_rate_form, "community_rate", "社区满意度测评", CM_EDIT,  SCOPE_TOWNSHIP, 0 },
{ POST, "/community/rate",      POST, "/api/v1/community/links",        community_rate,      "rating_link",    "社区满意度测评链接", CM_EDIT, SCOPE_TOWNSHIP, 0 },
{ GET,  "/community/negative.xlsx", GET, NULL,                           community_negative_xlsx, NULL,         NULL,          CM_READ,    SCOPE_TOWNSHIP, 0 },
{ GET,  "/community/negative",  GET,  "/api/v1/community/negative",     community_negative,  "negative_list",  "负面清单",    CM_READ,    SCOPE_TOWNSHIP, 0 },
{ GET,  "/community/cadres/:id", GET, "/api/v1/community/cadres/:id",   community_cadre,     "community_cadre", "干部进社区情况", CM_READ, SCOPE_TOWNSHIP, 0 },

/* 进农户: 三类户 and care recipients paired with cadres, their contacts. */
{ GET,  "/care",                GET,  "/api/v1/care",                   care_list_page,      "care_list",      "进农户 · 关爱对象", CA_READ, SCOPE_VILLAGE, 0 },
{ GET,  "/care/new",            GET,  NULL,                             care_form,           "care_form",      "登记监测户或关爱对象", CA_EDIT, SCOPE_VILLAGE, 0 },
{ POST, "/care/new",            POST, "/api/v1/care",                   care_create,         NULL,             "登记监测户或关爱对象", CA_EDIT, SCOPE_VILLAGE, 0 },
{ GET,  "/care/uncontacted.xlsx", GET, NULL,                            care_uncontacted_xlsx, NULL,           NULL,          CA_READ,    SCOPE_VILLAGE,  0 },
{ GET,  "/care/uncontacted",    GET,  "/api/v1/care/uncontacted",       care_uncontacted,    "care_uncontacted", "本月未联系", CA_READ,   SCOPE_VILLAGE,  0 },
{ GET,  "/care/:id",            GET,  "/api/v1/care/:id",               care_show,           "care",           "关爱对象详情", CA_READ,    SCOPE_VILLAGE,  0 },
{ POST, "/care/:id",            POST, "/api/v1/care/:id/contacts",      care_post,           NULL,             "关爱对象详情", CA_EDIT,    SCOPE_VILLAGE,  0 },
{ 0,    NULL,                   POST, "/api/v1/care/:id/pair",          care_pair_post,      NULL,             NULL,          CA_EDIT,    SCOPE_VILLAGE,  0 },
{ 0,    NULL,                   POST, "/api/v1/care/:id/end",           care_end_post,       NULL,             NULL,          CA_EDIT,    SCOPE_VILLAGE,  0 },

/* Model households (美丽庭院, 文明家庭, ...): villages nominate, leaders choose. */
{ GET,  "/models",              GET,  "/api/v1/models",                 model_page,          "models",         "示范户评选",  CA_READ,    SCOPE_VILLAGE,  0 },
{ POST, "/models",              POST, "/api/v1/models",                 model_nominate,      NULL,             "示范户评选",  CA_EDIT,    SCOPE_VILLAGE,  0 },
{ POST, "/models/:id/choose",   POST, "/api/v1/models/:id/choose",      model_choose,        NULL,             NULL,          MH_CHOOSE_ROLES, SCOPE_TOWNSHIP, 0 },
/* Ratings (好差评): public token pages; the window service. */
{ GET,  "/r/thanks",            GET,  NULL,                             rating_thanks,       "rating_thanks",  "评价已提交",  0,          SCOPE_PUBLIC,   0 },
{ GET,  "/r/:token/qr.svg",     GET,  NULL,                             rating_qr,           NULL,             NULL,          0,          SCOPE_PUBLIC,   0 },
{ GET,  "/r/:token",            GET,  "/api/v1/r/:token",               rating_page,         "rating_page",    "评价",        0,          SCOPE_PUBLIC,   0 },
{ POST, "/r/:token",            POST, "/api/v1/r/:token",               rating_post,         NULL,             "评价",        0,          SCOPE_PUBLIC,   0 },
{ 0,    NULL,                   POST, "/api/v1/ratings/:token",         rating_post,         NULL,             NULL,          0,          SCOPE_PUBLIC,   0 },
{ GET,  "/w/:code/qr.svg",      GET,  NULL,                             window_public_qr,    NULL,             NULL,          0,          SCOPE_PUBLIC,   0 },
{ GET,  "/w/:code",             GET,  "/api/v1/w/:code",                window_public,       "window_public",  "办事评价",    0,          SCOPE_PUBLIC,   0 },
{ POST, "/w/:code",             POST, "/api/v1/w/:code",                window_public_post,  NULL,             "办事评价",    0,          SCOPE_PUBLIC,   0 },
{ GET,  "/windows",             GET,  "/api/v1/windows",                window_list_page,    "windows",        "窗口服务好差评", WINDOW_READ, SCOPE_VILLAGE, 0 },
{ GET,  "/windows/stats.xlsx",  GET,  NULL,                             window_stats_export, NULL,             NULL,          WINDOW_READ, SCOPE_VILLAGE, 0 },
{ GET,  "/windows/stats",       GET,  "/api/v1/windows/stats",          window_stats_page,   "window_stats",   "窗口满意度统计", WINDOW_READ, SCOPE_VILLAGE, 0 },
{ GET,  "/windows/new",         GET,  NULL,                             window_form,         "window_form",    "新增窗口",    WINDOW_EDIT, SCOPE_VILLAGE, 0 },
{ POST, "/windows/new",         POST, "/api/v1/windows",                window_save_post,    NULL,             "新增窗口",    WINDOW_EDIT, SCOPE_VILLAGE, 0 },
{ GET,  "/windows/:id",         GET,  "/api/v1/windows/:id",            window_show,         "window",         "窗口详情",    WINDOW_READ, SCOPE_VILLAGE, 0 },
{ GET,  "/windows/:id/edit",    GET,  NULL,                             window_form,         "window_form",    "修改窗口",    WINDOW_EDIT, SCOPE_VILLAGE, 0 },
{ POST, "/windows/:id/edit",    PATCH, "/api/v1/windows/:id",           window_save_post,    NULL,             "修改窗口",    WINDOW_EDIT, SCOPE_VILLAGE, 0 },
{ GET,  "/windows/:id/poster",  GET,  NULL,                             window_poster,       "window_poster",  "窗口评价二维码", WINDOW_READ, SCOPE_VILLAGE, 0 },
{ POST, "/windows/:id/absent",  POST, "/api/v1/windows/:id/absent",     window_absent_post,  NULL,             NULL,          WINDOW_EDIT, SCOPE_VILLAGE, 0 },
{ POST, "/windows/:id/problems", POST, "/api/v1/windows/:id/problems",  window_problem_post, NULL,             "窗口详情",    WINDOW_EDIT, SCOPE_VILLAGE, 0 },
{ POST, "/windows/:id/records", POST, "/api/v1/windows/:id/records",    window_record_post,  NULL,             "窗口详情",    WINDOW_EDIT, SCOPE_VILLAGE, 0 },
{ GET,  "/records/:id",         GET,  "/api/v1/records/:id",            window_record_show,  "record",         "办件详情",    WINDOW_READ, SCOPE_VILLAGE, 0 },
{ POST, "/records/:id/link",    POST, "/api/v1/records/:id/link",       window_link_post,    "rating_link",    "评价链接",    WINDOW_EDIT, SCOPE_VILLAGE, 0 },
{ POST, "/rectify/:id/callback", POST, "/api/v1/rectify/:id/callback",  window_callback_post, "rating_link",   "回访复评",    WINDOW_EDIT, SCOPE_VILLAGE, 0 },
{ POST, "/rectify/:id/rerate",  POST, "/api/v1/rectify/:id/rerate",     window_rerate_post,  "rating_link",    "回访复评",    WINDOW_EDIT, SCOPE_VILLAGE, 0 },
{ POST, "/rectify/:id/decide",  POST, "/api/v1/rectify/:id/decide",     window_decide_post,  NULL,             NULL,          WINDOW_DECIDE, SCOPE_TOWNSHIP, 0 },

/* Accounts: the system admin manages, the security admin grants roles. */
{ GET,  "/accounts",            GET,  "/api/v1/accounts",               account_list_page,   "accounts",       "账号",        R_ADMIN,    SCOPE_TOWNSHIP, 0 },
{ GET,  "/accounts/new",        GET,  NULL,                             account_form,        "account_form",   "新建账号",    ROLE_SYSADMIN, SCOPE_TOWNSHIP, 0 },
{ POST, "/accounts/new",        POST, "/api/v1/accounts",               account_new,         NULL,             "新建账号",    ROLE_SYSADMIN, SCOPE_TOWNSHIP, 0 },
{ GET,  "/accounts/:id",        GET,  "/api/v1/accounts/:id",           account_show,        "account",        "账号详情",    R_ADMIN,    SCOPE_TOWNSHIP, 0 },
{ POST, "/accounts/:id/disable", POST, "/api/v1/accounts/:id/disable",  account_disable,     NULL,             NULL,          ROLE_SYSADMIN, SCOPE_TOWNSHIP, 0 },
{ POST, "/accounts/:id/enable", POST, "/api/v1/accounts/:id/enable",    account_enable,      NULL,             NULL,          ROLE_SYSADMIN, SCOPE_TOWNSHIP, 0 },
{ POST, "/accounts/:id/unlock", POST, "/api/v1/accounts/:id/unlock",    account_unlock_post, NULL,             NULL,          ROLE_SYSADMIN, SCOPE_TOWNSHIP, 0 },
{ POST, "/accounts/:id/reset",  POST, "/api/v1/accounts/:id/reset",     account_reset_post,  NULL,             NULL,          ROLE_SYSADMIN, SCOPE_TOWNSHIP, 0 },
{ POST, "/accounts/:id/roles",  POST, "/api/v1/accounts/:id/roles",     account_roles,       NULL,             NULL,          ROLE_SECADMIN, SCOPE_TOWNSHIP, 0 },

/* Security policy (security admin) and the audit log (audit admin). */
{ GET,  "/settings",            GET,  "/api/v1/settings",               settings_page,       "settings",       "安全策略",    ROLE_SECADMIN, SCOPE_TOWNSHIP, 0 },
{ POST, "/settings",            PATCH, "/api/v1/settings",              settings_save,       NULL,             "安全策略",    ROLE_SECADMIN, SCOPE_TOWNSHIP, 0 },
{ GET,  "/audit",               GET,  "/api/v1/audit",                  audit_page,          "audit",          "审计日志",    ROLE_AUDITOR, SCOPE_TOWNSHIP, 0 },
{ POST, "/audit/verify",        POST, "/api/v1/audit/verify",           audit_verify_post,   "audit",          "审计日志",    ROLE_AUDITOR, SCOPE_TOWNSHIP, 0 },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);

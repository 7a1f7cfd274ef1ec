/* home.c: the home page (my to-dos), health check and metrics. */
#include <string.h>

#include "auth/role.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "matter/matter_db.h"
#include "web/metrics.h"
#include "web/pages.h"
#include "web/web.h"

/* Shortcuts per role. */
static const struct {
	unsigned	 roles;
	const char	*href;
	const char	*label;
	const char	*hint;
} cards[] = {
	{ ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | ROLE_VILLAGE,
	    "/petitions/new", "信访登记", "接访下访登记表" },
	{ ROLE_CADRES, "/matters", "信访台账", "全部事项、超期和临期" },
	{ ROLE_CADRES, "/roster/manage", "接访活动安排表", "领导接访日程、公示和打印" },
	{ ROLE_CADRES, "/weekly", "每周报送", "周五12:00前报送信访台账，迟报漏报一目了然" },
	{ ROLE_VILLAGE, "/visits/new", "入户走访", "村组干部走访登记、本周覆盖" },
	{ ROLE_CADRES & ~ROLE_VILLAGE, "/visits/coverage", "走访覆盖", "各村组本周入户走访情况" },
	{ ROLE_LEADER | ROLE_MEMBER | ROLE_STAFF | ROLE_VILLAGE | ROLE_INSPECTOR,
	    "/enterprises", "企业包抓", "包抓包保、六必访、企业诉求、满意度抽查" },
	{ ROLE_CADRES, "/care/uncontacted", "进农户", "三类户和关爱对象结对联系、本月未联系、示范户评选" },
	{ ROLE_CADRES & ~ROLE_VILLAGE, "/community", "进社区", "干部报到、社区满意度测评、负面清单" },
	{ ROLE_CADRES | ROLE_SYSADMIN, "/people", "人员台账", "干部群众信息" },
	{ ROLE_CADRES | ROLE_SYSADMIN, "/villages", "村组", "村、组及村干部" },
	{ ROLE_CADRES | ROLE_SYSADMIN, "/units", "站所", "乡直单位和站所" },
	{ ROLE_SYSADMIN, "/accounts", "账号管理", "创建账号、停用、重置激活链接" },
	{ ROLE_SECADMIN, "/accounts", "角色授权", "为新账号授予角色" },
	{ ROLE_SECADMIN, "/settings", "安全策略", "密码、锁定、超时设置" },
	{ ROLE_AUDITOR, "/audit", "审计日志", "查看和校验全部操作记录" },
};

int
home_page(struct web *w)
{
	json_t	*links = json_array(), *todos = NULL;
	size_t	 i;
	int	 rc;

	for (i = 0; i < sizeof(cards) / sizeof(cards[0]); i++)
		if (web_can(w, cards[i].roles))
			json_array_append_new(links, json_pack("{ss ss ss}",
			    "href", cards[i].href, "label", cards[i].label,
			    "hint", cards[i].hint));
	/* Matters the person leads or resolves, and orders sent to them. */
	if (w->actor.person_id != 0 && (todos = matter_todos(w->db, &w->scope,
	    w->actor.person_id, date_today_cn(), &rc)) == NULL) {
		json_decref(links);
		return web_db_fail(w, rc);
	}
	if (todos == NULL)
		todos = json_pack("{s[] s[]}", "matters", "orders");
	w->model = json_pack("{so so sb}", "todos", todos, "links", links,
	    "no_roles", w->actor.roles == 0);
	return 200;
}

int
health_check(struct web *w)
{
	struct resp	*rs = w->resp;

	w->raw = true;
	rs->content_type = "text/plain; charset=utf-8";
	if (db_ping(w->db) != 0) {
		buf_lit(&rs->body, "database unavailable\n");
		return 503;
	}
	buf_lit(&rs->body, "ok\n");
	return 200;
}

static bool
loopback(const char *addr)
{
	return str_has_prefix(addr, "127.") || strcmp(addr, "::1") == 0 ||
	    str_has_prefix(addr, "::ffff:127.");
}

int
metrics_page(struct web *w)
{
	/* Counters only, but still not for the public internet. */
	if (!loopback(w->req->addr))
		return web_not_found(w);
	w->raw = true;
	w->resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	metrics_render(&w->resp->body);
	return 200;
}

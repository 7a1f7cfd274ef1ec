/* demo_window.c: windows, records and ratings of the demo, through the real paths. */
#include <string.h>

#include "auth/role.h"
#include "base/arena.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "cli/demo_window.h"
#include "db/db.h"
#include "matter/calendar.h"
#include "matter/matter_db.h"
#include "rating/rating_db.h"
#include "window/window_db.h"

/* Synthetic: what was done, by whom (a made-up name), how it was rated. */
static const struct {
	int		 window;	/* 0, 1: centre; 2: village station */
	const char	*item;
	const char	*citizen;
	int		 days_ago;
	int		 service, conduct;	/* levels; 0: not rated */
	const char	*reason;
} records[] = {
	{ 0, "城乡居民养老保险资格认证", "甲某某", 13, 5, 5, NULL },
	{ 0, "城乡居民医保缴费", "乙某某", 12, 4, 5, NULL },
	{ 0, "养老保险待遇领取", "丙某", 10, 5, 4, NULL },
	{ 0, "医保异地就医备案", "丁某某", 8, 2, 3, "runs" },
	{ 0, "灵活就业人员参保登记", "戊某", 5, 5, 5, NULL },
	{ 0, "城乡居民医保缴费", "己某某", 2, 0, 0, NULL },
	{ 1, "临时救助申请", "庚某", 11, 4, 4, NULL },
	{ 1, "残疾人两项补贴申请", "辛某某", 9, 3, 5, NULL },
	{ 1, "高龄补贴申请", "壬某", 6, 5, 5, NULL },
	{ 1, "最低生活保障申请", "癸某某", 3, 1, 2, "attitude" },
	{ 2, "开具居住证明", "子某", 7, 5, 5, NULL },
	{ 2, "代办医保缴费", "丑某某", 4, 4, 4, NULL },
	{ 2, "代办养老认证", "寅某", 1, 2, 2, "absent" },
};

static int64_t
at_day(int64_t now, int days_ago)
{
	return now - (int64_t)days_ago * 86400 * 1000;
}

int
demo_windows_write(struct db *db, const struct demo_windows *in,
    const struct audit_actor *who)
{
	const int64_t		*p = in->people;
	struct window_in	 w[3] = {
		{ "社保医保窗口", "城乡居民养老保险、医疗保险", 0, p[0], p[1], p[2] },
		{ "民政服务窗口", "低保、临时救助、残疾人补贴、高龄补贴", 0, in->leader, p[3], p[4] },
		{ "村便民服务站", "证明开具、社保医保代办", in->village, p[5], p[6], p[5] },
	};
	struct scope		 sc = { in->township_id, 0 };
	struct record_in	 r;
	struct rating_in	 ans[2];
	struct rating_bad	 bad;
	struct rating_ctx	 ctx;
	struct matter_actor	 public;
	struct calendar		*cal;
	struct arena		 a;
	char			 code[7], token[SECRET_TOKEN_LEN + 1];
	int64_t			 ids[3] = { 0, 0, 0 }, rid, now = time_now_ms(), t;
	size_t			 i;
	int			 rc = DB_OK;

	if ((cal = matter_calendar_load(db)) == NULL)
		return error("demo: cannot load the calendar");
	for (i = 0; i < 3 && rc == DB_OK; i++)
		rc = window_save(db, &sc, &w[i], who, now, &ids[i]);
	memset(&public, 0, sizeof(public));
	public.audit = *who;
	public.name = "群众评价";
	arena_init(&a);
	for (i = 0; i < sizeof(records) / sizeof(records[0]) && rc == DB_OK;
	    i++) {
		t = at_day(now, records[i].days_ago);
		r.item = records[i].item;
		r.citizen = records[i].citizen;
		r.post = records[i].days_ago == 9 ? "B" : NULL;	/* A away */
		rc = window_record_create(db, &sc, ids[records[i].window], &r,
		    who, t, &rid, code);
		if (rc != DB_OK || records[i].service == 0)
			continue;
		if ((rc = window_link(db, in->township_id, rid, who->account_id,
		    who, t, token)) != DB_OK)
			break;
		memset(ans, 0, sizeof(ans));
		ans[0].level = records[i].service;
		ans[0].reason = records[i].service <= 2 ? records[i].reason :
		    NULL;
		ans[1].level = records[i].conduct;
		ans[1].reason = records[i].conduct <= 2 ? records[i].reason :
		    NULL;
		ctx.cal = cal;
		ctx.actor = &public;
		ctx.arena = &a;
		ctx.now = t + 600 * 1000;
		ctx.today = (ctx.now + TIME_CN_OFFSET_MS) / (86400LL * 1000);
		rc = rating_submit(db, token, ans, 2, &ctx, who, NULL, &bad);
		if (rc > 0) {
			error("demo: rating %zu refused (%d)", i, rc);
			rc = DB_ERROR;
		}
	}
	arena_release(&a);
	calendar_free(cal);
	if (rc != DB_OK)
		return error("demo: cannot write the windows (%d)", rc);
	return 0;
}

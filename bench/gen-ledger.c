/* gen-ledger.c: bench tool: a county-sized petition ledger, written through the product's own functions. */

/*
 * usage: bench/gen-ledger --db PATH [--townships N] [--matters N]
 *            [--big N] [--seed N] [--from YYYY-MM-DD]
 *
 * Fills a database made by "xiangzhi init" with an invented county: N
 * townships, each with its units, villages, groups, cadres and a few
 * hundred residents, and N petitions registered from --from to today,
 * each carried through its life as far as today allows (accepted, replied,
 * called back, documents uploaded, closed; some rejected, reviewed,
 * extended, paused, supervised, marked key, and some left overdue).
 *
 * Everything goes through the functions the server calls: org_*_save,
 * matter_create (matter, petitioners, search index, counter, timeline,
 * audit), matter_apply, matter_attach and matter_set_key, so the rows are
 * exactly what the product writes, deadlines come from the real calendar
 * and the audit chain verifies.  Each day's petitions are written in one
 * transaction (matter_apply_tx, matter_attach_tx), as an import would.
 * Only the connection is relaxed: no fsync, one exclusive lock, foreign
 * keys checked afterwards (bench/ledger runs PRAGMA foreign_key_check),
 * and the search index filled in one statement at the end from the very
 * rows matter_create wrote.  A crash in the middle spoils the file, which
 * is only a cache.
 *
 * When --townships is more than 1, the last township is the "big" one
 * (--big matters, for the 100,000-row export) and the others share the
 * rest.  Each township draws from its own random stream, so township 1 of
 * a one-township run with the same number of matters is the same
 * township, matter for matter, as township 1 of the county: the bench
 * compares the two.
 *
 * Prints a summary on stdout; progress on stderr.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/role.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "db/db.h"
#include "matter/attach.h"
#include "matter/matter_db.h"
#include "org/org.h"

static const char usage_text[] =
    "usage: gen-ledger --db PATH [--key PATH] [--townships N] [--matters N]"
    " [--big N]\n"
    "                  [--seed N] [--from YYYY-MM-DD]\n";

#define MAX_VILLAGES	24
#define MAX_GROUPS	9
#define MAX_CITIZENS	700
#define MAX_STAFF	3
#define NAME_LEN	16

/* A small, fast generator; one stream per township. */
struct rng {
	uint64_t	 s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t	 x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* [0, n) */
static int
below(struct rng *r, int n)
{
	return (int)((rng_next(r) >> 33) % (uint64_t)n);
}

/* [lo, hi] */
static int
range(struct rng *r, int lo, int hi)
{
	return lo + below(r, hi - lo + 1);
}

/* True with "per10k" chances in ten thousand. */
static bool
chance(struct rng *r, int per10k)
{
	return below(r, 10000) < per10k;
}

#define PICK(r, a)	((a)[below((r), (int)(sizeof(a) / sizeof((a)[0])))])

/* Invented names: common characters, no real person meant. */
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
	"唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "田", "董", "袁", "潘",
	"蒋", "蔡", "余", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "沈",
};
static const char *const given[] = {
	"文", "建", "国", "明", "军", "福", "忠", "义", "学", "成", "海", "平",
	"东", "强", "永", "德", "志", "彦", "斌", "鹏", "宏", "林", "祥", "贵",
	"有", "山", "宝", "清", "仁", "荣", "勇", "龙", "杰", "红", "芳", "兰",
	"秀", "英", "梅", "霞", "燕", "玲", "娟", "丽", "琴", "花", "凤", "云",
};
static const char *const town_a[] = {
	"永", "和", "安", "平", "兴", "丰", "宁", "泰", "新", "清",
};
static const char *const town_b[] = {
	"川", "原", "坪", "河", "山", "桥", "泉", "店", "湾", "峰",
};
static const char *const vill_a[] = {
	"东", "西", "南", "北", "上", "下", "大", "小", "前", "后", "新", "老",
	"高", "柳", "杏", "槐", "石", "沙", "红", "白", "金", "黑", "长", "双",
};
static const char *const vill_b[] = {
	"庄", "湾", "沟", "塬", "坪", "河", "川", "岔", "台", "堡", "寨", "峪",
	"洼", "坡", "梁", "店", "铺", "营", "集", "屯",
};
static const char *const group_names[MAX_GROUPS] = {
	"一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组", "九组",
};

/* The township's leaders (包案领导) and the posts they hold. */
static const char *const leader_posts[] = {
	"党委书记", "镇长", "党委副书记", "纪委书记", "人大主席", "副镇长",
	"副镇长", "武装部长",
};
#define NLEADERS	(int)(sizeof(leader_posts) / sizeof(leader_posts[0]))

enum unit_ix {
	U_OFFICE, U_CENTRE, U_JUSTICE, U_LAND, U_FARM, U_SOCIAL, U_FINANCE,
	U_FOREST, U_WATER, U_ENV, U_BUILD, U_SAFETY, U__MAX
};
static const struct {
	const char	*name, *kind, *head;
} units[U__MAX] = {
	{ "党政综合办公室", "office", "主任" },
	{ "综治中心（信访办）", "centre", "主任" },
	{ "司法所", "station", "所长" },
	{ "自然资源所", "station", "所长" },
	{ "农业农村综合服务中心", "centre", "主任" },
	{ "社会事务服务中心", "centre", "主任" },
	{ "财政所", "station", "所长" },
	{ "林业工作站", "station", "站长" },
	{ "水利工作站", "station", "站长" },
	{ "生态环境办", "office", "主任" },
	{ "规划建设办", "office", "主任" },
	{ "应急管理办", "office", "主任" },
};

/*
 * What petitions are about: a title, what the petitioner says, what they
 * ask, the unit that answers, and how often it comes up.  The rare ones
 * give the search bench a rare term (光伏).
 */
static const struct topic {
	const char	*title;
	const char	*what[3];
	const char	*ask[2];
	int		 unit;
	int		 weight;
} topics[] = {
	{ "土地承包经营权纠纷", { "与邻户因承包地边界发生争执，多次协商未果",
	    "二轮延包时承包地面积登记有误，实际耕种面积少于证载面积",
	    "外出务工期间承包地被他人占用耕种" },
	    { "依法确认承包经营权并退还土地", "重新丈量并更正登记" },
	    U_LAND, 120 },
	{ "宅基地边界争议", { "邻居新建房屋占用自家宅基地约两米",
	    "宅基地审批手续与实际位置不符", "院墙重建时与邻户发生边界争执" },
	    { "组织实地勘界，依法处理", "责令对方拆除越界部分" },
	    U_LAND, 90 },
	{ "拖欠农民工工资", { "在县城某建筑工地务工，工程完工后工资迟迟未结清",
	    "劳务队负责人以工程款未到位为由拖欠工资",
	    "在外地工地务工期间的工资至今未付" },
	    { "督促用工单位尽快支付拖欠工资", "协调劳动监察部门介入" },
	    U_JUSTICE, 80 },
	{ "低保评定不公", { "家庭困难却未纳入最低生活保障",
	    "认为村里低保评议不公开、不透明", "低保资格被取消，对复核结果有异议" },
	    { "重新核查家庭经济状况", "公开评议过程和结果" },
	    U_SOCIAL, 70 },
	{ "征地补偿款未到位", { "道路建设征用承包地，补偿款至今未足额发放",
	    "对青苗补偿标准有异议", "补偿款分配方案未经村民会议讨论" },
	    { "尽快兑付补偿款", "公开补偿标准和分配明细" },
	    U_FINANCE, 60 },
	{ "邻里纠纷", { "邻居家排水沟改道，雨水冲进自家院内",
	    "因通行道路与邻户长期不和，多次发生口角",
	    "邻居堆放柴草堵塞共用通道" },
	    { "组织调解，恢复原状", "依法处理对方过激行为" },
	    U_JUSTICE, 75 },
	{ "饮水安全问题", { "自来水经常停水，夏季用水困难",
	    "入户水管老化破裂，维修无人负责", "水质浑浊，怀疑水源受到污染" },
	    { "尽快维修供水管网", "检测水质并公布结果" },
	    U_WATER, 45 },
	{ "道路硬化质量问题", { "去年硬化的村组道路已出现多处裂缝和塌陷",
	    "通组道路修到一半停工", "道路硬化占用承包地未给补偿" },
	    { "督促施工单位返工维修", "公开工程资金使用情况" },
	    U_BUILD, 40 },
	{ "危房改造补助", { "房屋鉴定为危房，申请改造补助未获批准",
	    "危房改造补助资金迟迟未拨付", "对危房等级鉴定结果有异议" },
	    { "重新鉴定房屋等级", "尽快拨付补助资金" },
	    U_BUILD, 35 },
	{ "养殖场异味扰民", { "附近养殖场粪污直排，气味刺鼻", "养殖场距离居民区过近，蚊蝇滋生",
	    "养殖废水流入灌溉渠" },
	    { "责令养殖场整改或搬迁", "加强环境监管" },
	    U_ENV, 30 },
	{ "林权纠纷", { "与邻村因山林界址发生争议", "自家承包的林地被他人砍伐",
	    "林权证登记面积与实际不符" },
	    { "依法确权并处理盗伐行为", "更正林权登记" },
	    U_FOREST, 30 },
	{ "医保报销问题", { "住院费用报销比例低于政策规定", "异地就医报销手续繁琐，迟迟未报",
	    "慢性病门诊待遇未落实" },
	    { "按政策足额报销", "简化报销手续" },
	    U_SOCIAL, 35 },
	{ "养老保险待遇", { "达到领取年龄后养老金未按时发放", "缴费年限认定有误",
	    "被征地农民养老保险未落实" },
	    { "核实缴费记录，补发养老金", "落实被征地农民社保政策" },
	    U_SOCIAL, 30 },
	{ "村务公开问题", { "村集体收入支出长期不公开", "村集体土地出租收益去向不明",
	    "项目资金使用情况未张榜公示" },
	    { "公开村级财务", "审计村集体账目" },
	    U_OFFICE, 35 },
	{ "灌溉渠道堵塞", { "灌溉渠道年久失修，春灌无法放水", "上游农户截流，下游无水灌溉",
	    "渠道改线占用耕地" },
	    { "组织清淤维修", "合理安排轮灌" },
	    U_WATER, 25 },
	{ "婚姻家庭纠纷", { "离婚后子女抚养费长期未支付", "赡养老人问题兄弟之间推诿",
	    "家庭财产分割发生矛盾" },
	    { "组织调解，落实赡养义务", "依法维护合法权益" },
	    U_JUSTICE, 30 },
	{ "惠农补贴发放", { "耕地地力保护补贴未发放到户", "补贴面积与实际种植面积不符",
	    "农机购置补贴申请被拒" },
	    { "核实面积，补发补贴", "公开补贴发放名单" },
	    U_FARM, 30 },
	{ "噪音扰民", { "附近砂石料厂夜间作业噪音大", "村口商户夜间播放音响扰民",
	    "施工车辆夜间通行噪音影响休息" },
	    { "限制夜间作业时间", "督促整改" },
	    U_ENV, 15 },
	{ "山体滑坡隐患", { "房屋后山体出现裂缝，担心雨季滑坡",
	    "修路开挖坡脚后山体不稳", "排洪沟堵塞，汛期存在隐患" },
	    { "排查隐患并采取防护措施", "协助搬迁避险" },
	    U_SAFETY, 15 },
	{ "退役军人待遇", { "退役军人优待金未按时发放", "参战老兵补助未落实",
	    "退役安置政策落实不到位" },
	    { "落实优抚政策", "补发待遇" },
	    U_SOCIAL, 12 },
	{ "移民搬迁安置", { "易地搬迁安置房分配不公", "搬迁后旧宅基地复垦补偿未兑现",
	    "安置点配套设施不完善" },
	    { "重新核定分配方案", "兑现复垦补偿" },
	    U_BUILD, 15 },
	{ "合作社分红纠纷", { "入股合作社多年未获分红", "合作社负责人不公开经营账目",
	    "土地入股后合作社经营不善停产" },
	    { "公开经营账目，按约分红", "退还入股土地" },
	    U_FARM, 12 },
	{ "光伏发电收益分配", { "村级光伏电站收益分配方案不合理",
	    "屋顶光伏安装后发电收益未到账", "光伏板占地补偿未兑现" },
	    { "公开光伏收益分配明细", "兑现发电收益" },
	    U_FINANCE, 2 },
};

static const char *const form_names[] = { "visit", "letter", "online",
    "phone", "hotline", "referral", "visit_down" };
static const int form_weights[] = { 34, 8, 14, 10, 22, 8, 4 };
static const char *const form_phrases[] = { "到乡镇信访接待室来访",
    "来信", "通过网上信访平台", "来电", "通过12345热线", "经县信访局转办",
    "在领导干部下访时" };

static const char *const reply_notes[] = {
	"经调查核实，问题基本属实，已督促相关方整改到位，书面答复已送达信访人",
	"经村组调解，双方达成一致意见，签订调解协议",
	"已向信访人解释相关政策，信访人表示理解，书面答复已送达",
	"补助资金已足额发放到户，书面答复已送达",
	"经实地勘查，依法作出处理意见，书面答复已送达",
	"反映问题部分属实，已责成责任单位限期整改，书面答复已送达",
};
static const char *const callback_notes[] = {
	"电话回访信访人，对处理结果表示满意",
	"上门回访，信访人表示基本满意",
	"回访时信访人表示认可处理意见，承诺不再上访",
	"回访时信访人仍有意见，已做好解释疏导工作",
};

/* What one township is made of. */
struct town {
	struct rng	 r;
	int64_t		 id;
	char		 name[64];
	int		 nvill;
	int64_t		 vill[MAX_VILLAGES];
	char		 vname[MAX_VILLAGES][NAME_LEN];
	int		 vweight[MAX_VILLAGES];
	int		 vtotal;
	int		 ngroups[MAX_VILLAGES];
	int64_t		 groups[MAX_VILLAGES][MAX_GROUPS];
	int64_t		 unit[U__MAX];
	int64_t		 leader[NLEADERS];
	char		 leader_name[NLEADERS][NAME_LEN];
	int64_t		 staff[U__MAX][MAX_STAFF];	/* [0] is the head */
	char		 staff_name[U__MAX][MAX_STAFF][NAME_LEN];
	int64_t		 sec[MAX_VILLAGES];		/* village secretary */
	char		 sec_name[MAX_VILLAGES][NAME_LEN];
	int		 ncit;
	int64_t		 cit[MAX_CITIZENS];
	char		 cit_name[MAX_CITIZENS][NAME_LEN];
	int		 cit_vill[MAX_CITIZENS];
	int		 cit_group[MAX_CITIZENS];
	int		 vcit_first[MAX_VILLAGES], vcit_n[MAX_VILLAGES];
	int64_t		 nmatters;
	uint32_t	*per_day;		/* matters opened each day */
};

struct gen {
	struct db		*db;
	const struct calendar	*cal;
	const struct matter_type *petition;
	struct town		*towns;
	int			 ntowns;
	int64_t			 first_day, today, ndays;
	char			 pdf_hex[ATTACH_HASH_HEX];
	size_t			 pdf_len;
	/* counts for the summary */
	int64_t			 people, matters, actions, attachments;
	int64_t			 keys;
};

static void
name_person(struct rng *r, char out[NAME_LEN])
{
	if (chance(r, 7000))
		snprintf(out, NAME_LEN, "%s%s%s", PICK(r, surnames),
		    PICK(r, given), PICK(r, given));
	else
		snprintf(out, NAME_LEN, "%s%s", PICK(r, surnames),
		    PICK(r, given));
}

/* An invented mobile number: no operator uses the 100 prefix. */
static void
make_phone(struct rng *r, char out[12])
{
	snprintf(out, 12, "100%08d", below(r, 100000000));
}

static struct audit_actor
gen_actor(int64_t township)
{
	struct audit_actor	 a = cli_actor();

	a.login = "gen-ledger";
	a.role = "bench";
	a.township_id = township;
	return a;
}

static int
audited(struct db *db, int64_t township, const char *action,
    const char *type, int64_t id)
{
	struct audit_actor	 who = gen_actor(township);
	json_t			*d = json_pack("{ss}", "source", "gen-ledger");
	int			 rc;

	rc = audit_write(db, &who, action, type, id, true, d);
	json_decref(d);
	return rc;
}

/* A person, audited; returns DB_OK and *id. */
static int
add_person(struct gen *g, struct town *t, const char *kind, const char *name,
    int v, int grp, bool phone, int64_t *id, struct arena *a)
{
	const struct scope	 sc = { t->id, 0 };
	struct person_in	 in;
	char			 ph[12], addr[96];
	int			 rc;

	memset(&in, 0, sizeof(in));
	in.kind = kind;
	in.name = name;
	in.sex = chance(&t->r, 6000) ? "M" : "F";
	in.birth_year = range(&t->r, 1950, 1995);
	if (v >= 0) {
		in.village_id = t->vill[v];
		in.group_id = grp >= 0 ? t->groups[v][grp] : 0;
		snprintf(addr, sizeof(addr), "%s%s%s%d号", t->name,
		    t->vname[v], group_names[grp >= 0 ? grp : 0],
		    range(&t->r, 1, 60));
		in.address = addr;
	}
	if (phone) {
		make_phone(&t->r, ph);
		in.phone = ph;
	}
	in.note = "基准测试数据（虚构）";
	*id = 0;
	if ((rc = org_person_save(g->db, &sc, id, &in, a)) != DB_OK)
		return rc;
	g->people++;
	return audited(g->db, t->id, "person.create", "person", *id);
}

static int
add_post(struct gen *g, struct town *t, int64_t person, int64_t unit,
    int64_t village, const char *title)
{
	const struct scope	 sc = { t->id, 0 };
	int64_t			 id;
	int			 rc;

	rc = org_post_add(g->db, &sc, person, unit, village, title,
	    "2021-06-01", &id);
	if (rc == DB_OK)
		rc = audited(g->db, t->id, "post.create", "post", id);
	return rc;
}

/* The township, its units, villages, groups, cadres and residents. */
static int
make_town(struct gen *g, int ix, struct town *t)
{
	struct scope	 sc = { 0, 0 };
	struct unit_in	 ui;
	struct arena	 a;
	char		 title[64];
	int		 i, k, v, grp, rc, n;

	snprintf(t->name, sizeof(t->name), "%s%s%s", town_a[ix % 10],
	    town_b[(ix / 10) % 10], ix % 3 == 2 ? "乡" : "镇");
	arena_init(&a);
	if ((rc = db_begin(g->db)) != DB_OK)
		return rc;
	rc = org_township_create(g->db, t->name, "演示县", &t->id);
	if (rc == DB_OK)
		rc = audited(g->db, t->id, "township.create", "township",
		    t->id);
	sc.township_id = t->id;
	for (i = 0; rc == DB_OK && i < U__MAX; i++) {
		memset(&ui, 0, sizeof(ui));
		ui.name = units[i].name;
		ui.kind = units[i].kind;
		ui.duties = "";
		ui.sort = (i + 1) * 10;
		ui.active = true;
		ui.supervises = i == U_CENTRE;
		t->unit[i] = 0;
		rc = org_unit_save(g->db, &sc, &t->unit[i], &ui);
		if (rc == DB_OK)
			rc = audited(g->db, t->id, "unit.create", "unit",
			    t->unit[i]);
	}
	t->nvill = range(&t->r, 12, MAX_VILLAGES);
	t->vtotal = 0;
	for (v = 0; rc == DB_OK && v < t->nvill; v++) {
		bool	 dup;

		do {
			snprintf(t->vname[v], NAME_LEN, "%s%s村",
			    PICK(&t->r, vill_a), PICK(&t->r, vill_b));
			dup = false;
			for (k = 0; k < v; k++)
				if (strcmp(t->vname[k], t->vname[v]) == 0)
					dup = true;
		} while (dup);
		/* Some villages are bigger and have more to say. */
		t->vweight[v] = range(&t->r, 2, 10);
		t->vtotal += t->vweight[v];
		t->vill[v] = 0;
		rc = org_village_save(g->db, &sc, &t->vill[v], t->vname[v],
		    (v + 1) * 10);
		if (rc == DB_OK)
			rc = audited(g->db, t->id, "village.create", "village",
			    t->vill[v]);
		t->ngroups[v] = range(&t->r, 4, MAX_GROUPS);
		for (grp = 0; rc == DB_OK && grp < t->ngroups[v]; grp++) {
			t->groups[v][grp] = 0;
			rc = org_group_save(g->db, &sc, t->vill[v],
			    &t->groups[v][grp], group_names[grp], grp + 1);
			if (rc == DB_OK)
				rc = audited(g->db, t->id, "group.create",
				    "village_group", t->groups[v][grp]);
		}
	}
	for (i = 0; rc == DB_OK && i < NLEADERS; i++) {
		name_person(&t->r, t->leader_name[i]);
		rc = add_person(g, t, "cadre", t->leader_name[i], -1, -1, true,
		    &t->leader[i], &a);
		if (rc == DB_OK)
			rc = add_post(g, t, t->leader[i], t->unit[U_OFFICE],
			    0, leader_posts[i]);
	}
	for (i = 0; rc == DB_OK && i < U__MAX; i++)
		for (k = 0; rc == DB_OK && k < MAX_STAFF; k++) {
			name_person(&t->r, t->staff_name[i][k]);
			rc = add_person(g, t, "cadre", t->staff_name[i][k], -1,
			    -1, true, &t->staff[i][k], &a);
			snprintf(title, sizeof(title), "%s", k == 0 ?
			    units[i].head : "干事");
			if (rc == DB_OK)
				rc = add_post(g, t, t->staff[i][k], t->unit[i],
				    0, title);
		}
	for (v = 0; rc == DB_OK && v < t->nvill; v++) {
		name_person(&t->r, t->sec_name[v]);
		rc = add_person(g, t, "cadre", t->sec_name[v], v, 0, true,
		    &t->sec[v], &a);
		if (rc == DB_OK)
			rc = add_post(g, t, t->sec[v], 0, t->vill[v],
			    "村党支部书记");
	}
	/* Residents who come with petitions, more from bigger villages. */
	t->ncit = 0;
	for (v = 0; rc == DB_OK && v < t->nvill; v++) {
		n = 8 + t->vweight[v] * 2;
		if (t->ncit + n > MAX_CITIZENS)
			n = MAX_CITIZENS - t->ncit;
		t->vcit_first[v] = t->ncit;
		t->vcit_n[v] = n;
		for (k = 0; rc == DB_OK && k < n; k++) {
			i = t->ncit++;
			name_person(&t->r, t->cit_name[i]);
			t->cit_vill[i] = v;
			t->cit_group[i] = below(&t->r, t->ngroups[v]);
			rc = add_person(g, t, "citizen", t->cit_name[i], v,
			    t->cit_group[i], chance(&t->r, 7500), &t->cit[i],
			    &a);
		}
	}
	arena_release(&a);
	return db_end(g->db, rc);
}

/* A leader account (pending: "xiangzhi user passwd" gives it a password). */
static int
make_account(struct gen *g, struct town *t, const char *login)
{
	struct account_in	 in;
	int64_t			 id;
	int			 rc;

	memset(&in, 0, sizeof(in));
	in.township_id = t->id;
	in.person_id = t->leader[0];
	in.login = login;
	in.roles = ROLE_LEADER;
	if ((rc = db_begin(g->db)) != DB_OK)
		return rc;
	rc = account_create(g->db, &in, time_now_ms(), &id);
	if (rc == DB_OK)
		rc = audited(g->db, t->id, "account.create", "account", id);
	return db_end(g->db, rc);
}

/* Spread a township's matters over the days, fewer on rest days. */
static void
plan_days(struct gen *g, struct town *t)
{
	int64_t	 i, d;

	for (i = 0; i < t->nmatters; i++) {
		do {
			d = below(&t->r, (int)g->ndays);
		} while (!calendar_is_workday(g->cal, g->first_day + d) &&
		    !chance(&t->r, 3000));
		t->per_day[d]++;
	}
}

/* Instant (ms) of a day at hh:mm Beijing time. */
static int64_t
at_time(int64_t day, int hh, int mm)
{
	return ((day * 86400) + hh * 3600 + mm * 60 - 8 * 3600) * 1000;
}

static int64_t
office_time(struct rng *r, int64_t day)
{
	return at_time(day, range(r, 8, 17), range(r, 0, 59));
}

/* A matter being carried through its life, and who acts on it. */
struct life {
	struct gen		*g;
	struct town		*t;
	struct scope		 sc;
	int64_t			 id;
	int64_t			 day;
	struct matter_actor	 who;
	struct audit_actor	 audit;
	bool			 stop;
};

/* One step of its life on "day"; false when that day is still to come. */
static bool
act(struct life *l, int64_t day, enum matter_action action,
    const char *note, const char *closing, int64_t arg)
{
	struct matter_act	 a;
	struct matter_err	 err;

	if (l->stop || day > l->g->today) {
		l->stop = true;
		return false;
	}
	if (day < l->day)
		day = l->day;
	memset(&a, 0, sizeof(a));
	a.action = action;
	a.note = note;
	a.closing = closing;
	if (action == MA_SUPERVISE)
		a.day = arg;
	if (action == MA_EXTEND)
		a.days = arg;
	if (matter_apply_tx(l->g->db, &l->sc, l->id, &a, l->g->cal, &l->who,
	    day, office_time(&l->t->r, day), &err) != 0)
		die("gen-ledger: matter %" PRId64 ": %s refused: %s", l->id,
		    matter_action_names[action], err.message);
	l->day = day;
	l->g->actions++;
	return true;
}

static bool
attach(struct life *l, int64_t day, const char *kind, const char *name)
{
	struct matter_file	 f;
	struct matter_err	 err;
	int64_t			 aid;

	if (l->stop || day > l->g->today) {
		l->stop = true;
		return false;
	}
	f.kind = kind;
	f.name = name;
	f.media_type = "application/pdf";
	f.size = (int64_t)l->g->pdf_len;
	f.sha256 = l->g->pdf_hex;
	if (matter_attach_tx(l->g->db, &l->sc, l->id, &f, &l->who,
	    office_time(&l->t->r, day), &aid, &err) != 0)
		die("gen-ledger: matter %" PRId64 ": attach refused: %s", l->id,
		    err.message);
	l->g->attachments++;
	return true;
}

/* Mark a matter key: plan, team, five guarantees. */
static void
make_key(struct life *l, int64_t lead)
{
	static const char *const items[] = { "包掌握情况", "包思想教育",
	    "包解决问题", "包稳控管理", "包息访息诉" };
	struct town		*t = l->t;
	struct matter_key	 k;
	struct matter_err	 err;
	int64_t			 team[3];
	json_t			*five = json_array();
	int			 i, u = below(&t->r, U__MAX);

	team[0] = lead;
	team[1] = t->staff[u][0];
	team[2] = t->staff[U_CENTRE][1];
	for (i = 0; i < 5; i++)
		json_array_append_new(five, json_pack("{ss sI ss}", "item",
		    items[i], "owner_id", (json_int_t)team[i % 3], "owner",
		    i % 3 == 0 ? l->who.name : t->staff_name[i % 3 == 1 ? u :
		    U_CENTRE][i % 3 == 1 ? 0 : 1]));
	memset(&k, 0, sizeof(k));
	k.key = true;
	k.plan = "一事一方案：包案领导牵头，专班逐户走访，限期化解";
	k.team = team;
	k.nteam = 3;
	k.five = five;
	k.key_people = chance(&t->r, 5000);
	if (matter_set_key(l->g->db, &l->sc, l->id, &k, &l->who,
	    office_time(&t->r, l->day), &err) != 0)
		die("gen-ledger: matter_set_key: %s", err.message);
	json_decref(five);
	l->g->keys++;
}

static void
life_init(struct life *l, struct gen *g, struct town *t, int64_t id,
    int64_t day0, int64_t lead, const char *lead_name)
{
	memset(l, 0, sizeof(*l));
	l->g = g;
	l->t = t;
	l->sc.township_id = t->id;
	l->id = id;
	l->day = day0;
	l->audit = gen_actor(t->id);
	l->who.audit = l->audit;
	l->who.name = lead_name;
	l->who.person_id = lead;
	l->who.roles = ROLE_LEADER | ROLE_STAFF | ROLE_INSPECTOR;
}

/*
 * Carry a matter through its life as far as today, with the odds of a
 * township's petition work: most accepted in days and replied within the
 * 60, a few late or stuck (these are the overdue rows), some rejected,
 * reviewed, extended, paused, supervised.  Returns whether the matter is
 * to be marked key (after the commit).
 */
static bool
live(struct gen *g, struct town *t, int64_t id, int64_t day0,
    int64_t lead, const char *lead_name)
{
	struct rng	*r = &t->r;
	struct life	 l;
	int64_t		 d;
	bool		 reviewed = false, exhausted = false;
	bool		 key = chance(r, 150);
	int		 stuck = below(r, 10000);

	life_init(&l, g, t, id, day0, lead, lead_name);
	if (chance(r, 400)) {		/* 不予受理 */
		act(&l, day0 + range(r, 1, 10), MA_REJECT,
		    "不属于信访受理范围，已告知通过法定途径解决", NULL, 0);
		return key;
	}
	d = day0 + (chance(r, 300) ? range(r, 16, 30) : range(r, 0, 12));
	if (!act(&l, d, MA_ACCEPT, NULL, NULL, 0) || stuck < 120)
		return key;
	if (chance(r, 200)) {		/* supervised while handled */
		d = l.day + range(r, 10, 30);
		act(&l, d, MA_SUPERVISE, "请加快办理进度，按期办结", NULL,
		    d + range(r, 7, 15));
	}
	if (chance(r, 100)) {		/* waiting on the petitioner */
		if (act(&l, l.day + range(r, 5, 20), MA_PAUSE,
		    "信访人外出务工，暂时无法联系，中止计时", NULL, 0))
			act(&l, l.day + range(r, 7, 30), MA_RESUME, NULL, NULL,
			    0);
	}
	if (chance(r, 300))
		act(&l, l.day + range(r, 40, 55), MA_EXTEND,
		    "情况复杂，需进一步调查，经批准延期", NULL, range(r, 15, 30));
	d = l.day + (chance(r, 300) ? range(r, 61, 100) : range(r, 7, 50));
	if (!act(&l, d, MA_REPLY, PICK(r, reply_notes), NULL, 0) ||
	    stuck < 170)
		return key;
	if (chance(r, 300)) {		/* 复查, and some 复核 */
		reviewed = true;
		if (!act(&l, l.day + range(r, 5, 25), MA_REVIEW,
		    "信访人对处理意见不服，请求复查", NULL, 0))
			return key;
		if (!act(&l, l.day + range(r, 10, 28), MA_REPLY,
		    "经复查，维持原处理意见，复查意见书已送达", NULL, 0))
			return key;
		if (chance(r, 2500)) {
			if (!act(&l, l.day + range(r, 5, 25), MA_RE_REVIEW,
			    "信访人对复查意见不服，请求复核", NULL, 0))
				return key;
			if (!act(&l, l.day + range(r, 10, 28), MA_REPLY,
			    "经复核，维持复查意见，复核意见书已送达", NULL, 0))
				return key;
			exhausted = true;
		}
	}
	if (!act(&l, l.day + range(r, 1, 10), MA_CALLBACK,
	    PICK(r, callback_notes), NULL, 0) || stuck < 220)
		return key;
	d = l.day + range(r, 0, 7);
	if (exhausted) {
		if (attach(&l, d, "handling_opinion", "信访事项处理意见书.pdf") &&
		    attach(&l, d, "review_opinion", "复查意见书.pdf") &&
		    attach(&l, d, "re_review_opinion", "复核意见书.pdf"))
			act(&l, d, MA_CLOSE, NULL, "review_exhausted", 0);
	} else if (chance(r, reviewed ? 5000 : 1000)) {
		if (attach(&l, d, "judicial_document", "民事调解书.pdf"))
			act(&l, d, MA_CLOSE, NULL, "legal_channel", 0);
	} else {
		if (attach(&l, d, "agreement", "息访息诉协议.pdf"))
			act(&l, d, MA_CLOSE, NULL, "commitment", 0);
	}
	return key;
}

/* One registration (接访下访登记), as the desk's form would make it. */
struct reg {
	int64_t		 id;
	int		 town;
	int		 topic;
	int64_t		 lead;
	const char	*lead_name;
	bool		 key;
};

static int
pick_topic(struct rng *r)
{
	static int	 total;
	size_t		 i;
	int		 x;

	if (total == 0)
		for (i = 0; i < sizeof(topics) / sizeof(topics[0]); i++)
			total += topics[i].weight;
	x = below(r, total);
	for (i = 0; x >= topics[i].weight; i++)
		x -= topics[i].weight;
	return (int)i;
}

static int
pick_village(struct town *t)
{
	int	 x = below(&t->r, t->vtotal), v;

	for (v = 0; x >= t->vweight[v]; v++)
		x -= t->vweight[v];
	return v;
}

static int
register_one(struct gen *g, struct town *t, int64_t day, struct reg *out)
{
	const struct scope	 sc = { t->id, 0 };
	struct rng		*r = &t->r;
	const struct topic	*tp;
	struct matter_new	 in;
	struct matter_actor	 who;
	struct buf		 body = BUF_INIT, names = BUF_INIT;
	char			 title[256], code[32], place[96], rday[11];
	int64_t			 people[3], id;
	int			 v, grp, c, np = 0, k, form, ld, x, u, rc;
	bool			 anon = chance(r, 200);
	json_t			*details;

	out->topic = pick_topic(r);
	tp = &topics[out->topic];
	v = pick_village(t);
	c = t->vcit_first[v] + below(r, t->vcit_n[v]);
	grp = t->cit_group[c];
	if (!anon) {
		people[np++] = t->cit[c];
		buf_addf(&names, "%s ", t->cit_name[c]);
		if (chance(r, 1000))
			for (k = 0; k < 2; k++) {
				x = t->vcit_first[v] + below(r, t->vcit_n[v]);
				if (t->cit[x] != people[0] &&
				    (np < 2 || t->cit[x] != people[1])) {
					people[np++] = t->cit[x];
					buf_addf(&names, "%s ", t->cit_name[x]);
				}
			}
	}
	x = 0;
	for (form = 0; form < 6; form++) {
		x += form_weights[form];
		if (below(r, 100) < x)
			break;
	}
	ld = below(r, NLEADERS);
	buf_adds(&names, t->leader_name[ld]);
	switch (below(r, 4)) {
	case 0:
		snprintf(title, sizeof(title), "反映%s问题", tp->title);
		break;
	case 1:
		snprintf(title, sizeof(title), "%s%s村民反映%s", t->vname[v],
		    group_names[grp], tp->title);
		break;
	case 2:
		snprintf(title, sizeof(title), "关于%s的信访事项", tp->title);
		break;
	default:
		snprintf(title, sizeof(title), "%s%s反映%s", t->vname[v],
		    anon ? "村民" : t->cit_name[c], tp->title);
		break;
	}
	buf_addf(&body, "信访人%s，%s%s村民，%s反映：%d年以来，%s。%s",
	    anon ? "（匿名）" : t->cit_name[c], t->vname[v], group_names[grp],
	    form_phrases[form], range(r, 2015, 2024), PICK(r, tp->what),
	    chance(r, 4000) ? "曾多次向村组反映，未得到解决。" : "");
	buf_addf(&body, "诉求：%s。", PICK(r, tp->ask));
	snprintf(place, sizeof(place), "%s", form == 0 ?
	    "乡镇信访接待室" : form == 6 ? t->vname[v] : "");
	date_iso(day, rday);
	details = json_pack("{ss ss sb sI sb sI ss}", "received_at", rday,
	    "form", form_names[form], "anonymous", anon,
	    "visitors", (json_int_t)(np ? np : 1), "police_present", false,
	    "receiving_leader_id", (json_int_t)t->leader[ld],
	    "receiving_leader", t->leader_name[ld]);

	u = tp->unit;
	memset(&in, 0, sizeof(in));
	in.type = g->petition;
	in.title = title;
	in.body = body.data;
	in.source = form_names[form];
	in.place = place;
	in.village_id = t->vill[v];
	in.group_id = t->groups[v][grp];
	in.unit_id = t->unit[u];
	in.lead_id = t->leader[ld];
	in.resolver_id = chance(r, 3000) ? t->sec[v] :
	    t->staff[u][below(r, MAX_STAFF)];
	in.raised_by = np ? people[0] : 0;
	in.people = people;
	in.npeople = (size_t)np;
	in.clock_day = day;
	in.details = details;
	in.search = names.data;

	memset(&who, 0, sizeof(who));
	who.audit = gen_actor(t->id);
	who.name = t->staff_name[U_CENTRE][0];
	who.person_id = t->staff[U_CENTRE][0];
	who.roles = ROLE_STAFF;
	rc = matter_create(g->db, &sc, &in, g->cal, &who,
	    office_time(r, day), &id, code);
	json_decref(details);
	buf_release(&body);
	buf_release(&names);
	out->id = id;
	out->lead = t->leader[ld];
	out->lead_name = t->leader_name[ld];
	return rc;
}

/*
 * One day: register its petitions and carry each through its life, in one
 * transaction (as an import would); then mark the key ones, each in its
 * own (matter_set_key has no in-transaction form).
 */
static int
make_day(struct gen *g, int64_t di, struct reg **regs, size_t *cap)
{
	int64_t		 day = g->first_day + di;
	struct reg	*rg;
	struct life	 l;
	size_t		 n = 0, i;
	uint32_t	 k;
	int		 ti, rc;

	for (ti = 0; ti < g->ntowns; ti++)
		n += g->towns[ti].per_day[di];
	if (n == 0)
		return 0;
	if (n > *cap) {
		*cap = n * 2;
		if ((*regs = realloc(*regs, *cap * sizeof(**regs))) == NULL)
			die("gen-ledger: out of memory");
	}
	if ((rc = db_begin(g->db)) != DB_OK)
		return rc;
	n = 0;
	for (ti = 0; rc == DB_OK && ti < g->ntowns; ti++)
		for (k = 0; rc == DB_OK && k < g->towns[ti].per_day[di]; k++) {
			(*regs)[n].town = ti;
			rc = register_one(g, &g->towns[ti], day, &(*regs)[n]);
			n++;
		}
	/* Each township's stream stays its own: live them in order. */
	for (i = 0; rc == DB_OK && i < n; i++) {
		rg = &(*regs)[i];
		rg->key = live(g, &g->towns[rg->town], rg->id, day, rg->lead,
		    rg->lead_name);
	}
	if ((rc = db_end(g->db, rc)) != 0)
		return rc;
	g->matters += (int64_t)n;
	for (i = 0; i < n; i++) {
		rg = &(*regs)[i];
		if (!rg->key)
			continue;
		life_init(&l, g, &g->towns[rg->town], rg->id, day, rg->lead,
		    rg->lead_name);
		make_key(&l, rg->lead);
	}
	return 0;
}

/* A small, valid PDF for every document (the content does not matter). */
static void
store_pdf(struct gen *g, const char *dbpath)
{
	static const char pdf[] =
	    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
	    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
	    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
	    "trailer<</Root 1 0 R>>\n%%EOF\n";
	char	 dir[4096];

	snprintf(dir, sizeof(dir), "%s.files", dbpath);
	if (attach_init(dir) != 0 ||
	    attach_store(pdf, sizeof(pdf) - 1, g->pdf_hex) != 0)
		die("gen-ledger: cannot store the document in %s", dir);
	g->pdf_len = sizeof(pdf) - 1;
}

static int
parse_count(const char *s, int64_t lo, int64_t hi, int64_t *v)
{
	if (str_to_int64(s, lo, hi, v) != 0) {
		fprintf(stderr, "gen-ledger: '%s' is not a number from %" PRId64
		    " to %" PRId64 "\n", s, lo, hi);
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "townships", required_argument, NULL, 't' },
		{ "matters", required_argument, NULL, 'm' },
		{ "big", required_argument, NULL, 'b' },
		{ "seed", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*path = NULL, *key = NULL, *from = "2024-01-01";
	int64_t		 ntowns = 100, nmatters = 1000000, big = 100000;
	int64_t		 seed = 20261129, rest, t0, di, i;
	int64_t		 t_org, t_matters, t_index;
	int		 reminders;
	struct reg	*regs = NULL;
	size_t		 cap = 0;
	struct gen	 g;
	struct stat	 sb;
	char		 login[33];
	int		 c, ti;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'k': key = optarg; break;
		case 't':
			if (parse_count(optarg, 1, 100, &ntowns) != 0)
				return 2;
			break;
		case 'm':
			if (parse_count(optarg, 1, 10000000, &nmatters) != 0)
				return 2;
			break;
		case 'b':
			if (parse_count(optarg, 0, 10000000, &big) != 0)
				return 2;
			break;
		case 's':
			if (parse_count(optarg, 1, INT64_MAX, &seed) != 0)
				return 2;
			break;
		case 'f': from = optarg; break;
		default:
			fprintf(stderr, "%s", usage_text);
			return 2;
		}
	}
	if (path == NULL || optind != argc) {
		fprintf(stderr, "%s", usage_text);
		return 2;
	}
	memset(&g, 0, sizeof(g));
	t0 = time_mono_ms();
	if ((g.db = cli_open(path, cli_key_path(path, key), false)) == NULL)
		return 1;
	if (org_default_township(g.db) != 0) {
		fprintf(stderr, "gen-ledger: %s already holds a township;"
		    " start from 'xiangzhi init'\n", path);
		return 1;
	}
	/*
	 * A cache, not a record: speed over durability while filling it (no
	 * fsync, one lock for the whole run, a big cache and rare
	 * checkpoints; the references are all made here, valid by
	 * construction, and checked at the end).  Journal modes OFF and
	 * MEMORY are no faster than WAL here, and defensive connections
	 * refuse OFF.
	 */
	if (db_exec_script(g.db, "PRAGMA synchronous = OFF;"
	    " PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -1048576;"
	    " PRAGMA wal_autocheckpoint = 100000; PRAGMA secure_delete = OFF;"
	    " PRAGMA foreign_keys = OFF;") != DB_OK)
		return 1;
	/*
	 * The search index: matter_create's "INSERT INTO matter_fts (rowid,
	 * text)" goes to a plain table while filling, and the very rows are
	 * indexed in one statement at the end (FTS5 flushes its pending terms
	 * at every statement of a transaction, which made registration cost
	 * ten times more here than anything else).
	 */
	if (db_exec_script(g.db, "DROP TABLE matter_fts;"
	    " CREATE TABLE matter_fts (text TEXT NOT NULL);") != DB_OK)
		return 1;
	g.cal = matter_calendar_load(g.db);
	g.petition = matter_type_get("petition");
	g.today = date_today_cn();
	if (g.cal == NULL || g.petition == NULL ||
	    date_parse(from, &g.first_day) != 0 || g.first_day >= g.today) {
		fprintf(stderr, "gen-ledger: bad --from, or no calendar\n");
		return 1;
	}
	g.ndays = g.today - g.first_day + 1;
	store_pdf(&g, path);

	g.ntowns = (int)ntowns;
	if ((g.towns = calloc((size_t)ntowns, sizeof(*g.towns))) == NULL)
		die("gen-ledger: out of memory");
	if (ntowns == 1 || big > nmatters)
		big = ntowns == 1 ? 0 : nmatters;
	rest = nmatters - big;
	for (ti = 0; ti < g.ntowns; ti++) {
		struct town	*t = &g.towns[ti];

		t->r.s = (uint64_t)seed * 0x9e3779b97f4a7c15ULL +
		    (uint64_t)(ti + 1) * 0xbf58476d1ce4e5b9ULL;
		if (t->r.s == 0)
			t->r.s = 1;
		if (ti == g.ntowns - 1 && ntowns > 1)
			t->nmatters = big;
		else {
			int64_t	 others = ntowns > 1 ? ntowns - 1 : 1;

			t->nmatters = rest / others + (ti < rest % others);
		}
		if (make_town(&g, ti, t) != DB_OK)
			die("gen-ledger: cannot write township %d", ti + 1);
		if ((t->per_day = calloc((size_t)g.ndays,
		    sizeof(*t->per_day))) == NULL)
			die("gen-ledger: out of memory");
		plan_days(&g, t);
	}
	/* Sign-in for the bench: a leader of the first and the last. */
	snprintf(login, sizeof(login), "bench-t1");
	if (make_account(&g, &g.towns[0], login) != DB_OK)
		die("gen-ledger: cannot add the account %s", login);
	if (ntowns > 1) {
		snprintf(login, sizeof(login), "bench-t%d", g.ntowns);
		if (make_account(&g, &g.towns[g.ntowns - 1], login) != DB_OK)
			die("gen-ledger: cannot add the account %s", login);
	}
	t_org = time_mono_ms() - t0;
	fprintf(stderr, "gen-ledger: %d townships, %" PRId64 " people in %.1f s\n",
	    g.ntowns, g.people, (double)t_org / 1000);

	for (di = 0; di < g.ndays; di++) {
		int64_t	 before = g.matters;

		if (make_day(&g, di, &regs, &cap) != 0)
			die("gen-ledger: cannot write day %" PRId64, di);
		if (before / 50000 != g.matters / 50000)
			fprintf(stderr, "gen-ledger: %" PRId64 " matters, %"
			    PRId64 " actions, %.1f s\n", g.matters, g.actions,
			    (double)(time_mono_ms() - t0) / 1000);
	}
	free(regs);
	t_matters = time_mono_ms() - t0 - t_org;
	fprintf(stderr, "gen-ledger: indexing the text of %" PRId64
	    " matters, %.1f s\n", g.matters,
	    (double)(time_mono_ms() - t0) / 1000);
	/* The same statement as sql/sqlite/0002-matter.sql. */
	if (db_exec_script(g.db, "ALTER TABLE matter_fts RENAME TO gen_fts;"
	    " CREATE VIRTUAL TABLE matter_fts USING fts5(text,"
	    " tokenize = 'cjk');"
	    " INSERT INTO matter_fts (rowid, text)"
	    " SELECT rowid, text FROM gen_fts ORDER BY rowid;"
	    " DROP TABLE gen_fts;") != DB_OK)
		return 1;
	/* Back to what the server expects. */
	if (db_exec_script(g.db, "PRAGMA locking_mode = NORMAL;"
	    " PRAGMA wal_checkpoint(TRUNCATE);") != DB_OK)
		return 1;
	t_index = time_mono_ms() - t0 - t_org - t_matters;
	/*
	 * The reminders a running server would have given by now (as its
	 * first sweep would: without this, every bench server's start writes
	 * them).  Those of matters closed since are not made: a few percent
	 * of the timeline.
	 */
	if ((reminders = matter_sweep(g.db, g.today, time_now_ms())) < 0)
		die("gen-ledger: the reminder sweep failed");
	i = audit_version(g.db);
	db_close(g.db);
	for (ti = 0; ti < g.ntowns; ti++)
		free(g.towns[ti].per_day);
	free(g.towns);
	if (stat(path, &sb) != 0)
		die("gen-ledger: %s is gone", path);
	printf("townships %d\npeople %" PRId64 "\nmatters %" PRId64
	    "\nactions %" PRId64 "\nattachments %" PRId64 "\nkey %" PRId64
	    "\nreminders %d"
	    "\naudit %" PRId64 "\nbytes %lld\nseconds %.1f\n"
	    "seconds_org %.1f\nseconds_matters %.1f\nseconds_index %.1f\n",
	    g.ntowns, g.people, g.matters, g.actions, g.attachments, g.keys,
	    reminders, i, (long long)sb.st_size, (double)(time_mono_ms() - t0) / 1000,
	    (double)t_org / 1000, (double)t_matters / 1000,
	    (double)t_index / 1000);
	return 0;
}

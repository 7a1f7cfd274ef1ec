/* demo_names.h: fixed data of the demo township: units, villages, names. */
#ifndef XZ_DEMO_NAMES_H
#define XZ_DEMO_NAMES_H

/*
 * Included by demo.c only.  Every person of the demo is invented: names are
 * drawn from these characters by a fixed-seed generator, so the same demo
 * comes out on every run.  Each character carries a pinyin spelling, from
 * which the demo logins are made.
 */

#define DEMO_TOWNSHIP	"五顷塬回族乡"
#define DEMO_COUNTY	"正宁县"

struct demo_char {
	const char	*han;
	const char	*py;
	unsigned	 weight;	/* surnames: relative frequency */
};

/* Surnames of a Hui township: 马 first by far. */
static const struct demo_char demo_surnames[] = {
	{ "马", "ma", 34 },
	{ "杨", "yang", 8 },
	{ "李", "li", 6 },
	{ "王", "wang", 6 },
	{ "张", "zhang", 5 },
	{ "刘", "liu", 4 },
	{ "何", "he", 4 },
	{ "丁", "ding", 4 },
	{ "海", "hai", 3 },
	{ "田", "tian", 3 },
	{ "苏", "su", 3 },
	{ "白", "bai", 3 },
	{ "兰", "lan", 2 },
	{ "冶", "ye", 2 },
	{ "穆", "mu", 2 },
	{ "金", "jin", 2 },
	{ "沙", "sha", 2 },
	{ "韩", "han", 2 },
	{ "米", "mi", 1 },
	{ "拜", "bai", 1 },
	{ "纳", "na", 1 },
	{ "锁", "suo", 1 },
	{ "赵", "zhao", 1 },
	{ "周", "zhou", 1 },
};

static const struct demo_char demo_male[] = {
	{ "文", "wen", 1 }, { "建", "jian", 1 }, { "国", "guo", 1 },
	{ "明", "ming", 1 }, { "军", "jun", 1 }, { "福", "fu", 1 },
	{ "忠", "zhong", 1 }, { "义", "yi", 1 }, { "学", "xue", 1 },
	{ "成", "cheng", 1 }, { "海", "hai", 1 }, { "平", "ping", 1 },
	{ "东", "dong", 1 }, { "强", "qiang", 1 }, { "永", "yong", 1 },
	{ "德", "de", 1 }, { "志", "zhi", 1 }, { "彦", "yan", 1 },
	{ "斌", "bin", 1 }, { "鹏", "peng", 1 }, { "宏", "hong", 1 },
	{ "林", "lin", 1 }, { "祥", "xiang", 1 }, { "贵", "gui", 1 },
	{ "有", "you", 1 }, { "山", "shan", 1 }, { "宝", "bao", 1 },
	{ "清", "qing", 1 }, { "仁", "ren", 1 }, { "荣", "rong", 1 },
	{ "勇", "yong", 1 }, { "龙", "long", 1 }, { "杰", "jie", 1 },
	{ "刚", "gang", 1 }, { "世", "shi", 1 }, { "生", "sheng", 1 },
	{ "录", "lu", 1 }, { "占", "zhan", 1 }, { "云", "yun", 1 },
	{ "辉", "hui", 1 }, { "奎", "kui", 1 }, { "武", "wu", 1 },
	{ "存", "cun", 1 }, { "良", "liang", 1 },
};

static const struct demo_char demo_female[] = {
	{ "秀", "xiu", 1 }, { "兰", "lan", 1 }, { "梅", "mei", 1 },
	{ "芳", "fang", 1 }, { "英", "ying", 1 }, { "花", "hua", 1 },
	{ "玲", "ling", 1 }, { "霞", "xia", 1 }, { "娟", "juan", 1 },
	{ "丽", "li", 1 }, { "红", "hong", 1 }, { "燕", "yan", 1 },
	{ "萍", "ping", 1 }, { "琴", "qin", 1 }, { "慧", "hui", 1 },
	{ "静", "jing", 1 }, { "敏", "min", 1 }, { "雪", "xue", 1 },
	{ "艳", "yan", 1 }, { "凤", "feng", 1 }, { "桂", "gui", 1 },
	{ "莲", "lian", 1 }, { "翠", "cui", 1 }, { "玉", "yu", 1 },
	{ "婷", "ting", 1 }, { "月", "yue", 1 }, { "春", "chun", 1 },
	{ "晓", "xiao", 1 }, { "颖", "ying", 1 }, { "丹", "dan", 1 },
	{ "菊", "ju", 1 }, { "珍", "zhen", 1 }, { "茹", "ru", 1 },
	{ "蓉", "rong", 1 },
};

/* The township's offices, stations and centres, in display order. */
struct demo_unit {
	const char	*name;
	const char	*kind;		/* office, station, centre */
	const char	*head;		/* the head's post */
	int		 staff;		/* 干事 besides the head */
	const char	*duties;
};

enum {
	DEMO_U_OFFICE,		/* 党政综合办公室 */
	DEMO_U_DISCIPLINE,	/* 纪委办公室 */
	DEMO_U_ORDER,		/* 综治中心 */
	DEMO_U_JUSTICE,		/* 司法所 */
	DEMO_U_MARKET,		/* 市场监督管理所 */
	DEMO_U_ENFORCE,		/* 综合行政执法队 */
	DEMO_U_EMERGENCY,	/* 应急管理办公室 */
	DEMO_U_TRAFFIC,		/* 道路交通安全劝导站 */
	DEMO_U_CIVIL,		/* 民政办 */
	DEMO_U_CLEAN,		/* 全域无垃圾办公室 */
	DEMO_U_SERVICE,		/* 便民服务中心 */
	DEMO_U_POLICE,		/* 派出所 */
	DEMO_U__MAX
};

static const struct demo_unit demo_units[DEMO_U__MAX] = {
	{ "党政综合办公室", "office", "主任", 4,
	    "负责党委政府日常运转、文电会务、督查督办、机要保密和后勤保障。" },
	{ "纪委办公室", "office", "主任", 1,
	    "负责党风廉政建设和作风监督，受理信访举报，开展督查和执纪问责。" },
	{ "综治中心", "centre", "主任", 1,
	    "负责社会治安综合治理、矛盾纠纷排查化解、信访接待和网格化管理。" },
	{ "司法所", "station", "所长", 1,
	    "负责人民调解、社区矫正、普法宣传、法律援助和以案说法工作。" },
	{ "市场监督管理所", "station", "所长", 1,
	    "负责食品药品安全、产品质量和价格监管，查处市场违法行为。" },
	{ "综合行政执法队", "station", "队长", 1,
	    "负责集镇市容秩序、占道经营、违法建设等综合行政执法工作。" },
	{ "应急管理办公室", "office", "主任", 0,
	    "负责安全生产、防灾减灾、森林防火和突发事件应急处置。" },
	{ "道路交通安全劝导站", "station", "站长", 0,
	    "负责农村道路交通安全劝导、宣传教育和隐患排查。" },
	{ "民政办", "office", "主任", 1,
	    "负责社会救助、养老服务、残疾人和困难群众关爱帮扶。" },
	{ "全域无垃圾办公室", "office", "主任", 1,
	    "负责人居环境整治、垃圾收集转运、保洁员管理和红黑榜评比。" },
	{ "便民服务中心", "centre", "主任", 2,
	    "负责政务服务窗口受理、代办帮办、一事两评和好差评整改。" },
	{ "派出所", "station", "所长", 0,
	    "负责辖区治安管理、户籍管理和治安防范，配合化解矛盾纠纷。" },
};

/* The township's leadership (班子成员) and where their posts sit. */
struct demo_leader {
	const char	*title;
	int		 unit;
};

enum {
	DEMO_L_SECRETARY,	/* 党委书记: the principal leader */
	DEMO_L_MAYOR,
	DEMO_L_DEPUTY_SEC,
	DEMO_L_CONGRESS,
	DEMO_L_DISCIPLINE,	/* 纪委书记: the inspector */
	DEMO_L_VICE_MAYOR,	/* 副乡长: the leadership member */
	DEMO_L_VICE_MAYOR2,
	DEMO_L_ARMED,
	DEMO_L_ORGANISATION,
	DEMO_L__MAX
};

static const struct demo_leader demo_leaders[DEMO_L__MAX] = {
	{ "党委书记", DEMO_U_OFFICE },
	{ "乡长", DEMO_U_OFFICE },
	{ "党委副书记", DEMO_U_OFFICE },
	{ "人大主席", DEMO_U_OFFICE },
	{ "纪委书记", DEMO_U_DISCIPLINE },
	{ "副乡长", DEMO_U_OFFICE },
	{ "副乡长", DEMO_U_EMERGENCY },
	{ "武装部长", DEMO_U_OFFICE },
	{ "组织委员", DEMO_U_OFFICE },
};

/* Villages in display order, with their number of groups. */
struct demo_village {
	const char	*name;
	int		 groups;
};

#define DEMO_VILLAGES	5
#define DEMO_GROUPS_MAX	6

static const struct demo_village demo_villages[DEMO_VILLAGES] = {
	{ "龙咀子村", 5 },
	{ "西渠村", 4 },
	{ "南邑村", 5 },
	{ "西头村", 4 },
	{ "孟河村", 6 },
};

static const char *const demo_group_names[DEMO_GROUPS_MAX] = {
	"一组", "二组", "三组", "四组", "五组", "六组",
};

#endif

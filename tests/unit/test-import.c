/* test-import.c: the people importer: headers, encodings, cells, lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "base/arena.h"
#include "org/import.h"

#define HEAD	"序号,姓名,性别,出生年份,类别,所属村,组,住址,联系电话," \
		"身份证号,备注\r\n"

/* Synthetic ID numbers (region 621025) with correct check characters. */
#define ID_M1972	"62102519720315011X"
#define ID_F1985	"621025198506110224"

static struct arena		 arena;
static struct import_report	 rep;
static struct import_person	*people;
static size_t			 n;
static json_t			*villages;

static void
setup(void)
{
	arena_init(&arena);
	import_report_init(&rep);
	people = NULL;
	n = 0;
	villages = json_pack("[{sI ss s[{sI ss} {sI ss} {sI ss}]}"
	    " {sI ss s[{sI ss} {sI ss}]} {sI ss s[]}]",
	    "id", (json_int_t)1, "name", "龙咀子村", "groups",
	    "id", (json_int_t)11, "name", "一组",
	    "id", (json_int_t)12, "name", "二组",
	    "id", (json_int_t)13, "name", "三组",
	    "id", (json_int_t)2, "name", "西渠村", "groups",
	    "id", (json_int_t)21, "name", "一组",
	    "id", (json_int_t)24, "name", "四组",
	    "id", (json_int_t)3, "name", "南邑村", "groups");
	cr_assert_not_null(villages);
}

static void
teardown(void)
{
	json_decref(villages);
	import_report_release(&rep);
	arena_release(&arena);
}

TestSuite(import, .init = setup, .fini = teardown);

static int
parse_n(const char *data, size_t len)
{
	return import_parse(&arena, data, len, villages, &people, &n, &rep);
}

static int
parse(const char *csv)
{
	return parse_n(csv, strlen(csv));
}

/* The message of error "i". */
static const char *
msg(size_t i)
{
	return json_string_value(json_object_get(json_array_get(rep.errors,
	    i), "message"));
}

static long long
line_of(size_t i)
{
	return json_integer_value(json_object_get(json_array_get(rep.errors,
	    i), "line"));
}

static const char *
column_of(size_t i)
{
	return json_string_value(json_object_get(json_array_get(rep.errors,
	    i), "column"));
}

/* Is there an error on "line" whose message contains "part"? */
static bool
has_error(long long line, const char *part)
{
	size_t	 i;

	for (i = 0; i < json_array_size(rep.errors); i++)
		if (line_of(i) == line && strstr(msg(i), part) != NULL)
			return true;
	return false;
}

static void
dump(void)
{
	size_t	 i;

	for (i = 0; i < json_array_size(rep.errors); i++)
		fprintf(stderr, "  %s\n", msg(i));
}

/* Headers */

Test(import, header_plain_row_is_imported)
{
	int	 rc;

	rc = parse(HEAD "1,马文清,男,1972,干部,龙咀子村,一组,龙咀子村一组12号,"
	    "10012340001," ID_M1972 ",村支书\r\n");
	dump();
	cr_assert_eq(rc, IMPORT_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(rep.rows, 1);
	cr_assert_eq(rep.ok, 1);
	cr_assert_eq(people[0].line, 2);
	cr_assert_str_eq(people[0].in.name, "马文清");
	cr_assert_str_eq(people[0].in.kind, "cadre");
	cr_assert_str_eq(people[0].in.sex, "M");
	cr_assert_eq(people[0].in.birth_year, 1972);
	cr_assert_eq(people[0].in.village_id, 1);
	cr_assert_eq(people[0].in.group_id, 11);
	cr_assert_str_eq(people[0].in.address, "龙咀子村一组12号");
	cr_assert_str_eq(people[0].in.phone, "10012340001");
	cr_assert_str_eq(people[0].in.idno, ID_M1972);
	cr_assert_str_eq(people[0].in.note, "村支书");
}

Test(import, header_variants_are_recognised)
{
	int	 rc;

	/* Padding, full-width spaces, asterisks, remarks in brackets. */
	rc = parse(" 序  号 ,*姓　名,性别（男/女）,出生年月,人员类别,村别,"
	    "村民小组,家庭住址,手机号码：,公民身份号码,　备注　\n"
	    "1,李秀兰,女,1985.06,群众,西渠村,四组,西渠村,100 1234 0002,"
	    ID_F1985 ",\n");
	dump();
	cr_assert_eq(rc, IMPORT_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(people[0].in.birth_year, 1985);
	cr_assert_eq(people[0].in.group_id, 24);
	cr_assert_str_eq(people[0].in.phone, "10012340002");
}

Test(import, header_short_names_are_recognised)
{
	cr_assert_eq(parse("姓名,村,组,地址,电话,身份证号码,出生日期\n"
	    "王春梅,西渠村,一组,,100-1234-0003,,1968-07-20\n"), IMPORT_OK);
	cr_assert_eq(people[0].in.village_id, 2);
	cr_assert_eq(people[0].in.group_id, 21);
	cr_assert_eq(people[0].in.birth_year, 1968);
	cr_assert_str_eq(people[0].in.kind, "citizen");	/* the default */
}

Test(import, unknown_column_is_named)
{
	cr_assert_eq(parse("姓名,民族,联系电话\n马文清,回族,10012340001\n"),
	    IMPORT_INVALID);
	cr_assert_eq(rep.nerrors, 1);
	cr_assert_eq(line_of(0), 1);
	cr_assert_str_eq(column_of(0), "民族");
	cr_assert(strstr(msg(0), "第1行：「民族」是无法识别的列（第2列）")
	    == msg(0), "%s", msg(0));
	cr_assert_eq(n, 0);
}

Test(import, duplicate_column_is_refused)
{
	cr_assert_eq(parse("姓名,电话,手机号\n马文清,10012340001,\n"),
	    IMPORT_INVALID);
	cr_assert(has_error(1, "「手机号」与第2列「电话」是同一项"));
}

Test(import, name_column_is_required)
{
	cr_assert_eq(parse("性别,联系电话,备注\n男,10012340001,x\n"),
	    IMPORT_INVALID);
	cr_assert(has_error(1, "缺少“姓名”列"));
}

Test(import, password_column_is_refused_with_its_number)
{
	cr_assert_eq(parse("序号,姓名,联系电话,初始密码\n"
	    "1,马文清,10012340001,Secret-123456\n"), IMPORT_INVALID);
	cr_assert_eq(rep.nerrors, 1);
	cr_assert_str_eq(msg(0), "文件含有“密码”列（第4列），系统拒绝导入密码。"
	    "请删除该列后重新导入；账号由系统管理员创建，本人通过一次性激活"
	    "链接设置密码。");
	cr_assert_str_eq(rep.refused, "password_column");
	cr_assert_null(strstr(msg(0), "Secret"));
	cr_assert_eq(rep.rows, 0);
}

Test(import, password_column_wins_over_other_errors)
{
	/* An unknown column and a bad row, but only the refusal is told. */
	cr_assert_eq(parse("民族,姓名,Password\n回族,,abc\n"), IMPORT_INVALID);
	cr_assert_eq(rep.nerrors, 1);
	cr_assert(strstr(msg(0), "（第3列）") != NULL, "%s", msg(0));
}

Test(import, password_words_are_found)
{
	static const char *const heads[] = {
		"姓名,口令\n", "姓名,登录PassWord\n", "姓名,密 码\n",
		"姓名,pwd\n",
	};
	size_t	 i;

	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		import_report_release(&rep);
		import_report_init(&rep);
		cr_assert_eq(parse(heads[i]), IMPORT_INVALID, "%s", heads[i]);
		cr_assert_str_eq(rep.refused, "password_column", "%s",
		    heads[i]);
	}
}

Test(import, account_column_is_refused)
{
	cr_assert_eq(parse("姓名,账号,联系电话\n马文清,mawq,10012340001\n"),
	    IMPORT_INVALID);
	cr_assert_eq(rep.nerrors, 1);
	cr_assert(strstr(msg(0), "文件含有“账号”列（第2列）") == msg(0),
	    "%s", msg(0));
	cr_assert_str_eq(rep.refused, "account_column");
	import_report_release(&rep);
	import_report_init(&rep);
	cr_assert_eq(parse("姓名,登录名\n马文清,mawq\n"), IMPORT_INVALID);
	cr_assert_str_eq(rep.refused, "account_column");
}

Test(import, title_rows_above_the_header_are_skipped)
{
	cr_assert_eq(parse("五顷塬回族乡干部花名册,,,\n"
	    "填报单位：党政综合办,,,填报时间：2026年1月5日\n"
	    "序号,姓名,所属村,联系电话\n"
	    "1,马文清,龙咀子村,1001234 0001\n"
	    "2,,龙咀子村,10012340002\n"), IMPORT_INVALID);
	cr_assert_eq(rep.rows, 2);
	cr_assert(has_error(5, "「姓名」不能为空"));
}

/* Encodings */

Test(import, decode_utf8)
{
	const char	*enc;
	char		*out, why[256];
	size_t		 len;

	cr_assert_eq(import_decode(&arena, "姓名\n", 7, &out, &len, &enc,
	    why, sizeof(why)), 0);
	cr_assert_str_eq(enc, "UTF-8");
	cr_assert_str_eq(out, "姓名\n");
	cr_assert_eq(len, 7);
}

Test(import, decode_utf8_bom)
{
	const char	*enc;
	char		*out, why[256];
	size_t		 len;

	cr_assert_eq(import_decode(&arena, "\xef\xbb\xbf姓名\n", 10, &out,
	    &len, &enc, why, sizeof(why)), 0);
	cr_assert_str_eq(enc, "UTF-8");
	cr_assert_str_eq(out, "姓名\n");
}

Test(import, decode_gbk)
{
	const char	*enc;
	char		*out, why[256];
	size_t		 len;

	/* 姓名,所属村 in GBK. */
	cr_assert_eq(import_decode(&arena, "\xd0\xd5\xc3\xfb,\xcb\xf9\xca\xf4"
	    "\xb4\xe5\r\n", 13, &out, &len, &enc, why, sizeof(why)), 0);
	cr_assert_str_eq(enc, "GBK");
	cr_assert_str_eq(out, "姓名,所属村\r\n");
}

Test(import, decode_refuses_garbage)
{
	const char	*enc;
	char		*out, why[256];
	size_t		 len;

	/* 0x81 then 0x20 is neither UTF-8 nor GB18030. */
	cr_assert_eq(import_decode(&arena, "\xd0\xd5\x81 ", 4, &out, &len,
	    &enc, why, sizeof(why)), -1);
	cr_assert(strstr(why, "无法识别文件的编码") != NULL, "%s", why);
}

Test(import, decode_refuses_damaged_utf8)
{
	/* The first byte of 龙 lost on line 3 of a UTF-8 file. */
	static const char	 text[] = "姓名,所属村\n马文清,西渠村\n"
	    "李秀兰,\xbe\x99咀子村\n";
	const char		*enc;
	char			*out, why[512];
	size_t			 len;

	cr_assert_eq(import_decode(&arena, text, sizeof(text) - 1, &out, &len,
	    &enc, why, sizeof(why)), -1);
	cr_assert(strstr(why, "第3行附近有损坏的字符") != NULL, "%s", why);
}

Test(import, gbk_file_is_imported)
{
	/*
	 * 姓名,性别,所属村,组 / 马文清,男,龙咀子村,三组 in GBK, as Excel
	 * saves "CSV (逗号分隔)" on Chinese Windows.
	 */
	static const char gbk[] =
	    "\xd0\xd5\xc3\xfb,\xd0\xd4\xb1\xf0,\xcb\xf9\xca\xf4\xb4\xe5,"
	    "\xd7\xe9\r\n"
	    "\xc2\xed\xce\xc4\xc7\xe5,\xc4\xd0,\xc1\xfa\xbe\xd7\xd7\xd3"
	    "\xb4\xe5,\xc8\xfd\xd7\xe9\r\n";

	cr_assert_eq(parse(gbk), IMPORT_OK);
	dump();
	cr_assert_eq(n, 1);
	cr_assert_str_eq(people[0].in.name, "马文清");
	cr_assert_str_eq(people[0].in.sex, "M");
	cr_assert_eq(people[0].in.group_id, 13);
}

Test(import, xlsx_is_refused_with_advice)
{
	cr_assert_eq(parse_n("PK\x03\x04\x14\x00", 6), IMPORT_INVALID);
	cr_assert(strstr(msg(0), "另存为") != NULL);
	cr_assert_eq(line_of(0), 0);
}

Test(import, utf16_is_refused_with_advice)
{
	cr_assert_eq(parse_n("\xff\xfe\x53\x59\x0d\x54", 6), IMPORT_INVALID);
	cr_assert(strstr(msg(0), "UTF-16") != NULL, "%s", msg(0));
}

Test(import, size_caps)
{
	char	*big;

	cr_assert_eq(parse(""), IMPORT_INVALID);
	cr_assert(strstr(msg(0), "空") != NULL);
	import_report_release(&rep);
	import_report_init(&rep);
	big = calloc(1, IMPORT_MAX_BYTES + 2);
	cr_assert_not_null(big);
	memset(big, 'a', IMPORT_MAX_BYTES + 1);
	cr_assert_eq(parse_n(big, IMPORT_MAX_BYTES + 1), IMPORT_INVALID);
	cr_assert(strstr(msg(0), "文件太大") != NULL, "%s", msg(0));
	free(big);
}

Test(import, row_cap)
{
	char	*csv, *p;
	size_t	 i;

	csv = malloc(IMPORT_MAX_ROWS * 8 + 64);
	cr_assert_not_null(csv);
	p = csv;
	memcpy(p, "姓名\n", 7);
	p += 7;
	for (i = 0; i <= IMPORT_MAX_ROWS; i++) {
		memcpy(p, "张三\n", 7);
		p += 7;
	}
	*p = '\0';
	cr_assert_eq(parse(csv), IMPORT_INVALID);
	cr_assert(has_error(IMPORT_MAX_ROWS + 2, "文件超过 20000 行"));
	free(csv);
}

/* Excel's mangling of long numbers */

Test(import, phone_in_scientific_notation_is_refused)
{
	cr_assert_eq(parse("姓名,联系电话\n马文清,1.00123E+10\n"),
	    IMPORT_INVALID);
	cr_assert(has_error(2,
	    "第2行：「联系电话」被 Excel 显示成了科学计数法"));
	cr_assert(has_error(2, "“文本”格式"));
}

Test(import, phone_with_trailing_point_zero_is_refused)
{
	cr_assert_eq(parse("姓名,手机号\n马文清,10012340001.0\n"),
	    IMPORT_INVALID);
	cr_assert(has_error(2, "「手机号」末尾多了“.0”"));
}

Test(import, id_number_mangled_by_excel_is_refused)
{
	cr_assert_eq(parse("姓名,身份证号\n马文清,6.21025E+17\n"
	    "李秀兰,621025198506110000\n"
	    "王春梅,621025680720044\n"), IMPORT_INVALID);
	cr_assert(has_error(2, "科学计数法"));
	cr_assert(has_error(3, "000"));
	cr_assert(has_error(4, "15 位"));
}

Test(import, phone_separators_and_wrappers_are_fine)
{
	cr_assert_eq(parse("姓名,电话,身份证号\n"
	    "马文清,100 1234-0001,\"=\"\"" ID_M1972 "\"\"\"\n"
	    "李秀兰,１００１２３４０００２,621025198506110224\n"
	    "王春梅,+86 100 1234 0003,\n"), IMPORT_OK);
	dump();
	cr_assert_str_eq(people[0].in.phone, "10012340001");
	cr_assert_str_eq(people[0].in.idno, ID_M1972);
	cr_assert_str_eq(people[1].in.phone, "10012340002");
	cr_assert_str_eq(people[2].in.phone, "10012340003");
}

Test(import, two_phones_in_one_cell_are_refused)
{
	cr_assert_eq(parse("姓名,电话\n马文清,\"10012340001,10012340002\"\n"
	    "李秀兰,10012340003/10012340004\n"), IMPORT_INVALID);
	cr_assert(has_error(2, "只能填一个手机号码"));
	cr_assert(has_error(3, "只能填一个手机号码"));
}

Test(import, bad_phone_is_not_echoed)
{
	cr_assert_eq(parse("姓名,电话\n马文清,0934-5551234\n"),
	    IMPORT_INVALID);
	cr_assert(has_error(2, "11 位手机号码"));
	cr_assert_null(strstr(msg(0), "5551234"));
}

/* Line numbers */

Test(import, quoted_newline_keeps_the_row_number)
{
	/*
	 * The note of row 2 spans two physical lines, but Excel shows the
	 * record as one row: the bad record below is row 3, not line 4.
	 */
	cr_assert_eq(parse(HEAD
	    "1,马文清,男,1972,,龙咀子村,,,,,\"村支书\n兼任调解员\"\r\n"
	    "2,李秀兰,不详,1985,,,,,,,\r\n"), IMPORT_INVALID);
	cr_assert_eq(rep.nerrors, 1);
	cr_assert_eq(line_of(0), 3);
	cr_assert(strstr(msg(0), "第3行：「性别」") == msg(0), "%s", msg(0));
}

Test(import, error_in_a_multiline_record_names_its_first_row)
{
	cr_assert_eq(parse("姓名,备注,性别\n"
	    "马文清,\"第一行\r\n第二行\r\n第三行\",X\n"), IMPORT_INVALID);
	cr_assert_eq(line_of(0), 2);
}

Test(import, blank_rows_count_and_crlf_counts_once)
{
	cr_assert_eq(parse("姓名,性别\r\n马文清,男\r\n\r\n,\r\n李秀兰,?\r\n"),
	    IMPORT_INVALID);
	cr_assert_eq(rep.rows, 2);
	cr_assert_eq(line_of(0), 5);
	import_report_release(&rep);
	import_report_init(&rep);
	cr_assert_eq(parse("姓名,性别\n马文清,男\n\n,\n李秀兰,?"),
	    IMPORT_INVALID);
	cr_assert_eq(line_of(0), 5);
}

Test(import, numbered_empty_rows_are_skipped)
{
	/* Templates come with 序号 filled in on empty rows. */
	cr_assert_eq(parse("序号,姓名,性别\n1,马文清,男\n2,,\n3,,\n"),
	    IMPORT_OK);
	cr_assert_eq(rep.rows, 1);
}

Test(import, unterminated_quote_is_reported_where_it_starts)
{
	cr_assert_eq(parse("姓名,备注\n马文清,x\n李秀兰,\"未结束\n王春梅,y\n"),
	    IMPORT_INVALID);
	cr_assert(has_error(3, "引号没有结束"));
}

Test(import, stray_quote_is_reported)
{
	cr_assert_eq(parse("姓名,备注\n马文清,x\n李秀兰,外号\"老三\"\n"),
	    IMPORT_INVALID);
	cr_assert(has_error(3, "引号不成对"));
}

/* Duplicates inside the file */

Test(import, duplicate_phone_is_reported_on_the_second_row)
{
	cr_assert_eq(parse("姓名,电话\n马文清,10012340001\n李秀兰,10012340002"
	    "\n王春梅,100-1234-0001\n"), IMPORT_INVALID);
	cr_assert_eq(rep.nerrors, 1);
	cr_assert(has_error(4, "与第2行的号码相同"));
	cr_assert_eq(rep.ok, 0);
	cr_assert_eq(n, 0);
}

Test(import, duplicate_id_number_is_reported_on_the_second_row)
{
	cr_assert_eq(parse("姓名,身份证号\n马文清," ID_M1972 "\n"
	    "马文青,62102519720315011x\n"), IMPORT_INVALID);
	cr_assert_eq(rep.nerrors, 1);
	cr_assert(has_error(3, "与第2行的身份证号相同"));
}

/* Values */

Test(import, places_are_matched_loosely)
{
	cr_assert_eq(parse("姓名,村,组\n马文清,龙咀子,3组\n李秀兰,龙咀子村,"
	    "第二村民小组\n王春梅,龙咀子村,一社\n"), IMPORT_OK);
	dump();
	cr_assert_eq(people[0].in.group_id, 13);
	cr_assert_eq(people[1].in.group_id, 12);
	cr_assert_eq(people[2].in.group_id, 11);
}

Test(import, unknown_places_are_refused)
{
	cr_assert_eq(parse("姓名,村,组\n马文清,东山村,一组\n"
	    "李秀兰,西渠村,二组\n王春梅,,一组\n"), IMPORT_INVALID);
	cr_assert(has_error(2, "本乡没有“东山村”"));
	cr_assert(has_error(3, "西渠村没有“二组”。该村的组：一组、四组"));
	cr_assert(has_error(4, "没有填写所属村"));
}

Test(import, values_are_checked)
{
	cr_assert_eq(parse("姓名,性别,出生年份,类别\n"
	    "马文清,男,1972,干部\n"
	    "李秀兰,女的,1985,群众\n"
	    "王春梅,女,68年,群众\n"
	    "杨志远,男,1990,党员\n"
	    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
	    "一二三,"
	    "男,,\n"
	    "填报人：马文清,,,\n"), IMPORT_INVALID);
	cr_assert_eq(rep.rows, 6);
	cr_assert_eq(rep.nerrors, 5);
	cr_assert(has_error(3, "应为“男”或“女”，而不是“女的”"));
	cr_assert(has_error(4, "“68年”不是出生年份"));
	cr_assert(has_error(5, "应为“干部”或“群众”"));
	cr_assert(has_error(6, "超过 32 个字"));
	cr_assert(has_error(7, "填报人"));
}

Test(import, id_number_fills_and_checks_sex_and_year)
{
	cr_assert_eq(parse("姓名,性别,出生年份,身份证号\n"
	    "马文清,,," ID_M1972 "\n"), IMPORT_OK);
	cr_assert_str_eq(people[0].in.sex, "M");
	cr_assert_eq(people[0].in.birth_year, 1972);
	import_report_release(&rep);
	import_report_init(&rep);
	cr_assert_eq(parse("姓名,性别,出生年份,身份证号\n"
	    "马文清,女,1973," ID_M1972 "\n"), IMPORT_INVALID);
	cr_assert(has_error(2, "「性别」与身份证号不符"));
	cr_assert(has_error(2,
	    "「出生年份」与身份证号中的出生年份（1972）不符"));
}

Test(import, name_with_newline_is_refused)
{
	cr_assert_eq(parse("姓名\n\"马\n文清\"\n"), IMPORT_INVALID);
	cr_assert(has_error(2, "换行"));
}

Test(import, unnamed_column_with_data_is_refused)
{
	cr_assert_eq(parse("姓名,,\n马文清,,\n李秀兰,,x\n"), IMPORT_INVALID);
	cr_assert_eq(rep.nerrors, 1);
	cr_assert(has_error(3, "第3列有内容"));
}

Test(import, header_only_is_an_error)
{
	cr_assert_eq(parse(HEAD), IMPORT_INVALID);
	cr_assert(strstr(msg(0), "没有要导入的人员") != NULL);
}

Test(import, errors_are_capped_but_counted)
{
	char	*csv, *p;
	size_t	 i;

	csv = malloc(1000 * 16 + 64);
	cr_assert_not_null(csv);
	p = csv;
	memcpy(p, "姓名,性别\n", 14);
	p += 14;
	for (i = 0; i < 1000; i++) {
		memcpy(p, "张三,?\n", 9);
		p += 9;
	}
	*p = '\0';
	cr_assert_eq(parse(csv), IMPORT_INVALID);
	cr_assert_eq(rep.nerrors, 1000);
	cr_assert_eq(json_array_size(rep.errors), IMPORT_MAX_ERRORS);
	free(csv);
}

/* The files under tests/data */

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*data;

	cr_assert_not_null(f, "%s", path);
	data = malloc(IMPORT_MAX_BYTES);
	cr_assert_not_null(data);
	*len = fread(data, 1, IMPORT_MAX_BYTES, f);
	fclose(f);
	return data;
}

static const json_t *
demo_villages(void)
{
	static const char *const names[] = { "龙咀子村", "西渠村", "南邑村",
	    "西头村", "孟河村" };
	static const char *const groups[] = { "一组", "二组", "三组",
	    "四组" };
	json_t	*a = json_array(), *g;
	size_t	 i, j;

	for (i = 0; i < 5; i++) {
		g = json_array();
		for (j = 0; j < 4; j++)
			json_array_append_new(g, json_pack("{sI ss}", "id",
			    (json_int_t)(i * 10 + j + 11), "name", groups[j]));
		json_array_append_new(a, json_pack("{sI ss so}", "id",
		    (json_int_t)(i + 1), "name", names[i], "groups", g));
	}
	json_decref(villages);
	villages = a;
	return a;
}

Test(import, data_files)
{
	char	*data;
	size_t	 len, good;

	demo_villages();
	data = slurp("tests/data/people-good.csv", &len);
	cr_assert_eq(parse_n(data, len), IMPORT_OK);
	dump();
	good = n;
	cr_assert_eq(good, 10);
	cr_assert_str_eq(people[8].in.note, "村支书\n兼任调解员");
	free(data);

	data = slurp("tests/data/people-gbk.csv", &len);
	cr_assert_eq(parse_n(data, len), IMPORT_OK);
	cr_assert_eq(n, good);
	cr_assert_str_eq(people[0].in.name, "马文清");
	free(data);

	import_report_release(&rep);
	import_report_init(&rep);
	data = slurp("tests/data/people-bad.csv", &len);
	cr_assert_eq(parse_n(data, len), IMPORT_INVALID);
	cr_assert_eq(rep.rows, 14);
	cr_assert(has_error(3, "「姓名」不能为空"));
	cr_assert(has_error(10, "与第2行的号码相同"));
	cr_assert(has_error(15, "11 位手机号码"));
	cr_assert(has_error(16, "与第2行的身份证号相同"));
	free(data);

	import_report_release(&rep);
	import_report_init(&rep);
	data = slurp("tests/data/people-password.csv", &len);
	cr_assert_eq(parse_n(data, len), IMPORT_INVALID);
	cr_assert_str_eq(rep.refused, "password_column");
	cr_assert_null(strstr(msg(0), "Xz123456"));
	free(data);
}

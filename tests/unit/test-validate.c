/* test-validate.c: phone numbers, ID numbers, masked names, and UTF-8. */
#include <stdbool.h>
#include <string.h>

#include <criterion/criterion.h>

#include "base/utf8.h"
#include "org/validate.h"

/*
 * Synthetic resident ID numbers: region 621025 (and others), check digit
 * computed with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and the map
 * "10X98765432".  None belongs to a real person.
 */
static char
id_check(const char *first17)
{
	static const int	 w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9,
	    10, 5, 8, 4, 2 };
	int			 i, sum = 0;

	for (i = 0; i < 17; i++)
		sum += (first17[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

/* Phone numbers */

Test(phone, normalise_accepts_typed_forms)
{
	static const char *const ok[] = {
		"13812345678", "138 1234 5678", "138-1234-5678",
		"+86 138 1234 5678", "+8613812345678", "+86-138-1234-5678",
		" 138 1234 5678 ", "1-3-8-1-2-3-4-5-6-7-8",
	};
	char			 out[12];
	size_t			 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(out, 'z', sizeof(out));
		cr_assert_eq(phone_normalise(ok[i], out), 0, "'%s'", ok[i]);
		cr_assert_str_eq(out, "13812345678", "'%s'", ok[i]);
	}
}

Test(phone, normalise_accepts_the_documented_example)
{
	char	 out[12];

	cr_assert_eq(phone_normalise("100 1234 5678", out), 0);
	cr_assert_str_eq(out, "10012345678");
}

Test(phone, normalise_refuses_wrong_length)
{
	static const char *const bad[] = {
		"1381234567", "138123456789", "1", "", "+86", "+86 ",
		"8613812345678", "+86 1381234567", "+86 138123456789",
		"138 1234 567", "   ",
	};
	char			 out[12];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(phone_normalise(bad[i], out), -1, "'%s'", bad[i]);
}

Test(phone, normalise_refuses_letters_and_other_characters)
{
	static const char *const bad[] = {
		"138abcd5678", "1381234567a", "(138)12345678", "138.1234.5678",
		"138/1234/5678", "+86+13812345678", "86 138 1234 5678x",
		"１３８12345678", "138\t1234\t5678", "+1 3812345678",
	};
	char			 out[12];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(phone_normalise(bad[i], out), -1, "'%s'", bad[i]);
}

Test(phone, normalise_refuses_numbers_not_starting_with_1)
{
	static const char *const bad[] = {
		"23812345678", "03812345678", "+86 238 1234 5678",
		"93812345678",
	};
	char			 out[12];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(phone_normalise(bad[i], out), -1, "'%s'", bad[i]);
}

Test(phone, mask_hides_the_middle_four)
{
	char	 out[12];

	phone_mask("13812345678", out);
	cr_assert_str_eq(out, "138****5678");
}

Test(phone, mask_of_wrong_length_hides_everything)
{
	static const char *const bad[] = { "", "1381234567", "138123456789" };
	char			 out[12];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		phone_mask(bad[i], out);
		cr_assert_str_eq(out, "***", "'%s'", bad[i]);
	}
}

/* Resident ID numbers */

Test(idno, check_digits_of_the_fixtures)
{
	cr_assert_eq(id_check("62102519800101001"), '7');
	cr_assert_eq(id_check("11010519491231002"), 'X');
	cr_assert_eq(id_check("62102519800101012"), '1');
}

Test(idno, normalise_accepts_valid_numbers)
{
	static const char *const ok[] = {
		"621025198001010017",	/* 1980-01-01 */
		"621025198001010121",
		"621025198001011239",
		"621025200001010033",	/* 2000-01-01 */
		"440304200002291236",	/* 2000-02-29, a leap day */
		"11010519491231002X",	/* check character X */
		"621025190001010010",	/* 1900-01-01 */
	};
	char			 out[19];
	size_t			 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_assert_eq(idno_normalise(ok[i], out), 0, "%s", ok[i]);
		cr_assert_str_eq(out, ok[i]);
	}
}

Test(idno, normalise_upper_cases_x)
{
	char	 out[19];

	cr_assert_eq(idno_normalise("11010519491231002x", out), 0);
	cr_assert_str_eq(out, "11010519491231002X");
}

Test(idno, normalise_refuses_bad_check_character)
{
	static const char *const bad[] = {
		"621025198001010018", "621025198001010010",
		"62102519800101001X", "62102519800101001x",
		"110105194912310020", "621025198001010017 ",
		"62102519800101001?",
	};
	char			 out[19];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(idno_normalise(bad[i], out), -1, "%s", bad[i]);
}

Test(idno, normalise_refuses_impossible_birth_dates)
{
	/* Each has a correct check digit, so only the date can fail. */
	static const char *const bad[] = {
		"621025198002300016",	/* 1980-02-30 */
		"621025198013010014",	/* month 13 */
		"621025198001000011",	/* day 0 */
	};
	char			 out[19];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(id_check(bad[i]), bad[i][17]);
		cr_assert_eq(idno_normalise(bad[i], out), -1, "%s", bad[i]);
	}
}

Test(idno, normalise_refuses_birth_dates_in_the_future)
{
	char	 out[19];

	cr_assert_eq(id_check("621025210101010013"), '3');
	cr_assert_eq(idno_normalise("621025210101010013", out), -1);
}

Test(idno, normalise_refuses_wrong_length)
{
	static const char *const bad[] = {
		"62102519800101001",	/* 17 */
		"6210251980010100170",	/* 19 */
		"", "621025",
	};
	char			 out[19];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(idno_normalise(bad[i], out), -1, "%s", bad[i]);
}

Test(idno, normalise_refuses_non_digits_in_the_first_17)
{
	static const char *const bad[] = {
		"62102519800101X017", "X21025198001010017",
		"6210251980-1010017", "621025 98001010017",
	};
	char			 out[19];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(idno_normalise(bad[i], out), -1, "%s", bad[i]);
}

Test(idno, mask_keeps_region_and_last_four)
{
	char	 out[19];

	idno_mask("621025198001010017", out);
	cr_assert_str_eq(out, "621025********0017");
	idno_mask("11010519491231002X", out);
	cr_assert_str_eq(out, "110105********002X");
}

Test(idno, mask_of_wrong_length_hides_everything)
{
	char	 out[19];

	idno_mask("62102519800101001", out);
	cr_assert_str_eq(out, "***");
	idno_mask("", out);
	cr_assert_str_eq(out, "***");
}

/* Names */

Test(name, mask_keeps_first_and_last_character)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "张三", "张*" },
		{ "张三丰", "张*丰" },
		{ "欧阳娜娜", "欧*娜" },
		{ "张", "张*" },
		{ "司马相如", "司*如" },
		{ "Li", "L*" },
		{ "Tom", "T*m" },
		{ "阿卜杜·热合曼", "阿*曼" },
	};
	char	 out[64];
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		name_mask(cases[i].in, out, sizeof(out));
		cr_assert_str_eq(out, cases[i].want, "'%s'", cases[i].in);
	}
}

Test(name, mask_of_invalid_or_empty_name_is_a_star)
{
	char	 out[64];

	name_mask("", out, sizeof(out));
	cr_assert_str_eq(out, "*");
	name_mask("\xff\xfe", out, sizeof(out));
	cr_assert_str_eq(out, "*");
}

Test(name, mask_output_is_valid_utf8_and_fits)
{
	char	 out[8];

	name_mask("😀😁😂", out, sizeof(out));
	cr_assert(utf8_valid(out, strlen(out)));
	cr_assert_lt(strlen(out), sizeof(out));
	cr_assert_eq(strncmp(out, "😀*", strlen("😀*")), 0);
	name_mask("张三丰", out, sizeof(out));
	cr_assert_str_eq(out, "张*丰");
}

Test(name, mask_with_tiny_buffer_is_empty)
{
	char	 out[4] = "xyz";

	name_mask("张三", out, sizeof(out));
	cr_assert_str_eq(out, "");
}

/* UTF-8 */

struct bytes {
	const char	*s;
	size_t		 n;
	const char	*what;
};

#define B(lit, what)	{ lit, sizeof(lit) - 1, what }

Test(utf8, valid_accepts_well_formed_text)
{
	static const struct bytes	 ok[] = {
		B("", "empty"),
		B("plain ascii ~", "ascii"),
		B("张三丰 乡镇", "CJK"),
		B("\xc2\x80", "U+0080"),
		B("\xdf\xbf", "U+07FF"),
		B("\xe0\xa0\x80", "U+0800"),
		B("\xed\x9f\xbf", "U+D7FF"),
		B("\xee\x80\x80", "U+E000"),
		B("\xef\xbf\xbf", "U+FFFF"),
		B("\xf0\x9f\x98\x80", "emoji U+1F600"),
		B("\xf0\x90\x80\x80", "U+10000"),
		B("\xf4\x8f\xbf\xbf", "U+10FFFF"),
		B("a\xf0\x9f\x98\x80z", "emoji between ASCII"),
		B("\x7f\x01\t", "controls are still UTF-8"),
	};
	size_t				 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		cr_assert(utf8_valid(ok[i].s, ok[i].n), "%s", ok[i].what);
}

Test(utf8, valid_refuses_ill_formed_text)
{
	static const struct bytes	 bad[] = {
		B("\xc0\xaf", "overlong '/' (C0 AF)"),
		B("\xc1\xbf", "overlong C1"),
		B("\xe0\x80\xaf", "overlong 3-byte"),
		B("\xe0\x9f\xbf", "overlong 3-byte, top"),
		B("\xf0\x80\x80\xaf", "overlong 4-byte"),
		B("\xf0\x8f\xbf\xbf", "overlong 4-byte, top"),
		B("\xed\xa0\x80", "surrogate D800"),
		B("\xed\xbf\xbf", "surrogate DFFF"),
		B("\xf4\x90\x80\x80", "past U+10FFFF"),
		B("\xf5\x80\x80\x80", "F5 lead"),
		B("\xff", "FF"),
		B("\x80", "lone continuation"),
		B("a\xbfz", "continuation in ASCII"),
		B("\xe4\xb8", "truncated 3-byte"),
		B("\xf0\x9f\x98", "truncated 4-byte"),
		B("\xc3", "truncated 2-byte"),
		B("\xe4\xb8z", "3-byte cut by ASCII"),
		B("\xc3\xc3\xa9", "lead byte as continuation"),
		B("a\0b", "NUL"),
		B("\0", "lone NUL"),
	};
	size_t				 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(utf8_valid(bad[i].s, bad[i].n), "%s",
		    bad[i].what);
}

Test(utf8, valid_respects_the_length_given)
{
	/* "张" is three bytes; two of them are a truncated sequence. */
	cr_assert_not(utf8_valid("张", 2));
	cr_assert(utf8_valid("张", 3));
	cr_assert(utf8_valid("ab\xff", 2));
}

Test(utf8, seqlen_reports_sequence_length)
{
	static const struct {
		const char	*s;
		size_t		 n, want;
	} cases[] = {
		{ "a", 1, 1 }, { "\xc3\xa9", 2, 2 }, { "张", 3, 3 },
		{ "\xf0\x9f\x98\x80", 4, 4 }, { "\xf0\x9f\x98\x80", 3, 0 },
		{ "\xc0\xaf", 2, 0 }, { "\xed\xa0\x80", 3, 0 },
		{ "\xf4\x90\x80\x80", 4, 0 }, { "", 0, 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(utf8_seqlen(cases[i].s, cases[i].n),
		    cases[i].want, "case %zu", i);
}

Test(utf8, len_counts_code_points)
{
	cr_assert_eq(utf8_len(""), 0);
	cr_assert_eq(utf8_len("abc"), 3);
	cr_assert_eq(utf8_len("张三"), 2);
	cr_assert_eq(utf8_len("欧阳娜娜"), 4);
	cr_assert_eq(utf8_len("a\xf0\x9f\x98\x80z"), 3);
	cr_assert_eq(utf8_len("é"), 1);
}

Test(utf8, has_control_finds_c0_and_del)
{
	static const struct {
		const char	*s;
		bool		 nl, want;
	} cases[] = {
		{ "plain 文本", false, false },
		{ "", false, false },
		{ "tab\tok", false, false },
		{ "line\nbreak", false, true },
		{ "line\nbreak", true, false },
		{ "cr\r\nlf", false, true },
		{ "cr\r\nlf", true, false },
		{ "bell\a", true, true },
		{ "\x01", true, true },
		{ "esc\x1b[31m", true, true },
		{ "del\x7f", true, true },
		{ "\x1f", false, true },
		{ " ~", false, false },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(utf8_has_control(cases[i].s, cases[i].nl),
		    cases[i].want, "case %zu", i);
}

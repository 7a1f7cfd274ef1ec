/* test-password.c: Argon2id hashing and the password policy. */
#include <sys/types.h>

#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "auth/password.h"
#include "base/compat.h"
#include "base/log.h"

#define MSG_SHORT	"密码至少需要12个字符"
#define MSG_LONG	"密码不能超过128个字符"
#define MSG_CLASSES	"密码需包含大写字母、小写字母、数字、符号中的至少3类"
#define MSG_COMMON	"密码过于常见，请换一个"
#define MSG_LOGIN	"密码不能包含登录名"
#define MSG_LOGIN_DIGITS "密码不能是登录名加数字或符号的组合"
#define MSG_NAME	"密码不能包含本人姓名"
#define MSG_OLD		"新密码不能与旧密码相同或过于相似"
#define MSG_WALK	"密码不能是键盘上连续的按键"
#define MSG_RUNS	"密码不能主要由重复或连续的字符组成" \
			"（如 aaaa、1234、abcd）"
#define MSG_SHAPE	"密码不能是“字母+数字+符号”的简单组合" \
			"（如 zn135246@），请加入不相关的词语或随机字符"
#define MSG_CONTROL	"密码不能包含换行、制表符等控制字符"
#define MSG_ENCODING	"密码包含无法识别的字符，请重新输入"
#define MSG_GENERIC	"密码不符合安全要求，请换一个"
#define MSG_DICT	"密码过于简单或由常见单词变形而来，请换一个"

#define FAST_OPS	1ULL
#define FAST_MEM	8192

struct row {
	const char	*pw;
	const char	*msg;	/* NULL: accepted */
};

static char	 norm[PASSWORD_NORM_MAX];
static char	 msg[256];

/* Read src/auth/blocklist.txt, found from this file's own path. */
static void
load_blocklist(void)
{
	const char	*self = __FILE__, *at;
	char		 path[1024];
	char		*text;
	FILE		*f;
	size_t		 len;
	long		 size;

	at = strstr(self, "tests/unit/");
	snprintf(path, sizeof(path), "%.*ssrc/auth/blocklist.txt",
	    at != NULL ? (int)(at - self) : 0, self);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	cr_assert_gt(size, 0);
	rewind(f);
	text = malloc((size_t)size);
	cr_assert_not_null(text);
	len = fread(text, 1, (size_t)size, f);
	fclose(f);
	cr_assert_eq(len, (size_t)size);
	cr_assert_eq(password_load_blocklist(text, len), 0);
	free(text);
}

static void
setup(void)
{
	log_set_quiet(1);
	cr_assert_eq(password_init(), 0);
	cr_assert_eq(password_set_limits(FAST_OPS, FAST_MEM), 0);
	load_blocklist();
}

TestSuite(password, .init = setup);

static int
check(const char *pw, const struct password_subject *subject)
{
	return password_check(pw, NULL, subject, norm, msg, sizeof(msg));
}

/* Run a table: each row is accepted, or refused with exactly its message. */
static void
check_rows(const struct row *rows, size_t n,
    const struct password_policy *policy,
    const struct password_subject *subject)
{
	size_t	 i;
	int	 rc;

	for (i = 0; i < n; i++) {
		rc = password_check(rows[i].pw, policy, subject, norm, msg,
		    sizeof(msg));
		if (rows[i].msg == NULL) {
			cr_expect_eq(rc, 0, "row %zu (%s) refused: %s", i,
			    rows[i].pw, msg);
			continue;
		}
		cr_expect_eq(rc, -1, "row %zu (%s) accepted", i, rows[i].pw);
		cr_expect_str_eq(msg, rows[i].msg, "row %zu (%s): %s", i,
		    rows[i].pw, msg);
	}
}

/* A password of "n" code points cycling through "unit". */
static void
repeat_to(char *out, size_t outlen, const char *unit, size_t n)
{
	size_t	 i, ulen = strlen(unit), k = 0;

	for (i = 0; i < n; i++) {
		cr_assert_lt(k + 1, outlen);
		out[k++] = unit[i % ulen];
	}
	out[k] = '\0';
}

Test(password, refuses_11_code_points)
{
	static const struct row	 rows[] = {
		{ "Kettle-Gans", MSG_SHORT },
		{ "马上下雪了Snow20", MSG_SHORT },	/* 11 code points */
		{ "Ab1!", MSG_SHORT },
		{ "", MSG_SHORT },
	};

	check_rows(rows, NELEM(rows), NULL, NULL);
}

Test(password, accepts_12_code_points_with_3_classes)
{
	static const struct row	 rows[] = {
		{ "Kettle-Gansu", NULL },	/* upper, lower, other */
		{ "马上下雪了Snow202", NULL },	/* 12 code points */
		{ "Yellow river 9", NULL },
	};

	check_rows(rows, NELEM(rows), NULL, NULL);
}

Test(password, accepts_128_and_refuses_129)
{
	char	 pw[1024];
	size_t	 i, k;

	repeat_to(pw, sizeof(pw), "Grassland Yak Herder 47, ", 128);
	cr_expect_eq(check(pw, NULL), 0, "128 refused: %s", msg);
	cr_expect_str_eq(norm, pw);
	repeat_to(pw, sizeof(pw), "Grassland Yak Herder 47, ", 129);
	cr_expect_eq(check(pw, NULL), -1);
	cr_expect_str_eq(msg, MSG_LONG);

	/* 125 four-byte ideographs and "Ab1": 128 code points, 503 bytes. */
	for (i = 0, k = 0; i < 125; i++) {
		pw[k++] = (char)0xf0;		/* U+20000 + i, CJK Ext. B */
		pw[k++] = (char)0xa0;
		pw[k++] = (char)(0x80 | (i >> 6));
		pw[k++] = (char)(0x80 | (i & 0x3f));
	}
	memcpy(pw + k, "Ab1", 4);
	cr_expect_eq(check(pw, NULL), 0, "128 ideographs refused: %s", msg);
	cr_expect_eq(strlen(norm), 503);
	memcpy(pw + k, "Ab12", 5);
	cr_expect_eq(check(pw, NULL), -1);
	cr_expect_str_eq(msg, MSG_LONG);
}

Test(password, refuses_very_long_input)
{
	char	*pw;

	pw = malloc(100001);
	cr_assert_not_null(pw);
	repeat_to(pw, 100001, "Grassland Yak Herder 47, ", 100000);
	cr_expect_eq(check(pw, NULL), -1);
	cr_expect_str_eq(msg, MSG_LONG);
	free(pw);
}

Test(password, refuses_fewer_than_3_classes)
{
	static const struct row	 rows[] = {
		{ "kettle-gansu", MSG_CLASSES },
		{ "KettleGansuX", MSG_CLASSES },
		{ "马上下雪了还有大风天气冷", MSG_CLASSES },
		{ "Kettle-Gansu", NULL },
	};

	check_rows(rows, NELEM(rows), NULL, NULL);
}

Test(password, accepts_cjk_and_emoji)
{
	static const struct row	 rows[] = {
		{ "马上下雪了Snow2026!", NULL },
		{ "Tea\xf0\x9f\x8d\xb5与Coffee\xe2\x98\x95" "2026", NULL },
		{ "我爱甘肃的山川River9", NULL },
		{ "ŁódźKraków2024!", NULL },
		{ "白日依山尽黄河入海流Q7", NULL },
	};

	check_rows(rows, NELEM(rows), NULL, NULL);
}

Test(password, normalises_to_nfkc)
{
	char	 out[PASSWORD_NORM_MAX];

	cr_assert_eq(check("ＡＢＣ-Quiet-Meadow-7", NULL), 0, "%s", msg);
	cr_expect_str_eq(norm, "ABC-Quiet-Meadow-7");
	cr_assert_eq(check("\xef\xac\x81" "eld-Quiet-Meadow-7", NULL), 0);
	cr_expect_str_eq(norm, "field-Quiet-Meadow-7");	/* ﬁ ligature */
	cr_assert_eq(password_normalize("ＡＢＣ１２３", out), 0);
	cr_expect_str_eq(out, "ABC123");
	cr_expect_eq(password_normalize("\xff", out), -1);
	cr_expect_str_eq(out, "");
}

Test(password, full_width_digits_count_as_digits)
{
	/* "ｚｎ１３５２４６＠" is zn135246@ typed in full width. */
	cr_expect_eq(check("Ｚｎ１３５２４６１３５＠", NULL), -1);
	cr_expect_str_eq(norm, "");
}

Test(password, rejects_leaked_table_shape)
{
	static const char *const pws[] = {
		"zn135246@", "Zn135246135@", "135246zn@@@@", "Abc12345678!",
		"ZN135246@", "zn135246@@@@", "xz135246135@", "Dzb135246!!!",
	};
	static const struct password_policy	 lax = { 8, 128, 3 };
	size_t					 i;

	for (i = 0; i < NELEM(pws); i++) {
		cr_expect_eq(check(pws[i], NULL), -1, "%s accepted", pws[i]);
		cr_expect_eq(password_check(pws[i], &lax, NULL, norm, msg,
		    sizeof(msg)), -1, "%s accepted at 8", pws[i]);
	}
}

Test(password, rejects_stem_digits_symbols_not_on_any_list)
{
	static const struct row	 rows[] = {
		{ "Qm246813579#", MSG_SHAPE },
		{ "Lx97531864!!", MSG_SHAPE },
		{ "8642097531Hk@", MSG_SHAPE },
		{ "Hk@8642097531", MSG_SHAPE },
		{ "Ab@864209753Cd", MSG_SHAPE },	/* two short blocks */
		{ "Password2026!", MSG_SHAPE },		/* 8 letters */
		{ "张三🙂864209753@A", MSG_SHAPE },	/* a Chinese stem */
		{ "马A1352461357@", MSG_SHAPE },	/* one character weighs 2 */
		{ "冬天来了 Snow-7!", NULL },		/* 4 CJK count as 8 + 4 */
		{ "Pass2026!word", MSG_SHAPE },
		{ "Passwords2026!", NULL },		/* 9 letters */
		{ "correct-horse-Battery-7", NULL },
		{ "马上下雪了Snow2026!", NULL },
	};

	check_rows(rows, NELEM(rows), NULL, NULL);
}

Test(password, rejects_keyboard_walks)
{
	static const struct row	 rows[] = {
		{ "Qwertyuiop!9", MSG_WALK },
		{ "Poiuytrewq#1", MSG_WALK },		/* backwards */
		{ "!QAZ2wsx#EDC4rfv", MSG_WALK },	/* columns, shifted */
		{ "1qaz@WSX3edc4RFV", MSG_WALK },
		{ "Zaq!Xsw@Cde#", MSG_WALK },		/* columns upwards */
		{ "!1q2w3e4r5T6y7U8", MSG_WALK },	/* zig-zag */
		{ "Asdfghjkl;'2", MSG_WALK },
		{ "Zxcvbnm,./12", MSG_WALK },
		{ "Rewq4321$#@!", MSG_WALK },
		{ "Property-Lunch-77", NULL },	/* "erty" is a small part */
	};

	check_rows(rows, NELEM(rows), NULL, NULL);
}

Test(password, rejects_repeats_and_sequences)
{
	static const struct row	 rows[] = {
		{ "Abcdefgh!2345", MSG_RUNS },
		{ "aaaaaaaaA1!x", MSG_RUNS },
		{ "Zyxwvuts#9876", MSG_RUNS },
		{ "Mmmmmmmm8888!", MSG_RUNS },
		{ "aA1!aA1!aA1!", "密码中不同的字符太少，请换一个" },
		{ "Xk9mQ2pL1234!", NULL },	/* a short run is fine */
	};

	check_rows(rows, NELEM(rows), NULL, NULL);
}

Test(password, rejects_dictionary_words)
{
	static const struct row	 rows[] = {
		{ "Information!7", MSG_DICT },
		{ "Mississippi-9", MSG_DICT },
		{ "Xylophone.Xylophone", MSG_DICT },
	};

	/* cracklib is switched off where the uid has no passwd entry. */
	if (getpwuid(getuid()) == NULL ||
	    access("/var/cache/cracklib/cracklib_dict.pwd", R_OK) != 0)
		cr_skip_test("cracklib cannot run here");
	check_rows(rows, NELEM(rows), NULL, NULL);
}

Test(password, rejects_login_derived)
{
	static const struct password_subject	 zw = { "zhangwei", NULL,
	    NULL };
	static const struct password_subject	 zn = { "zn", NULL, NULL };
	static const struct password_subject	 z01 = { "zhang01", NULL,
	    NULL };
	static const struct row			 zw_rows[] = {
		{ "Zhangwei#Home-7", MSG_LOGIN },
		{ "My-ZHANGWEI-key", MSG_LOGIN },
		{ "Iewgnahz#Home-7", MSG_LOGIN },	/* reversed */
		{ "Completely-Other-42", NULL },
	};
	static const struct row			 zn_rows[] = {
		{ "Zn@2024#0415!", MSG_LOGIN_DIGITS },
		{ "zn!!8642#9753", MSG_LOGIN_DIGITS },
		{ "Zn@Garden-River7", NULL },	/* a short login is no stem */
	};
	static const struct row			 z01_rows[] = {
		{ "Zhang-Moon-River-5", MSG_LOGIN },	/* its letters */
	};

	check_rows(zw_rows, NELEM(zw_rows), NULL, &zw);
	check_rows(zn_rows, NELEM(zn_rows), NULL, &zn);
	check_rows(z01_rows, NELEM(z01_rows), NULL, &z01);
}

Test(password, rejects_the_persons_name)
{
	static const struct password_subject	 s = { "zw01", "张伟", NULL };
	static const struct row			 rows[] = {
		{ "张伟Is-Great-2026", MSG_NAME },
		{ "Great-张伟-2026", MSG_NAME },
		{ "张Is-Great-伟2026", NULL },
	};

	check_rows(rows, NELEM(rows), NULL, &s);
}

Test(password, rejects_old_or_similar)
{
	static const struct password_subject	 s = { NULL, NULL,
	    "Tianshui-Apple-88!" };
	static const struct row			 rows[] = {
		{ "Tianshui-Apple-88!", MSG_OLD },
		{ "tianshui-APPLE-88!", MSG_OLD },	/* case only */
		{ "Tianshui-Apple-89!", MSG_OLD },	/* 1 edit */
		{ "Tiansh-Apple-88!x", MSG_OLD },	/* 3 edits */
		{ "Ｔianshui-Apple-88!", MSG_OLD },	/* full width */
		{ "Completely-Other-42", NULL },
	};

	check_rows(rows, NELEM(rows), NULL, &s);
}

Test(password, rejects_block_list_entries_case_insensitively)
{
	static const struct row	 rows[] = {
		{ "aa123456789!", MSG_COMMON },
		{ "AA123456789!", MSG_COMMON },
		{ "P@ssw0rd1234", MSG_COMMON },
		{ "p@SSW0RD1234", MSG_COMMON },
		{ "Admin@123456", MSG_COMMON },
		{ "Woaini5201314!", MSG_COMMON },
		{ "Password1234!!", MSG_COMMON },	/* symbols stripped */
		{ "!!Qwer@123456", MSG_COMMON },
		{ "ＡＡ１２３４５６７８９!", MSG_COMMON },	/* full width */
	};

	check_rows(rows, NELEM(rows), NULL, NULL);
}

Test(password, uses_the_loaded_block_list)
{
	static const char	 list[] = "# a comment line\r\n"
	    "\n"
	    "otter-badger-Heron-3\r\n";

	cr_assert_eq(check("Otter-Badger-Heron-3", NULL), 0, "%s", msg);
	cr_assert_eq(password_load_blocklist(list, sizeof(list) - 1), 0);
	cr_expect_eq(check("Otter-Badger-Heron-3", NULL), -1);
	cr_expect_str_eq(msg, MSG_COMMON);
	cr_expect_eq(check("OTTER-BADGER-HERON-3", NULL), -1);
	load_blocklist();
	cr_expect_eq(check("Otter-Badger-Heron-3", NULL), 0, "%s", msg);
}

Test(password, core_block_list_holds_without_loading)
{
	cr_assert_eq(password_load_blocklist("", 0), 0);
	cr_expect_eq(check("AA123456789!", NULL), -1);
	cr_expect_str_eq(msg, MSG_COMMON);
}

Test(password, rejects_control_characters)
{
	static const struct row	 rows[] = {
		{ "Kettle\tGansu-7", MSG_CONTROL },
		{ "Kettle\nGansu-7", MSG_CONTROL },
		{ "Kettle\x7fGansu-7", MSG_CONTROL },
		{ "Kettle\xc2\x85Gansu-7", MSG_CONTROL },	/* NEL */
		{ "Kettle\xe2\x80\xaeGansu-7", MSG_CONTROL },	/* RLO */
	};

	check_rows(rows, NELEM(rows), NULL, NULL);
}

Test(password, rejects_invalid_utf8)
{
	static const struct row	 rows[] = {
		{ "Kettle-Gansu\xff", MSG_ENCODING },
		{ "Kettle-Gansu\xc0\xaf", MSG_ENCODING },	/* overlong */
		{ "Kettle-Gansu\xed\xa0\x80", MSG_ENCODING },	/* surrogate */
		{ "Kettle-Gansu\xe4\xb8", MSG_ENCODING },	/* truncated */
	};

	check_rows(rows, NELEM(rows), NULL, NULL);
}

Test(password, policy_knobs_apply_within_bounds)
{
	static const struct password_policy	 p16 = { 16, 128, 3 };
	static const struct password_policy	 p4c = { 12, 128, 4 };
	static const struct password_policy	 max20 = { 12, 20, 3 };
	static const struct password_policy	 tiny = { 2, 500, 0 };
	char					 pw[256];

	cr_expect_eq(password_check("Otter-Badger-7!", &p16, NULL, norm, msg,
	    sizeof(msg)), -1);
	cr_expect_str_eq(msg, "密码至少需要16个字符");
	cr_expect_eq(password_check("Otter-Badger-Heron", &p4c, NULL, norm,
	    msg, sizeof(msg)), -1);
	cr_expect_str_eq(msg,
	    "密码需包含大写字母、小写字母、数字、符号中的至少4类");
	cr_expect_eq(password_check("Otter-Badger-Heron-Crane", &max20, NULL,
	    norm, msg, sizeof(msg)), -1);
	cr_expect_str_eq(msg, "密码不能超过20个字符");
	/* No policy goes below 8 code points or above 128. */
	cr_expect_eq(password_check("Otter-7", &tiny, NULL, norm, msg,
	    sizeof(msg)), -1);
	cr_expect_str_eq(msg, "密码至少需要8个字符");
	repeat_to(pw, sizeof(pw), "Grassland Yak Herder 47, ", 129);
	cr_expect_eq(password_check(pw, &tiny, NULL, norm, msg, sizeof(msg)),
	    -1);
	cr_expect_str_eq(msg, MSG_LONG);
}

Test(password, messages_never_contain_the_password)
{
	static const char *const pws[] = {
		"Kettle-Gans", "kettle-gansu", "Qwertyuiop!9", "AA123456789!",
		"Qm246813579#", "Abcdefgh!2345", "Zhangwei#Home-7",
		"Tianshui-Apple-88!", "Kettle\tGansu-7", "Password2026!",
		"（如 zn135246@）",	/* a piece of the shape message */
	};
	static const struct password_subject	 s = { "zhangwei", "张伟",
	    "Tianshui-Apple-88!" };
	size_t					 i;

	for (i = 0; i < NELEM(pws); i++) {
		cr_assert_eq(check(pws[i], &s), -1, "%s accepted", pws[i]);
		cr_expect_gt(strlen(msg), 0);
		cr_expect_null(strstr(msg, pws[i]), "%s in \"%s\"", pws[i],
		    msg);
	}
	cr_expect_str_eq(msg, MSG_GENERIC);
}

Test(password, message_is_cut_at_a_character_boundary)
{
	char	 small[8];

	cr_assert_eq(password_check("Kettle-Gans", NULL, NULL, norm, small,
	    sizeof(small)), -1);
	/* "密码" is 6 bytes; the next character does not fit. */
	cr_expect_str_eq(small, "密码");
}

Test(password, random_passwords_always_pass)
{
	static const char	 alphabet[] = "abcdefghijkmnopqrstuvwxyz"
	    "ABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.!@#%";
	char			 pw[17];
	int			 i;

	for (i = 0; i < 1000; i++) {
		password_random(pw, 16);
		cr_assert_eq(strlen(pw), 16);
		cr_assert_eq(strspn(pw, alphabet), 16, "%s", pw);
		cr_assert_not_null(strpbrk(pw, "abcdefghijkmnopqrstuvwxyz"));
		cr_assert_not_null(strpbrk(pw, "ABCDEFGHJKLMNPQRSTUVWXYZ"));
		cr_assert_not_null(strpbrk(pw, "23456789"));
		cr_assert_not_null(strpbrk(pw, "-_.!@#%"));
		cr_assert_eq(check(pw, NULL), 0, "%s refused: %s", pw, msg);
	}
}

Test(password, random_passwords_of_other_lengths_pass)
{
	static const size_t	 lens[] = { 12, 13, 20, 32, 64, 128 };
	char			 pw[129];
	size_t			 i;
	int			 j;

	for (i = 0; i < NELEM(lens); i++)
		for (j = 0; j < 20; j++) {
			password_random(pw, lens[i]);
			cr_assert_eq(strlen(pw), lens[i]);
			cr_assert_eq(check(pw, NULL), 0, "%s: %s", pw, msg);
		}
}

Test(password, hash_has_argon2id_prefix_at_default_limits)
{
	char	 h[PASSWORD_HASH_MAX];

	cr_assert_eq(password_set_limits(crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE), 0);
	cr_assert_eq(password_hash("Kettle-Gansu", h), 0);
	cr_expect(strncmp(h, "$argon2id$v=19$m=65536,t=2,p=1$",
	    strlen("$argon2id$v=19$m=65536,t=2,p=1$")) == 0, "%s", h);
	cr_expect_eq(password_verify(h, "Kettle-Gansu"), 0);
	cr_expect_not(password_needs_rehash(h));
}

Test(password, verify_accepts_the_password_and_nothing_else)
{
	char	 h[PASSWORD_HASH_MAX];

	cr_assert_eq(password_hash("Kettle-Gansu", h), 0);
	cr_expect_eq(password_verify(h, "Kettle-Gansu"), 0);
	cr_expect_eq(password_verify(h, "kettle-Gansu"), -1);
	cr_expect_eq(password_verify(h, "Kettle-Gansu "), -1);
	cr_expect_eq(password_verify(h, ""), -1);
	cr_expect_eq(password_verify(h, NULL), -1);
}

Test(password, verify_refuses_malformed_hashes)
{
	static const char *const bad[] = {
		"",
		"x",
		"$argon2id$",
		"$argon2id$v=19$m=65536,t=2,p=1$",
		"$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
		"$2y$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ012",
		/* Valid form, but asks for 4 GiB: never allocated. */
		"$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA"
		    "$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGg",
	};
	char		 h[PASSWORD_HASH_MAX], cut[PASSWORD_HASH_MAX];
	char		 huge[512];
	size_t		 i;

	for (i = 0; i < NELEM(bad); i++)
		cr_expect_eq(password_verify(bad[i], "Kettle-Gansu"), -1,
		    "%s", bad[i]);
	cr_expect_eq(password_verify(NULL, "Kettle-Gansu"), -1);
	cr_assert_eq(password_hash("Kettle-Gansu", h), 0);
	memcpy(cut, h, sizeof(cut));
	cut[strlen(cut) - 3] = '\0';
	cr_expect_eq(password_verify(cut, "Kettle-Gansu"), -1);
	memset(huge, 'a', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	cr_expect_eq(password_verify(huge, "Kettle-Gansu"), -1);
}

Test(password, needs_rehash_after_raising_limits)
{
	char	 weak[PASSWORD_HASH_MAX], strong[PASSWORD_HASH_MAX];
	char	 old[crypto_pwhash_argon2i_STRBYTES];

	cr_assert_eq(password_hash("Kettle-Gansu", weak), 0);
	cr_expect_not(password_needs_rehash(weak));
	cr_assert_eq(password_set_limits(2, 16384), 0);
	cr_expect(password_needs_rehash(weak));
	cr_assert_eq(password_hash("Kettle-Gansu", strong), 0);
	cr_expect_not(password_needs_rehash(strong));
	/* Lowering the limits never downgrades a stronger hash. */
	cr_assert_eq(password_set_limits(FAST_OPS, FAST_MEM), 0);
	cr_expect_not(password_needs_rehash(strong));
	cr_expect(password_needs_rehash("not a hash"));
	cr_expect(password_needs_rehash(NULL));
	/* Argon2i is moved to Argon2id even at the same limits. */
	cr_assert_eq(crypto_pwhash_argon2i_str(old, "Kettle-Gansu", 12,
	    3, FAST_MEM), 0);
	cr_expect_eq(password_verify(old, "Kettle-Gansu"), 0);
	cr_expect(password_needs_rehash(old));
}

Test(password, set_limits_refuses_out_of_range)
{
	cr_expect_eq(password_set_limits(0, FAST_MEM), -1);
	cr_expect_eq(password_set_limits(FAST_OPS, 1024), -1);
	cr_expect_eq(password_set_limits(1000, FAST_MEM), -1);
	cr_expect_eq(password_set_limits(2, (size_t)8 << 30), -1);
}

static double
now(void)
{
	struct timespec	 ts;

	timespec_get(&ts, TIME_UTC);	/* C11: the build has no _GNU_SOURCE */
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

Test(password, dummy_verify_takes_as_long_as_a_real_one)
{
	char	 h[PASSWORD_HASH_MAX];
	double	 t, real = 1e9, dummy = 1e9;
	int	 i;

	cr_assert_eq(password_set_limits(2, 16 << 20), 0);
	cr_assert_eq(password_hash("Kettle-Gansu", h), 0);
	for (i = 0; i < 3; i++) {
		t = now();
		cr_assert_eq(password_verify(h, "Wrong-Guess-1"), -1);
		t = now() - t;
		if (t < real)
			real = t;
		t = now();
		password_verify_dummy("Wrong-Guess-1");
		t = now() - t;
		if (t < dummy)
			dummy = t;
	}
	cr_expect_gt(dummy, real * 0.5, "dummy %f s, real %f s", dummy, real);
	cr_expect_lt(dummy, real * 2.0, "dummy %f s, real %f s", dummy, real);
	password_verify_dummy(NULL);
}

Test(password, family_is_equal_for_equal_digits_and_symbols)
{
	unsigned char	 key[32], key2[32];
	uint32_t	 a, b, c;

	memset(key, 7, sizeof(key));
	memset(key2, 8, sizeof(key2));
	a = password_family("Zn135246@", key);
	b = password_family("lq135246@", key);
	c = password_family("Li-Quan-135246@", key);
	cr_expect_neq(a, 0);
	cr_expect_eq(a, b);
	cr_expect_neq(a, c);	/* the dashes are part of the residue */
	cr_expect_eq(password_family("张三135246@", key), a);
	cr_expect_lt(a, 1u << 20);
	cr_expect_eq(a & 1, 1);
	cr_expect_neq(password_family("Zn246135@", key), a);
	cr_expect_neq(password_family("Zn135246@", key2), a);
}

Test(password, family_is_zero_for_few_digits_and_symbols)
{
	unsigned char	 key[32];

	memset(key, 7, sizeof(key));
	cr_expect_eq(password_family("correct-horse-Battery-7", key), 0);
	cr_expect_eq(password_family("Kettle-Gansu", key), 0);
	cr_expect_eq(password_family("Zn1352@", key), 0);
	cr_expect_neq(password_family("Zn13524@", key), 0);
	cr_expect_eq(password_family("", key), 0);
	cr_expect_eq(password_family("\xff", key), 0);
}

struct job {
	const char *const	*pws;
	size_t			 n;
	const int		*want_rc;
	char			(*want_msg)[256];
	int			 failures;
};

static void *
hammer(void *arg)
{
	struct job	*j = arg;
	char		 out[PASSWORD_NORM_MAX], m[256];
	size_t		 i, r;
	int		 rc;

	for (i = 0; i < 40; i++)
		for (r = 0; r < j->n; r++) {
			rc = password_check(j->pws[r], NULL, NULL, out, m,
			    sizeof(m));
			if (rc != j->want_rc[r] ||
			    (rc == -1 && strcmp(m, j->want_msg[r]) != 0))
				j->failures++;
		}
	return NULL;
}

Test(password, check_is_safe_from_several_threads)
{
	/* Each reaches libpwquality and cracklib's dictionary. */
	static const char *const pws[] = {
		"correct-horse-Battery-7", "Sunshine-Rainbow1",
		"Information!7", "马上下雪了Snow2026!", "Mississippi-9",
		"Otter-Badger-Heron-3", "Xylophone.Xylophone",
	};
	int			 want_rc[NELEM(pws)];
	char			 want_msg[NELEM(pws)][256];
	pthread_t		 t[8];
	struct job		 jobs[8];
	size_t			 i;

	for (i = 0; i < NELEM(pws); i++) {
		want_rc[i] = check(pws[i], NULL);
		memcpy(want_msg[i], msg, sizeof(msg));
	}
	for (i = 0; i < NELEM(t); i++) {
		jobs[i].pws = pws;
		jobs[i].n = NELEM(pws);
		jobs[i].want_rc = want_rc;
		jobs[i].want_msg = want_msg;
		jobs[i].failures = 0;
		cr_assert_eq(pthread_create(&t[i], NULL, hammer, &jobs[i]), 0);
	}
	for (i = 0; i < NELEM(t); i++) {
		pthread_join(t[i], NULL);
		cr_expect_eq(jobs[i].failures, 0, "thread %zu", i);
	}
}

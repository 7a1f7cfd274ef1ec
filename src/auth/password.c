/* password.c: Argon2id hashing and the password policy (no more zn135246@). */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pwquality.h>
#include <sodium.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>

#include "auth/password.h"
#include "base/compat.h"
#include "base/log.h"
#include "base/str.h"
#include "base/utf8.h"

static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES,
    "PASSWORD_HASH_MAX is smaller than crypto_pwhash_STRBYTES");

#define CP_MAX		(PASSWORD_NORM_MAX - 1)	/* code points in a norm */
#define RAW_MAX		4096	/* bytes looked at before normalising */
#define LEN_CAP		128	/* most code points any policy allows */
#define LEN_FLOOR	8	/* fewest code points any policy allows */
#define STEM_MAX	8	/* letters in the "stem + digits" shape */
#define RUN_MIN		4	/* keys in a keyboard walk or a sequence */
#define DISTINCT_MIN	5	/* different characters in a password */
#define OLD_EDITS_MIN	4	/* edits needed between old and new */
#define LOGIN_MIN	3	/* logins shorter than this are not searched */
#define NAME_MIN	2	/* nor names shorter than this */
#define FAMILY_MIN	6	/* digits and symbols that make a family */
#define HASH_OPS_CAP	64UL	/* a hash asking for more is refused */
#define HASH_MEM_CAP	(1024UL * 1024)	/* KiB: 1 GiB */

#define MSG_INTERNAL	"暂时无法检查密码，请稍后再试"
#define MSG_GENERIC	"密码不符合安全要求，请换一个"
#define MSG_ENCODING	"密码包含无法识别的字符，请重新输入"
#define MSG_CONTROL	"密码不能包含换行、制表符等控制字符"
#define MSG_SHORT	"密码至少需要%d个字符"
#define MSG_LONG	"密码不能超过%d个字符"
#define MSG_CLASSES	"密码需包含大写字母、小写字母、数字、符号中的至少%d类"
#define MSG_COMMON	"密码过于常见，请换一个"
#define MSG_LOGIN	"密码不能包含登录名"
#define MSG_LOGIN_DIGITS "密码不能是登录名加数字或符号的组合"
#define MSG_NAME	"密码不能包含本人姓名"
#define MSG_OLD		"新密码不能与旧密码相同或过于相似"
#define MSG_WALK	"密码不能是键盘上连续的按键"
#define MSG_RUNS	"密码不能主要由重复或连续的字符组成" \
			"（如 aaaa、1234、abcd）"
#define MSG_DISTINCT	"密码中不同的字符太少，请换一个"
#define MSG_SHAPE	"密码不能是“字母+数字+符号”的简单组合" \
			"（如 zn135246@），请加入不相关的词语或随机字符"
#define MSG_DICT	"密码过于简单或由常见单词变形而来，请换一个"
#define MSG_PALINDROME	"密码不能正读反读都一样"

static const struct password_policy policy_default = {
	.min_len = 12,
	.max_len = 128,
	.min_classes = 3,
};

/*
 * Block-list entries that hold even when password_load_blocklist() was
 * never called (the full list is embedded and loaded at start-up).
 */
static const char *const block_core[] = {
	"123456", "12345678", "123456789", "1234567890", "password",
	"qwerty", "111111", "abc123", "a123456", "aa123456", "qq123456",
	"woaini", "5201314", "1314520", "1qaz2wsx", "admin123", "iloveyou",
	"1qaz2wsx3edc", "qwertyuiop123", "woaini5201314", "123456789abc",
	"aa123456789!", "password1234", "admin@123456", "zn135246@",
};

/*
 * Keyboard walks, lowercase and unshifted.  Each is also searched
 * backwards, so "poiuytrewq" and "zaq1" need no line of their own.
 */
static const char *const walks[] = {
	"`1234567890-=",
	"qwertyuiop[]\\",
	"asdfghjkl;'",
	"zxcvbnm,./",
	"1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/-['=]",	/* columns */
	"zaq1xsw2cde3vfr4bgt5nhy6mju7,ki8.lo9/;p0",	/* columns, upwards */
	"qazwsxedcrfvtgbyhnujmik,ol.p;/",	/* columns without digits */
	"1q2w3e4r5t6y7u8i9o0p-[=]",		/* zig-zag */
	"q1w2e3r4t5y6u7i8o9p0",
	"qawsedrftgyhujikolp;",
	"azsxdcfvgbhnjmk,l.;/",
	"7894561230",				/* keypad rows */
	"7418529630",				/* keypad columns */
	"1472583690",
};

/* The shifted keys of a US keyboard and the keys they sit on. */
static const char shifted[] = "~!@#$%^&*()_+{}|:\"<>?";
static const char unshifted[] = "`1234567890-=[]\\;',./";

static pthread_once_t	 init_once = PTHREAD_ONCE_INIT;
static int		 init_rc = -1;

/*
 * libpwquality reads "pwq" only, but cracklib under it is not reentrant:
 * PWOpen() hands out one static PWDICT (with its FILE pointers) and
 * Mangle(), Lowercase(), Reverse() and friends write static buffers.  So
 * one thread at a time calls pwquality_check().
 */
static pthread_mutex_t	 pwq_lock = PTHREAD_MUTEX_INITIALIZER;
static pwquality_settings_t *pwq;

/* The hashing limits and the dummy hash made with them. */
static pthread_mutex_t	 limits_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long limit_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t		 limit_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
static char		 dummy_hash[PASSWORD_HASH_MAX];
static atomic_bool	 warned_weak;	/* said once that limits are weak */

/* The loaded block list: sorted, lowercase, pointing into block_text. */
static pthread_rwlock_t	 block_lock = PTHREAD_RWLOCK_INITIALIZER;
static char		*block_text;
static char		**block_list;
static size_t		 block_len;

/*
 * The working state of one password_check() call.  Everything in it is
 * derived from passwords and is wiped before the call returns.
 */
struct check {
	const char	*raw;		/* the caller's password */
	const char	*norm;		/* its NFKC form, the caller's "out" */
	uint32_t	 cp[CP_MAX];	/* the code points of norm */
	uint32_t	 lc[CP_MAX];	/* the same in lowercase */
	size_t		 n;
	char		 lower[PASSWORD_NORM_MAX];	/* lc as UTF-8 */
	char		 variant[PASSWORD_NORM_MAX];	/* for the block list */
	char		 oldnorm[PASSWORD_NORM_MAX];
	uint32_t	 other[CP_MAX];	/* the login, name or old password */
	size_t		 othern;
	uint32_t	 tmp[CP_MAX];
	bool		 mark[CP_MAX];
	char		*msg;
	size_t		 msglen;
};

enum norm_rc { NORM_OK, NORM_BADUTF8, NORM_TOOLONG, NORM_NOMEM };

static int	 refuse(struct check *, const char *, const char *, ...)
		    PRINTFLIKE(3, 4);

/* Copy the NUL-terminated "src" into msg, cut at a UTF-8 boundary. */
static void
set_msg(char *msg, size_t msglen, const char *src)
{
	size_t	 n;

	if (msg == NULL || msglen == 0)
		return;
	n = strlen(src);
	if (n > msglen - 1) {
		n = msglen - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(msg, src, n);
	msg[n] = '\0';
}

/*
 * Refuse the password: log "why" (English, never the password) and give
 * the user the Chinese sentence "fmt".  Should a sentence ever quote the
 * password (a password that is a piece of a message), a neutral one is
 * given instead.  Returns -1.
 */
static int
refuse(struct check *c, const char *why, const char *fmt, ...)
{
	char	 buf[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if ((strlen(c->norm) >= 4 && strstr(buf, c->norm) != NULL) ||
	    (strlen(c->raw) >= 4 && strstr(buf, c->raw) != NULL))
		set_msg(c->msg, c->msglen, MSG_GENERIC);
	else
		set_msg(c->msg, c->msglen, buf);
	log_info("password refused: %s", why);
	return -1;
}

/* Decode the valid UTF-8 "s" into at most "max" code points. */
static size_t
decode(const char *s, uint32_t *cp, size_t max)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), i = 0, n = 0, k, j;
	uint32_t		 c;

	while (i < len && n < max) {
		k = utf8_seqlen(s + i, len - i);
		if (k == 0)
			break;
		c = k == 1 ? p[i] : p[i] & (0xffu >> (k + 1));
		for (j = 1; j < k; j++)
			c = c << 6 | (p[i + j] & 0x3fu);
		cp[n++] = c;
		i += k;
	}
	return n;
}

/* Encode "c" as UTF-8 at "o" (room for 4 bytes); returns the length. */
static size_t
encode(uint32_t c, char *o)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static bool
is_ascii_letter(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

/*
 * A letter is an ASCII letter or any alphabetic character beyond ASCII:
 * Chinese characters are letters here (word content), while digits,
 * punctuation, spaces and emoji are not.
 */
static bool
is_letter(uint32_t c)
{
	return is_ascii_letter(c) || (c >= 0x80 && uc_is_alpha(c));
}

/* Controls, line separators and the invisible bidirectional overrides. */
static bool
is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
	    c == 0x061c || c == 0x200b || c == 0x200e || c == 0x200f ||
	    c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

/*
 * NFKC-normalise "pw" into "out" (PASSWORD_NORM_MAX bytes).  A normal form
 * longer than PASSWORD_NORM_MAX - 1 bytes has more than LEN_CAP code
 * points, so it is simply too long.
 */
static enum norm_rc
normalize(const char *pw, char *out)
{
	size_t	 len, outlen;
	uint8_t	*r;

	out[0] = '\0';
	len = strlen(pw);
	if (len > RAW_MAX)
		return NORM_TOOLONG;
	if (!utf8_valid(pw, len))
		return NORM_BADUTF8;
	if (len == 0)
		return NORM_OK;
	outlen = PASSWORD_NORM_MAX - 1;
	r = u8_normalize(UNINORM_NFKC, (const uint8_t *)pw, len,
	    (uint8_t *)out, &outlen);
	if (r == NULL)
		return errno == ENOMEM ? NORM_NOMEM : NORM_BADUTF8;
	if (r != (uint8_t *)out) {
		sodium_memzero(r, outlen);
		free(r);
		sodium_memzero(out, PASSWORD_NORM_MAX);
		return NORM_TOOLONG;
	}
	out[outlen] = '\0';
	return NORM_OK;
}

int
password_normalize(const char *pw, char out[PASSWORD_NORM_MAX])
{
	if (pw == NULL) {
		out[0] = '\0';
		return -1;
	}
	return normalize(pw, out) == NORM_OK ? 0 : -1;
}

/* Lowercase and decode the valid UTF-8 "s" into c->other. */
static void
load_other(struct check *c, const char *s)
{
	size_t	 i;

	c->othern = 0;
	if (s == NULL || !utf8_valid(s, strlen(s)))
		return;
	c->othern = decode(s, c->other, CP_MAX);
	for (i = 0; i < c->othern; i++)
		c->other[i] = uc_tolower(c->other[i]);
}

/* True if "needle" (or its reverse) occurs in "hay". */
static bool
has_run(const uint32_t *hay, size_t hn, const uint32_t *needle, size_t nn,
    bool reversed)
{
	size_t	 i, j;

	if (nn == 0 || nn > hn)
		return false;
	for (i = 0; i + nn <= hn; i++) {
		for (j = 0; j < nn; j++)
			if (hay[i + j] !=
			    (reversed ? needle[nn - 1 - j] : needle[j]))
				break;
		if (j == nn)
			return true;
	}
	return false;
}

/* Copy the letters of "in" to "out"; returns how many. */
static size_t
letters_of(const uint32_t *in, size_t n, uint32_t *out)
{
	size_t	 i, k = 0;

	for (i = 0; i < n; i++)
		if (is_letter(in[i]))
			out[k++] = in[i];
	return k;
}

/* How many of lowercase, uppercase, digit and other the password has. */
static int
classes(const uint32_t *cp, size_t n)
{
	bool	 lower = false, upper = false, digit = false, other = false;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (cp[i] >= 'a' && cp[i] <= 'z')
			lower = true;
		else if (cp[i] >= 'A' && cp[i] <= 'Z')
			upper = true;
		else if (is_digit(cp[i]))
			digit = true;
		else
			other = true;
	}
	return lower + upper + digit + other;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* True if the lowercase "s" is on the core or the loaded block list. */
static bool
listed(const char *s)
{
	const char	*key = s;
	size_t		 i;
	bool		 hit;

	for (i = 0; i < NELEM(block_core); i++)
		if (strcmp(s, block_core[i]) == 0)
			return true;
	pthread_rwlock_rdlock(&block_lock);
	hit = block_len > 0 && bsearch(&key, block_list, block_len,
	    sizeof(*block_list), cmp_entry) != NULL;
	pthread_rwlock_unlock(&block_lock);
	return hit;
}

static bool
is_ascii_symbol(char ch)
{
	unsigned char	 u = (unsigned char)ch;

	return u < 0x80 && !is_ascii_letter(u) && !is_digit(u);
}

/*
 * True if the password, or the password without the symbols around it
 * ("Password1234!" for "password1234"), is on the block list.
 */
static bool
blocked(struct check *c)
{
	size_t	 len = strlen(c->lower), start = 0, end = len;

	if (listed(c->lower))
		return true;
	while (end > 0 && is_ascii_symbol(c->lower[end - 1]))
		end--;
	while (start < end && is_ascii_symbol(c->lower[start]))
		start++;
	if (end == start || (start == 0 && end == len))
		return false;
	memcpy(c->variant, c->lower, end);
	c->variant[end] = '\0';
	if (listed(c->variant))
		return true;
	if (start == 0)
		return false;
	memcpy(c->variant, c->lower + start, end - start);
	c->variant[end - start] = '\0';
	return listed(c->variant);
}

/*
 * The login rules: the password may not contain a login of 3 or more
 * characters (or the login reversed), nor the login's longest run of
 * letters when that has 4 or more, and its letters may not be exactly the
 * login's letters ("Zn@2024#0415!" for the login "zn").
 */
static int
check_login(struct check *c, const char *login)
{
	size_t	 i, nl, np, best = 0, bestat = 0, run = 0;

	load_other(c, login);
	if (c->othern == 0)
		return 0;
	if (c->othern >= LOGIN_MIN &&
	    (has_run(c->lc, c->n, c->other, c->othern, false) ||
	    has_run(c->lc, c->n, c->other, c->othern, true)))
		return refuse(c, "contains the login", MSG_LOGIN);
	for (i = 0; i < c->othern; i++) {
		run = is_letter(c->other[i]) ? run + 1 : 0;
		if (run > best) {
			best = run;
			bestat = i + 1 - run;
		}
	}
	if (best >= 4 && best < c->othern &&
	    (has_run(c->lc, c->n, c->other + bestat, best, false) ||
	    has_run(c->lc, c->n, c->other + bestat, best, true)))
		return refuse(c, "contains the login's letters", MSG_LOGIN);
	nl = letters_of(c->other, c->othern, c->other);
	np = letters_of(c->lc, c->n, c->tmp);
	if (nl > 0 && nl == np &&
	    memcmp(c->other, c->tmp, nl * sizeof(*c->tmp)) == 0)
		return refuse(c, "login letters with digits", MSG_LOGIN_DIGITS);
	return 0;
}

/* The person's name (its letters, at least 2) may not be in the password. */
static int
check_name(struct check *c, const char *name)
{
	size_t	 nl;

	load_other(c, name);
	nl = letters_of(c->other, c->othern, c->other);
	if (nl >= NAME_MIN && has_run(c->lc, c->n, c->other, nl, false))
		return refuse(c, "contains the name", MSG_NAME);
	return 0;
}

/* Levenshtein distance between two code point strings. */
static size_t
edits(const uint32_t *a, size_t an, const uint32_t *b, size_t bn)
{
	uint16_t	 row[CP_MAX + 1], diag, up;
	size_t		 i, j;

	for (j = 0; j <= bn; j++)
		row[j] = (uint16_t)j;
	for (i = 1; i <= an; i++) {
		diag = row[0];
		row[0] = (uint16_t)i;
		for (j = 1; j <= bn; j++) {
			up = row[j];
			row[j] = (uint16_t)(diag + (a[i - 1] != b[j - 1]));
			if (up + 1 < row[j])
				row[j] = (uint16_t)(up + 1);
			if (row[j - 1] + 1 < row[j])
				row[j] = (uint16_t)(row[j - 1] + 1);
			diag = up;
		}
	}
	return row[bn];
}

/* The new password must differ from the old one by 4 or more edits. */
static int
check_old(struct check *c, const char *old)
{
	if (normalize(old, c->oldnorm) != NORM_OK)
		return 0;
	load_other(c, c->oldnorm);
	if (c->othern == 0)
		return 0;
	if (edits(c->lc, c->n, c->other, c->othern) < OLD_EDITS_MIN)
		return refuse(c, "same as or close to the old password",
		    MSG_OLD);
	return 0;
}

/*
 * True when the marked characters make up a large part of the password:
 * 60% of it once a trailing run of digits and symbols is set aside (the
 * "qwertyuiop" of "qwertyuiop123!"), or half of the whole.
 */
static bool
mostly_marked(const struct check *c)
{
	size_t	 base = c->n, i, in_base = 0, all = 0;

	while (base > 0 && !is_letter(c->lc[base - 1]))
		base--;
	if (base < RUN_MIN)
		base = c->n;
	for (i = 0; i < c->n; i++) {
		if (!c->mark[i])
			continue;
		all++;
		if (i < base)
			in_base++;
	}
	return in_base * 10 >= base * 6 || all * 2 >= c->n;
}

/* The key "c" as a lowercase, unshifted ASCII character, or -1. */
static int
key_of(uint32_t c)
{
	const char	*p;

	if (c >= 0x80 || c == '\0')
		return -1;
	p = strchr(shifted, (int)c);
	if (p != NULL)
		return (unsigned char)unshifted[p - shifted];
	return (int)c;
}

/* The longest stretch of keys from t[i] that walks "w" either way. */
static size_t
walk_at(const int *t, size_t n, size_t i, const char *w)
{
	size_t	 wl = strlen(w), best = 0, p, k;

	for (p = 0; p < wl; p++) {
		if (t[i] != (unsigned char)w[p])
			continue;
		for (k = 0; i + k < n && p + k < wl &&
		    t[i + k] == (unsigned char)w[p + k]; k++)
			;
		if (k > best)
			best = k;
		for (k = 0; i + k < n && k <= p &&
		    t[i + k] == (unsigned char)w[p - k]; k++)
			;
		if (k > best)
			best = k;
	}
	return best;
}

/* Keyboard walks of 4 or more keys making up most of the password. */
static bool
walked(struct check *c)
{
	int	 t[CP_MAX];
	size_t	 i, k, len, best;

	for (i = 0; i < c->n; i++) {
		t[i] = key_of(c->lc[i]);
		c->mark[i] = false;
	}
	for (i = 0; i < c->n; i++) {
		if (t[i] < 0)
			continue;
		best = 0;
		for (k = 0; k < NELEM(walks); k++) {
			len = walk_at(t, c->n, i, walks[k]);
			if (len > best)
				best = len;
		}
		if (best >= RUN_MIN)
			for (k = 0; k < best; k++)
				c->mark[i + k] = true;
	}
	sodium_memzero(t, sizeof(t));
	return mostly_marked(c);
}

/* True if b follows a as a repeat (step 0) or in the alphabet/digits. */
static bool
steps(uint32_t a, uint32_t b, int step)
{
	if (step == 0)
		return a == b;
	if (!((is_digit(a) && is_digit(b)) ||
	    (a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z')))
		return false;
	return (int64_t)b - (int64_t)a == step;
}

/* Repeats and sequences (aaaa, 1234, 4321, abcd) making up most of it. */
static bool
runs(struct check *c)
{
	static const int	 step[] = { 0, 1, -1 };
	size_t			 i, k, len;

	for (i = 0; i < c->n; i++)
		c->mark[i] = false;
	for (i = 0; i < c->n; i++) {
		for (k = 0; k < NELEM(step); k++) {
			for (len = 1; i + len < c->n &&
			    steps(c->lc[i + len - 1], c->lc[i + len], step[k]);
			    len++)
				;
			if (len >= RUN_MIN)
				memset(c->mark + i, 1, len * sizeof(*c->mark));
		}
	}
	return mostly_marked(c);
}

/* Fewer than DISTINCT_MIN different characters ("aA1!aA1!aA1!"). */
static bool
few_distinct(struct check *c)
{
	size_t	 i, j, distinct = 0;

	for (i = 0; i < c->n && distinct < DISTINCT_MIN; i++) {
		for (j = 0; j < i; j++)
			if (c->lc[j] == c->lc[i])
				break;
		if (j == i)
			distinct++;
	}
	return distinct < DISTINCT_MIN;
}

/*
 * The shape of the leaked table: the letters form at most two blocks of
 * at most 8 letters in all, and everything else is digits and symbols.
 * A letter beyond ASCII (a Chinese character) weighs two: one is worth
 * about as many guesses as two Latin letters and then some.  This refuses
 * zn135246@, Zn135246135@, 135246zn@@@@, Abc12345678!, Password2026! and
 * zn@135246zn, while "correct-horse-Battery-7" (three blocks),
 * "马上下雪了Snow2026!" and "冬天来了 Snow-7!" pass.
 */
static bool
stem_shape(const struct check *c)
{
	size_t	 i, nletters = 0, blocks = 0;
	bool	 prev = false, cur;

	for (i = 0; i < c->n; i++) {
		cur = is_letter(c->cp[i]);
		if (cur) {
			nletters += c->cp[i] >= 0x80 ? 2 : 1;
			if (!prev)
				blocks++;
		}
		prev = cur;
	}
	return nletters <= STEM_MAX && blocks <= 2;
}

/* Ask libpwquality (cracklib's dictionary, old password, login). */
static int
check_pwquality(struct check *c, const char *old, const char *login)
{
	char		 why[PWQ_MAX_ERROR_MESSAGE_LEN + 32];
	const char	*reason;
	void		*aux = NULL;
	int		 rc;

	pthread_mutex_lock(&pwq_lock);
	rc = pwquality_check(pwq, c->norm, old, login, &aux);
	if (rc < 0) {
		reason = pwquality_strerror(why, sizeof(why), rc, aux);
		if (reason != why)
			snprintf(why, sizeof(why), "%s", reason);
	}
	pthread_mutex_unlock(&pwq_lock);
	if (rc >= 0)
		return 0;
	switch (rc) {
	case PWQ_ERROR_SAME_PASSWORD:
	case PWQ_ERROR_CASE_CHANGES_ONLY:
	case PWQ_ERROR_TOO_SIMILAR:
	case PWQ_ERROR_ROTATED:
		return refuse(c, why, MSG_OLD);
	case PWQ_ERROR_USER_CHECK:
	case PWQ_ERROR_GECOS_CHECK:
		return refuse(c, why, MSG_LOGIN);
	case PWQ_ERROR_CRACKLIB_CHECK:
	case PWQ_ERROR_BAD_WORDS:
		return refuse(c, why, MSG_DICT);
	case PWQ_ERROR_PALINDROME:
		return refuse(c, why, MSG_PALINDROME);
	case PWQ_ERROR_MEM_ALLOC:
	case PWQ_ERROR_FATAL_FAILURE:
		error("cannot check password: %s", why);
		return refuse(c, why, MSG_INTERNAL);
	default:
		return refuse(c, why, MSG_GENERIC);
	}
}

/* The policy with each knob brought into the range the code supports. */
static void
policy_clamp(const struct password_policy *in, struct password_policy *p)
{
	*p = in != NULL ? *in : policy_default;
	if (p->max_len <= 0 || p->max_len > LEN_CAP)
		p->max_len = LEN_CAP;
	if (p->min_len < LEN_FLOOR)
		p->min_len = LEN_FLOOR;
	if (p->min_len > p->max_len)
		p->min_len = p->max_len;
	if (p->min_classes < 1)
		p->min_classes = 1;
	if (p->min_classes > 4)
		p->min_classes = 4;
}

/* Every rule in turn; the first that fails sets the message. */
static int
check_all(struct check *c, const char *pw, const struct password_policy *p,
    const struct password_subject *s, char *out)
{
	const char	*login = s != NULL ? s->login : NULL;
	const char	*old = s != NULL ? s->old : NULL;
	size_t		 i, k;

	switch (normalize(pw, out)) {
	case NORM_OK:
		break;
	case NORM_BADUTF8:
		return refuse(c, "not valid UTF-8", MSG_ENCODING);
	case NORM_TOOLONG:
		return refuse(c, "too long", MSG_LONG, p->max_len);
	case NORM_NOMEM:
		error("cannot normalise password: out of memory");
		return refuse(c, "out of memory", MSG_INTERNAL);
	}
	c->n = decode(out, c->cp, CP_MAX);
	for (i = 0; i < c->n; i++)
		if (is_control(c->cp[i]))
			return refuse(c, "control character", MSG_CONTROL);
	if (c->n < (size_t)p->min_len)
		return refuse(c, "too short", MSG_SHORT, p->min_len);
	if (c->n > (size_t)p->max_len)
		return refuse(c, "too long", MSG_LONG, p->max_len);
	if (classes(c->cp, c->n) < p->min_classes)
		return refuse(c, "too few character classes", MSG_CLASSES,
		    p->min_classes);

	for (i = 0, k = 0; i < c->n; i++) {
		c->lc[i] = uc_tolower(c->cp[i]);
		k += encode(c->lc[i], c->lower + k);
	}
	c->lower[k] = '\0';
	if (blocked(c))
		return refuse(c, "on the block list", MSG_COMMON);
	if (login != NULL && check_login(c, login) == -1)
		return -1;
	if (s != NULL && s->name != NULL && check_name(c, s->name) == -1)
		return -1;
	if (old != NULL && *old != '\0' && check_old(c, old) == -1)
		return -1;
	if (walked(c))
		return refuse(c, "keyboard walk", MSG_WALK);
	if (runs(c))
		return refuse(c, "repeated or sequential characters", MSG_RUNS);
	if (few_distinct(c))
		return refuse(c, "too few different characters", MSG_DISTINCT);
	if (stem_shape(c))
		return refuse(c, "short letter stem with digits and symbols",
		    MSG_SHAPE);
	return check_pwquality(c,
	    old != NULL && *old != '\0' && c->oldnorm[0] != '\0' ?
	    c->oldnorm : NULL,
	    login != NULL && *login != '\0' ? login : NULL);
}

int
password_check(const char *pw, const struct password_policy *policy,
    const struct password_subject *subject, char *out, char *msg,
    size_t msglen)
{
	struct check		*c;
	struct password_policy	 p;
	int			 rc;

	if (msg != NULL && msglen > 0)
		msg[0] = '\0';
	out[0] = '\0';
	if (pw == NULL)
		pw = "";
	c = calloc(1, sizeof(*c));
	if (c == NULL || password_init() == -1) {
		free(c);
		set_msg(msg, msglen, MSG_INTERNAL);
		return error("cannot check password");
	}
	c->raw = pw;
	c->norm = out;
	c->msg = msg;
	c->msglen = msglen;
	policy_clamp(policy, &p);
	rc = check_all(c, pw, &p, subject, out);
	if (rc == -1)
		sodium_memzero(out, PASSWORD_NORM_MAX);
	sodium_memzero(c, sizeof(*c));
	free(c);
	return rc;
}

int
password_load_blocklist(const char *text, size_t len)
{
	char	*copy, **list, **old_list, *old_text, *line, *end, *nl, *p;
	size_t	 cap = 1, n = 0, i, k, ll;

	if (text == NULL)
		len = 0;
	copy = malloc(len + 1);
	if (copy == NULL)
		return error("cannot load password block list: out of memory");
	if (len > 0)
		memcpy(copy, text, len);
	copy[len] = '\0';
	for (i = 0; i < len; i++)
		if (copy[i] == '\n')
			cap++;
	list = calloc(cap, sizeof(*list));
	if (list == NULL) {
		free(copy);
		return error("cannot load password block list: out of memory");
	}
	end = copy + len;
	for (line = copy; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		*nl = '\0';
		ll = strlen(line);
		while (ll > 0 && (line[ll - 1] == '\r' || line[ll - 1] == ' ' ||
		    line[ll - 1] == '\t'))
			line[--ll] = '\0';
		if (ll == 0 || strcmp(line, "#") == 0 ||
		    strncmp(line, "# ", 2) == 0 || !utf8_valid(line, ll))
			continue;
		for (p = line; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		list[n++] = line;
	}
	if (n > 0)
		qsort(list, n, sizeof(*list), cmp_entry);
	for (i = 0, k = 0; i < n; i++)
		if (k == 0 || strcmp(list[k - 1], list[i]) != 0)
			list[k++] = list[i];
	n = k;

	pthread_rwlock_wrlock(&block_lock);
	old_list = block_list;
	old_text = block_text;
	block_list = list;
	block_text = copy;
	block_len = n;
	pthread_rwlock_unlock(&block_lock);
	free(old_list);
	free(old_text);
	log_info("password block list loaded: %zu entries", n);
	return 0;
}

static void
limits_get(unsigned long long *ops, size_t *mem)
{
	pthread_mutex_lock(&limits_lock);
	*ops = limit_ops;
	*mem = limit_mem;
	pthread_mutex_unlock(&limits_lock);
}

static int
hash_at(const char *pw, char out[PASSWORD_HASH_MAX], unsigned long long ops,
    size_t mem)
{
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), ops, mem,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return error("cannot hash password: out of memory");
	return 0;
}

#define DUMMY_HASH_INTERACTIVE \
	"$argon2id$v=19$m=65536,t=2,p=1$Cb3GjW+WzWAkMjEZ6I/maA$" \
	"3DBXv1q3vKOk09evtkUUfOxmnI9qlNQzGo3eQulXMRQ"

/* Hash a random password that nobody knows, for password_verify_dummy(). */
static int
dummy_make(char out[PASSWORD_HASH_MAX], unsigned long long ops, size_t mem)
{
	unsigned char	 seed[16];
	char		 pw[2 * sizeof(seed) + 1];
	int		 rc;

	randombytes_buf(seed, sizeof(seed));
	sodium_bin2hex(pw, sizeof(pw), seed, sizeof(seed));
	rc = hash_at(pw, out, ops, mem);
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(seed, sizeof(seed));
	return rc;
}

/*
 * Our own rules govern length and classes, so libpwquality gets the
 * smallest minimum length it accepts and no credits; it keeps the
 * cracklib dictionary, the login check and the old-password similarity.
 */
static int
pwq_setup(void)
{
	static const struct {
		int	 key;
		int	 value;
	} opts[] = {
		{ PWQ_SETTING_MIN_LENGTH, 6 },
		{ PWQ_SETTING_DIG_CREDIT, 0 },
		{ PWQ_SETTING_UP_CREDIT, 0 },
		{ PWQ_SETTING_LOW_CREDIT, 0 },
		{ PWQ_SETTING_OTH_CREDIT, 0 },
		{ PWQ_SETTING_MIN_CLASS, 0 },
		{ PWQ_SETTING_MAX_REPEAT, 0 },
		{ PWQ_SETTING_MAX_CLASS_REPEAT, 0 },
		{ PWQ_SETTING_MAX_SEQUENCE, 0 },
		{ PWQ_SETTING_DIFF_OK, 5 },
		{ PWQ_SETTING_GECOS_CHECK, 0 },
		{ PWQ_SETTING_USER_SUBSTR, 0 },
		{ PWQ_SETTING_DICT_CHECK, 1 },
		{ PWQ_SETTING_USER_CHECK, 1 },
	};
	char		 why[PWQ_MAX_ERROR_MESSAGE_LEN];
	const char	*reason;
	void		*aux;
	size_t		 i;
	int		 rc;

	pwq = pwquality_default_settings();
	if (pwq == NULL)
		return error("cannot make libpwquality settings");
	for (i = 0; i < NELEM(opts); i++)
		if (pwquality_set_int_value(pwq, opts[i].key,
		    opts[i].value) != 0)
			return error("cannot set libpwquality setting %d",
			    opts[i].key);

	/*
	 * cracklib refuses every password when it cannot open its dictionary
	 * or when the server's uid has no passwd entry (FascistCheck looks
	 * the uid up), as in some containers.  Rather than refuse every
	 * password, run without it and say so; our own rules still apply.
	 */
	rc = pwquality_check(pwq, "vT7#qLm2Xw9!Rk4p", NULL, NULL, &aux);
	if (rc < 0) {
		reason = pwquality_strerror(why, sizeof(why), rc, aux);
		if (rc != PWQ_ERROR_CRACKLIB_CHECK)
			return error("libpwquality refuses a strong password: "
			    "%s", reason);
		log_warn("cracklib cannot check passwords here (%s): "
		    "dictionary check disabled", reason);
		return pwquality_set_int_value(pwq, PWQ_SETTING_DICT_CHECK,
		    0) == 0 ? 0 : error("cannot disable cracklib");
	}
	rc = pwquality_check(pwq, "sunshine", NULL, NULL, &aux);
	if (rc < 0)
		(void)pwquality_strerror(why, sizeof(why), rc, aux);
	if (rc != PWQ_ERROR_CRACKLIB_CHECK)
		log_warn("cracklib dictionary does not know 'sunshine'");
	return 0;
}

static void
init_real(void)
{
	if (sodium_init() < 0) {
		error("cannot initialise libsodium");
		return;
	}
	if (pwq_setup() == -1)
		return;
	/*
	 * At the default limits use a hash made once of a random password
	 * that was then thrown away: start-up stays fast (no 64 MiB hash)
	 * and verifying against it costs what a real verification costs.
	 */
	if (limit_ops == crypto_pwhash_OPSLIMIT_INTERACTIVE &&
	    limit_mem == crypto_pwhash_MEMLIMIT_INTERACTIVE)
		str_copy(dummy_hash, DUMMY_HASH_INTERACTIVE, sizeof(dummy_hash));
	else if (dummy_make(dummy_hash, limit_ops, limit_mem) == -1)
		return;
	init_rc = 0;
}

int
password_init(void)
{
	pthread_once(&init_once, init_real);
	return init_rc;
}

int
password_set_limits(unsigned long long ops, size_t mem)
{
	char	 h[PASSWORD_HASH_MAX];

	if (password_init() == -1)
		return -1;
	if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > HASH_OPS_CAP ||
	    mem < crypto_pwhash_MEMLIMIT_MIN || mem / 1024 > HASH_MEM_CAP)
		return error("password hashing limits out of range: "
		    "ops %llu, mem %zu", ops, mem);
	if ((ops < crypto_pwhash_OPSLIMIT_INTERACTIVE ||
	    mem < crypto_pwhash_MEMLIMIT_INTERACTIVE) &&
	    !atomic_exchange(&warned_weak, true))
		log_warn("password hashing limits below libsodium's "
		    "interactive ones: ops %llu, mem %zu", ops, mem);
	if (dummy_make(h, ops, mem) == -1)
		return -1;
	pthread_mutex_lock(&limits_lock);
	limit_ops = ops;
	limit_mem = mem;
	memcpy(dummy_hash, h, sizeof(dummy_hash));
	pthread_mutex_unlock(&limits_lock);
	return 0;
}

int
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	unsigned long long	 ops;
	size_t			 mem;

	out[0] = '\0';
	if (pw == NULL || password_init() == -1)
		return -1;
	limits_get(&ops, &mem);
	return hash_at(pw, out, ops, mem);
}

static const char *
parse_ulong(const char *p, unsigned long *v)
{
	const char	*start = p;
	unsigned long	 n = 0;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (ULONG_MAX - 9) / 10)
			return NULL;
		n = n * 10 + (unsigned long)(*p - '0');
	}
	if (p == start)
		return NULL;
	*v = n;
	return p;
}

/*
 * Read the parameters of "$argon2id$v=19$m=M,t=T,p=P$..." (or argon2i).
 * Returns false for anything else.
 */
static bool
parse_hash(const char *h, bool *is_id, unsigned long *m, unsigned long *t)
{
	unsigned long	 par;
	const char	*p;

	if (strncmp(h, "$argon2id$", 10) == 0) {
		*is_id = true;
		p = h + 10;
	} else if (strncmp(h, "$argon2i$", 9) == 0) {
		*is_id = false;
		p = h + 9;
	} else
		return false;
	if (strncmp(p, "v=19$m=", 7) != 0)
		return false;
	if ((p = parse_ulong(p + 7, m)) == NULL || strncmp(p, ",t=", 3) != 0)
		return false;
	if ((p = parse_ulong(p + 3, t)) == NULL || strncmp(p, ",p=", 3) != 0)
		return false;
	if ((p = parse_ulong(p + 3, &par)) == NULL || *p != '$')
		return false;
	return true;
}

int
password_verify(const char *hash, const char *pw)
{
	unsigned long	 m, t;
	bool		 is_id;

	if (hash == NULL || pw == NULL || password_init() == -1)
		return -1;
	if (strnlen(hash, crypto_pwhash_STRBYTES) == crypto_pwhash_STRBYTES)
		return -1;
	/* A hash from the database may not make us allocate gigabytes. */
	if (!parse_hash(hash, &is_id, &m, &t) || m > HASH_MEM_CAP ||
	    t > HASH_OPS_CAP)
		return -1;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0 ? 0 : -1;
}

bool
password_needs_rehash(const char *hash)
{
	unsigned long long	 ops;
	unsigned long		 m, t;
	size_t			 mem;
	bool			 is_id;
	int			 rc;

	if (hash == NULL || password_init() == -1 ||
	    strnlen(hash, crypto_pwhash_STRBYTES) == crypto_pwhash_STRBYTES)
		return true;
	if (!parse_hash(hash, &is_id, &m, &t) || !is_id)
		return true;
	limits_get(&ops, &mem);
	rc = crypto_pwhash_str_needs_rehash(hash, ops, mem);
	if (rc == 0)
		return false;
	if (rc == -1)
		return true;
	/* The limits differ: rehash when weaker, never downgrade. */
	return t < ops || (unsigned long long)m * 1024 < mem;
}

void
password_verify_dummy(const char *pw)
{
	char	 h[PASSWORD_HASH_MAX];

	if (pw == NULL)
		pw = "";
	pthread_mutex_lock(&limits_lock);
	memcpy(h, dummy_hash, sizeof(h));
	pthread_mutex_unlock(&limits_lock);
	/* The dummy password is random and forgotten: this cannot match. */
	if (h[0] != '\0' && crypto_pwhash_str_verify(h, pw, strlen(pw)) == 0)
		log_warn("dummy password hash matched");
}

/*
 * The family is the first 20 bits of BLAKE2b keyed with "key" over the
 * password's non-letters (digits, symbols, spaces, emoji, in order), with
 * the low bit set so it is never 0.  It lets the account code refuse a
 * password that follows another account's pattern (the township's table:
 * many logins, one "135246@").
 *
 * What it leaks: nothing without the key, which lives in a key file
 * outside the database (so a stolen database or backup alone tells an
 * attacker nothing).  With both, it is an offline test of a guessed digit
 * and symbol part that costs one BLAKE2b instead of one Argon2id; but 20
 * bits (19 effective) is far fewer than such parts take (6 digits alone
 * are 2^20), so each value fits many parts and never names one, and the
 * letters are not covered at all.  It also shows which accounts share a
 * pattern, which is exactly what the account code refuses.
 */
uint32_t
password_family(const char *norm, const unsigned char key[32])
{
	uint32_t	 cp[CP_MAX];
	unsigned char	 h[crypto_generichash_BYTES];
	char		 residue[PASSWORD_NORM_MAX];
	size_t		 n, i, k = 0, count = 0;
	uint32_t	 v = 0;

	if (norm == NULL || !utf8_valid(norm, strlen(norm)) ||
	    strlen(norm) >= PASSWORD_NORM_MAX)
		return 0;
	n = decode(norm, cp, CP_MAX);
	for (i = 0; i < n; i++) {
		if (is_letter(cp[i]))
			continue;
		k += encode(cp[i], residue + k);
		count++;
	}
	if (count >= FAMILY_MIN &&
	    crypto_generichash(h, sizeof(h), (const unsigned char *)residue,
	    k, key, 32) == 0)
		v = ((uint32_t)h[0] << 12 | (uint32_t)h[1] << 4 |
		    (uint32_t)h[2] >> 4) | 1;
	sodium_memzero(cp, sizeof(cp));
	sodium_memzero(residue, sizeof(residue));
	sodium_memzero(h, sizeof(h));
	return v;
}

void
password_random(char *out, size_t len)
{
	static const char	 lower[] = "abcdefghijkmnopqrstuvwxyz";
	static const char	 upper[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
	static const char	 digit[] = "23456789";
	static const char	 symbol[] = "-_.!@#%";
	static const char	 all[] = "abcdefghijkmnopqrstuvwxyz"
	    "ABCDEFGHJKLMNPQRSTUVWXYZ" "23456789" "-_.!@#%";
	char			 norm[PASSWORD_NORM_MAX], msg[256];
	size_t			 i, tries;

	for (tries = 0;; tries++) {
		for (i = 0; i < len; i++)
			out[i] = all[randombytes_uniform(sizeof(all) - 1)];
		out[len] = '\0';
		if (len < 4)
			break;
		if (strpbrk(out, lower) == NULL ||
		    strpbrk(out, upper) == NULL ||
		    strpbrk(out, digit) == NULL ||
		    strpbrk(out, symbol) == NULL)
			continue;
		if (len < (size_t)policy_default.min_len || len > LEN_CAP)
			break;
		if (password_check(out, NULL, NULL, norm, msg,
		    sizeof(msg)) == 0)
			break;
		if (tries >= 1000) {
			log_warn("random password keeps failing the policy: "
			    "%s", msg);
			break;
		}
	}
	sodium_memzero(norm, sizeof(norm));
}

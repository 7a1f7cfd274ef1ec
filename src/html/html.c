/* html.c: the escaping HTML writer, one function per output context. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "html/html.h"

/*
 * Escaping works on runs: scan for the next byte that needs work with one
 * table look-up per byte, append the run of safe bytes in one buf_add(),
 * then append the replacement.  NUL is in every table as a stop byte, so
 * the inner loops need no separate end test.
 */

enum html_class {
	HC_SAFE,
	HC_AMP,
	HC_LT,
	HC_GT,
	HC_QUOT,
	HC_APOS,
	HC_NUL,
	HC__MAX
};

static const unsigned char html_class[256] = {
	['\0'] = HC_NUL,
	['&'] = HC_AMP,
	['<'] = HC_LT,
	['>'] = HC_GT,
	['"'] = HC_QUOT,
	['\''] = HC_APOS,
};

static const struct {
	const char	*s;
	size_t		 len;
} html_ent[HC__MAX] = {
	{ "", 0 },		/* HC_SAFE */
	{ "&amp;", 5 },		/* HC_AMP */
	{ "&lt;", 4 },		/* HC_LT */
	{ "&gt;", 4 },		/* HC_GT */
	{ "&quot;", 6 },	/* HC_QUOT */
	{ "&#39;", 5 },		/* HC_APOS */
	{ "", 0 },		/* HC_NUL */
};

/* Bytes that need no percent-encoding (RFC 3986 "unreserved"). */
static const bool url_unreserved[256] = {
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
	['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1,
};

/* Schemes a whole URL may have; anything else becomes "#". */
static const char *const url_schemes[] = {
	"http",
	"https",
	"mailto",
	"tel",
};

/* Append "s" with & < > " ' replaced by entities. */
static void
html_escape(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*run;
	unsigned char		 c;

	for (;;) {
		run = p;
		while (html_class[*p] == HC_SAFE)
			p++;
		buf_add(b, run, (size_t)(p - run));
		c = html_class[*p];
		if (c == HC_NUL)
			return;
		buf_add(b, html_ent[c].s, html_ent[c].len);
		p++;
	}
}

/*
 * Append "s" with every byte but the unreserved ones written as %XX.
 * Encoded bytes are gathered in a small local array, so a run of
 * non-ASCII text costs one buf_add() per 32 bytes, not one per byte.
 */
static void
html_percent(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*run;
	char			 tmp[96];
	size_t			 n;

	for (;;) {
		run = p;
		while (url_unreserved[*p])
			p++;
		buf_add(b, run, (size_t)(p - run));
		n = 0;
		while (*p != '\0' && !url_unreserved[*p] &&
		    n + 3 <= sizeof(tmp)) {
			tmp[n++] = '%';
			tmp[n++] = hex[*p >> 4];
			tmp[n++] = hex[*p & 15];
			p++;
		}
		buf_add(b, tmp, n);
		if (*p == '\0')
			return;
	}
}

/*
 * Decide whether "s" is safe as a whole URL.  Relative references pass,
 * except those a browser would read as another host ("//host", "/\host",
 * "\host"); so do absolute URLs whose scheme is in url_schemes.  Browsers
 * strip leading spaces and controls and drop tabs and newlines anywhere,
 * so a URL holding any control byte or starting with a space is refused
 * rather than guessed at.
 */
static bool
html_url_ok(const char *s)
{
	const unsigned char	*p;
	size_t			 i, n;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	switch (s[0]) {
	case ' ':
	case '\\':
		return false;
	case '/':
		return s[1] != '/' && s[1] != '\\';
	case '#':
	case '?':
		return true;
	default:
		break;
	}
	n = strcspn(s, ":/\\?#");
	if (s[n] != ':')
		return true;
	for (i = 0; i < NELEM(url_schemes); i++)
		if (strlen(url_schemes[i]) == n &&
		    strncasecmp(s, url_schemes[i], n) == 0)
			return true;
	return false;
}

void
html_text(struct buf *b, const char *s)
{
	html_escape(b, s);
}

void
html_attr(struct buf *b, const char *s)
{
	html_escape(b, s);
}

void
html_url(struct buf *b, const char *s)
{
	if (html_url_ok(s))
		html_escape(b, s);
	else
		buf_lit(b, "#");
}

void
html_url_path(struct buf *b, const char *s)
{
	html_percent(b, s);
}

void
html_url_arg(struct buf *b, const char *s)
{
	html_percent(b, s);
}

/* Written by hand: snprintf() was a fifth of the time to render a table. */
void
html_int(struct buf *b, int64_t v)
{
	char		 tmp[24];
	char		*p = tmp + sizeof(tmp);
	uint64_t	 u;

	u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* tmpl.c: templates parsed once into flat ops, rendered with auto-escaping. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "html/html.h"
#include "html/tmpl.h"

#define TMPL_NEST_MAX		32	/* sections open at once in one file */
#define TMPL_STACK_MAX		64	/* values on the context stack */
#define TMPL_PARTIAL_MAX	16	/* partials open at once in a render */
#define TMPL_NAME_MAX		16	/* bytes kept of a tag or attr name */
#define TMPL_SEG_MAX		32	/* parts of a dotted name */
#define TMPL_SIZE_MAX		(64u << 20)	/* largest template source */

/*
 * The HTML context tracker.  It is a cut-down HTML5 tokenizer run over the
 * literal text of a template, byte by byte, so that at every {{x}} we know
 * where the value will land.  It only needs to be exact about the things
 * that decide escaping: tags, attribute names and quoting, comments, and
 * the elements whose content is not parsed as markup.
 */
enum hst {
	HS_TEXT,		/* between tags */
	HS_TAG_OPEN,		/* after '<' */
	HS_END_TAG_OPEN,	/* after '</' */
	HS_TAG_NAME,
	HS_IN_TAG,		/* before an attribute name */
	HS_ATTR_NAME,
	HS_AFTER_ATTR_NAME,
	HS_BEFORE_ATTR_VALUE,	/* after '=' */
	HS_ATTR_VALUE_DQ,
	HS_ATTR_VALUE_SQ,
	HS_ATTR_VALUE_UNQ,
	HS_DECL_OPEN,		/* after '<!' */
	HS_DECL_DASH,		/* after '<!-' */
	HS_DECL,		/* <!DOCTYPE ...>, <?...>, bogus comments */
	HS_COMMENT_START,	/* after '<!--' */
	HS_COMMENT_START_DASH,
	HS_COMMENT,
	HS_COMMENT_END_DASH,
	HS_COMMENT_END,
	HS_COMMENT_END_BANG,
	HS_RAWTEXT,		/* <script>, <style>...: to the closing tag */
	HS_RCDATA,		/* <textarea>, <title>: text, to the end tag */
	HS_RAW_LT,		/* raw text or RCDATA after '<' */
	HS_RAW_LT_BANG,		/* <script> after '<!' */
	HS_RAW_LT_BANG_DASH,	/* <script> after '<!-' */
	HS_RAW_END,		/* after '</' and "match" bytes of the name */
	HS__MAX
};

/* Elements whose content the tokenizer does not read as markup. */
enum tagk {
	TAG_OTHER,
	TAG_SCRIPT,
	TAG_STYLE,
	TAG_XMP,
	TAG_IFRAME,
	TAG_NOEMBED,
	TAG_NOFRAMES,
	TAG_PLAINTEXT,
	TAG_TEXTAREA,
	TAG_TITLE,
	TAG__MAX
};

static const char *const tag_names[TAG__MAX] = {
	"",		/* TAG_OTHER */
	"script",	/* TAG_SCRIPT */
	"style",	/* TAG_STYLE */
	"xmp",		/* TAG_XMP */
	"iframe",	/* TAG_IFRAME */
	"noembed",	/* TAG_NOEMBED */
	"noframes",	/* TAG_NOFRAMES */
	"plaintext",	/* TAG_PLAINTEXT */
	"textarea",	/* TAG_TEXTAREA */
	"title",	/* TAG_TITLE */
};

#define TAG_IS_RCDATA(t)	((t) == TAG_TEXTAREA || (t) == TAG_TITLE)

enum attrk {
	ATTR_PLAIN,		/* html_attr */
	ATTR_URL,		/* html_url, html_url_path, html_url_arg */
	ATTR_BANNED,		/* no values at all */
	ATTR__MAX
};

/* Attributes holding a URL.  The first six are the documented ones. */
static const char *const url_attrs[] = {
	"href", "src", "action", "formaction", "poster", "cite",
	"background", "codebase", "data", "longdesc", "manifest", "ping",
	"xlink:href", "xml:base",
};

/* Attributes holding script, style or markup; so do all on* attributes. */
static const char *const banned_attrs[] = {
	"style", "srcdoc", "srcset", "imagesrcset",
};

/* Where a value stands in a URL attribute value. */
enum urlph {
	URL_NONE,		/* not a URL attribute */
	URL_START,		/* nothing yet: a whole URL */
	URL_PATH,		/* something, but no '?' or '#' yet */
	URL_QUERY,		/* after '?' or '#' */
	URL__MAX
};

static const char *const urlph_names[URL__MAX] = {
	"",			/* URL_NONE */
	" at its start",	/* URL_START */
	" in the path",		/* URL_PATH */
	" after '?' or '#'",	/* URL_QUERY */
};

/*
 * The tracker's state.  Which members mean something depends on "st": see
 * ctx_eq(), which compares only those.  "name" is lower-cased and not
 * NUL-terminated; longer names keep their first bytes and set "trunc".
 */
struct ctx {
	unsigned char	 st;		/* enum hst */
	unsigned char	 tag;		/* enum tagk of the tag or raw text */
	unsigned char	 endtag;	/* the tag is a closing tag */
	unsigned char	 attr;		/* enum attrk of the attribute */
	unsigned char	 phase;		/* enum urlph in an attribute value */
	unsigned char	 match;		/* bytes of the closing tag name seen */
	unsigned char	 namelen;
	unsigned char	 trunc;
	unsigned char	 sep;		/* SEP_* still to check, in HS_IN_TAG */
	char		 name[TMPL_NAME_MAX];	/* tag or attribute name */
};

/* How a value is written; indexes esc_fns[]. */
enum esc {
	ESC_TEXT,
	ESC_ATTR,
	ESC_URL,
	ESC_URL_PATH,
	ESC_URL_ARG,
	ESC__MAX
};

static void (*const esc_fns[ESC__MAX])(struct buf *, const char *) = {
	html_text,	/* ESC_TEXT */
	html_attr,	/* ESC_ATTR */
	html_url,	/* ESC_URL */
	html_url_path,	/* ESC_URL_PATH */
	html_url_arg,	/* ESC_URL_ARG */
};

enum opk {
	OP_TEXT,	/* literal markup: pool[off .. off + len) */
	OP_VAR,		/* {{name}} */
	OP_INDEX,	/* {{@index}} */
	OP_SECTION,	/* {{#name}}: the body is ops (this, jump) */
	OP_INVERTED,	/* {{^name}}: likewise */
	OP_END,		/* {{/name}}: jump is the opening op */
	OP_PARTIAL,	/* {{>name}} */
	OP_CONTENT,	/* {{>content}} */
	OP__MAX
};

/*
 * One step of a parsed template.  For all but OP_TEXT, "off" is the
 * NUL-terminated name in the pool; a dotted name is also split into
 * "nseg" parts whose pool offsets are segs[seg ...] ("." has none).
 */
struct op {
	unsigned char	 kind;		/* enum opk */
	unsigned char	 esc;		/* enum esc */
	unsigned short	 nseg;
	uint32_t	 line;
	uint32_t	 off;
	uint32_t	 len;
	uint32_t	 seg;
	uint32_t	 jump;
	struct tmpl	*partial;	/* OP_PARTIAL, set by tmpl_set_link() */
};

/* A parsed template.  It owns "name", "pool", "ops" and "segs". */
struct tmpl {
	char		*name;
	char		*pool;		/* literal markup and names */
	struct op	*ops;
	size_t		 nops;
	uint32_t	*segs;
	struct ctx	 end;		/* the HTML context at the end */
	unsigned	 end_line;
	int		 mark;		/* cycle search in tmpl_set_link() */
};

/* A set of templates.  It owns every template in "v". */
struct tmpl_set {
	struct tmpl	**v;
	size_t		  n;
	size_t		  cap;
};

/* A section still open while parsing. */
struct sect {
	size_t		 op;		/* its OP_SECTION or OP_INVERTED */
	size_t		 body;		/* source offset just after its tag */
	struct ctx	 ctx;		/* the HTML context at its tag */
};

struct parser {
	const char	*name;
	const char	*s;
	size_t		 len;
	unsigned	 line;
	struct ctx	 ctx;
	struct buf	 pool;
	struct op	*ops;
	size_t		 nops;
	size_t		 opcap;
	uint32_t	*segs;
	size_t		 nsegs;
	size_t		 segcap;
	struct sect	 sects[TMPL_NEST_MAX];
	size_t		 nopen;
	char		*err;
	size_t		 errlen;
};

/*
 * The state of one render.  The stack is a fixed array: a render allocates
 * nothing but what it appends to "out".  loop[i] is the 1-based index of
 * stack[i] in the array it came from, or 0 if it is not an array element.
 */
struct render {
	json_t		*stack[TMPL_STACK_MAX];
	size_t		 loop[TMPL_STACK_MAX];
	size_t		 depth;
	const struct tmpl *content;
	unsigned	 partials;
	bool		 strict;
	struct buf	*out;
	char		*err;
	size_t		 errlen;
};

static void	 seterr(char *, size_t, const char *, unsigned, const char *,
		    ...) PRINTFLIKE(5, 6);
static int	 perr(struct parser *, unsigned, const char *, ...)
		    PRINTFLIKE(3, 4);
static int	 rerr(struct render *, const struct tmpl *, const struct op *,
		    const char *, ...) PRINTFLIKE(4, 5);
static int	 render_ops(struct render *, const struct tmpl *, size_t,
		    size_t);

/* Write "name:LINE: message" to err, if there is room for anything. */
static void
seterr(char *err, size_t errlen, const char *name, unsigned line,
    const char *fmt, ...)
{
	char	 msg[256];
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%u: %s", name, line, msg);
}

static int
perr(struct parser *p, unsigned line, const char *fmt, ...)
{
	char	 msg[256];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	seterr(p->err, p->errlen, p->name, line, "%s", msg);
	return -1;
}

static int
rerr(struct render *r, const struct tmpl *t, const struct op *op,
    const char *fmt, ...)
{
	char	 msg[256];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	seterr(r->err, r->errlen, t->name, op->line, "%s", msg);
	return -1;
}

static bool
is_space(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\f' ||
	    ch == '\r';
}

static bool
is_alpha(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static unsigned char
to_lower(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + ('a' - 'A')) : ch;
}

/* The context tracker. */

static void
name_add(struct ctx *c, unsigned char ch)
{
	if (c->namelen < sizeof(c->name))
		c->name[c->namelen++] = (char)to_lower(ch);
	else
		c->trunc = 1;
}

static void
name_start(struct ctx *c, unsigned char ch)
{
	c->namelen = 0;
	c->trunc = 0;
	name_add(c, ch);
}

static bool
name_is(const struct ctx *c, const char *s)
{
	size_t	 n = strlen(s);

	return !c->trunc && c->namelen == n && memcmp(c->name, s, n) == 0;
}

static bool
name_eq(const struct ctx *a, const struct ctx *b)
{
	return a->namelen == b->namelen && a->trunc == b->trunc &&
	    memcmp(a->name, b->name, a->namelen) == 0;
}

/* The tag name is complete: note whether it opens raw text. */
static void
ctx_tag_named(struct ctx *c)
{
	size_t	 i;

	c->tag = TAG_OTHER;
	for (i = 1; i < TAG__MAX; i++)
		if (name_is(c, tag_names[i]))
			c->tag = (unsigned char)i;
}

/* The attribute name is complete and a value follows. */
static void
ctx_attr_named(struct ctx *c)
{
	size_t	 i;

	c->attr = ATTR_PLAIN;
	if (c->namelen >= 2 && c->name[0] == 'o' && c->name[1] == 'n') {
		c->attr = ATTR_BANNED;
		return;
	}
	for (i = 0; i < NELEM(banned_attrs); i++)
		if (name_is(c, banned_attrs[i]))
			c->attr = ATTR_BANNED;
	for (i = 0; i < NELEM(url_attrs); i++)
		if (name_is(c, url_attrs[i]))
			c->attr = ATTR_URL;
}

/* A '>' ends the tag being read. */
static void
ctx_emit(struct ctx *c)
{
	if (!c->endtag && c->tag != TAG_OTHER)
		c->st = TAG_IS_RCDATA(c->tag) ? HS_RCDATA : HS_RAWTEXT;
	else {
		c->st = HS_TEXT;
		c->tag = TAG_OTHER;
	}
	c->endtag = 0;
	c->attr = ATTR_PLAIN;
	c->phase = URL_NONE;
	c->match = 0;
	c->namelen = 0;
	c->trunc = 0;
	c->sep = 0;
}

static unsigned char
ctx_raw_base(const struct ctx *c)
{
	return TAG_IS_RCDATA(c->tag) ? HS_RCDATA : HS_RAWTEXT;
}

/* A byte or a value went into an attribute value. */
static void
ctx_value_byte(struct ctx *c, int ch)
{
	if (c->attr != ATTR_URL)
		return;
	if (ch == '?' || ch == '#')
		c->phase = URL_QUERY;
	else if (c->phase == URL_START)
		c->phase = URL_PATH;
}

/*
 * Feed one byte of literal text.  Returns 0, or -1 for markup the tracker
 * refuses to follow ("<!--" inside <script>, whose escaping rules would let
 * "</script>" not end the script).
 */
static int
ctx_byte(struct ctx *c, unsigned char ch)
{
	const char	*tn;

again:
	switch (c->st) {
	case HS_TEXT:
		if (ch == '<')
			c->st = HS_TAG_OPEN;
		break;
	case HS_TAG_OPEN:
		if (ch == '!')
			c->st = HS_DECL_OPEN;
		else if (ch == '/')
			c->st = HS_END_TAG_OPEN;
		else if (ch == '?')
			c->st = HS_DECL;
		else if (is_alpha(ch)) {
			c->endtag = 0;
			name_start(c, ch);
			c->st = HS_TAG_NAME;
		} else {
			c->st = HS_TEXT;
			goto again;
		}
		break;
	case HS_END_TAG_OPEN:
		if (is_alpha(ch)) {
			c->endtag = 1;
			name_start(c, ch);
			c->st = HS_TAG_NAME;
		} else if (ch == '>')
			c->st = HS_TEXT;
		else
			c->st = HS_DECL;
		break;
	case HS_TAG_NAME:
		if (is_space(ch) || ch == '/') {
			ctx_tag_named(c);
			c->st = HS_IN_TAG;
		} else if (ch == '>') {
			ctx_tag_named(c);
			ctx_emit(c);
		} else
			name_add(c, ch);
		break;
	case HS_IN_TAG:
		if (ch == '>')
			ctx_emit(c);
		else if (!is_space(ch) && ch != '/') {
			name_start(c, ch);
			c->st = HS_ATTR_NAME;
		}
		break;
	case HS_ATTR_NAME:
		if (is_space(ch))
			c->st = HS_AFTER_ATTR_NAME;
		else if (ch == '/')
			c->st = HS_IN_TAG;
		else if (ch == '=') {
			ctx_attr_named(c);
			c->st = HS_BEFORE_ATTR_VALUE;
		} else if (ch == '>')
			ctx_emit(c);
		else
			name_add(c, ch);
		break;
	case HS_AFTER_ATTR_NAME:
		if (ch == '/')
			c->st = HS_IN_TAG;
		else if (ch == '=') {
			ctx_attr_named(c);
			c->st = HS_BEFORE_ATTR_VALUE;
		} else if (ch == '>')
			ctx_emit(c);
		else if (!is_space(ch)) {
			name_start(c, ch);
			c->st = HS_ATTR_NAME;
		}
		break;
	case HS_BEFORE_ATTR_VALUE:
		c->phase = c->attr == ATTR_URL ? URL_START : URL_NONE;
		if (ch == '"')
			c->st = HS_ATTR_VALUE_DQ;
		else if (ch == '\'')
			c->st = HS_ATTR_VALUE_SQ;
		else if (ch == '>')
			ctx_emit(c);
		else if (!is_space(ch))
			c->st = HS_ATTR_VALUE_UNQ;
		break;
	case HS_ATTR_VALUE_DQ:
	case HS_ATTR_VALUE_SQ:
		/* After the closing quote the tokenizer acts as in a tag. */
		if (ch == (c->st == HS_ATTR_VALUE_DQ ? '"' : '\''))
			c->st = HS_IN_TAG;
		else
			ctx_value_byte(c, ch);
		break;
	case HS_ATTR_VALUE_UNQ:
		if (is_space(ch))
			c->st = HS_IN_TAG;
		else if (ch == '>')
			ctx_emit(c);
		break;
	case HS_DECL_OPEN:
		if (ch == '-')
			c->st = HS_DECL_DASH;
		else if (ch == '>')
			c->st = HS_TEXT;
		else
			c->st = HS_DECL;
		break;
	case HS_DECL_DASH:
		if (ch == '-')
			c->st = HS_COMMENT_START;
		else {
			c->st = HS_DECL;
			goto again;
		}
		break;
	case HS_DECL:
		if (ch == '>')
			c->st = HS_TEXT;
		break;
	case HS_COMMENT_START:
	case HS_COMMENT_START_DASH:
		/* "<!-->" and "<!--->" are whole (empty) comments. */
		if (ch == '>')
			c->st = HS_TEXT;
		else if (ch == '-')
			c->st = c->st == HS_COMMENT_START ?
			    HS_COMMENT_START_DASH : HS_COMMENT_END;
		else {
			c->st = HS_COMMENT;
			goto again;
		}
		break;
	case HS_COMMENT:
		if (ch == '-')
			c->st = HS_COMMENT_END_DASH;
		break;
	case HS_COMMENT_END_DASH:
		if (ch == '-')
			c->st = HS_COMMENT_END;
		else {
			c->st = HS_COMMENT;
			goto again;
		}
		break;
	case HS_COMMENT_END:
		if (ch == '>')
			c->st = HS_TEXT;
		else if (ch == '!')
			c->st = HS_COMMENT_END_BANG;
		else if (ch != '-') {
			c->st = HS_COMMENT;
			goto again;
		}
		break;
	case HS_COMMENT_END_BANG:
		if (ch == '>')
			c->st = HS_TEXT;
		else if (ch == '-')
			c->st = HS_COMMENT_END_DASH;
		else {
			c->st = HS_COMMENT;
			goto again;
		}
		break;
	case HS_RAWTEXT:
	case HS_RCDATA:
		/* <plaintext> never ends. */
		if (ch == '<' && c->tag != TAG_PLAINTEXT)
			c->st = HS_RAW_LT;
		break;
	case HS_RAW_LT:
		if (ch == '/') {
			c->match = 0;
			c->st = HS_RAW_END;
		} else if (ch == '!' && c->tag == TAG_SCRIPT)
			c->st = HS_RAW_LT_BANG;
		else {
			c->st = ctx_raw_base(c);
			goto again;
		}
		break;
	case HS_RAW_LT_BANG:
	case HS_RAW_LT_BANG_DASH:
		if (ch != '-') {
			c->st = ctx_raw_base(c);
			goto again;
		}
		if (c->st == HS_RAW_LT_BANG_DASH)
			return -1;
		c->st = HS_RAW_LT_BANG_DASH;
		break;
	case HS_RAW_END:
		tn = tag_names[c->tag];
		if (tn[c->match] != '\0' && (char)to_lower(ch) == tn[c->match])
			c->match++;
		else if (tn[c->match] == '\0' &&
		    (is_space(ch) || ch == '/' || ch == '>')) {
			c->endtag = 1;
			c->match = 0;
			if (ch == '>')
				ctx_emit(c);
			else
				c->st = HS_IN_TAG;
		} else {
			c->st = ctx_raw_base(c);
			goto again;
		}
		break;
	default:
		break;
	}
	return 0;
}

/* Describe a context for a message: "text", "attribute 'href'"... */
static void
ctx_describe(const struct ctx *c, char *out, size_t n)
{
	switch (c->st) {
	case HS_TEXT:
		snprintf(out, n, "text");
		break;
	case HS_TAG_OPEN:
	case HS_END_TAG_OPEN:
	case HS_TAG_NAME:
	case HS_RAW_LT:
	case HS_RAW_LT_BANG:
	case HS_RAW_LT_BANG_DASH:
	case HS_RAW_END:
		snprintf(out, n, "a tag name");
		break;
	case HS_IN_TAG:
	case HS_ATTR_NAME:
	case HS_AFTER_ATTR_NAME:
		snprintf(out, n, "an attribute name");
		break;
	case HS_BEFORE_ATTR_VALUE:
	case HS_ATTR_VALUE_UNQ:
		snprintf(out, n, "the unquoted value of attribute '%.*s%s'",
		    (int)c->namelen, c->name, c->trunc ? "..." : "");
		break;
	case HS_ATTR_VALUE_DQ:
	case HS_ATTR_VALUE_SQ:
		snprintf(out, n, "attribute '%.*s%s'%s",
		    (int)c->namelen, c->name, c->trunc ? "..." : "",
		    urlph_names[c->phase]);
		break;
	case HS_DECL_OPEN:
	case HS_DECL_DASH:
	case HS_DECL:
		snprintf(out, n, "a <!...> declaration");
		break;
	case HS_RAWTEXT:
	case HS_RCDATA:
		snprintf(out, n, "<%s> content", tag_names[c->tag]);
		break;
	default:
		snprintf(out, n, "a comment");
		break;
	}
}

/*
 * Decide how a value at context "c" is escaped.  Returns 0, or -1 if no
 * value may stand there.
 */
static int
ctx_var(const struct ctx *c, enum esc *esc)
{
	switch (c->st) {
	case HS_TEXT:
	case HS_RCDATA:
		*esc = ESC_TEXT;
		return 0;
	case HS_ATTR_VALUE_DQ:
	case HS_ATTR_VALUE_SQ:
		if (c->attr == ATTR_BANNED)
			return -1;
		if (c->attr != ATTR_URL)
			*esc = ESC_ATTR;
		else if (c->phase == URL_START)
			*esc = ESC_URL;
		else if (c->phase == URL_PATH)
			*esc = ESC_URL_PATH;
		else
			*esc = ESC_URL_ARG;
		return 0;
	default:
		return -1;
	}
}

/*
 * Whether two contexts will treat everything that follows alike.  Only
 * the members that matter in the state are compared.
 */
static bool
ctx_eq(const struct ctx *a, const struct ctx *b)
{
	if (a->st != b->st)
		return false;
	switch (a->st) {
	case HS_TAG_NAME:
		return a->endtag == b->endtag && name_eq(a, b);
	case HS_IN_TAG:
		return a->tag == b->tag && a->endtag == b->endtag;
	case HS_ATTR_NAME:
	case HS_AFTER_ATTR_NAME:
	case HS_BEFORE_ATTR_VALUE:
	case HS_ATTR_VALUE_UNQ:
		return a->tag == b->tag && a->endtag == b->endtag &&
		    name_eq(a, b);
	case HS_ATTR_VALUE_DQ:
	case HS_ATTR_VALUE_SQ:
		return a->tag == b->tag && a->endtag == b->endtag &&
		    name_eq(a, b) && a->attr == b->attr &&
		    a->phase == b->phase;
	case HS_RAWTEXT:
	case HS_RCDATA:
	case HS_RAW_LT:
	case HS_RAW_LT_BANG:
	case HS_RAW_LT_BANG_DASH:
		return a->tag == b->tag;
	case HS_RAW_END:
		return a->tag == b->tag && a->match == b->match;
	default:
		return true;
	}
}

/*
 * Sections inside a start tag.  A section that makes an attribute
 * optional, as in
 *	<option value="{{v}}"{{#sel}} selected{{/sel}}>
 * begins in one state (after the tag name or between attributes) and ends
 * in another (after the attribute name).  That is safe when what follows
 * cannot tell the two apart: white space, '/' or '>' after a tag or
 * attribute name, and no '=' right after the white space that follows an
 * attribute name.  So such a section may end in a different state of the
 * same kind of tag; the tracker carries on between attributes and records
 * the constraint in ctx.sep, which parse_literal() enforces on the bytes
 * that follow.  The body must meet it too, since a loop renders it again
 * after itself.
 */
enum {
	SEP_BREAK = 1,		/* next byte: white space, '/' or '>' */
	SEP_NOEQ = 2		/* next byte but white space: not '=' */
};

/* Whether "c" is inside a tag's name or attributes; "kind" its tag. */
static bool
ctx_in_tag(const struct ctx *c, unsigned char *kind)
{
	struct ctx	 t;

	switch (c->st) {
	case HS_TAG_NAME:
		t = *c;
		ctx_tag_named(&t);
		*kind = t.tag;
		return true;
	case HS_IN_TAG:
	case HS_ATTR_NAME:
	case HS_AFTER_ATTR_NAME:
		*kind = c->tag;
		return true;
	default:
		return false;
	}
}

/* What must follow "c" for it to act as "between attributes". */
static unsigned char
ctx_sep_need(const struct ctx *c)
{
	switch (c->st) {
	case HS_TAG_NAME:
		return SEP_BREAK;
	case HS_ATTR_NAME:
		return SEP_BREAK | SEP_NOEQ;
	case HS_AFTER_ATTR_NAME:
		return SEP_NOEQ;
	default:
		return c->sep;
	}
}

/* Check literal byte "ch" against the pending constraint; -1 if broken. */
static int
ctx_sep(struct ctx *c, unsigned char ch)
{
	if ((c->sep & SEP_BREAK) && !is_space(ch) && ch != '/' && ch != '>')
		return -1;
	c->sep &= (unsigned char)~SEP_BREAK;
	if (c->sep & SEP_NOEQ) {
		if (ch == '=')
			return -1;
		if (!is_space(ch))
			c->sep = 0;
	}
	return 0;
}

/*
 * Whether the source from "i" on (a section body) meets constraint
 * "need".  A tag there ("{{") is not looked into: it fails.
 */
static bool
sep_ok(const struct parser *p, size_t i, unsigned char need)
{
	const char	*s = p->s;

	if (need == 0)
		return true;
	if (i >= p->len || (s[i] == '{' && i + 1 < p->len && s[i + 1] == '{'))
		return false;
	if ((need & SEP_BREAK) && !is_space((unsigned char)s[i]) &&
	    s[i] != '/' && s[i] != '>')
		return false;
	if (need & SEP_NOEQ) {
		while (i < p->len && is_space((unsigned char)s[i]))
			i++;
		if (i >= p->len || s[i] == '=' ||
		    (s[i] == '{' && i + 1 < p->len && s[i + 1] == '{'))
			return false;
	}
	return true;
}

/* The parser. */

static struct op *
op_new(struct parser *p)
{
	struct op	*v;
	size_t		 ncap;

	if (p->nops == p->opcap) {
		ncap = p->opcap ? p->opcap * 2 : 32;
		v = reallocarray(p->ops, ncap, sizeof(*v));
		if (v == NULL) {
			perr(p, p->line, "out of memory");
			return NULL;
		}
		p->ops = v;
		p->opcap = ncap;
	}
	v = &p->ops[p->nops++];
	memset(v, 0, sizeof(*v));
	v->line = p->line;
	return v;
}

/* Add a NUL-terminated copy of s[0 .. n) to the pool; return its offset. */
static uint32_t
pool_name(struct parser *p, const char *s, size_t n)
{
	uint32_t	 off = (uint32_t)p->pool.len;

	buf_add(&p->pool, s, n);
	buf_addc(&p->pool, '\0');
	return off;
}

static int
seg_add(struct parser *p, uint32_t off)
{
	uint32_t	*v;
	size_t		 ncap;

	if (p->nsegs == p->segcap) {
		ncap = p->segcap ? p->segcap * 2 : 32;
		v = reallocarray(p->segs, ncap, sizeof(*v));
		if (v == NULL)
			return perr(p, p->line, "out of memory");
		p->segs = v;
		p->segcap = ncap;
	}
	p->segs[p->nsegs++] = off;
	return 0;
}

static bool
is_name_byte(unsigned char ch)
{
	return is_alpha(ch) || (ch >= '0' && ch <= '9') || ch == '_' ||
	    ch == '-' || ch >= 0x80;
}

/* Store the name "." or "a.b.c" of op "i" and split it into parts. */
static int
parse_path(struct parser *p, size_t i, const char *s, size_t n)
{
	size_t	 a, b, nseg = 0;

	p->ops[i].off = pool_name(p, s, n);
	p->ops[i].seg = (uint32_t)p->nsegs;
	if (n == 1 && s[0] == '.')
		return 0;
	for (a = 0;; a = b + 1) {
		for (b = a; b < n && s[b] != '.'; b++)
			if (!is_name_byte((unsigned char)s[b]))
				return perr(p, p->line,
				    "bad character in name '%.*s'", (int)n, s);
		if (b == a)
			return perr(p, p->line, "empty part in name '%.*s'",
			    (int)n, s);
		if (++nseg > TMPL_SEG_MAX)
			return perr(p, p->line, "name '%.*s' is too long",
			    (int)n, s);
		if (seg_add(p, pool_name(p, s + a, b - a)) == -1)
			return -1;
		if (b == n)
			break;
	}
	p->ops[i].nseg = (unsigned short)nseg;
	return 0;
}

/* Literal text s[from .. to): track the context and keep the bytes. */
static int
parse_literal(struct parser *p, size_t from, size_t to)
{
	struct op	*op;
	size_t		 i;

	if (from == to)
		return 0;
	op = p->nops > 0 ? &p->ops[p->nops - 1] : NULL;
	if (op == NULL || op->kind != OP_TEXT ||
	    op->off + op->len != p->pool.len) {
		op = op_new(p);
		if (op == NULL)
			return -1;
		op->kind = OP_TEXT;
		op->off = (uint32_t)p->pool.len;
	}
	op->len += (uint32_t)(to - from);
	buf_add(&p->pool, p->s + from, to - from);
	for (i = from; i < to; i++) {
		if (p->ctx.sep != 0 &&
		    ctx_sep(&p->ctx, (unsigned char)p->s[i]) == -1)
			return perr(p, p->line, "'%c' after an optional "
			    "attribute is ambiguous: add a space or end "
			    "the tag", p->s[i]);
		if (ctx_byte(&p->ctx, (unsigned char)p->s[i]) == -1)
			return perr(p, p->line,
			    "'<!--' inside <script> is not supported");
		if (p->s[i] == '\n')
			p->line++;
	}
	return 0;
}

static int
parse_var(struct parser *p, const char *s, size_t n)
{
	struct op	*op;
	enum esc	 esc = ESC_TEXT;
	char		 where[96];

	if (ctx_var(&p->ctx, &esc) == -1) {
		ctx_describe(&p->ctx, where, sizeof(where));
		return perr(p, p->line, "'{{%.*s}}' is not allowed in %s",
		    (int)n, s, where);
	}
	op = op_new(p);
	if (op == NULL)
		return -1;
	op->esc = (unsigned char)esc;
	if (n == 6 && memcmp(s, "@index", 6) == 0) {
		op->kind = OP_INDEX;
		op->off = pool_name(p, s, n);
	} else {
		op->kind = OP_VAR;
		if (parse_path(p, p->nops - 1, s, n) == -1)
			return -1;
	}
	if (p->ctx.st == HS_ATTR_VALUE_DQ || p->ctx.st == HS_ATTR_VALUE_SQ)
		ctx_value_byte(&p->ctx, 0);
	return 0;
}

static int
parse_open(struct parser *p, int sigil, const char *s, size_t n,
    size_t body)
{
	struct op	*op;
	struct sect	*o;

	if (p->nopen == TMPL_NEST_MAX)
		return perr(p, p->line, "sections nested deeper than %d",
		    TMPL_NEST_MAX);
	if (n == 6 && memcmp(s, "@index", 6) == 0)
		return perr(p, p->line, "'@index' cannot open a section");
	op = op_new(p);
	if (op == NULL)
		return -1;
	op->kind = sigil == '#' ? OP_SECTION : OP_INVERTED;
	if (parse_path(p, p->nops - 1, s, n) == -1)
		return -1;
	o = &p->sects[p->nopen++];
	o->op = p->nops - 1;
	o->body = body;
	o->ctx = p->ctx;
	return 0;
}

static int
parse_close(struct parser *p, const char *s, size_t n)
{
	struct sect	*o;
	struct op	*op;
	const char	*oname;
	const struct ctx *b;
	struct ctx	*e = &p->ctx;
	unsigned char	 kb = TAG_OTHER, ke = TAG_OTHER, need, sep;
	bool		 same;
	char		 was[96], is[96];

	if (p->nopen == 0)
		return perr(p, p->line, "'{{/%.*s}}' closes no section",
		    (int)n, s);
	o = &p->sects[p->nopen - 1];
	b = &o->ctx;
	oname = p->pool.data + p->ops[o->op].off;
	if (strlen(oname) != n || memcmp(oname, s, n) != 0)
		return perr(p, p->line,
		    "'{{/%.*s}}' does not close section '%s' of line %u",
		    (int)n, s, oname, (unsigned)p->ops[o->op].line);
	same = ctx_eq(b, e);
	if (same) {
		need = (unsigned char)(e->sep & ~b->sep);
		sep = b->sep | e->sep;
	} else if (ctx_in_tag(b, &kb) && ctx_in_tag(e, &ke) && kb == ke &&
	    b->endtag == e->endtag) {
		need = ctx_sep_need(b) | ctx_sep_need(e);
		sep = need;
	} else {
		ctx_describe(b, was, sizeof(was));
		ctx_describe(e, is, sizeof(is));
		return perr(p, p->line,
		    "section '%s' begins in %s but ends in %s", oname, was, is);
	}
	if (!sep_ok(p, o->body, need))
		return perr(p, p->line, "section '%s' must begin with white "
		    "space, as in <tag{{#x}} attr{{/x}}>", oname);
	if (!same) {
		e->st = HS_IN_TAG;
		e->tag = ke;
	}
	e->sep = sep;
	op = op_new(p);
	if (op == NULL)
		return -1;
	op->kind = OP_END;
	op->off = p->ops[o->op].off;
	op->jump = (uint32_t)o->op;
	p->ops[o->op].jump = (uint32_t)(p->nops - 1);
	p->nopen--;
	return 0;
}

static int
parse_partial(struct parser *p, const char *s, size_t n)
{
	struct op	*op;
	char		 where[96];
	size_t		 i;

	if (n == 0)
		return perr(p, p->line, "'{{>}}' names no template");
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '{' || s[i] == '}' ||
		    s[i] == 0x7f)
			return perr(p, p->line, "bad template name '%.*s'",
			    (int)n, s);
	if (p->ctx.st != HS_TEXT) {
		ctx_describe(&p->ctx, where, sizeof(where));
		return perr(p, p->line, "'{{>%.*s}}' is not allowed in %s",
		    (int)n, s, where);
	}
	op = op_new(p);
	if (op == NULL)
		return -1;
	op->kind = n == 7 && memcmp(s, "content", 7) == 0 ?
	    OP_CONTENT : OP_PARTIAL;
	op->off = pool_name(p, s, n);
	return 0;
}

/* The tag p->s[lb .. rb + 2), from "{{" to "}}". */
static int
parse_tag(struct parser *p, size_t lb, size_t rb)
{
	const char	*s = p->s + lb + 2;
	size_t		 n = rb - lb - 2;
	const char	*r;
	size_t		 rn;
	int		 sigil;

	while (n > 0 && is_space((unsigned char)s[0])) {
		s++;
		n--;
	}
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return perr(p, p->line, "empty '{{}}'");
	sigil = s[0];
	r = s + 1;
	rn = n - 1;
	while (rn > 0 && is_space((unsigned char)r[0])) {
		r++;
		rn--;
	}
	switch (sigil) {
	case '!':
		return 0;
	case '#':
	case '^':
		return parse_open(p, sigil, r, rn, rb + 2);
	case '/':
		return parse_close(p, r, rn);
	case '>':
		return parse_partial(p, r, rn);
	case '{':
	case '&':
		return perr(p, p->line,
		    "'{{%c' (unescaped output) is not supported", sigil);
	case '=':
		return perr(p, p->line, "changing delimiters is not supported");
	case '<':
	case '$':
		return perr(p, p->line, "'{{%c' is not supported", sigil);
	default:
		return parse_var(p, s, n);
	}
}

/* Offset of the first "cc" (two equal bytes) at or after "from", or len. */
static size_t
find2(const char *s, size_t len, size_t from, char c)
{
	const char	*q;

	while (from + 1 < len) {
		q = memchr(s + from, c, len - from - 1);
		if (q == NULL)
			break;
		from = (size_t)(q - s);
		if (s[from + 1] == c)
			return from;
		from++;
	}
	return len;
}

static int
parse(struct parser *p)
{
	size_t		 pos = 0, lb, rb, i;
	struct sect	*o;

	while (pos < p->len) {
		lb = find2(p->s, p->len, pos, '{');
		if (parse_literal(p, pos, lb) == -1)
			return -1;
		if (lb == p->len)
			break;
		rb = find2(p->s, p->len, lb + 2, '}');
		if (rb == p->len)
			return perr(p, p->line, "unclosed '{{'");
		if (parse_tag(p, lb, rb) == -1)
			return -1;
		for (i = lb; i < rb; i++)
			if (p->s[i] == '\n')
				p->line++;
		pos = rb + 2;
	}
	if (p->nopen > 0) {
		o = &p->sects[p->nopen - 1];
		return perr(p, p->ops[o->op].line, "section '%s' is not closed",
		    p->pool.data + p->ops[o->op].off);
	}
	if (buf_err(&p->pool))
		return perr(p, p->line, "out of memory");
	return 0;
}

static void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->pool);
	free(t->ops);
	free(t->segs);
	free(t);
}

struct tmpl_set *
tmpl_set_new(void)
{
	return calloc(1, sizeof(struct tmpl_set));
}

void
tmpl_set_free(struct tmpl_set *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		tmpl_free(set->v[i]);
	free(set->v);
	free(set);
}

static struct tmpl *
set_find(const struct tmpl_set *set, const char *name)
{
	size_t	 i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i]->name, name) == 0)
			return set->v[i];
	return NULL;
}

int
tmpl_set_add(struct tmpl_set *set, const char *name, const char *text,
    size_t len, char *err, size_t errlen)
{
	struct parser	 p;
	struct tmpl	*t = NULL, **v;
	size_t		 ncap;
	int		 rc = -1;

	if (name == NULL || *name == '\0') {
		seterr(err, errlen, "(template)", 1, "no template name");
		return -1;
	}
	if (set_find(set, name) != NULL) {
		seterr(err, errlen, name, 1, "template defined twice");
		return -1;
	}
	if (len > TMPL_SIZE_MAX) {
		seterr(err, errlen, name, 1, "template is too large");
		return -1;
	}
	memset(&p, 0, sizeof(p));
	p.name = name;
	p.s = text != NULL ? text : "";
	p.len = text != NULL ? len : 0;
	p.line = 1;
	p.ctx.st = HS_TEXT;
	p.err = err;
	p.errlen = errlen;
	buf_init(&p.pool, 0);
	if (parse(&p) == -1)
		goto out;
	if (set->n == set->cap) {
		ncap = set->cap ? set->cap * 2 : 16;
		v = reallocarray(set->v, ncap, sizeof(*v));
		if (v == NULL)
			goto oom;
		set->v = v;
		set->cap = ncap;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		goto oom;
	t->name = strdup(name);
	t->pool = buf_detach(&p.pool, NULL);
	if (t->name == NULL || t->pool == NULL)
		goto oom;
	t->ops = p.ops;
	t->nops = p.nops;
	t->segs = p.segs;
	p.ops = NULL;
	p.segs = NULL;
	t->end = p.ctx;
	t->end_line = p.line;
	set->v[set->n++] = t;
	t = NULL;
	rc = 0;
	goto out;
oom:
	seterr(err, errlen, name, 1, "out of memory");
out:
	tmpl_free(t);
	buf_release(&p.pool);
	free(p.ops);
	free(p.segs);
	return rc;
}

/* Depth-first search for a partial that includes itself. */
static int
link_visit(struct tmpl *t, char *err, size_t errlen)
{
	const struct op	*op;
	size_t		 i;

	t->mark = 1;
	for (i = 0; i < t->nops; i++) {
		op = &t->ops[i];
		if (op->kind != OP_PARTIAL)
			continue;
		if (op->partial->mark == 1) {
			seterr(err, errlen, t->name, op->line,
			    "partial '%s' includes itself", op->partial->name);
			return -1;
		}
		if (op->partial->mark == 0 &&
		    link_visit(op->partial, err, errlen) == -1)
			return -1;
	}
	t->mark = 2;
	return 0;
}

int
tmpl_set_link(struct tmpl_set *set, char *err, size_t errlen)
{
	struct tmpl	*t, *u;
	struct op	*op;
	char		 where[96];
	size_t		 i, j;

	for (i = 0; i < set->n; i++) {
		t = set->v[i];
		t->mark = 0;
		for (j = 0; j < t->nops; j++) {
			op = &t->ops[j];
			if (op->kind != OP_PARTIAL)
				continue;
			u = set_find(set, t->pool + op->off);
			if (u == NULL) {
				seterr(err, errlen, t->name, op->line,
				    "no template '%s'", t->pool + op->off);
				return -1;
			}
			if (u->end.st != HS_TEXT) {
				ctx_describe(&u->end, where, sizeof(where));
				seterr(err, errlen, t->name, op->line,
				    "partial '%s' ends in %s, not text",
				    u->name, where);
				return -1;
			}
			op->partial = u;
		}
	}
	for (i = 0; i < set->n; i++)
		if (set->v[i]->mark == 0 &&
		    link_visit(set->v[i], err, errlen) == -1)
			return -1;
	return 0;
}

const struct tmpl *
tmpl_get(const struct tmpl_set *set, const char *name)
{
	return set_find(set, name);
}

/* Rendering. */

static bool
truthy(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		return false;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	default:
		return true;
	}
}

/*
 * Resolve the name of "op": "." is the top of the stack; otherwise the
 * first part is looked up from the top of the stack down, and the rest
 * inside what it finds.  Returns NULL if the name resolves to nothing.
 */
static json_t *
lookup(const struct render *r, const struct tmpl *t, const struct op *op)
{
	json_t		*v = NULL;
	const char	*key;
	size_t		 i;

	if (op->nseg == 0)
		return r->depth > 0 ? r->stack[r->depth - 1] : NULL;
	key = t->pool + t->segs[op->seg];
	for (i = r->depth; i-- > 0;) {
		v = json_object_get(r->stack[i], key);
		if (v != NULL)
			break;
	}
	for (i = 1; v != NULL && i < op->nseg; i++)
		v = json_object_get(v, t->pool + t->segs[op->seg + i]);
	return v;
}

static int
push(struct render *r, const struct tmpl *t, const struct op *op, json_t *v,
    size_t index)
{
	if (r->depth == TMPL_STACK_MAX)
		return rerr(r, t, op, "more than %d values on the stack",
		    TMPL_STACK_MAX);
	r->stack[r->depth] = v;
	r->loop[r->depth] = index;
	r->depth++;
	return 0;
}

static int
render_value(struct render *r, const struct tmpl *t, const struct op *op,
    const json_t *v)
{
	char		 num[40];
	const char	*s;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		break;
	case JSON_INTEGER:
		/* Digits and '-' need no escaping in any context. */
		html_int(r->out, (int64_t)json_integer_value(v));
		return 0;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.15g", json_real_value(v));
		s = num;
		break;
	case JSON_TRUE:
		s = "true";
		break;
	case JSON_FALSE:
		s = "false";
		break;
	case JSON_NULL:
		return 0;
	default:
		if (r->strict)
			return rerr(r, t, op, "'%s' is an %s, not a value",
			    t->pool + op->off, json_is_object(v) ?
			    "object" : "array");
		return 0;
	}
	esc_fns[op->esc](r->out, s);
	return 0;
}

static int
render_section(struct render *r, const struct tmpl *t, size_t i)
{
	const struct op	*op = &t->ops[i];
	json_t		*v;
	size_t		 k, n;
	int		 rc;

	v = lookup(r, t, op);
	if (v == NULL) {
		if (r->strict)
			return rerr(r, t, op, "no value named '%s'",
			    t->pool + op->off);
		return op->kind == OP_INVERTED ?
		    render_ops(r, t, i + 1, op->jump) : 0;
	}
	if (op->kind == OP_INVERTED)
		return truthy(v) ? 0 : render_ops(r, t, i + 1, op->jump);
	if (!truthy(v))
		return 0;
	if (!json_is_array(v)) {
		if (push(r, t, op, v, 0) == -1)
			return -1;
		rc = render_ops(r, t, i + 1, op->jump);
		r->depth--;
		return rc;
	}
	n = json_array_size(v);
	for (k = 0; k < n; k++) {
		if (push(r, t, op, json_array_get(v, k), k + 1) == -1)
			return -1;
		rc = render_ops(r, t, i + 1, op->jump);
		r->depth--;
		if (rc == -1)
			return -1;
	}
	return 0;
}

static int
render_partial(struct render *r, const struct tmpl *t, const struct op *op)
{
	const struct tmpl	*u, *content = r->content;
	int			 rc;

	if (op->kind == OP_CONTENT) {
		if (content == NULL)
			return rerr(r, t, op, "no content for '{{>content}}'");
		u = content;
	} else {
		u = op->partial;
		if (u == NULL)
			return rerr(r, t, op, "partial '%s' is not linked",
			    t->pool + op->off);
	}
	if (r->partials == TMPL_PARTIAL_MAX)
		return rerr(r, t, op, "partials nested deeper than %d",
		    TMPL_PARTIAL_MAX);
	/* The page cannot include itself through {{>content}}. */
	if (op->kind == OP_CONTENT)
		r->content = NULL;
	r->partials++;
	rc = render_ops(r, u, 0, u->nops);
	r->partials--;
	r->content = content;
	return rc;
}

/* Render ops [from, to) of "t". */
static int
render_ops(struct render *r, const struct tmpl *t, size_t from, size_t to)
{
	const struct op	*op;
	json_t		*v;
	size_t		 i, k;

	for (i = from; i < to; i++) {
		op = &t->ops[i];
		switch (op->kind) {
		case OP_TEXT:
			buf_add(r->out, t->pool + op->off, op->len);
			break;
		case OP_VAR:
			v = lookup(r, t, op);
			if (v == NULL) {
				if (r->strict)
					return rerr(r, t, op,
					    "no value named '%s'",
					    t->pool + op->off);
				break;
			}
			if (render_value(r, t, op, v) == -1)
				return -1;
			break;
		case OP_INDEX:
			for (k = r->depth; k > 0 && r->loop[k - 1] == 0; k--)
				continue;
			if (k == 0)
				return rerr(r, t, op,
				    "'{{@index}}' outside a loop");
			html_int(r->out, (int64_t)r->loop[k - 1]);
			break;
		case OP_SECTION:
		case OP_INVERTED:
			if (render_section(r, t, i) == -1)
				return -1;
			i = op->jump;
			break;
		case OP_PARTIAL:
		case OP_CONTENT:
			if (render_partial(r, t, op) == -1)
				return -1;
			break;
		default:
			break;
		}
	}
	return 0;
}

int
tmpl_render(const struct tmpl *t, json_t *const *stack, size_t depth,
    const struct tmpl *content, bool strict, struct buf *out, char *err,
    size_t errlen)
{
	struct render	 r;
	char		 where[96];
	size_t		 start = out->len, i;
	int		 rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (t == NULL) {
		seterr(err, errlen, "(template)", 1, "no template to render");
		return -1;
	}
	if (depth > TMPL_STACK_MAX) {
		seterr(err, errlen, t->name, 1,
		    "more than %d values on the stack", TMPL_STACK_MAX);
		return -1;
	}
	if (t->end.st != HS_TEXT || (content && content->end.st != HS_TEXT)) {
		if (t->end.st == HS_TEXT)
			t = content;
		ctx_describe(&t->end, where, sizeof(where));
		seterr(err, errlen, t->name, t->end_line,
		    "template ends in %s, not text", where);
		return -1;
	}
	for (i = 0; i < depth; i++) {
		r.stack[i] = stack[i];
		r.loop[i] = 0;
	}
	r.depth = depth;
	r.content = content;
	r.partials = 0;
	r.strict = strict;
	r.out = out;
	r.err = err;
	r.errlen = errlen;
	rc = render_ops(&r, t, 0, t->nops);
	if (rc == 0 && buf_err(out)) {
		seterr(err, errlen, t->name, t->end_line,
		    "output too large or out of memory");
		rc = -1;
	}
	if (rc == -1)
		buf_truncate(out, start);
	return rc;
}

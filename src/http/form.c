/* form.c: query string, urlencoded, multipart and cookie parsers. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/utf8.h"
#include "http/form.h"

#define FORM_COOKIE_MAX		64	/* cookies kept from one header */
#define FORM_BOUNDARY_MAX	70	/* RFC 2046 section 5.1.1 */
#define FORM_PART_HDR_MAX	8192	/* bytes of headers in one part */
#define FORM_PART_HDRS_MAX	16	/* header lines in one part */

/* One "name=value" parameter of a header such as Content-Disposition. */
struct param {
	const char	*name;
	size_t		 namelen;
	char		*value;		/* unquoted, in the arena */
	size_t		 len;
};

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 9110 tchar: the bytes of a token (header and parameter names). */
static bool
is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 2046 bcharsnospace; a space is also allowed, but not last. */
static bool
is_bchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	return c != '\0' && strchr("'()+_,-./:=?", c) != NULL;
}

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && is_ws(*p))
		p++;
	return p;
}

/* Case-insensitive comparison of s[0..n) with the NUL-terminated "lit". */
static bool
eq_nocase(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/*
 * Append to a list with room for one more, doubling the array in the arena.
 * The old array is left in the arena, which frees it with everything else.
 */
static void
kv_push(struct arena *a, struct kvlist *l, const char *name,
    const char *value, size_t len)
{
	struct kv	*v;
	size_t		 cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 8;
		v = arena_alloc(a, cap * sizeof(*v));
		if (l->n > 0)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].name = name;
	l->v[l->n].value = value;
	l->v[l->n].len = len;
	l->n++;
}

static void
part_push(struct arena *a, struct partlist *l, const struct part *p)
{
	struct part	*v;
	size_t		 cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 8;
		v = arena_alloc(a, cap * sizeof(*v));
		if (l->n > 0)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *p;
}

int
form_urldecode(struct arena *a, const char *s, size_t n, bool plus,
    char **out, size_t *outlen)
{
	unsigned char	*d;
	unsigned char	 c;
	size_t		 i, k = 0;
	int		 hi, lo;

	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	d = arena_alloc(a, n + 1);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (n - i < 3)
				return FORM_EBADENC;
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return FORM_EBADENC;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus)
			c = ' ';
		d[k++] = c;
	}
	d[k] = '\0';
	/* This also refuses NUL, whether it came escaped or raw. */
	if (!utf8_valid((const char *)d, k))
		return FORM_EBADENC;
	*out = (char *)d;
	if (outlen != NULL)
		*outlen = k;
	return FORM_OK;
}

/*
 * Pairs are added to whatever the list already holds; "max" counts only the
 * pairs this call adds.  On failure the list is put back as it was, so a
 * refused body never leaks half its fields to the caller.
 */
int
form_parse_urlencoded(struct arena *a, const char *s, size_t n, size_t max,
    struct kvlist *l)
{
	const char	*p, *end, *amp, *eq;
	char		*name, *value;
	size_t		 n0 = l->n, added = 0, namelen, len;
	int		 rc;

	if (n == 0)
		return FORM_OK;
	end = s + n;
	for (p = s; p < end; p = amp + 1) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if (amp == p)
			continue;		/* "a=1&&b=2" */
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL)
			eq = amp;
		rc = form_urldecode(a, p, (size_t)(eq - p), true, &name,
		    &namelen);
		if (rc != FORM_OK)
			goto fail;
		if (namelen == 0)
			continue;		/* "=x" */
		if (eq == amp)
			rc = form_urldecode(a, "", 0, true, &value, &len);
		else
			rc = form_urldecode(a, eq + 1, (size_t)(amp - eq - 1),
			    true, &value, &len);
		if (rc != FORM_OK)
			goto fail;
		if (added == max) {
			rc = FORM_ETOOMANY;
			goto fail;
		}
		kv_push(a, l, name, value, len);
		added++;
	}
	return FORM_OK;
fail:
	l->n = n0;
	return rc;
}

/* True if s[0..n) is all printable ASCII (space to tilde). */
static bool
is_printable(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

/*
 * RFC 6265 section 5.2 (and 5.4 for the header): pairs split on ';', each
 * split at its first '=', name and value trimmed.  A pair without '=' has
 * no name and is skipped like other malformed pairs.  Values are kept as
 * sent, except that one pair of surrounding double quotes is removed.
 */
int
form_parse_cookies(struct arena *a, const char *header, struct kvlist *l)
{
	const char	*p, *end, *semi, *eq, *ns, *ne, *vs, *ve;
	size_t		 added = 0;

	if (header == NULL)
		return FORM_OK;
	end = header + strlen(header);
	for (p = header; p < end && added < FORM_COOKIE_MAX; p = semi + 1) {
		semi = memchr(p, ';', (size_t)(end - p));
		if (semi == NULL)
			semi = end;
		eq = memchr(p, '=', (size_t)(semi - p));
		if (eq == NULL)
			continue;
		ns = skip_ws(p, eq);
		ne = eq;
		while (ne > ns && is_ws(ne[-1]))
			ne--;
		vs = skip_ws(eq + 1, semi);
		ve = semi;
		while (ve > vs && is_ws(ve[-1]))
			ve--;
		if (ve - vs >= 2 && vs[0] == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		if (ne == ns || !is_printable(ns, (size_t)(ne - ns)) ||
		    !is_printable(vs, (size_t)(ve - vs)))
			continue;
		kv_push(a, l, arena_strndup(a, ns, (size_t)(ne - ns)),
		    arena_strndup(a, vs, (size_t)(ve - vs)),
		    (size_t)(ve - vs));
		added++;
	}
	return FORM_OK;
}

/* A backslash escaping '"' or '\\' in a quoted string. */
static bool
is_qpair(const char *p, const char *end)
{
	return *p == '\\' && end - p > 1 && (p[1] == '"' || p[1] == '\\');
}

/*
 * Parse one parameter, ';' OWS name '=' value, at *pp (before "end").  The
 * value is a token or a quoted string; in a quoted string a backslash only
 * escapes '"' and '\', so that "C:\dir\x.txt" from old browsers keeps its
 * separators.  Returns 1 with "pm" filled in, 0 at the end, -1 if malformed.
 */
static int
param_next(struct arena *a, const char **pp, const char *end,
    struct param *pm)
{
	const char	*p = *pp, *s;
	size_t		 k = 0;

	p = skip_ws(p, end);
	if (p == end)
		return 0;
	if (*p != ';')
		return -1;
	p = skip_ws(p + 1, end);
	if (p == end) {
		*pp = p;
		return 0;	/* a trailing ';' is harmless */
	}
	pm->name = p;
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	pm->namelen = (size_t)(p - pm->name);
	if (pm->namelen == 0)
		return -1;
	p = skip_ws(p, end);
	if (p == end || *p != '=')
		return -1;
	p = skip_ws(p + 1, end);
	if (p < end && *p == '"') {
		/*
		 * Measure first: sizing the copy by "end" would make a
		 * header of many parameters cost quadratic memory.
		 */
		p++;
		s = p;
		while (p < end && *p != '"') {
			if (is_qpair(p, end))
				p++;
			p++;
			k++;
		}
		if (p == end)
			return -1;	/* no closing quote */
		pm->value = arena_alloc(a, k + 1);
		pm->len = k;
		for (p = s, k = 0; *p != '"'; p++) {
			if (is_qpair(p, end))
				p++;
			pm->value[k++] = *p;
		}
		p++;
	} else {
		s = p;
		while (p < end && *p != ';' && *p != '"' && *p != '\\' &&
		    !is_ws(*p) && (unsigned char)*p >= 0x20 && *p != 0x7f)
			p++;
		if (p == s)
			return -1;
		pm->value = arena_strndup(a, s, (size_t)(p - s));
		pm->len = (size_t)(p - s);
	}
	*pp = p;
	return 1;
}

/*
 * Find the boundary in a Content-Type value: the media type must be
 * multipart/form-data and "boundary" must appear once, 1-70 bchars.
 */
static int
multipart_boundary(struct arena *a, const char *ct, char **out,
    size_t *outlen)
{
	const char	*p, *end, *s;
	struct param	 pm;
	char		*b = NULL;
	size_t		 blen = 0, i;
	int		 r;

	if (ct == NULL)
		return FORM_EMALFORMED;
	end = ct + strlen(ct);
	p = skip_ws(ct, end);
	s = p;
	while (p < end && (is_tchar((unsigned char)*p) || *p == '/'))
		p++;
	if (!eq_nocase(s, (size_t)(p - s), "multipart/form-data"))
		return FORM_EMALFORMED;
	while ((r = param_next(a, &p, end, &pm)) == 1) {
		if (!eq_nocase(pm.name, pm.namelen, "boundary"))
			continue;
		if (b != NULL)
			return FORM_EMALFORMED;	/* which one is it? */
		b = pm.value;
		blen = pm.len;
	}
	if (r == -1 || b == NULL || blen == 0 || blen > FORM_BOUNDARY_MAX ||
	    b[blen - 1] == ' ')
		return FORM_EMALFORMED;
	for (i = 0; i < blen; i++)
		if (!is_bchar((unsigned char)b[i]) && b[i] != ' ')
			return FORM_EMALFORMED;
	*out = b;
	*outlen = blen;
	return FORM_OK;
}

/*
 * Check what follows a boundary at offset "q": "--" (the close delimiter)
 * or optional spaces and CRLF.  Sets "*next" to the offset after the
 * delimiter line and "*close" to its kind; false if it is neither.
 */
static bool
delim_tail(const char *body, size_t n, size_t q, size_t *next, bool *close)
{
	if (n - q >= 2 && body[q] == '-' && body[q + 1] == '-') {
		*close = true;
		*next = n;	/* the epilogue is ignored */
		return true;
	}
	while (q < n && is_ws(body[q]))
		q++;
	if (n - q >= 2 && body[q] == '\r' && body[q + 1] == '\n') {
		*close = false;
		*next = q + 2;
		return true;
	}
	return false;
}

/*
 * Find the next delimiter, CRLF "--" boundary, at or after "from", that
 * delim_tail() accepts.  "*at" is the offset of its CR.  A near miss such
 * as "--boundaryX" is part of the data, and the search goes on.
 *
 * The search is linear: the pattern's only CR is its first byte (bchars
 * hold no CR), so after a partial match the next candidate CR cannot lie
 * inside the bytes already compared.
 */
static bool
find_delim(const char *body, size_t n, size_t from, const char *b,
    size_t blen, size_t *at, size_t *next, bool *close)
{
	const char	*cr;
	size_t		 i = from, j, m = blen + 4;

	while (i < n) {
		cr = memchr(body + i, '\r', n - i);
		if (cr == NULL)
			return false;
		i = (size_t)(cr - body);
		if (n - i < m)
			return false;
		for (j = 1; j < m; j++) {
			if (j == 1 && body[i + j] != '\n')
				break;
			if ((j == 2 || j == 3) && body[i + j] != '-')
				break;
			if (j >= 4 && body[i + j] != b[j - 4])
				break;
		}
		if (j == m && delim_tail(body, n, i + m, next, close)) {
			*at = i;
			return true;
		}
		i += j;
	}
	return false;
}

/* True if s[0..n) is UTF-8 without C0 or C1 controls or DEL. */
static bool
is_clean_text(const char *s, size_t n)
{
	size_t	 i;

	if (!utf8_valid(s, n))
		return false;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
		/* U+0080..U+009F are encoded C2 80..C2 9F. */
		if ((unsigned char)s[i] == 0xc2 && i + 1 < n &&
		    (unsigned char)s[i + 1] < 0xa0)
			return false;
	}
	return true;
}

/* Keep what follows the last '/' or '\'; "", "." and ".." become "file". */
static const char *
basename_of(const char *s)
{
	const char	*p, *base = s;

	for (p = s; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return "file";
	return base;
}

/*
 * Decode an RFC 5987 ext-value, charset "'" [language] "'" pct-encoded.
 * Sets *out to NULL (and returns FORM_OK) for a charset other than UTF-8.
 */
static int
ext_value(struct arena *a, const struct param *pm, char **out, size_t *len)
{
	const char	*q1, *q2, *end = pm->value + pm->len;

	*out = NULL;
	q1 = memchr(pm->value, '\'', pm->len);
	if (q1 == NULL)
		return FORM_EMALFORMED;
	q2 = memchr(q1 + 1, '\'', (size_t)(end - q1 - 1));
	if (q2 == NULL)
		return FORM_EMALFORMED;
	if (!eq_nocase(pm->value, (size_t)(q1 - pm->value), "utf-8"))
		return FORM_OK;
	return form_urldecode(a, q2 + 1, (size_t)(end - q2 - 1), false, out,
	    len);
}

/*
 * Content-Disposition: form-data; name="..."; filename="...".  Fills in
 * the part's name and filename (NULL for a plain field).
 */
static int
disposition(struct arena *a, const char *s, const char *end,
    struct part *pt)
{
	const char	*p = s;
	struct param	 pm;
	char		*name = NULL, *fn = NULL, *fnx = NULL;
	size_t		 namelen = 0, fnlen = 0, fnxlen = 0;
	bool		 has_fnx = false;
	int		 r, rc;

	while (p < end && is_tchar((unsigned char)*p))
		p++;
	if (!eq_nocase(s, (size_t)(p - s), "form-data"))
		return FORM_EMALFORMED;
	while ((r = param_next(a, &p, end, &pm)) == 1) {
		if (eq_nocase(pm.name, pm.namelen, "name")) {
			if (name != NULL)
				return FORM_EMALFORMED;
			name = pm.value;
			namelen = pm.len;
		} else if (eq_nocase(pm.name, pm.namelen, "filename")) {
			if (fn != NULL)
				return FORM_EMALFORMED;
			fn = pm.value;
			fnlen = pm.len;
		} else if (eq_nocase(pm.name, pm.namelen, "filename*")) {
			if (has_fnx)
				return FORM_EMALFORMED;
			has_fnx = true;
			rc = ext_value(a, &pm, &fnx, &fnxlen);
			if (rc != FORM_OK)
				return rc;
		}
	}
	if (r == -1 || name == NULL || namelen == 0)
		return FORM_EMALFORMED;
	if (!is_clean_text(name, namelen))
		return FORM_EBADENC;
	pt->name = name;
	if (fnx != NULL) {
		fn = fnx;	/* RFC 6266: filename* wins */
		fnlen = fnxlen;
	}
	if (fn != NULL && !is_clean_text(fn, fnlen))
		return FORM_EBADENC;
	if (fn != NULL)
		pt->filename = basename_of(fn);
	else if (has_fnx)
		pt->filename = "file";	/* a file, in a charset we skip */
	return FORM_OK;
}

/*
 * Read the header lines of one part from *pos up to and including the
 * empty line; *pos ends at the first byte of the part's data.
 */
static int
part_headers(struct arena *a, const char *body, size_t n, size_t *pos,
    struct part *pt)
{
	const char	*line, *end, *colon, *v, *ve;
	size_t		 start = *pos, lim, i, nhdr = 0;
	bool		 seen_cd = false, seen_ct = false;
	int		 rc;

	lim = n - start < FORM_PART_HDR_MAX ? n : start + FORM_PART_HDR_MAX;
	i = start;
	for (;;) {
		line = body + i;
		while (i < lim && body[i] != '\r' && body[i] != '\n')
			i++;
		if (lim - i < 2 || body[i] != '\r' || body[i + 1] != '\n')
			return FORM_EMALFORMED;	/* bare CR/LF, or too long */
		end = body + i;
		i += 2;
		if (end == line)
			break;
		if (++nhdr > FORM_PART_HDRS_MAX)
			return FORM_EMALFORMED;
		colon = line;
		while (colon < end && is_tchar((unsigned char)*colon))
			colon++;
		if (colon == line || colon == end || *colon != ':')
			return FORM_EMALFORMED;
		v = skip_ws(colon + 1, end);
		ve = end;
		while (ve > v && is_ws(ve[-1]))
			ve--;
		if (eq_nocase(line, (size_t)(colon - line),
		    "content-disposition")) {
			if (seen_cd)
				return FORM_EMALFORMED;
			seen_cd = true;
			rc = disposition(a, v, ve, pt);
			if (rc != FORM_OK)
				return rc;
		} else if (eq_nocase(line, (size_t)(colon - line),
		    "content-type")) {
			if (seen_ct)
				return FORM_EMALFORMED;
			seen_ct = true;
			if (!is_printable(v, (size_t)(ve - v)))
				return FORM_EMALFORMED;
			if (ve > v)
				pt->type = arena_strndup(a, v,
				    (size_t)(ve - v));
		}
	}
	if (!seen_cd)
		return FORM_EMALFORMED;
	*pos = i;
	return FORM_OK;
}

/*
 * RFC 7578 over RFC 2046 section 5.1.1.  A preamble before the first
 * delimiter and an epilogue after the close delimiter are ignored; the
 * close delimiter is required.  Like form_parse_urlencoded(), parts are
 * added to the list, "max" counts this call's parts, and on failure the
 * list is put back as it was.
 */
int
form_parse_multipart(struct arena *a, const char *content_type,
    const char *body, size_t n, size_t max, struct partlist *l)
{
	struct part	 pt;
	char		*b;
	size_t		 blen, pos, next, at, n0 = l->n, added = 0;
	bool		 close;
	int		 rc;

	rc = multipart_boundary(a, content_type, &b, &blen);
	if (rc != FORM_OK)
		return rc;
	if (body == NULL)
		return FORM_EMALFORMED;
	/* The first delimiter may open the body, with no CRLF before it. */
	if (n >= blen + 2 && body[0] == '-' && body[1] == '-' &&
	    memcmp(body + 2, b, blen) == 0 &&
	    delim_tail(body, n, blen + 2, &pos, &close))
		;
	else if (!find_delim(body, n, 0, b, blen, &at, &pos, &close))
		return FORM_EMALFORMED;	/* no delimiter at all */
	if (close)
		return FORM_OK;		/* no parts */
	for (;;) {
		memset(&pt, 0, sizeof(pt));
		rc = part_headers(a, body, n, &pos, &pt);
		if (rc != FORM_OK)
			goto fail;
		if (!find_delim(body, n, pos, b, blen, &at, &next, &close)) {
			rc = FORM_EMALFORMED;	/* no close delimiter */
			goto fail;
		}
		pt.data = body + pos;
		pt.len = at - pos;
		if (pt.filename == NULL) {
			if (!utf8_valid(pt.data, pt.len)) {
				rc = FORM_EBADENC;
				goto fail;
			}
			pt.data = arena_memdup(a, pt.data, pt.len);
		}
		if (added == max) {
			rc = FORM_ETOOMANY;
			goto fail;
		}
		part_push(a, l, &pt);
		added++;
		if (close)
			return FORM_OK;
		pos = next;
	}
fail:
	l->n = n0;
	return rc;
}

const char *
kv_get(const struct kvlist *l, const char *name)
{
	size_t	 i;

	if (l == NULL || name == NULL)
		return NULL;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return l->v[i].value;
	return NULL;
}

const struct part *
part_get(const struct partlist *l, const char *name)
{
	size_t	 i;

	if (l == NULL || name == NULL)
		return NULL;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

/*
 * Add a pair, copying "name" and value[0..len) into the arena, so callers
 * may pass short-lived strings.  A NULL value is stored as "".
 */
void
kv_add(struct arena *a, struct kvlist *l, const char *name,
    const char *value, size_t len)
{
	if (value == NULL)
		len = 0;
	kv_push(a, l, arena_strdup(a, name),
	    arena_memdup(a, value == NULL ? "" : value, len), len);
}

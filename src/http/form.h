/* form.h: parsers for query strings, urlencoded and multipart bodies, cookies. */
#ifndef XZ_FORM_H
#define XZ_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

/*
 * Parsed name/value pairs, all memory in the caller's arena.  Names and
 * values are NUL-terminated, well-formed UTF-8 without NUL bytes (a value
 * that is not is refused by the parser, never passed on).
 */
struct kv {
	const char	*name;
	const char	*value;
	size_t		 len;	/* of value */
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
	size_t		 cap;
};

/* One part of a multipart/form-data body; "data" may hold any bytes. */
struct part {
	const char	*name;
	const char	*filename;	/* NULL for plain fields; basename only */
	const char	*type;		/* the part's Content-Type, or NULL */
	const char	*data;		/* points into the body, or arena */
	size_t		 len;
};

struct partlist {
	struct part	*v;
	size_t		 n;
	size_t		 cap;
};

enum form_err {
	FORM_OK = 0,
	FORM_EBADENC = -1,	/* bad %-escape, NUL, or invalid UTF-8 */
	FORM_ETOOMANY = -2,	/* more than "max" fields */
	FORM_EMALFORMED = -3	/* structure broken (multipart) */
};

/*
 * Percent-decode s[0..n) into a new arena string; "plus" turns '+' into
 * a space (query strings and urlencoded bodies).  Refuses bad escapes,
 * %00 and results that are not well-formed UTF-8.  On failure *out is
 * NULL.  "outlen" may be NULL.
 *
 * The three list parsers below append to the list they are given (start
 * it zeroed); "max" counts only the entries one call adds, and a call
 * that fails leaves the list as it found it.
 */
int	 form_urldecode(struct arena *, const char *s, size_t n, bool plus,
	    char **out, size_t *outlen);

/*
 * "a=1&b=2" (query string or application/x-www-form-urlencoded).  Empty
 * pairs and empty names are skipped; "a" alone has the value "".
 */
int	 form_parse_urlencoded(struct arena *, const char *s, size_t n,
	    size_t max, struct kvlist *);

/*
 * A Cookie header: "a=1; b=2".  Malformed pairs are skipped, not fatal;
 * values are not percent-decoded; at most 64 cookies are kept.  Always
 * returns FORM_OK.
 */
int	 form_parse_cookies(struct arena *, const char *header, struct kvlist *);

/*
 * A multipart/form-data body, given the whole Content-Type header value
 * (for its boundary).  Plain fields must be UTF-8 like urlencoded values;
 * file parts may hold anything.  Filenames are reduced to their last path
 * component ("file" if that is empty, "." or ".."); a part is a file part
 * if it has a filename parameter, even filename="".  Plain fields' data
 * are NUL-terminated arena copies; file parts' data point into "body".
 */
int	 form_parse_multipart(struct arena *, const char *content_type,
	    const char *body, size_t n, size_t max, struct partlist *);

/* First value named "name", or NULL. */
const char	*kv_get(const struct kvlist *, const char *name);
const struct part *part_get(const struct partlist *, const char *name);
/* Copies name and value[0..len) into the arena. */
void	 kv_add(struct arena *, struct kvlist *, const char *name,
	    const char *value, size_t len);

#endif

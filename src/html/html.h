/* html.h: the escaping HTML writer; markup comes only from literals. */
#ifndef XZ_HTML_H
#define XZ_HTML_H

#include <stdint.h>

#include "base/buf.h"

/*
 * One function per output context (cgit).  Every function appends to a
 * struct buf and escapes what it is given; there is deliberately no way to
 * append a runtime string unescaped.  Markup is written with html_lit(),
 * which only compiles with a string literal.
 */
#define html_lit(b, s)	buf_add((b), "" s "", sizeof(s) - 1)

/* Text between tags: escapes & < > " ' as entities. */
void	 html_text(struct buf *, const char *);
/* A quoted attribute value: the same five characters. */
void	 html_attr(struct buf *, const char *);
/*
 * A whole URL in a quoted href/src/action: relative URLs and the schemes
 * http, https, mailto and tel pass (attribute-escaped); anything else,
 * such as javascript: or data:, is written as "#".
 */
void	 html_url(struct buf *, const char *);
/* One path segment: percent-encodes all but A-Z a-z 0-9 - . _ ~ */
void	 html_url_path(struct buf *, const char *);
/* One query-string name or value: as html_url_path. */
void	 html_url_arg(struct buf *, const char *);
void	 html_int(struct buf *, int64_t);

/*
 * A trusted HTML fragment.  Only the writer and the template engine make
 * one, so a plain char * can never be passed where markup is expected.
 */
struct html {
	const char	*data;
	size_t		 len;
};

#endif

/* tmpl.h: templates with context-aware auto-escaping and no raw form. */
#ifndef XZ_TMPL_H
#define XZ_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"

/*
 * Syntax (a mustache subset):
 *   {{name}} {{a.b.c}} {{.}}   a value, escaped for where it stands
 *   {{#name}}...{{/name}}      section: arrays loop, objects and other
 *                              truthy values render once; each is pushed
 *   {{^name}}...{{/name}}      inverted section: renders if falsy/missing
 *   {{@index}}                 1-based index of the innermost loop (序号)
 *   {{>name}}                  another template of the set; {{>content}}
 *                              is the page given to tmpl_render()
 *   {{!comment}}
 * Falsy: missing, null, false, "", 0, empty array.
 *
 * The parser tracks the HTML context of every {{x}}: text, a quoted
 * attribute value, or a URL attribute (href, src, action, formaction,
 * poster, cite), and picks html_text, html_attr, html_url (at the start of
 * a URL value) or html_url_path / html_url_arg (later in one, before or
 * after a '?').  A value inside <script>, <style>, a comment, a tag or
 * attribute name, an unquoted attribute, or an on*, style, srcdoc or srcset
 * attribute is a parse error.  A section must end in the context it began
 * in, and a partial must begin and end in text.
 *
 * Details, as tmpl.c settles them:
 *   Names are parts of A-Z a-z 0-9 _ - (or non-ASCII) joined by '.', and
 *   whitespace inside the braces is ignored: {{ a.b }}, {{# rows }}.
 *   A section may make an attribute optional.  It begins right after the
 *   tag name or between attributes, its body starts with white space, and
 *   what follows it cannot extend the attribute (no '=', no letter):
 *	<option value="{{v}}"{{#sel}} selected{{/sel}}>
 *   Within an attribute value, a section must keep the URL position: it
 *   may not contain the first text of a URL value, or its '?' or '#'.
 *   Numbers render as decimals (reals with %.15g), true and false as
 *   words, null as nothing.  {{@index}} outside any loop is an error in
 *   both modes.  tmpl_render() refuses a template, or content, that does
 *   not end in text (an unclosed tag, comment or <script>), and a partial
 *   that includes itself, directly or not, makes tmpl_set_link() fail.
 *   Limits: 32 nested sections per template, 64 values on the stack, 16
 *   nested partials.
 */
struct tmpl;
struct tmpl_set;

struct tmpl_set	*tmpl_set_new(void);
void		 tmpl_set_free(struct tmpl_set *);

/*
 * Parse "text" (len bytes) as template "name" and add it to the set.
 * Returns 0, or -1 with "err" set to "name:LINE: reason".
 */
int	 tmpl_set_add(struct tmpl_set *, const char *name, const char *text,
	    size_t len, char *err, size_t errlen);

/* Resolve {{>name}} references; -1 with "err" if one names nothing. */
int	 tmpl_set_link(struct tmpl_set *, char *err, size_t errlen);

const struct tmpl *tmpl_get(const struct tmpl_set *, const char *name);

/*
 * Render "t" against a context stack: stack[0] is the bottom (searched
 * last), stack[depth - 1] the top.  "content" is what {{>content}} renders
 * (may be NULL if "t" has none).  In strict mode a name that resolves to
 * nothing, or a {{x}} that is an object or array, is an error; otherwise it
 * renders as empty.  Returns 0, or -1 with "err" set.
 */
int	 tmpl_render(const struct tmpl *t, json_t *const *stack, size_t depth,
	    const struct tmpl *content, bool strict, struct buf *out,
	    char *err, size_t errlen);

#endif

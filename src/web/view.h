/* view.h: turning a handler's model into HTML or JSON, and the page frame. */
#ifndef XZ_VIEW_H
#define XZ_VIEW_H

#include <stdbool.h>

#include "html/tmpl.h"

struct web;

/* Load every embedded *.tmpl; -1 with the parse error logged. */
int	 view_init(bool strict);
void	 view_free(void);
const struct tmpl *view_tmpl(const char *name);

/* Render "name" inside the layout with w->model; sets resp body. */
int	 view_page(struct web *, const char *name, int status);
/* Render the error page for w->err and "status". */
void	 view_error_page(struct web *, int status);
/* JSON body: the model, or the error object. */
void	 view_json(struct web *, int status);
/* Headers every response carries (CSP, nosniff, ...). */
void	 view_security_headers(struct web *, bool dynamic);
/* gzip the body when the client accepts it and it is worth it; true if so. */
bool	 view_compress(struct web *);

#endif

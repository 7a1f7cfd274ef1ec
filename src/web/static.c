/* static.c: embedded static files with strong ETags and gzip copies. */
#include <string.h>

#include "base/embedded.h"
#include "base/str.h"
#include "web/static.h"

static const char *
media_type(const char *name)
{
	static const struct {
		const char	*ext;
		const char	*type;
	} tab[] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".woff2", "font/woff2" },
	};
	const char	*dot = strrchr(name, '.');
	size_t		 i;

	for (i = 0; dot != NULL && i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(dot, tab[i].ext) == 0)
			return tab[i].type;
	return "application/octet-stream";
}

/* What every static answer carries: static files need even less than pages. */
static void
security(struct req *r, struct resp *rs)
{
	resp_header(r, rs, "X-Content-Type-Options", "nosniff");
	resp_header(r, rs, "Content-Security-Policy",
	    "default-src 'none'; style-src 'self'; img-src 'self';"
	    " frame-ancestors 'none'");
	resp_header(r, rs, "Referrer-Policy", "same-origin");
	resp_header(r, rs, "X-Frame-Options", "DENY");
	if (r->tls)
		resp_header(r, rs, "Strict-Transport-Security",
		    "max-age=31536000");
}

static void
headers(struct req *r, struct resp *rs, const struct embedded *e)
{
	resp_header(r, rs, "ETag", e->etag);
	/* Pages link with ?v=ETAG, so a cached copy is never stale. */
	resp_header(r, rs, "Cache-Control", "public, max-age=31536000, immutable");
	security(r, rs);
	if (e->gz != NULL)
		resp_header(r, rs, "Vary", "Accept-Encoding");
}

bool
static_serve(struct req *r, struct resp *rs)
{
	const struct embedded	*e;
	const char		*inm, *ae, *name;
	char			 path[128];

	if (strcmp(r->path, "/favicon.ico") == 0)
		name = "favicon.svg";
	else if (str_has_prefix(r->path, "/static/"))
		name = r->path + strlen("/static/");
	else
		return false;
	if (strchr(name, '/') != NULL || strlen(name) + 8 > sizeof(path))
		e = NULL;
	else {
		memcpy(path, "static/", 7);
		str_copy(path + 7, name, sizeof(path) - 7);
		e = embedded_find(path);
	}
	if (e == NULL) {
		rs->status = 404;
		rs->content_type = "text/plain; charset=utf-8";
		buf_adds(&rs->body, "not found\n");
		rs->log_route = "/static/*";
		security(r, rs);
		resp_header(r, rs, "Cache-Control", "no-store");
		return true;
	}
	rs->log_route = "/static/*";
	headers(r, rs, e);
	inm = req_header(r, "if-none-match");
	if (inm != NULL && strstr(inm, e->etag) != NULL) {
		rs->status = 304;
		return true;
	}
	rs->status = 200;
	rs->content_type = media_type(e->name);
	ae = req_header(r, "accept-encoding");
	if (e->gz != NULL && ae != NULL && strstr(ae, "gzip") != NULL) {
		rs->static_data = e->gz;
		rs->static_len = e->gzlen;
		resp_header(r, rs, "Content-Encoding", "gzip");
	} else {
		rs->static_data = e->data;
		rs->static_len = e->len;
	}
	return true;
}

/* http.h: a complete request in, a response out; nothing else sees MHD. */
#ifndef XZ_HTTP_H
#define XZ_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/form.h"

enum http_method {
	HTTP_GET = 1,
	HTTP_POST = 2,
	HTTP_PUT = 4,
	HTTP_PATCH = 8,
	HTTP_DELETE = 16,
	HTTP_HEAD = 32,
	HTTP_OPTIONS = 64,
	HTTP_OTHER = 128
};

/* Limits (ARCHITECTURE, issue 2). */
#define HTTP_MAX_URL		(8 * 1024)
#define HTTP_MAX_HEADERS	(32 * 1024)
#define HTTP_MAX_BODY		(1024 * 1024)
#define HTTP_MAX_UPLOAD		(20 * 1024 * 1024)

/*
 * A request, complete before any handler runs: every member lives in
 * "arena", which is released when libmicrohttpd reports the request done.
 * "path" is percent-decoded and well-formed UTF-8; header names are lower
 * case.  When "error" is set (400, 413, 414, 431) the server still calls
 * the application, which answers with that status.
 */
struct req {
	struct arena	 arena;
	enum http_method method;
	const char	*method_name;
	const char	*path;
	const char	*query_string;	/* raw, "" if none */
	struct kvlist	 query;
	struct kvlist	 headers;
	struct kvlist	 cookies;
	const char	*body;		/* NUL-terminated copy, or "" */
	size_t		 body_len;
	char		 addr[48];
	char		 id[20];	/* request id for logs and audit */
	bool		 tls;
	int		 error;		/* status to answer instead, or 0 */
	int64_t		 start_us;
	void		*app;		/* the application's per-request state */
};

/*
 * A response.  The body is "body" unless "static_data" is set (embedded
 * files, sent without copying) or "fd" is (a file, streamed; the server
 * closes it).  "headers" are extra response headers.
 */
struct resp {
	int		 status;
	const char	*content_type;
	struct buf	 body;
	const unsigned char *static_data;
	size_t		 static_len;
	int		 fd;		/* > 0: send this open file (closed after) */
	uint64_t	 fd_size;
	struct kvlist	 headers;
	bool		 close;		/* close the connection afterwards */
	int64_t		 log_uid;	/* account id for the log line, 0 if none */
	const char	*log_route;	/* route pattern, for metrics */
};

/* What the application gives the server. */
struct http_app {
	/* Called when headers are in: the body size this request may send. */
	size_t	(*body_limit)(struct req *);
	/* Build the response.  Never fails: errors are responses. */
	void	(*handle)(struct req *, struct resp *);
	/* After the response is queued: logs and metrics. */
	void	(*done)(const struct req *, const struct resp *, int64_t us);
};

struct http_config {
	const char	*listen;	/* "127.0.0.1:8080"; NULL: see below */
	unsigned	 threads;
	unsigned	 conn_limit;
	unsigned	 per_ip_limit;
	unsigned	 timeout_s;
	const char	*tls_cert;	/* PEM file paths, or NULL */
	const char	*tls_key;
};

struct http_server;

/*
 * Start listening; NULL on failure (logged).  With "listen" NULL the
 * server has no socket and no thread: the caller hands it connected
 * sockets with http_add_socket() and drives it with http_run() (the
 * request fuzzer does, through a socket pair).
 */
struct http_server *http_start(const struct http_config *,
		    const struct http_app *);
int		 http_add_socket(struct http_server *, int fd);
void		 http_run(struct http_server *);
/* The port actually bound (useful with port 0). */
unsigned	 http_port(const struct http_server *);
/* Stop accepting, let requests in flight finish (up to "grace_ms"), stop. */
void		 http_stop(struct http_server *, int grace_ms);
unsigned	 http_active(const struct http_server *);

/* Request helpers (req.c). */
const char	*req_header(const struct req *, const char *lower_name);
const char	*req_cookie(const struct req *, const char *);
const char	*req_query(const struct req *, const char *);
void		 resp_header(struct req *, struct resp *, const char *name,
		    const char *value);
enum http_method http_method_parse(const char *);
const char	*http_status_text(int);

#endif

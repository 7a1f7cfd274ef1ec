/* server.c: libmicrohttpd's callback sequence turned into one call per request. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "http/conntrack.h"
#include "http/http.h"

struct http_server {
	struct MHD_Daemon	*d;
	const struct http_app	*app;
	struct conntrack	*track;
	bool			 tls;
	_Atomic unsigned	 active;
	_Atomic bool		 stopping;	/* http_stop() has begun */
	char			*cert;
	char			*key;
};

/*
 * One request in flight: created when MHD has the request line, released
 * when MHD reports the request complete.  The request owns the arena that
 * every parsed value lives in.
 */
struct conn {
	struct http_server	*srv;
	struct req		 req;
	struct resp		 resp;
	struct buf		 body;
	size_t			 limit;
	size_t			 seen;		/* body bytes received */
	bool			 started;
	bool			 too_big;
	bool			 queued;
};

/*
 * One per connection (MHD's socket context).  "pending" is a request
 * uri_cb() made that access_cb() has not seen yet: libmicrohttpd calls
 * completed_cb() only for requests it passed to access_cb(), so one it
 * refuses itself (a malformed header or cookie) is freed here, when the
 * next request starts or the connection closes.
 */
struct sock {
	struct conn		*pending;
	struct conntrack_conn	*track;	/* its header deadline (conntrack.h) */
};

static _Atomic uint64_t	 req_counter;
static unsigned		 req_prefix;

static int64_t
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char	 msg[512];
	size_t	 n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_warn("http: %s", msg);
}

/* Split the raw request target into a decoded path and a query. */
static void
parse_target(struct req *r, const char *uri)
{
	const char	*q;
	char		*path;
	size_t		 plen;

	/* A refused target still says whether it was for the API. */
	if (strlen(uri) > HTTP_MAX_URL) {
		r->error = 414;
		r->path = str_has_prefix(uri, "/api/") ? "/api/" : "/";
		r->query_string = "";
		return;
	}
	q = strchr(uri, '?');
	plen = q ? (size_t)(q - uri) : strlen(uri);
	r->query_string = q ? arena_strdup(&r->arena, q + 1) : "";
	if (plen == 0 || uri[0] != '/' ||
	    form_urldecode(&r->arena, uri, plen, false, &path, NULL) != 0) {
		r->error = 400;
		r->path = str_has_prefix(uri, "/api/") ? "/api/" : "/";
		return;
	}
	r->path = path;
	if (q != NULL && form_parse_urlencoded(&r->arena, q + 1, strlen(q + 1),
	    100, &r->query) != 0)
		r->error = 400;
}

static struct sock *
sock_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo	*ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

static void
release_conn(struct conn *cn)
{
	struct http_server	*srv = cn->srv;

	buf_release(&cn->body);
	buf_release(&cn->resp.body);
	arena_release(&cn->req.arena);
	free(cn);
	atomic_fetch_sub(&srv->active, 1);
}

/*
 * A connection opens and closes: its context, and on a listening server its
 * deadline for request headers (conntrack.h).  The socketless server of the
 * request fuzzer has no tracker.
 */
static void
conn_cb(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct http_server		*srv = cls;
	struct sock			*sk = *socket_context;
	const union MHD_ConnectionInfo	*ci;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		if ((sk = calloc(1, sizeof(struct sock))) != NULL &&
		    srv->track != NULL && (ci = MHD_get_connection_info(c,
		    MHD_CONNECTION_INFO_CONNECTION_FD)) != NULL)
			sk->track = conntrack_open(srv->track, ci->connect_fd);
		*socket_context = sk;
		return;
	}
	if (sk != NULL) {
		if (sk->track != NULL)
			conntrack_close(srv->track, sk->track);
		if (sk->pending != NULL)
			release_conn(sk->pending);
		free(sk);
		*socket_context = NULL;
	}
}

static void *
uri_cb(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http_server	*srv = cls;
	struct conn		*cn;
	struct sock		*sk;
	uint64_t		 n;

	if ((cn = calloc(1, sizeof(*cn))) == NULL)
		return NULL;
	cn->srv = srv;
	arena_init(&cn->req.arena);
	buf_init(&cn->resp.body, 0);
	buf_init(&cn->body, HTTP_MAX_UPLOAD);
	cn->req.start_us = now_us();
	cn->req.tls = srv->tls;
	cn->req.body = "";
	n = atomic_fetch_add(&req_counter, 1);
	snprintf(cn->req.id, sizeof(cn->req.id), "%08x%08llx", req_prefix,
	    (unsigned long long)n);
	parse_target(&cn->req, uri);
	atomic_fetch_add(&srv->active, 1);
	if ((sk = sock_of(c)) != NULL) {
		if (sk->pending != NULL)
			release_conn(sk->pending);
		sk->pending = cn;
	}
	return cn;
}

struct header_walk {
	struct req	*r;
	size_t		 total;
	int		 content_length;
	int		 transfer_encoding;
	bool		 bad_name;
};

static enum MHD_Result
header_cb(void *cls, enum MHD_ValueKind kind, const char *key, size_t klen,
    const char *value, size_t vlen)
{
	struct header_walk	*w = cls;
	char			*name;
	size_t			 i;

	(void)kind;
	w->total += klen + vlen + 4;
	name = arena_strndup(&w->r->arena, key, klen);
	/*
	 * MHD 0.9.75 keeps the whitespace of "Content-Length : 5" in the
	 * name and yet frames the body by it; RFC 9112 5.1 says refuse.
	 */
	if (klen == 0 || key[klen - 1] == ' ' || key[klen - 1] == '\t')
		w->bad_name = true;
	for (i = 0; i < klen; i++)
		if (name[i] >= 'A' && name[i] <= 'Z')
			name[i] = (char)(name[i] - 'A' + 'a');
	if (strcmp(name, "content-length") == 0)
		w->content_length++;
	if (strcmp(name, "transfer-encoding") == 0)
		w->transfer_encoding++;
	kv_add(&w->r->arena, &w->r->headers, name, value ? value : "",
	    value ? vlen : 0);
	return MHD_YES;
}

static void
read_addr(struct req *r, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;

	str_copy(r->addr, "-", sizeof(r->addr));
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr, r->addr, sizeof(r->addr));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)
		    sa)->sin6_addr, r->addr, sizeof(r->addr));
}

/* Everything known once the headers are in; returns the body limit. */
static void
start_request(struct conn *cn, struct MHD_Connection *c, const char *method)
{
	struct req		*r = &cn->req;
	struct header_walk	 w = { r, 0, 0, 0, false };
	const char		*cl, *cookie, *te;
	int64_t			 len;

	r->method_name = arena_strdup(&r->arena, method);
	r->method = http_method_parse(method);
	read_addr(r, c);
	MHD_get_connection_values_n(c, MHD_HEADER_KIND, header_cb, &w);
	if (r->error != 0)
		return;
	if (w.total > HTTP_MAX_HEADERS) {
		r->error = 431;
		return;
	}
	/* Request smuggling: one framing, stated once (RFC 9112 6.3). */
	if (w.content_length > 1 || (w.content_length && w.transfer_encoding) ||
	    w.transfer_encoding > 1 || w.bad_name) {
		r->error = 400;
		cn->resp.close = true;
		return;
	}
	/*
	 * MHD decodes "chunked" alone; given "gzip, chunked" it waits for a
	 * body it will never frame.  No other coding is accepted.
	 */
	te = req_header(r, "transfer-encoding");
	if (te != NULL && strcasecmp(te, "chunked") != 0) {
		r->error = 400;
		cn->resp.close = true;
		return;
	}
	cookie = req_header(r, "cookie");
	if (cookie != NULL)
		form_parse_cookies(&r->arena, cookie, &r->cookies);
	cn->limit = cn->srv->app->body_limit(r);
	cl = req_header(r, "content-length");
	if (cl != NULL) {
		if (str_to_int64(cl, 0, INT64_MAX, &len) != 0) {
			r->error = 400;
			cn->resp.close = true;
		} else if ((uint64_t)len > cn->limit) {
			r->error = 413;
			cn->resp.close = true;
		}
	}
}

static void
free_body(void *p)
{
	free(p);
}

static enum MHD_Result
respond(struct conn *cn, struct MHD_Connection *c)
{
	struct MHD_Response	*mr;
	struct resp		*rs = &cn->resp;
	char			*p;
	size_t			 n, i;
	enum MHD_Result		 ret;

	cn->srv->app->handle(&cn->req, rs);
	/* A stopping server tells keep-alive clients not to come back. */
	if (atomic_load(&cn->srv->stopping))
		rs->close = true;
	if (rs->fd > 0) {
		mr = MHD_create_response_from_fd64(rs->fd_size, rs->fd);
		if (mr == NULL)
			close(rs->fd);
		rs->fd = -1;	/* MHD owns it now */
	} else if (rs->static_data != NULL) {
		mr = MHD_create_response_from_buffer(rs->static_len,
		    (void *)(uintptr_t)rs->static_data, MHD_RESPMEM_PERSISTENT);
	} else {
		p = buf_detach(&rs->body, &n);
		if (p == NULL) {
			rs->status = 500;
			p = strdup("");
			n = 0;
		}
		mr = MHD_create_response_from_buffer_with_free_callback(n, p,
		    free_body);
		if (mr == NULL)
			free(p);
	}
	if (mr == NULL)
		return MHD_NO;
	if (rs->content_type != NULL)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
		    rs->content_type);
	for (i = 0; i < rs->headers.n; i++)
		MHD_add_response_header(mr, rs->headers.v[i].name,
		    rs->headers.v[i].value);
	if (rs->close)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(c, (unsigned)rs->status, mr);
	MHD_destroy_response(mr);
	cn->queued = true;
	cn->srv->app->done(&cn->req, rs, now_us() - cn->req.start_us);
	return ret;
}

/* Headers in (busy) or the answer sent (idle): the deadline follows. */
static void
track_busy(struct http_server *srv, struct MHD_Connection *c, bool busy)
{
	struct sock	*sk = sock_of(c);

	if (sk == NULL || sk->track == NULL)
		return;
	if (busy)
		conntrack_busy(srv->track, sk->track);
	else
		conntrack_idle(srv->track, sk->track);
}

static enum MHD_Result
access_cb(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data, size_t *size,
    void **con_cls)
{
	struct conn	*cn = *con_cls;
	struct sock	*sk;

	(void)cls;
	(void)url;
	(void)version;
	if (cn == NULL)
		return MHD_NO;
	if (!cn->started) {
		cn->started = true;
		track_busy(cn->srv, c, true);
		/* From here on MHD will call completed_cb() for it. */
		if ((sk = sock_of(c)) != NULL && sk->pending == cn)
			sk->pending = NULL;
		start_request(cn, c, method);
		/*
		 * A request that arrives on a kept-alive connection while the
		 * server stops is refused whole (503), never begun and cut off.
		 */
		if (cn->req.error == 0 && atomic_load(&cn->srv->stopping)) {
			cn->req.error = 503;
			cn->resp.close = true;
		}
		/* Refuse early, without reading a body we will not use. */
		if (cn->req.error == 413 || cn->req.error == 431 ||
		    cn->req.error == 414 || cn->resp.close)
			return respond(cn, c);
		return MHD_YES;
	}
	if (cn->queued) {
		*size = 0;
		return MHD_YES;
	}
	if (*size != 0) {
		if (!cn->too_big && cn->body.len + *size > cn->limit) {
			cn->too_big = true;
			buf_release(&cn->body);
		}
		cn->seen += *size;
		/*
		 * A chunked body has no length to refuse up front, and MHD
		 * 0.9.75 takes no answer in the middle of one: read on (and
		 * drop) to its end for the 413, but not forever.  Past twice
		 * the limit the connection is simply closed.
		 */
		if (cn->too_big && cn->seen > 2 * cn->limit)
			return MHD_NO;
		if (!cn->too_big)
			buf_add(&cn->body, data, *size);
		*size = 0;
		return MHD_YES;
	}
	if (cn->too_big || buf_err(&cn->body)) {
		cn->req.error = 413;
		cn->resp.close = true;
	}
	cn->req.body = cn->body.data;
	cn->req.body_len = cn->body.len;
	return respond(cn, c);
}

static void
completed_cb(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct conn		*cn = *con_cls;
	struct sock		*sk;

	(void)cls;
	(void)toe;
	if (cn == NULL)
		return;
	if (cn->started)
		track_busy(cn->srv, c, false);
	if ((sk = sock_of(c)) != NULL && sk->pending == cn)
		sk->pending = NULL;
	release_conn(cn);
	*con_cls = NULL;
}

/* Leave the path undecoded in MHD: we decode it ourselves, strictly. */
static size_t
unescape_none(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static char *
read_file(const char *path)
{
	FILE	*f;
	char	*p;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (p = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		fclose(f);
		return NULL;
	}
	p[n] = '\0';
	fclose(f);
	return p;
}

static int
parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in	*in4 = (struct sockaddr_in *)(void *)ss;
	struct sockaddr_in6	*in6 = (struct sockaddr_in6 *)(void *)ss;
	char			 host[64];
	const char		*colon;
	int64_t			 port;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		colon = strstr(s, "]:");
		if (colon == NULL || (size_t)(colon - s - 1) >= sizeof(host))
			return -1;
		memcpy(host, s + 1, (size_t)(colon - s - 1));
		host[colon - s - 1] = '\0';
		colon++;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || (size_t)(colon - s) >= sizeof(host))
			return -1;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
	}
	if (str_to_int64(colon + 1, 0, 65535, &port) != 0)
		return -1;
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		*len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*in6);
		return 0;
	}
	return -1;
}

/*
 * No socket, no thread: the same callbacks and limits as a listening
 * server, driven by http_add_socket() and http_run().
 */
static struct http_server *
start_local(const struct http_config *cfg, const struct http_app *app)
{
	struct http_server	*srv;

	if ((srv = calloc(1, sizeof(*srv))) == NULL)
		return NULL;
	srv->app = app;
	/*
	 * No MHD_USE_ERROR_LOG: on the AF_UNIX pairs this is used with, MHD
	 * warns of TCP options on every request.
	 */
	srv->d = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL,
	    access_cb, srv,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->conn_limit,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(HTTP_MAX_HEADERS +
		4 * 1024),
	    MHD_OPTION_URI_LOG_CALLBACK, uri_cb, srv,
	    MHD_OPTION_NOTIFY_COMPLETED, completed_cb, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, conn_cb, srv,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, NULL,
	    MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
	    MHD_OPTION_END);
	if (srv->d == NULL) {
		error("cannot start a server without a socket");
		free(srv);
		return NULL;
	}
	return srv;
}

int
http_add_socket(struct http_server *srv, int fd)
{
	struct sockaddr_in	 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return MHD_add_connection(srv->d, fd, (struct sockaddr *)&sin,
	    sizeof(sin)) == MHD_YES ? 0 : -1;
}

void
http_run(struct http_server *srv)
{
	MHD_run(srv->d);
}

struct http_server *
http_start(const struct http_config *cfg, const struct http_app *app)
{
	struct http_server	*srv;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	unsigned		 flags;
	unsigned char		 rnd[4];
	FILE			*ur;

	if (cfg->listen == NULL)
		return start_local(cfg, app);
	if (parse_listen(cfg->listen, &ss, &sslen) != 0) {
		error("cannot parse listen address '%s'", cfg->listen);
		return NULL;
	}
	if ((srv = calloc(1, sizeof(*srv))) == NULL)
		return NULL;
	srv->app = app;
	if ((ur = fopen("/dev/urandom", "rb")) != NULL) {
		if (fread(rnd, 1, sizeof(rnd), ur) == sizeof(rnd))
			req_prefix = (unsigned)rnd[0] << 24 |
			    (unsigned)rnd[1] << 16 | (unsigned)rnd[2] << 8 | rnd[3];
		fclose(ur);
	}
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG | MHD_USE_ITC;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (cfg->tls_cert != NULL || cfg->tls_key != NULL) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			error("this libmicrohttpd has no TLS support");
			free(srv);
			return NULL;
		}
		srv->cert = cfg->tls_cert ? read_file(cfg->tls_cert) : NULL;
		srv->key = cfg->tls_key ? read_file(cfg->tls_key) : NULL;
		if (srv->cert == NULL || srv->key == NULL) {
			error("cannot read TLS certificate '%s' and key '%s'",
			    cfg->tls_cert ? cfg->tls_cert : "",
			    cfg->tls_key ? cfg->tls_key : "");
			free(srv->cert);
			free(srv->key);
			free(srv);
			return NULL;
		}
		flags |= MHD_USE_TLS;
		srv->tls = true;
	}
	/*
	 * Before the daemon: its first connection may come at once.  An eighth
	 * of the slots stay free so that a new connection is always accepted
	 * and can push out a slow one (conntrack.h).
	 */
	if ((srv->track = conntrack_start(cfg->timeout_s, cfg->conn_limit -
	    cfg->conn_limit / 8)) == NULL) {
		error("cannot start the connection tracker");
		free(srv->cert);
		free(srv->key);
		free(srv);
		return NULL;
	}
	srv->d = MHD_start_daemon(flags, 0, NULL, NULL, access_cb, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->conn_limit,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_limit,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout_s,
	    /*
	     * The pool holds the request line and headers (at most 32 KiB,
	     * then 431) and the response headers; MHD clears it for every
	     * request, so it is no bigger than that.
	     */
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(HTTP_MAX_HEADERS +
		4 * 1024),
	    MHD_OPTION_URI_LOG_CALLBACK, uri_cb, srv,
	    MHD_OPTION_NOTIFY_COMPLETED, completed_cb, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, conn_cb, srv,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, NULL,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
	    MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
	    srv->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, srv->cert,
	    MHD_OPTION_HTTPS_MEM_KEY, srv->key,
	    MHD_OPTION_END);
	if (srv->d == NULL) {
		error("cannot listen on '%s'", cfg->listen);
		conntrack_stop(srv->track);
		free(srv->cert);
		free(srv->key);
		free(srv);
		return NULL;
	}
	return srv;
}

unsigned
http_port(const struct http_server *srv)
{
	const union MHD_DaemonInfo	*di;

	di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	return di ? di->port : 0;
}

unsigned
http_active(const struct http_server *srv)
{
	return atomic_load(&((struct http_server *)(uintptr_t)srv)->active);
}

void
http_stop(struct http_server *srv, int grace_ms)
{
	int	 waited = 0;

	if (srv == NULL)
		return;
	atomic_store(&srv->stopping, true);
	MHD_quiesce_daemon(srv->d);
	while (atomic_load(&srv->active) > 0 && waited < grace_ms) {
		usleep(10 * 1000);
		waited += 10;
	}
	MHD_stop_daemon(srv->d);
	conntrack_stop(srv->track);
	free(srv->cert);
	free(srv->key);
	free(srv);
}

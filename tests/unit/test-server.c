/* test-server.c: the HTTP server through a socket pair (its socketless mode). */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "base/buf.h"
#include "http/http.h"

static int	 handled;

static size_t
stub_limit(struct req *r)
{
	(void)r;
	return HTTP_MAX_BODY;
}

static void
stub_handle(struct req *r, struct resp *rs)
{
	handled++;
	rs->status = r->error ? r->error : 200;
	rs->content_type = "text/plain";
	buf_adds(&rs->body, "ok");
}

static void
stub_done(const struct req *r, const struct resp *rs, int64_t us)
{
	(void)r;
	(void)rs;
	(void)us;
}

static const struct http_app stub = { stub_limit, stub_handle, stub_done };
static struct http_server *srv;

static void
setup(void)
{
	struct http_config	 hc;

	signal(SIGPIPE, SIG_IGN);
	memset(&hc, 0, sizeof(hc));
	hc.conn_limit = 8;
	hc.timeout_s = 5;
	handled = 0;
	srv = http_start(&hc, &stub);
	cr_assert_not_null(srv);
}

static void
teardown(void)
{
	http_stop(srv, 0);
}

TestSuite(server, .init = setup, .fini = teardown);

/* Send "req", close our side, run the server until it closes; the answer. */
static void
exchange(const char *req, char *out, size_t outlen)
{
	int	 sv[2], spins;
	size_t	 n = 0;
	ssize_t	 k;

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv),
	    0);
	cr_assert_eq(http_add_socket(srv, sv[1]), 0);
	cr_assert_eq(write(sv[0], req, strlen(req)), (ssize_t)strlen(req));
	shutdown(sv[0], SHUT_WR);
	for (spins = 0; spins < 100000; spins++) {
		http_run(srv);
		k = read(sv[0], out + n, outlen - 1 - n);
		if (k > 0)
			n += (size_t)k;
		else if (k == 0 || errno != EAGAIN)
			break;
	}
	out[n] = '\0';
	close(sv[0]);
	http_run(srv);
}

Test(server, answers_a_request_and_releases_it)
{
	char	 out[4096];

	exchange("GET /x HTTP/1.1\r\nHost: a\r\n\r\n", out, sizeof(out));
	cr_assert(strncmp(out, "HTTP/1.1 200", 12) == 0, "%s", out);
	cr_assert_eq(handled, 1);
	cr_assert_eq(http_active(srv), 0);
}

/*
 * libmicrohttpd refuses these itself, after the request line: the request
 * made for it must still be freed (it leaked, and stayed "active" for ever,
 * so shutdown waited out its whole grace period).  Found by fuzz-request.
 */
/* [S48] */
Test(server, requests_refused_by_libmicrohttpd_are_released)
{
	static const char *const bad[] = {
		"GET / HTTP/1.1\r\nCookie: xz=\"\r\n\r\n",
		"GET / HTTP/1.1\r\n: x\r\n\r\n",
		"DELETG /api/v1 HTTP/1.1\r\n: xotsH\r\nCookie: xz=\"\r\n\r\n",
	};
	char	 out[4096];
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		exchange(bad[i], out, sizeof(out));
		/* A 400, or the connection closed without a word. */
		cr_assert(out[0] == '\0' || strncmp(out, "HTTP/1.1 400", 12) == 0,
		    "request %zu: %s", i, out);
		cr_assert_eq(http_active(srv), 0, "request %zu kept", i);
	}
	cr_assert_eq(handled, 0);
}

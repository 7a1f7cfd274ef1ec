/* fuzz-request.c: libFuzzer target feeding raw bytes to the whole server through a socket pair. */
/* [S48] the request-level harness: MHD_add_connection on a socket pair, under ASan and UBSan. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth/auth.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "db/db.h"
#include "http/http.h"
#include "matter/attach.h"
#include "web/app.h"
#include "web/pagecache.h"

#define FUZZ_MAX	(64 * 1024)
#define OUT_MAX		(4 * 1024 * 1024)
#define SPINS_MAX	200000

/* A broken promise of the server's contract is a finding, like a crash. */
#define CHECK(e)	do { if (!(e)) abort(); } while (0)

int	 LLVMFuzzerInitialize(int *, char ***);
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct http_server	*srv;
static char			 dir[256], dbpath[300], files[300], login[64], pw[128];
static struct auth_signin	 si;

static int
run_cmd(int (*fn)(int, char *[]), const char *name)
{
	char	*argv[] = { (char *)(uintptr_t)name, "--db", dbpath, NULL };

	optind = 0;
	return fn(3, argv);
}

/* The demo prints "  leader  <login>  <password>  ..."; keep the leader's. */
static void
make_demo(void)
{
	char	 out[300], line[512];
	FILE	*f;
	int	 fd, saved;

	snprintf(out, sizeof(out), "%s/demo.txt", dir);
	CHECK(run_cmd(cmd_init, "init") == EXIT_OK);
	fflush(stdout);
	CHECK((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0);
	CHECK((saved = dup(1)) >= 0 && dup2(fd, 1) == 1);
	CHECK(run_cmd(cmd_demo, "demo") == EXIT_OK);
	fflush(stdout);
	CHECK(dup2(saved, 1) == 1);
	close(saved);
	close(fd);
	CHECK((f = fopen(out, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, " leader %63s %127s", login, pw) == 2)
			break;
	fclose(f);
	CHECK(login[0] != '\0' && pw[0] != '\0');
}

/* A leader's session, for inputs that say @SID@ and @CSRF@. */
static void
sign_in(void)
{
	struct audit_actor	 ctx = { 0, 0, "-", "", "127.0.0.1", "fuzz" };
	struct auth_signin	 now;
	struct db		*db;
	int			 rc;

	CHECK((db = db_pool_get()) != NULL);
	/*
	 * Inputs may have locked the account or throttled 127.0.0.1 (or
	 * signed out): then they run with the stale session, like a browser.
	 */
	rc = auth_signin(db, login, pw, &ctx, time_now_ms(), &now);
	CHECK(rc == AUTH_OK || rc == AUTH_THROTTLED || rc == AUTH_DENIED);
	if (rc == AUTH_OK)
		si = now;
}

static bool
session_alive(void)
{
	struct arena	 a;
	struct actor	 act;
	const char	*csrf;
	unsigned char	 h[SECRET_HASH_LEN];
	int		 rc;

	arena_init(&a);
	secret_token_hash(si.token, h);
	rc = auth_session(db_pool_get(), h, time_now_ms(), &a, &act, &csrf);
	arena_release(&a);
	return rc == AUTH_OK;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The temporary township goes when the fuzzer exits. */
static void
cleanup(void)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct http_config	 hc;
	struct app_config	 ac;

	(void)argc;
	(void)argv;
	signal(SIGPIPE, SIG_IGN);
	/*
	 * libFuzzer leaves with _Exit() when interrupted or out of time, so
	 * atexit() is not enough: tests/fuzz/run points TMPDIR into build/.
	 */
	snprintf(dir, sizeof(dir), "%s/xz-fuzz-XXXXXX", getenv("TMPDIR") ?
	    getenv("TMPDIR") : "/tmp");
	CHECK(mkdtemp(dir) != NULL);
	atexit(cleanup);
	snprintf(dbpath, sizeof(dbpath), "%s/fuzz.db", dir);
	snprintf(files, sizeof(files), "%s/files", dir);
	make_demo();
	CHECK(attach_init(files) == 0);
	db_pool_init(dbpath);
	memset(&ac, 0, sizeof(ac));
	ac.strict = true;	/* --dev: a template name missing is a 500 */
	pagecache_init(1024 * 1024);
	CHECK(app_init(&ac) == 0 && app_selftest() == 0);
	auth_init(1);
	sign_in();
	CHECK(session_alive());
	memset(&hc, 0, sizeof(hc));
	hc.conn_limit = 16;
	hc.timeout_s = 5;
	CHECK((srv = http_start(&hc, &app_http)) != NULL);
	fprintf(stderr, "fuzz-request: demo township in %s, leader %s\n", dir,
	    login);
	/* A log line per request would be most of the run's time. */
	log_set_quiet(1);
	return 0;
}

/* The input with @SID@ and @CSRF@ replaced by the leader's session. */
static void
expand(const uint8_t *data, size_t size, struct buf *b)
{
	size_t	 i = 0;

	while (i < size) {
		if (size - i >= 5 && memcmp(data + i, "@SID@", 5) == 0) {
			buf_adds(b, si.token);
			i += 5;
		} else if (size - i >= 6 && memcmp(data + i, "@CSRF@", 6) == 0) {
			buf_adds(b, si.csrf);
			i += 6;
		} else
			buf_addc(b, (char)data[i++]);
	}
	CHECK(!buf_err(b));
}

/*
 * The server's promise: whatever the bytes, it answers with a well-formed
 * status line and never a 5xx (but libmicrohttpd's 501 for an unknown
 * method and 505 for an unknown version), or closes without a word (when the bytes
 * are not HTTP at all); and it closes once the client has finished.
 */
static void
check_response(const char *out, size_t n)
{
	static const char nosniff[] = "\r\nX-Content-Type-Options: nosniff\r\n";
	const char	*hend, *p, *eol;
	size_t		 hlen;
	int		 status;

	if (n == 0)
		return;
	CHECK(n >= 12 && memcmp(out, "HTTP/1.", 7) == 0);
	CHECK(out[8] == ' ' && out[9] >= '1' && out[9] <= '5' &&
	    out[10] >= '0' && out[10] <= '9' && out[11] >= '0' &&
	    out[11] <= '9');
	status = (out[9] - '0') * 100 + (out[10] - '0') * 10 + out[11] - '0';
	/* libmicrohttpd's own answers to a request it cannot serve. */
	if (status == 501 || status == 505)
		return;
	if (getenv("FUZZ_REQUEST_SHOW") != NULL)
		fprintf(stderr, "fuzz-request: %.*s\n", (int)(memchr(out, '\r',
		    n) ? (const char *)memchr(out, '\r', n) - out : 12), out);
	/*
	 * Every answer of the application carries the security headers and
	 * only HttpOnly cookies; libmicrohttpd's own refusals carry neither.
	 */
	hend = memmem(out, n, "\r\n\r\n", 4);
	hlen = hend ? (size_t)(hend - out) : n;
	if (memmem(out, hlen, nosniff, sizeof(nosniff) - 1) == NULL && status != 400 && status != 413 && status != 414 &&
	    status != 431) {
		fprintf(stderr, "fuzz-request: no security headers\n%.*s\n",
		    (int)hlen, out);
		abort();
	}
	for (p = out; (p = memmem(p, hlen - (size_t)(p - out),
	    "\r\nSet-Cookie: ", 14)) != NULL; p += 2) {
		eol = memmem(p + 2, hlen - (size_t)(p + 2 - out), "\r\n", 2);
		CHECK(memmem(p, (size_t)((eol ? eol : out + hlen) - p),
		    "; HttpOnly", 10) != NULL);
	}
	if (status >= 500) {
		fprintf(stderr, "fuzz-request: status %d\n%.*s\n", status,
		    (int)(n < 2048 ? n : 2048), out);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 in, out;
	char		 chunk[16384];
	size_t		 off = 0;
	ssize_t		 k;
	int		 sv[2], spins;
	bool		 eof = false, shut = false;

	if (size > FUZZ_MAX)
		return 0;
	if (memmem(data, size, "@SID@", 5) != NULL && !session_alive())
		sign_in();
	buf_init(&in, 0);
	buf_init(&out, OUT_MAX);
	expand(data, size, &in);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0, sv) == 0);
	CHECK(http_add_socket(srv, sv[1]) == 0);
	for (spins = 0; !eof; spins++) {
		CHECK(spins < SPINS_MAX);
		if (!shut) {
			k = off < in.len ? write(sv[0], in.data + off,
			    in.len - off) : 0;
			if (k > 0)
				off += (size_t)k;
			/* The server may close before it has read it all. */
			if (off == in.len || (k < 0 && errno != EAGAIN)) {
				shutdown(sv[0], SHUT_WR);
				shut = true;
			}
		}
		http_run(srv);
		while ((k = read(sv[0], chunk, sizeof(chunk))) > 0)
			if (out.len < OUT_MAX)
				buf_add(&out, chunk, (size_t)k);
		if (k == 0 || (k < 0 && errno != EAGAIN))
			eof = true;
	}
	close(sv[0]);
	http_run(srv);
	check_response(out.data, out.len);
	buf_release(&in);
	buf_release(&out);
	return 0;
}

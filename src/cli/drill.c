/* drill.c: "xiangzhi drill": restore a backup into a scratch directory and prove it. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/timeutil.h"
#include "cli/backup.h"
#include "cli/cli.h"
#include "db/db.h"

/*
 * A drill is what an inspector asks for (等保 wants recent restore
 * records): the backup is restored exactly as a real restore would do it,
 * but into a fresh scratch directory; every table is compared with the
 * manifest taken at the backup point; a second server is started on the
 * copy, on a free loopback port, and answers a health check and a page;
 * and the result, good or bad, goes into the live audit log.
 */
struct drill {
	const char		*backup, *live, *key;
	char			 dir[4096], db[4200], files[4200];
	struct backup_seen	 seen;
	bool			 restored, served;
	int			 health, page;	/* HTTP status, 0 when none */
	int			 server_exit;
	int64_t			 ms;
};

/* The "(port N)" line of a starting server; 0 after 15 s or at EOF. */
static unsigned
read_port(int fd)
{
	char		 buf[1024];
	const char	*p;
	size_t		 len = 0;
	ssize_t		 n;
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	int64_t		 until = time_mono_ms() + 15000;
	unsigned long	 port;

	while (len < sizeof(buf) - 1 && time_mono_ms() < until) {
		if (poll(&pfd, 1, 500) <= 0)
			continue;
		if ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) <= 0)
			return 0;
		len += (size_t)n;
		buf[len] = '\0';
		if ((p = strstr(buf, "(port ")) != NULL &&
		    strchr(p, ')') != NULL) {
			port = strtoul(p + 6, NULL, 10);
			return port > 0 && port < 65536 ? (unsigned)port : 0;
		}
	}
	return 0;
}

/* GET "path" from 127.0.0.1:port; the status code, 0 on failure. */
static int
http_get(unsigned port, const char *path)
{
	struct sockaddr_in	 sa;
	struct timeval		 tv = { .tv_sec = 5 };
	char			 req[256], res[64];
	size_t			 got = 0;
	ssize_t			 n;
	int			 s, status = 0;

	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Connection: close\r\n\r\n", path);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    write(s, req, (size_t)n) == n) {
		while (got < sizeof(res) - 1 &&
		    (n = read(s, res + got, sizeof(res) - 1 - got)) > 0)
			got += (size_t)n;
		res[got] = '\0';
		if (strncmp(res, "HTTP/1.1 ", 9) == 0)
			status = (int)strtol(res + 9, NULL, 10);
	}
	close(s);
	return status;
}

/* Start "xiangzhi serve" on the copy, fetch two read-only pages, stop it. */
static void
drill_serve(struct drill *d)
{
	int	 fds[2], st;
	unsigned port;
	pid_t	 pid;

	if (pipe(fds) != 0)
		return;
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl("/proc/self/exe", "xiangzhi", "serve", "--db", d->db,
		    "--key", d->key, "--files", d->files, "--listen",
		    "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	if ((port = read_port(fds[0])) != 0) {
		d->served = true;
		d->health = http_get(port, "/healthz");
		d->page = http_get(port, "/login");
	}
	close(fds[0]);
	kill(pid, SIGTERM);
	d->server_exit = waitpid(pid, &st, 0) == pid && WIFEXITED(st) ?
	    WEXITSTATUS(st) : -1;
}

static bool
drill_ok(const struct drill *d, bool serve)
{
	return d->restored && d->seen.tables > 0 && (!serve || (d->served &&
	    d->health == 200 && d->page == 200 && d->server_exit == 0));
}

/* The drill's result into the live audit log; -1 when it cannot be. */
static int
drill_record(const struct drill *d, bool serve, bool ok)
{
	struct audit_actor	 who = cli_actor();
	struct db		*db;
	json_t			*j;
	int			 rc;

	if ((db = cli_open(d->live, d->key, false)) == NULL)
		return -1;
	j = json_pack("{ss ss sb sI sI sI sb sb si si si sI}",
	    "file", d->backup, "dir", d->dir, "restored", d->restored,
	    "tables", (json_int_t)d->seen.tables,
	    "rows", (json_int_t)d->seen.rows,
	    "audit_records", (json_int_t)d->seen.records,
	    "serve", serve, "served", d->served,
	    "healthz", d->health, "page", d->page,
	    "server_exit", d->server_exit, "ms", (json_int_t)d->ms);
	rc = audit_write_alone(db, &who, "backup.drill", "database", 0, ok, j);
	json_decref(j);
	db_close(db);
	return rc;
}

int
cmd_drill(int argc, char *argv[])
{
	static const char usage[] =
	    "usage: xiangzhi drill [--db PATH] [--key FILE] [--no-serve]"
	    " [--keep] --from BACKUP\n";
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "from", required_argument, NULL, 'F' },
		{ "no-serve", no_argument, NULL, 'n' },
		{ "keep", no_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};
	struct restore_req	 r;
	struct drill		 d;
	const char		*db_flag = NULL, *key_flag = NULL, *tmp;
	bool			 serve = true, keep = false, ok;
	int64_t			 t0 = time_mono_ms();
	int			 c;

	memset(&d, 0, sizeof(d));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'd')
			db_flag = optarg;
		else if (c == 'k')
			key_flag = optarg;
		else if (c == 'F')
			d.backup = optarg;
		else if (c == 'n')
			serve = false;
		else if (c == 'K')
			keep = true;
		else {
			fprintf(stderr, "%s", usage);
			return EXIT_USAGE;
		}
	}
	if (d.backup == NULL || optind != argc) {
		fprintf(stderr, "%s", usage);
		return EXIT_USAGE;
	}
	d.live = cli_option(db_flag, "XIANGZHI_DB", "xiangzhi.db");
	d.key = cli_key_path(d.live, key_flag);
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(d.dir, sizeof(d.dir), "%s/xiangzhi-drill-XXXXXX", tmp);
	if (mkdtemp(d.dir) == NULL) {
		fprintf(stderr, "xiangzhi: cannot make a scratch directory in"
		    " %s: %s\n", tmp, strerror(errno));
		return EXIT_USER;
	}
	snprintf(d.db, sizeof(d.db), "%s/drill.db", d.dir);
	snprintf(d.files, sizeof(d.files), "%s/drill.db.files", d.dir);

	memset(&r, 0, sizeof(r));
	r.file = d.backup;
	r.path = d.db;
	r.key = d.key;
	r.live = d.files;
	r.record = false;
	d.restored = backup_restore(&r, &d.seen) == 0;
	if (d.restored && d.seen.tables == 0)
		fprintf(stderr, "xiangzhi: '%s' has no manifest: the drill"
		    " cannot compare its tables\n", d.backup);
	if (d.restored && d.seen.tables > 0 && serve)
		drill_serve(&d);
	d.ms = time_mono_ms() - t0;
	ok = drill_ok(&d, serve);
	if (!keep)
		backup_rmtree(d.dir);
	if (drill_record(&d, serve, ok) != 0) {
		fprintf(stderr, "xiangzhi: cannot record the drill in the audit"
		    " log of '%s'\n", d.live);
		return EXIT_USER;
	}
	if (serve)
		printf("server on the copy: %s (/healthz %d, /login %d, exit"
		    " %d)\n", d.served ? "started" : "DID NOT START",
		    d.health, d.page, d.server_exit);
	printf("drill %s: %s restored into %s%s, %zu tables and %lld rows"
	    " match the manifest, %lld audit records verified, %lld ms;"
	    " recorded in the audit log of %s\n", ok ? "PASSED" : "FAILED",
	    d.backup, d.dir, keep ? "" : " (removed)", d.seen.tables,
	    (long long)d.seen.rows, (long long)d.seen.records,
	    (long long)d.ms, d.live);
	return ok ? EXIT_OK : EXIT_USER;
}

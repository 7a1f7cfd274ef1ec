/* serve.c: "xiangzhi serve": start the server, sweep, stop on SIGTERM. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "auth/password.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "db/db.h"
#include "http/http.h"
#include "matter/attach.h"
#include "matter/matter_db.h"
#include "web/app.h"
#include "web/pagecache.h"

static const char usage_line[] =
    "usage: xiangzhi serve [--db PATH] [--key PATH] [--listen ADDR:PORT]\n"
    "                      [--threads N] [--tls-cert FILE --tls-key FILE]\n"
    "                      [--public-url URL] [--trusted-proxy ADDR]\n"
    "                      [--page-cache MIB] [--files DIR] [--dev]\n";

int
cmd_serve(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "public-url", required_argument, NULL, 'u' },
		{ "trusted-proxy", required_argument, NULL, 'P' },
		{ "page-cache", required_argument, NULL, 'c' },
		{ "files", required_argument, NULL, 'f' },
		{ "dev", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char		*f_db = NULL, *f_key = NULL, *f_listen = NULL;
	const char		*f_threads = NULL, *f_cert = NULL, *f_tkey = NULL;
	const char		*f_url = NULL, *f_proxy = NULL, *f_cache = NULL;
	const char		*f_files = NULL, *path, *files;
	struct http_config	 hc;
	struct app_config	 ac;
	struct http_server	*srv;
	struct db		*db;
	struct timespec		 tick = { 60, 0 };
	sigset_t		 sigs;
	int64_t			 threads, cache_mb, sweep_s;
	int			 c, sig;
	bool			 dev = false;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': f_db = optarg; break;
		case 'k': f_key = optarg; break;
		case 'l': f_listen = optarg; break;
		case 't': f_threads = optarg; break;
		case 'C': f_cert = optarg; break;
		case 'K': f_tkey = optarg; break;
		case 'u': f_url = optarg; break;
		case 'P': f_proxy = optarg; break;
		case 'c': f_cache = optarg; break;
		case 'f': f_files = optarg; break;
		case 'D': dev = true; break;
		case 'h':
			printf("%s", usage_line);
			return EXIT_OK;
		default:
			fprintf(stderr, "%s", usage_line);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s", usage_line);
		return EXIT_USAGE;
	}
	path = cli_option(f_db, "XIANGZHI_DB", "xiangzhi.db");
	memset(&hc, 0, sizeof(hc));
	hc.listen = cli_option(f_listen, "XIANGZHI_LISTEN", "127.0.0.1:8080");
	if (str_to_int64(cli_option(f_threads, "XIANGZHI_THREADS", "4"), 1, 256,
	    &threads) != 0) {
		fprintf(stderr, "xiangzhi: --threads must be 1 to 256\n");
		return EXIT_USAGE;
	}
	hc.threads = (unsigned)threads;
	if (str_to_int64(cli_option(f_cache, "XIANGZHI_PAGE_CACHE", "8"), 0, 1024,
	    &cache_mb) != 0) {
		fprintf(stderr, "xiangzhi: --page-cache takes 0 to 1024 (MiB)\n");
		return EXIT_USAGE;
	}
	if (str_to_int64(cli_option(NULL, "XIANGZHI_SWEEP_SECONDS", "60"), 1,
	    3600, &sweep_s) != 0) {
		fprintf(stderr, "xiangzhi: XIANGZHI_SWEEP_SECONDS takes 1 to 3600\n");
		return EXIT_USAGE;
	}
	tick.tv_sec = (time_t)sweep_s;
	hc.conn_limit = 1024;
	hc.per_ip_limit = 256;
	hc.timeout_s = 30;
	hc.tls_cert = cli_option(f_cert, "XIANGZHI_TLS_CERT", NULL);
	hc.tls_key = cli_option(f_tkey, "XIANGZHI_TLS_KEY", NULL);
	if ((hc.tls_cert == NULL) != (hc.tls_key == NULL)) {
		fprintf(stderr, "xiangzhi: give both --tls-cert and --tls-key\n");
		return EXIT_USAGE;
	}
	dev = dev || getenv("XIANGZHI_DEV") != NULL;

	if ((db = cli_open(path, cli_key_path(path, f_key), false)) == NULL)
		return EXIT_USER;
	db_close(db);
	/* Attachments live beside the database unless told otherwise. */
	if ((files = cli_files_path(path, f_files)) == NULL) {
		fprintf(stderr, "xiangzhi: database path too long\n");
		return EXIT_USAGE;
	}
	if (attach_init(files) != 0) {
		fprintf(stderr, "xiangzhi: cannot use %s for attachments\n",
		    files);
		return EXIT_USER;
	}
	db_pool_init(path);
	memset(&ac, 0, sizeof(ac));
	ac.strict = dev;
	ac.public_url = cli_option(f_url, "XIANGZHI_PUBLIC_URL", NULL);
	ac.trusted_proxy = cli_option(f_proxy, "XIANGZHI_TRUSTED_PROXY", NULL);
	pagecache_init((size_t)cache_mb * 1024 * 1024);
	if (app_init(&ac) != 0 || app_selftest() != 0) {
		fprintf(stderr, "xiangzhi: start-up self-test failed\n");
		return EXIT_USER;
	}
	/* Each Argon2id hash takes 64 MiB: bound how many run at once. */
	auth_init(hc.threads > 2 ? hc.threads / 2 : 1);

	/* Threads started from here inherit the blocked signals. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((srv = http_start(&hc, &app_http)) == NULL)
		return EXIT_USER;
	printf("xiangzhi serving %s on %s://%s%s (port %u)\n", path,
	    hc.tls_cert ? "https" : "http", hc.listen, dev ? " [dev]" : "",
	    http_port(srv));
	fflush(stdout);
	if ((sig = time_synchronised()) == 0)
		log_warn("the system clock is not synchronised by NTP: audit"
		    " and deadline times may be wrong; enable chrony or"
		    " systemd-timesyncd");
	else
		log_info("system clock: %s", sig == 1 ? "synchronised by NTP" :
		    "cannot tell whether NTP keeps it");

	for (sig = 0;; sig = sigtimedwait(&sigs, NULL, &tick)) {
		if (sig == SIGTERM || sig == SIGINT)
			break;
		/*
		 * At start and every minute: expired sessions, links and counters, and
		 * the deadline reminders that have come due.
		 */
		db = db_pool_get();
		if (db == NULL)
			continue;
		if (auth_sweep(db, time_now_ms()) != 0)
			log_warn("session sweep failed");
		if (matter_sweep(db, date_today_cn(), time_now_ms()) < 0)
			log_warn("reminder sweep failed");
	}
	log_info("stopping: finishing requests in flight");
	http_stop(srv, 10000);
	db_pool_close_all();
	app_free();
	log_info("stopped");
	return EXIT_OK;
}

/* main.c: xiangzhi's command line: dispatch to one file per subcommand. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

#ifndef XZ_VERSION
#define XZ_VERSION "0.1.0"
#endif

static const struct {
	const char	*name;
	int		(*fn)(int, char *[]);
	const char	*help;
} cmds[] = {
	{ "serve", cmd_serve, "serve the web application" },
	{ "init", cmd_init, "create or migrate the database and its key file" },
	{ "demo", cmd_demo, "fill the database with the demo township" },
	{ "user", cmd_user, "add|passwd|disable|list accounts" },
	{ "import", cmd_import, "import people from a CSV file" },
	{ "backup", cmd_backup, "copy the database and its attachments" },
	{ "restore", cmd_restore, "check a backup and its files, then restore" },
	{ "drill", cmd_drill, "restore a backup into a scratch directory and prove it" },
	{ "keygen", cmd_keygen, "make a key file for sealed off-site copies" },
	{ "unseal", cmd_unseal, "decrypt a sealed off-site copy into a backup" },
	{ "audit", cmd_audit, "verify the audit log's hash chain" },
};

static void
usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: xiangzhi command [options]\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "  %-8s %s\n", "version", "print the version");
	fprintf(f, "\nCommon options (each also read from XIANGZHI_<NAME>):\n"
	    "  --db PATH        database file (default ./xiangzhi.db)\n"
	    "  --key PATH       key file (default DB.key)\n"
	    "serve options:\n"
	    "  --listen ADDR:PORT   default 127.0.0.1:8080\n"
	    "  --threads N          worker threads (default 4)\n"
	    "  --tls-cert FILE --tls-key FILE   serve HTTPS\n"
	    "  --public-url URL     base of links handed out\n"
	    "  --trusted-proxy ADDR believe X-Real-IP/X-Forwarded-Proto from ADDR\n"
	    "  --page-cache MIB     rendered pages kept while data is unchanged\n"
	    "                       (default 8, 0 turns it off)\n"
	    "  --dev                strict templates, verbose logs\n"
	    "\n'xiangzhi COMMAND --help' shows a command's usage.\n");
}

int
main(int argc, char *argv[])
{
	size_t	 i;

	/* The database, its WAL and the key file are for this user only. */
	umask(077);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "version") == 0 ||
	    strcmp(argv[1], "--version") == 0) {
		printf("xiangzhi %s\n", XZ_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "xiangzhi: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}

/* init.c: "xiangzhi init": create or migrate the database and its key. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "db/db.h"
#include "db/migrate.h"

int
cmd_init(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*db_flag = NULL, *key_flag = NULL, *path, *key;
	struct db	*db;
	int		 c, n;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_flag = optarg;
			break;
		case 'k':
			key_flag = optarg;
			break;
		case 'h':
			printf("usage: xiangzhi init [--db PATH] [--key PATH]\n");
			return EXIT_OK;
		default:
			fprintf(stderr, "usage: xiangzhi init [--db PATH]"
			    " [--key PATH]\n");
			return EXIT_USAGE;
		}
	}
	path = cli_option(db_flag, "XIANGZHI_DB", "xiangzhi.db");
	key = cli_key_path(path, key_flag);
	if ((db = cli_open(path, key, true)) == NULL)
		return EXIT_USER;
	n = migrate_up(db);
	if (n < 0) {
		db_close(db);
		fprintf(stderr, "xiangzhi: cannot migrate '%s'\n", path);
		return EXIT_USER;
	}
	printf("database %s is at schema %d (%d migration%s applied)\n", path,
	    migrate_latest(), n, n == 1 ? "" : "s");
	db_close(db);
	return EXIT_OK;
}

/* init.c: "xiangzhi init": create or migrate the database and its key. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "base/utf8.h"
#include "cli/cli.h"
#include "db/db.h"
#include "db/migrate.h"
#include "org/org.h"

static const char usage_line[] =
    "usage: xiangzhi init [--db PATH] [--key PATH] [--township NAME"
    " [--county NAME]]\n";

/* Create the first township if there is none; 0, or -1 with a message. */
static int
first_township(struct db *db, const char *name, const char *county)
{
	struct audit_actor	 who = cli_actor();
	json_t			*d;
	int64_t			 id = 0;
	int			 rc;

	if (org_default_township(db) != 0) {
		printf("a township already exists; --township ignored\n");
		return 0;
	}
	if (!utf8_valid(name, strlen(name)) || utf8_len(name) < 1 ||
	    utf8_len(name) > 40 || utf8_has_control(name, false)) {
		fprintf(stderr, "xiangzhi: a township name has 1 to 40"
		    " characters\n");
		return -1;
	}
	if ((rc = db_begin(db)) != DB_OK)
		return -1;
	rc = org_township_create(db, name, county ? county : "", &id);
	if (rc == DB_OK) {
		who.township_id = id;
		d = json_pack("{ss}", "name", name);
		rc = audit_write(db, &who, "township.create", "township", id,
		    true, d);
		json_decref(d);
	}
	if (db_end(db, rc) != 0) {
		fprintf(stderr, "xiangzhi: cannot create the township\n");
		return -1;
	}
	printf("township %s created (id %lld)\n", name, (long long)id);
	return 0;
}

int
cmd_init(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "township", required_argument, NULL, 't' },
		{ "county", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*db_flag = NULL, *key_flag = NULL, *path, *key;
	const char	*township = NULL, *county = NULL;
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
		case 't':
			township = optarg;
			break;
		case 'c':
			county = optarg;
			break;
		case 'h':
			printf("%s", usage_line);
			return EXIT_OK;
		default:
			fprintf(stderr, "%s", usage_line);
			return EXIT_USAGE;
		}
	}
	if (optind != argc || (county != NULL && township == NULL)) {
		fprintf(stderr, "%s", usage_line);
		return EXIT_USAGE;
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
	if (township != NULL && first_township(db, township, county) != 0) {
		db_close(db);
		return EXIT_USER;
	}
	db_close(db);
	return EXIT_OK;
}

/* audit.c: "xiangzhi audit verify": check the audit log's hash chain. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "db/db.h"

int
cmd_audit(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	const char		*db_flag = NULL, *key_flag = NULL, *path;
	struct audit_actor	 who = cli_actor();
	struct db		*db;
	int64_t			 count = 0, bad = 0;
	char			 why[160] = "";
	json_t			*detail;
	int			 c, rc;

	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		fprintf(stderr, "usage: xiangzhi audit verify [--db PATH]\n");
		return EXIT_USAGE;
	}
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'd')
			db_flag = optarg;
		else if (c == 'k')
			key_flag = optarg;
		else {
			fprintf(stderr, "usage: xiangzhi audit verify"
			    " [--db PATH]\n");
			return EXIT_USAGE;
		}
	}
	path = cli_option(db_flag, "XIANGZHI_DB", "xiangzhi.db");
	if ((db = cli_open(path, cli_key_path(path, key_flag), false)) == NULL)
		return EXIT_USER;
	rc = audit_verify(db, &count, &bad, why, sizeof(why));
	if (rc < 0) {
		db_close(db);
		fprintf(stderr, "xiangzhi: cannot read the audit log\n");
		return EXIT_USER;
	}
	detail = json_pack("{sI sb}", "records", (json_int_t)count, "intact",
	    rc == 0);
	audit_write_alone(db, &who, "audit.verify", "audit", 0, rc == 0,
	    detail);
	json_decref(detail);
	db_close(db);
	if (rc == 1) {
		printf("audit log BROKEN at record %" PRId64 ": %s\n", bad, why);
		return EXIT_USER;
	}
	printf("audit log intact: %" PRId64 " records\n", count);
	return EXIT_OK;
}

/* backup.c: "xiangzhi backup FILE" and "xiangzhi restore FILE". */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "db/db.h"
#include "db/migrate.h"

static int
parse(int argc, char *argv[], const char *usage, const char **db_flag,
    const char **key_flag, const char **file)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	int	 c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'd')
			*db_flag = optarg;
		else if (c == 'k')
			*key_flag = optarg;
		else {
			fprintf(stderr, "%s", usage);
			return -1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s", usage);
		return -1;
	}
	*file = argv[optind];
	return 0;
}

int
cmd_backup(int argc, char *argv[])
{
	static const char usage[] =
	    "usage: xiangzhi backup [--db PATH] FILE\n";
	const char		*db_flag = NULL, *key_flag = NULL, *file, *path;
	struct audit_actor	 who = cli_actor();
	struct db		*db, *copy;
	json_t			*d;
	int			 rc;

	if (parse(argc, argv, usage, &db_flag, &key_flag, &file) != 0)
		return EXIT_USAGE;
	if (access(file, F_OK) == 0) {
		fprintf(stderr, "xiangzhi: '%s' exists; choose a new file\n",
		    file);
		return EXIT_USER;
	}
	path = cli_option(db_flag, "XIANGZHI_DB", "xiangzhi.db");
	if ((db = cli_open(path, cli_key_path(path, key_flag), false)) == NULL)
		return EXIT_USER;
	/* Record the backup first, so the copy holds its own record. */
	d = json_pack("{ss}", "file", file);
	rc = audit_write_alone(db, &who, "backup.create", "database", 0, true,
	    d);
	json_decref(d);
	if (rc == 0)
		rc = db_backup_to(db, file);
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "xiangzhi: backup to '%s' failed\n", file);
		return EXIT_USER;
	}
	/* Check what was written before calling it a backup. */
	if ((copy = db_open(file, DB_OPEN_READONLY)) == NULL ||
	    db_integrity_check(copy) != 0) {
		db_close(copy);
		fprintf(stderr, "xiangzhi: the backup '%s' does not verify\n",
		    file);
		return EXIT_USER;
	}
	db_close(copy);
	printf("backup written to %s and verified; keep the key file %s"
	    " safe separately\n", file, cli_key_path(path, key_flag));
	return EXIT_OK;
}

int
cmd_restore(int argc, char *argv[])
{
	static const char usage[] =
	    "usage: xiangzhi restore [--db PATH] FILE   (stop the server first)\n";
	const char		*db_flag = NULL, *key_flag = NULL, *file, *path;
	struct audit_actor	 who = cli_actor();
	struct db		*src, *db;
	int64_t			 count = 0, bad = 0;
	char			 why[160], tmp[4096];
	json_t			*d;
	int			 rc;

	if (parse(argc, argv, usage, &db_flag, &key_flag, &file) != 0)
		return EXIT_USAGE;
	path = cli_option(db_flag, "XIANGZHI_DB", "xiangzhi.db");
	/* Check the backup before anything is replaced. */
	if ((src = cli_open(file, cli_key_path(path, key_flag), false)) ==
	    NULL)
		return EXIT_USER;
	rc = db_integrity_check(src);
	if (rc == 0)
		rc = audit_verify(src, &count, &bad, why, sizeof(why));
	if (rc != 0) {
		db_close(src);
		fprintf(stderr, "xiangzhi: '%s' is damaged or its audit log is"
		    " broken (or the key file does not match); nothing was"
		    " restored\n", file);
		return EXIT_USER;
	}
	/* Copy into a temporary file next to the target, then rename. */
	snprintf(tmp, sizeof(tmp), "%s.restore-tmp", path);
	unlink(tmp);
	rc = db_backup_to(src, tmp);
	db_close(src);
	if (rc != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		fprintf(stderr, "xiangzhi: cannot restore into '%s'\n", path);
		return EXIT_USER;
	}
	/* The old WAL belongs to the old file. */
	snprintf(tmp, sizeof(tmp), "%s-wal", path);
	unlink(tmp);
	snprintf(tmp, sizeof(tmp), "%s-shm", path);
	unlink(tmp);
	if ((db = cli_open(path, cli_key_path(path, key_flag), false)) ==
	    NULL)
		return EXIT_USER;
	d = json_pack("{ss sI}", "file", file, "audit_records",
	    (json_int_t)count);
	audit_write_alone(db, &who, "backup.restore", "database", 0, true, d);
	json_decref(d);
	db_close(db);
	printf("restored %s from %s (%lld audit records verified)\n", path,
	    file, (long long)count);
	return EXIT_OK;
}

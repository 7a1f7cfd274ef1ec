/* import.c: "xiangzhi import people FILE": people from a CSV spreadsheet. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "org/import.h"
#include "org/org.h"

static const char usage_text[] =
    "usage: xiangzhi import people FILE.csv [--dry-run] [--db PATH]"
    " [--key PATH]\n";

/* Kinds the issue names that will come later. */
static const char *const later_kinds[] = {
	"units", "enterprises", "patrons", "households", NULL
};

/*
 * Read at most IMPORT_MAX_BYTES + 1 bytes of "path" into a new buffer
 * (the caller frees it), so that a larger file is seen to be too large
 * without reading all of it.  NULL with a message on failure.
 */
static char *
read_file(const char *path, size_t *len)
{
	FILE	*f;
	char	*data;
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "xiangzhi: cannot open '%s': %s\n", path,
		    strerror(errno));
		return NULL;
	}
	if ((data = malloc(IMPORT_MAX_BYTES + 1)) == NULL) {
		fclose(f);
		fprintf(stderr, "xiangzhi: out of memory\n");
		return NULL;
	}
	n = fread(data, 1, IMPORT_MAX_BYTES + 1, f);
	if (ferror(f)) {
		fprintf(stderr, "xiangzhi: cannot read '%s': %s\n", path,
		    strerror(errno));
		fclose(f);
		free(data);
		return NULL;
	}
	fclose(f);
	*len = n;
	return data;
}

static int
print_report(const struct import_report *rep, bool dry_run)
{
	json_t	*e;
	size_t	 i;

	if (rep->nerrors == 0) {
		if (dry_run)
			printf("检查 %zu 行：全部有效（试运行，未导入）\n",
			    rep->rows);
		else
			printf("检查 %zu 行：全部有效，已导入 %zu 人\n",
			    rep->rows, rep->ok);
		return EXIT_OK;
	}
	json_array_foreach(rep->errors, i, e)
		fprintf(stderr, "%s\n", json_string_value(json_object_get(e,
		    "message")));
	if (rep->nerrors > json_array_size(rep->errors))
		fprintf(stderr, "……另有 %zu 处错误未列出\n",
		    rep->nerrors - json_array_size(rep->errors));
	fprintf(stderr, "发现 %zu 处错误，未导入任何数据\n", rep->nerrors);
	return EXIT_USER;
}

int
cmd_import(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char		*db_flag = NULL, *key_flag = NULL, *kind, *path;
	const char		*file;
	struct audit_actor	 who = cli_actor();
	struct import_report	 rep;
	struct scope		 sc = { 0, 0 };
	struct db		*db;
	char			*data;
	size_t			 len, i;
	bool			 dry_run = false;
	int			 c, rc, ret;

	if (argc < 2) {
		fprintf(stderr, "%s", usage_text);
		return EXIT_USAGE;
	}
	kind = argv[1];
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_flag = optarg; break;
		case 'k': key_flag = optarg; break;
		case 'n': dry_run = true; break;
		default:
			fprintf(stderr, "%s", usage_text);
			return EXIT_USAGE;
		}
	}
	for (i = 0; later_kinds[i] != NULL; i++) {
		if (strcmp(kind, later_kinds[i]) == 0) {
			fprintf(stderr, "xiangzhi: import %s is not supported"
			    " yet\n", kind);
			return EXIT_USAGE;
		}
	}
	if (strcmp(kind, "people") != 0 || optind != argc - 1) {
		fprintf(stderr, "%s", usage_text);
		return EXIT_USAGE;
	}
	file = argv[optind];

	path = cli_option(db_flag, "XIANGZHI_DB", "xiangzhi.db");
	if ((db = cli_open(path, cli_key_path(path, key_flag), false)) == NULL)
		return EXIT_USER;
	if ((data = read_file(file, &len)) == NULL) {
		db_close(db);
		return EXIT_USER;
	}
	ret = EXIT_USER;
	import_report_init(&rep);
	if ((sc.township_id = org_default_township(db)) == 0) {
		fprintf(stderr, "xiangzhi: create the township first"
		    " (xiangzhi demo)\n");
		goto out;
	}
	who.township_id = sc.township_id;
	rc = import_people(db, &sc, data, len, dry_run, &who, &rep);
	if (rc < 0) {
		fprintf(stderr, "xiangzhi: cannot import: database error"
		    " (nothing was imported)\n");
		goto out;
	}
	ret = print_report(&rep, dry_run);
out:
	import_report_release(&rep);
	free(data);
	db_close(db);
	return ret;
}

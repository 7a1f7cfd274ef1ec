/* config.c: what the subcommands share: options, the key, opening the db. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "auth/password.h"
#include "auth/secret.h"
#include "base/embedded.h"
#include "base/log.h"
#include "cli/cli.h"
#include "db/db.h"
#include "db/migrate.h"

const char *
cli_option(const char *flag, const char *env, const char *dflt)
{
	const char	*e;

	if (flag != NULL)
		return flag;
	e = getenv(env);
	if (e != NULL && *e != '\0')
		return e;
	return dflt;
}

const char *
cli_key_path(const char *db, const char *key_flag)
{
	static char	 buf[4096];
	const char	*k = cli_option(key_flag, "XIANGZHI_KEY", NULL);

	if (k != NULL)
		return k;
	snprintf(buf, sizeof(buf), "%s.key", db);
	return buf;
}

const char *
cli_files_path(const char *db, const char *files_flag)
{
	static char	 buf[4096];
	const char	*f = cli_option(files_flag, "XIANGZHI_FILES", NULL);

	if (f != NULL)
		return f;
	if ((size_t)snprintf(buf, sizeof(buf), "%s.files", db) >= sizeof(buf))
		return NULL;
	return buf;
}

struct db *
cli_open(const char *path, const char *key, bool create)
{
	const struct embedded	*bl;
	struct db		*db;
	int			 v;

	if (secret_load(key, create) != 0) {
		if (!create)
			fprintf(stderr, "xiangzhi: cannot load the key file "
			    "'%s'; run 'xiangzhi init' first\n", key);
		return NULL;
	}
	if (password_init() != 0)
		return NULL;
	bl = embedded_find("src/auth/blocklist.txt");
	if (bl != NULL)
		password_load_blocklist((const char *)bl->data, bl->len);
	if (!create && access(path, F_OK) != 0) {
		fprintf(stderr, "xiangzhi: no database at '%s'; run"
		    " 'xiangzhi init' first\n", path);
		return NULL;
	}
	if ((db = db_open(path, create ? DB_OPEN_CREATE : 0)) == NULL)
		return NULL;
	if (!create) {
		v = migrate_version(db);
		if (v != migrate_latest()) {
			fprintf(stderr, "xiangzhi: database '%s' is at schema"
			    " %d, this program needs %d; run 'xiangzhi init'\n",
			    path, v, migrate_latest());
			db_close(db);
			return NULL;
		}
	}
	return db;
}

struct audit_actor
cli_actor(void)
{
	struct audit_actor	 a;

	memset(&a, 0, sizeof(a));
	a.login = "cli";
	a.role = "operator";
	a.addr = "local";
	a.request_id = "cli";
	return a;
}

int
cli_read_secret(char *out, size_t n)
{
	struct termios	 old, quiet;
	bool		 tty = isatty(STDIN_FILENO);
	size_t		 len;

	if (tty) {
		fprintf(stderr, "password: ");
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	if (fgets(out, (int)n, stdin) == NULL)
		out[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fprintf(stderr, "\n");
	}
	len = strlen(out);
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return len > 0 ? 0 : -1;
}

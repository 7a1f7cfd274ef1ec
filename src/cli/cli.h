/* cli.h: subcommands and what they share (options, opening the database). */
#ifndef XZ_CLI_H
#define XZ_CLI_H

#include <stdbool.h>

#include "audit/audit.h"

struct db;

/* Exit codes (API.md): 0 ok, 1 user error, 2 usage. */
enum { EXIT_OK = 0, EXIT_USER = 1, EXIT_USAGE = 2 };

int	 cmd_serve(int, char *[]);
int	 cmd_init(int, char *[]);
int	 cmd_demo(int, char *[]);
int	 cmd_user(int, char *[]);
int	 cmd_backup(int, char *[]);
int	 cmd_restore(int, char *[]);
int	 cmd_drill(int, char *[]);
int	 cmd_keygen(int, char *[]);
int	 cmd_unseal(int, char *[]);
int	 cmd_audit(int, char *[]);
int	 cmd_import(int, char *[]);

/*
 * Options every command understands, flag > XIANGZHI_<NAME> > default.
 * cli_option() returns the flag value if given, else the environment's,
 * else "dflt".
 */
const char	*cli_option(const char *flag_value, const char *env,
		    const char *dflt);
/* The key file that goes with a database: --key, XIANGZHI_KEY, DB.key. */
const char	*cli_key_path(const char *db, const char *key_flag);
/*
 * The attachments directory: --files, XIANGZHI_FILES, DB.files (static
 * storage); NULL when the path would be too long.
 */
const char	*cli_files_path(const char *db, const char *files_flag);

/*
 * Open the database for a command: load the key file (creating it when
 * "create"), open (creating the file when "create"), and check the schema
 * is current unless "create".  NULL with a message on stderr.
 */
struct db	*cli_open(const char *db, const char *key, bool create);

/* The audit actor for commands run on the server itself. */
struct audit_actor cli_actor(void);

/* Read one line from stdin (a password), without the newline. */
int	 cli_read_secret(char *out, size_t n);

#endif

/* backup.h: what backup, restore, the drill and the sealed copies share. */
#ifndef XZ_BACKUP_H
#define XZ_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "matter/attach.h"

struct db;

/*
 * A backup DEST is the database file DEST and, beside it, DEST.files (the
 * attachments its rows name), DEST.manifest (per table: rows and SHA-256,
 * taken in the same read transaction as the copy; and the SHA-256 of the
 * file DEST itself) and, with --encrypt, DEST.sealed (all of them and the
 * server key file, encrypted for off-site storage).
 */
#define BACKUP_FILES	".files"
#define BACKUP_MANIFEST	".manifest"
#define BACKUP_SEALED	".sealed"
#define BACKUP_KEY	".key"

/* The files a database's attachment rows name, each once. */
struct backup_hashes {
	char	(*hex)[ATTACH_HASH_HEX];
	size_t	 n, cap;
};

/* "base" + "suffix" into "out"; -1 with a message when too long. */
int	 backup_path(char *out, size_t n, const char *base, const char *suffix);
/* The files "db" names; -1 with a message. */
int	 backup_hashes_load(struct db *, const char *file, struct backup_hashes *);

/* What a verification saw. */
struct backup_seen {
	int64_t	 records;	/* audit records, chain verified */
	size_t	 tables;
	int64_t	 rows;
};

/*
 * Check the backup "file" without changing it: its bytes against the
 * manifest's hash, PRAGMA integrity_check, the audit chain (with the
 * server key "key"), and every table against the manifest.  A missing
 * manifest fails when "need_manifest" (backups before manifests had
 * none).  -1 with every problem named on stderr.
 */
int	 backup_verify(const char *file, const char *key, bool need_manifest,
	    struct backup_seen *);
/* The tables of "db" against the manifest of backup "file"; -1 named. */
int	 backup_check_tables(struct db *, const char *file, const char *what,
	    struct backup_seen *);

/* A restore of "file" into the database "path" and files "live". */
struct restore_req {
	const char	*file, *path, *key, *live;
	bool		 without_files;
	bool		 record;	/* audit record in the restored db */
};
int	 backup_restore(const struct restore_req *, struct backup_seen *);

/*
 * Seal the backup "file" (database, manifest, attachments "h" from
 * "set", the server key file "server_key") into file.sealed with the seal
 * key file "keyfile".  -1 with a message; nothing is left on failure.
 */
int	 offsite_seal(const char *file, const char *keyfile,
	    const char *server_key, const struct backup_hashes *h,
	    const char *set);

/* rm -r "dir" (scratch directories of the drill and unseal). */
int	 backup_rmtree(const char *dir);

#endif

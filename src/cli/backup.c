/* backup.c: "xiangzhi backup" and "restore": snapshot, manifest, attachments. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/audit.h"
#include "auth/secret.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "cli/backup.h"
#include "cli/cli.h"
#include "db/db.h"
#include "db/migrate.h"
#include "matter/attach.h"
#include "matter/matter_db.h"

/*
 * A backup is things side by side (backup.h): DEST, the database,
 * DEST.manifest, and DEST.files, the attachments its rows name, in the
 * same fan-out as the live store (attach.h).  Attachment files are immutable and named by
 * their hash, so a DEST.files that already holds a file is not copied to
 * again, and a restore only adds files to the live store.
 */
#define SET_SUFFIX	BACKUP_FILES
#define MANIFEST_FORMAT	"xiangzhi-backup-manifest/1"

struct opts {
	const char	*db, *key, *files, *file, *encrypt;
	bool		 without_files, verify;
};


/* What happened to the files, for the summary and the audit record. */
struct tally {
	size_t		 needed;	/* files the database names */
	size_t		 copied;	/* copied now */
	size_t		 present;	/* already there, intact */
	size_t		 missing, damaged, failed;
	uint64_t	 bytes;		/* bytes copied now */
};

static int
parse(int argc, char *argv[], const char *usage, bool restore,
    struct opts *o)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "files", required_argument, NULL, 'f' },
		{ "without-files", no_argument, NULL, 'w' },
		{ "encrypt", required_argument, NULL, 'e' },
		{ "verify", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int	 c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'd')
			o->db = optarg;
		else if (c == 'k')
			o->key = optarg;
		else if (c == 'f')
			o->files = optarg;
		else if (c == 'w' && restore)
			o->without_files = true;
		else if (c == 'e' && !restore)
			o->encrypt = optarg;
		else if (c == 'v' && !restore)
			o->verify = true;
		else {
			fprintf(stderr, "%s", usage);
			return -1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s", usage);
		return -1;
	}
	o->file = argv[optind];
	return 0;
}

static int
hashes_add(const char *hex, void *arg)
{
	struct backup_hashes	*h = arg;
	void		*p;
	size_t		 cap;

	/* Never cut a longer name into a valid one. */
	if (hex == NULL || strlen(hex) != ATTACH_HASH_HEX - 1) {
		fprintf(stderr, "xiangzhi: an attachment row has a malformed"
		    " sha256\n");
		return -1;
	}
	if (h->n == h->cap) {
		cap = h->cap != 0 ? h->cap * 2 : 64;
		if ((p = reallocarray(h->hex, cap, sizeof(*h->hex))) == NULL)
			return -1;
		h->hex = p;
		h->cap = cap;
	}
	str_copy(h->hex[h->n++], hex, ATTACH_HASH_HEX);
	return 0;
}

int
backup_hashes_load(struct db *db, const char *file, struct backup_hashes *h)
{
	memset(h, 0, sizeof(*h));
	if (matter_attachment_hashes(db, hashes_add, h) != DB_OK) {
		fprintf(stderr, "xiangzhi: cannot list the attachments of"
		    " '%s'\n", file);
		free(h->hex);
		h->hex = NULL;
		return -1;
	}
	return 0;
}

int
backup_path(char *out, size_t n, const char *base, const char *suffix)
{
	if ((size_t)snprintf(out, n, "%s%s", base, suffix) >= n) {
		fprintf(stderr, "xiangzhi: '%s' is too long a path\n", base);
		return -1;
	}
	return 0;
}

static bool
is_dir(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* One file that is not where it should be, by name, on stderr. */
static void
report(enum attach_state s, const char *dir, const char *hex)
{
	const char	*why;

	switch (s) {
	case ATTACH_MISSING:
		why = "is missing";
		break;
	case ATTACH_DAMAGED:
		why = "is damaged (its bytes do not match its name)";
		break;
	default:
		why = "cannot be read or written (see above)";
		break;
	}
	fprintf(stderr, "xiangzhi: attachment %s/%.2s/%.2s/%s %s\n", dir, hex,
	    hex + 2, hex, why);
}

static void
count(struct tally *t, enum attach_state s)
{
	if (s == ATTACH_MISSING)
		t->missing++;
	else if (s == ATTACH_DAMAGED)
		t->damaged++;
	else if (s != ATTACH_OK)
		t->failed++;
}

static size_t
bad(const struct tally *t)
{
	return t->missing + t->damaged + t->failed;
}

/* The counts as audit detail (a new reference). */
static json_t *
tally_json(const struct tally *t)
{
	return json_pack("{sI sI sI sI sI sI sI}",
	    "needed", (json_int_t)t->needed,
	    "copied", (json_int_t)t->copied,
	    "present", (json_int_t)t->present,
	    "bytes", (json_int_t)t->bytes,
	    "missing", (json_int_t)t->missing,
	    "damaged", (json_int_t)t->damaged,
	    "failed", (json_int_t)t->failed);
}

/*
 * Copy every file into "set", going on past a bad one so one damaged photo
 * does not leave the rest unsaved; each bad one is named.
 */
static void
backup_files(const struct backup_hashes *h, const char *live, const char *set,
    struct tally *t)
{
	enum attach_state	 s;
	uint64_t		 n;
	size_t			 i;
	bool			 copied;

	for (i = 0; i < h->n; i++) {
		n = 0;
		s = attach_copy(h->hex[i], live, set, &copied, &n);
		count(t, s);
		if (s != ATTACH_OK) {
			report(s, live, h->hex[i]);
			continue;
		}
		if (copied) {
			t->copied++;
			t->bytes += n;
		} else
			t->present++;
	}
}


static int
set_dir(char *out, size_t n, const char *base)
{
	return backup_path(out, n, base, SET_SUFFIX);
}

/* SHA-256 of a whole file as hex; -1 with a message. */
static int
file_sha256(const char *path, char hex[65], uint64_t *bytes)
{
	crypto_hash_sha256_state h;
	unsigned char		 buf[65536], sha[32];
	size_t			 n;
	FILE			*f;
	int			 rc;

	*bytes = 0;
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "xiangzhi: cannot read '%s': %s\n", path,
		    strerror(errno));
		return -1;
	}
	crypto_hash_sha256_init(&h);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		crypto_hash_sha256_update(&h, buf, n);
		*bytes += n;
	}
	rc = ferror(f) ? -1 : 0;
	fclose(f);
	if (rc != 0) {
		fprintf(stderr, "xiangzhi: cannot read '%s'\n", path);
		return -1;
	}
	crypto_hash_sha256_final(&h, sha);
	sodium_bin2hex(hex, 65, sha, sizeof(sha));
	return 0;
}

static int
table_add(const char *table, int64_t rows, const unsigned char sha[32],
    void *arg)
{
	char	 hex[65];

	sodium_bin2hex(hex, sizeof(hex), sha, 32);
	return json_object_set_new(arg, table, json_pack("{sI ss}", "rows",
	    (json_int_t)rows, "sha256", hex));
}

/* Every table of "db", as the manifest's "tables" (a new reference). */
static json_t *
tables_of(struct db *db)
{
	json_t	*t;

	if ((t = json_object()) == NULL)
		return NULL;
	if (db_table_hashes(db, table_add, t) != DB_OK) {
		json_decref(t);
		return NULL;
	}
	return t;
}

/* Runs inside the snapshot's read transaction. */
static int
snapshot_tables(struct db *db, void *arg)
{
	json_t	**out = arg;

	return (*out = tables_of(db)) == NULL ? -1 : 0;
}

/* Each table that differs, named on stderr; the count. */
static size_t
tables_diff(json_t *want, json_t *got, const char *what)
{
	const char	*name;
	json_t		*w, *g;
	size_t		 n = 0;

	json_object_foreach(want, name, w) {
		if ((g = json_object_get(got, name)) == NULL) {
			fprintf(stderr, "xiangzhi: table %s is missing from"
			    " %s\n", name, what);
			n++;
		} else if (!json_equal(w, g)) {
			fprintf(stderr, "xiangzhi: table %s differs in %s: %"
			    JSON_INTEGER_FORMAT " rows, sha256 %s; the"
			    " manifest says %" JSON_INTEGER_FORMAT " rows,"
			    " sha256 %s\n", name, what,
			    json_integer_value(json_object_get(g, "rows")),
			    json_string_value(json_object_get(g, "sha256")),
			    json_integer_value(json_object_get(w, "rows")),
			    json_string_value(json_object_get(w, "sha256")));
			n++;
		}
	}
	json_object_foreach(got, name, g) {
		if (json_object_get(want, name) == NULL) {
			fprintf(stderr, "xiangzhi: table %s in %s is not in"
			    " the manifest\n", name, what);
			n++;
		}
	}
	return n;
}

static void
tables_count(json_t *tables, struct backup_seen *seen)
{
	const char	*name;
	json_t		*t;

	seen->tables = json_object_size(tables);
	seen->rows = 0;
	json_object_foreach(tables, name, t)
		seen->rows += json_integer_value(json_object_get(t, "rows"));
}

/*
 * DEST.manifest, written aside and renamed: a manifest is there whole or
 * not at all.
 */
static int
manifest_write(const char *file, json_t *tables, size_t attachments)
{
	char		 path[4096], tmp[4160], hex[65], at[TIME_ISO_LEN];
	uint64_t	 bytes;
	json_t		*m;
	int		 rc;

	if (backup_path(path, sizeof(path), file, BACKUP_MANIFEST) != 0 ||
	    backup_path(tmp, sizeof(tmp), path, ".tmp") != 0 ||
	    file_sha256(file, hex, &bytes) != 0)
		return -1;
	time_iso_utc(time_now_ms(), at);
	m = json_pack("{ss ss sI ss sO sI}", "format", MANIFEST_FORMAT,
	    "created", at, "database_bytes", (json_int_t)bytes,
	    "database_sha256", hex, "tables", tables, "attachments",
	    (json_int_t)attachments);
	rc = m != NULL && json_dump_file(m, tmp, JSON_INDENT(1) |
	    JSON_SORT_KEYS) == 0 ? 0 : -1;
	json_decref(m);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		unlink(tmp);
		fprintf(stderr, "xiangzhi: cannot write the manifest '%s'\n",
		    path);
	}
	return rc;
}

/* The manifest beside "file" (a new reference); NULL, and *absent when none. */
static json_t *
manifest_read(const char *file, bool *absent)
{
	char		 path[4096];
	json_error_t	 e;
	json_t		*m;

	*absent = false;
	if (backup_path(path, sizeof(path), file, BACKUP_MANIFEST) != 0)
		return NULL;
	if (access(path, F_OK) != 0) {
		*absent = true;
		return NULL;
	}
	m = json_load_file(path, 0, &e);
	if (m == NULL || !json_is_object(json_object_get(m, "tables")) ||
	    !json_is_string(json_object_get(m, "database_sha256")) ||
	    !json_is_string(json_object_get(m, "format")) ||
	    strcmp(json_string_value(json_object_get(m, "format")),
	    MANIFEST_FORMAT) != 0) {
		fprintf(stderr, "xiangzhi: the manifest '%s' is unreadable or"
		    " damaged%s%s\n", path, m == NULL ? ": " : "",
		    m == NULL ? e.text : "");
		json_decref(m);
		return NULL;
	}
	return m;
}

int
backup_check_tables(struct db *db, const char *file, const char *what,
    struct backup_seen *seen)
{
	json_t	*m, *got;
	size_t	 n;
	bool	 absent;

	if ((m = manifest_read(file, &absent)) == NULL) {
		if (absent)
			fprintf(stderr, "xiangzhi: '%s' has no manifest (%s%s)\n",
			    file, file, BACKUP_MANIFEST);
		return -1;
	}
	if ((got = tables_of(db)) == NULL) {
		fprintf(stderr, "xiangzhi: cannot read the tables of %s\n",
		    what);
		json_decref(m);
		return -1;
	}
	n = tables_diff(json_object_get(m, "tables"), got, what);
	if (seen != NULL)
		tables_count(got, seen);
	json_decref(got);
	json_decref(m);
	return n == 0 ? 0 : -1;
}

/*
 * A backup is opened read-only: verifying it must not change a byte of it
 * (its hash is in the manifest, and a sealed copy may be made later).
 */
static struct db *
open_backup(const char *file, const char *key)
{
	struct db	*db;

	if (secret_load(key, false) != 0) {
		fprintf(stderr, "xiangzhi: cannot load the key file '%s'\n",
		    key);
		return NULL;
	}
	if (access(file, F_OK) != 0) {
		fprintf(stderr, "xiangzhi: no backup at '%s'\n", file);
		return NULL;
	}
	if ((db = db_open(file, DB_OPEN_READONLY)) == NULL)
		return NULL;
	if (migrate_version(db) != migrate_latest()) {
		fprintf(stderr, "xiangzhi: the backup '%s' is at schema %d,"
		    " this program needs %d\n", file, migrate_version(db),
		    migrate_latest());
		db_close(db);
		return NULL;
	}
	return db;
}

int
backup_verify(const char *file, const char *key, bool need_manifest,
    struct backup_seen *seen)
{
	struct db	*db;
	json_t		*m;
	const char	*want;
	char		 hex[65], why[160] = "";
	uint64_t	 bytes;
	int64_t		 bad_id = 0;
	bool		 absent;
	int		 rc = 0;

	memset(seen, 0, sizeof(*seen));
	m = manifest_read(file, &absent);
	if (m == NULL && (!absent || need_manifest)) {
		if (absent)
			fprintf(stderr, "xiangzhi: '%s' has no manifest (%s%s):"
			    " it cannot be checked table by table\n", file,
			    file, BACKUP_MANIFEST);
		return -1;
	}
	/* Bytes first: a file that differs needs no further reading. */
	if (m != NULL) {
		want = json_string_value(json_object_get(m, "database_sha256"));
		if (file_sha256(file, hex, &bytes) != 0) {
			json_decref(m);
			return -1;
		}
		if (strcmp(hex, want) != 0) {
			fprintf(stderr, "xiangzhi: the backup '%s' is not the"
			    " file its manifest describes (sha256 %s, expected"
			    " %s): changed or damaged since\n", file, hex,
			    want);
			rc = -1;
		}
		json_decref(m);
	}
	if ((db = open_backup(file, key)) == NULL)
		return -1;
	if (db_integrity_check(db) != 0) {
		fprintf(stderr, "xiangzhi: '%s' fails PRAGMA integrity_check\n",
		    file);
		rc = -1;
	} else if (audit_verify(db, &seen->records, &bad_id, why,
	    sizeof(why)) != 0) {
		fprintf(stderr, "xiangzhi: the audit log in '%s' does not"
		    " verify at record %lld: %s (or the key file does not"
		    " match)\n", file, (long long)bad_id, why);
		rc = -1;
	} else if (!absent && backup_check_tables(db, file, file, seen) != 0)
		rc = -1;
	db_close(db);
	return rc;
}

/* "xiangzhi backup --verify BACKUP": the manifest, the audit log, the files. */
static int
verify_cmd(const struct opts *o, const char *path)
{
	struct backup_seen	 seen;
	struct backup_hashes		 h;
	struct db		*db;
	char			 set[4096];
	size_t			 i, bad_files = 0;
	enum attach_state	 s;
	int			 rc;

	if (set_dir(set, sizeof(set), o->file) != 0)
		return EXIT_USAGE;
	rc = backup_verify(o->file, cli_key_path(path, o->key), true, &seen);
	if (rc != 0 || (db = open_backup(o->file, cli_key_path(path,
	    o->key))) == NULL) {
		fprintf(stderr, "xiangzhi: the backup '%s' does NOT verify\n",
		    o->file);
		return EXIT_USER;
	}
	rc = backup_hashes_load(db, o->file, &h);
	db_close(db);
	if (rc != 0)
		return EXIT_USER;
	for (i = 0; i < h.n; i++) {
		if ((s = attach_check(set, h.hex[i], NULL)) != ATTACH_OK) {
			report(s, set, h.hex[i]);
			bad_files++;
		}
	}
	printf("backup %s: %zu tables, %lld rows match its manifest; %lld"
	    " audit records verified; %zu of %zu attachments intact\n",
	    o->file, seen.tables, (long long)seen.rows,
	    (long long)seen.records, h.n - bad_files, h.n);
	free(h.hex);
	if (bad_files != 0) {
		fprintf(stderr, "xiangzhi: the backup '%s' is INCOMPLETE: %zu"
		    " attachments missing or damaged (named above)\n",
		    o->file, bad_files);
		return EXIT_USER;
	}
	return EXIT_OK;
}

int
cmd_backup(int argc, char *argv[])
{
	static const char usage[] =
	    "usage: xiangzhi backup [--db PATH] [--files DIR] [--encrypt KEYFILE]"
	    " DEST\n"
	    "       xiangzhi backup --verify [--key FILE] BACKUP\n";
	struct audit_actor	 who = cli_actor();
	struct opts		 o;
	struct backup_hashes		 h;
	struct tally		 t;
	struct db		*db, *copy;
	const char		*path, *live;
	char			 set[4096], man[4096];
	json_t			*d, *tables = NULL;
	size_t			 ndiff;
	int64_t			 t0;
	int			 rc;

	if (parse(argc, argv, usage, false, &o) != 0)
		return EXIT_USAGE;
	path = cli_option(o.db, "XIANGZHI_DB", "xiangzhi.db");
	if (o.verify)
		return verify_cmd(&o, path);
	if ((live = cli_files_path(path, o.files)) == NULL ||
	    set_dir(set, sizeof(set), o.file) != 0 ||
	    backup_path(man, sizeof(man), o.file, BACKUP_MANIFEST) != 0)
		return EXIT_USAGE;
	/*
	 * A manifest or sealed copy left beside a DEST that is gone (a
	 * rolling slot) belongs to no database: the new ones replace them.
	 */
	if (access(o.file, F_OK) == 0) {
		fprintf(stderr, "xiangzhi: '%s' exists; choose a new file\n",
		    o.file);
		return EXIT_USER;
	}
	t0 = time_mono_ms();
	if ((db = cli_open(path, cli_key_path(path, o.key), false)) == NULL)
		return EXIT_USER;
	/* Record the backup first, so the copy holds its own record. */
	d = json_pack("{ss ss}", "file", o.file, "files", set);
	rc = audit_write_alone(db, &who, "backup.create", "database", 0, true,
	    d);
	json_decref(d);
	/* The manifest and the copy come from one read transaction. */
	if (rc == 0)
		rc = db_snapshot_to(db, o.file, snapshot_tables, &tables);
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "xiangzhi: backup to '%s' failed\n", o.file);
		json_decref(tables);
		return EXIT_USER;
	}
	/* Check what was written before calling it a backup. */
	ndiff = 1;
	if ((copy = db_open(o.file, DB_OPEN_READONLY)) != NULL &&
	    db_integrity_check(copy) == 0) {
		json_t *got = tables_of(copy);

		ndiff = got != NULL ? tables_diff(tables, got, o.file) : 1;
		json_decref(got);
	}
	if (ndiff != 0) {
		db_close(copy);
		json_decref(tables);
		fprintf(stderr, "xiangzhi: the backup '%s' does not verify\n",
		    o.file);
		return EXIT_USER;
	}
	/* The files the copy names: the live rows may have moved on. */
	rc = backup_hashes_load(copy, o.file, &h);
	db_close(copy);
	if (rc != 0 || manifest_write(o.file, tables, h.n) != 0) {
		json_decref(tables);
		free(h.hex);
		return EXIT_USER;
	}
	printf("backup written to %s and verified (%zu tables, manifest %s);"
	    " keep the key file %s safe separately\n", o.file,
	    json_object_size(tables), man, cli_key_path(path, o.key));
	json_decref(tables);
	fflush(stdout);	/* before any file is named on stderr */

	memset(&t, 0, sizeof(t));
	t.needed = h.n;
	if (attach_prepare(set) != 0) {
		fprintf(stderr, "xiangzhi: cannot make '%s'\n", set);
		t.failed = h.n;
	} else
		backup_files(&h, live, set, &t);
	printf("attachments: %zu in %s: %zu copied (%" PRIu64 " bytes), %zu"
	    " already there\n", t.needed, set, t.copied, t.bytes, t.present);
	if (bad(&t) == 0 && o.encrypt != NULL) {
		if (offsite_seal(o.file, o.encrypt, cli_key_path(path, o.key),
		    &h, set) != 0)
			t.failed++;
		else
			printf("sealed copy for off-site storage: %s%s\n",
			    o.file, BACKUP_SEALED);
	}
	free(h.hex);
	printf("backup took %lld ms\n", (long long)(time_mono_ms() - t0));

	/* The file counts go to the live log: the copy is already sealed. */
	if ((db = cli_open(path, cli_key_path(path, o.key), false)) != NULL) {
		d = json_pack("{ss ss so sb}", "file", o.file, "files", set,
		    "attachments", tally_json(&t), "sealed", o.encrypt != NULL &&
		    bad(&t) == 0);
		if (audit_write_alone(db, &who, "backup.files", "database", 0,
		    bad(&t) == 0, d) != 0)
			fprintf(stderr, "xiangzhi: cannot record the backup's"
			    " files in the audit log\n");
		json_decref(d);
		db_close(db);
	}
	if (bad(&t) != 0) {
		fprintf(stderr, "xiangzhi: %zu of %zu attachments could not be"
		    " backed up (%zu missing, %zu damaged, %zu unreadable or"
		    " unwritable), or the sealed copy failed, named above; %s"
		    " holds the database but the backup is INCOMPLETE\n",
		    bad(&t), t.needed, t.missing, t.damaged, t.failed, o.file);
		return EXIT_USER;
	}
	return EXIT_OK;
}

/*
 * Decide, without writing anything, where each file the backup needs
 * will come from: the backup set when it holds the file intact and the
 * live store does not, nothing when the live store has it already.
 * "copy[i]" says which to copy.  Files found nowhere intact are named and
 * counted.
 */
static void
restore_plan(const struct backup_hashes *h, const char *set, bool have_set,
    const char *live, bool *copy, struct tally *t)
{
	enum attach_state	 s, l;
	size_t			 i;

	for (i = 0; i < h->n; i++) {
		copy[i] = false;
		s = have_set ? attach_check(set, h->hex[i], NULL) :
		    ATTACH_MISSING;
		l = attach_check(live, h->hex[i], NULL);
		if (l == ATTACH_OK) {
			t->present++;
			if (s == ATTACH_DAMAGED)
				fprintf(stderr, "xiangzhi: note: attachment"
				    " %s is damaged in %s, but %s has it"
				    " intact\n", h->hex[i], set, live);
		} else if (s == ATTACH_OK)
			copy[i] = true;
		else {
			count(t, s);
			report(s, have_set ? set : live, h->hex[i]);
		}
	}
}

/* Copy the planned files into the live store; -1 at the first failure. */
static int
restore_files(const struct backup_hashes *h, const bool *copy, const char *set,
    const char *live, struct tally *t)
{
	enum attach_state	 s;
	uint64_t		 n;
	size_t			 i;
	bool			 copied;

	for (i = 0; i < h->n; i++) {
		if (!copy[i])
			continue;
		n = 0;
		s = attach_copy(h->hex[i], set, live, &copied, &n);
		if (s != ATTACH_OK) {
			report(s, set, h->hex[i]);
			return -1;
		}
		t->copied++;
		t->bytes += n;
	}
	return 0;
}

/*
 * The order keeps the database as it was until everything is known to
 * be good: the backup database (its manifest, integrity, audit chain,
 * key), then every file it needs (hashes), and only then any write.
 * Files go in first: adding a file to the live store cannot hurt the
 * database there (an extra file is never served), while a database whose
 * files are not there would be.  The database is replaced last,
 * atomically, and checked against the manifest once in place.
 */
int
backup_restore(const struct restore_req *r, struct backup_seen *seen)
{
	struct audit_actor	 who = cli_actor();
	struct backup_hashes		 h;
	struct tally		 t;
	struct db		*src = NULL, *db;
	char			 tmp[4096], set[4096];
	bool			*copy = NULL, have_set;
	json_t			*d;
	int			 rc;

	memset(&h, 0, sizeof(h));
	if (set_dir(set, sizeof(set), r->file) != 0)
		return -1;
	/* Check the backup before anything is replaced. */
	if (backup_verify(r->file, r->key, false, seen) != 0 ||
	    (src = open_backup(r->file, r->key)) == NULL) {
		fprintf(stderr, "xiangzhi: '%s' is damaged or its audit log is"
		    " broken (or the key file does not match); nothing was"
		    " restored\n", r->file);
		return -1;
	}
	if (backup_hashes_load(src, r->file, &h) != 0) {
		db_close(src);
		return -1;
	}
	memset(&t, 0, sizeof(t));
	t.needed = h.n;
	have_set = is_dir(set);
	if (h.n > 0 && (copy = calloc(h.n, sizeof(*copy))) == NULL) {
		fprintf(stderr, "xiangzhi: out of memory\n");
		rc = -1;
		goto out;
	}
	restore_plan(&h, set, have_set, r->live, copy, &t);
	if (bad(&t) != 0 && !r->without_files) {
		if (have_set)
			fprintf(stderr, "xiangzhi: %zu of %zu attachments the"
			    " backup needs are missing or damaged in %s and"
			    " not in %s either (named above); nothing was"
			    " restored.  Find them (an off-site copy of %s),"
			    " or run again with --without-files to restore"
			    " without them: their matters will list them, but"
			    " they cannot be downloaded\n", bad(&t), t.needed,
			    set, r->live, set);
		else
			fprintf(stderr, "xiangzhi: %zu of %zu attachments the"
			    " backup needs are not in %s (named above), and"
			    " there is no %s beside the backup to bring them"
			    " from; nothing was restored.  Put the backup's"
			    " files directory back (an off-site copy), or run"
			    " again with --without-files to restore without"
			    " them: their matters will list them, but they"
			    " cannot be downloaded\n", bad(&t), t.needed,
			    r->live, set);
		rc = -1;
		goto out;
	}
	if (bad(&t) != 0)
		fprintf(stderr, "xiangzhi: restoring WITHOUT %zu attachments"
		    " (--without-files): they cannot be downloaded\n",
		    bad(&t));
	if (t.present + bad(&t) < t.needed && (attach_prepare(r->live) != 0 ||
	    restore_files(&h, copy, set, r->live, &t) != 0)) {
		fprintf(stderr, "xiangzhi: cannot copy the attachments into"
		    " '%s'; the database was not restored (the %zu files"
		    " copied are harmless there)\n", r->live, t.copied);
		rc = -1;
		goto out;
	}

	/* Copy into a temporary file next to the target, then rename. */
	snprintf(tmp, sizeof(tmp), "%s.restore-tmp", r->path);
	unlink(tmp);
	rc = db_backup_to(src, tmp);
	db_close(src);
	src = NULL;
	if (rc != 0 || rename(tmp, r->path) != 0) {
		unlink(tmp);
		fprintf(stderr, "xiangzhi: cannot restore into '%s'\n",
		    r->path);
		rc = -1;
		goto out;
	}
	/* The old WAL belongs to the old file. */
	snprintf(tmp, sizeof(tmp), "%s-wal", r->path);
	unlink(tmp);
	snprintf(tmp, sizeof(tmp), "%s-shm", r->path);
	unlink(tmp);
	if ((db = cli_open(r->path, r->key, false)) == NULL) {
		rc = -1;
		goto out;
	}
	/* What is in place now, table by table, before anything is added. */
	if (seen->tables > 0 && backup_check_tables(db, r->file, r->path,
	    seen) != 0) {
		fprintf(stderr, "xiangzhi: the restored '%s' does NOT match the"
		    " manifest of '%s'\n", r->path, r->file);
		db_close(db);
		rc = -1;
		goto out;
	}
	if (r->record) {
		d = json_pack("{ss sI ss ss sb so sI}", "file", r->file,
		    "audit_records", (json_int_t)seen->records, "files", set,
		    "live_files", r->live, "without_files", r->without_files,
		    "attachments", tally_json(&t), "tables",
		    (json_int_t)seen->tables);
		audit_write_alone(db, &who, "backup.restore", "database", 0,
		    true, d);
		json_decref(d);
	}
	db_close(db);
	printf("restored %s from %s (%lld audit records verified%s)\n",
	    r->path, r->file, (long long)seen->records, seen->tables > 0 ?
	    ", every table matches the manifest" : ", no manifest");
	printf("attachments: %zu needed: %zu copied into %s (%" PRIu64
	    " bytes), %zu already there, %zu missing\n", t.needed, t.copied,
	    r->live, t.bytes, t.present, bad(&t));
	rc = 0;
out:
	if (src != NULL)
		db_close(src);
	free(copy);
	free(h.hex);
	return rc;
}

int
cmd_restore(int argc, char *argv[])
{
	static const char usage[] =
	    "usage: xiangzhi restore [--db PATH] [--files DIR] [--without-files]"
	    " BACKUP\n"
	    "       (stop the server first)\n";
	struct restore_req	 r;
	struct backup_seen	 seen;
	struct opts		 o;
	const char		*path, *live;

	if (parse(argc, argv, usage, true, &o) != 0)
		return EXIT_USAGE;
	path = cli_option(o.db, "XIANGZHI_DB", "xiangzhi.db");
	if ((live = cli_files_path(path, o.files)) == NULL)
		return EXIT_USAGE;
	memset(&r, 0, sizeof(r));
	r.file = o.file;
	r.path = path;
	r.key = cli_key_path(path, o.key);
	r.live = live;
	r.without_files = o.without_files;
	r.record = true;
	return backup_restore(&r, &seen) == 0 ? EXIT_OK : EXIT_USER;
}

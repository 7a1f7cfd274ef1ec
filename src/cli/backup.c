/* backup.c: "xiangzhi backup" and "xiangzhi restore", attachments included. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/str.h"
#include "cli/cli.h"
#include "db/db.h"
#include "db/migrate.h"
#include "matter/attach.h"
#include "matter/matter_db.h"

/*
 * A backup is two things side by side: DEST, the database, and
 * DEST.files, the attachments its rows name, in the same fan-out as the
 * live store (attach.h).  Attachment files are immutable and named by
 * their hash, so a DEST.files that already holds a file is not copied to
 * again, and a restore only adds files to the live store.
 */
#define SET_SUFFIX	".files"

struct opts {
	const char	*db, *key, *files, *file;
	bool		 without_files;
};

/* The files a database's attachment rows name, each once. */
struct hashes {
	char	(*hex)[ATTACH_HASH_HEX];
	size_t	 n, cap;
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
	struct hashes	*h = arg;
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

/* The files "db" names; -1 with a message. */
static int
hashes_load(struct db *db, const char *file, struct hashes *h)
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

/* "base" + SET_SUFFIX into "out"; -1 with a message when too long. */
static int
set_dir(char *out, size_t n, const char *base)
{
	if ((size_t)snprintf(out, n, "%s" SET_SUFFIX, base) >= n) {
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
backup_files(const struct hashes *h, const char *live, const char *set,
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

int
cmd_backup(int argc, char *argv[])
{
	static const char usage[] =
	    "usage: xiangzhi backup [--db PATH] [--files DIR] DEST\n";
	struct audit_actor	 who = cli_actor();
	struct opts		 o;
	struct hashes		 h;
	struct tally		 t;
	struct db		*db, *copy;
	const char		*path, *live;
	char			 set[4096];
	json_t			*d;
	int			 rc;

	if (parse(argc, argv, usage, false, &o) != 0)
		return EXIT_USAGE;
	if (access(o.file, F_OK) == 0) {
		fprintf(stderr, "xiangzhi: '%s' exists; choose a new file\n",
		    o.file);
		return EXIT_USER;
	}
	path = cli_option(o.db, "XIANGZHI_DB", "xiangzhi.db");
	if ((live = cli_files_path(path, o.files)) == NULL ||
	    set_dir(set, sizeof(set), o.file) != 0)
		return EXIT_USAGE;
	if ((db = cli_open(path, cli_key_path(path, o.key), false)) == NULL)
		return EXIT_USER;
	/* Record the backup first, so the copy holds its own record. */
	d = json_pack("{ss ss}", "file", o.file, "files", set);
	rc = audit_write_alone(db, &who, "backup.create", "database", 0, true,
	    d);
	json_decref(d);
	if (rc == 0)
		rc = db_backup_to(db, o.file);
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "xiangzhi: backup to '%s' failed\n", o.file);
		return EXIT_USER;
	}
	/* Check what was written before calling it a backup. */
	if ((copy = db_open(o.file, DB_OPEN_READONLY)) == NULL ||
	    db_integrity_check(copy) != 0) {
		db_close(copy);
		fprintf(stderr, "xiangzhi: the backup '%s' does not verify\n",
		    o.file);
		return EXIT_USER;
	}
	/* The files the copy names: the live rows may have moved on. */
	rc = hashes_load(copy, o.file, &h);
	db_close(copy);
	if (rc != 0)
		return EXIT_USER;
	printf("backup written to %s and verified; keep the key file %s"
	    " safe separately\n", o.file, cli_key_path(path, o.key));
	fflush(stdout);	/* before any file is named on stderr */

	memset(&t, 0, sizeof(t));
	t.needed = h.n;
	if (attach_prepare(set) != 0) {
		fprintf(stderr, "xiangzhi: cannot make '%s'\n", set);
		t.failed = h.n;
	} else
		backup_files(&h, live, set, &t);
	free(h.hex);
	printf("attachments: %zu in %s: %zu copied (%" PRIu64 " bytes), %zu"
	    " already there\n", t.needed, set, t.copied, t.bytes, t.present);

	/* The file counts go to the live log: the copy is already sealed. */
	if ((db = cli_open(path, cli_key_path(path, o.key), false)) != NULL) {
		d = json_pack("{ss ss so}", "file", o.file, "files", set,
		    "attachments", tally_json(&t));
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
		    " unwritable), named above; %s holds the database but the"
		    " backup is INCOMPLETE\n", bad(&t), t.needed, t.missing,
		    t.damaged, t.failed, o.file);
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
restore_plan(const struct hashes *h, const char *set, bool have_set,
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
restore_files(const struct hashes *h, const bool *copy, const char *set,
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
 * be good: the backup database (integrity, audit chain, key), then every
 * file it needs (hashes), and only then any write.  Files go in first:
 * adding a file to the live store cannot hurt the database there (an
 * extra file is never served), while a database whose files are not
 * there would be.  The database is replaced last, atomically.
 */
int
cmd_restore(int argc, char *argv[])
{
	static const char usage[] =
	    "usage: xiangzhi restore [--db PATH] [--files DIR] [--without-files]"
	    " BACKUP\n"
	    "       (stop the server first)\n";
	struct audit_actor	 who = cli_actor();
	struct opts		 o;
	struct hashes		 h;
	struct tally		 t;
	struct db		*src, *db;
	const char		*path, *live;
	int64_t			 records = 0, bad_id = 0;
	char			 why[160], tmp[4096], set[4096];
	bool			*copy = NULL, have_set;
	json_t			*d;
	int			 rc;

	if (parse(argc, argv, usage, true, &o) != 0)
		return EXIT_USAGE;
	path = cli_option(o.db, "XIANGZHI_DB", "xiangzhi.db");
	if ((live = cli_files_path(path, o.files)) == NULL ||
	    set_dir(set, sizeof(set), o.file) != 0)
		return EXIT_USAGE;
	/* Check the backup before anything is replaced. */
	if ((src = cli_open(o.file, cli_key_path(path, o.key), false)) ==
	    NULL)
		return EXIT_USER;
	rc = db_integrity_check(src);
	if (rc == 0)
		rc = audit_verify(src, &records, &bad_id, why, sizeof(why));
	if (rc != 0) {
		db_close(src);
		fprintf(stderr, "xiangzhi: '%s' is damaged or its audit log is"
		    " broken (or the key file does not match); nothing was"
		    " restored\n", o.file);
		return EXIT_USER;
	}
	if (hashes_load(src, o.file, &h) != 0) {
		db_close(src);
		return EXIT_USER;
	}
	memset(&t, 0, sizeof(t));
	t.needed = h.n;
	have_set = is_dir(set);
	if (h.n > 0 && (copy = calloc(h.n, sizeof(*copy))) == NULL) {
		fprintf(stderr, "xiangzhi: out of memory\n");
		rc = -1;
		goto out;
	}
	restore_plan(&h, set, have_set, live, copy, &t);
	if (bad(&t) != 0 && !o.without_files) {
		if (have_set)
			fprintf(stderr, "xiangzhi: %zu of %zu attachments the"
			    " backup needs are missing or damaged in %s and"
			    " not in %s either (named above); nothing was"
			    " restored.  Find them (an off-site copy of %s),"
			    " or run again with --without-files to restore"
			    " without them: their matters will list them, but"
			    " they cannot be downloaded\n", bad(&t), t.needed,
			    set, live, set);
		else
			fprintf(stderr, "xiangzhi: %zu of %zu attachments the"
			    " backup needs are not in %s (named above), and"
			    " there is no %s beside the backup to bring them"
			    " from; nothing was restored.  Put the backup's"
			    " files directory back (an off-site copy), or run"
			    " again with --without-files to restore without"
			    " them: their matters will list them, but they"
			    " cannot be downloaded\n", bad(&t), t.needed, live,
			    set);
		rc = -1;
		goto out;
	}
	if (bad(&t) != 0)
		fprintf(stderr, "xiangzhi: restoring WITHOUT %zu attachments"
		    " (--without-files): they cannot be downloaded\n",
		    bad(&t));
	if (t.present + bad(&t) < t.needed && (attach_prepare(live) != 0 ||
	    restore_files(&h, copy, set, live, &t) != 0)) {
		fprintf(stderr, "xiangzhi: cannot copy the attachments into"
		    " '%s'; the database was not restored (the %zu files"
		    " copied are harmless there)\n", live, t.copied);
		rc = -1;
		goto out;
	}

	/* Copy into a temporary file next to the target, then rename. */
	snprintf(tmp, sizeof(tmp), "%s.restore-tmp", path);
	unlink(tmp);
	rc = db_backup_to(src, tmp);
	db_close(src);
	src = NULL;
	if (rc != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		fprintf(stderr, "xiangzhi: cannot restore into '%s'\n", path);
		rc = -1;
		goto out;
	}
	/* The old WAL belongs to the old file. */
	snprintf(tmp, sizeof(tmp), "%s-wal", path);
	unlink(tmp);
	snprintf(tmp, sizeof(tmp), "%s-shm", path);
	unlink(tmp);
	if ((db = cli_open(path, cli_key_path(path, o.key), false)) == NULL) {
		rc = -1;
		goto out;
	}
	d = json_pack("{ss sI ss ss sb so}", "file", o.file, "audit_records",
	    (json_int_t)records, "files", set, "live_files", live,
	    "without_files", o.without_files, "attachments", tally_json(&t));
	audit_write_alone(db, &who, "backup.restore", "database", 0, true, d);
	json_decref(d);
	db_close(db);
	printf("restored %s from %s (%lld audit records verified)\n", path,
	    o.file, (long long)records);
	printf("attachments: %zu needed: %zu copied into %s (%" PRIu64
	    " bytes), %zu already there, %zu missing\n", t.needed, t.copied,
	    live, t.bytes, t.present, bad(&t));
	rc = 0;
out:
	if (src != NULL)
		db_close(src);
	free(copy);
	free(h.hex);
	return rc == 0 ? EXIT_OK : EXIT_USER;
}

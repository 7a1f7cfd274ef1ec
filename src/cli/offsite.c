/* offsite.c: "xiangzhi keygen", sealed off-site copies and "xiangzhi unseal". */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/buf.h"
#include "cli/backup.h"
#include "cli/cli.h"
#include "cli/seal.h"
#include "matter/attach.h"

/*
 * Inside the sealed stream (seal.h) the backup is a list of entries: a
 * type byte, for 'F' the attachment's 64-digit hash, a 64-bit big-endian
 * size and the bytes; 'D' the database, 'M' its manifest, 'K' the server
 * key file (without it the personal data in the database cannot be read),
 * 'F' each attachment; 'E' ends the list and carries the entry count.
 */
#define ENT_DB		'D'
#define ENT_MANIFEST	'M'
#define ENT_KEY		'K'
#define ENT_FILE	'F'
#define ENT_END		'E'
#define HEX_LEN		(ATTACH_HASH_HEX - 1)
#define MAX_ENTRY	(UINT64_C(1) << 40)

/* A reason into "why" (always cut to fit: it is a message). */
static void	 reason(char *, size_t, const char *, ...) PRINTFLIKE(3, 4);

static void
reason(char *why, size_t n, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

static void
be64(unsigned char b[8], uint64_t v)
{
	int	 i;

	for (i = 7; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)(v & 0xff);
}

static uint64_t
get64(const unsigned char b[8])
{
	uint64_t	 v = 0;
	int		 i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/* One entry from the file "path"; -1 with a message. */
static int
put_file(struct seal_w *w, char type, const char *hex, const char *path)
{
	unsigned char	 hdr[1 + HEX_LEN + 8], buf[65536];
	struct stat	 st;
	uint64_t	 left;
	size_t		 n, hl = 1;
	FILE		*f;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) != 0) {
		fprintf(stderr, "xiangzhi: cannot read '%s': %s\n", path,
		    strerror(errno));
		if (f != NULL)
			fclose(f);
		return -1;
	}
	hdr[0] = (unsigned char)type;
	if (hex != NULL) {
		memcpy(hdr + 1, hex, HEX_LEN);
		hl += HEX_LEN;
	}
	be64(hdr + hl, (uint64_t)st.st_size);
	seal_w_write(w, hdr, hl + 8);
	for (left = (uint64_t)st.st_size; left > 0; left -= n) {
		n = fread(buf, 1, left < sizeof(buf) ? (size_t)left :
		    sizeof(buf), f);
		if (n == 0)
			break;
		if (seal_w_write(w, buf, n) != 0)
			break;
	}
	fclose(f);
	if (left != 0) {
		fprintf(stderr, "xiangzhi: '%s' changed or could not be read"
		    " while sealing\n", path);
		return -1;
	}
	return 0;
}

int
offsite_seal(const char *file, const char *keyfile, const char *server_key,
    const struct backup_hashes *h, const char *set)
{
	unsigned char	 key[SEAL_KEY_BYTES], end[9];
	char		 out[4096], tmp[4160], man[4096], p[4200], why[200];
	struct seal_w	*w;
	FILE		*f;
	size_t		 i;
	int		 rc = 0;

	if (seal_key_load(keyfile, key, why, sizeof(why)) != 0) {
		fprintf(stderr, "xiangzhi: %s\n", why);
		return -1;
	}
	if (backup_path(out, sizeof(out), file, BACKUP_SEALED) != 0 ||
	    backup_path(tmp, sizeof(tmp), out, ".tmp") != 0 ||
	    backup_path(man, sizeof(man), file, BACKUP_MANIFEST) != 0)
		return -1;
	unlink(tmp);	/* a leftover of an interrupted run */
	if ((f = fopen(tmp, "wbx")) == NULL ||
	    (w = seal_w_open(f, key)) == NULL) {
		fprintf(stderr, "xiangzhi: cannot write '%s': %s\n", tmp,
		    strerror(errno));
		if (f != NULL) {
			fclose(f);
			unlink(tmp);
		}
		sodium_memzero(key, sizeof(key));
		return -1;
	}
	sodium_memzero(key, sizeof(key));
	rc = put_file(w, ENT_DB, NULL, file);
	if (rc == 0)
		rc = put_file(w, ENT_MANIFEST, NULL, man);
	if (rc == 0)
		rc = put_file(w, ENT_KEY, NULL, server_key);
	for (i = 0; rc == 0 && i < h->n; i++) {
		snprintf(p, sizeof(p), "%s/%.2s/%.2s/%s", set, h->hex[i],
		    h->hex[i] + 2, h->hex[i]);
		rc = put_file(w, ENT_FILE, h->hex[i], p);
	}
	end[0] = ENT_END;
	be64(end + 1, (uint64_t)h->n + 3);
	if (rc == 0)
		rc = seal_w_write(w, end, sizeof(end));
	if (rc == 0)
		rc = seal_w_close(w);
	else
		seal_w_abort(w);
	if (fsync(fileno(f)) != 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, out) != 0)
		rc = -1;
	if (rc != 0) {
		unlink(tmp);
		fprintf(stderr, "xiangzhi: cannot write the sealed copy '%s'\n",
		    out);
	}
	return rc;
}

int
cmd_keygen(int argc, char *argv[])
{
	char	 why[300];

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: xiangzhi keygen KEYFILE\n"
		    "       (a new key for sealed off-site copies, mode 0600;"
		    " never overwrites)\n");
		return EXIT_USAGE;
	}
	if (seal_keygen(argv[1], why, sizeof(why)) != 0) {
		fprintf(stderr, "xiangzhi: %s\n", why);
		return EXIT_USER;
	}
	printf("seal key written to %s (mode 0600).  Keep a copy away from"
	    " the off-site copies it opens: without it they cannot be"
	    " read; with it, anyone can read them.\n", argv[1]);
	return EXIT_OK;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
backup_rmtree(const char *dir)
{
	if (access(dir, F_OK) != 0)
		return 0;
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* mkdir -p "dir/ab/cd" for one attachment; its path into "out". */
static int
file_path(const char *dir, const char *hex, char *out, size_t n)
{
	char	 d[4400];

	if ((size_t)snprintf(d, sizeof(d), "%s/%.2s", dir, hex) >= sizeof(d))
		return -1;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	if (mkdir(d, 0700) != 0 && errno != EEXIST)
		return -1;
	if ((size_t)snprintf(d, sizeof(d), "%s/%.2s/%.2s", dir, hex,
	    hex + 2) >= sizeof(d))
		return -1;
	if (mkdir(d, 0700) != 0 && errno != EEXIST)
		return -1;
	return (size_t)snprintf(out, n, "%s/%s", d, hex) < n ? 0 : -1;
}

static bool
is_hex(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return false;
	return true;
}

/* Every entry into "dir"; -1 with the reason in "why". */
static int
unseal_into(struct seal_r *r, const char *dir, char *why, size_t wn)
{
	unsigned char	 hdr[8], buf[65536], type;
	char		 hex[ATTACH_HASH_HEX], path[4300];
	uint64_t	 size, left, entries = 0;
	bool		 seen_db = false, seen_man = false, seen_key = false;
	size_t		 k;
	FILE		*f;
	int		 rc;

	for (;;) {
		if (seal_r_read(r, &type, 1, why, wn) != 0)
			return -1;
		if (type == ENT_END)
			break;
		switch (type) {
		case ENT_DB:
			if (seen_db)
				goto bad;
			seen_db = true;
			snprintf(path, sizeof(path), "%s/db", dir);
			break;
		case ENT_MANIFEST:
			if (seen_man)
				goto bad;
			seen_man = true;
			snprintf(path, sizeof(path), "%s/manifest", dir);
			break;
		case ENT_KEY:
			if (seen_key)
				goto bad;
			seen_key = true;
			snprintf(path, sizeof(path), "%s/key", dir);
			break;
		case ENT_FILE:
			if (seal_r_read(r, hex, HEX_LEN, why, wn) != 0)
				return -1;
			hex[HEX_LEN] = '\0';
			snprintf(path, sizeof(path), "%s/files", dir);
			if (!is_hex(hex, HEX_LEN) || file_path(path, hex, path,
			    sizeof(path)) != 0)
				goto bad;
			break;
		default:
			goto bad;
		}
		if (seal_r_read(r, hdr, 8, why, wn) != 0)
			return -1;
		if ((size = get64(hdr)) > MAX_ENTRY)
			goto bad;
		/* "x": an attachment twice is refused, not overwritten. */
		if ((f = fopen(path, "wbx")) == NULL) {
			reason(why, wn, "cannot write '%s': %s", path,
			    strerror(errno));
			return -1;
		}
		fchmod(fileno(f), 0600);
		rc = 0;
		for (left = size; rc == 0 && left > 0; left -= k) {
			k = left < sizeof(buf) ? (size_t)left : sizeof(buf);
			if ((rc = seal_r_read(r, buf, k, why, wn)) == 0 &&
			    fwrite(buf, 1, k, f) != k) {
				reason(why, wn, "cannot write '%s'", path);
				rc = -1;
			}
		}
		if (fsync(fileno(f)) != 0 && rc == 0) {
			reason(why, wn, "cannot write '%s'", path);
			rc = -1;
		}
		fclose(f);
		if (rc != 0)
			return -1;
		/* Authenticated already; the name is checked all the same. */
		snprintf(path, sizeof(path), "%s/files", dir);
		if (type == ENT_FILE && attach_check(path, hex, NULL) !=
		    ATTACH_OK) {
			reason(why, wn, "attachment %s does not match its"
			    " name", hex);
			return -1;
		}
		entries++;
	}
	if (seal_r_read(r, hdr, 8, why, wn) != 0)
		return -1;
	if (get64(hdr) != entries || !seen_db || !seen_man || !seen_key)
		goto bad;
	return seal_r_end(r, why, wn);
bad:
	reason(why, wn, "the sealed copy's contents are malformed (an"
	    " authenticated stream with a bad entry list: written by"
	    " something else?)");
	return -1;
}

int
cmd_unseal(int argc, char *argv[])
{
	static const char usage[] =
	    "usage: xiangzhi unseal --key KEYFILE SEALED DEST\n"
	    "       (writes DEST, DEST.manifest, DEST.key and DEST.files;"
	    " then 'xiangzhi restore --key DEST.key DEST')\n";
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const suffix[] = { "", BACKUP_MANIFEST, BACKUP_KEY,
	    BACKUP_FILES };
	static const char *const inner[] = { "db", "manifest", "key",
	    "files" };
	unsigned char	 key[SEAL_KEY_BYTES];
	const char	*keyfile = NULL, *in, *dest;
	char		 tmp[4096], from[4200], to[4200], why[300] = "";
	struct seal_r	*r = NULL;
	struct backup_seen seen;
	FILE		*f = NULL;
	size_t		 i;
	int		 c, rc = -1;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 'k') {
			fprintf(stderr, "%s", usage);
			return EXIT_USAGE;
		}
		keyfile = optarg;
	}
	if (keyfile == NULL || optind != argc - 2) {
		fprintf(stderr, "%s", usage);
		return EXIT_USAGE;
	}
	in = argv[optind];
	dest = argv[optind + 1];
	for (i = 0; i < 4; i++) {
		if (backup_path(to, sizeof(to), dest, suffix[i]) != 0)
			return EXIT_USAGE;
		if (access(to, F_OK) == 0) {
			fprintf(stderr, "xiangzhi: '%s' exists; choose a new"
			    " DEST\n", to);
			return EXIT_USER;
		}
	}
	if (seal_key_load(keyfile, key, why, sizeof(why)) != 0) {
		fprintf(stderr, "xiangzhi: %s\n", why);
		return EXIT_USER;
	}
	/* Everything goes to a scratch directory, moved into place at the end. */
	if (backup_path(tmp, sizeof(tmp), dest, ".unseal-XXXXXX") != 0 ||
	    mkdtemp(tmp) == NULL) {
		fprintf(stderr, "xiangzhi: cannot make a directory beside"
		    " '%s': %s\n", dest, strerror(errno));
		sodium_memzero(key, sizeof(key));
		return EXIT_USER;
	}
	if ((f = fopen(in, "rb")) == NULL)
		reason(why, sizeof(why), "cannot read '%s': %s", in,
		    strerror(errno));
	else if ((r = seal_r_open(f, key, why, sizeof(why))) != NULL &&
	    unseal_into(r, tmp, why, sizeof(why)) == 0)
		rc = 0;
	sodium_memzero(key, sizeof(key));
	seal_r_free(r);
	if (f != NULL)
		fclose(f);
	snprintf(from, sizeof(from), "%s/files", tmp);
	if (rc == 0 && access(from, F_OK) != 0 && mkdir(from, 0700) != 0)
		rc = -1;
	for (i = 0; rc == 0 && i < 4; i++) {
		snprintf(from, sizeof(from), "%s/%s", tmp, inner[i]);
		backup_path(to, sizeof(to), dest, suffix[i]);
		if (rename(from, to) != 0) {
			reason(why, sizeof(why), "cannot move '%s' to '%s':"
			    " %s", from, to, strerror(errno));
			rc = -1;
		}
	}
	if (rc != 0) {
		/* Undo the moves made: nothing usable is left behind. */
		for (i = 0; i < 4; i++) {
			backup_path(to, sizeof(to), dest, suffix[i]);
			backup_rmtree(to);
		}
		backup_rmtree(tmp);
		fprintf(stderr, "xiangzhi: UNSEAL FAILED: %s: %s; nothing was"
		    " written\n", in, why);
		return EXIT_USER;
	}
	rmdir(tmp);
	backup_path(to, sizeof(to), dest, BACKUP_KEY);
	/* The manifest pins the database's bytes; the chain needs the key. */
	if (backup_verify(dest, to, true, &seen) != 0) {
		fprintf(stderr, "xiangzhi: '%s' authenticated but the backup in"
		    " it does not verify\n", in);
		return EXIT_USER;
	}
	printf("unsealed %s into %s (%zu tables, %lld rows match the manifest;"
	    " %lld audit records verified); restore with: xiangzhi restore"
	    " --key %s %s\n", in, dest, seen.tables, (long long)seen.rows,
	    (long long)seen.records, to, dest);
	return EXIT_OK;
}

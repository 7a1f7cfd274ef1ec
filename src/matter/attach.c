/* attach.c: content-addressed file store, type sniffing and download names. */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/log.h"
#include "base/str.h"
#include "base/utf8.h"
#include "matter/attach.h"

static_assert(ATTACH_HASH_HEX == crypto_hash_sha256_BYTES * 2 + 1,
    "ATTACH_HASH_HEX does not fit a hex SHA-256");

#define TMP_PREFIX	"tmp-"
#define TMP_STALE	3600	/* seconds before a crash's temp is swept */
#define EXT_MAX		10	/* letters in an extension kept on a cut */
#define FALLBACK_NAME	"附件"

/*
 * The realpath of the store; "" until attach_init() succeeds.  It is kept
 * shorter than PATH_MAX by room for "/ab/cd/<hex>", so every path made
 * from it fits a PATH_MAX buffer, provably to the compiler too.
 */
#define ROOT_MAX	(PATH_MAX - 80)
static char	 root[ROOT_MAX];

/*
 * Make the directory "path" with mode 0700 unless it exists.  "*made" says
 * whether it was made here.  An existing non-directory is an error; so is
 * a symbolic link when "follow" is false (inside the store, where nothing
 * but us makes entries).  0 or -1, logged.
 */
static int
make_dir(const char *path, bool follow, bool *made)
{
	struct stat	 st;
	int		 e, r;

	*made = false;
	if (mkdir(path, 0700) == 0) {
		*made = true;
		/* The umask may have taken owner bits; give exactly 0700. */
		if (chmod(path, 0700) == -1)
			return error("cannot chmod directory '%s': %s", path,
			    strerror(errno));
		return 0;
	}
	e = errno;
	if (e != EEXIST)
		return error("cannot make directory '%s': %s", path,
		    strerror(e));
	r = follow ? stat(path, &st) : lstat(path, &st);
	if (r == -1)
		return error("cannot stat directory '%s': %s", path,
		    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error("cannot make directory '%s': %s", path,
		    strerror(ENOTDIR));
	return 0;
}

/*
 * Flush the entries of directory "path" so a rename or mkdir in it
 * survives a power cut.  Some file systems cannot fsync a directory and
 * say EINVAL; there is nothing more to do on those.  0 or -1, logged.
 */
static int
fsync_dir(const char *path)
{
	int	 fd, e;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return error("cannot open directory '%s': %s", path,
		    strerror(errno));
	if (fsync(fd) == -1 && errno != EINVAL) {
		e = errno;
		close(fd);
		return error("cannot fsync directory '%s': %s", path,
		    strerror(e));
	}
	close(fd);
	return 0;
}

/*
 * Remove "tmp-*" files older than TMP_STALE from the top of the store
 * "top": a crash between mkstemp() and rename() leaves one.  Younger ones
 * may belong to a store in progress in another process, so they stay.
 */
static void
sweep_temps(const char *top)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	time_t		 now = time(NULL);

	d = opendir(top);
	if (d == NULL) {
		log_warn("cannot sweep '%s': %s", top, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (!str_has_prefix(de->d_name, TMP_PREFIX))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == -1 || !S_ISREG(st.st_mode))
			continue;
		if (now - st.st_mtime < TMP_STALE)
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == -1)
			log_warn("cannot remove stale '%s/%s': %s", top,
			    de->d_name, strerror(errno));
		else
			log_info("removed stale '%s/%s'", top, de->d_name);
	}
	closedir(d);
}

/* mkdir -p "dir", each directory made with mode 0700.  0 or -1, logged. */
static int
make_parents(const char *dir)
{
	char		 path[PATH_MAX];
	size_t		 i, len;
	bool		 made;

	if (str_empty(dir))
		return error("attachment directory not given");
	len = strlen(dir);
	if (len >= sizeof(path))
		return error("attachment directory too long");
	memcpy(path, dir, len + 1);
	for (i = 1; i < len; i++) {
		if (path[i] != '/' || path[i - 1] == '/')
			continue;
		path[i] = '\0';
		if (make_dir(path, true, &made) == -1)
			return -1;
		path[i] = '/';
	}
	return make_dir(path, true, &made);
}

/*
 * Make "dir" and any missing parents (mkdir -p), each with mode 0700,
 * then remember its realpath.  An existing store keeps its mode; a mode
 * open to group or others is worth a warning, not a refusal.
 */
int
attach_init(const char *dir)
{
	char		 real[PATH_MAX];
	struct stat	 st;

	if (make_parents(dir) == -1)
		return -1;
	if (realpath(dir, real) == NULL)
		return error("cannot resolve '%s': %s", dir, strerror(errno));
	if (stat(real, &st) == -1)
		return error("cannot stat '%s': %s", real, strerror(errno));
	if ((st.st_mode & 077) != 0)
		log_warn("attachment directory '%s' has mode %04o, want 0700",
		    real, (unsigned)(st.st_mode & 07777));
	if (access(real, R_OK | W_OK | X_OK) == -1)
		return error("cannot use '%s': %s", real, strerror(errno));
	if (strlen(real) >= sizeof(root))
		return error("attachment directory '%s' too long", real);
	str_copy(root, real, sizeof(root));
	sweep_temps(root);
	return 0;
}

const char *
attach_dir(void)
{
	return root[0] == '\0' ? NULL : root;
}

/*
 * The brands of an ISO BMFF "ftyp" box that mean HEIF or HEIC: the image
 * and sequence brands of ISO/IEC 23008-12.  Only the major brand is read:
 * AVIF files list "mif1" among their compatible brands too, and are not
 * HEIC.
 */
static const char *const heif_brands[] = {
	"heic", "heix", "hevc", "heim", "heis", "hevm", "hevs", "mif1", "msf1",
};

static bool
is_heif(const unsigned char *p, size_t len)
{
	uint32_t	 size;
	size_t		 i;

	/* A box: 32-bit size, "ftyp", major brand, minor version. */
	if (len < 16 || memcmp(p + 4, "ftyp", 4) != 0)
		return false;
	size = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	if (size < 16 || size % 4 != 0)
		return false;
	for (i = 0; i < NELEM(heif_brands); i++)
		if (memcmp(p + 8, heif_brands[i], 4) == 0)
			return true;
	return false;
}

/*
 * PDF: ISO 32000 puts "%PDF-" at byte 0, and Acrobat tolerates up to 1024
 * bytes of junk before it.  We do not: junk first is how an HTML/PDF
 * polyglot starts, and such a file is still stored, as octet-stream.  A
 * digit must follow ("%PDF-1.7", "%PDF-2.0").
 */
const char *
attach_sniff(const void *data, size_t len, bool *image)
{
	const unsigned char	*p = data;
	const char		*type = "application/octet-stream";
	bool			 img = true;

	if (p == NULL)
		len = 0;
	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		type = "image/jpeg";
	else if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		type = "image/png";
	else if (len >= 6 && (memcmp(p, "GIF87a", 6) == 0 ||
	    memcmp(p, "GIF89a", 6) == 0))
		type = "image/gif";
	else if (len >= 12 && memcmp(p, "RIFF", 4) == 0 &&
	    memcmp(p + 8, "WEBP", 4) == 0)
		type = "image/webp";
	else if (is_heif(p, len))
		type = "image/heic";
	else {
		img = false;
		if (len >= 6 && memcmp(p, "%PDF-", 5) == 0 &&
		    p[5] >= '0' && p[5] <= '9')
			type = "application/pdf";
	}
	if (image != NULL)
		*image = img;
	return type;
}

/* DIR/ab/cd/<hex> into "path"; attach_init() made sure it fits. */
static void
store_path(char path[PATH_MAX], const char *hex)
{
	snprintf(path, PATH_MAX, "%s/%.2s/%.2s/%s", root, hex, hex + 2, hex);
}

/* Write all "len" bytes, across short writes and signals. 0 or -1. */
static int
write_all(int fd, const unsigned char *p, size_t len)
{
	ssize_t	 w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * A new temporary file "top/tmp-XXXXXX" with mode 0600, its name in "tmp".
 * The descriptor, or -1 (logged).
 */
static int
open_temp(const char *top, char tmp[PATH_MAX])
{
	int	 fd;

	if ((size_t)snprintf(tmp, PATH_MAX, "%s/" TMP_PREFIX "XXXXXX", top) >=
	    PATH_MAX)
		return error("attachment directory '%s' too long", top);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd == -1)
		return error("cannot create temporary file in '%s': %s", top,
		    strerror(errno));
	if (fchmod(fd, 0600) == -1) {
		error("cannot chmod '%s': %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	return fd;
}

/*
 * Flush and close the temporary file: close reports NFS write errors, so
 * ENOSPC or EIO is seen while the file still has its temporary name.  The
 * descriptor is closed either way.  0 or -1, logged.
 */
static int
close_temp(int fd, const char *tmp)
{
	int	 e;

	if (fsync(fd) == -1) {
		e = errno;
		close(fd);
		return error("cannot write '%s': %s", tmp, strerror(e));
	}
	if (close(fd) == -1)
		return error("cannot write '%s': %s", tmp, strerror(errno));
	return 0;
}

/*
 * Give the complete, flushed temporary file "tmp" in the store "top" its
 * hash name: make the fan-out directories, rename, then flush the
 * directories that changed: the leaf (new name) and the top (temporary
 * name gone), and the parents of any directory made here.  rename()
 * replaces atomically, so a reader sees the old file or the new one,
 * never part of one.  "*renamed" says whether "tmp" is gone.
 */
static int
commit_temp(const char *top, const char *hex, const char *tmp, bool *renamed)
{
	char	 path[PATH_MAX], mid[PATH_MAX], leaf[PATH_MAX];
	bool	 made;

	*renamed = false;
	if ((size_t)snprintf(path, sizeof(path), "%s/%.2s/%.2s/%s", top, hex,
	    hex + 2, hex) >= sizeof(path))
		return error("attachment directory '%s' too long", top);
	snprintf(mid, sizeof(mid), "%s/%.2s", top, hex);
	if (make_dir(mid, false, &made) == -1 ||
	    (made && fsync_dir(top) == -1))
		return -1;
	snprintf(leaf, sizeof(leaf), "%s/%.2s/%.2s", top, hex, hex + 2);
	if (make_dir(leaf, false, &made) == -1 ||
	    (made && fsync_dir(mid) == -1))
		return -1;
	if (rename(tmp, path) == -1)
		return error("cannot rename '%s' to '%s': %s", tmp, path,
		    strerror(errno));
	*renamed = true;
	/* The file is whole; a failure now only means it may not last. */
	if (fsync_dir(leaf) == -1 || fsync_dir(top) == -1)
		return -1;
	return 0;
}

/*
 * The order matters: the bytes go to DIR/tmp-XXXXXX and are fsynced and
 * closed before anything else, and only a complete, flushed file is
 * renamed to its hash name (see close_temp() and commit_temp()).  A
 * failure unlinks the temporary file.
 *
 * Two threads storing the same bytes each write their own temporary file
 * and both renames succeed; the last one wins with identical bytes.
 */
int
attach_store(const void *data, size_t len, char hex[ATTACH_HASH_HEX])
{
	unsigned char	 sum[crypto_hash_sha256_BYTES];
	char		 path[PATH_MAX], tmp[PATH_MAX];
	struct stat	 st;
	int		 fd, rc = -1;
	bool		 renamed = false;

	if (root[0] == '\0')
		return error("attachment store not initialised");
	if (data == NULL && len > 0)
		BUG("attach_store: NULL data of %zu bytes", len);
	crypto_hash_sha256(sum, data != NULL ? data : (const void *)"",
	    (unsigned long long)len);
	str_hex(hex, sum, sizeof(sum));
	store_path(path, hex);

	if (lstat(path, &st) == 0) {
		if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size == len)
			return 0;
		log_warn("attachment '%s' has %jd bytes, want %zu: rewriting",
		    path, (intmax_t)st.st_size, len);
	} else if (errno != ENOENT && errno != ENOTDIR)	/* ENOTDIR: below */
		return error("cannot stat attachment '%s': %s", path,
		    strerror(errno));

	if ((fd = open_temp(root, tmp)) == -1)
		return -1;
	if (write_all(fd, data, len) == -1) {
		error("cannot write '%s': %s", tmp, strerror(errno));
		close(fd);
		goto out;
	}
	if (close_temp(fd, tmp) == -1)
		goto out;
	rc = commit_temp(root, hex, tmp, &renamed);
out:
	if (!renamed && unlink(tmp) == -1)
		log_warn("cannot remove '%s': %s", tmp, strerror(errno));
	return rc;
}

/* True for exactly 64 lowercase hex digits: the only names we open. */
static bool
valid_hex(const char *hex)
{
	size_t	 i;

	if (hex == NULL)
		return false;
	for (i = 0; i < ATTACH_HASH_HEX - 1; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		    (hex[i] >= 'a' && hex[i] <= 'f')))
			return false;
	return hex[i] == '\0';
}

void *
attach_load(const char *hex, size_t *lenp)
{
	unsigned char	 sum[crypto_hash_sha256_BYTES];
	char		 path[PATH_MAX], got[ATTACH_HASH_HEX], esc[160];
	struct stat	 st;
	unsigned char	*p = NULL;
	size_t		 len, off = 0;
	ssize_t		 r;
	int		 fd;

	if (root[0] == '\0') {
		error("attachment store not initialised");
		return NULL;
	}
	if (!valid_hex(hex)) {
		log_escape(esc, sizeof(esc), hex != NULL ? hex : "(null)");
		error("refusing attachment name '%s'", esc);
		return NULL;
	}
	store_path(path, hex);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1) {
		error("cannot open attachment '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		error("cannot stat attachment '%s': %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || (uintmax_t)st.st_size >= SIZE_MAX) {
		error("attachment '%s' is not a regular file", path);
		goto fail;
	}
	len = (size_t)st.st_size;
	p = malloc(len + 1);
	if (p == NULL) {
		error("cannot load attachment '%s': out of memory", path);
		goto fail;
	}
	while (off < len) {
		r = read(fd, p + off, len - off);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			error("cannot read attachment '%s': %s", path,
			    strerror(errno));
			goto fail;
		}
		if (r == 0) {
			error("attachment '%s' shrank while read", path);
			goto fail;
		}
		off += (size_t)r;
	}
	close(fd);
	p[len] = '\0';
	/* Bit rot or tampering must not be served as the original. */
	crypto_hash_sha256(sum, p, (unsigned long long)len);
	str_hex(got, sum, sizeof(sum));
	if (strcmp(got, hex) != 0) {
		error("attachment '%s' is damaged: its hash is %s", path, got);
		free(p);
		return NULL;
	}
	if (lenp != NULL)
		*lenp = len;
	return p;
fail:
	close(fd);
	free(p);
	return NULL;
}

int
attach_prepare(const char *dir)
{
	if (make_parents(dir) == -1)
		return -1;
	sweep_temps(dir);
	return 0;
}

#define COPY_CHUNK	(64 * 1024)

/*
 * Read "fd" to its end, hashing the bytes into "hex" and, unless "out" is
 * -1, writing them there; "*bytes" gets their count.  0; HASH_READ when a
 * read fails, HASH_WRITE when a write does (errno says why either way).
 */
enum { HASH_READ = -1, HASH_WRITE = -2 };

static int
hash_fd(int fd, int out, char hex[ATTACH_HASH_HEX], uint64_t *bytes)
{
	crypto_hash_sha256_state	 st;
	unsigned char			 sum[crypto_hash_sha256_BYTES];
	unsigned char			*chunk;
	ssize_t				 r;
	int				 rc = 0, e = 0;

	*bytes = 0;
	if ((chunk = malloc(COPY_CHUNK)) == NULL) {
		errno = ENOMEM;
		return HASH_READ;
	}
	crypto_hash_sha256_init(&st);
	for (;;) {
		r = read(fd, chunk, COPY_CHUNK);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			rc = HASH_READ;
			e = errno;
			break;
		}
		if (r == 0)
			break;
		crypto_hash_sha256_update(&st, chunk, (unsigned long long)r);
		if (out != -1 && write_all(out, chunk, (size_t)r) == -1) {
			rc = HASH_WRITE;
			e = errno;
			break;
		}
		*bytes += (uint64_t)r;
	}
	free(chunk);
	crypto_hash_sha256_final(&st, sum);
	str_hex(hex, sum, sizeof(sum));
	errno = e;
	return rc;
}

/*
 * Open the file "hex" of the store "dir" for reading, into "*fd".  A
 * symbolic link or anything but a regular file is damage: nothing but us
 * makes entries in a store.
 */
static enum attach_state
open_stored(const char *dir, const char *hex, int *fd)
{
	char		 path[PATH_MAX], esc[160];
	struct stat	 st;

	*fd = -1;
	if (!valid_hex(hex)) {
		log_escape(esc, sizeof(esc), hex != NULL ? hex : "(null)");
		error("refusing attachment name '%s'", esc);
		return ATTACH_FAILED;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%.2s/%.2s/%s", dir, hex,
	    hex + 2, hex) >= sizeof(path)) {
		error("attachment directory '%s' too long", dir);
		return ATTACH_FAILED;
	}
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (*fd == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return ATTACH_MISSING;
		if (errno == ELOOP)
			return ATTACH_DAMAGED;
		error("cannot open attachment '%s': %s", path, strerror(errno));
		return ATTACH_FAILED;
	}
	if (fstat(*fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(*fd);
		*fd = -1;
		return ATTACH_DAMAGED;
	}
	return ATTACH_OK;
}

enum attach_state
attach_check(const char *dir, const char *hex, uint64_t *bytes)
{
	char			 got[ATTACH_HASH_HEX];
	uint64_t		 n;
	enum attach_state	 s;
	int			 fd, rc;

	if ((s = open_stored(dir, hex, &fd)) != ATTACH_OK)
		return s;
	rc = hash_fd(fd, -1, got, &n);
	close(fd);
	if (rc != 0 || strcmp(got, hex) != 0)
		return ATTACH_DAMAGED;
	if (bytes != NULL)
		*bytes = n;
	return ATTACH_OK;
}

/*
 * The hash is checked on the bytes as they are written, so what lands in
 * "to" is what was verified, even if the source changes under us.
 */
enum attach_state
attach_copy(const char *hex, const char *from, const char *to, bool *copied,
    uint64_t *bytes)
{
	char			 tmp[PATH_MAX], got[ATTACH_HASH_HEX];
	uint64_t		 n = 0;
	enum attach_state	 s;
	int			 in, out, rc;
	bool			 renamed = false;

	*copied = false;
	if (attach_check(to, hex, &n) == ATTACH_OK) {
		if (bytes != NULL)
			*bytes = n;
		return ATTACH_OK;
	}
	if ((s = open_stored(from, hex, &in)) != ATTACH_OK)
		return s;
	if ((out = open_temp(to, tmp)) == -1) {
		close(in);
		return ATTACH_FAILED;
	}
	rc = hash_fd(in, out, got, &n);
	close(in);
	if (rc == HASH_WRITE)
		error("cannot write '%s': %s", tmp, strerror(errno));
	if (rc != 0 || strcmp(got, hex) != 0) {
		close(out);
		s = rc == HASH_WRITE ? ATTACH_FAILED : ATTACH_DAMAGED;
		goto out;
	}
	s = ATTACH_FAILED;
	if (close_temp(out, tmp) == -1 ||
	    commit_temp(to, hex, tmp, &renamed) == -1)
		goto out;
	*copied = true;
	if (bytes != NULL)
		*bytes = n;
	s = ATTACH_OK;
out:
	if (!renamed && unlink(tmp) == -1)
		log_warn("cannot remove '%s': %s", tmp, strerror(errno));
	return s;
}

/* The code point of the well-formed sequence "s" of "k" bytes. */
static uint32_t
decode(const unsigned char *s, size_t k)
{
	switch (k) {
	case 1:
		return s[0];
	case 2:
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	case 3:
		return (uint32_t)(s[0] & 0x0f) << 12 |
		    (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	default:
		return (uint32_t)(s[0] & 0x07) << 18 |
		    (uint32_t)(s[1] & 0x3f) << 12 |
		    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	}
}

/*
 * Code points past ASCII that must not reach a file name: C1 controls, the
 * bidi marks, embeddings, overrides and isolates that reorder what the user
 * sees ("invoice\u202egpj.exe" shows as "invoiceexe.jpg"), the line and
 * paragraph separators, and the zero-width no-break space.
 */
static bool
unsafe_cp(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x061c ||
	    c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029 ||
	    c == 0xfeff;
}

/*
 * Copy the first "len" bytes of the name component "s" into "out" (when
 * not NULL) made safe, stopping before the first character that would
 * pass "cap" bytes or "maxchars" characters.  "s" starts the component, so
 * its leading dots are leading.  Returns the bytes written (or that would
 * be); "*chars" gets the characters.
 */
static size_t
name_scan(const char *s, size_t len, char *out, size_t cap, size_t maxchars,
    size_t *chars)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, o = 0, k, w;
	bool			 lead = true, keep;

	*chars = 0;
	while (i < len && *chars < maxchars) {
		if (u[i] < 0x80) {
			k = 1;
			keep = u[i] >= 0x20 && u[i] != 0x7f &&
			    u[i] != '"' && u[i] != ';' && u[i] != '\\' &&
			    u[i] != '/' && !(lead && u[i] == '.');
		} else {
			k = utf8_seqlen(s + i, len - i);
			keep = k > 0 && !unsafe_cp(decode(u + i, k));
			if (k == 0)
				k = 1;
		}
		w = keep ? k : 1;
		if (o + w > cap)
			break;
		if (out != NULL) {
			if (keep)
				memcpy(out + o, s + i, k);
			else
				out[o] = '_';
		}
		if (u[i] != '.')
			lead = false;
		o += w;
		i += k;
		(*chars)++;
	}
	return o;
}

/*
 * The extension of "s" (len bytes) worth keeping when the name is cut: a
 * dot, not the first byte, then 1 to EXT_MAX ASCII letters or digits to
 * the end.  Such an extension needs no cleaning.  NULL if there is none.
 */
static const char *
name_ext(const char *s, size_t len)
{
	const char	*dot;
	size_t		 i;

	dot = memrchr(s, '.', len);
	if (dot == NULL || dot == s)
		return NULL;
	i = (size_t)(dot - s) + 1;
	if (len - i < 1 || len - i > EXT_MAX)
		return NULL;
	for (; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z')))
			return NULL;
	return dot;
}

/* "附件", or as much of a name as fits in a buffer too small for it. */
static void
name_fallback(char *out, size_t n)
{
	if (n >= sizeof(FALLBACK_NAME))
		memcpy(out, FALLBACK_NAME, sizeof(FALLBACK_NAME));
	else
		str_copy(out, "_", n);
}

void
attach_safe_name(const char *name, char *out, size_t n)
{
	const char	*base, *p, *ext;
	size_t		 len, stem, extlen, chars, o;

	if (out == NULL || n == 0)
		return;
	if (name == NULL)
		name = "";
	base = name;
	for (p = name; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	len = strlen(base);

	o = name_scan(base, len, NULL, SIZE_MAX, SIZE_MAX, &chars);
	if (o == 0) {
		name_fallback(out, n);
		return;
	}
	if (o <= n - 1 && chars <= ATTACH_NAME_CHARS) {
		o = name_scan(base, len, out, n - 1, ATTACH_NAME_CHARS, &chars);
		out[o] = '\0';
		return;
	}
	/* Too long: cut the stem, so "很长的名字.jpg" still ends ".jpg". */
	ext = name_ext(base, len);
	if (ext != NULL) {
		stem = (size_t)(ext - base);
		extlen = len - stem;
		if (extlen < n - 1 && extlen < ATTACH_NAME_CHARS) {
			o = name_scan(base, stem, out, n - 1 - extlen,
			    ATTACH_NAME_CHARS - extlen, &chars);
			if (o > 0) {
				memcpy(out + o, ext, extlen);
				out[o + extlen] = '\0';
				return;
			}
		}
	}
	o = name_scan(base, len, out, n - 1, ATTACH_NAME_CHARS, &chars);
	if (o == 0) {
		name_fallback(out, n);
		return;
	}
	out[o] = '\0';
}

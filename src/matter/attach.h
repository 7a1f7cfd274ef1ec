/* attach.h: storing uploaded files by SHA-256 and telling what they are. */
#ifndef XZ_ATTACH_H
#define XZ_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATTACH_HASH_HEX	65	/* 64 hex digits + NUL */
#define ATTACH_NAME_CHARS 100	/* most characters in a safe name */
#define ATTACH_NAME_MAX	(ATTACH_NAME_CHARS * 4 + 1)	/* bytes: never cut */

/*
 * Files live under one directory outside any web root, each named by the
 * hex SHA-256 of its bytes in a two-level fan-out ("ab/cd/abcd....").  The
 * same bytes are stored once.  Names given by users are never used as
 * paths.  The directory is made with mode 0700, files with 0600.
 *
 * attach_init() is called once at startup, before any thread stores: it
 * makes "dir" (relative or absolute) and its parents, remembers its
 * realpath(), and removes "tmp-*" files more than an hour old that a crash
 * left behind.  attach_dir() is that absolute path, or NULL before.
 */
int	 attach_init(const char *dir);		/* mkdir -p; 0 or -1 */
const char *attach_dir(void);

/*
 * What the bytes are, from their content only (never the name or the
 * Content-Type the client claimed): "image/jpeg", "image/png",
 * "image/gif", "image/webp", "image/heic", "application/pdf", or
 * "application/octet-stream" for anything else.  "image" tells whether the
 * type is one of the image types.  SVG and HTML are octet-stream: they can
 * carry script.  PDF must start at byte 0 (see attach.c).  "data" may be
 * NULL when "len" is 0, "image" may be NULL.  The result is a literal.
 */
const char *attach_sniff(const void *data, size_t len, bool *image);

/*
 * Store "data" durably (write to a temporary file, fsync, rename, fsync
 * the directory) unless a file with the same hash exists.  "hex" gets the
 * SHA-256.  0, or -1 (logged) on failure, leaving nothing half-written.
 * Safe to call from several threads, even with the same bytes.
 */
int	 attach_store(const void *data, size_t len, char hex[ATTACH_HASH_HEX]);

/*
 * Read a stored file into a malloc'd buffer (caller frees); NULL if missing.
 * "hex" must be 64 lowercase hex digits, anything else is refused.  The
 * bytes are checked against the hash, so a damaged file is NULL (logged),
 * never served.  The buffer has a NUL after the "*len" bytes.
 */
void	*attach_load(const char *hex, size_t *len);

/*
 * Backup and restore: another store than the server's, by path.  These
 * do not use attach_init()'s directory, and the server never calls them.
 *
 * attach_prepare() makes "dir" like attach_init() does (mkdir -p, mode
 * 0700) and removes the stale "tmp-*" files a crash left in it.
 *
 * attach_check() reads the file "hex" of the store "dir" and hashes it:
 * ATTACH_OK when its bytes are the ones its name promises, with "*bytes"
 * (may be NULL) their count; ATTACH_MISSING when there is no such file;
 * ATTACH_DAMAGED when it is not a regular file, cannot be read back, or
 * holds other bytes; ATTACH_FAILED when "hex" is not 64 lowercase hex
 * digits or the file cannot be opened for another reason (logged).
 *
 * attach_copy() puts "hex" from the store "from" into the store "to"
 * (made by attach_prepare()), hashing the bytes as it copies them and
 * writing durably like attach_store(): a temporary file in "to", fsync,
 * rename, fsync of the directories.  A file "to" already holds intact is
 * not copied again ("*copied" false); a damaged one there is replaced.
 * ATTACH_OK with "*bytes" the file's size; ATTACH_MISSING or
 * ATTACH_DAMAGED (as above, about the file in "from") with nothing left
 * in "to"; ATTACH_FAILED when writing fails (logged).  Files are copied,
 * never hard-linked: a link would share one inode between the live store
 * and its backup, so one bad sector or careless edit would spoil both.
 */
enum attach_state {
	ATTACH_FAILED = -1,
	ATTACH_OK = 0,
	ATTACH_MISSING,
	ATTACH_DAMAGED
};

int	 attach_prepare(const char *dir);	/* 0 or -1, logged */
enum attach_state attach_check(const char *dir, const char *hex,
	    uint64_t *bytes);
enum attach_state attach_copy(const char *hex, const char *from,
	    const char *to, bool *copied, uint64_t *bytes);

/*
 * A safe download name: the user's name with path parts, control
 * characters, quotes and backslashes removed, at most 100 characters,
 * never empty ("附件" then); written into "out" (n bytes).
 *
 * Only the last path component is kept ("../../etc/passwd" is "passwd",
 * "C:\\x\\y.pdf" is "y.pdf").  In it, control characters (C0, DEL, C1),
 * '"', ';', '\\', '/', leading dots, invalid UTF-8 bytes and the Unicode
 * bidi and invisible marks (U+202E turns "gpj.exe" into "exe.jpg") each
 * become '_'; everything else, CJK included, is kept.  A long name is cut
 * at a character boundary to fit both 100 characters and n - 1 bytes,
 * keeping a short ASCII extension (".jpg").  The result is valid UTF-8
 * with no NUL; ATTACH_NAME_MAX bytes are always enough.
 */
void	 attach_safe_name(const char *name, char *out, size_t n);

#endif

/* test-attach.c: the attachment store, type sniffing and download names. */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "base/log.h"
#include "base/utf8.h"
#include "matter/attach.h"

/* SHA-256("abc") and SHA-256(""), from FIPS 180-2. */
#define ABC_HEX \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY_HEX \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static char	 tmp[PATH_MAX];		/* the test's scratch directory */
static char	 store[PATH_MAX];	/* the store inside it */

static void
setup(void)
{
	int	 n;

	n = snprintf(tmp, sizeof(tmp), "%s/xz-attach-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	cr_assert(n > 0 && (size_t)n < sizeof(tmp));
	cr_assert_not_null(mkdtemp(tmp));
	n = snprintf(store, sizeof(store), "%s/a/b/store", tmp);
	cr_assert(n > 0 && (size_t)n < sizeof(store));
	cr_assert_eq(attach_init(store), 0);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
teardown(void)
{
	if (tmp[0] != '\0')
		nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(sniff);
TestSuite(store, .init = setup, .fini = teardown);
TestSuite(load, .init = setup, .fini = teardown);
TestSuite(noinit);
TestSuite(safe_name);

/* Helpers */

static void
assert_sniff(const void *p, size_t len, const char *want, bool want_image)
{
	bool	 image = !want_image;

	cr_assert_str_eq(attach_sniff(p, len, &image), want);
	cr_assert_eq(image, want_image, "image flag for %s", want);
}

/* Entries of every kind in the tree under "dir", not counting "dir". */
static int	 walk_count;
static int	 walk_files;

static int
count_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)flag;
	if (ftw->level > 0)
		walk_count++;
	if (S_ISREG(st->st_mode))
		walk_files++;
	return 0;
}

static void
count_tree(const char *dir, int *entries, int *files)
{
	walk_count = walk_files = 0;
	cr_assert_eq(nftw(dir, count_one, 16, FTW_PHYS), 0);
	*entries = walk_count;
	*files = walk_files;
}

/* Whether a "tmp-*" file is left at the top of the store. */
static bool
has_temp(void)
{
	DIR		*d;
	struct dirent	*de;
	bool		 found = false;

	d = opendir(attach_dir());
	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "tmp-", 4) == 0)
			found = true;
	closedir(d);
	return found;
}

static void
path_of(char *out, size_t n, const char *rel)
{
	int	 r;

	r = snprintf(out, n, "%s/%s", attach_dir(), rel);
	cr_assert(r > 0 && (size_t)r < n);
}

/* "rel" in the scratch directory, outside the store. */
static void
tmp_path(char *out, size_t n, const char *rel)
{
	int	 r;

	r = snprintf(out, n, "%s/%s", tmp, rel);
	cr_assert(r > 0 && (size_t)r < n);
}

static mode_t
mode_of(const char *path)
{
	struct stat	 st;

	cr_assert_eq(lstat(path, &st), 0, "lstat %s", path);
	return st.st_mode & 07777;
}

/*
 * Run with stderr going to a file, so a test can read what was logged.
 * capture_end() puts stderr back and returns the text (static).
 */
static int	 saved_stderr = -1;
static char	 captured[8192];

static void
capture_begin(void)
{
	char	 path[PATH_MAX];
	int	 fd;

	tmp_path(path, sizeof(path), "stderr.txt");
	fflush(stderr);
	saved_stderr = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert(saved_stderr != -1 && fd != -1);
	dup2(fd, 2);
	close(fd);
}

static const char *
capture_end(void)
{
	char	 path[PATH_MAX];
	FILE	*f;
	size_t	 n;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	tmp_path(path, sizeof(path), "stderr.txt");
	f = fopen(path, "r");
	cr_assert_not_null(f);
	n = fread(captured, 1, sizeof(captured) - 1, f);
	captured[n] = '\0';
	fclose(f);
	unlink(path);
	return captured;
}

/* Sniffing: each type from a minimal real header */

Test(sniff, jpeg)
{
	static const unsigned char	 jfif[] = { 0xff, 0xd8, 0xff, 0xe0,
	    0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01 };
	static const unsigned char	 exif[] = { 0xff, 0xd8, 0xff, 0xe1,
	    0x1c, 0x45, 'E', 'x', 'i', 'f', 0x00, 0x00 };

	assert_sniff(jfif, sizeof(jfif), "image/jpeg", true);
	assert_sniff(exif, sizeof(exif), "image/jpeg", true);
}

Test(sniff, png)
{
	static const unsigned char	 png[] = { 0x89, 'P', 'N', 'G', 0x0d,
	    0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 'I', 'H', 'D', 'R' };

	assert_sniff(png, sizeof(png), "image/png", true);
}

Test(sniff, gif_both_versions)
{
	assert_sniff("GIF87a\x01\x00\x01\x00", 10, "image/gif", true);
	assert_sniff("GIF89a\x01\x00\x01\x00", 10, "image/gif", true);
	assert_sniff("GIF88a\x01\x00\x01\x00", 10,
	    "application/octet-stream", false);
}

Test(sniff, webp)
{
	static const unsigned char	 webp[] = { 'R', 'I', 'F', 'F', 0x24,
	    0x00, 0x00, 0x00, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ' };
	static const unsigned char	 wav[] = { 'R', 'I', 'F', 'F', 0x24,
	    0x00, 0x00, 0x00, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' ' };

	assert_sniff(webp, sizeof(webp), "image/webp", true);
	assert_sniff(wav, sizeof(wav), "application/octet-stream", false);
}

Test(sniff, heic_from_the_major_brand)
{
	/* An iPhone photo: ftyp box of 24 bytes, brand heic. */
	static const unsigned char	 heic[] = { 0x00, 0x00, 0x00, 0x18,
	    'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0x00, 0x00, 0x00, 0x00,
	    'm', 'i', 'f', '1', 'h', 'e', 'i', 'c' };
	static const char *const	 brands[] = { "heic", "heix", "hevc",
	    "heim", "heis", "hevm", "hevs", "mif1", "msf1" };
	unsigned char			 b[sizeof(heic)];
	size_t				 i;

	assert_sniff(heic, sizeof(heic), "image/heic", true);
	for (i = 0; i < sizeof(brands) / sizeof(brands[0]); i++) {
		memcpy(b, heic, sizeof(b));
		memcpy(b + 8, brands[i], 4);
		assert_sniff(b, sizeof(b), "image/heic", true);
	}
}

Test(sniff, avif_and_mp4_are_not_heic)
{
	static const unsigned char	 avif[] = { 0x00, 0x00, 0x00, 0x1c,
	    'f', 't', 'y', 'p', 'a', 'v', 'i', 'f', 0x00, 0x00, 0x00, 0x00,
	    'a', 'v', 'i', 'f', 'm', 'i', 'f', '1', 'm', 'i', 'a', 'f' };
	static const unsigned char	 mp4[] = { 0x00, 0x00, 0x00, 0x18,
	    'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0x00, 0x00, 0x02, 0x00,
	    'i', 's', 'o', 'm', 'i', 's', 'o', '2' };

	assert_sniff(avif, sizeof(avif), "application/octet-stream", false);
	assert_sniff(mp4, sizeof(mp4), "application/octet-stream", false);
}

Test(sniff, heic_with_a_bad_box_size_is_not_heic)
{
	static const unsigned char	 bad[] = { 0x00, 0x00, 0x00, 0x08,
	    'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0x00, 0x00, 0x00, 0x00 };

	assert_sniff(bad, sizeof(bad), "application/octet-stream", false);
}

Test(sniff, pdf_is_not_an_image)
{
	static const char	 pdf[] =
	    "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n";

	assert_sniff(pdf, sizeof(pdf) - 1, "application/pdf", false);
	assert_sniff("%PDF-2.0\n", 9, "application/pdf", false);
}

Test(sniff, pdf_only_at_offset_zero)
{
	static const char	 junk[] =
	    "<html><script>alert(1)</script>\n%PDF-1.4\n";

	assert_sniff(junk, sizeof(junk) - 1, "application/octet-stream",
	    false);
	assert_sniff("\n%PDF-1.4\n", 10, "application/octet-stream", false);
	assert_sniff("%PDF-x", 6, "application/octet-stream", false);
}

Test(sniff, html_renamed_jpg_is_octet_stream)
{
	static const char	 html[] = "<!DOCTYPE html>\n<html><head><title>"
	    "x</title></head><body><script>alert(document.cookie)</script>"
	    "</body></html>\n";

	/* The name "photo.jpg" plays no part: only the bytes are seen. */
	assert_sniff(html, sizeof(html) - 1, "application/octet-stream",
	    false);
}

Test(sniff, svg_with_script_is_octet_stream)
{
	static const char	 svg[] = "<?xml version=\"1.0\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" "
	    "height=\"10\"><script>alert(1)</script>"
	    "<rect width=\"10\" height=\"10\"/></svg>\n";
	static const char	 bare[] = "<svg onload=\"alert(1)\"/>";

	assert_sniff(svg, sizeof(svg) - 1, "application/octet-stream", false);
	assert_sniff(bare, sizeof(bare) - 1, "application/octet-stream",
	    false);
}

Test(sniff, empty_is_octet_stream)
{
	assert_sniff("", 0, "application/octet-stream", false);
	assert_sniff(NULL, 0, "application/octet-stream", false);
}

Test(sniff, truncated_magic_is_octet_stream)
{
	assert_sniff("\xff\xd8", 2, "application/octet-stream", false);
	assert_sniff("\x89PNG\r\n\x1a", 7, "application/octet-stream", false);
	assert_sniff("GIF89", 5, "application/octet-stream", false);
	assert_sniff("RIFF\0\0\0\0WEB", 11, "application/octet-stream",
	    false);
	assert_sniff("%PDF-", 5, "application/octet-stream", false);
}

Test(sniff, image_flag_may_be_null)
{
	cr_assert_str_eq(attach_sniff("GIF89a", 6, NULL), "image/gif");
}

/* Initialisation */

Test(store, init_makes_the_directory_0700_and_remembers_its_realpath)
{
	char	 real[PATH_MAX];

	cr_assert_not_null(realpath(store, real));
	cr_assert_str_eq(attach_dir(), real);
	cr_assert_eq(mode_of(real), 0700);
	/* Calling it again on an existing store is fine. */
	cr_assert_eq(attach_init(store), 0);
	cr_assert_str_eq(attach_dir(), real);
}

Test(store, init_takes_a_relative_path)
{
	char	 want[PATH_MAX];

	cr_assert_eq(chdir(tmp), 0);
	cr_assert_eq(attach_init("rel//files/"), 0);
	cr_assert_not_null(realpath("rel/files", want));
	cr_assert_eq(attach_dir()[0], '/');
	cr_assert_str_eq(attach_dir(), want);
	cr_assert_eq(mode_of(want), 0700);
}

Test(store, init_refuses_a_file_in_the_way)
{
	char	 file[PATH_MAX], below[PATH_MAX];
	int	 fd;

	tmp_path(file, sizeof(file), "plain");
	tmp_path(below, sizeof(below), "plain/store");
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert(fd != -1);
	close(fd);
	cr_assert_eq(attach_init(file), -1);
	cr_assert_eq(attach_init(below), -1);
	cr_assert_eq(attach_init(""), -1);
}

Test(store, init_sweeps_stale_temporary_files)
{
	char		 old[PATH_MAX], young[PATH_MAX];
	struct timespec	 ts[2];
	int		 fd;

	path_of(old, sizeof(old), "tmp-AAAAAA");
	path_of(young, sizeof(young), "tmp-BBBBBB");
	fd = open(old, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert(fd != -1);
	close(fd);
	fd = open(young, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert(fd != -1);
	close(fd);
	ts[0].tv_sec = ts[1].tv_sec = time(NULL) - 2 * 3600;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	cr_assert_eq(utimensat(AT_FDCWD, old, ts, 0), 0);

	log_set_quiet(1);
	cr_assert_eq(attach_init(store), 0);
	cr_assert_eq(access(old, F_OK), -1, "a crash's old temp is removed");
	cr_assert_eq(access(young, F_OK), 0, "a store in progress is kept");
}

/* Storing */

Test(store, round_trip_with_the_known_hash)
{
	char	 hex[ATTACH_HASH_HEX];
	char	*p;
	size_t	 len = 0;

	cr_assert_eq(attach_store("abc", 3, hex), 0);
	cr_assert_str_eq(hex, ABC_HEX);
	p = attach_load(hex, &len);
	cr_assert_not_null(p);
	cr_assert_eq(len, 3);
	cr_assert_eq(memcmp(p, "abc", 3), 0);
	cr_assert_eq(p[3], '\0');
	free(p);
}

Test(store, round_trip_of_binary_bytes)
{
	enum { N = 1 << 20 };
	char		 hex[ATTACH_HASH_HEX];
	unsigned char	*in, *out;
	size_t		 len = 0;

	in = malloc(N);
	cr_assert_not_null(in);
	randombytes_buf(in, N);
	in[0] = 0;
	in[N / 2] = 0;
	cr_assert_eq(attach_store(in, N, hex), 0);
	out = attach_load(hex, &len);
	cr_assert_not_null(out);
	cr_assert_eq(len, N);
	cr_assert_eq(memcmp(in, out, N), 0);
	free(in);
	free(out);
}

Test(store, round_trip_of_zero_bytes)
{
	char	 hex[ATTACH_HASH_HEX];
	char	*p;
	size_t	 len = 99;

	cr_assert_eq(attach_store(NULL, 0, hex), 0);
	cr_assert_str_eq(hex, EMPTY_HEX);
	p = attach_load(hex, &len);
	cr_assert_not_null(p);
	cr_assert_eq(len, 0);
	free(p);
}

Test(store, path_is_the_hash_in_a_two_level_fan_out)
{
	char	 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	int	 entries, files;

	/* Whatever the user called it, only the bytes name the file. */
	cr_assert_eq(attach_store("abc", 3, hex), 0);
	path_of(path, sizeof(path), "ba/78/" ABC_HEX);
	cr_assert_eq(access(path, F_OK), 0, "%s", path);
	count_tree(attach_dir(), &entries, &files);
	cr_assert_eq(entries, 3, "only ba, ba/78 and the file");
	cr_assert_eq(files, 1);
}

Test(store, same_bytes_twice_is_one_file)
{
	char		 hex1[ATTACH_HASH_HEX], hex2[ATTACH_HASH_HEX];
	char		 path[PATH_MAX];
	struct stat	 a, b;
	int		 entries, files;

	cr_assert_eq(attach_store("现场照片", strlen("现场照片"), hex1), 0);
	snprintf(path, sizeof(path), "%s/%.2s/%.2s/%s", attach_dir(), hex1,
	    hex1 + 2, hex1);
	cr_assert_eq(stat(path, &a), 0);
	cr_assert_eq(attach_store("现场照片", strlen("现场照片"), hex2), 0);
	cr_assert_str_eq(hex1, hex2);
	cr_assert_eq(stat(path, &b), 0);
	cr_assert_eq(a.st_ino, b.st_ino, "not rewritten");
	count_tree(attach_dir(), &entries, &files);
	cr_assert_eq(files, 1);
	cr_assert_eq(entries, 3);
}

Test(store, files_are_0600_and_directories_0700)
{
	char	 hex[ATTACH_HASH_HEX], path[PATH_MAX];

	cr_assert_eq(attach_store("abc", 3, hex), 0);
	path_of(path, sizeof(path), "ba");
	cr_assert_eq(mode_of(path), 0700);
	path_of(path, sizeof(path), "ba/78");
	cr_assert_eq(mode_of(path), 0700);
	path_of(path, sizeof(path), "ba/78/" ABC_HEX);
	cr_assert_eq(mode_of(path), 0600);
	cr_assert_eq(mode_of(attach_dir()), 0700);
}

Test(store, modes_do_not_depend_on_the_umask)
{
	char	 hex[ATTACH_HASH_HEX], path[PATH_MAX];

	umask(0277);		/* would make 0500 directories, 0400 files */
	cr_assert_eq(attach_store("abc", 3, hex), 0);
	path_of(path, sizeof(path), "ba/78");
	cr_assert_eq(mode_of(path), 0700);
	path_of(path, sizeof(path), "ba/78/" ABC_HEX);
	cr_assert_eq(mode_of(path), 0600);
	umask(0);		/* would make 0777 and 0666 */
	cr_assert_eq(attach_store("abcd", 4, hex), 0);
	snprintf(path, sizeof(path), "%s/%.2s/%.2s/%s", attach_dir(), hex,
	    hex + 2, hex);
	cr_assert_eq(mode_of(path), 0600);
}

Test(store, a_file_of_the_wrong_size_is_replaced)
{
	char	 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	char	*p;
	size_t	 len;

	cr_assert_eq(attach_store("abc", 3, hex), 0);
	path_of(path, sizeof(path), "ba/78/" ABC_HEX);
	cr_assert_eq(truncate(path, 1), 0);	/* as a crash might leave */
	capture_begin();
	cr_assert_eq(attach_store("abc", 3, hex), 0);
	cr_assert(strstr(capture_end(), "rewriting") != NULL);
	p = attach_load(hex, &len);
	cr_assert_not_null(p);
	cr_assert_eq(len, 3);
	free(p);
	cr_assert_not(has_temp());
}

/*
 * Failures.  The tests run as root, which ignores mode bits, so a
 * read-only directory proves nothing: a regular file where the fan-out
 * directory "ba" should be makes mkdir fail for anyone.  The temporary
 * file exists by then, so this also checks that it is removed.
 */
Test(store, failing_store_leaves_no_temporary_file)
{
	char		 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	const char	*log;
	int		 fd;

	path_of(path, sizeof(path), "ba");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert(fd != -1);
	close(fd);
	capture_begin();
	cr_assert_eq(attach_store("abc", 3, hex), -1);
	log = capture_end();
	cr_assert(strstr(log, "error cannot make directory") != NULL, "%s",
	    log);
	cr_assert_not(has_temp());
	path_of(path, sizeof(path), "ba/78/" ABC_HEX);
	cr_assert_eq(access(path, F_OK), -1);
}

/*
 * A write that fails part-way, as on a full disk: RLIMIT_FSIZE binds root
 * too, and makes write() stop short and then fail with EFBIG.
 */
Test(store, failed_write_leaves_no_partial_file)
{
	enum { N = 256 * 1024 };
	char		 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	unsigned char	*in;
	struct rlimit	 rl = { 4096, 4096 };
	const char	*log;
	int		 entries, files;

	in = calloc(1, N);
	cr_assert_not_null(in);
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	capture_begin();
	cr_assert_eq(attach_store(in, N, hex), -1);
	log = capture_end();
	cr_assert(strstr(log, "error cannot write") != NULL, "%s", log);
	cr_assert_not(has_temp());
	snprintf(path, sizeof(path), "%s/%.2s/%.2s/%s", attach_dir(), hex,
	    hex + 2, hex);
	cr_assert_eq(access(path, F_OK), -1);
	count_tree(attach_dir(), &entries, &files);
	cr_assert_eq(files, 0);
	free(in);
}

/* Loading */

Test(load, refuses_paths)
{
	char	 hex[ATTACH_HASH_HEX];

	cr_assert_eq(attach_store("abc", 3, hex), 0);
	log_set_quiet(1);
	capture_begin();
	cr_assert_null(attach_load("../etc/passwd", NULL));
	cr_assert_null(attach_load("/etc/passwd", NULL));
	cr_assert_null(attach_load("ba/78/" ABC_HEX, NULL));
	/* 64 characters, all but the traversal hex. */
	cr_assert_null(attach_load("../../../../../../etc/passwd"
	    "0000000000000000000000000000000000000", NULL));
	capture_end();
}

Test(load, refuses_uppercase_hex)
{
	char	 hex[ATTACH_HASH_HEX], up[ATTACH_HASH_HEX];
	size_t	 i;
	void	*p;

	cr_assert_eq(attach_store("abc", 3, hex), 0);
	for (i = 0; i < sizeof(up); i++)
		up[i] = (hex[i] >= 'a' && hex[i] <= 'f') ?
		    (char)(hex[i] - 'a' + 'A') : hex[i];
	capture_begin();
	cr_assert_null(attach_load(up, NULL));
	capture_end();
	p = attach_load(hex, NULL);
	cr_assert_not_null(p);
	free(p);
}

Test(load, refuses_wrong_lengths)
{
	char	 hex[ATTACH_HASH_HEX];

	cr_assert_eq(attach_store("abc", 3, hex), 0);
	capture_begin();
	cr_assert_null(attach_load(NULL, NULL));
	cr_assert_null(attach_load("", NULL));
	cr_assert_null(attach_load("ba", NULL));
	cr_assert_null(attach_load(
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
	    NULL));
	cr_assert_null(attach_load(ABC_HEX "0", NULL));
	cr_assert_null(attach_load(ABC_HEX "\n", NULL));
	capture_end();
}

Test(load, missing_file_is_null)
{
	capture_begin();
	cr_assert_null(attach_load(EMPTY_HEX, NULL));
	cr_assert(strstr(capture_end(), "No such file") != NULL);
}

Test(load, damaged_file_is_null)
{
	char	 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	int	 fd;

	cr_assert_eq(attach_store("abc", 3, hex), 0);
	path_of(path, sizeof(path), "ba/78/" ABC_HEX);
	fd = open(path, O_WRONLY);
	cr_assert(fd != -1);
	cr_assert_eq(pwrite(fd, "x", 1, 1), 1);	/* same size, new bytes */
	close(fd);
	capture_begin();
	cr_assert_null(attach_load(hex, NULL));
	cr_assert(strstr(capture_end(), "damaged") != NULL);
}

Test(load, symbolic_link_is_not_followed)
{
	char	 outside[PATH_MAX], path[PATH_MAX];
	int	 fd;

	/* The right bytes, even, but through a link out of the store. */
	tmp_path(outside, sizeof(outside), "outside");
	fd = open(outside, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert(fd != -1);
	cr_assert_eq(write(fd, "abc", 3), 3);
	close(fd);
	path_of(path, sizeof(path), "ba");
	cr_assert_eq(mkdir(path, 0700), 0);
	path_of(path, sizeof(path), "ba/78");
	cr_assert_eq(mkdir(path, 0700), 0);
	path_of(path, sizeof(path), "ba/78/" ABC_HEX);
	cr_assert_eq(symlink(outside, path), 0);
	capture_begin();
	cr_assert_null(attach_load(ABC_HEX, NULL));
	capture_end();
}

/* Before attach_init() (each test runs in its own process) */

Test(noinit, store_and_load_refuse)
{
	char	 hex[ATTACH_HASH_HEX];

	cr_assert_null(attach_dir());
	cr_assert_eq(attach_store("abc", 3, hex), -1);
	cr_assert_null(attach_load(ABC_HEX, NULL));
}

/* Download names */

static void
assert_name(const char *in, const char *want)
{
	char	 out[ATTACH_NAME_MAX];

	attach_safe_name(in, out, sizeof(out));
	cr_assert_str_eq(out, want, "from \"%s\"", in != NULL ? in : "NULL");
	cr_assert(utf8_valid(out, strlen(out)));
}

Test(safe_name, path_parts_are_dropped)
{
	assert_name("../../etc/passwd", "passwd");
	assert_name("/etc/passwd", "passwd");
	assert_name("C:\\x\\y.pdf", "y.pdf");
	assert_name("C:\\\\x\\\\y.pdf", "y.pdf");
	assert_name("a/b\\c/d.txt", "d.txt");
}

Test(safe_name, quotes_and_semicolons_are_replaced)
{
	assert_name("a\"b;c.jpg", "a_b_c.jpg");
}

Test(safe_name, control_characters_are_replaced)
{
	assert_name("\x01" "evil", "_evil");
	assert_name("a\r\nSet-Cookie: x", "a__Set-Cookie: x");
	assert_name("tab\there\x7f", "tab_here_");
	assert_name("c1\xc2\x85.txt", "c1_.txt");	/* U+0085 NEL */
}

Test(safe_name, leading_dots_are_replaced)
{
	assert_name(".hidden", "_hidden");
	assert_name("..", "__");
	assert_name("../.bashrc", "_bashrc");
	assert_name("a.b.c", "a.b.c");
}

Test(safe_name, empty_gives_the_default)
{
	assert_name("", "附件");
	assert_name(NULL, "附件");
	assert_name("dir/", "附件");
	assert_name("C:\\", "附件");
}

Test(safe_name, chinese_is_kept)
{
	assert_name("现场照片.jpg", "现场照片.jpg");
	assert_name("2026年 入户 调查表（第3版）.xlsx",
	    "2026年 入户 调查表（第3版）.xlsx");
}

Test(safe_name, bidi_overrides_are_replaced)
{
	/* U+202E would show "invoiceexe.jpg". */
	assert_name("invoice\xe2\x80\xae" "gpj.exe", "invoice_gpj.exe");
	assert_name("\xef\xbb\xbf" "bom.txt", "_bom.txt");
}

Test(safe_name, invalid_utf8_is_replaced)
{
	assert_name("\xff\xfe\xc3.jpg", "___.jpg");
	assert_name("\xed\xa0\x80x", "___x");	/* a surrogate, 3 bytes */
}

Test(safe_name, long_chinese_name_is_cut_at_a_character)
{
	char	 in[300 * 3 + 1], out[ATTACH_NAME_MAX], small[32];
	size_t	 i;

	for (i = 0; i < 300; i++)
		memcpy(in + 3 * i, i % 2 ? "村" : "镇", 3);
	in[sizeof(in) - 1] = '\0';

	attach_safe_name(in, out, sizeof(out));
	cr_assert(utf8_valid(out, strlen(out)));
	cr_assert_eq(utf8_len(out), ATTACH_NAME_CHARS);
	cr_assert_eq(strlen(out), 300);
	cr_assert_eq(strncmp(out, in, 300), 0);

	/* A buffer too small: cut on a character, never inside one. */
	attach_safe_name(in, small, sizeof(small));
	cr_assert(utf8_valid(small, strlen(small)));
	cr_assert_eq(strlen(small), 30);
	cr_assert_eq(strncmp(small, in, 30), 0);
}

Test(safe_name, long_name_keeps_its_extension)
{
	char	 in[300 * 3 + 5], out[ATTACH_NAME_MAX], small[20];
	size_t	 i, len;

	for (i = 0; i < 300; i++)
		memcpy(in + 3 * i, "照", 3);
	memcpy(in + 900, ".jpg", 5);
	attach_safe_name(in, out, sizeof(out));
	len = strlen(out);
	cr_assert(utf8_valid(out, len));
	cr_assert_eq(utf8_len(out), ATTACH_NAME_CHARS);
	cr_assert_str_eq(out + len - 4, ".jpg");

	attach_safe_name(in, small, sizeof(small));
	len = strlen(small);
	cr_assert(utf8_valid(small, len));
	cr_assert_str_eq(small, "照照照照照.jpg");
}

Test(safe_name, four_byte_characters_are_not_split)
{
	char	 out[5];

	attach_safe_name("ab\xf0\x9f\x98\x80\xf0\x9f\x98\x80", out,
	    sizeof(out));
	cr_assert_str_eq(out, "ab");
}

Test(safe_name, tiny_buffers)
{
	char	 out[4] = "zzz";

	attach_safe_name("x", out, 0);
	cr_assert_str_eq(out, "zzz");
	attach_safe_name("abc", out, 1);
	cr_assert_str_eq(out, "");
	attach_safe_name("", out, 3);
	cr_assert_str_eq(out, "_");	/* "附件" does not fit */
}

Test(safe_name, nothing_unsafe_survives)
{
	static const char *const	 hostile[] = {
		"../../x", "..\\..\\x", "a\"; filename=evil.html",
		"x\r\nContent-Type: text/html", "\x1b[31mred", ".env",
		"%00.jpg", "a\\\"b", "file\x7f\x01\x02.pdf",
	};
	char				 out[ATTACH_NAME_MAX];
	size_t				 i;
	const unsigned char		*p;

	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		attach_safe_name(hostile[i], out, sizeof(out));
		cr_assert(out[0] != '\0' && out[0] != '.', "%s", out);
		cr_assert_null(strpbrk(out, "/\\\";"), "%s", out);
		for (p = (const unsigned char *)out; *p != '\0'; p++)
			cr_assert(*p >= 0x20 && *p != 0x7f, "%s", out);
	}
}

/* Copying between stores (backup and restore) */

static char	 set[PATH_MAX];		/* a backup set beside the store */

static void
setup_copy(void)
{
	int	 n;

	setup();
	n = snprintf(set, sizeof(set), "%s/backup/b1.db.files", tmp);
	cr_assert(n > 0 && (size_t)n < sizeof(set));
	cr_assert_eq(attach_prepare(set), 0);
}

TestSuite(copy, .init = setup_copy, .fini = teardown);

/* "dir/ab/cd/hex" */
static void
fan_of(char *out, size_t n, const char *dir, const char *hex)
{
	int	 r;

	r = snprintf(out, n, "%s/%.2s/%.2s/%s", dir, hex, hex + 2, hex);
	cr_assert(r > 0 && (size_t)r < n);
}

/* "rel" in the backup set. */
static void
set_path(char *out, size_t n, const char *rel)
{
	int	 r;

	r = snprintf(out, n, "%s/%s", set, rel);
	cr_assert(r > 0 && (size_t)r < n);
}

/* Whether a "tmp-*" file is left at the top of "dir". */
static bool
has_temp_in(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	bool		 found = false;

	d = opendir(dir);
	cr_assert_not_null(d, "opendir %s", dir);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "tmp-", 4) == 0)
			found = true;
	closedir(d);
	return found;
}

/* Overwrite one byte of a stored file in place, keeping its size. */
static void
flip_byte(const char *path, off_t at)
{
	unsigned char	 c;
	int		 fd;

	fd = open(path, O_RDWR);
	cr_assert(fd != -1, "open %s", path);
	cr_assert_eq(pread(fd, &c, 1, at), 1);
	c ^= 0x20;
	cr_assert_eq(pwrite(fd, &c, 1, at), 1);
	close(fd);
}

Test(copy, prepare_makes_the_set_0700_with_its_parents)
{
	char	 parent[PATH_MAX];

	cr_assert_eq(mode_of(set), 0700);
	tmp_path(parent, sizeof(parent), "backup");
	cr_assert_eq(mode_of(parent), 0700);
	cr_assert_eq(attach_prepare(set), 0, "an existing set is fine");
	cr_assert_eq(attach_prepare(""), -1);
}

Test(copy, prepare_sweeps_stale_temporary_files_only)
{
	char		 old[PATH_MAX], young[PATH_MAX];
	struct timespec	 ts[2];
	int		 fd;

	set_path(old, sizeof(old), "tmp-OLDOLD");
	set_path(young, sizeof(young), "tmp-YOUNG1");
	fd = open(old, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert(fd != -1);
	close(fd);
	fd = open(young, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert(fd != -1);
	close(fd);
	ts[0].tv_sec = ts[1].tv_sec = time(NULL) - 2 * 3600;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	cr_assert_eq(utimensat(AT_FDCWD, old, ts, 0), 0);
	log_set_quiet(1);
	cr_assert_eq(attach_prepare(set), 0);
	cr_assert_eq(access(old, F_OK), -1);
	cr_assert_eq(access(young, F_OK), 0);
}

Test(copy, a_file_is_copied_with_its_fan_out_and_modes)
{
	char		 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	uint64_t	 n = 0;
	bool		 copied = false;
	char		 got[8] = "";
	int		 fd;

	umask(0);		/* the modes must not come from the umask */
	cr_assert_eq(attach_store("abc", 3, hex), 0);
	cr_assert_eq(attach_copy(hex, attach_dir(), set, &copied, &n),
	    ATTACH_OK);
	cr_assert(copied);
	cr_assert_eq(n, 3);
	fan_of(path, sizeof(path), set, ABC_HEX);
	cr_assert_eq(mode_of(path), 0600);
	fd = open(path, O_RDONLY);
	cr_assert(fd != -1);
	cr_assert_eq(read(fd, got, sizeof(got)), 3);
	close(fd);
	cr_assert_str_eq(got, "abc");
	set_path(path, sizeof(path), "ba");
	cr_assert_eq(mode_of(path), 0700);
	set_path(path, sizeof(path), "ba/78");
	cr_assert_eq(mode_of(path), 0700);
	cr_assert_not(has_temp_in(set));
	cr_assert_eq(attach_check(set, ABC_HEX, &n), ATTACH_OK);
}

Test(copy, a_file_already_there_is_not_copied_again)
{
	char		 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	struct stat	 a, b;
	uint64_t	 n = 0;
	bool		 copied = true;

	cr_assert_eq(attach_store("abc", 3, hex), 0);
	cr_assert_eq(attach_copy(hex, attach_dir(), set, &copied, &n),
	    ATTACH_OK);
	fan_of(path, sizeof(path), set, hex);
	cr_assert_eq(stat(path, &a), 0);
	cr_assert_eq(attach_copy(hex, attach_dir(), set, &copied, &n),
	    ATTACH_OK);
	cr_assert_not(copied);
	cr_assert_eq(n, 3, "the size is told even when skipped");
	cr_assert_eq(stat(path, &b), 0);
	cr_assert_eq(a.st_ino, b.st_ino, "the same file, not a new one");
}

Test(copy, never_a_hard_link_to_the_source)
{
	char		 hex[ATTACH_HASH_HEX], from[PATH_MAX], to[PATH_MAX];
	struct stat	 a, b;
	bool		 copied;

	cr_assert_eq(attach_store("abc", 3, hex), 0);
	cr_assert_eq(attach_copy(hex, attach_dir(), set, &copied, NULL),
	    ATTACH_OK);
	fan_of(from, sizeof(from), attach_dir(), hex);
	fan_of(to, sizeof(to), set, hex);
	cr_assert_eq(stat(from, &a), 0);
	cr_assert_eq(stat(to, &b), 0);
	cr_assert_neq(a.st_ino, b.st_ino);
	cr_assert_eq(b.st_nlink, 1);
}

Test(copy, large_binary_bytes_survive)
{
	enum { N = 300 * 1024 + 7 };	/* several chunks and a tail */
	char		 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	unsigned char	*in, *back;
	uint64_t	 n = 0;
	bool		 copied;
	int		 fd;

	in = malloc(N);
	back = malloc(N);
	cr_assert(in != NULL && back != NULL);
	randombytes_buf(in, N);
	cr_assert_eq(attach_store(in, N, hex), 0);
	cr_assert_eq(attach_copy(hex, attach_dir(), set, &copied, &n),
	    ATTACH_OK);
	cr_assert_eq(n, N);
	fan_of(path, sizeof(path), set, hex);
	fd = open(path, O_RDONLY);
	cr_assert(fd != -1);
	cr_assert_eq(read(fd, back, N), N);
	close(fd);
	cr_assert_eq(memcmp(in, back, N), 0);
	free(in);
	free(back);
}

Test(copy, a_missing_source_leaves_nothing)
{
	int		 entries, files;
	bool		 copied = true;

	cr_assert_eq(attach_copy(ABC_HEX, attach_dir(), set, &copied, NULL),
	    ATTACH_MISSING);
	cr_assert_not(copied);
	count_tree(set, &entries, &files);
	cr_assert_eq(entries, 0, "no temporary file, no fan-out");
	cr_assert_eq(attach_check(attach_dir(), ABC_HEX, NULL),
	    ATTACH_MISSING);
	cr_assert_eq(attach_check("/nonexistent-xz-store", ABC_HEX, NULL),
	    ATTACH_MISSING);
}

Test(copy, a_damaged_source_is_refused_and_leaves_nothing)
{
	char		 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	int		 entries, files;
	bool		 copied = true;

	cr_assert_eq(attach_store("abc", 3, hex), 0);
	fan_of(path, sizeof(path), attach_dir(), hex);
	flip_byte(path, 1);
	cr_assert_eq(attach_check(attach_dir(), hex, NULL), ATTACH_DAMAGED);
	cr_assert_eq(attach_copy(hex, attach_dir(), set, &copied, NULL),
	    ATTACH_DAMAGED);
	cr_assert_not(copied);
	cr_assert_not(has_temp_in(set));
	count_tree(set, &entries, &files);
	cr_assert_eq(files, 0);
}

Test(copy, a_truncated_source_is_damaged)
{
	char		 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	bool		 copied;

	cr_assert_eq(attach_store("abcdef", 6, hex), 0);
	fan_of(path, sizeof(path), attach_dir(), hex);
	cr_assert_eq(truncate(path, 2), 0);
	cr_assert_eq(attach_copy(hex, attach_dir(), set, &copied, NULL),
	    ATTACH_DAMAGED);
	cr_assert_not(has_temp_in(set));
}

Test(copy, a_damaged_copy_in_the_destination_is_replaced)
{
	char		 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	bool		 copied;

	cr_assert_eq(attach_store("abc", 3, hex), 0);
	cr_assert_eq(attach_copy(hex, attach_dir(), set, &copied, NULL),
	    ATTACH_OK);
	fan_of(path, sizeof(path), set, hex);
	flip_byte(path, 0);
	cr_assert_eq(attach_check(set, hex, NULL), ATTACH_DAMAGED);
	cr_assert_eq(attach_copy(hex, attach_dir(), set, &copied, NULL),
	    ATTACH_OK);
	cr_assert(copied);
	cr_assert_eq(attach_check(set, hex, NULL), ATTACH_OK);
}

Test(copy, links_and_directories_in_a_store_are_damage)
{
	char	 outside[PATH_MAX], path[PATH_MAX];
	bool	 copied;
	int	 fd;

	/* The right bytes, but through a link out of the store. */
	tmp_path(outside, sizeof(outside), "outside");
	fd = open(outside, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert(fd != -1);
	cr_assert_eq(write(fd, "abc", 3), 3);
	close(fd);
	path_of(path, sizeof(path), "ba");
	cr_assert_eq(mkdir(path, 0700), 0);
	path_of(path, sizeof(path), "ba/78");
	cr_assert_eq(mkdir(path, 0700), 0);
	path_of(path, sizeof(path), "ba/78/" ABC_HEX);
	cr_assert_eq(symlink(outside, path), 0);
	cr_assert_eq(attach_check(attach_dir(), ABC_HEX, NULL),
	    ATTACH_DAMAGED);
	cr_assert_eq(attach_copy(ABC_HEX, attach_dir(), set, &copied, NULL),
	    ATTACH_DAMAGED);
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(mkdir(path, 0700), 0);
	cr_assert_eq(attach_check(attach_dir(), ABC_HEX, NULL),
	    ATTACH_DAMAGED);
}

Test(copy, names_that_are_not_a_hash_are_refused)
{
	static const char *const bad[] = {
		"../../../../etc/passwd",
		"BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
		ABC_HEX "0",
		"ba7816bf",
		"",
	};
	size_t	 i;
	bool	 copied;

	capture_begin();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(attach_check(attach_dir(), bad[i], NULL),
		    ATTACH_FAILED, "%s", bad[i]);
		cr_assert_eq(attach_copy(bad[i], attach_dir(), set, &copied,
		    NULL), ATTACH_FAILED, "%s", bad[i]);
	}
	cr_assert_eq(attach_check(attach_dir(), NULL, NULL), ATTACH_FAILED);
	cr_assert(strstr(capture_end(), "refusing attachment name") != NULL);
	cr_assert_not(has_temp_in(set));
}

Test(copy, failed_write_leaves_no_partial_file)
{
	enum { N = 256 * 1024 };
	char		 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	unsigned char	*in;
	struct rlimit	 rl = { 4096, 4096 };
	const char	*log;
	int		 entries, files;
	bool		 copied = true;

	in = calloc(1, N);
	cr_assert_not_null(in);
	cr_assert_eq(attach_store(in, N, hex), 0);
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	capture_begin();
	cr_assert_eq(attach_copy(hex, attach_dir(), set, &copied, NULL),
	    ATTACH_FAILED);
	log = capture_end();
	cr_assert(strstr(log, "error cannot write") != NULL, "%s", log);
	cr_assert_not(copied);
	cr_assert_not(has_temp_in(set));
	fan_of(path, sizeof(path), set, hex);
	cr_assert_eq(access(path, F_OK), -1);
	count_tree(set, &entries, &files);
	cr_assert_eq(files, 0);
	free(in);
}

Test(copy, a_fan_out_blocked_by_a_file_fails_cleanly)
{
	char	 hex[ATTACH_HASH_HEX], path[PATH_MAX];
	bool	 copied;
	int	 fd;

	cr_assert_eq(attach_store("abc", 3, hex), 0);
	set_path(path, sizeof(path), "ba");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert(fd != -1);
	close(fd);
	capture_begin();
	cr_assert_eq(attach_copy(hex, attach_dir(), set, &copied, NULL),
	    ATTACH_FAILED);
	cr_assert(strstr(capture_end(), "cannot make directory") != NULL);
	cr_assert_not(has_temp_in(set));
}

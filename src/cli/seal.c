/* seal.c: the secretstream file format for off-site copies, and its key file. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/seal.h"

#define ABYTES	crypto_secretstream_xchacha20poly1305_ABYTES
#define HBYTES	crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define KEY_TAG	"xiangzhi-seal-key "

struct seal_w {
	FILE		*out;
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char	 plain[SEAL_CHUNK];
	unsigned char	 cipher[SEAL_CHUNK + ABYTES];
	size_t		 len;
	int		 err;
};

struct seal_r {
	FILE		*in;
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char	 plain[SEAL_CHUNK];
	unsigned char	 cipher[SEAL_CHUNK + ABYTES];
	size_t		 len, off;
	uint64_t	 chunks;
	bool		 final;
};

static void
say(char *why, size_t n, const char *msg)
{
	if (n > 0)
		snprintf(why, n, "%s", msg);
}

int
seal_keygen(const char *path, char *why, size_t n)
{
	unsigned char	 key[SEAL_KEY_BYTES];
	char		 hex[SEAL_KEY_BYTES * 2 + 1], line[128];
	size_t		 len;
	int		 fd, rc = 0;

	/* O_EXCL: never overwrite a key that may already seal copies. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		snprintf(why, n, "cannot create the key file '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	crypto_secretstream_xchacha20poly1305_keygen(key);
	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	len = (size_t)snprintf(line, sizeof(line), KEY_TAG "%s\n", hex);
	if (fchmod(fd, 0600) != 0 || write(fd, line, len) != (ssize_t)len ||
	    fsync(fd) != 0) {
		snprintf(why, n, "cannot write the key file '%s': %s", path,
		    strerror(errno));
		unlink(path);
		rc = -1;
	}
	close(fd);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(hex, sizeof(hex));
	sodium_memzero(line, sizeof(line));
	return rc;
}

int
seal_key_load(const char *path, unsigned char key[SEAL_KEY_BYTES], char *why,
    size_t n)
{
	char		 line[160];
	struct stat	 st;
	size_t		 klen = 0, hlen;
	ssize_t		 got;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(why, n, "cannot read the key file '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	got = fstat(fd, &st) == 0 ? read(fd, line, sizeof(line) - 1) : -1;
	close(fd);
	if (got < 0) {
		snprintf(why, n, "cannot read the key file '%s'", path);
		return -1;
	}
	line[got] = '\0';
	if ((st.st_mode & 077) != 0) {
		snprintf(why, n, "the key file '%s' is readable by others"
		    " (mode %03o); chmod 600 it first", path,
		    (unsigned)(st.st_mode & 0777));
		sodium_memzero(line, sizeof(line));
		return -1;
	}
	hlen = strcspn(line, "\n");
	if (strncmp(line, KEY_TAG, strlen(KEY_TAG)) != 0 ||
	    hlen != strlen(KEY_TAG) + SEAL_KEY_BYTES * 2 ||
	    sodium_hex2bin(key, SEAL_KEY_BYTES, line + strlen(KEY_TAG),
	    SEAL_KEY_BYTES * 2, NULL, &klen, NULL) != 0 ||
	    klen != SEAL_KEY_BYTES) {
		snprintf(why, n, "'%s' is not a xiangzhi seal key file (make"
		    " one with 'xiangzhi keygen')", path);
		sodium_memzero(line, sizeof(line));
		return -1;
	}
	sodium_memzero(line, sizeof(line));
	return 0;
}

struct seal_w *
seal_w_open(FILE *out, const unsigned char key[SEAL_KEY_BYTES])
{
	struct seal_w	*w;
	unsigned char	 header[HBYTES];

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->out = out;
	crypto_secretstream_xchacha20poly1305_init_push(&w->st, header, key);
	if (fwrite(SEAL_MAGIC, 1, SEAL_MAGIC_LEN, out) != SEAL_MAGIC_LEN ||
	    fwrite(header, 1, HBYTES, out) != HBYTES) {
		free(w);
		return NULL;
	}
	return w;
}

static int
push(struct seal_w *w, unsigned char tag)
{
	unsigned long long	 clen;

	crypto_secretstream_xchacha20poly1305_push(&w->st, w->cipher, &clen,
	    w->plain, w->len, (const unsigned char *)SEAL_MAGIC,
	    SEAL_MAGIC_LEN, tag);
	if (fwrite(w->cipher, 1, (size_t)clen, w->out) != (size_t)clen)
		w->err = -1;
	w->len = 0;
	return w->err;
}

int
seal_w_write(struct seal_w *w, const void *p, size_t n)
{
	const unsigned char	*b = p;
	size_t			 k;

	while (n > 0 && w->err == 0) {
		k = SEAL_CHUNK - w->len;
		if (k > n)
			k = n;
		memcpy(w->plain + w->len, b, k);
		w->len += k;
		b += k;
		n -= k;
		/* A full message goes out only once more follows or at close. */
		if (w->len == SEAL_CHUNK && n > 0)
			push(w, 0);
	}
	return w->err;
}

int
seal_w_close(struct seal_w *w)
{
	int	 rc;

	/* The FINAL message is always shorter than SEAL_CHUNK. */
	if (w->err == 0 && w->len == SEAL_CHUNK)
		push(w, 0);
	if (w->err == 0)
		push(w, crypto_secretstream_xchacha20poly1305_TAG_FINAL);
	rc = w->err;
	if (fflush(w->out) != 0)
		rc = -1;
	seal_w_abort(w);
	return rc;
}

void
seal_w_abort(struct seal_w *w)
{
	if (w == NULL)
		return;
	sodium_memzero(w, sizeof(*w));
	free(w);
}

struct seal_r *
seal_r_open(FILE *in, const unsigned char key[SEAL_KEY_BYTES], char *why,
    size_t n)
{
	struct seal_r	*r;
	unsigned char	 magic[SEAL_MAGIC_LEN], header[HBYTES];

	if (fread(magic, 1, sizeof(magic), in) != sizeof(magic) ||
	    memcmp(magic, SEAL_MAGIC, SEAL_MAGIC_LEN) != 0) {
		say(why, n, "not a xiangzhi sealed copy (its first bytes are"
		    " wrong): damaged, or another file");
		return NULL;
	}
	if (fread(header, 1, sizeof(header), in) != sizeof(header)) {
		say(why, n, "the sealed copy is cut short inside its header");
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		say(why, n, "out of memory");
		return NULL;
	}
	r->in = in;
	if (crypto_secretstream_xchacha20poly1305_init_pull(&r->st, header,
	    key) != 0) {
		say(why, n, "the sealed copy's header is invalid");
		free(r);
		return NULL;
	}
	return r;
}

/* The next message into r->plain. */
static int
pull(struct seal_r *r, char *why, size_t n)
{
	unsigned long long	 plen;
	unsigned char		 tag;
	size_t			 got;

	if (r->final) {
		say(why, n, "the sealed copy ends before its contents do"
		    " (damaged when it was written)");
		return -1;
	}
	got = fread(r->cipher, 1, sizeof(r->cipher), r->in);
	if (got == 0) {
		snprintf(why, n, "the sealed copy is TRUNCATED: it stops after"
		    " %llu whole messages, before its authenticated end",
		    (unsigned long long)r->chunks);
		return -1;
	}
	if (got < ABYTES || crypto_secretstream_xchacha20poly1305_pull(&r->st,
	    r->plain, &plen, &tag, r->cipher, got,
	    (const unsigned char *)SEAL_MAGIC, SEAL_MAGIC_LEN) != 0) {
		snprintf(why, n, "AUTHENTICATION FAILED in message %llu (bytes"
		    " from %llu): the sealed copy was changed, damaged or cut,"
		    " or this is not its key", (unsigned long long)r->chunks +
		    1, (unsigned long long)(SEAL_MAGIC_LEN + HBYTES +
		    r->chunks * (SEAL_CHUNK + ABYTES)));
		return -1;
	}
	r->chunks++;
	if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
		r->final = true;
	else if (tag != 0 || got != sizeof(r->cipher)) {
		say(why, n, "the sealed copy has a short message before its"
		    " end");
		return -1;
	}
	r->len = (size_t)plen;
	r->off = 0;
	return 0;
}

int
seal_r_read(struct seal_r *r, void *p, size_t want, char *why, size_t n)
{
	unsigned char	*b = p;
	size_t		 k;

	while (want > 0) {
		if (r->off == r->len && pull(r, why, n) != 0)
			return -1;
		k = r->len - r->off;
		if (k > want)
			k = want;
		memcpy(b, r->plain + r->off, k);
		r->off += k;
		b += k;
		want -= k;
	}
	return 0;
}

int
seal_r_end(struct seal_r *r, char *why, size_t n)
{
	/* An honest writer ends with FINAL right after the last entry. */
	if (r->off == r->len && !r->final && pull(r, why, n) != 0)
		return -1;
	if (r->off != r->len || !r->final) {
		say(why, n, "the sealed copy holds more than its contents"
		    " (damaged when it was written)");
		return -1;
	}
	if (fgetc(r->in) != EOF) {
		say(why, n, "the sealed copy has bytes after its authenticated"
		    " end (appended to or damaged)");
		return -1;
	}
	return 0;
}

void
seal_r_free(struct seal_r *r)
{
	if (r == NULL)
		return;
	sodium_memzero(r, sizeof(*r));
	free(r);
}

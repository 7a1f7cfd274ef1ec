/* seal.h: encrypted off-site copies (libsodium secretstream) of a backup. */
#ifndef XZ_SEAL_H
#define XZ_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SEAL_KEY_BYTES	32
#define SEAL_CHUNK	65536	/* plaintext bytes per secretstream message */
#define SEAL_MAGIC	"XZSEAL1\n"
#define SEAL_MAGIC_LEN	8

/*
 * The file: SEAL_MAGIC, the 24-byte secretstream header, then messages of
 * SEAL_CHUNK plaintext bytes each (SEAL_CHUNK + 17 on disk), the last one
 * shorter and tagged FINAL.  Every message carries the magic as additional
 * data.  A reader accepts the file only when every message authenticates,
 * the FINAL one comes last and nothing follows it: a changed byte
 * anywhere, a cut or an extension all fail.
 *
 * The key file is one line, "xiangzhi-seal-key <64 hex digits>", mode 0600.
 */
int	 seal_keygen(const char *path, char *why, size_t n);
int	 seal_key_load(const char *path, unsigned char key[SEAL_KEY_BYTES],
	    char *why, size_t n);

/* Writing: bytes in, sealed messages out to "out". */
struct seal_w;
struct seal_w	*seal_w_open(FILE *out, const unsigned char key[SEAL_KEY_BYTES]);
int		 seal_w_write(struct seal_w *, const void *, size_t);
/* Seal the last message and free; 0 when every write reached "out". */
int		 seal_w_close(struct seal_w *);
void		 seal_w_abort(struct seal_w *);

/*
 * Reading: seal_r_read() gives exactly "n" plaintext bytes or fails with
 * the reason in "why" (authentication, truncation, wrong key).
 * seal_r_end() checks that the stream ended just there: FINAL read and
 * nothing after it.
 */
struct seal_r;
struct seal_r	*seal_r_open(FILE *in, const unsigned char key[SEAL_KEY_BYTES],
		    char *why, size_t n);
int		 seal_r_read(struct seal_r *, void *, size_t, char *why,
		    size_t n);
int		 seal_r_end(struct seal_r *, char *why, size_t n);
void		 seal_r_free(struct seal_r *);

#endif

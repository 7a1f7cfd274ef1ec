/* download.h: files built for one response (XLSX ledgers), sent audited. */
#ifndef XZ_DOWNLOAD_H
#define XZ_DOWNLOAD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct web;

#define DOWNLOAD_PATH_MAX	4096

/*
 * A new, empty scratch file for a download being built, in $TMPDIR (or
 * /tmp), mode 0600: its path in "path".  0, or -1 (logged).
 */
int	 download_scratch(char path[DOWNLOAD_PATH_MAX]);

struct download {
	const char	*path;		/* the finished scratch file */
	const char	*content_type;
	const char	*ascii_name;	/* filename="..." for old clients */
	const char	*name;		/* filename*=UTF-8''... (any text) */
	const char	*action;	/* audit: "export.matters" */
	const char	*object_type;
	int64_t		 object_id;
	json_t		*detail;	/* borrowed */
};

/*
 * Send the file as an attachment, streamed from its descriptor, once its
 * audit record is written (no audit, no download).  The scratch file is
 * unlinked in every case.  Returns the status for the handler: 200, or
 * the failure already answered.
 */
int	 download_send(struct web *, const struct download *);

#endif

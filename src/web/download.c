/* download.c: files built for one response (XLSX ledgers), sent audited. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "html/html.h"
#include "web/download.h"
#include "web/web.h"

int
download_scratch(char path[DOWNLOAD_PATH_MAX])
{
	const char	*dir = getenv("TMPDIR");
	int		 fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, DOWNLOAD_PATH_MAX, "%s/xiangzhi-XXXXXX",
	    dir) >= DOWNLOAD_PATH_MAX)
		return error("download: TMPDIR too long");
	if ((fd = mkstemp(path)) < 0)
		return error("download: mkstemp in %s: %s", dir,
		    strerror(errno));
	close(fd);
	return 0;
}

int
download_send(struct web *w, const struct download *d)
{
	struct audit_actor	 who = web_audit_actor(w);
	struct stat		 sb;
	struct buf		 cd = BUF_INIT;
	int			 fd;

	fd = open(d->path, O_RDONLY | O_CLOEXEC);
	unlink(d->path);	/* an open descriptor keeps it until sent */
	if (fd < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		return web_db_fail(w, DB_UNAVAIL);
	}
	if (audit_write_alone(w->db, &who, d->action, d->object_type,
	    d->object_id, true, d->detail) != DB_OK) {
		close(fd);
		return web_db_fail(w, DB_UNAVAIL);	/* no audit, no export */
	}
	w->raw = true;
	w->resp->fd = fd;
	w->resp->fd_size = (uint64_t)sb.st_size;
	w->resp->content_type = d->content_type;
	buf_addf(&cd, "attachment; filename=\"%s\"; filename*=UTF-8''",
	    d->ascii_name);
	html_url_arg(&cd, d->name);
	resp_header(w->req, w->resp, "Content-Disposition",
	    arena_strdup(&w->req->arena, cd.data));
	buf_release(&cd);
	return 200;
}

/* log.c: one-line logs to stderr, escaped so input cannot forge records. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/utf8.h"

static int	 quiet;

void
log_set_quiet(int q)
{
	quiet = q;
}

void
log_escape(char *out, size_t n, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 o = 0, len, k;
	const unsigned char	*p = (const unsigned char *)s;

	if (n == 0)
		return;
	while (*p != '\0' && o + 5 < n) {
		if (*p >= 0x80) {
			len = utf8_seqlen((const char *)p, strlen((const char *)p));
			if (len > 0 && o + len < n) {
				for (k = 0; k < len; k++)
					out[o++] = (char)p[k];
				p += len;
				continue;
			}
		} else if (*p >= 0x20 && *p != 0x7f && *p != '\\') {
			out[o++] = (char)*p++;
			continue;
		}
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[*p >> 4];
		out[o++] = hex[*p & 15];
		p++;
	}
	out[o] = '\0';
}

static void
vlog(const char *level, const char *fmt, va_list ap)
{
	char		 msg[2048], esc[4096], stamp[32];
	struct timespec	 ts;
	struct tm	 tm;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_escape(esc, sizeof(esc), msg);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %s %s\n", stamp, ts.tv_nsec / 1000000,
	    level, esc);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vlog("info", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog("warn", fmt, ap);
	va_end(ap);
}

int
error(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog("error", fmt, ap);
	va_end(ap);
	return -1;
}

void
die(const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "xiangzhi: %s\n", msg);
	exit(1);
}

void
log_bug(const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "BUG: %s:%d: %s\n", file, line, msg);
	abort();
}

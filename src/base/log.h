/* log.h: one-line logs to stderr, with control characters neutralised. */
#ifndef XZ_LOG_H
#define XZ_LOG_H

#include "base/compat.h"

/*
 * Every log line is one record: "2026-11-29T01:02:03.456Z level message".
 * Control characters, backslashes and bytes that are not valid UTF-8 in the
 * message are written as \xNN, so user-supplied text cannot forge a record.
 */
void	 log_info(const char *, ...) PRINTFLIKE(1, 2);
void	 log_warn(const char *, ...) PRINTFLIKE(1, 2);
int	 error(const char *, ...) PRINTFLIKE(1, 2);	/* logs, returns -1 */
void	 die(const char *, ...) PRINTFLIKE(1, 2) NORETURN;	/* main/CLI only */
void	 log_set_quiet(int);

#define BUG(...)	log_bug(__FILE__, __LINE__, __VA_ARGS__)
void	 log_bug(const char *, int, const char *, ...) PRINTFLIKE(3, 4) NORETURN;

/* Escape "s" for a log line into "out" (at most "n" bytes, NUL-terminated). */
void	 log_escape(char *out, size_t n, const char *s);

#endif

/* timeutil.h: UTC instants, ISO-8601 text, and Asia/Shanghai display. */
#ifndef XZ_TIMEUTIL_H
#define XZ_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Times are kept as milliseconds since the Unix epoch (UTC) in memory and as
 * "YYYY-MM-DDTHH:MM:SS.mmmZ" in the database, which sorts as text.  China has
 * no daylight saving time, so Asia/Shanghai is always UTC+8 and is applied by
 * arithmetic rather than through the C library's locale-dependent TZ.
 */
#define TIME_CN_OFFSET_MS	(8LL * 3600 * 1000)
#define TIME_ISO_LEN		32	/* incl. NUL; the text is 24 bytes */

int64_t	 time_now_ms(void);
void	 time_set_offset_ms(int64_t);	/* tests: shift "now" */
int64_t	 time_mono_ms(void);
int	 time_synchronised(void);	/* NTP: 1 yes, 0 no, -1 unknown */

/* Format "ms" as stored UTC text into "out" (TIME_ISO_LEN bytes). */
void	 time_iso_utc(int64_t ms, char out[TIME_ISO_LEN]);
/* Parse stored UTC text; returns 0, or -1 if "s" is not of that form. */
int	 time_parse_utc(const char *s, int64_t *ms);
/* "2026-11-29T14:00:00+08:00" in Asia/Shanghai (26 bytes). */
void	 time_iso_cn(int64_t ms, char out[32]);
/* "2026-11-29T14:00:00.123+08:00" in Asia/Shanghai (40 bytes). */
void	 time_iso_cn_ms(int64_t ms, char out[40]);
/* "2026-11-29 14:00" in Asia/Shanghai. */
void	 time_show_cn(int64_t ms, char out[32]);

/* Civil dates as days since 1970-01-01 (proleptic Gregorian). */
int64_t	 date_from_ymd(int y, int m, int d);
void	 date_to_ymd(int64_t days, int *y, int *m, int *d);
int	 date_weekday(int64_t days);	/* 1 = Monday ... 7 = Sunday */
bool	 date_valid(int y, int m, int d);
/* Today's date in Asia/Shanghai. */
int64_t	 date_today_cn(void);
/* "2026-01-05". */
void	 date_iso(int64_t days, char out[11]);
/* "2026年1月5日". */
void	 date_cn(int64_t days, char out[32]);
/*
 * Parse a date as users type it: 2026-01-05, 2026/1/5, 2026.1.5, 20260105,
 * 2026年1月5日.  Returns 0 and the day number, or -1.
 */
int	 date_parse(const char *s, int64_t *days);

#endif

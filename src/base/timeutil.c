/* timeutil.c: UTC instants, ISO-8601 text and civil-date arithmetic. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/timex.h>

#include "base/timeutil.h"

static _Atomic int64_t	 now_offset_ms;

int64_t
time_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    atomic_load(&now_offset_ms);
}

void
time_set_offset_ms(int64_t off)
{
	atomic_store(&now_offset_ms, off);
}

int64_t
time_mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Whether the kernel believes its clock is kept by NTP (chrony,
 * systemd-timesyncd): 1 yes, 0 no, -1 cannot tell.  Audit times are only as
 * good as this clock (等保 8.1.4.3, ASVS 7.3.4).
 */
int
time_synchronised(void)
{
	struct timex	 tx;
	int		 st;

	memset(&tx, 0, sizeof(tx));
	if ((st = ntp_adjtime(&tx)) == -1)
		return -1;
	return st != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
}

/* Howard Hinnant's days_from_civil. */
int64_t
date_from_ymd(int y, int m, int d)
{
	int64_t		 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_to_ymd(int64_t z, int *y, int *m, int *d)
{
	int64_t		 era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
date_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t	 w = (days + 3) % 7;

	if (w < 0)
		w += 7;
	return (int)w + 1;
}

bool
date_valid(int y, int m, int d)
{
	static const int	 mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int			 leap, max;

	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
		return false;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	max = mdays[m - 1] + (m == 2 && leap);
	return d <= max;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t	 q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static void
split_ms(int64_t ms, int64_t *days, int *h, int *mi, int *s, int *milli)
{
	int64_t	 rem;

	*days = floor_div(ms, 86400000);
	rem = ms - *days * 86400000;
	*h = (int)(rem / 3600000);
	*mi = (int)(rem / 60000 % 60);
	*s = (int)(rem / 1000 % 60);
	*milli = (int)(rem % 1000);
}

void
time_iso_utc(int64_t ms, char out[TIME_ISO_LEN])
{
	int64_t	 days;
	int	 y, mo, d, h, mi, s, milli;

	split_ms(ms, &days, &h, &mi, &s, &milli);
	date_to_ymd(days, &y, &mo, &d);
	snprintf(out, TIME_ISO_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    y, mo, d, h, mi, s, milli);
}

void
time_iso_cn(int64_t ms, char out[32])
{
	int64_t	 days;
	int	 y, mo, d, h, mi, s, milli;

	split_ms(ms + TIME_CN_OFFSET_MS, &days, &h, &mi, &s, &milli);
	date_to_ymd(days, &y, &mo, &d);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d+08:00",
	    y, mo, d, h, mi, s);
}

void
time_iso_cn_ms(int64_t ms, char out[40])
{
	int64_t	 days;
	int	 y, mo, d, h, mi, s, milli;

	split_ms(ms + TIME_CN_OFFSET_MS, &days, &h, &mi, &s, &milli);
	date_to_ymd(days, &y, &mo, &d);
	snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+08:00",
	    y, mo, d, h, mi, s, milli);
}

void
time_show_cn(int64_t ms, char out[32])
{
	int64_t	 days;
	int	 y, mo, d, h, mi, s, milli;

	split_ms(ms + TIME_CN_OFFSET_MS, &days, &h, &mi, &s, &milli);
	date_to_ymd(days, &y, &mo, &d);
	snprintf(out, 32, "%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi);
}

static int
digits(const char *s, int n, int *v)
{
	int	 i, r = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		r = r * 10 + (s[i] - '0');
	}
	*v = r;
	return 0;
}

int
time_parse_utc(const char *s, int64_t *ms)
{
	int	 y, mo, d, h, mi, sec, milli = 0;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
	    digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) ||
	    digits(s + 17, 2, &sec))
		return -1;
	s += 19;
	if (*s == '.') {
		if (digits(s + 1, 3, &milli))
			return -1;
		s += 4;
	}
	if (strcmp(s, "Z") != 0 || !date_valid(y, mo, d) || h > 23 ||
	    mi > 59 || sec > 59)
		return -1;
	*ms = date_from_ymd(y, mo, d) * 86400000 + h * 3600000LL +
	    mi * 60000LL + sec * 1000LL + milli;
	return 0;
}

int64_t
date_today_cn(void)
{
	return floor_div(time_now_ms() + TIME_CN_OFFSET_MS, 86400000);
}

void
date_iso(int64_t days, char out[11])
{
	int	 y, m, d;

	date_to_ymd(days, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000,
	    (unsigned)m % 100, (unsigned)d % 100);
}

void
date_cn(int64_t days, char out[32])
{
	int	 y, m, d;

	date_to_ymd(days, &y, &m, &d);
	snprintf(out, 32, "%d年%d月%d日", y, m, d);
}

/* Read 1..max digits; returns the count read, 0 if none. */
static int
read_num(const char **sp, int max, int *v)
{
	const char	*s = *sp;
	int		 n = 0, r = 0;

	while (n < max && s[n] >= '0' && s[n] <= '9') {
		r = r * 10 + (s[n] - '0');
		n++;
	}
	if (n > 0 && s[n] >= '0' && s[n] <= '9')
		return 0;	/* too many digits */
	*v = r;
	*sp = s + n;
	return n;
}

/* Skip one separator: - / . or a Chinese year/month mark; returns 1 if any. */
static int
skip_sep(const char **sp, const char *cjk)
{
	const char	*s = *sp;

	if (*s == '-' || *s == '/' || *s == '.') {
		*sp = s + 1;
		return 1;
	}
	if (cjk != NULL && strncmp(s, cjk, strlen(cjk)) == 0) {
		*sp = s + strlen(cjk);
		return 1;
	}
	return 0;
}

int
date_parse(const char *s, int64_t *days)
{
	int	 y, m, d, n;

	while (*s == ' ')
		s++;
	if (strlen(s) >= 8 && read_num(&(const char *){ s }, 8, &n) == 8) {
		/* 20260105 */
		y = n / 10000;
		m = n / 100 % 100;
		d = n % 100;
		s += 8;
	} else {
		if (read_num(&s, 4, &y) != 4 || !skip_sep(&s, "年"))
			return -1;
		if (read_num(&s, 2, &m) == 0 || !skip_sep(&s, "月"))
			return -1;
		if (read_num(&s, 2, &d) == 0)
			return -1;
		if (strncmp(s, "日", strlen("日")) == 0)
			s += strlen("日");
	}
	while (*s == ' ')
		s++;
	if (*s != '\0' || !date_valid(y, m, d))
		return -1;
	*days = date_from_ymd(y, m, d);
	return 0;
}

/* validate.c: checks of Chinese phone numbers, ID numbers and names. */
#include <string.h>

#include "base/str.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "org/validate.h"

int
phone_normalise(const char *in, char out[12])
{
	size_t	 n = 0;

	if (strncmp(in, "+86", 3) == 0)
		in += 3;
	for (; *in != '\0'; in++) {
		if (*in == ' ' || *in == '-')
			continue;
		if (*in < '0' || *in > '9' || n == 11)
			return -1;
		out[n++] = *in;
	}
	out[n] = '\0';
	return n == 11 && out[0] == '1' ? 0 : -1;
}

void
phone_mask(const char *d, char out[12])
{
	if (strlen(d) != 11) {
		str_copy(out, "***", 12);
		return;
	}
	memcpy(out, d, 3);
	memcpy(out + 3, "****", 4);
	memcpy(out + 7, d + 7, 4);
	out[11] = '\0';
}

int
idno_normalise(const char *in, char out[19])
{
	static const int	 w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9,
	    10, 5, 8, 4, 2 };
	static const char	 check[] = "10X98765432";
	int			 i, sum = 0, y, m, d;

	if (strlen(in) != 18)
		return -1;
	for (i = 0; i < 17; i++) {
		if (in[i] < '0' || in[i] > '9')
			return -1;
		sum += (in[i] - '0') * w[i];
		out[i] = in[i];
	}
	out[17] = in[17] == 'x' ? 'X' : in[17];
	out[18] = '\0';
	if (out[17] != check[sum % 11])
		return -1;
	y = (out[6] - '0') * 1000 + (out[7] - '0') * 100 + (out[8] - '0') * 10 +
	    (out[9] - '0');
	m = (out[10] - '0') * 10 + (out[11] - '0');
	d = (out[12] - '0') * 10 + (out[13] - '0');
	if (!date_valid(y, m, d) || date_from_ymd(y, m, d) > date_today_cn())
		return -1;	/* no such day, or not born yet */
	return 0;
}

void
idno_mask(const char *id, char out[19])
{
	if (strlen(id) != 18) {
		str_copy(out, "***", 19);
		return;
	}
	memcpy(out, id, 6);
	memset(out + 6, '*', 8);
	memcpy(out + 14, id + 14, 4);
	out[18] = '\0';
}

void
name_mask(const char *name, char *out, size_t n)
{
	size_t	 len = strlen(name), first, chars, o = 0, k;

	if (n < 8) {
		if (n)
			out[0] = '\0';
		return;
	}
	first = utf8_seqlen(name, len);
	if (first == 0) {
		str_copy(out, "*", n);
		return;
	}
	chars = utf8_len(name);
	memcpy(out, name, first);
	o = first;
	out[o++] = '*';
	if (chars >= 3) {
		/* Keep the last character: 张*明. */
		k = len;
		while (k > 0 && ((unsigned char)name[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0)
			k--;
		if (o + (len - k) < n) {
			memcpy(out + o, name + k, len - k);
			o += len - k;
		}
	}
	out[o] = '\0';
}

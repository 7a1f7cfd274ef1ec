/* router.c: segment-by-segment path matching with :captures. */
#include <string.h>

#include "http/router.h"

bool
router_match(const char *pat, const char *path, struct arena *a,
    struct kvlist *params)
{
	const char	*caps[8][2];	/* name, value start */
	size_t		 caplen[8][2];
	size_t		 ncap = 0, i, n;
	const char	*pe, *se, *dot;
	size_t		 sfx;

	while (*pat != '\0' && *path != '\0') {
		if (*pat != '/' || *path != '/')
			return false;
		pat++;
		path++;
		pe = strchr(pat, '/');
		if (pe == NULL)
			pe = pat + strlen(pat);
		se = strchr(path, '/');
		if (se == NULL)
			se = path + strlen(path);
		if (*pat == '*') {
			if (*path == '\0' || ncap == 8)
				return false;
			caps[ncap][0] = pat + 1;
			caplen[ncap][0] = (size_t)(pe - pat - 1);
			caps[ncap][1] = path;
			caplen[ncap][1] = strlen(path);
			ncap++;
			pat = pe;
			path += strlen(path);
			break;
		}
		if (*pat == ':') {
			if (se == path || ncap == 8)
				return false;
			/* ":id.xlsx": the segment must end in ".xlsx". */
			dot = memchr(pat, '.', (size_t)(pe - pat));
			sfx = dot ? (size_t)(pe - dot) : 0;
			if (dot != NULL && ((size_t)(se - path) <= sfx ||
			    memcmp(se - sfx, dot, sfx) != 0))
				return false;
			caps[ncap][0] = pat + 1;
			caplen[ncap][0] = (size_t)((dot ? dot : pe) - pat - 1);
			caps[ncap][1] = path;
			caplen[ncap][1] = (size_t)(se - path) - sfx;
			ncap++;
		} else if ((size_t)(pe - pat) != (size_t)(se - path) ||
		    memcmp(pat, path, (size_t)(pe - pat)) != 0)
			return false;
		pat = pe;
		path = se;
	}
	if (*pat != '\0' || *path != '\0')
		return false;
	for (i = 0; i < ncap; i++) {
		n = caplen[i][1];
		kv_add(a, params, arena_strndup(a, caps[i][0], caplen[i][0]),
		    arena_strndup(a, caps[i][1], n), n);
	}
	return true;
}

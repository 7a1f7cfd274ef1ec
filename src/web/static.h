/* static.h: files under /static/, embedded in the binary. */
#ifndef XZ_STATIC_H
#define XZ_STATIC_H

#include <stdbool.h>

#include "http/http.h"

/* Serve /static/NAME with ETag and gzip; false if "r" is not for one. */
bool	 static_serve(struct req *, struct resp *);

#endif

/* rating_web.h: routes of the public rating page; helpers for modules. */
#ifndef XZ_RATING_WEB_H
#define XZ_RATING_WEB_H

#include <stdint.h>

struct web;

int	 rating_page(struct web *);	/* GET /r/:token */
int	 rating_post(struct web *);	/* POST /r/:token */
int	 rating_thanks(struct web *);	/* GET /r/thanks */
int	 rating_qr(struct web *);	/* GET /r/:token/qr.svg */

/* The absolute link of "path" ("/r/<token>") for QR codes and messages. */
const char *rating_url(struct web *, const char *path);
/* Answer with an SVG QR code of the absolute link of "path". */
int	 rating_svg(struct web *, const char *path);
/* Today (Asia/Shanghai) by the request's clock. */
int64_t	 rating_today(const struct web *);

#endif

/* qr.c: QR codes as SVG through libqrencode: one path, crisp when printed. */
#include <qrencode.h>

#include "base/buf.h"
#include "rating/qr.h"

#define QUIET	4	/* modules of white border the standard asks for */

int
qr_svg(struct buf *out, const char *text)
{
	QRcode	*q;
	int	 x, y, n, size;

	q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (q == NULL)
		return -1;
	n = q->width;
	size = n + 2 * QUIET;
	buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\""
	    " viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
	    " shape-rendering=\"crispEdges\" role=\"img\""
	    " aria-label=\"二维码\"><rect width=\"%d\" height=\"%d\""
	    " fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size, size * 8,
	    size * 8, size, size);
	for (y = 0; y < n; y++)
		for (x = 0; x < n; x++)
			if (q->data[y * n + x] & 1)
				buf_addf(out, "M%d %dh1v1h-1z", x + QUIET,
				    y + QUIET);
	buf_adds(out, "\"/></svg>\n");
	QRcode_free(q);
	return 0;
}

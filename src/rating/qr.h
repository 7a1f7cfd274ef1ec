/* qr.h: QR codes as SVG (libqrencode), for printed rating links. */
#ifndef XZ_QR_H
#define XZ_QR_H

struct buf;

/*
 * Append to "out" an SVG of "text" as a QR code (error correction M, a
 * quiet zone of four modules, one <path> of dark modules, scalable).
 * 0, or -1 if the text does not encode.
 */
int	 qr_svg(struct buf *out, const char *text);

#endif

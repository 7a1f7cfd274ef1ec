/* conntrack.h: close connections that never finish sending a request. */
#ifndef XZ_CONNTRACK_H
#define XZ_CONNTRACK_H

/*
 * libmicrohttpd's connection timeout restarts on every byte received, so a
 * client that sends one header byte every few seconds (slowloris) holds its
 * connection, and its slot in the connection limit, for ever.  The tracker
 * gives each connection a deadline instead: its request headers must be in
 * within the timeout (and CONNTRACK_GRACE_MS) of the connection opening, or of
 * the previous response ending on a kept-alive connection.  When three quarters of "limit" are in
 * use, the deadline shrinks to CONNTRACK_PRESSURE_MS; past "limit", each new
 * connection closes the one that has waited longest for its headers.  Real
 * clients send their headers in one packet and are never the ones waiting,
 * so slow clients from many addresses cannot keep them out.  "limit" is set
 * below libmicrohttpd's own, which refuses new connections outright.
 *
 * Only server.c uses this; every call is safe from any MHD thread.
 */
#define CONNTRACK_PRESSURE_MS	3000
/*
 * The deadline is the timeout plus this grace: a silent connection meets
 * libmicrohttpd's own idle timeout first, as it always did, and only one that
 * keeps trickling bytes is closed here; a request whose bytes have arrived
 * but not yet been read by a busy worker is not cut off at the same instant.
 */
#define CONNTRACK_GRACE_MS	2000

struct conntrack;
struct conntrack_conn;

struct conntrack *conntrack_start(unsigned timeout_s, unsigned limit);
void		 conntrack_stop(struct conntrack *);
/* A new connection on socket "fd"; NULL (untracked) when out of memory. */
struct conntrack_conn *conntrack_open(struct conntrack *, int fd);
/* The connection is gone: called before its socket is closed. */
void		 conntrack_close(struct conntrack *, struct conntrack_conn *);
/* Its request headers are in: no deadline while the request runs. */
void		 conntrack_busy(struct conntrack *, struct conntrack_conn *);
/* Its response is done: the next request's deadline starts now. */
void		 conntrack_idle(struct conntrack *, struct conntrack_conn *);

#endif

/* web.h: what a route handler sees: the request, the actor, the model. */
#ifndef XZ_WEB_H
#define XZ_WEB_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "http/http.h"
#include "org/scope.h"

struct db;
struct web;

enum route_scope {
	SCOPE_PUBLIC,		/* no sign-in, no data beyond public */
	SCOPE_OWN,		/* the actor's own account */
	SCOPE_TOWNSHIP,		/* the whole township */
	SCOPE_VILLAGE		/* village cadres see their village only */
};

enum route_flags {
	ROUTE_UPLOAD = 1,	/* body up to HTTP_MAX_UPLOAD */
	ROUTE_ANY_STATE = 2,	/* reachable while a password change is due */
	ROUTE_REAUTH = 4,	/* needs a password entered within 5 minutes */
	ROUTE_CACHE = 8		/* a GET whose answer depends only on the data
				   and the session: see web/pagecache.h */
};

/*
 * One row of the route table (src/web/routes.c).  A row serves a page
 * ("path", rendered through "tmpl") and its JSON twin ("api"); either may
 * be NULL.  "roles" lists who may call it; 0 means the public.
 */
struct route {
	unsigned	 method;
	const char	*path;
	unsigned	 api_method;
	const char	*api;
	int		(*handler)(struct web *);
	const char	*tmpl;
	const char	*title;
	unsigned	 roles;
	enum route_scope scope;
	unsigned	 flags;
};

/*
 * The state of one request inside the application.  Handlers read input
 * with input_*() (web/input.h), build "model" (a JSON object they own) and
 * return an HTTP status; errors are set with web_fail().  A successful page
 * POST sets "location" and returns 303 (the API twin then answers with the
 * model and the status in "api_status").
 */
struct web {
	struct req		*req;
	struct resp		*resp;
	struct db		*db;
	const struct route	*route;
	bool			 api;
	bool			 bearer;
	struct actor		 actor;
	struct scope		 scope;
	bool			 has_session;
	unsigned char		 session_hash[32];
	const char		*csrf;		/* to embed in forms */
	json_t			*model;
	const char		*location;
	int			 api_status;	/* status for the API twin */
	const char		*tmpl;		/* overrides route->tmpl */
	const char		*title;		/* overrides route->title */
	struct {
		const char	*code;
		const char	*message;
		const char	*field;
	}			 err;
	json_t			*json;		/* JSON request body */
	struct kvlist		 form;		/* form fields */
	struct partlist		 parts;		/* multipart parts */
	struct kvlist		 params;	/* route captures */
	int64_t			 now;		/* ms since the epoch, UTC */
	int			 retry_after;	/* seconds, with 429/503 */
	bool			 raw;		/* handler wrote resp itself */
	bool			 print;		/* render in the print frame */
	int64_t			 cache_version;	/* > 0: store the answer */
	unsigned char		 cache_key[32];
	bool			 cache_served;
	bool			 cache_gz;
	const char		*set_cookie[3];
};

/* Set the error a handler answers with; returns "status". */
int	 web_fail(struct web *, int status, const char *code,
	    const char *message, const char *field);
/* Map a database failure to 503 (storage) or 500, with a Chinese message. */
int	 web_db_fail(struct web *, int rc);
/* 404 with the usual message. */
int	 web_not_found(struct web *);
/* A successful page POST: go to "location" (303); the API answers "status". */
int	 web_done(struct web *, int status, const char *location);
/* A route capture parsed as a positive id, or 0. */
int64_t	 web_param_id(struct web *, const char *name);
/* The audit actor for this request. */
struct audit_actor web_audit_actor(const struct web *);
/* Does the actor hold any of "roles"? */
bool	 web_can(const struct web *, unsigned roles);
/* A string in the arena, formatted. */
char	*web_printf(struct web *, const char *, ...) PRINTFLIKE(2, 3);
/* Add a Set-Cookie header. */
void	 web_set_cookie(struct web *, const char *cookie);
/* The session cookie's name: "__Host-xz" over TLS, "xz" otherwise. */
const char *web_cookie_name(const struct web *);


#endif

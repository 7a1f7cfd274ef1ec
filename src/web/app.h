/* app.h: the application behind the HTTP server. */
#ifndef XZ_APP_H
#define XZ_APP_H

#include <stdbool.h>

#include "http/http.h"

struct app_config {
	bool		 strict;	/* templates: a missing name is an error */
	const char	*public_url;	/* "http://127.0.0.1:8080", for links */
	const char	*trusted_proxy;	/* address of nginx in front, or NULL */
};

/* Load templates and check the route table; -1 (logged) on failure. */
int	 app_init(const struct app_config *);
void	 app_free(void);
/* Prepare every SQL statement against the database: start-up self-test. */
int	 app_selftest(void);

extern const struct http_app app_http;

/* The base URL for links handed to people (activation, ratings). */
const char *app_public_url(void);
bool	 app_public_url_set(void);

#endif

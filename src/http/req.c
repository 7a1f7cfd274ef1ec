/* req.c: small accessors for requests and responses. */
#include <string.h>

#include "http/http.h"

const char *
req_header(const struct req *r, const char *name)
{
	return kv_get(&r->headers, name);
}

const char *
req_cookie(const struct req *r, const char *name)
{
	return kv_get(&r->cookies, name);
}

const char *
req_query(const struct req *r, const char *name)
{
	return kv_get(&r->query, name);
}

void
resp_header(struct req *r, struct resp *rs, const char *name,
    const char *value)
{
	kv_add(&r->arena, &rs->headers, name, value, strlen(value));
}

enum http_method
http_method_parse(const char *m)
{
	static const struct {
		const char		*name;
		enum http_method	 m;
	} tab[] = {
		{ "GET", HTTP_GET }, { "POST", HTTP_POST },
		{ "PUT", HTTP_PUT }, { "PATCH", HTTP_PATCH },
		{ "DELETE", HTTP_DELETE }, { "HEAD", HTTP_HEAD },
		{ "OPTIONS", HTTP_OPTIONS },
	};
	size_t	 i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(m, tab[i].name) == 0)
			return tab[i].m;
	return HTTP_OTHER;
}

const char *
http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

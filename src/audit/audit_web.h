/* audit_web.h: the auditor's pages. */
#ifndef XZ_AUDIT_WEB_H
#define XZ_AUDIT_WEB_H

struct web;

int	 audit_page(struct web *);
int	 audit_verify_post(struct web *);

#endif

/* enterprise_import.h: the two responsibility lists (包抓/包保) from CSV. */
#ifndef XZ_ENTERPRISE_IMPORT_H
#define XZ_ENTERPRISE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "org/import.h"
#include "org/scope.h"

struct audit_actor;
struct db;

/*
 * What an enterprise import found: the people import's report (errors,
 * rows, refusal) plus which list it was ("lead": 领导包抓企业责任清单,
 * "keep": 干部包保责任清单) and what it does or would do: enterprises
 * created and updated, patrons assigned.  "preview" (owned) lists the
 * rows: {line, name, village, patron, action, patron_change}.
 */
struct ent_import {
	struct import_report	 rep;
	const char		*list;
	size_t			 created;
	size_t			 updated;
	size_t			 assigned;
	json_t			*preview;
};

void	 ent_import_init(struct ent_import *);
void	 ent_import_release(struct ent_import *);

/*
 * Import one list (CSV, UTF-8 or GBK, in its published layout) into the
 * scope's township.  Every row is checked first; any bad row and nothing
 * is written.  A file with an account or password column (the published
 * 包保 list has both) is refused whole, the refusal reported per column
 * and audited.  Unless "dry_run", everything is written in one transaction
 * with one audit record "import.enterprises".  Patrons start "today".
 * Returns IMPORT_OK, IMPORT_INVALID or a DB_* code < 0.
 */
int	 ent_import_run(struct db *, const struct scope *, const char *data,
	    size_t len, bool dry_run, int64_t today,
	    const struct audit_actor *, int64_t now, struct ent_import *);

#endif

/* enterprise_import.c: the two responsibility lists (包抓/包保) from CSV. */
#include <csv.h>
#include <string.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "base/log.h"
#include "base/str.h"
#include "base/utf8.h"
#include "db/db.h"
#include "enterprise/enterprise.h"
#include "enterprise/enterprise_db.h"
#include "enterprise/enterprise_import.h"
#include "org/org.h"
#include "org/validate.h"

#define MAX_PREAMBLE	5	/* title rows above the header */
#define MAX_PREVIEW	500

/* The columns of the published lists. */
enum col {
	C_SEQ, C_NAME, C_PLACE, C_PATRON, C_CONTACT, C_NOTE, C_PHONE, C_TEL,
	C__MAX, C_UNKNOWN = -1
};

static const struct {
	const char	*header;
	enum col	 col;
} headers[] = {
	{ "序号", C_SEQ },
	{ "企业社名称", C_NAME },
	{ "企业名称", C_NAME },
	{ "包保企业", C_NAME },
	{ "经营场所", C_PLACE },
	{ "包抓领导", C_PATRON },
	{ "责任人", C_PATRON },
	{ "企业联系人", C_CONTACT },
	{ "备注", C_NOTE },
	{ "电话", C_PHONE },		/* the 责任人's own: not stored here */
	{ "企业电话", C_TEL },
};

/* One record of the file, cells trimmed, in the arena. */
struct rec {
	size_t		 line;
	char		*cells[IMPORT_MAX_COLS];
	size_t		 n;
};

struct ctx {
	struct arena	*a;
	struct rec	*recs;
	size_t		 nrecs, cap;
	struct rec	 cur;
	size_t		 line;
	bool		 prev_cr;
	bool		 too_many;
};

/* A row found valid, ready to write. */
struct row {
	size_t		 line;
	struct ent_in	 in;
	int64_t		 patron;
	const char	*patron_name;
	const char	*village;
};

void
ent_import_init(struct ent_import *r)
{
	memset(r, 0, sizeof(*r));
	import_report_init(&r->rep);
	r->preview = json_array();
}

void
ent_import_release(struct ent_import *r)
{
	import_report_release(&r->rep);
	json_decref(r->preview);
	r->preview = NULL;
}

static void
on_field(void *data, size_t len, void *arg)
{
	struct ctx	*c = arg;
	const char	*s = data ? data : "";
	size_t		 b = 0, e = len;

	c->prev_cr = false;
	if (c->cur.n == IMPORT_MAX_COLS)
		return;
	if (len > IMPORT_MAX_CELL)
		e = b = 0;
	while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' ||
	    s[b] == '\n'))
		b++;
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' ||
	    s[e - 1] == '\r' || s[e - 1] == '\n'))
		e--;
	c->cur.cells[c->cur.n++] = arena_strndup(c->a, s + b, e - b);
}

static void
on_record(int term, void *arg)
{
	struct ctx	*c = arg;
	struct rec	*grown;
	size_t		 i;
	bool		 blank = true;

	/* The LF of a CRLF ends nothing: CSV_REPALL_NL reports both. */
	if (term == '\n' && c->prev_cr && c->cur.n == 0) {
		c->prev_cr = false;
		return;
	}
	for (i = 0; i < c->cur.n; i++)
		if (c->cur.cells[i][0] != '\0')
			blank = false;
	c->cur.line = c->line++;
	c->prev_cr = term == '\r';
	if (!blank && c->nrecs < IMPORT_MAX_ROWS + MAX_PREAMBLE + 1) {
		if (c->nrecs == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 64;
			grown = arena_alloc(c->a, c->cap * sizeof(*grown));
			if (c->nrecs)
				memcpy(grown, c->recs, c->nrecs *
				    sizeof(*grown));
			c->recs = grown;
		}
		c->recs[c->nrecs++] = c->cur;
	} else if (!blank)
		c->too_many = true;
	c->cur.n = 0;
}

static enum col
col_of(const char *clean)
{
	size_t	 i;

	for (i = 0; i < NELEM(headers); i++)
		if (strcmp(headers[i].header, clean) == 0)
			return headers[i].col;
	return C_UNKNOWN;
}

/* Is the record the header (it names the enterprise column)? */
static bool
is_header(struct ctx *c, const struct rec *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (col_of(import_header(c->a, r->cells[i])) == C_NAME)
			return true;
	return false;
}

/* The village whose name the place is or starts with, or NULL. */
static const json_t *
village_of(const json_t *villages, const char *place)
{
	const json_t	*v;
	const char	*name;
	size_t		 i;

	json_array_foreach(villages, i, v) {
		name = json_string_value(json_object_get(v, "name"));
		if (name != NULL && *name != '\0' &&
		    strncmp(place, name, strlen(name)) == 0)
			return v;
	}
	return NULL;
}

/* A phone cell: NULL when empty, "" when bad (reported), else 11 digits. */
static const char *
phone_cell(struct ent_import *r, struct arena *a, size_t line,
    const char *column, const char *s)
{
	char	 d[12];

	if (s == NULL || *s == '\0')
		return NULL;
	if (strchr(s, '*') != NULL || strstr(s, "＊") != NULL) {
		import_report_add(&r->rep, line, column,
		    "号码不完整（含*号，是打码后的号码）。请填写完整的11位"
		    "手机号，系统保存后只显示打码号码。");
		return "";
	}
	if (phone_normalise(s, d) != 0) {
		import_report_add(&r->rep, line, column,
		    "应为11位手机号码（如 13912345678）。");
		return "";
	}
	return arena_strdup(a, d);
}

struct layout {
	int	 where[C__MAX];		/* cell index, or -1 */
	char	*names[IMPORT_MAX_COLS];
};

static const char *
cell(const struct rec *r, const struct layout *l, enum col c)
{
	int	 i = l->where[c];

	return i < 0 || (size_t)i >= r->n ? "" : r->cells[i];
}

/*
 * The header: forbidden columns refuse the file (all are reported), the
 * others must be known.  0, or -1 when the import cannot go on.
 */
static int
read_header(struct ctx *c, const struct rec *h, struct layout *l,
    struct ent_import *r)
{
	const char	*why;
	enum col	 col;
	size_t		 i;

	for (i = 0; i < C__MAX; i++)
		l->where[i] = -1;
	for (i = 0; i < h->n; i++) {
		l->names[i] = (char *)import_header(c->a, h->cells[i]);
		if ((why = import_forbidden(c->a, h->cells[i])) == NULL)
			continue;
		import_report_add(&r->rep, h->line, l->names[i], "%s",
		    strcmp(why, "password_column") == 0 ?
		    "是密码列：系统拒绝导入密码。" :
		    "是账号列：系统不导入账号。");
		if (r->rep.refused == NULL ||
		    strcmp(why, "password_column") == 0)
			r->rep.refused = why;
	}
	if (r->rep.refused != NULL) {
		import_report_add(&r->rep, 0, NULL, "文件含有账号或密码列，"
		    "已整体拒绝导入，什么也没有保存。请删除这些列后重新导入；"
		    "干部的账号由系统管理员创建，本人通过一次性激活链接设置"
		    "密码。");
		return -1;
	}
	for (i = 0; i < h->n; i++) {
		if (l->names[i][0] == '\0')
			continue;
		if ((col = col_of(l->names[i])) == C_UNKNOWN) {
			import_report_add(&r->rep, h->line, l->names[i],
			    "是无法识别的列（第%zu列）。可导入的列：序号、"
			    "企业社名称、经营场所、包抓领导、企业联系人、备注"
			    "（领导包抓企业责任清单），或 责任人、电话、包保"
			    "企业、企业电话（干部包保责任清单）。", i + 1);
			continue;
		}
		if (l->where[col] >= 0) {
			import_report_add(&r->rep, h->line, l->names[i],
			    "重复（第%zu列），请只保留一列。", i + 1);
			continue;
		}
		l->where[col] = (int)i;
	}
	if (l->where[C_PATRON] < 0)
		import_report_add(&r->rep, h->line, NULL, "缺少“包抓领导”"
		    "或“责任人”列。");
	if (r->rep.nerrors > 0)
		return -1;
	r->list = strcmp(l->names[l->where[C_PATRON]], "包抓领导") == 0 ?
	    "lead" : "keep";
	return 0;
}

/* Check one data row, filling "out": 1 when good, 0 when bad, or < 0. */
static int
check_row(struct db *db, const struct scope *sc, struct ctx *c,
    const struct rec *rec, const struct layout *l, const json_t *villages,
    const char **carry, struct ent_import *r, struct row *out)
{
	const char	*name = cell(rec, l, C_NAME), *patron;
	const char	*place = cell(rec, l, C_PLACE), *cname, *cphone;
	const json_t	*v;
	char		*buf;
	size_t		 before = r->rep.nerrors, len;
	int64_t		 pid;
	int		 n, rc;

	memset(out, 0, sizeof(*out));
	out->line = rec->line;
	patron = cell(rec, l, C_PATRON);
	/* 包保: one cadre, several enterprises (merged cells). */
	if (*patron == '\0' && strcmp(r->list, "keep") == 0)
		patron = *carry;
	else if (*patron != '\0')
		*carry = patron;
	len = utf8_len(name);
	if (*name == '\0')
		import_report_add(&r->rep, rec->line, l->names[l->where[C_NAME]],
		    "不能为空。");
	else if (len < 2 || len > 60)
		import_report_add(&r->rep, rec->line, l->names[l->where[C_NAME]],
		    "应为2到60个字。");
	if (patron == NULL || *patron == '\0')
		import_report_add(&r->rep, rec->line,
		    l->names[l->where[C_PATRON]], "不能为空。");
	else {
		if ((rc = ent_cadre_by_name(db, sc, patron, &pid, &n)) != DB_OK)
			return rc;
		if (n == 0)
			import_report_add(&r->rep, rec->line,
			    l->names[l->where[C_PATRON]], "不在本乡登记的干部"
			    "中。请先在“人员”中登记（姓名须与名单一致）。");
		else if (n > 1)
			import_report_add(&r->rep, rec->line,
			    l->names[l->where[C_PATRON]], "有%d名同名干部，"
			    "无法确定是谁。请在系统中指派。", n);
		out->patron = pid;
		out->patron_name = patron;
	}
	out->in.name = name;
	out->in.kind = ent_kind_guess(name);
	out->in.place = place;
	out->in.note = cell(rec, l, C_NOTE);
	if (utf8_len(place) > 100)
		import_report_add(&r->rep, rec->line,
		    l->names[l->where[C_PLACE]], "不能超过100个字。");
	if (*place != '\0' && (v = village_of(villages, place)) != NULL) {
		out->in.village_id = json_integer_value(json_object_get(v,
		    "id"));
		out->village = json_string_value(json_object_get(v, "name"));
	}
	if (l->where[C_CONTACT] >= 0 && *cell(rec, l, C_CONTACT) != '\0') {
		len = strlen(cell(rec, l, C_CONTACT)) + 2;
		buf = arena_alloc(c->a, len);
		ent_contact_split(cell(rec, l, C_CONTACT), buf, len, &cname,
		    &cphone);
		if (utf8_len(cname) > 32)
			import_report_add(&r->rep, rec->line,
			    l->names[l->where[C_CONTACT]],
			    "姓名不能超过32个字。");
		out->in.contact = cname;
		out->in.phone = phone_cell(r, c->a, rec->line,
		    l->names[l->where[C_CONTACT]], cphone);
	}
	if (l->where[C_TEL] >= 0)
		out->in.tel = phone_cell(r, c->a, rec->line,
		    l->names[l->where[C_TEL]], cell(rec, l, C_TEL));
	return r->rep.nerrors == before;
}

/* Parse the file into records; -1 when it cannot be read (reported). */
static int
parse(struct arena *a, const char *data, size_t len, struct ctx *c,
    struct ent_import *r)
{
	struct csv_parser	 p;
	const char		*bad, *enc;
	char			*text, why[512];
	size_t			 tlen;

	if (len > IMPORT_MAX_BYTES || len == 0) {
		import_report_add(&r->rep, 0, NULL, len ? "文件太大：一次最多"
		    "导入 %u MB。" : "文件是空的。", IMPORT_MAX_BYTES >> 20);
		return -1;
	}
	if ((bad = import_not_csv(data, len)) != NULL) {
		import_report_add(&r->rep, 0, NULL, "%s", bad);
		return -1;
	}
	if (import_decode(a, data, len, &text, &tlen, &enc, why,
	    sizeof(why)) != 0) {
		import_report_add(&r->rep, 0, NULL, "%s", why);
		return -1;
	}
	memset(c, 0, sizeof(*c));
	c->a = a;
	c->line = 1;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
	    CSV_REPALL_NL) != 0)
		return error("enterprise import: cannot start the CSV parser");
	if (csv_parse(&p, text, tlen, on_field, on_record, c) != tlen ||
	    csv_fini(&p, on_field, on_record, c) != 0) {
		import_report_add(&r->rep, c->line, NULL, "CSV 格式错误："
		    "引号不成对。请用 Excel 或 WPS 打开后另存为 CSV 再导入。");
		csv_free(&p);
		return -1;
	}
	csv_free(&p);
	if (c->too_many) {
		import_report_add(&r->rep, 0, NULL, "行数太多：一次最多导入"
		    " %d 行。", IMPORT_MAX_ROWS);
		return -1;
	}
	return 0;
}

/* Write the checked rows: enterprises, then patrons, then one audit. */
static int
write_rows(struct db *db, const struct scope *sc, struct row *rows, size_t n,
    int64_t today, const struct audit_actor *who, int64_t now,
    struct arena *a, struct ent_import *r)
{
	json_t	*d;
	int64_t	 id;
	size_t	 i;
	bool	 changed;
	int	 rc = DB_OK;

	for (i = 0; i < n && rc == DB_OK; i++) {
		if ((id = ent_by_name(db, sc, rows[i].in.name)) < 0)
			return (int)id;
		if (id == 0)
			rc = ent_create(db, sc, &rows[i].in, a, who, now, &id);
		else
			rc = ent_fill(db, sc, id, &rows[i].in, a, who, now);
		if (rc == DB_OK)
			rc = ent_patron_assign(db, sc, id, r->list,
			    rows[i].patron, today, who, now, &changed);
	}
	if (rc != DB_OK)
		return rc;
	d = json_pack("{ss sI sI sI sI}", "list", r->list, "rows",
	    (json_int_t)n, "created", (json_int_t)r->created, "updated",
	    (json_int_t)r->updated, "assigned", (json_int_t)r->assigned);
	rc = audit_write(db, who, "import.enterprises", "enterprise", 0, true,
	    d);
	json_decref(d);
	return rc;
}

int
ent_import_run(struct db *db, const struct scope *sc, const char *data,
    size_t len, bool dry_run, int64_t today, const struct audit_actor *who,
    int64_t now, struct ent_import *r)
{
	struct arena	 a;
	struct ctx	 c;
	struct layout	 l;
	struct row	*rows = NULL;
	json_t		*villages = NULL, *d;
	const char	*carry = NULL;
	int64_t		 id, cur, from;
	size_t		 i, h, n = 0, k;
	int		 rc = IMPORT_INVALID;

	arena_init(&a);
	if (parse(&a, data, len, &c, r) != 0)
		goto out;
	for (h = 0; h < c.nrecs && h <= MAX_PREAMBLE; h++)
		if (is_header(&c, &c.recs[h]))
			break;
	if (h >= c.nrecs || h > MAX_PREAMBLE) {
		import_report_add(&r->rep, 0, NULL, "没有找到列名行：应有"
		    "“企业社名称”或“包保企业”列（领导包抓企业责任清单、干部"
		    "包保责任清单的原样表头）。");
		goto out;
	}
	if (read_header(&c, &c.recs[h], &l, r) != 0) {
		if (r->rep.refused != NULL) {
			d = json_pack("{ss}", "refused", r->rep.refused);
			(void)audit_write_alone(db, who, "import.enterprises",
			    "enterprise", 0, false, d);
			json_decref(d);
		}
		goto out;
	}
	if ((villages = org_village_options(db, sc, &rc)) == NULL)
		goto out;
	rc = IMPORT_INVALID;
	rows = arena_alloc(&a, (c.nrecs - h) * sizeof(*rows) + 1);
	for (i = h + 1; i < c.nrecs; i++) {
		r->rep.rows++;
		if ((rc = check_row(db, sc, &c, &c.recs[i], &l,
		    villages, &carry, r, &rows[n])) < 0)
			goto out;
		if (rc == 0)
			continue;
		for (k = 0; k < n; k++)
			if (strcmp(rows[k].in.name, rows[n].in.name) == 0)
				break;
		if (k < n) {
			import_report_add(&r->rep, rows[n].line,
			    l.names[l.where[C_NAME]], "与第%zu行是同一企业，"
			    "请只保留一行。", rows[k].line);
			continue;
		}
		n++;
		r->rep.ok++;
	}
	if (r->rep.rows == 0)
		import_report_add(&r->rep, 0, NULL, "文件只有列名，没有要导入"
		    "的企业。");
	if (r->rep.nerrors > 0) {
		r->rep.ok = 0;
		goto out;
	}
	/* What it does: new or known enterprises, patron changes. */
	for (i = 0; i < n; i++) {
		if ((id = ent_by_name(db, sc, rows[i].in.name)) < 0) {
			rc = (int)id;
			goto out;
		}
		cur = 0;
		if (id > 0 && (rc = ent_patron_now(db, id, r->list, &cur,
		    &from)) != DB_OK)
			goto out;
		if (id == 0)
			r->created++;
		else
			r->updated++;
		if (cur != rows[i].patron)
			r->assigned++;
		if (i < MAX_PREVIEW)
			json_array_append_new(r->preview, json_pack(
			    "{sI ss ss ss ss sb}", "line",
			    (json_int_t)rows[i].line, "name", rows[i].in.name,
			    "village", rows[i].village ? rows[i].village : "",
			    "patron", rows[i].patron_name, "action", id ?
			    "更新" : "新增", "patron_change",
			    cur != rows[i].patron));
	}
	rc = IMPORT_OK;
	if (dry_run)
		goto out;
	if ((rc = db_begin(db)) != DB_OK)
		goto out;
	rc = write_rows(db, sc, rows, n, today, who, now, &a, r);
	if ((rc = db_end(db, rc)) == DB_OK)
		r->rep.imported = true;
	else
		log_warn("enterprise import: not saved (rc %d)", rc);
out:
	json_decref(villages);
	arena_release(&a);
	return rc;
}

/* test-templates.c: every embedded template parses, links, renders, escapes. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "base/buf.h"
#include "base/embedded.h"
#include "html/tmpl.h"

#define HOSTILE		"<script>alert(1)</script>\"'&"
#define HOSTILE_URL	"javascript:alert(1)"
#define MAX_TMPL	128

static struct tmpl_set	*set;
static const char	*names[MAX_TMPL];	/* as view_init names them */
static const struct embedded *files[MAX_TMPL];
static size_t		 ntmpl;
static struct buf	 out;
static char		 err[512];
static const char	*hostile = HOSTILE;	/* what the sweep models hold */

/*
 * Load every embedded *.tmpl the way src/web/view.c view_init() does: the
 * name is the base name without ".tmpl".  Returns -1 with "err" set if one
 * does not parse.
 */
static int
load_all(void)
{
	static char		 store[MAX_TMPL][64];
	const struct embedded	*e;
	const char		*base, *dot;
	size_t			 i, n;

	ntmpl = 0;
	for (i = 0; i < embedded_nfiles; i++) {
		e = &embedded_files[i];
		dot = strrchr(e->name, '.');
		if (dot == NULL || strcmp(dot, ".tmpl") != 0)
			continue;
		base = strrchr(e->name, '/');
		base = base ? base + 1 : e->name;
		n = (size_t)(dot - base);
		cr_assert_lt(n, sizeof(store[0]), "name too long: %s", e->name);
		cr_assert_lt(ntmpl, MAX_TMPL);
		memcpy(store[ntmpl], base, n);
		store[ntmpl][n] = '\0';
		cr_assert_null(tmpl_get(set, store[ntmpl]),
		    "two templates are called '%s'", store[ntmpl]);
		if (tmpl_set_add(set, store[ntmpl], (const char *)e->data,
		    e->len, err, sizeof(err)) != 0)
			return -1;
		names[ntmpl] = store[ntmpl];
		files[ntmpl] = e;
		ntmpl++;
	}
	return 0;
}

static void
setup(void)
{
	set = tmpl_set_new();
	cr_assert_not_null(set);
	buf_init(&out, 0);
	err[0] = '\0';
}

static void
teardown(void)
{
	tmpl_set_free(set);
	buf_release(&out);
}

TestSuite(templates, .init = setup, .fini = teardown);

/* Load and link, failing the test with the parser's message. */
static void
load_and_link(void)
{
	cr_assert_eq(load_all(), 0, "%s", err);
	cr_assert_eq(tmpl_set_link(set, err, sizeof(err)), 0, "%s", err);
}

/* Parsing and linking */

Test(templates, every_embedded_template_parses)
{
	size_t	 i;

	cr_assert_eq(load_all(), 0, "%s", err);
	cr_assert_gt(ntmpl, 0);
	for (i = 0; i < ntmpl; i++)
		cr_assert_not_null(tmpl_get(set, names[i]), "%s", names[i]);
}

Test(templates, set_links)
{
	load_and_link();
}

Test(templates, layout_and_error_exist)
{
	load_and_link();
	cr_assert_not_null(tmpl_get(set, "layout"));
	cr_assert_not_null(tmpl_get(set, "error"));
}

/* The frame model view.c builds for an anonymous visitor. */
static json_t *
frame_model(void)
{
	json_t	*m = json_pack("{s{ss ss} ss sn ss s[] sn ss ss ss}",
	    "site", "name", "乡治", "township", "青山镇",
	    "title", "出错了",
	    "user",
	    "csrf", "csrf-token-value",
	    "nav",
	    "error",
	    "css", "/static/app.css?v=0123abcd",
	    "js", "/static/app.js?v=0123abcd",
	    "path", "/missing");

	cr_assert_not_null(m);
	return m;
}

Test(templates, layout_renders_error_page_in_strict_mode)
{
	json_t	*stack[2];
	int	 rc;

	load_and_link();
	stack[0] = frame_model();
	stack[1] = json_pack("{si ss}", "status", 404, "message",
	    "没有找到该页面或记录");
	rc = tmpl_render(tmpl_get(set, "layout"), stack, 2,
	    tmpl_get(set, "error"), true, &out, err, sizeof(err));
	json_decref(stack[0]);
	json_decref(stack[1]);
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_eq(strncmp(out.data, "<!doctype html>", 15), 0);
	cr_assert_not_null(strstr(out.data, "<title>出错了 - 青山镇</title>"));
	cr_assert_not_null(strstr(out.data, "没有找到该页面或记录"));
	cr_assert_not_null(strstr(out.data, "错误代码 404"));
	cr_assert_not_null(strstr(out.data, "/static/app.css?v=0123abcd"));
	cr_assert_not_null(strstr(out.data, "</html>"));
	/* No user: no sign-out form and no menu. */
	cr_assert_null(strstr(out.data, "/logout"));
	cr_assert_null(strstr(out.data, "<nav"));
}

Test(templates, layout_renders_signed_in_frame_in_strict_mode)
{
	json_t	*stack[2];
	int	 rc;

	load_and_link();
	stack[0] = frame_model();
	json_object_set_new(stack[0], "user", json_pack("{ss ss ss}",
	    "login", "wangwu", "name", "王五", "roles", "镇领导"));
	json_object_set_new(stack[0], "nav", json_pack("[{ss ss sb}]",
	    "href", "/people", "label", "人员", "active", 1));
	stack[1] = json_pack("{si ss}", "status", 403, "message", "无权");
	rc = tmpl_render(tmpl_get(set, "layout"), stack, 2,
	    tmpl_get(set, "error"), true, &out, err, sizeof(err));
	json_decref(stack[0]);
	json_decref(stack[1]);
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_not_null(strstr(out.data, "王五"));
	cr_assert_not_null(strstr(out.data, "value=\"csrf-token-value\""));
	cr_assert_not_null(strstr(out.data,
	    "<a href=\"/people\" aria-current=\"page\">人员</a>"));
}

Test(templates, strict_mode_refuses_a_missing_frame_value)
{
	json_t	*stack[2];
	int	 rc;

	load_and_link();
	stack[0] = frame_model();
	json_object_del(stack[0], "title");
	stack[1] = json_pack("{si ss}", "status", 404, "message", "x");
	rc = tmpl_render(tmpl_get(set, "layout"), stack, 2,
	    tmpl_get(set, "error"), true, &out, err, sizeof(err));
	json_decref(stack[0]);
	json_decref(stack[1]);
	cr_assert_eq(rc, -1);
	cr_assert_not_null(strstr(err, "title"), "%s", err);
	cr_assert_eq(out.len, 0);
}

/*
 * The hostile sweep.  The names each template uses are read from its
 * {{...}} tags, and three models are built from them:
 *   "full":     every value is "hostile"; every section is a one-element
 *               array of an object holding every value (or, for a name
 *               that also prefixes dotted names, an object);
 *   "inverted": the same, less the names used in {{^...}}, so inverted
 *               sections inside shown sections render;
 *   "bare":     only the values, so every inverted section renders.
 * Each template is rendered alone and as the content of the layout, in
 * lenient mode, and no output may contain "<script>alert", an unescaped
 * quote, or a javascript: URL in a URL attribute.
 */
struct names {
	json_t	*vars;		/* simple names of {{x}} */
	json_t	*secs;		/* full names of {{#x}} and {{^x}} */
	json_t	*inverted;	/* full names of {{^x}} */
	json_t	*dotted;	/* "a" -> {"b": true if a section} */
};

static void
add_name(struct names *nm, char kind, const char *name, size_t len)
{
	char		 full[128], *dot;
	json_t		*sub;

	if (len == 0 || len >= sizeof(full) || (len == 1 && *name == '.'))
		return;
	memcpy(full, name, len);
	full[len] = '\0';
	if (kind == '#' || kind == '^')
		json_object_set_new(nm->secs, full, json_true());
	if (kind == '^')
		json_object_set_new(nm->inverted, full, json_true());
	if ((dot = strchr(full, '.')) != NULL) {
		*dot = '\0';
		if ((sub = json_object_get(nm->dotted, full)) == NULL) {
			sub = json_object();
			json_object_set_new(nm->dotted, full, sub);
		}
		/* Deeper names are not used by any template yet. */
		cr_assert_null(strchr(dot + 1, '.'), "%s.%s", full, dot + 1);
		if (json_object_get(sub, dot + 1) == NULL || kind != 0)
			json_object_set_new(sub, dot + 1, json_boolean(kind !=
			    0));
		return;
	}
	if (kind == 0)
		json_object_set_new(nm->vars, full, json_true());
}

/* Collect the names of every tag in "text". */
static void
scan_names(struct names *nm, const char *text)
{
	const char	*p = text, *q, *end;
	char		 kind;

	while ((p = strstr(p, "{{")) != NULL) {
		p += 2;
		if ((end = strstr(p, "}}")) == NULL)
			break;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		kind = 0;
		if (p < end && strchr("#^/!>@", *p) != NULL)
			kind = *p++;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		q = end;
		while (q > p && (q[-1] == ' ' || q[-1] == '\t' ||
		    q[-1] == '\n'))
			q--;
		if (kind == 0 || kind == '#' || kind == '^')
			add_name(nm, kind, p, (size_t)(q - p));
		p = end + 2;
	}
}

/* Every {{x}} name set to "hostile". */
static json_t *
leaves(const struct names *nm)
{
	json_t		*o = json_object(), *v;
	const char	*k;

	json_object_foreach(nm->vars, k, v)
		json_object_set_new(o, k, json_string(hostile));
	return o;
}

enum model { MODEL_FULL, MODEL_INVERTED, MODEL_BARE };

static json_t *
build_model(const struct names *nm, enum model kind)
{
	json_t		*m = leaves(nm), *v, *sub, *o, *w;
	const char	*k, *k2;

	json_object_foreach(nm->secs, k, v) {
		if (strchr(k, '.') != NULL)
			continue;
		/* A name that is also a value must not stand in as one. */
		if (kind == MODEL_BARE || (kind == MODEL_INVERTED &&
		    json_object_get(nm->inverted, k) != NULL))
			json_object_del(m, k);
		else
			json_object_set_new(m, k, json_pack("[o]",
			    leaves(nm)));
	}
	json_object_foreach(nm->dotted, k, sub) {
		o = leaves(nm);
		json_object_foreach(sub, k2, w) {
			char	 full[160];

			snprintf(full, sizeof(full), "%s.%s", k, k2);
			if (!json_is_true(w))
				json_object_set_new(o, k2,
				    json_string(hostile));
			else if (kind == MODEL_FULL || (kind ==
			    MODEL_INVERTED && json_object_get(nm->inverted,
			    full) == NULL))
				json_object_set_new(o, k2, json_pack("[o]",
				    leaves(nm)));
			else
				json_object_del(o, k2);
		}
		json_object_set_new(m, k, o);
	}
	return m;
}

static void
names_init(struct names *nm)
{
	nm->vars = json_object();
	nm->secs = json_object();
	nm->inverted = json_object();
	nm->dotted = json_object();
}

static void
names_free(struct names *nm)
{
	json_decref(nm->vars);
	json_decref(nm->secs);
	json_decref(nm->inverted);
	json_decref(nm->dotted);
}

/* Render and check one combination. */
static void
sweep_one(const char *what, const struct tmpl *t, const struct tmpl *content,
    json_t *model, bool *seen)
{
	static const char *const url_attrs[] = {
		" href=\"javascript:", " src=\"javascript:",
		" action=\"javascript:", " formaction=\"javascript:",
		" poster=\"javascript:", " cite=\"javascript:",
	};
	json_t		*stack[1] = { model };
	size_t		 i;
	int		 rc;

	buf_reset(&out);
	rc = tmpl_render(t, stack, 1, content, false, &out, err, sizeof(err));
	cr_assert_eq(rc, 0, "%s: %s", what, err);
	cr_assert_null(strstr(out.data, "<script>alert"), "%s: %s", what,
	    strstr(out.data, "<script>alert"));
	cr_assert_null(strstr(out.data, "alert(1)</script>"), "%s", what);
	cr_assert_null(strstr(out.data, "\"'&"), "%s: a quote or ampersand"
	    " was not escaped", what);
	for (i = 0; i < sizeof(url_attrs) / sizeof(url_attrs[0]); i++)
		cr_assert_null(strcasestr(out.data, url_attrs[i]), "%s: %s",
		    what, strcasestr(out.data, url_attrs[i]));
	if (strstr(out.data, "&lt;script&gt;alert(1)") != NULL ||
	    strstr(out.data, ">javascript:alert(1)") != NULL)
		*seen = true;
}

/* Render every template with every model made of "hostile" values. */
static void
sweep_all(void)
{
	static const char *const model_name[] = { "full", "inverted", "bare" };
	struct names		 nm;
	const struct tmpl	*layout, *print, *error, *t;
	json_t			*model;
	char			 what[160];
	size_t			 i;
	int			 k;
	bool			 seen;

	load_and_link();
	layout = tmpl_get(set, "layout");
	print = tmpl_get(set, "print_layout");
	error = tmpl_get(set, "error");
	for (i = 0; i < ntmpl; i++) {
		t = tmpl_get(set, names[i]);
		names_init(&nm);
		scan_names(&nm, (const char *)files[i]->data);
		scan_names(&nm, (const char *)embedded_find(
		    "src/web/layout.tmpl")->data);
		seen = false;
		for (k = 0; k <= MODEL_BARE; k++) {
			model = build_model(&nm, (enum model)k);
			snprintf(what, sizeof(what), "%s alone, %s model",
			    names[i], model_name[k]);
			sweep_one(what, t, error, model, &seen);
			snprintf(what, sizeof(what), "%s in layout, %s model",
			    names[i], model_name[k]);
			if (t != layout && t != print)
				sweep_one(what, layout, t, model, &seen);
			/* Print views render in the bare A4 frame. */
			snprintf(what, sizeof(what), "%s in print_layout, %s "
			    "model", names[i], model_name[k]);
			if (t != layout && t != print)
				sweep_one(what, print, t, model, &seen);
			json_decref(model);
		}
		names_free(&nm);
		/* The values were really rendered, escaped. */
		cr_assert(seen, "%s: no hostile value reached the page",
		    names[i]);
	}
}

Test(templates, hostile_strings_are_escaped_in_every_template)
{
	hostile = HOSTILE;
	sweep_all();
}

Test(templates, javascript_urls_are_neutralised_in_every_template)
{
	hostile = HOSTILE_URL;
	sweep_all();
}

Test(templates, sweep_model_reaches_loop_bodies)
{
	struct names	 nm;
	json_t		*model;
	const char	*text = "{{#rows}}<td>{{name}}</td>{{/rows}}"
	    "{{^rows}}<p>{{empty}}</p>{{/rows}}<a href=\"/p/{{form.id}}\">x</a>";
	bool		 seen = false;

	cr_assert_eq(tmpl_set_add(set, "probe", text, strlen(text), err,
	    sizeof(err)), 0, "%s", err);
	cr_assert_eq(tmpl_set_link(set, err, sizeof(err)), 0, "%s", err);
	names_init(&nm);
	scan_names(&nm, text);
	model = build_model(&nm, MODEL_FULL);
	sweep_one("probe full", tmpl_get(set, "probe"), NULL, model, &seen);
	cr_assert_not_null(strstr(out.data,
	    "<td>&lt;script&gt;alert(1)&lt;/script&gt;"), "%s", out.data);
	cr_assert_null(strstr(out.data, "<p>"));
	json_decref(model);
	model = build_model(&nm, MODEL_BARE);
	sweep_one("probe bare", tmpl_get(set, "probe"), NULL, model, &seen);
	cr_assert_not_null(strstr(out.data, "<p>&lt;script&gt;"), "%s",
	    out.data);
	cr_assert_null(strstr(out.data, "<td>"));
	cr_assert_not_null(strstr(out.data, "href=\"/p/"), "%s", out.data);
	json_decref(model);
	names_free(&nm);
	cr_assert(seen);
}

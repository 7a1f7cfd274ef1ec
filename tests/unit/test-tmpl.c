/* test-tmpl.c: template parsing, contextual escaping and rendering. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "base/buf.h"
#include "html/tmpl.h"

#define HOSTILE	"\"><script>alert(1)</script>"

static struct tmpl_set	*set;
static struct buf	 out;
static char		 err[256];
static json_t		*models[8];
static size_t		 nmodels;

static void
setup(void)
{
	set = tmpl_set_new();
	cr_assert_not_null(set);
	buf_init(&out, 0);
	err[0] = '\0';
	nmodels = 0;
}

static void
teardown(void)
{
	size_t	 i;

	for (i = 0; i < nmodels; i++)
		json_decref(models[i]);
	tmpl_set_free(set);
	buf_release(&out);
}

TestSuite(tmpl, .init = setup, .fini = teardown);

/* Parse JSON written with ' for " (it reads better in C); freed later. */
static json_t *
J(const char *s)
{
	char		 tmp[1024];
	json_error_t	 e;
	json_t		*v;
	size_t		 i;

	cr_assert_lt(strlen(s), sizeof(tmp));
	for (i = 0; s[i] != '\0'; i++)
		tmp[i] = s[i] == '\'' ? '"' : s[i];
	tmp[i] = '\0';
	v = json_loads(tmp, JSON_DECODE_ANY, &e);
	cr_assert_not_null(v, "bad test JSON: %s", e.text);
	cr_assert_lt(nmodels, sizeof(models) / sizeof(models[0]));
	models[nmodels++] = v;
	return v;
}

/* Keep a model made with json_pack() for teardown. */
static json_t *
keep(json_t *v)
{
	cr_assert_not_null(v);
	cr_assert_lt(nmodels, sizeof(models) / sizeof(models[0]));
	models[nmodels++] = v;
	return v;
}

static int
add(const char *name, const char *text)
{
	return tmpl_set_add(set, name, text, strlen(text), err, sizeof(err));
}

static int
link_set(void)
{
	return tmpl_set_link(set, err, sizeof(err));
}

/* Render template "name" against the one-value stack "m". */
static int
render_as(const char *name, json_t *m, bool strict, const char *content)
{
	const struct tmpl	*c = NULL;

	if (content != NULL) {
		c = tmpl_get(set, content);
		cr_assert_not_null(c);
	}
	cr_assert_not_null(tmpl_get(set, name));
	return tmpl_render(tmpl_get(set, name), &m, 1, c, strict, &out, err,
	    sizeof(err));
}

/* Parse and link "text" as template "t" and render it; returns the rc. */
static int
try_render(const char *text, json_t *m, bool strict)
{
	cr_assert_eq(add("t", text), 0, "parse: %s", err);
	cr_assert_eq(link_set(), 0, "link: %s", err);
	return render_as("t", m, strict, NULL);
}

/* As try_render() in strict mode, which must succeed; returns the output. */
static const char *
render(const char *text, json_t *m)
{
	cr_assert_eq(try_render(text, m, true), 0, "render: %s", err);
	return out.data;
}

/* "text" must not parse; the message must name the template. */
static void
refused(const char *text)
{
	cr_assert_eq(add("t", text), -1, "parsed: %s", text);
	cr_assert(strncmp(err, "t:", 2) == 0, "bad message: %s", err);
	cr_assert_null(tmpl_get(set, "t"));
}

/* Escaping by context */

Test(tmpl, var_in_text_is_html_escaped)
{
	cr_assert_str_eq(render("<p>{{x}}</p>", J("{'x':'a<b & c>d'}")),
	    "<p>a&lt;b &amp; c&gt;d</p>");
}

Test(tmpl, var_in_attribute_is_attr_escaped)
{
	cr_assert_str_eq(render("<p title=\"{{x}}\">", J("{'x':'a\\\"b<'}")),
	    "<p title=\"a&quot;b&lt;\">");
}

Test(tmpl, hostile_string_in_text_is_inert)
{
	const char	*s;

	s = render("<p>{{x}}</p>", keep(json_pack("{s:s}", "x", HOSTILE)));
	cr_assert_str_eq(s,
	    "<p>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>");
}

Test(tmpl, hostile_string_in_attribute_is_inert)
{
	const char	*s;

	s = render("<input value=\"{{x}}\">",
	    keep(json_pack("{s:s}", "x", HOSTILE)));
	cr_assert_str_eq(s, "<input value=\"&quot;&gt;&lt;script&gt;"
	    "alert(1)&lt;/script&gt;\">");
}

Test(tmpl, single_quote_breakout_is_inert)
{
	const char	*s;

	s = render("<input value='{{x}}'>",
	    keep(json_pack("{s:s}", "x", "' onmouseover=x")));
	cr_assert_str_eq(s, "<input value='&#39; onmouseover=x'>");
}

Test(tmpl, var_at_start_of_href_refuses_javascript)
{
	cr_assert_str_eq(render("<a href=\"{{u}}\">x</a>",
	    J("{'u':'javascript:alert(1)'}")), "<a href=\"#\">x</a>");
}

Test(tmpl, var_at_start_of_href_refuses_data_and_other_hosts)
{
	cr_assert_str_eq(render("<a href=\"{{a}}\"></a><a href=\"{{b}}\"></a>"
	    "<a href=\"{{c}}\"></a><a href=\"{{d}}\"></a>",
	    J("{'a':'data:text/html,x','b':'//evil.com','c':'JAVASCRIPT:x',"
	    "'d':' javascript:x'}")),
	    "<a href=\"#\"></a><a href=\"#\"></a><a href=\"#\"></a>"
	    "<a href=\"#\"></a>");
}

Test(tmpl, var_at_start_of_href_allows_safe_urls)
{
	cr_assert_str_eq(render("<a href=\"{{u}}\">",
	    J("{'u':'/matters?state=open&page=2'}")),
	    "<a href=\"/matters?state=open&amp;page=2\">");
}

Test(tmpl, var_in_url_path_is_percent_encoded)
{
	cr_assert_str_eq(render("<a href=\"/units/{{id}}/edit\">",
	    J("{'id':'a/b c?'}")), "<a href=\"/units/a%2Fb%20c%3F/edit\">");
}

Test(tmpl, var_in_url_path_cannot_become_a_scheme)
{
	cr_assert_str_eq(render("<a href=\"x{{u}}\">",
	    J("{'u':':javascript:alert(1)'}")),
	    "<a href=\"x%3Ajavascript%3Aalert%281%29\">");
}

Test(tmpl, var_after_question_mark_is_url_arg)
{
	cr_assert_str_eq(render("<a href=\"/m?q={{q}}&amp;p={{p}}\">",
	    J("{'q':'a&b=c','p':2}")), "<a href=\"/m?q=a%26b%3Dc&amp;p=2\">");
}

Test(tmpl, var_after_hash_is_url_arg)
{
	cr_assert_str_eq(render("<a href=\"/m#{{f}}\">", J("{'f':'a b'}")),
	    "<a href=\"/m#a%20b\">");
}

Test(tmpl, var_after_var_in_url_is_not_at_start)
{
	cr_assert_str_eq(render("<a href=\"{{a}}{{b}}\">",
	    J("{'a':'/x','b':'javascript:y'}")),
	    "<a href=\"/xjavascript%3Ay\">");
}

Test(tmpl, url_context_applies_to_every_url_attribute)
{
	cr_assert_str_eq(render("<img src=\"{{u}}\"><form action=\"{{u}}\">"
	    "<button formaction=\"{{u}}\"><video poster=\"{{u}}\">"
	    "<q cite=\"{{u}}\">", J("{'u':'javascript:x'}")),
	    "<img src=\"#\"><form action=\"#\"><button formaction=\"#\">"
	    "<video poster=\"#\"><q cite=\"#\">");
}

Test(tmpl, url_attribute_names_are_case_insensitive)
{
	cr_assert_str_eq(render("<A HREF=\"{{u}}\">",
	    J("{'u':'javascript:x'}")),
	    "<A HREF=\"#\">");
}

Test(tmpl, non_url_attribute_keeps_colons)
{
	cr_assert_str_eq(render("<p title=\"{{u}}\">",
	    J("{'u':'javascript:x'}")),
	    "<p title=\"javascript:x\">");
}

Test(tmpl, attribute_value_with_spaces_around_equals)
{
	cr_assert_str_eq(render("<a href = \"{{u}}\">", J("{'u':'data:x'}")),
	    "<a href = \"#\">");
}

Test(tmpl, var_in_textarea_is_text_escaped)
{
	cr_assert_str_eq(render("<textarea>{{x}}</textarea>",
	    J("{'x':'</textarea><script>'}")),
	    "<textarea>&lt;/textarea&gt;&lt;script&gt;</textarea>");
}

Test(tmpl, var_in_title_is_text_escaped)
{
	cr_assert_str_eq(render("<TITLE>{{x}}</Title>{{x}}", J("{'x':'<b>'}")),
	    "<TITLE>&lt;b&gt;</Title>&lt;b&gt;");
}

Test(tmpl, var_after_script_element_is_text)
{
	cr_assert_str_eq(render("<script src=\"/a.js\"></script ><p>{{x}}",
	    J("{'x':'<'}")), "<script src=\"/a.js\"></script ><p>&lt;");
}

Test(tmpl, var_after_comment_is_text)
{
	cr_assert_str_eq(render("<!-- a -- b --><p>{{x}}", J("{'x':'&'}")),
	    "<!-- a -- b --><p>&amp;");
}

Test(tmpl, var_after_doctype_is_text)
{
	cr_assert_str_eq(render("<!DOCTYPE html><p>{{x}}", J("{'x':'&'}")),
	    "<!DOCTYPE html><p>&amp;");
}

Test(tmpl, less_than_not_starting_a_tag_stays_text)
{
	cr_assert_str_eq(render("1 < 2 <= {{x}}", J("{'x':'3'}")),
	    "1 < 2 <= 3");
}

Test(tmpl, values_of_every_json_type)
{
	cr_assert_str_eq(render("{{s}}|{{i}}|{{r}}|{{t}}|{{f}}|{{n}}|",
	    J("{'s':'x','i':-42,'r':0.1,'t':true,'f':false,'n':null}")),
	    "x|-42|0.1|true|false||");
}

Test(tmpl, whitespace_inside_braces)
{
	cr_assert_str_eq(render("{{ a }}{{# l }}{{ . }}{{/ l }}",
	    J("{'a':'A','l':[1,2]}")), "A12");
}

Test(tmpl, comment_tag_renders_nothing)
{
	cr_assert_str_eq(render("a{{! a comment with <b> {x}\n }}b", J("{}")),
	    "ab");
}

Test(tmpl, literal_text_is_copied_exactly)
{
	cr_assert_str_eq(render("<p class=\"a\">{ } }} {x}</p>\n", J("{}")),
	    "<p class=\"a\">{ } }} {x}</p>\n");
}

/* Parse errors */

Test(tmpl, var_in_script_is_parse_error)
{
	refused("<script>var x = {{x}};</script>");
}

Test(tmpl, var_in_uppercase_script_is_parse_error)
{
	refused("<SCRIPT type=\"module\">{{x}}</SCRIPT>");
}

Test(tmpl, var_in_style_is_parse_error)
{
	refused("<style>p { color: {{c}} }</style>");
}

Test(tmpl, script_ends_only_at_its_own_closing_tag)
{
	refused("<script></scripts>{{x}}</script>");
}

Test(tmpl, comment_open_inside_script_is_parse_error)
{
	refused("<script><!-- x </script>");
}

Test(tmpl, var_in_comment_is_parse_error)
{
	refused("<!-- {{x}} -->");
}

Test(tmpl, var_after_double_dash_in_comment_is_parse_error)
{
	refused("<!-- a -- {{x}} -->");
}

Test(tmpl, var_in_doctype_is_parse_error)
{
	refused("<!DOCTYPE {{x}}>");
}

Test(tmpl, var_after_less_than_is_parse_error)
{
	refused("<{{x}}>");
}

Test(tmpl, var_in_tag_name_is_parse_error)
{
	refused("<a{{x}}>");
}

Test(tmpl, var_in_closing_tag_name_is_parse_error)
{
	refused("</{{x}}>");
}

Test(tmpl, var_in_attribute_name_position_is_parse_error)
{
	refused("<a {{x}}>");
}

Test(tmpl, var_in_attribute_name_is_parse_error)
{
	refused("<a data-{{x}}=\"1\">");
}

Test(tmpl, var_right_after_quoted_value_is_parse_error)
{
	refused("<a href=\"/\"{{x}}>");
}

Test(tmpl, var_in_unquoted_attribute_is_parse_error)
{
	refused("<a href={{x}}>");
}

Test(tmpl, var_inside_unquoted_attribute_is_parse_error)
{
	refused("<a title=a{{x}}>");
}

Test(tmpl, var_in_event_handler_attribute_is_parse_error)
{
	refused("<a onclick=\"go({{x}})\">");
}

Test(tmpl, var_in_uppercase_event_handler_is_parse_error)
{
	refused("<body ONLOAD='{{x}}'>");
}

Test(tmpl, var_in_style_attribute_is_parse_error)
{
	refused("<p style=\"color: {{c}}\">");
}

Test(tmpl, var_in_srcdoc_is_parse_error)
{
	refused("<iframe srcdoc=\"{{x}}\"></iframe>");
}

Test(tmpl, var_in_srcset_is_parse_error)
{
	refused("<img srcset=\"{{x}} 2x\">");
}

Test(tmpl, var_in_textarea_closing_tag_is_parse_error)
{
	refused("<textarea></{{x}}</textarea>");
}

Test(tmpl, parse_error_names_template_and_line)
{
	cr_assert_eq(add("page", "<p>\n{{a}}\n<script>{{b}}</script>"), -1);
	cr_assert(strncmp(err, "page:3: ", 8) == 0, "%s", err);
}

Test(tmpl, unclosed_mustache_is_parse_error)
{
	refused("<p>{{name</p>");
}

Test(tmpl, unclosed_section_is_parse_error)
{
	refused("{{#rows}}<tr></tr>");
}

Test(tmpl, unclosed_section_error_names_its_line)
{
	cr_assert_eq(add("t", "a\n{{#rows}}\n<tr>"), -1);
	cr_assert(strncmp(err, "t:2: ", 5) == 0, "%s", err);
}

Test(tmpl, mismatched_section_close_is_parse_error)
{
	refused("{{#a}}{{#b}}{{/a}}{{/b}}");
}

Test(tmpl, section_close_without_open_is_parse_error)
{
	refused("x{{/a}}");
}

Test(tmpl, triple_mustache_is_parse_error)
{
	refused("{{{x}}}");
}

Test(tmpl, ampersand_unescaped_is_parse_error)
{
	refused("{{&x}}");
}

Test(tmpl, delimiter_change_is_parse_error)
{
	refused("{{=<% %>=}}");
}

Test(tmpl, empty_tag_is_parse_error)
{
	refused("{{ }}");
}

Test(tmpl, bad_name_is_parse_error)
{
	refused("{{a b}}");
}

Test(tmpl, empty_name_part_is_parse_error)
{
	refused("{{a..b}}");
}

Test(tmpl, trailing_dot_is_parse_error)
{
	refused("{{a.}}");
}

Test(tmpl, index_cannot_open_a_section)
{
	refused("{{#@index}}x{{/@index}}");
}

Test(tmpl, nesting_too_deep_is_parse_error)
{
	char	 text[33 * 12 + 1];
	size_t	 i, n = 0;

	for (i = 0; i < 33; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "{{#a}}");
	for (i = 0; i < 33; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "{{/a}}");
	refused(text);
}

Test(tmpl, nesting_to_the_limit_parses)
{
	char	 text[32 * 12 + 1];
	size_t	 i, n = 0;

	for (i = 0; i < 32; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "{{#a}}");
	for (i = 0; i < 32; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "{{/a}}");
	cr_assert_eq(add("t", text), 0, "%s", err);
}

Test(tmpl, duplicate_template_name_is_error)
{
	cr_assert_eq(add("t", "a"), 0);
	cr_assert_eq(add("t", "b"), -1);
	cr_assert(strncmp(err, "t:", 2) == 0, "%s", err);
}

/* Sections and HTML context */

Test(tmpl, section_changing_context_is_parse_error)
{
	refused("{{#x}}<a href=\"{{/x}}\">");
}

Test(tmpl, section_opening_a_tag_is_parse_error)
{
	refused("{{#x}}<b{{/x}}>");
}

Test(tmpl, section_opening_textarea_is_parse_error)
{
	refused("{{#x}}<textarea>{{/x}}</textarea>");
}

Test(tmpl, section_across_url_phase_is_parse_error)
{
	refused("<a href=\"{{#x}}/a{{/x}}{{u}}\">");
}

Test(tmpl, section_across_query_is_parse_error)
{
	refused("<a href=\"/a{{#x}}?b{{/x}}\">");
}

Test(tmpl, section_across_attributes_is_parse_error)
{
	refused("<a title=\"{{#x}}\" class=\"{{/x}}\">");
}

Test(tmpl, section_into_attribute_name_is_parse_error)
{
	refused("<a {{#x}}href{{/x}}=\"{{u}}\">");
}

Test(tmpl, inverted_section_changing_context_is_parse_error)
{
	refused("{{^x}}<!--{{/x}}-->");
}

Test(tmpl, section_in_attribute_value_works)
{
	json_t	*m = J("{'rows':[{'on':true},{'on':false}]}");

	cr_assert_str_eq(render("{{#rows}}<li class=\"a {{#on}}on{{/on}}\">"
	    "{{/rows}}", m), "<li class=\"a on\"><li class=\"a \">");
}

Test(tmpl, section_in_url_query_works)
{
	cr_assert_str_eq(render("<a href=\"/m?{{#q}}q={{q}}&amp;{{/q}}p=1\">",
	    J("{'q':'a b'}")), "<a href=\"/m?q=a%20b&amp;p=1\">");
}

Test(tmpl, section_around_boolean_attribute_works)
{
	const char	*s;

	s = render("{{#opts}}<option value=\"{{v}}\"{{#sel}} selected{{/sel}}>"
	    "{{/opts}}<input{{^on}} x{{/on}} y>",
	    J("{'on':true,'opts':[{'v':1,'sel':true},{'v':2,'sel':false}]}"));
	cr_assert_str_eq(s, "<option value=\"1\" selected><option value=\"2\">"
	    "<input y>");
}

Test(tmpl, optional_attribute_followed_by_equals_is_parse_error)
{
	refused("<input{{#on}} checked{{/on}}=\"{{t}}\">");
}

Test(tmpl, optional_attribute_followed_by_space_equals_is_parse_error)
{
	refused("<input{{#on}} checked{{/on}} =\"{{t}}\">");
}

Test(tmpl, optional_attribute_followed_by_letter_is_parse_error)
{
	refused("<input{{#on}} check{{/on}}ed>");
}

Test(tmpl, optional_attribute_after_tag_name_needs_a_break)
{
	refused("<a{{#x}} title=\"t\"{{/x}}href=\"{{u}}\">");
}

Test(tmpl, two_optional_attributes_work)
{
	cr_assert_str_eq(render("<option{{#s}} selected{{/s}}{{#d}} disabled"
	    "{{/d}} value=\"{{v}}\">", J("{'s':true,'d':true,'v':'x'}")),
	    "<option selected disabled value=\"x\">");
}

Test(tmpl, section_around_boolean_attribute_needs_leading_space)
{
	refused("<input {{#on}}checked{{/on}}>");
	cr_assert_not_null(strstr(err, "white space"), "%s", err);
}

Test(tmpl, section_around_boolean_attribute_needs_same_tag)
{
	refused("<script {{#on}} x><b y{{/on}}>{{v}}</script>");
}

Test(tmpl, section_around_attribute_with_value_keeps_url_context)
{
	cr_assert_str_eq(render("<a{{#t}} title=\"{{t}}\"{{/t}}"
	    " href=\"{{u}}\">",
	    J("{'t':'x','u':'javascript:y'}")),
	    "<a title=\"x\" href=\"#\">");
}

Test(tmpl, section_in_script_without_values_works)
{
	cr_assert_str_eq(render("<script>{{#d}}go();{{/d}}</script>",
	    J("{'d':true}")), "<script>go();</script>");
}

/* Sections */

Test(tmpl, section_over_array_repeats)
{
	cr_assert_str_eq(render("<ul>{{#rows}}<li>{{name}}</li>{{/rows}}</ul>",
	    J("{'rows':[{'name':'a'},{'name':'b<'}]}")),
	    "<ul><li>a</li><li>b&lt;</li></ul>");
}

Test(tmpl, section_over_empty_array_renders_nothing)
{
	cr_assert_str_eq(render("[{{#rows}}x{{/rows}}]", J("{'rows':[]}")),
	    "[]");
}

Test(tmpl, section_over_object_pushes_it)
{
	cr_assert_str_eq(render("{{#unit}}{{name}}/{{code}}{{/unit}}",
	    J("{'unit':{'name':'镇','code':7}}")), "镇/7");
}

Test(tmpl, section_over_empty_object_renders_once)
{
	cr_assert_str_eq(render("[{{#o}}x{{/o}}]", J("{'o':{}}")), "[x]");
}

Test(tmpl, section_over_true_renders_once)
{
	cr_assert_str_eq(render("[{{#b}}yes{{/b}}]", J("{'b':true}")),
	    "[yes]");
}

Test(tmpl, section_over_falsy_values_renders_nothing)
{
	cr_assert_str_eq(render("[{{#f}}1{{/f}}{{#n}}2{{/n}}{{#z}}3{{/z}}"
	    "{{#e}}4{{/e}}{{#r}}5{{/r}}]",
	    J("{'f':false,'n':null,'z':0,'e':'','r':0.0}")), "[]");
}

Test(tmpl, section_over_string_pushes_it)
{
	cr_assert_str_eq(render("{{#s}}<b>{{.}}</b>{{/s}}", J("{'s':'x&y'}")),
	    "<b>x&amp;y</b>");
}

Test(tmpl, inverted_section_renders_when_falsy)
{
	cr_assert_str_eq(render("[{{^f}}1{{/f}}{{^n}}2{{/n}}{{^e}}3{{/e}}"
	    "{{^a}}4{{/a}}{{^z}}5{{/z}}]",
	    J("{'f':false,'n':null,'e':'','a':[],'z':0}")), "[12345]");
}

Test(tmpl, inverted_section_skips_when_truthy)
{
	cr_assert_str_eq(render("[{{^t}}1{{/t}}{{^a}}2{{/a}}{{^o}}3{{/o}}]",
	    J("{'t':true,'a':[0],'o':{}}")), "[]");
}

Test(tmpl, section_and_inverted_make_if_else)
{
	cr_assert_str_eq(render("{{#rows}}n{{/rows}}{{^rows}}none{{/rows}}",
	    J("{'rows':[]}")), "none");
}

Test(tmpl, dot_renders_current_element)
{
	cr_assert_str_eq(render("{{#l}}<i>{{.}}</i>{{/l}}",
	    J("{'l':['a','<',3]}")), "<i>a</i><i>&lt;</i><i>3</i>");
}

Test(tmpl, index_is_one_based)
{
	cr_assert_str_eq(render("{{#l}}{{@index}}.{{.}} {{/l}}",
	    J("{'l':['a','b','c']}")), "1.a 2.b 3.c ");
}

Test(tmpl, index_refers_to_innermost_loop)
{
	cr_assert_str_eq(render("{{#a}}[{{#b}}{{@index}}{{/b}}:{{@index}}]"
	    "{{/a}}", J("{'a':[{'b':['x','y']},{'b':['z']}]}")),
	    "[12:1][1:2]");
}

Test(tmpl, index_inside_object_section_uses_enclosing_loop)
{
	cr_assert_str_eq(render("{{#a}}{{#o}}{{@index}}{{/o}}{{/a}}",
	    J("{'a':[{'o':{}},{'o':{}}]}")), "12");
}

Test(tmpl, index_in_attribute_value_works)
{
	cr_assert_str_eq(render("{{#a}}<tr id=\"r{{@index}}\">{{/a}}",
	    J("{'a':[1,2]}")), "<tr id=\"r1\"><tr id=\"r2\">");
}

Test(tmpl, index_outside_loop_is_render_error)
{
	cr_assert_eq(try_render("{{#o}}{{@index}}{{/o}}", J("{'o':{}}"),
	    false), -1);
	cr_assert(strncmp(err, "t:1: ", 5) == 0, "%s", err);
}

/* Lookups */

Test(tmpl, dotted_lookup)
{
	cr_assert_str_eq(render("{{a.b.c}}", J("{'a':{'b':{'c':'deep'}}}")),
	    "deep");
}

Test(tmpl, lookup_falls_back_down_the_stack)
{
	cr_assert_str_eq(render("{{#rows}}{{name}}@{{unit}} {{/rows}}",
	    J("{'unit':'U','rows':[{'name':'a'},{'name':'b','unit':'V'}]}")),
	    "a@U b@V ");
}

Test(tmpl, dotted_lookup_starts_from_the_stack)
{
	cr_assert_str_eq(render("{{#rows}}{{org.name}}{{/rows}}",
	    J("{'org':{'name':'O'},'rows':[1]}")), "O");
}

Test(tmpl, dotted_lookup_does_not_fall_back_after_first_part)
{
	json_t	*m = J("{'a':{'b':1},'rows':[{'a':{}}]}");

	cr_assert_eq(try_render("{{#rows}}{{a.b}}{{/rows}}", m, true), -1);
	buf_reset(&out);
	cr_assert_eq(render_as("t", m, false, NULL), 0, "%s", err);
	cr_assert_str_eq(out.data, "");
}

Test(tmpl, dotted_lookup_through_non_object_is_missing)
{
	cr_assert_eq(try_render("{{a.b}}", J("{'a':'str'}"), true), -1);
}

Test(tmpl, caller_stack_top_is_searched_first)
{
	json_t	*stack[2];

	stack[0] = J("{'a':'bottom','b':'B'}");
	stack[1] = J("{'a':'top'}");
	cr_assert_eq(add("t", "{{a}} {{b}}"), 0);
	cr_assert_eq(tmpl_render(tmpl_get(set, "t"), stack, 2, NULL, true,
	    &out, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(out.data, "top B");
}

Test(tmpl, strict_missing_var_is_render_error)
{
	cr_assert_eq(try_render("<p>\n{{nope}}</p>", J("{'yes':1}"), true),
	    -1);
	cr_assert(strncmp(err, "t:2: ", 5) == 0, "%s", err);
	cr_assert_not_null(strstr(err, "nope"), "%s", err);
}

Test(tmpl, lenient_missing_var_is_empty)
{
	cr_assert_eq(try_render("[{{nope}}]", J("{}"), false), 0, "%s", err);
	cr_assert_str_eq(out.data, "[]");
}

Test(tmpl, strict_missing_section_name_is_render_error)
{
	cr_assert_eq(try_render("{{#nope}}x{{/nope}}", J("{}"), true), -1);
}

Test(tmpl, lenient_missing_section_is_skipped)
{
	cr_assert_eq(try_render("[{{#nope}}x{{/nope}}]", J("{}"), false), 0);
	cr_assert_str_eq(out.data, "[]");
}

Test(tmpl, strict_missing_inverted_name_is_render_error)
{
	cr_assert_eq(try_render("{{^nope}}x{{/nope}}", J("{}"), true), -1);
}

Test(tmpl, lenient_missing_inverted_section_renders)
{
	cr_assert_eq(try_render("[{{^nope}}x{{/nope}}]", J("{}"), false), 0);
	cr_assert_str_eq(out.data, "[x]");
}

Test(tmpl, null_is_not_missing_in_strict_mode)
{
	cr_assert_str_eq(render("[{{n}}{{#n}}a{{/n}}{{^n}}b{{/n}}]",
	    J("{'n':null}")), "[b]");
}

Test(tmpl, object_as_value_is_render_error_in_strict_mode)
{
	cr_assert_eq(try_render("{{o}}", J("{'o':{'a':1}}"), true), -1);
	cr_assert_not_null(strstr(err, "object"), "%s", err);
}

Test(tmpl, array_as_value_is_render_error_in_strict_mode)
{
	cr_assert_eq(try_render("{{a}}", J("{'a':[1]}"), true), -1);
}

Test(tmpl, object_as_value_is_empty_when_lenient)
{
	cr_assert_eq(try_render("[{{o}}{{a}}]", J("{'o':{},'a':[1]}"), false),
	    0);
	cr_assert_str_eq(out.data, "[]");
}

Test(tmpl, render_error_leaves_output_unchanged)
{
	buf_lit(&out, "before");
	cr_assert_eq(try_render("lots of text {{nope}}", J("{}"), true), -1);
	cr_assert_str_eq(out.data, "before");
}

Test(tmpl, render_appends_to_output)
{
	buf_lit(&out, "<!DOCTYPE html>");
	cr_assert_eq(try_render("<p>{{x}}</p>", J("{'x':1}"), true), 0);
	cr_assert_str_eq(out.data, "<!DOCTYPE html><p>1</p>");
}

Test(tmpl, renders_many_times_identically)
{
	json_t	*m = J("{'rows':[{'t':'a'},{'t':'b'}]}");

	cr_assert_str_eq(render("{{#rows}}<td>{{t}}</td>{{/rows}}", m),
	    "<td>a</td><td>b</td>");
	buf_reset(&out);
	cr_assert_eq(render_as("t", m, true, NULL), 0);
	cr_assert_str_eq(out.data, "<td>a</td><td>b</td>");
}

Test(tmpl, fifty_row_table_renders)
{
	json_t	*m = keep(json_object()), *rows = json_array();
	char	 want[50 * 40], title[16];
	size_t	 i, n = 0;

	for (i = 1; i <= 50; i++) {
		snprintf(title, sizeof(title), "t%zu", i);
		json_array_append_new(rows, json_pack("{s:s}", "title", title));
		n += (size_t)snprintf(want + n, sizeof(want) - n,
		    "<tr><td>%zu</td><td>t%zu</td></tr>", i, i);
	}
	json_object_set_new(m, "rows", rows);
	cr_assert_str_eq(render("{{#rows}}<tr><td>{{@index}}</td>"
	    "<td>{{title}}</td></tr>{{/rows}}", m), want);
}

/* Partials and content */

Test(tmpl, partial_renders_with_current_context)
{
	cr_assert_eq(add("row", "<td>{{name}}</td>"), 0, "%s", err);
	cr_assert_str_eq(render("<tr>{{#rows}}{{>row}}{{/rows}}</tr>",
	    J("{'rows':[{'name':'a'},{'name':'<'}]}")),
	    "<tr><td>a</td><td>&lt;</td></tr>");
}

Test(tmpl, partial_sees_loop_index)
{
	cr_assert_eq(add("n", "{{@index}}"), 0, "%s", err);
	cr_assert_str_eq(render("{{#l}}{{>n}}{{/l}}", J("{'l':[0,0,0]}")),
	    "123");
}

Test(tmpl, partial_may_be_added_after_its_user)
{
	cr_assert_eq(add("t", "[{{>later}}]"), 0, "%s", err);
	cr_assert_eq(add("later", "ok"), 0, "%s", err);
	cr_assert_eq(link_set(), 0, "%s", err);
	cr_assert_eq(render_as("t", J("{}"), true, NULL), 0, "%s", err);
	cr_assert_str_eq(out.data, "[ok]");
}

Test(tmpl, content_renders_page_argument)
{
	cr_assert_eq(add("layout", "<main>{{>content}}</main>"
	    "<footer>{{site}}</footer>"), 0, "%s", err);
	cr_assert_eq(add("page", "<h1>{{title}}</h1>"), 0, "%s", err);
	cr_assert_eq(link_set(), 0, "%s", err);
	cr_assert_eq(render_as("layout", J("{'title':'<T>','site':'S'}"), true,
	    "page"), 0, "%s", err);
	cr_assert_str_eq(out.data,
	    "<main><h1>&lt;T&gt;</h1></main><footer>S</footer>");
}

Test(tmpl, content_in_partial_of_layout_renders_page)
{
	cr_assert_eq(add("layout", "<body>{{>shell}}</body>"), 0, "%s", err);
	cr_assert_eq(add("shell", "<main>{{>content}}</main>"), 0, "%s", err);
	cr_assert_eq(add("page", "p"), 0, "%s", err);
	cr_assert_eq(link_set(), 0, "%s", err);
	cr_assert_eq(render_as("layout", J("{}"), true, "page"), 0, "%s", err);
	cr_assert_str_eq(out.data, "<body><main>p</main></body>");
}

Test(tmpl, content_without_page_is_render_error)
{
	cr_assert_eq(try_render("<main>{{>content}}</main>", J("{}"), false),
	    -1);
	cr_assert(strncmp(err, "t:1: ", 5) == 0, "%s", err);
}

Test(tmpl, content_including_content_is_render_error)
{
	cr_assert_eq(add("layout", "{{>content}}"), 0, "%s", err);
	cr_assert_eq(link_set(), 0, "%s", err);
	cr_assert_eq(render_as("layout", J("{}"), false, "layout"), -1);
}

Test(tmpl, partial_outside_text_is_parse_error)
{
	refused("<a title=\"{{>p}}\">");
}

Test(tmpl, partial_in_textarea_is_parse_error)
{
	refused("<textarea>{{>p}}</textarea>");
}

Test(tmpl, content_in_script_is_parse_error)
{
	refused("<script>{{>content}}</script>");
}

Test(tmpl, unknown_partial_is_link_error)
{
	cr_assert_eq(add("t", "a\n{{>nope}}"), 0, "%s", err);
	cr_assert_eq(link_set(), -1);
	cr_assert(strncmp(err, "t:2: ", 5) == 0, "%s", err);
}

Test(tmpl, unlinked_partial_is_render_error)
{
	cr_assert_eq(add("p", "x"), 0, "%s", err);
	cr_assert_eq(add("t", "{{>p}}"), 0, "%s", err);
	cr_assert_eq(render_as("t", J("{}"), false, NULL), -1);
}

Test(tmpl, partial_including_itself_is_link_error)
{
	cr_assert_eq(add("t", "{{#x}}{{>t}}{{/x}}"), 0, "%s", err);
	cr_assert_eq(link_set(), -1);
	cr_assert_not_null(strstr(err, "itself"), "%s", err);
}

Test(tmpl, partial_cycle_through_two_templates_is_link_error)
{
	cr_assert_eq(add("a", "{{>b}}"), 0, "%s", err);
	cr_assert_eq(add("b", "{{>c}}"), 0, "%s", err);
	cr_assert_eq(add("c", "{{>a}}"), 0, "%s", err);
	cr_assert_eq(link_set(), -1);
}

Test(tmpl, shared_partial_is_not_a_cycle)
{
	cr_assert_eq(add("a", "{{>c}}{{>b}}"), 0, "%s", err);
	cr_assert_eq(add("b", "{{>c}}"), 0, "%s", err);
	cr_assert_eq(add("c", "c"), 0, "%s", err);
	cr_assert_eq(link_set(), 0, "%s", err);
	cr_assert_eq(render_as("a", J("{}"), true, NULL), 0, "%s", err);
	cr_assert_str_eq(out.data, "cc");
}

/* Unclosed tags */

Test(tmpl, partial_ending_inside_tag_is_link_error)
{
	cr_assert_eq(add("open", "<a href=\"/x\""), 0, "%s", err);
	cr_assert_eq(add("t", "{{>open}}>"), 0, "%s", err);
	cr_assert_eq(link_set(), -1);
	cr_assert_not_null(strstr(err, "open"), "%s", err);
}

Test(tmpl, partial_ending_inside_script_is_link_error)
{
	cr_assert_eq(add("s", "<script>"), 0, "%s", err);
	cr_assert_eq(add("t", "{{>s}}</script>"), 0, "%s", err);
	cr_assert_eq(link_set(), -1);
}

Test(tmpl, template_ending_in_unclosed_tag_cannot_render)
{
	cr_assert_eq(try_render("<p title=\"x", J("{}"), false), -1);
	cr_assert_eq(out.len, 0);
}

Test(tmpl, template_ending_in_unclosed_comment_cannot_render)
{
	cr_assert_eq(try_render("<!-- x", J("{}"), false), -1);
}

Test(tmpl, content_ending_in_unclosed_tag_cannot_render)
{
	cr_assert_eq(add("layout", "{{>content}}"), 0, "%s", err);
	cr_assert_eq(add("page", "<b"), 0, "%s", err);
	cr_assert_eq(link_set(), 0, "%s", err);
	cr_assert_eq(render_as("layout", J("{}"), false, "page"), -1);
	cr_assert(strncmp(err, "page:", 5) == 0, "%s", err);
}

/* test-html.c: the escaping writer, one context at a time. */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "base/buf.h"
#include "html/html.h"

static struct buf	 b;

static void
setup(void)
{
	buf_init(&b, 0);
}

static void
teardown(void)
{
	buf_release(&b);
}

TestSuite(html, .init = setup, .fini = teardown);

/* Run one writer on a fresh buffer and return what it wrote. */
static const char *
run(void (*fn)(struct buf *, const char *), const char *s)
{
	buf_reset(&b);
	fn(&b, s);
	cr_assert_eq(buf_err(&b), 0);
	return b.data;
}

/* html_text */

Test(html, text_escapes_five_characters)
{
	cr_assert_str_eq(run(html_text, "a&b<c>d\"e'f"),
	    "a&amp;b&lt;c&gt;d&quot;e&#39;f");
}

Test(html, text_copies_safe_bytes_unchanged)
{
	cr_assert_str_eq(run(html_text, "镇政府 ledger 2026/11 = ok"),
	    "镇政府 ledger 2026/11 = ok");
}

Test(html, text_empty_string_appends_nothing)
{
	buf_lit(&b, "x");
	html_text(&b, "");
	cr_assert_str_eq(b.data, "x");
	cr_assert_eq(b.len, 1);
}

Test(html, text_escapes_at_both_ends_and_in_a_row)
{
	cr_assert_str_eq(run(html_text, "<<&&>>"),
	    "&lt;&lt;&amp;&amp;&gt;&gt;");
}

Test(html, text_hostile_script_is_inert)
{
	const char	*s = run(html_text, "\"><script>alert(1)</script>");

	cr_assert_str_eq(s,
	    "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
	cr_assert_null(strchr(s, '<'));
}

Test(html, text_appends_after_existing_content)
{
	buf_lit(&b, "<p>");
	html_text(&b, "a<b");
	html_lit(&b, "</p>");
	cr_assert_str_eq(b.data, "<p>a&lt;b</p>");
}

Test(html, text_respects_buffer_cap)
{
	struct buf	 small;

	buf_init(&small, 8);
	html_text(&small, "<<<<");
	cr_assert_neq(buf_err(&small), 0);
	buf_release(&small);
}

/* html_attr */

Test(html, attr_escapes_quotes_and_angles)
{
	cr_assert_str_eq(run(html_attr, "say \"hi\" & 'bye' <x>"),
	    "say &quot;hi&quot; &amp; &#39;bye&#39; &lt;x&gt;");
}

Test(html, attr_double_quote_breakout_is_inert)
{
	const char	*s = run(html_attr, "\"><script>alert(1)</script>");

	cr_assert_null(strchr(s, '"'));
	cr_assert_null(strchr(s, '<'));
	cr_assert_null(strchr(s, '>'));
}

Test(html, attr_single_quote_breakout_is_inert)
{
	const char	*s = run(html_attr, "' onmouseover=x");

	cr_assert_str_eq(s, "&#39; onmouseover=x");
	cr_assert_null(strchr(s, '\''));
}

/* html_url */

Test(html, url_allows_absolute_path)
{
	cr_assert_str_eq(run(html_url, "/matters/12"), "/matters/12");
}

Test(html, url_allows_query_and_fragment_only)
{
	cr_assert_str_eq(run(html_url, "?page=2"), "?page=2");
	cr_assert_str_eq(run(html_url, "#top"), "#top");
}

Test(html, url_allows_relative_path_without_colon)
{
	cr_assert_str_eq(run(html_url, "edit"), "edit");
	cr_assert_str_eq(run(html_url, "a/b:c"), "a/b:c");
	cr_assert_str_eq(run(html_url, "../x?y=a:b#c:d"), "../x?y=a:b#c:d");
}

Test(html, url_allows_empty)
{
	buf_lit(&b, "x");
	html_url(&b, "");
	cr_assert_str_eq(b.data, "x");
}

Test(html, url_allows_http_https_mailto_tel)
{
	cr_assert_str_eq(run(html_url, "http://example.org/"),
	    "http://example.org/");
	cr_assert_str_eq(run(html_url, "https://example.org/a?b=c"),
	    "https://example.org/a?b=c");
	cr_assert_str_eq(run(html_url, "mailto:zhang@example.org"),
	    "mailto:zhang@example.org");
	cr_assert_str_eq(run(html_url, "tel:+86-10-12345678"),
	    "tel:+86-10-12345678");
}

Test(html, url_scheme_is_case_insensitive)
{
	cr_assert_str_eq(run(html_url, "HTTPS://example.org/"),
	    "HTTPS://example.org/");
	cr_assert_str_eq(run(html_url, "MailTo:a@b"), "MailTo:a@b");
}

Test(html, url_refuses_javascript)
{
	cr_assert_str_eq(run(html_url, "javascript:alert(1)"), "#");
}

Test(html, url_refuses_uppercase_javascript)
{
	cr_assert_str_eq(run(html_url, "JAVASCRIPT:alert(1)"), "#");
	cr_assert_str_eq(run(html_url, "JavaScript:alert(1)"), "#");
}

Test(html, url_refuses_data)
{
	cr_assert_str_eq(run(html_url,
	    "data:text/html,<script>alert(1)</script>"), "#");
}

Test(html, url_refuses_leading_space_before_scheme)
{
	cr_assert_str_eq(run(html_url, " javascript:alert(1)"), "#");
	cr_assert_str_eq(run(html_url, " /matters"), "#");
}

Test(html, url_refuses_leading_control_character)
{
	cr_assert_str_eq(run(html_url, "\x01javascript:alert(1)"), "#");
	cr_assert_str_eq(run(html_url, "\tjavascript:alert(1)"), "#");
}

Test(html, url_refuses_tab_or_newline_inside)
{
	/* Browsers drop these, turning "/\t/evil.com" into "//evil.com". */
	cr_assert_str_eq(run(html_url, "/\t/evil.com"), "#");
	cr_assert_str_eq(run(html_url, "java\nscript:alert(1)"), "#");
}

Test(html, url_refuses_protocol_relative)
{
	cr_assert_str_eq(run(html_url, "//evil.com"), "#");
	cr_assert_str_eq(run(html_url, "//evil.com/a"), "#");
}

Test(html, url_refuses_backslash_host_forms)
{
	cr_assert_str_eq(run(html_url, "/\\evil.com"), "#");
	cr_assert_str_eq(run(html_url, "\\\\evil.com"), "#");
	cr_assert_str_eq(run(html_url, "\\/evil.com"), "#");
}

Test(html, url_refuses_other_schemes)
{
	cr_assert_str_eq(run(html_url, "vbscript:msgbox(1)"), "#");
	cr_assert_str_eq(run(html_url, "ftp://example.org/"), "#");
	cr_assert_str_eq(run(html_url, "httpx://example.org/"), "#");
	cr_assert_str_eq(run(html_url, "file:///etc/passwd"), "#");
}

Test(html, url_escapes_allowed_url_for_attribute)
{
	cr_assert_str_eq(run(html_url, "/a?x=1&y=\"2\"'"),
	    "/a?x=1&amp;y=&quot;2&quot;&#39;");
}

Test(html, url_entity_encoded_scheme_stays_inert)
{
	/* Escaping the '&' keeps the browser from decoding the entity. */
	cr_assert_str_eq(run(html_url, "&#106;avascript:alert(1)"),
	    "&amp;#106;avascript:alert(1)");
}

/* html_url_path and html_url_arg */

Test(html, url_path_keeps_unreserved)
{
	cr_assert_str_eq(run(html_url_path, "AZaz09-._~"), "AZaz09-._~");
}

Test(html, url_path_percent_encodes_reserved)
{
	cr_assert_str_eq(run(html_url_path, "a/b c?d#e"),
	    "a%2Fb%20c%3Fd%23e");
}

Test(html, url_path_uses_uppercase_hex)
{
	cr_assert_str_eq(run(html_url_path, "\xff:"), "%FF%3A");
}

Test(html, url_path_encodes_utf8_bytes)
{
	cr_assert_str_eq(run(html_url_path, "镇"), "%E9%95%87");
}

Test(html, url_path_encodes_markup_characters)
{
	cr_assert_str_eq(run(html_url_path, "\"><'&"), "%22%3E%3C%27%26");
}

Test(html, url_path_encodes_long_runs)
{
	char	 in[101], want[301];
	size_t	 i;

	for (i = 0; i < 100; i++) {
		in[i] = ' ';
		memcpy(want + 3 * i, "%20", 3);
	}
	in[100] = '\0';
	want[300] = '\0';
	cr_assert_str_eq(run(html_url_path, in), want);
}

Test(html, url_arg_encodes_query_delimiters)
{
	cr_assert_str_eq(run(html_url_arg, "a&b=c+d e#f"),
	    "a%26b%3Dc%2Bd%20e%23f");
}

Test(html, url_arg_encodes_scheme_colon)
{
	cr_assert_str_eq(run(html_url_arg, "javascript:alert(1)"),
	    "javascript%3Aalert%281%29");
}

/* html_int and html_lit */

Test(html, int_writes_decimal)
{
	html_int(&b, 0);
	html_lit(&b, " ");
	html_int(&b, 42);
	html_lit(&b, " ");
	html_int(&b, -7);
	html_lit(&b, " ");
	html_int(&b, INT64_MIN);
	cr_assert_str_eq(b.data, "0 42 -7 -9223372036854775808");
}

Test(html, lit_appends_literal_markup)
{
	html_lit(&b, "<td class=\"n\">");
	cr_assert_str_eq(b.data, "<td class=\"n\">");
	cr_assert_eq(b.len, strlen("<td class=\"n\">"));
}

/* test-form.c: urldecode, urlencoded, cookie and multipart parsers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "base/arena.h"
#include "http/form.h"

#define CT	"multipart/form-data; boundary=XyZ"

static struct arena	 arena;
static struct kvlist	 kl;
static struct partlist	 pl;

static void
setup(void)
{
	arena_init(&arena);
	memset(&kl, 0, sizeof(kl));
	memset(&pl, 0, sizeof(pl));
}

static void
teardown(void)
{
	arena_release(&arena);
}

TestSuite(form, .init = setup, .fini = teardown);

/* Decode a string literal; the result goes in *out. */
static int
dec(const char *s, bool plus, char **out, size_t *len)
{
	return form_urldecode(&arena, s, strlen(s), plus, out, len);
}

static int
urlenc(const char *s, size_t max)
{
	return form_parse_urlencoded(&arena, s, strlen(s), max, &kl);
}

/* Parse a multipart body given as a literal (which may hold NUL bytes). */
#define MP(ct, lit)	form_parse_multipart(&arena, (ct), (lit), \
			    sizeof(lit) - 1, 16, &pl)

/* A body with one plain field whose headers are "hdr". */
#define ONE(hdr, data)	"--XyZ\r\n" hdr "\r\n\r\n" data "\r\n--XyZ--\r\n"

/* form_urldecode */

Test(form, urldecode_plain_text_unchanged)
{
	char	*out;
	size_t	 len;

	cr_assert_eq(dec("hello-world_1.2~", true, &out, &len), FORM_OK);
	cr_assert_str_eq(out, "hello-world_1.2~");
	cr_assert_eq(len, 16);
}

Test(form, urldecode_accepts_both_hex_cases)
{
	char	*out;
	size_t	 len;

	cr_assert_eq(dec("%2f%2F%4a%4A%e4%B9%a1", false, &out, &len),
	    FORM_OK);
	cr_assert_str_eq(out, "//JJ乡");
	cr_assert_eq(len, 7);
}

Test(form, urldecode_plus_is_space_when_asked)
{
	char	*out;

	cr_assert_eq(dec("a+b+%2B", true, &out, NULL), FORM_OK);
	cr_assert_str_eq(out, "a b +");
}

Test(form, urldecode_plus_kept_without_plus_flag)
{
	char	*out;

	cr_assert_eq(dec("a+b%20c", false, &out, NULL), FORM_OK);
	cr_assert_str_eq(out, "a+b c");
}

Test(form, urldecode_decodes_utf8)
{
	char	*out;
	size_t	 len;

	cr_assert_eq(dec("%E4%B9%A1%e9%95%87", true, &out, &len), FORM_OK);
	cr_assert_str_eq(out, "乡镇");
	cr_assert_eq(len, 6);
}

Test(form, urldecode_empty_input)
{
	char	*out;
	size_t	 len = 99;

	cr_assert_eq(form_urldecode(&arena, NULL, 0, true, &out, &len),
	    FORM_OK);
	cr_assert_str_eq(out, "");
	cr_assert_eq(len, 0);
}

Test(form, urldecode_rejects_truncated_escape)
{
	char	*out;

	cr_assert_eq(dec("%", true, &out, NULL), FORM_EBADENC);
	cr_assert_eq(dec("%4", true, &out, NULL), FORM_EBADENC);
	cr_assert_eq(dec("abc%4", true, &out, NULL), FORM_EBADENC);
	cr_assert_null(out);
}

Test(form, urldecode_rejects_non_hex_escape)
{
	char	*out;

	cr_assert_eq(dec("%G1", true, &out, NULL), FORM_EBADENC);
	cr_assert_eq(dec("%1g", true, &out, NULL), FORM_EBADENC);
	cr_assert_eq(dec("%%41", true, &out, NULL), FORM_EBADENC);
	cr_assert_eq(dec("% 1", true, &out, NULL), FORM_EBADENC);
}

Test(form, urldecode_does_not_read_past_length)
{
	char	*out;
	size_t	 len;

	/* The escape would be complete if the decoder read past n. */
	cr_assert_eq(form_urldecode(&arena, "ab%41", 4, true, &out, &len),
	    FORM_EBADENC);
	cr_assert_eq(form_urldecode(&arena, "ab%41", 2, true, &out, &len),
	    FORM_OK);
	cr_assert_str_eq(out, "ab");
}

Test(form, urldecode_rejects_percent_00)
{
	char	*out;

	cr_assert_eq(dec("a%00b", true, &out, NULL), FORM_EBADENC);
	cr_assert_null(out);
}

Test(form, urldecode_rejects_raw_nul)
{
	char	*out;

	cr_assert_eq(form_urldecode(&arena, "a\0b", 3, true, &out, NULL),
	    FORM_EBADENC);
}

Test(form, urldecode_rejects_overlong_utf8)
{
	char	*out;

	cr_assert_eq(dec("%C0%AF", true, &out, NULL), FORM_EBADENC);
	cr_assert_eq(dec("%E0%80%AF", true, &out, NULL), FORM_EBADENC);
}

Test(form, urldecode_rejects_lone_surrogate)
{
	char	*out;

	cr_assert_eq(dec("%ED%A0%80", true, &out, NULL), FORM_EBADENC);
	cr_assert_eq(dec("%ED%BF%BF", true, &out, NULL), FORM_EBADENC);
}

Test(form, urldecode_rejects_ff)
{
	char	*out;

	cr_assert_eq(dec("%FF", true, &out, NULL), FORM_EBADENC);
	cr_assert_eq(dec("%fe", true, &out, NULL), FORM_EBADENC);
}

Test(form, urldecode_rejects_truncated_utf8)
{
	char	*out;

	cr_assert_eq(dec("%E4%B9", true, &out, NULL), FORM_EBADENC);
	cr_assert_eq(dec("%E4%B9x", true, &out, NULL), FORM_EBADENC);
}

Test(form, urldecode_rejects_raw_invalid_utf8)
{
	char	*out;

	cr_assert_eq(dec("caf\xe9", true, &out, NULL), FORM_EBADENC);
}

/* form_parse_urlencoded */

Test(form, urlencoded_parses_pairs)
{
	cr_assert_eq(urlenc("a=1&b=two", 10), FORM_OK);
	cr_assert_eq(kl.n, 2);
	cr_assert_str_eq(kv_get(&kl, "a"), "1");
	cr_assert_str_eq(kv_get(&kl, "b"), "two");
	cr_assert_eq(kl.v[1].len, 3);
}

Test(form, urlencoded_decodes_names_and_values)
{
	cr_assert_eq(urlenc("full+name=Li+Ming%21&%E5%90%8D=%E4%B9%A1", 10),
	    FORM_OK);
	cr_assert_str_eq(kv_get(&kl, "full name"), "Li Ming!");
	cr_assert_str_eq(kv_get(&kl, "名"), "乡");
}

Test(form, urlencoded_value_may_contain_equals)
{
	cr_assert_eq(urlenc("q=a=b", 10), FORM_OK);
	cr_assert_str_eq(kv_get(&kl, "q"), "a=b");
}

Test(form, urlencoded_skips_empty_pairs)
{
	cr_assert_eq(urlenc("&&a=1&&&b=2&", 10), FORM_OK);
	cr_assert_eq(kl.n, 2);
	cr_assert_str_eq(kl.v[0].name, "a");
	cr_assert_str_eq(kl.v[1].name, "b");
}

Test(form, urlencoded_missing_equals_means_empty_value)
{
	cr_assert_eq(urlenc("flag&x=1", 10), FORM_OK);
	cr_assert_eq(kl.n, 2);
	cr_assert_str_eq(kv_get(&kl, "flag"), "");
	cr_assert_eq(kl.v[0].len, 0);
}

Test(form, urlencoded_skips_empty_names)
{
	cr_assert_eq(urlenc("=1&a=2&=", 10), FORM_OK);
	cr_assert_eq(kl.n, 1);
	cr_assert_str_eq(kl.v[0].name, "a");
}

Test(form, urlencoded_keeps_duplicates_in_order)
{
	cr_assert_eq(urlenc("tag=x&tag=y&tag=z", 10), FORM_OK);
	cr_assert_eq(kl.n, 3);
	cr_assert_str_eq(kv_get(&kl, "tag"), "x");
	cr_assert_str_eq(kl.v[1].value, "y");
	cr_assert_str_eq(kl.v[2].value, "z");
}

Test(form, urlencoded_accepts_exactly_max)
{
	cr_assert_eq(urlenc("a=1&b=2&c=3", 3), FORM_OK);
	cr_assert_eq(kl.n, 3);
}

Test(form, urlencoded_rejects_too_many_fields)
{
	cr_assert_eq(urlenc("a=1&b=2&c=3&d=4", 3), FORM_ETOOMANY);
	cr_assert_eq(kl.n, 0, "a refused body must leave no fields");
}

Test(form, urlencoded_empty_pairs_do_not_count_toward_max)
{
	cr_assert_eq(urlenc("&&&&a=1&&&&&=x&&&b=2", 2), FORM_OK);
	cr_assert_eq(kl.n, 2);
}

Test(form, urlencoded_rejects_bad_escape)
{
	cr_assert_eq(urlenc("a=1&b=%zz", 10), FORM_EBADENC);
	cr_assert_eq(kl.n, 0);
	cr_assert_eq(urlenc("a%=1", 10), FORM_EBADENC);
}

Test(form, urlencoded_rejects_nul_and_bad_utf8)
{
	cr_assert_eq(urlenc("a=x%00y", 10), FORM_EBADENC);
	cr_assert_eq(urlenc("a=%C0%AF", 10), FORM_EBADENC);
	cr_assert_eq(urlenc("%ED%A0%80=1", 10), FORM_EBADENC);
	cr_assert_eq(urlenc("a=%FF", 10), FORM_EBADENC);
	cr_assert_eq(kl.n, 0);
}

Test(form, urlencoded_appends_and_restores_on_error)
{
	cr_assert_eq(urlenc("q=1", 10), FORM_OK);
	cr_assert_eq(urlenc("a=2&b=%FF", 10), FORM_EBADENC);
	cr_assert_eq(kl.n, 1);
	cr_assert_eq(urlenc("a=2", 1), FORM_OK, "max counts this call only");
	cr_assert_eq(kl.n, 2);
}

Test(form, urlencoded_empty_input)
{
	cr_assert_eq(form_parse_urlencoded(&arena, NULL, 0, 10, &kl),
	    FORM_OK);
	cr_assert_eq(kl.n, 0);
}

/* form_parse_cookies */

Test(form, cookies_parses_pairs)
{
	cr_assert_eq(form_parse_cookies(&arena, "sid=abc123; theme=dark",
	    &kl), FORM_OK);
	cr_assert_eq(kl.n, 2);
	cr_assert_str_eq(kv_get(&kl, "sid"), "abc123");
	cr_assert_str_eq(kv_get(&kl, "theme"), "dark");
}

Test(form, cookies_trims_spaces_and_tabs)
{
	cr_assert_eq(form_parse_cookies(&arena, " \ta = 1 \t;\t b=2  ;c=3",
	    &kl), FORM_OK);
	cr_assert_eq(kl.n, 3);
	cr_assert_str_eq(kv_get(&kl, "a"), "1");
	cr_assert_eq(kl.v[0].len, 1);
	cr_assert_str_eq(kv_get(&kl, "b"), "2");
	cr_assert_str_eq(kv_get(&kl, "c"), "3");
}

Test(form, cookies_strips_one_pair_of_quotes)
{
	cr_assert_eq(form_parse_cookies(&arena,
	    "a=\"x y\"; b=\"\"z\"\"; c=\"\"", &kl), FORM_OK);
	cr_assert_str_eq(kv_get(&kl, "a"), "x y");
	cr_assert_str_eq(kv_get(&kl, "b"), "\"z\"");
	cr_assert_str_eq(kv_get(&kl, "c"), "");
}

Test(form, cookies_keeps_unmatched_quote)
{
	cr_assert_eq(form_parse_cookies(&arena, "a=\"x; b=\"", &kl),
	    FORM_OK);
	cr_assert_str_eq(kv_get(&kl, "a"), "\"x");
	cr_assert_str_eq(kv_get(&kl, "b"), "\"");
}

Test(form, cookies_values_not_percent_decoded)
{
	cr_assert_eq(form_parse_cookies(&arena, "a=%41%00+b", &kl), FORM_OK);
	cr_assert_str_eq(kv_get(&kl, "a"), "%41%00+b");
}

Test(form, cookies_value_may_contain_equals)
{
	cr_assert_eq(form_parse_cookies(&arena, "tok=YWJj==", &kl), FORM_OK);
	cr_assert_str_eq(kv_get(&kl, "tok"), "YWJj==");
}

Test(form, cookies_skip_garbage_pairs)
{
	cr_assert_eq(form_parse_cookies(&arena,
	    "junk; =v; ;; a=1; \x01x=2; y=\x7f; z=\xe4\xb9\xa1; b=\tq\tr; c=3",
	    &kl), FORM_OK);
	cr_assert_eq(kl.n, 2);
	cr_assert_str_eq(kl.v[0].name, "a");
	cr_assert_str_eq(kl.v[1].name, "c");
	cr_assert_null(kv_get(&kl, "junk"));
	cr_assert_null(kv_get(&kl, "z"));
}

Test(form, cookies_empty_value_kept)
{
	cr_assert_eq(form_parse_cookies(&arena, "a=; b=1", &kl), FORM_OK);
	cr_assert_eq(kl.n, 2);
	cr_assert_str_eq(kv_get(&kl, "a"), "");
}

Test(form, cookies_duplicates_first_wins)
{
	cr_assert_eq(form_parse_cookies(&arena, "sid=first; sid=second",
	    &kl), FORM_OK);
	cr_assert_eq(kl.n, 2);
	cr_assert_str_eq(kv_get(&kl, "sid"), "first");
}

Test(form, cookies_at_most_64)
{
	char	 h[2048];
	size_t	 off = 0;
	int	 i, k;

	for (i = 0; i < 70; i++) {
		k = snprintf(h + off, sizeof(h) - off, "c%d=%d; ", i, i);
		cr_assert(k > 0 && (size_t)k < sizeof(h) - off);
		off += (size_t)k;
	}
	cr_assert_eq(form_parse_cookies(&arena, h, &kl), FORM_OK);
	cr_assert_eq(kl.n, 64);
	cr_assert_str_eq(kv_get(&kl, "c63"), "63");
	cr_assert_null(kv_get(&kl, "c64"));
}

Test(form, cookies_null_header)
{
	cr_assert_eq(form_parse_cookies(&arena, NULL, &kl), FORM_OK);
	cr_assert_eq(form_parse_cookies(&arena, "", &kl), FORM_OK);
	cr_assert_eq(kl.n, 0);
}

/* form_parse_multipart */

static const char two_fields_and_file[] =
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"title\"\r\n"
	"\r\n"
	"Road repair\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"note\"\r\n"
	"\r\n"
	"line one\r\nline two 乡\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
	"Content-Type: application/octet-stream\r\n"
	"\r\n"
	"\x00\x01\r\n\xff\r\n-\r\n--XyZz\r--XyZ\n\x00"
	"\r\n"
	"--XyZ--\r\n";

Test(form, multipart_two_fields_and_a_file)
{
	const struct part	*p;
	static const char	 bin[] = "\x00\x01\r\n\xff\r\n-\r\n--XyZz\r"
				     "--XyZ\n\x00";

	cr_assert_eq(form_parse_multipart(&arena, CT, two_fields_and_file,
	    sizeof(two_fields_and_file) - 1, 16, &pl), FORM_OK);
	cr_assert_eq(pl.n, 3);
	p = part_get(&pl, "title");
	cr_assert_not_null(p);
	cr_assert_str_eq(p->data, "Road repair");
	cr_assert_eq(p->len, 11);
	cr_assert_null(p->filename);
	cr_assert_null(p->type);
	p = part_get(&pl, "note");
	cr_assert_not_null(p);
	cr_assert_str_eq(p->data, "line one\r\nline two 乡");
	p = part_get(&pl, "file");
	cr_assert_not_null(p);
	cr_assert_str_eq(p->filename, "a.bin");
	cr_assert_str_eq(p->type, "application/octet-stream");
	cr_assert_eq(p->len, sizeof(bin) - 1);
	cr_assert(memcmp(p->data, bin, p->len) == 0);
}

Test(form, multipart_file_data_points_into_body)
{
	const struct part	*p;

	cr_assert_eq(form_parse_multipart(&arena, CT, two_fields_and_file,
	    sizeof(two_fields_and_file) - 1, 16, &pl), FORM_OK);
	p = part_get(&pl, "file");
	cr_assert_not_null(p);
	cr_assert(p->data > two_fields_and_file &&
	    p->data < two_fields_and_file + sizeof(two_fields_and_file));
	p = part_get(&pl, "title");
	cr_assert(p->data < two_fields_and_file ||
	    p->data >= two_fields_and_file + sizeof(two_fields_and_file),
	    "plain fields are NUL-terminated copies");
}

Test(form, multipart_boundary_in_quotes)
{
	cr_assert_eq(MP("multipart/form-data; boundary=\"a b:c\"",
	    "--a b:c\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n"
	    "--a b:c--"), FORM_OK);
	cr_assert_eq(pl.n, 1);
	cr_assert_str_eq(part_get(&pl, "x")->data, "1");
}

Test(form, multipart_boundary_param_case_insensitive)
{
	cr_assert_eq(MP("Multipart/Form-Data;charset=utf-8;  BOUNDARY=XyZ",
	    ONE("Content-Disposition: form-data; name=x", "v")), FORM_OK);
	cr_assert_str_eq(part_get(&pl, "x")->data, "v");
}

Test(form, multipart_missing_boundary)
{
	cr_assert_eq(MP("multipart/form-data",
	    ONE("Content-Disposition: form-data; name=x", "v")),
	    FORM_EMALFORMED);
	cr_assert_eq(MP("multipart/form-data; boundary=",
	    ONE("Content-Disposition: form-data; name=x", "v")),
	    FORM_EMALFORMED);
	cr_assert_eq(MP("multipart/form-data; boundary=\"\"",
	    ONE("Content-Disposition: form-data; name=x", "v")),
	    FORM_EMALFORMED);
	cr_assert_eq(MP(NULL, ONE("Content-Disposition: form-data; name=x",
	    "v")), FORM_EMALFORMED);
	cr_assert_eq(pl.n, 0);
}

Test(form, multipart_boundary_length_limit)
{
	char	 ct[128], body[256];
	int	 k;

	/* 70 characters is the RFC 2046 limit. */
	k = snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%070d", 7);
	cr_assert(k > 0);
	k = snprintf(body, sizeof(body), "--%070d\r\nContent-Disposition: "
	    "form-data; name=x\r\n\r\nv\r\n--%070d--\r\n", 7, 7);
	cr_assert(k > 0 && (size_t)k < sizeof(body));
	cr_assert_eq(form_parse_multipart(&arena, ct, body, (size_t)k, 16,
	    &pl), FORM_OK);
	cr_assert_eq(pl.n, 1);
	k = snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%071d", 7);
	cr_assert_eq(form_parse_multipart(&arena, ct, body, strlen(body), 16,
	    &pl), FORM_EMALFORMED);
}

Test(form, multipart_boundary_bad_characters)
{
	cr_assert_eq(MP("multipart/form-data; boundary=\"a\\\"b\"",
	    "--a\"b\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n"
	    "--a\"b--\r\n"), FORM_EMALFORMED);
	cr_assert_eq(MP("multipart/form-data; boundary=\"XyZ \"",
	    "--XyZ \r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n"
	    "--XyZ --\r\n"), FORM_EMALFORMED);
	cr_assert_eq(MP("multipart/form-data; boundary=\"X Z\"",
	    "--X Z\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n"
	    "--X Z--\r\n"), FORM_OK);
}

Test(form, multipart_duplicate_boundary_refused)
{
	/* The body matches either one, whichever a parser might pick. */
	cr_assert_eq(MP("multipart/form-data; boundary=XyZ; boundary=Abc",
	    ONE("Content-Disposition: form-data; name=x", "v")),
	    FORM_EMALFORMED);
	cr_assert_eq(MP("multipart/form-data; boundary=Abc; boundary=XyZ",
	    ONE("Content-Disposition: form-data; name=x", "v")),
	    FORM_EMALFORMED);
	cr_assert_eq(pl.n, 0);
}

Test(form, multipart_malformed_content_type_parameters)
{
	cr_assert_eq(MP("multipart/form-data; boundary=XyZ; junk",
	    ONE("Content-Disposition: form-data; name=x", "v")),
	    FORM_EMALFORMED);
	cr_assert_eq(MP("multipart/form-data; boundary=\"XyZ",
	    ONE("Content-Disposition: form-data; name=x", "v")),
	    FORM_EMALFORMED);
	cr_assert_eq(MP("multipart/form-data boundary=XyZ",
	    ONE("Content-Disposition: form-data; name=x", "v")),
	    FORM_EMALFORMED);
	cr_assert_eq(MP("multipart/form-data; boundary = XyZ ;",
	    ONE("Content-Disposition: form-data; name=x", "v")), FORM_OK);
}

Test(form, multipart_requires_form_data_type)
{
	cr_assert_eq(MP("multipart/mixed; boundary=XyZ",
	    ONE("Content-Disposition: form-data; name=x", "v")),
	    FORM_EMALFORMED);
	cr_assert_eq(MP("text/plain; boundary=XyZ",
	    ONE("Content-Disposition: form-data; name=x", "v")),
	    FORM_EMALFORMED);
}

Test(form, multipart_missing_closing_delimiter)
{
	cr_assert_eq(MP(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=x\r\n\r\nv\r\n--XyZ\r\n"), FORM_EMALFORMED);
	cr_assert_eq(MP(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=x\r\n\r\nv\r\n"), FORM_EMALFORMED);
	cr_assert_eq(MP(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=x\r\n\r\nv\r\n--XyZ"), FORM_EMALFORMED);
	cr_assert_eq(pl.n, 0);
}

Test(form, multipart_no_delimiter_at_all)
{
	cr_assert_eq(MP(CT, "just some text"), FORM_EMALFORMED);
	cr_assert_eq(form_parse_multipart(&arena, CT, "", 0, 16, &pl),
	    FORM_EMALFORMED);
}

Test(form, multipart_preamble_tolerated)
{
	cr_assert_eq(MP(CT, "This is a preamble.\r\n--XyZ is not it\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n"
	    "--XyZ--\r\n"), FORM_OK);
	cr_assert_eq(pl.n, 1);
	cr_assert_str_eq(part_get(&pl, "x")->data, "v");
}

Test(form, multipart_epilogue_ignored)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=x", "v")
	    "epilogue\r\n--XyZ\r\ngarbage"), FORM_OK);
	cr_assert_eq(pl.n, 1);
}

Test(form, multipart_transport_padding_tolerated)
{
	cr_assert_eq(MP(CT, "--XyZ  \t\r\nContent-Disposition: form-data; "
	    "name=x\r\n\r\nv\r\n--XyZ--"), FORM_OK);
	cr_assert_str_eq(part_get(&pl, "x")->data, "v");
}

Test(form, multipart_no_parts)
{
	cr_assert_eq(MP(CT, "--XyZ--\r\n"), FORM_OK);
	cr_assert_eq(pl.n, 0);
}

Test(form, multipart_near_miss_delimiter_is_data)
{
	const struct part	*p;

	cr_assert_eq(MP(CT, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=f; filename=a\r\n\r\nA\r\n--XyZW\r\nB\r\n--XyZ--\r\n"),
	    FORM_OK);
	p = part_get(&pl, "f");
	cr_assert_not_null(p);
	cr_assert_eq(p->len, 12);
	cr_assert(memcmp(p->data, "A\r\n--XyZW\r\nB", 12) == 0);
}

Test(form, multipart_empty_field_value)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=x", "")),
	    FORM_OK);
	cr_assert_str_eq(part_get(&pl, "x")->data, "");
	cr_assert_eq(part_get(&pl, "x")->len, 0);
}

Test(form, multipart_filename_dotdot_reduced)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=f; "
	    "filename=\"../../etc/passwd\"", "x")), FORM_OK);
	cr_assert_str_eq(part_get(&pl, "f")->filename, "passwd");
}

Test(form, multipart_filename_windows_path_reduced)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=f; "
	    "filename=\"C:\\Users\\li\\..\\evil.txt\"", "x")), FORM_OK);
	cr_assert_str_eq(part_get(&pl, "f")->filename, "evil.txt");
}

Test(form, multipart_filename_escaped_backslashes_reduced)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=f; "
	    "filename=\"..\\\\..\\\\a\\\"b.txt\"", "x")), FORM_OK);
	cr_assert_str_eq(part_get(&pl, "f")->filename, "a\"b.txt");
}

Test(form, multipart_filename_dots_and_empty_become_file)
{
	cr_assert_eq(MP(CT, "--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; filename=\"..\"\r\n\r\n1\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=b; filename=\"x/.\"\r\n\r\n2\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=c; filename=\"\"\r\n\r\n\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=d; filename=\"x/\"\r\n\r\n4\r\n"
	    "--XyZ--\r\n"), FORM_OK);
	cr_assert_eq(pl.n, 4);
	cr_assert_str_eq(part_get(&pl, "a")->filename, "file");
	cr_assert_str_eq(part_get(&pl, "b")->filename, "file");
	cr_assert_str_eq(part_get(&pl, "c")->filename, "file");
	cr_assert_eq(part_get(&pl, "c")->len, 0);
	cr_assert_str_eq(part_get(&pl, "d")->filename, "file");
}

Test(form, multipart_filename_star_utf8)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=f; "
	    "filename=\"fallback.txt\"; filename*=UTF-8''%E4%B9%A1%2F..%2Fa.txt",
	    "x")), FORM_OK);
	cr_assert_str_eq(part_get(&pl, "f")->filename, "a.txt");
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=g; "
	    "filename*=utf-8'zh'%E4%B9%A1.txt", "x")), FORM_OK);
	cr_assert_str_eq(part_get(&pl, "g")->filename, "乡.txt");
}

Test(form, multipart_filename_star_bad_escape_refused)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=f; "
	    "filename*=UTF-8''%C0%AF", "x")), FORM_EBADENC);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=f; "
	    "filename*=UTF-8''%0A.txt", "x")), FORM_EBADENC);
}

Test(form, multipart_filename_utf8_kept)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=f; "
	    "filename=\"报告 2024.pdf\"", "%PDF")), FORM_OK);
	cr_assert_str_eq(part_get(&pl, "f")->filename, "报告 2024.pdf");
}

Test(form, multipart_file_part_invalid_utf8_name_refused)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; "
	    "name=\"f\xff\"; filename=\"a.txt\"", "x")), FORM_EBADENC);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=f; "
	    "filename=\"a\xc0\xaf.txt\"", "x")), FORM_EBADENC);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=f; "
	    "filename=\"\xed\xa0\x80.txt\"", "x")), FORM_EBADENC);
	cr_assert_eq(pl.n, 0);
}

Test(form, multipart_control_characters_in_names_refused)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=f; "
	    "filename=\"a\x1b[31m.txt\"", "x")), FORM_EBADENC);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=f; "
	    "filename=\"a\tb\"", "x")), FORM_EBADENC);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=f; "
	    "filename=\"a\xc2\x85\"", "x")), FORM_EBADENC);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; "
	    "name=\"a\x00b\"", "x")), FORM_EBADENC);
}

Test(form, multipart_field_invalid_utf8_refused)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=x",
	    "caf\xe9")), FORM_EBADENC);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=x",
	    "\xed\xa0\x80")), FORM_EBADENC);
	cr_assert_eq(pl.n, 0);
}

Test(form, multipart_field_nul_refused)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=x",
	    "a\x00" "b")), FORM_EBADENC);
}

Test(form, multipart_file_may_hold_any_bytes)
{
	const struct part	*p;

	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=x; "
	    "filename=b", "\xff\x00\xc0\xaf")), FORM_OK);
	p = part_get(&pl, "x");
	cr_assert_eq(p->len, 4);
	cr_assert(memcmp(p->data, "\xff\x00\xc0\xaf", 4) == 0);
}

Test(form, multipart_part_without_name_malformed)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data", "v")),
	    FORM_EMALFORMED);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=\"\"",
	    "v")), FORM_EMALFORMED);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; "
	    "filename=a.txt", "v")), FORM_EMALFORMED);
}

Test(form, multipart_part_without_disposition_malformed)
{
	cr_assert_eq(MP(CT, ONE("Content-Type: text/plain", "v")),
	    FORM_EMALFORMED);
	cr_assert_eq(MP(CT, "--XyZ\r\n\r\nv\r\n--XyZ--\r\n"),
	    FORM_EMALFORMED);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: attachment; name=x",
	    "v")), FORM_EMALFORMED);
}

Test(form, multipart_header_names_case_insensitive)
{
	const struct part	*p;

	cr_assert_eq(MP(CT, ONE("content-disposition:FORM-DATA; NAME=\"x\"; "
	    "FileName=\"y.txt\"\r\ncontent-TYPE:  text/plain  ", "v")),
	    FORM_OK);
	p = part_get(&pl, "x");
	cr_assert_not_null(p);
	cr_assert_str_eq(p->filename, "y.txt");
	cr_assert_str_eq(p->type, "text/plain");
}

Test(form, multipart_unknown_headers_ignored)
{
	cr_assert_eq(MP(CT, ONE("X-Thing: \xff\x01whatever\r\n"
	    "Content-Disposition: form-data; name=x", "v")), FORM_OK);
	cr_assert_str_eq(part_get(&pl, "x")->data, "v");
}

Test(form, multipart_duplicate_disposition_malformed)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=x\r\n"
	    "Content-Disposition: form-data; name=y", "v")), FORM_EMALFORMED);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=x; "
	    "name=y", "v")), FORM_EMALFORMED);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=x\r\n"
	    "Content-Type: text/plain\r\nContent-Type: text/html", "v")),
	    FORM_EMALFORMED);
}

Test(form, multipart_bad_header_lines_malformed)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=x\n"
	    "X: y", "v")), FORM_EMALFORMED);
	cr_assert_eq(MP(CT, ONE("Content-Disposition : form-data; name=x",
	    "v")), FORM_EMALFORMED);
	cr_assert_eq(MP(CT, ONE("no colon here\r\n"
	    "Content-Disposition: form-data; name=x", "v")), FORM_EMALFORMED);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=\"x",
	    "v")), FORM_EMALFORMED);
	cr_assert_eq(MP(CT, ONE("Content-Type: text/pl\xe4in\r\n"
	    "Content-Disposition: form-data; name=x", "v")), FORM_EMALFORMED);
}

Test(form, multipart_too_many_headers_malformed)
{
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=x\r\n"
	    "A: 1\r\nA: 2\r\nA: 3\r\nA: 4\r\nA: 5\r\nA: 6\r\nA: 7\r\nA: 8\r\n"
	    "A: 9\r\nA: 10\r\nA: 11\r\nA: 12\r\nA: 13\r\nA: 14\r\nA: 15", "v")),
	    FORM_OK);
	cr_assert_eq(MP(CT, ONE("Content-Disposition: form-data; name=x\r\n"
	    "A: 1\r\nA: 2\r\nA: 3\r\nA: 4\r\nA: 5\r\nA: 6\r\nA: 7\r\nA: 8\r\n"
	    "A: 9\r\nA: 10\r\nA: 11\r\nA: 12\r\nA: 13\r\nA: 14\r\nA: 15\r\n"
	    "A: 16", "v")), FORM_EMALFORMED);
}

Test(form, multipart_header_block_size_limited)
{
	char	*body;
	size_t	 n = 0, cap = 20000;
	int	 k;

	body = arena_alloc(&arena, cap);
	k = snprintf(body, cap, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=x\r\nX-Pad: ");
	cr_assert(k > 0);
	n = (size_t)k;
	memset(body + n, 'a', 9000);
	n += 9000;
	k = snprintf(body + n, cap - n, "\r\n\r\nv\r\n--XyZ--\r\n");
	cr_assert(k > 0);
	n += (size_t)k;
	cr_assert_eq(form_parse_multipart(&arena, CT, body, n, 16, &pl),
	    FORM_EMALFORMED);
}

Test(form, multipart_parts_over_max_refused)
{
	static const char	 body[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=b\r\n\r\n2\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=c\r\n\r\n3\r\n"
	    "--XyZ--\r\n";

	cr_assert_eq(form_parse_multipart(&arena, CT, body, sizeof(body) - 1,
	    2, &pl), FORM_ETOOMANY);
	cr_assert_eq(pl.n, 0, "a refused body must leave no parts");
	cr_assert_eq(form_parse_multipart(&arena, CT, body, sizeof(body) - 1,
	    3, &pl), FORM_OK);
	cr_assert_eq(pl.n, 3);
}

Test(form, multipart_duplicate_names_first_wins)
{
	cr_assert_eq(MP(CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n2\r\n"
	    "--XyZ--"), FORM_OK);
	cr_assert_eq(pl.n, 2);
	cr_assert_str_eq(part_get(&pl, "a")->data, "1");
	cr_assert_str_eq(pl.v[1].data, "2");
}

/*
 * A body of "count" copies of "unit" after one file part's headers, with
 * boundary "b"; the parse must fail (no close delimiter) in linear time.
 */
static int
parse_repeated(const char *b, const char *unit, size_t count)
{
	char	 ct[128], *body;
	size_t	 n, ulen = strlen(unit), i;
	int	 k;

	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b);
	body = arena_alloc(&arena, 256 + count * ulen);
	k = snprintf(body, 256, "--%s\r\nContent-Disposition: form-data; "
	    "name=f; filename=a\r\n\r\n", b);
	cr_assert(k > 0 && k < 256);
	n = (size_t)k;
	for (i = 0; i < count; i++) {
		memcpy(body + n, unit, ulen);
		n += ulen;
	}
	return form_parse_multipart(&arena, ct, body, n, 16, &pl);
}

Test(form, multipart_pathological_input_is_linear, .timeout = 20)
{
	char	 b[71], unit[80];

	memset(b, 'a', 70);
	b[70] = '\0';
	/* "\r\n--" and 69 of the 70 boundary bytes, then a mismatch. */
	snprintf(unit, sizeof(unit), "\r\n--%.69sb", b);
	cr_assert_eq(parse_repeated(b, unit, 100000), FORM_EMALFORMED);
	cr_assert_eq(parse_repeated("XyZ", "\r\n--XyZX", 1000000),
	    FORM_EMALFORMED);
	cr_assert_eq(parse_repeated("XyZ", "\r\n--XyZ \t ", 1000000),
	    FORM_EMALFORMED);
	cr_assert_eq(parse_repeated("XyZ", "\r", 4000000), FORM_EMALFORMED);
	cr_assert_eq(parse_repeated("XyZ", "\r\n\r\n-", 1000000),
	    FORM_EMALFORMED);
	cr_assert_eq(pl.n, 0);
}

/* kv_get, part_get, kv_add */

Test(form, kv_get_missing_returns_null)
{
	cr_assert_null(kv_get(&kl, "a"));
	kv_add(&arena, &kl, "a", "1", 1);
	cr_assert_null(kv_get(&kl, "b"));
	cr_assert_null(kv_get(NULL, "a"));
	cr_assert_null(part_get(&pl, "a"));
}

Test(form, kv_add_grows_and_keeps_order)
{
	char	 name[16], value[16];
	size_t	 i;
	int	 k;

	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "n%zu", i);
		k = snprintf(value, sizeof(value), "v%zu", i);
		kv_add(&arena, &kl, name, value, (size_t)k);
	}
	cr_assert_eq(kl.n, 100);
	cr_assert_geq(kl.cap, 100);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "n%zu", i);
		snprintf(value, sizeof(value), "v%zu", i);
		cr_assert_str_eq(kl.v[i].name, name);
		cr_assert_str_eq(kv_get(&kl, name), value);
	}
}

Test(form, kv_add_copies_strings)
{
	char	 name[] = "key", value[] = "value";

	kv_add(&arena, &kl, name, value, 3);
	name[0] = 'X';
	value[0] = 'X';
	cr_assert_str_eq(kl.v[0].name, "key");
	cr_assert_str_eq(kv_get(&kl, "key"), "val");
	cr_assert_eq(kl.v[0].len, 3);
}

/* test-router.c: route patterns against request paths. */
#include <stdbool.h>
#include <string.h>

#include <criterion/criterion.h>

#include "base/arena.h"
#include "http/form.h"
#include "http/router.h"

static struct arena	 a;
static struct kvlist	 params;

static void
setup(void)
{
	arena_init(&a);
	memset(&params, 0, sizeof(params));
}

static void
teardown(void)
{
	arena_release(&a);
}

TestSuite(router, .init = setup, .fini = teardown);

static bool
match(const char *pattern, const char *path)
{
	return router_match(pattern, path, &a, &params);
}

Test(router, root_matches_only_root)
{
	cr_assert(match("/", "/"));
	cr_assert_eq(params.n, 0);
	cr_assert_not(match("/", "/people"));
	cr_assert_not(match("/", "//"));
	cr_assert_not(match("/", ""));
	cr_assert_not(match("/people", "/"));
}

Test(router, literal_segments_match_exactly)
{
	static const struct {
		const char	*pat, *path;
		bool		 ok;
	} cases[] = {
		{ "/people", "/people", true },
		{ "/people/new", "/people/new", true },
		{ "/api/v1/session", "/api/v1/session", true },
		{ "/people", "/People", false },
		{ "/people", "/peoples", false },
		{ "/peoples", "/people", false },
		{ "/people/new", "/people", false },
		{ "/people", "/people/new", false },
		{ "/people/new", "/people/old", false },
		{ "/people", "people", false },
		{ "/a/b", "/a//b", false },
		{ "/人员", "/人员", true },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(match(cases[i].pat, cases[i].path), cases[i].ok,
		    "%s vs %s", cases[i].pat, cases[i].path);
	cr_assert_eq(params.n, 0);
}

Test(router, capture_takes_one_segment)
{
	cr_assert(match("/people/:id", "/people/12"));
	cr_assert_eq(params.n, 1);
	cr_assert_str_eq(params.v[0].name, "id");
	cr_assert_str_eq(params.v[0].value, "12");
	cr_assert_eq(params.v[0].len, 2);
	cr_assert_str_eq(kv_get(&params, "id"), "12");
}

Test(router, capture_in_the_middle)
{
	cr_assert(match("/people/:id/edit", "/people/7/edit"));
	cr_assert_str_eq(kv_get(&params, "id"), "7");
}

Test(router, capture_does_not_span_slashes)
{
	cr_assert_not(match("/people/:id", "/people/12/edit"));
	cr_assert_not(match("/people/:id/edit", "/people/1/2/edit"));
	cr_assert_eq(params.n, 0);
}

Test(router, capture_keeps_any_text_of_its_segment)
{
	cr_assert(match("/activate/:token", "/activate/Ab-9_x.y~z%"));
	cr_assert_str_eq(kv_get(&params, "token"), "Ab-9_x.y~z%");
	cr_assert(match("/村/:name", "/村/张家湾"));
	cr_assert_str_eq(kv_get(&params, "name"), "张家湾");
}

Test(router, several_captures_in_order)
{
	cr_assert(match("/villages/:vid/groups/:gid/:action",
	    "/villages/3/groups/44/rename"));
	cr_assert_eq(params.n, 3);
	cr_assert_str_eq(params.v[0].name, "vid");
	cr_assert_str_eq(params.v[0].value, "3");
	cr_assert_str_eq(params.v[1].name, "gid");
	cr_assert_str_eq(params.v[1].value, "44");
	cr_assert_str_eq(params.v[2].name, "action");
	cr_assert_str_eq(params.v[2].value, "rename");
}

Test(router, empty_segment_is_not_captured)
{
	cr_assert_not(match("/people/:id", "/people/"));
	cr_assert_not(match("/people/:id/edit", "/people//edit"));
	cr_assert_not(match("/:a", "/"));
	cr_assert_eq(params.n, 0);
}

Test(router, trailing_slash_matches_only_a_pattern_with_one)
{
	cr_assert_not(match("/people", "/people/"));
	cr_assert_not(match("/people/", "/people"));
	cr_assert(match("/people/", "/people/"));
	cr_assert_not(match("/people/:id", "/people/12/"));
	cr_assert(match("/people/:id/", "/people/12/"));
	cr_assert_str_eq(kv_get(&params, "id"), "12");
}

Test(router, rest_capture_takes_the_remaining_path)
{
	cr_assert(match("/static/*file", "/static/app.css"));
	cr_assert_str_eq(kv_get(&params, "file"), "app.css");
	cr_assert(match("/files/*rest", "/files/a/b/c.txt"));
	cr_assert_str_eq(kv_get(&params, "rest"), "a/b/c.txt");
	params.n = 0;
	cr_assert(match("/files/*rest", "/files/dir/"));
	cr_assert_str_eq(kv_get(&params, "rest"), "dir/");
}

Test(router, rest_capture_is_never_empty)
{
	cr_assert_not(match("/files/*rest", "/files/"));
	cr_assert_not(match("/files/*rest", "/files"));
	cr_assert_not(match("/*all", "/"));
	cr_assert_eq(params.n, 0);
}

Test(router, rest_capture_after_other_captures)
{
	cr_assert(match("/t/:id/*path", "/t/9/x/y"));
	cr_assert_eq(params.n, 2);
	cr_assert_str_eq(kv_get(&params, "id"), "9");
	cr_assert_str_eq(kv_get(&params, "path"), "x/y");
}

Test(router, no_match_leaves_params_unchanged)
{
	cr_assert(match("/a/:x", "/a/1"));
	cr_assert_eq(params.n, 1);
	/* These fail after a capture has been seen. */
	cr_assert_not(match("/people/:id/edit", "/people/12/show"));
	cr_assert_not(match("/people/:id", "/people/12/"));
	cr_assert_not(match("/t/:id/*rest", "/t/5/"));
	cr_assert_eq(params.n, 1);
	cr_assert_str_eq(params.v[0].name, "x");
	cr_assert_str_eq(params.v[0].value, "1");
}

Test(router, matches_append_to_existing_params)
{
	cr_assert(match("/a/:x", "/a/1"));
	cr_assert(match("/b/:y", "/b/2"));
	cr_assert_eq(params.n, 2);
	cr_assert_str_eq(kv_get(&params, "x"), "1");
	cr_assert_str_eq(kv_get(&params, "y"), "2");
}

Test(router, captured_values_are_copies)
{
	char	 path[] = "/people/12";

	cr_assert(match("/people/:id", path));
	path[8] = '9';
	cr_assert_str_eq(kv_get(&params, "id"), "12");
}

Test(router, capture_with_a_suffix_drops_it)
{
	cr_assert(match("/weekly/:id.xlsx", "/weekly/7.xlsx"));
	cr_assert_eq(params.n, 1);
	cr_assert_str_eq(kv_get(&params, "id"), "7");
	cr_assert_null(kv_get(&params, "id.xlsx"));
}

Test(router, capture_with_a_suffix_needs_it_and_something_before)
{
	cr_assert_not(match("/weekly/:id.xlsx", "/weekly/7"));
	cr_assert_not(match("/weekly/:id.xlsx", "/weekly/.xlsx"));
	cr_assert_not(match("/weekly/:id.xlsx", "/weekly/7.xls"));
	cr_assert_not(match("/weekly/:id.xlsx", "/weekly/7.xlsx/x"));
	cr_assert_eq(params.n, 0);
	/* A plain capture still takes the whole segment, dot and all. */
	cr_assert(match("/weekly/:id", "/weekly/7.xlsx"));
	cr_assert_str_eq(kv_get(&params, "id"), "7.xlsx");
}

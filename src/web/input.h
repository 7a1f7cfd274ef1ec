/* input.h: declared, validated input fields (kcgi kvalid). */
#ifndef XZ_INPUT_H
#define XZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct web;

enum field_type {
	F_TEXT,		/* one line, trimmed, no control characters */
	F_MULTILINE,	/* newlines allowed */
	F_INT,		/* integer in [min, max] */
	F_ID,		/* positive integer id */
	F_BOOL,		/* true/false, on, 1/0 */
	F_DATE,		/* typed any common way, stored YYYY-MM-DD */
	F_PHONE,	/* 11-digit mobile number, separators dropped */
	F_IDNO,		/* 18-character resident ID with a valid checksum */
	F_ENUM,		/* one of "enums" */
	F_LOGIN,	/* 3-32 of a-z 0-9 . _ - */
	F_SECRET,	/* password: passed through untrimmed, never echoed */
	F_LIST		/* JSON array of strings, or repeated form fields */
};

/*
 * One declared field.  "label" is the Chinese name used in messages
 * ("「姓名」不能为空").  "max" is a length in characters for text, the
 * upper bound for F_INT.  "enums" is NULL-terminated.
 */
struct field {
	const char		*name;
	const char		*label;
	enum field_type		 type;
	bool			 required;
	int64_t			 min;
	int64_t			 max;
	const char *const	*enums;
};

/*
 * A checked value.  "present" is false when the field was absent or empty
 * (and not required).  For F_DATE, "s" is "YYYY-MM-DD" and "i" the day
 * number; for F_BOOL and numbers, "i"; for F_LIST, "list" and "n".
 */
struct value {
	bool		 present;
	const char	*s;
	int64_t		 i;
	const char	**list;
	size_t		 n;
};

/*
 * Check every declared field of the request's JSON or form body.  Returns
 * 0, or 422 (via web_fail, naming the field) at the first invalid one.
 */
int	 input_check(struct web *, const struct field *, size_t n,
	    struct value *out);

/*
 * PATCH semantics for the API: every declared field the JSON body does not
 * mention takes its current value from "current" (the record's model), so
 * input_check() then sees a whole record.  Fields named in "skip" (such as
 * contact data, which the model holds only masked) are left out.  Does
 * nothing for pages and other methods.
 */
void	 input_patch(struct web *, json_t *current, const struct field *,
	    size_t n, const char *const *skip);

/* The raw string value of one field, or NULL (JSON strings or form). */
const char *input_raw(struct web *, const char *name);

/* ?name= as a positive id: 0 when absent, -1 when junk. */
int64_t	 input_query_id(struct web *, const char *name);

#endif

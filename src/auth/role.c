/* role.c: role names and labels. */
#include <string.h>

#include "auth/role.h"

static const struct {
	unsigned	 bit;
	const char	*name;
	const char	*label;
} roles[ROLE_COUNT] = {
	{ ROLE_LEADER, "leader", "主要领导" },
	{ ROLE_MEMBER, "member", "班子成员" },
	{ ROLE_STAFF, "staff", "站所干部" },
	{ ROLE_VILLAGE, "village", "村组干部" },
	{ ROLE_CLEANER, "cleaner", "保洁员" },
	{ ROLE_INSPECTOR, "inspector", "纪检监督" },
	{ ROLE_SYSADMIN, "sysadmin", "系统管理员" },
	{ ROLE_SECADMIN, "secadmin", "安全管理员" },
	{ ROLE_AUDITOR, "auditor", "审计管理员" },
};

const char *
role_name(unsigned bit)
{
	int	 i;

	for (i = 0; i < ROLE_COUNT; i++)
		if (roles[i].bit == bit)
			return roles[i].name;
	return "?";
}

const char *
role_label(unsigned bit)
{
	int	 i;

	for (i = 0; i < ROLE_COUNT; i++)
		if (roles[i].bit == bit)
			return roles[i].label;
	return "?";
}

unsigned
role_parse(const char *s)
{
	int	 i;

	for (i = 0; i < ROLE_COUNT; i++)
		if (strcmp(s, roles[i].name) == 0)
			return roles[i].bit;
	return 0;
}

static void
join(unsigned set, struct buf *b, int labels)
{
	int	 i, first = 1;

	for (i = 0; i < ROLE_COUNT; i++) {
		if (!(set & roles[i].bit))
			continue;
		if (!first)
			buf_adds(b, labels ? "、" : ",");
		buf_adds(b, labels ? roles[i].label : roles[i].name);
		first = 0;
	}
}

void
role_names(unsigned set, struct buf *b)
{
	join(set, b, 0);
}

void
role_labels(unsigned set, struct buf *b)
{
	join(set, b, 1);
}

bool
role_valid_set(unsigned set)
{
	unsigned	 admin = set & ROLE_ADMINS;

	if (set == 0 || (set & ~(unsigned)(ROLE_BUSINESS | ROLE_ADMINS)))
		return false;
	if (admin == 0)
		return true;
	return set == ROLE_SYSADMIN || set == ROLE_SECADMIN ||
	    set == ROLE_AUDITOR;
}

/* user.c: "xiangzhi user add|passwd|disable|list": accounts from the shell. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth/account.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "auth/policy.h"
#include "auth/role.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "db/db.h"
#include "org/org.h"

static const char usage_text[] =
    "usage: xiangzhi user add LOGIN --role ROLE [--role ROLE] [--person ID]\n"
    "                         [--village NAME] --password-stdin\n"
    "       xiangzhi user passwd LOGIN --password-stdin\n"
    "       xiangzhi user disable LOGIN\n"
    "       xiangzhi user list\n"
    "roles: leader member staff village cleaner inspector sysadmin secadmin"
    " auditor\n";

static int64_t
village_by_name(struct db *db, int64_t township, const char *name)
{
	struct scope	 sc = { township, 0 };
	json_t		*vs, *v;
	int64_t		 id = 0;
	size_t		 i;
	int		 rc;

	if ((vs = org_villages(db, &sc, &rc)) == NULL)
		return -1;
	json_array_foreach(vs, i, v)
		if (str_eq(json_string_value(json_object_get(v, "name")), name))
			id = json_integer_value(json_object_get(v, "id"));
	json_decref(vs);
	return id;
}

static int
user_list(struct db *db)
{
	json_t	*all, *a;
	size_t	 i;
	int	 rc;

	if ((all = account_all(db, &rc)) == NULL)
		return EXIT_USER;
	printf("%-4s %-20s %-10s %-8s %s\n", "id", "login", "name", "status",
	    "roles");
	json_array_foreach(all, i, a) {
		const char	*name = json_string_value(json_object_get(a,
		    "name"));

		printf("%-4lld %-20s %-10s %-8s %s\n",
		    (long long)json_integer_value(json_object_get(a, "id")),
		    json_string_value(json_object_get(a, "login")),
		    name ? name : "-",
		    json_string_value(json_object_get(a, "status")),
		    json_string_value(json_object_get(a, "roles_label")));
	}
	json_decref(all);
	return EXIT_OK;
}

/* Check "pw" against the policy before an account is made for it. */
static int
policy_ok(struct db *db, const char *login, const char *pw)
{
	struct policy		 pol;
	struct password_policy	 pp;
	struct password_subject	 subj = { login, NULL, NULL };
	char			 norm[PASSWORD_NORM_MAX], msg[256];
	int			 rc;

	policy_get(db, &pol);
	pp.min_len = pol.pw_min_len;
	pp.max_len = 128;
	pp.min_classes = pol.pw_min_classes;
	rc = password_check(pw, &pp, &subj, norm, msg, sizeof(msg));
	sodium_memzero(norm, sizeof(norm));
	if (rc != 0)
		fprintf(stderr, "xiangzhi: %s\n", msg);
	return rc;
}

/* Set a password read beforehand ("pw" is wiped). */
static int
set_password(struct db *db, int64_t id, char *pw, size_t pwlen)
{
	struct audit_actor	 who = cli_actor();
	char			 msg[256];
	int			 rc;

	rc = auth_set_password(db, id, pw, true, &who, time_now_ms(), msg,
	    sizeof(msg));
	sodium_memzero(pw, pwlen);
	if (rc == AUTH_POLICY) {
		fprintf(stderr, "xiangzhi: %s\n", msg);
		return EXIT_USER;
	}
	if (rc != AUTH_OK) {
		fprintf(stderr, "xiangzhi: cannot set the password\n");
		return EXIT_USER;
	}
	return EXIT_OK;
}

int
cmd_user(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "role", required_argument, NULL, 'r' },
		{ "person", required_argument, NULL, 'p' },
		{ "village", required_argument, NULL, 'v' },
		{ "password-stdin", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char		*db_flag = NULL, *key_flag = NULL, *sub;
	const char		*village = NULL, *login = NULL, *path;
	struct audit_actor	 who = cli_actor();
	char			 pw[1100];
	struct account_in	 in;
	struct db		*db;
	unsigned		 roles = 0, r;
	int64_t			 person = 0, id = 0;
	bool			 from_stdin = false;
	int			 c, rc, ret;

	if (argc < 2) {
		fprintf(stderr, "%s", usage_text);
		return EXIT_USAGE;
	}
	sub = argv[1];
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_flag = optarg; break;
		case 'k': key_flag = optarg; break;
		case 'r':
			if ((r = role_parse(optarg)) == 0) {
				fprintf(stderr, "xiangzhi: unknown role '%s'\n",
				    optarg);
				return EXIT_USAGE;
			}
			roles |= r;
			break;
		case 'p':
			if (str_to_int64(optarg, 1, INT64_MAX, &person) != 0) {
				fprintf(stderr, "xiangzhi: --person takes an id\n");
				return EXIT_USAGE;
			}
			break;
		case 'v': village = optarg; break;
		case 's': from_stdin = true; break;
		default:
			fprintf(stderr, "%s", usage_text);
			return EXIT_USAGE;
		}
	}
	if (strcmp(sub, "list") != 0) {
		if (optind != argc - 1) {
			fprintf(stderr, "%s", usage_text);
			return EXIT_USAGE;
		}
		login = argv[optind];
	}
	/* The password first: nothing is created without one. */
	if (strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0) {
		if (!from_stdin) {
			fprintf(stderr, "xiangzhi: give --password-stdin and the"
			    " password on standard input\n");
			return EXIT_USAGE;
		}
		if (cli_read_secret(pw, sizeof(pw)) != 0) {
			fprintf(stderr, "xiangzhi: no password on standard"
			    " input\n");
			return EXIT_USER;
		}
	}
	path = cli_option(db_flag, "XIANGZHI_DB", "xiangzhi.db");
	if ((db = cli_open(path, cli_key_path(path, key_flag), false)) == NULL)
		return EXIT_USER;
	ret = EXIT_USER;
	if (strcmp(sub, "list") == 0) {
		ret = user_list(db);
	} else if (strcmp(sub, "add") == 0) {
		memset(&in, 0, sizeof(in));
		in.township_id = org_default_township(db);
		in.login = login;
		in.person_id = person;
		in.roles = roles;
		if (!role_valid_set(roles)) {
			fprintf(stderr, "xiangzhi: give --role; an admin role"
			    " is held alone\n");
			ret = EXIT_USAGE;
			goto out;
		}
		if (in.township_id == 0) {
			fprintf(stderr, "xiangzhi: create the township first"
			    " (xiangzhi demo, or import)\n");
			goto out;
		}
		if (village != NULL &&
		    (in.village_id = village_by_name(db, in.township_id,
		    village)) <= 0) {
			fprintf(stderr, "xiangzhi: no village '%s'\n", village);
			goto out;
		}
		if ((roles & ROLE_VILLAGE) && in.village_id == 0) {
			fprintf(stderr, "xiangzhi: role village needs"
			    " --village NAME\n");
			goto out;
		}
		if (policy_ok(db, login, pw) != 0)
			goto out;
		rc = db_begin(db);
		if (rc == 0)
			rc = account_create(db, &in, time_now_ms(), &id);
		if (rc == 0) {
			json_t	*d = json_pack("{ss sI}", "login", login,
			    "roles", (json_int_t)roles);

			who.township_id = in.township_id;
			rc = audit_write(db, &who, "account.create", "account",
			    id, true, d);
			json_decref(d);
		}
		if (db_end(db, rc) != 0) {
			fprintf(stderr, "xiangzhi: cannot add '%s' (login"
			    " taken, or the person has an account)\n", login);
			goto out;
		}
		if ((ret = set_password(db, id, pw, sizeof(pw))) != EXIT_OK) {
			fprintf(stderr, "xiangzhi: account '%s' was created but"
			    " has no password; run 'xiangzhi user passwd'\n",
			    login);
			goto out;
		}
		printf("added %s (id %" PRId64 ")\n", login, id);
	} else if (strcmp(sub, "passwd") == 0) {
		if ((id = account_by_login(db, login)) <= 0) {
			fprintf(stderr, "xiangzhi: no account '%s'\n", login);
			goto out;
		}
		ret = set_password(db, id, pw, sizeof(pw));
		if (ret == EXIT_OK)
			printf("password of %s changed; its sessions ended\n",
			    login);
	} else if (strcmp(sub, "disable") == 0) {
		if ((id = account_by_login(db, login)) <= 0) {
			fprintf(stderr, "xiangzhi: no account '%s'\n", login);
			goto out;
		}
		rc = db_begin(db);
		if (rc == 0)
			rc = account_set_status(db, org_default_township(db),
			    id, "disabled", time_now_ms());
		if (rc == 0)
			rc = audit_write(db, &who, "account.disable",
			    "account", id, true, NULL);
		if (db_end(db, rc) != 0) {
			fprintf(stderr, "xiangzhi: cannot disable '%s'\n",
			    login);
			goto out;
		}
		printf("disabled %s\n", login);
		ret = EXIT_OK;
	} else {
		fprintf(stderr, "%s", usage_text);
		ret = EXIT_USAGE;
	}
out:
	sodium_memzero(pw, sizeof(pw));
	db_close(db);
	return ret;
}

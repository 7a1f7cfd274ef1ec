/* settings.c: the security policy page of the security admin. */
#include <string.h>

#include "auth/policy.h"
#include "base/str.h"
#include "db/db.h"
#include "web/input.h"
#include "web/pages.h"
#include "web/web.h"

/* Labels and units for the form, in policy_to_json() key order. */
static const struct {
	const char	*key;
	const char	*label;
	const char	*unit;
} knobs[] = {
	{ "idle_min", "空闲超时自动退出", "分钟" },
	{ "absolute_h", "登录最长有效期", "小时" },
	{ "lock_failures", "连续失败锁定次数", "次" },
	{ "lock_min", "锁定时长", "分钟" },
	{ "login_rate", "每个地址每分钟登录尝试上限", "次" },
	{ "activation_h", "激活链接有效期", "小时" },
	{ "pw_min_len", "密码最短长度", "个字符" },
	{ "pw_min_classes", "密码至少包含的字符类别", "类" },
	{ "pw_max_age_days", "密码最长使用期限（0为不强制更换）", "天" },
	{ "reauth_min", "查看完整个人信息前须在多久内输入过密码", "分钟" },
	{ "inactive_days", "账号连续多久未登录即自动停用（0为不停用）", "天" },
};

static json_t *
model(const struct policy *p)
{
	json_t	*vals = policy_to_json(p), *rows = json_array(), *form;
	size_t	 i;

	form = json_object();
	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		json_int_t v = json_integer_value(json_object_get(vals,
		    knobs[i].key));

		json_array_append_new(rows, json_pack("{ss ss ss sI}", "key",
		    knobs[i].key, "label", knobs[i].label, "unit",
		    knobs[i].unit, "value", v));
		json_object_set_new(form, knobs[i].key, json_sprintf("%lld",
		    (long long)v));
	}
	return json_pack("{so so so}", "policy", vals, "rows", rows, "form",
	    form);
}

int
settings_page(struct web *w)
{
	struct policy	 p;

	policy_flush();
	policy_get(w->db, &p);
	w->model = model(&p);
	return 200;
}

int
settings_save(struct web *w)
{
	struct audit_actor	 who = web_audit_actor(w);
	struct policy		 before, after;
	const char		*bad = NULL, *v;
	json_t			*in, *detail;
	int64_t			 n;
	size_t			 i;
	int			 rc;

	policy_flush();
	policy_get(w->db, &before);
	after = before;
	if (w->json != NULL)
		in = json_incref(w->json);
	else {
		/* Form fields are text: turn them into numbers first. */
		in = json_object();
		for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
			v = kv_get(&w->form, knobs[i].key);
			if (v == NULL)
				continue;
			if (str_to_int64(v, INT32_MIN, INT32_MAX, &n) != 0) {
				json_decref(in);
				return web_fail(w, 422, "invalid", web_printf(w,
				    "「%s」应为整数", knobs[i].label),
				    knobs[i].key);
			}
			json_object_set_new(in, knobs[i].key, json_integer(n));
		}
	}
	rc = policy_from_json(in, &after, &bad);
	json_decref(in);
	if (rc != 0) {
		for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
			if (strcmp(knobs[i].key, bad) == 0)
				return web_fail(w, 422, "invalid", web_printf(w,
				    "「%s」超出允许范围", knobs[i].label), bad);
		return web_fail(w, 422, "invalid", "设置超出允许范围", bad);
	}
	if ((rc = db_begin(w->db)) != DB_OK)
		return web_db_fail(w, rc);
	rc = policy_store(w->db, &after);
	if (rc == DB_OK) {
		detail = json_pack("{so so}", "before", policy_to_json(&before),
		    "after", policy_to_json(&after));
		rc = audit_write(w->db, &who, "policy.update", "setting", 0,
		    true, detail);
		json_decref(detail);
	}
	if ((rc = db_end(w->db, rc)) != 0)
		return web_db_fail(w, rc);
	policy_flush();
	w->model = model(&after);
	return web_done(w, 200, "/settings");
}

/*
 * onward.App.Info, read defensively (see info.h): strings must be strings, short, and free
 * of control characters; a permission that fails is left out rather than shown wrong.
 */
#include "info.h"

#include <errno.h>
#include <string.h>

static int
text(const json_t *obj, const char *key, bool required, char *buf, size_t max)
{
	const json_t *v = json_object_get(obj, key);
	const char *s = json_string_value(v);

	if (!v || json_is_null(v)) {
		buf[0] = '\0';
		return required ? -EBADMSG : 0;
	}
	if (!s || strlen(s) > max || strlen(s) != json_string_length(v))
		return -EBADMSG;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			return -EBADMSG;
	memcpy(buf, s, strlen(s) + 1);
	return 0;
}

int
info_read(const json_t *params, struct info *ret)
{
	struct info in = {0};
	const json_t *person = json_object_get(params, "person");
	const json_t *perms = json_object_get(params, "permissions"), *p;
	size_t i;

	if (!json_is_object(params) || !json_is_object(person) ||
	    text(params, "app", true, in.app, sizeof(in.app) - 1) < 0 ||
	    text(params, "title", false, in.title, sizeof(in.title) - 1) < 0 ||
	    text(person, "given_name", true, in.given_name, sizeof(in.given_name) - 1) < 0 ||
	    text(person, "family_name", false, in.family_name, sizeof(in.family_name) - 1) < 0 ||
	    text(person, "prison_number", false, in.prison_number, sizeof(in.prison_number) - 1) <
	            0 ||
	    (perms && !json_is_null(perms) && !json_is_array(perms)))
		return -EBADMSG;
	json_array_foreach(perms, i, p)
	{
		struct info_permission *ip = &in.permissions[in.n_permissions];
		const json_t *allowed = json_object_get(p, "allowed");

		if (in.n_permissions == INFO_MAX_PERMISSIONS)
			break;
		if (!json_is_object(p) || !json_is_boolean(allowed) ||
		    text(p, "action", true, ip->action, sizeof(ip->action) - 1) < 0 ||
		    text(p, "reason", false, ip->reason, INFO_TEXT_MAX) < 0)
			continue;
		ip->allowed = json_is_true(allowed);
		in.n_permissions++;
	}
	*ret = in;
	return 0;
}

/*
 * onward.App.Info, read defensively (see info.h): strings must be strings, short, and free
 * of control characters; a permission that fails is left out rather than shown wrong.
 */
#include "info.h"

#include <errno.h>
#include <string.h>

#include "client.h"

int
info_read(const json_t *params, struct info *ret)
{
	struct info in = {0};
	const json_t *person = json_object_get(params, "person");
	const json_t *perms = json_object_get(params, "permissions"), *p;
	size_t i;

	if (!json_is_object(params) || !json_is_object(person) ||
	    client_read_text(params, "app", CLIENT_TEXT_REQUIRED, in.app, sizeof(in.app) - 1) < 0 ||
	    client_read_text(params, "title", 0, in.title, sizeof(in.title) - 1) < 0 ||
	    client_read_text(person, "given_name", CLIENT_TEXT_REQUIRED, in.given_name,
	                     sizeof(in.given_name) - 1) < 0 ||
	    client_read_text(person, "family_name", 0, in.family_name, sizeof(in.family_name) - 1) <
	            0 ||
	    client_read_text(person, "prison_number", 0, in.prison_number,
	                     sizeof(in.prison_number) - 1) < 0 ||
	    (perms && !json_is_null(perms) && !json_is_array(perms)))
		return -EBADMSG;
	json_array_foreach(perms, i, p)
	{
		struct info_permission *ip = &in.permissions[in.n_permissions];
		const json_t *allowed = json_object_get(p, "allowed");

		if (in.n_permissions == INFO_MAX_PERMISSIONS)
			break;
		if (!json_is_object(p) || !json_is_boolean(allowed) ||
		    client_read_text(p, "action", CLIENT_TEXT_REQUIRED, ip->action,
		                     sizeof(ip->action) - 1) < 0 ||
		    client_read_text(p, "reason", 0, ip->reason, INFO_TEXT_MAX) < 0)
			continue;
		ip->allowed = json_is_true(allowed);
		in.n_permissions++;
	}
	*ret = in;
	return 0;
}

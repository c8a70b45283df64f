/*
 * The stub app's reading of onward.App.Info, every field checked before it is used: the
 * app's own name and title, the person it runs for, and its permissions with the
 * daemon's reasons. No SDL here.
 */
#ifndef ONWARD_STUB_INFO_H
#define ONWARD_STUB_INFO_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define INFO_TEXT_MAX 200
#define INFO_MAX_PERMISSIONS 32

struct info_permission {
	char action[65];
	bool allowed;
	char reason[INFO_TEXT_MAX + 1];
};

struct info {
	char app[33];
	char title[101];
	char given_name[101];
	char family_name[101];
	char prison_number[17];
	struct info_permission permissions[INFO_MAX_PERMISSIONS];
	size_t n_permissions;
};

/* 0, or -EBADMSG when the reply is not one the app can use (bad permissions are left
 * out, a bad person is not). */
int info_read(const json_t *params, struct info *ret_info);

#endif

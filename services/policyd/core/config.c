/*
 * Loading policyd.json (see config.h). Each key has a type and a range; anything else in
 * the file is refused, so a typo never silently leaves a default in place.
 */
#include "config.h"

#include "crypto.h"
#include "pin.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

struct config_uint {
	const char *key;
	size_t offset;
	unsigned min, max;
};

static const struct config_uint config_uints[] = {
        {"lockout_seconds", offsetof(struct config, lockout_seconds), 1, 86400},
        {"lockout_failures", offsetof(struct config, lockout_failures), 3, 20},
        {"lockout_max_seconds", offsetof(struct config, lockout_max_seconds), 1, 86400},
        {"lockout_window_seconds", offsetof(struct config, lockout_window_seconds), 1, 86400},
        {"scrypt_log_n", offsetof(struct config, scrypt_log_n), 10, 20},
        {"max_control_peers", offsetof(struct config, max_control_peers), 1, 4096},
        {"max_sessions", offsetof(struct config, max_sessions), 1, 4096},
        {"max_admin_peers", offsetof(struct config, max_admin_peers), 1, 256},
        {"max_gateway_peers", offsetof(struct config, max_gateway_peers), 1, 256},
        {"staff_idle_seconds", offsetof(struct config, staff_idle_seconds), 60, 86400},
        {"staff_session_seconds", offsetof(struct config, staff_session_seconds), 300, 86400},
        {"staff_lockout_failures", offsetof(struct config, staff_lockout_failures), 3, 20},
        {"staff_lockout_seconds", offsetof(struct config, staff_lockout_seconds), 60, 86400},
        {"idle_timeout_seconds", offsetof(struct config, idle_timeout_seconds), 1, 86400},
        {"read_timeout_seconds", offsetof(struct config, read_timeout_seconds), 1, 3600},
        {"refusal_audit_seconds", offsetof(struct config, refusal_audit_seconds), 1, 3600},
};

static void
config_defaults(struct config *c)
{
	*c = (struct config){
	        .establishment = "",
	        .policy_dir = "",
	        .device = "in_cell",
	        .lockout_seconds = 300,
	        .lockout_failures = 5,
	        .lockout_window_seconds = 900,
	        .scrypt_log_n = PIN_DEFAULT_LOG_N,
	        .max_control_peers = 256,
	        .max_sessions = 16,
	        .max_admin_peers = 16,
	        .max_gateway_peers = 16,
	        .gateway_user = "",
	        .staff_idle_seconds = 30 * 60,
	        .staff_session_seconds = 12 * 3600,
	        .staff_lockout_failures = 5,
	        .staff_lockout_seconds = 15 * 60,
	        .idle_timeout_seconds = 60,
	        .read_timeout_seconds = 10,
	        .refusal_audit_seconds = 60,
	};
}

/* Settings that depend on each other, once the file has been read. */
static int
config_finish(struct config *c, const char *path, char *err, size_t size)
{
	/* Long enough to slow a guesser to a few tries an hour, short enough that a stranger
	 * who knows someone's prison number cannot keep them out for a day at a time. */
	if (!c->lockout_max_seconds)
		c->lockout_max_seconds = c->lockout_seconds > 3600 ? c->lockout_seconds : 3600;
	if (c->lockout_max_seconds < c->lockout_seconds) {
		snprintf(err, size,
		         "%s: \"lockout_max_seconds\" must be at least \"lockout_seconds\"", path);
		return -EINVAL;
	}
	return 0;
}

static int
config_apply(json_t *root, struct config *c, const char *path, char *err, size_t size)
{
	const char *key;
	json_t *value;

	if (!json_is_object(root)) {
		snprintf(err, size, "%s: must hold a JSON object", path);
		return -EINVAL;
	}
	json_object_foreach(root, key, value)
	{
		bool known = false;

		if (strcmp(key, "establishment") == 0) {
			if (!json_is_string(value) ||
			    !validate_establishment_code(json_string_value(value))) {
				snprintf(err, size,
				         "%s: \"establishment\" must be a three-letter code like "
				         "\"MDI\"",
				         path);
				return -EINVAL;
			}
			snprintf(c->establishment, sizeof(c->establishment), "%s",
			         json_string_value(value));
			continue;
		}
		if (strcmp(key, "policy_dir") == 0) {
			if (!json_is_string(value) || json_string_value(value)[0] != '/' ||
			    json_string_length(value) >= sizeof(c->policy_dir)) {
				snprintf(err, size, "%s: \"policy_dir\" must be an absolute path",
				         path);
				return -EINVAL;
			}
			snprintf(c->policy_dir, sizeof(c->policy_dir), "%s",
			         json_string_value(value));
			continue;
		}
		if (strcmp(key, "device") == 0) {
			if (!json_is_string(value) ||
			    (strcmp(json_string_value(value), "in_cell") != 0 &&
			     strcmp(json_string_value(value), "community") != 0)) {
				snprintf(err, size,
				         "%s: \"device\" must be \"in_cell\" or \"community\"",
				         path);
				return -EINVAL;
			}
			snprintf(c->device, sizeof(c->device), "%s", json_string_value(value));
			continue;
		}
		if (strcmp(key, "gateway_user") == 0) {
			if (!json_is_string(value) ||
			    !validate_staff_id(json_string_value(value))) {
				snprintf(err, size,
				         "%s: \"gateway_user\" must be a user name like "
				         "\"onward-gateway\"",
				         path);
				return -EINVAL;
			}
			snprintf(c->gateway_user, sizeof(c->gateway_user), "%s",
			         json_string_value(value));
			continue;
		}
		for (size_t i = 0; i < sizeof(config_uints) / sizeof(config_uints[0]); i++) {
			const struct config_uint *u = &config_uints[i];

			if (strcmp(key, u->key) != 0)
				continue;
			known = true;
			if (!json_is_integer(value) || json_integer_value(value) < u->min ||
			    json_integer_value(value) > u->max) {
				snprintf(err, size,
				         "%s: \"%s\" must be a whole number from %u to %u", path,
				         key, u->min, u->max);
				return -EINVAL;
			}
			*(unsigned *)((char *)c + u->offset) = (unsigned)json_integer_value(value);
		}
		if (!known) {
			snprintf(err, size, "%s: unknown setting \"%.40s\"", path, key);
			return -EINVAL;
		}
	}
	return 0;
}

int
config_load(const char *state_dir, struct config *ret, char *ret_error, size_t error_size)
{
	struct config c;
	char path[4200];
	json_error_t jerr;
	json_t *root;
	int r;

	config_defaults(&c);
	snprintf(path, sizeof(path), "%s/policyd.json", state_dir);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		FILE *f = fopen(path, "re");

		if (!f && errno == ENOENT) {
			(void)config_finish(&c, path, ret_error, error_size);
			*ret = c;
			return 0;
		}
		if (f)
			fclose(f);
		snprintf(ret_error, error_size, "%s:%d:%d: %s", path, jerr.line, jerr.column,
		         jerr.text);
		return -EINVAL;
	}
	r = config_apply(root, &c, path, ret_error, error_size);
	if (r == 0)
		r = config_finish(&c, path, ret_error, error_size);
	json_decref(root);
	if (r == 0)
		*ret = c;
	return r;
}

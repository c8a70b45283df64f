/*
 * Parameter checking (see params.h). The messages name the field and say what was wanted,
 * so a client author can fix the call from the error alone.
 */
#include "params.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct param_spec *
spec_find(const struct param_spec *specs, const char *name)
{
	for (; specs->name; specs++)
		if (strcmp(specs->name, name) == 0)
			return specs;
	return NULL;
}

static int fail(struct param_error *err, const char *name, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int
fail(struct param_error *err, const char *name, const char *fmt, ...)
{
	va_list ap;

	err->name = name;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int
check_one(const json_t *value, const struct param_spec *spec, struct param_error *err)
{
	size_t i;
	json_t *item;

	switch (spec->kind) {
	case PARAM_STRING:
		if (!json_is_string(value))
			return fail(err, spec->name, "parameter '%s' must be a string", spec->name);
		if ((int64_t)json_string_length(value) > spec->max)
			return fail(err, spec->name,
			            "parameter '%s' is too long (at most %" PRId64 " bytes)",
			            spec->name, spec->max);
		if (strlen(json_string_value(value)) != json_string_length(value))
			return fail(err, spec->name, "parameter '%s' contains a NUL byte",
			            spec->name);
		return 0;
	case PARAM_INT:
		if (!json_is_integer(value))
			return fail(err, spec->name, "parameter '%s' must be a whole number",
			            spec->name);
		if (json_integer_value(value) < spec->min || json_integer_value(value) > spec->max)
			return fail(err, spec->name,
			            "parameter '%s' must be from %" PRId64 " to %" PRId64,
			            spec->name, spec->min, spec->max);
		return 0;
	case PARAM_BOOL:
		if (!json_is_boolean(value))
			return fail(err, spec->name, "parameter '%s' must be true or false",
			            spec->name);
		return 0;
	case PARAM_STRINGS:
		if (!json_is_array(value))
			return fail(err, spec->name, "parameter '%s' must be a list of strings",
			            spec->name);
		if ((int64_t)json_array_size(value) > spec->max)
			return fail(err, spec->name,
			            "parameter '%s' has too many items (at most %" PRId64 ")",
			            spec->name, spec->max);
		json_array_foreach(value, i, item)
		{
			if (!json_is_string(item) ||
			    json_string_length(item) > PARAM_STRINGS_ITEM_MAX ||
			    strlen(json_string_value(item)) != json_string_length(item))
				return fail(err, spec->name,
				            "parameter '%s' must be a list of short strings",
				            spec->name);
		}
		return 0;
	case PARAM_OBJECT:
		if (!json_is_object(value))
			return fail(err, spec->name, "parameter '%s' must be an object",
			            spec->name);
		if ((int64_t)json_object_size(value) > spec->max)
			return fail(err, spec->name,
			            "parameter '%s' has too many fields (at most %" PRId64 ")",
			            spec->name, spec->max);
		return 0;
	}
	return fail(err, spec->name, "parameter '%s' has an unknown kind", spec->name);
}

int
params_check(json_t *params, const struct param_spec *specs, struct param_error *ret_error)
{
	const char *key;
	json_t *value;
	int r;

	if (!json_is_object(params))
		return fail(ret_error, "parameters", "parameters must be an object");
	json_object_foreach(params, key, value)
	{
		const struct param_spec *spec = spec_find(specs, key);

		if (!spec) {
			ret_error->name = key;
			snprintf(ret_error->message, sizeof(ret_error->message),
			         "unknown parameter '%.48s'", key);
			return -EINVAL;
		}
		r = check_one(value, spec, ret_error);
		if (r < 0)
			return r;
	}
	for (; specs->name; specs++)
		if (specs->required && !json_object_get(params, specs->name))
			return fail(ret_error, specs->name, "parameter '%s' is missing",
			            specs->name);
	return 0;
}

const char *
params_string(const json_t *params, const char *name, const char *fallback)
{
	const json_t *v = json_object_get(params, name);

	return json_is_string(v) ? json_string_value(v) : fallback;
}

int64_t
params_int(const json_t *params, const char *name, int64_t fallback)
{
	const json_t *v = json_object_get(params, name);

	return json_is_integer(v) ? json_integer_value(v) : fallback;
}

bool
params_bool(const json_t *params, const char *name, bool fallback)
{
	const json_t *v = json_object_get(params, name);

	return json_is_boolean(v) ? json_is_true(v) : fallback;
}

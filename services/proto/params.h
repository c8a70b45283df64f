/*
 * Strict checking of a call's parameters against a table: every field known, of the right
 * JSON type, within its size limit, and every required one present. Handlers declare a
 * table and read fields only after params_check() has passed.
 */
#ifndef ONWARD_PARAMS_H
#define ONWARD_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

enum param_kind {
	PARAM_STRING, /* max: bytes */
	PARAM_INT, /* min..max as values */
	PARAM_BOOL,
	PARAM_STRINGS, /* array of strings; max: items; each string at most 256 bytes */
	PARAM_OBJECT, /* max: keys */
};

struct param_spec {
	const char *name;
	enum param_kind kind;
	bool required;
	int64_t min; /* PARAM_INT only */
	int64_t max;
};

#define PARAM_STRINGS_ITEM_MAX 256

struct param_error {
	const char *name; /* borrowed from the spec table or the params object */
	char message[160];
};

/*
 * Checks params (a JSON object) against specs, a table ended by an entry with a NULL name.
 * Returns 0, or -EINVAL and fills ret_error.
 */
int params_check(json_t *params, const struct param_spec *specs, struct param_error *ret_error);

/* Accessors for checked parameters: the fallback when the field is absent. */
const char *params_string(const json_t *params, const char *name, const char *fallback);
int64_t params_int(const json_t *params, const char *name, int64_t fallback);
bool params_bool(const json_t *params, const char *name, bool fallback);

#endif

/*
 * The services directory's check (see record.h): a JSON file shipped in the repository
 * (data/services-directory.json) or a device's own in its state directory. onward-parse
 * parses and checks it; the daemon checks the child's answer again before it keeps it.
 * Each refusal is one line naming the place and the problem, for the log and for
 * onwardctl directory check.
 */
#include "record.h"

#include "validate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NAME RECORD_DIRECTORY_NAME

const char *const record_directory_categories[] = {
        "housing", "money", "work", "health", "drugs_alcohol", "family", NULL,
};

bool
record_directory_category_known(const char *s)
{
	for (size_t i = 0; s && record_directory_categories[i]; i++)
		if (strcmp(s, record_directory_categories[i]) == 0)
			return true;
	return false;
}

/* An id: 1 to 48 of a-z, 0-9 and '-'. */
static bool
valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 48)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static bool
valid_phone(const char *s)
{
	size_t digits = 0, n = strlen(s);

	if (n < 10 || n > 20)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] != ' ')
			return false;
	}
	return digits >= 10 && digits <= 13;
}

static int problem(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
problem(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, RECORD_DIRECTORY_PROBLEM_MAX, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

struct field {
	const char *name;
	size_t max; /* bytes */
	bool required;
};

/*
 * Checks that obj has only the fields listed, each a one-line string within its size and
 * the required ones present. where names obj in messages ("services[3]").
 */
static int
check_fields(json_t *obj, const struct field *fields, size_t n, const char *where, char *err)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return problem(err, "%s: %s is not an object", NAME, where);
	json_object_foreach(obj, key, v)
	{
		size_t i;

		for (i = 0; i < n && strcmp(key, fields[i].name) != 0; i++)
			;
		if (i == n)
			return problem(err, "%s: %s: unknown field \"%.40s\"", NAME, where, key);
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
		    !validate_text(json_string_value(v), fields[i].max, false))
			return problem(err, "%s: %s: %s must be text of 1 to %zu bytes on one line",
			               NAME, where, key, fields[i].max);
	}
	for (size_t i = 0; i < n; i++)
		if (fields[i].required && !json_object_get(obj, fields[i].name))
			return problem(err, "%s: %s: %s is missing", NAME, where, fields[i].name);
	return 0;
}

static const struct field area_fields[] = {
        {"id", 48, true},
        {"name", 100, true},
};

static const struct field service_fields[] = {
        {"id", 48, true},     {"name", 100, true},        {"category", 32, true},
        {"area", 48, true},   {"phone", 20, true},        {"address", 200, true},
        {"hours", 120, true}, {"description", 200, true}, {"website", 200, false},
};

static bool
id_in(json_t *list, size_t before, const char *id)
{
	for (size_t i = 0; i < before; i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(list, i), "id")), id) ==
		    0)
			return true;
	return false;
}

int
record_directory_check(json_t *root, char *err)
{
	json_t *areas = json_object_get(root, "areas"),
	       *services = json_object_get(root, "services");
	json_t *format = json_object_get(root, "format"),
	       *updated = json_object_get(root, "updated");
	const char *key;
	json_t *v;
	size_t i;
	char where[64];

	if (!json_is_object(root))
		return problem(err, "%s: the file must hold one JSON object", NAME);
	json_object_foreach(root, key, v)
	{
		if (strcmp(key, "format") != 0 && strcmp(key, "updated") != 0 &&
		    strcmp(key, "areas") != 0 && strcmp(key, "services") != 0)
			return problem(err, "%s: unknown field \"%.40s\"", NAME, key);
	}
	if (!json_is_integer(format) || json_integer_value(format) != 1)
		return problem(err, "%s: \"format\" must be 1", NAME);
	if (!json_is_string(updated) || !validate_date(json_string_value(updated)))
		return problem(err, "%s: \"updated\" must be a date, YYYY-MM-DD", NAME);
	if (!json_is_array(areas) || json_array_size(areas) == 0 ||
	    json_array_size(areas) > RECORD_DIRECTORY_AREAS_MAX)
		return problem(err, "%s: \"areas\" must list 1 to %d areas", NAME,
		               RECORD_DIRECTORY_AREAS_MAX);
	if (!json_is_array(services) || json_array_size(services) > RECORD_DIRECTORY_SERVICES_MAX)
		return problem(err, "%s: \"services\" must list up to %d services", NAME,
		               RECORD_DIRECTORY_SERVICES_MAX);
	json_array_foreach(areas, i, v)
	{
		const char *id;

		snprintf(where, sizeof(where), "area_list[%zu]", i);
		if (check_fields(v, area_fields, 2, where, err) < 0)
			return -EINVAL;
		id = json_string_value(json_object_get(v, "id"));
		if (!valid_id(id))
			return problem(err, "%s: %s: id must be a-z, 0-9 and '-'", NAME, where);
		if (id_in(areas, i, id))
			return problem(err, "%s: %s: area \"%s\" is listed twice", NAME, where, id);
	}
	json_array_foreach(services, i, v)
	{
		const char *id, *area, *category, *website;

		snprintf(where, sizeof(where), "services[%zu]", i);
		if (check_fields(v, service_fields,
		                 sizeof(service_fields) / sizeof(service_fields[0]), where,
		                 err) < 0)
			return -EINVAL;
		id = json_string_value(json_object_get(v, "id"));
		area = json_string_value(json_object_get(v, "area"));
		category = json_string_value(json_object_get(v, "category"));
		website = json_string_value(json_object_get(v, "website"));
		if (!valid_id(id))
			return problem(err, "%s: %s: id must be a-z, 0-9 and '-'", NAME, where);
		if (id_in(services, i, id))
			return problem(err, "%s: %s: service \"%s\" is listed twice", NAME, where,
			               id);
		if (!id_in(areas, json_array_size(areas), area))
			return problem(err, "%s: %s (%s): area \"%s\" is not in \"areas\"", NAME,
			               where, id, area);
		if (!record_directory_category_known(category))
			return problem(err,
			               "%s: %s (%s): category \"%s\" is not one of housing, money, "
			               "work, health, drugs_alcohol, family",
			               NAME, where, id, category);
		if (!valid_phone(json_string_value(json_object_get(v, "phone"))))
			return problem(
			        err,
			        "%s: %s (%s): phone must be 10 to 13 digits with spaces, like "
			        "0114 496 0123",
			        NAME, where, id);
		if (website && strncmp(website, "https://", 8) != 0)
			return problem(err, "%s: %s (%s): website must start with https://", NAME,
			               where, id);
	}
	return 0;
}

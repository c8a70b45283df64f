/*
 * The directory of local services (housing, money, work, health, drug and alcohol,
 * family) that people search from the housing app: onward.Directory.Search on the app's
 * channel and onward.Directory.Check for staff. The directory is a JSON file shipped in
 * the repository (data/services-directory.json, found beside the policy directory), which
 * a device can replace with its own in STATE_DIR/services-directory.json. It is read and
 * checked strictly on first use and again whenever the file changes; a file that fails
 * the checks is refused with one line naming the place and the problem (logged, and shown
 * by onwardctl directory check), and the last good directory stays in use.
 */
#include "housing_int.h"

#include "log.h"
#include "validate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIRECTORY_NAME "services-directory.json"
#define DIRECTORY_SHIPPED ONWARD_POLICY_DIR "/../data/" DIRECTORY_NAME
#define DIRECTORY_BYTES_MAX (1u << 20)
#define DIRECTORY_AREAS_MAX 64
#define DIRECTORY_SERVICES_MAX 2000
#define DIRECTORY_RESULTS_MAX 200
#define DIRECTORY_PROBLEM_MAX HOUSING_DIRECTORY_PROBLEM_MAX

static const char *const categories[] = {
        "housing", "money", "work", "health", "drugs_alcohol", "family",
};

static void
directory_unload(struct housing_directory *dir)
{
	json_decref(dir->areas);
	json_decref(dir->services);
	dir->areas = dir->services = NULL;
	dir->loaded = false;
}

static bool
category_known(const char *s)
{
	for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (strcmp(s, categories[i]) == 0)
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
	vsnprintf(err, DIRECTORY_PROBLEM_MAX, fmt, ap);
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
		return problem(err, "%s: %s is not an object", DIRECTORY_NAME, where);
	json_object_foreach(obj, key, v)
	{
		size_t i;

		for (i = 0; i < n && strcmp(key, fields[i].name) != 0; i++)
			;
		if (i == n)
			return problem(err, "%s: %s: unknown field \"%.40s\"", DIRECTORY_NAME,
			               where, key);
		if (!json_is_string(v) ||
		    !validate_text(json_string_value(v), fields[i].max, false))
			return problem(err, "%s: %s: %s must be text of 1 to %zu bytes on one line",
			               DIRECTORY_NAME, where, key, fields[i].max);
	}
	for (size_t i = 0; i < n; i++)
		if (fields[i].required && !json_object_get(obj, fields[i].name))
			return problem(err, "%s: %s: %s is missing", DIRECTORY_NAME, where,
			               fields[i].name);
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

/* Checks a parsed directory; 0, or -EINVAL with the problem in err. */
static int
check_directory(json_t *root, char *err)
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
		return problem(err, "%s: the file must hold one JSON object", DIRECTORY_NAME);
	json_object_foreach(root, key, v)
	{
		if (strcmp(key, "format") != 0 && strcmp(key, "updated") != 0 &&
		    strcmp(key, "areas") != 0 && strcmp(key, "services") != 0)
			return problem(err, "%s: unknown field \"%.40s\"", DIRECTORY_NAME, key);
	}
	if (!json_is_integer(format) || json_integer_value(format) != 1)
		return problem(err, "%s: \"format\" must be 1", DIRECTORY_NAME);
	if (!json_is_string(updated) || !validate_date(json_string_value(updated)))
		return problem(err, "%s: \"updated\" must be a date, YYYY-MM-DD", DIRECTORY_NAME);
	if (!json_is_array(areas) || json_array_size(areas) == 0 ||
	    json_array_size(areas) > DIRECTORY_AREAS_MAX)
		return problem(err, "%s: \"areas\" must list 1 to %d areas", DIRECTORY_NAME,
		               DIRECTORY_AREAS_MAX);
	if (!json_is_array(services) || json_array_size(services) > DIRECTORY_SERVICES_MAX)
		return problem(err, "%s: \"services\" must list up to %d services", DIRECTORY_NAME,
		               DIRECTORY_SERVICES_MAX);
	json_array_foreach(areas, i, v)
	{
		const char *id;

		snprintf(where, sizeof(where), "area_list[%zu]", i);
		if (check_fields(v, area_fields, 2, where, err) < 0)
			return -EINVAL;
		id = json_string_value(json_object_get(v, "id"));
		if (!valid_id(id))
			return problem(err, "%s: %s: id must be a-z, 0-9 and '-'", DIRECTORY_NAME,
			               where);
		if (id_in(areas, i, id))
			return problem(err, "%s: %s: area \"%s\" is listed twice", DIRECTORY_NAME,
			               where, id);
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
			return problem(err, "%s: %s: id must be a-z, 0-9 and '-'", DIRECTORY_NAME,
			               where);
		if (id_in(services, i, id))
			return problem(err, "%s: %s: service \"%s\" is listed twice",
			               DIRECTORY_NAME, where, id);
		if (!id_in(areas, json_array_size(areas), area))
			return problem(err, "%s: %s (%s): area \"%s\" is not in \"areas\"",
			               DIRECTORY_NAME, where, id, area);
		if (!category_known(category))
			return problem(err,
			               "%s: %s (%s): category \"%s\" is not one of housing, money, "
			               "work, health, drugs_alcohol, family",
			               DIRECTORY_NAME, where, id, category);
		if (!valid_phone(json_string_value(json_object_get(v, "phone"))))
			return problem(
			        err,
			        "%s: %s (%s): phone must be 10 to 13 digits with spaces, like "
			        "0114 496 0123",
			        DIRECTORY_NAME, where, id);
		if (website && strncmp(website, "https://", 8) != 0)
			return problem(err, "%s: %s (%s): website must start with https://",
			               DIRECTORY_NAME, where, id);
	}
	return 0;
}

/* Reads the whole file at path (bounded); 0, or a negative errno with err set. */
static int
read_file(const char *path, char **ret, size_t *ret_len, struct stat *ret_st, char *err)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), r = 0;

	if (fd < 0) {
		r = -errno;
		problem(err, "%s: cannot open: %s", path, strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return problem(err, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > DIRECTORY_BYTES_MAX) {
		close(fd);
		return problem(err, "%s: too large (%lld bytes; at most %u)", DIRECTORY_NAME,
		               (long long)st.st_size, DIRECTORY_BYTES_MAX);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		problem(err, "%s: out of memory", DIRECTORY_NAME);
		return -ENOMEM;
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = problem(err, "%s: cannot read: %s", path,
			            n < 0 ? strerror(errno) : "short");
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	*ret_st = st;
	return 0;
}

static const char *
directory_path(const struct server *srv, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", srv->state_dir, DIRECTORY_NAME);
	if (access(buf, F_OK) == 0)
		return buf;
	/* The shipped file, named without the "policy/.." for people reading messages. */
	{
		char *real = realpath(DIRECTORY_SHIPPED, NULL);

		snprintf(buf, size, "%s", real ? real : DIRECTORY_SHIPPED);
		free(real);
	}
	return buf;
}

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/*
 * Brings the directory up to date with its file: reads it when it is new or has changed
 * since it was last read. Returns 0 when a good directory is loaded (maybe an older one,
 * when the file now is bad: dir->problem then says why).
 */
static int
directory_refresh(struct server *srv)
{
	struct housing_directory *dir = &housing_of(srv)->directory;
	char path[4200], err[DIRECTORY_PROBLEM_MAX] = "";
	struct stat st;
	json_error_t jerr;
	json_t *root;
	char *text = NULL;
	size_t len = 0;
	int r;

	directory_path(srv, path, sizeof(path));
	if (stat(path, &st) == 0 && dir->have_seen && strcmp(path, dir->path) == 0 &&
	    same_file(&st, &dir->seen))
		return dir->loaded ? 0 : -EINVAL;
	snprintf(dir->path, sizeof(dir->path), "%s", path);
	r = read_file(path, &text, &len, &st, err);
	if (r == 0) {
		dir->seen = st;
		dir->have_seen = true;
		root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
		free(text);
		if (!root)
			r = problem(err, "%s:%d:%d: %s", DIRECTORY_NAME, jerr.line, jerr.column,
			            jerr.text);
		else
			r = check_directory(root, err);
		if (r == 0) {
			directory_unload(dir);
			dir->areas = json_incref(json_object_get(root, "areas"));
			dir->services = json_incref(json_object_get(root, "services"));
			snprintf(dir->updated, sizeof(dir->updated), "%s",
			         json_string_value(json_object_get(root, "updated")));
			dir->loaded = true;
			dir->problem[0] = '\0';
			log_info("directory: %zu services in %zu areas from %s",
			         json_array_size(dir->services), json_array_size(dir->areas), path);
		}
		json_decref(root);
	} else {
		dir->have_seen = false;
	}
	/* Logged once per new problem: people's searches must not flood the log. */
	if (r < 0 && strcmp(dir->problem, err) != 0)
		log_error("directory: %s%s", err,
		          dir->loaded ? " (still using the directory read before)" : "");
	if (r < 0)
		snprintf(dir->problem, sizeof(dir->problem), "%s", err);
	return dir->loaded ? 0 : r;
}

static const char *
area_name(const struct housing_directory *dir, const char *id)
{
	size_t i;
	json_t *a;

	json_array_foreach(dir->areas, i, a)
	{
		if (strcmp(json_string_value(json_object_get(a, "id")), id) == 0)
			return json_string_value(json_object_get(a, "name"));
	}
	return id;
}

void
directory_handle_search(struct call *c)
{
	const char *area = params_string(c->params, "area", NULL);
	const char *category = params_string(c->params, "category", NULL);
	const struct housing_directory *dir = &housing_of(c->server)->directory;
	json_t *found, *cats, *s;
	size_t i;

	if (directory_refresh(c->server) < 0) {
		call_fail(c, PROTO_ERR_INTERNAL,
		          "The list of local services cannot be read now. Please tell staff.",
		          NULL);
		return;
	}
	if (area && area[0] && !id_in(dir->areas, json_array_size(dir->areas), area)) {
		call_fail_param(c, "area", "There is no area with that name in the list.");
		return;
	}
	if (category && category[0] && !category_known(category)) {
		call_fail_param(c, "category",
		                "Choose housing, money, work, health, drugs_alcohol or family.");
		return;
	}
	found = json_array();
	json_array_foreach(dir->services, i, s)
	{
		const char *sa = json_string_value(json_object_get(s, "area"));
		const char *sc = json_string_value(json_object_get(s, "category"));
		json_t *copy;

		if ((area && area[0] && strcmp(sa, area) != 0) ||
		    (category && category[0] && strcmp(sc, category) != 0))
			continue;
		if (json_array_size(found) == DIRECTORY_RESULTS_MAX)
			break;
		copy = json_copy(s);
		json_object_set_new(copy, "area_name", json_string(area_name(dir, sa)));
		json_array_append_new(found, copy);
	}
	cats = json_array();
	for (i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		json_array_append_new(cats, json_string(categories[i]));
	call_reply(c, json_pack("{s:O, s:o, s:o, s:s}", "areas", dir->areas, "categories", cats,
	                        "services", found, "updated", dir->updated));
}

void
directory_handle_check(struct call *c)
{
	const struct housing_directory *dir = &housing_of(c->server)->directory;
	int r = directory_refresh(c->server);

	call_set_subject(c, "directory");
	call_reply(c, json_pack("{s:b, s:s, s:I, s:I, s:s?, s:s?}", "ok",
	                        r == 0 && !dir->problem[0], "file", dir->path, "areas",
	                        (json_int_t)(dir->loaded ? json_array_size(dir->areas) : 0),
	                        "services",
	                        (json_int_t)(dir->loaded ? json_array_size(dir->services) : 0),
	                        "updated", dir->loaded ? dir->updated : NULL, "problem",
	                        dir->problem[0] ? dir->problem : NULL));
}

const struct param_spec directory_search_params[] = {
        {"area", PARAM_STRING, false, 0, 48},
        {"category", PARAM_STRING, false, 0, 32},
        {NULL},
};

const struct param_spec directory_check_params[] = {{NULL}};

int
housing_start(struct server *srv, void **ret_state, char *err, size_t size)
{
	struct housing *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	*ret_state = h;
	/* Read now, so the first search does not pay for it; a bad file is logged and
	 * searched for again, as when it changes. */
	(void)directory_refresh(srv);
	return 0;
}

void
housing_stop(struct server *srv, void *state)
{
	struct housing *h = state;

	if (!h)
		return;
	directory_unload(&h->directory);
	free(h);
}

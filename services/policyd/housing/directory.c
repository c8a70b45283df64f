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
#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIRECTORY_NAME RECORD_DIRECTORY_NAME
#define DIRECTORY_SHIPPED ONWARD_POLICY_DIR "/../data/" DIRECTORY_NAME
#define DIRECTORY_BYTES_MAX RECORD_DIRECTORY_BYTES_MAX
#define DIRECTORY_RESULTS_MAX 200
#define DIRECTORY_PROBLEM_MAX HOUSING_DIRECTORY_PROBLEM_MAX

static void
directory_unload(struct housing_directory *dir)
{
	json_decref(dir->areas);
	json_decref(dir->services);
	dir->areas = dir->services = NULL;
	dir->loaded = false;
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

/* Whether the directory lists an area with this id. */
static bool
area_listed(json_t *areas, const char *id)
{
	size_t i;
	json_t *a;

	json_array_foreach(areas, i, a)
	{
		if (strcmp(json_string_value(json_object_get(a, "id")), id) == 0)
			return true;
	}
	return false;
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
			r = record_directory_check(root, err);
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
	if (area && area[0] && !area_listed(dir->areas, area)) {
		call_fail_param(c, "area", "There is no area with that name in the list.");
		return;
	}
	if (category && category[0] && !record_directory_category_known(category)) {
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
	for (i = 0; record_directory_categories[i]; i++)
		json_array_append_new(cats, json_string(record_directory_categories[i]));
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

/*
 * The directory of local services (housing, money, work, health, drug and alcohol,
 * family) that people search from the housing app: onward.Directory.Search on the app's
 * channel and onward.Directory.Check for staff. The directory is a JSON file shipped in
 * the repository (data/services-directory.json, found beside the policy directory), which
 * a device can replace with its own in STATE_DIR/services-directory.json. It is read when
 * the area starts and again whenever the file changes; a file that fails the checks is
 * refused with one line naming the place and the problem (logged, and shown by onwardctl
 * directory check), and the last good directory stays in use.
 *
 * The daemon parses none of it. The file is opened here without waiting (O_NONBLOCK: a
 * FIFO cannot stall the loop) and without following a last symbolic link, must be a
 * regular file within its size, and goes to a fresh onward-parse (core/parser.h), which
 * parses and checks it (directory.read) and sends back the checked directory; the same
 * check (services/record) runs on that answer before it is kept, for searches to use as
 * it is. A read takes milliseconds but is not instant: a search or check that arrives
 * while one is under way (the first, at start, or after the file changed) waits for its
 * answer, paused, so no one is told of a directory about to be replaced.
 */
#include "housing_int.h"

#include "log.h"
#include "parser.h"
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
#define DIRECTORY_READ_TIMEOUT_MS 10000 /* 1 MiB of JSON is read in milliseconds */

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

/*
 * Opens the directory file at path for the child: without waiting, without following a
 * last symbolic link, a regular file within its size. 0 with *ret_fd (owned by the
 * caller) and *ret_st, or a negative errno with the problem in err.
 */
static int
open_file(const char *path, int *ret_fd, struct stat *ret_st, char *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC), r;

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
	*ret_fd = fd;
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

/* Notes why the file last read was refused; logged once per new problem, so that people's
 * searches cannot flood the log. */
static void
directory_problem(struct housing_directory *dir, const char *err)
{
	if (strcmp(dir->problem, err) != 0)
		log_error("directory: %s%s", err,
		          dir->loaded ? " (still using the directory read before)" : "");
	snprintf(dir->problem, sizeof(dir->problem), "%s", err);
}

/* Keeps a directory the child sent, once it passes the same check here. */
static void
directory_keep(struct housing_directory *dir, json_t *root)
{
	char err[DIRECTORY_PROBLEM_MAX];

	if (record_directory_check(root, err) < 0) {
		log_error("directory: %s: the checker's answer is not a directory: %s", dir->path,
		          err);
		problem(err, "%s: the checker's answer was not understood", DIRECTORY_NAME);
		directory_problem(dir, err);
		return;
	}
	directory_unload(dir);
	dir->areas = json_incref(json_object_get(root, "areas"));
	dir->services = json_incref(json_object_get(root, "services"));
	snprintf(dir->updated, sizeof(dir->updated), "%s",
	         json_string_value(json_object_get(root, "updated")));
	dir->loaded = true;
	dir->problem[0] = '\0';
	log_info("directory: %zu services in %zu areas from %s", json_array_size(dir->services),
	         json_array_size(dir->areas), dir->path);
}

static void answer(struct call *c, bool check);

/* The child's answer: the directory kept, or the problem noted; then the waiting calls. */
static void
on_read(void *userdata, int r, const struct parser_reply *reply, const char *message)
{
	struct server *srv = userdata;
	struct housing_directory *dir = &housing_of(srv)->directory;
	struct directory_wait waiting[DIRECTORY_WAITING_MAX];
	size_t n = dir->n_waiting;
	char err[DIRECTORY_PROBLEM_MAX];

	/* Its work is done: a child that read one file reads no other. */
	parser_close(dir->reader);
	dir->reader = NULL;
	/* The file is not read again until it changes, unless the child could not be asked. */
	dir->seen = dir->reading;
	dir->have_seen = r != -ENOEXEC && r != -ECANCELED && r != -EBUSY && r != -ENOMEM;
	if (r == 0) {
		directory_keep(dir, json_object_get(reply->json, "directory"));
	} else if (r == -EINVAL) {
		directory_problem(dir, message); /* the place and the problem, from the child */
	} else if (r != -ECANCELED) {
		problem(err, "%s: could not be checked: %s", DIRECTORY_NAME, message);
		directory_problem(dir, err);
	}
	memcpy(waiting, dir->waiting, n * sizeof(waiting[0]));
	dir->n_waiting = 0;
	for (size_t i = 0; i < n; i++)
		answer(waiting[i].call, waiting[i].check);
}

/*
 * Brings the directory up to date with its file: starts a read when the file is new or has
 * changed since it was last read. true while a read is under way (the caller waits for
 * it); false when the directory as it stands is the answer (maybe an older one, when the
 * file now is bad: dir->problem then says why).
 */
static bool
directory_refresh(struct server *srv)
{
	struct housing_directory *dir = &housing_of(srv)->directory;
	char path[4200], err[DIRECTORY_PROBLEM_MAX] = "";
	struct stat st;
	int fd = -1, r;

	if (dir->reader)
		return true;
	if (dir->draining)
		return false;
	directory_path(srv, path, sizeof(path));
	if (stat(path, &st) == 0 && dir->have_seen && strcmp(path, dir->path) == 0 &&
	    same_file(&st, &dir->seen))
		return false;
	snprintf(dir->path, sizeof(dir->path), "%s", path);
	dir->have_seen = false;
	r = open_file(path, &fd, &st, err);
	if (r == 0)
		r = parser_new(srv, "directory", &dir->reader);
	if (r == 0) {
		dir->reading = st;
		/* parser_call takes fd, whatever happens. */
		r = parser_call(dir->reader, "directory.read", json_pack("{s:s}", "path", path), fd,
		                DIRECTORY_READ_TIMEOUT_MS, NULL, on_read, srv);
		fd = -1;
		if (r < 0)
			problem(err, "%s: cannot be checked now (error %d)", DIRECTORY_NAME, -r);
	}
	if (fd >= 0)
		close(fd);
	if (r < 0) {
		parser_close(dir->reader);
		dir->reader = NULL;
		if (!err[0])
			problem(err, "%s: cannot be checked now (error %d)", DIRECTORY_NAME, -r);
		directory_problem(dir, err);
		return false;
	}
	return true;
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

/* A search, answered from the directory as it stands. */
static void
answer_search(struct call *c)
{
	const char *area = params_string(c->params, "area", NULL);
	const char *category = params_string(c->params, "category", NULL);
	const struct housing_directory *dir = &housing_of(c->server)->directory;
	json_t *found, *cats, *s;
	size_t i;

	if (!dir->loaded) {
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

/* A check, answered from the directory as it stands. */
static void
answer_check(struct call *c)
{
	const struct housing_directory *dir = &housing_of(c->server)->directory;

	call_reply(c, json_pack("{s:b, s:s, s:I, s:I, s:s?, s:s?}", "ok",
	                        dir->loaded && !dir->problem[0], "file", dir->path, "areas",
	                        (json_int_t)(dir->loaded ? json_array_size(dir->areas) : 0),
	                        "services",
	                        (json_int_t)(dir->loaded ? json_array_size(dir->services) : 0),
	                        "updated", dir->loaded ? dir->updated : NULL, "problem",
	                        dir->problem[0] ? dir->problem : NULL));
}

static void
answer(struct call *c, bool check)
{
	if (check)
		answer_check(c);
	else
		answer_search(c);
}

/* Answers now, or once the read under way (or started now) has answered. */
static void
directory_use(struct call *c, bool check)
{
	struct housing_directory *dir = &housing_of(c->server)->directory;

	if (!directory_refresh(c->server)) {
		answer(c, check);
		return;
	}
	if (dir->n_waiting == DIRECTORY_WAITING_MAX) {
		call_fail(c, PROTO_ERR_BUSY,
		          "The list of local services is being read. Try again in a moment.", NULL);
		return;
	}
	call_pause(c);
	dir->waiting[dir->n_waiting++] = (struct directory_wait){c, check};
}

void
directory_handle_search(struct call *c)
{
	directory_use(c, false);
}

void
directory_handle_check(struct call *c)
{
	call_set_subject(c, "directory");
	directory_use(c, true);
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
	/* Read now, so the first search does not wait for it; a bad file is logged and read
	 * again when it changes. */
	(void)directory_refresh(srv);
	return 0;
}

void
housing_drain(struct server *srv, void *state)
{
	struct housing *h = state;
	struct parser *reader;

	(void)srv;
	if (!h)
		return;
	h->directory.draining = true;
	/* The read under way ends now; its waiting calls are answered from what is kept. */
	reader = h->directory.reader;
	if (reader) {
		h->directory.reader = NULL;
		parser_close(reader);
	}
}

void
housing_stop(struct server *srv, void *state)
{
	struct housing *h = state;

	(void)srv;
	if (!h)
		return;
	/* Drained already, or never: the loop has ended (a daemon that did not start). */
	parser_close(h->directory.reader);
	directory_unload(&h->directory);
	free(h);
}

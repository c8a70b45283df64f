/*
 * Course packs in the daemon, which parses none of them: installing a pack, and asking for
 * what is in installed ones, both through onward-parse (core/parser.h), the keyless child
 * under its own seccomp filter.
 *
 * Two kinds of child, for two kinds of work:
 *   - the learning app's pages, pictures, quizzes and marking go to one long-lived child
 *     (learning->pages), started with the area so the daemon refuses to start when it
 *     cannot build its walls. Each request takes milliseconds, and the child keeps a few
 *     installed packs open, so turning a page costs a zip lookup;
 *   - each install gets a fresh child of its own, which exits when it has answered. A
 *     long install (seconds, for a large pack) therefore never holds up a learner's page,
 *     and a child that has read one hostile pack is never asked about another: even a
 *     pack that took over its checker cannot vouch for the next one.
 * One install runs at a time; another is refused at once with the first one's progress.
 *
 * Installing: the path is opened here, on the loop, without blocking (O_NONBLOCK: a FIFO or
 * device cannot stall the daemon) and without following a last symbolic link, and must be
 * a regular file within the size limit. The thread pool copies it into DIR/courses under a
 * temporary name (hashing it as it goes), and the child verifies that copy through a
 * read-only descriptor, sending progress; the bytes installed are exactly the bytes
 * verified, and admin.c renames the copy into place in the transaction that records it.
 * The child's reply is only canonical data: the manifest as JSON, which is parsed again
 * here with the same strict parser before anything is stored.
 *
 * Asking: an installed pack is opened here (read-only) and passed with each request, with
 * the file's size and SHA-256 from the stored manifest, which the child checks the file
 * against; the area's handlers check the shape of every reply before using it.
 */
#include "learning_int.h"

#include "clock.h"
#include "crypto.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#define COPY_CHUNK (1u << 20)
#define SHOWN_PATH_MAX 120 /* bytes of a path in a refusal */

int
course_path(const struct server *srv, const char *name, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/%s", srv->state_dir, name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

bool
course_id_valid(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > STORE_COURSE_ID_MAX)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		      *p == '-'))
			return false;
	return true;
}

int
course_level_number(const char *level)
{
	if (strcmp(level, "level1") == 0)
		return 1;
	if (strcmp(level, "level2") == 0)
		return 2;
	if (strncmp(level, "entry", 5) == 0)
		return 0;
	/* Anything newer than this build knows counts as the highest level. */
	return 3;
}

void
course_path_shorten(const char *path, size_t max, char *buf, size_t size)
{
	size_t len = strlen(path), head, tail;

	if (max + 1 > size)
		max = size - 1;
	if (len <= max) {
		memcpy(buf, path, len + 1);
		return;
	}
	/* Keep the start (where it is) and the end (which file), cut at UTF-8 boundaries. */
	head = (max - 3) / 3;
	tail = max - 3 - head;
	while (head > 0 && ((unsigned char)path[head] & 0xc0) == 0x80)
		head--;
	while (tail > 0 && ((unsigned char)path[len - tail] & 0xc0) == 0x80)
		tail--;
	memcpy(buf, path, head);
	memcpy(buf + head, "...", 3);
	memcpy(buf + head + 3, path + len - tail, tail + 1);
}

/* ---- asking about an installed pack ---- */

int
course_ask(struct call *c, const struct store_course *course, const struct pack_manifest *m,
           const char *kind, const char *name, json_t *params, parser_done_fn done, void *ctx)
{
	struct learning *l = learning_of(c->server);
	char dir[4200], path[4400], hex[65];
	size_t i, n = pack_manifest_file_count(m);
	int fd, r;

	for (i = 0; i < n && strcmp(pack_manifest_file_name(m, i), name) != 0; i++)
		;
	if (!l->pages) { /* drained: the daemon is stopping */
		json_decref(params);
		return -ECANCELED;
	}
	if (!params || i == n || strlen(course->sha256) != 64 ||
	    course_path(c->server, COURSE_DIR, dir, sizeof(dir)) < 0 ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, course->file) >= sizeof(path)) {
		json_decref(params);
		return -EINVAL;
	}
	crypto_hex_encode(pack_manifest_file_sha256(m, i), 32, hex);
	if (json_object_set_new(params, "pack", json_string(course->sha256)) < 0 ||
	    json_object_set_new(params, "file",
	                        json_pack("{s:s, s:I, s:s}", "name", name, "size",
	                                  (json_int_t)pack_manifest_file_size(m, i), "sha256",
	                                  hex)) < 0) {
		json_decref(params);
		return -ENOMEM;
	}
	/* The daemon's own file in its own folder: open does not wait. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		log_error("course %s: cannot open %s: %s", course->id, path, strerror(-r));
		json_decref(params);
		return r;
	}
	r = parser_call(l->pages, kind, params, fd, COURSE_PAGE_TIMEOUT_MS, NULL, done, ctx);
	if (r == 0)
		call_pause(c); /* done runs later, from the loop */
	return r;
}

/* ---- installing ---- */

struct install_job {
	uv_work_t req;
	struct learning *learning; /* borrowed: the area's state */
	struct call *call; /* paused until done */
	course_install_fn done;
	struct parser *checker; /* owned: this install's own onward-parse */
	char shown[SHOWN_PATH_MAX + 1]; /* the path as staff see it */
	char dir[4200]; /* DIR/courses */
	int src; /* the opened source; closed after the copy */
	int copy; /* the verified copy, read-only, for the child; -1 once passed */
	uint64_t src_size;
	uint64_t started_ms, deadline_ms; /* uv_hrtime() in ms: a monotonic clock, not time */
	atomic_uint percent; /* done, for the busy refusal */
	unsigned logged; /* the last percent logged */
	uint8_t root[32];
	int r;
	const char *problem;
	char message[PARSER_MESSAGE_MAX + 200];
	struct course_install result;
};

static int job_fail(struct install_job *job, int r, const char *problem, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* Records the job's failure: the first one wins. */
static int
job_fail(struct install_job *job, int r, const char *problem, const char *fmt, ...)
{
	va_list ap;

	if (job->r == 0) {
		va_start(ap, fmt);
		vsnprintf(job->message, sizeof(job->message), fmt, ap);
		va_end(ap);
		job->r = r;
		job->problem = problem;
	}
	return r;
}

const char *
course_open_problem(int e)
{
	switch (e) {
	case ENOENT:
		return "there is no file there";
	case ENOTDIR:
		return "a part of the path is not a folder";
	case EACCES:
	case EPERM:
		return "the service is not allowed to read it";
	case ELOOP:
		return "it is a symbolic link; give the path of the pack itself";
	case ENAMETOOLONG:
		return "the path is too long";
	case ENXIO:
	case ENODEV:
		return "it is a socket or device, not a course pack file";
	case EISDIR:
		return "it is a folder, not a course pack file";
	default:
		return NULL;
	}
}

static const char *
file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a folder";
	if (S_ISFIFO(mode))
		return "a pipe (FIFO)";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "not a regular file";
}

const char *
course_sys_words(int e, char words[64])
{
	switch (e) {
	case ENOSPC:
		return "the disk is full";
	case EDQUOT:
		return "the disk quota is used up";
	case EROFS:
		return "the disk is read-only";
	case EIO:
		return "the disk reported an error";
	case EACCES:
	case EPERM:
		return "the service is not allowed to";
	case ENOMEM:
		return "the service is out of memory";
	default:
		snprintf(words, 64, "system error %d", e);
		return words;
	}
}

/* Opens the source on the loop: nothing here can wait on a pipe, device or slow peer. */
static int
open_source(struct install_job *job, const char *path)
{
	struct stat st;
	const char *why;
	char words[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);

	if (fd < 0) {
		int e = errno;

		why = course_open_problem(e);
		if (why)
			return job_fail(job, -e, e == ENOENT ? "missing" : "unreadable",
			                "The course pack was refused: %s: %s", job->shown, why);
		return job_fail(job, -e, "unreadable",
		                "The course pack was refused: %s: it cannot be opened (%s)",
		                job->shown, course_sys_words(e, words));
	}
	if (fstat(fd, &st) < 0) {
		close(fd);
		return job_fail(job, -EIO, "unreadable",
		                "The course pack was refused: %s: it cannot be read", job->shown);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return job_fail(
		        job, -EINVAL, "unreadable",
		        "The course pack was refused: %s: that is %s, not a course pack file",
		        job->shown, file_kind(st.st_mode));
	}
	if ((uint64_t)st.st_size > PACK_DEFAULT_MAX_PACK_BYTES) {
		close(fd);
		return job_fail(job, -EFBIG, "too_large",
		                "The course pack was refused: %s: the file is %jd bytes, over the "
		                "%ju-byte limit for a pack",
		                job->shown, (intmax_t)st.st_size,
		                (uintmax_t)PACK_DEFAULT_MAX_PACK_BYTES);
	}
	job->src = fd;
	job->src_size = (uint64_t)st.st_size;
	return 0;
}

static int
write_all(int fd, const uint8_t *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copies the source into the temporary file, hashing it; the copy is fsynced. */
static void
copy_in(struct install_job *job, int dst)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t *buf = malloc(COPY_CHUNK), digest[32];
	uint64_t got = 0, size = job->src_size;
	char words[64];
	unsigned n = 0;
	int r = 0;

	if (!ctx || !buf || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		r = job_fail(job, -ENOMEM, "unreadable",
		             "The course pack cannot be installed: the service is out of memory");
	/* Read one byte more than fstat said, to notice a file that grew meanwhile. */
	while (r == 0 && got <= size) {
		ssize_t k = read(job->src, buf, COPY_CHUNK);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = job_fail(job, -EIO, "unreadable",
			             "The course pack was refused: %s: it cannot be read (%s)",
			             job->shown, course_sys_words(errno, words));
			break;
		}
		if (k == 0)
			break;
		got += (uint64_t)k;
		if (got > size)
			break;
		if (uv_hrtime() / 1000000 > job->deadline_ms)
			r = job_fail(job, -ETIMEDOUT, "too_slow",
			             "The course pack was refused: %s: copying it took longer than "
			             "%d seconds",
			             job->shown, COURSE_INSTALL_TIMEOUT_MS / 1000);
		else if (EVP_DigestUpdate(ctx, buf, (size_t)k) != 1)
			r = job_fail(job, -EIO, "unreadable",
			             "The course pack cannot be installed: it cannot be hashed");
		else if ((r = write_all(dst, buf, (size_t)k)) < 0)
			job_fail(job, r, "unreadable",
			         "The course pack cannot be installed: it cannot be copied into "
			         "the course folder (%s)",
			         course_sys_words(-r, words));
	}
	if (r == 0 && got != size)
		r = job_fail(job, -EIO, "unreadable",
		             "The course pack was refused: %s: the file changed while it was read",
		             job->shown);
	if (r == 0 && EVP_DigestFinal_ex(ctx, digest, &n) != 1)
		r = job_fail(job, -EIO, "unreadable",
		             "The course pack cannot be installed: it cannot be hashed");
	if (r == 0 && fsync(dst) < 0)
		r = job_fail(job, -errno, "unreadable",
		             "The course pack cannot be installed: it cannot be copied into the "
		             "course folder (%s)",
		             course_sys_words(errno, words));
	if (r == 0) {
		crypto_hex_encode(digest, sizeof(digest), job->result.sha256);
		job->result.size = (int64_t)size;
	}
	EVP_MD_CTX_free(ctx);
	free(buf);
}

/* In the thread pool: the copy, and a read-only descriptor of it for the child. */
static void
on_copy(uv_work_t *req)
{
	struct install_job *job = req->data;
	char words[64];
	int dst = -1;

	if (mkdir(job->dir, 0700) < 0 && errno != EEXIST) {
		job_fail(job, -errno, "unreadable",
		         "The course pack cannot be installed: the course folder cannot be made "
		         "(%s)",
		         course_sys_words(errno, words));
		return;
	}
	if ((size_t)snprintf(job->result.temp_path, sizeof(job->result.temp_path),
	                     "%s/.install-XXXXXX", job->dir) < sizeof(job->result.temp_path))
		dst = mkostemp(job->result.temp_path, O_CLOEXEC);
	if (dst < 0) {
		job_fail(job, -EIO, "unreadable",
		         "The course pack cannot be installed: it cannot be copied into the course "
		         "folder (%s)",
		         course_sys_words(errno, words));
		job->result.temp_path[0] = '\0';
		return;
	}
	if (fchmod(dst, 0600) == 0)
		copy_in(job, dst);
	if (close(dst) < 0 && job->r == 0)
		job_fail(job, -errno, "unreadable",
		         "The course pack cannot be installed: it cannot be copied into the course "
		         "folder (%s)",
		         course_sys_words(errno, words));
	/* The child reads the copy; it gets no way to write it. */
	if (job->r == 0) {
		job->copy = open(job->result.temp_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (job->copy < 0)
			job_fail(
			        job, -errno, "unreadable",
			        "The course pack cannot be installed: its copy cannot be read (%s)",
			        course_sys_words(errno, words));
	}
}

static void
install_finish(struct install_job *job)
{
	struct learning *l = job->learning;

	l->install = NULL;
	if (job->src >= 0)
		close(job->src);
	if (job->copy >= 0)
		close(job->copy);
	if (job->r < 0)
		course_install_release(&job->result);
	if (job->checker)
		parser_close(job->checker);
	job->done(job->call, job->r, job->problem, job->message, &job->result);
	free(job);
}

static void
on_progress(void *userdata, uint64_t done, uint64_t total)
{
	struct install_job *job = userdata;
	unsigned percent = total ? (unsigned)(done * 100 / total) : 0;

	atomic_store(&job->percent, percent);
	/* The log shows a long install moving, a line every quarter. */
	if (percent / 25 > job->logged / 25 && percent < 100) {
		job->logged = percent;
		log_info("course install: %s: %u%% checked", job->shown, percent);
	}
}

/* A problem word for the child's refusal: which kind of check refused the pack. */
static const char *
problem_word(int r)
{
	switch (r) {
	case -EKEYREJECTED:
		return "signature";
	case -EKEYEXPIRED:
		return "expired";
	case -ENOENT:
		return "missing";
	case -EFBIG:
		return "too_large";
	case -EBADMSG:
		return "malformed";
	case -ENOTSUP:
		return "old_format";
	default:
		return "unreadable";
	}
}

static void
on_verified(void *userdata, int r, const struct parser_reply *reply, const char *message)
{
	struct install_job *job = userdata;
	const char *manifest =
	        reply ? json_string_value(json_object_get(reply->json, "manifest")) : NULL;
	const char *provider =
	        reply ? json_string_value(json_object_get(
	                        json_object_get(reply->json, "certificate"), "provider_id"))
	              : NULL;
	struct pack_error err = {0};
	size_t len;

	if (r == -ECHILD || r == -EPROTO)
		job_fail(job, r, "unreadable",
		         "The course pack could not be checked: the checker stopped unexpectedly "
		         "(it may be built to attack the service). Nothing was installed.");
	else if (r == -ENOEXEC)
		job_fail(job, r, "unreadable",
		         "The course pack cannot be checked now: the checker could not be started. "
		         "Tell the service's administrators; nothing was installed.");
	else if (r == -ETIMEDOUT)
		job_fail(job, r, "too_slow",
		         "The course pack was refused: %s. Nothing was installed.", message);
	else if (r == -ECANCELED)
		job_fail(job, r, "busy", "The service is stopping. Try again when it is back.");
	else if (r < 0)
		job_fail(job, r, problem_word(r), "The course pack was refused: %s", message);
	else if (!manifest ||
	         pack_manifest_parse(manifest, strlen(manifest), NULL, &job->result.manifest,
	                             &err) < 0 ||
	         !provider ||
	         strcmp(provider, pack_manifest_provider_id(job->result.manifest)) != 0 ||
	         pack_manifest_to_json(job->result.manifest, &job->result.manifest_json, &len,
	                               &err) < 0) {
		log_error("course install: %s: the checker's answer is not a manifest: %s",
		          job->shown, err.message[0] ? err.message : "missing fields");
		job_fail(job, -EPROTO, "unreadable",
		         "The course pack could not be checked: the checker's answer was not "
		         "understood. Nothing was installed.");
	}
	install_finish(job);
}

static void
on_copied(uv_work_t *req, int status)
{
	struct install_job *job = req->data;
	struct learning *l = job->learning;
	uint64_t now_ms = uv_hrtime() / 1000000;
	char hex[65];
	int r;

	close(job->src);
	job->src = -1;
	if (status < 0 || l->draining)
		job_fail(job, -ECANCELED, "busy",
		         "The service is stopping. Try again when it is back.");
	if (job->r < 0) {
		install_finish(job);
		return;
	}
	crypto_hex_encode(job->root, sizeof(job->root), hex);
	r = parser_new(job->call->server, "install", &job->checker);
	if (r == 0) {
		int copy = job->copy;

		job->copy = -1; /* parser_call takes it, whatever happens */
		r = parser_call(
		        job->checker, "pack.verify",
		        json_pack("{s:s, s:I}", "root", hex, "at",
		                  (json_int_t)job->result.verified_at),
		        copy, (unsigned)(job->deadline_ms > now_ms ? job->deadline_ms - now_ms : 1),
		        on_progress, on_verified, job);
	}
	if (r < 0) {
		job_fail(job, r, "busy", "The course pack cannot be checked now. Try again.");
		install_finish(job);
	}
}

json_t *
course_install_status(struct server *srv)
{
	const struct install_job *job = learning_of(srv)->install;

	if (!job)
		return json_pack("{s:b}", "running", 0);
	return json_pack("{s:b, s:s, s:I, s:i}", "running", 1, "file", job->shown, "seconds",
	                 (json_int_t)((uv_hrtime() / 1000000 - job->started_ms) / 1000), "percent",
	                 (int)atomic_load(&job->percent));
}

int
course_install_start(struct call *c, const char *path, const uint8_t root_raw[32],
                     course_install_fn done, const char **ret_problem, char *ret_message,
                     size_t size)
{
	struct learning *l = learning_of(c->server);
	struct install_job *job;
	int r;

	if (l->install) {
		*ret_problem = "busy";
		snprintf(ret_message, size,
		         "Another course pack is being checked (%s, started %ju seconds ago, %u%% "
		         "done). Try again when it has finished.",
		         l->install->shown,
		         (uintmax_t)((uv_hrtime() / 1000000 - l->install->started_ms) / 1000),
		         atomic_load(&l->install->percent));
		return -EBUSY;
	}
	job = calloc(1, sizeof(*job));
	if (!job) {
		*ret_problem = "busy";
		snprintf(ret_message, size, "The service is out of memory. Try again.");
		return -ENOMEM;
	}
	job->src = job->copy = -1;
	course_path_shorten(path, SHOWN_PATH_MAX, job->shown, sizeof(job->shown));
	r = course_path(c->server, COURSE_DIR, job->dir, sizeof(job->dir));
	if (r == 0)
		r = open_source(job, path);
	if (r < 0) {
		*ret_problem = job->problem ? job->problem : "unreadable";
		snprintf(ret_message, size, "%s",
		         job->r ? job->message
		                : "The course pack cannot be installed: the state directory's "
		                  "path is too long");
		free(job);
		return r;
	}
	memcpy(job->root, root_raw, 32);
	crypto_hex_encode(root_raw, 32, job->result.root_key);
	job->result.verified_at = clock_now();
	job->started_ms = uv_hrtime() / 1000000;
	job->deadline_ms = job->started_ms + COURSE_INSTALL_TIMEOUT_MS;
	job->call = c;
	job->learning = l;
	job->done = done;
	job->req.data = job;
	r = uv_queue_work(c->server->loop, &job->req, on_copy, on_copied);
	if (r < 0) {
		close(job->src);
		free(job);
		*ret_problem = "busy";
		snprintf(ret_message, size, "The course pack cannot be installed now. Try again.");
		return -EIO;
	}
	call_pause(c);
	l->install = job;
	log_info("course install: %s: checking", job->shown);
	return 0;
}

void
course_install_release(struct course_install *result)
{
	pack_manifest_free(result->manifest);
	result->manifest = NULL;
	free(result->manifest_json);
	result->manifest_json = NULL;
	if (result->temp_path[0]) {
		unlink(result->temp_path);
		result->temp_path[0] = '\0';
	}
}

/* ---- the area's start, drain and stop ---- */

int
learning_start(struct server *srv, void **ret_state, char *err, size_t size)
{
	struct learning *l = calloc(1, sizeof(*l));
	int r;

	if (!l)
		return -ENOMEM;
	*ret_state = l;
	r = course_cert_key_load(srv, &l->cert_key, err, size);
	if (r < 0)
		return r;
	/* The pages child starts now: no walls, no daemon. */
	r = parser_new(srv, "pages", &l->pages);
	if (r == 0)
		r = parser_start(l->pages, err, size);
	return r;
}

void
learning_drain(struct server *srv, void *state)
{
	struct learning *l = state;

	(void)srv;
	if (!l)
		return;
	l->draining = true;
	/* Calls waiting on a child are answered now ("stopping"); the children end. */
	if (l->install && l->install->checker)
		parser_close(l->install->checker);
	parser_close(l->pages);
	l->pages = NULL;
}

void
learning_stop(struct server *srv, void *state)
{
	struct learning *l = state;

	(void)srv;
	if (!l)
		return;
	/* The loop has ended: the children's handles are closed (drain) or never were. */
	if (l->pages)
		parser_close(l->pages);
	coursecert_key_free(l->cert_key);
	free(l);
}

/*
 * Course packs in the daemon: verifying a pack to install it, and keeping installed packs
 * open for the learning app. Both are slow for a large pack (a 256 MiB pack takes about a
 * second to read and check), so both run in libuv's thread pool while the call that needs
 * them waits, paused; the loop goes on serving everyone else.
 *
 * Installing copies the file into DIR/courses under a temporary name first and verifies
 * that copy, so the bytes installed are exactly the bytes verified: a file changed at its
 * source after the check cannot slip in. The handler renames the copy into place in the
 * transaction that records it (learning/admin.c).
 *
 * Open packs live in a small cache (8 packs, 192 MiB), least recently used first out. A
 * pack is re-opened with the content root and the time it was installed with, and must
 * still be the course and version recorded.
 */
#include "learning_int.h"

#include "clock.h"
#include "crypto.h"
#include "log.h"
#include "timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#define CACHE_BUDGET (192ull << 20)
#define COPY_CHUNK (1u << 20)

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

/* ---- the cache of open packs ---- */

struct load_job {
	uv_work_t req;
	struct learning *learning; /* borrowed: the area's state */
	struct course_slot *slot; /* borrowed: a loading slot is never reused */
	char path[4200];
	char id[STORE_COURSE_ID_MAX + 1];
	char version[33];
	uint8_t root[32];
	int64_t at;
	struct pack *pack; /* out; owned until handed to the slot */
	char message[PACK_ERROR_MAX];
};

static struct course_slot *
slot_find(struct learning *l, const char *id)
{
	for (size_t i = 0; i < COURSE_CACHE_SLOTS; i++)
		if ((l->slots[i].pack || l->slots[i].loading) && strcmp(l->slots[i].id, id) == 0)
			return &l->slots[i];
	return NULL;
}

static void
slot_clear(struct learning *l, struct course_slot *s)
{
	if (s->pack) {
		pack_free(s->pack);
		l->cache_bytes -= s->bytes;
	}
	memset(s, 0, sizeof(*s));
}

/* A free slot with room for bytes, evicting the least recently used open packs. */
static struct course_slot *
slot_take(struct learning *l, uint64_t bytes)
{
	for (;;) {
		struct course_slot *empty = NULL, *oldest = NULL;

		for (size_t i = 0; i < COURSE_CACHE_SLOTS; i++) {
			struct course_slot *s = &l->slots[i];

			if (!s->pack && !s->loading && !empty)
				empty = s;
			else if (s->pack && !s->loading && (!oldest || s->used < oldest->used))
				oldest = s;
		}
		if (empty && (l->cache_bytes + bytes <= CACHE_BUDGET || !oldest))
			return empty;
		if (!oldest)
			return NULL;
		slot_clear(l, oldest);
	}
}

static void
on_load(uv_work_t *req)
{
	struct load_job *job = req->data;
	struct pack_error err = {0};
	struct pack_key *root = NULL;
	struct pack *pack = NULL;
	const struct pack_manifest *m;

	if (pack_key_from_raw_public(job->root, &root, &err) == 0 &&
	    pack_open_file(job->path, root, job->at, NULL, &pack, &err) == 0) {
		m = pack_get_manifest(pack);
		if (strcmp(pack_manifest_id(m), job->id) != 0 ||
		    strcmp(pack_manifest_version(m), job->version) != 0) {
			snprintf(job->message, sizeof(job->message),
			         "the installed file holds %.64s %.32s, not the course recorded",
			         pack_manifest_id(m), pack_manifest_version(m));
			pack_free(pack);
			pack = NULL;
		}
	} else {
		snprintf(job->message, sizeof(job->message), "%s", err.message);
	}
	pack_key_free(root);
	job->pack = pack;
}

static void
on_load_done(uv_work_t *req, int status)
{
	struct load_job *job = req->data;
	struct learning *l = job->learning;
	struct course_slot *s = job->slot;
	struct course_waiter *w = s->waiters, *next;

	if (!job->pack)
		log_error("course %s %s cannot be opened: %s", job->id, job->version,
		          status < 0 ? "cancelled" : job->message);
	s->waiters = NULL;
	s->loading = false;
	if (job->pack) {
		s->pack = job->pack;
		l->cache_bytes += s->bytes;
		s->used = ++l->tick;
	}
	for (; w; w = next) {
		next = w->next;
		w->fn(w->call, s->pack, w->ctx);
		free(w);
	}
	if (s->stale || !s->pack)
		slot_clear(l, s);
	free(job);
}

void
course_pack_with(struct call *c, const struct store_course *course, course_pack_fn fn, void *ctx)
{
	struct learning *l = learning_of(c->server);
	struct course_slot *s = slot_find(l, course->id);
	struct course_waiter *w, **tail;
	struct load_job *job;

	if (s && strcmp(s->version, course->version) != 0 && !s->loading) {
		slot_clear(l, s); /* an older version, replaced since */
		s = NULL;
	}
	if (s && s->pack && !s->stale) {
		s->used = ++l->tick;
		fn(c, s->pack, ctx);
		return;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		fn(c, NULL, ctx);
		return;
	}
	*w = (struct course_waiter){c, fn, ctx, NULL};
	if (s && s->loading && !s->stale && strcmp(s->version, course->version) == 0) {
		for (tail = &s->waiters; *tail; tail = &(*tail)->next)
			;
		*tail = w;
		call_pause(c);
		return;
	}
	job = calloc(1, sizeof(*job));
	s = job ? slot_take(l, (uint64_t)course->size) : NULL;
	if (!s || strlen(course->root_key) != 64 ||
	    course_path(c->server, COURSE_DIR, job->path, sizeof(job->path)) < 0 ||
	    strlen(job->path) + strlen(course->file) + 2 > sizeof(job->path)) {
		free(job);
		free(w);
		fn(c, NULL, ctx);
		return;
	}
	strcat(job->path, "/");
	strcat(job->path, course->file);
	if (crypto_hex_decode(course->root_key, job->root, sizeof(job->root)) < 0) {
		free(job);
		free(w);
		fn(c, NULL, ctx);
		return;
	}
	snprintf(job->id, sizeof(job->id), "%s", course->id);
	snprintf(job->version, sizeof(job->version), "%s", course->version);
	job->at = course->installed_at;
	job->learning = l;
	job->slot = s;
	job->req.data = job;
	snprintf(s->id, sizeof(s->id), "%s", course->id);
	snprintf(s->version, sizeof(s->version), "%s", course->version);
	s->bytes = (uint64_t)course->size;
	s->loading = true;
	s->waiters = w;
	call_pause(c);
	if (uv_queue_work(c->server->loop, &job->req, on_load, on_load_done) < 0) {
		s->loading = false;
		s->waiters = NULL;
		slot_clear(l, s);
		free(job);
		fn(c, NULL, ctx);
		free(w);
	}
}

void
course_pack_forget(struct server *srv, const char *course_id)
{
	struct learning *l = learning_of(srv);
	struct course_slot *s = slot_find(l, course_id);

	if (!s)
		return;
	if (s->loading)
		s->stale = true;
	else
		slot_clear(l, s);
}

void
course_pack_adopt(struct server *srv, const struct store_course *course, struct pack *pack)
{
	struct learning *l = learning_of(srv);
	struct course_slot *s;

	course_pack_forget(srv, course->id);
	s = slot_take(l, (uint64_t)course->size);
	if (!s) {
		pack_free(pack);
		return;
	}
	snprintf(s->id, sizeof(s->id), "%s", course->id);
	snprintf(s->version, sizeof(s->version), "%s", course->version);
	s->pack = pack;
	s->bytes = (uint64_t)course->size;
	s->used = ++l->tick;
	l->cache_bytes += s->bytes;
}

/* ---- installing ---- */

struct install_job {
	uv_work_t req;
	struct learning *learning; /* borrowed: the area's state */
	struct call *call; /* paused until done */
	course_install_fn done;
	char path[4096];
	char dir[4200]; /* DIR/courses */
	uint8_t root[32];
	int64_t now;
	int r;
	char message[PACK_ERROR_MAX + 64];
	struct course_install result;
};

/* The verified manifest as JSON that pack_manifest_parse() reads back the same. */
static char *
manifest_json(const struct pack_manifest *m)
{
	json_t *modules = json_array(), *files = json_array(), *root;
	char *text;

	for (size_t i = 0; i < pack_manifest_module_count(m); i++) {
		const struct pack_module *mod = pack_manifest_module(m, i);
		json_t *pages = json_array();
		json_t *obj;

		for (size_t k = 0; k < pack_module_page_count(mod); k++)
			json_array_append_new(pages, json_string(pack_module_page(mod, k)));
		obj = json_pack("{s:s, s:s, s:I, s:o}", "id", pack_module_id(mod), "title",
		                pack_module_title(mod), "minutes",
		                (json_int_t)pack_module_minutes(mod), "pages", pages);
		if (obj && pack_module_quiz(mod))
			json_object_set_new(obj, "quiz", json_string(pack_module_quiz(mod)));
		json_array_append_new(modules, obj);
	}
	for (size_t i = 0; i < pack_manifest_file_count(m); i++) {
		char hex[65];
		const uint8_t *digest = pack_manifest_file_sha256(m, i);

		for (size_t k = 0; k < 32; k++)
			snprintf(hex + 2 * k, 3, "%02x", digest[k]);
		json_array_append_new(files, json_pack("{s:s, s:I, s:s}", "name",
		                                       pack_manifest_file_name(m, i), "size",
		                                       (json_int_t)pack_manifest_file_size(m, i),
		                                       "sha256", hex));
	}
	root = json_pack("{s:i, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:I, s:o, s:o}", "format", 1,
	                 "id", pack_manifest_id(m), "version", pack_manifest_version(m), "title",
	                 pack_manifest_title(m), "provider", "id", pack_manifest_provider_id(m),
	                 "name", pack_manifest_provider_name(m), "level",
	                 pack_level_name(pack_manifest_level(m)), "language",
	                 pack_manifest_language(m), "minutes", (json_int_t)pack_manifest_minutes(m),
	                 "modules", modules, "files", files);
	text = root ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	return text;
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

static int job_fail(struct install_job *job, int r, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Records the job's failure: the first one wins. */
static int
job_fail(struct install_job *job, int r, const char *fmt, ...)
{
	va_list ap;

	if (job->r == 0) {
		va_start(ap, fmt);
		vsnprintf(job->message, sizeof(job->message), fmt, ap);
		va_end(ap);
		job->r = r;
	}
	return r;
}

/* Copies the source into the temporary file, hashing it; the copy is fsynced. */
static int
copy_in(struct install_job *job, int src, uint64_t size, int dst)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t *buf = malloc(COPY_CHUNK), digest[32];
	uint64_t got = 0;
	unsigned n = 0;
	int r = 0;

	if (!ctx || !buf || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		r = job_fail(job, -ENOMEM, "%s: out of memory", job->path);
	/* Read one byte more than fstat said, to notice a file that grew meanwhile. */
	while (r == 0 && got <= size) {
		ssize_t k = read(src, buf, COPY_CHUNK);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = job_fail(job, -errno, "%s: read error: %s", job->path, strerror(errno));
			break;
		}
		if (k == 0)
			break;
		got += (uint64_t)k;
		if (got > size)
			break;
		if (EVP_DigestUpdate(ctx, buf, (size_t)k) != 1)
			r = job_fail(job, -EIO, "%s: cannot hash the pack", job->path);
		else if ((r = write_all(dst, buf, (size_t)k)) < 0)
			job_fail(job, r, "cannot copy the pack into the course folder: %s",
			         strerror(-r));
	}
	if (r == 0 && got != size)
		r = job_fail(job, -EIO, "%s: file changed while being read", job->path);
	if (r == 0 && EVP_DigestFinal_ex(ctx, digest, &n) != 1)
		r = job_fail(job, -EIO, "%s: cannot hash the pack", job->path);
	if (r == 0 && fsync(dst) < 0)
		r = job_fail(job, -errno, "cannot copy the pack into the course folder: %s",
		             strerror(errno));
	if (r == 0) {
		for (size_t i = 0; i < 32; i++)
			snprintf(job->result.sha256 + 2 * i, 3, "%02x", digest[i]);
		job->result.size = (int64_t)size;
	}
	EVP_MD_CTX_free(ctx);
	free(buf);
	return r;
}

static void
on_install(uv_work_t *req)
{
	struct install_job *job = req->data;
	struct pack_error err = {0};
	struct pack_key *root = NULL;
	struct stat st;
	int src, dst = -1;

	if (mkdir(job->dir, 0700) < 0 && errno != EEXIST) {
		job_fail(job, -errno, "cannot make the course folder %s: %s", job->dir,
		         strerror(errno));
		return;
	}
	src = open(job->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (src < 0) {
		job_fail(job, -errno, "%s: %s", job->path, strerror(errno));
		return;
	}
	if (fstat(src, &st) < 0) {
		job_fail(job, -errno, "%s: %s", job->path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		job_fail(job, -EINVAL, "%s: not a regular file", job->path);
	} else if ((uint64_t)st.st_size > PACK_DEFAULT_MAX_PACK_BYTES) {
		job_fail(job, -EFBIG, "%s: file is %jd bytes, over the %ju-byte limit", job->path,
		         (intmax_t)st.st_size, (uintmax_t)PACK_DEFAULT_MAX_PACK_BYTES);
	} else {
		errno = ENAMETOOLONG;
		if ((size_t)snprintf(job->result.temp_path, sizeof(job->result.temp_path),
		                     "%s/.install-XXXXXX",
		                     job->dir) < sizeof(job->result.temp_path))
			dst = mkostemp(job->result.temp_path, O_CLOEXEC);
		if (dst < 0) {
			job_fail(job, -errno, "cannot copy the pack into the course folder: %s",
			         strerror(errno));
			job->result.temp_path[0] = '\0';
		}
	}
	if (job->r == 0 && dst >= 0 && fchmod(dst, 0600) == 0)
		(void)copy_in(job, src, (uint64_t)st.st_size, dst);
	close(src);
	if (dst >= 0 && close(dst) < 0 && job->r == 0)
		job_fail(job, -errno, "cannot copy the pack into the course folder: %s",
		         strerror(errno));
	if (job->r == 0) {
		if (pack_key_from_raw_public(job->root, &root, &err) < 0 ||
		    pack_open_file(job->result.temp_path, root, job->now, NULL, &job->result.pack,
		                   &err) < 0)
			job_fail(job, err.code ? err.code : -EIO, "%s", err.message);
		pack_key_free(root);
	}
	if (job->r == 0) {
		job->result.manifest_json = manifest_json(pack_get_manifest(job->result.pack));
		if (!job->result.manifest_json)
			job_fail(job, -ENOMEM, "out of memory");
	}
	if (job->r < 0 && job->result.temp_path[0]) {
		unlink(job->result.temp_path);
		job->result.temp_path[0] = '\0';
	}
}

static void
on_install_done(uv_work_t *req, int status)
{
	struct install_job *job = req->data;

	job->learning->installing = false;
	if (status < 0 && job->r == 0)
		job_fail(job, -ECANCELED, "the install was cancelled");
	if (job->r < 0)
		course_install_release(&job->result);
	job->done(job->call, job->r, job->message, &job->result);
	free(job);
}

int
course_install_start(struct call *c, const char *path, const uint8_t root_raw[32],
                     course_install_fn done)
{
	struct learning *l = learning_of(c->server);
	struct install_job *job;

	if (l->installing)
		return -EBUSY;
	job = calloc(1, sizeof(*job));
	if (!job)
		return -ENOMEM;
	if (strlen(path) >= sizeof(job->path) ||
	    course_path(c->server, COURSE_DIR, job->dir, sizeof(job->dir)) < 0) {
		free(job);
		return -ENAMETOOLONG;
	}
	strcpy(job->path, path);
	memcpy(job->root, root_raw, 32);
	for (size_t i = 0; i < 32; i++)
		snprintf(job->result.root_key + 2 * i, 3, "%02x", root_raw[i]);
	job->now = clock_now();
	job->result.verified_at = job->now;
	job->call = c;
	job->learning = l;
	job->done = done;
	job->req.data = job;
	call_pause(c);
	if (uv_queue_work(c->server->loop, &job->req, on_install, on_install_done) < 0) {
		free(job);
		return -EIO;
	}
	l->installing = true;
	return 0;
}

void
course_install_release(struct course_install *result)
{
	pack_free(result->pack);
	result->pack = NULL;
	free(result->manifest_json);
	result->manifest_json = NULL;
	if (result->temp_path[0]) {
		unlink(result->temp_path);
		result->temp_path[0] = '\0';
	}
}

/* ---- the area's start and stop ---- */

int
learning_start(struct server *srv, void **ret_state, char *err, size_t size)
{
	struct learning *l = calloc(1, sizeof(*l));

	if (!l)
		return -ENOMEM;
	*ret_state = l;
	return course_cert_key_load(srv, &l->cert_key, err, size);
}

void
learning_stop(struct server *srv, void *state)
{
	struct learning *l = state;

	if (!l)
		return;
	/* The loop has ended: no load or install is still running. */
	for (size_t i = 0; i < COURSE_CACHE_SLOTS; i++)
		if (l->slots[i].pack)
			pack_free(l->slots[i].pack);
	coursecert_key_free(l->cert_key);
	free(l);
}

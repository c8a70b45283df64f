/*
 * Staff methods for learning: onward.Course.TrustRoot (the content root packs must chain
 * to, kept as DIR/content-root.pub), onward.Course.Install (verify a pack completely and
 * install it, or replace an older version: people's progress is kept by course id, so it
 * carries over), onward.Course.List and onward.Course.Remove (progress and certificates
 * stay), and onward.Certificate.List, .Export and .Key. Each is a staff decision by policy
 * and written to the audit chain; a pack that fails any check is refused with the
 * pack library's one line naming what failed (from onward-parse, learning/pack.c), in
 * staff's words, and leaves nothing behind.
 */
#include "learning_int.h"

#include "authz.h"
#include "clock.h"
#include "crypto.h"
#include "log.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The trusted content root, or -ENOENT when none is set. */
static int
load_root(struct server *srv, struct coursecert_key **ret, char *err, size_t size)
{
	struct coursecert_error e = {0};
	char path[4200];
	int r = course_path(srv, COURSE_ROOT_FILE, path, sizeof(path));

	if (r == 0)
		r = coursecert_key_load_public(path, ret, &e);
	if (r < 0)
		snprintf(err, size, "%s", e.message[0] ? e.message : strerror(-r));
	return r;
}

/* A path staff gave: absolute and plain text; false after answering. */
static bool
check_path(struct call *c, const char *path, const char *what)
{
	char message[120];

	if (path[0] != '/' || !validate_text(path, 4095, false)) {
		snprintf(message, sizeof(message), "Give the full path of the %s, starting with /.",
		         what);
		call_fail_param(c, "path", message);
		return false;
	}
	return true;
}

/* ---- onward.Course.TrustRoot ---- */

void
course_handle_trust_root(struct call *c)
{
	const char *path = params_string(c->params, "path", "");
	struct coursecert_error e = {0};
	struct coursecert_key *key = NULL, *old = NULL;
	char message[COURSECERT_ERROR_MAX + 64], target[4200], id[COURSECERT_KEY_ID_MAX];
	char old_id[COURSECERT_KEY_ID_MAX] = "";
	char *pem = NULL, *old_pem = NULL;
	bool written = false;
	int r;

	call_set_subject(c, "service:content-root");
	if (!check_path(c, path, "content root's public key file"))
		return;
	r = coursecert_key_load_public(path, &key, &e);
	if (r < 0) {
		char shown[121], words[64];
		const char *why = course_open_problem(-r);

		/* The key library's words for what is in the file; ours for the file itself. */
		course_path_shorten(path, 120, shown, sizeof(shown));
		if (why || (r != -EBADMSG && r != -EFBIG && r != -EINVAL && r != -EPERM))
			snprintf(message, sizeof(message),
			         "That is not a content root public key: %s: %s", shown,
			         why ? why : course_sys_words(-r, words));
		else
			snprintf(message, sizeof(message),
			         "That is not a content root public key: %s", e.message);
		call_fail(c, PROTO_ERR_INVALID_PARAMETER, message,
		          json_pack("{s:s}", "parameter", "path"));
		return;
	}
	coursecert_key_id(key, id);
	if (load_root(c->server, &old, message, sizeof(message)) == 0) {
		coursecert_key_id(old, old_id);
		(void)coursecert_key_public_pem(old, &old_pem, NULL);
	}
	coursecert_key_free(old);
	r = coursecert_key_public_pem(key, &pem, &e);
	coursecert_key_free(key);
	if (r == 0)
		r = course_path(c->server, COURSE_ROOT_FILE, target, sizeof(target));
	if (r == 0)
		r = store_begin(c->server->store);
	if (r == 0) {
		r = call_audit(c, "ok",
		               json_pack("{s:s, s:s}", "key_id", id, "replaced",
		                         old_id[0] ? old_id : "none"));
		if (r == 0)
			r = crypto_file_write_atomic(target, pem, strlen(pem), 0644);
		written = r == 0;
		r = call_end_transaction(c, r);
		/* Without its audit row the change must not stand: put the old root back. */
		if (r < 0 && written) {
			if (old_pem)
				(void)crypto_file_write_atomic(target, old_pem, strlen(old_pem),
				                               0644);
			else
				unlink(target);
		}
	}
	free(pem);
	free(old_pem);
	if (r < 0) {
		log_error("content root: cannot install it: %s", strerror(-r));
		call_fail_store(c, r, "content root");
		return;
	}
	log_info("content root for course packs is now %s (was %s)", id,
	         old_id[0] ? old_id : "none");
	call_reply(c, json_pack("{s:s, s:o}", "key_id", id, "replaced",
	                        old_id[0] ? json_string(old_id) : json_null()));
}

/* ---- onward.Course.Install ---- */

static json_t *
render_course(const struct store_course *course)
{
	char installed[32];

	time_format_utc(course->installed_at, installed, sizeof(installed));
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:I, s:s, s:I, s:s, s:s, s:s}",
	                 "id", course->id, "version", course->version, "title", course->title,
	                 "level", course->level, "level_number", course_level_number(course->level),
	                 "provider", course->provider_name, "provider_id", course->provider_id,
	                 "language", course->language, "minutes", (json_int_t)course->minutes,
	                 "file", course->file, "size", (json_int_t)course->size, "sha256",
	                 course->sha256, "installed_by", course->installed_by, "installed_at",
	                 installed);
}

static void
install_done(struct call *c, int r, const char *problem, const char *message,
             struct course_install *result)
{
	struct server *srv = c->server;
	const struct pack_manifest *m;
	struct store_course course = {0}, old = {0};
	char text[PACK_ERROR_MAX + 100], dir[4200], final[4400], old_path[4400];
	bool replacing = false, renamed = false;

	if (r == -EBUSY || r == -ENOMEM || r == -ECANCELED) {
		call_fail(c, PROTO_ERR_BUSY, message, NULL);
		return;
	}
	if (r < 0) {
		call_fail(c, PROTO_ERR_INVALID_PARAMETER, message,
		          json_pack("{s:s, s:s}", "parameter", "path", "problem", problem));
		return;
	}
	m = result->manifest;
	snprintf(course.id, sizeof(course.id), "%s", pack_manifest_id(m));
	snprintf(course.version, sizeof(course.version), "%s", pack_manifest_version(m));
	snprintf(course.title, sizeof(course.title), "%s", pack_manifest_title(m));
	snprintf(course.level, sizeof(course.level), "%s", pack_level_name(pack_manifest_level(m)));
	snprintf(course.provider_id, sizeof(course.provider_id), "%s",
	         pack_manifest_provider_id(m));
	snprintf(course.provider_name, sizeof(course.provider_name), "%s",
	         pack_manifest_provider_name(m));
	snprintf(course.language, sizeof(course.language), "%s", pack_manifest_language(m));
	course.minutes = pack_manifest_minutes(m);
	snprintf(course.file, sizeof(course.file), "%s-%s.pack", course.id, course.version);
	snprintf(course.sha256, sizeof(course.sha256), "%s", result->sha256);
	course.size = result->size;
	snprintf(course.root_key, sizeof(course.root_key), "%s", result->root_key);
	snprintf(course.installed_by, sizeof(course.installed_by), "%s", c->staff.id);
	course.installed_at = result->verified_at;
	call_set_subject(c, "course:%.40s", course.id);

	r = store_begin(srv->store);
	if (r == 0) {
		r = store_course_get(srv->store, course.id, &old);
		replacing = r == 0;
		r = r == -ENOENT ? 0 : r;
	}
	if (r == 0 && replacing && pack_version_compare(course.version, old.version) <= 0) {
		store_rollback(srv->store);
		snprintf(
		        text, sizeof(text),
		        "%s version %s is installed; this pack is version %s. Only a newer version "
		        "can replace it.",
		        course.id, old.version, course.version);
		course_install_release(result);
		call_fail(
		        c, PROTO_ERR_CONFLICT, text,
		        json_pack("{s:s, s:s}", "installed", old.version, "pack", course.version));
		return;
	}
	if (r == 0)
		r = store_course_put(srv->store, &course, result->manifest_json);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:s, s:s, s:s, s:I, s:s, s:s*}", "course", course.id,
		                         "version", course.version, "sha256", course.sha256, "size",
		                         (json_int_t)course.size, "provider", course.provider_id,
		                         "replaced", replacing ? old.version : NULL));
	/* The verified copy takes its place only with its row; a failed commit removes it. */
	if (r == 0)
		r = course_path(srv, COURSE_DIR, dir, sizeof(dir));
	if (r == 0 &&
	    (size_t)snprintf(final, sizeof(final), "%s/%s", dir, course.file) >= sizeof(final))
		r = -ENAMETOOLONG;
	if (r == 0 && rename(result->temp_path, final) < 0)
		r = -errno;
	if (r == 0) {
		renamed = true;
		result->temp_path[0] = '\0';
		r = crypto_sync_dir(dir);
	}
	r = call_end_transaction(c, r);
	if (r < 0) {
		if (renamed)
			unlink(final);
		course_install_release(result);
		log_error("course %s %s: cannot record the install: %s", course.id, course.version,
		          strerror(-r));
		call_fail_store(c, r, "course");
		return;
	}
	if (replacing && strcmp(old.file, course.file) != 0 &&
	    (size_t)snprintf(old_path, sizeof(old_path), "%s/%s", dir, old.file) < sizeof(old_path))
		unlink(old_path);
	course_install_release(result);
	log_info("course %s %s installed by %s%s%s", course.id, course.version, c->staff.id,
	         replacing ? ", replacing " : "", replacing ? old.version : "");
	call_reply(c, json_pack("{s:o, s:o}", "course", render_course(&course), "replaced",
	                        replacing ? json_string(old.version) : json_null()));
}

void
course_handle_install(struct call *c)
{
	const char *path = params_string(c->params, "path", "");
	struct coursecert_key *root = NULL;
	uint8_t raw[COURSECERT_RAW_KEY_LEN];
	char message[COURSECERT_ERROR_MAX + 200];
	const char *problem = "unreadable";
	int r;

	call_set_subject(c, "service:courses");
	if (!check_path(c, path, "course pack"))
		return;
	r = load_root(c->server, &root, message, sizeof(message));
	if (r == -ENOENT) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "No content root is trusted yet, so no course can be installed. Set it "
		          "first: onwardctl course trust-root FILE.",
		          NULL);
		return;
	}
	if (r < 0) {
		log_error("content root: %s", message);
		call_fail(c, PROTO_ERR_INTERNAL, "The content root cannot be read. Set it again.",
		          NULL);
		return;
	}
	coursecert_key_raw_public(root, raw);
	coursecert_key_free(root);
	r = course_install_start(c, path, raw, install_done, &problem, message, sizeof(message));
	if (r == -EBUSY || r == -ENOMEM || (r < 0 && strcmp(problem, "busy") == 0))
		call_fail(c, PROTO_ERR_BUSY, message, NULL);
	else if (r < 0)
		call_fail(c, PROTO_ERR_INVALID_PARAMETER, message,
		          json_pack("{s:s, s:s}", "parameter", "path", "problem", problem));
}

/* ---- onward.Course.List and onward.Course.Remove ---- */

static int
add_course_row(const struct store_course *course, void *userdata)
{
	return json_array_append_new(userdata, render_course(course));
}

/* How far the install in progress has got, for onwardctl's progress line. */
void
course_handle_install_status(struct call *c)
{
	call_set_subject(c, "service:courses");
	call_reply(c, course_install_status(c->server));
}

void
course_handle_list(struct call *c)
{
	json_t *list = json_array();
	int r = store_course_list(c->server->store, add_course_row, list);

	call_set_subject(c, "service:courses");
	call_reply_list(c, r, list, "courses", "course");
}

void
course_handle_remove(struct call *c)
{
	const char *id = params_string(c->params, "id", "");
	struct store_course course;
	char dir[4200], path[4400];
	int r;

	call_set_subject(c, "course:%.40s", id);
	if (!course_id_valid(id)) {
		call_fail_param(c, "id", "That is not a course id.");
		return;
	}
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_course_get(c->server->store, id, &course);
	if (r == 0)
		r = store_course_delete(c->server->store, id);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:s, s:s}", "course", id, "version", course.version));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "course installed with that id");
		return;
	}
	if (course_path(c->server, COURSE_DIR, dir, sizeof(dir)) == 0 &&
	    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, course.file) < sizeof(path)) {
		if (unlink(path) < 0 && errno != ENOENT)
			log_warn("course %s: cannot remove %s: %s", id, path, strerror(errno));
		(void)crypto_sync_dir(dir);
	}
	log_info("course %s %s removed by %s", id, course.version, c->staff.id);
	call_reply(c, json_pack("{s:s, s:s}", "removed", id, "version", course.version));
}

/* ---- certificates ---- */

static int
add_certificate(const struct store_certificate *cert, void *userdata)
{
	return json_array_append_new(userdata, course_cert_render(cert));
}

void
course_handle_certificate_list(struct call *c)
{
	json_t *list = json_array();
	int r = store_certificate_list(c->server->store, c->person.id, add_certificate, list);

	if (r < 0) {
		json_decref(list);
		call_fail_store(c, r, "certificate");
		return;
	}
	call_reply(c, json_pack("{s:s, s:o}", "prison_number", c->person.prison_number,
	                        "certificates", list));
}

/*
 * Whether the staff member may export certificates of this person: the same action,
 * decided again with the person as the resource (the method's own decision was on the
 * service). The decision replaces the call's, so the audit row names its policies.
 */
static bool
may_export_for(struct call *c, const struct store_person *person)
{
	struct server *srv = c->server;
	struct facts *f = decide_facts(srv);
	struct policy_uid principal = {"Staff", c->staff.id};
	struct policy_uid resource = {"Person", person->prison_number};
	struct facts_context ctx;

	if (!f || facts_add_staff(f, &c->staff) < 0 ||
	    facts_add_person(f, person, NULL, clock_now()) < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "Permissions cannot be checked now.", NULL);
		return false;
	}
	facts_context_now(&ctx, NULL, srv->config.device);
	if (decide(srv, &principal, "certificate.export", &resource, &ctx, &c->decision) < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "Permissions cannot be checked now.", NULL);
		return false;
	}
	if (!c->decision.allowed) {
		call_fail(c, PROTO_ERR_PERMISSION_DENIED, c->decision.reason, NULL);
		return false;
	}
	return true;
}

/* Writes the document to a new file (never over one). */
static int
write_new_file(const char *path, const char *data, size_t len)
{
	size_t done = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644), r = 0;

	if (fd < 0)
		return -errno;
	while (r == 0 && done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0 && errno != EINTR)
			r = -errno;
		else if (n > 0)
			done += (size_t)n;
	}
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		unlink(path);
	return r;
}

void
course_handle_certificate_export(struct call *c)
{
	const char *id = params_string(c->params, "id", "");
	const char *output = params_string(c->params, "output", NULL);
	struct store_certificate cert;
	struct store_person person;
	char message[300], *document = NULL;
	int r;

	call_set_subject(c, "certificate:%.36s", id);
	if (output && (output[0] != '/' || !validate_text(output, 4095, false))) {
		call_fail_param(c, "output",
		                "Give the full path of the file to write, starting with /.");
		return;
	}
	r = store_certificate_get(c->server->store, id, &cert);
	if (r == 0)
		r = store_person_get(c->server->store, cert.person_id, &person);
	if (r < 0) {
		call_fail_store(c, r, "certificate");
		return;
	}
	call_set_subject(c, "person:%s", person.prison_number);
	if (!may_export_for(c, &person))
		return;
	r = store_certificate_get_document(c->server->store, id, &document);
	if (r < 0) {
		call_fail_store(c, r, "certificate");
		return;
	}
	if (output) {
		r = write_new_file(output, document, strlen(document));
		if (r < 0) {
			char shown[121], words[64];

			free(document);
			course_path_shorten(output, 120, shown, sizeof(shown));
			snprintf(message, sizeof(message), "Cannot write %s: %s.", shown,
			         r == -EEXIST   ? "a file is already there"
			         : r == -ENOENT ? "its folder does not exist"
			                        : course_sys_words(-r, words));
			call_fail(c, r == -EEXIST ? PROTO_ERR_ALREADY_EXISTS : PROTO_ERR_INTERNAL,
			          message, NULL);
			return;
		}
	}
	if (call_audit(c, "ok",
	               json_pack("{s:s, s:s, s:s*}", "certificate", cert.id, "course",
	                         cert.course_id, "output", output)) < 0) {
		free(document);
		call_fail(c, PROTO_ERR_INTERNAL, "The record of this request could not be saved.",
		          NULL);
		return;
	}
	call_reply(c, json_pack("{s:o, s:s, s:s*}", "certificate", course_cert_render(&cert),
	                        "document", document, "output", output));
	free(document);
}

void
course_handle_certificate_key(struct call *c)
{
	const struct coursecert_key *key = learning_of(c->server)->cert_key;
	struct coursecert_error e = {0};
	char id[COURSECERT_KEY_ID_MAX], *pem = NULL;
	int r;

	call_set_subject(c, "service:certificate-key");
	r = coursecert_key_public_pem(key, &pem, &e);
	if (r < 0) {
		log_error("certificate key: %s", e.message);
		call_fail(c, PROTO_ERR_INTERNAL, "The certificate key cannot be read now.", NULL);
		return;
	}
	coursecert_key_id(key, id);
	call_reply(c, json_pack("{s:s, s:s, s:s}", "key_id", id, "public_key", pem, "establishment",
	                        c->server->config.establishment));
	free(pem);
}

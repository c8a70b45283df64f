/*
 * onward.Course.* on the learning app's channel: the catalogue (every installed course,
 * open or locked with the policy's reason), a course's modules and where the person left
 * off, a page rendered to blocks the app can draw, images, quizzes without their answers,
 * saving the place after every page, and marking answers, which issues a certificate when
 * the course is complete. Every one of them is a policy decision (course.open on the
 * Course) and is written to the audit chain; the staff methods are in learning/admin.c and
 * the method table at the end lists both.
 *
 * A course is complete when every module that has a quiz has a passed attempt; a course
 * with no quizzes at all is complete when every page has been read.
 */
#include "learning_int.h"

#include "clock.h"
#include "log.h"
#include "text.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMAGE_CHUNK (512u * 1024u) /* raw bytes per Image reply: under 1 MiB as base64 */
#define ANSWER_TEXT_MAX 200
#define CATALOGUE_DETAIL_MAX 3000 /* bytes of decisions in the catalogue's audit row */

/* What every course call works on; released with course_call_release(). */
struct course_call {
	struct store_person person;
	struct store_course course;
	struct pack_manifest *manifest; /* owned; the installed version's */
};

static void
course_call_release(struct course_call *cc)
{
	pack_manifest_free(cc->manifest);
	cc->manifest = NULL;
}

/* ---- shared helpers ---- */

/* Decides course.open on one course for the person. */
static int
decide_course(struct call *c, const struct store_person *person, const struct store_course *course,
              struct decision *ret)
{
	struct policy_uid principal = {"Person", person->prison_number};
	struct policy_uid resource = {"Course", course->id};
	struct facts_context ctx;
	struct facts *f = decide_person_begin(c->server, person, &ctx);

	if (!f || course_add_fact(f, course) < 0)
		return -ENOMEM;
	return decide(c->server, &principal, "course.open", &resource, &ctx, ret);
}

static int
manifest_load(struct store *s, const char *id, struct pack_manifest **ret)
{
	struct pack_error err = {0};
	char *json = NULL;
	int r = store_course_get_manifest(s, id, &json);

	if (r == 0)
		r = pack_manifest_parse(json, strlen(json), NULL, ret, &err);
	if (r < 0 && err.message[0])
		log_error("course %s: the stored manifest does not parse: %s", id, err.message);
	free(json);
	return r;
}

/*
 * The common start of a course call: the person, the course named by "course", the
 * decision (in c->decision, so the audit row names its policies) and the manifest. False
 * after answering: not the learning app, no such course, or refused with the reason.
 */
static bool
course_begin(struct call *c, struct course_call *cc)
{
	const char *id = params_string(c->params, "course", "");
	int r;

	memset(cc, 0, sizeof(*cc));
	if (!call_session_person(c, &cc->person))
		return false;
	if (!course_id_valid(id)) {
		call_fail_param(c, "course", "That is not a course id.");
		return false;
	}
	r = store_course_get(c->server->store, id, &cc->course);
	if (r == -ENOENT) {
		call_fail(c, PROTO_ERR_NOT_FOUND, "That course is not on this tablet.", NULL);
		return false;
	}
	if (r < 0) {
		call_fail_store(c, r, "course");
		return false;
	}
	r = decide_course(c, &cc->person, &cc->course, &c->decision);
	if (r < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "This course cannot be checked now.", NULL);
		return false;
	}
	if (!c->decision.allowed) {
		call_fail(c, PROTO_ERR_PERMISSION_DENIED, c->decision.reason, NULL);
		return false;
	}
	r = manifest_load(c->server->store, cc->course.id, &cc->manifest);
	if (r < 0) {
		call_fail(c, PROTO_ERR_INTERNAL,
		          "This course cannot be opened now. Please tell staff.", NULL);
		return false;
	}
	return true;
}

/* The module (index) that lists page, or -1. */
static int
module_of_page(const struct pack_manifest *m, const char *module_id, const char *page,
               size_t *ret_page_index)
{
	for (size_t i = 0; i < pack_manifest_module_count(m); i++) {
		const struct pack_module *mod = pack_manifest_module(m, i);

		if (module_id && strcmp(pack_module_id(mod), module_id) != 0)
			continue;
		for (size_t k = 0; k < pack_module_page_count(mod); k++) {
			if (strcmp(pack_module_page(mod, k), page) == 0) {
				if (ret_page_index)
					*ret_page_index = k;
				return (int)i;
			}
		}
	}
	return -1;
}

/* The module (index) whose quiz is quiz, or -1. */
static int
module_of_quiz(const struct pack_manifest *m, const char *quiz)
{
	for (size_t i = 0; i < pack_manifest_module_count(m); i++) {
		const char *q = pack_module_quiz(pack_manifest_module(m, i));

		if (q && strcmp(q, quiz) == 0)
			return (int)i;
	}
	return -1;
}

static int
module_index_by_id(const struct pack_manifest *m, const char *id)
{
	for (size_t i = 0; i < pack_manifest_module_count(m); i++)
		if (strcmp(pack_module_id(pack_manifest_module(m, i)), id) == 0)
			return (int)i;
	return -1;
}

/*
 * Where to resume: the saved page if this version still has it (in the saved module, or
 * any), else the page at the saved position in the saved module, else at the saved
 * position in the course; the start for someone new.
 */
static void
resume_point(const struct pack_manifest *m, const struct store_course_progress *p,
             size_t *ret_module, size_t *ret_page)
{
	size_t n = pack_manifest_module_count(m), page = 0, count;
	int mi;

	*ret_module = 0;
	*ret_page = 0;
	if (!p || n == 0)
		return;
	mi = module_of_page(m, p->module, p->page, &page);
	if (mi < 0)
		mi = module_of_page(m, NULL, p->page, &page);
	if (mi >= 0) {
		*ret_module = (size_t)mi;
		*ret_page = page;
		return;
	}
	mi = module_index_by_id(m, p->module);
	if (mi < 0) {
		mi = p->module_index < 0 ? 0 : p->module_index;
		if ((size_t)mi >= n) {
			/* Past the end of this version: its last page. */
			*ret_module = n - 1;
			count = pack_module_page_count(pack_manifest_module(m, n - 1));
			*ret_page = count ? count - 1 : 0;
			return;
		}
	}
	count = pack_module_page_count(pack_manifest_module(m, (size_t)mi));
	*ret_module = (size_t)mi;
	*ret_page = p->page_index < 0 ? 0 : (size_t)p->page_index;
	if (count && *ret_page >= count)
		*ret_page = count - 1;
}

/* Counts the distinct pages of a course. */
static size_t
count_pages(const struct pack_manifest *m)
{
	size_t n = 0;

	for (size_t i = 0; i < pack_manifest_module_count(m); i++) {
		const struct pack_module *mod = pack_manifest_module(m, i);

		for (size_t k = 0; k < pack_module_page_count(mod); k++) {
			size_t kk = 0;
			int first = module_of_page(m, NULL, pack_module_page(mod, k), &kk);

			if ((size_t)first == i && kk == k)
				n++;
		}
	}
	return n;
}

struct pages_read {
	const struct pack_manifest *m;
	json_t *list; /* the pages read that this version has */
};

static int
add_page_read(const char *page, void *userdata)
{
	struct pages_read *pr = userdata;

	if (module_of_page(pr->m, NULL, page, NULL) >= 0)
		json_array_append_new(pr->list, json_string(page));
	return 0;
}

/* The pages of this version the person has read, as a JSON array (new reference). */
static json_t *
pages_read(struct store *s, int64_t person_id, const struct pack_manifest *m, const char *id)
{
	struct pages_read pr = {m, json_array()};

	if (store_course_pages_read(s, person_id, id, add_page_read, &pr) < 0) {
		json_decref(pr.list);
		return NULL;
	}
	return pr.list;
}

struct completion {
	const struct pack_manifest *m;
	int best[64]; /* per module: the best passed percent, or -1 */
};

static int
add_attempt(const struct store_course_attempt *a, void *userdata)
{
	struct completion *comp = userdata;
	int mi = module_index_by_id(comp->m, a->module);

	if (mi >= 0 && mi < 64 && a->passed && a->percent > comp->best[mi])
		comp->best[mi] = a->percent;
	return 0;
}

/*
 * Whether the person has completed the course (see the top of this file), with the score
 * for the certificate: the mean of the best passed attempt of each quiz, or -1 for a
 * course without quizzes. ret_passed (optional) gets, per module, whether its quiz has
 * been passed.
 */
static int
completion(struct store *s, int64_t person_id, const char *id, const struct pack_manifest *m,
           bool *ret_done, int *ret_score, bool ret_passed[64])
{
	struct completion comp = {.m = m};
	size_t n = pack_manifest_module_count(m), quizzes = 0;
	int sum = 0, r;
	bool done = true;

	for (size_t i = 0; i < 64; i++)
		comp.best[i] = -1;
	r = store_course_attempt_list(s, person_id, id, add_attempt, &comp);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n && i < 64; i++) {
		bool has_quiz = pack_module_quiz(pack_manifest_module(m, i)) != NULL;

		if (ret_passed)
			ret_passed[i] = has_quiz && comp.best[i] >= 0;
		if (!has_quiz)
			continue;
		quizzes++;
		if (comp.best[i] < 0)
			done = false;
		else
			sum += comp.best[i];
	}
	if (quizzes == 0) {
		json_t *read = pages_read(s, person_id, m, id);

		if (!read)
			return -ENOMEM;
		done = json_array_size(read) >= count_pages(m);
		json_decref(read);
		*ret_score = -1;
	} else {
		*ret_score = sum / (int)quizzes;
	}
	*ret_done = done;
	return 0;
}

/*
 * Issues the certificate, inside the caller's transaction, when the course is complete
 * and the person has none for it yet. *ret_cert is the new certificate's JSON, or NULL.
 */
static int
maybe_issue(struct call *c, struct course_call *cc, json_t **ret_cert)
{
	struct store_certificate cert;
	bool done = false;
	int score = -1, r;

	*ret_cert = NULL;
	r = store_certificate_find(c->server->store, cc->person.id, cc->course.id, &cert);
	if (r == 0)
		return 0;
	if (r != -ENOENT)
		return r;
	r = completion(c->server->store, cc->person.id, cc->course.id, cc->manifest, &done, &score,
	               NULL);
	if (r < 0 || !done)
		return r;
	r = course_cert_issue(c, &cc->person, &cc->course, score, &cert);
	if (r == 0) {
		*ret_cert = course_cert_render(&cert);
		log_info("certificate %s issued to %s for %s %s", cert.id, cc->person.prison_number,
		         cc->course.id, cc->course.version);
	}
	return r;
}

static json_t *
course_summary(const struct store_course *course)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:I, s:s}", "id", course->id, "title",
	                 course->title, "version", course->version, "level", course->level,
	                 "level_number", course_level_number(course->level), "provider",
	                 course->provider_name, "minutes", (json_int_t)course->minutes, "language",
	                 course->language);
}

/* The person's view of their certificate: id, when, score. */
static json_t *
own_certificate(struct store *s, int64_t person_id, const char *course_id)
{
	struct store_certificate cert;

	if (store_certificate_find(s, person_id, course_id, &cert) < 0)
		return json_null();
	return course_cert_render(&cert);
}

/* ---- onward.Course.Catalogue ---- */

struct catalogue {
	struct call *call;
	const struct store_person *person;
	json_t *courses;
	json_t *decisions; /* for the audit row: id -> "allow:policies" */
	size_t detail_bytes, unrecorded;
	int error;
};

static int
add_course(const struct store_course *course, void *userdata)
{
	struct catalogue *cat = userdata;
	struct store *s = cat->call->server->store;
	struct store_course_progress progress;
	struct pack_manifest *m = NULL;
	struct decision d;
	json_t *item, *read, *where = json_null();
	size_t module = 0, page = 0;
	bool passed[64] = {false}, done = false;
	int score, quizzes = 0, passed_count = 0, r;

	r = decide_course(cat->call, cat->person, course, &d);
	if (r == 0)
		r = manifest_load(s, course->id, &m);
	/* A course installed before today's checks whose manifest fails them (a title with
	 * a control character, say) is left out, not the whole catalogue: staff reinstall it. */
	if (r == -EBADMSG)
		return 0;
	if (r < 0)
		return r;
	r = store_course_progress_get(s, cat->person->id, course->id, &progress);
	if (r == 0) {
		resume_point(m, &progress, &module, &page);
		where = json_pack("{s:s, s:s}", "module",
		                  pack_module_id(pack_manifest_module(m, module)), "page",
		                  pack_module_page(pack_manifest_module(m, module), page));
	} else if (r != -ENOENT) {
		pack_manifest_free(m);
		return r;
	}
	read = pages_read(s, cat->person->id, m, course->id);
	r = read ? completion(s, cat->person->id, course->id, m, &done, &score, passed) : -ENOMEM;
	if (r < 0) {
		json_decref(where);
		json_decref(read);
		pack_manifest_free(m);
		return r;
	}
	for (size_t i = 0; i < pack_manifest_module_count(m) && i < 64; i++) {
		quizzes += pack_module_quiz(pack_manifest_module(m, i)) != NULL;
		passed_count += passed[i];
	}
	item = course_summary(course);
	json_object_set_new(item, "allowed", json_boolean(d.allowed));
	json_object_set_new(item, "reason", json_string(d.allowed ? "" : d.reason));
	json_object_set_new(item, "progress",
	                    json_pack("{s:I, s:I, s:i, s:i, s:o}", "pages_read",
	                              (json_int_t)json_array_size(read), "pages",
	                              (json_int_t)count_pages(m), "quizzes", quizzes,
	                              "quizzes_passed", passed_count, "at", where));
	json_object_set_new(item, "certificate", own_certificate(s, cat->person->id, course->id));
	json_array_append_new(cat->courses, item);
	json_decref(read);
	pack_manifest_free(m);
	/* Each decision in the audit row, course id -> "allow:policies" or "deny:...", as far as
	 * a row's detail holds them; the rest are counted. */
	{
		char v[DECISION_POLICIES_MAX + 8];
		size_t add;

		snprintf(v, sizeof(v), "%s:%s", d.allowed ? "allow" : "deny", d.policies);
		add = strlen(course->id) + strlen(v) + 8;
		if (cat->detail_bytes + add < CATALOGUE_DETAIL_MAX) {
			json_object_set_new(cat->decisions, course->id, json_string(v));
			cat->detail_bytes += add;
		} else {
			cat->unrecorded++;
		}
	}
	return 0;
}

static void
handle_catalogue(struct call *c)
{
	struct store_person person;
	struct catalogue cat = {.call = c, .person = &person};
	int r;

	if (!call_session_person(c, &person))
		return;
	cat.courses = json_array();
	cat.decisions = json_object();
	r = store_course_list(c->server->store, add_course, &cat);
	if (r < 0) {
		json_decref(cat.courses);
		json_decref(cat.decisions);
		call_fail(c, PROTO_ERR_INTERNAL, "The courses cannot be listed now.", NULL);
		return;
	}
	if (call_audit(c, "allow",
	               json_pack("{s:I, s:o, s:I}", "courses",
	                         (json_int_t)json_array_size(cat.courses), "decisions",
	                         cat.decisions, "not_listed", (json_int_t)cat.unrecorded)) < 0) {
		json_decref(cat.courses);
		call_fail(c, PROTO_ERR_INTERNAL, "The record of this request could not be saved.",
		          NULL);
		return;
	}
	call_reply(c, json_pack("{s:o}", "courses", cat.courses));
}

/* ---- onward.Course.Certificates ---- */

static int
add_own_certificate(const struct store_certificate *cert, void *userdata)
{
	return json_array_append_new(userdata, course_cert_render(cert));
}

/*
 * The person's own certificates, newest first, each as staff see it in
 * onward.Certificate.List: a person keeps a certificate for a course that was removed
 * since, so these are not found through the catalogue. Their name comes with them, for the
 * certificate as the app shows it.
 */
static void
handle_certificates(struct call *c)
{
	struct store_person person;
	json_t *list, *newest;
	size_t n;
	int r;

	if (!call_session_person(c, &person))
		return;
	list = json_array();
	r = list ? store_certificate_list(c->server->store, person.id, add_own_certificate, list)
	         : -ENOMEM;
	if (r < 0) {
		json_decref(list);
		call_fail(c, PROTO_ERR_INTERNAL, "Your certificates cannot be shown now.", NULL);
		return;
	}
	n = json_array_size(list);
	newest = json_array();
	for (size_t i = n; newest && i > 0; i--)
		json_array_append(newest, json_array_get(list, i - 1));
	json_decref(list);
	call_set_subject(c, "person:%s", person.prison_number);
	call_reply(c, json_pack("{s:s, s:s, s:o*}", "given_name", person.given_name, "family_name",
	                        person.family_name, "certificates", newest));
}

/* ---- onward.Course.Open ---- */

static void
handle_open(struct call *c)
{
	struct course_call cc;
	struct store_course_progress progress;
	const struct pack_manifest *m;
	json_t *modules, *read;
	bool passed[64] = {false}, done = false;
	size_t module = 0, page = 0;
	int score, r;

	if (!course_begin(c, &cc))
		return;
	m = cc.manifest;
	r = store_course_progress_get(c->server->store, cc.person.id, cc.course.id, &progress);
	if (r == 0 || r == -ENOENT)
		resume_point(m, r == 0 ? &progress : NULL, &module, &page);
	read = r == 0 || r == -ENOENT ? pages_read(c->server->store, cc.person.id, m, cc.course.id)
	                              : NULL;
	if (read)
		r = completion(c->server->store, cc.person.id, cc.course.id, m, &done, &score,
		               passed);
	else
		r = -ENOMEM;
	if (r < 0) {
		json_decref(read);
		course_call_release(&cc);
		call_fail(c, PROTO_ERR_INTERNAL, "This course cannot be opened now.", NULL);
		return;
	}
	modules = json_array();
	for (size_t i = 0; i < pack_manifest_module_count(m); i++) {
		const struct pack_module *mod = pack_manifest_module(m, i);
		json_t *pages = json_array();

		for (size_t k = 0; k < pack_module_page_count(mod); k++)
			json_array_append_new(pages, json_string(pack_module_page(mod, k)));
		json_array_append_new(
		        modules,
		        json_pack("{s:s, s:s, s:I, s:o, s:o, s:b}", "id", pack_module_id(mod),
		                  "title", pack_module_title(mod), "minutes",
		                  (json_int_t)pack_module_minutes(mod), "pages", pages, "quiz",
		                  pack_module_quiz(mod) ? json_string(pack_module_quiz(mod))
		                                        : json_null(),
		                  "quiz_passed", i < 64 && passed[i]));
	}
	if (call_audit(c, "allow",
	               json_pack("{s:s, s:s}", "course", cc.course.id, "version",
	                         cc.course.version)) < 0) {
		json_decref(modules);
		json_decref(read);
		course_call_release(&cc);
		call_fail(c, PROTO_ERR_INTERNAL, "The record of this request could not be saved.",
		          NULL);
		return;
	}
	call_reply(c, json_pack("{s:o, s:o, s:{s:s, s:s, s:I, s:I}, s:o, s:b, s:o}", "course",
	                        course_summary(&cc.course), "modules", modules, "resume", "module",
	                        pack_module_id(pack_manifest_module(m, module)), "page",
	                        pack_module_page(pack_manifest_module(m, module), page),
	                        "module_index", (json_int_t)module, "page_index", (json_int_t)page,
	                        "pages_read", read, "complete", done, "certificate",
	                        own_certificate(c->server->store, cc.person.id, cc.course.id)));
	course_call_release(&cc);
}

/* ---- what onward-parse says about an installed pack ---- */

/*
 * The learning app's pages, pictures and quizzes come from onward-parse (learning/pack.c:
 * course_ask), which reads the installed pack; the daemon parses none of it. A reply is
 * used only when it has exactly the shape asked for, so even a child that a pack had
 * taken over could send the app nothing but well-formed text and names from the manifest.
 */

/* Fails a call whose pack could not be read, in the person's words, and says why in the log. */
static void
fail_read(struct call *c, const char *course_id, const char *name, int r, const char *why,
          const char *words)
{
	log_error("course %s: %s: %s", course_id, name,
	          why ? why
	              : (r == -EPROTO ? "the checker's answer has the wrong shape" : "error"));
	call_fail(c, PROTO_ERR_INTERNAL, words, NULL);
}

/* Asks, answering the call when it cannot: the pack's file could not be opened. */
static bool
ask(struct call *c, const struct course_call *cc, const char *kind, const char *name,
    json_t *params, parser_done_fn done, void *ctx)
{
	int r = course_ask(c, &cc->course, cc->manifest, kind, name, params, done, ctx);

	if (r == -EBUSY)
		call_fail(c, PROTO_ERR_BUSY, "The service is busy. Try again.", NULL);
	else if (r < 0)
		fail_read(c, cc->course.id, name, r, strerror(-r),
		          "This course cannot be opened now. Please tell staff.");
	return r == 0;
}

static bool
is_uint(json_t *v, json_int_t max)
{
	return json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= max;
}

static bool
is_listed_png(const struct pack_manifest *m, const char *name)
{
	size_t n = strlen(name);

	if (n < 5 || strcmp(name + n - 4, ".png") != 0)
		return false;
	for (size_t i = 0; i < pack_manifest_file_count(m); i++)
		if (strcmp(pack_manifest_file_name(m, i), name) == 0)
			return true;
	return false;
}

/* Whether blocks is a page as the app draws it (see services/parse/packs.c). */
static bool
blocks_ok(json_t *blocks, const struct pack_manifest *m)
{
	static const char *const kinds[] = {"heading", "paragraph", "item",
	                                    "image",   "code",      "rule"};
	static const char *const styles[] = {"emphasis", "strong", "code", "link"};
	json_t *b, *span, *style;
	size_t i, k, n;

	if (!json_is_array(blocks))
		return false;
	json_array_foreach(blocks, i, b)
	{
		const char *kind = json_string_value(json_object_get(b, "kind"));
		json_t *image = json_object_get(b, "image");
		bool known = false;

		for (k = 0; kind && k < sizeof(kinds) / sizeof(kinds[0]); k++)
			known |= strcmp(kind, kinds[k]) == 0;
		if (!known || json_object_size(b) != (image ? 7u : 6u) ||
		    !is_uint(json_object_get(b, "level"), 10000) ||
		    !is_uint(json_object_get(b, "quote"), 10000) ||
		    !json_is_boolean(json_object_get(b, "ordered")) ||
		    !is_uint(json_object_get(b, "number"), 1000000000) ||
		    !json_is_array(json_object_get(b, "spans")))
			return false;
		if (image && (strcmp(kind, "image") != 0 || json_object_size(image) != 2 ||
		              !json_is_string(json_object_get(image, "alt")) ||
		              !is_listed_png(m, json_string_value(json_object_get(image, "name")))))
			return false;
		json_array_foreach(json_object_get(b, "spans"), k, span)
		{
			if (json_object_size(span) != 2 ||
			    !json_is_string(json_object_get(span, "text")) ||
			    !json_is_array(json_object_get(span, "styles")))
				return false;
			json_array_foreach(json_object_get(span, "styles"), n, style)
			{
				const char *name = json_string_value(style);
				bool ok = false;

				for (size_t t = 0; name && t < sizeof(styles) / sizeof(styles[0]);
				     t++)
					ok |= strcmp(name, styles[t]) == 0;
				if (!ok)
					return false;
			}
		}
	}
	return true;
}

/* ---- onward.Course.Page ---- */

struct page_ctx {
	struct call *call; /* paused while onward-parse reads */
	struct course_call cc;
	char page[STORE_COURSE_NAME_MAX + 1];
	size_t offset; /* images */
	json_t *answers; /* answers: an owned reference to the parameter */
};

static void
page_ctx_free(struct page_ctx *pc)
{
	course_call_release(&pc->cc);
	json_decref(pc->answers);
	free(pc);
}

static void
on_page(void *userdata, int r, const struct parser_reply *reply, const char *why)
{
	struct page_ctx *pc = userdata;
	struct call *c = pc->call;
	json_t *blocks = r == 0 ? json_object_get(reply->json, "blocks") : NULL;

	if (r == 0 && !blocks_ok(blocks, pc->cc.manifest))
		r = -EPROTO;
	if (r < 0) {
		fail_read(c, pc->cc.course.id, pc->page, r, why,
		          "This page could not be read. Please tell staff.");
		page_ctx_free(pc);
		return;
	}
	if (call_audit(c, "allow",
	               json_pack("{s:s, s:s}", "course", pc->cc.course.id, "page", pc->page)) < 0) {
		page_ctx_free(pc);
		call_fail(c, PROTO_ERR_INTERNAL, "This page cannot be shown now.", NULL);
		return;
	}
	call_reply(c, json_pack("{s:s, s:s, s:O}", "course", pc->cc.course.id, "page", pc->page,
	                        "blocks", blocks));
	page_ctx_free(pc);
}

/* A context for a call on a course file; NULL after answering. */
static struct page_ctx *
page_begin(struct call *c)
{
	struct page_ctx *pc = calloc(1, sizeof(*pc));

	if (!pc) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory.", NULL);
		return NULL;
	}
	pc->call = c;
	if (!course_begin(c, &pc->cc)) {
		free(pc);
		return NULL;
	}
	return pc;
}

static void
handle_page(struct call *c)
{
	struct page_ctx *pc = page_begin(c);
	const char *page;

	if (!pc)
		return; /* answered, and c is gone */
	page = params_string(c->params, "page", "");
	if (strlen(page) > STORE_COURSE_NAME_MAX ||
	    module_of_page(pc->cc.manifest, NULL, page, NULL) < 0) {
		page_ctx_free(pc);
		call_fail_param(c, "page", "That page is not in this course.");
		return;
	}
	snprintf(pc->page, sizeof(pc->page), "%s", page);
	if (!ask(c, &pc->cc, "pack.page", pc->page, json_object(), on_page, pc))
		page_ctx_free(pc);
}

/* ---- onward.Course.Image ---- */

static void
on_image(void *userdata, int r, const struct parser_reply *reply, const char *why)
{
	static const char b64[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct page_ctx *pc = userdata;
	struct call *c = pc->call;
	json_t *j = r == 0 ? reply->json : NULL;
	size_t size = 0, chunk = 0, o = 0;
	char *text;
	json_t *out;

	for (size_t i = 0; i < pack_manifest_file_count(pc->cc.manifest); i++)
		if (strcmp(pack_manifest_file_name(pc->cc.manifest, i), pc->page) == 0)
			size = (size_t)pack_manifest_file_size(pc->cc.manifest, i);
	chunk = size - pc->offset < IMAGE_CHUNK ? size - pc->offset : IMAGE_CHUNK;
	/* The child's numbers must be the ones the manifest and the request imply. */
	if (r == 0 && (!is_uint(json_object_get(j, "width"), PACK_DEFAULT_MAX_IMAGE_SIDE) ||
	               !is_uint(json_object_get(j, "height"), PACK_DEFAULT_MAX_IMAGE_SIDE) ||
	               json_integer_value(json_object_get(j, "size")) != (json_int_t)size ||
	               json_integer_value(json_object_get(j, "offset")) != (json_int_t)pc->offset ||
	               json_integer_value(json_object_get(j, "length")) != (json_int_t)chunk ||
	               reply->raw_len != chunk))
		r = -EPROTO;
	text = r == 0 ? malloc(4 * ((chunk + 2) / 3) + 1) : NULL;
	if (r == 0 && !text)
		r = -ENOMEM;
	if (r < 0) {
		fail_read(c, pc->cc.course.id, pc->page, r, why,
		          "This picture could not be read. Please tell staff.");
		page_ctx_free(pc);
		return;
	}
	for (size_t i = 0; i < chunk; i += 3) {
		const uint8_t *p = reply->raw + i;
		size_t left = chunk - i;
		uint32_t v = (uint32_t)p[0] << 16 | (left > 1 ? (uint32_t)p[1] << 8 : 0) |
		             (left > 2 ? p[2] : 0);

		text[o++] = b64[v >> 18];
		text[o++] = b64[v >> 12 & 63];
		text[o++] = left > 1 ? b64[v >> 6 & 63] : '=';
		text[o++] = left > 2 ? b64[v & 63] : '=';
	}
	text[o] = '\0';
	out = json_pack("{s:s, s:O, s:O, s:I, s:I, s:I, s:s}", "name", pc->page, "width",
	                json_object_get(j, "width"), "height", json_object_get(j, "height"), "size",
	                (json_int_t)size, "offset", (json_int_t)pc->offset, "length",
	                (json_int_t)chunk, "data", text);
	free(text);
	if (!out || call_audit(c, "allow",
	                       json_pack("{s:s, s:s, s:I}", "course", pc->cc.course.id, "image",
	                                 pc->page, "offset", (json_int_t)pc->offset)) < 0) {
		json_decref(out);
		page_ctx_free(pc);
		call_fail(c, PROTO_ERR_INTERNAL, "This picture cannot be shown now.", NULL);
		return;
	}
	call_reply(c, out);
	page_ctx_free(pc);
}

static void
handle_image(struct call *c)
{
	struct page_ctx *pc = page_begin(c);
	const char *name;
	uint64_t size = 0;

	if (!pc)
		return; /* answered, and c is gone */
	name = params_string(c->params, "name", "");
	if (strlen(name) > STORE_COURSE_NAME_MAX || !is_listed_png(pc->cc.manifest, name)) {
		page_ctx_free(pc);
		call_fail_param(c, "name", "That picture is not in this course.");
		return;
	}
	for (size_t i = 0; i < pack_manifest_file_count(pc->cc.manifest); i++)
		if (strcmp(pack_manifest_file_name(pc->cc.manifest, i), name) == 0)
			size = pack_manifest_file_size(pc->cc.manifest, i);
	snprintf(pc->page, sizeof(pc->page), "%s", name);
	pc->offset = (size_t)params_int(c->params, "offset", 0);
	if (pc->offset >= size) {
		page_ctx_free(pc);
		call_fail_param(c, "offset", "That is past the end of the picture.");
		return;
	}
	if (!ask(c, &pc->cc, "pack.image", pc->page,
	         json_pack("{s:I, s:I}", "offset", (json_int_t)pc->offset, "length",
	                   (json_int_t)IMAGE_CHUNK),
	         on_image, pc))
		page_ctx_free(pc);
}

/* ---- onward.Course.Quiz ---- */

/* Whether questions is a quiz as the app shows it, without answers. */
static bool
questions_ok(json_t *questions)
{
	json_t *q, *option;
	size_t i, k;

	if (!json_is_array(questions) || json_array_size(questions) > 100)
		return false;
	json_array_foreach(questions, i, q)
	{
		const char *type = json_string_value(json_object_get(q, "type"));
		bool choice = type && strcmp(type, "choice") == 0;

		if (!type || (!choice && strcmp(type, "short") != 0) ||
		    json_object_size(q) != (choice ? 4u : 3u) ||
		    !json_is_string(json_object_get(q, "id")) ||
		    !json_is_string(json_object_get(q, "prompt")))
			return false;
		if (choice && !json_is_array(json_object_get(q, "options")))
			return false;
		json_array_foreach(json_object_get(q, "options"), k, option)
		{
			if (!json_is_string(option))
				return false;
		}
	}
	return true;
}

static void
on_quiz(void *userdata, int r, const struct parser_reply *reply, const char *why)
{
	struct page_ctx *pc = userdata;
	struct call *c = pc->call;
	json_t *j = r == 0 ? reply->json : NULL;
	bool passed[64] = {false}, done;
	int score, mi = module_of_quiz(pc->cc.manifest, pc->page);

	if (r == 0 && (!json_is_string(json_object_get(j, "title")) ||
	               !is_uint(json_object_get(j, "pass_percent"), 100) ||
	               !questions_ok(json_object_get(j, "questions"))))
		r = -EPROTO;
	if (r < 0) {
		fail_read(c, pc->cc.course.id, pc->page, r, why,
		          "This quiz could not be read. Please tell staff.");
		page_ctx_free(pc);
		return;
	}
	if (completion(c->server->store, pc->cc.person.id, pc->cc.course.id, pc->cc.manifest, &done,
	               &score, passed) < 0 ||
	    call_audit(c, "allow",
	               json_pack("{s:s, s:s}", "course", pc->cc.course.id, "quiz", pc->page)) < 0) {
		page_ctx_free(pc);
		call_fail(c, PROTO_ERR_INTERNAL, "The record of this request could not be saved.",
		          NULL);
		return;
	}
	call_reply(c, json_pack("{s:s, s:s, s:O, s:O, s:b, s:O}", "quiz", pc->page, "module",
	                        pack_module_id(pack_manifest_module(pc->cc.manifest, (size_t)mi)),
	                        "title", json_object_get(j, "title"), "pass_percent",
	                        json_object_get(j, "pass_percent"), "passed", mi < 64 && passed[mi],
	                        "questions", json_object_get(j, "questions")));
	page_ctx_free(pc);
}

/* The call's "quiz" when the course has it; otherwise the call is answered and NULL. */
static const char *
quiz_param(struct call *c, const struct pack_manifest *manifest)
{
	const char *quiz = params_string(c->params, "quiz", "");

	if (strlen(quiz) > STORE_COURSE_NAME_MAX || module_of_quiz(manifest, quiz) < 0) {
		call_fail_param(c, "quiz", "That quiz is not in this course.");
		return NULL;
	}
	return quiz;
}

static void
handle_quiz(struct call *c)
{
	struct page_ctx *pc = page_begin(c);
	const char *quiz;

	if (!pc)
		return;
	if (!(quiz = quiz_param(c, pc->cc.manifest))) {
		page_ctx_free(pc);
		return;
	}
	snprintf(pc->page, sizeof(pc->page), "%s", quiz);
	if (!ask(c, &pc->cc, "pack.quiz", pc->page, json_object(), on_quiz, pc))
		page_ctx_free(pc);
}

/* ---- onward.Course.Progress ---- */

static void
handle_progress(struct call *c)
{
	struct course_call cc;
	struct store_course_progress p = {0};
	const char *module = params_string(c->params, "module", "");
	const char *page = params_string(c->params, "page", "");
	json_t *cert = NULL, *read;
	size_t page_index = 0;
	int mi, r;

	if (!course_begin(c, &cc))
		return;
	mi = strlen(module) <= STORE_COURSE_ID_MAX && strlen(page) <= STORE_COURSE_NAME_MAX
	             ? module_of_page(cc.manifest, module, page, &page_index)
	             : -1;
	if (mi < 0) {
		bool module_known = module_index_by_id(cc.manifest, module) >= 0;

		course_call_release(&cc);
		call_fail_param(c, module_known ? "page" : "module",
		                "That page is not in that part of the course.");
		return;
	}
	p.person_id = cc.person.id;
	snprintf(p.course_id, sizeof(p.course_id), "%s", cc.course.id);
	snprintf(p.module, sizeof(p.module), "%s", module);
	snprintf(p.page, sizeof(p.page), "%s", page);
	p.module_index = mi;
	p.page_index = (int)page_index;
	p.updated_at = clock_now();
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_course_progress_put(c->server->store, &p);
	if (r == 0)
		r = maybe_issue(c, &cc, &cert);
	if (r == 0)
		r = call_audit(
		        c, "ok",
		        json_pack("{s:s, s:s, s:s, s:s*}", "course", cc.course.id, "module", module,
		                  "page", page, "certificate",
		                  cert ? json_string_value(json_object_get(cert, "id")) : NULL));
	r = call_end_transaction(c, r);
	if (r < 0) {
		json_decref(cert);
		course_call_release(&cc);
		call_fail_store(c, r, "course progress");
		return;
	}
	read = pages_read(c->server->store, cc.person.id, cc.manifest, cc.course.id);
	call_reply(c, json_pack("{s:b, s:I, s:I, s:o}", "saved", 1, "pages_read",
	                        (json_int_t)json_array_size(read), "pages",
	                        (json_int_t)count_pages(cc.manifest), "certificate",
	                        cert ? cert : json_null()));
	json_decref(read);
	course_call_release(&cc);
}

/* ---- onward.Course.Answer ---- */

/* The child's marking, checked: its numbers must add up, whatever it is. */
static bool
marking_ok(json_t *j)
{
	json_t *feedback = json_object_get(j, "feedback"), *f;
	json_int_t correct = json_integer_value(json_object_get(j, "correct"));
	json_int_t total = json_integer_value(json_object_get(j, "total"));
	json_int_t percent = json_integer_value(json_object_get(j, "percent"));
	json_int_t pass = json_integer_value(json_object_get(j, "pass_percent"));
	size_t i;

	if (!is_uint(json_object_get(j, "correct"), 100) ||
	    !is_uint(json_object_get(j, "total"), 100) ||
	    !is_uint(json_object_get(j, "percent"), 100) ||
	    !is_uint(json_object_get(j, "pass_percent"), 100) ||
	    !json_is_boolean(json_object_get(j, "passed")) || !json_is_array(feedback) ||
	    correct > total || json_array_size(feedback) != (size_t)total ||
	    percent != (total ? correct * 100 / total : 0) ||
	    json_is_true(json_object_get(j, "passed")) != (percent >= pass))
		return false;
	json_array_foreach(feedback, i, f)
	{
		json_t *explain = json_object_get(f, "explain");

		/* The right answer and its explanation are a pack's words, shown to the
		 * learner: one-line text, as the pack format has them. */
		if (json_object_size(f) != (explain ? 5u : 4u) ||
		    !json_is_string(json_object_get(f, "id")) ||
		    !json_is_boolean(json_object_get(f, "answered")) ||
		    !json_is_boolean(json_object_get(f, "correct")) ||
		    !text_line_valid(json_string_value(json_object_get(f, "right")), 200) ||
		    (explain && !text_line_valid(json_string_value(explain), 500)))
			return false;
	}
	return true;
}

static void
on_marked(void *userdata, int r, const struct parser_reply *reply, const char *why)
{
	static const struct {
		const char *problem, *words;
	} problems[] = {
	        {"unknown_question", "An answer names a question this quiz does not have."},
	        {"not_an_option", "A multiple-choice answer must be the number of an option."},
	        {"not_text", "A written answer must be up to 200 characters of text."},
	};
	struct page_ctx *pc = userdata;
	struct call *c = pc->call;
	struct course_call *cc = &pc->cc;
	struct store_course_attempt attempt = {0};
	json_t *j = r == 0 ? reply->json : NULL, *cert = NULL;
	const char *problem = json_string_value(json_object_get(j, "problem"));
	int mi = module_of_quiz(cc->manifest, pc->page);
	char *answers_json;
	bool passed;

	for (size_t i = 0; problem && i < sizeof(problems) / sizeof(problems[0]); i++) {
		if (strcmp(problem, problems[i].problem) == 0) {
			call_fail_param(c, "answers", problems[i].words);
			page_ctx_free(pc);
			return;
		}
	}
	if (r == 0 && (problem || !marking_ok(j)))
		r = -EPROTO;
	if (r < 0) {
		fail_read(c, cc->course.id, pc->page, r, why,
		          "Your answers could not be marked. Please tell staff.");
		page_ctx_free(pc);
		return;
	}
	passed = json_is_true(json_object_get(j, "passed"));
	attempt.person_id = cc->person.id;
	snprintf(attempt.course_id, sizeof(attempt.course_id), "%s", cc->course.id);
	snprintf(attempt.course_version, sizeof(attempt.course_version), "%s", cc->course.version);
	snprintf(attempt.module, sizeof(attempt.module), "%s",
	         pack_module_id(pack_manifest_module(cc->manifest, (size_t)mi)));
	snprintf(attempt.quiz, sizeof(attempt.quiz), "%s", pc->page);
	attempt.correct = (int)json_integer_value(json_object_get(j, "correct"));
	attempt.total = (int)json_integer_value(json_object_get(j, "total"));
	attempt.percent = (int)json_integer_value(json_object_get(j, "percent"));
	attempt.passed = passed;
	attempt.at = clock_now();
	answers_json = json_dumps(pc->answers, JSON_COMPACT | JSON_SORT_KEYS);
	r = answers_json ? store_begin(c->server->store) : -ENOMEM;
	if (r == 0)
		r = store_course_attempt_insert(c->server->store, &attempt, answers_json, NULL);
	if (r == 0 && passed)
		r = maybe_issue(c, cc, &cert);
	if (r == 0)
		r = call_audit(
		        c, "ok",
		        json_pack("{s:s, s:s, s:s, s:i, s:b, s:s*}", "course", cc->course.id,
		                  "version", cc->course.version, "quiz", pc->page, "percent",
		                  attempt.percent, "passed", passed, "certificate",
		                  cert ? json_string_value(json_object_get(cert, "id")) : NULL));
	if (answers_json)
		r = call_end_transaction(c, r);
	free(answers_json);
	if (r < 0) {
		json_decref(cert);
		page_ctx_free(pc);
		call_fail_store(c, r, "quiz attempt");
		return;
	}
	call_reply(c, json_pack("{s:s, s:i, s:i, s:i, s:O, s:b, s:O, s:o}", "quiz", pc->page,
	                        "correct", attempt.correct, "total", attempt.total, "percent",
	                        attempt.percent, "pass_percent", json_object_get(j, "pass_percent"),
	                        "passed", passed, "feedback", json_object_get(j, "feedback"),
	                        "certificate", cert ? cert : json_null()));
	page_ctx_free(pc);
}

static void
handle_answer(struct call *c)
{
	struct page_ctx *pc = page_begin(c);
	json_t *answers, *a;
	const char *quiz, *key;

	if (!pc)
		return; /* answered, and c is gone */
	answers = json_object_get(c->params, "answers");
	if (!(quiz = quiz_param(c, pc->cc.manifest))) {
		page_ctx_free(pc);
		return;
	}
	/* What can be checked without the quiz is checked here; the rest by the child. */
	json_object_foreach(answers, key, a)
	{
		if (json_is_null(a) || json_is_integer(a))
			continue;
		if (!json_is_string(a) ||
		    (json_string_length(a) > 0 &&
		     !validate_text(json_string_value(a), ANSWER_TEXT_MAX, false)) ||
		    strlen(json_string_value(a)) != json_string_length(a)) {
			page_ctx_free(pc);
			call_fail_param(
			        c, "answers",
			        json_is_string(a)
			                ? "A written answer must be up to 200 characters of "
			                  "text."
			                : "An answer must be a number, some text or nothing.");
			return;
		}
	}
	snprintf(pc->page, sizeof(pc->page), "%s", quiz);
	pc->answers = json_incref(answers);
	if (!ask(c, &pc->cc, "pack.mark", pc->page, json_pack("{s:O}", "answers", answers),
	         on_marked, pc))
		page_ctx_free(pc);
}

/* ---- the method table ---- */

static const struct param_spec no_params[] = {{NULL}};

static const struct param_spec course_params[] = {
        {"course", PARAM_STRING, true, 0, STORE_COURSE_ID_MAX},
        {NULL},
};

static const struct param_spec page_params[] = {
        {"course", PARAM_STRING, true, 0, STORE_COURSE_ID_MAX},
        {"page", PARAM_STRING, true, 0, STORE_COURSE_NAME_MAX},
        {NULL},
};

static const struct param_spec image_params[] = {
        {"course", PARAM_STRING, true, 0, STORE_COURSE_ID_MAX},
        {"name", PARAM_STRING, true, 0, STORE_COURSE_NAME_MAX},
        {"offset", PARAM_INT, false, 0, PACK_DEFAULT_MAX_FILE_BYTES},
        {NULL},
};

static const struct param_spec quiz_params[] = {
        {"course", PARAM_STRING, true, 0, STORE_COURSE_ID_MAX},
        {"quiz", PARAM_STRING, true, 0, STORE_COURSE_NAME_MAX},
        {NULL},
};

static const struct param_spec progress_params[] = {
        {"course", PARAM_STRING, true, 0, STORE_COURSE_ID_MAX},
        {"module", PARAM_STRING, true, 0, STORE_COURSE_ID_MAX},
        {"page", PARAM_STRING, true, 0, STORE_COURSE_NAME_MAX},
        {NULL},
};

static const struct param_spec answer_params[] = {
        {"course", PARAM_STRING, true, 0, STORE_COURSE_ID_MAX},
        {"quiz", PARAM_STRING, true, 0, STORE_COURSE_NAME_MAX},
        {"answers", PARAM_OBJECT, true, 0, 100},
        {NULL},
};

static const struct param_spec path_params[] = {
        {"path", PARAM_STRING, true, 0, 4095},
        {NULL},
};

static const struct param_spec id_params[] = {
        {"id", PARAM_STRING, true, 0, STORE_COURSE_ID_MAX},
        {NULL},
};

static const struct param_spec person_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {NULL},
};

static const struct param_spec export_params[] = {
        {"id", PARAM_STRING, true, 0, 40},
        {"output", PARAM_STRING, false, 0, 4095},
        {NULL},
};

/* clang-format off */
/* The apps whose channels may call a method, and what any other app is told. */
#define LEARNING_APP_ONLY .apps = "learning", .wrong_app = "Courses open in the Learning app."

const struct method course_methods[] = {
	/* the learning app's channel */
	{"onward.Course.Catalogue", SOCKET_CHANNEL, "course.catalogue", AUDIT_HANDLER, LEARNING_APP_ONLY,
	 .needs_session = true, .params = no_params, .handler = handle_catalogue},
	{"onward.Course.Open", SOCKET_CHANNEL, "course.open", AUDIT_HANDLER, LEARNING_APP_ONLY,
	 .needs_session = true, .params = course_params, .handler = handle_open},
	{"onward.Course.Page", SOCKET_CHANNEL, "course.page", AUDIT_HANDLER, LEARNING_APP_ONLY,
	 .needs_session = true, .params = page_params, .handler = handle_page},
	{"onward.Course.Image", SOCKET_CHANNEL, "course.image", AUDIT_HANDLER, LEARNING_APP_ONLY,
	 .needs_session = true, .params = image_params, .handler = handle_image},
	{"onward.Course.Quiz", SOCKET_CHANNEL, "course.quiz", AUDIT_HANDLER, LEARNING_APP_ONLY,
	 .needs_session = true, .params = quiz_params, .handler = handle_quiz},
	{"onward.Course.Progress", SOCKET_CHANNEL, "course.progress", AUDIT_HANDLER, LEARNING_APP_ONLY,
	 .needs_session = true, .params = progress_params, .handler = handle_progress},
	{"onward.Course.Answer", SOCKET_CHANNEL, "course.answer", AUDIT_HANDLER, LEARNING_APP_ONLY,
	 .needs_session = true, .params = answer_params, .handler = handle_answer},
	{"onward.Course.Certificates", SOCKET_CHANNEL, "course.certificates", AUDIT_ON_REPLY,
	 LEARNING_APP_ONLY, .needs_session = true, .params = no_params,
	 .handler = handle_certificates},
	/* staff (learning/admin.c) */
	{"onward.Course.TrustRoot", SOCKET_ADMIN, "course.trust_root", AUDIT_HANDLER, .group = "service.admin",
	 .resource = RES_SERVICE, .params = path_params, .handler = course_handle_trust_root},
	{"onward.Course.Install", SOCKET_ADMIN, "course.install", AUDIT_HANDLER, .group = "learning.manage",
	 .resource = RES_SERVICE, .params = path_params, .handler = course_handle_install},
	{"onward.Course.InstallStatus", SOCKET_ADMIN, "course.list", AUDIT_NONE,
	 .group = "learning.manage", .resource = RES_SERVICE, .network = true, .params = no_params,
	 .handler = course_handle_install_status},
	{"onward.Course.List", SOCKET_ADMIN, "course.list", AUDIT_ON_REPLY, .group = "learning.manage",
	 .resource = RES_SERVICE, .network = true, .params = no_params, .handler = course_handle_list},
	{"onward.Course.Remove", SOCKET_ADMIN, "course.remove", AUDIT_HANDLER, .group = "learning.manage",
	 .resource = RES_SERVICE, .network = true, .params = id_params, .handler = course_handle_remove},
	{"onward.Certificate.List", SOCKET_ADMIN, "certificate.list", AUDIT_ON_REPLY, .group = "learning.manage",
	 .resource = RES_PERSON, .network = true, .params = person_params,
	 .handler = course_handle_certificate_list},
	{"onward.Certificate.Export", SOCKET_ADMIN, "certificate.export", AUDIT_HANDLER, .group = "learning.manage",
	 .resource = RES_SERVICE, .params = export_params,
	 .handler = course_handle_certificate_export},
	{"onward.Certificate.Key", SOCKET_ADMIN, "certificate.key", AUDIT_ON_REPLY, .group = "learning.manage",
	 .resource = RES_SERVICE, .params = no_params,
	 .handler = course_handle_certificate_key},
	{NULL},
};
/* clang-format on */

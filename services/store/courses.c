/*
 * Learning's tables (see courses.h): courses, course_progress, course_pages_read,
 * course_attempts and certificates, from schema slot 6. These statements are prepared for
 * each call and finalized after it rather than kept in the store's statement cache: the
 * cache has a fixed number of slots shared by every area, and courses are used far less
 * often than logins or messages, so a few microseconds of preparing costs nothing here.
 */
#include "courses.h"

#include "store_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define COURSE_COLUMNS                                                                             \
	"id, version, title, level, provider_id, provider_name, language, minutes, file, "         \
	"sha256, size, root_key, installed_by, installed_at"

#define ATTEMPT_COLUMNS                                                                            \
	"id, person_id, course_id, course_version, module, quiz, correct, total, percent, "        \
	"passed, at"

#define CERTIFICATE_COLUMNS                                                                        \
	"c.id, c.person_id, p.prison_number, c.course_id, c.course_version, c.title, c.score, "    \
	"c.issued_at, c.key_id"

/* Steps a statement that returns no rows, then finalizes it. */
static int
run_done(sqlite3_stmt *st)
{
	int r = store_step_done(st);

	sqlite3_finalize(st);
	return r;
}

/* Fetches at most one row with row(), then finalizes the statement. */
static int
run_one(sqlite3_stmt *st, int (*row)(sqlite3_stmt *st, void *ret), void *ret)
{
	int r = store_fetch_one(st, row, ret);

	sqlite3_finalize(st);
	return r;
}

/* A text column, malloc'd. */
static int
column_dup(sqlite3_stmt *st, int col, char **ret)
{
	const unsigned char *text = sqlite3_column_text(st, col);
	int n = sqlite3_column_bytes(st, col);
	char *copy;

	if (!text)
		return -ENOENT;
	copy = malloc((size_t)n + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, (size_t)n);
	copy[n] = '\0';
	*ret = copy;
	return 0;
}

/* ---- courses ---- */

static int
row_to_course(sqlite3_stmt *st, void *ret)
{
	struct store_course *c = ret;
	int r = 0;

	r = r ?: store_column_text(st, 0, c->id, sizeof(c->id));
	r = r ?: store_column_text(st, 1, c->version, sizeof(c->version));
	r = r ?: store_column_text(st, 2, c->title, sizeof(c->title));
	r = r ?: store_column_text(st, 3, c->level, sizeof(c->level));
	r = r ?: store_column_text(st, 4, c->provider_id, sizeof(c->provider_id));
	r = r ?: store_column_text(st, 5, c->provider_name, sizeof(c->provider_name));
	r = r ?: store_column_text(st, 6, c->language, sizeof(c->language));
	c->minutes = sqlite3_column_int64(st, 7);
	r = r ?: store_column_text(st, 8, c->file, sizeof(c->file));
	r = r ?: store_column_text(st, 9, c->sha256, sizeof(c->sha256));
	c->size = sqlite3_column_int64(st, 10);
	r = r ?: store_column_text(st, 11, c->root_key, sizeof(c->root_key));
	r = r ?: store_column_text(st, 12, c->installed_by, sizeof(c->installed_by));
	c->installed_at = sqlite3_column_int64(st, 13);
	return r;
}

int
store_course_put(struct store *s, const struct store_course *c, const char *manifest_json)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s,
	                               "INSERT OR REPLACE INTO courses (" COURSE_COLUMNS
	                               ", manifest) "
	                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                               &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, c->id, 0);
	store_bind_text(st, 2, c->version, 0);
	store_bind_text(st, 3, c->title, 0);
	store_bind_text(st, 4, c->level, 0);
	store_bind_text(st, 5, c->provider_id, 0);
	store_bind_text(st, 6, c->provider_name, 0);
	store_bind_text(st, 7, c->language, 0);
	sqlite3_bind_int64(st, 8, c->minutes);
	store_bind_text(st, 9, c->file, 0);
	store_bind_text(st, 10, c->sha256, 0);
	sqlite3_bind_int64(st, 11, c->size);
	store_bind_text(st, 12, c->root_key, 0);
	store_bind_text(st, 13, c->installed_by, 0);
	sqlite3_bind_int64(st, 14, c->installed_at);
	store_bind_text(st, 15, manifest_json, 0);
	return run_done(st);
}

int
store_course_get(struct store *s, const char *id, struct store_course *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s, "SELECT " COURSE_COLUMNS " FROM courses WHERE id = ?",
	                               &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, id, 0);
	return run_one(st, row_to_course, ret);
}

static int
row_to_manifest(sqlite3_stmt *st, void *ret)
{
	return column_dup(st, 0, ret);
}

int
store_course_get_manifest(struct store *s, const char *id, char **ret_json)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s, "SELECT manifest FROM courses WHERE id = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, id, 0);
	return run_one(st, row_to_manifest, ret_json);
}

int
store_course_delete(struct store *s, const char *id)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s, "DELETE FROM courses WHERE id = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, id, 0);
	r = run_done(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ENOENT;
	return r;
}

int
store_course_list(struct store *s, int (*fn)(const struct store_course *c, void *userdata),
                  void *userdata)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s, "SELECT " COURSE_COLUMNS " FROM courses ORDER BY title, id", &st);

	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_course c;

		r = row_to_course(st, &c);
		if (r == 0)
			r = fn(&c, userdata);
	}
	sqlite3_finalize(st);
	return r;
}

/* ---- progress ---- */

static int
row_to_progress(sqlite3_stmt *st, void *ret)
{
	struct store_course_progress *p = ret;
	int r = 0;

	p->person_id = sqlite3_column_int64(st, 0);
	r = r ?: store_column_text(st, 1, p->course_id, sizeof(p->course_id));
	r = r ?: store_column_text(st, 2, p->module, sizeof(p->module));
	r = r ?: store_column_text(st, 3, p->page, sizeof(p->page));
	p->module_index = sqlite3_column_int(st, 4);
	p->page_index = sqlite3_column_int(st, 5);
	p->started_at = sqlite3_column_int64(st, 6);
	p->updated_at = sqlite3_column_int64(st, 7);
	return r;
}

int
store_course_progress_get(struct store *s, int64_t person_id, const char *course_id,
                          struct store_course_progress *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "SELECT person_id, course_id, module, page, module_index, page_index, "
	        "started_at, updated_at FROM course_progress "
	        "WHERE person_id = ? AND course_id = ?",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	store_bind_text(st, 2, course_id, 0);
	return run_one(st, row_to_progress, ret);
}

int
store_course_progress_put(struct store *s, const struct store_course_progress *p)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "UPDATE course_progress SET module = ?3, page = ?4, module_index = ?5, "
	        "page_index = ?6, updated_at = ?7 WHERE person_id = ?1 AND course_id = ?2",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, p->person_id);
	store_bind_text(st, 2, p->course_id, 0);
	store_bind_text(st, 3, p->module, 0);
	store_bind_text(st, 4, p->page, 0);
	sqlite3_bind_int(st, 5, p->module_index);
	sqlite3_bind_int(st, 6, p->page_index);
	sqlite3_bind_int64(st, 7, p->updated_at);
	r = run_done(st);
	if (r == 0 && sqlite3_changes(s->db) == 0) {
		r = store_prepare_uncached(
		        s,
		        "INSERT INTO course_progress (person_id, course_id, module, page, "
		        "module_index, page_index, started_at, updated_at) "
		        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		        &st);
		if (r < 0)
			return r;
		sqlite3_bind_int64(st, 1, p->person_id);
		store_bind_text(st, 2, p->course_id, 0);
		store_bind_text(st, 3, p->module, 0);
		store_bind_text(st, 4, p->page, 0);
		sqlite3_bind_int(st, 5, p->module_index);
		sqlite3_bind_int(st, 6, p->page_index);
		sqlite3_bind_int64(st, 7, p->started_at ? p->started_at : p->updated_at);
		sqlite3_bind_int64(st, 8, p->updated_at);
		r = run_done(st);
	}
	if (r < 0)
		return r;
	r = store_prepare_uncached(
	        s,
	        "INSERT OR IGNORE INTO course_pages_read (person_id, course_id, page, read_at) "
	        "VALUES (?, ?, ?, ?)",
	        &st);
	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, p->person_id);
	store_bind_text(st, 2, p->course_id, 0);
	store_bind_text(st, 3, p->page, 0);
	sqlite3_bind_int64(st, 4, p->updated_at);
	return run_done(st);
}

int
store_course_pages_read(struct store *s, int64_t person_id, const char *course_id,
                        int (*fn)(const char *page, void *userdata), void *userdata)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "SELECT page FROM course_pages_read WHERE person_id = ? AND course_id = ? "
	        "ORDER BY read_at, page",
	        &st);

	if (r == 0) {
		sqlite3_bind_int64(st, 1, person_id);
		store_bind_text(st, 2, course_id, 0);
	}
	while (r == 0 && (r = store_step_row(st)) == 1) {
		char page[STORE_COURSE_NAME_MAX + 1];

		r = store_column_text(st, 0, page, sizeof(page));
		if (r == 0)
			r = fn(page, userdata);
	}
	sqlite3_finalize(st);
	return r;
}

/* ---- attempts ---- */

static int
row_to_attempt(sqlite3_stmt *st, void *ret)
{
	struct store_course_attempt *a = ret;
	int r = 0;

	a->id = sqlite3_column_int64(st, 0);
	a->person_id = sqlite3_column_int64(st, 1);
	r = r ?: store_column_text(st, 2, a->course_id, sizeof(a->course_id));
	r = r ?: store_column_text(st, 3, a->course_version, sizeof(a->course_version));
	r = r ?: store_column_text(st, 4, a->module, sizeof(a->module));
	r = r ?: store_column_text(st, 5, a->quiz, sizeof(a->quiz));
	a->correct = sqlite3_column_int(st, 6);
	a->total = sqlite3_column_int(st, 7);
	a->percent = sqlite3_column_int(st, 8);
	a->passed = sqlite3_column_int(st, 9) != 0;
	a->at = sqlite3_column_int64(st, 10);
	return r;
}

int
store_course_attempt_insert(struct store *s, const struct store_course_attempt *a,
                            const char *answers_json, int64_t *ret_id)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "INSERT INTO course_attempts (person_id, course_id, course_version, module, "
	        "quiz, correct, total, percent, passed, answers, at) "
	        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, a->person_id);
	store_bind_text(st, 2, a->course_id, 0);
	store_bind_text(st, 3, a->course_version, 0);
	store_bind_text(st, 4, a->module, 0);
	store_bind_text(st, 5, a->quiz, 0);
	sqlite3_bind_int(st, 6, a->correct);
	sqlite3_bind_int(st, 7, a->total);
	sqlite3_bind_int(st, 8, a->percent);
	sqlite3_bind_int(st, 9, a->passed);
	store_bind_text(st, 10, answers_json, 0);
	sqlite3_bind_int64(st, 11, a->at);
	r = run_done(st);
	if (r == 0 && ret_id)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return r;
}

int
store_course_attempt_list(struct store *s, int64_t person_id, const char *course_id,
                          int (*fn)(const struct store_course_attempt *a, void *userdata),
                          void *userdata)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s,
	                               "SELECT " ATTEMPT_COLUMNS " FROM course_attempts "
	                               "WHERE person_id = ? AND course_id = ? ORDER BY id",
	                               &st);

	if (r == 0) {
		sqlite3_bind_int64(st, 1, person_id);
		store_bind_text(st, 2, course_id, 0);
	}
	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_course_attempt a;

		r = row_to_attempt(st, &a);
		if (r == 0)
			r = fn(&a, userdata);
	}
	sqlite3_finalize(st);
	return r;
}

/* ---- certificates ---- */

static int
row_to_certificate(sqlite3_stmt *st, void *ret)
{
	struct store_certificate *c = ret;
	int r = 0;

	r = r ?: store_column_text(st, 0, c->id, sizeof(c->id));
	c->person_id = sqlite3_column_int64(st, 1);
	r = r ?: store_column_text(st, 2, c->prison_number, sizeof(c->prison_number));
	r = r ?: store_column_text(st, 3, c->course_id, sizeof(c->course_id));
	r = r ?: store_column_text(st, 4, c->course_version, sizeof(c->course_version));
	r = r ?: store_column_text(st, 5, c->title, sizeof(c->title));
	c->score = sqlite3_column_int(st, 6);
	c->issued_at = sqlite3_column_int64(st, 7);
	r = r ?: store_column_text(st, 8, c->key_id, sizeof(c->key_id));
	return r;
}

int
store_certificate_insert(struct store *s, const struct store_certificate *c, const char *document)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "INSERT INTO certificates (id, person_id, course_id, course_version, title, "
	        "score, issued_at, key_id, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	        &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, c->id, 0);
	sqlite3_bind_int64(st, 2, c->person_id);
	store_bind_text(st, 3, c->course_id, 0);
	store_bind_text(st, 4, c->course_version, 0);
	store_bind_text(st, 5, c->title, 0);
	sqlite3_bind_int(st, 6, c->score);
	sqlite3_bind_int64(st, 7, c->issued_at);
	store_bind_text(st, 8, c->key_id, 0);
	store_bind_text(st, 9, document, 0);
	return run_done(st);
}

int
store_certificate_get(struct store *s, const char *id, struct store_certificate *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s,
	                               "SELECT " CERTIFICATE_COLUMNS
	                               " FROM certificates c JOIN people p "
	                               "ON p.id = c.person_id WHERE c.id = ?",
	                               &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, id, 0);
	return run_one(st, row_to_certificate, ret);
}

int
store_certificate_find(struct store *s, int64_t person_id, const char *course_id,
                       struct store_certificate *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "SELECT " CERTIFICATE_COLUMNS " FROM certificates c JOIN people p "
	        "ON p.id = c.person_id WHERE c.person_id = ? AND c.course_id = ?",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	store_bind_text(st, 2, course_id, 0);
	return run_one(st, row_to_certificate, ret);
}

static int
row_to_document(sqlite3_stmt *st, void *ret)
{
	return column_dup(st, 0, ret);
}

int
store_certificate_get_document(struct store *s, const char *id, char **ret_document)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s, "SELECT document FROM certificates WHERE id = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, id, 0);
	return run_one(st, row_to_document, ret_document);
}

int
store_certificate_list(struct store *s, int64_t person_id,
                       int (*fn)(const struct store_certificate *c, void *userdata), void *userdata)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "SELECT " CERTIFICATE_COLUMNS " FROM certificates c JOIN people p "
	        "ON p.id = c.person_id WHERE c.person_id = ? ORDER BY c.issued_at, c.id",
	        &st);

	if (r == 0)
		sqlite3_bind_int64(st, 1, person_id);
	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_certificate c;

		r = row_to_certificate(st, &c);
		if (r == 0)
			r = fn(&c, userdata);
	}
	sqlite3_finalize(st);
	return r;
}

/* ---- a person's learning, for person bundles ---- */

/* Runs a query for person_id and appends each row, made by row(), to list. */
static int
export_rows(struct store *s, const char *sql, int64_t person_id, json_t *list,
            json_t *(*row)(sqlite3_stmt *st))
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s, sql, &st);

	if (r == 0)
		sqlite3_bind_int64(st, 1, person_id);
	while (r == 0 && (r = store_step_row(st)) == 1) {
		json_t *item = row(st);

		r = item && json_array_append_new(list, item) == 0 ? 0 : -ENOMEM;
	}
	sqlite3_finalize(st);
	return r;
}

static json_t *
text_col(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return json_stringn(t ? (const char *)t : "", (size_t)sqlite3_column_bytes(st, col));
}

static json_t *
progress_row(sqlite3_stmt *st)
{
	return json_pack("{s:o, s:o, s:o, s:I, s:I, s:I, s:I}", "course", text_col(st, 0), "module",
	                 text_col(st, 1), "page", text_col(st, 2), "module_index",
	                 (json_int_t)sqlite3_column_int64(st, 3), "page_index",
	                 (json_int_t)sqlite3_column_int64(st, 4), "started_at",
	                 (json_int_t)sqlite3_column_int64(st, 5), "updated_at",
	                 (json_int_t)sqlite3_column_int64(st, 6));
}

static json_t *
page_row(sqlite3_stmt *st)
{
	return json_pack("{s:o, s:o, s:I}", "course", text_col(st, 0), "page", text_col(st, 1),
	                 "read_at", (json_int_t)sqlite3_column_int64(st, 2));
}

static json_t *
attempt_row(sqlite3_stmt *st)
{
	return json_pack(
	        "{s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:b, s:o, s:I}", "course", text_col(st, 0),
	        "version", text_col(st, 1), "module", text_col(st, 2), "quiz", text_col(st, 3),
	        "correct", (json_int_t)sqlite3_column_int64(st, 4), "total",
	        (json_int_t)sqlite3_column_int64(st, 5), "percent",
	        (json_int_t)sqlite3_column_int64(st, 6), "passed", sqlite3_column_int(st, 7) != 0,
	        "answers", text_col(st, 8), "at", (json_int_t)sqlite3_column_int64(st, 9));
}

static json_t *
certificate_row(sqlite3_stmt *st)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o}", "id", text_col(st, 0),
	                 "course", text_col(st, 1), "version", text_col(st, 2), "title",
	                 text_col(st, 3), "score", (json_int_t)sqlite3_column_int64(st, 4),
	                 "issued_at", (json_int_t)sqlite3_column_int64(st, 5), "key_id",
	                 text_col(st, 6), "document", text_col(st, 7));
}

int
store_course_person_export(struct store *s, int64_t person_id, json_t **ret)
{
	json_t *progress = json_array(), *pages = json_array(), *attempts = json_array();
	json_t *certs = json_array(), *out;
	int r = export_rows(
	        s,
	        "SELECT course_id, module, page, module_index, page_index, started_at, "
	        "updated_at FROM course_progress WHERE person_id = ? ORDER BY course_id",
	        person_id, progress, progress_row);

	r = r
	            ?: export_rows(s,
	                           "SELECT course_id, page, read_at FROM course_pages_read "
	                           "WHERE person_id = ? ORDER BY course_id, page",
	                           person_id, pages, page_row);
	r = r
	            ?: export_rows(
	                       s,
	                       "SELECT course_id, course_version, module, quiz, correct, total, "
	                       "percent, passed, answers, at FROM course_attempts WHERE person_id "
	                       "= ? "
	                       "ORDER BY id",
	                       person_id, attempts, attempt_row);
	r = r
	            ?: export_rows(s,
	                           "SELECT id, course_id, course_version, title, score, issued_at, "
	                           "key_id, "
	                           "document FROM certificates WHERE person_id = ? ORDER BY "
	                           "issued_at, id",
	                           person_id, certs, certificate_row);
	out = r == 0 ? json_pack("{s:o, s:o, s:o, s:o}", "progress", progress, "pages_read", pages,
	                         "attempts", attempts, "certificates", certs)
	             : NULL;
	if (!out) {
		if (r == 0)
			r = -ENOMEM;
		else {
			json_decref(progress);
			json_decref(pages);
			json_decref(attempts);
			json_decref(certs);
		}
		return r;
	}
	*ret = out;
	return 0;
}

int
store_course_person_clear(struct store *s, int64_t person_id)
{
	static const char *const sql[] = {
	        "DELETE FROM course_progress WHERE person_id = ?",
	        "DELETE FROM course_pages_read WHERE person_id = ?",
	        "DELETE FROM course_attempts WHERE person_id = ?",
	        "DELETE FROM certificates WHERE person_id = ?",
	};
	int r = 0;

	for (size_t i = 0; r == 0 && i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *st;

		r = store_prepare_uncached(s, sql[i], &st);
		if (r == 0) {
			sqlite3_bind_int64(st, 1, person_id);
			r = run_done(st);
		}
	}
	return r;
}

/* A string field of at most max bytes, valid UTF-8 (jansson's) and without NUL or '\n'. */
static const char *
field_str(json_t *obj, const char *key, size_t max)
{
	json_t *v = json_object_get(obj, key);
	const char *t = json_string_value(v);

	if (!t || json_string_length(v) > max || strlen(t) != json_string_length(v) ||
	    strchr(t, '\n'))
		return NULL;
	return t;
}

static bool
field_int(json_t *obj, const char *key, int64_t min, int64_t max, int64_t *ret)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return false;
	*ret = json_integer_value(v);
	return true;
}

static bool
course_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n == 0 || n > STORE_COURSE_ID_MAX)
		return false;
	return strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789.-") == n;
}

#define TIME_MAX 253402300799LL

int
store_course_person_import(struct store *s, int64_t person_id, json_t *part, char *err, size_t size)
{
	json_t *progress = json_object_get(part, "progress"),
	       *pages = json_object_get(part, "pages_read");
	json_t *attempts = json_object_get(part, "attempts"),
	       *certs = json_object_get(part, "certificates");
	json_t *item;
	size_t i;
	int r = 0;

	if (!json_is_object(part) || !json_is_array(progress) || !json_is_array(pages) ||
	    !json_is_array(attempts) || !json_is_array(certs)) {
		snprintf(err, size, "learning: not the shape a learning part has");
		return -EBADMSG;
	}
	/* Check everything first, so that a malformed part inserts nothing. */
	json_array_foreach(progress, i, item)
	{
		int64_t n;

		if (!course_id_ok(field_str(item, "course", STORE_COURSE_ID_MAX)) ||
		    !field_str(item, "module", STORE_COURSE_ID_MAX) ||
		    !field_str(item, "page", STORE_COURSE_NAME_MAX) ||
		    !field_int(item, "module_index", 0, 10000, &n) ||
		    !field_int(item, "page_index", 0, 10000, &n) ||
		    !field_int(item, "started_at", 0, TIME_MAX, &n) ||
		    !field_int(item, "updated_at", 0, TIME_MAX, &n)) {
			snprintf(err, size, "learning: progress row %zu is malformed", i);
			return -EBADMSG;
		}
	}
	json_array_foreach(pages, i, item)
	{
		int64_t n;

		if (!course_id_ok(field_str(item, "course", STORE_COURSE_ID_MAX)) ||
		    !field_str(item, "page", STORE_COURSE_NAME_MAX) ||
		    !field_int(item, "read_at", 0, TIME_MAX, &n)) {
			snprintf(err, size, "learning: page row %zu is malformed", i);
			return -EBADMSG;
		}
	}
	json_array_foreach(attempts, i, item)
	{
		int64_t n;

		if (!course_id_ok(field_str(item, "course", STORE_COURSE_ID_MAX)) ||
		    !field_str(item, "version", 32) ||
		    !field_str(item, "module", STORE_COURSE_ID_MAX) ||
		    !field_str(item, "quiz", STORE_COURSE_NAME_MAX) ||
		    !field_str(item, "answers", 64 * 1024) ||
		    !field_int(item, "correct", 0, 1000, &n) ||
		    !field_int(item, "total", 0, 1000, &n) ||
		    !field_int(item, "percent", 0, 100, &n) ||
		    !json_is_boolean(json_object_get(item, "passed")) ||
		    !field_int(item, "at", 0, TIME_MAX, &n)) {
			snprintf(err, size, "learning: quiz attempt %zu is malformed", i);
			return -EBADMSG;
		}
	}
	json_array_foreach(certs, i, item)
	{
		int64_t n;

		if (!field_str(item, "id", 40) ||
		    !course_id_ok(field_str(item, "course", STORE_COURSE_ID_MAX)) ||
		    !field_str(item, "version", 32) || !field_str(item, "title", 120) ||
		    !field_str(item, "key_id", 16) ||
		    !json_is_string(json_object_get(item, "document")) ||
		    json_string_length(json_object_get(item, "document")) >
		            STORE_CERTIFICATE_DOCUMENT_MAX ||
		    !field_int(item, "score", -1, 100, &n) ||
		    !field_int(item, "issued_at", 0, TIME_MAX, &n)) {
			snprintf(err, size, "learning: certificate %zu is malformed", i);
			return -EBADMSG;
		}
	}
	json_array_foreach(progress, i, item)
	{
		struct store_course_progress p = {.person_id = person_id};
		sqlite3_stmt *st;

		if (r < 0)
			break;
		snprintf(p.course_id, sizeof(p.course_id), "%s", field_str(item, "course", 64));
		snprintf(p.module, sizeof(p.module), "%s", field_str(item, "module", 64));
		snprintf(p.page, sizeof(p.page), "%s", field_str(item, "page", 128));
		r = store_prepare_uncached(
		        s,
		        "INSERT OR REPLACE INTO course_progress (person_id, course_id, module, "
		        "page, module_index, page_index, started_at, updated_at) "
		        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		        &st);
		if (r < 0)
			break;
		sqlite3_bind_int64(st, 1, person_id);
		store_bind_text(st, 2, p.course_id, 0);
		store_bind_text(st, 3, p.module, 0);
		store_bind_text(st, 4, p.page, 0);
		sqlite3_bind_int64(st, 5,
		                   json_integer_value(json_object_get(item, "module_index")));
		sqlite3_bind_int64(st, 6, json_integer_value(json_object_get(item, "page_index")));
		sqlite3_bind_int64(st, 7, json_integer_value(json_object_get(item, "started_at")));
		sqlite3_bind_int64(st, 8, json_integer_value(json_object_get(item, "updated_at")));
		r = run_done(st);
	}
	json_array_foreach(pages, i, item)
	{
		sqlite3_stmt *st;

		if (r < 0)
			break;
		r = store_prepare_uncached(
		        s,
		        "INSERT OR IGNORE INTO course_pages_read (person_id, course_id, page, "
		        "read_at) VALUES (?, ?, ?, ?)",
		        &st);
		if (r < 0)
			break;
		sqlite3_bind_int64(st, 1, person_id);
		store_bind_text(st, 2, field_str(item, "course", 64), 0);
		store_bind_text(st, 3, field_str(item, "page", 128), 0);
		sqlite3_bind_int64(st, 4, json_integer_value(json_object_get(item, "read_at")));
		r = run_done(st);
	}
	json_array_foreach(attempts, i, item)
	{
		struct store_course_attempt a = {.person_id = person_id};

		if (r < 0)
			break;
		snprintf(a.course_id, sizeof(a.course_id), "%s", field_str(item, "course", 64));
		snprintf(a.course_version, sizeof(a.course_version), "%s",
		         field_str(item, "version", 32));
		snprintf(a.module, sizeof(a.module), "%s", field_str(item, "module", 64));
		snprintf(a.quiz, sizeof(a.quiz), "%s", field_str(item, "quiz", 128));
		a.correct = (int)json_integer_value(json_object_get(item, "correct"));
		a.total = (int)json_integer_value(json_object_get(item, "total"));
		a.percent = (int)json_integer_value(json_object_get(item, "percent"));
		a.passed = json_is_true(json_object_get(item, "passed"));
		a.at = json_integer_value(json_object_get(item, "at"));
		r = store_course_attempt_insert(s, &a, field_str(item, "answers", 64 * 1024), NULL);
	}
	json_array_foreach(certs, i, item)
	{
		struct store_certificate c = {.person_id = person_id};

		if (r < 0)
			break;
		snprintf(c.id, sizeof(c.id), "%s", field_str(item, "id", 40));
		snprintf(c.course_id, sizeof(c.course_id), "%s", field_str(item, "course", 64));
		snprintf(c.course_version, sizeof(c.course_version), "%s",
		         field_str(item, "version", 32));
		snprintf(c.title, sizeof(c.title), "%s", field_str(item, "title", 120));
		snprintf(c.key_id, sizeof(c.key_id), "%s", field_str(item, "key_id", 16));
		c.score = (int)json_integer_value(json_object_get(item, "score"));
		c.issued_at = json_integer_value(json_object_get(item, "issued_at"));
		r = store_certificate_insert(s, &c,
		                             json_string_value(json_object_get(item, "document")));
	}
	if (r < 0)
		snprintf(err, size, "learning: the rows cannot be stored");
	return r;
}

/*
 * Housing enquiries and their threads (see housing.h). The state rules that must hold even
 * if two calls raced are in the SQL itself: a draft is changed or submitted only while it
 * is a draft (the UPDATE names the status it expects), and the partial unique index of
 * migration 8 keeps one open case per person. Statements here are prepared per call, not
 * kept in the shared cache: none is hot, and the cache is sized for the core's own.
 */
#include "housing.h"

#include "store_int.h"

#include <errno.h>

#define CASE_COLUMNS                                                                               \
	"c.id, c.person_id, p.prison_number, c.status, c.step, c.release_date, c.area, "           \
	"c.last_address, c.needs, c.needs_detail, c.consent, c.contact_route, c.contact_detail, "  \
	"c.created_at, c.updated_at, c.submitted_at, c.status_at, c.status_by"

static int
row_to_case(sqlite3_stmt *st, void *ret)
{
	struct store_housing_case *c = ret;
	int r = 0;

	c->id = sqlite3_column_int64(st, 0);
	c->person_id = sqlite3_column_int64(st, 1);
	r = r ?: store_column_text(st, 2, c->prison_number, sizeof(c->prison_number));
	r = r ?: store_column_text(st, 3, c->status, sizeof(c->status));
	c->step = sqlite3_column_int(st, 4);
	r = r ?: store_column_text(st, 5, c->release_date, sizeof(c->release_date));
	r = r ?: store_column_text(st, 6, c->area, sizeof(c->area));
	r = r ?: store_column_text(st, 7, c->last_address, sizeof(c->last_address));
	r = r ?: store_column_text(st, 8, c->needs, sizeof(c->needs));
	r = r ?: store_column_text(st, 9, c->needs_detail, sizeof(c->needs_detail));
	c->consent = sqlite3_column_int(st, 10) != 0;
	r = r ?: store_column_text(st, 11, c->contact_route, sizeof(c->contact_route));
	r = r ?: store_column_text(st, 12, c->contact_detail, sizeof(c->contact_detail));
	c->created_at = sqlite3_column_int64(st, 13);
	c->updated_at = sqlite3_column_int64(st, 14);
	c->submitted_at = sqlite3_column_int64(st, 15);
	c->status_at = sqlite3_column_int64(st, 16);
	r = r ?: store_column_text(st, 17, c->status_by, sizeof(c->status_by));
	return r;
}

int
store_housing_current(struct store *s, int64_t person_id, struct store_housing_case *ret)
{
	sqlite3_stmt *st;
	struct store_housing_case c;
	int r = store_prepare_uncached(s,
	                               "SELECT " CASE_COLUMNS " FROM housing_cases c JOIN people p "
	                               "ON p.id = c.person_id WHERE c.person_id = ? "
	                               "ORDER BY c.status = 'closed', c.id DESC LIMIT 1",
	                               &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	r = store_fetch_one(st, row_to_case, &c);
	sqlite3_finalize(st);
	if (r == 0)
		*ret = c;
	return r;
}

/* Binds the form fields to ?1 .. ?10 in the order of the columns they go to. */
static void
bind_form(sqlite3_stmt *st, const struct store_housing_case *c)
{
	sqlite3_bind_int(st, 1, c->step);
	store_bind_text(st, 2, c->release_date, 0);
	store_bind_text(st, 3, c->area, 0);
	store_bind_text(st, 4, c->last_address, 0);
	store_bind_text(st, 5, c->needs, 0);
	store_bind_text(st, 6, c->needs_detail, 0);
	sqlite3_bind_int(st, 7, c->consent);
	store_bind_text(st, 8, c->contact_route, 0);
	store_bind_text(st, 9, c->contact_detail, 0);
}

int
store_housing_insert(struct store *s, const struct store_housing_case *c, int64_t *ret_id)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "INSERT INTO housing_cases (step, release_date, area, last_address, needs, "
	        "needs_detail, consent, contact_route, contact_detail, person_id, status, "
	        "created_at, updated_at) "
	        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'draft', ?11, ?11)",
	        &st);

	if (r < 0)
		return r;
	bind_form(st, c);
	sqlite3_bind_int64(st, 10, c->person_id);
	sqlite3_bind_int64(st, 11, c->created_at);
	r = store_step_done(st);
	sqlite3_finalize(st);
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return r;
}

int
store_housing_update_draft(struct store *s, const struct store_housing_case *c, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "UPDATE housing_cases SET step = ?1, release_date = ?2, area = ?3, "
	        "last_address = ?4, needs = ?5, needs_detail = ?6, consent = ?7, "
	        "contact_route = ?8, contact_detail = ?9, updated_at = ?11 "
	        "WHERE id = ?10 AND status = 'draft'",
	        &st);

	if (r < 0)
		return r;
	bind_form(st, c);
	sqlite3_bind_int64(st, 10, c->id);
	sqlite3_bind_int64(st, 11, now);
	r = store_step_done(st);
	sqlite3_finalize(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -EALREADY;
	return r;
}

int
store_housing_submit(struct store *s, int64_t case_id, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "UPDATE housing_cases SET status = 'submitted', submitted_at = ?2, "
	        "status_at = ?2, status_by = '', updated_at = ?2 "
	        "WHERE id = ?1 AND status = 'draft'",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, now);
	r = store_step_done(st);
	sqlite3_finalize(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -EALREADY;
	return r;
}

int
store_housing_set_status(struct store *s, int64_t case_id, const char *status, const char *staff_id,
                         int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "UPDATE housing_cases SET status = ?2, status_at = ?4, status_by = ?3, "
	        "updated_at = ?4 WHERE id = ?1 AND status NOT IN ('draft', 'closed')",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	store_bind_text(st, 2, status, 0);
	store_bind_text(st, 3, staff_id, 0);
	sqlite3_bind_int64(st, 4, now);
	r = store_step_done(st);
	sqlite3_finalize(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -EALREADY;
	return r;
}

int
store_housing_message_add(struct store *s, const struct store_housing_message *m, int64_t *ret_id)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "INSERT INTO housing_messages (case_id, author, staff_id, status, body, "
	        "created_at) VALUES (?, ?, ?, ?, ?, ?)",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, m->case_id);
	store_bind_text(st, 2, m->author, 0);
	store_bind_text(st, 3, m->staff_id, 0);
	store_bind_text(st, 4, m->status, 0);
	store_bind_text(st, 5, m->body, 0);
	sqlite3_bind_int64(st, 6, m->created_at);
	r = store_step_done(st);
	sqlite3_finalize(st);
	if (r == 0) {
		/* The case shows activity, for staff lists ordered by it. */
		if (store_prepare_uncached(s,
		                           "UPDATE housing_cases SET updated_at = ?2 WHERE id = ?1",
		                           &st) == 0) {
			sqlite3_bind_int64(st, 1, m->case_id);
			sqlite3_bind_int64(st, 2, m->created_at);
			r = store_step_done(st);
			sqlite3_finalize(st);
		}
	}
	if (r == 0 && ret_id)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return r;
}

int
store_housing_message_count(struct store *s, int64_t case_id, int64_t *ret_count)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s, "SELECT count(*) FROM housing_messages WHERE case_id = ?",
	                               &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	r = store_step_row(st);
	if (r == 1) {
		*ret_count = sqlite3_column_int64(st, 0);
		r = 0;
	} else if (r == 0) {
		r = -EIO;
	}
	sqlite3_finalize(st);
	return r;
}

static int
row_to_message(sqlite3_stmt *st, struct store_housing_message *m)
{
	int r = 0;

	m->id = sqlite3_column_int64(st, 0);
	m->case_id = sqlite3_column_int64(st, 1);
	r = r ?: store_column_text(st, 2, m->author, sizeof(m->author));
	r = r ?: store_column_text(st, 3, m->staff_id, sizeof(m->staff_id));
	r = r ?: store_column_text(st, 4, m->status, sizeof(m->status));
	r = r ?: store_column_text(st, 5, m->body, sizeof(m->body));
	m->created_at = sqlite3_column_int64(st, 6);
	return r;
}

int
store_housing_messages(struct store *s, int64_t case_id,
                       int (*fn)(const struct store_housing_message *m, void *userdata),
                       void *userdata)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "SELECT id, case_id, author, staff_id, status, body, created_at FROM "
	        "(SELECT * FROM housing_messages WHERE case_id = ?1 ORDER BY id DESC "
	        "LIMIT ?2) ORDER BY id",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int(st, 2, HOUSING_THREAD_MAX);
	while ((r = store_step_row(st)) == 1) {
		struct store_housing_message m;

		r = row_to_message(st, &m);
		if (r == 0)
			r = fn(&m, userdata);
		if (r < 0)
			break;
	}
	sqlite3_finalize(st);
	return r;
}

int
store_housing_list(struct store *s, const char *establishment, const char *status, int64_t before,
                   int limit, int (*fn)(const struct store_housing_case *c, void *userdata),
                   void *userdata)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "SELECT " CASE_COLUMNS " FROM housing_cases c JOIN people p "
	        "ON p.id = c.person_id WHERE (?1 IS NULL OR p.establishment = ?1) "
	        "AND ((?2 IS NULL AND c.status != 'draft') OR c.status = ?2) "
	        "AND (?3 = 0 OR c.id < ?3) ORDER BY c.id DESC LIMIT ?4",
	        &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, establishment, 1);
	store_bind_text(st, 2, status, 1);
	sqlite3_bind_int64(st, 3, before);
	sqlite3_bind_int(st, 4, limit);
	while ((r = store_step_row(st)) == 1) {
		struct store_housing_case c;

		r = row_to_case(st, &c);
		if (r == 0)
			r = fn(&c, userdata);
		if (r < 0)
			break;
	}
	sqlite3_finalize(st);
	return r;
}

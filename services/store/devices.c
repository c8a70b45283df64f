/*
 * Tablets and enrolment codes (see devices.h).
 */
#include "devices.h"
#include "store_int.h"

#include <errno.h>
#include <stdio.h>

#define DEVICE_COLUMNS                                                                             \
	"id, name, fingerprint, public_key, serial, enrolled_at, enrolled_by, last_seen, "         \
	"software, revoked_at, revoked_by, revoked_reason"

static int
row_to_device(sqlite3_stmt *st, void *ret)
{
	struct store_device *d = ret;
	int r = 0;

	r = r ?: store_column_text(st, 0, d->id, sizeof(d->id));
	r = r ?: store_column_text(st, 1, d->name, sizeof(d->name));
	r = r ?: store_column_text(st, 2, d->fingerprint, sizeof(d->fingerprint));
	r = r ?: store_column_text(st, 3, d->public_key, sizeof(d->public_key));
	r = r ?: store_column_text(st, 4, d->serial, sizeof(d->serial));
	d->enrolled_at = sqlite3_column_int64(st, 5);
	r = r ?: store_column_text(st, 6, d->enrolled_by, sizeof(d->enrolled_by));
	d->last_seen = sqlite3_column_int64(st, 7);
	r = r ?: store_column_text(st, 8, d->software, sizeof(d->software));
	d->revoked_at = sqlite3_column_int64(st, 9);
	r = r ?: store_column_text(st, 10, d->revoked_by, sizeof(d->revoked_by));
	r = r ?: store_column_text(st, 11, d->revoked_reason, sizeof(d->revoked_reason));
	return r;
}

int
store_device_next_id(struct store *s, char *ret_id, size_t size)
{
	sqlite3_stmt *st;
	int64_t count = 0;
	int r = store_prepare(s, "SELECT count(*) FROM devices", &st);

	/* Devices are never deleted, so one more than the count is a new id. */
	if (r == 0)
		r = store_fetch_int64(st, &count);
	if (r == 0 && snprintf(ret_id, size, "T%04lld", (long long)count + 1) >= (int)size)
		r = -EOVERFLOW;
	return r;
}

int
store_device_insert(struct store *s, const struct store_device *d)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "INSERT INTO devices (" DEVICE_COLUMNS
	                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, d->id, 0);
	store_bind_text(st, 2, d->name, 0);
	store_bind_text(st, 3, d->fingerprint, 0);
	store_bind_text(st, 4, d->public_key, 0);
	store_bind_text(st, 5, d->serial, 0);
	sqlite3_bind_int64(st, 6, d->enrolled_at);
	store_bind_text(st, 7, d->enrolled_by, 0);
	sqlite3_bind_int64(st, 8, d->last_seen);
	store_bind_text(st, 9, d->software, 0);
	sqlite3_bind_int64(st, 10, d->revoked_at);
	store_bind_text(st, 11, d->revoked_by, 0);
	store_bind_text(st, 12, d->revoked_reason, 0);
	return store_step_done(st);
}

int
store_device_get(struct store *s, const char *id, struct store_device *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, id, 0);
	return store_fetch_one(st, row_to_device, ret);
}

int
store_device_find(struct store *s, const char *fingerprint, struct store_device *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT " DEVICE_COLUMNS " FROM devices WHERE fingerprint = ?",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, fingerprint, 0);
	return store_fetch_one(st, row_to_device, ret);
}

int
store_device_list(struct store *s, const char *after, int limit,
                  int (*fn)(const struct store_device *d, void *userdata), void *userdata)
{
	sqlite3_stmt *st = NULL;
	/* "T0009" sorts before "T0010", and "T9999" before "T10000": by length first. */
	int r = store_prepare(s,
	                      "SELECT " DEVICE_COLUMNS
	                      " FROM devices WHERE length(id) > length(?1) "
	                      "OR (length(id) = length(?1) AND id > ?1) ORDER BY length(id), id "
	                      "LIMIT ?2",
	                      &st);

	if (r == 0) {
		store_bind_text(st, 1, after, 0);
		sqlite3_bind_int(st, 2, limit);
	}
	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_device d;

		r = row_to_device(st, &d);
		if (r == 0)
			r = fn(&d, userdata);
	}
	if (r < 0 && st)
		sqlite3_reset(st);
	return r;
}

int
store_device_seen(struct store *s, const char *id, int64_t now, const char *software)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "UPDATE devices SET last_seen = ?, software = ? WHERE id = ?",
	                      &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, now);
	store_bind_text(st, 2, software, 0);
	store_bind_text(st, 3, id, 0);
	r = store_step_done(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ENOENT;
	return r;
}

int
store_device_revoke(struct store *s, const char *id, int64_t now, const char *by,
                    const char *reason)
{
	struct store_device d;
	sqlite3_stmt *st;
	int r = store_device_get(s, id, &d);

	if (r < 0)
		return r;
	if (d.revoked_at)
		return -EALREADY;
	r = store_prepare(s,
	                  "UPDATE devices SET revoked_at = ?, revoked_by = ?, revoked_reason = ? "
	                  "WHERE id = ? AND revoked_at = 0",
	                  &st);
	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, now);
	store_bind_text(st, 2, by, 0);
	store_bind_text(st, 3, reason, 0);
	store_bind_text(st, 4, id, 0);
	return store_step_done(st);
}

int
store_enrolment_code_add(struct store *s, const char *hash, const char *created_by,
                         int64_t created_at, int64_t expires_at)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "INSERT INTO enrolment_codes (hash, created_by, created_at, "
	                      "expires_at) VALUES (?, ?, ?, ?)",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, hash, 0);
	store_bind_text(st, 2, created_by, 0);
	sqlite3_bind_int64(st, 3, created_at);
	sqlite3_bind_int64(st, 4, expires_at);
	return store_step_done(st);
}

int
store_enrolment_code_use(struct store *s, const char *hash, int64_t now, char *ret_created_by,
                         size_t size)
{
	char by[STORE_ACTOR_MAX + 1];
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "UPDATE enrolment_codes SET used_at = ? "
	                      "WHERE hash = ? AND used_at = 0 AND expires_at > ?",
	                      &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, now);
	store_bind_text(st, 2, hash, 0);
	sqlite3_bind_int64(st, 3, now);
	r = store_step_done(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ENOENT;
	if (r < 0 || !ret_created_by)
		return r;
	r = store_prepare(s, "SELECT created_by FROM enrolment_codes WHERE hash = ?", &st);
	if (r < 0)
		return r;
	store_bind_text(st, 1, hash, 0);
	r = store_fetch_text(st, by, sizeof(by));
	if (r == 0 && snprintf(ret_created_by, size, "%s", by) >= (int)size)
		r = -EOVERFLOW;
	return r;
}

int
store_enrolment_code_prune(struct store *s, int64_t before)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "DELETE FROM enrolment_codes WHERE expires_at < ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, before);
	return store_step_done(st);
}

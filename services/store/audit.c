/*
 * The audit chain: every staff action and every decision, appended in order, each row
 * carrying the SHA-256 of the row before it and its own hash over its contents. The head
 * (last sequence number and hash) is kept in meta, so removing rows from the end is found
 * as surely as editing, removing or reordering rows in the middle.
 */
#include "store_int.h"

#include "crypto.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define AUDIT_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_COLUMNS "seq, at, actor, subject, action, outcome, detail, prev_hash, hash"
#define AUDIT_HASH_INPUT_MAX (STORE_DETAIL_MAX + 1024)

/* Appends one length-prefixed field, so no choice of field contents can collide. */
static size_t
put_field(char *buf, size_t used, const char *field)
{
	size_t n = strlen(field);
	int w = snprintf(buf + used, AUDIT_HASH_INPUT_MAX - used, "%zu:", n);

	if (w < 0 || (size_t)w + n >= AUDIT_HASH_INPUT_MAX - used)
		return AUDIT_HASH_INPUT_MAX;
	memcpy(buf + used + w, field, n);
	return used + (size_t)w + n;
}

/* The row's hash, over the previous hash and every field of the row. */
static int
audit_row_hash(const struct store_audit_row *row, char ret_hex[65])
{
	char buf[AUDIT_HASH_INPUT_MAX], num[24];
	uint8_t digest[CRYPTO_SHA256_LEN];
	size_t used = 0;
	int r;

	used = put_field(buf, used, row->prev_hash);
	snprintf(num, sizeof(num), "%" PRId64, row->seq);
	used = put_field(buf, used, num);
	snprintf(num, sizeof(num), "%" PRId64, row->at);
	used = put_field(buf, used, num);
	used = put_field(buf, used, row->actor);
	used = put_field(buf, used, row->subject);
	used = put_field(buf, used, row->action);
	used = put_field(buf, used, row->outcome);
	used = put_field(buf, used, row->detail);
	if (used >= AUDIT_HASH_INPUT_MAX)
		return -E2BIG;
	r = crypto_sha256(buf, used, digest);
	if (r < 0)
		return r;
	crypto_hex_encode(digest, sizeof(digest), ret_hex);
	return 0;
}

static int
row_to_audit(sqlite3_stmt *st, void *ret)
{
	struct store_audit_row *row = ret;
	int r = 0;

	row->seq = sqlite3_column_int64(st, 0);
	row->at = sqlite3_column_int64(st, 1);
	r = r ?: store_column_text(st, 2, row->actor, sizeof(row->actor));
	r = r ?: store_column_text(st, 3, row->subject, sizeof(row->subject));
	r = r ?: store_column_text(st, 4, row->action, sizeof(row->action));
	r = r ?: store_column_text(st, 5, row->outcome, sizeof(row->outcome));
	r = r ?: store_column_text(st, 6, row->detail, sizeof(row->detail));
	r = r ?: store_column_text(st, 7, row->prev_hash, sizeof(row->prev_hash));
	r = r ?: store_column_text(st, 8, row->hash, sizeof(row->hash));
	return r;
}

struct audit_head {
	int64_t seq;
	char hash[65];
};

static int
row_to_head(sqlite3_stmt *st, void *ret)
{
	struct audit_head *head = ret;

	head->seq = sqlite3_column_int64(st, 0);
	return store_column_text(st, 1, head->hash, sizeof(head->hash));
}

/* The recorded head of the chain; seq 0 and the zero hash when it is empty. */
static int
audit_recorded_head(struct store *s, struct audit_head *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "SELECT CAST(substr(value, 1, instr(value, ' ') - 1) AS INTEGER), "
	                      "substr(value, instr(value, ' ') + 1) FROM meta WHERE key = "
	                      "'audit_head'",
	                      &st);

	if (r < 0)
		return r;
	r = store_fetch_one(st, row_to_head, ret);
	if (r == -ENOENT) {
		ret->seq = 0;
		strcpy(ret->hash, AUDIT_ZERO_HASH);
		r = 0;
	}
	return r;
}

static int
audit_append_locked(struct store *s, struct store_audit_row *row)
{
	struct audit_head head;
	sqlite3_stmt *st;
	char value[96];
	int r;

	r = audit_recorded_head(s, &head);
	if (r < 0)
		return r;
	row->seq = head.seq + 1;
	memcpy(row->prev_hash, head.hash, sizeof(row->prev_hash));
	r = audit_row_hash(row, row->hash);
	if (r < 0)
		return r;
	r = store_prepare(
	        s, "INSERT INTO audit (" AUDIT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, row->seq);
	sqlite3_bind_int64(st, 2, row->at);
	store_bind_text(st, 3, row->actor, 0);
	store_bind_text(st, 4, row->subject, 0);
	store_bind_text(st, 5, row->action, 0);
	store_bind_text(st, 6, row->outcome, 0);
	store_bind_text(st, 7, row->detail, 0);
	store_bind_text(st, 8, row->prev_hash, 0);
	store_bind_text(st, 9, row->hash, 0);
	r = store_step_done(st);
	if (r < 0)
		return r;
	r = store_prepare(s, "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)",
	                  &st);
	if (r < 0)
		return r;
	snprintf(value, sizeof(value), "%" PRId64 " %s", row->seq, row->hash);
	store_bind_text(st, 1, value, 0);
	return store_step_done(st);
}

/* Copies src into a fixed field, refusing (rather than cutting) what does not fit. */
static int
copy_field(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		return -E2BIG;
	memcpy(dst, src, n + 1);
	return 0;
}

int
store_audit_append(struct store *s, int64_t at, const char *actor, const char *subject,
                   const char *action, const char *outcome, const char *detail_json,
                   int64_t *ret_seq)
{
	struct store_audit_row row = {.at = at};
	bool own_transaction = sqlite3_get_autocommit(s->db) != 0;
	int r = 0;

	r = r ?: copy_field(row.actor, sizeof(row.actor), actor);
	r = r ?: copy_field(row.subject, sizeof(row.subject), subject ? subject : "");
	r = r ?: copy_field(row.action, sizeof(row.action), action);
	r = r ?: copy_field(row.outcome, sizeof(row.outcome), outcome);
	r = r ?: copy_field(row.detail, sizeof(row.detail), detail_json ? detail_json : "{}");
	if (r < 0)
		return r;
	if (own_transaction) {
		r = store_begin(s);
		if (r < 0)
			return r;
	}
	r = audit_append_locked(s, &row);
	if (own_transaction) {
		if (r == 0)
			r = store_commit(s);
		else
			store_rollback(s);
	}
	if (r == 0 && ret_seq)
		*ret_seq = row.seq;
	return r;
}

int
store_audit_list(struct store *s, const struct store_audit_filter *f,
                 int (*fn)(const struct store_audit_row *row, void *userdata), void *userdata)
{
	sqlite3_stmt *st = NULL;
	int r;

	if (f->limit < 1 || f->limit > 1000)
		return -EINVAL;
	r = store_prepare(s,
	                  "SELECT " AUDIT_COLUMNS " FROM audit WHERE seq > ?1 "
	                  "AND (?2 IS NULL OR subject = ?2) AND (?3 IS NULL OR actor = ?3) "
	                  "ORDER BY seq LIMIT ?4",
	                  &st);
	if (r == 0) {
		sqlite3_bind_int64(st, 1, f->after_seq);
		store_bind_text(st, 2, f->subject, 1);
		store_bind_text(st, 3, f->actor, 1);
		sqlite3_bind_int(st, 4, f->limit);
	}
	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_audit_row row;

		r = row_to_audit(st, &row);
		if (r == 0)
			r = fn(&row, userdata);
	}
	if (r < 0 && st)
		sqlite3_reset(st);
	return r;
}

int
store_audit_verify(struct store *s, struct store_audit_report *ret)
{
	struct store_audit_report report = {STORE_AUDIT_OK, 0, 0};
	struct audit_head head;
	char expected_prev[65] = AUDIT_ZERO_HASH;
	sqlite3_stmt *st = NULL;
	int r;

	r = audit_recorded_head(s, &head);
	if (r < 0)
		return r;
	r = store_prepare(s, "SELECT " AUDIT_COLUMNS " FROM audit ORDER BY seq", &st);
	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_audit_row row;
		char hash[65];

		r = row_to_audit(st, &row);
		if (r == 0)
			r = audit_row_hash(&row, hash);
		if (r < 0)
			break;
		if (row.seq != report.rows + 1) {
			report.problem = STORE_AUDIT_GAP;
			report.bad_seq = report.rows + 1;
		} else if (strcmp(row.prev_hash, expected_prev) != 0) {
			report.problem = STORE_AUDIT_BROKEN_LINK;
			report.bad_seq = row.seq;
		} else if (strcmp(hash, row.hash) != 0) {
			report.problem = STORE_AUDIT_ALTERED;
			report.bad_seq = row.seq;
		}
		if (report.problem != STORE_AUDIT_OK) {
			sqlite3_reset(st);
			r = 0;
			break;
		}
		report.rows++;
		memcpy(expected_prev, row.hash, sizeof(expected_prev));
	}
	if (r < 0) {
		sqlite3_reset(st);
		return r;
	}
	if (report.problem == STORE_AUDIT_OK &&
	    (head.seq != report.rows || strcmp(head.hash, expected_prev) != 0)) {
		report.problem = STORE_AUDIT_TRUNCATED;
		report.bad_seq = report.rows;
	}
	*ret = report;
	return 0;
}

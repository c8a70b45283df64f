/*
 * Opening the store and the plumbing every table file shares: keying SQLCipher with a raw
 * key, checking the key works, WAL and full synchronous writes, the statement cache, and
 * the one place where SQLite result codes become our errno values.
 */
#include "store_int.h"

#include "crypto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
store_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_CONSTRAINT:
		return -EEXIST;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return -EBADMSG;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	case SQLITE_PERM:
	case SQLITE_READONLY:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_TOOBIG:
		return -E2BIG;
	default:
		return -EIO;
	}
}

int
store_exec(struct store *s, const char *sql)
{
	return store_errno(sqlite3_exec(s->db, sql, NULL, NULL, NULL));
}

int
store_prepare(struct store *s, const char *sql, sqlite3_stmt **ret)
{
	struct store_stmt_slot *free_slot = NULL;
	sqlite3_stmt *st;
	int rc;

	for (int i = 0; i < STORE_STMT_CACHE; i++) {
		struct store_stmt_slot *slot = &s->cache[i];

		if (slot->sql == sql) {
			sqlite3_reset(slot->stmt);
			sqlite3_clear_bindings(slot->stmt);
			*ret = slot->stmt;
			return 0;
		}
		if (!slot->sql && !free_slot)
			free_slot = slot;
	}
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_errno(rc);
	if (!free_slot) {
		/* The cache is sized for every statement in the code; running out is a bug. */
		sqlite3_finalize(st);
		return -ENOSPC;
	}
	free_slot->sql = sql;
	free_slot->stmt = st;
	*ret = st;
	return 0;
}

int
store_step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_errno(rc == SQLITE_ROW ? SQLITE_ERROR : rc);
}

int
store_step_row(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

int
store_prepare_uncached(struct store *s, const char *sql, sqlite3_stmt **ret)
{
	int rc = sqlite3_prepare_v2(s->db, sql, -1, ret, NULL);

	if (rc != SQLITE_OK) {
		*ret = NULL;
		return store_errno(rc);
	}
	return 0;
}

int
store_fetch_one(sqlite3_stmt *st, int (*row)(sqlite3_stmt *st, void *ret), void *ret)
{
	int r = store_step_row(st);

	if (r == 1)
		r = row(st, ret);
	else if (r == 0)
		r = -ENOENT;
	sqlite3_reset(st);
	return r;
}

struct text_out {
	char *buf;
	size_t size;
};

static int
row_to_text(sqlite3_stmt *st, void *ret)
{
	struct text_out *out = ret;

	return store_column_text(st, 0, out->buf, out->size);
}

int
store_fetch_text(sqlite3_stmt *st, char *buf, size_t size)
{
	struct text_out out = {buf, size};

	return store_fetch_one(st, row_to_text, &out);
}

static int
row_to_int64(sqlite3_stmt *st, void *ret)
{
	*(int64_t *)ret = sqlite3_column_int64(st, 0);
	return 0;
}

int
store_fetch_int64(sqlite3_stmt *st, int64_t *ret)
{
	return store_fetch_one(st, row_to_int64, ret);
}

int
store_column_text(sqlite3_stmt *st, int col, char *buf, size_t size)
{
	const unsigned char *text = sqlite3_column_text(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);

	if (!text) {
		buf[0] = '\0';
		return 0;
	}
	if (n >= size)
		return -EOVERFLOW;
	memcpy(buf, text, n);
	buf[n] = '\0';
	return 0;
}

int
store_bind_text(sqlite3_stmt *st, int idx, const char *text, int empty_is_null)
{
	if (!text || (empty_is_null && !text[0]))
		return store_errno(sqlite3_bind_null(st, idx));
	return store_errno(sqlite3_bind_text(st, idx, text, -1, SQLITE_TRANSIENT));
}

const char *
store_last_error(struct store *s)
{
	return s && s->db ? sqlite3_errmsg(s->db) : "no database";
}

int
store_begin(struct store *s)
{
	int r;

	if (s->in_transaction)
		return -EBUSY;
	r = store_exec(s, "BEGIN IMMEDIATE");
	if (r == 0)
		s->in_transaction = 1;
	return r;
}

int
store_commit(struct store *s)
{
	int r = store_exec(s, "COMMIT");

	if (r < 0) {
		store_rollback(s);
		return r;
	}
	s->in_transaction = 0;
	return 0;
}

void
store_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		(void)store_exec(s, "ROLLBACK");
	s->in_transaction = 0;
}

int
store_derive_key(const uint8_t secret[32], uint8_t ret_key[STORE_KEY_LEN])
{
	static const char salt[] = "onward.store.v1";

	return crypto_hkdf_sha256(secret, 32, salt, sizeof(salt) - 1, "SQLCipher raw key", ret_key,
	                          STORE_KEY_LEN);
}

/* Keys the connection and proves the key opens the file by reading its schema. */
static int
store_key(struct store *s, const uint8_t key[STORE_KEY_LEN])
{
	char hex[2 * STORE_KEY_LEN + 1], pragma[2 * STORE_KEY_LEN + 32];
	int r;

	crypto_hex_encode(key, STORE_KEY_LEN, hex);
	snprintf(pragma, sizeof(pragma), "PRAGMA key = \"x'%s'\"", hex);
	r = store_exec(s, pragma);
	crypto_wipe(pragma, sizeof(pragma));
	crypto_wipe(hex, sizeof(hex));
	if (r < 0)
		return r;
	r = store_exec(s, "SELECT count(*) FROM sqlite_master");
	/* A wrong key reads as garbage, which SQLite reports as "not a database". */
	return r == -EIO ? -EBADMSG : r;
}

static int
store_open_internal(const char *path, const uint8_t key[STORE_KEY_LEN], int version,
                    struct store **ret)
{
	struct store *s;
	int r, rc;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	rc = sqlite3_open_v2(path, &s->db,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                     NULL);
	if (rc != SQLITE_OK) {
		r = store_errno(rc);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	r = store_key(s, key);
	if (r < 0)
		goto fail;
	/* WAL keeps readers off the writer's back; FULL makes every commit durable. */
	r = store_exec(s, "PRAGMA journal_mode = WAL");
	if (r == 0)
		r = store_exec(s, "PRAGMA synchronous = FULL");
	if (r == 0)
		r = store_exec(s, "PRAGMA foreign_keys = ON");
	if (r == 0)
		r = store_exec(s, "PRAGMA busy_timeout = 5000");
	if (r < 0)
		goto fail;
	r = store_migrate(s, version);
	if (r < 0)
		goto fail;
	*ret = s;
	return 0;
fail:
	store_free(s);
	return r;
}

int
store_open(const char *path, const uint8_t key[STORE_KEY_LEN], struct store **ret)
{
	return store_open_internal(path, key, store_schema_latest(), ret);
}

int
store_open_at_version(const char *path, const uint8_t key[STORE_KEY_LEN], int version,
                      struct store **ret)
{
	return store_open_internal(path, key, version, ret);
}

int
store_probe(const char *path, const uint8_t key[STORE_KEY_LEN], int *ret_version)
{
	struct store *s = calloc(1, sizeof(*s));
	int r, rc;

	if (!s)
		return -ENOMEM;
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	r = store_errno(rc);
	if (r == 0)
		r = store_key(s, key);
	if (r == 0)
		r = store_schema_version(s);
	if (r >= 0) {
		*ret_version = r;
		r = 0;
	}
	store_free(s);
	return r;
}

void
store_free(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < STORE_STMT_CACHE; i++)
		sqlite3_finalize(s->cache[i].stmt);
	sqlite3_close(s->db);
	free(s);
}

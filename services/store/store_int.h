/*
 * The store's internals, shared by its .c files and its tests (not by other modules).
 */
#ifndef ONWARD_STORE_INT_H
#define ONWARD_STORE_INT_H

#include "store.h"

#include <sqlite3.h>

#define STORE_STMT_CACHE 256

struct store_stmt_slot {
	const char *sql; /* borrowed: a string literal, compared by address */
	sqlite3_stmt *stmt; /* owned */
};

struct store {
	sqlite3 *db; /* owned */
	struct store_stmt_slot cache[STORE_STMT_CACHE]; /* prepared statements */
	int in_transaction; /* store_begin nesting guard */
};

/* Converts a SQLite result code into a negative errno. */
int store_errno(int rc);

/*
 * Returns a prepared statement for sql (a string literal), reset and with bindings
 * cleared, from the cache.
 */
int store_prepare(struct store *s, const char *sql, sqlite3_stmt **ret);

/* A statement prepared for this call alone (not cached); the caller finalizes it. */
int store_prepare_uncached(struct store *s, const char *sql, sqlite3_stmt **ret);

/* Runs SQL with no results (DDL, pragmas). */
int store_exec(struct store *s, const char *sql);

/* Steps a statement expected to finish without rows: 0 or a negative errno. */
int store_step_done(sqlite3_stmt *st);

/*
 * Steps a query: 1 with a row ready, 0 when done, or a negative errno. The statement is
 * reset when it returns anything but 1.
 */
int store_step_row(sqlite3_stmt *st);

/*
 * Runs a query expected to give at most one row, converting it with row(st, ret).
 * -ENOENT when there is no row (ret untouched).
 */
int store_fetch_one(sqlite3_stmt *st, int (*row)(sqlite3_stmt *st, void *ret), void *ret);

/* One row's first column as text into buf (-ENOENT when no row, -EOVERFLOW if too long). */
int store_fetch_text(sqlite3_stmt *st, char *buf, size_t size);

/* One row's first column as an integer (-ENOENT when no row). */
int store_fetch_int64(sqlite3_stmt *st, int64_t *ret);

/* Copies a text column into buf; -EOVERFLOW if it does not fit (so nothing is cut short). */
int store_column_text(sqlite3_stmt *st, int col, char *buf, size_t size);

/* Binds text, or NULL for an empty string when empty_is_null. */
int store_bind_text(sqlite3_stmt *st, int idx, const char *text, int empty_is_null);

/* Migrations (migrations.c). */
int store_migrate(struct store *s, int target_version);

/* Opens without migrating past target_version: for the upgrade tests only. */
int store_open_at_version(const char *path, const uint8_t key[STORE_KEY_LEN], int version,
                          struct store **ret);

#endif

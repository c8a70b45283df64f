/*
 * onward-parse's internals, one concern per file, in the order they run. main.c checks its
 * descriptors and options and calls confine.c, which warms up the libraries that would
 * otherwise open files later (OpenSSL's configuration, jansson's seed), sets the resource
 * limits, no new privileges, Landlock (when the kernel offers it) and the seccomp filter,
 * and refuses to go on if the filter cannot be installed. main.c then says HELLO and runs
 * serve.c: read one request (wire.h), run its kind's handler from the table in serve.c,
 * answer, close what came with it, repeat until the daemon closes the socket. packs.c holds
 * the course pack kinds, bundles.c the person bundle kinds, directory.c the services
 * directory's; probe.c (test builds only) the walls' probes.
 */
#ifndef ONWARD_PARSE_H
#define ONWARD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "wire.h"

/* Address space: a pack is read a file at a time; a record (64 MiB at most) is read whole,
 * parsed (about 180 bytes a value) and written again. */
#define PARSE_MEMORY_MAX (1ull << 30)
#define PARSE_FILES_MAX 16 /* descriptors: 0-3, the packs it keeps open, one arriving */

/* The walls, one bit each (all are built; test builds may leave some down). */
enum parse_wall {
	WALL_SECCOMP = 1u << 0, /* the system call allow-list: never optional in a package */
	WALL_LANDLOCK = 1u << 1, /* no file access at all, where the kernel offers Landlock */
	WALL_MEMORY = 1u << 2, /* the address-space limit (qemu-user cannot keep one: tests) */
};

/* What confinement achieved, for HELLO. */
struct parse_walls {
	bool seccomp;
	int landlock_abi; /* 0: Landlock not offered (or not allowed by the service manager) */
	bool no_new_privs;
	uint64_t memory_max; /* 0: not limited (sanitizer builds) */
};

/* confine.c: every step; a step that fails names itself in ret_step and returns -errno. */
int confine_all(unsigned walls, struct parse_walls *ret_walls, const char **ret_step);

/* One request being answered (serve.c). */
struct parse_call {
	uint32_t id;
	json_t *params; /* borrowed: the request's JSON object */
	int fd; /* the descriptor that came with it, or -1; a handler that keeps it sets -1 */
	uint32_t reply_max; /* PARSE_MSG_MAX, or PARSE_REPLY_LARGE_MAX for that one kind */
	bool answered;
};

/*
 * Reads the call's descriptor from its first byte, which must be a file that can seek (the
 * daemon passes regular files and memfds). At most max bytes: with prefix, the first max
 * bytes of a longer file; without, a longer file is -EFBIG and nothing is allocated. *ret
 * is malloc'd, NUL-terminated; *ret_len may be less than the size was, if the file shrank
 * meanwhile.
 */
int parse_read_fd(struct parse_call *call, size_t max, bool prefix, char **ret, size_t *ret_len);

/* Each sends exactly one answer per call; the raw bytes of a reply may be NULL. */
void parse_reply(struct parse_call *call, json_t *json, const void *raw, size_t raw_len);
void parse_fail(struct parse_call *call, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
void parse_progress(struct parse_call *call, uint64_t done, uint64_t total);

/* The kinds of request, each a handler that answers the call. */
struct parse_kind {
	const char *name; /* "pack.page" */
	bool needs_fd;
	void (*handler)(struct parse_call *call);
};
extern const struct parse_kind pack_kinds[]; /* packs.c, ended by a NULL name */
extern const struct parse_kind bundle_kinds[]; /* bundles.c */
extern const struct parse_kind directory_kinds[]; /* directory.c */

/* serve.c: answers requests on fd until it closes (0) or breaks the framing (-errno). */
int serve_run(int fd);
/* Sends the one HELLO. */
int serve_hello(int fd, const struct parse_walls *walls);

#ifdef ONWARD_TEST_HOOKS
/*
 * TEST BUILDS ONLY (probe.c). probe_kinds: "test.probe" tries one thing the walls forbid.
 * parse_test_fault: ONWARD_TEST_PARSE_FAULT ("abort:WORD", "hang:WORD" or "lie:WORD") is
 * acted on when a handler reaches WORD (a course id at the end of a check, or a file name),
 * so the tests can crash, stall or corrupt a child on purpose. Packages have none of it.
 */
extern const struct parse_kind probe_kinds[];
void parse_test_fault(const char *word);
/* "lie:WORD": answers the call with a reply of the wrong shape (true when it did). */
bool parse_test_lie(struct parse_call *call, const char *word);
/* Whether the hook says "lie:WORD", for a handler that lies in its own way. */
bool parse_test_lying(const char *word);
/* "refuse:walls": acts as if a wall could not be built (the daemon must not start). */
bool parse_test_refuse(void);
#else
static inline bool
parse_test_refuse(void)
{
	return false;
}

static inline void
parse_test_fault(const char *word)
{
	(void)word;
}

static inline bool
parse_test_lie(struct parse_call *call, const char *word)
{
	(void)call;
	(void)word;
	return false;
}

static inline bool
parse_test_lying(const char *word)
{
	(void)word;
	return false;
}
#endif

#endif

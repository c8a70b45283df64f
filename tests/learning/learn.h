/*
 * What the learning tests share: a real daemon for establishment MDI with staff, Sam Jones
 * (A1234BC) and the learning app registered; a content root and a provider whose
 * certificate is valid around now (the pack tests' fixture builds the packs, so each bad
 * pack is bad in exactly one way and still signed); and a channel for the learning app,
 * made the way the shell makes one (App.Open, the descriptor passed back).
 */
#ifndef ONWARD_TEST_LEARN_H
#define ONWARD_TEST_LEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "daemon.h"
#include "fixture.h"

#define LEARN_DAY 86400

struct learn {
	struct test_daemon d;
	struct fx fx; /* keys, a certificate valid now, the test course's files */
	int64_t now;
	char root_pub[300]; /* the content root's public key file */
	char app_path[200]; /* the registered learning app's program (a copy of /bin/true) */
	char pin[16]; /* Sam's one-time PIN */
};

/* Makes and starts the daemon, seeds it, trusts the root (unless no_root), adds Sam. */
void learn_setup(struct learn *l, bool trust_root);
void learn_teardown(struct learn *l);

/* Replaces the provider certificate with one valid from now+from_days to now+to_days. */
void learn_certify(struct learn *l, int from_days, int to_days);

/* Writes data to fx.dir/name and returns its path (static storage, one at a time). */
const char *learn_write(struct learn *l, const char *name, const void *data, size_t len);

/* Builds the fixture course with course.json `course` (NULL: the fixture's) and writes it. */
const char *learn_pack_file(struct learn *l, const char *name, const char *course);

/* onward.Course.Install of path as staff `as`; the reply is the caller's to release. */
void learn_install(struct learn *l, const char *as, const char *path, struct client_reply *ret);
/* The same, expected to succeed; returns the installed course's version. */
void learn_install_ok(struct learn *l, const char *path);

/* The number of entries in the state directory's courses/ folder (0 when there is none). */
size_t learn_course_files(struct learn *l);

/* Logs prison_number in on a new control connection and opens `app`; the channel. */
struct client *learn_channel(struct learn *l, const char *prison_number, const char *pin,
                             const char *app, struct client **ret_control);

/* One call that must succeed; returns its parameters (the caller's). params stolen. */
#define learn_ok(c, method, params) learn_ok_at(__FILE__, __LINE__, c, method, params)
json_t *learn_ok_at(const char *file, int line, struct client *c, const char *method,
                    json_t *params);
/* One call that must fail with error and exactly message. params stolen. */
#define learn_fails(c, method, params, error, message)                                             \
	learn_fails_at(__FILE__, __LINE__, c, method, params, error, message)
void learn_fails_at(const char *file, int line, struct client *c, const char *method,
                    json_t *params, const char *error, const char *message);

#endif

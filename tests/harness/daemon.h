/*
 * A real onward-policyd for a test: its own temporary state directory, started as a child
 * process, reached over its real sockets with the client library. Nothing is mocked.
 */
#ifndef ONWARD_TEST_DAEMON_H
#define ONWARD_TEST_DAEMON_H

#include <stdbool.h>
#include <sys/types.h>

#include <jansson.h>

#include "client.h"
#include "run.h"

struct test_daemon {
	char dir[128]; /* the state directory */
	char log[160]; /* the daemon's standard error */
	pid_t pid; /* 0 when not running */
};

/*
 * Makes a fresh state directory; config_json (may be NULL) becomes policyd.json. The
 * default test configuration uses a cheap PIN hash and a 2-second first lockout.
 */
void daemon_make(struct test_daemon *d, const char *config_json);

/* Starts the daemon and waits until it answers on admin.sock; fails the test otherwise. */
void daemon_start(struct test_daemon *d);

/* Runs the daemon expecting it to refuse to start; returns its exit status and stderr. */
int daemon_start_refused(struct test_daemon *d, char *ret_err, size_t size);

/* SIGTERM, and checks that it exits 0 (under ASan this is also the leak check). */
void daemon_stop(struct test_daemon *d);

/* SIGKILL, without waiting for anything to be written. */
void daemon_kill(struct test_daemon *d);

/* Stops it if running and removes the state directory. */
void daemon_remove(struct test_daemon *d);

struct client *daemon_connect_admin(struct test_daemon *d);
struct client *daemon_connect_control(struct test_daemon *d);

/* One call; fails the test if there is no reply. params is stolen. */
void daemon_call(struct client *c, const char *method, json_t *params, struct client_reply *ret);

/*
 * An admin call as staff "admin" that must succeed; returns the reply's parameters (the
 * caller owns them). params is stolen.
 */
json_t *daemon_admin_ok(struct test_daemon *d, const char *method, json_t *params);

/* Adds staff "admin" (administrator) and establishment MDI. */
void daemon_seed(struct test_daemon *d);

/*
 * Adds a person at MDI and logs in as them once to choose their own PIN in place of the
 * one staff were given, as a person must; writes the chosen PIN into pin (16 bytes), with
 * which they then log in straight to a session.
 */
void daemon_add_person(struct test_daemon *d, const char *number, char *pin);

/*
 * Logs in as `number` with the PIN staff issued and chooses a PIN of their own (written
 * into pin, 16 bytes), then logs out: what a person does at their first login.
 */
void daemon_choose_pin(struct test_daemon *d, const char *number, const char *issued, char *pin);

/* Runs onwardctl against d with the given arguments (NULL ended). */
void daemon_onwardctl(struct test_daemon *d, struct run_result *ret, ...);

#endif

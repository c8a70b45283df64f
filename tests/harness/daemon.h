/*
 * A real onward-policyd for a test: its own temporary state directory, started as a child
 * process, reached over its real sockets with the client library. Nothing is mocked.
 */
#ifndef ONWARD_TEST_DAEMON_H
#define ONWARD_TEST_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <jansson.h>

#include "client.h"
#include "run.h"

/*
 * Every daemon a test starts runs on a set clock (ONWARD_TEST_CLOCK, the daemon's clock.h),
 * never the machine's, so that no test depends on when it runs. Unless the test sets
 * another, the clock starts at TEST_CLOCK_DEFAULT: Wednesday 9 December 2026, 10:00 in
 * London (GMT, so London time and UTC agree). That is a weekday morning, hours away from
 * night (21:00 to 07:00), Moorland's roll check (12:00 to 13:00), the weekend and midnight,
 * with the rest of the week ahead in the same month and year. From there it runs at the
 * real rate; the daemons of one test share it. The end-to-end scripts use the same
 * instant (tests/harness/clock.sh).
 */
#define TEST_CLOCK_DEFAULT "2026-12-09T10:00:00Z"

/* A staff member the harness signed in on a daemon (staff.c). */
struct test_staff_session {
	char id[33];
	char token[65];
};

struct test_daemon {
	char dir[128]; /* the state directory */
	char log[160]; /* the daemon's standard error */
	pid_t pid; /* 0 when not running */
	/* The harness's reading of the daemon's clock: it read clock_at at clock_mono_ns
	 * (CLOCK_MONOTONIC). It keeps running while the daemon is stopped, as time passes
	 * while a tablet is off, and a daemon started again starts where it reads then. */
	int64_t clock_at;
	uint64_t clock_mono_ns;
	struct test_staff_session sessions[24]; /* staff signed in on it (staff.c) */
	int n_sessions;
};

/*
 * Makes a fresh state directory; config_json (may be NULL) becomes policyd.json. The
 * default test configuration uses a cheap PIN hash and a 2-second first lockout. The clock
 * is set to TEST_CLOCK_DEFAULT.
 */
void daemon_make(struct test_daemon *d, const char *config_json);

/* Starts the daemon and waits until it answers on admin.sock; fails the test otherwise. */
void daemon_start(struct test_daemon *d);

/* Runs the daemon expecting it to refuse to start; returns its exit status and stderr. */
int daemon_start_refused(struct test_daemon *d, char *ret_err, size_t size);

/* SIGTERM, and checks that it exits 0 (under ASan this is also the leak check). */
void daemon_stop(struct test_daemon *d);

/*
 * daemon_stop, then daemon_start with its keyless child made to fail as fault says (the
 * test hook ONWARD_TEST_PARSE_FAULT, services/parse/probe.c; NULL: not at all).
 */
void daemon_restart_faulty(struct test_daemon *d, const char *fault);

/* SIGKILL, without waiting for anything to be written. */
void daemon_kill(struct test_daemon *d);

/* Stops it if running and removes the state directory. */
void daemon_remove(struct test_daemon *d);

/* Whether the daemon's log (its standard error so far) holds needle. */
bool daemon_log_has(const struct test_daemon *d, const char *needle);

struct client *daemon_connect_admin(struct test_daemon *d);
struct client *daemon_connect_control(struct test_daemon *d);
/* gateway.sock: calls as onward-gateway makes them, each with its "via" (docs/estate.md). */
struct client *daemon_connect_gateway(struct test_daemon *d);

/*
 * One call; fails the test if there is no reply. params is stolen. An "as" parameter names
 * the staff member acting (staff.c): it is replaced by their session.
 */
void daemon_call(struct client *c, const char *method, json_t *params, struct client_reply *ret);

/* Replaces params' "as" by that staff member's session (staff.c), for calls made another
 * way (client_send, pipelined); returns params. */
json_t *daemon_sign_params(struct client *c, json_t *params);

/*
 * An admin call on d as staff member `as` (signed in for real, see daemon_call); the reply,
 * error or not, in ret. params is stolen.
 */
void daemon_call_as(struct test_daemon *d, const char *as, const char *method, json_t *params,
                    struct client_reply *ret);

/*
 * An admin call as staff "admin" (break-glass before they exist) that must succeed; returns the
 * reply's parameters (the caller owns them). params is stolen.
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

/*
 * The session of staff member `id` on d, signing them in for real first (or again, when
 * `fresh`): see staff.c. NULL when there is no such staff member.
 */
const char *daemon_staff_session(struct test_daemon *d, const char *id, bool fresh);

/* The TOTP code (6 digits) of a base32 secret at `at`, as an authenticator app makes it. */
void daemon_totp_at(const char *secret_b32, int64_t at, char ret_code[7]);

/* staff.c: which daemon a harness connection is to. */
void staff_note_connection(const struct client *c, struct test_daemon *d);
struct test_daemon *staff_connection_daemon(const struct client *c);
/* "ONWARD_SESSION_FILE=…" holding id's session, or "" when there is no such staff. */
void staff_session_file(struct test_daemon *d, const char *id, char *ret_env, size_t size);

/*
 * Runs onwardctl against d with the given arguments (NULL ended). "--as ID" among them is
 * the harness's: it becomes ID's session (ONWARD_SESSION_FILE), or --break-glass when no
 * such staff member exists yet.
 */
void daemon_onwardctl(struct test_daemon *d, struct run_result *ret, ...);
/* The same with argv made by the caller (argv[0] onwardctl's path, NULL ended; changed). */
void daemon_onwardctl_argv(struct test_daemon *d, const char **argv, struct run_result *ret);

/*
 * The daemon's clock. daemon_clock_set: from now on it reads `at` (UTC, like
 * "2026-12-09T22:00:00Z"), through onward.Test.Clock while the daemon runs, else from its
 * next start. daemon_clock_advance: it moves on by `seconds` (0 or more). Either fails the
 * test if the daemon does not take it (a build without ONWARD_TEST_HOOKS).
 */
void daemon_clock_set(struct test_daemon *d, const char *at);
void daemon_clock_advance(struct test_daemon *d, int64_t seconds);

/* Now by the daemon's clock, in Unix seconds (to within a second). */
int64_t daemon_now(const struct test_daemon *d);

/*
 * The daemon's time `seconds` from now, broken down in London time (what staff type and
 * people see), whatever the test's own TZ is.
 */
void daemon_london(const struct test_daemon *d, int64_t seconds, struct tm *ret);

/* Parses "YYYY-MM-DDTHH:MM:SSZ" into Unix seconds; fails the test if it is not one. */
int64_t daemon_clock_parse(const char *at);

#endif

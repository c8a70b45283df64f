/*
 * The test daemon (see daemon.h). Its standard error goes to a log file in the state
 * directory, printed when something goes wrong, so a failing test shows the daemon's view.
 * Its clock is set (ONWARD_TEST_CLOCK at each start, onward.Test.Clock while it runs) and
 * followed here, so a test knows what time the daemon thinks it is.
 */
#include "daemon.h"

#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_CONFIG "{\"scrypt_log_n\": 10, \"lockout_seconds\": 2}"
#define CALL_TIMEOUT_MS 20000
#define CLOCK_TEXT_SIZE 32

extern char **environ;

static uint64_t first_made_ns; /* when the test made its first daemon (CLOCK_MONOTONIC) */

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
clock_text(int64_t t, char *buf)
{
	time_t tt = (time_t)t;
	struct tm tm;

	CHECK(gmtime_r(&tt, &tm) != NULL);
	CHECK(strftime(buf, CLOCK_TEXT_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm) == 20);
}

int64_t
daemon_clock_parse(const char *at)
{
	struct tm tm = {0};
	const char *end = at ? strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;

	if (!end || *end || strlen(at) != 20)
		check_failed(__FILE__, __LINE__, "\"%s\" is not a time like 2026-12-09T10:00:00Z",
		             at ? at : "(null)");
	return (int64_t)timegm(&tm);
}

int64_t
daemon_now(const struct test_daemon *d)
{
	return d->clock_at + (int64_t)((mono_ns() - d->clock_mono_ns) / 1000000000u);
}

/* From now on the harness reads `at`, and the clock runs on from there. */
static void
clock_follow(struct test_daemon *d, int64_t at)
{
	d->clock_at = at;
	d->clock_mono_ns = mono_ns();
}

/* onward.Test.Clock on the running daemon; the harness follows the time it replies. */
static void
clock_call(struct test_daemon *d, json_t *params)
{
	struct client *c = daemon_connect_admin(d);
	struct client_reply r;
	const char *now;

	daemon_call(c, "onward.Test.Clock", params, &r);
	client_free(c);
	if (r.error)
		check_failed(
		        __FILE__, __LINE__,
		        "onward.Test.Clock: %s: %s (only builds with ONWARD_TEST_HOOKS have it)",
		        r.error, client_reply_message(&r));
	now = json_string_value(json_object_get(r.parameters, "now"));
	clock_follow(d, daemon_clock_parse(now));
	client_reply_release(&r);
}

void
daemon_clock_set(struct test_daemon *d, const char *at)
{
	int64_t t = daemon_clock_parse(at);

	if (d->pid > 0) {
		clock_call(d, json_pack("{s:s}", "at", at));
		/* It replies with its reading just after: the same second, or the next. */
		CHECK(d->clock_at == t || d->clock_at == t + 1);
	} else {
		clock_follow(d, t);
	}
}

void
daemon_clock_advance(struct test_daemon *d, int64_t seconds)
{
	int64_t want = daemon_now(d) + seconds;

	CHECK(seconds >= 0);
	if (d->pid > 0) {
		clock_call(d, json_pack("{s:I}", "advance", (json_int_t)seconds));
		CHECK(d->clock_at >= want - 1 && d->clock_at <= want + 1);
	} else {
		clock_follow(d, want);
	}
}

void
daemon_london(const struct test_daemon *d, int64_t seconds, struct tm *ret)
{
	const char *tz = getenv("TZ");
	char *saved = tz ? strdup(tz) : NULL;
	time_t t = (time_t)(daemon_now(d) + seconds);

	CHECK(!tz || saved);
	setenv("TZ", "Europe/London", 1);
	tzset();
	CHECK(localtime_r(&t, ret) != NULL);
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

static void
print_log(const struct test_daemon *d)
{
	char buf[4096];
	FILE *f = fopen(d->log, "r");
	size_t n;

	if (!f)
		return;
	fprintf(stderr, "---- onward-policyd log (%s) ----\n", d->log);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stderr);
	fprintf(stderr, "---- end of log ----\n");
	fclose(f);
}

void
daemon_make(struct test_daemon *d, const char *config_json)
{
	char path[200];
	FILE *f;

	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "/tmp/onward-test-XXXXXX");
	CHECK(mkdtemp(d->dir) != NULL);
	snprintf(d->log, sizeof(d->log), "%s.log", d->dir);
	snprintf(path, sizeof(path), "%s/policyd.json", d->dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	fputs(config_json ? config_json : TEST_CONFIG, f);
	fclose(f);
	/*
	 * The daemons of one test share one clock, as machines that keep time do: it read
	 * TEST_CLOCK_DEFAULT when the test made its first daemon. (Started apart on clocks of
	 * their own, a daemon started later would be behind, and a bundle it sends older than
	 * the record it updates.)
	 */
	if (!first_made_ns)
		first_made_ns = mono_ns();
	d->clock_at = daemon_clock_parse(TEST_CLOCK_DEFAULT);
	d->clock_mono_ns = first_made_ns;
}

/* Daemons still running, killed if the test fails so nothing outlives it. */
static pid_t running[8];

static void
kill_running(void)
{
	for (int i = 0; i < 8; i++)
		if (running[i] > 0)
			kill(running[i], SIGKILL);
}

static void
track(pid_t pid, pid_t old)
{
	static bool registered;

	if (!registered) {
		atexit(kill_running);
		registered = true;
	}
	for (int i = 0; i < 8; i++) {
		if (running[i] == old) {
			running[i] = pid;
			return;
		}
	}
}

/*
 * The daemon's environment: the test's, with ONWARD_TEST_CLOCK saying what the clock reads
 * now (so it starts where the harness's reading is, and runs on from there). Made before
 * fork(), which a test with threads of its own needs.
 */
static char **
spawn_environ(struct test_daemon *d, char *clock_entry, size_t size)
{
	int64_t now = daemon_now(d);
	size_t n = 0, count = 0;
	char **env;

	while (environ[count])
		count++;
	env = calloc(count + 2, sizeof(*env));
	CHECK(env != NULL);
	for (size_t i = 0; i < count; i++)
		if (strncmp(environ[i], "ONWARD_TEST_CLOCK=", 18) != 0)
			env[n++] = environ[i];
	snprintf(clock_entry, size, "ONWARD_TEST_CLOCK=");
	clock_text(now, clock_entry + strlen(clock_entry));
	env[n++] = clock_entry;
	env[n] = NULL;
	/* Its clock starts at that instant, now: follow it from here. */
	clock_follow(d, now);
	return env;
}

static pid_t
spawn(struct test_daemon *d)
{
	const char *bin = run_bin("onward-policyd");
	char clock_entry[64];
	char **env = spawn_environ(d, clock_entry, sizeof(clock_entry));
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		int fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		const char *argv[] = {bin, "--state-dir", d->dir, NULL};

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execve(bin, (char *const *)(uintptr_t)argv, env);
		_exit(127);
	}
	free(env);
	return pid;
}

void
daemon_start(struct test_daemon *d)
{
	char path[200];
	struct timespec pause = {0, 10 * 1000 * 1000};

	CHECK(d->pid == 0);
	d->pid = spawn(d);
	track(d->pid, 0);
	snprintf(path, sizeof(path), "%s/admin.sock", d->dir);
	for (int i = 0; i < 1500; i++) {
		struct client *c;
		struct client_reply reply;
		int status;

		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			print_log(d);
			track(0, d->pid);
			d->pid = 0;
			check_failed(__FILE__, __LINE__, "onward-policyd exited while starting");
		}
		if (client_connect(path, &c) == 0) {
			int r = client_call(c, "onward.Service.GetInfo", NULL, CALL_TIMEOUT_MS,
			                    &reply);

			client_free(c);
			if (r == 0 && !reply.error) {
				client_reply_release(&reply);
				return;
			}
			if (r == 0)
				client_reply_release(&reply);
		}
		nanosleep(&pause, NULL);
	}
	print_log(d);
	check_failed(__FILE__, __LINE__, "onward-policyd did not become ready in 15 s");
}

int
daemon_start_refused(struct test_daemon *d, char *ret_err, size_t size)
{
	const char *argv[] = {run_bin("onward-policyd"), "--state-dir", d->dir, NULL};
	char clock_entry[64] = "ONWARD_TEST_CLOCK=";
	const char *env[] = {clock_entry, NULL};
	struct run_result r;
	int status;

	clock_text(daemon_now(d), clock_entry + strlen(clock_entry));
	run_program(argv, env, NULL, 15000, &r);
	snprintf(ret_err, size, "%s", r.err);
	status = r.status;
	run_result_release(&r);
	return status;
}

void
daemon_stop(struct test_daemon *d)
{
	int status;

	CHECK(d->pid > 0);
	CHECK(kill(d->pid, SIGTERM) == 0);
	CHECK(waitpid(d->pid, &status, 0) == d->pid);
	track(0, d->pid);
	d->pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		print_log(d);
		check_failed(__FILE__, __LINE__, "onward-policyd did not exit cleanly (status %d)",
		             status);
	}
}

void
daemon_kill(struct test_daemon *d)
{
	int status;

	CHECK(d->pid > 0);
	CHECK(kill(d->pid, SIGKILL) == 0);
	CHECK(waitpid(d->pid, &status, 0) == d->pid);
	track(0, d->pid);
	d->pid = 0;
}

void
daemon_restart_faulty(struct test_daemon *d, const char *fault)
{
	daemon_stop(d);
	if (fault)
		setenv("ONWARD_TEST_PARSE_FAULT", fault, 1);
	else
		unsetenv("ONWARD_TEST_PARSE_FAULT");
	daemon_start(d);
}

bool
daemon_log_has(const struct test_daemon *d, const char *needle)
{
	return test_file_has(d->log, needle);
}

void
daemon_remove(struct test_daemon *d)
{
	char cmd[300];

	if (d->pid > 0)
		daemon_stop(d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", d->dir, d->log);
	CHECK(system(cmd) == 0);
}

static struct client *
connect_to(struct test_daemon *d, const char *name)
{
	char path[200];
	struct client *c;
	int r;

	snprintf(path, sizeof(path), "%s/%s", d->dir, name);
	r = client_connect(path, &c);
	if (r < 0)
		check_failed(__FILE__, __LINE__, "cannot connect to %s: %s", path, strerror(-r));
	staff_note_connection(c, d);
	return c;
}

struct client *
daemon_connect_admin(struct test_daemon *d)
{
	return connect_to(d, "admin.sock");
}

struct client *
daemon_connect_control(struct test_daemon *d)
{
	return connect_to(d, "control.sock");
}

struct client *
daemon_connect_gateway(struct test_daemon *d)
{
	return connect_to(d, "gateway.sock");
}

json_t *
daemon_sign_params(struct client *c, json_t *params)
{
	const char *as = json_string_value(json_object_get(params, "as"));
	struct test_daemon *d = as ? staff_connection_daemon(c) : NULL;
	const char *token;

	if (!as)
		return params;
	if (!d)
		check_failed(__FILE__, __LINE__, "\"as\" on a connection the harness did not make");
	token = daemon_staff_session(d, as, false);
	json_object_del(params, "as");
	if (token)
		json_object_set_new(params, "staff_session", json_string(token));
	return params;
}

void
daemon_call(struct client *c, const char *method, json_t *params, struct client_reply *ret)
{
	const char *as = json_string_value(json_object_get(params, "as"));
	char id[33] = "";
	json_t *again = NULL;
	int r;

	if (as)
		snprintf(id, sizeof(id), "%s", as);
	daemon_sign_params(c, params);
	/* Only a session the harness made for "as" is made again; one the test sent is the
	 * test's to judge. */
	if (id[0] && json_object_get(params, "staff_session"))
		again = json_deep_copy(params);
	r = client_call(c, method, params, CALL_TIMEOUT_MS, ret);
	if (r == 0 && again && ret->error && strcmp(ret->error, "onward.SessionExpired") == 0) {
		/* The test moved the clock past the session's end: sign in again. */
		const char *token = daemon_staff_session(staff_connection_daemon(c), id, true);

		client_reply_release(ret);
		json_object_set_new(again, "staff_session", json_string(token ? token : ""));
		r = client_call(c, method, json_incref(again), CALL_TIMEOUT_MS, ret);
	}
	json_decref(again);
	if (r < 0)
		check_failed(__FILE__, __LINE__, "%s: no reply: %s", method, strerror(-r));
}

void
daemon_call_as(struct test_daemon *d, const char *as, const char *method, json_t *params,
               struct client_reply *ret)
{
	struct client *c = daemon_connect_admin(d);

	json_object_set_new(params, "as", json_string(as));
	daemon_call(c, method, params, ret);
	client_free(c);
}

json_t *
daemon_admin_ok(struct test_daemon *d, const char *method, json_t *params)
{
	struct client *c = daemon_connect_admin(d);
	struct client_reply reply;
	json_t *result;

	if (!params)
		params = json_object();
	json_object_set_new(params, "as", json_string("admin"));
	daemon_call(c, method, params, &reply);
	client_free(c);
	if (reply.error)
		check_failed(__FILE__, __LINE__, "%s failed: %s: %s", method, reply.error,
		             client_reply_message(&reply));
	result = json_incref(reply.parameters);
	client_reply_release(&reply);
	return result;
}

void
daemon_seed(struct test_daemon *d)
{
	json_decref(daemon_admin_ok(d, "onward.Staff.Add",
	                            json_pack("{s:s, s:s, s:s}", "id", "admin", "name", "Ada Admin",
	                                      "role", "administrator")));
	json_decref(
	        daemon_admin_ok(d, "onward.Establishment.Add",
	                        json_pack("{s:s, s:s}", "code", "MDI", "name", "HMP Moorland")));
}

void
daemon_add_person(struct test_daemon *d, const char *number, char *pin)
{
	json_t *r = daemon_admin_ok(d, "onward.Person.Add",
	                            json_pack("{s:s, s:s, s:s, s:s}", "prison_number", number,
	                                      "given_name", "Sam", "family_name", "Jones",
	                                      "establishment", "MDI"));
	const char *p = json_string_value(json_object_get(r, "one_time_pin"));

	CHECK(p != NULL && strlen(p) == 6);
	daemon_choose_pin(d, number, p, pin);
	json_decref(r);
}

void
daemon_choose_pin(struct test_daemon *d, const char *number, const char *issued, char *pin)
{
	/* Good PINs (no pattern); the first that is not the issued one and does not hold the
	 * prison number's digits is taken. */
	static const char *const good[] = {"583920", "690417", "274061"};
	struct client *c = daemon_connect_control(d);
	struct client_reply r;
	char digits[8] = "";
	size_t k = 0, i = 0;

	for (const char *n = number; *n && k < 4; n++)
		if (*n >= '0' && *n <= '9')
			digits[k++] = *n;
	while (strcmp(good[i], issued) == 0 || (k == 4 && strstr(good[i], digits)))
		i++;
	daemon_call(c, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", number, "pin", issued), &r);
	if (r.error || !json_is_true(json_object_get(r.parameters, "pin_change")))
		check_failed(__FILE__, __LINE__, "the first login of %s: %s %s", number,
		             r.error ? r.error : "no pin_change", client_reply_message(&r));
	client_reply_release(&r);
	daemon_call(c, "onward.Session.ChangePin", json_pack("{s:s}", "new_pin", good[i]), &r);
	if (r.error || !json_is_string(json_object_get(r.parameters, "session")))
		check_failed(__FILE__, __LINE__, "choosing a PIN for %s: %s %s", number,
		             r.error ? r.error : "no session", client_reply_message(&r));
	client_reply_release(&r);
	daemon_call(c, "onward.Session.Logout", NULL, &r);
	CHECK(r.error == NULL);
	client_reply_release(&r);
	client_free(c);
	snprintf(pin, 16, "%s", good[i]);
}

void
daemon_onwardctl_argv(struct test_daemon *d, const char **argv, struct run_result *ret)
{
	char env[200], session_env[240];
	const char *envs[] = {env, session_env, NULL};
	const char *as = NULL;
	int n = 0;

	while (argv[n])
		n++;
	snprintf(env, sizeof(env), "ONWARD_STATE_DIR=%s", d->dir);
	snprintf(session_env, sizeof(session_env), "ONWARD_SESSION_FILE=%s.no-session", d->dir);
	for (int i = 1; i + 1 < n; i++) {
		if (strcmp(argv[i], "--as") != 0)
			continue;
		as = argv[i + 1];
		staff_session_file(d, as, session_env, sizeof(session_env));
		if (!session_env[0]) {
			argv[i] = "--break-glass"; /* nobody of that id yet */
			memmove(&argv[i + 1], &argv[i + 2], (size_t)(n - i - 1) * sizeof(argv[0]));
			snprintf(session_env, sizeof(session_env),
			         "ONWARD_SESSION_FILE=%s.no-session", d->dir);
		} else {
			memmove(&argv[i], &argv[i + 2], (size_t)(n - i - 1) * sizeof(argv[0]));
		}
		break;
	}
	run_program(argv, envs, NULL, 30000, ret);
	if (as && ret->status == 1 && strstr(ret->err, "Your session has ended")) {
		/* The test moved the clock past the session's end: sign in again. */
		(void)daemon_staff_session(d, as, true);
		staff_session_file(d, as, session_env, sizeof(session_env));
		run_result_release(ret);
		run_program(argv, envs, NULL, 30000, ret);
	}
}

void
daemon_onwardctl(struct test_daemon *d, struct run_result *ret, ...)
{
	const char *argv[40];
	va_list ap;
	int n = 0;

	argv[n++] = run_bin("onwardctl");
	va_start(ap, ret);
	while (n < 39 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	daemon_onwardctl_argv(d, argv, ret);
}

/*
 * Nobody holds a connection for nothing, against a real daemon. A connection without a
 * session that makes no call is closed after idle_timeout_seconds, on both sockets; a
 * message left unfinished is answered "The request was not finished in time." and closed
 * after read_timeout_seconds, even when its bytes trickle in; a logged-in connection never
 * times out for idleness. And the shell always has a place: when another process floods
 * control.sock with more connections than it takes, the newcomers push out that process's
 * own idle connections, never the shell's one, and a logged-in connection is not in that
 * pool at all.
 */
#include "check.h"
#include "daemon.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FLOODER_CONNECTIONS 24

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* A call that must be answered. */
static void
expect_answer(struct client *c, const char *method)
{
	struct client_reply r;
	int n = client_call(c, method, NULL, 5000, &r);

	if (n < 0)
		check_failed(__FILE__, __LINE__, "%s: no answer: %s", method, strerror(-n));
	CHECK(r.error == NULL);
	client_reply_release(&r);
}

/* A call on a connection the daemon has closed. */
static void
expect_closed(struct client *c)
{
	struct client_reply r;
	int n = client_call(c, "onward.Service.GetInfo", NULL, 5000, &r);

	if (n == 0) {
		client_reply_release(&r);
		check_failed(__FILE__, __LINE__, "the connection is still open");
	}
	CHECK(n == -EPIPE || n == -ECONNRESET);
}

/* Reads until the daemon closes: its one reply must be the read timeout's. Returns the
 * milliseconds from `since` to the close. */
static int64_t
expect_read_timeout(struct client *c, int64_t since)
{
	bool told = false;

	for (;;) {
		struct pollfd pfd = {client_fd(c), POLLIN, 0};
		struct client_reply r;
		int n;

		CHECK(now_ms() - since < 10000);
		CHECK(poll(&pfd, 1, 200) >= 0);
		n = client_receive(c, &r);
		if (n == -EAGAIN)
			continue;
		if (n == 0) {
			CHECK_STR(r.error, "onward.InvalidRequest");
			CHECK_STR(client_reply_message(&r),
			          "The request was not finished in time.");
			client_reply_release(&r);
			told = true;
			continue;
		}
		CHECK(n == -EPIPE || n == -ECONNRESET);
		CHECK(told);
		return now_ms() - since;
	}
}

static void
send_raw(struct client *c, const char *bytes, size_t n)
{
	CHECK(write(client_fd(c), bytes, n) == (ssize_t)n);
}

static void
login(struct test_daemon *d, struct client *c, const char *pin)
{
	struct client_reply r;

	daemon_call(c, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", "A1234BC", "pin", pin), &r);
	CHECK(r.error == NULL);
	client_reply_release(&r);
}

/* The flooding process: opens n connections to control.sock and holds them, saying on
 * `ready` when it has. It never returns (and runs no atexit handler of the test's). */
static void
flooder(const char *path, int n, int ready)
{
	struct client *cs[FLOODER_CONNECTIONS];
	char alive = 0;

	for (int i = 0; i < n; i++)
		if (client_connect(path, &cs[i]) < 0)
			_exit(1);
	/* Each connection beyond the pool's size pushed out an older one: how many are left? */
	for (int i = 0; i < n; i++) {
		struct client_reply r;

		if (client_call(cs[i], "onward.Service.GetInfo", NULL, 5000, &r) == 0) {
			client_reply_release(&r);
			alive++;
		}
	}
	if (write(ready, &alive, 1) != 1)
		_exit(1);
	pause();
	_exit(0);
}

int
main(void)
{
	struct test_daemon d;
	struct client *c, *shell, *logged_in, *late;
	char pin[16], path[200];
	int64_t start, took;
	int ready[2], status;
	pid_t child;
	char byte;

	/* A write to a connection the daemon closed must fail, not kill the test. */
	signal(SIGPIPE, SIG_IGN);
	daemon_make(&d, "{\"scrypt_log_n\": 10, \"idle_timeout_seconds\": 1, "
	                "\"read_timeout_seconds\": 1}");
	daemon_start(&d);
	daemon_seed(&d);
	daemon_add_person(&d, "A1234BC", pin);

	test_step("a connection without a session that makes no call is closed");
	c = daemon_connect_control(&d);
	expect_answer(c, "onward.Service.GetInfo");
	sleep_ms(1600);
	expect_closed(c);
	client_free(c);
	c = daemon_connect_admin(&d);
	expect_answer(c, "onward.Service.GetInfo");
	sleep_ms(1600);
	expect_closed(c);
	client_free(c);

	test_step("calls keep a connection open");
	c = daemon_connect_control(&d);
	for (int i = 0; i < 6; i++) {
		sleep_ms(400);
		expect_answer(c, "onward.Service.GetInfo");
	}
	client_free(c);

	test_step("a logged-in connection never times out for idleness");
	c = daemon_connect_control(&d);
	login(&d, c, pin);
	sleep_ms(2500);
	expect_answer(c, "onward.Session.Get");
	test_step("after logging out it is an ordinary connection again");
	expect_answer(c, "onward.Session.Logout");
	sleep_ms(1600);
	expect_closed(c);
	client_free(c);

	test_step("a message left unfinished is answered and closed");
	c = daemon_connect_control(&d);
	start = now_ms();
	send_raw(c, "{\"method\": \"onward.Service.Get", 30);
	took = expect_read_timeout(c, start);
	test_step("closed after %lld ms", (long long)took);
	CHECK(took >= 900 && took < 3000);
	client_free(c);

	test_step("bytes trickling in do not keep an unfinished message alive");
	c = daemon_connect_control(&d);
	expect_answer(c, "onward.Service.GetInfo");
	start = now_ms();
	for (int i = 0; i < 6; i++) {
		/* Once closed, the write fails: that is what is being waited for. */
		if (send(client_fd(c), i == 0 ? "{" : " ", 1, MSG_NOSIGNAL) != 1)
			break;
		sleep_ms(300);
	}
	took = expect_read_timeout(c, start);
	test_step("closed after %lld ms", (long long)took);
	CHECK(took < 3000);
	client_free(c);

	test_step("a logged-in connection has a read timeout too");
	c = daemon_connect_control(&d);
	login(&d, c, pin);
	start = now_ms();
	send_raw(c, "{\"method\"", 9);
	(void)expect_read_timeout(c, start);
	client_free(c);
	daemon_stop(&d);
	daemon_remove(&d);

	test_step("a flood of connections from one process pushes out only its own");
	daemon_make(&d, "{\"scrypt_log_n\": 10, \"max_control_peers\": 8, "
	                "\"idle_timeout_seconds\": 60}");
	daemon_start(&d);
	daemon_seed(&d);
	daemon_add_person(&d, "A1234BC", pin);
	shell = daemon_connect_control(&d);
	expect_answer(shell, "onward.Service.GetInfo");
	logged_in = daemon_connect_control(&d);
	login(&d, logged_in, pin);
	snprintf(path, sizeof(path), "%s/control.sock", d.dir);
	CHECK(pipe(ready) == 0);
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		close(ready[0]);
		flooder(path, FLOODER_CONNECTIONS, ready[1]);
	}
	close(ready[1]);
	CHECK(read(ready[0], &byte, 1) == 1);
	close(ready[0]);
	/* The pool holds 8: the shell's connection and 7 of the flooder's. */
	CHECK_INT(byte, 7);
	/* The shell's connection, made before the flood, is still served; so is the
	 * logged-in one; and a new connection from the shell gets in. */
	expect_answer(shell, "onward.Service.GetInfo");
	expect_answer(logged_in, "onward.Session.Get");
	late = daemon_connect_control(&d);
	expect_answer(late, "onward.Service.GetInfo");
	expect_answer(shell, "onward.Service.GetInfo");
	client_free(late);
	client_free(shell);
	client_free(logged_in);
	CHECK(kill(child, SIGKILL) == 0);
	CHECK(waitpid(child, &status, 0) == child);

	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-login-timeouts: OK\n");
	return 0;
}

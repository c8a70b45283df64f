/*
 * Wrong PINs sent all at once, against a real daemon: 200 connections each send a wrong
 * PIN for one number in the same instant. Every one is refused, and the stored count is
 * exactly the number of PIN checks that ran (not 1, as when the count was read before the
 * check and written back after it). Then, one wrong PIN short of a lock, a wave of 199
 * wrong PINs and the right one: at most one PIN check can run before the lock, so the
 * wave cannot try more than one guess, and either the right PIN was that one check and
 * logged in, or the number ends locked and the right PIN was refused.
 */
#include "check.h"
#include "daemon.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#define WAVE 200
#define FAILURES 20

static struct test_daemon d;

struct tally {
	int failed; /* LoginFailed: a PIN check ran and counted */
	int locked; /* AccountLocked: the check that locked, or refused at once while locked */
	int busy; /* Busy: another check for the number was running */
	int ok; /* logged in */
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sends pins[i] on connection i, all before reading any reply; tallies the replies. */
static struct tally
wave(const char *const pins[], int n)
{
	struct client *cs[WAVE];
	bool answered[WAVE] = {false};
	struct tally t = {0};
	int left = n;
	int64_t start;

	for (int i = 0; i < n; i++)
		cs[i] = daemon_connect_control(&d);
	for (int i = 0; i < n; i++)
		CHECK(client_send(cs[i], "onward.Session.Login",
		                  json_pack("{s:s, s:s}", "prison_number", "A1234BC", "pin",
		                            pins[i])) == 0);
	for (int i = 0; i < n; i++)
		while (client_flush(cs[i]) == -EAGAIN)
			;
	start = now_ms();
	while (left > 0) {
		struct pollfd pfd[WAVE];

		CHECK(now_ms() - start < 60000);
		for (int i = 0; i < n; i++)
			pfd[i] = (struct pollfd){answered[i] ? -1 : client_fd(cs[i]), POLLIN, 0};
		CHECK(poll(pfd, (nfds_t)n, 1000) >= 0);
		for (int i = 0; i < n; i++) {
			struct client_reply r;

			if (answered[i] || !(pfd[i].revents & (POLLIN | POLLHUP)) ||
			    client_receive(cs[i], &r) != 0)
				continue;
			answered[i] = true;
			left--;
			if (!r.error)
				t.ok++;
			else if (strcmp(r.error, "onward.LoginFailed") == 0)
				t.failed++;
			else if (strcmp(r.error, "onward.AccountLocked") == 0)
				t.locked++;
			else if (strcmp(r.error, "onward.Busy") == 0)
				t.busy++;
			else
				check_failed(__FILE__, __LINE__, "unexpected %s: %s", r.error,
				             client_reply_message(&r));
			client_reply_release(&r);
		}
	}
	for (int i = 0; i < n; i++)
		client_free(cs[i]);
	test_step("%d sent: %d checked and refused, %d locked, %d busy, %d logged in", n, t.failed,
	          t.locked, t.busy, t.ok);
	return t;
}

static json_t *
person(void)
{
	json_t *p = daemon_admin_ok(&d, "onward.Person.Show",
	                            json_pack("{s:s}", "prison_number", "A1234BC"));
	json_t *person = json_incref(json_object_get(p, "person"));

	json_decref(p);
	return person;
}

static int
failed_logins(void)
{
	json_t *p = person();
	int n = (int)json_integer_value(json_object_get(p, "failed_logins"));

	json_decref(p);
	return n;
}

static bool
is_locked(void)
{
	json_t *p = person();
	bool locked = json_is_string(json_object_get(p, "locked_until"));

	json_decref(p);
	return locked;
}

static void
login_expect(struct client *c, const char *pin, const char *error)
{
	struct client_reply r;

	daemon_call(c, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", "A1234BC", "pin", pin), &r);
	if (error)
		CHECK_STR(r.error, error);
	else
		CHECK(r.error == NULL);
	client_reply_release(&r);
}

int
main(void)
{
	static const char *pins[WAVE];
	char pin[16], config[300];
	struct client *c;
	struct tally t;

	snprintf(config, sizeof(config),
	         "{\"scrypt_log_n\": 10, \"lockout_seconds\": 600, \"lockout_failures\": %d, "
	         "\"max_control_peers\": 512}",
	         FAILURES);
	daemon_make(&d, config);
	daemon_start(&d);
	daemon_seed(&d);
	daemon_add_person(&d, "A1234BC", pin);

	test_step("200 wrong PINs at once: all refused, every check counted");
	for (int i = 0; i < WAVE; i++)
		pins[i] = "909090";
	t = wave(pins, WAVE);
	CHECK_INT(t.ok, 0);
	CHECK(t.failed + t.locked > 0);
	/* Once locked no check runs, so only the check that locked was counted as locked. */
	CHECK_INT(failed_logins(), t.failed + (t.locked > 0 ? 1 : 0));
	CHECK(failed_logins() <= FAILURES);
	CHECK((failed_logins() == FAILURES) == is_locked());

	test_step("one wrong PIN short of a lock, a wave with the right PIN in it");
	c = daemon_connect_control(&d);
	/* Staff lift the lock; the reset PIN must be replaced, as a person would. */
	{
		json_t *reset = daemon_admin_ok(&d, "onward.Person.PinReset",
		                                json_pack("{s:s}", "prison_number", "A1234BC"));

		daemon_choose_pin(&d, "A1234BC",
		                  json_string_value(json_object_get(reset, "one_time_pin")), pin);
		json_decref(reset);
	}
	for (int i = 0; i < FAILURES - 1; i++)
		login_expect(c, "909090", "onward.LoginFailed");
	CHECK_INT(failed_logins(), FAILURES - 1);
	for (int i = 0; i < WAVE; i++)
		pins[i] = i == WAVE / 2 ? pin : "909090";
	t = wave(pins, WAVE);
	if (t.ok) {
		/* The right PIN was checked first and cleared the count; what came after it
		 * started again from nothing. */
		CHECK(t.failed + t.locked <= FAILURES);
		CHECK_INT(failed_logins(), t.failed + (t.locked > 0 ? 1 : 0));
	} else {
		/* A wrong PIN was checked first and locked: nothing else was checked. */
		CHECK_INT(t.failed, 0);
		CHECK_INT(failed_logins(), FAILURES);
		CHECK(is_locked());
		login_expect(c, pin, "onward.AccountLocked");
	}
	client_free(c);

	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-login-race: OK\n");
	return 0;
}

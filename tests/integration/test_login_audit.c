/*
 * Refused logins are counted, not listed, against a real daemon. A flood of 2,000 refused
 * logins (a locked number, malformed numbers, wrong PINs for a hundred numbers nobody has)
 * writes nothing to the audit chain until a minute has passed on the daemon's clock, then a
 * bounded number of rows whose counts add up to exactly 2,000, and the chain still
 * verifies. A right PIN writes the person's counted refusals before its own row. Counts
 * survive kill -9: the next start writes them.
 */
#include "check.h"
#include "daemon.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#define FLOOD 2000
#define ROWS_MAX 70 /* REFUSALS_MAX_ROWS (64) and the few counted under "person:*" */

static struct test_daemon d;

/* Pipelines n calls on one connection and reads every reply, none a success. */
static void
flood(struct client *c, const char *number, const char *pin, int n)
{
	int sent = 0, got = 0;

	while (got < n) {
		struct pollfd pfd = {client_fd(c), POLLIN, 0};
		struct client_reply r;

		while (sent < n && sent - got < 64) {
			CHECK(client_send(c, "onward.Session.Login",
			                  json_pack("{s:s, s:s}", "prison_number", number, "pin",
			                            pin)) == 0);
			sent++;
		}
		if (client_wants_write(c)) {
			pfd.events |= POLLOUT;
			(void)client_flush(c);
		}
		CHECK(poll(&pfd, 1, 10000) > 0);
		while (client_receive(c, &r) == 0) {
			CHECK(r.error != NULL);
			client_reply_release(&r);
			got++;
		}
	}
}

struct audit_sum {
	int rows; /* refused logins written as rows */
	int64_t count; /* the refusals they count */
	int64_t ok_seq; /* a successful login's row */
	int64_t refused_seq; /* the last row of refused logins */
};

static struct audit_sum
sum_refusals(const char *subject)
{
	struct audit_sum s = {0};
	int64_t after = 0;

	for (;;) {
		json_t *params = json_pack("{s:I, s:i}", "after", (json_int_t)after, "limit", 1000);
		json_t *res, *rows, *row;
		size_t i;

		if (subject)
			json_object_set_new(params, "subject", json_string(subject));
		res = daemon_admin_ok(&d, "onward.Audit.Show", params);
		rows = json_object_get(res, "rows");
		json_array_foreach(rows, i, row)
		{
			json_t *detail = json_object_get(row, "detail");
			int64_t seq = json_integer_value(json_object_get(row, "seq"));

			after = seq;
			if (strcmp(json_string_value(json_object_get(row, "action")),
			           "session.login") != 0)
				continue;
			if (strcmp(json_string_value(json_object_get(row, "outcome")), "ok") == 0) {
				s.ok_seq = seq;
				continue;
			}
			/* Each says how many, between when, and the words said. */
			CHECK(json_integer_value(json_object_get(detail, "count")) >= 1);
			CHECK(json_is_string(json_object_get(detail, "first")));
			CHECK(json_is_string(json_object_get(detail, "last")));
			CHECK(json_is_string(json_object_get(detail, "message")));
			CHECK(json_is_string(json_object_get(detail, "error")));
			s.rows++;
			s.count += json_integer_value(json_object_get(detail, "count"));
			s.refused_seq = seq;
		}
		if (json_array_size(rows) < 1000) {
			json_decref(res);
			return s;
		}
		json_decref(res);
	}
}

static void
advance_clock(int seconds)
{
	json_decref(
	        daemon_admin_ok(&d, "onward.Test.Clock", json_pack("{s:i}", "advance", seconds)));
}

int
main(void)
{
	struct client *c;
	struct client_reply r;
	struct audit_sum s;
	char pin[16], number[8];
	json_t *v;

	daemon_make(&d, "{\"scrypt_log_n\": 10, \"lockout_seconds\": 600, \"lockout_failures\": 3, "
	                "\"refusal_audit_seconds\": 60}");
	daemon_start(&d);
	daemon_seed(&d);
	json_decref(daemon_admin_ok(&d, "onward.Test.Clock",
	                            json_pack("{s:s}", "at", "2026-12-09T10:00:00Z")));
	daemon_add_person(&d, "A1234BC", pin);
	daemon_add_person(&d, "B2345CD", pin);
	c = daemon_connect_control(&d);

	test_step("a flood of 2,000 refused logins writes no row at once");
	flood(c, "A1234BC", "909090", 3); /* these lock the number */
	flood(c, "A1234BC", "909090", 1400);
	flood(c, "Z99", "909090", 400);
	for (int i = 0; i < 197; i++) {
		snprintf(number, sizeof(number), "Z%04dZZ", i);
		flood(c, number, "909090", 1);
	}
	s = sum_refusals(NULL);
	CHECK_INT(s.rows, 0);

	test_step("a minute on, a bounded number of rows, counting exactly 2,000");
	advance_clock(61);
	for (int i = 0; i < 200 && sum_refusals(NULL).count < FLOOD; i++)
		usleep(50000);
	s = sum_refusals(NULL);
	test_step("%d rows count %lld refused logins", s.rows, (long long)s.count);
	CHECK_INT(s.count, FLOOD);
	CHECK(s.rows <= ROWS_MAX);
	CHECK_INT(sum_refusals("person:A1234BC").count, 1403);
	CHECK_INT(sum_refusals("person:A1234BC").rows, 2); /* LoginFailed and AccountLocked */
	CHECK_INT(sum_refusals("person:Z99").count, 400);
	CHECK(sum_refusals("person:*").count > 0);
	v = daemon_admin_ok(&d, "onward.Audit.Verify", NULL);
	CHECK(json_is_true(json_object_get(v, "ok")));
	json_decref(v);

	test_step("a right PIN writes the person's counted refusals before its own row");
	flood(c, "B2345CD", "909090", 2);
	daemon_call(c, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", "B2345CD", "pin", pin), &r);
	CHECK(r.error == NULL);
	client_reply_release(&r);
	s = sum_refusals("person:B2345CD");
	CHECK_INT(s.count, 2);
	CHECK(s.ok_seq > s.refused_seq);
	client_free(c);

	test_step("counts survive kill -9: the next start writes them");
	c = daemon_connect_control(&d);
	flood(c, "Y1111YY", "909090", 10);
	client_free(c);
	daemon_kill(&d);
	daemon_start(&d);
	CHECK_INT(sum_refusals("person:Y1111YY").count, 10);
	v = daemon_admin_ok(&d, "onward.Audit.Verify", NULL);
	CHECK(json_is_true(json_object_get(v, "ok")));
	json_decref(v);

	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-login-audit: OK\n");
	return 0;
}

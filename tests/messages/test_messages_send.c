/*
 * Sending through the real daemon on the Messages app's channel: the thread list (the
 * worker always first), a message to an approved contact, and every refusal with the
 * exact words the person is shown — a pending contact, a victim, a barred contact, a child
 * under a safeguarding flag, night and lockdown (set with the establishment's regime), the
 * daily quota at each incentive level — while the worker's thread stays open; night by
 * the daemon's clock on the regime "auto" (21:00 to 07:00), and the day's quota starting
 * again at London midnight; bad input
 * (too long, control characters, invalid UTF-8, unknown or someone else's contact) is
 * refused with nothing stored; and only the Messages app's channel may use the methods.
 */
#include "fixture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOT_APPROVED "You can only message people staff have approved. Ask your key worker."
#define VICTIM "You cannot contact this person. They are protected as a victim."
#define BARRED "You cannot contact this person. Contact has been barred."
#define CHILD "You cannot message children. This is part of your safeguarding plan."
#define NIGHT "Messages to family and friends are closed at night, 21:00 to 07:00."
#define LOCKDOWN "Messages to family and friends are paused during a lockdown."
#define QUOTA "You have sent all your messages for today. You can send more tomorrow."
#define BAD_SIGNS "This has letters or signs that cannot be sent."

static struct fixture fx;

static json_t *
find_thread(json_t *threads, const char *with)
{
	size_t i;
	json_t *t;

	json_array_foreach(threads, i, t) if (strcmp(json_string_value(json_object_get(t, "with")),
	                                             with) == 0) return t;
	return NULL;
}

static size_t
thread_items(const char *with)
{
	json_t *t = fixture_thread(&fx, with);
	size_t n = json_array_size(json_object_get(t, "messages"));

	json_decref(t);
	return n;
}

static void
expect_bad_text(const char *to, const char *text, const char *message)
{
	struct client_reply r;

	fixture_send(&fx, to, text, &r);
	CHECK_STR(r.error, "onward.InvalidParameter");
	CHECK_STR(client_reply_message(&r), message);
	CHECK_STR(json_string_value(json_object_get(r.parameters, "parameter")), "text");
	CHECK(json_object_get(r.parameters, "refusal") == NULL);
	client_reply_release(&r);
}

static char *
repeat(const char *unit, size_t times)
{
	size_t n = strlen(unit);
	char *s = malloc(n * times + 1);

	CHECK(s != NULL);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * n, unit, n);
	s[n * times] = '\0';
	return s;
}

static void
set_person(const char *field, json_t *value)
{
	json_t *p = json_pack("{s:s}", "prison_number", "A1234BC");

	json_object_set_new(p, field, value);
	json_decref(daemon_admin_ok(&fx.d, "onward.Person.Set", p));
}

int
main(void)
{
	char jo[32], pending[32], victim[32], barred[32], minor[32], other[32];
	struct client_reply r;
	json_t *t, *threads, *m, *audit;
	char pin2[16];
	int64_t id;

	fixture_start(&fx); /* Wednesday 10:00 by the daemon's clock: the regime "auto" is open */
	fixture_with(fixture_contact(&fx, "Jo Jones", true, false, false, false), jo, sizeof(jo));
	fixture_with(fixture_contact(&fx, "Pat Pending", false, false, false, false), pending,
	             sizeof(pending));
	fixture_with(fixture_contact(&fx, "Val Victim", false, false, true, false), victim,
	             sizeof(victim));
	fixture_with(fixture_contact(&fx, "Bo Barred", false, false, false, true), barred,
	             sizeof(barred));
	fixture_with(fixture_contact(&fx, "Mia Minor", true, true, false, false), minor,
	             sizeof(minor));
	daemon_add_person(&fx.d, "B2345CD", pin2);
	{
		json_t *c = daemon_admin_ok(&fx.d, "onward.Contact.Add",
		                            json_pack("{s:s, s:s, s:s}", "prison_number", "B2345CD",
		                                      "name", "Not Sams", "relation", "friend"));

		fixture_with(
		        json_integer_value(json_object_get(json_object_get(c, "contact"), "id")),
		        other, sizeof(other));
		json_decref(c);
	}

	test_step("threads: the worker first, then approved and pending contacts only");
	fixture_call(&fx, "onward.Message.Threads", NULL, &r);
	CHECK(r.error == NULL);
	threads = json_object_get(r.parameters, "threads");
	CHECK_INT(json_array_size(threads), 4);
	t = json_array_get(threads, 0);
	CHECK_STR(json_string_value(json_object_get(t, "with")), "worker");
	CHECK_STR(json_string_value(json_object_get(t, "name")), "Kiran Patel");
	CHECK_STR(json_string_value(json_object_get(t, "role")), "key_worker");
	CHECK(json_is_true(json_object_get(t, "can_send")));
	t = find_thread(threads, jo);
	CHECK(t && json_is_true(json_object_get(t, "can_send")));
	CHECK_STR(json_string_value(json_object_get(t, "name")), "Jo Jones");
	t = find_thread(threads, pending);
	CHECK(t && json_is_false(json_object_get(t, "can_send")));
	CHECK_STR(json_string_value(json_object_get(t, "send_reason")), NOT_APPROVED);
	CHECK_STR(json_string_value(json_object_get(t, "contact_status")), "pending");
	CHECK(find_thread(threads, victim) == NULL);
	CHECK(find_thread(threads, barred) == NULL);
	CHECK(find_thread(threads, minor) != NULL);
	CHECK_INT(json_integer_value(json_object_get(r.parameters, "chars_max")), 1000);
	client_reply_release(&r);

	test_step("a message to an approved contact is delivered, audited with its policies");
	id = fixture_send_ok(&fx, jo, "Hello Jo, see you on Saturday.", "delivered");
	t = fixture_thread(&fx, jo);
	CHECK_INT(json_array_size(json_object_get(t, "messages")), 1);
	m = json_array_get(json_object_get(t, "messages"), 0);
	CHECK_INT(json_integer_value(json_object_get(m, "id")), id);
	CHECK_STR(json_string_value(json_object_get(m, "status")), "delivered");
	CHECK(json_object_get(m, "reason") == NULL);
	CHECK(json_is_string(json_object_get(m, "time")));
	CHECK(json_is_true(json_object_get(t, "can_send")));
	json_decref(t);
	audit = fixture_audit(&fx, "message.send");
	CHECK_INT(json_array_size(audit), 1);
	m = json_array_get(audit, 0);
	CHECK_STR(json_string_value(json_object_get(m, "actor")), "person:A1234BC");
	CHECK_STR(json_string_value(json_object_get(m, "outcome")), "ok");
	CHECK_INT(json_integer_value(json_object_get(json_object_get(m, "detail"), "message")), id);
	CHECK(strlen(json_string_value(json_object_get(json_object_get(m, "detail"), "policies"))) >
	      0);
	/* The audit row says what happened, not what was written. */
	{
		char *row = json_dumps(m, 0);

		CHECK(row && strstr(row, "Saturday") == NULL);
		free(row);
	}
	json_decref(audit);

	test_step("refused, each with its reason: pending, victim, barred, child");
	fixture_send_refused(&fx, pending, "Hi Pat", NOT_APPROVED);
	fixture_send_refused(&fx, victim, "Hi Val", VICTIM);
	fixture_send_refused(&fx, barred, "Hi Bo", BARRED);
	fixture_send_ok(&fx, minor, "Happy birthday Mia", "delivered");
	set_person("add_flags", json_pack("[s]", "child_safeguarding"));
	fixture_send_refused(&fx, minor, "Hi Mia", CHILD);
	CHECK_INT(thread_items(pending), 0);
	CHECK_INT(thread_items(victim), 0);
	CHECK_INT(thread_items(barred), 0);
	CHECK_INT(thread_items(minor), 1);
	t = fixture_thread(&fx, minor);
	CHECK(json_is_false(json_object_get(t, "can_read")));
	CHECK_STR(json_string_value(json_object_get(t, "read_reason")), CHILD);
	json_decref(t);
	audit = fixture_audit(&fx, "message.send");
	CHECK_INT(json_array_size(audit), 6);
	m = json_array_get(audit, 2);
	CHECK_STR(json_string_value(json_object_get(m, "outcome")), "refused");
	CHECK_STR(json_string_value(json_object_get(json_object_get(m, "detail"), "message")),
	          VICTIM);
	json_decref(audit);

	test_step("night and lockdown close family messages; the worker's thread stays open");
	fixture_regime(&fx, "night");
	fixture_send_refused(&fx, jo, "Are you awake?", NIGHT);
	fixture_send_ok(&fx, "worker", "I cannot sleep. Can we talk tomorrow?", "delivered");
	fixture_call(&fx, "onward.Message.Threads", NULL, &r);
	CHECK(r.error == NULL);
	t = find_thread(json_object_get(r.parameters, "threads"), jo);
	CHECK_STR(json_string_value(json_object_get(t, "send_reason")), NIGHT);
	CHECK(json_is_true(json_object_get(t, "can_read")));
	client_reply_release(&r);
	fixture_regime(&fx, "lockdown");
	fixture_send_refused(&fx, jo, "What is happening?", LOCKDOWN);
	fixture_send_ok(&fx, "worker", "Are we locked down all day?", "delivered");
	fixture_regime(&fx, "unlock");

	test_step("the daily quota: 15 at standard, then refused; 30 at enhanced; 5 at basic");
	/* Sent today to contacts so far: Jo 1, Mia 1. Refused sends do not count. */
	for (int i = 2; i < 15; i++) {
		char text[32];

		snprintf(text, sizeof(text), "Message %d", i + 1);
		fixture_send_ok(&fx, jo, text, "delivered");
	}
	fixture_send_refused(&fx, jo, "One too many", QUOTA);
	fixture_send_ok(&fx, "worker", "The worker is not counted", "delivered");
	set_person("incentive", json_string("enhanced"));
	fixture_send_ok(&fx, jo, "Enhanced now", "delivered");
	set_person("incentive", json_string("basic"));
	fixture_send_refused(&fx, jo, "Basic now", QUOTA);
	set_person("incentive", json_string("standard"));

	test_step("bad input is refused with nothing stored");
	{
		size_t worker_before = thread_items("worker");
		char *s;

		s = repeat("a", 1001);
		expect_bad_text("worker", s,
		                "A message can be up to 1000 characters. This one has 1001.");
		free(s);
		s = repeat("\xc3\xa9", 1001); /* é: 1,001 characters in 2,002 bytes */
		expect_bad_text("worker", s,
		                "A message can be up to 1000 characters. This one has 1001.");
		free(s);
		s = repeat("\xf0\x9f\x98\x80", 1000); /* 1,000 emoji: 4,000 bytes, accepted */
		fixture_send_ok(&fx, "worker", s, "delivered");
		free(s);
		worker_before++;
		s = repeat("a", 4001);
		fixture_send(&fx, "worker", s, &r);
		CHECK_STR(r.error, "onward.InvalidParameter");
		CHECK_STR(client_reply_message(&r),
		          "parameter 'text' is too long (at most 4000 bytes)");
		client_reply_release(&r);
		free(s);
		expect_bad_text("worker", "", "Write something first.");
		expect_bad_text("worker", "  \n  ", "Write something first.");
		expect_bad_text("worker", "bell\x07", BAD_SIGNS);
		expect_bad_text("worker", "tab\there", BAD_SIGNS);
		expect_bad_text("worker", "next line\xc2\x85", BAD_SIGNS);
		expect_bad_text("worker", "delete\x7f", BAD_SIGNS);
		fixture_send_ok(&fx, "worker", "Two lines\nare fine", "delivered");
		worker_before++;

		fixture_send(&fx, "contact:999999", "Hello?", &r);
		CHECK_STR(r.error, "onward.NotFound");
		CHECK_STR(client_reply_message(&r), "You have no contact with that number.");
		client_reply_release(&r);
		fixture_send(&fx, other, "Hello, not mine", &r);
		CHECK_STR(r.error, "onward.NotFound");
		client_reply_release(&r);
		fixture_send(&fx, "someone", "Hello?", &r);
		CHECK_STR(r.error, "onward.InvalidParameter");
		CHECK_STR(json_string_value(json_object_get(r.parameters, "parameter")), "to");
		client_reply_release(&r);
		fixture_call(
		        &fx, "onward.Message.Send",
		        json_pack("{s:s, s:s, s:b}", "to", "worker", "text", "hi", "urgent", 1),
		        &r);
		CHECK_STR(r.error, "onward.InvalidParameter");
		client_reply_release(&r);

		/* Invalid UTF-8 never reaches the handler: the frame itself is refused. */
		{
			static const char frame[] =
			        "{\"method\": \"onward.Message.Send\", "
			        "\"parameters\": {\"to\": \"worker\", \"text\": "
			        "\"bad \xc3\x28 byte\"}}";
			int fd = client_fd(fx.channel);

			CHECK(write(fd, frame, sizeof(frame)) == (ssize_t)sizeof(frame));
			for (int i = 0; i < 2000; i++) {
				int rr = client_receive(fx.channel, &r);

				if (rr == 0)
					break;
				CHECK_INT(rr, -EAGAIN);
				usleep(1000);
			}
			CHECK_STR(r.error, "onward.InvalidRequest");
			client_reply_release(&r);
		}
		CHECK_INT(thread_items("worker"), worker_before);
	}

	test_step("flood guards: what a person may write in a day; refusals kept for review");
	json_decref(daemon_admin_ok(&fx.d, "onward.Message.Settings",
	                            json_pack("{s:i}", "daily_max", 1)));
	{
		size_t before = thread_items("worker");

		fixture_send(&fx, "worker", "One more", &r);
		CHECK_STR(r.error, "onward.Busy");
		CHECK_STR(
		        client_reply_message(&r),
		        "You have written a lot of messages today. You can write again tomorrow.");
		client_reply_release(&r);
		CHECK_INT(thread_items("worker"), before);
	}
	json_decref(daemon_admin_ok(&fx.d, "onward.Message.Settings",
	                            json_pack("{s:i}", "daily_max", 500)));
	fixture_regime(&fx, "night");
	{
		int kept = 0, unkept = 0;

		/* 8 refusals so far today (pending, victim, barred, child, night, lockdown, and
		 * the quota twice); 50 are kept a day. The day's quota is used up as well as
		 * night falling: the lasting reason (for today) is the one given, not the night's,
		 * which would send Sam back at 07:00 to be refused again. */
		for (int i = 0; i < 45; i++) {
			fixture_send(&fx, jo, "Still up?", &r);
			CHECK_STR(r.error, "onward.PermissionDenied");
			CHECK_STR(client_reply_message(&r), QUOTA);
			if (json_object_get(r.parameters, "refusal"))
				kept++;
			else
				unkept++;
			client_reply_release(&r);
		}
		CHECK_INT(kept, 42);
		CHECK_INT(unkept, 3);
	}
	fixture_regime(&fx, "unlock");

	test_step("regime auto: closed by the clock from 21:00 to 07:00; the worker stays open");
	fixture_regime(&fx, "auto");
	daemon_clock_set(&fx.d, "2026-12-10T06:59:30Z"); /* Thursday: a new day's quota */
	fixture_send_refused(&fx, jo, "Are you up yet?", NIGHT);
	fixture_send_ok(&fx, "worker", "Up early today", "delivered");
	daemon_clock_set(&fx.d, "2026-12-10T07:00:00Z");
	fixture_send_ok(&fx, jo, "Good morning", "delivered");
	daemon_clock_set(&fx.d, "2026-12-10T20:59:30Z");
	fixture_send_ok(&fx, jo, "Good evening", "delivered");
	daemon_clock_set(&fx.d, "2026-12-10T21:00:00Z");
	fixture_send_refused(&fx, jo, "Good night", NIGHT);
	fixture_call(&fx, "onward.Message.Threads", NULL, &r);
	CHECK(r.error == NULL);
	t = find_thread(json_object_get(r.parameters, "threads"), jo);
	CHECK_STR(json_string_value(json_object_get(t, "send_reason")), NIGHT);
	client_reply_release(&r);
	fixture_send_ok(&fx, "worker", "Night, Kiran", "delivered");

	test_step("the day's quota starts again at midnight, London time");
	fixture_regime(&fx, "unlock");
	daemon_clock_set(&fx.d, "2026-12-10T23:59:00Z");
	for (int i = 2; i < 15; i++) /* 2 sent to contacts today so far */
		fixture_send_ok(&fx, jo, "Late", "delivered");
	fixture_send_refused(&fx, jo, "Just before midnight", QUOTA);
	daemon_clock_set(&fx.d, "2026-12-11T00:00:00Z");
	fixture_send_ok(&fx, jo, "Just after midnight", "delivered");

	test_step("only the Messages app's channel has the methods");
	{
		struct client *stub;

		json_decref(daemon_admin_ok(&fx.d, "onward.App.Register",
		                            json_pack("{s:s, s:s, s:s}", "name", "stub", "path",
		                                      fx.program, "title", "Stub")));
		daemon_call(fx.control, "onward.App.Open", json_pack("{s:s}", "app", "stub"), &r);
		CHECK(r.error == NULL);
		CHECK_INT(client_adopt(r.fd, &stub), 0);
		r.fd = -1;
		client_reply_release(&r);
		daemon_call(stub, "onward.Message.Send",
		            json_pack("{s:s, s:s}", "to", "worker", "text", "from the wrong app"),
		            &r);
		CHECK_STR(r.error, "onward.PermissionDenied");
		CHECK_STR(client_reply_message(&r), "Messages are sent from the Messages app.");
		client_reply_release(&r);
		client_free(stub);
		daemon_call(fx.control, "onward.Message.Threads", NULL, &r);
		CHECK_STR(r.error, "onward.MethodNotFound");
		client_reply_release(&r);
	}

	fixture_stop(&fx);
	printf("test-messages-send: OK\n");
	return 0;
}

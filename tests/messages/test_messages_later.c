/*
 * Messages that wait for messaging to open, through the real daemon and its SQLCipher
 * store: at night (22:00 by the daemon's clock) the thread list and the thread say that
 * family messages are closed, that a message may wait, and when messaging opens (07:00,
 * found from the policy's own hours); a message sent "later" is stored as waiting, with
 * the reason, audited, and counted against the day's quota; the worker's thread, open at
 * night, never needs it; a victim's thread is never offered it, and a send "later" there
 * is refused with the victim reason; waiting messages are not in staff's review list; the
 * person can take one back (its words come back) and not someone else's or one that has
 * gone; a waiting message survives a daemon restart; when the clock reaches 07:00 the
 * waiting messages go in order, each moderated like a message sent then (a word-list
 * match is held for staff), with an audit row each; one to a contact the person may no
 * longer write to is stopped with the reason; under a lockdown staff set, a message waits
 * with no time given and goes when the regime is lifted. Then the person's frequent words
 * come from their own messages only.
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NIGHT "Messages to family and friends are closed at night, 21:00 to 07:00."
#define LOCKDOWN "Messages to family and friends are paused during a lockdown."
#define CHILD "You cannot message children. This is part of your safeguarding plan."

static struct fixture fx;

static json_t *
find_thread(json_t *threads, const char *with)
{
	size_t i;
	json_t *t;

	json_array_foreach(threads, i, t)
	{
		if (strcmp(json_string_value(json_object_get(t, "with")), with) == 0)
			return t;
	}
	return NULL;
}

/* Sends text to `to` with "later"; checks the status; returns the message id. */
static int64_t
send_later(const char *to, const char *text, const char *status)
{
	struct client_reply r;
	json_t *m;
	int64_t id;

	fixture_call(&fx, "onward.Message.Send",
	             json_pack("{s:s, s:s, s:b}", "to", to, "text", text, "later", 1), &r);
	CHECK(r.error == NULL);
	m = json_object_get(r.parameters, "message");
	CHECK_STR(json_string_value(json_object_get(m, "status")), status);
	id = json_integer_value(json_object_get(m, "id"));
	CHECK(id > 0);
	client_reply_release(&r);
	return id;
}

/* The status of message id in thread `with` ("" when it is not there). */
static const char *
status_of(const char *with, int64_t id, char *buf, size_t size)
{
	json_t *t = fixture_thread(&fx, with), *m;
	size_t i;

	buf[0] = '\0';
	json_array_foreach(json_object_get(t, "messages"), i, m)
	{
		if (json_integer_value(json_object_get(m, "id")) == id)
			snprintf(buf, size, "%s", json_string_value(json_object_get(m, "status")));
	}
	json_decref(t);
	return buf;
}

static size_t
audit_count(const char *action)
{
	json_t *a = fixture_audit(&fx, action);
	size_t n = json_array_size(a);

	json_decref(a);
	return n;
}

static void
cancel(int64_t id, const char *error, const char *text)
{
	struct client_reply r;

	fixture_call(&fx, "onward.Message.Cancel", json_pack("{s:I}", "id", (json_int_t)id), &r);
	if (error) {
		CHECK_STR(r.error, error);
	} else {
		CHECK(r.error == NULL);
		CHECK_INT(json_integer_value(json_object_get(r.parameters, "cancelled")), id);
		CHECK_STR(json_string_value(json_object_get(r.parameters, "text")), text);
	}
	client_reply_release(&r);
}

int
main(void)
{
	char jo[32], victim[32], minor[32], buf[16];
	struct client_reply r;
	json_t *t, *threads, *opens, *out, *audit, *words;
	int64_t first, second, third, held, to_minor, id;

	fixture_start_at(&fx, "2026-12-09T22:00:00Z"); /* Wednesday, 22:00 in London */
	fixture_with(fixture_contact(&fx, "Jo Jones", true, false, false, false), jo, sizeof(jo));
	fixture_with(fixture_contact(&fx, "Val Victim", false, false, true, false), victim,
	             sizeof(victim));
	fixture_with(fixture_contact(&fx, "Mia Minor", true, true, false, false), minor,
	             sizeof(minor));

	test_step("at night the list says family messages are closed, may wait, open at 07:00");
	fixture_call(&fx, "onward.Message.Threads", NULL, &r);
	CHECK(r.error == NULL);
	threads = json_object_get(r.parameters, "threads");
	t = find_thread(threads, jo);
	CHECK(json_is_false(json_object_get(t, "can_send")));
	CHECK_STR(json_string_value(json_object_get(t, "send_reason")), NIGHT);
	CHECK(json_is_true(json_object_get(t, "can_send_later")));
	opens = json_object_get(t, "opens");
	CHECK_STR(json_string_value(json_object_get(opens, "date")), "2026-12-10");
	CHECK_STR(json_string_value(json_object_get(opens, "time")), "07:00");
	t = find_thread(threads, "worker");
	CHECK(json_is_true(json_object_get(t, "can_send")));
	CHECK(json_is_false(json_object_get(t, "can_send_later")));
	CHECK(json_object_get(t, "opens") == NULL);
	CHECK_STR(json_string_value(json_object_get(r.parameters, "date")), "2026-12-09");
	client_reply_release(&r);
	t = fixture_thread(&fx, jo);
	CHECK(json_is_true(json_object_get(t, "can_send_later")));
	CHECK_STR(json_string_value(json_object_get(json_object_get(t, "opens"), "time")), "07:00");
	json_decref(t);

	test_step("a message sent later waits, with the reason, audited, counted for the day");
	first = send_later(jo, "Good morning Mum, I hope you slept well.", "waiting");
	second = send_later(jo, "Second thoughts: ignore this one.", "waiting");
	third = send_later(jo, "Can you bring my blue jumper on Saturday?", "waiting");
	t = fixture_thread(&fx, jo);
	out = json_array_get(json_object_get(t, "messages"), 0);
	CHECK_INT(json_integer_value(json_object_get(out, "id")), first);
	CHECK_STR(json_string_value(json_object_get(out, "status")), "waiting");
	CHECK_STR(json_string_value(json_object_get(out, "reason")), NIGHT);
	json_decref(t);
	audit = fixture_audit(&fx, "message.send");
	CHECK_INT(json_array_size(audit), 3);
	CHECK_STR(json_string_value(json_object_get(
	                  json_object_get(json_array_get(audit, 0), "detail"), "status")),
	          "waiting");
	json_decref(audit);
	/* Staff's list of review requests is not where waiting messages go. */
	out = fixture_ctl_json(&fx, 0, "admin", "message", "reviews", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "reviews")), 0);
	json_decref(out);

	test_step("the worker's thread is open at night: later sends at once");
	id = send_later("worker", "Can we talk tomorrow?", "delivered");
	CHECK(id > third);

	test_step("a victim's thread is never offered it; a later send there is refused");
	fixture_call(&fx, "onward.Message.Send",
	             json_pack("{s:s, s:s, s:b}", "to", victim, "text", "Hello", "later", 1), &r);
	CHECK_STR(r.error, "onward.PermissionDenied"); /* with the first reason: night */
	client_reply_release(&r);
	t = fixture_thread(&fx, victim);
	CHECK_INT(json_array_size(json_object_get(t, "messages")), 0);
	CHECK(json_is_false(json_object_get(t, "can_send_later")));
	json_decref(t);

	test_step("the person takes one back: its words come back; not twice, not a sent one");
	cancel(second, NULL, "Second thoughts: ignore this one.");
	cancel(second, "onward.NotFound", NULL);
	cancel(id, "onward.Conflict", NULL);
	CHECK_STR(status_of(jo, second, buf, sizeof(buf)), "");
	CHECK_INT(audit_count("message.cancel"), 3); /* the one taken back, and two refusals */

	test_step("a word-list match and a child's thread wait too");
	out = fixture_ctl_json(&fx, 0, "o.reed", "wordlist", "add", "parcel", NULL);
	json_decref(out);
	held = send_later(jo, "I am sending a parcel.", "waiting");
	to_minor = send_later(minor, "Happy birthday Mia", "waiting");

	test_step("waiting messages survive a restart");
	fixture_disconnect(&fx);
	daemon_kill(&fx.d);
	daemon_start(&fx.d);
	fixture_connect(&fx);
	CHECK_STR(status_of(jo, first, buf, sizeof(buf)), "waiting");
	CHECK_STR(status_of(jo, held, buf, sizeof(buf)), "waiting");

	test_step("at 07:00 they go in order, moderated as if sent then; a withdrawn one stops");
	json_decref(daemon_admin_ok(&fx.d, "onward.Person.Set",
	                            json_pack("{s:s, s:[s]}", "prison_number", "A1234BC",
	                                      "add_flags", "child_safeguarding")));
	daemon_clock_set(&fx.d, "2026-12-10T07:00:05Z");
	CHECK_STR(status_of(jo, first, buf, sizeof(buf)), "delivered");
	CHECK_STR(status_of(jo, third, buf, sizeof(buf)), "delivered");
	CHECK_STR(status_of(jo, held, buf, sizeof(buf)), "held");
	CHECK_STR(status_of(minor, to_minor, buf, sizeof(buf)), "rejected");
	t = fixture_thread(&fx, minor);
	CHECK_STR(json_string_value(json_object_get(
	                  json_array_get(json_object_get(t, "messages"), 0), "reason")),
	          CHILD);
	json_decref(t);
	audit = fixture_audit(&fx, "message.send_queued");
	CHECK_INT(json_array_size(audit), 4);
	/* Oldest first: the first written went first; the child's, refused now, last. */
	CHECK_STR(json_string_value(json_object_get(json_array_get(audit, 3), "outcome")), "deny");
	CHECK_STR(json_string_value(json_object_get(json_array_get(audit, 0), "outcome")), "allow");
	CHECK_INT(json_integer_value(json_object_get(
	                  json_object_get(json_array_get(audit, 0), "detail"), "message")),
	          first);
	CHECK_STR(json_string_value(json_object_get(json_array_get(audit, 0), "actor")), "system");
	json_decref(audit);
	/* The first went before the third: it is first in the family service's outbox. */
	out = fixture_ctl_json(&fx, 0, "admin", "message", "outbox", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "messages")), 2);
	CHECK_INT(json_integer_value(json_object_get(
	                  json_array_get(json_object_get(out, "messages"), 0), "id")),
	          first);
	json_decref(out);
	out = fixture_ctl_json(&fx, 0, "o.reed", "message", "queue", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "messages")), 1);
	json_decref(out);
	cancel(first, "onward.Conflict", NULL);

	test_step("under a lockdown a message waits with no time, and goes when it is lifted");
	daemon_clock_set(&fx.d, "2026-12-10T10:00:00Z");
	fixture_regime(&fx, "lockdown");
	fixture_call(&fx, "onward.Message.Threads", NULL, &r);
	t = find_thread(json_object_get(r.parameters, "threads"), jo);
	CHECK_STR(json_string_value(json_object_get(t, "send_reason")), LOCKDOWN);
	CHECK(json_is_true(json_object_get(t, "can_send_later")));
	CHECK(json_object_get(t, "opens") == NULL);
	client_reply_release(&r);
	id = send_later(jo, "Are you all right?", "waiting");
	CHECK_STR(status_of(jo, id, buf, sizeof(buf)), "waiting");
	fixture_regime(&fx, "auto");
	CHECK_STR(status_of(jo, id, buf, sizeof(buf)), "delivered");

	test_step("frequent words: the person's own, used at least twice, most used first");
	fixture_send_ok(&fx, "worker", "Thanks Kiran, thanks again. Thanks, thanks.", "delivered");
	fixture_call(&fx, "onward.Message.Words", NULL, &r);
	CHECK(r.error == NULL);
	words = json_object_get(r.parameters, "words");
	CHECK(json_array_size(words) >= 2);
	CHECK_STR(json_string_value(json_array_get(words, 0)), "thanks");
	for (size_t i = 0; i < json_array_size(words); i++) {
		const char *w = json_string_value(json_array_get(words, i));

		CHECK(strcmp(w, "ignore") != 0); /* taken back, so not theirs to learn from */
		CHECK(strlen(w) >= 3);
	}
	client_reply_release(&r);

	fixture_stop(&fx);
	return 0;
}

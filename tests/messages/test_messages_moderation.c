/*
 * Moderation through the real daemon and the real onwardctl: the word list (whole words
 * and phrases, kept by officers), messages held by policy for the word list and for a
 * public-protection flag with the reason the person sees, the queue (its reads recorded
 * and shown to the person), approve and reject (only for people in the staff member's own
 * establishment), asking staff to look again at a rejected message and at a refusal, the
 * answer appearing in the same thread, the worker thread (only the named worker writes
 * in it), the home badge and marking as read.
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HELD_WORD "Staff will check this message before it goes."
#define HELD_PLAN "Staff check your messages before they go. This is part of your plan."

static struct fixture fx;

static json_t *
last_item(json_t *thread)
{
	json_t *items = json_object_get(thread, "messages");

	return json_array_get(items, json_array_size(items) - 1);
}

static int64_t
unread_badge(void)
{
	struct client_reply r;
	json_t *t;
	size_t i;
	int64_t badge = -1;

	daemon_call(fx.control, "onward.Shell.Home", NULL, &r);
	CHECK(r.error == NULL);
	json_array_foreach(
	        json_object_get(r.parameters, "tiles"), i,
	        t) if (strcmp(json_string_value(json_object_get(t, "app")), "messages") == 0)
	        badge = json_integer_value(json_object_get(t, "badge"));
	client_reply_release(&r);
	return badge;
}

int
main(void)
{
	char jo[32], id[24];
	struct client_reply r;
	struct run_result rr;
	json_t *out, *t, *m;
	int64_t parcel, wall, plain, plan, refusal, review1, review2;

	fixture_start(&fx);
	fixture_regime(&fx, "unlock");
	fixture_with(fixture_contact(&fx, "Jo Jones", true, false, false, false), jo, sizeof(jo));

	test_step("officers keep the word list; entries are normalised; others are refused");
	out = fixture_ctl_json(&fx, 0, "o.reed", "wordlist", "add", "Parcel", NULL);
	CHECK_STR(json_string_value(json_object_get(out, "word")), "parcel");
	json_decref(out);
	json_decref(fixture_ctl_json(&fx, 0, "o.reed", "wordlist", "add", "over  the Wall", NULL));
	out = fixture_ctl_json(&fx, 1, "o.reed", "wordlist", "add", "b@d", NULL);
	CHECK_STR(json_string_value(json_object_get(out, "error")), "onward.InvalidParameter");
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "o.reed", "wordlist", "add", "parcel", NULL);
	CHECK_STR(json_string_value(json_object_get(out, "error")), "onward.AlreadyExists");
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "k.patel", "wordlist", "add", "spice", NULL);
	CHECK_STR(fixture_error_message(out), "Your role cannot do this here.");
	json_decref(out);
	out = fixture_ctl_json(&fx, 0, "o.reed", "wordlist", "list", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "words")), 2);
	CHECK_STR(json_string_value(json_object_get(
	                  json_array_get(json_object_get(out, "words"), 0), "word")),
	          "over the wall");
	json_decref(out);

	test_step("the word list holds a message, whole words and phrases only");
	parcel = fixture_send_ok(&fx, jo, "Can you bring the PARCEL on Saturday?", "held");
	fixture_send_ok(&fx, jo, "I sent two parcels last week.", "delivered");
	wall = fixture_send_ok(&fx, jo, "He went over\nthe wall, in the film.", "held");
	t = fixture_thread(&fx, jo);
	m = json_array_get(json_object_get(t, "messages"), 0);
	CHECK_INT(json_integer_value(json_object_get(m, "id")), parcel);
	CHECK_STR(json_string_value(json_object_get(m, "reason")), HELD_WORD);
	CHECK(json_object_get(m, "matched") == NULL); /* the person is not told which word */
	CHECK_INT(json_array_size(json_object_get(t, "staff_reads")), 0);
	json_decref(t);

	test_step("the queue shows held messages and records each thread as read by staff");
	out = fixture_ctl_json(&fx, 0, "o.reed", "message", "queue", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "messages")), 2);
	m = json_array_get(json_object_get(out, "messages"), 0);
	CHECK_INT(json_integer_value(json_object_get(m, "id")), parcel);
	CHECK_STR(json_string_value(json_object_get(m, "matched")), "parcel");
	CHECK_STR(json_string_value(json_object_get(m, "prison_number")), "A1234BC");
	CHECK_STR(json_string_value(json_object_get(
	                  json_array_get(json_object_get(out, "messages"), 1), "matched")),
	          "over the wall");
	json_decref(out);
	t = fixture_thread(&fx, jo);
	CHECK_INT(json_array_size(json_object_get(t, "staff_reads")), 1);
	m = json_array_get(json_object_get(t, "staff_reads"), 0);
	CHECK_STR(json_string_value(json_object_get(m, "role")), "officer");
	CHECK_INT(json_integer_value(json_object_get(m, "messages")), 2);
	CHECK(json_is_string(json_object_get(m, "time")));
	json_decref(t);
	out = fixture_audit(&fx, "message.staff_read");
	CHECK_INT(json_array_size(out), 1);
	m = json_array_get(out, 0);
	CHECK_STR(json_string_value(json_object_get(m, "actor")), "staff:o.reed");
	CHECK_STR(json_string_value(json_object_get(m, "subject")), "person:A1234BC");
	CHECK_STR(json_string_value(json_object_get(json_object_get(m, "detail"), "via")),
	          "message.queue");
	json_decref(out);
	/* An officer elsewhere sees nothing of Moorland's queue, and cannot decide on it. */
	out = fixture_ctl_json(&fx, 0, "b.lane", "message", "queue", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "messages")), 0);
	json_decref(out);
	snprintf(id, sizeof(id), "%lld", (long long)parcel);
	out = fixture_ctl_json(&fx, 1, "b.lane", "message", "approve", id, NULL);
	CHECK_STR(fixture_error_message(out),
	          "You can moderate messages only for people in your own establishment.");
	json_decref(out);

	test_step("approve lets a message through to the outbox; reject stops it with a reason");
	out = fixture_ctl_json(&fx, 0, "o.reed", "message", "approve", id, NULL);
	CHECK_STR(json_string_value(json_object_get(json_object_get(out, "message"), "status")),
	          "delivered");
	CHECK_STR(json_string_value(json_object_get(json_object_get(out, "message"), "decided_by")),
	          "o.reed");
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "o.reed", "message", "approve", id, NULL);
	CHECK_STR(fixture_error_message(out), "This message is not waiting for a check.");
	json_decref(out);
	out = fixture_ctl_json(&fx, 0, "admin", "message", "outbox", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "messages")), 2); /* parcel, and parcels */
	CHECK_INT(json_integer_value(json_object_get(
	                  json_array_get(json_object_get(out, "messages"), 0), "id")),
	          parcel);
	json_decref(out);
	snprintf(id, sizeof(id), "%lld", (long long)wall);
	fixture_ctl(&fx, &rr, "o.reed", "message", "reject", id, "--reason", NULL);
	CHECK_INT(rr.status, 2);
	CHECK_CONTAINS(rr.err, "--reason needs a value");
	run_result_release(&rr);
	fixture_ctl(&fx, &rr, "o.reed", "message", "reject", id, NULL);
	CHECK_INT(rr.status, 1);
	CHECK_CONTAINS(rr.err, "parameter 'reason' is missing");
	run_result_release(&rr);
	out = fixture_ctl_json(&fx, 0, "o.reed", "message", "reject", id, "--reason",
	                       "Please do not write about getting out.", NULL);
	CHECK_STR(json_string_value(json_object_get(json_object_get(out, "message"), "status")),
	          "rejected");
	json_decref(out);
	t = fixture_thread(&fx, jo);
	m = json_array_get(json_object_get(t, "messages"), 0);
	CHECK_STR(json_string_value(json_object_get(m, "status")), "delivered");
	CHECK(json_object_get(m, "reason") == NULL);
	m = last_item(t);
	CHECK_INT(json_integer_value(json_object_get(m, "id")), wall);
	CHECK_STR(json_string_value(json_object_get(m, "status")), "rejected");
	CHECK_STR(json_string_value(json_object_get(m, "reason")),
	          "Please do not write about getting out.");
	json_decref(t);

	test_step("a public-protection flag holds every family message, not the worker's");
	json_decref(daemon_admin_ok(&fx.d, "onward.Person.Set",
	                            json_pack("{s:s, s:[s]}", "prison_number", "A1234BC",
	                                      "add_flags", "public_protection")));
	plan = fixture_send_ok(&fx, jo, "Hello, how is the dog?", "held");
	t = fixture_thread(&fx, jo);
	CHECK_STR(json_string_value(json_object_get(last_item(t), "reason")), HELD_PLAN);
	json_decref(t);
	fixture_send_ok(&fx, "worker", "When is my next meeting?", "delivered");
	json_decref(daemon_admin_ok(&fx.d, "onward.Person.Set",
	                            json_pack("{s:s, s:[s]}", "prison_number", "A1234BC",
	                                      "remove_flags", "public_protection")));
	plain = fixture_send_ok(&fx, jo, "Back to normal.", "delivered");
	CHECK(plain > plan);

	test_step("asking staff to look again: at a stopped message, and at a refusal");
	fixture_call(&fx, "onward.Message.AskReview",
	             json_pack("{s:I, s:s}", "message", wall, "note", "It was about a film."), &r);
	CHECK(r.error == NULL);
	m = json_object_get(r.parameters, "review");
	review1 = json_integer_value(json_object_get(m, "id"));
	CHECK_STR(json_string_value(json_object_get(m, "status")), "waiting");
	CHECK_STR(json_string_value(json_object_get(m, "reason")),
	          "Please do not write about getting out.");
	client_reply_release(&r);
	fixture_call(&fx, "onward.Message.AskReview", json_pack("{s:I}", "message", wall), &r);
	CHECK_STR(r.error, "onward.AlreadyExists");
	CHECK_STR(client_reply_message(&r), "You have already asked staff to look at this.");
	client_reply_release(&r);
	fixture_call(&fx, "onward.Message.AskReview", json_pack("{s:I}", "message", plain), &r);
	CHECK_STR(r.error, "onward.Conflict");
	client_reply_release(&r);
	fixture_call(&fx, "onward.Message.AskReview",
	             json_pack("{s:I, s:I}", "message", wall, "refusal", 1), &r);
	CHECK_STR(r.error, "onward.InvalidParameter");
	client_reply_release(&r);
	fixture_regime(&fx, "night");
	refusal = fixture_send_refused(&fx, jo, "Goodnight, love you",
	                               "Messages to family and friends are closed at night, 21:00 "
	                               "to 07:00.");
	fixture_regime(&fx, "unlock");
	fixture_call(&fx, "onward.Message.AskReview", json_pack("{s:I}", "refusal", refusal), &r);
	CHECK(r.error == NULL);
	m = json_object_get(r.parameters, "review");
	review2 = json_integer_value(json_object_get(m, "id"));
	CHECK_STR(json_string_value(json_object_get(m, "quote")), "Goodnight, love you");
	client_reply_release(&r);
	fixture_call(&fx, "onward.Message.AskReview", json_pack("{s:I}", "refusal", refusal), &r);
	CHECK_STR(r.error, "onward.AlreadyExists");
	client_reply_release(&r);
	fixture_call(&fx, "onward.Message.AskReview", json_pack("{s:I}", "refusal", 999999), &r);
	CHECK_STR(r.error, "onward.NotFound");
	client_reply_release(&r);
	t = fixture_thread(&fx, jo);
	m = last_item(t);
	CHECK_INT(json_integer_value(json_object_get(m, "id")), review2);
	CHECK_STR(json_string_value(json_object_get(m, "kind")), "review");
	CHECK_STR(json_string_value(json_object_get(m, "reason")),
	          "Messages to family and friends are closed at night, 21:00 to 07:00.");
	json_decref(t);

	test_step("staff answer reviews; the answer appears in the same thread");
	out = fixture_ctl_json(&fx, 0, "o.reed", "message", "reviews", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "reviews")), 2);
	json_decref(out);
	snprintf(id, sizeof(id), "%lld", (long long)review2);
	out = fixture_ctl_json(&fx, 0, "o.reed", "message", "review-answer", id, "--text",
	                       "Night messages stay closed for everyone. Send it in the morning.",
	                       NULL);
	CHECK_STR(json_string_value(json_object_get(json_object_get(out, "answer"), "kind")),
	          "answer");
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "o.reed", "message", "review-answer", id, "--text", "Again",
	                       NULL);
	CHECK_STR(fixture_error_message(out), "That request has been answered already.");
	json_decref(out);
	t = fixture_thread(&fx, jo);
	m = last_item(t);
	CHECK_STR(json_string_value(json_object_get(m, "kind")), "answer");
	CHECK_STR(json_string_value(json_object_get(m, "from")), "staff");
	CHECK_STR(json_string_value(json_object_get(m, "author_role")), "officer");
	CHECK_INT(json_integer_value(json_object_get(m, "about")), review2);
	CHECK(json_is_false(json_object_get(m, "read")));
	m = json_array_get(json_object_get(t, "messages"),
	                   json_array_size(json_object_get(t, "messages")) - 2);
	CHECK_INT(json_integer_value(json_object_get(m, "id")), review2);
	CHECK_STR(json_string_value(json_object_get(m, "status")), "answered");
	json_decref(t);
	out = fixture_ctl_json(&fx, 0, "o.reed", "message", "reviews", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "reviews")), 1);
	CHECK_INT(json_integer_value(json_object_get(
	                  json_array_get(json_object_get(out, "reviews"), 0), "id")),
	          review1);
	json_decref(out);

	test_step("the worker thread: only the named worker writes; reads are shown to the person");
	out = fixture_ctl_json(&fx, 0, "k.patel", "message", "send-as-worker", "A1234BC", "--text",
	                       "Your meeting is on Tuesday at 10.", NULL);
	CHECK_STR(json_string_value(json_object_get(json_object_get(out, "message"), "author")),
	          "k.patel");
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "o.reed", "message", "send-as-worker", "A1234BC", "--text",
	                       "Hello", NULL);
	CHECK_STR(fixture_error_message(out),
	          "Only this person's named worker can write in their worker thread.");
	json_decref(out);
	CHECK_INT(unread_badge(), 2); /* the review answer and the worker's message */
	out = fixture_ctl_json(&fx, 0, "k.patel", "message", "thread", "A1234BC", "worker", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "messages")), 2);
	CHECK_STR(json_string_value(json_object_get(last_item(out), "from")), "staff");
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "b.lane", "message", "thread", "A1234BC", "worker", NULL);
	json_decref(out);
	t = fixture_thread(&fx, "worker");
	m = last_item(t);
	CHECK_STR(json_string_value(json_object_get(m, "text")),
	          "Your meeting is on Tuesday at 10.");
	CHECK_STR(json_string_value(json_object_get(m, "author_name")), "Kiran Patel");
	CHECK_STR(json_string_value(json_object_get(m, "author_role")), "key_worker");
	CHECK_STR(json_string_value(json_object_get(
	                  json_array_get(json_object_get(t, "staff_reads"), 0), "role")),
	          "key_worker");
	json_decref(t);

	test_step("marking as read clears the badge, thread by thread");
	fixture_call(&fx, "onward.Message.MarkRead", json_pack("{s:s}", "with", "worker"), &r);
	CHECK(r.error == NULL);
	CHECK_INT(json_integer_value(json_object_get(r.parameters, "marked")), 1);
	CHECK_INT(json_integer_value(json_object_get(r.parameters, "unread")), 1);
	client_reply_release(&r);
	fixture_call(&fx, "onward.Message.MarkRead", json_pack("{s:s}", "with", jo), &r);
	CHECK(r.error == NULL);
	CHECK_INT(json_integer_value(json_object_get(r.parameters, "unread")), 0);
	client_reply_release(&r);
	CHECK_INT(unread_badge(), 0);

	test_step("onwardctl: every messaging command has --help; usage errors exit 2");
	{
		static const char *const cmds[][2] = {
		        {"message", "queue"},          {"message", "approve"},
		        {"message", "reject"},         {"message", "thread"},
		        {"message", "send-as-worker"}, {"message", "reviews"},
		        {"message", "review-answer"},  {"message", "deliver-inbound"},
		        {"message", "outbox"},         {"message", "outbox-ack"},
		        {"message", "settings"},       {"wordlist", "add"},
		        {"wordlist", "remove"},        {"wordlist", "list"},
		};

		for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			fixture_ctl(&fx, &rr, "admin", cmds[i][0], cmds[i][1], "--help", NULL);
			CHECK_INT(rr.status, 0);
			CHECK_CONTAINS(rr.out, "Usage: onwardctl");
			run_result_release(&rr);
		}
		fixture_ctl(&fx, &rr, "admin", "message", "approve", "twelve", NULL);
		CHECK_INT(rr.status, 2);
		run_result_release(&rr);
		/* The people's output: one row per item, its text indented under it. */
		fixture_ctl(&fx, &rr, "o.reed", "message", "queue", NULL);
		CHECK_INT(rr.status, 0);
		CHECK_CONTAINS(rr.out, "contact:1  out  message   held");
		CHECK_CONTAINS(rr.out, "\n    Hello, how is the dog?\n");
		CHECK_CONTAINS(rr.out, "reason: " HELD_PLAN);
		run_result_release(&rr);
		snprintf(id, sizeof(id), "%lld", (long long)plan);
		fixture_ctl(&fx, &rr, "o.reed", "message", "approve", id, NULL);
		CHECK_INT(rr.status, 0);
		CHECK_CONTAINS(rr.out, "delivered");
		CHECK_CONTAINS(rr.out, "decided by o.reed");
		run_result_release(&rr);
		fixture_ctl(&fx, &rr, "o.reed", "message", "queue", NULL);
		CHECK_INT(rr.status, 0);
		CHECK_STR(rr.out, "No messages are waiting for a check.\n");
		run_result_release(&rr);
	}
	out = fixture_ctl_json(&fx, 0, "o.reed", "wordlist", "remove", "PARCEL", NULL);
	CHECK(json_is_false(json_object_get(out, "listed")));
	json_decref(out);
	fixture_send_ok(&fx, jo, "The parcel came, thank you.", "delivered");

	fixture_stop(&fx);
	printf("test-messages-moderation: OK\n");
	return 0;
}

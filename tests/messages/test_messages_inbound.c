/*
 * Messages from outside and to outside, through the real daemon: deliver-inbound (the
 * family service's stand-in) is decided by the same policy as reading (message.read on the
 * contact) and held or let through the same way as sending, with refusals storing nothing;
 * the outbox of messages waiting for the family service keeps its ids across a restart and
 * takes acknowledgements; and acknowledged messages survive kill -9, with group commit on
 * (several channels sending at once) and off.
 */
#include "fixture.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fixture fx;

/* Every item in one of Sam's threads, as staff see them (paging back from the newest). */
static json_t *
all_items(const char *with)
{
	json_t *all = json_array();
	int64_t before = 0;

	for (;;) {
		json_t *p = json_pack("{s:s, s:s, s:i}", "prison_number", "A1234BC", "with", with,
		                      "limit", 30);
		json_t *page, *items;

		if (before)
			json_object_set_new(p, "before", json_integer(before));
		page = daemon_admin_ok(&fx.d, "onward.Message.StaffRead", p);
		items = json_object_get(page, "messages");
		for (size_t i = json_array_size(items); i > 0; i--)
			json_array_insert(all, 0, json_array_get(items, i - 1));
		if (json_array_size(items))
			before =
			        json_integer_value(json_object_get(json_array_get(items, 0), "id"));
		if (!json_is_true(json_object_get(page, "more"))) {
			json_decref(page);
			return all;
		}
		json_decref(page);
	}
}

static size_t
person_items(const char *with)
{
	json_t *t = fixture_thread(&fx, with);
	size_t n = json_array_size(json_object_get(t, "messages"));

	json_decref(t);
	return n;
}

static int64_t
outbox_first_id(json_t *out)
{
	return json_integer_value(
	        json_object_get(json_array_get(json_object_get(out, "messages"), 0), "id"));
}

/*
 * Opens `n` more Messages channels and sends `each` messages to the worker on every one,
 * all calls queued before any reply is read; checks every reply and returns their ids.
 */
static void
burst(int n, int each, int64_t *ret_ids)
{
	struct client *ch[8];
	struct client_reply r;
	int got = 0;

	CHECK(n <= 8);
	for (int i = 0; i < n; i++) {
		daemon_call(fx.control, "onward.App.Open", json_pack("{s:s}", "app", "messages"),
		            &r);
		CHECK(r.error == NULL);
		CHECK_INT(client_adopt(r.fd, &ch[i]), 0);
		r.fd = -1;
		client_reply_release(&r);
		for (int k = 0; k < each; k++) {
			char text[48];

			snprintf(text, sizeof(text), "burst %d.%d", i, k);
			CHECK_INT(
			        client_send(ch[i], "onward.Message.Send",
			                    json_pack("{s:s, s:s}", "to", "worker", "text", text)),
			        0);
		}
	}
	for (int i = 0; i < n; i++) {
		while (client_flush(ch[i]) == -EAGAIN)
			;
	}
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < each; k++) {
			int rr;

			do {
				rr = client_receive(ch[i], &r);
				if (rr == -EAGAIN) {
					(void)client_flush(ch[i]);
					(void)poll(&(struct pollfd){client_fd(ch[i]), POLLIN, 0}, 1,
					           1000);
				}
			} while (rr == -EAGAIN);
			CHECK_INT(rr, 0);
			if (r.error)
				check_failed(__FILE__, __LINE__, "burst send: %s",
				             client_reply_message(&r));
			CHECK_STR(json_string_value(json_object_get(
			                  json_object_get(r.parameters, "message"), "status")),
			          "delivered");
			ret_ids[got++] = json_integer_value(
			        json_object_get(json_object_get(r.parameters, "message"), "id"));
			client_reply_release(&r);
		}
		client_free(ch[i]);
	}
}

static bool
has_id(json_t *items, int64_t id)
{
	size_t i;
	json_t *m;

	json_array_foreach(items, i,
	                   m) if (json_integer_value(json_object_get(m, "id")) == id) return true;
	return false;
}

int
main(void)
{
	char jo[32], pat[32], bo[32], mia[32], id[24], after[24];
	json_t *out, *t, *m, *items;
	int64_t jo_id, held_in, o1, o2, o3, ids[200];
	size_t staff_count;

	fixture_start(&fx);
	fixture_regime(&fx, "unlock");
	jo_id = fixture_contact(&fx, "Jo Jones", true, false, false, false);
	fixture_with(jo_id, jo, sizeof(jo));
	fixture_with(fixture_contact(&fx, "Pat Pending", false, false, false, false), pat,
	             sizeof(pat));
	fixture_with(fixture_contact(&fx, "Bo Barred", false, false, false, true), bo, sizeof(bo));
	fixture_with(fixture_contact(&fx, "Mia Minor", true, true, false, false), mia, sizeof(mia));

	test_step("a message from an approved contact arrives, unread");
	snprintf(id, sizeof(id), "%lld", (long long)jo_id);
	out = fixture_ctl_json(&fx, 0, "admin", "message", "deliver-inbound", "A1234BC", "--from",
	                       id, "--text", "Hi Sam, love from Mum.", NULL);
	m = json_object_get(out, "message");
	CHECK_STR(json_string_value(json_object_get(m, "status")), "delivered");
	CHECK_STR(json_string_value(json_object_get(m, "direction")), "in");
	json_decref(out);
	t = fixture_thread(&fx, jo);
	m = json_array_get(json_object_get(t, "messages"), 0);
	CHECK_STR(json_string_value(json_object_get(m, "from")), "contact");
	CHECK_STR(json_string_value(json_object_get(m, "text")), "Hi Sam, love from Mum.");
	CHECK(json_is_false(json_object_get(m, "read")));
	json_decref(t);

	test_step("from a pending, barred or protected contact: refused, nothing stored");
	out = fixture_ctl_json(&fx, 1, "admin", "message", "deliver-inbound", "A1234BC", "--from",
	                       pat + 8, "--text", "Hi from Pat", NULL);
	CHECK_STR(fixture_error_message(out),
	          "You can only message people staff have approved. Ask your key worker.");
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "admin", "message", "deliver-inbound", "A1234BC", "--from",
	                       bo + 8, "--text", "Hi from Bo", NULL);
	CHECK_STR(fixture_error_message(out),
	          "You cannot contact this person. Contact has been barred.");
	json_decref(out);
	json_decref(daemon_admin_ok(&fx.d, "onward.Person.Set",
	                            json_pack("{s:s, s:[s]}", "prison_number", "A1234BC",
	                                      "add_flags", "child_safeguarding")));
	out = fixture_ctl_json(&fx, 1, "admin", "message", "deliver-inbound", "A1234BC", "--from",
	                       mia + 8, "--text", "Hi from Mia", NULL);
	CHECK_STR(fixture_error_message(out),
	          "You cannot message children. This is part of your safeguarding plan.");
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "admin", "message", "deliver-inbound", "A1234BC", "--from",
	                       "999999", "--text", "Who?", NULL);
	CHECK_STR(json_string_value(json_object_get(out, "error")), "onward.NotFound");
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "admin", "message", "deliver-inbound", "A1234BC", "--from",
	                       id, "--text", "ring\x07", NULL);
	CHECK_STR(json_string_value(json_object_get(out, "error")), "onward.InvalidParameter");
	json_decref(out);
	for (int i = 0; i < 3; i++) {
		const char *with = i == 0 ? pat : i == 1 ? bo : mia;

		items = all_items(with);
		CHECK_INT(json_array_size(items), 0);
		json_decref(items);
	}
	items = all_items(jo);
	CHECK_INT(json_array_size(items), 1);
	json_decref(items);

	test_step("held by the word list: hidden from the person until staff approve it");
	json_decref(fixture_ctl_json(&fx, 0, "admin", "wordlist", "add", "parcel", NULL));
	out = fixture_ctl_json(&fx, 0, "admin", "message", "deliver-inbound", "A1234BC", "--from",
	                       id, "--text", "The parcel is on its way.", NULL);
	held_in = json_integer_value(json_object_get(json_object_get(out, "message"), "id"));
	CHECK_STR(json_string_value(json_object_get(json_object_get(out, "message"), "status")),
	          "held");
	CHECK_STR(json_string_value(json_object_get(json_object_get(out, "message"), "matched")),
	          "parcel");
	json_decref(out);
	out = fixture_ctl_json(&fx, 0, "admin", "message", "deliver-inbound", "A1234BC", "--from",
	                       id, "--text", "Another parcel for you.", NULL);
	snprintf(after, sizeof(after), "%lld",
	         (long long)json_integer_value(
	                 json_object_get(json_object_get(out, "message"), "id")));
	json_decref(out);
	CHECK_INT(person_items(jo), 1);
	snprintf(id, sizeof(id), "%lld", (long long)held_in);
	json_decref(fixture_ctl_json(&fx, 0, "o.reed", "message", "approve", id, NULL));
	json_decref(fixture_ctl_json(&fx, 0, "o.reed", "message", "reject", after, "--reason",
	                             "Not suitable.", NULL));
	t = fixture_thread(&fx, jo);
	CHECK_INT(json_array_size(json_object_get(t, "messages")), 2);
	CHECK_STR(json_string_value(json_object_get(
	                  json_array_get(json_object_get(t, "messages"), 1), "text")),
	          "The parcel is on its way.");
	json_decref(t);
	json_decref(fixture_ctl_json(&fx, 0, "admin", "wordlist", "remove", "parcel", NULL));

	test_step("the outbox: approved messages to contacts, with stable ids, until acknowledged");
	o1 = fixture_send_ok(&fx, jo, "Outbox one", "delivered");
	o2 = fixture_send_ok(&fx, jo, "Outbox two", "delivered");
	o3 = fixture_send_ok(&fx, jo, "Outbox three", "delivered");
	fixture_send_ok(&fx, "worker", "Not for the outbox", "delivered");
	out = fixture_ctl_json(&fx, 0, "admin", "message", "outbox", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "messages")), 3);
	CHECK_INT(outbox_first_id(out), o1);
	m = json_array_get(json_object_get(out, "messages"), 2);
	CHECK_INT(json_integer_value(json_object_get(m, "id")), o3);
	CHECK_INT(json_integer_value(json_object_get(m, "contact")), jo_id);
	CHECK_STR(json_string_value(json_object_get(m, "prison_number")), "A1234BC");
	CHECK_STR(json_string_value(json_object_get(m, "text")), "Outbox three");
	json_decref(out);
	snprintf(after, sizeof(after), "%lld", (long long)o1);
	out = fixture_ctl_json(&fx, 0, "admin", "message", "outbox", "--after", after, "--limit",
	                       "1", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "messages")), 1);
	CHECK_INT(outbox_first_id(out), o2);
	CHECK_INT(json_integer_value(json_object_get(out, "next")), o2);
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "o.reed", "message", "outbox", NULL);
	CHECK_STR(fixture_error_message(out), "Your role cannot do this here.");
	json_decref(out);

	daemon_stop(&fx.d);
	daemon_start(&fx.d);
	fixture_disconnect(&fx);
	fixture_connect(&fx);
	out = fixture_ctl_json(&fx, 0, "admin", "message", "outbox", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "messages")), 3);
	CHECK_INT(outbox_first_id(out), o1);
	json_decref(out);
	snprintf(id, sizeof(id), "%lld", (long long)o1);
	out = fixture_ctl_json(&fx, 0, "admin", "message", "outbox-ack", id, NULL);
	CHECK(json_is_true(json_object_get(out, "acknowledged")));
	json_decref(out);
	json_decref(fixture_ctl_json(&fx, 0, "admin", "message", "outbox-ack", id, NULL));
	out = fixture_ctl_json(&fx, 0, "admin", "message", "outbox", NULL);
	CHECK_INT(json_array_size(json_object_get(out, "messages")), 2);
	CHECK_INT(outbox_first_id(out), o2);
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "admin", "message", "outbox-ack", "999999", NULL);
	CHECK_STR(fixture_error_message(out), "There is no message with that id in the outbox.");
	json_decref(out);
	snprintf(id, sizeof(id), "%lld", (long long)held_in); /* inbound: never in the outbox */
	json_decref(fixture_ctl_json(&fx, 1, "admin", "message", "outbox-ack", id, NULL));

	test_step("the outbox withholds messages to a contact the person may no longer reach");
	{
		int64_t kim = fixture_contact(&fx, "Kim Lee", true, false, false, false);
		char kim_with[32], kim_id[24];

		fixture_send_ok(&fx, fixture_with(kim, kim_with, sizeof(kim_with)), "To Kim",
		                "delivered");
		out = fixture_ctl_json(&fx, 0, "admin", "message", "outbox", NULL);
		CHECK_INT(json_array_size(json_object_get(out, "messages")), 3);
		CHECK_INT(json_integer_value(json_object_get(out, "withheld")), 0);
		json_decref(out);
		snprintf(kim_id, sizeof(kim_id), "%lld", (long long)kim);
		json_decref(fixture_ctl_json(&fx, 0, "admin", "contact", "reject", kim_id, NULL));
		out = fixture_ctl_json(&fx, 0, "admin", "message", "outbox", NULL);
		CHECK_INT(json_array_size(json_object_get(out, "messages")), 2);
		CHECK_INT(json_integer_value(json_object_get(out, "withheld")), 1);
		json_decref(out);
	}

	test_step("the largest page of the largest messages fits in one reply");
	{
		/* 1,000 characters, 992 of them outside the BMP: 12 bytes each in a reply. */
		char text[4001];
		size_t n = (size_t)snprintf(text, sizeof(text), "maxsize ");
		struct client_reply r;
		json_t *page, *list;

		for (int i = 0; i < 992; i++, n += 4)
			memcpy(text + n, "\xf0\x9f\x98\x80", 4);
		text[n] = '\0';
		json_decref(daemon_admin_ok(&fx.d, "onward.Wordlist.Add",
		                            json_pack("{s:s}", "word", "maxsize")));
		for (int i = 0; i < 60; i++)
			json_decref(daemon_admin_ok(&fx.d, "onward.Message.DeliverInbound",
			                            json_pack("{s:s, s:I, s:s}", "prison_number",
			                                      "A1234BC", "from", (json_int_t)jo_id,
			                                      "text", text)));
		page = daemon_admin_ok(&fx.d, "onward.Message.Queue",
		                       json_pack("{s:i}", "limit", 50));
		list = json_object_get(page, "messages");
		CHECK_INT(json_array_size(list), 50);
		CHECK(json_is_integer(json_object_get(page, "next")));
		for (size_t i = 0; i < json_array_size(list); i++)
			json_decref(daemon_admin_ok(
			        &fx.d, "onward.Message.Approve",
			        json_pack("{s:I}", "id",
			                  json_integer_value(json_object_get(
			                          json_array_get(list, i), "id")))));
		json_decref(page);
		page = daemon_admin_ok(&fx.d, "onward.Message.StaffRead",
		                       json_pack("{s:s, s:s, s:i}", "prison_number", "A1234BC",
		                                 "with", jo, "limit", 30));
		CHECK_INT(json_array_size(json_object_get(page, "messages")), 30);
		json_decref(page);
		fixture_call(&fx, "onward.Message.Thread",
		             json_pack("{s:s, s:i}", "with", jo, "limit", 30), &r);
		CHECK(r.error == NULL);
		CHECK_INT(json_array_size(json_object_get(r.parameters, "messages")), 30);
		client_reply_release(&r);
		fixture_call(&fx, "onward.Message.Thread",
		             json_pack("{s:s, s:i}", "with", jo, "limit", 31), &r);
		CHECK_STR(r.error, "onward.InvalidParameter");
		client_reply_release(&r);
	}

	test_step("group commit: 4 channels x 25 at once; all there after kill -9");
	staff_count = json_array_size(items = all_items("worker"));
	json_decref(items);
	burst(4, 25, ids);
	for (int i = 1; i < 100; i++)
		for (int k = 0; k < i; k++)
			CHECK(ids[i] != ids[k]);
	fixture_disconnect(&fx);
	daemon_kill(&fx.d);
	daemon_start(&fx.d);
	fixture_connect(&fx);
	items = all_items("worker");
	CHECK_INT(json_array_size(items), staff_count + 100);
	for (int i = 0; i < 100; i++)
		CHECK(has_id(items, ids[i]));
	json_decref(items);
	out = fixture_ctl_json(&fx, 0, "admin", "audit", "verify", NULL);
	CHECK(json_is_true(json_object_get(out, "ok")));
	json_decref(out);

	test_step("group commit off: each message commits alone; all there after kill -9");
	out = fixture_ctl_json(&fx, 0, "admin", "message", "settings", "--group-commit", "off",
	                       NULL);
	CHECK(json_is_false(json_object_get(out, "group_commit")));
	json_decref(out);
	burst(2, 20, ids);
	fixture_disconnect(&fx);
	daemon_kill(&fx.d);
	daemon_start(&fx.d);
	fixture_connect(&fx);
	items = all_items("worker");
	CHECK_INT(json_array_size(items), staff_count + 140);
	for (int i = 0; i < 40; i++)
		CHECK(has_id(items, ids[i]));
	json_decref(items);
	out = fixture_ctl_json(&fx, 0, "admin", "message", "settings", NULL);
	CHECK(json_is_false(json_object_get(out, "group_commit"))); /* kept across restarts */
	json_decref(out);
	json_decref(fixture_ctl_json(&fx, 0, "admin", "message", "settings", "--group-commit", "on",
	                             NULL));
	out = fixture_ctl_json(&fx, 1, "o.reed", "message", "settings", "--group-commit", "off",
	                       NULL);
	CHECK_STR(fixture_error_message(out), "Your role cannot do this here.");
	json_decref(out);

	fixture_stop(&fx);
	printf("test-messages-inbound: OK\n");
	return 0;
}

/*
 * Replies never lie: a handler whose reply cannot be built (json_pack gave NULL) answers
 * onward.InternalError, not an empty success; the failure is in the audit chain as
 * "failed"; and the connection stays in step, so a call sent right behind it on the same
 * connection gets its own answer. Uses the test hook onward.Test.UnbuiltReply (test
 * builds only), which answers exactly as such a handler does.
 */
#include "check.h"
#include "daemon.h"
#include "proto.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

static struct test_daemon d;

static void
wait_for(struct client *c, short events)
{
	struct pollfd pfd = {.fd = client_fd(c), .events = events};

	CHECK(poll(&pfd, 1, 10000) == 1);
}

/* The next reply on c, waiting up to 10 s for it. */
static void
receive(struct client *c, struct client_reply *ret)
{
	int r;

	while ((r = client_receive(c, ret)) == -EAGAIN)
		wait_for(c, POLLIN);
	CHECK_INT(r, 0);
}

/* The last audit row's action and outcome. */
static void
last_audit(char *action, size_t a_size, char *outcome, size_t o_size)
{
	json_t *rows = daemon_admin_ok(&d, "onward.Audit.Show", json_pack("{s:i}", "limit", 1000));
	json_t *list = json_object_get(rows, "rows");
	json_t *last = json_array_get(list, json_array_size(list) - 1);

	CHECK(last != NULL);
	snprintf(action, a_size, "%s", json_string_value(json_object_get(last, "action")));
	snprintf(outcome, o_size, "%s", json_string_value(json_object_get(last, "outcome")));
	json_decref(rows);
}

int
main(void)
{
	struct client *admin;
	struct client_reply r;
	char action[64], outcome[32];

	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	admin = daemon_connect_admin(&d);

	/* -- alone: an error with plain words, never {} -- */
	daemon_call(admin, "onward.Test.UnbuiltReply", NULL, &r);
	CHECK(r.error != NULL);
	CHECK_STR(r.error, PROTO_ERR_INTERNAL);
	CHECK_STR(client_reply_message(&r), "Something went wrong making the answer.");
	client_reply_release(&r);
	last_audit(action, sizeof(action), outcome, sizeof(outcome));
	CHECK_STR(action, "test.unbuilt_reply");
	CHECK_STR(outcome, "failed");

	/* -- two calls sent back to back: each gets its own answer, in order -- */
	CHECK(client_send(admin, "onward.Test.UnbuiltReply", NULL) == 0);
	CHECK(client_send(admin, "onward.Service.GetInfo", NULL) == 0);
	while (client_flush(admin) == -EAGAIN)
		wait_for(admin, POLLOUT);
	{
		struct client_reply first, second;

		receive(admin, &first);
		receive(admin, &second);
		CHECK(first.error != NULL);
		CHECK_STR(first.error, PROTO_ERR_INTERNAL);
		CHECK(second.error == NULL);
		CHECK_STR(json_string_value(json_object_get(second.parameters, "service")),
		          "onward-policyd");
		client_reply_release(&first);
		client_reply_release(&second);
	}

	/* -- the connection is still good for ordinary calls -- */
	daemon_call(admin, "onward.Service.GetInfo", NULL, &r);
	CHECK(r.error == NULL);
	client_reply_release(&r);

	client_free(admin);
	daemon_remove(&d);
	return 0;
}

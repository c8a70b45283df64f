/*
 * test-clock: sets or moves on the clock of a running test daemon from an end-to-end
 * script, through onward.Test.Clock on its admin socket (builds with test hooks only), and
 * prints what the clock reads then. tests/harness/clock.sh wraps it (test_clock_set,
 * test_clock_advance) and starts the next shell on the same time.
 *
 *   test-clock STATE_DIR --at 2026-12-09T22:00:00Z
 *   test-clock STATE_DIR --advance 3600
 */
#include "client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define CALL_TIMEOUT_MS 20000

static int
usage(void)
{
	fprintf(stderr, "usage: test-clock STATE_DIR --at YYYY-MM-DDTHH:MM:SSZ\n"
	                "       test-clock STATE_DIR --advance SECONDS\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct client_reply reply;
	struct client *c;
	char path[4200], *end;
	json_t *params;
	int r;

	if (argc != 4)
		return usage();
	if (strcmp(argv[2], "--at") == 0) {
		params = json_pack("{s:s}", "at", argv[3]);
	} else if (strcmp(argv[2], "--advance") == 0) {
		long long s = strtoll(argv[3], &end, 10);

		if (!argv[3][0] || *end || s < 0)
			return usage();
		params = json_pack("{s:I}", "advance", (json_int_t)s);
	} else {
		return usage();
	}
	snprintf(path, sizeof(path), "%s/admin.sock", argv[1]);
	r = client_connect(path, &c);
	if (r < 0) {
		fprintf(stderr, "test-clock: %s: %s\n", path, strerror(-r));
		json_decref(params);
		return 1;
	}
	r = client_call(c, "onward.Test.Clock", params, CALL_TIMEOUT_MS, &reply);
	client_free(c);
	if (r < 0) {
		fprintf(stderr, "test-clock: no reply: %s\n", strerror(-r));
		return 1;
	}
	if (reply.error) {
		fprintf(stderr, "test-clock: %s: %s\n", reply.error, client_reply_message(&reply));
		client_reply_release(&reply);
		return 1;
	}
	printf("%s\n", json_string_value(json_object_get(reply.parameters, "now")));
	client_reply_release(&reply);
	return 0;
}

/*
 * A long call with a progress line: while the call waits for its answer, a second
 * connection asks the daemon every second how far the work has got and the line on
 * standard error says so ("checking money.pack: 45%, 3 s"). Only where a person watches:
 * standard error must be a terminal. The call itself is the same one; only the waiting
 * is different.
 */
#include "progress.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PROGRESS_EVERY_MS 1000
#define STATUS_TIMEOUT_MS 2000

/* Asks once and prints one line; a status that cannot be had is simply not shown. */
static void
show_status(struct client *status, const struct command *c, const char *as, bool *shown)
{
	struct client_reply r = {.fd = -1};
	json_t *params = as ? json_pack("{s:s}", "staff_session", as) : json_object();

	if (!status || client_call(status, c->progress_method, params, STATUS_TIMEOUT_MS, &r) < 0)
		return;
	if (!r.error && json_is_true(json_object_get(r.parameters, "running"))) {
		/* Each line over the last; the spaces clear what a longer one left. */
		fputc('\r', stderr);
		c->progress_print(stderr, r.parameters);
		fputs("    ", stderr);
		fflush(stderr);
		*shown = true;
	}
	client_reply_release(&r);
}

int
progress_call(const char *socket_path, struct client *client, const struct command *c,
              json_t *params, int timeout_ms, struct client_reply *ret)
{
	const char *as = json_string_value(json_object_get(params, "staff_session"));
	char as_copy[72] = "";
	struct client *status = NULL;
	bool shown = false;
	int waited = 0, r;

	if (as)
		snprintf(as_copy, sizeof(as_copy), "%s", as);
	r = client_send(client, c->method, params);
	while (r == 0 && client_wants_write(client)) {
		struct pollfd pfd = {.fd = client_fd(client), .events = POLLOUT};

		r = poll(&pfd, 1, timeout_ms) == 1 ? client_flush(client) : -ETIMEDOUT;
		if (r == -EAGAIN)
			r = 0;
	}
	while (r == 0) {
		struct pollfd pfd = {.fd = client_fd(client), .events = POLLIN};
		int n = poll(&pfd, 1, PROGRESS_EVERY_MS);

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 1) {
			r = client_receive(client, ret);
			if (r == -EAGAIN) {
				r = 0;
				continue;
			}
			break;
		}
		waited += PROGRESS_EVERY_MS;
		if (waited >= timeout_ms) {
			r = -ETIMEDOUT;
			break;
		}
		if (!status && client_connect(socket_path, &status) < 0)
			status = NULL;
		show_status(status, c, as_copy[0] ? as_copy : NULL, &shown);
	}
	if (shown)
		fputc('\n', stderr);
	client_free(status);
	return r;
}

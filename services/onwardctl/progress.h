/*
 * Waiting for a long call with a progress line on standard error (see progress.c).
 */
#ifndef ONWARD_ONWARDCTL_PROGRESS_H
#define ONWARD_ONWARDCTL_PROGRESS_H

#include "client.h"
#include "commands.h"

/*
 * Sends c's call with params (stolen) on client and waits up to timeout_ms for its reply,
 * showing c->progress_print's line every second from c->progress_method asked on a second
 * connection to socket_path. Returns as client_call() does.
 */
int progress_call(const char *socket_path, struct client *client, const struct command *c,
                  json_t *params, int timeout_ms, struct client_reply *ret);

#endif

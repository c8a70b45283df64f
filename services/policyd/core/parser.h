/*
 * parser.h: the daemon's side of onward-parse, the keyless child that parses every file
 * from outside (privilege separation, as OpenBSD's daemons do it: the process holding the
 * store key and identity keys parses no outside file). A struct parser is one child
 * process, started with fork and exec (libuv's uv_spawn) from ONWARD_PARSE_PATH with a
 * clean environment, /dev/null for standard input and output, a pipe for standard error
 * (its lines go to the daemon's log) and one end of a socket pair as its descriptor 3.
 *
 * A call is a request kind ("pack.page"), a JSON object of parameters and, optionally, a
 * descriptor the daemon opened itself (the child never opens a path). The call's done
 * function is called exactly once, always later from the loop: with 0 and the child's
 * reply (JSON, and raw bytes after it), or with a negative code and one line of words:
 *   the child's own -errno and message (the file is bad: say so to staff as it is);
 *   -ECHILD     the child died (a crash, or an exploit it could not carry further);
 *   -ETIMEDOUT  the call ran past its time limit and the child was killed;
 *   -EPROTO     the child broke the message framing or sent a reply that is not JSON;
 *   -ENOEXEC    no child could be started (or it did not say it was ready in time);
 *   -ECANCELED  the daemon is stopping.
 * The child's words are cleaned (one line of printable UTF-8, at most PARSER_MESSAGE_MAX
 * bytes) before anyone sees them. What its JSON says is checked by the caller, which
 * knows its shape. A reply is at most PARSE_MSG_MAX bytes (8 MiB), but for one kind
 * (PARSE_KIND_LARGE_REPLY, a person's canonical record) whose raw bytes may reach
 * PARSE_REPLY_LARGE_MAX (wire.h); either is checked before anything is allocated.
 *
 * Calls run one at a time per child, in order; the others wait in a bounded queue. A
 * child that dies is replaced when there is work for it: only the call it was running
 * fails. Nothing here blocks the loop except parser_start(), which waits for the first
 * child's HELLO once, at the daemon's start, so the daemon refuses to start when the
 * child cannot build its walls.
 */
#ifndef ONWARD_POLICYD_PARSER_H
#define ONWARD_POLICYD_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct server;
struct parser;

#define PARSER_MESSAGE_MAX 400 /* bytes of the child's words kept for a refusal */
#define PARSER_QUEUE_MAX 64 /* calls waiting for one child */

struct parser_reply {
	json_t *json; /* borrowed: the reply's JSON object, valid during the callback */
	const uint8_t *raw; /* borrowed: the raw bytes after it (an image's), or NULL */
	size_t raw_len;
};

typedef void (*parser_done_fn)(void *userdata, int r, const struct parser_reply *reply,
                               const char *message);
typedef void (*parser_progress_fn)(void *userdata, uint64_t done, uint64_t total);

/* A parser named for the log ("pages", "install"); its child starts with the first call. */
int parser_new(struct server *srv, const char *name, struct parser **ret_parser);

/* Starts the child now and waits (at most a few seconds) for its HELLO; for area start. */
int parser_start(struct parser *p, char *ret_error, size_t size);

/*
 * Queues a call. params is stolen; fd (or -1) is taken: closed once sent, or at once on
 * failure. timeout_ms counts from when the child starts on it. Returns 0 (done will be
 * called) or -EBUSY (the queue is full), -ECANCELED (closed), -ENOMEM; done is then not
 * called.
 */
int parser_call(struct parser *p, const char *kind, json_t *params, int fd, unsigned timeout_ms,
                parser_progress_fn progress, parser_done_fn done, void *userdata);

/* Calls waiting or running. */
size_t parser_pending(const struct parser *p);

/*
 * Fails every call with -ECANCELED, ends the child and closes the handles; the memory is
 * freed once libuv has closed them (for an area's drain, or when a one-off is done). May
 * be called from inside a done callback of this parser.
 */
void parser_close(struct parser *p);

#endif

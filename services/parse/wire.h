/*
 * wire.h: the messages between onward-policyd and onward-parse, its keyless child. Both
 * ends include this file and nothing else of each other's. The socket is a SOCK_STREAM
 * socket pair (the child's end is its descriptor 3); every message, both ways, is a
 * fixed 16-byte header and then exactly `len` bytes of body, as OpenBSD's imsg frames
 * them: the length is checked against PARSE_MSG_MAX (or, for one kind's reply,
 * PARSE_REPLY_LARGE_MAX) before anything is allocated, and a peer that breaks the framing
 * is cut off. The body is `json_len` bytes of one JSON object
 * (UTF-8, compact) and then `len - json_len` raw bytes (only an image's and a record's
 * replies have any).
 * The two ends are one build on one machine, so the header is in native byte order.
 *
 * A request (daemon to child) names its kind in the JSON ("kind": "pack.page") and may
 * carry one descriptor (SCM_RIGHTS, on the header's first byte): the file to read, which
 * the daemon opened itself. The child answers each request, in order, with any number of
 * PROGRESS messages and then exactly one REPLY or ERROR with the same id. It sends HELLO
 * once, first, after it has confined itself, saying which walls stand.
 */
#ifndef ONWARD_PARSE_WIRE_H
#define ONWARD_PARSE_WIRE_H

#include <stdint.h>

#define PARSE_CHILD_FD 3 /* where the child finds its socket */
#define PARSE_HEADER_LEN 16
#define PARSE_MSG_MAX (8u << 20) /* body bytes, either way */
#define PARSE_KIND_MAX 32

/*
 * One kind's REPLY may be larger: bundle.record's, the canonical text of a person's record
 * (services/record: at most RECORD_PAYLOAD_MAX, 64 MiB) as raw bytes after a small JSON
 * object, whose part stays within PARSE_MSG_MAX. Each end allows it only for a REPLY to
 * a request of that kind, and the daemon checks the length against it before allocating.
 * Why not a descriptor the child writes its answer into: the child may write to nothing
 * but its socket and standard error (its seccomp filter) and no file may grow
 * (RLIMIT_FSIZE is 0), and those walls are worth more than one copy of the record.
 */
#define PARSE_KIND_LARGE_REPLY "bundle.record"
#define PARSE_REPLY_LARGE_MAX ((64u << 20) + 4096)

enum parse_msg_type {
	PARSE_MSG_HELLO = 1, /* child: {"pid", "walls": {...}, "limits": {...}} */
	PARSE_MSG_REQUEST, /* daemon: {"kind": ..., parameters}; maybe one descriptor */
	PARSE_MSG_PROGRESS, /* child: {"done": n, "total": n} for the request `id` */
	PARSE_MSG_REPLY, /* child: the request's result (JSON, then raw bytes if any) */
	PARSE_MSG_ERROR, /* child: {"code": -errno, "message": one line} */
};

struct parse_header {
	uint32_t type; /* enum parse_msg_type */
	uint32_t id; /* the request's; 0 for HELLO */
	uint32_t len; /* body bytes that follow: at most PARSE_MSG_MAX (see above) */
	uint32_t json_len; /* of which JSON: at least 2 ("{}"), at most len */
};

_Static_assert(sizeof(struct parse_header) == PARSE_HEADER_LEN, "the header is 16 bytes");

#endif

/*
 * What the moves area's own files share (moves.c, import.c): the establishments trusted
 * here as parsed certificates, the bundle path parameter, and the import handler, which
 * lives apart because it works in the thread pool.
 */
#ifndef ONWARD_POLICYD_MOVES_INT_H
#define ONWARD_POLICYD_MOVES_INT_H

#include <stddef.h>

#include <jansson.h>

#include "bundle.h"
#include "call.h"
#include "moves.h"

struct moves;

/* At most this many trusted certificates are used; more is an operator's mistake. */
#define MOVES_TRUSTED_MAX 64

struct trust_list {
	struct bundle_cert *certs[MOVES_TRUSTED_MAX]; /* owned */
	size_t n;
	json_t *rendered; /* owned; when not NULL, each row for Trust.List is added to it */
};

/* A store_trust_list() callback: parses each trusted certificate into the list. */
int moves_trusted_collect(const struct store_trusted *t, void *userdata);
void moves_trusted_release(struct trust_list *l);

/* The "path" parameter: an absolute path; NULL after answering the call. */
const char *moves_path_param(struct call *c);

/* onward.Person.Import (import.c). */
void moves_handle_import(struct call *c);
/* The daemon is stopping: an import waiting on its child is answered now (import.c). */
void moves_import_drain(struct moves *m);

#endif

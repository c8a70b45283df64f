/*
 * This daemon's establishment identity: its Ed25519 signing and X25519 encryption keys and
 * its certificate (lib/bundle), kept in DIR/identity/: loaded when the moves area
 * starts, or made on first need from the configured establishment (whose record staff add
 * after the first start). It signs and receives person bundles.
 */
#ifndef ONWARD_POLICYD_IDENTITY_H
#define ONWARD_POLICYD_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "bundle.h"

#include "area.h"

struct server;
struct import_job;

#define IDENTITY_VALID_DAYS 730

/*
 * The identity, loaded or made now (borrowed from the server; valid while it runs).
 * -ENOENT with a plain message when the device has no establishment to make one for.
 */
int identity_get(struct server *srv, const struct bundle_identity **ret, char *err, size_t size);

/* The moves area's state: made by moves_start, freed by moves_stop (identity.c). */
struct moves {
	struct bundle_identity *identity; /* owned; NULL until loaded or made */
	struct import_job *import; /* the Person.Import under way, or NULL (import.c) */
	bool draining; /* the daemon is stopping: no import goes on to its next step */
};

extern const struct area moves_area;
struct method;

static inline struct moves *
moves_of(struct server *srv)
{
	return area_state(srv, &moves_area);
}

int moves_start(struct server *srv, void **ret_state, char *ret_error, size_t size);
void moves_drain(struct server *srv, void *state);
void moves_stop(struct server *srv, void *state);

#endif

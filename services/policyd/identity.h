/*
 * This daemon's establishment identity: its Ed25519 signing and X25519 encryption keys and
 * its certificate (services/bundle), kept in DIR/identity/. It is made on first need from
 * the configured establishment, and signs and receives person bundles.
 */
#ifndef ONWARD_POLICYD_IDENTITY_H
#define ONWARD_POLICYD_IDENTITY_H

#include <stddef.h>

#include "bundle.h"

struct server;

#define IDENTITY_VALID_DAYS 730

/*
 * The identity, loaded or made now (borrowed from the server; valid while it runs).
 * -ENOENT with a plain message when the device has no establishment to make one for.
 */
int identity_get(struct server *srv, const struct bundle_identity **ret, char *err, size_t size);

void identity_release(struct server *srv);

#endif

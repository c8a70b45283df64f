/*
 * The establishment identity (see identity.h): loaded from DIR/identity/ or generated for
 * the establishment named in policyd.json, whose row must exist (its name and kind go in
 * the certificate). Generated once; never replaced behind an operator's back.
 */
#include "identity.h"

#include "clock.h"
#include "server.h"
#include "timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
identity_get(struct server *srv, const struct bundle_identity **ret, char *err, size_t size)
{
	struct store_establishment est;
	struct bundle_identity *id = NULL;
	struct bundle_error berr = {0};
	enum bundle_kind kind;
	char dir[4200];
	int64_t now = clock_now();
	int r;

	if (srv->identity) {
		*ret = srv->identity;
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/identity", srv->state_dir);
	if (access(dir, F_OK) == 0) {
		r = bundle_identity_load(dir, &id, &berr);
		if (r < 0) {
			snprintf(err, size, "The establishment identity cannot be loaded: %s",
			         berr.message);
			return r;
		}
	} else {
		if (!srv->config.establishment[0] ||
		    store_establishment_get(srv->store, srv->config.establishment, &est) < 0) {
			snprintf(err, size,
			         "This device has no establishment identity: set \"establishment\" "
			         "in "
			         "policyd.json and add that establishment first.");
			return -ENOENT;
		}
		kind = strcmp(est.kind, "probation") == 0 ? BUNDLE_KIND_PROBATION
		                                          : BUNDLE_KIND_PRISON;
		r = bundle_identity_generate(est.code, est.name, kind, now - 86400,
		                             now + IDENTITY_VALID_DAYS * 86400LL, &id, &berr);
		if (r == 0)
			r = bundle_identity_save(id, dir, &berr);
		if (r < 0) {
			bundle_identity_free(id);
			snprintf(err, size, "The establishment identity cannot be made: %s",
			         berr.message);
			return r;
		}
	}
	srv->identity = id;
	*ret = id;
	return 0;
}

void
identity_release(struct server *srv)
{
	bundle_identity_free(srv->identity);
	srv->identity = NULL;
}

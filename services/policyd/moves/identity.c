/*
 * The establishment identity (see identity.h): loaded from DIR/identity/ or generated for
 * the establishment named in policyd.json, whose row must exist (its name and kind go in
 * the certificate). Generated once; never replaced behind an operator's back.
 */
#include "identity.h"

#include "clock.h"
#include "moves_int.h"
#include "server.h"
#include "timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
identity_get(struct server *srv, const struct bundle_identity **ret, char *err, size_t size)
{
	struct moves *m = moves_of(srv);
	struct store_establishment est;
	struct bundle_identity *id = NULL;
	struct bundle_error berr = {0};
	enum bundle_kind kind;
	char dir[4200];
	int64_t now = clock_now();
	int r;

	if (m->identity) {
		*ret = m->identity;
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
	m->identity = id;
	*ret = id;
	return 0;
}

int
moves_start(struct server *srv, void **ret_state, char *err, size_t size)
{
	struct moves *m = calloc(1, sizeof(*m));
	struct bundle_error berr = {0};
	char dir[4200];
	int r;

	if (!m)
		return -ENOMEM;
	*ret_state = m;
	/* An identity made before is loaded now; a new one waits for its establishment's
	 * record, which staff add after the first start (identity_get makes it then). */
	snprintf(dir, sizeof(dir), "%s/identity", srv->state_dir);
	if (access(dir, F_OK) != 0)
		return 0;
	r = bundle_identity_load(dir, &m->identity, &berr);
	if (r < 0)
		snprintf(err, size, "the establishment identity in %s cannot be loaded: %s", dir,
		         berr.message);
	return r;
}

void
moves_drain(struct server *srv, void *state)
{
	(void)srv;
	if (state)
		moves_import_drain(state);
}

void
moves_stop(struct server *srv, void *state)
{
	struct moves *m = state;

	if (!m)
		return;
	bundle_identity_free(m->identity);
	free(m);
}

/*
 * The policy area: explain (why a person may or may not do something), reload, per-person
 * grants and revocations, and an establishment's regime (policy.c). Grants with an expiry
 * end on time: a timer removes expired ones every minute and loads the policy without
 * them (and at once when a test moves the clock).
 */
#include "call.h"

#include "clock.h"
#include "log.h"

#include <stdlib.h>

#define GRANTS_EVERY_MS 60000

extern const struct method policy_methods[];

struct policy_area {
	uv_timer_t grants; /* removes expired grants */
};

static void
expire_grants(struct server *srv)
{
	char err[600] = "";
	int64_t expired = 0;

	if (store_grant_expire(srv->store, clock_now(), &expired) < 0 || expired == 0)
		return;
	(void)store_audit_append(srv->store, clock_now(), "system", "", "grant.expire", "ok", NULL,
	                         NULL);
	if (decide_load(srv, err, sizeof(err)) < 0)
		log_error("grants expired but %s", err);
	else
		log_info("%lld grants expired", (long long)expired);
}

static void
on_grants_timer(uv_timer_t *timer)
{
	expire_grants(timer->data);
}

static int
policy_start(struct server *srv, void **ret_state, char *err, size_t size)
{
	struct policy_area *pa = calloc(1, sizeof(*pa));

	if (!pa)
		return -ENOMEM;
	*ret_state = pa;
	uv_timer_init(srv->loop, &pa->grants);
	pa->grants.data = srv;
	uv_timer_start(&pa->grants, on_grants_timer, 1000, GRANTS_EVERY_MS);
	return 0;
}

static void
policy_drain(struct server *srv, void *state)
{
	struct policy_area *pa = state;

	uv_close((uv_handle_t *)&pa->grants, NULL);
}

static void
policy_stop(struct server *srv, void *state)
{
	free(state);
}

static void
policy_clock_moved(struct server *srv, void *state)
{
	expire_grants(srv);
}

const struct area policy_area = {
        .name = "policy",
        .methods = (const struct method *const[]){policy_methods, NULL},
        .start = policy_start,
        .drain = policy_drain,
        .stop = policy_stop,
        .clock_moved = policy_clock_moved,
};

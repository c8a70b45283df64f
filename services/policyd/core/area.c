/*
 * Starting, draining and stopping the areas (see area.h), and the state each keeps on the
 * server. Areas start in the order areas.c lists them and stop in the reverse order, so an
 * area may rely on the ones before it being up.
 */
#include "area.h"

#include "server.h"

#include <stdio.h>
#include <string.h>

static size_t
area_index(const struct area *a)
{
	for (size_t i = 0; area_list[i]; i++)
		if (area_list[i] == a)
			return i;
	return AREAS_MAX;
}

void *
area_state(const struct server *srv, const struct area *a)
{
	size_t i = area_index(a);

	return i < AREAS_MAX ? srv->area_states[i] : NULL;
}

int
areas_start(struct server *srv, char *err, size_t size)
{
	for (size_t i = 0; area_list[i]; i++) {
		const struct area *a = area_list[i];
		char why[400] = "";
		int r;

		if (i >= AREAS_MAX) {
			snprintf(err, size, "too many areas (AREAS_MAX is %d)", AREAS_MAX);
			areas_stop(srv);
			return -E2BIG;
		}
		r = a->start ? a->start(srv, &srv->area_states[i], why, sizeof(why)) : 0;
		srv->areas_started = i + 1;
		if (r < 0) {
			snprintf(err, size, "the %s area cannot start: %s", a->name,
			         why[0] ? why : strerror(-r));
			areas_stop(srv);
			return r;
		}
	}
	return 0;
}

void
areas_drain(struct server *srv)
{
	for (size_t i = srv->areas_started; i-- > 0;)
		if (area_list[i]->drain)
			area_list[i]->drain(srv, srv->area_states[i]);
}

void
areas_stop(struct server *srv)
{
	for (size_t i = srv->areas_started; i-- > 0;) {
		if (area_list[i]->stop)
			area_list[i]->stop(srv, srv->area_states[i]);
		srv->area_states[i] = NULL;
	}
	srv->areas_started = 0;
}

int
areas_context(struct server *srv, const struct store_person *p, struct facts_context *ctx)
{
	for (size_t i = 0; area_list[i]; i++) {
		int r = area_list[i]->context ? area_list[i]->context(srv, p, ctx) : 0;

		if (r < 0)
			return r;
	}
	return 0;
}

void
areas_peer_closed(struct server *srv, struct peer *p)
{
	for (size_t i = 0; i < srv->areas_started; i++)
		if (area_list[i]->peer_closed)
			area_list[i]->peer_closed(srv, p);
}

const struct area_resource *
area_resource_find(const char *text, const char **ret_id)
{
	const char *colon = strchr(text, ':');
	size_t len = colon ? (size_t)(colon - text) : strlen(text);

	for (size_t i = 0; area_list[i]; i++)
		for (const struct area_resource *k = area_list[i]->resources; k && k->prefix; k++) {
			if (strlen(k->prefix) != len || strncmp(text, k->prefix, len) != 0)
				continue;
			if (k->valid ? !colon || !k->valid(colon + 1) : colon != NULL)
				return NULL;
			*ret_id = colon ? colon + 1 : "";
			return k;
		}
	return NULL;
}

void
areas_clock_moved(struct server *srv)
{
	for (size_t i = 0; i < srv->areas_started; i++)
		if (area_list[i]->clock_moved)
			area_list[i]->clock_moved(srv, srv->area_states[i]);
}

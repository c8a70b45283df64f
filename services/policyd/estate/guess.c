/*
 * The guard on guessing enrolment codes (see estate_int.h, ESTATE_GUESSES_*). Counts are
 * kept in memory, in windows of the daemon's clock: a restart forgets them, which costs a
 * guesser nothing worth having (a restart is rare, and each window is still bounded).
 * Addresses are the ones the gateway saw; a table of them is bounded, and when it is full
 * the address whose window began first gives way (the count of all still holds).
 */
#include "estate_int.h"

#include <stdio.h>
#include <string.h>

/* Starts the count again once its window has passed (or the clock went back). */
static void
refresh(struct guess_count *n, int64_t now)
{
	if (n->since && (now - n->since >= ESTATE_GUESS_WINDOW || now < n->since)) {
		n->since = 0;
		n->wrong = 0;
	}
}

/* The address's count, or NULL when it has none. */
static struct guess_count *
find(struct guesses *g, const char *address, int64_t now)
{
	for (size_t i = 0; i < ESTATE_GUESS_ADDRESSES; i++) {
		struct guess_count *n = &g->by_address[i];

		refresh(n, now);
		if (n->since && strcmp(n->address, address) == 0)
			return n;
	}
	return NULL;
}

/* A slot for a new address: a free one, else the one whose window began first. */
static struct guess_count *
take(struct guesses *g, const char *address, int64_t now)
{
	struct guess_count *slot = &g->by_address[0];

	for (size_t i = 0; i < ESTATE_GUESS_ADDRESSES && slot->since; i++)
		if (!g->by_address[i].since || g->by_address[i].since < slot->since)
			slot = &g->by_address[i];
	snprintf(slot->address, sizeof(slot->address), "%s", address);
	slot->since = now;
	slot->wrong = 0;
	return slot;
}

enum guess_verdict
guess_check(struct guesses *g, const char *address, int64_t now)
{
	struct guess_count *n = find(g, address, now);

	refresh(&g->all, now);
	if (g->all.wrong >= ESTATE_GUESSES_MAX)
		return GUESS_ALL_PAUSED;
	if (n && n->wrong >= ESTATE_GUESSES_PER_ADDRESS)
		return GUESS_ADDRESS_PAUSED;
	return GUESS_OK;
}

enum guess_verdict
guess_wrong(struct guesses *g, const char *address, int64_t now)
{
	struct guess_count *n = find(g, address, now);

	if (!n)
		n = take(g, address, now);
	refresh(&g->all, now);
	if (!g->all.since)
		g->all.since = now;
	n->wrong++;
	if (++g->all.wrong == ESTATE_GUESSES_MAX)
		return GUESS_ALL_PAUSED;
	return n->wrong == ESTATE_GUESSES_PER_ADDRESS ? GUESS_ADDRESS_PAUSED : GUESS_OK;
}

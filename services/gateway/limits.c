/*
 * Token buckets (see limits.h): a hash table of chained entries, and every entry on one
 * list from the most to the least recently used, so the oldest is forgotten in constant
 * time when the table is full. Tokens are kept as a double and refilled lazily on use.
 */
#include "limits.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IDENTITY_MAX 128

struct bucket {
	char identity[IDENTITY_MAX];
	double tokens;
	uint64_t at_ms; /* when tokens was last brought up to date */
	struct bucket *chain; /* next in this hash slot */
	struct bucket *newer, *older; /* the use list */
};

struct limits {
	double rate, burst;
	size_t max_entries, count;
	size_t slots; /* a power of two */
	struct bucket **table; /* owned: slots chains */
	struct bucket *newest, *oldest; /* the use list's ends */
};

/* FNV-1a: identities are chosen by clients, but the table is bounded whatever they do. */
static size_t
hash_identity(const char *s)
{
	uint64_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)h;
}

int
limits_new(double rate, double burst, size_t max_entries, struct limits **ret)
{
	struct limits *l;
	size_t slots = 16;

	if (!(rate > 0) || !(burst >= 1) || max_entries == 0 || max_entries > (1u << 24))
		return -EINVAL;
	while (slots < max_entries)
		slots *= 2;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->table = calloc(slots, sizeof(*l->table));
	if (!l->table) {
		free(l);
		return -ENOMEM;
	}
	l->rate = rate;
	l->burst = burst;
	l->max_entries = max_entries;
	l->slots = slots;
	*ret = l;
	return 0;
}

void
limits_free(struct limits *l)
{
	struct bucket *b, *next;

	if (!l)
		return;
	for (b = l->newest; b; b = next) {
		next = b->older;
		free(b);
	}
	free(l->table);
	free(l);
}

static void
use_list_remove(struct limits *l, struct bucket *b)
{
	if (b->newer)
		b->newer->older = b->older;
	else
		l->newest = b->older;
	if (b->older)
		b->older->newer = b->newer;
	else
		l->oldest = b->newer;
	b->newer = b->older = NULL;
}

static void
use_list_push(struct limits *l, struct bucket *b)
{
	b->older = l->newest;
	b->newer = NULL;
	if (l->newest)
		l->newest->newer = b;
	l->newest = b;
	if (!l->oldest)
		l->oldest = b;
}

static void
forget(struct limits *l, struct bucket *b)
{
	struct bucket **p = &l->table[hash_identity(b->identity) & (l->slots - 1)];

	while (*p != b)
		p = &(*p)->chain;
	*p = b->chain;
	use_list_remove(l, b);
	l->count--;
	free(b);
}

/* The bucket for identity, made full when there is none (NULL only when out of memory). */
static struct bucket *
find_or_add(struct limits *l, const char *identity, uint64_t now_ms)
{
	size_t slot = hash_identity(identity) & (l->slots - 1);
	struct bucket *b;

	for (b = l->table[slot]; b; b = b->chain) {
		if (strcmp(b->identity, identity) == 0) {
			use_list_remove(l, b);
			use_list_push(l, b);
			return b;
		}
	}
	if (l->count >= l->max_entries)
		forget(l, l->oldest);
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	memcpy(b->identity, identity, strlen(identity) + 1);
	b->tokens = l->burst;
	b->at_ms = now_ms;
	b->chain = l->table[slot];
	l->table[slot] = b;
	use_list_push(l, b);
	l->count++;
	return b;
}

int
limits_take(struct limits *l, const char *identity, uint64_t now_ms, unsigned *ret_retry_after)
{
	char key[IDENTITY_MAX];
	struct bucket *b;
	double wait;

	snprintf(key, sizeof(key), "%s", identity);
	b = find_or_add(l, key, now_ms);
	if (!b)
		return -ENOMEM;
	if (now_ms > b->at_ms) {
		b->tokens =
		        fmin(l->burst, b->tokens + (double)(now_ms - b->at_ms) * l->rate / 1000);
		b->at_ms = now_ms;
	}
	if (b->tokens >= 1) {
		b->tokens -= 1;
		return 0;
	}
	wait = ceil((1 - b->tokens) / l->rate);
	*ret_retry_after = wait < 1 ? 1 : (unsigned)wait;
	return -EAGAIN;
}

size_t
limits_count(const struct limits *l)
{
	return l->count;
}

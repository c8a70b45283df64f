/*
 * arena.c: bump allocation for everything whose lifetime is its owner's: a policy set's parsed
 * policies, an entity store's entities and values, a response's scratch values. Nothing in an
 * arena is freed alone; resetting keeps the newest block so that a reused owner (a response
 * evaluated again and again) stops allocating once it has warmed up.
 */
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

#define ARENA_MIN_BLOCK 4096u
#define ARENA_ALIGN 16u

struct arena_block {
	struct arena_block *next;
	size_t size; /* bytes of data */
	_Alignas(16) char data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n)
		return NULL;
	if (a->head && (size_t)(a->end - a->cur) >= need) {
		void *p = a->cur;
		a->cur += need;
		return p;
	}
	size_t size = ARENA_MIN_BLOCK;
	if (a->head && a->head->size < (1u << 20))
		size = a->head->size * 2;
	if (size < need)
		size = need;
	if (size > SIZE_MAX - sizeof(struct arena_block))
		return NULL;
	struct arena_block *b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->size = size;
	b->next = a->head;
	a->head = b;
	a->cur = b->data + need;
	a->end = b->data + size;
	return b->data;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
arena_reset(struct arena *a)
{
	if (!a->head)
		return;
	struct arena_block *b = a->head->next;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head->next = NULL;
	a->cur = a->head->data;
	a->end = a->head->data + a->head->size;
}

void
arena_release(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->cur = a->end = NULL;
}

void
arena_adopt(struct arena *dst, struct arena *src)
{
	if (!src->head)
		return;
	/* Put src's blocks behind dst's head, so dst keeps allocating from its own block. */
	struct arena_block *tail = src->head;
	while (tail->next)
		tail = tail->next;
	if (dst->head) {
		tail->next = dst->head->next;
		dst->head->next = src->head;
	} else {
		dst->head = src->head;
		dst->cur = src->cur;
		dst->end = src->end;
	}
	src->head = NULL;
	src->cur = src->end = NULL;
}

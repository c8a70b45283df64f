/*
 * index.c: the scope index, so that a decision looks only at policies that could apply. Each
 * policy is filed once, under the most selective uid its scope names: principal ==, resource
 * ==, action ==, then principal in, resource in, action in (a list files it under each
 * action). A request then gathers the policies filed under its principal, resource and action
 * and under each of their ancestors, plus those with no usable constraint (the fallback list).
 * The full scope is still checked for each candidate, so the index only ever narrows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

enum dim {
	DIM_NONE,
	DIM_PRINCIPAL,
	DIM_RESOURCE,
	DIM_ACTION,
};

static const struct uid *
scope_uid(const struct scope *sc, const struct uid *slot)
{
	if (sc->op != SC_EQ && sc->op != SC_IN && sc->op != SC_IS_IN)
		return NULL;
	return sc->slot ? slot : sc->uid;
}

/* Where p is filed; for DIM_ACTION with a list, keys/nkeys name every action. */
static enum dim
choose(const struct policy *p, const struct uid **ret_key, const struct uid *const **ret_list,
       uint32_t *ret_n)
{
	const struct policy_def *d = p->def;
	const struct uid *pk = scope_uid(&d->principal, p->slot_principal);
	const struct uid *rk = scope_uid(&d->resource, p->slot_resource);
	const struct uid *ak =
	        d->action.op == SC_EQ || d->action.op == SC_IN ? d->action.uid : NULL;
	*ret_list = NULL;
	*ret_n = 0;
	if (pk && d->principal.op == SC_EQ) {
		*ret_key = pk;
		return DIM_PRINCIPAL;
	}
	if (rk && d->resource.op == SC_EQ) {
		*ret_key = rk;
		return DIM_RESOURCE;
	}
	if (ak && d->action.op == SC_EQ) {
		*ret_key = ak;
		return DIM_ACTION;
	}
	if (pk) {
		*ret_key = pk;
		return DIM_PRINCIPAL;
	}
	if (rk) {
		*ret_key = rk;
		return DIM_RESOURCE;
	}
	if (ak) {
		*ret_key = ak;
		return DIM_ACTION;
	}
	if (d->action.op == SC_IN_LIST) {
		*ret_key = NULL;
		*ret_list = d->action.list;
		*ret_n = d->action.nlist;
		return DIM_ACTION;
	}
	return DIM_NONE;
}

static struct index *
dim_index(struct policy_set *set, enum dim d)
{
	return d == DIM_PRINCIPAL  ? &set->by_principal
	       : d == DIM_RESOURCE ? &set->by_resource
	                           : &set->by_action;
}

static struct index_bucket *
index_find(const struct index *ix, const struct uid *key)
{
	if (!ix->count)
		return NULL;
	uint32_t mask = ix->cap - 1;
	for (uint32_t i = (uint32_t)key->hash & mask;; i = (i + 1) & mask) {
		struct index_bucket *b = &ix->slots[i];
		if (!b->key)
			return NULL;
		if (uid_eq(b->key, key))
			return b;
	}
}

const struct index_bucket *
index_get(const struct index *ix, const struct uid *key)
{
	return index_find(ix, key);
}

static int
index_grow(struct index *ix)
{
	uint32_t cap = ix->cap ? ix->cap * 2 : 64;
	if (!cap || cap > (UINT32_MAX >> 2))
		return -E2BIG;
	struct index_bucket *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (uint32_t k = 0; k < ix->cap; k++) {
		if (!ix->slots[k].key)
			continue;
		uint32_t i = (uint32_t)ix->slots[k].key->hash & (cap - 1);
		while (slots[i].key)
			i = (i + 1) & (cap - 1);
		slots[i] = ix->slots[k];
	}
	free(ix->slots);
	ix->slots = slots;
	ix->cap = cap;
	return 0;
}

static int
bucket_push(struct policy **(*items), uint32_t *n, uint32_t *cap, struct policy *p)
{
	if (*n == *cap) {
		uint32_t c = *cap ? *cap * 2 : 4;
		struct policy **bigger = realloc(*items, c * sizeof(*bigger));
		if (!bigger)
			return -ENOMEM;
		*items = bigger;
		*cap = c;
	}
	(*items)[(*n)++] = p;
	return 0;
}

static int
index_put(struct policy_set *set, struct index *ix, const struct uid *key, struct policy *p)
{
	struct index_bucket *b = index_find(ix, key);
	if (!b) {
		if ((ix->count + 1) * 2 > ix->cap) {
			int r = index_grow(ix);
			if (r < 0)
				return r;
		}
		uint32_t i = (uint32_t)key->hash & (ix->cap - 1);
		while (ix->slots[i].key)
			i = (i + 1) & (ix->cap - 1);
		/* The bucket outlives any one policy (a link may go), so it owns its key. */
		const struct uid *copy =
		        uid_dup(&set->arena, key->type, key->tlen, key->id, key->idlen);
		if (!copy)
			return -ENOMEM;
		b = &ix->slots[i];
		b->key = copy;
		ix->count++;
	}
	for (uint32_t i = 0; i < b->n; i++)
		if (b->items[i] == p)
			return 0;
	return bucket_push(&b->items, &b->n, &b->cap, p);
}

static void
remove_from(struct policy **items, uint32_t *n, const struct policy *p)
{
	for (uint32_t i = 0; i < *n; i++) {
		if (items[i] == p) {
			memmove(&items[i], &items[i + 1], (*n - i - 1) * sizeof(*items));
			(*n)--;
			return;
		}
	}
}

int
index_add(struct policy_set *set, struct policy *p)
{
	const struct uid *key;
	const struct uid *const *list;
	uint32_t n;
	enum dim d = choose(p, &key, &list, &n);
	if (d == DIM_NONE) {
		if (set->nfallback == set->fallback_cap) {
			size_t c = set->fallback_cap ? set->fallback_cap * 2 : 16;
			struct policy **bigger = realloc(set->fallback, c * sizeof(*bigger));
			if (!bigger)
				return -ENOMEM;
			set->fallback = bigger;
			set->fallback_cap = c;
		}
		set->fallback[set->nfallback++] = p;
		return 0;
	}
	struct index *ix = dim_index(set, d);
	if (key)
		return index_put(set, ix, key, p);
	for (uint32_t i = 0; i < n; i++) {
		int r = index_put(set, ix, list[i], p);
		if (r < 0) {
			index_remove(set, p);
			return r;
		}
	}
	return 0;
}

void
index_remove(struct policy_set *set, struct policy *p)
{
	const struct uid *key;
	const struct uid *const *list;
	uint32_t n;
	enum dim d = choose(p, &key, &list, &n);
	if (d == DIM_NONE) {
		for (size_t i = 0; i < set->nfallback; i++) {
			if (set->fallback[i] == p) {
				memmove(&set->fallback[i], &set->fallback[i + 1],
				        (set->nfallback - i - 1) * sizeof(*set->fallback));
				set->nfallback--;
				break;
			}
		}
		return;
	}
	struct index *ix = dim_index(set, d);
	for (uint32_t i = 0; i < (key ? 1 : n); i++) {
		struct index_bucket *b = index_find(ix, key ? key : list[i]);
		if (b)
			remove_from(b->items, &b->n, p);
	}
}

static void
index_free(struct index *ix)
{
	for (uint32_t i = 0; i < ix->cap; i++)
		free(ix->slots[i].items);
	free(ix->slots);
	memset(ix, 0, sizeof(*ix));
}

void
index_release(struct policy_set *set)
{
	index_free(&set->by_principal);
	index_free(&set->by_resource);
	index_free(&set->by_action);
	free(set->fallback);
	set->fallback = NULL;
	set->nfallback = set->fallback_cap = 0;
}

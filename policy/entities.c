/*
 * entities.c: the entity store. Entities sit in an open-addressed table keyed by uid hash; each
 * keeps its attributes as a sorted record and its parents as uids. The transitive ancestors
 * of an entity are computed on first use by a breadth-first walk (which terminates on cycles,
 * since a uid is queued only when first seen) and cached as a hash set, so "in" costs one probe.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

/* Drops every cached ancestor set: called when the hierarchy changes after one was computed. */
static void
ancestors_forget(struct policy_entities *s)
{
	if (!s->anc_cached)
		return;
	for (uint32_t i = 0; i < s->count; i++)
		s->order[i]->anc = NULL;
	s->anc_cached = false;
}

int
policy_entities_new(struct policy_entities **ret_store)
{
	if (!ret_store)
		return -EINVAL;
	struct policy_entities *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	*ret_store = s;
	return 0;
}

void
policy_entities_free(struct policy_entities *store)
{
	if (!store)
		return;
	arena_release(&store->arena);
	free(store->slots);
	free(store->order);
	free(store);
}

void
policy_entities_clear(struct policy_entities *store)
{
	if (!store)
		return;
	arena_reset(&store->arena);
	if (store->slots)
		memset(store->slots, 0, store->cap * sizeof(*store->slots));
	store->count = 0;
	store->anc_cached = false;
}

struct policy_entity *
entities_find(const struct policy_entities *s, const struct uid *u)
{
	if (!s || !s->count)
		return NULL;
	uint32_t mask = s->cap - 1;
	for (uint32_t i = (uint32_t)u->hash & mask;; i = (i + 1) & mask) {
		struct policy_entity *e = s->slots[i];
		if (!e)
			return NULL;
		if (uid_eq(&e->uid, u))
			return e;
	}
}

static int
entities_grow(struct policy_entities *s)
{
	uint32_t cap = s->cap ? s->cap * 2 : 64;
	if (cap == 0 || cap > (UINT32_MAX >> 2))
		return -E2BIG;
	struct policy_entity **slots = calloc(cap, sizeof(*slots));
	struct policy_entity **order = realloc(s->order, cap * sizeof(*order));
	if (!slots || !order) {
		free(slots);
		if (order)
			s->order = order;
		return -ENOMEM;
	}
	s->order = order;
	s->order_cap = cap;
	for (uint32_t k = 0; k < s->count; k++) {
		struct policy_entity *e = order[k];
		uint32_t i = (uint32_t)e->uid.hash & (cap - 1);
		while (slots[i])
			i = (i + 1) & (cap - 1);
		slots[i] = e;
	}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return 0;
}

int
entities_insert(struct policy_entities *s, const char *type, size_t tlen, const char *id,
                size_t idlen, struct policy_entity **ret_entity)
{
	struct uid probe;
	uid_init(&probe, type, tlen, id, idlen);
	if (entities_find(s, &probe))
		return -EEXIST;
	if ((s->count + 1) * 2 > s->cap) {
		int r = entities_grow(s);
		if (r < 0)
			return r;
	}
	struct policy_entity *e = arena_alloc(&s->arena, sizeof(*e));
	char *t = arena_strndup(&s->arena, type, tlen);
	char *i = arena_strndup(&s->arena, id, idlen);
	if (!e || !t || !i)
		return -ENOMEM;
	memset(e, 0, sizeof(*e));
	uid_init(&e->uid, t, tlen, i, idlen);
	e->store = s;
	uint32_t mask = s->cap - 1;
	uint32_t k = (uint32_t)e->uid.hash & mask;
	while (s->slots[k])
		k = (k + 1) & mask;
	s->slots[k] = e;
	s->order[s->count++] = e;
	ancestors_forget(s); /* the new entity may extend others' ancestry */
	*ret_entity = e;
	return 0;
}

int
policy_entities_add(struct policy_entities *store, const struct policy_uid *uid,
                    struct policy_entity **ret_entity)
{
	if (!store || !uid || !uid->type || !uid->id || !ret_entity)
		return -EINVAL;
	size_t tlen = strlen(uid->type), idlen = strlen(uid->id);
	if (!cedar_name_valid(uid->type, tlen) || !text_utf8_valid(uid->id, idlen))
		return -EINVAL;
	return entities_insert(store, uid->type, tlen, uid->id, idlen, ret_entity);
}

int
entity_add_parent_uid(struct policy_entity *e, const struct uid *u)
{
	for (uint32_t i = 0; i < e->nparents; i++)
		if (uid_eq(e->parents[i], u))
			return 0;
	if (e->nparents == e->capparents) {
		uint32_t cap = e->capparents ? e->capparents * 2 : 4;
		const struct uid **p = arena_alloc(&e->store->arena, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		if (e->nparents)
			memcpy(p, e->parents, e->nparents * sizeof(*p));
		e->parents = p;
		e->capparents = cap;
	}
	e->parents[e->nparents++] = u;
	ancestors_forget(e->store);
	return 0;
}

int
policy_entity_add_parent(struct policy_entity *entity, const struct policy_uid *parent)
{
	if (!entity || !parent || !parent->type || !parent->id)
		return -EINVAL;
	size_t tlen = strlen(parent->type), idlen = strlen(parent->id);
	if (!cedar_name_valid(parent->type, tlen) || !text_utf8_valid(parent->id, idlen))
		return -EINVAL;
	struct uid *u = uid_dup(&entity->store->arena, parent->type, tlen, parent->id, idlen);
	if (!u)
		return -ENOMEM;
	return entity_add_parent_uid(entity, u);
}

int
entity_set_attr_val(struct policy_entity *e, const char *name, size_t nlen, const struct val *v)
{
	uint32_t h = key_hash(name, nlen);
	struct val rec = {.kind = V_RECORD, .n = e->nattrs, .fields = e->attrs};
	if (record_get(&rec, name, (uint32_t)nlen, h))
		return -EEXIST;
	if (e->nattrs == e->capattrs) {
		uint32_t cap = e->capattrs ? e->capattrs * 2 : 8;
		struct field *f = arena_alloc(&e->store->arena, cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		if (e->nattrs)
			memcpy(f, e->attrs, e->nattrs * sizeof(*f));
		e->attrs = f;
		e->capattrs = cap;
	}
	char *k = arena_strndup(&e->store->arena, name, nlen);
	if (!k)
		return -ENOMEM;
	/* Keep the record sorted by key: insert in place. */
	uint32_t pos = e->nattrs;
	while (pos > 0) {
		const struct field *prev = &e->attrs[pos - 1];
		size_t m = prev->klen < nlen ? prev->klen : nlen;
		int c = memcmp(prev->key, name, m);
		if (c < 0 || (c == 0 && prev->klen < nlen))
			break;
		e->attrs[pos] = e->attrs[pos - 1];
		pos--;
	}
	e->attrs[pos] = (struct field){.key = k, .klen = (uint32_t)nlen, .khash = h, .v = *v};
	e->nattrs++;
	return 0;
}

int
policy_entity_set_attr(struct policy_entity *entity, const char *name,
                       const struct policy_value *value)
{
	if (!entity || !name || !value)
		return -EINVAL;
	size_t nlen = strlen(name);
	if (!text_utf8_valid(name, nlen))
		return -EINVAL;
	return entity_set_attr_val(entity, name, nlen, &value->v);
}

/* ---- ancestors -------------------------------------------------------------------------- */

static bool
anc_insert(const struct uid **tab, uint32_t cap, const struct uid *u)
{
	uint32_t mask = cap - 1;
	for (uint32_t i = (uint32_t)(u->hash >> 32) & mask;; i = (i + 1) & mask) {
		if (!tab[i]) {
			tab[i] = u;
			return true;
		}
		if (uid_eq(tab[i], u))
			return false;
	}
}

static bool
anc_contains(const struct uid *const *tab, uint32_t cap, const struct uid *u)
{
	uint32_t mask = cap - 1;
	for (uint32_t i = (uint32_t)(u->hash >> 32) & mask;; i = (i + 1) & mask) {
		if (!tab[i])
			return false;
		if (uid_eq(tab[i], u))
			return true;
	}
}

/* A growable open-addressed set plus a queue, in malloc'd scratch for one walk. */
struct walk {
	const struct uid **tab;
	uint32_t cap;
	uint32_t n;
	const struct uid **queue;
	uint32_t qn;
	uint32_t qcap;
};

static int
walk_add(struct walk *w, const struct uid *u)
{
	if ((w->n + 1) * 2 > w->cap) {
		uint32_t cap = w->cap * 2;
		const struct uid **tab = calloc(cap, sizeof(*tab));
		if (!tab)
			return -ENOMEM;
		for (uint32_t i = 0; i < w->cap; i++)
			if (w->tab[i])
				anc_insert(tab, cap, w->tab[i]);
		free(w->tab);
		w->tab = tab;
		w->cap = cap;
	}
	if (!anc_insert(w->tab, w->cap, u))
		return 0;
	w->n++;
	if (w->qn == w->qcap) {
		uint32_t qcap = w->qcap * 2;
		const struct uid **q = realloc(w->queue, qcap * sizeof(*q));
		if (!q)
			return -ENOMEM;
		w->queue = q;
		w->qcap = qcap;
	}
	w->queue[w->qn++] = u;
	return 1;
}

static int
ancestors_compute(struct policy_entity *e)
{
	struct walk w = {.cap = 16, .qcap = 16};
	w.tab = calloc(w.cap, sizeof(*w.tab));
	w.queue = malloc(w.qcap * sizeof(*w.queue));
	int r = -ENOMEM;
	if (!w.tab || !w.queue)
		goto fail;
	for (uint32_t i = 0; i < e->nparents; i++)
		if ((r = walk_add(&w, e->parents[i])) < 0)
			goto fail;
	for (uint32_t head = 0; head < w.qn; head++) {
		struct policy_entity *p = entities_find(e->store, w.queue[head]);
		if (!p || p == e)
			continue;
		if (p->anc) {
			/* Already closed: take its ancestors without walking them again. */
			for (uint32_t i = 0; i < p->anc_cap; i++)
				if (p->anc[i] && (r = walk_add(&w, p->anc[i])) < 0)
					goto fail;
			continue;
		}
		for (uint32_t i = 0; i < p->nparents; i++)
			if ((r = walk_add(&w, p->parents[i])) < 0)
				goto fail;
	}
	uint32_t cap = 4;
	while (cap < w.n * 2)
		cap *= 2;
	const struct uid **tab = arena_alloc(&e->store->arena, cap * sizeof(*tab));
	r = -ENOMEM;
	if (!tab)
		goto fail;
	memset(tab, 0, cap * sizeof(*tab));
	for (uint32_t i = 0; i < w.qn; i++)
		anc_insert(tab, cap, w.queue[i]);
	e->anc = tab;
	e->anc_cap = cap;
	e->store->anc_cached = true;
	e->nanc = w.n;
	r = 0;
fail:
	free(w.tab);
	free(w.queue);
	return r;
}

bool
entity_has_ancestor(struct policy_entity *e, const struct uid *anc)
{
	if (!e->nparents)
		return false;
	if (!e->anc && ancestors_compute(e) < 0) {
		/* Out of memory: answer from a walk of direct parents only, the best we can do. */
		for (uint32_t i = 0; i < e->nparents; i++)
			if (uid_eq(e->parents[i], anc))
				return true;
		return false;
	}
	return anc_contains(e->anc, e->anc_cap, anc);
}

bool
uid_in(const struct policy_entities *s, const struct uid *a, const struct uid *b)
{
	if (uid_eq(a, b))
		return true;
	struct policy_entity *e = entities_find(s, a);
	return e && entity_has_ancestor(e, b);
}

int
policy_entities_check(struct policy_entities *store, struct policy_diag *diag)
{
	if (!store)
		return -EINVAL;
	for (uint32_t i = 0; i < store->count; i++) {
		struct policy_entity *e = store->order[i];
		if (!e->nparents)
			continue;
		if (!e->anc) {
			int r = ancestors_compute(e);
			if (r < 0)
				return r;
		}
		if (anc_contains(e->anc, e->anc_cap, &e->uid)) {
			char buf[256];
			uid_format(&e->uid, buf, sizeof(buf));
			diag_set(diag, 0, 0, "the entity hierarchy has a cycle containing %s", buf);
			return -ELOOP;
		}
	}
	return 0;
}

int
entity_ancestor_table(struct policy_entity *e, const struct uid *const **ret_tab, uint32_t *ret_cap)
{
	if (!e->nparents) {
		*ret_tab = NULL;
		*ret_cap = 0;
		return 0;
	}
	if (!e->anc) {
		int r = ancestors_compute(e);
		if (r < 0)
			return r;
	}
	*ret_tab = e->anc;
	*ret_cap = e->anc_cap;
	return 0;
}

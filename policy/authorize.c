/*
 * authorize.c: one decision. Gathers candidate policies from the scope index (for the
 * principal, resource and action and each of their ancestors, plus the fallback list), puts
 * them in policy set order, checks each full scope, evaluates conditions in order (when must
 * be true, unless false; the first error skips the policy and is reported), and decides as
 * Cedar does: a satisfied forbid denies, else a satisfied permit allows, else deny.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

int
policy_response_new(struct policy_response **ret_response)
{
	if (!ret_response)
		return -EINVAL;
	struct policy_response *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	*ret_response = r;
	return 0;
}

void
policy_response_free(struct policy_response *response)
{
	if (!response)
		return;
	free(response->reasons);
	free(response->errors);
	free(response->cand);
	free(response->permits);
	arena_release(&response->arena);
	free(response);
}

static int
grow(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	void *bigger = realloc(*items, c * size);
	if (!bigger)
		return -ENOMEM;
	*items = bigger;
	*cap = c;
	return 0;
}

static int
add_bucket(struct policy_response *resp, const struct index *ix, const struct uid *key)
{
	const struct index_bucket *b = index_get(ix, key);
	if (!b || !b->n)
		return 0;
	if (grow((void **)&resp->cand, &resp->cand_cap, resp->ncand + b->n, sizeof(*resp->cand)))
		return -ENOMEM;
	memcpy(resp->cand + resp->ncand, b->items, b->n * sizeof(*b->items));
	resp->ncand += b->n;
	return 0;
}

/* Candidates filed under u or any of its ancestors. */
static int
add_dim(struct policy_response *resp, const struct index *ix, const struct policy_entities *ents,
        const struct uid *u)
{
	if (!ix->count)
		return 0;
	int r = add_bucket(resp, ix, u);
	struct policy_entity *e = entities_find(ents, u);
	const struct uid *const *tab;
	uint32_t cap;
	if (r < 0 || !e || (r = entity_ancestor_table(e, &tab, &cap)) < 0)
		return r;
	for (uint32_t i = 0; i < cap; i++)
		if (tab[i] && (r = add_bucket(resp, ix, tab[i])) < 0)
			return r;
	return 0;
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct policy *x = *(struct policy *const *)a, *y = *(struct policy *const *)b;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
cand_sort(struct policy_response *resp)
{
	size_t n = resp->ncand;
	struct policy **c = resp->cand;
	if (n > 24) {
		qsort(c, n, sizeof(*c), cand_cmp);
	} else {
		for (size_t i = 1; i < n; i++) {
			struct policy *p = c[i];
			size_t j = i;
			while (j > 0 && c[j - 1]->seq > p->seq) {
				c[j] = c[j - 1];
				j--;
			}
			c[j] = p;
		}
	}
	size_t out = n ? 1 : 0;
	for (size_t i = 1; i < n; i++)
		if (c[i] != c[out - 1])
			c[out++] = c[i];
	resp->ncand = out;
}

static bool
type_is(const struct uid *u, const struct scope *sc)
{
	return u->tlen == sc->tlen && memcmp(u->type, sc->type, sc->tlen) == 0;
}

static bool
scope_match(const struct policy_entities *ents, const struct scope *sc, const struct uid *slot,
            const struct uid *v)
{
	const struct uid *key = sc->slot ? slot : sc->uid;
	switch ((enum scope_op)sc->op) {
	case SC_ANY:
		return true;
	case SC_EQ:
		return uid_eq(v, key);
	case SC_IN:
		return uid_in(ents, v, key);
	case SC_IS:
		return type_is(v, sc);
	case SC_IS_IN:
		return type_is(v, sc) && uid_in(ents, v, key);
	case SC_IN_LIST:
		for (uint32_t i = 0; i < sc->nlist; i++)
			if (uid_in(ents, v, sc->list[i]))
				return true;
		return false;
	}
	return false;
}

/* 1 satisfied, 0 not, -1 error (ev->err set). */
static int
policy_eval(struct eval *ev, const struct policy *p)
{
	const struct policy_def *d = p->def;
	const struct policy_request *req = ev->req;
	if (!scope_match(ev->ents, &d->principal, p->slot_principal, &req->principal.u) ||
	    !scope_match(ev->ents, &d->action, NULL, &req->action.u) ||
	    !scope_match(ev->ents, &d->resource, p->slot_resource, &req->resource.u))
		return 0;
	for (uint32_t i = 0; i < d->nconds; i++) {
		bool b;
		if (eval_condition(ev, d->conds[i].e, &b) < 0)
			return -1;
		if (b != d->conds[i].when)
			return 0;
	}
	return 1;
}

int
policy_set_authorize(const struct policy_set *set, const struct policy_entities *entities,
                     const struct policy_request *request, struct policy_response *response)
{
	if (!set || !request || !response)
		return -EINVAL;
	if (!request->principal.set || !request->action.set || !request->resource.set)
		return -EINVAL;
	struct policy_response *resp = response;
	arena_reset(&resp->arena);
	resp->allowed = false;
	resp->nreasons = resp->nerrors = resp->ncand = resp->npermits = 0;
	int r;
	if ((r = add_dim(resp, &set->by_principal, entities, &request->principal.u)) < 0 ||
	    (r = add_dim(resp, &set->by_resource, entities, &request->resource.u)) < 0 ||
	    (r = add_dim(resp, &set->by_action, entities, &request->action.u)) < 0)
		return r;
	if (set->nfallback) {
		if (grow((void **)&resp->cand, &resp->cand_cap, resp->ncand + set->nfallback,
		         sizeof(*resp->cand)))
			return -ENOMEM;
		memcpy(resp->cand + resp->ncand, set->fallback,
		       set->nfallback * sizeof(*set->fallback));
		resp->ncand += set->nfallback;
	}
	cand_sort(resp);
	struct eval ev = {.ents = entities, .req = request, .arena = &resp->arena};
	for (size_t i = 0; i < resp->ncand; i++) {
		const struct policy *p = resp->cand[i];
		ev.err = NULL;
		int sat = policy_eval(&ev, p);
		if (sat < 0) {
			if (grow((void **)&resp->errors, &resp->errors_cap, resp->nerrors + 1,
			         sizeof(*resp->errors)))
				return -ENOMEM;
			resp->errors[resp->nerrors++] =
			        (struct resp_error){.policy = p->id, .message = ev.err};
		} else if (sat && p->def->effect == POLICY_FORBID) {
			if (grow((void **)&resp->reasons, &resp->reasons_cap, resp->nreasons + 1,
			         sizeof(*resp->reasons)))
				return -ENOMEM;
			resp->reasons[resp->nreasons++] = p->id;
		} else if (sat) {
			if (grow((void **)&resp->permits, &resp->permits_cap, resp->npermits + 1,
			         sizeof(*resp->permits)))
				return -ENOMEM;
			resp->permits[resp->npermits++] = p->id;
		}
	}
	if (!resp->nreasons && resp->npermits) {
		/* No forbid holds: the permits decide. Swap so that reasons are the permits. */
		const char **t = resp->reasons;
		size_t tc = resp->reasons_cap;
		resp->reasons = resp->permits;
		resp->reasons_cap = resp->permits_cap;
		resp->nreasons = resp->npermits;
		resp->permits = t;
		resp->permits_cap = tc;
		resp->npermits = 0;
		resp->allowed = true;
	}
	return 0;
}

bool
policy_response_allowed(const struct policy_response *response)
{
	return response && response->allowed;
}

bool
policy_response_permitted(const struct policy_response *response)
{
	return response && (response->allowed || response->npermits > 0);
}

size_t
policy_response_reason_count(const struct policy_response *response)
{
	return response ? response->nreasons : 0;
}

const char *
policy_response_reason_at(const struct policy_response *response, size_t i)
{
	return response && i < response->nreasons ? response->reasons[i] : NULL;
}

size_t
policy_response_error_count(const struct policy_response *response)
{
	return response ? response->nerrors : 0;
}

const char *
policy_response_error_policy_at(const struct policy_response *response, size_t i)
{
	return response && i < response->nerrors ? response->errors[i].policy : NULL;
}

const char *
policy_response_error_message_at(const struct policy_response *response, size_t i)
{
	return response && i < response->nerrors ? response->errors[i].message : NULL;
}

/*
 * eval.c: evaluates a condition's expression against a request and an entity store, with
 * Cedar's semantics: && || and if short-circuit, other operators evaluate every operand and
 * then check types, arithmetic on 64-bit longs fails on overflow, attribute access on a
 * missing entity or attribute fails, "has" on a missing entity is false, and "in" follows the
 * cached transitive ancestors. The first error ends the evaluation with a message. Scratch
 * values (set and record results) go into the decision's arena.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_int.h"

static int fail(struct eval *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct eval *ev, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	char *m = arena_strndup(ev->arena, buf, strlen(buf));
	ev->err = m ? m : "out of memory";
	return -1;
}

static void
type_of(const struct val *v, char *buf, size_t size)
{
	if (v->kind == V_ENTITY)
		snprintf(buf, size, "(entity of type `%.*s`)", (int)v->e->tlen, v->e->type);
	else
		snprintf(buf, size, "%s", vkind_name(v->kind));
}

static int
type_err(struct eval *ev, const char *expected, const struct val *got)
{
	char t[300];
	type_of(got, t, sizeof(t));
	return fail(ev, "type error: expected %s, got %s", expected, t);
}

#define ENTITY_TYPE "(entity of type `any_entity_type`)"

static int
want(struct eval *ev, const struct val *v, enum vkind k)
{
	if (v->kind == k)
		return 0;
	return type_err(ev, k == V_ENTITY ? ENTITY_TYPE : vkind_name(k), v);
}

static const char *
find_bytes(const char *h, size_t hn, const char *needle, size_t nn)
{
	if (nn == 0)
		return h;
	while (hn >= nn) {
		const char *c = memchr(h, needle[0], hn - nn + 1);
		if (!c)
			return NULL;
		if (memcmp(c, needle, nn) == 0)
			return c;
		hn -= (size_t)(c - h) + 1;
		h = c + 1;
	}
	return NULL;
}

bool
pattern_match(const struct pattern *p, const char *s, size_t n)
{
	/* With only "*" wildcards, taking the leftmost match of each inner literal run is
	 * optimal: the first and last runs are anchored, the rest are found in order. */
	uint32_t first = 0, stop = p->nparts;
	size_t pos = 0, end = n;
	if (p->nparts == 0)
		return n == 0;
	const struct pattern_part *pp = p->parts;
	if (!pp[0].star) {
		if (n < pp[0].len || memcmp(s, pp[0].s, pp[0].len) != 0)
			return false;
		if (p->nparts == 1)
			return n == pp[0].len;
		pos = pp[0].len;
		first = 1;
	}
	const struct pattern_part *last = &pp[p->nparts - 1];
	if (!last->star) {
		if (n - pos < last->len || memcmp(s + n - last->len, last->s, last->len) != 0)
			return false;
		end = n - last->len;
		stop = p->nparts - 1;
	}
	for (uint32_t k = first; k < stop; k++) {
		if (pp[k].star)
			continue;
		const char *at = find_bytes(s + pos, end - pos, pp[k].s, pp[k].len);
		if (!at)
			return false;
		pos = (size_t)(at - s) + pp[k].len;
	}
	return true;
}

static int
lookup_entity(struct eval *ev, const struct uid *u, const struct policy_entity **ret)
{
	const struct policy_entity *e = entities_find(ev->ents, u);
	if (!e) {
		char b[300];
		uid_format(u, b, sizeof(b));
		return fail(ev, "entity `%s` does not exist", b);
	}
	*ret = e;
	return 0;
}

static int
get_attr(struct eval *ev, const struct expr *x, struct val *out)
{
	struct val obj;
	if (eval_expr(ev, x->attr.obj, &obj) < 0)
		return -1;
	const struct val *v;
	if (obj.kind == V_ENTITY) {
		const struct policy_entity *e = NULL;
		if (lookup_entity(ev, obj.e, &e) < 0)
			return -1;
		struct val rec = {.kind = V_RECORD, .n = e->nattrs, .fields = e->attrs};
		v = record_get(&rec, x->attr.key, x->attr.klen, x->attr.khash);
		if (!v) {
			char b[300];
			uid_format(obj.e, b, sizeof(b));
			return fail(ev, "`%s` does not have the attribute `%s`", b, x->attr.key);
		}
	} else if (obj.kind == V_RECORD) {
		v = record_get(&obj, x->attr.key, x->attr.klen, x->attr.khash);
		if (!v)
			return fail(ev, "record does not have the attribute `%s`", x->attr.key);
	} else {
		return type_err(ev, "one of [record, " ENTITY_TYPE "]", &obj);
	}
	*out = *v;
	return 0;
}

static int
has_attr(struct eval *ev, const struct expr *x, struct val *out)
{
	struct val obj;
	if (eval_expr(ev, x->attr.obj, &obj) < 0)
		return -1;
	out->kind = V_BOOL;
	if (obj.kind == V_ENTITY) {
		const struct policy_entity *e = entities_find(ev->ents, obj.e);
		struct val rec = {.kind = V_RECORD};
		if (e) {
			rec.n = e->nattrs;
			rec.fields = e->attrs;
		}
		out->b = e && record_get(&rec, x->attr.key, x->attr.klen, x->attr.khash);
	} else if (obj.kind == V_RECORD) {
		out->b = record_get(&obj, x->attr.key, x->attr.klen, x->attr.khash) != NULL;
	} else {
		return type_err(ev, "one of [record, " ENTITY_TYPE "]", &obj);
	}
	return 0;
}

static int
eval_in(struct eval *ev, const struct val *l, const struct val *r, struct val *out)
{
	out->kind = V_BOOL;
	out->b = false;
	if (r->kind == V_SET) {
		/* Every item must be an entity, even after a match, as Cedar checks first. */
		for (uint32_t i = 0; i < r->n; i++)
			if (r->items[i].kind != V_ENTITY)
				return type_err(ev, ENTITY_TYPE, &r->items[i]);
		if (want(ev, l, V_ENTITY) < 0)
			return -1;
		for (uint32_t i = 0; i < r->n && !out->b; i++)
			out->b = uid_in(ev->ents, l->e, r->items[i].e);
		return 0;
	}
	if (want(ev, l, V_ENTITY) < 0)
		return -1;
	if (r->kind != V_ENTITY)
		return type_err(ev, "one of [set, " ENTITY_TYPE "]", r);
	out->b = uid_in(ev->ents, l->e, r->e);
	return 0;
}

static int
arith(struct eval *ev, enum expr_kind k, const struct val *l, const struct val *r, struct val *out)
{
	if (want(ev, l, V_LONG) < 0 || want(ev, r, V_LONG) < 0)
		return -1;
	int64_t v;
	bool ovf;
	const char *what;
	switch (k) {
	case E_ADD:
		ovf = __builtin_add_overflow(l->l, r->l, &v);
		what = "add";
		break;
	case E_SUB:
		ovf = __builtin_sub_overflow(l->l, r->l, &v);
		what = "subtract";
		break;
	default:
		ovf = __builtin_mul_overflow(l->l, r->l, &v);
		what = "multiply";
		break;
	}
	if (ovf)
		return fail(ev,
		            "integer overflow while attempting to %s the values `%lld` and `%lld`",
		            what, (long long)l->l, (long long)r->l);
	out->kind = V_LONG;
	out->l = v;
	return 0;
}

static int
compare(struct eval *ev, enum expr_kind k, const struct val *l, const struct val *r,
        struct val *out)
{
	const char *expected = "one of [long, datetime, duration]";
	if (l->kind != V_LONG)
		return type_err(ev, expected, l);
	if (r->kind != V_LONG)
		return type_err(ev, expected, r);
	out->kind = V_BOOL;
	switch (k) {
	case E_LT:
		out->b = l->l < r->l;
		break;
	case E_LE:
		out->b = l->l <= r->l;
		break;
	case E_GT:
		out->b = l->l > r->l;
		break;
	default:
		out->b = l->l >= r->l;
		break;
	}
	return 0;
}

static int
set_ops(struct eval *ev, enum expr_kind k, const struct val *l, const struct val *r,
        struct val *out)
{
	if (want(ev, l, V_SET) < 0)
		return -1;
	out->kind = V_BOOL;
	if (k == E_CONTAINS) {
		out->b = set_contains(l, r);
		return 0;
	}
	if (want(ev, r, V_SET) < 0)
		return -1;
	if (k == E_CONTAINS_ALL) {
		out->b = true;
		for (uint32_t i = 0; i < r->n && out->b; i++)
			out->b = set_contains(l, &r->items[i]);
	} else {
		out->b = false;
		for (uint32_t i = 0; i < r->n && !out->b; i++)
			out->b = set_contains(l, &r->items[i]);
	}
	return 0;
}

static int
build_set(struct eval *ev, const struct expr *x, struct val *out)
{
	struct val *items = arena_alloc(ev->arena, (x->n ? x->n : 1) * sizeof(*items));
	if (!items)
		return fail(ev, "out of memory");
	for (uint32_t i = 0; i < x->n; i++)
		if (eval_expr(ev, x->items[i], &items[i]) < 0)
			return -1;
	out->kind = V_SET;
	out->items = items;
	out->n = set_canonicalize(items, x->n);
	return 0;
}

static int
build_record(struct eval *ev, const struct expr *x, struct val *out)
{
	struct field *f = arena_alloc(ev->arena, (x->n ? x->n : 1) * sizeof(*f));
	if (!f)
		return fail(ev, "out of memory");
	for (uint32_t i = 0; i < x->n; i++) {
		f[i] = x->rec.keys[i];
		if (eval_expr(ev, x->rec.vals[i], &f[i].v) < 0)
			return -1;
	}
	out->kind = V_RECORD;
	out->fields = f;
	out->n = x->n;
	return 0;
}

int
eval_condition(struct eval *ev, const struct expr *x, bool *ret)
{
	struct val v;
	if (eval_expr(ev, x, &v) < 0 || want(ev, &v, V_BOOL) < 0)
		return -1;
	*ret = v.b;
	return 0;
}

int
eval_expr(struct eval *ev, const struct expr *x, struct val *out)
{
	struct val l, r;
	bool b;
	switch ((enum expr_kind)x->kind) {
	case E_LIT:
		*out = x->lit;
		return 0;
	case E_VAR:
		switch (x->var) {
		case VAR_PRINCIPAL:
			*out = (struct val){.kind = V_ENTITY, .e = &ev->req->principal.u};
			return 0;
		case VAR_ACTION:
			*out = (struct val){.kind = V_ENTITY, .e = &ev->req->action.u};
			return 0;
		case VAR_RESOURCE:
			*out = (struct val){.kind = V_ENTITY, .e = &ev->req->resource.u};
			return 0;
		default:
			*out = ev->req->context;
			return 0;
		}
	case E_NOT:
		if (eval_condition(ev, x->a[0], &b) < 0)
			return -1;
		*out = (struct val){.kind = V_BOOL, .b = !b};
		return 0;
	case E_NEG:
		if (eval_expr(ev, x->a[0], &l) < 0 || want(ev, &l, V_LONG) < 0)
			return -1;
		if (l.l == INT64_MIN)
			return fail(ev,
			            "integer overflow while attempting to negate the value `%lld`",
			            (long long)l.l);
		*out = (struct val){.kind = V_LONG, .l = -l.l};
		return 0;
	case E_AND:
	case E_OR:
		if (eval_condition(ev, x->a[0], &b) < 0)
			return -1;
		if (b == (x->kind == E_OR)) {
			*out = (struct val){.kind = V_BOOL, .b = b};
			return 0;
		}
		if (eval_condition(ev, x->a[1], &b) < 0)
			return -1;
		*out = (struct val){.kind = V_BOOL, .b = b};
		return 0;
	case E_IF:
		if (eval_condition(ev, x->a[0], &b) < 0)
			return -1;
		return eval_expr(ev, x->a[b ? 1 : 2], out);
	case E_GET_ATTR:
		return get_attr(ev, x, out);
	case E_HAS_ATTR:
		return has_attr(ev, x, out);
	case E_LIKE:
		if (eval_expr(ev, x->like.obj, &l) < 0 || want(ev, &l, V_STRING) < 0)
			return -1;
		*out = (struct val){.kind = V_BOOL, .b = pattern_match(x->like.pat, l.s, l.n)};
		return 0;
	case E_IS:
		if (eval_expr(ev, x->is.obj, &l) < 0 || want(ev, &l, V_ENTITY) < 0)
			return -1;
		b = l.e->tlen == x->is.tlen && memcmp(l.e->type, x->is.type, x->is.tlen) == 0;
		if (b && x->is.in) {
			/* e is T in x means e is T && e in x: x is evaluated only for a T. */
			if (eval_expr(ev, x->is.in, &r) < 0)
				return -1;
			return eval_in(ev, &l, &r, out);
		}
		*out = (struct val){.kind = V_BOOL, .b = b};
		return 0;
	case E_IS_EMPTY:
		if (eval_expr(ev, x->a[0], &l) < 0 || want(ev, &l, V_SET) < 0)
			return -1;
		*out = (struct val){.kind = V_BOOL, .b = l.n == 0};
		return 0;
	case E_SET:
		return build_set(ev, x, out);
	case E_RECORD:
		return build_record(ev, x, out);
	default:
		break;
	}
	/* The binary operators: both operands first, then the types. */
	if (eval_expr(ev, x->a[0], &l) < 0 || eval_expr(ev, x->a[1], &r) < 0)
		return -1;
	switch ((enum expr_kind)x->kind) {
	case E_EQ:
	case E_NE:
		*out = (struct val){.kind = V_BOOL, .b = val_eq(&l, &r) == (x->kind == E_EQ)};
		return 0;
	case E_LT:
	case E_LE:
	case E_GT:
	case E_GE:
		return compare(ev, x->kind, &l, &r, out);
	case E_ADD:
	case E_SUB:
	case E_MUL:
		return arith(ev, x->kind, &l, &r, out);
	case E_IN:
		return eval_in(ev, &l, &r, out);
	case E_CONTAINS:
	case E_CONTAINS_ALL:
	case E_CONTAINS_ANY:
		return set_ops(ev, x->kind, &l, &r, out);
	default:
		return fail(ev, "internal error: unknown expression kind %u", x->kind);
	}
}

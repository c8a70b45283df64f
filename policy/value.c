/*
 * value.c: Cedar values. A struct val is 16 bytes, passed by value; sets and records point to
 * arrays kept in canonical order (sets sorted by val_cmp without duplicates, records sorted by
 * key), so that equality is a linear walk and membership a binary search. Also the public
 * value constructors, which build values in an entity store's arena.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

#define UID_SEED 0x51ed270b27f3c1a5ull
#define KEY_SEED 0x2545f4914f6cdd1dull

void
uid_init(struct uid *u, const char *type, size_t tlen, const char *id, size_t idlen)
{
	u->type = type;
	u->id = id;
	u->tlen = (uint32_t)tlen;
	u->idlen = (uint32_t)idlen;
	u->hash = hash_mix(hash_bytes(type, tlen, UID_SEED), hash_bytes(id, idlen, UID_SEED));
}

struct uid *
uid_dup(struct arena *a, const char *type, size_t tlen, const char *id, size_t idlen)
{
	struct uid *u = arena_alloc(a, sizeof(*u));
	char *t = arena_strndup(a, type, tlen);
	char *i = arena_strndup(a, id, idlen);
	if (!u || !t || !i)
		return NULL;
	uid_init(u, t, tlen, i, idlen);
	return u;
}

uint32_t
key_hash(const char *k, size_t n)
{
	return (uint32_t)hash_bytes(k, n, KEY_SEED);
}

static int
bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

static int
uid_cmp(const struct uid *a, const struct uid *b)
{
	if (a == b)
		return 0;
	int c = bytes_cmp(a->type, a->tlen, b->type, b->tlen);
	return c ? c : bytes_cmp(a->id, a->idlen, b->id, b->idlen);
}

int
val_cmp(const struct val *a, const struct val *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	switch (a->kind) {
	case V_BOOL:
		return (int)a->b - (int)b->b;
	case V_LONG:
		return a->l < b->l ? -1 : a->l > b->l;
	case V_STRING:
		return bytes_cmp(a->s, a->n, b->s, b->n);
	case V_ENTITY:
		return uid_cmp(a->e, b->e);
	case V_SET:
		if (a->n != b->n)
			return a->n < b->n ? -1 : 1;
		for (uint32_t i = 0; i < a->n; i++) {
			int c = val_cmp(&a->items[i], &b->items[i]);
			if (c)
				return c;
		}
		return 0;
	case V_RECORD:
		if (a->n != b->n)
			return a->n < b->n ? -1 : 1;
		for (uint32_t i = 0; i < a->n; i++) {
			const struct field *fa = &a->fields[i], *fb = &b->fields[i];
			int c = bytes_cmp(fa->key, fa->klen, fb->key, fb->klen);
			if (!c)
				c = val_cmp(&fa->v, &fb->v);
			if (c)
				return c;
		}
		return 0;
	}
	return 0;
}

bool
val_eq(const struct val *a, const struct val *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case V_BOOL:
		return a->b == b->b;
	case V_LONG:
		return a->l == b->l;
	case V_STRING:
		return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
	case V_ENTITY:
		return uid_eq(a->e, b->e);
	default:
		return val_cmp(a, b) == 0;
	}
}

static int
val_qsort_cmp(const void *a, const void *b)
{
	return val_cmp(a, b);
}

uint32_t
set_canonicalize(struct val *items, uint32_t n)
{
	if (n < 2)
		return n;
	/* Insertion sort for the small sets policies build; qsort past that. */
	if (n <= 16) {
		for (uint32_t i = 1; i < n; i++) {
			struct val v = items[i];
			uint32_t j = i;
			while (j > 0 && val_cmp(&items[j - 1], &v) > 0) {
				items[j] = items[j - 1];
				j--;
			}
			items[j] = v;
		}
	} else {
		qsort(items, n, sizeof(*items), val_qsort_cmp);
	}
	uint32_t out = 1;
	for (uint32_t i = 1; i < n; i++)
		if (val_cmp(&items[out - 1], &items[i]) != 0)
			items[out++] = items[i];
	return out;
}

bool
set_contains(const struct val *set, const struct val *v)
{
	uint32_t lo = 0, hi = set->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = val_cmp(&set->items[mid], v);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int
field_cmp(const void *pa, const void *pb)
{
	const struct field *a = pa, *b = pb;
	return bytes_cmp(a->key, a->klen, b->key, b->klen);
}

bool
record_canonicalize(struct field *fields, uint32_t n)
{
	if (n > 1)
		qsort(fields, n, sizeof(*fields), field_cmp);
	for (uint32_t i = 1; i < n; i++)
		if (field_cmp(&fields[i - 1], &fields[i]) == 0)
			return false;
	return true;
}

const struct val *
record_get(const struct val *rec, const char *key, uint32_t klen, uint32_t khash)
{
	const struct field *f = rec->fields;
	if (rec->n <= 8) {
		for (uint32_t i = 0; i < rec->n; i++)
			if (f[i].khash == khash && f[i].klen == klen &&
			    memcmp(f[i].key, key, klen) == 0)
				return &f[i].v;
		return NULL;
	}
	uint32_t lo = 0, hi = rec->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = bytes_cmp(f[mid].key, f[mid].klen, key, klen);
		if (c == 0)
			return &f[mid].v;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *
vkind_name(enum vkind k)
{
	switch (k) {
	case V_BOOL:
		return "bool";
	case V_LONG:
		return "long";
	case V_STRING:
		return "string";
	case V_ENTITY:
		return "entity";
	case V_SET:
		return "set";
	case V_RECORD:
		return "record";
	}
	return "?";
}

void
uid_format(const struct uid *u, char *buf, size_t size)
{
	snprintf(buf, size, "%.*s::\"%.*s\"", (int)u->tlen, u->type, (int)u->idlen, u->id);
}

void
val_format(const struct val *v, char *buf, size_t size)
{
	switch (v->kind) {
	case V_BOOL:
		snprintf(buf, size, "%s", v->b ? "true" : "false");
		break;
	case V_LONG:
		snprintf(buf, size, "%" PRId64, v->l);
		break;
	case V_STRING:
		snprintf(buf, size, "\"%.*s\"", (int)(v->n > 64 ? 64 : v->n), v->s);
		break;
	case V_ENTITY:
		uid_format(v->e, buf, size);
		break;
	case V_SET:
		snprintf(buf, size, "[...%u items]", v->n);
		break;
	case V_RECORD:
		snprintf(buf, size, "{...%u fields}", v->n);
		break;
	}
}

/* ---- public constructors ---------------------------------------------------------------- */

static int
value_new(struct policy_entities *store, const struct val *v, const struct policy_value **ret)
{
	struct policy_value *pv = arena_alloc(&store->arena, sizeof(*pv));
	if (!pv)
		return -ENOMEM;
	pv->v = *v;
	*ret = pv;
	return 0;
}

int
policy_value_bool(struct policy_entities *store, bool b, const struct policy_value **ret_value)
{
	if (!store || !ret_value)
		return -EINVAL;
	struct val v = {.kind = V_BOOL, .b = b};
	return value_new(store, &v, ret_value);
}

int
policy_value_long(struct policy_entities *store, int64_t n, const struct policy_value **ret_value)
{
	if (!store || !ret_value)
		return -EINVAL;
	struct val v = {.kind = V_LONG, .l = n};
	return value_new(store, &v, ret_value);
}

int
policy_value_string(struct policy_entities *store, const char *s, size_t len,
                    const struct policy_value **ret_value)
{
	if (!store || !ret_value || (!s && len) || len > POLICY_MAX_JSON)
		return -EINVAL;
	if (!text_utf8_valid(s, len))
		return -EINVAL;
	char *copy = arena_strndup(&store->arena, s ? s : "", len);
	if (!copy)
		return -ENOMEM;
	struct val v = {.kind = V_STRING, .n = (uint32_t)len, .s = copy};
	return value_new(store, &v, ret_value);
}

int
policy_value_entity(struct policy_entities *store, const struct policy_uid *uid,
                    const struct policy_value **ret_value)
{
	if (!store || !uid || !uid->type || !uid->id || !ret_value)
		return -EINVAL;
	size_t tlen = strlen(uid->type), idlen = strlen(uid->id);
	if (!cedar_name_valid(uid->type, tlen) || !text_utf8_valid(uid->id, idlen))
		return -EINVAL;
	struct uid *u = uid_dup(&store->arena, uid->type, tlen, uid->id, idlen);
	if (!u)
		return -ENOMEM;
	struct val v = {.kind = V_ENTITY, .e = u};
	return value_new(store, &v, ret_value);
}

int
policy_value_set(struct policy_entities *store, const struct policy_value *const *items, size_t n,
                 const struct policy_value **ret_value)
{
	if (!store || (!items && n) || !ret_value || n > UINT32_MAX / sizeof(struct val))
		return -EINVAL;
	struct val *copy = arena_alloc(&store->arena, (n ? n : 1) * sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!items[i])
			return -EINVAL;
		copy[i] = items[i]->v;
	}
	struct val v = {.kind = V_SET, .items = copy};
	v.n = set_canonicalize(copy, (uint32_t)n);
	return value_new(store, &v, ret_value);
}

int
policy_value_record(struct policy_entities *store, const char *const *keys,
                    const struct policy_value *const *values, size_t n,
                    const struct policy_value **ret_value)
{
	if (!store || ((!keys || !values) && n) || !ret_value ||
	    n > UINT32_MAX / sizeof(struct field))
		return -EINVAL;
	struct field *f = arena_alloc(&store->arena, (n ? n : 1) * sizeof(*f));
	if (!f)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!keys[i] || !values[i])
			return -EINVAL;
		size_t klen = strlen(keys[i]);
		if (!text_utf8_valid(keys[i], klen))
			return -EINVAL;
		f[i].key = arena_strndup(&store->arena, keys[i], klen);
		if (!f[i].key)
			return -ENOMEM;
		f[i].klen = (uint32_t)klen;
		f[i].khash = key_hash(keys[i], klen);
		f[i].v = values[i]->v;
	}
	if (!record_canonicalize(f, (uint32_t)n))
		return -EEXIST;
	struct val v = {.kind = V_RECORD, .n = (uint32_t)n, .fields = f};
	return value_new(store, &v, ret_value);
}

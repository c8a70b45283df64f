/*
 * json.c: readers for Cedar's JSON formats, on jansson: entities ([{"uid","attrs","parents"}]),
 * requests ({"principal","action","resource","context"}) and template links (cedar-wasm's
 * [{"templateId","newId","values":{"?principal":uid}}]). A uid is {"type","id"} or
 * {"__entity":{"type","id"}}; values are booleans, integers, strings, arrays (sets), objects
 * (records) and {"__entity":...}. Reals, nulls, "__extn" and non-empty "tags" are refused with
 * a message naming the entity and attribute. Nothing is kept from a document that fails.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_int.h"

struct conv {
	struct arena *a;
	struct policy_diag *diag;
	const char *what; /* "entities", "request", "links" */
	char where[300]; /* the entity or field being read, for messages */
};

static int conv_fail(struct conv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
conv_fail(struct conv *c, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_set(c->diag, 0, 0, "%s: %s%s%s", c->what, c->where, c->where[0] ? ": " : "", msg);
	return -EINVAL;
}

static json_t *
load(const char *text, size_t len, const char *what, struct policy_diag *diag, int *ret_err)
{
	if (!text && len) {
		*ret_err = -EINVAL;
		return NULL;
	}
	if (len > POLICY_MAX_JSON) {
		diag_set(diag, 0, 0, "%s: JSON too large (%zu bytes; the limit is %u)", what, len,
		         POLICY_MAX_JSON);
		*ret_err = -E2BIG;
		return NULL;
	}
	json_error_t err;
	json_t *j =
	        json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
	if (!j) {
		diag_set(diag, (unsigned)(err.line > 0 ? err.line : 0),
		         (unsigned)(err.column > 0 ? err.column : 0), "%s:%d:%d: invalid JSON: %s",
		         what, err.line, err.column, err.text);
		*ret_err = -EINVAL;
	}
	return j;
}

static const char *
json_kind(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number with a fraction or exponent";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

/* A uid from {"type","id"} or {"__entity":{"type","id"}}, copied into c->a. */
static int
conv_uid(struct conv *c, json_t *j, const char *field, const struct uid **ret)
{
	if (!json_is_object(j))
		return conv_fail(c,
		                 "%s must be an entity reference {\"type\": ..., \"id\": ...}, "
		                 "found %s",
		                 field, json_kind(j));
	json_t *inner = json_object_get(j, "__entity");
	if (inner)
		j = inner;
	json_t *type = json_object_get(j, "type"), *id = json_object_get(j, "id");
	if (!json_is_string(type) || !json_is_string(id))
		return conv_fail(c, "%s needs string fields \"type\" and \"id\"", field);
	const char *t = json_string_value(type);
	size_t tlen = json_string_length(type);
	if (!cedar_name_valid(t, tlen))
		return conv_fail(c, "%s has an invalid entity type name \"%.*s\"", field,
		                 (int)(tlen > 100 ? 100 : tlen), t);
	const struct uid *u = uid_dup(c->a, t, tlen, json_string_value(id), json_string_length(id));
	if (!u)
		return -ENOMEM;
	*ret = u;
	return 0;
}

static int conv_val(struct conv *c, json_t *j, struct val *out, unsigned depth);

static int
conv_record(struct conv *c, json_t *j, struct val *out, unsigned depth)
{
	size_t n = json_object_size(j);
	struct field *f = arena_alloc(c->a, (n ? n : 1) * sizeof(*f));
	if (!f)
		return -ENOMEM;
	const char *key;
	json_t *v;
	size_t i = 0;
	json_object_foreach(j, key, v)
	{
		size_t klen = strlen(key);
		f[i].key = arena_strndup(c->a, key, klen);
		if (!f[i].key)
			return -ENOMEM;
		f[i].klen = (uint32_t)klen;
		f[i].khash = key_hash(key, klen);
		int r = conv_val(c, v, &f[i].v, depth + 1);
		if (r < 0)
			return r;
		i++;
	}
	if (!record_canonicalize(f, (uint32_t)n))
		return conv_fail(c, "duplicate key in a record");
	*out = (struct val){.kind = V_RECORD, .n = (uint32_t)n, .fields = f};
	return 0;
}

static int
conv_val(struct conv *c, json_t *j, struct val *out, unsigned depth)
{
	if (depth > POLICY_MAX_DEPTH)
		return conv_fail(c, "values nested too deeply (the limit is %d)", POLICY_MAX_DEPTH);
	switch (json_typeof(j)) {
	case JSON_TRUE:
	case JSON_FALSE:
		*out = (struct val){.kind = V_BOOL, .b = json_is_true(j)};
		return 0;
	case JSON_INTEGER:
		*out = (struct val){.kind = V_LONG, .l = (int64_t)json_integer_value(j)};
		return 0;
	case JSON_REAL:
		return conv_fail(c, "found a number with a fraction or exponent; Cedar numbers are "
		                    "integers");
	case JSON_NULL:
		return conv_fail(c, "found a `null`; JSON `null`s are not allowed in Cedar");
	case JSON_STRING: {
		char *s = arena_strndup(c->a, json_string_value(j), json_string_length(j));
		if (!s)
			return -ENOMEM;
		*out = (struct val){.kind = V_STRING, .n = (uint32_t)json_string_length(j), .s = s};
		return 0;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(j);
		struct val *items = arena_alloc(c->a, (n ? n : 1) * sizeof(*items));
		if (!items)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			int r = conv_val(c, json_array_get(j, i), &items[i], depth + 1);
			if (r < 0)
				return r;
		}
		*out = (struct val){.kind = V_SET, .items = items};
		out->n = set_canonicalize(items, (uint32_t)n);
		return 0;
	}
	case JSON_OBJECT:
		break;
	}
	if (json_object_size(j) == 1) {
		json_t *e = json_object_get(j, "__entity");
		if (e) {
			const struct uid *u;
			int r = conv_uid(c, j, "an `__entity` escape", &u);
			if (r < 0)
				return r;
			*out = (struct val){.kind = V_ENTITY, .e = u};
			return 0;
		}
		if (json_object_get(j, "__extn"))
			return conv_fail(c,
			                 "extension values (`__extn`: ip, decimal, datetime) are "
			                 "not supported by this engine");
		if (json_object_get(j, "__expr"))
			return conv_fail(c, "the `__expr` escape is no longer supported");
	}
	return conv_record(c, j, out, depth);
}

/* ---- entities --------------------------------------------------------------------------- */

static bool
same_entity(const struct policy_entity *e, const struct val *attrs, const struct uid *const *par,
            size_t npar)
{
	struct val mine = {.kind = V_RECORD, .n = e->nattrs, .fields = e->attrs};
	if (val_cmp(&mine, attrs) != 0)
		return false;
	for (size_t i = 0; i < npar; i++) {
		bool found = false;
		for (uint32_t k = 0; k < e->nparents && !found; k++)
			found = uid_eq(e->parents[k], par[i]);
		if (!found)
			return false;
	}
	for (uint32_t k = 0; k < e->nparents; k++) {
		bool found = false;
		for (size_t i = 0; i < npar && !found; i++)
			found = uid_eq(e->parents[k], par[i]);
		if (!found)
			return false;
	}
	return true;
}

static int
conv_entity(struct conv *c, struct policy_entities *s, json_t *j, size_t index)
{
	snprintf(c->where, sizeof(c->where), "entity %zu", index);
	if (!json_is_object(j))
		return conv_fail(c,
		                 "expected an object with \"uid\", \"attrs\" and \"parents\", "
		                 "found %s",
		                 json_kind(j));
	json_t *juid = json_object_get(j, "uid"), *jattrs = json_object_get(j, "attrs"),
	       *jpar = json_object_get(j, "parents"), *jtags = json_object_get(j, "tags");
	if (!juid)
		return conv_fail(c, "missing field `uid`");
	const struct uid *u;
	int r = conv_uid(c, juid, "uid", &u);
	if (r < 0)
		return r;
	char ubuf[200];
	uid_format(u, ubuf, sizeof(ubuf));
	snprintf(c->where, sizeof(c->where), "entity %zu (%s)", index, ubuf);
	if (!jattrs)
		return conv_fail(c, "missing field `attrs`");
	if (!jpar)
		return conv_fail(c, "missing field `parents`");
	if (!json_is_object(jattrs))
		return conv_fail(c, "`attrs` must be an object, found %s", json_kind(jattrs));
	if (!json_is_array(jpar))
		return conv_fail(c, "`parents` must be an array, found %s", json_kind(jpar));
	if (jtags && !(json_is_object(jtags) && json_object_size(jtags) == 0))
		return conv_fail(c, "entity tags are not supported by this engine");
	struct val attrs;
	size_t base = strlen(c->where);
	const char *key;
	json_t *v;
	/* Convert attributes one by one so that a message can name the attribute. */
	size_t n = json_object_size(jattrs);
	struct field *f = arena_alloc(c->a, (n ? n : 1) * sizeof(*f));
	if (!f)
		return -ENOMEM;
	size_t i = 0;
	json_object_foreach(jattrs, key, v)
	{
		snprintf(c->where + base, sizeof(c->where) - base, ": attribute `%.60s`", key);
		size_t klen = strlen(key);
		f[i] = (struct field){.key = arena_strndup(c->a, key, klen),
		                      .klen = (uint32_t)klen,
		                      .khash = key_hash(key, klen)};
		if (!f[i].key)
			return -ENOMEM;
		if ((r = conv_val(c, v, &f[i].v, 1)) < 0)
			return r;
		i++;
	}
	c->where[base] = '\0';
	record_canonicalize(f, (uint32_t)n);
	attrs = (struct val){.kind = V_RECORD, .n = (uint32_t)n, .fields = f};
	size_t np = json_array_size(jpar);
	const struct uid **par = arena_alloc(c->a, (np ? np : 1) * sizeof(*par));
	if (!par)
		return -ENOMEM;
	for (size_t k = 0; k < np; k++)
		if ((r = conv_uid(c, json_array_get(jpar, k), "a parent", &par[k])) < 0)
			return r;
	struct policy_entity *e;
	r = entities_insert(s, u->type, u->tlen, u->id, u->idlen, &e);
	if (r == -EEXIST) {
		e = entities_find(s, u);
		if (same_entity(e, &attrs, par, np))
			return 0;
		return conv_fail(c, "duplicate entity entry `%s`", ubuf);
	}
	if (r < 0)
		return r;
	/* The attributes are already sorted and unique: adopt them whole. */
	e->attrs = f;
	e->nattrs = e->capattrs = (uint32_t)n;
	for (size_t k = 0; k < np; k++)
		if ((r = entity_add_parent_uid(e, par[k])) < 0)
			return r;
	return 0;
}

int
policy_entities_parse_json(const char *text, size_t len, struct policy_diag *diag,
                           struct policy_entities **ret_store)
{
	if (!ret_store)
		return -EINVAL;
	int r;
	json_t *root = load(text, len, "entities", diag, &r);
	if (!root)
		return r;
	struct policy_entities *s = NULL;
	if ((r = policy_entities_new(&s)) < 0)
		goto fail;
	struct conv c = {.a = &s->arena, .diag = diag, .what = "entities"};
	if (!json_is_array(root)) {
		r = conv_fail(&c, "expected an array of entities, found %s", json_kind(root));
		goto fail;
	}
	for (size_t i = 0; i < json_array_size(root); i++)
		if ((r = conv_entity(&c, s, json_array_get(root, i), i)) < 0)
			goto fail;
	if ((r = policy_entities_check(s, diag)) < 0)
		goto fail;
	json_decref(root);
	*ret_store = s;
	return 0;
fail:
	if (r == -ENOMEM)
		diag_set(diag, 0, 0, "entities: out of memory");
	json_decref(root);
	policy_entities_free(s);
	return r;
}

/* ---- requests --------------------------------------------------------------------------- */

static int
conv_req_uid(struct conv *c, json_t *root, const char *field, struct req_uid *ru)
{
	json_t *j = json_object_get(root, field);
	if (!j)
		return conv_fail(c, "missing field `%s`", field);
	const struct uid *u;
	int r = conv_uid(c, j, field, &u);
	if (r < 0)
		return r;
	return req_uid_set(ru, u->type, u->tlen, u->id, u->idlen);
}

int
policy_request_parse_json(const char *text, size_t len, struct policy_diag *diag,
                          struct policy_request **ret_request)
{
	if (!ret_request)
		return -EINVAL;
	int r;
	json_t *root = load(text, len, "request", diag, &r);
	if (!root)
		return r;
	struct policy_request *req = NULL;
	if ((r = policy_request_new(&req)) < 0)
		goto fail;
	struct conv c = {.a = &req->arena, .diag = diag, .what = "request"};
	if (!json_is_object(root)) {
		r = conv_fail(&c, "expected an object, found %s", json_kind(root));
		goto fail;
	}
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v)
	{
		if (strcmp(key, "principal") && strcmp(key, "action") && strcmp(key, "resource") &&
		    strcmp(key, "context")) {
			r = conv_fail(&c,
			              "unknown field `%.60s` (expected principal, action, "
			              "resource, context)",
			              key);
			goto fail;
		}
	}
	if ((r = conv_req_uid(&c, root, "principal", &req->principal)) < 0 ||
	    (r = conv_req_uid(&c, root, "action", &req->action)) < 0 ||
	    (r = conv_req_uid(&c, root, "resource", &req->resource)) < 0)
		goto fail;
	json_t *ctx = json_object_get(root, "context");
	if (ctx) {
		snprintf(c.where, sizeof(c.where), "context");
		if (!json_is_object(ctx)) {
			r = conv_fail(&c, "must be an object, found %s", json_kind(ctx));
			goto fail;
		}
		if ((r = conv_record(&c, ctx, &req->context, 1)) < 0)
			goto fail;
	}
	json_decref(root);
	*ret_request = req;
	return 0;
fail:
	if (r == -ENOMEM)
		diag_set(diag, 0, 0, "request: out of memory");
	json_decref(root);
	policy_request_free(req);
	return r;
}

/* ---- template links --------------------------------------------------------------------- */

int
policy_set_link_json(struct policy_set *set, const char *text, size_t len, struct policy_diag *diag)
{
	if (!set)
		return -EINVAL;
	int r;
	json_t *root = load(text, len, "links", diag, &r);
	if (!root)
		return r;
	struct arena scratch = {0};
	struct conv c = {.a = &scratch, .diag = diag, .what = "links"};
	size_t done = 0;
	const char **made = NULL;
	if (!json_is_array(root)) {
		r = conv_fail(&c, "expected an array of links, found %s", json_kind(root));
		goto fail;
	}
	made = arena_alloc(&scratch, (json_array_size(root) + 1) * sizeof(*made));
	r = -ENOMEM;
	if (!made)
		goto fail;
	for (size_t i = 0; i < json_array_size(root); i++) {
		json_t *l = json_array_get(root, i);
		snprintf(c.where, sizeof(c.where), "link %zu", i);
		json_t *tid = json_object_get(l, "templateId"), *nid = json_object_get(l, "newId"),
		       *vals = json_object_get(l, "values");
		if (!json_is_string(tid) || !json_is_string(nid) ||
		    (vals && !json_is_object(vals))) {
			r = conv_fail(&c, "expected {\"templateId\": string, \"newId\": string, "
			                  "\"values\": {...}}");
			goto fail;
		}
		struct policy_uid pu, ru;
		const struct policy_uid *pp = NULL, *rp = NULL;
		const char *key;
		json_t *v;
		json_object_foreach(vals, key, v)
		{
			const struct uid *u;
			if ((r = conv_uid(&c, v, key, &u)) < 0)
				goto fail;
			if (strcmp(key, "?principal") == 0) {
				pu = (struct policy_uid){u->type, u->id};
				pp = &pu;
			} else if (strcmp(key, "?resource") == 0) {
				ru = (struct policy_uid){u->type, u->id};
				rp = &ru;
			} else {
				r = conv_fail(&c, "unknown slot `%.40s`", key);
				goto fail;
			}
		}
		struct policy_diag d;
		r = policy_set_link(set, json_string_value(tid), json_string_value(nid), pp, rp,
		                    &d);
		if (r < 0) {
			conv_fail(&c, "%s", d.message);
			goto fail;
		}
		made[done++] = arena_strndup(&scratch, json_string_value(nid),
		                             strlen(json_string_value(nid)));
	}
	arena_release(&scratch);
	json_decref(root);
	return 0;
fail:
	/* All or nothing: take back the links this document made. */
	while (done > 0)
		policy_set_unlink(set, made[--done]);
	if (r == -ENOMEM)
		diag_set(diag, 0, 0, "links: out of memory");
	arena_release(&scratch);
	json_decref(root);
	return r;
}

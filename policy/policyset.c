/*
 * policyset.c: the policy set object. Owns parsed definitions (in its arena), the ordered list
 * of policies, templates and links, the id table, and keeps the scope index (index.c) in step.
 * Parsing is all or nothing: a text is parsed into a scratch arena and merged only when every
 * policy in it parsed and every generated id is free. Links are allocated one block each so
 * that unlinking gives their memory back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

#define ID_SEED 0x6a09e667f3bcc909ull

int
policy_set_new(struct policy_set **ret_set)
{
	if (!ret_set)
		return -EINVAL;
	struct policy_set *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	*ret_set = s;
	return 0;
}

void
policy_set_free(struct policy_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		if (set->list[i]->is_link)
			free(set->list[i]);
	free(set->list);
	free(set->by_id);
	index_release(set);
	arena_release(&set->arena);
	free(set);
}

static size_t
id_slot(const struct policy_set *set, const char *id, size_t len)
{
	return (size_t)hash_bytes(id, len, ID_SEED) & (set->id_cap - 1);
}

struct policy *
set_find(const struct policy_set *set, const char *id)
{
	if (!set || !id || !set->id_cap)
		return NULL;
	size_t len = strlen(id);
	for (size_t i = id_slot(set, id, len);; i = (i + 1) & (set->id_cap - 1)) {
		struct policy *p = set->by_id[i];
		if (!p)
			return NULL;
		if (strcmp(p->id, id) == 0)
			return p;
	}
}

/* Rebuilds the id table at a capacity for at least want entries. */
static int
ids_rebuild(struct policy_set *set, size_t want)
{
	size_t cap = 16;
	while (cap < want * 2)
		cap *= 2;
	struct policy **tab = calloc(cap, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	free(set->by_id);
	set->by_id = tab;
	set->id_cap = cap;
	for (size_t k = 0; k < set->n; k++) {
		const char *id = set->list[k]->id;
		size_t i = id_slot(set, id, strlen(id));
		while (tab[i])
			i = (i + 1) & (cap - 1);
		tab[i] = set->list[k];
	}
	return 0;
}

static int
list_reserve(struct policy_set *set, size_t extra)
{
	if (set->n + extra > POLICY_MAX_POLICIES)
		return -E2BIG;
	if (set->n + extra <= set->cap)
		return 0;
	size_t cap = set->cap ? set->cap : 16;
	while (cap < set->n + extra)
		cap *= 2;
	struct policy **list = realloc(set->list, cap * sizeof(*list));
	if (!list)
		return -ENOMEM;
	set->list = list;
	set->cap = cap;
	return 0;
}

/* Appends p (already allocated) to the list, the id table and the index. */
static int
set_append(struct policy_set *set, struct policy *p)
{
	int r = list_reserve(set, 1);
	if (r < 0)
		return r;
	if ((set->n + 1) * 2 > set->id_cap && (r = ids_rebuild(set, set->n + 1)) < 0)
		return r;
	if ((!p->def->is_template || p->is_link) && (r = index_add(set, p)) < 0)
		return r;
	p->seq = set->next_seq++;
	set->list[set->n++] = p;
	size_t i = id_slot(set, p->id, strlen(p->id));
	while (set->by_id[i])
		i = (i + 1) & (set->id_cap - 1);
	set->by_id[i] = p;
	return 0;
}

int
policy_set_parse(struct policy_set *set, const char *origin, const char *text, size_t len,
                 struct policy_diag *diag)
{
	if (!set || (!text && len))
		return -EINVAL;
	if (len > POLICY_MAX_TEXT) {
		diag_set(diag, 0, 0, "%s: policy text too large (%zu bytes; the limit is %u)",
		         origin ? origin : "<input>", len, POLICY_MAX_TEXT);
		return -E2BIG;
	}
	struct arena scratch = {0};
	struct parse_out out = {0};
	struct policy *mem = NULL;
	int r = parse_policies(&scratch, origin, text ? text : "", len, &out, diag);
	if (r < 0)
		goto fail;
	r = -E2BIG;
	if (set->n + out.n > POLICY_MAX_POLICIES) {
		diag_set(diag, 0, 0, "%s: too many policies (the limit is %u)",
		         origin ? origin : "<input>", POLICY_MAX_POLICIES);
		goto fail;
	}
	/* Generate ids and check them before touching the set. */
	mem = arena_alloc(&scratch, (out.n ? out.n : 1) * sizeof(*mem));
	r = -ENOMEM;
	if (!mem)
		goto fail;
	for (size_t i = 0; i < out.n; i++) {
		char id[32];
		snprintf(id, sizeof(id), "policy%zu", (size_t)set->next_id + i);
		r = -EEXIST;
		if (set_find(set, id)) {
			diag_set(diag, 0, 0, "%s: policy id %s is already taken by a link",
			         origin ? origin : "<input>", id);
			goto fail;
		}
		r = -ENOMEM;
		memset(&mem[i], 0, sizeof(mem[i]));
		if (!(mem[i].id = arena_strndup(&scratch, id, strlen(id))))
			goto fail;
		mem[i].def = out.defs[i];
	}
	r = list_reserve(set, out.n);
	if (r == 0)
		r = ids_rebuild(set, set->n + out.n);
	if (r < 0)
		goto fail;
	for (size_t i = 0; i < out.n; i++) {
		if ((r = set_append(set, &mem[i])) < 0) {
			/* Only allocation can fail here: take back what went in. */
			while (i-- > 0) {
				index_remove(set, &mem[i]);
				set->n--;
			}
			ids_rebuild(set, set->n);
			goto fail;
		}
	}
	set->next_id += (uint32_t)out.n;
	arena_adopt(&set->arena, &scratch);
	free(out.defs);
	return 0;
fail:
	if (r == -ENOMEM)
		diag_set(diag, 0, 0, "%s: out of memory", origin ? origin : "<input>");
	free(out.defs);
	arena_release(&scratch);
	return r;
}

static int
read_file(const char *path, char **ret_text, size_t *ret_len, struct policy_diag *diag)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		diag_set(diag, 0, 0, "%s: cannot open: %s", path, strerror(e));
		return -e;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int r = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > (size_t)POLICY_MAX_TEXT + 1)
				cap = (size_t)POLICY_MAX_TEXT + 1;
			if (len == cap) {
				diag_set(diag, 0, 0, "%s: too large (the limit is %u bytes)", path,
				         POLICY_MAX_TEXT);
				r = -E2BIG;
				break;
			}
			char *b = realloc(buf, cap);
			if (!b) {
				r = -ENOMEM;
				diag_set(diag, 0, 0, "%s: out of memory", path);
				break;
			}
			buf = b;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				r = -EIO;
				diag_set(diag, 0, 0, "%s: read error", path);
			}
			break;
		}
	}
	fclose(f);
	if (r < 0) {
		free(buf);
		return r;
	}
	*ret_text = buf;
	*ret_len = len;
	return 0;
}

int
policy_set_load_files(const char *const *paths, size_t n, struct policy_diag *diag,
                      struct policy_set **ret_set)
{
	if ((!paths && n) || !ret_set)
		return -EINVAL;
	struct policy_set *set;
	int r = policy_set_new(&set);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		char *text = NULL;
		size_t len = 0;
		if ((r = read_file(paths[i], &text, &len, diag)) < 0)
			goto fail;
		r = policy_set_parse(set, paths[i], text, len, diag);
		free(text);
		if (r < 0)
			goto fail;
	}
	*ret_set = set;
	return 0;
fail:
	policy_set_free(set);
	return r;
}

static bool
uid_arg_ok(const struct policy_uid *u)
{
	return u && u->type && u->id && cedar_name_valid(u->type, strlen(u->type)) &&
	       text_utf8_valid(u->id, strlen(u->id));
}

int
policy_set_link(struct policy_set *set, const char *template_id, const char *link_id,
                const struct policy_uid *principal, const struct policy_uid *resource,
                struct policy_diag *diag)
{
	if (!set || !template_id || !link_id)
		return -EINVAL;
	struct policy *t = set_find(set, template_id);
	if (!t || !t->def->is_template || t->is_link) {
		diag_set(diag, 0, 0, "no template with id `%s`", template_id);
		return -ENOENT;
	}
	if (set_find(set, link_id)) {
		diag_set(diag, 0, 0, "policy id `%s` is already in use", link_id);
		return -EEXIST;
	}
	size_t idlen = strlen(link_id);
	if (!idlen || !text_utf8_valid(link_id, idlen)) {
		diag_set(diag, 0, 0, "a link id must be a non-empty UTF-8 string");
		return -EINVAL;
	}
	if (t->def->principal.slot != (principal != NULL) ||
	    t->def->resource.slot != (resource != NULL)) {
		diag_set(diag, 0, 0, "template `%s` has slots%s%s%s but the link gives%s%s%s",
		         template_id, t->def->principal.slot ? " ?principal" : "",
		         t->def->resource.slot ? " ?resource" : "",
		         t->def->principal.slot || t->def->resource.slot ? "" : " none",
		         principal ? " ?principal" : "", resource ? " ?resource" : "",
		         principal || resource ? "" : " none");
		return -EINVAL;
	}
	if ((principal && !uid_arg_ok(principal)) || (resource && !uid_arg_ok(resource))) {
		diag_set(diag, 0, 0, "a slot value needs a valid entity type name and a UTF-8 id");
		return -EINVAL;
	}
	/* One block: the policy, its uids, then the strings. */
	size_t need = sizeof(struct policy) + 2 * sizeof(struct uid) + idlen + 1;
	if (principal)
		need += strlen(principal->type) + strlen(principal->id) + 2;
	if (resource)
		need += strlen(resource->type) + strlen(resource->id) + 2;
	char *blk = calloc(1, need);
	if (!blk)
		return -ENOMEM;
	struct policy *p = (struct policy *)blk;
	struct uid *uids = (struct uid *)(blk + sizeof(*p));
	char *str = (char *)(uids + 2);
	memcpy(str, link_id, idlen + 1);
	p->id = str;
	str += idlen + 1;
	const struct policy_uid *vals[2] = {principal, resource};
	for (int k = 0; k < 2; k++) {
		if (!vals[k])
			continue;
		size_t tl = strlen(vals[k]->type), il = strlen(vals[k]->id);
		memcpy(str, vals[k]->type, tl + 1);
		memcpy(str + tl + 1, vals[k]->id, il + 1);
		uid_init(&uids[k], str, tl, str + tl + 1, il);
		str += tl + il + 2;
	}
	p->def = t->def;
	p->is_link = true;
	p->slot_principal = principal ? &uids[0] : NULL;
	p->slot_resource = resource ? &uids[1] : NULL;
	int r = set_append(set, p);
	if (r < 0) {
		free(blk);
		return r;
	}
	t->links++;
	return 0;
}

int
policy_set_unlink(struct policy_set *set, const char *link_id)
{
	if (!set || !link_id)
		return -EINVAL;
	struct policy *p = set_find(set, link_id);
	if (!p || !p->is_link)
		return -ENOENT;
	index_remove(set, p);
	size_t k = 0;
	while (set->list[k] != p)
		k++;
	memmove(&set->list[k], &set->list[k + 1], (set->n - k - 1) * sizeof(*set->list));
	set->n--;
	/* Rebuild ids at the same capacity: removal from open addressing needs it. */
	struct policy **tab = set->by_id;
	memset(tab, 0, set->id_cap * sizeof(*tab));
	for (size_t j = 0; j < set->n; j++) {
		const char *id = set->list[j]->id;
		size_t i = id_slot(set, id, strlen(id));
		while (tab[i])
			i = (i + 1) & (set->id_cap - 1);
		tab[i] = set->list[j];
	}
	for (size_t j = 0; j < set->n; j++)
		if (set->list[j]->def == p->def && !set->list[j]->is_link)
			set->list[j]->links--; /* the template */
	free(p);
	return 0;
}

size_t
policy_set_count(const struct policy_set *set)
{
	return set ? set->n : 0;
}

const char *
policy_set_id_at(const struct policy_set *set, size_t i)
{
	return set && i < set->n ? set->list[i]->id : NULL;
}

int
policy_set_effect(const struct policy_set *set, const char *id, enum policy_effect *ret_effect)
{
	const struct policy *p = set_find(set, id);
	if (!p)
		return -ENOENT;
	if (ret_effect)
		*ret_effect = p->def->effect;
	return 0;
}

int
policy_set_is_template(const struct policy_set *set, const char *id, bool *ret_is_template)
{
	const struct policy *p = set_find(set, id);
	if (!p)
		return -ENOENT;
	if (ret_is_template)
		*ret_is_template = p->def->is_template && !p->is_link;
	return 0;
}

int
policy_set_annotation(const struct policy_set *set, const char *id, const char *key,
                      const char **ret_value)
{
	const struct policy *p = set_find(set, id);
	if (!p || !key)
		return -ENOENT;
	for (uint32_t i = 0; i < p->def->nannos; i++) {
		if (strcmp(p->def->annos[i].key, key) == 0) {
			if (ret_value)
				*ret_value = p->def->annos[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

int
policy_set_annotation_count(const struct policy_set *set, const char *id, size_t *ret_count)
{
	const struct policy *p = set_find(set, id);
	if (!p)
		return -ENOENT;
	if (ret_count)
		*ret_count = p->def->nannos;
	return 0;
}

int
policy_set_annotation_at(const struct policy_set *set, const char *id, size_t i,
                         const char **ret_key, const char **ret_value)
{
	const struct policy *p = set_find(set, id);
	if (!p || i >= p->def->nannos)
		return -ENOENT;
	if (ret_key)
		*ret_key = p->def->annos[i].key;
	if (ret_value)
		*ret_value = p->def->annos[i].value;
	return 0;
}

const char *
policy_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case -EINVAL:
		return "invalid input";
	case -ENOMEM:
		return "out of memory";
	case -ENOENT:
		return "no such policy or annotation";
	case -EEXIST:
		return "already exists";
	case -ELOOP:
		return "the entity hierarchy has a cycle";
	case -E2BIG:
		return "input exceeds a limit";
	default:
		return strerror(err < 0 ? -err : err);
	}
}

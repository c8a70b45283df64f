/*
 * request.c: the request object: three uids (each copied into a buffer the request owns and
 * reuses, so that refilling a request per decision does not allocate once warm) and a context
 * record, borrowed from an entity store or owned when parsed from JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

int
policy_request_new(struct policy_request **ret_request)
{
	if (!ret_request)
		return -EINVAL;
	struct policy_request *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->context.kind = V_RECORD;
	*ret_request = r;
	return 0;
}

void
policy_request_free(struct policy_request *request)
{
	if (!request)
		return;
	free(request->principal.mem);
	free(request->action.mem);
	free(request->resource.mem);
	arena_release(&request->arena);
	free(request);
}

int
req_uid_set(struct req_uid *ru, const char *type, size_t tlen, const char *id, size_t idlen)
{
	if (!cedar_name_valid(type, tlen) || !text_utf8_valid(id, idlen))
		return -EINVAL;
	size_t need = tlen + idlen + 2;
	if (need > ru->cap) {
		char *m = realloc(ru->mem, need);
		if (!m)
			return -ENOMEM;
		ru->mem = m;
		ru->cap = need;
	}
	memcpy(ru->mem, type, tlen);
	ru->mem[tlen] = '\0';
	memcpy(ru->mem + tlen + 1, id, idlen);
	ru->mem[tlen + 1 + idlen] = '\0';
	uid_init(&ru->u, ru->mem, tlen, ru->mem + tlen + 1, idlen);
	ru->set = true;
	return 0;
}

static int
set_uid(struct policy_request *request, struct req_uid *ru, const struct policy_uid *uid)
{
	if (!request || !uid || !uid->type || !uid->id)
		return -EINVAL;
	return req_uid_set(ru, uid->type, strlen(uid->type), uid->id, strlen(uid->id));
}

int
policy_request_set_principal(struct policy_request *request, const struct policy_uid *uid)
{
	return set_uid(request, request ? &request->principal : NULL, uid);
}

int
policy_request_set_action(struct policy_request *request, const struct policy_uid *uid)
{
	return set_uid(request, request ? &request->action : NULL, uid);
}

int
policy_request_set_resource(struct policy_request *request, const struct policy_uid *uid)
{
	return set_uid(request, request ? &request->resource : NULL, uid);
}

int
policy_request_set_context(struct policy_request *request, const struct policy_value *record)
{
	if (!request)
		return -EINVAL;
	if (!record) {
		request->context = (struct val){.kind = V_RECORD};
		return 0;
	}
	if (record->v.kind != V_RECORD)
		return -EINVAL;
	request->context = record->v;
	return 0;
}

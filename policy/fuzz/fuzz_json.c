/*
 * fuzz_json.c: libFuzzer target for the JSON readers. The first byte picks the reader
 * (entities, request or template links); the rest is the document. A store that loads is also
 * used for one authorization so that its ancestor walk and values are exercised.
 */
#include <stddef.h>
#include <stdint.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char policies[] =
        "permit(principal in Group::\"g\", action, resource) when { principal.a == 1 };\n"
        "permit(principal == ?principal, action, resource);\n"
        "forbid(principal, action, resource) when { context has x && context.x.contains(1) };\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	struct policy_diag d;
	struct policy_set *set = NULL;
	if (policy_set_new(&set) < 0 ||
	    policy_set_parse(set, "fuzz", policies, sizeof(policies) - 1, &d) < 0) {
		policy_set_free(set);
		return 0;
	}
	struct policy_entities *ents = NULL;
	struct policy_request *req = NULL;
	struct policy_response *resp = NULL;
	switch (data[0] % 3) {
	case 0:
		if (policy_entities_parse_json(text, len, &d, &ents) == 0 &&
		    policy_request_new(&req) == 0 && policy_response_new(&resp) == 0) {
			struct policy_uid p = {"User", "a"}, a = {"Action", "x"}, r = {"R", "r"};
			policy_request_set_principal(req, &p);
			policy_request_set_action(req, &a);
			policy_request_set_resource(req, &r);
			policy_set_authorize(set, ents, req, resp);
		}
		break;
	case 1:
		if (policy_request_parse_json(text, len, &d, &req) == 0 &&
		    policy_response_new(&resp) == 0)
			policy_set_authorize(set, NULL, req, resp);
		break;
	default:
		policy_set_link_json(set, text, len, &d);
		break;
	}
	policy_response_free(resp);
	policy_request_free(req);
	policy_entities_free(ents);
	policy_set_free(set);
	return 0;
}

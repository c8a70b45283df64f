/*
 * fuzz_parse.c: libFuzzer target for the Cedar policy parser. Parses the input as policy text
 * into a set and, when it parses, exercises the accessors and one authorization with an empty
 * store so that every parsed construct is also evaluated.
 */
#include <stddef.h>
#include <stdint.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_set *set = NULL;
	struct policy_diag d;
	if (policy_set_new(&set) < 0)
		return 0;
	if (policy_set_parse(set, "fuzz", (const char *)data, size, &d) == 0) {
		struct policy_request *req = NULL;
		struct policy_response *resp = NULL;
		struct policy_uid p = {"User", "alice"}, a = {"Action", "view"}, r = {"Doc", "d"};
		if (policy_request_new(&req) == 0 && policy_response_new(&resp) == 0 &&
		    policy_request_set_principal(req, &p) == 0 &&
		    policy_request_set_action(req, &a) == 0 &&
		    policy_request_set_resource(req, &r) == 0)
			policy_set_authorize(set, NULL, req, resp);
		for (size_t i = 0; i < policy_set_count(set); i++) {
			size_t n = 0;
			policy_set_annotation_count(set, policy_set_id_at(set, i), &n);
		}
		policy_response_free(resp);
		policy_request_free(req);
	}
	policy_set_free(set);
	return 0;
}

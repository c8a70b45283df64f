/*
 * ptest.h: a small test harness for the policy engine's unit tests. CHECK never compiles out
 * (it is not assert), reports file:line and the failing expression, and counts failures;
 * main() returns non-zero if any failed. Helpers build a policy set, store and request from
 * text so that a test reads as Cedar.
 */
#ifndef ONWARD_PTEST_H
#define ONWARD_PTEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static int ptest_failures;
static int ptest_checks;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		ptest_checks++;                                                                    \
		if (!(cond)) {                                                                     \
			ptest_failures++;                                                          \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
		}                                                                                  \
	} while (0)

#define CHECK_STR(got, want)                                                                       \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		ptest_checks++;                                                                    \
		if (!g_ || strcmp(g_, w_) != 0) {                                                  \
			ptest_failures++;                                                          \
			fprintf(stderr, "%s:%d: %s\n  got:  %s\n  want: %s\n", __FILE__, __LINE__, \
			        #got, g_ ? g_ : "(null)", w_);                                     \
		}                                                                                  \
	} while (0)

#define CHECK_INT(got, want)                                                                       \
	do {                                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);                           \
		ptest_checks++;                                                                    \
		if (g_ != w_) {                                                                    \
			ptest_failures++;                                                          \
			fprintf(stderr, "%s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__, #got, \
			        g_, w_);                                                           \
		}                                                                                  \
	} while (0)

static inline int
ptest_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, ptest_checks, ptest_failures);
	return ptest_failures ? 1 : 0;
}

/* The parse error message for text, or "ok". Static buffer: copy before the next call. */
static inline const char *
parse_msg(const char *origin, const char *text)
{
	static struct policy_diag d;
	struct policy_set *set = NULL;
	if (policy_set_new(&set) < 0)
		return "set_new failed";
	int r = policy_set_parse(set, origin, text, strlen(text), &d);
	policy_set_free(set);
	return r == 0 ? "ok" : d.message;
}

/*
 * Decides one request and renders the response as "allow [policy0 policy2] errors [policy1]"
 * (the messages of errors appended after ": " when with_messages). Any setup failure is
 * rendered as "setup: ...". A static buffer.
 */
static inline const char *
decide_full(const char *policies, const char *entities_json, const char *request_json,
            int with_messages)
{
	static char out[4096];
	struct policy_diag d = {0};
	struct policy_set *set = NULL;
	struct policy_entities *ents = NULL;
	struct policy_request *req = NULL;
	struct policy_response *resp = NULL;
	if (policy_set_new(&set) < 0 ||
	    policy_set_parse(set, "test", policies, strlen(policies), &d) < 0) {
		snprintf(out, sizeof(out), "setup: %s", d.message);
		goto done;
	}
	if (policy_entities_parse_json(entities_json, strlen(entities_json), &d, &ents) < 0) {
		snprintf(out, sizeof(out), "setup: %s", d.message);
		goto done;
	}
	if (policy_request_parse_json(request_json, strlen(request_json), &d, &req) < 0) {
		snprintf(out, sizeof(out), "setup: %s", d.message);
		goto done;
	}
	if (policy_response_new(&resp) < 0 || policy_set_authorize(set, ents, req, resp) < 0) {
		snprintf(out, sizeof(out), "setup: authorize failed");
		goto done;
	}
	size_t o = (size_t)snprintf(out, sizeof(out), "%s [",
	                            policy_response_allowed(resp) ? "allow" : "deny");
	for (size_t i = 0; i < policy_response_reason_count(resp) && o < sizeof(out); i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? " " : "",
		                      policy_response_reason_at(resp, i));
	o += (size_t)snprintf(out + o, sizeof(out) - o, "] errors [");
	for (size_t i = 0; i < policy_response_error_count(resp) && o < sizeof(out); i++) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? " " : "",
		                      policy_response_error_policy_at(resp, i));
		if (with_messages && o < sizeof(out))
			o += (size_t)snprintf(out + o, sizeof(out) - o, ": %s",
			                      policy_response_error_message_at(resp, i));
	}
	if (o < sizeof(out))
		snprintf(out + o, sizeof(out) - o, "]");
done:
	policy_response_free(resp);
	policy_request_free(req);
	policy_entities_free(ents);
	policy_set_free(set);
	return out;
}

#define REQ_DEFAULT                                                                                \
	"{\"principal\":{\"type\":\"User\",\"id\":\"alice\"},\"action\":{\"type\":\"Action\","     \
	"\"id\":\"view\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d1\"},\"context\":"

/*
 * Evaluates one condition for User::"alice" viewing Doc::"d1" with the given entities and
 * context: "true", "false", or "error: message". A static buffer.
 */
static inline const char *
cond(const char *expr, const char *entities_json, const char *context_json)
{
	static char out[4200];
	char policy[4096], request[4096];
	snprintf(policy, sizeof(policy), "permit(principal, action, resource) when { %s };", expr);
	snprintf(request, sizeof(request), REQ_DEFAULT "%s}", context_json);
	const char *r = decide_full(policy, entities_json, request, 1);
	if (strncmp(r, "allow", 5) == 0)
		snprintf(out, sizeof(out), "true");
	else if (strcmp(r, "deny [] errors []") == 0)
		snprintf(out, sizeof(out), "false");
	else if (strncmp(r, "deny [] errors [policy0: ", 25) == 0)
		snprintf(out, sizeof(out), "error: %.*s", (int)(strlen(r) - 26), r + 25);
	else
		snprintf(out, sizeof(out), "%s", r);
	return out;
}

#endif

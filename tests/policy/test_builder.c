/*
 * test_builder.c: the C builder API the daemon uses per request: values, entities with
 * attributes and parents, a store that is cleared and refilled, requests with a context. Also
 * argument checks (NULLs, bad names, duplicates) and that outputs stay untouched on failure.
 */
#include "ptest.h"

static void
test_values_and_entities(void)
{
	struct policy_entities *s = NULL;
	CHECK_INT(policy_entities_new(&s), 0);
	const struct policy_value *b, *l, *str, *ent, *set, *rec, *ctx, *untouched = NULL;
	struct policy_uid alice = {"Person", "A1234BC"}, mdi = {"Establishment", "MDI"},
	                  contact = {"Contact", "c1"};
	CHECK_INT(policy_value_bool(s, true, &b), 0);
	CHECK_INT(policy_value_long(s, INT64_MIN, &l), 0);
	CHECK_INT(policy_value_string(s, "enhanced", 8, &str), 0);
	CHECK_INT(policy_value_entity(s, &mdi, &ent), 0);
	const struct policy_value *items[] = {str, str, l};
	CHECK_INT(policy_value_set(s, items, 3, &set), 0);
	const char *keys[] = {"incentive", "flags", "home"};
	const struct policy_value *vals[] = {str, set, ent};
	CHECK_INT(policy_value_record(s, keys, vals, 3, &rec), 0);
	/* Failures leave the output alone. */
	const char *dup_keys[] = {"a", "a"};
	const struct policy_value *dup_vals[] = {b, l};
	CHECK_INT(policy_value_record(s, dup_keys, dup_vals, 2, &untouched), -EEXIST);
	struct policy_uid bad = {"9lives", "x"};
	CHECK_INT(policy_value_entity(s, &bad, &untouched), -EINVAL);
	CHECK_INT(policy_value_string(s, "\xff", 1, &untouched), -EINVAL);
	CHECK_INT(policy_value_set(s, NULL, 1, &untouched), -EINVAL);
	CHECK(untouched == NULL);

	struct policy_entity *e = NULL, *c = NULL, *dup = NULL;
	CHECK_INT(policy_entities_add(s, &alice, &e), 0);
	CHECK_INT(policy_entities_add(s, &alice, &dup), -EEXIST);
	CHECK(dup == NULL);
	CHECK_INT(policy_entity_set_attr(e, "incentive", str), 0);
	CHECK_INT(policy_entity_set_attr(e, "incentive", str), -EEXIST);
	CHECK_INT(policy_entity_set_attr(e, "profile", rec), 0);
	CHECK_INT(policy_entity_set_attr(e, "sent", l), 0);
	CHECK_INT(policy_entity_set_attr(e, "active", b), 0);
	CHECK_INT(policy_entity_add_parent(e, &mdi), 0);
	CHECK_INT(policy_entity_add_parent(e, &bad), -EINVAL);
	CHECK_INT(policy_entities_add(s, &contact, &c), 0);
	struct policy_uid cl = {"ContactList", "A1234BC"};
	CHECK_INT(policy_entity_add_parent(c, &cl), 0);
	CHECK_INT(policy_entities_check(s, NULL), 0);

	const char *ckeys[] = {"regime", "hour"};
	const struct policy_value *h, *reg;
	CHECK_INT(policy_value_long(s, 14, &h), 0);
	CHECK_INT(policy_value_string(s, "unlock", 6, &reg), 0);
	const struct policy_value *cvals[] = {reg, h};
	CHECK_INT(policy_value_record(s, ckeys, cvals, 2, &ctx), 0);

	struct policy_set *set_ = NULL;
	struct policy_diag d = {0};
	const char *text =
	        "permit(principal is Person in Establishment::\"MDI\", action == "
	        "Action::\"messages.send\", resource in ContactList::\"A1234BC\") when {\n"
	        "  principal.incentive == \"enhanced\" && principal.active &&\n"
	        "  principal.profile.flags.contains(-9223372036854775808) &&\n"
	        "  principal.profile.home == Establishment::\"MDI\" &&\n"
	        "  context.regime == \"unlock\" && context.hour >= 7 && context.hour < 21 &&\n"
	        "  principal.sent < 20\n"
	        "};";
	CHECK_INT(policy_set_new(&set_), 0);
	CHECK_INT(policy_set_parse(set_, "t", text, strlen(text), &d), 0);
	struct policy_request *req = NULL;
	struct policy_response *resp = NULL;
	struct policy_uid act = {"Action", "messages.send"};
	CHECK_INT(policy_request_new(&req), 0);
	CHECK_INT(policy_response_new(&resp), 0);
	/* An incomplete request is refused. */
	CHECK_INT(policy_set_authorize(set_, s, req, resp), -EINVAL);
	CHECK_INT(policy_request_set_principal(req, &alice), 0);
	CHECK_INT(policy_request_set_action(req, &act), 0);
	CHECK_INT(policy_request_set_resource(req, &contact), 0);
	CHECK_INT(policy_request_set_context(req, str), -EINVAL);
	CHECK_INT(policy_request_set_context(req, ctx), 0);
	CHECK_INT(policy_set_authorize(set_, s, req, resp), 0);
	CHECK(policy_response_allowed(resp));
	CHECK_STR(policy_response_reason_at(resp, 0), "policy0");

	/* Clear and refill the same store, many times: the decision follows the new content. */
	for (int round = 0; round <= 1000; round++) {
		policy_entities_clear(s);
		CHECK(policy_entities_add(s, &alice, &e) == 0);
		CHECK(policy_entity_add_parent(e, &mdi) == 0);
		CHECK(policy_entities_add(s, &contact, &c) == 0);
		CHECK(policy_entity_add_parent(c, &cl) == 0);
		CHECK(policy_value_string(s, round % 2 ? "basic" : "enhanced", round % 2 ? 5 : 8,
		                          &str) == 0);
		policy_entity_set_attr(e, "incentive", str);
		policy_entity_set_attr(e, "active", NULL); /* -EINVAL, ignored */
		CHECK(policy_request_set_context(req, NULL) == 0);
		CHECK(policy_set_authorize(set_, s, req, resp) == 0);
		/* Without the other attributes the policy errors; either way never allowed. */
		CHECK(!policy_response_allowed(resp));
		CHECK(policy_response_error_count(resp) == (round % 2 ? 0u : 1u));
	}
	CHECK_STR(policy_response_error_message_at(resp, 0),
	          "`Person::\"A1234BC\"` does not have the attribute `active`");
	/* A hierarchy changed after a decision is seen by the next one (no stale cache). */
	{
		struct policy_set *g = NULL;
		const char *gp = "permit(principal in Group::\"top\", action, resource);";
		struct policy_uid top = {"Group", "top"}, mid = {"Group", "mid"};
		struct policy_entity *m = NULL;
		CHECK_INT(policy_set_new(&g), 0);
		CHECK_INT(policy_set_parse(g, "g", gp, strlen(gp), &d), 0);
		policy_entities_clear(s);
		CHECK_INT(policy_entities_add(s, &alice, &e), 0);
		CHECK_INT(policy_entity_add_parent(e, &mid), 0);
		CHECK_INT(policy_set_authorize(g, s, req, resp), 0);
		CHECK(!policy_response_allowed(resp));
		CHECK_INT(policy_entities_add(s, &mid, &m), 0);
		CHECK_INT(policy_entity_add_parent(m, &top), 0);
		CHECK_INT(policy_set_authorize(g, s, req, resp), 0);
		CHECK(policy_response_allowed(resp));
		policy_set_free(g);
	}
	/* Request setters reject bad names and keep the old value. */
	CHECK_INT(policy_request_set_principal(req, &bad), -EINVAL);
	CHECK_INT(policy_request_set_principal(req, NULL), -EINVAL);

	policy_response_free(resp);
	policy_request_free(req);
	policy_set_free(set_);
	policy_entities_free(s);
	policy_entities_free(NULL);
	policy_request_free(NULL);
	policy_response_free(NULL);
	CHECK_INT(policy_entities_new(NULL), -EINVAL);
	CHECK_INT(policy_set_authorize(NULL, NULL, NULL, NULL), -EINVAL);
	CHECK_STR(policy_strerror(-ELOOP), "the entity hierarchy has a cycle");
}

int
main(void)
{
	test_values_and_entities();
	return ptest_done("test_builder");
}

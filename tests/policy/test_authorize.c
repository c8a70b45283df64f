/*
 * test_authorize.c: Cedar's authorization semantics (default deny, forbid wins, errors skip a
 * policy and are reported, reasons are the determining policies), templates and links, and the
 * scope index: a policy filed under an ancestor still applies, and unlinking takes it away.
 */
#include "ptest.h"

static const char ENTS[] =
        "[{\"uid\":{\"type\":\"Person\",\"id\":\"A1234BC\"},\"attrs\":{\"incentive\":\"enhanced\"},"
        "\"parents\":[{\"type\":\"Establishment\",\"id\":\"MDI\"}]},"
        "{\"uid\":{\"type\":\"Establishment\",\"id\":\"MDI\"},\"attrs\":{},\"parents\":[]},"
        "{\"uid\":{\"type\":\"Action\",\"id\":\"messages.send\"},\"attrs\":{},"
        "\"parents\":[{\"type\":\"Action\",\"id\":\"messaging\"}]},"
        "{\"uid\":{\"type\":\"Contact\",\"id\":\"c1\"},\"attrs\":{},"
        "\"parents\":[{\"type\":\"ContactList\",\"id\":\"A1234BC\"}]}]";

static const char REQ[] =
        "{\"principal\":{\"type\":\"Person\",\"id\":\"A1234BC\"},\"action\":{\"type\":\"Action\","
        "\"id\":\"messages.send\"},\"resource\":{\"type\":\"Contact\",\"id\":\"c1\"},\"context\":"
        "{\"regime\":\"unlock\",\"sent_today\":3}}";

#define D(policies) decide_full(policies, ENTS, REQ, 0)

static void
test_semantics(void)
{
	CHECK_STR(D(""), "deny [] errors []");
	CHECK_STR(D("permit(principal, action, resource);"), "allow [policy0] errors []");
	CHECK_STR(D("permit(principal, action, resource);\n"
	            "permit(principal in Establishment::\"MDI\", action, resource);\n"
	            "permit(principal, action, resource) when { false };"),
	          "allow [policy0 policy1] errors []");
	CHECK_STR(D("permit(principal, action, resource);\n"
	            "forbid(principal, action, resource) when { context.regime == \"unlock\" };\n"
	            "forbid(principal, action in Action::\"messaging\", resource);"),
	          "deny [policy1 policy2] errors []");
	/* An erroring forbid does not deny; the error is reported and the permit decides. */
	CHECK_STR(D("permit(principal, action, resource);\n"
	            "forbid(principal, action, resource) when { context.missing };"),
	          "allow [policy0] errors [policy1]");
	CHECK_STR(D("permit(principal, action, resource) when { 1 + true };"),
	          "deny [] errors [policy0]");
	/* Scope first: a policy whose scope does not match never evaluates its condition. */
	CHECK_STR(D("permit(principal == Person::\"other\", action, resource) when { 1 + true };"),
	          "deny [] errors []");
	CHECK_STR(D("permit(principal, action == Action::\"messages.send\", resource == "
	            "Contact::\"c1\") when { context.sent_today < 20 } unless { "
	            "resource in ContactList::\"barred\" };"),
	          "allow [policy0] errors []");
	CHECK_STR(D("permit(principal is Person, action, resource is Contact in "
	            "ContactList::\"A1234BC\");"),
	          "allow [policy0] errors []");
	CHECK_STR(D("permit(principal is Staff, action, resource);"), "deny [] errors []");
	CHECK_STR(D("permit(principal, action in [Action::\"other\", Action::\"messaging\"], "
	            "resource);"),
	          "allow [policy0] errors []");
	CHECK_STR(D("forbid(principal, action, resource) unless { principal.incentive == "
	            "\"enhanced\" };\npermit(principal, action, resource);"),
	          "allow [policy1] errors []");
}

static const char *
links_decide(struct policy_set *set, struct policy_entities *ents, struct policy_request *req)
{
	static char out[512];
	struct policy_response *resp = NULL;
	if (policy_response_new(&resp) < 0 || policy_set_authorize(set, ents, req, resp) < 0) {
		policy_response_free(resp);
		return "failed";
	}
	size_t o = (size_t)snprintf(out, sizeof(out), "%s",
	                            policy_response_allowed(resp) ? "allow" : "deny");
	for (size_t i = 0; i < policy_response_reason_count(resp); i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, " %s",
		                      policy_response_reason_at(resp, i));
	policy_response_free(resp);
	return out;
}

static void
test_templates_and_links(void)
{
	struct policy_diag d = {0};
	struct policy_set *set = NULL;
	struct policy_entities *ents = NULL;
	struct policy_request *req = NULL;
	const char *text =
	        "@reason(\"Staff grant\")\n"
	        "permit(principal == ?principal, action in Action::\"messaging\", resource in "
	        "?resource);\n"
	        "forbid(principal in ?principal, action, resource) when { context.regime == "
	        "\"night\" };\n";
	CHECK_INT(policy_set_new(&set), 0);
	CHECK_INT(policy_set_parse(set, "t", text, strlen(text), &d), 0);
	CHECK_INT(policy_entities_parse_json(ENTS, strlen(ENTS), &d, &ents), 0);
	CHECK_INT(policy_request_parse_json(REQ, strlen(REQ), &d, &req), 0);
	/* Templates alone never apply. */
	CHECK_STR(links_decide(set, ents, req), "deny");
	struct policy_uid person = {"Person", "A1234BC"}, list = {"ContactList", "A1234BC"},
	                  mdi = {"Establishment", "MDI"}, bad = {"not a type", "x"};
	CHECK_INT(policy_set_link(set, "policy0", "grant-1", &person, &list, &d), 0);
	CHECK_STR(links_decide(set, ents, req), "allow grant-1");
	const char *v = NULL;
	CHECK_INT(policy_set_annotation(set, "grant-1", "reason", &v), 0);
	CHECK_STR(v, "Staff grant");
	bool t = true;
	CHECK_INT(policy_set_is_template(set, "grant-1", &t), 0);
	CHECK(!t);
	CHECK_INT(policy_set_count(set), 3);
	CHECK_STR(policy_set_id_at(set, 2), "grant-1");
	/* Errors: each says what is wrong and changes nothing. */
	CHECK_INT(policy_set_link(set, "policy0", "grant-1", &person, &list, &d), -EEXIST);
	CHECK_STR(d.message, "policy id `grant-1` is already in use");
	CHECK_INT(policy_set_link(set, "policy9", "g2", &person, NULL, &d), -ENOENT);
	CHECK_STR(d.message, "no template with id `policy9`");
	CHECK_INT(policy_set_link(set, "grant-1", "g2", &person, NULL, &d), -ENOENT);
	CHECK_INT(policy_set_link(set, "policy0", "g2", &person, NULL, &d), -EINVAL);
	CHECK_STR(
	        d.message,
	        "template `policy0` has slots ?principal ?resource but the link gives ?principal");
	CHECK_INT(policy_set_link(set, "policy1", "g2", &person, &list, &d), -EINVAL);
	CHECK_STR(d.message, "template `policy1` has slots ?principal but the link gives "
	                     "?principal ?resource");
	CHECK_INT(policy_set_link(set, "policy1", "g2", &bad, NULL, &d), -EINVAL);
	CHECK_STR(d.message, "a slot value needs a valid entity type name and a UTF-8 id");
	CHECK_INT(policy_set_count(set), 3);
	/* A forbid link filed under an ancestor (the establishment) applies to its people. */
	CHECK_INT(policy_set_link(set, "policy1", "night-mdi", &mdi, NULL, &d), 0);
	CHECK_STR(links_decide(set, ents, req), "allow grant-1");
	const char *night = "{\"principal\":{\"type\":\"Person\",\"id\":\"A1234BC\"},\"action\":"
	                    "{\"type\":\"Action\",\"id\":\"messages.send\"},\"resource\":{\"type\":"
	                    "\"Contact\",\"id\":\"c1\"},\"context\":{\"regime\":\"night\"}}";
	struct policy_request *req2 = NULL;
	CHECK_INT(policy_request_parse_json(night, strlen(night), &d, &req2), 0);
	CHECK_STR(links_decide(set, ents, req2), "deny night-mdi");
	CHECK_INT(policy_set_unlink(set, "night-mdi"), 0);
	CHECK_STR(links_decide(set, ents, req2), "allow grant-1");
	CHECK_INT(policy_set_unlink(set, "night-mdi"), -ENOENT);
	CHECK_INT(policy_set_unlink(set, "policy0"), -ENOENT); /* not a link */
	CHECK_INT(policy_set_unlink(set, "grant-1"), 0);
	CHECK_STR(links_decide(set, ents, req), "deny");
	CHECK_INT(policy_set_count(set), 2);
	/* Ids are reused freely after an unlink, and links survive later parses. */
	CHECK_INT(policy_set_link(set, "policy0", "grant-1", &person, &list, &d), 0);
	const char *more = "permit(principal, action, resource) when { false };";
	CHECK_INT(policy_set_parse(set, "more", more, strlen(more), &d), 0);
	CHECK_STR(policy_set_id_at(set, 3), "policy2");
	CHECK_STR(links_decide(set, ents, req), "allow grant-1");
	/* Links from JSON, all or nothing. */
	const char *lj = "[{\"templateId\":\"policy1\",\"newId\":\"j1\",\"values\":{\"?principal\":"
	                 "{\"type\":\"Person\",\"id\":\"A1234BC\"}}},{\"templateId\":\"policy1\","
	                 "\"newId\":\"j2\",\"values\":{}}]";
	CHECK_INT(policy_set_link_json(set, lj, strlen(lj), &d), -EINVAL);
	CHECK_STR(d.message, "links: link 1: template `policy1` has slots ?principal but the link "
	                     "gives none");
	CHECK_INT(policy_set_effect(set, "j1", NULL), -ENOENT);
	CHECK_INT(policy_set_count(set), 4);
	policy_request_free(req2);
	policy_request_free(req);
	policy_entities_free(ents);
	policy_set_free(set);
}

static void
test_index_scale(void)
{
	/* 5000 unrelated policies filed by principal; only the matching ones are evaluated, and
	 * the decision is the same as with a linear scan: checked by the count of reasons. */
	size_t cap = 5000 * 100, n = 0;
	char *text = malloc(cap);
	for (int i = 0; i < 5000; i++)
		n += (size_t)snprintf(text + n, cap - n,
		                      "permit(principal == Person::\"P%d\", action, resource) when "
		                      "{ 1 + true };\n",
		                      i);
	n += (size_t)snprintf(text + n, cap - n,
	                      "permit(principal in Establishment::\"MDI\", action, resource);\n"
	                      "permit(principal, action == Action::\"messages.send\", resource);\n"
	                      "permit(principal, action, resource == Contact::\"c1\");\n"
	                      "permit(principal, action, resource in ContactList::\"A1234BC\");\n"
	                      "permit(principal, action in [Action::\"messaging\", Action::\"x\"], "
	                      "resource);\n"
	                      "permit(principal is Person, action, resource);\n");
	CHECK_STR(decide_full(text, ENTS, REQ, 0),
	          "allow [policy5000 policy5001 policy5002 policy5003 policy5004 policy5005] "
	          "errors []");
	free(text);
}

int
main(void)
{
	test_semantics();
	test_templates_and_links();
	test_index_scale();
	return ptest_done("test_authorize");
}

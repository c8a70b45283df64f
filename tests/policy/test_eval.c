/*
 * test_eval.c: the evaluator, one condition at a time: every operator, 64-bit overflow,
 * short-circuiting, type errors, missing attributes and entities, like patterns, deep
 * hierarchies, and a cycle built with the C API that must not hang.
 */
#include "ptest.h"

static const char ENTS[] =
        "[{\"uid\":{\"type\":\"User\",\"id\":\"alice\"},"
        "\"attrs\":{\"level\":3,\"name\":\"Alice\",\"tags\":[\"a\",\"b\"],\"boss\":{\"__entity\":"
        "{\"type\":\"User\",\"id\":\"bob\"}},\"addr\":{\"city\":\"Leeds\",\"zip\":{\"n\":1}},"
        "\"big\":9223372036854775807,\"small\":-9223372036854775808},"
        "\"parents\":[{\"type\":\"Group\",\"id\":\"staff\"}]},"
        "{\"uid\":{\"type\":\"Group\",\"id\":\"staff\"},\"attrs\":{},"
        "\"parents\":[{\"type\":\"Group\",\"id\":\"all\"}]},"
        "{\"uid\":{\"type\":\"Group\",\"id\":\"all\"},\"attrs\":{},\"parents\":[]},"
        "{\"uid\":{\"type\":\"Doc\",\"id\":\"d1\"},\"attrs\":{\"owner\":{\"__entity\":{\"type\":"
        "\"User\",\"id\":\"alice\"}}},\"parents\":[{\"type\":\"Folder\",\"id\":\"f\"}]}]";

#define E(expr) cond(expr, ENTS, "{\"n\":5,\"s\":\"x\",\"r\":{\"a\":1},\"e\":[]}")

static void
test_literals_and_equality(void)
{
	CHECK_STR(E("true"), "true");
	CHECK_STR(E("false"), "false");
	CHECK_STR(E("1 == 1"), "true");
	CHECK_STR(E("1 != 1"), "false");
	CHECK_STR(E("1 == \"1\""), "false");
	CHECK_STR(E("\"a\" == \"a\""), "true");
	CHECK_STR(E("[1, 2, 2] == [2, 1]"), "true");
	CHECK_STR(E("[1, [2, 3]] == [[3, 2], 1]"), "true");
	CHECK_STR(E("{a: 1, b: [1]} == {b: [1], a: 1}"), "true");
	CHECK_STR(E("{a: 1} == {a: 1, b: 2}"), "false");
	CHECK_STR(E("User::\"alice\" == principal"), "true");
	CHECK_STR(E("User::\"alice\" == Admin::\"alice\""), "false");
	CHECK_STR(E("\"\\u{e9}\" == \"é\" && \"\\x41\" == \"A\""), "true");
	CHECK_STR(E("principal.boss == User::\"bob\""), "true");
	CHECK_STR(E("context.r == {a: 1}"), "true");
	CHECK_STR(E("[principal, resource] == [Doc::\"d1\", User::\"alice\"]"), "true");
}

static void
test_arithmetic(void)
{
	CHECK_STR(E("1 + 2 * 3 == 7"), "true");
	CHECK_STR(E("10 - 3 - 2 == 5"), "true");
	CHECK_STR(E("-context.n == -5"), "true");
	CHECK_STR(E("- -5 == 5"), "true");
	CHECK_STR(E("-9223372036854775808 == principal.small"), "true");
	CHECK_STR(
	        E("principal.big + 1 == 0"),
	        "error: integer overflow while attempting to add the values `9223372036854775807` "
	        "and `1`");
	CHECK_STR(E("principal.small - 1 == 0"),
	          "error: integer overflow while attempting to subtract the values "
	          "`-9223372036854775808` and `1`");
	CHECK_STR(E("principal.big * 2 == 0"),
	          "error: integer overflow while attempting to multiply the values "
	          "`9223372036854775807` and `2`");
	CHECK_STR(E("-principal.small == 0"),
	          "error: integer overflow while attempting to negate the value "
	          "`-9223372036854775808`");
	CHECK_STR(E("- -9223372036854775808 == 0"),
	          "error: integer overflow while attempting to negate the value "
	          "`-9223372036854775808`");
	CHECK_STR(E("principal.big * -1 - 1 == principal.small"), "true");
	CHECK_STR(E("1 + \"a\" == 2"), "error: type error: expected long, got string");
	CHECK_STR(E("-\"a\" == 2"), "error: type error: expected long, got string");
	CHECK_STR(E("1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3 && !(3 < 3)"), "true");
	CHECK_STR(E("\"a\" < \"b\""),
	          "error: type error: expected one of [long, datetime, duration], got string");
	CHECK_STR(E("1 < principal"),
	          "error: type error: expected one of [long, datetime, duration], got (entity of "
	          "type `User`)");
}

static void
test_logic(void)
{
	CHECK_STR(E("true && true"), "true");
	CHECK_STR(E("true && false"), "false");
	CHECK_STR(E("false || true"), "true");
	CHECK_STR(E("!false"), "true");
	CHECK_STR(E("!!!!true"), "true");
	/* Short-circuits: the right side is not evaluated, so its error does not happen. */
	CHECK_STR(E("false && 1"), "false");
	CHECK_STR(E("false && principal.missing"), "false");
	CHECK_STR(E("true || principal.missing"), "true");
	CHECK_STR(E("true && 1"), "error: type error: expected bool, got long");
	CHECK_STR(E("false || \"a\""), "error: type error: expected bool, got string");
	CHECK_STR(E("1 && true"), "error: type error: expected bool, got long");
	CHECK_STR(E("!1"), "error: type error: expected bool, got long");
	CHECK_STR(E("if true then true else 1"), "true");
	CHECK_STR(E("if false then 1 else false"), "false");
	CHECK_STR(E("if 1 then true else true"), "error: type error: expected bool, got long");
	CHECK_STR(E("if context.n > 3 then principal.level == 3 else principal.nope"), "true");
	CHECK_STR(E("1"), "error: type error: expected bool, got long");
	CHECK_STR(E("principal"), "error: type error: expected bool, got (entity of type `User`)");
}

static void
test_attributes(void)
{
	CHECK_STR(E("principal.level == 3"), "true");
	CHECK_STR(E("principal[\"level\"] == 3"), "true");
	CHECK_STR(E("principal.addr.zip.n == 1"), "true");
	CHECK_STR(E("principal.addr[\"city\"] == \"Leeds\""), "true");
	CHECK_STR(E("resource.owner.level == 3"), "true");
	CHECK_STR(E("principal.missing == 1"),
	          "error: `User::\"alice\"` does not have the attribute `missing`");
	CHECK_STR(E("principal.boss.level == 1"), "error: entity `User::\"bob\"` does not exist");
	CHECK_STR(E("context.nope"), "error: record does not have the attribute `nope`");
	CHECK_STR(
	        E("context.n.x"),
	        "error: type error: expected one of [record, (entity of type `any_entity_type`)], "
	        "got long");
	CHECK_STR(E("principal has level"), "true");
	CHECK_STR(E("principal has \"level\""), "true");
	CHECK_STR(E("principal has missing"), "false");
	CHECK_STR(E("principal.boss has level"), "false"); /* a missing entity has nothing */
	CHECK_STR(E("context has r.a"), "true");
	CHECK_STR(E("context has r.b"), "false");
	CHECK_STR(E("context has q.b"), "false");
	CHECK_STR(E("principal has addr.zip.n"), "true");
	CHECK_STR(
	        E("context has n.x"),
	        "error: type error: expected one of [record, (entity of type `any_entity_type`)], "
	        "got long");
	CHECK_STR(
	        E("1 has a"),
	        "error: type error: expected one of [record, (entity of type `any_entity_type`)], "
	        "got long");
	CHECK_STR(E("{\"a b\": 1}[\"a b\"] == 1"), "true");
}

static void
test_like(void)
{
	CHECK_STR(E("\"Alice\" like \"Alice\""), "true");
	CHECK_STR(E("\"Alice\" like \"A*\""), "true");
	CHECK_STR(E("\"Alice\" like \"*e\""), "true");
	CHECK_STR(E("\"Alice\" like \"*li*\""), "true");
	CHECK_STR(E("\"Alice\" like \"A*l*c*e\""), "true");
	CHECK_STR(E("\"Alice\" like \"a*\""), "false");
	CHECK_STR(E("\"\" like \"*\""), "true");
	CHECK_STR(E("\"\" like \"\""), "true");
	CHECK_STR(E("\"a\" like \"\""), "false");
	CHECK_STR(E("\"aa\" like \"a*a*a\""), "false");
	CHECK_STR(E("\"aXbXc\" like \"*X*X*\""), "true");
	CHECK_STR(E("\"a*b\" like \"a\\*b\""), "true");
	CHECK_STR(E("\"axb\" like \"a\\*b\""), "false");
	CHECK_STR(E("\"a*\" like \"*\\*\""), "true");
	CHECK_STR(E("\"a\\\\b\" like \"a\\\\b\""), "true");
	CHECK_STR(E("\"x\" like \"\\u{2a}\""), "true"); /* an escaped star is still a wildcard */
	CHECK_STR(E("\"héllo😀\" like \"h*😀\""), "true");
	CHECK_STR(E("\"日本語\" like \"*本*\""), "true");
	CHECK_STR(E("1 like \"*\""), "error: type error: expected string, got long");
}

static void
test_in_and_is(void)
{
	CHECK_STR(E("principal in Group::\"staff\""), "true");
	CHECK_STR(E("principal in Group::\"all\""), "true"); /* transitive */
	CHECK_STR(E("principal in principal"), "true");
	CHECK_STR(E("principal in Group::\"other\""), "false");
	CHECK_STR(E("resource in Folder::\"f\""), "true"); /* the parent need not exist */
	CHECK_STR(E("User::\"nobody\" in Group::\"all\""), "false");
	CHECK_STR(E("User::\"nobody\" in User::\"nobody\""), "true");
	CHECK_STR(E("principal in [Group::\"x\", Group::\"all\"]"), "true");
	CHECK_STR(E("principal in []"), "false");
	CHECK_STR(E("principal in [Group::\"all\", 1]"),
	          "error: type error: expected (entity of type `any_entity_type`), got long");
	CHECK_STR(E("1 in [Group::\"all\"]"),
	          "error: type error: expected (entity of type `any_entity_type`), got long");
	CHECK_STR(
	        E("principal in 1"),
	        "error: type error: expected one of [set, (entity of type `any_entity_type`)], got "
	        "long");
	CHECK_STR(E("action in Action::\"view\""), "true");
	CHECK_STR(E("principal is User"), "true");
	CHECK_STR(E("principal is Group"), "false");
	CHECK_STR(E("principal is User in Group::\"all\""), "true");
	CHECK_STR(E("principal is Group in principal.nope"), "false"); /* in not evaluated */
	CHECK_STR(E("principal is User in principal.nope"),
	          "error: `User::\"alice\"` does not have the attribute `nope`");
	CHECK_STR(E("NS::Thing::\"x\" is NS::Thing"), "true");
	CHECK_STR(E("1 is User"),
	          "error: type error: expected (entity of type `any_entity_type`), got long");
}

static void
test_sets(void)
{
	CHECK_STR(E("[1, 2].contains(2)"), "true");
	CHECK_STR(E("[1, 2].contains(\"2\")"), "false");
	CHECK_STR(E("principal.tags.contains(\"a\")"), "true");
	CHECK_STR(E("[[1], {a: 2}].contains({a: 2})"), "true");
	CHECK_STR(E("[1, 2, 3].containsAll([3, 1])"), "true");
	CHECK_STR(E("[1, 2].containsAll([3, 1])"), "false");
	CHECK_STR(E("[1].containsAll([])"), "true");
	CHECK_STR(E("[1, 2].containsAny([3, 1])"), "true");
	CHECK_STR(E("[1, 2].containsAny([])"), "false");
	CHECK_STR(E("[].isEmpty() && !([1].isEmpty()) && context.e.isEmpty()"), "true");
	CHECK_STR(E("1.contains(1)"), "error: type error: expected set, got long");
	CHECK_STR(E("[1].containsAll(1)"), "error: type error: expected set, got long");
	CHECK_STR(E("[1].containsAny(\"a\")"), "error: type error: expected set, got string");
	CHECK_STR(E("context.isEmpty()"), "error: type error: expected set, got record");
	CHECK_STR(E("[principal.nope].isEmpty()"),
	          "error: `User::\"alice\"` does not have the attribute `nope`");
	CHECK_STR(E("{a: principal.nope} == {}"),
	          "error: `User::\"alice\"` does not have the attribute `nope`");
}

static void
test_hierarchy_deep_and_cycles(void)
{
	/* A chain of 2000 groups through the JSON reader: in is transitive all the way. */
	size_t cap = 2000 * 120 + 100, n = 0;
	char *json = malloc(cap);
	n += (size_t)snprintf(json + n, cap - n, "[");
	for (int i = 0; i < 2000; i++)
		n += (size_t)snprintf(json + n, cap - n,
		                      "%s{\"uid\":{\"type\":\"G\",\"id\":\"g%d\"},\"attrs\":{},"
		                      "\"parents\":[{\"type\":\"G\",\"id\":\"g%d\"}]}",
		                      i ? "," : "", i, i + 1);
	snprintf(json + n, cap - n, "]");
	CHECK_STR(cond("G::\"g0\" in G::\"g2000\" && !(G::\"g5\" in G::\"g4\")", json, "{}"),
	          "true");
	/* A cycle in JSON is rejected, as Cedar rejects it. */
	const char *cyc =
	        "[{\"uid\":{\"type\":\"G\",\"id\":\"a\"},\"attrs\":{},\"parents\":[{\"type\":"
	        "\"G\",\"id\":\"b\"}]},{\"uid\":{\"type\":\"G\",\"id\":\"b\"},\"attrs\":{},"
	        "\"parents\":[{\"type\":\"G\",\"id\":\"a\"}]}]";
	CHECK_STR(cond("true", cyc, "{}"),
	          "setup: the entity hierarchy has a cycle containing G::\"a\"");
	free(json);

	/* Built with the C API, a cycle is refused by the check, and "in" still terminates. */
	struct policy_entities *s = NULL;
	struct policy_entity *a = NULL, *b = NULL;
	struct policy_uid ua = {"G", "a"}, ub = {"G", "b"}, uc = {"G", "c"};
	CHECK_INT(policy_entities_new(&s), 0);
	CHECK_INT(policy_entities_add(s, &ua, &a), 0);
	CHECK_INT(policy_entities_add(s, &ub, &b), 0);
	CHECK_INT(policy_entity_add_parent(a, &ub), 0);
	CHECK_INT(policy_entity_add_parent(b, &ua), 0);
	struct policy_diag d = {0};
	CHECK_INT(policy_entities_check(s, &d), -ELOOP);
	CHECK_STR(d.message, "the entity hierarchy has a cycle containing G::\"a\"");
	struct policy_set *set = NULL;
	const char *pol = "permit(principal in G::\"c\", action, resource);\n"
	                  "permit(principal in G::\"b\", action, resource);";
	CHECK_INT(policy_set_new(&set), 0);
	CHECK_INT(policy_set_parse(set, "t", pol, strlen(pol), &d), 0);
	struct policy_request *req = NULL;
	struct policy_response *resp = NULL;
	struct policy_uid act = {"Action", "x"};
	CHECK_INT(policy_request_new(&req), 0);
	CHECK_INT(policy_response_new(&resp), 0);
	CHECK_INT(policy_request_set_principal(req, &ua), 0);
	CHECK_INT(policy_request_set_action(req, &act), 0);
	CHECK_INT(policy_request_set_resource(req, &uc), 0);
	CHECK_INT(policy_set_authorize(set, s, req, resp), 0);
	CHECK(policy_response_allowed(resp));
	CHECK_INT(policy_response_reason_count(resp), 1);
	CHECK_STR(policy_response_reason_at(resp, 0), "policy1");
	policy_response_free(resp);
	policy_request_free(req);
	policy_set_free(set);
	policy_entities_free(s);
}

int
main(void)
{
	test_literals_and_equality();
	test_arithmetic();
	test_logic();
	test_attributes();
	test_like();
	test_in_and_is();
	test_sets();
	test_hierarchy_deep_and_cycles();
	return ptest_done("test_eval");
}

/*
 * test_parser.c: the Cedar parser: every construct parses, ids and annotations come out as
 * Cedar numbers them, and each error gives the exact file:line:column and message.
 */
#include "ptest.h"

static void
test_constructs(void)
{
	static const char *ok[] = {
	        "permit(principal, action, resource);",
	        "forbid(principal, action, resource);",
	        "permit(principal == User::\"a\", action == Action::\"view\", resource == "
	        "Doc::\"d\");",
	        "permit(principal in Group::\"g\", action in Action::\"all\", resource in "
	        "Folder::\"f\");",
	        "permit(principal is User, action, resource is Doc);",
	        "permit(principal is User in Group::\"g\", action, resource is Doc in "
	        "Folder::\"f\");",
	        "permit(principal, action in [Action::\"a\", NS::Action::\"b\",], resource);",
	        "permit(principal, action in [], resource);",
	        "permit(principal, action, resource,);",
	        "permit(principal == ?principal, action, resource in ?resource);",
	        "permit(principal is User in ?principal, action, resource);",
	        "@id(\"x\") @reason(\"Messages are closed at night\") @flag permit(principal, "
	        "action, "
	        "resource);",
	        "permit(principal, action, resource) when { true } unless { false } when { 1 < 2 "
	        "};",
	        "permit(principal, action, resource) when { A::B::C::\"x\" == principal };",
	        "permit(principal, action, resource) when { A :: B :: \"x\" == principal };",
	        "permit(principal, action, resource) when { [1, \"a\", true, [], {}, U::\"x\"] != "
	        "[] };",
	        "permit(principal, action, resource) when { {a: 1, \"b c\": [2], if_: {d: false}} "
	        "== "
	        "{} };",
	        "permit(principal, action, resource) when { context.a.b[\"c d\"].e == 1 };",
	        "permit(principal, action, resource) when { context has a && context has \"b c\" "
	        "&& "
	        "context has a.b.c };",
	        "permit(principal, action, resource) when { \"a*b\" like \"a\\*b*\" };",
	        "permit(principal, action, resource) when { 1 + 2 - 3 * -4 == --5 && !!!!true };",
	        "permit(principal, action, resource) when { -9223372036854775808 < "
	        "9223372036854775807 "
	        "};",
	        "permit(principal, action, resource) when { if true then 1 else 2 };",
	        "permit(principal, action, resource) when { [if true then 1 else 2] == [1] };",
	        "permit(principal, action, resource) when { principal in [U::\"a\"] && principal "
	        "is "
	        "U in U::\"g\" };",
	        "permit(principal, action, resource) when { [1].contains(1) && [1].containsAll([]) "
	        "&& "
	        "[1].containsAny([1]) && [].isEmpty() };",
	        "permit(principal, action, resource) when { 1.contains(1) };",
	        "permit(principal, action, resource) when { "
	        "\"\\n\\r\\t\\\\\\0\\'\\\"\\x7f\\u{1F600}"
	        "\\u{1_F600}\" != \"\" };",
	        "// comment\npermit(principal, action, resource) // trailing\n;",
	        "",
	        "   // only a comment",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const char *m = parse_msg("p.cedar", ok[i]);
		if (strcmp(m, "ok") != 0)
			fprintf(stderr, "case %zu: %s\n", i, ok[i]);
		CHECK_STR(m, "ok");
	}
}

static void
test_errors(void)
{
	struct {
		const char *text, *msg;
	} bad[] = {
	        {"permit(principal, action, resource)",
	         "p.cedar:1:36: expected ';' after policy, found end of input"},
	        {"permit(principal, action, resource)\nwhen { true }\npermit(principal, action, "
	         "resource);",
	         "p.cedar:3:1: expected ';' after policy, found `permit`"},
	        {"allow(principal, action, resource);",
	         "p.cedar:1:1: invalid policy effect: allow (expected `permit` or `forbid`)"},
	        {"permit(resource, action, principal);",
	         "p.cedar:1:8: found the variable `resource` where the variable `principal` must "
	         "be "
	         "used"},
	        {"permit(principal, action, resource, context);",
	         "p.cedar:1:37: this policy has an extra element in the scope"},
	        {"permit(principal == ?resource, action, resource);",
	         "p.cedar:1:21: expected an entity uid or matching template slot, found ?resource "
	         "instead of ?principal"},
	        {"permit(principal in [User::\"a\"], action, resource);",
	         "p.cedar:1:21: expected single entity uid or template slot, found set of entity "
	         "uids"},
	        {"permit(principal, action == User::\"x\", resource);",
	         "p.cedar:1:29: expected an entity uid with type `Action` but got `User::\"x\"`"},
	        {"permit(principal, action is Action, resource);",
	         "p.cedar:1:26: `is` cannot appear in the action scope"},
	        {"permit(principal, action == ?principal, resource);",
	         "p.cedar:1:29: expected single entity uid, found template slot"},
	        {"permit(principal is User == User::\"a\", action, resource);",
	         "p.cedar:1:26: `is` cannot be used together with `==`"},
	        {"@a(\"x\") @a(\"y\") permit(principal, action, resource);",
	         "p.cedar:1:10: duplicate annotation: @a"},
	        {"permit(principal, action, resource) when {};",
	         "p.cedar:1:43: `when` condition clause cannot be empty"},
	        {"permit(principal, action, resource) advice { 1 };",
	         "p.cedar:1:37: invalid policy condition: advice (expected `when` or `unless`)"},
	        {"permit(principal, action, resource) when { 1 == 1 == 1 };",
	         "p.cedar:1:51: multiple relational operators (>, ==, in, etc.) must be used with "
	         "parentheses to make ordering explicit"},
	        {"permit(principal, action, resource) when { !!!!!true };",
	         "p.cedar:1:44: too many occurrences of `!`"},
	        {"permit(principal, action, resource) when { !-1 };",
	         "p.cedar:1:45: expected an expression (put the operand in parentheses), found "
	         "'-'"},
	        {"permit(principal, action, resource) when { 9223372036854775808 > 0 };",
	         "p.cedar:1:44: integer literal `9223372036854775808` is too large"},
	        {"permit(principal, action, resource) when { -9223372036854775809 > 0 };",
	         "p.cedar:1:45: integer literal `-9223372036854775809` is too large"},
	        {"permit(principal, action, resource) when { {a: 1, a: 2} == {} };",
	         "p.cedar:1:51: duplicate key `a` in record literal"},
	        {"permit(principal, action, resource) when { principal.if };",
	         "p.cedar:1:54: this identifier is reserved and cannot be used: if"},
	        {"permit(principal, action, resource) when { foo };",
	         "p.cedar:1:44: invalid variable: foo"},
	        {"permit(principal, action, resource) when { foo(1) };",
	         "p.cedar:1:44: `foo` is not a valid function"},
	        {"permit(principal, action, resource) when { ip(\"1.2.3.4\") };",
	         "p.cedar:1:44: extension function `ip` is not supported by this engine (no ip, "
	         "decimal or datetime values)"},
	        {"permit(principal, action, resource) when { context.a.lessThan(1) };",
	         "p.cedar:1:54: extension method `lessThan` is not supported by this engine (no "
	         "ip, "
	         "decimal or datetime values)"},
	        {"permit(principal, action, resource) when { principal.hasTag(\"a\") };",
	         "p.cedar:1:54: entity tags (`hasTag`) are not supported by this engine"},
	        {"permit(principal, action, resource) when { [].foo() };",
	         "p.cedar:1:47: `foo` is not a valid method"},
	        {"permit(principal, action, resource) when { [].isEmpty(1) };",
	         "p.cedar:1:47: call to `isEmpty` requires exactly 0 arguments, but got 1 "
	         "argument"},
	        {"permit(principal, action, resource) when { [].contains() };",
	         "p.cedar:1:47: call to `contains` requires exactly 1 argument, but got 0 "
	         "arguments"},
	        {"permit(principal, action, resource) when { principal == ?principal };",
	         "p.cedar:1:57: found template slot ?principal in a `when` clause"},
	        {"permit(principal, action, resource) when { \"\\q\" };",
	         "p.cedar:1:45: the input `\\q` is not a valid escape"},
	        {"permit(principal, action, resource) when { \"\\*\" };",
	         "p.cedar:1:45: the input `\\*` is not a valid escape"},
	        {"permit(principal, action, resource) when { \"\\x80\" };",
	         "p.cedar:1:45: the input `\\x80` is not a valid escape"},
	        {"permit(principal, action, resource) when { \"\\u{D800}\" };",
	         "p.cedar:1:45: the input `\\u{D800}` is not a valid escape"},
	        {"permit(principal, action, resource) when { \"abc };",
	         "p.cedar:1:44: unterminated string literal"},
	        {"permit(principal, action, resource) when { context[1] };",
	         "p.cedar:1:52: invalid string literal: 1 (an index must be a quoted attribute "
	         "name)"},
	        {"permit(principal, action, resource) when { principal is User::\"a\" };",
	         "p.cedar:1:61: right hand side of an `is` expression must be an entity type name, "
	         "not an entity"},
	        {"permit(principal, action, resource) when { __cedar::U::\"a\" == principal };",
	         "p.cedar:1:44: this identifier is reserved and cannot be used: __cedar"},
	        {"permit(principal, action, resource) when { context = 1 };",
	         "p.cedar:1:52: '=' is not an operator; use '==' to compare"},
	        {"permit(principal, action, resource) when { 1 # 2 };",
	         "p.cedar:1:46: unexpected character"},
	        {"permit(principal, action, resource) when { \"é\" == é };",
	         "p.cedar:1:51: unexpected character"},
	        {"permit(principal, action, resource) when { (1 };",
	         "p.cedar:1:47: expected ')', found '}'"},
	        {"permit(principal, action, resource) when { [1, 2 };",
	         "p.cedar:1:50: expected ',' or ']' in the set, found '}'"},
	        {"permit(principal, action, resource) when { if true then 1 };",
	         "p.cedar:1:59: expected `else`, found '}'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_STR(parse_msg("p.cedar", bad[i].text), bad[i].msg);

	/* Invalid UTF-8 is reported where it starts. */
	CHECK_STR(parse_msg("p.cedar", "permit(principal, action, resource)\n  \xff;"),
	          "p.cedar:2:3: the text is not valid UTF-8");
	/* Deep nesting is refused, not a stack overflow. */
	static char deep[4000];
	size_t n = 0;
	n += (size_t)snprintf(deep, sizeof(deep), "permit(principal, action, resource) when { ");
	for (int i = 0; i < 600; i++)
		deep[n++] = '(';
	deep[n++] = '1';
	for (int i = 0; i < 600; i++)
		deep[n++] = ')';
	snprintf(deep + n, sizeof(deep) - n, " };");
	CHECK(strstr(parse_msg("p.cedar", deep), "expression nested too deeply") != NULL);
	/* So is a chain long enough to make the evaluator recurse too deep. */
	n = (size_t)snprintf(deep, sizeof(deep), "permit(principal, action, resource) when { 1");
	for (int i = 0; i < 600; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "+1");
	snprintf(deep + n, sizeof(deep) - n, " == 0 };");
	CHECK_STR(parse_msg("p.cedar", deep),
	          "p.cedar:1:553: expression nested too deeply (the limit is 256)");
}

static void
test_ids_and_annotations(void)
{
	struct policy_set *set = NULL;
	struct policy_diag d = {0};
	const char *a = "@reason(\"Messages are closed at night\")\n"
	                "forbid(principal, action, resource);\n"
	                "permit(principal == ?principal, action, resource);\n";
	const char *b = "@advice permit(principal, action, resource);\n";
	CHECK_INT(policy_set_new(&set), 0);
	CHECK_INT(policy_set_parse(set, "national.cedar", a, strlen(a), &d), 0);
	CHECK_INT(policy_set_parse(set, "mdi.cedar", b, strlen(b), &d), 0);
	CHECK_INT(policy_set_count(set), 3);
	CHECK_STR(policy_set_id_at(set, 0), "policy0");
	CHECK_STR(policy_set_id_at(set, 1), "policy1");
	CHECK_STR(policy_set_id_at(set, 2), "policy2");
	CHECK(policy_set_id_at(set, 3) == NULL);
	const char *v = NULL;
	CHECK_INT(policy_set_annotation(set, "policy0", "reason", &v), 0);
	CHECK_STR(v, "Messages are closed at night");
	CHECK_INT(policy_set_annotation(set, "policy2", "advice", &v), 0);
	CHECK_STR(v, "");
	CHECK_INT(policy_set_annotation(set, "policy1", "reason", &v), -ENOENT);
	CHECK_INT(policy_set_annotation(set, "policy9", "reason", &v), -ENOENT);
	size_t count = 9;
	CHECK_INT(policy_set_annotation_count(set, "policy0", &count), 0);
	CHECK_INT(count, 1);
	const char *k = NULL;
	CHECK_INT(policy_set_annotation_at(set, "policy0", 0, &k, &v), 0);
	CHECK_STR(k, "reason");
	enum policy_effect e;
	CHECK_INT(policy_set_effect(set, "policy0", &e), 0);
	CHECK_INT(e, POLICY_FORBID);
	CHECK_INT(policy_set_effect(set, "policy2", &e), 0);
	CHECK_INT(e, POLICY_PERMIT);
	bool t = false;
	CHECK_INT(policy_set_is_template(set, "policy1", &t), 0);
	CHECK(t);
	CHECK_INT(policy_set_is_template(set, "policy0", &t), 0);
	CHECK(!t);

	/* A failed parse leaves the set as it was, and the counter too. */
	const char *bad = "permit(principal, action, resource);\npermit(principal, action);";
	CHECK_INT(policy_set_parse(set, "bad.cedar", bad, strlen(bad), &d), -EINVAL);
	CHECK_STR(d.message, "bad.cedar:2:25: expected ',' after the action, found ')'");
	CHECK_INT(d.line, 2);
	CHECK_INT(d.column, 25);
	CHECK_INT(policy_set_count(set), 3);
	const char *c = "permit(principal, action, resource);";
	CHECK_INT(policy_set_parse(set, "c.cedar", c, strlen(c), &d), 0);
	CHECK_STR(policy_set_id_at(set, 3), "policy3");
	policy_set_free(set);
	policy_set_free(NULL);
}

static void
test_load_files(void)
{
	char dir[] = "/tmp/ptest-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char p1[64], p2[64], p3[64];
	snprintf(p1, sizeof(p1), "%s/national.cedar", dir);
	snprintf(p2, sizeof(p2), "%s/mdi.cedar", dir);
	snprintf(p3, sizeof(p3), "%s/missing.cedar", dir);
	FILE *f = fopen(p1, "w");
	fputs("permit(principal, action, resource);\nforbid(principal, action, resource);\n", f);
	fclose(f);
	f = fopen(p2, "w");
	fputs("permit(principal, action, resource)\n  when { true }\n  unless { 1 }\n", f);
	fclose(f);
	struct policy_diag d = {0};
	struct policy_set *set = (struct policy_set *)&d; /* must stay untouched on failure */
	const char *both[] = {p1, p2};
	CHECK_INT(policy_set_load_files(both, 2, &d, &set), -EINVAL);
	CHECK(set == (struct policy_set *)&d);
	char want[200];
	snprintf(want, sizeof(want), "%s:3:15: expected ';' after policy, found end of input", p2);
	CHECK_STR(d.message, want);
	const char *missing[] = {p3};
	CHECK_INT(policy_set_load_files(missing, 1, &d, &set), -ENOENT);
	snprintf(want, sizeof(want), "%s: cannot open: No such file or directory", p3);
	CHECK_STR(d.message, want);
	f = fopen(p2, "w");
	fputs("permit(principal, action, resource);\n", f);
	fclose(f);
	CHECK_INT(policy_set_load_files(both, 2, &d, &set), 0);
	CHECK_INT(policy_set_count(set), 3);
	CHECK_STR(policy_set_id_at(set, 2), "policy2");
	policy_set_free(set);
	remove(p1);
	remove(p2);
	remove(dir);
}

int
main(void)
{
	test_constructs();
	test_errors();
	test_ids_and_annotations();
	test_load_files();
	return ptest_done("test_parser");
}

/*
 * Decoding calls and checking parameters: every refusal with its exact reason, and the
 * replies built for the wire.
 */
#include "check.h"
#include "params.h"
#include "proto.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
expect_refused(const char *text, int want, const char *reason_part)
{
	struct proto_request req;
	char reason[200];

	CHECK_INT(proto_request_parse(text, strlen(text), &req, reason, sizeof(reason)), want);
	CHECK_CONTAINS(reason, reason_part);
}

static const struct param_spec specs[] = {
        {"name", PARAM_STRING, true, 0, 5},   {"count", PARAM_INT, false, 1, 10},
        {"ok", PARAM_BOOL, false, 0, 0},      {"tags", PARAM_STRINGS, false, 0, 2},
        {"extra", PARAM_OBJECT, false, 0, 1}, {NULL},
};

static void
expect_params(const char *json, const char *want_name, const char *want_message)
{
	json_t *params = json_loads(json, 0, NULL);
	struct param_error err;

	CHECK(params != NULL);
	if (!want_name) {
		CHECK_INT(params_check(params, specs, &err), 0);
	} else {
		CHECK_INT(params_check(params, specs, &err), -EINVAL);
		CHECK_STR(err.name, want_name);
		CHECK_STR(err.message, want_message);
	}
	json_decref(params);
}

int
main(void)
{
	struct proto_request req;
	char reason[200];
	size_t len;
	const char *call;
	char *text;

	test_step("a well-formed call");
	call = "{\"method\":\"onward.Session.Login\",\"parameters\":{\"pin\":\"1234\"}}";
	CHECK_INT(proto_request_parse(call, strlen(call), &req, reason, sizeof(reason)), 0);
	CHECK_STR(req.method, "onward.Session.Login");
	CHECK_STR(params_string(req.parameters, "pin", NULL), "1234");
	proto_request_release(&req);
	call = "{\"method\":\"onward.Service.GetInfo\"}";
	CHECK_INT(proto_request_parse(call, strlen(call), &req, reason, sizeof(reason)), 0);
	CHECK(json_is_object(req.parameters) && json_object_size(req.parameters) == 0);
	proto_request_release(&req);

	test_step("calls refused with their reasons");
	expect_refused("{", -EBADMSG, "not valid JSON");
	expect_refused("\"just a string\"", -EBADMSG, "not valid JSON");
	expect_refused("[1,2]", -EPROTO, "must be a JSON object");
	expect_refused("{}", -EPROTO, "has no method name");
	expect_refused("{\"method\":7}", -EPROTO, "has no method name");
	expect_refused("{\"method\":\"onward.x.Y\"}", -EPROTO, "is not a method name");
	expect_refused("{\"method\":\"onward.X\"}", -EPROTO, "is not a method name");
	expect_refused("{\"method\":\"onward.X.Y.Z\"}", -EPROTO, "is not a method name");
	expect_refused("{\"method\":\"other.X.Y\"}", -EPROTO, "is not a method name");
	expect_refused("{\"method\":\"onward.X.Y\",\"parameters\":null}", -EPROTO,
	               "parameters must be a JSON object");
	expect_refused("{\"method\":\"onward.X.Y\",\"id\":1}", -EPROTO, "unknown field 'id'");
	expect_refused("{\"method\":\"onward.X.Y\",\"method\":\"onward.X.Z\"}", -EBADMSG,
	               "duplicate");
	expect_refused("{\"method\":\"onward.X.Y\",\"parameters\":{\"a\":\"\\u0000\"}}", -EBADMSG,
	               "not valid JSON");
	expect_refused("{\"method\":\"onward.X.Y\",\"parameters\":{\"a\":99999999999999999999}}",
	               -EBADMSG, "not valid JSON");
	{
		const char bad_utf8[] =
		        "{\"method\":\"onward.X.Y\",\"parameters\":{\"a\":\"\xed\xa0\x80\"}}";

		CHECK_INT(proto_request_parse(bad_utf8, strlen(bad_utf8), &req, reason,
		                              sizeof(reason)),
		          -EBADMSG);
	}

	test_step("parameters checked strictly");
	expect_params("{\"name\":\"Sam\"}", NULL, NULL);
	expect_params("{\"name\":\"Sam\",\"count\":10,\"ok\":false,\"tags\":[\"a\",\"b\"],"
	              "\"extra\":{\"k\":1}}",
	              NULL, NULL);
	expect_params("{}", "name", "parameter 'name' is missing");
	expect_params("{\"name\":5}", "name", "parameter 'name' must be a string");
	expect_params("{\"name\":\"Samuel\"}", "name",
	              "parameter 'name' is too long (at most 5 bytes)");
	expect_params("{\"name\":\"Sam\",\"count\":0}", "count",
	              "parameter 'count' must be from 1 to 10");
	expect_params("{\"name\":\"Sam\",\"count\":1.5}", "count",
	              "parameter 'count' must be a whole number");
	expect_params("{\"name\":\"Sam\",\"ok\":1}", "ok", "parameter 'ok' must be true or false");
	expect_params("{\"name\":\"Sam\",\"tags\":[\"a\",\"b\",\"c\"]}", "tags",
	              "parameter 'tags' has too many items (at most 2)");
	expect_params("{\"name\":\"Sam\",\"tags\":[1]}", "tags",
	              "parameter 'tags' must be a list of short strings");
	expect_params("{\"name\":\"Sam\",\"extra\":{\"a\":1,\"b\":2}}", "extra",
	              "parameter 'extra' has too many fields (at most 1)");
	expect_params("{\"name\":\"Sam\",\"admin\":true}", "admin", "unknown parameter 'admin'");

	test_step("replies");
	text = proto_reply_ok(json_pack("{s:i}", "n", 1), &len);
	CHECK_STR(text, "{\"parameters\":{\"n\":1}}");
	CHECK_INT(len, strlen(text) + 1);
	free(text);
	text = proto_reply_error("onward.NotFound", "No such person.", NULL, &len);
	CHECK_STR(
	        text,
	        "{\"error\":\"onward.NotFound\",\"parameters\":{\"message\":\"No such person.\"}}");
	free(text);
	text = proto_call_build("onward.A.B", NULL, &len);
	CHECK_STR(text, "{\"method\":\"onward.A.B\",\"parameters\":{}}");
	free(text);
	printf("test-request: OK\n");
	return 0;
}

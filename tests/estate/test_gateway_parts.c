/*
 * The gateway's own pieces, without a network: the paths, bearer tokens and addresses it
 * reads, the frame a call becomes, the status each daemon reply maps to, and the token
 * buckets (refill, Retry-After, and a table that stays within its bound).
 */
#include "address.h"
#include "check.h"
#include "limits.h"
#include "request.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static void
test_paths_and_tokens(void)
{
	char token[REQUEST_TOKEN_LEN + 1];
	char header[100];
	struct sockaddr_storage ss;

	test_step("paths: /api/v1/ and a method name, nothing else");
	CHECK_STR(request_method_from_path("/api/v1/onward.Service.GetInfo"),
	          "onward.Service.GetInfo");
	CHECK(request_method_from_path("/api/v1/onward.Service") == NULL);
	CHECK(request_method_from_path("/api/v1/onward.Service.GetInfo/x") == NULL);
	CHECK(request_method_from_path("/api/v2/onward.Service.GetInfo") == NULL);
	CHECK(request_method_from_path("/api/v1/other.Service.GetInfo") == NULL);
	CHECK(request_method_from_path(NULL) == NULL);

	test_step("bearer tokens: exactly 64 lower-case hex");
	snprintf(header, sizeof(header), "Bearer %064d", 7);
	CHECK_INT(request_bearer(header, token), 0);
	CHECK_STR(token, header + 7);
	header[0] = 'b';
	CHECK_INT(request_bearer(header, token), 0);
	CHECK_INT(request_bearer(NULL, token), -ENOENT);
	CHECK_INT(request_bearer("Bearer abc", token), -EINVAL);
	CHECK_INT(request_bearer("Basic dXNlcjpwYXNz", token), -EINVAL);
	snprintf(header, sizeof(header), "Bearer %064d ", 7);
	CHECK_INT(request_bearer(header, token), -EINVAL);
	snprintf(header, sizeof(header), "Bearer %063dG", 7);
	CHECK_INT(request_bearer(header, token), -EINVAL);

	test_step("listen addresses: literals and a port");
	CHECK_INT(address_parse("127.0.0.1:8443", &ss), 0);
	CHECK_INT(ss.ss_family, AF_INET);
	CHECK_INT(ntohs(((struct sockaddr_in *)&ss)->sin_port), 8443);
	CHECK_INT(address_parse("[::1]:0", &ss), 0);
	CHECK_INT(ss.ss_family, AF_INET6);
	CHECK_INT(address_parse("::1:8443", &ss), -EINVAL);
	CHECK_INT(address_parse("localhost:8443", &ss), -EINVAL);
	CHECK_INT(address_parse("127.0.0.1:65536", &ss), -EINVAL);
	CHECK_INT(address_parse("127.0.0.1:", &ss), -EINVAL);
	CHECK_INT(address_parse("127.0.0.1", &ss), -EINVAL);
	CHECK_INT(address_parse("127.0.0.1:+80", &ss), -EINVAL);
}

static void
test_calls(void)
{
	struct request_via via = {.address = "10.1.2.3", .device = "ab"};
	char *frame = NULL, *big;
	size_t len;
	json_t *root;
	unsigned status = 0;

	test_step("a call: the body's parameters and the gateway's via, one frame");
	CHECK_INT(request_build_call("onward.Device.Hello", "{\"software\": \"0.4.0\"}", 21, &via,
	                             &frame, &len),
	          0);
	CHECK_INT(frame[len - 1], '\0');
	root = json_loads(frame, 0, NULL);
	CHECK_STR(json_string_value(json_object_get(root, "method")), "onward.Device.Hello");
	CHECK_STR(json_string_value(json_object_get(
	                  json_object_get(json_object_get(root, "parameters"), "via"), "address")),
	          "10.1.2.3");
	CHECK(json_object_get(json_object_get(json_object_get(root, "parameters"), "via"),
	                      "staff_session") == NULL);
	json_decref(root);
	free(frame);

	test_step("refused: not an object, duplicate keys, a via, too large");
	CHECK_INT(request_build_call("onward.A.B", "[]", 2, &via, &frame, &len), -EBADMSG);
	CHECK_INT(request_build_call("onward.A.B", "{} {}", 5, &via, &frame, &len), -EBADMSG);
	CHECK_INT(request_build_call("onward.A.B", "{\"a\":1,\"a\":1}", 13, &via, &frame, &len),
	          -EBADMSG);
	CHECK_INT(request_build_call("onward.A.B", "{\"via\":null}", 12, &via, &frame, &len),
	          -EEXIST);
	big = malloc(REQUEST_MAX_BODY + 2);
	CHECK(big != NULL);
	memset(big, ' ', REQUEST_MAX_BODY + 1);
	big[0] = '{';
	big[REQUEST_MAX_BODY] = '}';
	CHECK_INT(request_build_call("onward.A.B", big, REQUEST_MAX_BODY + 1, &via, &frame, &len),
	          -EMSGSIZE);
	/* 64 KiB of body makes a frame past the daemon's 64 KiB: never sent. */
	memset(big, ' ', REQUEST_MAX_BODY);
	big[0] = '{';
	big[1] = '"';
	memset(big + 2, 'x', REQUEST_MAX_BODY - 8);
	memcpy(big + REQUEST_MAX_BODY - 6, "\":1 }", 5);
	CHECK_INT(request_build_call("onward.A.B", big, REQUEST_MAX_BODY - 1, &via, &frame, &len),
	          -EMSGSIZE);
	free(big);

	test_step("replies: statuses by error name");
	CHECK_INT(request_reply_status("{\"parameters\":{}}", 17, &status), 0);
	CHECK_INT(status, 200);
#define EXPECT_STATUS(name, want)                                                                  \
	do {                                                                                       \
		char r_[160];                                                                      \
		snprintf(r_, sizeof(r_), "{\"error\":\"%s\",\"parameters\":{\"message\":\"m\"}}",  \
		         name);                                                                    \
		CHECK_INT(request_reply_status(r_, strlen(r_), &status), 0);                       \
		CHECK_INT(status, want);                                                           \
	} while (0)
	EXPECT_STATUS("onward.InvalidParameter", 400);
	EXPECT_STATUS("onward.SessionExpired", 401);
	EXPECT_STATUS("onward.DeviceRevoked", 403);
	EXPECT_STATUS("onward.MethodNotFound", 404);
	EXPECT_STATUS("onward.AlreadyExists", 409);
	EXPECT_STATUS("onward.AccountLocked", 423);
	EXPECT_STATUS("onward.Busy", 503);
	EXPECT_STATUS("onward.SomethingNew", 500);
	CHECK_INT(request_reply_status("{\"error\":1,\"parameters\":{}}", 27, &status), -EBADMSG);
	CHECK_INT(request_reply_status("{\"error\":\"x\"}", 13, &status), -EBADMSG);
	CHECK_INT(request_reply_status("nope", 4, &status), -EBADMSG);
}

static void
test_buckets(void)
{
	struct limits *l;
	unsigned wait = 0;
	char name[32];

	test_step("buckets: burst, then one a second, per identity");
	CHECK_INT(limits_new(1, 3, 4, &l), 0);
	for (int i = 0; i < 3; i++)
		CHECK_INT(limits_take(l, "a", 1000, &wait), 0);
	CHECK_INT(limits_take(l, "a", 1000, &wait), -EAGAIN);
	CHECK_INT(wait, 1);
	CHECK_INT(limits_take(l, "b", 1000, &wait), 0);
	CHECK_INT(limits_take(l, "a", 1999, &wait), -EAGAIN);
	CHECK_INT(limits_take(l, "a", 2000, &wait), 0);

	test_step("the table holds at most its bound; the oldest is forgotten");
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "id%d", i);
		CHECK_INT(limits_take(l, name, 3000, &wait), 0);
		CHECK(limits_count(l) <= 4);
	}
	limits_free(l);
	CHECK_INT(limits_new(0, 3, 4, &l), -EINVAL);
	CHECK_INT(limits_new(1, 0.5, 4, &l), -EINVAL);
}

int
main(void)
{
	test_paths_and_tokens();
	test_calls();
	test_buckets();
	printf("test-gateway-parts: ok\n");
	return 0;
}

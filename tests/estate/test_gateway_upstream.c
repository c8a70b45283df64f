/*
 * onward-gateway and the daemon behind it: the daemon killed (503, the gateway still
 * serving what it can, and calls answered again once the daemon is back), then, against
 * the stand-in daemon (gateway_fixture.h), exactly what a call becomes on gateway.sock
 * (the client's parameters and the proven "via"), a reply past 1 MiB and one that is not
 * JSON (502, the next call fine), a full queue (503 Busy), no answer at all (503 after
 * --reply-timeout) and SIGTERM with a call under way (it is answered, no new connection is
 * taken, and the gateway exits 0).
 */
#include "check.h"
#include "daemon.h"
#include "gateway_fixture.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

static struct test_pki pki;

struct background_call {
	const struct test_gateway *g;
	const char *method;
	struct https_result result;
	pthread_t thread;
};

static void *
background_run(void *arg)
{
	struct background_call *b = arg;
	char path[128];

	snprintf(path, sizeof(path), "/api/v1/%s", b->method);
	https_call(b->g, &pki, NULL, path, "{}", &b->result);
	return NULL;
}

static void
background_start(struct background_call *b, const struct test_gateway *g, const char *method)
{
	memset(b, 0, sizeof(*b));
	b->g = g;
	b->method = method;
	CHECK(pthread_create(&b->thread, NULL, background_run, b) == 0);
}

static void
background_join(struct background_call *b)
{
	CHECK(pthread_join(b->thread, NULL) == 0);
}

static void
test_daemon_killed(void)
{
	struct test_daemon d;
	struct test_gateway g;
	struct https_result r;
	char socket_path[200];
	bool back = false;

	test_step("the daemon killed: 503 Unavailable, and the gateway keeps serving");
	daemon_make(&d, NULL);
	daemon_start(&d);
	snprintf(socket_path, sizeof(socket_path), "%s/gateway.sock", d.dir);
	gateway_start(&g, &pki, socket_path, NULL);
	https_expect(&g, &pki, "onward.Service.GetInfo", "{}", 200, NULL);
	daemon_kill(&d);
	usleep(200000);
	https_expect(&g, &pki, "onward.Service.GetInfo", "{}", 503, "onward.Unavailable");
	https_call(&g, &pki, NULL, "/api/v1/onward.Service.GetInfo", "{}", &r);
	CHECK_CONTAINS(r.body, "The establishment server is not answering. Try again soon.");
	CHECK_STR(r.retry_after, "1");
	https_result_release(&r);
	https_call(&g, &pki, NULL, "/ca.pem", NULL, &r);
	CHECK_INT(r.status, 200);
	https_result_release(&r);

	test_step("the daemon back: calls answered again within seconds");
	daemon_start(&d);
	for (int i = 0; i < 100 && !back; i++) {
		https_call(&g, &pki, NULL, "/api/v1/onward.Service.GetInfo", "{}", &r);
		back = r.status == 200;
		https_result_release(&r);
		if (!back)
			usleep(100000);
	}
	CHECK(back);
	CHECK(gateway_log_has(&g, "daemon: a connection is down"));
	gateway_stop(&g);
	daemon_stop(&d);
	daemon_remove(&d);
}

static void
test_what_the_daemon_is_sent(const struct test_gateway *g)
{
	char header[128];
	struct https_options o = {
	        .cert = pki.client_cert, .key = pki.client_key, .authorization = header};
	struct https_result r;
	json_t *root, *params, *via;

	test_step("a call on gateway.sock: the client's parameters and the proven via");
	snprintf(header, sizeof(header), "bearer %s",
	         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	https_call(g, &pki, &o, "/api/v1/onward.Test.Echo", "{\"n\": 7, \"s\": [\"x\"]}", &r);
	CHECK_INT(r.status, 200);
	root = json_loads(r.body, 0, NULL);
	params = json_object_get(json_object_get(json_object_get(root, "parameters"), "call"),
	                         "parameters");
	CHECK_STR(json_string_value(json_object_get(
	                  json_object_get(json_object_get(root, "parameters"), "call"), "method")),
	          "onward.Test.Echo");
	CHECK_INT(json_integer_value(json_object_get(params, "n")), 7);
	via = json_object_get(params, "via");
	CHECK_INT(json_object_size(via), 3);
	CHECK_STR(json_string_value(json_object_get(via, "address")), "127.0.0.1");
	CHECK_STR(json_string_value(json_object_get(via, "device")), pki.client_fingerprint);
	CHECK_STR(json_string_value(json_object_get(via, "staff_session")),
	          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	json_decref(root);
	https_result_release(&r);

	test_step("no certificate, no token: via names the address alone");
	https_call(g, &pki, NULL, "/api/v1/onward.Test.Echo", "{}", &r);
	root = json_loads(r.body, 0, NULL);
	via = json_object_get(
	        json_object_get(json_object_get(json_object_get(root, "parameters"), "call"),
	                        "parameters"),
	        "via");
	CHECK_INT(json_object_size(via), 1);
	json_decref(root);
	https_result_release(&r);
}

static void
test_broken_replies(const struct test_gateway *g)
{
	test_step("a reply past 1 MiB: 502, and the next call is answered");
	https_expect(g, &pki, "onward.Test.Huge", "{}", 502, "onward.BadGateway");
	https_expect(g, &pki, "onward.Test.Echo", "{}", 200, NULL);

	test_step("a reply that is not JSON: 502, and the next call is answered");
	https_expect(g, &pki, "onward.Test.Garbage", "{}", 502, "onward.BadGateway");
	https_expect(g, &pki, "onward.Test.Echo", "{}", 200, NULL);
	CHECK(gateway_log_has(g, "daemon: a connection is down (Protocol error)"));
}

static void
test_busy(const char *socket_path)
{
	const char *const extra[] = {"--upstream", "1", "--max-queued", "1", NULL};
	struct background_call slow;
	struct test_gateway g;

	test_step("one connection, one call allowed to wait: a second call meanwhile is 503 Busy");
	gateway_start(&g, &pki, socket_path, extra);
	https_expect(&g, &pki, "onward.Test.Echo", "{}", 200, NULL);
	background_start(&slow, &g, "onward.Test.Slow");
	usleep(300000);
	https_expect(&g, &pki, "onward.Test.Echo", "{}", 503, "onward.Busy");
	background_join(&slow);
	CHECK_INT(slow.result.status, 200);
	https_result_release(&slow.result);
	https_expect(&g, &pki, "onward.Test.Echo", "{}", 200, NULL);
	gateway_stop(&g);
}

static void
test_no_answer(const char *socket_path)
{
	const char *const extra[] = {"--reply-timeout", "1", NULL};
	struct test_gateway g;

	test_step("a daemon that never answers: 503 after --reply-timeout, then calls go on");
	gateway_start(&g, &pki, socket_path, extra);
	https_expect(&g, &pki, "onward.Test.Never", "{}", 503, "onward.Unavailable");
	CHECK(gateway_log_has(&g, "daemon: a connection is down (Connection timed out)"));
	https_expect(&g, &pki, "onward.Test.Echo", "{}", 200, NULL);
	gateway_stop(&g);
}

static void
test_sigterm(const char *socket_path)
{
	struct background_call slow;
	struct test_gateway g;
	struct https_result r;

	test_step("SIGTERM with a call under way: it is answered; nothing new is taken; exit 0");
	gateway_start(&g, &pki, socket_path, NULL);
	background_start(&slow, &g, "onward.Test.Slow");
	usleep(300000);
	CHECK(kill(g.pid, SIGTERM) == 0);
	usleep(100000);
	https_call(&g, &pki, NULL, "/api/v1/onward.Test.Echo", "{}", &r);
	CHECK_INT(r.curl_code, CURLE_COULDNT_CONNECT);
	https_result_release(&r);
	background_join(&slow);
	CHECK_INT(slow.result.status, 200);
	CHECK_CONTAINS(slow.result.body, "onward.Test.Slow");
	https_result_release(&slow.result);
	gateway_wait_exit(&g);
	CHECK(gateway_log_has(&g, "SIGTERM: stopping"));
}

int
main(void)
{
	char socket_path[160];
	struct test_gateway g;
	pid_t fake;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	pki_make(&pki);
	test_daemon_killed();

	snprintf(socket_path, sizeof(socket_path), "%s/fake.sock", pki.dir);
	fake = fake_daemon_start(socket_path);
	gateway_start(&g, &pki, socket_path, NULL);
	test_what_the_daemon_is_sent(&g);
	test_broken_replies(&g);
	gateway_stop(&g);
	test_busy(socket_path);
	test_no_answer(socket_path);
	test_sigterm(socket_path);
	fake_daemon_stop(fake);

	pki_remove(&pki);
	curl_global_cleanup();
	printf("test-gateway-upstream: ok\n");
	return 0;
}

/*
 * onward-gateway under load, in front of a real daemon: a thousand idle TLS connections
 * (handshakes done, nothing sent) from one address do not stop another client's call
 * being answered promptly, and that address gets no more than its limit; and the rate
 * limit per identity answers 429 with Retry-After past the burst, for that identity only.
 */
#include "check.h"
#include "daemon.h"
#include "gateway_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/ssl.h>

#define IDLE_CONNECTIONS 1000

static struct test_pki pki;

struct idle {
	int fd;
	SSL *ssl;
};

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A TLS 1.3 connection from 127.0.0.2 with its handshake done; false if refused. */
static bool
idle_open(SSL_CTX *ctx, unsigned port, struct idle *ret)
{
	struct sockaddr_in from = {.sin_family = AF_INET}, to = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	SSL *ssl;

	CHECK(fd >= 0);
	inet_pton(AF_INET, "127.0.0.2", &from.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	to.sin_port = htons((uint16_t)port);
	CHECK(bind(fd, (struct sockaddr *)&from, sizeof(from)) == 0);
	CHECK(connect(fd, (struct sockaddr *)&to, sizeof(to)) == 0);
	ssl = SSL_new(ctx);
	CHECK(ssl != NULL);
	SSL_set_fd(ssl, fd);
	if (SSL_connect(ssl) != 1) {
		SSL_free(ssl);
		close(fd);
		return false;
	}
	/* TLS 1.3: the server may have closed at once; a read with a short wait tells. */
	{
		struct timeval tv = {.tv_usec = 20000};
		char byte;

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (SSL_read(ssl, &byte, 1) <= 0 && SSL_get_error(ssl, 0) != SSL_ERROR_WANT_READ &&
		    SSL_get_error(ssl, 0) != SSL_ERROR_SYSCALL) {
			SSL_free(ssl);
			close(fd);
			return false;
		}
	}
	*ret = (struct idle){.fd = fd, .ssl = ssl};
	return true;
}

static void
test_idle_connections(const char *socket_path)
{
	const char *const extra[] = {"--max-per-ip", "1000", NULL};
	struct idle *idle = calloc(IDLE_CONNECTIONS, sizeof(*idle));
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	struct test_gateway g;
	struct https_result r;
	uint64_t start, took;
	int opened = 0;

	test_step("%d idle TLS connections from 127.0.0.2, then a call from 127.0.0.1",
	          IDLE_CONNECTIONS);
	CHECK(idle && ctx);
	SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
	CHECK(SSL_CTX_load_verify_locations(ctx, pki.ca, NULL) == 1);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	gateway_start(&g, &pki, socket_path, extra);
	for (int i = 0; i < IDLE_CONNECTIONS; i++)
		opened += idle_open(ctx, g.port, &idle[i]);
	CHECK_INT(opened, IDLE_CONNECTIONS);

	start = mono_ms();
	https_call(&g, &pki, NULL, "/api/v1/onward.Service.GetInfo", "{}", &r);
	took = mono_ms() - start;
	CHECK_INT(r.status, 200);
	https_result_release(&r);
	test_step("answered in %llu ms", (unsigned long long)took);
	CHECK(took < 2000);

	test_step("the address with its 1000 gets no more");
	{
		struct idle extra_one;

		CHECK(!idle_open(ctx, g.port, &extra_one));
	}
	for (int i = 0; i < IDLE_CONNECTIONS; i++) {
		SSL_free(idle[i].ssl);
		close(idle[i].fd);
	}
	free(idle);
	SSL_CTX_free(ctx);
	https_expect(&g, &pki, "onward.Service.GetInfo", "{}", 200, NULL);
	gateway_stop(&g);
}

static void
test_rate_limit(const char *socket_path)
{
	const char *const extra[] = {"--rate", "1", "--burst", "5", NULL};
	struct https_options device = {.cert = pki.client_cert, .key = pki.client_key};
	struct test_gateway g;
	struct https_result r;

	test_step("rate 1/s, burst 5: the sixth call at once is 429 with Retry-After");
	gateway_start(&g, &pki, socket_path, extra);
	for (int i = 0; i < 5; i++)
		https_expect(&g, &pki, "onward.Service.GetInfo", "{}", 200, NULL);
	https_call(&g, &pki, NULL, "/api/v1/onward.Service.GetInfo", "{}", &r);
	CHECK_INT(r.status, 429);
	CHECK_CONTAINS(r.body, "\"onward.RateLimited\"");
	CHECK_STR(r.retry_after, "1");
	https_result_release(&r);

	test_step("another identity (a tablet's certificate) has its own bucket");
	https_call(&g, &pki, &device, "/api/v1/onward.Service.GetInfo", "{}", &r);
	CHECK_INT(r.status, 200);
	https_result_release(&r);

	test_step("after the wait it says, the address may call again");
	sleep(1);
	https_expect(&g, &pki, "onward.Service.GetInfo", "{}", 200, NULL);
	gateway_stop(&g);
}

int
main(void)
{
	struct test_daemon d;
	struct rlimit rl;
	char socket_path[200];

	/* A connection the gateway refuses is closed under OpenSSL's feet: no SIGPIPE here. */
	signal(SIGPIPE, SIG_IGN);
	/* A thousand connections need a thousand descriptors here too. */
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	rl.rlim_cur = rl.rlim_max;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	CHECK(rl.rlim_cur > IDLE_CONNECTIONS + 100);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	pki_make(&pki);
	daemon_make(&d, NULL);
	daemon_start(&d);
	snprintf(socket_path, sizeof(socket_path), "%s/gateway.sock", d.dir);

	test_idle_connections(socket_path);
	test_rate_limit(socket_path);

	daemon_stop(&d);
	daemon_remove(&d);
	pki_remove(&pki);
	curl_global_cleanup();
	printf("test-gateway-load: ok\n");
	return 0;
}

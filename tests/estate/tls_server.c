/*
 * The tests' TLS server (see tls_server.h). One connection at a time, one request each:
 * enough for a client that makes one call per connection, as the estate's does.
 */
#include "tls_server.h"

#include "check.h"
#include "client.h"
#include "pki.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define REQUEST_MAX (128u << 10)

struct request {
	char method[8];
	char path[256];
	char authorization[320];
	char client[64]; /* the client certificate's common name, "" when none */
	char client_pin[PKI_PIN_HEX_LEN + 1]; /* and its fingerprint */
	char *body; /* owned */
	size_t body_len;
};

static SSL_CTX *
make_ctx(const struct tls_server_config *c)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	X509 *cert = NULL, *ca = NULL;

	CHECK(ctx != NULL);
	CHECK_INT(pki_cert_from_pem(c->cert_pem, strlen(c->cert_pem), &cert), 0);
	CHECK(SSL_CTX_use_certificate(ctx, cert) == 1);
	CHECK(SSL_CTX_use_PrivateKey(ctx, c->key) == 1);
	if (c->tls12_only)
		CHECK(SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) == 1);
	else
		CHECK(SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) == 1);
	if (c->client_ca_pem) {
		CHECK_INT(pki_cert_from_pem(c->client_ca_pem, strlen(c->client_ca_pem), &ca), 0);
		CHECK(X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca) == 1);
		/* Asked for, not required, as the gateway does (docs/estate.md). */
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
		X509_free(ca);
	}
	X509_free(cert);
	return ctx;
}

/* A header's value ("" when absent); names compared without case. */
static void
header(const char *head, const char *name, char *ret, size_t size)
{
	size_t n = strlen(name);

	ret[0] = '\0';
	for (const char *line = strstr(head, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
		const char *h = line + 2;

		if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
			h += n + 1;
			h += strspn(h, " ");
			snprintf(ret, size, "%.*s", (int)strcspn(h, "\r\n"), h);
			return;
		}
	}
}

/* Reads one request (head and body); false when the client broke off. */
static bool
read_request(SSL *ssl, struct request *req)
{
	char *buf = malloc(REQUEST_MAX + 1), *end = NULL, length[32];
	size_t got = 0, want = 0;

	CHECK(buf != NULL);
	while (got < REQUEST_MAX) {
		int n = SSL_read(ssl, buf + got, (int)(REQUEST_MAX - got));

		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
		if (!end && (end = strstr(buf, "\r\n\r\n"))) {
			header(buf, "Content-Length", length, sizeof(length));
			want = (size_t)(end + 4 - buf) + strtoul(length, NULL, 10);
		}
		if (end && got >= want)
			break;
	}
	if (!end) {
		free(buf);
		return false;
	}
	*end = '\0';
	sscanf(buf, "%7s %255s", req->method, req->path);
	header(buf, "Authorization", req->authorization, sizeof(req->authorization));
	req->body_len = got - (size_t)(end + 4 - buf);
	req->body = malloc(req->body_len + 1);
	CHECK(req->body != NULL);
	memcpy(req->body, end + 4, req->body_len);
	req->body[req->body_len] = '\0';
	free(buf);
	return true;
}

/* The call forwarded to the daemon's socket, its reply as the body. */
static char *
forward(const struct tls_server_config *c, const struct request *req)
{
	struct client *cl = NULL;
	struct client_reply reply;
	json_t *params = json_loads(req->body, 0, NULL), *out;
	char *text;

	CHECK(params != NULL);
	/* What the gateway adds: the address, and the certificate it verified. */
	json_object_set_new(params, "via",
	                    req->client_pin[0] ? json_pack("{s:s, s:s}", "address", "127.0.0.1",
	                                                   "device", req->client_pin)
	                                       : json_pack("{s:s}", "address", "127.0.0.1"));
	CHECK_INT(client_connect(c->forward_socket, &cl), 0);
	CHECK_INT(client_call(cl, req->path + strlen("/api/v1/"), params, 10000, &reply), 0);
	out = reply.error ? json_pack("{s:s, s:O}", "error", reply.error, "parameters",
	                              reply.parameters)
	                  : json_pack("{s:O}", "parameters", reply.parameters);
	text = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	client_reply_release(&reply);
	client_free(cl);
	return text;
}

static char *
make_body(const struct tls_server_config *c, const struct request *req, int *ret_status)
{
	json_t *echo;
	char *text;

	*ret_status = 200;
	if (strcmp(req->method, "GET") == 0 && strcmp(req->path, "/ca.pem") == 0)
		return strdup(c->ca_pem_reply ? c->ca_pem_reply : "");
	if (c->reply == TLS_REPLY_FORWARD)
		return forward(c, req);
	if (c->reply == TLS_REPLY_FIXED) {
		*ret_status = c->fixed_status ? c->fixed_status : 200;
		if (c->fixed_body)
			return strdup(c->fixed_body);
		text = malloc(c->fixed_size + 1);
		CHECK(text != NULL);
		memset(text, 'x', c->fixed_size);
		text[c->fixed_size] = '\0';
		return text;
	}
	echo = json_pack("{s:{s:s, s:s, s:s, s:s, s:s}}", "parameters", "method", req->method,
	                 "path", req->path, "authorization", req->authorization, "client",
	                 req->client, "body", req->body);
	text = json_dumps(echo, JSON_COMPACT);
	json_decref(echo);
	return text;
}

static void
serve_one(SSL_CTX *ctx, const struct tls_server_config *c, int fd)
{
	struct request req = {0};
	SSL *ssl = SSL_new(ctx);
	char head[200], *body;
	int status;
	X509 *peer;

	SSL_set_fd(ssl, fd);
	if (SSL_accept(ssl) == 1 && read_request(ssl, &req)) {
		peer = SSL_get1_peer_certificate(ssl);
		if (peer) {
			X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName,
			                          req.client, sizeof(req.client));
			CHECK_INT(pki_cert_pin_x509(peer, req.client_pin), 0);
		}
		X509_free(peer);
		body = make_body(c, &req, &status);
		snprintf(head, sizeof(head),
		         "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		         status, strlen(body));
		SSL_write(ssl, head, (int)strlen(head));
		for (size_t off = 0; off < strlen(body);) {
			int n = SSL_write(ssl, body + off, (int)(strlen(body) - off));

			if (n <= 0)
				break;
			off += (size_t)n;
		}
		SSL_shutdown(ssl);
		free(body);
	}
	free(req.body);
	SSL_free(ssl);
	close(fd);
}

void
tls_server_start(struct tls_server *s, const struct tls_server_config *c)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	CHECK(fd >= 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0);
	CHECK(listen(fd, 8) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&addr, &len) == 0);
	s->port = ntohs(addr.sin_port);
	snprintf(s->url, sizeof(s->url), "https://127.0.0.1:%d", s->port);
	s->pid = fork();
	CHECK(s->pid >= 0);
	if (s->pid == 0) {
		SSL_CTX *ctx;

		/* Gone with the test, even one that fails a check and exits at once. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ctx = make_ctx(c);
		signal(SIGPIPE, SIG_IGN);
		for (;;) {
			int conn = accept(fd, NULL, NULL);

			if (conn >= 0)
				serve_one(ctx, c, conn);
		}
	}
	close(fd);
}

void
tls_server_stop(struct tls_server *s)
{
	if (s->pid <= 0)
		return;
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
}

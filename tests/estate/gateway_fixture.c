/*
 * The estate tests' fixture (see gateway_fixture.h). The certificates are made with the
 * openssl command, as an operator would; the gateway is the real binary; calls are made
 * with libcurl, as a tablet or browser would make them.
 */
#include "gateway_fixture.h"

#include "check.h"
#include "run.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#define OPENSSL_TIMEOUT_MS 20000

static const char ext_cnf[] = "[server]\n"
                              "basicConstraints=critical,CA:FALSE\n"
                              "extendedKeyUsage=serverAuth\n"
                              "subjectAltName=IP:127.0.0.1\n"
                              "[client]\n"
                              "basicConstraints=critical,CA:FALSE\n"
                              "extendedKeyUsage=clientAuth\n";

/* Runs one openssl command line in dir (the paths the tests make have no spaces). */
static void
openssl(const char *dir, const char *args)
{
	char command[1024];
	const char *argv[] = {"/bin/sh", "-c", command, NULL};
	struct run_result r;

	snprintf(command, sizeof(command), "cd '%s' && openssl %s", dir, args);
	run_program(argv, NULL, NULL, OPENSSL_TIMEOUT_MS, &r);
	if (r.status != 0)
		check_failed(__FILE__, __LINE__, "openssl %s failed: %s", args, r.err);
	run_result_release(&r);
}

static void
make_ca(const char *dir, const char *name)
{
	char args[512];

	snprintf(args, sizeof(args),
	         "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout %s.key "
	         "-out %s.pem -days 30 -subj '/CN=Onward test %s' "
	         "-addext basicConstraints=critical,CA:TRUE "
	         "-addext keyUsage=critical,keyCertSign,cRLSign",
	         name, name, name);
	openssl(dir, args);
}

/* A certificate for name from ca, of kind "server" or "client" (ext.cnf's sections). */
static void
make_leaf(const char *dir, const char *name, const char *ca, const char *kind)
{
	char args[512];

	snprintf(args, sizeof(args),
	         "req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout %s.key "
	         "-out %s.csr -subj /CN=tablet",
	         name, name);
	openssl(dir, args);
	snprintf(args, sizeof(args),
	         "x509 -req -in %s.csr -CA %s.pem -CAkey %s.key -CAserial %s.srl -CAcreateserial "
	         "-out %s.pem -days 30 -extfile ext.cnf -extensions %s",
	         name, ca, ca, ca, name, kind);
	openssl(dir, args);
}

static void
fingerprint(const char *cert, char ret[65])
{
	const char *argv[] = {"/usr/bin/openssl", "x509", "-noout", "-fingerprint",
	                      "-sha256",          "-in",  cert,     NULL};
	struct run_result r;
	const char *p;
	size_t n = 0;

	run_program(argv, NULL, NULL, OPENSSL_TIMEOUT_MS, &r);
	CHECK_INT(r.status, 0);
	p = strchr(r.out, '=');
	CHECK(p != NULL);
	for (p++; *p && n < 64; p++)
		if (isxdigit((unsigned char)*p))
			ret[n++] = (char)tolower((unsigned char)*p);
	ret[n] = '\0';
	CHECK_INT(n, 64);
	run_result_release(&r);
}

void
pki_make(struct test_pki *pki)
{
	char path[96];
	FILE *f;

	memset(pki, 0, sizeof(*pki));
	snprintf(pki->dir, sizeof(pki->dir), "/tmp/onward-pki-XXXXXX");
	CHECK(mkdtemp(pki->dir) != NULL);
	snprintf(path, sizeof(path), "%s/ext.cnf", pki->dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	fputs(ext_cnf, f);
	fclose(f);
	make_ca(pki->dir, "ca");
	make_ca(pki->dir, "forged-ca");
	make_leaf(pki->dir, "server", "ca", "server");
	make_leaf(pki->dir, "client", "ca", "client");
	make_leaf(pki->dir, "forged", "forged-ca", "client");
	snprintf(pki->ca, sizeof(pki->ca), "%s/ca.pem", pki->dir);
	snprintf(pki->server_cert, sizeof(pki->server_cert), "%s/server.pem", pki->dir);
	snprintf(pki->server_key, sizeof(pki->server_key), "%s/server.key", pki->dir);
	snprintf(pki->client_cert, sizeof(pki->client_cert), "%s/client.pem", pki->dir);
	snprintf(pki->client_key, sizeof(pki->client_key), "%s/client.key", pki->dir);
	snprintf(pki->forged_cert, sizeof(pki->forged_cert), "%s/forged.pem", pki->dir);
	snprintf(pki->forged_key, sizeof(pki->forged_key), "%s/forged.key", pki->dir);
	fingerprint(pki->client_cert, pki->client_fingerprint);
}

void
pki_remove(struct test_pki *pki)
{
	const char *argv[] = {"/bin/rm", "-rf", pki->dir, NULL};
	struct run_result r;

	run_program(argv, NULL, NULL, 10000, &r);
	run_result_release(&r);
}

bool
gateway_log_has(const struct test_gateway *g, const char *needle)
{
	return test_file_has(g->log, needle);
}

static void
print_log(const struct test_gateway *g)
{
	char buf[4096];
	FILE *f = fopen(g->log, "r");
	size_t n;

	if (!f)
		return;
	fprintf(stderr, "---- onward-gateway log (%s) ----\n", g->log);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stderr);
	fprintf(stderr, "---- end of log ----\n");
	fclose(f);
}

/* The port from "ready: listening on port N", once it is there. */
static unsigned
read_port(const struct test_gateway *g)
{
	char line[512];
	unsigned port = 0;
	FILE *f = fopen(g->log, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "ready: listening on port ");

		if (p)
			port = (unsigned)strtoul(p + strlen("ready: listening on port "), NULL, 10);
	}
	fclose(f);
	return port;
}

void
gateway_start(struct test_gateway *g, const struct test_pki *pki, const char *daemon_socket,
              const char *const extra[])
{
	const char *argv[48] = {run_bin("onward-gateway"),
	                        "--listen",
	                        "127.0.0.1:0",
	                        "--cert",
	                        pki->server_cert,
	                        "--key",
	                        pki->server_key,
	                        "--client-ca",
	                        pki->ca,
	                        "--daemon-socket",
	                        daemon_socket,
	                        "--verbose"};
	size_t n = 12;
	int status;

	for (size_t i = 0; extra && extra[i]; i++) {
		CHECK(n + 1 < sizeof(argv) / sizeof(argv[0]));
		argv[n++] = extra[i];
	}
	argv[n] = NULL;
	memset(g, 0, sizeof(*g));
	snprintf(g->log, sizeof(g->log), "%s/gateway-%d.log", pki->dir, (int)time(NULL) % 100000);
	for (int k = 0; access(g->log, F_OK) == 0; k++)
		snprintf(g->log, sizeof(g->log), "%s/gateway-%d.log", pki->dir, k);
	g->pid = fork();
	CHECK(g->pid >= 0);
	if (g->pid == 0) {
		/* It dies with the test, should the test fail and exit first. */
		int fd = prctl(PR_SET_PDEATHSIG, SIGKILL) == 0
		                 ? open(g->log, O_WRONLY | O_CREAT | O_TRUNC, 0600)
		                 : -1;
		int null = open("/dev/null", O_RDWR);

		if (fd < 0 || null < 0 || dup2(fd, STDERR_FILENO) < 0 ||
		    dup2(null, STDOUT_FILENO) < 0 || dup2(null, STDIN_FILENO) < 0)
			_exit(127);
		execv(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	for (int i = 0; i < 500; i++) {
		g->port = read_port(g);
		if (g->port)
			return;
		if (waitpid(g->pid, &status, WNOHANG) == g->pid) {
			print_log(g);
			check_failed(__FILE__, __LINE__, "onward-gateway exited at start (%d)",
			             WIFEXITED(status) ? WEXITSTATUS(status)
			                               : 128 + WTERMSIG(status));
		}
		usleep(10000);
	}
	print_log(g);
	check_failed(__FILE__, __LINE__, "onward-gateway did not say where it listens");
}

void
gateway_stop(struct test_gateway *g)
{
	if (g->pid <= 0)
		return;
	CHECK(kill(g->pid, SIGTERM) == 0);
	gateway_wait_exit(g);
}

void
gateway_wait_exit(struct test_gateway *g)
{
	int status = 0;

	for (int i = 0; i < 1500; i++) {
		if (waitpid(g->pid, &status, WNOHANG) == g->pid) {
			g->pid = 0;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				print_log(g);
				check_failed(__FILE__, __LINE__,
				             "onward-gateway stopped badly (%d)",
				             WIFEXITED(status) ? WEXITSTATUS(status)
				                               : 128 + WTERMSIG(status));
			}
			return;
		}
		usleep(10000);
	}
	kill(g->pid, SIGKILL);
	print_log(g);
	check_failed(__FILE__, __LINE__, "onward-gateway did not stop within 15 s of SIGTERM");
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct https_result *r = arg;
	char *p = realloc(r->body, r->len + size * n + 1);

	CHECK(p != NULL);
	memcpy(p + r->len, data, size * n);
	r->body = p;
	r->len += size * n;
	r->body[r->len] = '\0';
	return size * n;
}

/* Copies a header's value (after "Name: ") without its line ending. */
static void
header_value(const char *line, size_t len, size_t name_len, char *ret, size_t size)
{
	size_t n = 0;

	for (size_t i = name_len; i < len && line[i] != '\r' && line[i] != '\n' && n + 1 < size;
	     i++)
		ret[n++] = line[i];
	ret[n] = '\0';
}

static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
	struct https_result *r = arg;
	size_t len = size * n;

	if (len > 13 && strncasecmp(line, "Retry-After: ", 13) == 0)
		header_value(line, len, 13, r->retry_after, sizeof(r->retry_after));
	if (len > 14 && strncasecmp(line, "Content-Type: ", 14) == 0)
		header_value(line, len, 14, r->content_type, sizeof(r->content_type));
	if (len > 31 && strncasecmp(line, "X-Content-Type-Options: nosniff", 31) == 0)
		r->nosniff = true;
	if (len > 23 && strncasecmp(line, "Cache-Control: no-store", 23) == 0)
		r->no_store = true;
	if (len > 27 && strncasecmp(line, "Strict-Transport-Security: ", 27) == 0)
		r->hsts = true;
	return len;
}

void
https_call(const struct test_gateway *g, const struct test_pki *pki, const struct https_options *o,
           const char *path, const char *body, struct https_result *ret)
{
	static const struct https_options none;
	CURL *curl = curl_easy_init();
	struct curl_slist *headers = NULL;
	char url[256], auth[256];

	if (!o)
		o = &none;
	memset(ret, 0, sizeof(*ret));
	CHECK(curl != NULL);
	snprintf(url, sizeof(url), "https://127.0.0.1:%u%s", g->port, path);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CAINFO, pki->ca);
	curl_easy_setopt(curl, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, ret);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, ret);
	/* A tablet sends its body at once: no "Expect: 100-continue" round trip. */
	headers = curl_slist_append(headers, "Expect:");
	headers = curl_slist_append(headers, "Content-Type: application/json");
	if (o->authorization) {
		snprintf(auth, sizeof(auth), "Authorization: %s", o->authorization);
		headers = curl_slist_append(headers, auth);
	}
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	if (body) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (o->verb)
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, o->verb);
	if (o->cert) {
		curl_easy_setopt(curl, CURLOPT_SSLCERT, o->cert);
		curl_easy_setopt(curl, CURLOPT_SSLKEY, o->key);
	}
	if (o->tls12_only)
		curl_easy_setopt(curl, CURLOPT_SSLVERSION,
		                 (long)(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2));
	ret->curl_code = (int)curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &ret->status);
	if (!ret->body)
		ret->body = strdup("");
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
}

void
https_result_release(struct https_result *r)
{
	free(r->body);
	r->body = NULL;
}

void
https_expect(const struct test_gateway *g, const struct test_pki *pki, const char *method,
             const char *body, long status, const char *error)
{
	struct https_result r;
	char path[128];
	json_t *root;

	snprintf(path, sizeof(path), "/api/v1/%s", method);
	https_call(g, pki, NULL, path, body, &r);
	if (r.curl_code != 0 || r.status != status)
		check_failed(__FILE__, __LINE__, "%s: curl %d, HTTP %ld (%s), expected HTTP %ld",
		             method, r.curl_code, r.status, r.body, status);
	root = json_loads(r.body, 0, NULL);
	CHECK(json_is_object(root));
	if (error)
		CHECK_STR(json_string_value(json_object_get(root, "error")), error);
	else
		CHECK(json_object_get(root, "error") == NULL);
	CHECK_STR(r.content_type, "application/json");
	CHECK(r.nosniff && r.no_store && r.hsts);
	json_decref(root);
	https_result_release(&r);
}

/* ---- the stand-in daemon ---- */

static void
fake_send(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n <= 0)
			return;
		text += n;
		len -= (size_t)n;
	}
}

static void
fake_answer(int fd, const char *msg)
{
	json_t *call = json_loads(msg, 0, NULL);
	const char *method = json_string_value(json_object_get(call, "method"));
	char *text;

	if (method && strcmp(method, "onward.Test.Huge") == 0) {
		size_t n = 1100 * 1024;
		char *big = malloc(n + 64);

		if (big) {
			memcpy(big, "{\"parameters\": {\"x\": \"", 22);
			memset(big + 22, 'a', n);
			memcpy(big + 22 + n, "\"}}", 4);
			fake_send(fd, big, strlen(big) + 1);
			free(big);
		}
	} else if (method && strcmp(method, "onward.Test.Never") == 0) {
		/* No answer at all: the gateway's --reply-timeout must end the wait. */
	} else if (method && strcmp(method, "onward.Test.Garbage") == 0) {
		fake_send(fd, "this is not json", 17);
	} else {
		if (method && strcmp(method, "onward.Test.Slow") == 0)
			sleep(1);
		json_t *reply = json_pack("{s:{s:O}}", "parameters", "call", call);

		text = reply ? json_dumps(reply, 0) : NULL;
		if (text)
			fake_send(fd, text, strlen(text) + 1);
		free(text);
		json_decref(reply);
	}
	json_decref(call);
}

/* The child: serves every connection on one poll loop, one frame at a time. */
static void
fake_serve(int listener)
{
	struct pollfd fds[64];
	char *bufs[64] = {NULL};
	size_t lens[64] = {0};
	nfds_t n = 1;

	fds[0] = (struct pollfd){.fd = listener, .events = POLLIN};
	for (;;) {
		if (poll(fds, n, -1) < 0)
			continue;
		if ((fds[0].revents & POLLIN) && n < 64) {
			int c = accept(listener, NULL, NULL);

			if (c >= 0) {
				fds[n] = (struct pollfd){.fd = c, .events = POLLIN};
				bufs[n] = malloc(70 * 1024);
				lens[n++] = 0;
			}
		}
		for (nfds_t i = 1; i < n; i++) {
			ssize_t got;
			char *nul;

			if (!(fds[i].revents & (POLLIN | POLLHUP)))
				continue;
			got = read(fds[i].fd, bufs[i] + lens[i], 70 * 1024 - lens[i]);
			if (got <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				continue;
			}
			lens[i] += (size_t)got;
			while ((nul = memchr(bufs[i], '\0', lens[i]))) {
				size_t used = (size_t)(nul - bufs[i]) + 1;

				fake_answer(fds[i].fd, bufs[i]);
				memmove(bufs[i], bufs[i] + used, lens[i] - used);
				lens[i] -= used;
			}
		}
	}
}

pid_t
fake_daemon_start(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	pid_t pid;

	CHECK(fd >= 0);
	CHECK(strlen(path) < sizeof(sa.sun_path));
	strcpy(sa.sun_path, path);
	unlink(path);
	CHECK(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	CHECK(listen(fd, 16) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		/* It dies with the test, and holds none of the test's output open. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || null < 0 ||
		    dup2(null, STDOUT_FILENO) < 0 || dup2(null, STDERR_FILENO) < 0)
			_exit(127);
		signal(SIGPIPE, SIG_IGN);
		fake_serve(fd);
		_exit(0);
	}
	close(fd);
	return pid;
}

void
fake_daemon_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

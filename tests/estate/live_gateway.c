/* The real gateway in front of a test's daemon (see live_gateway.h). */
#include "live_gateway.h"

#include "check.h"
#include "crypto.h"
#include "fixture.h"
#include "pki.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Writes text to DIR/name with mode into ret_path (256 bytes). */
static void
put(const struct test_daemon *d, const char *name, const char *text, mode_t mode, char *ret_path)
{
	snprintf(ret_path, 256, "%s/%s", d->dir, name);
	CHECK_INT(crypto_file_write_atomic(ret_path, text, strlen(text), mode), 0);
}

void
estate_gateway_start(struct test_daemon *d, struct estate_gateway *g)
{
	char key_path[256], cert[256], sock[256];
	const char *make_key[] = {run_bin("onward-gateway"), "--make-key", key_path, NULL};
	struct run_result made;
	json_t *r;

	memset(g, 0, sizeof(*g));
	/* The gateway makes its own key; only the public half goes to the daemon. */
	snprintf(key_path, sizeof(key_path), "%s/gateway.key", d->dir);
	(void)unlink(key_path); /* a gateway started again makes a new one */
	run_program(make_key, NULL, NULL, 10000, &made);
	CHECK_INT(made.status, 0);
	made.out[strcspn(made.out, "\n")] = '\0';
	CHECK_INT(strlen(made.out), PKI_POINT_BASE64_LEN);
	r = daemon_admin_ok(
	        d, "onward.Gateway.Certify",
	        json_pack("{s:s, s:[s]}", "public_key", made.out, "hosts", "127.0.0.1"));
	run_result_release(&made);
	put(d, "gateway.crt", json_string_value(json_object_get(r, "certificate")), 0644, cert);
	put(d, "ca.crt", json_string_value(json_object_get(r, "ca")), 0644, g->ca);
	json_decref(r);
	snprintf(g->log, sizeof(g->log), "%s/gateway.log", d->dir);
	snprintf(sock, sizeof(sock), "%s/gateway.sock", d->dir);
	(void)unlink(g->log); /* a gateway before this one said its own port there */
	g->pid = fork();
	CHECK(g->pid >= 0);
	if (g->pid == 0) {
		int fd = open(g->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(fd, 2);
		execl(run_bin("onward-gateway"), "onward-gateway", "--cert", cert, "--key",
		      key_path, "--client-ca", g->ca, "--daemon-socket", sock, "--listen",
		      "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	/* It says which port the kernel chose once it listens. */
	for (int i = 0; i < 200 && !g->url[0]; i++) {
		FILE *f = fopen(g->log, "r");
		char line[512];
		unsigned port;

		while (f && fgets(line, sizeof(line), f))
			if (sscanf(strstr(line, "listening on port ") ?: "", "listening on port %u",
			           &port) == 1)
				snprintf(g->url, sizeof(g->url), "https://127.0.0.1:%u", port);
		if (f)
			fclose(f);
		if (!g->url[0])
			usleep(50000);
	}
	CHECK(g->url[0] != '\0');
}

void
estate_gateway_stop(struct estate_gateway *g)
{
	int status = 0;

	kill(g->pid, SIGTERM);
	CHECK(waitpid(g->pid, &status, 0) == g->pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

void
estate_gateway_kill(struct estate_gateway *g)
{
	kill(g->pid, SIGKILL);
	CHECK(waitpid(g->pid, NULL, 0) == g->pid);
}

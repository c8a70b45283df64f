/*
 * The gate tests' shared parts (see gate_fixture.h).
 */
#include "gate_fixture.h"

#include "bundle.h"
#include "check.h"
#include "run.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static json_t *
as_admin(struct test_daemon *d, const char *method, json_t *params)
{
	return daemon_admin_ok(d, method, params);
}

void
gate_setup(struct test_daemon *d, const char *code)
{
	char config[600], path[300], cmd[900];
	FILE *f;

	daemon_make(d, NULL);
	snprintf(path, sizeof(path), "%s.policy", d->dir);
	snprintf(cmd, sizeof(cmd),
	         "mkdir -p '%s' && cp '%s/policy/national.cedar' "
	         "'%s/policy/national.reasons.cedar' '%s'",
	         path, ONWARD_SOURCE_DIR, ONWARD_SOURCE_DIR, path);
	CHECK(system(cmd) == 0);
	snprintf(config, sizeof(config),
	         "{\"scrypt_log_n\": 10, \"establishment\": \"%s\", \"policy_dir\": \"%s\"}", code,
	         path);
	snprintf(path, sizeof(path), "%s/policyd.json", d->dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	fputs(config, f);
	CHECK(fclose(f) == 0);
	daemon_start(d);
	daemon_seed(d); /* admin, and MDI */
	json_decref(as_admin(d, "onward.Establishment.Add",
	                     json_pack("{s:s, s:s, s:s}", "code", "NEP", "name", "North East",
	                               "kind", "probation")));
	json_decref(as_admin(d, "onward.Establishment.Add",
	                     json_pack("{s:s, s:s}", "code", "BXI", "name", "HMP Brixton")));
	json_decref(as_admin(d, "onward.Establishment.Regime",
	                     json_pack("{s:s, s:s}", "code", "NEP", "regime", "unlock")));
	json_decref(as_admin(d, "onward.Establishment.Regime",
	                     json_pack("{s:s, s:s}", "code", "MDI", "regime", "unlock")));
	json_decref(
	        as_admin(d, "onward.Staff.Add",
	                 json_pack("{s:s, s:s, s:s, s:s}", "id", "m.brown", "name", "Morgan Brown",
	                           "role", "probation", "establishment", "NEP")));
}

bool
gate_person_exists(struct test_daemon *d, const char *number)
{
	struct client *c = daemon_connect_admin(d);
	struct client_reply r;
	bool found;

	daemon_call(c, "onward.Person.Show",
	            json_pack("{s:s, s:s}", "as", "admin", "prison_number", number), &r);
	found = r.error == NULL;
	client_reply_release(&r);
	client_free(c);
	return found;
}

void
gate_remove(struct test_daemon *d)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s.policy' '%s.cert.json'", d->dir, d->dir);
	CHECK(system(cmd) == 0);
	daemon_remove(d);
}

void
gate_ctl(struct test_daemon *d, int want, struct run_result *ret, ...)
{
	const char *argv[40];
	char line[600] = "";
	va_list ap;
	int n = 0;

	argv[n++] = run_bin("onwardctl");
	argv[n++] = "--as";
	argv[n++] = "admin";
	va_start(ap, ret);
	while (n < 39 && (argv[n] = va_arg(ap, const char *)) != NULL) {
		strncat(line, " ", sizeof(line) - strlen(line) - 1);
		strncat(line, argv[n], sizeof(line) - strlen(line) - 1);
		n++;
	}
	va_end(ap);
	argv[n] = NULL;
	daemon_onwardctl_argv(d, argv, ret);
	if (ret->status != want)
		check_failed(__FILE__, __LINE__, "onwardctl%s exited %d, expected %d\n%s%s", line,
		             ret->status, want, ret->out, ret->err);
}

const char *
gate_cert_file(struct test_daemon *d, char *path, size_t size)
{
	struct run_result r;
	FILE *f;

	snprintf(path, size, "%s.cert.json", d->dir);
	gate_ctl(d, 0, &r, "identity", "cert", NULL);
	f = fopen(path, "w");
	CHECK(f != NULL);
	fputs(r.out, f);
	CHECK(fclose(f) == 0);
	run_result_release(&r);
	return path;
}

void
gate_trust(struct test_daemon *d, const char *cert_path)
{
	struct run_result r;

	gate_ctl(d, 0, &r, "trust", "add", cert_path, NULL);
	CHECK_CONTAINS(r.out, "now trusted:");
	run_result_release(&r);
}

void
gate_login(struct test_daemon *d, const char *number, const char *pin, const char *want_error,
           const char *message_part)
{
	struct client *cl = daemon_connect_control(d);
	struct client_reply r;

	daemon_call(cl, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", number, "pin", pin), &r);
	if (want_error) {
		CHECK_STR(r.error, want_error);
		CHECK_CONTAINS(client_reply_message(&r), message_part);
	} else if (r.error) {
		check_failed(__FILE__, __LINE__, "login %s failed: %s", number,
		             client_reply_message(&r));
	}
	client_reply_release(&r);
	client_free(cl);
}

static struct bundle_identity *
identity_of(struct test_daemon *d)
{
	struct bundle_identity *id = NULL;
	struct bundle_error err = {0};
	char dir[200];

	snprintf(dir, sizeof(dir), "%s/identity", d->dir);
	if (bundle_identity_load(dir, &id, &err) < 0)
		check_failed(__FILE__, __LINE__, "%s: %s", dir, err.message);
	return id;
}

static void *
read_all(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 20, len = 0, n;
	char *buf = malloc(cap);

	CHECK(f != NULL && buf != NULL);
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			CHECK(buf != NULL);
		}
	}
	fclose(f);
	*ret_len = len;
	return buf;
}

json_t *
gate_open(struct test_daemon *receiver, const char *sender_cert, const char *bundle_path)
{
	struct bundle_identity *me = identity_of(receiver);
	struct bundle_cert *sender = NULL;
	struct bundle_error err = {0};
	const struct bundle_cert *trusted[1];
	void *payload = NULL;
	size_t len = 0, payload_len = 0;
	void *data = read_all(bundle_path, &len);
	json_error_t jerr;
	json_t *doc;

	if (bundle_cert_load(sender_cert, &sender, &err) < 0)
		check_failed(__FILE__, __LINE__, "%s: %s", sender_cert, err.message);
	trusted[0] = sender;
	if (bundle_open(me, trusted, 1, data, len, daemon_now(receiver), &payload, &payload_len,
	                NULL, &err) < 0)
		check_failed(__FILE__, __LINE__, "%s: %s", bundle_path, err.message);
	doc = json_loadb(payload, payload_len, 0, &jerr);
	CHECK(doc != NULL);
	bundle_buffer_free(payload, payload_len);
	free(data);
	bundle_cert_free(sender);
	bundle_identity_free(me);
	return doc;
}

void
gate_seal_text(struct test_daemon *sender, const char *recipient_cert, const char *text, size_t len,
               const char *path)
{
	struct bundle_identity *me = identity_of(sender);
	struct bundle_cert *to = NULL;
	struct bundle_error err = {0};
	void *bundle = NULL;
	size_t bundle_len = 0;
	FILE *f;

	if (bundle_cert_load(recipient_cert, &to, &err) < 0)
		check_failed(__FILE__, __LINE__, "%s: %s", recipient_cert, err.message);
	if (bundle_seal(me, to, text, len, daemon_now(sender), &bundle, &bundle_len, NULL, &err) <
	    0)
		check_failed(__FILE__, __LINE__, "seal: %s", err.message);
	unlink(path);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	CHECK(fwrite(bundle, 1, bundle_len, f) == bundle_len);
	CHECK(fclose(f) == 0);
	free(bundle);
	bundle_cert_free(to);
	bundle_identity_free(me);
}

void
gate_seal(struct test_daemon *sender, const char *recipient_cert, json_t *payload, const char *path)
{
	char *text = json_dumps(payload, JSON_COMPACT);

	CHECK(text != NULL);
	gate_seal_text(sender, recipient_cert, text, strlen(text), path);
	free(text);
}

void
gate_import_watched(struct test_daemon *d, const char *path, struct client_reply *ret,
                    double *ret_elapsed_ms, double *ret_other_max_ms)
{
	struct client *importer = daemon_connect_admin(d), *other = daemon_connect_admin(d);
	double start = gate_now_ms(), worst = 0;
	int r;

	CHECK_INT(client_send(importer, "onward.Person.Import",
	                      daemon_sign_params(importer, json_pack("{s:s, s:s}", "as", "admin",
	                                                             "path", path))),
	          0);
	while (client_flush(importer) == -EAGAIN)
		usleep(100);
	for (;;) {
		struct client_reply info;
		double t = gate_now_ms();

		daemon_call(other, "onward.Service.GetInfo", NULL, &info);
		CHECK(info.error == NULL);
		client_reply_release(&info);
		t = gate_now_ms() - t;
		if (t > worst)
			worst = t;
		r = client_receive(importer, ret);
		if (r != -EAGAIN)
			break;
		usleep(2000);
	}
	CHECK_INT(r, 0);
	*ret_elapsed_ms = gate_now_ms() - start;
	*ret_other_max_ms = worst;
	client_free(other);
	client_free(importer);
}

long
gate_peak_kib(const struct test_daemon *d)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)d->pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kib = atol(line + 6);
	fclose(f);
	return kib;
}

double
gate_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

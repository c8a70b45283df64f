/*
 * The learning tests' shared set-up (see learn.h).
 */
#include "learn.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CALL_MS 60000

void
learn_certify(struct learn *l, int from_days, int to_days)
{
	struct pack_error err = {0};
	struct pack_cert *cert;

	CHECK_INT(pack_cert_issue(l->fx.root, l->fx.provider, "example-college", "Example College",
	                          l->now + (int64_t)from_days * LEARN_DAY,
	                          l->now + (int64_t)to_days * LEARN_DAY, &cert, &err),
	          0);
	pack_cert_free(l->fx.cert);
	l->fx.cert = cert;
}

void
learn_setup(struct learn *l, bool trust_root)
{
	struct pack_error err = {0};
	char cmd[400];

	memset(l, 0, sizeof(*l));
	fx_init(&l->fx);
	daemon_make(&l->d, "{\"establishment\": \"MDI\", \"scrypt_log_n\": 10}");
	/* Certificates are valid around the daemon's now, which is not the machine's. */
	l->now = daemon_now(&l->d);
	l->fx.at = l->now;
	learn_certify(l, -30, 365);
	snprintf(l->root_pub, sizeof(l->root_pub), "%s/root.pub", l->fx.dir);
	CHECK_INT(pack_key_save_public(l->fx.root, l->root_pub, &err), 0);
	daemon_start(&l->d);
	daemon_seed(&l->d);
	daemon_add_person(&l->d, "A1234BC", l->pin);
	json_decref(daemon_admin_ok(&l->d, "onward.Staff.Add",
	                            json_pack("{s:s, s:s, s:s, s:s}", "id", "r.evans", "name",
	                                      "Rhian Evans", "role", "education", "establishment",
	                                      "MDI")));
	json_decref(
	        daemon_admin_ok(&l->d, "onward.Staff.Add",
	                        json_pack("{s:s, s:s, s:s, s:s}", "id", "j.smith", "name",
	                                  "Jo Smith", "role", "officer", "establishment", "MDI")));
	snprintf(l->app_path, sizeof(l->app_path), "%s.learning", l->d.dir);
	snprintf(cmd, sizeof(cmd), "cp /bin/true '%s'", l->app_path);
	CHECK(system(cmd) == 0);
	json_decref(daemon_admin_ok(&l->d, "onward.App.Register",
	                            json_pack("{s:s, s:s, s:s}", "name", "learning", "path",
	                                      l->app_path, "title", "Learning")));
	json_decref(daemon_admin_ok(&l->d, "onward.App.Register",
	                            json_pack("{s:s, s:s, s:s}", "name", "stub", "path",
	                                      l->app_path, "title", "Stub")));
	if (trust_root)
		json_decref(daemon_admin_ok(&l->d, "onward.Course.TrustRoot",
		                            json_pack("{s:s}", "path", l->root_pub)));
}

void
learn_teardown(struct learn *l)
{
	unlink(l->app_path);
	daemon_remove(&l->d);
	fx_fini(&l->fx);
}

const char *
learn_write(struct learn *l, const char *name, const void *data, size_t len)
{
	static char path[600];

	fx_write(l->fx.dir, name, data, len);
	snprintf(path, sizeof(path), "%s/%s", l->fx.dir, name);
	return path;
}

const char *
learn_pack_file(struct learn *l, const char *name, const char *course)
{
	struct fx_opts opts = {.course = course};
	const char *path;
	void *data;
	size_t len;

	fx_pack(&l->fx, l->fx.files, l->fx.file_count, &opts, &data, &len);
	path = learn_write(l, name, data, len);
	free(data);
	return path;
}

void
learn_install(struct learn *l, const char *as, const char *path, struct client_reply *ret)
{
	struct client *c = daemon_connect_admin(&l->d);
	int r = client_call(c, "onward.Course.Install",
	                    daemon_sign_params(c, json_pack("{s:s, s:s}", "as", as, "path", path)),
	                    CALL_MS, ret);

	if (r < 0)
		check_failed(__FILE__, __LINE__, "Course.Install: no reply: %s", strerror(-r));
	client_free(c);
}

void
learn_install_ok(struct learn *l, const char *path)
{
	struct client_reply r;

	learn_install(l, "admin", path, &r);
	if (r.error)
		check_failed(__FILE__, __LINE__, "install %s: %s: %s", path, r.error,
		             client_reply_message(&r));
	client_reply_release(&r);
}

size_t
learn_course_files(struct learn *l)
{
	char dir[300];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/courses", l->d.dir);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

struct client *
learn_channel(struct learn *l, const char *prison_number, const char *pin, const char *app,
              struct client **ret_control)
{
	struct client *c = daemon_connect_control(&l->d), *channel;
	struct client_reply r;

	daemon_call(c, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", prison_number, "pin", pin), &r);
	if (r.error)
		check_failed(__FILE__, __LINE__, "login %s: %s", prison_number,
		             client_reply_message(&r));
	client_reply_release(&r);
	daemon_call(c, "onward.App.Open", json_pack("{s:s}", "app", app), &r);
	if (r.error || r.fd < 0)
		check_failed(__FILE__, __LINE__, "App.Open %s: %s", app, client_reply_message(&r));
	CHECK_INT(client_adopt(r.fd, &channel), 0);
	r.fd = -1;
	client_reply_release(&r);
	*ret_control = c;
	return channel;
}

json_t *
learn_ok_at(const char *file, int line, struct client *c, const char *method, json_t *params)
{
	struct client_reply r;
	json_t *out;
	int rc = client_call(c, method, daemon_sign_params(c, params), CALL_MS, &r);

	if (rc < 0)
		check_failed(file, line, "%s: no reply: %s", method, strerror(-rc));
	if (r.error)
		check_failed(file, line, "%s failed: %s: %s", method, r.error,
		             client_reply_message(&r));
	out = json_incref(r.parameters);
	client_reply_release(&r);
	return out;
}

void
learn_fails_at(const char *file, int line, struct client *c, const char *method, json_t *params,
               const char *error, const char *message)
{
	struct client_reply r;
	int rc = client_call(c, method, daemon_sign_params(c, params), CALL_MS, &r);

	if (rc < 0)
		check_failed(file, line, "%s: no reply: %s", method, strerror(-rc));
	if (!r.error || strcmp(r.error, error) != 0 ||
	    strcmp(client_reply_message(&r), message) != 0)
		check_failed(file, line, "%s: got %s \"%s\", expected %s \"%s\"", method,
		             r.error ? r.error : "success", client_reply_message(&r), error,
		             message);
	client_reply_release(&r);
}

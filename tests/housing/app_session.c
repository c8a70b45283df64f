/*
 * Helpers for tests that act as a person in an app (see app_session.h).
 */
#include "app_session.h"

#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *
session_date(const struct test_daemon *d, int days, char *buf)
{
	struct tm tm;

	daemon_london(d, (int64_t)days * 86400, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
	return buf;
}

void
session_add_person(struct test_daemon *d, const char *number, const char *given,
                   const char *establishment, const char *status, int release_days, char *pin)
{
	char date[11];
	json_t *params =
	        json_pack("{s:s, s:s, s:s, s:s, s:s}", "prison_number", number, "given_name", given,
	                  "family_name", "Jones", "establishment", establishment, "status", status);
	json_t *r;

	if (release_days != INT32_MIN)
		json_object_set_new(params, "release_date",
		                    json_string(session_date(d, release_days, date)));
	r = daemon_admin_ok(d, "onward.Person.Add", params);
	daemon_choose_pin(d, number, json_string_value(json_object_get(r, "one_time_pin")), pin);
	json_decref(r);
}

void
session_add_staff(struct test_daemon *d, const char *id, const char *name, const char *role,
                  const char *establishment)
{
	json_t *params = json_pack("{s:s, s:s, s:s}", "id", id, "name", name, "role", role);

	if (establishment)
		json_object_set_new(params, "establishment", json_string(establishment));
	json_decref(daemon_admin_ok(d, "onward.Staff.Add", params));
}

void
session_register_app(struct test_daemon *d, const char *name)
{
	char program[300], cmd[700];

	snprintf(program, sizeof(program), "%s.%s", d->dir, name);
	snprintf(cmd, sizeof(cmd), "cp /bin/true '%s'", program);
	CHECK(system(cmd) == 0);
	json_decref(daemon_admin_ok(
	        d, "onward.App.Register",
	        json_pack("{s:s, s:s, s:s}", "name", name, "path", program, "title", name)));
}

struct client *
session_login(struct test_daemon *d, const char *number, const char *pin)
{
	struct client *c = daemon_connect_control(d);
	struct client_reply r;

	daemon_call(c, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", number, "pin", pin), &r);
	if (r.error)
		check_failed(__FILE__, __LINE__, "login %s: %s: %s", number, r.error,
		             client_reply_message(&r));
	client_reply_release(&r);
	return c;
}

struct client *
session_open_app(struct client *control, const char *app)
{
	struct client *channel;
	struct client_reply r;

	daemon_call(control, "onward.App.Open", json_pack("{s:s}", "app", app), &r);
	if (r.error)
		check_failed(__FILE__, __LINE__, "open %s: %s: %s", app, r.error,
		             client_reply_message(&r));
	CHECK(r.fd >= 0);
	CHECK_INT(client_adopt(r.fd, &channel), 0);
	r.fd = -1;
	client_reply_release(&r);
	return channel;
}

json_t *
session_ok(struct client *c, const char *method, json_t *params)
{
	struct client_reply r;
	json_t *p;

	daemon_call(c, method, params, &r);
	if (r.error)
		check_failed(__FILE__, __LINE__, "%s: %s: %s", method, r.error,
		             client_reply_message(&r));
	p = json_incref(r.parameters);
	client_reply_release(&r);
	return p;
}

void
session_fails(struct client *c, const char *method, json_t *params, const char *error,
              const char *message_part, const char *parameter)
{
	struct client_reply r;

	daemon_call(c, method, params, &r);
	if (!r.error || strcmp(r.error, error) != 0 ||
	    !strstr(client_reply_message(&r), message_part))
		check_failed(__FILE__, __LINE__, "%s: got %s \"%s\", expected %s \"%s\"", method,
		             r.error ? r.error : "success", client_reply_message(&r), error,
		             message_part);
	if (parameter)
		CHECK_STR(json_string_value(json_object_get(r.parameters, "parameter")), parameter);
	client_reply_release(&r);
}

char *
session_ctl(struct test_daemon *d, int want, const char *as, ...)
{
	const char *argv[40];
	struct run_result res;
	va_list ap;
	char *out;
	int n = 0;

	argv[n++] = run_bin("onwardctl");
	argv[n++] = "--as";
	argv[n++] = as;
	va_start(ap, as);
	while (n < 39 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	daemon_onwardctl_argv(d, argv, &res);
	if (res.status != want) {
		fprintf(stderr, "onwardctl");
		for (int i = 1; i < n; i++)
			fprintf(stderr, " '%s'", argv[i]);
		check_failed(__FILE__, __LINE__, "exited %d, expected %d\nout: %s\nerr: %s",
		             res.status, want, res.out, res.err);
	}
	out = malloc(strlen(res.out) + strlen(res.err) + 1);
	CHECK(out != NULL);
	strcpy(out, res.out);
	strcat(out, res.err);
	run_result_release(&res);
	return out;
}

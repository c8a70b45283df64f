/*
 * The messaging tests' shared set-up and helpers (see fixture.h): everything through the
 * real daemon's sockets, as the Messages app and onwardctl would do it.
 */
#include "fixture.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *
admin_ok(struct fixture *fx, const char *method, json_t *params)
{
	return daemon_admin_ok(&fx->d, method, params);
}

static void
add_staff(struct fixture *fx, const char *id, const char *name, const char *role, const char *est)
{
	json_decref(admin_ok(fx, "onward.Staff.Add",
	                     json_pack("{s:s, s:s, s:s, s:s}", "id", id, "name", name, "role", role,
	                               "establishment", est)));
}

void
fixture_connect(struct fixture *fx)
{
	struct client_reply r;

	fx->control = daemon_connect_control(&fx->d);
	daemon_call(fx->control, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", "A1234BC", "pin", fx->pin), &r);
	if (r.error)
		check_failed(__FILE__, __LINE__, "login: %s", client_reply_message(&r));
	client_reply_release(&r);
	daemon_call(fx->control, "onward.App.Open", json_pack("{s:s}", "app", "messages"), &r);
	if (r.error)
		check_failed(__FILE__, __LINE__, "App.Open: %s", client_reply_message(&r));
	CHECK(r.fd >= 0);
	CHECK_INT(client_adopt(r.fd, &fx->channel), 0);
	r.fd = -1;
	client_reply_release(&r);
}

void
fixture_start(struct fixture *fx)
{
	fixture_start_at(fx, NULL);
}

void
fixture_start_at(struct fixture *fx, const char *clock)
{
	char cmd[600];
	json_t *p;

	memset(fx, 0, sizeof(*fx));
	daemon_make(&fx->d, NULL);
	if (clock)
		daemon_clock_set(&fx->d, clock);
	daemon_start(&fx->d);
	daemon_seed(&fx->d);
	json_decref(admin_ok(fx, "onward.Establishment.Add",
	                     json_pack("{s:s, s:s}", "code", "BXI", "name", "HMP Brixton")));
	add_staff(fx, "k.patel", "Kiran Patel", "key_worker", "MDI");
	add_staff(fx, "o.reed", "Olu Reed", "officer", "MDI");
	add_staff(fx, "b.lane", "Bea Lane", "officer", "BXI");
	daemon_add_person(&fx->d, "A1234BC", fx->pin);
	p = admin_ok(fx, "onward.Person.Set",
	             json_pack("{s:s, s:s}", "prison_number", "A1234BC", "worker", "k.patel"));
	json_decref(p);
	snprintf(fx->program, sizeof(fx->program), "%s.messages", fx->d.dir);
	snprintf(cmd, sizeof(cmd), "cp /bin/true '%s'", fx->program);
	CHECK(system(cmd) == 0);
	json_decref(admin_ok(fx, "onward.App.Register",
	                     json_pack("{s:s, s:s, s:s}", "name", "messages", "path", fx->program,
	                               "title", "Messages")));
	fixture_connect(fx);
}

void
fixture_disconnect(struct fixture *fx)
{
	client_free(fx->channel);
	client_free(fx->control);
	fx->channel = fx->control = NULL;
}

void
fixture_stop(struct fixture *fx)
{
	fixture_disconnect(fx);
	unlink(fx->program);
	daemon_remove(&fx->d);
}

int64_t
fixture_contact(struct fixture *fx, const char *name, bool approve, bool minor, bool victim,
                bool barred)
{
	json_t *r = admin_ok(fx, "onward.Contact.Add",
	                     json_pack("{s:s, s:s, s:s, s:b, s:b, s:b}", "prison_number", "A1234BC",
	                               "name", name, "relation", "friend", "minor", minor, "victim",
	                               victim, "barred", barred));
	int64_t id = json_integer_value(json_object_get(json_object_get(r, "contact"), "id"));

	json_decref(r);
	CHECK(id > 0);
	if (approve)
		json_decref(admin_ok(fx, "onward.Contact.Approve", json_pack("{s:I}", "id", id)));
	return id;
}

void
fixture_call(struct fixture *fx, const char *method, json_t *params, struct client_reply *r)
{
	daemon_call(fx->channel, method, params, r);
}

void
fixture_send(struct fixture *fx, const char *to, const char *text, struct client_reply *r)
{
	fixture_call(fx, "onward.Message.Send", json_pack("{s:s, s:s}", "to", to, "text", text), r);
}

int64_t
fixture_send_ok(struct fixture *fx, const char *to, const char *text, const char *status)
{
	struct client_reply r;
	json_t *m;
	int64_t id;

	fixture_send(fx, to, text, &r);
	if (r.error)
		check_failed(__FILE__, __LINE__, "send to %s: %s: %s", to, r.error,
		             client_reply_message(&r));
	m = json_object_get(r.parameters, "message");
	CHECK_STR(json_string_value(json_object_get(m, "status")), status);
	CHECK_STR(json_string_value(json_object_get(m, "text")), text);
	CHECK_STR(json_string_value(json_object_get(m, "from")), "you");
	id = json_integer_value(json_object_get(m, "id"));
	CHECK(id > 0);
	client_reply_release(&r);
	return id;
}

int64_t
fixture_send_refused(struct fixture *fx, const char *to, const char *text, const char *reason)
{
	struct client_reply r;
	int64_t id;

	fixture_send(fx, to, text, &r);
	CHECK_STR(r.error, "onward.PermissionDenied");
	CHECK_STR(client_reply_message(&r), reason);
	id = json_integer_value(json_object_get(r.parameters, "refusal"));
	CHECK(id > 0);
	client_reply_release(&r);
	return id;
}

json_t *
fixture_thread(struct fixture *fx, const char *with)
{
	struct client_reply r;
	json_t *params;

	fixture_call(fx, "onward.Message.Thread", json_pack("{s:s}", "with", with), &r);
	if (r.error)
		check_failed(__FILE__, __LINE__, "thread %s: %s: %s", with, r.error,
		             client_reply_message(&r));
	params = json_incref(r.parameters);
	client_reply_release(&r);
	return params;
}

void
fixture_admin(struct fixture *fx, const char *as, const char *method, json_t *params,
              struct client_reply *r)
{
	struct client *c = daemon_connect_admin(&fx->d);

	json_object_set_new(params, "as", json_string(as));
	daemon_call(c, method, params, r);
	client_free(c);
}

void
fixture_ctl(struct fixture *fx, struct run_result *r, const char *as, ...)
{
	const char *argv[40];
	va_list ap;
	int n = 0;

	argv[n++] = run_bin("onwardctl");
	argv[n++] = "--as";
	argv[n++] = as;
	va_start(ap, as);
	while (n < 39 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	daemon_onwardctl_argv(&fx->d, argv, r);
}

json_t *
fixture_ctl_json(struct fixture *fx, int want, const char *as, ...)
{
	const char *argv[40];
	struct run_result r;
	json_t *out;
	va_list ap;
	int n = 0;

	argv[n++] = run_bin("onwardctl");
	argv[n++] = "--as";
	argv[n++] = as;
	argv[n++] = "--json";
	va_start(ap, as);
	while (n < 39 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	daemon_onwardctl_argv(&fx->d, argv, &r);
	if (r.status != want)
		check_failed(__FILE__, __LINE__, "onwardctl %s %s: exit %d, expected %d: %s%s",
		             argv[4], argv[5] ? argv[5] : "", r.status, want, r.out, r.err);
	out = json_loads(r.out, 0, NULL);
	if (!out)
		check_failed(__FILE__, __LINE__, "onwardctl %s %s printed no JSON: %s", argv[4],
		             argv[5] ? argv[5] : "", r.out);
	run_result_release(&r);
	return out;
}

const char *
fixture_error_message(json_t *out)
{
	return json_string_value(json_object_get(json_object_get(out, "parameters"), "message"));
}

void
fixture_regime(struct fixture *fx, const char *regime)
{
	json_decref(admin_ok(fx, "onward.Establishment.Regime",
	                     json_pack("{s:s, s:s}", "code", "MDI", "regime", regime)));
}

const char *
fixture_with(int64_t contact_id, char *buf, size_t size)
{
	snprintf(buf, size, "contact:%lld", (long long)contact_id);
	return buf;
}

json_t *
fixture_audit(struct fixture *fx, const char *action)
{
	json_t *found = json_array(), *row;
	int64_t after = 0;

	for (;;) {
		json_t *page = admin_ok(fx, "onward.Audit.Show",
		                        json_pack("{s:I, s:i}", "after", after, "limit", 1000));
		json_t *rows = json_object_get(page, "rows");
		size_t i;

		json_array_foreach(rows, i, row)
		{
			after = json_integer_value(json_object_get(row, "seq"));
			if (strcmp(json_string_value(json_object_get(row, "action")), action) == 0)
				json_array_append(found, row);
		}
		i = json_array_size(rows);
		json_decref(page);
		if (i < 1000)
			break;
	}
	return found;
}

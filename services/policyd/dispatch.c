/*
 * The dispatcher: from a whole message to a handler. It decodes the call, finds the method
 * (a control-socket peer cannot even see admin methods), resolves the acting staff member
 * for admin calls, checks parameters strictly, checks the session and the staff member's
 * right to act, and only then runs the handler. Replies and their audit rows are made here
 * too (call_reply, call_fail), so no handler can forget either.
 */
#include "call.h"

#include "authz.h"
#include "clock.h"
#include "log.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct method *const *method_index;
static size_t method_count;

static int
method_compare(const void *a, const void *b)
{
	const struct method *const *ma = a, *const *mb = b;

	return strcmp((*ma)->name, (*mb)->name);
}

/* Builds the sorted index of every method once; lookups are then a binary search. */
static void
method_index_build(void)
{
	static const struct method *const tables[] = {
	        service_methods,     session_methods, staff_methods,    person_methods,
	        contact_methods,     app_methods,     audit_methods,    shell_methods,
	        policy_methods,      course_methods,  message_methods,  housing_methods,
	        appointment_methods, move_methods,    settings_methods,
#ifdef ONWARD_TEST_HOOKS
	        test_methods,
#endif
	};
	const struct method **index;
	size_t n = 0, k = 0;

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct method *m = tables[t]; m->name; m++)
			n++;
	index = malloc(n * sizeof(*index));
	if (!index)
		log_fatal("out of memory building the method index");
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct method *m = tables[t]; m->name; m++)
			index[k++] = m;
	qsort(index, n, sizeof(*index), method_compare);
	for (size_t i = 1; i < n; i++)
		if (strcmp(index[i - 1]->name, index[i]->name) == 0)
			log_fatal("method %s is defined twice", index[i]->name);
	method_index = index;
	method_count = n;
}

static const struct method *
method_find(const char *name)
{
	struct method key = {.name = name};
	const struct method *keyp = &key;
	const struct method *const *found;

	if (!method_index)
		method_index_build();
	found = bsearch(&keyp, method_index, method_count, sizeof(*method_index), method_compare);
	return found ? *found : NULL;
}

static void
send_error(struct peer *p, const char *error, const char *message)
{
	size_t n;
	char *reply = proto_reply_error(error, message, NULL, &n);

	peer_send(p, reply, n);
}

static void
call_free(struct call *c)
{
	struct peer *p = c->peer;
	bool was_paused = p->paused;

	proto_request_release(&c->req);
	free(c);
	if (was_paused)
		peer_resume(p);
	peer_unref(p);
}

int
call_end_transaction(struct call *c, int r)
{
	if (r == 0)
		return store_commit(c->server->store);
	store_rollback(c->server->store);
	return r;
}

void
call_pause(struct call *c)
{
	c->peer->paused = true;
	uv_read_stop((uv_stream_t *)&c->peer->pipe);
}

void
call_set_subject(struct call *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->subject, sizeof(c->subject), fmt, ap);
	va_end(ap);
}

int
call_audit(struct call *c, const char *outcome, json_t *detail)
{
	char *text = NULL;
	int r;

	if (c->decision.policies[0]) {
		if (!detail)
			detail = json_object();
		json_object_set_new(detail, "policies", json_string(c->decision.policies));
	}
	if (detail) {
		text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(detail);
		if (!text)
			return -ENOMEM;
	}
	r = store_audit_append(c->server->store, clock_now(), c->actor, c->subject,
	                       c->method->action, outcome, text, NULL);
	free(text);
	if (r < 0)
		log_error("audit: cannot append %s: %s", c->method->action,
		          store_last_error(c->server->store));
	return r;
}

void
call_reply(struct call *c, json_t *params)
{
	size_t n;
	char *reply;

	if (c->method->audit == AUDIT_ON_REPLY && call_audit(c, "ok", NULL) < 0) {
		json_decref(params);
		call_fail(c, PROTO_ERR_INTERNAL, "The record of this request could not be saved.",
		          NULL);
		return;
	}
	reply = proto_reply_ok(params, &n);
	if (reply && n - 1 > PROTO_MAX_REPLY) {
		free(reply);
		reply = proto_reply_error(PROTO_ERR_TOO_LARGE, "The answer is too large to send.",
		                          NULL, &n);
	}
	c->server->requests++;
	peer_send(c->peer, reply, n);
	call_free(c);
}

void
call_fail(struct call *c, const char *error, const char *message, json_t *extra)
{
	size_t n;
	char *reply;

	if (c->method->audit != AUDIT_NONE) {
		const char *outcome =
		        strcmp(error, PROTO_ERR_PERMISSION_DENIED) == 0 ? "refused" : "failed";

		(void)call_audit(c, outcome,
		                 json_pack("{s:s, s:s}", "error", error, "message", message));
	}
	reply = proto_reply_error(error, message, extra, &n);
	c->server->requests++;
	peer_send(c->peer, reply, n);
	call_free(c);
}

void
call_fail_store(struct call *c, int r, const char *what)
{
	char message[200];

	switch (r) {
	case -ENOENT:
		snprintf(message, sizeof(message), "No such %s.", what);
		call_fail(c, PROTO_ERR_NOT_FOUND, message, NULL);
		return;
	case -EEXIST:
		snprintf(message, sizeof(message), "That %s already exists.", what);
		call_fail(c, PROTO_ERR_ALREADY_EXISTS, message, NULL);
		return;
	case -EBUSY:
		call_fail(c, PROTO_ERR_BUSY, "The service is busy. Try again.", NULL);
		return;
	default:
		log_error("store: %s: %s (%s)", c->method->name, strerror(-r),
		          store_last_error(c->server->store));
		call_fail(c, PROTO_ERR_INTERNAL,
		          "Something went wrong saving this. Nothing was changed.", NULL);
	}
}

void
call_done(struct call *c)
{
	c->server->requests++;
	call_free(c);
}

void
call_fail_param(struct call *c, const char *name, const char *message)
{
	call_fail(c, PROTO_ERR_INVALID_PARAMETER, message, json_pack("{s:s}", "parameter", name));
}

bool
call_find_person(struct call *c, struct store_person *ret)
{
	const char *number = params_string(c->params, "prison_number", "");
	int r;

	call_set_subject(c, "person:%.16s", number);
	if (c->have_person && strcmp(c->person.prison_number, number) == 0) {
		*ret = c->person;
		return true;
	}
	if (!validate_prison_number(number)) {
		call_fail_param(c, "prison_number",
		                "A prison number is one letter, four numbers and two letters, "
		                "like A1234BC.");
		return false;
	}
	r = store_person_find(c->server->store, number, ret);
	if (r < 0) {
		call_fail_store(c, r, "person with that prison number");
		return false;
	}
	c->person = *ret;
	c->have_person = true;
	return true;
}

/* Admin calls: takes "as" out of the parameters and finds who is acting. */
static int
resolve_staff(struct call *c, char *err, size_t size)
{
	json_t *as = json_object_get(c->params, "as");
	const char *id;
	int64_t count = 0;
	int r;

	if (!json_is_string(as) || !validate_staff_id(json_string_value(as))) {
		snprintf(c->actor, sizeof(c->actor), "staff:?");
		snprintf(err, size, "Say who you are with a staff id (--as).");
		return -EINVAL;
	}
	id = json_string_value(as);
	snprintf(c->actor, sizeof(c->actor), "staff:%s", id);
	r = store_staff_get(c->server->store, id, &c->staff);
	if (r == -ENOENT && c->method->bootstrap &&
	    store_staff_count(c->server->store, &count) == 0 && count == 0) {
		/* The very first staff member adds themselves: the handler checks the rest. */
		snprintf(c->staff.id, sizeof(c->staff.id), "%s", id);
		snprintf(c->staff.role, sizeof(c->staff.role), "administrator");
		c->staff.active = true;
		c->bootstrap = true;
		r = 0;
	}
	if (r == -ENOENT) {
		snprintf(err, size, "Staff id '%s' is not known here.", id);
		return -EPERM;
	}
	if (r < 0) {
		snprintf(err, size, "Staff records cannot be read now.");
		return r;
	}
	if (!c->staff.active) {
		snprintf(err, size, "Staff id '%s' is no longer active.", id);
		return -EPERM;
	}
	json_object_del(c->params, "as");
	return 0;
}

/* Runs the checks every call passes before its handler; false when it has been answered. */
static bool
call_admit(struct call *c)
{
	struct peer *p = c->peer;
	struct param_error perr;
	char message[200];
	int r;

	if (p->kind == PEER_ADMIN && c->method->anonymous) {
		/* Tools may always say who they are; here it does not matter. */
		json_object_del(c->params, "as");
		snprintf(c->actor, sizeof(c->actor), "admin:uid%u", (unsigned)p->uid);
	} else if (p->kind == PEER_ADMIN) {
		r = resolve_staff(c, message, sizeof(message));
		if (r < 0) {
			call_fail(c,
			          r == -EPERM || r == -EINVAL ? PROTO_ERR_PERMISSION_DENIED
			                                      : PROTO_ERR_INTERNAL,
			          message, NULL);
			return false;
		}
	} else if (p->person_id) {
		snprintf(c->actor, sizeof(c->actor), "person:%s", p->prison_number);
	} else {
		snprintf(c->actor, sizeof(c->actor), "device:pid%d", (int)p->pid);
	}
	if (params_check(c->params, c->method->params, &perr) < 0) {
		json_t *extra = json_pack("{s:s}", "parameter", perr.name);

		call_fail(c, PROTO_ERR_INVALID_PARAMETER, perr.message, extra);
		return false;
	}
	if (c->method->needs_session && !p->person_id) {
		call_fail(c, PROTO_ERR_NOT_LOGGED_IN, "Log in first.", NULL);
		return false;
	}
	if (p->kind == PEER_ADMIN && !c->method->anonymous)
		return authz_admit_staff(c);
	return true;
}

void
dispatch_message(struct peer *p, const char *msg, size_t len)
{
	struct proto_request req;
	const struct method *m;
	struct call *c;
	char reason[200];

	if (proto_request_parse(msg, len, &req, reason, sizeof(reason)) < 0) {
		send_error(p, PROTO_ERR_INVALID_REQUEST, reason);
		return;
	}
	m = method_find(req.method);
	if (!m || !(m->sockets & (1u << p->kind))) {
		snprintf(reason, sizeof(reason), "There is no method called '%s' here.",
		         req.method);
		send_error(p, PROTO_ERR_METHOD_NOT_FOUND, reason);
		proto_request_release(&req);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		send_error(p, PROTO_ERR_INTERNAL, "The service is out of memory.");
		proto_request_release(&req);
		return;
	}
	c->server = p->server;
	c->peer = p;
	peer_ref(p);
	c->method = m;
	c->req = req;
	c->params = req.parameters;
	if (call_admit(c))
		m->handler(c);
}

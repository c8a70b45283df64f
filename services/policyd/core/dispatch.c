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

static int
method_compare(const void *a, const void *b)
{
	const struct method *const *ma = a, *const *mb = b;

	return strcmp((*ma)->name, (*mb)->name);
}

/* A table mistake (a name twice, a channel method open to no app) stops the start. */
static int
method_check(const struct method *m, const struct method *prev, char *err, size_t size)
{
	if (prev && strcmp(prev->name, m->name) == 0) {
		snprintf(err, size, "method %s is defined twice", m->name);
		return -EEXIST;
	}
	if ((m->sockets & SOCKET_CHANNEL) && (!m->apps || !m->apps[0])) {
		snprintf(err, size, "method %s is callable on app channels but names no apps",
		         m->name);
		return -EINVAL;
	}
	if (prev && prev->group && m->group && strcmp(prev->action, m->action) == 0 &&
	    strcmp(prev->group, m->group) != 0) {
		snprintf(err, size, "action %s is in two action groups", m->action);
		return -EINVAL;
	}
	return 0;
}

int
dispatch_start(struct server *srv, char *err, size_t size)
{
	const struct method **index;
	size_t n = 0, k = 0;

	for (size_t a = 0; area_list[a]; a++)
		for (size_t t = 0; area_list[a]->methods && area_list[a]->methods[t]; t++)
			for (const struct method *m = area_list[a]->methods[t]; m->name; m++)
				n++;
	index = calloc(n ? n : 1, sizeof(*index));
	if (!index) {
		snprintf(err, size, "out of memory building the method index");
		return -ENOMEM;
	}
	for (size_t a = 0; area_list[a]; a++)
		for (size_t t = 0; area_list[a]->methods && area_list[a]->methods[t]; t++)
			for (const struct method *m = area_list[a]->methods[t]; m->name; m++)
				index[k++] = m;
	qsort(index, n, sizeof(*index), method_compare);
	for (size_t i = 0; i < n; i++) {
		int r = method_check(index[i], i ? index[i - 1] : NULL, err, size);

		if (r < 0) {
			free(index);
			return r;
		}
	}
	srv->methods = index;
	srv->method_count = n;
	return 0;
}

void
dispatch_stop(struct server *srv)
{
	free(srv->methods);
	srv->methods = NULL;
	srv->method_count = 0;
}

static const struct method *
method_find(const struct server *srv, const char *name)
{
	struct method key = {.name = name};
	const struct method *keyp = &key;
	const struct method *const *found;

	found = bsearch(&keyp, srv->methods, srv->method_count, sizeof(*srv->methods),
	                method_compare);
	return found ? *found : NULL;
}

/* True when app is one of the ' '-separated names in apps ("*" is every app). */
static bool
app_listed(const char *apps, const char *app)
{
	size_t len = strlen(app);

	if (strcmp(apps, "*") == 0)
		return true;
	for (const char *w = apps; *w;) {
		size_t n = strcspn(w, " ");

		if (n == len && memcmp(w, app, len) == 0)
			return true;
		w += n;
		w += strspn(w, " ");
	}
	return false;
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

/*
 * Sends a reply, or, when it could not be made (out of memory), a fixed InternalError:
 * clients match replies to calls by order, so every call gets exactly one answer. When
 * even that cannot be allocated the connection is closed, which the client sees as the
 * end of every call in flight rather than as a wrong answer.
 */
static void
send_reply(struct call *c, char *reply, size_t n)
{
	static const char internal[] =
	        "{\"error\":\"" PROTO_ERR_INTERNAL "\",\"parameters\":{\"message\":"
	        "\"Something went wrong making the answer.\"}}";

	c->server->requests++;
	if (!reply) {
		n = sizeof(internal);
		reply = malloc(n);
		if (!reply) {
			log_error("%s: no memory for any reply; closing the connection",
			          c->method->name);
			peer_close(c->peer);
			return;
		}
		memcpy(reply, internal, n);
	}
	peer_send(c->peer, reply, n);
}

void
call_reply(struct call *c, json_t *params)
{
	size_t n;
	char *reply;

	/* A reply the handler could not build (json_pack failed) is not an empty success. */
	if (!params) {
		log_error("%s: the reply could not be made", c->method->name);
		call_fail(c, PROTO_ERR_INTERNAL, "Something went wrong making the answer.", NULL);
		return;
	}
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
	send_reply(c, reply, n);
	call_free(c);
}

void
call_fail(struct call *c, const char *error, const char *message, json_t *extra)
{
	size_t n;
	char *reply;

	/* A call refused because nobody is logged in decided nothing about anyone; auditing
	 * it would let any connection write audit rows as fast as it can send. */
	if (c->method->audit != AUDIT_NONE && strcmp(error, PROTO_ERR_NOT_LOGGED_IN) != 0) {
		const char *outcome =
		        strcmp(error, PROTO_ERR_PERMISSION_DENIED) == 0 ? "refused" : "failed";

		(void)call_audit(c, outcome,
		                 json_pack("{s:s, s:s}", "error", error, "message", message));
	}
	reply = proto_reply_error(error, message, extra, &n);
	send_reply(c, reply, n);
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
call_reply_list(struct call *c, int r, json_t *list, const char *key, const char *what)
{
	if (r < 0) {
		json_decref(list);
		call_fail_store(c, r, what);
		return;
	}
	call_reply(c, json_pack("{s:o}", key, list));
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

bool
call_session_person(struct call *c, struct store_person *ret)
{
	int r = store_person_get(c->server->store, c->peer->person_id, ret);
	char message[80];

	if (r < 0) {
		call_fail_store(c, r, "person");
		return false;
	}
	call_set_subject(c, "person:%s", ret->prison_number);
	/* Their sessions end when the record moves (moves.c); this is the guard behind it. */
	if (ret->moved_out[0]) {
		snprintf(message, sizeof(message), "Your record has moved to %s.", ret->moved_out);
		call_fail(c, PROTO_ERR_PERMISSION_DENIED, message, NULL);
		return false;
	}
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
		/* Choosing a first PIN opens the session (session/pin_change.c). */
		call_fail(c, PROTO_ERR_NOT_LOGGED_IN,
		          p->choosing_pin_id ? "Choose your new PIN first." : "Log in first.",
		          NULL);
		return false;
	}
	if (p->kind == PEER_CHANNEL && !app_listed(c->method->apps, p->app)) {
		call_fail(c, PROTO_ERR_PERMISSION_DENIED,
		          c->method->wrong_app ? c->method->wrong_app : "This app cannot do this.",
		          NULL);
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
	m = method_find(p->server, req.method);
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

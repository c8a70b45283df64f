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
#include "crypto.h"
#include "log.h"
#include "staff_session.h"
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
	if ((m->network || m->device) && (m->needs_session || (m->sockets & SOCKET_CHANNEL))) {
		/* A person's session lives on its connection: nothing of theirs is reachable
		 * from the network. */
		snprintf(err, size, "method %s is a person's and on the network", m->name);
		return -EINVAL;
	}
	if (m->device && !(m->sockets & SOCKET_GATEWAY)) {
		snprintf(err, size, "method %s needs a tablet but is not a gateway method",
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

	if (c->decision.policies[0] || c->proof || c->address[0]) {
		if (!detail)
			detail = json_object();
		if (c->decision.policies[0])
			json_object_set_new(detail, "policies", json_string(c->decision.policies));
		/* How the actor was proven, and from where (docs/estate.md). */
		if (c->proof)
			json_object_set_new(detail, "proof", json_string(c->proof));
		if (c->address[0])
			json_object_set_new(detail, "address", json_string(c->address));
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

	/* A call refused because nobody is logged in, or because its caller could not be
	 * proven, decided nothing about anyone; auditing it would let any connection write
	 * audit rows as fast as it can send. */
	if (c->method->audit != AUDIT_NONE && strcmp(error, PROTO_ERR_NOT_LOGGED_IN) != 0 &&
	    !c->unproven) {
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

/* Fails a call whose caller could not be proven, with the error the reason calls for. */
static void
fail_unproven(struct call *c, int r, const char *message)
{
	c->unproven = true;
	call_fail(c,
	          r == -EKEYEXPIRED ? PROTO_ERR_SESSION_EXPIRED
	          : r == -EPERM     ? PROTO_ERR_PERMISSION_DENIED
	          : r == -EACCES    ? PROTO_ERR_DEVICE_REVOKED
	          : r == -EINVAL    ? PROTO_ERR_NOT_LOGGED_IN
	                            : PROTO_ERR_INTERNAL,
	          message, NULL);
}

/*
 * Admin calls: a staff session named by "staff_session", or break-glass (the peer is root
 * or our own user: peer.c let no one else in). Either way the parameter is taken out.
 */
static int
resolve_admin_staff(struct call *c, char *err, size_t size)
{
	json_t *token = json_object_get(c->params, "staff_session");
	int r = 0;

	if (!token) {
		staff_break_glass(c);
		return 0;
	}
	if (!json_is_string(token)) {
		snprintf(err, size, "That is not a staff session. Sign in again.");
		return -EINVAL;
	}
	r = staff_session_resolve(c, json_string_value(token), err, size);
	json_object_del(c->params, "staff_session");
	return r;
}

/* A certificate's fingerprint: a SHA-256, as 64 lower-case hex digits. */
static bool
fingerprint_valid(const char *s)
{
	uint8_t digest[CRYPTO_SHA256_LEN];

	return crypto_hex_decode(s, digest, sizeof(digest)) == 0;
}

/*
 * Gateway calls: "via" says who the gateway proved the caller to be (docs/estate.md). It
 * is taken out of the parameters; the method says who must be proven.
 */
static int
resolve_gateway_caller(struct call *c, char *err, size_t size)
{
	json_t *via = json_object_get(c->params, "via");
	const char *address = json_string_value(json_object_get(via, "address"));
	json_t *session = json_object_get(via, "staff_session");
	json_t *device = json_object_get(via, "device");
	const char *key;
	json_t *value;
	int r = 0;

	snprintf(c->actor, sizeof(c->actor), "gateway:uid%u", (unsigned)c->peer->uid);
	if (!json_is_object(via) || !address || !address[0] ||
	    strlen(address) >= sizeof(c->address) || !validate_text(address, 63, false) ||
	    (session && !json_is_string(session)) ||
	    (device &&
	     (!json_is_string(device) || !fingerprint_valid(json_string_value(device))))) {
		snprintf(err, size, "The gateway did not say who is calling.");
		return -EPROTO;
	}
	json_object_foreach(via, key, value)
	{
		if (strcmp(key, "address") != 0 && strcmp(key, "staff_session") != 0 &&
		    strcmp(key, "device") != 0) {
			snprintf(err, size, "The gateway did not say who is calling.");
			return -EPROTO;
		}
	}
	snprintf(c->address, sizeof(c->address), "%s", address);
	snprintf(c->actor, sizeof(c->actor), "network:%.39s", address);
	if (c->method->device) {
		if (!device) {
			snprintf(err, size, "Only an enrolled tablet can do this.");
			r = -EPERM;
		} else if (!c->server->device_find) {
			snprintf(err, size, "This server does not enrol tablets.");
			r = -EPERM;
		} else {
			r = c->server->device_find(c->server, json_string_value(device), c->device);
			if (r == -ENOENT || r == -EACCES) {
				snprintf(err, size, "This tablet is no longer enrolled here.");
				r = -EACCES;
			} else if (r < 0) {
				snprintf(err, size, "Tablet records cannot be read now.");
			} else {
				snprintf(c->actor, sizeof(c->actor), "device:%s", c->device);
				c->proof = "client-certificate";
			}
		}
	} else if ((c->method->sockets & SOCKET_ADMIN) && !c->method->anonymous) {
		if (!session) {
			snprintf(err, size, "Sign in first.");
			r = -EINVAL;
		} else {
			r = staff_session_resolve(c, json_string_value(session), err, size);
		}
	}
	json_object_del(c->params, "via");
	return r;
}

/* Runs the checks every call passes before its handler; false when it has been answered. */
static bool
call_admit(struct call *c)
{
	struct peer *p = c->peer;
	struct param_error perr;
	char message[200];
	int r;

	if (p->kind == PEER_GATEWAY) {
		r = resolve_gateway_caller(c, message, sizeof(message));
		if (r == -EPROTO) {
			c->unproven = true;
			call_fail(c, PROTO_ERR_INVALID_REQUEST, message, NULL);
			return false;
		}
		if (r < 0) {
			fail_unproven(c, r, message);
			return false;
		}
	} else if (p->kind == PEER_ADMIN && c->method->anonymous) {
		/* Service information: nobody need be proven. */
		json_object_del(c->params, "staff_session");
		snprintf(c->actor, sizeof(c->actor), "admin:uid%u", (unsigned)p->uid);
	} else if (p->kind == PEER_ADMIN) {
		r = resolve_admin_staff(c, message, sizeof(message));
		if (r < 0) {
			fail_unproven(c, r, message);
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
	if ((p->kind == PEER_ADMIN || (p->kind == PEER_GATEWAY && c->staff.id[0])) &&
	    !c->method->anonymous)
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
	if (!m || !((m->sockets & (1u << p->kind)) || (p->kind == PEER_GATEWAY && m->network))) {
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

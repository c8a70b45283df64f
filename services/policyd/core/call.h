/*
 * A call in progress: the decoded request, the peer it came from, and who is acting. A
 * handler answers every call exactly once, with call_reply() or call_fail(), which send
 * the reply, audit what must be audited and free the call. A handler that must wait (PIN
 * hashing in the thread pool) keeps the call and answers later; the peer takes no new
 * calls meanwhile, so replies stay in order.
 */
#ifndef ONWARD_POLICYD_CALL_H
#define ONWARD_POLICYD_CALL_H

#include <stdbool.h>

#include <jansson.h>

#include "params.h"
#include "proto.h"
#include "area.h"
#include "server.h"
#include "store.h"

enum method_audit {
	AUDIT_NONE, /* not a decision or staff action (service info, ping) */
	AUDIT_ON_REPLY, /* reads: call_reply appends the row, naming call->subject */
	AUDIT_HANDLER, /* writes: the handler appends the row inside its own transaction */
};

/* What a staff action is about: the resource of its policy decision. */
enum staff_resource {
	RES_SERVICE, /* Service::"onward": the whole service */
	RES_PERSON, /* the existing person named by "prison_number" */
	RES_NEW_PERSON, /* the person "prison_number" is about to be (person.add) */
	RES_CONTACT, /* the person who owns contact "id" */
	RES_PEOPLE, /* a list of people: the establishment asked for, or the service */
};

#define SOCKET_CONTROL (1u << PEER_CONTROL)
#define SOCKET_ADMIN (1u << PEER_ADMIN)
#define SOCKET_CHANNEL (1u << PEER_CHANNEL)
#define SOCKET_GATEWAY (1u << PEER_GATEWAY) /* only through the gateway (device calls) */

struct call;

struct method {
	const char *name; /* "onward.Person.Add" */
	unsigned sockets; /* which sockets may call it: SOCKET_* bits */
	const char *action; /* audit action name: "person.add"; staff calls' Cedar action */
	enum method_audit audit;
	/* Staff calls: the Cedar action group the action is in ("people.manage"). */
	const char *group;
	/* Channel calls: the apps whose channels may call it, ' '-separated ("housing
	 * services"), or "*" for any app; the dispatcher refuses every other app with
	 * wrong_app (plain words). A channel method without apps is a bug caught at start. */
	const char *apps;
	const char *wrong_app;
	bool needs_session; /* control socket: a person must be logged in */
	/* admin: the call changes a person's record; refused once that record has moved
	 * to another establishment (authz.c keeps moved-out records read-only) */
	bool writes_person;
	/* The gateway may call it (docs/estate.md): an admin method then needs a staff
	 * session, a device method a proven device; SOCKET_GATEWAY methods are network ones
	 * by nature. Default: never from the network. */
	bool network;
	bool device; /* gateway: the caller must be an enrolled, unrevoked tablet */
	bool anonymous; /* admin and gateway: nobody need be proven (service information,
	                   staff sign-in, enrolment: the handler checks what it needs) */
	enum staff_resource resource; /* admin: what the policy decision is about */
	/* Ended by a NULL name; "staff_session" (admin) and "via" (gateway) are the
	 * dispatcher's. */
	const struct param_spec *params;
	void (*handler)(struct call *c);
};

struct call {
	struct server *server; /* borrowed */
	struct peer *peer; /* a reference, dropped when the call ends */
	const struct method *method; /* borrowed from a static table */
	struct proto_request req; /* owned */
	json_t *params; /* borrowed from req */
	struct store_staff staff; /* admin calls: who is acting */
	bool break_glass; /* admin: root or the daemon's user on admin.sock, no session */
	char staff_session[65]; /* the session token the staff member is acting by; "" */
	char device[33]; /* gateway device calls: the proven tablet's id */
	char address[64]; /* gateway calls: the client's address, as the gateway saw it */
	bool unproven; /* refused before its caller was proven: not audited */
	const char *proof; /* how the actor was proven, for the audit: "password+totp" … */
	struct store_person person; /* the person the call is about, once found */
	bool have_person;
	struct decision decision; /* the policy decision that admitted the call */
	char actor[48]; /* "staff:j.smith", "break-glass:uid0", "person:A1234BC", "device:T…" */
	char subject[48]; /* what the call was about, for the audit row */
};

/*
 * Sends {"parameters": params} (stolen) and audits if the method says so. params NULL
 * means the handler could not build its reply (json_pack failed): the call then fails
 * with onward.InternalError, audited as failed, never as an empty success.
 */
void call_reply(struct call *c, json_t *params);

/*
 * Sends an error with a plain-words message and optional extra parameters (stolen).
 * Admin calls and decisions are audited as refused or failed.
 */
void call_fail(struct call *c, const char *error, const char *message, json_t *extra);

/*
 * Answers a call that listed rows: {key: list} when r is 0, else the store error r (as
 * call_fail_store names `what`) and list is freed.
 */
void call_reply_list(struct call *c, int r, json_t *list, const char *key, const char *what);

/* Fails with a message for a store error (-ENOENT, -EEXIST ... or an internal error). */
void call_fail_store(struct call *c, int r, const char *what);

/* Appends an audit row for this call; detail (stolen, may be NULL) is a JSON object. */
int call_audit(struct call *c, const char *outcome, json_t *detail);

/*
 * Marks the call as waiting (asynchronous work): the peer's further calls wait in its
 * buffer and reading stops until this call is answered.
 */
void call_pause(struct call *c);

/* Ends a call whose reply the handler sent itself (peer_send_with_fd). */
void call_done(struct call *c);

/* Fails with onward.InvalidParameter naming the parameter. */
void call_fail_param(struct call *c, const char *name, const char *message);

/*
 * Finds the person named by the "prison_number" parameter and makes them the subject;
 * false, after answering the call, when the number is malformed or unknown.
 */
bool call_find_person(struct call *c, struct store_person *ret);

/*
 * The person logged in on this connection, or whom this app channel serves, as the
 * call's subject; false, after answering the call, when they are gone.
 */
bool call_session_person(struct call *c, struct store_person *ret);

/* Ends a transaction begun with store_begin: commits when r is 0, else rolls back. */
int call_end_transaction(struct call *c, int r);

/* Sets call->subject from a printf format. */
void call_set_subject(struct call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

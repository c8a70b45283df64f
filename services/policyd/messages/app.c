/*
 * onward.Message.*: messaging for the person, on the channel of the Messages app, and the
 * table of every messaging method (the staff ones are in messages/staff.c). A person has
 * a thread with their named worker, always listed, and one with each approved (or still
 * pending) contact. Sending is a policy decision (message.send, with the messages sent
 * today), then a second one (message.hold) that may keep the message for staff to check;
 * a refused send is kept as a refusal the person can ask staff to review, and the refusal
 * shows the policy's reason. message_home() gives the badge on the home tile.
 * See messages/messages_int.h and docs/protocol.md.
 */
#include "messages_int.h"

#include "clock.h"
#include "log.h"
#include "render.h"
#include "timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Page sizes keep every reply under its 1 MiB limit at the worst: replies are ASCII JSON,
 * so 1,000 characters outside the BMP take 12,000 bytes. An item of a thread is at most
 * about 27 KB (its text, a quote, a reason), a held message about 15 KB, a review request
 * about 21 KB; tests/messages/test_messages_inbound.c fills a page to check.
 */
static int unread_messages(struct server *srv, const struct store_person *p);

#define THREAD_PAGE_DEFAULT 20
#define THREAD_PAGE_MAX 30
#define QUEUE_PAGE_MAX 50
#define REVIEWS_PAGE_MAX 40
#define OUTBOX_PAGE_MAX 50
#define STAFF_READS_SHOWN 5

/*
 * The thread named by parameter `param` for person p: its contact id, and the contact
 * (NULL for the worker). false after answering when it is malformed or not theirs.
 */
static bool
find_thread(struct call *c, const struct store_person *p, const char *param,
            int64_t *ret_contact_id, struct store_contact *contact, bool *ret_is_contact)
{
	const char *with = params_string(c->params, param, "");
	int r;

	if (!message_thread_parse(with, ret_contact_id)) {
		call_fail_param(c, param, "Say who: \"worker\" or a contact, like contact:17.");
		return false;
	}
	*ret_is_contact = *ret_contact_id != STORE_MESSAGE_WORKER;
	if (!*ret_is_contact)
		return true;
	r = message_find_contact(c->server, p, *ret_contact_id, contact);
	if (r == -ENOENT) {
		call_fail(c, PROTO_ERR_NOT_FOUND, "You have no contact with that number.",
		          json_pack("{s:s}", "parameter", param));
		return false;
	}
	if (r < 0) {
		call_fail_store(c, r, "contact");
		return false;
	}
	return true;
}

/* ---- onward.Message.Threads ---- */

struct summaries {
	struct store_thread_summary list[256];
	size_t n;
};

static int
add_summary(const struct store_thread_summary *t, void *userdata)
{
	struct summaries *s = userdata;

	if (s->n == sizeof(s->list) / sizeof(s->list[0]))
		return 1;
	s->list[s->n++] = *t;
	return 0;
}

static const struct store_thread_summary *
summary_of(const struct summaries *s, int64_t contact_id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->list[i].contact_id == contact_id)
			return &s->list[i];
	return NULL;
}

/* Unread items the person can see in a thread. */
static int64_t
visible_unread(const struct store_thread_summary *t, bool can_read)
{
	return t ? t->unread_staff + (can_read ? t->unread_contact : 0) : 0;
}

/* The newest item of a thread the person may see, for the list's preview. */
static int
last_item(const struct store_message *m, void *userdata)
{
	struct store_message *last = userdata;

	*last = *m;
	return 1;
}

/*
 * The start of the newest item the person can see in the thread, cut to LAST_TEXT_CHARS
 * characters on a character boundary, and who wrote it ("last_text", "last_from"), with
 * its time as "last_at" (and its London "date" and "time").
 */
#define LAST_TEXT_CHARS 80
static int
add_last(struct server *srv, const struct store_person *p, int64_t contact_id, bool can_read,
         json_t *o)
{
	struct store_message *last = calloc(1, sizeof(*last));
	size_t n = 0, chars = 0;
	int r;

	if (!last)
		return -ENOMEM;
	r = store_message_thread(srv->store, p->id, contact_id,
	                         can_read ? STORE_VIEW_PERSON : STORE_VIEW_PERSON_NO_CONTACT, 0, 1,
	                         last_item, last, NULL);
	if (r == 0 && last->id) {
		const char *text = last->text[0] ? last->text : last->quote;

		for (; text[n] && chars <= LAST_TEXT_CHARS; n++)
			if (((unsigned char)text[n] & 0xc0) != 0x80 && ++chars > LAST_TEXT_CHARS)
				break;
		json_object_set_new(o, "last_text", json_stringn(text, n));
		json_object_set_new(o, "last_cut", json_boolean(text[n] != '\0'));
		json_object_set_new(o, "last_from",
		                    json_string(strcmp(last->direction, "out") == 0 ? "you"
		                                : last->author[0]                   ? "staff"
		                                                                    : "contact"));
		json_object_set_new(o, "last_status", json_string(last->status));
		json_object_set_new(o, "last_kind", json_string(last->kind));
	}
	message_render_when(o, "last_at", r == 0 && last->id ? last->created_at : 0);
	free(last);
	return r;
}

static json_t *
thread_entry(struct server *srv, const struct store_person *p, int64_t contact_id, const char *with,
             const char *kind, const char *name, const struct message_rights *rights,
             const struct store_thread_summary *t)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:s, s:b, s:b, s:s, s:I}", "with", with, "kind",
	                      kind, "name", name, "can_send", rights->send.allowed, "send_reason",
	                      rights->send.reason, "can_send_later", rights->later.allowed,
	                      "can_read", rights->read.allowed, "read_reason", rights->read.reason,
	                      "unread", (json_int_t)visible_unread(t, rights->read.allowed));

	if (!o)
		return NULL;
	message_render_opens(o, rights);
	if (!t)
		message_render_when(o, "last_at", 0);
	else if (add_last(srv, p, contact_id, rights->read.allowed, o) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

struct contact_threads {
	struct call *call;
	const struct store_person *person;
	const struct summaries *summaries;
	json_t *list;
	int error;
};

static int
add_contact_thread(const struct store_contact *contact, void *userdata)
{
	struct contact_threads *ct = userdata;
	struct message_rights rights;
	char with[32];
	json_t *o;
	int r;

	/* Threads are for approved contacts (and those still waiting); never victims or the
	 * barred, whom a person is not told about here. */
	if (contact->victim || contact->barred || strcmp(contact->status, "rejected") == 0)
		return 0;
	r = message_decide_rights(ct->call->server, ct->person, contact, &rights);
	if (r < 0)
		return r;
	o = thread_entry(ct->call->server, ct->person, contact->id,
	                 message_thread_name(contact->id, with, sizeof(with)), "contact",
	                 contact->name, &rights, summary_of(ct->summaries, contact->id));
	if (!o)
		return -ENOMEM;
	json_object_set_new(o, "relation", json_string(contact->relation));
	json_object_set_new(o, "contact_status", json_string(contact->status));
	return json_array_append_new(ct->list, o) < 0 ? -ENOMEM : 0;
}

/* The worker thread's entry: always there, even before a worker is named. */
static json_t *
worker_entry(struct server *srv, const struct store_person *p, const struct summaries *s,
             struct message_rights *rights)
{
	struct store_staff worker = {0};
	json_t *o;

	if (p->worker[0])
		(void)store_staff_get(srv->store, p->worker, &worker);
	o = thread_entry(srv, p, STORE_MESSAGE_WORKER, "worker", "worker", worker.name, rights,
	                 summary_of(s, STORE_MESSAGE_WORKER));
	if (o)
		json_object_set_new(o, "role", json_string(worker.role));
	return o;
}

static void
handle_threads(struct call *c)
{
	struct store_person p;
	struct summaries *s = calloc(1, sizeof(*s));
	struct message_rights rights;
	struct contact_threads ct = {.call = c, .person = &p};
	json_t *worker = NULL, *reply;
	int r;

	if (!s) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		return;
	}
	if (!call_session_person(c, &p)) {
		free(s);
		return;
	}
	ct.summaries = s;
	ct.list = json_array();
	/* Messages that were waiting for messaging to open go first, so the list is current. */
	(void)message_queue_run(c->server, p.id);
	r = store_message_summaries(c->server->store, p.id, add_summary, s);
	if (r == 0)
		r = message_decide_rights(c->server, &p, NULL, &rights);
	if (r == 0) {
		worker = worker_entry(c->server, &p, s, &rights);
		r = worker && json_array_append_new(ct.list, worker) == 0 ? 0 : -ENOMEM;
	}
	if (r == 0)
		r = store_contact_list(c->server->store, p.id, add_contact_thread, &ct);
	free(s);
	if (r < 0) {
		json_decref(ct.list);
		call_fail(c, PROTO_ERR_INTERNAL, "Your messages cannot be shown now. Try again.",
		          NULL);
		return;
	}
	reply = json_pack("{s:o, s:i}", "threads", ct.list, "chars_max", MESSAGE_CHARS_MAX);
	if (reply)
		message_render_when(reply, "now", clock_now());
	call_reply(c, reply);
}

/* ---- onward.Message.Thread ---- */

static int
prepend_item(const struct store_message *m, void *userdata)
{
	json_t *o = message_render_person(m);

	/* Visited newest first; the reply lists them newest last. */
	return o && json_array_insert_new(userdata, 0, o) == 0 ? 0 : -ENOMEM;
}

static int
add_staff_read(const struct store_staff_read *rd, void *userdata)
{
	json_t *o = json_pack("{s:s, s:I}", "role", rd->role, "messages", (json_int_t)rd->messages);

	if (!o)
		return -ENOMEM;
	message_render_when(o, "at", rd->at);
	return json_array_append_new(userdata, o) == 0 ? 0 : -ENOMEM;
}

static void
handle_thread(struct call *c)
{
	struct store_person p;
	struct store_contact contact;
	struct message_rights rights;
	int64_t contact_id, before = params_int(c->params, "before", 0);
	int limit = (int)params_int(c->params, "limit", THREAD_PAGE_DEFAULT);
	json_t *items, *reads, *reply;
	bool is_contact, more = false;
	char with[32];
	int r;

	if (!call_session_person(c, &p) ||
	    !find_thread(c, &p, "with", &contact_id, &contact, &is_contact))
		return;
	(void)message_queue_run(c->server, p.id);
	r = message_decide_rights(c->server, &p, is_contact ? &contact : NULL, &rights);
	if (r < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "This conversation cannot be shown now.", NULL);
		return;
	}
	c->decision = rights.read;
	items = json_array();
	reads = json_array();
	r = store_message_thread(c->server->store, p.id, contact_id,
	                         rights.read.allowed ? STORE_VIEW_PERSON
	                                             : STORE_VIEW_PERSON_NO_CONTACT,
	                         before, limit, prepend_item, items, &more);
	if (r == 0)
		r = store_message_staff_reads(c->server->store, p.id, contact_id, STAFF_READS_SHOWN,
		                              add_staff_read, reads);
	if (r == 0)
		r = call_audit(c, rights.read.allowed ? "allow" : "deny",
		               json_pack("{s:s, s:I}", "thread",
		                         message_thread_name(contact_id, with, sizeof(with)),
		                         "items", (json_int_t)json_array_size(items)));
	if (r < 0) {
		json_decref(items);
		json_decref(reads);
		call_fail(c, PROTO_ERR_INTERNAL, "This conversation cannot be shown now.", NULL);
		return;
	}
	reply = json_pack("{s:s, s:s, s:b, s:s, s:b, s:s, s:o, s:b, s:o, s:i}", "with", with,
	                  "kind", is_contact ? "contact" : "worker", "can_send",
	                  rights.send.allowed, "send_reason", rights.send.reason, "can_read",
	                  rights.read.allowed, "read_reason", rights.read.reason, "messages", items,
	                  "more", more, "staff_reads", reads, "chars_max", MESSAGE_CHARS_MAX);
	if (reply) {
		struct store_staff worker = {0};

		if (!is_contact && p.worker[0])
			(void)store_staff_get(c->server->store, p.worker, &worker);
		message_render_when(reply, "now", clock_now());
		json_object_set_new(reply, "can_send_later", json_boolean(rights.later.allowed));
		message_render_opens(reply, &rights);
		json_object_set_new(reply, "name",
		                    json_string(is_contact ? contact.name : worker.name));
		if (!is_contact)
			json_object_set_new(reply, "role", json_string(worker.role));
	}
	call_reply(c, reply);
}

/* ---- onward.Message.Send ---- */

/* Keeps a refused send, so that the person can ask staff to review it; 0 when not kept. */
static int64_t
keep_refusal(struct call *c, const struct store_person *p, int64_t contact_id, const char *text,
             const struct decision *d)
{
	struct store_message_refusal *f;
	int64_t id = 0, kept = 0;
	int r;

	/* A few a day are enough to ask about; more would only fill the store. */
	if (store_message_refusal_count(c->server->store, p->id, message_day_start(clock_now()),
	                                &kept) < 0 ||
	    kept >= MESSAGE_REFUSALS_KEPT_DAILY)
		return 0;
	f = calloc(1, sizeof(*f));
	if (!f)
		return 0;
	f->person_id = p->id;
	f->contact_id = contact_id;
	snprintf(f->text, sizeof(f->text), "%s", text);
	snprintf(f->reason, sizeof(f->reason), "%s", d->reason);
	snprintf(f->policies, sizeof(f->policies), "%s", d->policies);
	f->created_at = clock_now();
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_message_refusal_insert(c->server->store, f, &id);
	r = call_end_transaction(c, r);
	free(f);
	if (r < 0) {
		log_error("messages: a refusal for %s cannot be kept: %s", p->prison_number,
		          store_last_error(c->server->store));
		return 0;
	}
	return id;
}

/* The flood guard (see messages/messages_int.h); false after answering when the person is over it.
 */
static bool
under_daily_max(struct call *c, const struct store_person *p)
{
	int64_t written = 0;
	int r = message_written_today(c->server, p->id, &written);

	if (r < 0) {
		call_fail_store(c, r, "message");
		return false;
	}
	if (written < messages_of(c->server)->daily_max)
		return true;
	call_fail(c, PROTO_ERR_BUSY,
	          "You have written a lot of messages today. You can write again tomorrow.", NULL);
	return false;
}

/*
 * Stores a message to wait until messaging opens: status "waiting", with the reason it
 * waits, counted against the day's limits like any message; queue.c sends it when
 * message.send allows it again.
 */
static void
send_later(struct call *c, const struct store_person *p, int64_t contact_id, const char *text,
           const struct message_rights *rights)
{
	struct store_message *m = calloc(1, sizeof(*m));
	char with[32];

	if (!m) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		return;
	}
	c->decision = rights->later;
	m->person_id = p->id;
	m->contact_id = contact_id;
	strcpy(m->kind, "message");
	strcpy(m->direction, "out");
	snprintf(m->text, sizeof(m->text), "%s", text);
	strcpy(m->status, "waiting");
	snprintf(m->reason, sizeof(m->reason), "%s", rights->send.reason);
	m->created_at = clock_now();
	message_write(c, m,
	              json_pack("{s:s, s:s, s:s, s:I}", "to",
	                        message_thread_name(contact_id, with, sizeof(with)), "status",
	                        "waiting", "closed_policies", rights->send.policies, "opens_at",
	                        (json_int_t)rights->opens_at),
	              message_render_person);
	free(m);
}

static void
handle_send(struct call *c)
{
	const char *text = params_string(c->params, "text", "");
	bool later = params_bool(c->params, "later", false);
	struct store_person p;
	struct store_contact contact;
	struct message_rights rights;
	struct decision hold;
	struct store_message *m;
	int64_t contact_id;
	bool is_contact;
	char problem[160], matched[STORE_MESSAGE_WORD_MAX + 1], with[32];
	int r;

	if (!call_session_person(c, &p))
		return;
	if (!message_text_valid(text, MESSAGE_CHARS_MAX, problem, sizeof(problem))) {
		call_fail_param(c, "text", problem);
		return;
	}
	if (!find_thread(c, &p, "to", &contact_id, &contact, &is_contact))
		return;
	if (!under_daily_max(c, &p))
		return;
	r = message_decide_rights(c->server, &p, is_contact ? &contact : NULL, &rights);
	/* Closed for now, and the person asked for it to go when it opens: it waits. */
	if (r == 0 && !rights.send.allowed && later && rights.later.allowed) {
		send_later(c, &p, contact_id, text, &rights);
		return;
	}
	if (r == 0 && !rights.send.allowed) {
		int64_t refusal = keep_refusal(c, &p, contact_id, text, &rights.send);

		c->decision = rights.send;
		call_fail(c, PROTO_ERR_PERMISSION_DENIED, rights.send.reason,
		          refusal ? json_pack("{s:I}", "refusal", (json_int_t)refusal) : NULL);
		return;
	}
	if (r == 0)
		r = message_decide_hold(c->server, &p, is_contact ? &contact : NULL, text, &hold,
		                        matched, sizeof(matched));
	if (r < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "Your message cannot be sent now. Try again.",
		          NULL);
		return;
	}
	c->decision = rights.send;
	m = calloc(1, sizeof(*m));
	if (!m) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		return;
	}
	m->person_id = p.id;
	m->contact_id = contact_id;
	strcpy(m->kind, "message");
	strcpy(m->direction, "out");
	snprintf(m->text, sizeof(m->text), "%s", text);
	strcpy(m->status, hold.allowed ? "held" : "delivered");
	if (hold.allowed) {
		snprintf(m->reason, sizeof(m->reason), "%s", hold.reason);
		snprintf(m->policies, sizeof(m->policies), "%s", hold.policies);
		snprintf(m->matched, sizeof(m->matched), "%s", matched);
	}
	m->created_at = clock_now();
	message_write(c, m,
	              json_pack("{s:s, s:s, s:s, s:s}", "to",
	                        message_thread_name(contact_id, with, sizeof(with)), "status",
	                        m->status, "hold_policies", m->policies, "matched", m->matched),
	              message_render_person);
	free(m);
}

/* ---- onward.Message.MarkRead ---- */

static void
handle_mark_read(struct call *c)
{
	struct store_person p;
	struct store_contact contact;
	struct decision read;
	int64_t contact_id, marked = 0;
	bool is_contact;
	int r;

	if (!call_session_person(c, &p) ||
	    !find_thread(c, &p, "with", &contact_id, &contact, &is_contact))
		return;
	r = message_decide_read(c->server, &p, is_contact ? &contact : NULL, &read);
	if (r == 0)
		r = store_message_mark_read(c->server->store, p.id, contact_id,
		                            params_int(c->params, "up_to", 0), read.allowed,
		                            clock_now(), &marked);
	if (r < 0) {
		call_fail_store(c, r, "message");
		return;
	}
	call_reply(c, json_pack("{s:I, s:i}", "marked", (json_int_t)marked, "unread",
	                        unread_messages(c->server, &p)));
}

/* ---- onward.Message.AskReview ---- */

/* The thing to review: a refusal, or the person's own message that staff rejected. */
static bool
review_subject(struct call *c, const struct store_person *p, struct store_message *review)
{
	int64_t refusal_id = params_int(c->params, "refusal", 0);
	int64_t message_id = params_int(c->params, "message", 0);
	int64_t count = 0;
	int r;

	if ((refusal_id > 0) == (message_id > 0)) {
		call_fail_param(c, "refusal", "Say which refusal or which message to look at.");
		return false;
	}
	if (refusal_id > 0) {
		struct store_message_refusal *f = calloc(1, sizeof(*f));

		r = f ? store_message_refusal_get(c->server->store, refusal_id, f) : -ENOMEM;
		if (r == 0 && f->person_id != p->id)
			r = -ENOENT;
		if (r == 0 && f->reviewed) {
			free(f);
			call_fail(c, PROTO_ERR_ALREADY_EXISTS,
			          "You have already asked staff to look at this.", NULL);
			return false;
		}
		if (r == 0) {
			review->contact_id = f->contact_id;
			review->refusal_id = f->id;
			snprintf(review->reason, sizeof(review->reason), "%s", f->reason);
			snprintf(review->quote, sizeof(review->quote), "%s", f->text);
		}
		free(f);
		if (r < 0) {
			call_fail_store(c, r, "refusal");
			return false;
		}
		return true;
	}
	{
		struct store_message *m = calloc(1, sizeof(*m));

		r = m ? store_message_get(c->server->store, message_id, m) : -ENOMEM;
		if (r == 0 && m->person_id != p->id)
			r = -ENOENT;
		if (r == 0 &&
		    (strcmp(m->kind, "message") != 0 || strcmp(m->direction, "out") != 0 ||
		     strcmp(m->status, "rejected") != 0)) {
			free(m);
			call_fail(c, PROTO_ERR_CONFLICT,
			          "Staff can look again only at a message they stopped.", NULL);
			return false;
		}
		if (r == 0)
			r = store_message_count_reviews(c->server->store, m->id, &count);
		if (r == 0 && count > 0) {
			free(m);
			call_fail(c, PROTO_ERR_ALREADY_EXISTS,
			          "You have already asked staff to look at this.", NULL);
			return false;
		}
		if (r == 0) {
			review->contact_id = m->contact_id;
			review->about = m->id;
			snprintf(review->reason, sizeof(review->reason), "%s", m->reason);
		}
		free(m);
		if (r < 0) {
			call_fail_store(c, r, "message");
			return false;
		}
		return true;
	}
}

static void
handle_ask_review(struct call *c)
{
	const char *note = params_string(c->params, "note", "");
	struct store_person p;
	struct store_message *review = calloc(1, sizeof(*review));
	char problem[160], with[32];
	int64_t id = 0;
	int r;

	if (!review) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		return;
	}
	if (!call_session_person(c, &p))
		goto done;
	if (note[0] && !message_text_valid(note, MESSAGE_NOTE_MAX, problem, sizeof(problem))) {
		call_fail_param(c, "note", problem);
		goto done;
	}
	if (!under_daily_max(c, &p) || !review_subject(c, &p, review))
		goto done;
	review->person_id = p.id;
	strcpy(review->kind, "review");
	strcpy(review->direction, "out");
	snprintf(review->text, sizeof(review->text), "%s", note);
	strcpy(review->status, "waiting");
	review->created_at = clock_now();
	r = store_begin(c->server->store);
	if (r == 0 && review->refusal_id)
		r = store_message_refusal_reviewed(c->server->store, review->refusal_id);
	if (r == 0)
		r = store_message_insert(c->server->store, review, &id);
	if (r == 0)
		r = call_audit(
		        c, "ok",
		        json_pack("{s:I, s:s, s:I, s:I}", "review", (json_int_t)id, "thread",
		                  message_thread_name(review->contact_id, with, sizeof(with)),
		                  "refusal", (json_int_t)review->refusal_id, "message",
		                  (json_int_t)review->about));
	r = call_end_transaction(c, r);
	if (r == -ESTALE) {
		call_fail(c, PROTO_ERR_ALREADY_EXISTS,
		          "You have already asked staff to look at this.", NULL);
		goto done;
	}
	if (r < 0) {
		call_fail_store(c, r, "review");
		goto done;
	}
	review->id = id;
	message_written_add(c->server, p.id);
	call_reply(c, json_pack("{s:o}", "review", message_render_person(review)));
done:
	free(review);
}

/* ---- the home screen's badge ---- */

struct unread {
	struct server *srv;
	const struct store_person *person;
	int64_t count;
};

static int
count_unread(const struct store_thread_summary *t, void *userdata)
{
	struct unread *u = userdata;
	struct store_contact contact;
	struct decision read;

	u->count += t->unread_staff;
	/* The contact's own messages count only while the person may read them. */
	if (t->unread_contact > 0 && t->contact_id != STORE_MESSAGE_WORKER &&
	    message_find_contact(u->srv, u->person, t->contact_id, &contact) == 0 &&
	    message_decide_read(u->srv, u->person, &contact, &read) == 0 && read.allowed)
		u->count += t->unread_contact;
	return 0;
}

/* Messages the person has not read yet (the badge on the messages tile). */
static int
unread_messages(struct server *srv, const struct store_person *p)
{
	struct unread u = {srv, p, 0};

	if (store_message_summaries(srv->store, p->id, count_unread, &u) < 0)
		return 0;
	return u.count > 999 ? 999 : (int)u.count;
}

int
message_home(struct server *srv, const struct store_person *p, struct home_screen *h)
{
	return json_object_set_new(h->badges, "messages", json_integer(unread_messages(srv, p)));
}

/* ---- the method table ---- */

static const struct param_spec no_params[] = {{NULL}};

static const struct param_spec thread_params[] = {
        {"with", PARAM_STRING, true, 0, 32},
        {"before", PARAM_INT, false, 1, INT64_MAX},
        {"limit", PARAM_INT, false, 1, THREAD_PAGE_MAX},
        {NULL},
};

static const struct param_spec send_params[] = {
        {"to", PARAM_STRING, true, 0, 32},
        {"text", PARAM_STRING, true, 0, STORE_MESSAGE_TEXT_MAX},
        {"later", PARAM_BOOL, false, 0, 0},
        {NULL},
};

static const struct param_spec cancel_params[] = {
        {"id", PARAM_INT, true, 1, INT64_MAX},
        {NULL},
};

static const struct param_spec mark_read_params[] = {
        {"with", PARAM_STRING, true, 0, 32},
        {"up_to", PARAM_INT, false, 1, INT64_MAX},
        {NULL},
};

static const struct param_spec ask_review_params[] = {
        {"refusal", PARAM_INT, false, 1, INT64_MAX},
        {"message", PARAM_INT, false, 1, INT64_MAX},
        {"note", PARAM_STRING, false, 0, 4 * MESSAGE_NOTE_MAX},
        {NULL},
};

static const struct param_spec queue_params[] = {
        {"establishment", PARAM_STRING, false, 0, 3},
        {"after", PARAM_INT, false, 0, INT64_MAX},
        {"limit", PARAM_INT, false, 1, QUEUE_PAGE_MAX},
        {NULL},
};

static const struct param_spec reviews_params[] = {
        {"establishment", PARAM_STRING, false, 0, 3},
        {"after", PARAM_INT, false, 0, INT64_MAX},
        {"limit", PARAM_INT, false, 1, REVIEWS_PAGE_MAX},
        {NULL},
};

static const struct param_spec id_params[] = {
        {"id", PARAM_INT, true, 1, INT64_MAX},
        {NULL},
};

static const struct param_spec reject_params[] = {
        {"id", PARAM_INT, true, 1, INT64_MAX},
        {"reason", PARAM_STRING, true, 0, STORE_MESSAGE_REASON_MAX},
        {NULL},
};

static const struct param_spec inbound_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"from", PARAM_INT, true, 1, INT64_MAX},
        {"text", PARAM_STRING, true, 0, STORE_MESSAGE_TEXT_MAX},
        {NULL},
};

static const struct param_spec staff_read_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"with", PARAM_STRING, true, 0, 32},
        {"before", PARAM_INT, false, 1, INT64_MAX},
        {"limit", PARAM_INT, false, 1, THREAD_PAGE_MAX},
        {NULL},
};

static const struct param_spec worker_send_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"text", PARAM_STRING, true, 0, STORE_MESSAGE_TEXT_MAX},
        {NULL},
};

static const struct param_spec answer_params[] = {
        {"id", PARAM_INT, true, 1, INT64_MAX},
        {"text", PARAM_STRING, true, 0, STORE_MESSAGE_TEXT_MAX},
        {NULL},
};

static const struct param_spec outbox_params[] = {
        {"after", PARAM_INT, false, 0, INT64_MAX},
        {"limit", PARAM_INT, false, 1, OUTBOX_PAGE_MAX},
        {NULL},
};

static const struct param_spec word_params[] = {
        {"word", PARAM_STRING, true, 0, STORE_MESSAGE_WORD_MAX},
        {NULL},
};

static const struct param_spec settings_params[] = {
        {"establishment", PARAM_STRING, false, 0, 3},
        {"retention_days", PARAM_INT, false, 1, MESSAGE_RETENTION_MAX_DAYS},
        {"group_commit", PARAM_STRING, false, 0, 8},
        {"daily_max", PARAM_INT, false, 1, MESSAGE_DAILY_MAX_LIMIT},
        {NULL},
};

/* The apps whose channels may call a method, and what any other app is told. */
#define MESSAGES_APP_ONLY                                                                          \
	.apps = "messages", .wrong_app = "Messages are sent from the Messages app."

const struct method message_methods[] = {
        /* the person, on the Messages app's channel */
        {"onward.Message.Threads", SOCKET_CHANNEL, "message.threads", AUDIT_NONE, MESSAGES_APP_ONLY,
         .needs_session = true, .params = no_params, .handler = handle_threads},
        {"onward.Message.Thread", SOCKET_CHANNEL, "message.read", AUDIT_HANDLER, MESSAGES_APP_ONLY,
         .needs_session = true, .params = thread_params, .handler = handle_thread},
        {"onward.Message.Send", SOCKET_CHANNEL, "message.send", AUDIT_HANDLER, MESSAGES_APP_ONLY,
         .needs_session = true, .params = send_params, .handler = handle_send},
        {"onward.Message.Cancel", SOCKET_CHANNEL, "message.cancel", AUDIT_HANDLER,
         MESSAGES_APP_ONLY, .needs_session = true, .params = cancel_params,
         .handler = message_handle_cancel},
        {"onward.Message.Words", SOCKET_CHANNEL, "message.words", AUDIT_NONE, MESSAGES_APP_ONLY,
         .needs_session = true, .params = no_params, .handler = message_handle_words},
        {"onward.Message.MarkRead", SOCKET_CHANNEL, "message.mark_read", AUDIT_NONE,
         MESSAGES_APP_ONLY, .needs_session = true, .params = mark_read_params,
         .handler = handle_mark_read},
        {"onward.Message.AskReview", SOCKET_CHANNEL, "message.ask_review", AUDIT_HANDLER,
         MESSAGES_APP_ONLY, .needs_session = true, .params = ask_review_params,
         .handler = handle_ask_review},
        /* staff, on admin.sock (messages/staff.c) */
        {"onward.Message.Queue", SOCKET_ADMIN, "message.queue", AUDIT_HANDLER,
         .group = "messages.moderate", .network = true, .params = queue_params,
         .resource = RES_PEOPLE, .handler = message_handle_queue},
        {"onward.Message.Approve", SOCKET_ADMIN, "message.approve", AUDIT_HANDLER,
         .writes_person = true, .group = "messages.moderate", .network = true, .params = id_params,
         .resource = RES_PEOPLE, .handler = message_handle_approve},
        {"onward.Message.Reject", SOCKET_ADMIN, "message.reject", AUDIT_HANDLER,
         .writes_person = true, .group = "messages.moderate", .network = true,
         .params = reject_params, .resource = RES_PEOPLE, .handler = message_handle_reject},
        {"onward.Message.DeliverInbound", SOCKET_ADMIN, "message.deliver_inbound", AUDIT_HANDLER,
         .writes_person = true, .group = "messages.moderate", .params = inbound_params,
         .resource = RES_PERSON, .handler = message_handle_deliver_inbound},
        {"onward.Message.StaffRead", SOCKET_ADMIN, "message.staff_read", AUDIT_HANDLER,
         .group = "messages.moderate", .network = true, .params = staff_read_params,
         .resource = RES_PERSON, .handler = message_handle_staff_read},
        {"onward.Message.WorkerSend", SOCKET_ADMIN, "message.send_as_worker", AUDIT_HANDLER,
         .writes_person = true, .group = "messages.worker", .network = true,
         .params = worker_send_params, .resource = RES_PERSON,
         .handler = message_handle_worker_send},
        {"onward.Message.Reviews", SOCKET_ADMIN, "message.reviews", AUDIT_HANDLER,
         .group = "messages.moderate", .network = true, .params = reviews_params,
         .resource = RES_PEOPLE, .handler = message_handle_reviews},
        {"onward.Message.ReviewAnswer", SOCKET_ADMIN, "message.review_answer", AUDIT_HANDLER,
         .writes_person = true, .group = "messages.moderate", .network = true,
         .params = answer_params, .resource = RES_PEOPLE, .handler = message_handle_review_answer},
        {"onward.Message.Outbox", SOCKET_ADMIN, "message.outbox", AUDIT_ON_REPLY,
         .group = "messages.moderate", .params = outbox_params, .resource = RES_SERVICE,
         .handler = message_handle_outbox},
        {"onward.Message.OutboxAck", SOCKET_ADMIN, "message.outbox_ack", AUDIT_HANDLER,
         .group = "messages.moderate", .params = id_params, .resource = RES_SERVICE,
         .handler = message_handle_outbox_ack},
        {"onward.Message.Settings", SOCKET_ADMIN, "message.settings", AUDIT_HANDLER,
         .group = "service.admin", .network = true, .params = settings_params,
         .resource = RES_SERVICE, .handler = message_handle_settings},
        {"onward.Wordlist.Add", SOCKET_ADMIN, "wordlist.manage", AUDIT_HANDLER,
         .group = "messages.moderate", .network = true, .params = word_params,
         .resource = RES_SERVICE, .handler = message_handle_word_add},
        {"onward.Wordlist.Remove", SOCKET_ADMIN, "wordlist.manage", AUDIT_HANDLER,
         .group = "messages.moderate", .network = true, .params = word_params,
         .resource = RES_SERVICE, .handler = message_handle_word_remove},
        {"onward.Wordlist.List", SOCKET_ADMIN, "wordlist.manage", AUDIT_ON_REPLY,
         .group = "messages.moderate", .network = true, .params = no_params,
         .resource = RES_SERVICE, .handler = message_handle_word_list},
        {NULL},
};

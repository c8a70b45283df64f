/*
 * Messaging for staff on admin.sock: the moderation queue (approve, reject), review
 * requests and their answers, reading a person's thread, writing in the worker thread,
 * messages arriving from the family service (deliver-inbound) and the outbox it collects
 * from, the word list and the messaging settings (retention, group commit).
 *
 * Every read of message text by staff is recorded twice in one transaction: an audit row
 * (message.staff_read) and a row the person is shown in their thread ("read by staff,
 * officer, 14:05"). Methods about one message are admitted on the staff member's
 * establishment, then decided again on the person the message belongs to, so that staff
 * act only for the people policy lets them.
 */
#include "messages_int.h"

#include "authz.h"

#include "clock.h"
#include "log.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_PAGE_DEFAULT 20 /* the largest each method allows are in messages/app.c */
#define THREAD_PAGE_DEFAULT 20

/* ---- helpers ---- */

/*
 * Finds item `id` of kind (and status, when not NULL) and decides on its person. ret is
 * filled; false after answering.
 */
static bool
staff_item(struct call *c, const char *kind, const char *status, const char *wrong_status,
           struct store_message *ret, struct store_person *ret_person)
{
	json_int_t id = params_int(c->params, "id", 0);
	int r;

	call_set_subject(c, "message:%lld", (long long)id);
	r = store_message_get(c->server->store, id, ret);
	if (r == 0 && strcmp(ret->kind, kind) != 0)
		r = -ENOENT;
	if (r == 0)
		r = store_person_get(c->server->store, ret->person_id, ret_person);
	if (r < 0) {
		call_fail_store(c, r, strcmp(kind, "review") == 0 ? "review" : "message");
		return false;
	}
	if (!authz_admit_staff_on(c, ret_person))
		return false;
	if (status && strcmp(ret->status, status) != 0) {
		call_fail(c, PROTO_ERR_CONFLICT, wrong_status,
		          json_pack("{s:s}", "status", ret->status));
		return false;
	}
	return true;
}

static bool
check_text(struct call *c, const char *name, size_t max_chars)
{
	char problem[160];

	if (message_text_valid(params_string(c->params, name, ""), max_chars, problem,
	                       sizeof(problem)))
		return true;
	call_fail_param(c, name, problem);
	return false;
}

/* Threads whose text a staff member was shown, to record as reads. */
struct reads {
	struct {
		int64_t person_id, contact_id, messages;
		char prison_number[8];
		json_t *ids;
	} thread[100];
	size_t n;
};

static void
reads_add(struct reads *rd, const struct store_message *m)
{
	size_t i;

	for (i = 0; i < rd->n; i++)
		if (rd->thread[i].person_id == m->person_id &&
		    rd->thread[i].contact_id == m->contact_id)
			break;
	if (i == rd->n) {
		if (rd->n == sizeof(rd->thread) / sizeof(rd->thread[0]))
			return; /* pages are at most this long */
		rd->n++;
		rd->thread[i].person_id = m->person_id;
		rd->thread[i].contact_id = m->contact_id;
		rd->thread[i].messages = 0;
		rd->thread[i].ids = json_array();
		snprintf(rd->thread[i].prison_number, sizeof(rd->thread[i].prison_number), "%s",
		         m->prison_number);
	}
	rd->thread[i].messages++;
	json_array_append_new(rd->thread[i].ids, json_integer(m->id));
}

static void
reads_release(struct reads *rd)
{
	for (size_t i = 0; i < rd->n; i++)
		json_decref(rd->thread[i].ids);
	rd->n = 0;
}

/*
 * Records every thread in rd as read by the calling staff member (the person's row and an
 * audit row each), inside the caller's transaction.
 */
static int
reads_record(struct call *c, struct reads *rd)
{
	int64_t now = clock_now();
	int r = 0;

	for (size_t i = 0; i < rd->n && r == 0; i++) {
		struct store_staff_read row = {
		        .person_id = rd->thread[i].person_id,
		        .contact_id = rd->thread[i].contact_id,
		        .messages = rd->thread[i].messages,
		        .at = now,
		};
		char subject[48], thread[32], *detail;
		json_t *o;

		snprintf(row.staff_id, sizeof(row.staff_id), "%s", c->staff.id);
		snprintf(row.role, sizeof(row.role), "%s", c->staff.role);
		snprintf(row.via, sizeof(row.via), "%s", c->method->action);
		r = store_message_staff_read_add(c->server->store, &row);
		if (r < 0)
			break;
		snprintf(subject, sizeof(subject), "person:%s", rd->thread[i].prison_number);
		o = json_pack("{s:s, s:s, s:O}", "via", c->method->action, "thread",
		              message_thread_name(row.contact_id, thread, sizeof(thread)),
		              "messages", rd->thread[i].ids);
		detail = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(o);
		r = detail ? store_audit_append(c->server->store, now, c->actor, subject,
		                                "message.staff_read", "ok", detail, NULL)
		           : -ENOMEM;
		free(detail);
	}
	return r;
}

/* ---- the moderation queue and review requests ---- */

struct listing {
	json_t *list;
	struct reads *reads;
	int64_t last;
};

static int
list_item(const struct store_message *m, void *userdata)
{
	struct listing *l = userdata;
	json_t *o = message_render_staff(m);

	if (!o || json_array_append_new(l->list, o) < 0)
		return -ENOMEM;
	reads_add(l->reads, m);
	l->last = m->id;
	return 0;
}

/* Lists items in status (held or waiting) as a page, recording the staff reads. */
static void
list_status(struct call *c, const char *status, const char *key)
{
	const char *est = params_string(c->params, "establishment", NULL);
	struct reads *rd = calloc(1, sizeof(*rd));
	struct listing l = {.reads = rd};
	bool more = false;
	int r;

	call_set_subject(c, "establishment:%s", est ? est : "all");
	if (!rd) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		return;
	}
	l.list = json_array();
	r = store_message_list_status(
	        c->server->store, status, est, params_int(c->params, "after", 0),
	        (int)params_int(c->params, "limit", LIST_PAGE_DEFAULT), list_item, &l, &more);
	if (r == 0)
		r = store_begin(c->server->store);
	if (r == 0)
		r = reads_record(c, rd);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:s, s:I}", "status", status, "items",
		                         (json_int_t)json_array_size(l.list)));
	r = call_end_transaction(c, r);
	reads_release(rd);
	free(rd);
	if (r < 0) {
		json_decref(l.list);
		call_fail_store(c, r, "message");
		return;
	}
	call_reply(c, json_pack("{s:o, s:o}", key, l.list, "next",
	                        more ? json_integer(l.last) : json_null()));
}

void
message_handle_queue(struct call *c)
{
	list_status(c, "held", "messages");
}

void
message_handle_reviews(struct call *c)
{
	list_status(c, "waiting", "reviews");
}

/* held -> delivered or rejected, with the decision audited. */
static void
moderate(struct call *c, const char *to)
{
	const char *reason = params_string(c->params, "reason", NULL);
	struct store_message *m = calloc(1, sizeof(*m));
	struct store_person p;
	char thread[32];
	int r;

	if (!m) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		return;
	}
	if (reason && !check_text(c, "reason", MESSAGE_NOTE_MAX))
		goto done;
	if (!staff_item(c, "message", "held", "This message is not waiting for a check.", m, &p))
		goto done;
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_message_decide(c->server->store, m->id, "held", to, reason, c->staff.id,
		                         clock_now());
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:I, s:s, s:s, s:s, s:s?}", "message", (json_int_t)m->id,
		                         "thread",
		                         message_thread_name(m->contact_id, thread, sizeof(thread)),
		                         "direction", m->direction, "status", to, "reason",
		                         reason));
	r = call_end_transaction(c, r);
	if (r == -ESTALE) {
		call_fail(c, PROTO_ERR_CONFLICT, "Someone else has just decided on this message.",
		          NULL);
		goto done;
	}
	if (r < 0) {
		call_fail_store(c, r, "message");
		goto done;
	}
	(void)store_message_get(c->server->store, m->id, m);
	call_reply(c, json_pack("{s:o}", "message", message_render_staff(m)));
done:
	free(m);
}

void
message_handle_approve(struct call *c)
{
	moderate(c, "delivered");
}

void
message_handle_reject(struct call *c)
{
	moderate(c, "rejected");
}

/* ---- a person's threads ---- */

/* The thread named by "with" for the call's person; false after answering. */
static bool
staff_thread(struct call *c, int64_t *ret_contact_id, struct store_contact *ret_contact)
{
	const char *with = params_string(c->params, "with", "");
	int r;

	if (!message_thread_parse(with, ret_contact_id)) {
		call_fail_param(c, "with", "Name the thread: worker, or a contact id like 17.");
		return false;
	}
	if (*ret_contact_id == STORE_MESSAGE_WORKER)
		return true;
	r = message_find_contact(c->server, &c->person, *ret_contact_id, ret_contact);
	if (r == -ENOENT) {
		call_fail(c, PROTO_ERR_NOT_FOUND, "That person has no contact with that number.",
		          json_pack("{s:s}", "parameter", "with"));
		return false;
	}
	if (r < 0) {
		call_fail_store(c, r, "contact");
		return false;
	}
	return true;
}

struct staff_thread_items {
	json_t *list;
	struct reads *reads;
};

static int
prepend_staff_item(const struct store_message *m, void *userdata)
{
	struct staff_thread_items *t = userdata;
	json_t *o = message_render_staff(m);

	if (!o || json_array_insert_new(t->list, 0, o) < 0)
		return -ENOMEM;
	reads_add(t->reads, m);
	return 0;
}

void
message_handle_staff_read(struct call *c)
{
	struct store_contact contact = {0};
	struct reads *rd = calloc(1, sizeof(*rd));
	struct staff_thread_items t = {.reads = rd};
	int64_t contact_id;
	bool more = false;
	char thread[32];
	int r;

	if (!rd) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		return;
	}
	if (!staff_thread(c, &contact_id, &contact)) {
		free(rd);
		return;
	}
	t.list = json_array();
	r = store_message_thread(c->server->store, c->person.id, contact_id, STORE_VIEW_STAFF,
	                         params_int(c->params, "before", 0),
	                         (int)params_int(c->params, "limit", THREAD_PAGE_DEFAULT),
	                         prepend_staff_item, &t, &more);
	if (r == 0)
		r = store_begin(c->server->store);
	if (r == 0)
		r = reads_record(c, rd);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:s, s:I}", "thread",
		                         message_thread_name(contact_id, thread, sizeof(thread)),
		                         "items", (json_int_t)json_array_size(t.list)));
	r = call_end_transaction(c, r);
	reads_release(rd);
	free(rd);
	if (r < 0) {
		json_decref(t.list);
		call_fail_store(c, r, "message");
		return;
	}
	if (contact_id == STORE_MESSAGE_WORKER && c->person.worker[0]) {
		struct store_staff worker;

		if (store_staff_get(c->server->store, c->person.worker, &worker) == 0)
			snprintf(contact.name, sizeof(contact.name), "%s", worker.name);
	}
	call_reply(c, json_pack("{s:s, s:s, s:s, s:o, s:b}", "prison_number",
	                        c->person.prison_number, "with", thread, "name", contact.name,
	                        "messages", t.list, "more", more));
}

void
message_handle_worker_send(struct call *c)
{
	struct store_message *m;

	if (!check_text(c, "text", MESSAGE_CHARS_MAX))
		return;
	m = calloc(1, sizeof(*m));
	if (!m) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		return;
	}
	m->person_id = c->person.id;
	m->contact_id = STORE_MESSAGE_WORKER;
	strcpy(m->kind, "message");
	strcpy(m->direction, "in");
	snprintf(m->author, sizeof(m->author), "%s", c->staff.id);
	snprintf(m->author_name, sizeof(m->author_name), "%s", c->staff.name);
	snprintf(m->author_role, sizeof(m->author_role), "%s", c->staff.role);
	snprintf(m->text, sizeof(m->text), "%s", params_string(c->params, "text", ""));
	strcpy(m->status, "delivered");
	m->created_at = clock_now();
	snprintf(m->prison_number, sizeof(m->prison_number), "%s", c->person.prison_number);
	snprintf(m->establishment, sizeof(m->establishment), "%s", c->person.establishment);
	message_write(c, m, json_pack("{s:s}", "thread", "worker"), message_render_staff);
	free(m);
}

/* ---- from the family service ---- */

void
message_handle_deliver_inbound(struct call *c)
{
	const char *text = params_string(c->params, "text", "");
	struct store_contact contact;
	struct decision read, hold;
	struct store_message *m;
	char matched[STORE_MESSAGE_WORD_MAX + 1], thread[32];
	int r;

	if (!check_text(c, "text", MESSAGE_CHARS_MAX))
		return;
	r = message_find_contact(c->server, &c->person, params_int(c->params, "from", 0), &contact);
	if (r < 0) {
		if (r == -ENOENT)
			call_fail(c, PROTO_ERR_NOT_FOUND,
			          "That person has no contact with that number.",
			          json_pack("{s:s}", "parameter", "from"));
		else
			call_fail_store(c, r, "contact");
		return;
	}
	r = message_decide_read(c->server, &c->person, &contact, &read);
	if (r == 0 && read.allowed)
		r = message_decide_hold(c->server, &c->person, &contact, text, &hold, matched,
		                        sizeof(matched));
	if (r < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "This message cannot be taken now. Try again.",
		          NULL);
		return;
	}
	/* The person's decision is what matters here; the staff admission is the call's. */
	c->decision = read;
	if (!read.allowed) {
		call_fail(c, PROTO_ERR_PERMISSION_DENIED, read.reason, NULL);
		return;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		return;
	}
	m->person_id = c->person.id;
	m->contact_id = contact.id;
	strcpy(m->kind, "message");
	strcpy(m->direction, "in");
	snprintf(m->text, sizeof(m->text), "%s", text);
	strcpy(m->status, hold.allowed ? "held" : "delivered");
	if (hold.allowed) {
		snprintf(m->reason, sizeof(m->reason), "%s", hold.reason);
		snprintf(m->policies, sizeof(m->policies), "%s", hold.policies);
		snprintf(m->matched, sizeof(m->matched), "%s", matched);
	}
	m->created_at = clock_now();
	snprintf(m->prison_number, sizeof(m->prison_number), "%s", c->person.prison_number);
	snprintf(m->establishment, sizeof(m->establishment), "%s", c->person.establishment);
	message_write(c, m,
	              json_pack("{s:s, s:s, s:s, s:s}", "from",
	                        message_thread_name(contact.id, thread, sizeof(thread)), "status",
	                        m->status, "hold_policies", m->policies, "matched", m->matched),
	              message_render_staff);
	free(m);
}

/* ---- review answers ---- */

void
message_handle_review_answer(struct call *c)
{
	struct store_message *review = calloc(1, sizeof(*review));
	struct store_message *answer = calloc(1, sizeof(*answer));
	struct store_person p;
	int64_t id = 0;
	int r;

	if (!review || !answer) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		goto done;
	}
	if (!check_text(c, "text", MESSAGE_CHARS_MAX))
		goto done;
	if (!staff_item(c, "review", "waiting", "That request has been answered already.", review,
	                &p))
		goto done;
	answer->person_id = p.id;
	answer->contact_id = review->contact_id;
	strcpy(answer->kind, "answer");
	strcpy(answer->direction, "in");
	snprintf(answer->author, sizeof(answer->author), "%s", c->staff.id);
	snprintf(answer->author_name, sizeof(answer->author_name), "%s", c->staff.name);
	snprintf(answer->author_role, sizeof(answer->author_role), "%s", c->staff.role);
	snprintf(answer->text, sizeof(answer->text), "%s", params_string(c->params, "text", ""));
	strcpy(answer->status, "delivered");
	answer->about = review->id;
	answer->created_at = clock_now();
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_message_decide(c->server->store, review->id, "waiting", "answered", NULL,
		                         c->staff.id, answer->created_at);
	if (r == 0)
		r = store_message_insert(c->server->store, answer, &id);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:I, s:I}", "review", (json_int_t)review->id, "answer",
		                         (json_int_t)id));
	r = call_end_transaction(c, r);
	if (r == -ESTALE) {
		call_fail(c, PROTO_ERR_CONFLICT, "Someone else has just answered this request.",
		          NULL);
		goto done;
	}
	if (r < 0) {
		call_fail_store(c, r, "review");
		goto done;
	}
	(void)store_message_get(c->server->store, id, answer);
	call_reply(c, json_pack("{s:o}", "answer", message_render_staff(answer)));
done:
	free(review);
	free(answer);
}

/* ---- the outbox ---- */

struct outbox {
	struct call *call;
	json_t *list;
	int64_t last, withheld;
	struct store_person person; /* the last item's, looked up once per person */
};

/*
 * An approved message goes to the family service only while the two may still be in
 * touch: the person's message.read on the contact is decided again (a contact barred,
 * found to be a victim, or named by a licence since the message was sent), and a refused
 * one is withheld and counted, not sent.
 */
static int
outbox_item(const struct store_message *m, void *userdata)
{
	struct outbox *ob = userdata;
	struct store_contact contact;
	struct decision read;
	json_t *o;
	int r = 0;

	ob->last = m->id;
	if (ob->person.id != m->person_id)
		r = store_person_get(ob->call->server->store, m->person_id, &ob->person);
	if (r == 0)
		r = message_find_contact(ob->call->server, &ob->person, m->contact_id, &contact);
	if (r == 0)
		r = message_decide_read(ob->call->server, &ob->person, &contact, &read);
	if (r < 0)
		return r;
	if (!read.allowed) {
		ob->withheld++;
		return 0;
	}
	o = json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)m->id, "prison_number",
	              m->prison_number, "contact", (json_int_t)m->contact_id, "text", m->text);
	if (!o)
		return -ENOMEM;
	json_object_set_new(o, "at", render_time(m->created_at));
	return json_array_append_new(ob->list, o) < 0 ? -ENOMEM : 0;
}

void
message_handle_outbox(struct call *c)
{
	struct outbox ob = {.call = c};
	bool more = false;
	int r;

	call_set_subject(c, "outbox");
	ob.list = json_array();
	r = store_message_outbox(c->server->store, params_int(c->params, "after", 0),
	                         (int)params_int(c->params, "limit", LIST_PAGE_DEFAULT),
	                         outbox_item, &ob, &more);
	if (r < 0) {
		json_decref(ob.list);
		call_fail_store(c, r, "message");
		return;
	}
	call_reply(c, json_pack("{s:o, s:o, s:I}", "messages", ob.list, "next",
	                        more ? json_integer(ob.last) : json_null(), "withheld",
	                        (json_int_t)ob.withheld));
}

void
message_handle_outbox_ack(struct call *c)
{
	json_int_t id = params_int(c->params, "id", 0);
	int r;

	call_set_subject(c, "message:%lld", (long long)id);
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_message_ack(c->server->store, id, clock_now());
	if (r == 0)
		r = call_audit(c, "ok", json_pack("{s:I}", "message", id));
	r = call_end_transaction(c, r);
	if (r == -ENOENT) {
		call_fail(c, PROTO_ERR_NOT_FOUND, "There is no message with that id in the outbox.",
		          NULL);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "message");
		return;
	}
	call_reply(c, json_pack("{s:I, s:b}", "id", id, "acknowledged", 1));
}

/* ---- the word list ---- */

static bool
word_param(struct call *c, char *ret, size_t size)
{
	if (message_word_normalise(params_string(c->params, "word", ""), ret, size))
		return true;
	call_fail_param(c, "word",
	                "Give a word or short phrase: letters, numbers, spaces, - and ', up to 64 "
	                "characters.");
	return false;
}

static void
change_word(struct call *c, bool add)
{
	char word[STORE_MESSAGE_WORD_MAX + 1];
	int64_t count = 0;
	int r;

	call_set_subject(c, "wordlist");
	if (!word_param(c, word, sizeof(word)))
		return;
	if (add && store_message_word_count(c->server->store, &count) == 0 &&
	    count >= MESSAGE_WORDS_MAX) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "The word list is full (1,000 entries). Remove one first.", NULL);
		return;
	}
	r = store_begin(c->server->store);
	if (r == 0)
		r = add ? store_message_word_add(c->server->store, word, c->staff.id, clock_now())
		        : store_message_word_remove(c->server->store, word);
	if (r == 0)
		r = call_audit(
		        c, "ok",
		        json_pack("{s:s, s:s}", "change", add ? "add" : "remove", "word", word));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "word on the list");
		return;
	}
	if (message_words_reload(c->server) < 0)
		log_error("messages: the word list cannot be read again (%s)",
		          store_last_error(c->server->store));
	call_reply(c, json_pack("{s:s, s:b}", "word", word, "listed", add));
}

void
message_handle_word_add(struct call *c)
{
	change_word(c, true);
}

void
message_handle_word_remove(struct call *c)
{
	change_word(c, false);
}

static int
list_word(const char *word, const char *added_by, int64_t added_at, void *userdata)
{
	json_t *o = json_pack("{s:s, s:s, s:o}", "word", word, "added_by", added_by, "added_at",
	                      render_time(added_at));

	return o && json_array_append_new(userdata, o) == 0 ? 0 : -ENOMEM;
}

void
message_handle_word_list(struct call *c)
{
	json_t *list = json_array();
	int r;

	call_set_subject(c, "wordlist");
	r = store_message_words(c->server->store, list_word, list);
	call_reply_list(c, r, list, "words", "word list");
}

/* ---- settings ---- */

static int
list_setting(const char *key, int64_t value, const char *set_by, int64_t set_at, void *userdata)
{
	json_t *reply = userdata;

	if (strncmp(key, "retention_days:", 15) == 0)
		return json_array_append_new(json_object_get(reply, "establishments"),
		                             json_pack("{s:s, s:I, s:s}", "establishment", key + 15,
		                                       "retention_days", (json_int_t)value,
		                                       "set_by", set_by)) < 0
		               ? -ENOMEM
		               : 0;
	if (strcmp(key, "retention_days") == 0)
		json_object_set_new(reply, "retention_days", json_integer(value));
	return 0;
}

void
message_handle_settings(struct call *c)
{
	const char *est = params_string(c->params, "establishment", NULL);
	const char *group = params_string(c->params, "group_commit", NULL);
	json_int_t days = params_int(c->params, "retention_days", 0);
	json_int_t daily = params_int(c->params, "daily_max", 0);
	struct store_establishment e;
	char key[32];
	int64_t deleted = 0;
	json_t *reply;
	int r = 0;

	call_set_subject(c, "settings");
	if (group && strcmp(group, "on") != 0 && strcmp(group, "off") != 0) {
		call_fail_param(c, "group_commit", "Say on or off.");
		return;
	}
	if (est && (!validate_establishment_code(est) ||
	            store_establishment_get(c->server->store, est, &e) < 0)) {
		call_fail_param(c, "establishment", "No establishment has that code.");
		return;
	}
	if (est && !days) {
		call_fail_param(c, "retention_days", "Say how many days to keep messages for.");
		return;
	}
	snprintf(key, sizeof(key), "retention_days%s%s", est ? ":" : "", est ? est : "");
	if (group || days || daily) {
		r = store_begin(c->server->store);
		if (r == 0 && group)
			r = store_message_setting_set(c->server->store, "group_commit",
			                              strcmp(group, "on") == 0, c->staff.id,
			                              clock_now());
		if (r == 0 && daily)
			r = store_message_setting_set(c->server->store, "daily_max", daily,
			                              c->staff.id, clock_now());
		if (r == 0 && days)
			r = store_message_setting_set(c->server->store, key, days, c->staff.id,
			                              clock_now());
		if (r == 0)
			r = call_audit(c, "ok",
			               json_pack("{s:s?, s:s?, s:I, s:I}", "group_commit", group,
			                         "establishment", est, "retention_days", days,
			                         "daily_max", daily));
		r = call_end_transaction(c, r);
		if (r == 0 && group)
			messages_of(c->server)->group_commit = strcmp(group, "on") == 0;
		if (r == 0 && daily)
			messages_of(c->server)->daily_max = daily;
		/* A shorter retention applies now, not at the next hourly run. */
		if (r == 0 && days && message_expire_now(c->server, &deleted) < 0)
			log_error("messages: retention could not run (%s)",
			          store_last_error(c->server->store));
	} else {
		r = call_audit(c, "ok", NULL);
	}
	if (r < 0) {
		call_fail_store(c, r, "setting");
		return;
	}
	reply = json_pack("{s:b, s:i, s:[], s:I, s:I}", "group_commit",
	                  messages_of(c->server)->group_commit, "retention_days",
	                  MESSAGE_RETENTION_DAYS, "establishments", "deleted", (json_int_t)deleted,
	                  "daily_max", (json_int_t)messages_of(c->server)->daily_max);
	if (reply)
		(void)store_message_settings(c->server->store, list_setting, reply);
	call_reply(c, reply);
}

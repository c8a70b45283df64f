/*
 * Messages that wait for messaging to open, and the person's own frequent words. When
 * sending to a contact is closed for now (night, a lockdown, a roll check) and policy
 * allows message.send_later, onward.Message.Send with "later" stores the message as
 * "waiting" (app.c). Here message_queue_run() sends what waits, oldest first: each is
 * decided again as if it were sent now (message.send with the day's count, then
 * message.hold with the word list), so it is moderated exactly like a message sent then,
 * and stored as held or delivered with an audit row (message.send_queued). One still
 * closed for now keeps waiting; one that policy now refuses for good (a contact barred
 * meanwhile) is stopped with the policy's reason. It runs every minute on the daemon's
 * clock, at start, and before a person's threads are shown, so a test that moves the
 * clock on sees the result at once. The person can take a waiting message back
 * (onward.Message.Cancel), and the words come back to them in the reply.
 *
 * onward.Message.Words gives the words the person uses most in their own messages (never
 * anyone else's), for the keyboard to offer while they type; nothing is kept beyond the
 * messages themselves.
 */
#include "messages_int.h"

#include "clock.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE_EVERY_MS (60 * 1000)
#define QUEUE_RUN_MAX 64 /* messages sent in one run; the next run takes the rest */

/* ---- sending what waits ---- */

/* Decides again and stores the outcome of waiting message m (already read). */
static int
release_one(struct server *srv, struct store_message *m)
{
	struct store_person p;
	struct store_contact contact;
	struct message_rights rights;
	struct decision hold = {0};
	char matched[STORE_MESSAGE_WORD_MAX + 1] = "", with[32], subject[48], *detail;
	json_t *o;
	bool same_day;
	int r;

	r = store_person_get(srv->store, m->person_id, &p);
	r = r ?: message_find_contact(srv, &p, m->contact_id, &contact);
	if (r < 0)
		return r;
	/* It counts once in the day's limits: it already does if it was written today. */
	same_day = m->created_at >= message_day_start(clock_now());
	r = message_decide_rights_less(srv, &p, &contact, same_day ? 1 : 0, &rights);
	if (r < 0)
		return r;
	if (!rights.send.allowed && rights.later.allowed)
		return 0; /* still closed for now: it keeps waiting */
	if (rights.send.allowed) {
		r = message_decide_hold(srv, &p, &contact, m->text, &hold, matched,
		                        sizeof(matched));
		if (r < 0)
			return r;
		snprintf(m->status, sizeof(m->status), "%s", hold.allowed ? "held" : "delivered");
		snprintf(m->reason, sizeof(m->reason), "%s", hold.allowed ? hold.reason : "");
		snprintf(m->policies, sizeof(m->policies), "%s", hold.allowed ? hold.policies : "");
		snprintf(m->matched, sizeof(m->matched), "%s", hold.allowed ? matched : "");
	} else {
		/* Refused for good now (not only closed): stopped, with the policy's words. */
		strcpy(m->status, "rejected");
		snprintf(m->reason, sizeof(m->reason), "%s", rights.send.reason);
		snprintf(m->policies, sizeof(m->policies), "%s", rights.send.policies);
		m->matched[0] = '\0';
	}
	m->created_at = clock_now();
	snprintf(subject, sizeof(subject), "person:%s", p.prison_number);
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "message", (json_int_t)m->id, "to",
	              message_thread_name(m->contact_id, with, sizeof(with)), "status", m->status,
	              "policies", rights.send.policies, "hold_policies", hold.policies, "matched",
	              m->matched);
	detail = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	if (!detail)
		return -ENOMEM;
	r = store_begin(srv->store);
	if (r == 0)
		r = store_message_release_waiting(srv->store, m);
	if (r == 0)
		r = store_audit_append(srv->store, m->created_at, "system", subject,
		                       "message.send_queued",
		                       rights.send.allowed ? "allow" : "deny", detail, NULL);
	if (r == 0)
		r = store_commit(srv->store);
	else
		store_rollback(srv->store);
	free(detail);
	if (r == 0)
		message_written_add(srv, p.id);
	return r == -ESTALE ? 0 : r; /* taken back meanwhile */
}

int
message_queue_run(struct server *srv, int64_t person_id)
{
	int64_t ids[QUEUE_RUN_MAX];
	size_t n = 0;
	int r = store_message_waiting(srv->store, person_id, ids, QUEUE_RUN_MAX, &n);
	struct store_message *m = n ? calloc(1, sizeof(*m)) : NULL;

	if (r < 0 || n == 0)
		return r;
	if (!m)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int e = store_message_get(srv->store, ids[i], m);

		if (e == 0 && strcmp(m->status, "waiting") == 0)
			e = release_one(srv, m);
		if (e < 0) {
			/* One that cannot go now stays waiting; the others are not held up. */
			log_error("messages: waiting message %lld cannot go: %s (%s)",
			          (long long)ids[i], strerror(-e), store_last_error(srv->store));
			r = e;
		}
	}
	free(m);
	return r;
}

static void
on_queue(uv_timer_t *timer)
{
	struct messages *mod = timer->data;

	(void)message_queue_run(mod->srv, 0);
}

int
message_queue_start(struct server *srv, struct messages *mod)
{
	uv_timer_init(srv->loop, &mod->queue);
	mod->queue.data = mod;
	uv_unref((uv_handle_t *)&mod->queue);
	/* The first run on the loop's first turn, when the area is in place; then each minute. */
	return uv_timer_start(&mod->queue, on_queue, 0, QUEUE_EVERY_MS);
}

/* ---- onward.Message.Cancel ---- */

void
message_handle_cancel(struct call *c)
{
	int64_t id = params_int(c->params, "id", 0);
	struct store_person p;
	struct store_message *m = calloc(1, sizeof(*m));
	char with[32];
	int r;

	if (!m) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		return;
	}
	if (!call_session_person(c, &p))
		goto done;
	r = store_message_get(c->server->store, id, m);
	if (r == 0 && (m->person_id != p.id || strcmp(m->kind, "message") != 0 ||
	               strcmp(m->direction, "out") != 0))
		r = -ENOENT;
	if (r == 0 && strcmp(m->status, "waiting") != 0) {
		call_fail(c, PROTO_ERR_CONFLICT, "This message has gone already.", NULL);
		goto done;
	}
	if (r == 0)
		r = store_begin(c->server->store);
	if (r == 0) {
		r = store_message_cancel(c->server->store, p.id, id);
		if (r == 0)
			r = call_audit(
			        c, "ok",
			        json_pack("{s:I, s:s}", "message", (json_int_t)id, "thread",
			                  message_thread_name(m->contact_id, with, sizeof(with))));
		r = call_end_transaction(c, r);
	}
	if (r == -ENOENT) {
		call_fail(c, PROTO_ERR_NOT_FOUND, "You have no message waiting with that number.",
		          json_pack("{s:s}", "parameter", "id"));
		goto done;
	}
	if (r < 0) {
		call_fail_store(c, r, "message");
		goto done;
	}
	/* The words go back to the person, to keep or change. */
	call_reply(c, json_pack("{s:I, s:s, s:s}", "cancelled", (json_int_t)id, "with",
	                        message_thread_name(m->contact_id, with, sizeof(with)), "text",
	                        m->text));
done:
	free(m);
}

/* ---- onward.Message.Words ---- */

#define WORDS_FROM_MESSAGES 200 /* the person's newest messages learned from */
#define WORDS_DISTINCT_MAX 400 /* distinct words counted */
#define WORDS_GIVEN_MAX 100 /* words in the reply, most used first */
#define WORD_BYTES_MAX 32
#define WORD_USES_MIN 2 /* a word used once is not yet "frequent" */

struct word_count {
	char word[WORD_BYTES_MAX + 1];
	int uses;
};

struct word_counts {
	struct word_count w[WORDS_DISTINCT_MAX];
	size_t n;
};

/* Letters of any script, and an apostrophe inside a word ("don't"). */
static bool
letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static void
count_word(struct word_counts *wc, const char *word, size_t len)
{
	char lower[WORD_BYTES_MAX + 1];
	size_t chars = 0;

	for (size_t i = 0; i < len; i++) {
		lower[i] = word[i] >= 'A' && word[i] <= 'Z' ? (char)(word[i] - 'A' + 'a') : word[i];
		if (((unsigned char)word[i] & 0xc0) != 0x80)
			chars++;
	}
	lower[len] = '\0';
	if (chars < 3)
		return; /* short words are as quick to type as to pick */
	for (size_t i = 0; i < wc->n; i++)
		if (strcmp(wc->w[i].word, lower) == 0) {
			wc->w[i].uses++;
			return;
		}
	if (wc->n < WORDS_DISTINCT_MAX) {
		memcpy(wc->w[wc->n].word, lower, len + 1);
		wc->w[wc->n++].uses = 1;
	}
}

static int
count_text(const char *text, void *userdata)
{
	const char *p = text;

	while (*p) {
		const char *start;

		while (*p && !letter((unsigned char)*p))
			p++;
		start = p;
		while (*p && (letter((unsigned char)*p) ||
		              (*p == '\'' && p > start && letter((unsigned char)p[1]))))
			p++;
		if (p > start && (size_t)(p - start) <= WORD_BYTES_MAX)
			count_word(userdata, start, (size_t)(p - start));
	}
	return 0;
}

static int
by_uses(const void *a, const void *b)
{
	const struct word_count *x = a, *y = b;

	if (x->uses != y->uses)
		return y->uses - x->uses;
	return strcmp(x->word, y->word);
}

void
message_handle_words(struct call *c)
{
	struct store_person p;
	struct word_counts *wc = calloc(1, sizeof(*wc));
	json_t *words = json_array();
	int r;

	if (!wc || !words) {
		free(wc);
		json_decref(words);
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		return;
	}
	if (!call_session_person(c, &p))
		goto done;
	r = store_message_own_texts(c->server->store, p.id, WORDS_FROM_MESSAGES, count_text, wc);
	if (r < 0) {
		call_fail_store(c, r, "message");
		goto done;
	}
	qsort(wc->w, wc->n, sizeof(wc->w[0]), by_uses);
	for (size_t i = 0; i < wc->n && i < WORDS_GIVEN_MAX && wc->w[i].uses >= WORD_USES_MIN; i++)
		json_array_append_new(words, json_string(wc->w[i].word));
	call_reply(c, json_pack("{s:O}", "words", words));
done:
	json_decref(words);
	free(wc);
}

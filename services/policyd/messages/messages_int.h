/*
 * The messages area, shared by its files: area.c (the area's declaration), app.c (the
 * person's methods on the Messages app's channel, the method table, the home badge),
 * staff.c (staff methods on admin.sock), rules.c (what a message may contain, the word
 * list, the policy decisions a message needs, and the JSON views), write.c (the write
 * path: group commit; the area's start, drain and stop, and retention), queue.c (messages
 * waiting to go when messaging opens, and the person's frequent words) and bundle.c (the
 * person's messages in person bundles).
 *
 * A thread is named by "worker" (the person's named worker) or "contact:ID". Each message
 * is two decisions: message.send (or message.read for one arriving) on the Contact or the
 * worker's Staff entity, and message.hold, which when allowed keeps it for staff to check.
 */
#ifndef ONWARD_POLICYD_MESSAGES_INT_H
#define ONWARD_POLICYD_MESSAGES_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include <uv.h>

#include "call.h"
#include "messages.h"

#define MESSAGE_CHARS_MAX 1000 /* characters in one message */
#define MESSAGE_NOTE_MAX 500 /* bytes in a review request's note or a staff reason */
#define MESSAGE_WORDS_MAX 1000 /* entries on the word list */
#define MESSAGE_RETENTION_DAYS 365 /* unless staff set another (onwardctl message settings) */
#define MESSAGE_RETENTION_MAX_DAYS 3650
/*
 * A flood guard, not a policy: what one person may write in a day (to anyone, their worker
 * included, whom no quota limits) unless staff set another (message settings --daily-max),
 * and how many refused sends are kept for review. An app is untrusted; these bound what it
 * can make the store keep.
 */
#define MESSAGE_DAILY_MAX 500
#define MESSAGE_DAILY_MAX_LIMIT 1000000
#define MESSAGE_REFUSALS_KEPT_DAILY 50

/* ---- the area (area.c) and its state ---- */

extern const struct area messages_area;
extern const struct method message_methods[];
extern const struct person_part message_part; /* bundle.c */

/* The word list in memory: single words sorted for bsearch; phrases (with spaces) apart. */
struct message_words {
	char single[MESSAGE_WORDS_MAX][STORE_MESSAGE_WORD_MAX + 1];
	size_t n_single;
	char phrase[MESSAGE_WORDS_MAX][STORE_MESSAGE_WORD_MAX + 3]; /* " a phrase " */
	size_t n_phrase;
};

#define MESSAGE_WRITTEN_SLOTS 64

struct message_pending;

/* The area's state: made by messages_start, freed by messages_stop (write.c). */
struct messages {
	struct server *srv; /* borrowed */
	uv_timer_t retention; /* every hour; unreferenced, so it never keeps the loop alive */
	uv_idle_t flush; /* active while messages are parked for a group commit */
	uv_timer_t queue; /* every minute: messages waiting to go (queue.c); unreferenced */
	bool handles; /* the three handles above are initialised */
	struct message_pending *head, **tail; /* parked messages, owned */
	bool group_commit; /* on unless staff turned it off (onwardctl message settings) */
	int64_t daily_max; /* the flood guard (MESSAGE_DAILY_MAX unless staff set another) */
	struct message_words words; /* the staff word list */
	struct {
		int64_t person_id, day, count;
	} written[MESSAGE_WRITTEN_SLOTS]; /* today's counts of people who wrote lately */
	unsigned written_next;
};

/* The area's state (never NULL once the daemon has started). */
static inline struct messages *
messages_of(struct server *srv)
{
	return area_state(srv, &messages_area);
}

int messages_start(struct server *srv, void **ret_state, char *ret_error, size_t size);
void messages_drain(struct server *srv, void *state);
void messages_stop(struct server *srv, void *state);
/* The area's part of the home screen: unread messages, the badge on its tile (app.c). */
int message_home(struct server *srv, const struct store_person *p, struct home_screen *h);
/* Adds the messages the person sent today to a decision's context (rules.c). */
int message_context(struct server *srv, const struct store_person *p, struct facts_context *ctx);

/* ---- rules.c ---- */

/*
 * Checks text a person or staff member wrote: valid UTF-8, 1 to max_chars characters (at
 * most 4 bytes each), no control characters but newline, not only spaces. false with a
 * plain-words problem in ret_problem.
 */
bool message_text_valid(const char *text, size_t max_chars, char *ret_problem, size_t size);

/* Normalises a word-list entry (lower case, single spaces); false if it is not one. */
bool message_word_normalise(const char *word, char *ret, size_t size);

/* Loads the word list from the store into memory (at start and after each change). */
int message_words_reload(struct server *srv);

/* True if text has a word-list entry as whole words; the entry in ret_word. */
bool message_words_match(struct server *srv, const char *text, char *ret_word, size_t size);

/* A thread name: "worker" (contact 0), "contact:17" or "17". false if malformed. */
bool message_thread_parse(const char *with, int64_t *ret_contact_id);
/* The thread name of contact_id ("worker" for 0) into buf. */
const char *message_thread_name(int64_t contact_id, char *buf, size_t size);

/* Midnight this morning in London (the daemon runs with TZ=Europe/London). */
int64_t message_day_start(int64_t now);

/*
 * What a person may do in one thread. contact is NULL for the worker thread. Fills the
 * send decision (with the messages sent today, pending ones included) and the read
 * decision; when sending is refused, whether the message may wait to go when it opens
 * (message.send_later), and, when policy opens it again by the hour within a day, when.
 */
struct message_rights {
	struct decision send, read;
	struct decision later; /* decided only when send is refused; else not allowed */
	int64_t opens_at; /* the first whole hour send is allowed again (0: not by the clock) */
	int64_t sent_today;
};
int message_decide_rights(struct server *srv, const struct store_person *p,
                          const struct store_contact *contact, struct message_rights *ret);

/* The same, with `less` fewer messages counted as sent today (one that is counted already
 * while it waits to go, queue.c). */
int message_decide_rights_less(struct server *srv, const struct store_person *p,
                               const struct store_contact *contact, int64_t less,
                               struct message_rights *ret);

/* message.read alone, for a message arriving from contact. */
int message_decide_read(struct server *srv, const struct store_person *p,
                        const struct store_contact *contact, struct decision *ret);

/*
 * message.hold for one message in the thread (contact NULL: the worker's), with the word
 * list checked against text; *ret_matched is the entry that matched ("" for none).
 */
int message_decide_hold(struct server *srv, const struct store_person *p,
                        const struct store_contact *contact, const char *text, struct decision *ret,
                        char *ret_matched, size_t size);

/* The contact contact_id of person p, or -ENOENT (also when it is someone else's). */
int message_find_contact(struct server *srv, const struct store_person *p, int64_t contact_id,
                         struct store_contact *ret);

/* JSON views of an item: what the person sees, and what staff see. */
json_t *message_render_person(const struct store_message *m);
json_t *message_render_staff(const struct store_message *m);
/* "2026-11-23T14:05:00Z" plus London "date" and "time" for people. */
void message_render_when(json_t *obj, const char *key, int64_t t);

/* "opens": {"at", "date", "time"} on obj when rights say when sending opens again. */
void message_render_opens(json_t *obj, const struct message_rights *rights);

/* ---- queue.c: messages waiting to go when messaging opens ---- */

/*
 * Sends the messages waiting to go, oldest first (only person_id's unless it is 0): each
 * is decided again now (message.send, then message.hold, as if sent now) and stored as
 * held or delivered, with an audit row; one that policy now refuses for good (not just
 * closed for now) is stopped with the reason; one still closed for now keeps waiting.
 * Runs every minute, at start, and before a person's threads are shown.
 */
int message_queue_run(struct server *srv, int64_t person_id);
/* Starts the minute timer (messages_start); messages_drain closes it. */
int message_queue_start(struct server *srv, struct messages *mod);

/* onward.Message.Cancel and onward.Message.Words (queue.c). */
void message_handle_cancel(struct call *c);
void message_handle_words(struct call *c);

/* ---- write.c ---- */

/* Sends to contacts by person_id waiting in the current group (not yet committed). */
int64_t message_pending_sent(struct server *srv, int64_t person_id);
/* Everything person_id wrote that waits in the current group. */
int64_t message_pending_written(struct server *srv, int64_t person_id);

/*
 * What person_id has written today (stored and waiting in the group): counted in the
 * store once a day per person, then kept up to date in memory, so the guard costs no
 * query per message however much one person writes.
 */
int message_written_today(struct server *srv, int64_t person_id, int64_t *ret_count);
/* Counts one more item written by person_id (after its commit). */
void message_written_add(struct server *srv, int64_t person_id);

/*
 * Stores m for call c and answers it once the store has it durably: with group commit, in
 * one transaction with the other messages that arrived meanwhile (the call waits); without,
 * at once. The audit row (c's action, detail plus the message id) lands in the same
 * transaction; the reply is {"message": view(m)}. detail is stolen.
 */
void message_write(struct call *c, const struct store_message *m, json_t *detail,
                   json_t *(*view)(const struct store_message *m));

/* Runs retention now (also every hour); ret_count: rows deleted. */
int message_expire_now(struct server *srv, int64_t *ret_count);

/* ---- staff method handlers (staff.c) ---- */

void message_handle_queue(struct call *c);
void message_handle_approve(struct call *c);
void message_handle_reject(struct call *c);
void message_handle_deliver_inbound(struct call *c);
void message_handle_staff_read(struct call *c);
void message_handle_worker_send(struct call *c);
void message_handle_reviews(struct call *c);
void message_handle_review_answer(struct call *c);
void message_handle_outbox(struct call *c);
void message_handle_outbox_ack(struct call *c);
void message_handle_word_add(struct call *c);
void message_handle_word_remove(struct call *c);
void message_handle_word_list(struct call *c);
void message_handle_settings(struct call *c);

#endif

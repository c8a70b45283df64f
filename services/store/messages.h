/*
 * Messages in the store: every item of a person's threads (their messages to and from an
 * approved contact, and with their named worker; review requests and staff answers), the
 * policy refusals a person may ask staff to review, the staff reads a person is shown, the
 * moderation word list and the messaging settings (retention, group commit). Only the
 * daemon's messaging code (services/policyd/m_message*.c) calls these. Every function
 * returns 0 or a negative errno like the rest of the store (store.h); a visitor's fn returns
 * 0 to go on, a positive number to stop early (the visit then returns 0), or a negative
 * errno, which stops the visit and is returned.
 */
#ifndef ONWARD_STORE_MESSAGES_H
#define ONWARD_STORE_MESSAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

#define STORE_MESSAGE_TEXT_MAX 4000 /* bytes: 1,000 characters of up to 4 bytes */
#define STORE_MESSAGE_REASON_MAX 500 /* bytes of a hold, rejection or refusal reason */
#define STORE_MESSAGE_WORD_MAX 64 /* bytes of one word-list entry */
#define STORE_MESSAGE_WORKER 0 /* contact_id of the worker thread */

/* Which items of a thread a reader sees. */
enum store_thread_view {
	STORE_VIEW_STAFF, /* everything */
	STORE_VIEW_PERSON, /* not the contact's messages that are held or rejected */
	STORE_VIEW_PERSON_NO_CONTACT, /* none of the contact's messages (reading is refused) */
};

struct store_message {
	int64_t id; /* stable: never reused, also after retention deletes rows */
	int64_t person_id;
	int64_t contact_id; /* STORE_MESSAGE_WORKER for the worker thread */
	char kind[8]; /* message | review | answer */
	char direction[4]; /* out: from the person; in: to the person */
	char author[33]; /* the staff id of a staff-written item; "" for the person or contact */
	char author_name[STORE_NAME_MAX + 1];
	char author_role[24];
	char text[STORE_MESSAGE_TEXT_MAX + 1]; /* a review's note may be "" */
	char status[12]; /* message: waiting (to go when messaging opens) | held | delivered |
	                    rejected; review: waiting | answered; answer: delivered */
	char reason[STORE_MESSAGE_REASON_MAX + 1]; /* why held or rejected; a review: the refusal */
	char quote[STORE_MESSAGE_TEXT_MAX + 1]; /* a review: the words that were refused */
	int64_t refusal_id; /* a review: the refusal it asks about, or 0 */
	int64_t about; /* a review: the message it asks about; an answer: its review */
	char policies[256]; /* the hold decision's determining policies */
	char matched[STORE_MESSAGE_WORD_MAX + 1]; /* the word-list entry that matched */
	char decided_by[33]; /* the staff id that approved, rejected or answered */
	int64_t decided_at;
	int64_t created_at;
	int64_t read_at; /* items to the person: when they read it; 0 unread */
	int64_t acked_at; /* outbox: when the family service took it; 0 waiting */
	char prison_number[8]; /* filled when read */
	char establishment[4]; /* the person's, filled when read */
};

/* Inserts m (id, prison_number and establishment ignored). */
int store_message_insert(struct store *s, const struct store_message *m, int64_t *ret_id);
int store_message_get(struct store *s, int64_t id, struct store_message *ret);

/*
 * Visits up to limit items of one thread, newest first, with ids below before_id (0: from
 * the newest), as view allows; *ret_more says whether older ones remain.
 */
int store_message_thread(struct store *s, int64_t person_id, int64_t contact_id,
                         enum store_thread_view view, int64_t before_id, int limit,
                         int (*fn)(const struct store_message *m, void *userdata), void *userdata,
                         bool *ret_more);

/* One thread at a glance: unread items from the contact and from staff, last activity. */
struct store_thread_summary {
	int64_t contact_id;
	int64_t unread_contact; /* delivered messages from the contact, unread */
	int64_t unread_staff; /* worker messages and review answers, unread */
	int64_t last_at; /* the newest item the person can see (0: none) */
};

/* Visits a summary of every thread of the person that has items, in contact_id order. */
int store_message_summaries(struct store *s, int64_t person_id,
                            int (*fn)(const struct store_thread_summary *t, void *userdata),
                            void *userdata);

/*
 * Marks delivered items to the person in one thread as read, up to up_to_id (0: all); the
 * contact's own messages only when include_contact. ret_count: how many changed.
 */
int store_message_mark_read(struct store *s, int64_t person_id, int64_t contact_id,
                            int64_t up_to_id, bool include_contact, int64_t now,
                            int64_t *ret_count);

/* Messages the person sent to contacts (any status) at or after since (Unix seconds). */
int store_message_count_sent(struct store *s, int64_t person_id, int64_t since, int64_t *ret_count);

/* Everything the person wrote (messages to anyone, review requests) at or after since. */
int store_message_count_written(struct store *s, int64_t person_id, int64_t since,
                                int64_t *ret_count);

/*
 * Moves an item from status `from` to `to` with a reason (NULL keeps it), recording who and
 * when. -ESTALE when the item is no longer in `from`, -ENOENT when there is none.
 */
int store_message_decide(struct store *s, int64_t id, const char *from, const char *to,
                         const char *reason, const char *staff_id, int64_t now);

/*
 * Visits items in one status (held: the moderation queue; waiting: review requests, never
 * a person's message waiting to go) with
 * ids above after_id, oldest first, at most limit; only people at establishment unless it
 * is NULL. *ret_more says whether more remain.
 */
int store_message_list_status(struct store *s, const char *status, const char *establishment,
                              int64_t after_id, int limit,
                              int (*fn)(const struct store_message *m, void *userdata),
                              void *userdata, bool *ret_more);

/*
 * The outbox: delivered messages from people to contacts that the family service has not
 * acknowledged, ids above after_id, oldest first.
 */
int store_message_outbox(struct store *s, int64_t after_id, int limit,
                         int (*fn)(const struct store_message *m, void *userdata), void *userdata,
                         bool *ret_more);

/* Acknowledges an outbox message; -ENOENT if id is not an outbox message. Idempotent. */
int store_message_ack(struct store *s, int64_t id, int64_t now);

/*
 * Messages waiting to go when messaging opens (kind message, status waiting): their ids,
 * oldest first, at most size of them; only person_id's unless it is 0. ret_count: how
 * many.
 */
int store_message_waiting(struct store *s, int64_t person_id, int64_t *ret_ids, size_t size,
                          size_t *ret_count);

/*
 * A waiting message goes, now that policy has decided again: m->id moves to m->status
 * (held or delivered, or rejected when policy now refuses it) with m's reason, policies
 * and matched entry, and m->created_at becomes the time it went, so that it counts in the
 * day it was sent. -ESTALE when it is no longer waiting, -ENOENT when there is none.
 */
int store_message_release_waiting(struct store *s, const struct store_message *m);

/*
 * Deletes person_id's waiting message id (the person took it back); -ENOENT when the
 * person has no such message waiting.
 */
int store_message_cancel(struct store *s, int64_t person_id, int64_t id);

/*
 * The texts of the person's own messages (to anyone), newest first, at most limit: what
 * their frequent words are learned from.
 */
int store_message_own_texts(struct store *s, int64_t person_id, int limit,
                            int (*fn)(const char *text, void *userdata), void *userdata);

/* How many review requests ask about message `about`. */
int store_message_count_reviews(struct store *s, int64_t about, int64_t *ret_count);

/* ---- refusals: sends that policy refused, kept so the person can ask for a review ---- */

struct store_message_refusal {
	int64_t id;
	int64_t person_id;
	int64_t contact_id;
	char text[STORE_MESSAGE_TEXT_MAX + 1];
	char reason[STORE_MESSAGE_REASON_MAX + 1];
	char policies[256];
	bool reviewed; /* a review has been asked for */
	int64_t created_at;
};

int store_message_refusal_insert(struct store *s, const struct store_message_refusal *f,
                                 int64_t *ret_id);
int store_message_refusal_get(struct store *s, int64_t id, struct store_message_refusal *ret);
/* Marks it reviewed; -ESTALE if it already was. */
int store_message_refusal_reviewed(struct store *s, int64_t id);
/* Refusals kept for the person at or after since. */
int store_message_refusal_count(struct store *s, int64_t person_id, int64_t since,
                                int64_t *ret_count);

/* ---- staff reads, shown to the person ---- */

struct store_staff_read {
	int64_t person_id;
	int64_t contact_id;
	char staff_id[33];
	char role[24];
	char via[32]; /* the action that showed the messages: message.staff_read, message.queue */
	int64_t messages; /* how many items were shown */
	int64_t at;
};

int store_message_staff_read_add(struct store *s, const struct store_staff_read *r);
/* The newest reads of one thread first, at most limit. */
int store_message_staff_reads(struct store *s, int64_t person_id, int64_t contact_id, int limit,
                              int (*fn)(const struct store_staff_read *r, void *userdata),
                              void *userdata);

/* ---- the word list (entries are lower case; see messages/rules.c for matching) ---- */

/* -EEXIST if the entry is there already. */
int store_message_word_add(struct store *s, const char *word, const char *staff_id, int64_t now);
/* -ENOENT if it is not. */
int store_message_word_remove(struct store *s, const char *word);
int store_message_word_count(struct store *s, int64_t *ret_count);
/* In order; added_by and added_at for each. */
int store_message_words(struct store *s,
                        int (*fn)(const char *word, const char *added_by, int64_t added_at,
                                  void *userdata),
                        void *userdata);

/* ---- settings: integers by key ("group_commit", "retention_days", "retention_days:MDI") */

/* -ENOENT when the key has never been set. */
int store_message_setting_get(struct store *s, const char *key, int64_t *ret_value);
int store_message_setting_set(struct store *s, const char *key, int64_t value, const char *staff_id,
                              int64_t now);
/* Visits every setting in key order. */
int store_message_settings(struct store *s,
                           int (*fn)(const char *key, int64_t value, const char *set_by,
                                     int64_t set_at, void *userdata),
                           void *userdata);

/* ---- retention ---- */

/*
 * Deletes messages, refusals and staff reads older than each person's establishment's
 * retention ("retention_days:CODE", else "retention_days", else default_days). ret_count:
 * how many rows went.
 */
int store_message_expire(struct store *s, int64_t now, int64_t default_days, int64_t *ret_count);

#endif

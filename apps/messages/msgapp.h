/*
 * onward-app-messages: the person's messages with their named worker and their approved
 * contacts. One struct msgapp holds the app: its channel to the daemon, what the daemon
 * last said, and the widgets of its three screens, each in its own file:
 *
 *   threads.c  the list of conversations: "My worker" first, then contacts, with unread
 *              counts, the start of the last message and when ("Yesterday") and, when
 *              sending is closed, the reason
 *   thread.c   one conversation: bubbles newest last, each with who and when, its state
 *              (waiting to go, with "Do not send it"; sent; delivered; held for a staff
 *              check; not sent, with the reason; asked for review, answered) and a speaker
 *              button; "Read by staff (officer, 14:05)"; earlier messages on request
 *   compose.c  writing on the on-screen keyboard in a box that grows with the text, a
 *              length counter, the person's frequent words to pick, a draft kept for
 *              each conversation, and a Send button that names who it goes to; when
 *              sending is closed for now it says so at the top before anything is typed
 *              and offers "Send it when messaging opens"; a refusal shows the policy's
 *              reason in plain words with "Ask staff to look at this"
 *
 * main.c describes the app to onward_app_main(), which owns the channel; calls are
 * queued with msgapp_call() and never block the UI; each reply goes to the screen that
 * asked.
 */
#ifndef ONWARD_MESSAGES_MSGAPP_H
#define ONWARD_MESSAGES_MSGAPP_H

#include <stdbool.h>
#include <stdint.h>

#include <onward/app.h>

#include "reply.h"

#define MSGAPP_VIEW_MAX 200 /* items of one conversation kept on screen */

enum msgapp_call {
	CALL_THREADS,
	CALL_THREAD, /* the newest page */
	CALL_THREAD_EARLIER, /* a page before the oldest shown */
	CALL_SEND,
	CALL_MARK_READ,
	CALL_ASK_REVIEW,
	CALL_CANCEL, /* a waiting message taken back */
	CALL_WORDS, /* the person's frequent words */
	CALL_KINDS_
};

struct msgapp;

/* Words written and not sent yet, kept for the conversation they were written in. */
struct msgapp_draft {
	char with[MSG_WITH_MAX + 1]; /* the conversation; "" for a free slot */
	char *text; /* owned */
};

/* What a call was, for its reply: one per kind, passed as the call's userdata. */
struct msgapp_kind {
	struct msgapp *m; /* borrowed: the app */
	enum msgapp_call kind;
};

struct msgapp {
	struct ui_app *app; /* borrowed from onward_app_main() */
	struct channel *channel; /* borrowed from onward_app_main(); NULL without one */
	struct msgapp_kind kinds[CALL_KINDS_];

	/* threads.c */
	struct msg_threads *threads; /* owned: the last list */
	struct ui_widget *threads_list, *threads_message; /* borrowed from the screen */
	char row_text[MSG_NAME_MAX + 64], row_detail[MSG_REASON_MAX + MSG_PREVIEW_MAX + 256];

	/* thread.c: the open conversation */
	char with[MSG_WITH_MAX + 1];
	char name[MSG_NAME_MAX + 1];
	bool worker;
	struct msg_page page; /* the last page's header (its items moved to view) */
	struct msg_item *view[MSGAPP_VIEW_MAX]; /* owned, oldest first */
	size_t n_view;
	bool more; /* older items remain on the daemon */
	unsigned refresh_timer;
	struct ui_widget *thread_title, *thread_notice, *thread_reads, *thread_earlier, *thread_box,
	        *thread_message, *thread_write; /* borrowed */

	/* compose.c */
	int chars_max;
	struct msgapp_draft drafts[MSG_THREADS_MAX];
	char compose_with[MSG_WITH_MAX + 1]; /* the conversation the compose screen writes to */
	char sending_with[MSG_WITH_MAX + 1]; /* a send waiting for its answer; "" when none */
	char *sending_text; /* owned: what that send carries */
	int64_t refusal_id; /* the last refused send, for "Ask staff to look at this" */
	int64_t review_message; /* a stopped message the person asked about (0: a refusal) */
	unsigned count_timer;
	size_t counted;
	struct ui_widget *compose_title, *compose_field, *compose_count, *compose_send,
	        *compose_message, *refusal_box, *refusal_text, *refusal_ask; /* borrowed */
	struct ui_widget *compose_closed, *compose_closed_text, *compose_later; /* borrowed */
	struct ui_widget *words_row, *words[4]; /* borrowed: the frequent words offered */
	struct msg_words frequent; /* what the daemon last said */
	char word_text[4][MSG_WORD_MAX + 1];
	char words_for[MSG_TEXT_MAX + 1]; /* the text the offer was made for */
};

/* main.c: queues a call (params stolen); false, with a message shown, when it cannot. */
bool msgapp_call(struct msgapp *m, enum msgapp_call kind, const char *method, json_t *params);

/* A short message for the person in one of the screens' message labels. */
void msgapp_say(struct msgapp *m, struct ui_widget *label, const char *text);

/* "Today, 14:05" or "23/11/2026, 14:05" into buf. */
const char *msgapp_when(struct msgapp *m, const char *today, const char *date, const char *time,
                        char *buf, size_t size);

/* A day as people say it: "Today 14:05", "Yesterday", "Mon 7 Dec" ("" without a date). */
const char *msgapp_day(struct msgapp *m, const char *today, const char *date, const char *time,
                       char *buf, size_t size);

/* "Waiting: it will go when messaging opens at 07:00." (or without the time). */
const char *msgapp_waiting(struct msgapp *m, const char *opens_time, char *buf, size_t size);

/* threads.c */
/* A staff role ("key_worker") in the person's words ("key worker"). */
const char *msgapp_role(struct msgapp *m, const char *role);
struct ui_widget *threads_build(struct msgapp *m);
void threads_refresh(struct msgapp *m);
void threads_on_reply(struct msgapp *m, const struct client_reply *r);

/* thread.c */
struct ui_widget *thread_build(struct msgapp *m);
void thread_open(struct msgapp *m, const struct msg_thread_row *row);
void thread_refresh(struct msgapp *m);
void thread_on_reply(struct msgapp *m, enum msgapp_call kind, const struct client_reply *r);
void thread_release(struct msgapp *m);
/* Asks staff to look again at stopped message id. */
void thread_ask_review(struct msgapp *m, int64_t message_id);
/* The answer to taking a waiting message back. */
void thread_on_cancelled(struct msgapp *m, const struct client_reply *r);

/* compose.c */
struct ui_widget *compose_build(struct msgapp *m);
void compose_open(struct msgapp *m);
void compose_on_reply(struct msgapp *m, enum msgapp_call kind, const struct client_reply *r);
void compose_release(struct msgapp *m);
/* Keeps text as conversation with's draft (words taken back from a waiting message). */
void compose_keep_draft(struct msgapp *m, const char *with, const char *text);
/* Whether words are written and not sent: in the compose box, or a conversation's draft
 * (drafts live only while the app runs, so Home asks before they are lost). */
bool compose_has_unsent(struct msgapp *m);

#endif

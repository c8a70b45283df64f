/*
 * The Messages app's view of the daemon's replies (onward.Message.Threads, .Thread, .Send,
 * .AskReview), read into plain C structs with every field treated as hostile: a string of
 * the wrong type, too long, or with control characters (a message's text may have
 * newlines, nothing else) is refused before it is copied. A reply unusable as a whole is
 * -EBADMSG; one bad thread or message in an otherwise good list is skipped. No SDL here,
 * so tests/messages/test_messages_reply.c can feed it anything.
 */
#ifndef ONWARD_MESSAGES_REPLY_H
#define ONWARD_MESSAGES_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define MSG_TEXT_MAX 4000 /* bytes of a message (1,000 characters) */
#define MSG_NAME_MAX 100
#define MSG_REASON_MAX 500
#define MSG_WITH_MAX 31 /* "worker" or "contact:ID" */
#define MSG_THREADS_MAX 201 /* the worker and up to 200 contacts */
#define MSG_PAGE_MAX 50 /* items in one page of a thread */
#define MSG_READS_MAX 5 /* staff reads shown */
#define MSG_PREVIEW_MAX 400 /* bytes of a list row's preview (80 characters) */
#define MSG_WORDS_MAX 100 /* frequent words kept */
#define MSG_WORD_MAX 32 /* bytes of one */

struct msg_thread_row {
	char with[MSG_WITH_MAX + 1];
	bool worker;
	char name[MSG_NAME_MAX + 1]; /* the contact's, or the worker's ("" before one is named) */
	char relation[33]; /* contacts: mother, friend ... */
	char role[33]; /* the worker: key_worker, probation ... */
	char contact_status[16]; /* contacts: approved | pending */
	bool can_send;
	char send_reason[MSG_REASON_MAX + 1];
	bool can_read;
	int64_t unread;
	char last_date[11]; /* YYYY-MM-DD London, "" when nothing yet */
	char last_time[6]; /* HH:MM */
	char last_text[MSG_PREVIEW_MAX + 1]; /* the start of the newest item ("" none) */
	bool last_cut; /* there is more of it */
	char last_from[8]; /* you | contact | staff */
	bool can_send_later; /* closed for now, but a message may wait to go */
	char opens_date[11], opens_time[6]; /* when sending opens again ("" unknown) */
};

struct msg_threads {
	struct msg_thread_row rows[MSG_THREADS_MAX];
	size_t n;
	size_t skipped;
	int chars_max;
	char today[11]; /* YYYY-MM-DD by the daemon's clock */
};

struct msg_item {
	int64_t id;
	char kind[8]; /* message | review | answer */
	char from[8]; /* you | contact | staff */
	char text[MSG_TEXT_MAX + 1];
	char status[12]; /* held | delivered | rejected | waiting | answered */
	char reason[MSG_REASON_MAX + 1]; /* why held or stopped; a review: the refusal */
	char quote[MSG_TEXT_MAX + 1]; /* a review: the words that were refused */
	char author_name[MSG_NAME_MAX + 1]; /* staff items */
	char author_role[33];
	bool read;
	bool delivered; /* the person's message: the family service has it */
	int64_t about;
	char date[11];
	char time[6];
};

struct msg_staff_read {
	char role[33];
	char date[11];
	char time[6];
};

struct msg_page {
	char with[MSG_WITH_MAX + 1];
	char name[MSG_NAME_MAX + 1];
	bool can_send;
	char send_reason[MSG_REASON_MAX + 1];
	bool can_send_later;
	char opens_date[11], opens_time[6];
	bool can_read;
	char read_reason[MSG_REASON_MAX + 1];
	struct msg_item *items[MSG_PAGE_MAX]; /* owned, oldest first */
	size_t n;
	size_t skipped;
	bool more; /* older items remain */
	struct msg_staff_read reads[MSG_READS_MAX]; /* newest first */
	size_t n_reads;
	char today[11];
};

/* onward.Message.Threads. */
int reply_read_threads(const json_t *params, struct msg_threads *ret);

/* onward.Message.Thread; ret's items are allocated: reply_page_release() frees them. */
int reply_read_page(const json_t *params, struct msg_page *ret);
void reply_page_release(struct msg_page *page);

/* One item: {"message": ...} from Send, {"review": ...} from AskReview, or a list entry. */
int reply_read_item(const json_t *obj, struct msg_item *ret);

/* onward.Message.Cancel: the message taken back, its thread and its words. */
int reply_read_cancel(const json_t *params, int64_t *ret_id, char *ret_with, char *ret_text);

/* onward.Message.Words: the person's frequent words, most used first (lower case letters,
 * an apostrophe inside; anything else is skipped). */
struct msg_words {
	char word[MSG_WORDS_MAX][MSG_WORD_MAX + 1];
	size_t n;
};
int reply_read_words(const json_t *params, struct msg_words *ret);

/* The refusal id in a PermissionDenied reply to Send (0 when there is none). */
int64_t reply_read_refusal(const json_t *params);

/* Characters (not bytes) in UTF-8 text. */
size_t reply_utf8_chars(const char *s);

#endif

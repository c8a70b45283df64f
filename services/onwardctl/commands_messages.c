/*
 * onwardctl commands for messages: the moderation queue (approve, reject), review requests
 * and answers, reading a person's thread and writing in their worker thread, the family
 * service's stand-ins (deliver-inbound, outbox, outbox-ack), the word list and the
 * messaging settings; rows of the command table (see commands.h) and the functions that
 * print their replies.
 */
#include "commands.h"

#include <stdlib.h>
#include <string.h>

static const char *
str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s && s[0] ? s : "-";
}

static long long
num(json_t *obj, const char *key)
{
	return (long long)json_integer_value(json_object_get(obj, key));
}

/* Message text on indented lines, so a newline in it cannot pass for a new row. */
static void
print_text(FILE *out, const char *label, const char *text)
{
	if (!text || !text[0])
		return;
	fprintf(out, "    %s", label);
	for (const char *p = text; *p; p++) {
		fputc(*p, out);
		if (*p == '\n' && p[1])
			fprintf(out, "    %*s", (int)strlen(label), "");
	}
	fputc('\n', out);
}

static void
print_item(FILE *out, json_t *m)
{
	fprintf(out, "%-6lld %-8s %-10s %-4s %-9s %-9s %s", num(m, "id"), str(m, "prison_number"),
	        str(m, "thread"), str(m, "direction"), str(m, "kind"), str(m, "status"),
	        str(m, "at"));
	if (str(m, "author")[0] != '-')
		fprintf(out, "  by %s (%s)", str(m, "author"), str(m, "author_role"));
	fputc('\n', out);
	print_text(out, "", json_string_value(json_object_get(m, "text")));
	print_text(out, "refused: ", json_string_value(json_object_get(m, "quote")));
	if (str(m, "reason")[0] != '-')
		fprintf(out, "    reason: %s\n", str(m, "reason"));
	if (str(m, "matched")[0] != '-')
		fprintf(out, "    word list: \"%s\"\n", str(m, "matched"));
	if (str(m, "policies")[0] != '-')
		fprintf(out, "    policies: %s\n", str(m, "policies"));
	if (str(m, "decided_by")[0] != '-')
		fprintf(out, "    decided by %s at %s\n", str(m, "decided_by"),
		        str(m, "decided_at"));
}

static void
print_header(FILE *out)
{
	fprintf(out, "%-6s %-8s %-10s %-4s %-9s %-9s %s\n", "ID", "PERSON", "THREAD", "DIR", "KIND",
	        "STATUS", "AT");
}

static void
print_next(FILE *out, json_t *params, const char *command)
{
	if (json_is_integer(json_object_get(params, "next")))
		fprintf(out, "more: onwardctl %s --after %lld\n", command, num(params, "next"));
}

static void
print_list(FILE *out, json_t *params, const char *key, const char *command, const char *none)
{
	json_t *list = json_object_get(params, key), *m;
	size_t i;

	if (!json_array_size(list)) {
		fprintf(out, "%s\n", none);
		return;
	}
	print_header(out);
	json_array_foreach(list, i, m) print_item(out, m);
	print_next(out, params, command);
}

static void
print_queue(FILE *out, json_t *params)
{
	print_list(out, params, "messages", "message queue",
	           "No messages are waiting for a check.");
}

static void
print_reviews(FILE *out, json_t *params)
{
	print_list(out, params, "reviews", "message reviews", "No one is waiting for a review.");
}

static void
print_thread(FILE *out, json_t *params)
{
	bool named = str(params, "name")[0] != '-';

	fprintf(out, "%s, thread %s%s%s%s\n", str(params, "prison_number"), str(params, "with"),
	        named ? " (" : "", named ? str(params, "name") : "", named ? ")" : "");
	print_list(out, params, "messages", "message thread", "No messages yet.");
	if (json_is_true(json_object_get(params, "more")))
		fprintf(out, "older messages: add --before %lld\n",
		        num(json_array_get(json_object_get(params, "messages"), 0), "id"));
}

static void
print_one(FILE *out, json_t *params)
{
	json_t *m = json_object_get(params, "message");

	if (!m)
		m = json_object_get(params, "answer");
	print_header(out);
	print_item(out, m);
}

static void
print_outbox(FILE *out, json_t *params)
{
	json_t *list = json_object_get(params, "messages"), *m;
	size_t i;

	if (num(params, "withheld"))
		fprintf(out, "withheld: %lld (the person may no longer contact them)\n",
		        num(params, "withheld"));
	if (!json_array_size(list)) {
		fprintf(out, "The outbox is empty.\n");
		return;
	}
	fprintf(out, "%-6s %-8s %-7s %s\n", "ID", "PERSON", "CONTACT", "AT");
	json_array_foreach(list, i, m)
	{
		fprintf(out, "%-6lld %-8s %-7lld %s\n", num(m, "id"), str(m, "prison_number"),
		        num(m, "contact"), str(m, "at"));
		print_text(out, "", json_string_value(json_object_get(m, "text")));
	}
	print_next(out, params, "message outbox");
}

static void
print_ack(FILE *out, json_t *params)
{
	fprintf(out, "message %lld acknowledged\n", num(params, "id"));
}

static void
print_word(FILE *out, json_t *params)
{
	fprintf(out, "\"%s\" %s the word list\n", str(params, "word"),
	        json_is_true(json_object_get(params, "listed")) ? "is on" : "is off");
}

static void
print_words(FILE *out, json_t *params)
{
	json_t *list = json_object_get(params, "words"), *w;
	size_t i;

	if (!json_array_size(list)) {
		fprintf(out, "The word list is empty.\n");
		return;
	}
	fprintf(out, "%-32s %-16s %s\n", "WORD", "ADDED BY", "AT");
	json_array_foreach(list, i, w) fprintf(out, "%-32s %-16s %s\n", str(w, "word"),
	                                       str(w, "added_by"), str(w, "added_at"));
}

static void
print_settings(FILE *out, json_t *params)
{
	json_t *list = json_object_get(params, "establishments"), *e;
	size_t i;

	fprintf(out, "group commit:   %s\nretention:      %lld days\ndaily maximum:  %lld\n",
	        json_is_true(json_object_get(params, "group_commit")) ? "on" : "off",
	        num(params, "retention_days"), num(params, "daily_max"));
	json_array_foreach(list, i, e)
	        fprintf(out, "retention %-4s  %lld days (set by %s)\n", str(e, "establishment"),
	                num(e, "retention_days"), str(e, "set_by"));
	if (num(params, "deleted"))
		fprintf(out, "deleted now:    %lld old rows\n", num(params, "deleted"));
}

static const struct command_option no_options[] = {{NULL}};

static const struct command_option list_options[] = {
        {"establishment", "establishment", OPT_STRING, "only people at this establishment"},
        {"after", "after", OPT_INT, "only items after this id (the next page)"},
        {"limit", "limit", OPT_INT, "at most this many (default 20, up to 50)"},
        {NULL},
};

static const struct command_option reviews_options[] = {
        {"establishment", "establishment", OPT_STRING, "only people at this establishment"},
        {"after", "after", OPT_INT, "only requests after this id (the next page)"},
        {"limit", "limit", OPT_INT, "at most this many (default 20, up to 40)"},
        {NULL},
};

static const struct command_option reject_options[] = {
        {"reason", "reason", OPT_STRING, "why, in plain words: the person sees it"},
        {NULL},
};

static const struct command_option text_options[] = {
        {"text", "text", OPT_STRING, "the message (up to 1,000 characters)"},
        {NULL},
};

static const struct command_option inbound_options[] = {
        {"from", "from", OPT_INT, "the contact's id (onwardctl contact list)"},
        {"text", "text", OPT_STRING, "the message (up to 1,000 characters)"},
        {NULL},
};

static const struct command_option thread_options[] = {
        {"before", "before", OPT_INT, "only messages before this id (older ones)"},
        {"limit", "limit", OPT_INT, "at most this many (default 20, up to 30)"},
        {NULL},
};

static const struct command_option outbox_options[] = {
        {"after", "after", OPT_INT, "only messages after this id"},
        {"limit", "limit", OPT_INT, "at most this many (default 20, up to 50)"},
        {NULL},
};

static const struct command_option settings_options[] = {
        {"retention-days", "retention_days", OPT_INT,
         "delete messages older than this (default 365)"},
        {"establishment", "establishment", OPT_STRING,
         "set the retention of this establishment only"},
        {"group-commit", "group_commit", OPT_STRING,
         "on (the default) or off: store messages that arrive together in one commit"},
        {"daily-max", "daily_max", OPT_INT,
         "what one person may write in a day, to anyone (default 500; a flood guard)"},
        {NULL},
};

/* clang-format off */
const struct command message_commands[] = {
	{"message", "queue", "onward.Message.Queue", {NULL}, "", list_options,
	 "messages held for a check (shown text is recorded as read by you)", print_queue},
	{"message", "approve", "onward.Message.Approve", {"id"}, "i", no_options,
	 "let a held message through", print_one},
	{"message", "reject", "onward.Message.Reject", {"id"}, "i", reject_options,
	 "stop a held message; the person sees the reason", print_one},
	{"message", "thread", "onward.Message.StaffRead", {"prison_number", "with"}, "ss",
	 thread_options,
	 "read a person's thread: worker, or a contact id (recorded; the person sees it)",
	 print_thread},
	{"message", "send-as-worker", "onward.Message.WorkerSend", {"prison_number"}, "s",
	 text_options, "write to a person in their worker thread", print_one},
	{"message", "reviews", "onward.Message.Reviews", {NULL}, "", reviews_options,
	 "requests to look again at a refusal or a stopped message", print_reviews},
	{"message", "review-answer", "onward.Message.ReviewAnswer", {"id"}, "i", text_options,
	 "answer a review request; the answer appears in the person's thread", print_one},
	{"message", "deliver-inbound", "onward.Message.DeliverInbound", {"prison_number"}, "s",
	 inbound_options, "a message from a contact (for the family service)", print_one},
	{"message", "outbox", "onward.Message.Outbox", {NULL}, "", outbox_options,
	 "messages waiting for the family service", print_outbox},
	{"message", "outbox-ack", "onward.Message.OutboxAck", {"id"}, "i", no_options,
	 "mark an outbox message as taken by the family service", print_ack},
	{"message", "settings", "onward.Message.Settings", {NULL}, "", settings_options,
	 "show or change retention and group commit", print_settings},
	{"wordlist", "add", "onward.Wordlist.Add", {"word"}, "s", no_options,
	 "hold messages with this word or phrase for a check", print_word},
	{"wordlist", "remove", "onward.Wordlist.Remove", {"word"}, "s", no_options,
	 "take a word or phrase off the list", print_word},
	{"wordlist", "list", "onward.Wordlist.List", {NULL}, "", no_options,
	 "show the word list", print_words},
	{NULL},
};
/* clang-format on */

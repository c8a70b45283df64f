/*
 * Writing a message: a text box typed on the on-screen keyboard (or a physical one) that
 * grows to several lines as the words do, up to four of the person's own frequent words
 * that match the word being typed (a tap finishes it), a counter of the characters used
 * out of the daemon's limit, and a Send button (or Enter) that names who the message goes
 * to. When sending is closed for now (night, a lockdown), the top of the screen says so
 * in the policy's words before anything is typed and, where policy allows it, the one
 * button (and Enter) is "Send it when messaging opens": the daemon keeps the message and
 * sends it then; a button sure to be refused is never offered. What is
 * written belongs to its conversation: leaving the screen keeps it as that conversation's draft,
 * and opening another conversation shows that one's own draft or nothing, so words written for one
 * person are never sent to another. The daemon decides: a sent message goes back to the
 * conversation ("Sent", or "Waiting for a staff check" and why); a refused one stays here
 * with the policy's reason in plain words, a speaker button, and "Ask staff to look at
 * this", which asks for a review that appears, with staff's answer, in the same
 * conversation.
 */
#include "msgapp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT_EVERY_MS 150

static void
show_count(struct msgapp *m)
{
	char text[48];

	m->counted = reply_utf8_chars(ui_text_field_get_text(m->compose_field));
	snprintf(text, sizeof(text), "%zu / %d", m->counted, m->chars_max);
	ui_label_set_text(m->compose_count, text);
}

/* ---- frequent words ---- */

static bool
word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 || c == '\'';
}

/* Where the word being typed starts in text (its end is the end of the text). */
static size_t
partial_start(const char *text)
{
	size_t n = strlen(text);

	while (n > 0 && word_byte((unsigned char)text[n - 1]))
		n--;
	return n;
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Offers up to four frequent words that start with what is being typed. */
static void
offer_words(struct msgapp *m)
{
	const char *text = ui_text_field_get_text(m->compose_field);
	const char *part = text + partial_start(text);
	size_t len = strlen(part), shown = 0;

	snprintf(m->words_for, sizeof(m->words_for), "%s", text);
	for (size_t i = 0; len > 0 && i < m->frequent.n && shown < 4; i++) {
		const char *w = m->frequent.word[i];
		size_t k = 0;

		while (k < len && w[k] && lower(part[k]) == w[k])
			k++;
		if (k < len || !w[len])
			continue; /* not this word, or nothing left to add */
		snprintf(m->word_text[shown], sizeof(m->word_text[shown]), "%s", w);
		ui_widget_set_text(m->words[shown], w);
		ui_widget_set_visible(m->words[shown], true);
		shown++;
	}
	for (size_t i = shown; i < 4; i++)
		ui_widget_set_visible(m->words[i], false);
	ui_widget_set_visible(m->words_row, shown > 0);
}

/* A tap on an offered word: it replaces the part typed, then a space. */
static void
on_word(struct ui_widget *w, void *userdata)
{
	struct msgapp *m = userdata;
	const char *text = ui_text_field_get_text(m->compose_field);
	size_t start = partial_start(text), i;
	char *next;

	for (i = 0; i < 4 && m->words[i] != w; i++)
		;
	if (i == 4 || !m->word_text[i][0])
		return;
	next = malloc(start + sizeof(m->word_text[i]) + 2);
	if (!next)
		return;
	memcpy(next, text, start);
	/* A capital typed stays a capital ("Tha" gives "Thanks"). */
	snprintf(next + start, sizeof(m->word_text[i]) + 2, "%s ", m->word_text[i]);
	if (text[start] >= 'A' && text[start] <= 'Z')
		next[start] = text[start];
	ui_text_field_set_text(m->compose_field, next);
	free(next);
	ui_app_focus(m->app, m->compose_field);
	show_count(m);
	offer_words(m);
}

/* The toolkit has no change callback: the counter and the words offered follow the field
 * while it is shown. */
static void
on_count(struct ui_app *app, void *userdata)
{
	struct msgapp *m = userdata;

	m->count_timer = 0;
	if (strcmp(ui_app_get_screen(app), "compose") != 0)
		return;
	if (reply_utf8_chars(ui_text_field_get_text(m->compose_field)) != m->counted)
		show_count(m);
	if (strcmp(ui_text_field_get_text(m->compose_field), m->words_for) != 0)
		offer_words(m);
	ui_app_add_timer(app, COUNT_EVERY_MS, on_count, m, &m->count_timer);
}

static void
hide_refusal(struct msgapp *m)
{
	m->refusal_id = 0;
	ui_widget_set_visible(m->refusal_box, false);
}

/* ---- drafts: what was written, kept per conversation ---- */

static struct msgapp_draft *
draft_find(struct msgapp *m, const char *with)
{
	for (size_t i = 0; i < MSG_THREADS_MAX; i++)
		if (m->drafts[i].with[0] && strcmp(m->drafts[i].with, with) == 0)
			return &m->drafts[i];
	return NULL;
}

static void
draft_drop(struct msgapp_draft *d)
{
	if (!d)
		return;
	free(d->text);
	*d = (struct msgapp_draft){0};
}

/* Whether text holds more than spaces. */
static bool
has_words(const char *text)
{
	while (*text == ' ')
		text++;
	return *text != '\0';
}

bool
compose_has_unsent(struct msgapp *m)
{
	if (strcmp(ui_app_get_screen(m->app), "compose") == 0 &&
	    has_words(ui_text_field_get_text(m->compose_field)))
		return true;
	for (size_t i = 0; i < MSG_THREADS_MAX; i++)
		if (m->drafts[i].with[0] && m->drafts[i].text && has_words(m->drafts[i].text))
			return true;
	return false;
}

/* Keeps text as the draft of conversation with (none when it is only spaces). */
static void
draft_keep(struct msgapp *m, const char *with, const char *text)
{
	struct msgapp_draft *d = draft_find(m, with);
	const char *p = text;
	char *copy;

	while (*p == ' ')
		p++;
	if (!*p) {
		draft_drop(d);
		return;
	}
	for (size_t i = 0; !d && i < MSG_THREADS_MAX; i++)
		if (!m->drafts[i].with[0])
			d = &m->drafts[i];
	copy = strdup(text);
	if (!d || !copy) {
		/* No room: the words are lost, never shown in another conversation. */
		free(copy);
		return;
	}
	free(d->text);
	snprintf(d->with, sizeof(d->with), "%s", with);
	d->text = copy;
}

void
compose_keep_draft(struct msgapp *m, const char *with, const char *text)
{
	draft_keep(m, with, text);
}

void
compose_release(struct msgapp *m)
{
	for (size_t i = 0; i < MSG_THREADS_MAX; i++)
		draft_drop(&m->drafts[i]);
	free(m->sending_text);
	m->sending_text = NULL;
}

/* The compose screen is for conversation m->compose_with now. */
static bool
composing(struct msgapp *m, const char *with)
{
	return strcmp(ui_app_get_screen(m->app), "compose") == 0 &&
	       strcmp(m->compose_with, with) == 0;
}

/* Closed for now: said at the top, before anything is typed, with what can be done. */
static bool
later_mode(const struct msgapp *m)
{
	return !m->page.can_send && m->page.can_send_later;
}

static void
show_closed(struct msgapp *m)
{
	char text[MSG_REASON_MAX + 200], wait[160];

	ui_widget_set_visible(m->compose_closed, !m->page.can_send);
	/* One way to send, never one that is sure to be refused: while the message can wait,
	 * waiting is the only button (and Enter). Closed with no way to wait, Send stays, so
	 * the refusal comes with its reason and "Ask staff to look at this". */
	ui_widget_set_visible(m->compose_later, later_mode(m));
	ui_widget_set_visible(m->compose_send, !later_mode(m));
	if (m->page.can_send)
		return;
	if (!later_mode(m))
		snprintf(wait, sizeof(wait), "%s", "");
	else if (m->page.opens_time[0])
		snprintf(wait, sizeof(wait), " %s %s.",
		         ui_app_tr(m->app,
		                   N_("You can write now. It will go when messaging opens at")),
		         m->page.opens_time);
	else
		snprintf(wait, sizeof(wait), " %s",
		         ui_app_tr(m->app,
		                   N_("You can write now. It will go when messaging opens.")));
	snprintf(text, sizeof(text), "%s%s", m->page.send_reason, wait);
	ui_label_set_text(m->compose_closed_text, text);
}

void
compose_open(struct msgapp *m)
{
	const struct msgapp_draft *d = draft_find(m, m->with);
	char title[MSG_NAME_MAX + 64], send[MSG_NAME_MAX + 64];

	snprintf(m->compose_with, sizeof(m->compose_with), "%s", m->with);
	if (m->worker) {
		snprintf(title, sizeof(title), "%s", ui_app_tr(m->app, N_("Write to your worker")));
		snprintf(send, sizeof(send), "%s", ui_app_tr(m->app, N_("Send to your worker")));
	} else {
		snprintf(title, sizeof(title), "%s %s", ui_app_tr(m->app, N_("Write to")), m->name);
		snprintf(send, sizeof(send), "%s %s", ui_app_tr(m->app, N_("Send to")), m->name);
	}
	ui_label_set_text(m->compose_title, title);
	ui_widget_set_text(m->compose_send, send);
	show_closed(m);
	ui_text_field_set_max_length(m->compose_field, (size_t)m->chars_max);
	ui_text_field_set_text(m->compose_field, d ? d->text : "");
	hide_refusal(m);
	msgapp_say(m, m->compose_message, "");
	show_count(m);
	ui_app_push_screen(m->app, "compose");
	ui_app_focus(m->app, m->compose_field);
	m->words_for[0] = '\0';
	offer_words(m);
	msgapp_call(m, CALL_WORDS, "onward.Message.Words", NULL);
	if (!m->count_timer)
		ui_app_add_timer(m->app, COUNT_EVERY_MS, on_count, m, &m->count_timer);
}

static void
send(struct msgapp *m, bool later)
{
	const char *text = ui_text_field_get_text(m->compose_field);
	const char *p = text;

	while (*p == ' ')
		p++;
	if (!*p) {
		msgapp_say(m, m->compose_message, ui_app_tr(m->app, N_("Write something first.")));
		return;
	}
	if (m->sending_with[0]) {
		msgapp_say(m, m->compose_message, ui_app_tr(m->app, N_("Sending…")));
		return;
	}
	free(m->sending_text);
	m->sending_text = strdup(text);
	if (!m->sending_text)
		return;
	hide_refusal(m);
	/* To the conversation this screen was opened for, whatever happens meanwhile. */
	if (msgapp_call(m, CALL_SEND, "onward.Message.Send",
	                json_pack("{s:s, s:s, s:b}", "to", m->compose_with, "text", text, "later",
	                          later))) {
		snprintf(m->sending_with, sizeof(m->sending_with), "%s", m->compose_with);
		msgapp_say(m, m->compose_message, ui_app_tr(m->app, N_("Sending…")));
	}
}

static void
on_send(struct ui_widget *w, void *userdata)
{
	send(userdata, false);
}

static void
on_later(struct ui_widget *w, void *userdata)
{
	send(userdata, true);
}

/* Enter does what the one send button shown does: send now, or wait for opening. */
static void
on_submit(struct ui_widget *field, const char *text, void *userdata)
{
	struct msgapp *m = userdata;

	send(m, later_mode(m));
}

static void
on_ask(struct ui_widget *w, void *userdata)
{
	struct msgapp *m = userdata;

	if (!m->refusal_id)
		return;
	m->review_message = 0;
	msgapp_call(m, CALL_ASK_REVIEW, "onward.Message.AskReview",
	            json_pack("{s:I}", "refusal", (json_int_t)m->refusal_id));
}

/* Back to the conversation: what is written stays as its draft. */
static void
on_back(struct ui_widget *w, void *userdata)
{
	struct msgapp *m = userdata;

	draft_keep(m, m->compose_with, ui_text_field_get_text(m->compose_field));
	ui_text_field_set_text(m->compose_field, "");
	ui_app_focus(m->app, NULL);
	ui_app_back(m->app);
}

/*
 * Back to the conversation, which shows what just happened under the message itself
 * ("Sent.", "Waiting for a staff check." and why, "Staff will look at this."): no banner,
 * which would cover the conversation's Back button.
 */
static void
done(struct msgapp *m)
{
	draft_drop(draft_find(m, m->compose_with));
	ui_text_field_set_text(m->compose_field, "");
	hide_refusal(m);
	msgapp_say(m, m->compose_message, "");
	ui_app_focus(m->app, NULL);
	if (strcmp(ui_app_get_screen(m->app), "compose") == 0)
		ui_app_back(m->app);
	thread_refresh(m);
}

static void
on_sent(struct msgapp *m, const struct client_reply *r)
{
	char with[MSG_WITH_MAX + 1];
	bool here;

	snprintf(with, sizeof(with), "%s", m->sending_with);
	m->sending_with[0] = '\0';
	here = composing(m, with);
	if (!r->error) {
		/* Sent: the draft it came from goes, unless the person has written anew. */
		struct msgapp_draft *d = draft_find(m, with);

		if (d && m->sending_text && strcmp(d->text, m->sending_text) == 0)
			draft_drop(d);
		if (here)
			done(m);
		else
			thread_refresh(m);
		return;
	}
	/* Not sent: the words stay in their own conversation (the field, or its draft). */
	if (!here)
		return;
	if (strcmp(r->error, "onward.PermissionDenied") == 0) {
		/* Policy said no: its reason, in its own words, and a way to ask about it. */
		m->refusal_id = reply_read_refusal(r->parameters);
		ui_label_set_text(m->refusal_text, client_reply_message(r));
		ui_widget_set_visible(m->refusal_box, true);
		ui_widget_set_visible(m->refusal_ask, m->refusal_id > 0);
		msgapp_say(m, m->compose_message, "");
		ui_app_focus(m->app, NULL); /* the keyboard goes, so the reason is in view */
		if (ui_app_get_read_aloud(m->app))
			ui_app_speak(m->app, client_reply_message(r));
		return;
	}
	msgapp_say(m, m->compose_message,
	           client_reply_message(r)[0] ? client_reply_message(r)
	                                      : ui_app_tr(m->app, N_("Something went wrong.")));
}

static void
on_asked(struct msgapp *m, const struct client_reply *r)
{
	bool from_thread = m->review_message != 0;
	const char *problem = r->error && client_reply_message(r)[0]
	                              ? client_reply_message(r)
	                              : ui_app_tr(m->app, N_("Something went wrong."));

	m->review_message = 0;
	if (r->error) {
		msgapp_say(m, from_thread ? m->thread_message : m->compose_message, problem);
		if (strcmp(r->error, "onward.AlreadyExists") == 0)
			hide_refusal(m);
		return;
	}
	if (from_thread) {
		/* Asked from a stopped message in the conversation: stay there. */
		msgapp_say(m, m->thread_message, "");
		thread_refresh(m);
		return;
	}
	done(m);
}

void
compose_on_reply(struct msgapp *m, enum msgapp_call kind, const struct client_reply *r)
{
	if (kind == CALL_SEND)
		on_sent(m, r);
	else if (kind == CALL_WORDS) {
		/* No words to offer is no loss: the person types them. */
		if (r->error || reply_read_words(r->parameters, &m->frequent) < 0)
			m->frequent.n = 0;
		m->words_for[0] = '\0';
	} else
		on_asked(m, r);
}

struct ui_widget *
compose_build(struct msgapp *m)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *row, *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	m->compose_title = ui_title_row_add(col, "compose-back", on_back, m, ui_heading_new(""),
	                                    "compose-title");
	ui_widget_set_translate(m->compose_title, false);
	/* Closed for now: the first thing on the screen, before a word is typed (the title's
	 * speaker reads it with the title). */
	m->compose_closed = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	ui_widget_set_id(m->compose_closed, "compose-closed");
	m->compose_closed_text = ui_widget_add(m->compose_closed, ui_label_new(""));
	ui_widget_set_id(m->compose_closed_text, "compose-closed-text");
	ui_widget_set_translate(m->compose_closed_text, false);
	ui_widget_set_expand(m->compose_closed_text, 1);
	ui_widget_set_visible(m->compose_closed, false);
	m->compose_field =
	        ui_widget_add(col, ui_text_field_new(UI_FIELD_TEXT, N_("Write your message here")));
	ui_widget_set_id(m->compose_field, "compose-field");
	ui_text_field_set_lines(m->compose_field, 4);
	ui_text_field_set_on_submit(m->compose_field, on_submit, m);
	/* The person's own frequent words that fit what is being typed. */
	m->words_row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	ui_widget_set_id(m->words_row, "words");
	for (int i = 0; i < 4; i++) {
		char id[16];

		snprintf(id, sizeof(id), "word-%d", i);
		m->words[i] = ui_button_add(m->words_row, "", UI_ICON_NONE, id, on_word, m);
		ui_widget_set_translate(m->words[i], false);
		ui_widget_set_visible(m->words[i], false);
	}
	ui_widget_set_visible(m->words_row, false);
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	m->compose_count = ui_widget_add(row, ui_label_new(""));
	ui_widget_set_id(m->compose_count, "compose-count");
	ui_widget_set_translate(m->compose_count, false);
	ui_widget_set_expand(m->compose_count, 1);
	ui_widget_set_align(m->compose_count, UI_ALIGN_CENTER);
	/* Named when the screen opens: "Send to Jo Jones". */
	m->compose_send = ui_button_add(row, N_("Send"), UI_ICON_SEND, "send", on_send, m);
	ui_widget_set_translate(m->compose_send, false);
	m->compose_later = ui_button_add(row, N_("Send it when messaging opens"), UI_ICON_LATER,
	                                 "send-later", on_later, m);
	ui_widget_set_visible(m->compose_later, false);
	m->compose_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(m->compose_message, "compose-message");
	ui_widget_set_translate(m->compose_message, false);
	m->refusal_box = ui_widget_add(col, ui_box_new(UI_VERTICAL));
	ui_widget_set_id(m->refusal_box, "refusal");
	w = ui_widget_add(m->refusal_box, ui_heading_new(N_("This was not sent.")));
	ui_widget_set_id(w, "refusal-title");
	row = ui_widget_add(m->refusal_box, ui_box_new(UI_HORIZONTAL));
	m->refusal_text = ui_widget_add(row, ui_label_new(""));
	ui_widget_set_id(m->refusal_text, "refusal-reason");
	ui_widget_set_translate(m->refusal_text, false);
	ui_widget_set_expand(m->refusal_text, 1);
	ui_widget_set_align(ui_widget_add(row, ui_speak_button_new(m->refusal_text)),
	                    UI_ALIGN_CENTER);
	m->refusal_ask = ui_widget_add(
	        m->refusal_box, ui_button_new(N_("Ask staff to look at this"), UI_ICON_ASK_STAFF));
	ui_widget_set_id(m->refusal_ask, "refusal-ask");
	ui_widget_set_on_click(m->refusal_ask, on_ask, m);
	ui_widget_set_visible(m->refusal_box, false);
	return col;
}

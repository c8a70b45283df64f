/*
 * One conversation (onward.Message.Thread): a bubble per item, newest last, indented on
 * the right for the person's own words and on the left for the other side's. Each bubble
 * says who and when, has a speaker button that reads the words aloud, and, for the
 * person's own messages, what happened to it as far as the tablet knows: waiting to go
 * when messaging opens (with "Do not send it", which brings the words back to write
 * again), sent, delivered (the family service has it), held for a staff check (with the
 * reason), or not sent (with the reason and "Ask staff to look at this"). Whether a
 * family member has read it is not known to the tablet, so it is never said.
 * Requests to look again and staff answers sit in the same conversation. Under the newest
 * message: when staff have read it ("Read by staff (officer, Today, 14:05)") and, when
 * sending is closed now, the policy's reason. New messages are fetched every 30 seconds
 * while it is open, and what is shown is marked as read.
 */
#include "msgapp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REFRESH_MS 30000
#define PAGE 20
#define INDENT_MM 30.0

/* What a tap on a bubble's button needs to know. */
struct ask {
	struct msgapp *m;
	int64_t id;
};

static struct ask asks[MSGAPP_VIEW_MAX];

void
thread_release(struct msgapp *m)
{
	for (size_t i = 0; i < m->n_view; i++)
		free(m->view[i]);
	m->n_view = 0;
	reply_page_release(&m->page);
}

static void
on_ask(struct ui_widget *w, void *userdata)
{
	struct ask *a = userdata;

	thread_ask_review(a->m, a->id);
}

static void
on_cancel(struct ui_widget *w, void *userdata)
{
	struct ask *a = userdata;

	msgapp_call(a->m, CALL_CANCEL, "onward.Message.Cancel",
	            json_pack("{s:I}", "id", (json_int_t)a->id));
}

void
thread_on_cancelled(struct msgapp *m, const struct client_reply *r)
{
	char with[MSG_WITH_MAX + 1];
	char *text = malloc(MSG_TEXT_MAX + 1);
	int64_t id;

	if (r->error || !text || reply_read_cancel(r->parameters, &id, with, text) < 0) {
		msgapp_say(m, m->thread_message,
		           r->error && client_reply_message(r)[0]
		                   ? client_reply_message(r)
		                   : ui_app_tr(m->app, N_("Something went wrong.")));
		free(text);
		thread_refresh(m);
		return;
	}
	/* Nothing written is lost: the words wait in "Write a message" for this person. */
	compose_keep_draft(m, with, text);
	free(text);
	msgapp_say(m, m->thread_message,
	           ui_app_tr(m->app, N_("It will not be sent. Your words are kept in Write a "
	                                "message.")));
	thread_refresh(m);
}

void
thread_ask_review(struct msgapp *m, int64_t message_id)
{
	m->review_message = message_id;
	msgapp_call(m, CALL_ASK_REVIEW, "onward.Message.AskReview",
	            json_pack("{s:I}", "message", (json_int_t)message_id));
}

/* Who wrote it and when, in words. */
static void
bubble_meta(struct msgapp *m, const struct msg_item *it, char *buf, size_t size)
{
	char when[48];

	msgapp_when(m, m->page.today, it->date, it->time, when, sizeof(when));
	if (strcmp(it->kind, "review") == 0)
		snprintf(buf, size, "%s · %s",
		         ui_app_tr(m->app, N_("You asked staff to look again")), when);
	else if (strcmp(it->from, "you") == 0)
		snprintf(buf, size, "%s · %s", ui_app_tr(m->app, N_("You")), when);
	else if (strcmp(it->from, "staff") == 0)
		snprintf(buf, size, "%s%s (%s) · %s",
		         strcmp(it->kind, "answer") == 0 ? ui_app_tr(m->app, N_("Answer from "))
		                                         : "",
		         it->author_name, msgapp_role(m, it->author_role), when);
	else
		snprintf(buf, size, "%s · %s", m->name, when);
}

/* What happened to it, in words, with the reason when there is one. */
static void
bubble_status(struct msgapp *m, const struct msg_item *it, char *buf, size_t size)
{
	const char *words = "";

	buf[0] = '\0';
	if (strcmp(it->kind, "review") == 0) {
		snprintf(buf, size, "%s %s %s",
		         ui_app_tr(m->app, strcmp(it->status, "answered") == 0
		                                   ? N_("Staff have answered.")
		                                   : N_("Staff will look at this.")),
		         ui_app_tr(m->app, N_("The reason it was not sent:")), it->reason);
		return;
	}
	/* The person's own: as far as the tablet knows. A family member's reading it is not
	 * known here, so it is never claimed. */
	if (strcmp(it->from, "you") != 0)
		words = it->read ? "" : N_("New");
	else if (strcmp(it->status, "waiting") == 0) {
		msgapp_waiting(m, m->page.opens_time, buf, size);
		return;
	} else if (strcmp(it->status, "held") == 0)
		words = N_("Held for a staff check.");
	else if (strcmp(it->status, "rejected") == 0)
		words = N_("Not sent.");
	else if (strcmp(it->status, "delivered") == 0)
		words = it->delivered ? N_("Delivered.") : N_("Sent.");
	snprintf(buf, size, "%s%s%s", words[0] ? ui_app_tr(m->app, words) : "",
	         words[0] && it->reason[0] ? " " : "", it->reason);
}

/* True if the person has already asked staff to look at message id. */
static bool
reviewed(const struct msgapp *m, int64_t id)
{
	for (size_t i = 0; i < m->n_view; i++)
		if (strcmp(m->view[i]->kind, "review") == 0 && m->view[i]->about == id)
			return true;
	return false;
}

static struct ui_widget *
bubble(struct msgapp *m, const struct msg_item *it, size_t index)
{
	bool mine = strcmp(it->from, "you") == 0;
	enum ui_align side = mine ? UI_ALIGN_END : UI_ALIGN_START;
	struct ui_widget *outer = ui_box_new(UI_HORIZONTAL), *body, *row, *text, *w;
	char id[48], meta[MSG_NAME_MAX + 128], status[MSG_REASON_MAX + 128];

	/* The person's own words sit on the right, the other side's on the left. */
	if (mine)
		ui_widget_add(outer, ui_spacer_new(INDENT_MM, 0));
	body = ui_widget_add(outer, ui_box_new(UI_VERTICAL));
	ui_widget_set_expand(body, 1);
	ui_box_set_spacing(body, UI_SPACE_SMALL);
	snprintf(id, sizeof(id), "msg-%lld", (long long)it->id);
	ui_widget_set_id(outer, id);

	/* Who and when, with the speaker button that reads the words aloud. */
	row = ui_widget_add(body, ui_box_new(UI_HORIZONTAL));
	ui_widget_set_align(row, side);
	bubble_meta(m, it, meta, sizeof(meta));
	w = ui_widget_add(row, ui_label_new(meta));
	ui_widget_set_translate(w, false);
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	snprintf(id, sizeof(id), "msg-%lld-who", (long long)it->id);
	ui_widget_set_id(w, id);
	text = ui_label_new(it->text[0] ? it->text
	                                : ui_app_tr(m->app, N_("Please look at this again.")));
	if (!text)
		return outer; /* out of memory: the bubble shows who and when only */
	w = ui_widget_add(row, ui_speak_button_new(text));
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	snprintf(id, sizeof(id), "msg-%lld-speak", (long long)it->id);
	ui_widget_set_id(w, id);

	/* The words themselves. */
	ui_widget_add(body, text);
	ui_widget_set_translate(text, false);
	ui_widget_set_align(text, side);
	snprintf(id, sizeof(id), "msg-%lld-text", (long long)it->id);
	ui_widget_set_id(text, id);
	if (it->quote[0]) {
		size_t n = strlen(it->quote) + 64;
		char *quoted = malloc(n);

		if (quoted) {
			snprintf(quoted, n, "%s \xE2\x80\x9C%s\xE2\x80\x9D",
			         ui_app_tr(m->app, N_("What you wrote:")), it->quote);
			w = ui_widget_add(body, ui_label_new(quoted));
			ui_widget_set_translate(w, false);
			ui_widget_set_align(w, side);
			free(quoted);
		}
	}

	/* What happened to it, and the way to ask about a stopped one. */
	bubble_status(m, it, status, sizeof(status));
	if (status[0]) {
		w = ui_widget_add(body, ui_label_new(status));
		ui_widget_set_translate(w, false);
		ui_widget_set_align(w, side);
		snprintf(id, sizeof(id), "msg-%lld-status", (long long)it->id);
		ui_widget_set_id(w, id);
	}
	if (mine && strcmp(it->kind, "message") == 0 && strcmp(it->status, "rejected") == 0 &&
	    index < MSGAPP_VIEW_MAX && !reviewed(m, it->id)) {
		asks[index] = (struct ask){m, it->id};
		w = ui_widget_add(
		        body, ui_button_new(N_("Ask staff to look at this"), UI_ICON_ASK_STAFF));
		snprintf(id, sizeof(id), "msg-%lld-ask", (long long)it->id);
		ui_widget_set_id(w, id);
		ui_widget_set_align(w, UI_ALIGN_END);
		ui_widget_set_on_click(w, on_ask, &asks[index]);
	}
	if (mine && strcmp(it->kind, "message") == 0 && strcmp(it->status, "waiting") == 0 &&
	    index < MSGAPP_VIEW_MAX) {
		/* Waiting to go: the person can still take it back, and keep the words. */
		asks[index] = (struct ask){m, it->id};
		w = ui_widget_add(body, ui_button_new(N_("Do not send it"), UI_ICON_NONE));
		snprintf(id, sizeof(id), "msg-%lld-cancel", (long long)it->id);
		ui_widget_set_id(w, id);
		ui_widget_set_align(w, UI_ALIGN_END);
		ui_widget_set_on_click(w, on_cancel, &asks[index]);
	}
	if (!mine)
		ui_widget_add(outer, ui_spacer_new(INDENT_MM, 0));
	return outer;
}

/* The notice under the title, the staff reads, and every bubble, from the view. */
static void
render(struct msgapp *m)
{
	char reads[MSG_READS_MAX * 96] = "";
	size_t n = 0;

	if (!m->page.can_read && m->page.read_reason[0])
		msgapp_say(m, m->thread_notice, m->page.read_reason);
	else if (!m->page.can_send && m->page.send_reason[0])
		msgapp_say(m, m->thread_notice, m->page.send_reason);
	else
		msgapp_say(m, m->thread_notice, "");
	for (size_t i = 0; i < m->page.n_reads && n < sizeof(reads); i++) {
		const struct msg_staff_read *rd = &m->page.reads[i];
		char when[48];

		/* Staff in the same role reading it again in the same minute says nothing new. */
		if (i > 0 && strcmp(rd->role, m->page.reads[i - 1].role) == 0 &&
		    strcmp(rd->date, m->page.reads[i - 1].date) == 0 &&
		    strcmp(rd->time, m->page.reads[i - 1].time) == 0)
			continue;
		msgapp_when(m, m->page.today, rd->date, rd->time, when, sizeof(when));
		n += (size_t)snprintf(reads + n, sizeof(reads) - n, "%s%s (%s, %s)", n ? "\n" : "",
		                      ui_app_tr(m->app, N_("Read by staff")),
		                      msgapp_role(m, rd->role), when);
	}
	msgapp_say(m, m->thread_reads, reads);
	ui_widget_set_visible(m->thread_earlier, m->more && m->n_view < MSGAPP_VIEW_MAX);
	ui_widget_clear(m->thread_box);
	for (size_t i = 0; i < m->n_view; i++)
		ui_widget_add(m->thread_box, bubble(m, m->view[i], i));
	if (m->n_view == 0)
		ui_widget_add(m->thread_box,
		              ui_label_new(N_("No messages yet. Write the first one.")));
}

/* Adds the page to the view: the newest page replaces what it covers; an earlier one goes
 * in front. Takes the page's items. */
static void
merge(struct msgapp *m, bool earlier)
{
	struct msg_item *merged[MSGAPP_VIEW_MAX];
	size_t n = 0, keep_from = 0;

	if (earlier) {
		for (size_t i = 0; i < m->page.n && n < MSGAPP_VIEW_MAX; i++)
			merged[n++] = m->page.items[i];
		for (size_t i = 0; i < m->n_view; i++) {
			if (n < MSGAPP_VIEW_MAX)
				merged[n++] = m->view[i];
			else
				free(m->view[i]);
		}
		m->more = m->page.more;
	} else {
		int64_t first = m->page.n ? m->page.items[0]->id : INT64_MAX;
		bool first_load = m->n_view == 0;

		/* Older items loaded before stay; what the newest page covers is replaced. */
		for (size_t i = 0; i < m->n_view; i++) {
			if (m->view[i]->id < first && m->page.more)
				merged[n++] = m->view[i];
			else
				free(m->view[i]);
		}
		if (n + m->page.n > MSGAPP_VIEW_MAX)
			keep_from = n + m->page.n - MSGAPP_VIEW_MAX;
		for (size_t i = 0; i < keep_from; i++)
			free(merged[i]);
		memmove(merged, merged + keep_from, (n - keep_from) * sizeof(merged[0]));
		n -= keep_from;
		for (size_t i = 0; i < m->page.n; i++)
			merged[n++] = m->page.items[i];
		if (!m->page.more)
			m->more = false;
		else if (first_load || keep_from)
			m->more = true;
	}
	m->page.n = 0; /* the items belong to the view now */
	memcpy(m->view, merged, n * sizeof(merged[0]));
	m->n_view = n;
}

static void
on_refresh(struct ui_app *app, void *userdata)
{
	struct msgapp *m = userdata;

	m->refresh_timer = 0;
	if (strcmp(ui_app_get_screen(app), "thread") == 0 ||
	    strcmp(ui_app_get_screen(app), "compose") == 0)
		thread_refresh(m);
}

void
thread_refresh(struct msgapp *m)
{
	if (!m->with[0])
		return;
	msgapp_call(m, CALL_THREAD, "onward.Message.Thread",
	            json_pack("{s:s, s:i}", "with", m->with, "limit", PAGE));
	if (m->refresh_timer)
		ui_app_remove_timer(m->app, m->refresh_timer);
	ui_app_add_timer(m->app, REFRESH_MS, on_refresh, m, &m->refresh_timer);
}

void
thread_open(struct msgapp *m, const struct msg_thread_row *row)
{
	thread_release(m);
	memset(&m->page, 0, sizeof(m->page));
	m->more = false;
	snprintf(m->with, sizeof(m->with), "%s", row->with);
	m->worker = row->worker;
	if (row->worker)
		snprintf(m->name, sizeof(m->name), "%s", ui_app_tr(m->app, N_("My worker")));
	else
		snprintf(m->name, sizeof(m->name), "%s", row->name);
	ui_label_set_text(m->thread_title, m->name);
	m->page.can_send = row->can_send;
	m->page.can_send_later = row->can_send_later;
	snprintf(m->page.opens_time, sizeof(m->page.opens_time), "%s", row->opens_time);
	m->page.can_read = true;
	snprintf(m->page.send_reason, sizeof(m->page.send_reason), "%s", row->send_reason);
	render(m);
	msgapp_say(m, m->thread_message, ui_app_tr(m->app, N_("Loading…")));
	ui_app_push_screen(m->app, "thread");
	thread_refresh(m);
}

void
thread_on_reply(struct msgapp *m, enum msgapp_call kind, const struct client_reply *r)
{
	struct msg_page page;
	int64_t newest_unread = 0;

	if (kind == CALL_MARK_READ)
		return; /* the list's counts are refreshed on the way back */
	if (r->error) {
		msgapp_say(m, m->thread_message,
		           client_reply_message(r)[0]
		                   ? client_reply_message(r)
		                   : ui_app_tr(m->app, N_("Something went wrong.")));
		return;
	}
	if (reply_read_page(r->parameters, &page) < 0) {
		msgapp_say(m, m->thread_message,
		           ui_app_tr(m->app, N_("This conversation could not be read.")));
		return;
	}
	if (strcmp(page.with, m->with) != 0) {
		/* An answer for a conversation the person has already left. */
		reply_page_release(&page);
		return;
	}
	reply_page_release(&m->page);
	m->page = page;
	if (m->worker && m->page.name[0]) {
		char title[2 * MSG_NAME_MAX + 8];

		snprintf(title, sizeof(title), "%s: %s", ui_app_tr(m->app, N_("My worker")),
		         m->page.name);
		ui_label_set_text(m->thread_title, title);
	}
	merge(m, kind == CALL_THREAD_EARLIER);
	msgapp_say(m, m->thread_message, "");
	render(m);
	for (size_t i = 0; i < m->n_view; i++)
		if (strcmp(m->view[i]->from, "you") != 0 && !m->view[i]->read)
			newest_unread = m->view[i]->id;
	if (newest_unread)
		msgapp_call(m, CALL_MARK_READ, "onward.Message.MarkRead",
		            json_pack("{s:s, s:I}", "with", m->with, "up_to",
		                      (json_int_t)newest_unread));
	/* Newest last: bring the end of the conversation, and the button under it, into view. */
	if (kind == CALL_THREAD && strcmp(ui_app_get_screen(m->app), "thread") == 0)
		ui_app_focus(m->app, m->thread_write);
}

static void
on_back(struct ui_widget *w, void *userdata)
{
	struct msgapp *m = userdata;

	if (m->refresh_timer)
		ui_app_remove_timer(m->app, m->refresh_timer);
	m->refresh_timer = 0;
	m->with[0] = '\0';
	ui_app_back(m->app);
	threads_refresh(m);
}

static void
on_earlier(struct ui_widget *w, void *userdata)
{
	struct msgapp *m = userdata;

	if (m->n_view == 0)
		return;
	msgapp_call(m, CALL_THREAD_EARLIER, "onward.Message.Thread",
	            json_pack("{s:s, s:I, s:i}", "with", m->with, "before",
	                      (json_int_t)m->view[0]->id, "limit", PAGE));
}

static void
on_write(struct ui_widget *w, void *userdata)
{
	compose_open(userdata);
}

struct ui_widget *
thread_build(struct msgapp *m)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL);

	ui_box_set_padding(col, UI_SPACE_LARGE);
	m->thread_title = ui_title_row_add(col, "thread-back", on_back, m, ui_heading_new(""),
	                                   "thread-title");
	ui_widget_set_translate(m->thread_title, false);
	m->thread_earlier = ui_button_add(col, N_("Show earlier messages"), UI_ICON_LIST,
	                                  "thread-earlier", on_earlier, m);
	m->thread_box = ui_widget_add(col, ui_box_new(UI_VERTICAL));
	ui_widget_set_id(m->thread_box, "thread-messages");
	ui_box_set_spacing(m->thread_box, UI_SPACE_LARGE);
	/* Under the newest message, where the person is looking: who of staff has read the
	 * conversation, and why sending is closed now. */
	m->thread_reads = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(m->thread_reads, "thread-reads");
	ui_widget_set_translate(m->thread_reads, false);
	m->thread_notice = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(m->thread_notice, "thread-notice");
	ui_widget_set_translate(m->thread_notice, false);
	m->thread_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(m->thread_message, "thread-message");
	ui_widget_set_translate(m->thread_message, false);
	/* A long conversation scrolls under the title row, which keeps Home and Back. */
	m->thread_write =
	        ui_button_add(col, N_("Write a message"), UI_ICON_MESSAGE, "write", on_write, m);
	return col;
}

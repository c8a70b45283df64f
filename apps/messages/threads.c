/*
 * The first screen: the person's conversations (onward.Message.Threads). "My worker" is
 * always first, then each approved contact (and any still waiting for staff), with how
 * many new messages each has, the start of the last message and when ("Today 14:05",
 * "Yesterday", "Mon 7 Dec") and, when policy has closed sending for now, the reason in
 * plain words. A long press on a row reads it aloud.
 */
#include "msgapp.h"

#include <stdio.h>
#include <string.h>

/* A staff role in words a person uses. */
static const char *
role_words(struct msgapp *m, const char *role)
{
	static const char *const words[][2] = {
	        {"key_worker", N_("key worker")},   {"probation", N_("probation officer")},
	        {"officer", N_("officer")},         {"education", N_("education")},
	        {"housing", N_("housing officer")}, {"administrator", N_("staff")},
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(role, words[i][0]) == 0)
			return ui_app_tr(m->app, words[i][1]);
	return role;
}

/*
 * A contact's relation in the app's language: staff write one word ("mother"), and the
 * usual ones are in the catalogue; any other is shown as staff wrote it.
 */
static const char *
relation_words(const struct msgapp *m, const char *relation)
{
	static const char *const known[] = {
	        N_("mother"),      N_("father"),      N_("parent"),     N_("partner"),
	        N_("wife"),        N_("husband"),     N_("son"),        N_("daughter"),
	        N_("child"),       N_("brother"),     N_("sister"),     N_("grandmother"),
	        N_("grandfather"), N_("grandparent"), N_("grandchild"), N_("aunt"),
	        N_("uncle"),       N_("cousin"),      N_("friend"),     N_("carer"),
	        N_("solicitor"),   N_("other"),
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(relation, known[i]) == 0)
			return ui_app_tr(m->app, known[i]);
	return relation;
}

const char *
msgapp_role(struct msgapp *m, const char *role)
{
	return role_words(m, role);
}

#define PREVIEW_CHARS 40

/* " · Yesterday · You: the start of it…" into buf; returns the bytes written. */
static size_t
preview(struct msgapp *m, const struct msg_thread_row *t, char *buf, size_t size)
{
	char when[64], cut[MSG_PREVIEW_MAX + 4];
	size_t n = 0, chars = 0, k;
	int w;

	for (k = 0; t->last_text[k] && chars <= PREVIEW_CHARS; k++) {
		if (((unsigned char)t->last_text[k] & 0xc0) != 0x80 && ++chars > PREVIEW_CHARS)
			break;
		/* One line in the list: a line break reads as a space. */
		cut[n++] = t->last_text[k] == '\n' ? ' ' : t->last_text[k];
	}
	if (t->last_text[k] || t->last_cut) {
		memcpy(cut + n, "\xE2\x80\xA6", 3); /* … */
		n += 3;
	}
	cut[n] = '\0';
	msgapp_day(m, m->threads->today, t->last_date, t->last_time, when, sizeof(when));
	w = snprintf(buf, size, " · %s%s%s%s", when, cut[0] ? " · " : "",
	             cut[0] && strcmp(t->last_from, "you") == 0 ? ui_app_tr(m->app, N_("You: "))
	                                                        : "",
	             cut);
	return w < 0 ? 0 : (size_t)w >= size ? size - 1 : (size_t)w;
}

static int
thread_row(void *userdata, size_t row, struct ui_list_row *ret)
{
	struct msgapp *m = userdata;
	const struct msg_thread_row *t;
	size_t n;

	if (row >= m->threads->n)
		return -1;
	t = &m->threads->rows[row];
	if (t->worker) {
		snprintf(m->row_text, sizeof(m->row_text), "%s",
		         ui_app_tr(m->app, N_("My worker")));
		if (t->name[0])
			n = (size_t)snprintf(m->row_detail, sizeof(m->row_detail), "%s, %s",
			                     t->name, role_words(m, t->role));
		else
			n = (size_t)snprintf(m->row_detail, sizeof(m->row_detail), "%s",
			                     ui_app_tr(m->app, N_("No worker named yet")));
	} else {
		snprintf(m->row_text, sizeof(m->row_text), "%s", t->name);
		n = (size_t)snprintf(m->row_detail, sizeof(m->row_detail), "%s",
		                     relation_words(m, t->relation));
		if (strcmp(t->contact_status, "pending") == 0)
			n += (size_t)snprintf(
			        m->row_detail + n, sizeof(m->row_detail) - n, " · %s",
			        ui_app_tr(m->app, N_("waiting for staff to approve")));
	}
	/* The last message and when, as people say it: "Yesterday · You: See you Sat…". */
	if (t->last_date[0] && n < sizeof(m->row_detail))
		n += preview(m, t, m->row_detail + n, sizeof(m->row_detail) - n);
	/* New messages on the main line, where they are seen first. */
	if (t->unread > 0) {
		size_t k = strlen(m->row_text);

		snprintf(
		        m->row_text + k, sizeof(m->row_text) - k, " · %lld %s",
		        (long long)t->unread,
		        ui_app_tr(m->app, t->unread == 1 ? N_("new message") : N_("new messages")));
	}
	if (!t->can_send && t->send_reason[0] && n < sizeof(m->row_detail))
		snprintf(m->row_detail + n, sizeof(m->row_detail) - n, " · %s", t->send_reason);
	ret->text = m->row_text;
	ret->detail = m->row_detail;
	return 0;
}

static void
on_select(struct ui_widget *list, size_t row, void *userdata)
{
	struct msgapp *m = userdata;

	if (row < m->threads->n)
		thread_open(m, &m->threads->rows[row]);
}

struct ui_widget *
threads_build(struct msgapp *m)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_title_row_add(col, NULL, NULL, NULL, ui_heading_new(N_("Messages")), "threads-title");
	w = ui_widget_add(col, ui_label_new(N_("Choose who to write to. Your worker can always "
	                                       "get your messages.")));
	ui_widget_set_id(w, "threads-help");
	m->threads_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(m->threads_message, "threads-message");
	ui_widget_set_translate(m->threads_message, false);
	m->threads_list = ui_widget_add(col, ui_list_new(0, thread_row, m));
	ui_widget_set_id(m->threads_list, "threads");
	ui_widget_set_expand(m->threads_list, 1);
	ui_list_set_on_select(m->threads_list, on_select, m);
	return col;
}

void
threads_refresh(struct msgapp *m)
{
	if (m->threads->n == 0)
		msgapp_say(m, m->threads_message, ui_app_tr(m->app, N_("Loading…")));
	msgapp_call(m, CALL_THREADS, "onward.Message.Threads", NULL);
}

void
threads_on_reply(struct msgapp *m, const struct client_reply *r)
{
	if (r->error) {
		msgapp_say(m, m->threads_message,
		           client_reply_message(r)[0]
		                   ? client_reply_message(r)
		                   : ui_app_tr(m->app, N_("Something went wrong.")));
		return;
	}
	if (reply_read_threads(r->parameters, m->threads) < 0) {
		m->threads->n = 0;
		msgapp_say(
		        m, m->threads_message,
		        ui_app_tr(m->app, N_("Your messages could not be read. Try again later.")));
	} else {
		m->chars_max = m->threads->chars_max;
		msgapp_say(m, m->threads_message, "");
	}
	ui_list_set_rows(m->threads_list, m->threads->n);
}

/*
 * onward-app-messages: what the app tells onward_app_main() (see msgapp.h for the tour),
 * and its calls: each is sent without blocking, and its reply goes to the screen that
 * asked. Home (the toolkit's, at the top left of every screen) ends the app with status
 * 0, which takes the person back to the shell's home screen; with words written and not
 * sent, it asks first ("Stay and finish it" or "Leave without sending").
 */
#include "msgapp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
msgapp_say(struct msgapp *m, struct ui_widget *label, const char *text)
{
	ui_label_set_text(label, text);
	ui_widget_set_visible(label, text && text[0]);
}

const char *
msgapp_when(struct msgapp *m, const char *today, const char *date, const char *time, char *buf,
            size_t size)
{
	if (!date[0])
		snprintf(buf, size, "%s", time);
	else if (today[0] && strcmp(today, date) == 0)
		snprintf(buf, size, "%s, %s", ui_app_tr(m->app, N_("Today")), time);
	else /* YYYY-MM-DD as DD/MM/YYYY, as people in the UK write it */
		snprintf(buf, size, "%.2s/%.2s/%.4s, %s", date + 8, date + 5, date, time);
	return buf;
}

const char *
msgapp_waiting(struct msgapp *m, const char *opens_time, char *buf, size_t size)
{
	if (opens_time && opens_time[0])
		snprintf(buf, size, "%s %s.",
		         ui_app_tr(m->app, N_("Waiting: it will go when messaging opens at")),
		         opens_time);
	else
		snprintf(buf, size, "%s",
		         ui_app_tr(m->app, N_("Waiting: it will go when messaging opens.")));
	return buf;
}

/* Days since 1970-01-01 of a YYYY-MM-DD date (Howard Hinnant's days_from_civil). */
static long
civil_days(int y, int mo, int d)
{
	long era, yoe, doy;

	y -= mo <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static bool
parse_date(const char *s, int *y, int *mo, int *d)
{
	return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", y, mo, d) == 3 && *mo >= 1 &&
	       *mo <= 12 && *d >= 1 && *d <= 31;
}

const char *
msgapp_day(struct msgapp *m, const char *today, const char *date, const char *time, char *buf,
           size_t size)
{
	static const char *const weekdays[] = {N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"),
	                                       N_("Fri"), N_("Sat"), N_("Sun")};
	static const char *const months[] = {N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"),
	                                     N_("May"), N_("Jun"), N_("Jul"), N_("Aug"),
	                                     N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec")};
	int y, mo, d, ty, tmo, td;
	long days, ago;

	buf[0] = '\0';
	if (!parse_date(date, &y, &mo, &d))
		return buf;
	days = civil_days(y, mo, d);
	ago = parse_date(today, &ty, &tmo, &td) ? civil_days(ty, tmo, td) - days : -1;
	if (ago == 0)
		snprintf(buf, size, "%s %s", ui_app_tr(m->app, N_("Today")), time);
	else if (ago == 1)
		snprintf(buf, size, "%s", ui_app_tr(m->app, N_("Yesterday")));
	else /* 1970-01-01 was a Thursday */
		snprintf(buf, size, "%s %d %s", ui_app_tr(m->app, weekdays[((days % 7) + 10) % 7]),
		         d, ui_app_tr(m->app, months[mo - 1]));
	return buf;
}

static void
on_reply(struct channel *ch, int status, struct client_reply *r, void *userdata)
{
	const struct msgapp_kind *k = userdata;

	if (!r)
		return; /* the channel has gone: stop() has said so */
	switch (k->kind) {
	case CALL_THREADS:
		threads_on_reply(k->m, r);
		break;
	case CALL_THREAD:
	case CALL_THREAD_EARLIER:
	case CALL_MARK_READ:
		thread_on_reply(k->m, k->kind, r);
		break;
	case CALL_SEND:
	case CALL_ASK_REVIEW:
	case CALL_WORDS:
		compose_on_reply(k->m, k->kind, r);
		break;
	case CALL_CANCEL:
		thread_on_cancelled(k->m, r);
		break;
	case CALL_KINDS_:
		break;
	}
}

bool
msgapp_call(struct msgapp *m, enum msgapp_call kind, const char *method, json_t *params)
{
	int r = channel_call(m->channel, method, params, on_reply, &m->kinds[kind]);

	if (r == -EBUSY || r == -ENOTCONN)
		ui_app_show_banner(m->app,
		                   r == -EBUSY ? N_("Please wait a moment and try again.")
		                               : N_("Open Messages from the home screen."),
		                   4000, NULL, NULL);
	else if (r < 0)
		channel_close(m->channel, r); /* a call it cannot send: start again from home */
	return r == 0;
}

static void
on_leave_answer(struct ui_app *app, int button, void *userdata)
{
	if (button == 1)
		ui_app_quit(app, 0);
}

/* Home: words written and not sent would be lost with the app, so it asks first. */
static void
on_home(struct ui_widget *w, void *userdata)
{
	static const char *const buttons[] = {N_("Stay and finish it"),
	                                      N_("Leave without sending")};
	struct msgapp *m = userdata;

	if (!compose_has_unsent(m)) {
		ui_app_quit(m->app, 0);
		return;
	}
	ui_app_show_dialog(m->app,
	                   N_("Your message is not sent yet. If you leave Messages now, it will "
	                      "be lost."),
	                   buttons, 2, on_leave_answer, m);
}

static int
start(struct ui_app *ui, struct channel *ch, void *data)
{
	struct msgapp *m = data;
	int r;

	m->app = ui;
	ui_app_set_home(ui, on_home, m); /* before the screens: their Home buttons take it */
	m->channel = ch;
	m->chars_max = 1000;
	for (int i = 0; i < CALL_KINDS_; i++)
		m->kinds[i] = (struct msgapp_kind){m, (enum msgapp_call)i};
	m->threads = calloc(1, sizeof(*m->threads));
	if (!m->threads)
		return -ENOMEM;
	r = ui_app_add_screen(m->app, "threads", threads_build(m));
	r = r ?: ui_app_add_screen(m->app, "thread", thread_build(m));
	r = r ?: ui_app_add_screen(m->app, "compose", compose_build(m));
	if (r == 0 && ch)
		threads_refresh(m);
	return r;
}

static void
stop(int reason, void *data)
{
	struct msgapp *m = data;

	if (reason == -EBADF) {
		msgapp_say(m, m->threads_message,
		           ui_app_tr(m->app, N_("Open Messages from the home screen.")));
		return;
	}
	ui_app_show_banner(m->app,
	                   N_("The tablet service is not answering. Go back to home and try "
	                      "again."),
	                   0, NULL, NULL);
}

static void
release(void *data)
{
	struct msgapp *m = data;

	thread_release(m);
	compose_release(m);
	free(m->threads);
}

static const struct onward_app messages_app = {
        .name = "onward-app-messages",
        .title = "Onward messages",
        .about = "Messages with your worker and your approved contacts.\n",
        .start = start,
        .stop = stop,
        .release = release,
};

ONWARD_APP_MAIN(messages_app, struct msgapp)

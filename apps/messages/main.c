/*
 * onward-app-messages: start-up, the channel and the reply loop (see msgapp.h for the
 * tour). The app takes its channel from descriptor 3 (ONWARD_CHANNEL_FD, set by
 * onward-launch), sends every call without blocking and reads replies as the socket
 * becomes readable, handing each to the screen that asked. "Back to home" ends it with
 * status 0, which takes the person back to the shell's home screen.
 *
 * ONWARD_APP_SCRIPT (TEST ONLY): when set and --script is not given, the app runs that
 * toolkit script, so end-to-end tests can drive it when the shell launches it.
 */
#include "msgapp.h"

#include <errno.h>
#include <poll.h>
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

static void
channel_gone(struct msgapp *m)
{
	if (m->watch)
		ui_app_unwatch_fd(m->app, m->watch);
	m->watch = 0;
	m->gone = true;
	ui_app_show_banner(m->app,
	                   N_("The tablet service is not answering. Go back to home and try "
	                      "again."),
	                   0, NULL, NULL);
}

bool
msgapp_call(struct msgapp *m, enum msgapp_call kind, const char *method, json_t *params)
{
	int r;

	if (!m->channel || m->gone || m->pending_n == MSGAPP_PENDING_MAX) {
		json_decref(params);
		ui_app_show_banner(m->app,
		                   m->channel && !m->gone
		                           ? N_("Please wait a moment and try again.")
		                           : N_("Open Messages from the home screen."),
		                   4000, NULL, NULL);
		return false;
	}
	r = client_send(m->channel, method, params);
	if (r < 0) {
		channel_gone(m);
		return false;
	}
	m->pending[(m->pending_head + m->pending_n) % MSGAPP_PENDING_MAX] = kind;
	m->pending_n++;
	ui_app_watch_set_events(m->app, m->watch, POLLIN | POLLOUT);
	return true;
}

static void
dispatch(struct msgapp *m, const struct client_reply *r)
{
	enum msgapp_call kind;

	if (m->pending_n == 0)
		return; /* a reply nobody asked for: ignore it */
	kind = m->pending[m->pending_head];
	m->pending_head = (m->pending_head + 1) % MSGAPP_PENDING_MAX;
	m->pending_n--;
	switch (kind) {
	case CALL_THREADS:
		threads_on_reply(m, r);
		break;
	case CALL_THREAD:
	case CALL_THREAD_EARLIER:
	case CALL_MARK_READ:
		thread_on_reply(m, kind, r);
		break;
	case CALL_SEND:
	case CALL_ASK_REVIEW:
		compose_on_reply(m, kind, r);
		break;
	}
}

static void
on_channel(struct ui_app *app, int fd, short revents, void *userdata)
{
	struct msgapp *m = userdata;
	struct client_reply reply = {.fd = -1};
	int r;

	if (revents & POLLOUT) {
		r = client_flush(m->channel);
		if (r == 0)
			ui_app_watch_set_events(app, m->watch, POLLIN);
		else if (r != -EAGAIN) {
			channel_gone(m);
			return;
		}
	}
	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	while ((r = client_receive(m->channel, &reply)) == 0) {
		dispatch(m, &reply);
		client_reply_release(&reply);
	}
	if (r != -EAGAIN)
		channel_gone(m);
}

/* Adopts descriptor 3 and asks for the list of conversations. */
static void
open_channel(struct msgapp *m)
{
	const char *fd = secure_getenv("ONWARD_CHANNEL_FD");
	int r;

	if (!fd || strcmp(fd, "3") != 0) {
		msgapp_say(m, m->threads_message,
		           ui_app_tr(m->app, N_("Open Messages from the home screen.")));
		return;
	}
	r = client_adopt(3, &m->channel);
	if (r == 0)
		r = ui_app_watch_fd(m->app, 3, POLLIN, on_channel, m, &m->watch);
	if (r < 0) {
		client_free(m->channel);
		m->channel = NULL;
		msgapp_say(m, m->threads_message, ui_app_tr(m->app, N_("Something went wrong.")));
		return;
	}
	threads_refresh(m);
}

int
main(int argc, char **argv)
{
	struct msgapp m = {0};
	struct ui_app_config config;
	char error[256] = "";
	int r;

	ui_app_config_init(&config);
	config.error = error;
	config.error_size = sizeof(error);
	if (ui_args_parse(&config, argc, argv) < 0) {
		fprintf(stderr, "onward-app-messages: %s\n", error);
		return 2;
	}
	if (config.help) {
		printf("Usage: onward-app-messages [OPTION]...\n"
		       "Messages with your worker and your approved contacts. Started by the\n"
		       "shell through onward-launch, with its channel on descriptor 3.\n\n%s",
		       ui_args_usage());
		return 0;
	}
	if (!config.script_path)
		config.script_path = secure_getenv("ONWARD_APP_SCRIPT"); /* tests only */
	config.title = "Onward messages";
	config.text_domain = "onward-app-messages";
	m.chars_max = 1000;
	m.threads = calloc(1, sizeof(*m.threads));
	if (!m.threads) {
		fprintf(stderr, "onward-app-messages: out of memory\n");
		return 1;
	}
	r = ui_app_new(&config, &m.app);
	if (r < 0) {
		fprintf(stderr, "onward-app-messages: %s\n", error[0] ? error : "cannot start");
		free(m.threads);
		return 1;
	}
	r = ui_app_add_screen(m.app, "threads", threads_build(&m));
	if (r == 0)
		r = ui_app_add_screen(m.app, "thread", thread_build(&m));
	if (r == 0)
		r = ui_app_add_screen(m.app, "compose", compose_build(&m));
	if (r < 0) {
		fprintf(stderr, "onward-app-messages: cannot build the screens: %s\n",
		        strerror(-r));
		ui_app_free(m.app);
		free(m.threads);
		return 1;
	}
	open_channel(&m);
	r = ui_app_run(m.app);
	if (r < 0)
		fprintf(stderr, "onward-app-messages: %s\n", ui_app_get_error(m.app));
	if (m.watch)
		ui_app_unwatch_fd(m.app, m.watch);
	ui_app_free(m.app);
	client_free(m.channel);
	thread_release(&m);
	free(m.threads);
	return r < 0 ? 1 : r;
}

/*
 * A channel on the UI loop (onward_app_watch_channel() in onward/app.h): the channel says
 * what to wait for through its watch function, and this turns that into a watched
 * descriptor and a timer. The small struct lives exactly as long as the channel needs
 * watching: the channel's last word (events 0) unwatches and frees it.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include <onward/app.h>

struct channel_watch {
	struct ui_app *app; /* borrowed: the program's */
	struct channel *ch; /* borrowed: its owner frees it, and that ends this */
	unsigned watch; /* the descriptor's watch */
	unsigned timer; /* 0 when no deadline is waiting */
};

static void
on_ready(struct ui_app *app, int fd, short revents, void *userdata)
{
	struct channel_watch *w = userdata;

	/* May end w (through on_watch) before it returns. */
	channel_process(w->ch, revents);
}

static void
on_deadline(struct ui_app *app, void *userdata)
{
	struct channel_watch *w = userdata;

	w->timer = 0;
	channel_process(w->ch, 0);
}

static void
on_watch(struct channel *ch, short events, int timeout_ms, void *userdata)
{
	struct channel_watch *w = userdata;

	if (w->timer)
		ui_app_remove_timer(w->app, w->timer);
	w->timer = 0;
	if (events == 0) {
		ui_app_unwatch_fd(w->app, w->watch);
		free(w);
		return;
	}
	ui_app_watch_set_events(w->app, w->watch, events);
	/* Should the timer table be full, the deadline is still kept at the next I/O. */
	if (timeout_ms >= 0)
		(void)ui_app_add_timer(w->app, (unsigned)timeout_ms, on_deadline, w, &w->timer);
}

int
onward_app_watch_channel(struct ui_app *app, struct channel *ch)
{
	struct channel_watch *w = calloc(1, sizeof(*w));
	int r;

	if (!w)
		return -ENOMEM;
	w->app = app;
	w->ch = ch;
	r = ui_app_watch_fd(app, channel_fd(ch), POLLIN, on_ready, w, &w->watch);
	if (r < 0) {
		free(w);
		return r;
	}
	channel_set_watch(ch, on_watch, w);
	return 0;
}

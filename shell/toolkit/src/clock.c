/*
 * The one clock of the shell and every app, and the status bar's time that follows it.
 *
 * It is the system's clock; but in builds with test hooks (ONWARD_TEST_HOOKS, never in
 * packages) a test says what time it is with ONWARD_TEST_CLOCK ("2026-12-09T10:00:00Z"),
 * read as the daemon reads it (services/policyd/core/clock.c): that instant when first
 * asked, then the monotonic time since. The shell, the apps it starts (onward-launch
 * passes the variable on in test builds) and the daemon then agree on the time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"
#include "ui_int.h"

time_t
ui_now(void)
{
#ifdef ONWARD_TEST_HOOKS
	static bool asked, set;
	static int64_t base;
	static struct timespec base_mono;
	struct timespec mono;

	if (!asked) {
		const char *text = secure_getenv("ONWARD_TEST_CLOCK");

		asked = true;
		if (text && text[0] && text_utc_time_parse(text, &base) < 0)
			fprintf(stderr,
			        "ONWARD_TEST_CLOCK is not a time like 2026-12-09T10:00:00Z: "
			        "\"%.40s\"; the system clock it is\n",
			        text);
		else if (text && text[0])
			set = clock_gettime(CLOCK_MONOTONIC, &base_mono) == 0;
	}
	if (set && clock_gettime(CLOCK_MONOTONIC, &mono) == 0)
		return (time_t)(base + (mono.tv_sec - base_mono.tv_sec) -
		                (mono.tv_nsec < base_mono.tv_nsec));
#endif
	return time(NULL);
}

/* The time now as the status bar shows it ("14:05"). */
static void
status_time(char hhmm[static 8])
{
	time_t now = ui_now();
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(hhmm, 8, "%H:%M", &tm);
}

/* Shows the time again and wakes at the next minute (not every second: the bar shows
 * minutes). */
static void
on_status_minute(struct ui_app *app, void *userdata)
{
	time_t now = ui_now();
	char hhmm[8];

	(void)userdata;
	status_time(hhmm);
	(void)status_bar_set_text(app->status, 1, hhmm);
	app->redraw = true;
	ui_app_add_timer(app, (unsigned)(60 - now % 60) * 1000 + 50, on_status_minute, NULL,
	                 &app->status_clock_timer);
}

int
ui_app_set_status_clock(struct ui_app *app, const char *left, const char *right)
{
	char hhmm[8];
	int r;

	status_time(hhmm);
	r = ui_app_set_status(app, left, hhmm, right);
	if (r < 0)
		return r;
	if (!app->status_clock_timer)
		on_status_minute(app, NULL);
	return 0;
}

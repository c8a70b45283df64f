/*
 * Dates as people say them, in the app's language (ui.h, ui_app_short_date). The names
 * of days and months are the toolkit's own strings, so the shell and every app say a
 * date the same way in English and in Welsh; the C library's strftime() would say it in
 * English whatever the person chose. And a date chosen the way people choose one, with
 * steps of a day, a month and a year (ui_date_steps_add, ui_date_step), never typed as
 * 2027-01-29.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <onward/ui.h>

void
ui_app_short_date(const struct ui_app *app, time_t t, char *buf, size_t size)
{
	/* By struct tm's numbering: Sunday is 0, January is 0. */
	static const char *const days[] = {N_("Sun"), N_("Mon"), N_("Tue"), N_("Wed"),
	                                   N_("Thu"), N_("Fri"), N_("Sat")};
	static const char *const months[] = {N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"),
	                                     N_("May"), N_("Jun"), N_("Jul"), N_("Aug"),
	                                     N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec")};
	struct tm tm;

	if (size == 0)
		return;
	if (!localtime_r(&t, &tm) || tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 ||
	    tm.tm_mon > 11) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, size, "%s %d %s", ui_app_tr(app, days[tm.tm_wday]), tm.tm_mday,
	         ui_app_tr(app, months[tm.tm_mon]));
}

int
ui_date_steps_add(struct ui_widget *col, ui_click_fn fn, void *userdata)
{
	static const char *const names[] = {N_("Day"), N_("Month"), N_("Year")};
	static const char *const ids[][2] = {
	        {"day-less", "day-more"}, {"month-less", "month-more"}, {"year-less", "year-more"}};
	struct ui_widget *row, *w;

	for (size_t i = 0; i < 3; i++) {
		row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
		w = ui_widget_add(row, ui_label_new(names[i]));
		ui_widget_set_min_size(w, 30, 0);
		ui_widget_set_align(w, UI_ALIGN_CENTER);
		for (size_t k = 0; k < 2; k++) {
			w = ui_button_add(row, k ? N_("Later") : N_("Earlier"),
			                  k ? UI_ICON_NEXT : UI_ICON_BACK, ids[i][k], fn, userdata);
			ui_widget_set_min_size(w, 40, 12);
		}
	}
	return row && w ? 0 : -ENOMEM;
}

static int
month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int
ui_date_step(const char *date, const struct ui_widget *button, char ret[static 11])
{
	const char *id = button ? ui_widget_get_id(button) : NULL;
	int y, m, d, by;

	if (!id || !date || strlen(date) != 10 || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return -EINVAL;
	by = strstr(id, "-more") ? 1 : strstr(id, "-less") ? -1 : 0;
	if (!by)
		return -EINVAL;
	if (strncmp(id, "day-", 4) == 0)
		d += by;
	else if (strncmp(id, "month-", 6) == 0)
		m += by;
	else if (strncmp(id, "year-", 5) == 0)
		y += by;
	else
		return -EINVAL;
	/* A day back from the 1st is the last of the month before; a day on from the last is
	 * the 1st of the next. */
	if (d < 1)
		m--;
	if (m < 1 || m > 12) {
		y += m < 1 ? -1 : 1;
		m = m < 1 ? 12 : 1;
	}
	if (d < 1) {
		d = month_days(y, m);
	} else if (d > month_days(y, m) && id[0] == 'd') {
		d = 1;
		if (++m > 12) {
			m = 1;
			y++;
		}
	} else if (d > month_days(y, m)) {
		/* A month or a year on keeps the day, or the month's last when it is shorter. */
		d = month_days(y, m);
	}
	if (y < 1970 || y > 2199)
		return -ERANGE;
	snprintf(ret, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	         (unsigned)d % 100u);
	return 0;
}

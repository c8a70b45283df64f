/*
 * Dates as people say them, in the app's language (ui.h, ui_app_short_date). The names
 * of days and months are the toolkit's own strings, so the shell and every app say a
 * date the same way in English and in Welsh; the C library's strftime() would say it in
 * English whatever the person chose.
 */
#include <stdio.h>
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

/*
 * Choosing a date with steps (date.c, ui_date_step): a day across the end of a month and
 * of a year, back across the start of a leap February, a month or a year on to a shorter
 * month, the edges of the range, and the exact errors for a bad date or a button that is
 * not a step. The buttons are real toolkit widgets with the ids ui_date_steps_add() gives.
 */
#include <errno.h>
#include <string.h>

#include <onward/ui.h>

#include "check.h"

static struct ui_widget *buttons[6];
static const char *const ids[] = {"day-less",   "day-more",  "month-less",
                                  "month-more", "year-less", "year-more"};

static struct ui_widget *
button(const char *id)
{
	for (size_t i = 0; i < 6; i++)
		if (strcmp(ids[i], id) == 0)
			return buttons[i];
	return NULL;
}

/* The date after one tap on id, or the error as text. */
static const char *
step(const char *date, const char *id)
{
	static char out[16];
	char ret[11] = "untouched";
	int r = ui_date_step(date, button(id), ret);

	if (r == -EINVAL)
		return "EINVAL";
	if (r == -ERANGE)
		return strcmp(ret, "untouched") == 0 ? "ERANGE" : "ERANGE, ret written";
	snprintf(out, sizeof(out), "%s", ret);
	return out;
}

int
main(void)
{
	struct ui_widget *other;

	for (size_t i = 0; i < 6; i++) {
		buttons[i] = ui_button_new("Later", UI_ICON_NONE);
		CHECK(buttons[i] != NULL);
		ui_widget_set_id(buttons[i], ids[i]);
	}
	other = ui_button_new("Send", UI_ICON_NONE);
	ui_widget_set_id(other, "send");

	CHECK_STR(step("2026-12-09", "day-more"), "2026-12-10");
	CHECK_STR(step("2026-12-31", "day-more"), "2027-01-01");
	CHECK_STR(step("2027-01-01", "day-less"), "2026-12-31");
	CHECK_STR(step("2028-03-01", "day-less"), "2028-02-29");
	CHECK_STR(step("2027-03-01", "day-less"), "2027-02-28");
	CHECK_STR(step("2027-04-30", "day-more"), "2027-05-01");
	CHECK_STR(step("2027-01-31", "month-more"), "2027-02-28");
	CHECK_STR(step("2028-01-31", "month-more"), "2028-02-29");
	CHECK_STR(step("2027-03-31", "month-less"), "2027-02-28");
	CHECK_STR(step("2026-12-15", "month-more"), "2027-01-15");
	CHECK_STR(step("2027-01-15", "month-less"), "2026-12-15");
	CHECK_STR(step("2028-02-29", "year-more"), "2029-02-28");
	CHECK_STR(step("2027-01-29", "year-less"), "2026-01-29");
	CHECK_STR(step("2100-02-28", "day-more"), "2100-03-01"); /* 2100 is not a leap year */
	CHECK_STR(step("2000-02-28", "day-more"), "2000-02-29"); /* 2000 is */

	/* The edges of the range, and ret untouched when refused. */
	CHECK_STR(step("2199-12-31", "day-more"), "ERANGE");
	CHECK_STR(step("1970-01-01", "day-less"), "ERANGE");
	CHECK_STR(step("2199-06-01", "year-more"), "ERANGE");

	/* Bad input: a date that is not one, no date, a button that is not a step. */
	CHECK_STR(step("2027-13-01", "day-more"), "EINVAL");
	CHECK_STR(step("2027-1-1", "day-more"), "EINVAL");
	CHECK_STR(step("", "day-more"), "EINVAL");
	CHECK_STR(step(NULL, "day-more"), "EINVAL");
	{
		char ret[11];

		CHECK_INT(ui_date_step("2027-01-29", other, ret), -EINVAL);
		CHECK_INT(ui_date_step("2027-01-29", NULL, ret), -EINVAL);
	}

	for (size_t i = 0; i < 6; i++)
		ui_widget_free(buttons[i]);
	ui_widget_free(other);
	CHECK_DONE();
}

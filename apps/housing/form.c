/*
 * The enquiry form: one question per screen (q1 to q6), then a check of every answer
 * before sending (q7). "Next" saves the answer as part of the draft, so nothing typed is
 * lost between sessions, and the daemon checks it: a refusal shows the daemon's words
 * under the question. "Save for later" saves and goes back to the app's home. Choices
 * are big buttons and toggles; the release date is chosen with steps of a day, a month
 * and a year and shown in words (nothing to type in a format); other text goes in with
 * the on-screen keyboard. Send is offered only once sharing is agreed; until then the
 * check says why and goes to that question. Sending refused for a missing answer goes to
 * the question that needs it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "housing.h"

static const char *const route_words[] = {"phone", "email", "probation"};

struct step_info {
	const char *question; /* message ids */
	const char *hint;
};

static const struct step_info steps[FORM_STEPS + 1] = {
        {NULL, NULL},
        {N_("When do you leave prison?"), N_("The council needs to know when to expect you.")},
        {N_("Which area do you have a link to?"),
         N_("For example where you lived, where your family lives, or where you work.")},
        {N_("Where did you live before prison?"),
         N_("Give the address, or say if you had no fixed address.")},
        {N_("Do you need any of these?"),
         N_("Tap each one that is true for you. You can tell us more below.")},
        {N_("How can the council reach you after you leave?"),
         N_("Choose one. Give the number or email address if you have one.")},
        {N_("Can we share your answers with the council?"),
         N_("We send your answers to the council's housing team so they can help you. We "
            "cannot send your enquiry without your agreement.")},
        {N_("Check your answers"), N_("If something is wrong, go back and change it.")},
};

/* Which question asks for a field the daemon named. */
static int
step_of(const char *parameter)
{
	static const struct {
		const char *name;
		int step;
	} map[] = {
	        {"release_date", 1}, {"area", 2},          {"last_address", 3},   {"needs", 4},
	        {"needs_detail", 4}, {"contact_route", 5}, {"contact_detail", 5}, {"consent", 6},
	};

	for (size_t i = 0; parameter && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(parameter, map[i].name) == 0)
			return map[i].step;
	return 0;
}

static void
set_error(struct housing *h, int step, const char *text)
{
	ui_label_set_text(h->errors[step], text ? text : "");
}

/* The answers on question step, as SaveDraft parameters. */
static json_t *
step_fields(struct housing *h, int step)
{
	json_t *p = json_object();
	json_t *needs;

	switch (step) {
	case 1:
		json_object_set_new(p, "release_date", json_string(h->release_date));
		break;
	case 2:
		json_object_set_new(p, "area", json_string(ui_text_field_get_text(h->area_field)));
		break;
	case 3:
		json_object_set_new(p, "last_address",
		                    json_string(ui_text_field_get_text(h->address_field)));
		break;
	case 4:
		needs = json_array();
		for (int k = 0; k < NEED_COUNT; k++)
			if (ui_toggle_get(h->need_toggles[k]))
				json_array_append_new(needs, json_string(model_need_words[k]));
		json_object_set_new(p, "needs", needs);
		json_object_set_new(p, "needs_detail",
		                    json_string(ui_text_field_get_text(h->needs_field)));
		break;
	case 5: {
		size_t route = ui_choice_get(h->route_choice);

		json_object_set_new(p, "contact_route", json_string(route_words[route]));
		json_object_set_new(
		        p, "contact_detail",
		        json_string(route == 2 ? "" : ui_text_field_get_text(h->contact_field)));
		break;
	}
	case 6:
		json_object_set_new(p, "consent", json_boolean(ui_toggle_get(h->consent_toggle)));
		break;
	default:
		break;
	}
	return p;
}

struct saving {
	struct housing *h;
	int step; /* the question saved */
	int next; /* shown after; 0 for the app's home */
};

static struct saving saving; /* one save at a time: the buttons wait for it */

static void
on_saved(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct saving *s = userdata;
	struct housing *h = s->h;
	struct housing_enquiry e;

	h->busy--;
	if (!reply || reply->error) {
		set_error(h, s->step, housing_reply_text(h, reply));
		if (ui_app_get_read_aloud(h->app))
			ui_app_speak(h->app, housing_reply_text(h, reply));
		return;
	}
	if (model_read_enquiry(json_object_get(reply->parameters, "enquiry"), &e) == 0 &&
	    e.present) {
		h->state.enquiry = e;
		h->have_state = true;
	}
	if (s->next == 0) {
		housing_home_update(h, N_("Saved. You can carry on later."));
		ui_app_show_screen(h->app, "home");
		return;
	}
	form_show(h, s->next);
}

static void
save(struct housing *h, int next)
{
	json_t *p;

	if (h->busy || !h->step)
		return;
	p = step_fields(h, h->step);
	json_object_set_new(p, "step", json_integer(next ? next : h->step));
	saving = (struct saving){h, h->step, next};
	set_error(h, h->step, NULL);
	if (channel_call(h->channel, "onward.Housing.SaveDraft", p, on_saved, &saving) < 0) {
		set_error(h, h->step, housing_reply_text(h, NULL));
		return;
	}
	h->busy++;
}

static void
on_next(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;

	save(h, h->step + 1);
}

static void
on_field_submit(struct ui_widget *field, const char *text, void *userdata)
{
	on_next(field, userdata);
}

static void
on_later(struct ui_widget *w, void *userdata)
{
	save(userdata, 0);
}

static void
on_back(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;

	if (h->step <= 1) {
		h->step = 0;
		ui_app_show_screen(h->app, "home");
		return;
	}
	form_show(h, h->step - 1);
}

static void
on_submitted(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct housing *h = userdata;
	struct housing_enquiry e;
	int step;

	h->busy--;
	if (!reply || reply->error) {
		const char *parameter =
		        reply ? json_string_value(json_object_get(reply->parameters, "parameter"))
		              : NULL;

		step = step_of(parameter);
		if (step) {
			form_show(h, step);
			set_error(h, step, housing_reply_text(h, reply));
		} else {
			set_error(h, FORM_STEPS, housing_reply_text(h, reply));
		}
		return;
	}
	if (model_read_enquiry(json_object_get(reply->parameters, "enquiry"), &e) == 0)
		h->state.enquiry = e;
	h->step = 0;
	housing_home_update(h, N_("Your enquiry has been sent. You will see replies here."));
	status_show(h);
}

static void
on_send(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;

	if (h->busy)
		return;
	set_error(h, FORM_STEPS, NULL);
	if (channel_call(h->channel, "onward.Housing.Submit", NULL, on_submitted, h) < 0) {
		set_error(h, FORM_STEPS, housing_reply_text(h, NULL));
		return;
	}
	h->busy++;
}

static void
on_change_answers(struct ui_widget *w, void *userdata)
{
	form_show(userdata, 1);
}

/* The date chosen on question 1, in words ("Friday 29 January 2027"). */
static void
release_update(struct housing *h)
{
	char words[64];

	model_date_words(h->release_date, words, sizeof(words));
	ui_label_set_text(h->release_words,
	                  words[0] ? words : ui_app_tr(h->app, N_("No date chosen yet.")));
}

static void
on_release_yes(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;

	snprintf(h->release_date, sizeof(h->release_date), "%s", h->state.record_release);
	on_next(w, h);
}

/* A step of the day, month or year: ids "day-less", "month-more"... */
static void
on_release_step(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;
	char next[11];

	if (!h->release_date[0] && h->state.record_release[0]) {
		snprintf(h->release_date, sizeof(h->release_date), "%s", h->state.record_release);
	} else if (!h->release_date[0]) {
		/* Nothing to start from: today, by the tablet's clock. */
		time_t now = ui_now();
		struct tm tm;

		if (!localtime_r(&now, &tm) ||
		    strftime(h->release_date, sizeof(h->release_date), "%Y-%m-%d", &tm) == 0)
			snprintf(h->release_date, sizeof(h->release_date), "2027-01-01");
	}
	if (ui_date_step(h->release_date, w, next) == 0)
		memcpy(h->release_date, next, sizeof(next));
	release_update(h);
}

static void
on_consent_go(struct ui_widget *w, void *userdata)
{
	form_show(userdata, 6);
}

static void
on_area_button(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;

	ui_text_field_set_text(h->area_field, ui_widget_get_text(w));
	on_next(w, h);
}

static void
on_no_address(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;

	ui_text_field_set_text(h->address_field, "No fixed address");
	on_next(w, h);
}

static void
update_contact(struct housing *h)
{
	size_t route = ui_choice_get(h->route_choice);

	ui_widget_set_visible(h->contact_label, route != 2);
	ui_widget_set_visible(h->contact_field, route != 2);
	ui_widget_set_text(h->contact_label,
	                   route == 0 ? N_("Your phone number:") : N_("Your email address:"));
	ui_text_field_set_keyboard(h->contact_field,
	                           route == 0 ? UI_KEYBOARD_NUMBERS : UI_KEYBOARD_LETTERS);
}

static void
on_route(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;

	ui_text_field_set_text(h->contact_field, "");
	update_contact(h);
}

static struct ui_widget *
text_field(struct ui_widget *col, const char *hint, const char *id, size_t max, struct housing *h)
{
	struct ui_widget *w = ui_widget_add(col, ui_text_field_new(UI_FIELD_TEXT, hint));

	ui_widget_set_id(w, id);
	ui_text_field_set_max_length(w, max);
	ui_text_field_set_on_submit(w, on_field_submit, h);
	return w;
}

/* The frame every question shares: back, "Question N of 6", the question read aloud. */
static struct ui_widget *
frame(struct housing *h, int step)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *w;
	char count[48];

	ui_box_set_padding(col, UI_SPACE_LARGE);
	if (step < FORM_STEPS)
		snprintf(count, sizeof(count), "%s %d / %d", ui_app_tr(h->app, N_("Question")),
		         step, FORM_STEPS - 1);
	else
		snprintf(count, sizeof(count), "%s", ui_app_tr(h->app, N_("Last step")));
	w = ui_label_new(count);
	ui_widget_set_translate(w, false);
	/* One speaker for the question: it reads the count, the question and its hint. */
	ui_title_row_add(col, "back", on_back, h, w, "question-count");
	w = ui_widget_add(col, ui_heading_new(steps[step].question));
	ui_widget_set_id(w, "question");
	w = ui_widget_add(col, ui_label_new(steps[step].hint));
	ui_widget_set_id(w, "hint");
	return col;
}

/* The end of every question: the daemon's words when it refused, and the buttons. */
static int
finish(struct housing *h, int step, struct ui_widget *col)
{
	struct ui_widget *row;
	char name[8];

	h->errors[step] = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(h->errors[step], "form-error");
	ui_widget_set_translate(h->errors[step], false);
	if (step < FORM_STEPS) {
		row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
		ui_widget_set_expand(ui_button_add(row, N_("Save for later"), UI_ICON_LATER,
		                                   "save-later", on_later, h),
		                     1);
		ui_widget_set_expand(
		        ui_button_add(row, N_("Next"), UI_ICON_NEXT, "next", on_next, h), 1);
	}
	h->steps[step] = col;
	snprintf(name, sizeof(name), "q%d", step);
	return ui_app_add_screen(h->app, name, col);
}

int
form_build(struct housing *h)
{
	static const char *const routes[] = {N_("Phone"), N_("Email"),
	                                     N_("Through my probation officer")};
	static const char *const needs[NEED_COUNT] = {
	        N_("Easy access: no stairs, or room for a wheelchair"),
	        N_("Children who will live with me"), N_("Health needs, physical or mental")};
	static const char *const need_ids[NEED_COUNT] = {"need-accessibility", "need-children",
	                                                 "need-health"};
	struct ui_widget *col, *w, *row;
	int r;

	/* 1: the release date */
	col = frame(h, 1);
	h->release_record = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(h->release_record, "release-record");
	ui_widget_set_translate(h->release_record, false);
	w = ui_button_add(col, N_("Yes, that is right"), UI_ICON_CHECK, "release-yes",
	                  on_release_yes, h);
	ui_widget_set_min_size(w, 0, 14);
	ui_widget_add(col, ui_label_new(N_("Or choose the date here:")));
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	h->release_words = ui_spoken_add(row, ui_heading_new(""), "release-words");
	ui_widget_set_translate(h->release_words, false);
	(void)ui_date_steps_add(col, on_release_step, h); /* a failure is recorded in col */
	r = finish(h, 1, col);

	/* 2: the local connection */
	col = frame(h, 2);
	h->area_buttons = ui_widget_add(col, ui_grid_new(45, 4));
	ui_widget_set_id(h->area_buttons, "areas");
	ui_widget_add(col, ui_label_new(N_("Or type the name of the area:")));
	h->area_field = text_field(col, N_("Town or city"), "area", 100, h);
	r = r ?: finish(h, 2, col);

	/* 3: where they lived */
	col = frame(h, 3);
	h->address_field = text_field(col, N_("House number, street and town"), "address", 200, h);
	w = ui_button_add(col, N_("I had no fixed address"), UI_ICON_HOUSE, "no-fixed-address",
	                  on_no_address, h);
	ui_widget_set_min_size(w, 0, 14);
	r = r ?: finish(h, 3, col);

	/* 4: needs */
	col = frame(h, 4);
	for (int k = 0; k < NEED_COUNT; k++) {
		h->need_toggles[k] = ui_widget_add(col, ui_toggle_new(needs[k], false));
		ui_widget_set_id(h->need_toggles[k], need_ids[k]);
	}
	ui_widget_add(col, ui_label_new(N_("Anything else the council should know? (You can "
	                                   "leave this empty.)")));
	h->needs_field = text_field(col, N_("Tell us more"), "needs-detail", 300, h);
	r = r ?: finish(h, 4, col);

	/* 5: how to reach them */
	col = frame(h, 5);
	h->route_choice = ui_widget_add(col, ui_choice_new(routes, 3, 0));
	ui_widget_set_id(h->route_choice, "route");
	ui_widget_set_on_click(h->route_choice, on_route, h);
	h->contact_label = ui_widget_add(col, ui_label_new(N_("Your phone number:")));
	h->contact_field = text_field(col, N_("Number or email"), "contact", 100, h);
	r = r ?: finish(h, 5, col);

	/* 6: consent */
	col = frame(h, 6);
	h->consent_toggle =
	        ui_widget_add(col, ui_toggle_new(N_("Yes, the council can see my answers"), false));
	ui_widget_set_id(h->consent_toggle, "consent");
	r = r ?: finish(h, 6, col);

	/* 7: check and send */
	col = frame(h, 7);
	h->summary = ui_widget_add(col, ui_paragraph_new(""));
	ui_widget_set_id(h->summary, "summary");
	ui_widget_set_translate(h->summary, false);
	h->send_button =
	        ui_button_add(col, N_("Send my enquiry"), UI_ICON_SEND, "send", on_send, h);
	ui_widget_set_min_size(h->send_button, 0, 16);
	/* Without agreement there is nothing to send: say so, and go to the question. */
	h->consent_needed = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	w = ui_widget_add(
	        h->consent_needed,
	        ui_label_new(N_("You have not agreed to share your answers with the council yet. "
	                        "We can only send your enquiry when you agree.")));
	ui_widget_set_id(w, "consent-needed");
	ui_widget_set_expand(w, 1);
	h->consent_go = ui_button_add(col, N_("Agree to share my answers"), UI_ICON_CHECK,
	                              "consent-go", on_consent_go, h);
	ui_widget_set_min_size(h->consent_go, 0, 16);
	ui_button_add(col, N_("Change my answers"), UI_ICON_BACK, "change-answers",
	              on_change_answers, h);
	r = r ?: finish(h, 7, col);
	return r;
}

void
form_set_areas(struct housing *h)
{
	ui_widget_clear(h->area_buttons);
	for (size_t i = 0; i < h->directory.n_areas; i++) {
		char id[64];
		struct ui_widget *w = ui_widget_add(
		        h->area_buttons, ui_button_new(h->directory.areas[i].name, UI_ICON_HOUSE));

		snprintf(id, sizeof(id), "area-%.48s", h->directory.areas[i].id);
		ui_widget_set_id(w, id);
		ui_widget_set_translate(w, false);
		ui_widget_set_on_click(w, on_area_button, h);
	}
}

/* The answers so far, as the check before sending reads them, in the app's language
 * (what the person typed stays as they typed it). */
static void
summary(struct housing *h)
{
	static const char *const need_names[] = {N_("easy access"), N_("children living with you"),
	                                         N_("health needs")};
	const struct housing_enquiry *e = &h->state.enquiry;
	const char *not_given = ui_app_tr(h->app, N_("not given")), *route;
	char text[1600], date[48], needs[400] = "";
	size_t used = 0;

	model_date_words(e->release_date, date, sizeof(date));
	for (int k = 0; k < NEED_COUNT && k < 3; k++)
		if (e->needs[k])
			used += (size_t)snprintf(needs + used, sizeof(needs) - used, "%s%s",
			                         used ? ", " : "",
			                         ui_app_tr(h->app, need_names[k]));
	snprintf(needs + used, sizeof(needs) - used, "%s%s%s",
	         used ? "" : ui_app_tr(h->app, N_("nothing on the list")),
	         e->needs_detail[0] ? ". " : "", e->needs_detail);
	route = strcmp(e->contact_route, "phone") == 0       ? N_("phone")
	        : strcmp(e->contact_route, "email") == 0     ? N_("email")
	        : strcmp(e->contact_route, "probation") == 0 ? N_("through your probation officer")
	                                                     : N_("not given");
	snprintf(text, sizeof(text), "%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s%s%s\n%s: %s",
	         ui_app_tr(h->app, N_("You leave on")), date[0] ? date : not_given,
	         ui_app_tr(h->app, N_("Your area")), e->area[0] ? e->area : not_given,
	         ui_app_tr(h->app, N_("Where you lived")),
	         e->last_address[0] ? e->last_address : not_given,
	         ui_app_tr(h->app, N_("What you need")), needs,
	         ui_app_tr(h->app, N_("How to reach you")), ui_app_tr(h->app, route),
	         e->contact_detail[0] ? " " : "", e->contact_detail,
	         ui_app_tr(h->app, N_("Sharing with the council")),
	         ui_app_tr(h->app, e->consent ? N_("yes") : N_("not yet agreed")));
	ui_label_set_text(h->summary, text);
}

void
form_show(struct housing *h, int step)
{
	const struct housing_enquiry *e = &h->state.enquiry;
	char name[8], words[48], line[160];

	if (step < 1 || step > FORM_STEPS)
		step = 1;
	h->step = step;
	set_error(h, step, NULL);
	switch (step) {
	case 1:
		model_date_words(h->state.record_release, words, sizeof(words));
		if (words[0]) {
			snprintf(line, sizeof(line), "%s %s.",
			         ui_app_tr(h->app, N_("Our records say you leave on")), words);
			ui_label_set_text(h->release_record, line);
		} else {
			ui_label_set_text(
			        h->release_record,
			        ui_app_tr(h->app, N_("We do not have your release date.")));
		}
		ui_widget_set_visible(ui_widget_find(h->steps[1], "release-yes"), words[0] != '\0');
		snprintf(h->release_date, sizeof(h->release_date), "%s", e->release_date);
		release_update(h);
		break;
	case 2:
		ui_text_field_set_text(h->area_field, e->area);
		break;
	case 3:
		ui_text_field_set_text(h->address_field, e->last_address);
		break;
	case 4:
		for (int k = 0; k < NEED_COUNT; k++)
			ui_toggle_set(h->need_toggles[k], e->needs[k]);
		ui_text_field_set_text(h->needs_field, e->needs_detail);
		break;
	case 5:
		for (size_t i = 0; i < 3; i++)
			if (strcmp(e->contact_route, route_words[i]) == 0)
				ui_choice_set(h->route_choice, i);
		update_contact(h);
		ui_text_field_set_text(h->contact_field, e->contact_detail);
		break;
	case 6:
		ui_toggle_set(h->consent_toggle, e->consent);
		break;
	case 7:
		summary(h);
		ui_widget_set_visible(h->send_button, e->consent);
		ui_widget_set_visible(h->consent_needed, !e->consent);
		ui_widget_set_visible(h->consent_go, !e->consent);
		break;
	}
	snprintf(name, sizeof(name), "q%d", step);
	ui_app_show_screen(h->app, name);
}

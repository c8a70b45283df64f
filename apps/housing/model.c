/*
 * Reading the daemon's housing and directory replies defensively (see model.h).
 */
#include "model.h"

#include <errno.h>
#include <libintl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define MODEL_TEXT_DOMAIN "onward-app-housing"
/* Marks a message id for xgettext (model.c does without the toolkit's header). */
#define N_(msgid) (msgid)

const char *const model_need_words[NEED_COUNT] = {"accessibility", "children", "health"};

static bool
known_status(const char *s)
{
	static const char *const statuses[] = {"draft",    "submitted", "acknowledged",
	                                       "assessed", "offered",   "closed"};

	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(s, statuses[i]) == 0)
			return true;
	return false;
}

int
model_read_enquiry(const json_t *obj, struct housing_enquiry *ret)
{
	struct housing_enquiry e = {.present = true};
	const json_t *needs = json_object_get(obj, "needs"), *n, *step, *consent;
	size_t i;

	if (!obj || json_is_null(obj)) {
		*ret = (struct housing_enquiry){0};
		return 0;
	}
	step = json_object_get(obj, "step");
	consent = json_object_get(obj, "consent");
	if (!json_is_object(obj) ||
	    client_read_text(obj, "status", CLIENT_TEXT_REQUIRED, e.status, 15) < 0 ||
	    !known_status(e.status) ||
	    client_read_text(obj, "release_date", 0, e.release_date, 10) < 0 ||
	    client_read_text(obj, "area", 0, e.area, 100) < 0 ||
	    client_read_text(obj, "last_address", CLIENT_TEXT_MULTILINE, e.last_address, 200) < 0 ||
	    client_read_text(obj, "needs_detail", CLIENT_TEXT_MULTILINE, e.needs_detail, 300) < 0 ||
	    client_read_text(obj, "contact_route", 0, e.contact_route, 15) < 0 ||
	    client_read_text(obj, "contact_detail", 0, e.contact_detail, 100) < 0 ||
	    (step && !json_is_integer(step)) || (consent && !json_is_boolean(consent)) ||
	    (needs && !json_is_null(needs) && !json_is_array(needs)))
		return -EBADMSG;
	e.step = step ? (int)json_integer_value(step) : 0;
	if (e.step < 0 || e.step > 20)
		e.step = 0;
	e.consent = json_is_true(consent);
	json_array_foreach(needs, i, n)
	{
		for (int k = 0; k < NEED_COUNT; k++)
			if (json_is_string(n) &&
			    strcmp(json_string_value(n), model_need_words[k]) == 0)
				e.needs[k] = true;
	}
	*ret = e;
	return 0;
}

int
model_read_state(const json_t *params, struct housing_state *ret)
{
	struct housing_state s = {0};
	const json_t *can = json_object_get(params, "can_enquire");
	const json_t *messages = json_object_get(params, "messages");

	if (!json_is_object(params) || !json_is_boolean(can) ||
	    model_read_enquiry(json_object_get(params, "enquiry"), &s.enquiry) < 0 ||
	    client_read_text(params, "reason", 0, s.reason, MODEL_REASON_MAX) < 0 ||
	    client_read_text(params, "release_date", 0, s.record_release, 10) < 0 ||
	    (messages && !json_is_integer(messages)))
		return -EBADMSG;
	s.can_enquire = json_is_true(can);
	s.messages = messages ? (long)json_integer_value(messages) : 0;
	*ret = s;
	return 0;
}

int
model_read_thread(const json_t *params, struct housing_thread *ret)
{
	struct housing_thread t = {0};
	const json_t *list = json_object_get(params, "messages"), *m;
	size_t i;

	if (!json_is_object(params) || !json_is_array(list) ||
	    client_read_text(params, "status", 0, t.status, 15) < 0)
		return -EBADMSG;
	t.messages = calloc(json_array_size(list) < MODEL_THREAD_MAX ? json_array_size(list) + 1
	                                                             : MODEL_THREAD_MAX,
	                    sizeof(*t.messages));
	if (!t.messages)
		return -ENOMEM;
	json_array_foreach(list, i, m)
	{
		struct housing_message *hm = &t.messages[t.n];
		char from[8];

		if (t.n == MODEL_THREAD_MAX || !json_is_object(m) ||
		    client_read_text(m, "from", CLIENT_TEXT_REQUIRED, from, 7) < 0 ||
		    client_read_text(m, "name", 0, hm->name, 100) < 0 ||
		    client_read_text(m, "status", 0, hm->status, 15) < 0 ||
		    client_read_text(m, "text", CLIENT_TEXT_MULTILINE, hm->text,
		                     MODEL_MESSAGE_MAX) < 0 ||
		    client_read_text(m, "local", 0, hm->local, 19) < 0 ||
		    (hm->status[0] && !known_status(hm->status))) {
			t.skipped++;
			continue;
		}
		hm->from_staff = strcmp(from, "staff") == 0;
		t.n++;
	}
	*ret = t;
	return 0;
}

void
model_thread_release(struct housing_thread *t)
{
	free(t->messages);
	*t = (struct housing_thread){0};
}

int
model_read_directory(const json_t *params, struct directory_result *ret)
{
	const json_t *areas = json_object_get(params, "areas"), *services, *v;
	struct directory_result *d;
	size_t i;

	services = json_object_get(params, "services");
	if (!json_is_object(params) || !json_is_array(areas) || !json_is_array(services))
		return -EBADMSG;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->services = calloc(MODEL_SERVICES_MAX, sizeof(*d->services));
	if (!d->services) {
		free(d);
		return -ENOMEM;
	}
	json_array_foreach(areas, i, v)
	{
		struct directory_area *a = &d->areas[d->n_areas];

		if (d->n_areas == MODEL_AREAS_MAX || !json_is_object(v) ||
		    client_read_text(v, "id", CLIENT_TEXT_REQUIRED, a->id, 48) < 0 ||
		    client_read_text(v, "name", CLIENT_TEXT_REQUIRED, a->name, 100) < 0) {
			d->skipped++;
			continue;
		}
		d->n_areas++;
	}
	json_array_foreach(services, i, v)
	{
		struct directory_service *s = &d->services[d->n_services];

		if (d->n_services == MODEL_SERVICES_MAX || !json_is_object(v) ||
		    client_read_text(v, "id", CLIENT_TEXT_REQUIRED, s->id, 48) < 0 ||
		    client_read_text(v, "name", CLIENT_TEXT_REQUIRED, s->name, 100) < 0 ||
		    client_read_text(v, "category", CLIENT_TEXT_REQUIRED, s->category, 32) < 0 ||
		    client_read_text(v, "area", CLIENT_TEXT_REQUIRED, s->area, 48) < 0 ||
		    client_read_text(v, "area_name", 0, s->area_name, 100) < 0 ||
		    client_read_text(v, "phone", CLIENT_TEXT_REQUIRED, s->phone, 20) < 0 ||
		    client_read_text(v, "address", 0, s->address, 200) < 0 ||
		    client_read_text(v, "hours", 0, s->hours, 120) < 0 ||
		    client_read_text(v, "description", 0, s->description, 200) < 0) {
			d->skipped++;
			continue;
		}
		d->n_services++;
	}
	*ret = *d;
	free(d);
	return 0;
}

void
model_directory_release(struct directory_result *d)
{
	free(d->services);
	d->services = NULL;
	d->n_services = d->n_areas = 0;
}

/* Days since 1970-01-01 of a Gregorian date (the usual civil-day count). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
model_date_words(const char *date, char *buf, size_t size)
{
	static const char *const weekdays[] = {N_("Thursday"), N_("Friday"), N_("Saturday"),
	                                       N_("Sunday"),   N_("Monday"), N_("Tuesday"),
	                                       N_("Wednesday")};
	static const char *const months[] = {N_("January"), N_("February"), N_("March"),
	                                     N_("April"),   N_("May"),      N_("June"),
	                                     N_("July"),    N_("August"),   N_("September"),
	                                     N_("October"), N_("November"), N_("December")};
	int y, m, d;
	int64_t days;

	buf[0] = '\0';
	if (!date || strlen(date) != 10 || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 ||
	    m > 12 || d < 1 || d > 31 || y < 1970 || y > 2199)
		return;
	days = days_from_civil(y, m, d);
	/* In the app's language: its catalogue is bound at start (without it, English). */
	snprintf(buf, size, "%s %d %s %d", dgettext(MODEL_TEXT_DOMAIN, weekdays[days % 7]), d,
	         dgettext(MODEL_TEXT_DOMAIN, months[m - 1]), y);
}

void
model_phone_for_speech(const char *phone, char *buf, size_t size)
{
	size_t n = 0;

	for (const char *p = phone; *p && n + 3 < size; p++) {
		if (*p >= '0' && *p <= '9') {
			buf[n++] = *p;
			buf[n++] = ' ';
		} else if (*p == ' ' && n > 0 && buf[n - 1] == ' ') {
			/* A group ends: a pause, so the number is read the way it is written. */
			buf[n - 1] = ',';
			buf[n++] = ' ';
		}
	}
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == ','))
		n--;
	buf[n] = '\0';
}

void
model_when_words(const char *local, char *buf, size_t size)
{
	char date[11], words[64], *year;

	buf[0] = '\0';
	if (!local || strlen(local) != 16)
		return;
	snprintf(date, sizeof(date), "%.10s", local);
	model_date_words(date, words, sizeof(words));
	/* As people say it: "Wednesday 9 December, 10:00"; the year goes without saying. */
	year = strrchr(words, ' ');
	if (!words[0] || !year)
		return;
	*year = '\0';
	snprintf(buf, size, "%s, %s", words, local + 11);
}

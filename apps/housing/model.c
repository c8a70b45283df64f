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

#define MODEL_TEXT_DOMAIN "onward-app-housing"
/* Marks a message id for xgettext (model.c does without the toolkit's header). */
#define N_(msgid) (msgid)

const char *const model_need_words[NEED_COUNT] = {"accessibility", "children", "health"};

/*
 * Copies obj[key] into buf (max bytes): a string without control characters (line
 * breaks allowed when multiline) or absent/null ("" then; -EBADMSG when required).
 */
static int
text(const json_t *obj, const char *key, bool required, bool multiline, char *buf, size_t max)
{
	const json_t *v = json_object_get(obj, key);
	const char *s = json_string_value(v);
	size_t n;

	buf[0] = '\0';
	if (!v || json_is_null(v))
		return required ? -EBADMSG : 0;
	if (!s)
		return -EBADMSG;
	n = json_string_length(v);
	if (n > max || strlen(s) != n)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && !(multiline && c == '\n')) || c == 0x7F)
			return -EBADMSG;
	}
	memcpy(buf, s, n + 1);
	return 0;
}

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
	if (!json_is_object(obj) || text(obj, "status", true, false, e.status, 15) < 0 ||
	    !known_status(e.status) ||
	    text(obj, "release_date", false, false, e.release_date, 10) < 0 ||
	    text(obj, "area", false, false, e.area, 100) < 0 ||
	    text(obj, "last_address", false, true, e.last_address, 200) < 0 ||
	    text(obj, "needs_detail", false, true, e.needs_detail, 300) < 0 ||
	    text(obj, "contact_route", false, false, e.contact_route, 15) < 0 ||
	    text(obj, "contact_detail", false, false, e.contact_detail, 100) < 0 ||
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
	    text(params, "reason", false, false, s.reason, MODEL_REASON_MAX) < 0 ||
	    text(params, "release_date", false, false, s.record_release, 10) < 0 ||
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
	    text(params, "status", false, false, t.status, 15) < 0)
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
		    text(m, "from", true, false, from, 7) < 0 ||
		    text(m, "name", false, false, hm->name, 100) < 0 ||
		    text(m, "status", false, false, hm->status, 15) < 0 ||
		    text(m, "text", false, true, hm->text, MODEL_MESSAGE_MAX) < 0 ||
		    text(m, "local", false, false, hm->local, 19) < 0 ||
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
		    text(v, "id", true, false, a->id, 48) < 0 ||
		    text(v, "name", true, false, a->name, 100) < 0) {
			d->skipped++;
			continue;
		}
		d->n_areas++;
	}
	json_array_foreach(services, i, v)
	{
		struct directory_service *s = &d->services[d->n_services];

		if (d->n_services == MODEL_SERVICES_MAX || !json_is_object(v) ||
		    text(v, "id", true, false, s->id, 48) < 0 ||
		    text(v, "name", true, false, s->name, 100) < 0 ||
		    text(v, "category", true, false, s->category, 32) < 0 ||
		    text(v, "area", true, false, s->area, 48) < 0 ||
		    text(v, "area_name", false, false, s->area_name, 100) < 0 ||
		    text(v, "phone", true, false, s->phone, 20) < 0 ||
		    text(v, "address", false, false, s->address, 200) < 0 ||
		    text(v, "hours", false, false, s->hours, 120) < 0 ||
		    text(v, "description", false, false, s->description, 200) < 0) {
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

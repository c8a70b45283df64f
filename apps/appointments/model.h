/*
 * What onward-app-appointments reads from the daemon, checked before it is shown: the
 * list of appointments with the countdown to release and the reminders due
 * (onward.Appointment.List), and one appointment (Confirm, AskChange). Every string must be a
 * string within its size and free of control characters; a reply the app cannot use is -EBADMSG,
 * and one broken appointment in a list is left out. Also the calendar arithmetic the views need, on
 * "YYYY-MM-DD" dates (the daemon gives dates in London time; the app has no time zone).
 * No SDL here, so the unit tests feed it any reply they like.
 */
#ifndef ONWARD_APP_APPOINTMENTS_MODEL_H
#define ONWARD_APP_APPOINTMENTS_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define APPT_LIST_MAX 100 /* appointments shown at once */
#define APPT_REMINDERS_MAX 50 /* reminders listed */

struct appt {
	long long id;
	char kind[16]; /* probation | health | education | legal | visit | release */
	char kind_words[48]; /* "Probation appointment", in the app's language */
	char date[11]; /* London date */
	char time[6]; /* "10:30" */
	int weekday; /* 1 Monday ... 7 Sunday */
	int minutes;
	char where[101];
	char with[101];
	bool cancelled;
	char cancel_reason[301];
	bool confirmed;
	bool has_request;
	char request_status[12]; /* open | agreed | declined */
	char request_reason[301];
	char request_answer[501];
	bool change_allowed; /* may ask to rearrange; else change_reason says why */
	char change_reason[401];
};

/* A reminder or notice due now, as the shell's banner said it. */
struct appt_reminder {
	long long id;
	char text[401];
	bool hidden; /* the person hid its banner */
};

struct appt_list {
	char today[11];
	char from[11];
	char to[11];
	bool has_release;
	char release_date[11];
	int release_days;
	struct appt items[APPT_LIST_MAX];
	size_t n;
	size_t skipped;
	struct appt_reminder reminders[APPT_REMINDERS_MAX];
	size_t n_reminders; /* a broken one is left out (and counted in skipped) */
};

int model_read_appointment(const json_t *obj, struct appt *ret);
int model_read_list(const json_t *params, struct appt_list *ret);

/* date + days into ret (11 bytes); -EINVAL for a bad date. */
int model_date_add(const char *date, int days, char *ret);
/* 1 Monday ... 7 Sunday; 0 for a bad date. */
int model_date_weekday(const char *date);
/* "Thursday 26 November" ("... 2027" when with_year); "" for a bad date. */
void model_date_words(const char *date, bool with_year, char *buf, size_t size);

/* "Monday 7 December to Sunday 13 December", in the catalogue's language. */
void model_date_range_words(const char *from, const char *to, char *buf, size_t size);

/* The English name (a catalogue msgid) of weekday 1 (Monday) to 7, or "". */
const char *model_weekday_name(int weekday);

/* The msgid naming an appointment's kind ("Probation appointment"), or NULL for a kind
 * this app does not know. */
const char *model_kind_words(const char *kind);
/* Days from a to b; 0 for bad dates. */
int model_date_diff(const char *a, const char *b);
/* Whether text already ends a sentence (. ! or ?), so a full stop is not added twice. */
bool model_sentence_ends(const char *text);

#endif

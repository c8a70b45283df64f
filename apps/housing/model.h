/*
 * What onward-app-housing reads from the daemon, checked before it is shown: the enquiry
 * (onward.Housing.Get), its thread (onward.Housing.Thread) and the directory of local
 * services (onward.Directory.Search). Every string must be a string, within its size and
 * free of control characters (messages may hold line breaks); a reply that is not one
 * the app can use is -EBADMSG, and one broken entry in a list is left out, not shown
 * wrong. No SDL here, so the unit tests feed it any reply they like.
 */
#ifndef ONWARD_APP_HOUSING_MODEL_H
#define ONWARD_APP_HOUSING_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define MODEL_REASON_MAX 400
#define MODEL_MESSAGE_MAX 1000
#define MODEL_THREAD_MAX 500
#define MODEL_AREAS_MAX 64
#define MODEL_SERVICES_MAX 200

enum model_need {
	NEED_ACCESSIBILITY,
	NEED_CHILDREN,
	NEED_HEALTH,
	NEED_COUNT,
};

/* The keyword the daemon uses for each need. */
extern const char *const model_need_words[NEED_COUNT];

struct housing_enquiry {
	bool present; /* false: none started yet */
	char status[16]; /* draft | submitted | acknowledged | assessed | offered | closed */
	int step;
	char release_date[11];
	char area[101];
	char last_address[201];
	bool needs[NEED_COUNT];
	char needs_detail[301];
	bool consent;
	char contact_route[16]; /* phone | email | probation | "" */
	char contact_detail[101];
};

struct housing_state {
	struct housing_enquiry enquiry;
	bool can_enquire;
	char reason[MODEL_REASON_MAX + 1]; /* why not, in the policy's words */
	char record_release[11]; /* the release date on the person's record, or "" */
	long messages;
};

/* onward.Housing.Get, or the "enquiry" of SaveDraft and Submit into ret->enquiry. */
int model_read_state(const json_t *params, struct housing_state *ret);
int model_read_enquiry(const json_t *obj, struct housing_enquiry *ret);

struct housing_message {
	bool from_staff;
	char name[101]; /* the staff member's name, "" when not given */
	char status[16]; /* the status it came with, "" for a plain message */
	char text[MODEL_MESSAGE_MAX + 1];
	char local[20]; /* London time, "YYYY-MM-DD HH:MM", or "" */
};

struct housing_thread {
	char status[16];
	struct housing_message *messages; /* owned */
	size_t n;
	size_t skipped;
};

int model_read_thread(const json_t *params, struct housing_thread *ret);
void model_thread_release(struct housing_thread *t);

struct directory_area {
	char id[49];
	char name[101];
};

struct directory_service {
	char id[49];
	char name[101];
	char category[33];
	char area[49]; /* the area's id */
	char area_name[101];
	char phone[21];
	char address[201];
	char hours[121];
	char description[201];
};

struct directory_result {
	struct directory_area areas[MODEL_AREAS_MAX];
	size_t n_areas;
	struct directory_service *services; /* owned */
	size_t n_services;
	size_t skipped;
};

int model_read_directory(const json_t *params, struct directory_result *ret);
void model_directory_release(struct directory_result *d);

/* "Friday 29 January 2027" for "2027-01-29"; "" when it is not a date. */
void model_date_words(const char *date, char *buf, size_t size);

/* A phone number spaced out digit by digit, so read-aloud says each digit. */
/* A thread time "YYYY-MM-DD HH:MM" as people say it: "Wednesday 9 December, 10:00";
 * "" for a bad one. */
void model_when_words(const char *local, char *buf, size_t size);
void model_phone_for_speech(const char *phone, char *buf, size_t size);

#endif

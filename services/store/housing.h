/*
 * Housing enquiries in the store: a person's referral to a local housing authority before
 * release (the duty-to-refer route) and the thread of replies between the person and
 * housing staff. A case is a draft until the person submits it, once; after that only its
 * status moves (submitted, acknowledged, assessed, offered, closed), by staff. A person has
 * at most one case that is not closed. Like store.h: 0 or a negative errno, outputs last
 * and untouched on failure; -EALREADY when a case is no longer in the state a change
 * needs (a second submit).
 */
#ifndef ONWARD_STORE_HOUSING_H
#define ONWARD_STORE_HOUSING_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

#define HOUSING_AREA_MAX 100 /* bytes: the local connection, a council area */
#define HOUSING_ADDRESS_MAX 200 /* bytes: where the person lived */
#define HOUSING_DETAIL_MAX 300 /* bytes: needs in the person's own words */
#define HOUSING_CONTACT_MAX 100 /* bytes: a phone number or email address */
#define HOUSING_MESSAGE_MAX 1000 /* bytes: one message in the thread */
#define HOUSING_NEEDS_MAX 160 /* bytes: need keywords joined by ',' */
#define HOUSING_THREAD_MAX 500 /* messages kept readable in one case's thread */

struct store_housing_case {
	int64_t id;
	int64_t person_id;
	char prison_number[8]; /* filled when read */
	char status[16]; /* draft | submitted | acknowledged | assessed | offered | closed */
	int step; /* the form's page the person was on when they saved */
	char release_date[11]; /* "YYYY-MM-DD" or "" */
	char area[HOUSING_AREA_MAX + 1]; /* local connection */
	char last_address[HOUSING_ADDRESS_MAX + 1];
	char needs[HOUSING_NEEDS_MAX + 1]; /* accessibility,children,health,... or "" */
	char needs_detail[HOUSING_DETAIL_MAX + 1];
	bool consent; /* to share the enquiry with the council: required to submit */
	char contact_route[16]; /* phone | email | probation, or "" */
	char contact_detail[HOUSING_CONTACT_MAX + 1]; /* the number or address; "" for probation */
	int64_t created_at;
	int64_t updated_at;
	int64_t submitted_at; /* 0 while a draft */
	int64_t status_at; /* when the status last changed */
	char status_by[33]; /* the staff id that set it; "" for the person's own submit */
};

struct store_housing_message {
	int64_t id;
	int64_t case_id;
	char author[8]; /* person | staff */
	char staff_id[33]; /* "" for the person */
	char status[16]; /* the status this message came with, "" for a plain message */
	char body[HOUSING_MESSAGE_MAX + 1]; /* may be "" for a bare status change */
	int64_t created_at;
};

/* The person's case that is not closed, else their latest closed one; -ENOENT for none. */
int store_housing_current(struct store *s, int64_t person_id, struct store_housing_case *ret);

/* Inserts a new draft (status, id and prison_number ignored). -EEXIST if one is open. */
int store_housing_insert(struct store *s, const struct store_housing_case *c, int64_t *ret_id);

/* Writes the form fields and step of a draft; -EALREADY when it is no longer a draft. */
int store_housing_update_draft(struct store *s, const struct store_housing_case *c, int64_t now);

/* Draft to submitted, once; -EALREADY when it was not a draft. */
int store_housing_submit(struct store *s, int64_t case_id, int64_t now);

/* Sets a submitted case's status (staff); -EALREADY when the case is a draft or closed. */
int store_housing_set_status(struct store *s, int64_t case_id, const char *status,
                             const char *staff_id, int64_t now);

/* Appends a message (id ignored) to the thread. */
int store_housing_message_add(struct store *s, const struct store_housing_message *m,
                              int64_t *ret_id);

/* Counts a case's messages. */
int store_housing_message_count(struct store *s, int64_t case_id, int64_t *ret_count);

/* Visits a case's messages, oldest first, at most HOUSING_THREAD_MAX of the newest. */
int store_housing_messages(struct store *s, int64_t case_id,
                           int (*fn)(const struct store_housing_message *m, void *userdata),
                           void *userdata);

/*
 * Visits up to limit cases, newest first, with an id below before (0: from the newest):
 * of people at establishment (NULL: all) and in status (NULL: every status but draft).
 */
int store_housing_list(struct store *s, const char *establishment, const char *status,
                       int64_t before, int limit,
                       int (*fn)(const struct store_housing_case *c, void *userdata),
                       void *userdata);

#endif

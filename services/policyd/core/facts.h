/*
 * The facts a decision is made on: Cedar entities built from store records (a person with
 * their establishment and contact list, a contact, an app, a staff member with their role),
 * the action hierarchy, and the context (London time, regime, device, counters). One struct
 * facts is reused for every decision, so building them does not allocate once warm.
 * The shapes are those of policy/onward.cedarschema; keep the two in step.
 */
#ifndef ONWARD_POLICYD_FACTS_H
#define ONWARD_POLICYD_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "policy.h"
#include "store.h"

struct method;

struct facts {
	struct policy_entities *entities; /* owned; cleared for each decision */
	struct policy_request *request; /* owned */
	const struct method *const *methods; /* borrowed from the server: the action groups */
	size_t method_count;
};

struct facts_context {
	int hour; /* 0-23, Europe/London */
	int weekday; /* 1 Monday ... 7 Sunday */
	const char *regime; /* staff's setting: "auto" (by the clock) | "unlock" | "night" |
	                     * "lockdown"; a static string */
	const char *device; /* "in_cell" | "community" */
	int64_t messages_today;
	bool matches_word_list; /* message.hold: the message matches the staff word list */
	bool welsh; /* the person reads Welsh: a decision's reason is its @reason_cy */
};

/* New facts whose action hierarchy is the methods' action groups (borrowed). */
int facts_new(const struct method *const *methods, size_t method_count, struct facts **ret);
void facts_free(struct facts *f);

/* Empties the entity store and adds the action hierarchy (each staff action in its group). */
int facts_reset(struct facts *f);

/*
 * Adds Person::"A1234BC" in Establishment::"MDI", its ContactList, and the person's
 * attributes: worker when they have one, and licence from licence_json (NULL or "" for
 * none; the normalised form the store keeps: curfew_start, curfew_end, no_contact (contact
 * ids), exclusion_areas, ends). today is Unix seconds (for days_to_release).
 */
int facts_add_person(struct facts *f, const struct store_person *p, const char *licence_json,
                     int64_t today);
int facts_add_contact(struct facts *f, const struct store_contact *c, const char *prison_number);
int facts_add_app(struct facts *f, const char *name, const char *title);
int facts_add_establishment(struct facts *f, const struct store_establishment *e);
int facts_add_staff(struct facts *f, const struct store_staff *st);
int facts_add_service(struct facts *f);

/* Sets the request: principal, Action::"action", resource, and the context. */
int facts_set_request(struct facts *f, const struct policy_uid *principal, const char *action,
                      const struct policy_uid *resource, const struct facts_context *ctx);

/*
 * The context now (clock.h) at an establishment: London hour and weekday, and the regime
 * staff set: "lockdown", "night" or "unlock", or "auto" (NULL counts as auto), when the
 * policies decide from the hour what is open (national.cedar holds the hours of night).
 */
void facts_context_now(struct facts_context *ret, const char *establishment_regime,
                       const char *device);

/* True if the status is one in custody (remand or sentenced). */
bool facts_status_in_custody(const char *status);

/*
 * For the areas' own entities (a Course, an Appointment): adds Type::"id", a child of
 * parent when it is not NULL, and returns it for its attributes. -EEXIST if already there.
 */
int facts_add_entity(struct facts *f, const char *type, const char *id,
                     const struct policy_uid *parent, struct policy_entity **ret);
int facts_set_string(struct facts *f, struct policy_entity *e, const char *name, const char *value);
int facts_set_long(struct facts *f, struct policy_entity *e, const char *name, int64_t value);

#endif

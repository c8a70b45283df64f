/*
 * Areas: the parts of the daemon that serve one kind of work (session, shell, people,
 * contacts, messages, learning, housing, appointments, moves, policy, service). Each area
 * lives in a folder of its own and declares itself in one struct area: its methods (with
 * the sockets and apps that may call each, and the Cedar action group of each staff
 * action, as data in the method table), the person actions it decides, the resources
 * staff may name in explanations, its start and stop, its part of the home screen, what
 * it adds to a person's decision context, and its part of the person bundle.
 *
 * The core (core/) knows areas only through this struct: it starts them in order at
 * start-up, indexes their methods, asks each for its part of the home screen and the
 * bundle, and stops them in reverse order. areas.c lists them; adding an area is a folder
 * and one line there, and touches no core file.
 *
 * An area's state is created by its start(), hangs off the server (area_state()) and is
 * freed by its stop(); nothing starts lazily from whichever call comes first.
 */
#ifndef ONWARD_POLICYD_AREA_H
#define ONWARD_POLICYD_AREA_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "facts.h"
#include "store.h"

struct server;
struct method;
struct peer;
struct person_part;

#define AREAS_MAX 32

/* The home screen as the shell area builds it; each area adds its part. */
struct home_screen {
	json_t *badges; /* borrowed: {"messages": 2}, the number on an app's tile, by app */
	json_t *fields; /* borrowed: the reply's members besides person and tiles */
};

/*
 * A kind of resource staff name in onward.Policy.Explain and in grants
 * ("course:money-basics", "app:games", or "service" alone): the prefix before the colon,
 * the Cedar entity type, a check of an id's form, and how to put the named one in the
 * facts for person p. add returns -ENOENT when there is no such resource, and the call
 * answers with `missing`. A grantable kind can be opened or closed for one person with
 * the policy templates grant-PREFIX and block-PREFIX.
 */
struct area_resource {
	const char *prefix; /* "course" */
	const char *type; /* "Course" */
	const char *missing; /* "No course with that id is installed." */
	bool (*valid)(const char *id); /* NULL: the kind takes no id ("service") */
	int (*add)(struct server *srv, struct facts *f, const struct store_person *p,
	           const char *id);
	bool grantable;
};

/* The resource kind that text ("course:money-basics") names, with *ret_id pointing at its
 * id in text; NULL when no area has that kind or the id is malformed. */
const struct area_resource *area_resource_find(const char *text, const char **ret_id);

struct area {
	const char *name; /* "messages": its folder */
	/* Its method tables (each beside its handlers, ended by an entry with a NULL name),
	 * NULL-ended; may be NULL. */
	const struct method *const *methods;
	/* Actions a person's requests are decided on, NULL-ended (explain accepts these). */
	const char *const *person_actions;
	/* Those of them decided on the whole service (Service::"onward") rather than on one
	 * thing, NULL-ended: an app is told them (onward.App.Info) to show what is open. */
	const char *const *service_actions;
	const struct area_resource *resources; /* ended by a NULL prefix; may be NULL */
	/* Makes the area's state (*ret_state may stay NULL); on failure ret_error says why. */
	int (*start)(struct server *srv, void **ret_state, char *ret_error, size_t size);
	/* Closes the area's libuv handles when the daemon drains (before the loop ends). */
	void (*drain)(struct server *srv, void *state);
	/* Frees the state after the loop has ended; copes with a half-started area. */
	void (*stop)(struct server *srv, void *state);
	/* Adds the area's part of p's home screen (a badge, a field). */
	int (*home)(struct server *srv, const struct store_person *p, struct home_screen *h);
	/* The clock moved other than by running (a test set it): re-check what is due. */
	void (*clock_moved)(struct server *srv, void *state);
	/* A connection closed (the session area ends the person's session). */
	void (*peer_closed)(struct server *srv, struct peer *p);
	/* Adds the area's counters to a decision's context for p (messages sent today). */
	int (*context)(struct server *srv, const struct store_person *p, struct facts_context *ctx);
	const struct person_part *bundle_part; /* its part of the person bundle, or NULL */
};

/* Every area, in start order, NULL-ended (areas.c). */
extern const struct area *const area_list[];

/* Starts every area in order; on failure stops those started and says which failed. */
int areas_start(struct server *srv, char *ret_error, size_t size);
void areas_drain(struct server *srv);
void areas_stop(struct server *srv);

/* The state start() made for area a (NULL if it made none). */
void *area_state(const struct server *srv, const struct area *a);

/* Tells every area that the clock was set (onward.Test.Clock). */
void areas_clock_moved(struct server *srv);

/* Tells every area that a connection closed. */
void areas_peer_closed(struct server *srv, struct peer *p);

/* Adds every area's counters to ctx for person p (decide_person_begin calls this). */
int areas_context(struct server *srv, const struct store_person *p, struct facts_context *ctx);

#endif

/*
 * The housing area, shared by its files: area.c (its declaration), app.c (the person's
 * methods on the Housing app's channel, with the method table), staff.c (staff's),
 * directory.c (the directory of local services, read by onward-parse, and the area's
 * start, drain and stop) and bundle.c (the person's housing cases in person bundles).
 */
#ifndef ONWARD_POLICYD_HOUSING_INT_H
#define ONWARD_POLICYD_HOUSING_INT_H

#include <sys/stat.h>

#include "call.h"
#include "housing.h"

struct parser;

#define HOUSING_DIRECTORY_PROBLEM_MAX 400

/* A search or check paused until the directory's read answers. */
struct directory_wait {
	struct call *call; /* paused */
	bool check; /* Directory.Check, else Directory.Search */
};

#define DIRECTORY_WAITING_MAX 64

/* The directory of local services as last read from its file (directory.c). */
struct housing_directory {
	bool loaded; /* areas and services hold a good directory */
	json_t *areas; /* owned: [{id, name}], as onward-parse checked it and again here */
	json_t *services; /* owned: [{id, name, category, area, phone, address, hours, ...}] */
	char updated[11];
	char path[4200]; /* the file it came from */
	struct stat seen; /* the file last read, good or bad */
	bool have_seen;
	char problem[HOUSING_DIRECTORY_PROBLEM_MAX]; /* why the last file read was refused */
	struct parser *reader; /* owned: the child reading the file now, or NULL */
	struct stat reading; /* the file it is reading */
	struct directory_wait waiting[DIRECTORY_WAITING_MAX]; /* oldest first */
	size_t n_waiting;
	bool draining; /* the daemon is stopping: no new read */
};

/* The area's state: made by housing_start, freed by housing_stop (directory.c). */
struct housing {
	struct housing_directory directory;
};

extern const struct area housing_area;
extern const struct method housing_methods[];
extern const struct person_part housing_part; /* bundle.c */

static inline struct housing *
housing_of(struct server *srv)
{
	return area_state(srv, &housing_area);
}

int housing_start(struct server *srv, void **ret_state, char *ret_error, size_t size);
void housing_drain(struct server *srv, void *state);
void housing_stop(struct server *srv, void *state);

/* The statuses in order; a case only moves forward. -1 for an unknown word. */
int housing_status_rank(const char *status);

/* A case as staff see it, with every field. */
json_t *housing_render_case(const struct store_housing_case *hc);

/* A case's thread as JSON, for the person ("you") or for staff (ids). */
json_t *housing_render_thread(struct call *c, int64_t case_id, bool for_staff);

/* Staff handlers (staff.c). */
void housing_handle_list(struct call *c);
void housing_handle_show(struct call *c);
void housing_handle_status(struct call *c);
void housing_handle_reply(struct call *c);
extern const struct param_spec housing_list_params[];
extern const struct param_spec housing_show_params[];
extern const struct param_spec housing_status_params[];
extern const struct param_spec housing_reply_params[];

/* The directory of local services (directory.c). */
void directory_handle_search(struct call *c);
void directory_handle_check(struct call *c);
extern const struct param_spec directory_search_params[];
extern const struct param_spec directory_check_params[];

#endif

/*
 * What the housing method files share (private to m_housing*.c): the person-side methods
 * are in m_housing.c with the method table, staff's in m_housing_staff.c, and the
 * directory of local services in m_housing_directory.c.
 */
#ifndef ONWARD_POLICYD_M_HOUSING_H
#define ONWARD_POLICYD_M_HOUSING_H

#include "call.h"
#include "housing.h"

/* The statuses in order; a case only moves forward. -1 for an unknown word. */
int housing_status_rank(const char *status);

/* A case as staff see it, with every field. */
json_t *housing_render_case(const struct store_housing_case *hc);

/* A case's thread as JSON, for the person ("you") or for staff (ids). */
json_t *housing_render_thread(struct call *c, int64_t case_id, bool for_staff);

/* Staff handlers (m_housing_staff.c). */
void housing_handle_list(struct call *c);
void housing_handle_show(struct call *c);
void housing_handle_status(struct call *c);
void housing_handle_reply(struct call *c);
extern const struct param_spec housing_list_params[];
extern const struct param_spec housing_show_params[];
extern const struct param_spec housing_status_params[];
extern const struct param_spec housing_reply_params[];

/* The directory of local services (m_housing_directory.c). */
void directory_handle_search(struct call *c);
void directory_handle_check(struct call *c);
extern const struct param_spec directory_search_params[];
extern const struct param_spec directory_check_params[];

#endif

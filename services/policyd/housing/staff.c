/*
 * Housing staff's side of enquiries (onwardctl housing list, show, status, reply): lists
 * of the enquiries sent from their establishment (or all, for national housing staff),
 * one person's enquiry with its thread, moving its status forward, and replying. A new
 * status and a reply each become an entry in the thread the person reads. Whether the
 * staff member may do each is decided by policy before these run (authz.c, "housing" in
 * national.cedar's Staff section).
 */
#include "housing_int.h"

#include "clock.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define HOUSING_LIST_DEFAULT 100
#define HOUSING_LIST_MAX 500

struct list {
	struct call *call;
	json_t *rows;
	int64_t last_id;
	int count;
};

static int
add_row(const struct store_housing_case *hc, void *userdata)
{
	struct list *l = userdata;
	struct store_person p;
	int64_t messages = 0;
	json_t *row;

	if (store_person_get(l->call->server->store, hc->person_id, &p) < 0)
		p.given_name[0] = p.family_name[0] = '\0';
	(void)store_housing_message_count(l->call->server->store, hc->id, &messages);
	row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s, s:o, s:o, s:I}", "id",
	                (json_int_t)hc->id, "prison_number", hc->prison_number, "given_name",
	                p.given_name, "family_name", p.family_name, "status", hc->status,
	                "release_date", hc->release_date[0] ? hc->release_date : NULL, "area",
	                hc->area, "submitted_at", render_time(hc->submitted_at), "updated_at",
	                render_time(hc->updated_at), "messages", (json_int_t)messages);
	l->last_id = hc->id;
	l->count++;
	return json_array_append_new(l->rows, row);
}

void
housing_handle_list(struct call *c)
{
	const char *est = params_string(c->params, "establishment", NULL);
	const char *status = params_string(c->params, "status", NULL);
	int limit = (int)params_int(c->params, "limit", HOUSING_LIST_DEFAULT);
	struct list l = {c, json_array(), 0, 0};
	int r;

	if (status && housing_status_rank(status) < 0) {
		json_decref(l.rows);
		call_fail_param(c, "status",
		                "A status is draft, submitted, acknowledged, assessed, offered or "
		                "closed.");
		return;
	}
	call_set_subject(c, "%s%s", est ? "establishment:" : "service", est ? est : "");
	r = store_housing_list(c->server->store, est, status, params_int(c->params, "after", 0),
	                       limit, add_row, &l);
	if (r < 0) {
		json_decref(l.rows);
		call_fail_store(c, r, "housing enquiry");
		return;
	}
	call_reply(c, json_pack("{s:o, s:o}", "enquiries", l.rows, "next",
	                        l.count == limit ? json_integer(l.last_id) : json_null()));
}

/* The person's current case; false after answering when there is none. */
static bool
find_case(struct call *c, const struct store_person *p, struct store_housing_case *ret)
{
	int r = store_housing_current(c->server->store, p->id, ret);

	if (r == -ENOENT) {
		call_fail(c, PROTO_ERR_NOT_FOUND, "This person has not started a housing enquiry.",
		          NULL);
		return false;
	}
	if (r < 0) {
		call_fail_store(c, r, "housing enquiry");
		return false;
	}
	return true;
}

void
housing_handle_show(struct call *c)
{
	struct store_person p;
	struct store_housing_case hc;
	json_t *messages;

	if (!call_find_person(c, &p) || !find_case(c, &p, &hc))
		return;
	messages = housing_render_thread(c, hc.id, true);
	if (!messages) {
		call_fail_store(c, -EIO, "housing enquiry");
		return;
	}
	call_reply(c, json_pack("{s:o, s:{s:s, s:s, s:s, s:s?}, s:o}", "enquiry",
	                        housing_render_case(&hc), "person", "given_name", p.given_name,
	                        "family_name", p.family_name, "status", p.status, "release_date",
	                        p.release_date[0] ? p.release_date : NULL, "messages", messages));
}

/* Adds a staff entry to the thread and audits, in one transaction. */
static int
staff_entry(struct call *c, const struct store_housing_case *hc, const char *status,
            const char *text, int64_t *ret_id)
{
	struct store_housing_message m = {0};
	int64_t now = clock_now();
	int r;

	m.case_id = hc->id;
	snprintf(m.author, sizeof(m.author), "staff");
	snprintf(m.staff_id, sizeof(m.staff_id), "%s", c->staff.id);
	snprintf(m.status, sizeof(m.status), "%s", status ? status : "");
	snprintf(m.body, sizeof(m.body), "%s", text ? text : "");
	m.created_at = now;
	r = store_begin(c->server->store);
	if (r == 0 && status)
		r = store_housing_set_status(c->server->store, hc->id, status, c->staff.id, now);
	if (r == 0)
		r = store_housing_message_add(c->server->store, &m, ret_id);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:I, s:s?, s:s?}", "case", (json_int_t)hc->id, "from",
		                         status ? hc->status : NULL, "status", status));
	return call_end_transaction(c, r);
}

void
housing_handle_status(struct call *c)
{
	const char *status = params_string(c->params, "status", "");
	const char *note = params_string(c->params, "note", NULL);
	struct store_person p;
	struct store_housing_case hc;
	int64_t id = 0;
	int rank = housing_status_rank(status), r;

	if (!call_find_person(c, &p))
		return;
	if (rank < 0 || strcmp(status, "draft") == 0 || strcmp(status, "submitted") == 0) {
		call_fail_param(
		        c, "status",
		        "Staff set the status to acknowledged, assessed, offered or closed.");
		return;
	}
	if (note && !validate_text(note, HOUSING_MESSAGE_MAX, true)) {
		call_fail_param(c, "note", "Give a note of up to 1,000 characters.");
		return;
	}
	if (!find_case(c, &p, &hc))
		return;
	if (strcmp(hc.status, "draft") == 0) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "This enquiry has not been sent yet, so its status cannot change.", NULL);
		return;
	}
	if (strcmp(hc.status, "closed") == 0) {
		call_fail(c, PROTO_ERR_CONFLICT, "This enquiry is closed.", NULL);
		return;
	}
	if (rank <= housing_status_rank(hc.status)) {
		char message[160];

		snprintf(message, sizeof(message),
		         "This enquiry is already %s; a status only moves forward.", hc.status);
		call_fail(c, PROTO_ERR_CONFLICT, message, NULL);
		return;
	}
	r = staff_entry(c, &hc, status, note, &id);
	if (r == -EALREADY) {
		call_fail(c, PROTO_ERR_CONFLICT, "This enquiry changed meanwhile. Look again.",
		          NULL);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "housing enquiry");
		return;
	}
	(void)store_housing_current(c->server->store, p.id, &hc);
	call_reply(c, json_pack("{s:o}", "enquiry", housing_render_case(&hc)));
}

void
housing_handle_reply(struct call *c)
{
	const char *text = params_string(c->params, "text", "");
	struct store_person p;
	struct store_housing_case hc;
	int64_t id = 0, count = 0;
	int r;

	if (!call_find_person(c, &p))
		return;
	if (!validate_text(text, HOUSING_MESSAGE_MAX, true)) {
		call_fail_param(c, "text", "Write a reply of 1 to 1,000 characters.");
		return;
	}
	if (!find_case(c, &p, &hc))
		return;
	if (strcmp(hc.status, "draft") == 0 || strcmp(hc.status, "closed") == 0) {
		call_fail(
		        c, PROTO_ERR_CONFLICT,
		        strcmp(hc.status, "draft") == 0
		                ? "This enquiry has not been sent yet, so it cannot be replied to."
		                : "This enquiry is closed.",
		        NULL);
		return;
	}
	if (store_housing_message_count(c->server->store, hc.id, &count) == 0 &&
	    count >= HOUSING_THREAD_MAX) {
		call_fail(c, PROTO_ERR_CONFLICT, "This enquiry's thread is full (500 messages).",
		          NULL);
		return;
	}
	r = staff_entry(c, &hc, NULL, text, &id);
	if (r < 0) {
		call_fail_store(c, r, "housing enquiry");
		return;
	}
	call_reply(c, json_pack("{s:{s:I, s:s, s:s, s:s, s:o}}", "message", "id", (json_int_t)id,
	                        "from", "staff", "staff", c->staff.id, "text", text, "at",
	                        render_time(clock_now())));
}

const struct param_spec housing_list_params[] = {
        {"establishment", PARAM_STRING, false, 0, 3},
        {"status", PARAM_STRING, false, 0, 16},
        {"after", PARAM_INT, false, 1, INT64_MAX},
        {"limit", PARAM_INT, false, 1, HOUSING_LIST_MAX},
        {NULL},
};

const struct param_spec housing_show_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {NULL},
};

const struct param_spec housing_status_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"status", PARAM_STRING, true, 0, 16},
        {"note", PARAM_STRING, false, 0, HOUSING_MESSAGE_MAX},
        {NULL},
};

const struct param_spec housing_reply_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"text", PARAM_STRING, true, 0, HOUSING_MESSAGE_MAX},
        {NULL},
};

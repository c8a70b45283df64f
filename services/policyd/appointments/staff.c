/*
 * Staff's side of appointments (onwardctl appointment ...): booking in London time,
 * moving and cancelling (each tells the person with a notice and remakes the reminders),
 * a person's appointments with their reminders, the requests people made to rearrange,
 * answering them, and the reminder lead times per kind.
 *
 * A call that names an appointment or a request by id is admitted by policy for the staff
 * member's establishment (RES_PEOPLE), and then decided again here on the person the
 * appointment belongs to, because the dispatcher has no resource kind for "the owner of
 * appointment ID"; the person decision is the one recorded in the audit row.
 */
#include "appointments_int.h"

#include "authz.h"

#include "clock.h"
#include "london.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define BOOK_AHEAD_MAX (2 * 366 * 86400LL) /* appointments up to two years ahead */
#define LIST_DAYS_DEFAULT 60
#define REQUESTS_MAX 500

/* Decides the call's action again on the person who owns appointment a. */
static bool
admit_for_owner(struct call *c, const struct store_appointment *a, struct store_person *ret)
{
	int r = store_person_get(c->server->store, a->person_id, ret);

	if (r < 0) {
		call_fail_store(c, r, "person");
		return false;
	}
	return authz_admit_staff_on(c, ret);
}

/* Finds appointment "id" and admits the call for its person. */
static bool
find_appointment(struct call *c, struct store_appointment *ret, struct store_person *ret_person)
{
	json_int_t id = params_int(c->params, "id", 0);
	int r = store_appointment_get(c->server->store, id, ret);

	call_set_subject(c, "appointment:%lld", (long long)id);
	if (r < 0) {
		call_fail_store(c, r, "appointment");
		return false;
	}
	return admit_for_owner(c, ret, ret_person);
}

/* Reads "at" as an appointment time in the future; false after answering. */
static bool
future_time(struct call *c, int64_t now, int64_t *ret)
{
	const char *at = params_string(c->params, "at", "");
	int64_t t;
	int r = london_parse(at, &t);
	char message[200];

	if (r == -ERANGE) {
		snprintf(message, sizeof(message),
		         "There is no %.16s in London: the clocks go forward an hour then. Choose "
		         "another time.",
		         at);
		call_fail_param(c, "at", message);
		return false;
	}
	if (r < 0) {
		call_fail_param(c, "at",
		                "Give the time in London time as YYYY-MM-DD HH:MM, like "
		                "2026-12-03 10:30.");
		return false;
	}
	if (t <= now) {
		call_fail_param(c, "at",
		                "That time has already passed. Appointments are booked for the "
		                "future.");
		return false;
	}
	if (t - now > BOOK_AHEAD_MAX) {
		call_fail_param(c, "at", "That is more than two years away. Check the date.");
		return false;
	}
	*ret = t;
	return true;
}

static void
reply_appointment(struct call *c, int64_t id)
{
	struct store_appointment a;
	int r = store_appointment_get(c->server->store, id, &a);

	if (r < 0) {
		call_fail_store(c, r, "appointment");
		return;
	}
	call_reply(c, json_pack("{s:o}", "appointment", appointment_render(c->server, &a, true)));
}

void
appointment_handle_add(struct call *c)
{
	const char *kind = params_string(c->params, "kind", "");
	const char *place = params_string(c->params, "where", "");
	const char *with = params_string(c->params, "with", "");
	struct store_appointment a = {0};
	struct store_person p;
	int64_t now = clock_now(), id = 0;
	char local[20];
	int r;

	if (!call_find_person(c, &p))
		return;
	if (!appointment_kind_valid(kind)) {
		call_fail_param(
		        c, "kind",
		        "The kind is probation, health, education, legal, visit or release.");
		return;
	}
	if (!future_time(c, now, &a.starts_at))
		return;
	if (!validate_text(place, APPOINTMENT_PLACE_MAX, false)) {
		call_fail_param(c, "where", "Say where, in up to 100 characters.");
		return;
	}
	if (with[0] && !validate_text(with, APPOINTMENT_WITH_MAX, false)) {
		call_fail_param(c, "with", "Say who with, in up to 100 characters.");
		return;
	}
	a.person_id = p.id;
	snprintf(a.kind, sizeof(a.kind), "%s", kind);
	a.minutes = (int)params_int(c->params, "minutes", 60);
	snprintf(a.place, sizeof(a.place), "%s", place);
	snprintf(a.with, sizeof(a.with), "%s", with);
	snprintf(a.created_by, sizeof(a.created_by), "%s", c->staff.id);
	snprintf(a.status, sizeof(a.status), "booked");
	a.created_at = a.updated_at = now;
	london_format(a.starts_at, local, sizeof(local));
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_appointment_insert(c->server->store, &a, &id);
	a.id = id;
	if (r == 0)
		r = appointment_schedule(c->server, &a, now);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:I, s:s, s:s}", "appointment", (json_int_t)id, "kind",
		                         kind, "at", local));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "appointment");
		return;
	}
	reply_appointment(c, id);
}

static bool
still_booked(struct call *c, const struct store_appointment *a)
{
	if (strcmp(a->status, "booked") != 0) {
		call_fail(c, PROTO_ERR_CONFLICT, "This appointment was cancelled.", NULL);
		return false;
	}
	return true;
}

void
appointment_handle_move(struct call *c)
{
	struct store_appointment a;
	struct store_person p;
	int64_t now = clock_now(), to;
	char from_local[20], to_local[20];
	int r;

	if (!find_appointment(c, &a, &p) || !still_booked(c, &a) || !future_time(c, now, &to))
		return;
	if (to == a.starts_at) {
		call_fail_param(c, "at", "The appointment is already at that time.");
		return;
	}
	london_format(a.starts_at, from_local, sizeof(from_local));
	london_format(to, to_local, sizeof(to_local));
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_appointment_move(c->server->store, a.id, to, now);
	a.starts_at = to;
	if (r == 0)
		r = appointment_schedule(c->server, &a, now);
	if (r == 0)
		r = appointment_notice(c->server, &a, "moved", NULL, now);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:I, s:s, s:s}", "appointment", (json_int_t)a.id, "from",
		                         from_local, "to", to_local));
	r = call_end_transaction(c, r);
	if (r == -EALREADY) {
		call_fail(c, PROTO_ERR_CONFLICT, "This appointment was cancelled.", NULL);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "appointment");
		return;
	}
	reply_appointment(c, a.id);
}

void
appointment_handle_cancel(struct call *c)
{
	const char *reason = params_string(c->params, "reason", "");
	struct store_appointment a;
	struct store_person p;
	int64_t now = clock_now();
	int r;

	if (!find_appointment(c, &a, &p) || !still_booked(c, &a))
		return;
	if (reason[0] && !validate_text(reason, APPOINTMENT_REASON_MAX, false)) {
		call_fail_param(c, "reason", "Give a reason of up to 300 characters.");
		return;
	}
	if (a.starts_at + (int64_t)a.minutes * 60 <= now) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "This appointment is over; it cannot be cancelled.", NULL);
		return;
	}
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_appointment_cancel(c->server->store, a.id, reason, now);
	/* Its reminders stay, as a record of what the person was shown; they are not shown
	 * for a cancelled appointment. */
	if (r == 0)
		r = appointment_notice(c->server, &a, "cancelled", reason, now);
	if (r == 0)
		r = call_audit(
		        c, "ok",
		        json_pack("{s:I, s:s}", "appointment", (json_int_t)a.id, "reason", reason));
	r = call_end_transaction(c, r);
	if (r == -EALREADY) {
		call_fail(c, PROTO_ERR_CONFLICT, "This appointment was cancelled already.", NULL);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "appointment");
		return;
	}
	reply_appointment(c, a.id);
}

struct list {
	struct server *srv;
	json_t *rows;
};

static int
add_appointment(const struct store_appointment *a, void *userdata)
{
	struct list *l = userdata;

	return json_array_append_new(l->rows, appointment_render(l->srv, a, true));
}

void
appointment_handle_list(struct call *c)
{
	const char *from = params_string(c->params, "from", NULL);
	int days = (int)params_int(c->params, "days", LIST_DAYS_DEFAULT);
	struct store_person p;
	struct list l = {c->server, NULL};
	int64_t start;
	char today[11];
	int r;

	if (!call_find_person(c, &p))
		return;
	if (!from) {
		london_format_day(clock_now(), today, sizeof(today));
		from = today;
	}
	if (london_parse_day(from, &start) < 0) {
		call_fail_param(c, "from", "Give the first day as YYYY-MM-DD.");
		return;
	}
	l.rows = json_array();
	/* The end of the last day, by the calendar (a day is not always 24 hours). */
	{
		struct london_time lt;
		int64_t end;

		london_time_of(start + (int64_t)days * 86400 + 12 * 3600, &lt);
		lt.hour = lt.minute = lt.second = 0;
		(void)london_time_instant(&lt, &end);
		r = store_appointment_list(c->server->store, p.id, start, end, add_appointment, &l);
	}
	if (r < 0) {
		json_decref(l.rows);
		call_fail_store(c, r, "appointment");
		return;
	}
	call_reply(c, json_pack("{s:s, s:i, s:o}", "from", from, "days", days, "appointments",
	                        l.rows));
}

struct requests {
	struct server *srv;
	json_t *rows;
};

static int
add_request(const struct store_appointment_request *q, const struct store_appointment *a,
            void *userdata)
{
	struct requests *l = userdata;
	struct store_person p;

	if (store_person_get(l->srv->store, a->person_id, &p) < 0)
		p.given_name[0] = p.family_name[0] = '\0';
	return json_array_append_new(
	        l->rows, json_pack("{s:I, s:s, s:s, s:s?, s:o, s:s, s:s, s:s, s:o}", "id",
	                           (json_int_t)q->id, "reason", q->reason, "status", q->status,
	                           "answer", q->answer[0] ? q->answer : NULL, "asked_at",
	                           render_time(q->created_at), "prison_number", a->prison_number,
	                           "given_name", p.given_name, "family_name", p.family_name,
	                           "appointment", appointment_render(l->srv, a, false)));
}

void
appointment_handle_requests(struct call *c)
{
	const char *est = params_string(c->params, "establishment", NULL);
	struct requests l = {c->server, json_array()};
	int r;

	call_set_subject(c, "%s%s", est ? "establishment:" : "service", est ? est : "");
	r = store_appointment_request_list(c->server->store, est,
	                                   !params_bool(c->params, "all", false), REQUESTS_MAX,
	                                   add_request, &l);
	if (r < 0) {
		json_decref(l.rows);
		call_fail_store(c, r, "request");
		return;
	}
	call_reply(c, json_pack("{s:o}", "requests", l.rows));
}

void
appointment_handle_answer(struct call *c)
{
	const char *answer = params_string(c->params, "answer", "");
	const char *outcome = params_string(c->params, "outcome", "");
	json_int_t id = params_int(c->params, "id", 0);
	struct store_appointment_request q;
	struct store_appointment a;
	struct store_person p;
	int64_t now = clock_now();
	int r;

	call_set_subject(c, "request:%lld", (long long)id);
	r = store_appointment_request_get(c->server->store, id, &q);
	if (r == 0)
		r = store_appointment_get(c->server->store, q.appointment_id, &a);
	if (r < 0) {
		call_fail_store(c, r, "request");
		return;
	}
	if (!admit_for_owner(c, &a, &p))
		return;
	if (strcmp(outcome, "agreed") != 0 && strcmp(outcome, "declined") != 0) {
		call_fail_param(c, "outcome", "The outcome is agreed or declined.");
		return;
	}
	if (!validate_text(answer, APPOINTMENT_ANSWER_MAX, false)) {
		call_fail_param(c, "answer", "Give an answer of 1 to 500 characters.");
		return;
	}
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_appointment_request_answer(c->server->store, q.id, outcome, answer,
		                                     c->staff.id, now);
	if (r == 0)
		r = appointment_notice(c->server, &a, "answered", answer, now);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:I, s:I, s:s}", "request", (json_int_t)q.id,
		                         "appointment", (json_int_t)a.id, "outcome", outcome));
	r = call_end_transaction(c, r);
	if (r == -EALREADY) {
		call_fail(c, PROTO_ERR_CONFLICT, "This request has been answered already.", NULL);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "request");
		return;
	}
	reply_appointment(c, a.id);
}

static int
add_leads(const char *kind, const char *leads, const char *by, int64_t at, void *userdata)
{
	return json_array_append_new(userdata,
	                             json_pack("{s:s, s:s, s:s?, s:o}", "kind", kind, "leads",
	                                       leads, "updated_by", by[0] ? by : NULL, "updated_at",
	                                       render_time(at)));
}

void
appointment_handle_leads(struct call *c)
{
	json_t *rows = json_array();
	int r = store_reminder_leads_list(c->server->store, add_leads, rows);

	call_set_subject(c, "reminders");
	call_reply_list(c, r, rows, "leads", "lead time");
}

void
appointment_handle_set_leads(struct call *c)
{
	const char *kind = params_string(c->params, "kind", "");
	const char *leads = params_string(c->params, "leads", "");
	struct reminder_lead parsed[REMINDER_LEADS_MAX];
	char canonical[APPOINTMENT_LEADS_TEXT_MAX + 1];
	size_t n;
	int r;

	call_set_subject(c, "reminders:%.16s", kind);
	if (!appointment_kind_valid(kind)) {
		call_fail_param(
		        c, "kind",
		        "The kind is probation, health, education, legal, visit or release.");
		return;
	}
	if (london_leads_parse(leads, parsed, &n, canonical, sizeof(canonical)) < 0) {
		call_fail_param(c, "leads",
		                "Give 1 to 4 different lead times separated by commas: 1d (a day "
		                "before, same time), 1d@18:00 (the evening before), 2h, 30m.");
		return;
	}
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_reminder_leads_set(c->server->store, kind, canonical, c->staff.id,
		                             clock_now());
	if (r == 0)
		r = call_audit(c, "ok", json_pack("{s:s, s:s}", "kind", kind, "leads", canonical));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "lead time");
		return;
	}
	call_reply(c, json_pack("{s:s, s:s}", "kind", kind, "leads", canonical));
}

const struct param_spec appointment_add_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"kind", PARAM_STRING, true, 0, 16},
        {"at", PARAM_STRING, true, 0, 32},
        {"where", PARAM_STRING, true, 0, APPOINTMENT_PLACE_MAX},
        {"with", PARAM_STRING, false, 0, APPOINTMENT_WITH_MAX},
        {"minutes", PARAM_INT, false, 5, 720},
        {NULL},
};

const struct param_spec appointment_move_params[] = {
        {"id", PARAM_INT, true, 1, INT64_MAX},
        {"at", PARAM_STRING, true, 0, 32},
        {"establishment", PARAM_STRING, false, 0, 3},
        {NULL},
};

const struct param_spec appointment_cancel_params[] = {
        {"id", PARAM_INT, true, 1, INT64_MAX},
        {"reason", PARAM_STRING, false, 0, APPOINTMENT_REASON_MAX},
        {"establishment", PARAM_STRING, false, 0, 3},
        {NULL},
};

const struct param_spec appointment_list_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"from", PARAM_STRING, false, 0, 10},
        {"days", PARAM_INT, false, 1, 366},
        {NULL},
};

const struct param_spec appointment_requests_params[] = {
        {"establishment", PARAM_STRING, false, 0, 3},
        {"all", PARAM_BOOL, false, 0, 0},
        {NULL},
};

const struct param_spec appointment_answer_params[] = {
        {"id", PARAM_INT, true, 1, INT64_MAX},
        {"answer", PARAM_STRING, true, 0, APPOINTMENT_ANSWER_MAX},
        {"outcome", PARAM_STRING, true, 0, 16},
        {"establishment", PARAM_STRING, false, 0, 3},
        {NULL},
};

const struct param_spec appointment_leads_params[] = {
        {"establishment", PARAM_STRING, false, 0, 3},
        {NULL},
};

const struct param_spec appointment_set_leads_params[] = {
        {"kind", PARAM_STRING, true, 0, 16},
        {"leads", PARAM_STRING, true, 0, APPOINTMENT_LEADS_TEXT_MAX},
        {NULL},
};

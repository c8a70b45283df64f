/*
 * The person's side of appointments: on the appointments app's channel, the day and week
 * views (onward.Appointment.List, with the countdown to release and the reminders due,
 * those hidden too), confirming, and asking to rearrange with a reason that reaches
 * staff; on the control socket, the shell's onward.Reminder.Dismiss when the person hides
 * a reminder's banner. Every answer is a policy decision (appointment.view,
 * appointment.change) on the appointment itself, so a rule such as "the release day
 * cannot be moved from the tablet" is policy, with its reason shown as it is.
 */
#include "appointments_int.h"

#include "clock.h"
#include "london.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LIST_DAYS_MAX 62 /* the longest range one List covers */

/* Decides action for the person on the appointment (or on the service when a is NULL). */
static int
decide_on(struct server *srv, const struct store_person *p, const char *action,
          const struct store_appointment *a, struct decision *ret)
{
	char id[24];
	struct policy_uid principal = {"Person", p->prison_number};
	struct policy_uid resource = {"Service", "onward"};
	struct facts_context ctx;
	struct facts *f = decide_person_begin(srv, p, &ctx);
	int r;

	if (!f)
		return -ENOMEM;
	if (a) {
		snprintf(id, sizeof(id), "%lld", (long long)a->id);
		resource = (struct policy_uid){"Appointment", id};
		r = appointment_add_fact(f, a, p->prison_number);
	} else {
		r = facts_add_service(f);
	}
	return r < 0 ? r : decide(srv, &principal, action, &resource, &ctx, ret);
}

/* Decides into c->decision; false after answering when refused or broken. */
static bool
allowed(struct call *c, const struct store_person *p, const char *action,
        const struct store_appointment *a)
{
	if (decide_on(c->server, p, action, a, &c->decision) < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "This cannot be checked now. Try again.", NULL);
		return false;
	}
	if (!c->decision.allowed) {
		call_fail(c, PROTO_ERR_PERMISSION_DENIED, c->decision.reason, NULL);
		return false;
	}
	return true;
}

struct person_list {
	struct call *call;
	const struct store_person *person;
	json_t *rows;
	int error;
};

static int
add_row(const struct store_appointment *a, void *userdata)
{
	struct person_list *l = userdata;
	json_t *o = appointment_render(l->call->server, a, false);
	struct decision d;

	/* Whether the person may ask to move it, and if not why, before they try. */
	if (decide_on(l->call->server, l->person, "appointment.change", a, &d) < 0)
		return -ENOMEM;
	json_object_set_new(
	        o, "change",
	        json_pack("{s:b, s:s}", "allowed", d.allowed, "reason", d.allowed ? "" : d.reason));
	return json_array_append_new(l->rows, o);
}

/* London midnight at the start of the day that is days after the London date of t. */
static int64_t
day_start(int64_t t, int days)
{
	struct london_time lt;
	int64_t ret = 0;

	london_time_of(t + (int64_t)days * 86400 + 12 * 3600, &lt);
	lt.hour = lt.minute = lt.second = 0;
	(void)london_time_instant(&lt, &ret);
	return ret;
}

void
appointment_handle_person_list(struct call *c)
{
	const char *from = params_string(c->params, "from", NULL);
	const char *to = params_string(c->params, "to", NULL);
	struct person_list l = {c, NULL, NULL, 0};
	struct store_person p;
	struct store_appointment next;
	int64_t now = clock_now(), start, last, end;
	char today[11], from_day[11], to_day[11];
	json_t *release = json_null(), *next_json = json_null();
	int days, r;

	if (!call_session_person(c, &p) || !allowed(c, &p, "appointment.view", NULL))
		return;
	london_format_day(now, today, sizeof(today));
	if (london_parse_day(from ? from : today, &start) < 0) {
		call_fail_param(c, "from", "Give the first day as YYYY-MM-DD.");
		return;
	}
	if (to && london_parse_day(to, &last) < 0) {
		call_fail_param(c, "to", "Give the last day as YYYY-MM-DD.");
		return;
	}
	if (!to)
		last = day_start(start, 6); /* a week: the first day and six more */
	london_format_day(start, from_day, sizeof(from_day));
	london_format_day(last, to_day, sizeof(to_day));
	if (london_days_until(to_day, start + 12 * 3600, &days) < 0 || days < 0 ||
	    days >= LIST_DAYS_MAX) {
		call_fail_param(c, "to", "Ask for 1 to 62 days, the last not before the first.");
		return;
	}
	end = day_start(start, days + 1);
	l.person = &p;
	l.rows = json_array();
	r = store_appointment_list(c->server->store, p.id, start, end, add_row, &l);
	if (r < 0) {
		json_decref(l.rows);
		call_fail_store(c, r, "appointment");
		return;
	}
	/* The countdown: in custody, with a release date still to come. */
	if (p.release_date[0] && facts_status_in_custody(p.status) &&
	    london_days_until(p.release_date, now, &days) == 0 && days >= 0) {
		json_decref(release);
		release = json_pack("{s:s, s:i}", "date", p.release_date, "days", days);
	}
	if (store_appointment_next(c->server->store, p.id, now, &next) == 0) {
		json_decref(next_json);
		next_json = appointment_render(c->server, &next, false);
	}
	/* Every reminder due, hidden ones too: a banner dismissed at home is here again. */
	call_reply(c, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "today", today, "from",
	                        from_day, "to", to_day, "appointments", l.rows, "release", release,
	                        "next", next_json, "reminders",
	                        appointment_reminders(c->server, &p, now)));
}

/* The person's own appointment "id"; false after answering when it is not theirs. */
static bool
own_appointment(struct call *c, const struct store_person *p, struct store_appointment *ret)
{
	json_int_t id = params_int(c->params, "id", 0);
	int r = store_appointment_get(c->server->store, id, ret);

	/* Someone else's appointment is "no such", so an app cannot learn which ids exist. */
	if (r == 0 && ret->person_id != p->id)
		r = -ENOENT;
	if (r < 0) {
		call_fail_store(c, r, "appointment");
		return false;
	}
	return true;
}

/* Refuses a cancelled or finished appointment; false after answering. */
static bool
still_ahead(struct call *c, const struct store_appointment *a, int64_t now)
{
	if (strcmp(a->status, "booked") != 0) {
		call_fail(c, PROTO_ERR_CONFLICT, "This appointment was cancelled.", NULL);
		return false;
	}
	if (a->starts_at + (int64_t)a->minutes * 60 <= now) {
		call_fail(c, PROTO_ERR_CONFLICT, "This appointment is over.", NULL);
		return false;
	}
	return true;
}

static void
reply_own(struct call *c, int64_t id)
{
	struct store_appointment a;
	int r = store_appointment_get(c->server->store, id, &a);

	if (r < 0) {
		call_fail_store(c, r, "appointment");
		return;
	}
	call_reply(c, json_pack("{s:o}", "appointment", appointment_render(c->server, &a, false)));
}

void
appointment_handle_confirm(struct call *c)
{
	struct store_person p;
	struct store_appointment a;
	int64_t now = clock_now();
	int r;

	if (!call_session_person(c, &p) || !own_appointment(c, &p, &a) ||
	    !allowed(c, &p, "appointment.view", &a) || !still_ahead(c, &a, now))
		return;
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_appointment_confirm(c->server->store, a.id, now);
	if (r == 0)
		r = call_audit(c, "ok", json_pack("{s:I}", "appointment", (json_int_t)a.id));
	r = call_end_transaction(c, r);
	if (r == -EALREADY) {
		call_fail(c, PROTO_ERR_CONFLICT, "This appointment was cancelled.", NULL);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "appointment");
		return;
	}
	reply_own(c, a.id);
}

void
appointment_handle_ask_change(struct call *c)
{
	const char *reason = params_string(c->params, "reason", "");
	struct store_appointment_request q = {0};
	struct store_person p;
	struct store_appointment a;
	int64_t now = clock_now(), id = 0;
	int r;

	if (!call_session_person(c, &p) || !own_appointment(c, &p, &a) ||
	    !allowed(c, &p, "appointment.change", &a) || !still_ahead(c, &a, now))
		return;
	if (!validate_text(reason, APPOINTMENT_REASON_MAX, false)) {
		call_fail_param(c, "reason", "Tell staff why, in up to 300 letters.");
		return;
	}
	if (a.open_request) {
		call_fail(
		        c, PROTO_ERR_CONFLICT,
		        "You have already asked to change this appointment. Staff will answer you.",
		        NULL);
		return;
	}
	q.appointment_id = a.id;
	snprintf(q.reason, sizeof(q.reason), "%s", reason);
	q.created_at = now;
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_appointment_request_insert(c->server->store, &q, &id);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:I, s:I}", "appointment", (json_int_t)a.id, "request",
		                         (json_int_t)id));
	r = call_end_transaction(c, r);
	if (r == -EEXIST) {
		call_fail(
		        c, PROTO_ERR_CONFLICT,
		        "You have already asked to change this appointment. Staff will answer you.",
		        NULL);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "appointment");
		return;
	}
	reply_own(c, a.id);
}

void
reminder_handle_dismiss(struct call *c)
{
	json_int_t id = params_int(c->params, "id", 0);
	struct store_person p;
	int64_t now = clock_now(), remaining = 0;
	bool already = false;
	int r;

	r = store_person_get(c->server->store, c->peer->person_id, &p);
	if (r < 0) {
		call_fail_store(c, r, "person");
		return;
	}
	call_set_subject(c, "person:%s", p.prison_number);
	r = store_begin(c->server->store);
	if (r == 0) {
		r = store_reminder_dismiss(c->server->store, id, p.id, now);
		if (r == -EALREADY) {
			already = true;
			r = 0;
		}
	}
	if (r == 0)
		r = call_audit(
		        c, "ok",
		        json_pack("{s:I, s:b}", "reminder", (json_int_t)id, "already", already));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "reminder");
		return;
	}
	(void)store_reminder_count_due(c->server->store, p.id, now, &remaining);
	call_reply(c, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id, "state", "dismissed",
	                        "remaining", (json_int_t)remaining));
}

const struct param_spec appointment_person_list_params[] = {
        {"from", PARAM_STRING, false, 0, 10},
        {"to", PARAM_STRING, false, 0, 10},
        {NULL},
};

const struct param_spec appointment_id_params[] = {
        {"id", PARAM_INT, true, 1, INT64_MAX},
        {NULL},
};

const struct param_spec appointment_ask_params[] = {
        {"id", PARAM_INT, true, 1, INT64_MAX},
        {"reason", PARAM_STRING, true, 0, APPOINTMENT_REASON_MAX},
        {NULL},
};

const struct param_spec reminder_dismiss_params[] = {
        {"id", PARAM_INT, true, 1, INT64_MAX},
        {NULL},
};

/*
 * Appointments and reminders: the table of every appointment method, what the files
 * appointments/staff.c and appointments/app.c share (scheduling reminders, notices,
 * rendering), and the area's part of the home screen (appointment_home): the badge of due
 * reminders, the next appointment, and the banners.
 *
 * Reminders are rows with a state, not timers. Booking or moving an appointment writes a
 * row for each lead time of its kind, due at a London clock time (core/london.c);
 * the home screen shows every row that is due, not expired and not dismissed; the person
 * dismisses one with its banner's "Hide" button, and the Appointments app still lists it
 * (appointment_reminders). So a reminder shows at its time whether or not the
 * daemon was running when that time came (one missed while the tablet was off is there
 * when it is back), and restarting shows nothing twice: there is one row, in one state.
 */
#include "appointments_int.h"

#include "clock.h"
#include "log.h"
#include "london.h"
#include "render.h"
#include "timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define BANNERS_MAX 8 /* banners offered at once; the shell shows them one by one */
#define BANNER_TEXT_MAX 400 /* bytes: what the shell takes */
#define NOTICE_SECONDS (24 * 3600) /* a notice lasts at least this long */

const char *const appointment_kinds[] = {
        "probation", "health", "education", "legal", "visit", "release",
};
const size_t appointment_kind_count = sizeof(appointment_kinds) / sizeof(appointment_kinds[0]);

bool
appointment_kind_valid(const char *s)
{
	for (size_t i = 0; i < appointment_kind_count; i++)
		if (strcmp(s, appointment_kinds[i]) == 0)
			return true;
	return false;
}

const char *
appointment_kind_words(const char *kind)
{
	static const char *const words[][2] = {
	        {"probation", "probation appointment"},
	        {"health", "health appointment"},
	        {"education", "education session"},
	        {"legal", "legal visit"},
	        {"visit", "visit"},
	        {"release", "release appointment"},
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(kind, words[i][0]) == 0)
			return words[i][1];
	return "appointment";
}

static int64_t
appointment_end(const struct store_appointment *a)
{
	return a->starts_at + (int64_t)a->minutes * 60;
}

int
appointment_schedule(struct server *srv, const struct store_appointment *a, int64_t now)
{
	struct reminder_lead leads[REMINDER_LEADS_MAX];
	char text[APPOINTMENT_LEADS_TEXT_MAX + 1], canonical[APPOINTMENT_LEADS_TEXT_MAX + 1];
	struct store_reminder m = {0};
	int64_t late_due = 0;
	size_t n = 0;
	int late = -1, r;

	r = store_reminder_clear(srv->store, a->id, "before");
	if (r < 0)
		return r;
	r = store_reminder_leads_get(srv->store, a->kind, text, sizeof(text));
	if (r == 0 && london_leads_parse(text, leads, &n, canonical, sizeof(canonical)) < 0) {
		/* Set through SetLeads, which checks them; a bad row is a bug, not the
		 * person's problem: book without reminders, and say so. */
		log_error("appointments: the lead times for %s (\"%s\") cannot be read", a->kind,
		          text);
		return 0;
	}
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	m.appointment_id = a->id;
	m.person_id = a->person_id;
	snprintf(m.kind, sizeof(m.kind), "before");
	m.expires_at = appointment_end(a);
	m.created_at = now;
	for (size_t i = 0; i < n && r == 0; i++) {
		int64_t due = london_lead_due(a->starts_at, &leads[i]);

		if (due <= now) {
			/* Too late for this one: the latest of those passed stands for them. */
			if (late < 0 || due > late_due) {
				late = (int)i;
				late_due = due;
			}
			continue;
		}
		london_lead_format(&leads[i], m.lead, sizeof(m.lead));
		m.due_at = due;
		r = store_reminder_insert(srv->store, &m, NULL);
	}
	if (r == 0 && late >= 0) {
		london_lead_format(&leads[late], m.lead, sizeof(m.lead));
		m.due_at = now;
		r = store_reminder_insert(srv->store, &m, NULL);
	}
	return r;
}

int
appointment_notice(struct server *srv, const struct store_appointment *a, const char *kind,
                   const char *note, int64_t now)
{
	struct store_reminder m = {0};
	int r = store_reminder_clear(srv->store, a->id, kind);

	/* A cancellation makes an earlier "moved" notice wrong. */
	if (r == 0 && strcmp(kind, "cancelled") == 0)
		r = store_reminder_clear(srv->store, a->id, "moved");
	if (r < 0)
		return r;
	m.appointment_id = a->id;
	m.person_id = a->person_id;
	snprintf(m.kind, sizeof(m.kind), "%s", kind);
	snprintf(m.note, sizeof(m.note), "%s", note ? note : "");
	m.due_at = now;
	m.expires_at = appointment_end(a) > now + NOTICE_SECONDS ? appointment_end(a)
	                                                         : now + NOTICE_SECONDS;
	m.created_at = now;
	return store_reminder_insert(srv->store, &m, NULL);
}

static int
add_reminder(const struct store_reminder *m, void *userdata)
{
	char due[20];

	london_format(m->due_at, due, sizeof(due));
	return json_array_append_new(
	        userdata,
	        json_pack("{s:I, s:s, s:s?, s:s, s:o, s:s, s:o, s:o, s:s?}", "id",
	                  (json_int_t)m->id, "kind", m->kind, "lead", m->lead[0] ? m->lead : NULL,
	                  "due", due, "due_at", render_time(m->due_at), "state", m->state,
	                  "shown_at", render_time(m->shown_at), "dismissed_at",
	                  render_time(m->dismissed_at), "note", m->note[0] ? m->note : NULL));
}

json_t *
appointment_render(struct server *srv, const struct store_appointment *a, bool for_staff)
{
	struct store_appointment_request q;
	struct london_time lt;
	char date[11], clock[6], local[20];
	json_t *o, *request = json_null();

	london_time_of(a->starts_at, &lt);
	snprintf(date, sizeof(date), "%04d-%02d-%02d", lt.year, lt.month, lt.day);
	snprintf(clock, sizeof(clock), "%02d:%02d", lt.hour, lt.minute);
	london_format(a->starts_at, local, sizeof(local));
	if (store_appointment_request_latest(srv->store, a->id, &q) == 0) {
		json_decref(request);
		request = json_pack("{s:I, s:s, s:s, s:s?, s:o, s:o}", "id", (json_int_t)q.id,
		                    "reason", q.reason, "status", q.status, "answer",
		                    q.answer[0] ? q.answer : NULL, "asked_at",
		                    render_time(q.created_at), "answered_at",
		                    render_time(q.answered_at));
	}
	o = json_pack(
	        "{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:i, s:i, s:s, s:s?, s:s, s:b, s:o, s:s?, "
	        "s:o}",
	        "id", (json_int_t)a->id, "kind", a->kind, "kind_words",
	        appointment_kind_words(a->kind), "at", render_time(a->starts_at), "local", local,
	        "date", date, "time", clock, "weekday", lt.weekday, "minutes", a->minutes, "where",
	        a->place, "with", a->with[0] ? a->with : NULL, "status", a->status, "confirmed",
	        a->confirmed_at != 0, "confirmed_at", render_time(a->confirmed_at), "cancel_reason",
	        a->cancel_reason[0] ? a->cancel_reason : NULL, "request", request);
	if (o && for_staff) {
		json_t *reminders = json_array();

		(void)store_reminder_list(srv->store, a->id, add_reminder, reminders);
		json_object_set_new(o, "prison_number", json_string(a->prison_number));
		json_object_set_new(o, "booked_by", json_string(a->created_by));
		json_object_set_new(o, "reminders", reminders);
	}
	return o;
}

/* ---- the home screen ---- */

/* Whether the person may see their appointments now (policy appointment.view). */
static bool
may_view(struct server *srv, const struct store_person *p)
{
	struct policy_uid principal = {"Person", p->prison_number};
	struct policy_uid resource = {"Service", "onward"};
	struct facts_context ctx;
	struct facts *f = decide_person_begin(srv, p, &ctx);
	struct decision d;

	return f && facts_add_service(f) == 0 &&
	       decide(srv, &principal, "appointment.view", &resource, &ctx, &d) == 0 && d.allowed;
}

/* Reminders due and not yet acknowledged: the badge on the appointments tile. */
static int
due_reminders(struct server *srv, const struct store_person *p)
{
	int64_t count = 0;

	if (store_reminder_count_due(srv->store, p->id, clock_now(), &count) < 0)
		return 0;
	return count > 9999 ? 9999 : (int)count;
}

/* The next appointment as {at, kind, where, with}, or JSON null. New reference. */
static json_t *
next_appointment(struct server *srv, const struct store_person *p)
{
	struct store_appointment a;

	if (store_appointment_next(srv->store, p->id, clock_now(), &a) < 0)
		return json_null();
	return json_pack("{s:o, s:s, s:s, s:s}", "at", render_time(a.starts_at), "kind", a.kind,
	                 "where", a.place, "with", a.with);
}

/* Cuts s to at most max bytes at a character boundary, ending it with "…" if cut. */
static void
cut_text(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	n = max - 3;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(s + n, "\xE2\x80\xA6", 4);
}

/* What a banner says in Welsh (banner_text() in English). Impersonal past tenses
 * ("Canslwyd": "was cancelled") say it without the noun's gender. */
static void
banner_text_cy(const struct store_reminder *m, const struct store_appointment *a, int64_t now,
               char *buf, size_t size)
{
	static const char *const kinds[][2] = {
	        {"probation", "apwyntiad prawf"},
	        {"health", "apwyntiad iechyd"},
	        {"education", "sesiwn addysg"},
	        {"legal", "ymweliad cyfreithiol"},
	        {"visit", "ymweliad"},
	        {"release", "apwyntiad rhyddhau"},
	};
	const char *words = "apwyntiad";
	char when[80];

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(a->kind, kinds[i][0]) == 0)
			words = kinds[i][1];
	london_words_cy(a->starts_at, now, when, sizeof(when));
	if (strcmp(m->kind, "moved") == 0)
		snprintf(buf, size, "Symudwyd eich %s. Yr amser newydd: %s, yn %s.", words, when,
		         a->place);
	else if (strcmp(m->kind, "cancelled") == 0)
		snprintf(buf, size, "Canslwyd eich %s %s.%s%s", words, when,
		         m->note[0] ? " Mae staff yn dweud: " : "", m->note);
	else if (strcmp(m->kind, "answered") == 0)
		snprintf(buf, size, "Atebodd staff am eich %s %s: %s", words, when, m->note);
	else
		snprintf(buf, size, "Nodyn atgoffa: mae eich %s %s, yn %s.", words, when, a->place);
	cut_text(buf, BANNER_TEXT_MAX);
}

static void
banner_text(const struct store_reminder *m, const struct store_appointment *a, int64_t now,
            char *buf, size_t size)
{
	const char *words = appointment_kind_words(a->kind);
	char when[80];

	london_words(a->starts_at, now, when, sizeof(when));
	if (strcmp(m->kind, "moved") == 0)
		snprintf(buf, size, "Your %s has moved. It is now %s, at %s.", words, when,
		         a->place);
	else if (strcmp(m->kind, "cancelled") == 0)
		snprintf(buf, size, "Your %s %s is cancelled.%s%s", words, when,
		         m->note[0] ? " Staff say: " : "", m->note);
	else if (strcmp(m->kind, "answered") == 0)
		snprintf(buf, size, "Staff answered about your %s %s: %s", words, when, m->note);
	else
		snprintf(buf, size, "Reminder: your %s is %s, at %s.", words, when, a->place);
	cut_text(buf, BANNER_TEXT_MAX);
}

struct banners {
	json_t *list;
	int64_t now;
	bool welsh; /* the person chose Welsh */
	bool with_hidden; /* the app's list: dismissed ones too, each saying so */
	int64_t pending[BANNERS_MAX]; /* shown for the first time now */
	size_t n_pending;
};

static int
add_banner(const struct store_reminder *m, const struct store_appointment *a, void *userdata)
{
	struct banners *b = userdata;
	char text[1024];
	json_t *o;

	if (b->welsh)
		banner_text_cy(m, a, b->now, text, sizeof(text));
	else
		banner_text(m, a, b->now, text, sizeof(text));
	if (!b->with_hidden && strcmp(m->state, "pending") == 0 && b->n_pending < BANNERS_MAX)
		b->pending[b->n_pending++] = m->id;
	o = json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)m->id, "text", text, "kind",
	              m->kind, "appointment", (json_int_t)a->id);
	if (o && b->with_hidden)
		json_object_set_new(o, "hidden", json_boolean(strcmp(m->state, "dismissed") == 0));
	return json_array_append_new(b->list, o);
}

json_t *
appointment_reminders(struct server *srv, const struct store_person *p, int64_t now)
{
	struct banners b = {json_array(), now, decide_person_reads_welsh(srv, p), true, {0}, 0};

	if (store_reminder_due(srv->store, p->id, now, true, REMINDERS_LIST_MAX, add_banner, &b) <
	    0) {
		log_warn("appointments: reminders for %s cannot be read: %s", p->prison_number,
		         store_last_error(srv->store));
		json_array_clear(b.list);
	}
	return b.list;
}

/* Banners to show now, [{id, text, kind, appointment}]: new reference, [] when none. */
static json_t *
banners(struct server *srv, const struct store_person *p)
{
	struct banners b = {json_array(), clock_now(), decide_person_reads_welsh(srv, p),
	                    false,        {0},         0};
	bool began;

	if (store_reminder_due(srv->store, p->id, b.now, false, BANNERS_MAX, add_banner, &b) < 0) {
		log_warn("home: reminders for %s cannot be read: %s", p->prison_number,
		         store_last_error(srv->store));
		json_array_clear(b.list);
		return b.list;
	}
	/* The first time each is shown is recorded, after the query (changing the rows it
	 * walks would disturb it), in one transaction: staff can see that the person was
	 * told. A failure here costs only that record. */
	began = b.n_pending > 0 && store_begin(srv->store) == 0;
	for (size_t i = 0; i < b.n_pending; i++)
		(void)store_reminder_mark_shown(srv->store, b.pending[i], b.now);
	if (began)
		(void)store_commit(srv->store);
	return b.list;
}

/* Appointment::"ID" (its kind) in the person's Person entity, for a decision about it. */
int
appointment_add_fact(struct facts *f, const struct store_appointment *a, const char *prison_number)
{
	struct policy_uid person = {"Person", prison_number};
	struct policy_entity *e;
	char id[24];
	int r;

	snprintf(id, sizeof(id), "%lld", (long long)a->id);
	r = facts_add_entity(f, "Appointment", id, &person, &e);
	return r < 0 ? r : facts_set_string(f, e, "kind", a->kind);
}

/*
 * The appointments area's part of the home screen: the badge on its tile (reminders due),
 * the next appointment for the status bar, and the banners. Nothing of it while policy
 * keeps the person's appointments from them.
 */
int
appointment_home(struct server *srv, const struct store_person *p, struct home_screen *h)
{
	bool allowed = may_view(srv, p);

	json_object_set_new(h->badges, "appointments",
	                    json_integer(allowed ? due_reminders(srv, p) : 0));
	json_object_set_new(h->fields, "next_appointment",
	                    allowed ? next_appointment(srv, p) : json_null());
	json_object_set_new(h->fields, "banners", allowed ? banners(srv, p) : json_array());
	return 0;
}

/* The apps whose channels may call a method, and what any other app is told. */
#define APPOINTMENTS_APP_ONLY                                                                      \
	.apps = "appointments", .wrong_app = "Only the appointments app can do this."

const struct method appointment_methods[] = {
        /* The person, on the appointments app's channel (appointments/app.c). */
        {"onward.Appointment.List", SOCKET_CHANNEL, "appointment.view", AUDIT_ON_REPLY,
         APPOINTMENTS_APP_ONLY, .needs_session = true, .params = appointment_person_list_params,
         .handler = appointment_handle_person_list},
        {"onward.Appointment.Confirm", SOCKET_CHANNEL, "appointment.confirm", AUDIT_HANDLER,
         APPOINTMENTS_APP_ONLY, .needs_session = true, .params = appointment_id_params,
         .handler = appointment_handle_confirm},
        {"onward.Appointment.AskChange", SOCKET_CHANNEL, "appointment.ask_change", AUDIT_HANDLER,
         APPOINTMENTS_APP_ONLY, .needs_session = true, .params = appointment_ask_params,
         .handler = appointment_handle_ask_change},
        /* The shell: a tapped reminder banner. */
        {"onward.Reminder.Dismiss", SOCKET_CONTROL, "reminder.dismiss", AUDIT_HANDLER,
         .needs_session = true, .params = reminder_dismiss_params,
         .handler = reminder_handle_dismiss},
        /* Staff (appointments/staff.c). Those naming an appointment or request by id are
         * admitted for the establishment, then decided again on its person. */
        {"onward.Appointment.Add", SOCKET_ADMIN, "appointment.add", AUDIT_HANDLER,
         .writes_person = true, .group = "appointments.manage", .resource = RES_PERSON,
         .network = true, .params = appointment_add_params, .handler = appointment_handle_add},
        {"onward.Appointment.Move", SOCKET_ADMIN, "appointment.move", AUDIT_HANDLER,
         .writes_person = true, .group = "appointments.manage", .resource = RES_PEOPLE,
         .network = true, .params = appointment_move_params, .handler = appointment_handle_move},
        {"onward.Appointment.Cancel", SOCKET_ADMIN, "appointment.cancel", AUDIT_HANDLER,
         .writes_person = true, .group = "appointments.manage", .resource = RES_PEOPLE,
         .network = true, .params = appointment_cancel_params,
         .handler = appointment_handle_cancel},
        {"onward.Appointment.ListPerson", SOCKET_ADMIN, "appointment.list", AUDIT_ON_REPLY,
         .group = "appointments.manage", .resource = RES_PERSON, .network = true,
         .params = appointment_list_params, .handler = appointment_handle_list},
        {"onward.Appointment.Requests", SOCKET_ADMIN, "appointment.requests", AUDIT_ON_REPLY,
         .group = "appointments.manage", .resource = RES_PEOPLE, .network = true,
         .params = appointment_requests_params, .handler = appointment_handle_requests},
        {"onward.Appointment.Answer", SOCKET_ADMIN, "appointment.answer", AUDIT_HANDLER,
         .writes_person = true, .group = "appointments.manage", .resource = RES_PEOPLE,
         .network = true, .params = appointment_answer_params,
         .handler = appointment_handle_answer},
        {"onward.Appointment.Leads", SOCKET_ADMIN, "appointment.leads", AUDIT_ON_REPLY,
         .group = "appointments.manage", .resource = RES_PEOPLE, .network = true,
         .params = appointment_leads_params, .handler = appointment_handle_leads},
        {"onward.Appointment.SetLeads", SOCKET_ADMIN, "appointment.set_leads", AUDIT_HANDLER,
         .group = "appointments.manage", .resource = RES_SERVICE, .network = true,
         .params = appointment_set_leads_params, .handler = appointment_handle_set_leads},
        {NULL},
};

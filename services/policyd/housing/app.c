/*
 * onward.Housing.* on the housing app's channel: a person's housing enquiry (the
 * duty-to-refer route) from the first draft to the thread of replies, and the table of
 * every housing and directory method. A draft is saved field by field between sessions;
 * every field is checked before anything is stored, and a bad one is refused by name with
 * a message the person can act on. Sending is allowed once, when the enquiry is complete
 * and the person has agreed to share it. What a person may do is the policy's
 * housing.enquire (from 12 weeks before release, and on licence), with its reason when
 * refused. Staff methods are in housing/staff.c, the directory in housing/directory.c.
 */
#include "housing_int.h"

#include "clock.h"
#include "log.h"
#include "london.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define HOUSING_STEPS_MAX 20 /* pages of the app's form, for resuming a draft */

static const char *const statuses[] = {
        "draft", "submitted", "acknowledged", "assessed", "offered", "closed",
};

static const char *const need_words[] = {"accessibility", "children", "health"};

static const char *const routes[] = {"phone", "email", "probation"};

/* The form's fields, as SaveDraft names them. */
static const char *const field_names[] = {
        "step",         "release_date", "area",          "last_address",   "needs",
        "needs_detail", "consent",      "contact_route", "contact_detail",
};

int
housing_status_rank(const char *status)
{
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(status, statuses[i]) == 0)
			return (int)i;
	return -1;
}

static bool
one_of(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

json_t *
housing_render_case(const struct store_housing_case *hc)
{
	return json_pack("{s:I, s:s, s:s, s:i, s:s?, s:s, s:s, s:o, s:s, s:b, s:s?, s:s, s:o, s:o, "
	                 "s:o, s:o, s:s?}",
	                 "id", (json_int_t)hc->id, "prison_number", hc->prison_number, "status",
	                 hc->status, "step", hc->step, "release_date",
	                 hc->release_date[0] ? hc->release_date : NULL, "area", hc->area,
	                 "last_address", hc->last_address, "needs", render_keywords(hc->needs),
	                 "needs_detail", hc->needs_detail, "consent", hc->consent, "contact_route",
	                 hc->contact_route[0] ? hc->contact_route : NULL, "contact_detail",
	                 hc->contact_detail, "created_at", render_time(hc->created_at),
	                 "updated_at", render_time(hc->updated_at), "submitted_at",
	                 render_time(hc->submitted_at), "status_at", render_time(hc->status_at),
	                 "status_by", hc->status_by[0] ? hc->status_by : NULL);
}

/* The person's own view: everything but who on the staff set the status. */
static json_t *
render_case_self(const struct store_housing_case *hc)
{
	json_t *o = housing_render_case(hc);

	json_object_del(o, "status_by");
	return o;
}

struct thread {
	struct call *call;
	json_t *list;
	bool for_staff;
};

static int
add_message(const struct store_housing_message *m, void *userdata)
{
	struct thread *t = userdata;
	bool staff = strcmp(m->author, "staff") == 0;
	char local[20];
	json_t *o;

	/* London time as well, for apps, which have no time zone of their own. */
	london_format(m->created_at, local, sizeof(local));
	o = json_pack("{s:I, s:s, s:s?, s:s, s:o, s:s}", "id", (json_int_t)m->id, "from",
	              staff          ? "staff"
	              : t->for_staff ? "person"
	                             : "you",
	              "status", m->status[0] ? m->status : NULL, "text", m->body, "at",
	              render_time(m->created_at), "local", local);

	if (staff && t->for_staff) {
		json_object_set_new(o, "staff", json_string(m->staff_id));
	} else if (staff) {
		/* The person sees who answered them, by name: a relationship, not a queue. */
		struct store_staff st;

		if (store_staff_get(t->call->server->store, m->staff_id, &st) == 0)
			json_object_set_new(o, "name", json_string(st.name));
	}
	return json_array_append_new(t->list, o);
}

json_t *
housing_render_thread(struct call *c, int64_t case_id, bool for_staff)
{
	struct thread t = {c, json_array(), for_staff};

	if (store_housing_messages(c->server->store, case_id, add_message, &t) < 0) {
		json_decref(t.list);
		return NULL;
	}
	return t.list;
}

/* Decides housing.enquire for the person into c->decision. */
static int
decide_enquire(struct call *c, const struct store_person *p)
{
	struct policy_uid principal = {"Person", p->prison_number};
	struct policy_uid resource = {"Service", "onward"};
	struct facts_context ctx;
	struct facts *f = decide_person_begin(c->server, p, &ctx);

	if (!f || facts_add_service(f) < 0)
		return -ENOMEM;
	return decide(c->server, &principal, "housing.enquire", &resource, &ctx, &c->decision);
}

/* Decides; false after answering when refused (with the policy's reason) or broken. */
static bool
may_enquire(struct call *c, const struct store_person *p)
{
	if (decide_enquire(c, p) < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "This cannot be checked now. Try again.", NULL);
		return false;
	}
	if (!c->decision.allowed) {
		call_fail(c, PROTO_ERR_PERMISSION_DENIED, c->decision.reason, NULL);
		return false;
	}
	return true;
}

/* What is wrong with a release date, for this person now; NULL when it is fine. */
static const char *
release_date_problem(const char *date, const struct store_person *p, int64_t now)
{
	int days;

	if (!validate_date(date) || london_days_until(date, now, &days) < 0)
		return "Give your release date as a real date, like 2027-01-29.";
	if (days > 730)
		return "That release date is more than 2 years away. Check the date.";
	if (days < 0 && facts_status_in_custody(p->status))
		return "Your release date cannot be in the past. Check the date.";
	if (days < -1830)
		return "That date is more than 5 years ago. Check the date.";
	return NULL;
}

static bool
valid_phone(const char *s)
{
	size_t digits = 0, len = strlen(s);

	if (len < 10 || len > 20)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (!(s[i] == ' ' || (s[i] == '+' && i == 0)))
			return false;
	}
	return digits >= 10 && digits <= 13;
}

static bool
valid_email(const char *s)
{
	const char *at = strchr(s, '@'), *dot;
	size_t len = strlen(s);

	if (!at || at == s || strchr(at + 1, '@') || len > HOUSING_CONTACT_MAX)
		return false;
	dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || !dot[1])
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* What is wrong with a contact detail for a route; NULL when it is fine. */
static const char *
contact_problem(const char *route, const char *detail)
{
	if (strcmp(route, "phone") == 0 && !valid_phone(detail))
		return "Give a phone number of 10 to 13 numbers, like 07700 900123.";
	if (strcmp(route, "email") == 0 && !valid_email(detail))
		return "Give an email address, like sam@example.org.";
	if (strcmp(route, "probation") == 0 && detail[0])
		return "Your probation officer passes messages on, so no number is needed.";
	return NULL;
}

/* A text field that may be emptied in a draft: "" or valid text up to max bytes. */
static bool
draft_text(struct call *c, const char *name, size_t max, bool multiline, char *dst,
           const char *message)
{
	const char *v = params_string(c->params, name, NULL);

	if (!v)
		return true;
	if (v[0] && !validate_text(v, max, multiline)) {
		call_fail_param(c, name, message);
		return false;
	}
	snprintf(dst, max + 1, "%s", v);
	return true;
}

/*
 * Applies the fields given to hc, checking each; false after answering with the first bad
 * one (hc may then be half changed, but nothing has been stored).
 */
static bool
apply_fields(struct call *c, const struct store_person *p, struct store_housing_case *hc,
             json_t *changed)
{
	json_t *needs = json_object_get(c->params, "needs"), *item;
	const char *date = params_string(c->params, "release_date", NULL);
	const char *route = params_string(c->params, "contact_route", NULL);
	const char *detail = params_string(c->params, "contact_detail", NULL);
	const char *problem;
	size_t i;

	if (json_object_get(c->params, "step"))
		hc->step = (int)params_int(c->params, "step", 0);
	if (date && date[0] && (problem = release_date_problem(date, p, clock_now()))) {
		call_fail_param(c, "release_date", problem);
		return false;
	}
	if (date)
		snprintf(hc->release_date, sizeof(hc->release_date), "%s", date);
	if (!draft_text(c, "area", HOUSING_AREA_MAX, false, hc->area,
	                "Say which area you have a connection to, in up to 100 letters.") ||
	    !draft_text(c, "last_address", HOUSING_ADDRESS_MAX, true, hc->last_address,
	                "Say where you lived, in up to 200 letters.") ||
	    !draft_text(c, "needs_detail", HOUSING_DETAIL_MAX, true, hc->needs_detail,
	                "Tell us more about what you need in up to 300 letters."))
		return false;
	if (needs) {
		char joined[HOUSING_NEEDS_MAX + 1] = "";
		size_t used = 0;

		json_array_foreach(needs, i, item)
		{
			const char *word = json_string_value(item);

			if (!one_of(word, need_words, sizeof(need_words) / sizeof(need_words[0])) ||
			    strstr(joined, word)) {
				call_fail_param(c, "needs",
				                "Needs are chosen from accessibility, children and "
				                "health, each once.");
				return false;
			}
			used += (size_t)snprintf(joined + used, sizeof(joined) - used, "%s%s",
			                         used ? "," : "", word);
		}
		snprintf(hc->needs, sizeof(hc->needs), "%s", joined);
	}
	if (json_object_get(c->params, "consent"))
		hc->consent = params_bool(c->params, "consent", false);
	if (route && route[0] && !one_of(route, routes, sizeof(routes) / sizeof(routes[0]))) {
		call_fail_param(c, "contact_route",
		                "Choose how to reach you: phone, email or through your probation "
		                "officer.");
		return false;
	}
	if (route)
		snprintf(hc->contact_route, sizeof(hc->contact_route), "%s", route);
	if (detail) {
		if (detail[0] && !hc->contact_route[0]) {
			call_fail_param(
			        c, "contact_detail",
			        "First choose how to reach you: phone, email or through your "
			        "probation officer.");
			return false;
		}
		if (detail[0] && (problem = contact_problem(hc->contact_route, detail))) {
			call_fail_param(c, "contact_detail", problem);
			return false;
		}
		snprintf(hc->contact_detail, sizeof(hc->contact_detail), "%s", detail);
	} else if (route && hc->contact_detail[0] &&
	           contact_problem(hc->contact_route, hc->contact_detail)) {
		/* A new way to reach them makes the old number or address meaningless. */
		hc->contact_detail[0] = '\0';
	}
	for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (json_object_get(c->params, field_names[i]))
			json_array_append_new(changed, json_string(field_names[i]));
	return true;
}

static void
handle_get(struct call *c)
{
	struct store_person p;
	struct store_housing_case hc;
	json_t *enquiry = json_null();
	int64_t messages = 0;
	int r;

	if (!call_session_person(c, &p))
		return;
	if (decide_enquire(c, &p) < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "This cannot be checked now. Try again.", NULL);
		return;
	}
	r = store_housing_current(c->server->store, p.id, &hc);
	if (r == 0) {
		json_decref(enquiry);
		enquiry = render_case_self(&hc);
		r = store_housing_message_count(c->server->store, hc.id, &messages);
	}
	if (r < 0 && r != -ENOENT) {
		json_decref(enquiry);
		call_fail_store(c, r, "housing enquiry");
		return;
	}
	call_reply(c, json_pack("{s:o, s:b, s:s, s:s?, s:I}", "enquiry", enquiry, "can_enquire",
	                        c->decision.allowed, "reason", c->decision.reason, "release_date",
	                        p.release_date[0] ? p.release_date : NULL, "messages",
	                        (json_int_t)messages));
}

static void
handle_save(struct call *c)
{
	struct store_person p;
	struct store_housing_case hc;
	json_t *changed;
	int64_t id = 0;
	bool fresh = false;
	int r;

	if (!call_session_person(c, &p) || !may_enquire(c, &p))
		return;
	r = store_housing_current(c->server->store, p.id, &hc);
	if (r == -ENOENT || (r == 0 && strcmp(hc.status, "closed") == 0)) {
		memset(&hc, 0, sizeof(hc));
		hc.person_id = p.id;
		snprintf(hc.prison_number, sizeof(hc.prison_number), "%s", p.prison_number);
		snprintf(hc.status, sizeof(hc.status), "draft");
		fresh = true;
	} else if (r < 0) {
		call_fail_store(c, r, "housing enquiry");
		return;
	} else if (strcmp(hc.status, "draft") != 0) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "You have already sent your housing enquiry, so it cannot be changed. "
		          "You can send a message instead.",
		          NULL);
		return;
	}
	changed = json_array();
	if (!apply_fields(c, &p, &hc, changed)) {
		json_decref(changed);
		return;
	}
	r = store_begin(c->server->store);
	if (r == 0 && fresh) {
		hc.created_at = hc.updated_at = clock_now();
		r = store_housing_insert(c->server->store, &hc, &id);
		hc.id = id;
	} else if (r == 0) {
		hc.updated_at = clock_now();
		r = store_housing_update_draft(c->server->store, &hc, hc.updated_at);
	}
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:I, s:b, s:o}", "case", (json_int_t)hc.id, "new", fresh,
		                         "fields", json_incref(changed)));
	r = call_end_transaction(c, r);
	json_decref(changed);
	if (r == -EALREADY) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "You have already sent your housing enquiry, so it cannot be changed.",
		          NULL);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "housing enquiry");
		return;
	}
	call_reply(c, json_pack("{s:o}", "enquiry", render_case_self(&hc)));
}

/* The first thing missing before sending, as (field, message); false when complete. */
static bool
incomplete(const struct store_housing_case *hc, const struct store_person *p, const char **field,
           const char **message)
{
	const char *problem;

	if (!hc->release_date[0]) {
		*field = "release_date";
		*message = "Tell us your release date before you send this.";
	} else if ((problem = release_date_problem(hc->release_date, p, clock_now()))) {
		*field = "release_date";
		*message = problem;
	} else if (!hc->area[0]) {
		*field = "area";
		*message = "Tell us which area you have a connection to before you send this.";
	} else if (!hc->last_address[0]) {
		*field = "last_address";
		*message = "Tell us where you lived before you send this.";
	} else if (!hc->contact_route[0]) {
		*field = "contact_route";
		*message = "Tell us how to reach you after release before you send this.";
	} else if (strcmp(hc->contact_route, "probation") != 0 &&
	           (!hc->contact_detail[0] ||
	            contact_problem(hc->contact_route, hc->contact_detail))) {
		*field = "contact_detail";
		*message = strcmp(hc->contact_route, "phone") == 0
		                   ? "Give the phone number to reach you on before you send this."
		                   : "Give the email address to reach you at before you send this.";
	} else if (!hc->consent) {
		*field = "consent";
		*message = "You need to agree to share your enquiry with the council before you "
		           "send it.";
	} else {
		return false;
	}
	return true;
}

static void
handle_submit(struct call *c)
{
	struct store_person p;
	struct store_housing_case hc;
	struct store_housing_message m = {0};
	const char *field, *message;
	int r;

	if (!call_session_person(c, &p) || !may_enquire(c, &p))
		return;
	r = store_housing_current(c->server->store, p.id, &hc);
	if (r == -ENOENT || (r == 0 && strcmp(hc.status, "closed") == 0)) {
		call_fail(c, PROTO_ERR_NOT_FOUND,
		          "There is no housing enquiry to send yet. Fill in the questions first.",
		          NULL);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "housing enquiry");
		return;
	}
	if (strcmp(hc.status, "draft") != 0) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "You have already sent this housing enquiry. It cannot be sent twice.",
		          NULL);
		return;
	}
	if (incomplete(&hc, &p, &field, &message)) {
		call_fail_param(c, field, message);
		return;
	}
	m.case_id = hc.id;
	snprintf(m.author, sizeof(m.author), "person");
	snprintf(m.status, sizeof(m.status), "submitted");
	m.created_at = clock_now();
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_housing_submit(c->server->store, hc.id, m.created_at);
	if (r == 0)
		r = store_housing_message_add(c->server->store, &m, NULL);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:I, s:s, s:s}", "case", (json_int_t)hc.id, "status",
		                         "submitted", "area", hc.area));
	r = call_end_transaction(c, r);
	if (r == -EALREADY) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "You have already sent this housing enquiry. It cannot be sent twice.",
		          NULL);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "housing enquiry");
		return;
	}
	(void)store_housing_current(c->server->store, p.id, &hc);
	call_reply(c, json_pack("{s:o}", "enquiry", render_case_self(&hc)));
}

static void
handle_thread(struct call *c)
{
	struct store_person p;
	struct store_housing_case hc;
	json_t *messages;
	int r;

	if (!call_session_person(c, &p))
		return;
	r = store_housing_current(c->server->store, p.id, &hc);
	if (r == -ENOENT) {
		call_reply(c, json_pack("{s:n, s:[]}", "status", "messages"));
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "housing enquiry");
		return;
	}
	messages = housing_render_thread(c, hc.id, false);
	if (!messages) {
		call_fail_store(c, -EIO, "housing enquiry");
		return;
	}
	call_reply(c, json_pack("{s:s, s:o}", "status", hc.status, "messages", messages));
}

static void
handle_reply(struct call *c)
{
	struct store_person p;
	struct store_housing_case hc;
	struct store_housing_message m = {0};
	const char *text = params_string(c->params, "text", "");
	int64_t id = 0, count = 0;
	int r;

	if (!call_session_person(c, &p) || !may_enquire(c, &p))
		return;
	if (!validate_text(text, HOUSING_MESSAGE_MAX, true)) {
		call_fail_param(c, "text", "Write your message in up to 1,000 letters.");
		return;
	}
	r = store_housing_current(c->server->store, p.id, &hc);
	if (r == 0 && strcmp(hc.status, "draft") == 0)
		r = -ENOENT;
	if (r == -ENOENT) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "Send your housing enquiry first. Then you can send messages about it.",
		          NULL);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "housing enquiry");
		return;
	}
	if (strcmp(hc.status, "closed") == 0) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "This housing enquiry is closed. Ask your key worker if you need more "
		          "help.",
		          NULL);
		return;
	}
	if (store_housing_message_count(c->server->store, hc.id, &count) == 0 &&
	    count >= HOUSING_THREAD_MAX) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "This enquiry has too many messages. Ask your key worker for help.",
		          NULL);
		return;
	}
	m.case_id = hc.id;
	snprintf(m.author, sizeof(m.author), "person");
	snprintf(m.body, sizeof(m.body), "%s", text);
	m.created_at = clock_now();
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_housing_message_add(c->server->store, &m, &id);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:I, s:I}", "case", (json_int_t)hc.id, "message",
		                         (json_int_t)id));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "housing enquiry");
		return;
	}
	call_reply(c, json_pack("{s:{s:I, s:s, s:s, s:o}}", "message", "id", (json_int_t)id, "from",
	                        "you", "text", m.body, "at", render_time(m.created_at)));
}

static const struct param_spec no_params[] = {{NULL}};

static const struct param_spec save_params[] = {
        {"step", PARAM_INT, false, 0, HOUSING_STEPS_MAX},
        {"release_date", PARAM_STRING, false, 0, 10},
        {"area", PARAM_STRING, false, 0, HOUSING_AREA_MAX},
        {"last_address", PARAM_STRING, false, 0, HOUSING_ADDRESS_MAX},
        {"needs", PARAM_STRINGS, false, 0, 3},
        {"needs_detail", PARAM_STRING, false, 0, HOUSING_DETAIL_MAX},
        {"consent", PARAM_BOOL, false, 0, 0},
        {"contact_route", PARAM_STRING, false, 0, 16},
        {"contact_detail", PARAM_STRING, false, 0, HOUSING_CONTACT_MAX},
        {NULL},
};

static const struct param_spec reply_params[] = {
        {"text", PARAM_STRING, true, 0, HOUSING_MESSAGE_MAX},
        {NULL},
};

/* The apps whose channels may call a method, and what any other app is told. */
#define HOUSING_APP_ONLY .apps = "housing", .wrong_app = "Only the housing app can do this."

const struct method housing_methods[] = {
        /* The person, on the housing app's channel. */
        {"onward.Housing.Get", SOCKET_CHANNEL, "housing.get", AUDIT_ON_REPLY, HOUSING_APP_ONLY,
         .needs_session = true, .params = no_params, .handler = handle_get},
        {"onward.Housing.SaveDraft", SOCKET_CHANNEL, "housing.save_draft", AUDIT_HANDLER,
         HOUSING_APP_ONLY, .needs_session = true, .params = save_params, .handler = handle_save},
        {"onward.Housing.Submit", SOCKET_CHANNEL, "housing.submit", AUDIT_HANDLER, HOUSING_APP_ONLY,
         .needs_session = true, .params = no_params, .handler = handle_submit},
        {"onward.Housing.Thread", SOCKET_CHANNEL, "housing.thread", AUDIT_ON_REPLY,
         HOUSING_APP_ONLY, .needs_session = true, .params = no_params, .handler = handle_thread},
        {"onward.Housing.Reply", SOCKET_CHANNEL, "housing.message", AUDIT_HANDLER, HOUSING_APP_ONLY,
         .needs_session = true, .params = reply_params, .handler = handle_reply},
        {"onward.Directory.Search", SOCKET_CHANNEL, "directory.search", AUDIT_NONE,
         .apps = "housing services",
         .wrong_app = "Only the housing and local services apps can do this.",
         .needs_session = true, .params = directory_search_params,
         .handler = directory_handle_search},
        /* Staff, on the admin socket (housing/staff.c, housing/directory.c). */
        {"onward.Housing.List", SOCKET_ADMIN, "housing.list", AUDIT_ON_REPLY,
         .group = "housing.manage", .resource = RES_PEOPLE, .network = true,
         .params = housing_list_params, .handler = housing_handle_list},
        {"onward.Housing.Show", SOCKET_ADMIN, "housing.show", AUDIT_ON_REPLY,
         .group = "housing.manage", .resource = RES_PERSON, .network = true,
         .params = housing_show_params, .handler = housing_handle_show},
        {"onward.Housing.SetStatus", SOCKET_ADMIN, "housing.update", AUDIT_HANDLER,
         .writes_person = true, .group = "housing.manage", .resource = RES_PERSON, .network = true,
         .params = housing_status_params, .handler = housing_handle_status},
        {"onward.Housing.StaffReply", SOCKET_ADMIN, "housing.reply", AUDIT_HANDLER,
         .writes_person = true, .group = "housing.manage", .resource = RES_PERSON, .network = true,
         .params = housing_reply_params, .handler = housing_handle_reply},
        {"onward.Directory.Check", SOCKET_ADMIN, "directory.check", AUDIT_ON_REPLY,
         .group = "housing.manage", .resource = RES_SERVICE, .params = directory_check_params,
         .handler = directory_handle_check},
        {NULL},
};

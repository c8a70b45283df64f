/*
 * onwardctl commands for appointments (appointment add, move, cancel, list, requests,
 * answer, leads, set-leads): rows of the command table (see commands.h) and the functions
 * that print their replies. Times go in and come out in London time.
 */
#include "commands.h"
#include "print.h"

#include <string.h>

static long long
num(json_t *obj, const char *key)
{
	return (long long)json_integer_value(json_object_get(obj, key));
}

/* One line for an appointment: id, London time, kind, status, where and with. */
static void
print_line(FILE *out, json_t *a)
{
	const char *status = print_text(a, "status");
	json_t *q = json_object_get(a, "request");

	fprintf(out, "%-5lld %s %-9s %-9s %s", num(a, "id"), print_text(a, "local"),
	        print_text(a, "kind"),
	        strcmp(status, "booked") != 0                   ? status
	        : json_is_true(json_object_get(a, "confirmed")) ? "confirmed"
	                                                        : "booked",
	        print_text(a, "where"));
	if (json_is_string(json_object_get(a, "with")))
		fprintf(out, ", with %s", print_text(a, "with"));
	if (json_is_object(q) && strcmp(print_text(q, "status"), "open") == 0)
		fprintf(out, "  [asked to change: request %lld]", num(q, "id"));
	fputc('\n', out);
}

static void
print_reminders(FILE *out, json_t *a)
{
	size_t i;
	json_t *m;

	json_array_foreach(json_object_get(a, "reminders"), i, m)
	{
		fprintf(out, "      %-9s %-9s due %s  %s", print_text(m, "kind"),
		        print_text(m, "lead"), print_text(m, "due"), print_text(m, "state"));
		if (json_is_string(json_object_get(m, "shown_at")))
			fprintf(out, " (shown %s)", print_text(m, "shown_at"));
		fputc('\n', out);
	}
}

static void
print_one(FILE *out, json_t *params)
{
	json_t *a = json_object_get(params, "appointment");

	print_line(out, a);
	if (json_is_string(json_object_get(a, "cancel_reason")))
		fprintf(out, "      cancelled: %s\n", print_text(a, "cancel_reason"));
	print_reminders(out, a);
}

static void
print_list(FILE *out, json_t *params)
{
	size_t i;
	json_t *a;

	fprintf(out, "%-5s %-16s %-9s %-9s %s\n", "ID", "WHEN (LONDON)", "KIND", "STATUS", "WHERE");
	json_array_foreach(json_object_get(params, "appointments"), i, a)
	{
		print_line(out, a);
		print_reminders(out, a);
	}
}

static void
print_requests(FILE *out, json_t *params)
{
	size_t i;
	json_t *q;

	if (!json_array_size(json_object_get(params, "requests")))
		fprintf(out, "no requests\n");
	json_array_foreach(json_object_get(params, "requests"), i, q)
	{
		json_t *a = json_object_get(q, "appointment");

		fprintf(out, "request %lld (%s) from %s %s %s, asked %s:\n  \"%s\"\n", num(q, "id"),
		        print_text(q, "status"), print_text(q, "prison_number"),
		        print_text(q, "given_name"), print_text(q, "family_name"),
		        print_text(q, "asked_at"), print_text(q, "reason"));
		fprintf(out, "  about: ");
		print_line(out, a);
		if (json_is_string(json_object_get(q, "answer")))
			fprintf(out, "  answer: %s\n", print_text(q, "answer"));
	}
}

static void
print_leads(FILE *out, json_t *params)
{
	size_t i;
	json_t *l;

	fprintf(out, "%-10s %-20s %s\n", "KIND", "REMINDERS BEFORE", "CHANGED");
	json_array_foreach(json_object_get(params, "leads"), i, l) fprintf(
	        out, "%-10s %-20s %s%s%s\n", print_text(l, "kind"), print_text(l, "leads"),
	        print_text(l, "updated_at"),
	        json_is_string(json_object_get(l, "updated_by")) ? " by " : "",
	        json_is_string(json_object_get(l, "updated_by")) ? print_text(l, "updated_by")
	                                                         : "");
}

static void
print_set_leads(FILE *out, json_t *params)
{
	fprintf(out, "%s: reminders %s before (for appointments booked or moved from now on)\n",
	        print_text(params, "kind"), print_text(params, "leads"));
}

static const struct command_option no_options[] = {{NULL}};

static const struct command_option add_options[] = {
        {"kind", "kind", OPT_STRING, "probation, health, education, legal, visit or release"},
        {"at", "at", OPT_STRING, "when, in London time: \"2026-12-03 10:30\""},
        {"where", "where", OPT_STRING, "the place, as the person will see it"},
        {"with", "with", OPT_STRING, "who the person will see"},
        {"minutes", "minutes", OPT_INT, "how long it lasts (default 60)"},
        {NULL},
};

static const struct command_option move_options[] = {
        {"at", "at", OPT_STRING, "the new time, in London time: \"2026-12-03 10:30\""},
        {NULL},
};

static const struct command_option cancel_options[] = {
        {"reason", "reason", OPT_STRING, "why, in plain words (the person sees it)"},
        {NULL},
};

static const struct command_option list_options[] = {
        {"from", "from", OPT_STRING, "the first day, YYYY-MM-DD (default today)"},
        {"days", "days", OPT_INT, "how many days (default 60)"},
        {NULL},
};

static const struct command_option requests_options[] = {
        {"establishment", "establishment", OPT_STRING, "only people at this establishment"},
        {"all", "all", OPT_FLAG, "answered requests too"},
        {NULL},
};

static const struct command_option answer_options[] = {
        {"outcome", "outcome", OPT_STRING, "agreed or declined"},
        {"text", "answer", OPT_STRING, "the answer, in plain words (the person sees it)"},
        {NULL},
};

static const struct command_option set_leads_options[] = {
        {"leads", "leads", OPT_STRING,
         "up to 4, comma-separated: 1d (a day before), 1d@18:00 (the evening before), 2h, 30m"},
        {NULL},
};

const struct command appointment_commands[] = {
        /* clang-format off */
	{"appointment", "add", "onward.Appointment.Add", {"prison_number"}, "s", add_options,
	 "book an appointment for a person (London time)", print_one},
	{"appointment", "move", "onward.Appointment.Move", {"id"}, "i", move_options,
	 "move an appointment to a new time; the person is told", print_one},
	{"appointment", "cancel", "onward.Appointment.Cancel", {"id"}, "i", cancel_options,
	 "cancel an appointment; the person is told", print_one},
	{"appointment", "list", "onward.Appointment.ListPerson", {"prison_number"}, "s",
	 list_options, "a person's appointments and their reminders", print_list},
	{"appointment", "requests", "onward.Appointment.Requests", {NULL}, "", requests_options,
	 "requests from people to rearrange appointments", print_requests},
	{"appointment", "answer", "onward.Appointment.Answer", {"id"}, "i", answer_options,
	 "answer a request to rearrange: --outcome agreed|declined --text ...", print_one},
	{"appointment", "leads", "onward.Appointment.Leads", {NULL}, "", no_options,
	 "show when reminders come, per kind of appointment", print_leads},
	{"appointment", "set-leads", "onward.Appointment.SetLeads", {"kind"}, "s",
	 set_leads_options, "set when reminders come for a kind of appointment", print_set_leads},
        /* clang-format on */
        {NULL},
};

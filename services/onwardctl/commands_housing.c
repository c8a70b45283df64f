/*
 * onwardctl commands for housing enquiries (housing list, show, status, reply) and the
 * directory of local services (directory check): rows of the command table (see
 * commands.h) and the functions that print their replies.
 */
#include "commands.h"
#include "print.h"

#include <string.h>

static void
print_list(FILE *out, json_t *params)
{
	size_t i;
	json_t *e;

	fprintf(out, "%-8s %-13s %-10s %-22s %-4s %s\n", "PERSON", "STATUS", "RELEASE", "AREA",
	        "MSGS", "NAME");
	json_array_foreach(json_object_get(params, "enquiries"), i, e) fprintf(
	        out, "%-8s %-13s %-10s %-22.22s %-4lld %s %s\n", print_text(e, "prison_number"),
	        print_text(e, "status"), print_text(e, "release_date"), print_text(e, "area"),
	        (long long)json_integer_value(json_object_get(e, "messages")),
	        print_text(e, "given_name"), print_text(e, "family_name"));
}

static void
print_enquiry(FILE *out, json_t *e)
{
	size_t i;
	json_t *need;

	fprintf(out, "enquiry %lld for %s: %s (since %s%s%s)\n",
	        (long long)json_integer_value(json_object_get(e, "id")),
	        print_text(e, "prison_number"), print_text(e, "status"), print_text(e, "status_at"),
	        json_is_string(json_object_get(e, "status_by")) ? ", by " : "",
	        json_is_string(json_object_get(e, "status_by")) ? print_text(e, "status_by") : "");
	fprintf(out, "  release date:      %s\n", print_text(e, "release_date"));
	fprintf(out, "  local connection:  %s\n", print_text(e, "area"));
	fprintf(out, "  where they lived:  %s\n", print_text(e, "last_address"));
	fprintf(out, "  needs:             ");
	if (!json_array_size(json_object_get(e, "needs")))
		fputs("none given", out);
	json_array_foreach(json_object_get(e, "needs"), i, need)
	        fprintf(out, "%s%s", i ? ", " : "", json_string_value(need));
	fputc('\n', out);
	if (json_string_length(json_object_get(e, "needs_detail")))
		fprintf(out, "  in their words:    %s\n", print_text(e, "needs_detail"));
	fprintf(out, "  contact after release: %s %s\n", print_text(e, "contact_route"),
	        json_string_length(json_object_get(e, "contact_detail"))
	                ? print_text(e, "contact_detail")
	                : "");
	fprintf(out, "  consent to share:  %s\n", print_text(e, "consent"));
	fprintf(out, "  sent:              %s\n", print_text(e, "submitted_at"));
}

static void
print_thread(FILE *out, json_t *messages)
{
	size_t i;
	json_t *m;

	json_array_foreach(messages, i, m)
	{
		const char *who = strcmp(print_text(m, "from"), "staff") == 0
		                          ? print_text(m, "staff")
		                          : "person";

		fprintf(out, "  %s  %-12s", print_text(m, "at"), who);
		if (json_is_string(json_object_get(m, "status")))
			fprintf(out, " [%s]", print_text(m, "status"));
		if (json_string_length(json_object_get(m, "text")))
			fprintf(out, " %s", print_text(m, "text"));
		fputc('\n', out);
	}
}

static void
print_show(FILE *out, json_t *params)
{
	json_t *p = json_object_get(params, "person");

	fprintf(out, "%s %s (%s, release %s)\n", print_text(p, "given_name"),
	        print_text(p, "family_name"), print_text(p, "status"),
	        print_text(p, "release_date"));
	print_enquiry(out, json_object_get(params, "enquiry"));
	fprintf(out, "thread:\n");
	print_thread(out, json_object_get(params, "messages"));
}

static void
print_changed(FILE *out, json_t *params)
{
	print_enquiry(out, json_object_get(params, "enquiry"));
}

static void
print_replied(FILE *out, json_t *params)
{
	json_t *m = json_object_get(params, "message");

	fprintf(out, "reply %lld sent at %s\n",
	        (long long)json_integer_value(json_object_get(m, "id")), print_text(m, "at"));
}

static void
print_directory(FILE *out, json_t *p)
{
	if (json_is_true(json_object_get(p, "ok")))
		fprintf(out, "directory OK: %lld services in %lld areas (updated %s) from %s\n",
		        (long long)json_integer_value(json_object_get(p, "services")),
		        (long long)json_integer_value(json_object_get(p, "areas")),
		        print_text(p, "updated"), print_text(p, "file"));
	else
		fprintf(out, "directory refused: %s\n%s\n", print_text(p, "problem"),
		        json_integer_value(json_object_get(p, "services"))
		                ? "the directory read before is still in use"
		                : "there is no directory in use: people cannot search local "
		                  "services");
}

static const struct command_option no_options[] = {{NULL}};

static const struct command_option list_options[] = {
        {"status", "status", OPT_STRING,
         "only enquiries in this status (default: all that were sent)"},
        {"establishment", "establishment", OPT_STRING, "only people at this establishment"},
        {NULL},
};

static const struct command_option status_options[] = {
        {"note", "note", OPT_STRING, "a note for the person, shown with the new status"},
        {NULL},
};

static const struct command_option reply_options[] = {
        {"text", "text", OPT_STRING, "the reply, in plain words"},
        {NULL},
};

const struct command housing_commands[] = {
        /* clang-format off */
	{"housing", "list", "onward.Housing.List", {NULL}, "", list_options,
	 "list housing enquiries sent (newest first)", print_list, .pages = "enquiries"},
	{"housing", "show", "onward.Housing.Show", {"prison_number"}, "s", no_options,
	 "show a person's housing enquiry and its thread", print_show},
	{"housing", "status", "onward.Housing.SetStatus", {"prison_number", "status"}, "ss",
	 status_options,
	 "move an enquiry on: acknowledged, assessed, offered or closed", print_changed},
	{"housing", "reply", "onward.Housing.StaffReply", {"prison_number"}, "s", reply_options,
	 "reply to a person about their housing enquiry", print_replied},
	{"directory", "check", "onward.Directory.Check", {NULL}, "", no_options,
	 "check the directory of local services file", print_directory},
        /* clang-format on */
        {NULL},
};

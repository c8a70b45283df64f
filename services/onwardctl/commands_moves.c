/*
 * onwardctl commands for moving a person: receive, transfer, release on licence (the
 * licence is a JSON file read here and sent whole), recall, end of licence, and the
 * history of moves; with the functions that print their replies.
 */
#include "commands.h"

#include <stdlib.h>
#include <string.h>

static const char *
str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "-";
}

static void
print_moved(FILE *out, json_t *params)
{
	json_t *p = json_object_get(params, "person");
	json_t *licence = json_object_get(params, "licence");
	size_t i;
	json_t *name;

	fprintf(out, "%s %s %s: %s at %s", str(p, "prison_number"), str(p, "given_name"),
	        str(p, "family_name"), str(p, "status"), str(p, "establishment"));
	if (json_is_string(json_object_get(p, "worker")))
		fprintf(out, ", worker %s", str(p, "worker"));
	fputc('\n', out);
	if (licence) {
		fprintf(out, "licence until %s", str(licence, "ends"));
		if (json_integer_value(json_object_get(licence, "curfew_start")) ||
		    json_integer_value(json_object_get(licence, "curfew_end")))
			fprintf(out, "; curfew %02lld:00 to %02lld:00",
			        (long long)json_integer_value(
			                json_object_get(licence, "curfew_start")),
			        (long long)json_integer_value(
			                json_object_get(licence, "curfew_end")));
		fputc('\n', out);
		json_array_foreach(json_object_get(licence, "no_contact_names"), i, name)
		        fprintf(out,
		                "note: \"%s\" on the licence is not among the person's contacts; "
		                "add them as a contact marked barred if needed\n",
		                json_string_value(name));
	}
}

static void
print_moves(FILE *out, json_t *params)
{
	size_t i;
	json_t *m;

	fprintf(out, "%-21s %-12s %-4s %-10s %-4s %-10s %s\n", "AT", "MOVE", "FROM", "STATUS", "TO",
	        "STATUS", "BY");
	json_array_foreach(json_object_get(params, "moves"), i, m)
	        fprintf(out, "%-21s %-12s %-4s %-10s %-4s %-10s %s\n", str(m, "at"), str(m, "kind"),
	                str(m, "from"), str(m, "from_status"), str(m, "to"), str(m, "to_status"),
	                str(m, "by"));
}

static const struct command_option receive_options[] = {
        {"status", "status", OPT_STRING, "remand or sentenced (the default)"},
        {"establishment", "establishment", OPT_STRING, "the prison (default: this device's)"},
        {NULL},
};

static const struct command_option to_options[] = {
        {"to", "to", OPT_STRING, "the prison's code"},
        {NULL},
};

static const struct command_option release_options[] = {
        {"licence", "licence", OPT_JSON_FILE,
         "the licence conditions, a JSON file (see onwardctl(8))"},
        {NULL},
};

static const struct command_option no_options[] = {{NULL}};

/* clang-format off */
const struct command move_commands[] = {
	{"person", "receive", "onward.Person.Receive", {"prison_number"}, "s", receive_options,
	 "receive a person into custody here", print_moved},
	{"person", "transfer", "onward.Person.Transfer", {"prison_number"}, "s", to_options,
	 "move a person to another prison (--to CODE)", print_moved},
	{"person", "release", "onward.Person.Release", {"prison_number"}, "s", release_options,
	 "release a person on licence (--licence FILE)", print_moved},
	{"person", "recall", "onward.Person.Recall", {"prison_number"}, "s", to_options,
	 "recall a person on licence to a prison (--to CODE)", print_moved},
	{"person", "end-licence", "onward.Person.EndLicence", {"prison_number"}, "s", no_options,
	 "end a person's licence (probation's access ends; their own data stays)", print_moved},
	{"person", "moves", "onward.Person.Moves", {"prison_number"}, "s", no_options,
	 "a person's moves and their licence", print_moves},
	{NULL},
};
/* clang-format on */

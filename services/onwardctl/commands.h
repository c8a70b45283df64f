/*
 * The table of onwardctl commands: each maps words on the command line ("person add") to
 * a protocol method, its positional arguments and options to parameters, and names the
 * function that prints the reply for people. main.c turns argv into a call with it.
 */
#ifndef ONWARDCTL_COMMANDS_H
#define ONWARDCTL_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

enum option_kind {
	OPT_STRING, /* --name VALUE */
	OPT_INT, /* --limit 20 */
	OPT_FLAG, /* --minor: true when given */
	OPT_LIST, /* --flag A --flag B: a list of strings */
	OPT_JSON_FILE, /* --licence FILE: a JSON object read from a file (at most 60 KiB) */
	OPT_PATH, /* --to FILE: a path, sent made absolute (the daemon opens it) */
};

struct command_option {
	const char *name; /* without the dashes */
	const char *param; /* the protocol parameter it sets */
	enum option_kind kind;
	const char *help;
};

struct command {
	const char *group; /* "person" */
	const char *verb; /* "add" */
	const char *method; /* "onward.Person.Add" */
	const char *positional[3]; /* parameter names, in order */
	const char *positional_kinds; /* 's' string, 'i' integer, 'p' path made absolute,
	                                'j' a JSON object read from the file named */
	const struct command_option *options; /* ended by a NULL name */
	const char *summary;
	void (*print)(FILE *out, json_t *params); /* human output */
	bool anonymous; /* acts as nobody: no session sent (information, signing in) */
	const char *pages; /* paged replies: the list to gather */
	/* long calls: a method that says how far the work has got, and its line (shown on
	 * a terminal while the call waits; progress.c) */
	const char *progress_method;
	void (*progress_print)(FILE *out, json_t *params);
};

/*
 * The command tables, each ended by an entry with a NULL group: the core in commands.c,
 * and one per area in commands_<area>.c. print functions for an area live in its file.
 */
extern const struct command commands[];
extern const struct command learning_commands[];
extern const struct command message_commands[];
extern const struct command housing_commands[];
extern const struct command appointment_commands[];
extern const struct command move_commands[];
extern const struct command estate_commands[];

/* Calls fn for every command of every table, in order; stops when fn returns true. */
const struct command *command_each(bool (*fn)(const struct command *c, void *userdata),
                                   void *userdata);

const struct command *command_find(const char *group, const char *verb);

/* True if group names commands that take a second word ("person" in "person add"). */
bool command_group_has_verbs(const char *group);

#endif

/*
 * The onwardctl command table (see commands.h). Adding a command is adding a row here,
 * a method in the daemon, and a line in onwardctl.1.
 */
#include "commands.h"

#include "print.h"

#include <stdint.h>
#include <string.h>

static const struct command_option no_options[] = {{NULL}};

static const struct command_option establishment_add_options[] = {
        {"name", "name", OPT_STRING, "the establishment's name, e.g. \"HMP Moorland\""},
        {"kind", "kind", OPT_STRING, "prison (the default) or probation"},
        {NULL},
};

static const struct command_option staff_setup_options[] = {
        {"setup-code", "setup_code", OPT_STRING, "the one-time setup code you were given"},
        {NULL},
};

static const struct command_option staff_confirm_options[] = {
        {"setup-code", "setup_code", OPT_STRING, "the one-time setup code you were given"},
        {"code", "code", OPT_STRING, "the six numbers your authenticator app shows now"},
        {NULL},
};

static const struct command_option login_options[] = {
        {"code", "code", OPT_STRING, "the code from your app (asked for when not given)"},
        {NULL},
};

static const struct command_option staff_add_options[] = {
        {"name", "name", OPT_STRING, "the staff member's name"},
        {"role", "role", OPT_STRING,
         "officer, key_worker, education, probation, housing or administrator"},
        {"establishment", "establishment", OPT_STRING, "their establishment's code"},
        {NULL},
};

#define PERSON_EDIT_OPTIONS                                                                        \
	{"given", "given_name", OPT_STRING, "given name"},                                         \
	        {"family", "family_name", OPT_STRING, "family name"},                              \
	        {"incentive", "incentive", OPT_STRING, "basic, standard or enhanced"},             \
	        {"release-date", "release_date", OPT_STRING, "YYYY-MM-DD"},                        \
	        {"crn", "crn", OPT_STRING, "probation case reference, like X123456"},              \
	        {"flag", "add_flags", OPT_LIST, "add a flag (repeatable)"},                        \
	{                                                                                          \
		"worker", "worker", OPT_STRING, "the named worker's staff id"                      \
	}

static const struct command_option person_add_options[] = {
        PERSON_EDIT_OPTIONS,
        {"establishment", "establishment", OPT_STRING,
         "establishment code (default: this device's)"},
        {"status", "status", OPT_STRING, "remand, sentenced (the default), licence or released"},
        {NULL},
};

static const struct command_option person_set_options[] = {
        PERSON_EDIT_OPTIONS,
        {"unflag", "remove_flags", OPT_LIST, "remove a flag (repeatable)"},
        {NULL},
};

static const struct command_option person_list_options[] = {
        {"establishment", "establishment", OPT_STRING, "only people at this establishment"},
        {NULL},
};

static const struct command_option contact_add_options[] = {
        {"name", "name", OPT_STRING, "the contact's name"},
        {"relation", "relation", OPT_STRING, "one word: mother, partner, friend, solicitor..."},
        {"minor", "minor", OPT_FLAG, "the contact is under 18"},
        {"victim", "victim", OPT_FLAG, "the contact is a victim of the person's offence"},
        {"barred", "barred", OPT_FLAG, "the contact is barred from contact"},
        {NULL},
};

static const struct command_option contact_reject_options[] = {
        {"reason", "reason", OPT_STRING, "why, in plain words"},
        {NULL},
};

static const struct command_option app_register_options[] = {
        {"path", "path", OPT_STRING, "full path of the app's program"},
        {"title", "title", OPT_STRING, "the name shown on its tile"},
        {NULL},
};

static const struct command_option grant_options[] = {
        {"until", "until", OPT_STRING,
         "the last day it lasts, YYYY-MM-DD (default: until removed)"},
        {"reason", "reason", OPT_STRING, "why, in plain words"},
        {NULL},
};

static const struct command_option audit_show_options[] = {
        {"subject", "subject", OPT_STRING, "only rows about this, e.g. person:A1234BC"},
        {"actor", "actor", OPT_STRING, "only rows by this, e.g. staff:j.smith"},
        {"after", "after", OPT_INT, "only rows after this sequence number"},
        {"limit", "limit", OPT_INT, "at most this many rows (default 50, up to 1000)"},
        {NULL},
};

const struct command commands[] = {
        {"status",
         NULL,
         "onward.Service.GetInfo",
         {NULL},
         "",
         no_options,
         "show the daemon's version, schema and establishment",
         print_info,
         true},
        {"establishment",
         "add",
         "onward.Establishment.Add",
         {"code"},
         "s",
         establishment_add_options,
         "add a prison or probation region",
         print_establishment},
        {"establishment",
         "list",
         "onward.Establishment.List",
         {NULL},
         "",
         no_options,
         "list establishments",
         print_establishments},
        {"staff",
         "add",
         "onward.Staff.Add",
         {"id"},
         "s",
         staff_add_options,
         "add a staff member; prints their one-time setup code",
         print_staff_member},
        {"staff",
         "setup",
         "onward.Staff.Setup",
         {"staff_id"},
         "s",
         staff_setup_options,
         "choose your password with your setup code; gives your authenticator's secret",
         NULL,
         true},
        {"staff",
         "confirm",
         "onward.Staff.SetupConfirm",
         {"staff_id"},
         "s",
         staff_confirm_options,
         "finish setting up: the first code your authenticator app shows",
         print_staff_confirmed,
         true},
        {"staff",
         "reset",
         "onward.Staff.Reset",
         {"staff_id"},
         "s",
         no_options,
         "start a staff member's sign-in again (new setup code; sessions ended)",
         print_staff_reset},
        {"login",
         NULL,
         "onward.Staff.Login",
         {"staff_id"},
         "s",
         login_options,
         "sign in: your password, then the code from your authenticator app",
         NULL,
         true},
        {"logout", NULL, "onward.Staff.Logout", {NULL}, "", no_options, "sign out", NULL, true},
        {"whoami",
         NULL,
         "onward.Staff.Whoami",
         {NULL},
         "",
         no_options,
         "who you are acting as, and how you proved it",
         print_whoami},
        {"staff", "list", "onward.Staff.List", {NULL}, "", no_options, "list staff", print_staff},
        {"person",
         "add",
         "onward.Person.Add",
         {"prison_number"},
         "s",
         person_add_options,
         "add a person; prints their one-time PIN",
         print_person},
        {"person",
         "show",
         "onward.Person.Show",
         {"prison_number"},
         "s",
         no_options,
         "show a person's record",
         print_person},
        {"person",
         "list",
         "onward.Person.List",
         {NULL},
         "",
         person_list_options,
         "list people",
         print_people,
         .pages = "people"},
        {"person",
         "set",
         "onward.Person.Set",
         {"prison_number"},
         "s",
         person_set_options,
         "change a person's incentive level, flags, names or dates",
         print_person},
        {"person",
         "pin-reset",
         "onward.Person.PinReset",
         {"prison_number"},
         "s",
         no_options,
         "give a person a new one-time PIN and lift any lockout",
         print_pin},
        {"contact",
         "add",
         "onward.Contact.Add",
         {"prison_number"},
         "s",
         contact_add_options,
         "add a contact for a person (pending until approved)",
         print_contact},
        {"contact",
         "approve",
         "onward.Contact.Approve",
         {"id"},
         "i",
         no_options,
         "approve a contact",
         print_contact},
        {"contact",
         "reject",
         "onward.Contact.Reject",
         {"id"},
         "i",
         contact_reject_options,
         "reject a contact",
         print_contact},
        {"contact",
         "list",
         "onward.Contact.List",
         {"prison_number"},
         "s",
         no_options,
         "list a person's contacts",
         print_contacts},
        {"app",
         "register",
         "onward.App.Register",
         {"name"},
         "s",
         app_register_options,
         "whitelist an app (records the SHA-256 of its program)",
         print_app},
        {"app",
         "list",
         "onward.App.List",
         {NULL},
         "",
         no_options,
         "list registered apps",
         print_apps},
        /* clang-format off */
	{"establishment", "regime", "onward.Establishment.Regime", {"code", "regime"}, "ss",
	 no_options, "set an establishment's regime: auto, unlock, night or lockdown",
	 print_regime},
	{"policy", "explain", "onward.Policy.Explain", {"prison_number", "action", "resource"},
	 "sss", no_options,
	 "why a person may or may not do something (e.g. A1234BC app.open app:games)",
	 print_explain},
	{"policy", "reload", "onward.Policy.Reload", {NULL}, "", no_options,
	 "load the policy files again (a bad file leaves the running policy as it was)",
	 print_reload},
	{"grant", NULL, "onward.Grant.Add", {"prison_number", "resource"}, "ss", grant_options,
	 "open an app or course for one person (app:NAME or course:ID)", print_grant},
	{"revoke", NULL, "onward.Grant.Revoke", {"prison_number", "resource"}, "ss",
	 grant_options, "close an app or course for one person", print_grant},
	{"grants", NULL, "onward.Grant.List", {"prison_number"}, "s", no_options,
	 "list a person's grants and revocations", print_grants},
	{"grant-remove", NULL, "onward.Grant.Remove", {"prison_number", "id"}, "ss", no_options,
	 "remove one grant or revocation by its id", print_removed},
        /* clang-format on */
        {"audit",
         "show",
         "onward.Audit.Show",
         {NULL},
         "",
         audit_show_options,
         "show audit rows",
         print_audit},
        {"audit",
         "verify",
         "onward.Audit.Verify",
         {NULL},
         "",
         no_options,
         "check the audit chain for edits, removals and reordering",
         print_verify},
        {NULL},
};

static const struct command *const tables[] = {
        commands,      learning_commands, message_commands, housing_commands, appointment_commands,
        move_commands, estate_commands,
};

const struct command *
command_each(bool (*fn)(const struct command *c, void *userdata), void *userdata)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct command *c = tables[t]; c->group; c++)
			if (fn(c, userdata))
				return c;
	return NULL;
}

struct find {
	const char *group, *verb;
};

static bool
matches(const struct command *c, void *userdata)
{
	const struct find *f = userdata;

	return strcmp(c->group, f->group) == 0 &&
	       (!c->verb || (f->verb && strcmp(c->verb, f->verb) == 0));
}

const struct command *
command_find(const char *group, const char *verb)
{
	struct find f = {group, verb};

	return command_each(matches, &f);
}

static bool
has_verb(const struct command *c, void *userdata)
{
	return strcmp(c->group, userdata) == 0 && c->verb;
}

bool
command_group_has_verbs(const char *group)
{
	return command_each(has_verb, (void *)(uintptr_t)group) != NULL;
}

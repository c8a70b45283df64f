/*
 * onwardctl commands for the establishment's tablets: enrolment codes, the list, revoking
 * one, and the gateway's TLS certificate; with the functions that print their replies.
 */
#include "commands.h"
#include "print.h"

static void
print_code(FILE *out, json_t *p)
{
	fprintf(out,
	        "enrolment code: %s (once, until %s)\nCA pin: %s\n"
	        "On the tablet: onward-sync enrol --server URL --code %s --ca-pin %s\n",
	        print_text(p, "code"), print_text(p, "expires_at"), print_text(p, "ca_pin"),
	        print_text(p, "code"), print_text(p, "ca_pin"));
}

static void
print_device_row(FILE *out, json_t *d)
{
	fprintf(out, "%-6s %-9s %-20s %-20s %-10s %s\n", print_text(d, "id"),
	        print_text(d, "state"),
	        print_text(d, "last_seen")[0] ? print_text(d, "last_seen") : "never",
	        print_text(d, "enrolled_at"), print_text(d, "software"), print_text(d, "name"));
}

static void
print_devices(FILE *out, json_t *p)
{
	size_t i;
	json_t *d;

	fprintf(out, "%-6s %-9s %-20s %-20s %-10s %s\n", "ID", "STATE", "LAST SEEN", "ENROLLED",
	        "SOFTWARE", "NAME");
	json_array_foreach(json_object_get(p, "devices"), i, d) print_device_row(out, d);
}

static void
print_revoked(FILE *out, json_t *d)
{
	fprintf(out,
	        "%s revoked: it can no longer reach this server, and forgets the people it "
	        "held when it next tries\n",
	        print_text(d, "id"));
}

static void
print_certified(FILE *out, json_t *p)
{
	fprintf(out, "%s%s", print_text(p, "certificate"), print_text(p, "ca"));
}

static const struct command_option no_options[] = {{NULL}};

static const struct command_option list_options[] = {
        {"limit", "limit", OPT_INT, "tablets per page (the whole list is fetched)"},
        {NULL},
};

static const struct command_option revoke_options[] = {
        {"reason", "reason", OPT_STRING, "why (kept in the audit and the list)"},
        {NULL},
};

static const struct command_option certify_options[] = {
        {"public-key", "public_key", OPT_STRING,
         "the gateway's public key, as onward-gateway --make-key printed it"},
        {"host", "hosts", OPT_LIST, "a name or address the gateway answers on (repeat)"},
        {NULL},
};

const struct command estate_commands[] = {
        {"device",
         "code",
         "onward.Device.EnrolmentCode",
         {NULL},
         "",
         no_options,
         "a one-time code (15 minutes) to enrol a new tablet",
         print_code},
        {"device",
         "list",
         "onward.Device.List",
         {NULL},
         "",
         list_options,
         "the tablets enrolled here: state, last seen, software",
         print_devices,
         .pages = "devices"},
        {"device",
         "revoke",
         "onward.Device.Revoke",
         {"id"},
         "s",
         revoke_options,
         "revoke a tablet: refused at once; it wipes what it held",
         print_revoked},
        {"gateway",
         "certify",
         "onward.Gateway.Certify",
         {NULL},
         "",
         certify_options,
         "a TLS certificate for this server's gateway, from its public key",
         print_certified},
        {NULL},
};

/*
 * onward-sync: the tablet's command for the estate. "onward-sync enrol" enrols the tablet
 * with a code staff gave; "onward-sync hello" proves it with its certificate. Exit status:
 * 0 done, 1 refused or failed, 2 the command line was wrong. See onward-sync(8).
 */
#include "sync.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
usage(FILE *out)
{
	fprintf(out,
	        "Usage: onward-sync enrol --server URL --code CODE --ca-pin HEX --dir DIR "
	        "[--name NAME]\n"
	        "       onward-sync hello --server URL --dir DIR\n"
	        "\n"
	        "Commands:\n"
	        "  enrol   make this tablet's key in DIR, check the establishment's CA against\n"
	        "          the pin staff gave with the code, and enrol with the code\n"
	        "  hello   prove this tablet with its certificate; print who and where it is\n"
	        "\n"
	        "Options:\n"
	        "  --server URL     the gateway, like https://gateway.mdi.example:8443\n"
	        "  --dir DIR        the tablet's identity folder (its key never leaves it)\n"
	        "  --code CODE      the enrolment code staff gave (ABCD-EFGH-JKLM)\n"
	        "  --ca-pin HEX     the CA pin printed with the code (64 hex digits)\n"
	        "  --name NAME      a name for this tablet staff will see (up to 64 characters)\n"
	        "  --timeout SECS   give up on the server after this long (default 30)\n"
	        "  --json           print the answer as JSON\n"
	        "  --help           this text\n");
}

static int
fail_usage(const char *what)
{
	fprintf(stderr, "onward-sync: %s\n", what);
	fprintf(stderr, "Try 'onward-sync --help'.\n");
	return 2;
}

/* Reads the options after the command word into o; 0, or the exit status to stop with. */
static int
parse(int argc, char **argv, struct sync_options *o, bool *ret_help)
{
	static const struct option options[] = {
	        {"server", required_argument, NULL, 's'},
	        {"dir", required_argument, NULL, 'd'},
	        {"code", required_argument, NULL, 'c'},
	        {"ca-pin", required_argument, NULL, 'p'},
	        {"name", required_argument, NULL, 'n'},
	        {"timeout", required_argument, NULL, 't'},
	        {"json", no_argument, NULL, 'j'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		char *end;
		long secs;

		switch (opt) {
		case 's':
			o->server = optarg;
			break;
		case 'd':
			o->dir = optarg;
			break;
		case 'c':
			o->code = optarg;
			break;
		case 'p':
			o->ca_pin = optarg;
			break;
		case 'n':
			o->name = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			*ret_help = true;
			break;
		case 't':
			secs = strtol(optarg, &end, 10);
			if (*end || secs < 1 || secs > 600)
				return fail_usage("--timeout is 1 to 600 seconds");
			o->timeout_ms = secs * 1000;
			break;
		default:
			return 2;
		}
	}
	if (optind < argc)
		return fail_usage("there is more on the command line than the command takes");
	return 0;
}

int
main(int argc, char **argv)
{
	struct sync_options o = {0};
	bool help = false;
	const char *command = argc > 1 ? argv[1] : "";
	int r;

	if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(command, "enrol") != 0 && strcmp(command, "hello") != 0)
		return fail_usage(command[0] ? "the command is enrol or hello" : "say a command");
	r = parse(argc - 1, argv + 1, &o, &help);
	if (r || help) {
		if (help)
			usage(stdout);
		return r;
	}
	if (!o.server || !o.dir)
		return fail_usage("--server and --dir are needed");
	if (strcmp(command, "hello") == 0)
		return sync_hello(&o);
	if (!o.code || !o.ca_pin)
		return fail_usage("enrol needs --code and --ca-pin (both from staff)");
	if (o.name && strlen(o.name) > 64)
		return fail_usage("--name is up to 64 characters");
	return sync_enrol(&o);
}

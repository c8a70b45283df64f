/*
 * main.c: onward-pack, the course pack tool for education providers and operators.
 * It picks the subcommand and holds the helpers every subcommand uses to report failures
 * the same way: one line on stderr, exit 1 when the operation failed, exit 2 when the
 * command line was wrong.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
        "usage: onward-pack COMMAND [OPTIONS]\n"
        "\n"
        "Build, sign and check Onward course packs.\n"
        "\n"
        "commands:\n"
        "  keygen   make an Ed25519 key pair (content root or provider)\n"
        "  certify  certify a provider's public key with the content root key\n"
        "  build    build and sign a course pack from a folder\n"
        "  verify   check a course pack against the content root\n"
        "  inspect  show what a course pack holds\n"
        "\n"
        "Run onward-pack COMMAND --help for each command's options; see onward-pack(1).\n";

int
cli_fail(const char *cmd, const struct pack_error *err)
{
	fprintf(stderr, "onward-pack %s: %s\n", cmd, err->message);
	return 1;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "onward-pack %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see onward-pack %s --help\n", cmd);
	return EXIT_USAGE;
}

int
cli_parse_date(const char *text, int64_t *ret_time, int end_of_day)
{
	return pack_time_parse(text, end_of_day != 0, ret_time);
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} commands[] = {{"keygen", cmd_keygen},
	                {"certify", cmd_certify},
	                {"build", cmd_build},
	                {"verify", cmd_verify},
	                {"inspect", cmd_inspect}};

	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "onward-pack: unknown command \"%s\"; see onward-pack --help\n", argv[1]);
	return EXIT_USAGE;
}

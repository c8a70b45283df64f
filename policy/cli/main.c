/*
 * main.c: onward-policy, the command-line face of the policy engine: check policy files,
 * evaluate requests against policies and entities (one JSON line out per request), and
 * benchmark decisions. Exit status: 0 success, 1 a failure (bad input, a denied parse), 2 a
 * usage error.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void
usage(FILE *f)
{
	fputs("usage: onward-policy COMMAND [OPTIONS]\n"
	      "\n"
	      "commands:\n"
	      "  check FILE...        parse Cedar policy files; report errors as FILE:LINE:COL\n"
	      "  eval OPTIONS         decide requests: one JSON line out per request\n"
	      "  bench OPTIONS        measure decisions per second and latency\n"
	      "\n"
	      "Run 'onward-policy COMMAND --help' for a command's options.\n",
	      f);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(cmd, "eval") == 0)
		return cmd_eval(argc - 1, argv + 1);
	if (strcmp(cmd, "bench") == 0)
		return cmd_bench(argc - 1, argv + 1);
	fprintf(stderr, "onward-policy: unknown command '%s' (try --help)\n", cmd);
	return EXIT_USAGE;
}

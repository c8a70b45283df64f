/*
 * cmd_check.c: "onward-policy check FILE...": parses each file as a policy set of its own and
 * prints each error as FILE:LINE:COL: message. Exit 1 if any file fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void
check_usage(FILE *f)
{
	fputs("usage: onward-policy check FILE...\n"
	      "\n"
	      "Parses each Cedar policy file and reports the first error in each as\n"
	      "FILE:LINE:COLUMN: message. Prints \"FILE: N policies\" for a good file.\n"
	      "Exit status: 0 all files parse, 1 any does not, 2 usage error.\n",
	      f);
}

int
cmd_check(int argc, char **argv)
{
	if (argc < 2) {
		check_usage(stderr);
		return EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			check_usage(stdout);
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "onward-policy check: unknown option '%s'\n", argv[i]);
			return EXIT_USAGE;
		}
	}
	int status = 0;
	for (int i = 1; i < argc; i++) {
		struct policy_diag d = {0};
		struct policy_set *set = NULL;
		const char *path[1] = {argv[i]};
		if (policy_set_load_files(path, 1, &d, &set) < 0) {
			fprintf(stderr, "%s\n", d.message);
			status = 1;
			continue;
		}
		printf("%s: %zu policies\n", argv[i], policy_set_count(set));
		policy_set_free(set);
	}
	return status;
}

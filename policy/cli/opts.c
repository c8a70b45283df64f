/*
 * opts.c: the options that eval and bench share (--policies, --links, --entities, --requests,
 * --request), parsed one at a time so that each command adds its own.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int
inputs_option(struct inputs *in, const char *cmd, int argc, char **argv, int *i)
{
	const char *opt = argv[*i];
	const char **slot = NULL;
	if (strcmp(opt, "--policies") == 0) {
		if (in->npolicies == sizeof(in->policies) / sizeof(in->policies[0])) {
			fprintf(stderr, "onward-policy %s: too many --policies files\n", cmd);
			return -1;
		}
		slot = &in->policies[in->npolicies++];
	} else if (strcmp(opt, "--links") == 0 || strcmp(opt, "--templates-links") == 0) {
		slot = &in->links;
	} else if (strcmp(opt, "--entities") == 0) {
		slot = &in->entities;
	} else if (strcmp(opt, "--requests") == 0) {
		slot = &in->requests;
	} else if (strcmp(opt, "--request") == 0) {
		slot = &in->request;
	} else {
		return 0;
	}
	if (*i + 1 >= argc) {
		fprintf(stderr, "onward-policy %s: %s needs a file name\n", cmd, opt);
		return -1;
	}
	*slot = argv[++*i];
	return 1;
}

/*
 * cli.h: the subcommands of onward-policy and the helpers they share.
 */
#ifndef ONWARD_POLICY_CLI_H
#define ONWARD_POLICY_CLI_H

#include <stddef.h>

#include "policy.h"

#define EXIT_USAGE 2

int cmd_check(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_bench(int argc, char **argv);

/* Reads a whole file (at most limit bytes) into a NUL-terminated buffer the caller frees.
 * On failure prints "onward-policy: PATH: reason" and returns a negative errno. */
int io_read_file(const char *path, size_t limit, char **ret_text, size_t *ret_len);

/* Options shared by eval and bench: policy files, links, entities. */
struct inputs {
	const char *policies[64];
	size_t npolicies;
	const char *links;
	const char *entities;
	const char *requests; /* JSON lines */
	const char *request; /* one JSON object */
};

/* If argv[*i] is one of the shared options, takes it (and its value, advancing *i) and
 * returns 1; 0 if it is not one; -1 (message printed) on a missing value. */
int inputs_option(struct inputs *in, const char *cmd, int argc, char **argv, int *i);

/* Loads the policy set (with links) and entities named in in. Prints a message and returns a
 * negative errno on failure. */
int inputs_load(const struct inputs *in, struct policy_set **ret_set,
                struct policy_entities **ret_entities);

/* Prints one response as a JSON line on stdout. */
void print_response(const struct policy_response *resp);

#endif

/*
 * cli.h: what the onward-pack subcommands share. Each cmd_*.c is one subcommand; main.c
 * picks it. Exit codes: 0 success, 1 the operation failed (one line on stderr saying why),
 * 2 the command line was wrong.
 */
#ifndef ONWARD_PACK_CLI_H
#define ONWARD_PACK_CLI_H

#include <stdint.h>

#include "pack_content.h"

#define EXIT_USAGE 2

int cmd_keygen(int argc, char **argv);
int cmd_certify(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_inspect(int argc, char **argv);

/* Prints "onward-pack CMD: message" and returns 1. */
int cli_fail(const char *cmd, const struct pack_error *err);
/* Prints "onward-pack CMD: what; see onward-pack CMD --help" and returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses a date for --at, --not-before, --not-after; returns 0 or -EINVAL. */
int cli_parse_date(const char *text, int64_t *ret_time, int end_of_day);

#endif

/*
 * cli.h: what the onward-bundle subcommands share. Each cmd_*.c is one subcommand (or a
 * pair); main.c picks it. Exit codes: 0 success, 1 the operation failed or was refused
 * (one line on stderr saying why), 2 the command line was wrong.
 */
#ifndef ONWARD_BUNDLE_CLI_H
#define ONWARD_BUNDLE_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h"

#define EXIT_USAGE 2
#define CLI_TRUST_MAX 256

int cmd_keygen(int argc, char **argv);
int cmd_certify(int argc, char **argv);
int cmd_cert(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_seal(int argc, char **argv);
int cmd_open(int argc, char **argv);

/* Prints "onward-bundle CMD: message" and returns 1. */
int cli_fail(const char *cmd, const struct bundle_error *err);
/* Prints "onward-bundle CMD: message" (printf-style) and returns 1. */
int cli_failf(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "onward-bundle CMD: what; see onward-bundle CMD --help" and returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "YYYY-MM-DD" (start of that day, UTC) or "YYYY-MM-DDTHH:MM:SSZ"; -EINVAL otherwise. */
int cli_parse_time(const char *text, int64_t *ret_time);
/* A whole number of days, 1 to 36500; -EINVAL otherwise. */
int cli_parse_days(const char *text, int64_t *ret_days);
/* Loads one --trust certificate into list[*n]; 0, or an exit status (message printed). */
int cli_load_trust(const char *cmd, const char *path, struct bundle_cert **list, size_t *n);
/* Reads a whole file of at most max bytes (malloc'd); 0 or a negative errno, message printed. */
int cli_read_file(const char *cmd, const char *path, size_t max, uint8_t **ret_data,
                  size_t *ret_len);
/* Writes a new file (never over an existing one) with mode; 0 or -errno, message printed. */
int cli_write_file(const char *cmd, const char *path, const void *data, size_t len, unsigned mode);

#endif

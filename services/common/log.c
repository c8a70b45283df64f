/*
 * Logging to standard error for process mains. A line is "program: level: message"; the
 * journal adds the time, so we do not.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static const char *log_program = "onward";
static enum log_level log_max = LOG_LEVEL_INFO;

void
log_setup(const char *program, enum log_level max_level)
{
	log_program = program;
	log_max = max_level;
}

static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	static const char *const names[] = {"error", "warning", "info", "debug"};

	if (level > log_max)
		return;
	fprintf(stderr, "%s: %s: ", log_program, names[level]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void
log_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LEVEL_ERROR, fmt, ap);
	va_end(ap);
	abort();
}

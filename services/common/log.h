/*
 * Logging for process mains and dispatchers only: library layers return errors and never
 * log. Lines go to standard error with a level, so systemd's journal can pick them up.
 */
#ifndef ONWARD_LOG_H
#define ONWARD_LOG_H

#include <stdnoreturn.h>

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* Sets the program name printed before every line and the most verbose level shown. */
void log_setup(const char *program, enum log_level max_level);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* For states that cannot happen: prints the message and aborts. */
noreturn void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif

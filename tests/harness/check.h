/*
 * Checks for tests: each failing check prints file:line and what differed, and the test
 * fails (exit 1) at once. They are functions, not assert(), so NDEBUG never removes them.
 */
#ifndef ONWARD_TEST_CHECK_H
#define ONWARD_TEST_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdnoreturn.h>
#include <string.h>

noreturn void check_failed(const char *file, int line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			check_failed(__FILE__, __LINE__, "check failed: %s", #cond);               \
	} while (0)

#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b);                    \
		if (check_a_ != check_b_)                                                          \
			check_failed(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", #a,    \
			             check_a_, #b, check_b_);                                      \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *check_a_ = (a), *check_b_ = (b);                                       \
		if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0)                     \
			check_failed(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #a,      \
			             check_a_ ? check_a_ : "(null)",                               \
			             check_b_ ? check_b_ : "(null)");                              \
	} while (0)

#define CHECK_CONTAINS(haystack, needle)                                                           \
	do {                                                                                       \
		const char *check_h_ = (haystack), *check_n_ = (needle);                           \
		if (!check_h_ || !strstr(check_h_, check_n_))                                      \
			check_failed(__FILE__, __LINE__,                                           \
			             "%s is \"%s\", expected it to contain \"%s\"", #haystack,     \
			             check_h_ ? check_h_ : "(null)", check_n_);                    \
	} while (0)

/* Prints a progress line for the test's log. */
void test_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether a line of the text file at path (which must open) holds needle. */
bool test_file_has(const char *path, const char *needle);

#endif

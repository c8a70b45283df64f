/*
 * The smallest test harness that says what failed: CHECK(cond) and CHECK_STR(a, b)
 * print the file, line and values and make the test exit 1 at the end. Asserts are
 * never compiled out (they are not assert()).
 */
#ifndef ONWARD_TESTS_UI_CHECK_H
#define ONWARD_TESTS_UI_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);   \
			check_failures++;                                                          \
		}                                                                                  \
	} while (0)

#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (a_ != b_) {                                                                    \
			fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__, __LINE__,  \
			        #a, a_, b_);                                                       \
			check_failures++;                                                          \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                           \
			fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__,        \
			        __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");             \
			check_failures++;                                                          \
		}                                                                                  \
	} while (0)

#define CHECK_DONE()                                                                               \
	do {                                                                                       \
		if (check_failures)                                                                \
			fprintf(stderr, "%d check(s) failed\n", check_failures);                   \
		return check_failures ? 1 : 0;                                                     \
	} while (0)

#endif

/*
 * harness.h: the small test harness the pack tests share. TEST(name) registers a test;
 * ctest runs each one in its own process (the executable with the test's name), and the
 * executable with no argument runs them all in turn. CHECK never compiles out.
 */
#ifndef ONWARD_PACK_HARNESS_H
#define ONWARD_PACK_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void harness_register(const char *name, void (*fn)(void));
int harness_run(int argc, char **argv);
void harness_fail(const char *file, int line, const char *what) __attribute__((noreturn));

#define TEST(name)                                                                                 \
	static void test_##name(void);                                                             \
	__attribute__((constructor)) static void register_##name(void)                             \
	{                                                                                          \
		harness_register(#name, test_##name);                                              \
	}                                                                                          \
	static void test_##name(void)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			harness_fail(__FILE__, __LINE__, #cond);                                   \
	} while (0)

/* Checks two strings are equal, printing both when not. */
#define CHECK_STR(got, want)                                                                       \
	do {                                                                                       \
		const char *check_got_ = (got), *check_want_ = (want);                             \
		if (!check_got_ || strcmp(check_got_, check_want_) != 0) {                         \
			fprintf(stderr, "got \"%s\"\nwant \"%s\"\n",                               \
			        check_got_ ? check_got_ : "(null)", check_want_);                  \
			harness_fail(__FILE__, __LINE__, #got " as expected");                     \
		}                                                                                  \
	} while (0)

/* Checks a call failed with `code` and exactly `message`, printing both when not. */
#define CHECK_ERR(err, rc, want_code, want_message)                                                \
	do {                                                                                       \
		if ((rc) != (want_code) || (err).code != (want_code) ||                            \
		    strcmp((err).message, (want_message)) != 0) {                                  \
			fprintf(stderr, "got %d \"%s\"\nwant %d \"%s\"\n", (rc), (err).message,    \
			        (want_code), (want_message));                                      \
			harness_fail(__FILE__, __LINE__, "error as expected");                     \
		}                                                                                  \
	} while (0)

#endif

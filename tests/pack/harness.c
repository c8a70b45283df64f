/*
 * harness.c: the pack tests' runner (harness_main.c calls it). `test-x NAME` runs one registered
 * test, which is how ctest runs them (one process each, so one test's failure or leak cannot hide
 * another's); `test-x` alone runs them all, for a quick look by hand.
 */
#include "harness.h"

#define TESTS_MAX 256

static struct {
	const char *name;
	void (*fn)(void);
} tests[TESTS_MAX];
static size_t test_count;

void
harness_register(const char *name, void (*fn)(void))
{
	if (test_count == TESTS_MAX) {
		fputs("harness: too many tests\n", stderr);
		abort();
	}
	tests[test_count].name = name;
	tests[test_count++].fn = fn;
}

void
harness_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	abort();
}

int
harness_run(int argc, char **argv)
{
	if (argc == 2) {
		for (size_t i = 0; i < test_count; i++) {
			if (strcmp(tests[i].name, argv[1]) == 0) {
				tests[i].fn();
				return 0;
			}
		}
		fprintf(stderr, "harness: no test named %s\n", argv[1]);
		return 2;
	}
	for (size_t i = 0; i < test_count; i++) {
		printf("%s\n", tests[i].name);
		fflush(stdout);
		tests[i].fn();
	}
	printf("%zu tests passed\n", test_count);
	return 0;
}

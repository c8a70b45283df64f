/*
 * Running our programs from tests and capturing what they print, with a time limit, so a
 * test asserts on the real command's exit status and words.
 */
#ifndef ONWARD_TEST_RUN_H
#define ONWARD_TEST_RUN_H

struct run_result {
	int status; /* exit code, or 128 + signal number */
	char *out; /* owned: everything written to standard output */
	char *err; /* owned: everything written to standard error */
};

/*
 * Runs argv[0] (a path) with argv, the environment plus env_extra ("K=V" strings, NULL
 * ended, may be NULL) and stdin_text on standard input (NULL for none); kills it after
 * timeout_ms.
 */
void run_program(const char *const argv[], const char *const env_extra[], const char *stdin_text,
                 int timeout_ms, struct run_result *ret);

void run_result_release(struct run_result *r);

/* The path of one of our programs in the build's bin folder. */
const char *run_bin(const char *name);

#endif

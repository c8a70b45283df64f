/*
 * fake-shell: stands in for onward-shell in test_session.c. It writes "start PID" to the
 * log it is given (and "display VALUE" when it was given DISPLAY), then runs a loop like the
 * toolkit's (wake, work a little, wait), until a signal makes it misbehave: SIGUSR1 blocks it for
 * good, SIGUSR2 makes it spin, SIGTERM ends it after writing "stop PID". With --die-at-once it
 * exits at once (a crash loop).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t hang, spin, stop;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		hang = 1;
	else if (sig == SIGUSR2)
		spin = 1;
	else
		stop = 1;
}

static void
note(const char *log, const char *what)
{
	FILE *f = fopen(log, "a");

	if (f) {
		fprintf(f, "%s %d\n", what, (int)getpid());
		fclose(f);
	}
}

int
main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal};

	if (argc < 2)
		return 2;
	note(argv[1], "start");
	if (getenv("DISPLAY")) {
		FILE *f = fopen(argv[1], "a");

		if (f) {
			fprintf(f, "display %s\n", getenv("DISPLAY"));
			fclose(f);
		}
	}
	if (argc > 2 && strcmp(argv[2], "--die-at-once") == 0)
		return 3;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		if (hang) {
			sigset_t all;

			sigfillset(&all);
			sigprocmask(SIG_BLOCK, &all, NULL);
			pause(); /* nothing but SIGKILL ends this */
		}
		while (spin)
			;
		usleep(100 * 1000);
	}
	note(argv[1], "stop");
	return 0;
}

/*
 * test-app-hang: an app that hangs and ignores SIGTERM, for the shell's test that an app
 * running past --app-timeout is stopped (SIGTERM, then SIGKILL) and the person is home.
 */
#include <signal.h>
#include <unistd.h>

int
main(void)
{
	signal(SIGTERM, SIG_IGN);
	for (;;)
		pause();
}

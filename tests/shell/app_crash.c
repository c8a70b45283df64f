/*
 * test-app-crash: an app that crashes (abort(), so SIGABRT) a moment after it starts, for
 * the shell's test that a crashed app returns the person to home with a message.
 */
#include <stdlib.h>
#include <unistd.h>

int
main(void)
{
	usleep(300 * 1000);
	abort();
}

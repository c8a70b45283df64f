/*
 * sandbox-other: a second program in the test app's directory. The exec tests check that
 * the sandboxed probe cannot run it; if it ever ran, its line would show in the output.
 */
#include <stdio.h>

int
main(void)
{
	puts("other: it ran");
	return 0;
}

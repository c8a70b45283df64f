/*
 * harness_main.c: main() for the pack test executables; the benchmark has its own.
 */
#include "harness.h"

int
main(int argc, char **argv)
{
	return harness_run(argc, argv);
}

/*
 * launch-probe: a test app for onward-launch that reports what it inherited, one fact a
 * line: its environment, its open descriptors, whether descriptor 3 is a socket (it then
 * writes "probe" into it), its resource limits, NoNewPrivs and the blocked signals from
 * /proc/self/status. test_launch.c compares each line with what the launcher promises.
 * It is built without sanitizers, so the memory limit can be checked in every build.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static void
print_limit(const char *name, int resource)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) < 0) {
		printf("rlimit %s error\n", name);
		return;
	}
	printf("rlimit %s ", name);
	if (rl.rlim_cur == RLIM_INFINITY)
		printf("unlimited ");
	else
		printf("%llu ", (unsigned long long)rl.rlim_cur);
	if (rl.rlim_max == RLIM_INFINITY)
		printf("unlimited\n");
	else
		printf("%llu\n", (unsigned long long)rl.rlim_max);
}

static void
print_status(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "NoNewPrivs:", 11) == 0)
			printf("nonewprivs %s", line + 11 + strspn(line + 11, " \t"));
		else if (strncmp(line, "SigBlk:", 7) == 0)
			printf("sigblk %s", line + 7 + strspn(line + 7, " \t"));
		else if (strncmp(line, "SigIgn:", 7) == 0)
			printf("sigign %s", line + 7 + strspn(line + 7, " \t"));
	}
	fclose(f);
}

int
main(int argc, char **argv)
{
	DIR *d;
	struct dirent *e;
	struct stat st;

	for (char **p = environ; *p; p++)
		printf("env %s\n", *p);
	d = opendir("/proc/self/fd");
	if (!d)
		return 1;
	while ((e = readdir(d))) {
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
			printf("fd %s\n", e->d_name);
	}
	closedir(d);
	if (fstat(3, &st) == 0 && S_ISSOCK(st.st_mode)) {
		printf("fd3 socket\n");
		(void)!write(3, "probe", 5);
	}
	print_limit("as", RLIMIT_AS);
	print_limit("cpu", RLIMIT_CPU);
	print_limit("nofile", RLIMIT_NOFILE);
	print_limit("nproc", RLIMIT_NPROC);
	print_limit("core", RLIMIT_CORE);
	print_status();
	for (int i = 1; i < argc; i++)
		printf("arg %s\n", argv[i]);
	return 0;
}

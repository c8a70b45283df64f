/*
 * The app's identity: LAUNCH_APP_ID inside its user namespace (the launcher's own user
 * outside it, so an app never has more rights on a file than the shell that started it),
 * no supplementary groups where the namespace lets us drop them, and no capability in any
 * set: effective, permitted, inheritable, ambient and bounding. Then it checks that this
 * holds, because a capability left behind would undo every other wall.
 */
#include "launch.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int
capabilities_clear(void)
{
	struct __user_cap_header_struct head = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {{0}};

	return syscall(SYS_capset, &head, data) < 0 ? -errno : 0;
}

static bool
capabilities_none(void)
{
	struct __user_cap_header_struct head = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {{0}};

	if (syscall(SYS_capget, &head, data) < 0)
		return false;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (data[i].effective || data[i].permitted || data[i].inheritable)
			return false;
	for (int cap = 0; cap < 64; cap++) {
		int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);

		if (r < 0)
			break; /* past the last capability this kernel knows */
		if (r == 1 || prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) == 1)
			return false;
	}
	return true;
}

int
creds_drop(bool in_userns, bool can_setgroups, const char **ret_step)
{
	uid_t want = LAUNCH_APP_ID, ru, eu, su;
	gid_t wantg = LAUNCH_APP_ID, rg, eg, sg;

	/* The bounding set first: dropping from it needs CAP_SETPCAP, which goes next. */
	*ret_step = "capabilities";
	for (int cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL)
			break;
		return -errno;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -errno;

	*ret_step = "the app's user";
	if (!in_userns) {
		/* TEST HOOKS ONLY (no namespaces): the app stays who the launcher is, without a
		 * capability (an empty bounding set gives even uid 0 none at exec), so the
		 * tests see what each other wall does alone. */
		want = geteuid();
		wantg = getegid();
		can_setgroups = want == 0;
	}
	if (can_setgroups && setgroups(0, NULL) < 0)
		return -errno;
	if (setresgid(wantg, wantg, wantg) < 0 || setresuid(want, want, want) < 0)
		return -errno;
	/* Leaving uid 0 clears the sets already; inside the namespace we were never 0. */
	*ret_step = "capabilities";
	if (capabilities_clear() < 0)
		return -errno;

	/* Verify. */
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return -errno;
	*ret_step = "the app's user";
	if (ru != want || eu != want || su != want || rg != wantg || eg != wantg || sg != wantg)
		return -EPERM;
	if (can_setgroups && getgroups(0, NULL) != 0)
		return -EPERM;
	*ret_step = "capabilities";
	if (!capabilities_none())
		return -EPERM;
	return 0;
}

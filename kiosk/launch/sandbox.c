/*
 * The sandbox: the last step before the launcher executes the app. Today it sets
 * PR_SET_NO_NEW_PRIVS (no set-uid binary, file capability or privilege-granting LSM
 * transition can raise the app's rights from here on) and checks that it holds. This is
 * the one place where the stronger confinement of a later issue goes, in this order:
 *
 *   1. namespaces: unshare user, mount, PID, IPC, UTS and network (an app has no
 *      network; its only way out is the channel on descriptor 3);
 *   2. a minimal mount tree: the app's own files read-only, a private /tmp, nothing of
 *      the state directory;
 *   3. Landlock: read-only access to the app's files, fonts and locale data;
 *   4. seccomp: an allow-list of system calls (no ptrace, no new sockets but the ones
 *      SDL needs to reach the compositor).
 *
 * Each step will follow the house rule "acquire, drop, verify": do it, then check that
 * it took, and refuse to start the app otherwise.
 */
#include "launch.h"

#include <errno.h>
#include <sys/prctl.h>

int
sandbox_enter(const char **ret_step)
{
	*ret_step = "no new privileges";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return -EPERM;
	return 0;
}

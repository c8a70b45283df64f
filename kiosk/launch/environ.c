/*
 * The app's environment: nothing from the shell's but the short allow-list below, each
 * entry there because SDL cannot show a window or speak without it, plus
 * ONWARD_CHANNEL_FD=3. Values longer than ENVIRON_MAX_VALUE are dropped, not cut. The
 * reasons are in kiosk/README.md; keep the two lists the same. The sandbox reads the
 * display's variables from the result (environ_get) to give the app its socket.
 */
#include "launch.h"

#include <stdlib.h>
#include <string.h>

#define ENVIRON_MAX_VALUE 4096

const char *const environ_allowed[] = {
        "DISPLAY", /* X11: which server (desktops, tests under Xvfb) */
        "XAUTHORITY", /* X11: the cookie that lets the app connect to it */
        "WAYLAND_DISPLAY", /* Wayland: the compositor's socket (cage on the tablet) */
        "XDG_RUNTIME_DIR", /* Wayland and the sound server keep their sockets there */
        "SDL_VIDEODRIVER", /* x11 or wayland, as the session chose for the shell */
        "SDL_RENDER_DRIVER", /* software on the tablet and in tests */
        "SDL_AUDIODRIVER", /* the read-aloud voice's sound back-end (dummy in tests) */
        "LANG", /* the language of the app's words */
#ifdef LAUNCH_TEST_HOOKS
        "ONWARD_APP_SCRIPT", /* TEST HOOKS ONLY: a --script for the app; packages drop it */
        "ONWARD_TEST_CLOCK", /* TEST HOOKS ONLY: the time a test set, as the shell's */
#endif
#ifdef LAUNCH_SANITIZER_ENV
        "ASAN_OPTIONS", /* sanitizer builds only: an instrumented app needs its */
        "LSAN_OPTIONS", /* suppressions and exit behaviour, like the shell */
        "UBSAN_OPTIONS",
#endif
        NULL,
};

static bool
allowed(const char *entry)
{
	const char *eq = strchr(entry, '=');
	size_t name_len;

	if (!eq || strlen(eq + 1) > ENVIRON_MAX_VALUE)
		return false;
	name_len = (size_t)(eq - entry);
	for (size_t i = 0; environ_allowed[i]; i++)
		if (strlen(environ_allowed[i]) == name_len &&
		    memcmp(environ_allowed[i], entry, name_len) == 0)
			return true;
	return false;
}

char **
environ_build(char *const old[])
{
	static char channel[] = "ONWARD_CHANNEL_FD=3";
	size_t n = 0, count = 0;
	char **env;

	for (size_t i = 0; old && old[i]; i++)
		count++;
	env = calloc(count + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < count; i++) {
		bool seen = false;
		const char *eq = strchr(old[i], '=');

		if (!allowed(old[i]))
			continue;
		/* The first of duplicated names wins, as getenv() would see it. */
		for (size_t j = 0; j < n && eq; j++)
			seen = seen || strncmp(env[j], old[i], (size_t)(eq - old[i]) + 1) == 0;
		if (!seen)
			env[n++] = old[i];
	}
	env[n++] = channel;
	env[n] = NULL;
	return env;
}

const char *
environ_get(char *const env[], const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			return env[i] + n + 1;
	return NULL;
}

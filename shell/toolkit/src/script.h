/*
 * The script driver behind --script FILE: a line-based list of timed actions (tap, drag,
 * key, type, wait, wait-for, expect, screenshot, dump, quit...; the README has the whole
 * language). The parser is separate from the runner so its exact error messages can be
 * unit tested. The runner injects real SDL events, touch events for taps and drags, one
 * step of the app's loop at a time.
 */
#ifndef ONWARD_UI_SCRIPT_H
#define ONWARD_UI_SCRIPT_H

#include <stddef.h>

#include <SDL.h>

#define SCRIPT_MAX_BYTES (1u << 20) /* a script file */
#define SCRIPT_MAX_LINE 4096
#define SCRIPT_MAX_COMMANDS 10000
#define SCRIPT_MAX_MS 600000 /* any duration or timeout: 10 minutes */
#define SCRIPT_MAX_COORD 100000
#define SCRIPT_WAIT_FOR_MS 5000 /* wait-for default timeout */
#define SCRIPT_WAIT_SPEECH_MS 30000

enum script_op {
	OP_TAP,
	OP_LONG_PRESS,
	OP_DRAG,
	OP_WHEEL,
	OP_SCROLL_TO,
	OP_KEY,
	OP_TYPE,
	OP_WAIT,
	OP_WAIT_FOR,
	OP_WAIT_SPEECH,
	OP_EXPECT,
	OP_EXPECT_NOT,
	OP_SCREENSHOT,
	OP_DUMP,
	OP_QUIT,
};

enum script_target {
	TARGET_POINT, /* x1, y1 */
	TARGET_TEXT, /* text */
	TARGET_ID, /* text holds the id */
};

struct script_cmd {
	enum script_op op;
	int line;
	enum script_target target;
	int x1, y1, x2, y2;
	int ms; /* duration, timeout, or wheel clicks */
	char *text; /* owned: text, id, file name; NULL when unused */
	SDL_Keycode key;
	Uint16 mod;
};

struct script {
	struct script_cmd *cmds; /* owned */
	size_t n;
};

/* Parses src[0..len). On failure writes "script:LINE: message" into err and returns
 * -EINVAL (or -E2BIG past the limits, -ENOMEM). */
int script_parse(const char *src, size_t len, struct script **ret_script, char *err,
                 size_t err_size);
/* Reads and parses a file; "script: cannot read FILE: reason" on I/O errors. */
int script_load(const char *path, struct script **ret_script, char *err, size_t err_size);
void script_free(struct script *s);

struct ui_app;
struct script_run;

int script_run_new(const char *path, char *err, size_t err_size, struct script_run **ret_run);
void script_run_free(struct script_run *run);
/* Advances the script by what can happen now; returns 0, or a negative code when a line
 * failed, with "script:LINE: message" in the app's error. Quits the app at the end. */
int script_run_tick(struct ui_app *app, struct script_run *run);

#endif

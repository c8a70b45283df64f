/*
 * The script parser (script.c): every command shape, comments and quoting, and the exact
 * "script:LINE: message" for each kind of bad line.
 */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "script.h"

static char err[256];

static int
parse(const char *src, struct script **ret)
{
	err[0] = '\0';
	return script_parse(src, strlen(src), ret, err, sizeof(err));
}

static void
bad(const char *src, const char *expected)
{
	struct script *s = NULL;

	CHECK_INT(parse(src, &s), -EINVAL);
	CHECK_STR(err, expected);
	CHECK(s == NULL);
}

int
main(void)
{
	struct script *s;
	const char *good = "# a comment\n"
	                   "\n"
	                   "tap 10 20\n"
	                   "tap \"Long list\"   # trailing comment\n"
	                   "tap id:key-1\n"
	                   "drag 640 700 640 200 120\n"
	                   "key Alt+F4\n"
	                   "key Return\n"
	                   "type \"say \\\"hi\\\"\\n\"\n"
	                   "wait 250\n"
	                   "wait-for \"Home\"\n"
	                   "wait-for \"Home\" 900\n"
	                   "expect \"Item 5\"\n"
	                   "expect-not \"Item 900\"\n"
	                   "screenshot out.png\n"
	                   "dump \"with space.json\"\n"
	                   "long-press id:sample\n"
	                   "wheel 100 200 -3\n"
	                   "wait-speech\n"
	                   "quit\n";

	CHECK_INT(parse(good, &s), 0);
	CHECK_INT(s->n, 18);
	CHECK_INT(s->cmds[0].op, OP_TAP);
	CHECK_INT(s->cmds[0].line, 3);
	CHECK_INT(s->cmds[0].target, TARGET_POINT);
	CHECK_INT(s->cmds[0].x1, 10);
	CHECK_INT(s->cmds[0].y1, 20);
	CHECK_INT(s->cmds[1].target, TARGET_TEXT);
	CHECK_STR(s->cmds[1].text, "Long list");
	CHECK_INT(s->cmds[2].target, TARGET_ID);
	CHECK_STR(s->cmds[2].text, "key-1");
	CHECK_INT(s->cmds[3].op, OP_DRAG);
	CHECK_INT(s->cmds[3].y2, 200);
	CHECK_INT(s->cmds[3].ms, 120);
	CHECK_INT(s->cmds[4].key, SDLK_F4);
	CHECK(s->cmds[4].mod & KMOD_LALT);
	CHECK_INT(s->cmds[5].key, SDLK_RETURN);
	CHECK_STR(s->cmds[6].text, "say \"hi\"\n");
	CHECK_INT(s->cmds[7].ms, 250);
	CHECK_INT(s->cmds[8].ms, SCRIPT_WAIT_FOR_MS);
	CHECK_INT(s->cmds[9].ms, 900);
	CHECK_STR(s->cmds[13].text, "with space.json");
	CHECK_INT(s->cmds[15].ms, -3);
	CHECK_INT(s->cmds[16].ms, SCRIPT_WAIT_SPEECH_MS);
	CHECK_INT(s->cmds[17].op, OP_QUIT);
	CHECK_INT(s->cmds[17].line, 20);
	script_free(s);

	bad("tapp 1 2\n", "script:1: unknown command \"tapp\"");
	bad("\n\ntap\n", "script:3: tap: expected X Y, \"text\" or id:NAME");
	bad("tap 1\n", "script:1: tap: expected X Y, \"text\" or id:NAME");
	bad("tap -1 5\n", "script:1: tap: expected X Y, \"text\" or id:NAME");
	bad("tap id:\n", "script:1: tap: expected X Y, \"text\" or id:NAME");
	bad("tap \"\"\n", "script:1: tap: expected X Y, \"text\" or id:NAME");
	bad("tap \"open\n", "script:1: unterminated string");
	bad("type \"a\\qb\"\n", "script:1: unknown escape \\q in string");
	bad("drag 1 2 3 4\n", "script:1: drag: expected X1 Y1 X2 Y2 MS");
	bad("drag 1 2 3 4 0\n", "script:1: drag: expected X1 Y1 X2 Y2 MS");
	bad("key Fooo\n", "script:1: key: unknown key \"Fooo\"");
	bad("key Hyper+A\n", "script:1: key: unknown modifier \"Hyper\"");
	bad("key\n", "script:1: key: expected a key name such as Return or Alt+F4");
	bad("type hello\n", "script:1: type: expected \"text\"");
	bad("wait soon\n", "script:1: wait: expected a time in milliseconds");
	bad("wait 600001\n", "script:1: wait: expected a time in milliseconds");
	bad("wait-for Home\n",
	    "script:1: wait-for: expected \"text\" and an optional timeout in ms");
	bad("expect\n", "script:1: expect: expected \"text\"");
	bad("screenshot\n", "script:1: screenshot: expected a file name");
	bad("quit now\n", "script:1: quit: takes no arguments");
	bad("\"tap\" 1 2\n", "script:1: expected a command, not a string");
	bad("tap 1 2 3 4 5 6 7 8 9\n", "script:1: too many words on one line");
	bad("quit\nquit\nwait x\n", "script:3: wait: expected a time in milliseconds");

	/* Limits are checked before anything is kept. */
	{
		static char big[SCRIPT_MAX_BYTES + 2];

		memset(big, '\n', sizeof(big) - 1);
		CHECK_INT(script_parse(big, sizeof(big) - 1, &s, err, sizeof(err)), -E2BIG);
		memset(big, 'x', SCRIPT_MAX_LINE + 1);
		big[SCRIPT_MAX_LINE + 1] = '\n';
		CHECK_INT(script_parse(big, SCRIPT_MAX_LINE + 2, &s, err, sizeof(err)), -EINVAL);
		CHECK_STR(err, "script:1: line longer than 4096 bytes");
	}
	CHECK_INT(script_load("/nonexistent/x.ui", &s, err, sizeof(err)), -ENOENT);
	CHECK_STR(err, "script: cannot read /nonexistent/x.ui: No such file or directory");
	CHECK_DONE();
}

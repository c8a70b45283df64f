/*
 * onward.Test.*: hooks for the test suite, compiled only into builds with test hooks
 * (ONWARD_TEST_HOOKS; packages are built without them, cmake/Packaging.cmake). Today one:
 * onward.Test.Clock sets or advances the daemon's clock (clock.h), so a test can say it is
 * a weekday night, a Saturday or a minute before midnight, whatever the machine's clock;
 * onward.Test.UnbuiltReply answers as a handler whose reply could not be built (json_pack
 * failed), so a test can see the caller told so, the failure audited and the connection
 * still in step.
 */
#include "call.h"

#ifdef ONWARD_TEST_HOOKS

#include "clock.h"
#include "log.h"
#include "timeutil.h"

static void
handle_clock(struct call *c)
{
	const char *at = params_string(c->params, "at", NULL);
	int64_t advance = params_int(c->params, "advance", 0);
	char text[32];
	int64_t t;

	if (at && clock_parse_utc(at, &t) < 0) {
		call_fail_param(c, "at", "A time is written like 2026-12-09T10:00:00Z.");
		return;
	}
	/* With neither, the clock is only read: setting it would drop the running second. */
	if (at || json_object_get(c->params, "advance")) {
		if (!at)
			t = clock_now();
		clock_set(t + advance);
		time_format_utc(clock_now(), text, sizeof(text));
		log_info("test hook: the clock now reads %s", text);
		areas_clock_moved(c->server);
	}
	time_format_utc(clock_now(), text, sizeof(text));
	call_reply(c, json_pack("{s:s}", "now", text));
}

static void
handle_unbuilt_reply(struct call *c)
{
	call_set_subject(c, "test");
	/* What json_pack gives for a NULL string: the reply cannot be built. */
	call_reply(c, json_pack("{s:s}", "text", (const char *)NULL));
}

static const struct param_spec no_params[] = {{NULL}};

static const struct param_spec clock_params[] = {
        {"at", PARAM_STRING, false, 0, 32},
        {"advance", PARAM_INT, false, 0, 100LL * 365 * 86400},
        {NULL},
};

const struct method test_methods[] = {
        {"onward.Test.Clock", SOCKET_ADMIN, "test.clock", AUDIT_NONE, .anonymous = true,
         .params = clock_params, .handler = handle_clock},
        {"onward.Test.UnbuiltReply", SOCKET_ADMIN, "test.unbuilt_reply", AUDIT_ON_REPLY,
         .anonymous = true, .params = no_params, .handler = handle_unbuilt_reply},
        {NULL},
};

#endif

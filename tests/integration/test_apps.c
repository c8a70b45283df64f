/*
 * The shell's view: onward.Shell.Home lists every registered app as a tile, allowed or
 * locked with its reason, plus crisis help; onward.App.Open refuses by policy or when the
 * registered program has changed, and otherwise passes back a channel descriptor bound to
 * the person and app, on which onward.App.Info answers; logging out closes the channel.
 */
#include "check.h"
#include "daemon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *
find_tile(json_t *tiles, const char *app)
{
	size_t i;
	json_t *t;

	json_array_foreach(tiles, i, t) if (strcmp(json_string_value(json_object_get(t, "app")),
	                                           app) == 0) return t;
	check_failed(__FILE__, __LINE__, "no tile for %s", app);
}

int
main(void)
{
	struct test_daemon d;
	struct client *c, *channel;
	struct client_reply r;
	char pin[16], program[300], cmd[700];
	json_t *tiles, *t;

	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	daemon_add_person(&d, "A1234BC", pin);
	snprintf(program, sizeof(program), "%s.stub", d.dir);
	snprintf(cmd, sizeof(cmd), "cp /bin/true '%s'", program);
	CHECK(system(cmd) == 0);
	json_decref(daemon_admin_ok(
	        &d, "onward.App.Register",
	        json_pack("{s:s, s:s, s:s}", "name", "stub", "path", program, "title", "Stub")));
	json_decref(daemon_admin_ok(&d, "onward.App.Register",
	                            json_pack("{s:s, s:s, s:s}", "name", "games", "path",
	                                      "/bin/true", "title", "Games")));

	test_step("not logged in: refused");
	c = daemon_connect_control(&d);
	daemon_call(c, "onward.App.Open", json_pack("{s:s}", "app", "stub"), &r);
	CHECK_STR(r.error, "onward.NotLoggedIn");
	client_reply_release(&r);
	daemon_call(c, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", "A1234BC", "pin", pin), &r);
	CHECK(r.error == NULL);
	client_reply_release(&r);

	test_step("home: a tile per app, locked ones with reasons, crisis help always");
	daemon_call(c, "onward.Shell.Home", NULL, &r);
	CHECK(r.error == NULL);
	tiles = json_object_get(r.parameters, "tiles");
	CHECK_INT(json_array_size(tiles), 3);
	t = find_tile(tiles, "stub");
	CHECK(json_is_true(json_object_get(t, "allowed")));
	t = find_tile(tiles, "games");
	CHECK(json_is_false(json_object_get(t, "allowed")));
	CHECK_STR(json_string_value(json_object_get(t, "reason")),
	          "Games open at the enhanced level. Ask your key worker how to get there.");
	t = find_tile(tiles, "crisis");
	CHECK(json_is_true(json_object_get(t, "allowed")));
	CHECK(json_is_true(json_object_get(t, "crisis")));
	CHECK(json_is_false(json_object_get(t, "registered")));
	CHECK_STR(json_string_value(
	                  json_object_get(json_object_get(r.parameters, "person"), "given_name")),
	          "Sam");
	client_reply_release(&r);

	test_step("a locked app is refused with its reason; an unknown one is not found");
	daemon_call(c, "onward.App.Open", json_pack("{s:s}", "app", "games"), &r);
	CHECK_STR(r.error, "onward.PermissionDenied");
	CHECK_STR(client_reply_message(&r),
	          "Games open at the enhanced level. Ask your key worker how to get there.");
	CHECK_INT(r.fd, -1);
	client_reply_release(&r);
	daemon_call(c, "onward.App.Open", json_pack("{s:s}", "app", "nothing"), &r);
	CHECK_STR(r.error, "onward.NotFound");
	client_reply_release(&r);

	test_step("an allowed app comes with a channel bound to the person");
	daemon_call(c, "onward.App.Open", json_pack("{s:s}", "app", "stub"), &r);
	CHECK(r.error == NULL);
	CHECK(r.fd >= 0);
	CHECK_STR(json_string_value(json_object_get(r.parameters, "path")), program);
	CHECK_INT(strlen(json_string_value(json_object_get(r.parameters, "sha256"))), 64);
	CHECK_INT(client_adopt(r.fd, &channel), 0);
	r.fd = -1; /* the channel client owns it now */
	client_reply_release(&r);
	daemon_call(channel, "onward.App.Info", NULL, &r);
	CHECK(r.error == NULL);
	CHECK_STR(json_string_value(json_object_get(r.parameters, "app")), "stub");
	CHECK_STR(json_string_value(
	                  json_object_get(json_object_get(r.parameters, "person"), "given_name")),
	          "Sam");
	CHECK_INT(json_array_size(json_object_get(r.parameters, "permissions")), 4);
	client_reply_release(&r);
	daemon_call(channel, "onward.Shell.Home", NULL, &r);
	CHECK_STR(r.error, "onward.MethodNotFound");
	client_reply_release(&r);
	daemon_call(c, "onward.App.Info", NULL, &r);
	CHECK_STR(r.error, "onward.MethodNotFound");
	client_reply_release(&r);

	test_step("a changed program is refused");
	snprintf(cmd, sizeof(cmd), "printf x >> '%s'", program);
	CHECK(system(cmd) == 0);
	daemon_call(c, "onward.App.Open", json_pack("{s:s}", "app", "stub"), &r);
	CHECK_STR(r.error, "onward.PermissionDenied");
	CHECK_CONTAINS(client_reply_message(&r), "This app has been changed");
	client_reply_release(&r);

	test_step("the person's own settings are kept with their record");
	daemon_call(c, "onward.Settings.Get", NULL, &r);
	CHECK_STR(json_string_value(json_object_get(r.parameters, "text_size")), "normal");
	client_reply_release(&r);
	daemon_call(c, "onward.Settings.Set",
	            json_pack("{s:s, s:b}", "text_size", "largest", "read_aloud", 1), &r);
	CHECK(r.error == NULL);
	client_reply_release(&r);
	daemon_call(c, "onward.Settings.Set", json_pack("{s:s}", "language", "fr"), &r);
	CHECK_STR(r.error, "onward.InvalidParameter");
	CHECK_STR(client_reply_message(&r), "The language is en (English) or cy (Welsh).");
	client_reply_release(&r);
	daemon_call(channel, "onward.Settings.Get", NULL, &r);
	CHECK_STR(json_string_value(json_object_get(r.parameters, "text_size")), "largest");
	CHECK(json_is_true(json_object_get(r.parameters, "read_aloud")));
	CHECK_STR(json_string_value(json_object_get(r.parameters, "language")), "en");
	client_reply_release(&r);

	test_step("logging out closes the app's channel");
	daemon_call(c, "onward.Session.Logout", NULL, &r);
	CHECK(r.error == NULL);
	client_reply_release(&r);
	CHECK_INT(client_call(channel, "onward.App.Info", NULL, 5000, &r), -EPIPE);
	client_free(channel);
	client_free(c);

	unlink(program);
	daemon_remove(&d);
	printf("test-apps: OK\n");
	return 0;
}

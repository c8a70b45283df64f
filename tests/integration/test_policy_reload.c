/*
 * Loading policy: the daemon refuses a policy set that does not parse, naming the file,
 * line and column, and keeps running on the last good one (onwardctl policy reload and
 * SIGHUP alike); it refuses a set that would lock the crisis-help app; it picks up a good
 * change on reload; and it will not start, nor pass --check, on a bad set.
 */
#include "check.h"
#include "daemon.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct test_daemon d;
static char policy_dir[256], national[300];

static void
write_text(const char *path, const char *text, const char *mode)
{
	FILE *f = fopen(path, mode);

	CHECK(f != NULL);
	fputs(text, f);
	CHECK(fclose(f) == 0);
}

static void
copy_policies(void)
{
	char cmd[800];

	snprintf(policy_dir, sizeof(policy_dir), "%s.policy", d.dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -r '%s/policy' '%s'", policy_dir,
	         ONWARD_SOURCE_DIR, policy_dir);
	CHECK(system(cmd) == 0);
	snprintf(national, sizeof(national), "%s/national.cedar", policy_dir);
}

static void
explain_games(const char *want_decision)
{
	json_t *r = daemon_admin_ok(&d, "onward.Policy.Explain",
	                            json_pack("{s:s, s:s, s:s}", "prison_number", "A1234BC",
	                                      "action", "app.open", "resource", "app:games"));

	CHECK_STR(json_string_value(json_object_get(r, "decision")), want_decision);
	json_decref(r);
}

static void
reload_refused(const char *message_part)
{
	struct run_result r;

	daemon_onwardctl(&d, &r, "policy", "reload", "--as", "admin", NULL);
	CHECK_INT(r.status, 1);
	CHECK_CONTAINS(r.err, message_part);
	run_result_release(&r);
}

int
main(void)
{
	char config[600], pin[16], saved[320], cmd[800];
	struct run_result r;

	daemon_make(&d, NULL);
	copy_policies();
	snprintf(config, sizeof(config),
	         "{\"scrypt_log_n\": 10, \"policy_dir\": \"%s\", \"establishment\": \"MDI\"}",
	         policy_dir);
	{
		char path[300];

		snprintf(path, sizeof(path), "%s/policyd.json", d.dir);
		write_text(path, config, "w");
	}
	daemon_start(&d);
	daemon_seed(&d);
	daemon_add_person(&d, "A1234BC", pin);
	explain_games("deny");
	snprintf(saved, sizeof(saved), "%s.saved", national);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", national, saved);
	CHECK(system(cmd) == 0);

	test_step("a file that does not parse is refused with file:line:column; the old policy "
	          "stays");
	write_text(national, "\npermit (principal, action, resource) when { 1 + };\n", "a");
	reload_refused("national.cedar:");
	daemon_onwardctl(&d, &r, "policy", "reload", "--as", "admin", NULL);
	CHECK(strstr(r.err, "national.cedar:") && strchr(strstr(r.err, ".cedar:") + 7, ':'));
	run_result_release(&r);
	explain_games("deny");
	CHECK(kill(d.pid, SIGHUP) == 0);
	usleep(200000);
	explain_games("deny");

	test_step("a set that would lock crisis help is refused");
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", saved, national);
	CHECK(system(cmd) == 0);
	write_text(national,
	           "\n@reason(\"Closed.\")\n@reason_cy(\"Ar gau.\")\nforbid (principal, action == "
	           "Action::\"app.open\", "
	           "resource) when { context.regime == \"night\" };\n",
	           "a");
	reload_refused("would lock the crisis-help app");
	explain_games("deny");

	test_step("a reason without its Welsh is refused");
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", saved, national);
	CHECK(system(cmd) == 0);
	write_text(
	        national,
	        "\n@reason(\"Games for all this week.\")\npermit (principal is Person, action == "
	        "Action::\"app.open\", resource == App::\"games\");\n",
	        "a");
	reload_refused("has no @reason_cy (the same words in Welsh)");
	explain_games("deny");

	test_step("a good change is picked up");
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", saved, national);
	CHECK(system(cmd) == 0);
	write_text(national,
	           "\n@reason(\"Games for all this week.\")\n@reason_cy(\"Gemau i bawb yr wythnos "
	           "hon.\")\npermit (principal is Person, action == "
	           "Action::\"app.open\", resource == App::\"games\");\n",
	           "a");
	daemon_onwardctl(&d, &r, "policy", "reload", "--as", "admin", NULL);
	CHECK_INT(r.status, 0);
	CHECK_CONTAINS(r.out, "policy reloaded from");
	run_result_release(&r);
	explain_games("allow");

	test_step("a daemon will not start, nor pass --check, on a bad set");
	daemon_stop(&d);
	write_text(national, "\nforbid (principal, action, resource) when { ;\n", "a");
	{
		char err[2048];
		const char *argv[] = {run_bin("onward-policyd"), "--state-dir", d.dir, "--check",
		                      NULL};

		CHECK_INT(daemon_start_refused(&d, err, sizeof(err)), 1);
		CHECK_CONTAINS(err, "national.cedar:");
		run_program(argv, NULL, NULL, 15000, &r);
		CHECK_INT(r.status, 1);
		CHECK_CONTAINS(r.err, "national.cedar:");
		run_result_release(&r);
	}

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", policy_dir);
	CHECK(system(cmd) == 0);
	daemon_remove(&d);
	printf("test-policy-reload: OK\n");
	return 0;
}

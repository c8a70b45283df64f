/*
 * The daemon and its keyless child, onward-parse, when the child fails: a real daemon whose
 * child is made to crash or stall on purpose by the test hook ONWARD_TEST_PARSE_FAULT
 * (test builds only; see services/parse/probe.c). A page whose reading crashes the child
 * gets a plain error, the daemon goes on serving everyone, and the next page is read by a
 * new child; an answer of the wrong shape (as from a child a pack took over) is not
 * passed on; a pack that crashes its checker is refused and leaves nothing installed; a
 * checker that stalls is stopped at the time limit, and meanwhile another install is
 * refused with the first one's progress while learners' pages still come at once; and a
 * daemon whose child cannot build its walls refuses to start, with the child's words.
 */
#include "learn.h"
#include "run.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* How many times the daemon's log says a child was ready (or ended by a signal). */
static int
log_count(const struct learn *l, const char *needle)
{
	FILE *f = fopen(l->d.log, "r");
	char line[1024];
	int n = 0;

	CHECK(f != NULL);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

static json_t *
page(const char *name)
{
	return json_pack("{s:s, s:s}", "course", "org.example.test", "page", name);
}

/* The fixture course under another id (one the fault hook can name); a path to free. */
static char *
pack_with_id(struct learn *l, const char *file, const char *id)
{
	char course[1024], *path;
	const char *at = strstr(FX_COURSE, "org.example.test");

	CHECK(at != NULL);
	snprintf(course, sizeof(course), "%.*s%s%s", (int)(at - FX_COURSE), FX_COURSE, id,
	         at + strlen("org.example.test"));
	path = strdup(learn_pack_file(l, file, course));
	CHECK(path != NULL);
	return path;
}

struct slow_install {
	struct learn *l;
	char *path;
	struct client_reply reply;
	double seconds;
};

static void *
install_thread(void *arg)
{
	struct slow_install *s = arg;
	double t0 = now_s();

	learn_install(s->l, "r.evans", s->path, &s->reply);
	s->seconds = now_s() - t0;
	return NULL;
}

/*
 * onwardctl on a terminal (script(1) gives it one) shows how far a long install has got,
 * line over line, while it waits; the refusal follows.
 */
static void
terminal_install_shows_progress(struct learn *l, const char *path)
{
	char cmd[2000], out[8192];
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
	         "ONWARD_STATE_DIR='%s' script -qec \"'%s' --break-glass course install '%s'\" "
	         "/dev/null 2>&1",
	         l->d.dir, run_bin("onwardctl"), path);
	f = popen(cmd, "r");
	CHECK(f != NULL);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	pclose(f);
	CHECK_CONTAINS(out, "% (");
	CHECK_CONTAINS(out, "slow.pack: ");
	CHECK_CONTAINS(out, "took longer than 3 seconds");
}

int
main(void)
{
	struct learn l;
	struct client *ctl, *ch;
	struct client_reply r;
	size_t files;
	char *path;

	test_step(
	        "a page whose reading crashes the child: a plain error, and the daemon serves on");
	setenv("ONWARD_TEST_PARSE_FAULT", "abort:pages/02-money.md", 1);
	learn_setup(&l, true);
	learn_install_ok(&l, learn_pack_file(&l, "good.pack", NULL));
	ch = learn_channel(&l, "A1234BC", l.pin, "learning", &ctl);
	CHECK_INT(log_count(&l, "(pages) ready"), 1);
	for (int round = 1; round <= 3; round++) {
		json_t *list;

		learn_fails(ch, "onward.Course.Page", page("pages/02-money.md"),
		            "onward.InternalError",
		            "This page could not be read. Please tell staff.");
		/* Everyone else is served: staff, and the same learner's next page, read by a
		 * new child. */
		list = daemon_admin_ok(&l.d, "onward.Course.List", NULL);
		CHECK_INT(json_array_size(json_object_get(list, "courses")), 1);
		json_decref(list);
		json_decref(learn_ok(ch, "onward.Course.Page", page("pages/01-intro.md")));
		CHECK_INT(log_count(&l, "(pages) ready"), round + 1);
	}
	CHECK(log_count(&l, "stopped unexpectedly") + log_count(&l, "ended by signal 6") >= 3);
	client_free(ch);
	client_free(ctl);
	daemon_stop(&l.d);

	test_step("a child whose answer has the wrong shape is not believed");
	setenv("ONWARD_TEST_PARSE_FAULT", "lie:pages/02-money.md", 1);
	daemon_start(&l.d);
	ch = learn_channel(&l, "A1234BC", l.pin, "learning", &ctl);
	learn_fails(ch, "onward.Course.Page", page("pages/02-money.md"), "onward.InternalError",
	            "This page could not be read. Please tell staff.");
	CHECK_INT(log_count(&l, "pages/02-money.md: the checker's answer has the wrong shape"), 1);
	json_decref(learn_ok(ch, "onward.Course.Page", page("pages/01-intro.md")));
	client_free(ch);
	client_free(ctl);
	daemon_stop(&l.d);

	test_step("a pack that crashes its checker is refused and nothing is installed");
	setenv("ONWARD_TEST_PARSE_FAULT", "abort:org.example.crash", 1);
	daemon_start(&l.d);
	files = learn_course_files(&l);
	path = pack_with_id(&l, "crash.pack", "org.example.crash");
	learn_install(&l, "r.evans", path, &r);
	free(path);
	CHECK_STR(r.error, "onward.InvalidParameter");
	CHECK_STR(client_reply_message(&r),
	          "The course pack could not be checked: the checker stopped unexpectedly (it may "
	          "be built to attack the service). Nothing was installed.");
	CHECK_STR(json_string_value(json_object_get(r.parameters, "problem")), "unreadable");
	client_reply_release(&r);
	CHECK_INT(learn_course_files(&l), files);
	/* The next install has a checker of its own, and the pages still come. */
	path = pack_with_id(&l, "other.pack", "org.example.other");
	learn_install_ok(&l, path);
	free(path);
	ch = learn_channel(&l, "A1234BC", l.pin, "learning", &ctl);
	json_decref(learn_ok(ch, "onward.Course.Page", page("pages/02-money.md")));
	client_free(ch);
	client_free(ctl);
	daemon_stop(&l.d);

	test_step("a stalled check is stopped at its limit; meanwhile installs wait their turn "
	          "and pages still come");
	setenv("ONWARD_TEST_PARSE_FAULT", "hang:org.example.slow", 1);
	setenv("ONWARD_TEST_PARSE_TIMEOUT_MS", "3000", 1);
	daemon_start(&l.d);
	ch = learn_channel(&l, "A1234BC", l.pin, "learning", &ctl);
	{
		struct slow_install slow = {&l, pack_with_id(&l, "slow.pack", "org.example.slow")};
		char *busy = pack_with_id(&l, "next.pack", "org.example.next");
		pthread_t thread;
		double t0;

		CHECK_INT(pthread_create(&thread, NULL, install_thread, &slow), 0);
		/* Until the slow install has begun, another would simply run. */
		for (int i = 0; i < 100 && log_count(&l, "org.example.slow") == 0 &&
		                log_count(&l, "slow.pack: checking") == 0;
		     i++)
			nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
		learn_install(&l, "r.evans", busy, &r);
		CHECK_STR(r.error, "onward.Busy");
		CHECK_CONTAINS(client_reply_message(&r), "Another course pack is being checked (");
		CHECK_CONTAINS(client_reply_message(&r), "slow.pack, started ");
		CHECK_CONTAINS(client_reply_message(&r),
		               "% done). Try again when it has finished.");
		client_reply_release(&r);
		/* Staff can see how far it has got (onwardctl's progress line asks this). */
		{
			json_t *st = daemon_admin_ok(&l.d, "onward.Course.InstallStatus", NULL);

			CHECK(json_is_true(json_object_get(st, "running")));
			CHECK_CONTAINS(json_string_value(json_object_get(st, "file")), "slow.pack");
			CHECK(json_integer_value(json_object_get(st, "percent")) >= 0 &&
			      json_integer_value(json_object_get(st, "percent")) <= 100);
			json_decref(st);
		}
		t0 = now_s();
		json_decref(learn_ok(ch, "onward.Course.Page", page("pages/01-intro.md")));
		CHECK(now_s() - t0 < 1.0);
		CHECK_INT(pthread_join(thread, NULL), 0);
		CHECK_STR(slow.reply.error, "onward.InvalidParameter");
		CHECK_STR(client_reply_message(&slow.reply),
		          "The course pack was refused: checking it took longer than 3 seconds. "
		          "Nothing was installed.");
		CHECK_STR(json_string_value(json_object_get(slow.reply.parameters, "problem")),
		          "too_slow");
		CHECK(slow.seconds >= 2.9 && slow.seconds < 10);
		client_reply_release(&slow.reply);
		{
			json_t *st = daemon_admin_ok(&l.d, "onward.Course.InstallStatus", NULL);

			CHECK(json_is_false(json_object_get(st, "running")));
			json_decref(st);
		}
		terminal_install_shows_progress(&l, slow.path);
		/* Its turn over, the other install goes through. */
		learn_install_ok(&l, busy);
		free(busy);
		free(slow.path);
	}
	client_free(ch);
	client_free(ctl);
	daemon_stop(&l.d);

	test_step("a daemon whose child cannot build its walls refuses to start, and says why");
	setenv("ONWARD_TEST_PARSE_FAULT", "refuse:walls", 1);
	{
		char err[4096];

		CHECK_INT(daemon_start_refused(&l.d, err, sizeof(err)), 1);
		CHECK_CONTAINS(err,
		               "onward-parse: refusing to run: cannot build its walls: the test "
		               "hook refused");
		CHECK_CONTAINS(err, "the learning area cannot start: ");
		CHECK_CONTAINS(err, "did not start or could not build its walls");
	}
	unsetenv("ONWARD_TEST_PARSE_FAULT");
	unsetenv("ONWARD_TEST_PARSE_TIMEOUT_MS");
	daemon_start(&l.d);
	learn_teardown(&l);
	printf("test-learning-parse: OK\n");
	return 0;
}

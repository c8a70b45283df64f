/*
 * bench-appointments: what the housing and appointments areas cost on a real daemon with
 * a realistic load. It books appointments for many people through the admin socket (each
 * a durable transaction with its reminders and audit row), then times, for one person
 * with due reminders, the home screen (Shell.Home: tiles plus the badge, the next
 * appointment and the banners), the week's appointments on the app's channel, and a
 * directory search on the housing app's channel. A benchmark, not a test: run it on a
 * quiet machine.
 *   bench-appointments [--people N] [--per-person M] [--calls K]
 */
#include "app_session.h"
#include "check.h"
#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
compare(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Times calls of method on c; prints p50 and p99 in microseconds. */
static void
time_calls(const char *what, struct client *c, const char *method, const char *params_json,
           int calls)
{
	uint64_t *t = calloc((size_t)calls, sizeof(*t));

	CHECK(t != NULL);
	for (int i = 0; i < calls; i++) {
		json_t *p = params_json ? json_loads(params_json, 0, NULL) : NULL;
		uint64_t start = time_mono_ns();

		json_decref(session_ok(c, method, p));
		t[i] = time_mono_ns() - start;
	}
	qsort(t, (size_t)calls, sizeof(*t), compare);
	printf("%-34s p50 %7.1f us   p99 %7.1f us   (%d calls)\n", what, t[calls / 2] / 1e3,
	       t[calls * 99 / 100] / 1e3, calls);
	free(t);
}

int
main(int argc, char **argv)
{
	int people = 200, per_person = 10, calls = 2000;
	struct test_daemon d;
	struct client *admin, *sam, *app, *housing;
	char pin[16], number[8], at[40];
	uint64_t start, elapsed;
	time_t now;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--people") == 0)
			people = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--per-person") == 0)
			per_person = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--calls") == 0)
			calls = atoi(argv[i + 1]);
	}
	if (people < 1 || people > 9999 || per_person < 1 || per_person > 100 || calls < 100) {
		fprintf(stderr, "usage: bench-appointments [--people 1-9999] [--per-person 1-100] "
		                "[--calls >=100]\n");
		return 2;
	}
	setenv("TZ", "Europe/London", 1);
	tzset();
	srand(7);
	daemon_make(&d, NULL);
	now = (time_t)daemon_now(&d); /* the daemon's clock (daemon.h), not the machine's */
	daemon_start(&d);
	daemon_seed(&d);
	session_register_app(&d, "appointments");
	session_register_app(&d, "housing");
	for (int i = 0; i < people; i++) {
		char p[16];

		snprintf(number, sizeof(number), "A%04dBC", i);
		session_add_person(&d, number, "Sam", "MDI", "sentenced", 60, i == 0 ? pin : p);
	}

	admin = daemon_connect_admin(&d);
	start = time_mono_ns();
	for (int i = 0; i < people; i++) {
		snprintf(number, sizeof(number), "A%04dBC", i);
		for (int k = 0; k < per_person; k++) {
			/* Spread over the next four weeks, in working hours; the first person's
			 * first ones within the day, so their reminders are due at once. */
			time_t t = now + (i == 0 && k < 3
			                          ? 3600 * (k + 2)
			                          : 86400 * (1 + rand() % 28) + rand() % 28800);
			struct tm tm;

			localtime_r(&t, &tm);
			strftime(at, sizeof(at), "%Y-%m-%d %H:%M", &tm);
			json_decref(session_ok(admin, "onward.Appointment.Add",
			                       json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "as",
			                                 "admin", "prison_number", number, "kind",
			                                 k % 2 ? "health" : "probation", "at", at,
			                                 "where", "Healthcare unit", "with",
			                                 "Nurse Okoro")));
		}
	}
	elapsed = time_mono_ns() - start;
	printf("booked %d appointments (with reminders and audit rows, durable): %.0f/s, "
	       "%.2f ms each\n",
	       people * per_person, people * per_person / (elapsed / 1e9),
	       elapsed / 1e6 / (people * per_person));
	client_free(admin);

	sam = session_login(&d, "A0000BC", pin);
	time_calls("Shell.Home (3 banners due)", sam, "onward.Shell.Home", NULL, calls);
	app = session_open_app(sam, "appointments");
	time_calls("Appointment.List (a week)", app, "onward.Appointment.List", NULL, calls);
	client_free(app);
	housing = session_open_app(sam, "housing");
	time_calls("Directory.Search (area, category)", housing, "onward.Directory.Search",
	           "{\"area\": \"sheffield\", \"category\": \"housing\"}", calls);
	time_calls("Housing.Get", housing, "onward.Housing.Get", NULL, calls);
	client_free(housing);
	client_free(sam);
	daemon_remove(&d);
	return 0;
}

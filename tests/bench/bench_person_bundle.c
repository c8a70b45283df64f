/*
 * bench-person-bundle: exporting and importing one person's whole record between two real
 * daemons — a person with 10,000 messages and 50 courses in progress, their contacts,
 * audit rows and moves. Times the daemon's work for onward.Person.Export (read the record,
 * seal, write the file, mark it read-only) and onward.Person.Import (read the file, open
 * it, apply it all in one transaction), A to B and back again after a recall.
 *
 *   bench-person-bundle [--messages N] [--courses N]
 */
#include "check.h"
#include "daemon.h"
#include "learn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static json_t *
cert_of(struct test_daemon *d)
{
	json_t *id = daemon_admin_ok(d, "onward.Identity.Show", NULL);
	json_t *cert = json_incref(json_object_get(id, "certificate"));

	json_decref(id);
	return cert;
}

/* Many admin calls on one connection, a batch in flight at a time. */
static void
deliver_messages(struct test_daemon *d, json_int_t contact, int n)
{
	struct client *c = daemon_connect_admin(d);

	for (int done = 0; done < n;) {
		int batch = n - done < 100 ? n - done : 100;

		for (int i = 0; i < batch; i++) {
			char text[80];

			snprintf(text, sizeof(text),
			         "Message %d from home. Keep going, we love you.", done + i);
			CHECK(client_send(c, "onward.Message.DeliverInbound",
			                  json_pack("{s:s, s:s, s:I, s:s}", "as", "admin",
			                            "prison_number", "A1234BC", "from", contact,
			                            "text", text)) == 0);
		}
		while (client_flush(c) == -EAGAIN)
			usleep(100);
		for (int i = 0; i < batch; i++) {
			struct client_reply r;
			int rc;

			while ((rc = client_receive(c, &r)) == -EAGAIN)
				usleep(100);
			CHECK_INT(rc, 0);
			if (r.error)
				check_failed(__FILE__, __LINE__, "deliver: %s",
				             client_reply_message(&r));
			client_reply_release(&r);
		}
		done += batch;
	}
	client_free(c);
}

/* One timed admin call as "admin"; returns milliseconds. */
static double
timed(struct test_daemon *d, const char *method, json_t *params)
{
	struct client *c = daemon_connect_admin(d);
	struct client_reply r;
	double start;

	json_object_set_new(params, "as", json_string("admin"));
	start = now_ms();
	daemon_call(c, method, params, &r);
	start = now_ms() - start;
	if (r.error)
		check_failed(__FILE__, __LINE__, "%s: %s", method, client_reply_message(&r));
	client_reply_release(&r);
	client_free(c);
	return start;
}

static void
move(struct test_daemon *from, struct test_daemon *to, json_t *to_cert, const char *path,
     const char *label)
{
	struct stat st;
	double export_ms, import_ms;

	unlink(path);
	export_ms = timed(from, "onward.Person.Export",
	                  json_pack("{s:s, s:O, s:s}", "prison_number", "A1234BC", "recipient",
	                            to_cert, "path", path));
	CHECK(stat(path, &st) == 0);
	import_ms = timed(to, "onward.Person.Import", json_pack("{s:s}", "path", path));
	printf("%-8s export %8.1f ms   import %8.1f ms   bundle %.2f MB\n", label, export_ms,
	       import_ms, st.st_size / 1e6);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct learn l;
	struct test_daemon b;
	struct client *control, *channel;
	int messages = 10000, courses = 50;
	json_t *cert_a, *cert_b, *j;
	json_int_t contact;
	char path[300], config[200];
	double start;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--messages") == 0)
			messages = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--courses") == 0)
			courses = atoi(argv[i + 1]);
	}
	learn_setup(&l, true);
	snprintf(config, sizeof(config), "{\"establishment\": \"NEP\", \"scrypt_log_n\": 10}");
	daemon_make(&b, config);
	daemon_start(&b);
	daemon_seed(&b);
	json_decref(daemon_admin_ok(&b, "onward.Establishment.Add",
	                            json_pack("{s:s, s:s, s:s}", "code", "NEP", "name",
	                                      "North East", "kind", "probation")));
	json_decref(daemon_admin_ok(&l.d, "onward.Establishment.Add",
	                            json_pack("{s:s, s:s, s:s}", "code", "NEP", "name",
	                                      "North East", "kind", "probation")));
	cert_a = cert_of(&l.d);
	cert_b = cert_of(&b);
	json_decref(daemon_admin_ok(&l.d, "onward.Trust.Add",
	                            json_pack("{s:O}", "certificate", cert_b)));
	json_decref(
	        daemon_admin_ok(&b, "onward.Trust.Add", json_pack("{s:O}", "certificate", cert_a)));

	printf("setting up: %d courses in progress, %d messages\n", courses, messages);
	fflush(stdout);
	start = now_ms();
	for (int i = 0; i < courses; i++) {
		char course[1024], name[64], id[64];

		snprintf(id, sizeof(id), "org.example.course-%02d", i);
		snprintf(course, sizeof(course),
		         "{\"id\": \"%s\", \"version\": \"1.0.0\", \"title\": \"Course %d\",\n"
		         " \"level\": \"entry2\", \"language\": \"en-GB\", \"modules\": [\n"
		         "  {\"id\": \"m1\", \"title\": \"First steps\", \"minutes\": 5,\n"
		         "   \"pages\": [\"pages/01-intro.md\", \"pages/02-money.md\"],\n"
		         "   \"quiz\": \"quizzes/check.json\"}]}\n",
		         id, i);
		snprintf(name, sizeof(name), "course-%02d.pack", i);
		learn_install_ok(&l, learn_pack_file(&l, name, course));
	}
	channel = learn_channel(&l, "A1234BC", l.pin, "learning", &control);
	for (int i = 0; i < courses; i++) {
		char id[64];

		snprintf(id, sizeof(id), "org.example.course-%02d", i);
		json_decref(
		        learn_ok(channel, "onward.Course.Open", json_pack("{s:s}", "course", id)));
		json_decref(learn_ok(channel, "onward.Course.Progress",
		                     json_pack("{s:s, s:s, s:s}", "course", id, "module", "m1",
		                               "page", "pages/02-money.md")));
	}
	client_free(channel);
	client_free(control);
	j = daemon_admin_ok(&l.d, "onward.Contact.Add",
	                    json_pack("{s:s, s:s, s:s}", "prison_number", "A1234BC", "name",
	                              "Maria Jones", "relation", "mother"));
	contact = json_integer_value(json_object_get(json_object_get(j, "contact"), "id"));
	json_decref(j);
	json_decref(
	        daemon_admin_ok(&l.d, "onward.Contact.Approve", json_pack("{s:I}", "id", contact)));
	deliver_messages(&l.d, contact, messages);
	printf("set up in %.1f s\n", (now_ms() - start) / 1e3);

	snprintf(path, sizeof(path), "%s.bundle", l.d.dir);
	move(&l.d, &b, cert_b, path, "A to B");
	json_decref(daemon_admin_ok(
	        &b, "onward.Person.Set",
	        json_pack("{s:s, s:s}", "prison_number", "A1234BC", "incentive", "enhanced")));
	move(&b, &l.d, cert_a, path, "B to A");

	unlink(path);
	json_decref(cert_a);
	json_decref(cert_b);
	daemon_remove(&b);
	learn_teardown(&l);
	return 0;
}

/*
 * Learning through the gate, with two daemons: Sam passes a course in prison (MDI), is
 * released on licence to the probation region (NEP) and his record goes there in a person
 * bundle. At NEP his certificate is there, as the document MDI signed (it verifies with
 * MDI's certificate key, offline), and once the same course is installed there it opens
 * where he left off, complete.
 */
#include "learn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
ctl(struct test_daemon *d, int want, struct run_result *r, const char *a1, const char *a2,
    const char *a3, const char *a4, const char *a5, const char *a6, const char *a7)
{
	daemon_onwardctl(d, r, "--as", "admin", a1, a2, a3, a4, a5, a6, a7, NULL);
	if (r->status != want)
		check_failed(__FILE__, __LINE__, "onwardctl %s %s %s exited %d, expected %d\n%s%s",
		             a1, a2, a3 ? a3 : "", r->status, want, r->out, r->err);
}

static void
add_places(struct test_daemon *d)
{
	json_decref(daemon_admin_ok(d, "onward.Establishment.Add",
	                            json_pack("{s:s, s:s, s:s}", "code", "NEP", "name",
	                                      "North East", "kind", "probation")));
	json_decref(daemon_admin_ok(d, "onward.Staff.Add",
	                            json_pack("{s:s, s:s, s:s, s:s}", "id", "m.brown", "name",
	                                      "Morgan Brown", "role", "probation", "establishment",
	                                      "NEP")));
}

static const char *
write_out(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	fputs(text, f);
	CHECK_INT(fclose(f), 0);
	return path;
}

int
main(void)
{
	struct learn l;
	struct test_daemon b;
	struct run_result r;
	struct client *ctl_a, *ch;
	char cert_a[300], cert_b[300], licence[300], bundle[300], key_a[300], doc[300];
	char cert_id[64];
	json_t *res, *list, *exp, *key, *open;

	learn_setup(&l, true);
	add_places(&l.d);
	learn_install_ok(&l, learn_pack_file(&l, "test.pack", NULL));
	daemon_make(&b, "{\"establishment\": \"NEP\", \"scrypt_log_n\": 10}");
	daemon_start(&b);
	daemon_seed(&b);
	add_places(&b);

	test_step("at MDI: Sam reads a page and passes; a certificate is issued");
	ch = learn_channel(&l, "A1234BC", l.pin, "learning", &ctl_a);
	json_decref(learn_ok(ch, "onward.Course.Progress",
	                     json_pack("{s:s, s:s, s:s}", "course", "org.example.test", "module",
	                               "m1", "page", "pages/02-money.md")));
	res = learn_ok(ch, "onward.Course.Answer",
	               json_pack("{s:s, s:s, s:{s:i, s:s, s:i}}", "course", "org.example.test",
	                         "quiz", "quizzes/check.json", "answers", "q1", 1, "q2", "debit",
	                         "q3", 0));
	snprintf(cert_id, sizeof(cert_id), "%s",
	         json_string_value(json_object_get(json_object_get(res, "certificate"), "id")));
	json_decref(res);
	client_free(ch);
	client_free(ctl_a);
	key = daemon_admin_ok(&l.d, "onward.Certificate.Key", NULL);
	snprintf(key_a, sizeof(key_a), "%s.mdi-key.pem", l.d.dir);
	write_out(key_a, json_string_value(json_object_get(key, "public_key")));
	json_decref(key);

	test_step("released on licence to NEP; the record goes in a bundle");
	snprintf(cert_a, sizeof(cert_a), "%s.cert.json", l.d.dir);
	snprintf(cert_b, sizeof(cert_b), "%s.cert.json", b.dir);
	ctl(&l.d, 0, &r, "identity", "cert", NULL, NULL, NULL, NULL, NULL);
	write_out(cert_a, r.out);
	run_result_release(&r);
	ctl(&b, 0, &r, "identity", "cert", NULL, NULL, NULL, NULL, NULL);
	write_out(cert_b, r.out);
	run_result_release(&r);
	ctl(&l.d, 0, &r, "trust", "add", cert_b, NULL, NULL, NULL, NULL);
	run_result_release(&r);
	ctl(&b, 0, &r, "trust", "add", cert_a, NULL, NULL, NULL, NULL);
	run_result_release(&r);
	snprintf(licence, sizeof(licence), "%s.licence.json", l.d.dir);
	write_out(licence, "{\"region\": \"NEP\", \"probation_officer\": \"m.brown\", "
	                   "\"end\": \"2028-01-28\"}");
	ctl(&l.d, 0, &r, "person", "release", "A1234BC", "--licence", licence, NULL, NULL);
	run_result_release(&r);
	snprintf(bundle, sizeof(bundle), "%s.bundle", l.d.dir);
	ctl(&l.d, 0, &r, "person", "export", "A1234BC", "--to", bundle, "--recipient", cert_b);
	run_result_release(&r);
	ctl(&b, 0, &r, "person", "import", bundle, NULL, NULL, NULL, NULL);
	CHECK_CONTAINS(r.out, "imported A1234BC Sam Jones from MDI");
	run_result_release(&r);

	test_step("at NEP: the certificate MDI signed, which verifies offline");
	list = daemon_admin_ok(&b, "onward.Certificate.List",
	                       json_pack("{s:s}", "prison_number", "A1234BC"));
	CHECK_INT(json_array_size(json_object_get(list, "certificates")), 1);
	CHECK_STR(json_string_value(json_object_get(
	                  json_array_get(json_object_get(list, "certificates"), 0), "id")),
	          cert_id);
	json_decref(list);
	exp = daemon_admin_ok(&b, "onward.Certificate.Export", json_pack("{s:s}", "id", cert_id));
	snprintf(doc, sizeof(doc), "%s.certificate.json", b.dir);
	write_out(doc, json_string_value(json_object_get(exp, "document")));
	json_decref(exp);
	{
		const char *argv[] = {
		        run_bin("onwardctl"), "certificate", "verify", doc, "--key", key_a, NULL};

		run_program(argv, NULL, NULL, 30000, &r);
		CHECK_INT(r.status, 0);
		CHECK_CONTAINS(r.out, "at HMP Moorland (MDI)");
		run_result_release(&r);
	}

	test_step("at NEP, with the course installed: it opens where he left off, complete");
	json_decref(daemon_admin_ok(&b, "onward.Course.TrustRoot",
	                            json_pack("{s:s}", "path", l.root_pub)));
	json_decref(daemon_admin_ok(
	        &b, "onward.Course.Install",
	        json_pack("{s:s}", "path", learn_pack_file(&l, "again.pack", NULL))));
	{
		char path[300], cmd[700];
		struct client *c = daemon_connect_control(&b), *channel;
		struct client_reply reply;

		snprintf(path, sizeof(path), "%s.learning", b.dir);
		snprintf(cmd, sizeof(cmd), "cp /bin/true '%s'", path);
		CHECK(system(cmd) == 0);
		json_decref(
		        daemon_admin_ok(&b, "onward.App.Register",
		                        json_pack("{s:s, s:s}", "name", "learning", "path", path)));
		daemon_call(c, "onward.Session.Login",
		            json_pack("{s:s, s:s}", "prison_number", "A1234BC", "pin", l.pin),
		            &reply);
		CHECK(reply.error == NULL);
		client_reply_release(&reply);
		daemon_call(c, "onward.App.Open", json_pack("{s:s}", "app", "learning"), &reply);
		CHECK(reply.error == NULL && reply.fd >= 0);
		CHECK_INT(client_adopt(reply.fd, &channel), 0);
		reply.fd = -1;
		client_reply_release(&reply);
		open = learn_ok(channel, "onward.Course.Open",
		                json_pack("{s:s}", "course", "org.example.test"));
		CHECK_STR(
		        json_string_value(json_object_get(json_object_get(open, "resume"), "page")),
		        "pages/02-money.md");
		CHECK(json_is_true(json_object_get(open, "complete")));
		CHECK_STR(json_string_value(
		                  json_object_get(json_object_get(open, "certificate"), "id")),
		          cert_id);
		json_decref(open);
		client_free(channel);
		client_free(c);
		unlink(path);
	}

	unlink(cert_a);
	unlink(cert_b);
	unlink(licence);
	unlink(bundle);
	unlink(key_a);
	unlink(doc);
	daemon_remove(&b);
	learn_teardown(&l);
	printf("test-learning-gate: OK\n");
	return 0;
}

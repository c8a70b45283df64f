/*
 * The learning app's view through the real daemon: the catalogue by policy (a level 2
 * course locked at the basic level, with the reason; open in a lockdown), a course's
 * modules and where the person left off, pages as blocks, images, quizzes without their
 * answers, progress saved after each page, answers marked with feedback, and a
 * certificate issued once the course is complete, which verifies with onwardctl, offline,
 * and fails when a byte is changed. A newer version replaces the old and everyone keeps
 * their place (the nearest page when theirs is gone); an older or equal version is
 * refused; removing a course keeps progress and certificates; a restart keeps everything.
 * Only the learning app's channel may use courses.
 */
#include "learn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char LEVEL_TWO[] =
        "{\"id\": \"org.example.level-two\", \"version\": \"1.0.0\", \"title\": \"Level two\",\n"
        " \"level\": \"level2\", \"language\": \"en-GB\", \"modules\": [\n"
        "  {\"id\": \"m1\", \"title\": \"Only part\", \"minutes\": 5,\n"
        "   \"pages\": [\"pages/01-intro.md\"]}]}\n";

static const char NEWER[] =
        "{\"id\": \"org.example.test\", \"version\": \"1.3.0\", \"title\": \"Test course\",\n"
        " \"level\": \"entry2\", \"language\": \"en-GB\", \"modules\": [\n"
        "  {\"id\": \"m1\", \"title\": \"First steps\", \"minutes\": 5,\n"
        "   \"pages\": [\"pages/01-intro.md\", \"pages/03-new.md\"],\n"
        "   \"quiz\": \"quizzes/check.json\"},\n"
        "  {\"id\": \"m2\", \"title\": \"Second\", \"minutes\": 7,\n"
        "   \"pages\": [\"pages/03-new.md\"]}]}\n";

static const char OLDER[] =
        "{\"id\": \"org.example.test\", \"version\": \"1.2.0\", \"title\": \"Test course\",\n"
        " \"level\": \"entry2\", \"language\": \"en-GB\", \"modules\": [\n"
        "  {\"id\": \"m1\", \"title\": \"First steps\", \"minutes\": 5,\n"
        "   \"pages\": [\"pages/01-intro.md\"]}]}\n";

static json_t *
find_course(json_t *catalogue, const char *id)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(catalogue, "courses"), i,
	                   c) if (strcmp(json_string_value(json_object_get(c, "id")), id) ==
	                          0) return c;
	return NULL;
}

static const char *
jstr(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static json_t *
course_params(const char *id)
{
	return json_pack("{s:s}", "course", id);
}

/* Checks where Open says the person resumes. */
static void
expect_resume(struct client *ch, const char *module, const char *page)
{
	json_t *open = learn_ok(ch, "onward.Course.Open", course_params("org.example.test"));
	json_t *resume = json_object_get(open, "resume");

	CHECK_STR(jstr(resume, "module"), module);
	CHECK_STR(jstr(resume, "page"), page);
	json_decref(open);
}

static void
save_page(struct client *ch, const char *module, const char *page)
{
	json_decref(learn_ok(ch, "onward.Course.Progress",
	                     json_pack("{s:s, s:s, s:s}", "course", "org.example.test", "module",
	                               module, "page", page)));
}

static json_t *
answer(struct client *ch, json_t *answers)
{
	return learn_ok(ch, "onward.Course.Answer",
	                json_pack("{s:s, s:s, s:o}", "course", "org.example.test", "quiz",
	                          "quizzes/check.json", "answers", answers));
}

/* Writes the certificate and the establishment key, and checks them with onwardctl. */
static void
verify_offline(struct learn *l, const char *document, const char *cert_id)
{
	char doc_path[600], key_path[600], want[200], *bad;
	const char *argv[6];
	struct run_result run;
	json_t *key = daemon_admin_ok(&l->d, "onward.Certificate.Key", NULL);

	snprintf(doc_path, sizeof(doc_path), "%s",
	         learn_write(l, "cert.json", document, strlen(document)));
	snprintf(key_path, sizeof(key_path), "%s",
	         learn_write(l, "mdi.pub", jstr(key, "public_key"),
	                     strlen(jstr(key, "public_key"))));
	json_decref(key);

	/* No daemon and no state directory are involved: run onwardctl on its own. */
	argv[0] = run_bin("onwardctl");
	argv[1] = "certificate";
	argv[2] = "verify";
	argv[3] = doc_path;
	argv[4] = NULL;
	/* Without the issuer's key it is shown, never called good (exit 3). */
	run_program(argv, NULL, NULL, 30000, &run);
	CHECK_INT(run.status, 3);
	snprintf(want, sizeof(want), "certificate %s: NOT CHECKED", cert_id);
	CHECK_CONTAINS(run.out, want);
	CHECK_CONTAINS(run.out, "  person:     Sam Jones (A1234BC)\n");
	CHECK_CONTAINS(run.out, "  course:     Test course (org.example.test 1.2.3, entry2)\n");
	CHECK_CONTAINS(run.out, "at HMP Moorland (MDI)\n");
	CHECK_CONTAINS(run.out, "  score:      100%\n");
	CHECK_CONTAINS(run.out, "Check it with that establishment's public key: --key PUBKEY.");
	run_result_release(&run);
	{
		const char *with_key[] = {run_bin("onwardctl"),
		                          "certificate",
		                          "verify",
		                          doc_path,
		                          "--key",
		                          key_path,
		                          NULL};

		run_program(with_key, NULL, NULL, 30000, &run);
		CHECK_INT(run.status, 0);
		snprintf(want, sizeof(want), "certificate %s: good\n", cert_id);
		CHECK_CONTAINS(run.out, want);
		CHECK_CONTAINS(run.out, "the establishment key given");
		run_result_release(&run);
	}
	{
		const char *with_json[] = {
		        run_bin("onwardctl"), "--json", "certificate", "verify", doc_path, NULL};

		run_program(with_json, NULL, NULL, 30000, &run);
		CHECK_INT(run.status, 3);
		CHECK_CONTAINS(run.out, "\"ok\": false");
		CHECK_CONTAINS(run.out, "\"status\": \"not checked\"");
		run_result_release(&run);
	}

	/* A changed byte: the name. */
	bad = strdup(document);
	CHECK(strstr(bad, "\"given_name\": \"Sam\"") != NULL);
	strstr(bad, "\"given_name\": \"Sam\"")[15] = 'P';
	learn_write(l, "bad.json", bad, strlen(bad));
	free(bad);
	snprintf(doc_path, sizeof(doc_path), "%s/bad.json", l->fx.dir);
	argv[3] = doc_path;
	run_program(argv, NULL, NULL, 30000, &run);
	CHECK_INT(run.status, 1);
	CHECK_CONTAINS(run.err, "not a good certificate: the signature does not verify: the "
	                        "certificate was changed after it was issued");
	run_result_release(&run);
	{
		const char *no_file[] = {run_bin("onwardctl"), "certificate", "verify", NULL};

		run_program(no_file, NULL, NULL, 30000, &run);
		CHECK_INT(run.status, 2);
		run_result_release(&run);
	}
}

int
main(void)
{
	struct learn l;
	struct client *ctl, *ch, *ctl2, *ch2, *stub_ctl, *stub;
	json_t *cat, *c, *open, *page, *img, *quiz, *res, *cert, *list, *exp;
	char basic_pin[16], cert_id[64], *document;
	size_t i;
	json_t *b;

	learn_setup(&l, true);
	learn_install_ok(&l, learn_pack_file(&l, "test.pack", NULL));
	learn_install_ok(&l, learn_pack_file(&l, "level2.pack", LEVEL_TWO));
	{
		json_t *p = daemon_admin_ok(&l.d, "onward.Person.Add",
		                            json_pack("{s:s, s:s, s:s, s:s, s:s}", "prison_number",
		                                      "B2345CD", "given_name", "Lee", "family_name",
		                                      "Walker", "establishment", "MDI", "incentive",
		                                      "basic"));

		daemon_choose_pin(&l.d, "B2345CD", jstr(p, "one_time_pin"), basic_pin);
		json_decref(p);
	}
	ch = learn_channel(&l, "A1234BC", l.pin, "learning", &ctl);

	test_step("the catalogue: every course, each open or locked with the policy's reason");
	cat = learn_ok(ch, "onward.Course.Catalogue", NULL);
	CHECK_INT(json_array_size(json_object_get(cat, "courses")), 2);
	c = find_course(cat, "org.example.test");
	CHECK(json_is_true(json_object_get(c, "allowed")));
	CHECK_STR(jstr(c, "level"), "entry2");
	CHECK_INT(json_integer_value(json_object_get(c, "level_number")), 0);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(c, "progress"), "pages")), 2);
	CHECK(json_is_null(json_object_get(c, "certificate")));
	c = find_course(cat, "org.example.level-two");
	CHECK(json_is_true(json_object_get(c, "allowed"))); /* Sam is at the standard level */
	json_decref(cat);

	test_step("at the basic level a level 2 course is locked, with the reason");
	ch2 = learn_channel(&l, "B2345CD", basic_pin, "learning", &ctl2);
	cat = learn_ok(ch2, "onward.Course.Catalogue", NULL);
	c = find_course(cat, "org.example.level-two");
	CHECK(json_is_false(json_object_get(c, "allowed")));
	CHECK_STR(jstr(c, "reason"), "This is a level 2 course. It opens when your incentive level "
	                             "is Standard or Enhanced. Ask education staff.");
	CHECK(json_is_true(json_object_get(find_course(cat, "org.example.test"), "allowed")));
	json_decref(cat);
	learn_fails(ch2, "onward.Course.Open", course_params("org.example.level-two"),
	            "onward.PermissionDenied",
	            "This is a level 2 course. It opens when your incentive level is Standard or "
	            "Enhanced. Ask education staff.");
	learn_fails(ch2, "onward.Course.Page",
	            json_pack("{s:s, s:s}", "course", "org.example.level-two", "page",
	                      "pages/01-intro.md"),
	            "onward.PermissionDenied",
	            "This is a level 2 course. It opens when your incentive level is Standard or "
	            "Enhanced. Ask education staff.");

	test_step("learning stays open in a lockdown");
	json_decref(daemon_admin_ok(&l.d, "onward.Establishment.Regime",
	                            json_pack("{s:s, s:s}", "code", "MDI", "regime", "lockdown")));
	cat = learn_ok(ch, "onward.Course.Catalogue", NULL);
	CHECK(json_is_true(json_object_get(find_course(cat, "org.example.test"), "allowed")));
	json_decref(cat);
	json_decref(daemon_admin_ok(&l.d, "onward.Establishment.Regime",
	                            json_pack("{s:s, s:s}", "code", "MDI", "regime", "auto")));

	test_step("only the learning app's channel may use courses");
	stub = learn_channel(&l, "A1234BC", l.pin, "stub", &stub_ctl);
	learn_fails(stub, "onward.Course.Catalogue", NULL, "onward.PermissionDenied",
	            "Courses open in the Learning app.");
	learn_fails(ctl, "onward.Course.Catalogue", NULL, "onward.MethodNotFound",
	            "There is no method called 'onward.Course.Catalogue' here.");
	client_free(stub);
	client_free(stub_ctl);

	test_step("open: the modules, and someone new starts at the first page");
	open = learn_ok(ch, "onward.Course.Open", course_params("org.example.test"));
	CHECK_INT(json_array_size(json_object_get(open, "modules")), 2);
	CHECK_STR(jstr(json_array_get(json_object_get(open, "modules"), 0), "quiz"),
	          "quizzes/check.json");
	CHECK(json_is_null(
	        json_object_get(json_array_get(json_object_get(open, "modules"), 1), "quiz")));
	CHECK_STR(jstr(json_object_get(open, "resume"), "page"), "pages/01-intro.md");
	json_decref(open);
	learn_fails(ch, "onward.Course.Open", course_params("org.example.none"), "onward.NotFound",
	            "That course is not on this tablet.");
	learn_fails(ch, "onward.Course.Open", course_params("Bad Id"), "onward.InvalidParameter",
	            "That is not a course id.");

	test_step("a page as blocks: headings, emphasis, lists, images by name");
	page = learn_ok(
	        ch, "onward.Course.Page",
	        json_pack("{s:s, s:s}", "course", "org.example.test", "page", "pages/01-intro.md"));
	b = json_array_get(json_object_get(page, "blocks"), 0);
	CHECK_STR(jstr(b, "kind"), "heading");
	CHECK_STR(jstr(json_array_get(json_object_get(b, "spans"), 0), "text"), "Intro");
	b = json_array_get(json_object_get(page, "blocks"), 1);
	CHECK_STR(jstr(b, "kind"), "paragraph");
	CHECK_STR(jstr(json_array_get(json_object_get(b, "spans"), 1), "text"), "world");
	CHECK_STR(json_string_value(json_array_get(
	                  json_object_get(json_array_get(json_object_get(b, "spans"), 1), "styles"),
	                  0)),
	          "emphasis");
	CHECK_STR(jstr(json_array_get(json_object_get(page, "blocks"), 2), "kind"), "item");
	json_decref(page);
	page = learn_ok(
	        ch, "onward.Course.Page",
	        json_pack("{s:s, s:s}", "course", "org.example.test", "page", "pages/02-money.md"));
	json_array_foreach(json_object_get(page, "blocks"), i,
	                   b) if (strcmp(jstr(b, "kind"), "image") == 0) break;
	CHECK(b != NULL);
	CHECK_STR(jstr(json_object_get(b, "image"), "name"), "images/coins.png");
	CHECK_STR(jstr(json_object_get(b, "image"), "alt"), "Coins on a table");
	json_decref(page);
	learn_fails(
	        ch, "onward.Course.Page",
	        json_pack("{s:s, s:s}", "course", "org.example.test", "page", "images/coins.png"),
	        "onward.InvalidParameter", "That page is not in this course.");

	test_step("an image: its size and its bytes");
	img = learn_ok(
	        ch, "onward.Course.Image",
	        json_pack("{s:s, s:s}", "course", "org.example.test", "name", "images/coins.png"));
	CHECK_INT(json_integer_value(json_object_get(img, "width")), 16);
	CHECK_INT(json_integer_value(json_object_get(img, "height")), 12);
	CHECK_INT(json_integer_value(json_object_get(img, "size")), l.fx.png_len);
	CHECK_INT(json_integer_value(json_object_get(img, "length")), l.fx.png_len);
	CHECK_INT(strlen(jstr(img, "data")), 4 * ((l.fx.png_len + 2) / 3));
	CHECK(strncmp(jstr(img, "data"), "iVBORw0KGgo", 11) == 0); /* the PNG signature */
	json_decref(img);
	learn_fails(ch, "onward.Course.Image",
	            json_pack("{s:s, s:s, s:I}", "course", "org.example.test", "name",
	                      "images/coins.png", "offset", (json_int_t)l.fx.png_len),
	            "onward.InvalidParameter", "That is past the end of the picture.");
	learn_fails(
	        ch, "onward.Course.Image",
	        json_pack("{s:s, s:s}", "course", "org.example.test", "name", "pages/01-intro.md"),
	        "onward.InvalidParameter", "That picture is not in this course.");

	test_step("progress is saved after every page, and Open resumes there");
	save_page(ch, "m1", "pages/01-intro.md");
	save_page(ch, "m1", "pages/02-money.md");
	expect_resume(ch, "m1", "pages/02-money.md");
	learn_fails(ch, "onward.Course.Progress",
	            json_pack("{s:s, s:s, s:s}", "course", "org.example.test", "module", "m2",
	                      "page", "pages/01-intro.md"),
	            "onward.InvalidParameter", "That page is not in that part of the course.");

	test_step("a quiz comes without its answers");
	quiz = learn_ok(ch, "onward.Course.Quiz",
	                json_pack("{s:s, s:s}", "course", "org.example.test", "quiz",
	                          "quizzes/check.json"));
	CHECK_INT(json_array_size(json_object_get(quiz, "questions")), 3);
	CHECK_INT(json_integer_value(json_object_get(quiz, "pass_percent")), 60);
	json_array_foreach(json_object_get(quiz, "questions"), i, b)
	{
		CHECK(json_object_get(b, "answer") == NULL && json_object_get(b, "accept") == NULL);
		CHECK(json_object_get(b, "right") == NULL && json_object_get(b, "explain") == NULL);
	}
	CHECK_STR(jstr(json_array_get(json_object_get(quiz, "questions"), 1), "type"), "short");
	json_decref(quiz);

	test_step("answers: marked with feedback; wrong kinds refused");
	learn_fails(ch, "onward.Course.Answer",
	            json_pack("{s:s, s:s, s:{s:i}}", "course", "org.example.test", "quiz",
	                      "quizzes/check.json", "answers", "q9", 1),
	            "onward.InvalidParameter",
	            "An answer names a question this quiz does not have.");
	learn_fails(ch, "onward.Course.Answer",
	            json_pack("{s:s, s:s, s:{s:i}}", "course", "org.example.test", "quiz",
	                      "quizzes/check.json", "answers", "q1", 2),
	            "onward.InvalidParameter",
	            "A multiple-choice answer must be the number of an option.");
	learn_fails(ch, "onward.Course.Answer",
	            json_pack("{s:s, s:s, s:{s:i}}", "course", "org.example.test", "quiz",
	                      "quizzes/check.json", "answers", "q2", 3),
	            "onward.InvalidParameter",
	            "A written answer must be up to 200 characters of text.");
	res = answer(ch, json_pack("{s:i, s:s, s:i}", "q1", 0, "q2", "credit", "q3", 0));
	CHECK(json_is_false(json_object_get(res, "passed")));
	CHECK_INT(json_integer_value(json_object_get(res, "correct")), 1);
	CHECK_INT(json_integer_value(json_object_get(res, "percent")), 33);
	CHECK(json_is_false(
	        json_object_get(json_array_get(json_object_get(res, "feedback"), 0), "correct")));
	CHECK(json_is_true(
	        json_object_get(json_array_get(json_object_get(res, "feedback"), 2), "correct")));
	CHECK(json_is_null(json_object_get(res, "certificate")));
	/* With the marking, and only then: the right answers, and why where the pack says. */
	b = json_array_get(json_object_get(res, "feedback"), 0);
	CHECK_STR(jstr(b, "right"), "money out");
	CHECK_STR(jstr(b, "explain"), "You pay rent, so it goes out.");
	b = json_array_get(json_object_get(res, "feedback"), 1);
	CHECK_STR(jstr(b, "right"), "Debit");
	CHECK(json_object_get(b, "explain") == NULL);
	json_decref(res);

	test_step("passing the course's quiz issues a certificate");
	res = answer(ch, json_pack("{s:i, s:s, s:i}", "q1", 1, "q2", "Direct  Debit", "q3", 0));
	CHECK(json_is_true(json_object_get(res, "passed")));
	CHECK_INT(json_integer_value(json_object_get(res, "percent")), 100);
	cert = json_object_get(res, "certificate");
	CHECK(json_is_object(cert));
	snprintf(cert_id, sizeof(cert_id), "%s", jstr(cert, "id"));
	CHECK(strncmp(cert_id, "c-", 2) == 0);
	CHECK_INT(json_integer_value(json_object_get(cert, "score")), 100);
	json_decref(res);
	/* Passing again gives no second certificate. */
	res = answer(ch, json_pack("{s:i, s:s, s:i}", "q1", 1, "q2", "debit", "q3", 0));
	CHECK(json_is_null(json_object_get(res, "certificate")));
	json_decref(res);
	open = learn_ok(ch, "onward.Course.Open", course_params("org.example.test"));
	CHECK(json_is_true(json_object_get(open, "complete")));
	CHECK_STR(jstr(json_object_get(open, "certificate"), "id"), cert_id);
	CHECK(json_is_true(json_object_get(json_array_get(json_object_get(open, "modules"), 0),
	                                   "quiz_passed")));
	json_decref(open);

	test_step("the person reads their own certificates in the app");
	list = learn_ok(ch, "onward.Course.Certificates", NULL);
	CHECK_INT(json_array_size(json_object_get(list, "certificates")), 1);
	b = json_array_get(json_object_get(list, "certificates"), 0);
	CHECK_STR(jstr(b, "id"), cert_id);
	CHECK_STR(jstr(b, "title"), "Test course");
	CHECK_STR(jstr(b, "prison_number"), "A1234BC");
	CHECK_STR(jstr(list, "given_name"), "Sam");
	json_decref(list);

	test_step("staff list and export it; it verifies offline; a changed byte does not");
	list = daemon_admin_ok(&l.d, "onward.Certificate.List",
	                       json_pack("{s:s}", "prison_number", "A1234BC"));
	CHECK_INT(json_array_size(json_object_get(list, "certificates")), 1);
	CHECK_STR(jstr(json_array_get(json_object_get(list, "certificates"), 0), "id"), cert_id);
	json_decref(list);
	exp = daemon_admin_ok(&l.d, "onward.Certificate.Export", json_pack("{s:s}", "id", cert_id));
	document = strdup(jstr(exp, "document"));
	json_decref(exp);
	verify_offline(&l, document, cert_id);
	{
		struct run_result run;
		char out[600], want[800];

		snprintf(out, sizeof(out), "%s/exported.json", l.fx.dir);
		daemon_onwardctl(&l.d, &run, "--as", "j.smith", "certificate", "export", cert_id,
		                 "-o", out, NULL);
		CHECK_INT(run.status, 0);
		snprintf(want, sizeof(want),
		         "certificate %s (A1234BC, Test course) written to %s\n", cert_id, out);
		CHECK_STR(run.out, want);
		run_result_release(&run);
		daemon_onwardctl(&l.d, &run, "--as", "j.smith", "certificate", "export", cert_id,
		                 "-o", out, NULL);
		CHECK_INT(run.status, 1);
		CHECK_CONTAINS(run.err, "a file is already there");
		run_result_release(&run);
		/* Staff at another establishment may not. */
		json_decref(daemon_admin_ok(
		        &l.d, "onward.Establishment.Add",
		        json_pack("{s:s, s:s}", "code", "BXI", "name", "HMP Brixton")));
		json_decref(daemon_admin_ok(&l.d, "onward.Staff.Add",
		                            json_pack("{s:s, s:s, s:s, s:s}", "id", "b.officer",
		                                      "name", "Bo Officer", "role", "officer",
		                                      "establishment", "BXI")));
		daemon_onwardctl(&l.d, &run, "--as", "b.officer", "certificate", "export", cert_id,
		                 NULL);
		CHECK_INT(run.status, 1);
		CHECK_STR(run.err, "onwardctl: Your role cannot do this here.\n");
		run_result_release(&run);
		daemon_onwardctl(&l.d, &run, "--as", "j.smith", "certificate", "list", "A1234BC",
		                 NULL);
		CHECK_INT(run.status, 0);
		CHECK_CONTAINS(run.out, cert_id);
		CHECK_CONTAINS(run.out, "100%");
		run_result_release(&run);
	}

	test_step("a newer version replaces the old; people resume at the nearest page");
	{
		struct fx_file files[4];
		static const char new_page[] = "# New\n\nA new page.\n";
		struct fx_opts opts = {.course = NEWER};
		struct client_reply r;
		void *data;
		size_t len;

		memcpy(files, l.fx.files, sizeof(files));
		files[1] = (struct fx_file){"pages/03-new.md", new_page, strlen(new_page)};
		fx_pack(&l.fx, files, 4, &opts, &data, &len);
		learn_install(&l, "r.evans", learn_write(&l, "newer.pack", data, len), &r);
		free(data);
		CHECK(r.error == NULL);
		CHECK_STR(jstr(r.parameters, "replaced"), "1.2.3");
		client_reply_release(&r);
		CHECK_INT(learn_course_files(&l), 2); /* the old file is gone */
		/* Sam was on m1's second page, which 1.3.0 no longer has: its second page now. */
		expect_resume(ch, "m1", "pages/03-new.md");
		/* The certificate and passed quiz carry over. */
		open = learn_ok(ch, "onward.Course.Open", course_params("org.example.test"));
		CHECK_STR(jstr(json_object_get(open, "course"), "version"), "1.3.0");
		CHECK_STR(jstr(json_object_get(open, "certificate"), "id"), cert_id);
		json_decref(open);
		page = learn_ok(ch, "onward.Course.Page",
		                json_pack("{s:s, s:s}", "course", "org.example.test", "page",
		                          "pages/03-new.md"));
		json_decref(page);

		learn_install(&l, "r.evans", learn_pack_file(&l, "older.pack", OLDER), &r);
		CHECK_STR(r.error, "onward.Conflict");
		CHECK_STR(
		        client_reply_message(&r),
		        "org.example.test version 1.3.0 is installed; this pack is version 1.2.0. "
		        "Only a newer version can replace it.");
		client_reply_release(&r);
		fx_pack(&l.fx, files, 4, &opts, &data, &len);
		learn_install(&l, "r.evans", learn_write(&l, "same.pack", data, len), &r);
		free(data);
		CHECK_STR(r.error, "onward.Conflict");
		CHECK_STR(
		        client_reply_message(&r),
		        "org.example.test version 1.3.0 is installed; this pack is version 1.3.0. "
		        "Only a newer version can replace it.");
		client_reply_release(&r);
		CHECK_INT(learn_course_files(&l), 2);
	}

	test_step("a picture over 512 KiB comes in pieces that add up to it");
	{
		struct fx_file files[4];
		static char course[600];
		size_t len, got = 0;
		void *png = fx_png(1024, 768, 7, &len);
		json_t *piece;

		CHECK(len > 600 * 1024);
		snprintf(course, sizeof(course), "%s", LEVEL_TWO);
		memcpy(strstr(course, "org.example.level-two"), "org.example.big-image", 21);
		memcpy(strstr(course, "level2"), "entry1", 6);
		memcpy(files, l.fx.files, sizeof(files));
		files[2].data = png;
		files[2].len = len;
		{
			struct fx_opts opts = {.course = course};
			void *data;
			size_t n;

			fx_pack(&l.fx, files, 4, &opts, &data, &n);
			learn_install_ok(&l, learn_write(&l, "big.pack", data, n));
			free(data);
		}
		while (got < len) {
			piece = learn_ok(ch, "onward.Course.Image",
			                 json_pack("{s:s, s:s, s:I}", "course",
			                           "org.example.big-image", "name",
			                           "images/coins.png", "offset", (json_int_t)got));
			CHECK_INT(json_integer_value(json_object_get(piece, "width")), 1024);
			CHECK_INT(json_integer_value(json_object_get(piece, "size")), len);
			CHECK_INT(json_integer_value(json_object_get(piece, "offset")), got);
			CHECK(json_integer_value(json_object_get(piece, "length")) <= 512 * 1024);
			got += (size_t)json_integer_value(json_object_get(piece, "length"));
			json_decref(piece);
		}
		CHECK_INT(got, len);
		free(png);
	}

	test_step("more courses than the cache holds: each still opens");
	for (int round = 0; round < 2; round++) {
		for (int k = 0; k < 10; k++) {
			char id[40], name[40];
			static char course[600];

			snprintf(id, sizeof(id), "org.example.many-%02d", k);
			if (round == 0) {
				snprintf(
				        course, sizeof(course),
				        "{\"id\": \"%s\", \"version\": \"1.0.0\", \"title\": "
				        "\"Many %d\", \"level\": \"entry1\", \"language\": \"en\", "
				        "\"modules\": [{\"id\": \"m1\", \"title\": \"One\", "
				        "\"minutes\": 5, \"pages\": [\"pages/01-intro.md\"]}]}",
				        id, k);
				snprintf(name, sizeof(name), "many-%02d.pack", k);
				learn_install_ok(&l, learn_pack_file(&l, name, course));
			}
			json_decref(learn_ok(ch, "onward.Course.Page",
			                     json_pack("{s:s, s:s}", "course", id, "page",
			                               "pages/01-intro.md")));
		}
	}

	test_step("a restart keeps courses, progress and certificates");
	client_free(ch);
	client_free(ctl);
	client_free(ch2);
	client_free(ctl2);
	daemon_stop(&l.d);
	daemon_start(&l.d);
	ch = learn_channel(&l, "A1234BC", l.pin, "learning", &ctl);
	expect_resume(ch, "m1", "pages/03-new.md");
	page = learn_ok(
	        ch, "onward.Course.Page",
	        json_pack("{s:s, s:s}", "course", "org.example.test", "page", "pages/01-intro.md"));
	json_decref(page);
	cat = learn_ok(ch, "onward.Course.Catalogue", NULL);
	CHECK_STR(jstr(json_object_get(find_course(cat, "org.example.test"), "certificate"), "id"),
	          cert_id);
	json_decref(cat);

	test_step("removing a course keeps progress and certificates");
	{
		size_t files = learn_course_files(&l);
		json_t *removed = daemon_admin_ok(&l.d, "onward.Course.Remove",
		                                  json_pack("{s:s}", "id", "org.example.test"));

		CHECK_STR(jstr(removed, "version"), "1.3.0");
		json_decref(removed);
		CHECK_INT(learn_course_files(&l), files - 1);
	}
	learn_fails(ch, "onward.Course.Open", course_params("org.example.test"), "onward.NotFound",
	            "That course is not on this tablet.");
	list = daemon_admin_ok(&l.d, "onward.Certificate.List",
	                       json_pack("{s:s}", "prison_number", "A1234BC"));
	CHECK_INT(json_array_size(json_object_get(list, "certificates")), 1);
	json_decref(list);
	learn_install_ok(&l, learn_pack_file(&l, "again.pack", NULL));
	expect_resume(ch, "m1", "pages/02-money.md");

	test_step("every decision is in the audit chain, which verifies");
	{
		json_t *rows = daemon_admin_ok(
		        &l.d, "onward.Audit.Show",
		        json_pack("{s:s, s:i}", "subject", "person:B2345CD", "limit", 1000));
		json_t *v = daemon_admin_ok(&l.d, "onward.Audit.Verify", NULL);
		json_t *row;
		bool refused = false;

		json_array_foreach(json_object_get(rows, "rows"), i,
		                   row) if (strcmp(jstr(row, "action"), "course.open") == 0 &&
		                            strcmp(jstr(row, "outcome"), "refused") == 0) refused =
		        true;
		CHECK(refused);
		refused = false;
		json_array_foreach(json_object_get(rows, "rows"), i, row)
		{
			const char *decision =
			        jstr(json_object_get(json_object_get(row, "detail"), "decisions"),
			             "org.example.level-two");

			if (strcmp(jstr(row, "action"), "course.catalogue") == 0 && decision &&
			    strncmp(decision, "deny:", 5) == 0)
				refused = true;
		}
		CHECK(refused); /* the catalogue's row holds each course's decision */
		CHECK(json_is_true(json_object_get(v, "ok")));
		json_decref(rows);
		json_decref(v);
		rows = daemon_admin_ok(
		        &l.d, "onward.Audit.Show",
		        json_pack("{s:s, s:i}", "subject", "person:A1234BC", "limit", 1000));
		refused = false;
		json_array_foreach(json_object_get(rows, "rows"), i,
		                   row) if (strcmp(jstr(row, "action"), "course.page") == 0 &&
		                            jstr(json_object_get(row, "detail"), "policies") !=
		                                    NULL) refused = true;
		CHECK(refused); /* a page read, with the policies that allowed it */
		json_decref(rows);
	}

	free(document);
	client_free(ch);
	client_free(ctl);
	learn_teardown(&l);
	printf("test-learning: OK\n");
	return 0;
}

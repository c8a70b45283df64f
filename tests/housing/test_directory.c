/*
 * The directory of local services through the real daemon: the shipped file searched by
 * area and category from the housing app; a device's own file in the state directory
 * taking over; every kind of bad file refused with one line naming the place (the last
 * good directory stays in use and onwardctl directory check fails); a daemon that starts
 * with a bad file telling the person plainly that the list cannot be read; a FIFO in the
 * file's place refused at once; and the keyless child that reads the file (onward-parse)
 * crashing, stalling and lying on purpose, each said plainly to the person and to staff.
 */
#include "app_session.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct test_daemon d;
static struct client *sam, *app;
static char pin[16];

/* Replaces the state directory's directory file (a new inode, as an operator's copy). */
static void
write_directory(const char *text)
{
	char path[300], tmp[310];
	FILE *f;

	snprintf(path, sizeof(path), "%s/services-directory.json", d.dir);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "w");
	CHECK(f != NULL);
	fputs(text, f);
	CHECK(fclose(f) == 0);
	CHECK(rename(tmp, path) == 0);
}

#define HEAD                                                                                       \
	"{\"format\": 1, \"updated\": \"2026-11-01\", \"areas\": [{\"id\": \"york\", "             \
	"\"name\": \"York\"}], \"services\": ["
#define GOOD_SERVICE                                                                               \
	"{\"id\": \"york-housing\", \"name\": \"York Housing Help\", \"category\": \"housing\", "  \
	"\"area\": \"york\", \"phone\": \"01632 960999\", \"address\": \"1 Ouse Street, York\", "  \
	"\"hours\": \"Monday to Friday, 9am to 5pm\", \"description\": \"Help to find a home.\"}"

/* The daemon restarted with its child failing as fault says (NULL: not at all), and the
 * person back in the housing app. */
static void
restart(const char *fault)
{
	daemon_restart_faulty(&d, fault);
	client_free(app);
	client_free(sam);
	sam = session_login(&d, "A1234BC", pin);
	app = session_open_app(sam, "housing");
}

/* A bad file: check fails with a message containing want; search still answers. */
static void
refused(const char *text, const char *want)
{
	char *out;

	write_directory(text);
	out = session_ctl(&d, 1, "admin", "directory", "check", NULL);
	if (!strstr(out, want))
		check_failed(__FILE__, __LINE__, "\"%s\" not in: %s", want, out);
	free(out);
}

int
main(void)
{
	char *out, big_path[300];
	json_t *p, *list, *s;
	size_t i;

	setenv("TZ", "Europe/London", 1);
	tzset();
	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	session_add_staff(&d, "h.ali", "Hana Ali", "housing", NULL);
	session_add_staff(&d, "r.evans", "Rhian Evans", "education", "MDI");
	session_add_person(&d, "A1234BC", "Sam", "MDI", "sentenced", 60, pin);
	session_register_app(&d, "housing");
	sam = session_login(&d, "A1234BC", pin);
	app = session_open_app(sam, "housing");

	test_step("the shipped directory: every service, areas and categories to filter by");
	p = session_ok(app, "onward.Directory.Search", NULL);
	list = json_object_get(p, "services");
	CHECK(json_array_size(list) >= 24);
	CHECK_INT(json_array_size(json_object_get(p, "areas")), 4);
	CHECK_INT(json_array_size(json_object_get(p, "categories")), 6);
	s = json_array_get(list, 0);
	CHECK(json_is_string(json_object_get(s, "name")));
	CHECK(json_is_string(json_object_get(s, "phone")));
	CHECK(json_is_string(json_object_get(s, "hours")));
	CHECK(json_is_string(json_object_get(s, "description")));
	CHECK(json_is_string(json_object_get(s, "area_name")));
	json_decref(p);

	test_step("search by area and category");
	p = session_ok(app, "onward.Directory.Search",
	               json_pack("{s:s, s:s}", "area", "sheffield", "category", "housing"));
	list = json_object_get(p, "services");
	CHECK(json_array_size(list) >= 1);
	json_array_foreach(list, i, s)
	{
		CHECK_STR(json_string_value(json_object_get(s, "area")), "sheffield");
		CHECK_STR(json_string_value(json_object_get(s, "area_name")), "Sheffield");
		CHECK_STR(json_string_value(json_object_get(s, "category")), "housing");
	}
	json_decref(p);
	p = session_ok(app, "onward.Directory.Search", json_pack("{s:s}", "category", "family"));
	CHECK_INT(json_array_size(json_object_get(p, "services")), 4);
	json_decref(p);
	session_fails(app, "onward.Directory.Search", json_pack("{s:s}", "area", "atlantis"),
	              "onward.InvalidParameter", "There is no area with that name in the list.",
	              "area");
	session_fails(app, "onward.Directory.Search", json_pack("{s:s}", "category", "pubs"),
	              "onward.InvalidParameter", "Choose housing, money, work", "category");
	out = session_ctl(&d, 0, "h.ali", "directory", "check", NULL);
	CHECK_CONTAINS(out, "directory OK: ");
	CHECK_CONTAINS(out, "in 4 areas");
	CHECK_CONTAINS(out, "data/services-directory.json");
	free(out);
	out = session_ctl(&d, 1, "r.evans", "directory", "check", NULL);
	CHECK_CONTAINS(out, "Your role cannot do this here.");
	free(out);

	test_step("the device's own file takes over when it is there");
	write_directory(HEAD GOOD_SERVICE "]}");
	p = session_ok(app, "onward.Directory.Search", NULL);
	CHECK_INT(json_array_size(json_object_get(p, "services")), 1);
	CHECK_STR(json_string_value(json_object_get(
	                  json_array_get(json_object_get(p, "services"), 0), "name")),
	          "York Housing Help");
	json_decref(p);
	out = session_ctl(&d, 0, "admin", "directory", "check", NULL);
	CHECK_CONTAINS(out, "directory OK: 1 services in 1 areas (updated 2026-11-01)");
	free(out);

	test_step("bad files are refused with the place and the problem");
	refused(HEAD GOOD_SERVICE ",\n}", "services-directory.json:2:1:");
	refused("[1, 2]", "the file must hold one JSON object");
	refused("{\"format\": 2}", "\"format\" must be 1");
	refused("{\"format\": 1, \"updated\": \"2026-11-01\", \"areas\": [], \"services\": []}",
	        "\"areas\" must list 1 to 64 areas");
	refused(HEAD GOOD_SERVICE "], \"extra\": 1}", "unknown field \"extra\"");
	refused("{\"format\": 1, \"format\": 1}", "duplicate object key");
	refused(HEAD GOOD_SERVICE "," GOOD_SERVICE "]}",
	        "services[1]: service \"york-housing\" is listed twice");
	refused(HEAD "{\"id\": \"x\", \"name\": \"X\", \"category\": \"pubs\", \"area\": \"york\", "
	             "\"phone\": \"01632 960999\", \"address\": \"a\", \"hours\": \"h\", "
	             "\"description\": \"d\"}]}",
	        "services[0] (x): category \"pubs\" is not one of");
	refused(HEAD
	        "{\"id\": \"x\", \"name\": \"X\", \"category\": \"work\", \"area\": \"leeds\", "
	        "\"phone\": \"01632 960999\", \"address\": \"a\", \"hours\": \"h\", "
	        "\"description\": \"d\"}]}",
	        "services[0] (x): area \"leeds\" is not in \"areas\"");
	refused(HEAD "{\"id\": \"x\", \"name\": \"X\", \"category\": \"work\", \"area\": \"york\", "
	             "\"phone\": \"call us\", \"address\": \"a\", \"hours\": \"h\", "
	             "\"description\": \"d\"}]}",
	        "services[0] (x): phone must be 10 to 13 digits");
	refused(HEAD "{\"id\": \"x\", \"name\": \"X\", \"category\": \"work\", \"area\": \"york\", "
	             "\"phone\": \"01632 960999\", \"address\": \"a\", \"hours\": \"h\"}]}",
	        "services[0]: description is missing");
	refused(HEAD "{\"id\": \"x\", \"name\": \"X\\nY\", \"category\": \"work\", \"area\": "
	             "\"york\", \"phone\": \"01632 960999\", \"address\": \"a\", \"hours\": \"h\", "
	             "\"description\": \"d\"}]}",
	        "services[0]: name must be text of 1 to 100 bytes on one line");
	refused(HEAD
	        "{\"id\": \"X Y\", \"name\": \"X\", \"category\": \"work\", \"area\": \"york\", "
	        "\"phone\": \"01632 960999\", \"address\": \"a\", \"hours\": \"h\", "
	        "\"description\": \"d\"}]}",
	        "services[0]: id must be a-z, 0-9 and '-'");
	refused(HEAD "{\"id\": \"x\", \"name\": \"X\", \"category\": \"work\", \"area\": \"york\", "
	             "\"phone\": \"01632 960999\", \"address\": \"a\", \"hours\": \"h\", "
	             "\"description\": \"d\", \"website\": \"http://x.example\"}]}",
	        "website must start with https://");
	/* Bigger than 1 MiB: refused before it is parsed. */
	{
		FILE *f;

		snprintf(big_path, sizeof(big_path), "%s/services-directory.json", d.dir);
		f = fopen(big_path, "w");
		CHECK(f != NULL);
		fputs(HEAD GOOD_SERVICE "]}", f);
		for (int k = 0; k < (1 << 20); k++)
			fputc(' ', f);
		CHECK(fclose(f) == 0);
		out = session_ctl(&d, 1, "admin", "directory", "check", NULL);
		CHECK_CONTAINS(out, "too large");
		free(out);
	}

	test_step("meanwhile the last good directory is still searched, and said to be");
	p = session_ok(app, "onward.Directory.Search", NULL);
	CHECK_INT(json_array_size(json_object_get(p, "services")), 1);
	json_decref(p);
	out = session_ctl(&d, 1, "admin", "directory", "check", NULL);
	CHECK_CONTAINS(out, "the directory read before is still in use");
	free(out);
	client_free(app);
	client_free(sam);

	test_step("a daemon that starts with a bad file says so plainly, and logs the line");
	daemon_stop(&d);
	write_directory(HEAD GOOD_SERVICE ",]}");
	daemon_start(&d);
	sam = session_login(&d, "A1234BC", pin);
	app = session_open_app(sam, "housing");
	session_fails(app, "onward.Directory.Search", NULL, "onward.InternalError",
	              "The list of local services cannot be read now. Please tell staff.", NULL);
	out = session_ctl(&d, 1, "admin", "directory", "check", NULL);
	CHECK_CONTAINS(out, "services-directory.json:1:");
	CHECK_CONTAINS(out, "there is no directory in use");
	free(out);
	{
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "grep -q 'directory: services-directory.json:1:' '%s'",
		         d.log);
		CHECK(system(cmd) == 0);
	}

	test_step("mended, it is read again at once");
	write_directory(HEAD GOOD_SERVICE "]}");
	p = session_ok(app, "onward.Directory.Search", json_pack("{s:s}", "area", "york"));
	CHECK_INT(json_array_size(json_object_get(p, "services")), 1);
	json_decref(p);
	free(session_ctl(&d, 0, "admin", "directory", "check", NULL));

	test_step("a FIFO in place of the file is refused at once, never waited on");
	snprintf(big_path, sizeof(big_path), "%s/services-directory.json", d.dir);
	CHECK(unlink(big_path) == 0 && mkfifo(big_path, 0600) == 0);
	out = session_ctl(&d, 1, "admin", "directory", "check", NULL);
	CHECK_CONTAINS(out, "services-directory.json: not a regular file");
	CHECK_CONTAINS(out, "the directory read before is still in use");
	free(out);
	p = session_ok(app, "onward.Directory.Search", NULL);
	CHECK_INT(json_array_size(json_object_get(p, "services")), 1);
	json_decref(p);
	unlink(big_path);
	write_directory(HEAD GOOD_SERVICE "]}");

	/* The child that reads the file, failing on purpose (ONWARD_TEST_PARSE_FAULT, test
	 * builds only): the daemon says so plainly and serves on. */
	test_step("the child crashes reading the file: the person is told plainly, staff why");
	restart("abort:directory.read");
	session_fails(app, "onward.Directory.Search", NULL, "onward.InternalError",
	              "The list of local services cannot be read now. Please tell staff.", NULL);
	out = session_ctl(&d, 1, "admin", "directory", "check", NULL);
	CHECK_CONTAINS(out, "services-directory.json: could not be checked: the checker stopped "
	                    "unexpectedly");
	free(out);

	test_step("the child stalls: a search waits for the read, which is stopped in time");
	setenv("ONWARD_TEST_PARSE_TIMEOUT_MS", "1000", 1);
	restart("hang:directory.read");
	session_fails(app, "onward.Directory.Search", NULL, "onward.InternalError",
	              "The list of local services cannot be read now. Please tell staff.", NULL);
	out = session_ctl(&d, 1, "admin", "directory", "check", NULL);
	CHECK_CONTAINS(out, "could not be checked: checking it took longer than 1 seconds");
	free(out);
	unsetenv("ONWARD_TEST_PARSE_TIMEOUT_MS");

	test_step("the child answers out of shape: not believed, and logged");
	restart("lie:directory.read");
	out = session_ctl(&d, 1, "admin", "directory", "check", NULL);
	CHECK_CONTAINS(out, "services-directory.json: the checker's answer was not understood");
	free(out);
	CHECK(daemon_log_has(&d, "the checker's answer is not a directory"));

	test_step("the child well again: the directory is read");
	restart(NULL);
	p = session_ok(app, "onward.Directory.Search", json_pack("{s:s}", "area", "york"));
	CHECK_INT(json_array_size(json_object_get(p, "services")), 1);
	json_decref(p);

	client_free(app);
	client_free(sam);
	daemon_remove(&d);
	printf("test-directory: OK\n");
	return 0;
}

/*
 * onward-app-housing's reading of replies (apps/housing/model.c), fed good replies and
 * hostile ones: wrong types, control characters, over-long strings, unknown statuses,
 * more entries than the app keeps. A reply the app cannot use is refused whole; one bad
 * entry in a list is left out; nothing is cut or shown wrong.
 */
#include "check.h"
#include "model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static json_t *
j(const char *text)
{
	json_error_t err;
	json_t *v = json_loads(text, 0, &err);

	if (!v)
		check_failed(__FILE__, __LINE__, "bad test JSON: %s: %s", err.text, text);
	return v;
}

static int
state(const char *text, struct housing_state *ret)
{
	json_t *v = j(text);
	int r = model_read_state(v, ret);

	json_decref(v);
	return r;
}

int
main(void)
{
	struct housing_state s;
	struct housing_thread t;
	struct directory_result d;
	char buf[200], *big;
	json_t *v, *list;

	test_step("a good enquiry");
	CHECK_INT(state("{\"enquiry\": {\"status\": \"draft\", \"step\": 4, \"release_date\": "
	                "\"2027-01-29\", \"area\": \"Sheffield\", \"last_address\": \"14 Forge "
	                "Lane\\nSheffield\", \"needs\": [\"children\", \"pets\", 3, \"health\"], "
	                "\"needs_detail\": \"\", \"consent\": true, \"contact_route\": \"phone\", "
	                "\"contact_detail\": \"07700 900123\"}, \"can_enquire\": true, \"reason\": "
	                "\"You can ask for help with housing.\", \"release_date\": \"2027-01-29\", "
	                "\"messages\": 0}",
	                &s),
	          0);
	CHECK(s.enquiry.present);
	CHECK_INT(s.enquiry.step, 4);
	CHECK_STR(s.enquiry.area, "Sheffield");
	CHECK_STR(s.enquiry.last_address, "14 Forge Lane\nSheffield");
	CHECK(!s.enquiry.needs[NEED_ACCESSIBILITY]);
	CHECK(s.enquiry.needs[NEED_CHILDREN]);
	CHECK(s.enquiry.needs[NEED_HEALTH]);
	CHECK(s.enquiry.consent);
	CHECK(s.can_enquire);

	test_step("no enquiry yet, and a refusal with its reason");
	CHECK_INT(state("{\"enquiry\": null, \"can_enquire\": false, \"reason\": \"Housing help "
	                "opens 12 weeks before your release date.\"}",
	                &s),
	          0);
	CHECK(!s.enquiry.present);
	CHECK(!s.can_enquire);
	CHECK_STR(s.reason, "Housing help opens 12 weeks before your release date.");

	test_step("replies the app cannot use are refused whole");
	{
		static const char *const bad[] = {
		        "[]",
		        "{}",
		        "{\"can_enquire\": 1}",
		        "{\"can_enquire\": true, \"enquiry\": []}",
		        "{\"can_enquire\": true, \"enquiry\": {\"status\": \"lost\"}}",
		        "{\"can_enquire\": true, \"enquiry\": {}}",
		        "{\"can_enquire\": true, \"enquiry\": {\"status\": \"draft\", \"area\": "
		        "7}}",
		        "{\"can_enquire\": true, \"enquiry\": {\"status\": \"draft\", \"area\": "
		        "\"a\\u0007b\"}}",
		        "{\"can_enquire\": true, \"enquiry\": {\"status\": \"draft\", \"area\": "
		        "\"two\\nlines\"}}",
		        "{\"can_enquire\": true, \"enquiry\": {\"status\": \"draft\", \"needs\": "
		        "\"health\"}}",
		        "{\"can_enquire\": true, \"enquiry\": {\"status\": \"draft\", \"step\": "
		        "\"4\"}}",
		        "{\"can_enquire\": true, \"enquiry\": {\"status\": \"draft\", \"consent\": "
		        "1}}",
		        "{\"can_enquire\": true, \"messages\": \"2\"}",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (state(bad[i], &s) != -EBADMSG)
				check_failed(__FILE__, __LINE__, "accepted: %s", bad[i]);
	}
	big = malloc(600);
	CHECK(big != NULL);
	memset(big, 'a', 401);
	big[401] = '\0';
	v = json_pack("{s:b, s:s}", "can_enquire", 0, "reason", big);
	CHECK_INT(model_read_state(v, &s), -EBADMSG);
	json_decref(v);
	big[400] = '\0';
	v = json_pack("{s:b, s:s}", "can_enquire", 0, "reason", big);
	CHECK_INT(model_read_state(v, &s), 0);
	CHECK_INT(strlen(s.reason), 400);
	json_decref(v);
	free(big);
	CHECK_INT(state("{\"can_enquire\": true, \"enquiry\": {\"status\": \"draft\", \"step\": "
	                "99}}",
	                &s),
	          0);
	CHECK_INT(s.enquiry.step, 0);

	test_step("a thread: bad messages left out, at most 500 kept");
	list = json_array();
	for (int i = 0; i < 600; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "from", "staff", "text",
		                                      "Hello", "local", "2026-11-23 10:15"));
	json_array_append_new(list, json_pack("{s:s}", "text", "no from"));
	v = json_pack("{s:s, s:o}", "status", "assessed", "messages", list);
	CHECK_INT(model_read_thread(v, &t), 0);
	CHECK_INT(t.n, 500);
	CHECK_INT(t.skipped, 101);
	CHECK(t.messages[0].from_staff);
	CHECK_STR(t.messages[499].local, "2026-11-23 10:15");
	model_thread_release(&t);
	json_decref(v);
	v = j("{\"status\": \"assessed\", \"messages\": [{\"from\": \"you\", \"text\": "
	      "\"a\\nb\"}, {\"from\": \"staff\", \"status\": \"housed\"}, {\"from\": \"staff\", "
	      "\"name\": [1]}, 5]}");
	CHECK_INT(model_read_thread(v, &t), 0);
	CHECK_INT(t.n, 1);
	CHECK_INT(t.skipped, 3);
	CHECK(!t.messages[0].from_staff);
	CHECK_STR(t.messages[0].text, "a\nb");
	model_thread_release(&t);
	json_decref(v);
	v = j("{\"messages\": {}}");
	CHECK_INT(model_read_thread(v, &t), -EBADMSG);
	json_decref(v);

	test_step("the directory: bad entries left out, at most 200 services");
	list = json_array();
	for (int i = 0; i < 250; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", "x",
		                                      "name", "X", "category", "housing", "area",
		                                      "york", "phone", "01632 960999"));
	json_array_insert_new(list, 0, json_pack("{s:s}", "id", "no-name"));
	v = json_pack("{s:[{s:s, s:s}, {s:s}], s:o}", "areas", "id", "york", "name", "York", "id",
	              "nameless", "services", list);
	CHECK_INT(model_read_directory(v, &d), 0);
	CHECK_INT(d.n_areas, 1);
	CHECK_INT(d.n_services, 200);
	CHECK_INT(d.skipped, 52);
	CHECK_STR(d.services[0].area, "york");
	model_directory_release(&d);
	json_decref(v);
	v = j("{\"areas\": [], \"services\": null}");
	CHECK_INT(model_read_directory(v, &d), -EBADMSG);
	json_decref(v);

	test_step("dates in words, phone numbers for reading aloud");
	model_date_words("2027-01-29", buf, sizeof(buf));
	CHECK_STR(buf, "Friday 29 January 2027");
	model_date_words("2028-02-29", buf, sizeof(buf));
	CHECK_STR(buf, "Tuesday 29 February 2028");
	model_date_words("2027-13-01", buf, sizeof(buf));
	CHECK_STR(buf, "");
	model_date_words("", buf, sizeof(buf));
	CHECK_STR(buf, "");
	model_phone_for_speech("0114 496 0201", buf, sizeof(buf));
	CHECK_STR(buf, "0 1 1 4, 4 9 6, 0 2 0 1");
	model_phone_for_speech("0114 496 0201", buf, 8);
	CHECK(strlen(buf) < 8);

	printf("test-housing-model: OK\n");
	return 0;
}

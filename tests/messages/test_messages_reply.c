/*
 * The Messages app's reading of replies (apps/messages/reply.c), fed good and hostile
 * JSON: wrong types, control characters, over-long strings, unknown kinds and statuses,
 * too many entries. A bad entry is skipped, a bad whole reply refused, and nothing is ever
 * copied past its buffer.
 */
#include "check.h"
#include "reply.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *
parse(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	if (!j)
		check_failed(__FILE__, __LINE__, "bad test JSON: %s", err.text);
	return j;
}

static const char *const good_item =
        "{\"id\": 7, \"kind\": \"message\", \"from\": \"you\", \"text\": \"two\\nlines\", "
        "\"status\": \"rejected\", \"reason\": \"Not today.\", \"date\": \"2026-11-23\", "
        "\"time\": \"14:05\"}";

static void
item_refused(const char *json)
{
	json_t *j = parse(json);
	struct msg_item item;

	CHECK_INT(reply_read_item(j, &item), -EBADMSG);
	json_decref(j);
}

int
main(void)
{
	struct msg_threads *threads = calloc(1, sizeof(*threads));
	struct msg_page page;
	struct msg_item item;
	json_t *j;
	char *big;

	CHECK(threads != NULL);
	test_step("a good item, with newlines kept");
	j = parse(good_item);
	CHECK_INT(reply_read_item(j, &item), 0);
	CHECK_INT(item.id, 7);
	CHECK_STR(item.text, "two\nlines");
	CHECK_STR(item.reason, "Not today.");
	CHECK_STR(item.time, "14:05");
	CHECK(!item.read);
	json_decref(j);

	test_step("hostile items are refused");
	item_refused("[]");
	item_refused("{\"id\": 0, \"kind\": \"message\", \"from\": \"you\", \"status\": \"held\"}");
	item_refused("{\"id\": \"7\", \"kind\": \"message\", \"from\": \"you\", \"status\": "
	             "\"held\"}");
	item_refused("{\"id\": 7, \"kind\": \"letter\", \"from\": \"you\", \"status\": \"held\"}");
	item_refused("{\"id\": 7, \"kind\": \"message\", \"from\": \"me\", \"status\": \"held\"}");
	item_refused("{\"id\": 7, \"kind\": \"message\", \"from\": \"you\", \"status\": \"lost\"}");
	item_refused("{\"id\": 7, \"kind\": \"message\", \"from\": \"you\", \"status\": \"held\", "
	             "\"text\": \"bell\\u0007\"}");
	item_refused("{\"id\": 7, \"kind\": \"message\", \"from\": \"you\", \"status\": \"held\", "
	             "\"reason\": \"two\\nlines\"}");
	item_refused("{\"id\": 7, \"kind\": \"message\", \"from\": \"you\", \"status\": \"held\", "
	             "\"read\": 1}");
	item_refused("{\"id\": 7, \"kind\": \"message\", \"from\": \"you\", \"status\": \"held\", "
	             "\"time\": \"14:05:00\"}");
	big = malloc(MSG_TEXT_MAX + 200);
	CHECK(big != NULL);
	snprintf(big, MSG_TEXT_MAX + 200,
	         "{\"id\": 7, \"kind\": \"message\", \"from\": \"you\", \"status\": \"held\", "
	         "\"text\": \"%0*d\"}",
	         MSG_TEXT_MAX + 1, 0);
	item_refused(big);
	snprintf(big, MSG_TEXT_MAX + 200,
	         "{\"id\": 7, \"kind\": \"message\", \"from\": \"you\", \"status\": \"held\", "
	         "\"text\": \"%0*d\"}",
	         MSG_TEXT_MAX, 0);
	j = parse(big);
	CHECK_INT(reply_read_item(j, &item), 0);
	CHECK_INT(strlen(item.text), MSG_TEXT_MAX);
	json_decref(j);
	free(big);

	test_step("threads: bad rows skipped, a bad list refused, the count bounded");
	j = parse(
	        "{\"threads\": [{\"with\": \"worker\", \"kind\": \"worker\", \"name\": \"Kiran\", "
	        "\"can_send\": true, \"unread\": 2}, {\"with\": \"contact:1\", \"kind\": "
	        "\"contact\", \"name\": \"Jo\\u0001\"}, {\"with\": \"contact:2\", \"kind\": "
	        "\"robot\"}, 5, {\"with\": \"contact:3\", \"kind\": \"contact\", \"name\": "
	        "\"Jo\", \"can_send\": false, \"send_reason\": \"Closed at night.\", "
	        "\"date\": \"2026-11-23\", \"time\": \"09:00\"}], \"chars_max\": 1000}");
	CHECK_INT(reply_read_threads(j, threads), 0);
	CHECK_INT(threads->n, 2);
	CHECK_INT(threads->skipped, 3);
	CHECK(threads->rows[0].worker);
	CHECK_INT(threads->rows[0].unread, 2);
	CHECK(!threads->rows[1].worker && !threads->rows[1].can_send);
	CHECK_STR(threads->rows[1].send_reason, "Closed at night.");
	CHECK_STR(threads->rows[1].last_time, "09:00");
	json_decref(j);
	j = parse("{\"threads\": {}}");
	CHECK_INT(reply_read_threads(j, threads), -EBADMSG);
	json_decref(j);
	/* The last message's preview and when sending opens: bounded and checked. */
	j = parse("{\"date\": \"2026-11-24\", \"threads\": [{\"with\": \"contact:1\", "
	          "\"kind\": \"contact\", \"last_text\": \"two\\nlines\", \"last_from\": "
	          "\"you\", \"can_send_later\": true, \"opens\": {\"date\": \"2026-11-25\", "
	          "\"time\": \"07:00\"}}, {\"with\": \"contact:2\", \"kind\": \"contact\", "
	          "\"last_from\": \"robot\"}, {\"with\": \"contact:3\", \"kind\": "
	          "\"contact\", \"opens\": \"07:00\"}, {\"with\": \"contact:4\", \"kind\": "
	          "\"contact\", \"last_text\": \"bell\\u0007\"}, {\"with\": \"contact:5\", "
	          "\"kind\": \"contact\", \"can_send_later\": 1}]}");
	CHECK_INT(reply_read_threads(j, threads), 0);
	CHECK_INT(threads->n, 1);
	CHECK_INT(threads->skipped, 4);
	CHECK_STR(threads->today, "2026-11-24");
	CHECK_STR(threads->rows[0].last_text, "two\nlines");
	CHECK(threads->rows[0].can_send_later);
	CHECK_STR(threads->rows[0].opens_time, "07:00");
	json_decref(j);
	{
		char *long_text = malloc(MSG_PREVIEW_MAX + 2);

		CHECK(long_text != NULL);
		memset(long_text, 'a', MSG_PREVIEW_MAX + 1);
		long_text[MSG_PREVIEW_MAX + 1] = '\0';
		j = json_pack("{s:[{s:s, s:s, s:s}]}", "threads", "with", "contact:1", "kind",
		              "contact", "last_text", long_text);
		CHECK_INT(reply_read_threads(j, threads), 0);
		CHECK_INT(threads->n, 0);
		json_decref(j);
		free(long_text);
	}
	/* Frequent words: only words, at most MSG_WORDS_MAX; the rest skipped. */
	{
		struct msg_words words;

		j = parse("{\"words\": [\"thanks\", \"don't\", \"two words\", 7, \"Caps\", "
		          "\"'quote\", \"\", \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]}");
		CHECK_INT(reply_read_words(j, &words), 0);
		CHECK_INT(words.n, 2);
		CHECK_STR(words.word[1], "don't");
		json_decref(j);
		j = parse("{\"words\": 5}");
		CHECK_INT(reply_read_words(j, &words), -EBADMSG);
		json_decref(j);
	}
	j = json_pack("{s:[]}", "threads");
	for (int i = 0; i < MSG_THREADS_MAX + 50; i++)
		json_array_append_new(json_object_get(j, "threads"),
		                      json_pack("{s:s, s:s}", "with", "worker", "kind", "worker"));
	CHECK_INT(reply_read_threads(j, threads), 0);
	CHECK_INT(threads->n, MSG_THREADS_MAX);
	CHECK_INT(threads->skipped, 50);
	json_decref(j);

	test_step("a page: items oldest first, bad ones skipped, staff reads, at most a page");
	j = parse("{\"with\": \"contact:1\", \"can_send\": true, \"can_read\": true, \"more\": "
	          "true, \"date\": \"2026-11-23\", \"time\": \"15:00\", \"messages\": [{\"id\": 1, "
	          "\"kind\": \"message\", \"from\": \"contact\", \"text\": \"hi\", \"status\": "
	          "\"delivered\"}, {\"id\": 2}], \"staff_reads\": [{\"role\": \"officer\", "
	          "\"date\": \"2026-11-23\", \"time\": \"14:05\"}, {\"role\": 3}]}");
	CHECK_INT(reply_read_page(j, &page), 0);
	CHECK_INT(page.n, 1);
	CHECK_INT(page.skipped, 1);
	CHECK(page.more);
	CHECK_STR(page.today, "2026-11-23");
	CHECK_INT(page.n_reads, 1);
	CHECK_STR(page.reads[0].role, "officer");
	reply_page_release(&page);
	json_decref(j);
	j = json_pack("{s:s, s:[]}", "with", "worker", "messages");
	for (int i = 0; i < MSG_PAGE_MAX + 5; i++)
		json_array_append_new(json_object_get(j, "messages"), parse(good_item));
	CHECK_INT(reply_read_page(j, &page), 0);
	CHECK_INT(page.n, MSG_PAGE_MAX);
	CHECK_INT(page.skipped, 5);
	reply_page_release(&page);
	json_decref(j);
	j = parse("{\"messages\": []}");
	CHECK_INT(reply_read_page(j, &page), -EBADMSG); /* no "with" */
	json_decref(j);

	test_step("refusal ids and character counts");
	j = parse("{\"message\": \"No.\", \"refusal\": 12}");
	CHECK_INT(reply_read_refusal(j), 12);
	json_decref(j);
	j = parse("{\"message\": \"No.\", \"refusal\": \"12\"}");
	CHECK_INT(reply_read_refusal(j), 0);
	json_decref(j);
	CHECK_INT(reply_utf8_chars("h\xc3\xa9llo \xf0\x9f\x98\x80"), 7);
	CHECK_INT(reply_utf8_chars(""), 0);

	free(threads);
	printf("test-messages-reply: OK\n");
	return 0;
}

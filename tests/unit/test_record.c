/*
 * The scan that bounds a person bundle's record before jansson allocates anything for it
 * (services/record/scan.c), on its own: each limit at its boundary (one
 * under is taken, one over refused, with the words staff see), and its reading of JSON
 * against jansson's on tens of thousands of generated documents, whole and with bytes
 * changed — every document jansson accepts must have been followed (and so counted) by
 * the scan, unless it hides a member's name behind escapes, which the scan refuses.
 */
#include "check.h"
#include "record.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing text. */
struct text {
	char *p;
	size_t len, cap;
};

static void
put(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->p = realloc(t->p, t->cap);
		CHECK(t->p != NULL);
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void
puts_(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

/* {"format": 2, "<key>": [item, item, ...]} with n items, the list at depth 2. */
static char *
with_list(const char *key, const char *item, size_t n)
{
	struct text t = {0};

	puts_(&t, "{\"format\": 2, \"");
	puts_(&t, key);
	puts_(&t, "\": [");
	for (size_t i = 0; i < n; i++) {
		if (i)
			puts_(&t, ", ");
		puts_(&t, item);
	}
	puts_(&t, "]}");
	return t.p;
}

static int
scan(const char *text, char *err, size_t size)
{
	err[0] = '\0';
	return record_scan(text, strlen(text), err, size);
}

static void
limit(const char *key, const char *item, size_t max, const char *what)
{
	char err[400], want[300];
	char *ok = with_list(key, item, max), *over = with_list(key, item, max + 1);

	CHECK_INT(scan(ok, err, sizeof(err)), 0);
	CHECK_INT(scan(over, err, sizeof(err)), -EMSGSIZE);
	snprintf(want, sizeof(want),
	         "The bundle's record lists more than %zu %s, more than any person's record "
	         "holds, so it was refused and nothing was imported.",
	         max, what);
	CHECK_STR(err, want);
	free(ok);
	free(over);
}

/* ---- generated documents -------------------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static unsigned
pick(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void
space(struct text *t)
{
	static const char *const ws[] = {"", "", " ", "\n", "\t ", "\r\n  "};

	puts_(t, ws[pick(6)]);
}

/* A string with quotes, backslashes, escapes and UTF-8 in it. */
static void
string(struct text *t, bool key)
{
	static const char *const parts[] = {"a", "moves", "x y", "\\\"", "\\\\", "\\n", "\\u00e9",
	                                    "é", "\\/",   "}",   "]",    ",",    ":",   "[{"};
	unsigned n = pick(4);

	puts_(t, "\"");
	if (key) {
		static const char *const keys[] = {"moves", "contacts", "audit", "parts", "a", "b"};

		puts_(t, keys[pick(6)]);
	} else {
		for (unsigned i = 0; i < n; i++)
			puts_(t, parts[pick(sizeof(parts) / sizeof(parts[0]))]);
	}
	puts_(t, "\"");
}

static void
value(struct text *t, int depth)
{
	static const char *const scalars[] = {"0", "-1.5e+10", "12345", "true", "false", "null"};
	unsigned kind = depth >= 6 ? pick(2) : pick(4);
	unsigned n = pick(5);

	switch (kind) {
	case 0:
		puts_(t, scalars[pick(6)]);
		break;
	case 1:
		string(t, false);
		break;
	case 2:
		puts_(t, "[");
		for (unsigned i = 0; i < n; i++) {
			if (i)
				puts_(t, ",");
			space(t);
			value(t, depth + 1);
			space(t);
		}
		puts_(t, "]");
		break;
	default:
		puts_(t, "{");
		for (unsigned i = 0; i < n; i++) {
			if (i)
				puts_(t, ",");
			space(t);
			string(t, true);
			space(t);
			puts_(t, ":");
			space(t);
			value(t, depth + 1);
		}
		puts_(t, "}");
	}
}

/* Whether jansson's reading of text agrees with the scan's, as the scan promises. */
static void
agree(const char *text, size_t len, bool whole)
{
	char err[400] = "";
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	int r = record_scan(text, len, err, sizeof(err));

	if (doc && r < 0 && !strstr(err, "written with escapes"))
		check_failed(__FILE__, __LINE__, "jansson reads what the scan refused (%s): %.*s",
		             err, (int)len, text);
	if (whole && r < 0 && !strstr(err, "written with escapes"))
		check_failed(__FILE__, __LINE__, "the scan refused JSON (%s): %s", err, text);
	json_decref(doc);
}

/* The canonical text of a payload: JSON held as text made into objects, then bounded. */
static void
canonical(void)
{
	char err[400] = "", big[RECORD_LICENCE_TEXT_MAX + 2], *text = NULL, *again = NULL;
	size_t len = 0, again_len = 0;
	json_t *doc, *read = NULL, *moves;
	const char *payload =
	        "{\"format\": 2, \"person\": {\"given_name\": \"Sam\"}, \"licence\": "
	        "\"{\\\"region\\\": \\\"NEP\\\", \\\"no_contact\\\": [2]}\", \"settings\": "
	        "\"{\\\"text_size\\\": \\\"large\\\"}\", \"moves\": [{\"detail\": "
	        "\"{\\\"note\\\": \\\"first\\\"}\"}, {\"detail\": \"not json\"}, {\"detail\": "
	        "\"[1]\"}, {\"detail\": \"\"}], \"contacts\": []}";

	test_step("canonical: the licence, settings and details become objects, keys sorted");
	CHECK_INT(record_parse(payload, strlen(payload), &doc, err, sizeof(err)), 0);
	CHECK_INT(record_canonical(doc, &text, &len, err, sizeof(err)), 0);
	CHECK_STR(text, "{\"contacts\":[],\"format\":2,\"licence\":{\"no_contact\":[2],"
	                "\"region\":\"NEP\"},\"moves\":[{\"detail\":{\"note\":\"first\"}},"
	                "{\"detail\":\"not json\"},{\"detail\":\"[1]\"},{\"detail\":\"\"}],"
	                "\"person\":{\"given_name\":\"Sam\"},\"settings\":{\"text_size\":"
	                "\"large\"}}");
	CHECK_INT(len, strlen(text));
	json_decref(doc);

	test_step("canonical text is read by the daemon's parser and is its own canonical text");
	CHECK_INT(record_parse(text, len, &read, err, sizeof(err)), 0);
	CHECK_INT(record_canonical(read, &again, &again_len, err, sizeof(err)), 0);
	CHECK_STR(again, text);
	json_decref(read);
	free(again);
	free(text);

	test_step("text longer than its field may be is left as it came, for the daemon to refuse");
	for (size_t n = RECORD_LICENCE_TEXT_MAX; n <= RECORD_LICENCE_TEXT_MAX + 1; n++) {
		memset(big, ' ', n);
		big[0] = '{';
		big[n - 1] = '}';
		big[n] = '\0';
		doc = json_pack("{s:i, s:s, s:s, s:[{s:s}]}", "format", 2, "licence", big,
		                "settings", "[1]", "moves", "detail", "{}");
		CHECK_INT(record_canonical(doc, &text, &len, err, sizeof(err)), 0);
		CHECK(json_is_object(json_object_get(doc, "licence")) ==
		      (n == RECORD_LICENCE_TEXT_MAX));
		CHECK(json_is_string(json_object_get(doc, "settings")));
		moves = json_object_get(doc, "moves");
		CHECK(json_is_object(json_object_get(json_array_get(moves, 0), "detail")));
		json_decref(doc);
		free(text);
	}

	test_step("what the text held counts: settings nested too deeply are refused here");
	doc = json_pack("{s:i, s:s}", "format", 2, "settings",
	                "{\"a\": [[[[[[[[[[[[1]]]]]]]]]]]]}");
	text = NULL;
	CHECK_INT(record_canonical(doc, &text, &len, err, sizeof(err)), -EBADMSG);
	CHECK_STR(err, "The bundle's record is not well formed: it is nested too deeply.");
	CHECK(text == NULL);
	json_decref(doc);
}

static void
directory(void)
{
	char err[RECORD_DIRECTORY_PROBLEM_MAX] = "";
	json_t *root = json_pack("{s:i, s:s, s:[{s:s, s:s}], s:[{s:s, s:s, s:s, s:s, s:s, s:s, "
	                         "s:s, s:s}]}",
	                         "format", 1, "updated", "2026-11-01", "areas", "id", "york",
	                         "name", "York", "services", "id", "york-housing", "name", "Help",
	                         "category", "housing", "area", "york", "phone", "01632 960999",
	                         "address", "1 Ouse Street", "hours", "9 to 5", "description",
	                         "Help to find a home.");
	json_t *service = json_array_get(json_object_get(root, "services"), 0);

	test_step("the services directory: a good one, and refusals naming the place");
	CHECK_INT(record_directory_check(root, err), 0);
	CHECK(record_directory_category_known("drugs_alcohol"));
	CHECK(!record_directory_category_known("pubs"));
	json_object_set_new(service, "name", json_stringn("Help\0me", 7));
	CHECK_INT(record_directory_check(root, err), -EINVAL);
	CHECK_STR(err, "services-directory.json: services[0]: name must be text of 1 to 100 "
	               "bytes on one line");
	json_object_set_new(service, "name", json_string("Help"));
	json_object_set_new(service, "phone", json_string("call us"));
	CHECK_INT(record_directory_check(root, err), -EINVAL);
	CHECK_STR(err, "services-directory.json: services[0] (york-housing): phone must be 10 to "
	               "13 digits with spaces, like 0114 496 0123");
	json_decref(root);
}

int
main(void)
{
	char err[400], want[100], *text;
	size_t documents = 0, changed = 0;

	test_step("each list at its limit is taken, one more is refused in plain words");
	limit("moves", "{\"kind\": \"transfer\", \"at\": 1}", RECORD_MOVES_MAX, "moves");
	limit("contacts", "{\"name\": \"Alex \\\"Al\\\" Moore\"}", RECORD_CONTACTS_MAX, "contacts");
	limit("audit", "0", RECORD_AUDIT_MAX, "audit rows");
	limit("rows", "[]", RECORD_LIST_MAX, "rows");

	test_step("an area's list, deeper down, has the general limit");
	{
		struct text t = {0};

		puts_(&t, "{\"parts\": {\"messages\": {\"messages\": ");
		text = with_list("x", "{}", RECORD_LIST_MAX + 1);
		puts_(&t, strchr(text, '['));
		t.p[t.len - 1] = '\0'; /* drop with_list's closing brace */
		puts_(&t, "}}}");
		CHECK_INT(scan(t.p, err, sizeof(err)), -EMSGSIZE);
		CHECK_CONTAINS(err, "lists more than 50000 messages,");
		free(text);
		free(t.p);
	}

	test_step("nesting: %d levels are taken, one more is refused", RECORD_DEPTH_MAX);
	{
		struct text t = {0};

		for (int i = 0; i < RECORD_DEPTH_MAX; i++)
			puts_(&t, "[");
		for (int i = 0; i < RECORD_DEPTH_MAX; i++)
			puts_(&t, "]");
		CHECK_INT(scan(t.p, err, sizeof(err)), 0);
		t.len = 0;
		for (int i = 0; i <= RECORD_DEPTH_MAX; i++)
			puts_(&t, "[");
		for (int i = 0; i <= RECORD_DEPTH_MAX; i++)
			puts_(&t, "]");
		CHECK_INT(scan(t.p, err, sizeof(err)), -EBADMSG);
		CHECK_STR(err, "The bundle's record is not well formed: it is nested too deeply.");
		free(t.p);
	}

	test_step("values: %d in all are taken, one more is refused", RECORD_VALUES_MAX);
	{
		/* An object of lists of zeros: 1 + lists * (1 + per) values. */
		size_t per = 40000, lists = (RECORD_VALUES_MAX - 1) / (per + 1);
		size_t rest = RECORD_VALUES_MAX - 1 - lists * (per + 1);
		struct text t = {0};
		char *zeros = with_list("x", "0", per), *tail;

		puts_(&t, "{");
		for (size_t i = 0; i < lists; i++) {
			char key[32];

			snprintf(key, sizeof(key), "%s\"l%zu\": ", i ? ", " : "", i);
			puts_(&t, key);
			put(&t, strchr(zeros, '['), strlen(strchr(zeros, '[')) - 1);
		}
		/* The rest: one more list, rest - 1 zeros in it, then the object closes. */
		tail = with_list("x", "0", rest - 1);
		puts_(&t, ", \"last\": ");
		put(&t, strchr(tail, '['), strlen(strchr(tail, '[')) - 1);
		puts_(&t, "}");
		CHECK_INT(scan(t.p, err, sizeof(err)), 0);
		t.p[t.len - 2] = '\0'; /* "]}" off, then one more zero */
		t.len -= 2;
		puts_(&t, ", 0]}");
		CHECK_INT(scan(t.p, err, sizeof(err)), -EMSGSIZE);
		snprintf(want, sizeof(want), "holds more than %d values", RECORD_VALUES_MAX);
		CHECK_CONTAINS(err, want);
		free(zeros);
		free(tail);
		free(t.p);
	}

	test_step("a member's name written with escapes is refused");
	CHECK_INT(scan("{\"\\u006doves\": []}", err, sizeof(err)), -EBADMSG);
	CHECK_CONTAINS(err, "a member's name is written with escapes");

	test_step("not JSON: each refused");
	{
		static const char *const bad[] = {
		        "",        "[1,]",         "{\"a\":1,}",
		        "[1 2]",   "{\"a\" 1}",    "{\"a\":}",
		        "[\"abc]", "[\"a\\\"]",    "{} {}",
		        "[tru]",   "{1: 2}",       "[,1]",
		        "[",       "{\"a\":1",     "]",
		        "nul",     "[\"a\"\"b\"]", "{\"a\":1 \"b\":2}",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (scan(bad[i], err, sizeof(err)) != -EBADMSG)
				check_failed(__FILE__, __LINE__, "the scan took %s", bad[i]);
			CHECK_CONTAINS(err, "The bundle's record is not well formed: ");
		}
	}

	test_step("generated documents, whole and changed: the scan follows what jansson reads");
	for (int i = 0; i < 20000; i++) {
		struct text t = {0};

		space(&t);
		value(&t, 0);
		space(&t);
		agree(t.p, t.len, true);
		documents++;
		for (int k = 0; k < 4 && t.len > 0; k++) {
			static const char flips[] = "\"\\,:[]{} 0a";
			char *copy = malloc(t.len + 1);
			size_t at = pick((unsigned)t.len);

			CHECK(copy != NULL);
			memcpy(copy, t.p, t.len + 1);
			copy[at] = flips[pick(sizeof(flips) - 1)];
			agree(copy, pick(8) ? t.len : at, false); /* sometimes cut short there */
			free(copy);
			changed++;
		}
		free(t.p);
	}
	test_step("%zu documents, %zu changed copies", documents, changed);

	test_step("parse: a record of another format, or not an object, is refused");
	{
		json_t *doc = NULL;

		CHECK_INT(record_parse("{\"format\": 1}", 13, &doc, err, sizeof(err)), -EBADMSG);
		CHECK_CONTAINS(err, "(format 1; it reads format 2)");
		CHECK_INT(record_parse("[1]", 3, &doc, err, sizeof(err)), -EBADMSG);
		CHECK_INT(record_parse("{\"format\": 2}", 13, &doc, err, sizeof(err)), 0);
		CHECK(json_is_object(doc));
		json_decref(doc);
	}
	canonical();
	directory();
	printf("test-record: OK\n");
	return 0;
}

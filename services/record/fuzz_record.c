/*
 * fuzz-record: what onward-parse runs on outside bytes, and what the daemon then believes.
 *   - a bundle's record: record_parse() and record_canonical() as the child runs them on a
 *     payload; the canonical text must then pass record_parse() as the daemon runs it, and
 *     be its own canonical text. A record the child takes and the daemon refuses would be
 *     an import no one could make; one that changed again would be two truths;
 *   - the services directory: the bytes parsed and checked as the child does; a directory
 *     that passes, written as the child sends it and parsed again, must pass again.
 */
#include "record.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
record(const uint8_t *data, size_t size)
{
	char err[400], *text = NULL, *again = NULL;
	size_t len = 0, again_len = 0;
	json_t *doc = NULL, *read = NULL;

	if (record_parse(data, size, &doc, err, sizeof(err)) < 0 ||
	    record_canonical(doc, &text, &len, err, sizeof(err)) < 0)
		goto out;
	if (record_parse(text, len, &read, err, sizeof(err)) < 0 ||
	    record_canonical(read, &again, &again_len, err, sizeof(err)) < 0 || again_len != len ||
	    memcmp(again, text, len) != 0) {
		fprintf(stderr, "the canonical record was refused or changed: %s\n", err);
		abort();
	}
out:
	free(text);
	free(again);
	json_decref(doc);
	json_decref(read);
}

static void
directory(const uint8_t *data, size_t size)
{
	char err[RECORD_DIRECTORY_PROBLEM_MAX];
	json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL), *again;
	char *text;

	if (!root || record_directory_check(root, err) < 0) {
		json_decref(root);
		return;
	}
	text = json_dumps(root, JSON_COMPACT);
	again = text ? json_loadb(text, strlen(text), JSON_REJECT_DUPLICATES, NULL) : NULL;
	if (text &&
	    (!again || record_directory_check(again, err) < 0 || !json_equal(root, again))) {
		fprintf(stderr, "the directory as sent was refused or changed: %s\n", err);
		abort();
	}
	free(text);
	json_decref(again);
	json_decref(root);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	record(data, size);
	directory(data, size);
	return 0;
}

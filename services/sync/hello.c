/*
 * onward-sync hello: the enrolled tablet proves itself with its client certificate and
 * hears who it is, where, and the server's time (Device.Hello). A revoked tablet hears
 * "This tablet is no longer enrolled here." The sync loop will begin the same way.
 */
#include "sync.h"

#include "https.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One "label: value" line; the server's text is shown without control characters. */
static void
print_line(const char *label, json_t *value)
{
	const char *text = json_string_value(value);

	printf("%s: ", label);
	for (const char *c = text ? text : "?"; *c; c++)
		putchar((unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c);
	putchar('\n');
}

void
sync_print_json(json_t *value)
{
	char *text = json_dumps(value, JSON_COMPACT | JSON_ENSURE_ASCII);

	printf("%s\n", text ? text : "{}");
	free(text);
}

bool
sync_reply_failed(json_t *reply)
{
	const char *error = json_string_value(json_object_get(reply, "error"));
	json_t *params = json_object_get(reply, "parameters");
	const char *message = json_string_value(json_object_get(params, "message"));

	if (!error)
		return false;
	fprintf(stderr, "onward-sync: refused: %s (%s)\n",
	        message ? message : "the server gave no reason", error);
	return true;
}

int
sync_hello(const struct sync_options *o)
{
	struct device_paths p;
	struct https_target t = {.url = o->server, .timeout_ms = o->timeout_ms};
	json_t *reply = NULL, *got, *params;
	char err[600];
	int r;

	r = device_open(o->dir, false, &p, err, sizeof(err));
	if (r == 0) {
		t.ca_file = p.ca;
		t.cert_file = p.cert;
		t.key_file = p.key;
		params = json_pack("{s:s}", "software", ONWARD_VERSION);
		r = https_call(&t, "onward.Device.Hello", params, &reply, err, sizeof(err));
		json_decref(params);
	}
	if (r < 0) {
		fprintf(stderr, "onward-sync: %s\n", err);
		return 1;
	}
	if (sync_reply_failed(reply)) {
		json_decref(reply);
		return 1;
	}
	got = json_object_get(reply, "parameters");
	if (o->json) {
		sync_print_json(got);
	} else {
		json_t *est = json_object_get(got, "establishment");

		print_line("device", json_object_get(got, "device"));
		print_line("establishment", json_object_get(est, "name"));
		print_line("code", json_object_get(est, "code"));
		print_line("server time", json_object_get(got, "server_time"));
	}
	json_decref(reply);
	return 0;
}

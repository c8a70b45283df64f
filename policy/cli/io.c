/*
 * io.c: what the onward-policy subcommands share: reading files whole, loading a policy set
 * with its links and an entity store from the files named on the command line, and printing a
 * response as one JSON line.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int
io_read_file(const char *path, size_t limit, char **ret_text, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		fprintf(stderr, "onward-policy: %s: %s\n", path, strerror(e));
		return -e;
	}
	size_t cap = 0, len = 0;
	char *buf = NULL;
	int r = 0;
	for (;;) {
		if (len + 1 >= cap) {
			size_t c = cap ? cap * 2 : 65536;
			char *b = realloc(buf, c);
			if (!b) {
				fprintf(stderr, "onward-policy: %s: out of memory\n", path);
				r = -ENOMEM;
				break;
			}
			buf = b;
			cap = c;
		}
		size_t got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (len > limit) {
			fprintf(stderr, "onward-policy: %s: larger than %zu bytes\n", path, limit);
			r = -E2BIG;
			break;
		}
		if (got == 0) {
			if (ferror(f)) {
				fprintf(stderr, "onward-policy: %s: read error\n", path);
				r = -EIO;
			}
			break;
		}
	}
	fclose(f);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*ret_text = buf;
	*ret_len = len;
	return 0;
}

int
inputs_load(const struct inputs *in, struct policy_set **ret_set,
            struct policy_entities **ret_entities)
{
	struct policy_diag d = {0};
	struct policy_set *set = NULL;
	struct policy_entities *ents = NULL;
	char *text = NULL;
	size_t len;
	int r = policy_set_load_files(in->policies, in->npolicies, &d, &set);
	if (r < 0) {
		fprintf(stderr, "onward-policy: %s\n", d.message);
		return r;
	}
	if (in->links) {
		if ((r = io_read_file(in->links, POLICY_MAX_JSON, &text, &len)) < 0)
			goto fail;
		r = policy_set_link_json(set, text, len, &d);
		free(text);
		text = NULL;
		if (r < 0) {
			fprintf(stderr, "onward-policy: %s: %s\n", in->links, d.message);
			goto fail;
		}
	}
	if (in->entities) {
		if ((r = io_read_file(in->entities, POLICY_MAX_JSON, &text, &len)) < 0)
			goto fail;
		r = policy_entities_parse_json(text, len, &d, &ents);
		free(text);
		if (r < 0) {
			fprintf(stderr, "onward-policy: %s: %s\n", in->entities, d.message);
			goto fail;
		}
	} else if ((r = policy_entities_new(&ents)) < 0) {
		fprintf(stderr, "onward-policy: out of memory\n");
		goto fail;
	}
	*ret_set = set;
	*ret_entities = ents;
	return 0;
fail:
	policy_set_free(set);
	return r;
}

void
print_response(const struct policy_response *resp)
{
	json_t *o = json_object(), *reasons = json_array(), *errors = json_array();
	json_object_set_new(o, "decision",
	                    json_string(policy_response_allowed(resp) ? "allow" : "deny"));
	for (size_t i = 0; i < policy_response_reason_count(resp); i++)
		json_array_append_new(reasons, json_string(policy_response_reason_at(resp, i)));
	for (size_t i = 0; i < policy_response_error_count(resp); i++) {
		json_t *e = json_object();
		json_object_set_new(e, "policy",
		                    json_string(policy_response_error_policy_at(resp, i)));
		json_object_set_new(e, "message",
		                    json_string(policy_response_error_message_at(resp, i)));
		json_array_append_new(errors, e);
	}
	json_object_set_new(o, "reasons", reasons);
	json_object_set_new(o, "errors", errors);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s)
		puts(s);
	free(s);
	json_decref(o);
}

/*
 * cmd_eval.c: "onward-policy eval": loads policies (several files continue one id counter),
 * template links and entities, then decides each request (one JSON object per line of
 * --requests, or the single object in --request) and prints one JSON line per request:
 * {"decision","reasons","errors"}, or {"error": "..."} for a request that does not parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void
eval_usage(FILE *f)
{
	fputs("usage: onward-policy eval --policies FILE [--policies FILE...] [--links FILE]\n"
	      "                          [--entities FILE] (--requests FILE | --request FILE)\n"
	      "\n"
	      "  --policies FILE   Cedar policies; several files continue one id counter\n"
	      "                    (policy0, policy1, ...)\n"
	      "  --links FILE      template links, JSON: [{\"templateId\", \"newId\", \"values\":\n"
	      "                    {\"?principal\": {\"type\", \"id\"}}}]\n"
	      "  --entities FILE   entities in Cedar's JSON format\n"
	      "  --requests FILE   one request per line: {\"principal\", \"action\",\n"
	      "                    \"resource\", \"context\"}; \"-\" reads standard input\n"
	      "  --request FILE    a single request object\n"
	      "\n"
	      "Prints one line per request: {\"decision\":\"allow\"|\"deny\",\"reasons\":[...],\n"
	      "\"errors\":[{\"policy\",\"message\"}]}. Exit 1 if any input is bad, 2 on usage.\n",
	      f);
}

static int
decide(struct policy_set *set, struct policy_entities *ents, struct policy_response *resp,
       const char *text, size_t len, const char *where)
{
	struct policy_diag d = {0};
	struct policy_request *req = NULL;
	if (policy_request_parse_json(text, len, &d, &req) < 0) {
		fprintf(stderr, "onward-policy: %s: %s\n", where, d.message);
		printf("{\"error\":\"bad request\"}\n");
		return 1;
	}
	int r = policy_set_authorize(set, ents, req, resp);
	policy_request_free(req);
	if (r < 0) {
		fprintf(stderr, "onward-policy: %s: %s\n", where, policy_strerror(r));
		printf("{\"error\":\"%s\"}\n", policy_strerror(r));
		return 1;
	}
	print_response(resp);
	return 0;
}

int
cmd_eval(int argc, char **argv)
{
	struct inputs in = {0};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			eval_usage(stdout);
			return 0;
		}
		int r = inputs_option(&in, "eval", argc, argv, &i);
		if (r < 0)
			return EXIT_USAGE;
		if (r == 0) {
			fprintf(stderr, "onward-policy eval: unknown option '%s' (try --help)\n",
			        argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!in.npolicies || (!in.requests == !in.request)) {
		fprintf(stderr, "onward-policy eval: needs --policies and one of --requests or "
		                "--request (try --help)\n");
		return EXIT_USAGE;
	}
	struct policy_set *set;
	struct policy_entities *ents;
	if (inputs_load(&in, &set, &ents) < 0)
		return 1;
	struct policy_response *resp = NULL;
	int status = 0;
	if (policy_response_new(&resp) < 0) {
		fprintf(stderr, "onward-policy: out of memory\n");
		status = 1;
		goto out;
	}
	if (in.request) {
		char *text;
		size_t len;
		if (io_read_file(in.request, POLICY_MAX_JSON, &text, &len) < 0) {
			status = 1;
			goto out;
		}
		status = decide(set, ents, resp, text, len, in.request);
		free(text);
		goto out;
	}
	FILE *f = strcmp(in.requests, "-") == 0 ? stdin : fopen(in.requests, "r");
	if (!f) {
		perror(in.requests);
		status = 1;
		goto out;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		char where[512];
		snprintf(where, sizeof(where), "%s:%lu", in.requests, lineno);
		status |= decide(set, ents, resp, line, (size_t)n, where);
	}
	free(line);
	if (f != stdin)
		fclose(f);
out:
	fflush(stdout);
	policy_response_free(resp);
	policy_entities_free(ents);
	policy_set_free(set);
	return status;
}

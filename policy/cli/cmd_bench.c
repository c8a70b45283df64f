/*
 * cmd_bench.c: "onward-policy bench": decides the same requests over and over, in process,
 * and reports throughput (from an untimed pass) and per-decision p50/p99 latency (from a pass
 * that times each decision). Requests are parsed once, before timing, as the daemon would build
 * them once per call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static void
bench_usage(FILE *f)
{
	fputs("usage: onward-policy bench --policies FILE [--policies FILE...] [--links FILE]\n"
	      "                           [--entities FILE] --requests FILE [--iterations N]\n"
	      "                           [--json]\n"
	      "\n"
	      "Decides every request N times (default 1000 passes, at least 200000 decisions\n"
	      "in all) and prints decisions per second, p50 and p99 per decision, and the\n"
	      "number allowed. --json prints one JSON object instead.\n",
	      f);
}

static double
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int
load_requests(const char *path, struct policy_request ***ret, size_t *ret_n)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		int e = errno;
		fprintf(stderr, "onward-policy: %s: %s\n", path, strerror(e));
		return -e;
	}
	struct policy_request **reqs = NULL;
	size_t n = 0, cap = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int r = 0;
	while ((len = getline(&line, &lcap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			struct policy_request **b = realloc(reqs, cap * sizeof(*b));
			if (!b) {
				r = -ENOMEM;
				break;
			}
			reqs = b;
		}
		struct policy_diag d = {0};
		if ((r = policy_request_parse_json(line, (size_t)len, &d, &reqs[n])) < 0) {
			fprintf(stderr, "onward-policy: %s:%lu: %s\n", path, lineno, d.message);
			break;
		}
		n++;
	}
	free(line);
	fclose(f);
	if (r == 0 && n == 0) {
		fprintf(stderr, "onward-policy: %s: no requests\n", path);
		r = -EINVAL;
	}
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			policy_request_free(reqs[i]);
		free(reqs);
		return r;
	}
	*ret = reqs;
	*ret_n = n;
	return 0;
}

int
cmd_bench(int argc, char **argv)
{
	struct inputs in = {0};
	long iterations = 0;
	int json = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			bench_usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--json") == 0) {
			json = 1;
			continue;
		}
		if (strcmp(argv[i], "--iterations") == 0) {
			char *end;
			if (i + 1 >= argc || (iterations = strtol(argv[++i], &end, 10)) <= 0 ||
			    *end || iterations > 100000000) {
				fprintf(stderr, "onward-policy bench: --iterations needs a number "
				                "from 1 to 100000000\n");
				return EXIT_USAGE;
			}
			continue;
		}
		int r = inputs_option(&in, "bench", argc, argv, &i);
		if (r < 0)
			return EXIT_USAGE;
		if (r == 0) {
			fprintf(stderr, "onward-policy bench: unknown option '%s' (try --help)\n",
			        argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!in.npolicies || !in.requests || in.request) {
		fprintf(stderr, "onward-policy bench: needs --policies and --requests (try "
		                "--help)\n");
		return EXIT_USAGE;
	}
	struct policy_set *set;
	struct policy_entities *ents;
	if (inputs_load(&in, &set, &ents) < 0)
		return 1;
	struct policy_request **reqs = NULL;
	size_t nreq = 0;
	struct policy_response *resp = NULL;
	double *lat = NULL;
	int status = 1;
	if (load_requests(in.requests, &reqs, &nreq) < 0 || policy_response_new(&resp) < 0)
		goto out;
	if (!iterations) {
		iterations = 1000;
		while ((size_t)iterations * nreq < 200000)
			iterations *= 2;
	}
	size_t total = (size_t)iterations * nreq;
	if (total > 50000000) {
		fprintf(stderr, "onward-policy bench: %zu decisions is too many for one run\n",
		        total);
		goto out;
	}
	lat = malloc(total * sizeof(*lat));
	if (!lat) {
		fprintf(stderr, "onward-policy: out of memory\n");
		goto out;
	}
	/* Warm up: fill the ancestor caches and the response's arena. */
	size_t allowed = 0;
	for (size_t k = 0; k < nreq; k++) {
		if (policy_set_authorize(set, ents, reqs[k], resp) < 0) {
			fprintf(stderr, "onward-policy: request %zu: failed\n", k + 1);
			goto out;
		}
		allowed += policy_response_allowed(resp);
	}
	double t0 = now_ns();
	for (long it = 0; it < iterations; it++)
		for (size_t k = 0; k < nreq; k++)
			policy_set_authorize(set, ents, reqs[k], resp);
	double elapsed = now_ns() - t0;
	size_t li = 0;
	for (long it = 0; it < iterations; it++) {
		for (size_t k = 0; k < nreq; k++) {
			double a = now_ns();
			policy_set_authorize(set, ents, reqs[k], resp);
			lat[li++] = now_ns() - a;
		}
	}
	qsort(lat, total, sizeof(*lat), cmp_double);
	double per_sec = (double)total / (elapsed / 1e9);
	double p50 = lat[total / 2] / 1000.0, p99 = lat[(size_t)((double)total * 0.99)] / 1000.0;
	if (json)
		printf("{\"decisions\":%zu,\"requests\":%zu,\"policies\":%zu,\"per_second\":%.0f,"
		       "\"p50_us\":%.3f,\"p99_us\":%.3f,\"allowed\":%zu}\n",
		       total, nreq, policy_set_count(set), per_sec, p50, p99, allowed);
	else
		printf("policies:    %zu\nrequests:    %zu (%zu allowed)\ndecisions:   %zu\n"
		       "throughput:  %.0f decisions/s\np50:         %.3f us\np99:         %.3f "
		       "us\n",
		       policy_set_count(set), nreq, allowed, total, per_sec, p50, p99);
	status = 0;
out:
	free(lat);
	for (size_t k = 0; k < nreq; k++)
		policy_request_free(reqs[k]);
	free(reqs);
	policy_response_free(resp);
	policy_entities_free(ents);
	policy_set_free(set);
	return status;
}

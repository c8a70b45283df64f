/*
 * bench_policy.c: the scope index at work. Decides the same realistic requests against the
 * realistic policy set alone, then with 10 and with 10,000 unrelated policies added (naming
 * other people, other apps, other establishments and other actions), and prints throughput and
 * median per decision for each. With the index, cost follows the policies that could apply, so the
 * three should be close.
 *
 *   bench-policy --policies F [--policies F...] [--links F] --entities F --requests F
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy.h"

struct opts {
	const char *policies[16];
	int npolicies;
	const char *links, *entities, *requests;
};

static char *
slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bench-policy: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (len + 1 >= cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (!buf) {
		fprintf(stderr, "bench-policy: out of memory\n");
		exit(1);
	}
	buf[len] = '\0';
	*ret_len = len;
	return buf;
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

/* Unrelated policies: none of them can apply to the benchmark's requests, and every one is
 * filed in the index under a uid the requests never touch. */
static char *
unrelated(int n)
{
	size_t cap = (size_t)n * 160 + 1, len = 0;
	char *s = malloc(cap);
	s[0] = '\0';
	for (int i = 0; i < n; i++) {
		char *p = s + len;
		size_t left = cap - len;
		switch (i % 5) {
		case 0:
			len += (size_t)snprintf(
			        p, left,
			        "permit(principal == Person::\"U%d\", action == "
			        "Action::\"app.open\", resource) when { context.hour "
			        "> 3 };\n",
			        i);
			break;
		case 1:
			len += (size_t)snprintf(p, left,
			                        "forbid(principal, action, resource == "
			                        "App::\"retired-%d\");\n",
			                        i);
			break;
		case 2:
			len += (size_t)snprintf(
			        p, left,
			        "permit(principal in Establishment::\"X%d\", action, "
			        "resource);\n",
			        i);
			break;
		case 3:
			len += (size_t)snprintf(
			        p, left,
			        "permit(principal, action == Action::\"legacy.%d\", "
			        "resource);\n",
			        i);
			break;
		default:
			len += (size_t)snprintf(p, left,
			                        "permit(principal is Person, action in "
			                        "[Action::\"old.%d\"], resource is App);\n",
			                        i);
			break;
		}
	}
	return s;
}

static void
run(const struct opts *o, int extra, struct policy_entities *ents, struct policy_request **reqs,
    size_t nreq)
{
	struct policy_set *set = NULL;
	struct policy_diag d = {0};
	if (policy_set_load_files(o->policies, (size_t)o->npolicies, &d, &set) < 0) {
		fprintf(stderr, "bench-policy: %s\n", d.message);
		exit(1);
	}
	if (o->links) {
		size_t len;
		char *t = slurp(o->links, &len);
		if (policy_set_link_json(set, t, len, &d) < 0) {
			fprintf(stderr, "bench-policy: %s\n", d.message);
			exit(1);
		}
		free(t);
	}
	if (extra) {
		char *t = unrelated(extra);
		if (policy_set_parse(set, "unrelated", t, strlen(t), &d) < 0) {
			fprintf(stderr, "bench-policy: %s\n", d.message);
			exit(1);
		}
		free(t);
	}
	struct policy_response *resp = NULL;
	policy_response_new(&resp);
	size_t allowed = 0;
	for (size_t k = 0; k < nreq; k++) {
		policy_set_authorize(set, ents, reqs[k], resp);
		allowed += policy_response_allowed(resp);
	}
	int passes = 200;
	size_t total = (size_t)passes * nreq;
	double *lat = malloc(total * sizeof(*lat));
	double t0 = now_ns();
	for (int p = 0; p < passes; p++)
		for (size_t k = 0; k < nreq; k++)
			policy_set_authorize(set, ents, reqs[k], resp);
	double elapsed = now_ns() - t0;
	size_t li = 0;
	for (int p = 0; p < passes; p++)
		for (size_t k = 0; k < nreq; k++) {
			double a = now_ns();
			policy_set_authorize(set, ents, reqs[k], resp);
			lat[li++] = now_ns() - a;
		}
	qsort(lat, total, sizeof(*lat), cmp_double);
	printf("%6d unrelated (%zu policies in all): %9.0f decisions/s  p50 %6.3f us  p99 %6.3f us "
	       " "
	       "(%zu of %zu allowed)\n",
	       extra, policy_set_count(set), (double)total / (elapsed / 1e9), lat[total / 2] / 1000,
	       lat[(size_t)((double)total * 0.99)] / 1000, allowed, nreq);
	free(lat);
	policy_response_free(resp);
	policy_set_free(set);
}

int
main(int argc, char **argv)
{
	struct opts o = {0};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i + 1 >= argc) {
			fprintf(stderr, "bench-policy: %s needs a value\n", a);
			return 2;
		}
		if (strcmp(a, "--policies") == 0 && o.npolicies < 16)
			o.policies[o.npolicies++] = argv[++i];
		else if (strcmp(a, "--links") == 0)
			o.links = argv[++i];
		else if (strcmp(a, "--entities") == 0)
			o.entities = argv[++i];
		else if (strcmp(a, "--requests") == 0)
			o.requests = argv[++i];
		else {
			fprintf(stderr,
			        "usage: bench-policy --policies F [--policies F...] [--links "
			        "F] --entities F --requests F\n");
			return 2;
		}
	}
	if (!o.npolicies || !o.entities || !o.requests) {
		fprintf(stderr, "usage: bench-policy --policies F [--policies F...] [--links F] "
		                "--entities F --requests F\n");
		return 2;
	}
	struct policy_diag d = {0};
	size_t len;
	char *t = slurp(o.entities, &len);
	struct policy_entities *ents = NULL;
	if (policy_entities_parse_json(t, len, &d, &ents) < 0) {
		fprintf(stderr, "bench-policy: %s\n", d.message);
		return 1;
	}
	free(t);
	t = slurp(o.requests, &len);
	size_t nreq = 0, cap = 1024;
	struct policy_request **reqs = malloc(cap * sizeof(*reqs));
	for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
		if (nreq == cap)
			reqs = realloc(reqs, (cap *= 2) * sizeof(*reqs));
		if (policy_request_parse_json(line, strlen(line), &d, &reqs[nreq]) < 0) {
			fprintf(stderr, "bench-policy: %s\n", d.message);
			return 1;
		}
		nreq++;
	}
	free(t);
	printf("scope index: the same %zu requests with unrelated policies added\n", nreq);
	run(&o, 0, ents, reqs, nreq);
	run(&o, 10, ents, reqs, nreq);
	run(&o, 10000, ents, reqs, nreq);
	for (size_t k = 0; k < nreq; k++)
		policy_request_free(reqs[k]);
	free(reqs);
	policy_entities_free(ents);
	return 0;
}

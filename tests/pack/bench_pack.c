/*
 * bench_pack.c: how fast a large, realistic pack verifies (the design's budget is at
 * least 200 MB/s). It generates a course in a temporary folder (Markdown pages, PNG
 * images of photo-like noise and gradients, quizzes; about --mb megabytes), builds and
 * signs it, then times pack_open_file(), the daemon's full check, over several runs: as
 * the daemon runs it (images checked by structure) and with decode_images (full decode).
 *   bench-pack [--mb N] [--runs N] [--keep]
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "pack_int.h"

#define PAGES_PER_MODULE 10
#define MODULES 40

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A page of plain short sentences, like the example courses, about 6 KB. */
static size_t
make_page(char *buf, size_t size, unsigned module, unsigned page, unsigned images)
{
	size_t n = (size_t)snprintf(buf, size, "# Module %u, page %u\n\n", module, page);

	for (unsigned p = 0; p < 24 && n < size - 512; p++) {
		n += (size_t)snprintf(
		        buf + n, size - n,
		        "Money in is the money you get. Write down **all** of it each "
		        "month. Money out is what you spend, like *rent* and food. "
		        "Paragraph %u.\n\n- first point %u\n- second point\n\n",
		        p, page);
		if (p == 10)
			n += (size_t)snprintf(buf + n, size - n,
			                      "![A picture](../images/img%03u.png)\n\n",
			                      (module * PAGES_PER_MODULE + page) % images);
	}
	return n;
}

/* Times pack_open_file(), the daemon's whole check, over runs; prints best and median. */
static void
time_verify(const char *path, size_t pack_len, struct fx *fx, unsigned runs, bool decode)
{
	struct pack_limits limits;
	struct pack_error err = {0};
	double times[64], t;

	pack_limits_init(&limits);
	limits.decode_images = decode;
	for (unsigned r = 0; r < runs; r++) {
		struct pack *pack;

		t = now();
		if (pack_open_file(path, fx->root, fx->at, &limits, &pack, &err) < 0) {
			fprintf(stderr, "bench-pack: verify: %s\n", err.message);
			exit(1);
		}
		times[r] = now() - t;
		pack_free(pack);
	}
	qsort(times, runs, sizeof(times[0]), cmp_double);
	printf("verify%s (pack_open_file, %u runs): best %.3f s = %.0f MB/s, median %.3f s = "
	       "%.0f MB/s\n",
	       decode ? " with decode_images" : "", runs, times[0],
	       (double)pack_len / 1e6 / times[0], times[runs / 2],
	       (double)pack_len / 1e6 / times[runs / 2]);
}

int
main(int argc, char **argv)
{
	unsigned mb = 128, runs = 5, images;
	bool keep = false;
	struct fx fx;
	struct pack_error err = {0};
	char dir[512], out[600], name[64], *buf;
	size_t total = 0, pack_len = 0;
	double t, build_s;
	struct stat st;
	FILE *course;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc)
			mb = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--keep") == 0)
			keep = true;
		else {
			fprintf(stderr, "usage: bench-pack [--mb N] [--runs N] [--keep]\n");
			return 2;
		}
	}
	if (runs < 1 || runs > 64 || mb < 1 || mb > 240)
		return fprintf(stderr, "bench-pack: --runs 1-64, --mb 1-240\n"), 2;
	fx_init(&fx);
	snprintf(dir, sizeof(dir), "%s/course", fx.dir);
	mkdir(dir, 0755);

	/* Images: 1024x768 RGB, about 1.3 MB each as PNG, until the pack is big enough. */
	buf = malloc(1 << 16);
	images = 0;
	while (total < (size_t)mb << 20) {
		size_t len;
		void *png = fx_png(1024, 768, images + 1, &len);

		snprintf(name, sizeof(name), "images/img%03u.png", images++);
		fx_write(dir, name, png, len);
		total += len;
		free(png);
		if (images == 999)
			break;
	}
	course = fopen(strcat(strcpy(out, dir), "/course.json"), "w");
	fprintf(course, "{\"id\": \"org.example.bench\", \"version\": \"1.0.0\", \"title\": "
	                "\"Benchmark\", \"level\": \"level1\", \"language\": \"en-GB\", "
	                "\"modules\": [");
	for (unsigned m = 0; m < MODULES; m++) {
		fprintf(course,
		        "%s{\"id\": \"m%u\", \"title\": \"Module %u\", \"minutes\": 10, "
		        "\"quiz\": \"quizzes/q%02u.json\", \"pages\": [",
		        m ? ", " : "", m, m, m);
		for (unsigned p = 0; p < PAGES_PER_MODULE; p++) {
			size_t len = make_page(buf, 1 << 16, m, p, images);

			snprintf(name, sizeof(name), "pages/m%02u-p%02u.md", m, p);
			fx_write(dir, name, buf, len);
			total += len;
			fprintf(course, "%s\"%s\"", p ? ", " : "", name);
		}
		fprintf(course, "]}");
		snprintf(name, sizeof(name), "quizzes/q%02u.json", m);
		fx_write(dir, name, FX_QUIZ, strlen(FX_QUIZ));
		total += strlen(FX_QUIZ);
	}
	fprintf(course, "]}\n");
	fclose(course);
	free(buf);

	snprintf(out, sizeof(out), "%s/bench.pack", fx.dir);
	t = now();
	if (pack_build_dir(dir, fx.provider, fx.cert, out, NULL, NULL, &err) < 0)
		return fprintf(stderr, "bench-pack: build: %s\n", err.message), 1;
	build_s = now() - t;
	CHECK(stat(out, &st) == 0);
	pack_len = (size_t)st.st_size;
	printf("pack: %.1f MB (%u images, %u pages, %u quizzes; %.1f MB of files), built in "
	       "%.2f s\n",
	       (double)pack_len / 1e6, images, MODULES * PAGES_PER_MODULE, MODULES,
	       (double)total / 1e6, build_s);

	time_verify(out, pack_len, &fx, runs, false);
	time_verify(out, pack_len, &fx, runs, true);
	if (keep)
		printf("kept %s\n", fx.dir);
	else
		fx_fini(&fx);
	return 0;
}

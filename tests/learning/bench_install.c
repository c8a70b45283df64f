/*
 * bench-learning-install: how fast the daemon installs a large, realistic course pack (the
 * design's budget is verification at 200 MB/s or more). It generates a course (PNG
 * pictures of photo-like noise and gradients, short Markdown pages, quizzes; about --mb
 * megabytes), builds and signs it, starts a real onward-policyd, and times
 * onward.Course.Install end to end over --runs runs (the call as staff make it: copying
 * the file into the state directory, fsync, a fresh onward-parse checking all of it as
 * pack_open_fd() does, the manifest recorded and the audit row, durably), removing the
 * course between runs. For comparison it times pack_open_file() alone on the same file, in
 * this process. Then it restarts the daemon and times the first page a learner asks for
 * (onward-parse opens the installed pack's zip directory and reads the page) and a page
 * after that (the pack already open in the child).
 *   bench-learning-install [--mb N] [--runs N]
 */
#include "learn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define PAGES_PER_MODULE 10

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

static void
report(const char *what, double *t, unsigned n, double mb)
{
	qsort(t, n, sizeof(*t), cmp_double);
	printf("%s (%u runs): best %.3f s = %.0f MB/s, median %.3f s = %.0f MB/s\n", what, n, t[0],
	       mb / t[0], t[n / 2], mb / t[n / 2]);
}

/* Writes the course: images, pages that show them, a quiz per module, course.json. */
static void
make_course(struct learn *l, const char *dir, unsigned images, unsigned modules)
{
	char name[64], *page = malloc(8192);
	static const char quiz[] =
	        "{\"format\": 1, \"title\": \"Check\", \"pass_percent\": 60, \"questions\": [\n"
	        " {\"id\": \"q1\", \"type\": \"choice\", \"prompt\": \"Rent is\",\n"
	        "  \"options\": [\"money in\", \"money out\"], \"answer\": 1},\n"
	        " {\"id\": \"q2\", \"type\": \"short\", \"prompt\": \"Pay by direct ...\",\n"
	        "  \"answer\": \"debit\"}]}\n";
	FILE *course;
	char path[700];

	CHECK(page != NULL);
	CHECK_INT(mkdir(dir, 0755), 0);
	for (unsigned i = 0; i < images; i++) {
		size_t len;
		void *png = fx_png(1024, 768, i + 1, &len);

		snprintf(name, sizeof(name), "images/img%03u.png", i);
		fx_write(dir, name, png, len);
		free(png);
	}
	for (unsigned m = 0; m < modules; m++) {
		for (unsigned p = 0; p < PAGES_PER_MODULE; p++) {
			size_t n = (size_t)snprintf(page, 8192, "# Part %u, page %u\n\n", m + 1,
			                            p + 1);

			for (unsigned k = 0; k < 20; k++) {
				n += (size_t)snprintf(
				        page + n, 8192 - n,
				        "Money in is the money you get. Write down **all** "
				        "of it each month. Money out is what you spend, "
				        "like *rent* and food.\n\n- a point\n- another\n\n");
				if (k == 8)
					n += (size_t)snprintf(
					        page + n, 8192 - n,
					        "![A picture](../images/img%03u.png)\n\n",
					        (m * PAGES_PER_MODULE + p) % images);
			}
			snprintf(name, sizeof(name), "pages/m%02u-p%02u.md", m, p);
			fx_write(dir, name, page, n);
		}
		snprintf(name, sizeof(name), "quizzes/m%02u.json", m);
		fx_write(dir, name, quiz, strlen(quiz));
	}
	snprintf(path, sizeof(path), "%s/course.json", dir);
	course = fopen(path, "w");
	CHECK(course != NULL);
	fprintf(course, "{\"id\": \"org.example.bench\", \"version\": \"1.0.0\", \"title\": "
	                "\"Benchmark course\", \"level\": \"entry1\", \"language\": \"en-GB\", "
	                "\"modules\": [");
	for (unsigned m = 0; m < modules; m++) {
		fprintf(course,
		        "%s{\"id\": \"m%02u\", \"title\": \"Part %u\", \"minutes\": 10, "
		        "\"pages\": [",
		        m ? ", " : "", m, m + 1);
		for (unsigned p = 0; p < PAGES_PER_MODULE; p++)
			fprintf(course, "%s\"pages/m%02u-p%02u.md\"", p ? ", " : "", m, p);
		fprintf(course, "], \"quiz\": \"quizzes/m%02u.json\"}", m);
	}
	fprintf(course, "]}\n");
	CHECK_INT(fclose(course), 0);
	free(page);
	(void)l;
}

int
main(int argc, char **argv)
{
	unsigned mb = 128, runs = 5, images, modules;
	struct learn l;
	struct pack_error err = {0};
	struct client *ctl, *ch;
	char dir[600], pack_path[600];
	double t[64], size_mb, t0;
	struct stat st;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc)
			mb = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = (unsigned)atoi(argv[++i]);
		else {
			fprintf(stderr, "Usage: bench-learning-install [--mb N] [--runs N]\n");
			return 2;
		}
	}
	if (runs < 1 || runs > 64 || mb < 1 || mb > 240) {
		fprintf(stderr, "bench-learning-install: --runs 1-64, --mb 1-240\n");
		return 2;
	}
	images = mb; /* about 1 MB each */
	modules = images / 3 > 0 ? images / 3 : 1;
	if (modules > 60)
		modules = 60;
	learn_setup(&l, true);
	snprintf(dir, sizeof(dir), "%s/course", l.fx.dir);
	snprintf(pack_path, sizeof(pack_path), "%s/bench.pack", l.fx.dir);
	t0 = now();
	make_course(&l, dir, images, modules);
	CHECK_INT(pack_build_dir(dir, l.fx.provider, l.fx.cert, pack_path, NULL, NULL, &err), 0);
	CHECK_INT(stat(pack_path, &st), 0);
	size_mb = (double)st.st_size / 1e6;
	printf("pack: %.1f MB (%u images, %u pages, %u quizzes), made and signed in %.1f s\n",
	       size_mb, images, modules * PAGES_PER_MODULE, modules, now() - t0);

	for (unsigned r = 0; r < runs; r++) {
		struct pack *pack;

		t0 = now();
		if (pack_open_file(pack_path, l.fx.root, l.now, NULL, &pack, &err) < 0) {
			fprintf(stderr, "bench-learning-install: %s\n", err.message);
			return 1;
		}
		t[r] = now() - t0;
		pack_free(pack);
	}
	report("verify alone (pack_open_file, in process)", t, runs, size_mb);

	for (unsigned r = 0; r < runs; r++) {
		t0 = now();
		learn_install_ok(&l, pack_path);
		t[r] = now() - t0;
		if (r + 1 < runs)
			json_decref(daemon_admin_ok(&l.d, "onward.Course.Remove",
			                            json_pack("{s:s}", "id", "org.example.bench")));
	}
	report("install (onward.Course.Install: copy, fsync, verify in onward-parse, record)", t,
	       runs, size_mb);

	daemon_stop(&l.d);
	daemon_start(&l.d);
	ch = learn_channel(&l, "A1234BC", l.pin, "learning", &ctl);
	t0 = now();
	json_decref(learn_ok(ch, "onward.Course.Page",
	                     json_pack("{s:s, s:s}", "course", "org.example.bench", "page",
	                               "pages/m00-p00.md")));
	t[0] = now() - t0;
	t0 = now();
	json_decref(learn_ok(ch, "onward.Course.Page",
	                     json_pack("{s:s, s:s}", "course", "org.example.bench", "page",
	                               "pages/m00-p01.md")));
	t[1] = now() - t0;
	printf("after a restart: first page %.1f ms (onward-parse opens the installed pack), next "
	       "page %.2f ms\n",
	       t[0] * 1e3, t[1] * 1e3);
	client_free(ch);
	client_free(ctl);
	learn_teardown(&l);
	return 0;
}

/*
 * bench-ui: the toolkit's budgets, measured (a target, not a test; run it on a display,
 * for example under tests/ui/xvfb-run.sh). Prints:
 *  1. cold start: process start to the first SDL_RenderPresent of onward-ui-demo, over
 *     ten runs (budget 300 ms);
 *  2. resident memory of onward-ui-demo at its home screen (budget 64 MB);
 *  3. frame time (layout, render, present) while scrolling a 1,000-row list at
 *     1280x800 with the software renderer, in this process (budget 16 ms).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <onward/ui.h>

#define RUNS 10
#define FRAMES 600

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -errno;
}

static pid_t
spawn_demo(const char *script, const char *report)
{
	pid_t pid = fork();

	if (pid == 0) {
		char demo[] = DEMO_PATH, opt_script[] = "--script",
		     opt_report[] = "--first-frame-report";
		char *argv[] = {demo,
		                opt_script,
		                (char *)(uintptr_t)script,
		                opt_report,
		                (char *)(uintptr_t)report,
		                NULL};

		execv(demo, argv);
		_exit(127);
	}
	return pid;
}

static int
cold_start(const char *dir)
{
	char script[512], report[512];
	double ms[RUNS];

	snprintf(script, sizeof(script), "%s/cold.ui", dir);
	snprintf(report, sizeof(report), "%s/first-frame", dir);
	if (write_file(script, "wait 20\nquit\n") < 0)
		return -1;
	for (int i = 0; i < RUNS; i++) {
		long long t0, t1 = 0;
		int status;
		pid_t pid;
		FILE *f;

		unlink(report);
		t0 = now_ns();
		pid = spawn_demo(script, report);
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench-ui: onward-ui-demo failed (is DISPLAY set?)\n");
			return -1;
		}
		f = fopen(report, "r");
		if (!f || fscanf(f, "%lld", &t1) != 1) {
			fprintf(stderr, "bench-ui: no first-frame report\n");
			if (f)
				fclose(f);
			return -1;
		}
		fclose(f);
		ms[i] = (t1 - t0) / 1e6;
	}
	qsort(ms, RUNS, sizeof(ms[0]), cmp_double);
	printf("cold start to first frame: median %.1f ms, min %.1f ms, max %.1f ms over %d runs "
	       "(budget 300 ms)\n",
	       ms[RUNS / 2], ms[0], ms[RUNS - 1], RUNS);
	return 0;
}

static long
status_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	FILE *f;
	long kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, strlen(field)) == 0)
			kb = strtol(line + strlen(field) + 1, NULL, 10);
	fclose(f);
	return kb;
}

static int
home_memory(const char *dir)
{
	char script[512], report[512], marker[600], text[1024];
	pid_t pid;
	long rss = -1, hwm = -1;
	int status;

	snprintf(script, sizeof(script), "%s/home.ui", dir);
	snprintf(report, sizeof(report), "%s/first-frame", dir);
	snprintf(marker, sizeof(marker), "%s/home.json", dir);
	unlink(marker);
	snprintf(text, sizeof(text),
	         "tap id:key-1\ntap id:key-2\ntap id:key-3\ntap id:key-4\ntap id:key-enter\n"
	         "wait-for \"Home\"\nwait 500\ndump %s\nwait 3000\nquit\n",
	         marker);
	if (write_file(script, text) < 0)
		return -1;
	pid = spawn_demo(script, report);
	if (pid < 0)
		return -1;
	for (int i = 0; i < 1000 && access(marker, F_OK) != 0; i++)
		usleep(10000);
	usleep(100000);
	rss = status_kb(pid, "VmRSS:");
	hwm = status_kb(pid, "VmHWM:");
	waitpid(pid, &status, 0);
	if (rss < 0) {
		fprintf(stderr, "bench-ui: could not read the demo's memory\n");
		return -1;
	}
	printf("resident memory at home: %.1f MB (peak %.1f MB) (budget 64 MB)\n", rss / 1024.0,
	       hwm / 1024.0);
	return 0;
}

static char row_text[64];
static char row_detail[64];

static int
row(void *userdata, size_t i, struct ui_list_row *ret_row)
{
	snprintf(row_text, sizeof(row_text), "Item %zu", i + 1);
	snprintf(row_detail, sizeof(row_detail), "Course page %zu of 1000", i + 1);
	ret_row->text = row_text;
	ret_row->detail = row_detail;
	return 0;
}

static int
scroll_frames(void)
{
	struct ui_app_config config;
	struct ui_app *app;
	struct ui_widget *col, *list;
	static double ms[FRAMES];
	char err[256] = "";
	int step = 37;

	ui_app_config_init(&config);
	config.window_w = 1280;
	config.window_h = 800;
	config.dpi = 150;
	config.error = err;
	config.error_size = sizeof(err);
	setenv("SDL_RENDER_DRIVER", "software", 1);
	if (ui_app_new(&config, &app) < 0) {
		fprintf(stderr, "bench-ui: %s\n", err);
		return -1;
	}
	col = ui_box_new(UI_VERTICAL);
	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_widget_add(col, ui_heading_new("A long list"));
	list = ui_widget_add(col, ui_list_new(1000, row, NULL));
	ui_widget_set_expand(list, 1);
	if (ui_app_add_screen(app, "list", col) < 0) {
		ui_app_free(app);
		return -1;
	}
	ui_app_set_status(app, "A1234BC", "10:30", "HMP Moorland");
	for (int i = 0; i < 10; i++)
		ui_app_step(app, 0);
	for (int i = 0; i < FRAMES; i++) {
		long long t0;

		/* Scroll on, and back at the end: every frame shows new rows. */
		if (ui_list_get_first_visible(list) > 990)
			step = -37;
		else if (ui_list_get_offset(list) == 0)
			step = 37;
		ui_list_scroll(list, step);
		t0 = now_ns();
		ui_app_step(app, 0);
		ms[i] = (now_ns() - t0) / 1e6;
	}
	qsort(ms, FRAMES, sizeof(ms[0]), cmp_double);
	printf("scrolling 1,000 rows at 1280x800, software renderer: p50 %.2f ms, p99 %.2f ms, "
	       "max %.2f ms over %d frames (budget 16 ms)\n",
	       ms[FRAMES / 2], ms[FRAMES * 99 / 100], ms[FRAMES - 1], FRAMES);
	ui_app_free(app);
	return 0;
}

int
main(void)
{
	char dir[] = "/tmp/bench-ui-XXXXXX";
	int r = 0;

	if (!getenv("DISPLAY")) {
		fprintf(stderr, "bench-ui: needs a display; run it as\n"
		                "  tests/ui/xvfb-run.sh build/bin/bench-ui\n");
		return 2;
	}
	setenv("SDL_RENDER_DRIVER", "software", 1);
	setenv("SDL_AUDIODRIVER", "dummy", 1);
	if (!mkdtemp(dir))
		return 1;
	if (cold_start(dir) < 0 || home_memory(dir) < 0 || scroll_frames() < 0)
		r = 1;
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			r = 1;
	}
	return r;
}

/*
 * The toolkit's command-line options (ui_args_parse() in ui.h), shared by the shell,
 * the apps and the demo, so that --script, --window and the settings switches mean the
 * same everywhere.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onward/ui.h"
#include "text.h"

/* The longest status bar text taken (a name, "Next: Mon 7 Dec, 08:36, probation"). */
#define STATUS_TEXT_MAX 160

static const char usage[] =
        "  --window WxH          window size in pixels (default 1280x800)\n"
        "  --fullscreen          fill the screen\n"
        "  --script FILE         run a test script (see shell/toolkit/README.md)\n"
        "  --speech-wav FILE     write read-aloud speech to FILE instead of the sound card\n"
        "  --language LANG       en (default) or cy\n"
        "  --text-size SIZE      normal, large or largest\n"
        "  --high-contrast       start in the high-contrast theme\n"
        "  --read-aloud          read dialogs and banners aloud as they appear\n"
        "  --dpi N               lay out for N dots per inch (default: as reported, or 150)\n"
        "  --allow-quit          let the window manager close the window\n"
        "  --first-frame-report FILE  write the time of the first frame (benchmarks)\n"
        "  --status-name TEXT    the status bar's left: the person's name (the shell gives it)\n"
        "  --status-next TEXT    the status bar's right: the next appointment\n"
        "  --help                show this help\n";

const char *
ui_args_usage(void)
{
	return usage;
}

/* Writes `before` + `arg` + `after` as the error. */
static int
bad(struct ui_app_config *config, const char *before, const char *arg, const char *after)
{
	if (config->error && config->error_size)
		snprintf(config->error, config->error_size, "%s%s%s", before, arg, after);
	return -EINVAL;
}

static bool
parse_size(const char *s, int *ret_w, int *ret_h)
{
	char *end;
	long w, h;

	errno = 0;
	w = strtol(s, &end, 10);
	if (errno || *end != 'x' || w < 320 || w > 8192)
		return false;
	h = strtol(end + 1, &end, 10);
	if (errno || *end || h < 240 || h > 8192)
		return false;
	*ret_w = (int)w;
	*ret_h = (int)h;
	return true;
}

int
ui_args_parse(struct ui_app_config *config, int argc, char *const argv[])
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = strcmp(a, "--window") == 0 || strcmp(a, "--script") == 0 ||
		             strcmp(a, "--speech-wav") == 0 || strcmp(a, "--language") == 0 ||
		             strcmp(a, "--text-size") == 0 || strcmp(a, "--dpi") == 0 ||
		             strcmp(a, "--first-frame-report") == 0 ||
		             strcmp(a, "--status-name") == 0 || strcmp(a, "--status-next") == 0;

		if (takes && !v)
			return bad(config, "", a, " needs a value");
		if (strcmp(a, "--window") == 0) {
			if (!parse_size(v, &config->window_w, &config->window_h))
				return bad(config, "--window: expected WxH such as 1280x800, not ",
				           v, "");
		} else if (strcmp(a, "--fullscreen") == 0) {
			config->fullscreen = true;
		} else if (strcmp(a, "--script") == 0) {
			config->script_path = v;
		} else if (strcmp(a, "--speech-wav") == 0) {
			config->speech_wav_path = v;
		} else if (strcmp(a, "--language") == 0) {
			config->language = v;
		} else if (strcmp(a, "--text-size") == 0) {
			if (strcmp(v, "normal") == 0)
				config->text_size = UI_TEXT_NORMAL;
			else if (strcmp(v, "large") == 0)
				config->text_size = UI_TEXT_LARGE;
			else if (strcmp(v, "largest") == 0)
				config->text_size = UI_TEXT_LARGEST;
			else
				return bad(config,
				           "--text-size: expected normal, large or largest, not ",
				           v, "");
		} else if (strcmp(a, "--high-contrast") == 0) {
			config->theme = UI_THEME_HIGH_CONTRAST;
		} else if (strcmp(a, "--read-aloud") == 0) {
			config->read_aloud = true;
		} else if (strcmp(a, "--dpi") == 0) {
			char *end;
			double d = strtod(v, &end);

			if (*end || d < 50 || d > 1000)
				return bad(config, "--dpi: expected a number from 50 to 1000, not ",
				           v, "");
			config->dpi = d;
		} else if (strcmp(a, "--allow-quit") == 0) {
			config->allow_quit = true;
		} else if (strcmp(a, "--first-frame-report") == 0) {
			config->first_frame_path = v;
		} else if (strcmp(a, "--status-name") == 0 || strcmp(a, "--status-next") == 0) {
			/* One line of plain text, bounded: it is drawn as it comes. */
			if (v[0] && !text_line_valid(v, STATUS_TEXT_MAX))
				return bad(config, "", a,
				           ": expected one line of text of at most 160 bytes");
			if (strcmp(a, "--status-name") == 0)
				config->status_name = v;
			else
				config->status_next = v;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			config->help = true;
		} else {
			return bad(config, "unknown option ", a, " (try --help)");
		}
		if (takes)
			i++;
	}
	return 0;
}

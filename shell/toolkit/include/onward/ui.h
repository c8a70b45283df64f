/*
 * The Onward UI toolkit: the one public header that the kiosk shell and every app build
 * their screens with. It is a small retained widget library on SDL2: a program describes
 * each screen once as a tree of widgets (stacks, grids, labels, buttons, tiles, lists,
 * text fields), hands the trees to a struct ui_app, and runs its loop. The toolkit lays
 * the trees out in physical units, reflows them when the window, the text size, the
 * theme or the language changes, takes touch and mouse input, reads any text aloud, and
 * can be driven by a test script (--script FILE). Everything here is for the UI thread
 * only, except ui_app_post(), which any thread may call.
 *
 * Conventions. Functions return 0 or a negative errno code. Constructors return the new
 * widget, or NULL only when memory runs out; because screens are built by nesting,
 * ui_widget_add() accepts that NULL and records the failure in the parent, and
 * ui_app_add_screen() then refuses the whole tree with -ENOMEM. So a screen needs one
 * error check, not one per widget. Strings passed in are copied; strings returned are
 * borrowed and stay valid until the widget changes. Destructors (_free) accept NULL.
 * The library never logs: errors come back as codes and, for the script driver and
 * start-up, as a one-line message from ui_app_get_error().
 *
 * Text given to labels, headings, buttons, tiles, toggles, choices, dialogs and banners
 * is a gettext message id: it is shown translated through the program's text domain and
 * translated again when the language changes. Mark such strings with N_() so xgettext
 * finds them. Text that must never be translated (a person's name, a message from family,
 * a number) goes in a widget after ui_widget_set_translate(w, false). List rows and
 * text-field contents are never translated.
 */
#ifndef ONWARD_UI_H
#define ONWARD_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <SDL.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a message id for xgettext without translating it here. */
#define N_(msgid) (msgid)

struct ui_app;
struct ui_widget;

/* ---- Settings that every screen follows ---------------------------------------- */

enum ui_theme {
	UI_THEME_NORMAL, /* dark text on a warm light background */
	UI_THEME_HIGH_CONTRAST, /* white and yellow on black, thick outlines */
};

enum ui_text_size {
	UI_TEXT_NORMAL, /* body text about 4 mm high */
	UI_TEXT_LARGE, /* 1.25 times */
	UI_TEXT_LARGEST, /* 1.5 times */
};

/* ---- Layout vocabulary -------------------------------------------------------- */

enum ui_orientation {
	UI_VERTICAL,
	UI_HORIZONTAL,
};

/* Spacing and padding come in a few fixed steps so that all screens look alike. The
 * steps are physical (1, 2.5 and 5 mm) and grow with the text size. */
enum ui_space {
	UI_SPACE_NONE,
	UI_SPACE_SMALL,
	UI_SPACE_MEDIUM,
	UI_SPACE_LARGE,
};

/* Where a child sits across its box's axis (a vertical box's children across its width).
 * UI_ALIGN_FILL, the default, stretches the child over the whole cross size. */
enum ui_align {
	UI_ALIGN_FILL,
	UI_ALIGN_START,
	UI_ALIGN_CENTER,
	UI_ALIGN_END,
};

/* Icons drawn from simple shapes in the theme's colours. A PNG may be used instead:
 * ui_widget_set_icon_file(). Each icon means one thing everywhere, so a person who cannot
 * read a button's words can still trust its picture: the lifebuoy (UI_ICON_HELP) is crisis
 * help and nothing else (tests/shell/icon_check.sh fails on any other use), and UI_ICON_ENTER
 * is the keyboard's Enter key only. */
enum ui_icon {
	UI_ICON_NONE,
	UI_ICON_LOCK,
	UI_ICON_SPEAKER,
	UI_ICON_BACK,
	UI_ICON_HOME,
	UI_ICON_BOOK,
	UI_ICON_MESSAGE,
	UI_ICON_HOUSE,
	UI_ICON_CALENDAR,
	UI_ICON_HELP, /* crisis help only: a lifebuoy */
	UI_ICON_SETTINGS,
	UI_ICON_PERSON,
	UI_ICON_LIST,
	UI_ICON_CHECK,
	UI_ICON_KEYBOARD,
	UI_ICON_BACKSPACE,
	UI_ICON_SHIFT,
	UI_ICON_ENTER, /* the keyboard's Enter key only */
	UI_ICON_NEXT, /* go on: Next, Carry on (an arrow pointing on) */
	UI_ICON_SEND, /* send something written (a paper plane) */
	UI_ICON_LATER, /* not now: Later, Save for later (a clock) */
	UI_ICON_QUIZ, /* a quiz or a question to answer (a question mark) */
	UI_ICON_ASK_STAFF, /* ask staff to look at something (a raised hand) */
	UI_ICON_CERTIFICATE, /* a certificate (a rosette) */
	UI_ICON_REMINDER, /* reminders (a bell) */
	UI_ICON_COUNT_
};

enum ui_field_kind {
	UI_FIELD_TEXT, /* letters keyboard */
	UI_FIELD_NUMBER, /* numbers keyboard, digits only */
	UI_FIELD_PIN, /* PIN pad, digits only, shown masked */
	UI_FIELD_CODE, /* letters keyboard; letters and digits only, letters shown as
	                * capitals (a prison number such as A1234BC) */
};

enum ui_keyboard_mode {
	UI_KEYBOARD_NONE,
	UI_KEYBOARD_LETTERS, /* QWERTY, shift, space, backspace, enter, switch to numbers */
	UI_KEYBOARD_NUMBERS, /* digits and punctuation, switch back to letters */
	UI_KEYBOARD_PIN, /* 3 x 4 pad of big digits, backspace and enter */
	UI_KEYBOARD_ACCENTS, /* â ŵ ŷ and the other accented letters, reached from letters */
};

/* ---- Callbacks ---------------------------------------------------------------- */

/* A tap (or Enter/Space with focus) on a button, tile, toggle or choice. For a toggle or
 * choice the new state is already set when this runs. */
typedef void (*ui_click_fn)(struct ui_widget *w, void *userdata);

/* A dialog closed by its button number `button` (0-based). */
typedef void (*ui_dialog_fn)(struct ui_app *app, int button, void *userdata);

/* Enter pressed in a text field; `text` is its content, borrowed for the call. */
typedef void (*ui_submit_fn)(struct ui_widget *field, const char *text, void *userdata);

/* A task run on the UI thread: ui_app_post() and ui_app_add_timer(). */
typedef void (*ui_task_fn)(struct ui_app *app, void *userdata);

/* What one list row shows. The strings are borrowed until the callback is next called. */
struct ui_list_row {
	const char *text; /* required; one line, cut with an ellipsis when too long */
	const char *detail; /* optional second line in a smaller, quieter style */
};

/* Fills `ret_row` for row `row` (0-based); returns 0, or a negative code to show the row
 * empty. Called only for rows about to be drawn, so a list of any length stays fast. */
typedef int (*ui_list_row_fn)(void *userdata, size_t row, struct ui_list_row *ret_row);

/* A list row tapped. */
typedef void (*ui_list_select_fn)(struct ui_widget *list, size_t row, void *userdata);

/* ---- Starting: options and configuration -------------------------------------- */

struct ui_app_config {
	const char *title; /* window title; NULL: "Onward" */
	int window_w; /* 0: 1280 */
	int window_h; /* 0: 800 */
	bool fullscreen; /* borderless full-screen desktop window */
	bool allow_quit; /* honour SDL_QUIT and window-close from the window manager;
	                  * the kiosk leaves this false */
	const char *text_domain; /* gettext domain for widget texts; NULL: "onward-ui" */
	const char *locale_dir; /* where LANG/LC_MESSAGES/DOMAIN.mo live; NULL: built-in */
	const char *language; /* "en" (NULL) or "cy"; also picks the voice */
	enum ui_theme theme;
	enum ui_text_size text_size;
	bool read_aloud; /* speak dialogs and banners as they appear; long press reads */
	double dpi; /* 0: as SDL reports it, or 150 (a 10" 1280x800 tablet) */
	const char *script_path; /* run this test script (see README); NULL: none */
	const char *speech_wav_path; /* write each utterance to this WAV file instead of
	                              * the sound card; NULL: sound card */
	const char *first_frame_path; /* benchmarks: write the CLOCK_MONOTONIC time of the
	                               * first presented frame here, in nanoseconds */
	const char *status_name; /* the status bar's left (the person's name); NULL: none */
	const char *status_next; /* its right (the next appointment); NULL: none */
	bool help; /* set by ui_args_parse() for --help */
	char *error; /* optional: ui_app_new() and ui_args_parse() write a one-line
	              * reason here when they fail */
	size_t error_size;
};

/* Fills `config` with the defaults above (all zero, NULL and false). */
void ui_app_config_init(struct ui_app_config *config);

/*
 * Reads the toolkit's command-line options into `config`:
 *   --window WxH  --fullscreen  --script FILE  --speech-wav FILE  --language LANG
 *   --text-size normal|large|largest  --high-contrast  --read-aloud  --dpi N
 *   --allow-quit  --first-frame-report FILE  --status-name TEXT  --status-next TEXT
 *   --help
 * Returns 0, or -EINVAL for an unknown option or a bad value (reason in config->error).
 * The strings stored are borrowed from argv.
 */
int ui_args_parse(struct ui_app_config *config, int argc, char *const argv[]);

/* The lines of --help text for the options above. */
const char *ui_args_usage(void);

/* ---- The application ---------------------------------------------------------- */

/*
 * Opens the window and renderer (the software renderer is fine; SDL_RENDER_DRIVER picks
 * one), finds the fonts through fontconfig, loads the catalogues, starts the speech
 * thread and, with config->script_path, parses the script (a bad script fails here with
 * "script:LINE: message" in config->error). On success *ret_app owns all of that.
 */
int ui_app_new(const struct ui_app_config *config, struct ui_app **ret_app);

/* Stops speech (waiting for the thread), frees every screen, closes the window. */
void ui_app_free(struct ui_app *app);

/* Adds a screen under `name`; the app takes ownership of `root` in every case (it frees
 * it on failure). Returns -ENOMEM when building the tree ran out of memory (see the top
 * of this file), -EEXIST for a name already used. The first screen added is shown. */
int ui_app_add_screen(struct ui_app *app, const char *name, struct ui_widget *root);

/* Shows the screen `name`, replacing the history; -ENOENT if there is none. */
int ui_app_show_screen(struct ui_app *app, const char *name);

/* Shows `name` and remembers the current screen for ui_app_back() (16 deep). */
int ui_app_push_screen(struct ui_app *app, const char *name);

/* Returns to the screen before the last push; -ENOENT when there is none. */
int ui_app_back(struct ui_app *app);

/* The name of the screen shown. */
const char *ui_app_get_screen(const struct ui_app *app);

/* The root widget of screen `name`, or NULL; borrowed from the app. */
struct ui_widget *ui_app_get_screen_root(struct ui_app *app, const char *name);

/* Runs the loop until ui_app_quit() or the end of the script. Returns the status given
 * to ui_app_quit() (0 normally), or a negative code when the script failed, with
 * "script:LINE: message" in ui_app_get_error(). */
int ui_app_run(struct ui_app *app);

/* One turn of the loop, for programs that run their own (for example around poll()):
 * waits up to `timeout_ms` for input (0: none), handles it, runs timers, tasks and
 * animation, and draws a frame if anything changed. Returns 1 while running, 0 once
 * quit, or a negative code as ui_app_run(). */
int ui_app_step(struct ui_app *app, int timeout_ms);

/* Asks the loop to stop; ui_app_run() returns `status`. */
void ui_app_quit(struct ui_app *app, int status);

/* The last error as one line ("script:12: expect: \"Home\" is not visible"); "" if none. */
const char *ui_app_get_error(const struct ui_app *app);

/* Runs `fn` on the UI thread during a coming ui_app_step(). The only call that is safe
 * from any thread. -ENOMEM if the queue cannot take it. */
int ui_app_post(struct ui_app *app, ui_task_fn fn, void *userdata);

/* Runs `fn` once after `ms` milliseconds on the UI thread. *ret_id (optional) names it
 * for ui_app_remove_timer(). */
int ui_app_add_timer(struct ui_app *app, unsigned ms, ui_task_fn fn, void *userdata,
                     unsigned *ret_id);
void ui_app_remove_timer(struct ui_app *app, unsigned id);

/* A descriptor became ready: `revents` as poll() reports it (POLLIN, POLLOUT, POLLHUP,
 * POLLERR). Runs on the UI thread. */
typedef void (*ui_fd_fn)(struct ui_app *app, int fd, short revents, void *userdata);

/*
 * Watches `fd` for `events` (POLLIN and/or POLLOUT; 0 pauses it): whenever it is ready,
 * `fn` runs on the UI thread during a coming ui_app_step(), which wakes for it at once.
 * So a program can talk to a socket without a loop of its own and without ever blocking
 * the UI thread. Watching is level-triggered: `fn` must read what is there, and must call
 * ui_app_unwatch_fd() on POLLHUP or POLLERR, or it is called again and again. The fd
 * stays the caller's; unwatch it before closing it. *ret_id (optional) names the watch.
 * -ENOSPC past UI_MAX_WATCHES, -EBADF for a negative fd, -ENOMEM, -EAGAIN when the
 * watching thread cannot start.
 */
#define UI_MAX_WATCHES 16
int ui_app_watch_fd(struct ui_app *app, int fd, short events, ui_fd_fn fn, void *userdata,
                    unsigned *ret_id);
/* Changes what watch `id` waits for (a socket with calls queued adds POLLOUT). */
int ui_app_watch_set_events(struct ui_app *app, unsigned id, short events);
/* Stops watch `id`; its callback is not called again. Unknown ids are ignored. */
void ui_app_unwatch_fd(struct ui_app *app, unsigned id);

/* Milliseconds since the last touch, click, wheel or key (or since ui_app_new()), for
 * an idle lock. Script events count as input. */
Uint32 ui_app_idle_ms(const struct ui_app *app);

/* Settings. Each one re-lays out and redraws every screen. */
void ui_app_set_theme(struct ui_app *app, enum ui_theme theme);
enum ui_theme ui_app_get_theme(const struct ui_app *app);
void ui_app_set_text_size(struct ui_app *app, enum ui_text_size size);
enum ui_text_size ui_app_get_text_size(const struct ui_app *app);
/* "en" or "cy" (or any language with a catalogue); -EINVAL for a malformed code. Widget
 * texts are translated again and the voice changes. */
int ui_app_set_language(struct ui_app *app, const char *language);
const char *ui_app_get_language(const struct ui_app *app);
void ui_app_set_read_aloud(struct ui_app *app, bool on);
bool ui_app_get_read_aloud(const struct ui_app *app);

/* `msgid` translated through the program's text domain in the current language. The
 * result is borrowed from the catalogue. */
const char *ui_app_tr(const struct ui_app *app, const char *msgid);

/* A moment as a short date in the app's language and local time: "Mon 7 Dec" in English,
 * "Llun 7 Rhag" in Welsh. */
void ui_app_short_date(const struct ui_app *app, time_t t, char *buf, size_t size);

/*
 * A date chosen, not typed: adds to the vertical box `col` three rows (Day, Month, Year),
 * each with an "Earlier" and a "Later" button (ids "day-less", "day-more", "month-less",
 * "month-more", "year-less", "year-more") whose taps call `fn`. The program keeps the date
 * and shows it in words; ui_date_step() says what a tap does to it. 0, or -ENOMEM
 * (recorded in `col`, as ui_widget_add() does).
 */
int ui_date_steps_add(struct ui_widget *col, ui_click_fn fn, void *userdata);
/* The date ("YYYY-MM-DD") after a tap on one of those buttons, into ret: a day on from
 * the 31st is the 1st of the next month; a month or a year on keeps the day of the month,
 * or the month's last day when it is shorter. -EINVAL for a bad date or another button,
 * -ERANGE outside 1970-2199; ret is untouched on failure. */
int ui_date_step(const char *date, const struct ui_widget *button, char ret[static 11]);

/* Physical size: millimetres to window pixels at the app's DPI (see ui_app_config). */
int ui_app_mm(const struct ui_app *app, double mm);

/* Gives keyboard focus to `w` (a field shows the on-screen keyboard); NULL clears it. */
void ui_app_focus(struct ui_app *app, struct ui_widget *w);

/* The status bar across the top: three literal (untranslated) texts, any may be NULL.
 * It is shown once any text is set. */
int ui_app_set_status(struct ui_app *app, const char *left, const char *centre, const char *right);
/* The same with the time ("14:05", from ui_now()) in the centre, kept right each minute:
 * the shell's bar, and every app's (whose left and right come from --status-name and
 * --status-next, so the bar stays the same when an app opens). */
int ui_app_set_status_clock(struct ui_app *app, const char *left, const char *right);

/* An app's way home: the Home button of every title row (ui_title_row_add()) calls `fn`.
 * Set before the screens are added; onward_app_main() sets it to leave the app. The
 * shell, which is home, sets none and its title rows have no Home button. */
void ui_app_set_home(struct ui_app *app, ui_click_fn fn, void *userdata);

/* The time now: the system's clock, or in test builds the one ONWARD_TEST_CLOCK sets
 * (see src/clock.c). The shell and the apps read the time here and nowhere else. */
time_t ui_now(void);

/*
 * A banner under the status bar, in a place of its own: the screen is laid out below it,
 * so it never covers a control. One banner at a time; a new one replaces the one shown
 * without calling its callback. `text` is a message id (a literal needs no translation:
 * one that is not in the catalogue is shown as it is). Read aloud as it appears when read
 * aloud is on.
 */
/* A passing word for `ms` milliseconds (0: until tapped). A tap closes it and calls
 * `on_tap` (may be NULL) with the banner. */
int ui_app_show_banner(struct ui_app *app, const char *text, unsigned ms, ui_click_fn on_tap,
                       void *userdata);
/* Something the person must act on (a reminder): `text` with `icon`, a speaker button and
 * 1 to 3 buttons (message ids, "banner.0"...). It stays until a button is tapped (a tap on
 * its words does nothing), which closes it and calls `fn` (may be NULL) with the button's
 * number. -EINVAL for no buttons or more than 3. */
int ui_app_show_banner_buttons(struct ui_app *app, const char *text, enum ui_icon icon,
                               const char *const buttons[], size_t n_buttons, ui_dialog_fn fn,
                               void *userdata);
/* Closes the banner shown, if any, without calling its callback. */
void ui_app_close_banner(struct ui_app *app);
bool ui_app_banner_shown(const struct ui_app *app);

/* A modal dialog: `message` and 1 to 3 buttons (message ids). Tapping a button closes
 * the dialog and calls `fn` (may be NULL) with its number. A new dialog replaces an open
 * one without calling its callback. -EINVAL for no buttons or more than 3. */
int ui_app_show_dialog(struct ui_app *app, const char *message, const char *const buttons[],
                       size_t n_buttons, ui_dialog_fn fn, void *userdata);
void ui_app_close_dialog(struct ui_app *app);
bool ui_app_dialog_open(const struct ui_app *app);

/* Reads `text` aloud (literal text) without blocking: speech runs on its own thread and
 * a new utterance cuts off the one before. -ENODEV when speech could not start. */
int ui_app_speak(struct ui_app *app, const char *text);
/* Reads a widget's shown text aloud. */
int ui_app_speak_widget(struct ui_app *app, struct ui_widget *w);
/* True while an utterance is queued or being spoken (or written to the WAV file). */
bool ui_app_speaking(const struct ui_app *app);

/* Writes the current frame as PNG / the widget tree as JSON (format in the README). */
int ui_app_screenshot(struct ui_app *app, const char *png_path);
int ui_app_dump(struct ui_app *app, const char *json_path);

/* Borrowed SDL objects, for programs that draw something the toolkit does not. */
SDL_Window *ui_app_get_window(struct ui_app *app);
SDL_Renderer *ui_app_get_renderer(struct ui_app *app);

/* ---- Kiosk rule --------------------------------------------------------------- */

/*
 * True when `event` must be dropped in the kiosk: Alt+Tab, Alt+F4, Ctrl+Alt+F-keys, the
 * Super (GUI) keys and anything pressed with them, and, unless `allow_quit`, SDL_QUIT and
 * window-close requests. The app's loop applies it to every event; a shell with its own
 * loop calls it too.
 */
bool ui_kiosk_filter(const SDL_Event *event, bool allow_quit);

/* ---- Widgets: common ---------------------------------------------------------- */

/* Frees `w` and everything under it, detaching it from its parent first. Screens added
 * to the app are freed by ui_app_free(). */
void ui_widget_free(struct ui_widget *w);

/* Appends `child` to a box, grid or scroll; the parent owns it from now on. Returns
 * `child`. A NULL child (a constructor that ran out of memory) is recorded in the parent
 * and NULL is returned. */
struct ui_widget *ui_widget_add(struct ui_widget *parent, struct ui_widget *child);

/* Frees all children of `parent` (to rebuild part of a screen). */
void ui_widget_clear(struct ui_widget *parent);

/* An id for scripts (tap id:NAME), dumps and ui_widget_find(); letters, digits, '-',
 * '_' and '.', at most 63 bytes, else -EINVAL. */
int ui_widget_set_id(struct ui_widget *w, const char *id);
const char *ui_widget_get_id(const struct ui_widget *w);

/* The first widget with `id` under `root` (itself included), or NULL. */
struct ui_widget *ui_widget_find(struct ui_widget *root, const char *id);

/* Sets the text of a label, heading, paragraph, button, tile, toggle or field hint;
 * -EINVAL for a widget without text. */
int ui_widget_set_text(struct ui_widget *w, const char *text);
/* The text as shown (translated), or "" for none. */
const char *ui_widget_get_text(const struct ui_widget *w);
/* Whether the text is a message id to translate (default true). */
void ui_widget_set_translate(struct ui_widget *w, bool translate);

void ui_widget_set_visible(struct ui_widget *w, bool visible);
bool ui_widget_is_visible(const struct ui_widget *w);
/* A disabled widget is drawn faded and ignores input. */
void ui_widget_set_enabled(struct ui_widget *w, bool enabled);
bool ui_widget_is_enabled(const struct ui_widget *w);

/* In a box: a share of the spare space along the box's axis (0, the default: none). */
void ui_widget_set_expand(struct ui_widget *w, int weight);
/* In a box: placement across the box's axis (default UI_ALIGN_FILL). */
void ui_widget_set_align(struct ui_widget *w, enum ui_align align);
/* A minimum size in millimetres (0: none). Buttons and tiles are never under 9 mm. */
void ui_widget_set_min_size(struct ui_widget *w, double w_mm, double h_mm);

/* Called on a tap (buttons, tiles, toggles, choices; any widget, in fact). */
void ui_widget_set_on_click(struct ui_widget *w, ui_click_fn fn, void *userdata);

/* An icon from a PNG file for a button or tile, replacing the drawn icon. -ENOENT or
 * -EINVAL when the file cannot be read as an image. */
int ui_widget_set_icon_file(struct ui_widget *w, const char *png_path);
/* Changes a button's or tile's drawn icon, for a button whose meaning changes with its
 * words (Next becomes Take the quiz). */
void ui_widget_set_icon(struct ui_widget *w, enum ui_icon icon);

/* Where layout put the widget, in window pixels. */
void ui_widget_get_rect(const struct ui_widget *w, SDL_Rect *ret_rect);

/* The app the widget is shown in (NULL until its screen is added). */
struct ui_app *ui_widget_get_app(const struct ui_widget *w);

/* ---- Containers --------------------------------------------------------------- */

/* A stack of children along `orientation`. Default: medium spacing, no padding. */
struct ui_widget *ui_box_new(enum ui_orientation orientation);
void ui_box_set_spacing(struct ui_widget *box, enum ui_space spacing);
void ui_box_set_padding(struct ui_widget *box, enum ui_space padding);

/* A grid of equal cells (tiles): as many columns as fit cells at least `min_cell_mm`
 * wide (scaled with the text size), at most `max_columns` (0: no limit). */
struct ui_widget *ui_grid_new(double min_cell_mm, int max_columns);

/* Empty space: fixed millimetres, or with ui_widget_set_expand() a flexible gap. */
struct ui_widget *ui_spacer_new(double w_mm, double h_mm);

/* ---- Text --------------------------------------------------------------------- */

/* Body text that wraps at the width given to it (Unicode line breaking). */
struct ui_widget *ui_label_new(const char *text);
/* A bold heading, larger than body text. */
struct ui_widget *ui_heading_new(const char *text);
/* Body text for longer passages: left aligned with extra space after. */
struct ui_widget *ui_paragraph_new(const char *text);
/* Same as ui_widget_set_text() for a label, heading or paragraph. */
int ui_label_set_text(struct ui_widget *label, const char *text);

/* ---- Buttons and tiles -------------------------------------------------------- */

/* A button: text, with an icon before it unless UI_ICON_NONE. At least 9 mm high. */
struct ui_widget *ui_button_new(const char *text, enum ui_icon icon);
/* A round speaker button that reads `target`'s text aloud (target is borrowed and must
 * outlive the button, normally its neighbour in the same screen). */
struct ui_widget *ui_speak_button_new(struct ui_widget *target);

/* Adds a button to `box` with `id` and `fn` for its tap (userdata passed on). Returns
 * it; NULL when memory ran out (recorded in `box`, as ui_widget_add() does). */
struct ui_widget *ui_button_add(struct ui_widget *box, const char *text, enum ui_icon icon,
                                const char *id, ui_click_fn fn, void *userdata);

/*
 * How every screen offers its words to be read: adds `text` (a label or heading) to the
 * horizontal box `row` with `id`, taking the room left and centred across the row, and
 * after it a speaker button that reads it aloud. Returns `text`; NULL when memory ran out
 * (recorded in `row`, as ui_widget_add() does).
 */
struct ui_widget *ui_spoken_add(struct ui_widget *row, struct ui_widget *text, const char *id);
/* The same in a row of its own, added to `col`. */
struct ui_widget *ui_spoken_row_add(struct ui_widget *col, struct ui_widget *text, const char *id);

/*
 * The top of every screen, the same in every app: a Home button (id "back-home"; shown
 * only in an app, see ui_app_set_home()), then a Back button (`back_id`, `fn` for its tap;
 * none when `fn` is NULL), both the same size, then `title` (a heading, given
 * `title_id`) with the screen's one speaker button, as ui_spoken_add() does. Returns
 * `title`.
 */
struct ui_widget *ui_title_row_add(struct ui_widget *col, const char *back_id, ui_click_fn fn,
                                   void *userdata, struct ui_widget *title, const char *title_id);

/* A large square-ish tile with an icon over its text, for home grids. */
struct ui_widget *ui_tile_new(const char *text, enum ui_icon icon);
/* A locked tile shows a padlock and is greyed; a tap shows `reason` (a message id, in
 * plain words) in a dialog instead of calling on_click. */
int ui_tile_set_locked(struct ui_widget *tile, bool locked, const char *reason);
bool ui_tile_is_locked(const struct ui_widget *tile);
/* A count in a badge on the tile's corner (0 hides it; shown as 99+ above 99). */
int ui_tile_set_badge(struct ui_widget *tile, unsigned count);

/* A switch with its text; a tap flips it and then calls on_click. */
struct ui_widget *ui_toggle_new(const char *text, bool on);
bool ui_toggle_get(const struct ui_widget *toggle);
void ui_toggle_set(struct ui_widget *toggle, bool on);

/* A "pick one" answer: a round mark before its text, filled when chosen. A tap chooses it
 * and clears the other radios beside it (those with the same parent: give each group a
 * box of its own), then calls on_click; tapping a chosen radio leaves it chosen. Unlike a
 * toggle's switch, it does not look like turning something on or off. */
struct ui_widget *ui_radio_new(const char *text, bool chosen);
bool ui_radio_get(const struct ui_widget *radio);
/* Chooses or clears this radio only (its neighbours are left as they are). */
void ui_radio_set(struct ui_widget *radio, bool chosen);

/* One-of-n buttons in a row (wrapping to a column when narrow); options are message ids.
 * Each option gets the id "ID.N" once the choice has an id. `selected` UI_CHOICE_NONE
 * (for ui_choice_new and ui_choice_set) leaves every option off, so a person must pick
 * one; ui_choice_get then returns UI_CHOICE_NONE. */
#define UI_CHOICE_NONE SIZE_MAX
struct ui_widget *ui_choice_new(const char *const options[], size_t n_options, size_t selected);
size_t ui_choice_get(const struct ui_widget *choice);
void ui_choice_set(struct ui_widget *choice, size_t selected);

/* An image from a PNG file, scaled to fit `w_mm` x `h_mm` (0: its own size). NULL also
 * when the file cannot be loaded. */
struct ui_widget *ui_image_new(const char *png_path, double w_mm, double h_mm);

/* ---- Lists -------------------------------------------------------------------- */

/* A scrolling list of `n_rows` rows, each filled by `fn` when it comes into view. It
 * scrolls by drag with momentum and by the mouse wheel; give it ui_widget_set_expand()
 * so it takes the space left on its screen. */
struct ui_widget *ui_list_new(size_t n_rows, ui_list_row_fn fn, void *userdata);
/* Changes the number of rows and forgets cached rows (the data changed). */
void ui_list_set_rows(struct ui_widget *list, size_t n_rows);
void ui_list_set_on_select(struct ui_widget *list, ui_list_select_fn fn, void *userdata);
/* Scrolls by `dy` pixels (positive: further down the list), clamped, without momentum. */
void ui_list_scroll(struct ui_widget *list, int dy);
/* Scrolls so that `row` is the first row shown (as far as the end allows). */
void ui_list_scroll_to_row(struct ui_widget *list, size_t row);
/* The first row at least partly visible. */
size_t ui_list_get_first_visible(const struct ui_widget *list);
/* The current scroll offset in pixels. */
int ui_list_get_offset(const struct ui_widget *list);

/* ---- Text entry --------------------------------------------------------------- */

/* A one-line text field; `hint` (a message id, may be NULL) shows while it is empty. A
 * tap focuses it and brings up the on-screen keyboard that suits `kind`; a physical
 * keyboard types into it too. */
struct ui_widget *ui_text_field_new(enum ui_field_kind kind, const char *hint);
/* The content (UTF-8), borrowed until the field changes. */
const char *ui_text_field_get_text(const struct ui_widget *field);
/* Replaces the content (cut at the field's maximum). */
int ui_text_field_set_text(struct ui_widget *field, const char *text);
/* At most `max_chars` characters (default 256, PIN 8). */
void ui_text_field_set_max_length(struct ui_widget *field, size_t max_chars);
/* A text field that wraps its words and grows, one line at a time, up to `max_lines`
 * lines as the text does, then scrolls to keep the cursor's line in view (1, the
 * default: one line that scrolls sideways). Not for PINs. */
void ui_text_field_set_lines(struct ui_widget *field, int max_lines);
void ui_text_field_set_on_submit(struct ui_widget *field, ui_submit_fn fn, void *userdata);
/* Which keyboard pops up on focus; UI_KEYBOARD_NONE when the screen has its own
 * ui_keyboard_new() (a login screen's PIN pad). */
void ui_text_field_set_keyboard(struct ui_widget *field, enum ui_keyboard_mode mode);

/* An on-screen keyboard placed in a screen (the pop-up one is the app's). It types into
 * `target` (borrowed; NULL: whichever field has focus). */
struct ui_widget *ui_keyboard_new(enum ui_keyboard_mode mode, struct ui_widget *target);

#ifdef __cplusplus
}
#endif

#endif

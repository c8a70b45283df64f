/*
 * A course page, drawn from the blocks the daemon renders from the pack's Markdown
 * (onward.Course.Page): headings, paragraphs, list items (indented, with their bullet or
 * number), quotes, code and rules as toolkit labels, so they wrap, grow with large text and
 * follow high contrast; pictures fetched in pieces (onward.Course.Image) and shown from
 * memory. The toolkit draws each label in one style, so a sentence holding words the page
 * stresses (**bold**, *emphasis*) is repeated under its paragraph, in bold, after
 * "Remember:": the whole sentence, because a stressed word alone ("before") means nothing
 * (issue 17). A block of one sentence is not repeated. Every page has
 * a Read aloud button; the place is saved (onward.Course.Progress) as soon as a page is
 * shown, so leaving and coming back opens the same page.
 */
#include "learning.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define IMAGE_BOX_W_MM 120
#define IMAGE_BOX_H_MM 70
#define INDENT_MM 6

static const char *
jstr(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

/* A growing text buffer; on failure it stays as it was. */
struct text {
	char *s;
	size_t len, cap;
};

static void
text_add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->len + n + 1) * 2;
		char *p = realloc(t->s, cap);

		if (!p)
			return;
		t->s = p;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void
text_add_str(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

static bool
has_style(json_t *span, const char *style)
{
	size_t i;
	json_t *v;

	json_array_foreach(json_object_get(span, "styles"), i,
	                   v) if (strcmp(json_string_value(v), style) == 0) return true;
	return false;
}

/* ---- pictures ---- */

static void
fetch_free(struct image_fetch *f)
{
	free(f->data);
	memset(f, 0, sizeof(*f));
}

void
page_reset(struct learning *lr)
{
	for (size_t i = 0; i < lr->n_images; i++)
		fetch_free(&lr->images[i]);
	lr->n_images = 0;
	lr->page_gen++;
}

static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes base64 text into out (room for room bytes); the decoded length, or -1. */
static long
b64_decode(const char *text, uint8_t *out, size_t room)
{
	size_t n = strlen(text), o = 0;

	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4];
		int pad = 0;

		for (int k = 0; k < 4; k++) {
			if (text[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
			} else if ((v[k] = b64_value((unsigned char)text[i + k])) < 0) {
				return -1;
			}
		}
		uint32_t bits = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 |
		                (uint32_t)v[3];
		uint8_t bytes[3] = {(uint8_t)(bits >> 16), (uint8_t)(bits >> 8), (uint8_t)bits};

		for (int k = 0; k < 3 - pad; k++) {
			if (o >= room)
				return -1;
			out[o++] = bytes[k];
		}
	}
	return (long)o;
}

/* Shows a fetched picture: the toolkit loads pictures from a path, so it goes through an
 * in-memory file that is closed once the picture is loaded. */
static void
image_place(struct learning *lr, struct image_fetch *f)
{
	char path[64], id[48];
	struct ui_widget *img = NULL, *caption;
	size_t done = 0;
	int fd = memfd_create("onward-picture", MFD_CLOEXEC);

	if (fd >= 0) {
		while (done < f->size) {
			ssize_t n = write(fd, f->data + done, f->size - done);

			if (n <= 0)
				break;
			done += (size_t)n;
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (done == f->size)
			img = ui_image_new(path, IMAGE_BOX_W_MM, IMAGE_BOX_H_MM);
		close(fd);
	}
	if (!img)
		return; /* the caption stays: the person still reads what the picture shows */
	snprintf(id, sizeof(id), "picture-%zu", (size_t)(f - lr->images));
	ui_widget_set_id(img, id);
	/* The picture goes above its caption. */
	ui_widget_clear(f->slot);
	ui_widget_add(f->slot, img);
	caption = ui_widget_add(f->slot, ui_label_new(f->caption));
	ui_widget_set_translate(caption, false);
	ui_widget_set_align(caption, UI_ALIGN_CENTER);
}

static void fetch_next(struct learning *lr, size_t i);

static void
on_image(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct learning *lr = channel_get_data(ch);
	size_t i = (size_t)(uintptr_t)userdata;
	struct image_fetch *f = &lr->images[i];
	json_t *p;
	json_int_t size, offset;
	long n;

	if (!reply || i >= lr->n_images || f->gen != lr->page_gen)
		return;
	if (reply->error) {
		fetch_free(f);
		return;
	}
	p = reply->parameters;
	size = json_integer_value(json_object_get(p, "size"));
	offset = json_integer_value(json_object_get(p, "offset"));
	if (size <= 0 || (uint64_t)size > LEARNING_IMAGE_MAX || (size_t)offset != f->got ||
	    (f->data && (size_t)size != f->size)) {
		fetch_free(f);
		return;
	}
	if (!f->data) {
		f->data = malloc((size_t)size);
		f->size = (size_t)size;
		if (!f->data) {
			fetch_free(f);
			return;
		}
	}
	n = b64_decode(jstr(p, "data"), f->data + f->got, f->size - f->got);
	if (n <= 0) {
		fetch_free(f);
		return;
	}
	f->got += (size_t)n;
	if (f->got < f->size) {
		fetch_next(lr, i);
		return;
	}
	image_place(lr, f);
	free(f->data);
	f->data = NULL;
}

static void
fetch_next(struct learning *lr, size_t i)
{
	struct image_fetch *f = &lr->images[i];

	if (channel_call(lr->channel, "onward.Course.Image",
	                 json_pack("{s:s, s:s, s:I}", "course", lr->course_id, "name", f->name,
	                           "offset", (json_int_t)f->got),
	                 on_image, (void *)(uintptr_t)i) < 0)
		fetch_free(f);
}

/* ---- blocks ---- */

/* Whether a sentence ends at words[i]: a full stop, ! or ? before a space or the end. */
static bool
sentence_end(const char *words, size_t i)
{
	return strchr(".!?", words[i]) &&
	       (words[i + 1] == '\0' || words[i + 1] == ' ' || words[i + 1] == '\n');
}

/*
 * The sentences of `words` that hold a stressed word (each stressed[k] is where one
 * starts), in order, into `ret`; left empty for a block of one sentence, which would only
 * be said twice.
 */
static void
stressed_sentences(const char *words, const size_t *stressed, size_t n, struct text *ret)
{
	size_t len = strlen(words), start = 0, picked = 0, sentences = 0;

	while (start < len) {
		size_t end = start, from;
		bool has = false;

		/* "1." before a list item's words ends no sentence. */
		while (end < len && (!sentence_end(words, end) ||
		                     strspn(words + start, " \n0123456789") == end - start))
			end++;
		if (end < len)
			end++; /* keep the full stop */
		for (size_t k = 0; k < n && !has; k++)
			has = stressed[k] >= start && stressed[k] < end;
		from = start + strspn(words + start, " \n");
		if (from < end) {
			sentences++;
			if (has) {
				if (ret->len)
					text_add_str(ret, " ");
				/* A list item's bullet or number is not part of its sentence. */
				if (from == 0 && strncmp(words, "\xE2\x80\xA2 ", 4) == 0)
					from = 4;
				text_add(ret, words + from, end - from);
				picked++;
			}
		}
		start = end;
	}
	if (picked == sentences && sentences == 1) {
		free(ret->s);
		*ret = (struct text){0};
	}
}

/* Adds one block of the page to the box; its words go to the read-aloud text. */
static void
add_block(struct learning *lr, json_t *b)
{
	const char *kind = jstr(b, "kind");
	struct text words = {0}, keys = {0};
	size_t stressed[16], n_stressed = 0;
	struct ui_widget *w = NULL, *row;
	json_int_t indent = json_integer_value(json_object_get(b, "quote"));
	size_t i;
	json_t *span;

	if (strcmp(kind, "rule") == 0) {
		ui_widget_add(lr->page_box, ui_spacer_new(0, 4));
		return;
	}
	if (strcmp(kind, "image") == 0) {
		json_t *image = json_object_get(b, "image");
		struct ui_widget *slot = ui_widget_add(lr->page_box, ui_box_new(UI_VERTICAL));
		char caption[400];

		snprintf(caption, sizeof(caption), "%s %s", ui_app_tr(lr->app, N_("Picture:")),
		         jstr(image, "alt"));
		ui_widget_set_align(slot, UI_ALIGN_CENTER);
		w = ui_widget_add(slot, ui_label_new(caption));
		ui_widget_set_translate(w, false);
		if (lr->n_images < LEARNING_IMAGES_MAX && slot) {
			struct image_fetch *f = &lr->images[lr->n_images];

			memset(f, 0, sizeof(*f));
			f->gen = lr->page_gen;
			f->slot = slot;
			snprintf(f->name, sizeof(f->name), "%s", jstr(image, "name"));
			snprintf(f->caption, sizeof(f->caption), "%s", caption);
			lr->n_images++;
			fetch_next(lr, lr->n_images - 1);
		}
		return;
	}
	if (strcmp(kind, "item") == 0) {
		char mark[24];

		if (json_is_true(json_object_get(b, "ordered")))
			snprintf(mark, sizeof(mark), "%lld. ",
			         (long long)json_integer_value(json_object_get(b, "number")));
		else
			snprintf(mark, sizeof(mark), "\xE2\x80\xA2 "); /* a bullet */
		text_add_str(&words, mark);
		indent += json_integer_value(json_object_get(b, "level"));
	}
	json_array_foreach(json_object_get(b, "spans"), i, span)
	{
		const char *t = jstr(span, "text");

		if ((has_style(span, "strong") || has_style(span, "emphasis")) &&
		    strspn(t, " \n") < strlen(t) && n_stressed < 16)
			stressed[n_stressed++] = words.len + strspn(t, " \n");
		text_add_str(&words, t);
	}
	if (words.s && n_stressed)
		stressed_sentences(words.s, stressed, n_stressed, &keys);
	if (!words.s) {
		free(keys.s);
		return;
	}
	if (strcmp(kind, "heading") == 0)
		w = ui_heading_new(words.s);
	else if (strcmp(kind, "paragraph") == 0)
		w = ui_paragraph_new(words.s);
	else
		w = ui_label_new(words.s);
	if (w)
		ui_widget_set_translate(w, false);
	if (indent > 0) {
		row = ui_widget_add(lr->page_box, ui_box_new(UI_HORIZONTAL));
		ui_widget_add(row, ui_spacer_new((double)(indent > 6 ? 6 : indent) * INDENT_MM, 0));
		w = ui_widget_add(row, w);
		ui_widget_set_expand(w, 1);
	} else {
		ui_widget_add(lr->page_box, w);
	}
	if (keys.s && strcmp(kind, "heading") != 0) {
		struct ui_widget *k;

		row = ui_widget_add(lr->page_box, ui_box_new(UI_HORIZONTAL));
		if (indent > 0)
			ui_widget_add(
			        row,
			        ui_spacer_new((double)(indent > 6 ? 6 : indent) * INDENT_MM, 0));
		ui_widget_set_align(ui_widget_add(row, ui_label_new(N_("Remember:"))),
		                    UI_ALIGN_START);
		k = ui_widget_add(row, ui_heading_new(keys.s));
		ui_widget_set_translate(k, false);
		ui_widget_set_align(k, UI_ALIGN_START);
		ui_widget_set_expand(k, 1);
	}
	free(words.s);
	free(keys.s);
}

/* ---- the page screen ---- */

static json_t *
page_names(struct learning *lr, size_t module)
{
	return json_object_get(learning_module(lr, module), "pages");
}

/* The page's place in the whole course, counting from 1, and the course's page count. */
static void
page_number(struct learning *lr, size_t *ret_n, size_t *ret_total)
{
	size_t n = 0, total = 0;

	for (size_t m = 0; m < learning_module_count(lr); m++) {
		size_t count = json_array_size(page_names(lr, m));

		if (m < lr->module)
			n += count;
		else if (m == lr->module)
			n += lr->page + 1;
		total += count;
	}
	*ret_n = n;
	*ret_total = total;
}

static bool
module_has_quiz(struct learning *lr, size_t module)
{
	return json_is_string(json_object_get(learning_module(lr, module), "quiz"));
}

static void
on_saved(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct learning *lr = channel_get_data(ch);
	static const char *const ok[] = {N_("OK")};

	(void)userdata;
	if (!reply)
		return;
	if (reply->error) {
		learning_say(lr, client_reply_message(reply));
		return;
	}
	if (json_is_object(json_object_get(reply->parameters, "certificate")))
		ui_app_show_dialog(lr->app,
		                   N_("Well done! You have finished this course. Your certificate "
		                      "is saved."),
		                   ok, 1, NULL, NULL);
}

static void
on_page(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct learning *lr = channel_get_data(ch);
	unsigned gen = (unsigned)(uintptr_t)userdata;
	json_t *mod = learning_module(lr, lr->module);
	size_t i;
	json_t *b;

	if (!reply || gen != lr->page_gen)
		return;
	ui_widget_clear(lr->page_box);
	if (reply->error) {
		ui_label_set_text(lr->page_message, client_reply_message(reply));
		return;
	}
	ui_label_set_text(lr->page_message, "");
	json_array_foreach(json_object_get(reply->parameters, "blocks"), i, b) add_block(lr, b);
	/* The place is saved once the page is there to read. */
	if (channel_call(lr->channel, "onward.Course.Progress",
	                 json_pack("{s:s, s:s, s:s}", "course", lr->course_id, "module",
	                           jstr(mod, "id"), "page",
	                           json_string_value(
	                                   json_array_get(page_names(lr, lr->module), lr->page))),
	                 on_saved, NULL) < 0)
		learning_say(lr, N_("Your place could not be saved."));
}

void
page_show(struct learning *lr, size_t module, size_t page)
{
	json_t *mod = learning_module(lr, module);
	size_t count = json_array_size(page_names(lr, module)), n, total;
	const char *name;
	char where[300];
	bool last_page, last_module;

	if (!mod || page >= count)
		return;
	page_reset(lr);
	lr->module = module;
	lr->page = page;
	name = json_string_value(json_array_get(page_names(lr, module), page));
	page_number(lr, &n, &total);
	snprintf(where, sizeof(where), "%s \xC2\xB7 %s %zu / %zu", jstr(mod, "title"),
	         ui_app_tr(lr->app, N_("Page")), n, total);
	ui_label_set_text(lr->page_where, where);
	ui_widget_clear(lr->page_box);
	ui_label_set_text(lr->page_message, N_("Loading…"));
	ui_widget_set_enabled(lr->prev, module > 0 || page > 0);
	last_page = page + 1 == count;
	last_module = module + 1 == learning_module_count(lr);
	ui_widget_set_text(lr->next,
	                   last_page && module_has_quiz(lr, module)
	                           ? N_("Take the quiz")
	                           : (last_page && last_module ? N_("Finish") : N_("Next")));
	ui_widget_set_icon(lr->next,
	                   last_page && module_has_quiz(lr, module)
	                           ? UI_ICON_QUIZ
	                           : (last_page && last_module ? UI_ICON_CHECK : UI_ICON_NEXT));
	ui_app_show_screen(lr->app, "page");
	if (channel_call(lr->channel, "onward.Course.Page",
	                 json_pack("{s:s, s:s}", "course", lr->course_id, "page", name), on_page,
	                 (void *)(uintptr_t)lr->page_gen) < 0)
		ui_label_set_text(lr->page_message, N_("Something went wrong. Please try again."));
}

static void
on_next(struct ui_widget *w, void *userdata)
{
	struct learning *lr = userdata;
	size_t count = json_array_size(page_names(lr, lr->module));

	(void)w;
	if (lr->page + 1 < count)
		page_show(lr, lr->module, lr->page + 1);
	else if (module_has_quiz(lr, lr->module))
		quiz_show(lr, lr->module);
	else if (lr->module + 1 < learning_module_count(lr))
		page_show(lr, lr->module + 1, 0);
	else
		learning_show_course(lr);
}

static void
on_prev(struct ui_widget *w, void *userdata)
{
	struct learning *lr = userdata;

	(void)w;
	if (lr->page > 0) {
		page_show(lr, lr->module, lr->page - 1);
	} else if (lr->module > 0) {
		size_t count = json_array_size(page_names(lr, lr->module - 1));

		if (count)
			page_show(lr, lr->module - 1, count - 1);
	}
}

static void
on_back(struct ui_widget *w, void *userdata)
{
	(void)w;
	page_reset(userdata);
	learning_show_course(userdata);
}

struct ui_widget *
page_build_screen(struct learning *lr)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *row;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	/* The title's speaker reads the whole page: its words and its pictures' captions. */
	lr->page_where =
	        ui_title_row_add(col, "page-back", on_back, lr, ui_label_new(""), "page-where");
	ui_widget_set_translate(lr->page_where, false);
	lr->page_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(lr->page_message, "page-message");
	ui_widget_set_translate(lr->page_message, false);
	lr->page_box = ui_widget_add(col, ui_box_new(UI_VERTICAL));
	ui_widget_set_id(lr->page_box, "page");
	ui_box_set_spacing(lr->page_box, UI_SPACE_MEDIUM);
	ui_widget_add(col, ui_spacer_new(0, 4));
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	lr->prev = ui_button_add(row, N_("Previous"), UI_ICON_BACK, "prev", on_prev, lr);
	ui_widget_set_expand(lr->prev, 1);
	ui_widget_set_min_size(lr->prev, 0, 14);
	lr->next = ui_button_add(row, N_("Next"), UI_ICON_NEXT, "next", on_next, lr);
	ui_widget_set_expand(lr->next, 1);
	ui_widget_set_min_size(lr->next, 0, 14);
	return col;
}

/*
 * ui-dump-query: reads a widget-tree dump written by the script driver's `dump` and
 * answers one question, so the end-to-end tests can assert on what was on screen.
 *   ui-dump-query FILE top KEY            print a top-level member (theme, text_size)
 *   ui-dump-query FILE visible TEXT       exit 0 if a visible widget or item shows TEXT
 *   ui-dump-query FILE hidden TEXT        exit 0 if nothing visible shows TEXT
 *   ui-dump-query FILE get ID FIELD       print a member of the widget or item with ID:
 *                                         text, x, y, w, h, visible, or state.KEY
 *   ui-dump-query FILE screen FIELD       the same of the shown screen's frame (its
 *                                         state.offset is how far it is scrolled)
 *   ui-dump-query FILE covered LAYER      exit 0 if nothing of the shown screen is under
 *                                         LAYER (banner, status, keyboard); else print
 *                                         each visible widget it covers and exit 1
 *   ui-dump-query FILE icon NAME          print the id (or, without one, the text) of
 *                                         every widget that shows the drawn icon NAME
 *   ui-dump-query FILE frame -            print the frame of the shown screen, one line
 *                                         each: "home X Y W H", "back X Y W H" (the Back
 *                                         beside Home, if any), "speakers N" (visible
 *                                         speaker buttons), "status LEFT|CENTRE|RIGHT"
 *   ui-dump-query FILE fits -             exit 0 if every visible widget of the shown
 *                                         screen lies inside the window's width and no
 *                                         visible list row is cut short ("…"); else
 *                                         print each and exit 1
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* Prints each widget under `node` that shows `icon`, by its id or else its text. */
static void
print_icon(json_t *node, const char *icon)
{
	const char *has =
	        json_string_value(json_object_get(json_object_get(node, "state"), "icon"));
	const char *id = json_string_value(json_object_get(node, "id"));
	json_t *k;
	size_t i;

	if (has && strcmp(has, icon) == 0)
		printf("%s\n", id ? id : json_string_value(json_object_get(node, "text")));
	json_array_foreach(json_object_get(node, "children"), i, k) print_icon(k, icon);
}

static json_t *
find_id(json_t *node, const char *id)
{
	json_t *kids, *k, *found;
	size_t i;
	const char *nid = json_string_value(json_object_get(node, "id"));

	if (nid && strcmp(nid, id) == 0)
		return node;
	kids = json_object_get(node, "children");
	json_array_foreach(kids, i, k)
	{
		found = find_id(k, id);
		if (found)
			return found;
	}
	return NULL;
}

static int
count_visible(json_t *node, const char *text)
{
	json_t *kids, *k;
	size_t i;
	int n = 0;
	const char *t = json_string_value(json_object_get(node, "text"));

	if (t && strcmp(t, text) == 0 && json_is_true(json_object_get(node, "visible")))
		n++;
	kids = json_object_get(node, "children");
	json_array_foreach(kids, i, k) n += count_visible(k, text);
	return n;
}

static bool
rect_of(json_t *node, int ret[4])
{
	json_t *rc = json_object_get(node, "rect");

	if (json_array_size(rc) != 4)
		return false;
	for (size_t i = 0; i < 4; i++)
		ret[i] = (int)json_integer_value(json_array_get(rc, i));
	return true;
}

/* The part of a and b both cover, into ret; false when none. */
static bool
meet(const int a[4], const int b[4], int ret[4])
{
	int x0 = a[0] > b[0] ? a[0] : b[0], y0 = a[1] > b[1] ? a[1] : b[1];
	int x1 = a[0] + a[2] < b[0] + b[2] ? a[0] + a[2] : b[0] + b[2];
	int y1 = a[1] + a[3] < b[1] + b[3] ? a[1] + a[3] : b[1] + b[3];

	if (x1 <= x0 || y1 <= y0)
		return false;
	ret[0] = x0;
	ret[1] = y0;
	ret[2] = x1 - x0;
	ret[3] = y1 - y0;
	return true;
}

/* Prints each visible leaf widget of the screen (within the frame's area) that the rect
 * over covers; returns how many. */
static int
count_covered(json_t *node, const int frame[4], const int over[4])
{
	json_t *kids = json_object_get(node, "children"), *k;
	int rc[4], shown[4], hidden[4], n = 0;
	size_t i;

	if (!json_is_true(json_object_get(node, "visible")))
		return 0;
	if (json_array_size(kids) == 0) {
		if (rect_of(node, rc) && meet(rc, frame, shown) && meet(shown, over, hidden)) {
			const char *id = json_string_value(json_object_get(node, "id"));
			const char *text = json_string_value(json_object_get(node, "text"));

			printf("%s %s \"%s\"\n", json_string_value(json_object_get(node, "type")),
			       id ? id : "-", text ? text : "");
			n++;
		}
		return n;
	}
	json_array_foreach(kids, i, k) n += count_covered(k, frame, over);
	return n;
}

/* The title row: the parent of the widget with id "back-home", under node. */
static json_t *
find_home_row(json_t *node)
{
	json_t *k, *found;
	size_t i;

	json_array_foreach(json_object_get(node, "children"), i, k)
	{
		const char *id = json_string_value(json_object_get(k, "id"));

		if (id && strcmp(id, "back-home") == 0)
			return node;
		found = find_home_row(k);
		if (found)
			return found;
	}
	return NULL;
}

static int
count_type(json_t *node, const char *type)
{
	json_t *k;
	size_t i;
	int n = 0;
	const char *t = json_string_value(json_object_get(node, "type"));

	if (!json_is_true(json_object_get(node, "visible")))
		return 0;
	if (t && strcmp(t, type) == 0)
		n++;
	json_array_foreach(json_object_get(node, "children"), i, k) n += count_type(k, type);
	return n;
}

static void
print_rect(const char *name, json_t *node)
{
	int rc[4];

	if (node && json_is_true(json_object_get(node, "visible")) && rect_of(node, rc))
		printf("%s %d %d %d %d\n", name, rc[0], rc[1], rc[2], rc[3]);
}

static void
print_frame(json_t *layers)
{
	json_t *screen = json_array_get(json_object_get(layers, "screen"), 0);
	json_t *status = json_array_get(json_object_get(layers, "status"), 0);
	json_t *row = screen ? find_home_row(screen) : NULL, *kids, *k;
	const char *texts[3] = {"", "", ""};
	size_t i;

	if (row) {
		kids = json_object_get(row, "children");
		print_rect("home", json_array_get(kids, 0));
		k = json_array_get(kids, 1);
		if (k && strcmp(json_string_value(json_object_get(k, "type")), "button") == 0)
			print_rect("back", k);
	}
	printf("speakers %d\n", screen ? count_type(screen, "speak-button") : 0);
	json_array_foreach(json_object_get(status, "children"), i, k)
	{
		const char *t = json_string_value(json_object_get(k, "text"));

		if (i < 3 && t)
			texts[i] = t;
	}
	printf("status %s|%s|%s\n", texts[0], texts[1], texts[2]);
}

/* Prints each visible widget under node that reaches past [0, width), and each visible
 * list row cut short; returns how many. */
static int
count_unfit(json_t *node, int width)
{
	static const char ellipsis[] = "\xE2\x80\xA6";
	const char *type = json_string_value(json_object_get(node, "type"));
	const char *text = json_string_value(json_object_get(node, "text"));
	const char *id = json_string_value(json_object_get(node, "id"));
	json_t *k;
	int rc[4], n = 0;
	size_t i, len = text ? strlen(text) : 0;

	if (!json_is_true(json_object_get(node, "visible")))
		return 0;
	if (rect_of(node, rc) && (rc[0] < 0 || rc[0] + rc[2] > width)) {
		printf("past the edge: %s %s \"%s\"\n", type, id ? id : "-", text ? text : "");
		n++;
	}
	if (type && strcmp(type, "row") == 0 && len >= 3 && strcmp(text + len - 3, ellipsis) == 0) {
		printf("cut short: row %s \"%s\"\n", id ? id : "-", text);
		n++;
	}
	json_array_foreach(json_object_get(node, "children"), i, k) n += count_unfit(k, width);
	return n;
}

static void
print(json_t *v)
{
	if (json_is_string(v))
		printf("%s\n", json_string_value(v));
	else if (json_is_integer(v))
		printf("%lld\n", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		printf("%s\n", json_is_true(v) ? "true" : "false");
	else
		printf("null\n");
}

int
main(int argc, char **argv)
{
	json_error_t err;
	json_t *root, *layers, *layer, *node = NULL;
	const char *key, *field;
	int visible = 0, rc;

	if (argc < 4) {
		fprintf(stderr, "usage: ui-dump-query FILE "
		                "top|visible|hidden|get|screen|covered|icon|frame|fits "
		                "...\n");
		return 2;
	}
	root = json_load_file(argv[1], 0, &err);
	if (!root) {
		fprintf(stderr, "ui-dump-query: %s:%d: %s\n", argv[1], err.line, err.text);
		return 2;
	}
	if (strcmp(argv[2], "top") == 0) {
		print(json_object_get(root, argv[3]));
		{
			rc = 0;
			goto out;
		}
	}
	layers = json_object_get(root, "layers");
	if (strcmp(argv[2], "frame") == 0) {
		print_frame(layers);
		rc = 0;
		goto out;
	}
	if (strcmp(argv[2], "fits") == 0) {
		json_t *screen = json_array_get(json_object_get(layers, "screen"), 0);
		int width =
		        (int)json_integer_value(json_array_get(json_object_get(root, "window"), 0));

		rc = screen && width > 0 ? count_unfit(screen, width) > 0 : 2;
		goto out;
	}
	if (strcmp(argv[2], "covered") == 0) {
		json_t *screen = json_array_get(json_object_get(layers, "screen"), 0);
		json_t *over = json_array_get(json_object_get(layers, argv[3]), 0);
		int frame[4], area[4];

		/* No such layer shown covers nothing. */
		rc = 0;
		if (screen && over && rect_of(screen, frame) && rect_of(over, area))
			rc = count_covered(screen, frame, area) > 0;
		goto out;
	}
	if (strcmp(argv[2], "screen") == 0) {
		node = json_array_get(json_object_get(layers, "screen"), 0);
		field = argv[3];
		if (!node) {
			fprintf(stderr, "ui-dump-query: no screen in %s\n", argv[1]);
			rc = 1;
			goto out;
		}
		goto print_field;
	}
	json_object_foreach(layers, key, layer)
	{
		size_t i;
		json_t *n;

		json_array_foreach(layer, i, n)
		{
			if (strcmp(argv[2], "get") == 0 && !node)
				node = find_id(n, argv[3]);
			else if (strcmp(argv[2], "visible") == 0 || strcmp(argv[2], "hidden") == 0)
				visible += count_visible(n, argv[3]);
			else if (strcmp(argv[2], "icon") == 0)
				print_icon(n, argv[3]);
		}
	}
	if (strcmp(argv[2], "icon") == 0) {
		rc = 0;
		goto out;
	}
	if (strcmp(argv[2], "visible") == 0) {
		rc = visible > 0 ? 0 : 1;
		goto out;
	}
	if (strcmp(argv[2], "hidden") == 0) {
		rc = visible == 0 ? 0 : 1;
		goto out;
	}
	if (strcmp(argv[2], "get") != 0 || argc != 5) {
		fprintf(stderr, "ui-dump-query: bad query\n");
		{
			rc = 2;
			goto out;
		}
	}
	if (!node) {
		fprintf(stderr, "ui-dump-query: no id %s in %s\n", argv[3], argv[1]);
		{
			rc = 1;
			goto out;
		}
	}
	field = argv[4];
print_field:
	if (strncmp(field, "state.", 6) == 0) {
		print(json_object_get(json_object_get(node, "state"), field + 6));
	} else if (strlen(field) == 1 && strchr("xywh", field[0])) {
		print(json_array_get(json_object_get(node, "rect"),
		                     strchr("xywh", field[0]) - "xywh"));
	} else {
		print(json_object_get(node, field));
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

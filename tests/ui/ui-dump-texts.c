/*
 * ui-dump-texts: prints every text a person could see in a widget-tree dump (written by
 * the script driver's `dump`): each visible widget's or item's text and a list row's
 * second line, one per line, line breaks inside a text turned into spaces. The Welsh
 * coverage check (tests/shell/welsh_check.sh) reads them.
 *   ui-dump-texts FILE...
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

static void
put(const char *text)
{
	if (!text || !text[0])
		return;
	for (const char *p = text; *p; p++)
		putchar(*p == '\n' ? ' ' : *p);
	putchar('\n');
}

static void
walk(json_t *node)
{
	json_t *kids, *k;
	size_t i;

	if (json_is_true(json_object_get(node, "visible"))) {
		put(json_string_value(json_object_get(node, "text")));
		put(json_string_value(json_object_get(json_object_get(node, "state"), "detail")));
	}
	kids = json_object_get(node, "children");
	json_array_foreach(kids, i, k) walk(k);
}

int
main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: ui-dump-texts FILE...\n");
		return 2;
	}
	for (int a = 1; a < argc; a++) {
		json_error_t err;
		json_t *root = json_load_file(argv[a], 0, &err), *layer, *n;
		const char *key;

		if (!root) {
			fprintf(stderr, "ui-dump-texts: %s:%d: %s\n", argv[a], err.line, err.text);
			rc = 1;
			continue;
		}
		json_object_foreach(json_object_get(root, "layers"), key, layer)
		{
			size_t i;

			json_array_foreach(layer, i, n) walk(n);
		}
		json_decref(root);
	}
	return rc;
}

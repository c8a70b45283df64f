/*
 * A record's text (see record.h): the scan that bounds it before anything is allocated for
 * it, then the JSON parser; and the canonical text written from what was parsed.
 * onward-parse runs the parser on a bundle's decrypted payload and sends the canonical
 * text; the daemon runs the parser on that text, so that not even a child that lies can
 * make it build a tree larger than a record can be.
 */
#include "record.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The scan before parsing. jansson builds the whole tree before anyone can count it, and a
 * tree costs many times its text (300,000 moves in 59 MB made 440 MB), so the text is
 * walked first, allocating nothing: its nesting, every list against its limit, and the
 * values in all. The scan follows JSON's structure strictly enough that whatever jansson
 * accepts it has counted; anything it cannot follow is refused here. Keys are taken as
 * written: the daemon never escapes one, so an escaped key (which could hide "moves" from
 * the lists' limits) is refused.
 */
struct scan_frame {
	bool object;
	size_t count; /* values in an array, members in an object */
	size_t max; /* an array's limit */
	char key[24]; /* an object's member being read; "" when long */
	char list[24]; /* an array's name, for the message: the member that holds it */
};

struct scan {
	const char *p;
	size_t len, i, values, depth;
	struct scan_frame stack[RECORD_DEPTH_MAX];
	char *err;
	size_t size;
};

static const struct {
	const char *key;
	size_t max;
	const char *what;
} scan_lists[] = {
        {"contacts", RECORD_CONTACTS_MAX, "contacts"},
        {"moves", RECORD_MOVES_MAX, "moves"},
        {"audit", RECORD_AUDIT_MAX, "audit rows"},
};

static int
scan_fail(struct scan *sc, const char *what)
{
	snprintf(sc->err, sc->size, "The bundle's record is not well formed: %s.", what);
	return -EBADMSG;
}

static void
scan_space(struct scan *sc)
{
	while (sc->i < sc->len && (sc->p[sc->i] == ' ' || sc->p[sc->i] == '\n' ||
	                           sc->p[sc->i] == '\r' || sc->p[sc->i] == '\t'))
		sc->i++;
}

/* Skips a string whose opening quote is at i; ret_escaped says whether it has a '\\'. */
static int
scan_string(struct scan *sc, size_t *ret_start, size_t *ret_len, bool *ret_escaped)
{
	size_t start = ++sc->i;
	bool escaped = false;

	for (;;) {
		const char *q = memchr(sc->p + sc->i, '"', sc->len - sc->i);
		size_t at, slashes = 0;

		if (!q)
			return scan_fail(sc, "a text ends too soon");
		at = (size_t)(q - sc->p);
		while (at - slashes > start && sc->p[at - slashes - 1] == '\\')
			slashes++;
		escaped = escaped || memchr(sc->p + sc->i, '\\', at - sc->i) != NULL;
		sc->i = at + 1;
		if (slashes % 2 == 0)
			break;
	}
	*ret_start = start;
	*ret_len = sc->i - 1 - start;
	*ret_escaped = escaped;
	return 0;
}

/* Counts one more value in the innermost list (or the whole), against its limit. */
static int
scan_count(struct scan *sc)
{
	struct scan_frame *f = sc->depth ? &sc->stack[sc->depth - 1] : NULL;

	if (++sc->values > RECORD_VALUES_MAX) {
		snprintf(sc->err, sc->size,
		         "The bundle's record holds more than %d values, more than any person's "
		         "record has, so it was refused and nothing was imported.",
		         RECORD_VALUES_MAX);
		return -EMSGSIZE;
	}
	if (f && !f->object && ++f->count > f->max) {
		snprintf(sc->err, sc->size,
		         "The bundle's record lists more than %zu %s, more than any person's "
		         "record holds, so it was refused and nothing was imported.",
		         f->max, f->list);
		return -EMSGSIZE;
	}
	return 0;
}

/* Opens an object or array at i, naming and bounding a list by the member holding it. */
static int
scan_open(struct scan *sc, bool object)
{
	struct scan_frame *parent = sc->depth ? &sc->stack[sc->depth - 1] : NULL, *f;

	if (sc->depth == RECORD_DEPTH_MAX)
		return scan_fail(sc, "it is nested too deeply");
	f = &sc->stack[sc->depth++];
	memset(f, 0, sizeof(*f));
	f->object = object;
	sc->i++;
	if (object)
		return 0;
	f->max = RECORD_LIST_MAX;
	snprintf(f->list, sizeof(f->list), "%s",
	         parent && parent->object && parent->key[0] ? parent->key : "items in one list");
	/* The record's own lists are the members of the outermost object. */
	for (size_t k = 0;
	     sc->depth == 2 && parent->object && k < sizeof(scan_lists) / sizeof(scan_lists[0]);
	     k++) {
		if (strcmp(parent->key, scan_lists[k].key) == 0) {
			f->max = scan_lists[k].max;
			snprintf(f->list, sizeof(f->list), "%s", scan_lists[k].what);
		}
	}
	return 0;
}

/* Reads one value at i: a scalar, or the opening of an object or array. */
static int
scan_value(struct scan *sc, bool *ret_opened)
{
	static const char number[] = "+-0123456789.eE";
	size_t start, n;
	bool escaped;
	int r = scan_count(sc);

	*ret_opened = false;
	if (r < 0)
		return r;
	if (sc->i >= sc->len)
		return scan_fail(sc, "it ends too soon");
	switch (sc->p[sc->i]) {
	case '{':
	case '[':
		*ret_opened = true;
		return scan_open(sc, sc->p[sc->i] == '{');
	case '"':
		return scan_string(sc, &start, &n, &escaped);
	case 't':
	case 'n':
		if (sc->len - sc->i < 4 || (memcmp(sc->p + sc->i, "true", 4) != 0 &&
		                            memcmp(sc->p + sc->i, "null", 4) != 0))
			return scan_fail(sc, "a value is not JSON");
		sc->i += 4;
		return 0;
	case 'f':
		if (sc->len - sc->i < 5 || memcmp(sc->p + sc->i, "false", 5) != 0)
			return scan_fail(sc, "a value is not JSON");
		sc->i += 5;
		return 0;
	default:
		start = sc->i;
		while (sc->i < sc->len && sc->p[sc->i] && strchr(number, sc->p[sc->i]))
			sc->i++;
		return sc->i > start ? 0 : scan_fail(sc, "a value is not JSON");
	}
}

/* Reads a member's key and its colon at i, in the innermost object. */
static int
scan_key(struct scan *sc)
{
	struct scan_frame *f = &sc->stack[sc->depth - 1];
	size_t start, n;
	bool escaped;
	int r;

	if (sc->i >= sc->len || sc->p[sc->i] != '"')
		return scan_fail(sc, "a member has no name");
	if ((r = scan_string(sc, &start, &n, &escaped)) < 0)
		return r;
	if (escaped)
		return scan_fail(sc, "a member's name is written with escapes");
	f->count++;
	if (n < sizeof(f->key)) {
		memcpy(f->key, sc->p + start, n);
		f->key[n] = '\0';
	} else {
		f->key[0] = '\0';
	}
	scan_space(sc);
	if (sc->i >= sc->len || sc->p[sc->i] != ':')
		return scan_fail(sc, "a member has no value");
	sc->i++;
	scan_space(sc);
	return 0;
}

int
record_scan(const char *p, size_t len, char *err, size_t size)
{
	struct scan sc = {.p = p, .len = len, .err = err, .size = size};
	bool opened;
	int r;

	scan_space(&sc);
	if ((r = scan_value(&sc, &opened)) < 0)
		return r;
	for (;;) {
		struct scan_frame *f;

		scan_space(&sc);
		if (sc.depth == 0)
			return sc.i == sc.len ? 0 : scan_fail(&sc, "something follows its end");
		f = &sc.stack[sc.depth - 1];
		if (sc.i >= sc.len)
			return scan_fail(&sc, "it ends too soon");
		if (sc.p[sc.i] == (f->object ? '}' : ']')) {
			/* The end of an object or array: empty, or after its last value. */
			sc.i++;
			sc.depth--;
			opened = false;
			continue;
		}
		if (!opened) {
			if (sc.p[sc.i] != ',')
				return scan_fail(&sc, "a comma is missing");
			sc.i++;
			scan_space(&sc);
		}
		if (f->object && (r = scan_key(&sc)) < 0)
			return r;
		if ((r = scan_value(&sc, &opened)) < 0)
			return r;
	}
}

/* The record's size, then the scan: what both the parser and the canonical text pass. */
static int
bound(const char *text, size_t len, char *err, size_t size)
{
	if (len > RECORD_PAYLOAD_MAX) {
		snprintf(err, size,
		         "The bundle's record is %.1f MB, more than any person's record can be "
		         "(%.0f MB), so it was refused and nothing was imported.",
		         (double)len / 1e6, (double)RECORD_PAYLOAD_MAX / 1e6);
		return -EMSGSIZE;
	}
	return record_scan(text, len, err, size);
}

int
record_parse(const void *payload, size_t len, json_t **ret, char *err, size_t size)
{
	json_error_t jerr;
	json_t *doc, *format;
	int r;

	if ((r = bound(payload, len, err, size)) < 0)
		return r;
	doc = json_loadb(payload, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(doc)) {
		json_decref(doc);
		snprintf(err, size,
		         "The bundle's record is not well formed: it is not a JSON object.");
		return -EBADMSG;
	}
	format = json_object_get(doc, "format");
	if (!json_is_integer(format) || json_integer_value(format) != RECORD_FORMAT) {
		snprintf(err, size,
		         "This bundle's record is in a format this version of Onward does not read "
		         "(format %lld; it reads format %d), so nothing was imported. The sender "
		         "and this establishment should run the same version.",
		         (long long)json_integer_value(format), RECORD_FORMAT);
		json_decref(doc);
		return -EBADMSG;
	}
	*ret = doc;
	return 0;
}

/*
 * The canonical text. A payload holds three kinds of JSON as text — the licence
 * conditions, the person's settings and each move's detail — which the daemon used to
 * parse itself; here each becomes its object, so the daemon parses no byte of a payload,
 * only this text, and only after the same scan has bounded it. Text that is not an object
 * of its size is left as it came: the daemon refuses it where it always has, so a
 * refusal's place and words do not change.
 */

/* obj[key] made into the object its text holds, when it holds one of at most max bytes. */
static void
text_to_object(json_t *obj, const char *key, size_t max)
{
	json_t *value = json_object_get(obj, key);
	const char *text = json_string_value(value);
	size_t len = text ? json_string_length(value) : 0;

	/* Measured before it is parsed: a field can be as long as the payload. */
	if (!text || len == 0 || len > max)
		return;
	value = json_loadb(text, len, 0, NULL); /* as the daemon parsed them before */
	if (json_is_object(value))
		json_object_set_new(obj, key, value);
	else
		json_decref(value);
}

int
record_canonical(json_t *doc, char **ret_text, size_t *ret_len, char *err, size_t size)
{
	json_t *move;
	char *text;
	size_t len, i;
	int r;

	text_to_object(doc, "licence", RECORD_LICENCE_TEXT_MAX);
	text_to_object(doc, "settings", RECORD_SETTINGS_TEXT_MAX);
	json_array_foreach(json_object_get(doc, "moves"), i, move)
	{
		if (json_is_object(move))
			text_to_object(move, "detail", RECORD_DETAIL_TEXT_MAX);
	}
	text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text) {
		snprintf(err, size, "There is not enough memory to read this bundle's record.");
		return -ENOMEM;
	}
	/* The objects' values now count, and reals are written at full precision: what the
	 * daemon is sent must pass the checks it runs, or a child that told the truth would
	 * look like one that lied. */
	len = strlen(text);
	if ((r = bound(text, len, err, size)) < 0) {
		free(text);
		return r;
	}
	*ret_text = text;
	*ret_len = len;
	return 0;
}

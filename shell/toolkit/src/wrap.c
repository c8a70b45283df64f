/*
 * Greedy line filling over libunibreak's break opportunities (see wrap.h). For each line
 * it tries the opportunities in order and keeps the last one whose text still fits;
 * mandatory breaks (newlines) end a line at once; a first word that does not fit on its
 * own is cut at the last cluster boundary that fits, found by binary search.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <linebreak.h>

#include "utf8.h"
#include "wrap.h"

struct line_buf {
	struct wrap_line *lines;
	size_t n;
	size_t cap;
};

static int
push_line(struct line_buf *b, size_t start, size_t len, int width)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		struct wrap_line *l = realloc(b->lines, cap * sizeof(*l));

		if (!l)
			return -ENOMEM;
		b->lines = l;
		b->cap = cap;
	}
	b->lines[b->n++] = (struct wrap_line){.start = start, .len = len, .width = width};
	return 0;
}

static bool
is_space_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The end of s[start..end) without trailing white space (ASCII, plus U+2028/U+2029 and
 * NEL, which libunibreak treats as mandatory breaks). */
static size_t
trim_end(const char *s, size_t start, size_t end)
{
	while (end > start) {
		if (is_space_byte(s[end - 1])) {
			end--;
			continue;
		}
		if (end - start >= 3 && (unsigned char)s[end - 3] == 0xE2 &&
		    (unsigned char)s[end - 2] == 0x80 &&
		    ((unsigned char)s[end - 1] == 0xA8 || (unsigned char)s[end - 1] == 0xA9)) {
			end -= 3;
			continue;
		}
		if (end - start >= 2 && (unsigned char)s[end - 2] == 0xC2 &&
		    (unsigned char)s[end - 1] == 0x85) {
			end -= 2;
			continue;
		}
		break;
	}
	return end;
}

/* The longest cluster-aligned prefix of s[start..end) that fits, at least one cluster. */
static size_t
cut_word(const char *s, size_t start, size_t end, int width, wrap_measure_fn measure, void *ctx,
         int *ret_w)
{
	size_t *bounds = NULL, n = 0, cap = 0, pos = start, lo, hi, best;
	size_t first = utf8_cluster_next(s, end, start);

	while (pos < end) {
		pos = utf8_cluster_next(s, end, pos);
		if (n == cap) {
			size_t c = cap ? cap * 2 : 32;
			size_t *b = realloc(bounds, c * sizeof(*b));

			if (!b)
				break; /* fall back to what is collected so far */
			bounds = b;
			cap = c;
		}
		bounds[n++] = pos;
	}
	if (n == 0) {
		free(bounds);
		*ret_w = measure(ctx, s + start, first - start);
		return first;
	}
	/* bounds[] is increasing; find the last index whose prefix fits. */
	lo = 0;
	hi = n;
	best = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (measure(ctx, s + start, bounds[mid] - start) <= width) {
			best = mid + 1;
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	pos = best == 0 ? bounds[0] : bounds[best - 1];
	free(bounds);
	*ret_w = measure(ctx, s + start, pos - start);
	return pos;
}

static pthread_once_t linebreak_once = PTHREAD_ONCE_INIT;

int
wrap_text(const char *text, size_t len, const char *lang, int width, wrap_measure_fn measure,
          void *ctx, struct wrap_line **ret_lines, size_t *ret_n)
{
	struct line_buf b = {0};
	char *brks = NULL;
	size_t pos = 0;
	int r;

	if (width < 1 || !measure || (!text && len))
		return -EINVAL;
	if (len > WRAP_MAX_BYTES)
		return -E2BIG;
	if (!utf8_valid(text, len))
		return -EINVAL;
	if (len == 0) {
		*ret_lines = NULL;
		*ret_n = 0;
		return 0;
	}
	brks = malloc(len);
	if (!brks)
		return -ENOMEM;
	pthread_once(&linebreak_once, init_linebreak);
	set_linebreaks_utf8((const utf8_t *)text, len, lang, brks);

	while (pos < len) {
		size_t best_end = 0, best_next = 0;
		int best_w = -1;
		bool done = false;

		for (size_t k = pos; k < len && !done; k++) {
			size_t cand, trimmed;
			int w;

			if (brks[k] != LINEBREAK_MUSTBREAK && brks[k] != LINEBREAK_ALLOWBREAK)
				continue;
			cand = k + 1;
			trimmed = trim_end(text, pos, cand);
			w = trimmed > pos ? measure(ctx, text + pos, trimmed - pos) : 0;
			if (w <= width) {
				best_end = trimmed;
				best_next = cand;
				best_w = w;
				if (brks[k] == LINEBREAK_MUSTBREAK)
					done = true;
				continue;
			}
			if (best_w < 0) {
				/* The first word alone is too wide: cut inside it. */
				best_end =
				        cut_word(text, pos, trimmed, width, measure, ctx, &best_w);
				best_next = best_end;
			}
			done = true;
		}
		if (best_w < 0) {
			/* Unreachable: libunibreak always ends the text with a break. */
			best_end = len;
			best_next = len;
			best_w = measure(ctx, text + pos, len - pos);
		}
		r = push_line(&b, pos, best_end - pos, best_w);
		if (r < 0)
			goto fail;
		pos = best_next;
	}
	free(brks);
	*ret_lines = b.lines;
	*ret_n = b.n;
	return 0;
fail:
	free(brks);
	free(b.lines);
	return r;
}

/*
 * The text-field buffer of textedit.h. Insertion walks the input cluster by cluster so
 * that the character limit counts what a person sees, and a combining mark typed after
 * a letter joins that letter instead of being refused at the limit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "textedit.h"
#include "utf8.h"

int
textedit_init(struct textedit *te, size_t max_chars, bool digits_only)
{
	*te = (struct textedit){0};
	te->buf = malloc(16);
	if (!te->buf)
		return -ENOMEM;
	te->buf[0] = '\0';
	te->cap = 16;
	te->max_chars = max_chars > TEXTEDIT_MAX_CHARS ? TEXTEDIT_MAX_CHARS : max_chars;
	te->digits_only = digits_only;
	return 0;
}

void
textedit_free(struct textedit *te)
{
	if (!te)
		return;
	free(te->buf);
	*te = (struct textedit){0};
}

static int
reserve(struct textedit *te, size_t extra)
{
	size_t need = te->len + extra + 1, cap = te->cap;
	char *b;

	if (need <= cap)
		return 0;
	while (cap < need)
		cap *= 2;
	b = realloc(te->buf, cap);
	if (!b)
		return -ENOMEM;
	te->buf = b;
	te->cap = cap;
	return 0;
}

static bool
accepted(const struct textedit *te, uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFD)
		return false;
	if (te->digits_only)
		return cp >= '0' && cp <= '9';
	if (te->code)
		return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= 'a' && cp <= 'z');
	return true;
}

int
textedit_insert(struct textedit *te, const char *s)
{
	size_t slen = strlen(s), pos = 0, chars = textedit_chars(te);
	int r;

	if (!utf8_valid(s, slen))
		return -EINVAL;
	r = reserve(te, slen);
	if (r < 0)
		return r;
	while (pos < slen) {
		size_t at = pos, n;
		uint32_t cp = utf8_next(s, slen, &at);

		n = at - pos;
		if (!accepted(te, cp)) {
			pos = at;
			continue;
		}
		/* An extending code point joins the cluster before the cursor. */
		if (!(utf8_is_extend(cp) && te->cursor > 0)) {
			if (chars >= te->max_chars)
				return -ENOSPC;
			chars++;
		}
		memmove(te->buf + te->cursor + n, te->buf + te->cursor, te->len - te->cursor + 1);
		memcpy(te->buf + te->cursor, s + pos, n);
		if (te->code && cp >= 'a' && cp <= 'z')
			te->buf[te->cursor] = (char)(cp - 'a' + 'A');
		te->cursor += n;
		te->len += n;
		pos = at;
	}
	return 0;
}

void
textedit_clear(struct textedit *te)
{
	te->len = 0;
	te->cursor = 0;
	te->buf[0] = '\0';
}

int
textedit_set(struct textedit *te, const char *s)
{
	if (!utf8_valid(s, strlen(s)))
		return -EINVAL;
	textedit_clear(te);
	return textedit_insert(te, s);
}

bool
textedit_backspace(struct textedit *te)
{
	size_t prev;

	if (te->cursor == 0)
		return false;
	prev = utf8_cluster_prev(te->buf, te->len, te->cursor);
	memmove(te->buf + prev, te->buf + te->cursor, te->len - te->cursor + 1);
	te->len -= te->cursor - prev;
	te->cursor = prev;
	return true;
}

bool
textedit_delete(struct textedit *te)
{
	size_t next;

	if (te->cursor >= te->len)
		return false;
	next = utf8_cluster_next(te->buf, te->len, te->cursor);
	memmove(te->buf + te->cursor, te->buf + next, te->len - next + 1);
	te->len -= next - te->cursor;
	return true;
}

bool
textedit_left(struct textedit *te)
{
	if (te->cursor == 0)
		return false;
	te->cursor = utf8_cluster_prev(te->buf, te->len, te->cursor);
	return true;
}

bool
textedit_right(struct textedit *te)
{
	if (te->cursor >= te->len)
		return false;
	te->cursor = utf8_cluster_next(te->buf, te->len, te->cursor);
	return true;
}

void
textedit_home(struct textedit *te)
{
	te->cursor = 0;
}

void
textedit_end(struct textedit *te)
{
	te->cursor = te->len;
}

size_t
textedit_chars(const struct textedit *te)
{
	return utf8_cluster_count(te->buf, te->len);
}

void
textedit_set_max(struct textedit *te, size_t max_chars)
{
	size_t pos = 0, n = 0;

	te->max_chars = max_chars > TEXTEDIT_MAX_CHARS ? TEXTEDIT_MAX_CHARS : max_chars;
	while (pos < te->len && n < te->max_chars) {
		pos = utf8_cluster_next(te->buf, te->len, pos);
		n++;
	}
	te->len = pos;
	te->buf[pos] = '\0';
	if (te->cursor > pos)
		te->cursor = pos;
}

/*
 * page.c: a page's Markdown, parsed with md4c (CommonMark, raw HTML off) into the flat list
 * of blocks and styled spans that the learning app draws. Text is collected in one arena
 * and spans refer to it by offset until the page is finished, when offsets become pointers.
 * Images are hoisted into blocks of their own, their paths resolved against the page's
 * folder to pack file names. Rendering doubles as the verifier's page check: a page that
 * renders is valid UTF-8 Markdown with well-formed image references.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <md4c.h>

#include "pack_int.h"
#include "text.h"

#define LIST_DEPTH_MAX 16
#define NONE SIZE_MAX
#define STYLE_BREAK 0x80000000u /* a hard line break: never merged; dropped when finished */

struct bspan {
	size_t off, len;
	unsigned style;
};

struct bblock {
	enum pack_block_kind kind;
	unsigned level, quote, number;
	bool ordered;
	size_t first_span, span_count;
	size_t image_off, alt_off; /* arena offsets, or NONE */
};

struct pack_page {
	struct pack_block *blocks; /* owned; filled in by page_finish() */
	struct pack_span *spans; /* owned; filled in by page_finish() */
	size_t block_count;
	char *text; /* owned arena */
};

struct render {
	const char *page_name;
	const char *doc; /* borrowed: the Markdown being parsed */
	size_t doc_len;
	struct bblock *blocks;
	size_t nblocks, cap_blocks;
	struct bspan *spans;
	size_t nspans, cap_spans;
	char *text;
	size_t tlen, tcap;
	bool open; /* the last block takes text */
	unsigned em, strong, code, link, quote;
	unsigned list_depth;
	struct {
		bool ordered;
		unsigned next;
	} lists[LIST_DEPTH_MAX];
	unsigned image_depth; /* >0 inside ![alt](...): text goes to the alt */
	size_t image_off, alt_off;
	int error;
	char message[PACK_ERROR_MAX];
};

static int
grow(void **array, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*array, n * size);
	if (!p)
		return -ENOMEM;
	*array = p;
	*cap = n;
	return 0;
}

static int
fail(struct render *r, int code, const char *msg)
{
	r->error = code;
	snprintf(r->message, sizeof(r->message), "%s", msg);
	return 1; /* non-zero stops md4c */
}

static int
arena_add(struct render *r, const char *s, size_t len, size_t *ret_off)
{
	/* Nothing a page renders to is longer than the page itself, plus image names. */
	if (len > r->doc_len + 1024 || r->tlen + len > 2 * r->doc_len + 1024)
		return fail(r, -EBADMSG, "Markdown cannot be parsed");
	if (grow((void **)&r->text, &r->tcap, r->tlen + len + 1, 1) < 0)
		return fail(r, -ENOMEM, "out of memory");
	if (len)
		memcpy(r->text + r->tlen, s, len);
	*ret_off = r->tlen;
	r->tlen += len;
	r->text[r->tlen] = '\0';
	return 0;
}

static int
block_open(struct render *r, enum pack_block_kind kind, unsigned level)
{
	struct bblock *b;

	if (grow((void **)&r->blocks, &r->cap_blocks, r->nblocks + 1, sizeof(*r->blocks)) < 0)
		return fail(r, -ENOMEM, "out of memory");
	b = &r->blocks[r->nblocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->level = level;
	b->quote = r->quote;
	b->first_span = r->nspans;
	b->image_off = b->alt_off = NONE;
	r->open = kind != PACK_BLOCK_RULE && kind != PACK_BLOCK_IMAGE;
	return 0;
}

static unsigned
span_style(const struct render *r)
{
	return (r->em ? PACK_SPAN_EMPHASIS : 0) | (r->strong ? PACK_SPAN_STRONG : 0) |
	       (r->code ? PACK_SPAN_CODE : 0) | (r->link ? PACK_SPAN_LINK : 0);
}

static int
text_add(struct render *r, const char *s, size_t len, unsigned style)
{
	struct bblock *b;
	struct bspan *last;
	size_t off;

	if (r->image_depth > 0) {
		if (arena_add(r, s, len, &off))
			return 1;
		if (r->alt_off == NONE)
			r->alt_off = off;
		return 0;
	}
	if (!r->open && block_open(r, PACK_BLOCK_PARAGRAPH, r->list_depth))
		return 1;
	b = &r->blocks[r->nblocks - 1];
	if (arena_add(r, s, len, &off))
		return 1;
	last = b->span_count ? &r->spans[r->nspans - 1] : NULL;
	if (last && last->style == style && !(style & STYLE_BREAK) &&
	    last->off + last->len == off) {
		last->len += len;
		return 0;
	}
	if (grow((void **)&r->spans, &r->cap_spans, r->nspans + 1, sizeof(*r->spans)) < 0)
		return fail(r, -ENOMEM, "out of memory");
	r->spans[r->nspans++] = (struct bspan){off, len, style};
	b->span_count++;
	return 0;
}

static int
on_enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct render *r = userdata;

	switch (type) {
	case MD_BLOCK_QUOTE:
		r->quote++;
		r->open = false;
		return 0;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		if (r->list_depth >= LIST_DEPTH_MAX)
			return fail(r, -EBADMSG, "lists are nested too deeply");
		r->lists[r->list_depth].ordered = type == MD_BLOCK_OL;
		r->lists[r->list_depth].next =
		        type == MD_BLOCK_OL ? ((MD_BLOCK_OL_DETAIL *)detail)->start : 0;
		r->list_depth++;
		r->open = false;
		return 0;
	case MD_BLOCK_LI: {
		struct bblock *b;

		if (r->list_depth == 0 || block_open(r, PACK_BLOCK_LIST_ITEM, r->list_depth))
			return r->list_depth == 0 ? fail(r, -EBADMSG, "list item outside a list")
			                          : 1;
		b = &r->blocks[r->nblocks - 1];
		b->ordered = r->lists[r->list_depth - 1].ordered;
		b->number = b->ordered ? r->lists[r->list_depth - 1].next++ : 0;
		return 0;
	}
	case MD_BLOCK_P:
		/* A loose list item's first paragraph is the item itself. */
		if (r->open && r->nblocks &&
		    r->blocks[r->nblocks - 1].kind == PACK_BLOCK_LIST_ITEM &&
		    r->blocks[r->nblocks - 1].span_count == 0)
			return 0;
		return block_open(r, PACK_BLOCK_PARAGRAPH, r->list_depth);
	case MD_BLOCK_H:
		return block_open(r, PACK_BLOCK_HEADING, ((MD_BLOCK_H_DETAIL *)detail)->level);
	case MD_BLOCK_CODE:
		return block_open(r, PACK_BLOCK_CODE, 0);
	case MD_BLOCK_HR:
		return block_open(r, PACK_BLOCK_RULE, 0);
	default:
		return 0; /* the document, HTML blocks (off), tables (off) */
	}
}

static int
on_leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct render *r = userdata;

	if (type == MD_BLOCK_QUOTE)
		r->quote--;
	else if (type == MD_BLOCK_UL || type == MD_BLOCK_OL)
		r->list_depth--;
	r->open = false;
	return 0;
}

static int
image_enter(struct render *r, const MD_SPAN_IMG_DETAIL *img)
{
	char src[512], name[512];
	struct pack_limits limits;
	enum pack_file_type type;
	size_t off;

	for (unsigned i = 0; img->src.substr_offsets[i] < img->src.size; i++) {
		if (img->src.substr_types[i] != MD_TEXT_NORMAL)
			return fail(r, -EBADMSG, "an image path must be plain text");
	}
	if (img->src.size == 0)
		return fail(r, -EBADMSG, "an image has no path");
	if (img->src.size >= sizeof(src))
		return fail(r, -EBADMSG, "an image path is too long");
	memcpy(src, img->src.text, img->src.size);
	src[img->src.size] = '\0';
	pack_limits_init(&limits);
	if (pack__name_resolve(r->page_name, src, name, sizeof(name)) < 0 ||
	    pack__name_check(name, strlen(name), &limits, &type, NULL) < 0 ||
	    type != PACK_FILE_PNG) {
		char msg[PACK_ERROR_MAX];

		snprintf(msg, sizeof(msg),
		         "image \"%.100s\" must be a relative path to a .png file", src);
		return fail(r, -EBADMSG, msg);
	}
	if (arena_add(r, name, strlen(name), &off))
		return 1;
	r->image_off = off;
	r->tlen++; /* keeps the NUL that ends the name; the alt text follows */
	r->alt_off = NONE;
	return 0;
}

static int
image_leave(struct render *r)
{
	size_t off;

	if (r->alt_off == NONE)
		r->alt_off = r->tlen;
	if (arena_add(r, "", 0, &off))
		return 1;
	r->tlen++; /* keeps the NUL that ends the alt text */
	if (block_open(r, PACK_BLOCK_IMAGE, 0))
		return 1;
	r->blocks[r->nblocks - 1].image_off = r->image_off;
	r->blocks[r->nblocks - 1].alt_off = r->alt_off;
	/* Text after the image goes on in a new paragraph. */
	r->open = false;
	return 0;
}

static int
on_enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct render *r = userdata;

	if (type == MD_SPAN_IMG) {
		if (r->image_depth++ > 0)
			return 0; /* an image inside an image's alt text: keep its text only */
		return image_enter(r, detail);
	}
	if (type == MD_SPAN_EM)
		r->em++;
	else if (type == MD_SPAN_STRONG)
		r->strong++;
	else if (type == MD_SPAN_CODE)
		r->code++;
	else if (type == MD_SPAN_A)
		r->link++;
	return 0;
}

static int
on_leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct render *r = userdata;

	if (type == MD_SPAN_IMG)
		return --r->image_depth == 0 ? image_leave(r) : 0;
	if (type == MD_SPAN_EM)
		r->em--;
	else if (type == MD_SPAN_STRONG)
		r->strong--;
	else if (type == MD_SPAN_CODE)
		r->code--;
	else if (type == MD_SPAN_A)
		r->link--;
	return 0;
}

/* Writes code point cp as UTF-8; returns the length, 0 if it is not a valid scalar value. */
static size_t
utf8_put(uint32_t cp, char out[4])
{
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Numeric and the commonest named entities; any other is shown as written. */
static int
entity_add(struct render *r, const char *s, size_t len, unsigned style)
{
	static const struct {
		const char *name, *text;
	} named[] = {{"&amp;", "&"},
	             {"&lt;", "<"},
	             {"&gt;", ">"},
	             {"&quot;", "\""},
	             {"&apos;", "'"},
	             {"&nbsp;", " "},
	             {"&pound;", "\xc2\xa3"},
	             {"&euro;", "\xe2\x82\xac"},
	             {"&ndash;", "\xe2\x80\x93"},
	             {"&mdash;", "\xe2\x80\x94"}};
	char out[4];
	size_t n;

	if (len >= 4 && s[1] == '#') {
		uint32_t cp = 0;
		bool hex = s[2] == 'x' || s[2] == 'X';

		for (size_t i = hex ? 3 : 2; i + 1 < len && cp <= 0x10ffff; i++) {
			char c = s[i];
			unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			             : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			             : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
			                                    : 99;

			if (d >= (hex ? 16u : 10u))
				break;
			cp = cp * (hex ? 16 : 10) + d;
		}
		n = utf8_put(cp, out);
		return n ? text_add(r, out, n, style) : text_add(r, "\xef\xbf\xbd", 3, style);
	}
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if (strlen(named[i].name) == len && memcmp(named[i].name, s, len) == 0)
			return text_add(r, named[i].text, strlen(named[i].text), style);
	}
	return text_add(r, s, len, style);
}

static int
on_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE len, void *userdata)
{
	struct render *r = userdata;
	unsigned style = span_style(r);

	/* md4c gives pieces of the page, or one-character strings of its own; anything else
	 * would be a parser bug, which must not become our bug. */
	if (len > 1 &&
	    (s < r->doc || len > r->doc_len || s - r->doc > (ptrdiff_t)(r->doc_len - len)))
		return fail(r, -EBADMSG, "Markdown cannot be parsed");

	switch (type) {
	case MD_TEXT_NULLCHAR:
		return fail(r, -EBADMSG, "contains a NUL byte");
	case MD_TEXT_BR:
		return r->image_depth ? text_add(r, " ", 1, style)
		                      : text_add(r, "\n", 1, STYLE_BREAK);
	case MD_TEXT_SOFTBR:
		return text_add(r, " ", 1, style);
	case MD_TEXT_ENTITY:
		return entity_add(r, s, len, style);
	default:
		return text_add(r, s, len, style);
	}
}

static struct pack_page *
page_finish(struct render *r)
{
	struct pack_page *page = calloc(1, sizeof(*page));

	if (!page)
		return NULL;
	page->blocks = calloc(r->nblocks ? r->nblocks : 1, sizeof(*page->blocks));
	page->spans = calloc(r->nspans ? r->nspans : 1, sizeof(*page->spans));
	if (!page->blocks || !page->spans) {
		pack_page_free(page);
		return NULL;
	}
	page->text = r->text;
	r->text = NULL;
	for (size_t i = 0; i < r->nspans; i++)
		page->spans[i] = (struct pack_span){page->text + r->spans[i].off, r->spans[i].len,
		                                    r->spans[i].style & ~STYLE_BREAK};
	for (size_t i = 0; i < r->nblocks; i++) {
		const struct bblock *b = &r->blocks[i];

		page->blocks[i] = (struct pack_block){
		        .kind = b->kind,
		        .level = b->level,
		        .quote = b->quote,
		        .ordered = b->ordered,
		        .number = b->number,
		        .image = b->image_off == NONE ? NULL : page->text + b->image_off,
		        .alt = b->alt_off == NONE ? NULL : page->text + b->alt_off,
		        .spans = b->span_count ? &page->spans[b->first_span] : NULL,
		        .span_count = b->span_count,
		};
	}
	page->block_count = r->nblocks;
	return page;
}

int
pack_page_render(const char *page_name, const void *markdown, size_t len,
                 struct pack_page **ret_page, struct pack_error *err)
{
	const MD_PARSER parser = {
	        .abi_version = 0,
	        .flags = MD_FLAG_NOHTML,
	        .enter_block = on_enter_block,
	        .leave_block = on_leave_block,
	        .enter_span = on_enter_span,
	        .leave_span = on_leave_span,
	        .text = on_text,
	};
	const char *name = page_name ? page_name : "page";
	struct render r = {.page_name = page_name, .doc = markdown, .doc_len = len};
	struct pack_page *page;
	int rc;

	if (len > UINT32_MAX / 2)
		return pack__err(err, -EFBIG, "%s: page is too large", name);
	if (memchr(markdown, '\0', len))
		return pack__err(err, -EBADMSG, "%s: page contains a NUL byte", name);
	if (!text_utf8_valid(markdown, len))
		return pack__err(err, -EBADMSG, "%s: page is not valid UTF-8 text", name);
	rc = md_parse(markdown, (MD_SIZE)len, &parser, &r);
	if (rc != 0 || r.error) {
		rc = r.error ? pack__err(err, r.error, "%s: %s", name, r.message)
		             : pack__err(err, -EBADMSG, "%s: Markdown cannot be parsed", name);
		goto out;
	}
	page = page_finish(&r);
	if (!page) {
		rc = pack__err(err, -ENOMEM, "out of memory");
		goto out;
	}
	*ret_page = page;
	rc = 0;
out:
	free(r.blocks);
	free(r.spans);
	free(r.text);
	return rc;
}

size_t
pack_page_block_count(const struct pack_page *page)
{
	return page->block_count;
}

const struct pack_block *
pack_page_block(const struct pack_page *page, size_t i)
{
	return i < page->block_count ? &page->blocks[i] : NULL;
}

void
pack_page_free(struct pack_page *page)
{
	if (!page)
		return;
	free(page->blocks);
	free(page->spans);
	free(page->text);
	free(page);
}

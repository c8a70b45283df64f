/*
 * packs.c: the course pack kinds. Every one works on a descriptor the daemon opened:
 *
 *   pack.verify  {"root": hex, "at": seconds}; the daemon's private copy of a pack being
 *                installed. Verifies all of it (pack_open_fd: the envelope's signature
 *                before the zip is opened), sending PROGRESS as it goes, and replies with
 *                the manifest in its canonical JSON ("manifest", a string the daemon
 *                parses again itself) and the certificate's provider and dates.
 *   pack.page    {"pack": hex, "file": {"name", "size", "sha256"}}; an installed pack.
 *                The page, checked against the size and SHA-256 the daemon kept from the
 *                verified manifest, rendered to the blocks the learning app draws.
 *   pack.image   the same with "offset" and "length": the image's size in pixels and
 *                that slice of its bytes, raw after the JSON.
 *   pack.quiz    the same for a quiz: its title, pass mark and questions, never answers.
 *   pack.mark    the same with "answers" (question id: option number, text or null):
 *                each answer marked, or the one problem that stops marking.
 *
 * Installed packs stay open here, a few at a time, by the SHA-256 of the whole file that
 * the daemon recorded when it installed it ("pack"), so a learner turning pages costs a
 * zip lookup, not a new open. What the child returns is only ever what a verified file
 * says; the daemon checks the shape of every reply before it uses it.
 */
#include "parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "pack_content.h"

#define OPEN_PACKS 4
#define IMAGE_CHUNK_MAX (768u * 1024u) /* raw bytes per image reply */

/* ---- installed packs, kept open ---- */

struct open_pack {
	char key[65]; /* the whole file's SHA-256, as the daemon recorded it */
	int fd; /* owned while pack is set */
	struct pack *pack; /* owned; reads through fd; NULL for an empty slot */
	uint64_t used;
};

static struct open_pack open_packs[OPEN_PACKS];
static uint64_t tick;

static void
open_pack_clear(struct open_pack *op)
{
	if (op->pack) {
		pack_free(op->pack);
		close(op->fd);
	}
	memset(op, 0, sizeof(*op));
}

/* The installed pack the call names, taking the call's descriptor if it is not open yet. */
static struct pack *
installed_pack(struct parse_call *call)
{
	const char *key = json_string_value(json_object_get(call->params, "pack"));
	struct open_pack *slot = NULL;
	struct pack_error err = {0};
	struct pack *pack;

	if (!key || strlen(key) != 64) {
		parse_fail(call, -EINVAL, "no pack digest in the request");
		return NULL;
	}
	for (size_t i = 0; i < OPEN_PACKS; i++) {
		if (open_packs[i].pack && strcmp(open_packs[i].key, key) == 0) {
			open_packs[i].used = ++tick;
			return open_packs[i].pack;
		}
		if (!slot || !open_packs[i].pack || (slot->pack && open_packs[i].used < slot->used))
			slot = &open_packs[i];
	}
	if (pack_open_installed(call->fd, NULL, &pack, &err) < 0) {
		parse_fail(call, err.code, "%s", err.message);
		return NULL;
	}
	open_pack_clear(slot);
	memcpy(slot->key, key, 65);
	slot->fd = call->fd;
	slot->pack = pack;
	slot->used = ++tick;
	call->fd = -1; /* kept */
	return pack;
}

/* Reads the file the call names from its installed pack; NULL after answering. */
static void *
read_named(struct parse_call *call, const char **ret_name, size_t *ret_len)
{
	json_t *file = json_object_get(call->params, "file");
	const char *name = json_string_value(json_object_get(file, "name"));
	const char *hex = json_string_value(json_object_get(file, "sha256"));
	json_t *size = json_object_get(file, "size");
	struct pack_error err = {0};
	uint8_t sha256[32];
	struct pack *pack;
	void *data;

	if (!name || !hex || !json_is_integer(size) || json_integer_value(size) < 0 ||
	    crypto_hex_decode(hex, sha256, sizeof(sha256)) < 0) {
		parse_fail(call, -EINVAL, "the request names no file");
		return NULL;
	}
	parse_test_fault(name);
	if (parse_test_lie(call, name))
		return NULL;
	pack = installed_pack(call);
	if (!pack)
		return NULL;
	if (pack_read_checked(pack, name, (uint64_t)json_integer_value(size), sha256, &data,
	                      ret_len, &err) < 0) {
		parse_fail(call, err.code, "%s", err.message);
		return NULL;
	}
	*ret_name = name;
	return data;
}

/* ---- pack.verify ---- */

struct verify_progress {
	struct parse_call *call;
	unsigned percent; /* last sent */
};

/* Sends progress each time another whole percent is done. */
static void
on_progress(void *userdata, uint64_t done, uint64_t total)
{
	struct verify_progress *vp = userdata;
	unsigned percent = total ? (unsigned)(done * 100 / total) : 0;

	if (percent > vp->percent) {
		vp->percent = percent;
		parse_progress(vp->call, done, total);
	}
}

static void
handle_verify(struct parse_call *call)
{
	const char *root_hex = json_string_value(json_object_get(call->params, "root"));
	json_t *at = json_object_get(call->params, "at");
	struct verify_progress vp = {call, 0};
	struct pack_error err = {0};
	struct pack_key *root = NULL;
	struct pack *pack = NULL;
	const struct pack_cert *cert;
	uint8_t raw[32];
	char *manifest = NULL;
	size_t len;

	if (!root_hex || !json_is_integer(at) ||
	    crypto_hex_decode(root_hex, raw, sizeof(raw)) < 0 ||
	    pack_key_from_raw_public(raw, &root, &err) < 0) {
		parse_fail(call, -EINVAL, "no content root or time in the request");
		return;
	}
	if (pack_open_fd(call->fd, root, json_integer_value(at), NULL, on_progress, &vp, &pack,
	                 &err) < 0 ||
	    pack_manifest_to_json(pack_get_manifest(pack), &manifest, &len, &err) < 0) {
		parse_fail(call, err.code, "%s", err.message);
		goto out;
	}
	parse_test_fault(pack_manifest_id(pack_get_manifest(pack)));
	cert = pack_get_cert(pack);
	parse_reply(call,
	            json_pack("{s:s, s:{s:s, s:s, s:I, s:I, s:s}}", "manifest", manifest,
	                      "certificate", "provider_id", pack_cert_provider_id(cert),
	                      "provider_name", pack_cert_provider_name(cert), "not_before",
	                      (json_int_t)pack_cert_not_before(cert), "not_after",
	                      (json_int_t)pack_cert_not_after(cert), "issuer_key_id",
	                      pack_cert_issuer_key_id(cert)),
	            NULL, 0);
out:
	free(manifest);
	pack_free(pack);
	pack_key_free(root);
}

/* ---- pack.page ---- */

static const char *
block_kind_name(enum pack_block_kind kind)
{
	switch (kind) {
	case PACK_BLOCK_HEADING:
		return "heading";
	case PACK_BLOCK_PARAGRAPH:
		return "paragraph";
	case PACK_BLOCK_LIST_ITEM:
		return "item";
	case PACK_BLOCK_IMAGE:
		return "image";
	case PACK_BLOCK_CODE:
		return "code";
	case PACK_BLOCK_RULE:
		return "rule";
	}
	return "paragraph";
}

static json_t *
render_spans(const struct pack_block *b)
{
	static const struct {
		unsigned bit;
		const char *name;
	} styles[] = {{PACK_SPAN_EMPHASIS, "emphasis"},
	              {PACK_SPAN_STRONG, "strong"},
	              {PACK_SPAN_CODE, "code"},
	              {PACK_SPAN_LINK, "link"}};
	json_t *spans = json_array();

	for (size_t k = 0; spans && k < b->span_count; k++) {
		const struct pack_span *sp = &b->spans[k];
		json_t *list = json_array(), *span;

		for (size_t i = 0; i < sizeof(styles) / sizeof(styles[0]); i++)
			if (sp->style & styles[i].bit)
				json_array_append_new(list, json_string(styles[i].name));
		/* json_pack fails on a NULL list, and then the span is missing: no reply. */
		span = json_pack("{s:s%, s:o}", "text", sp->text, sp->len, "styles", list);
		if (json_array_append_new(spans, span) < 0) {
			json_decref(spans);
			spans = NULL;
		}
	}
	return spans;
}

/* A rendered page as the blocks the learning app draws; NULL when out of memory. */
static json_t *
render_blocks(const struct pack_page *page)
{
	json_t *blocks = json_array();

	for (size_t i = 0; blocks && i < pack_page_block_count(page); i++) {
		const struct pack_block *b = pack_page_block(page, i);
		json_t *spans, *block;

		/* A paragraph that held only an image is left empty when the image is lifted. */
		if (b->kind == PACK_BLOCK_PARAGRAPH && b->span_count == 0)
			continue;
		spans = render_spans(b);
		block = spans ? json_pack("{s:s, s:I, s:I, s:b, s:I, s:o}", "kind",
		                          block_kind_name(b->kind), "level", (json_int_t)b->level,
		                          "quote", (json_int_t)b->quote, "ordered", b->ordered,
		                          "number", (json_int_t)b->number, "spans", spans)
		              : NULL;
		if (block && b->kind == PACK_BLOCK_IMAGE &&
		    json_object_set_new(block, "image",
		                        json_pack("{s:s, s:s}", "name", b->image ? b->image : "",
		                                  "alt", b->alt ? b->alt : "")) < 0) {
			json_decref(block);
			block = NULL;
		}
		if (json_array_append_new(blocks, block) < 0) {
			json_decref(blocks);
			blocks = NULL;
		}
	}
	return blocks;
}

static void
handle_page(struct parse_call *call)
{
	struct pack_error err = {0};
	struct pack_page *page = NULL;
	const char *name;
	size_t len;
	void *data = read_named(call, &name, &len);

	if (!data)
		return;
	if (pack_page_render(name, data, len, &page, &err) < 0)
		parse_fail(call, err.code, "%s", err.message);
	else
		parse_reply(call, json_pack("{s:o}", "blocks", render_blocks(page)), NULL, 0);
	pack_page_free(page);
	free(data);
}

/* ---- pack.image ---- */

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
handle_image(struct parse_call *call)
{
	static const uint8_t png_head[16] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
	                                     0,    0,   0,   13,  'I',  'H',  'D',  'R'};
	json_t *offset = json_object_get(call->params, "offset");
	json_t *length = json_object_get(call->params, "length");
	const char *name;
	uint8_t *data;
	size_t len, chunk;

	if (!json_is_integer(offset) || json_integer_value(offset) < 0 ||
	    !json_is_integer(length) || json_integer_value(length) < 1 ||
	    json_integer_value(length) > IMAGE_CHUNK_MAX) {
		parse_fail(call, -EINVAL, "no offset or length in the request");
		return;
	}
	data = read_named(call, &name, &len);
	if (!data)
		return;
	/* The install checked the whole PNG; its header says how large to draw it. */
	if (len < 24 || memcmp(data, png_head, sizeof(png_head)) != 0) {
		parse_fail(call, -EBADMSG, "%s: not a PNG image", name);
	} else if ((uint64_t)json_integer_value(offset) >= len) {
		parse_fail(call, -ERANGE, "%s: the offset is past the end of the image", name);
	} else {
		size_t from = (size_t)json_integer_value(offset);

		chunk = len - from < (size_t)json_integer_value(length)
		                ? len - from
		                : (size_t)json_integer_value(length);
		parse_reply(call,
		            json_pack("{s:I, s:I, s:I, s:I, s:I}", "width",
		                      (json_int_t)be32(data + 16), "height",
		                      (json_int_t)be32(data + 20), "size", (json_int_t)len,
		                      "offset", (json_int_t)from, "length", (json_int_t)chunk),
		            data + from, chunk);
	}
	free(data);
}

/* ---- pack.quiz and pack.mark ---- */

static struct pack_quiz *
read_quiz(struct parse_call *call)
{
	struct pack_error err = {0};
	struct pack_quiz *quiz = NULL;
	const char *name;
	size_t len;
	void *data = read_named(call, &name, &len);

	if (!data)
		return NULL;
	if (pack_quiz_parse(data, len, &quiz, &err) < 0)
		parse_fail(call, err.code, "%s: %s", name, err.message);
	free(data);
	return quiz;
}

static void
handle_quiz(struct parse_call *call)
{
	struct pack_quiz *quiz = read_quiz(call);
	json_t *questions;

	if (!quiz)
		return;
	questions = json_array();
	for (size_t i = 0; questions && i < pack_quiz_question_count(quiz); i++) {
		bool choice = pack_quiz_question_kind(quiz, i) == PACK_QUESTION_CHOICE;
		json_t *q = json_pack("{s:s, s:s, s:s}", "id", pack_quiz_question_id(quiz, i),
		                      "type", choice ? "choice" : "short", "prompt",
		                      pack_quiz_question_prompt(quiz, i));

		if (q && choice) {
			json_t *options = json_array();

			for (size_t k = 0; k < pack_quiz_option_count(quiz, i); k++)
				json_array_append_new(options,
				                      json_string(pack_quiz_option(quiz, i, k)));
			json_object_set_new(q, "options", options);
		}
		if (json_array_append_new(questions, q) < 0) {
			json_decref(questions);
			questions = NULL;
		}
	}
	/* Out of memory anywhere above leaves something short: the daemon's check of the
	 * reply's shape refuses it. A NULL list makes json_pack fail: an ERROR goes back. */
	parse_reply(call,
	            json_pack("{s:s, s:i, s:o}", "title", pack_quiz_title(quiz), "pass_percent",
	                      (int)pack_quiz_pass_percent(quiz), "questions", questions),
	            NULL, 0);
	pack_quiz_free(quiz);
}

/* The answers object as pack answers, one per question, or the problem in one word. */
static const char *
collect_answers(const struct pack_quiz *quiz, json_t *answers, struct pack_answer *ret)
{
	size_t n = pack_quiz_question_count(quiz);
	const char *key;
	json_t *value;

	if (!json_is_object(answers))
		return "not_answers";
	json_object_foreach(answers, key, value)
	{
		size_t i = 0;

		while (i < n && strcmp(pack_quiz_question_id(quiz, i), key) != 0)
			i++;
		if (i == n)
			return "unknown_question";
	}
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_object_get(answers, pack_quiz_question_id(quiz, i));

		ret[i] = (struct pack_answer){.choice = -1, .text = NULL};
		if (!a || json_is_null(a))
			continue;
		if (pack_quiz_question_kind(quiz, i) == PACK_QUESTION_CHOICE) {
			if (!json_is_integer(a) || json_integer_value(a) < 0 ||
			    (size_t)json_integer_value(a) >= pack_quiz_option_count(quiz, i))
				return "not_an_option";
			ret[i].choice = (int)json_integer_value(a);
		} else {
			if (!json_is_string(a))
				return "not_text";
			ret[i].text = json_string_value(a);
		}
	}
	return NULL;
}

static void
handle_mark(struct parse_call *call)
{
	struct pack_quiz *quiz = read_quiz(call);
	struct pack_answer answers[100];
	struct pack_quiz_result result;
	struct pack_error err = {0};
	const char *problem;
	json_t *feedback;
	size_t n;

	if (!quiz)
		return;
	n = pack_quiz_question_count(quiz);
	if (n > 100) {
		parse_fail(call, -EFBIG, "the quiz has more than 100 questions");
		goto out;
	}
	problem = collect_answers(quiz, json_object_get(call->params, "answers"), answers);
	if (problem) {
		parse_reply(call, json_pack("{s:s}", "problem", problem), NULL, 0);
		goto out;
	}
	if (pack_quiz_mark(quiz, answers, n, &result, &err) < 0) {
		parse_fail(call, err.code, "%s", err.message);
		goto out;
	}
	/* The right answers and their explanations leave this process only here, with the
	 * marking of answers already given: pack.quiz never sends them. */
	feedback = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		        feedback,
		        json_pack("{s:s, s:b, s:b, s:s, s:s*}", "id",
		                  pack_quiz_question_id(quiz, i), "answered",
		                  answers[i].choice >= 0 || (answers[i].text && answers[i].text[0]),
		                  "correct", pack_quiz_answer_correct(quiz, i, &answers[i]),
		                  "right", pack_quiz_right_answer(quiz, i), "explain",
		                  pack_quiz_explanation(quiz, i)));
	parse_reply(call,
	            json_pack("{s:i, s:i, s:i, s:b, s:i, s:o}", "correct", (int)result.correct,
	                      "total", (int)result.total, "percent", (int)result.percent, "passed",
	                      result.passed, "pass_percent", (int)pack_quiz_pass_percent(quiz),
	                      "feedback", feedback),
	            NULL, 0);
out:
	pack_quiz_free(quiz);
}

/* clang-format off */
const struct parse_kind pack_kinds[] = {
	{"pack.verify", true, handle_verify},
	{"pack.page", true, handle_page},
	{"pack.image", true, handle_image},
	{"pack.quiz", true, handle_quiz},
	{"pack.mark", true, handle_mark},
	{NULL, false, NULL},
};
/* clang-format on */

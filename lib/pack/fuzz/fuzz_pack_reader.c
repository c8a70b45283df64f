/*
 * fuzz_pack_reader.c: libFuzzer target for everything that reads a course pack, which is
 * everything onward-parse runs on a pack. The first input byte picks what the rest is fed
 * to: a whole format 2 pack (pack_open_mem, after signing the input's envelope again with
 * the fixed provider key so that mutations get past the signature to the zip, manifest and
 * content checks; what opens is then read file by file, also as an installed pack read
 * against the manifest's digests), a whole pack as it comes (the envelope's own checks:
 * header, certificate, signature), or one parser on its own: manifest, quiz, page, PNG,
 * certificate, file name. Seeds: tests/fuzz/corpus/fuzz-pack-reader/, made by
 * pack-fuzz-seeds.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_keys.h"
#include "pack_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pack_key *root, *provider;
static struct pack_cert *cert;

static void
use_pack(struct pack *pack)
{
	const struct pack_manifest *m = pack_get_manifest(pack);

	for (size_t i = 0; i < pack_manifest_file_count(m); i++) {
		const char *name = pack_manifest_file_name(m, i);
		void *file;
		size_t len;

		/* A verified pack's listed files must always read, by name and by digest. */
		if (pack_read_file(pack, name, &file, &len, NULL) < 0)
			abort();
		free(file);
		if (pack_read_checked(pack, name, pack_manifest_file_size(m, i),
		                      pack_manifest_file_sha256(m, i), &file, &len, NULL) < 0)
			abort();
		free(file);
	}
}

static void
use_quiz(const uint8_t *data, size_t size)
{
	struct pack_answer answers[100];
	struct pack_quiz_result res;
	struct pack_quiz *quiz;
	size_t n;

	if (pack_quiz_parse(data, size, &quiz, NULL) < 0)
		return;
	n = pack_quiz_question_count(quiz);
	for (size_t i = 0; i < n && i < 100; i++)
		answers[i] = (struct pack_answer){(int)(i % 3) - 1, i % 2 ? " A  b " : NULL};
	if (n <= 100 && pack_quiz_mark(quiz, answers, n, &res, NULL) < 0)
		abort();
	pack_quiz_free(quiz);
}

static void
use_page(const uint8_t *data, size_t size)
{
	struct pack_page *page;

	if (pack_page_render("pages/a.md", data, size, &page, NULL) < 0)
		return;
	for (size_t i = 0; i < pack_page_block_count(page); i++) {
		const struct pack_block *b = pack_page_block(page, i);

		/* Touch every span (for ASan); pages with NUL bytes never render. */
		for (size_t k = 0; k < b->span_count; k++) {
			if (memchr(b->spans[k].text, '\0', b->spans[k].len))
				abort();
		}
		if (b->kind == PACK_BLOCK_IMAGE && (!b->image || !b->alt))
			abort();
	}
	pack_page_free(page);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pack_limits limits;
	struct pack_manifest *m;
	struct pack_cert *c;
	struct pack *pack;
	uint8_t *copy;
	char name[200];

	if (!root && fuzz_keys(&root, &provider, &cert) < 0)
		abort();
	if (size < 1)
		return 0;
	pack_limits_init(&limits);
	limits.decode_images = data[0] & 0x80;
	limits.max_pack_bytes = 4u << 20;
	switch ((data[0] & 0x7f) % FUZZ_MODES) {
	case FUZZ_PACK:
		copy = malloc(size - 1 ? size - 1 : 1);
		memcpy(copy, data + 1, size - 1);
		/* Fails, leaving the input as it is, unless the header parses. */
		pack__envelope_resign(copy, size - 1, provider, NULL);
		if (pack_open_mem(copy, size - 1, root, FUZZ_AT, &limits, &pack, NULL) == 0) {
			use_pack(pack);
			pack_free(pack);
		}
		free(copy);
		break;
	case FUZZ_ENVELOPE:
		if (pack_open_mem(data + 1, size - 1, root, FUZZ_AT, &limits, &pack, NULL) == 0)
			pack_free(pack);
		break;
	case FUZZ_MANIFEST:
		if (pack_manifest_parse(data + 1, size - 1, &limits, &m, NULL) == 0)
			pack_manifest_free(m);
		break;
	case FUZZ_QUIZ:
		use_quiz(data + 1, size - 1);
		break;
	case FUZZ_PAGE:
		use_page(data + 1, size - 1);
		break;
	case FUZZ_PNG:
		pack__png_check("a.png", data + 1, size - 1, &limits, NULL);
		break;
	case FUZZ_CERT:
		if (pack_cert_parse(data + 1, size - 1, &c, NULL) == 0) {
			pack_cert_verify(c, root, FUZZ_AT, NULL);
			pack_cert_free(c);
		}
		break;
	case FUZZ_NAME:
		if (size - 1 < sizeof(name)) {
			char out[256];

			memcpy(name, data + 1, size - 1);
			name[size - 1] = '\0';
			pack__name_check(name, size - 1, &limits, NULL, NULL);
			pack__name_resolve("pages/a.md", name, out, sizeof(out));
		}
		break;
	}
	return 0;
}

/*
 * fuzz_seeds.c: pack-fuzz-seeds writes the seed corpus of fuzz-pack-reader: one small good
 * input for each of the target's modes, made with the fuzz target's fixed keys from the
 * managing-money example course. Run it when the formats change:
 *   pack-fuzz-seeds apps/learning/courses/managing-money tests/fuzz/corpus/fuzz-pack-reader
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_keys.h"
#include "pack_int.h"

static void
seed(const char *dir, const char *name, uint8_t mode, const void *data, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fputc(mode, f) == EOF || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "pack-fuzz-seeds: cannot write %s\n", path);
		exit(1);
	}
}

static void *
zip_entry(const void *pack, size_t pack_len, const char *name, size_t *ret_len)
{
	struct pack_source src = {pack, -1, pack_len};
	struct pack_envelope env;
	struct pack_limits limits;
	struct pack_zip *zip;
	void *data;

	pack_limits_init(&limits);
	if (pack__envelope_parse(pack, PACK_HEADER_LEN, pack_len, &env, NULL) < 0 ||
	    pack__zip_open(&src, env.zip_offset, &limits, false, &zip, NULL) < 0 ||
	    pack__zip_read(zip, (size_t)pack__zip_find(zip, name), 1 << 20, &data, ret_len, NULL) <
	            0)
		exit(1);
	pack__zip_free(zip);
	return data;
}

int
main(int argc, char **argv)
{
	struct pack_key *root, *provider;
	struct pack_cert *cert;
	struct pack_error err = {0};
	char path[1024];
	void *pack, *data;
	size_t pack_len, len;

	if (argc != 3) {
		fprintf(stderr, "usage: pack-fuzz-seeds COURSE_DIR CORPUS_DIR\n");
		return 2;
	}
	if (fuzz_keys(&root, &provider, &cert) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/seed.pack", argv[2]);
	if (pack_build_dir(argv[1], provider, cert, path, NULL, NULL, &err) < 0 ||
	    pack__file_read(path, 1 << 20, &pack, &pack_len, &err) < 0) {
		fprintf(stderr, "pack-fuzz-seeds: %s\n", err.message);
		return 1;
	}
	remove(path);
	seed(argv[2], "pack", FUZZ_PACK, pack, pack_len);
	seed(argv[2], "pack-decode", FUZZ_PACK | 0x80, pack, pack_len);
	data = zip_entry(pack, pack_len, PACK_MANIFEST_NAME, &len);
	seed(argv[2], "manifest", FUZZ_MANIFEST, data, len);
	free(data);
	data = zip_entry(pack, pack_len, "quizzes/money-in-and-out.json", &len);
	seed(argv[2], "quiz", FUZZ_QUIZ, data, len);
	free(data);
	data = zip_entry(pack, pack_len, "pages/03-a-budget.md", &len);
	seed(argv[2], "page", FUZZ_PAGE, data, len);
	free(data);
	data = zip_entry(pack, pack_len, "images/coins.png", &len);
	seed(argv[2], "png", FUZZ_PNG, data, len);
	seed(argv[2], "png-decode", FUZZ_PNG | 0x80, data, len);
	free(data);
	if (pack__cert_to_json(cert, (char **)&data, &len, &err) < 0)
		return 1;
	seed(argv[2], "cert", FUZZ_CERT, data, len);
	free(data);
	seed(argv[2], "envelope", FUZZ_ENVELOPE, pack, pack_len);
	{
		/* The same pack's zip alone, as a format 1 pack was. */
		struct pack_envelope env;

		if (pack__envelope_parse(pack, PACK_HEADER_LEN, pack_len, &env, NULL) < 0)
			return 1;
		seed(argv[2], "envelope-format-1", FUZZ_ENVELOPE,
		     (const uint8_t *)pack + env.zip_offset, pack_len - env.zip_offset);
	}
	seed(argv[2], "name", FUZZ_NAME, "../images/coins.png", 19);
	free(pack);
	pack_cert_free(cert);
	pack_key_free(provider);
	pack_key_free(root);
	return 0;
}

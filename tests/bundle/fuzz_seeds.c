/*
 * fuzz_seeds.c: writes the seed corpus of fuzz-bundle-open into a folder: bundles sealed
 * with the fuzzer's fixed keys (lib/bundle/fuzz/fuzz_fixture.h) that open (MDI and,
 * through the root, LEI to BXI; empty, small JSON and a 300-byte payload), bundles that
 * are refused at each stage (another recipient, an untrusted sender, an impostor calling
 * itself MDI, a damaged recipient fingerprint, a version 2 header, cut short), and two
 * certificates. A tool, not a test:
 *   bundle-fuzz-seeds tests/fuzz/corpus/fuzz-bundle-open
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "fuzz_fixture.h"

static const char *dir;

static void
put(const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "bundle-fuzz-seeds: cannot write %s\n", path);
		exit(1);
	}
	printf("%s: %zu bytes\n", path, len);
}

static void
seal(const char *name, struct bundle_identity *from, struct bundle_identity *to,
     const char *payload, size_t len)
{
	struct bundle_error err = {0};
	void *b;
	size_t bl;

	if (bundle_seal(from, bundle_identity_cert(to), payload, len, FUZZ_NOW, &b, &bl, NULL,
	                &err) < 0) {
		fprintf(stderr, "bundle-fuzz-seeds: %s: %s\n", name, err.message);
		exit(1);
	}
	put(name, b, bl);
	free(b);
}

int
main(int argc, char **argv)
{
	static const char record[] =
	        "{\"person\":{\"prison_number\":\"A1234BC\",\"given\":\"Sam\",\"family\":"
	        "\"Jones\"},\"contacts\":[{\"name\":\"Alex Jones\",\"relationship\":\"sister\"}],"
	        "\"courses\":[{\"id\":\"uk.onward.managing-money\",\"progress\":0.4}]}";
	struct fuzz_fixture fx;
	struct bundle_identity *stranger;
	uint8_t *p300 = fix_payload(300, 1);
	char *json;
	size_t len;
	struct bundle_error err = {0};

	if (argc != 2) {
		fprintf(stderr, "usage: bundle-fuzz-seeds FOLDER\n");
		return 2;
	}
	dir = argv[1];
	fuzz_fixture_init(&fx);
	seal("mdi-bxi-empty.bundle", fx.mdi, fx.bxi, "", 0);
	seal("mdi-bxi-record.bundle", fx.mdi, fx.bxi, record, sizeof(record) - 1);
	seal("mdi-bxi-300.bundle", fx.mdi, fx.bxi, (const char *)p300, 300);
	seal("lei-root-bxi.bundle", fx.lei, fx.bxi, record, sizeof(record) - 1);
	seal("mdi-to-lei.bundle", fx.mdi, fx.lei, record, sizeof(record) - 1);
	/* An untrusted sender: random keys, so this seed differs each time it is made. */
	if (bundle_identity_generate("PVI", "HMP Pentonville", BUNDLE_KIND_PRISON, FUZZ_NOT_BEFORE,
	                             FUZZ_NOT_AFTER, &stranger, &err) < 0)
		return fprintf(stderr, "bundle-fuzz-seeds: %s\n", err.message), 1;
	seal("untrusted-bxi.bundle", stranger, fx.bxi, "{}", 2);
	bundle_identity_free(stranger);
	/* Another key pair calling itself MDI: refused as an impostor (random keys too). */
	if (bundle_identity_generate("MDI", "HMP Moorland", BUNDLE_KIND_PRISON, FUZZ_NOT_BEFORE,
	                             FUZZ_NOT_AFTER, &stranger, &err) < 0)
		return fprintf(stderr, "bundle-fuzz-seeds: %s\n", err.message), 1;
	seal("impostor-mdi-bxi.bundle", stranger, fx.bxi, "{}", 2);
	bundle_identity_free(stranger);
	{
		struct bundle_error e2 = {0};
		void *b;
		size_t bl;

		if (bundle_seal(fx.mdi, bundle_identity_cert(fx.bxi), "{}", 2, FUZZ_NOW, &b, &bl,
		                NULL, &e2) < 0)
			return 1;
		put("cut-short.bundle", b, bl / 2);
		/* One bit of the recipient's fingerprint changed: damaged, not another one. */
		((uint8_t *)b)[HDR_OFF_RECIPIENT_FP + 9] ^= 0x04;
		put("damaged-recipient.bundle", b, bl);
		((uint8_t *)b)[HDR_OFF_RECIPIENT_FP + 9] ^= 0x04;
		bundle__put_be16((uint8_t *)b + HDR_OFF_VERSION, 2);
		put("version-2.bundle", b, bl);
		free(b);
	}
	if (bundle_cert_serialize(bundle_identity_cert(fx.mdi), &json, &len, NULL) < 0)
		return 1;
	put("mdi.cert", json, len);
	free(json);
	if (bundle_cert_serialize(bundle_identity_cert(fx.lei), &json, &len, NULL) < 0)
		return 1;
	put("lei-issued.cert", json, len);
	free(json);
	free(p300);
	bundle_identity_free(fx.mdi);
	bundle_identity_free(fx.bxi);
	bundle_identity_free(fx.lei);
	bundle_identity_free(fx.gbr);
	return 0;
}

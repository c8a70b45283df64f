/*
 * bench_bundle.c: seal and open throughput for 1 MiB, 16 MiB and 128 MiB payloads (or
 * the sizes given), best and median of several runs, in MB/s of payload (10^6 bytes). The
 * payload is incompressible bytes, which makes no difference to AES-GCM but keeps the
 * figures honest should compression ever be added. Each run seals and opens afresh, so
 * the figures include allocating (and first touching) the output buffers, as the daemon
 * would. A benchmark, not a test: run it on a quiet machine.
 *   bench-bundle [--runs N] [--mb N]...
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "timeutil.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
bench(struct bundle_identity *mdi, struct bundle_identity *bxi, size_t mib, unsigned runs)
{
	const struct bundle_cert *trusted[] = {bundle_identity_cert(mdi)};
	size_t len = mib << 20, blen = 0, plen = 0;
	uint8_t *payload = fix_payload(len, 42);
	double seal_s[64], open_s[64];
	struct bundle_error err = {0};

	for (unsigned r = 0; r < runs; r++) {
		void *b = NULL, *p = NULL;
		uint64_t t0 = time_mono_ns(), t1, t2;

		if (bundle_seal(mdi, bundle_identity_cert(bxi), payload, len, FIX_NOW, &b, &blen,
		                NULL, &err) < 0) {
			fprintf(stderr, "bench-bundle: seal: %s\n", err.message);
			exit(1);
		}
		t1 = time_mono_ns();
		if (bundle_open(bxi, trusted, 1, b, blen, FIX_NOW, &p, &plen, NULL, &err) < 0) {
			fprintf(stderr, "bench-bundle: open: %s\n", err.message);
			exit(1);
		}
		t2 = time_mono_ns();
		if (plen != len || memcmp(p, payload, len) != 0) {
			fprintf(stderr, "bench-bundle: payload differs after open\n");
			exit(1);
		}
		seal_s[r] = (double)(t1 - t0) / 1e9;
		open_s[r] = (double)(t2 - t1) / 1e9;
		free(b);
		bundle_buffer_free(p, plen);
	}
	qsort(seal_s, runs, sizeof(double), cmp_double);
	qsort(open_s, runs, sizeof(double), cmp_double);
	printf("%4zu MiB   seal  best %8.2f ms %6.0f MB/s   median %8.2f ms %6.0f MB/s\n", mib,
	       seal_s[0] * 1e3, (double)len / 1e6 / seal_s[0], seal_s[runs / 2] * 1e3,
	       (double)len / 1e6 / seal_s[runs / 2]);
	printf("%4zu MiB   open  best %8.2f ms %6.0f MB/s   median %8.2f ms %6.0f MB/s\n", mib,
	       open_s[0] * 1e3, (double)len / 1e6 / open_s[0], open_s[runs / 2] * 1e3,
	       (double)len / 1e6 / open_s[runs / 2]);
	free(payload);
}

int
main(int argc, char **argv)
{
	size_t sizes[16] = {0}, n = 0;
	unsigned runs = 5;
	struct bundle_identity *mdi, *bxi;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc && n < 16)
			sizes[n++] = (size_t)atoi(argv[++i]);
		else
			return fprintf(stderr, "usage: bench-bundle [--runs N] [--mb N]...\n"), 2;
	}
	if (n == 0) {
		sizes[n++] = 1;
		sizes[n++] = 16;
		sizes[n++] = 128;
	}
	if (runs < 1 || runs > 64)
		return fprintf(stderr, "bench-bundle: --runs 1 to 64\n"), 2;
	for (size_t i = 0; i < n; i++)
		if (sizes[i] < 1 || sizes[i] > 256)
			return fprintf(stderr, "bench-bundle: --mb 1 to 256\n"), 2;
	mdi = fix_identity("MDI", "HMP Moorland", BUNDLE_KIND_PRISON);
	bxi = fix_identity("BXI", "HMP Brixton", BUNDLE_KIND_PRISON);
	printf("bench-bundle: MDI -> BXI, %u runs per size (MB/s of payload, 1 MB = 10^6 bytes)\n",
	       runs);
	for (size_t i = 0; i < n; i++)
		bench(mdi, bxi, sizes[i], runs);
	bundle_identity_free(mdi);
	bundle_identity_free(bxi);
	return 0;
}

/*
 * cmd_seal.c: onward-bundle seal and open, the whole of a transfer by hand: seal a file
 * for a recipient's certificate with this establishment's identity, and open a bundle with
 * the recipient's identity and a list of trusted certificates. For operators and tests;
 * the daemon calls the same two library functions.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char seal_help[] =
        "usage: onward-bundle seal --identity DIR --to CERT --in FILE --out BUNDLE [--at TIME]\n"
        "\n"
        "Seals FILE (at most 256 MiB) for the establishment whose certificate is CERT: signed\n"
        "with the identity in DIR, encrypted to CERT's key. BUNDLE is created (mode 0600),\n"
        "never over an existing file. Both certificates must be valid at TIME (default:\n"
        "now), which is recorded as the time the bundle was sealed.\n";

static const char open_help[] =
        "usage: onward-bundle open --identity DIR --trust CERT... --in BUNDLE --out FILE\n"
        "                          [--at TIME]\n"
        "\n"
        "Checks and opens BUNDLE with the identity in DIR: it must be for this identity, from\n"
        "a sender trusted by one of the --trust certificates (the sender's own, or a national\n"
        "root that issued it), valid at TIME (default: now), and unaltered. Writes the\n"
        "payload to FILE (mode 0600, never over an existing file) and prints the bundle id,\n"
        "sender and time. On any refusal nothing is written and one line says why.\n";

int
cmd_seal(int argc, char **argv)
{
	static const struct option options[] = {{"identity", required_argument, NULL, 'i'},
	                                        {"to", required_argument, NULL, 't'},
	                                        {"in", required_argument, NULL, 'n'},
	                                        {"out", required_argument, NULL, 'o'},
	                                        {"at", required_argument, NULL, 'a'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	const char *dir = NULL, *to = NULL, *in = NULL, *out = NULL;
	struct bundle_error err = {0};
	struct bundle_identity *id = NULL;
	struct bundle_cert *recipient = NULL;
	struct bundle_info info;
	int64_t at = (int64_t)time(NULL);
	uint8_t *payload = NULL;
	void *bundle = NULL;
	size_t len = 0, bundle_len = 0;
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'i':
			dir = optarg;
			break;
		case 't':
			to = optarg;
			break;
		case 'n':
			in = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'a':
			if (cli_parse_time(optarg, &at) < 0)
				return cli_usage_error("seal", "--at must be YYYY-MM-DD or "
				                               "YYYY-MM-DDTHH:MM:SSZ");
			break;
		case 'h':
			fputs(seal_help, stdout);
			return 0;
		default:
			return cli_usage_error("seal", "unknown or incomplete option %s",
			                       argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_usage_error("seal", "unexpected argument %s", argv[optind]);
	if (!dir || !to || !in || !out)
		return cli_usage_error("seal", "--identity, --to, --in and --out are required");
	if (bundle_identity_load(dir, &id, &err) < 0 ||
	    bundle_cert_load(to, &recipient, &err) < 0) {
		r = cli_fail("seal", &err);
		goto done;
	}
	if (cli_read_file("seal", in, BUNDLE_PAYLOAD_MAX, &payload, &len) < 0) {
		r = 1;
		goto done;
	}
	if (bundle_seal(id, recipient, payload, len, at, &bundle, &bundle_len, &info, &err) < 0) {
		r = cli_fail("seal", &err);
		goto done;
	}
	if (cli_write_file("seal", out, bundle, bundle_len, 0600) < 0) {
		r = 1;
		goto done;
	}
	printf("bundle %s: %s -> %s, %zu bytes of payload, %zu bytes in %s\n", info.id_hex,
	       info.sender_code, info.recipient_code, len, bundle_len, out);
	r = 0;
done:
	bundle_buffer_free(payload, len);
	free(bundle);
	bundle_cert_free(recipient);
	bundle_identity_free(id);
	return r;
}

int
cmd_open(int argc, char **argv)
{
	static const struct option options[] = {{"identity", required_argument, NULL, 'i'},
	                                        {"trust", required_argument, NULL, 't'},
	                                        {"in", required_argument, NULL, 'n'},
	                                        {"out", required_argument, NULL, 'o'},
	                                        {"at", required_argument, NULL, 'a'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	const char *dir = NULL, *in = NULL, *out = NULL;
	struct bundle_cert *trusted[CLI_TRUST_MAX];
	struct bundle_error err = {0};
	struct bundle_identity *id = NULL;
	struct bundle_info info;
	char when[BUNDLE_TIME_MAX];
	int64_t at = (int64_t)time(NULL);
	uint8_t *data = NULL;
	void *payload = NULL;
	size_t n = 0, len = 0, payload_len = 0;
	int c, r = 0;

	opterr = 0;
	while (r == 0 && (c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'i':
			dir = optarg;
			break;
		case 't':
			r = cli_load_trust("open", optarg, trusted, &n);
			break;
		case 'n':
			in = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'a':
			if (cli_parse_time(optarg, &at) < 0)
				r = cli_usage_error("open", "--at must be YYYY-MM-DD or "
				                            "YYYY-MM-DDTHH:MM:SSZ");
			break;
		case 'h':
			fputs(open_help, stdout);
			goto done;
		default:
			r = cli_usage_error("open", "unknown or incomplete option %s",
			                    argv[optind - 1]);
		}
	}
	if (r != 0)
		goto done;
	if (optind != argc) {
		r = cli_usage_error("open", "unexpected argument %s", argv[optind]);
		goto done;
	}
	if (!dir || !in || !out || n == 0) {
		r = cli_usage_error("open", "--identity, --trust, --in and --out are required");
		goto done;
	}
	if (bundle_identity_load(dir, &id, &err) < 0) {
		r = cli_fail("open", &err);
		goto done;
	}
	if (cli_read_file("open", in, (size_t)BUNDLE_PAYLOAD_MAX + 16384, &data, &len) < 0) {
		r = 1;
		goto done;
	}
	if (bundle_open(id, (const struct bundle_cert *const *)trusted, n, data, len, at, &payload,
	                &payload_len, &info, &err) < 0) {
		fprintf(stderr, "onward-bundle open: %s: %s\n", in, err.message);
		r = 1;
		goto done;
	}
	if (cli_write_file("open", out, payload, payload_len, 0600) < 0) {
		r = 1;
		goto done;
	}
	bundle_time_format(info.created_at, when);
	printf("bundle %s: from %s %s, sealed %s, %zu bytes of payload in %s\n", info.id_hex,
	       info.sender_code, info.sender_name, when, payload_len, out);
	printf("payload sha256 %s\n", info.payload_sha256);
done:
	bundle_buffer_free(payload, payload_len);
	free(data);
	for (size_t i = 0; i < n; i++)
		bundle_cert_free(trusted[i]);
	bundle_identity_free(id);
	return r;
}

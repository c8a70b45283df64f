/*
 * cmd_verify.c: onward-pack verify, the same check the daemon makes before installing a
 * course: exit 0 only when the certificate chains to the trust root and is valid now (or
 * at --at), both signatures hold, and every file is present, listed, intact and valid.
 */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"

static const char help[] =
        "usage: onward-pack verify FILE --trust ROOT_PUB.pem [--at DATE]\n"
        "\n"
        "Verifies a course pack against the content root's public key, at the current time\n"
        "or at DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC). Exit status 0 when the pack\n"
        "is good; 1, with one line saying what failed, when it is not.\n";

int
cmd_verify(int argc, char **argv)
{
	static const struct option options[] = {{"trust", required_argument, NULL, 't'},
	                                        {"at", required_argument, NULL, 'a'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	const char *trust = NULL, *at_text = NULL, *file;
	struct pack_key *root = NULL;
	struct pack *pack = NULL;
	struct pack_error err = {0};
	const struct pack_manifest *m;
	int64_t at = (int64_t)time(NULL);
	int c, rc = 1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 't')
			trust = optarg;
		else if (c == 'a')
			at_text = optarg;
		else if (c == 'h')
			return fputs(help, stdout), 0;
		else
			return cli_usage_error("verify", "unknown or incomplete option %s",
			                       argv[optind - 1]);
	}
	if (argc - optind != 1)
		return cli_usage_error("verify", "give exactly one pack to verify");
	file = argv[optind];
	if (!trust)
		return cli_usage_error("verify", "--trust ROOT_PUB.pem is required");
	if (at_text && cli_parse_date(at_text, &at, 0) < 0)
		return cli_usage_error("verify", "--at %s is not a date (YYYY-MM-DD)", at_text);
	if (pack_key_load_public(trust, &root, &err) < 0) {
		rc = cli_fail("verify", &err);
		goto out;
	}
	if (pack_open_file(file, root, at, NULL, &pack, &err) < 0) {
		fprintf(stderr, "onward-pack verify: %s: %s\n", file, err.message);
		goto out;
	}
	m = pack_get_manifest(pack);
	printf("%s: OK: \"%s\" %s %s from %s, %zu files verified\n", file, pack_manifest_title(m),
	       pack_manifest_id(m), pack_manifest_version(m), pack_manifest_provider_name(m),
	       pack_manifest_file_count(m));
	rc = 0;
out:
	pack_free(pack);
	pack_key_free(root);
	return rc;
}

/*
 * cmd_certify.c: onward-pack certify, run by the platform's content team with the content
 * root's private key: it certifies one provider's public key, id and name for a period.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static const char help[] =
        "usage: onward-pack certify --root ROOT_KEY.pem --provider-key PROVIDER_PUB.pem\n"
        "         --provider-id ID --provider-name NAME\n"
        "         --not-before DATE --not-after DATE -o CERT\n"
        "\n"
        "Certifies a provider's public key with the content root's private key.\n"
        "DATE is YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC); a bare --not-after date\n"
        "includes that whole day. ID is lower-case letters, digits, '.' and '-'.\n";

int
cmd_certify(int argc, char **argv)
{
	static const struct option options[] = {{"root", required_argument, NULL, 'r'},
	                                        {"provider-key", required_argument, NULL, 'k'},
	                                        {"provider-id", required_argument, NULL, 'i'},
	                                        {"provider-name", required_argument, NULL, 'n'},
	                                        {"not-before", required_argument, NULL, 'b'},
	                                        {"not-after", required_argument, NULL, 'a'},
	                                        {"out", required_argument, NULL, 'o'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	const char *root_path = NULL, *key_path = NULL, *id = NULL, *name = NULL, *nb = NULL,
	           *na = NULL, *out = NULL;
	struct pack_key *root = NULL, *provider = NULL;
	struct pack_cert *cert = NULL;
	struct pack_error err = {0};
	int64_t not_before, not_after;
	int c, rc = 1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			root_path = optarg;
			break;
		case 'k':
			key_path = optarg;
			break;
		case 'i':
			id = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'b':
			nb = optarg;
			break;
		case 'a':
			na = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			return fputs(help, stdout), 0;
		default:
			return cli_usage_error("certify", "unknown or incomplete option %s",
			                       argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_usage_error("certify", "unexpected argument %s", argv[optind]);
	if (!root_path || !key_path || !id || !name || !nb || !na || !out)
		return cli_usage_error("certify",
		                       "--root, --provider-key, --provider-id, "
		                       "--provider-name, --not-before, --not-after and -o "
		                       "are all required");
	if (cli_parse_date(nb, &not_before, 0) < 0)
		return cli_usage_error("certify", "--not-before %s is not a date (YYYY-MM-DD)", nb);
	if (cli_parse_date(na, &not_after, 1) < 0)
		return cli_usage_error("certify", "--not-after %s is not a date (YYYY-MM-DD)", na);
	if (pack_key_load_private(root_path, &root, &err) < 0 ||
	    pack_key_load_public(key_path, &provider, &err) < 0 ||
	    pack_cert_issue(root, provider, id, name, not_before, not_after, &cert, &err) < 0 ||
	    pack_cert_save(cert, out, &err) < 0) {
		rc = cli_fail("certify", &err);
		goto out;
	}
	printf("certified provider %s (%s) from %s to %s: %s\n", id, name, nb, na, out);
	rc = 0;
out:
	pack_cert_free(cert);
	pack_key_free(provider);
	pack_key_free(root);
	return rc;
}

/*
 * cmd_keygen.c: onward-pack keygen, making an Ed25519 key pair for the content root or for
 * a provider. The private key is written with mode 0600 and never over an existing file.
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

static const char help[] =
        "usage: onward-pack keygen --out KEY.pem [--pub PUB.pem]\n"
        "\n"
        "Makes an Ed25519 key pair. The private key goes to KEY.pem (mode 0600); the\n"
        "public key to PUB.pem when given. Neither file may exist already.\n";

int
cmd_keygen(int argc, char **argv)
{
	static const struct option options[] = {{"out", required_argument, NULL, 'o'},
	                                        {"pub", required_argument, NULL, 'p'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	const char *out = NULL, *pub = NULL;
	struct pack_error err = {0};
	struct pack_key *key;
	char id[PACK_KEY_ID_MAX];
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:p:h", options, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'p')
			pub = optarg;
		else if (c == 'h')
			return fputs(help, stdout), 0;
		else
			return cli_usage_error("keygen", "unknown or incomplete option %s",
			                       argv[optind - 1]);
	}
	if (optind != argc)
		return cli_usage_error("keygen", "unexpected argument %s", argv[optind]);
	if (!out)
		return cli_usage_error("keygen", "--out KEY.pem is required");
	if (pub && access(pub, F_OK) == 0) {
		fprintf(stderr, "onward-pack keygen: %s already exists\n", pub);
		return 1;
	}
	if (pack_key_generate(&key, &err) < 0)
		return cli_fail("keygen", &err);
	if (pack_key_save_private(key, out, &err) < 0) {
		pack_key_free(key);
		return cli_fail("keygen", &err);
	}
	if (pub && pack_key_save_public(key, pub, &err) < 0) {
		unlink(out); /* do not leave half a key pair */
		pack_key_free(key);
		return cli_fail("keygen", &err);
	}
	pack_key_id(key, id);
	printf("key %s: private key in %s%s%s\n", id, out, pub ? ", public key in " : "",
	       pub ? pub : "");
	pack_key_free(key);
	return 0;
}

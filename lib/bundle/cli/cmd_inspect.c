/*
 * cmd_inspect.c: onward-bundle inspect, showing what a bundle's header says (sender,
 * recipient, id, time, sizes) without decrypting or checking anything, so an operator can
 * see whom a bundle is for and whom it claims to be from before trying to open it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
        "usage: onward-bundle inspect BUNDLE\n"
        "\n"
        "Shows a bundle's header: sender, recipient, bundle id, when it was sealed and its\n"
        "size. Nothing is decrypted and no signature is checked: what it shows is what the\n"
        "bundle claims (onward-bundle open checks everything). Exit 1 if the header cannot\n"
        "be read or the file is not the size the header declares.\n";

int
cmd_inspect(int argc, char **argv)
{
	struct bundle_error err = {0};
	struct bundle_info info;
	char when[BUNDLE_TIME_MAX];
	uint8_t *data = NULL;
	size_t len = 0;
	int r;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return fputs(help, stdout), 0;
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("inspect", "give one bundle file");
	if (cli_read_file("inspect", argv[1], (size_t)BUNDLE_PAYLOAD_MAX + 16384, &data, &len) < 0)
		return 1;
	r = bundle_peek(data, len, &info, &err);
	free(data);
	if (r < 0) {
		fprintf(stderr, "onward-bundle inspect: %s: %s\n", argv[1], err.message);
		return 1;
	}
	bundle_time_format(info.created_at, when);
	printf("bundle %s (format %u)\n", info.id_hex, info.format_version);
	printf("%-13s %s %s (%s)\n", "from", info.sender_code, info.sender_name,
	       bundle_kind_name(info.sender_kind));
	printf("%-13s %s\n", "sender cert", info.sender_fingerprint);
	printf("%-13s %s\n", "issuer", info.sender_issuer[0] ? info.sender_issuer : "self-signed");
	printf("%-13s %s\n", "to", info.recipient_code);
	printf("%-13s %s\n", "recipient cert", info.recipient_fingerprint);
	printf("%-13s %s\n", "sealed", when);
	printf("%-13s %llu bytes\n", "payload", (unsigned long long)info.payload_len);
	printf("%-13s %llu bytes\n", "bundle", (unsigned long long)info.bundle_len);
	printf("%-13s NOT checked (inspect reads the header only)\n", "signatures");
	if (info.bundle_len != len) {
		fprintf(stderr,
		        "onward-bundle inspect: %s: %zu bytes, but the header declares %llu%s\n",
		        argv[1], len, (unsigned long long)info.bundle_len,
		        len < info.bundle_len ? ": the bundle is cut short" : "");
		return 1;
	}
	return 0;
}

/*
 * cmd_cert.c: onward-bundle cert show (a certificate's fields and fingerprint, for the
 * telephone check before trusting it) and onward-bundle cert verify (its signature and
 * dates, or whether a trust list trusts it). Also loading a --trust list, which seal's
 * sibling open shares.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char show_help[] =
        "usage: onward-bundle cert show CERT\n"
        "\n"
        "Shows a certificate: code, name, kind, serial, validity, issuer, public keys and\n"
        "the fingerprint (SHA-256 of what is signed) to compare by telephone before\n"
        "trusting it. Nothing is checked: see cert verify.\n";

static const char verify_help[] =
        "usage: onward-bundle cert verify CERT [--trust CERT]... [--at TIME]\n"
        "\n"
        "Without --trust: checks a self-signed certificate's signature and that it is valid\n"
        "at TIME (default: now). With --trust (establishment certificates trusted as they\n"
        "are, or national roots): checks that CERT is one of them or was issued by one of\n"
        "the roots, and that everything is valid at TIME. Exit 0 if so, 1 if not.\n"
        "TIME is YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC).\n";

static void
print_time(const char *label, int64_t t)
{
	char text[BUNDLE_TIME_MAX];

	bundle_time_format(t, text);
	printf("%-12s %s\n", label, text);
}

static void
print_key(const char *label, const uint8_t key[32])
{
	printf("%-12s ", label);
	for (int i = 0; i < 32; i++)
		printf("%02x", key[i]);
	putchar('\n');
}

static int
cert_show(int argc, char **argv)
{
	struct bundle_error err = {0};
	struct bundle_cert *cert;
	uint8_t key[32];

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return fputs(show_help, stdout), 0;
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("cert show", "give one certificate file");
	if (bundle_cert_load(argv[1], &cert, &err) < 0)
		return cli_fail("cert show", &err);
	printf("%s %s\n", bundle_cert_code(cert), bundle_cert_name(cert));
	printf("%-12s %s\n", "kind", bundle_kind_name(bundle_cert_kind(cert)));
	printf("%-12s %s\n", "fingerprint", bundle_cert_fingerprint(cert));
	printf("%-12s %s\n", "serial", bundle_cert_serial(cert));
	print_time("not before", bundle_cert_not_before(cert));
	print_time("not after", bundle_cert_not_after(cert));
	printf("%-12s %s\n", "issuer",
	       bundle_cert_issuer(cert) ? bundle_cert_issuer(cert) : "self-signed");
	bundle_cert_sign_key(cert, key);
	print_key("signing", key);
	if (bundle_cert_encrypt_key(cert, key))
		print_key("encryption", key);
	bundle_cert_free(cert);
	return 0;
}

int
cli_load_trust(const char *cmd, const char *path, struct bundle_cert **list, size_t *n)
{
	struct bundle_error err = {0};

	if (*n >= CLI_TRUST_MAX)
		return cli_usage_error(cmd, "at most %d --trust certificates", CLI_TRUST_MAX);
	if (bundle_cert_load(path, &list[*n], &err) < 0)
		return cli_fail(cmd, &err);
	(*n)++;
	return 0;
}

static int
cert_verify(int argc, char **argv)
{
	static const struct option options[] = {{"trust", required_argument, NULL, 't'},
	                                        {"at", required_argument, NULL, 'a'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	struct bundle_cert *trusted[CLI_TRUST_MAX], *cert = NULL;
	struct bundle_error err = {0};
	int64_t at = (int64_t)time(NULL);
	size_t n = 0;
	int c, r = 0;

	opterr = 0;
	while (r == 0 && (c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 't':
			r = cli_load_trust("cert verify", optarg, trusted, &n);
			break;
		case 'a':
			if (cli_parse_time(optarg, &at) < 0)
				r = cli_usage_error("cert verify", "--at must be YYYY-MM-DD or "
				                                   "YYYY-MM-DDTHH:MM:SSZ");
			break;
		case 'h':
			fputs(verify_help, stdout);
			goto done;
		default:
			r = cli_usage_error("cert verify", "unknown or incomplete option %s",
			                    argv[optind - 1]);
		}
	}
	if (r != 0)
		goto done;
	if (optind != argc - 1) {
		r = cli_usage_error("cert verify", "give one certificate file");
		goto done;
	}
	if (bundle_cert_load(argv[optind], &cert, &err) < 0 ||
	    (n == 0 && bundle_cert_verify(cert, NULL, at, &err) < 0) ||
	    (n > 0 && bundle_cert_check_trust(cert, (const struct bundle_cert *const *)trusted, n,
	                                      at, &err) < 0)) {
		r = cli_fail("cert verify", &err);
		goto done;
	}
	printf("%s: OK: %s %s, %s\n", argv[optind], bundle_cert_code(cert), bundle_cert_name(cert),
	       n == 0 ? "self-signature verifies and it is in date" : "trusted and in date");
done:
	bundle_cert_free(cert);
	for (size_t i = 0; i < n; i++)
		bundle_cert_free(trusted[i]);
	return r;
}

int
cmd_cert(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return cert_show(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		return cert_verify(argc - 1, argv + 1);
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(show_help, stdout);
		fputc('\n', stdout);
		fputs(verify_help, stdout);
		return 0;
	}
	return cli_usage_error("cert", "expected cert show or cert verify");
}

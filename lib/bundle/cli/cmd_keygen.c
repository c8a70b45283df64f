/*
 * cmd_keygen.c: onward-bundle keygen (an establishment's, region's or national root's
 * keys and self-signed certificate, into a new identity folder) and onward-bundle certify
 * (a national root issuing a certificate for an establishment's keys).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"

static const char keygen_help[] =
        "usage: onward-bundle keygen --code CODE --name NAME --kind KIND --days N\n"
        "                            [--not-before DATE] --key-out DIR\n"
        "\n"
        "Makes an identity: an Ed25519 signing key, an X25519 encryption key (not for a\n"
        "root) and a self-signed certificate valid for N days from --not-before (default:\n"
        "now). Writes DIR/identity.pem (the private keys, mode 0600) and DIR/cert.json;\n"
        "creates DIR (mode 0700) if needed and never overwrites a file.\n"
        "\n"
        "  --code CODE   three upper-case letters: the establishment or region (MDI, NEP)\n"
        "  --name NAME   its name (\"HMP Moorland\"), up to 100 bytes\n"
        "  --kind KIND   prison, probation, or root (a national root: it only certifies)\n"
        "  --days N      days of validity (1 to 36500)\n"
        "  --not-before DATE  YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)\n"
        "\n"
        "Give cert.json to other establishments; they trust it after comparing its\n"
        "fingerprint with yours by another channel (onward-bundle cert show).\n";

static const char certify_help[] =
        "usage: onward-bundle certify --root DIR --cert CERT --days N [--not-before DATE]\n"
        "                             --out FILE\n"
        "\n"
        "With the national root's identity in DIR, issues a certificate for the keys in an\n"
        "establishment's self-signed CERT (its self-signature proves it holds them): same\n"
        "code, name, kind and keys, a new serial, N days from --not-before (default: now),\n"
        "within the root's own validity. Writes FILE, never over an existing file. The\n"
        "establishment puts FILE in its identity folder as cert.json.\n";

static int
validity(const char *cmd, const char *days_text, const char *nb_text, int64_t *ret_nb,
         int64_t *ret_na)
{
	int64_t days, nb = (int64_t)time(NULL);

	if (!days_text)
		return cli_usage_error(cmd, "--days N is required");
	if (cli_parse_days(days_text, &days) < 0)
		return cli_usage_error(cmd, "--days must be a whole number from 1 to 36500");
	if (nb_text && cli_parse_time(nb_text, &nb) < 0)
		return cli_usage_error(cmd, "--not-before must be YYYY-MM-DD or "
		                            "YYYY-MM-DDTHH:MM:SSZ");
	*ret_nb = nb;
	*ret_na = nb + days * 86400 - 1;
	return 0;
}

int
cmd_keygen(int argc, char **argv)
{
	static const struct option options[] = {{"code", required_argument, NULL, 'c'},
	                                        {"name", required_argument, NULL, 'n'},
	                                        {"kind", required_argument, NULL, 'k'},
	                                        {"days", required_argument, NULL, 'd'},
	                                        {"not-before", required_argument, NULL, 'b'},
	                                        {"key-out", required_argument, NULL, 'o'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	const char *code = NULL, *name = NULL, *kind_text = NULL, *days = NULL, *nb_text = NULL,
	           *dir = NULL;
	struct bundle_error err = {0};
	struct bundle_identity *id;
	enum bundle_kind kind;
	int64_t nb, na;
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'c':
			code = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'k':
			kind_text = optarg;
			break;
		case 'd':
			days = optarg;
			break;
		case 'b':
			nb_text = optarg;
			break;
		case 'o':
			dir = optarg;
			break;
		case 'h':
			fputs(keygen_help, stdout);
			return 0;
		default:
			return cli_usage_error("keygen", "unknown or incomplete option %s",
			                       argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_usage_error("keygen", "unexpected argument %s", argv[optind]);
	if (!code || !name || !kind_text || !dir)
		return cli_usage_error("keygen",
		                       "--code, --name, --kind and --key-out are required");
	if (bundle_kind_parse(kind_text, &kind) < 0)
		return cli_usage_error("keygen", "--kind must be prison, probation or root");
	if ((r = validity("keygen", days, nb_text, &nb, &na)) != 0)
		return r;
	if (bundle_identity_generate(code, name, kind, nb, na, &id, &err) < 0) {
		/* A bad code or name is a bad command line. */
		if (err.code == -EINVAL)
			return cli_usage_error("keygen", "%s", err.message);
		return cli_fail("keygen", &err);
	}
	r = bundle_identity_save(id, dir, &err);
	if (r == 0)
		printf("%s %s (%s): identity in %s/%s, certificate %s/%s\nfingerprint %s\n", code,
		       name, kind_text, dir, BUNDLE_IDENTITY_KEY_FILE, dir,
		       BUNDLE_IDENTITY_CERT_FILE,
		       bundle_cert_fingerprint(bundle_identity_cert(id)));
	bundle_identity_free(id);
	return r == 0 ? 0 : cli_fail("keygen", &err);
}

int
cmd_certify(int argc, char **argv)
{
	static const struct option options[] = {{"root", required_argument, NULL, 'r'},
	                                        {"cert", required_argument, NULL, 'c'},
	                                        {"days", required_argument, NULL, 'd'},
	                                        {"not-before", required_argument, NULL, 'b'},
	                                        {"out", required_argument, NULL, 'o'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	const char *root_dir = NULL, *cert_path = NULL, *days = NULL, *nb_text = NULL, *out = NULL;
	struct bundle_error err = {0};
	struct bundle_identity *root = NULL;
	struct bundle_cert *request = NULL, *issued = NULL;
	int64_t nb, na;
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			root_dir = optarg;
			break;
		case 'c':
			cert_path = optarg;
			break;
		case 'd':
			days = optarg;
			break;
		case 'b':
			nb_text = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			fputs(certify_help, stdout);
			return 0;
		default:
			return cli_usage_error("certify", "unknown or incomplete option %s",
			                       argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_usage_error("certify", "unexpected argument %s", argv[optind]);
	if (!root_dir || !cert_path || !out)
		return cli_usage_error("certify", "--root, --cert and --out are required");
	if ((r = validity("certify", days, nb_text, &nb, &na)) != 0)
		return r;
	if (bundle_identity_load(root_dir, &root, &err) < 0 ||
	    bundle_cert_load(cert_path, &request, &err) < 0 ||
	    bundle_cert_issue(root, request, nb, na, &issued, &err) < 0 ||
	    bundle_cert_save(issued, out, &err) < 0) {
		r = cli_fail("certify", &err);
		goto done;
	}
	printf("%s %s: certificate issued by %s in %s\nfingerprint %s\n", bundle_cert_code(issued),
	       bundle_cert_name(issued), bundle_cert_code(bundle_identity_cert(root)), out,
	       bundle_cert_fingerprint(issued));
	r = 0;
done:
	bundle_cert_free(issued);
	bundle_cert_free(request);
	bundle_identity_free(root);
	return r;
}

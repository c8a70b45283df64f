/*
 * cmd_build.c: onward-pack build, run by a provider: builds and signs a course pack from a
 * folder holding course.json, pages, images and quizzes. Shows progress on big packs.
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

#define PROGRESS_FROM (16u << 20) /* packs smaller than this build too fast to need it */

static const char help[] =
        "usage: onward-pack build DIR -o FILE --key KEY.pem --cert CERT\n"
        "\n"
        "Builds a course pack from DIR (course.json plus pages/, images/, quizzes/),\n"
        "checks every file as the verifier will, signs it with the provider's private key\n"
        "KEY.pem and includes the provider certificate CERT.\n";

struct progress {
	int last; /* percent shown last, or -1 */
	bool tty;
};

static void
on_progress(void *userdata, uint64_t done, uint64_t total)
{
	struct progress *p = userdata;
	int percent = total ? (int)(done * 100 / total) : 100;

	if (total < PROGRESS_FROM || percent == p->last ||
	    (!p->tty && percent / 10 == p->last / 10))
		return;
	p->last = percent;
	fprintf(stderr, "%sbuild: checked %d%% (%ju of %ju MB)%s", p->tty ? "\r" : "", percent,
	        (uintmax_t)(done >> 20), (uintmax_t)(total >> 20), p->tty ? "" : "\n");
	if (p->tty && done == total)
		fputc('\n', stderr);
}

int
cmd_build(int argc, char **argv)
{
	static const struct option options[] = {{"out", required_argument, NULL, 'o'},
	                                        {"key", required_argument, NULL, 'k'},
	                                        {"cert", required_argument, NULL, 'c'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	const char *out = NULL, *key_path = NULL, *cert_path = NULL, *dir;
	struct progress progress = {.last = -1, .tty = isatty(STDERR_FILENO)};
	struct pack_key *key = NULL;
	struct pack_cert *cert = NULL;
	struct pack_error err = {0};
	struct pack_manifest *m = NULL;
	struct pack_cert *check = NULL;
	int c, rc = 1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'k')
			key_path = optarg;
		else if (c == 'c')
			cert_path = optarg;
		else if (c == 'h')
			return fputs(help, stdout), 0;
		else
			return cli_usage_error("build", "unknown or incomplete option %s",
			                       argv[optind - 1]);
	}
	if (argc - optind != 1)
		return cli_usage_error("build", "give exactly one folder to build");
	dir = argv[optind];
	if (!out || !key_path || !cert_path)
		return cli_usage_error("build",
		                       "-o FILE, --key KEY.pem and --cert CERT are required");
	if (pack_key_load_private(key_path, &key, &err) < 0 ||
	    pack_cert_load(cert_path, &cert, &err) < 0 ||
	    pack_build_dir(dir, key, cert, out, on_progress, &progress, &err) < 0 ||
	    pack_peek_file(out, NULL, &m, &check, &err) < 0) {
		rc = cli_fail("build", &err);
		goto out;
	}
	printf("built %s: %s %s, %zu modules, %zu files\n", out, pack_manifest_id(m),
	       pack_manifest_version(m), pack_manifest_module_count(m),
	       pack_manifest_file_count(m));
	rc = 0;
out:
	pack_manifest_free(m);
	pack_cert_free(check);
	pack_cert_free(cert);
	pack_key_free(key);
	return rc;
}

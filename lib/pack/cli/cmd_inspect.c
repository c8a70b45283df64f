/*
 * cmd_inspect.c: onward-pack inspect, showing what a pack holds: the course, its provider,
 * modules and files, and the certificate, as text or (--json) as JSON. Without --trust it
 * checks no signature and says so; with --trust it verifies the pack first, as verify does.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"

static const char help[] =
        "usage: onward-pack inspect FILE [--json] [--trust ROOT_PUB.pem [--at DATE]]\n"
        "\n"
        "Shows a course pack's manifest summary. Signatures are checked only with --trust.\n";

static uint64_t
total_bytes(const struct pack_manifest *m)
{
	uint64_t total = 0;

	for (size_t i = 0; i < pack_manifest_file_count(m); i++)
		total += pack_manifest_file_size(m, i);
	return total;
}

static void
print_text(const struct pack_manifest *m, const struct pack_cert *cert, bool verified)
{
	char nb[PACK_TIME_MAX], na[PACK_TIME_MAX];

	pack_time_format(pack_cert_not_before(cert), nb);
	pack_time_format(pack_cert_not_after(cert), na);
	printf("%s\n", pack_manifest_title(m));
	printf("  id:        %s\n", pack_manifest_id(m));
	printf("  version:   %s\n", pack_manifest_version(m));
	printf("  provider:  %s (%s)\n", pack_manifest_provider_name(m),
	       pack_manifest_provider_id(m));
	printf("  level:     %s\n", pack_level_name(pack_manifest_level(m)));
	printf("  language:  %s\n", pack_manifest_language(m));
	printf("  minutes:   %u\n", pack_manifest_minutes(m));
	printf("  modules:   %zu\n", pack_manifest_module_count(m));
	for (size_t i = 0; i < pack_manifest_module_count(m); i++) {
		const struct pack_module *mod = pack_manifest_module(m, i);

		printf("    %zu. %s: %s (%u min, %zu pages%s%s)\n", i + 1, pack_module_id(mod),
		       pack_module_title(mod), pack_module_minutes(mod),
		       pack_module_page_count(mod), pack_module_quiz(mod) ? ", quiz " : "",
		       pack_module_quiz(mod) ? pack_module_quiz(mod) : "");
	}
	printf("  files:     %zu (%ju bytes)\n", pack_manifest_file_count(m),
	       (uintmax_t)total_bytes(m));
	printf("  certificate: %s, valid %s to %s, issued by root key %s\n",
	       pack_cert_provider_id(cert), nb, na, pack_cert_issuer_key_id(cert));
	printf("  signatures: %s\n",
	       verified ? "verified" : "NOT checked (use --trust, or onward-pack verify)");
}

static int
print_json(const struct pack_manifest *m, const struct pack_cert *cert, bool verified)
{
	char nb[PACK_TIME_MAX], na[PACK_TIME_MAX];
	json_t *modules = json_array(), *files = json_array(), *out;
	char *text;

	pack_time_format(pack_cert_not_before(cert), nb);
	pack_time_format(pack_cert_not_after(cert), na);
	for (size_t i = 0; modules && i < pack_manifest_module_count(m); i++) {
		const struct pack_module *mod = pack_manifest_module(m, i);
		json_t *pages = json_array();

		for (size_t k = 0; pages && k < pack_module_page_count(mod); k++)
			json_array_append_new(pages, json_string(pack_module_page(mod, k)));
		json_array_append_new(modules, json_pack("{s:s, s:s, s:i, s:o, s:s?}", "id",
		                                         pack_module_id(mod), "title",
		                                         pack_module_title(mod), "minutes",
		                                         (int)pack_module_minutes(mod), "pages",
		                                         pages, "quiz", pack_module_quiz(mod)));
	}
	for (size_t i = 0; files && i < pack_manifest_file_count(m); i++)
		json_array_append_new(files,
		                      json_pack("{s:s, s:I}", "name", pack_manifest_file_name(m, i),
		                                "size", (json_int_t)pack_manifest_file_size(m, i)));
	out = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:i, s:o, s:o, "
	                "s:{s:s, s:s, s:s, s:s}, s:b}",
	                "id", pack_manifest_id(m), "version", pack_manifest_version(m), "title",
	                pack_manifest_title(m), "provider", "id", pack_manifest_provider_id(m),
	                "name", pack_manifest_provider_name(m), "level",
	                pack_level_name(pack_manifest_level(m)), "language",
	                pack_manifest_language(m), "minutes", (int)pack_manifest_minutes(m),
	                "modules", modules, "files", files, "certificate", "provider_id",
	                pack_cert_provider_id(cert), "not_before", nb, "not_after", na,
	                "issuer_key_id", pack_cert_issuer_key_id(cert), "verified", verified);
	if (!out)
		return -1;
	text = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(out);
	if (!text)
		return -1;
	puts(text);
	free(text);
	return 0;
}

int
cmd_inspect(int argc, char **argv)
{
	static const struct option options[] = {{"json", no_argument, NULL, 'j'},
	                                        {"trust", required_argument, NULL, 't'},
	                                        {"at", required_argument, NULL, 'a'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	const char *trust = NULL, *at_text = NULL, *file;
	struct pack_manifest *m = NULL;
	struct pack_cert *cert = NULL;
	struct pack_key *root = NULL;
	struct pack *pack = NULL;
	struct pack_error err = {0};
	int64_t at = (int64_t)time(NULL);
	bool json = false;
	int c, rc = 1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 't')
			trust = optarg;
		else if (c == 'a')
			at_text = optarg;
		else if (c == 'h')
			return fputs(help, stdout), 0;
		else
			return cli_usage_error("inspect", "unknown or incomplete option %s",
			                       argv[optind - 1]);
	}
	if (argc - optind != 1)
		return cli_usage_error("inspect", "give exactly one pack to inspect");
	file = argv[optind];
	if (at_text && (!trust || cli_parse_date(at_text, &at, 0) < 0))
		return cli_usage_error("inspect", "--at needs --trust and a date (YYYY-MM-DD)");
	if (trust) {
		if (pack_key_load_public(trust, &root, &err) < 0)
			goto fail;
		if (pack_open_file(file, root, at, NULL, &pack, &err) < 0)
			goto fail;
	} else if (pack_peek_file(file, NULL, &m, &cert, &err) < 0) {
		goto fail;
	}
	if (json) {
		if (print_json(pack ? pack_get_manifest(pack) : m,
		               pack ? pack_get_cert(pack) : cert, pack != NULL) < 0) {
			fputs("onward-pack inspect: out of memory\n", stderr);
			goto out;
		}
	} else {
		print_text(pack ? pack_get_manifest(pack) : m, pack ? pack_get_cert(pack) : cert,
		           pack != NULL);
	}
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "onward-pack inspect: %s: %s\n", file, err.message);
out:
	pack_free(pack);
	pack_manifest_free(m);
	pack_cert_free(cert);
	pack_key_free(root);
	return rc;
}

/*
 * onwardctl commands for courses and certificates: rows of the command table (see
 * commands.h), the functions that print their replies, and the one command that runs
 * without the daemon: `certificate verify FILE [--key PUBKEY]` checks a certificate right
 * here with the certificate library, so it works anywhere, after release, on a machine
 * with no Onward daemon at all.
 *
 * Without --key, verify can only say that the certificate is intact: anyone can make a key
 * and sign a certificate naming any establishment, so it never says "good" then, and
 * exits with its own status (3), not 0.
 *
 * The command table has no way to run a command locally, so learning_local() below looks
 * at the command line before main() does (a constructor, which glibc calls with argc and
 * argv): for `certificate verify` it does the whole job and exits; for `certificate
 * export` it lets `-o FILE` stand for `--output FILE`. Every other command line passes
 * through untouched.
 */
#include "commands.h"
#include "print.h"

#include "coursecert.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
print_trust_root(FILE *out, json_t *params)
{
	fprintf(out, "course packs must now be signed under content root %s",
	        print_text(params, "key_id"));
	if (json_is_string(json_object_get(params, "replaced")))
		fprintf(out, " (it replaces %s; courses installed before keep working)",
		        print_text(params, "replaced"));
	fputc('\n', out);
}

/* The progress line of an install, on a terminal: "checking money.pack: 45% (3 s)". */
static void
print_install_status(FILE *out, json_t *params)
{
	fprintf(out, "checking %s: %lld%% (%lld s)", print_text(params, "file"),
	        (long long)json_integer_value(json_object_get(params, "percent")),
	        (long long)json_integer_value(json_object_get(params, "seconds")));
}

static void
print_installed(FILE *out, json_t *params)
{
	json_t *c = json_object_get(params, "course");

	fprintf(out, "installed %s %s: %s (%s, %s)", print_text(c, "id"), print_text(c, "version"),
	        print_text(c, "title"), print_text(c, "level"), print_text(c, "provider"));
	if (json_is_string(json_object_get(params, "replaced")))
		fprintf(out, ", replacing version %s; everyone's progress is kept",
		        print_text(params, "replaced"));
	fprintf(out, "\nsha256 %s, %lld bytes\n", print_text(c, "sha256"),
	        (long long)json_integer_value(json_object_get(c, "size")));
}

static void
print_courses(FILE *out, json_t *params)
{
	size_t i;
	json_t *c;

	fprintf(out, "%-32s %-8s %-7s %-20s %s\n", "ID", "VERSION", "LEVEL", "INSTALLED", "TITLE");
	json_array_foreach(json_object_get(params, "courses"), i, c) fprintf(
	        out, "%-32s %-8s %-7s %-20s %s\n", print_text(c, "id"), print_text(c, "version"),
	        print_text(c, "level"), print_text(c, "installed_at"), print_text(c, "title"));
}

static void
print_removed_course(FILE *out, json_t *params)
{
	fprintf(out,
	        "removed %s %s; people's progress and certificates are kept, and come back if it "
	        "is installed again\n",
	        print_text(params, "removed"), print_text(params, "version"));
}

static void
print_score(FILE *out, json_t *cert)
{
	json_t *score = json_object_get(cert, "score");

	if (json_is_integer(score))
		fprintf(out, "%lld%%", (long long)json_integer_value(score));
	else
		fputs("done", out);
}

static void
print_certificates(FILE *out, json_t *params)
{
	size_t i;
	json_t *c;

	fprintf(out, "%-26s %-20s %-32s %-8s %s\n", "ID", "ISSUED", "COURSE", "VERSION", "SCORE");
	json_array_foreach(json_object_get(params, "certificates"), i, c)
	{
		fprintf(out, "%-26s %-20s %-32s %-8s ", print_text(c, "id"),
		        print_text(c, "issued"), print_text(c, "course"), print_text(c, "version"));
		print_score(out, c);
		fputc('\n', out);
	}
}

static void
print_exported_certificate(FILE *out, json_t *params)
{
	json_t *c = json_object_get(params, "certificate");

	if (json_is_string(json_object_get(params, "output")))
		fprintf(out, "certificate %s (%s, %s) written to %s\n", print_text(c, "id"),
		        print_text(c, "prison_number"), print_text(c, "title"),
		        print_text(params, "output"));
	else
		fputs(print_text(params, "document"), out);
}

static void
print_certificate_key(FILE *out, json_t *params)
{
	fputs(print_text(params, "public_key"), out);
}

static void
print_nothing(FILE *out, json_t *params)
{
	(void)out;
	(void)params;
}

static const struct command_option no_options[] = {{NULL}};

static const struct command_option export_options[] = {
        {"output", "output", OPT_PATH, "write it to this new file (also -o FILE)"},
        {NULL},
};

static const struct command_option verify_options[] = {
        {"key", "key", OPT_STRING,
         "the issuing establishment's public key (from onwardctl certificate key)"},
        {NULL},
};

/* clang-format off */
const struct command learning_commands[] = {
	{"course", "trust-root", "onward.Course.TrustRoot", {"path"}, "p", no_options,
	 "trust this content root (an Ed25519 public key file) for course packs",
	 print_trust_root},
	{"course", "install", "onward.Course.Install", {"path"}, "p", no_options,
	 "verify a course pack completely and install it (a newer version replaces the old)",
	 print_installed, .progress_method = "onward.Course.InstallStatus",
	 .progress_print = print_install_status},
	{"course", "list", "onward.Course.List", {NULL}, "", no_options,
	 "list the courses installed on this device", print_courses},
	{"course", "remove", "onward.Course.Remove", {"id"}, "s", no_options,
	 "remove a course (people keep their progress and certificates)", print_removed_course},
	{"certificate", "list", "onward.Certificate.List", {"prison_number"}, "s", no_options,
	 "list a person's course certificates", print_certificates},
	{"certificate", "export", "onward.Certificate.Export", {"id"}, "s", export_options,
	 "print a certificate (its signed JSON), or write it to a file with -o FILE",
	 print_exported_certificate},
	{"certificate", "key", "onward.Certificate.Key", {NULL}, "", no_options,
	 "print the public key that checks this establishment's certificates (PEM)",
	 print_certificate_key},
	/* Run by learning_local() below, never sent to the daemon. */
	{"certificate", "verify", "onward.Certificate.Verify", {"file"}, "s", verify_options,
	 "check a certificate file here, without the daemon, against its issuer's key (--key)",
	 print_nothing, .anonymous = true},
	{NULL},
};
/* clang-format on */

/* ---- certificate verify: offline ---- */

/* The exit status when the certificate is intact but was not checked against a key. */
#define VERIFY_NOT_CHECKED 3

static int
verify_usage(FILE *out, int status)
{
	fprintf(out,
	        "Usage: onwardctl certificate verify FILE --key PUBKEY [--json]\n\n"
	        "Checks a course certificate here, without the daemon: its form, that its\n"
	        "signature holds, and that it was issued by the establishment whose public key\n"
	        "PUBKEY is (onwardctl certificate key prints it, at that establishment).\n"
	        "Without --key nothing says who issued it: anyone can sign a certificate that\n"
	        "names any establishment. It is then only shown, never called good.\n"
	        "Exit status: 0 good (issued by the key given), 1 not good, 2 usage,\n"
	        "3 not checked (no --key: intact, but its issuer unknown).\n");
	return status;
}

/* Reads a certificate file, one byte past the limit so that a larger one is noticed. */
static int
read_document(const char *path, char **ret, size_t *ret_len)
{
	size_t cap = COURSECERT_DOCUMENT_MAX + 2, len = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), r = 0;

	if (!buf || fd < 0) {
		r = fd < 0 ? -errno : -ENOMEM;
		free(buf);
		if (fd >= 0)
			close(fd);
		return r;
	}
	while (len < cap - 1) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 0;
}

static void
print_verified(FILE *out, const struct coursecert_fields *f, bool pinned)
{
	char issued[COURSECERT_TIME_MAX];

	if (coursecert_time_format(f->issued_at, issued) < 0)
		strcpy(issued, "?");
	if (pinned)
		fprintf(out, "certificate %s: good\n", f->id);
	else
		fprintf(out,
		        "certificate %s: NOT CHECKED: who issued it is unknown (no --key)\n"
		        "  Anyone can sign a certificate that names any establishment. What it\n"
		        "  claims, below, is not to be relied on until it is checked with the\n"
		        "  public key of the establishment it names (--key).\n",
		        f->id);
	fprintf(out, "  person:     %s %s (%s)\n", f->given_name, f->family_name, f->prison_number);
	fprintf(out, "  course:     %s (%s %s, %s)\n", f->course_title, f->course_id,
	        f->course_version, f->course_level);
	fprintf(out, "  provider:   %s\n", f->provider_name);
	fprintf(out, "  %s %s at %s (%s)\n", pinned ? "issued:    " : "claims:    ", issued,
	        f->establishment_name, f->establishment_code);
	if (f->score >= 0)
		fprintf(out, "  score:      %d%%\n", f->score);
	else
		fprintf(out, "  score:      completed (the course has no quizzes)\n");
	if (pinned)
		fprintf(out, "  signed by:  key %s, the establishment key given\n", f->key_id);
	else
		fprintf(out,
		        "  signed by:  key %s, which the certificate itself carries: this shows\n"
		        "              only that nothing was changed after signing, not by whom.\n"
		        "              Check it with that establishment's public key: --key "
		        "PUBKEY.\n",
		        f->key_id);
}

static int
verify_json(const struct coursecert_fields *f, bool pinned, const struct coursecert_error *err)
{
	json_t *out;

	if (err) {
		out = json_pack("{s:b, s:s, s:s}", "ok", 0, "status", "not good", "error",
		                err->message);
	} else {
		char issued[COURSECERT_TIME_MAX];

		if (coursecert_time_format(f->issued_at, issued) < 0)
			strcpy(issued, "?");
		/* "ok" only when it is good: checked against the issuer's key. */
		out = json_pack("{s:b, s:s, s:b, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
		                "s:s, s:o, s:s, s:s, s:s}}",
		                "ok", pinned, "status", pinned ? "good" : "not checked",
		                "issuer_checked", pinned, "certificate", "id", f->id, "given_name",
		                f->given_name, "family_name", f->family_name, "prison_number",
		                f->prison_number, "course", f->course_id, "title", f->course_title,
		                "version", f->course_version, "level", f->course_level, "provider",
		                f->provider_name, "issued", issued, "score",
		                f->score >= 0 ? json_integer(f->score) : json_null(),
		                "establishment", f->establishment_code, "establishment_name",
		                f->establishment_name, "key_id", f->key_id);
	}
	json_dumpf(out, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	fputc('\n', stdout);
	json_decref(out);
	return err ? 1 : pinned ? 0 : VERIFY_NOT_CHECKED;
}

/* The whole of `onwardctl certificate verify`; returns the exit status. */
static int
verify_command(int argc, char **argv, int first, bool json)
{
	const char *file = NULL, *key_path = NULL;
	struct coursecert_key *key = NULL;
	struct coursecert_fields f;
	struct coursecert_error err = {0};
	char *doc = NULL;
	size_t len = 0;
	int r;

	for (int i = first; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return verify_usage(stdout, 0);
		if (strcmp(a, "--json") == 0)
			continue;
		if (strcmp(a, "--state-dir") == 0 || strcmp(a, "--as") == 0) {
			i++;
		} else if (strncmp(a, "--state-dir=", 12) == 0 || strncmp(a, "--as=", 5) == 0) {
			continue;
		} else if (strcmp(a, "--key") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "onwardctl: --key needs a value\n");
				return verify_usage(stderr, 2);
			}
			key_path = argv[++i];
		} else if (strncmp(a, "--key=", 6) == 0) {
			key_path = a + 6;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "onwardctl: unknown option '%s'\n", a);
			return verify_usage(stderr, 2);
		} else if (!file) {
			file = a;
		} else {
			fprintf(stderr, "onwardctl: unexpected argument '%s'\n", a);
			return verify_usage(stderr, 2);
		}
	}
	if (!file) {
		fprintf(stderr, "onwardctl: missing the certificate file\n");
		return verify_usage(stderr, 2);
	}
	if (key_path && coursecert_key_load_public(key_path, &key, &err) < 0) {
		fprintf(stderr, "onwardctl: %s\n", err.message);
		return 2;
	}
	r = read_document(file, &doc, &len);
	if (r < 0) {
		fprintf(stderr, "onwardctl: %s: %s\n", file, strerror(-r));
		coursecert_key_free(key);
		return 1;
	}
	r = coursecert_verify(doc, len, key, &f, &err);
	free(doc);
	if (json) {
		r = verify_json(&f, key != NULL, r < 0 ? &err : NULL);
	} else if (r < 0) {
		fprintf(stderr, "onwardctl: %s: not a good certificate: %s\n", file, err.message);
		r = 1;
	} else {
		print_verified(stdout, &f, key != NULL);
		r = key ? 0 : VERIFY_NOT_CHECKED;
	}
	coursecert_key_free(key);
	return r;
}

/* Runs before main() (see the top of this file). */
__attribute__((constructor)) static void
learning_local(int argc, char **argv, char **envp)
{
	const char *words[2] = {NULL, NULL};
	int n = 0, after = 0;
	bool json = false, help = false;

	(void)envp;
	if (argc < 2 || !argv)
		return;
	for (int i = 1; i < argc && n < 2; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--state-dir") == 0 || strcmp(a, "--as") == 0)
			i++;
		else if (strcmp(a, "--json") == 0)
			json = true;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			help = true;
		else if (a[0] == '-')
			continue;
		else {
			words[n++] = a;
			after = i + 1;
		}
	}
	if (n < 2 || strcmp(words[0], "certificate") != 0)
		return;
	if (strcmp(words[1], "verify") == 0) {
		for (int i = after; i < argc; i++)
			json = json || strcmp(argv[i], "--json") == 0;
		fflush(stdout);
		exit(help ? verify_usage(stdout, 0) : verify_command(argc, argv, after, json));
	}
	if (strcmp(words[1], "export") == 0) {
		static char output[] = "--output";

		for (int i = after; i < argc; i++)
			if (strcmp(argv[i], "-o") == 0)
				argv[i] = output;
	}
}

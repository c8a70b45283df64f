/*
 * Installing course packs through the real daemon, and every way a pack is refused: a
 * changed byte, a key the content root never certified, a certificate from another root,
 * expired or not yet valid, a file listed but missing or present but unlisted, path
 * traversal, an oversized pack and an oversized file, a zip bomb, broken Markdown, quiz
 * JSON, manifest and PNG, and files that are not packs at all; and the pack findings of
 * issue 14 (a symbolic link entry, a pack that would unpack to 528 MiB, titles with a C1
 * control or a right-to-left override, an unknown signer and garbage where the zip should
 * be, a format 1 pack, a FIFO or socket given as the pack, a long path). Each is refused
 * with the pack library's own line (checked against the library run here on the same bytes) and
 * leaves the installed courses and the courses folder exactly as they were. Also: no
 * install before a content root is trusted, and only staff whose role allows it.
 */
#include "learn.h"
#include "pack_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static size_t installed_files;

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The library's verdict on the same bytes at the same time, as the daemon will see it. */
static void
library_message(struct learn *l, const void *data, size_t len, char *ret, size_t size)
{
	struct pack_error err = {0};
	struct pack *pack = NULL;

	CHECK(pack_open_mem(data, len, l->fx.root, l->now, NULL, &pack, &err) < 0);
	snprintf(ret, size, "%s", err.message);
}

/* Installs path as education staff and checks the refusal and that nothing changed. */
static void
expect_refused(struct learn *l, const char *path, const char *problem, const char *message)
{
	struct client_reply r;
	char want[1200];
	json_t *list, *course;

	learn_install(l, "r.evans", path, &r);
	snprintf(want, sizeof(want), "The course pack was refused: %s", message);
	if (!r.error || strcmp(client_reply_message(&r), want) != 0)
		check_failed(__FILE__, __LINE__, "install %s: got \"%s\", expected \"%s\"", path,
		             client_reply_message(&r), want);
	CHECK_STR(r.error, "onward.InvalidParameter");
	CHECK_STR(json_string_value(json_object_get(r.parameters, "parameter")), "path");
	CHECK_STR(json_string_value(json_object_get(r.parameters, "problem")), problem);
	client_reply_release(&r);
	CHECK_INT(learn_course_files(l), installed_files);
	list = daemon_admin_ok(&l->d, "onward.Course.List", NULL);
	CHECK_INT(json_array_size(json_object_get(list, "courses")), 1);
	course = json_array_get(json_object_get(list, "courses"), 0);
	CHECK_STR(json_string_value(json_object_get(course, "id")), "org.example.test");
	CHECK_STR(json_string_value(json_object_get(course, "version")), "1.2.3");
	json_decref(list);
}

/* Packs fx's files with opts, checks the library refuses them with want, then the daemon. */
static void
expect_pack_refused(struct learn *l, const struct fx_file *files, size_t n,
                    const struct fx_opts *opts, const char *problem, const char *want)
{
	char message[PACK_ERROR_MAX];
	void *data;
	size_t len;

	fx_pack(&l->fx, files, n, opts, &data, &len);
	library_message(l, data, len, message, sizeof(message));
	CHECK_CONTAINS(message, want);
	expect_refused(l, learn_write(l, "bad.pack", data, len), problem, message);
	free(data);
}

/* Patches an entry's uncompressed size in its local header and central record. */
static void
patch_size(uint8_t *data, size_t len, const char *name, uint32_t size)
{
	size_t n = strlen(name), patched = 0;

	for (size_t i = 0; i + 46 + n <= len; i++) {
		uint8_t *p = data + i;
		size_t off;

		if (p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4 && p[26] == n &&
		    memcmp(p + 30, name, n) == 0)
			off = 22;
		else if (p[0] == 'P' && p[1] == 'K' && p[2] == 1 && p[3] == 2 && p[28] == n &&
		         memcmp(p + 46, name, n) == 0)
			off = 24;
		else
			continue;
		p[off] = (uint8_t)size;
		p[off + 1] = (uint8_t)(size >> 8);
		p[off + 2] = (uint8_t)(size >> 16);
		p[off + 3] = (uint8_t)(size >> 24);
		patched++;
	}
	CHECK_INT(patched, 2);
}

int
main(void)
{
	struct learn l;
	struct client_reply r;
	struct pack_error err = {0};
	struct pack_key *other;
	char message[PACK_ERROR_MAX], want[800], path[600];
	const char *good;
	uint8_t *data;
	size_t len;
	int fd;

	test_step("no course can be installed before a content root is trusted");
	learn_setup(&l, false);
	good = learn_pack_file(&l, "good.pack", NULL);
	learn_install(&l, "admin", good, &r);
	CHECK_STR(r.error, "onward.Conflict");
	CHECK_STR(client_reply_message(&r),
	          "No content root is trusted yet, so no course can be installed. Set it first: "
	          "onwardctl course trust-root FILE.");
	client_reply_release(&r);
	CHECK_INT(learn_course_files(&l), 0);

	test_step("a trust root must be an Ed25519 public key file");
	{
		struct client *c = daemon_connect_admin(&l.d);

		daemon_call(c, "onward.Course.TrustRoot",
		            json_pack("{s:s, s:s}", "as", "admin", "path", good), &r);
		CHECK_STR(r.error, "onward.InvalidParameter");
		snprintf(want, sizeof(want),
		         "That is not a content root public key: %s: not a PEM public key", good);
		CHECK_STR(client_reply_message(&r), want);
		client_reply_release(&r);
		/* The system's words never reach staff: "No such file or directory" is not. */
		daemon_call(c, "onward.Course.TrustRoot",
		            json_pack("{s:s, s:s}", "as", "admin", "path", "/nonexistent/root.pub"),
		            &r);
		CHECK_STR(client_reply_message(&r),
		          "That is not a content root public key: "
		          "/nonexistent/root.pub: there is no file there");
		client_reply_release(&r);
		daemon_call(c, "onward.Course.TrustRoot",
		            json_pack("{s:s, s:s}", "as", "r.evans", "path", l.root_pub), &r);
		CHECK_STR(r.error, "onward.PermissionDenied");
		CHECK_STR(client_reply_message(&r), "Your role cannot do this here.");
		client_reply_release(&r);
		client_free(c);
	}
	json_decref(daemon_admin_ok(&l.d, "onward.Course.TrustRoot",
	                            json_pack("{s:s}", "path", l.root_pub)));

	test_step("officers may not install; education staff may");
	learn_install(&l, "j.smith", good, &r);
	CHECK_STR(r.error, "onward.PermissionDenied");
	CHECK_STR(client_reply_message(&r), "Your role cannot do this here.");
	client_reply_release(&r);
	CHECK_INT(learn_course_files(&l), 0);
	learn_install(&l, "r.evans", good, &r);
	CHECK(r.error == NULL);
	CHECK_STR(json_string_value(json_object_get(json_object_get(r.parameters, "course"), "id")),
	          "org.example.test");
	CHECK(json_is_null(json_object_get(r.parameters, "replaced")));
	client_reply_release(&r);
	installed_files = learn_course_files(&l);
	CHECK_INT(installed_files, 1);
	snprintf(path, sizeof(path), "%s/courses/org.example.test-1.2.3.pack", l.d.dir);
	CHECK(access(path, R_OK) == 0);

	test_step("a byte changed after signing");
	fx_good_pack(&l.fx, (void **)&data, &len);
	data[len / 2] ^= 0x01;
	library_message(&l, data, len, message, sizeof(message));
	expect_refused(&l, learn_write(&l, "changed.pack", data, len), "signature", message);
	free(data);

	test_step("signed by a key the content root never certified");
	CHECK_INT(pack_key_generate(&other, &err), 0);
	{
		struct fx_opts opts = {.sign_key = other};

		expect_pack_refused(&l, l.fx.files, l.fx.file_count, &opts, "signature",
		                    "signature does not verify with the provider key (the pack was "
		                    "changed after signing, or signed by another key)");
	}

	test_step("a provider certificate from another root");
	{
		struct pack_cert *cert, *mine = l.fx.cert;
		char other_id[PACK_KEY_ID_MAX], root_id[PACK_KEY_ID_MAX];

		CHECK_INT(pack_cert_issue(other, l.fx.provider, "example-college",
		                          "Example College", l.now - LEARN_DAY, l.now + LEARN_DAY,
		                          &cert, &err),
		          0);
		pack_key_id(other, other_id);
		pack_key_id(l.fx.root, root_id);
		snprintf(want, sizeof(want),
		         "certificate was issued by root key %s, not by the trusted root %s",
		         other_id, root_id);
		l.fx.cert = cert;
		expect_pack_refused(&l, l.fx.files, l.fx.file_count, NULL, "signature", want);
		l.fx.cert = mine;
		pack_cert_free(cert);
	}
	pack_key_free(other);

	test_step("an expired certificate, and one not valid yet");
	learn_certify(&l, -400, -2);
	expect_pack_refused(&l, l.fx.files, l.fx.file_count, NULL, "expired",
	                    "certificate expired on ");
	learn_certify(&l, 10, 400);
	expect_pack_refused(&l, l.fx.files, l.fx.file_count, NULL, "expired",
	                    "certificate is not valid until ");
	learn_certify(&l, -30, 365);

	test_step("a file listed but missing, and one present but not listed");
	l.fx.files[3].missing = true;
	expect_pack_refused(&l, l.fx.files, l.fx.file_count, NULL, "missing",
	                    "quizzes/check.json: listed in the manifest but missing from the pack");
	l.fx.files[3].missing = false;
	{
		struct fx_file files[FX_FILES_MAX];

		memcpy(files, l.fx.files, sizeof(files));
		files[l.fx.file_count] =
		        (struct fx_file){"pages/extra.md", "# Extra\n", 8, .unlisted = true};
		expect_pack_refused(&l, files, l.fx.file_count + 1, NULL, "malformed",
		                    "pages/extra.md: present in the pack but not listed in the "
		                    "manifest");
		files[l.fx.file_count] = (struct fx_file){"../evil.md", "# x\n", 4};
		expect_pack_refused(&l, files, l.fx.file_count + 1, NULL, "malformed",
		                    "../evil.md: '..' is not allowed in file names");
		files[l.fx.file_count] = (struct fx_file){"pages/../../evil.md", "# x\n", 4};
		expect_pack_refused(&l, files, l.fx.file_count + 1, NULL, "malformed",
		                    "pages/../../evil.md: '..' is not allowed in file names");
	}

	test_step("a file over the size limit");
	{
		struct fx_file files[FX_FILES_MAX];
		size_t big = PACK_DEFAULT_MAX_TEXT_BYTES + 1;
		char *page = malloc(big);

		memset(page, 'a', big);
		memcpy(files, l.fx.files, sizeof(files));
		files[l.fx.file_count] =
		        (struct fx_file){"pages/big.md", page, big, .unlisted = true};
		snprintf(want, sizeof(want),
		         "pages/big.md: file is %zu bytes, over the %ju-byte limit", big,
		         (uintmax_t)PACK_DEFAULT_MAX_TEXT_BYTES);
		expect_pack_refused(&l, files, l.fx.file_count + 1, NULL, "too_large", want);
		free(page);
	}

	test_step("a zip bomb: 64 MiB deflated, declaring 100 bytes");
	{
		size_t big = 64u << 20;
		char *page = malloc(big);
		static char manifest[4096];

		memset(page, 'a', big);
		snprintf(
		        manifest, sizeof(manifest),
		        "{\"format\": 1, \"id\": \"x\", \"version\": \"1.0.0\", \"title\": \"T\", "
		        "\"provider\": {\"id\": \"example-college\", \"name\": \"Example "
		        "College\"}, "
		        "\"level\": \"entry1\", \"language\": \"en\", \"minutes\": 1, \"modules\": "
		        "[{\"id\": \"m\", \"title\": \"M\", \"minutes\": 1, \"pages\": "
		        "[\"bomb.md\"]}], \"files\": [{\"name\": \"bomb.md\", \"size\": 100, "
		        "\"sha256\": "
		        "\"0000000000000000000000000000000000000000000000000000000000000000\"}]}");
		struct fx_opts opts = {.manifest = manifest};
		struct fx_file f = {"bomb.md", page, big};

		fx_pack(&l.fx, &f, 1, &opts, (void **)&data, &len);
		free(page);
		CHECK(len < (1u << 20));
		patch_size(data, len, "bomb.md", 100);
		fx_resign(&l.fx, data, len);
		library_message(&l, data, len, message, sizeof(message));
		CHECK_STR(message, "bomb.md: decompresses to more than its declared 100 bytes");
		expect_refused(&l, learn_write(&l, "bomb.pack", data, len), "too_large", message);
		free(data);
	}

	test_step("broken Markdown, quiz JSON, manifest and PNG");
	{
		struct fx_file files[FX_FILES_MAX];
		static const char bad_md[] = "# Money\n\nSave \xc3\x28 money.\n";
		static const char bad_quiz[] = "{\"format\": 1, \"title\": \"Check\",";
		uint8_t *png = malloc(l.fx.png_len);

		memcpy(files, l.fx.files, sizeof(files));
		files[1].data = bad_md;
		files[1].len = strlen(bad_md);
		expect_pack_refused(&l, files, l.fx.file_count, NULL, "malformed",
		                    "pages/02-money.md: page is not valid UTF-8 text");
		memcpy(files, l.fx.files, sizeof(files));
		files[3].data = bad_quiz;
		files[3].len = strlen(bad_quiz);
		expect_pack_refused(&l, files, l.fx.file_count, NULL, "malformed",
		                    "quizzes/check.json: quiz is not valid JSON (line 1: string or "
		                    "'}' expected near end of file)");
		memcpy(png, l.fx.png, l.fx.png_len);
		png[1] = 'Q';
		memcpy(files, l.fx.files, sizeof(files));
		files[2].data = png;
		expect_pack_refused(&l, files, l.fx.file_count, NULL, "malformed",
		                    "images/coins.png: not a PNG image (bad signature)");
		memcpy(png, l.fx.png, l.fx.png_len);
		png[29] ^= 0xff;
		expect_pack_refused(&l, files, l.fx.file_count, NULL, "malformed",
		                    "images/coins.png: not a valid PNG image (IHDR: CRC error)");
		free(png);
		struct fx_opts opts = {.manifest = "not json"};
		expect_pack_refused(&l, l.fx.files, l.fx.file_count, &opts, "malformed",
		                    "manifest: not valid JSON (line 1: '[' or '{' expected near "
		                    "'not')");
	}

	test_step("files that are not packs, and paths that are not files");
	expect_refused(&l, learn_write(&l, "junk.pack", "not a zip at all, just words", 28),
	               "malformed", "not a course pack: only 28 bytes");
	snprintf(path, sizeof(path), "%s/huge.pack", l.fx.dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0);
	CHECK_INT(ftruncate(fd, (off_t)PACK_DEFAULT_MAX_PACK_BYTES + 1), 0);
	close(fd);
	snprintf(want, sizeof(want),
	         "%s: the file is %ju bytes, over the %ju-byte limit for a pack", path,
	         (uintmax_t)PACK_DEFAULT_MAX_PACK_BYTES + 1,
	         (uintmax_t)PACK_DEFAULT_MAX_PACK_BYTES);
	expect_refused(&l, path, "too_large", want);
	unlink(path);
	snprintf(want, sizeof(want), "%s: that is a folder, not a course pack file", l.fx.dir);
	expect_refused(&l, l.fx.dir, "unreadable", want);
	snprintf(path, sizeof(path), "%s/pipe.pack", l.fx.dir);
	CHECK_INT(mkfifo(path, 0600), 0);
	snprintf(want, sizeof(want), "%s: that is a pipe (FIFO), not a course pack file", path);
	expect_refused(&l, path, "unreadable", want);
	unlink(path);
	snprintf(path, sizeof(path), "%s/nothing.pack", l.fx.dir);
	snprintf(want, sizeof(want), "%s: there is no file there", path);
	expect_refused(&l, path, "missing", want);
	learn_install(&l, "admin", "relative/money.pack", &r);
	CHECK_STR(r.error, "onward.InvalidParameter");
	CHECK_STR(client_reply_message(&r),
	          "Give the full path of the course pack, starting with /.");
	client_reply_release(&r);

	test_step("issue 14: a symbolic link entry in a signed pack");
	{
		struct fx_file files[FX_FILES_MAX];

		memcpy(files, l.fx.files, sizeof(files));
		files[l.fx.file_count] = (struct fx_file){"pages/link.md", "/etc/shadow", 11,
		                                          .unlisted = true, .mode = 0120777};
		expect_pack_refused(&l, files, l.fx.file_count + 1, NULL, "malformed",
		                    "pages/link.md: a symbolic link, not a file (packs hold only "
		                    "files)");
	}

	test_step("issue 14: 33 files of 16 MiB each, 528 MiB unpacked, refused at once");
	{
		struct fx_file files[FX_FILES_MAX];
		char names[33][16];
		double t0;

		memcpy(files, l.fx.files, l.fx.file_count * sizeof(files[0]));
		for (int i = 0; i < 33; i++) {
			snprintf(names[i], sizeof(names[i]), "images/b%02d.png", i);
			files[l.fx.file_count + (size_t)i] = (struct fx_file){
			        names[i], "0123456789abcdef", 16, .unlisted = true};
		}
		l.fx.file_count += 33;
		fx_pack(&l.fx, files, l.fx.file_count, NULL, (void **)&data, &len);
		l.fx.file_count -= 33;
		/* Each declares the largest size a file may have; none holds it. */
		for (int i = 0; i < 33; i++)
			patch_size(data, len, names[i], (uint32_t)PACK_DEFAULT_MAX_FILE_BYTES);
		fx_resign(&l.fx, data, len);
		library_message(&l, data, len, message, sizeof(message));
		CHECK_CONTAINS(message, "the files in the pack add up to ");
		CHECK_CONTAINS(message, "bytes unpacked, over the 536870912-byte limit");
		t0 = seconds();
		expect_refused(&l, learn_write(&l, "inflates.pack", data, len), "too_large",
		               message);
		CHECK(seconds() - t0 < 2.0);
		free(data);
	}

	test_step("issue 14: titles with a C1 control or a right-to-left override");
	{
		static const char *const titles[] = {"Money \xc2\x9b"
		                                     "31m",
		                                     "Money \xe2\x80\xae"
		                                     "gnp.exe"};
		static const char *const words[] = {"the title holds the control character U+009B",
		                                    "the title holds the text-direction control "
		                                    "U+202E"};

		for (int i = 0; i < 2; i++) {
			char course[1200];
			struct fx_opts opts = {.course = course};

			snprintf(
			        course, sizeof(course),
			        "{\"id\": \"org.example.test\", \"version\": \"9.0.0\", \"title\": "
			        "\"%s\", \"level\": \"entry1\", \"language\": \"en\", \"modules\": "
			        "[{\"id\": \"m\", \"title\": \"M\", \"minutes\": 1, \"pages\": "
			        "[\"pages/01-intro.md\"]}]}",
			        titles[i]);
			snprintf(want, sizeof(want), "manifest: %s", words[i]);
			expect_pack_refused(&l, l.fx.files, l.fx.file_count, &opts, "malformed",
			                    want);
		}
	}

	test_step("issue 14: an unknown signer, and garbage in place of the zip");
	{
		struct pack_error e = {0};
		char *cert;
		size_t cert_len;
		static uint8_t garbage[4096];

		memset(garbage, 0xa5, sizeof(garbage));
		CHECK_INT(pack__cert_to_json(l.fx.cert, &cert, &cert_len, &e), 0);
		CHECK_INT(pack__envelope_wrap(garbage, sizeof(garbage), cert, cert_len,
		                              l.fx.provider, (void **)&data, &len, &e),
		          0);
		free(cert);
		data[len - 1] ^= 1; /* not the bytes the provider signed */
		expect_refused(&l, learn_write(&l, "garbage.pack", data, len), "signature",
		               "signature does not verify with the provider key (the pack was "
		               "changed after signing, or signed by another key)");
		fx_resign(&l.fx, data, len); /* signed: only now may libzip look, and refuse */
		expect_refused(&l, learn_write(&l, "garbage.pack", data, len), "malformed",
		               "not a valid pack: Not a zip archive");
		free(data);
	}

	test_step("issue 14: a format 1 pack is refused with what to do");
	fx_good_pack(&l.fx, (void **)&data, &len);
	{
		size_t off = fx_zip_offset(data, len);

		expect_refused(
		        &l, learn_write(&l, "format1.pack", data + off, len - off), "old_format",
		        "this is a format 1 course pack, which is no longer accepted: rebuild "
		        "it with the current onward-pack (onward-pack build)");
	}
	free(data);

	test_step("issue 14: a FIFO and a socket are refused at once; the service goes on");
	{
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		double t0 = seconds();
		json_t *list;
		int s;

		snprintf(path, sizeof(path), "%s/pipe.pack", l.fx.dir);
		CHECK_INT(mkfifo(path, 0600), 0);
		snprintf(want, sizeof(want), "%s: that is a pipe (FIFO), not a course pack file",
		         path);
		expect_refused(&l, path, "unreadable", want);
		unlink(path);
		CHECK(strlen(l.fx.dir) + 11 < sizeof(sa.sun_path));
		memcpy(sa.sun_path, l.fx.dir, strlen(l.fx.dir));
		memcpy(sa.sun_path + strlen(l.fx.dir), "/sock.pack", 11);
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		CHECK_INT(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
		snprintf(want, sizeof(want), "%s: it is a socket or device, not a course pack file",
		         sa.sun_path);
		expect_refused(&l, sa.sun_path, "unreadable", want);
		close(s);
		unlink(sa.sun_path);
		list = daemon_admin_ok(&l.d, "onward.Course.List", NULL);
		json_decref(list);
		CHECK(seconds() - t0 < 2.0);
	}

	test_step("issue 14: a long path is shortened in the middle; the reason stays whole");
	{
		char target[sizeof(path) + 16];
		struct client_reply rr;
		const char *msg;

		snprintf(path, sizeof(path), "%s", l.fx.dir);
		for (int i = 0; i < 4; i++) {
			snprintf(
			        path + strlen(path), sizeof(path) - strlen(path),
			        "/a-folder-with-a-rather-long-name-for-the-purpose-of-this-test-%d",
			        i);
			CHECK_INT(mkdir(path, 0700), 0);
		}
		snprintf(target, sizeof(target), "%s/money.pack", path);
		CHECK_INT(symlink("/etc/passwd", target), 0);
		CHECK(strlen(target) > 250);
		learn_install(&l, "r.evans", target, &rr);
		msg = client_reply_message(&rr);
		CHECK_STR(rr.error, "onward.InvalidParameter");
		CHECK(strncmp(msg, "The course pack was refused: /tmp/", 34) == 0);
		CHECK_CONTAINS(msg, "...");
		CHECK_CONTAINS(msg,
		               "-3/money.pack: it is a symbolic link; give the path of the pack "
		               "itself");
		CHECK(strlen(msg) < 250);
		client_reply_release(&rr);
		CHECK_INT(learn_course_files(&l), installed_files);
	}

	test_step("onwardctl sends the full path and prints the refusal");
	{
		struct run_result run;
		char cwd[600];

		CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
		CHECK_INT(chdir(l.fx.dir), 0);
		daemon_onwardctl(&l.d, &run, "--as", "r.evans", "course", "install", "junk.pack",
		                 NULL);
		CHECK_INT(chdir(cwd), 0);
		CHECK_INT(run.status, 1);
		CHECK_STR(run.err,
		          "onwardctl: The course pack was refused: not a course pack: only 28 "
		          "bytes\n");
		run_result_release(&run);
		daemon_onwardctl(&l.d, &run, "course", "install", "--help", NULL);
		CHECK_INT(run.status, 0);
		CHECK_CONTAINS(run.out, "Usage: onwardctl course install path");
		run_result_release(&run);
	}

	test_step("the audit chain holds every refusal and still verifies");
	{
		json_t *rows = daemon_admin_ok(
		        &l.d, "onward.Audit.Show",
		        json_pack("{s:s, s:i}", "subject", "service:courses", "limit", 1000));
		json_t *v = daemon_admin_ok(&l.d, "onward.Audit.Verify", NULL);
		size_t i, refused = 0;
		json_t *row;

		json_array_foreach(json_object_get(rows, "rows"), i, row)
		{
			const char *outcome = json_string_value(json_object_get(row, "outcome"));

			refused += strcmp(json_string_value(json_object_get(row, "action")),
			                  "course.install") == 0 &&
			           strcmp(outcome, "failed") == 0;
		}
		CHECK(refused >= 20);
		CHECK(json_is_true(json_object_get(v, "ok")));
		json_decref(rows);
		json_decref(v);
	}

	learn_teardown(&l);
	printf("test-learning-install: OK\n");
	return 0;
}

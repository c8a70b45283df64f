/*
 * test_build.c: building packs from a provider's folder with pack_build_dir(): the good
 * path (and that a build is reproducible), and each way a build must refuse, leaving no
 * output and no temporary file behind.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "pack_int.h"

static void
on_progress(void *userdata, uint64_t done, uint64_t total)
{
	uint64_t *last = userdata;

	CHECK(done >= *last && done <= total);
	*last = done;
}

TEST(build_then_open)
{
	struct fx fx;
	struct pack_error err = {0};
	struct pack *pack;
	char src[512], out[512];
	uint64_t last = 0;
	void *page;
	size_t len;

	fx_init(&fx);
	fx_write_course(&fx, "course");
	snprintf(src, sizeof(src), "%s/course", fx.dir);
	snprintf(out, sizeof(out), "%s/out.pack", fx.dir);
	CHECK(pack_build_dir(src, fx.provider, fx.cert, out, on_progress, &last, &err) == 0);
	CHECK(last == strlen(FX_PAGE_INTRO) + strlen(FX_PAGE_MONEY) + strlen(FX_QUIZ) + fx.png_len);
	CHECK(pack_open_file(out, fx.root, fx.at, NULL, &pack, &err) == 0);
	CHECK(pack_manifest_file_count(pack_get_manifest(pack)) == 4);
	CHECK(pack_read_file(pack, "pages/02-money.md", &page, &len, &err) == 0);
	CHECK(len == strlen(FX_PAGE_MONEY) && memcmp(page, FX_PAGE_MONEY, len) == 0);
	free(page);
	pack_free(pack);
	fx_fini(&fx);
}

TEST(build_is_reproducible)
{
	struct fx fx;
	struct pack_error err = {0};
	char src[512], a[512], b[512];
	void *x, *y;
	size_t xl, yl;

	fx_init(&fx);
	fx_write_course(&fx, "course");
	snprintf(src, sizeof(src), "%s/course", fx.dir);
	snprintf(a, sizeof(a), "%s/a.pack", fx.dir);
	snprintf(b, sizeof(b), "%s/b.pack", fx.dir);
	CHECK(pack_build_dir(src, fx.provider, fx.cert, a, NULL, NULL, &err) == 0);
	sleep(1); /* a different clock must not change the bytes */
	CHECK(pack_build_dir(src, fx.provider, fx.cert, b, NULL, NULL, &err) == 0);
	CHECK(pack__file_read(a, 1 << 20, &x, &xl, &err) == 0);
	CHECK(pack__file_read(b, 1 << 20, &y, &yl, &err) == 0);
	CHECK(xl == yl && memcmp(x, y, xl) == 0);
	free(x);
	free(y);
	fx_fini(&fx);
}

/* Builds fx->dir/course into fx->dir/out/x.pack expecting failure, and no file left. */
static void
expect_build_fail(struct fx *fx, const struct pack_key *key, int code, const char *message)
{
	struct pack_error err = {0};
	char src[512], outdir[512], out[600];
	int rc;

	snprintf(src, sizeof(src), "%s/course", fx->dir);
	snprintf(outdir, sizeof(outdir), "%s/out", fx->dir);
	snprintf(out, sizeof(out), "%s/x.pack", outdir);
	CHECK(mkdir(outdir, 0755) == 0);
	rc = pack_build_dir(src, key ? key : fx->provider, fx->cert, out, NULL, NULL, &err);
	CHECK_ERR(err, rc, code, message);
	CHECK(fx_count_entries(outdir) == 0);
}

TEST(build_refuses_key_not_certified)
{
	struct fx fx;
	struct pack_key *other;
	struct pack_error err = {0};

	fx_init(&fx);
	fx_write_course(&fx, "course");
	CHECK(pack_key_generate(&other, &err) == 0);
	expect_build_fail(&fx, other, -EKEYREJECTED,
	                  "the signing key is not the key the certificate certifies");
	pack_key_free(other);
	fx_fini(&fx);
}

TEST(build_refuses_symlink)
{
	struct fx fx;
	char link[512];

	fx_init(&fx);
	fx_write_course(&fx, "course");
	snprintf(link, sizeof(link), "%s/course/pages/link.md", fx.dir);
	CHECK(symlink("/etc/passwd", link) == 0);
	expect_build_fail(&fx, NULL, -EINVAL,
	                  "pages/link.md: not a regular file or folder (links are not followed)");
	fx_fini(&fx);
}

TEST(build_refuses_bad_names_and_types)
{
	struct fx fx;
	char dir[512];

	fx_init(&fx);
	fx_write_course(&fx, "course");
	snprintf(dir, sizeof(dir), "%s/course", fx.dir);
	fx_write(dir, "pages/Notes.txt", "x", 1);
	expect_build_fail(
	        &fx, NULL, -EBADMSG,
	        "pages/Notes.txt: file names may use only a-z, 0-9, '.', '-', '_' and '/'");
	fx_fini(&fx);
}

TEST(build_refuses_missing_page)
{
	struct fx fx;
	char path[512];

	fx_init(&fx);
	fx_write_course(&fx, "course");
	snprintf(path, sizeof(path), "%s/course/pages/01-intro.md", fx.dir);
	CHECK(unlink(path) == 0);
	expect_build_fail(&fx, NULL, -EBADMSG,
	                  "course.json: manifest: module m1 names pages/01-intro.md, which is not "
	                  "listed");
	fx_fini(&fx);
}

TEST(build_refuses_bad_content)
{
	struct fx fx;
	char dir[512];

	fx_init(&fx);
	fx_write_course(&fx, "course");
	snprintf(dir, sizeof(dir), "%s/course", fx.dir);
	fx_write(dir, "quizzes/check.json", "{\"format\": 1}", 13);
	expect_build_fail(&fx, NULL, -EBADMSG,
	                  "quizzes/check.json: quiz must be an object with format, title, "
	                  "pass_percent and questions");
	fx_fini(&fx);
}

TEST(build_refuses_unknown_course_field)
{
	struct fx fx;
	char dir[512];
	static const char course[] = "{\"id\": \"x\", \"author\": \"me\"}";

	fx_init(&fx);
	fx_write_course(&fx, "course");
	snprintf(dir, sizeof(dir), "%s/course", fx.dir);
	fx_write(dir, "course.json", course, strlen(course));
	expect_build_fail(&fx, NULL, -EBADMSG, "course.json: unknown field \"author\"");
	fx_fini(&fx);
}

TEST(build_refuses_image_that_does_not_decode)
{
	struct fx fx;
	char dir[512];
	uint8_t *png;

	fx_init(&fx);
	fx_write_course(&fx, "course");
	snprintf(dir, sizeof(dir), "%s/course", fx.dir);
	png = malloc(fx.png_len);
	memcpy(png, fx.png, fx.png_len);
	png[fx.png_len - 20] ^= 0x55; /* inside the image data; the CRC now fails too */
	fx_write(dir, "images/coins.png", png, fx.png_len);
	expect_build_fail(&fx, NULL, -EBADMSG,
	                  "images/coins.png: not a valid PNG image (IDAT: incorrect data check)");
	free(png);
	fx_fini(&fx);
}

TEST(build_skips_hidden_files)
{
	struct fx fx;
	struct pack_error err = {0};
	struct pack *pack;
	char src[512], out[512];

	fx_init(&fx);
	fx_write_course(&fx, "course");
	snprintf(src, sizeof(src), "%s/course", fx.dir);
	fx_write(src, ".DS_Store", "x", 1);
	fx_write(src, ".git/config", "[core]\n", 7);
	fx_write(src, "pages/.01-intro.md.swp", "x", 1);
	snprintf(out, sizeof(out), "%s/out.pack", fx.dir);
	CHECK(pack_build_dir(src, fx.provider, fx.cert, out, NULL, NULL, &err) == 0);
	CHECK(pack_open_file(out, fx.root, fx.at, NULL, &pack, &err) == 0);
	CHECK(pack_manifest_file_count(pack_get_manifest(pack)) == 4);
	pack_free(pack);
	fx_fini(&fx);
}

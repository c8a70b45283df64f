/*
 * fixture.c: the pack tests' common ground (see fixture.h). Each test gets its own
 * temporary folder and fresh keys, and removes the folder when it ends.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <png.h>

#include "fixture.h"
#include "harness.h"
#include "pack_int.h"

const char FX_COURSE[] =
        "{\"id\": \"org.example.test\", \"version\": \"1.2.3\", \"title\": \"Test course\",\n"
        " \"level\": \"entry2\", \"language\": \"en-GB\", \"modules\": [\n"
        "  {\"id\": \"m1\", \"title\": \"First steps\", \"minutes\": 5,\n"
        "   \"pages\": [\"pages/01-intro.md\", \"pages/02-money.md\"],\n"
        "   \"quiz\": \"quizzes/check.json\"},\n"
        "  {\"id\": \"m2\", \"title\": \"Second\", \"minutes\": 7,\n"
        "   \"pages\": [\"pages/02-money.md\"]}]}\n";

const char FX_PAGE_INTRO[] = "# Intro\n"
                             "\n"
                             "Hello *world*, this is **bold**.\n"
                             "\n"
                             "- one\n"
                             "- two\n"
                             "  1. nested\n";

const char FX_PAGE_MONEY[] = "## Money\n"
                             "\n"
                             "Before ![Coins on a table](../images/coins.png) after.\n"
                             "\n"
                             "> Save `some` money &amp; &#163;5.\n";

const char FX_QUIZ[] =
        "{\"format\": 1, \"title\": \"Check\", \"pass_percent\": 60, \"questions\": [\n"
        " {\"id\": \"q1\", \"type\": \"choice\", \"prompt\": \"Rent is\",\n"
        "  \"options\": [\"money in\", \"money out\"], \"answer\": 1,\n"
        "  \"explain\": \"You pay rent, so it goes out.\"},\n"
        " {\"id\": \"q2\", \"type\": \"short\", \"prompt\": \"Pay by direct ...\",\n"
        "  \"answer\": \"Debit\", \"accept\": [\"direct  debit\"]},\n"
        " {\"id\": \"q3\", \"type\": \"choice\", \"prompt\": \"Ask for help\",\n"
        "  \"options\": [\"early\", \"late\", \"never\"], \"answer\": 0}]}\n";

struct membuf {
	uint8_t *data;
	size_t len, cap;
};

static void
on_png_write(png_structp png, png_bytep data, size_t n)
{
	struct membuf *b = png_get_io_ptr(png);

	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->data = realloc(b->data, b->cap);
		CHECK(b->data);
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
}

static void
on_png_flush(png_structp png)
{
}

/* A gradient with some noise: about as compressible as a photo or drawing. */
static void
png_rows(png_structp png, uint8_t *row, unsigned w, unsigned h, unsigned seed)
{
	for (unsigned y = 0; y < h; y++) {
		for (unsigned x = 0; x < w; x++) {
			seed = seed * 1103515245u + 12345u;
			row[3 * x] = (uint8_t)(x + (seed >> 28));
			row[3 * x + 1] = (uint8_t)(y + (seed >> 26 & 3));
			row[3 * x + 2] = (uint8_t)((x ^ y) >> 1);
		}
		png_write_row(png, row);
	}
}

void *
fx_png(unsigned w, unsigned h, unsigned seed, size_t *ret_len)
{
	struct membuf b = {0};
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	uint8_t *row = malloc((size_t)w * 3);

	CHECK(png && info && row);
	if (setjmp(png_jmpbuf(png)))
		harness_fail(__FILE__, __LINE__, "libpng could not write the image");
	png_set_write_fn(png, &b, on_png_write, on_png_flush);
	png_set_compression_level(png, 6);
	png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	png_rows(png, row, w, h, seed);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	*ret_len = b.len;
	return b.data;
}

static int
on_remove(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

void
fx_init(struct fx *fx)
{
	const char *tmp = getenv("TMPDIR");
	struct pack_error err = {0};
	int64_t nb, na;

	memset(fx, 0, sizeof(*fx));
	snprintf(fx->dir, sizeof(fx->dir), "%s/onward-pack-test.XXXXXX", tmp ? tmp : "/tmp");
	CHECK(mkdtemp(fx->dir));
	CHECK(pack_key_generate(&fx->root, &err) == 0);
	CHECK(pack_key_generate(&fx->provider, &err) == 0);
	CHECK(pack_time_parse("2026-01-01", false, &nb) == 0);
	CHECK(pack_time_parse("2026-12-31", true, &na) == 0);
	CHECK(pack_time_parse("2026-06-01", false, &fx->at) == 0);
	CHECK(pack_cert_issue(fx->root, fx->provider, "example-college", "Example College", nb, na,
	                      &fx->cert, &err) == 0);
	fx->png = fx_png(16, 12, 1, &fx->png_len);
	fx->files[0] = (struct fx_file){"pages/01-intro.md", FX_PAGE_INTRO, strlen(FX_PAGE_INTRO)};
	fx->files[1] = (struct fx_file){"pages/02-money.md", FX_PAGE_MONEY, strlen(FX_PAGE_MONEY)};
	fx->files[2] = (struct fx_file){"images/coins.png", fx->png, fx->png_len, .store = true};
	fx->files[3] = (struct fx_file){"quizzes/check.json", FX_QUIZ, strlen(FX_QUIZ)};
	fx->file_count = 4;
}

void
fx_fini(struct fx *fx)
{
	nftw(fx->dir, on_remove, 16, FTW_DEPTH | FTW_PHYS);
	pack_cert_free(fx->cert);
	pack_key_free(fx->root);
	pack_key_free(fx->provider);
	free(fx->png);
}

static int
cmp_source(const void *a, const void *b)
{
	return strcmp(((const struct pack_source_file *)a)->name,
	              ((const struct pack_source_file *)b)->name);
}

void
fx_pack(struct fx *fx, const struct fx_file *files, size_t count, const struct fx_opts *opts,
        void **ret_data, size_t *ret_len)
{
	static const struct fx_opts none;
	struct pack_source_file listed[FX_FILES_MAX];
	struct pack_error err = {0};
	struct pack_writer *w;
	char *manifest = NULL, *cert = NULL;
	void *zip = NULL;
	size_t nlisted = 0, manifest_len, cert_len, zip_len;
	const char *course;

	if (!opts)
		opts = &none;
	course = opts->course ? opts->course : FX_COURSE;
	CHECK(count <= FX_FILES_MAX);
	for (size_t i = 0; i < count; i++) {
		if (files[i].unlisted)
			continue;
		listed[nlisted].name = strdup(files[i].name);
		listed[nlisted].size = files[i].len;
		CHECK(crypto_sha256(files[i].listed_as ? files[i].listed_as : files[i].data,
		                    files[i].len, listed[nlisted].sha256) == 0);
		nlisted++;
	}
	qsort(listed, nlisted, sizeof(*listed), cmp_source);
	if (opts->manifest) {
		manifest = strdup(opts->manifest);
		manifest_len = strlen(manifest);
	} else if (pack__manifest_compose(course, strlen(course), fx->cert, listed, nlisted,
	                                  &manifest, &manifest_len, &err) < 0) {
		fprintf(stderr, "fx_pack: %s\n", err.message);
		CHECK(!"compose");
	}
	if (opts->cert_json) {
		cert = strdup(opts->cert_json);
		cert_len = strlen(cert);
	} else {
		CHECK(pack__cert_to_json(fx->cert, &cert, &cert_len, &err) == 0);
	}
	CHECK(pack__writer_new(&w, &err) == 0);
	CHECK(pack__writer_add(w, "manifest.json", manifest, manifest_len, true, &err) == 0);
	for (size_t i = 0; i < count; i++) {
		if (!files[i].missing)
			CHECK(pack__writer_add_mode(w, files[i].name, files[i].data, files[i].len,
			                            !files[i].store,
			                            files[i].mode ? files[i].mode : 0100644u,
			                            &err) == 0);
	}
	CHECK(pack__writer_finish(w, &zip, &zip_len, &err) == 0);
	CHECK(pack__envelope_wrap(zip, zip_len, cert, cert_len,
	                          opts->sign_key ? opts->sign_key : fx->provider, ret_data, ret_len,
	                          &err) == 0);
	pack__writer_free(w);
	free(zip);
	free(manifest);
	free(cert);
	for (size_t i = 0; i < nlisted; i++)
		free(listed[i].name);
}

void
fx_good_pack(struct fx *fx, void **ret_data, size_t *ret_len)
{
	fx_pack(fx, fx->files, fx->file_count, NULL, ret_data, ret_len);
}

int
fx_open(struct fx *fx, const void *data, size_t len, struct pack **ret_pack, struct pack_error *err)
{
	return pack_open_mem(data, len, fx->root, fx->at, NULL, ret_pack, err);
}

size_t
fx_patch(void *data, size_t len, const void *from, const void *to, size_t n)
{
	uint8_t *p = data;
	size_t count = 0;

	for (size_t i = 0; i + n <= len; i++) {
		if (memcmp(p + i, from, n) == 0) {
			memcpy(p + i, to, n);
			count++;
		}
	}
	return count;
}

void
fx_resign(struct fx *fx, void *data, size_t len)
{
	struct pack_error err = {0};

	CHECK(pack__envelope_resign(data, len, fx->provider, &err) == 0);
}

size_t
fx_zip_offset(const void *data, size_t len)
{
	struct pack_envelope env;
	struct pack_error err = {0};

	CHECK(pack__envelope_parse(data, len < PACK_HEADER_LEN ? len : PACK_HEADER_LEN, len, &env,
	                           &err) == 0);
	return (size_t)env.zip_offset;
}

void
fx_write(const char *dir, const char *rel, const void *data, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		CHECK(mkdir(path, 0755) == 0 || errno == EEXIST);
		*p = '/';
	}
	f = fopen(path, "wb");
	CHECK(f);
	CHECK(fwrite(data, 1, len, f) == len);
	CHECK(fclose(f) == 0);
}

void
fx_write_course(struct fx *fx, const char *sub)
{
	char dir[512];

	snprintf(dir, sizeof(dir), "%s/%s", fx->dir, sub);
	CHECK(mkdir(dir, 0755) == 0);
	fx_write(dir, "course.json", FX_COURSE, strlen(FX_COURSE));
	for (size_t i = 0; i < fx->file_count; i++)
		fx_write(dir, fx->files[i].name, fx->files[i].data, fx->files[i].len);
}

bool
fx_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

size_t
fx_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	CHECK(d);
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

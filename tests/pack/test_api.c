/*
 * test_api.c: the library's good paths as the daemon and the learning app will use them:
 * open a pack, read its manifest and files, render a page, parse and mark a quiz; plus
 * keys, certificates, dates, versions and name rules on their own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "pack_int.h"

TEST(manifest_read_through_pack)
{
	struct fx fx;
	struct pack_error err = {0};
	struct pack *pack;
	const struct pack_manifest *m;
	const struct pack_module *mod;
	void *data;
	size_t len;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	CHECK(fx_open(&fx, data, len, &pack, &err) == 0);
	free(data); /* the pack keeps its own copy */
	m = pack_get_manifest(pack);
	CHECK(strcmp(pack_manifest_id(m), "org.example.test") == 0);
	CHECK(strcmp(pack_manifest_version(m), "1.2.3") == 0);
	CHECK(strcmp(pack_manifest_title(m), "Test course") == 0);
	CHECK(strcmp(pack_manifest_provider_id(m), "example-college") == 0);
	CHECK(strcmp(pack_manifest_provider_name(m), "Example College") == 0);
	CHECK(pack_manifest_level(m) == PACK_LEVEL_ENTRY2);
	CHECK(strcmp(pack_level_name(pack_manifest_level(m)), "entry2") == 0);
	CHECK(strcmp(pack_manifest_language(m), "en-GB") == 0);
	CHECK(pack_manifest_minutes(m) == 12);
	CHECK(pack_manifest_module_count(m) == 2);
	mod = pack_manifest_module(m, 0);
	CHECK(strcmp(pack_module_id(mod), "m1") == 0);
	CHECK(strcmp(pack_module_title(mod), "First steps") == 0);
	CHECK(pack_module_minutes(mod) == 5);
	CHECK(pack_module_page_count(mod) == 2);
	CHECK(strcmp(pack_module_page(mod, 0), "pages/01-intro.md") == 0);
	CHECK(strcmp(pack_module_page(mod, 1), "pages/02-money.md") == 0);
	CHECK(pack_module_page(mod, 2) == NULL);
	CHECK(strcmp(pack_module_quiz(mod), "quizzes/check.json") == 0);
	CHECK(pack_module_quiz(pack_manifest_module(m, 1)) == NULL);
	CHECK(pack_manifest_module(m, 2) == NULL);
	CHECK(pack_manifest_file_count(m) == 4);
	CHECK(strcmp(pack_manifest_file_name(m, 0), "images/coins.png") == 0);
	CHECK(pack_manifest_file_size(m, 0) == fx.png_len);
	CHECK(strcmp(pack_cert_provider_id(pack_get_cert(pack)), "example-college") == 0);
	pack_free(pack);
	pack_free(NULL);
	fx_fini(&fx);
}

TEST(read_file_by_name)
{
	struct fx fx;
	struct pack_error err = {0};
	struct pack *pack;
	void *data, *file = (void *)0x1;
	size_t len, file_len = 7;
	int rc;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	CHECK(fx_open(&fx, data, len, &pack, &err) == 0);
	CHECK(pack_read_file(pack, "quizzes/check.json", &file, &file_len, &err) == 0);
	CHECK(file_len == strlen(FX_QUIZ) && memcmp(file, FX_QUIZ, file_len) == 0);
	CHECK(((char *)file)[file_len] == '\0');
	free(file);
	CHECK(pack_read_file(pack, "images/coins.png", &file, &file_len, &err) == 0);
	CHECK(file_len == fx.png_len && memcmp(file, fx.png, file_len) == 0);
	free(file);
	file = (void *)0x1;
	file_len = 7;
	rc = pack_read_file(pack, "manifest.json", &file, &file_len, &err);
	CHECK_ERR(err, rc, -ENOENT, "manifest.json: not a file in this pack");
	rc = pack_read_file(pack, "pages/nope.md", &file, &file_len, &err);
	CHECK_ERR(err, rc, -ENOENT, "pages/nope.md: not a file in this pack");
	CHECK(file == (void *)0x1 && file_len == 7);
	pack_free(pack);
	free(data);
	fx_fini(&fx);
}

TEST(open_from_file_and_peek)
{
	struct fx fx;
	struct pack_error err = {0};
	struct pack_manifest *m;
	struct pack_cert *cert;
	struct pack *pack;
	char path[512];
	void *data;
	size_t len;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	snprintf(path, sizeof(path), "%s/good.pack", fx.dir);
	CHECK(pack__file_write_atomic(path, data, len, 0644, &err) == 0);
	CHECK(pack_open_file(path, fx.root, fx.at, NULL, &pack, &err) == 0);
	pack_free(pack);
	CHECK(pack_peek_file(path, NULL, &m, &cert, &err) == 0);
	CHECK(strcmp(pack_manifest_id(m), "org.example.test") == 0);
	CHECK(strcmp(pack_cert_provider_name(cert), "Example College") == 0);
	pack_manifest_free(m);
	pack_cert_free(cert);
	free(data);
	fx_fini(&fx);
}

struct progress_seen {
	uint64_t calls, last_done, last_total;
	bool backwards;
};

static void
on_progress(void *userdata, uint64_t done, uint64_t total)
{
	struct progress_seen *p = userdata;

	p->backwards |= done < p->last_done || done > total;
	p->calls++;
	p->last_done = done;
	p->last_total = total;
}

TEST(open_through_a_descriptor_with_progress)
{
	struct fx fx;
	struct pack_error err = {0};
	struct progress_seen seen = {0};
	struct pack *pack;
	char path[512];
	void *data, *file;
	size_t len, file_len;
	int fd;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	snprintf(path, sizeof(path), "%s/good.pack", fx.dir);
	CHECK(pack__file_write_atomic(path, data, len, 0644, &err) == 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK(pack_open_fd(fd, fx.root, fx.at, NULL, on_progress, &seen, &pack, &err) == 0);
	CHECK(seen.calls >= 2 && !seen.backwards);
	CHECK(seen.last_done == seen.last_total); /* the file hashed, then every file read */
	CHECK(seen.last_total > len);
	CHECK(pack_read_file(pack, "images/coins.png", &file, &file_len, &err) == 0);
	CHECK(file_len == fx.png_len && memcmp(file, fx.png, file_len) == 0);
	free(file);
	pack_free(pack);
	close(fd);
	free(data);
	fx_fini(&fx);
}

TEST(installed_pack_read_against_kept_digests)
{
	struct fx fx;
	struct pack_error err = {0};
	struct pack *pack, *installed;
	const struct pack_manifest *m;
	uint8_t wrong[32];
	char path[512];
	void *data, *file = (void *)0x1;
	size_t len, file_len = 7, off;
	int fd, i, rc;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	CHECK(fx_open(&fx, data, len, &pack, &err) == 0);
	m = pack_get_manifest(pack);
	i = pack__manifest_find_file(m, "pages/02-money.md");
	CHECK(i >= 0);
	snprintf(path, sizeof(path), "%s/installed.pack", fx.dir);
	CHECK(pack__file_write_atomic(path, data, len, 0644, &err) == 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(pack_open_installed(fd, NULL, &installed, &err) == 0);
	CHECK(pack_get_manifest(installed) == NULL && pack_get_cert(installed) == NULL);
	CHECK(pack_read_checked(installed, "pages/02-money.md", pack_manifest_file_size(m, i),
	                        pack_manifest_file_sha256(m, i), &file, &file_len, &err) == 0);
	CHECK(file_len == strlen(FX_PAGE_MONEY) && memcmp(file, FX_PAGE_MONEY, file_len) == 0);
	free(file);
	file = (void *)0x1;
	file_len = 7;
	memcpy(wrong, pack_manifest_file_sha256(m, i), 32);
	wrong[0] ^= 1;
	rc = pack_read_checked(installed, "pages/02-money.md", pack_manifest_file_size(m, i), wrong,
	                       &file, &file_len, &err);
	CHECK_ERR(err, rc, -EBADMSG, "pages/02-money.md: SHA-256 does not match the manifest");
	rc = pack_read_checked(installed, "pages/02-money.md", 3, wrong, &file, &file_len, &err);
	CHECK(rc == -EBADMSG);
	rc = pack_read_checked(installed, "pages/none.md", 3, wrong, &file, &file_len, &err);
	CHECK(rc == -ENOENT);
	CHECK(file == (void *)0x1 && file_len == 7);
	pack_free(installed);
	close(fd);
	/* A format 1 pack installed before format 2 (its zip is the whole file) still reads. */
	off = fx_zip_offset(data, len);
	CHECK(pack__file_write_atomic(path, (char *)data + off, len - off, 0644, &err) == 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(pack_open_installed(fd, NULL, &installed, &err) == 0);
	CHECK(pack_read_checked(installed, "pages/02-money.md", pack_manifest_file_size(m, i),
	                        pack_manifest_file_sha256(m, i), &file, &file_len, &err) == 0);
	free(file);
	pack_free(installed);
	close(fd);
	pack_free(pack);
	free(data);
	fx_fini(&fx);
}

TEST(manifest_renders_to_json_that_parses_the_same)
{
	struct fx fx;
	struct pack_error err = {0};
	struct pack_manifest *again;
	struct pack *pack;
	char *json, *json2;
	size_t json_len, json2_len;
	void *data;
	size_t len;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	CHECK(fx_open(&fx, data, len, &pack, &err) == 0);
	CHECK(pack_manifest_to_json(pack_get_manifest(pack), &json, &json_len, &err) == 0);
	CHECK(strlen(json) == json_len && strchr(json, '\n') == NULL);
	CHECK(pack_manifest_parse(json, json_len, NULL, &again, &err) == 0);
	CHECK(strcmp(pack_manifest_title(again), "Test course") == 0);
	CHECK(pack_manifest_file_count(again) == 4);
	CHECK(memcmp(pack_manifest_file_sha256(again, 0),
	             pack_manifest_file_sha256(pack_get_manifest(pack), 0), 32) == 0);
	CHECK(pack_manifest_to_json(again, &json2, &json2_len, &err) == 0);
	CHECK_STR(json2, json); /* canonical: one rendering */
	pack_manifest_free(again);
	free(json);
	free(json2);
	pack_free(pack);
	free(data);
	fx_fini(&fx);
}

TEST(one_line_text_rule)
{
	char buf[PACK_TEXT_PROBLEM_MAX];

	CHECK(pack__text_problem("Managing money: a £5 budget", 120, buf) == NULL);
	CHECK(pack__text_problem("\xd8\xa7\xd9\x84\xd9\x85\xd8\xa7\xd9\x84", 120, buf) == NULL);
	CHECK_STR(pack__text_problem("", 120, buf), "is empty");
	CHECK_STR(pack__text_problem("abcd", 3, buf), "is longer than 3 bytes");
	CHECK_STR(pack__text_problem("a\xc3\x28", 120, buf), "is not valid UTF-8");
	CHECK_STR(pack__text_problem("a\tb", 120, buf), "holds the control character U+0009");
	CHECK_STR(pack__text_problem("a\x7f", 120, buf), "holds the control character U+007F");
	CHECK_STR(pack__text_problem("a\xc2\x85", 120, buf), "holds the control character U+0085");
	CHECK_STR(pack__text_problem("a\xc2\x9b", 120, buf), "holds the control character U+009B");
	CHECK_STR(pack__text_problem("a\xe2\x80\xae"
	                             "b",
	                             120, buf),
	          "holds the text-direction control U+202E");
	CHECK_STR(pack__text_problem("a\xe2\x80\x8f", 120, buf),
	          "holds the text-direction control U+200F");
	CHECK_STR(pack__text_problem("a\xd8\x9c", 120, buf),
	          "holds the text-direction control U+061C");
	CHECK_STR(pack__text_problem("a\xe2\x81\xa9", 120, buf),
	          "holds the text-direction control U+2069");
	CHECK_STR(pack__text_problem("a\xe2\x80\xa9", 120, buf), "holds the line separator U+2029");
}

static const struct pack_block *
block(const struct pack_page *page, size_t i)
{
	const struct pack_block *b = pack_page_block(page, i);

	CHECK(b != NULL);
	return b;
}

static bool
span_is(const struct pack_block *b, size_t i, const char *text, unsigned style)
{
	return i < b->span_count && b->spans[i].len == strlen(text) &&
	       memcmp(b->spans[i].text, text, b->spans[i].len) == 0 && b->spans[i].style == style;
}

TEST(page_render_blocks)
{
	struct pack_error err = {0};
	struct pack_page *page;
	const struct pack_block *b;

	CHECK(pack_page_render("pages/01-intro.md", FX_PAGE_INTRO, strlen(FX_PAGE_INTRO), &page,
	                       &err) == 0);
	CHECK(pack_page_block_count(page) == 5);
	b = block(page, 0);
	CHECK(b->kind == PACK_BLOCK_HEADING && b->level == 1 && span_is(b, 0, "Intro", 0));
	b = block(page, 1);
	CHECK(b->kind == PACK_BLOCK_PARAGRAPH && b->span_count == 5);
	CHECK(span_is(b, 0, "Hello ", 0) && span_is(b, 1, "world", PACK_SPAN_EMPHASIS) &&
	      span_is(b, 2, ", this is ", 0) && span_is(b, 3, "bold", PACK_SPAN_STRONG) &&
	      span_is(b, 4, ".", 0));
	b = block(page, 2);
	CHECK(b->kind == PACK_BLOCK_LIST_ITEM && b->level == 1 && !b->ordered &&
	      span_is(b, 0, "one", 0));
	b = block(page, 3);
	CHECK(b->kind == PACK_BLOCK_LIST_ITEM && b->level == 1 && span_is(b, 0, "two", 0));
	b = block(page, 4);
	CHECK(b->kind == PACK_BLOCK_LIST_ITEM && b->level == 2 && b->ordered && b->number == 1 &&
	      span_is(b, 0, "nested", 0));
	CHECK(pack_page_block(page, 5) == NULL);
	pack_page_free(page);
	pack_page_free(NULL);
}

TEST(page_render_images_quotes_entities)
{
	struct pack_error err = {0};
	struct pack_page *page;
	const struct pack_block *b;

	CHECK(pack_page_render("pages/02-money.md", FX_PAGE_MONEY, strlen(FX_PAGE_MONEY), &page,
	                       &err) == 0);
	CHECK(pack_page_block_count(page) == 5);
	b = block(page, 0);
	CHECK(b->kind == PACK_BLOCK_HEADING && b->level == 2 && span_is(b, 0, "Money", 0));
	b = block(page, 1);
	CHECK(b->kind == PACK_BLOCK_PARAGRAPH && span_is(b, 0, "Before ", 0));
	b = block(page, 2);
	CHECK(b->kind == PACK_BLOCK_IMAGE && strcmp(b->image, "images/coins.png") == 0 &&
	      strcmp(b->alt, "Coins on a table") == 0 && b->span_count == 0);
	b = block(page, 3);
	CHECK(b->kind == PACK_BLOCK_PARAGRAPH && span_is(b, 0, " after.", 0));
	b = block(page, 4);
	CHECK(b->kind == PACK_BLOCK_PARAGRAPH && b->quote == 1);
	CHECK(span_is(b, 0, "Save ", 0) && span_is(b, 1, "some", PACK_SPAN_CODE) &&
	      span_is(b, 2,
	              " money & \xc2\xa3"
	              "5.",
	              0));
	pack_page_free(page);
}

TEST(page_render_breaks_links_code_rule)
{
	static const char md[] = "Line one  \nline two\nsame line [a link](http://x.test) end\n"
	                         "\n---\n\n```\ncode here\n```\n\n<b>html</b>\n";
	struct pack_error err = {0};
	struct pack_page *page;
	const struct pack_block *b;

	CHECK(pack_page_render(NULL, md, strlen(md), &page, &err) == 0);
	CHECK(pack_page_block_count(page) == 4);
	b = block(page, 0);
	CHECK(span_is(b, 0, "Line one", 0) && span_is(b, 1, "\n", 0) &&
	      span_is(b, 2, "line two same line ", 0) && span_is(b, 3, "a link", PACK_SPAN_LINK) &&
	      span_is(b, 4, " end", 0));
	CHECK(block(page, 1)->kind == PACK_BLOCK_RULE);
	b = block(page, 2);
	CHECK(b->kind == PACK_BLOCK_CODE && span_is(b, 0, "code here\n", 0));
	b = block(page, 3);
	CHECK(b->kind == PACK_BLOCK_PARAGRAPH && span_is(b, 0, "<b>html</b>", 0));
	pack_page_free(page);
}

static struct pack_quiz *
quiz_parse(void)
{
	struct pack_error err = {0};
	struct pack_quiz *quiz;

	CHECK(pack_quiz_parse(FX_QUIZ, strlen(FX_QUIZ), &quiz, &err) == 0);
	return quiz;
}

TEST(quiz_parse_and_read)
{
	struct pack_quiz *quiz = quiz_parse();

	CHECK(strcmp(pack_quiz_title(quiz), "Check") == 0);
	CHECK(pack_quiz_pass_percent(quiz) == 60);
	CHECK(pack_quiz_question_count(quiz) == 3);
	CHECK(pack_quiz_question_kind(quiz, 0) == PACK_QUESTION_CHOICE);
	CHECK(pack_quiz_question_kind(quiz, 1) == PACK_QUESTION_SHORT);
	CHECK(strcmp(pack_quiz_question_id(quiz, 1), "q2") == 0);
	CHECK(strcmp(pack_quiz_question_prompt(quiz, 0), "Rent is") == 0);
	CHECK(pack_quiz_option_count(quiz, 0) == 2);
	CHECK(strcmp(pack_quiz_option(quiz, 0, 1), "money out") == 0);
	CHECK(pack_quiz_option(quiz, 0, 2) == NULL);
	CHECK(pack_quiz_option_count(quiz, 1) == 0);
	pack_quiz_free(quiz);
	pack_quiz_free(NULL);
}

TEST(quiz_right_answers_and_explanations)
{
	static const char bad[] =
	        "{\"format\": 1, \"title\": \"T\", \"pass_percent\": 50, \"questions\": [\n"
	        " {\"id\": \"q1\", \"type\": \"short\", \"prompt\": \"P\", \"answer\": \"a\",\n"
	        "  \"explain\": \"because \xE2\x80\xAE\"}]}";
	struct pack_quiz *quiz = quiz_parse(), *none = NULL;
	struct pack_error err = {0};

	/* Given only to marking: the right option's text, a short question's answer as
	 * written (not folded), and the explanation where the pack has one. */
	CHECK(strcmp(pack_quiz_right_answer(quiz, 0), "money out") == 0);
	CHECK(strcmp(pack_quiz_right_answer(quiz, 1), "Debit") == 0);
	CHECK(strcmp(pack_quiz_right_answer(quiz, 2), "early") == 0);
	CHECK(pack_quiz_right_answer(quiz, 3) == NULL);
	CHECK(strcmp(pack_quiz_explanation(quiz, 0), "You pay rent, so it goes out.") == 0);
	/* Questions written before explanations existed still parse, with none. */
	CHECK(pack_quiz_explanation(quiz, 1) == NULL);
	CHECK(pack_quiz_explanation(quiz, 2) == NULL);
	CHECK(pack_quiz_explanation(quiz, 3) == NULL);
	pack_quiz_free(quiz);
	/* An explanation is shown to learners: one line of text, like a prompt. */
	CHECK(pack_quiz_parse(bad, strlen(bad), &none, &err) == -EBADMSG);
	CHECK(none == NULL);
	CHECK(strcmp(err.message, "question q1: the explanation holds the text-direction "
	                          "control U+202E") == 0);
}

TEST(quiz_short_answers_ignore_case_and_spacing)
{
	struct pack_quiz *quiz = quiz_parse();
	static const char *const right[] = {"debit",        "Debit",           "  DEBIT ",
	                                    "direct debit", "Direct\t  Debit", "\ndirect debit\n"};
	static const char *const wrong[] = {"", "   ", "debt", "directdebit", "debit card"};

	for (size_t i = 0; i < sizeof(right) / sizeof(right[0]); i++)
		CHECK(pack_quiz_answer_correct(quiz, 1, &(struct pack_answer){-1, right[i]}));
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++)
		CHECK(!pack_quiz_answer_correct(quiz, 1, &(struct pack_answer){-1, wrong[i]}));
	CHECK(!pack_quiz_answer_correct(quiz, 1, &(struct pack_answer){0, NULL}));
	CHECK(pack_quiz_answer_correct(quiz, 0, &(struct pack_answer){1, NULL}));
	CHECK(!pack_quiz_answer_correct(quiz, 0, &(struct pack_answer){0, "money out"}));
	CHECK(!pack_quiz_answer_correct(quiz, 0, &(struct pack_answer){-1, NULL}));
	CHECK(!pack_quiz_answer_correct(quiz, 9, &(struct pack_answer){1, NULL}));
	pack_quiz_free(quiz);
}

TEST(quiz_marking_pass_and_fail)
{
	struct pack_quiz *quiz = quiz_parse();
	struct pack_quiz_result res = {0}, untouched = {99, 99, 99, true};
	struct pack_error err = {0};
	struct pack_answer all[3] = {{1, NULL}, {-1, "direct debit"}, {0, NULL}};
	struct pack_answer two[3] = {{1, NULL}, {-1, "cheque"}, {0, NULL}};
	struct pack_answer one[3] = {{0, NULL}, {-1, "DEBIT"}, {2, NULL}};
	int rc;

	CHECK(pack_quiz_mark(quiz, all, 3, &res, &err) == 0);
	CHECK(res.correct == 3 && res.total == 3 && res.percent == 100 && res.passed);
	CHECK(pack_quiz_mark(quiz, two, 3, &res, &err) == 0);
	CHECK(res.correct == 2 && res.percent == 66 && res.passed); /* 66.7% >= 60% */
	CHECK(pack_quiz_mark(quiz, one, 3, &res, &err) == 0);
	CHECK(res.correct == 1 && res.percent == 33 && !res.passed);
	res = untouched;
	rc = pack_quiz_mark(quiz, all, 2, &res, &err);
	CHECK_ERR(err, rc, -EINVAL, "2 answers given for 3 questions");
	CHECK(memcmp(&res, &untouched, sizeof(res)) == 0);
	pack_quiz_free(quiz);
}

TEST(keys_saved_and_loaded)
{
	struct fx fx;
	struct pack_error err = {0};
	struct pack_key *priv, *pub, *bad = (struct pack_key *)0x1;
	char path[300], pubpath[300], want[PACK_ERROR_MAX], a[PACK_KEY_ID_MAX], b[PACK_KEY_ID_MAX];
	struct stat st;
	int rc;

	fx_init(&fx);
	snprintf(path, sizeof(path), "%s/key.pem", fx.dir);
	snprintf(pubpath, sizeof(pubpath), "%s/key.pub", fx.dir);
	CHECK(pack_key_save_private(fx.provider, path, &err) == 0);
	CHECK(pack_key_save_public(fx.provider, pubpath, &err) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	rc = pack_key_save_private(fx.root, path, &err);
	snprintf(want, sizeof(want), "%s: cannot create key file: File exists", path);
	CHECK_ERR(err, rc, -EEXIST, want);
	CHECK(pack_key_load_private(path, &priv, &err) == 0 && pack_key_has_private(priv));
	CHECK(pack_key_load_public(pubpath, &pub, &err) == 0 && !pack_key_has_private(pub));
	pack_key_id(priv, a);
	pack_key_id(fx.provider, b);
	CHECK(strcmp(a, b) == 0 && strlen(a) == 16);
	pack_key_id(pub, a);
	CHECK(strcmp(a, b) == 0);
	rc = pack_key_load_private(pubpath, &bad, &err);
	snprintf(want, sizeof(want), "%s: not a PEM private key", pubpath);
	CHECK_ERR(err, rc, -EBADMSG, want);
	CHECK(bad == (struct pack_key *)0x1);
	CHECK(chmod(path, 0640) == 0);
	rc = pack_key_load_private(path, &bad, &err);
	snprintf(want, sizeof(want), "%s: a private key must not be readable by others (mode 640)",
	         path);
	CHECK_ERR(err, rc, -EPERM, want);
	CHECK(bad == (struct pack_key *)0x1);
	pack_key_free(priv);
	pack_key_free(pub);
	pack_key_free(NULL);
	fx_fini(&fx);
}

TEST(certificate_round_trip)
{
	struct fx fx;
	struct pack_error err = {0};
	struct pack_cert *cert;
	char path[512];
	int rc;

	fx_init(&fx);
	snprintf(path, sizeof(path), "%s/provider.cert", fx.dir);
	CHECK(pack_cert_save(fx.cert, path, &err) == 0);
	CHECK(pack_cert_load(path, &cert, &err) == 0);
	CHECK(pack_cert_verify(cert, fx.root, fx.at, &err) == 0);
	CHECK(strcmp(pack_cert_provider_id(cert), "example-college") == 0);
	CHECK(pack_cert_not_before(cert) == pack_cert_not_before(fx.cert));
	CHECK(pack_cert_not_after(cert) == pack_cert_not_after(fx.cert));
	rc = pack_cert_verify(cert, fx.provider, fx.at, &err);
	CHECK(rc == -EKEYREJECTED);
	pack_cert_free(cert);
	pack_cert_free(NULL);
	rc = pack_cert_issue(fx.root, fx.provider, "Bad Id", "Name", 0, 10, &cert, &err);
	CHECK_ERR(err, rc, -EINVAL,
	          "provider id must be 1-64 of a-z, 0-9, '.' and '-', starting with a letter or "
	          "digit");
	rc = pack_cert_issue(fx.root, fx.provider, "ok", "Two\nlines", 0, 10, &cert, &err);
	CHECK_ERR(err, rc, -EINVAL, "the provider name holds the control character U+000A");
	rc = pack_cert_issue(fx.root, fx.provider, "ok", "Name \xe2\x80\xae", 0, 10, &cert, &err);
	CHECK_ERR(err, rc, -EINVAL, "the provider name holds the text-direction control U+202E");
	rc = pack_cert_issue(fx.root, fx.provider, "ok", "Name", 10, 10, &cert, &err);
	CHECK_ERR(err, rc, -EINVAL, "certificate not-after must be later than not-before");
	fx_fini(&fx);
}

TEST(dates_parse_strictly)
{
	int64_t t = 42;
	char text[PACK_TIME_MAX];

	CHECK(pack_time_parse("2026-01-31", false, &t) == 0 && t == 1769817600);
	CHECK(pack_time_parse("2026-01-31", true, &t) == 0 && t == 1769817600 + 86399);
	CHECK(pack_time_parse("2026-01-31T12:00:00Z", false, &t) == 0 && t == 1769860800);
	CHECK(pack_time_format(t, text) == 0 && strcmp(text, "2026-01-31T12:00:00Z") == 0);
	t = 42;
	CHECK(pack_time_parse("2026-02-30", false, &t) == -EINVAL && t == 42);
	CHECK(pack_time_parse("2026-1-31", false, &t) == -EINVAL);
	CHECK(pack_time_parse("2026-01-31T24:00:00Z", false, &t) == -EINVAL);
	CHECK(pack_time_parse("2026-01-31 12:00:00", false, &t) == -EINVAL);
	CHECK(pack_time_parse("1969-12-31", false, &t) == -EINVAL);
	CHECK(pack_time_parse("", false, &t) == -EINVAL && t == 42);
}

TEST(versions_compare)
{
	uint32_t parts[3] = {7, 7, 7};

	CHECK(pack_version_parse("1.10.0", parts) == 0 && parts[0] == 1 && parts[1] == 10);
	CHECK(pack_version_compare("1.10.0", "1.9.9") > 0);
	CHECK(pack_version_compare("2.0.0", "10.0.0") < 0);
	CHECK(pack_version_compare("1.2.3", "1.2.3") == 0);
	parts[0] = 7;
	CHECK(pack_version_parse("01.2.3", parts) == -EINVAL && parts[0] == 7);
	CHECK(pack_version_parse("1.2", parts) == -EINVAL);
	CHECK(pack_version_parse("1.2.3-beta", parts) == -EINVAL);
	CHECK(pack_version_parse("1.2.3.4", parts) == -EINVAL);
}

TEST(image_paths_resolve)
{
	char out[128];

	CHECK(pack__name_resolve("pages/a.md", "../images/x.png", out, sizeof(out)) == 0 &&
	      strcmp(out, "images/x.png") == 0);
	CHECK(pack__name_resolve("pages/a.md", "x.png", out, sizeof(out)) == 0 &&
	      strcmp(out, "pages/x.png") == 0);
	CHECK(pack__name_resolve("a.md", "./img//x.png", out, sizeof(out)) == 0 &&
	      strcmp(out, "img/x.png") == 0);
	CHECK(pack__name_resolve("pages/a.md", "../../x.png", out, sizeof(out)) == -EBADMSG);
	CHECK(pack__name_resolve("pages/a.md", "/x.png", out, sizeof(out)) == -EBADMSG);
	CHECK(pack__name_resolve("pages/a.md", "file:x.png", out, sizeof(out)) == -EBADMSG);
	CHECK(pack__name_resolve("pages/a.md", "..", out, sizeof(out)) == -EBADMSG);
}

TEST(limits_default)
{
	struct pack_limits l;

	pack_limits_init(&l);
	CHECK(l.max_pack_bytes == PACK_DEFAULT_MAX_PACK_BYTES);
	CHECK(l.max_file_bytes == PACK_DEFAULT_MAX_FILE_BYTES);
	CHECK(l.max_inflated_bytes == PACK_DEFAULT_MAX_INFLATED_BYTES);
	CHECK(l.max_inflated_bytes == 512u << 20);
	CHECK(l.max_files == PACK_DEFAULT_MAX_FILES);
	CHECK(l.max_name_bytes == PACK_DEFAULT_MAX_NAME_BYTES);
}

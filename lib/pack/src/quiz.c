/*
 * quiz.c: quizzes, parsed strictly from JSON with jansson and marked. A quiz has a title,
 * a pass mark in percent and 1-100 questions, each either multiple choice (2-8 options,
 * one right) or a short answer (an answer and accepted alternatives). Short answers are
 * compared after folding ASCII case and squeezing spaces, so "  The  Rent" matches "the
 * rent": people should not fail a question over a capital letter or a double space.
 * Any question may say why its answer is right ("explain", optional, so packs made before
 * it still open); marking shows it, with the right answer, to someone who got it wrong.
 *
 *   {"format": 1, "title": "...", "pass_percent": 60, "questions": [
 *     {"id": "q1", "type": "choice", "prompt": "...", "options": ["...", "..."], "answer": 0},
 *     {"id": "q2", "type": "short", "prompt": "...", "answer": "rent", "accept": ["the rent"],
 *      "explain": "..."}]}
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pack_int.h"

#define QUIZ_FORMAT 1
#define QUESTIONS_MAX 100
#define OPTIONS_MAX 8
#define ACCEPT_MAX 20
#define PROMPT_MAX 500
#define ANSWER_MAX 200
#define EXPLAIN_MAX 500

struct question {
	enum pack_question_kind kind;
	const char *id; /* borrowed from the quiz's root */
	const char *prompt; /* borrowed */
	const char *explain; /* borrowed; NULL when the pack gives none */
	const char *right; /* borrowed: the right option's text, or the short answer */
	const char **options; /* owned array of borrowed strings */
	size_t option_count;
	int answer; /* choice: the right option */
	char **accepted; /* short: owned, normalized */
	size_t accepted_count;
};

struct pack_quiz {
	json_t *root; /* owned */
	const char *title;
	unsigned pass_percent;
	struct question *questions; /* owned */
	size_t count;
};

void
pack_quiz_free(struct pack_quiz *quiz)
{
	if (!quiz)
		return;
	for (size_t i = 0; i < quiz->count; i++) {
		free(quiz->questions[i].options);
		for (size_t k = 0; k < quiz->questions[i].accepted_count; k++)
			free(quiz->questions[i].accepted[k]);
		free(quiz->questions[i].accepted);
	}
	free(quiz->questions);
	json_decref(quiz->root);
	free(quiz);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Folds ASCII case and squeezes whitespace; returns a new string, or NULL without memory. */
static char *
normalize(const char *s)
{
	char *out = malloc(strlen(s) + 1), *p = out;
	bool space = false;

	if (!out)
		return NULL;
	for (; *s; s++) {
		if (is_space(*s)) {
			space = p != out;
			continue;
		}
		if (space)
			*p++ = ' ';
		space = false;
		*p++ = (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s;
	}
	*p = '\0';
	return out;
}

static int
only_fields(json_t *obj, const char *const *allowed, size_t n)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value)
	{
		bool known = false;

		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(key, allowed[i]) == 0;
		if (!known)
			return -EBADMSG;
	}
	return 0;
}

/* A one-line text field: its problem in words, or "is not text" when it is no string. */
static const char *
text_problem(const char *text, size_t max, char buf[PACK_TEXT_PROBLEM_MAX])
{
	return text ? pack__text_problem(text, max, buf) : "is not text";
}

static int
add_accepted(struct question *q, const char *text, struct pack_error *err)
{
	char buf[PACK_TEXT_PROBLEM_MAX], *norm;
	const char *problem = text_problem(text, ANSWER_MAX, buf);

	if (problem)
		return pack__err(err, -EBADMSG, "question %s: an answer %s", q->id, problem);
	norm = normalize(text);
	if (!norm)
		return pack__err(err, -ENOMEM, "out of memory");
	if (norm[0] == '\0') {
		free(norm);
		return pack__err(err, -EBADMSG, "question %s: an answer is only spaces", q->id);
	}
	q->accepted[q->accepted_count++] = norm;
	return 0;
}

static int
parse_choice(json_t *obj, struct question *q, struct pack_error *err)
{
	static const char *const fields[] = {"id",      "type",   "prompt",
	                                     "options", "answer", "explain"};
	json_t *options = json_object_get(obj, "options"), *answer = json_object_get(obj, "answer");
	size_t n = json_array_size(options);

	if (only_fields(obj, fields, 6) < 0)
		return pack__err(err, -EBADMSG,
		                 "question %s: a choice question has id, type, prompt, "
		                 "options, answer and explain only",
		                 q->id);
	if (!json_is_array(options) || n < 2 || n > OPTIONS_MAX)
		return pack__err(err, -EBADMSG, "question %s: options must list 2-%d choices",
		                 q->id, OPTIONS_MAX);
	q->options = calloc(n, sizeof(*q->options));
	if (!q->options)
		return pack__err(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *text = json_string_value(json_array_get(options, i));
		char buf[PACK_TEXT_PROBLEM_MAX];
		const char *problem = text_problem(text, ANSWER_MAX, buf);

		if (problem)
			return pack__err(err, -EBADMSG, "question %s: option %zu %s", q->id, i + 1,
			                 problem);
		q->options[q->option_count++] = text;
	}
	if (!json_is_integer(answer) || json_integer_value(answer) < 0 ||
	    json_integer_value(answer) >= (json_int_t)n)
		return pack__err(err, -EBADMSG,
		                 "question %s: answer must be an option number 0-%zu", q->id,
		                 n - 1);
	q->answer = (int)json_integer_value(answer);
	q->right = q->options[q->answer];
	return 0;
}

static int
parse_short(json_t *obj, struct question *q, struct pack_error *err)
{
	static const char *const fields[] = {"id", "type", "prompt", "answer", "accept", "explain"};
	json_t *accept = json_object_get(obj, "accept");
	size_t n = accept ? json_array_size(accept) : 0;
	int r;

	if (only_fields(obj, fields, 6) < 0)
		return pack__err(err, -EBADMSG,
		                 "question %s: a short question has id, type, prompt, "
		                 "answer, accept and explain only",
		                 q->id);
	if (accept && (!json_is_array(accept) || n > ACCEPT_MAX))
		return pack__err(err, -EBADMSG, "question %s: accept must list up to %d answers",
		                 q->id, ACCEPT_MAX);
	q->accepted = calloc(n + 1, sizeof(*q->accepted));
	if (!q->accepted)
		return pack__err(err, -ENOMEM, "out of memory");
	q->right = json_string_value(json_object_get(obj, "answer"));
	r = add_accepted(q, q->right, err);
	for (size_t i = 0; r == 0 && i < n; i++)
		r = add_accepted(q, json_string_value(json_array_get(accept, i)), err);
	return r;
}

static int
parse_question(json_t *obj, struct pack_quiz *quiz, size_t i, struct pack_error *err)
{
	struct question *q = &quiz->questions[i];
	char buf[PACK_TEXT_PROBLEM_MAX];
	const char *type, *problem;

	if (!json_is_object(obj))
		return pack__err(err, -EBADMSG, "question %zu is not an object", i + 1);
	q->id = json_string_value(json_object_get(obj, "id"));
	if (!q->id || !pack__id_ok(q->id, 64))
		return pack__err(err, -EBADMSG,
		                 "question %zu: id must be 1-64 of a-z, 0-9, '.' and '-'", i + 1);
	for (size_t k = 0; k < i; k++) {
		if (strcmp(quiz->questions[k].id, q->id) == 0)
			return pack__err(err, -EBADMSG, "question id %s appears twice", q->id);
	}
	q->prompt = json_string_value(json_object_get(obj, "prompt"));
	if ((problem = text_problem(q->prompt, PROMPT_MAX, buf)))
		return pack__err(err, -EBADMSG, "question %s: the prompt %s", q->id, problem);
	if (json_object_get(obj, "explain")) {
		q->explain = json_string_value(json_object_get(obj, "explain"));
		if ((problem = text_problem(q->explain, EXPLAIN_MAX, buf)))
			return pack__err(err, -EBADMSG, "question %s: the explanation %s", q->id,
			                 problem);
	}
	type = json_string_value(json_object_get(obj, "type"));
	if (type && strcmp(type, "choice") == 0) {
		q->kind = PACK_QUESTION_CHOICE;
		return parse_choice(obj, q, err);
	}
	if (type && strcmp(type, "short") == 0) {
		q->kind = PACK_QUESTION_SHORT;
		return parse_short(obj, q, err);
	}
	return pack__err(err, -EBADMSG, "question %s: type must be \"choice\" or \"short\"", q->id);
}

int
pack_quiz_parse(const void *json, size_t len, struct pack_quiz **ret_quiz, struct pack_error *err)
{
	static const char *const fields[] = {"format", "title", "pass_percent", "questions"};
	struct pack_quiz *quiz = calloc(1, sizeof(*quiz));
	char buf[PACK_TEXT_PROBLEM_MAX];
	const char *problem;
	json_t *format, *pass, *questions;
	json_error_t jerr;
	size_t n;
	int r = -EBADMSG;

	if (!quiz)
		return pack__err(err, -ENOMEM, "out of memory");
	quiz->root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!quiz->root) {
		pack__err(err, r, "quiz is not valid JSON (line %d: %s)", jerr.line, jerr.text);
		goto fail;
	}
	if (!json_is_object(quiz->root) || only_fields(quiz->root, fields, 4) < 0 ||
	    json_object_size(quiz->root) != 4) {
		pack__err(err, r,
		          "quiz must be an object with format, title, pass_percent and "
		          "questions");
		goto fail;
	}
	format = json_object_get(quiz->root, "format");
	if (!json_is_integer(format) || json_integer_value(format) != QUIZ_FORMAT) {
		pack__err(err, r, "quiz format must be %d", QUIZ_FORMAT);
		goto fail;
	}
	quiz->title = json_string_value(json_object_get(quiz->root, "title"));
	if ((problem = text_problem(quiz->title, 120, buf))) {
		pack__err(err, r, "the quiz title %s", problem);
		goto fail;
	}
	pass = json_object_get(quiz->root, "pass_percent");
	if (!json_is_integer(pass) || json_integer_value(pass) < 0 ||
	    json_integer_value(pass) > 100) {
		pack__err(err, r, "quiz pass_percent must be a whole number 0-100");
		goto fail;
	}
	quiz->pass_percent = (unsigned)json_integer_value(pass);
	questions = json_object_get(quiz->root, "questions");
	n = json_array_size(questions);
	if (!json_is_array(questions) || n == 0 || n > QUESTIONS_MAX) {
		pack__err(err, r, "quiz must have 1-%d questions", QUESTIONS_MAX);
		goto fail;
	}
	quiz->questions = calloc(n, sizeof(*quiz->questions));
	if (!quiz->questions) {
		r = pack__err(err, -ENOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		quiz->count = i + 1; /* so pack_quiz_free() frees a half-built question */
		r = parse_question(json_array_get(questions, i), quiz, i, err);
		if (r < 0)
			goto fail;
	}
	*ret_quiz = quiz;
	return 0;
fail:
	pack_quiz_free(quiz);
	return r;
}

const char *
pack_quiz_title(const struct pack_quiz *quiz)
{
	return quiz->title;
}

unsigned
pack_quiz_pass_percent(const struct pack_quiz *quiz)
{
	return quiz->pass_percent;
}

size_t
pack_quiz_question_count(const struct pack_quiz *quiz)
{
	return quiz->count;
}

enum pack_question_kind
pack_quiz_question_kind(const struct pack_quiz *quiz, size_t i)
{
	return i < quiz->count ? quiz->questions[i].kind : 0;
}

const char *
pack_quiz_question_id(const struct pack_quiz *quiz, size_t i)
{
	return i < quiz->count ? quiz->questions[i].id : NULL;
}

const char *
pack_quiz_question_prompt(const struct pack_quiz *quiz, size_t i)
{
	return i < quiz->count ? quiz->questions[i].prompt : NULL;
}

size_t
pack_quiz_option_count(const struct pack_quiz *quiz, size_t i)
{
	return i < quiz->count ? quiz->questions[i].option_count : 0;
}

const char *
pack_quiz_option(const struct pack_quiz *quiz, size_t i, size_t option)
{
	if (i >= quiz->count || option >= quiz->questions[i].option_count)
		return NULL;
	return quiz->questions[i].options[option];
}

const char *
pack_quiz_right_answer(const struct pack_quiz *quiz, size_t i)
{
	return i < quiz->count ? quiz->questions[i].right : NULL;
}

const char *
pack_quiz_explanation(const struct pack_quiz *quiz, size_t i)
{
	return i < quiz->count ? quiz->questions[i].explain : NULL;
}

bool
pack_quiz_answer_correct(const struct pack_quiz *quiz, size_t i, const struct pack_answer *answer)
{
	const struct question *q;
	bool ok = false;
	char *norm;

	if (i >= quiz->count || !answer)
		return false;
	q = &quiz->questions[i];
	if (q->kind == PACK_QUESTION_CHOICE)
		return answer->choice == q->answer;
	if (!answer->text)
		return false;
	norm = normalize(answer->text);
	for (size_t k = 0; norm && k < q->accepted_count && !ok; k++)
		ok = strcmp(norm, q->accepted[k]) == 0;
	free(norm);
	return ok;
}

int
pack_quiz_mark(const struct pack_quiz *quiz, const struct pack_answer *answers, size_t count,
               struct pack_quiz_result *ret_result, struct pack_error *err)
{
	struct pack_quiz_result res = {.total = (unsigned)quiz->count};

	if (count != quiz->count)
		return pack__err(err, -EINVAL, "%zu answers given for %zu questions", count,
		                 quiz->count);
	for (size_t i = 0; i < count; i++)
		res.correct += pack_quiz_answer_correct(quiz, i, &answers[i]);
	res.percent = res.correct * 100 / res.total;
	res.passed = res.correct * 100 >= quiz->pass_percent * res.total;
	*ret_result = res;
	return 0;
}

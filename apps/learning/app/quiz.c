/*
 * A module's quiz: the questions come from the daemon without their answers
 * (onward.Course.Quiz). A multiple-choice question is a column of "pick one" answers
 * (radios: choosing one clears the others); a written answer is a text field with the
 * on-screen keyboard. "Check my answers" sends them (onward.Course.Answer): the daemon marks
 * them, keeps the attempt, and says for each question whether it was right; only then do
 * the right answers come back, with why each is right when the course says, and the app
 * shows them under each question, so a wrong answer teaches something. When the course is
 * complete the daemon issues the certificate, and the app says where to find it.
 */
#include "learning.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
jstr(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

void
quiz_reset(struct learning *lr)
{
	json_decref(lr->quiz);
	lr->quiz = NULL;
	lr->n_questions = 0;
	lr->quiz_gen++;
	lr->quiz_passed = false;
}

/* Enter in a written answer puts the keyboard away, so the button below can be seen. */
static void
on_submit(struct ui_widget *field, const char *text, void *userdata)
{
	struct learning *lr = userdata;

	(void)field;
	(void)text;
	ui_app_focus(lr->app, NULL);
}

/* One radio per option, in a box of their own: the toolkit clears the others. */
static void
on_option(struct ui_widget *w, void *userdata)
{
	struct learning *lr = userdata;
	size_t q, k;

	if (sscanf(ui_widget_get_id(w), "q%zu-opt%zu", &q, &k) != 2 || q >= lr->n_questions ||
	    k >= lr->questions[q].n_options)
		return;
	lr->questions[q].chosen = ui_radio_get(w) ? (int)k : -1;
}

static void
on_quiz(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct learning *lr = channel_get_data(ch);
	unsigned gen = (unsigned)(uintptr_t)userdata;
	size_t i;
	json_t *q;

	if (!reply || gen != lr->quiz_gen)
		return;
	ui_widget_clear(lr->quiz_box);
	if (reply->error) {
		ui_label_set_text(lr->quiz_result, client_reply_message(reply));
		return;
	}
	json_decref(lr->quiz);
	lr->quiz = json_incref(reply->parameters);
	ui_label_set_text(lr->quiz_title, jstr(lr->quiz, "title"));
	ui_label_set_text(lr->quiz_result, json_is_true(json_object_get(lr->quiz, "passed"))
	                                           ? N_("You have passed this quiz before. You can "
	                                                "do it again.")
	                                           : "");
	lr->n_questions = 0;
	json_array_foreach(json_object_get(lr->quiz, "questions"), i, q)
	{
		struct quiz_question *qq;
		struct ui_widget *w, *row;
		char text[600], id[40];

		if (i >= LEARNING_QUESTIONS_MAX)
			break;
		qq = &lr->questions[lr->n_questions++];
		memset(qq, 0, sizeof(*qq));
		qq->chosen = -1;
		qq->choice = strcmp(jstr(q, "type"), "choice") == 0;
		row = ui_widget_add(lr->quiz_box, ui_box_new(UI_HORIZONTAL));
		snprintf(text, sizeof(text), "%zu. %s", i + 1, jstr(q, "prompt"));
		w = ui_widget_add(row, ui_paragraph_new(text));
		ui_widget_set_translate(w, false);
		snprintf(id, sizeof(id), "q%zu-prompt", i);
		ui_widget_set_id(w, id);
		ui_widget_set_expand(w, 1);
		ui_widget_set_align(ui_widget_add(row, ui_speak_button_new(w)), UI_ALIGN_START);
		if (qq->choice) {
			struct ui_widget *group =
			        ui_widget_add(lr->quiz_box, ui_box_new(UI_VERTICAL));
			size_t k;
			json_t *o;

			snprintf(id, sizeof(id), "q%zu-options", i);
			ui_widget_set_id(group, id);
			json_array_foreach(json_object_get(q, "options"), k, o)
			{
				if (k >= LEARNING_OPTIONS_MAX)
					break;
				w = ui_widget_add(group, ui_radio_new(json_string_value(o), false));
				ui_widget_set_translate(w, false);
				snprintf(id, sizeof(id), "q%zu-opt%zu", i, k);
				ui_widget_set_id(w, id);
				ui_widget_set_on_click(w, on_option, lr);
				qq->options[k] = w;
				qq->n_options = k + 1;
			}
		} else {
			qq->field = ui_widget_add(
			        lr->quiz_box,
			        ui_text_field_new(UI_FIELD_TEXT,
			                          N_("Tap here to write your answer")));
			snprintf(id, sizeof(id), "q%zu-answer", i);
			ui_widget_set_id(qq->field, id);
			ui_text_field_set_max_length(qq->field, 100);
			ui_text_field_set_on_submit(qq->field, on_submit, lr);
		}
		qq->feedback = ui_widget_add(lr->quiz_box, ui_label_new(""));
		snprintf(id, sizeof(id), "q%zu-feedback", i);
		ui_widget_set_id(qq->feedback, id);
		snprintf(id, sizeof(id), "q%zu-why", i);
		/* Read by the question's speaker, after the answers and the feedback. */
		row = ui_widget_add(lr->quiz_box, ui_box_new(UI_HORIZONTAL));
		qq->why = ui_widget_add(row, ui_paragraph_new(""));
		ui_widget_set_id(qq->why, id);
		ui_widget_set_translate(qq->why, false);
		ui_widget_set_expand(qq->why, 1);
		qq->why_row = row;
		ui_widget_set_visible(row, false);
	}
	ui_widget_set_visible(lr->quiz_check, true);
}

void
quiz_show(struct learning *lr, size_t module)
{
	json_t *mod = learning_module(lr, module);

	if (!mod || !json_is_string(json_object_get(mod, "quiz")))
		return;
	quiz_reset(lr);
	lr->quiz_module = module;
	ui_label_set_text(lr->quiz_title, jstr(mod, "title"));
	ui_widget_clear(lr->quiz_box);
	ui_label_set_text(lr->quiz_result, N_("Loading…"));
	ui_widget_set_visible(lr->quiz_check, false);
	ui_widget_set_visible(lr->quiz_next, false);
	ui_app_show_screen(lr->app, "quiz");
	if (channel_call(
	            lr->channel, "onward.Course.Quiz",
	            json_pack("{s:s, s:s}", "course", lr->course_id, "quiz", jstr(mod, "quiz")),
	            on_quiz, (void *)(uintptr_t)lr->quiz_gen) < 0)
		ui_label_set_text(lr->quiz_result, N_("Something went wrong. Please try again."));
}

/* Under a question once it is marked: the right answer when it was missed, and why it is
 * right when the course says (the pack's words, so they are not translated). */
static void
feedback_why(struct learning *lr, struct quiz_question *qq, json_t *f, bool correct)
{
	const char *right = json_string_value(json_object_get(f, "right"));
	const char *explain = json_string_value(json_object_get(f, "explain"));
	char text[1000];
	int n = 0;

	text[0] = '\0';
	if (!correct && right && right[0])
		n = snprintf(text, sizeof(text), "%s %s.",
		             ui_app_tr(lr->app, N_("The right answer is:")), right);
	if (explain && explain[0] && n >= 0 && (size_t)n < sizeof(text))
		snprintf(text + n, sizeof(text) - (size_t)n, "%s%s", n ? "\n" : "", explain);
	ui_label_set_text(qq->why, text);
	ui_widget_set_visible(qq->why_row, text[0] != '\0');
}

static void
on_answer(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct learning *lr = channel_get_data(ch);
	static const char *const ok[] = {N_("OK")};
	unsigned gen = (unsigned)(uintptr_t)userdata;
	json_t *p, *f;
	char text[300];
	size_t i;

	if (!reply || gen != lr->quiz_gen)
		return;
	ui_widget_set_enabled(lr->quiz_check, true);
	if (reply->error) {
		ui_label_set_text(lr->quiz_result, client_reply_message(reply));
		return;
	}
	p = reply->parameters;
	json_array_foreach(json_object_get(p, "feedback"), i, f)
	{
		bool correct = json_is_true(json_object_get(f, "correct"));

		if (i >= lr->n_questions)
			break;
		ui_label_set_text(lr->questions[i].feedback,
		                  correct ? N_("\xE2\x9C\x93 Right.")
		                          : (json_is_true(json_object_get(f, "answered"))
		                                     ? N_("\xE2\x9C\x97 Not right.")
		                                     : N_("\xE2\x9C\x97 Not answered.")));
		feedback_why(lr, &lr->questions[i], f, correct);
	}
	lr->quiz_passed = json_is_true(json_object_get(p, "passed"));
	snprintf(text, sizeof(text), "%s %lld / %lld. %s", ui_app_tr(lr->app, N_("You got")),
	         (long long)json_integer_value(json_object_get(p, "correct")),
	         (long long)json_integer_value(json_object_get(p, "total")),
	         lr->quiz_passed ? ui_app_tr(lr->app, N_("You passed. Well done!"))
	                         : ui_app_tr(lr->app, N_("That is not enough to pass yet. Read "
	                                                 "the pages again, then try again.")));
	ui_label_set_text(lr->quiz_result, text);
	ui_widget_set_visible(lr->quiz_next, lr->quiz_passed);
	if (json_is_object(json_object_get(p, "certificate")))
		ui_app_show_dialog(
		        lr->app,
		        N_("Well done! You have finished this course. Your certificate "
		           "is saved. You can read it any time: tap My certificates on the "
		           "Learning screen."),
		        ok, 1, NULL, NULL);
}

static void
on_check(struct ui_widget *w, void *userdata)
{
	struct learning *lr = userdata;
	json_t *answers = json_object(), *questions = json_object_get(lr->quiz, "questions");

	for (size_t i = 0; i < lr->n_questions; i++) {
		struct quiz_question *qq = &lr->questions[i];
		const char *id = jstr(json_array_get(questions, i), "id");

		if (qq->choice && qq->chosen >= 0)
			json_object_set_new(answers, id, json_integer(qq->chosen));
		else if (!qq->choice && ui_text_field_get_text(qq->field)[0])
			json_object_set_new(answers, id,
			                    json_string(ui_text_field_get_text(qq->field)));
	}
	ui_app_focus(lr->app, NULL); /* put the keyboard away */
	if (channel_call(lr->channel, "onward.Course.Answer",
	                 json_pack("{s:s, s:s, s:o}", "course", lr->course_id, "quiz",
	                           jstr(lr->quiz, "quiz"), "answers", answers),
	                 on_answer, (void *)(uintptr_t)lr->quiz_gen) < 0) {
		ui_label_set_text(lr->quiz_result, N_("Something went wrong. Please try again."));
		return;
	}
	ui_widget_set_enabled(w, false);
	ui_label_set_text(lr->quiz_result, N_("Checking…"));
}

static void
on_carry_on(struct ui_widget *w, void *userdata)
{
	struct learning *lr = userdata;

	(void)w;
	if (lr->quiz_module + 1 < learning_module_count(lr))
		page_show(lr, lr->quiz_module + 1, 0);
	else
		learning_show_course(lr);
}

static void
on_back(struct ui_widget *w, void *userdata)
{
	(void)w;
	quiz_reset(userdata);
	learning_show_course(userdata);
}

struct ui_widget *
quiz_build_screen(struct learning *lr)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *row;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	lr->quiz_title =
	        ui_title_row_add(col, "quiz-back", on_back, lr, ui_heading_new(""), "quiz-title");
	ui_widget_set_translate(lr->quiz_title, false);
	lr->quiz_box = ui_widget_add(col, ui_box_new(UI_VERTICAL));
	ui_widget_set_id(lr->quiz_box, "questions");
	lr->quiz_result = ui_widget_add(col, ui_paragraph_new(""));
	ui_widget_set_id(lr->quiz_result, "quiz-result");
	ui_widget_set_translate(lr->quiz_result, false);
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	lr->quiz_check = ui_button_add(row, N_("Check my answers"), UI_ICON_CHECK, "check-answers",
	                               on_check, lr);
	ui_widget_set_expand(lr->quiz_check, 1);
	ui_widget_set_min_size(lr->quiz_check, 0, 14);
	lr->quiz_next =
	        ui_button_add(row, N_("Carry on"), UI_ICON_NEXT, "carry-on", on_carry_on, lr);
	ui_widget_set_expand(lr->quiz_next, 1);
	ui_widget_set_min_size(lr->quiz_next, 0, 14);
	ui_widget_set_visible(lr->quiz_next, false);
	return col;
}

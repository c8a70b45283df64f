/*
 * My certificates: the certificates a person has earned, newest first
 * (onward.Course.Certificates), and one of them to read. A certificate is saved by the
 * daemon, signed by the prison, when a course is finished; here the person can see it again
 * whenever they like, read it aloud, and find what to tell staff for a printed copy (the
 * tablet has no printer: staff export the signed certificate with onwardctl). The list
 * comes from the daemon every time the screen opens, so a certificate earned a minute ago,
 * or on another tablet, is there.
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

static void on_cert_tap(struct ui_widget *w, void *userdata);

/* Appends a line to the certificate's words. */
static void
add_line(char *buf, size_t size, const char *text)
{
	size_t len = strlen(buf);

	if (len < size)
		snprintf(buf + len, size - len, "%s%s", len ? "\n" : "", text);
}

static void
show_certificate(struct learning *lr, size_t i)
{
	json_t *c = json_array_get(lr->certs, i);
	char text[1600], line[400], date[64];

	if (!c)
		return;
	text[0] = '\0';
	learning_date_words(lr, jstr(c, "issued"), date, sizeof(date));
	snprintf(line, sizeof(line), "%s %s", jstr(lr->certs_owner, "given_name"),
	         jstr(lr->certs_owner, "family_name"));
	add_line(text, sizeof(text), ui_app_tr(lr->app, N_("This certificate says that")));
	add_line(text, sizeof(text), line);
	add_line(text, sizeof(text), ui_app_tr(lr->app, N_("finished the course")));
	add_line(text, sizeof(text), jstr(c, "title"));
	snprintf(line, sizeof(line), "%s %s.", ui_app_tr(lr->app, N_("on")), date);
	add_line(text, sizeof(text), line);
	if (json_is_integer(json_object_get(c, "score"))) {
		snprintf(line, sizeof(line), "%s %lld%%.",
		         ui_app_tr(lr->app, N_("Quiz score for the whole course:")),
		         (long long)json_integer_value(json_object_get(c, "score")));
		add_line(text, sizeof(text), line);
	}
	ui_label_set_text(lr->cert_text, text);
	snprintf(line, sizeof(line), "%s %s", ui_app_tr(lr->app, N_("Certificate number:")),
	         jstr(c, "id"));
	ui_label_set_text(lr->cert_number, line);
	ui_app_show_screen(lr->app, "certificate");
}

static void
build_list(struct learning *lr)
{
	size_t i;
	json_t *c;

	ui_widget_clear(lr->certs_box);
	json_array_foreach(lr->certs, i, c)
	{
		struct ui_widget *b;
		char text[300], date[64], id[40];

		learning_date_words(lr, jstr(c, "issued"), date, sizeof(date));
		snprintf(text, sizeof(text), "%s (%s)", jstr(c, "title"), date);
		b = ui_widget_add(lr->certs_box, ui_button_new(text, UI_ICON_CERTIFICATE));
		ui_widget_set_translate(b, false);
		snprintf(id, sizeof(id), "certificate-%zu", i);
		ui_widget_set_id(b, id);
		ui_widget_set_on_click(b, on_cert_tap, lr);
		ui_widget_set_min_size(b, 0, 14);
	}
	ui_label_set_text(lr->certs_message,
	                  json_array_size(lr->certs)
	                          ? N_("Tap a certificate to read it.")
	                          : N_("You have no certificates yet. When you finish a course, "
	                               "its certificate will be here."));
}

static void
on_certificates(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct learning *lr = channel_get_data(ch);
	const char *open = userdata;

	if (!reply)
		return;
	if (reply->error) {
		const char *m = client_reply_message(reply);

		ui_label_set_text(lr->certs_message,
		                  m[0] ? m : N_("Something went wrong. Please try again."));
		return;
	}
	json_decref(lr->certs);
	json_decref(lr->certs_owner);
	lr->certs_owner = json_incref(reply->parameters);
	lr->certs = json_array_size(json_object_get(reply->parameters, "certificates"))
	                    ? json_incref(json_object_get(reply->parameters, "certificates"))
	                    : json_array();
	build_list(lr);
	/* From a course: straight to that course's certificate. */
	if (open) {
		json_t *c;
		size_t i;

		json_array_foreach(lr->certs, i, c)
		{
			if (strcmp(jstr(c, "id"), open) == 0) {
				show_certificate(lr, i);
				break;
			}
		}
	}
}

void
certs_show(struct learning *lr, const char *open_id)
{
	static char open[48];

	ui_widget_clear(lr->certs_box);
	ui_label_set_text(lr->certs_message, N_("Loading…"));
	ui_app_show_screen(lr->app, "certificates");
	snprintf(open, sizeof(open), "%s", open_id ? open_id : "");
	if (channel_call(lr->channel, "onward.Course.Certificates", NULL, on_certificates,
	                 open[0] ? open : NULL) < 0)
		ui_label_set_text(lr->certs_message, N_("Something went wrong. Please try again."));
}

static void
on_cert_tap(struct ui_widget *w, void *userdata)
{
	show_certificate(userdata, (size_t)strtoul(ui_widget_get_id(w) + 12, NULL, 10));
}

static void
on_list_back(struct ui_widget *w, void *userdata)
{
	(void)w;
	learning_show_catalogue(userdata);
}

static void
on_cert_back(struct ui_widget *w, void *userdata)
{
	struct learning *lr = userdata;

	(void)w;
	ui_app_show_screen(lr->app, "certificates");
}

struct ui_widget *
certs_build_list_screen(struct learning *lr)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL);

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_title_row_add(col, "certificates-back", on_list_back, lr,
	                 ui_heading_new(N_("My certificates")), "certificates-title");
	lr->certs_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(lr->certs_message, "certificates-message");
	lr->certs_box = ui_widget_add(col, ui_box_new(UI_VERTICAL));
	ui_widget_set_id(lr->certs_box, "certificates");
	return col;
}

struct ui_widget *
certs_build_screen(struct learning *lr)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_title_row_add(col, "certificate-back", on_cert_back, lr,
	                 ui_heading_new(N_("Certificate")), "certificate-title");
	/* The title's speaker reads the certificate and what it is for. */
	lr->cert_text = ui_widget_add(col, ui_paragraph_new(""));
	ui_widget_set_id(lr->cert_text, "certificate-text");
	ui_widget_set_translate(lr->cert_text, false);
	lr->cert_number = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_translate(lr->cert_number, false);
	ui_widget_set_id(lr->cert_number, "certificate-number");
	w = ui_widget_add(col, ui_paragraph_new(N_("The prison has signed this certificate, so a "
	                                           "college or an employer can check it is real. "
	                                           "It is kept safe: you can read it here any "
	                                           "time. For a printed copy, ask education staff "
	                                           "and tell them the certificate number.")));
	ui_widget_set_id(w, "certificate-help");
	return col;
}

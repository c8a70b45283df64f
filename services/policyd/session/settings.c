/*
 * onward.Settings.Get and onward.Settings.Set: a person's own choices for the screen —
 * text size, contrast, read aloud, language — kept with their record, so the shell (and
 * every app it starts) looks and speaks the way they chose on any tablet, after any move.
 */
#include "call.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SETTINGS_JSON_MAX 512

static const char *const text_sizes[] = {"normal", "large", "largest", NULL};
static const char *const contrasts[] = {"normal", "high", NULL};
static const char *const languages[] = {"en", "cy", NULL};

static bool
one_of(const char *value, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(value, *allowed) == 0)
			return true;
	return false;
}

/* The stored settings with defaults for anything never set. */
static json_t *
current(struct call *c)
{
	char text[SETTINGS_JSON_MAX + 1] = "";
	json_t *stored, *out = json_pack("{s:s, s:s, s:b, s:s}", "text_size", "normal", "contrast",
	                                 "normal", "read_aloud", 0, "language", "en");

	(void)store_person_get_settings(c->server->store, c->peer->person_id, text, sizeof(text));
	stored = text[0] ? json_loads(text, 0, NULL) : NULL;
	if (json_is_object(stored))
		json_object_update_existing(out, stored);
	json_decref(stored);
	return out;
}

static void
handle_get(struct call *c)
{
	call_set_subject(c, "person:%s", c->peer->prison_number);
	call_reply(c, current(c));
}

static void
handle_set(struct call *c)
{
	const char *size = params_string(c->params, "text_size", NULL);
	const char *contrast = params_string(c->params, "contrast", NULL);
	const char *language = params_string(c->params, "language", NULL);
	json_t *settings;
	char *text;
	int r;

	call_set_subject(c, "person:%s", c->peer->prison_number);
	if (size && !one_of(size, text_sizes)) {
		call_fail_param(c, "text_size", "Text size is normal, large or largest.");
		return;
	}
	if (contrast && !one_of(contrast, contrasts)) {
		call_fail_param(c, "contrast", "Contrast is normal or high.");
		return;
	}
	if (language && !one_of(language, languages)) {
		call_fail_param(c, "language", "The language is en (English) or cy (Welsh).");
		return;
	}
	settings = current(c);
	json_object_update_existing(settings, c->params);
	text = json_dumps(settings, JSON_COMPACT | JSON_SORT_KEYS);
	r = text ? store_begin(c->server->store) : -ENOMEM;
	if (r == 0)
		r = store_person_set_settings(c->server->store, c->peer->person_id, text);
	if (r == 0)
		r = call_audit(c, "ok", json_incref(settings));
	r = r == -ENOMEM ? r : call_end_transaction(c, r);
	free(text);
	if (r < 0) {
		json_decref(settings);
		call_fail_store(c, r, "person");
		return;
	}
	call_reply(c, settings);
}

static const struct param_spec no_params[] = {{NULL}};

static const struct param_spec set_params[] = {
        {"text_size", PARAM_STRING, false, 0, 16},
        {"contrast", PARAM_STRING, false, 0, 16},
        {"read_aloud", PARAM_BOOL, false, 0, 0},
        {"language", PARAM_STRING, false, 0, 8},
        {NULL},
};

const struct method settings_methods[] = {
        {"onward.Settings.Get", SOCKET_CONTROL | SOCKET_CHANNEL, "settings.get", AUDIT_NONE,
         .apps = "*", .needs_session = true, .params = no_params, .handler = handle_get},
        {"onward.Settings.Set", SOCKET_CONTROL, "settings.set", AUDIT_HANDLER,
         .needs_session = true, .params = set_params, .handler = handle_set},
        {NULL},
};

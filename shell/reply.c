/*
 * The daemon's replies, checked field by field (see reply.h). Each reader fills a local
 * copy and only writes the caller's struct once everything required has passed, so a
 * refused reply leaves the caller's data as it was.
 */
#include "reply.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "text.h"

bool
reply_text_ok(const char *s, size_t max)
{
	size_t n = 0;

	if (!s)
		return false;
	for (; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];

		if (n >= max || c < 0x20 || c == 0x7F)
			return false;
	}
	return true;
}

static int
get_bool(const json_t *obj, const char *key, bool required, bool fallback, bool *ret)
{
	const json_t *v = json_object_get(obj, key);

	if (!v) {
		if (required)
			return -EBADMSG;
		*ret = fallback;
		return 0;
	}
	if (!json_is_boolean(v))
		return -EBADMSG;
	*ret = json_is_true(v);
	return 0;
}

static bool
all_in(const char *s, const char *set)
{
	return s[strspn(s, set)] == '\0';
}

static bool
app_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 2 && n <= REPLY_APP_MAX && all_in(s, "abcdefghijklmnopqrstuvwxyz0123456789-");
}

int
reply_read_person(const json_t *obj, struct reply_person *ret)
{
	struct reply_person p;
	int64_t ignored;
	char date[21];

	if (!json_is_object(obj))
		return -EBADMSG;
	if (client_read_text(obj, "prison_number", CLIENT_TEXT_REQUIRED, p.prison_number, 16) < 0 ||
	    !p.prison_number[0] || !all_in(p.prison_number, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
		return -EBADMSG;
	if (client_read_text(obj, "given_name", CLIENT_TEXT_REQUIRED, p.given_name,
	                     REPLY_NAME_MAX) < 0 ||
	    client_read_text(obj, "family_name", 0, p.family_name, REPLY_NAME_MAX) < 0 ||
	    client_read_text(obj, "status", 0, p.status, 16) < 0 ||
	    client_read_text(obj, "incentive", 0, p.incentive, 16) < 0 ||
	    client_read_text(obj, "establishment", 0, p.establishment, 16) < 0 ||
	    client_read_text(obj, "release_date", 0, p.release_date, 10) < 0)
		return -EBADMSG;
	if (p.release_date[0]) {
		snprintf(date, sizeof(date), "%sT00:00:00Z", p.release_date);
		if (strlen(p.release_date) != 10 || reply_parse_time(date, &ignored) < 0)
			p.release_date[0] = '\0'; /* not shown rather than refused */
	}
	*ret = p;
	return 0;
}

int
reply_read_login(const json_t *params, struct reply_person *ret)
{
	char session[129];

	if (!json_is_object(params) ||
	    client_read_text(params, "session", CLIENT_TEXT_REQUIRED, session, 128) < 0 ||
	    !session[0])
		return -EBADMSG;
	return reply_read_person(json_object_get(params, "person"), ret);
}

int
reply_read_pin_change(const json_t *params, struct reply_person *ret)
{
	if (!json_is_object(params) || !json_is_true(json_object_get(params, "pin_change")) ||
	    json_object_get(params, "session"))
		return -EBADMSG;
	return reply_read_person(json_object_get(params, "person"), ret);
}

static int
read_tile(const json_t *obj, struct reply_tile *ret)
{
	struct reply_tile t;
	const json_t *badge;

	if (!json_is_object(obj))
		return -EBADMSG;
	if (client_read_text(obj, "app", CLIENT_TEXT_REQUIRED, t.app, REPLY_APP_MAX) < 0 ||
	    !app_name_ok(t.app) ||
	    client_read_text(obj, "title", CLIENT_TEXT_REQUIRED, t.title, REPLY_NAME_MAX) < 0 ||
	    !t.title[0] || get_bool(obj, "allowed", true, false, &t.allowed) < 0 ||
	    client_read_text(obj, "reason", 0, t.reason, REPLY_TEXT_MAX) < 0 ||
	    get_bool(obj, "crisis", false, false, &t.crisis) < 0 ||
	    get_bool(obj, "registered", false, true, &t.registered) < 0)
		return -EBADMSG;
	badge = json_object_get(obj, "badge");
	if (badge && !json_is_null(badge) && !json_is_integer(badge))
		return -EBADMSG;
	t.badge = 0;
	if (json_is_integer(badge) && json_integer_value(badge) > 0)
		t.badge = json_integer_value(badge) > REPLY_MAX_BADGE
		                  ? REPLY_MAX_BADGE
		                  : (unsigned)json_integer_value(badge);
	*ret = t;
	return 0;
}

static int
read_appointment(const json_t *obj, struct reply_appointment *ret)
{
	struct reply_appointment a = {.present = true};
	char at[21];

	if (!obj || json_is_null(obj)) {
		*ret = (struct reply_appointment){0};
		return 0;
	}
	if (!json_is_object(obj) || client_read_text(obj, "at", CLIENT_TEXT_REQUIRED, at, 20) < 0 ||
	    reply_parse_time(at, &a.at) < 0 ||
	    client_read_text(obj, "kind", 0, a.kind, REPLY_NAME_MAX) < 0 ||
	    client_read_text(obj, "where", 0, a.where, REPLY_NAME_MAX) < 0 ||
	    client_read_text(obj, "with", 0, a.with, REPLY_NAME_MAX) < 0)
		return -EBADMSG;
	*ret = a;
	return 0;
}

static int
read_banner(const json_t *obj, struct reply_banner *ret)
{
	struct reply_banner b;
	const json_t *id;

	if (!json_is_object(obj) ||
	    client_read_text(obj, "text", CLIENT_TEXT_REQUIRED, b.text, REPLY_TEXT_MAX) < 0 ||
	    !b.text[0])
		return -EBADMSG;
	id = json_object_get(obj, "id");
	if (json_is_integer(id))
		snprintf(b.id, sizeof(b.id), "%lld", (long long)json_integer_value(id));
	else if (client_read_text(obj, "id", 0, b.id, sizeof(b.id) - 1) < 0)
		return -EBADMSG;
	*ret = b;
	return 0;
}

int
reply_read_home(const json_t *params, struct reply_home *ret)
{
	struct reply_home h;
	const json_t *tiles, *banners, *v;
	size_t i;

	memset(&h, 0, sizeof(h));
	if (!json_is_object(params) ||
	    reply_read_person(json_object_get(params, "person"), &h.person) < 0)
		return -EBADMSG;
	tiles = json_object_get(params, "tiles");
	banners = json_object_get(params, "banners");
	if (!json_is_array(tiles))
		return -EBADMSG;
	/* Banners are news: a broken list of them is left out, like a broken tile. */
	if (banners && !json_is_null(banners) && !json_is_array(banners))
		h.skipped++;
	json_array_foreach(tiles, i, v)
	{
		struct reply_tile t;
		bool dup = false;

		if (h.n_tiles == REPLY_MAX_TILES || read_tile(v, &t) < 0) {
			h.skipped++;
			continue;
		}
		for (size_t j = 0; j < h.n_tiles; j++)
			dup = dup || strcmp(h.tiles[j].app, t.app) == 0;
		if (dup) {
			h.skipped++;
			continue;
		}
		h.tiles[h.n_tiles++] = t;
	}
	/* A broken appointment is left out, not a reason to refuse the home screen. */
	if (read_appointment(json_object_get(params, "next_appointment"), &h.next) < 0) {
		h.next = (struct reply_appointment){0};
		h.skipped++;
	}
	json_array_foreach(banners, i, v)
	{
		if (h.n_banners == REPLY_MAX_BANNERS || read_banner(v, &h.banners[h.n_banners]) < 0)
			h.skipped++;
		else
			h.n_banners++;
	}
	*ret = h;
	return 0;
}

int
reply_read_open(const json_t *params, const char *app, struct reply_open *ret)
{
	struct reply_open o;

	if (!json_is_object(params) || !json_is_true(json_object_get(params, "descriptor")))
		return -EBADMSG;
	if (client_read_text(params, "app", CLIENT_TEXT_REQUIRED, o.app, REPLY_APP_MAX) < 0 ||
	    strcmp(o.app, app) != 0 ||
	    client_read_text(params, "title", 0, o.title, REPLY_NAME_MAX) < 0 ||
	    client_read_text(params, "path", CLIENT_TEXT_REQUIRED, o.path, REPLY_PATH_MAX) < 0 ||
	    o.path[0] != '/' ||
	    client_read_text(params, "sha256", CLIENT_TEXT_REQUIRED, o.sha256, 64) < 0 ||
	    strlen(o.sha256) != 64 || !all_in(o.sha256, "0123456789abcdef"))
		return -EBADMSG;
	*ret = o;
	return 0;
}

void
reply_read_failure(const char *error, const json_t *params, const char *fallback,
                   struct reply_failure *ret)
{
	const json_t *seconds = json_object_get(params, "seconds");
	const json_t *tries = json_object_get(params, "tries_left");
	char word[33];

	*ret = (struct reply_failure){0};
	if (error && reply_text_ok(error, sizeof(ret->error) - 1))
		snprintf(ret->error, sizeof(ret->error), "%s", error);
	if (!json_is_object(params) ||
	    client_read_text(params, "message", CLIENT_TEXT_REQUIRED, ret->message,
	                     REPLY_TEXT_MAX) < 0 ||
	    !ret->message[0])
		snprintf(ret->message, sizeof(ret->message), "%s", fallback);
	if (json_is_integer(seconds) && json_integer_value(seconds) > 0)
		ret->seconds = json_integer_value(seconds) > 7 * 86400
		                       ? 7 * 86400
		                       : (int64_t)json_integer_value(seconds);
	if (json_is_integer(tries) && json_integer_value(tries) >= 1 &&
	    json_integer_value(tries) <= 2)
		ret->tries_left = (int)json_integer_value(tries);
	if (client_read_text(params, "parameter", 0, word, sizeof(word) - 1) == 0 &&
	    all_in(word, "abcdefghijklmnopqrstuvwxyz_"))
		snprintf(ret->parameter, sizeof(ret->parameter), "%s", word);
	if (client_read_text(params, "moved_to", 0, word, sizeof(word) - 1) == 0 &&
	    strlen(word) == 3 && all_in(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		memcpy(ret->moved_to, word, sizeof(ret->moved_to));
}

int
reply_parse_time(const char *s, int64_t *ret)
{
	return text_utc_time_parse(s, ret);
}

/*
 * Reading the daemon's replies into plain C structs, treating every field as hostile: a
 * field of the wrong type, too long, with control characters or out of range is refused
 * before anything is copied, and the screens only ever see these structs, never JSON.
 * No SDL here, so the unit tests feed it any reply they like (tests/shell/test_reply.c).
 *
 * A reply the shell cannot use as a whole (no person, tiles not a list) is -EBADMSG; one
 * bad tile, banner or appointment (or a broken list of banners) in an otherwise good
 * reply is skipped, so one broken entry does not
 * take the home screen away. Optional fields that are missing get their defaults.
 */
#ifndef ONWARD_SHELL_REPLY_H
#define ONWARD_SHELL_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define REPLY_NAME_MAX 100 /* bytes of a name, title, place or kind */
#define REPLY_TEXT_MAX 400 /* bytes of a message, reason or banner */
#define REPLY_APP_MAX 32 /* an app name: 2-32 of a-z, 0-9 and '-' */
#define REPLY_PATH_MAX 4095
#define REPLY_MAX_TILES 24
#define REPLY_MAX_BANNERS 4
#define REPLY_MAX_BADGE 9999

struct reply_person {
	char prison_number[17]; /* A-Z and 0-9 */
	char given_name[REPLY_NAME_MAX + 1];
	char family_name[REPLY_NAME_MAX + 1];
	char status[17]; /* "" when not given */
	char incentive[17];
	char establishment[17];
	char release_date[11]; /* YYYY-MM-DD, or "" */
};

struct reply_tile {
	char app[REPLY_APP_MAX + 1];
	char title[REPLY_NAME_MAX + 1];
	bool allowed;
	char reason[REPLY_TEXT_MAX + 1]; /* plain words when refused; may be "" */
	unsigned badge; /* 0 to REPLY_MAX_BADGE */
	bool crisis; /* the crisis-help tile: never shown locked */
	bool registered; /* false: no such app installed (the shell shows its own page) */
};

struct reply_appointment {
	bool present;
	int64_t at; /* seconds since the epoch, UTC */
	char kind[REPLY_NAME_MAX + 1];
	char where[REPLY_NAME_MAX + 1];
	char with[REPLY_NAME_MAX + 1];
};

struct reply_banner {
	char id[65];
	char text[REPLY_TEXT_MAX + 1];
};

struct reply_home {
	struct reply_person person;
	struct reply_tile tiles[REPLY_MAX_TILES];
	size_t n_tiles;
	size_t skipped; /* entries refused (bad, duplicated or past the maximum) */
	struct reply_appointment next;
	struct reply_banner banners[REPLY_MAX_BANNERS];
	size_t n_banners;
};

struct reply_open {
	char app[REPLY_APP_MAX + 1];
	char title[REPLY_NAME_MAX + 1];
	char path[REPLY_PATH_MAX + 1]; /* absolute */
	char sha256[65]; /* 64 lower-case hex digits */
};

struct reply_failure {
	char error[65]; /* "onward.LoginFailed"...; "" when the name was unusable */
	char message[REPLY_TEXT_MAX + 1]; /* plain words, never "" */
	int64_t seconds; /* AccountLocked: the wait; else 0 */
	int tries_left; /* LoginFailed: 1 or 2 when the daemon counts them down; else 0 */
	char parameter[33]; /* InvalidParameter: which one ("new_pin"), a-z and '_'; or "" */
	char moved_to[4]; /* a record moved away: the establishment's code ("NEP"); or "" */
};

/* onward.Session.Login (and the first onward.Session.ChangePin) with a session; and the
 * person inside onward.Shell.Home. */
int reply_read_login(const json_t *params, struct reply_person *ret_person);

/* onward.Session.Login with a PIN staff issued: "pin_change": true, a person and no
 * session (the person must choose their own PIN first). */
int reply_read_pin_change(const json_t *params, struct reply_person *ret_person);
int reply_read_person(const json_t *person, struct reply_person *ret_person);

/* onward.Shell.Home. */
int reply_read_home(const json_t *params, struct reply_home *ret_home);

/* onward.App.Open for `app`: the reply must name the same app, say it carries a
 * descriptor, and give an absolute path and a SHA-256. */
int reply_read_open(const json_t *params, const char *app, struct reply_open *ret_open);

/* Any error reply. Never fails: a missing or unusable message becomes `fallback`. */
void reply_read_failure(const char *error, const json_t *params, const char *fallback,
                        struct reply_failure *ret_failure);

/* "YYYY-MM-DDTHH:MM:SSZ" to seconds since the epoch; -EINVAL for anything else. */
int reply_parse_time(const char *s, int64_t *ret_seconds);

/* True when s is at most max bytes and holds no control characters. */
bool reply_text_ok(const char *s, size_t max);

#endif

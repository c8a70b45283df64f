/*
 * Staff who act in tests sign in for real. A test names who acts with "as" in a call's
 * parameters or "--as ID" among onwardctl's arguments (a harness convenience: neither
 * reaches the daemon); the harness then signs that staff member in as they would
 * themselves: a setup code from an administrator (break-glass: Staff.Reset), a password
 * (Staff.Setup), the first TOTP code from the secret it was given (Staff.SetupConfirm),
 * and Staff.Login with the next one. The session is kept for the daemon and sent instead
 * of "as"; one that has ended (the test moved the clock on) is made again. Naming a staff
 * member who does not exist yet ("admin", before daemon_seed adds them) acts break-glass.
 */
#include "daemon.h"

#include "check.h"

#include <liboath/oath.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PASSWORD "correct horse battery staple"
#define CALL_MS 30000

/* Which daemon each harness connection is to, so "as" can be turned into a session. */
static struct {
	const struct client *client;
	struct test_daemon *daemon;
} conns[512];

void
staff_note_connection(const struct client *c, struct test_daemon *d)
{
	size_t free_slot = sizeof(conns) / sizeof(conns[0]);

	for (size_t i = 0; i < sizeof(conns) / sizeof(conns[0]); i++) {
		if (conns[i].client == c) {
			conns[i].daemon = d;
			return;
		}
		if (!conns[i].client && free_slot == sizeof(conns) / sizeof(conns[0]))
			free_slot = i;
	}
	if (free_slot == sizeof(conns) / sizeof(conns[0])) {
		/* Full: the oldest entries belong to long-closed connections. */
		memmove(conns, conns + 64, sizeof(conns) - 64 * sizeof(conns[0]));
		memset(conns + sizeof(conns) / sizeof(conns[0]) - 64, 0, 64 * sizeof(conns[0]));
		free_slot = sizeof(conns) / sizeof(conns[0]) - 64;
	}
	conns[free_slot].client = c;
	conns[free_slot].daemon = d;
}

struct test_daemon *
staff_connection_daemon(const struct client *c)
{
	for (size_t i = 0; i < sizeof(conns) / sizeof(conns[0]); i++)
		if (conns[i].client == c)
			return conns[i].daemon;
	return NULL;
}

/* One break-glass call; its reply's parameters (owned) or NULL with the error in ret. */
static json_t *
break_glass_call(struct test_daemon *d, const char *method, json_t *params, char *err, size_t size)
{
	struct client *c = NULL;
	struct client_reply r;
	char path[200];
	json_t *out = NULL;

	snprintf(path, sizeof(path), "%s/admin.sock", d->dir);
	if (client_connect(path, &c) < 0)
		check_failed(__FILE__, __LINE__, "cannot connect to %s", path);
	if (client_call(c, method, params, CALL_MS, &r) < 0)
		check_failed(__FILE__, __LINE__, "%s: no reply", method);
	client_free(c);
	if (r.error)
		snprintf(err, size, "%s", r.error);
	else
		out = json_incref(r.parameters);
	client_reply_release(&r);
	return out;
}

void
daemon_totp_at(const char *secret_b32, int64_t at, char ret_code[7])
{
	char *secret = NULL;
	size_t len = 0;

	CHECK(oath_base32_decode(secret_b32, strlen(secret_b32), &secret, &len) == OATH_OK);
	CHECK(oath_totp_generate(secret, len, (time_t)at, 30, 0, 6, ret_code) == OATH_OK);
	free(secret);
}

/* Signs `id` in; false when there is no such staff member. */
static bool
sign_in(struct test_daemon *d, const char *id, char ret_token[65])
{
	char err[80] = "", code[7];
	json_t *reset, *setup, *out;
	const char *secret;

	reset = break_glass_call(d, "onward.Staff.Reset", json_pack("{s:s}", "staff_id", id), err,
	                         sizeof(err));
	if (!reset && strcmp(err, "onward.NotFound") == 0)
		return false;
	if (!reset)
		check_failed(__FILE__, __LINE__, "Staff.Reset %s: %s", id, err);
	setup = break_glass_call(d, "onward.Staff.Setup",
	                         json_pack("{s:s, s:O, s:s}", "staff_id", id, "setup_code",
	                                   json_object_get(reset, "setup_code"), "password",
	                                   PASSWORD),
	                         err, sizeof(err));
	if (!setup)
		check_failed(__FILE__, __LINE__, "Staff.Setup %s: %s", id, err);
	secret = json_string_value(json_object_get(setup, "totp_secret"));
	/* The first code from the step before now, the sign-in's from now: each once. */
	daemon_totp_at(secret, daemon_now(d) - 30, code);
	out = break_glass_call(d, "onward.Staff.SetupConfirm",
	                       json_pack("{s:s, s:O, s:s}", "staff_id", id, "setup_code",
	                                 json_object_get(reset, "setup_code"), "code", code),
	                       err, sizeof(err));
	if (!out)
		check_failed(__FILE__, __LINE__, "Staff.SetupConfirm %s: %s", id, err);
	json_decref(out);
	daemon_totp_at(secret, daemon_now(d), code);
	out = break_glass_call(
	        d, "onward.Staff.Login",
	        json_pack("{s:s, s:s, s:s}", "staff_id", id, "password", PASSWORD, "code", code),
	        err, sizeof(err));
	if (!out)
		check_failed(__FILE__, __LINE__, "Staff.Login %s: %s", id, err);
	snprintf(ret_token, 65, "%s", json_string_value(json_object_get(out, "session")));
	json_decref(out);
	json_decref(setup);
	json_decref(reset);
	return true;
}

const char *
daemon_staff_session(struct test_daemon *d, const char *id, bool fresh)
{
	struct test_staff_session *s = NULL;

	for (int i = 0; i < d->n_sessions; i++)
		if (strcmp(d->sessions[i].id, id) == 0)
			s = &d->sessions[i];
	if (s && !fresh)
		return s->token;
	if (!s) {
		CHECK(d->n_sessions < (int)(sizeof(d->sessions) / sizeof(d->sessions[0])));
		s = &d->sessions[d->n_sessions++];
		snprintf(s->id, sizeof(s->id), "%s", id);
	}
	if (!sign_in(d, id, s->token)) {
		d->n_sessions--;
		return NULL;
	}
	return s->token;
}

void
staff_session_file(struct test_daemon *d, const char *id, char *ret_env, size_t size)
{
	const char *token = daemon_staff_session(d, id, false);
	char path[200];
	FILE *f;

	ret_env[0] = '\0';
	if (!token)
		return;
	snprintf(path, sizeof(path), "%s.session-%s", d->dir, id);
	f = fopen(path, "w");
	CHECK(f != NULL);
	CHECK(chmod(path, 0600) == 0);
	fprintf(f, "{\"session\": \"%s\", \"staff_id\": \"%s\"}", token, id);
	CHECK(fclose(f) == 0);
	snprintf(ret_env, size, "ONWARD_SESSION_FILE=%s", path);
}

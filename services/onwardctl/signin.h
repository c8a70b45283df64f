/*
 * Signing in: where onwardctl keeps the staff session it acts by, and the commands that
 * make and end one (login, logout, staff setup). A session is a token from
 * onward.Staff.Login after a password and a TOTP code; it lives in a file only its owner
 * can read ($ONWARD_SESSION_FILE, or ~/.cache/onward/session) until it ends.
 */
#ifndef ONWARDCTL_SIGNIN_H
#define ONWARDCTL_SIGNIN_H

#include <stdbool.h>

#include <jansson.h>

struct transport;

/* The session file's path into buf; false (and a message) when there is none to use. */
bool signin_session_path(char *buf, size_t size);

/*
 * The session token from the session file into ret_token (65 bytes), if it is for
 * `server` (transport_name()); 0, -ENOENT when nobody is signed in, -ESTALE when the
 * session is another server's, other negative errno when the file cannot be trusted.
 */
int signin_session_read(const char *server, char ret_token[65]);

/*
 * The sign-in commands; each returns the exit status. args are the command's arguments as
 * main.c's table made them ("staff_id", "code", "setup_code"), borrowed.
 */
int signin_login(struct transport *t, json_t *args, bool json);
int signin_logout(struct transport *t, bool json);
int signin_staff_setup(struct transport *t, json_t *args, bool json);

/* Reads one line (a password: not echoed on a terminal) after showing prompt on one. */
int signin_read_secret(const char *prompt, char *buf, size_t size);

#endif

/*
 * A person using an app against a real daemon, for the housing and appointments tests:
 * people and staff added through the admin socket, a login on control.sock, an app
 * opened with onward.App.Open and its channel adopted as the app would (fd 3 in real
 * life), and calls that must succeed or must fail with an exact error.
 */
#ifndef ONWARD_TEST_APP_SESSION_H
#define ONWARD_TEST_APP_SESSION_H

#include <stdint.h>

#include "daemon.h"

/* "YYYY-MM-DD", days from today by d's clock in London (as the daemon counts days), into
 * buf (11 bytes). */
const char *session_date(const struct test_daemon *d, int days, char *buf);

/* Adds a person at establishment with a release date days ahead (no date if days is
 * INT32_MIN) and status; their one-time PIN goes into pin (16 bytes). */
void session_add_person(struct test_daemon *d, const char *number, const char *given,
                        const char *establishment, const char *status, int release_days, char *pin);

void session_add_staff(struct test_daemon *d, const char *id, const char *name, const char *role,
                       const char *establishment);

/* Registers app name with its own copy of /bin/true (App.Open checks the program's hash). */
void session_register_app(struct test_daemon *d, const char *name);

/* A control connection logged in as number. */
struct client *session_login(struct test_daemon *d, const char *number, const char *pin);

/* Opens app for the logged-in person and returns its channel. */
struct client *session_open_app(struct client *control, const char *app);

/* A call that must succeed: returns its parameters (the caller owns them). */
json_t *session_ok(struct client *c, const char *method, json_t *params);

/* A call that must fail with error, a message containing message_part, and (unless NULL)
 * the parameter named. */
void session_fails(struct client *c, const char *method, json_t *params, const char *error,
                   const char *message_part, const char *parameter);

/* Runs onwardctl as staff member as, expecting exit status want; returns what it wrote,
 * standard output then standard error (owned). */
char *session_ctl(struct test_daemon *d, int want, const char *as, ...);

#endif

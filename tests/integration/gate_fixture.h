/*
 * What the tests through the gate share: daemons for establishments that trust each other,
 * onwardctl as staff, logging in, and forging bundles the way a hostile or buggy sender
 * would — opening a real bundle with the receiver's real identity, changing its record,
 * and sealing it again with the sender's real identity (read from the daemon's state
 * directory, as someone holding that establishment's keys could).
 */
#ifndef ONWARD_TEST_GATE_FIXTURE_H
#define ONWARD_TEST_GATE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "daemon.h"

/*
 * A daemon for establishment `code` with the national policies only (so answers do not
 * depend on the hour), staff "admin" and "m.brown" (probation, NEP), and establishments
 * MDI, BXI and NEP.
 */
void gate_setup(struct test_daemon *d, const char *code);

/* Whether d holds a person with this prison number (onward.Person.Show as admin). */
bool gate_person_exists(struct test_daemon *d, const char *number);

/* Removes the daemon, its state directory and its policy folder. */
void gate_remove(struct test_daemon *d);

/* Writes d's certificate to DIR.cert.json; returns path (filled, size bytes). */
const char *gate_cert_file(struct test_daemon *d, char *path, size_t size);

/* `onwardctl trust add CERT` at d, which must succeed. */
void gate_trust(struct test_daemon *d, const char *cert_path);

/*
 * Runs onwardctl --as admin ARGS... (NULL ended) at d and checks its exit status; the
 * caller releases ret.
 */
void gate_ctl(struct test_daemon *d, int want, struct run_result *ret, ...);

/* Logs in with prison number and PIN: want_error NULL for success. */
void gate_login(struct test_daemon *d, const char *number, const char *pin, const char *want_error,
                const char *message_part);

/*
 * Opens the bundle at bundle_path as `receiver` would (its identity, the sender's
 * certificate at sender_cert as the only one trusted): the payload as JSON.
 */
json_t *gate_open(struct test_daemon *receiver, const char *sender_cert, const char *bundle_path);

/*
 * Seals payload (JSON, or raw text when text is not NULL) as `sender` to the certificate
 * at recipient_cert, writing a new file at path.
 */
void gate_seal(struct test_daemon *sender, const char *recipient_cert, json_t *payload,
               const char *path);
void gate_seal_text(struct test_daemon *sender, const char *recipient_cert, const char *text,
                    size_t len, const char *path);

/*
 * Imports the bundle at path on one connection while another connection keeps asking
 * onward.Service.GetInfo: ret gets the import's reply, ret_elapsed_ms how long it took,
 * ret_other_max_ms the longest any other call waited meanwhile (how long the daemon's
 * loop was held).
 */
void gate_import_watched(struct test_daemon *d, const char *path, struct client_reply *ret,
                         double *ret_elapsed_ms, double *ret_other_max_ms);

/* The daemon's peak resident memory so far (VmHWM), in KiB; -1 if unknown. */
long gate_peak_kib(const struct test_daemon *d);

/* Milliseconds on the monotonic clock. */
double gate_now_ms(void);

#endif

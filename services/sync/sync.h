/*
 * onward-sync: the tablet's side of the estate (docs/estate.md). Today it enrols the tablet
 * (enrol.c) and says hello with its client certificate (hello.c); later it becomes the
 * tablet's sync loop, on the same device folder and HTTPS client. The device folder
 * (device.c) holds the tablet's identity: its P-256 key, made here and never sent anywhere,
 * its certificate, and the establishment CA it trusts.
 */
#ifndef ONWARD_SYNC_H
#define ONWARD_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <openssl/types.h>

#define SYNC_KEY_FILE "device.key"
#define SYNC_CERT_FILE "device.crt"
#define SYNC_CA_FILE "ca.pem"

/* What the command line said; every field borrowed from argv. */
struct sync_options {
	const char *server; /* "https://gateway.mdi.example:8443" */
	const char *dir; /* the device folder */
	const char *code; /* enrol: the enrolment code staff gave */
	const char *ca_pin; /* enrol: the CA's pin printed with the code */
	const char *name; /* enrol: the tablet's name (optional) */
	bool json; /* print replies as JSON */
	long timeout_ms;
};

/* The device folder's files: "DIR/device.key" and so on. */
struct device_paths {
	char dir[4096];
	char key[4200];
	char cert[4200];
	char ca[4200];
};

/* Fills the paths; makes the folder (0700) when make is true. 0 or a plain line in err. */
int device_open(const char *dir, bool make, struct device_paths *ret, char *err, size_t size);

/* A new key for the tablet, saved 0600 (atomically) in the folder. */
int device_make_key(const struct device_paths *p, EVP_PKEY **ret_key, char *err, size_t size);

/*
 * Checks that cert_pem is a certificate for key chained to ca_pem, then writes it and the
 * CA into the folder (each atomically). 0 or a plain line in err.
 */
int device_save(const struct device_paths *p, EVP_PKEY *key, const char *cert_pem,
                const char *ca_pem, char *err, size_t size);

/* The commands: each returns the exit status (0 done, 1 refused or failed). */
int sync_enrol(const struct sync_options *o);
int sync_hello(const struct sync_options *o);

/*
 * Prints a daemon reply's error in plain words ("refused: That enrolment code ...") to
 * standard error; returns true when reply was an error.
 */
bool sync_reply_failed(json_t *reply);

/* Prints a value as one line of JSON (ASCII only, so no control character reaches a
 * terminal). */
void sync_print_json(json_t *value);

#endif

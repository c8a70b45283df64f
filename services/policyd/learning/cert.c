/*
 * Certificates: the establishment's certificate key and issuing a certificate when a
 * person completes a course. The key is an Ed25519 key of its own in DIR/establishment.key
 * (0600), made when the learning area first starts and never replaced; `onwardctl certificate key`
 * publishes its public half so that anyone can check a certificate offline. (The daemon's
 * establishment identity for person bundles, identity.c, has no signing call for other
 * documents, so certificates keep this key; see the README.)
 *
 * A certificate is stored as a row holding the signed document, so it moves with the
 * person's record and verifies anywhere, whatever happens to this device.
 */
#include "learning_int.h"

#include "clock.h"
#include "crypto.h"
#include "log.h"
#include "timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
course_cert_key_load(struct server *srv, struct coursecert_key **ret, char *err, size_t size)
{
	struct coursecert_error e = {0};
	struct coursecert_key *key = NULL;
	char path[4200];
	int r;

	r = course_path(srv, COURSE_KEY_FILE, path, sizeof(path));
	if (r < 0) {
		snprintf(err, size, "the state directory path is too long");
		return r;
	}
	r = coursecert_key_load_private(path, &key, &e);
	if (r == -ENOENT) {
		r = coursecert_key_generate(&key, &e);
		if (r == 0)
			r = coursecert_key_save_private(key, path, &e);
		if (r == 0) {
			char id[COURSECERT_KEY_ID_MAX];

			coursecert_key_id(key, id);
			log_info("made the establishment's certificate key %s in %s", id, path);
		}
	}
	if (r < 0) {
		coursecert_key_free(key);
		snprintf(err, size, "the certificate key %s: %s", path, e.message);
		return r;
	}
	*ret = key;
	return 0;
}

json_t *
course_cert_render(const struct store_certificate *cert)
{
	char issued[32];

	time_format_utc(cert->issued_at, issued, sizeof(issued));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "id", cert->id,
	                 "prison_number", cert->prison_number, "course", cert->course_id, "title",
	                 cert->title, "version", cert->course_version, "score",
	                 cert->score < 0 ? json_null() : json_integer(cert->score), "issued",
	                 issued, "key_id", cert->key_id);
}

int
course_cert_issue(struct call *c, const struct store_person *person,
                  const struct store_course *course, int score, struct store_certificate *ret_row)
{
	struct server *srv = c->server;
	const struct coursecert_key *key = learning_of(c->server)->cert_key;
	struct coursecert_fields f = {0};
	struct coursecert_error e = {0};
	struct store_establishment est;
	struct store_certificate row = {0};
	const char *code =
	        srv->config.establishment[0] ? srv->config.establishment : person->establishment;
	uint8_t random[12];
	char *document = NULL;
	size_t len;
	int r;

	r = crypto_random(random, sizeof(random));
	if (r < 0)
		return r;
	strcpy(f.id, "c-");
	crypto_hex_encode(random, sizeof(random), f.id + 2);
	snprintf(f.given_name, sizeof(f.given_name), "%s", person->given_name);
	snprintf(f.family_name, sizeof(f.family_name), "%s", person->family_name);
	snprintf(f.prison_number, sizeof(f.prison_number), "%s", person->prison_number);
	snprintf(f.course_id, sizeof(f.course_id), "%s", course->id);
	snprintf(f.course_title, sizeof(f.course_title), "%s", course->title);
	snprintf(f.course_version, sizeof(f.course_version), "%s", course->version);
	snprintf(f.course_level, sizeof(f.course_level), "%s", course->level);
	snprintf(f.provider_name, sizeof(f.provider_name), "%s", course->provider_name);
	f.issued_at = clock_now();
	f.score = score;
	snprintf(f.establishment_code, sizeof(f.establishment_code), "%s", code);
	if (store_establishment_get(srv->store, code, &est) == 0)
		snprintf(f.establishment_name, sizeof(f.establishment_name), "%s", est.name);
	else
		snprintf(f.establishment_name, sizeof(f.establishment_name), "%s", code);
	r = coursecert_issue(&f, key, &document, &len, &e);
	if (r < 0) {
		log_error("certificate for %s, %s: %s", person->prison_number, course->id,
		          e.message);
		return r;
	}
	snprintf(row.id, sizeof(row.id), "%s", f.id);
	row.person_id = person->id;
	snprintf(row.prison_number, sizeof(row.prison_number), "%s", person->prison_number);
	snprintf(row.course_id, sizeof(row.course_id), "%s", course->id);
	snprintf(row.course_version, sizeof(row.course_version), "%s", course->version);
	snprintf(row.title, sizeof(row.title), "%s", course->title);
	row.score = score;
	row.issued_at = f.issued_at;
	coursecert_key_id(key, row.key_id);
	r = store_certificate_insert(srv->store, &row, document);
	free(document);
	if (r == 0 && ret_row)
		*ret_row = row;
	return r;
}

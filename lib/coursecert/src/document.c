/*
 * document.c: the certificate document (format "onward-certificate-1"): making and signing
 * one, and checking one strictly. The JSON is only the envelope: what the signature
 * covers is this fixed rendering of the fields, one "name=value" line each after a header
 * line, in this order:
 *
 *   onward-certificate-v1
 *   id=...  person.given_name=...  person.family_name=...  person.prison_number=...
 *   course.id=...  course.title=...  course.version=...  course.level=...
 *   course.provider=...  issued=YYYY-MM-DDTHH:MM:SSZ  score=NN (or "none")
 *   establishment.code=...  establishment.name=...  key.id=...  key.public=BASE64
 *
 * No value may hold a control character, so none can end its line early or add one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coursecert_int.h"

#define FORMAT "onward-certificate-1"
#define SIGNED_HEADER "onward-certificate-v1\n"
#define SIGNED_MAX 4096
#define B64_KEY_LEN CRYPTO_BASE64_LEN(COURSECERT_RAW_KEY_LEN)
#define B64_SIG_LEN CRYPTO_BASE64_LEN(COURSECERT_SIG_LEN)

static bool
charset_ok(const char *s, size_t max, const char *extra)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr(extra, *p)))
			return false;
	return true;
}

static bool
prison_number_ok(const char *s)
{
	return strlen(s) == 7 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= '0' && s[1] <= '9' &&
	       s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9' && s[4] >= '0' &&
	       s[4] <= '9' && s[5] >= 'A' && s[5] <= 'Z' && s[6] >= 'A' && s[6] <= 'Z';
}

static bool
version_ok(const char *s)
{
	unsigned parts = 0;

	if (strlen(s) > 32)
		return false;
	while (*s) {
		size_t digits = strspn(s, "0123456789");

		if (digits == 0 || digits > 10)
			return false;
		s += digits;
		parts++;
		if (*s == '.' && parts < 3)
			s++;
		else if (*s)
			return false;
	}
	return parts == 3;
}

static bool
level_ok(const char *s)
{
	static const char *const levels[] = {"entry1", "entry2", "entry3",
	                                     "level1", "level2", "level3"};

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(s, levels[i]) == 0)
			return true;
	return false;
}

static bool
code_ok(const char *s)
{
	return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
	       s[2] >= 'A' && s[2] <= 'Z';
}

/* Checks every field's form; one line naming the first that is wrong. */
static int
fields_check(const struct coursecert_fields *f, struct coursecert_error *err)
{
	if (!charset_ok(f->id, sizeof(f->id) - 1, "-"))
		return coursecert__err(err, -EBADMSG,
		                       "certificate id must be 1-40 of a-z, 0-9 and '-'");
	if (!text_line_valid(f->given_name, sizeof(f->given_name) - 1) ||
	    !text_line_valid(f->family_name, sizeof(f->family_name) - 1))
		return coursecert__err(err, -EBADMSG, "person: names must be 1-100 bytes of text");
	if (!prison_number_ok(f->prison_number))
		return coursecert__err(err, -EBADMSG, "person: prison_number is not like A1234BC");
	if (!charset_ok(f->course_id, sizeof(f->course_id) - 1, ".-"))
		return coursecert__err(err, -EBADMSG,
		                       "course: id must be 1-64 of a-z, 0-9, '.' and '-'");
	if (!text_line_valid(f->course_title, sizeof(f->course_title) - 1))
		return coursecert__err(err, -EBADMSG, "course: title must be 1-120 bytes of text");
	if (!version_ok(f->course_version))
		return coursecert__err(err, -EBADMSG, "course: version must be MAJOR.MINOR.PATCH");
	if (!level_ok(f->course_level))
		return coursecert__err(err, -EBADMSG, "course: level must be entry1-3 or level1-3");
	if (!text_line_valid(f->provider_name, sizeof(f->provider_name) - 1))
		return coursecert__err(err, -EBADMSG,
		                       "course: provider must be 1-100 bytes of text");
	if (f->score < -1 || f->score > 100)
		return coursecert__err(err, -EBADMSG,
		                       "score must be a whole number 0-100, or null");
	if (!code_ok(f->establishment_code))
		return coursecert__err(err, -EBADMSG,
		                       "establishment: code must be three capital letters");
	if (!text_line_valid(f->establishment_name, sizeof(f->establishment_name) - 1))
		return coursecert__err(err, -EBADMSG,
		                       "establishment: name must be 1-100 bytes of text");
	return 0;
}

/* The bytes the signature covers. */
static int
signed_text(const struct coursecert_fields *f, const char *key_id, const char *key_b64, char *buf,
            size_t size, size_t *ret_len)
{
	char issued[COURSECERT_TIME_MAX], score[16];
	int n;

	if (coursecert_time_format(f->issued_at, issued) < 0)
		return -EINVAL;
	if (f->score < 0)
		strcpy(score, "none");
	else
		snprintf(score, sizeof(score), "%d", f->score);
	n = snprintf(buf, size,
	             SIGNED_HEADER "id=%s\nperson.given_name=%s\nperson.family_name=%s\n"
	                           "person.prison_number=%s\ncourse.id=%s\ncourse.title=%s\n"
	                           "course.version=%s\ncourse.level=%s\ncourse.provider=%s\n"
	                           "issued=%s\nscore=%s\nestablishment.code=%s\n"
	                           "establishment.name=%s\nkey.id=%s\nkey.public=%s\n",
	             f->id, f->given_name, f->family_name, f->prison_number, f->course_id,
	             f->course_title, f->course_version, f->course_level, f->provider_name, issued,
	             score, f->establishment_code, f->establishment_name, key_id, key_b64);
	if (n < 0 || (size_t)n >= size)
		return -EFBIG;
	*ret_len = (size_t)n;
	return 0;
}

int
coursecert_issue(const struct coursecert_fields *fields, const struct coursecert_key *key,
                 char **ret_json, size_t *ret_len, struct coursecert_error *err)
{
	char text[SIGNED_MAX], key_id[COURSECERT_KEY_ID_MAX], key_b64[B64_KEY_LEN + 1];
	char sig_b64[B64_SIG_LEN + 1], issued[COURSECERT_TIME_MAX];
	uint8_t raw[COURSECERT_RAW_KEY_LEN], sig[COURSECERT_SIG_LEN];
	size_t len;
	json_t *doc;
	char *json;
	struct coursecert_error why = {0};
	int r;

	if (fields_check(fields, &why) < 0)
		return coursecert__err(err, -EINVAL, "%s", why.message);
	if (coursecert_time_format(fields->issued_at, issued) < 0)
		return coursecert__err(err, -EINVAL, "the issue time is out of range");
	coursecert_key_raw_public(key, raw);
	coursecert_key_id(key, key_id);
	crypto_base64_encode(raw, sizeof(raw), key_b64);
	r = signed_text(fields, key_id, key_b64, text, sizeof(text), &len);
	if (r < 0)
		return coursecert__err(err, r, "the certificate's fields are too long");
	r = coursecert__key_sign(key, text, len, sig, err);
	if (r < 0)
		return r;
	crypto_base64_encode(sig, sizeof(sig), sig_b64);
	doc = json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s, s:s}, s:s, s:o,"
	                " s:{s:s, s:s}, s:{s:s, s:s}, s:s}",
	                "format", FORMAT, "id", fields->id, "person", "given_name",
	                fields->given_name, "family_name", fields->family_name, "prison_number",
	                fields->prison_number, "course", "id", fields->course_id, "title",
	                fields->course_title, "version", fields->course_version, "level",
	                fields->course_level, "provider", fields->provider_name, "issued", issued,
	                "score", fields->score < 0 ? json_null() : json_integer(fields->score),
	                "establishment", "code", fields->establishment_code, "name",
	                fields->establishment_name, "key", "id", key_id, "public", key_b64,
	                "signature", sig_b64);
	json = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(doc);
	if (!json)
		return coursecert__err(err, -ENOMEM, "out of memory");
	len = strlen(json);
	if (len >= COURSECERT_DOCUMENT_MAX) {
		free(json);
		return coursecert__err(err, -EFBIG, "the certificate is too large");
	}
	*ret_json = json;
	*ret_len = len;
	return 0;
}

/* Checks that obj is an object with exactly these keys. */
static int
exact_keys(json_t *obj, const char *what, const char *const *keys, size_t n,
           struct coursecert_error *err)
{
	const char *k;
	json_t *v;

	if (!json_is_object(obj))
		return coursecert__err(err, -EBADMSG, "%s must be an object", what);
	json_object_foreach(obj, k, v)
	{
		bool known = false;

		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(k, keys[i]) == 0;
		if (!known)
			return coursecert__err(err, -EBADMSG, "%s has an unknown field \"%.40s\"",
			                       what, k);
	}
	for (size_t i = 0; i < n; i++)
		if (!json_object_get(obj, keys[i]))
			return coursecert__err(err, -EBADMSG, "%s has no \"%s\"", what, keys[i]);
	return 0;
}

/* Copies the string obj[key] into buf; -EBADMSG when absent, not a string or too long. */
static int
get_string(json_t *obj, const char *what, const char *key, char *buf, size_t size,
           struct coursecert_error *err)
{
	json_t *v = json_object_get(obj, key);
	size_t n;

	if (!json_is_string(v))
		return coursecert__err(err, -EBADMSG, "%s%s%s must be a string", what,
		                       what[0] ? "." : "", key);
	n = json_string_length(v);
	if (n >= size || strlen(json_string_value(v)) != n)
		return coursecert__err(err, -EBADMSG, "%s%s%s is too long", what,
		                       what[0] ? "." : "", key);
	memcpy(buf, json_string_value(v), n + 1);
	return 0;
}

static int
parse(json_t *root, struct coursecert_fields *f, char *key_b64, char *sig_b64,
      struct coursecert_error *err)
{
	static const char *const top_all[] = {"format",        "id",     "person",
	                                      "course",        "issued", "score",
	                                      "establishment", "key",    "signature"};
	static const char *const person[] = {"given_name", "family_name", "prison_number"};
	static const char *const course[] = {"id", "title", "version", "level", "provider"};
	static const char *const est[] = {"code", "name"};
	static const char *const key[] = {"id", "public"};
	json_t *p, *c, *e, *k, *score;
	char format[32], issued[32];
	int r;

	r = exact_keys(root, "the certificate", top_all, 9, err);
	r = r ?: get_string(root, "", "format", format, sizeof(format), err);
	if (r == 0 && strcmp(format, FORMAT) != 0)
		r = coursecert__err(err, -EBADMSG, "not an Onward certificate (format \"%s\")",
		                    format);
	p = json_object_get(root, "person");
	c = json_object_get(root, "course");
	e = json_object_get(root, "establishment");
	k = json_object_get(root, "key");
	r = r ?: exact_keys(p, "person", person, 3, err);
	r = r ?: exact_keys(c, "course", course, 5, err);
	r = r ?: exact_keys(e, "establishment", est, 2, err);
	r = r ?: exact_keys(k, "key", key, 2, err);
	r = r ?: get_string(root, "", "id", f->id, sizeof(f->id), err);
	r = r ?: get_string(p, "person", "given_name", f->given_name, sizeof(f->given_name), err);
	r = r
	            ?: get_string(p, "person", "family_name", f->family_name,
	                          sizeof(f->family_name), err);
	r = r
	            ?: get_string(p, "person", "prison_number", f->prison_number,
	                          sizeof(f->prison_number), err);
	r = r ?: get_string(c, "course", "id", f->course_id, sizeof(f->course_id), err);
	r = r ?: get_string(c, "course", "title", f->course_title, sizeof(f->course_title), err);
	r = r
	            ?: get_string(c, "course", "version", f->course_version,
	                          sizeof(f->course_version), err);
	r = r ?: get_string(c, "course", "level", f->course_level, sizeof(f->course_level), err);
	r = r
	            ?: get_string(c, "course", "provider", f->provider_name,
	                          sizeof(f->provider_name), err);
	r = r ?: get_string(root, "", "issued", issued, sizeof(issued), err);
	r = r
	            ?: get_string(e, "establishment", "code", f->establishment_code,
	                          sizeof(f->establishment_code), err);
	r = r
	            ?: get_string(e, "establishment", "name", f->establishment_name,
	                          sizeof(f->establishment_name), err);
	r = r ?: get_string(k, "key", "id", f->key_id, sizeof(f->key_id), err);
	r = r ?: get_string(k, "key", "public", key_b64, B64_KEY_LEN + 1, err);
	r = r ?: get_string(root, "", "signature", sig_b64, B64_SIG_LEN + 1, err);
	if (r < 0)
		return r;
	if (coursecert_time_parse(issued, &f->issued_at) < 0)
		return coursecert__err(err, -EBADMSG,
		                       "issued must be a time like 2026-01-31T12:00:00Z");
	score = json_object_get(root, "score");
	if (json_is_null(score))
		f->score = -1;
	else if (json_is_integer(score) && json_integer_value(score) >= 0 &&
	         json_integer_value(score) <= 100)
		f->score = (int)json_integer_value(score);
	else
		return coursecert__err(err, -EBADMSG,
		                       "score must be a whole number 0-100, or null");
	return fields_check(f, err);
}

int
coursecert_verify(const void *json, size_t len, const struct coursecert_key *trusted,
                  struct coursecert_fields *ret_fields, struct coursecert_error *err)
{
	struct coursecert_fields f;
	char key_b64[B64_KEY_LEN + 1], sig_b64[B64_SIG_LEN + 1], text[SIGNED_MAX];
	char id[COURSECERT_KEY_ID_MAX], trusted_id[COURSECERT_KEY_ID_MAX];
	uint8_t raw[COURSECERT_RAW_KEY_LEN], trusted_raw[COURSECERT_RAW_KEY_LEN];
	uint8_t sig[COURSECERT_SIG_LEN];
	struct coursecert_key *key = NULL;
	json_error_t jerr;
	json_t *root;
	size_t text_len;
	int r;

	if (len > COURSECERT_DOCUMENT_MAX)
		return coursecert__err(err, -EFBIG,
		                       "the certificate is %zu bytes, over the %d-byte limit", len,
		                       COURSECERT_DOCUMENT_MAX);
	memset(&f, 0, sizeof(f));
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return coursecert__err(err, -EBADMSG, "not valid JSON (line %d: %s)", jerr.line,
		                       jerr.text);
	r = parse(root, &f, key_b64, sig_b64, err);
	json_decref(root);
	if (r < 0)
		return r;
	if (crypto_base64_decode(key_b64, raw, sizeof(raw)) < 0)
		return coursecert__err(err, -EBADMSG,
		                       "key.public is not a base64 Ed25519 public key");
	if (crypto_base64_decode(sig_b64, sig, sizeof(sig)) < 0)
		return coursecert__err(err, -EBADMSG,
		                       "signature is not a base64 Ed25519 signature");
	r = coursecert_key_from_raw_public(raw, &key, err);
	if (r < 0)
		return r;
	coursecert_key_id(key, id);
	if (strcmp(id, f.key_id) != 0) {
		coursecert_key_free(key);
		return coursecert__err(err, -EBADMSG,
		                       "key.id %s does not name the key it holds (%s)", f.key_id,
		                       id);
	}
	if (trusted) {
		coursecert_key_raw_public(trusted, trusted_raw);
		coursecert_key_id(trusted, trusted_id);
		if (memcmp(raw, trusted_raw, sizeof(raw)) != 0) {
			coursecert_key_free(key);
			return coursecert__err(
			        err, -EKEYREJECTED,
			        "signed by key %s, not by the establishment key %s given", id,
			        trusted_id);
		}
	}
	r = signed_text(&f, f.key_id, key_b64, text, sizeof(text), &text_len);
	if (r == 0)
		r = coursecert__key_verify(key, text, text_len, sig);
	coursecert_key_free(key);
	if (r < 0)
		return coursecert__err(
		        err, -EKEYREJECTED,
		        "the signature does not verify: the certificate was changed after it "
		        "was issued");
	if (ret_fields)
		*ret_fields = f;
	return 0;
}

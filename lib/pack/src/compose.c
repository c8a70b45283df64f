/*
 * compose.c: turning a provider's course.json and the list of files found beside it into
 * manifest.json. course.json says what the course is (id, version, title, level, language,
 * modules); the builder adds what it measured (each file's size and SHA-256), who provides
 * it (from the certificate, so a provider cannot claim another's name) and the total
 * minutes. The result is checked by the same parser the verifier uses.
 */
#include <errno.h>
#include <string.h>

#include <jansson.h>

#include "pack_int.h"

static int
copy_field(json_t *out, json_t *course, const char *key, struct pack_error *err)
{
	json_t *v = json_object_get(course, key);

	if (!v)
		return pack__err(err, -EBADMSG, "course.json: \"%s\" is missing", key);
	return json_object_set(out, key, v) == 0 ? 0 : pack__err(err, -ENOMEM, "out of memory");
}

static int
add_files(json_t *out, const struct pack_source_file *files, size_t count, struct pack_error *err)
{
	json_t *list = json_array();

	if (!list || json_object_set_new(out, "files", list) < 0)
		return pack__err(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		char hex[2 * PACK_SHA256_LEN + 1];
		json_t *f;

		crypto_hex_encode(files[i].sha256, PACK_SHA256_LEN, hex);
		f = json_pack("{s:s, s:I, s:s}", "name", files[i].name, "size",
		              (json_int_t)files[i].size, "sha256", hex);
		if (!f || json_array_append_new(list, f) < 0)
			return pack__err(err, -ENOMEM, "out of memory");
	}
	return 0;
}

int
pack__manifest_compose(const void *course_json, size_t course_len, const struct pack_cert *cert,
                       const struct pack_source_file *files, size_t count, char **ret_json,
                       size_t *ret_len, struct pack_error *err)
{
	static const char *const fields[] = {"id",    "version",  "title",
	                                     "level", "language", "modules"};
	const size_t nfields = sizeof(fields) / sizeof(fields[0]);
	json_t *course, *out = NULL, *modules, *m;
	json_int_t minutes = 0;
	json_error_t jerr;
	const char *key;
	json_t *value;
	size_t i;
	char *text;
	int r = 0;

	course = json_loadb(course_json, course_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!course)
		return pack__err(err, -EBADMSG, "course.json: not valid JSON (line %d: %s)",
		                 jerr.line, jerr.text);
	if (!json_is_object(course)) {
		r = pack__err(err, -EBADMSG, "course.json: must be a JSON object");
		goto out;
	}
	json_object_foreach(course, key, value)
	{
		bool known = false;

		for (i = 0; i < nfields && !known; i++)
			known = strcmp(key, fields[i]) == 0;
		if (!known) {
			r = pack__err(err, -EBADMSG, "course.json: unknown field \"%.40s\"", key);
			goto out;
		}
	}
	out = json_pack("{s:i}", "format", 1);
	if (!out) {
		r = pack__err(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < 4 && r == 0; i++)
		r = copy_field(out, course, fields[i], err);
	if (r == 0 && json_object_set_new(out, "provider",
	                                  json_pack("{s:s, s:s}", "id", pack_cert_provider_id(cert),
	                                            "name", pack_cert_provider_name(cert))) < 0)
		r = pack__err(err, -ENOMEM, "out of memory");
	for (; i < nfields && r == 0; i++)
		r = copy_field(out, course, fields[i], err);
	if (r < 0)
		goto out;
	modules = json_object_get(course, "modules");
	json_array_foreach(modules, i, m)
	{
		json_t *v = json_object_get(m, "minutes");

		if (json_is_integer(v) && json_integer_value(v) > 0 &&
		    json_integer_value(v) < 100000)
			minutes += json_integer_value(v);
	}
	/* Keep the manifest's key order readable: minutes before modules. */
	json_object_del(out, "modules");
	if (json_object_set_new(out, "minutes", json_integer(minutes)) < 0 ||
	    json_object_set(out, "modules", modules) < 0) {
		r = pack__err(err, -ENOMEM, "out of memory");
		goto out;
	}
	r = add_files(out, files, count, err);
	if (r < 0)
		goto out;
	text = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text) {
		r = pack__err(err, -ENOMEM, "out of memory");
		goto out;
	}
	*ret_len = strlen(text);
	*ret_json = text;
out:
	json_decref(out);
	json_decref(course);
	return r;
}

/*
 * manifest.c: parsing and checking manifest.json, and the accessors the daemon and the
 * learning app read a course through. The schema is strict: exactly the known fields, each
 * with its type and range, every module's pages and quiz listed among the files with the
 * right type, file names valid and unique, and the course's minutes the sum of its modules'.
 * Strings are borrowed from the parsed JSON, which the manifest keeps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pack_int.h"

#define MANIFEST_FORMAT 1
#define TITLE_MAX 120
#define ID_MAX 64
#define MODULES_MAX 64
#define PAGES_MAX 200
#define MODULE_MINUTES_MAX 600

struct manifest_file {
	const char *name; /* borrowed from root */
	uint64_t size;
	uint8_t sha256[PACK_SHA256_LEN];
	enum pack_file_type type;
};

struct pack_module {
	const char *id; /* borrowed from the manifest's root */
	const char *title; /* borrowed */
	unsigned minutes;
	const char **pages; /* owned array of borrowed strings */
	size_t page_count;
	const char *quiz; /* borrowed; NULL if the module has none */
};

struct pack_manifest {
	json_t *root; /* owned; every string below points into it */
	const char *id, *version, *title, *provider_id, *provider_name, *language;
	enum pack_level level;
	unsigned minutes;
	struct pack_module *modules; /* owned */
	size_t module_count;
	struct manifest_file *files; /* owned, in manifest order */
	size_t file_count;
	size_t *by_name; /* owned; indexes into files, sorted by name */
};

static const char *const level_names[] = {NULL,     "entry1", "entry2", "entry3",
                                          "level1", "level2", "level3"};

const char *
pack_level_name(enum pack_level level)
{
	if ((int)level < PACK_LEVEL_ENTRY1 || level > PACK_LEVEL_LEVEL3)
		return NULL;
	return level_names[level];
}

void
pack_manifest_free(struct pack_manifest *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->module_count; i++)
		free(m->modules[i].pages);
	free(m->modules);
	free(m->files);
	free(m->by_name);
	json_decref(m->root);
	free(m);
}

int
pack_version_parse(const char *text, uint32_t ret_parts[3])
{
	uint32_t parts[3] = {0, 0, 0};
	const char *p = text;

	for (int i = 0; i < 3; i++) {
		size_t n = 0;

		while (p[n] >= '0' && p[n] <= '9')
			n++;
		if (n == 0 || n > 6 || (n > 1 && p[0] == '0'))
			return -EINVAL;
		for (size_t k = 0; k < n; k++)
			parts[i] = parts[i] * 10 + (uint32_t)(p[k] - '0');
		p += n;
		if (i < 2 && *p++ != '.')
			return -EINVAL;
	}
	if (*p != '\0')
		return -EINVAL;
	memcpy(ret_parts, parts, sizeof(parts));
	return 0;
}

int
pack_version_compare(const char *a, const char *b)
{
	uint32_t x[3] = {0, 0, 0}, y[3] = {0, 0, 0};

	pack_version_parse(a, x);
	pack_version_parse(b, y);
	for (int i = 0; i < 3; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

/* A BCP 47 tag in its simple form: "en", "en-GB", "cy-GB", "pa-Guru-IN". */
static bool
language_ok(const char *s)
{
	size_t i = 0;

	if (strlen(s) > 35)
		return false;
	while (s[i] >= 'a' && s[i] <= 'z')
		i++;
	if (i < 2 || i > 3)
		return false;
	while (s[i] == '-') {
		size_t n = 0;

		for (i++; (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		          (s[i] >= '0' && s[i] <= '9');
		     i++)
			n++;
		if (n < 1 || n > 8)
			return false;
	}
	return s[i] == '\0';
}

/* Checks obj has exactly the fields in `required` plus any in `optional`. */
static int
check_fields(json_t *obj, const char *what, const char *const *required, size_t nreq,
             const char *const *optional, size_t nopt, struct pack_error *err)
{
	const char *key;
	json_t *value;

	if (!json_is_object(obj))
		return pack__err(err, -EBADMSG, "manifest: %s is not an object", what);
	for (size_t i = 0; i < nreq; i++) {
		if (!json_object_get(obj, required[i]))
			return pack__err(err, -EBADMSG, "manifest: %s has no \"%s\"", what,
			                 required[i]);
	}
	json_object_foreach(obj, key, value)
	{
		bool known = false;

		for (size_t i = 0; i < nreq && !known; i++)
			known = strcmp(key, required[i]) == 0;
		for (size_t i = 0; i < nopt && !known; i++)
			known = strcmp(key, optional[i]) == 0;
		if (!known)
			return pack__err(err, -EBADMSG,
			                 "manifest: %s has an unknown field \"%.40s\"", what, key);
	}
	return 0;
}

static int
get_uint(json_t *obj, const char *key, uint64_t max, const char *what, uint64_t *ret,
         struct pack_error *err)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return pack__err(err, -EBADMSG, "manifest: %s \"%s\" must be a whole number 0-%ju",
		                 what, key, (uintmax_t)max);
	*ret = (uint64_t)json_integer_value(v);
	return 0;
}

static int
cmp_file_index(const void *a, const void *b, void *files)
{
	const struct manifest_file *f = files;

	return strcmp(f[*(const size_t *)a].name, f[*(const size_t *)b].name);
}

static int
parse_files(struct pack_manifest *m, json_t *files, const struct pack_limits *limits,
            struct pack_error *err)
{
	static const char *const fields[] = {"name", "size", "sha256"};
	size_t n = json_array_size(files);
	int r;

	if (!json_is_array(files))
		return pack__err(err, -EBADMSG, "manifest: \"files\" is not an array");
	if (n > limits->max_files)
		return pack__err(err, -EFBIG, "manifest: lists %zu files, over the %u-file limit",
		                 n, limits->max_files);
	m->files = calloc(n ? n : 1, sizeof(*m->files));
	m->by_name = calloc(n ? n : 1, sizeof(*m->by_name));
	if (!m->files || !m->by_name)
		return pack__err(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		json_t *f = json_array_get(files, i);
		struct manifest_file *mf = &m->files[i];
		const char *hex;
		uint64_t max;

		r = check_fields(f, "a file entry", fields, 3, NULL, 0, err);
		if (r < 0)
			return r;
		mf->name = json_string_value(json_object_get(f, "name"));
		if (!mf->name)
			return pack__err(err, -EBADMSG, "manifest: a file name is not a string");
		if (pack__name_reserved(mf->name))
			return pack__err(err, -EBADMSG,
			                 "manifest: %s is reserved and cannot be listed", mf->name);
		r = pack__name_check(mf->name, strlen(mf->name), limits, &mf->type, err);
		if (r < 0)
			return pack__err_prefix(err, r, "manifest");
		max = mf->type == PACK_FILE_PNG || limits->max_text_bytes > limits->max_file_bytes
		              ? limits->max_file_bytes
		              : limits->max_text_bytes;
		r = get_uint(f, "size", max, mf->name, &mf->size, err);
		if (r < 0)
			return pack__err(err, -EFBIG,
			                 "manifest: %s: size must be at most %ju bytes", mf->name,
			                 (uintmax_t)max);
		hex = json_string_value(json_object_get(f, "sha256"));
		if (!hex || crypto_hex_decode(hex, mf->sha256, PACK_SHA256_LEN) < 0)
			return pack__err(err, -EBADMSG,
			                 "manifest: %s: sha256 is not 64 lower-case hex digits",
			                 mf->name);
		m->by_name[i] = i;
	}
	m->file_count = n;
	qsort_r(m->by_name, n, sizeof(*m->by_name), cmp_file_index, m->files);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(m->files[m->by_name[i - 1]].name, m->files[m->by_name[i]].name) == 0)
			return pack__err(err, -EBADMSG, "manifest: %s is listed twice",
			                 m->files[m->by_name[i]].name);
	}
	return 0;
}

int
pack__manifest_find_file(const struct pack_manifest *m, const char *name)
{
	size_t lo = 0, hi = m->file_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, m->files[m->by_name[mid]].name);

		if (c == 0)
			return (int)m->by_name[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -ENOENT;
}

/* A module's page or quiz must be a listed file of the right type. */
static int
check_ref(const struct pack_manifest *m, const char *module, const char *name,
          enum pack_file_type type, struct pack_error *err)
{
	int i = pack__manifest_find_file(m, name);

	if (i < 0)
		return pack__err(err, -EBADMSG,
		                 "manifest: module %s names %.*s, which is not listed", module, 160,
		                 name);
	if (m->files[i].type != type)
		return pack__err(err, -EBADMSG, "manifest: module %s: %s must be a %s file", module,
		                 name, type == PACK_FILE_MD ? ".md" : ".json");
	return 0;
}

static int
parse_module(struct pack_manifest *m, json_t *obj, struct pack_module *mod, struct pack_error *err)
{
	static const char *const required[] = {"id", "title", "minutes", "pages"};
	static const char *const optional[] = {"quiz"};
	char buf[PACK_TEXT_PROBLEM_MAX];
	const char *problem;
	json_t *pages, *quiz;
	uint64_t minutes;
	int r;

	r = check_fields(obj, "a module", required, 4, optional, 1, err);
	if (r < 0)
		return r;
	mod->id = json_string_value(json_object_get(obj, "id"));
	if (!mod->id || !pack__id_ok(mod->id, ID_MAX))
		return pack__err(err, -EBADMSG,
		                 "manifest: a module id must be 1-64 of a-z, 0-9, '.' and '-'");
	mod->title = json_string_value(json_object_get(obj, "title"));
	if (!mod->title)
		return pack__err(err, -EBADMSG, "manifest: module %s: the title is not text",
		                 mod->id);
	if ((problem = pack__text_problem(mod->title, TITLE_MAX, buf)))
		return pack__err(err, -EBADMSG, "manifest: module %s: the title %s", mod->id,
		                 problem);
	r = get_uint(obj, "minutes", MODULE_MINUTES_MAX, mod->id, &minutes, err);
	if (r < 0 || minutes == 0)
		return pack__err(err, -EBADMSG, "manifest: module %s: minutes must be 1-%d",
		                 mod->id, MODULE_MINUTES_MAX);
	mod->minutes = (unsigned)minutes;
	pages = json_object_get(obj, "pages");
	if (!json_is_array(pages) || json_array_size(pages) == 0 ||
	    json_array_size(pages) > PAGES_MAX)
		return pack__err(err, -EBADMSG, "manifest: module %s: pages must list 1-%d pages",
		                 mod->id, PAGES_MAX);
	mod->pages = calloc(json_array_size(pages), sizeof(*mod->pages));
	if (!mod->pages)
		return pack__err(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < json_array_size(pages); i++) {
		const char *page = json_string_value(json_array_get(pages, i));

		if (!page)
			return pack__err(err, -EBADMSG,
			                 "manifest: module %s: a page is not a string", mod->id);
		r = check_ref(m, mod->id, page, PACK_FILE_MD, err);
		if (r < 0)
			return r;
		mod->pages[mod->page_count++] = page;
	}
	quiz = json_object_get(obj, "quiz");
	if (quiz) {
		mod->quiz = json_string_value(quiz);
		if (!mod->quiz)
			return pack__err(err, -EBADMSG, "manifest: module %s: quiz is not a string",
			                 mod->id);
		r = check_ref(m, mod->id, mod->quiz, PACK_FILE_JSON, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int
parse_modules(struct pack_manifest *m, json_t *modules, struct pack_error *err)
{
	size_t n = json_array_size(modules);
	unsigned total = 0;
	int r;

	if (!json_is_array(modules) || n == 0 || n > MODULES_MAX)
		return pack__err(err, -EBADMSG, "manifest: modules must list 1-%d modules",
		                 MODULES_MAX);
	m->modules = calloc(n, sizeof(*m->modules));
	if (!m->modules)
		return pack__err(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		m->module_count = i + 1; /* so pack_manifest_free() frees a half-built module */
		r = parse_module(m, json_array_get(modules, i), &m->modules[i], err);
		if (r < 0)
			return r;
		for (size_t k = 0; k < i; k++) {
			if (strcmp(m->modules[k].id, m->modules[i].id) == 0)
				return pack__err(err, -EBADMSG,
				                 "manifest: module id %s appears twice",
				                 m->modules[i].id);
		}
		total += m->modules[i].minutes;
	}
	if (total != m->minutes)
		return pack__err(err, -EBADMSG,
		                 "manifest: minutes is %u but the modules' minutes add up to %u",
		                 m->minutes, total);
	return 0;
}

static int
parse_top(struct pack_manifest *m, json_t *root, struct pack_error *err)
{
	static const char *const pfields[] = {"id", "name"};
	json_t *provider = json_object_get(root, "provider");
	char buf[PACK_TEXT_PROBLEM_MAX];
	const char *level, *problem;
	uint64_t v;
	int r;

	r = get_uint(root, "format", 1000, "the pack", &v, err);
	if (r < 0 || v != MANIFEST_FORMAT)
		return pack__err(err, -EBADMSG, "manifest: format must be %d", MANIFEST_FORMAT);
	m->id = json_string_value(json_object_get(root, "id"));
	if (!m->id || !pack__id_ok(m->id, ID_MAX))
		return pack__err(err, -EBADMSG,
		                 "manifest: id must be 1-64 of a-z, 0-9, '.' and '-'");
	m->version = json_string_value(json_object_get(root, "version"));
	if (!m->version || pack_version_parse(m->version, (uint32_t[3]){0}) < 0)
		return pack__err(err, -EBADMSG, "manifest: version must be MAJOR.MINOR.PATCH");
	m->title = json_string_value(json_object_get(root, "title"));
	if (!m->title)
		return pack__err(err, -EBADMSG, "manifest: the title is not text");
	if ((problem = pack__text_problem(m->title, TITLE_MAX, buf)))
		return pack__err(err, -EBADMSG, "manifest: the title %s", problem);
	r = check_fields(provider, "provider", pfields, 2, NULL, 0, err);
	if (r < 0)
		return r;
	m->provider_id = json_string_value(json_object_get(provider, "id"));
	m->provider_name = json_string_value(json_object_get(provider, "name"));
	if (!m->provider_id || !pack__id_ok(m->provider_id, ID_MAX))
		return pack__err(err, -EBADMSG,
		                 "manifest: the provider id must be 1-64 of a-z, 0-9, '.' and '-'");
	if (!m->provider_name)
		return pack__err(err, -EBADMSG, "manifest: the provider's name is not text");
	if ((problem = pack__text_problem(m->provider_name, 100, buf)))
		return pack__err(err, -EBADMSG, "manifest: the provider's name %s", problem);
	level = json_string_value(json_object_get(root, "level"));
	for (int i = PACK_LEVEL_ENTRY1; level && i <= PACK_LEVEL_LEVEL3; i++) {
		if (strcmp(level, level_names[i]) == 0)
			m->level = (enum pack_level)i;
	}
	if (!m->level)
		return pack__err(
		        err, -EBADMSG,
		        "manifest: level must be entry1, entry2, entry3, level1, level2 or level3");
	m->language = json_string_value(json_object_get(root, "language"));
	if (!m->language || !language_ok(m->language))
		return pack__err(err, -EBADMSG, "manifest: language must be a tag such as en-GB");
	r = get_uint(root, "minutes", 100000, "the pack", &v, err);
	if (r < 0)
		return r;
	m->minutes = (unsigned)v;
	return 0;
}

int
pack_manifest_parse(const void *json, size_t len, const struct pack_limits *limits,
                    struct pack_manifest **ret_manifest, struct pack_error *err)
{
	static const char *const fields[] = {"format", "id",       "version", "title",   "provider",
	                                     "level",  "language", "minutes", "modules", "files"};
	struct pack_limits storage;
	struct pack_manifest *m;
	json_error_t jerr;
	int r;

	limits = pack__limits_or_default(limits, &storage);
	if (len > limits->max_text_bytes)
		return pack__err(err, -EFBIG, "manifest: %zu bytes, over the %ju-byte limit", len,
		                 (uintmax_t)limits->max_text_bytes);
	m = calloc(1, sizeof(*m));
	if (!m)
		return pack__err(err, -ENOMEM, "out of memory");
	m->root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!m->root) {
		r = pack__err(err, -EBADMSG, "manifest: not valid JSON (line %d: %s)", jerr.line,
		              jerr.text);
		goto fail;
	}
	r = check_fields(m->root, "the top level", fields, 10, NULL, 0, err);
	if (r < 0)
		goto fail;
	r = parse_top(m, m->root, err);
	if (r < 0)
		goto fail;
	r = parse_files(m, json_object_get(m->root, "files"), limits, err);
	if (r < 0)
		goto fail;
	r = parse_modules(m, json_object_get(m->root, "modules"), err);
	if (r < 0)
		goto fail;
	*ret_manifest = m;
	return 0;
fail:
	pack_manifest_free(m);
	return r;
}

int
pack_manifest_to_json(const struct pack_manifest *m, char **ret_json, size_t *ret_len,
                      struct pack_error *err)
{
	json_t *modules = json_array(), *files = json_array(), *root = NULL;
	char *text = NULL;
	int r = modules && files ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < m->module_count; i++) {
		const struct pack_module *mod = &m->modules[i];
		json_t *pages = json_array(), *obj;

		for (size_t k = 0; pages && k < mod->page_count; k++)
			if (json_array_append_new(pages, json_string(mod->pages[k])) < 0)
				r = -ENOMEM;
		obj = pages ? json_pack("{s:s, s:s, s:I, s:o}", "id", mod->id, "title", mod->title,
		                        "minutes", (json_int_t)mod->minutes, "pages", pages)
		            : NULL;
		if (obj && mod->quiz &&
		    json_object_set_new(obj, "quiz", json_string(mod->quiz)) < 0)
			r = -ENOMEM;
		if (json_array_append_new(modules, obj) < 0)
			r = -ENOMEM;
	}
	for (size_t i = 0; r == 0 && i < m->file_count; i++) {
		char hex[2 * PACK_SHA256_LEN + 1];

		crypto_hex_encode(m->files[i].sha256, PACK_SHA256_LEN, hex);
		if (json_array_append_new(
		            files, json_pack("{s:s, s:I, s:s}", "name", m->files[i].name, "size",
		                             (json_int_t)m->files[i].size, "sha256", hex)) < 0)
			r = -ENOMEM;
	}
	if (r == 0)
		root = json_pack("{s:i, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:I, s:O, s:O}",
		                 "format", MANIFEST_FORMAT, "id", m->id, "version", m->version,
		                 "title", m->title, "provider", "id", m->provider_id, "name",
		                 m->provider_name, "level", pack_level_name(m->level), "language",
		                 m->language, "minutes", (json_int_t)m->minutes, "modules", modules,
		                 "files", files);
	text = root ? json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(root);
	json_decref(modules);
	json_decref(files);
	if (!text)
		return pack__err(err, -ENOMEM, "out of memory");
	*ret_json = text;
	*ret_len = strlen(text);
	return 0;
}

const char *
pack_manifest_id(const struct pack_manifest *m)
{
	return m->id;
}

const char *
pack_manifest_version(const struct pack_manifest *m)
{
	return m->version;
}

const char *
pack_manifest_title(const struct pack_manifest *m)
{
	return m->title;
}

const char *
pack_manifest_provider_id(const struct pack_manifest *m)
{
	return m->provider_id;
}

const char *
pack_manifest_provider_name(const struct pack_manifest *m)
{
	return m->provider_name;
}

enum pack_level
pack_manifest_level(const struct pack_manifest *m)
{
	return m->level;
}

const char *
pack_manifest_language(const struct pack_manifest *m)
{
	return m->language;
}

unsigned
pack_manifest_minutes(const struct pack_manifest *m)
{
	return m->minutes;
}

size_t
pack_manifest_module_count(const struct pack_manifest *m)
{
	return m->module_count;
}

const struct pack_module *
pack_manifest_module(const struct pack_manifest *m, size_t i)
{
	return i < m->module_count ? &m->modules[i] : NULL;
}

size_t
pack_manifest_file_count(const struct pack_manifest *m)
{
	return m->file_count;
}

const char *
pack_manifest_file_name(const struct pack_manifest *m, size_t i)
{
	return i < m->file_count ? m->files[i].name : NULL;
}

uint64_t
pack_manifest_file_size(const struct pack_manifest *m, size_t i)
{
	return i < m->file_count ? m->files[i].size : 0;
}

const uint8_t *
pack_manifest_file_sha256(const struct pack_manifest *m, size_t i)
{
	return i < m->file_count ? m->files[i].sha256 : NULL;
}

const char *
pack_module_id(const struct pack_module *mod)
{
	return mod->id;
}

const char *
pack_module_title(const struct pack_module *mod)
{
	return mod->title;
}

unsigned
pack_module_minutes(const struct pack_module *mod)
{
	return mod->minutes;
}

size_t
pack_module_page_count(const struct pack_module *mod)
{
	return mod->page_count;
}

const char *
pack_module_page(const struct pack_module *mod, size_t i)
{
	return i < mod->page_count ? mod->pages[i] : NULL;
}

const char *
pack_module_quiz(const struct pack_module *mod)
{
	return mod->quiz;
}

/*
 * Learning's part of a person bundle (see person_parts.h): when a person moves, their
 * progress, quiz attempts and certificates go with them, so nothing they earned is lost
 * at a transfer or at the gate. Certificates travel as the signed documents they are;
 * on import each is checked (its form and signature, and that it is this person's
 * certificate for the course it is filed under) before anything is stored.
 */
#include "learning_int.h"

#include "person_parts.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int
part_export(struct store *s, const struct store_person *p, json_t **ret)
{
	return store_course_person_export(s, p->id, ret);
}

static int
part_clear(struct store *s, int64_t person_id)
{
	return store_course_person_clear(s, person_id);
}

static int
part_import(struct store *s, int64_t person_id, json_t *part, const struct id_map *contacts,
            char *err, size_t size)
{
	struct store_person person;
	json_t *item;
	size_t i;
	int r;

	(void)contacts;
	/* Every list is bounded before the bundle is parsed (moves area); these are closer. */
	if (json_array_size(json_object_get(part, "progress")) > 2000 ||
	    json_array_size(json_object_get(part, "pages_read")) > 50000 ||
	    json_array_size(json_object_get(part, "attempts")) > 20000 ||
	    json_array_size(json_object_get(part, "certificates")) > 2000) {
		snprintf(err, size,
		         "The bundle holds more course records than any person's record has, so it "
		         "was refused and nothing was imported.");
		return -EMSGSIZE;
	}
	r = store_person_get(s, person_id, &person);
	if (r < 0) {
		snprintf(err, size, "learning: the person is not here");
		return r;
	}
	json_array_foreach(json_object_get(part, "certificates"), i, item)
	{
		const char *doc = json_string_value(json_object_get(item, "document"));
		const char *course = json_string_value(json_object_get(item, "course"));
		const char *id = json_string_value(json_object_get(item, "id"));
		struct coursecert_fields f;
		struct coursecert_error e = {0};

		if (!doc || !course || !id ||
		    coursecert_verify(doc, strlen(doc), NULL, &f, &e) < 0) {
			snprintf(err, size, "learning: certificate %zu does not verify: %s", i,
			         e.message[0] ? e.message : "it is missing");
			return -EBADMSG;
		}
		if (strcmp(f.prison_number, person.prison_number) != 0 ||
		    strcmp(f.course_id, course) != 0 || strcmp(f.id, id) != 0) {
			snprintf(err, size, "learning: certificate %s is not %s's for %s", f.id,
			         person.prison_number, course);
			return -EBADMSG;
		}
	}
	return store_course_person_import(s, person_id, part, err, size);
}

const struct person_part course_part = {
        .name = "learning",
        .export_part = part_export,
        .clear_part = part_clear,
        .import_part = part_import,
};

/*
 * The learning area: education providers' signed course packs, installed by staff once
 * all of a pack verifies; the learning app's pages, pictures and quizzes; progress saved
 * after every page; certificates issued when a course is complete. See learning_int.h.
 * Courses are a resource explain and grants name ("course:money-basics").
 */
#include "learning_int.h"

#include "person_parts.h"

int
course_add_fact(struct facts *f, const struct store_course *course)
{
	struct policy_uid provider = {"Provider", course->provider_id};
	struct policy_entity *e;
	int r = facts_add_entity(f, "Course", course->id, &provider, &e);

	r = r < 0 ? r : facts_set_string(f, e, "title", course->title);
	return r < 0 ? r : facts_set_long(f, e, "level", course_level_number(course->level));
}

static int
add_course(struct server *srv, struct facts *f, const struct store_person *p, const char *id)
{
	struct store_course course;
	int r = store_course_get(srv->store, id, &course);

	return r < 0 ? r : course_add_fact(f, &course);
}

static const char *const person_actions[] = {"course.open", NULL};

static const struct area_resource resources[] = {
        {"course", "Course", "No course with that id is installed.", course_id_valid, add_course,
         true},
        {NULL},
};

const struct area learning_area = {
        .name = "learning",
        .methods = (const struct method *const[]){course_methods, NULL},
        .person_actions = person_actions,
        .resources = resources,
        .start = learning_start,
        .drain = learning_drain,
        .stop = learning_stop,
        .bundle_part = &course_part,
};

/*
 * The list of areas whose parts travel in person bundles (see person_parts.h). An area
 * adds its row here when its tables hold something the person owns.
 */
#include "person_parts.h"

#include "m_message.h"

#include "m_course.h"

int64_t
id_map_get(const struct id_map *map, int64_t from)
{
	for (size_t i = 0; i < map->n; i++)
		if (map->from[i] == from)
			return map->to[i];
	return 0;
}

const struct person_part person_parts[] = {
        /* learning: progress, quiz attempts and signed certificates (m_course_bundle.c) */
        {"learning", course_part_export, course_part_clear, course_part_import},
        /* messages: every thread, refusals open to review, staff reads (m_message_bundle.c) */
        {"messages", message_part_export, message_part_clear, message_part_import},
        /* housing enquiries with their threads (m_area_bundles.c) */
        {"housing", housing_part_export, housing_part_clear, housing_part_import},
        /* appointments, requests to rearrange, reminders (m_area_bundles.c) */
        {"appointments", appointment_part_export, appointment_part_clear, appointment_part_import},
        {NULL},
};

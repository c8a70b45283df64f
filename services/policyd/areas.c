/*
 * The areas of the daemon, in the order they start (see core/area.h). Each is a folder
 * beside core/ that declares itself in one struct area; add a new one here.
 */
#include "area.h"

extern const struct area service_area, session_area, people_area, contacts_area, shell_area,
        policy_area, learning_area, messages_area, housing_area, appointments_area, moves_area,
        estate_area;

const struct area *const area_list[] = {
        &service_area, /* service information, the audit chain, test hooks */
        &session_area, /* logging in and out, lockout, a person's own settings */
        &people_area, /* establishments, staff, people */
        &contacts_area, /* a person's contacts and their approval */
        &policy_area, /* explain, reload, grants, regimes */
        &learning_area, /* course packs, the learning app, certificates */
        &messages_area, /* the messages app, moderation, the word list, retention */
        &housing_area, /* housing enquiries and the directory of local services */
        &appointments_area, /* appointments, requests to rearrange, reminders */
        &moves_area, /* receive, transfer, release, recall; identity, trust, bundles */
        &estate_area, /* the establishment CA, enrolling and revoking tablets */
        &shell_area, /* the home screen, the app whitelist, opening apps */
        NULL,
};

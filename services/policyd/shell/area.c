/*
 * The shell area: the home screen (each app a tile, allowed or locked with its reason, and
 * each area's part), opening an app through a channel, what an app is told about its
 * person (shell.c), and the whitelist of apps staff register (apps.c). Apps are a
 * resource explain and grants name ("app:games").
 */
#include "call.h"

#include "validate.h"

extern const struct method shell_methods[], app_methods[];

static int
add_app(struct server *srv, struct facts *f, const struct store_person *p, const char *id)
{
	struct store_app app;

	/* An app not registered (yet) can still be asked about and granted by name. */
	return facts_add_app(f, id, store_app_get(srv->store, id, &app) == 0 ? app.title : id);
}

static const char *const person_actions[] = {"app.open", NULL};

static const struct area_resource resources[] = {
        {"app", "App", "", validate_app_name, add_app, true},
        {NULL},
};

const struct area shell_area = {
        .name = "shell",
        .methods = (const struct method *const[]){shell_methods, app_methods, NULL},
        .person_actions = person_actions,
        .resources = resources,
};

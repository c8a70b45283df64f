/*
 * The service area: what this daemon is (onward.Service.GetInfo), the audit chain (show,
 * verify) and, in builds with test hooks only, onward.Test.*. It names the whole service
 * ("service") as a resource staff can ask about.
 */
#include "call.h"

extern const struct method service_methods[], audit_methods[];
#ifdef ONWARD_TEST_HOOKS
extern const struct method test_methods[];
#endif

static int
add_service(struct server *srv, struct facts *f, const struct store_person *p, const char *id)
{
	return facts_add_service(f);
}

static const struct area_resource resources[] = {
        {"service", "Service", "", NULL, add_service, false},
        {NULL},
};

const struct area service_area = {
        .name = "service",
        .methods =
                (const struct method *const[]){
                        service_methods,
                        audit_methods,
#ifdef ONWARD_TEST_HOOKS
                        test_methods,
#endif
                        NULL,
                },
        .resources = resources,
};

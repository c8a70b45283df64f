/*
 * The policy area: explain (why a person may or may not do something), reload, per-person
 * grants and revocations, and an establishment's regime (policy.c).
 */
#include "call.h"

extern const struct method policy_methods[];

const struct area policy_area = {
        .name = "policy",
        .methods = (const struct method *const[]){policy_methods, NULL},
};

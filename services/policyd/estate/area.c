/*
 * The estate area: the establishment's certificate authority and its tablets. Reading
 * order: ca.c (the CA, made or loaded at start), code.c (enrolment codes), guess.c (the guard on
 * guessing them), cert.c (building certificates from raw public keys), devices.c
 * (onward.Device.*: codes, enrolment, the list, revocation), tablet.c (proving a tablet by
 * its certificate, its hello), gateway.c
 * (onward.Gateway.Certify: the gateway's TLS certificate). The contract is
 * docs/estate.md.
 */
#include "estate_int.h"

#include "call.h"

extern const struct method device_methods[], tablet_methods[], gateway_methods[];

const struct area estate_area = {
        .name = "estate",
        .methods = (const struct method *const[]){device_methods, tablet_methods, gateway_methods,
                                                  NULL},
        .start = estate_start,
        .stop = estate_stop,
};

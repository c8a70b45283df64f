/*
 * The moves area: a person's status through the gate (receive, transfer, release on
 * licence, recall, end of licence), this establishment's identity and the establishments
 * it trusts, and the person bundle that carries the whole record between them, every
 * other area's part included. Reading order: moves.c (the moves, trust, export),
 * import.c (an import: its steps in the thread pool and in onward-parse), bundlefile.c
 * (opening and reading files without holding the loop), services/record (a record's text
 * bounded and parsed), person_bundle.c (the record: what is exported, what may replace
 * what), identity.c.
 */
#include "identity.h"

#include "call.h"

extern const struct method move_methods[];

const struct area moves_area = {
        .name = "moves",
        .methods = (const struct method *const[]){move_methods, NULL},
        .start = moves_start,
        .drain = moves_drain,
        .stop = moves_stop,
};

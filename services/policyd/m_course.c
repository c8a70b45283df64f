/*
 * onward.* methods for courses and certificates (issue: learning). Each method is a row in the
 * table at the end; the dispatcher finds it by name (dispatch.c). See docs/protocol.md for the
 * methods.
 */
#include "call.h"

const struct method course_methods[] = {
        {NULL},
};

/*
 * onward.* methods for appointments, changes and reminders. Each method is a row in the table at
 * the end; the dispatcher finds it by name (dispatch.c). See docs/protocol.md for the methods.
 */
#include "call.h"

const struct method appointment_methods[] = {
        {NULL},
};

/*
 * onwardctl commands for appointments: rows of the command table (see commands.h) and the
 * functions that print their replies.
 */
#include "commands.h"

const struct command appointment_commands[] = {
        {NULL},
};

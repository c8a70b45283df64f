/*
 * onwardctl commands for housing enquiries: rows of the command table (see commands.h) and the
 * functions that print their replies.
 */
#include "commands.h"

const struct command housing_commands[] = {
        {NULL},
};

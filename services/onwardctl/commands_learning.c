/*
 * onwardctl commands for courses and certificates: rows of the command table (see commands.h) and
 * the functions that print their replies.
 */
#include "commands.h"

const struct command learning_commands[] = {
        {NULL},
};

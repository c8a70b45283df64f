/*
 * onwardctl commands for receive, transfer, release, recall, export and import: rows of the command
 * table (see commands.h) and the functions that print their replies.
 */
#include "commands.h"

const struct command move_commands[] = {
        {NULL},
};

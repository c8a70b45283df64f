/*
 * onwardctl commands for messages and moderation: rows of the command table (see commands.h) and
 * the functions that print their replies.
 */
#include "commands.h"

const struct command message_commands[] = {
        {NULL},
};

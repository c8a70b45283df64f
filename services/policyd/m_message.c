/*
 * onward.* methods for messages, moderation and the outbox. Each method is a row in the table at
 * the end; the dispatcher finds it by name (dispatch.c). See docs/protocol.md for the methods.
 */
#include "call.h"
#include "home.h"

const struct method message_methods[] = {
        {NULL},
};

int
home_unread_messages(struct server *srv, const struct store_person *p)
{
	return 0;
}

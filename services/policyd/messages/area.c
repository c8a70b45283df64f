/*
 * The messages area: a person writes to their named worker and their approved contacts in
 * the Messages app; staff moderate (the held queue, the word list, reviews), reply as the
 * named worker and pass messages to and from the family service. See messages_int.h.
 */
#include "messages_int.h"

#include "person_parts.h"

static const char *const person_actions[] = {"message.send", "message.read", "message.send_later",
                                             NULL};

const struct area messages_area = {
        .name = "messages",
        .methods = (const struct method *const[]){message_methods, NULL},
        .person_actions = person_actions,
        .start = messages_start,
        .drain = messages_drain,
        .stop = messages_stop,
        .home = message_home,
        .context = message_context,
        .bundle_part = &message_part,
};

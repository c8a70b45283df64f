/*
 * NUL-delimited framing with a hard size limit. A frame reader owns one buffer of
 * max_message + 1 bytes; the caller reads from the socket straight into its free space,
 * then takes whole messages out. A message longer than max_message is a framing error:
 * the peer is to be disconnected.
 */
#ifndef ONWARD_FRAME_H
#define ONWARD_FRAME_H

#include <stddef.h>

struct frame_reader {
	char *buf; /* owned; max_message + 1 bytes */
	size_t max_message; /* longest message accepted, NUL excluded */
	size_t start; /* first byte not yet handed out */
	size_t end; /* one past the last byte read */
	size_t scan; /* bytes before this were already searched for a NUL */
};

int frame_reader_init(struct frame_reader *r, size_t max_message);
void frame_reader_release(struct frame_reader *r);

/* Free space to read into (may be 0 bytes only after a framing error). */
void frame_reader_space(struct frame_reader *r, char **ret_buf, size_t *ret_len);

/* Records that n bytes were read into the space. */
void frame_reader_commit(struct frame_reader *r, size_t n);

/*
 * Takes the next whole message: returns 1 and points *ret_msg at it (NUL-terminated,
 * valid until the next call on r), 0 when no whole message is held yet, or -EMSGSIZE
 * when more than max_message bytes arrived without a terminator.
 */
int frame_reader_next(struct frame_reader *r, const char **ret_msg, size_t *ret_len);

/* Bytes held that are not yet a whole message (a peer closing mid-frame leaves some). */
size_t frame_reader_pending(const struct frame_reader *r);

#endif

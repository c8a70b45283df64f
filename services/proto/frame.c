/*
 * NUL-delimited framing (see frame.h). Messages are handed out in place; the buffer is
 * compacted only when the caller asks for space, so a burst of small messages costs no
 * copies beyond the read itself.
 */
#include "frame.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int
frame_reader_init(struct frame_reader *r, size_t max_message)
{
	char *buf;

	if (max_message == 0 || max_message > (64u << 20))
		return -EINVAL;
	buf = malloc(max_message + 1);
	if (!buf)
		return -ENOMEM;
	*r = (struct frame_reader){.buf = buf, .max_message = max_message};
	return 0;
}

void
frame_reader_release(struct frame_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	r->buf = NULL;
}

void
frame_reader_space(struct frame_reader *r, char **ret_buf, size_t *ret_len)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->scan -= r->start;
		r->start = 0;
	}
	*ret_buf = r->buf + r->end;
	*ret_len = r->max_message + 1 - r->end;
}

void
frame_reader_commit(struct frame_reader *r, size_t n)
{
	r->end += n;
}

int
frame_reader_next(struct frame_reader *r, const char **ret_msg, size_t *ret_len)
{
	size_t from = r->scan > r->start ? r->scan : r->start;
	char *nul = memchr(r->buf + from, '\0', r->end - from);

	if (nul) {
		size_t len = (size_t)(nul - (r->buf + r->start));

		*ret_msg = r->buf + r->start;
		*ret_len = len;
		r->start += len + 1;
		r->scan = r->start;
		return 1;
	}
	r->scan = r->end;
	if (r->end - r->start > r->max_message)
		return -EMSGSIZE;
	return 0;
}

size_t
frame_reader_pending(const struct frame_reader *r)
{
	return r->end - r->start;
}

/*
 * source.c: reading a pack's bytes wherever they are. In memory (pack_open_mem, the tests,
 * the fuzz target) a read is a copy; behind a descriptor (onward-parse, handed the daemon's
 * private copy of a pack) it is pread(), so a 256 MiB pack is hashed and unzipped without
 * ever being held in memory whole. Reads are exact: a file shorter than it said it was is
 * an error, never a short read.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "pack_int.h"

int
pack__source_read(const struct pack_source *src, uint64_t offset, void *buf, size_t len,
                  struct pack_error *err)
{
	size_t got = 0;

	if (offset > src->size || len > src->size - offset)
		return pack__err(err, -EBADMSG, "pack ends before its %ju bytes",
		                 (uintmax_t)(offset + len));
	if (src->data) {
		memcpy(buf, src->data + offset, len);
		return 0;
	}
	while (got < len) {
		ssize_t n = pread(src->fd, (char *)buf + got, len - got, (off_t)(offset + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pack__err(err, -EIO, "the pack cannot be read (error %d)", errno);
		if (n == 0)
			return pack__err(err, -EIO, "the pack became shorter while it was read");
		got += (size_t)n;
	}
	return 0;
}

void
pack__progress_add(struct pack_progress *p, uint64_t bytes)
{
	if (!p)
		return;
	p->done += bytes;
	if (p->done > p->total)
		p->done = p->total;
	if (p->fn)
		p->fn(p->userdata, p->done, p->total);
}

/*
 * The frame reader at its boundaries: messages split at every byte, many in one read,
 * exactly the maximum size, one byte over, an empty message, and space accounting.
 */
#include "check.h"
#include "frame.h"

#include <errno.h>
#include <string.h>

static void
feed(struct frame_reader *r, const char *data, size_t n)
{
	char *space;
	size_t room;

	frame_reader_space(r, &space, &room);
	CHECK(room >= n);
	memcpy(space, data, n);
	frame_reader_commit(r, n);
}

int
main(void)
{
	struct frame_reader r;
	const char *msg;
	size_t len;
	const char stream[] = "{\"a\":1}\0{\"b\":2}\0\0{\"c\":3}";

	test_step("three messages and an empty one, split at every byte");
	for (size_t split = 0; split <= sizeof(stream) - 1; split++) {
		const char *want[] = {"{\"a\":1}", "{\"b\":2}", ""};
		int got = 0;

		CHECK_INT(frame_reader_init(&r, 64), 0);
		feed(&r, stream, split);
		while (frame_reader_next(&r, &msg, &len) == 1) {
			CHECK_STR(msg, want[got]);
			CHECK_INT(len, strlen(want[got]));
			got++;
		}
		feed(&r, stream + split, sizeof(stream) - 1 - split);
		while (frame_reader_next(&r, &msg, &len) == 1) {
			CHECK_STR(msg, want[got]);
			got++;
		}
		CHECK_INT(got, 3);
		CHECK_INT(frame_reader_pending(&r), 7); /* {"c":3} has no terminator yet */
		frame_reader_release(&r);
	}

	test_step("exactly the maximum is accepted; one byte more is a framing error");
	{
		char exact[17];

		memset(exact, 'x', 16);
		exact[16] = '\0';
		CHECK_INT(frame_reader_init(&r, 16), 0);
		feed(&r, exact, 17);
		CHECK_INT(frame_reader_next(&r, &msg, &len), 1);
		CHECK_INT(len, 16);
		feed(&r, exact, 16);
		CHECK_INT(frame_reader_next(&r, &msg, &len), 0);
		feed(&r, "y", 1);
		CHECK_INT(frame_reader_next(&r, &msg, &len), -EMSGSIZE);
		frame_reader_release(&r);
	}

	test_step("space is reclaimed after messages are taken");
	CHECK_INT(frame_reader_init(&r, 8), 0);
	for (int i = 0; i < 1000; i++) {
		feed(&r, "abc\0de", 6);
		CHECK_INT(frame_reader_next(&r, &msg, &len), 1);
		CHECK_STR(msg, "abc");
		feed(&r, "\0", 1);
		CHECK_INT(frame_reader_next(&r, &msg, &len), 1);
		CHECK_STR(msg, "de");
		CHECK_INT(frame_reader_pending(&r), 0);
	}
	frame_reader_release(&r);

	test_step("bad sizes are refused");
	CHECK_INT(frame_reader_init(&r, 0), -EINVAL);
	CHECK_INT(frame_reader_init(&r, (size_t)1 << 40), -EINVAL);
	frame_reader_release(NULL);
	printf("test-frame: OK\n");
	return 0;
}

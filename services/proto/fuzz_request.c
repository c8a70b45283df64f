/*
 * libFuzzer target for the request decoder: arbitrary bytes go through the frame reader
 * exactly as they would from a socket, and each whole message through proto_request_parse
 * and, when it parses, through a parameter check. Nothing may crash, leak or read out of
 * bounds.
 */
#include "frame.h"
#include "params.h"
#include "proto.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct param_spec fuzz_specs[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"pin", PARAM_STRING, true, 0, 16},
        {"limit", PARAM_INT, false, 1, 500},
        {"flags", PARAM_STRINGS, false, 0, 16},
        {"detail", PARAM_OBJECT, false, 0, 8},
        {"json", PARAM_BOOL, false, 0, 0},
        {NULL, 0, false, 0, 0},
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_reader reader;
	size_t offset = 0;

	if (frame_reader_init(&reader, 4096) < 0)
		return 0;
	while (offset < size) {
		char *space;
		size_t room, chunk;
		const char *msg;
		size_t len;
		int r;

		frame_reader_space(&reader, &space, &room);
		if (room == 0)
			break;
		/* Feed in uneven chunks so message boundaries fall everywhere. */
		chunk = size - offset < room ? size - offset : room;
		if (chunk > 1 + data[offset] % 97)
			chunk = 1 + data[offset] % 97;
		memcpy(space, data + offset, chunk);
		frame_reader_commit(&reader, chunk);
		offset += chunk;
		while ((r = frame_reader_next(&reader, &msg, &len)) == 1) {
			struct proto_request req;
			struct param_error perr;
			char reason[200];

			if (proto_request_parse(msg, len, &req, reason, sizeof(reason)) == 0) {
				(void)params_check(req.parameters, fuzz_specs, &perr);
				(void)params_string(req.parameters, "pin", NULL);
				proto_request_release(&req);
			}
		}
		if (r < 0)
			break;
	}
	frame_reader_release(&reader);
	return 0;
}

/*
 * directory.c: the services directory's kind.
 *
 *   directory.read  {"path": the file's path, for messages}; the directory file the
 *                   daemon opened (read-only, a regular file within its size). Read whole
 *                   (at most RECORD_DIRECTORY_BYTES_MAX), parsed (a member twice is
 *                   refused) and checked strictly (record_directory_check). The reply is
 *                   {"directory": the checked object}, which holds nothing the check did
 *                   not look at; a bad file is an ERROR, -EINVAL, with one line naming
 *                   the place and the problem ("services-directory.json: services[3]
 *                   (x): phone must be ..."), which the daemon logs and shows to staff.
 *
 * The fault hook's word (test builds) is the kind's name.
 */
#include "parse.h"

#include "record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void
handle_read(struct parse_call *call)
{
	const char *path = json_string_value(json_object_get(call->params, "path"));
	char problem[RECORD_DIRECTORY_PROBLEM_MAX], *text = NULL;
	json_error_t jerr;
	json_t *root;
	size_t len = 0;
	int r;

	if (!path) {
		parse_fail(call, -EINVAL, "no path in the request");
		return;
	}
	r = parse_read_fd(call, RECORD_DIRECTORY_BYTES_MAX, false, &text, &len);
	if (r == -EFBIG) {
		parse_fail(call, -EINVAL, "%s: too large (at most %u bytes)", RECORD_DIRECTORY_NAME,
		           RECORD_DIRECTORY_BYTES_MAX);
		return;
	}
	if (r < 0) {
		parse_fail(call, -EINVAL, "%s: cannot read: %s", path, strerror(-r));
		return;
	}
	parse_test_fault("directory.read");
	if (parse_test_lie(call, "directory.read")) {
		free(text);
		return;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!root)
		parse_fail(call, -EINVAL, "%s:%d:%d: %s", RECORD_DIRECTORY_NAME, jerr.line,
		           jerr.column, jerr.text);
	else if (record_directory_check(root, problem) < 0)
		parse_fail(call, -EINVAL, "%s", problem);
	else
		parse_reply(call, json_pack("{s:O}", "directory", root), NULL, 0);
	json_decref(root);
}

/* clang-format off */
const struct parse_kind directory_kinds[] = {
	{"directory.read", true, handle_read},
	{NULL, false, NULL},
};
/* clang-format on */

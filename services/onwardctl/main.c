/*
 * onwardctl: the staff command line. It turns "onwardctl person add A1234BC --given Sam
 * --family Jones" into one call on the daemon's admin socket, using the table in
 * commands.c, and prints the reply (print.c) or, with --json, the reply's parameters.
 * Every call acts by the session `onwardctl login` made (signin.c), or, for root on the
 * server itself, --break-glass. Exit status: 0 done, 1 refused or failed, 2 the command
 * line was wrong.
 */
#include "client.h"
#include "commands.h"
#include "progress.h"
#include "signin.h"
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#define CALL_TIMEOUT_MS 30000

struct cli {
	const char *state_dir;
	const char *server; /* --server: an establishment's gateway, over HTTPS */
	const char *ca; /* --ca: the establishment CA that server's certificate chains to */
	bool break_glass;
	bool json;
	bool help;
	const char *words[2];
	int word_count;
	const char *args[64]; /* positionals and option words after the command, in order */
	int arg_count;
};

static bool
print_summary(const struct command *c, void *userdata)
{
	char name[40];

	snprintf(name, sizeof(name), "%s%s%s", c->group, c->verb ? " " : "",
	         c->verb ? c->verb : "");
	fprintf(userdata, "  %-22s %s\n", name, c->summary);
	return false;
}

/* Prints every command with its summary, and the global options. */
static void
usage_commands(FILE *out)
{
	fprintf(out, "Usage: onwardctl [--state-dir DIR | --server URL --ca FILE] [--break-glass] "
	             "[--json]\n                 COMMAND ...\n\n"
	             "Commands:\n");
	(void)command_each(print_summary, out);
	fprintf(out, "\nGlobal options:\n"
	             "  --state-dir DIR   the daemon's state directory (or $ONWARD_STATE_DIR)\n"
	             "  --server URL      an establishment server's gateway (or $ONWARD_SERVER),\n"
	             "                    over HTTPS, e.g. https://onward.mdi.example:8443\n"
	             "  --ca FILE         the establishment CA to trust for it (or $ONWARD_CA)\n"
	             "  --break-glass     act without signing in: root on the server only,\n"
	             "                    audited as break-glass (the way in before any staff)\n"
	             "  --json            print the reply as JSON\n"
	             "\nCalls act by the session 'onwardctl login' keeps in $ONWARD_SESSION_FILE\n"
	             "(or ~/.cache/onward/session).\n"
	             "\n'onwardctl COMMAND --help' shows a command's options. See onwardctl(1).\n");
}

static void
command_usage(FILE *out, const struct command *c)
{
	fprintf(out, "Usage: onwardctl %s%s%s", c->group, c->verb ? " " : "",
	        c->verb ? c->verb : "");
	for (int i = 0; i < 3 && c->positional[i]; i++)
		fprintf(out, " %s", c->positional[i]);
	fprintf(out, " [options]\n\n%s\n", c->summary);
	if (c->options[0].name)
		fprintf(out, "\nOptions:\n");
	for (const struct command_option *o = c->options; o->name; o++)
		fprintf(out, "  --%-16s %s\n", o->name, o->help);
}

static int fail_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
fail_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "onwardctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'onwardctl --help'.\n");
	return 2;
}

/* Splits argv into global options, the command words and the command's own arguments. */
static int
parse_global(int argc, char **argv, struct cli *cli)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--json") == 0) {
			cli->json = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli->help = true;
		} else if (strcmp(a, "--break-glass") == 0) {
			cli->break_glass = true;
		} else if (strcmp(a, "--state-dir") == 0 || strcmp(a, "--server") == 0 ||
		           strcmp(a, "--ca") == 0) {
			if (i + 1 >= argc)
				return fail_usage("%s needs a value", a);
			if (strcmp(a, "--server") == 0)
				cli->server = argv[++i];
			else if (strcmp(a, "--ca") == 0)
				cli->ca = argv[++i];
			else
				cli->state_dir = argv[++i];
		} else if (strncmp(a, "--state-dir=", 12) == 0) {
			cli->state_dir = a + 12;
		} else if (strncmp(a, "--server=", 9) == 0) {
			cli->server = a + 9;
		} else if (strncmp(a, "--ca=", 5) == 0) {
			cli->ca = a + 5;
		} else if (strcmp(a, "--as") == 0 || strncmp(a, "--as=", 5) == 0) {
			return fail_usage("%s",
			                  "--as is gone: sign in with 'onwardctl login STAFF_ID' "
			                  "(or, as root on the server, use --break-glass)");
		} else if (cli->word_count == 0 ||
		           (cli->word_count == 1 && a[0] != '-' && cli->arg_count == 0 &&
		            command_group_has_verbs(cli->words[0]))) {
			cli->words[cli->word_count++] = a;
		} else {
			if (cli->arg_count >= (int)(sizeof(cli->args) / sizeof(cli->args[0])))
				return fail_usage("too many arguments near '%s'", a);
			cli->args[cli->arg_count++] = a;
		}
	}
	return 0;
}

static const struct command_option *
option_find(const struct command *c, const char *name, size_t len)
{
	for (const struct command_option *o = c->options; o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static int
parse_int(const char *s, json_int_t *ret)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* Larger than any certificate, licence or list a command sends (a call is 64 KiB). */
#define JSON_FILE_MAX (1 << 20)

/*
 * A JSON object from a file, into *ret; 1 (and a message in plain words) when it is not
 * one. The file is opened without waiting and must be a regular file, so that a FIFO or a
 * device given by mistake is refused at once rather than leaving the command hanging.
 */
static int
read_json_file(const char *path, json_t **ret)
{
	json_error_t jerr;
	json_t *object = NULL;
	struct stat st = {0};
	char *text = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "onwardctl: %s: %s\n", path,
		        errno == ENOENT    ? "there is no such file"
		        : errno == EACCES  ? "you are not allowed to read it"
		        : errno == ENOTDIR ? "part of the path is not a folder"
		                           : "it cannot be opened");
		return 1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > JSON_FILE_MAX) {
		fprintf(stderr, "onwardctl: %s: %s\n", path,
		        S_ISDIR(st.st_mode)    ? "it is a folder, not a file"
		        : !S_ISREG(st.st_mode) ? "it is not an ordinary file"
		        : st.st_size > JSON_FILE_MAX
		                ? "it is too large to be what this command needs"
		                : "it cannot be read");
		close(fd);
		return 1;
	}
	text = malloc((size_t)st.st_size + 1);
	while (text && got < (size_t)st.st_size) {
		ssize_t n = read(fd, text + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (text)
		object = json_loadb(text, got, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!object || !json_is_object(object)) {
		if (object || !text)
			fprintf(stderr, "onwardctl: %s: %s\n", path,
			        object ? "must hold a JSON object" : "out of memory");
		else
			fprintf(stderr, "onwardctl: %s: not JSON (line %d: %s)\n", path, jerr.line,
			        jerr.text);
		json_decref(object);
		return 1;
	}
	*ret = object;
	return 0;
}

/* The path made absolute against the working directory: the daemon opens it, not us. */
static json_t *
absolute_path(const char *path)
{
	char cwd[PATH_MAX], joined[PATH_MAX * 2];

	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return json_string(path);
	snprintf(joined, sizeof(joined), "%s/%s", cwd, path);
	return json_string(joined);
}

/* Builds the call's parameters from the command's arguments. */
static int
build_params(const struct command *c, const struct cli *cli, json_t *params)
{
	int positional = 0;

	for (int i = 0; i < cli->arg_count; i++) {
		const char *a = cli->args[i];
		const struct command_option *o;
		const char *value = NULL, *eq;
		json_int_t n;

		if (a[0] != '-' || a[1] != '-') {
			char kind;

			if (positional >= 3 || !c->positional[positional])
				return fail_usage("unexpected argument '%s'", a);
			kind = c->positional_kinds[positional];
			if (kind == 'i') {
				if (parse_int(a, &n) < 0)
					return fail_usage("'%s' is not a number", a);
				json_object_set_new(params, c->positional[positional],
				                    json_integer(n));
			} else if (kind == 'p') {
				json_object_set_new(params, c->positional[positional],
				                    absolute_path(a));
			} else if (kind == 'j') {
				json_t *object;

				if (read_json_file(a, &object))
					return 1;
				json_object_set_new(params, c->positional[positional], object);
			} else {
				json_object_set_new(params, c->positional[positional],
				                    json_string(a));
			}
			positional++;
			continue;
		}
		eq = strchr(a, '=');
		o = option_find(c, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
		if (!o)
			return fail_usage("unknown option '%s'", a);
		if (o->kind != OPT_FLAG) {
			if (eq)
				value = eq + 1;
			else if (i + 1 < cli->arg_count)
				value = cli->args[++i];
			else
				return fail_usage("--%s needs a value", o->name);
		}
		switch (o->kind) {
		case OPT_STRING:
			json_object_set_new(params, o->param, json_string(value));
			break;
		case OPT_INT:
			if (parse_int(value, &n) < 0)
				return fail_usage("'%s' is not a number", value);
			json_object_set_new(params, o->param, json_integer(n));
			break;
		case OPT_FLAG:
			json_object_set_new(params, o->param, json_true());
			break;
		case OPT_JSON_FILE: {
			json_t *object;

			if (read_json_file(value, &object))
				return 1;
			json_object_set_new(params, o->param, object);
			break;
		}
		case OPT_PATH:
			json_object_set_new(params, o->param, absolute_path(value));
			break;
		case OPT_LIST:
			if (!json_object_get(params, o->param))
				json_object_set_new(params, o->param, json_array());
			json_array_append_new(json_object_get(params, o->param),
			                      json_string(value));
			break;
		}
	}
	if (positional < 3 && c->positional[positional])
		return fail_usage("missing %s", c->positional[positional]);
	return 0;
}

/*
 * Makes the call; for a paged command, asks for page after page (the daemon says where the
 * next starts) and gathers them into the first reply's list.
 */
static int
call_all_pages(struct transport *t, const struct command *c, json_t *params,
               struct client_reply *ret, char *err, size_t size)
{
	json_t *again = c->pages ? json_deep_copy(params) : NULL;
	struct client_reply first = {.fd = -1};
	int r = transport_call(t, c->method, params, CALL_TIMEOUT_MS, &first, err, size);

	while (r == 0 && !first.error && c->pages &&
	       json_is_string(json_object_get(first.parameters, "next"))) {
		struct client_reply page;

		json_object_set(again, "after", json_object_get(first.parameters, "next"));
		r = transport_call(t, c->method, json_incref(again), CALL_TIMEOUT_MS, &page, err,
		                   size);
		if (r < 0)
			break;
		if (page.error) {
			client_reply_release(&first);
			first = page;
			break;
		}
		json_array_extend(json_object_get(first.parameters, c->pages),
		                  json_object_get(page.parameters, c->pages));
		json_object_set(first.parameters, "next", json_object_get(page.parameters, "next"));
		client_reply_release(&page);
	}
	json_decref(again);
	if (r < 0) {
		if (first.parameters)
			client_reply_release(&first);
		return r;
	}
	*ret = first;
	return 0;
}

static int
run(const struct command *c, const struct cli *cli, json_t *params)
{
	struct transport_target target = {
	        .state_dir = cli->state_dir, .server = cli->server, .ca_file = cli->ca};
	struct transport *t = NULL;
	struct client_reply reply = {.fd = -1};
	char err[400];
	int r = transport_open(&target, &t, err, sizeof(err));

	if (r < 0) {
		json_decref(params);
		fprintf(stderr, "onwardctl: %s\n", err);
		return 1;
	}
	if (!c->print) {
		/* The sign-in commands read secrets and keep the session (signin.c). */
		if (strcmp(c->method, "onward.Staff.Login") == 0)
			r = signin_login(t, params, cli->json);
		else if (strcmp(c->method, "onward.Staff.Logout") == 0)
			r = signin_logout(t, cli->json);
		else
			r = signin_staff_setup(t, params, cli->json);
		json_decref(params);
		transport_close(t);
		return r;
	}
	/* The progress line asks on a second connection: only on this machine. */
	if (c->progress_method && isatty(STDERR_FILENO) && transport_client(t)) {
		r = progress_call(transport_socket_path(t), transport_client(t), c, params,
		                  CALL_TIMEOUT_MS, &reply);
		if (r < 0)
			snprintf(err, sizeof(err), "no answer from onward-policyd: %s",
			         r == -ETIMEDOUT ? "timed out" : strerror(-r));
	} else {
		r = call_all_pages(t, c, params, &reply, err, sizeof(err));
	}
	transport_close(t);
	if (r < 0) {
		fprintf(stderr, "onwardctl: %s\n", err);
		return 1;
	}
	if (reply.error) {
		if (cli->json) {
			json_t *out = json_pack("{s:s, s:O}", "error", reply.error, "parameters",
			                        reply.parameters);

			json_dumpf(out, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
			fputc('\n', stdout);
			json_decref(out);
		}
		fprintf(stderr, "onwardctl: %s\n",
		        client_reply_message(&reply)[0] ? client_reply_message(&reply)
		                                        : reply.error);
		client_reply_release(&reply);
		return 1;
	}
	if (cli->json) {
		json_dumpf(reply.parameters, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		fputc('\n', stdout);
	} else {
		c->print(stdout, reply.parameters);
	}
	/* A chain that fails verification is a failure of the command, for scripts. */
	r = json_is_false(json_object_get(reply.parameters, "ok")) ? 1 : 0;
	client_reply_release(&reply);
	return r;
}

int
main(int argc, char **argv)
{
	struct cli cli = {0};
	const struct command *c;
	json_t *params;
	int r;

	r = parse_global(argc, argv, &cli);
	if (r)
		return r;
	if (cli.word_count == 0) {
		usage_commands(cli.help ? stdout : stderr);
		return cli.help ? 0 : 2;
	}
	c = command_find(cli.words[0], cli.word_count > 1 ? cli.words[1] : NULL);
	if (!c) {
		if (cli.help) {
			usage_commands(stdout);
			return 0;
		}
		return fail_usage("unknown command '%s%s%s'", cli.words[0],
		                  cli.word_count > 1 ? " " : "",
		                  cli.word_count > 1 ? cli.words[1] : "");
	}
	if (cli.help) {
		command_usage(stdout, c);
		return 0;
	}
	if (!cli.state_dir)
		cli.state_dir = secure_getenv("ONWARD_STATE_DIR");
	if (!cli.server)
		cli.server = secure_getenv("ONWARD_SERVER");
	if (!cli.ca)
		cli.ca = secure_getenv("ONWARD_CA");
	if (cli.server && !cli.server[0])
		cli.server = NULL;
	if (cli.server && cli.break_glass)
		return fail_usage("%s", "--break-glass is for root on the server itself, not over "
		                        "the network");
	if (!cli.server && (!cli.state_dir || !cli.state_dir[0]))
		return fail_usage("%s", "say which state directory (--state-dir DIR or "
		                        "$ONWARD_STATE_DIR) or which server (--server URL)");
	params = json_object();
	if (!c->anonymous && !cli.break_glass) {
		char token[65];

		r = signin_session_read(cli.server ? cli.server : "local", token);
		if (r < 0) {
			json_decref(params);
			fprintf(stderr, "onwardctl: %s\n",
			        r == -ENOENT
			                ? "you are not signed in: run 'onwardctl login STAFF_ID' "
			                  "(or, as root on the server, use --break-glass)"
			        : r == -ESTALE ? "you are signed in to another server: run "
			                         "'onwardctl login "
			                         "STAFF_ID' for this one"
			        : r == -EPERM ? "the session file is not yours alone: sign in again"
			                      : "the session file cannot be read: sign in again");
			return 1;
		}
		json_object_set_new(params, "staff_session", json_string(token));
		memset(token, 0, sizeof(token));
	}
	r = build_params(c, &cli, params);
	if (r) {
		json_decref(params);
		return r;
	}
	return run(c, &cli, params);
}

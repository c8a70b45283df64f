/* Signing in (see signin.h). */
#include "signin.h"

#include "client.h"
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#define CALL_TIMEOUT_MS 30000
#define SESSION_FILE_MAX 4096

bool
signin_session_path(char *buf, size_t size)
{
	const char *file = secure_getenv("ONWARD_SESSION_FILE");
	const char *home = secure_getenv("HOME");

	if (file && file[0])
		return (size_t)snprintf(buf, size, "%s", file) < size;
	if (!home || !home[0])
		return false;
	return (size_t)snprintf(buf, size, "%s/.cache/onward/session", home) < size;
}

int
signin_session_read(const char *server, char ret_token[65])
{
	char path[4096], text[SESSION_FILE_MAX + 1];
	struct stat st;
	json_t *root;
	const char *token;
	ssize_t n;
	int fd;

	if (!signin_session_path(path, sizeof(path)))
		return -ENOENT;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : -EACCES;
	/* Someone else's file, or one others can read, is not a session to act by. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077)) {
		close(fd);
		return -EPERM;
	}
	n = read(fd, text, SESSION_FILE_MAX);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	text[n] = '\0';
	root = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	token = json_string_value(json_object_get(root, "session"));
	if (!token || strlen(token) != 64) {
		json_decref(root);
		return -EINVAL;
	}
	/* A session is for the server that made it; it is never sent to another. */
	if (json_string_value(json_object_get(root, "server")) &&
	    strcmp(json_string_value(json_object_get(root, "server")), server) != 0) {
		json_decref(root);
		return -ESTALE;
	}
	memcpy(ret_token, token, 65);
	json_decref(root);
	return 0;
}

/* Makes the folders above the session file, owner only. */
static void
make_parent(const char *path)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)mkdir(dir, 0700);
		*p = '/';
	}
}

/* Writes the session: a temporary file 0600, then renamed over the old one. */
static int
session_write(json_t *login, const char *server)
{
	char path[4096], tmp[4200];
	json_t *keep =
	        json_pack("{s:O, s:O, s:O, s:s}", "session", json_object_get(login, "session"),
	                  "staff_id", json_object_get(login, "staff_id"), "expires_at",
	                  json_object_get(login, "expires_at"), "server", server);
	char *text = keep ? json_dumps(keep, JSON_COMPACT) : NULL;
	int fd, r = 0;

	json_decref(keep);
	if (!text || !signin_session_path(path, sizeof(path))) {
		free(text);
		return -EINVAL;
	}
	make_parent(path);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	(void)unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || fsync(fd) < 0)
		r = -errno ? -errno : -EIO;
	if (fd >= 0)
		close(fd);
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		(void)unlink(tmp);
	free(text);
	return r;
}

int
signin_read_secret(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	size_t n;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (!fgets(buf, (int)size, stdin))
		buf[0] = '\0';
	if (tty) {
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n == size - 1)
		return -E2BIG; /* longer than any password */
	buf[n] = '\0';
	return n ? 0 : -ENODATA;
}

/* One call; the reply's parameters (owned) or NULL after saying what went wrong. */
static json_t *
call_or_say(struct transport *t, const char *method, json_t *params, bool json)
{
	struct client_reply reply = {.fd = -1};
	char err[300];
	json_t *out;
	int r = transport_call(t, method, params, CALL_TIMEOUT_MS, &reply, err, sizeof(err));

	if (r < 0) {
		fprintf(stderr, "onwardctl: %s\n", err);
		return NULL;
	}
	if (reply.error) {
		if (json) {
			out = json_pack("{s:s, s:O}", "error", reply.error, "parameters",
			                reply.parameters);
			json_dumpf(out, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
			fputc('\n', stdout);
			json_decref(out);
		}
		fprintf(stderr, "onwardctl: %s\n", client_reply_message(&reply));
		client_reply_release(&reply);
		return NULL;
	}
	out = json_incref(reply.parameters);
	client_reply_release(&reply);
	return out;
}

static void
print_json(json_t *o)
{
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	fputc('\n', stdout);
}

int
signin_login(struct transport *t, json_t *args, bool json)
{
	const char *id = json_string_value(json_object_get(args, "staff_id"));
	const char *code = json_string_value(json_object_get(args, "code"));
	char password[160], typed[16];
	json_t *login;
	int r;

	r = signin_read_secret("Password: ", password, sizeof(password));
	if (r < 0) {
		fprintf(stderr, "onwardctl: %s\n",
		        r == -E2BIG ? "that password is too long" : "no password given");
		return 1;
	}
	if (!code) {
		if (isatty(STDIN_FILENO))
			fprintf(stderr, "Code from your authenticator app: ");
		if (!fgets(typed, sizeof(typed), stdin))
			typed[0] = '\0';
		typed[strcspn(typed, "\r\n")] = '\0';
		code = typed;
	}
	login = call_or_say(
	        t, "onward.Staff.Login",
	        json_pack("{s:s, s:s, s:s}", "staff_id", id, "password", password, "code", code),
	        json);
	memset(password, 0, sizeof(password));
	if (!login)
		return 1;
	r = session_write(login, transport_name(t));
	if (r < 0) {
		fprintf(stderr, "onwardctl: signed in, but the session cannot be kept: %s\n",
		        strerror(-r));
		json_decref(login);
		return 1;
	}
	if (json) {
		json_object_del(login, "session"); /* in the file, not on the screen */
		print_json(login);
	} else {
		printf("signed in as %s (%s)\n",
		       json_string_value(json_object_get(login, "staff_id")),
		       json_string_value(json_object_get(login, "role")));
	}
	json_decref(login);
	return 0;
}

int
signin_logout(struct transport *t, bool json)
{
	char token[65], path[4096];
	json_t *out;
	int r = signin_session_read(transport_name(t), token);

	if (r < 0) {
		fprintf(stderr, "onwardctl: you are not signed in%s\n",
		        r == -ESTALE ? " here (your session is for another server)" : "");
		return 1;
	}
	out = call_or_say(t, "onward.Staff.Logout", json_pack("{s:s}", "staff_session", token),
	                  json);
	/* Whatever the server said, this session is not to be used again. */
	if (signin_session_path(path, sizeof(path)))
		(void)unlink(path);
	if (!out)
		return 1;
	if (json)
		print_json(out);
	else
		printf("signed out\n");
	json_decref(out);
	return 0;
}

int
signin_staff_setup(struct transport *t, json_t *args, bool json)
{
	const char *id = json_string_value(json_object_get(args, "staff_id"));
	const char *setup = json_string_value(json_object_get(args, "setup_code"));
	char password[160], again[160], code[16];
	json_t *out, *done;
	int r;

	if (!setup) {
		fprintf(stderr, "onwardctl: say the setup code you were given: --setup-code CODE\n"
		                "Try 'onwardctl staff setup --help'.\n");
		return 2;
	}
	r = signin_read_secret("New password (12 characters or more): ", password,
	                       sizeof(password));
	if (r == 0 && isatty(STDIN_FILENO)) {
		r = signin_read_secret("The same password again: ", again, sizeof(again));
		if (r == 0 && strcmp(password, again) != 0) {
			fprintf(stderr, "onwardctl: the two passwords are not the same\n");
			return 1;
		}
	}
	if (r < 0) {
		fprintf(stderr, "onwardctl: %s\n",
		        r == -E2BIG ? "that password is too long" : "no password given");
		return 1;
	}
	out = call_or_say(t, "onward.Staff.Setup",
	                  json_pack("{s:s, s:s, s:s}", "staff_id", id, "setup_code", setup,
	                            "password", password),
	                  json);
	memset(password, 0, sizeof(password));
	memset(again, 0, sizeof(again));
	if (!out)
		return 1;
	if (json) {
		print_json(out);
		json_decref(out);
		return 0;
	}
	printf("Add this account to your authenticator app:\n  secret: %s\n  or: %s\n",
	       json_string_value(json_object_get(out, "totp_secret")),
	       json_string_value(json_object_get(out, "otpauth_uri")));
	json_decref(out);
	if (!isatty(STDIN_FILENO)) {
		printf("Then confirm with: onwardctl staff confirm %s --setup-code CODE "
		       "--code NUMBERS\n",
		       id);
		return 0;
	}
	fprintf(stderr, "Code your app shows now: ");
	if (!fgets(code, sizeof(code), stdin))
		code[0] = '\0';
	code[strcspn(code, "\r\n")] = '\0';
	done = call_or_say(
	        t, "onward.Staff.SetupConfirm",
	        json_pack("{s:s, s:s, s:s}", "staff_id", id, "setup_code", setup, "code", code),
	        false);
	if (!done)
		return 1;
	printf("set up: sign in with 'onwardctl login %s'\n", id);
	json_decref(done);
	return 0;
}

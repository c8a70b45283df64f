/* onwardctl's two ways to the daemon (see transport.h). */
#include "transport.h"

#include "https.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct transport {
	struct client *client; /* the admin socket; NULL over HTTPS */
	char path[PATH_MAX];
	char server[512];
	char ca_file[PATH_MAX];
};

int
transport_open(const struct transport_target *t, struct transport **ret, char *err, size_t size)
{
	struct transport *tr = calloc(1, sizeof(*tr));
	int r;

	if (!tr) {
		snprintf(err, size, "out of memory");
		return -ENOMEM;
	}
	if (t->server) {
		if (strncmp(t->server, "https://", 8) != 0 ||
		    strlen(t->server) >= sizeof(tr->server)) {
			free(tr);
			snprintf(err, size,
			         "--server must be an https:// address, like "
			         "https://onward.mdi.example:8443");
			return -EINVAL;
		}
		if (!t->ca_file || !t->ca_file[0] || strlen(t->ca_file) >= sizeof(tr->ca_file)) {
			free(tr);
			snprintf(err, size,
			         "say which certificate authority to trust for %s: --ca FILE "
			         "or $ONWARD_CA (the establishment's ca.pem)",
			         t->server);
			return -EINVAL;
		}
		snprintf(tr->server, sizeof(tr->server), "%s", t->server);
		snprintf(tr->ca_file, sizeof(tr->ca_file), "%s", t->ca_file);
		*ret = tr;
		return 0;
	}
	if ((size_t)snprintf(tr->path, sizeof(tr->path), "%s/admin.sock", t->state_dir) >=
	    sizeof(tr->path)) {
		free(tr);
		snprintf(err, size, "the state directory path is too long");
		return -ENAMETOOLONG;
	}
	r = client_connect(tr->path, &tr->client);
	if (r < 0) {
		snprintf(err, size, "cannot reach onward-policyd at %s: %s%s", tr->path,
		         strerror(-r),
		         r == -ENOENT || r == -ECONNREFUSED ? " (is the daemon running?)" : "");
		free(tr);
		return r;
	}
	*ret = tr;
	return 0;
}

/* An HTTPS call: the session becomes the bearer token, the answer a client_reply. */
static int
call_remote(struct transport *tr, const char *method, json_t *params, int timeout_ms,
            struct client_reply *ret, char *err, size_t size)
{
	char bearer[72] = "";
	const char *session = json_string_value(json_object_get(params, "staff_session"));
	struct https_target target = {
	        .url = tr->server,
	        .ca_file = tr->ca_file,
	        .timeout_ms = timeout_ms,
	};
	json_t *reply = NULL, *error;
	bool is_error;
	int r;

	if (session) {
		snprintf(bearer, sizeof(bearer), "%s", session);
		target.bearer = bearer;
		json_object_del(params, "staff_session");
	}
	r = https_call(&target, method, params, &reply, err, size);
	json_decref(params);
	memset(bearer, 0, sizeof(bearer));
	if (r < 0)
		return r;
	error = json_object_get(reply, "error");
	is_error = json_is_string(error);
	*ret = (struct client_reply){
	        .parameters = json_incref(json_object_get(reply, "parameters")),
	        .error = is_error ? strdup(json_string_value(error)) : NULL,
	        .fd = -1,
	};
	json_decref(reply); /* error went with it */
	if (!ret->parameters)
		ret->parameters = json_object();
	if (!ret->parameters || (is_error && !ret->error)) {
		client_reply_release(ret);
		snprintf(err, size, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

int
transport_call(struct transport *tr, const char *method, json_t *params, int timeout_ms,
               struct client_reply *ret, char *err, size_t size)
{
	int r;

	if (!params)
		params = json_object();
	if (!tr->client)
		return call_remote(tr, method, params, timeout_ms, ret, err, size);
	r = client_call(tr->client, method, params, timeout_ms, ret);
	if (r < 0)
		snprintf(err, size, "no answer from onward-policyd: %s",
		         r == -ETIMEDOUT ? "timed out" : strerror(-r));
	return r;
}

struct client *
transport_client(struct transport *tr)
{
	return tr->client;
}

const char *
transport_socket_path(const struct transport *tr)
{
	return tr->path;
}

const char *
transport_name(const struct transport *tr)
{
	return tr->client ? "local" : tr->server;
}

void
transport_close(struct transport *tr)
{
	if (!tr)
		return;
	client_free(tr->client);
	free(tr);
}

/*
 * Thread-pool PIN work (see pinwork.h). The work struct holds copies of the PIN and hash,
 * wiped when done, so nothing the thread reads can change under it.
 */
#include "pinwork.h"

#include "crypto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct pinwork {
	uv_work_t req;
	struct call *call; /* paused until done */
	pinwork_done_fn done;
	void *ctx;
	bool verify;
	unsigned log_n;
	char pin[136]; /* a PIN, or a staff password (128 bytes at most) */
	char hash[PIN_HASH_MAX]; /* in: the stored hash (verify); out: the new hash */
	int result;
};

static void
on_work(uv_work_t *req)
{
	struct pinwork *w = req->data;

	if (w->verify) {
		w->result = pin_verify(w->pin, w->hash);
		w->hash[0] = '\0';
	} else {
		w->result = pin_hash(w->pin, w->log_n, w->hash);
	}
}

static void
on_work_done(uv_work_t *req, int status)
{
	struct pinwork *w = req->data;

	if (status < 0)
		w->result = -ECANCELED;
	crypto_wipe(w->pin, sizeof(w->pin));
	w->done(w->call, w->result, w->hash, w->ctx);
	crypto_wipe(w, sizeof(*w));
	free(w);
}

static void
pinwork_start(struct call *c, bool verify, const char *pin, const char *stored,
              pinwork_done_fn done, void *ctx)
{
	struct pinwork *w = calloc(1, sizeof(*w));

	if (!w || strlen(pin) >= sizeof(w->pin) || (stored && strlen(stored) >= sizeof(w->hash))) {
		free(w);
		done(c, -ENOMEM, "", ctx);
		return;
	}
	w->req.data = w;
	w->call = c;
	w->done = done;
	w->ctx = ctx;
	w->verify = verify;
	w->log_n = c->server->config.scrypt_log_n;
	strcpy(w->pin, pin);
	if (stored)
		strcpy(w->hash, stored);
	call_pause(c);
	if (uv_queue_work(c->server->loop, &w->req, on_work, on_work_done) < 0) {
		crypto_wipe(w, sizeof(*w));
		free(w);
		done(c, -EIO, "", ctx);
	}
}

void
pinwork_hash(struct call *c, const char *pin, pinwork_done_fn done, void *ctx)
{
	pinwork_start(c, false, pin, NULL, done, ctx);
}

void
pinwork_verify(struct call *c, const char *pin, const char *stored, pinwork_done_fn done, void *ctx)
{
	pinwork_start(c, true, pin, stored, done, ctx);
}

/*
 * onward.Person.Import: bringing a person's record in from a bundle file. The loop does
 * only what cannot wait or block: the file is opened without waiting and refused unless
 * it is a regular file of a bundle's size (bundlefile.c); everything that grows with the
 * file — reading it, opening the bundle (signatures, decryption), scanning and parsing
 * the record — runs in the thread pool with the call paused, as a course install does;
 * then, back on the loop, the record is applied in one transaction (person_bundle.c). One
 * import at a time, so that memory stays bounded by one bundle. Every refusal is in
 * staff's words: an impostor is called one, never offered as an establishment to trust.
 */
#include "moves_int.h"

#include "bundlefile.h"
#include "clock.h"
#include "identity.h"
#include "person_bundle.h"
#include "render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

struct import_job {
	uv_work_t req;
	struct call *call; /* paused until on_import_done */
	struct moves *moves; /* borrowed: the area's state */
	/* In, set on the loop: */
	int fd; /* owned; the worker closes it */
	uint64_t size; /* what fstat said */
	char shown[BUNDLEFILE_PATH_SHOWN + 1]; /* the path, shortened for messages */
	const struct bundle_identity *me; /* borrowed from the area; it outlives the loop */
	struct trust_list trusted; /* owned copies: the worker reads them */
	int64_t now;
	/* Out, set by the worker: */
	int r;
	const char *error; /* the protocol error of a refusal */
	char message[700];
	struct bundle_info info; /* authenticated, when r == 0 */
	json_t *doc; /* owned: the parsed record, when r == 0 */
};

/* Whether a certificate with this code (not a root) is trusted here. */
static bool
code_trusted(const struct trust_list *t, const char *code)
{
	for (size_t i = 0; i < t->n; i++)
		if (bundle_cert_kind(t->certs[i]) != BUNDLE_KIND_ROOT &&
		    strcmp(bundle_cert_code(t->certs[i]), code) == 0)
			return true;
	return false;
}

/* Whether the root with this fingerprint is trusted here. */
static bool
root_trusted(const struct trust_list *t, const char *fingerprint)
{
	for (size_t i = 0; fingerprint[0] && i < t->n; i++)
		if (bundle_cert_kind(t->certs[i]) == BUNDLE_KIND_ROOT &&
		    strcmp(bundle_cert_fingerprint(t->certs[i]), fingerprint) == 0)
			return true;
	return false;
}

/*
 * The bundle library's refusal in staff's words. peek is the header as it claims to be
 * (NULL when even that could not be read); only codes are repeated from it, never the
 * sender's name, which anyone can write.
 */
static void
word_refusal(struct import_job *job, const struct bundle_error *berr,
             const struct bundle_info *peek)
{
	const char *own = bundle_cert_code(bundle_identity_cert(job->me));
	char when[BUNDLE_TIME_MAX] = "?";
	char *out = job->message;
	size_t size = sizeof(job->message);

	switch (berr->code) {
	case -ENOMSG:
		snprintf(out, size, "%s is not an Onward person bundle.", job->shown);
		break;
	case -EPROTONOSUPPORT:
		snprintf(out, size,
		         "This bundle was made by another version of Onward (bundle format %u; "
		         "this establishment reads format %d), so nothing was imported.",
		         peek ? peek->format_version : 0, BUNDLE_FORMAT_VERSION);
		break;
	case -ENODATA:
		if (peek)
			snprintf(out, size,
			         "This bundle is cut short: only %zu of its %llu bytes are in %s. "
			         "Copy it again in full.",
			         (size_t)job->size, (unsigned long long)peek->bundle_len,
			         job->shown);
		else
			snprintf(out, size, "This bundle is cut short. Copy it again in full.");
		break;
	case -ENOKEY:
		if (strcmp(berr->subject, own) == 0)
			snprintf(
			        out, size,
			        "This bundle is addressed to %s, but sealed to another certificate "
			        "of %s than the one this establishment has now, so it cannot be "
			        "opened. Ask the sender to seal it again to %s's current "
			        "certificate (onwardctl identity cert).",
			        own, own, own);
		else
			snprintf(out, size,
			         "This bundle is for %s, not for this establishment (%s). Send it "
			         "to "
			         "%s instead.",
			         berr->subject, own, berr->subject);
		break;
	case -EKEYREJECTED:
		if (peek && peek->sender_kind == BUNDLE_KIND_ROOT)
			snprintf(
			        out, size,
			        "This bundle claims to come from the national root %s, which never "
			        "sends bundles. Do not trust it.",
			        peek->sender_code);
		else if (peek && (code_trusted(&job->trusted, peek->sender_code) ||
		                  root_trusted(&job->trusted, peek->sender_issuer)))
			snprintf(out, size,
			         "This bundle claims to come from %s but is not signed by the %s "
			         "this establishment trusts. Do not trust it; ask %s to check.",
			         peek->sender_code, peek->sender_code, peek->sender_code);
		else
			snprintf(
			        out, size,
			        "This bundle claims to come from %s, which is not trusted here, so "
			        "nothing was imported. Never trust a certificate because a bundle "
			        "carries it: if %s should be trusted, get its certificate from %s "
			        "itself and check the fingerprint with them by telephone first.",
			        peek ? peek->sender_code : "an establishment",
			        peek ? peek->sender_code : "it", peek ? peek->sender_code : "it");
		break;
	case -EKEYEXPIRED:
		(void)bundle_time_format(berr->when, when);
		snprintf(out, size,
		         "This bundle relies on the certificate of %s, which %s %s, so it was "
		         "refused. Ask %s for its current certificate; if the date looks wrong, "
		         "check this server's clock.",
		         berr->subject, berr->when < job->now ? "expired on" : "is not valid until",
		         when, berr->subject);
		break;
	case -EBADMSG:
		snprintf(out, size,
		         "This bundle has been changed or damaged since it was sealed, so it was "
		         "refused and nothing was imported. Ask the sender for a fresh copy.");
		break;
	case -EFBIG:
		snprintf(out, size,
		         "This bundle says it holds more than any person's record can be, so it "
		         "was refused.");
		break;
	case -ENOMEM:
		snprintf(out, size,
		         "There is not enough memory to open this bundle just now. Try again "
		         "later.");
		break;
	default:
		snprintf(out, size,
		         "This bundle could not be opened (system error %d). Try again; if it "
		         "happens again, report it.",
		         -berr->code);
	}
}

/*
 * The worker: read, open, parse. It touches no store and no daemon state, only the job:
 * this is the part that moves to the keyless parsing child, less the decryption, which
 * needs this establishment's key.
 */
static void
on_import(uv_work_t *req)
{
	struct import_job *job = req->data;
	struct bundle_error berr = {0};
	struct bundle_info peek, opened;
	void *data = NULL, *payload = NULL;
	size_t len = 0, payload_len = 0;
	bool peeked;
	int r;

	r = bundlefile_read(job->fd, job->size, job->shown, &data, &len, job->message,
	                    sizeof(job->message));
	job->fd = -1;
	if (r < 0) {
		job->error = PROTO_ERR_INVALID_PARAMETER;
		goto done;
	}
	peeked = bundle_peek(data, len, &peek, NULL) == 0;
	r = bundle_open(job->me, (const struct bundle_cert *const *)job->trusted.certs,
	                job->trusted.n, data, len, job->now, &payload, &payload_len, &opened,
	                &berr);
	free(data);
	if (r < 0) {
		if (!berr.code)
			berr.code = r;
		word_refusal(job, &berr, peeked ? &peek : NULL);
		job->error = PROTO_ERR_PERMISSION_DENIED;
		goto done;
	}
	r = record_parse(payload, payload_len, &job->doc, job->message, sizeof(job->message));
	bundle_buffer_free(payload, payload_len);
	if (r < 0) {
		job->error = PROTO_ERR_INVALID_PARAMETER;
		goto done;
	}
	job->info = opened;
done:
	job->r = r;
}

/* Back on the loop: the replay check and the record, in one transaction. */
static void
import_apply(struct call *c, struct import_job *job)
{
	struct store *store = c->server->store;
	struct store_person person;
	struct store_move m = {.at = clock_now()};
	const struct bundle_info *info = &job->info;
	char err[600] = "";
	bool seen = false;
	int r;

	if (store_bundle_seen(store, info->id_hex, &seen) == 0 && seen) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "This bundle has already been imported here. It cannot be used again.",
		          json_pack("{s:s}", "bundle", info->id_hex));
		return;
	}
	r = store_begin(store);
	if (r == 0)
		r = person_bundle_import(c->server, job->doc, info->sender_code, &person, err,
		                         sizeof(err));
	/* The authenticated id, checked again inside the transaction that imports. */
	if (r == 0) {
		r = store_bundle_record(store, info->id_hex, info->sender_code,
		                        person.prison_number, m.at);
		if (r == -EEXIST)
			snprintf(err, sizeof(err),
			         "This bundle has already been imported here. It cannot be used "
			         "again.");
	}
	if (r == 0) {
		call_set_subject(c, "person:%s", person.prison_number);
		m.person_id = person.id;
		snprintf(m.kind, sizeof(m.kind), "import");
		snprintf(m.from_establishment, sizeof(m.from_establishment), "%s",
		         info->sender_code);
		memcpy(m.to_establishment, person.establishment, sizeof(m.to_establishment));
		memcpy(m.from_status, person.status, sizeof(m.from_status));
		memcpy(m.to_status, person.status, sizeof(m.to_status));
		snprintf(m.staff_id, sizeof(m.staff_id), "%s", c->staff.id);
		snprintf(m.detail, sizeof(m.detail), "{\"bundle\":\"%s\"}", info->id_hex);
		r = store_move_record(store, &m);
	}
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:s, s:s, s:s}", "bundle", info->id_hex, "from",
		                         info->sender_code, "fingerprint",
		                         info->sender_fingerprint));
	r = call_end_transaction(c, r);
	if (r < 0) {
		if (!err[0])
			call_fail_store(c, r, "person");
		else if (r == -EPERM)
			call_fail(c, PROTO_ERR_PERMISSION_DENIED, err, NULL);
		else if (r == -EEXIST || r == -ESTALE || r == -ENOENT)
			call_fail(c, PROTO_ERR_CONFLICT, err, NULL);
		else
			call_fail(c, PROTO_ERR_INVALID_PARAMETER, err, NULL);
		return;
	}
	call_reply(c, json_pack("{s:s, s:s, s:o}", "bundle", info->id_hex, "from",
	                        info->sender_code, "person", render_person(&person)));
}

static void
import_job_free(struct import_job *job)
{
	if (job->fd >= 0)
		close(job->fd);
	moves_trusted_release(&job->trusted);
	json_decref(job->doc);
	free(job);
}

static void
on_import_done(uv_work_t *req, int status)
{
	struct import_job *job = req->data;

	job->moves->importing = false;
	if (status < 0 && job->r == 0) {
		job->r = -ECANCELED;
		job->error = PROTO_ERR_INTERNAL;
		snprintf(job->message, sizeof(job->message), "The import was cancelled.");
	}
	if (job->r < 0)
		call_fail(job->call, job->error, job->message, NULL);
	else
		import_apply(job->call, job);
	import_job_free(job);
}

void
moves_handle_import(struct call *c)
{
	struct moves *m = moves_of(c->server);
	const struct bundle_identity *me;
	struct import_job *job;
	const char *path = moves_path_param(c);
	char err[600] = "";

	if (!path)
		return;
	call_set_subject(c, "bundle");
	if (identity_get(c->server, &me, err, sizeof(err)) < 0) {
		call_fail(c, PROTO_ERR_CONFLICT, err, NULL);
		return;
	}
	if (m->importing) {
		call_fail(c, PROTO_ERR_BUSY,
		          "Another bundle is being imported just now. Try again in a moment.",
		          NULL);
		return;
	}
	job = calloc(1, sizeof(*job));
	if (!job) {
		call_fail(c, PROTO_ERR_INTERNAL, "Out of memory.", NULL);
		return;
	}
	if (bundlefile_open(path, PERSON_BUNDLE_FILE_MAX, &job->fd, &job->size, err, sizeof(err)) <
	    0) {
		free(job);
		call_fail_param(c, "path", err);
		return;
	}
	bundlefile_shorten_path(path, job->shown, sizeof(job->shown));
	(void)store_trust_list(c->server->store, moves_trusted_collect, &job->trusted);
	job->me = me;
	job->now = clock_now();
	job->call = c;
	job->moves = m;
	job->req.data = job;
	call_pause(c);
	if (uv_queue_work(c->server->loop, &job->req, on_import, on_import_done) < 0) {
		import_job_free(job);
		call_fail(c, PROTO_ERR_INTERNAL, "The bundle cannot be read just now. Try again.",
		          NULL);
		return;
	}
	m->importing = true;
}

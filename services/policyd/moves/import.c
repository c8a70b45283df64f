/*
 * onward.Person.Import: bringing a person's record in from a bundle file. The daemon holds
 * this establishment's keys and parses no byte of the bundle: its keyless child,
 * onward-parse (core/parser.h), a fresh one for each import, reads what must be parsed.
 * One import at a time, so that memory stays bounded by one bundle; the call is paused
 * throughout, and each step that grows with the file is off the loop:
 *
 *   1. loop:    the file opened without waiting, refused unless it is a regular file of a
 *               bundle's size (bundlefile.c);
 *   2. thread:  the file read whole (refused if it changes meanwhile);
 *   3. child:   bundle.head: the header and the sender's certificate, read from the same
 *               file and sent back as canonical fields;
 *   4. thread:  bundle_open_head(): each of the child's claims held against the bytes read
 *               in 2, then trust, signatures and decryption; the plaintext into a sealed
 *               memfd, and wiped here;
 *   5. child:   bundle.record: the payload bounded, parsed, its format checked and sent back
 *               as canonical text (the one reply that may exceed 8 MiB: wire.h);
 *   6. thread:  that text bounded again by the same allocation-free scan and parsed
 *               (record_parse), so a child that lies cannot make this process build more
 *               than a record can be;
 *   7. loop:    the record applied in one transaction (person_bundle.c).
 *
 * A child that crashes, stalls or answers out of shape fails the import in plain words and
 * nothing is imported. Every refusal of the bundle is in staff's words, the same as when
 * the daemon read bundles itself: an impostor is called one, never offered as an
 * establishment to trust.
 */
#include "moves_int.h"

#include "bundlefile.h"
#include "clock.h"
#include "crypto.h"
#include "identity.h"
#include "log.h"
#include "parser.h"
#include "person_bundle.h"
#include "record.h"
#include "render.h"
#include "wire.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <uv.h>

#define HEAD_TIMEOUT_MS 10000 /* a few KiB of header */
#define RECORD_TIMEOUT_MS 60000 /* a 64 MiB record is parsed and written in seconds */

_Static_assert(PARSE_REPLY_LARGE_MAX >= RECORD_PAYLOAD_MAX + 1024,
               "the child's canonical record fits its reply");

struct import_job {
	uv_work_t req;
	struct call *call; /* paused until import_finish */
	struct moves *moves; /* borrowed: the area's state */
	struct parser *checker; /* owned: this import's own onward-parse; NULL once closed */
	/* In, set on the loop: */
	int fd; /* owned; the reading worker closes it */
	int head_fd; /* owned: the same file, for the child; parser_call takes it */
	uint64_t size; /* what fstat said */
	char shown[BUNDLEFILE_PATH_SHOWN + 1]; /* the path, shortened for messages */
	const struct bundle_identity *me; /* borrowed from the area; it outlives the loop */
	struct trust_list trusted; /* owned copies: the worker reads them */
	int64_t now;
	/* Between the steps: */
	void *data; /* owned: the file's bytes, from step 2 to step 4 */
	size_t len;
	struct bundle_head head; /* the child's claims; its certificate owned */
	int memfd; /* owned: the plaintext, from step 4 to step 5 */
	char *text; /* owned: the child's canonical record, from step 5 to step 6 */
	size_t text_len;
	bool lied; /* step 6 refused the child's answer: message says why, for the log */
	/* Out: */
	int r;
	const char *error; /* the protocol error of a refusal */
	char message[700];
	struct bundle_info info; /* authenticated, when r == 0 */
	json_t *doc; /* owned: the parsed record, when r == 0 */
};

static int job_fail(struct import_job *job, const char *error, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Records a refusal (the first one counts) and returns -1 for the caller to stop. */
static int
job_fail(struct import_job *job, const char *error, const char *fmt, ...)
{
	va_list ap;

	if (job->r < 0)
		return -1;
	job->r = -1;
	job->error = error;
	va_start(ap, fmt);
	vsnprintf(job->message, sizeof(job->message), fmt, ap);
	va_end(ap);
	return -1;
}

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

static const char not_understood[] = "The bundle could not be checked: the checker's answer "
                                     "was not understood. Nothing was imported.";

/* The child's answer, well formed, said what the bytes do not: logged, and refused. */
static void
not_believed(struct import_job *job, const char *what)
{
	log_error("person import: %s: the checker's answer is not believed (%s): %s", job->shown,
	          what, job->message);
	job->message[0] = '\0';
	job_fail(job, PROTO_ERR_INVALID_PARAMETER, "%s", not_understood);
}

/* The words when the child, not the bundle, failed (core/parser.h's codes). */
static void
checker_failed(struct import_job *job, int r, const char *message)
{
	switch (r) {
	case -ECANCELED:
		job_fail(job, PROTO_ERR_BUSY,
		         "The service is stopping. Try again when it is back.");
		break;
	case -EBUSY:
	case -ENOMEM:
		job_fail(job, PROTO_ERR_BUSY, "The bundle cannot be checked just now. Try again.");
		break;
	case -ENOEXEC:
		job_fail(job, PROTO_ERR_INTERNAL,
		         "The bundle cannot be checked now: the checker could not be started. Tell "
		         "the service's administrators; nothing was imported.");
		break;
	case -ETIMEDOUT:
		job_fail(job, PROTO_ERR_INVALID_PARAMETER,
		         "The bundle was refused: %s. Nothing was imported.", message);
		break;
	case -EPROTO:
		log_error("person import: %s: the checker's answer is not one: %s", job->shown,
		          message);
		job_fail(job, PROTO_ERR_INVALID_PARAMETER, "%s", not_understood);
		break;
	default:
		job_fail(
		        job, PROTO_ERR_INVALID_PARAMETER,
		        "The bundle could not be checked: the checker stopped unexpectedly (it may "
		        "be built to attack the service). Nothing was imported.");
	}
}

/* Whether r is the child's own failure rather than its word on the bundle. */
static bool
checker_code(int r)
{
	return r == -ECANCELED || r == -EBUSY || r == -ENOEXEC || r == -ETIMEDOUT || r == -ECHILD ||
	       r == -EPROTO;
}

static void
import_job_free(struct import_job *job)
{
	if (job->fd >= 0)
		close(job->fd);
	if (job->head_fd >= 0)
		close(job->head_fd);
	if (job->memfd >= 0)
		close(job->memfd);
	parser_close(job->checker);
	moves_trusted_release(&job->trusted);
	free(job->data);
	bundle_head_clear(&job->head);
	bundle_buffer_free(job->text, job->text_len);
	json_decref(job->doc);
	free(job);
}

/* Ends the import: the call answered (or the record applied), everything let go. */
static void
import_finish(struct import_job *job)
{
	job->moves->import = NULL;
	if (job->r < 0)
		call_fail(job->call, job->error, job->message, NULL);
	else
		import_apply(job->call, job);
	import_job_free(job);
}

/* Runs the next step in the thread pool; false (the import finished) when it cannot. */
static bool
queue_step(struct import_job *job, uv_work_cb work, uv_after_work_cb after)
{
	if (uv_queue_work(job->call->server->loop, &job->req, work, after) == 0)
		return true;
	job_fail(job, PROTO_ERR_INTERNAL, "The bundle cannot be read just now. Try again.");
	import_finish(job);
	return false;
}

/* Whether a step back from the thread pool may go on; else the import is finished. */
static bool
step_back(struct import_job *job, int status)
{
	if (status < 0 || job->moves->draining)
		job_fail(job, PROTO_ERR_BUSY,
		         "The service is stopping. Try again when it is back.");
	if (job->r == 0)
		return true;
	import_finish(job);
	return false;
}

/* ---- 6 and 7: the child's canonical record parsed here, then applied ------------------ */

static void
on_load(uv_work_t *req)
{
	struct import_job *job = req->data;

	/* The same bounds as the child's: its answer is believed no further than a payload. */
	if (record_parse(job->text, job->text_len, &job->doc, job->message, sizeof(job->message)) <
	    0)
		job->lied = true;
	bundle_buffer_free(job->text, job->text_len);
	job->text = NULL;
	job->text_len = 0;
}

static void
on_loaded(uv_work_t *req, int status)
{
	struct import_job *job = req->data;

	if (job->lied)
		not_believed(job, "its record");
	if (step_back(job, status))
		import_finish(job);
}

/* ---- 5: the child's reading of the record ---------------------------------------------- */

static void
on_record(void *userdata, int r, const struct parser_reply *reply, const char *message)
{
	struct import_job *job = userdata;
	json_t *length = reply ? json_object_get(reply->json, "length") : NULL;

	if (r == -EMSGSIZE || r == -EBADMSG) {
		/* The record refused, in the words record_parse() has always used. */
		job_fail(job, PROTO_ERR_INVALID_PARAMETER, "%s", message);
	} else if (r < 0 && !checker_code(r)) {
		job_fail(job, PROTO_ERR_INVALID_PARAMETER,
		         "The bundle's record could not be read (error %d), so nothing was "
		         "imported. Try again; if it happens again, report it.",
		         -r);
	} else if (r < 0) {
		checker_failed(job, r, message);
	} else if (!json_is_integer(length) || reply->raw_len < 2 ||
	           (uint64_t)json_integer_value(length) != reply->raw_len ||
	           reply->raw_len > RECORD_PAYLOAD_MAX) {
		checker_failed(job, -EPROTO, "a record of the wrong length");
	} else if (!(job->text = malloc(reply->raw_len))) {
		checker_failed(job, -ENOMEM, "");
	} else {
		memcpy(job->text, reply->raw, reply->raw_len);
		job->text_len = reply->raw_len;
	}
	/* Its work is done: the child that read this bundle reads nothing else. */
	parser_close(job->checker);
	job->checker = NULL;
	if (job->r < 0)
		import_finish(job);
	else
		(void)queue_step(job, on_load, on_loaded);
}

/* ---- 4: the bundle opened here, with the child's header --------------------------------- */

/* The plaintext in a sealed memfd for the child: in memory only, and fixed once sealed. */
static int
payload_memfd(const void *payload, size_t len, int *ret_fd)
{
	int fd = memfd_create("onward-record", MFD_CLOEXEC | MFD_ALLOW_SEALING), r;

	if (fd < 0)
		return -errno;
	r = bundlefile_write_all(fd, payload, len);
	if (r == 0 &&
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		r = -errno;
	if (r < 0) {
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

static void
on_open(uv_work_t *req)
{
	struct import_job *job = req->data;
	struct bundle_error berr = {0};
	struct bundle_info peek;
	void *payload = NULL;
	size_t payload_len = 0;
	int r;

	r = bundle_open_head(job->me, (const struct bundle_cert *const *)job->trusted.certs,
	                     job->trusted.n, &job->head, job->data, job->len, job->now, &payload,
	                     &payload_len, &job->info, &berr);
	free(job->data);
	job->data = NULL;
	if (r == -ESTALE) {
		/* The bytes read here are not the ones the child read its header from: the file
		 * changed in between, or the child was misled. */
		job_fail(job, PROTO_ERR_INVALID_PARAMETER,
		         "%s changed while it was being checked, so nothing was imported. Wait "
		         "until it is complete, then try again.",
		         job->shown);
		return;
	}
	if (r == -EINVAL) {
		/* A header no bundle can have: the child said what it did not read. */
		job->lied = true;
		snprintf(job->message, sizeof(job->message), "%s", berr.message);
		return;
	}
	if (r < 0) {
		if (!berr.code)
			berr.code = r;
		bundle_head_info(&job->head, &peek);
		word_refusal(job, &berr, &peek);
		job->error = PROTO_ERR_PERMISSION_DENIED;
		job->r = r;
		return;
	}
	r = payload_memfd(payload, payload_len, &job->memfd);
	bundle_buffer_free(payload, payload_len);
	if (r < 0)
		job_fail(job, PROTO_ERR_BUSY,
		         "The bundle's record cannot be passed on for checking just now (system "
		         "error %d). Try again.",
		         -r);
}

static void
on_opened(uv_work_t *req, int status)
{
	struct import_job *job = req->data;
	int fd = job->memfd, r;

	if (job->lied)
		not_believed(job, "its header");
	if (!step_back(job, status))
		return;
	job->memfd = -1; /* parser_call takes it, whatever happens */
	r = parser_call(job->checker, "bundle.record", json_object(), fd, RECORD_TIMEOUT_MS, NULL,
	                on_record, job);
	if (r < 0) {
		checker_failed(job, r, "");
		import_finish(job);
	}
}

/* ---- 3: the child's reading of the header ----------------------------------------------- */

/* An integer member from 0 to max. */
static bool
member_uint(json_t *in, const char *key, uint64_t max, uint64_t *ret)
{
	json_t *v = json_object_get(in, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return false;
	*ret = (uint64_t)json_integer_value(v);
	return true;
}

static bool
member_hex(json_t *in, const char *key, void *out, size_t len)
{
	const char *text = json_string_value(json_object_get(in, key));

	return text && crypto_hex_decode(text, out, len) == 0;
}

/*
 * The child's header as struct bundle_head, its certificate parsed again from its
 * canonical JSON (lib/bundle). Only the shape is checked here: bundle_open_head() holds
 * every claim against the bytes before any of it is believed.
 */
static bool
head_from_reply(json_t *in, struct bundle_head *h)
{
	const char *code = json_string_value(json_object_get(in, "recipient_code"));
	json_t *sender = json_object_get(in, "sender");
	uint64_t version, cert_len, header_len, created, payload_len, bundle_len;

	if (!member_uint(in, "version", UINT16_MAX, &version) ||
	    !member_uint(in, "cert_len", BUNDLE_HEAD_MAX, &cert_len) ||
	    !member_uint(in, "header_len", BUNDLE_HEAD_MAX, &header_len) ||
	    !member_uint(in, "created_at", INT64_MAX, &created) ||
	    !member_uint(in, "payload_len", BUNDLE_PAYLOAD_MAX, &payload_len) ||
	    !member_uint(in, "bundle_len", UINT64_MAX >> 1, &bundle_len) ||
	    !member_hex(in, "id", h->id, sizeof(h->id)) ||
	    !member_hex(in, "sender_fp", h->sender_fp, sizeof(h->sender_fp)) ||
	    !member_hex(in, "recipient_fp", h->recipient_fp, sizeof(h->recipient_fp)) ||
	    !member_hex(in, "ephemeral", h->ephemeral, sizeof(h->ephemeral)) || !code ||
	    strlen(code) != BUNDLE_CODE_MAX - 1 || !json_is_string(sender) ||
	    json_string_length(sender) > BUNDLE_HEAD_MAX)
		return false;
	h->version = (unsigned)version;
	h->cert_len = (size_t)cert_len;
	h->header_len = (size_t)header_len;
	h->created_at = (int64_t)created;
	h->payload_len = payload_len;
	h->bundle_len = bundle_len;
	memcpy(h->recipient_code, code, BUNDLE_CODE_MAX);
	return bundle_cert_parse(json_string_value(sender), json_string_length(sender), &h->sender,
	                         NULL) == 0;
}

static void
on_head(void *userdata, int r, const struct parser_reply *reply, const char *message)
{
	struct import_job *job = userdata;
	struct bundle_error berr = {0};

	if (r < 0 && checker_code(r)) {
		checker_failed(job, r, message);
	} else if (r < 0) {
		/* No header a bundle can have: the bundle library's code, as the daemon worded
		 * it when it read headers itself (it had no header to quote then either). */
		berr.code = r;
		word_refusal(job, &berr, NULL);
		job->error = PROTO_ERR_PERMISSION_DENIED;
		job->r = r;
	} else if (!head_from_reply(reply->json, &job->head)) {
		checker_failed(job, -EPROTO, "a header of the wrong shape");
	}
	if (job->r < 0)
		import_finish(job);
	else
		(void)queue_step(job, on_open, on_opened);
}

/* ---- 2: the file read; then the child is asked for its header --------------------------- */

static void
on_read(uv_work_t *req)
{
	struct import_job *job = req->data;
	int r = bundlefile_read(job->fd, job->size, job->shown, &job->data, &job->len, job->message,
	                        sizeof(job->message));

	job->fd = -1;
	if (r < 0) {
		job->error = PROTO_ERR_INVALID_PARAMETER;
		job->r = r;
	}
}

static void
on_read_done(uv_work_t *req, int status)
{
	struct import_job *job = req->data;
	int fd = job->head_fd, r;

	if (!step_back(job, status))
		return;
	job->head_fd = -1; /* parser_call takes it, whatever happens */
	r = parser_new(job->call->server, "import", &job->checker);
	if (r == 0)
		r = parser_call(job->checker, "bundle.head", json_object(), fd, HEAD_TIMEOUT_MS,
		                NULL, on_head, job);
	else
		close(fd);
	if (r < 0) {
		checker_failed(job, r, "");
		import_finish(job);
	}
}

/* ---- 1: the call ---------------------------------------------------------------------- */

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
	if (m->import) {
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
	job->fd = job->head_fd = job->memfd = -1;
	if (bundlefile_open(path, PERSON_BUNDLE_FILE_MAX, &job->fd, &job->size, err, sizeof(err)) <
	    0) {
		free(job);
		call_fail_param(c, "path", err);
		return;
	}
	/* The child reads the header from the same open file: the path is never opened twice. */
	job->head_fd = fcntl(job->fd, F_DUPFD_CLOEXEC, 0);
	if (job->head_fd < 0) {
		close(job->fd);
		free(job);
		call_fail(c, PROTO_ERR_BUSY, "The bundle cannot be read just now. Try again.",
		          NULL);
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
	m->import = job;
	(void)queue_step(job, on_read, on_read_done);
}

void
moves_import_drain(struct moves *m)
{
	struct import_job *job = m->import;

	m->draining = true;
	/* A call waiting on the child is answered now ("stopping"); one in the thread pool is
	 * when its step comes back. */
	if (job && job->checker) {
		struct parser *p = job->checker;

		job->checker = NULL;
		parser_close(p);
	}
}

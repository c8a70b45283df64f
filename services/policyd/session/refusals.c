/*
 * Refused logins are counted, not listed. One connection can send thousands of wrong PINs
 * a second for a locked number (each refused without a PIN check); one audit row each
 * would fill the store. So each refusal adds one to a row in the store's refusals_pending
 * table, one row per (prison number, action, error), and every refusal_audit_seconds such
 * a row becomes one audit row: "onward.LoginFailed 2,000 times between T1 and T2", with
 * the last words said and who was refused last. A right PIN writes the person's counted
 * refusals first, so the chain reads in order. Nothing is lost: the count is exact and
 * lives in the store, so a killed daemon writes it at its next start.
 *
 * The store cannot be flooded by varying the prison number either: at most
 * REFUSALS_MAX_ROWS rows are counted apart; refusals beyond them are counted together
 * under subject "person:*". So at most REFUSALS_MAX_ROWS + a few audit rows a minute come
 * from refused logins, however many there are.
 */
#include "session_int.h"

#include "clock.h"
#include "log.h"
#include "timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REFUSALS_MAX_ROWS 64
#define REFUSALS_TICK_MS 1000
#define REFUSALS_SUBJECT_MANY "person:*"

static void on_refusals_tick(uv_timer_t *timer);

int
refusals_count(struct call *c, const char *error, const char *message)
{
	struct server *srv = c->server;
	struct session_state *st = session_state(srv);
	struct store_refusal f = {0};
	int64_t now = clock_now();
	int r;

	snprintf(f.subject, sizeof(f.subject), "%s", c->subject);
	snprintf(f.action, sizeof(f.action), "%s", c->method->action);
	snprintf(f.error, sizeof(f.error), "%s", error);
	snprintf(f.outcome, sizeof(f.outcome), "%s",
	         strcmp(error, PROTO_ERR_PERMISSION_DENIED) == 0 ? "refused" : "failed");
	snprintf(f.actor, sizeof(f.actor), "%s", c->actor);
	snprintf(f.message, sizeof(f.message), "%s", message);
	r = store_refusal_count(srv->store, &f, now, REFUSALS_MAX_ROWS);
	if (r == -ENOSPC) {
		snprintf(f.subject, sizeof(f.subject), REFUSALS_SUBJECT_MANY);
		r = store_refusal_count(srv->store, &f, now, REFUSALS_MAX_ROWS + 1000);
	}
	if (r < 0) {
		log_error("refusals: cannot count a refused %s: %s", c->method->action,
		          store_last_error(srv->store));
		return r;
	}
	if (st->timer_open && !uv_is_active((uv_handle_t *)&st->refusals_timer))
		uv_timer_start(&st->refusals_timer, on_refusals_tick, REFUSALS_TICK_MS,
		               REFUSALS_TICK_MS);
	return 0;
}

/* The rows to write, copied out before writing (the list's statement must not run over
 * rows being deleted). */
struct refusal_batch {
	struct store_refusal rows[REFUSALS_MAX_ROWS + 8];
	size_t n;
};

static int
add_to_batch(const struct store_refusal *f, void *userdata)
{
	struct refusal_batch *b = userdata;

	if (b->n == sizeof(b->rows) / sizeof(b->rows[0]))
		return 1; /* the rest wait for the next turn */
	b->rows[b->n++] = *f;
	return 0;
}

/* Appends one audit row for a counted refusal and forgets it. */
static int
refusal_write(struct server *srv, const struct store_refusal *f)
{
	char first[32], last[32], *detail;
	json_t *j;
	int r;

	time_format_utc(f->first_at, first, sizeof(first));
	time_format_utc(f->last_at, last, sizeof(last));
	j = json_pack("{s:s, s:s, s:I, s:s, s:s}", "error", f->error, "message", f->message,
	              "count", (json_int_t)f->count, "first", first, "last", last);
	detail = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (!detail)
		return -ENOMEM;
	r = store_audit_append(srv->store, clock_now(), f->actor, f->subject, f->action, f->outcome,
	                       detail, NULL);
	free(detail);
	if (r == 0)
		r = store_refusal_delete(srv->store, f);
	return r;
}

/* Writes the rows counted for subject (NULL: any) whose first refusal is at or before
 * first_before, in the caller's transaction; ret_more says whether rows are left. */
static int
refusals_write(struct server *srv, const char *subject, int64_t first_before, bool *ret_more)
{
	struct refusal_batch *b = calloc(1, sizeof(*b));
	int r;

	if (!b)
		return -ENOMEM;
	r = store_refusal_list(srv->store, subject, first_before, add_to_batch, b);
	if (r > 0)
		r = 0;
	for (size_t i = 0; r == 0 && i < b->n; i++)
		r = refusal_write(srv, &b->rows[i]);
	if (r == 0 && ret_more)
		*ret_more = b->n == sizeof(b->rows) / sizeof(b->rows[0]);
	free(b);
	return r;
}

int
refusals_flush_subject(struct server *srv, const char *subject)
{
	return refusals_write(srv, subject, INT64_MAX, NULL);
}

/* Writes what is due (or everything) in a transaction of its own; true when rows are
 * still counted afterwards, so the timer keeps going. */
static bool
refusals_flush(struct server *srv, bool everything)
{
	int64_t before = everything ? INT64_MAX : clock_now() - srv->config.refusal_audit_seconds;
	int64_t rows = 0;
	bool more = true;
	int r;

	while (more) {
		more = false;
		r = store_begin(srv->store);
		if (r == 0) {
			r = refusals_write(srv, NULL, before, &more);
			if (r == 0)
				r = store_commit(srv->store);
			else
				store_rollback(srv->store);
		}
		if (r < 0) {
			log_error("refusals: cannot write counted refusals to the audit chain: %s",
			          store_last_error(srv->store));
			return true;
		}
	}
	return store_refusal_rows(srv->store, &rows) < 0 || rows > 0;
}

static void
on_refusals_tick(uv_timer_t *timer)
{
	struct session_state *st = timer->data;

	if (!refusals_flush(st->srv, false))
		uv_timer_stop(timer);
}

int
refusals_start(struct server *srv, struct session_state *st, char *err, size_t size)
{
	int64_t rows = 0;

	/* Refusals counted before a crash are written now, with the times they happened. */
	if (refusals_flush(srv, true) && store_refusal_rows(srv->store, &rows) < 0) {
		snprintf(err, size, "the counted refusals cannot be read (%s)",
		         store_last_error(srv->store));
		return -EIO;
	}
	/* Last, so that a failed start leaves no handle behind. */
	uv_timer_init(srv->loop, &st->refusals_timer);
	st->refusals_timer.data = st;
	st->timer_open = true;
	return 0;
}

void
refusals_drain(struct server *srv, struct session_state *st)
{
	if (!st->timer_open)
		return;
	(void)refusals_flush(srv, true);
	uv_close((uv_handle_t *)&st->refusals_timer, NULL);
	st->timer_open = false;
}

/*
 * Wrong PINs and the lock they set, and the same answers for prison numbers nobody has.
 *
 * The curve (config.h): after lockout_failures wrong PINs the number is locked for
 * lockout_seconds; each further wrong PIN locks it for twice as long as the one before,
 * never longer than lockout_max_seconds (an hour by default: slow enough to guess a
 * 6-digit PIN in no useful time, short enough that a stranger who knows someone's prison
 * number cannot keep them out for a day at a time). Wrong PINs decay: once
 * lockout_window_seconds have passed since both the last wrong PIN and the end of the last
 * lock, the count starts again from nothing. A person's count is kept in the store and
 * counted in SQL (store_person_count_failure), so PIN checks finishing in any order can
 * never lose one.
 *
 * A prison number nobody has gets the same answers: the same "2 tries left", the same lock
 * for the same time, and the same fast refusal while locked. Its count is kept here in
 * memory, STRANGERS_MAX numbers at most, by the same rule. What this cannot hide, and
 * costs a prober dearly to see: a restart forgets these counts, and so does a flood of
 * more than STRANGERS_MAX other unknown numbers within a window (each a full PIN check).
 *
 * Only one PIN check per prison number runs at a time (lockout_check_begin); a login for
 * the same number meanwhile is refused with onward.Busy. A wave of PINs sent at once for
 * one number is then one check and a wave of cheap refusals, and a right PIN can never be
 * checked alongside wrong ones that are about to lock the number.
 */
#include "session_int.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRANGERS_MAX 4096

int64_t
lockout_seconds(const struct config *cfg, int failures)
{
	int64_t seconds = cfg->lockout_seconds;

	if (failures < (int)cfg->lockout_failures)
		return 0;
	for (int i = (int)cfg->lockout_failures; i < failures && seconds < cfg->lockout_max_seconds;
	     i++)
		seconds *= 2;
	return seconds < cfg->lockout_max_seconds ? seconds : cfg->lockout_max_seconds;
}

/* When the number's wrong PINs stop counting: a window after the last and the lock's end. */
static int64_t
decays_at(const struct config *cfg, int64_t failed_at, int64_t locked_until)
{
	return (failed_at > locked_until ? failed_at : locked_until) + cfg->lockout_window_seconds;
}

static struct stranger *
stranger_find(struct session_state *st, const char *number)
{
	for (size_t i = 0; i < STRANGERS_MAX; i++)
		if (strcmp(st->strangers[i].number, number) == 0)
			return &st->strangers[i];
	return NULL;
}

/* A place for a new unknown number: a free one, else the one whose count decays first. */
static struct stranger *
stranger_add(struct session_state *st, const char *number)
{
	const struct config *cfg = &st->srv->config;
	struct stranger *best = &st->strangers[0];

	for (size_t i = 0; i < STRANGERS_MAX; i++) {
		struct stranger *s = &st->strangers[i];

		if (!s->number[0]) {
			best = s;
			break;
		}
		if (decays_at(cfg, s->failed_at, s->locked_until) <
		    decays_at(cfg, best->failed_at, best->locked_until))
			best = s;
	}
	*best = (struct stranger){0};
	snprintf(best->number, sizeof(best->number), "%s", number);
	return best;
}

int64_t
lockout_remaining(struct server *srv, const char *number, const struct store_person *person,
                  int64_t now)
{
	const struct stranger *s;
	int64_t until;

	if (person) {
		until = person->locked_until;
	} else {
		s = stranger_find(session_state(srv), number);
		until = s ? s->locked_until : 0;
	}
	return until > now ? until - now : 0;
}

int
lockout_count_failure(struct server *srv, const char *number, int64_t person_id, int64_t now,
                      struct lockout *ret)
{
	const struct config *cfg = &srv->config;
	struct session_state *st = session_state(srv);
	struct lockout lo = {0};
	int r = 0;

	if (person_id) {
		r = store_person_count_failure(srv->store, person_id, now,
		                               cfg->lockout_window_seconds, &lo.failures);
		lo.locked_for = r == 0 ? lockout_seconds(cfg, lo.failures) : 0;
		if (lo.locked_for)
			r = store_person_set_lock(srv->store, person_id, now + lo.locked_for);
	} else {
		struct stranger *s = stranger_find(st, number);

		if (!s)
			s = stranger_add(st, number);
		/* The rule store_person_count_failure applies in SQL. */
		s->failures =
		        now >= decays_at(cfg, s->failed_at, s->locked_until) ? 1 : s->failures + 1;
		s->failed_at = now;
		lo.failures = s->failures;
		lo.locked_for = lockout_seconds(cfg, s->failures);
		if (lo.locked_for)
			s->locked_until = now + lo.locked_for;
	}
	if (r < 0)
		return r;
	if (!lo.locked_for && (int)cfg->lockout_failures - lo.failures <= 2)
		lo.tries_left = (int)cfg->lockout_failures - lo.failures;
	*ret = lo;
	return 0;
}

/* "5 minutes", "1 hour", "40 seconds": a wait in words. */
static void
describe_wait(int64_t seconds, char *buf, size_t size)
{
	if (seconds >= 7200)
		snprintf(buf, size, "%lld hours", (long long)((seconds + 3599) / 3600));
	else if (seconds > 120)
		snprintf(buf, size, "%lld minutes", (long long)((seconds + 59) / 60));
	else
		snprintf(buf, size, "%lld %s", (long long)seconds,
		         seconds == 1 ? "second" : "seconds");
}

void
session_refuse_locked(struct call *c, int64_t seconds)
{
	char wait[32], message[160];

	describe_wait(seconds, wait, sizeof(wait));
	snprintf(message, sizeof(message), "Too many wrong PINs. Try again in %s.", wait);
	session_refuse(c, PROTO_ERR_ACCOUNT_LOCKED, message,
	               json_pack("{s:I}", "seconds", (json_int_t)seconds));
}

void
lockout_words(const struct lockout *lo, const char *wrong, const char **ret_error,
              char *ret_message, size_t size, json_t **ret_extra)
{
	char wait[32];

	if (lo->locked_for) {
		describe_wait(lo->locked_for, wait, sizeof(wait));
		snprintf(ret_message, size, "Too many wrong PINs. Try again in %s.", wait);
		*ret_error = PROTO_ERR_ACCOUNT_LOCKED;
		*ret_extra = json_pack("{s:I}", "seconds", (json_int_t)lo->locked_for);
		return;
	}
	*ret_error = PROTO_ERR_LOGIN_FAILED;
	*ret_extra = NULL;
	if (lo->tries_left > 0) {
		snprintf(ret_message, size, "%s %d %s left before a pause.", wrong, lo->tries_left,
		         lo->tries_left == 1 ? "try" : "tries");
		*ret_extra = json_pack("{s:i}", "tries_left", lo->tries_left);
	} else {
		snprintf(ret_message, size, "%s", wrong);
	}
}

bool
lockout_check_begin(struct server *srv, const char *number)
{
	struct session_state *st = session_state(srv);

	for (size_t i = 0; i < st->n_checking; i++)
		if (strcmp(st->checking[i], number) == 0)
			return false;
	/* Each connection has at most one call running, so this never fills; if it did,
	 * refusing is the safe side. */
	if (st->n_checking == st->max_checking)
		return false;
	snprintf(st->checking[st->n_checking++], sizeof(st->checking[0]), "%s", number);
	return true;
}

void
lockout_check_end(struct server *srv, const char *number)
{
	struct session_state *st = session_state(srv);

	for (size_t i = 0; i < st->n_checking; i++) {
		if (strcmp(st->checking[i], number) == 0) {
			memcpy(st->checking[i], st->checking[--st->n_checking],
			       sizeof(st->checking[0]));
			return;
		}
	}
	log_error("lockout: no PIN check was running for %s", number);
}

int
lockout_start(struct server *srv, struct session_state *st)
{
	st->strangers = calloc(STRANGERS_MAX, sizeof(*st->strangers));
	st->max_checking = (size_t)srv->config.max_control_peers + srv->config.max_sessions;
	st->checking = calloc(st->max_checking, sizeof(*st->checking));
	if (!st->strangers || !st->checking)
		return -ENOMEM;
	return 0;
}

void
lockout_stop(struct session_state *st)
{
	free(st->strangers);
	free(st->checking);
}

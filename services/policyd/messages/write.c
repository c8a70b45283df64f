/*
 * The write path for new thread items, and the messaging module's own timers. A message
 * is acknowledged only once it is durable (WAL, synchronous=FULL), and one fsync per
 * message would cap the rate at what the disk does; so by default writes are grouped:
 * message_write() parks the call, and an idle handle, which runs on the loop's next turn
 * before it waits again, stores every parked message in one transaction (each with its
 * audit row), commits once, then answers each call. Messages arriving while a commit
 * runs are therefore grouped into the next one, with no timer and no added wait when
 * the daemon is quiet. Staff can turn grouping off (onwardctl message settings
 * --group-commit off): each message then commits on its own.
 *
 * The area starts with the daemon (messages_start, area.c): it loads the word list and
 * settings, runs retention at once and then every hour.
 */
#include "messages_int.h"

#include "clock.h"
#include "log.h"
#include "timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RETENTION_EVERY_MS (60 * 60 * 1000)

struct message_pending {
	struct call *call; /* parked until its group commits */
	struct store_message message; /* owned copy; its id is set on insert */
	json_t *detail; /* owned: the audit row's detail */
	json_t *(*view)(const struct store_message *m);
	struct message_pending *next;
};

int
message_written_today(struct server *srv, int64_t person_id, int64_t *ret_count)
{
	struct messages *mod = messages_of(srv);
	int64_t day = message_day_start(clock_now()), count = 0;
	unsigned slot;
	int r;

	for (slot = 0; slot < MESSAGE_WRITTEN_SLOTS; slot++)
		if (mod->written[slot].person_id == person_id && mod->written[slot].day == day) {
			*ret_count =
			        mod->written[slot].count + message_pending_written(srv, person_id);
			return 0;
		}
	r = store_message_count_written(srv->store, person_id, day, &count);
	if (r < 0)
		return r;
	slot = mod->written_next++ % MESSAGE_WRITTEN_SLOTS;
	mod->written[slot].person_id = person_id;
	mod->written[slot].day = day;
	mod->written[slot].count = count;
	*ret_count = count + message_pending_written(srv, person_id);
	return 0;
}

void
message_written_add(struct server *srv, int64_t person_id)
{
	struct messages *mod = messages_of(srv);
	int64_t day = message_day_start(clock_now());

	for (unsigned slot = 0; slot < MESSAGE_WRITTEN_SLOTS; slot++)
		if (mod->written[slot].person_id == person_id && mod->written[slot].day == day)
			mod->written[slot].count++;
}

int64_t
message_pending_written(struct server *srv, int64_t person_id)
{
	int64_t n = 0;

	for (const struct message_pending *p = messages_of(srv)->head; p; p = p->next)
		if (p->message.person_id == person_id && strcmp(p->message.direction, "out") == 0)
			n++;
	return n;
}

int64_t
message_pending_sent(struct server *srv, int64_t person_id)
{
	int64_t n = 0;

	for (const struct message_pending *p = messages_of(srv)->head; p; p = p->next)
		if (p->message.person_id == person_id && p->message.contact_id > 0 &&
		    strcmp(p->message.kind, "message") == 0 &&
		    strcmp(p->message.direction, "out") == 0)
			n++;
	return n;
}

static void
pending_free(struct message_pending *p)
{
	json_decref(p->detail);
	free(p);
}

/* Inserts one parked message and its audit row, inside the caller's transaction. */
static int
store_one(struct message_pending *p)
{
	int64_t id = 0;
	int r = store_message_insert(p->call->server->store, &p->message, &id);

	if (r < 0)
		return r;
	p->message.id = id;
	json_object_set_new(p->detail, "message", json_integer(id));
	r = call_audit(p->call, "ok", p->detail);
	p->detail = NULL; /* call_audit took it */
	return r;
}

/* Answers a parked call once its group is (or is not) durable, and frees it. */
static void
answer(struct message_pending *p, int r)
{
	if (r == 0 && strcmp(p->message.direction, "out") == 0)
		message_written_add(p->call->server, p->message.person_id);
	if (r < 0)
		call_fail_store(p->call, r, "message");
	else
		call_reply(p->call, json_pack("{s:o}", "message", p->view(&p->message)));
	pending_free(p);
}

static void
on_flush(uv_idle_t *idle)
{
	struct messages *mod = idle->data;
	struct server *srv = mod->srv;
	struct message_pending *group = mod->head, *p, *next;
	unsigned n = 0;
	int r;

	mod->head = NULL;
	mod->tail = &mod->head;
	uv_idle_stop(idle);
	if (!group)
		return;
	r = store_begin(srv->store);
	for (p = group; p && r == 0; p = p->next, n++)
		r = store_one(p);
	if (r == 0)
		r = store_commit(srv->store);
	else
		store_rollback(srv->store);
	if (r < 0)
		log_error("messages: a group of %u could not be stored: %s (%s)", n, strerror(-r),
		          store_last_error(srv->store));
	/* Answering resumes each peer, which may park new messages for the next group. */
	for (p = group; p; p = next) {
		next = p->next;
		answer(p, r);
	}
}

void
message_write(struct call *c, const struct store_message *m, json_t *detail,
              json_t *(*view)(const struct store_message *m))
{
	struct messages *mod = messages_of(c->server);
	struct message_pending *p = calloc(1, sizeof(*p));
	int r;

	if (!p || !detail) {
		free(p);
		json_decref(detail);
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory. Try again.", NULL);
		return;
	}
	p->call = c;
	p->message = *m;
	p->detail = detail;
	p->view = view;
	if (mod->group_commit) {
		call_pause(c);
		*mod->tail = p;
		mod->tail = &p->next;
		if (!uv_is_active((uv_handle_t *)&mod->flush))
			uv_idle_start(&mod->flush, on_flush);
		return;
	}
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_one(p);
	r = call_end_transaction(c, r);
	answer(p, r);
}

int
message_expire_now(struct server *srv, int64_t *ret_count)
{
	int64_t count = 0;
	int r = store_begin(srv->store);

	if (r == 0)
		r = store_message_expire(srv->store, clock_now(), MESSAGE_RETENTION_DAYS, &count);
	if (r == 0 && count > 0) {
		char detail[64];

		snprintf(detail, sizeof(detail), "{\"deleted\":%lld}", (long long)count);
		r = store_audit_append(srv->store, clock_now(), "system", "", "message.expire",
		                       "ok", detail, NULL);
	}
	if (r == 0)
		r = store_commit(srv->store);
	else
		store_rollback(srv->store);
	if (r == 0)
		*ret_count = count;
	return r;
}

static void
on_retention(uv_timer_t *timer)
{
	struct messages *mod = timer->data;
	int64_t count = 0;
	int r = message_expire_now(mod->srv, &count);

	if (r < 0)
		log_error("messages: retention could not run: %s (%s)", strerror(-r),
		          store_last_error(mod->srv->store));
	else if (count > 0)
		log_info("messages: retention deleted %lld old rows", (long long)count);
}

int
messages_start(struct server *srv, void **ret_state, char *err, size_t size)
{
	struct messages *mod = calloc(1, sizeof(*mod));
	int64_t group = 1;
	int r;

	if (!mod)
		return -ENOMEM;
	*ret_state = mod;
	mod->srv = srv;
	mod->tail = &mod->head;
	r = store_message_setting_get(srv->store, "group_commit", &group);
	mod->group_commit = r < 0 || group != 0;
	mod->daily_max = MESSAGE_DAILY_MAX;
	if (r == 0 || r == -ENOENT)
		r = store_message_setting_get(srv->store, "daily_max", &mod->daily_max);
	if (r < 0 && r != -ENOENT) {
		snprintf(err, size, "the message settings cannot be read (%s)",
		         store_last_error(srv->store));
		return r;
	}
	r = message_words_reload(srv);
	if (r < 0) {
		snprintf(err, size, "the word list cannot be read (%s)",
		         store_last_error(srv->store));
		return r;
	}
	uv_idle_init(srv->loop, &mod->flush);
	uv_timer_init(srv->loop, &mod->retention);
	mod->flush.data = mod->retention.data = mod;
	mod->handles = true;
	uv_unref((uv_handle_t *)&mod->retention);
	/* Old messages go before anyone can read them after a restart. */
	on_retention(&mod->retention);
	uv_timer_start(&mod->retention, on_retention, RETENTION_EVERY_MS, RETENTION_EVERY_MS);
	/* Messages that waited for messaging to open go as soon as it is open. */
	return message_queue_start(srv, mod);
}

void
messages_drain(struct server *srv, void *state)
{
	struct messages *mod = state;

	if (!mod || !mod->handles)
		return;
	/* Messages parked for the next group are stored and answered now, not dropped. */
	on_flush(&mod->flush);
	uv_close((uv_handle_t *)&mod->flush, NULL);
	uv_close((uv_handle_t *)&mod->retention, NULL);
	uv_close((uv_handle_t *)&mod->queue, NULL);
}

void
messages_stop(struct server *srv, void *state)
{
	/* The handles were closed by messages_drain and the loop has ended. */
	free(state);
}

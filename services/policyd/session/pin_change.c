/*
 * onward.Session.ChangePin: a person chooses their own PIN. Staff issue a PIN when they add
 * a person or reset one, and see it; so at the first login with it (session.c) the person
 * must choose their own before anything else, and they can change it again whenever they
 * like (Settings, "Change my PIN"). Staff can still reset it.
 *
 * Changing needs the PIN they have now (old_pin), checked like a login: wrong ones count
 * towards the same lock. Choosing the first one does not (they have just typed it), but
 * the new PIN may not be the one staff gave. A new PIN is 6 to 8 numbers (logging in still
 * takes the 4 to 8 of PINs issued before), and not one that is easy to guess: the same
 * number again and again, numbers in a row up or down, a short pattern repeated, one of the
 * PINs people try first, or the numbers of the person's own prison number. Each refusal
 * says why, with a word for the shell (`reason`) so it can say it in Welsh too.
 */
#include "session_int.h"

#include "clock.h"
#include "crypto.h"
#include "log.h"
#include "pinwork.h"
#include "render.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEW_PIN_MIN 6
#define NEW_PIN_MAX 8
#define WRONG_OLD_PIN "That is not the PIN you have now."

/* PINs people try first that no rule below catches (lists of leaked PINs). */
static const char *const common_pins[] = {
        "112233", "111222",   "123321",   "321123",   "147258",   "258369",   "369258", "789456",
        "456123", "159753",   "159357",   "102030",   "123654",   "147852",   "741852", "963852",
        "753951", "11223344", "12344321", "11112222", "19691969", "20202020", NULL,
};

/* Each digit one more (or one less) than the one before, going round after 9. */
static bool
is_run(const char *pin, int step)
{
	for (size_t i = 1; pin[i]; i++)
		if ((pin[i - 1] - '0' + step + 10) % 10 != pin[i] - '0')
			return false;
	return true;
}

/* The first `period` digits again and again (period 1: one digit over and over). */
static bool
is_repeat(const char *pin, size_t period)
{
	size_t n = strlen(pin);

	if (period >= n)
		return false;
	for (size_t i = period; i < n; i++)
		if (pin[i] != pin[i - period])
			return false;
	return true;
}

const char *
pin_change_weakness(const char *pin, const char *number, const char **ret_code)
{
	size_t n = strlen(pin);
	char digits[8] = "";
	size_t k = 0;

	*ret_code = "length";
	if (n < NEW_PIN_MIN || n > NEW_PIN_MAX || strspn(pin, "0123456789") != n)
		return "A new PIN is 6 to 8 numbers.";
	*ret_code = "same_digits";
	if (is_repeat(pin, 1))
		return "Do not use the same number again and again.";
	*ret_code = "sequence";
	if (is_run(pin, 1) || is_run(pin, -1))
		return "Do not use numbers in a row, like 123456.";
	*ret_code = "pattern";
	for (size_t period = 2; period <= n / 2; period++)
		if (is_repeat(pin, period))
			return "Do not repeat a short pattern, like 121212.";
	*ret_code = "common";
	for (size_t i = 0; common_pins[i]; i++)
		if (strcmp(pin, common_pins[i]) == 0)
			return "Lots of people use that PIN. Choose another.";
	/* A1234BC: "1234" is known to anyone who knows the number. */
	for (const char *d = number; *d && k + 1 < sizeof(digits); d++)
		if (*d >= '0' && *d <= '9')
			digits[k++] = *d;
	*ret_code = "prison_number";
	if (k >= 4 && strstr(pin, digits))
		return "Do not use the numbers in your prison number.";
	*ret_code = NULL;
	return NULL;
}

struct pin_change {
	struct store_person person;
	bool first; /* choosing the first PIN: no session yet */
	bool old_given; /* old_pin was checked, not new_pin */
	char new_pin[16];
	char stored[PIN_HASH_MAX]; /* the hash as it was when the change began */
	char new_hash[PIN_HASH_MAX];
};

static void
pin_change_free(struct pin_change *pc)
{
	crypto_wipe(pc, sizeof(*pc));
	free(pc);
}

static void
refuse_weak(struct call *c, const char *param, const char *code, const char *message)
{
	session_refuse(c, PROTO_ERR_INVALID_PARAMETER, message,
	               json_pack("{s:s, s:s}", "parameter", param, "reason", code));
}

static int
write_chosen(struct call *c, void *ctx)
{
	struct pin_change *pc = ctx;

	return store_person_choose_pin(c->server->store, pc->person.id, pc->new_hash, clock_now());
}

/* The new PIN is hashed: store it, and open the session if this was the first choice. */
static void
on_new_pin_hashed(struct call *c, int result, const char *hash, void *ctx)
{
	struct pin_change *pc = ctx;
	struct server *srv = c->server;
	char stored[PIN_HASH_MAX], session_id[SESSION_ID_LEN + 1];
	int r = result;

	lockout_check_end(srv, pc->person.prison_number);
	if (r == 0)
		r = store_person_get_pin_hash(srv->store, pc->person.id, stored, sizeof(stored));
	if (r == 0 && strcmp(stored, pc->stored) != 0) {
		session_refuse(c, PROTO_ERR_CONFLICT,
		               "Staff gave you a new PIN just now. Log in with it again.", NULL);
		pin_change_free(pc);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "person");
		pin_change_free(pc);
		return;
	}
	snprintf(pc->new_hash, sizeof(pc->new_hash), "%s", hash);
	if (pc->first) {
		r = session_open(c, &pc->person, write_chosen, pc, json_pack("{s:b}", "first", 1),
		                 session_id);
		if (r == 0)
			call_reply(c, json_pack("{s:s, s:o}", "session", session_id, "person",
			                        render_person_self(&pc->person)));
		else
			call_fail_store(c, r, "person");
		pin_change_free(pc);
		return;
	}
	r = store_begin(srv->store);
	if (r == 0) {
		r = refusals_flush_subject(srv, c->subject);
		if (r == 0)
			r = write_chosen(c, pc);
		if (r == 0)
			r = call_audit(c, "ok", NULL);
		r = call_end_transaction(c, r);
	}
	if (r == 0)
		call_reply(c, json_pack("{s:o}", "person", render_person_self(&pc->person)));
	else
		call_fail_store(c, r, "person");
	pin_change_free(pc);
}

/* The old PIN (or, choosing the first, the new one) has been checked against the hash. */
static void
on_checked(struct call *c, int result, const char *hash, void *ctx)
{
	struct pin_change *pc = ctx;
	struct server *srv = c->server;
	struct lockout lo;
	const char *error;
	char message[160];
	json_t *extra;
	int r;

	if (result != 0 && result != -EACCES) {
		lockout_check_end(srv, pc->person.prison_number);
		call_fail(c, PROTO_ERR_INTERNAL, "Changing your PIN is not working now. Ask staff.",
		          NULL);
		pin_change_free(pc);
		return;
	}
	if (pc->old_given && result == -EACCES) {
		lockout_check_end(srv, pc->person.prison_number);
		r = store_begin(srv->store);
		if (r == 0) {
			r = lockout_count_failure(srv, pc->person.prison_number, pc->person.id,
			                          clock_now(), &lo);
			lockout_words(&lo, WRONG_OLD_PIN, &error, message, sizeof(message), &extra);
			if (r == 0)
				r = refusals_count(c, error, message);
			r = call_end_transaction(c, r);
		}
		if (r < 0)
			call_fail_store(c, r, "person");
		else
			call_fail(c, error, message, extra);
		pin_change_free(pc);
		return;
	}
	if (!pc->old_given && result == 0) {
		lockout_check_end(srv, pc->person.prison_number);
		refuse_weak(c, "new_pin", "issued",
		            "That is the PIN staff gave you. Choose a new one.");
		pin_change_free(pc);
		return;
	}
	pinwork_hash(c, pc->new_pin, on_new_pin_hashed, pc);
}

static void
handle_change_pin(struct call *c)
{
	struct server *srv = c->server;
	struct peer *p = c->peer;
	const char *old_pin = params_string(c->params, "old_pin", NULL);
	const char *new_pin = params_string(c->params, "new_pin", "");
	int64_t id = p->person_id ? p->person_id : p->choosing_pin_id, wait;
	const char *why, *code;
	struct pin_change *pc;
	int r;

	if (!id) {
		call_fail(c, PROTO_ERR_NOT_LOGGED_IN, "Log in first.", NULL);
		return;
	}
	call_set_subject(c, "person:%s", p->prison_number);
	snprintf(c->actor, sizeof(c->actor), "person:%s", p->prison_number);
	if (!old_pin && p->person_id) {
		refuse_weak(c, "old_pin", "missing", "Type the PIN you have now.");
		return;
	}
	if (old_pin && !validate_pin(old_pin)) {
		refuse_weak(c, "old_pin", "length", "A PIN is 4 to 8 numbers.");
		return;
	}
	why = pin_change_weakness(new_pin, p->prison_number, &code);
	if (why) {
		refuse_weak(c, "new_pin", code, why);
		return;
	}
	if (old_pin && strcmp(old_pin, new_pin) == 0) {
		refuse_weak(c, "new_pin", "same",
		            "That is the PIN you have now. Choose a new one.");
		return;
	}
	pc = calloc(1, sizeof(*pc));
	if (!pc) {
		call_fail(c, PROTO_ERR_INTERNAL, "Out of memory.", NULL);
		return;
	}
	pc->first = !p->person_id;
	pc->old_given = old_pin != NULL;
	snprintf(pc->new_pin, sizeof(pc->new_pin), "%s", new_pin);
	r = store_person_get(srv->store, id, &pc->person);
	if (r == 0)
		r = store_person_get_pin_hash(srv->store, id, pc->stored, sizeof(pc->stored));
	if (r < 0) {
		pin_change_free(pc);
		call_fail_store(c, r, "person");
		return;
	}
	if (pc->person.moved_out[0]) {
		char message[80];

		snprintf(message, sizeof(message), "Your record has moved to %s.",
		         pc->person.moved_out);
		pin_change_free(pc);
		session_refuse(c, PROTO_ERR_PERMISSION_DENIED, message, NULL);
		return;
	}
	wait = lockout_remaining(srv, pc->person.prison_number, &pc->person, clock_now());
	if (wait > 0) {
		pin_change_free(pc);
		session_refuse_locked(c, wait);
		return;
	}
	if (!lockout_check_begin(srv, pc->person.prison_number)) {
		pin_change_free(pc);
		session_refuse(c, PROTO_ERR_BUSY,
		               "A PIN for this prison number is being checked. Try again in a "
		               "moment.",
		               NULL);
		return;
	}
	pinwork_verify(c, old_pin ? old_pin : new_pin, pc->stored, on_checked, pc);
}

static const struct param_spec change_params[] = {
        {"old_pin", PARAM_STRING, false, 0, 16},
        {"new_pin", PARAM_STRING, true, 0, 16},
        {NULL},
};

/* Audited by the handler: a change alone, refusals counted (refusals.c). */
const struct method pin_change_methods[] = {
        {"onward.Session.ChangePin", SOCKET_CONTROL, "session.change_pin", AUDIT_NONE,
         .params = change_params, .handler = handle_change_pin},
        {NULL},
};

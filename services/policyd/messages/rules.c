/*
 * The rules a message meets before it is stored: what text may hold (valid UTF-8, at most
 * 1,000 characters, no control characters but newline), the staff word list and how a
 * message matches it, the policy decisions for a thread (message.send with the day's
 * count, message.read, message.hold with matches_word_list), and the JSON views of a
 * thread's items for the person and for staff. See messages/messages_int.h.
 */
#include "messages_int.h"

#include "clock.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- text ---- */

bool
message_text_valid(const char *text, size_t max_chars, char *problem, size_t size)
{
	size_t len = strlen(text), chars = 0;
	bool blank = true;

	if (len == 0) {
		snprintf(problem, size, "Write something first.");
		return false;
	}
	if (len > max_chars * 4 || !validate_utf8(text, len)) {
		snprintf(problem, size,
		         len > max_chars * 4 ? "A message can be up to %zu characters."
		                             : "This has letters or signs that cannot be sent.",
		         max_chars);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		/* C0 controls but newline, DEL, and C1 controls (U+0080-U+009F: C2 80-9F). */
		if ((c < 0x20 && c != '\n') || c == 0x7f ||
		    (c == 0xc2 && (unsigned char)text[i + 1] >= 0x80 &&
		     (unsigned char)text[i + 1] <= 0x9f)) {
			snprintf(problem, size, "This has letters or signs that cannot be sent.");
			return false;
		}
		if ((c & 0xc0) != 0x80)
			chars++;
		if (c != ' ' && c != '\n')
			blank = false;
	}
	if (chars > max_chars) {
		snprintf(problem, size, "A message can be up to %zu characters. This one has %zu.",
		         max_chars, chars);
		return false;
	}
	if (blank) {
		snprintf(problem, size, "Write something first.");
		return false;
	}
	return true;
}

/* ---- the word list ---- */

/* Letters and digits of any script: ASCII ones, and every byte of a non-ASCII character. */
static bool
word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/*
 * text as " word word word " in lower case: runs of letters and digits, everything else a
 * single space. ret must hold 2 * strlen(text) + 3 bytes.
 */
static void
normalise_text(const char *text, char *ret)
{
	size_t n = 0;

	ret[n++] = ' ';
	for (const char *p = text; *p; p++) {
		if (word_byte((unsigned char)*p))
			ret[n++] = lower(*p);
		else if (ret[n - 1] != ' ')
			ret[n++] = ' ';
	}
	if (ret[n - 1] != ' ')
		ret[n++] = ' ';
	ret[n] = '\0';
}

bool
message_word_normalise(const char *word, char *ret, size_t size)
{
	char buf[2 * STORE_MESSAGE_WORD_MAX + 3];
	size_t len = strlen(word), n;

	if (len == 0 || len > STORE_MESSAGE_WORD_MAX || !validate_utf8(word, len))
		return false;
	for (const char *p = word; *p; p++)
		if (!word_byte((unsigned char)*p) && *p != ' ' && *p != '-' && *p != '\'')
			return false;
	normalise_text(word, buf);
	n = strlen(buf);
	if (n < 3 || n - 2 >= size)
		return false;
	memcpy(ret, buf + 1, n - 2);
	ret[n - 2] = '\0';
	return true;
}

/* The list in memory: single words sorted for bsearch; phrases (with spaces) apart. */
static int
compare_word(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int
load_word(const char *word, const char *added_by, int64_t added_at, void *userdata)
{
	struct message_words *words = userdata;
	char norm[STORE_MESSAGE_WORD_MAX + 1];

	if (!message_word_normalise(word, norm, sizeof(norm)))
		return 0; /* the store only holds normalised entries; skip anything else */
	if (strchr(norm, ' ')) {
		if (words->n_phrase < MESSAGE_WORDS_MAX)
			snprintf(words->phrase[words->n_phrase++], sizeof(words->phrase[0]), " %s ",
			         norm);
	} else if (words->n_single < MESSAGE_WORDS_MAX) {
		snprintf(words->single[words->n_single++], sizeof(words->single[0]), "%s", norm);
	}
	return 0;
}

int
message_words_reload(struct server *srv)
{
	struct message_words *words = &messages_of(srv)->words;
	int r;

	words->n_single = words->n_phrase = 0;
	r = store_message_words(srv->store, load_word, words);
	qsort(words->single, words->n_single, sizeof(words->single[0]), compare_word);
	return r;
}

bool
message_words_match(struct server *srv, const char *text, char *ret_word, size_t size)
{
	const struct message_words *words = &messages_of(srv)->words;
	char norm[2 * STORE_MESSAGE_TEXT_MAX + 3];
	char *p;

	ret_word[0] = '\0';
	if (words->n_single == 0 && words->n_phrase == 0)
		return false;
	if (strlen(text) > STORE_MESSAGE_TEXT_MAX)
		return false;
	normalise_text(text, norm);
	for (size_t i = 0; i < words->n_phrase; i++) {
		if (strstr(norm, words->phrase[i])) {
			size_t n = strlen(words->phrase[i]);

			snprintf(ret_word, size, "%.*s", (int)(n - 2), words->phrase[i] + 1);
			return true;
		}
	}
	/* Each token in turn, looked up in the sorted single words. */
	p = norm + 1;
	while (*p) {
		char *end = strchr(p, ' ');

		*end = '\0';
		if (end - p <= STORE_MESSAGE_WORD_MAX &&
		    bsearch(p, words->single, words->n_single, sizeof(words->single[0]),
		            compare_word)) {
			snprintf(ret_word, size, "%s", p);
			return true;
		}
		p = end + 1;
	}
	return false;
}

/* ---- threads ---- */

bool
message_thread_parse(const char *with, int64_t *ret_contact_id)
{
	const char *digits = with;
	int64_t id = 0;

	if (strcmp(with, "worker") == 0) {
		*ret_contact_id = STORE_MESSAGE_WORKER;
		return true;
	}
	if (strncmp(with, "contact:", 8) == 0)
		digits = with + 8;
	if (!digits[0] || strlen(digits) > 18 || digits[0] == '0')
		return false;
	for (const char *p = digits; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		id = id * 10 + (*p - '0');
	}
	*ret_contact_id = id;
	return true;
}

const char *
message_thread_name(int64_t contact_id, char *buf, size_t size)
{
	if (contact_id == STORE_MESSAGE_WORKER)
		snprintf(buf, size, "worker");
	else
		snprintf(buf, size, "contact:%lld", (long long)contact_id);
	return buf;
}

int64_t
message_day_start(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int
message_find_contact(struct server *srv, const struct store_person *p, int64_t contact_id,
                     struct store_contact *ret)
{
	struct store_contact contact;
	int r = store_contact_get(srv->store, contact_id, &contact);

	if (r == 0 && contact.person_id != p->id)
		r = -ENOENT;
	if (r == 0)
		*ret = contact;
	return r;
}

/* ---- decisions ---- */

/*
 * Starts a decision in the thread: the person, and the resource's entity (the contact, or
 * the person's worker; Staff::"-" stands for "no worker", which no policy permits).
 */
static struct facts *
thread_begin(struct server *srv, const struct store_person *p, const struct store_contact *contact,
             struct facts_context *ctx, struct policy_uid *ret_resource, char *id, size_t size)
{
	struct facts *f = decide_person_begin(srv, p, ctx);
	struct store_staff worker;

	if (!f)
		return NULL;
	if (contact) {
		snprintf(id, size, "%lld", (long long)contact->id);
		*ret_resource = (struct policy_uid){"Contact", id};
		return facts_add_contact(f, contact, p->prison_number) < 0 ? NULL : f;
	}
	snprintf(id, size, "%s", p->worker[0] ? p->worker : "-");
	*ret_resource = (struct policy_uid){"Staff", id};
	if (p->worker[0] && store_staff_get(srv->store, p->worker, &worker) == 0 &&
	    facts_add_staff(f, &worker) < 0)
		return NULL;
	return f;
}

/*
 * When message.send opens again by the clock alone: the first whole hour within a day at
 * which policy would allow it, the rest of the context as now (0 when none does, as under
 * a lockdown staff set). The hours themselves stay in the policy.
 */
static int
opens_at(struct server *srv, const struct policy_uid *principal, const struct policy_uid *resource,
         const struct facts_context *ctx, int64_t now, int64_t *ret)
{
	struct facts_context at = *ctx;
	struct decision d;
	int64_t hour = now - now % 3600; /* London's offsets from UTC are whole hours */

	*ret = 0;
	for (int k = 1; k <= 24; k++) {
		time_t t = (time_t)(hour + (int64_t)k * 3600);
		struct tm tm;
		int r;

		localtime_r(&t, &tm);
		at.hour = tm.tm_hour;
		at.weekday = tm.tm_wday == 0 ? 7 : tm.tm_wday;
		r = decide(srv, principal, "message.send", resource, &at, &d);
		if (r < 0)
			return r;
		if (d.allowed) {
			*ret = (int64_t)t;
			return 0;
		}
	}
	return 0;
}

int
message_decide_rights(struct server *srv, const struct store_person *p,
                      const struct store_contact *contact, struct message_rights *ret)
{
	return message_decide_rights_less(srv, p, contact, 0, ret);
}

int
message_decide_rights_less(struct server *srv, const struct store_person *p,
                           const struct store_contact *contact, int64_t less,
                           struct message_rights *ret)
{
	struct policy_uid principal = {"Person", p->prison_number}, resource;
	struct message_rights rights = {0};
	struct facts_context ctx;
	char id[40];
	int64_t now = clock_now();
	int r;

	if (!thread_begin(srv, p, contact, &ctx, &resource, id, sizeof(id)))
		return -ENOMEM;
	if (contact) {
		r = store_message_count_sent(srv->store, p->id, message_day_start(now),
		                             &rights.sent_today);
		if (r < 0)
			return r;
		rights.sent_today += message_pending_sent(srv, p->id) - less;
	}
	ctx.messages_today = rights.sent_today;
	r = decide(srv, &principal, "message.send", &resource, &ctx, &rights.send);
	if (r == 0)
		r = decide(srv, &principal, "message.read", &resource, &ctx, &rights.read);
	/* Closed for now: may it wait, and until when? (The worker's thread never closes.) */
	if (r == 0 && contact && !rights.send.allowed)
		r = decide(srv, &principal, "message.send_later", &resource, &ctx, &rights.later);
	if (r == 0 && rights.later.allowed)
		r = opens_at(srv, &principal, &resource, &ctx, now, &rights.opens_at);
	if (r == 0)
		*ret = rights;
	return r;
}

int
message_decide_read(struct server *srv, const struct store_person *p,
                    const struct store_contact *contact, struct decision *ret)
{
	struct policy_uid principal = {"Person", p->prison_number}, resource;
	struct facts_context ctx;
	char id[40];

	if (!thread_begin(srv, p, contact, &ctx, &resource, id, sizeof(id)))
		return -ENOMEM;
	return decide(srv, &principal, "message.read", &resource, &ctx, ret);
}

int
message_decide_hold(struct server *srv, const struct store_person *p,
                    const struct store_contact *contact, const char *text, struct decision *ret,
                    char *ret_matched, size_t size)
{
	struct policy_uid principal = {"Person", p->prison_number}, resource;
	struct facts_context ctx;
	char id[40];

	if (!thread_begin(srv, p, contact, &ctx, &resource, id, sizeof(id)))
		return -ENOMEM;
	ctx.matches_word_list = message_words_match(srv, text, ret_matched, size);
	return decide(srv, &principal, "message.hold", &resource, &ctx, ret);
}

/* ---- views ---- */

void
message_render_when(json_t *obj, const char *key, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char date[16], hm[8];

	json_object_set_new(obj, key, render_time(t));
	if (t == 0)
		return;
	/* London time, which the daemon runs in (main.c), for the person's screen. */
	localtime_r(&tt, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	strftime(hm, sizeof(hm), "%H:%M", &tm);
	json_object_set_new(obj, "date", json_string(date));
	json_object_set_new(obj, "time", json_string(hm));
}

void
message_render_opens(json_t *obj, const struct message_rights *rights)
{
	json_t *o;

	if (!rights->later.allowed || !rights->opens_at)
		return;
	o = json_object();
	if (!o)
		return;
	message_render_when(o, "at", rights->opens_at);
	json_object_set_new(obj, "opens", o);
}

static const char *
message_from(const struct store_message *m)
{
	if (strcmp(m->direction, "out") == 0)
		return "you";
	return m->author[0] ? "staff" : "contact";
}

json_t *
message_render_person(const struct store_message *m)
{
	bool from_person = strcmp(m->direction, "out") == 0;
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)m->id, "kind", m->kind,
	                      "from", message_from(m), "text", m->text, "status", m->status);

	if (!o)
		return NULL;
	/* Why it is held or was rejected; for a review, the refusal it asks about. */
	if (m->reason[0] && strcmp(m->status, "delivered") != 0)
		json_object_set_new(o, "reason", json_string(m->reason));
	if (m->quote[0])
		json_object_set_new(o, "quote", json_string(m->quote));
	if (m->author[0]) {
		json_object_set_new(o, "author_name", json_string(m->author_name));
		json_object_set_new(o, "author_role", json_string(m->author_role));
	}
	if (!from_person)
		json_object_set_new(o, "read", json_boolean(m->read_at != 0));
	/* The family service has taken it: as far as the tablet knows, it has arrived. */
	if (from_person && m->acked_at)
		json_object_set_new(o, "delivered", json_true());
	if (m->about)
		json_object_set_new(o, "about", json_integer(m->about));
	message_render_when(o, "at", m->created_at);
	return o;
}

json_t *
message_render_staff(const struct store_message *m)
{
	char thread[32];
	json_t *o = json_pack(
	        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, "
	        "s:s}",
	        "id", (json_int_t)m->id, "prison_number", m->prison_number, "establishment",
	        m->establishment, "thread",
	        message_thread_name(m->contact_id, thread, sizeof(thread)), "kind", m->kind,
	        "direction", m->direction, "from", message_from(m), "author", m->author,
	        "author_role", m->author_role, "text", m->text, "status", m->status, "reason",
	        m->reason, "refusal", (json_int_t)m->refusal_id, "about", (json_int_t)m->about,
	        "quote", m->quote, "policies", m->policies, "matched", m->matched);

	if (!o)
		return NULL;
	json_object_set_new(o, "decided_by", json_string(m->decided_by));
	json_object_set_new(o, "decided_at", render_time(m->decided_at));
	json_object_set_new(o, "read_at", render_time(m->read_at));
	json_object_set_new(o, "acked_at", render_time(m->acked_at));
	message_render_when(o, "at", m->created_at);
	return o;
}

int
message_context(struct server *srv, const struct store_person *p, struct facts_context *ctx)
{
	/* The same count a send is decided with: sent today (London), waiting ones included. */
	int r = store_message_count_sent(srv->store, p->id, message_day_start(clock_now()),
	                                 &ctx->messages_today);

	if (r == 0)
		ctx->messages_today += message_pending_sent(srv, p->id);
	return r;
}

/*
 * The messaging tables on a real SQLCipher file (store/messages.c): threads paged newest
 * first with what each reader may see, unread summaries and marking read, the day's count,
 * moderation moves (and the stale and missing answers), the queue by establishment, the
 * outbox and its acknowledgements, refusals, staff reads, the word list, settings, and
 * retention by establishment; ids are never reused; and every call still works when the
 * store's shared statement cache is full.
 */
#include "check.h"
#include "messages.h"
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define NOW 1800000000

static struct store *s;

static int64_t
add_person(const char *number, const char *est)
{
	struct store_person p = {0};
	int64_t id = 0;

	snprintf(p.prison_number, sizeof(p.prison_number), "%s", number);
	strcpy(p.given_name, "Sam");
	strcpy(p.family_name, "Jones");
	strcpy(p.status, "sentenced");
	strcpy(p.incentive, "standard");
	snprintf(p.establishment, sizeof(p.establishment), "%s", est);
	CHECK_INT(store_person_insert(s, &p, "h", &id), 0);
	return id;
}

static int64_t
add(int64_t person, int64_t contact, const char *direction, const char *author, const char *status,
    const char *text, int64_t at)
{
	struct store_message m = {0};
	int64_t id = 0;

	m.person_id = person;
	m.contact_id = contact;
	strcpy(m.kind, "message");
	snprintf(m.direction, sizeof(m.direction), "%s", direction);
	snprintf(m.author, sizeof(m.author), "%s", author);
	snprintf(m.status, sizeof(m.status), "%s", status);
	snprintf(m.text, sizeof(m.text), "%s", text);
	m.created_at = at;
	CHECK_INT(store_message_insert(s, &m, &id), 0);
	CHECK(id > 0);
	return id;
}

struct seen {
	int64_t ids[64];
	int n;
};

static int
collect(const struct store_message *m, void *userdata)
{
	struct seen *seen = userdata;

	seen->ids[seen->n++] = m->id;
	return 0;
}

static struct seen
thread(int64_t person, int64_t contact, enum store_thread_view view, int64_t before, int limit,
       bool *more)
{
	struct seen seen = {0};

	CHECK_INT(
	        store_message_thread(s, person, contact, view, before, limit, collect, &seen, more),
	        0);
	return seen;
}

static int
collect_summary(const struct store_thread_summary *t, void *userdata)
{
	struct store_thread_summary *out = userdata;

	out[t->contact_id == 0 ? 0 : 1] = *t;
	return 0;
}

static int
count_word(const char *word, const char *by, int64_t at, void *userdata)
{
	char *joined = userdata;

	strcat(joined, word);
	strcat(joined, ";");
	return 0;
}

static int
count_read(const struct store_staff_read *r, void *userdata)
{
	CHECK_STR(r->role, "officer");
	(*(int *)userdata)++;
	return 0;
}

/* Everything, run twice: with the statement cache as the store keeps it, and full. */
static void
exercise(int round, int64_t sam, int64_t jo)
{
	struct store_message m;
	struct store_message_refusal f = {0}, g;
	struct store_thread_summary sum[2];
	struct seen seen;
	bool more = false;
	int64_t a, b, c, d, held, n, id;
	char words[256] = "";
	int reads = 0;

	test_step("round %d: a thread, newest first, paged; each reader's view", round);
	a = add(sam, jo, "out", "", "delivered", "one", NOW - 30);
	b = add(sam, jo, "in", "", "delivered", "two", NOW - 20);
	held = add(sam, jo, "in", "", "held", "three (held)", NOW - 15);
	c = add(sam, jo, "in", "k.patel", "delivered", "four (staff)", NOW - 10);
	d = add(sam, 0, "in", "k.patel", "delivered", "worker", NOW - 5);
	seen = thread(sam, jo, STORE_VIEW_STAFF, 0, 10, &more);
	CHECK_INT(seen.n, 4);
	CHECK_INT(seen.ids[0], c);
	CHECK(!more);
	seen = thread(sam, jo, STORE_VIEW_PERSON, 0, 10, &more);
	CHECK_INT(seen.n, 3); /* not the held one */
	CHECK(seen.ids[0] == c && seen.ids[1] == b && seen.ids[2] == a);
	seen = thread(sam, jo, STORE_VIEW_PERSON_NO_CONTACT, 0, 10, &more);
	CHECK_INT(seen.n, 2); /* their own and staff's */
	CHECK(seen.ids[0] == c && seen.ids[1] == a);
	seen = thread(sam, jo, STORE_VIEW_STAFF, 0, 2, &more);
	CHECK(seen.n == 2 && more);
	seen = thread(sam, jo, STORE_VIEW_STAFF, seen.ids[1], 2, &more);
	CHECK(seen.n == 2 && !more && seen.ids[0] == b && seen.ids[1] == a);
	CHECK_INT(store_message_get(s, held, &m), 0);
	CHECK_STR(m.text, "three (held)");
	CHECK_STR(m.prison_number, round == 1 ? "A1234BC" : "C3456DE");
	CHECK_STR(m.establishment, "MDI");
	CHECK_INT(store_message_get(s, 999999, &m), -ENOENT);

	test_step("round %d: summaries, marking read, the day's count", round);
	memset(sum, 0, sizeof(sum));
	CHECK_INT(store_message_summaries(s, sam, collect_summary, sum), 0);
	CHECK_INT(sum[1].unread_contact, 1);
	CHECK_INT(sum[1].unread_staff, 1);
	CHECK_INT(sum[1].last_at, NOW - 10);
	CHECK_INT(sum[0].unread_staff, 1);
	CHECK_INT(store_message_mark_read(s, sam, jo, 0, false, NOW, &n), 0);
	CHECK_INT(n, 1); /* staff's only */
	CHECK_INT(store_message_mark_read(s, sam, jo, b - 1, true, NOW, &n), 0);
	CHECK_INT(n, 0); /* nothing unread up to there */
	CHECK_INT(store_message_mark_read(s, sam, jo, 0, true, NOW, &n), 0);
	CHECK_INT(n, 1); /* the held one stays unread and unseen */
	CHECK_INT(store_message_count_sent(s, sam, NOW - 100, &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(store_message_count_sent(s, sam, NOW, &n), 0);
	CHECK_INT(n, 0);

	test_step("round %d: moderation, the queue by establishment", round);
	seen = (struct seen){0};
	CHECK_INT(store_message_list_status(s, "held", "MDI", 0, 50, collect, &seen, &more), 0);
	CHECK_INT(seen.n, 1);
	CHECK_INT(seen.ids[0], held);
	seen = (struct seen){0};
	CHECK_INT(store_message_list_status(s, "held", "BXI", 0, 50, collect, &seen, &more), 0);
	CHECK_INT(seen.n, 0);
	CHECK_INT(store_message_decide(s, held, "held", "rejected", "No.", "o.reed", NOW), 0);
	CHECK_INT(store_message_decide(s, held, "held", "delivered", NULL, "o.reed", NOW), -ESTALE);
	CHECK_INT(store_message_decide(s, 999999, "held", "delivered", NULL, "o.reed", NOW),
	          -ENOENT);
	CHECK_INT(store_message_get(s, held, &m), 0);
	CHECK_STR(m.status, "rejected");
	CHECK_STR(m.reason, "No.");
	CHECK_STR(m.decided_by, "o.reed");

	test_step("round %d: the outbox and acknowledgements", round);
	seen = (struct seen){0};
	CHECK_INT(store_message_outbox(s, 0, 50, collect, &seen, &more), 0);
	CHECK_INT(seen.n, 1);
	CHECK_INT(seen.ids[0], a);
	CHECK_INT(store_message_ack(s, a, NOW), 0);
	CHECK_INT(store_message_ack(s, a, NOW + 1), 0);
	CHECK_INT(store_message_get(s, a, &m), 0);
	CHECK_INT(m.acked_at, NOW);
	CHECK_INT(store_message_ack(s, b, NOW), -ENOENT); /* inbound */
	CHECK_INT(store_message_ack(s, d, NOW), -ENOENT); /* the worker thread */
	seen = (struct seen){0};
	CHECK_INT(store_message_outbox(s, 0, 50, collect, &seen, &more), 0);
	CHECK_INT(seen.n, 0);
	CHECK_INT(store_message_count_reviews(s, held, &n), 0);
	CHECK_INT(n, 0);

	test_step("round %d: refusals, staff reads, words, settings", round);
	f.person_id = sam;
	f.contact_id = jo;
	strcpy(f.text, "refused words");
	strcpy(f.reason, "Closed at night.");
	f.created_at = NOW;
	CHECK_INT(store_message_refusal_insert(s, &f, &id), 0);
	CHECK_INT(store_message_refusal_get(s, id, &g), 0);
	CHECK_STR(g.reason, "Closed at night.");
	CHECK(!g.reviewed);
	CHECK_INT(store_message_refusal_reviewed(s, id), 0);
	CHECK_INT(store_message_refusal_reviewed(s, id), -ESTALE);
	CHECK_INT(store_message_refusal_get(s, id + 1000, &g), -ENOENT);
	CHECK_INT(store_message_refusal_count(s, sam, NOW, &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(store_message_refusal_count(s, sam, NOW + 1, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(store_message_count_written(s, sam, NOW - 100, &n), 0);
	CHECK_INT(n, 1); /* "one": the worker thread's items here are all to the person */
	{
		struct store_staff_read r = {sam, jo, "o.reed", "officer", "message.queue", 3, NOW};

		CHECK_INT(store_message_staff_read_add(s, &r), 0);
		CHECK_INT(store_message_staff_reads(s, sam, jo, 5, count_read, &reads), 0);
		CHECK_INT(reads, 1);
	}
	if (round == 1) {
		CHECK_INT(store_message_word_add(s, "parcel", "o.reed", NOW), 0);
		CHECK_INT(store_message_word_add(s, "over the wall", "o.reed", NOW), 0);
		CHECK_INT(store_message_word_add(s, "parcel", "o.reed", NOW), -EEXIST);
		CHECK_INT(store_message_word_remove(s, "nothing"), -ENOENT);
		CHECK_INT(store_message_setting_get(s, "retention_days", &n), -ENOENT);
	}
	CHECK_INT(store_message_word_count(s, &n), 0);
	CHECK_INT(n, 2);
	CHECK_INT(store_message_words(s, count_word, words), 0);
	CHECK_STR(words, "over the wall;parcel;");
	CHECK_INT(store_message_setting_set(s, "group_commit", round == 1 ? 0 : 1, "admin", NOW),
	          0);
	CHECK_INT(store_message_setting_get(s, "group_commit", &n), 0);
	CHECK_INT(n, round == 1 ? 0 : 1);
}

int
main(void)
{
	char dir[] = "/tmp/onward-messages-XXXXXX", path[128], cmd[200];
	struct store_establishment mdi = {"MDI", "HMP Moorland", "prison", "auto"};
	struct store_establishment bxi = {"BXI", "HMP Brixton", "prison", "auto"};
	struct store_contact contact = {0};
	char *fillers[STORE_STMT_CACHE];
	uint8_t key[STORE_KEY_LEN];
	int64_t n, old_mdi, old_bxi, last, sam, lee, jo, sam2, jo2;
	struct store_message m;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/store.db", dir);
	memset(key, 5, sizeof(key));
	CHECK_INT(store_open(path, key, &s), 0);
	CHECK_INT(store_establishment_insert(s, &mdi), 0);
	CHECK_INT(store_establishment_insert(s, &bxi), 0);
	sam = add_person("A1234BC", "MDI");
	lee = add_person("B2345CD", "BXI");
	contact.person_id = sam;
	strcpy(contact.name, "Jo Jones");
	strcpy(contact.relation, "mother");
	CHECK_INT(store_contact_insert(s, &contact, &jo), 0);

	exercise(1, sam, jo);

	test_step("a full statement cache: every call prepares its own statement instead");
	store_free(s);
	CHECK_INT(store_open(path, key, &s), 0);
	sam2 = add_person("C3456DE", "MDI"); /* people.c needs the cache: before filling it */
	contact.person_id = sam2;
	CHECK_INT(store_contact_insert(s, &contact, &jo2), 0);
	for (int i = 0; i < STORE_STMT_CACHE; i++) {
		sqlite3_stmt *st;
		int r;

		fillers[i] = strdup("SELECT 1");
		CHECK(fillers[i] != NULL);
		r = store_prepare(s, fillers[i], &st);
		CHECK(r == 0 || r == -ENOSPC);
	}
	exercise(2, sam2, jo2);

	test_step("retention: the default, an establishment's own, ids never reused");
	old_mdi = add(sam, jo, "out", "", "delivered", "old at Moorland", NOW - 40 * DAY);
	old_bxi = add(lee, 0, "out", "", "delivered", "old at Brixton", NOW - 40 * DAY);
	last = add(sam, 0, "out", "", "delivered", "a year and more", NOW - 400 * DAY);
	CHECK_INT(store_message_expire(s, NOW, 365, &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(store_message_get(s, last, &m), -ENOENT);
	CHECK_INT(store_message_setting_set(s, "retention_days:MDI", 30, "admin", NOW), 0);
	CHECK_INT(store_message_expire(s, NOW, 365, &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(store_message_get(s, old_mdi, &m), -ENOENT);
	CHECK_INT(store_message_get(s, old_bxi, &m), 0);
	CHECK_INT(store_message_setting_set(s, "retention_days", 20, "admin", NOW), 0);
	CHECK_INT(store_message_expire(s, NOW, 365, &n), 0);
	CHECK_INT(n, 1); /* Brixton now follows the service's 20 days */
	CHECK_INT(store_message_get(s, old_bxi, &m), -ENOENT);
	/* Deleting the newest row does not free its id for reuse. */
	last = add(sam, 0, "out", "", "delivered", "newest", NOW - 400 * DAY);
	CHECK_INT(store_message_expire(s, NOW, 365, &n), 0);
	CHECK(add(sam, 0, "out", "", "delivered", "after", NOW) > last);

	test_step("the longest text round-trips exactly");
	{
		struct store_message big = {0};
		int64_t id;

		big.person_id = sam;
		strcpy(big.kind, "message");
		strcpy(big.direction, "out");
		strcpy(big.status, "delivered");
		memset(big.text, 'x', STORE_MESSAGE_TEXT_MAX);
		memset(big.quote, 'y', STORE_MESSAGE_TEXT_MAX);
		big.created_at = NOW;
		CHECK_INT(store_message_insert(s, &big, &id), 0);
		CHECK_INT(store_message_get(s, id, &m), 0);
		CHECK_INT(strlen(m.text), STORE_MESSAGE_TEXT_MAX);
		CHECK_INT(strlen(m.quote), STORE_MESSAGE_TEXT_MAX);
	}

	store_free(s);
	for (int i = 0; i < STORE_STMT_CACHE; i++)
		free(fillers[i]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	printf("test-messages-store: OK\n");
	return 0;
}

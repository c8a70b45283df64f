/*
 * Reading the daemon's messaging replies defensively (see reply.h).
 */
#include "reply.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

static int
flag(const json_t *obj, const char *key, bool *ret)
{
	const json_t *v = json_object_get(obj, key);

	if (!v) {
		*ret = false;
		return 0;
	}
	if (!json_is_boolean(v))
		return -EBADMSG;
	*ret = json_is_true(v);
	return 0;
}

static int
number(const json_t *obj, const char *key, int64_t min, int64_t max, int64_t *ret)
{
	const json_t *v = json_object_get(obj, key);

	if (!v) {
		*ret = 0;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return -EBADMSG;
	*ret = json_integer_value(v);
	return 0;
}

/* "YYYY-MM-DD" and "HH:MM", or absent. */
static int
when(const json_t *obj, char *date, char *time)
{
	int r = client_read_text(obj, "date", 0, date, 10);

	r = r ?: client_read_text(obj, "time", 0, time, 5);
	if (r == 0 && ((date[0] && strlen(date) != 10) || (time[0] && strlen(time) != 5)))
		r = -EBADMSG;
	return r;
}

static bool
one_of(const char *s, const char *const list[])
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static const char *const froms[] = {"you", "contact", "staff", NULL};

/* "opens": {"date", "time"}, when sending opens again; absent when not known. */
static int
opens(const json_t *obj, char *date, char *time)
{
	const json_t *o = json_object_get(obj, "opens");

	date[0] = time[0] = '\0';
	if (!o)
		return 0;
	if (!json_is_object(o))
		return -EBADMSG;
	return when(o, date, time);
}

static int
read_row(const json_t *o, struct msg_thread_row *row)
{
	static const char *const kinds[] = {"worker", "contact", NULL};
	char kind[16];
	int r;

	if (!json_is_object(o))
		return -EBADMSG;
	r = client_read_text(o, "with", CLIENT_TEXT_REQUIRED, row->with, MSG_WITH_MAX);
	r = r ?: client_read_text(o, "kind", CLIENT_TEXT_REQUIRED, kind, sizeof(kind) - 1);
	r = r ?: client_read_text(o, "name", 0, row->name, MSG_NAME_MAX);
	r = r ?: client_read_text(o, "relation", 0, row->relation, sizeof(row->relation) - 1);
	r = r ?: client_read_text(o, "role", 0, row->role, sizeof(row->role) - 1);
	r = r
	            ?: client_read_text(o, "contact_status", 0, row->contact_status,
	                                sizeof(row->contact_status) - 1);
	r = r ?: flag(o, "can_send", &row->can_send);
	r = r ?: flag(o, "can_read", &row->can_read);
	r = r ?: client_read_text(o, "send_reason", 0, row->send_reason, MSG_REASON_MAX);
	r = r ?: number(o, "unread", 0, 1000000, &row->unread);
	r = r ?: when(o, row->last_date, row->last_time);
	r = r
	            ?: client_read_text(o, "last_text", CLIENT_TEXT_MULTILINE, row->last_text,
	                                MSG_PREVIEW_MAX);
	r = r ?: flag(o, "last_cut", &row->last_cut);
	r = r ?: client_read_text(o, "last_from", 0, row->last_from, sizeof(row->last_from) - 1);
	r = r ?: flag(o, "can_send_later", &row->can_send_later);
	r = r ?: opens(o, row->opens_date, row->opens_time);
	if (r == 0 && !one_of(kind, kinds))
		r = -EBADMSG;
	if (r == 0 && row->last_from[0] && !one_of(row->last_from, froms))
		r = -EBADMSG;
	row->worker = r == 0 && strcmp(kind, "worker") == 0;
	return r;
}

int
reply_read_threads(const json_t *params, struct msg_threads *ret)
{
	const json_t *list = json_object_get(params, "threads"), *o;
	int64_t chars = 1000;
	size_t i;

	if (!json_is_object(params) || !json_is_array(list) ||
	    number(params, "chars_max", 1, 100000, &chars) < 0)
		return -EBADMSG;
	ret->n = ret->skipped = 0;
	ret->chars_max = chars ? (int)chars : 1000;
	{
		char time[6];

		if (when(params, ret->today, time) < 0)
			ret->today[0] = '\0';
	}
	json_array_foreach(list, i, o)
	{
		if (ret->n == MSG_THREADS_MAX || read_row(o, &ret->rows[ret->n]) < 0) {
			ret->skipped++;
			continue;
		}
		ret->n++;
	}
	return 0;
}

int
reply_read_item(const json_t *o, struct msg_item *ret)
{
	static const char *const kinds[] = {"message", "review", "answer", NULL};
	static const char *const statuses[] = {"held",    "delivered", "rejected",
	                                       "waiting", "answered",  NULL};
	int r;

	if (!json_is_object(o))
		return -EBADMSG;
	r = number(o, "id", 1, INT64_MAX, &ret->id);
	r = r
	            ?: client_read_text(o, "kind", CLIENT_TEXT_REQUIRED, ret->kind,
	                                sizeof(ret->kind) - 1);
	r = r
	            ?: client_read_text(o, "from", CLIENT_TEXT_REQUIRED, ret->from,
	                                sizeof(ret->from) - 1);
	r = r ?: client_read_text(o, "text", CLIENT_TEXT_MULTILINE, ret->text, MSG_TEXT_MAX);
	r = r
	            ?: client_read_text(o, "status", CLIENT_TEXT_REQUIRED, ret->status,
	                                sizeof(ret->status) - 1);
	r = r ?: client_read_text(o, "reason", 0, ret->reason, MSG_REASON_MAX);
	r = r ?: client_read_text(o, "quote", CLIENT_TEXT_MULTILINE, ret->quote, MSG_TEXT_MAX);
	r = r ?: client_read_text(o, "author_name", 0, ret->author_name, MSG_NAME_MAX);
	r = r
	            ?: client_read_text(o, "author_role", 0, ret->author_role,
	                                sizeof(ret->author_role) - 1);
	r = r ?: flag(o, "read", &ret->read);
	r = r ?: flag(o, "delivered", &ret->delivered);
	r = r ?: number(o, "about", 0, INT64_MAX, &ret->about);
	r = r ?: when(o, ret->date, ret->time);
	if (r == 0 && (ret->id == 0 || !one_of(ret->kind, kinds) || !one_of(ret->from, froms) ||
	               !one_of(ret->status, statuses)))
		r = -EBADMSG;
	return r;
}

void
reply_page_release(struct msg_page *page)
{
	for (size_t i = 0; i < page->n; i++)
		free(page->items[i]);
	page->n = 0;
}

int
reply_read_page(const json_t *params, struct msg_page *ret)
{
	const json_t *items = json_object_get(params, "messages"), *reads, *o;
	char time[6];
	size_t i;
	int r;

	if (!json_is_object(params) || !json_is_array(items))
		return -EBADMSG;
	memset(ret, 0, sizeof(*ret));
	r = client_read_text(params, "with", CLIENT_TEXT_REQUIRED, ret->with, MSG_WITH_MAX);
	r = r ?: client_read_text(params, "name", 0, ret->name, MSG_NAME_MAX);
	r = r ?: flag(params, "can_send", &ret->can_send);
	r = r ?: client_read_text(params, "send_reason", 0, ret->send_reason, MSG_REASON_MAX);
	r = r ?: flag(params, "can_send_later", &ret->can_send_later);
	r = r ?: opens(params, ret->opens_date, ret->opens_time);
	r = r ?: flag(params, "can_read", &ret->can_read);
	r = r ?: client_read_text(params, "read_reason", 0, ret->read_reason, MSG_REASON_MAX);
	r = r ?: flag(params, "more", &ret->more);
	r = r ?: when(params, ret->today, time);
	if (r < 0)
		return r;
	json_array_foreach(items, i, o)
	{
		struct msg_item *item;

		if (ret->n == MSG_PAGE_MAX) {
			ret->skipped++;
			continue;
		}
		item = calloc(1, sizeof(*item));
		if (!item) {
			reply_page_release(ret);
			return -ENOMEM;
		}
		if (reply_read_item(o, item) < 0) {
			free(item);
			ret->skipped++;
			continue;
		}
		ret->items[ret->n++] = item;
	}
	reads = json_object_get(params, "staff_reads");
	json_array_foreach(reads, i, o)
	{
		struct msg_staff_read *rd = &ret->reads[ret->n_reads];

		if (ret->n_reads == MSG_READS_MAX || !json_is_object(o))
			break;
		if (client_read_text(o, "role", CLIENT_TEXT_REQUIRED, rd->role,
		                     sizeof(rd->role) - 1) < 0 ||
		    when(o, rd->date, rd->time) < 0)
			continue;
		ret->n_reads++;
	}
	return 0;
}

int
reply_read_cancel(const json_t *params, int64_t *ret_id, char *ret_with, char *ret_text)
{
	int64_t id = 0;
	int r;

	if (!json_is_object(params))
		return -EBADMSG;
	r = number(params, "cancelled", 1, INT64_MAX, &id);
	r = r ?: client_read_text(params, "with", CLIENT_TEXT_REQUIRED, ret_with, MSG_WITH_MAX);
	r = r ?: client_read_text(params, "text", CLIENT_TEXT_MULTILINE, ret_text, MSG_TEXT_MAX);
	if (r == 0 && id == 0)
		r = -EBADMSG;
	if (r == 0)
		*ret_id = id;
	return r;
}

/* A frequent word: lower-case letters of any script, an apostrophe inside. */
static bool
word_ok(const char *w)
{
	if (!w[0] || w[0] == '\'')
		return false;
	for (const char *p = w; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (unsigned char)*p >= 0x80 || *p == '\''))
			return false;
	return true;
}

int
reply_read_words(const json_t *params, struct msg_words *ret)
{
	const json_t *list = json_object_get(params, "words"), *v;
	size_t i;

	if (!json_is_object(params) || !json_is_array(list))
		return -EBADMSG;
	ret->n = 0;
	json_array_foreach(list, i, v)
	{
		const char *w = json_string_value(v);
		size_t len = w ? json_string_length(v) : 0;

		if (ret->n == MSG_WORDS_MAX)
			break;
		if (!w || len == 0 || len > MSG_WORD_MAX || strlen(w) != len || !word_ok(w))
			continue;
		memcpy(ret->word[ret->n++], w, len + 1);
	}
	return 0;
}

int64_t
reply_read_refusal(const json_t *params)
{
	int64_t id = 0;

	if (number(params, "refusal", 1, INT64_MAX, &id) < 0)
		return 0;
	return id;
}

size_t
reply_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

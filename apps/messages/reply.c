/*
 * Reading the daemon's messaging replies defensively (see reply.h).
 */
#include "reply.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Copies string field key of obj into buf (max bytes): absent or null gives "" unless
 * required; the wrong type, too long, a NUL inside or a control character (newline
 * allowed when multiline) is -EBADMSG.
 */
static int
text(const json_t *obj, const char *key, bool required, bool multiline, char *buf, size_t max)
{
	const json_t *v = json_object_get(obj, key);
	const char *s = json_string_value(v);
	size_t n;

	buf[0] = '\0';
	if (!v || json_is_null(v))
		return required ? -EBADMSG : 0;
	if (!s)
		return -EBADMSG;
	n = json_string_length(v);
	if (n > max || strlen(s) != n)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && !(multiline && c == '\n')) || c == 0x7f)
			return -EBADMSG;
	}
	memcpy(buf, s, n + 1);
	return 0;
}

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
	int r = text(obj, "date", false, false, date, 10);

	r = r ?: text(obj, "time", false, false, time, 5);
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

static int
read_row(const json_t *o, struct msg_thread_row *row)
{
	static const char *const kinds[] = {"worker", "contact", NULL};
	char kind[16];
	int r;

	if (!json_is_object(o))
		return -EBADMSG;
	r = text(o, "with", true, false, row->with, MSG_WITH_MAX);
	r = r ?: text(o, "kind", true, false, kind, sizeof(kind) - 1);
	r = r ?: text(o, "name", false, false, row->name, MSG_NAME_MAX);
	r = r ?: text(o, "relation", false, false, row->relation, sizeof(row->relation) - 1);
	r = r ?: text(o, "role", false, false, row->role, sizeof(row->role) - 1);
	r = r
	            ?: text(o, "contact_status", false, false, row->contact_status,
	                    sizeof(row->contact_status) - 1);
	r = r ?: flag(o, "can_send", &row->can_send);
	r = r ?: flag(o, "can_read", &row->can_read);
	r = r ?: text(o, "send_reason", false, false, row->send_reason, MSG_REASON_MAX);
	r = r ?: number(o, "unread", 0, 1000000, &row->unread);
	r = r ?: when(o, row->last_date, row->last_time);
	if (r == 0 && !one_of(kind, kinds))
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
	static const char *const froms[] = {"you", "contact", "staff", NULL};
	static const char *const statuses[] = {"held",    "delivered", "rejected",
	                                       "waiting", "answered",  NULL};
	int r;

	if (!json_is_object(o))
		return -EBADMSG;
	r = number(o, "id", 1, INT64_MAX, &ret->id);
	r = r ?: text(o, "kind", true, false, ret->kind, sizeof(ret->kind) - 1);
	r = r ?: text(o, "from", true, false, ret->from, sizeof(ret->from) - 1);
	r = r ?: text(o, "text", false, true, ret->text, MSG_TEXT_MAX);
	r = r ?: text(o, "status", true, false, ret->status, sizeof(ret->status) - 1);
	r = r ?: text(o, "reason", false, false, ret->reason, MSG_REASON_MAX);
	r = r ?: text(o, "quote", false, true, ret->quote, MSG_TEXT_MAX);
	r = r ?: text(o, "author_name", false, false, ret->author_name, MSG_NAME_MAX);
	r = r
	            ?: text(o, "author_role", false, false, ret->author_role,
	                    sizeof(ret->author_role) - 1);
	r = r ?: flag(o, "read", &ret->read);
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
	r = text(params, "with", true, false, ret->with, MSG_WITH_MAX);
	r = r ?: text(params, "name", false, false, ret->name, MSG_NAME_MAX);
	r = r ?: flag(params, "can_send", &ret->can_send);
	r = r ?: text(params, "send_reason", false, false, ret->send_reason, MSG_REASON_MAX);
	r = r ?: flag(params, "can_read", &ret->can_read);
	r = r ?: text(params, "read_reason", false, false, ret->read_reason, MSG_REASON_MAX);
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
		if (text(o, "role", true, false, rd->role, sizeof(rd->role) - 1) < 0 ||
		    when(o, rd->date, rd->time) < 0)
			continue;
		ret->n_reads++;
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

/*
 * Messages in person bundles (see person_parts.h): every item of every thread, the
 * refusals a person may still ask staff about, and the record of staff reads, so the
 * conversation — with family and with the named worker — carries on after a move.
 * Contact ids are renamed to the ones the contacts got at import; a thread with a contact
 * who did not come across is left behind. Review requests keep pointing at their message.
 */
#include "messages_int.h"

#include "person_parts.h"
#include "rows.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct store_column message_columns[] = {
        {"contact_id", 'i', 0},
        {"kind", 't', 7},
        {"direction", 't', 3},
        {"author", 't', 32},
        {"author_name", 't', STORE_NAME_MAX},
        {"author_role", 't', 23},
        {"text", 't', STORE_MESSAGE_TEXT_MAX},
        {"status", 't', 11},
        {"reason", 't', STORE_MESSAGE_REASON_MAX},
        {"quote", 't', STORE_MESSAGE_TEXT_MAX},
        {"refusal_id", 'i', 0},
        {"about", 'i', 0},
        {"policies", 't', 255},
        {"matched", 't', STORE_MESSAGE_WORD_MAX},
        {"decided_by", 't', 32},
        {"decided_at", 'i', 0},
        {"created_at", 'i', 0},
        {"read_at", 'i', 0},
        {"acked_at", 'i', 0},
        {NULL},
};

static const struct store_column refusal_columns[] = {
        {"contact_id", 'i', 0},
        {"text", 't', STORE_MESSAGE_TEXT_MAX},
        {"reason", 't', STORE_MESSAGE_REASON_MAX},
        {"policies", 't', 255},
        {"reviewed", 'i', 0},
        {"created_at", 'i', 0},
        {NULL},
};

static const struct store_column staff_read_columns[] = {
        {"contact_id", 'i', 0},
        {"staff_id", 't', 32},
        {"role", 't', 23},
        {"via", 't', 31},
        {"messages", 'i', 0},
        {"at", 'i', 0},
        {NULL},
};

/* The tables, for export and clearing; the import renames across them (below). */
static const struct part_table tables[] = {
        {"messages", "messages", message_columns, NULL, false, 0},
        {"refusals", "message_refusals", refusal_columns, NULL, false, 0},
        {"staff_reads", "message_staff_reads", staff_read_columns, NULL, false, 0},
        {NULL},
};

/* Old ids to new, for rows of one table in this import. */
struct renames {
	size_t n;
	int64_t *from, *to;
};

/* Old ids are in ascending order (import_table checks), so a search halves each time:
 * one scan per row made 50,000 messages hold the daemon for seconds. */
static int64_t
renamed(const struct renames *m, int64_t from)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->from[mid] == from)
			return m->to[mid];
		if (m->from[mid] < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

struct fixups {
	const struct id_map *contacts;
	struct renames refusals, messages;
};

/* A row's contact, renamed; false (skip the row) when the contact did not come across. */
static bool
fix_contact(json_t *row, const struct id_map *contacts)
{
	json_int_t id = json_integer_value(json_object_get(row, "contact_id"));
	int64_t to;

	if (id == STORE_MESSAGE_WORKER)
		return true;
	to = id_map_get(contacts, id);
	if (!to)
		return false;
	json_object_set_new(row, "contact_id", json_integer(to));
	return true;
}

static bool
fix_refusal(json_t *row, void *userdata, int *ret_error)
{
	struct fixups *f = userdata;

	return fix_contact(row, f->contacts);
}

static bool
fix_message(json_t *row, void *userdata, int *ret_error)
{
	struct fixups *f = userdata;
	json_int_t refusal = json_integer_value(json_object_get(row, "refusal_id"));
	json_int_t about = json_integer_value(json_object_get(row, "about"));

	if (!fix_contact(row, f->contacts))
		return false;
	/* Items are in order, so what an item is about came before it. */
	json_object_set_new(row, "refusal_id",
	                    json_integer(refusal ? renamed(&f->refusals, refusal) : 0));
	json_object_set_new(row, "about", json_integer(about ? renamed(&f->messages, about) : 0));
	return true;
}

static bool
fix_staff_read(json_t *row, void *userdata, int *ret_error)
{
	struct fixups *f = userdata;

	return fix_contact(row, f->contacts);
}

/* Imports one table's rows, recording old id → new id. */
static int
import_table(struct store *s, int64_t person_id, const char *table,
             const struct store_column *columns, json_t *rows, store_row_fixup_fn fixup,
             struct fixups *f, struct renames *ret)
{
	size_t n = json_array_size(rows), i;
	json_t *row;
	int64_t *ids;
	int r;

	if (!json_is_array(rows))
		return -EBADMSG;
	ids = calloc(n ? n : 1, sizeof(*ids));
	if (ret) {
		ret->from = calloc(n ? n : 1, sizeof(*ret->from));
		ret->n = 0;
	}
	if (!ids || (ret && !ret->from)) {
		free(ids);
		return -ENOMEM;
	}
	/* Note each row's old id before the fixups run, since rows refer to earlier ones. */
	if (ret) {
		ret->to = ids;
		json_array_foreach(rows, i, row)
		{
			ret->from[i] = json_integer_value(json_object_get(row, "id"));
			ret->n = i + 1;
			/* Exported in id order: anything else is not a bundle this service made. */
			if (i > 0 && ret->from[i] <= ret->from[i - 1])
				return -EBADMSG;
		}
	}
	r = store_rows_import(s, table, person_id, columns, rows, fixup, f, ids);
	if (!ret)
		free(ids);
	return r;
}

/* Far more than a person holds within the retention period; the moves area has bounded
 * every list before the bundle was parsed, and these bound this part's more closely. */
#define BUNDLE_MESSAGES_MAX 50000
#define BUNDLE_REFUSALS_MAX 10000
#define BUNDLE_STAFF_READS_MAX 50000

static int
part_import(struct store *s, int64_t person_id, json_t *part, const struct id_map *contacts,
            char *err, size_t size)
{
	struct fixups f = {.contacts = contacts};
	int r;

	if (json_array_size(json_object_get(part, "messages")) > BUNDLE_MESSAGES_MAX ||
	    json_array_size(json_object_get(part, "refusals")) > BUNDLE_REFUSALS_MAX ||
	    json_array_size(json_object_get(part, "staff_reads")) > BUNDLE_STAFF_READS_MAX) {
		snprintf(err, size,
		         "The bundle holds more messages than any person's record has, so it was "
		         "refused and nothing was imported.");
		return -EMSGSIZE;
	}

	r = import_table(s, person_id, "message_refusals", refusal_columns,
	                 json_object_get(part, "refusals"), fix_refusal, &f, &f.refusals);
	if (r == 0)
		r = import_table(s, person_id, "messages", message_columns,
		                 json_object_get(part, "messages"), fix_message, &f, &f.messages);
	if (r == 0)
		r = import_table(s, person_id, "message_staff_reads", staff_read_columns,
		                 json_object_get(part, "staff_reads"), fix_staff_read, &f, NULL);
	free(f.refusals.from);
	free(f.refusals.to);
	free(f.messages.from);
	free(f.messages.to);
	if (r == -EBADMSG)
		snprintf(err, size, "The bundle's messages are not well formed.");
	return r;
}

/* Exported and cleared as tables; imported by part_import, which renames across them. */
const struct person_part message_part = {
        .name = "messages",
        .tables = tables,
        .import_part = part_import,
};

/*
 * onward.Audit.Show and onward.Audit.Verify: reading the audit chain a page at a time,
 * and walking all of it to find the first row that was altered, removed or reordered.
 * Reading the log is itself audited.
 */
#include "call.h"

#include "render.h"

#include <stdio.h>

static int
add_row_to_list(const struct store_audit_row *row, void *userdata)
{
	return json_array_append_new(userdata, render_audit_row(row));
}

static void
handle_show(struct call *c)
{
	struct store_audit_filter f = {
	        .after_seq = params_int(c->params, "after", 0),
	        .subject = params_string(c->params, "subject", NULL),
	        .actor = params_string(c->params, "actor", NULL),
	        .limit = (int)params_int(c->params, "limit", 50),
	};
	json_t *list = json_array();
	int r;

	call_set_subject(c, "%.40s", f.subject ? f.subject : "audit");
	r = store_audit_list(c->server->store, &f, add_row_to_list, list);
	call_reply_list(c, r, list, "rows", "audit row");
}

static const char *
problem_name(enum store_audit_problem problem)
{
	switch (problem) {
	case STORE_AUDIT_OK:
		return "ok";
	case STORE_AUDIT_ALTERED:
		return "altered";
	case STORE_AUDIT_BROKEN_LINK:
		return "broken_link";
	case STORE_AUDIT_GAP:
		return "missing";
	case STORE_AUDIT_TRUNCATED:
		return "truncated";
	}
	return "unknown";
}

static void
handle_verify(struct call *c)
{
	struct store_audit_report report;
	char message[200];
	int r;

	call_set_subject(c, "audit");
	r = store_audit_verify(c->server->store, &report);
	if (r < 0) {
		call_fail_store(c, r, "audit row");
		return;
	}
	switch (report.problem) {
	case STORE_AUDIT_OK:
		snprintf(message, sizeof(message), "audit chain OK: %lld rows",
		         (long long)report.rows);
		break;
	case STORE_AUDIT_ALTERED:
		snprintf(message, sizeof(message), "row %lld was altered after it was written",
		         (long long)report.bad_seq);
		break;
	case STORE_AUDIT_BROKEN_LINK:
		snprintf(message, sizeof(message),
		         "row %lld does not follow the row before it (rows removed or reordered)",
		         (long long)report.bad_seq);
		break;
	case STORE_AUDIT_GAP:
		snprintf(message, sizeof(message), "row %lld is missing",
		         (long long)report.bad_seq);
		break;
	case STORE_AUDIT_TRUNCATED:
		snprintf(message, sizeof(message),
		         "rows after %lld were removed from the end of the chain",
		         (long long)report.bad_seq);
		break;
	}
	call_reply(c, json_pack("{s:b, s:s, s:I, s:I, s:s}", "ok", report.problem == STORE_AUDIT_OK,
	                        "problem", problem_name(report.problem), "rows",
	                        (json_int_t)report.rows, "seq", (json_int_t)report.bad_seq,
	                        "message", message));
}

static const struct param_spec show_params[] = {
        {"after", PARAM_INT, false, 0, INT64_MAX},
        {"limit", PARAM_INT, false, 1, 1000},
        {"subject", PARAM_STRING, false, 0, 47},
        {"actor", PARAM_STRING, false, 0, 47},
        {NULL},
};

static const struct param_spec no_params[] = {{NULL}};

const struct method audit_methods[] = {
        {"onward.Audit.Show", SOCKET_ADMIN, "audit.show", AUDIT_ON_REPLY, .group = "audit.read",
         .network = true, .params = show_params, .handler = handle_show},
        {"onward.Audit.Verify", SOCKET_ADMIN, "audit.verify", AUDIT_ON_REPLY, .group = "audit.read",
         .network = true, .params = no_params, .handler = handle_verify},
        {NULL},
};

/*
 * policy.h: the Onward policy engine, a Cedar (cedarpolicy.com, language 4.x) authorizer.
 *
 * The objects, and who owns what:
 *
 *   struct policy_set       parsed policies, templates and template links, with a scope index.
 *                           Built from Cedar text, file after file; immutable while authorizing.
 *   struct policy_entities  an entity store (uid, attributes, parents) and the owner of every
 *                           struct policy_value made with it. Reusable: clear it and refill.
 *   struct policy_request   principal, action, resource and a context record.
 *   struct policy_response  the decision, the determining policy ids and the errors of one
 *                           authorization; reusable, so that the hot path does not allocate.
 *
 * Every function returns 0 on success or a negative errno code: -EINVAL for bad input (text,
 * JSON, a malformed name), -ENOMEM, -ENOENT for an unknown policy id, -EEXIST for a duplicate,
 * -ELOOP for a cycle in the entity hierarchy, -E2BIG for input past a limit below. Outputs are
 * named ret_*, come last, and are left untouched on failure. Functions that can fail on bad
 * input take a struct policy_diag *diag (may be NULL) and fill it on failure with one line a
 * person can act on. The library never logs and never aborts on bad input.
 *
 * Threads: objects are not locked. Any number of threads may call policy_set_authorize() on
 * one policy set at once, each with its own entity store, request and response; changing a set
 * (parse, link, unlink) must not overlap any other use of it.
 *
 * Extension types (ip, decimal, datetime, duration) and entity tags are not supported: a policy
 * that uses them fails to parse, and JSON with "__extn" or "tags" is rejected, each with a
 * message saying so.
 */
#ifndef ONWARD_POLICY_H
#define ONWARD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits on input an outsider controls; past them, -E2BIG. */
#define POLICY_MAX_TEXT (16u << 20) /* bytes of policy text in one call */
#define POLICY_MAX_JSON (64u << 20) /* bytes of one JSON document */
#define POLICY_MAX_DEPTH 256 /* nesting of expressions or JSON values */
#define POLICY_MAX_POLICIES 1000000 /* policies, templates and links in one set */

struct policy_set;
struct policy_entities;
struct policy_entity;
struct policy_value;
struct policy_request;
struct policy_response;

/* An entity uid passed by the caller: a type name such as "Person" or "Onward::Person", and
 * an id. Both strings are borrowed for the call only. */
struct policy_uid {
	const char *type;
	const char *id;
};

/* Where and why an input was rejected. message holds the whole line, for example
 * "policy/national.cedar:12:7: expected ';' after policy"; line and column are 1-based
 * (0 when the error has no position), column counted in characters. */
struct policy_diag {
	unsigned line;
	unsigned column;
	char message[512];
};

enum policy_effect {
	POLICY_PERMIT = 0,
	POLICY_FORBID = 1,
};

/* ---- Policy sets ------------------------------------------------------------------------ */

/* A new, empty set; the caller owns it and frees it with policy_set_free(). */
int policy_set_new(struct policy_set **ret_set);
void policy_set_free(struct policy_set *set);

/*
 * Parses Cedar policy text (len bytes, need not be NUL-terminated) and appends its policies
 * and templates to set. Ids are "policy0", "policy1", ... in order of appearance, continuing
 * the set's counter across calls (templates take ids from the same counter, as Cedar does).
 * origin names the text in error messages (usually the file name); NULL gives "<input>".
 * All or nothing: on any error the set is unchanged and diag holds one message.
 */
int policy_set_parse(struct policy_set *set, const char *origin, const char *text, size_t len,
                     struct policy_diag *diag);

/*
 * Builds a new set from files in order (for example the national baseline, then an
 * establishment file). On failure *ret_set is untouched, so a caller keeps its old set.
 */
int policy_set_load_files(const char *const *paths, size_t n, struct policy_diag *diag,
                          struct policy_set **ret_set);

/*
 * Links the template template_id as a new policy named link_id, filling ?principal and
 * ?resource. A slot the template has must be given; a slot it lacks must be NULL. Fails with
 * -ENOENT if there is no such template, -EEXIST if link_id is taken, -EINVAL on a bad uid or
 * slot mismatch (diag says which).
 */
int policy_set_link(struct policy_set *set, const char *template_id, const char *link_id,
                    const struct policy_uid *principal, const struct policy_uid *resource,
                    struct policy_diag *diag);

/*
 * Makes links from JSON in cedar-wasm's form: [{"templateId": "policy3", "newId": "grant-17",
 * "values": {"?principal": {"type": "Person", "id": "A1234BC"}}}]. All or nothing.
 */
int policy_set_link_json(struct policy_set *set, const char *text, size_t len,
                         struct policy_diag *diag);

/* Removes the link link_id; -ENOENT if there is no such link (static policies stay). */
int policy_set_unlink(struct policy_set *set, const char *link_id);

/* Number of policies, templates and links in the set, and the id of the i-th, in order:
 * parsed policies and templates as they appeared, then links in the order they were made.
 * The string is borrowed from the set and valid until the set changes or is freed. */
size_t policy_set_count(const struct policy_set *set);
const char *policy_set_id_at(const struct policy_set *set, size_t i);

/* The effect of a policy, template or link. -ENOENT for an unknown id. */
int policy_set_effect(const struct policy_set *set, const char *id, enum policy_effect *ret_effect);

/* Whether id names a template (which never applies by itself); -ENOENT for an unknown id. */
int policy_set_is_template(const struct policy_set *set, const char *id, bool *ret_is_template);

/*
 * The value of annotation @key("value") on a policy, template or link (a link answers with
 * its template's annotations). @key with no value gives "". -ENOENT when the policy or the
 * annotation does not exist. The string is borrowed from the set.
 */
int policy_set_annotation(const struct policy_set *set, const char *id, const char *key,
                          const char **ret_value);

/* All annotations of a policy, in order: count, then key and value of the i-th. */
int policy_set_annotation_count(const struct policy_set *set, const char *id, size_t *ret_count);
int policy_set_annotation_at(const struct policy_set *set, const char *id, size_t i,
                             const char **ret_key, const char **ret_value);

/* ---- Entities and values ---------------------------------------------------------------- */

/* A new, empty entity store; the caller owns it. */
int policy_entities_new(struct policy_entities **ret_store);
void policy_entities_free(struct policy_entities *store);

/* Forgets every entity and value made with the store but keeps its memory for reuse. Every
 * struct policy_entity and struct policy_value made with it becomes invalid. */
void policy_entities_clear(struct policy_entities *store);

/*
 * Parses entities in Cedar's JSON format (an array of {"uid", "attrs", "parents"}) into a new
 * store. uid and parents take {"type","id"} or {"__entity":{...}}; attribute values take JSON
 * booleans, integers, strings, arrays, objects and {"__entity":{...}}. Duplicate uids with
 * different content and cycles in the hierarchy are rejected, as Cedar does.
 */
int policy_entities_parse_json(const char *text, size_t len, struct policy_diag *diag,
                               struct policy_entities **ret_store);

/*
 * Adds an entity; the store owns it, *ret_entity is borrowed from the store and valid until it
 * is cleared or freed. -EEXIST if the uid is already there.
 */
int policy_entities_add(struct policy_entities *store, const struct policy_uid *uid,
                        struct policy_entity **ret_entity);

/* Adds a parent (in Cedar terms, the entity is "in" the parent). A parent need not exist. */
int policy_entity_add_parent(struct policy_entity *entity, const struct policy_uid *parent);

/* Sets attribute name to value (a value made with the same store); -EEXIST if already set. */
int policy_entity_set_attr(struct policy_entity *entity, const char *name,
                           const struct policy_value *value);

/*
 * Checks the store's hierarchy: -ELOOP if an entity is its own ancestor (Cedar rejects such
 * stores). Authorization never hangs on a cycle even without this check, but its answer for
 * "in" is then not Cedar's. The JSON reader calls it.
 */
int policy_entities_check(struct policy_entities *store, struct policy_diag *diag);

/*
 * Values, made with and owned by a store (copied in; valid until the store is cleared or
 * freed). Sets drop duplicates; records reject duplicate keys with -EEXIST. Items of a set or
 * record must come from the same store.
 */
int policy_value_bool(struct policy_entities *store, bool b, const struct policy_value **ret_value);
int policy_value_long(struct policy_entities *store, int64_t n,
                      const struct policy_value **ret_value);
int policy_value_string(struct policy_entities *store, const char *s, size_t len,
                        const struct policy_value **ret_value);
int policy_value_entity(struct policy_entities *store, const struct policy_uid *uid,
                        const struct policy_value **ret_value);
int policy_value_set(struct policy_entities *store, const struct policy_value *const *items,
                     size_t n, const struct policy_value **ret_value);
int policy_value_record(struct policy_entities *store, const char *const *keys,
                        const struct policy_value *const *values, size_t n,
                        const struct policy_value **ret_value);

/* ---- Requests --------------------------------------------------------------------------- */

/* A new request: every uid empty and an empty context. The caller owns it. */
int policy_request_new(struct policy_request **ret_request);
void policy_request_free(struct policy_request *request);

/* Set the three uids (copied). */
int policy_request_set_principal(struct policy_request *request, const struct policy_uid *uid);
int policy_request_set_action(struct policy_request *request, const struct policy_uid *uid);
int policy_request_set_resource(struct policy_request *request, const struct policy_uid *uid);

/* Sets the context to a record value; borrowed, so its store must outlive the request's use.
 * NULL restores the empty context. -EINVAL if value is not a record. */
int policy_request_set_context(struct policy_request *request, const struct policy_value *record);

/*
 * Parses a request in JSON: {"principal": uid, "action": uid, "resource": uid, "context": {}}
 * (context optional). The request owns its context.
 */
int policy_request_parse_json(const char *text, size_t len, struct policy_diag *diag,
                              struct policy_request **ret_request);

/* ---- Authorization ---------------------------------------------------------------------- */

int policy_response_new(struct policy_response **ret_response);
void policy_response_free(struct policy_response *response);

/*
 * Decides request against set with Cedar's semantics: deny by default; any satisfied forbid
 * denies; else any satisfied permit allows. A policy whose evaluation fails is skipped and
 * listed among the errors. Fills response (replacing what it held); strings in the response
 * are borrowed from set and response, valid until either changes. entities may be NULL (an
 * empty store). Fails only with -ENOMEM or -EINVAL for an incomplete request.
 */
int policy_set_authorize(const struct policy_set *set, const struct policy_entities *entities,
                         const struct policy_request *request, struct policy_response *response);

bool policy_response_allowed(const struct policy_response *response);
/* Whether some permit was satisfied, whether or not a forbid then denied: a request a
 * forbid denied that nothing permits would be refused without that forbid too. */
bool policy_response_permitted(const struct policy_response *response);
/* The determining policies: the satisfied forbids when denied by one, else the satisfied
 * permits when allowed; in policy set order. */
size_t policy_response_reason_count(const struct policy_response *response);
const char *policy_response_reason_at(const struct policy_response *response, size_t i);
/* Policies that failed to evaluate, in policy set order, with a message for each. */
size_t policy_response_error_count(const struct policy_response *response);
const char *policy_response_error_policy_at(const struct policy_response *response, size_t i);
const char *policy_response_error_message_at(const struct policy_response *response, size_t i);

/* The message for an error code returned by this library. */
const char *policy_strerror(int err);

#endif

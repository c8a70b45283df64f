/*
 * policy_int.h: the engine's internal structures, shared by its .c files and by nothing
 * else. Values are small by-value structs (struct val) whose payload points into an arena;
 * strings carry their length and hash so that comparisons and lookups rarely touch bytes.
 */
#ifndef ONWARD_POLICY_INT_H
#define ONWARD_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"
#include "text.h"

/* ---- arena.c: bump allocation, freed all at once ----------------------------------------- */

struct arena_block;

struct arena {
	struct arena_block *head; /* owned; newest first */
	char *cur; /* next free byte in head */
	char *end; /* end of head */
};

void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Frees every block but the newest, and rewinds it, so steady reuse allocates nothing. */
void arena_reset(struct arena *a);
void arena_release(struct arena *a);
/* Moves every block of src into dst (src ends empty); what src allocated stays valid. */
void arena_adopt(struct arena *dst, struct arena *src);

/* ---- hash.c ----------------------------------------------------------------------------- */

uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);
uint64_t hash_mix(uint64_t a, uint64_t b);
/* Whether s is a Cedar name: IDENT {"::" IDENT}, no reserved words. */
bool cedar_name_valid(const char *s, size_t n);
bool ident_reserved(const char *s, size_t n);

/* ---- value.c: values, uids, sets and records ------------------------------------------- */

struct uid {
	const char *type; /* "Person" or "Ns::Person"; storage is the owner's */
	const char *id;
	uint32_t tlen;
	uint32_t idlen;
	uint64_t hash;
};

enum vkind {
	V_BOOL,
	V_LONG,
	V_STRING,
	V_ENTITY,
	V_SET,
	V_RECORD,
};

struct field;

struct val {
	uint32_t kind; /* enum vkind */
	uint32_t n; /* string bytes, set items or record fields */
	union {
		bool b;
		int64_t l;
		const char *s;
		const struct uid *e;
		const struct val *items; /* sets: sorted by val_cmp, no duplicates */
		const struct field *fields; /* records: sorted by key, no duplicates */
	};
};

struct field {
	const char *key;
	uint32_t klen;
	uint32_t khash;
	struct val v;
};

/* The public value handle is a struct val in its store's arena. */
struct policy_value {
	struct val v;
};

void uid_init(struct uid *u, const char *type, size_t tlen, const char *id, size_t idlen);
static inline bool
uid_eq(const struct uid *a, const struct uid *b)
{
	return a == b || (a->hash == b->hash && a->tlen == b->tlen && a->idlen == b->idlen &&
	                  __builtin_memcmp(a->type, b->type, a->tlen) == 0 &&
	                  __builtin_memcmp(a->id, b->id, a->idlen) == 0);
}
/* A uid with its strings copied into a. */
struct uid *uid_dup(struct arena *a, const char *type, size_t tlen, const char *id, size_t idlen);

uint32_t key_hash(const char *k, size_t n);
int val_cmp(const struct val *a, const struct val *b);
bool val_eq(const struct val *a, const struct val *b);
/* Sorts and deduplicates items in place; returns the new count. */
uint32_t set_canonicalize(struct val *items, uint32_t n);
bool set_contains(const struct val *set, const struct val *v);
/* Sorts fields by key; returns false on a duplicate key. */
bool record_canonicalize(struct field *fields, uint32_t n);
const struct val *record_get(const struct val *rec, const char *key, uint32_t klen, uint32_t khash);
const char *vkind_name(enum vkind k);
/* Writes a Cedar rendering of v (e.g. User::"a", 42, "s") to buf, truncated to size. */
void val_format(const struct val *v, char *buf, size_t size);
void uid_format(const struct uid *u, char *buf, size_t size);

/* ---- entities.c ------------------------------------------------------------------------- */

struct policy_entity {
	struct uid uid;
	struct field *attrs; /* in store::arena, sorted by key */
	uint32_t nattrs;
	uint32_t capattrs;
	const struct uid **parents; /* in store::arena */
	uint32_t nparents;
	uint32_t capparents;
	/* Ancestor cache: an open-addressed set of uids, filled on first use. */
	const struct uid **anc; /* in store::arena; NULL until computed */
	uint32_t anc_cap; /* power of two */
	uint32_t nanc;
	struct policy_entities *store; /* borrowed: the owner */
};

struct policy_entities {
	struct arena arena; /* owns entities, their strings and values */
	struct policy_entity **slots; /* owned; open-addressed by uid hash */
	uint32_t cap; /* power of two, or 0 */
	uint32_t count;
	struct policy_entity **order; /* owned; in insertion order */
	uint32_t order_cap;
	bool anc_cached; /* some entity holds a cached ancestor set */
};

struct policy_entity *entities_find(const struct policy_entities *s, const struct uid *u);
/* The ancestor set of e as an open-addressed table (NULL slots are empty), computed and
 * cached on first use: the store is mutated, which is why a store serves one thread. */
int entity_ancestor_table(struct policy_entity *e, const struct uid *const **ret_tab,
                          uint32_t *ret_cap);
int entities_insert(struct policy_entities *s, const char *type, size_t tlen, const char *id,
                    size_t idlen, struct policy_entity **ret_entity);
int entity_add_parent_uid(struct policy_entity *e, const struct uid *u);
int entity_set_attr_val(struct policy_entity *e, const char *name, size_t nlen,
                        const struct val *v);
bool entity_has_ancestor(struct policy_entity *e, const struct uid *anc);
/* Whether a is b or a descendant of b in store s (a need not be in s). */
bool uid_in(const struct policy_entities *s, const struct uid *a, const struct uid *b);

/* ---- lexer.c and parser.c --------------------------------------------------------------- */

enum expr_kind {
	E_LIT,
	E_VAR,
	E_NOT,
	E_NEG,
	E_EQ,
	E_NE,
	E_LT,
	E_LE,
	E_GT,
	E_GE,
	E_IN,
	E_AND,
	E_OR,
	E_ADD,
	E_SUB,
	E_MUL,
	E_CONTAINS,
	E_CONTAINS_ALL,
	E_CONTAINS_ANY,
	E_IS_EMPTY,
	E_GET_ATTR,
	E_HAS_ATTR,
	E_LIKE,
	E_IS,
	E_IF,
	E_SET,
	E_RECORD,
};

enum var_kind {
	VAR_PRINCIPAL,
	VAR_ACTION,
	VAR_RESOURCE,
	VAR_CONTEXT,
};

/* A like pattern: literal runs separated by wildcards. */
struct pattern {
	uint32_t nparts;
	struct pattern_part {
		bool star; /* a wildcard; else a literal run */
		uint32_t len;
		const char *s;
	} * parts;
};

struct expr {
	uint32_t kind; /* enum expr_kind */
	uint32_t n; /* items of E_SET / E_RECORD */
	union {
		struct val lit; /* E_LIT */
		uint32_t var; /* E_VAR */
		struct expr *a[3]; /* operands; E_IF: cond, then, else */
		struct {
			struct expr *obj;
			const char *key; /* E_GET_ATTR, E_HAS_ATTR */
			uint32_t klen;
			uint32_t khash;
		} attr;
		struct {
			struct expr *obj;
			const struct pattern *pat; /* E_LIKE */
		} like;
		struct {
			struct expr *obj;
			const char *type; /* E_IS */
			uint32_t tlen;
			struct expr *in; /* NULL for plain is */
		} is;
		struct expr **items; /* E_SET */
		struct {
			struct expr **vals; /* E_RECORD, parallel to keys */
			struct field *keys; /* keys sorted; v unused */
		} rec;
	};
};

enum scope_op {
	SC_ANY,
	SC_EQ,
	SC_IN,
	SC_IS,
	SC_IS_IN,
	SC_IN_LIST, /* action only */
};

struct scope {
	uint32_t op; /* enum scope_op */
	bool slot; /* the uid is the template's slot */
	const char *type; /* SC_IS, SC_IS_IN */
	uint32_t tlen;
	const struct uid *uid; /* SC_EQ, SC_IN, SC_IS_IN unless slot */
	const struct uid **list; /* SC_IN_LIST */
	uint32_t nlist;
};

struct annotation {
	const char *key;
	const char *value;
};

struct condition {
	bool when; /* else unless */
	struct expr *e;
};

/* A parsed policy or template; links share their template's. */
struct policy_def {
	enum policy_effect effect;
	bool is_template;
	struct scope principal;
	struct scope action;
	struct scope resource;
	struct condition *conds;
	uint32_t nconds;
	struct annotation *annos;
	uint32_t nannos;
};

struct policy {
	const char *id; /* in set arena, or inline after a link */
	const struct policy_def *def; /* borrowed from the set's arena */
	const struct uid *slot_principal; /* links: owned with the link */
	const struct uid *slot_resource;
	uint64_t seq; /* order in the set */
	bool is_link; /* malloc'd as one block with its id and uids */
	uint32_t links; /* templates: live links to it */
};

struct parse_out {
	struct policy_def **defs; /* malloc'd; entries in the arena */
	size_t n;
	size_t cap;
};

/* Parses text into defs allocated in a; on failure fills diag and returns -EINVAL. */
int parse_policies(struct arena *a, const char *origin, const char *text, size_t len,
                   struct parse_out *out, struct policy_diag *diag);

/* Unescapes a Cedar string literal body; pattern mode also takes \*. */
void diag_set(struct policy_diag *diag, unsigned line, unsigned col, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* ---- policyset.c and index.c ------------------------------------------------------------ */

struct index_bucket {
	const struct uid *key;
	struct policy **items; /* owned */
	uint32_t n;
	uint32_t cap;
};

struct index {
	struct index_bucket *slots; /* owned */
	uint32_t cap;
	uint32_t count;
};

struct policy_set {
	struct arena arena; /* owns defs, ids and uids of parsed policies */
	struct policy **list; /* owned; every policy in order; links owned here too */
	size_t n;
	size_t cap;
	struct policy **by_id; /* owned; open-addressed by id hash */
	size_t id_cap;
	uint64_t next_seq;
	uint32_t next_id; /* the N of the next "policyN" */
	struct index by_principal;
	struct index by_resource;
	struct index by_action;
	struct policy **fallback; /* owned; policies no index can narrow */
	size_t nfallback;
	size_t fallback_cap;
};

struct policy *set_find(const struct policy_set *set, const char *id);
int index_add(struct policy_set *set, struct policy *p);
void index_remove(struct policy_set *set, struct policy *p);
void index_release(struct policy_set *set);
const struct index_bucket *index_get(const struct index *ix, const struct uid *key);

/* ---- request.c -------------------------------------------------------------------------- */

struct req_uid {
	struct uid u;
	char *mem; /* owned: type then id */
	size_t cap;
	bool set;
};

struct policy_request {
	struct req_uid principal;
	struct req_uid action;
	struct req_uid resource;
	struct val context; /* a record; borrowed or in arena */
	struct arena arena; /* owns a parsed context */
};

int req_uid_set(struct req_uid *ru, const char *type, size_t tlen, const char *id, size_t idlen);

/* ---- eval.c ----------------------------------------------------------------------------- */

struct eval {
	const struct policy_entities *ents; /* may be NULL */
	const struct policy_request *req;
	struct arena *arena; /* scratch for this decision */
	const char *err; /* the message of the first error */
};

/* Evaluates e into *out; on error returns -1 and sets ev->err. */
int eval_expr(struct eval *ev, const struct expr *e, struct val *out);
/* Evaluates e and requires a bool, as a when/unless body must be. */
int eval_condition(struct eval *ev, const struct expr *e, bool *ret);
bool pattern_match(const struct pattern *p, const char *s, size_t n);

/* ---- authorize.c ------------------------------------------------------------------------ */

struct resp_error {
	const char *policy;
	const char *message; /* in response arena */
};

struct policy_response {
	bool allowed;
	const char **reasons; /* owned array; strings borrowed from the set */
	size_t nreasons;
	size_t reasons_cap;
	struct resp_error *errors; /* owned array */
	size_t nerrors;
	size_t errors_cap;
	struct policy **cand; /* owned scratch: candidate policies */
	size_t ncand;
	size_t cand_cap;
	const char **permits; /* owned scratch */
	size_t npermits;
	size_t permits_cap;
	struct arena arena; /* scratch values and error messages */
};

#endif

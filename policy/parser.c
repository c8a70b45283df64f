/*
 * parser.c: turns Cedar policy text into policy definitions: annotations, the effect, the
 * principal/action/resource scope (with template slots) and when/unless conditions, with the
 * checks Cedar makes at parse time (action scopes name Action entities, slots only in their
 * own scope, no duplicate annotations). Expressions are parse_expr.c's. Errors say where, as
 * "file:line:column: what was expected", and stop the parse at the first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

void
parser_next(struct parser *p)
{
	p->prev = p->tok;
	lexer_next(&p->lx, &p->tok);
}

void *
parser_error(struct parser *p, const struct token *tok, const char *fmt, ...)
{
	if (p->failed)
		return NULL;
	p->failed = true;
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	unsigned line, col;
	lexer_position(&p->lx, tok->off, &line, &col);
	diag_set(p->diag, line, col, "%s:%u:%u: %s", p->origin, line, col, msg);
	return NULL;
}

void *
parser_expected(struct parser *p, const char *what)
{
	char found[80];
	if (p->tok.t == T_ERROR)
		return parser_error(p, &p->tok, "%s", p->tok.msg);
	token_describe(&p->tok, found, sizeof(found));
	/* At the end of input, point just past the last token, where the fix goes. */
	struct token at = p->tok;
	if (at.t == T_EOF && p->prev.len)
		at.off = p->prev.off + p->prev.len;
	return parser_error(p, &at, "expected %s, found %s", what, found);
}

bool
tok_is_word(const struct token *tok, const char *word)
{
	size_t n = strlen(word);
	return tok->t == T_IDENT && tok->len == n && memcmp(tok->s, word, n) == 0;
}

char *
parse_string_token(struct parser *p, const struct token *tok, bool pattern, size_t *ret_len)
{
	size_t bad = 0, badlen = 0;
	bool nomem = false;
	char *s = string_unescape(p->a, tok->s + 1, tok->len - 2, pattern, ret_len, &bad, &badlen,
	                          &nomem);
	if (s)
		return s;
	if (nomem)
		return parser_error(p, tok, "out of memory");
	struct token at = *tok;
	at.off += 1 + bad;
	return parser_error(p, &at, "the input `%.*s` is not a valid escape", (int)badlen,
	                    tok->s + 1 + bad);
}

static bool
ident_ok(struct parser *p)
{
	if (p->tok.t != T_IDENT)
		return parser_expected(p, "an identifier") != NULL;
	if (ident_reserved(p->tok.s, p->tok.len))
		return parser_error(p, &p->tok,
		                    "this identifier is reserved and cannot be used: %.*s",
		                    (int)p->tok.len, p->tok.s) != NULL;
	return true;
}

bool
parse_path(struct parser *p, const char **ret_s, uint32_t *ret_len)
{
	char buf[1024];
	size_t n = 0;
	for (;;) {
		if (!ident_ok(p))
			return false;
		if (n + p->tok.len + 2 >= sizeof(buf))
			return parser_error(p, &p->tok, "name too long") != NULL;
		memcpy(buf + n, p->tok.s, p->tok.len);
		n += p->tok.len;
		parser_next(p);
		if (p->tok.t != T_DCOLON)
			break;
		struct lexer save = p->lx;
		struct token t = p->tok, pr = p->prev;
		parser_next(p);
		if (p->tok.t != T_IDENT) {
			/* "::" then a string: the path ends, and the caller wants the "::". */
			p->lx = save;
			p->tok = t;
			p->prev = pr;
			break;
		}
		memcpy(buf + n, "::", 2);
		n += 2;
	}
	char *s = arena_strndup(p->a, buf, n);
	if (!s)
		return parser_error(p, &p->tok, "out of memory") != NULL;
	*ret_s = s;
	*ret_len = (uint32_t)n;
	return true;
}

struct uid *
parse_entity_ref(struct parser *p)
{
	const char *type;
	uint32_t tlen;
	if (!parse_path(p, &type, &tlen))
		return NULL;
	if (p->tok.t != T_DCOLON)
		return parser_expected(p, "'::' and a quoted id after the entity type");
	parser_next(p);
	if (p->tok.t != T_STR)
		return parser_expected(p, "a quoted entity id");
	size_t idlen;
	char *id = parse_string_token(p, &p->tok, false, &idlen);
	if (!id)
		return NULL;
	parser_next(p);
	struct uid *u = arena_alloc(p->a, sizeof(*u));
	if (!u)
		return parser_error(p, &p->prev, "out of memory");
	uid_init(u, type, tlen, id, idlen);
	return u;
}

static bool
slot_or_entity(struct parser *p, struct scope *sc, const char *slot)
{
	if (p->tok.t == T_SLOT) {
		if (p->tok.len == strlen(slot) && memcmp(p->tok.s, slot, p->tok.len) == 0) {
			sc->slot = true;
			parser_next(p);
			return true;
		}
		return parser_error(p, &p->tok,
		                    "expected an entity uid or matching template slot, found %.*s "
		                    "instead of %s",
		                    (int)p->tok.len, p->tok.s, slot) != NULL;
	}
	if (p->tok.t == T_LBRACK)
		return parser_error(p, &p->tok,
		                    "expected single entity uid or template slot, found set of "
		                    "entity uids") != NULL;
	sc->uid = parse_entity_ref(p);
	return sc->uid != NULL;
}

/* principal or resource: [ '==' E | 'in' E | 'is' PATH ['in' E] ], E an entity or the slot. */
static bool
parse_scope_pr(struct parser *p, struct scope *sc, const char *var, const char *slot)
{
	if (!tok_is_word(&p->tok, var)) {
		if (tok_is_word(&p->tok, "principal") || tok_is_word(&p->tok, "action") ||
		    tok_is_word(&p->tok, "resource"))
			return parser_error(p, &p->tok,
			                    "found the variable `%.*s` where the variable `%s` "
			                    "must be used",
			                    (int)p->tok.len, p->tok.s, var) != NULL;
		char what[32];
		snprintf(what, sizeof(what), "`%s`", var);
		return parser_expected(p, what) != NULL;
	}
	parser_next(p);
	sc->op = SC_ANY;
	if (p->tok.t == T_EQ) {
		parser_next(p);
		sc->op = SC_EQ;
		return slot_or_entity(p, sc, slot);
	}
	if (tok_is_word(&p->tok, "in")) {
		parser_next(p);
		sc->op = SC_IN;
		return slot_or_entity(p, sc, slot);
	}
	if (tok_is_word(&p->tok, "is")) {
		parser_next(p);
		if (!parse_path(p, &sc->type, &sc->tlen))
			return false;
		if (p->tok.t == T_DCOLON)
			return parser_error(p, &p->tok,
			                    "right hand side of an `is` must be an entity type "
			                    "name, not an entity") != NULL;
		sc->op = SC_IS;
		if (p->tok.t == T_EQ)
			return parser_error(p, &p->tok, "`is` cannot be used together with `==`") !=
			       NULL;
		if (tok_is_word(&p->tok, "in")) {
			parser_next(p);
			sc->op = SC_IS_IN;
			return slot_or_entity(p, sc, slot);
		}
	}
	return true;
}

static bool
action_entity(struct parser *p, const struct uid **ret)
{
	if (p->tok.t == T_SLOT)
		return parser_error(p, &p->tok,
		                    "expected single entity uid, found template slot") != NULL;
	struct token at = p->tok;
	struct uid *u = parse_entity_ref(p);
	if (!u)
		return false;
	bool ok = (u->tlen == 6 && memcmp(u->type, "Action", 6) == 0) ||
	          (u->tlen > 8 && memcmp(u->type + u->tlen - 8, "::Action", 8) == 0);
	if (!ok) {
		char buf[200];
		uid_format(u, buf, sizeof(buf));
		return parser_error(p, &at,
		                    "expected an entity uid with type `Action` but got `%s`",
		                    buf) != NULL;
	}
	*ret = u;
	return true;
}

static bool
parse_scope_action(struct parser *p, struct scope *sc)
{
	if (!tok_is_word(&p->tok, "action")) {
		if (tok_is_word(&p->tok, "principal") || tok_is_word(&p->tok, "resource"))
			return parser_error(p, &p->tok,
			                    "found the variable `%.*s` where the variable `action` "
			                    "must be used",
			                    (int)p->tok.len, p->tok.s) != NULL;
		return parser_expected(p, "`action`") != NULL;
	}
	parser_next(p);
	sc->op = SC_ANY;
	if (p->tok.t == T_EQ) {
		parser_next(p);
		sc->op = SC_EQ;
		return action_entity(p, &sc->uid);
	}
	if (tok_is_word(&p->tok, "is"))
		return parser_error(p, &p->tok, "`is` cannot appear in the action scope") != NULL;
	if (!tok_is_word(&p->tok, "in"))
		return true;
	parser_next(p);
	if (p->tok.t != T_LBRACK) {
		sc->op = SC_IN;
		return action_entity(p, &sc->uid);
	}
	parser_next(p);
	sc->op = SC_IN_LIST;
	const struct uid *items[64];
	const struct uid **list = items;
	uint32_t n = 0, cap = 64;
	while (p->tok.t != T_RBRACK) {
		if (n == cap) {
			const struct uid **bigger = arena_alloc(p->a, 2 * cap * sizeof(*bigger));
			if (!bigger)
				return parser_error(p, &p->tok, "out of memory") != NULL;
			memcpy(bigger, list, n * sizeof(*bigger));
			list = bigger;
			cap *= 2;
		}
		if (!action_entity(p, &list[n]))
			return false;
		n++;
		if (p->tok.t == T_COMMA)
			parser_next(p);
		else if (p->tok.t != T_RBRACK)
			return parser_expected(p, "',' or ']' in the action list") != NULL;
	}
	parser_next(p);
	sc->list = arena_alloc(p->a, (n ? n : 1) * sizeof(*sc->list));
	if (!sc->list)
		return parser_error(p, &p->tok, "out of memory") != NULL;
	memcpy(sc->list, list, n * sizeof(*list));
	sc->nlist = n;
	return true;
}

static bool
parse_annotations(struct parser *p, struct policy_def *d)
{
	struct annotation items[32];
	struct annotation *list = items;
	uint32_t n = 0, cap = 32;
	while (p->tok.t == T_AT) {
		parser_next(p);
		if (p->tok.t != T_IDENT)
			return parser_expected(p, "an annotation name after '@'") != NULL;
		struct token name = p->tok;
		for (uint32_t i = 0; i < n; i++)
			if (strlen(list[i].key) == name.len &&
			    memcmp(list[i].key, name.s, name.len) == 0)
				return parser_error(p, &name, "duplicate annotation: @%.*s",
				                    (int)name.len, name.s) != NULL;
		if (n == cap) {
			struct annotation *bigger = arena_alloc(p->a, 2 * cap * sizeof(*bigger));
			if (!bigger)
				return parser_error(p, &p->tok, "out of memory") != NULL;
			memcpy(bigger, list, n * sizeof(*bigger));
			list = bigger;
			cap *= 2;
		}
		list[n].key = arena_strndup(p->a, name.s, name.len);
		list[n].value = "";
		parser_next(p);
		if (p->tok.t == T_LPAREN) {
			parser_next(p);
			if (p->tok.t != T_STR)
				return parser_expected(p, "a quoted annotation value") != NULL;
			size_t len;
			list[n].value = parse_string_token(p, &p->tok, false, &len);
			if (!list[n].value)
				return false;
			parser_next(p);
			if (p->tok.t != T_RPAREN)
				return parser_expected(p, "')' after the annotation value") != NULL;
			parser_next(p);
		}
		if (!list[n].key)
			return parser_error(p, &p->tok, "out of memory") != NULL;
		n++;
	}
	d->annos = arena_alloc(p->a, (n ? n : 1) * sizeof(*d->annos));
	if (!d->annos)
		return parser_error(p, &p->tok, "out of memory") != NULL;
	memcpy(d->annos, list, n * sizeof(*list));
	d->nannos = n;
	return true;
}

static bool
parse_conditions(struct parser *p, struct policy_def *d)
{
	struct condition items[16];
	struct condition *list = items;
	uint32_t n = 0, cap = 16;
	while (p->tok.t == T_IDENT) {
		bool when = tok_is_word(&p->tok, "when");
		if (tok_is_word(&p->tok, "permit") || tok_is_word(&p->tok, "forbid"))
			break; /* the ';' is missing: say so below */
		if (!when && !tok_is_word(&p->tok, "unless"))
			return parser_error(p, &p->tok,
			                    "invalid policy condition: %.*s (expected `when` or "
			                    "`unless`)",
			                    (int)p->tok.len, p->tok.s) != NULL;
		p->clause = when ? "when" : "unless";
		parser_next(p);
		if (p->tok.t != T_LBRACE)
			return parser_expected(p, "'{' to open the condition") != NULL;
		parser_next(p);
		if (p->tok.t == T_RBRACE)
			return parser_error(p, &p->tok, "`%s` condition clause cannot be empty",
			                    p->clause) != NULL;
		struct expr *e = parse_expr(p);
		if (!e)
			return false;
		if (p->tok.t != T_RBRACE)
			return parser_expected(p, "'}' to close the condition") != NULL;
		parser_next(p);
		if (n == cap) {
			struct condition *bigger = arena_alloc(p->a, 2 * cap * sizeof(*bigger));
			if (!bigger)
				return parser_error(p, &p->tok, "out of memory") != NULL;
			memcpy(bigger, list, n * sizeof(*bigger));
			list = bigger;
			cap *= 2;
		}
		list[n++] = (struct condition){.when = when, .e = e};
	}
	p->clause = NULL;
	d->conds = arena_alloc(p->a, (n ? n : 1) * sizeof(*d->conds));
	if (!d->conds)
		return parser_error(p, &p->tok, "out of memory") != NULL;
	memcpy(d->conds, list, n * sizeof(*list));
	d->nconds = n;
	return true;
}

static struct policy_def *
parse_policy(struct parser *p)
{
	struct policy_def *d = arena_alloc(p->a, sizeof(*d));
	if (!d)
		return parser_error(p, &p->tok, "out of memory");
	memset(d, 0, sizeof(*d));
	if (!parse_annotations(p, d))
		return NULL;
	if (tok_is_word(&p->tok, "permit")) {
		d->effect = POLICY_PERMIT;
	} else if (tok_is_word(&p->tok, "forbid")) {
		d->effect = POLICY_FORBID;
	} else if (p->tok.t == T_IDENT) {
		return parser_error(p, &p->tok,
		                    "invalid policy effect: %.*s (expected `permit` or `forbid`)",
		                    (int)p->tok.len, p->tok.s);
	} else {
		return parser_expected(p, "`permit` or `forbid`");
	}
	parser_next(p);
	if (p->tok.t != T_LPAREN)
		return parser_expected(p, "'(' after the effect");
	parser_next(p);
	if (!parse_scope_pr(p, &d->principal, "principal", "?principal"))
		return NULL;
	if (p->tok.t != T_COMMA)
		return parser_expected(p, "',' after the principal");
	parser_next(p);
	if (!parse_scope_action(p, &d->action))
		return NULL;
	if (p->tok.t != T_COMMA)
		return parser_expected(p, "',' after the action");
	parser_next(p);
	if (!parse_scope_pr(p, &d->resource, "resource", "?resource"))
		return NULL;
	if (p->tok.t == T_COMMA) {
		parser_next(p);
		if (p->tok.t != T_RPAREN)
			return parser_error(p, &p->tok,
			                    "this policy has an extra element in the scope");
	}
	if (p->tok.t != T_RPAREN)
		return parser_expected(p, "')' after the scope");
	parser_next(p);
	if (!parse_conditions(p, d))
		return NULL;
	if (p->tok.t != T_SEMI)
		return parser_expected(p, "';' after policy");
	parser_next(p);
	d->is_template = d->principal.slot || d->resource.slot;
	return d;
}

int
parse_policies(struct arena *a, const char *origin, const char *text, size_t len,
               struct parse_out *out, struct policy_diag *diag)
{
	struct parser p = {
	        .lx = {.text = text, .len = len},
	        .a = a,
	        .origin = origin ? origin : "<input>",
	        .diag = diag,
	};
	if (!text_utf8_valid(text, len)) {
		/* Point at the first character that is not well-formed. */
		size_t bad;
		for (bad = 0; bad < len; bad++) {
			size_t end = bad + 4 < len ? bad + 4 : len;
			if (((unsigned char)text[bad] & 0xc0) == 0x80)
				continue;
			size_t k = bad + 1;
			while (k < end && ((unsigned char)text[k] & 0xc0) == 0x80)
				k++;
			if (!text_utf8_valid(text + bad, k - bad))
				break;
		}
		struct token at = {.off = bad};
		parser_error(&p, &at, "the text is not valid UTF-8");
		return -EINVAL;
	}
	parser_next(&p);
	while (!p.failed && p.tok.t != T_EOF) {
		struct token start = p.tok;
		struct policy_def *d = parse_policy(&p);
		if (!d)
			break;
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 16;
			if (cap > POLICY_MAX_POLICIES) {
				parser_error(&p, &start, "too many policies (the limit is %u)",
				             POLICY_MAX_POLICIES);
				break;
			}
			struct policy_def **defs = realloc(out->defs, cap * sizeof(*defs));
			if (!defs) {
				parser_error(&p, &start, "out of memory");
				break;
			}
			out->defs = defs;
			out->cap = cap;
		}
		out->defs[out->n++] = d;
	}
	return p.failed ? -EINVAL : 0;
}

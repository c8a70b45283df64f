/*
 * parse_expr.c: Cedar expressions by recursive descent, one function per precedence level
 * (if, ||, &&, relations, + -, *, unary, member access, primaries). Relations do not chain;
 * `has a.b` is desugared as Cedar does; literal sets and records are folded into constants;
 * a minus before an integer literal is folded so that -9223372036854775808 is a literal.
 * Extension functions and methods, tags and slots in conditions are rejected with messages.
 */
#include <stdio.h>
#include <string.h>

#include "parser.h"

static struct expr *parse_add(struct parser *p);
static struct expr *relation(struct parser *p);
static struct expr *binary(struct parser *p, enum expr_kind kind, struct expr *l, struct expr *r);
static bool chain_step(struct parser *p, unsigned *chain);

/* And ::= Relation {'&&' Relation}, left-associative. */
static struct expr *
parse_and(struct parser *p)
{
	struct expr *e = relation(p);
	unsigned chain = 0;
	while (e && p->tok.t == T_AND) {
		if (!chain_step(p, &chain))
			return NULL;
		parser_next(p);
		e = binary(p, E_AND, e, relation(p));
	}
	p->depth -= chain;
	return e;
}

/* Or ::= And {'||' And}. */
static struct expr *
parse_or(struct parser *p)
{
	struct expr *e = parse_and(p);
	unsigned chain = 0;
	while (e && p->tok.t == T_OR) {
		if (!chain_step(p, &chain))
			return NULL;
		parser_next(p);
		e = binary(p, E_OR, e, parse_and(p));
	}
	p->depth -= chain;
	return e;
}

static struct expr *
node(struct parser *p, enum expr_kind kind)
{
	struct expr *e = arena_alloc(p->a, sizeof(*e));
	if (!e)
		return parser_error(p, &p->tok, "out of memory");
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	return e;
}

static struct expr *
binary(struct parser *p, enum expr_kind kind, struct expr *l, struct expr *r)
{
	if (!l || !r)
		return NULL;
	struct expr *e = node(p, kind);
	if (e) {
		e->a[0] = l;
		e->a[1] = r;
	}
	return e;
}

static bool
enter(struct parser *p)
{
	if (++p->depth > POLICY_MAX_DEPTH) {
		parser_error(p, &p->tok, "expression nested too deeply (the limit is %d)",
		             POLICY_MAX_DEPTH);
		return false;
	}
	return true;
}

/* Left-associative chains (a && b && ...) build trees as deep as they are long, and the
 * evaluator recurses on depth: count each link against the same limit. */
static bool
chain_step(struct parser *p, unsigned *chain)
{
	(*chain)++;
	return enter(p);
}

struct expr *
parse_expr(struct parser *p)
{
	if (!enter(p))
		return NULL;
	struct expr *e;
	if (tok_is_word(&p->tok, "if")) {
		parser_next(p);
		e = node(p, E_IF);
		if (!e || !(e->a[0] = parse_expr(p)))
			return NULL;
		if (!tok_is_word(&p->tok, "then"))
			return parser_expected(p, "`then`");
		parser_next(p);
		if (!(e->a[1] = parse_expr(p)))
			return NULL;
		if (!tok_is_word(&p->tok, "else"))
			return parser_expected(p, "`else`");
		parser_next(p);
		if (!(e->a[2] = parse_expr(p)))
			return NULL;
	} else {
		e = parse_or(p);
	}
	p->depth--;
	return e;
}

static bool
is_relop(const struct token *t)
{
	return t->t == T_EQ || t->t == T_NE || t->t == T_LT || t->t == T_LE || t->t == T_GT ||
	       t->t == T_GE || tok_is_word(t, "in");
}

static struct pattern *
make_pattern(struct parser *p, const char *s, size_t n)
{
	struct pattern *pat = arena_alloc(p->a, sizeof(*pat));
	/* At most n+1 parts; chars go to a copy without the escapes. */
	struct pattern_part *parts = arena_alloc(p->a, (n + 1) * sizeof(*parts));
	char *buf = arena_alloc(p->a, n + 1);
	if (!pat || !parts || !buf)
		return parser_error(p, &p->tok, "out of memory");
	uint32_t np = 0;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == '*') {
			if (!np || !parts[np - 1].star)
				parts[np++] = (struct pattern_part){.star = true};
			i++;
			continue;
		}
		if (!np || parts[np - 1].star)
			parts[np++] = (struct pattern_part){.s = buf + o};
		if (s[i] == '\\' && i + 1 < n)
			i++;
		buf[o++] = s[i++];
		parts[np - 1].len++;
	}
	pat->parts = parts;
	pat->nparts = np;
	return pat;
}

/* `has` takes IDENT {'.' IDENT} or a string; e has a.b means e has a && e.a has b. */
static struct expr *
parse_has(struct parser *p, struct expr *obj)
{
	if (p->tok.t == T_STR) {
		size_t len;
		char *k = parse_string_token(p, &p->tok, false, &len);
		if (!k)
			return NULL;
		parser_next(p);
		if (p->tok.t == T_DOT)
			return parser_error(p, &p->tok, "invalid RHS of a `has` operation");
		struct expr *e = node(p, E_HAS_ATTR);
		if (e) {
			e->attr.obj = obj;
			e->attr.key = k;
			e->attr.klen = (uint32_t)len;
			e->attr.khash = key_hash(k, len);
		}
		return e;
	}
	struct expr *result = NULL, *path = obj;
	for (;;) {
		if (p->tok.t != T_IDENT)
			return parser_expected(p, "an attribute name after `has`");
		if (ident_reserved(p->tok.s, p->tok.len))
			return parser_error(p, &p->tok,
			                    "this identifier is reserved and cannot be used: %.*s",
			                    (int)p->tok.len, p->tok.s);
		char *k = arena_strndup(p->a, p->tok.s, p->tok.len);
		struct expr *has = node(p, E_HAS_ATTR);
		if (!k || !has)
			return parser_error(p, &p->tok, "out of memory");
		has->attr.obj = path;
		has->attr.key = k;
		has->attr.klen = (uint32_t)p->tok.len;
		has->attr.khash = key_hash(k, p->tok.len);
		result = result ? binary(p, E_AND, result, has) : has;
		parser_next(p);
		if (p->tok.t != T_DOT || !result)
			return result;
		parser_next(p);
		struct expr *get = node(p, E_GET_ATTR);
		if (!get)
			return NULL;
		get->attr = has->attr;
		path = get;
	}
}

static struct expr *
relation(struct parser *p)
{
	struct expr *l = parse_add(p);
	if (!l)
		return NULL;
	struct expr *e = l;
	struct token op = p->tok;
	if (is_relop(&op)) {
		parser_next(p);
		static const enum expr_kind kinds[] = {
		        [T_EQ] = E_EQ, [T_NE] = E_NE, [T_LT] = E_LT,
		        [T_LE] = E_LE, [T_GT] = E_GT, [T_GE] = E_GE,
		};
		e = binary(p, op.t == T_IDENT ? E_IN : kinds[op.t], l, parse_add(p));
	} else if (tok_is_word(&op, "has")) {
		parser_next(p);
		e = parse_has(p, l);
	} else if (tok_is_word(&op, "like")) {
		parser_next(p);
		if (p->tok.t != T_STR)
			return parser_expected(p, "a quoted pattern after `like`");
		size_t len;
		char *s = parse_string_token(p, &p->tok, true, &len);
		if (!s)
			return NULL;
		struct pattern *pat = make_pattern(p, s, len);
		parser_next(p);
		if (!pat || !(e = node(p, E_LIKE)))
			return NULL;
		e->like.obj = l;
		e->like.pat = pat;
	} else if (tok_is_word(&op, "is")) {
		parser_next(p);
		if (!(e = node(p, E_IS)) || !parse_path(p, &e->is.type, &e->is.tlen))
			return NULL;
		if (p->tok.t == T_DCOLON)
			return parser_error(
			        p, &p->tok,
			        "right hand side of an `is` expression must be an entity "
			        "type name, not an entity");
		e->is.obj = l;
		if (tok_is_word(&p->tok, "in")) {
			parser_next(p);
			if (!(e->is.in = parse_add(p)))
				return NULL;
		}
	} else {
		return e;
	}
	if (e && (is_relop(&p->tok) || tok_is_word(&p->tok, "has") ||
	          tok_is_word(&p->tok, "like") || tok_is_word(&p->tok, "is")))
		return parser_error(p, &p->tok,
		                    "multiple relational operators (>, ==, in, etc.) must be used "
		                    "with parentheses to make ordering explicit");
	return e;
}

static struct expr *parse_unary(struct parser *p);

static struct expr *
parse_mult(struct parser *p)
{
	struct expr *e = parse_unary(p);
	unsigned chain = 0;
	while (e && p->tok.t == T_STAR) {
		if (!chain_step(p, &chain))
			return NULL;
		parser_next(p);
		e = binary(p, E_MUL, e, parse_unary(p));
	}
	p->depth -= chain;
	return e;
}

static struct expr *
parse_add(struct parser *p)
{
	if (!enter(p))
		return NULL;
	struct expr *e = parse_mult(p);
	unsigned chain = 0;
	while (e && (p->tok.t == T_PLUS || p->tok.t == T_MINUS)) {
		enum expr_kind k = p->tok.t == T_PLUS ? E_ADD : E_SUB;
		if (!chain_step(p, &chain))
			return NULL;
		parser_next(p);
		e = binary(p, k, e, parse_mult(p));
	}
	p->depth -= chain + 1;
	return e;
}

/* An integer literal token, negated if neg; "too large" past the range of a long. */
static struct expr *
int_literal(struct parser *p, const struct token *t, bool neg)
{
	uint64_t v = 0;
	for (size_t i = 0; i < t->len; i++) {
		uint64_t d = (uint64_t)(t->s[i] - '0');
		if (v > (UINT64_MAX - d) / 10) {
			v = UINT64_MAX;
			break;
		}
		v = v * 10 + d;
	}
	uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (v > limit)
		return parser_error(p, t, "integer literal `%s%.*s` is too large", neg ? "-" : "",
		                    (int)(t->len > 40 ? 40 : t->len), t->s);
	struct expr *e = node(p, E_LIT);
	if (e) {
		e->lit.kind = V_LONG;
		e->lit.l = neg ? (int64_t)(0 - v) : (int64_t)v;
	}
	return e;
}

static struct expr *parse_member(struct parser *p);

static struct expr *
parse_unary(struct parser *p)
{
	enum tok ops[5];
	int n = 0;
	struct token first = p->tok;
	/* Cedar takes a run of one operator only: "!!x" and "--x", not "!-x". */
	while (p->tok.t == T_NOT || p->tok.t == T_MINUS) {
		if (n && p->tok.t != ops[0])
			return parser_expected(p, "an expression (put the operand in parentheses)");
		if (n == 4)
			return parser_error(p, &first, "too many occurrences of `%s`",
			                    p->tok.t == T_NOT ? "!" : "-");
		ops[n++] = p->tok.t;
		parser_next(p);
	}
	struct expr *e;
	if (n && ops[n - 1] == T_MINUS && p->tok.t == T_INT) {
		/* Fold the innermost minus into the literal, as Cedar does. */
		struct token lit = p->tok;
		struct lexer save = p->lx;
		parser_next(p);
		bool bare = p->tok.t != T_DOT && p->tok.t != T_LBRACK;
		p->lx = save;
		p->tok = lit;
		if (bare) {
			e = int_literal(p, &lit, true);
			parser_next(p);
			n--;
		} else {
			e = parse_member(p);
		}
	} else {
		e = parse_member(p);
	}
	while (e && n > 0) {
		struct expr *u = node(p, ops[--n] == T_NOT ? E_NOT : E_NEG);
		if (u)
			u->a[0] = e;
		e = u;
	}
	return e;
}

static const char *const ext_methods[] = {
        "isIpv4",         "isIpv6",          "isLoopback",    "isMulticast",        "isInRange",
        "lessThan",       "lessThanOrEqual", "greaterThan",   "greaterThanOrEqual", "toDate",
        "toTime",         "toDays",          "toHours",       "toMinutes",          "toSeconds",
        "toMilliseconds", "offset",          "durationSince",
};

static bool
word_in(const struct token *t, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tok_is_word(t, words[i]))
			return true;
	return false;
}

/* '(' [Expr {',' Expr}] ')' into args (at most max), returns the count or -1. */
static int
parse_args(struct parser *p, struct expr **args, int max)
{
	int n = 0;
	parser_next(p); /* '(' */
	while (p->tok.t != T_RPAREN) {
		struct expr *e = parse_expr(p);
		if (!e)
			return -1;
		if (n < max)
			args[n] = e;
		n++;
		if (p->tok.t == T_COMMA)
			parser_next(p);
		else if (p->tok.t != T_RPAREN) {
			parser_expected(p, "',' or ')' in the argument list");
			return -1;
		}
	}
	parser_next(p);
	return n;
}

static struct expr *
method_call(struct parser *p, struct expr *obj, const struct token *name)
{
	static const struct {
		const char *name;
		enum expr_kind kind;
		int args;
	} methods[] = {
	        {"contains", E_CONTAINS, 1},
	        {"containsAll", E_CONTAINS_ALL, 1},
	        {"containsAny", E_CONTAINS_ANY, 1},
	        {"isEmpty", E_IS_EMPTY, 0},
	};
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (!tok_is_word(name, methods[i].name))
			continue;
		struct expr *args[1];
		int n = parse_args(p, args, 1);
		if (n < 0)
			return NULL;
		if (n != methods[i].args)
			return parser_error(
			        p, name,
			        "call to `%s` requires exactly %d argument%s, but got %d "
			        "argument%s",
			        methods[i].name, methods[i].args, methods[i].args == 1 ? "" : "s",
			        n, n == 1 ? "" : "s");
		struct expr *e = node(p, methods[i].kind);
		if (e) {
			e->a[0] = obj;
			e->a[1] = n ? args[0] : NULL;
		}
		return e;
	}
	if (tok_is_word(name, "getTag") || tok_is_word(name, "hasTag"))
		return parser_error(p, name,
		                    "entity tags (`%.*s`) are not supported by this engine",
		                    (int)name->len, name->s);
	if (word_in(name, ext_methods, sizeof(ext_methods) / sizeof(ext_methods[0])))
		return parser_error(p, name,
		                    "extension method `%.*s` is not supported by this engine "
		                    "(no ip, decimal or datetime values)",
		                    (int)name->len, name->s);
	return parser_error(p, name, "`%.*s` is not a valid method", (int)name->len, name->s);
}

static struct expr *
attr_node(struct parser *p, struct expr *obj, const char *k, size_t len)
{
	struct expr *e = node(p, E_GET_ATTR);
	if (e) {
		e->attr.obj = obj;
		e->attr.key = k;
		e->attr.klen = (uint32_t)len;
		e->attr.khash = key_hash(k, len);
	}
	return e;
}

static struct expr *parse_primary(struct parser *p);

static struct expr *
parse_member(struct parser *p)
{
	struct expr *e = parse_primary(p);
	unsigned chain = 0;
	while (e) {
		if ((p->tok.t == T_DOT || p->tok.t == T_LBRACK) && !chain_step(p, &chain))
			return NULL;
		if (p->tok.t == T_DOT) {
			parser_next(p);
			if (p->tok.t != T_IDENT)
				return parser_expected(p, "an attribute or method name after '.'");
			struct token name = p->tok;
			parser_next(p);
			if (p->tok.t == T_LPAREN) {
				e = method_call(p, e, &name);
				continue;
			}
			if (ident_reserved(name.s, name.len)) {
				if (name.len == 7 && memcmp(name.s, "__cedar", 7) == 0)
					return parser_error(
					        p, &name,
					        "The name `__cedar` contains `__cedar`, "
					        "which is reserved");
				return parser_error(p, &name,
				                    "this identifier is reserved and cannot be "
				                    "used: %.*s",
				                    (int)name.len, name.s);
			}
			char *k = arena_strndup(p->a, name.s, name.len);
			if (!k)
				return parser_error(p, &name, "out of memory");
			e = attr_node(p, e, k, name.len);
		} else if (p->tok.t == T_LBRACK) {
			parser_next(p);
			if (p->tok.t != T_STR)
				return parser_error(
				        p, &p->tok,
				        "invalid string literal: %.*s (an index must be "
				        "a quoted attribute name)",
				        (int)(p->tok.len > 40 ? 40 : p->tok.len), p->tok.s);
			size_t len;
			char *k = parse_string_token(p, &p->tok, false, &len);
			if (!k)
				return NULL;
			parser_next(p);
			if (p->tok.t != T_RBRACK)
				return parser_expected(p, "']' after the attribute name");
			parser_next(p);
			e = attr_node(p, e, k, len);
		} else {
			break;
		}
	}
	p->depth -= chain;
	return e;
}

static struct expr *
fold_set(struct parser *p, struct expr **items, uint32_t n)
{
	bool lit = true;
	for (uint32_t i = 0; i < n; i++)
		lit = lit && items[i]->kind == E_LIT;
	struct expr *e = node(p, lit ? E_LIT : E_SET);
	if (!e)
		return NULL;
	if (!lit) {
		e->items = items;
		e->n = n;
		return e;
	}
	struct val *vals = arena_alloc(p->a, (n ? n : 1) * sizeof(*vals));
	if (!vals)
		return parser_error(p, &p->tok, "out of memory");
	for (uint32_t i = 0; i < n; i++)
		vals[i] = items[i]->lit;
	e->lit.kind = V_SET;
	e->lit.items = vals;
	e->lit.n = set_canonicalize(vals, n);
	return e;
}

/* Grows a list in the arena: items holds n entries of size sz, capacity *cap. */
static void *
list_grow(struct parser *p, void *items, uint32_t n, uint32_t *cap, size_t sz)
{
	if (n < *cap)
		return items;
	uint32_t c = *cap ? *cap * 2 : 8;
	void *bigger = arena_alloc(p->a, c * sz);
	if (!bigger)
		return parser_error(p, &p->tok, "out of memory");
	if (n)
		memcpy(bigger, items, n * sz);
	*cap = c;
	return bigger;
}

static struct expr *
parse_set(struct parser *p)
{
	parser_next(p); /* '[' */
	struct expr **items = NULL;
	uint32_t n = 0, cap = 0;
	while (p->tok.t != T_RBRACK) {
		if (!(items = list_grow(p, items, n, &cap, sizeof(*items))))
			return NULL;
		if (!(items[n] = parse_expr(p)))
			return NULL;
		n++;
		if (p->tok.t == T_COMMA)
			parser_next(p);
		else if (p->tok.t != T_RBRACK)
			return parser_expected(p, "',' or ']' in the set");
	}
	parser_next(p);
	return fold_set(p, items, n);
}

static struct expr *
parse_record(struct parser *p)
{
	parser_next(p); /* '{' */
	struct field *keys = NULL;
	struct expr **vals = NULL;
	uint32_t n = 0, kcap = 0, vcap = 0;
	while (p->tok.t != T_RBRACE) {
		if (!(keys = list_grow(p, keys, n, &kcap, sizeof(*keys))) ||
		    !(vals = list_grow(p, vals, n, &vcap, sizeof(*vals))))
			return NULL;
		struct token kt = p->tok;
		size_t len;
		char *k;
		if (kt.t == T_STR) {
			if (!(k = parse_string_token(p, &kt, false, &len)))
				return NULL;
		} else if (kt.t == T_IDENT) {
			if (ident_reserved(kt.s, kt.len))
				return parser_error(p, &kt,
				                    "this identifier is reserved and cannot be "
				                    "used: %.*s",
				                    (int)kt.len, kt.s);
			len = kt.len;
			if (!(k = arena_strndup(p->a, kt.s, kt.len)))
				return parser_error(p, &kt, "out of memory");
		} else {
			return parser_expected(p,
			                       "a record key (an identifier or a quoted string)");
		}
		for (uint32_t i = 0; i < n; i++)
			if (keys[i].klen == len && memcmp(keys[i].key, k, len) == 0)
				return parser_error(p, &kt, "duplicate key `%s` in record literal",
				                    k);
		parser_next(p);
		if (p->tok.t != T_COLON)
			return parser_expected(p, "':' after the record key");
		parser_next(p);
		if (!(vals[n] = parse_expr(p)))
			return NULL;
		keys[n] =
		        (struct field){.key = k, .klen = (uint32_t)len, .khash = key_hash(k, len)};
		n++;
		if (p->tok.t == T_COMMA)
			parser_next(p);
		else if (p->tok.t != T_RBRACE)
			return parser_expected(p, "',' or '}' in the record");
	}
	parser_next(p);
	/* Sort keys (and their expressions with them) into canonical order. */
	for (uint32_t i = 1; i < n; i++) {
		struct field kf = keys[i];
		struct expr *ve = vals[i];
		uint32_t j = i;
		while (j > 0) {
			const struct field *a = &keys[j - 1];
			size_t m = a->klen < kf.klen ? a->klen : kf.klen;
			int c = memcmp(a->key, kf.key, m);
			if (c < 0 || (c == 0 && a->klen < kf.klen))
				break;
			keys[j] = keys[j - 1];
			vals[j] = vals[j - 1];
			j--;
		}
		keys[j] = kf;
		vals[j] = ve;
	}
	bool lit = true;
	for (uint32_t i = 0; i < n; i++)
		lit = lit && vals[i]->kind == E_LIT;
	struct expr *e = node(p, lit ? E_LIT : E_RECORD);
	if (!e)
		return NULL;
	if (lit) {
		for (uint32_t i = 0; i < n; i++)
			keys[i].v = vals[i]->lit;
		e->lit.kind = V_RECORD;
		e->lit.n = n;
		e->lit.fields = keys;
	} else {
		e->n = n;
		e->rec.keys = keys;
		e->rec.vals = vals;
	}
	return e;
}

static struct expr *
parse_primary(struct parser *p)
{
	struct token t = p->tok;
	struct expr *e;
	switch (t.t) {
	case T_INT:
		e = int_literal(p, &t, false);
		parser_next(p);
		return e;
	case T_STR: {
		size_t len;
		char *s = parse_string_token(p, &t, false, &len);
		if (!s || !(e = node(p, E_LIT)))
			return NULL;
		e->lit.kind = V_STRING;
		e->lit.s = s;
		e->lit.n = (uint32_t)len;
		parser_next(p);
		return e;
	}
	case T_SLOT:
		if (p->clause)
			return parser_error(p, &t, "found template slot %.*s in a `%s` clause",
			                    (int)t.len, t.s, p->clause);
		return parser_error(p, &t, "template slot %.*s is only allowed in the scope",
		                    (int)t.len, t.s);
	case T_LPAREN:
		parser_next(p);
		if (!(e = parse_expr(p)))
			return NULL;
		if (p->tok.t != T_RPAREN)
			return parser_expected(p, "')'");
		parser_next(p);
		return e;
	case T_LBRACK:
		if (!enter(p))
			return NULL;
		e = parse_set(p);
		p->depth--;
		return e;
	case T_LBRACE:
		if (!enter(p))
			return NULL;
		e = parse_record(p);
		p->depth--;
		return e;
	case T_IDENT:
		break;
	default:
		return parser_expected(p, "an expression");
	}
	static const char *const vars[] = {"principal", "action", "resource", "context"};
	for (uint32_t i = 0; i < 4; i++) {
		if (tok_is_word(&t, vars[i])) {
			parser_next(p);
			if (p->tok.t == T_DCOLON)
				return parser_error(p, &t, "`%s` cannot be used as an entity type",
				                    vars[i]);
			if (!(e = node(p, E_VAR)))
				return NULL;
			e->var = i;
			return e;
		}
	}
	if (tok_is_word(&t, "true") || tok_is_word(&t, "false")) {
		parser_next(p);
		if (!(e = node(p, E_LIT)))
			return NULL;
		e->lit.kind = V_BOOL;
		e->lit.b = t.s[0] == 't';
		return e;
	}
	/* A path: an entity literal Type::"id", or a function call, or an unknown name. */
	const char *path;
	uint32_t plen;
	if (!parse_path(p, &path, &plen))
		return NULL;
	if (p->tok.t == T_DCOLON) {
		parser_next(p);
		if (p->tok.t != T_STR)
			return parser_expected(p, "a quoted entity id after '::'");
		size_t idlen;
		char *id = parse_string_token(p, &p->tok, false, &idlen);
		if (!id)
			return NULL;
		parser_next(p);
		struct uid *u = arena_alloc(p->a, sizeof(*u));
		if (!u || !(e = node(p, E_LIT)))
			return parser_error(p, &t, "out of memory");
		uid_init(u, path, plen, id, idlen);
		e->lit.kind = V_ENTITY;
		e->lit.e = u;
		return e;
	}
	if (p->tok.t == T_LPAREN) {
		static const char *const ext_fns[] = {"ip", "decimal", "datetime", "duration"};
		if (word_in(&t, ext_fns, 4) && plen == t.len)
			return parser_error(
			        p, &t,
			        "extension function `%s` is not supported by this engine "
			        "(no ip, decimal or datetime values)",
			        path);
		return parser_error(p, &t, "`%s` is not a valid function", path);
	}
	if (plen == t.len) {
		if (tok_is_word(&t, "if") || tok_is_word(&t, "then") || tok_is_word(&t, "else"))
			return parser_error(p, &t,
			                    "unexpected `%.*s`; an `if` expression needs "
			                    "parentheses here",
			                    (int)t.len, t.s);
		return parser_error(p, &t, "invalid variable: %s", path);
	}
	return parser_error(p, &t, "`%s` is not a variable or an entity (expected `::\"id\"`)",
	                    path);
}

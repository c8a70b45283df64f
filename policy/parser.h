/*
 * parser.h: the parser's state, shared by parser.c (policies and scopes) and parse_expr.c
 * (expressions) only.
 */
#ifndef ONWARD_POLICY_PARSER_H
#define ONWARD_POLICY_PARSER_H

#include "lexer.h"

struct parser {
	struct lexer lx;
	struct token tok; /* the current token */
	struct token prev; /* the one before it */
	struct arena *a; /* borrowed: where the AST goes */
	const char *origin;
	struct policy_diag *diag;
	bool failed;
	unsigned depth;
	const char *clause; /* "when" or "unless" while in a condition */
};

void parser_next(struct parser *p);
/* Records the first error, at tok, as "origin:line:col: message". Returns NULL for chaining. */
void *parser_error(struct parser *p, const struct token *tok, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
void *parser_expected(struct parser *p, const char *what);
bool tok_is_word(const struct token *tok, const char *word);
/* Parses IDENT {"::" IDENT} "::" STRING into a uid in the arena.
 */
struct uid *parse_entity_ref(struct parser *p);
/* Parses a type path IDENT {'::' IDENT}. */
bool parse_path(struct parser *p, const char **ret_s, uint32_t *ret_len);
struct expr *parse_expr(struct parser *p);
/* A string token's body unescaped into the arena; NULL (with the error recorded) if bad. */
char *parse_string_token(struct parser *p, const struct token *tok, bool pattern, size_t *ret_len);

#endif

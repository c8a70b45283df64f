/*
 * lexer.h: tokens of Cedar policy text, shared by lexer.c and parser.c only.
 */
#ifndef ONWARD_POLICY_LEXER_H
#define ONWARD_POLICY_LEXER_H

#include <stddef.h>

#include "policy_int.h"

enum tok {
	T_EOF,
	T_IDENT,
	T_INT,
	T_STR,
	T_SLOT, /* ?principal, ?resource or another ?name */
	T_LPAREN,
	T_RPAREN,
	T_LBRACK,
	T_RBRACK,
	T_LBRACE,
	T_RBRACE,
	T_COMMA,
	T_SEMI,
	T_DOT,
	T_COLON,
	T_DCOLON,
	T_AT,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_AND,
	T_OR,
	T_NOT,
	T_MINUS,
	T_PLUS,
	T_STAR,
	T_ERROR, /* s/len say what was found; msg says why */
};

struct token {
	enum tok t;
	const char *s; /* the token's text */
	size_t len;
	size_t off; /* byte offset in the input */
	const char *msg; /* T_ERROR only */
};

struct lexer {
	const char *text; /* borrowed */
	size_t len;
	size_t pos;
};

void lexer_next(struct lexer *lx, struct token *tok);
/* A printable description of a token for messages: "';'", "identifier `foo`", "end of input". */
void token_describe(const struct token *tok, char *buf, size_t size);
/* 1-based line and column (in characters) of byte offset off. */
void lexer_position(const struct lexer *lx, size_t off, unsigned *ret_line, unsigned *ret_col);

/*
 * Unescapes the body of a string token (between the quotes) into a new arena string. In
 * pattern mode, "\*" is kept as the two bytes "\*" so the pattern splitter can tell it from a
 * wildcard; a lone "\" is then also doubled. On a bad escape returns NULL and sets *ret_bad to
 * the offending escape's offset within the body (and length in *ret_badlen).
 */
char *string_unescape(struct arena *a, const char *s, size_t n, bool pattern, size_t *ret_len,
                      size_t *ret_bad, size_t *ret_badlen, bool *ret_nomem);

#endif

/*
 * lexer.c: splits Cedar policy text into tokens, skipping whitespace and // comments, and
 * unescapes string literals with Cedar's rules (\n \r \t \\ \0 \' \" \xHH up to 7f, \u{...},
 * and \* in like patterns). Also the position and message helpers that parse errors use.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lexer.h"

void
diag_set(struct policy_diag *diag, unsigned line, unsigned col, const char *fmt, ...)
{
	if (!diag)
		return;
	diag->line = line;
	diag->column = col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(diag->message, sizeof(diag->message), fmt, ap);
	va_end(ap);
}

static bool
is_ident_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static void
skip_space(struct lexer *lx)
{
	while (lx->pos < lx->len) {
		char c = lx->text[lx->pos];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			lx->pos++;
		} else if (c == '/' && lx->pos + 1 < lx->len && lx->text[lx->pos + 1] == '/') {
			while (lx->pos < lx->len && lx->text[lx->pos] != '\n')
				lx->pos++;
		} else {
			break;
		}
	}
}

void
lexer_next(struct lexer *lx, struct token *tok)
{
	skip_space(lx);
	const char *p = lx->text + lx->pos;
	size_t left = lx->len - lx->pos;
	tok->s = p;
	tok->off = lx->pos;
	tok->msg = NULL;
	tok->len = 1;
	if (left == 0) {
		tok->t = T_EOF;
		tok->len = 0;
		return;
	}
	char c = p[0], d = left > 1 ? p[1] : '\0';
	if (is_ident_start(c)) {
		size_t n = 1;
		while (n < left && is_ident_char(p[n]))
			n++;
		tok->t = T_IDENT;
		tok->len = n;
	} else if (c >= '0' && c <= '9') {
		size_t n = 1;
		while (n < left && p[n] >= '0' && p[n] <= '9')
			n++;
		tok->t = T_INT;
		tok->len = n;
	} else if (c == '"') {
		size_t n = 1;
		while (n < left && p[n] != '"')
			n += (p[n] == '\\' && n + 1 < left) ? 2 : 1;
		if (n >= left) {
			tok->t = T_ERROR;
			tok->len = left;
			tok->msg = "unterminated string literal";
		} else {
			tok->t = T_STR;
			tok->len = n + 1;
		}
	} else if (c == '?' && is_ident_start(d)) {
		size_t n = 2;
		while (n < left && is_ident_char(p[n]))
			n++;
		tok->t = T_SLOT;
		tok->len = n;
	} else {
		tok->len = 1;
		switch (c) {
		case '(':
			tok->t = T_LPAREN;
			break;
		case ')':
			tok->t = T_RPAREN;
			break;
		case '[':
			tok->t = T_LBRACK;
			break;
		case ']':
			tok->t = T_RBRACK;
			break;
		case '{':
			tok->t = T_LBRACE;
			break;
		case '}':
			tok->t = T_RBRACE;
			break;
		case ',':
			tok->t = T_COMMA;
			break;
		case ';':
			tok->t = T_SEMI;
			break;
		case '.':
			tok->t = T_DOT;
			break;
		case '@':
			tok->t = T_AT;
			break;
		case '+':
			tok->t = T_PLUS;
			break;
		case '-':
			tok->t = T_MINUS;
			break;
		case '*':
			tok->t = T_STAR;
			break;
		case ':':
			tok->t = d == ':' ? T_DCOLON : T_COLON;
			tok->len = d == ':' ? 2 : 1;
			break;
		case '=':
			if (d == '=') {
				tok->t = T_EQ;
				tok->len = 2;
			} else {
				tok->t = T_ERROR;
				tok->msg = "'=' is not an operator; use '==' to compare";
			}
			break;
		case '!':
			tok->t = d == '=' ? T_NE : T_NOT;
			tok->len = d == '=' ? 2 : 1;
			break;
		case '<':
			tok->t = d == '=' ? T_LE : T_LT;
			tok->len = d == '=' ? 2 : 1;
			break;
		case '>':
			tok->t = d == '=' ? T_GE : T_GT;
			tok->len = d == '=' ? 2 : 1;
			break;
		case '&':
			if (d == '&') {
				tok->t = T_AND;
				tok->len = 2;
			} else {
				tok->t = T_ERROR;
				tok->msg = "'&' is not an operator; use '&&'";
			}
			break;
		case '|':
			if (d == '|') {
				tok->t = T_OR;
				tok->len = 2;
			} else {
				tok->t = T_ERROR;
				tok->msg = "'|' is not an operator; use '||'";
			}
			break;
		default: {
			/* Report the whole character, not one byte of it. */
			size_t n = 1;
			while (n < left && n < 4 && ((unsigned char)p[n] & 0xc0) == 0x80)
				n++;
			tok->t = T_ERROR;
			tok->len = n;
			tok->msg = "unexpected character";
			break;
		}
		}
	}
	lx->pos += tok->len;
}

void
token_describe(const struct token *tok, char *buf, size_t size)
{
	int n = (int)(tok->len > 40 ? 40 : tok->len);
	switch (tok->t) {
	case T_EOF:
		snprintf(buf, size, "end of input");
		break;
	case T_IDENT:
		snprintf(buf, size, "`%.*s`", n, tok->s);
		break;
	case T_INT:
		snprintf(buf, size, "number `%.*s`", n, tok->s);
		break;
	case T_STR:
		snprintf(buf, size, "string %.*s%s", n, tok->s, tok->len > 40 ? "..." : "");
		break;
	default:
		snprintf(buf, size, "'%.*s'", n, tok->s);
		break;
	}
}

void
lexer_position(const struct lexer *lx, size_t off, unsigned *ret_line, unsigned *ret_col)
{
	unsigned line = 1, col = 1;
	for (size_t i = 0; i < off && i < lx->len; i++) {
		unsigned char c = (unsigned char)lx->text[i];
		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xc0) != 0x80) {
			col++;
		}
	}
	*ret_line = line;
	*ret_col = col;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t
utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

char *
string_unescape(struct arena *a, const char *s, size_t n, bool pattern, size_t *ret_len,
                size_t *ret_bad, size_t *ret_badlen, bool *ret_nomem)
{
	/* Output is never longer than twice the input (a pattern's doubled backslash). */
	char *out = arena_alloc(a, 2 * n + 1);
	*ret_nomem = !out;
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] != '\\') {
			out[o++] = s[i++];
			continue;
		}
		size_t start = i;
		char e = i + 1 < n ? s[i + 1] : '\0';
		i += 2;
		switch (e) {
		case 'n':
			out[o++] = '\n';
			break;
		case 'r':
			out[o++] = '\r';
			break;
		case 't':
			out[o++] = '\t';
			break;
		case '0':
			out[o++] = '\0';
			break;
		case '\\':
			out[o++] = '\\';
			if (pattern)
				out[o++] = '\\';
			break;
		case '\'':
			out[o++] = '\'';
			break;
		case '"':
			out[o++] = '"';
			break;
		case '*':
			if (!pattern)
				goto bad;
			out[o++] = '\\';
			out[o++] = '*';
			break;
		case 'x': {
			int h = i < n ? hexval(s[i]) : -1;
			int l = i + 1 < n ? hexval(s[i + 1]) : -1;
			if (h < 0 || l < 0) {
				i = i < n ? i + 1 : i;
				goto bad;
			}
			i += 2;
			if (h > 7)
				goto bad;
			out[o++] = (char)(h * 16 + l);
			break;
		}
		case 'u': {
			if (i >= n || s[i] != '{')
				goto bad;
			i++;
			uint32_t cp = 0;
			int digits = 0;
			bool ok = true;
			while (i < n && s[i] != '}') {
				if (s[i] == '_' && digits > 0) {
					i++;
					continue;
				}
				int v = hexval(s[i]);
				if (v < 0) {
					ok = false;
					break;
				}
				if (++digits > 6)
					ok = false;
				cp = (cp << 4) | (uint32_t)v;
				i++;
			}
			if (i >= n || s[i] != '}') {
				ok = false;
			} else {
				i++;
			}
			if (!ok || digits == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				goto bad;
			o += utf8_put(out + o, cp);
			break;
		}
		default:
			if (i > n)
				i = n;
			/* Take the whole escaped character into the message. */
			while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
				i++;
			goto bad;
		}
		continue;
	bad:
		*ret_bad = start;
		*ret_badlen = (i > n ? n : i) - start;
		return NULL;
	}
	out[o] = '\0';
	*ret_len = o;
	return out;
}

/*
 * Store records as JSON for replies. Staff see whole records; what a person sees of
 * themselves is a smaller view. The PIN hash is never rendered.
 */
#ifndef ONWARD_POLICYD_RENDER_H
#define ONWARD_POLICYD_RENDER_H

#include <jansson.h>

#include "store.h"

json_t *render_person(const struct store_person *p);
json_t *render_person_self(const struct store_person *p);
json_t *render_staff(const struct store_staff *st);
json_t *render_establishment(const struct store_establishment *e);
json_t *render_contact(const struct store_contact *c, const char *prison_number);
json_t *render_app(const struct store_app *a);
json_t *render_audit_row(const struct store_audit_row *row);

/* Unix seconds as "2026-11-23T11:30:52Z", or JSON null for 0. */
json_t *render_time(int64_t t);

/* A ','-joined keyword list as a JSON array of strings. */
json_t *render_keywords(const char *joined);

/*
 * JSON text this daemon wrote itself, into its store or from its own certificate (a
 * move's detail, a licence, an imported audit row as this daemon wrote it down) as a new
 * value; NULL when it does not parse. Never for bytes from outside: those are read by
 * onward-parse (core/parser.h), and the areas that take files (moves, housing) parse JSON
 * only here and through services/record (a test greps them for jansson's loaders).
 */
json_t *render_own_json(const char *text, size_t len);

#endif

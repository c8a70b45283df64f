/*
 * Human output for onwardctl: short aligned tables and key/value blocks, one function per
 * kind of reply. --json bypasses all of this and prints the reply's parameters as JSON.
 */
#ifndef ONWARDCTL_PRINT_H
#define ONWARDCTL_PRINT_H

#include <stdio.h>

#include <jansson.h>

/* A member as text for a table: a string as it is, a boolean as yes or no, anything else
 * (missing, null, a number) as "-". */
const char *print_text(json_t *obj, const char *key);

void print_info(FILE *out, json_t *params);
void print_establishment(FILE *out, json_t *params);
void print_establishments(FILE *out, json_t *params);
void print_staff_member(FILE *out, json_t *params);
void print_staff(FILE *out, json_t *params);
void print_staff_confirmed(FILE *out, json_t *params);
void print_staff_reset(FILE *out, json_t *params);
void print_whoami(FILE *out, json_t *params);
void print_person(FILE *out, json_t *params);
void print_people(FILE *out, json_t *params);
void print_contact(FILE *out, json_t *params);
void print_contacts(FILE *out, json_t *params);
void print_app(FILE *out, json_t *params);
void print_apps(FILE *out, json_t *params);
void print_pin(FILE *out, json_t *params);
void print_audit(FILE *out, json_t *params);
void print_verify(FILE *out, json_t *params);
void print_regime(FILE *out, json_t *params);
void print_explain(FILE *out, json_t *params);
void print_reload(FILE *out, json_t *params);
void print_grant(FILE *out, json_t *params);
void print_grants(FILE *out, json_t *params);
void print_removed(FILE *out, json_t *params);

#endif

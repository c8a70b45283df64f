/*
 * Validation of the identifiers and texts that cross a trust boundary: prison numbers,
 * case references, establishment codes, staff ids, app names, flags, dates and free text.
 * The daemon checks everything it is sent with these; the CLI uses them to give the same
 * answer before a request is even made.
 */
#ifndef ONWARD_VALIDATE_H
#define ONWARD_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/* A prison number: one letter, four digits, two letters, upper case ("A1234BC"). */
bool validate_prison_number(const char *s);

/* A probation case reference number (CRN): one letter and six digits ("X123456"). */
bool validate_crn(const char *s);

/* An establishment or probation region code: three upper-case letters ("MDI"). */
bool validate_establishment_code(const char *s);

/* A staff id: 2 to 32 of lower-case letters, digits, '.', '-', '_', starting alphanumeric. */
bool validate_staff_id(const char *s);

/* An app name: 2 to 32 of lower-case letters, digits and '-', starting with a letter. */
bool validate_app_name(const char *s);

/* A flag or other keyword: 1 to 32 of lower-case letters, digits and '_', starting a-z. */
bool validate_keyword(const char *s);

/* A calendar date "YYYY-MM-DD" that exists (leap years included), years 1900 to 2199. */
bool validate_date(const char *s);

/*
 * Free text a person or staff member typed: valid UTF-8, 1 to max_bytes bytes, no control
 * characters (newlines and tabs allowed only when multiline is true).
 */
bool validate_text(const char *s, size_t max_bytes, bool multiline);

/* Valid UTF-8 of exactly len bytes, no NUL, shortest forms only, no surrogates. */
bool validate_utf8(const char *s, size_t len);

/* A PIN: 4 to 8 ASCII digits. */
bool validate_pin(const char *s);

#endif

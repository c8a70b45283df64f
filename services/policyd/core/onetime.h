/*
 * One-time codes that staff hand over or read out: a staff member's setup code, a
 * tablet's enrolment code. Twelve characters from an alphabet without look-alikes (no
 * 0/O, 1/I/L, 5/S, 8/B), shown in threes of four ("K7XM-Q4RT-WZ3C"): about 56 bits, and
 * the store keeps only their SHA-256.
 */
#ifndef ONWARD_POLICYD_ONETIME_H
#define ONWARD_POLICYD_ONETIME_H

#define ONETIME_CODE_SIZE 15 /* "XXXX-XXXX-XXXX" and its NUL */
#define ONETIME_KEY_SIZE 65 /* SHA-256, hex, and its NUL */

/* A fresh random code, shown form. 0, or a negative errno if randomness failed. */
int onetime_code_make(char ret_code[ONETIME_CODE_SIZE]);

/*
 * The stored key of a code as someone typed it: small letters, spaces and dashes are
 * forgiven. -EINVAL when it cannot be a code at all.
 */
int onetime_code_key(const char *typed, char ret_key[ONETIME_KEY_SIZE]);

#endif

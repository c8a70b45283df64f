/*
 * The state directory: created 0700 on first start, locked so only one daemon uses it,
 * and holding the 32-byte device secret (0600) from which the store key is derived.
 */
#ifndef ONWARD_POLICYD_STATEDIR_H
#define ONWARD_POLICYD_STATEDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEVICE_SECRET_LEN 32

/*
 * Creates dir (0700) if create is true and it is missing, then checks it is a directory
 * owned by us that group and others cannot write. -errno and one line in ret_error.
 */
int statedir_prepare(const char *dir, bool create, char *ret_error, size_t error_size);

/*
 * Takes the state directory's lock; the descriptor must stay open while the daemon runs.
 * -EBUSY when another instance holds it.
 */
int statedir_lock(const char *dir, int *ret_fd, char *ret_error, size_t error_size);

/*
 * Reads the device secret, creating it (0600) when create is true and it is missing.
 * Refuses a secret readable by group or others, or of the wrong size.
 */
int statedir_secret(const char *dir, bool create, uint8_t ret_secret[DEVICE_SECRET_LEN],
                    char *ret_error, size_t error_size);

#endif

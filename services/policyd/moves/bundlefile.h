/*
 * Bundle files as staff name them. Opening never waits (O_NONBLOCK) and takes only a
 * regular file of a size a bundle can be, so a FIFO, a device, a folder or a symbolic link
 * is refused at once, on the loop, in plain words. Reading is one function, run in the
 * thread pool and given only the descriptor, so that the later hand-over of bundle parsing
 * to the keyless child is a matter of passing it that descriptor instead. Every message
 * names the file by its path shortened from the middle, so the reason at the end is never
 * cut off.
 */
#ifndef ONWARD_POLICYD_BUNDLEFILE_H
#define ONWARD_POLICYD_BUNDLEFILE_H

#include <stddef.h>
#include <stdint.h>

/* How much of a path a message shows: its start and its end, "..." between. */
#define BUNDLEFILE_PATH_SHOWN 72

/*
 * Copies path into out (size bytes), shortened from the middle to at most
 * BUNDLEFILE_PATH_SHOWN bytes (and size - 1) without splitting a UTF-8 character.
 */
void bundlefile_shorten_path(const char *path, char *out, size_t size);

/*
 * Opens the bundle file at path (absolute) for reading without blocking and without
 * following a final symbolic link, and checks that it is a regular file of at most max
 * bytes. On success *ret_fd (close-on-exec, owned by the caller) and *ret_size (what
 * fstat said). On failure a negative errno and a message in staff's words in err.
 */
int bundlefile_open(const char *path, uint64_t max, int *ret_fd, uint64_t *ret_size, char *err,
                    size_t err_size);

/*
 * Reads the whole file open on fd, which fstat said is size bytes, and closes fd. Blocks:
 * call it off the loop. A file that grows or shrinks while it is read is refused
 * (-ESTALE), as is an empty one (-ENODATA). On success *ret is malloc'd (*ret_len ==
 * size bytes). shown names the file in the message (already shortened).
 */
int bundlefile_read(int fd, uint64_t size, const char *shown, void **ret, size_t *ret_len,
                    char *err, size_t err_size);

/* Writes all len bytes of data to fd (interrupted writes go on); 0 or a negative errno. */
int bundlefile_write_all(int fd, const void *data, size_t len);

/*
 * Writes a new file (never over an existing one, never through a final symbolic link),
 * mode 0600, durably; removes it again if anything fails. A message in staff's words.
 */
int bundlefile_write(const char *path, const void *data, size_t len, char *err, size_t err_size);

#endif

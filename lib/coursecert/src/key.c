/*
 * key.c: an establishment's certificate key is a lib/crypto Ed25519 key (ed25519.h), given
 * this library's object and error messages. The rules for the files are that module's: a
 * private key is written once, durably, with mode 0600 and never over an existing file (an
 * establishment's signing key must not be replaced by accident: every certificate it
 * issued would stop matching the published key), and reading one refuses a file that group
 * or others may read. Anything but an Ed25519 key is refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "coursecert_int.h"
#include "ed25519.h"

_Static_assert(COURSECERT_RAW_KEY_LEN == ED25519_RAW_LEN, "raw key length");
_Static_assert(COURSECERT_SIG_LEN == ED25519_SIG_LEN, "signature length");
_Static_assert(COURSECERT_KEY_ID_MAX == ED25519_KEY_ID_MAX, "key id length");

struct coursecert_key {
	struct ed25519_key *ed; /* owned */
};

/* Takes ed (freed on failure too). */
static int
key_new(struct ed25519_key *ed, struct coursecert_key **ret_key, struct coursecert_error *err)
{
	struct coursecert_key *key = malloc(sizeof(*key));

	if (!key) {
		ed25519_key_free(ed);
		return coursecert__err(err, -ENOMEM, "out of memory");
	}
	key->ed = ed;
	*ret_key = key;
	return 0;
}

int
coursecert_key_generate(struct coursecert_key **ret_key, struct coursecert_error *err)
{
	struct ed25519_key *ed;
	int r = ed25519_key_generate(&ed);

	if (r < 0)
		return coursecert__err(err, r, "Ed25519 key generation failed");
	return key_new(ed, ret_key, err);
}

int
coursecert_key_from_raw_public(const uint8_t raw[COURSECERT_RAW_KEY_LEN],
                               struct coursecert_key **ret_key, struct coursecert_error *err)
{
	struct ed25519_key *ed;
	int r = ed25519_key_from_raw_public(raw, &ed);

	if (r < 0)
		return coursecert__err(err, r, "not a valid Ed25519 public key");
	return key_new(ed, ret_key, err);
}

static int
key_load(const char *path, bool private_key, struct coursecert_key **ret_key,
         struct coursecert_error *err)
{
	const char *kind = private_key ? "private" : "public";
	struct ed25519_key *ed;
	struct stat st;
	int r;

	r = private_key ? ed25519_key_load_private(path, &ed) : ed25519_key_load_public(path, &ed);
	switch (r) {
	case 0:
		return key_new(ed, ret_key, err);
	case -EBADMSG:
		return coursecert__err(err, r, "%s: not a PEM %s key", path, kind);
	case -ENOTSUP:
		return coursecert__err(err, -EBADMSG, "%s: not an Ed25519 %s key", path, kind);
	case -EPERM:
		/* Only for the message: the module refused the file it opened. */
		return coursecert__err(
		        err, r, "%s: a private key must not be readable by others (mode %o)", path,
		        stat(path, &st) == 0 ? (unsigned)(st.st_mode & 0777) : 0u);
	case -EFBIG:
		return coursecert__err(err, r, "%s: too large for a key file", path);
	case -EINVAL:
		return coursecert__err(err, r, "%s: not a regular file", path);
	default:
		return coursecert__err(err, r, "%s: %s", path, strerror(-r));
	}
}

int
coursecert_key_load_private(const char *path, struct coursecert_key **ret_key,
                            struct coursecert_error *err)
{
	return key_load(path, true, ret_key, err);
}

int
coursecert_key_load_public(const char *path, struct coursecert_key **ret_key,
                           struct coursecert_error *err)
{
	return key_load(path, false, ret_key, err);
}

int
coursecert_key_save_private(const struct coursecert_key *key, const char *path,
                            struct coursecert_error *err)
{
	int r;

	if (!ed25519_key_has_private(key->ed))
		return coursecert__err(err, -EINVAL, "this key has no private half");
	r = ed25519_key_save_private(key->ed, path);
	return r < 0 ? coursecert__err(err, r, "%s: %s", path, strerror(-r)) : 0;
}

int
coursecert_key_public_pem(const struct coursecert_key *key, char **ret_pem,
                          struct coursecert_error *err)
{
	size_t len;
	int r = ed25519_key_public_pem(key->ed, ret_pem, &len);

	return r < 0 ? coursecert__err(err, r, "cannot encode the public key") : 0;
}

void
coursecert_key_raw_public(const struct coursecert_key *key, uint8_t ret_raw[COURSECERT_RAW_KEY_LEN])
{
	ed25519_key_raw_public(key->ed, ret_raw);
}

void
coursecert_key_id(const struct coursecert_key *key, char ret_id[COURSECERT_KEY_ID_MAX])
{
	ed25519_key_id(key->ed, ret_id);
}

bool
coursecert_key_has_private(const struct coursecert_key *key)
{
	return ed25519_key_has_private(key->ed);
}

void
coursecert_key_free(struct coursecert_key *key)
{
	if (!key)
		return;
	ed25519_key_free(key->ed);
	free(key);
}

int
coursecert__key_sign(const struct coursecert_key *key, const void *msg, size_t len,
                     uint8_t ret_sig[COURSECERT_SIG_LEN], struct coursecert_error *err)
{
	int r;

	if (!ed25519_key_has_private(key->ed))
		return coursecert__err(err, -EINVAL, "this key has no private half");
	r = ed25519_sign(key->ed, msg, len, ret_sig);
	return r < 0 ? coursecert__err(err, r, "Ed25519 signing failed") : 0;
}

int
coursecert__key_verify(const struct coursecert_key *key, const void *msg, size_t len,
                       const uint8_t sig[COURSECERT_SIG_LEN])
{
	return ed25519_verify(key->ed, msg, len, sig);
}

/*
 * key.c: the pack library's keys are lib/crypto's Ed25519 keys (ed25519.h), given this
 * library's object and error messages. The rules for key files are that module's: PEM, a
 * private key created with mode 0600 and never over an existing file (so a slip on the
 * command line cannot destroy a provider's key), one that others may read refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "ed25519.h"
#include "pack_int.h"

_Static_assert(PACK_RAW_KEY_LEN == ED25519_RAW_LEN, "raw key length");
_Static_assert(PACK_SIG_LEN == ED25519_SIG_LEN, "signature length");
_Static_assert(PACK_KEY_ID_MAX == ED25519_KEY_ID_MAX, "key id length");

struct pack_key {
	struct ed25519_key *ed; /* owned */
};

/* Takes ed (freed on failure too). */
static int
key_new(struct ed25519_key *ed, struct pack_key **ret_key, struct pack_error *err)
{
	struct pack_key *key = malloc(sizeof(*key));

	if (!key) {
		ed25519_key_free(ed);
		return pack__err(err, -ENOMEM, "out of memory");
	}
	key->ed = ed;
	*ret_key = key;
	return 0;
}

int
pack_key_generate(struct pack_key **ret_key, struct pack_error *err)
{
	struct ed25519_key *ed;
	int r = ed25519_key_generate(&ed);

	if (r < 0)
		return pack__err(err, r, "Ed25519 key generation failed");
	return key_new(ed, ret_key, err);
}

int
pack__key_from_raw_private(const uint8_t seed[PACK_RAW_KEY_LEN], struct pack_key **ret_key,
                           struct pack_error *err)
{
	struct ed25519_key *ed;
	int r = ed25519_key_from_raw_private(seed, &ed);

	if (r < 0)
		return pack__err(err, r, "bad Ed25519 private key");
	return key_new(ed, ret_key, err);
}

int
pack_key_from_raw_public(const uint8_t raw[32], struct pack_key **ret_key, struct pack_error *err)
{
	struct ed25519_key *ed;
	int r = ed25519_key_from_raw_public(raw, &ed);

	if (r < 0)
		return pack__err(err, r, "bad Ed25519 public key");
	return key_new(ed, ret_key, err);
}

static int
key_load(const char *path, bool private, struct pack_key **ret_key, struct pack_error *err)
{
	struct ed25519_key *ed;
	struct stat st;
	int r;

	r = private ? ed25519_key_load_private(path, &ed) : ed25519_key_load_public(path, &ed);
	switch (r) {
	case 0:
		return key_new(ed, ret_key, err);
	case -EBADMSG:
		return pack__err(err, r, "%s: not a PEM %s key", path,
		                 private ? "private" : "public");
	case -ENOTSUP:
		return pack__err(err, -EBADMSG, "%s: not an Ed25519 key", path);
	case -EPERM:
		/* Only for the message: the module refused the file it opened. */
		return pack__err(err, r,
		                 "%s: a private key must not be readable by others (mode %o)", path,
		                 stat(path, &st) == 0 ? (unsigned)(st.st_mode & 0777) : 0u);
	case -EFBIG:
		return pack__err(err, r, "%s: too large for a key file", path);
	case -EINVAL:
		return pack__err(err, r, "%s: not a regular file", path);
	default:
		return pack__err_sys(err, -r,
		                     private ? "cannot open private key" : "cannot open key", path);
	}
}

int
pack_key_load_private(const char *path, struct pack_key **ret_key, struct pack_error *err)
{
	return key_load(path, true, ret_key, err);
}

int
pack_key_load_public(const char *path, struct pack_key **ret_key, struct pack_error *err)
{
	return key_load(path, false, ret_key, err);
}

static int
key_save(const struct pack_key *key, const char *path, bool private, struct pack_error *err)
{
	int r;

	if (private && !ed25519_key_has_private(key->ed))
		return pack__err(err, -EINVAL, "%s: this key has no private part to save", path);
	r = private ? ed25519_key_save_private(key->ed, path)
	            : ed25519_key_save_public(key->ed, path);
	return r < 0 ? pack__err_sys(err, -r, "cannot create key file", path) : 0;
}

int
pack_key_save_private(const struct pack_key *key, const char *path, struct pack_error *err)
{
	return key_save(key, path, true, err);
}

int
pack_key_save_public(const struct pack_key *key, const char *path, struct pack_error *err)
{
	return key_save(key, path, false, err);
}

bool
pack_key_has_private(const struct pack_key *key)
{
	return ed25519_key_has_private(key->ed);
}

void
pack_key_id(const struct pack_key *key, char ret_id[PACK_KEY_ID_MAX])
{
	ed25519_key_id(key->ed, ret_id);
}

void
pack__key_raw_public(const struct pack_key *key, uint8_t out[PACK_RAW_KEY_LEN])
{
	ed25519_key_raw_public(key->ed, out);
}

bool
pack__key_same_public(const struct pack_key *a, const struct pack_key *b)
{
	return ed25519_key_same_public(a->ed, b->ed);
}

int
pack__key_sign(const struct pack_key *key, const void *msg, size_t len, uint8_t sig[PACK_SIG_LEN],
               struct pack_error *err)
{
	int r;

	if (!ed25519_key_has_private(key->ed))
		return pack__err(err, -EINVAL, "signing needs a private key");
	r = ed25519_sign(key->ed, msg, len, sig);
	return r < 0 ? pack__err(err, r, "Ed25519 signing failed") : 0;
}

bool
pack__key_verify_sig(const struct pack_key *key, const void *msg, size_t len,
                     const uint8_t sig[PACK_SIG_LEN])
{
	return ed25519_verify(key->ed, msg, len, sig) == 0;
}

void
pack_key_free(struct pack_key *key)
{
	if (!key)
		return;
	ed25519_key_free(key->ed);
	free(key);
}

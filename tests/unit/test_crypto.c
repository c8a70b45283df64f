/*
 * lib/crypto's encodings and Ed25519 keys, which packs, course certificates and bundles
 * all rely on: hex and base64 accept only the spelling they write (each other spelling is
 * refused and the output left untouched), HKDF and Ed25519 match their RFCs' vectors, and
 * key files follow the rules (0600, never overwritten, refused when others can read,
 * refused when not an Ed25519 key, a regular file or small).
 */
#include "check.h"
#include "crypto.h"
#include "ed25519.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

static void
hex_to_bytes(const char *hex, uint8_t *out, size_t len)
{
	CHECK_INT(crypto_hex_decode(hex, out, len), 0);
}

static void
test_hex(void)
{
	uint8_t out[4] = {0xaa, 0xaa, 0xaa, 0xaa};
	char text[9];

	test_step("hex: lower case both ways, every other spelling refused");
	crypto_hex_encode("\x01\xab\xff\x00", 4, text);
	CHECK_STR(text, "01abff00");
	CHECK_INT(crypto_hex_decode("01abff00", out, 4), 0);
	CHECK(memcmp(out, "\x01\xab\xff\x00", 4) == 0);
	memset(out, 0xaa, sizeof(out));
	CHECK_INT(crypto_hex_decode("01ABFF00", out, 4), -EINVAL);
	CHECK_INT(crypto_hex_decode("01abff0", out, 4), -EINVAL);
	CHECK_INT(crypto_hex_decode("01abff000", out, 4), -EINVAL);
	CHECK_INT(crypto_hex_decode("01abfg00", out, 4), -EINVAL);
	CHECK_INT(crypto_hex_decode(NULL, out, 4), -EINVAL);
	CHECK(memcmp(out, "\xaa\xaa\xaa\xaa", 4) == 0);
	CHECK_INT(crypto_hex_decode("", out, 0), 0);
}

static void
test_base64(void)
{
	/* RFC 4648, section 10. */
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const coded[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
	                                    "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	uint8_t out[64], raw[64];
	char text[CRYPTO_BASE64_LEN(64) + 1];

	test_step("base64: RFC 4648's vectors both ways");
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		size_t n = strlen(plain[i]);

		CHECK_INT(CRYPTO_BASE64_LEN(n), strlen(coded[i]));
		crypto_base64_encode(plain[i], n, text);
		CHECK_STR(text, coded[i]);
		memset(out, 0, sizeof(out));
		CHECK_INT(crypto_base64_decode(coded[i], out, n), 0);
		CHECK(memcmp(out, plain[i], n) == 0);
	}

	test_step("base64: a key and a signature round trip");
	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)(i * 37 + 11);
	crypto_base64_encode(raw, 32, text);
	CHECK_INT(strlen(text), 44);
	CHECK_INT(crypto_base64_decode(text, out, 32), 0);
	CHECK(memcmp(out, raw, 32) == 0);
	crypto_base64_encode(raw, 64, text);
	CHECK_INT(strlen(text), 88);
	CHECK_INT(crypto_base64_decode(text, out, 64), 0);
	CHECK(memcmp(out, raw, 64) == 0);

	test_step("base64: only the canonical spelling of exactly that many bytes");
	memset(out, 0xaa, sizeof(out));
	CHECK_INT(crypto_base64_decode("Zh==", out, 1), -EINVAL); /* stray bits */
	CHECK_INT(crypto_base64_decode("Zm9=", out, 2), -EINVAL); /* stray bits */
	CHECK_INT(crypto_base64_decode("Zg", out, 1), -EINVAL); /* no padding */
	CHECK_INT(crypto_base64_decode("Zg=", out, 1), -EINVAL);
	CHECK_INT(crypto_base64_decode("Zg===", out, 1), -EINVAL);
	CHECK_INT(crypto_base64_decode("Zm8=", out, 1), -EINVAL); /* 2 bytes, not 1 */
	CHECK_INT(crypto_base64_decode("Zm9v", out, 2), -EINVAL);
	CHECK_INT(crypto_base64_decode("Zg==Zg==", out, 4), -EINVAL); /* padding inside */
	CHECK_INT(crypto_base64_decode("Zm9vYmF=", out, 6), -EINVAL);
	CHECK_INT(crypto_base64_decode("Zm9v YmFy", out, 6), -EINVAL);
	CHECK_INT(crypto_base64_decode("Zm9-YmFy", out, 6), -EINVAL); /* base64url */
	CHECK_INT(crypto_base64_decode(NULL, out, 1), -EINVAL);
	for (size_t i = 0; i < sizeof(out); i++)
		CHECK_INT(out[i], 0xaa);
}

static void
test_hkdf(void)
{
	/* RFC 5869, test case 1. */
	uint8_t ikm[22], salt[13], info[10], okm[42], want[42];

	test_step("HKDF-SHA256: RFC 5869's first vector; text info is the same as its bytes");
	memset(ikm, 0x0b, sizeof(ikm));
	for (size_t i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(info); i++)
		info[i] = (uint8_t)(0xf0 + i);
	hex_to_bytes("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b8"
	             "87185865",
	             want, sizeof(want));
	CHECK_INT(crypto_hkdf_sha256_bytes(ikm, sizeof(ikm), salt, sizeof(salt), info, sizeof(info),
	                                   okm, sizeof(okm)),
	          0);
	CHECK(memcmp(okm, want, sizeof(okm)) == 0);
	CHECK_INT(crypto_hkdf_sha256(ikm, sizeof(ikm), salt, sizeof(salt), "onward", want, 32), 0);
	CHECK_INT(crypto_hkdf_sha256_bytes(ikm, sizeof(ikm), salt, sizeof(salt), "onward", 6, okm,
	                                   32),
	          0);
	CHECK(memcmp(okm, want, 32) == 0);
}

static void
test_ed25519_vector(void)
{
	/* RFC 8032, section 7.1, test 1: the empty message. */
	uint8_t seed[ED25519_RAW_LEN], pub[ED25519_RAW_LEN], want_pub[ED25519_RAW_LEN];
	uint8_t sig[ED25519_SIG_LEN], want_sig[ED25519_SIG_LEN], digest[CRYPTO_SHA256_LEN];
	char id[ED25519_KEY_ID_MAX], want_id[ED25519_KEY_ID_MAX];
	struct ed25519_key *key, *pub_key, *other;

	test_step("Ed25519: RFC 8032's first vector, verify, key id");
	hex_to_bytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", seed,
	             sizeof(seed));
	hex_to_bytes("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", want_pub,
	             sizeof(want_pub));
	hex_to_bytes("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a3"
	             "3bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
	             want_sig, sizeof(want_sig));
	CHECK_INT(ed25519_key_from_raw_private(seed, &key), 0);
	CHECK(ed25519_key_has_private(key));
	ed25519_key_raw_public(key, pub);
	CHECK(memcmp(pub, want_pub, sizeof(pub)) == 0);
	CHECK_INT(ed25519_sign(key, "", 0, sig), 0);
	CHECK(memcmp(sig, want_sig, sizeof(sig)) == 0);
	CHECK_INT(ed25519_verify(key, "", 0, sig), 0);
	CHECK_INT(ed25519_verify_raw(pub, "", 0, sig), 0);
	CHECK_INT(ed25519_verify_raw(pub, "x", 1, sig), -EKEYREJECTED);
	sig[0] ^= 1;
	CHECK_INT(ed25519_verify(key, "", 0, sig), -EKEYREJECTED);
	CHECK_INT(crypto_sha256(pub, sizeof(pub), digest), 0);
	crypto_hex_encode(digest, 8, want_id);
	ed25519_key_id(key, id);
	CHECK_STR(id, want_id);

	CHECK_INT(ed25519_key_from_raw_public(pub, &pub_key), 0);
	CHECK(!ed25519_key_has_private(pub_key));
	CHECK(ed25519_key_same_public(key, pub_key));
	CHECK_INT(ed25519_sign(pub_key, "", 0, sig), -EINVAL);
	CHECK_INT(ed25519_key_generate(&other), 0);
	CHECK(!ed25519_key_same_public(key, other));
	ed25519_key_free(other);
	ed25519_key_free(pub_key);
	ed25519_key_free(key);
	ed25519_key_free(NULL);
}

static char *
path_in(const char *dir, const char *name)
{
	static char path[4][512];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

static void
write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	CHECK(fd >= 0);
	CHECK_INT(write(fd, data, len), (long long)len);
	CHECK_INT(close(fd), 0);
}

static void
test_ed25519_files(void)
{
	char dir[] = "/tmp/onward-test-crypto-XXXXXX", id[ED25519_KEY_ID_MAX],
	     id2[ED25519_KEY_ID_MAX], big[ED25519_FILE_MAX + 10];
	struct ed25519_key *key, *loaded = (struct ed25519_key *)0x1, *copy;
	struct stat st;
	char *pem;
	size_t len;
	EVP_PKEY *x25519;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	CHECK_INT(ed25519_key_generate(&key), 0);
	ed25519_key_id(key, id);

	test_step("key files: private 0600 and never overwritten, public 0644");
	CHECK_INT(ed25519_key_save_private(key, path_in(dir, "key.pem")), 0);
	CHECK_INT(stat(path_in(dir, "key.pem"), &st), 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	CHECK_INT(ed25519_key_save_private(key, path_in(dir, "key.pem")), -EEXIST);
	CHECK_INT(ed25519_key_save_public(key, path_in(dir, "key.pub")), 0);
	CHECK_INT(ed25519_key_save_public(key, path_in(dir, "key.pub")), -EEXIST);
	CHECK_INT(ed25519_key_load_private(path_in(dir, "key.pem"), &copy), 0);
	CHECK(ed25519_key_has_private(copy));
	ed25519_key_id(copy, id2);
	CHECK_STR(id2, id);
	ed25519_key_free(copy);
	CHECK_INT(ed25519_key_load_public(path_in(dir, "key.pub"), &copy), 0);
	CHECK(!ed25519_key_has_private(copy));
	CHECK(ed25519_key_same_public(copy, key));
	CHECK_INT(ed25519_key_save_private(copy, path_in(dir, "nothing.pem")), -EINVAL);
	CHECK_INT(access(path_in(dir, "nothing.pem"), F_OK), -1);
	ed25519_key_free(copy);

	test_step("key files: each refusal, with nothing returned");
	CHECK_INT(chmod(path_in(dir, "key.pem"), 0640), 0);
	CHECK_INT(ed25519_key_load_private(path_in(dir, "key.pem"), &loaded), -EPERM);
	CHECK_INT(chmod(path_in(dir, "key.pem"), 0600), 0);
	CHECK_INT(ed25519_key_load_private(path_in(dir, "key.pub"), &loaded), -EBADMSG);
	CHECK_INT(ed25519_key_load_public(path_in(dir, "key.pem"), &loaded), -EBADMSG);
	CHECK_INT(ed25519_key_load_public(path_in(dir, "missing"), &loaded), -ENOENT);
	CHECK_INT(ed25519_key_load_public(dir, &loaded), -EINVAL);
	CHECK_INT(mkfifo(path_in(dir, "fifo"), 0600), 0);
	CHECK_INT(ed25519_key_load_private(path_in(dir, "fifo"), &loaded), -EINVAL);
	memset(big, 'A', sizeof(big));
	write_file(path_in(dir, "big.pem"), big, sizeof(big), 0600);
	CHECK_INT(ed25519_key_load_private(path_in(dir, "big.pem"), &loaded), -EFBIG);
	x25519 = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	CHECK(x25519 != NULL);
	f = fopen(path_in(dir, "x25519.pem"), "wx");
	CHECK(f != NULL);
	CHECK(PEM_write_PrivateKey(f, x25519, NULL, NULL, 0, NULL, NULL) == 1);
	CHECK_INT(fclose(f), 0);
	CHECK_INT(chmod(path_in(dir, "x25519.pem"), 0600), 0);
	EVP_PKEY_free(x25519);
	CHECK_INT(ed25519_key_load_private(path_in(dir, "x25519.pem"), &loaded), -ENOTSUP);
	CHECK(loaded == (struct ed25519_key *)0x1);

	test_step("PEM text both ways");
	CHECK_INT(ed25519_key_private_pem(key, &pem, &len), 0);
	CHECK_INT(strlen(pem), len);
	CHECK(strncmp(pem, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
	CHECK_INT(ed25519_key_from_pem(pem, len, true, &copy), 0);
	ed25519_key_id(copy, id2);
	CHECK_STR(id2, id);
	ed25519_key_free(copy);
	CHECK_INT(ed25519_key_from_pem(pem, len, false, &loaded), -EBADMSG);
	crypto_wipe(pem, len);
	free(pem);
	CHECK_INT(ed25519_key_public_pem(key, &pem, &len), 0);
	CHECK(strncmp(pem, "-----BEGIN PUBLIC KEY-----\n", 27) == 0);
	CHECK_INT(ed25519_key_from_pem(pem, len, false, &copy), 0);
	CHECK(ed25519_key_same_public(copy, key));
	ed25519_key_free(copy);
	free(pem);

	ed25519_key_free(key);
	for (const char *const *n = (const char *const[]){"key.pem", "key.pub", "fifo", "big.pem",
	                                                  "x25519.pem", NULL};
	     *n; n++)
		CHECK_INT(unlink(path_in(dir, *n)), 0);
	CHECK_INT(rmdir(dir), 0);
}

int
main(void)
{
	test_hex();
	test_base64();
	test_hkdf();
	test_ed25519_vector();
	test_ed25519_files();
	printf("test-crypto: OK\n");
	return 0;
}

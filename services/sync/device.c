/*
 * The tablet's identity folder (see sync.h): made 0700, its key 0600, every file written
 * whole and atomically, so a tablet switched off mid-enrolment keeps either its old state
 * or the new one. What the server sends back is checked before it is kept: the
 * certificate must carry this tablet's own key and chain to the CA the pin proved.
 */
#include "sync.h"

#include "crypto.h"
#include "pki.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

int
device_open(const char *dir, bool make, struct device_paths *ret, char *err, size_t size)
{
	struct stat st;

	if (strlen(dir) >= sizeof(ret->dir) - 16) {
		snprintf(err, size, "the folder name is too long");
		return -ENAMETOOLONG;
	}
	if (make && mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, size, "cannot make %s: %s", dir, strerror(errno));
		return -errno;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, size, "%s is not a folder", dir);
		return -ENOTDIR;
	}
	snprintf(ret->dir, sizeof(ret->dir), "%s", dir);
	snprintf(ret->key, sizeof(ret->key), "%s/" SYNC_KEY_FILE, dir);
	snprintf(ret->cert, sizeof(ret->cert), "%s/" SYNC_CERT_FILE, dir);
	snprintf(ret->ca, sizeof(ret->ca), "%s/" SYNC_CA_FILE, dir);
	return 0;
}

int
device_make_key(const struct device_paths *p, EVP_PKEY **ret_key, char *err, size_t size)
{
	EVP_PKEY *key = NULL;
	int r = pki_key_generate(&key);

	r = r ?: pki_key_save(key, p->key);
	if (r < 0) {
		EVP_PKEY_free(key);
		snprintf(err, size, "cannot make the tablet's key in %s: %s", p->key, strerror(-r));
		return r;
	}
	*ret_key = key;
	return 0;
}

/*
 * Whether cert is a client certificate signed by ca. Its dates are not checked here: a
 * tablet being enrolled may not have the right time yet (it gets the server's time at its
 * first hello), and the server checks them at every connection.
 */
static bool
chains_to(X509 *cert, X509 *ca)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	bool ok = store && ctx && X509_STORE_add_cert(store, ca) == 1 &&
	          X509_STORE_CTX_init(ctx, store, cert, NULL) == 1 &&
	          X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT) == 1;

	if (ok)
		X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx),
		                            X509_V_FLAG_NO_CHECK_TIME);
	ok = ok && X509_verify_cert(ctx) == 1;

	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
	return ok;
}

int
device_save(const struct device_paths *p, EVP_PKEY *key, const char *cert_pem, const char *ca_pem,
            char *err, size_t size)
{
	X509 *cert = NULL, *ca = NULL;
	int r = 0;

	if (pki_cert_from_pem(cert_pem, strlen(cert_pem), &cert) < 0 ||
	    pki_cert_from_pem(ca_pem, strlen(ca_pem), &ca) < 0) {
		snprintf(err, size, "the server sent no certificate");
		r = -EBADMSG;
	} else if (X509_check_private_key(cert, key) != 1) {
		snprintf(err, size, "the certificate the server sent is not for this tablet's key");
		r = -EBADMSG;
	} else if (!chains_to(cert, ca)) {
		snprintf(err, size, "the certificate the server sent is not signed by its CA");
		r = -EBADMSG;
	}
	ERR_clear_error();
	X509_free(cert);
	X509_free(ca);
	if (r == 0)
		r = crypto_file_write_atomic(p->ca, ca_pem, strlen(ca_pem), 0644);
	/* The certificate last: its presence says the tablet is enrolled. */
	if (r == 0)
		r = crypto_file_write_atomic(p->cert, cert_pem, strlen(cert_pem), 0644);
	if (r < 0 && r != -EBADMSG)
		snprintf(err, size, "cannot write into %s: %s", p->dir, strerror(-r));
	return r;
}

/*
 * The establishment CA (see estate_int.h): an ECDSA P-256 key and a self-signed
 * certificate in DIR/estate/ (the folder 0700, the key 0600, each file written atomically).
 * Made at the area's first start, loaded at every later one. A CA that is there but
 * cannot be read whole and consistent stops the start with one plain line: making a new
 * one silently would strand every tablet enrolled under the old.
 */
#include "estate_int.h"

#include "crypto.h"
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

struct ca_paths {
	char dir[4200];
	char key[4300];
	char cert[4300];
};

/* Makes DIR/estate (0700) unless it is there; refuses one others can enter. */
static int
ca_dir(const struct ca_paths *p, char *err, size_t size)
{
	struct stat st;

	if (mkdir(p->dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, size, "cannot make %s: %s", p->dir, strerror(errno));
		return -errno;
	}
	if (lstat(p->dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, size, "%s is not a folder", p->dir);
		return -ENOTDIR;
	}
	if (st.st_mode & 077) {
		snprintf(err, size, "%s must be private to the daemon (mode 0700)", p->dir);
		return -EPERM;
	}
	return 0;
}

/* A new self-signed CA certificate for key, valid for ten years from now by the clock. */
static int
ca_make_cert(struct server *srv, EVP_PKEY *key, X509 **ret)
{
	char name[64];
	struct cert_request req = {
	        .kind = CERT_CA, .key = key, .common_name = name, .days = ESTATE_CA_DAYS};

	snprintf(name, sizeof(name), "Onward establishment CA%s%s",
	         srv->config.establishment[0] ? " " : "", srv->config.establishment);
	return cert_issue(&req, NULL, key, ret, NULL, NULL);
}

static int
ca_save_cert(X509 *cert, const char *path)
{
	char *pem = NULL;
	int r = pki_cert_pem(cert, &pem);

	if (r == 0)
		r = crypto_file_write_atomic(path, pem, strlen(pem), 0644);
	free(pem);
	return r;
}

/* Reads the certificate file and checks it is a CA certificate for key. */
static int
ca_load_cert(const char *path, EVP_PKEY *key, X509 **ret, char *err, size_t size)
{
	char buf[PKI_FILE_MAX];
	X509 *cert = NULL;
	size_t len = 0;
	int r = crypto_file_read(path, buf, sizeof(buf), &len, NULL);

	if (r < 0) {
		snprintf(err, size, "%s cannot be read: %s", path, strerror(-r));
		return r;
	}
	if (pki_cert_from_pem(buf, len, &cert) < 0) {
		snprintf(err, size, "%s does not hold a certificate", path);
		return -EINVAL;
	}
	if (X509_check_private_key(cert, key) != 1 || X509_check_ca(cert) != 1) {
		ERR_clear_error();
		X509_free(cert);
		snprintf(err, size, "%s is not the CA certificate of the key beside it", path);
		return -EINVAL;
	}
	*ret = cert;
	return 0;
}

/* Loads the key, or makes one when there is neither key nor certificate. */
static int
ca_key(const struct ca_paths *p, EVP_PKEY **ret, char *err, size_t size)
{
	int r;

	if (access(p->key, F_OK) < 0 && errno == ENOENT) {
		if (access(p->cert, F_OK) == 0) {
			snprintf(err, size, "%s is missing but its certificate is there", p->key);
			return -ENOENT;
		}
		r = pki_key_generate(ret);
		if (r == 0 && (r = pki_key_save(*ret, p->key)) < 0)
			EVP_PKEY_free(*ret);
		if (r < 0)
			snprintf(err, size, "cannot make the CA key %s: %s", p->key, strerror(-r));
		return r;
	}
	r = pki_key_load(p->key, ret);
	if (r < 0)
		snprintf(err, size, "%s cannot be used: %s", p->key,
		         r == -EPERM     ? "others can read it (it must be 0600)"
		         : r == -ENOTSUP ? "it is not a P-256 key"
		         : r == -EINVAL  ? "it is not a key"
		                         : strerror(-r));
	return r;
}

int
estate_start(struct server *srv, void **ret_state, char *err, size_t size)
{
	struct estate *e = calloc(1, sizeof(*e));
	struct ca_paths p;
	char why[4400] = "";
	int r;

	if (!e)
		return -ENOMEM;
	*ret_state = e;
	snprintf(p.dir, sizeof(p.dir), "%s/estate", srv->state_dir);
	snprintf(p.key, sizeof(p.key), "%s/ca.key", p.dir);
	snprintf(p.cert, sizeof(p.cert), "%s/ca.crt", p.dir);
	r = ca_dir(&p, why, sizeof(why));
	r = r ?: ca_key(&p, &e->ca_key, why, sizeof(why));
	/* Without a certificate no tablet can have been enrolled: one is made for the key
	 * (also after a crash between writing the key and the certificate). */
	if (r == 0 && access(p.cert, F_OK) < 0 && errno == ENOENT) {
		r = ca_make_cert(srv, e->ca_key, &e->ca_cert);
		if (r == 0)
			r = ca_save_cert(e->ca_cert, p.cert);
		if (r < 0)
			snprintf(why, sizeof(why), "cannot make the CA certificate %s: %s", p.cert,
			         strerror(-r));
	} else if (r == 0) {
		r = ca_load_cert(p.cert, e->ca_key, &e->ca_cert, why, sizeof(why));
	}
	r = r ?: pki_cert_pem(e->ca_cert, &e->ca_pem);
	r = r ?: pki_cert_pin_x509(e->ca_cert, e->ca_pin);
	if (r < 0) {
		snprintf(err, size, "the establishment CA cannot be used: %s",
		         why[0] ? why : strerror(-r));
		return r;
	}
	/* From now on the dispatcher can prove tablets by their certificates. */
	srv->device_find = estate_device_find;
	return 0;
}

void
estate_stop(struct server *srv, void *state)
{
	struct estate *e = state;

	srv->device_find = NULL;
	if (!e)
		return;
	EVP_PKEY_free(e->ca_key);
	X509_free(e->ca_cert);
	free(e->ca_pem);
	free(e);
}

/*
 * The real onward-gateway in front of a test's daemon, as an establishment runs it: the
 * gateway's key made here (it never leaves), its certificate from the daemon's
 * Gateway.Certify, the daemon's CA as the client CA, listening on a port the kernel picks
 * on 127.0.0.1. Built only when the gateway is.
 */
#ifndef ONWARD_TEST_ESTATE_LIVE_GATEWAY_H
#define ONWARD_TEST_ESTATE_LIVE_GATEWAY_H

#include <sys/types.h>

#include "daemon.h"

struct estate_gateway {
	pid_t pid;
	char url[64]; /* "https://127.0.0.1:PORT" */
	char ca[256]; /* the establishment CA's certificate, a PEM file */
	char log[256];
};

/* Starts it for d (which runs), and waits until it listens; fails the test otherwise. */
void estate_gateway_start(struct test_daemon *d, struct estate_gateway *ret);

/* kill -9, as a crash or a power cut. */
void estate_gateway_kill(struct estate_gateway *g);

/* SIGTERM, and checks it exits 0. */
void estate_gateway_stop(struct estate_gateway *g);

#endif

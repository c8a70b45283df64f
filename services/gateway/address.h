/*
 * The address the gateway listens on, as it is written on the command line: an IPv4
 * literal and a port ("127.0.0.1:8443") or an IPv6 literal in brackets and a port
 * ("[::1]:8443"). No names are looked up: a gateway listens where it is told, exactly.
 */
#ifndef ONWARD_GATEWAY_ADDRESS_H
#define ONWARD_GATEWAY_ADDRESS_H

#include <sys/socket.h>

/* Reads text into ret (port 0 to 65535; 0 lets the kernel choose). 0 or -EINVAL. */
int address_parse(const char *text, struct sockaddr_storage *ret);

#endif

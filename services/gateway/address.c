/*
 * Listening addresses (see address.h). The text is split at its last colon; the host part
 * must be a literal inet_pton accepts whole, the port all digits.
 */
#include "address.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#define HOST_MAX 64

static int
parse_port(const char *s, in_port_t *ret)
{
	unsigned long v = 0;

	if (!*s || strlen(s) > 5)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v > 65535)
		return -EINVAL;
	*ret = htons((uint16_t)v);
	return 0;
}

int
address_parse(const char *text, struct sockaddr_storage *ret)
{
	const char *colon = text ? strrchr(text, ':') : NULL;
	char host[HOST_MAX];
	size_t host_len;
	struct sockaddr_storage ss;
	in_port_t port;

	if (!colon || parse_port(colon + 1, &port) < 0)
		return -EINVAL;
	host_len = (size_t)(colon - text);
	memset(&ss, 0, sizeof(ss));
	if (host_len >= 2 && text[0] == '[' && text[host_len - 1] == ']') {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		if (host_len - 2 >= sizeof(host))
			return -EINVAL;
		memcpy(host, text + 1, host_len - 2);
		host[host_len - 2] = '\0';
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return -EINVAL;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = port;
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		if (host_len >= sizeof(host))
			return -EINVAL;
		memcpy(host, text, host_len);
		host[host_len] = '\0';
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return -EINVAL;
		sin->sin_family = AF_INET;
		sin->sin_port = port;
	}
	*ret = ss;
	return 0;
}

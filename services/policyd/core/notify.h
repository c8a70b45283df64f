/*
 * Readiness for the service manager: sends "READY=1" (and "STOPPING=1") to $NOTIFY_SOCKET
 * when systemd started us with Type=notify; does nothing otherwise.
 */
#ifndef ONWARD_POLICYD_NOTIFY_H
#define ONWARD_POLICYD_NOTIFY_H

void notify_service_manager(const char *state);

#endif

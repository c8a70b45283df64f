/*
 * bench-broker: round trips to the real daemon over its control socket. The daemon is
 * pinned to one core and this program to the other, so the figures are what one core of
 * the broker serves. Two measurements, each with 1 and with 64 concurrent clients:
 *
 *  - throughput: every client keeps one call in flight (send, wait, send again), so the
 *    daemon is never idle; requests per second is its capacity;
 *  - latency at a fixed load: the clients together send --rate calls per second on a
 *    fixed schedule, whatever the replies do (open loop), and latency runs from each
 *    call's scheduled time to its reply, so a stall counts against every call it delays.
 *
 *   bench-broker [--seconds N] [--rate R] [--method get-info|session-get]
 *
 * Prints requests per second and p50/p99/max latency for each run, after how often the
 * machine itself stalls the clients' core (a floor under any open-loop p99).
 */
#include "check.h"
#include "daemon.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 64
#define MAX_IN_FLIGHT 8192 /* per client, open loop */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
pin_to_cpu(pid_t pid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(pid, sizeof(set), &set) < 0)
		fprintf(stderr, "bench-broker: cannot pin pid %d to cpu %d: %s\n", (int)pid, cpu,
		        strerror(errno));
}

static const char *method_name = "onward.Service.GetInfo";

/* How often the machine itself takes this core away: a thread that only reads the clock
 * for two seconds, and the gaps it sees. On a virtual machine these set a floor under
 * the open-loop p99 that no daemon can beat, so they are printed beside it. */
static void
measure_jitter(void)
{
	uint64_t start = now_ns(), last = start, max = 0;
	unsigned over_100us = 0, over_1ms = 0;

	while (last - start < 2000000000u) {
		uint64_t t = now_ns(), gap = t - last;

		over_100us += gap > 100000u;
		over_1ms += gap > 1000000u;
		max = gap > max ? gap : max;
		last = t;
	}
	printf("the clients' core, idle: %u gaps over 100 us, %u over 1 ms, longest %.2f ms in 2 "
	       "s\n",
	       over_100us, over_1ms, max / 1e6);
}

static void
run(struct test_daemon *d, int nclients, double seconds, const char *pin)
{
	struct client *clients[MAX_CLIENTS];
	uint64_t sent_at[MAX_CLIENTS];
	size_t cap = 4000000, count = 0;
	uint64_t *lat = malloc(cap * sizeof(*lat));
	uint64_t start, end, warm_until;

	CHECK(lat != NULL);
	for (int i = 0; i < nclients; i++) {
		clients[i] = daemon_connect_control(d);
		if (strcmp(method_name, "onward.Session.Get") == 0) {
			struct client_reply r;

			daemon_call(clients[i], "onward.Session.Login",
			            json_pack("{s:s, s:s}", "prison_number", "A1234BC", "pin", pin),
			            &r);
			CHECK(r.error == NULL);
			client_reply_release(&r);
		}
	}
	start = now_ns();
	warm_until = start + 300000000u; /* 0.3 s of warm-up, not counted */
	end = warm_until + (uint64_t)(seconds * 1e9);
	for (int i = 0; i < nclients; i++) {
		sent_at[i] = now_ns();
		CHECK(client_send(clients[i], method_name, NULL) == 0);
		CHECK(client_flush(clients[i]) == 0);
	}
	for (;;) {
		struct pollfd pfd[MAX_CLIENTS];
		uint64_t t = now_ns();

		if (t >= end)
			break;
		for (int i = 0; i < nclients; i++)
			pfd[i] = (struct pollfd){client_fd(clients[i]), POLLIN, 0};
		CHECK(poll(pfd, (nfds_t)nclients, 1000) > 0);
		for (int i = 0; i < nclients; i++) {
			struct client_reply r;

			if (!(pfd[i].revents & POLLIN))
				continue;
			while (client_receive(clients[i], &r) == 0) {
				uint64_t got = now_ns();

				CHECK(r.error == NULL);
				client_reply_release(&r);
				if (sent_at[i] >= warm_until && count < cap)
					lat[count++] = got - sent_at[i];
				sent_at[i] = now_ns();
				CHECK(client_send(clients[i], method_name, NULL) == 0);
				CHECK(client_flush(clients[i]) == 0);
			}
		}
	}
	for (int i = 0; i < nclients; i++)
		client_free(clients[i]);
	qsort(lat, count, sizeof(*lat), compare_u64);
	printf("%-22s clients %3d  %9.0f requests/s   p50 %7.1f us  p99 %7.1f us  max %8.1f us\n",
	       method_name, nclients, count / seconds, lat[count / 2] / 1e3,
	       lat[(size_t)(count * 0.99)] / 1e3, lat[count - 1] / 1e3);
	fflush(stdout);
	free(lat);
}

/* Open loop: nclients together send `rate` calls per second on a fixed schedule. */
static void
run_rate(struct test_daemon *d, int nclients, double rate, double seconds)
{
	struct client *clients[MAX_CLIENTS];
	static uint64_t due[MAX_CLIENTS][MAX_IN_FLIGHT]; /* scheduled send times, a ring */
	int head[MAX_CLIENTS] = {0}, tail[MAX_CLIENTS] = {0};
	uint64_t interval = (uint64_t)(1e9 / rate), next_due, start, end;
	size_t cap = (size_t)(rate * seconds) + 1000, count = 0;
	uint64_t *lat = malloc(cap * sizeof(*lat));
	int turn = 0;

	CHECK(lat != NULL);
	for (int i = 0; i < nclients; i++)
		clients[i] = daemon_connect_control(d);
	start = now_ns();
	next_due = start;
	end = start + (uint64_t)(seconds * 1e9);
	while (now_ns() < end || count < (size_t)(rate * seconds * 0.999)) {
		struct pollfd pfd[MAX_CLIENTS];
		uint64_t t = now_ns();
		struct timespec wait;

		if (t > end + 5000000000u)
			break;
		/* Send every call that is due, round-robin over the clients. */
		while (next_due <= t && next_due < end) {
			int c = turn++ % nclients;

			CHECK((head[c] + 1) % MAX_IN_FLIGHT != tail[c]);
			due[c][head[c]] = next_due;
			head[c] = (head[c] + 1) % MAX_IN_FLIGHT;
			CHECK(client_send(clients[c], method_name, NULL) == 0);
			(void)client_flush(clients[c]);
			next_due += interval;
		}
		for (int i = 0; i < nclients; i++)
			pfd[i] = (struct pollfd){
			        client_fd(clients[i]),
			        client_wants_write(clients[i]) ? POLLIN | POLLOUT : POLLIN, 0};
		/* Sleep until the next call is due, to the microsecond: a client that spun instead
		 * would lose its core to any other work on the machine and count that as the
		 * daemon's latency. */
		wait = (struct timespec){0, 0};
		if (next_due > t)
			wait = (struct timespec){(time_t)((next_due - t) / 1000000000u),
			                         (long)((next_due - t) % 1000000000u)};
		CHECK(ppoll(pfd, (nfds_t)nclients, &wait, NULL) >= 0);
		for (int i = 0; i < nclients; i++) {
			struct client_reply r;

			if (pfd[i].revents & POLLOUT)
				(void)client_flush(clients[i]);
			if (!(pfd[i].revents & POLLIN))
				continue;
			while (client_receive(clients[i], &r) == 0) {
				CHECK(r.error == NULL);
				client_reply_release(&r);
				CHECK(tail[i] != head[i]);
				if (count < cap)
					lat[count++] = now_ns() - due[i][tail[i]];
				tail[i] = (tail[i] + 1) % MAX_IN_FLIGHT;
			}
		}
	}
	for (int i = 0; i < nclients; i++)
		client_free(clients[i]);
	qsort(lat, count, sizeof(*lat), compare_u64);
	printf("%-22s clients %3d  at %6.0f/s:   %9zu calls  p50 %7.1f us  p99 %7.1f us  max %8.1f "
	       "us\n",
	       method_name, nclients, rate, count, lat[count / 2] / 1e3,
	       lat[(size_t)(count * 0.99)] / 1e3, lat[count - 1] / 1e3);
	fflush(stdout);
	free(lat);
}

int
main(int argc, char **argv)
{
	struct test_daemon d;
	double seconds = 3, rate = 20000;
	char pin[16];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
			seconds = atof(argv[++i]);
		} else if (strcmp(argv[i], "--rate") == 0 && i + 1 < argc) {
			rate = atof(argv[++i]);
		} else if (strcmp(argv[i], "--method") == 0 && i + 1 < argc) {
			i++;
			method_name = strcmp(argv[i], "session-get") == 0
			                      ? "onward.Session.Get"
			                      : "onward.Service.GetInfo";
		} else {
			fprintf(stderr, "usage: bench-broker [--seconds N] [--rate R] "
			                "[--method get-info|session-get]\n");
			return 2;
		}
	}
	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	daemon_add_person(&d, "A1234BC", pin);
	/* Wake-ups to the nanosecond asked for (the default slack is 50 us), so the open-loop
	 * schedule is kept and its latency is the daemon's, not this program's. */
	(void)prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	if (cpus >= 2) {
		pin_to_cpu(d.pid, 0);
		pin_to_cpu(0, 1);
		printf("daemon pinned to cpu 0, clients to cpu 1 (%ld cpus online)\n", cpus);
	}
	measure_jitter();
	printf("throughput (each client one call in flight):\n");
	run(&d, 1, seconds, pin);
	run(&d, 64, seconds, pin);
	printf("latency at a fixed load of %.0f calls/s (open loop):\n", rate);
	run_rate(&d, 1, rate, seconds);
	run_rate(&d, 64, rate, seconds);
	daemon_stop(&d);
	daemon_remove(&d);
	return 0;
}

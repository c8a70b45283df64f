/*
 * bench-messages: messages per second through the real daemon, each one a channel call
 * onward.Message.Send that makes two policy decisions (message.send, then message.hold
 * with the word list checked), an encrypted durable insert (SQLCipher, WAL,
 * synchronous=FULL) and its audit row, acknowledged only after the commit. It runs with
 * group commit on (the default) and off, with 1 and with 32 Messages app channels (32
 * people logged in, one call in flight on each), and prints the rate and the latency from
 * send to acknowledgement.
 *
 * The messages go to each person's worker thread: the daily quota (at most 30 family
 * messages a day) would otherwise stop a benchmark after a few hundred. Decisions, the
 * word list, the insert and the audit row are the same for both kinds of thread.
 *
 *   bench-messages [--seconds N] [--clients N]
 */
#include "check.h"
#include "daemon.h"
#include "timeutil.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CLIENTS 32

struct sender {
	struct client *control, *channel;
	uint64_t sent_at;
	bool waiting;
};

static struct test_daemon d;
static struct sender senders[MAX_CLIENTS];

static int
compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
setup(int clients)
{
	char program[256], cmd[600];

	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	json_decref(daemon_admin_ok(&d, "onward.Staff.Add",
	                            json_pack("{s:s, s:s, s:s, s:s}", "id", "k.patel", "name",
	                                      "Kiran Patel", "role", "key_worker", "establishment",
	                                      "MDI")));
	snprintf(program, sizeof(program), "%s.messages", d.dir);
	snprintf(cmd, sizeof(cmd), "cp /bin/true '%s'", program);
	CHECK(system(cmd) == 0);
	json_decref(daemon_admin_ok(&d, "onward.App.Register",
	                            json_pack("{s:s, s:s}", "name", "messages", "path", program)));
	json_decref(daemon_admin_ok(&d, "onward.Establishment.Regime",
	                            json_pack("{s:s, s:s}", "code", "MDI", "regime", "unlock")));
	/* A realistic word list, so every message is checked against it. */
	for (int i = 0; i < 200; i++) {
		char word[32];

		snprintf(word, sizeof(word), "%sword%d", i % 2 ? "bad " : "", i);
		json_decref(daemon_admin_ok(&d, "onward.Wordlist.Add",
		                            json_pack("{s:s}", "word", word)));
	}
	for (int i = 0; i < clients; i++) {
		struct client_reply r;
		char number[16], pin[16];

		snprintf(number, sizeof(number), "B%04dCD", (1000 + i) % 10000);
		daemon_add_person(&d, number, pin);
		json_decref(daemon_admin_ok(
		        &d, "onward.Person.Set",
		        json_pack("{s:s, s:s}", "prison_number", number, "worker", "k.patel")));
		senders[i].control = daemon_connect_control(&d);
		daemon_call(senders[i].control, "onward.Session.Login",
		            json_pack("{s:s, s:s}", "prison_number", number, "pin", pin), &r);
		CHECK(r.error == NULL);
		client_reply_release(&r);
		daemon_call(senders[i].control, "onward.App.Open",
		            json_pack("{s:s}", "app", "messages"), &r);
		CHECK(r.error == NULL && r.fd >= 0);
		CHECK_INT(client_adopt(r.fd, &senders[i].channel), 0);
		r.fd = -1;
		client_reply_release(&r);
	}
	unlink(program);
}

static void
teardown(int clients)
{
	for (int i = 0; i < clients; i++) {
		client_free(senders[i].channel);
		client_free(senders[i].control);
	}
	daemon_remove(&d);
}

static void
send_one(struct sender *s, uint64_t n)
{
	char text[160];

	snprintf(text, sizeof(text),
	         "Message %llu: the visit on Saturday is at two, please bring the photos.",
	         (unsigned long long)n);
	CHECK_INT(client_send(s->channel, "onward.Message.Send",
	                      json_pack("{s:s, s:s}", "to", "worker", "text", text)),
	          0);
	while (client_flush(s->channel) == -EAGAIN)
		;
	s->sent_at = time_mono_ns();
	s->waiting = true;
}

/* Runs for `seconds` with `clients` channels, one call in flight on each. */
static void
run(const char *label, int clients, double seconds)
{
	size_t cap = 1 << 20, n = 0;
	uint64_t *lat = malloc(cap * sizeof(*lat)), start, end, sent = 0;
	struct pollfd fds[MAX_CLIENTS];

	CHECK(lat != NULL);
	start = time_mono_ns();
	end = start + (uint64_t)(seconds * 1e9);
	for (int i = 0; i < clients; i++)
		send_one(&senders[i], sent++);
	for (;;) {
		uint64_t now = time_mono_ns();
		int waiting = 0;

		for (int i = 0; i < clients; i++) {
			fds[i] = (struct pollfd){client_fd(senders[i].channel), POLLIN, 0};
			waiting += senders[i].waiting;
		}
		if (waiting == 0)
			break;
		CHECK(poll(fds, (nfds_t)clients, 5000) > 0);
		for (int i = 0; i < clients; i++) {
			struct client_reply r;

			if (!(fds[i].revents & (POLLIN | POLLHUP)))
				continue;
			while (client_receive(senders[i].channel, &r) == 0) {
				now = time_mono_ns();
				if (r.error)
					check_failed(__FILE__, __LINE__, "send: %s: %s", r.error,
					             client_reply_message(&r));
				if (n < cap)
					lat[n++] = now - senders[i].sent_at;
				client_reply_release(&r);
				senders[i].waiting = false;
				if (now < end)
					send_one(&senders[i], sent++);
			}
		}
	}
	end = time_mono_ns();
	qsort(lat, n, sizeof(*lat), compare_u64);
	printf("%-28s %2d clients: %7.0f messages/s  (%zu in %.2f s)  latency p50 %.2f ms, "
	       "p99 %.2f ms, max %.2f ms\n",
	       label, clients, (double)n / ((double)(end - start) / 1e9), n,
	       (double)(end - start) / 1e9, (double)lat[n / 2] / 1e6,
	       (double)lat[(size_t)((double)n * 0.99)] / 1e6, (double)lat[n - 1] / 1e6);
	fflush(stdout);
	free(lat);
}

/* Group commit on or off; the daily flood guard raised, as one person sends thousands. */
static void
group_commit(bool on)
{
	json_decref(daemon_admin_ok(
	        &d, "onward.Message.Settings",
	        json_pack("{s:s, s:i}", "group_commit", on ? "on" : "off", "daily_max", 1000000)));
}

int
main(int argc, char **argv)
{
	double seconds = 5;
	int clients = MAX_CLIENTS;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (strcmp(argv[i], "--clients") == 0 && i + 1 < argc)
			clients = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: bench-messages [--seconds N] [--clients N]\n");
			return 2;
		}
	}
	if (clients < 1 || clients > MAX_CLIENTS || seconds <= 0) {
		fprintf(stderr, "bench-messages: --clients 1 to %d, --seconds above 0\n",
		        MAX_CLIENTS);
		return 2;
	}
	setup(clients);
	printf("bench-messages: Message.Send on app channels through onward-policyd "
	       "(2 decisions, encrypted insert, audit row, synchronous=FULL), %.0f s each\n",
	       seconds);
	group_commit(true);
	run("group commit on", 1, seconds);
	run("group commit on", clients, seconds);
	group_commit(false);
	run("group commit off", 1, seconds);
	run("group commit off", clients, seconds);
	group_commit(true);
	teardown(clients);
	return 0;
}

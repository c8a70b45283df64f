/*
 * kill -9 during a burst of writes loses no acknowledged write. Twelve connections keep
 * person additions in flight (through the client library's non-blocking calls); the
 * daemon is killed mid-burst; after a restart every person whose addition was answered
 * is there with their name, and the audit chain still verifies. Three rounds.
 */
#include "check.h"
#include "daemon.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WRITERS 12 /* below the admin socket's limit of 16 connections */
#define MAX_ACKED 100000

struct acked {
	char number[16];
	char name[48];
};

static struct acked acked[MAX_ACKED];
static int acked_count;

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
send_add(struct client *c, int round, int writer, int n, char *ret_name)
{
	char number[16];

	snprintf(number, sizeof(number), "%c%04dR%c", 'A' + writer, n % 10000, 'A' + round);
	snprintf(ret_name, 48, "%s", number);
	CHECK(client_send(c, "onward.Person.Add",
	                  daemon_sign_params(c, json_pack("{s:s, s:s, s:s, s:s, s:s}", "as",
	                                                  "admin", "prison_number", number,
	                                                  "given_name", "Writer", "family_name",
	                                                  number, "establishment", "MDI"))) == 0);
	(void)client_flush(c);
}

/* Writes until kill_after_ms, then kills the daemon; returns how many were answered. */
static int
burst(struct test_daemon *d, int round, int kill_after_ms)
{
	struct client *clients[WRITERS];
	char pending[WRITERS][48];
	int counter[WRITERS] = {0}, answered = 0;
	bool alive[WRITERS];
	int64_t start = now_ms();

	for (int w = 0; w < WRITERS; w++) {
		clients[w] = daemon_connect_admin(d);
		alive[w] = true;
		send_add(clients[w], round, w, counter[w]++, pending[w]);
	}
	while (now_ms() - start < kill_after_ms) {
		struct pollfd pfd[WRITERS];

		for (int w = 0; w < WRITERS; w++)
			pfd[w] = (struct pollfd){client_fd(clients[w]), POLLIN, 0};
		CHECK(poll(pfd, WRITERS, 100) >= 0);
		for (int w = 0; w < WRITERS; w++) {
			struct client_reply r;

			if (!(pfd[w].revents & POLLIN) || !alive[w])
				continue;
			if (client_receive(clients[w], &r) < 0)
				continue;
			if (r.error)
				check_failed(__FILE__, __LINE__, "person add failed: %s",
				             client_reply_message(&r));
			CHECK(acked_count < MAX_ACKED);
			memcpy(acked[acked_count].number, pending[w], 16);
			memcpy(acked[acked_count].name, pending[w], 48);
			acked_count++;
			answered++;
			client_reply_release(&r);
			send_add(clients[w], round, w, counter[w]++, pending[w]);
		}
	}
	daemon_kill(d);
	for (int w = 0; w < WRITERS; w++)
		client_free(clients[w]);
	return answered;
}

static void
check_all_acked_present(struct test_daemon *d)
{
	struct client *c = daemon_connect_admin(d);

	for (int i = 0; i < acked_count; i++) {
		struct client_reply r;

		daemon_call(
		        c, "onward.Person.Show",
		        json_pack("{s:s, s:s}", "as", "admin", "prison_number", acked[i].number),
		        &r);
		if (r.error)
			check_failed(__FILE__, __LINE__, "acknowledged person %s was lost: %s",
			             acked[i].number, client_reply_message(&r));
		CHECK_STR(json_string_value(json_object_get(json_object_get(r.parameters, "person"),
		                                            "family_name")),
		          acked[i].name);
		client_reply_release(&r);
	}
	client_free(c);
	printf("   %d acknowledged people all present\n", acked_count);
}

int
main(void)
{
	struct test_daemon d;
	char pin[16];

	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	daemon_add_person(&d, "A1234BC", pin);
	for (int round = 1; round <= 3; round++) {
		int answered;
		json_t *v;

		test_step("round %d: burst of writes, then kill -9", round);
		answered = burst(&d, round, 300 + 200 * round);
		CHECK(answered > 0);
		daemon_start(&d);
		check_all_acked_present(&d);
		v = daemon_admin_ok(&d, "onward.Audit.Verify", NULL);
		if (!json_is_true(json_object_get(v, "ok")))
			check_failed(__FILE__, __LINE__, "audit chain broken after kill -9: %s",
			             json_string_value(json_object_get(v, "message")));
		json_decref(v);
	}
	daemon_remove(&d);
	printf("test-crash: OK\n");
	return 0;
}

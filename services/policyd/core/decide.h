/*
 * Policy in the daemon: loading the shipped policies (policy/national.cedar, the
 * establishment's file, their .reasons.cedar companions) and the staff grants stored as
 * template links; refusing a set that does not parse or that would lock the crisis-help
 * app; and deciding, with a reason in plain words for every answer.
 *
 * A decision: the caller resets the facts (decide_facts), adds the entities the request
 * needs, then calls decide(). A denial's reason is the first determining forbid's @reason;
 * when nothing forbade and nothing permitted, the first applying policy in the
 * .reasons.cedar files explains; failing both, a general sentence.
 */
#ifndef ONWARD_POLICYD_DECIDE_H
#define ONWARD_POLICYD_DECIDE_H

#include <stdbool.h>
#include <stddef.h>

#include "facts.h"
#include "policy.h"

struct server;

#define DECISION_REASON_MAX 300
#define DECISION_POLICIES_MAX 256

struct decision {
	bool allowed;
	char reason[DECISION_REASON_MAX]; /* plain words, for the person or staff member */
	char policies[DECISION_POLICIES_MAX]; /* determining policy ids, ','-joined */
	char errors[DECISION_POLICIES_MAX]; /* policies that failed to evaluate */
};

struct policy_state {
	struct policy_set *enforced; /* owned: what decides */
	struct policy_set *reasons; /* owned: explains denials nothing forbade */
	struct facts *facts; /* owned: reused for every decision */
	struct policy_response *response, *reasons_response; /* owned */
	char files[1100]; /* the policy directory loaded, for messages */
	unsigned policies; /* policies and links in the enforced set */
	unsigned grants; /* links made from stored grants */
};

/*
 * Loads (or reloads) policy for srv: the files from the policy directory and the grants
 * from the store. On any problem the running policy stays as it was, and ret_error holds
 * one line naming the file, position and problem.
 */
int decide_load(struct server *srv, char *ret_error, size_t size);

/* Checks the policy files without installing them (for --check). */
int decide_check_files(const char *dir, const char *establishment, char *ret_error, size_t size,
                       unsigned *ret_count);

void decide_release(struct policy_state *ps);

/* Resets the facts for a new decision and returns them for the caller to fill. */
struct facts *decide_facts(struct server *srv);

/*
 * Starts a decision about what person p may do: resets the facts, adds the person, and
 * fills ret_ctx with the context now (their establishment's regime, this device).
 * The caller adds the resource's entity and calls decide(). NULL on failure.
 */
struct facts *decide_person_begin(struct server *srv, const struct store_person *p,
                                  struct facts_context *ret_ctx);

/* Whether person p chose Welsh in their settings: what the daemon itself writes for them
 * (a decision's reason, a reminder) is then in Welsh. */
bool decide_person_reads_welsh(struct server *srv, const struct store_person *p);

/* Decides principal / action / resource with ctx against the loaded policy. */
int decide(struct server *srv, const struct policy_uid *principal, const char *action,
           const struct policy_uid *resource, const struct facts_context *ctx,
           struct decision *ret);

/* The policy directory in use. */
const char *decide_policy_dir(const struct server *srv);

#endif

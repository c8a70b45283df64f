/*
 * test-choose-pin SOCKET PRISON_NUMBER ISSUED_PIN: does what a person does at their first
 * login, for the end-to-end scripts that are not about it: logs in on control.sock with
 * the PIN staff issued, chooses a PIN of their own (onward.Session.ChangePin), logs out,
 * and prints the chosen PIN. Exits 1, saying why, when any step is refused.
 */
#include "client.h"

#include <stdio.h>
#include <string.h>

static int
step(struct client *c, const char *method, json_t *params, const char *want)
{
	struct client_reply r;
	int n = client_call(c, method, params, 20000, &r), ok;

	if (n < 0) {
		fprintf(stderr, "test-choose-pin: %s: no answer (%s)\n", method, strerror(-n));
		return -1;
	}
	ok = !r.error && (!want || json_is_true(json_object_get(r.parameters, want)) ||
	                  json_is_string(json_object_get(r.parameters, want)));
	if (!ok)
		fprintf(stderr, "test-choose-pin: %s: %s %s\n", method, r.error ? r.error : "no",
		        r.error ? client_reply_message(&r) : want);
	client_reply_release(&r);
	return ok ? 0 : -1;
}

int
main(int argc, char **argv)
{
	/* Good PINs: the first that is not the issued one nor holds the number's digits. */
	static const char *const good[] = {"583920", "690417", "274061"};
	struct client *c;
	char digits[5] = "";
	size_t k = 0, i = 0;
	int r;

	if (argc != 4) {
		fprintf(stderr, "usage: test-choose-pin SOCKET PRISON_NUMBER ISSUED_PIN\n");
		return 2;
	}
	for (const char *n = argv[2]; *n && k < 4; n++)
		if (*n >= '0' && *n <= '9')
			digits[k++] = *n;
	while (strcmp(good[i], argv[3]) == 0 || (k == 4 && strstr(good[i], digits)))
		i++;
	r = client_connect(argv[1], &c);
	if (r < 0) {
		fprintf(stderr, "test-choose-pin: %s: %s\n", argv[1], strerror(-r));
		return 1;
	}
	r = step(c, "onward.Session.Login",
	         json_pack("{s:s, s:s}", "prison_number", argv[2], "pin", argv[3]), "pin_change");
	if (r == 0)
		r = step(c, "onward.Session.ChangePin", json_pack("{s:s}", "new_pin", good[i]),
		         "session");
	if (r == 0)
		r = step(c, "onward.Session.Logout", NULL, NULL);
	client_free(c);
	if (r < 0)
		return 1;
	printf("%s\n", good[i]);
	return 0;
}

/*
 * Hostile and mistaken bundles at the gate, with four real daemons: MDI (A), the probation
 * region NEP (B), BXI (C, a third establishment NEP also trusts) and a second daemon
 * calling itself MDI (D, an impostor NEP never trusted). One step per finding of issue 14:
 *
 *   - files: a FIFO is refused at once while other calls are answered; a symbolic link, a
 *     folder, a device, a socket, a file that grows while read, an empty, a missing and an
 *     oversized file are each refused in plain words, a long path shortened from the
 *     middle so the reason survives;
 *   - a person is active in one place: A to B, B back to A, then the first bundle again
 *     (as it was, and sealed afresh by A) is refused at B; they log in only where their
 *     record is;
 *   - a trusted sender is trusted no further than the person's own path: C cannot replace
 *     a person B holds, nor one whose record went from B to A; C can send a person B never
 *     had;
 *   - a PIN record with any scrypt cost but this service's is refused;
 *   - every list is bounded before it is parsed: 300,000 moves are refused quickly, with
 *     the daemon answering others meanwhile, and so are too many contacts, an area's list
 *     too long, too much nesting, too many values and a key written with escapes;
 *   - refusals say what is wrong: an impostor is called one, a damaged recipient
 *     fingerprint is damage.
 *
 * Forged bundles are made as a sender holding its real keys would: a real bundle opened
 * with the receiver's identity, its record changed, sealed again with the sender's.
 */
#include "check.h"
#include "daemon.h"
#include "gate_fixture.h"
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static struct test_daemon a, b, c3, d4;
static char cert_a[300], cert_b[300], cert_c[300], cert_d[300];

/* Imports at d and expects refusal with this error and message part; returns nothing. */
static void
import_refused(struct test_daemon *d, const char *path, const char *error, const char *part)
{
	struct client *c = daemon_connect_admin(d);
	struct client_reply r;

	daemon_call(c, "onward.Person.Import", json_pack("{s:s, s:s}", "as", "admin", "path", path),
	            &r);
	if (!r.error)
		check_failed(__FILE__, __LINE__, "import of %s was accepted", path);
	if (strcmp(r.error, error) != 0 || !strstr(client_reply_message(&r), part))
		check_failed(__FILE__, __LINE__, "import of %s: %s \"%s\", expected %s \"%s\"",
		             path, r.error, client_reply_message(&r), error, part);
	client_reply_release(&r);
	client_free(c);
}

static json_t *
import_ok(struct test_daemon *d, const char *path)
{
	return daemon_admin_ok(d, "onward.Person.Import", json_pack("{s:s}", "path", path));
}

static void
export_to(struct test_daemon *d, const char *number, const char *path, const char *cert)
{
	struct run_result r;

	unlink(path);
	gate_ctl(d, 0, &r, "person", "export", number, "--to", path, "--recipient", cert, NULL);
	run_result_release(&r);
}

static const char *
name_at(struct test_daemon *d, const char *number, char *buf, size_t size)
{
	json_t *r = daemon_admin_ok(d, "onward.Person.Show",
	                            json_pack("{s:s}", "prison_number", number));
	json_t *p = json_object_get(r, "person");

	snprintf(buf, size, "%s %s", json_string_value(json_object_get(p, "given_name")),
	         json_string_value(json_object_get(p, "family_name")));
	json_decref(r);
	return buf;
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	CHECK(f != NULL);
	CHECK(fwrite(data, 1, len, f) == len);
	CHECK(fclose(f) == 0);
}

/* ---- files ---------------------------------------------------------------------------- */

static void
files(const char *good_bundle)
{
	char path[4200], link[300], dir[300], sock[300], grow[300];
	struct client *importer, *other;
	struct client_reply r;
	int rc;

	test_step("a FIFO is refused at once, and another connection is answered meanwhile");
	snprintf(path, sizeof(path), "%s.fifo", b.dir);
	CHECK(mkfifo(path, 0600) == 0);
	importer = daemon_connect_admin(&b);
	other = daemon_connect_admin(&b);
	CHECK_INT(client_send(importer, "onward.Person.Import",
	                      daemon_sign_params(importer, json_pack("{s:s, s:s}", "as", "admin",
	                                                             "path", path))),
	          0);
	while (client_flush(importer) == -EAGAIN)
		usleep(100);
	/* Before, the daemon's whole loop waited in open() for a writer: this never came. */
	daemon_call(other, "onward.Service.GetInfo", NULL, &r);
	CHECK(r.error == NULL);
	client_reply_release(&r);
	while ((rc = client_receive(importer, &r)) == -EAGAIN)
		usleep(1000);
	CHECK_INT(rc, 0);
	CHECK_STR(r.error, "onward.InvalidParameter");
	CHECK_CONTAINS(client_reply_message(&r), "is a pipe (FIFO), not a bundle file");
	client_reply_release(&r);
	client_free(importer);
	client_free(other);
	/* onwardctl reads a certificate file itself: the same FIFO does not hang it. */
	{
		struct run_result ctl;
		char want[4300];

		gate_ctl(&b, 1, &ctl, "trust", "add", path, NULL);
		snprintf(want, sizeof(want), "onwardctl: %s: it is not an ordinary file\n", path);
		CHECK_STR(ctl.err, want);
		run_result_release(&ctl);
		gate_ctl(&b, 1, &ctl, "trust", "add", "/nonexistent/cert.json", NULL);
		CHECK_STR(ctl.err, "onwardctl: /nonexistent/cert.json: there is no such file\n");
		run_result_release(&ctl);
	}
	unlink(path);

	test_step("a symbolic link, a folder, a device, a socket: each refused in plain words");
	snprintf(link, sizeof(link), "%s.link", b.dir);
	CHECK(symlink(good_bundle, link) == 0);
	import_refused(&b, link, "onward.InvalidParameter",
	               "is a symbolic link. Give the path of the bundle file itself.");
	unlink(link);
	snprintf(dir, sizeof(dir), "%s.folder", b.dir);
	CHECK(mkdir(dir, 0700) == 0);
	import_refused(&b, dir, "onward.InvalidParameter", "is a folder, not a bundle file.");
	rmdir(dir);
	import_refused(&b, "/dev/zero", "onward.InvalidParameter",
	               "/dev/zero is a device, not a bundle file.");
	{
		struct sockaddr_un addr = {.sun_family = AF_UNIX};
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		snprintf(sock, sizeof(sock), "%s.sock", b.dir);
		CHECK(strlen(sock) < sizeof(addr.sun_path));
		memcpy(addr.sun_path, sock, strlen(sock) + 1);
		CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0);
		import_refused(&b, sock, "onward.InvalidParameter",
		               "is not a file (it is a device or a socket).");
		close(fd);
		unlink(sock);
	}

	test_step("a file that grows while it is read");
	/* A /proc file says it is empty and then has more to read: the same as one growing
	 * between the check of its size and its end, every time. */
	snprintf(path, sizeof(path), "/proc/%d/status", (int)b.pid);
	import_refused(&b, path, "onward.InvalidParameter",
	               "changed while it was being read (it may still be being copied)");
	/* And a real one, appended to while the daemon reads it: refused either as growing
	 * or, if the daemon read it between two writes, as having bytes after its end. */
	snprintf(grow, sizeof(grow), "%s.growing", b.dir);
	{
		pid_t writer;
		struct stat st;
		FILE *in = fopen(good_bundle, "rb");
		char chunk[4096];
		size_t n;
		int fd = open(grow, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		CHECK(in && fd >= 0);
		while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
			CHECK(write(fd, chunk, n) == (ssize_t)n);
		fclose(in);
		writer = fork();
		CHECK(writer >= 0);
		if (writer == 0) {
			memset(chunk, 'x', sizeof(chunk));
			for (int i = 0; i < 8000; i++) {
				if (write(fd, chunk, sizeof(chunk)) < 0)
					_exit(1);
				usleep(200);
			}
			_exit(0);
		}
		close(fd);
		do
			CHECK(stat(grow, &st) == 0);
		while (st.st_size < 1 << 20);
		{
			struct client *c = daemon_connect_admin(&b);

			daemon_call(c, "onward.Person.Import",
			            json_pack("{s:s, s:s}", "as", "admin", "path", grow), &r);
			client_free(c);
		}
		kill(writer, SIGKILL);
		waitpid(writer, NULL, 0);
		CHECK(r.error != NULL);
		if (!strstr(client_reply_message(&r), "changed while it was being read"))
			CHECK_CONTAINS(client_reply_message(&r), "changed or damaged");
		client_reply_release(&r);
		unlink(grow);
	}

	test_step("empty, missing, too large, not a bundle");
	snprintf(path, sizeof(path), "%s.empty", b.dir);
	write_file(path, "", 0);
	import_refused(&b, path, "onward.InvalidParameter", "is empty: it is not a bundle.");
	CHECK(truncate(path, 200 << 20) == 0); /* sparse: nothing is written */
	import_refused(&b, path, "onward.InvalidParameter",
	               "is 209.7 MB, larger than any person's bundle can be");
	write_file(path, "{\"person\": \"A1234BC\"}\n", 22);
	import_refused(&b, path, "onward.PermissionDenied", "is not an Onward person bundle.");
	unlink(path);
	import_refused(&b, path, "onward.InvalidParameter", "There is no file at ");

	test_step("a long path is shortened from the middle, and the reason kept");
	{
		size_t at = (size_t)snprintf(path, sizeof(path), "%s", b.dir);
		struct client *c = daemon_connect_admin(&b);
		const char *m;

		while (at < 3000)
			at += (size_t)snprintf(path + at, sizeof(path) - at, "/%s",
			                       "a-folder-with-a-rather-long-name");
		snprintf(path + at, sizeof(path) - at, "/A1234BC.bundle");
		daemon_call(c, "onward.Person.Import",
		            json_pack("{s:s, s:s}", "as", "admin", "path", path), &r);
		m = client_reply_message(&r);
		CHECK_CONTAINS(m, "There is no file at /tmp/onward-test-");
		CHECK_CONTAINS(m, "...");
		CHECK_CONTAINS(m, "name/A1234BC.bundle. Check the path.");
		CHECK(strlen(m) < 160);
		client_reply_release(&r);
		client_free(c);
	}
}

/* ---- one place ------------------------------------------------------------------------ */

static void
one_place(const char *pin, const char *bundle1, const char *bundle2, const char *forged)
{
	json_t *doc;

	test_step("A to B: the person is at B and can log in only there");
	export_to(&a, "A1234BC", bundle1, cert_b);
	json_decref(import_ok(&b, bundle1));
	gate_login(&b, "A1234BC", pin, NULL, NULL);
	gate_login(&a, "A1234BC", pin, "onward.LoginFailed", "Your record has moved to NEP.");

	test_step("B back to A: the person is at A and can log in only there");
	export_to(&b, "A1234BC", bundle2, cert_a);
	json_decref(import_ok(&a, bundle2));
	gate_login(&a, "A1234BC", pin, NULL, NULL);
	gate_login(&b, "A1234BC", pin, "onward.LoginFailed", "Your record has moved to MDI.");

	test_step("the first bundle again at B: refused as it was, and sealed afresh by A");
	import_refused(&b, bundle1, "onward.Conflict", "already been imported here");
	/* A fresh id: only the record inside tells that it is the old one. Before, B took it
	 * because its own copy had moved away, and the person could log in at both ends. */
	doc = gate_open(&b, cert_a, bundle1);
	gate_seal(&a, cert_b, doc, forged);
	json_decref(doc);
	import_refused(&b, forged, "onward.Conflict",
	               "This bundle holds an older copy of A1234BC's record than one this "
	               "establishment has already had (move 1; this establishment has had move "
	               "2), so it was refused and nothing was changed.");
	unlink(forged);
	gate_login(&b, "A1234BC", pin, "onward.LoginFailed", "Your record has moved to MDI.");
	gate_login(&a, "A1234BC", pin, NULL, NULL);

	test_step("a bundle for a person whose record is active here is refused");
	doc = gate_open(&a, cert_b, bundle2);
	gate_seal(&b, cert_a, doc, forged);
	json_decref(doc);
	import_refused(&a, forged, "onward.Conflict",
	               "A1234BC's record is here and has not moved away, so a bundle from NEP "
	               "cannot replace it: a person's record is active in one place only.");
	unlink(forged);

	test_step("A to B once more, a newer copy: taken");
	export_to(&a, "A1234BC", bundle1, cert_b);
	json_decref(import_ok(&b, bundle1));
	gate_login(&b, "A1234BC", pin, NULL, NULL);
	gate_login(&a, "A1234BC", pin, "onward.LoginFailed", "Your record has moved to NEP.");
}

/* ---- a third sender ------------------------------------------------------------------- */

static void
third_sender(const char *pin, const char *from_c, const char *to_a, const char *forged)
{
	char name[200], pin2[16];
	json_t *doc;

	test_step("BXI, trusted at NEP, cannot replace a person NEP holds");
	json_decref(daemon_admin_ok(&c3, "onward.Person.Add",
	                            json_pack("{s:s, s:s, s:s, s:s}", "prison_number", "A1234BC",
	                                      "given_name", "Pat", "family_name", "Other",
	                                      "establishment", "BXI")));
	export_to(&c3, "A1234BC", from_c, cert_b);
	import_refused(&b, from_c, "onward.Conflict",
	               "A1234BC's record is here and has not moved away, so a bundle from BXI "
	               "cannot replace it");
	CHECK_STR(name_at(&b, "A1234BC", name, sizeof(name)), "Sam Jones");
	gate_login(&b, "A1234BC", pin, NULL, NULL);

	test_step("...nor one whose record went from NEP to MDI");
	export_to(&b, "A1234BC", to_a, cert_a);
	json_decref(import_ok(&a, to_a));
	doc = gate_open(&b, cert_c, from_c);
	gate_seal(&c3, cert_b, doc, forged); /* the same record, a bundle NEP has not seen */
	json_decref(doc);
	import_refused(&b, forged, "onward.PermissionDenied",
	               "A1234BC's record moved from here to MDI, so only MDI can send it back; "
	               "this bundle comes from BXI. Nothing was changed.");
	unlink(forged);
	CHECK_STR(name_at(&b, "A1234BC", name, sizeof(name)), "Sam Jones");
	gate_login(&a, "A1234BC", pin, NULL, NULL);
	gate_login(&b, "A1234BC", pin, "onward.LoginFailed", "Your record has moved to MDI.");

	test_step("BXI can send NEP a person NEP never had");
	daemon_add_person(&c3, "B2345CD", pin2);
	export_to(&c3, "B2345CD", from_c, cert_b);
	json_decref(import_ok(&b, from_c));
	gate_login(&b, "B2345CD", pin2, NULL, NULL);
}

/* ---- PIN records ---------------------------------------------------------------------- */

static void
pin_records(const char *from_c, const char *forged)
{
	static const char salt_key[] = "00112233445566778899aabbccddeeff$"
	                               "00112233445566778899aabbccddeeff00112233445566778899aabbcc"
	                               "ddeeff";
	static const char *const foreign[] = {
	        "scrypt$20$32$1$", /* the finding: 4 GiB and 22 s a login */
	        "scrypt$20$8$1$", /* r = 8, but 2^20: costlier than this establishment's */
	        "scrypt$10$8$2$",  "scrypt$10$1$1$", "scrypt$010$8$1$",
	        "scrypt$ 10$8$1$", "scrypt$9$8$1$",
	};
	char pin[16], hash[200];
	json_t *doc, *person;

	test_step("a PIN record with another scrypt cost is refused, nothing imported");
	daemon_add_person(&c3, "C3456DE", pin);
	export_to(&c3, "C3456DE", from_c, cert_b);
	doc = gate_open(&b, cert_c, from_c);
	person = json_object_get(doc, "person");
	CHECK(strncmp(json_string_value(json_object_get(person, "pin_hash")), "scrypt$10$8$1$",
	              14) == 0);
	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		snprintf(hash, sizeof(hash), "%s%s", foreign[i], salt_key);
		json_object_set_new(person, "pin_hash", json_string(hash));
		gate_seal(&c3, cert_b, doc, forged);
		import_refused(&b, forged, "onward.InvalidParameter",
		               "This bundle's PIN record is not one this service uses, so it was "
		               "refused and nothing was imported.");
		CHECK(!gate_person_exists(&b, "C3456DE"));
	}
	test_step("...a salt or key cut short, or something after the key, too");
	snprintf(hash, sizeof(hash), "scrypt$10$8$1$%s", salt_key + 2);
	json_object_set_new(person, "pin_hash", json_string(hash));
	gate_seal(&c3, cert_b, doc, forged);
	import_refused(&b, forged, "onward.InvalidParameter", "PIN record is not one");
	snprintf(hash, sizeof(hash), "scrypt$10$8$1$%s$", salt_key);
	json_object_set_new(person, "pin_hash", json_string(hash));
	gate_seal(&c3, cert_b, doc, forged);
	import_refused(&b, forged, "onward.InvalidParameter", "PIN record is not one");
	CHECK(!gate_person_exists(&b, "C3456DE"));
	test_step("the service's own parameters, sealed the same way, are taken");
	snprintf(hash, sizeof(hash), "scrypt$10$8$1$%s", salt_key);
	json_object_set_new(person, "pin_hash", json_string(hash));
	gate_seal(&c3, cert_b, doc, forged);
	json_decref(import_ok(&b, forged));
	CHECK(gate_person_exists(&b, "C3456DE"));
	json_decref(doc);
	unlink(forged);
	unlink(from_c);
}

/* ---- lists ---------------------------------------------------------------------------- */

/* The payload as text with the JSON string "@@" replaced by `with` (owned by caller). */
static char *
splice_text(json_t *doc, const char *with)
{
	char *text = json_dumps(doc, JSON_COMPACT), *at, *out;
	size_t n;

	CHECK(text != NULL);
	at = strstr(text, "\"@@\"");
	CHECK(at != NULL);
	n = strlen(text) - 4 + strlen(with) + 1;
	out = malloc(n);
	CHECK(out != NULL);
	snprintf(out, n, "%.*s%s%s", (int)(at - text), text, with, at + 4);
	free(text);
	return out;
}

/* n copies of item, comma separated, in brackets (malloc'd). */
static char *
repeat(const char *item, size_t n)
{
	size_t len = strlen(item), size = 2 + n * (len + 1) + 1, at = 0;
	char *out = malloc(size);

	CHECK(out != NULL);
	out[at++] = '[';
	for (size_t i = 0; i < n; i++) {
		if (i)
			out[at++] = ',';
		memcpy(out + at, item, len);
		at += len;
	}
	out[at++] = ']';
	out[at] = '\0';
	return out;
}

/* Seals doc with "@@" replaced by `with` from C to B and expects the refusal. */
static void
spliced_refused(json_t *doc, const char *with, const char *forged, const char *part)
{
	char *text = splice_text(doc, with);

	gate_seal_text(&c3, cert_b, text, strlen(text), forged);
	free(text);
	import_refused(&b, forged, "onward.InvalidParameter", part);
	CHECK(!gate_person_exists(&b, "D4567EF"));
}

static void
lists(const char *from_c, const char *forged)
{
	struct client_reply r;
	char pin[16], *list;
	double ms, other;
	long before;
	json_t *doc, *moves;

	daemon_add_person(&c3, "D4567EF", pin);
	export_to(&c3, "D4567EF", from_c, cert_b);
	doc = gate_open(&b, cert_c, from_c);

	test_step("300,000 moves: refused quickly, the daemon answering others meanwhile");
	moves = json_object_get(doc, "moves");
	for (int i = 0; i < 300000; i++)
		json_array_append_new(
		        moves, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "kind",
		                         "transfer", "from", "MDI", "to", "BXI", "from_status",
		                         "sentenced", "to_status", "sentenced", "by", "admin", "at",
		                         (json_int_t)1780000000 + i, "detail",
		                         "{\"note\":\"a move that never happened, padded out\"}"));
	gate_seal(&c3, cert_b, doc, forged);
	json_object_set_new(doc, "moves", json_array());
	before = gate_peak_kib(&b);
	gate_import_watched(&b, forged, &r, &ms, &other);
	CHECK_STR(r.error, "onward.InvalidParameter");
	CHECK_STR(client_reply_message(&r),
	          "The bundle's record lists more than 1000 moves, more than any person's record "
	          "holds, so it was refused and nothing was imported.");
	client_reply_release(&r);
	CHECK(!gate_person_exists(&b, "D4567EF"));
	/* Figures for the log (benchmarks, not timed tests): before, this import held the
	 * loop for seconds and left 440 MB or more resident. */
	printf("300,000 moves: refused in %.0f ms; other calls waited at most %.0f ms; peak "
	       "resident %ld KiB before, %ld KiB after\n",
	       ms, other, before, gate_peak_kib(&b));

	test_step("too many contacts, an area's list too long, too deep, too many values, a "
	          "row too long");
	json_object_set_new(doc, "contacts", json_string("@@"));
	list = repeat("{\"id\":1}", 201);
	spliced_refused(doc, list, forged, "lists more than 200 contacts");
	free(list);
	json_object_set_new(doc, "contacts", json_array());
	json_object_set_new(json_object_get(doc, "parts"), "housing",
	                    json_pack("{s:s, s:[]}", "cases", "@@", "messages"));
	list = repeat("{}", 50001);
	spliced_refused(doc, list, forged, "lists more than 50000 cases");
	free(list);
	list = repeat("{}", 201);
	spliced_refused(doc, list, forged,
	                "The bundle holds more housing enquiries than any person's record has");
	free(list);
	json_object_set_new(json_object_get(doc, "parts"), "housing",
	                    json_pack("{s:[], s:[]}", "cases", "messages"));
	json_object_set_new(doc, "settings", json_string("@@"));
	spliced_refused(doc, "[[[[[[[[[[[[[[1]]]]]]]]]]]]]]", forged, "it is nested too deeply");
	json_object_set_new(doc, "settings", json_string(""));
	json_object_set_new(json_object_get(doc, "parts"), "extra",
	                    json_pack("{s:s}", "rows", "@@"));
	list = repeat("{\"a\":0,\"b\":0,\"c\":0,\"d\":0,\"e\":0,\"f\":0,\"g\":0,\"h\":0,\"i\":0,"
	              "\"j\":0,\"k\":0,\"l\":0,\"m\":0,\"n\":0,\"o\":0,\"p\":0,\"q\":0,\"r\":0,"
	              "\"s\":0,\"t\":0}",
	              48000);
	spliced_refused(doc, list, forged, "holds more than 1000000 values");
	free(list);
	json_object_del(json_object_get(doc, "parts"), "extra");
	{
		char *big = malloc(10001);

		CHECK(big != NULL);
		memset(big, 'x', 10000);
		big[10000] = '\0';
		json_object_set_new(
		        doc, "audit",
		        json_pack("[{s:s, s:s}]", "action", "person.add", "detail", big));
		gate_seal(&c3, cert_b, doc, forged);
		import_refused(&b, forged, "onward.InvalidParameter",
		               "an audit row is larger than any audit row can be");
		CHECK(!gate_person_exists(&b, "D4567EF"));
		free(big);
	}
	json_object_set_new(doc, "audit", json_array());

	test_step("a member's name written with escapes is refused, not read past the limits");
	{
		char *text = json_dumps(doc, JSON_COMPACT), *at = strstr(text, "\"moves\":");
		char *out = malloc(strlen(text) + 8);

		CHECK(at != NULL && out != NULL);
		sprintf(out, "%.*s\"\\u006doves\":%s", (int)(at - text), text, at + 8);
		gate_seal_text(&c3, cert_b, out, strlen(out), forged);
		import_refused(&b, forged, "onward.InvalidParameter",
		               "a member's name is written with escapes");
		free(out);
		free(text);
	}

	test_step("the same record within the limits is taken");
	gate_seal(&c3, cert_b, doc, forged);
	json_decref(import_ok(&b, forged));
	json_decref(doc);
	unlink(forged);
	unlink(from_c);
}

/* ---- words ---------------------------------------------------------------------------- */

static void
words(const char *from_d, const char *damaged)
{
	char pin[16];
	struct client *c = daemon_connect_admin(&b);
	struct client_reply r;
	const char *m;
	FILE *f;

	test_step("an impostor claiming to be MDI is called one, never offered for trust");
	daemon_add_person(&d4, "E5678FG", pin);
	export_to(&d4, "E5678FG", from_d, cert_b);
	daemon_call(c, "onward.Person.Import",
	            json_pack("{s:s, s:s}", "as", "admin", "path", from_d), &r);
	m = client_reply_message(&r);
	CHECK_STR(r.error, "onward.PermissionDenied");
	CHECK_STR(m, "This bundle claims to come from MDI but is not signed by the MDI this "
	             "establishment trusts. Do not trust it; ask MDI to check.");
	client_reply_release(&r);
	CHECK(!gate_person_exists(&b, "E5678FG"));
	{
		struct run_result ctl;

		/* ...and if staff tried to trust it all the same, or NEP's own name: refused. */
		gate_ctl(&b, 1, &ctl, "trust", "add", cert_d, NULL);
		CHECK_CONTAINS(ctl.err, "MDI is already trusted here with other keys");
		run_result_release(&ctl);
		gate_ctl(&b, 1, &ctl, "trust", "add", cert_b, NULL);
		CHECK_CONTAINS(ctl.err, "That certificate claims to be this establishment (NEP).");
		run_result_release(&ctl);
	}
	test_step("...while MDI's own keys in a new certificate (issued by a root) are taken");
	{
		char root[300], issued[300], since[32];
		struct run_result run, ctl;
		/* Valid from a minute ago by the daemon's clock, which the test sets: not by the
		 * machine's, which may be days from it. */
		time_t from = (time_t)(daemon_now(&b) - 60);
		struct tm tm;
		const char *keygen[] = {run_bin("onward-bundle"),
		                        "keygen",
		                        "--code",
		                        "GBR",
		                        "--name",
		                        "Onward national root",
		                        "--kind",
		                        "root",
		                        "--days",
		                        "3650",
		                        "--key-out",
		                        root,
		                        "--not-before",
		                        since,
		                        NULL};
		const char *certify[] = {run_bin("onward-bundle"),
		                         "certify",
		                         "--root",
		                         root,
		                         "--cert",
		                         cert_a,
		                         "--days",
		                         "700",
		                         "--out",
		                         issued,
		                         "--not-before",
		                         since,
		                         NULL};

		gmtime_r(&from, &tm);
		strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(root, sizeof(root), "%s.root", b.dir);
		snprintf(issued, sizeof(issued), "%s.mdi-issued.json", b.dir);
		run_program(keygen, NULL, NULL, 30000, &run);
		CHECK_INT(run.status, 0);
		run_result_release(&run);
		run_program(certify, NULL, NULL, 30000, &run);
		CHECK_INT(run.status, 0);
		run_result_release(&run);
		snprintf(root + strlen(root), sizeof(root) - strlen(root), "/cert.json");
		gate_trust(&b, root);
		gate_trust(&b, issued);
		gate_ctl(&b, 1, &ctl, "trust", "add", cert_d, NULL);
		CHECK_CONTAINS(ctl.err, "MDI is already trusted here with other keys");
		run_result_release(&ctl);
		unlink(issued);
		snprintf(root, sizeof(root), "rm -rf '%s.root'", b.dir);
		CHECK(system(root) == 0);
	}

	test_step("a damaged recipient fingerprint reads as damage, not another establishment");
	daemon_add_person(&c3, "G6789HI", pin);
	export_to(&c3, "G6789HI", damaged, cert_b);
	f = fopen(damaged, "r+b");
	CHECK(f != NULL);
	CHECK(fseek(f, 80, SEEK_SET) == 0); /* inside the recipient's fingerprint */
	{
		int ch = fgetc(f);

		CHECK(fseek(f, 80, SEEK_SET) == 0);
		fputc(ch ^ 0x20, f);
	}
	CHECK(fclose(f) == 0);
	daemon_call(c, "onward.Person.Import",
	            json_pack("{s:s, s:s}", "as", "admin", "path", damaged), &r);
	m = client_reply_message(&r);
	CHECK_STR(r.error, "onward.PermissionDenied");
	CHECK_STR(m, "This bundle has been changed or damaged since it was sealed, so it was "
	             "refused and nothing was imported. Ask the sender for a fresh copy.");
	client_reply_release(&r);
	client_free(c);
	CHECK(!gate_person_exists(&b, "G6789HI"));
	unlink(from_d);
	unlink(damaged);
}

int
main(void)
{
	char pin[16], bundle1[300], bundle2[300], forged[300], other[300];
	struct test_daemon *all[] = {&a, &b, &c3, &d4};

	gate_setup(&a, "MDI");
	gate_setup(&b, "NEP");
	gate_setup(&c3, "BXI");
	gate_setup(&d4, "MDI"); /* another key pair calling itself MDI */
	gate_cert_file(&a, cert_a, sizeof(cert_a));
	gate_cert_file(&b, cert_b, sizeof(cert_b));
	gate_cert_file(&c3, cert_c, sizeof(cert_c));
	gate_cert_file(&d4, cert_d, sizeof(cert_d));
	gate_trust(&a, cert_b);
	gate_trust(&b, cert_a);
	gate_trust(&b, cert_c); /* a third establishment, trusted at NEP */
	gate_trust(&c3, cert_b);
	gate_trust(&d4, cert_b);
	snprintf(bundle1, sizeof(bundle1), "%s.1.bundle", a.dir);
	snprintf(bundle2, sizeof(bundle2), "%s.2.bundle", b.dir);
	snprintf(forged, sizeof(forged), "%s.forged.bundle", b.dir);
	snprintf(other, sizeof(other), "%s.other.bundle", c3.dir);

	/* A good bundle, never imported, for the file tests to point at. */
	daemon_add_person(&a, "F1111FF", pin);
	export_to(&a, "F1111FF", bundle1, cert_b);
	files(bundle1);
	CHECK(!gate_person_exists(&b, "F1111FF"));

	daemon_add_person(&a, "A1234BC", pin);
	one_place(pin, bundle1, bundle2, forged);
	third_sender(pin, other, bundle2, forged);
	pin_records(other, forged);
	lists(other, forged);
	words(other, forged);
	json_decref(daemon_admin_ok(&b, "onward.Audit.Verify", NULL));

	unlink(bundle1);
	unlink(bundle2);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		gate_remove(all[i]);
	printf("test-gate-hostile: OK\n");
	return 0;
}

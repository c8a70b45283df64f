/*
 * The shell's reading of the daemon's replies (shell/reply.c) against hostile replies:
 * wrong types, huge strings, control characters, missing and extra fields, too many
 * entries, malformed times. Each case asserts the exact outcome: refused as a whole
 * (-EBADMSG), an entry skipped and counted, a default, or a clamp.
 */
#include "check.h"
#include "reply.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PERSON "{\"prison_number\":\"A1234BC\",\"given_name\":\"Sam\",\"family_name\":\"Jones\"}"

static json_t *
parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	if (!j)
		check_failed(__FILE__, __LINE__, "test JSON does not parse: %s: %s", e.text, text);
	return j;
}

/* A JSON string member holding `n` copies of `c`. */
static char *
long_member(const char *name, size_t n, char c)
{
	char *s = malloc(n + strlen(name) + 8);

	CHECK(s != NULL);
	sprintf(s, "\"%s\":\"", name);
	memset(s + strlen(s), c, n);
	strcpy(s + strlen(name) + 4 + n, "\"");
	return s;
}

static int
login(const char *text, struct reply_person *p)
{
	json_t *j = parse(text);
	int r = reply_read_login(j, p);

	json_decref(j);
	return r;
}

static void
test_login(void)
{
	struct reply_person p;
	char buf[1 << 21];
	char *big;

	test_step("login: a good reply, and each way it can be wrong");
	CHECK_INT(login("{\"session\":\"ab12\",\"person\":" PERSON ",\"extra\":[1,2]}", &p), 0);
	CHECK_STR(p.prison_number, "A1234BC");
	CHECK_STR(p.given_name, "Sam");
	CHECK_STR(p.release_date, "");
	CHECK_INT(login("{\"person\":" PERSON "}", &p), -EBADMSG);
	CHECK_INT(login("{\"session\":42,\"person\":" PERSON "}", &p), -EBADMSG);
	CHECK_INT(login("{\"session\":\"\",\"person\":" PERSON "}", &p), -EBADMSG);
	CHECK_INT(login("{\"session\":\"x\"}", &p), -EBADMSG);
	CHECK_INT(login("{\"session\":\"x\",\"person\":[]}", &p), -EBADMSG);
	CHECK_INT(login("{\"session\":\"x\",\"person\":\"Sam\"}", &p), -EBADMSG);
	CHECK_INT(login("[]", &p), -EBADMSG);
	CHECK_INT(reply_read_login(NULL, &p), -EBADMSG);
	CHECK_INT(login("{\"session\":\"x\",\"person\":{\"prison_number\":1234,"
	                "\"given_name\":\"Sam\"}}",
	                &p),
	          -EBADMSG);
	CHECK_INT(login("{\"session\":\"x\",\"person\":{\"prison_number\":\"a1234bc\","
	                "\"given_name\":\"Sam\"}}",
	                &p),
	          -EBADMSG);
	CHECK_INT(login("{\"session\":\"x\",\"person\":{\"prison_number\":\"A1234BC\"}}", &p),
	          -EBADMSG);
	CHECK_INT(login("{\"session\":\"x\",\"person\":{\"prison_number\":\"A1234BC\","
	                "\"given_name\":\"Sam\\u0007\"}}",
	                &p),
	          -EBADMSG);
	CHECK_INT(login("{\"session\":\"x\",\"person\":{\"prison_number\":\"A1234BC\","
	                "\"given_name\":\"Sam\\nJones\"}}",
	                &p),
	          -EBADMSG);
	CHECK_INT(login("{\"session\":\"x\",\"person\":{\"prison_number\":\"A1234BC\","
	                "\"given_name\":\"Sam\",\"family_name\":false}}",
	                &p),
	          -EBADMSG);

	test_step("login with a PIN staff issued: a person and no session, or nothing");
	{
		json_t *j = parse("{\"pin_change\":true,\"person\":" PERSON "}");

		CHECK_INT(reply_read_pin_change(j, &p), 0);
		CHECK_STR(p.given_name, "Sam");
		/* Not a session: the first PIN must be chosen before anything else. */
		CHECK_INT(reply_read_login(j, &p), -EBADMSG);
		json_decref(j);
		j = parse("{\"pin_change\":true,\"session\":\"ab\",\"person\":" PERSON "}");
		CHECK_INT(reply_read_pin_change(j, &p), -EBADMSG);
		json_decref(j);
		j = parse("{\"pin_change\":1,\"person\":" PERSON "}");
		CHECK_INT(reply_read_pin_change(j, &p), -EBADMSG);
		json_decref(j);
		CHECK_INT(reply_read_pin_change(NULL, &p), -EBADMSG);
	}

	test_step("login: huge strings are refused before anything is copied");
	big = long_member("given_name", 1 << 20, 'x');
	snprintf(buf, sizeof(buf), "{\"session\":\"x\",\"person\":{\"prison_number\":\"A1\",%s}}",
	         big);
	memset(&p, 0x55, sizeof(p));
	CHECK_INT(login(buf, &p), -EBADMSG);
	CHECK_INT((unsigned char)p.given_name[0], 0x55); /* untouched on failure */
	free(big);
	big = long_member("given_name", REPLY_NAME_MAX, 'y');
	snprintf(buf, sizeof(buf), "{\"session\":\"x\",\"person\":{\"prison_number\":\"A1\",%s}}",
	         big);
	CHECK_INT(login(buf, &p), 0); /* exactly the maximum is fine */
	CHECK_INT(strlen(p.given_name), REPLY_NAME_MAX);
	free(big);
	big = long_member("session", 129, 'z');
	snprintf(buf, sizeof(buf), "{%s,\"person\":" PERSON "}", big);
	CHECK_INT(login(buf, &p), -EBADMSG);
	free(big);

	test_step("login: a bad release date is left out, not trusted");
	CHECK_INT(login("{\"session\":\"x\",\"person\":{\"prison_number\":\"A1234BC\","
	                "\"given_name\":\"Sam\",\"release_date\":\"2027-02-30\"}}",
	                &p),
	          0);
	CHECK_STR(p.release_date, "");
	CHECK_INT(login("{\"session\":\"x\",\"person\":{\"prison_number\":\"A1234BC\","
	                "\"given_name\":\"Sam\",\"release_date\":\"2027-01-29\"}}",
	                &p),
	          0);
	CHECK_STR(p.release_date, "2027-01-29");
}

static int
home(const char *text, struct reply_home *h)
{
	json_t *j = parse(text);
	int r = reply_read_home(j, h);

	json_decref(j);
	return r;
}

static void
test_home(void)
{
	static struct reply_home h;
	static char buf[1 << 16];
	size_t n;

	test_step("home: tiles, badges, the crisis tile, the next appointment, banners");
	CHECK_INT(home("{\"person\":" PERSON ",\"tiles\":["
	               "{\"app\":\"stub\",\"title\":\"Stub\",\"allowed\":true,\"badge\":3},"
	               "{\"app\":\"games\",\"title\":\"Games\",\"allowed\":false,"
	               "\"reason\":\"Games open at the enhanced level.\"},"
	               "{\"app\":\"crisis\",\"title\":\"Crisis help\",\"allowed\":true,"
	               "\"crisis\":true,\"registered\":false}],"
	               "\"next_appointment\":{\"at\":\"2026-11-24T10:00:00Z\",\"kind\":"
	               "\"Education\",\"where\":\"Room 3\",\"with\":\"Rhian\"},"
	               "\"banners\":[{\"id\":7,\"text\":\"New course\"}]}",
	               &h),
	          0);
	CHECK_INT(h.n_tiles, 3);
	CHECK_INT(h.skipped, 0);
	CHECK_STR(h.tiles[0].app, "stub");
	CHECK_INT(h.tiles[0].badge, 3);
	CHECK(h.tiles[0].registered);
	CHECK(!h.tiles[1].allowed);
	CHECK_STR(h.tiles[1].reason, "Games open at the enhanced level.");
	CHECK(h.tiles[2].crisis && !h.tiles[2].registered);
	CHECK(h.next.present);
	CHECK_INT(h.next.at, 1795514400);
	CHECK_STR(h.next.kind, "Education");
	CHECK_INT(h.n_banners, 1);
	CHECK_STR(h.banners[0].id, "7");
	CHECK_STR(h.banners[0].text, "New course");

	test_step("home: refused as a whole without a person or a list of tiles");
	CHECK_INT(home("{\"tiles\":[]}", &h), -EBADMSG);
	CHECK_INT(home("{\"person\":" PERSON ",\"tiles\":{}}", &h), -EBADMSG);
	CHECK_INT(home("{\"person\":" PERSON ",\"tiles\":\"stub\"}", &h), -EBADMSG);
	CHECK_INT(home("{\"person\":" PERSON "}", &h), -EBADMSG);
	/* Broken banners are only left out. */
	CHECK_INT(home("{\"person\":" PERSON ",\"tiles\":[],\"banners\":7}", &h), 0);
	CHECK_INT(h.n_banners, 0);
	CHECK_INT(h.skipped, 1);

	test_step("home: each bad tile is skipped and counted; good ones stay");
	CHECK_INT(home("{\"person\":" PERSON ",\"tiles\":["
	               "7, null, \"stub\", [],"
	               "{\"app\":\"stub\",\"title\":\"Stub\",\"allowed\":\"yes\"},"
	               "{\"app\":\"stub\",\"title\":\"Stub\"},"
	               "{\"app\":\"Stub\",\"title\":\"Stub\",\"allowed\":true},"
	               "{\"app\":\"../x\",\"title\":\"X\",\"allowed\":true},"
	               "{\"app\":\"s\",\"title\":\"S\",\"allowed\":true},"
	               "{\"app\":\"stub\",\"title\":\"\",\"allowed\":true},"
	               "{\"app\":\"stub\",\"title\":9,\"allowed\":true},"
	               "{\"app\":\"stub\",\"title\":\"Stub\",\"allowed\":true,\"badge\":\"3\"},"
	               "{\"app\":\"stub\",\"title\":\"Stub\",\"allowed\":true,\"badge\":1.5},"
	               "{\"app\":\"stub\",\"title\":\"Stub\",\"allowed\":true,\"crisis\":1},"
	               "{\"app\":\"stub\",\"title\":\"Stub\",\"allowed\":false,\"reason\":[]},"
	               "{\"app\":\"ok\",\"title\":\"OK\",\"allowed\":true,\"badge\":-4},"
	               "{\"app\":\"ok\",\"title\":\"Again\",\"allowed\":true},"
	               "{\"app\":\"big\",\"title\":\"Big\",\"allowed\":true,"
	               "\"badge\":9223372036854775807}],"
	               "\"next_appointment\":{\"at\":\"tomorrow\"},\"banners\":[1,{\"text\":\"\"},"
	               "{\"text\":\"fine\",\"id\":{}}]}",
	               &h),
	          0);
	CHECK_INT(h.n_tiles, 2);
	CHECK_STR(h.tiles[0].app, "ok");
	CHECK_INT(h.tiles[0].badge, 0);
	CHECK_STR(h.tiles[1].app, "big");
	CHECK_INT(h.tiles[1].badge, REPLY_MAX_BADGE);
	CHECK(!h.next.present);
	CHECK_INT(h.n_banners, 0);
	/* 15 bad tiles, the duplicate "ok", the appointment and 3 banners */
	CHECK_INT(h.skipped, 15 + 1 + 1 + 3);

	test_step("home: more tiles than the screen takes");
	n = (size_t)snprintf(buf, sizeof(buf), "{\"person\":" PERSON ",\"tiles\":[");
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(
		        buf + n, sizeof(buf) - n,
		        "%s{\"app\":\"app-%d\",\"title\":\"App %d\",\"allowed\":true}",
		        i ? "," : "", i, i);
	snprintf(buf + n, sizeof(buf) - n, "]}");
	CHECK_INT(home(buf, &h), 0);
	CHECK_INT(h.n_tiles, REPLY_MAX_TILES);
	CHECK_INT(h.skipped, 100 - REPLY_MAX_TILES);
}

static int
open_reply(const char *text, const char *app, struct reply_open *o)
{
	json_t *j = parse(text);
	int r = reply_read_open(j, app, o);

	json_decref(j);
	return r;
}

#define HASH "316ec03e6c7d4ccd57fb6b9b6738c57fec2d7cd17686c222486764c728224004"

static void
test_open(void)
{
	struct reply_open o;

	test_step("open: the reply must match the app asked for and carry the descriptor");
	CHECK_INT(open_reply("{\"app\":\"stub\",\"title\":\"Stub\",\"path\":\"/usr/bin/stub\","
	                     "\"sha256\":\"" HASH "\",\"descriptor\":true}",
	                     "stub", &o),
	          0);
	CHECK_STR(o.path, "/usr/bin/stub");
	CHECK_STR(o.sha256, HASH);
	CHECK_INT(open_reply("{\"app\":\"stub\",\"path\":\"/usr/bin/stub\","
	                     "\"sha256\":\"" HASH "\"}",
	                     "stub", &o),
	          -EBADMSG);
	CHECK_INT(open_reply("{\"app\":\"stub\",\"path\":\"/usr/bin/stub\","
	                     "\"sha256\":\"" HASH "\",\"descriptor\":1}",
	                     "stub", &o),
	          -EBADMSG);
	CHECK_INT(open_reply("{\"app\":\"games\",\"path\":\"/usr/bin/stub\","
	                     "\"sha256\":\"" HASH "\",\"descriptor\":true}",
	                     "stub", &o),
	          -EBADMSG);
	CHECK_INT(open_reply("{\"app\":\"stub\",\"path\":\"stub\","
	                     "\"sha256\":\"" HASH "\",\"descriptor\":true}",
	                     "stub", &o),
	          -EBADMSG);
	CHECK_INT(open_reply("{\"app\":\"stub\",\"path\":\"/usr/bin/stub\","
	                     "\"sha256\":\"ABC\",\"descriptor\":true}",
	                     "stub", &o),
	          -EBADMSG);
	CHECK_INT(open_reply("{\"app\":\"stub\",\"path\":\"/usr/bin/stub\","
	                     "\"sha256\":\"316EC03E6C7D4CCD57FB6B9B6738C57FEC2D7CD17686C222486764"
	                     "C728224004\",\"descriptor\":true}",
	                     "stub", &o),
	          -EBADMSG);
	CHECK_INT(open_reply("{\"app\":\"stub\",\"path\":[\"/usr/bin/stub\"],"
	                     "\"sha256\":\"" HASH "\",\"descriptor\":true}",
	                     "stub", &o),
	          -EBADMSG);
}

static void
test_failure(void)
{
	struct reply_failure f;
	json_t *j;
	char *big, buf[8192];

	test_step("failures: the daemon's words when they are usable, else plain fallback");
	j = parse("{\"message\":\"Too many wrong PINs. Try again in 5 minutes.\",\"seconds\":300}");
	reply_read_failure("onward.AccountLocked", j, "fallback", &f);
	CHECK_STR(f.error, "onward.AccountLocked");
	CHECK_STR(f.message, "Too many wrong PINs. Try again in 5 minutes.");
	CHECK_INT(f.seconds, 300);
	json_decref(j);
	j = parse("{\"message\":42,\"seconds\":-5}");
	reply_read_failure("onward.LoginFailed", j, "fallback", &f);
	CHECK_STR(f.message, "fallback");
	CHECK_INT(f.seconds, 0);
	json_decref(j);
	j = parse("{\"seconds\":99999999999}");
	reply_read_failure("x\ny", j, "fallback", &f);
	CHECK_STR(f.error, "");
	CHECK_STR(f.message, "fallback");
	CHECK_INT(f.seconds, 7 * 86400);
	json_decref(j);
	reply_read_failure(NULL, NULL, "fallback", &f);
	CHECK_STR(f.message, "fallback");
	CHECK_INT(f.tries_left, 0);
	CHECK_STR(f.parameter, "");
	CHECK_STR(f.moved_to, "");
	j = parse("{\"message\":\"No.\",\"tries_left\":2,\"parameter\":\"new_pin\","
	          "\"moved_to\":\"NEP\"}");
	reply_read_failure("onward.LoginFailed", j, "fallback", &f);
	CHECK_INT(f.tries_left, 2);
	CHECK_STR(f.parameter, "new_pin");
	CHECK_STR(f.moved_to, "NEP");
	json_decref(j);
	/* Out of range or not the expected shape: ignored, never copied as it came. */
	j = parse("{\"message\":\"No.\",\"tries_left\":3,\"parameter\":\"New-PIN\","
	          "\"moved_to\":\"nep\"}");
	reply_read_failure("onward.LoginFailed", j, "fallback", &f);
	CHECK_INT(f.tries_left, 0);
	CHECK_STR(f.parameter, "");
	CHECK_STR(f.moved_to, "");
	json_decref(j);
	big = long_member("message", REPLY_TEXT_MAX + 1, 'm');
	snprintf(buf, sizeof(buf), "{%s}", big);
	j = parse(buf);
	reply_read_failure("onward.X", j, "fallback", &f);
	CHECK_STR(f.message, "fallback");
	json_decref(j);
	free(big);
}

static void
test_time(void)
{
	int64_t t;

	test_step("times: only YYYY-MM-DDTHH:MM:SSZ, real dates");
	CHECK_INT(reply_parse_time("1970-01-01T00:00:00Z", &t), 0);
	CHECK_INT(t, 0);
	CHECK_INT(reply_parse_time("2028-02-29T23:59:59Z", &t), 0);
	CHECK_INT(t, 1835481599);
	CHECK_INT(reply_parse_time("2027-02-29T00:00:00Z", &t), -EINVAL);
	CHECK_INT(reply_parse_time("2026-11-24T24:00:00Z", &t), -EINVAL);
	CHECK_INT(reply_parse_time("2026-11-24 10:00:00Z", &t), -EINVAL);
	CHECK_INT(reply_parse_time("2026-11-24T10:00:00", &t), -EINVAL);
	CHECK_INT(reply_parse_time("2026-11-24T10:00:00+01:00", &t), -EINVAL);
	CHECK_INT(reply_parse_time("2026-1a-24T10:00:00Z", &t), -EINVAL);
	CHECK_INT(reply_parse_time("", &t), -EINVAL);
	CHECK_INT(reply_parse_time(NULL, &t), -EINVAL);
	CHECK(!reply_text_ok(NULL, 10));
	CHECK(reply_text_ok("", 0));
	CHECK(!reply_text_ok("a\x7f", 10));
	CHECK(reply_text_ok("Cymraeg: ŵ ŷ", 20));
}

int
main(void)
{
	test_login();
	test_home();
	test_open();
	test_failure();
	test_time();
	printf("test-shell-reply: ok\n");
	return 0;
}

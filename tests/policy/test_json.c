/*
 * test_json.c: the JSON readers: Cedar's entity and request formats are accepted in each form
 * Cedar takes, and bad input is refused with a message that names the entity and attribute.
 */
#include "ptest.h"

static const char *
ents_msg(const char *json)
{
	static struct policy_diag d;
	struct policy_entities *s = NULL;
	memset(&d, 0, sizeof(d));
	int r = policy_entities_parse_json(json, strlen(json), &d, &s);
	policy_entities_free(s);
	return r == 0 ? "ok" : d.message;
}

static const char *
req_msg(const char *json)
{
	static struct policy_diag d;
	struct policy_request *q = NULL;
	int r = policy_request_parse_json(json, strlen(json), &d, &q);
	policy_request_free(q);
	return r == 0 ? "ok" : d.message;
}

#define ENT(attrs) "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":" attrs ",\"parents\":[]}]"

static void
test_entities(void)
{
	CHECK_STR(ents_msg("[]"), "ok");
	CHECK_STR(ents_msg(ENT("{}")), "ok");
	CHECK_STR(ents_msg("[{\"uid\":{\"__entity\":{\"type\":\"NS::U\",\"id\":\"é\"}},\"attrs\":"
	                   "{},\"parents\":[{\"__entity\":{\"type\":\"G\",\"id\":\"g\"}},{\"type\":"
	                   "\"G\",\"id\":\"h\"}],\"tags\":{},\"extra\":1}]"),
	          "ok");
	CHECK_STR(
	        ents_msg(ENT("{\"a\":true,\"b\":-5,\"c\":\"s\",\"d\":[1,[2]],\"e\":{\"f\":"
	                     "{\"__entity\":{\"type\":\"U\",\"id\":\"b\"}}},\"g\":{\"type\":\"U\","
	                     "\"id\":\"b\"}}")),
	        "ok");
	/* The same entity twice is fine if identical, an error if not. */
	CHECK_STR(
	        ents_msg("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"x\":1},"
	                 "\"parents\":[]},{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"x\":"
	                 "1},\"parents\":[]}]"),
	        "ok");
	CHECK_STR(ents_msg("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"x\":1},"
	                   "\"parents\":[]},{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},"
	                   "\"parents\":[]}]"),
	          "entities: entity 1 (U::\"a\"): duplicate entity entry `U::\"a\"`");
	CHECK_STR(ents_msg("{}"), "entities: expected an array of entities, found an object");
	CHECK_STR(ents_msg("[1]"), "entities: entity 0: expected an object with \"uid\", "
	                           "\"attrs\" and \"parents\", found an integer");
	CHECK_STR(ents_msg("[{\"attrs\":{},\"parents\":[]}]"),
	          "entities: entity 0: missing field `uid`");
	CHECK_STR(ents_msg("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"parents\":[]}]"),
	          "entities: entity 0 (U::\"a\"): missing field `attrs`");
	CHECK_STR(ents_msg("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{}}]"),
	          "entities: entity 0 (U::\"a\"): missing field `parents`");
	CHECK_STR(
	        ents_msg("[{\"uid\":{\"type\":\"U x\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]}]"),
	        "entities: entity 0: uid has an invalid entity type name \"U x\"");
	CHECK_STR(
	        ents_msg("[{\"uid\":\"U::\\\"a\\\"\",\"attrs\":{},\"parents\":[]}]"),
	        "entities: entity 0: uid must be an entity reference {\"type\": ..., \"id\": ...}, "
	        "found a string");
	CHECK_STR(ents_msg("[{\"uid\":{\"type\":\"U\"},\"attrs\":{},\"parents\":[]}]"),
	          "entities: entity 0: uid needs string fields \"type\" and \"id\"");
	CHECK_STR(ents_msg(ENT("{\"x\":null}")), "entities: entity 0 (U::\"a\"): attribute `x`: "
	                                         "found a `null`; JSON `null`s are not "
	                                         "allowed in Cedar");
	CHECK_STR(ents_msg(ENT("{\"x\":1.5}")),
	          "entities: entity 0 (U::\"a\"): attribute `x`: found a number with a fraction or "
	          "exponent; Cedar numbers are integers");
	CHECK_STR(ents_msg(ENT("{\"x\":{\"__extn\":{\"fn\":\"ip\",\"arg\":\"1.2.3.4\"}}}")),
	          "entities: entity 0 (U::\"a\"): attribute `x`: extension values (`__extn`: ip, "
	          "decimal, datetime) are not supported by this engine");
	CHECK_STR(
	        ents_msg(ENT("{\"x\":[{\"__entity\":{\"type\":\"1\",\"id\":\"a\"}}]}")),
	        "entities: entity 0 (U::\"a\"): attribute `x`: an `__entity` escape has an invalid "
	        "entity type name \"1\"");
	CHECK_STR(ents_msg("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[],"
	                   "\"tags\":{\"t\":1}}]"),
	          "entities: entity 0 (U::\"a\"): entity tags are not supported by this engine");
	CHECK_STR(ents_msg("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":[],\"parents\":[]}]"),
	          "entities: entity 0 (U::\"a\"): `attrs` must be an object, found an array");
	CHECK_STR(
	        ents_msg("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[1]}]"),
	        "entities: entity 0 (U::\"a\"): a parent must be an entity reference {\"type\": "
	        "..., \"id\": ...}, found an integer");
	CHECK_STR(ents_msg(ENT("{\"x\":1,\"x\":2}")),
	          "entities:1:48: invalid JSON: duplicate object key near '\"x\"'");
	CHECK_STR(ents_msg(ENT("{\"x\":99999999999999999999}")),
	          "entities:1:63: invalid JSON: too big integer near '99999999999999999999'");
	CHECK_STR(ents_msg("[{\"uid\":"), "entities:1:8: invalid JSON: unexpected token near "
	                                  "end of file");
	CHECK_STR(ents_msg(""), "entities:1:0: invalid JSON: '[' or '{' expected near end of file");
	/* Nesting has a limit. */
	char deep[2000] = ENT("");
	size_t n = strlen("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":");
	n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{\"x\":");
	for (int i = 0; i < 300; i++)
		deep[n++] = '[';
	for (int i = 0; i < 300; i++)
		deep[n++] = ']';
	snprintf(deep + n, sizeof(deep) - n, "},\"parents\":[]}]");
	CHECK_STR(ents_msg(deep), "entities: entity 0 (U::\"a\"): attribute `x`: values nested too "
	                          "deeply (the limit is 256)");
}

static void
test_requests(void)
{
	CHECK_STR(req_msg("{\"principal\":{\"type\":\"U\",\"id\":\"a\"},\"action\":{\"__entity\":"
	                  "{\"type\":\"Action\",\"id\":\"v\"}},\"resource\":{\"type\":\"R\",\"id\":"
	                  "\"r\"}}"),
	          "ok");
	CHECK_STR(req_msg("{\"principal\":{\"type\":\"U\",\"id\":\"a\"},\"action\":{\"type\":"
	                  "\"Action\",\"id\":\"v\"},\"resource\":{\"type\":\"R\",\"id\":\"r\"},"
	                  "\"context\":{\"n\":1,\"e\":{\"__entity\":{\"type\":\"U\",\"id\":\"a\"}}}"
	                  "}"),
	          "ok");
	CHECK_STR(req_msg("[]"), "request: expected an object, found an array");
	CHECK_STR(req_msg("{\"principal\":{\"type\":\"U\",\"id\":\"a\"}}"),
	          "request: missing field `action`");
	CHECK_STR(req_msg("{\"principal\":{\"type\":\"U\",\"id\":\"a\"},\"action\":{\"type\":"
	                  "\"Action\",\"id\":\"v\"},\"resource\":{\"type\":\"R\",\"id\":\"r\"},"
	                  "\"context\":[]}"),
	          "request: context: must be an object, found an array");
	CHECK_STR(req_msg("{\"principal\":{\"type\":\"U\",\"id\":\"a\"},\"action\":{\"type\":"
	                  "\"Action\",\"id\":\"v\"},\"resource\":{\"type\":\"R\",\"id\":\"r\"},"
	                  "\"context\":{\"x\":null}}"),
	          "request: context: found a `null`; JSON `null`s are not allowed in Cedar");
	CHECK_STR(req_msg("{\"principal\":1}"),
	          "request: principal must be an entity reference {\"type\": ..., \"id\": ...}, "
	          "found an integer");
	CHECK_STR(req_msg("{\"principal\":{\"type\":\"U\",\"id\":\"a\"},\"entities\":[]}"),
	          "request: unknown field `entities` (expected principal, action, resource, "
	          "context)");
}

int
main(void)
{
	test_entities();
	test_requests();
	return ptest_done("test_json");
}

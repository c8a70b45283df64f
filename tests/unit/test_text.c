/*
 * lib/text: the one UTF-8 check that packs, certificates, bundles, the daemon, the policy
 * engine and the toolkit share, at each edge RFC 3629 draws, and the one-line rule that
 * certificates and bundles use for the fields they sign.
 */
#include "check.h"
#include "text.h"

#include <string.h>

#define VALID(s) text_utf8_valid(s, sizeof(s) - 1)

int
main(void)
{
	char big[130];

	test_step("UTF-8: each length at its limits");
	CHECK(text_utf8_valid(NULL, 0));
	CHECK(text_utf8_valid("", 0));
	CHECK(VALID("Dŵr, café, 日本, 😀"));
	CHECK(VALID("\x7f"));
	CHECK(VALID("\xc2\x80")); /* U+0080 */
	CHECK(VALID("\xdf\xbf")); /* U+07FF */
	CHECK(VALID("\xe0\xa0\x80")); /* U+0800 */
	CHECK(VALID("\xed\x9f\xbf")); /* U+D7FF */
	CHECK(VALID("\xee\x80\x80")); /* U+E000 */
	CHECK(VALID("\xef\xbf\xbd")); /* U+FFFD itself */
	CHECK(VALID("\xf0\x90\x80\x80")); /* U+10000 */
	CHECK(VALID("\xf4\x8f\xbf\xbf")); /* U+10FFFF */
	CHECK(VALID("a\0b")); /* U+0000 is a character; callers decide */

	test_step("UTF-8: overlong, surrogates, too large, cut short, stray bytes");
	CHECK(!VALID("\xc0\xaf"));
	CHECK(!VALID("\xc1\xbf"));
	CHECK(!VALID("\xe0\x9f\xbf"));
	CHECK(!VALID("\xf0\x8f\xbf\xbf"));
	CHECK(!VALID("\xed\xa0\x80"));
	CHECK(!VALID("\xed\xbf\xbf"));
	CHECK(!VALID("\xf4\x90\x80\x80"));
	CHECK(!VALID("\xf5\x80\x80\x80"));
	CHECK(!VALID("\xff"));
	CHECK(!VALID("\x80"));
	CHECK(!VALID("\xe2\x82"));
	CHECK(!VALID("a\xe2\x82"));
	CHECK(!VALID("\xe2\x28\xa1"));
	CHECK(!text_utf8_valid("\xc3\xa9", 1)); /* the length given is what counts */

	test_step("one line: 1 to max bytes, no C0, DEL or C1");
	CHECK(text_line_valid("HMP Moorland", 12));
	CHECK(!text_line_valid("HMP Moorland", 11));
	CHECK(text_line_valid("Dŵr", 4));
	CHECK(!text_line_valid("", 10));
	CHECK(!text_line_valid(NULL, 10));
	CHECK(!text_line_valid("a\nb", 10));
	CHECK(!text_line_valid("a\tb", 10));
	CHECK(!text_line_valid("a\x7f", 10));
	CHECK(!text_line_valid("a\xc2\x85", 10)); /* NEL */
	CHECK(!text_line_valid("a\xc2\x9f", 10)); /* the last C1 */
	CHECK(text_line_valid("a\xc2\xa0", 10)); /* no-break space */
	CHECK(!text_line_valid("a\xc0\x8a", 10)); /* an overlong newline */
	/* Text-direction controls and separators reorder or break what staff read. */
	CHECK(!text_line_valid("gnp\xe2\x80\xae"
	                       "exe",
	                       20)); /* U+202E */
	CHECK(!text_line_valid("a\xe2\x81\xa6"
	                       "b",
	                       20)); /* U+2066 */
	CHECK(!text_line_valid("a\xe2\x80\x8f"
	                       "b",
	                       20)); /* U+200F */
	CHECK(!text_line_valid("a\xd8\x9c"
	                       "b",
	                       20)); /* U+061C */
	CHECK(!text_line_valid("a\xe2\x80\xa8"
	                       "b",
	                       20)); /* U+2028 */
	CHECK(text_line_valid("a\xe2\x80\x99"
	                      "b",
	                      20)); /* U+2019, an apostrophe */
	{
		char buf[TEXT_PROBLEM_MAX];

		CHECK_STR(text_line_problem("gnp\xe2\x80\xae"
		                            "exe",
		                            20, buf),
		          "holds the text-direction control U+202E");
		CHECK_STR(text_line_problem("a\xc2\x9b", 20, buf),
		          "holds the control character U+009B");
		CHECK(text_line_problem("HMP Moorland", 20, buf) == NULL);
	}
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(text_line_valid(big, sizeof(big) - 1));
	CHECK(!text_line_valid(big, sizeof(big) - 2));
	printf("test-text: OK\n");
	return 0;
}

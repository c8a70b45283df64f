/*
 * Identifier and text validation, with the edge cases each rule exists for.
 */
#include "check.h"
#include "validate.h"

#include <string.h>

int
main(void)
{
	test_step("prison numbers and case references");
	CHECK(validate_prison_number("A1234BC"));
	CHECK(!validate_prison_number("a1234bc"));
	CHECK(!validate_prison_number("A1234B"));
	CHECK(!validate_prison_number("A1234BCD"));
	CHECK(!validate_prison_number("11234BC"));
	CHECK(!validate_prison_number(""));
	CHECK(!validate_prison_number(NULL));
	CHECK(validate_crn("X123456"));
	CHECK(!validate_crn("X12345"));
	CHECK(!validate_crn("XX23456"));

	test_step("establishments, staff ids, app names, keywords");
	CHECK(validate_establishment_code("MDI"));
	CHECK(!validate_establishment_code("MD"));
	CHECK(!validate_establishment_code("mdi"));
	CHECK(validate_staff_id("j.smith"));
	CHECK(validate_staff_id("a1"));
	CHECK(!validate_staff_id("J.Smith"));
	CHECK(!validate_staff_id(".smith"));
	CHECK(!validate_staff_id("a"));
	CHECK(!validate_staff_id("abcdefghijklmnopqrstuvwxyz0123456"));
	CHECK(validate_app_name("learning"));
	CHECK(!validate_app_name("1learning"));
	CHECK(!validate_app_name("learn_ing"));
	CHECK(validate_keyword("public_protection"));
	CHECK(!validate_keyword("Public"));
	CHECK(!validate_keyword("a,b"));

	test_step("dates");
	CHECK(validate_date("2027-03-31"));
	CHECK(validate_date("2028-02-29"));
	CHECK(!validate_date("2027-02-29"));
	CHECK(validate_date("2000-02-29"));
	CHECK(!validate_date("2100-02-29"));
	CHECK(!validate_date("2027-13-01"));
	CHECK(!validate_date("2027-04-31"));
	CHECK(!validate_date("2027-4-30"));
	CHECK(!validate_date("27-04-30"));

	test_step("PINs");
	CHECK(validate_pin("1234"));
	CHECK(validate_pin("12345678"));
	CHECK(!validate_pin("123"));
	CHECK(!validate_pin("123456789"));
	CHECK(!validate_pin("12a4"));

	test_step("UTF-8 and free text");
	CHECK(validate_utf8("Dŵr, café, 日本, 😀", strlen("Dŵr, café, 日本, 😀")));
	CHECK(!validate_utf8("\xc0\xaf", 2)); /* overlong '/' */
	CHECK(!validate_utf8("\xed\xa0\x80", 3)); /* a surrogate */
	CHECK(!validate_utf8("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
	CHECK(!validate_utf8("\xe2\x82", 2)); /* cut short */
	CHECK(!validate_utf8("a\0b", 3));
	CHECK(validate_text("Sam Jones", 100, false));
	CHECK(!validate_text("", 100, false));
	CHECK(!validate_text("Sam\nJones", 100, false));
	CHECK(validate_text("Sam\nJones", 100, true));
	CHECK(!validate_text("bell\a", 100, true));
	CHECK(!validate_text("del\x7f", 100, true));
	CHECK(!validate_text("abcdef", 5, false));
	printf("test-validate: OK\n");
	return 0;
}

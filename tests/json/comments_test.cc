#include "emulator/json/comments.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "emulator/json/parse.h"

namespace timeslip::json {
namespace {

struct StripCase {
  std::string_view name, text, want;
};
constexpr StripCase kStripCases[] = {
    {"no comments", R"({"a": 1})", R"({"a": 1})"},
    {"line comment to the end of the line", "1 // c\n", "1     \n"},
    {"line comment at the end of the text", "1 // c", "1     "},
    {"block comment", "[/* d */1]", "[       1]"},
    {"block comment keeps its newlines", "1 /* a\nb */", "1     \n    "},
    {"comment markers inside strings", R"({"a": "x//y/*z*/"})", R"({"a": "x//y/*z*/"})"},
    {"escaped quote inside a string", R"({"a": "q\"//"})", R"({"a": "q\"//"})"},
    {"both kinds", "{\"a\": \"x\", // c\n\"b\": /* d */ 1}",
     "{\"a\": \"x\",     \n\"b\":         1}"},
    {"a lone slash is not a comment", "1 / 2", "1 / 2"},
};

TEST(StripCommentsTest, ReplacesCommentsWithSpacesKeepingOffsets) {
  for (const StripCase& c : kStripCases) {
    Result<std::string> got = StripComments(c.text);
    ASSERT_TRUE(got.ok()) << c.name << ": " << got.error().message;
    EXPECT_EQ(got.value(), c.want) << c.name;
    EXPECT_EQ(got.value().size(), c.text.size()) << c.name;
  }
}

TEST(ParseWithCommentsTest, ParsesAroundComments) {
  Result<nlohmann::ordered_json> got = ParseWithComments("/* head */ {\"a\": [1, // one\n 2]}");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got.value(), nlohmann::ordered_json::parse(R"({"a": [1, 2]})"));
}

struct ErrorCase {
  std::string_view name, text, want;
};
constexpr ErrorCase kErrorCases[] = {
    {"unterminated comment", "{} /* never closed", "line 1, column 4: unterminated /* comment"},
    {"unterminated comment on a later line", "{\n  /* x",
     "line 2, column 3: unterminated /* comment"},
    {"bad JSON after a comment", "// hello\n{\"name\": \"x\",,}",
     "line 2, column 14: invalid JSON: syntax error while parsing object key - unexpected ','; "
     "expected string literal"},
    {"a comment is not a value", "/* only */",
     "line 1, column 11: invalid JSON: syntax error while parsing value - unexpected end of "
     "input; expected '[', '{', or a literal"},
};

TEST(ParseWithCommentsTest, ErrorsSayWhere) {
  for (const ErrorCase& c : kErrorCases) {
    Result<nlohmann::ordered_json> got = ParseWithComments(c.text, "ScenarioError");
    ASSERT_FALSE(got.ok()) << c.name;
    EXPECT_EQ(got.error().name, "ScenarioError") << c.name;
    EXPECT_EQ(got.error().message, c.want) << c.name;
  }
}

TEST(ParseWithCommentsTest, DeepNestingAndHugeNumbersAreErrorsNotCrashes) {
  std::string deep =
      "// deep\n" + std::string(kMaxDepth + 1, '[') + std::string(kMaxDepth + 1, ']');
  Result<nlohmann::ordered_json> got = ParseWithComments(deep);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().name, "SerializationException");
  EXPECT_EQ(got.error().message, "nested deeper than 512 levels");
  EXPECT_FALSE(ParseWithComments("[1e999] // too big").ok());
}

}  // namespace
}  // namespace timeslip::json

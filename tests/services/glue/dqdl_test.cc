// ParseDqdl: the documented rule types and expression forms, and the position and expectation
// named for each malformed ruleset.
#include "emulator/services/glue/dqdl.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace timeslip::services::glue {
namespace {

struct ValidCase {
  std::string_view rule;  // inside Rules = [ ... ]
  std::string_view type;
};

// https://docs.aws.amazon.com/glue/latest/dg/dqdl.html: one row per documented form.
constexpr ValidCase kValid[] = {
    {R"(RowCount = 13)", "RowCount"},
    {R"(RowCount > 100)", "RowCount"},
    {R"(RowCount between 10 and 100)", "RowCount"},
    {R"(RowCount not between 10 and 100)", "RowCount"},
    {R"(ColumnCount >= 4)", "ColumnCount"},
    {R"(IsComplete "order-id")", "IsComplete"},
    {R"(IsUnique "email")", "IsUnique"},
    {R"(IsPrimaryKey "id")", "IsPrimaryKey"},
    {R"(IsPrimaryKey "id" "day")", "IsPrimaryKey"},
    {R"(ColumnExists "id")", "ColumnExists"},
    {R"(Completeness "colA" between 0.4 and 0.8)", "Completeness"},
    {R"(Uniqueness "id" > 0.95)", "Uniqueness"},
    {R"(ColumnValues "Country" in ["US", "CA", "UK", NULL, EMPTY])", "ColumnValues"},
    {R"(ColumnValues "Country" not in ["XX"])", "ColumnValues"},
    {R"(ColumnValues "Age" <= 120)", "ColumnValues"},
    {R"(ColumnValues "Age" between -1 and 99 with threshold > 0.9)", "ColumnValues"},
    {R"(ColumnValues "email" matches "[a-z]+@[a-z.]+")", "ColumnValues"},
    {R"(ColumnValues "email" not matches "^$")", "ColumnValues"},
    {R"(ColumnValues "name" != WHITESPACES_ONLY)", "ColumnValues"},
    {R"(ColumnLength "PostalCode" = 5)", "ColumnLength"},
    {R"(ColumnLength "name" < 40 with threshold >= 0.99)", "ColumnLength"},
    {R"(Mean "Star_Rating" > 3)", "Mean"},
    {R"(Sum "amount" < 1000000)", "Sum"},
    {R"(StandardDeviation "price" between 1 and 9.5)", "StandardDeviation"},
    {R"(DistinctValuesCount "state" in [3, 4, 5])", "DistinctValuesCount"},
    {R"(CustomSql "select count(*) from primary" between 10 and 20)", "CustomSql"},
    {R"(CustomSql "select id from primary where age < 100" with threshold > 0.95)", "CustomSql"},
    {R"(IsComplete "id" where "region = 'eu'")", "IsComplete"},
    {R"((IsComplete "id") and (IsUnique "id"))", "Composite"},
    {R"((RowCount > 0) or ((IsComplete "colA") and (IsUnique "colA")))", "Composite"},
};

TEST(DqdlTest, AcceptsTheDocumentedForms) {
  for (const ValidCase& c : kValid) {
    const std::string text = "Rules = [ " + std::string(c.rule) + " ]";
    json::Result<std::vector<DqdlRule>> got = ParseDqdl(text);
    ASSERT_TRUE(got.ok()) << c.rule << ": " << got.error().message;
    ASSERT_EQ(got.value().size(), 1u) << c.rule;
    EXPECT_EQ(got.value()[0].type, c.type) << c.rule;
    EXPECT_EQ(got.value()[0].text, c.rule) << c.rule;
  }
}

TEST(DqdlTest, SplitsRulesKeepingEachAsWritten) {
  json::Result<std::vector<DqdlRule>> got = ParseDqdl(
      "# orders\nRules = [\n  RowCount > 0,  # at least one\n  IsComplete \"id\",\n"
      "  ColumnValues \"status\" in [\"NEW\", \"DONE\"]\n]\n");
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got.value().size(), 3u);
  EXPECT_EQ(got.value()[0].text, "RowCount > 0");
  EXPECT_EQ(got.value()[1].text, "IsComplete \"id\"");
  EXPECT_EQ(got.value()[2].text, "ColumnValues \"status\" in [\"NEW\", \"DONE\"]");
}

struct InvalidCase {
  std::string_view text;
  std::string_view says;  // part of the message
};

constexpr InvalidCase kInvalid[] = {
    {"", "line 1, column 1: expected \"Rules\", found the end of the ruleset"},
    {"Rule = [ RowCount > 1 ]", "column 1: expected \"Rules\", found 'Rule'"},
    {"Rules [ RowCount > 1 ]", "column 7: expected \"=\", found '['"},
    {"Rules = RowCount > 1", "column 9: expected \"[\", found 'RowCount'"},
    {"Rules = [ ]", "column 11: expected a rule type, found ']'"},
    {"Rules = [ RowCount > 1",
     "expected \",\" or \"]\" after a rule, found the end of the ruleset"},
    {"Rules = [ RowCount > 1 ] extra",
     "expected the end of the ruleset after \"]\", found 'extra'"},
    {"Rules = [ RowCount > 1, ]", "column 25: expected a rule type, found ']'"},
    {"Rules = [ RowCount ]", "column 20: expected a comparison (=, !=, >, >=, <, <=, between, in)"},
    {"Rules = [ RowCount > \"ten\" ]", "expected a number, found '\"ten\"'"},
    {"Rules = [ RowCount between 1 10 ]", "expected \"and\" in \"between X and Y\", found '10'"},
    {"Rules = [ RowCount not > 1 ]", "expected \"between\" or \"in\" after \"not\""},
    {"Rules = [ Mean > 3 ]", "column 16: expected a quoted column name, found '>'"},
    {"Rules = [ IsComplete id ]", "expected a quoted column name, found 'id'"},
    {"Rules = [ IsComplete \"a\" \"b\" ]", "IsComplete takes 1 quoted parameter; found another"},
    {"Rules = [ IsComplete \"a\" > 1 ]", "expected \",\" or \"]\" after a rule, found '>'"},
    {"Rules = [ ColumnValues \"c\" in [\"a\" \"b\"] ]", "expected \",\" or \"]\" in the list"},
    {"Rules = [ ColumnValues \"c\" = \"a ]", "a string with no closing quote"},
    {"Rules = [ ColumnValues \"c\" = ONE ]", "expected a number, a quoted string, NULL, EMPTY"},
    {"Rules = [ Mean \"c\" with threshold > 0.5 ]", "expected a comparison"},
    {"Rules = [ Mean \"c\" > 1 with threshold > 0.5 ]", "Mean takes no \"with threshold\""},
    {"Rules = [ CustomSql ]", "expected a quoted SQL statement"},
    {"Rules = [ (IsComplete \"a\") and IsUnique \"a\" ]", "each in parentheses"},
    {"Rules = [ (IsComplete \"a\" ]", "expected \")\" closing the rule"},
    {"Rules = [\n  RowCount > 1,\n  Mean \"x\" ~ 2\n]", "line 3, column 12: expected a comparison"},
    {"Rules = [ DataFreshness \"updated\" <= 24 hours ]",
     "timeslip does not evaluate rule type DataFreshness yet"},
    {"Rules = [ Frobnicate \"x\" ]", "timeslip does not evaluate rule type Frobnicate yet"},
};

TEST(DqdlTest, RefusesMalformedRulesetsNamingWhereAndWhat) {
  for (const InvalidCase& c : kInvalid) {
    json::Result<std::vector<DqdlRule>> got = ParseDqdl(c.text);
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_EQ(got.error().name, "InvalidInputException") << c.text;
    EXPECT_NE(got.error().message.find(c.says), std::string::npos)
        << c.text << ": " << got.error().message;
  }
}

TEST(DqdlTest, NeverAbortsOnArbitraryBytes) {
  const std::string_view inputs[] = {"\"",
                                     "Rules = [ \"",
                                     "Rules = [ -",
                                     "Rules = [ ((((",
                                     std::string_view("\0\xff\x80", 3),
                                     "Rules=[RowCount>1.]"};
  for (std::string_view input : inputs) {
    EXPECT_FALSE(ParseDqdl(input).ok()) << input;
  }
}

}  // namespace
}  // namespace timeslip::services::glue

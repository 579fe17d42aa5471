#include "emulator/query/choice_rule.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace timeslip::query {
namespace {

using Json = nlohmann::ordered_json;

// One input for every evaluation row: each field exists for the rows that name it.
constexpr std::string_view kInput = R"({
  "s": "b", "s_same": "b", "s_low": "a", "s_high": "c", "upper": "Z", "accent": "é",
  "empty": "", "ab": "ab",
  "n": 5, "n_float": 5.0, "n_low": 4, "n_high": 6, "neg": -3, "frac": 4.5,
  "big": 9007199254740993, "big2": 9007199254740992,
  "t": true, "f": false,
  "ts": "2024-01-01T12:00:00Z", "ts_offset": "2024-01-01T13:00:00+01:00",
  "ts_west": "2024-01-01T07:00:00-05:00", "ts_later": "2024-01-01T12:00:00.001Z",
  "ts_frac": "2024-01-01T12:00:00.5Z", "ts_nanos": "2024-01-01T12:00:00.000999999Z",
  "ts_bad": "2024-13-01T00:00:00Z", "ts_date": "2024-01-01",
  "nul": null, "obj": {"k": 1}, "arr": [1, 2],
  "file": "log-2024.txt", "star": "a*b", "plain": "axb", "bs": "a\\b", "bs_end": "a\\",
  "xtxt": "x.txt.bak"
})";
constexpr std::string_view kContext = R"({"Execution": {"Name": "run-1"}})";

// "true", "false", or the error name Evaluate must give.
std::string EvaluateAsText(std::string_view rule_text) {
  Json rule = Json::parse(rule_text);
  Json input = Json::parse(kInput);
  Json context = Json::parse(kContext);
  json::Result<ChoiceRule> compiled = ChoiceRule::Compile(rule, /*top_level=*/false);
  if (!compiled.ok()) {
    return "compile error " + compiled.error().name + ": " + compiled.error().message;
  }
  json::Result<bool> got = compiled.value().Evaluate(EvalContext{input, context});
  if (!got.ok()) return got.error().name;
  return got.value() ? "true" : "false";
}

struct EvalCase {
  std::string_view rule;
  std::string_view want;
};

void RunEvalCases(const EvalCase* begin, const EvalCase* end) {
  for (const EvalCase* c = begin; c != end; ++c) {
    EXPECT_EQ(EvaluateAsText(c->rule), c->want) << c->rule;
  }
}

#define RUN_EVAL_CASES(cases) RunEvalCases(std::begin(cases), std::end(cases))

constexpr EvalCase kStringCases[] = {
    {R"({"Variable":"$.s","StringEquals":"b"})", "true"},
    {R"({"Variable":"$.s","StringEquals":"c"})", "false"},
    {R"({"Variable":"$.n","StringEquals":"5"})", "false"},
    {R"({"Variable":"$.s","StringLessThan":"c"})", "true"},
    {R"({"Variable":"$.s","StringLessThan":"b"})", "false"},
    {R"({"Variable":"$.n","StringLessThan":"9"})", "false"},
    {R"({"Variable":"$.s","StringGreaterThan":"a"})", "true"},
    {R"({"Variable":"$.s","StringGreaterThan":"b"})", "false"},
    {R"({"Variable":"$.t","StringGreaterThan":""})", "false"},
    {R"({"Variable":"$.s","StringLessThanEquals":"b"})", "true"},
    {R"({"Variable":"$.s","StringLessThanEquals":"a"})", "false"},
    {R"({"Variable":"$.nul","StringLessThanEquals":"z"})", "false"},
    {R"({"Variable":"$.s","StringGreaterThanEquals":"b"})", "true"},
    {R"({"Variable":"$.s","StringGreaterThanEquals":"c"})", "false"},
    {R"({"Variable":"$.obj","StringGreaterThanEquals":""})", "false"},
    // Lexicographic by code point: uppercase before lowercase, prefixes first, é after z.
    {R"({"Variable":"$.upper","StringLessThan":"a"})", "true"},
    {R"({"Variable":"$.accent","StringGreaterThan":"z"})", "true"},
    {R"({"Variable":"$.ab","StringLessThan":"b"})", "true"},
    {R"({"Variable":"$.empty","StringLessThan":"a"})", "true"},
    {R"({"Variable":"$.ab","StringGreaterThan":"a"})", "true"},
};

TEST(ChoiceRuleTest, StringComparisons) { RUN_EVAL_CASES(kStringCases); }

constexpr EvalCase kStringPathCases[] = {
    {R"({"Variable":"$.s","StringEqualsPath":"$.s_same"})", "true"},
    {R"({"Variable":"$.s","StringEqualsPath":"$.s_high"})", "false"},
    {R"({"Variable":"$.s","StringEqualsPath":"$.n"})", "false"},
    {R"({"Variable":"$.n","StringEqualsPath":"$.s"})", "false"},
    {R"({"Variable":"$.s","StringLessThanPath":"$.s_high"})", "true"},
    {R"({"Variable":"$.s","StringLessThanPath":"$.s_low"})", "false"},
    {R"({"Variable":"$.s","StringLessThanPath":"$.t"})", "false"},
    {R"({"Variable":"$.s","StringGreaterThanPath":"$.s_low"})", "true"},
    {R"({"Variable":"$.s","StringGreaterThanPath":"$.s_same"})", "false"},
    {R"({"Variable":"$.s","StringGreaterThanPath":"$.nul"})", "false"},
    {R"({"Variable":"$.s","StringLessThanEqualsPath":"$.s_same"})", "true"},
    {R"({"Variable":"$.s","StringLessThanEqualsPath":"$.s_low"})", "false"},
    {R"({"Variable":"$.s","StringLessThanEqualsPath":"$.arr"})", "false"},
    {R"({"Variable":"$.s","StringGreaterThanEqualsPath":"$.s_same"})", "true"},
    {R"({"Variable":"$.s","StringGreaterThanEqualsPath":"$.s_high"})", "false"},
    {R"({"Variable":"$.s","StringGreaterThanEqualsPath":"$.n"})", "false"},
    {R"({"Variable":"$.s","StringEqualsPath":"$.missing"})", "States.Runtime"},
    {R"({"Variable":"$$.Execution.Name","StringEqualsPath":"$.s"})", "false"},
};

TEST(ChoiceRuleTest, StringPathComparisons) { RUN_EVAL_CASES(kStringPathCases); }

constexpr EvalCase kNumericCases[] = {
    {R"({"Variable":"$.n","NumericEquals":5})", "true"},
    {R"({"Variable":"$.n","NumericEquals":5.0})", "true"},
    {R"({"Variable":"$.n_float","NumericEquals":5})", "true"},
    {R"({"Variable":"$.n","NumericEquals":4})", "false"},
    {R"({"Variable":"$.s","NumericEquals":5})", "false"},
    {R"({"Variable":"$.n","NumericLessThan":5.5})", "true"},
    {R"({"Variable":"$.n","NumericLessThan":5})", "false"},
    {R"({"Variable":"$.neg","NumericLessThan":0})", "true"},
    {R"({"Variable":"$.t","NumericLessThan":10})", "false"},
    {R"({"Variable":"$.n","NumericGreaterThan":4.5})", "true"},
    {R"({"Variable":"$.n","NumericGreaterThan":5})", "false"},
    {R"({"Variable":"$.neg","NumericGreaterThan":-4})", "true"},
    {R"({"Variable":"$.nul","NumericGreaterThan":-1})", "false"},
    {R"({"Variable":"$.n","NumericLessThanEquals":5})", "true"},
    {R"({"Variable":"$.n","NumericLessThanEquals":4.999})", "false"},
    {R"({"Variable":"$.arr","NumericLessThanEquals":5})", "false"},
    {R"({"Variable":"$.n","NumericGreaterThanEquals":5.0})", "true"},
    {R"({"Variable":"$.n","NumericGreaterThanEquals":6})", "false"},
    {R"({"Variable":"$.s","NumericGreaterThanEquals":0})", "false"},
    {R"({"Variable":"$.frac","NumericGreaterThan":4})", "true"},
    // Integers compare exactly: these two differ although they are the same double.
    {R"({"Variable":"$.big","NumericEquals":9007199254740992})", "false"},
    {R"({"Variable":"$.big","NumericGreaterThan":9007199254740992})", "true"},
    {R"({"Variable":"$.neg","NumericLessThan":9007199254740993})", "true"},
};

TEST(ChoiceRuleTest, NumericComparisons) { RUN_EVAL_CASES(kNumericCases); }

constexpr EvalCase kNumericPathCases[] = {
    {R"({"Variable":"$.n","NumericEqualsPath":"$.n_float"})", "true"},
    {R"({"Variable":"$.n","NumericEqualsPath":"$.n_low"})", "false"},
    {R"({"Variable":"$.n","NumericEqualsPath":"$.s"})", "false"},
    {R"({"Variable":"$.n","NumericLessThanPath":"$.n_high"})", "true"},
    {R"({"Variable":"$.n","NumericLessThanPath":"$.n_low"})", "false"},
    {R"({"Variable":"$.s","NumericLessThanPath":"$.n_high"})", "false"},
    {R"({"Variable":"$.n","NumericGreaterThanPath":"$.n_low"})", "true"},
    {R"({"Variable":"$.n","NumericGreaterThanPath":"$.n_high"})", "false"},
    {R"({"Variable":"$.n","NumericGreaterThanPath":"$.t"})", "false"},
    {R"({"Variable":"$.n","NumericLessThanEqualsPath":"$.n_float"})", "true"},
    {R"({"Variable":"$.n","NumericLessThanEqualsPath":"$.n_low"})", "false"},
    {R"({"Variable":"$.n","NumericLessThanEqualsPath":"$.nul"})", "false"},
    {R"({"Variable":"$.n","NumericGreaterThanEqualsPath":"$.n"})", "true"},
    {R"({"Variable":"$.n","NumericGreaterThanEqualsPath":"$.n_high"})", "false"},
    {R"({"Variable":"$.n","NumericGreaterThanEqualsPath":"$.obj"})", "false"},
    {R"({"Variable":"$.big","NumericEqualsPath":"$.big2"})", "false"},
    {R"({"Variable":"$.n","NumericEqualsPath":"$.missing"})", "States.Runtime"},
};

TEST(ChoiceRuleTest, NumericPathComparisons) { RUN_EVAL_CASES(kNumericPathCases); }

constexpr EvalCase kBooleanCases[] = {
    {R"({"Variable":"$.t","BooleanEquals":true})", "true"},
    {R"({"Variable":"$.f","BooleanEquals":false})", "true"},
    {R"({"Variable":"$.t","BooleanEquals":false})", "false"},
    {R"({"Variable":"$.s","BooleanEquals":true})", "false"},
    {R"({"Variable":"$.n","BooleanEquals":true})", "false"},
    {R"({"Variable":"$.t","BooleanEqualsPath":"$.t"})", "true"},
    {R"({"Variable":"$.t","BooleanEqualsPath":"$.f"})", "false"},
    {R"({"Variable":"$.t","BooleanEqualsPath":"$.s"})", "false"},
    {R"({"Variable":"$.nul","BooleanEqualsPath":"$.f"})", "false"},
    {R"({"Variable":"$.t","BooleanEqualsPath":"$.missing"})", "States.Runtime"},
};

TEST(ChoiceRuleTest, BooleanComparisons) { RUN_EVAL_CASES(kBooleanCases); }

constexpr EvalCase kTimestampCases[] = {
    {R"({"Variable":"$.ts","TimestampEquals":"2024-01-01T12:00:00Z"})", "true"},
    {R"({"Variable":"$.ts","TimestampEquals":"2024-01-01T12:00:01Z"})", "false"},
    {R"({"Variable":"$.s","TimestampEquals":"2024-01-01T12:00:00Z"})", "false"},
    {R"({"Variable":"$.n","TimestampEquals":"2024-01-01T12:00:00Z"})", "false"},
    {R"({"Variable":"$.ts_bad","TimestampEquals":"2024-01-01T12:00:00Z"})", "false"},
    {R"({"Variable":"$.ts_date","TimestampLessThan":"2025-01-01T00:00:00Z"})", "false"},
    // Offsets are instants, not text: 13:00+01:00 and 07:00-05:00 are both 12:00Z.
    {R"({"Variable":"$.ts_offset","TimestampEquals":"2024-01-01T12:00:00Z"})", "true"},
    {R"({"Variable":"$.ts_west","TimestampEquals":"2024-01-01T13:00:00+01:00"})", "true"},
    {R"({"Variable":"$.ts","TimestampEquals":"2024-01-01T12:00:00.000Z"})", "true"},
    {R"({"Variable":"$.ts","TimestampLessThan":"2024-01-01T12:00:00.001Z"})", "true"},
    {R"({"Variable":"$.ts","TimestampLessThan":"2024-01-01T12:00:00Z"})", "false"},
    {R"({"Variable":"$.t","TimestampLessThan":"2030-01-01T00:00:00Z"})", "false"},
    {R"({"Variable":"$.ts_frac","TimestampGreaterThan":"2024-01-01T12:00:00Z"})", "true"},
    {R"({"Variable":"$.ts","TimestampGreaterThan":"2024-01-01T12:00:00.5Z"})", "false"},
    {R"({"Variable":"$.nul","TimestampGreaterThan":"2000-01-01T00:00:00Z"})", "false"},
    {R"({"Variable":"$.ts","TimestampLessThanEquals":"2024-01-01T07:00:00-05:00"})", "true"},
    {R"({"Variable":"$.ts_later","TimestampLessThanEquals":"2024-01-01T12:00:00Z"})", "false"},
    {R"({"Variable":"$.arr","TimestampLessThanEquals":"2030-01-01T00:00:00Z"})", "false"},
    {R"({"Variable":"$.ts","TimestampGreaterThanEquals":"2024-01-01T13:00:00+01:00"})", "true"},
    {R"({"Variable":"$.ts","TimestampGreaterThanEquals":"2024-01-01T12:00:00.001Z"})", "false"},
    {R"({"Variable":"$.s","TimestampGreaterThanEquals":"2000-01-01T00:00:00Z"})", "false"},
    // Fractions beyond milliseconds are truncated (time::ParseRfc3339).
    {R"({"Variable":"$.ts_nanos","TimestampEquals":"2024-01-01T12:00:00Z"})", "true"},
};

TEST(ChoiceRuleTest, TimestampComparisons) { RUN_EVAL_CASES(kTimestampCases); }

constexpr EvalCase kTimestampPathCases[] = {
    {R"({"Variable":"$.ts","TimestampEqualsPath":"$.ts_offset"})", "true"},
    {R"({"Variable":"$.ts","TimestampEqualsPath":"$.ts_later"})", "false"},
    {R"({"Variable":"$.ts","TimestampEqualsPath":"$.s"})", "false"},
    {R"({"Variable":"$.ts","TimestampLessThanPath":"$.ts_later"})", "true"},
    {R"({"Variable":"$.ts","TimestampLessThanPath":"$.ts_west"})", "false"},
    {R"({"Variable":"$.ts","TimestampLessThanPath":"$.ts_bad"})", "false"},
    {R"({"Variable":"$.ts_frac","TimestampGreaterThanPath":"$.ts_later"})", "true"},
    {R"({"Variable":"$.ts","TimestampGreaterThanPath":"$.ts_later"})", "false"},
    {R"({"Variable":"$.ts","TimestampGreaterThanPath":"$.n"})", "false"},
    {R"({"Variable":"$.ts","TimestampLessThanEqualsPath":"$.ts_west"})", "true"},
    {R"({"Variable":"$.ts_later","TimestampLessThanEqualsPath":"$.ts"})", "false"},
    {R"({"Variable":"$.s","TimestampLessThanEqualsPath":"$.ts"})", "false"},
    {R"({"Variable":"$.ts_later","TimestampGreaterThanEqualsPath":"$.ts"})", "true"},
    {R"({"Variable":"$.ts","TimestampGreaterThanEqualsPath":"$.ts_frac"})", "false"},
    {R"({"Variable":"$.ts","TimestampGreaterThanEqualsPath":"$.nul"})", "false"},
    {R"({"Variable":"$.ts","TimestampEqualsPath":"$.missing"})", "States.Runtime"},
};

TEST(ChoiceRuleTest, TimestampPathComparisons) { RUN_EVAL_CASES(kTimestampPathCases); }

// In these rows the pattern is JSON text: "\\*" is the two characters \* (a literal star) and
// "\\\\" is \\ (a literal backslash), as AWS writes them in a definition.
constexpr EvalCase kStringMatchesCases[] = {
    {R"({"Variable":"$.file","StringMatches":"log-*.txt"})", "true"},
    {R"({"Variable":"$.file","StringMatches":"log-*.csv"})", "false"},
    {R"({"Variable":"$.n","StringMatches":"*"})", "false"},
    {R"({"Variable":"$.file","StringMatches":"*"})", "true"},
    {R"({"Variable":"$.empty","StringMatches":"*"})", "true"},
    {R"({"Variable":"$.empty","StringMatches":""})", "true"},
    {R"({"Variable":"$.s","StringMatches":""})", "false"},
    {R"({"Variable":"$.file","StringMatches":"log-2024.txt"})", "true"},
    {R"({"Variable":"$.file","StringMatches":"log"})", "false"},
    {R"({"Variable":"$.file","StringMatches":"*2024*"})", "true"},
    {R"({"Variable":"$.file","StringMatches":"l**g*t"})", "true"},
    {R"({"Variable":"$.xtxt","StringMatches":"*.txt"})", "false"},
    {R"({"Variable":"$.file","StringMatches":"log-????.txt"})", "false"},
    {R"({"Variable":"$.star","StringMatches":"a\\*b"})", "true"},
    {R"({"Variable":"$.plain","StringMatches":"a\\*b"})", "false"},
    {R"({"Variable":"$.plain","StringMatches":"a*b"})", "true"},
    {R"({"Variable":"$.star","StringMatches":"*\\**"})", "true"},
    {R"({"Variable":"$.plain","StringMatches":"*\\**"})", "false"},
    {R"({"Variable":"$.bs","StringMatches":"a\\\\b"})", "true"},
    {R"({"Variable":"$.plain","StringMatches":"a\\\\b"})", "false"},
    {R"({"Variable":"$.bs","StringMatches":"a\\\\*"})", "true"},
    {R"({"Variable":"$.bs_end","StringMatches":"a\\\\"})", "true"},
    // A backslash before any other character, or at the end, is a literal backslash.
    {R"({"Variable":"$.bs","StringMatches":"a\\b"})", "true"},
    {R"({"Variable":"$.bs_end","StringMatches":"a\\"})", "true"},
};

TEST(ChoiceRuleTest, StringMatches) { RUN_EVAL_CASES(kStringMatchesCases); }

constexpr EvalCase kTypeTestCases[] = {
    {R"({"Variable":"$.nul","IsNull":true})", "true"},
    {R"({"Variable":"$.s","IsNull":true})", "false"},
    {R"({"Variable":"$.s","IsNull":false})", "true"},
    {R"({"Variable":"$.nul","IsNull":false})", "false"},
    {R"({"Variable":"$.s","IsPresent":true})", "true"},
    {R"({"Variable":"$.nul","IsPresent":true})", "true"},
    {R"({"Variable":"$.missing","IsPresent":true})", "false"},
    {R"({"Variable":"$.missing","IsPresent":false})", "true"},
    {R"({"Variable":"$.s","IsPresent":false})", "false"},
    {R"({"Variable":"$.obj.missing","IsPresent":true})", "false"},
    {R"({"Variable":"$.arr[5]","IsPresent":true})", "false"},
    {R"({"Variable":"$.arr[1]","IsPresent":true})", "true"},
    {R"({"Variable":"$.n","IsNumeric":true})", "true"},
    {R"({"Variable":"$.frac","IsNumeric":true})", "true"},
    {R"({"Variable":"$.s","IsNumeric":true})", "false"},
    {R"({"Variable":"$.s","IsNumeric":false})", "true"},
    {R"({"Variable":"$.s","IsString":true})", "true"},
    {R"({"Variable":"$.n","IsString":true})", "false"},
    {R"({"Variable":"$.nul","IsString":false})", "true"},
    {R"({"Variable":"$.f","IsBoolean":true})", "true"},
    {R"({"Variable":"$.s","IsBoolean":true})", "false"},
    {R"({"Variable":"$.t","IsBoolean":false})", "false"},
    {R"({"Variable":"$.ts","IsTimestamp":true})", "true"},
    {R"({"Variable":"$.ts_offset","IsTimestamp":true})", "true"},
    {R"({"Variable":"$.ts_frac","IsTimestamp":true})", "true"},
    {R"({"Variable":"$.ts_bad","IsTimestamp":true})", "false"},
    {R"({"Variable":"$.ts_date","IsTimestamp":true})", "false"},
    {R"({"Variable":"$.s","IsTimestamp":true})", "false"},
    {R"({"Variable":"$.n","IsTimestamp":true})", "false"},
    {R"({"Variable":"$.n","IsTimestamp":false})", "true"},
    // Only IsPresent tolerates a missing Variable.
    {R"({"Variable":"$.missing","IsNull":true})", "States.Runtime"},
    {R"({"Variable":"$.missing","IsString":false})", "States.Runtime"},
    {R"({"Variable":"$.missing","IsTimestamp":false})", "States.Runtime"},
};

TEST(ChoiceRuleTest, TypeTests) { RUN_EVAL_CASES(kTypeTestCases); }

constexpr EvalCase kVariableCases[] = {
    {R"({"Variable":"$.missing","StringEquals":"b"})", "States.Runtime"},
    {R"({"Variable":"$.missing","NumericEquals":1})", "States.Runtime"},
    {R"({"Variable":"$.missing","BooleanEquals":true})", "States.Runtime"},
    {R"({"Variable":"$.missing","TimestampEquals":"2024-01-01T12:00:00Z"})", "States.Runtime"},
    {R"({"Variable":"$.missing","StringMatches":"*"})", "States.Runtime"},
    {R"({"Variable":"$.missing","StringEqualsPath":"$.s"})", "States.Runtime"},
    {R"({"Variable":"$.obj.k","NumericEquals":1})", "true"},
    {R"({"Variable":"$.arr[0]","NumericEquals":1})", "true"},
    {R"({"Variable":"$$.Execution.Name","StringEquals":"run-1"})", "true"},
    {R"({"Variable":"$$.Execution.Name","StringEquals":"b"})", "false"},
    {R"({"Variable":"$.s","StringEqualsPath":"$$.Execution.Name"})", "false"},
    {R"({"Variable":"$$.Execution.Missing","IsPresent":true})", "false"},
};

TEST(ChoiceRuleTest, VariableLookup) { RUN_EVAL_CASES(kVariableCases); }

constexpr EvalCase kLogicCases[] = {
    {R"({"And":[{"Variable":"$.n","NumericEquals":5},{"Variable":"$.s","StringEquals":"b"}]})",
     "true"},
    {R"({"And":[{"Variable":"$.n","NumericEquals":5},{"Variable":"$.s","StringEquals":"x"}]})",
     "false"},
    {R"({"Or":[{"Variable":"$.n","NumericEquals":4},{"Variable":"$.s","StringEquals":"b"}]})",
     "true"},
    {R"({"Or":[{"Variable":"$.n","NumericEquals":4},{"Variable":"$.s","StringEquals":"x"}]})",
     "false"},
    {R"({"Not":{"Variable":"$.s","StringEquals":"b"}})", "false"},
    {R"({"Not":{"Variable":"$.s","StringEquals":"x"}})", "true"},
    {R"({"Not":{"Not":{"Variable":"$.t","BooleanEquals":true}}})", "true"},
    {R"({"And":[{"Variable":"$.t","BooleanEquals":true}]})", "true"},
    {R"({"Or":[{"Variable":"$.t","BooleanEquals":false}]})", "false"},
    {R"({"And":[{"Or":[{"Variable":"$.n","NumericLessThan":0},
                       {"Not":{"Variable":"$.s","StringEquals":"x"}}]},
                {"Variable":"$.ts","IsTimestamp":true}]})",
     "true"},
    {R"({"Or":[{"And":[{"Variable":"$.n","NumericGreaterThan":0},
                       {"Variable":"$.nul","IsNull":false}]},
               {"Not":{"Variable":"$.f","BooleanEquals":false}}]})",
     "false"},
    // And and Or stop at the first deciding rule: IsPresent guards what follows.
    {R"({"And":[{"Variable":"$.missing","IsPresent":true},
                {"Variable":"$.missing","StringEquals":"x"}]})",
     "false"},
    {R"({"Or":[{"Variable":"$.s","IsPresent":true},
               {"Variable":"$.missing","StringEquals":"x"}]})",
     "true"},
    {R"({"Or":[{"Variable":"$.s","IsPresent":false},
               {"Variable":"$.missing","StringEquals":"x"}]})",
     "States.Runtime"},
    {R"({"Not":{"Variable":"$.missing","NumericEquals":1}})", "States.Runtime"},
};

TEST(ChoiceRuleTest, AndOrNot) { RUN_EVAL_CASES(kLogicCases); }

struct MessageCase {
  std::string_view rule;
  std::string_view path;
};

constexpr MessageCase kMessageCases[] = {
    {R"({"Variable":"$.nope.deeper","StringEquals":"b"})", "$.nope.deeper"},
    {R"({"Variable":"$.s","NumericEqualsPath":"$.gone"})", "$.gone"},
};

TEST(ChoiceRuleTest, MissingVariableMessageNamesThePath) {
  Json input = Json::parse(kInput);
  Json context = Json::object();
  for (const MessageCase& c : kMessageCases) {
    json::Result<ChoiceRule> rule = ChoiceRule::Compile(Json::parse(c.rule), false);
    ASSERT_TRUE(rule.ok()) << c.rule << ": " << rule.error().message;
    json::Result<bool> got = rule.value().Evaluate(EvalContext{input, context});
    ASSERT_FALSE(got.ok()) << c.rule;
    EXPECT_EQ(got.error(),
              (json::Error{"States.Runtime", "Invalid path '" + std::string(c.path) +
                                                 "': The choice state's condition path references "
                                                 "an invalid value."}))
        << c.rule;
  }
}

struct CompileErrorCase {
  std::string_view rule;
  bool top_level;
  std::string_view want_name;
  std::string_view message_has;  // the field the message names
};

constexpr std::string_view kSchema = "SCHEMA_VALIDATION_FAILED";
constexpr std::string_view kBadPath = "INVALID_JSON_PATH";

constexpr CompileErrorCase kCompileErrorCases[] = {
    // Operators: exactly one.
    {R"({"Variable":"$.a"})", false, kSchema, "operator"},
    {R"({"Variable":"$.a","Next":"X"})", true, kSchema, "operator"},
    {R"({})", false, kSchema, "operator"},
    {R"({"Variable":"$.a","StringEquals":"x","NumericEquals":1})", false, kSchema, "NumericEquals"},
    {R"({"Variable":"$.a","IsNull":true,"IsPresent":true})", false, kSchema, "IsNull"},
    {R"({"And":[{"Variable":"$.a","IsNull":true}],"Not":{"Variable":"$.a","IsNull":true}})", false,
     kSchema, "And"},
    {R"({"Variable":"$.a","StringEquals":"x","StringEqualsPath":"$.b"})", false, kSchema,
     "StringEqualsPath"},
    // Operand types.
    {R"({"Variable":"$.a","StringEquals":1})", false, kSchema, "StringEquals"},
    {R"({"Variable":"$.a","StringLessThan":null})", false, kSchema, "StringLessThan"},
    {R"({"Variable":"$.a","StringGreaterThanEquals":true})", false, kSchema,
     "StringGreaterThanEquals"},
    {R"({"Variable":"$.a","StringMatches":["*"]})", false, kSchema, "StringMatches"},
    {R"({"Variable":"$.a","NumericEquals":"1"})", false, kSchema, "NumericEquals"},
    {R"({"Variable":"$.a","NumericLessThanEquals":null})", false, kSchema, "NumericLessThanEquals"},
    {R"({"Variable":"$.a","BooleanEquals":"true"})", false, kSchema, "BooleanEquals"},
    {R"({"Variable":"$.a","BooleanEquals":1})", false, kSchema, "BooleanEquals"},
    {R"({"Variable":"$.a","TimestampEquals":5})", false, kSchema, "TimestampEquals"},
    {R"({"Variable":"$.a","IsNull":"true"})", false, kSchema, "IsNull"},
    {R"({"Variable":"$.a","IsPresent":1})", false, kSchema, "IsPresent"},
    {R"({"Variable":"$.a","IsNumeric":null})", false, kSchema, "IsNumeric"},
    {R"({"Variable":"$.a","IsString":"yes"})", false, kSchema, "IsString"},
    {R"({"Variable":"$.a","IsBoolean":0})", false, kSchema, "IsBoolean"},
    {R"({"Variable":"$.a","IsTimestamp":{}})", false, kSchema, "IsTimestamp"},
    // Timestamp literals must parse.
    {R"({"Variable":"$.a","TimestampEquals":"yesterday"})", false, kSchema, "TimestampEquals"},
    {R"({"Variable":"$.a","TimestampLessThan":"2024-01-01"})", false, kSchema, "TimestampLessThan"},
    {R"({"Variable":"$.a","TimestampGreaterThan":"2024-01-01T12:00:00"})", false, kSchema,
     "TimestampGreaterThan"},
    {R"({"Variable":"$.a","TimestampGreaterThanEquals":"2024-02-30T12:00:00Z"})", false, kSchema,
     "TimestampGreaterThanEquals"},
    // Variable and *Path operands: strings holding reference paths.
    {R"({"StringEquals":"x"})", false, kSchema, "Variable"},
    {R"({"Variable":5,"StringEquals":"x"})", false, kSchema, "Variable"},
    {R"({"Variable":null,"IsPresent":true})", false, kSchema, "Variable"},
    {R"({"Variable":"$.a","StringEqualsPath":5})", false, kSchema, "StringEqualsPath"},
    {R"({"Variable":"$.a","NumericLessThanPath":1})", false, kSchema, "NumericLessThanPath"},
    {R"({"Variable":"$.a","BooleanEqualsPath":true})", false, kSchema, "BooleanEqualsPath"},
    {R"({"Variable":"$.a","TimestampEqualsPath":null})", false, kSchema, "TimestampEqualsPath"},
    {R"({"Variable":"foo","StringEquals":"x"})", false, kBadPath, "Variable"},
    {R"({"Variable":"$.a[*]","StringEquals":"x"})", false, kBadPath, "Variable"},
    {R"({"Variable":"$..a","IsPresent":true})", false, kBadPath, "Variable"},
    {R"({"Variable":"","IsPresent":true})", false, kBadPath, "Variable"},
    {R"({"Variable":"$.a","StringEqualsPath":"$.b[*]"})", false, kBadPath, "StringEqualsPath"},
    {R"({"Variable":"$.a","NumericGreaterThanPath":"b"})", false, kBadPath,
     "NumericGreaterThanPath"},
    {R"({"Variable":"$.a","TimestampLessThanEqualsPath":"$.b[?(@.c)]"})", false, kBadPath,
     "TimestampLessThanEqualsPath"},
    // And/Or/Not: shapes, no Variable.
    {R"({"And":[]})", false, kSchema, "And"},
    {R"({"Or":[]})", false, kSchema, "Or"},
    {R"({"And":{"Variable":"$.a","IsNull":true}})", false, kSchema, "And"},
    {R"({"Or":"x"})", false, kSchema, "Or"},
    {R"({"Not":[{"Variable":"$.a","IsNull":true}]})", false, kSchema, "Not"},
    {R"({"Not":null})", false, kSchema, "Not"},
    {R"({"Variable":"$.a","And":[{"Variable":"$.a","IsNull":true}]})", false, kSchema, "Variable"},
    {R"({"Variable":"$.a","Not":{"Variable":"$.a","IsNull":true}})", false, kSchema, "Variable"},
    {R"({"And":[5]})", false, kSchema, "And[0]"},
    {R"({"Or":[{"Variable":"$.a","IsNull":true},{"Variable":"$.a","IsNull":"x"}]})", false, kSchema,
     "Or[1]"},
    {R"({"Not":{"And":[{"Variable":"$.a","NumericEquals":"1"}]}})", false, kSchema, "Not.And[0]"},
    {R"({"Not":{"Variable":"$.a[*]","IsNull":true}})", false, kBadPath, "Not"},
    // Next: required at top level, forbidden below.
    {R"({"Variable":"$.a","IsNull":true})", true, kSchema, "Next"},
    {R"({"And":[{"Variable":"$.a","IsNull":true}]})", true, kSchema, "Next"},
    {R"({"Variable":"$.a","IsNull":true,"Next":5})", true, kSchema, "Next"},
    {R"({"Variable":"$.a","IsNull":true,"Next":"X"})", false, kSchema, "Next"},
    {R"({"And":[{"Variable":"$.a","IsNull":true,"Next":"X"}],"Next":"Y"})", true, kSchema, "Next"},
    // Unknown fields, including near misses of real ones.
    {R"({"Variable":"$.a","IsNull":true,"Foo":1})", false, kSchema, "Foo"},
    {R"({"Variable":"$.a","IsNull":true,"Next":"X","Default":"Y"})", true, kSchema, "Default"},
    {R"({"Variable":"$.a","stringEquals":"x"})", false, kSchema, "stringEquals"},
    {R"({"Variable":"$.a","StringMatchesPath":"$.b"})", false, kSchema, "StringMatchesPath"},
    {R"({"Variable":"$.a","IsNullPath":"$.b"})", false, kSchema, "IsNullPath"},
    {R"({"Variable":"$.a","Condition":"{% true %}"})", false, kSchema, "Condition"},
    {R"({"Variable":"$.a","IsNull":true,"Comment":5})", false, kSchema, "Comment"},
    // Not an object at all.
    {R"("StringEquals")", false, kSchema, "object"},
    {R"([{"Variable":"$.a","IsNull":true}])", true, kSchema, "object"},
    {R"(null)", false, kSchema, "object"},
};

TEST(ChoiceRuleTest, CompileErrors) {
  for (const CompileErrorCase& c : kCompileErrorCases) {
    json::Result<ChoiceRule> got = ChoiceRule::Compile(Json::parse(c.rule), c.top_level);
    ASSERT_FALSE(got.ok()) << c.rule;
    EXPECT_EQ(got.error().name, c.want_name) << c.rule << ": " << got.error().message;
    EXPECT_NE(got.error().message.find(c.message_has), std::string::npos)
        << c.rule << ": " << got.error().message;
  }
}

struct CompileOkCase {
  std::string_view rule;
  bool top_level;
};

constexpr CompileOkCase kCompileOkCases[] = {
    {R"({"Variable":"$.a","StringEquals":"x","Next":"X"})", true},
    {R"({"Variable":"$.a","StringEquals":"x","Next":"X","Comment":"why"})", true},
    {R"({"Variable":"$.a","StringEquals":"x","Comment":"why"})", false},
    {R"({"Variable":"$","IsPresent":true})", false},
    {R"({"Variable":"$$.Execution.Input.a","NumericEquals":-1.5})", false},
    {R"({"Variable":"$.a[0].b","TimestampEquals":"2024-01-01T00:00:00.123+05:30"})", false},
    {R"({"Variable":"$.a","StringMatches":""})", false},
    {R"({"Variable":"$.a","BooleanEqualsPath":"$$.Execution.Input.b"})", false},
    {R"({"And":[{"Variable":"$.a","IsNull":true}],"Next":"X","Comment":"c"})", true},
    {R"({"Not":{"Or":[{"Variable":"$.a","IsNull":true}]},"Next":"X"})", true},
};

TEST(ChoiceRuleTest, CompilesValidRules) {
  for (const CompileOkCase& c : kCompileOkCases) {
    json::Result<ChoiceRule> got = ChoiceRule::Compile(Json::parse(c.rule), c.top_level);
    EXPECT_TRUE(got.ok()) << c.rule << ": " << got.error().message;
  }
}

// {"Not": {"Not": ... {"Variable":"$.t","BooleanEquals":true} }}, `depth` Nots deep.
Json NestedNots(int depth) {
  Json rule = {{"Variable", "$.t"}, {"BooleanEquals", true}};
  for (int i = 0; i < depth; ++i) rule = Json{{"Not", std::move(rule)}};
  return rule;
}

TEST(ChoiceRuleTest, DeepNestingIsAnErrorNotACrash) {
  for (int depth : {65, 1000, 10000}) {
    json::Result<ChoiceRule> got = ChoiceRule::Compile(NestedNots(depth), false);
    ASSERT_FALSE(got.ok()) << depth;
    EXPECT_EQ(got.error().name, "SCHEMA_VALIDATION_FAILED") << depth;
    EXPECT_NE(got.error().message.find("nest"), std::string::npos) << got.error().message;
  }
}

TEST(ChoiceRuleTest, NestingUpToTheLimitEvaluates) {
  Json input = Json::parse(kInput);
  Json context = Json::object();
  for (int depth : {63, 64}) {
    json::Result<ChoiceRule> got = ChoiceRule::Compile(NestedNots(depth), false);
    ASSERT_TRUE(got.ok()) << depth << ": " << got.error().message;
    json::Result<bool> value = got.value().Evaluate(EvalContext{input, context});
    ASSERT_TRUE(value.ok()) << depth;
    EXPECT_EQ(value.value(), depth % 2 == 0) << depth;
  }
}

TEST(ChoiceRuleTest, CompiledRuleIsReusable) {
  json::Result<ChoiceRule> rule = ChoiceRule::Compile(
      Json::parse(R"({"Variable":"$.v","NumericGreaterThan":10,"Next":"X"})"), true);
  ASSERT_TRUE(rule.ok()) << rule.error().message;
  ChoiceRule copy = rule.value();
  Json context = Json::object();
  Json big = {{"v", 11}};
  Json small = {{"v", 10}};
  json::Result<bool> a = copy.Evaluate(EvalContext{big, context});
  json::Result<bool> b = copy.Evaluate(EvalContext{small, context});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a.value());
  EXPECT_FALSE(b.value());
}

}  // namespace
}  // namespace timeslip::query

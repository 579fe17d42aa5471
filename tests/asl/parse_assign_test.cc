// Assign and variable references at creation: what a definition may say, and what is refused.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "emulator/asl/parse_definition.h"

namespace timeslip::asl {
namespace {

std::string Machine(std::string_view states) {
  return fmt::format(R"({{"StartAt":"S","States":{{{}}}}})", states);
}

std::string Describe(const ParseResult& result) {
  std::string out;
  for (const Diagnostic& d : result.diagnostics) {
    out += fmt::format("{} at '{}': {}\n", d.code, d.location, d.message);
  }
  return out;
}

TEST(ParseAssignTest, VariablesAreReadWhereverAwsReadsThem) {
  ParseResult result = ParseDefinition(Machine(R"j(
      "S":{"Type":"Pass","InputPath":"$v","OutputPath":"$v.a","Parameters":{"x.$":"$v"},
           "Assign":{"v":{"a":1},"n":1,"t":"2024-01-01T00:00:00Z","e":"E"},"Next":"C"},
      "C":{"Type":"Choice","Choices":[{"Variable":"$n","NumericEqualsPath":"$n","Next":"W",
                                       "Assign":{"picked":true}}],
           "Assign":{"picked":false},"Default":"W"},
      "W":{"Type":"Wait","SecondsPath":"$n","Assign":{"w":1},"Next":"W2"},
      "W2":{"Type":"Wait","TimestampPath":"$t","Next":"M"},
      "M":{"Type":"Map","ItemsPath":"$v.list","MaxConcurrencyPath":"$n",
           "ItemSelector":{"i.$":"States.Format('{}', $n)"},
           "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},
           "Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"err.$":"$.Error"},"Next":"F"}],
           "Next":"T"},
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSecondsPath":"$n",
           "HeartbeatSecondsPath":"$n","Parameters":{"FunctionName.$":"$e"},"Next":"F"},
      "F":{"Type":"Fail","ErrorPath":"$e","CausePath":"States.Format('{}', $e)"})j"));
  EXPECT_TRUE(result.machine != nullptr) << Describe(result);
  const StateMachine& m = *result.machine;
  EXPECT_TRUE(m.state(0).assignments);
  EXPECT_TRUE(m.state(1).choices[0].assignments);
  EXPECT_TRUE(m.state(m.FindState("M")).catchers[0].assignments);
}

struct RefusedCase {
  std::string_view name;
  std::string_view states;
  std::string_view code;
  std::string_view location;
  std::string_view message;  // a part of it
};

constexpr RefusedCase kRefused[] = {
    {"not an object", R"("S":{"Type":"Pass","Assign":[1],"End":true})", "SCHEMA_VALIDATION_FAILED",
     "/States/S/Assign", "must be an OBJECT"},
    {"bad name", R"("S":{"Type":"Pass","Assign":{"a-b":1},"End":true})", "SCHEMA_VALIDATION_FAILED",
     "/States/S/Assign", "The variable name 'a-b' is not valid"},
    {"bad name from a path", R"("S":{"Type":"Pass","Assign":{"1a.$":"$"},"End":true})",
     "SCHEMA_VALIDATION_FAILED", "/States/S/Assign", "The variable name '1a' is not valid"},
    {"reserved", R"("S":{"Type":"Pass","Assign":{"states":1},"End":true})",
     "SCHEMA_VALIDATION_FAILED", "/States/S/Assign", "'states' is reserved"},
    {"twice", R"("S":{"Type":"Pass","Assign":{"x":1,"x.$":"$"},"End":true})",
     "SCHEMA_VALIDATION_FAILED", "/States/S/Assign", "'x' is assigned more than once"},
    {"bad path", R"("S":{"Type":"Pass","Assign":{"x.$":"nope"},"End":true})", "INVALID_JSON_PATH",
     "/States/S/Assign",
     "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call"},
    {"bad variable in a path", R"("S":{"Type":"Pass","InputPath":"$a-b","End":true})",
     "INVALID_JSON_PATH", "/States/S/InputPath", "must be a valid JSONPath"},
    {"ResultPath", R"("S":{"Type":"Pass","ResultPath":"$x","End":true})", "INVALID_JSON_PATH",
     "/States/S/ResultPath", "ResultPath cannot set variables"},
    {"Catch ResultPath", R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$x","Next":"E"}],"End":true},
        "E":{"Type":"Succeed"})",
     "INVALID_JSON_PATH", "/States/S/Catch/0/ResultPath", "ResultPath cannot set variables"},
    {"outer name in a branch", R"("S":{"Type":"Pass","Assign":{"x":1},"Next":"P"},
        "P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{
          "B":{"Type":"Pass","Assign":{"x":2},"End":true}}}],"End":true})",
     "SCHEMA_VALIDATION_FAILED", "/States/P/Branches/0/States/B/Assign",
     "The variable 'x' is assigned in an outer scope"},
    {"outer name assigned later, in an iteration's Catch",
     R"("S":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{
          "I":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
               "Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"y":1},"Next":"J"}],
               "End":true},
          "J":{"Type":"Succeed"}}},"Next":"L"},
        "L":{"Type":"Pass","Assign":{"y":2},"End":true})",
     "SCHEMA_VALIDATION_FAILED", "/States/S/ItemProcessor/States/I/Catch/0/Assign",
     "The variable 'y' is assigned in an outer scope"},
};

TEST(ParseAssignTest, RefusesWhatAwsRefuses) {
  for (const RefusedCase& c : kRefused) {
    ParseResult result = ParseDefinition(Machine(c.states));
    EXPECT_EQ(result.machine, nullptr) << c.name;
    bool found = false;
    for (const Diagnostic& d : result.diagnostics) {
      found = found || (d.code == c.code && d.location == c.location &&
                        d.message.find(c.message) != std::string::npos);
    }
    EXPECT_TRUE(found) << c.name << "\n" << Describe(result);
  }
}

TEST(ParseAssignTest, SiblingScopesMayShareNames) {
  ParseResult result = ParseDefinition(Machine(R"(
      "S":{"Type":"Parallel","Branches":[
          {"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"End":true}}},
          {"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"x":2},"End":true}}}],
        "Assign":{"y.$":"$"},"End":true})"));
  EXPECT_TRUE(result.machine != nullptr) << Describe(result);
}

TEST(ParseAssignTest, JsonataStatesKeepTheirAssignForRunTime) {
  ParseResult result = ParseDefinition(R"({"QueryLanguage":"JSONata","StartAt":"S","States":{
      "S":{"Type":"Pass","Assign":{"x":"{% $states.input %}","y":"$.literal"},"End":true}}})");
  ASSERT_TRUE(result.machine != nullptr) << Describe(result);
  EXPECT_TRUE(result.machine->state(0).assignments);
}

}  // namespace
}  // namespace timeslip::asl

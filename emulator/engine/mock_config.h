#pragma once
// MockConfig: the mock configuration file of AWS's Step Functions Local, so teams that test with
// it move over without rewriting it.
// https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html
//
//   {"StateMachines": {"<machine name>": {"TestCases": {"<test case>": {"<state>": "<response>"}}}},
//    "MockedResponses": {"<response>": {"0": {"Return": {...}},
//                                       "1-2": {"Throw": {"Error": "...", "Cause": "..."}}}}}
//
// An execution started on "<state machine ARN>#<test case>" runs its named Task states on the
// mocked responses instead of their integrations: invocation n of a state (counting every
// attempt, retries included, 0-based) gets the response whose key covers n ("3" or "1-2").
// Task states the test case does not name call their integrations as usual.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/json/result.h"

namespace timeslip::engine {

struct MockedResponse {
  int first = 0;  // the invocations this covers, inclusive
  int last = 0;
  std::optional<nlohmann::ordered_json> result;  // "Return"
  std::string error;                      // "Throw": Error and Cause
  std::string cause;
};

// One test case: state name -> its mocked responses, in key order.
using MockTestCase = std::map<std::string, std::vector<MockedResponse>>;

class MockConfig {
 public:
  // Parses and checks the whole file: every test case's response exists, every response has
  // exactly one of Return/Throw, keys are "n" or "n-m" and do not overlap. Errors:
  // Error{"ValidationException", message naming the field}. Never aborts.
  static json::Result<MockConfig> Parse(std::string_view text);

  // The test case `test_case` of the machine named `machine`, or nullptr.
  std::shared_ptr<const MockTestCase> Find(const std::string& machine,
                                           const std::string& test_case) const;

 private:
  // machine -> test case -> responses by state
  std::map<std::string, std::map<std::string, std::shared_ptr<const MockTestCase>>> cases_;
};

// The response for invocation `n`, or nullptr when none covers it.
const MockedResponse* FindMockedResponse(const std::vector<MockedResponse>& responses, int n);

}  // namespace timeslip::engine

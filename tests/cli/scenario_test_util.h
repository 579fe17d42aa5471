#pragma once
// Helpers for scenario tests: scenarios from inline text, with an approval state machine.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "emulator/cli/scenario_file.h"
#include "emulator/cli/scenario_runner.h"

namespace timeslip::cli {

// A Pass, then a .waitForTaskToken approval (TimeoutSeconds 3600, HeartbeatSeconds 1800), then
// an SNS publish.
inline constexpr std::string_view kApprovalMachine = R"({
  "StartAt": "Prepare",
  "States": {
    "Prepare": {"Type": "Pass", "Next": "ManualApproval"},
    "ManualApproval": {"Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "Parameters": {"FunctionName": "approve", "Payload": {"token.$": "$$.Task.Token"}},
      "TimeoutSeconds": 3600, "HeartbeatSeconds": 1800, "Next": "Publish"},
    "Publish": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
      "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Subject": "Done <ok>",
                     "Message": "m"},
      "ResultPath": null, "End": true}}})";

// A scenario around kApprovalMachine with `extra` fields (",\"actors\": [...]").
inline std::string ApprovalScenario(std::string_view extra) {
  return std::string(R"({"name": "t", "startTime": "2024-01-01T01:00:00Z",
    "stateMachines": {"m": {"definition": )") +
         std::string(kApprovalMachine) + R"(}}, "start": {"stateMachine": "m", "name": "run-1"})" +
         std::string(extra) + "}";
}

inline Scenario ParseOne(std::string_view text) {
  json::Result<std::vector<Scenario>> parsed = ParseScenarioText(text, "test.json", "");
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  if (!parsed.ok() || parsed.value().size() != 1) return Scenario{};
  return parsed.value().front();
}

inline std::string ParseError(std::string_view text) {
  json::Result<std::vector<Scenario>> parsed = ParseScenarioText(text, "test.json", "");
  if (parsed.ok()) return "(parsed)";
  EXPECT_EQ(parsed.error().name, kScenarioError);
  return parsed.error().message;
}

}  // namespace timeslip::cli

#pragma once
// AWS's rules for resource names and the ARNs built from them (account 123456789012).
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html

#include <string>
#include <string_view>

#include "emulator/engine/limits.h"
#include "emulator/json/result.h"

namespace timeslip::engine {

inline constexpr std::string_view kAccountId = "123456789012";

// 1 to kMaxNameLength characters; no whitespace, brackets, wildcards, special characters
// (" # % \ ^ | ~ ` $ & , ; : /) or control characters. Error{"InvalidName", ...} naming `what`.
json::Status CheckName(std::string_view name, std::string_view what);

std::string StateMachineArn(std::string_view region, std::string_view name);
std::string ActivityArn(std::string_view region, std::string_view name);
// Standard: arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME. Express executions (given
// `express_run_id`, a fresh id per run since names may repeat) end
// express:MACHINE:NAME:RUN_ID, as AWS's do.
std::string ExecutionArn(std::string_view region, std::string_view state_machine_name,
                         std::string_view execution_name, std::string_view express_run_id = {});

// The parts of a Step Functions ARN: arn:aws:states:REGION:ACCOUNT:KIND:NAME[:SUB[:RUN_ID]].
struct ArnParts {
  std::string region;
  std::string account;
  std::string kind;  // stateMachine, execution, express, activity
  std::string name;
  std::string sub;   // the execution name in an execution ARN
  std::string run_id;  // an Express execution ARN's last part
};
// Error{"InvalidArn", ...} when `arn` is not a well-formed Step Functions ARN of `kind`
// ("execution" accepts "express" too).
json::Result<ArnParts> ParseArn(std::string_view arn, std::string_view kind);

}  // namespace timeslip::engine

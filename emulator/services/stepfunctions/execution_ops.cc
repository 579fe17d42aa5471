// StartExecution, StartSyncExecution, StopExecution, DescribeExecution,
// DescribeStateMachineForExecution, ListExecutions, GetExecutionHistory, RedriveExecution.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "emulator/host/common_errors.h"
#include "emulator/services/stepfunctions/service_internal.h"

namespace timeslip::services::stepfunctions {
namespace {

using host::kServiceUnavailable;
using host::kValidationException;

json::Status CheckStartInput(const Json& in, bool sync) {
  if (sync) {
    return CheckFields(
        in, {kArnField("stateMachineArn"), kNameField, kInputField, kTraceHeader, kIncludedData});
  }
  return CheckFields(in, {kArnField("stateMachineArn"), kNameField, kInputField, kTraceHeader});
}

// AWS keeps nothing of an Express execution to describe or page through (its log is the
// record): DescribeExecution, DescribeStateMachineForExecution and GetExecutionHistory refuse an
// Express execution ARN by its form, whether or not such an execution ran.
json::Status RefuseExpressArn(const std::string& arn) {
  json::Result<engine::ArnParts> parts = engine::ParseArn(arn, "execution");
  if (parts.ok() && parts.value().kind == "express") {
    return json::Error{"InvalidArn",
                       "Invalid Arn: 'Resource type not valid in this context: express'"};
  }
  return json::Ok();
}

engine::StartExecutionParams StartParams(const Json& in) {
  engine::StartExecutionParams params;
  params.state_machine_arn = GetString(in, "stateMachineArn");
  if (Has(in, "name")) params.name = GetString(in, "name");
  if (Has(in, "input")) params.input = GetString(in, "input");
  return params;
}

OpResult StartExecution(State& s, const Json& in, const std::string&) {
  if (auto st = CheckStartInput(in, false); !st.ok()) return st.error();
  engine::StartExecutionParams params = StartParams(in);
  json::Result<engine::Execution*> started = s.emulator().StartExecution(params);
  if (!started.ok()) return started.error();
  return Json{{"executionArn", started.value()->arn()},
              {"startDate", TimestampJson(started.value()->start_date())}};
}

void StartSyncExecution(State& s, const Json& in, const std::string&, OpReply reply) {
  if (auto st = CheckStartInput(in, true); !st.ok()) return reply(st.error());
  engine::StartExecutionParams params = StartParams(in);
  auto machine = s.emulator().DescribeStateMachine(params.state_machine_arn);
  if (!machine.ok()) return reply(machine.error());
  if (machine.value()->type != engine::MachineType::kExpress) {
    return reply(json::Error{"StateMachineTypeNotSupported",
                             "This operation is not supported by this type of state machine: "
                             "StartSyncExecution runs EXPRESS state machines only."});
  }
  json::Result<engine::Execution*> started = s.emulator().StartExecution(params);
  if (!started.ok()) return reply(started.error());
  engine::Execution& execution = *started.value();
  if (execution.status() != engine::ExecutionStatus::kRunning) return reply(SyncResult(execution));
  if (s.host.shutting_down()) {
    return reply(json::Error{std::string(kServiceUnavailable), "The server is shutting down."});
  }
  s.sync_waiters[execution.arn()].push_back(std::move(reply));
}

OpResult StopExecution(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(in, {kArnField("executionArn"), kErrorField, kCauseField}); !st.ok()) {
    return st.error();
  }
  std::string arn = GetString(in, "executionArn");
  if (auto st = s.emulator().StopExecution(arn, GetString(in, "error"), GetString(in, "cause"));
      !st.ok()) {
    return st.error();
  }
  auto execution = s.emulator().DescribeExecution(arn);
  if (!execution.ok()) return execution.error();
  time::Instant stop = execution.value()->stop_date().value_or(s.emulator().clock().Now());
  return Json{{"stopDate", TimestampJson(stop)}};
}

OpResult DescribeExecution(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(in, {kArnField("executionArn"), kIncludedData}); !st.ok()) {
    return st.error();
  }
  const std::string arn = GetString(in, "executionArn");
  if (auto st = RefuseExpressArn(arn); !st.ok()) return st.error();
  auto execution = s.emulator().DescribeExecution(arn);
  if (!execution.ok()) return execution.error();
  return DescribeExecutionJson(*execution.value());
}

OpResult DescribeStateMachineForExecution(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(in, {kArnField("executionArn"), kIncludedData}); !st.ok()) {
    return st.error();
  }
  std::string arn = GetString(in, "executionArn");
  if (auto st = RefuseExpressArn(arn); !st.ok()) return st.error();
  auto execution = s.emulator().DescribeExecution(arn);
  if (!execution.ok()) return execution.error();
  // The machine as it was when the execution started: its revision, kept by the execution.
  const std::shared_ptr<const engine::StateMachineRecord>& snapshot =
      execution.value()->machine_record();
  Json logging = snapshot->logging_configuration;
  if (!logging.is_object() || logging.empty()) {
    logging = {{"level", "OFF"}, {"includeExecutionData", false}};
  }
  Json tracing = snapshot->tracing_configuration;
  if (!tracing.is_object() || tracing.empty()) tracing = {{"enabled", false}};
  return Json{
      {"stateMachineArn", snapshot->arn},
      {"name", snapshot->name},
      {"definition", snapshot->definition},
      {"roleArn", snapshot->role_arn},
      {"updateDate", TimestampJson(snapshot->update_date.value_or(snapshot->creation_date))},
      {"loggingConfiguration", std::move(logging)},
      {"tracingConfiguration", std::move(tracing)},
      {"revisionId", snapshot->revision_id}};
}

// Newest first. The token holds the start-order index to continue from: executions are never
// removed, so the index stays put while new ones start.
OpResult ListExecutions(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(
          in, {kArnField("stateMachineArn", false),
               {.name = "statusFilter",
                .enum_values = "RUNNING,SUCCEEDED,FAILED,TIMED_OUT,ABORTED,PENDING_REDRIVE"},
               kMaxResults,
               {.name = "nextToken", .min = 1, .max = 3096},
               {.name = "mapRunArn", .min = 1, .max = 2000},
               {.name = "redriveFilter", .enum_values = "REDRIVEN,NOT_REDRIVEN"}});
      !st.ok()) {
    return st.error();
  }
  if (Has(in, "mapRunArn")) {
    if (Has(in, "stateMachineArn")) {
      return json::Error{std::string(kValidationException),
                         "Only one of stateMachineArn and mapRunArn may be given."};
    }
    return json::Error{"ResourceNotFound",
                       fmt::format("Resource not found: '{}'", GetString(in, "mapRunArn"))};
  }
  if (!Has(in, "stateMachineArn")) {
    return json::Error{std::string(kValidationException),
                       "Must provide a StateMachine ARN or MapRun ARN"};
  }
  const std::string machine_arn = GetString(in, "stateMachineArn");
  auto machine = s.emulator().DescribeStateMachine(machine_arn);
  if (!machine.ok()) return machine.error();
  if (machine.value()->type == engine::MachineType::kExpress) {
    return json::Error{"StateMachineTypeNotSupported",
                       "This operation is not supported by this type of state machine: "
                       "ListExecutions lists STANDARD executions only."};
  }
  const std::string status = GetString(in, "statusFilter");
  const std::string redrive = GetString(in, "redriveFilter");
  const std::string scope = fmt::format("ListExecutions\n{}\n{}\n{}", machine_arn, status, redrive);
  // Start order of this machine's executions only: an index that stays put while new ones start.
  const std::vector<engine::Execution*>& all = s.emulator().engine().executions_of(machine_arn);
  std::size_t next = all.size();  // one past the next index to look at, going down
  if (Has(in, "nextToken")) {
    json::Result<std::string> pos = DecodePageToken(GetString(in, "nextToken"), scope);
    if (!pos.ok()) return pos.error();
    char* end = nullptr;
    unsigned long long n = std::strtoull(pos.value().c_str(), &end, 10);
    if (pos.value().empty() || *end != '\0' || n > all.size()) {
      return json::Error{"InvalidToken",
                         fmt::format("Invalid Token: '{}'", GetString(in, "nextToken"))};
    }
    next = static_cast<std::size_t>(n);
  }
  auto matches = [&](const engine::Execution& e) {
    if (!status.empty() && engine::StatusName(e.status()) != status) return false;
    if (redrive == "REDRIVEN" && e.redrive_count() == 0) return false;
    if (redrive == "NOT_REDRIVEN" && e.redrive_count() > 0) return false;
    return true;
  };
  const std::size_t page = PageSize(in);
  Json items = Json::array();
  while (next > 0) {
    const engine::Execution& e = *all[next - 1];
    if (!matches(e)) {
      --next;
      continue;
    }
    if (items.size() == page) break;
    items.push_back(ExecutionListItemJson(e));
    --next;
  }
  Json out = {{"executions", std::move(items)}};
  if (next > 0) out["nextToken"] = EncodePageToken(scope, std::to_string(next));
  return out;
}

OpResult GetExecutionHistory(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(in, {kArnField("executionArn"),
                                 kMaxResults,
                                 {.name = "reverseOrder", .kind = FieldKind::kBoolean},
                                 kNextToken,
                                 {.name = "includeExecutionData", .kind = FieldKind::kBoolean}});
      !st.ok()) {
    return st.error();
  }
  const std::string arn = GetString(in, "executionArn");
  if (auto st = RefuseExpressArn(arn); !st.ok()) return st.error();
  auto execution = s.emulator().DescribeExecution(arn);
  if (!execution.ok()) return execution.error();
  const std::vector<engine::HistoryEvent>& events = execution.value()->history();
  const bool reverse = GetBool(in, "reverseOrder", false);
  const bool data = GetBool(in, "includeExecutionData", true);
  const std::string scope =
      fmt::format("GetExecutionHistory\n{}\n{}", arn, reverse ? "reverse" : "forward");
  // Forward: the index of the next event. Reverse: one past it (events only ever get appended).
  std::size_t pos = reverse ? events.size() : 0;
  if (Has(in, "nextToken")) {
    json::Result<std::string> token = DecodePageToken(GetString(in, "nextToken"), scope);
    if (!token.ok()) return token.error();
    char* end = nullptr;
    unsigned long long n = std::strtoull(token.value().c_str(), &end, 10);
    if (token.value().empty() || *end != '\0' || n > events.size()) {
      return json::Error{"InvalidToken",
                         fmt::format("Invalid Token: '{}'", GetString(in, "nextToken"))};
    }
    pos = static_cast<std::size_t>(n);
  }
  const std::size_t page = PageSize(in);
  Json items = Json::array();
  if (reverse) {
    while (pos > 0 && items.size() < page) items.push_back(engine::ToWireJson(events[--pos], data));
  } else {
    while (pos < events.size() && items.size() < page) {
      items.push_back(engine::ToWireJson(events[pos++], data));
    }
  }
  Json out = {{"events", std::move(items)}};
  const bool more = reverse ? pos > 0 : pos < events.size();
  if (more) out["nextToken"] = EncodePageToken(scope, std::to_string(pos));
  return out;
}

OpResult RedriveExecution(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(
          in, {kArnField("executionArn"), {.name = "clientToken", .min = 1, .max = 64}});
      !st.ok()) {
    return st.error();
  }
  const std::string arn = GetString(in, "executionArn");
  if (auto st = s.emulator().RedriveExecution(arn); !st.ok()) return st.error();
  auto execution = s.emulator().DescribeExecution(arn);
  if (!execution.ok()) return execution.error();
  time::Instant date = execution.value()->redrive_date().value_or(s.emulator().clock().Now());
  return Json{{"redriveDate", TimestampJson(date)}};
}

}  // namespace

// StartSyncExecution's answer once the execution has ended. Express workflows are billed in
// 64 MB and 100 ms increments: https://aws.amazon.com/step-functions/pricing/
Json SyncResult(const engine::Execution& e) {
  using engine::ExecutionStatus;
  // The model's SyncExecutionStatus has no ABORTED: a stopped execution reads as FAILED.
  std::string_view status = e.status() == ExecutionStatus::kSucceeded  ? "SUCCEEDED"
                            : e.status() == ExecutionStatus::kTimedOut ? "TIMED_OUT"
                                                                       : "FAILED";
  time::Instant stop = e.stop_date().value_or(e.start_date());
  std::int64_t ms = std::max<std::int64_t>(0, (stop - e.start_date()).count());
  std::int64_t billed = std::max<std::int64_t>(100, (ms + 99) / 100 * 100);
  Json out = {
      {"executionArn", e.arn()},
      {"stateMachineArn", e.state_machine_arn()},
      {"name", e.name()},
      {"startDate", TimestampJson(e.start_date())},
      {"stopDate", TimestampJson(stop)},
      {"status", status},
      {"input", e.input_text()},
      {"inputDetails", {{"included", true}}},
      {"billingDetails", {{"billedMemoryUsedInMB", 64}, {"billedDurationInMilliseconds", billed}}}};
  if (e.output()) {
    out["output"] = JsonText(*e.output());
    out["outputDetails"] = {{"included", true}};
  }
  if (e.status() != ExecutionStatus::kSucceeded) {
    if (!e.error().empty()) out["error"] = e.error();
    if (!e.cause().empty()) out["cause"] = e.cause();
  }
  return out;
}

void RegisterExecutionOps(host::Registry& registry, const std::shared_ptr<State>& state) {
  AddSync(registry, state, "StartExecution", host::Access::kWrites, &StartExecution);
  AddAsync(registry, state, "StartSyncExecution", host::Access::kWrites, &StartSyncExecution);
  AddSync(registry, state, "StopExecution", host::Access::kWrites, &StopExecution);
  AddSync(registry, state, "DescribeExecution", host::Access::kReads, &DescribeExecution);
  AddSync(registry, state, "DescribeStateMachineForExecution", host::Access::kReads,
          &DescribeStateMachineForExecution);
  AddSync(registry, state, "ListExecutions", host::Access::kReads, &ListExecutions);
  AddSync(registry, state, "GetExecutionHistory", host::Access::kReads, &GetExecutionHistory);
  AddSync(registry, state, "RedriveExecution", host::Access::kWrites, &RedriveExecution);
}

}  // namespace timeslip::services::stepfunctions

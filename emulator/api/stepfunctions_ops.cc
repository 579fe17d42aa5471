// The Step Functions operations. Each checks its input against the model's constraints, runs on
// the engine thread, and answers in the model's output shape.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
#include "emulator/api/stepfunctions_ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <utility>
#include <vector>

#include "emulator/api/errors.h"
#include "emulator/api/stepfunctions_shapes_internal.h"
#include "emulator/asl/parse_definition.h"
#include "emulator/engine/names.h"

namespace timeslip::api {

using sfn::Field;
using sfn::FieldKind;
using Json = nlohmann::json;

namespace {

// The model's constraints, once.
constexpr Field kArnField(std::string_view name, bool required = true) {
  return Field{.name = name, .required = required, .min = 1, .max = 256};
}
constexpr Field kNameField{.name = "name", .min = 1, .max = 80};
constexpr Field kMaxResults{.name = "maxResults", .kind = FieldKind::kInteger, .max = 1000};
constexpr Field kNextToken{.name = "nextToken", .min = 1, .max = 1024};
constexpr Field kIncludedData{.name = "includedData", .enum_values = "ALL_DATA,METADATA_ONLY"};
constexpr Field kTaskToken{.name = "taskToken", .required = true, .min = 1, .max = 2048};
constexpr Field kErrorField{.name = "error", .max = 256, .sensitive = true};
constexpr Field kCauseField{.name = "cause", .max = 32768, .sensitive = true};
constexpr Field kInputField{.name = "input", .max = 262144, .sensitive = true};
constexpr Field kTraceHeader{.name = "traceHeader", .max = 256};
constexpr Field kDefinition{
    .name = "definition", .required = true, .min = 1, .max = 1048576, .sensitive = true};
constexpr Field kMachineType{.name = "type", .enum_values = "STANDARD,EXPRESS"};
constexpr Field kTags{.name = "tags", .kind = FieldKind::kTagList};
constexpr std::size_t kMaxTags = 50;

json::Status CheckTagCount(const Json& input) {
  if (sfn::GetTags(input, "tags").size() > kMaxTags) {
    return json::Error{"TooManyTags",
                       fmt::format("Too many tags: a resource may have at most {}.", kMaxTags)};
  }
  return json::Ok();
}

// What DescribeStateMachineForExecution shows: the machine as it was when the execution started.
struct MachineSnapshot {
  std::string arn;
  std::string name;
  std::string definition;
  std::string role_arn;
  time::Instant update_date;
  std::string revision_id;
  Json logging;
  Json tracing;
};

Json EmptyObject() { return Json::object(); }

}  // namespace

struct StepFunctionsOps::State : std::enable_shared_from_this<StepFunctionsOps::State> {
  State(EngineHost& h, StepFunctionsOptions o) : host(h), options(o) {}

  struct PendingPoll {
    OpReply reply;
    engine::Engine::PollId poll_id = 0;
    EngineHost::WallTimerId timer = 0;
    bool done = false;
  };

  EngineHost& host;  // Not owned; must outlive this.
  StepFunctionsOptions options;
  engine::Emulator& emulator() { return host.emulator(); }

  // Engine thread only, from here on.
  std::map<std::uint64_t, std::shared_ptr<PendingPoll>> polls;
  std::uint64_t next_poll = 0;
  std::map<std::string, std::vector<OpReply>> sync_waiters;  // execution ARN -> replies
  std::map<std::string, std::shared_ptr<const MachineSnapshot>> current_snapshot;  // by machine
  std::map<std::string, std::shared_ptr<const MachineSnapshot>> execution_snapshot;

  void RecordSnapshot(const engine::StateMachineRecord& record, const std::string& execution_arn) {
    std::shared_ptr<const MachineSnapshot>& current = current_snapshot[record.arn];
    if (!current || current->revision_id != record.revision_id) {
      current = std::make_shared<const MachineSnapshot>(
          MachineSnapshot{record.arn, record.name, record.definition, record.role_arn,
                          record.update_date.value_or(record.creation_date), record.revision_id,
                          record.logging_configuration, record.tracing_configuration});
    }
    execution_snapshot[execution_arn] = current;
  }
};

namespace {

using State = StepFunctionsOps::State;
using SyncFn = OpResult (*)(State&, const Json&, const std::string& region);
using AsyncFn = void (*)(State&, const Json&, const std::string& region, OpReply reply);

// Region filters: each region is its own endpoint on AWS, so lists show only the caller's.
bool InRegion(const std::string& arn, const std::string& region) {
  json::Result<engine::ArnParts> parts = engine::ParseArn(
      arn, arn.find(":activity:") != std::string::npos ? "activity" : "stateMachine");
  return parts.ok() && parts.value().region == region;
}

// ---- State machines ----

OpResult CreateStateMachine(State& s, const Json& in, const std::string& region) {
  Field name = kNameField;
  name.required = true;
  if (auto st =
          sfn::CheckFields(in, {name,
                                kDefinition,
                                kArnField("roleArn"),
                                kMachineType,
                                {.name = "loggingConfiguration", .kind = FieldKind::kObject},
                                kTags,
                                {.name = "tracingConfiguration", .kind = FieldKind::kObject},
                                {.name = "publish", .kind = FieldKind::kBoolean},
                                {.name = "versionDescription", .max = 256, .sensitive = true},
                                {.name = "encryptionConfiguration", .kind = FieldKind::kObject}});
      !st.ok()) {
    return st.error();
  }
  if (auto st = CheckTagCount(in); !st.ok()) return st.error();
  engine::CreateStateMachineParams params;
  params.name = sfn::GetString(in, "name");
  params.definition = sfn::GetString(in, "definition");
  params.role_arn = sfn::GetString(in, "roleArn");
  params.type = sfn::GetString(in, "type", "STANDARD") == "EXPRESS"
                    ? engine::MachineType::kExpress
                    : engine::MachineType::kStandard;
  params.region = region;
  params.tags = sfn::GetTags(in, "tags");
  if (sfn::Has(in, "loggingConfiguration"))
    params.logging_configuration = in["loggingConfiguration"];
  if (sfn::Has(in, "tracingConfiguration"))
    params.tracing_configuration = in["tracingConfiguration"];
  json::Result<const engine::StateMachineRecord*> created =
      s.emulator().CreateStateMachine(std::move(params));
  if (!created.ok()) return created.error();
  return Json{{"stateMachineArn", created.value()->arn},
              {"creationDate", sfn::TimestampJson(created.value()->creation_date)}};
}

OpResult DescribeStateMachine(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(in, {kArnField("stateMachineArn"), kIncludedData}); !st.ok()) {
    return st.error();
  }
  auto found = s.emulator().DescribeStateMachine(sfn::GetString(in, "stateMachineArn"));
  if (!found.ok()) return found.error();
  return sfn::DescribeStateMachineJson(*found.value());
}

OpResult UpdateStateMachine(State& s, const Json& in, const std::string&) {
  Field definition = kDefinition;
  definition.required = false;
  if (auto st =
          sfn::CheckFields(in, {kArnField("stateMachineArn"),
                                definition,
                                kArnField("roleArn", false),
                                {.name = "loggingConfiguration", .kind = FieldKind::kObject},
                                {.name = "tracingConfiguration", .kind = FieldKind::kObject},
                                {.name = "publish", .kind = FieldKind::kBoolean},
                                {.name = "versionDescription", .max = 256, .sensitive = true},
                                {.name = "encryptionConfiguration", .kind = FieldKind::kObject}});
      !st.ok()) {
    return st.error();
  }
  std::optional<std::string> def, role;
  if (sfn::Has(in, "definition")) def = sfn::GetString(in, "definition");
  if (sfn::Has(in, "roleArn")) role = sfn::GetString(in, "roleArn");
  auto updated = s.emulator().UpdateStateMachine(sfn::GetString(in, "stateMachineArn"), def, role);
  if (!updated.ok()) return updated.error();
  const engine::StateMachineRecord& record = *updated.value();
  return Json{{"updateDate", sfn::TimestampJson(record.update_date.value_or(record.creation_date))},
              {"revisionId", record.revision_id}};
}

OpResult DeleteStateMachine(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(in, {kArnField("stateMachineArn")}); !st.ok()) return st.error();
  if (auto st = s.emulator().DeleteStateMachine(sfn::GetString(in, "stateMachineArn")); !st.ok()) {
    return st.error();
  }
  return EmptyObject();
}

// ListStateMachines and ListActivities: by name (then ARN), paged after the last one returned.
template <typename Record>
OpResult ListByName(const Json& in, const std::string& region, std::string_view op,
                    std::vector<const Record*> records, const char* list_key,
                    Json (*item)(const Record&)) {
  if (auto st = sfn::CheckFields(in, {kMaxResults, kNextToken}); !st.ok()) return st.error();
  std::erase_if(records, [&](const Record* r) { return !InRegion(r->arn, region); });
  std::sort(records.begin(), records.end(), [](const Record* a, const Record* b) {
    return std::tie(a->name, a->arn) < std::tie(b->name, b->arn);
  });
  std::string scope = fmt::format("{}\n{}", op, region);
  auto begin = records.begin();
  if (sfn::Has(in, "nextToken")) {
    json::Result<std::string> after = sfn::DecodePageToken(sfn::GetString(in, "nextToken"), scope);
    if (!after.ok()) return after.error();
    std::size_t nl = after.value().find('\n');
    if (nl == std::string::npos) {
      return json::Error{"InvalidToken",
                         fmt::format("Invalid Token: '{}'", sfn::GetString(in, "nextToken"))};
    }
    std::string name = after.value().substr(0, nl), arn = after.value().substr(nl + 1);
    begin = std::upper_bound(
        records.begin(), records.end(), std::tie(name, arn),
        [](const auto& key, const Record* r) { return key < std::tie(r->name, r->arn); });
  }
  const std::size_t page = sfn::PageSize(in);
  Json items = Json::array();
  auto it = begin;
  for (; it != records.end() && items.size() < page; ++it) items.push_back(item(**it));
  Json out = {{list_key, std::move(items)}};
  if (it != records.end()) {
    const Record& last = **(it - 1);
    out["nextToken"] = sfn::EncodePageToken(scope, last.name + "\n" + last.arn);
  }
  return out;
}

Json StateMachineListItem(const engine::StateMachineRecord& r) {
  return {{"stateMachineArn", r.arn},
          {"name", r.name},
          {"type", engine::MachineTypeName(r.type)},
          {"creationDate", sfn::TimestampJson(r.creation_date)}};
}

OpResult ListStateMachines(State& s, const Json& in, const std::string& region) {
  return ListByName<engine::StateMachineRecord>(in, region, "ListStateMachines",
                                                s.emulator().ListStateMachines(), "stateMachines",
                                                &StateMachineListItem);
}

// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
OpResult ValidateStateMachineDefinition(State&, const Json& in, const std::string&) {
  if (auto st =
          sfn::CheckFields(in, {kDefinition,
                                kMachineType,
                                {.name = "severity", .enum_values = "ERROR,WARNING"},
                                {.name = "maxResults", .kind = FieldKind::kInteger, .max = 100}});
      !st.ok()) {
    return st.error();
  }
  asl::ParseResult parsed = asl::ParseDefinition(sfn::GetString(in, "definition"));
  const bool warnings = sfn::GetString(in, "severity", "ERROR") == "WARNING";
  const std::size_t max = sfn::PageSize(in, 100);
  Json diagnostics = Json::array();
  bool truncated = false;
  for (const asl::Diagnostic& d : parsed.diagnostics) {
    if (d.severity == asl::Severity::kWarning && !warnings) continue;
    if (diagnostics.size() == max) {
      truncated = true;
      break;
    }
    Json item = {
        {"severity", asl::SeverityName(d.severity)}, {"code", d.code}, {"message", d.message}};
    if (!d.location.empty()) item["location"] = d.location;
    diagnostics.push_back(std::move(item));
  }
  return Json{{"result", asl::HasErrors(parsed.diagnostics) ? "FAIL" : "OK"},
              {"diagnostics", std::move(diagnostics)},
              {"truncated", truncated}};
}

// ---- Executions ----

json::Status CheckStartInput(const Json& in, bool sync) {
  if (sync) {
    return sfn::CheckFields(
        in, {kArnField("stateMachineArn"), kNameField, kInputField, kTraceHeader, kIncludedData});
  }
  return sfn::CheckFields(in,
                          {kArnField("stateMachineArn"), kNameField, kInputField, kTraceHeader});
}

engine::StartExecutionParams StartParams(const Json& in) {
  engine::StartExecutionParams params;
  params.state_machine_arn = sfn::GetString(in, "stateMachineArn");
  if (sfn::Has(in, "name")) params.name = sfn::GetString(in, "name");
  if (sfn::Has(in, "input")) params.input = sfn::GetString(in, "input");
  return params;
}

OpResult StartExecution(State& s, const Json& in, const std::string&) {
  if (auto st = CheckStartInput(in, false); !st.ok()) return st.error();
  engine::StartExecutionParams params = StartParams(in);
  json::Result<engine::Execution*> started = s.emulator().StartExecution(params);
  if (!started.ok()) return started.error();
  if (auto machine = s.emulator().DescribeStateMachine(params.state_machine_arn); machine.ok()) {
    s.RecordSnapshot(*machine.value(), started.value()->arn());
  }
  return Json{{"executionArn", started.value()->arn()},
              {"startDate", sfn::TimestampJson(started.value()->start_date())}};
}

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
      {"startDate", sfn::TimestampJson(e.start_date())},
      {"stopDate", sfn::TimestampJson(stop)},
      {"status", status},
      {"input", sfn::JsonText(e.input())},
      {"inputDetails", {{"included", true}}},
      {"billingDetails", {{"billedMemoryUsedInMB", 64}, {"billedDurationInMilliseconds", billed}}}};
  if (e.output()) {
    out["output"] = sfn::JsonText(*e.output());
    out["outputDetails"] = {{"included", true}};
  }
  if (e.status() != ExecutionStatus::kSucceeded) {
    if (!e.error().empty()) out["error"] = e.error();
    if (!e.cause().empty()) out["cause"] = e.cause();
  }
  return out;
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
  s.RecordSnapshot(*machine.value(), execution.arn());
  if (execution.status() != engine::ExecutionStatus::kRunning) return reply(SyncResult(execution));
  if (s.host.shutting_down()) {
    return reply(json::Error{std::string(kServiceUnavailable), "The server is shutting down."});
  }
  s.sync_waiters[execution.arn()].push_back(std::move(reply));
}

OpResult StopExecution(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(in, {kArnField("executionArn"), kErrorField, kCauseField});
      !st.ok()) {
    return st.error();
  }
  std::string arn = sfn::GetString(in, "executionArn");
  if (auto st =
          s.emulator().StopExecution(arn, sfn::GetString(in, "error"), sfn::GetString(in, "cause"));
      !st.ok()) {
    return st.error();
  }
  auto execution = s.emulator().DescribeExecution(arn);
  if (!execution.ok()) return execution.error();
  time::Instant stop = execution.value()->stop_date().value_or(s.emulator().clock().Now());
  return Json{{"stopDate", sfn::TimestampJson(stop)}};
}

OpResult DescribeExecution(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(in, {kArnField("executionArn"), kIncludedData}); !st.ok()) {
    return st.error();
  }
  auto execution = s.emulator().DescribeExecution(sfn::GetString(in, "executionArn"));
  if (!execution.ok()) return execution.error();
  return sfn::DescribeExecutionJson(*execution.value());
}

OpResult DescribeStateMachineForExecution(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(in, {kArnField("executionArn"), kIncludedData}); !st.ok()) {
    return st.error();
  }
  std::string arn = sfn::GetString(in, "executionArn");
  auto execution = s.emulator().DescribeExecution(arn);
  if (!execution.ok()) return execution.error();
  std::shared_ptr<const MachineSnapshot> snapshot;
  if (auto it = s.execution_snapshot.find(arn); it != s.execution_snapshot.end()) {
    snapshot = it->second;
  } else {
    auto machine = s.emulator().DescribeStateMachine(execution.value()->state_machine_arn());
    if (!machine.ok()) return machine.error();
    s.RecordSnapshot(*machine.value(), arn);
    snapshot = s.execution_snapshot[arn];
  }
  Json logging = snapshot->logging;
  if (!logging.is_object() || logging.empty()) {
    logging = {{"level", "OFF"}, {"includeExecutionData", false}};
  }
  Json tracing = snapshot->tracing;
  if (!tracing.is_object() || tracing.empty()) tracing = {{"enabled", false}};
  return Json{{"stateMachineArn", snapshot->arn},
              {"name", snapshot->name},
              {"definition", snapshot->definition},
              {"roleArn", snapshot->role_arn},
              {"updateDate", sfn::TimestampJson(snapshot->update_date)},
              {"loggingConfiguration", std::move(logging)},
              {"tracingConfiguration", std::move(tracing)},
              {"revisionId", snapshot->revision_id}};
}

// Newest first. The token holds the start-order index to continue from: executions are never
// removed, so the index stays put while new ones start.
OpResult ListExecutions(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(
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
  if (sfn::Has(in, "mapRunArn")) {
    if (sfn::Has(in, "stateMachineArn")) {
      return json::Error{std::string(kValidationException),
                         "Only one of stateMachineArn and mapRunArn may be given."};
    }
    return json::Error{"ResourceNotFound",
                       fmt::format("Resource not found: '{}'", sfn::GetString(in, "mapRunArn"))};
  }
  if (!sfn::Has(in, "stateMachineArn")) {
    return json::Error{std::string(kValidationException),
                       "Must provide a StateMachine ARN or MapRun ARN"};
  }
  const std::string machine_arn = sfn::GetString(in, "stateMachineArn");
  auto machine = s.emulator().DescribeStateMachine(machine_arn);
  if (!machine.ok()) return machine.error();
  if (machine.value()->type == engine::MachineType::kExpress) {
    return json::Error{"StateMachineTypeNotSupported",
                       "This operation is not supported by this type of state machine: "
                       "ListExecutions lists STANDARD executions only."};
  }
  const std::string status = sfn::GetString(in, "statusFilter");
  const std::string redrive = sfn::GetString(in, "redriveFilter");
  const std::string scope = fmt::format("ListExecutions\n{}\n{}\n{}", machine_arn, status, redrive);
  // Start order of this machine's executions only: an index that stays put while new ones start.
  const std::vector<engine::Execution*>& all = s.emulator().engine().executions_of(machine_arn);
  std::size_t next = all.size();  // one past the next index to look at, going down
  if (sfn::Has(in, "nextToken")) {
    json::Result<std::string> pos = sfn::DecodePageToken(sfn::GetString(in, "nextToken"), scope);
    if (!pos.ok()) return pos.error();
    char* end = nullptr;
    unsigned long long n = std::strtoull(pos.value().c_str(), &end, 10);
    if (pos.value().empty() || *end != '\0' || n > all.size()) {
      return json::Error{"InvalidToken",
                         fmt::format("Invalid Token: '{}'", sfn::GetString(in, "nextToken"))};
    }
    next = static_cast<std::size_t>(n);
  }
  auto matches = [&](const engine::Execution& e) {
    if (!status.empty() && engine::StatusName(e.status()) != status) return false;
    if (redrive == "REDRIVEN" && e.redrive_count() == 0) return false;
    if (redrive == "NOT_REDRIVEN" && e.redrive_count() > 0) return false;
    return true;
  };
  const std::size_t page = sfn::PageSize(in);
  Json items = Json::array();
  while (next > 0) {
    const engine::Execution& e = *all[next - 1];
    if (!matches(e)) {
      --next;
      continue;
    }
    if (items.size() == page) break;
    items.push_back(sfn::ExecutionListItemJson(e));
    --next;
  }
  Json out = {{"executions", std::move(items)}};
  if (next > 0) out["nextToken"] = sfn::EncodePageToken(scope, std::to_string(next));
  return out;
}

OpResult GetExecutionHistory(State& s, const Json& in, const std::string&) {
  if (auto st =
          sfn::CheckFields(in, {kArnField("executionArn"),
                                kMaxResults,
                                {.name = "reverseOrder", .kind = FieldKind::kBoolean},
                                kNextToken,
                                {.name = "includeExecutionData", .kind = FieldKind::kBoolean}});
      !st.ok()) {
    return st.error();
  }
  const std::string arn = sfn::GetString(in, "executionArn");
  auto execution = s.emulator().DescribeExecution(arn);
  if (!execution.ok()) return execution.error();
  const std::vector<engine::HistoryEvent>& events = execution.value()->history();
  const bool reverse = sfn::GetBool(in, "reverseOrder", false);
  const bool data = sfn::GetBool(in, "includeExecutionData", true);
  const std::string scope =
      fmt::format("GetExecutionHistory\n{}\n{}", arn, reverse ? "reverse" : "forward");
  // Forward: the index of the next event. Reverse: one past it (events only ever get appended).
  std::size_t pos = reverse ? events.size() : 0;
  if (sfn::Has(in, "nextToken")) {
    json::Result<std::string> token = sfn::DecodePageToken(sfn::GetString(in, "nextToken"), scope);
    if (!token.ok()) return token.error();
    char* end = nullptr;
    unsigned long long n = std::strtoull(token.value().c_str(), &end, 10);
    if (token.value().empty() || *end != '\0' || n > events.size()) {
      return json::Error{"InvalidToken",
                         fmt::format("Invalid Token: '{}'", sfn::GetString(in, "nextToken"))};
    }
    pos = static_cast<std::size_t>(n);
  }
  const std::size_t page = sfn::PageSize(in);
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
  if (more) out["nextToken"] = sfn::EncodePageToken(scope, std::to_string(pos));
  return out;
}

OpResult RedriveExecution(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(
          in, {kArnField("executionArn"), {.name = "clientToken", .min = 1, .max = 64}});
      !st.ok()) {
    return st.error();
  }
  const std::string arn = sfn::GetString(in, "executionArn");
  if (auto st = s.emulator().RedriveExecution(arn); !st.ok()) return st.error();
  auto execution = s.emulator().DescribeExecution(arn);
  if (!execution.ok()) return execution.error();
  time::Instant date = execution.value()->redrive_date().value_or(s.emulator().clock().Now());
  return Json{{"redriveDate", sfn::TimestampJson(date)}};
}

// ---- Task tokens ----

OpResult SendTaskSuccess(State& s, const Json& in, const std::string&) {
  Field output = kInputField;
  output.name = "output";
  output.required = true;
  if (auto st = sfn::CheckFields(in, {kTaskToken, output}); !st.ok()) return st.error();
  if (auto st = s.emulator().SendTaskSuccess(sfn::GetString(in, "taskToken"),
                                             sfn::GetString(in, "output"));
      !st.ok()) {
    return st.error();
  }
  return EmptyObject();
}

OpResult SendTaskFailure(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(in, {kTaskToken, kErrorField, kCauseField}); !st.ok()) {
    return st.error();
  }
  if (auto st =
          s.emulator().SendTaskFailure(sfn::GetString(in, "taskToken"), sfn::GetString(in, "error"),
                                       sfn::GetString(in, "cause"));
      !st.ok()) {
    return st.error();
  }
  return EmptyObject();
}

OpResult SendTaskHeartbeat(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(in, {kTaskToken}); !st.ok()) return st.error();
  if (auto st = s.emulator().SendTaskHeartbeat(sfn::GetString(in, "taskToken")); !st.ok()) {
    return st.error();
  }
  return EmptyObject();
}

// ---- Activities ----

OpResult CreateActivity(State& s, const Json& in, const std::string& region) {
  Field name = kNameField;
  name.required = true;
  if (auto st = sfn::CheckFields(
          in, {name, kTags, {.name = "encryptionConfiguration", .kind = FieldKind::kObject}});
      !st.ok()) {
    return st.error();
  }
  if (auto st = CheckTagCount(in); !st.ok()) return st.error();
  auto created =
      s.emulator().CreateActivity(sfn::GetString(in, "name"), sfn::GetTags(in, "tags"), region);
  if (!created.ok()) return created.error();
  return Json{{"activityArn", created.value()->arn},
              {"creationDate", sfn::TimestampJson(created.value()->creation_date)}};
}

Json ActivityJson(const engine::ActivityRecord& r) {
  return {{"activityArn", r.arn},
          {"name", r.name},
          {"creationDate", sfn::TimestampJson(r.creation_date)}};
}

OpResult DescribeActivity(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(in, {kArnField("activityArn")}); !st.ok()) return st.error();
  auto found = s.emulator().DescribeActivity(sfn::GetString(in, "activityArn"));
  if (!found.ok()) return found.error();
  return ActivityJson(*found.value());
}

OpResult ListActivities(State& s, const Json& in, const std::string& region) {
  return ListByName<engine::ActivityRecord>(
      in, region, "ListActivities", s.emulator().ListActivities(), "activities", &ActivityJson);
}

OpResult DeleteActivity(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(in, {kArnField("activityArn")}); !st.ok()) return st.error();
  if (auto st = s.emulator().DeleteActivity(sfn::GetString(in, "activityArn")); !st.ok()) {
    return st.error();
  }
  return EmptyObject();
}

// A long poll: answers with a task as soon as one is there, or {} after the poll timeout.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetActivityTask.html
void GetActivityTask(State& s, const Json& in, const std::string&, OpReply reply) {
  Field worker = kNameField;
  worker.name = "workerName";
  if (auto st = sfn::CheckFields(in, {kArnField("activityArn"), worker}); !st.ok()) {
    return reply(st.error());
  }
  const std::string arn = sfn::GetString(in, "activityArn");
  auto found = s.emulator().DescribeActivity(arn);
  if (!found.ok()) return reply(found.error());
  auto poll = std::make_shared<State::PendingPoll>();
  poll->reply = std::move(reply);
  const std::uint64_t key = ++s.next_poll;
  std::weak_ptr<State> weak = s.weak_from_this();
  auto deliver = [weak, poll, key](engine::ActivityTask task) {
    if (poll->done) return;
    poll->done = true;
    if (std::shared_ptr<State> s = weak.lock()) {
      if (poll->timer != 0) s->host.CancelAfter(poll->timer);
      s->polls.erase(key);
    }
    poll->reply(Json{{"taskToken", std::move(task.task_token)}, {"input", std::move(task.input)}});
  };
  if (s.host.shutting_down()) {
    // Hand out nothing that nobody will be there to receive.
    poll->done = true;
    return poll->reply(EmptyObject());
  }
  poll->poll_id =
      s.emulator().engine().PollActivity(arn, sfn::GetString(in, "workerName"), std::move(deliver));
  if (poll->done) return;  // a task was waiting
  s.polls[key] = poll;
  poll->timer = s.host.RunAfter(s.options.activity_poll_timeout, [weak, poll, key] {
    if (poll->done) return;
    poll->done = true;
    if (std::shared_ptr<State> s = weak.lock()) {
      s->emulator().engine().CancelPoll(poll->poll_id);
      s->polls.erase(key);
    }
    poll->reply(EmptyObject());
  });
}

// ---- Tags ----

json::Status CheckResourceArn(const std::string& arn) {
  if (arn.rfind("arn:", 0) != 0) {
    return json::Error{"InvalidArn", fmt::format("Invalid Arn: '{}'", arn)};
  }
  return json::Ok();
}

OpResult TagResource(State& s, const Json& in, const std::string&) {
  Field tags = kTags;
  tags.required = true;
  if (auto st = sfn::CheckFields(in, {kArnField("resourceArn"), tags}); !st.ok()) return st.error();
  const std::string arn = sfn::GetString(in, "resourceArn");
  if (auto st = CheckResourceArn(arn); !st.ok()) return st.error();
  auto existing = s.emulator().ListTagsForResource(arn);
  if (!existing.ok()) return existing.error();
  engine::Tags merged = existing.value();
  for (const auto& [k, v] : sfn::GetTags(in, "tags")) merged[k] = v;
  if (merged.size() > kMaxTags) {
    return json::Error{"TooManyTags",
                       fmt::format("Too many tags: a resource may have at most {}.", kMaxTags)};
  }
  if (auto st = s.emulator().TagResource(arn, sfn::GetTags(in, "tags")); !st.ok()) {
    return st.error();
  }
  return EmptyObject();
}

OpResult UntagResource(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(
          in, {kArnField("resourceArn"),
               {.name = "tagKeys", .kind = FieldKind::kStringList, .required = true}});
      !st.ok()) {
    return st.error();
  }
  const std::string arn = sfn::GetString(in, "resourceArn");
  if (auto st = CheckResourceArn(arn); !st.ok()) return st.error();
  std::vector<std::string> keys;
  for (const Json& k : in["tagKeys"]) keys.push_back(k.get<std::string>());
  if (auto st = s.emulator().UntagResource(arn, keys); !st.ok()) return st.error();
  return EmptyObject();
}

OpResult ListTagsForResource(State& s, const Json& in, const std::string&) {
  if (auto st = sfn::CheckFields(in, {kArnField("resourceArn")}); !st.ok()) return st.error();
  const std::string arn = sfn::GetString(in, "resourceArn");
  if (auto st = CheckResourceArn(arn); !st.ok()) return st.error();
  auto tags = s.emulator().ListTagsForResource(arn);
  if (!tags.ok()) return tags.error();
  return Json{{"tags", sfn::TagList(tags.value())}};
}

OpResult Failure(const std::exception* e) {
  return json::Error{std::string(kInternalFailure), e ? e->what() : "Unknown internal failure"};
}

}  // namespace

StepFunctionsOps::StepFunctionsOps(EngineHost& host, StepFunctionsOptions options)
    : state_(std::make_shared<State>(host, options)) {
  std::weak_ptr<State> weak = state_;
  // A synchronous execution is answered once its final event is in and its status set.
  host.Post([weak] {
    std::shared_ptr<State> s = weak.lock();
    if (!s) return;
    engine::Engine& engine = s->emulator().engine();
    engine.AddListener(
        [weak, &engine](const engine::Execution& execution, const engine::HistoryEvent& event) {
          if (event.type != "ExecutionSucceeded" && event.type != "ExecutionFailed" &&
              event.type != "ExecutionTimedOut" && event.type != "ExecutionAborted") {
            return;
          }
          std::string arn = execution.arn();
          engine.Post([weak, arn] {
            std::shared_ptr<State> s = weak.lock();
            if (!s) return;
            auto it = s->sync_waiters.find(arn);
            if (it == s->sync_waiters.end()) return;
            std::vector<OpReply> replies = std::move(it->second);
            s->sync_waiters.erase(it);
            engine::Execution* e = s->emulator().engine().Find(arn);
            if (e == nullptr) return;
            for (OpReply& reply : replies) reply(SyncResult(*e));
          });
        });
  });
  host.AddShutdownHook([weak] {
    std::shared_ptr<State> s = weak.lock();
    if (!s) return;
    auto polls = std::move(s->polls);
    s->polls.clear();
    for (auto& [key, poll] : polls) {
      if (poll->done) continue;
      poll->done = true;
      s->emulator().engine().CancelPoll(poll->poll_id);
      poll->reply(EmptyObject());
    }
    auto waiters = std::move(s->sync_waiters);
    s->sync_waiters.clear();
    for (auto& [arn, replies] : waiters) {
      for (OpReply& reply : replies) {
        reply(json::Error{std::string(kServiceUnavailable), "The server is shutting down."});
      }
    }
  });
}

StepFunctionsOps::~StepFunctionsOps() = default;

void StepFunctionsOps::Register(Router& router) {
  auto add_sync = [&](std::string_view name, SyncFn fn) {
    router.AddOperation(kStepFunctionsService, name,
                        [s = state_, fn](Json input, const Request& request, OpReply reply) {
                          s->host.Post([s, fn, input = std::move(input), region = request.region,
                                        reply = std::move(reply)] {
                            try {
                              reply(fn(*s, input, region));
                            } catch (const std::exception& e) {
                              reply(Failure(&e));
                            } catch (...) {
                              reply(Failure(nullptr));
                            }
                          });
                        });
  };
  auto add_async = [&](std::string_view name, AsyncFn fn) {
    router.AddOperation(kStepFunctionsService, name,
                        [s = state_, fn](Json input, const Request& request, OpReply reply) {
                          s->host.Post([s, fn, input = std::move(input), region = request.region,
                                        reply = std::move(reply)] {
                            try {
                              fn(*s, input, region, reply);
                            } catch (const std::exception& e) {
                              reply(Failure(&e));  // ignored if fn already answered
                            } catch (...) {
                              reply(Failure(nullptr));
                            }
                          });
                        });
  };
  add_sync("CreateStateMachine", &CreateStateMachine);
  add_sync("DescribeStateMachine", &DescribeStateMachine);
  add_sync("UpdateStateMachine", &UpdateStateMachine);
  add_sync("DeleteStateMachine", &DeleteStateMachine);
  add_sync("ListStateMachines", &ListStateMachines);
  add_sync("ValidateStateMachineDefinition", &ValidateStateMachineDefinition);
  add_sync("StartExecution", &StartExecution);
  add_async("StartSyncExecution", &StartSyncExecution);
  add_sync("StopExecution", &StopExecution);
  add_sync("DescribeExecution", &DescribeExecution);
  add_sync("DescribeStateMachineForExecution", &DescribeStateMachineForExecution);
  add_sync("ListExecutions", &ListExecutions);
  add_sync("GetExecutionHistory", &GetExecutionHistory);
  add_sync("RedriveExecution", &RedriveExecution);
  add_sync("SendTaskSuccess", &SendTaskSuccess);
  add_sync("SendTaskFailure", &SendTaskFailure);
  add_sync("SendTaskHeartbeat", &SendTaskHeartbeat);
  add_sync("CreateActivity", &CreateActivity);
  add_sync("DescribeActivity", &DescribeActivity);
  add_sync("ListActivities", &ListActivities);
  add_sync("DeleteActivity", &DeleteActivity);
  add_async("GetActivityTask", &GetActivityTask);
  add_sync("TagResource", &TagResource);
  add_sync("UntagResource", &UntagResource);
  add_sync("ListTagsForResource", &ListTagsForResource);
}

}  // namespace timeslip::api

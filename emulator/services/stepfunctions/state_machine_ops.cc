// CreateStateMachine, DescribeStateMachine, UpdateStateMachine, DeleteStateMachine,
// ListStateMachines, ValidateStateMachineDefinition.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "emulator/asl/parse_definition.h"
#include "emulator/services/stepfunctions/service_internal.h"

namespace timeslip::services::stepfunctions {
namespace {

// The members CreateStateMachine and UpdateStateMachine share.
constexpr Field kLogging{.name = "loggingConfiguration", .kind = FieldKind::kObject};
constexpr Field kTracing{.name = "tracingConfiguration", .kind = FieldKind::kObject};
constexpr Field kPublish{.name = "publish", .kind = FieldKind::kBoolean};
constexpr Field kVersionDescription{.name = "versionDescription", .max = 256, .sensitive = true};

OpResult CreateStateMachine(State& s, const Json& in, const std::string& region) {
  Field name = kNameField;
  name.required = true;
  if (auto st = CheckFields(in, {name, kDefinition, kArnField("roleArn"), kMachineType, kLogging,
                                 kTags, kTracing, kPublish, kVersionDescription, kEncryption});
      !st.ok()) {
    return st.error();
  }
  if (auto st = CheckTagCount(in); !st.ok()) return st.error();
  engine::CreateStateMachineParams params;
  params.name = GetString(in, "name");
  params.definition = GetString(in, "definition");
  params.role_arn = GetString(in, "roleArn");
  params.type = GetString(in, "type", "STANDARD") == "EXPRESS" ? engine::MachineType::kExpress
                                                               : engine::MachineType::kStandard;
  params.region = region;
  params.tags = GetTags(in, "tags");
  if (Has(in, "loggingConfiguration")) params.logging_configuration = in["loggingConfiguration"];
  if (Has(in, "tracingConfiguration")) params.tracing_configuration = in["tracingConfiguration"];
  json::Result<const engine::StateMachineRecord*> created =
      s.emulator().CreateStateMachine(std::move(params));
  if (!created.ok()) return created.error();
  return Json{{"stateMachineArn", created.value()->arn},
              {"creationDate", TimestampJson(created.value()->creation_date)}};
}

OpResult DescribeStateMachine(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(in, {kArnField("stateMachineArn"), kIncludedData}); !st.ok()) {
    return st.error();
  }
  auto found = s.emulator().DescribeStateMachine(GetString(in, "stateMachineArn"));
  if (!found.ok()) return found.error();
  return DescribeStateMachineJson(*found.value());
}

OpResult UpdateStateMachine(State& s, const Json& in, const std::string&) {
  Field definition = kDefinition;
  definition.required = false;
  if (auto st =
          CheckFields(in, {kArnField("stateMachineArn"), definition, kArnField("roleArn", false),
                           kLogging, kTracing, kPublish, kVersionDescription, kEncryption});
      !st.ok()) {
    return st.error();
  }
  std::optional<std::string> def, role;
  if (Has(in, "definition")) def = GetString(in, "definition");
  if (Has(in, "roleArn")) role = GetString(in, "roleArn");
  auto updated = s.emulator().UpdateStateMachine(GetString(in, "stateMachineArn"), def, role);
  if (!updated.ok()) return updated.error();
  const engine::StateMachineRecord& record = *updated.value();
  return Json{{"updateDate", TimestampJson(record.update_date.value_or(record.creation_date))},
              {"revisionId", record.revision_id}};
}

OpResult DeleteStateMachine(State& s, const Json& in, const std::string&) {
  if (auto st = CheckFields(in, {kArnField("stateMachineArn")}); !st.ok()) return st.error();
  if (auto st = s.emulator().DeleteStateMachine(GetString(in, "stateMachineArn")); !st.ok()) {
    return st.error();
  }
  return EmptyObject();
}

Json StateMachineListItem(const engine::StateMachineRecord& r) {
  return {{"stateMachineArn", r.arn},
          {"name", r.name},
          {"type", engine::MachineTypeName(r.type)},
          {"creationDate", TimestampJson(r.creation_date)}};
}

OpResult ListStateMachines(State& s, const Json& in, const std::string& region) {
  return ListByName<engine::StateMachineRecord>(in, region, "ListStateMachines",
                                                s.emulator().ListStateMachines(), "stateMachines",
                                                &StateMachineListItem);
}

// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
OpResult ValidateStateMachineDefinition(State&, const Json& in, const std::string&) {
  if (auto st = CheckFields(in, {kDefinition,
                                 kMachineType,
                                 {.name = "severity", .enum_values = "ERROR,WARNING"},
                                 {.name = "maxResults", .kind = FieldKind::kInteger, .max = 100}});
      !st.ok()) {
    return st.error();
  }
  asl::ParseResult parsed = asl::ParseDefinition(GetString(in, "definition"));
  const bool warnings = GetString(in, "severity", "ERROR") == "WARNING";
  const std::size_t max = PageSize(in, 100);
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

}  // namespace

void RegisterStateMachineOps(host::Registry& registry, const std::shared_ptr<State>& state) {
  AddSync(registry, state, "CreateStateMachine", host::Access::kWrites, &CreateStateMachine);
  AddSync(registry, state, "DescribeStateMachine", host::Access::kReads, &DescribeStateMachine);
  AddSync(registry, state, "UpdateStateMachine", host::Access::kWrites, &UpdateStateMachine);
  AddSync(registry, state, "DeleteStateMachine", host::Access::kWrites, &DeleteStateMachine);
  AddSync(registry, state, "ListStateMachines", host::Access::kReads, &ListStateMachines);
  AddSync(registry, state, "ValidateStateMachineDefinition", host::Access::kReads,
          &ValidateStateMachineDefinition);
}

}  // namespace timeslip::services::stepfunctions

#include "emulator/services/glue/job_shape.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <regex>

namespace timeslip::services::glue {
namespace {

// The Job shape's settings, in the model's order (GetJob answers them so).
constexpr std::string_view kBeforeTimes[] = {"Description", "LogUri", "Role"};
constexpr std::string_view kAfterTimes[] = {
    "ExecutionProperty",    "Command",     "DefaultArguments",          "NonOverridableArguments",
    "Connections",          "MaxRetries",  "AllocatedCapacity",         "Timeout",
    "MaxCapacity",          "WorkerType",  "NumberOfWorkers",           "SecurityConfiguration",
    "NotificationProperty", "GlueVersion", "CodeGenConfigurationNodes", "ExecutionClass",
    "SourceControlDetails"};

constexpr std::string_view kWorkerTypes = "Standard,G.1X,G.2X,G.025X,G.4X,G.8X,Z.2X";

// DPUs per worker: https://docs.aws.amazon.com/glue/latest/dg/add-job.html
double DpusPerWorker(const std::string& worker_type) {
  if (worker_type == "G.025X") return 0.25;
  if (worker_type == "G.2X" || worker_type == "Z.2X") return 2;
  if (worker_type == "G.4X") return 4;
  if (worker_type == "G.8X") return 8;
  return 1;  // Standard, G.1X
}

const std::regex& GlueVersionPattern() {
  static const std::regex pattern(R"(\w+\.\w+)");
  return pattern;
}

}  // namespace

json::Status CheckJobSettings(const Json& settings, std::string_view parent,
                              bool require_role_and_command) {
  json::Status checked = CheckFields(
      settings,
      {{.name = "Description", .max = 2048},
       {.name = "LogUri"},
       {.name = "Role", .required = require_role_and_command},
       {.name = "ExecutionProperty", .kind = FieldKind::kStructure},
       {.name = "Command", .kind = FieldKind::kStructure, .required = require_role_and_command},
       {.name = "DefaultArguments", .kind = FieldKind::kStringMap},
       {.name = "NonOverridableArguments", .kind = FieldKind::kStringMap},
       {.name = "Connections", .kind = FieldKind::kStructure},
       {.name = "MaxRetries", .kind = FieldKind::kInteger},
       {.name = "AllocatedCapacity", .kind = FieldKind::kInteger},
       {.name = "Timeout", .kind = FieldKind::kInteger, .min = 1, .max = kMaxTimeoutMinutes},
       {.name = "MaxCapacity", .kind = FieldKind::kNumber},
       {.name = "WorkerType", .enum_values = kWorkerTypes},
       {.name = "NumberOfWorkers", .kind = FieldKind::kInteger, .min = 1},
       {.name = "SecurityConfiguration", .min = 1, .max = 255},
       {.name = "NotificationProperty", .kind = FieldKind::kStructure},
       {.name = "GlueVersion", .min = 1, .max = 255},
       {.name = "ExecutionClass", .max = 16, .enum_values = "FLEX,STANDARD"}},
      parent);
  if (!checked.ok()) return checked;
  const std::string prefix = parent.empty() ? "" : std::string(parent) + ".";
  // Glue would retry a failed run; the fake runs each once. Refused, not run differently.
  if (Has(settings, "MaxRetries") && settings["MaxRetries"].is_number() &&
      settings["MaxRetries"].get<double>() > 0) {
    return InvalidInput(prefix + "MaxRetries above 0 (Glue retrying a failed run) is not "
                        "supported by timeslip yet");
  }
  if (Has(settings, "ExecutionProperty")) {
    json::Status s =
        CheckFields(settings["ExecutionProperty"],
                    {{.name = "MaxConcurrentRuns", .kind = FieldKind::kInteger, .min = 1}},
                    prefix + "executionProperty");
    if (!s.ok()) return s;
  }
  if (Has(settings, "Command")) {
    json::Status s = CheckFields(settings["Command"],
                                 {{.name = "Name"},
                                  {.name = "ScriptLocation", .max = 400000},
                                  {.name = "PythonVersion"},
                                  {.name = "Runtime", .max = 64}},
                                 prefix + "command");
    if (!s.ok()) return s;
  }
  if (Has(settings, "Connections")) {
    json::Status s = CheckFields(settings["Connections"],
                                 {{.name = "Connections", .kind = FieldKind::kStringList}},
                                 prefix + "connections");
    if (!s.ok()) return s;
  }
  if (Has(settings, "NotificationProperty")) {
    json::Status s =
        CheckFields(settings["NotificationProperty"],
                    {{.name = "NotifyDelayAfter", .kind = FieldKind::kInteger, .min = 1}},
                    prefix + "notificationProperty");
    if (!s.ok()) return s;
  }
  // The model's pattern for GlueVersionString.
  if (Has(settings, "GlueVersion") &&
      !std::regex_match(GetString(settings, "GlueVersion"), GlueVersionPattern())) {
    return InvalidInput(
        fmt::format("1 validation error detected: Value '{}' at '{}glueVersion' failed to satisfy "
                    "constraint: Member must satisfy regular expression pattern: ^\\w+\\.\\w+$",
                    GetString(settings, "GlueVersion"), prefix));
  }
  const bool workers = Has(settings, "WorkerType"), count = Has(settings, "NumberOfWorkers");
  if (workers != count) {
    return InvalidInput(
        "WorkerType and NumberOfWorkers must be set together: one is set without the other.");
  }
  if (workers && (Has(settings, "MaxCapacity") || Has(settings, "AllocatedCapacity"))) {
    return InvalidInput(
        "Please set either MaxCapacity (or AllocatedCapacity) or WorkerType and "
        "NumberOfWorkers, not both.");
  }
  return json::Ok();
}

Json JobDocument(const std::string& name, const Json& settings, time::Instant created_on,
                 time::Instant last_modified_on) {
  Json job = {{"Name", name}};
  for (std::string_view key : kBeforeTimes) {
    if (Has(settings, key)) job[std::string(key)] = settings[std::string(key)];
  }
  job["CreatedOn"] = EpochSeconds(created_on);
  job["LastModifiedOn"] = EpochSeconds(last_modified_on);
  for (std::string_view key : kAfterTimes) {
    if (Has(settings, key)) job[std::string(key)] = settings[std::string(key)];
  }
  // AWS's defaults, as GetJob shows them.
  if (!Has(job, "ExecutionProperty")) job["ExecutionProperty"] = Json::object();
  if (!Has(job["ExecutionProperty"], "MaxConcurrentRuns")) {
    job["ExecutionProperty"]["MaxConcurrentRuns"] = 1;
  }
  if (!Has(job, "MaxRetries")) job["MaxRetries"] = 0;
  if (!Has(job, "Timeout")) job["Timeout"] = kDefaultTimeoutMinutes;
  if (Has(job, "WorkerType")) {
    job["MaxCapacity"] = DpusPerWorker(GetString(job, "WorkerType")) *
                         static_cast<double>(GetInt(job, "NumberOfWorkers", 1));
  } else {
    if (!Has(job, "MaxCapacity")) {
      const bool shell = Has(job, "Command") && GetString(job["Command"], "Name") == "pythonshell";
      job["MaxCapacity"] = Has(job, "AllocatedCapacity")
                               ? static_cast<double>(GetInt(job, "AllocatedCapacity", 0))
                           : shell ? kPythonShellMaxCapacity
                                   : kDefaultMaxCapacity;
    }
    if (!Has(job, "AllocatedCapacity")) {
      job["AllocatedCapacity"] = static_cast<std::int64_t>(job["MaxCapacity"].get<double>());
    }
  }
  return job;
}

fakes::GlueJobConfig RunConfig(const Json& job) {
  fakes::GlueJobConfig config;
  config.timeout_minutes = static_cast<int>(GetInt(job, "Timeout", kDefaultTimeoutMinutes));
  if (Has(job, "ExecutionProperty")) {
    config.max_concurrent_runs =
        static_cast<int>(GetInt(job["ExecutionProperty"], "MaxConcurrentRuns", 1));
  }
  if (Has(job, "WorkerType")) {
    config.worker_type = GetString(job, "WorkerType");
    config.number_of_workers = static_cast<int>(GetInt(job, "NumberOfWorkers", 1));
  } else if (Has(job, "MaxCapacity")) {
    // A job sized in DPUs: its runs report that capacity.
    config.number_of_workers =
        std::max(1, static_cast<int>(std::lround(job["MaxCapacity"].get<double>())));
  }
  if (Has(job, "GlueVersion")) config.glue_version = GetString(job, "GlueVersion");
  if (Has(job, "DefaultArguments")) config.default_arguments = job["DefaultArguments"];
  return config;
}

}  // namespace timeslip::services::glue

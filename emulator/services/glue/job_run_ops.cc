// StartJobRun, GetJobRun, GetJobRuns, BatchStopJobRun over the world's GlueJobs: the runs Step
// Functions tasks start are listed beside the API's own.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "emulator/services/glue/job_shape.h"
#include "emulator/services/glue/service_internal.h"

namespace timeslip::services::glue {
namespace {

constexpr Field kJobName{.name = "JobName", .required = true, .min = 1, .max = 255};
constexpr std::size_t kDefaultPageSize = 100;
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-runs.html#aws-glue-api-jobs-runs-BatchStopJobRun
constexpr std::int64_t kMaxStopBatch = 25;

Json RunJson(const fakes::JobRun& run) {
  return fakes::ToJson(run, fakes::TimestampStyle::kEpochSeconds);
}

host::Outcome StartJobRun(State& s, const Json& in) {
  json::Status checked = CheckFields(
      in, {kJobName,
           {.name = "JobRunId", .min = 1, .max = 255},
           {.name = "Arguments", .kind = FieldKind::kStringMap},
           {.name = "AllocatedCapacity", .kind = FieldKind::kInteger},
           {.name = "Timeout", .kind = FieldKind::kInteger, .min = 1, .max = kMaxTimeoutMinutes},
           {.name = "MaxCapacity", .kind = FieldKind::kNumber},
           {.name = "SecurityConfiguration", .min = 1, .max = 255},
           {.name = "NotificationProperty", .kind = FieldKind::kStructure},
           {.name = "WorkerType", .enum_values = "Standard,G.1X,G.2X,G.025X,G.4X,G.8X,Z.2X"},
           {.name = "NumberOfWorkers", .kind = FieldKind::kInteger, .min = 1},
           {.name = "ExecutionClass", .max = 16, .enum_values = "FLEX,STANDARD"}});
  if (!checked.ok()) return checked.error();
  if (Has(in, "JobRunId")) {  // AWS retries that run; never run it as a fresh one instead
    return InvalidInput("JobRunId (retrying an earlier run) is not supported by timeslip yet");
  }
  const std::string name = GetString(in, "JobName");
  if (s.jobs.Defined(name) == nullptr) {
    // AWS's words for a job that does not exist, and which one.
    return EntityNotFound(
        fmt::format("Failed to start job run due to missing metadata: no job named {}", name));
  }
  json::Result<std::string> run_id = s.jobs.StartRun(name, in);
  if (!run_id.ok()) return run_id.error();
  return Json{{"JobRunId", run_id.value()}};
}

host::Outcome GetJobRun(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {kJobName,
                       {.name = "RunId", .required = true, .min = 1, .max = 255},
                       {.name = "PredecessorsIncluded", .kind = FieldKind::kBoolean}});
  if (!checked.ok()) return checked.error();
  const std::string name = GetString(in, "JobName"), id = GetString(in, "RunId");
  const fakes::JobRun* run = s.jobs.FindRun(name, id);
  if (run == nullptr) {
    return EntityNotFound(fmt::format("Job run {} of job {} not found", id, name));
  }
  return Json{{"JobRun", RunJson(*run)}};
}

host::Outcome GetJobRuns(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {kJobName,
                       {.name = "NextToken"},
                       {.name = "MaxResults", .kind = FieldKind::kInteger, .min = 1, .max = 1000}});
  if (!checked.ok()) return checked.error();
  const std::string name = GetString(in, "JobName");
  const std::vector<const fakes::JobRun*> runs = s.jobs.Runs(name);  // newest first
  // A Step Functions task's runs are listed even for a job nobody created.
  if (runs.empty() && s.jobs.Defined(name) == nullptr) {
    return EntityNotFound(fmt::format("Job {} not found", name));
  }
  std::vector<std::string_view> ids;
  for (const fakes::JobRun* run : runs) ids.push_back(run->id);
  Json next;
  json::Result<PageRange> range = RunPage(in, "GetJobRuns\n" + name, ids, kDefaultPageSize, next);
  if (!range.ok()) return range.error();
  Json page = Json::array();
  for (std::size_t i = range.value().begin; i < range.value().end; ++i) {
    page.push_back(RunJson(*runs[i]));
  }
  Json out = {{"JobRuns", std::move(page)}};
  if (!next.is_null()) out["NextToken"] = std::move(next);
  return out;
}

host::Outcome BatchStopJobRun(State& s, const Json& in) {
  json::Status checked = CheckFields(in, {kJobName,
                                          {.name = "JobRunIds",
                                           .kind = FieldKind::kStringList,
                                           .required = true,
                                           .min = 1,
                                           .max = kMaxStopBatch}});
  if (!checked.ok()) return checked.error();
  const std::string name = GetString(in, "JobName");
  Json stopped = Json::array(), errors = Json::array();
  auto refuse = [&](const std::string& id, std::string_view code, std::string message) {
    errors.push_back(
        {{"JobName", name},
         {"JobRunId", id},
         {"ErrorDetail", {{"ErrorCode", code}, {"ErrorMessage", std::move(message)}}}});
  };
  for (const Json& item : in["JobRunIds"]) {
    const std::string id = item.get<std::string>();
    const fakes::JobRun* run = s.jobs.FindRun(name, id);
    if (run == nullptr) {
      refuse(id, kEntityNotFound, fmt::format("Job run {} of job {} not found", id, name));
    } else if (!run->active()) {
      refuse(id, kInvalidInput,
             fmt::format("Job run {} cannot be stopped: it has already ended {}", id, run->state));
    } else if (json::Status stop = s.jobs.StopRun(name, id); !stop.ok()) {
      refuse(id, stop.error().name, stop.error().message);
    } else {
      stopped.push_back({{"JobName", name}, {"JobRunId", id}});
    }
  }
  return Json{{"SuccessfulSubmissions", std::move(stopped)}, {"Errors", std::move(errors)}};
}

}  // namespace

void RegisterJobRunOps(host::Registry& registry, const std::shared_ptr<State>& state) {
  using host::Access;
  AddOp(registry, state, "StartJobRun", Access::kWrites, &StartJobRun);
  AddOp(registry, state, "GetJobRun", Access::kReads, &GetJobRun);
  AddOp(registry, state, "GetJobRuns", Access::kReads, &GetJobRuns);
  AddOp(registry, state, "BatchStopJobRun", Access::kWrites, &BatchStopJobRun);
}

}  // namespace timeslip::services::glue
